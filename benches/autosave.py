#!/usr/bin/env python3
"""Autosave under load: N simulated editors, each typing and autosaving like the editor does
(a save 1.5 s after the previous one was answered, the editor's PAUSE_MS), for a fixed time.
Reports the save latency p50/p99/max next to the disk's bare fsync latency measured in the
same run, then checks that nothing acknowledged was lost: every material's version moved by
exactly its acknowledged saves, and its title is the last acknowledged text.

usage: benches/autosave.py BASE_URL DATA_DIR [editors=200] [seconds=60]

The server must run on synthetic data (`xingshen seed --members …`), whose members u000000…
share the password below; DATA_DIR is the directory of its SurrealKV database, where the
fsync probe writes its scratch file (same disk, same file system).
"""

import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse
import uuid

PASSWORD = "xingshen-demo"
PAUSE = 1.5


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


class Browser:
    """One person's connection and session cookie."""

    def __init__(self, base, number):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port or 80
        # On loopback each person gets an address of their own (127.0.x.y), as people on
        # their own machines have, so the per-address login throttle sees 200 people, not one.
        self.source = (f"127.0.{1 + number // 250}.{1 + number % 250}", 0) if self.host == "127.0.0.1" else None
        self.connection = self.connect()
        self.cookie = None

    def connect(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=60, source_address=self.source)

    def request(self, path, body, content_type):
        headers = {"Content-Type": content_type, "Accept": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        for attempt in range(2):
            try:
                self.connection.request("POST", path, body=body, headers=headers)
                reply = self.connection.getresponse()
                data = reply.read()
                break
            except (http.client.HTTPException, ConnectionError):
                if attempt:
                    raise
                self.connection.close()
                self.connection = self.connect()
        for name, value in reply.getheaders():
            if name.lower() == "set-cookie" and value.startswith("xingshen_session="):
                self.cookie = value.split(";", 1)[0]
        return reply.status, data.decode()

    def call(self, function, fields):
        body = urllib.parse.urlencode(fields)
        status, text = self.request(f"/api/{function}", body, "application/x-www-form-urlencoded")
        while status != 200 and '"Throttled"' in text:
            # The login throttle limits attempts per address (when not on loopback, all
            # editors share one).
            time.sleep(json.loads(text)["Throttled"]["seconds"])
            status, text = self.request(f"/api/{function}", body, "application/x-www-form-urlencoded")
        if status != 200:
            raise RuntimeError(f"{function}: {status} {text}")
        return json.loads(text) if text else None

    def save(self, material, base, request, title):
        boundary = "----autosave-bench"
        fields = {
            "material_id": material,
            "base_version": str(base),
            "request_id": request,
            "step": "opening",
            "js": "1",
            "title": title,
        }
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()
        ]
        body = ("".join(parts) + f"--{boundary}--\r\n").encode()
        return self.request("/api/save_material_step", body, f"multipart/form-data; boundary={boundary}")


def fsync_latencies(directory, count=300):
    """The bare cost of making a small append durable on this disk."""
    path = os.path.join(directory, f"fsync-probe-{os.getpid()}")
    times = []
    with open(path, "ab") as file:
        for index in range(count):
            file.write(b"x" * 512)
            file.flush()
            started = time.perf_counter()
            os.fsync(file.fileno())
            times.append((time.perf_counter() - started) * 1000)
    os.remove(path)
    return times


def main():
    base, data_dir = sys.argv[1], sys.argv[2]
    editors = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 60

    # Members start at the first login after the secretaries; any member will do.
    people = []
    index = 0
    while len(people) < editors:
        browser = Browser(base, index)
        login = f"u{index:06d}"
        index += 1
        browser.call("login", {"login": login, "password": PASSWORD})
        material, view = None, None
        for meeting in browser.call("my_materials", {}):
            existing = (meeting.get("material") or {}).get("id")
            try:
                candidate = existing or browser.call("start_material", {"meeting_id": meeting["meeting_id"]})
                opened = browser.call("material_editor", {"material_id": candidate})
            except RuntimeError:
                continue  # a meeting no longer taking materials
            if opened["state"] in ("draft", "returned"):
                material, view = candidate, opened
                break
        if material is None:
            continue
        people.append({"browser": browser, "material": material, "version": view["version"], "start": view["version"], "acked": 0, "last": None, "login": login})

    before = fsync_latencies(data_dir)
    latencies, failures, conflicts = [], [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def edit(person):
        number = 0
        while time.monotonic() < deadline:
            number += 1
            title = f"{person['login']} 第{number}次自动保存 {uuid.uuid4().hex[:8]}"
            started = time.perf_counter()
            status, text = person["browser"].save(person["material"], person["version"], uuid.uuid4().hex, title)
            took = (time.perf_counter() - started) * 1000
            with lock:
                if status == 200:
                    latencies.append(took)
                    person["version"] = json.loads(text)["version"]
                    person["acked"] += 1
                    person["last"] = title
                elif "已完整另存" in text:
                    conflicts.append(person["login"])
                else:
                    failures.append(f"{status} {text[:200]}")
            time.sleep(PAUSE)

    threads = [threading.Thread(target=edit, args=(person,)) for person in people]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    after = fsync_latencies(data_dir)

    lost = 0
    for person in people:
        view = person["browser"].call("material_editor", {"material_id": person["material"]})
        if view["version"] != person["start"] + person["acked"] or (person["last"] and view["content"]["title"] != person["last"]):
            lost += 1
            print(f"LOST: {person['login']} version {view['version']} expected {person['start'] + person['acked']}", file=sys.stderr)

    fsync = before + after
    print(f"editors {len(people)}, {elapsed:.0f} s, {len(latencies)} saves acknowledged ({len(latencies) / elapsed:.0f}/s), "
          f"{len(failures)} failed, {len(conflicts)} conflicts, {lost} materials with a lost save")
    print(f"save latency ms: p50 {percentile(latencies, 0.5):.1f}  p99 {percentile(latencies, 0.99):.1f}  max {max(latencies):.1f}")
    print(f"bare fsync ms (512 B append, {len(fsync)} probes): p50 {statistics.median(fsync):.2f}  p99 {percentile(fsync, 0.99):.2f}")
    print(f"save p99 / fsync p99 = {percentile(latencies, 0.99) / percentile(fsync, 0.99):.1f}x")
    for failure in failures[:5]:
        print("failure:", failure, file=sys.stderr)
    sys.exit(1 if failures or lost else 0)


if __name__ == "__main__":
    main()
