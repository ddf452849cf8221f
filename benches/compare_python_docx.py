#!/usr/bin/env python3
"""Whole-process time of python-docx against 省身's exporter, each writing N copies of
benches/material.txt in official format (docs/BENCHMARKS.md):

    python3 benches/compare_python_docx.py [COPIES=100] [RUNS=5]

Builds the Rust side (`cargo bench --no-run`, release profile), then runs each process
RUNS times and reports the median wall time and the ratio.
"""
import json
import os
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
copies = sys.argv[1] if len(sys.argv) > 1 else "100"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5

build = subprocess.run(
    ["cargo", "bench", "--no-default-features", "--features", "documents",
     "--bench", "render_copies", "--no-run", "--message-format=json"],
    cwd=root, check=True, stdout=subprocess.PIPE, text=True,
)
rust = next(
    message["executable"]
    for message in map(json.loads, build.stdout.splitlines())
    if message.get("reason") == "compiler-artifact"
    and message.get("target", {}).get("name") == "render_copies"
    and message.get("executable")
)


def median_ms(command):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), max(times)


python = median_ms([sys.executable, os.path.join(here, "python_docx_material.py"), copies])
docx_rs = median_ms([rust, copies])
print(f"cores: {os.cpu_count()}, copies per process: {copies}, runs: {runs}")
print(f"python-docx : median {python[0]:8.1f} ms (min {python[1]:.1f}, max {python[2]:.1f})")
print(f"xingshen    : median {docx_rs[0]:8.1f} ms (min {docx_rs[1]:.1f}, max {docx_rs[2]:.1f})")
print(f"ratio       : {python[0] / docx_rs[0]:.1f}x")
