#!/usr/bin/env python3
"""Server-side rendering under load: the editor page (a plain member's material, a draft and a
handed-in one) and the secretary dashboard (a session's overview), each with wrk at 50 connections, logged in like a browser.
Each page is fetched once first and checked to be the real page, not a login page or an
error, so the figures are of the work a user waits for.

usage: benches/ssr.py BASE_URL [seconds=20] [connections=50]

The server must run on synthetic data (`xingshen seed --members …`): u000000 is the first
branch's secretary, and members follow the secretaries.
"""

import http.client
import json
import re
import subprocess
import sys
import time
import urllib.parse

PASSWORD = "xingshen-demo"


def call(base, cookie, function, fields):
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    connection.request("POST", f"/api/{function}", body=urllib.parse.urlencode(fields), headers=headers)
    reply = connection.getresponse()
    text = reply.read().decode()
    if reply.status != 200:
        raise RuntimeError(f"{function}: {reply.status} {text}")
    for name, value in reply.getheaders():
        if name.lower() == "set-cookie" and value.startswith("xingshen_session="):
            cookie = value.split(";", 1)[0]
    return cookie, (json.loads(text) if text else None)


def login(base, who):
    while True:
        try:
            cookie, _ = call(base, None, "login", {"login": who, "password": PASSWORD})
            return cookie
        except RuntimeError as error:
            # The login throttle limits attempts per address.
            if '"Throttled"' not in str(error):
                raise
            time.sleep(json.loads(str(error).split(" ", 2)[2])["Throttled"]["seconds"])


def get(base, cookie, path):
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
    connection.request("GET", path, headers={"Cookie": cookie})
    reply = connection.getresponse()
    return reply.status, reply.read().decode()


def wrk(base, path, cookie, seconds, connections):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency", "-H", f"Cookie: {cookie}", base + path]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)\s*$", out, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return rate, latency, (non_2xx.group(1) if non_2xx else "0"), (errors.group(1) if errors else "none"), out


EDITABLE = {"draft", "returned", "spoken"}


def subjects(base):
    """The requests measured, as (name, method, path, cookie, text the page must hold): the
    login page, the lookup every logged-in request makes, a plain member's editor page in
    both of its shapes — a draft opens on the step being written, a handed-in material on
    the check step with its 雷同 check against the session's colleagues — and the
    dashboard of the first branch's session, as its secretary sees it."""
    secretary = login(base, "u000000")
    _, branches = call(base, secretary, "my_branch_sessions", {})
    session = branches[0]["sessions"][0]["id"]
    # Plain members (who run no branch) follow the secretaries, one per branch: find the
    # first index past them by doubling, then the first members with a draft and with a
    # handed-in material.
    def runs_a_branch(cookie):
        return bool(call(base, cookie, "my_branch_sessions", {})[1])

    first = 1
    while runs_a_branch(login(base, f"u{first:06d}")):
        first *= 2
    member, draft, handed_in = {}, None, None
    for index in range(first, first + 5000):
        candidate = login(base, f"u{index:06d}")
        if runs_a_branch(candidate):
            continue
        _, meetings = call(base, candidate, "my_materials", {})
        for entry in meetings:
            material = entry.get("material")
            if not material:
                continue
            if material["state"] in EDITABLE and draft is None:
                draft, member["draft"] = material["id"], candidate
            elif material["state"] not in EDITABLE and handed_in is None:
                handed_in, member["handed_in"] = material["id"], candidate
        if draft and handed_in:
            break
    return [
        ("login page (no database)", "GET", "/login", None, "登录"),
        ("`current_user` (session + account)", "POST", "/api/current_user", member["draft"], None),
        ("editor page, a draft", "GET", f"/materials/{draft}", member["draft"], "问题"),
        ("editor page, handed in (check step, 雷同 check)", "GET", f"/materials/{handed_in}", member["handed_in"], "雷同"),
        ("secretary dashboard", "GET", f"/sessions/{session}", secretary, "提交"),
    ]


def main():
    base = sys.argv[1].rstrip("/")
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    connections = int(sys.argv[3]) if len(sys.argv) > 3 else 50

    # The logged-in pages.
    pages = [(name, path, cookie, expected) for name, method, path, cookie, expected in subjects(base) if method == "GET" and cookie]
    print(f"| page | requests/s | p50 | p90 | p99 | non-2xx | socket errors |")
    print(f"|---|---|---|---|---|---|---|")
    for name, path, cookie, expected in pages:
        status, body = get(base, cookie, path)
        if status != 200 or expected not in body or "登录" in body.split("<title>")[1].split("</title>")[0]:
            sys.exit(f"{name} {path} is not the real page: {status} {body[:300]}")
        rate, latency, non_2xx, errors, _ = wrk(base, path, cookie, seconds, connections)
        print(f"| {name} (`{path}`, {len(body.encode()):,} B) | {rate:,.0f} | {latency.get('50')} | {latency.get('90')} | {latency.get('99')} | {non_2xx} | {errors} |")


if __name__ == "__main__":
    main()
