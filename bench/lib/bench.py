#!/usr/bin/env python3
"""bench/lib/bench.py — the benchmark orchestrator behind bench/run.sh (standard library only).

bench/run.sh builds the apps, starts PostgreSQL and Redis (scripts/infra.sh) and then runs this with:
    --pulse PATH       the published Pulse.Api apphost          --baseline PATH  the published baseline apphost
    --work DIR         scratch dir for logs and raw tool output  --results DIR    where <timestamp>.md goes
    --quick / --long   durations (see DURATIONS)                 --only a,b,...   a subset of the scenarios
and the environment of scripts/infra.sh (PULSE_TEST_POSTGRES, PULSE_TEST_REDIS, PULSE_TEST_PG_BINDIR).

Every process it starts is recorded and stopped by PID (SIGTERM, then SIGKILL) on exit, error or signal.
"""
import argparse
import datetime
import http.client
import json
import math
import os
import platform
import random
import re
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hiccup  # noqa: E402
import parse  # noqa: E402

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WRK_DIR = os.path.join(BENCH_DIR, "wrk")
LOCUST_DIR = os.path.join(BENCH_DIR, "locust")
LOCUST = "/usr/bin/locust"   # Debian's python3-locust runs on /usr/bin/python3, not on a pyenv python3
ALL_SCENARIOS = "abcdefghi"

# Scenario knobs per mode. Durations in seconds.
DURATIONS = {
    "full": dict(a=30, b=30, c=30, d=30, e=120, f=120, g=30, h=300, h_warmup=60, warmup=10,
                 e_users=500, e_rate=10, f_users=200, f_rate=20, search_events=1_000_000, copy_events=500_000,
                 starts=5, posts=1000),
    "quick": dict(a=5, b=5, c=5, d=5, e=10, f=10, g=5, h=20, h_warmup=8, warmup=2,
                  e_users=100, e_rate=50, f_users=50, f_rate=25, search_events=50_000, copy_events=100_000,
                  starts=5, posts=1000),
}
DURATIONS["long"] = dict(DURATIONS["full"], e=300, f=300, h=900, h_warmup=120)

# Scenario (g)'s stated loads: searches per second at which the latency targets are judged.
G_EQ_RATE = 1000
G_THREE_RATE = 100

KEYWORDS = ["고양이", "강아지", "여행", "맛집", "일상", "운동", "독서", "음악", "코딩", "스터디"]
CRM_USERS = [f"test-user-{i}" for i in range(1, 6)]
SEARCH_USERS = [f"bench-user-{i}" for i in range(1, 101)]

# ----------------------------------------------------------------------------------------------- utilities

_started = []          # every Proc we started, stopped in reverse order by stop_all()
_log_lock = threading.Lock()


def log(msg):
    with _log_lock:
        print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port():
    import socket
    for _ in range(200):
        p = random.randint(22000, 29999)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", p))
                return p
            except OSError:
                continue
    raise RuntimeError("no free port")


class Proc:
    """A child process we own: started in its own session, stopped by its PID only."""

    def __init__(self, name, cmd, env=None, log_path=None, cwd=None):
        self.name = name
        self.log_path = log_path
        self.log_file = open(log_path, "ab") if log_path else subprocess.DEVNULL
        self.t_spawn = time.monotonic()
        self.popen = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=self.log_file,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.popen.pid
        _started.append(self)

    def alive(self):
        return self.popen.poll() is None

    def stop(self, timeout=30):
        """SIGTERM, wait, then SIGKILL; returns the seconds it took to exit after SIGTERM."""
        t0 = time.monotonic()
        if self.alive():
            try:
                self.popen.send_signal(signal.SIGTERM)
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                log(f"{self.name} (pid {self.pid}) did not exit {timeout} s after SIGTERM; SIGKILL")
                self.popen.kill()
                self.popen.wait(timeout=10)
        if self in _started:
            _started.remove(self)
        if self.log_file is not subprocess.DEVNULL:
            self.log_file.close()
        return time.monotonic() - t0


def stop_all():
    for p in reversed(list(_started)):
        try:
            p.stop(timeout=15)
        except Exception as exc:  # keep stopping the others
            log(f"stopping {p.name}: {exc}")


def read_status(pid):
    """VmRSS and VmHWM of a process in MB, or (None, None)."""
    rss = hwm = None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, hwm


