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
    secretary = ssr.login(base, "u000000")
    _, branches = ssr.call(base, secretary, "my_branch_sessions", {})
    session = branches[0]["sessions"][0]["id"]
    member, material = None, None
    for index in range(1, 5000):
        candidate = ssr.login(base, f"u{index:06d}")
        _, meetings = ssr.call(base, candidate, "my_materials", {})
        found = [m["material"]["id"] for m in meetings if m.get("material")]
        if found:
            member, material = candidate, found[0]
            break
    cases = [
        ("login page (no database)", "GET", "/login", None),
        ("`current_user` (session + account)", "POST", "/api/current_user", member),
        ("editor page", "GET", f"/materials/{material}", member),
        ("secretary dashboard", "GET", f"/sessions/{session}", secretary),
    ]
    cores = os.cpu_count()
    print(f"| request | CPU per request | ceiling on {cores} cores |")
    print("|---|---|---|")
    for name, method, path, cookie in cases:
        ms = measure(base, pid, method, path, cookie, count)
        print(f"| {name} | {ms:.2f} ms | {cores * 1000 / ms:,.0f} req/s |")


if __name__ == "__main__":
    main()
