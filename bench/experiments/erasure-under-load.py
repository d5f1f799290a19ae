#!/usr/bin/env python3
"""Ingestion latency while a large erasure runs (issue 16, item 1): embedded mode, one Pulse process.

Usage: bench/experiments/erasure-under-load.py [EVENTS=100000] [RATE=2000] [SECONDS=40]

Builds nothing: runs src/Pulse.Api/bin/Release/net10.0/Pulse.Api.dll (dotnet build -c Release first) on a fresh
SQLite file, stores EVENTS CRM events for each of two users, then runs bench/wrk/crm_event.lua paced at RATE req/s
for SECONDS twice: a control run, and a run during which the first user is erased (DELETE answered 202 after
SECONDS/4, polled until completed). Prints wrk's latency percentiles for both runs, the slowest wall-clock seconds
and the erasure's duration. Stops the Pulse it started, by PID, whatever happens.
"""
import json, os, signal, socket, subprocess, sys, tempfile, threading, time, urllib.request

repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
events = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
rate = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 40


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
base = f"http://127.0.0.1:{port}"


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def wrk(label):
    env = dict(os.environ, BENCH_WRK_DIR=os.path.join(repo, "bench/wrk"), BENCH_RATE=str(rate), BENCH_THREADS="2")
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "-s", os.path.join(repo, "bench/wrk/crm_event.lua"), base],
                         env=env, capture_output=True, text=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("BENCH_JSON"))
    result = json.loads(line.split(" ", 1)[1])
    lat = result["latency_us"]
    counts = result["per_second"]["counts"][1:-1]  # the first and last seconds are partial
    print(f"{label}: {result['requests']} requests, {result['check']['bad']} bad, "
          f"p50 {lat['50']/1000:.1f} ms, p99 {lat['99']/1000:.1f} ms, p99.9 {lat['99.9']/1000:.1f} ms, "
          f"max {lat['max']/1000:.1f} ms; fewest completions in a second: {sorted(counts)[:3]}")
    return result


directory = tempfile.mkdtemp(prefix="pulse-erasure-bench-")
pulse = subprocess.Popen(["dotnet", os.path.join(repo, "src/Pulse.Api/bin/Release/net10.0/Pulse.Api.dll"), "--urls", base,
                          f"--ConnectionStrings:Sqlite=Data Source={directory}/pulse.db"],
                         cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(600):
        try:
            if call("GET", "/health/ready")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.1)
    call("POST", "/api/v1/events/campaign", {"name": "benchmark-campaign", "properties": [{"key": "action", "value": "test"}, {"key": "timestamp", "value": "x"}, {"key": "value", "value": "0"}]})
    for user in [f"test-user-{i}" for i in range(1, 6)] + ["erased-a", "erased-b"]:
        call("POST", "/api/v1/users", {"externalId": user, "userAttributes": json.dumps({"email": user + "@example.com"})})
    started = time.time()
    for user in ["erased-a", "erased-b"]:
        for i in range(0, events, 1000):
            batch = [{"name": "history", "externalId": user, "properties": [{"key": "i", "value": str(i + j)}, {"key": "k", "value": "v"}]} for j in range(min(1000, events - i))]
            status, _ = call("POST", "/api/v1/events/batch", batch)
            assert status == 200, status
    print(f"stored {2 * events} events in {time.time() - started:.1f} s")

    wrk("control (no erasure)")

    erasure = {}

    def erase():
        time.sleep(seconds / 4)
        began = time.time()
        status, body = call("DELETE", "/api/v1/users/erased-a")
        erasure["status"] = status
        erasure_id = body["data"]["id"]
        while True:
            _, record = call("GET", f"/api/v1/erasures/{erasure_id}")
            if record["data"]["status"] == "completed":
                erasure["seconds"] = time.time() - began
                erasure["removed"] = record["data"]["removed"]
                return
            time.sleep(0.2)

    thread = threading.Thread(target=erase)
    thread.start()
    wrk("during the erasure")
    thread.join()
    print(f"erasure answered {erasure['status']}, completed in {erasure['seconds']:.1f} s: "
          f"{erasure['removed']['events']} events, {erasure['removed']['eventProperties']} properties")
finally:
    pulse.send_signal(signal.SIGTERM)
    try:
        pulse.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pulse.kill()
    subprocess.run(["rm", "-rf", directory])
