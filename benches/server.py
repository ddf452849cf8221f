#!/usr/bin/env python3
"""The server's own figures on one database: cold start (process start to the first page
served), idle memory, and memory under load — the load being benches/ssr.py and
benches/autosave.py run against it, whose reports are printed as they come.

usage: benches/server.py BINARY DATA_DIR [port=3990] [ssr_seconds=20] [editors=200] [autosave_seconds=60]

BINARY is a release build of xingshen (target/release/xingshen under the cargo target
directory); DATA_DIR a SurrealKV database made by `xingshen seed --members …`; the site
(wasm, js, css) is taken from LEPTOS_SITE_ROOT or target/site. Runs the database with its
normal durability (every commit fsynced). The database must not be in use.

Before the cold start the kernel's page cache is dropped when this runs as root and the
system allows it (the script says which), so the database is read from disk, not memory.
"""

import os
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def status_field(pid, name):
    """A /proc/PID/status line in MB (VmRSS: resident now; VmHWM: the peak)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1]) / 1024
    raise KeyError(name)


def drop_page_cache():
    try:
        subprocess.run(["sync"], check=True)
        with open("/proc/sys/vm/drop_caches", "w") as caches:
            caches.write("3\n")
        return True
    except OSError:
        return False


def main():
    binary, data_dir = sys.argv[1], sys.argv[2]
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 3990
    ssr_seconds = sys.argv[4] if len(sys.argv) > 4 else "20"
    editors = sys.argv[5] if len(sys.argv) > 5 else "200"
    autosave_seconds = sys.argv[6] if len(sys.argv) > 6 else "60"
    base = f"http://127.0.0.1:{port}"
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(data_dir) for f in files)
    print(f"database {data_dir}: {size / 1e6:.0f} MB on disk; {os.cpu_count()} cores")

    try:
        urllib.request.urlopen(base + "/login", timeout=2)
        sys.exit(f"something already answers on {base}; stop it first")
    except OSError:
        pass
    dropped = drop_page_cache()
    env = dict(os.environ, XINGSHEN_DB=f"surrealkv://{os.path.abspath(data_dir)}", RUST_LOG="warn")
    started = time.perf_counter()
    server = subprocess.Popen([binary, "serve", "--addr", f"127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL)
    try:
        while True:
            if server.poll() is not None:
                sys.exit(f"the server stopped with {server.returncode}")
            try:
                with urllib.request.urlopen(base + "/login", timeout=5) as reply:
                    if reply.status == 200 and "登录" in reply.read().decode():
                        break
            except OSError:
                time.sleep(0.01)
        cold = time.perf_counter() - started
        print(f"cold start ({'page cache dropped' if dropped else 'page cache NOT dropped'}): "
              f"{cold * 1000:.0f} ms to the first login page served")
        time.sleep(10)
        print(f"idle RSS after 10 s: {status_field(server.pid, 'VmRSS'):.0f} MB")
        sys.stdout.flush()

        subprocess.run([sys.executable, os.path.join(HERE, "ssr.py"), base, ssr_seconds, "50"], check=True)
        print(f"RSS after the SSR load: {status_field(server.pid, 'VmRSS'):.0f} MB (peak {status_field(server.pid, 'VmHWM'):.0f} MB)")
        sys.stdout.flush()
        subprocess.run([sys.executable, os.path.join(HERE, "autosave.py"), base, data_dir, editors, autosave_seconds], check=True)
        print(f"RSS after the autosave load: {status_field(server.pid, 'VmRSS'):.0f} MB (peak {status_field(server.pid, 'VmHWM'):.0f} MB)")
        time.sleep(10)
        print(f"RSS 10 s later: {status_field(server.pid, 'VmRSS'):.0f} MB")
    finally:
        # SIGTERM: the server finishes its requests and closes the database, so the next
        # start reads tables instead of replaying the log (Store::close).
        stopping = time.perf_counter()
        server.terminate()
        code = server.wait(timeout=300)
        print(f"SIGTERM to exit: {(time.perf_counter() - stopping) * 1000:.0f} ms, exit code {code}")


if __name__ == "__main__":
    main()