def _stat_fields(pid):
    """The fields of /proc/PID/stat after the command name (index 0 = state, 1 = ppid, 11/12 = utime/stime,
    13/14 = cutime/cstime, in clock ticks), or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _clock_ticks(pid, fields):
    parts = _stat_fields(pid)
    return None if parts is None else sum(int(parts[i]) for i in fields)


class CpuShares:
    """Where the machine's CPU time goes during a measurement: the app under test, the PostgreSQL cluster (the
    postmaster, its live children, and through the postmaster's cutime/cstime the children that exited, such as
    autovacuum workers), Redis, the load generator (this process's reaped children: the load generator is the only
    child that exits inside a measurement) and what stayed idle. Cumulative CPU seconds; `cores` turns two
    snapshots into cores used."""

    def __init__(self):
        self.postmaster = self.redis = None

    def find_services(self):
        """bench/run.sh exports the PIDs scripts/infra.sh started: BENCH_PG_PID (the postmaster), BENCH_REDIS_PID."""
        def pid(name):
            value = os.environ.get(name, "")
            return int(value) if value.isdigit() and os.path.exists(f"/proc/{value}") else None
        self.postmaster, self.redis = pid("BENCH_PG_PID"), pid("BENCH_REDIS_PID")

    def _postgres(self):
        if self.postmaster is None:
            return None
        total = _clock_ticks(self.postmaster, (11, 12, 13, 14))   # with cutime/cstime: exited children
        if total is None:
            return None
        for entry in os.listdir("/proc"):
            parts = _stat_fields(entry) if entry.isdigit() else None
            if parts is not None and int(parts[1]) == self.postmaster:
                total += int(parts[11]) + int(parts[12])
        return total

    def snapshot(self, app_pid):
        tck = os.sysconf("SC_CLK_TCK")
        with open("/proc/stat") as f:
            cpu = f.readline().split()
        idle = int(cpu[4]) + int(cpu[5])   # idle + iowait
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        pg = self._postgres()
        redis = _clock_ticks(self.redis, (11, 12)) if self.redis else None
        app = _clock_ticks(app_pid, (11, 12))
        return {"app": None if app is None else app / tck,
                "postgres": None if pg is None else pg / tck,
                "redis": None if redis is None else redis / tck,
                "loadgen": children.ru_utime + children.ru_stime,
                "idle": idle / tck,
                "wall": time.monotonic()}

    @staticmethod
    def cores(before, after):
        wall = after["wall"] - before["wall"]
        return {k: (after[k] - before[k]) / wall if before[k] is not None and after[k] is not None and wall > 0 else None
                for k in ("app", "postgres", "redis", "loadgen", "idle")}


CPU_SHARES = CpuShares()


class RssSampler(threading.Thread):
    """Reads /proc/PID/status every second: (unix time, VmRSS MB, VmHWM MB), also appended to a CSV."""

    def __init__(self, pid, csv_path):
        super().__init__(daemon=True)
        self.pid = pid
        self.samples = []
        self.csv_path = csv_path
        self._stop_event = threading.Event()

    def run(self):
        with open(self.csv_path, "a") as f:
            f.write("unix_time,vm_rss_mb,vm_hwm_mb\n")
            while not self._stop_event.is_set():
                rss, hwm = read_status(self.pid)
                if rss is None:
                    break
                t = time.time()
                self.samples.append((t, rss, hwm))
                f.write(f"{t:.1f},{rss:.1f},{hwm:.1f}\n")
                f.flush()
                self._stop_event.wait(1.0)

    def stop(self):
        self._stop_event.set()

    def window(self, t0, t1):
        return [s for s in self.samples if t0 <= s[0] <= t1]

    def reset_peak(self):
        """Reset VmHWM (Linux >= 4.0: write 5 to clear_refs) so that it measures the next scenario only."""
        try:
            with open(f"/proc/{self.pid}/clear_refs", "w") as f:
                f.write("5")
            return True
        except OSError:
            return False


class Target:
    """A running HTTP app under test (Pulse or the baseline) with its RSS sampler."""

    def __init__(self, name, proc, url, sampler):
        self.name, self.proc, self.url, self.sampler = name, proc, url, sampler
        self.hostport = url.split("//", 1)[1]

    def measure(self, fn):
        """Run fn() while measuring peak RSS and CPU of the target; returns (fn's result, extras)."""
        reset = self.sampler.reset_peak()
        shares0, t0 = CPU_SHARES.snapshot(self.proc.pid), time.time()
        result = fn()
        shares, t1 = CpuShares.cores(shares0, CPU_SHARES.snapshot(self.proc.pid)), time.time()
        _, hwm = read_status(self.proc.pid)
        samples = self.sampler.window(t0, t1)
        peak = hwm if reset and hwm is not None else max((s[1] for s in samples), default=None)
        extras = {
            "peak_rss_mb": peak,
            "cpu_cores": shares["app"],
            "cpu_shares": shares,
            "t0": t0, "t1": t1,
        }
        return result, extras


# ----------------------------------------------------------------------------------------------- HTTP helpers


class Http:
    def __init__(self, hostport, timeout=60):
        self.hostport = hostport
        self.timeout = timeout
        self.conn = None

    def call(self, method, path, body=None):
        data = None
        headers = {}
        if body is not None:
            data = body if isinstance(body, (bytes, bytearray)) else json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self.conn is None:
                host, port = self.hostport.rsplit(":", 1)
                self.conn = http.client.HTTPConnection(host, int(port), timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.conn:
            self.conn.close()


def wait_ready(url, t_spawn, proc, timeout=60):
    """Poll GET /health/ready every 5 ms; returns ms from spawn to the first 200."""
    host, port = url.split("//", 1)[1].rsplit(":", 1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError(f"{proc.name} exited with {proc.popen.returncode} before it was ready (see {proc.log_path})")
        try:
            c = http.client.HTTPConnection(host, int(port), timeout=2)
            c.request("GET", "/health/ready")
            r = c.getresponse()
            r.read()
            c.close()
            if r.status == 200:
                return (time.monotonic() - t_spawn) * 1000
        except OSError:
            pass
        time.sleep(0.005)
    raise RuntimeError(f"{proc.name} not ready within {timeout} s (see {proc.log_path})")


# ----------------------------------------------------------------------------------------------- the run


class Bench:
    def __init__(self, args):
        self.args = args
        self.mode = "quick" if args.quick else ("long" if args.long else "full")
        self.d = dict(DURATIONS[self.mode])
        for key in self.d:          # e.g. BENCH_H=600 (soak seconds), BENCH_SEARCH_EVENTS=200000
            value = os.environ.get(f"BENCH_{key.upper()}")
            if value:
                self.d[key] = int(value)
        self.only = set(args.only.replace(",", "")) if args.only else set(ALL_SCENARIOS)
        bad = self.only - set(ALL_SCENARIOS)
        if bad:
            raise SystemExit(f"--only: unknown scenario(s) {','.join(sorted(bad))} (expected letters a..i)")
        self.work = args.work
        os.makedirs(self.work, exist_ok=True)
        self.results = {"meta": {}, "scenarios": [], "raw": {}}
        self.raw = self.results["raw"]
        self.pg = self._pg_settings()
        self.db = "pulse_bench"
        self.post_ids_file = None
        self.unavailable = {}
        self.hiccups = os.path.join(self.work, "hiccups.csv")
        CPU_SHARES.find_services()

    # ------------------------------------------------------------------ infrastructure

    def _pg_settings(self):
        cs = os.environ.get("PULSE_TEST_POSTGRES")
        if not cs:
            raise SystemExit("PULSE_TEST_POSTGRES is not set (bench/run.sh starts PostgreSQL through scripts/infra.sh)")
        kv = dict(part.split("=", 1) for part in cs.split(";") if "=" in part)
        kv = {k.strip().lower(): v.strip() for k, v in kv.items()}
        bindir = os.environ.get("PULSE_TEST_PG_BINDIR", "/usr/bin")
        psql = os.path.join(bindir, "psql")
        if not os.path.exists(psql):
            psql = "psql"
        return {"host": kv.get("host", "127.0.0.1"), "port": kv.get("port", "5432"),
                "user": kv.get("username", kv.get("user id", "postgres")), "psql": psql}

    def psql(self, sql=None, db=None, commands=None, capture=True, check=True):
        cmd = [self.pg["psql"], "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.pg["host"], "-p", self.pg["port"],
               "-U", self.pg["user"], "-d", db or self.db, "-At"]
        for c in (commands or [sql]):
            cmd += ["-c", c]
        r = subprocess.run(cmd, capture_output=capture, text=True)
        if check and r.returncode != 0:
            raise RuntimeError(f"psql failed: {r.stderr.strip()[:500]}")
        return r.stdout.strip() if capture else ""

    def pulse_env(self):
        env = dict(os.environ)
        env.update({
            "ConnectionStrings__Postgres": f"Host={self.pg['host']};Port={self.pg['port']};Username={self.pg['user']};Database={self.db}",
            "ConnectionStrings__Redis": os.environ["PULSE_TEST_REDIS"],
            "Logging__LogLevel__Default": "Warning",
            "Logging__LogLevel__Microsoft.Hosting.Lifetime": "Warning",
            "ASPNETCORE_ENVIRONMENT": "Production",
            "DOTNET_NOLOGO": "1",
        })
        return env

    def baseline_env(self):
        env = dict(os.environ)
        env.update({"Logging__LogLevel__Default": "Warning", "ASPNETCORE_ENVIRONMENT": "Production"})
        return env

    def start_app(self, which, sample=True):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        exe = self.args.pulse if which == "pulse" else self.args.baseline
        env = self.pulse_env() if which == "pulse" else self.baseline_env()
        proc = Proc(which, [exe, "--urls", url], env=env, log_path=os.path.join(self.work, f"{which}.log"),
                    cwd=os.path.dirname(exe))
        ms = wait_ready(url, proc.t_spawn, proc)
        sampler = None
        if sample:
            sampler = RssSampler(proc.pid, os.path.join(self.work, f"rss-{which}.csv"))
            sampler.start()
        return Target(which, proc, url, sampler), ms

    def stop_app(self, target):
        if target.sampler:
            target.sampler.stop()
        secs = target.proc.stop()
        code = target.proc.popen.returncode
        return secs, code

    # ------------------------------------------------------------------ load generators

    def run_wrk(self, target, script, label, duration, connections, threads=2, env=None, timeout="5s", warmup=None):
        """wrk against target. First an unmeasured warm-up of the same load (default: the mode's `warmup`
        seconds), so .NET's tiered JIT has recompiled the hot paths and the measurement is of steady state;
        the baseline app gets the same."""
        out_path = os.path.join(self.work, f"{label}.wrk.txt")
        e = dict(os.environ)
        e.update({"BENCH_WRK_DIR": WRK_DIR})
        e.update(env or {})
        warmup = self.d["warmup"] if warmup is None else warmup
        if warmup > 0:
            warm_cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{warmup}s", "--timeout", timeout,
                        "-s", os.path.join(WRK_DIR, script), target.url]
            with open(os.path.join(self.work, f"{label}.warmup.wrk.txt"), "w") as f:
                r = subprocess.run(warm_cmd, env=e, stdout=f, stderr=subprocess.STDOUT, timeout=warmup + 120)
            if r.returncode != 0:
                raise RuntimeError(f"wrk warm-up for {label} exited {r.returncode}")
            time.sleep(1)   # let the queues settle
        cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", timeout,
               "-s", os.path.join(WRK_DIR, script), target.url]
        log(f"  wrk {label}: -t{threads} -c{connections} -d{duration}s {script} "
            + " ".join(f"{k}={v}" for k, v in (env or {}).items()))

        def go():
            with open(out_path, "w") as f:
                r = subprocess.run(cmd, env=e, stdout=f, stderr=subprocess.STDOUT, timeout=duration + 120)
            with open(out_path) as f:
                text = f.read()
            if r.returncode != 0:
                raise RuntimeError(f"wrk exited {r.returncode}: {text[-500:]}")
            return parse.parse_wrk(text)

        m, extras = target.measure(go)
        m.update(extras)
        m["label"] = label
        self.add_hiccups(m)
        self.raw[label] = {k: v for k, v in m.items() if k != "per_second"}
        log(f"    {m['rps']:,.0f} req/s  mean {m['mean']:.2f} ms  p95 {m['p95']:.2f}  p99 {m['p99']:.2f}  "
            f"errors {m['errors']}  peak RSS {m['peak_rss_mb'] or 0:.0f} MB")
        if m["first_bad"]:
            log(f"    first bad response: {m['first_bad'][:200]}")
        return m

    def run_locust(self, target, locustfile, label, users, rate, duration, env=None):
        prefix = os.path.join(self.work, label)
        e = dict(os.environ)
        e.update(env or {})
        e.pop("PYTHONPATH", None)
        e.pop("PYTHONHOME", None)
        cmd = [LOCUST, "-f", os.path.join(LOCUST_DIR, locustfile), "--headless", "-u", str(users), "-r", str(rate),
               "-t", f"{duration}s", "--host", target.url, "--csv", prefix, "--only-summary", "--loglevel", "WARNING",
               "--stop-timeout", "5"]
        log(f"  locust {label}: -u {users} -r {rate} -t {duration}s {locustfile}")

        def go():
            with open(prefix + ".locust.txt", "w") as f:
                r = subprocess.run(cmd, env=e, stdout=f, stderr=subprocess.STDOUT, timeout=duration + 180)
            if not os.path.exists(prefix + "_stats.csv"):
                with open(prefix + ".locust.txt") as f:
                    raise RuntimeError(f"locust exited {r.returncode} without stats: {f.read()[-800:]}")
            return parse.parse_locust(prefix)

        m, extras = target.measure(go)
        m.update(extras)
        m["label"] = label
        self.add_hiccups(m)
        self.raw[label] = {k: v for k, v in m.items() if k != "per_second"}
        log(f"    {m['rps']:,.0f} req/s  mean {fmt(m['mean'])} ms  p95 {fmt(m['p95'])}  p99 {fmt(m['p99'])}  errors {m['errors']}")
        if m["first_bad"]:
            log(f"    first failure: {m['first_bad'][:200]}")
        return m

    def add_hiccups(self, m):
        """The machine's worst scheduling delay and I/O stall during the measurement (see hiccup.py)."""
        seconds = hiccup.read(self.hiccups, m["t0"], m["t1"])
        if seconds:
            late = [v[0] for v in seconds.values()]
            m["hiccup_max_ms"] = max(late)
            m["hiccup_seconds_over_50ms"] = sum(1 for v in late if v >= 50)
            io = [v[1] for v in seconds.values() if v[1] is not None]
            if io:
                m["io_stall_max_ms"] = max(io)
                m["io_stall_seconds_over_100ms"] = sum(1 for v in io if v >= 100)

    # ------------------------------------------------------------------ seeding

    def setup_crm(self, target):
        """The k6 setup(): users test-user-1..5, campaign benchmark-campaign (keys action,timestamp,value), plus
        the search data set's users bench-user-1..100. 409 (already there) counts as done."""
        h = Http(target.hostport)
        try:
            for ext in CRM_USERS + SEARCH_USERS:
                st, body = h.call("POST", "/api/v1/users",
                                  {"externalId": ext, "userAttributes": json.dumps({"email": f"{ext}@example.com"})})
                if st not in (200, 201, 409):
                    raise RuntimeError(f"POST /api/v1/users {ext}: {st} {body[:200]!r}")
            st, body = h.call("POST", "/api/v1/events/campaign", {
                "name": "benchmark-campaign",
                "properties": [{"key": "action", "value": "test"}, {"key": "timestamp", "value": "now"},
                               {"key": "value", "value": "0"}]})
            if st not in (200, 201, 409):
                raise RuntimeError(f"POST /api/v1/events/campaign: {st} {body[:200]!r}")
        finally:
            h.close()

    def probe(self, target, method, path, body, ok_statuses):
        """None when the endpoint answers as expected; otherwise why it is unavailable (e.g. '404')."""
        h = Http(target.hostport)
        try:
            st, resp = h.call(method, path, body)
        finally:
            h.close()
        if st in ok_statuses:
            return None
        return f"{method} {path} answered {st}: {resp[:200].decode(errors='replace')}"

    def probe_tracked(self, target):
        return self.probe(target, "POST", "/api/events",
                          {"eventType": "CLICK", "userId": 1, "sessionId": f"session-{uuid.uuid4()}",
                           "metadata": {"componentId": 1002, "elementId": "element-1"}}, (201,))

    def seed_posts(self, target):
        """1,000 posts with 1-4 of the ten hashtags; writes their ids to a file for the Locust mix."""
        rnd = random.Random(4)
        h = Http(target.hostport)
        ids = []
        try:
            for i in range(self.d["posts"]):
                tags = rnd.sample(KEYWORDS, rnd.randint(1, 4))
                st, body = h.call("POST", "/api/posts", {"userId": rnd.randint(1, 100),
                                                         "content": f"benchmark post {i} " + " ".join("#" + t for t in tags),
                                                         "hashtags": tags})
                if st != 201:
                    raise RuntimeError(f"POST /api/posts answered {st}: {body[:200]!r}")
                j = json.loads(body)
                pid = j.get("postId") or j.get("id") or (j.get("data") or {}).get("postId")
                if pid is not None:
                    ids.append(int(pid))
        finally:
            h.close()
        path = os.path.join(self.work, f"post-ids-{target.name}.txt")
        with open(path, "w") as f:
            f.write("\n".join(str(i) for i in (ids or range(1, self.d["posts"] + 1))) + "\n")
        return path

    def search_event_json(self, i, rnd):
        user = SEARCH_USERS[i % len(SEARCH_USERS)]
        return ('{"name":"purchase","externalId":"%s","properties":[{"key":"orderId","value":"ord-%d"},'
                '{"key":"category","value":"cat-%d"},{"key":"price","value":"%d"},{"key":"sku","value":"sku-%05d"}]}'
                % (user, i, i % 20, rnd.randint(0, 999), rnd.randint(0, 99999)))

    def seed_search_api(self, target, n, batch=1000, workers=4):
        """n "purchase" events through POST /api/v1/events/batch, `workers` concurrent connections."""
        next_start = [1]
        lock = threading.Lock()
        errors = []
        saved = [0]

        def worker(wid):
            rnd = random.Random(wid)
            h = Http(target.hostport, timeout=300)
            try:
                while not errors:
                    with lock:
                        start = next_start[0]
                        if start > n:
                            return
                        next_start[0] = start + batch
                    end = min(start + batch, n + 1)
                    body = ("[" + ",".join(self.search_event_json(i, rnd) for i in range(start, end)) + "]").encode()
                    for attempt in range(20):
                        st, resp = h.call("POST", "/api/v1/events/batch", body)
                        if st == 503:      # backpressure: wait and retry
                            time.sleep(0.5)
                            continue
                        break
                    if st != 200:
                        errors.append(f"batch answered {st}: {resp[:300]!r}")
                        return
                    j = json.loads(resp)
                    data = j.get("data") or {}
                    if data.get("failed", 0):
                        errors.append(f"batch had {data.get('failed')} failed items: {resp[:300]!r}")
                        return
                    with lock:
                        saved[0] += data.get("saved", end - start)
            except Exception as exc:  # surfaced below
                errors.append(repr(exc))
            finally:
                h.close()

        ts = [threading.Thread(target=worker, args=(w,)) for w in range(workers)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        if errors:
            raise RuntimeError(errors[0])
        return saved[0]

    def seed_search_copy(self, n):
        """n "purchase" events straight into events / event_properties with COPY (ids above the sequence)."""
        users = self.psql("SELECT id || ',' || external_id FROM users WHERE external_id LIKE 'bench-user-%' ORDER BY id")
        user_rows = [line.split(",", 1) for line in users.splitlines() if line]
        if not user_rows:
            raise RuntimeError("no bench-user-* users in the database")
        base = int(self.psql("SELECT greatest((SELECT coalesce(max(id), 0) FROM events), "
                             "(SELECT last_value FROM " + self.psql("SELECT pg_get_serial_sequence('events', 'id')") + "))")) + 1_000_000
        ev_path = os.path.join(self.work, "search-events.csv")
        pr_path = os.path.join(self.work, "search-props.csv")
        rnd = random.Random(7)
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S+00")
        with open(ev_path, "w") as ev, open(pr_path, "w") as pr:
            for i in range(1, n + 1):
                uid, ext = user_rows[i % len(user_rows)]
                eid = base + i
                props = [("orderId", f"ord-{i}"), ("category", f"cat-{i % 20}"), ("price", str(rnd.randint(0, 999))),
                         ("sku", f"sku-{rnd.randint(0, 99999):05d}")]
                js = json.dumps([{"key": k, "value": v} for k, v in props]).replace('"', '""')
                ev.write(f'{eid},purchase,{uid},{ext},"{js}",{now}\n')
                for k, v in props:
                    num = v if re.fullmatch(r"-?\d+(\.\d+)?", v) else ""
                    pr.write(f"{eid},{k},{v},{num}\n")
        self.psql(commands=[
            f"\\copy events (id, name, user_id, external_id, properties, created_at) FROM '{ev_path}' WITH (FORMAT csv)",
            f"\\copy event_properties (event_id, key, value, num_value) FROM '{pr_path}' WITH (FORMAT csv)",
            "SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT max(id) FROM events))",
            "ANALYZE events", "ANALYZE event_properties"])
        os.remove(ev_path)
        os.remove(pr_path)
        return n

    # ------------------------------------------------------------------ the \copy ceiling

    def copy_ceiling(self):
        """psql \\copy of the rows scenario (d) makes Pulse write: per event one events row (3 properties as
        jsonb), three event_properties rows and one campaign_events row, into scratch tables shaped LIKE the
        service's own (same columns, defaults and indexes; no foreign keys)."""
        n = self.d["copy_events"]
        paths = {t: os.path.join(self.work, f"copy-{t}.csv") for t in ("events", "props", "links")}
        rnd = random.Random(3)
        now = datetime.datetime.now(datetime.timezone.utc)
        log(f"  generating {n:,} events ({n * 5:,} rows) as CSV")
        with open(paths["events"], "w") as ev, open(paths["props"], "w") as pr, open(paths["links"], "w") as ln:
            for i in range(1, n + 1):
                ts = (now + datetime.timedelta(milliseconds=i)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
                value = str(rnd.randint(0, 999))
                user = rnd.randint(1, 5)
                js = ('[{""key"":""action"",""value"":""test""},{""key"":""timestamp"",""value"":""%s""},'
                      '{""key"":""value"",""value"":""%s""}]') % (ts, value)
                ev.write(f'{i},benchmark-event,{user},test-user-{user},"{js}",{ts}\n')
                pr.write(f"{i},action,test,\n{i},timestamp,{ts},\n{i},value,{value},{value}\n")
                ln.write(f"1,{i}\n")
        self.psql(commands=[
            "DROP TABLE IF EXISTS bench_copy_events, bench_copy_event_properties, bench_copy_campaign_events",
            "CREATE TABLE bench_copy_events (LIKE events INCLUDING ALL)",
            "CREATE TABLE bench_copy_event_properties (LIKE event_properties INCLUDING ALL)",
            "CREATE TABLE bench_copy_campaign_events (LIKE campaign_events INCLUDING ALL)",
            "CHECKPOINT"])
        t0 = time.monotonic()
        self.psql(commands=[
            f"\\copy bench_copy_events (id, name, user_id, external_id, properties, created_at) FROM '{paths['events']}' WITH (FORMAT csv)",
            f"\\copy bench_copy_event_properties (event_id, key, value, num_value) FROM '{paths['props']}' WITH (FORMAT csv)",
            f"\\copy bench_copy_campaign_events (campaign_id, event_id) FROM '{paths['links']}' WITH (FORMAT csv)"])
        secs = time.monotonic() - t0
        self.psql("DROP TABLE bench_copy_events, bench_copy_event_properties, bench_copy_campaign_events")
        for p in paths.values():
            os.remove(p)
        res = {"events": n, "rows": n * 5, "seconds": secs, "events_per_s": n / secs, "rows_per_s": n * 5 / secs}
        log(f"    \\copy: {n:,} events ({n * 5:,} rows) in {secs:.2f} s = {res['events_per_s']:,.0f} events/s, "
            f"{res['rows_per_s']:,.0f} rows/s")
        return res

    # ------------------------------------------------------------------ phases

    def measure_startup(self, which, starts):
        times, stops = [], []
        for i in range(starts):
            t, ms = self.start_app(which, sample=False)
            rss, _ = read_status(t.proc.pid)
            secs, code = self.stop_app(t)
            times.append(ms)
            stops.append(secs)
            log(f"  {which} start {i + 1}: ready in {ms:.0f} ms (RSS {rss or 0:.0f} MB), stopped in {secs:.2f} s (exit {code})")
        return {"ms": times, "median_ms": statistics.median(times), "stop_s": stops}

    def run(self):
        r = self.results
        r["meta"] = self.meta()
        log(f"mode {self.mode}; scenarios {''.join(sorted(self.only))}; work dir {self.work}")
        # Stopped with everything else by stop_all() (by PID).
        Proc("hiccup meter", [sys.executable, hiccup.__file__, self.hiccups])
        self.psql(f"CREATE DATABASE {self.db}", db="postgres")
        startup = {}
        # Pulse is always started once here: that creates its schema before the \copy ceiling needs it.
        log("start-up: Pulse")
        startup["pulse"] = self.measure_startup("pulse", self.d["starts"] if "i" in self.only else 1)
        if "i" in self.only:
            log("start-up: baseline")
            startup["baseline"] = self.measure_startup("baseline", self.d["starts"])
        r["startup"] = startup

        base = {}
        if self.only & set("abcef"):
            log("phase 1: the baseline app (the ceiling)")
            bt, _ = self.start_app("baseline")
            try:
                self.setup_crm(bt)
                base = self.run_targets(bt, "baseline")
            finally:
                self.stop_app(bt)

        copy = None
        if "d" in self.only:
            log("phase 2: the psql \\copy ceiling")
            copy = self.copy_ceiling()

        log("phase 3: Pulse (server mode)")
        pt, _ = self.start_app("pulse")
        pulse = {}
        shutdown = None
        try:
            self.setup_crm(pt)
            pulse = self.run_targets(pt, "pulse")
        finally:
            secs, code = self.stop_app(pt)
            shutdown = {"seconds": secs, "exit_code": code}
            log(f"Pulse stopped in {secs:.2f} s (exit {code})")
        r["shutdown"] = shutdown
        r["meta"]["load_end"] = f"{os.getloadavg()[0]:.2f}"
        self.build_report(base, pulse, copy, startup)
        return r

    def run_targets(self, t, who):
        """Every selected scenario against one target; returns {scenario key: metrics or {'unavailable': why}}."""
        d = self.d
        out = {}
        is_pulse = who == "pulse"

        def guarded(key, fn):
            if not t.proc.alive():
                out[key] = {"failed": f"{who} is not running any more (exit code {t.proc.popen.returncode}; "
                                      f"see {t.proc.log_path})"}
                log(f"  {key}: {out[key]['failed']}")
                return
            try:
                out[key] = fn()
            except Exception as exc:
                log(f"  {key} on {who} FAILED: {exc}")
                out[key] = {"failed": str(exc)[:600]}

        crm_env = {"BENCH_EXPECT_STATUS": "201", "BENCH_EXPECT_BODY": "Event saved with campaign"}
        if "a" in self.only:
            log(f"(a) seed 000 k6 shape on {who}")
            guarded("a", lambda: self.run_wrk(t, "crm_event.lua", f"a-{who}", d["a"], 100,
                                              env=dict(crm_env, BENCH_THINK_MS="100")))
        if "b" in self.only:
            log(f"(b) saturation POST /api/v1/events on {who}")
            guarded("b", lambda: self.run_wrk(t, "crm_event.lua", f"b-{who}", d["b"], 64, env=crm_env))

        tracked_why = self.probe_tracked(t)
        if "c" in self.only:
            log(f"(c) saturation POST /api/events on {who}")
            if tracked_why:
                out["c"] = {"unavailable": tracked_why}
                log(f"  unavailable: {tracked_why}")
            else:
                guarded("c", lambda: self.run_wrk(t, "tracked_click.lua", f"c-{who}", d["c"], 64,
                                                  env={"BENCH_EXPECT_STATUS": "201"}))
        if "d" in self.only and is_pulse:
            log("(d) batch ingest, 500 events per request")
            guarded("d", lambda: self.scenario_d(t))
        if "g" in self.only and is_pulse:
            log(f"(g) search on {d['search_events']:,} stored events")
            guarded("g", lambda: self.scenario_g(t))
        if "e" in self.only:
            log(f"(e) seed 004 Locust tracker test on {who}")
            if tracked_why:
                out["e"] = {"unavailable": tracked_why}
                log(f"  unavailable: {tracked_why}")
            else:
                guarded("e", lambda: self.run_locust(t, "tracker_events.py", f"e-{who}", d["e_users"], d["e_rate"], d["e"]))
        if "f" in self.only:
            log(f"(f) seed 004 user-service mix on {who}")
            guarded("f", lambda: self.scenario_f(t, who))
        if "h" in self.only and is_pulse:
            log("(h) soak at half of (b)'s rate")
            guarded("h", lambda: self.scenario_h(t, out.get("b")))
        return out

    def scenario_d(self, t):
        size = 500
        m = self.run_wrk(t, "batch.lua", "d-pulse", self.d["d"], 8,
                         env={"BENCH_EXPECT_STATUS": "200,201,207", "BENCH_EXPECT_BODY": '"failed":0', "BENCH_BATCH_SIZE": str(size)})
        m["batch_size"] = size
        m["rate"] = m["ok"] * size / m["duration_s"]
        return m

    def scenario_g(self, t):
        n = self.d["search_events"]
        mode = os.environ.get("BENCH_SEARCH_SEED", "api")
        t0 = time.monotonic()
        how = mode
        if mode == "api":
            try:
                self.seed_search_api(t, n)
            except Exception as exc:
                log(f"  seeding through /api/v1/events/batch failed ({exc}); falling back to COPY")
                how = f"copy (the batch endpoint failed: {str(exc)[:200]})"
                self.seed_search_copy(n)
        else:
            self.seed_search_copy(n)
        seed_s = time.monotonic() - t0
        log(f"  seeded {n:,} events in {seed_s:.1f} s ({n / seed_s:,.0f} events/s) via {how}")
        self.psql(commands=["VACUUM ANALYZE events", "VACUUM ANALYZE event_properties"])
        # sanity: both queries find something
        h = Http(t.hostport)
        try:
            st, body = h.call("GET", "/api/v1/events?eventName=purchase&where=orderId%26ord-1%26%3D%26end")
            sample_eq = (st, body[:300].decode(errors="replace"))
        finally:
            h.close()
        res = {"seed": {"events": n, "seconds": seed_s, "how": how}, "sample_eq": sample_eq}
        common = {"BENCH_EXPECT_STATUS": "200", "BENCH_EXPECT_BODY": '"events":[{', "BENCH_SEARCH_EVENTS": str(n)}
        # Latency at a stated load (paced, like the soak), then throughput at saturation (8 connections, closed
        # loop: there p95 is mostly time spent queued for a core that wrk, Pulse and PostgreSQL share).
        paced = {"BENCH_THREADS": "2"}
        res["eq"] = self.run_wrk(t, "search.lua", "g-eq-paced-pulse", self.d["g"], 16,
                                 env={**common, **paced, "BENCH_SEARCH_MODE": "eq", "BENCH_RATE": str(G_EQ_RATE)})
        res["three"] = self.run_wrk(t, "search.lua", "g-three-paced-pulse", self.d["g"], 16,
                                    env={**common, **paced, "BENCH_SEARCH_MODE": "three", "BENCH_RATE": str(G_THREE_RATE)})
        res["eq_sat"] = self.run_wrk(t, "search.lua", "g-eq-pulse", self.d["g"], 8, env=dict(common, BENCH_SEARCH_MODE="eq"))
        res["three_sat"] = self.run_wrk(t, "search.lua", "g-three-pulse", self.d["g"], 8, env=dict(common, BENCH_SEARCH_MODE="three"))
        return res

    def scenario_f(self, t, who):
        why = self.probe(t, "POST", "/api/posts", {"userId": 1, "content": "probe #고양이", "hashtags": ["고양이"]}, (201,))
        if why:
            log(f"  unavailable: {why}")
            return {"unavailable": why}
        path = self.seed_posts(t)
        return self.run_locust(t, "user_service.py", f"f-{who}", self.d["f_users"], self.d["f_rate"], self.d["f"],
                               env={"BENCH_POST_IDS_FILE": path})

    def scenario_h(self, t, b):
        if not b or "rps" not in b:
            log("  (b) was not run: a 10 s saturation probe sets the rate")
            b = self.run_wrk(t, "crm_event.lua", "h-probe-pulse", 10, 64,
                             env={"BENCH_EXPECT_STATUS": "201", "BENCH_EXPECT_BODY": "Event saved with campaign"})
        rate = max(1.0, b["ok_rps"] / 2)
        # wrk has no fixed-rate mode (wrk2 is not packaged): bench/wrk/common.lua paces the sends through
        # delay() (BENCH_RATE). Enough connections that the rate holds while responses take up to ~50 ms
        # (connections beyond that only wait for their slot).
        conns = int(min(1000, max(32, math.ceil(rate * 0.05))))
        duration = self.d["h"]
        m = self.run_wrk(t, "crm_event.lua", "h-pulse", duration, conns, timeout="10s", warmup=0,
                         env={"BENCH_EXPECT_STATUS": "201", "BENCH_EXPECT_BODY": "Event saved with campaign",
                              "BENCH_RATE": f"{rate:.1f}", "BENCH_THREADS": "2"})
        per_sec = m.get("per_second") or []
        inner = per_sec[1:-1] if len(per_sec) > 2 else per_sec    # first/last second are partial
        m["target_rate"] = rate
        m["connections"] = conns
        m["zero_seconds"] = sum(1 for c in inner if c == 0)
        m["min_per_second"] = min(inner) if inner else None
        m["max_per_second"] = max(inner) if inner else None
        # The seconds with the fewest completions, each with the machine's worst scheduling delay and its I/O
        # stall: a dip with a hiccup of the same length is the machine's, one with a long I/O stall the disk's.
        start = m.get("per_second_start") or 0
        meter = hiccup.read(self.hiccups, start, start + len(per_sec)) if start else {}
        m["slowest_seconds"] = []
        for i in sorted(range(1, len(per_sec) - 1), key=lambda i: per_sec[i])[:5]:
            late, io = meter.get(start + i, (None, None))
            m["slowest_seconds"].append({"second": i, "completions": per_sec[i], "hiccup_ms": late, "io_stall_ms": io})
        warm = self.d["h_warmup"]
        samples = t.sampler.window(m["t0"], m["t1"])
        after = [s for s in samples if s[0] >= m["t0"] + warm]
        if len(after) >= 4:
            k = max(1, min(10, len(after) // 4))
            start_rss = statistics.mean(s[1] for s in after[:k])
            end_rss = statistics.mean(s[1] for s in after[-k:])
            m["rss_after_warmup_mb"] = start_rss
            m["rss_end_mb"] = end_rss
            m["rss_growth"] = (end_rss - start_rss) / start_rss
        m["rss_series"] = [round(s[1]) for s in samples]
        self.raw["h-pulse"]["per_second"] = per_sec
        return m

    # ------------------------------------------------------------------ report

    def postgres_settings(self):
        """PostgreSQL's settings that differ from its defaults (command line and postgresql.auto.conf)."""
        try:
            rows = self.psql("SELECT name || '=' || current_setting(name) FROM pg_settings "
                             "WHERE source IN ('command line', 'configuration file') "
                             "AND name NOT IN ('listen_addresses', 'port', 'unix_socket_directories', 'DateStyle', 'TimeZone', "
                             "'log_timezone', 'default_text_search_config', 'dynamic_shared_memory_type') "
                             "AND name NOT LIKE 'lc\\_%' ORDER BY name",
                             db="postgres")
        except RuntimeError as e:
            return f"? ({e})"
        return ", ".join(rows.splitlines())

    def meta(self):
        def cmd_out(cmd):
            try:
                return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip()
            except Exception:
                return ""

        mem_gb = "?"
        try:
            with open("/proc/meminfo") as f:
                mem_gb = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GiB"
        except OSError:
            pass
        cpu = "?"
        try:
            with open("/proc/cpuinfo") as f:
                cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
        except OSError:
            pass
        pg = cmd_out([os.path.join(os.path.dirname(self.pg["psql"]) or "/usr/bin", "postgres"), "--version"]) \
            or cmd_out([self.pg["psql"], "--version"])
        redis = cmd_out([os.environ.get("PULSE_TEST_REDIS_SERVER", "redis-server"), "--version"]).split(" sha=")[0]
        wrk = [" ".join(cmd_out(["wrk", "-v"]).split()[:2])]
        head = cmd_out(["git", "-C", BENCH_DIR, "rev-parse", "--short", "HEAD"])
        dirty = cmd_out(["git", "-C", BENCH_DIR, "status", "--porcelain"])
        source = (f"git {head}" if head and "fatal" not in head else "git (no commit yet)") + \
                 (f", {len(dirty.splitlines())} uncommitted changes" if dirty else "")
        return {
            "timestamp": self.args.timestamp,
            "command": self.args.command or "bench/run.sh",
            "mode": self.mode,
            "durations": self.d,
            "machine": f"{os.cpu_count()} cores ({cpu}), {mem_gb} RAM, {platform.system()} {platform.release()}",
            "software": "; ".join(x for x in [
                f".NET {cmd_out(['dotnet', '--version'])} SDK", pg, redis, wrk[0] if wrk else "wrk ?",
                "Locust " + (cmd_out(["/usr/bin/python3", "-c", "import locust; print(locust.__version__)"])
                             or cmd_out(["dpkg-query", "-W", "-f=${Version}", "python3-locust"]) or "?")] if x),
            "source": source,
            "postgres_settings": self.postgres_settings(),
            "cores": os.cpu_count(),
            "work": os.path.relpath(self.work, os.path.dirname(BENCH_DIR)),
            "load_start": f"{os.getloadavg()[0]:.2f}",
        }

    def build_report(self, base, pulse, copy, startup):
        sc = self.results["scenarios"]
        d = self.d

        def metrics(res, key):
            v = res.get(key)
            return v if isinstance(v, dict) and "rps" in v else None

        def status_of(key, *results):
            for res in results:
                v = res.get(key) if res else None
                if isinstance(v, dict) and "failed" in v:
                    return "failed", v["failed"]
                if isinstance(v, dict) and "unavailable" in v:
                    return "unavailable", v["unavailable"]
            return "ok", None

        def ratio(p, b, field="rps"):
            if p and b and b.get(field):
                return p.get(field, 0) / b[field]
            return None

        def check(name, value, passed):
            return {"name": name, "value": value, "pass": passed}

        def le(v, limit):
            return None if v is None else v <= limit

        # (a)
        if "a" in self.only:
            pa, ba = metrics(pulse, "a"), metrics(base, "a")
            st, note = status_of("a", pulse, base)
            rows = [(lbl, m, r) for lbl, m, r in (("Pulse", pa, ratio(pa, ba)), ("baseline", ba, None)) if m]
            checks = []
            if pa:
                checks = [check("0 errors, every response \"Event saved with campaign\"", f"{pa['errors']} errors of {pa['requests']:,}", pa["errors"] == 0),
                          check("p95 ≤ 5 ms", f"{pa['p95']:.2f} ms", le(pa["p95"], 5)),
                          check("p99 ≤ 10 ms", f"{pa['p99']:.2f} ms", le(pa["p99"], 10))]
            sc.append({"id": "a", "title": "Seed 000's k6 test: POST /api/v1/events, 100 connections, 100 ms think time",
                       "description": f"wrk -t2 -c100 -d{d['a']}s, `delay()` = 100 ms after every response (k6's `sleep(0.1)`); "
                                      "body: benchmark-event / benchmark-campaign / test-user-1..5, properties action, timestamp, value. "
                                      "A response counts only if it is 201 and contains \"Event saved with campaign\".",
                       "status": st, "note": note, "table": parse.metric_table(rows) if rows else None, "checks": checks,
                       "notes": self.bad_notes(pa, ba)})
        # (b)
        if "b" in self.only:
            pb, bb = metrics(pulse, "b"), metrics(base, "b")
            st, note = status_of("b", pulse, base)
            rows = [(lbl, m, r) for lbl, m, r in (("Pulse", pb, ratio(pb, bb, "ok_rps")), ("baseline", bb, None)) if m]
            checks = []
            if pb:
                rr = ratio(pb, bb, "ok_rps")
                checks = [check("≥ 50 % of the baseline's req/s", parse.fmt_ratio(rr), None if rr is None else rr >= 0.5),
                          check("p99 ≤ 25 ms", f"{pb['p99']:.2f} ms", le(pb["p99"], 25)),
                          check("0 errors", str(pb["errors"]), pb["errors"] == 0)]
            sc.append({"id": "b", "title": "Saturation: POST /api/v1/events, 64 connections, no think time",
                       "description": f"wrk -t2 -c64 -d{d['b']}s, the body of (a). req/s counts only checked (201, linked) responses.",
                       "status": st, "note": note, "table": parse.metric_table(rows) if rows else None, "checks": checks,
                       "extra_md": self.cpu_budget(pb, bb, 0.5), "notes": self.bad_notes(pb, bb)})
        # (c)
        if "c" in self.only:
            pc, bc = metrics(pulse, "c"), metrics(base, "c")
            st, note = status_of("c", pulse, base)
            rows = [(lbl, m, r) for lbl, m, r in (("Pulse", pc, ratio(pc, bc, "ok_rps")), ("baseline", bc, None)) if m]
            checks = []
            if pc:
                rr = ratio(pc, bc, "ok_rps")
                checks = [check("≥ 60 % of the baseline's req/s", parse.fmt_ratio(rr), None if rr is None else rr >= 0.6),
                          check("0 errors", str(pc["errors"]), pc["errors"] == 0)]
            elif st == "unavailable":
                checks = [check("≥ 60 % of the baseline's req/s", "endpoint unavailable", None)]
            sc.append({"id": "c", "title": "Saturation: POST /api/events (tracked CLICK events), 64 connections",
                       "description": f"wrk -t2 -c64 -d{d['c']}s; CLICK, userId 1..100, componentId 1000..2000, elementId element-1..50; 201 expected.",
                       "status": st, "note": note, "table": parse.metric_table(rows) if rows else None, "checks": checks,
                       "extra_md": self.cpu_budget(pc, bc, 0.6), "notes": self.bad_notes(pc, bc)})
        # (d)
        if "d" in self.only:
            pd = metrics(pulse, "d")
            st, note = status_of("d", pulse)
            rows = []
            checks = []
            if pd:
                rr = pd["rate"] / copy["events_per_s"] if copy else None
                rows.append(("Pulse, POST /api/v1/events/batch", pd, rr))
                checks = [check("≥ 75 % of \\copy's events/s", parse.fmt_ratio(rr), None if rr is None else rr >= 0.75),
                          check("0 errors", str(pd["errors"]), pd["errors"] == 0)]
            table = parse.metric_table(rows, rate_header="events/s") if rows else None
            extra = []
            if copy:
                extra.append(parse.md_table(["ceiling", "events", "rows", "seconds", "events/s", "rows/s"], [[
                    "psql \\copy (1 events + 3 event_properties + 1 campaign_events row per event)",
                    parse.fmt_num(copy["events"]), parse.fmt_num(copy["rows"]), f"{copy['seconds']:.2f}",
                    parse.fmt_num(copy["events_per_s"]), parse.fmt_num(copy["rows_per_s"])]]))
            if pd:
                extra.append(f"Pulse: {pd['ok']:,} batches of {pd['batch_size']} committed "
                             f"({pd['ok'] * pd['batch_size']:,} events, {pd['rps']:,.1f} requests/s); "
                             "latencies are per 500-event request.")
            sc.append({"id": "d", "title": "Batch ingest: 500 events per request vs psql \\copy",
                       "description": f"wrk -t2 -c8 -d{d['d']}s posting 500-event batches (the event of (a)); a request counts when it is 200 "
                                      "(or 201/207) with `\"failed\":0`. The ceiling: psql \\copy of the same rows into scratch tables "
                                      "`LIKE` the service's (same columns, defaults, indexes; no foreign keys), one connection, same run.",
                       "status": st, "note": note, "table": table, "extra_md": extra, "checks": checks,
                       "notes": self.bad_notes(pd, None)})
        # (e)
        if "e" in self.only:
            pe, be = metrics(pulse, "e"), metrics(base, "e")
            st, note = status_of("e", pulse, base)
            rows = [(lbl, m, r) for lbl, m, r in (("Pulse", pe, ratio(pe, be)), ("baseline", be, None)) if m]
            checks = []
            if pe:
                diff = pe["p95"] - be["p95"] if be and pe["p95"] is not None and be["p95"] is not None else None
                checks = [check("0 errors", str(pe["errors"]), pe["errors"] == 0),
                          check("p95 within 5 ms of the baseline's", "–" if diff is None else
                                f"{pe['p95']:.0f} vs {be['p95']:.0f} ms (+{diff:.0f})", None if diff is None else diff <= 5)]
            elif st == "unavailable":
                checks = [check("0 errors, p95 within 5 ms of the baseline's", "endpoint unavailable", None)]
            sc.append({"id": "e", "title": "Seed 004's Locust test: POST /api/events, Locust users with 0.5–1 s waits",
                       "description": f"locust --headless -u {d['e_users']} -r {d['e_rate']} -t {d['e']}s (bench/locust/tracker_events.py); "
                                      "random CLICK / PAGE_VIEW / SEARCH / LIKE. Locust's Python client is the bottleneck on two "
                                      "shared cores, hence the baseline app under the same load in the same run. "
                                      "Locust rounds latencies to whole milliseconds.",
                       "status": st, "note": note, "table": parse.metric_table(rows) if rows else None, "checks": checks,
                       "notes": self.bad_notes(pe, be)})
        # (f)
        if "f" in self.only:
            pf, bf = metrics(pulse, "f"), metrics(base, "f")
            st, note = status_of("f", pulse, base)
            rows = [(lbl, m, r) for lbl, m, r in (("Pulse", pf, ratio(pf, bf)), ("baseline", bf, None)) if m]
            checks = []
            extra = []
            if pf:
                checks = [check("0 errors", str(pf["errors"]), pf["errors"] == 0),
                          check("p95 ≤ 15 ms", f"{pf['p95']:.0f} ms", le(pf["p95"], 15))]
                by = [(f"Pulse {x['name']}", x, None) for x in pf.get("by_name", [])]
                by += [(f"baseline {x['name']}", x, None) for x in (bf or {}).get("by_name", [])]
                if by:
                    extra.append("Per request type:\n\n" + parse.metric_table(by))
            elif st == "unavailable":
                checks = [check("0 errors, p95 ≤ 15 ms", "endpoints unavailable", None)]
            sc.append({"id": "f", "title": "Seed 004's user-service mix: like-toggle 4, hashtag search 2, click 2, page view 2",
                       "description": f"locust --headless -u {d['f_users']} -r {d['f_rate']} -t {d['f']}s (bench/locust/user_service.py), "
                                      f"one task per second per user; {d['posts']:,} seeded posts with 1–4 of the ten hashtags.",
                       "status": st, "note": note, "table": parse.metric_table(rows) if rows else None, "checks": checks,
                       "extra_md": extra, "notes": self.bad_notes(pf, bf)})
        # (g)
        if "g" in self.only:
            pg_ = pulse.get("g") if isinstance(pulse.get("g"), dict) and "eq" in pulse.get("g", {}) else None
            st, note = status_of("g", pulse)
            rows, checks, extra = [], [], []
            if pg_:
                rows = [(f"equality: orderId = ord-N (1 hit), {G_EQ_RATE:,} req/s", pg_["eq"], None),
                        (f"category =, price >, sku like; limit=100, {G_THREE_RATE:,} req/s", pg_["three"], None)]
                if "eq_sat" in pg_:
                    rows += [("equality, saturation (8 connections)", pg_["eq_sat"], None),
                             ("three conditions, saturation (8 connections)", pg_["three_sat"], None)]
                errors = sum(pg_[k]["errors"] for k in ("eq", "three", "eq_sat", "three_sat") if k in pg_)
                checks = [check(f"selective equality p95 ≤ 5 ms (at {G_EQ_RATE:,} req/s)", f"{pg_['eq']['p95']:.2f} ms",
                                le(pg_["eq"]["p95"], 5)),
                          check(f"three conditions, first page of 100: p95 ≤ 50 ms (at {G_THREE_RATE:,} req/s)",
                                f"{pg_['three']['p95']:.2f} ms", le(pg_["three"]["p95"], 50)),
                          check("0 errors (every answer 200 with at least one event)", str(errors), errors == 0)]
                s = pg_["seed"]
                extra.append(f"Seeded {s['events']:,} \"purchase\" events (4 properties each) in {s['seconds']:.1f} s "
                             f"({s['events'] / s['seconds']:,.0f} events/s) via {s['how']}; the store also holds the events "
                             "written by the earlier scenarios.")
            sc.append({"id": "g", "title": f"Search on {d['search_events']:,} stored events: GET /api/v1/events",
                       "description": f"wrk -t2 -d{d['g']}s per row: first at a stated rate ({G_EQ_RATE:,} and {G_THREE_RATE:,} "
                                      "req/s, paced as in (h), 16 connections), where the targets are judged, then closed-loop "
                                      "with 8 connections for throughput (its p95 is mostly queueing for a shared core); "
                                      "\"purchase\" events with orderId ord-N (unique), "
                                      "category cat-0..19, price 0..999, sku sku-00000..99999; each request picks a random orderId, "
                                      "or a random category, price threshold (100..900) and sku digit. A response counts when it is "
                                      "200 with at least one event.",
                       "status": st, "note": note, "table": parse.metric_table(rows) if rows else None, "checks": checks,
                       "extra_md": extra,
                       "notes": [n for k in ("eq", "three", "eq_sat", "three_sat") if k in pg_
                                 for n in self.bad_notes(pg_[k], None)] if pg_ else []})
        # (h)
        if "h" in self.only:
            ph = metrics(pulse, "h")
            st, note = status_of("h", pulse)
            rows, checks, extra = [], [], []
            if ph:
                rows = [("Pulse", ph, None)]
                growth = ph.get("rss_growth")
                checks = [check("p99.9 ≤ 100 ms", f"{ph['p999']:.1f} ms", le(ph["p999"], 100)),
                          check("no second without completions", f"{ph['zero_seconds']} s with none "
                                f"(min {ph['min_per_second']}/s)", ph["zero_seconds"] == 0),
                          check("RSS growth after warm-up ≤ 10 %", "–" if growth is None else f"{growth * 100:+.1f} %",
                                None if growth is None else growth <= 0.10),
                          check("0 errors", str(ph["errors"]), ph["errors"] == 0)]
                extra.append(f"Target {ph['target_rate']:,.0f} req/s (half of (b)), achieved {ph['ok_rps']:,.0f} req/s over "
                             f"{ph['connections']} paced connections; completions per second "
                             f"min {ph['min_per_second']} / max {ph['max_per_second']}; RSS after the {self.d['h_warmup']} s warm-up "
                             f"{ph.get('rss_after_warmup_mb') or 0:.0f} MB, at the end {ph.get('rss_end_mb') or 0:.0f} MB.")
                slowest = ph.get("slowest_seconds") or []
                if slowest:
                    extra.append("The seconds with the fewest completions, with the machine's worst scheduling delay "
                                 "and its I/O stall in each (`bench/lib/hiccup.py`; a hiccup as long as the dip means the "
                                 "whole machine stalled, an I/O stall that every task waited on the disk): " + "; ".join(
                                     f"second {x['second']}: {x['completions']:,} completions, hiccup "
                                     + ("?" if x["hiccup_ms"] is None else f"{x['hiccup_ms']:.0f} ms")
                                     + ", I/O stall " + ("?" if x.get("io_stall_ms") is None else f"{x['io_stall_ms']:.0f} ms")
                                     for x in slowest) + ".")
                series = ph.get("rss_series") or []
                step = max(1, len(series) // 30)
                extra.append(f"Pulse RSS during the soak, MB, every {step} s: " + ", ".join(str(x) for x in series[::step]))
            sc.append({"id": "h", "title": f"Soak: {d['h']} s at half of (b)'s rate",
                       "description": "wrk -t2 with the sends paced to the rate through Lua `delay()` (wrk2 is not packaged; "
                                      "latency is measured from the actual send, so queueing behind a stall is not added as "
                                      "wrk2 would); per-second completions counted in the Lua `response()` hook; RSS sampled "
                                      "every second.",
                       "status": st, "note": note, "table": parse.metric_table(rows, p999=True) if rows else None,
                       "checks": checks, "extra_md": extra, "notes": self.bad_notes(ph, None)})
        # (i)
        if "i" in self.only:
            rows, checks = [], []
            sp, sb = startup.get("pulse"), startup.get("baseline")
            for lbl, s in (("Pulse", sp), ("baseline", sb)):
                if s:
                    rows.append([lbl, f"{s['median_ms']:.0f}", ", ".join(f"{x:.0f}" for x in s["ms"]),
                                 ", ".join(f"{x:.2f}" for x in s["stop_s"])])
            if sp:
                checks.append(check("start-up to /health/ready: median of 5 ≤ 1 s", f"{sp['median_ms']:.0f} ms", sp["median_ms"] <= 1000))
            pb, bb = metrics(pulse, "b"), metrics(base, "b")
            if pb and bb and pb.get("peak_rss_mb") and bb.get("peak_rss_mb"):
                rr = pb["peak_rss_mb"] / bb["peak_rss_mb"]
                checks.append(check("peak RSS under (b) ≤ 2× the baseline's",
                                    f"{pb['peak_rss_mb']:.0f} vs {bb['peak_rss_mb']:.0f} MB ({rr:.2f}×)", rr <= 2))
            extra = []
            sh = self.results.get("shutdown")
            if sh:
                extra.append(f"Pulse's final shutdown after the run (SIGTERM → exit): {sh['seconds']:.2f} s, exit code {sh['exit_code']}.")
            sc.append({"id": "i", "title": "Start-up and memory",
                       "description": "Time from spawning the published apphost to the first 200 from GET /health/ready "
                                      "(polled every 5 ms), 5 starts each against the same database (the first Pulse start "
                                      "creates the schema); each start is stopped with SIGTERM.",
                       "status": "ok", "table": parse.md_table(["app", "median ms", "each start, ms", "SIGTERM → exit, s"], rows) if rows else None,
                       "checks": checks, "extra_md": extra})
        self.results["published"] = PUBLISHED

    @staticmethod
    def cpu_budget(pulse, base, share):
        """Where the cores went under a saturation scenario, per request, and what a target of `share` of the
        baseline's rate leaves for storing an event on this machine."""
        def per_request(m, key):
            cores = (m.get("cpu_shares") or {}).get(key)
            return None if cores is None or not m.get("rps") else cores * 1e6 / m["rps"]

        def us(v):
            return "–" if v is None else f"{v:.1f}"

        rows = []
        for label, m in (("Pulse", pulse), ("baseline", base)):
            if m and m.get("cpu_shares"):
                idle = m["cpu_shares"].get("idle")
                rows.append([label, parse.fmt_num(m["rps"]), us(per_request(m, "app")), us(per_request(m, "postgres")),
                             us(per_request(m, "redis")), us(per_request(m, "loadgen")), "–" if idle is None else f"{idle:.2f}"])
        if not rows:
            return []
        out = ["Where the machine's CPU went, in microseconds of CPU per request (all responses; `bench/lib/bench.py` "
               "`CpuShares`: the app's, the PostgreSQL cluster's and Redis's processes, wrk as this run's child), and the "
               "cores left idle:\n\n" + parse.md_table(
                   ["target", "req/s", "app µs", "PostgreSQL µs", "Redis µs", "wrk µs", "idle cores"], rows, align="lrrrrrr")]
        http, loadgen = (per_request(base, "app"), per_request(base, "loadgen")) if base else (None, None)
        pg, redis, app = (per_request(pulse, k) for k in ("postgres", "redis", "app")) if pulse else (None, None, None)
        if None not in (http, loadgen, pg, app) and base.get("ok_rps"):
            goal = share * base["ok_rps"]
            allowed = (os.cpu_count() or 1) * 1e6 / goal
            left = allowed - http - loadgen
            counted = redis is not None and redis >= 0.5   # tracked events are counted in Redis
            stored = f"PostgreSQL took {pg:.1f} µs per request" + (f" and Redis {redis:.1f} µs" if counted else "")
            out.append(f"The budget: {share:.0%} of the baseline is {goal:,.0f} req/s, at which {os.cpu_count()} cores allow "
                       f"{allowed:.1f} µs of CPU per request. wrk took {loadgen:.1f} µs per request at the baseline's rate and "
                       f"the baseline app {http:.1f} µs to receive, parse and answer one, work Pulse has to do as well and does not "
                       f"do for less (`bench/experiments/no-store.sh`; docs/performance.md, \"The CPU budget of (b) and (c)\"). "
                       f"That leaves {left:.1f} µs to store{' and count' if counted else ''} an event. In this run "
                       f"{stored}, and Pulse {app - http:.1f} µs more than the baseline app.")
        return out

    @staticmethod
    def bad_notes(*ms):
        notes = []
        for m in ms:
            if m and m.get("first_bad"):
                notes.append(f"{m.get('label', m.get('tool', ''))}: first rejected response: `{m['first_bad'][:200]}`")
        return notes


PUBLISHED = parse.md_table(
    ["seed", "tool and load", "req/s", "mean", "p95", "errors", "memory", "start-up"],
    [["000 (Go port, README)", "k6, 100 VUs × (POST + 100 ms sleep), 30 s", "3,000–6,000", "15–30 ms", "40–80 ms", "–",
      "50–150 MB", "< 1 s"],
     ["004 (README)", "Locust, 500 users, 0.5–1 s waits", "340", "125 ms", "660 ms", "0 %", "–", "–"]], align="llrrrrrr")


def fmt(v):
    return "–" if v is None else f"{v:.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pulse", required=True)
    ap.add_argument("--baseline", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--timestamp", required=True)
    ap.add_argument("--command", default="")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--long", action="store_true")
    ap.add_argument("--only", default="")
    args = ap.parse_args()

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    bench = Bench(args)
    rc = 0
    try:
        bench.run()
    except KeyboardInterrupt as exc:
        log(f"interrupted ({exc}); stopping what was started")
        rc = 130
    except Exception as exc:
        log(f"FAILED: {exc!r}")
        import traceback
        traceback.print_exc()
        rc = 1
    finally:
        stop_all()
    if rc == 0:
        res = bench.results
        md = parse.render_report(res)
        os.makedirs(args.results, exist_ok=True)
        path = os.path.join(args.results, f"{args.timestamp}.md")
        with open(path, "w", encoding="utf-8") as f:
            f.write(md)
        with open(os.path.join(args.results, "latest.md"), "w", encoding="utf-8") as f:
            f.write(md)
        with open(os.path.join(args.work, "results.json"), "w", encoding="utf-8") as f:
            json.dump(res, f, indent=1, default=str)
        print(md)
        log(f"report: {path} (and latest.md); raw output: {args.work}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
