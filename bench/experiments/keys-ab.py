#!/usr/bin/env python3
"""Fine-grained A/B of API keys' cost (issue 13): two embedded Pulse processes (open, with a key) from one build,
10 s wrk bursts alternating between them (A B, B A, ...), so slow changes of the machine's load hit both alike. Per
burst: req/s and the Pulse process's CPU per request (/proc/<pid>/stat utime + stime over the requests wrk sent).
Prints medians per variant. Needs a build (bench/run.sh makes it in bench/results/tmp/build).

    python3 bench/experiments/keys-ab.py tracked_click.lua 6 10                        # (c): 6 bursts each, 10 s
    BENCH_EXPECT_STATUS=201 python3 bench/experiments/keys-ab.py crm_event.lua 8 10    # (b)
"""
import json, os, re, secrets, shutil, statistics, subprocess, sys, time, urllib.request

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(BENCH, "results/tmp/build/pulse/Pulse.Api")
WRK_DIR = os.path.join(BENCH, "wrk")
script, bursts, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
# BENCH_AB=metrics compares Metrics:Enabled=false ("open" column) with the default (metrics on, "keys" column, no key)
# instead; BENCH_AB_BUILD names another Pulse.Api apphost.
AB = os.environ.get("BENCH_AB", "keys")
BUILD = os.environ.get("BENCH_AB_BUILD", BUILD)
work = os.path.join(BENCH, "results/tmp/keys-ab-" + script.split(".")[0])
shutil.rmtree(work, ignore_errors=True); os.makedirs(work)
boot = secrets.token_urlsafe(36)
procs = {}

def start(name, port, keys):
    env = dict(os.environ, ConnectionStrings__Sqlite=f"Data Source={work}/{name}.db", Logging__LogLevel__Default="Warning",
               ASPNETCORE_ENVIRONMENT="Production")
    if keys and AB == "keys":
        env["Auth__BootstrapAdminKey"] = boot
    if not keys and AB == "metrics":
        env["Metrics__Enabled"] = "false"
    p = subprocess.Popen([BUILD, "--urls", f"http://127.0.0.1:{port}"], env=env, stdout=open(f"{work}/{name}.log", "w"), stderr=subprocess.STDOUT)
    procs[name] = p
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2).read(); break
        except Exception:
            time.sleep(0.1)
    return p

def call(port, path, body, key=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {})})
    return json.loads(urllib.request.urlopen(req).read() or b"{}")

def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

try:
    start("open", 18601, False); start("keys", 18602, True)
    key = call(18602, "/api/v1/keys", {"name": "ab", "scopes": ["ingest"]}, boot)["data"]["key"] if AB == "keys" else ""
    for port, k in ((18601, None), (18602, boot if AB == "keys" else None)):   # the CRM event's users and campaign (b)
        for i in range(1, 6):
            call(port, "/api/v1/users", {"externalId": f"test-user-{i}", "userAttributes": "{\"email\":\"t@example.com\"}"}, k)
        call(port, "/api/v1/events/campaign", {"name": "benchmark-campaign", "properties": [{"key": "action", "value": "test"}, {"key": "timestamp", "value": "x"}, {"key": "value", "value": "1"}]}, k)
    variants = {"open": (18601, {}), "keys": (18602, {"BENCH_INGEST_KEY": key} if key else {})}
    res = {"open": [], "keys": []}
    order = ["open", "keys"]
    for b in range(-1, bursts):
        for name in (order if b % 2 == 0 else order[::-1]):
            port, env = variants[name]
            c0 = cpu(procs[name].pid)
            out = subprocess.run(["wrk", "-t1", "-c64", f"-d{secs if b >= 0 else 5}s", "-s", f"{WRK_DIR}/{script}", f"http://127.0.0.1:{port}"],
                                 env=dict(os.environ, BENCH_WRK_DIR=WRK_DIR, **env), capture_output=True, text=True).stdout
            c1 = cpu(procs[name].pid)
            m = json.loads(re.search(r"BENCH_JSON (\{.*\})", out).group(1))
            ok = m["check"]["ok"]; rps = ok / (m["duration_us"] / 1e6); m["bad"] = m["check"]["bad"]
            if b >= 0:   # burst -1 warms both up
                res[name].append((rps, (c1 - c0) * 1e6 / max(1, m.get("requests", ok)), m.get("bad", 0)))
            print(f"burst {b} {name}: {rps:,.0f} req/s, {(c1 - c0) * 1e6 / max(1, m.get('requests', ok)):.1f} us CPU/req, bad {m.get('bad')}, load {os.getloadavg()[0]:.1f}", flush=True)
    for name in res:
        print(f"{name}: median {statistics.median(r[0] for r in res[name]):,.0f} req/s, median {statistics.median(r[1] for r in res[name]):.1f} us CPU/req over {len(res[name])} bursts")
finally:
    for p in procs.values():
        p.terminate(); p.wait(30)
