#!/usr/bin/env python3
"""CPU time the server spends per request, for the pages of benches/ssr.py and the cheapest
requests under them: a page with no database work (the login page) and the lookup every
logged-in request makes (`current_user`: the session and the account). Requests go one at a
time; the server's user + system time is read from /proc before and after, so the figure is
the work of the request itself, whatever else the machine does. 2 cores divided by it is the
most requests per second the server can answer.

usage: benches/cpu.py BASE_URL SERVER_PID [requests=200]
"""

import http.client
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ssr  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(base, pid, method, path, cookie, count):
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    if method == "POST":
        headers.update({"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"})
    for _ in range(5):  # warm up
        connection.request(method, path, body="" if method == "POST" else None, headers=headers)
        connection.getresponse().read()
    before = cpu_seconds(pid)
    for _ in range(count):
        connection.request(method, path, body="" if method == "POST" else None, headers=headers)
        reply = connection.getresponse()
        reply.read()
        if reply.status != 200:
            sys.exit(f"{path}: {reply.status}")
    return (cpu_seconds(pid) - before) / count * 1000


def main():
    base, pid = sys.argv[1].rstrip("/"), int(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    cases = [(name, method, path, cookie) for name, method, path, cookie, _ in ssr.subjects(base)]
    cores = os.cpu_count()
    print(f"| request | CPU per request | ceiling on {cores} cores |")
    print("|---|---|---|")
    for name, method, path, cookie in cases:
        ms = measure(base, pid, method, path, cookie, count)
        print(f"| {name} | {ms:.2f} ms | {cores * 1000 / ms:,.0f} req/s |")


if __name__ == "__main__":
    main()
