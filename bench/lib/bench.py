#!/usr/bin/env python3
"""bench/lib/bench.py — the benchmark orchestrator behind bench/run.sh (standard library only).

bench/run.sh builds the apps, starts PostgreSQL and Redis (scripts/infra.sh; server mode only) and then runs this with:
    --pulse PATH       the published Pulse.Api apphost          --baseline PATH     the published baseline apphost
    --sqlite-bulk PATH the published bench/sqlite-bulk apphost  --mode MODE         embedded, server or both
    --work DIR         scratch dir for logs and raw tool output  --results DIR       where <timestamp>.md goes
    --quick / --long   durations (see DURATIONS)                 --only a,b,...      a subset of the scenarios
and, for server mode, the environment of scripts/infra.sh (PULSE_TEST_POSTGRES, PULSE_TEST_REDIS, PULSE_TEST_PG_BINDIR).

The apps under test run side by side for the whole run (the baseline, Pulse in server mode, Pulse in embedded mode
on a fresh SQLite file in the work dir), and each scenario runs against them back to back, so that whatever drifts
on the machine during the run affects the modes alike. Every process it starts is recorded and stopped by PID
(SIGTERM, then SIGKILL) on exit, error or signal.
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
import secrets
import shutil
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
ALL_SCENARIOS = "abcdefghijklr"
# API keys (issue 13): Pulse runs with a bootstrap admin key made for this run (never written to the report), the
# set-up calls present it, and the load presents an ingest key (writes) and a read key (reads) made through the API.
# BENCH_AUTH=open runs Pulse without keys instead (open on loopback), for the with/without A/B.
AUTH = os.environ.get("BENCH_AUTH", "keys")
if AUTH not in ("keys", "open"):
    raise SystemExit(f"BENCH_AUTH must be keys or open (got {AUTH})")
BOOTSTRAP_KEY = secrets.token_urlsafe(36) if AUTH == "keys" else None

# Scenario knobs per mode. Durations in seconds. rw_*_rate: the reads of (g)'s read-under-write measurement, per
# second: a tenth of (g)'s stated search rates and 50/s of each other read, a load two cores serve with room to
# spare, so that what changes under writes is the writes. At the stated rates (1,000 and 100/s plus 100/s each)
# the reads alone took both cores (quick run 02:00: PostgreSQL 1.31 cores, equality held 415 of 1,000/s in server
# mode), and "alone" was queueing already; BENCH_RW_EQ_RATE=1000 BENCH_RW_THREE_RATE=100 runs them so.
DURATIONS = {
    "full": dict(a=30, b=30, c=30, d=30, j=30, k_server=10_000_000, k_embedded=1_000_000, sdk_copy_events=200_000, e=120, f=120, g=30, h=300, h_warmup=60, warmup=10,
                 e_users=500, e_rate=10, f_users=200, f_rate=20, search_events=1_000_000, copy_events=500_000,
                 starts=5, posts=1000, rw_eq_rate=100, rw_three_rate=10, rw_other_rate=50, l_rounds=300, r=90, retention_events=1_000_000),
    "quick": dict(a=5, b=5, c=5, d=5, j=5, k_server=200_000, k_embedded=100_000, sdk_copy_events=50_000, e=10, f=10, g=5, h=20, h_warmup=8, warmup=2,
                  e_users=100, e_rate=50, f_users=50, f_rate=25, search_events=50_000, copy_events=100_000,
                  starts=5, posts=1000, rw_eq_rate=100, rw_three_rate=10, rw_other_rate=50, l_rounds=50, r=30, retention_events=100_000),
}
DURATIONS["long"] = dict(DURATIONS["full"], e=300, f=300, h=900, h_warmup=120)

# Scenario (g)'s stated loads: searches per second at which the latency targets are judged.
G_EQ_RATE = 1000
G_THREE_RATE = 100
# The apps under test, in the order each scenario runs against them, and their labels in the report.
STORAGE_MODES = ("server", "embedded")
LABELS = {"embedded": "Pulse embedded", "server": "Pulse server", "baseline": "baseline"}
CHECKPOINTER_CATEGORY = "Pulse.Sqlite.SqliteCheckpointer"

# Scenario (l): exactly what the dashboard page (src/Pulse.Api/wwwroot/dashboard/app.js) fetches on load and on every
# refresh (10 s), with its default choices (series: CLICK on component 1002, last hour), plus the series over the page's
# other ranges (24 hours, 7 days), which a reader picks by hand. The explorer runs on demand, not on refresh: (g).
DASHBOARD_CALLS = [
    ("overview", "/api/dashboard/overview"),
    ("users count", "/api/v1/users/count"),
    ("campaigns", "/api/v1/events/campaign?page=0&size=10"),
    ("top keywords", "/api/statistics/top-keywords?limit=10"),
    ("popular posts", "/api/posts/popular?limit=10"),
    ("series 1 h", "/api/statistics/series?eventType=CLICK&componentId=1002&minutes=60"),
    ("series 24 h", "/api/statistics/series?eventType=CLICK&componentId=1002&minutes=1440"),
    ("series 7 days", "/api/statistics/series?eventType=CLICK&componentId=1002&minutes=10080"),
    ("series 7 days, SEARCH, all keywords", "/api/statistics/series?eventType=SEARCH&componentId=1001&minutes=10080"),
]
L_TARGET_MS = 50
COMPONENT_MINUTES_SQLITE = ("INSERT OR REPLACE INTO stat_component_minutes (type, component_id, minute, count) "
                            "SELECT type, component_id, minute, SUM(count) FROM stat_minutes WHERE minute >= ? AND minute < ? "
                            "GROUP BY type, component_id, minute")

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

    def snapshot(self, app_pid, services=True):
        """services=False for an app that does not use PostgreSQL and Redis (the baseline, embedded Pulse): their
        columns stay empty instead of showing what the idle servers did meanwhile."""
        tck = os.sysconf("SC_CLK_TCK")
        with open("/proc/stat") as f:
            cpu = f.readline().split()
        idle = int(cpu[4]) + int(cpu[5])   # idle + iowait
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        pg = self._postgres() if services else None
        redis = _clock_ticks(self.redis, (11, 12)) if self.redis and services else None
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


class WalSampler(threading.Thread):
    """Embedded mode's write-ahead log, every second: the size of `<db>-wal` and the checkpoint sequence number in
    its header (bytes 12..15, big-endian), which SQLite increments each time a complete checkpoint lets the writers
    restart the log from its beginning. A restart re-uses the file without shrinking it, so the size alone shows
    only truncations. Samples (unix time, bytes, sequence or None) are also appended to a CSV. Reads the file's
    first 16 bytes and its size only: no SQLite connection, no lock."""

    def __init__(self, db_path, csv_path):
        super().__init__(daemon=True)
        self.wal_path = db_path + "-wal"
        self.csv_path = csv_path
        self.samples = []
        self._stop_event = threading.Event()

    def run(self):
        with open(self.csv_path, "a") as f:
            f.write("unix_time,wal_bytes,checkpoint_seq\n")
            while not self._stop_event.is_set():
                size, seq = 0, None
                try:
                    with open(self.wal_path, "rb") as wal:
                        header = wal.read(16)
                        size = os.fstat(wal.fileno()).st_size
                    if len(header) == 16:
                        seq = int.from_bytes(header[12:16], "big")
                except OSError:     # no WAL file (yet, or removed when the last connection closed)
                    pass
                t = time.time()
                self.samples.append((t, size, seq))
                f.write(f"{t:.1f},{size},{'' if seq is None else seq}\n")
                f.flush()
                self._stop_event.wait(1.0)

    def stop(self):
        self._stop_event.set()

    def summary(self, t0, t1):
        """Max size, shrinks (the file got smaller: truncated) and restarts (new header sequence) in [t0, t1]."""
        s = [x for x in self.samples if t0 <= x[0] <= t1]
        if not s:
            return None
        mb = 1024 * 1024
        resets = 0
        for a, b in zip(s, s[1:]):
            if a[2] is not None and b[2] is not None:
                resets += b[2] - a[2] if b[2] > a[2] else (1 if b[2] < a[2] else 0)   # lower: a new file
        return {"samples": len(s), "max_mb": max(x[1] for x in s) / mb, "start_mb": s[0][1] / mb, "end_mb": s[-1][1] / mb,
                "shrinks": sum(1 for a, b in zip(s, s[1:]) if b[1] < a[1]), "resets": resets,
                "series_mb": [round(x[1] / mb, 1) for x in s]}


class Target:
    """A running HTTP app under test (Pulse in one mode, or the baseline) with its RSS sampler; `services` when
    PostgreSQL and Redis work for it (server mode), `wal` its WalSampler (embedded mode)."""

    def __init__(self, name, proc, url, sampler, services=False, wal=None):
        self.name, self.proc, self.url, self.sampler = name, proc, url, sampler
        self.services, self.wal = services, wal
        self.hostport = url.split("//", 1)[1]
        self.keys = {}   # BENCH_INGEST_KEY / BENCH_READ_KEY for the load generators (Pulse with keys only)

    def log_size(self):
        try:
            return os.path.getsize(self.proc.log_path)
        except (OSError, TypeError):
            return None

    def measure(self, fn):
        """Run fn() while measuring peak RSS and CPU of the target; returns (fn's result, extras). extras' log_span
        is where the target's log stood before and after, to read what it logged meanwhile."""
        reset = self.sampler.reset_peak()
        log0 = self.log_size()
        shares0, t0 = CPU_SHARES.snapshot(self.proc.pid, self.services), time.time()
        result = fn()
        shares, t1 = CpuShares.cores(shares0, CPU_SHARES.snapshot(self.proc.pid, self.services)), time.time()
        _, hwm = read_status(self.proc.pid)
        samples = self.sampler.window(t0, t1)
        peak = hwm if reset and hwm is not None else max((s[1] for s in samples), default=None)
        extras = {
            "peak_rss_mb": peak,
            "cpu_cores": shares["app"],
            "cpu_shares": shares,
            "t0": t0, "t1": t1,
            "log_span": (log0, self.log_size()),
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
        headers = {"Authorization": f"Bearer {BOOTSTRAP_KEY}"} if BOOTSTRAP_KEY else {}
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
            raise SystemExit(f"--only: unknown scenario(s) {','.join(sorted(bad))} (expected letters a..l, r)")
        self.modes = [m for m in STORAGE_MODES if args.mode in (m, "both")]
        self.work = args.work
        os.makedirs(self.work, exist_ok=True)
        self.results = {"meta": {}, "scenarios": [], "raw": {}}
        self.raw = self.results["raw"]
        self.pg = self._pg_settings() if "server" in self.modes else None
        self.db = "pulse_bench"
        # Embedded mode's database: a fresh file on the same disk as PostgreSQL's cluster, deleted after the run.
        self.sqlite_dir = os.path.join(self.work, "embedded-db")
        self.sqlite_db = os.path.join(self.sqlite_dir, "pulse.db")
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

    def pulse_env(self, mode):
        env = dict(os.environ)
        for name in ("ConnectionStrings__Postgres", "ConnectionStrings__Redis", "ConnectionStrings__Sqlite"):
            env.pop(name, None)      # the mode is chosen here, not by whatever the caller's shell has set
        env.update({
            "Logging__LogLevel__Default": "Warning",
            "Logging__LogLevel__Microsoft.Hosting.Lifetime": "Warning",
            "ASPNETCORE_ENVIRONMENT": "Production",
            "DOTNET_NOLOGO": "1",
        })
        if BOOTSTRAP_KEY:
            env["Auth__BootstrapAdminKey"] = BOOTSTRAP_KEY
        if mode == "server":
            env["ConnectionStrings__Postgres"] = \
                f"Host={self.pg['host']};Port={self.pg['port']};Username={self.pg['user']};Database={self.db}"
            env["ConnectionStrings__Redis"] = os.environ["PULSE_TEST_REDIS"]
        else:
            env["ConnectionStrings__Sqlite"] = f"Data Source={self.sqlite_db}"
            # The background checkpointer's lines ("checkpoint PASSIVE: ... in 14.2 ms"), counted for (b) and (h).
            env[f"Logging__LogLevel__{CHECKPOINTER_CATEGORY}"] = "Debug"
        return env

    def baseline_env(self):
        env = dict(os.environ)
        env.update({"Logging__LogLevel__Default": "Warning", "ASPNETCORE_ENVIRONMENT": "Production"})
        return env

    def start_app(self, which, sample=True, extra_env=None, log_name=None):
        """which: baseline, server or embedded (Pulse in that mode). Logs go to <work>/<which>.log (or <log_name>.log)."""
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        exe = self.args.baseline if which == "baseline" else self.args.pulse
        env = self.baseline_env() if which == "baseline" else self.pulse_env(which)
        env.update(extra_env or {})
        name = log_name or (which if which == "baseline" else f"pulse-{which}")
        proc = Proc(name, [exe, "--urls", url], env=env, log_path=os.path.join(self.work, f"{name}.log"),
                    cwd=os.path.dirname(exe))
        ms = wait_ready(url, proc.t_spawn, proc)
        sampler = wal = None
        if sample:
            sampler = RssSampler(proc.pid, os.path.join(self.work, f"rss-{name}.csv"))
            sampler.start()
            if which == "embedded":
                wal = WalSampler(self.sqlite_db, os.path.join(self.work, "wal-embedded.csv"))
                wal.start()
        target = Target(which, proc, url, sampler, services=which == "server", wal=wal)
        if BOOTSTRAP_KEY and which != "baseline":
            target.keys = self.create_keys(target)
        return target, ms

    def create_keys(self, target):
        """An ingest and a read key for the load (the set-up calls use the bootstrap admin key)."""
        h = Http(target.hostport)
        keys = {}
        try:
            for scope in ("ingest", "read"):
                st, body = h.call("POST", "/api/v1/keys", {"name": f"bench {scope}", "scopes": [scope]})
                if st != 201:
                    raise RuntimeError(f"creating the {scope} key answered {st}: {body[:300]!r}")
                keys[f"BENCH_{scope.upper()}_KEY"] = json.loads(body)["data"]["key"]
        finally:
            h.close()
        return keys

    def stop_app(self, target):
        if target.sampler:
            target.sampler.stop()
        if target.wal:
            target.wal.stop()
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
        e.update(target.keys)
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

    def run_wrk_group(self, target, label, members, duration, warmup=None):
        """Several wrk processes against one target at once (reads while writes saturate it), each with its own
        script, connections, threads and environment (members: dicts name, script, connections, threads, env), and
        one measurement window for the target's CPU, RSS and the machine's hiccups. The warm-up runs the same group
        unmeasured. The wrk processes are Procs, so an interrupted run stops them by PID. Returns {name: metrics}."""
        warmup = self.d["warmup"] if warmup is None else warmup

        def launch(tag, seconds, latency):
            procs = []
            try:
                for mbr in members:
                    e = dict(os.environ, BENCH_WRK_DIR=WRK_DIR, **target.keys, **mbr["env"])
                    cmd = ["wrk", f"-t{mbr['threads']}", f"-c{mbr['connections']}", f"-d{seconds}s"] + \
                          (["--latency"] if latency else []) + ["--timeout", "5s", "-s", os.path.join(WRK_DIR, mbr["script"]),
                                                                target.url]
                    path = os.path.join(self.work, f"{label}-{mbr['name']}{tag}.wrk.txt")
                    if os.path.exists(path):
                        os.remove(path)
                    procs.append((mbr, path, Proc(f"wrk {label}-{mbr['name']}", cmd, env=e, log_path=path)))
                for _, _, p in procs:
                    p.popen.wait(timeout=seconds + 120)
            finally:
                for _, _, p in procs:
                    p.stop()
            return procs

        if warmup > 0:
            launch(".warmup", warmup, False)
            time.sleep(1)   # let the queues settle
        log(f"  wrk group {label}: " + "; ".join(
            f"{m['name']} -t{m['threads']} -c{m['connections']} {m['script']}"
            + (f" at {m['env']['BENCH_RATE']} req/s" if "BENCH_RATE" in m["env"] else "") for m in members) + f"; {duration} s")

        def go():
            out = {}
            for mbr, path, p in launch("", duration, True):
                with open(path) as f:
                    text = f.read()
                if p.popen.returncode != 0:
                    raise RuntimeError(f"wrk {label}-{mbr['name']} exited {p.popen.returncode}: {text[-500:]}")
                out[mbr["name"]] = parse.parse_wrk(text)
            return out

        group, extras = target.measure(go)
        summary = dict(extras, label=label)
        self.add_hiccups(summary)      # one row in the hiccup table for the group
        self.raw[label] = summary
        for name, m in group.items():
            m.update(extras)
            m["label"] = f"{label}-{name}"
            self.raw[m["label"]] = {k: v for k, v in m.items() if k != "per_second"}
            log(f"    {name}: {m['ok_rps']:,.0f} req/s  p50 {m['p50']:.2f} ms  p95 {m['p95']:.2f}  p99 {m['p99']:.2f}  "
                f"errors {m['errors']}")
            if m["first_bad"]:
                log(f"    {name}: first bad response: {m['first_bad'][:200]}")
        return group

    def run_locust(self, target, locustfile, label, users, rate, duration, env=None):
        prefix = os.path.join(self.work, label)
        e = dict(os.environ)
        e.update(target.keys)
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
                ev.write(f'{eid},purchase,{uid},{ext},"{js}",{now},{now}\n')
                for k, v in props:
                    num = v if re.fullmatch(r"-?\d+(\.\d+)?", v) else ""
                    pr.write(f"{eid},{k},{v},{num}\n")
        self.psql(commands=[
            f"\\copy events (id, name, user_id, external_id, properties, created_at, event_time) FROM '{ev_path}' WITH (FORMAT csv)",
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
                ev.write(f'{i},benchmark-event,{user},test-user-{user},"{js}",{ts},{ts}\n')
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
            f"\\copy bench_copy_events (id, name, user_id, external_id, properties, created_at, event_time) FROM '{paths['events']}' WITH (FORMAT csv)",
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

    # ------------------------------------------------------------------ SQLite's bulk insert (embedded ceiling)

    def sqlite_ceiling(self):
        """bench/sqlite-bulk: SQLite's own bulk insert of the rows (d) makes Pulse write, in one transaction, on a
        fresh file with Pulse's schema next to Pulse's database (same disk); the file is deleted afterwards."""
        n = self.d["copy_events"]
        d = os.path.join(self.work, "sqlite-bulk")
        os.makedirs(d, exist_ok=True)
        out_path = os.path.join(self.work, "sqlite-bulk.txt")
        log(f"  {os.path.basename(self.args.sqlite_bulk)}: {n:,} events ({n * 5:,} rows) in one transaction")
        with open(out_path, "w") as f:
            r = subprocess.run([self.args.sqlite_bulk, os.path.join(d, "bulk.db"), str(n)], stdout=f,
                               stderr=subprocess.STDOUT, timeout=1800)
        with open(out_path) as f:
            text = f.read()
        shutil.rmtree(d, ignore_errors=True)
        line = next((l for l in text.splitlines() if l.startswith("BULK_JSON ")), None)
        if r.returncode != 0 or line is None:
            raise RuntimeError(f"sqlite-bulk exited {r.returncode}: {text[-500:]}")
        res = json.loads(line[len("BULK_JSON "):])
        log(f"    SQLite {res['sqlite_version']}: {n:,} events in {res['seconds']:.2f} s = {res['events_per_s']:,.0f} events/s, "
            f"{res['rows_per_s']:,.0f} rows/s; then checkpoint {res['checkpoint_seconds']:.2f} s")
        return res

    @staticmethod
    def settle(targets, limit=30):
        """Wait (at most `limit` s) until no app under test is still busy, i.e. used under 0.1 core over a second:
        requests queued when a wrk run stopped are still served (a slow search can take a second of CPU), and
        that work must not run during the next measurement, on another app."""
        t0, tck, busy = time.monotonic(), os.sysconf("SC_CLK_TCK"), []
        while time.monotonic() - t0 < limit:
            before = {who: _clock_ticks(t.proc.pid, (11, 12)) for who, t in targets.items()}
            time.sleep(1)
            busy = [who for who, t in targets.items() if before[who] is not None
                    and (_clock_ticks(t.proc.pid, (11, 12)) or before[who]) - before[who] > 0.1 * tck]
            if not busy:
                break
        if time.monotonic() - t0 > 1.5:
            log(f"  waited {time.monotonic() - t0:.0f} s for the apps to go idle" + (f" ({', '.join(busy)} still busy)" if busy else ""))

    def quiesce_postgres(self):
        """Before embedded mode's turn in a scenario: PostgreSQL flushes what server mode's turn left dirty now (a
        CHECKPOINT, waited for), not in a spread checkpoint during embedded mode's measurement on the same disk."""
        if "server" in self.modes:
            t0 = time.monotonic()
            self.psql("CHECKPOINT", db="postgres")
            log(f"  PostgreSQL CHECKPOINT before embedded mode's turn: {time.monotonic() - t0:.2f} s")

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
        log(f"{self.mode} run; modes {', '.join(self.modes)}; scenarios {''.join(sorted(self.only))}; work dir {self.work}")
        # Stopped with everything else by stop_all() (by PID).
        Proc("hiccup meter", [sys.executable, hiccup.__file__, self.hiccups])
        startup = r["startup"] = {}
        if "server" in self.modes:
            self.psql(f"CREATE DATABASE {self.db}", db="postgres")
            # Server mode is always started once here: that creates its schema before the \copy ceiling needs it.
            # Its (i) start-ups are on an empty database, as before embedded mode was measured.
            log("start-up: Pulse, server mode")
            startup["server"] = self.measure_startup("server", self.d["starts"] if "i" in self.only else 1)
        if "i" in self.only:
            log("start-up: baseline")
            startup["baseline"] = self.measure_startup("baseline", self.d["starts"])

        ceilings = r["ceilings"] = {}
        if "d" in self.only:
            if "server" in self.modes:
                log("ceiling of (d), server mode: psql \\copy")
                ceilings["copy"] = self.copy_ceiling()
            if "embedded" in self.modes:
                log("ceiling of (d), embedded mode: SQLite's own bulk insert (bench/sqlite-bulk)")
                ceilings["sqlite"] = self.sqlite_ceiling()

        if "j" in self.only and "server" in self.modes:
            log("ceiling of (j), server mode: psql \\copy of SDK messages' rows")
            ceilings["sdk_copy"] = self.sdk_copy_ceiling()

        # The apps under test stay up side by side (an idle one costs next to nothing), so that each scenario runs
        # against them back to back: baseline, server, embedded.
        targets = {}
        results = {}
        r["shutdown"] = {}
        try:
            if self.only & set("abcef"):
                log("starting the baseline app (the HTTP ceiling)")
                targets["baseline"], _ = self.start_app("baseline")
            for mode in self.modes:
                log(f"starting Pulse, {mode} mode")
                targets[mode], ms = self.start_app(mode)
                if mode == "embedded":
                    startup["embedded_first_ms"] = ms    # creates the file and its schema
            for t in targets.values():
                self.setup_crm(t)
            results = self.run_scenarios(targets)
            if "embedded" in self.modes and "i" in self.only:
                startup["embedded"] = self.embedded_startups(targets.pop("embedded"), results["embedded"])
        finally:
            for who, t in targets.items():
                secs, code = self.stop_app(t)
                if who != "baseline":
                    r["shutdown"][who] = {"seconds": secs, "exit_code": code}
                    log(f"Pulse ({who} mode) stopped in {secs:.2f} s (exit {code})")
        r["meta"]["load_end"] = f"{os.getloadavg()[0]:.2f}"
        self.build_report(results, ceilings, startup)
        return r

    def run_scenarios(self, targets):
        """Every selected scenario, each against every app it applies to, back to back; returns
        {who: {scenario key: metrics or {'unavailable': why} or {'failed': why}}}."""
        d = self.d
        out = {who: {} for who in targets}
        pulse = {who: t for who, t in targets.items() if who != "baseline"}

        def each(key, title, fn, apps=None):
            """fn(target, who) for every app (default: all) in the order of `targets`, each once all apps are idle
            (settle); embedded mode's turn comes after a PostgreSQL CHECKPOINT (quiesce_postgres)."""
            for who, t in targets.items():
                if apps is not None and who not in apps:
                    continue
                log(f"({key}) {title} on {who}")
                self.settle(targets)
                if who == "embedded":
                    self.quiesce_postgres()
                self.guarded(out[who], key, who, t, lambda: fn(t, who))

        crm_env = {"BENCH_EXPECT_STATUS": "201", "BENCH_EXPECT_BODY": "Event saved with campaign"}
        if "a" in self.only:
            each("a", "seed 000 k6 shape", lambda t, who: self.run_wrk(t, "crm_event.lua", f"a-{who}", d["a"], 100,
                                                                     env=dict(crm_env, BENCH_THINK_MS="100")))
        if "b" in self.only:
            each("b", "saturation POST /api/v1/events",
                 lambda t, who: self.with_wal(t, self.run_wrk(t, "crm_event.lua", f"b-{who}", d["b"], 64, env=crm_env)))
        tracked_why = {who: self.probe_tracked(t) for who, t in targets.items()} if self.only & set("ce") else {}

        def tracked(run):
            def fn(t, who):
                if tracked_why[who]:
                    log(f"  unavailable: {tracked_why[who]}")
                    return {"unavailable": tracked_why[who]}
                return run(t, who)
            return fn

        if "c" in self.only:
            each("c", "saturation POST /api/events", tracked(lambda t, who: self.run_wrk(
                t, "tracked_click.lua", f"c-{who}", d["c"], 64, env={"BENCH_EXPECT_STATUS": "201"})))
        if "d" in self.only:
            each("d", "batch ingest, 500 events per request", self.scenario_d, apps=pulse)
        if "j" in self.only:
            each("j", "SDK batch ingest, 100 messages per request", self.scenario_j, apps={w: t for w, t in pulse.items() if w == "server"})
        if "g" in self.only and pulse:
            log(f"(g) search on {d['search_events']:,} stored events, alone and under write load")
            for who, res in self.scenario_g(pulse).items():
                out[who]["g"] = res
        if "e" in self.only:
            each("e", "seed 004 Locust tracker test", tracked(lambda t, who: self.run_locust(
                t, "tracker_events.py", f"e-{who}", d["e_users"], d["e_rate"], d["e"])))
        if "f" in self.only:
            each("f", "seed 004 user-service mix", self.scenario_f)
        if "h" in self.only:
            each("h", "soak at half of (b)'s rate", lambda t, who: self.scenario_h(t, who, out[who].get("b")), apps=pulse)
        if "r" in self.only:
            for who in list(pulse):
                log(f"(r) retention pass dropping {d['retention_events']:,} expired events under load at half of (b)'s rate on {who}")
                self.settle(targets)
                self.guarded(out[who], "r", who, targets[who], lambda: self.scenario_r(targets, who, out[who].get("b")))
        if "l" in self.only:
            each("l", "the dashboard's API calls", lambda t, who: self.scenario_l(t, who, out[who].get("g")), apps=pulse)
        # Last: its millions of seeded events would otherwise sit in every later scenario's tables.
        if "k" in self.only:
            each("k", "export of stored events", self.scenario_k, apps=pulse)
        return out

    @staticmethod
    def guarded(out, key, who, t, fn):
        if not t.proc.alive():
            out[key] = {"failed": f"{who} is not running any more (exit code {t.proc.popen.returncode}; see {t.proc.log_path})"}
            log(f"  {key}: {out[key]['failed']}")
            return
        try:
            out[key] = fn()
        except Exception as exc:
            log(f"  {key} on {who} FAILED: {exc}")
            out[key] = {"failed": str(exc)[:600]}

    def with_wal(self, t, m):
        """For embedded mode: the WAL file's figures and the checkpointer's log lines during the measurement."""
        if t.wal is not None:
            m["wal"] = t.wal.summary(m["t0"], m["t1"])
            m["checkpoints"] = self.checkpoint_lines(t, m.get("log_span"))
            self.raw[m["label"]]["wal"] = m["wal"]
            self.raw[m["label"]]["checkpoints"] = m["checkpoints"]
        return m

    @staticmethod
    def checkpoint_lines(t, span):
        """The checkpointer's lines Pulse logged within span (byte offsets of its log), summarised."""
        if not span or None in span:
            return None
        with open(t.proc.log_path, "rb") as f:
            f.seek(span[0])
            text = f.read(max(0, span[1] - span[0])).decode(errors="replace")
        return parse.checkpoint_summary(parse.parse_checkpoints(text, CHECKPOINTER_CATEGORY))

    def embedded_startups(self, t, res):
        """(i) in embedded mode: start-ups on an existing file holding (g)'s search events (seeded now if (g) did not
        run), so the long-running embedded Pulse is stopped first (its shutdown is recorded by the caller's way)."""
        seeded = (res.get("g") or {}).get("seed")
        if not seeded:
            n = self.d["search_events"]
            log(f"(i) seeding {n:,} events into the embedded file through POST /api/v1/events/batch first")
            t0 = time.monotonic()
            self.seed_search_api(t, n)
            seeded = {"events": n, "seconds": time.monotonic() - t0, "how": "api"}
        secs, code = self.stop_app(t)
        self.results["shutdown"]["embedded"] = {"seconds": secs, "exit_code": code}
        log(f"Pulse (embedded mode) stopped in {secs:.2f} s (exit {code})")
        size = sum(os.path.getsize(self.sqlite_db + x) for x in ("", "-wal") if os.path.exists(self.sqlite_db + x))
        log(f"start-up: Pulse, embedded mode, on the existing file ({size / 1024 / 1024:,.0f} MB)")
        m = self.measure_startup("embedded", self.d["starts"])
        m.update({"db_mb": size / 1024 / 1024, "search_events": seeded["events"]})
        return m

    def scenario_d(self, t, who):
        size = 500
        m = self.run_wrk(t, "batch.lua", f"d-{who}", self.d["d"], 8,
                         env={"BENCH_EXPECT_STATUS": "200,201,207", "BENCH_EXPECT_BODY": '"failed":0', "BENCH_BATCH_SIZE": str(size)})
        m["batch_size"] = size
        m["rate"] = m["ok"] * size / m["duration_s"]
        return m

    def scenario_j(self, t, who):
        size = 100
        m = self.run_wrk(t, "sdk_batch.lua", f"j-{who}", self.d["j"], 8,
                         env={"BENCH_EXPECT_STATUS": "200", "BENCH_EXPECT_BODY": '"success":true', "BENCH_BATCH_SIZE": str(size)})
        m["batch_size"] = size
        m["rate"] = m["ok"] * size / m["duration_s"]
        return m

    def scenario_k(self, t, who):
        """(k): n events with three properties each, seeded straight into the database (not through HTTP: this
        measures reading), then GET /api/v1/events/export?eventName=export read by curl into wc: rows/s, bytes/s, and
        Pulse's RSS growth over its RSS just before the export."""
        n = self.d["k_server"] if who == "server" else self.d["k_embedded"]
        t0 = time.monotonic()
        if who == "server":
            self.seed_export_postgres(n)
        else:
            self.seed_export_sqlite(n)
        seed_s = time.monotonic() - t0
        log(f"  seeded {n:,} events in {seed_s:.0f} s")
        self.settle({who: t})
        rss0, _ = read_status(t.proc.pid)
        key = t.keys.get("BENCH_READ_KEY")
        auth = f'-H "Authorization: Bearer {key}" ' if key else ""
        url = f"{t.url}/api/v1/events/export?eventName=export"

        def go():
            started = time.monotonic()
            r = subprocess.run(["bash", "-o", "pipefail", "-c", f'curl -sS --fail -N {auth}"{url}" | wc -lc'],
                               capture_output=True, text=True)
            secs = time.monotonic() - started
            if r.returncode != 0:
                raise RuntimeError(f"export failed (exit {r.returncode}): {r.stderr.strip()[:300]}")
            lines, size = (int(x) for x in r.stdout.split())
            return {"rows": lines, "bytes": size, "seconds": secs}

        m, extras = t.measure(go)
        m.update(extras)
        samples = t.sampler.window(m["t0"], m["t1"])
        m.update({"events": n, "seed_s": seed_s, "rss_before_mb": rss0, "rps": m["rows"] / m["seconds"],
                  "bytes_per_s": m["bytes"] / m["seconds"],
                  "rss_growth_mb": None if m["peak_rss_mb"] is None or rss0 is None else m["peak_rss_mb"] - rss0,
                  "rss_series": [round(s[1]) for s in samples]})
        log(f"  exported {m['rows']:,} rows, {m['bytes'] / 1e6:,.0f} MB in {m['seconds']:.1f} s: {m['rps']:,.0f} rows/s, "
            f"RSS {rss0:.0f} -> peak {m['peak_rss_mb']:.0f} MB")
        if m["rows"] != n:
            raise RuntimeError(f"the export has {m['rows']:,} lines, {n:,} events were seeded")
        self.raw[f"k-{who}"] = dict(m)
        return m

    def seed_export_postgres(self, n, chunk=1_000_000):
        """(k)'s events: INSERT ... SELECT generate_series in chunks of a million, one user, event times 1 ms apart, the
        three properties in the events' own JSON only: an export without `where` never reads event_properties, and its
        30M rows would triple the seeding time. Then VACUUM ANALYZE, as autovacuum would."""
        uid, ext = self.psql("SELECT id || ',' || external_id FROM users WHERE external_id = 'test-user-1'").split(",", 1)
        seq = self.psql("SELECT pg_get_serial_sequence('events', 'id')")
        base = int(self.psql(f"SELECT greatest((SELECT coalesce(max(id), 0) FROM events), (SELECT last_value FROM {seq}))"))
        for start in range(0, n, chunk):
            lo, hi = base + start + 1, base + min(n, start + chunk)
            self.psql(commands=[
                "INSERT INTO events (id, name, user_id, external_id, properties, created_at, event_time) "
                f"SELECT g, 'export', {int(uid)}, '{ext}', json_build_array(json_build_object('key', 'action', 'value', 'buy'), "
                "json_build_object('key', 'amount', 'value', (g % 1000)::text), json_build_object('key', 'orderId', 'value', 'ord-' || g)), "
                f"t, t FROM generate_series({lo}, {hi}) g, LATERAL (SELECT now() - ({base + n} - g) * interval '1 ms' AS t) x"])
            log(f"  seeded {min(n, start + chunk):,} of {n:,}")
        self.psql(commands=[f"SELECT setval('{seq}', (SELECT max(id) FROM events))", "VACUUM ANALYZE events"])

    def seed_export_sqlite(self, n):
        """(k)'s events in embedded mode: the same rows through Python's sqlite3, one transaction (Pulse is idle)."""
        import sqlite3
        con = sqlite3.connect(self.sqlite_db, timeout=60)
        try:
            uid, ext = con.execute("SELECT id, external_id FROM users WHERE external_id = 'test-user-1'").fetchone()
            base = con.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
            now_ms = int(time.time() * 1000)
            with con:
                con.execute(
                    "WITH RECURSIVE g(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM g WHERE i < ?) "
                    "INSERT INTO events (id, name, user_id, external_id, properties, created_at, event_time) "
                    "SELECT i, 'export', ?, ?, json_array(json_object('key', 'action', 'value', 'buy'), "
                    "json_object('key', 'amount', 'value', CAST(i % 1000 AS TEXT)), json_object('key', 'orderId', 'value', 'ord-' || i)), "
                    "? - (? - i), ? - (? - i) FROM g", (base + 1, base + n, uid, ext, now_ms, base + n, now_ms, base + n))
        finally:
            con.close()

    def sdk_copy_ceiling(self):
        """psql \\copy of the rows scenario (j) makes Pulse write per SDK message: one events row (the flattened
        properties as json, the message as sent as json, sent_at), its event_properties rows (3 to 10 as flattened,
        6.25 on average, like sdk_batch.lua's) and one sdk_message_ids row, into scratch tables created LIKE the
        service's (same columns, defaults and indexes, the message ids' primary key included)."""
        n = self.d["sdk_copy_events"]
        paths = {t: os.path.join(self.work, f"sdkcopy-{t}.csv") for t in ("events", "props", "ids")}
        rnd = random.Random(5)
        now = datetime.datetime.now(datetime.timezone.utc)
        rows = 0
        with open(paths["events"], "w") as ev, open(paths["props"], "w") as pr, open(paths["ids"], "w") as ids:
            for i in range(1, n + 1):
                ts = (now + datetime.timedelta(milliseconds=i)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
                k = i % 8
                props = {"action": "test", "value": rnd.randint(0, 999), "plan": "pro"}
                if k >= 1:
                    props["cart"] = {"items": i % 7, "sku": f"sku-{rnd.randint(0, 99999):05d}"}
                if k >= 3:
                    props["price"] = {"amount": rnd.randint(0, 999) + 0.5, "currency": "EUR"}
                if k >= 5:
                    props["gift"], props["channel"] = True, "web"
                if k >= 7:
                    props["tags"] = ["a", "b"]
                flat = []
                for key, value in props.items():
                    if isinstance(value, dict):
                        flat += [(f"{key}.{k2}", v2) for k2, v2 in value.items()]
                    else:
                        flat.append((key, value))
                flat = [(key, json.dumps(v, separators=(",", ":")) if isinstance(v, list) else ("true" if v is True else str(v))) for key, v in flat]
                mid = f"copy-{i:012d}"
                user = rnd.randint(1, 5)
                message = json.dumps({"type": "track", "event": "sdk-bench", "userId": f"sdk-user-{user}", "messageId": mid,
                                      "timestamp": ts, "properties": props}, separators=(",", ":")).replace('"', '""')
                plist = json.dumps([{"key": key, "value": v} for key, v in flat], separators=(",", ":")).replace('"', '""')
                ev.write(f'{i},sdk-bench,{user},sdk-user-{user},"{plist}",{ts},{ts},"{message}",{ts},false\n')
                for key, v in flat:
                    num = v if re.fullmatch(r"-?\d+(\.\d+)?", v) else ""
                    pr.write(f'{i},{key},"{v.replace(chr(34), chr(34) * 2)}",{num}\n')
                    rows += 1
                ids.write(f"{mid},{ts}\n")
        self.psql(commands=[
            "DROP TABLE IF EXISTS bench_sdk_events, bench_sdk_event_properties, bench_sdk_message_ids",
            "CREATE TABLE bench_sdk_events (LIKE events INCLUDING ALL)",
            "CREATE TABLE bench_sdk_event_properties (LIKE event_properties INCLUDING ALL)",
            "CREATE TABLE bench_sdk_message_ids (LIKE sdk_message_ids INCLUDING ALL)",
            "CHECKPOINT"])
        t0 = time.monotonic()
        self.psql(commands=[
            f"\\copy bench_sdk_events (id, name, user_id, external_id, properties, created_at, event_time, message, sent_at, time_clamped) FROM '{paths['events']}' WITH (FORMAT csv)",
            f"\\copy bench_sdk_event_properties (event_id, key, value, num_value) FROM '{paths['props']}' WITH (FORMAT csv)",
            f"\\copy bench_sdk_message_ids (message_id, received_at) FROM '{paths['ids']}' WITH (FORMAT csv)"])
        secs = time.monotonic() - t0
        self.psql("DROP TABLE bench_sdk_events, bench_sdk_event_properties, bench_sdk_message_ids")
        for p in paths.values():
            os.remove(p)
        total = n * 2 + rows
        res = {"events": n, "rows": total, "seconds": secs, "events_per_s": n / secs, "rows_per_s": total / secs}
        log(f"    \\copy: {n:,} SDK messages ({total:,} rows) in {secs:.2f} s = {res['events_per_s']:,.0f} messages/s")
        return res

    def seed_search(self, t, who):
        """(g)'s data set in one mode's store. Embedded mode always goes through the API: the \\copy seeding (and its
        fallback) writes PostgreSQL's tables directly, and the harness runs nothing on the SQLite file (no ANALYZE
        either: what the searches need, Pulse has to provide)."""
        n = self.d["search_events"]
        mode = os.environ.get("BENCH_SEARCH_SEED", "api") if who == "server" else "api"
        t0 = time.monotonic()
        how = mode
        if mode == "api":
            try:
                self.seed_search_api(t, n)
            except Exception as exc:
                if who != "server":
                    raise
                log(f"  seeding through /api/v1/events/batch failed ({exc}); falling back to COPY")
                how = f"copy (the batch endpoint failed: {str(exc)[:200]})"
                self.seed_search_copy(n)
        else:
            self.seed_search_copy(n)
        seed_s = time.monotonic() - t0
        log(f"  {who}: seeded {n:,} events in {seed_s:.1f} s ({n / seed_s:,.0f} events/s) via {how}")
        if who == "server":
            self.psql(commands=["VACUUM ANALYZE events", "VACUUM ANALYZE event_properties"])
        # sanity: the equality query finds something
        h = Http(t.hostport)
        try:
            st, body = h.call("GET", "/api/v1/events?eventName=purchase&where=orderId%26ord-1%26%3D%26end")
        finally:
            h.close()
        return {"events": n, "seconds": seed_s, "how": how, "sample_eq": (st, body[:300].decode(errors="replace"))}

    def scenario_g(self, targets):
        """(g) in every mode: each store is seeded, then every measurement runs against the modes back to back: the
        paced searches (where the targets are judged), the closed-loop ones, then the reads alone and under write
        load (issue 12 item 4). Returns {who: {"seed", "eq", "three", "eq_sat", "three_sat", "rw"} or "failed"}."""
        n = self.d["search_events"]
        res = {who: {} for who in targets}
        for who, t in targets.items():
            log(f"  (g) seeding {who}")
            self.guarded(res[who], "seed", who, t, lambda: self.seed_search(t, who))
            if "failed" in res[who]["seed"]:
                res[who]["failed"] = "seeding: " + res[who].pop("seed")["failed"]
        common = {"BENCH_EXPECT_STATUS": "200", "BENCH_EXPECT_BODY": '"events":[{', "BENCH_SEARCH_EVENTS": str(n)}
        # Latency at a stated load (paced, like the soak), then throughput at saturation (8 connections, closed
        # loop: there p95 is mostly time spent queued for a core that wrk, Pulse and the database share).
        paced = {"BENCH_THREADS": "2"}
        steps = [
            ("eq", lambda t, who: self.run_wrk(t, "search.lua", f"g-eq-paced-{who}", self.d["g"], 16,
                                               env={**common, **paced, "BENCH_SEARCH_MODE": "eq", "BENCH_RATE": str(G_EQ_RATE)})),
            ("three", lambda t, who: self.run_wrk(t, "search.lua", f"g-three-paced-{who}", self.d["g"], 16,
                                                  env={**common, **paced, "BENCH_SEARCH_MODE": "three", "BENCH_RATE": str(G_THREE_RATE)})),
            ("eq_sat", lambda t, who: self.run_wrk(t, "search.lua", f"g-eq-{who}", self.d["g"], 8, env=dict(common, BENCH_SEARCH_MODE="eq"))),
            ("three_sat", lambda t, who: self.run_wrk(t, "search.lua", f"g-three-{who}", self.d["g"], 8,
                                                      env=dict(common, BENCH_SEARCH_MODE="three"))),
            ("rw", self.reads_under_writes),
        ]
        for key, fn in steps:
            for who, t in targets.items():
                if "failed" in res[who]:
                    continue
                self.settle(targets)
                if who == "embedded":
                    self.quiesce_postgres()
                self.guarded(res[who], key, who, t, lambda: fn(t, who))
                if "failed" in res[who][key]:
                    res[who]["failed"] = f"{key}: " + res[who].pop(key)["failed"]
        return res

    def reads_under_writes(self, t, who):
        """Issue 12 item 4, "reads do not wait behind writes": (g)'s two searches, a statistics count and a users
        listing, paced (the rw_*_rate knobs), first alone, then while (b)'s write load (64 connections, no think
        time) saturates the same Pulse. Each group runs after a warm-up of the same group."""
        n, d = self.d["search_events"], self.d
        search = {"BENCH_EXPECT_STATUS": "200", "BENCH_EXPECT_BODY": '"events":[{', "BENCH_SEARCH_EVENTS": str(n), "BENCH_THREADS": "1"}
        reads = [
            {"name": "eq", "script": "search.lua", "connections": 16, "threads": 1,
             "env": dict(search, BENCH_SEARCH_MODE="eq", BENCH_RATE=str(d["rw_eq_rate"]))},
            {"name": "three", "script": "search.lua", "connections": 8, "threads": 1,
             "env": dict(search, BENCH_SEARCH_MODE="three", BENCH_RATE=str(d["rw_three_rate"]))},
        ]
        unavailable = {}
        for name, path, body in (("stats", "/api/statistics?eventType=CLICK&componentId=1002&minutes=60", '"count":'),
                                 ("users", "/api/v1/users?page=0&size=20", '"success":true')):
            why = self.probe(t, "GET", path, None, (200,))
            if why:
                unavailable[name] = why
                log(f"  {name}: unavailable: {why}")
                continue
            reads.append({"name": name, "script": "reads.lua", "connections": 4, "threads": 1,
                          "env": {"BENCH_READ": name, "BENCH_RATE": str(d["rw_other_rate"]), "BENCH_THREADS": "1",
                                  "BENCH_EXPECT_STATUS": "200", "BENCH_EXPECT_BODY": body}})
        writes = {"name": "writes", "script": "crm_event.lua", "connections": 64, "threads": 2,
                  "env": {"BENCH_EXPECT_STATUS": "201", "BENCH_EXPECT_BODY": "Event saved with campaign"}}
        alone = self.run_wrk_group(t, f"g-reads-{who}", reads, self.d["g"])
        loaded = self.run_wrk_group(t, f"g-reads-writes-{who}", reads + [writes], self.d["g"])
        return {"alone": alone, "loaded": loaded, "unavailable": unavailable}

    def seed_minute_buckets(self, who):
        """7 days of per-minute counter rows (stat_minutes) up to the current minute, as a busy tracker leaves them:
        PAGE_VIEW and CLICK on components 1000-1009, SEARCH of the ten keywords on 1001, LIKE of 20 posts on 1003.
        There is no API that writes a past minute (tracked events are stamped when they arrive), so the rows go
        straight into the tables: embedded mode's file through Python's sqlite3 while Pulse runs (WAL: Pulse's readers
        and writer carry on), server mode's through psql, only for minutes older than the live counters' retention
        (3 h; younger minutes would need roll-up markers, which would keep the roll-up from adding their live buckets)."""
        now = int(time.time() // 60 * 60)
        first = now - 7 * 24 * 3600
        # Pulse's write path keeps stat_component_minutes (a component's minute, its members added up) beside the members'
        # rows; rows written behind its back get theirs the same way: the sum of the members' rows of the minute.
        members = ([("PAGE_VIEW", c, 0, "") for c in range(1000, 1010)] + [("CLICK", c, 0, "") for c in range(1000, 1010)]
                   + [("SEARCH", 1001, 0, k) for k in KEYWORDS] + [("LIKE", 1003, p, "") for p in range(1, 21)])
        t0 = time.monotonic()
        if who == "embedded":
            import sqlite3
            rnd = random.Random(11)
            db = sqlite3.connect(self.sqlite_db, timeout=60)
            try:
                for m0 in range(first, now, 1440 * 60):
                    rows = [(typ, c, p, k, m * 1000, rnd.randint(1, 40)) for m in range(m0, min(m0 + 1440 * 60, now), 60)
                            for typ, c, p, k in members]
                    db.executemany("INSERT OR IGNORE INTO stat_minutes (type, component_id, post_id, keyword, minute, count) "
                                   "VALUES (?, ?, ?, ?, ?, ?)", rows)
                    db.execute(COMPONENT_MINUTES_SQLITE, (m0 * 1000, min(m0 + 1440 * 60, now) * 1000))
                    db.commit()
            finally:
                db.close()
            minutes = (now - first) // 60
        else:
            last = now - 3 * 3600
            values = ", ".join(f"('{typ}', {c}, {p}, '{k}')" for typ, c, p, k in members)   # constants of this file
            self.psql(commands=[
                "INSERT INTO stat_minutes (type, component_id, post_id, keyword, minute, count) "
                f"SELECT m.type, m.c, m.p, m.k, to_timestamp(t), 1 + (random() * 39)::int FROM (VALUES {values}) AS m(type, c, p, k) "
                f"CROSS JOIN generate_series({first}, {last - 60}, 60) AS t ON CONFLICT DO NOTHING",
                "INSERT INTO stat_component_minutes (type, component_id, minute, count) "
                "SELECT type, component_id, minute, sum(count) FROM stat_minutes "
                f"WHERE minute >= to_timestamp({first}) AND minute < to_timestamp({last}) GROUP BY type, component_id, minute "
                "ON CONFLICT (type, component_id, minute) DO UPDATE SET count = excluded.count",
                "VACUUM ANALYZE stat_minutes", "VACUUM ANALYZE stat_component_minutes"])
            minutes = (last - first) // 60
        secs = time.monotonic() - t0
        log(f"  {who}: {minutes:,} minutes x {len(members)} counters of stat_minutes rows written in {secs:.1f} s")
        return {"minutes": minutes, "members": len(members), "rows": minutes * len(members), "seconds": secs}

    def scenario_l(self, t, who, g):
        """The dashboard's own API calls over (g)'s 1M stored events and 7 days of minute buckets. One client, as a
        page is: the calls of one refresh one after another, repeated l_rounds times, each call timed alone (no
        queueing behind another). The first round is reported apart (a freshly started Pulse's first reads: cold
        caches and compiled statements). The overview's CRM counts come from event_minutes, kept by the write path."""
        out = {}
        if not (g or {}).get("seed"):
            out["seed_events"] = self.seed_search(t, who)
        out["buckets"] = self.seed_minute_buckets(who)
        h = Http(t.hostport)
        samples = {name: [] for name, _ in DASHBOARD_CALLS}
        first = {}
        try:
            for rnd in range(int(os.environ.get("BENCH_L_ROUNDS", self.d["l_rounds"])) + 1):
                for name, path in DASHBOARD_CALLS:
                    t0 = time.perf_counter()
                    st, body = h.call("GET", path)
                    ms = (time.perf_counter() - t0) * 1000
                    if st != 200:
                        raise RuntimeError(f"{path} answered {st}: {body[:300]!r}")
                    if rnd == 0:
                        first[name] = ms
                    else:
                        samples[name].append(ms)
            st, body = h.call("GET", "/api/dashboard/overview")
            overview = json.loads(body)
        finally:
            h.close()

        def pct(xs, q):
            xs = sorted(xs)
            return xs[min(len(xs) - 1, max(0, int(round(q * len(xs) + 0.5)) - 1))]

        out["calls"] = [{"name": name, "path": path, "n": len(samples[name]), "first_ms": first[name],
                         "p50": pct(samples[name], 0.50), "p95": pct(samples[name], 0.95), "p99": pct(samples[name], 0.99),
                         "max": max(samples[name])} for name, path in DASHBOARD_CALLS]
        out["crm_last_hour"] = sum(next(s["counts"] for s in overview["ingested"]["series"] if s["kind"] == "CRM"))
        for c in out["calls"]:
            log(f"  {who} {c['name']}: p50 {c['p50']:.2f} p95 {c['p95']:.2f} p99 {c['p99']:.2f} max {c['max']:.1f} ms "
                f"(first {c['first_ms']:.1f})")
        return out

    def scenario_f(self, t, who):
        why = self.probe(t, "POST", "/api/posts", {"userId": 1, "content": "probe #고양이", "hashtags": ["고양이"]}, (201,))
        if why:
            log(f"  unavailable: {why}")
            return {"unavailable": why}
        path = self.seed_posts(t)
        return self.run_locust(t, "user_service.py", f"f-{who}", self.d["f_users"], self.d["f_rate"], self.d["f"],
                               env={"BENCH_POST_IDS_FILE": path})

    def scenario_h(self, t, who, b):
        if not b or "rps" not in b:
            log("  (b) was not run: a 10 s saturation probe sets the rate")
            b = self.run_wrk(t, "crm_event.lua", f"h-probe-{who}", 10, 64,
                             env={"BENCH_EXPECT_STATUS": "201", "BENCH_EXPECT_BODY": "Event saved with campaign"})
        rate = max(1.0, b["ok_rps"] / 2)
        # wrk has no fixed-rate mode (wrk2 is not packaged): bench/wrk/common.lua paces the sends through
        # delay() (BENCH_RATE). Enough connections that the rate holds while responses take up to ~50 ms
        # (connections beyond that only wait for their slot).
        conns = int(min(1000, max(32, math.ceil(rate * 0.05))))
        duration = self.d["h"]
        m = self.run_wrk(t, "crm_event.lua", f"h-{who}", duration, conns, timeout="10s", warmup=0,
                         env={"BENCH_EXPECT_STATUS": "201", "BENCH_EXPECT_BODY": "Event saved with campaign",
                              "BENCH_RATE": f"{rate:.1f}", "BENCH_THREADS": "2"})
        self.with_wal(t, m)
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
        self.raw[f"h-{who}"]["per_second"] = per_sec
        return m

    # ------------------------------------------------------------------ (r) retention under load

    RETENTION_DAYS = 30
    RETENTION_DELAY_S = 15
    RETENTION_LINE = re.compile(r"Retention removed (\d+) events, (\d+) tracked events and (\d+) minute counters "
                                r"\((\d+) partitions dropped, (\d+) created\) in ([\d.]+) s")

    def seed_expired_server(self, n):
        """n events 30.5 to 48 days old with 3 properties and a campaign link each, by SQL, in an id range of their own
        (docs/lifecycle.md "Retention"): a range started for them (retention_start_range, as Pulse's pass starts one),
        filled with ids from its first, then followed by a newer range started an hour ago, so the seeded range is
        wholly expired and not the newest, and the pass drops it whole (DETACH ... CONCURRENTLY, DROP). The events
        written by earlier scenarios stay in their range."""
        user = self.psql("SELECT id FROM users WHERE external_id = 'test-user-1'")
        campaign = self.psql("SELECT id FROM campaigns WHERE name = 'benchmark-campaign'")
        base = int(self.psql("SELECT retention_start_range('events', now() - interval '49 days')")) - 1
        t = ("CASE WHEN g % 10 = 0 THEN now() - interval '30 days 12 hours' - (g % 3600) * interval '1 second' "
             f"ELSE now() - interval '35 days' - (g % 100000) * interval '11 seconds' END")
        self.psql(commands=[
            f"INSERT INTO events (id, name, user_id, external_id, properties, created_at, event_time) SELECT {base} + g, 'expired', {user}, "
            f"'test-user-1', '[{{\"key\":\"action\",\"value\":\"test\"}},{{\"key\":\"timestamp\",\"value\":\"x\"}},{{\"key\":\"value\",\"value\":\"1\"}}]', "
            f"{t}, {t} FROM generate_series(1, {n}) AS g",
            f"INSERT INTO event_properties (event_id, key, value, num_value) SELECT {base} + g, k.key, k.value, k.num "
            f"FROM generate_series(1, {n}) AS g, (VALUES ('action', 'test', NULL::float8), ('timestamp', 'x', NULL), ('value', '1', 1)) AS k(key, value, num)",
            f"INSERT INTO campaign_events (campaign_id, event_id) SELECT {campaign}, {base} + g FROM generate_series(1, {n}) AS g",
            "SELECT retention_start_range('events', now() - interval '1 hour')",
            "SELECT retention_follow_newest_range('events')",
            "VACUUM ANALYZE events", "VACUUM ANALYZE event_properties", "VACUUM ANALYZE campaign_events", "CHECKPOINT"])

    def seed_expired_embedded(self, n):
        """The same rows in the SQLite file (Pulse is stopped meanwhile), in one transaction."""
        import sqlite3
        now_ms = int(time.time() * 1000)
        day = 86_400_000
        con = sqlite3.connect(self.sqlite_db)
        try:
            user = con.execute("SELECT id FROM users WHERE external_id = 'test-user-1'").fetchone()[0]
            campaign = con.execute("SELECT id FROM campaigns WHERE name = 'benchmark-campaign'").fetchone()[0]
            base = con.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
            js = json.dumps([{"key": "action", "value": "test"}, {"key": "timestamp", "value": "x"}, {"key": "value", "value": "1"}])

            def when(g):
                return now_ms - int(30.5 * day) - (g % 3600) * 1000 if g % 10 == 0 else now_ms - 35 * day - (g % 100000) * 11_000

            with con:
                con.executemany("INSERT INTO events (id, name, user_id, external_id, properties, created_at, event_time) "
                                "VALUES (?, 'expired', ?, 'test-user-1', ?, ?, ?)",
                                ((base + g, user, js, when(g), when(g)) for g in range(1, n + 1)))
                con.executemany("INSERT INTO event_properties (event_id, key, value, num_value) VALUES (?, ?, ?, ?)",
                                ((base + g, k, v, num) for g in range(1, n + 1)
                                 for k, v, num in (("action", "test", None), ("timestamp", "x", None), ("value", "1", 1.0))))
                con.executemany("INSERT INTO campaign_events (campaign_id, event_id) VALUES (?, ?)",
                                ((campaign, base + g) for g in range(1, n + 1)))
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()

    def expired_left(self, who):
        cutoff = f"now() - interval '{self.RETENTION_DAYS} days'"
        if who == "server":
            return int(self.psql(f"SELECT count(*) FROM events WHERE event_time < {cutoff}"))
        import sqlite3
        con = sqlite3.connect(self.sqlite_db)
        try:
            return con.execute("SELECT count(*) FROM events WHERE event_time < ?",
                               (int(time.time() * 1000) - self.RETENTION_DAYS * 86_400_000,)).fetchone()[0]
        finally:
            con.close()

    def scenario_r(self, targets, who, b):
        """(r): Pulse is stopped, n expired events are seeded straight into its store, Pulse is started again with
        Retention:EventsDays=30 and its first pass RETENTION_DELAY_S after start-up, and paced load at half of (b)'s
        rate runs over the pass. The pass's own log line gives what it removed and how long it took."""
        t = targets[who]
        # BENCH_R_RATE fixes the paced rate (to compare runs, or a run with its control, at one rate); BENCH_R_CONTROL=1
        # seeds the same rows but restarts Pulse without the retention setting, so no pass runs: the same load's
        # latency without retention, to tell what the pass adds from what the machine does.
        control = os.environ.get("BENCH_R_CONTROL") == "1"
        if os.environ.get("BENCH_R_RATE"):
            rate = float(os.environ["BENCH_R_RATE"])
        else:
            if not b or "ok_rps" not in b:
                log("  (b) was not run: a 10 s saturation probe sets the rate")
                b = self.run_wrk(t, "crm_event.lua", f"r-probe-{who}", 10, 64,
                                 env={"BENCH_EXPECT_STATUS": "201", "BENCH_EXPECT_BODY": "Event saved with campaign"})
            rate = max(1.0, b["ok_rps"] / 2)
        n = self.d["retention_events"]
        self.stop_app(t)
        t0 = time.monotonic()
        (self.seed_expired_server if who == "server" else self.seed_expired_embedded)(n)
        seed_s = time.monotonic() - t0
        log(f"  seeded {n:,} expired events in {seed_s:.1f} s; {self.expired_left(who):,} older than {self.RETENTION_DAYS} days")
        log_name = f"pulse-{who}-retention"
        settings = {"Retention__StartDelay": f"00:00:{self.RETENTION_DELAY_S:02d}",
                    "Retention__Interval": "01:00:00",
                    "Logging__LogLevel__Pulse.Api.Retention": "Information"}
        if not control:
            settings["Retention__EventsDays"] = str(self.RETENTION_DAYS)
        t, _ = self.start_app(who, extra_env=settings, log_name=log_name)
        targets[who] = t
        conns = int(min(1000, max(32, math.ceil(rate * 0.05))))
        m = self.run_wrk(t, "crm_event.lua", f"r-{who}", self.d["r"], conns, timeout="10s", warmup=0,
                         env={"BENCH_EXPECT_STATUS": "201", "BENCH_EXPECT_BODY": "Event saved with campaign",
                              "BENCH_RATE": f"{rate:.1f}", "BENCH_THREADS": "2"})
        per_sec = m.get("per_second") or []
        inner = per_sec[1:-1] if len(per_sec) > 2 else per_sec
        m.update({"target_rate": rate, "connections": conns, "seeded": n, "seed_seconds": seed_s,
                  "zero_seconds": sum(1 for c in inner if c == 0), "min_per_second": min(inner) if inner else None,
                  "max_per_second": max(inner) if inner else None})
        m["control"] = control
        deadline = time.monotonic() + (0 if control else 900)
        found = None
        while found is None and time.monotonic() < deadline:
            with open(os.path.join(self.work, f"{log_name}.log"), errors="replace") as f:
                found = self.RETENTION_LINE.search(f.read())
            if found is None:
                time.sleep(2)
        if found:
            m["removed_events"] = int(found.group(1))
            m["partitions_dropped"] = int(found.group(4))
            m["expiry_seconds"] = float(found.group(6))
            m["expiry_within_load"] = self.RETENTION_DELAY_S + m["expiry_seconds"] < self.d["r"]
        m["expired_left"] = self.expired_left(who)
        log(f"  retention: {m.get('removed_events', '?')} events removed in {m.get('expiry_seconds', '?')} s "
            f"({m.get('partitions_dropped', '?')} partitions dropped); expired events left {m['expired_left']:,}; "
            f"p99 {m['p99']:.1f} ms, p99.9 {m['p999']:.1f} ms, {m['zero_seconds']} s without completions")
        self.raw[f"r-{who}"]["per_second"] = per_sec
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
        pg = redis = ""
        if self.pg:
            pg = cmd_out([os.path.join(os.path.dirname(self.pg["psql"]) or "/usr/bin", "postgres"), "--version"]) \
                or cmd_out([self.pg["psql"], "--version"])
            redis = cmd_out([os.environ.get("PULSE_TEST_REDIS_SERVER", "redis-server"), "--version"]).split(" sha=")[0]
        sqlite = cmd_out([self.args.sqlite_bulk, "--version"]) if "embedded" in self.modes else ""
        wrk = [" ".join(cmd_out(["wrk", "-v"]).split()[:2])]
        head = cmd_out(["git", "-C", BENCH_DIR, "rev-parse", "--short", "HEAD"])
        dirty = cmd_out(["git", "-C", BENCH_DIR, "status", "--porcelain"])
        source = (f"git {head}" if head and "fatal" not in head else "git (no commit yet)") + \
                 (f", {len(dirty.splitlines())} uncommitted changes" if dirty else "")
        return {
            "timestamp": self.args.timestamp,
            "command": self.args.command or "bench/run.sh",
            "mode": self.mode,
            "storage_modes": self.modes,
            "durations": self.d,
            "machine": f"{os.cpu_count()} cores ({cpu}), {mem_gb} RAM, {platform.system()} {platform.release()}",
            "software": "; ".join(x for x in [
                f".NET {cmd_out(['dotnet', '--version'])} SDK", pg, redis, sqlite, wrk[0] if wrk else "wrk ?",
                "Locust " + (cmd_out(["/usr/bin/python3", "-c", "import locust; print(locust.__version__)"])
                             or cmd_out(["dpkg-query", "-W", "-f=${Version}", "python3-locust"]) or "?")] if x),
            "source": source,
            "postgres_settings": self.postgres_settings() if self.pg else None,
            "cores": os.cpu_count(),
            "work": os.path.relpath(self.work, os.path.dirname(BENCH_DIR)),
            "load_start": f"{os.getloadavg()[0]:.2f}",
            "auth": "an ingest key for writes, a read key for reads (Auth:BootstrapAdminKey for set-up)" if BOOTSTRAP_KEY
                    else "no keys (BENCH_AUTH=open: protected mode, loopback)",
        }

    def build_report(self, res, ceilings, startup):
        """The report's scenarios: for each, one table with a row per app (Pulse embedded, Pulse server, baseline,
        as far as they apply) and each mode's checks. res: {who: {scenario key: metrics}}."""
        sc = self.results["scenarios"]
        d = self.d
        modes = [m for m in ("embedded", "server") if m in self.modes]     # the report's row order
        base = res.get("baseline") or {}
        copy, bulk = ceilings.get("copy"), ceilings.get("sqlite")

        def metrics(who, key):
            v = (res.get(who) or {}).get(key)
            return v if isinstance(v, dict) and "rps" in v else None

        def status_of(key, whos):
            """ok, or failed / unavailable with each app's reason."""
            status, notes = "ok", []
            for who in whos:
                v = (res.get(who) or {}).get(key)
                for kind in ("failed", "unavailable"):
                    if isinstance(v, dict) and kind in v:
                        status = "failed" if "failed" in (kind, status) else kind
                        notes.append(f"{LABELS[who]}: {v[kind]}")
            return status, "; ".join(notes) or None

        def ratio(p, b, field="rps"):
            if p and b and b.get(field):
                return p.get(field, 0) / b[field]
            return None

        def check(who, name, value, passed):
            return {"name": f"{who}: {name}", "value": value, "pass": passed}

        def le(v, limit):
            return None if v is None else v <= limit

        def rows_of(key, field="rps", whos=None):
            bm = metrics("baseline", key)
            return [(LABELS[who], m, None if who == "baseline" else ratio(m, bm, field))
                    for who in (whos or modes + ["baseline"]) for m in [metrics(who, key)] if m]

        def notes_of(key, whos=None):
            return self.bad_notes(*(metrics(who, key) for who in (whos or modes + ["baseline"])))

        def vs_server(key, who_m):
            """Embedded mode's (b)/(c) target: at least server mode's req/s, measured back to back in this run."""
            sm = metrics("server", key)
            if "server" not in self.modes:
                return check("embedded", "≥ server mode's req/s (same run)", "not compared: server mode was not measured "
                             "in this run (--mode embedded)", None)
            if not sm:
                return check("embedded", "≥ server mode's req/s (same run)", "not compared: server mode's run failed", None)
            rr = who_m["ok_rps"] / sm["ok_rps"] if sm["ok_rps"] else None
            return check("embedded", "≥ server mode's req/s (same run)",
                         f"{who_m['ok_rps']:,.0f} vs {sm['ok_rps']:,.0f} req/s" + ("" if rr is None else f" ({rr:.2f}×)"),
                         None if rr is None else rr >= 1)

        # (a)
        if "a" in self.only:
            st, note = status_of("a", modes + ["baseline"])
            checks = []
            for who in modes:
                m = metrics(who, "a")
                if m:
                    checks += [check(who, "0 errors, every response \"Event saved with campaign\"",
                                     f"{m['errors']} errors of {m['requests']:,}", m["errors"] == 0),
                               check(who, "p95 ≤ 5 ms", f"{m['p95']:.2f} ms", le(m["p95"], 5)),
                               check(who, "p99 ≤ 10 ms", f"{m['p99']:.2f} ms", le(m["p99"], 10))]
            rows = rows_of("a")
            sc.append({"id": "a", "title": "Seed 000's k6 test: POST /api/v1/events, 100 connections, 100 ms think time",
                       "description": f"wrk -t2 -c100 -d{d['a']}s, `delay()` = 100 ms after every response (k6's `sleep(0.1)`); "
                                      "body: benchmark-event / benchmark-campaign / test-user-1..5, properties action, timestamp, value. "
                                      "A response counts only if it is 201 and contains \"Event saved with campaign\".",
                       "status": st, "note": note, "table": parse.metric_table(rows) if rows else None, "checks": checks,
                       "notes": notes_of("a")})
        # (b) and (c): server mode against a share of the baseline, embedded mode against server mode
        for key, share, title, description, what in (
                ("b", 0.5, "Saturation: POST /api/v1/events, 64 connections, no think time",
                 f"wrk -t2 -c64 -d{d['b']}s, the body of (a). req/s counts only checked (201, linked) responses.", "store"),
                ("c", 0.6, "Saturation: POST /api/events (tracked CLICK events), 64 connections",
                 f"wrk -t2 -c64 -d{d['c']}s; CLICK, userId 1..100, componentId 1000..2000, elementId element-1..50; 201 expected.",
                 "store and count")):
            if key not in self.only:
                continue
            st, note = status_of(key, modes + ["baseline"])
            bm = metrics("baseline", key)
            checks, extra = [], []
            for who in modes:
                m = metrics(who, key)
                if not m:
                    if st == "unavailable":
                        checks.append(check(who, "req/s target", "endpoint unavailable", None))
                    continue
                if who == "server":
                    rr = ratio(m, bm, "ok_rps")
                    checks.append(check(who, f"≥ {share * 100:.0f} % of the baseline's req/s", parse.fmt_ratio(rr),
                                        None if rr is None else rr >= share))
                    if key == "b":
                        checks.append(check(who, "p99 ≤ 25 ms", f"{m['p99']:.2f} ms", le(m["p99"], 25)))
                else:
                    checks.append(vs_server(key, m))
                checks.append(check(who, "0 errors", str(m["errors"]), m["errors"] == 0))
            extra += self.cpu_budget([(who, metrics(who, key)) for who in modes], bm, share, what)
            if key == "b":
                extra += self.wal_lines(metrics("embedded", "b"), "(b)")
            rows = rows_of(key, "ok_rps")
            sc.append({"id": key, "title": title, "description": description, "status": st, "note": note,
                       "table": parse.metric_table(rows) if rows else None, "checks": checks, "extra_md": extra,
                       "notes": notes_of(key)})
        # (d)
        if "d" in self.only:
            st, note = status_of("d", modes)
            rows, checks, extra = [], [], []
            ceiling_of = {"server": (copy, "\\copy"), "embedded": (bulk, "SQLite's bulk insert")}
            for who in modes:
                m = metrics(who, "d")
                if not m:
                    continue
                ceil, name = ceiling_of[who]
                rr = m["rate"] / ceil["events_per_s"] if ceil else None
                rows.append((f"{LABELS[who]}, POST /api/v1/events/batch", m, rr))
                checks += [check(who, f"≥ 75 % of {name}'s events/s", parse.fmt_ratio(rr), None if rr is None else rr >= 0.75),
                           check(who, "0 errors", str(m["errors"]), m["errors"] == 0)]
                extra.append(f"{LABELS[who]}: {m['ok']:,} batches of {m['batch_size']} committed "
                             f"({m['ok'] * m['batch_size']:,} events, {m['rps']:,.1f} requests/s); latencies are per 500-event request.")
            table = parse.metric_table(rows, rate_header="events/s") if rows else None
            crows = []
            if bulk:
                crows.append([f"SQLite {bulk['sqlite_version']} bulk insert, one transaction (embedded mode's)",
                              parse.fmt_num(bulk["events"]), parse.fmt_num(bulk["rows"]), f"{bulk['seconds']:.2f}",
                              parse.fmt_num(bulk["events_per_s"]), parse.fmt_num(bulk["rows_per_s"])])
            if copy:
                crows.append(["psql \\copy (server mode's)", parse.fmt_num(copy["events"]), parse.fmt_num(copy["rows"]),
                              f"{copy['seconds']:.2f}", parse.fmt_num(copy["events_per_s"]), parse.fmt_num(copy["rows_per_s"])])
            if crows:
                extra.insert(0, "The ceilings, measured in this run (1 events + 3 event_properties + 1 campaign_events row "
                                "per event):\n\n" + parse.md_table(["ceiling", "events", "rows", "seconds", "events/s", "rows/s"], crows))
            if bulk:
                extra.insert(1, "SQLite's bulk insert (`bench/sqlite-bulk`): a fresh file with Pulse's schema "
                                "(`SqliteCrmSchema` through `SqliteMigrations`: WAL), synchronous=FULL, foreign keys not "
                                "enforced (like the \\copy tables), three prepared statements, every row in one transaction "
                                f"from BEGIN to the durable COMMIT; the checkpoint after it took {bulk['checkpoint_seconds']:.2f} s "
                                f"more ({bulk['events'] / (bulk['seconds'] + bulk['checkpoint_seconds']):,.0f} events/s "
                                "with it), not counted, as PostgreSQL's checkpoint is not counted for \\copy.")
            sc.append({"id": "d", "title": "Batch ingest: 500 events per request vs the store's own bulk insert",
                       "description": f"wrk -t2 -c8 -d{d['d']}s posting 500-event batches (the event of (a)); a request counts when "
                                      "it is 200 (or 201/207) with `\"failed\":0`. The ceilings, in the same run: "
                                      + "; ".join(x for who, x in (
                                          ("server", "for server mode psql \\copy of the same rows into scratch tables `LIKE` "
                                                     "the service's (same columns, defaults, indexes; no foreign keys), one connection"),
                                          ("embedded", "for embedded mode SQLite's own bulk insert of the same rows")) if who in modes) + ".",
                       "status": st, "note": note, "table": table, "extra_md": extra, "checks": checks,
                       "notes": notes_of("d", modes)})
        # (j)
        if "j" in self.only:
            st, note = status_of("j", [w for w in modes if w == "server"])
            rows, checks, extra = [], [], []
            sdk_copy = ceilings.get("sdk_copy")
            m = metrics("server", "j")
            if m:
                rr = m["rate"] / sdk_copy["events_per_s"] if sdk_copy else None
                rows.append(("Pulse (server), POST /v1/batch", m, rr))
                checks += [check("server", "≥ 70 % of \\copy's messages/s", parse.fmt_ratio(rr), None if rr is None else rr >= 0.70),
                           check("server", "0 errors", str(m["errors"]), m["errors"] == 0)]
                extra.append(f"{m['ok']:,} batches of {m['batch_size']} committed ({m['ok'] * m['batch_size']:,} messages, "
                             f"{m['rps']:,.1f} requests/s); latencies are per 100-message request.")
            if sdk_copy:
                extra.insert(0, parse.md_table(["ceiling", "messages", "rows", "seconds", "messages/s", "rows/s"],
                                               [["psql \\copy: events + event_properties + sdk_message_ids", parse.fmt_num(sdk_copy["events"]),
                                                 parse.fmt_num(sdk_copy["rows"]), f"{sdk_copy['seconds']:.2f}",
                                                 parse.fmt_num(sdk_copy["events_per_s"]), parse.fmt_num(sdk_copy["rows_per_s"])]]))
            sc.append({"id": "j", "title": "SDK batch ingest: POST /v1/batch, 100 messages per request, deduplication on",
                       "description": f"wrk -t2 -c8 -d{d['j']}s posting Segment batches of 100 track messages (3 to 10 properties, "
                                      "some nested; every message id new), counted when 200 with `\"success\":true`; against "
                                      "psql \\copy of the same rows (events, flattened properties, message ids) into scratch tables "
                                      "`LIKE` the service's, one connection. Server mode only.",
                       "status": st, "note": note, "table": parse.metric_table(rows, rate_header="messages/s") if rows else None,
                       "extra_md": extra, "checks": checks, "notes": notes_of("j", ["server"])})
        # (k)
        if "k" in self.only:
            st, note = status_of("k", modes)
            rows, checks, extra = [], [], []
            for who in modes:
                m = metrics(who, "k")
                if not m:
                    continue
                rows.append([LABELS[who], parse.fmt_num(m["rows"]), f"{m['bytes'] / 1e6:,.0f}", f"{m['seconds']:.1f}",
                             parse.fmt_num(m["rps"]), f"{m['bytes_per_s'] / 1e6:,.1f}", f"{m['rss_before_mb']:.0f}",
                             f"{m['peak_rss_mb']:.0f}", f"{m['rss_growth_mb']:+.0f}", f"{m['cpu_cores']:.2f}",
                             fmt_cores((m.get("cpu_shares") or {}).get("postgres")), fmt_cores((m.get("cpu_shares") or {}).get("idle")),
                             f"{m['seed_s']:.0f}"])
                if who == "server":
                    checks += [check(who, "≥ 100,000 rows/s", parse.fmt_num(m["rps"]), m["rps"] >= 100_000),
                               check(who, "RSS growth ≤ 50 MB", f"{m['rss_growth_mb']:+.0f} MB", m["rss_growth_mb"] <= 50)]
                series = m.get("rss_series") or []
                step = max(1, len(series) // 30)
                extra.append(f"{LABELS[who]} RSS during the export, MB, every {step} s: " + ", ".join(str(x) for x in series[::step]))
            sc.append({"id": "k", "title": "Export: GET /api/v1/events/export (NDJSON) of stored events",
                       "description": f"{d['k_server']:,} events (server mode; {d['k_embedded']:,} embedded) with three properties each (in the events' JSON; "
                                      "event_properties is not read without `where` and not seeded), seeded straight into the database (INSERT ... SELECT generate_series; Python's sqlite3 "
                                      "embedded), then one export of all of them (`eventName=export`) read by `curl -N | wc -lc`. "
                                      "RSS growth: peak during the export (VmHWM, reset first) minus the RSS just before it.",
                       "status": st, "note": note,
                       "table": parse.md_table(["app", "rows", "MB", "seconds", "rows/s", "MB/s", "RSS before MB", "peak RSS MB",
                                                "growth MB", "Pulse CPU cores", "PostgreSQL cores", "idle cores", "seeding s"], rows, align="lrrrrrrrrrrrr") if rows else None,
                       "extra_md": extra, "checks": checks, "notes": None})
        # (e)
        if "e" in self.only:
            st, note = status_of("e", modes + ["baseline"])
            be = metrics("baseline", "e")
            checks = []
            for who in modes:
                m = metrics(who, "e")
                if m:
                    diff = m["p95"] - be["p95"] if be and m["p95"] is not None and be["p95"] is not None else None
                    checks += [check(who, "0 errors", str(m["errors"]), m["errors"] == 0),
                               check(who, "p95 within 5 ms of the baseline's", "–" if diff is None else
                                     f"{m['p95']:.0f} vs {be['p95']:.0f} ms (+{diff:.0f})", None if diff is None else diff <= 5)]
                elif st == "unavailable":
                    checks.append(check(who, "0 errors, p95 within 5 ms of the baseline's", "endpoint unavailable", None))
            rows = rows_of("e")
            sc.append({"id": "e", "title": "Seed 004's Locust test: POST /api/events, Locust users with 0.5–1 s waits",
                       "description": f"locust --headless -u {d['e_users']} -r {d['e_rate']} -t {d['e']}s (bench/locust/tracker_events.py); "
                                      "random CLICK / PAGE_VIEW / SEARCH / LIKE. Locust's Python client is the bottleneck on two "
                                      "shared cores, hence the baseline app under the same load in the same run. "
                                      "Locust rounds latencies to whole milliseconds.",
                       "status": st, "note": note, "table": parse.metric_table(rows) if rows else None, "checks": checks,
                       "notes": notes_of("e")})
        # (f)
        if "f" in self.only:
            st, note = status_of("f", modes + ["baseline"])
            checks, by = [], []
            for who in modes + ["baseline"]:
                m = metrics(who, "f")
                if m and who != "baseline":
                    checks += [check(who, "0 errors", str(m["errors"]), m["errors"] == 0),
                               check(who, "p95 ≤ 15 ms", f"{m['p95']:.0f} ms", le(m["p95"], 15))]
                elif not m and who != "baseline" and st == "unavailable":
                    checks.append(check(who, "0 errors, p95 ≤ 15 ms", "endpoints unavailable", None))
                by += [(f"{LABELS[who]}: {x['name']}", x, None) for x in (m or {}).get("by_name", [])]
            rows = rows_of("f")
            sc.append({"id": "f", "title": "Seed 004's user-service mix: like-toggle 4, hashtag search 2, click 2, page view 2",
                       "description": f"locust --headless -u {d['f_users']} -r {d['f_rate']} -t {d['f']}s (bench/locust/user_service.py), "
                                      f"one task per second per user; {d['posts']:,} seeded posts with 1–4 of the ten hashtags.",
                       "status": st, "note": note, "table": parse.metric_table(rows) if rows else None, "checks": checks,
                       "extra_md": ["Per request type:\n\n" + parse.metric_table(by)] if by else [], "notes": notes_of("f")})
        if "g" in self.only:
            self.report_g(res, modes)
        # (h)
        if "h" in self.only:
            st, note = status_of("h", modes)
            rows, checks, extra = [], [], []
            for who in modes:
                m = metrics(who, "h")
                if not m:
                    continue
                rows.append((LABELS[who], m, None))
                growth = m.get("rss_growth")
                checks += [check(who, "p99.9 ≤ 100 ms", f"{m['p999']:.1f} ms", le(m["p999"], 100)),
                           check(who, "no second without completions", f"{m['zero_seconds']} s with none "
                                 f"(min {m['min_per_second']}/s)", m["zero_seconds"] == 0),
                           check(who, "RSS growth after warm-up ≤ 10 %", "–" if growth is None else f"{growth * 100:+.1f} %",
                                 None if growth is None else growth <= 0.10),
                           check(who, "0 errors", str(m["errors"]), m["errors"] == 0)]
                extra.append(f"{LABELS[who]}: target {m['target_rate']:,.0f} req/s (half of its (b)), achieved {m['ok_rps']:,.0f} "
                             f"req/s over {m['connections']} paced connections; completions per second min {m['min_per_second']} / "
                             f"max {m['max_per_second']}; RSS after the {self.d['h_warmup']} s warm-up "
                             f"{m.get('rss_after_warmup_mb') or 0:.0f} MB, at the end {m.get('rss_end_mb') or 0:.0f} MB.")
                slowest = m.get("slowest_seconds") or []
                if slowest:
                    extra.append(f"{LABELS[who]}, the seconds with the fewest completions, with the machine's worst scheduling "
                                 "delay and its I/O stall in each (`bench/lib/hiccup.py`; a hiccup as long as the dip means the "
                                 "whole machine stalled, an I/O stall that every task waited on the disk): " + "; ".join(
                                     f"second {x['second']}: {x['completions']:,} completions, hiccup "
                                     + ("?" if x["hiccup_ms"] is None else f"{x['hiccup_ms']:.0f} ms")
                                     + ", I/O stall " + ("?" if x.get("io_stall_ms") is None else f"{x['io_stall_ms']:.0f} ms")
                                     for x in slowest) + ".")
                series = m.get("rss_series") or []
                step = max(1, len(series) // 30)
                extra.append(f"{LABELS[who]} RSS during the soak, MB, every {step} s: " + ", ".join(str(x) for x in series[::step]))
                if who == "embedded":
                    extra += self.wal_lines(m, "(h)")
            sc.append({"id": "h", "title": f"Soak: {d['h']} s at half of (b)'s rate",
                       "description": "wrk -t2 with the sends paced to the rate through Lua `delay()` (wrk2 is not packaged; "
                                      "latency is measured from the actual send, so queueing behind a stall is not added as "
                                      "wrk2 would); per-second completions counted in the Lua `response()` hook; RSS sampled "
                                      "every second; in embedded mode also the WAL file's size and Pulse's checkpoint log lines.",
                       "status": st, "note": note, "table": parse.metric_table(rows, p999=True) if rows else None,
                       "checks": checks, "extra_md": extra, "notes": notes_of("h", modes)})
        # (r)
        if "r" in self.only:
            st, note = status_of("r", modes)
            rows, checks, extra = [], [], []
            for who in modes:
                m = metrics(who, "r")
                if not m:
                    continue
                rows.append((LABELS[who], m, None))
                mine = [check(who, "p99.9 ≤ 100 ms", f"{m['p999']:.1f} ms", le(m["p999"], 100)),
                        check(who, "expired events all removed", f"{m.get('expired_left', '?')} left", m.get("expired_left") == 0),
                        check(who, "the pass ran within the load", f"{self.RETENTION_DELAY_S} s + "
                              f"{m.get('expiry_seconds', '?')} s of {d['r']} s", m.get("expiry_within_load")),
                        check(who, "0 errors", str(m["errors"]), m["errors"] == 0)]
                checks += [c for c in mine if not m.get("control") or c["name"].endswith(("ms", "errors"))]
                what = ("CONTROL, no retention setting, so no pass ran" if m.get("control") else
                        f"the pass removed {m.get('removed_events', '?')} events in {m.get('expiry_seconds', '?')} s "
                        f"({m.get('partitions_dropped', '?')} partitions dropped)")
                fixed = "BENCH_R_RATE" if os.environ.get("BENCH_R_RATE") else "half of its (b)"
                extra.append(f"{LABELS[who]}: {m['seeded']:,} expired events seeded in {m['seed_seconds']:.0f} s; {what}; "
                             f"load target {m['target_rate']:,.0f} req/s ({fixed}), achieved {m['ok_rps']:,.0f} req/s; p99 {m['p99']:.1f} ms, p99.9 {m['p999']:.1f} ms; "
                             f"{m['zero_seconds']} s without completions (min {m['min_per_second']}/s, max {m['max_per_second']}/s).")
            sc.append({"id": "r", "title": f"Retention: a pass removing {d['retention_events']:,} expired events under load at half of (b)'s rate",
                       "description": f"Pulse stopped, expired events (30.5 to 48 days old, 3 properties and a campaign link each) seeded "
                                      f"straight into its store (server mode: into an id range of their own, followed by a newer one, "
                                      f"so the pass drops it whole), Pulse restarted with Retention:EventsDays={self.RETENTION_DAYS} and its "
                                      f"first pass {self.RETENTION_DELAY_S} s after start-up, then {d['r']} s of POST /api/v1/events paced "
                                      "at half of (b)'s rate (as (h)). The pass's own log line says what it removed and how long it took.",
                       "status": st, "note": note, "table": parse.metric_table(rows, p999=True) if rows else None,
                       "checks": checks, "extra_md": extra, "notes": notes_of("r", modes)})
        # (l)
        if "l" in self.only:
            st, note = status_of("l", modes)
            checks, extra, tables = [], [], []
            for who in modes:
                k = (res.get(who) or {}).get("l")
                if not isinstance(k, dict) or "calls" not in k:
                    continue
                tables.append(f"{LABELS[who]}:\n\n" + parse.md_table(
                    ["call", "n", "first call, ms", "p50", "p95", "p99", "max"],
                    [[f"{c['name']} `{c['path']}`", str(c["n"]), f"{c['first_ms']:.1f}", f"{c['p50']:.2f}", f"{c['p95']:.2f}",
                      f"{c['p99']:.2f}", f"{c['max']:.1f}"] for c in k["calls"]]))
                checks += [check(who, f"{c['name']}: p95 ≤ {L_TARGET_MS} ms", f"{c['p95']:.2f} ms", le(c["p95"], L_TARGET_MS))
                           for c in k["calls"]]
                b = k["buckets"]
                extra.append(f"{LABELS[who]}: {b['rows']:,} stat_minutes rows ({b['minutes']:,} minutes × {b['members']} counters) "
                             f"written in {b['seconds']:.1f} s; the overview's CRM events in the last hour: {k['crm_last_hour']:,}.")
            sc.append({"id": "l", "title": "The dashboard's API calls over 1M stored events and 7 days of minute buckets",
                       "description": f"One client, as one dashboard page: the calls the page makes on load and on each 10 s "
                                      f"refresh (its default series: CLICK, component 1002, last hour), plus the series over its "
                                      f"other ranges, each call timed alone, {int(os.environ.get('BENCH_L_ROUNDS', d['l_rounds']))} rounds after a first one (reported "
                                      "apart: a freshly started Pulse's cold caches and statements). Over (g)'s 1M "
                                      "events (seeded first when (g) did not run) and 7 days of stat_minutes rows (with their "
                                      "stat_component_minutes rows, as Pulse's write path keeps them).",
                       "status": st, "note": note, "table": None, "checks": checks, "extra_md": tables + extra, "notes": None})
        # (i)
        if "i" in self.only:
            rows, checks, extra = [], [], []
            for who, s, what in (("embedded", startup.get("embedded"), "existing file"),
                                 ("server", startup.get("server") if "i" in self.only else None, "empty database"),
                                 ("baseline", startup.get("baseline"), "–")):
                if s and len(s["ms"]) > 1:
                    if who == "embedded":
                        what = f"existing file: {s['search_events']:,} search events + the earlier scenarios', {s['db_mb']:,.0f} MB"
                    rows.append([LABELS[who], what, f"{s['median_ms']:.0f}", ", ".join(f"{x:.0f}" for x in s["ms"]),
                                 ", ".join(f"{x:.2f}" for x in s["stop_s"])])
            for who in modes:
                s = startup.get(who)
                if s and len(s["ms"]) > 1:
                    name = ("start-up to /health/ready on an existing file with (g)'s events: median of "
                            f"{len(s['ms'])} ≤ 1 s") if who == "embedded" else f"start-up to /health/ready: median of {len(s['ms'])} ≤ 1 s"
                    checks.append(check(who, name, f"{s['median_ms']:.0f} ms", s["median_ms"] <= 1000))
                elif who == "embedded" and "embedded" in self.modes:
                    checks.append(check(who, "start-up on an existing file ≤ 1 s", "not measured (the run failed before)", None))
                pb, bb = metrics(who, "b"), metrics("baseline", "b")
                if pb and bb and pb.get("peak_rss_mb") and bb.get("peak_rss_mb"):
                    rr = pb["peak_rss_mb"] / bb["peak_rss_mb"]
                    checks.append(check(who, "peak RSS under (b) ≤ 2× the baseline's",
                                        f"{pb['peak_rss_mb']:.0f} vs {bb['peak_rss_mb']:.0f} MB ({rr:.2f}×)", rr <= 2))
            if startup.get("embedded_first_ms") is not None:
                extra.append(f"Embedded mode's first start in this run, creating the file and its schema: "
                             f"{startup['embedded_first_ms']:.0f} ms.")
            for who, sh in (self.results.get("shutdown") or {}).items():
                extra.append(f"{LABELS[who]}'s final shutdown after its scenarios (SIGTERM → exit): {sh['seconds']:.2f} s, "
                             f"exit code {sh['exit_code']}.")
            sc.append({"id": "i", "title": "Start-up and memory",
                       "description": "Time from spawning the published apphost to the first 200 from GET /health/ready "
                                      "(polled every 5 ms), 5 starts each, each stopped with SIGTERM. Server mode starts on "
                                      "an empty database at the beginning of the run (the first start creates the schema); "
                                      "embedded mode at the end, after its long-running instance has stopped, on the file "
                                      "its scenarios filled ((g) seeds its search events first).",
                       "status": "ok", "table": parse.md_table(["app", "database", "median ms", "each start, ms",
                                                                "SIGTERM → exit, s"], rows, align="llrrr") if rows else None,
                       "checks": checks, "extra_md": extra})
        self.results["published"] = PUBLISHED

    def report_g(self, res, modes):
        """(g): the searches alone (judged) and the reads alone vs under write load (reported)."""
        d = self.d
        rows, checks, extra, notes, failed = [], [], [], [], []
        names = [("eq", f"equality: orderId = ord-N (1 hit), {G_EQ_RATE:,} req/s"),
                 ("three", f"category =, price >, sku like; limit=100, {G_THREE_RATE:,} req/s"),
                 ("eq_sat", "equality, saturation (8 connections)"),
                 ("three_sat", "three conditions, saturation (8 connections)")]
        g = {who: (res.get(who) or {}).get("g") or {} for who in modes}
        for key, name in names:
            for who in modes:
                if key in g[who]:
                    rows.append((f"{LABELS[who]}: {name}", g[who][key], None))
        for who in modes:
            r = g[who]
            if "failed" in r:
                failed.append(f"{LABELS[who]}: {r['failed']}")
            if "eq" in r and "three" in r:
                errors = sum(r[k]["errors"] for k in ("eq", "three", "eq_sat", "three_sat") if k in r)
                checks += [{"name": f"{who}: selective equality p95 ≤ 5 ms (at {G_EQ_RATE:,} req/s)",
                            "value": f"{r['eq']['p95']:.2f} ms", "pass": r["eq"]["p95"] <= 5},
                           {"name": f"{who}: three conditions, first page of 100: p95 ≤ 50 ms (at {G_THREE_RATE:,} req/s)",
                            "value": f"{r['three']['p95']:.2f} ms", "pass": r["three"]["p95"] <= 50},
                           {"name": f"{who}: 0 errors (every answer 200 with at least one event)", "value": str(errors),
                            "pass": errors == 0}]
            s = r.get("seed")
            if s:
                extra.append(f"{LABELS[who]}: seeded {s['events']:,} \"purchase\" events (4 properties each) in {s['seconds']:.1f} s "
                             f"({s['events'] / s['seconds']:,.0f} events/s) via {s['how']}"
                             + ("; then `VACUUM ANALYZE`" if who == "server" else "; nothing is run on the SQLite file")
                             + ". The store also holds the events written by the earlier scenarios.")
            notes += [n for k in ("eq", "three", "eq_sat", "three_sat") if k in r for n in self.bad_notes(r[k])]
        extra += self.read_write_lines(res, g, modes)
        for who in modes:
            for part in ("alone", "loaded"):
                notes += self.bad_notes(*(((g[who].get("rw") or {}).get(part) or {}).values()))
        self.results["scenarios"].append({
            "id": "g", "title": f"Search on {d['search_events']:,} stored events: GET /api/v1/events, alone and under write load",
            "description": f"wrk -t2 -d{d['g']}s per row: first at a stated rate ({G_EQ_RATE:,} and {G_THREE_RATE:,} "
                           "req/s, paced as in (h), 16 connections), where the targets are judged, then closed-loop "
                           "with 8 connections for throughput (its p95 is mostly queueing for a shared core); "
                           "\"purchase\" events with orderId ord-N (unique), "
                           "category cat-0..19, price 0..999, sku sku-00000..99999; each request picks a random orderId, "
                           "or a random category, price threshold (100..900) and sku digit. A response counts when it is "
                           "200 with at least one event. Each row runs against the modes back to back.",
            "status": "failed" if failed else "ok", "note": "; ".join(failed) or None,
            "table": parse.metric_table(rows) if rows else None, "checks": checks, "extra_md": extra, "notes": notes})

    def read_write_lines(self, res, g, modes):
        """Issue 12 item 4: the reads' latency alone and while (b)'s writes saturate the same Pulse."""
        d = self.d
        names = {"eq": f"equality search, {d['rw_eq_rate']:,} req/s", "three": f"three-condition search, {d['rw_three_rate']:,} req/s",
                 "stats": f"GET /api/statistics (CLICK, one component, 60 min), {d['rw_other_rate']:,} req/s",
                 "users": f"GET /api/v1/users (a page of 20), {d['rw_other_rate']:,} req/s"}

        def lat(m):
            return "–" if not m else f"{parse.fmt_ms(m['p50'])} / {parse.fmt_ms(m['p95'])} / {parse.fmt_ms(m['p99'])}"

        rows, unavailable, writes = [], [], []
        for read, name in names.items():
            for who in modes:
                rw = g[who].get("rw")
                if not rw:
                    continue
                if read in rw.get("unavailable", {}):
                    unavailable.append(f"{LABELS[who]}: {read}: {rw['unavailable'][read]}")
                    continue
                a, b = rw["alone"].get(read), rw["loaded"].get(read)
                if not a and not b:
                    continue
                ratio = b["p95"] / a["p95"] if a and b and a["p95"] else None
                rows.append([name, LABELS[who], parse.fmt_num(a and a["ok_rps"]), lat(a), parse.fmt_num(b and b["ok_rps"]), lat(b),
                             "–" if ratio is None else f"{ratio:.1f}×",
                             f"{a['errors'] if a else '–'} / {b['errors'] if b else '–'}"])
        for who in modes:
            rw = g[who].get("rw")
            w = rw and rw["loaded"].get("writes")
            if not w:
                continue
            bm = (res.get(who) or {}).get("b")
            alone = f"{bm['ok_rps']:,.0f} req/s, p99 {parse.fmt_ms(bm['p99'])} ms in (b)" if isinstance(bm, dict) and "ok_rps" in bm \
                else "(b) not run"
            writes.append([LABELS[who], parse.fmt_num(w["ok_rps"]), lat(w), str(w["errors"]), alone,
                           "–" if w.get("cpu_cores") is None else f"{w['cpu_cores']:.2f}"])
        if not rows and not writes:
            return []
        out = ["Reads do not wait behind writes (issue 12 item 4; reported, not judged): (g)'s two searches, a statistics "
               "count and a users listing, paced at the rates in the first column (16, 8, 4 and 4 connections; a load meant to "
               "leave the machine room when alone, so that what changes under writes is the writes), all at once, first "
               "alone, then while (b)'s write load (POST /api/v1/events, 64 connections, no think time) runs against the "
               f"same Pulse; {self.d['g']} s each after a warm-up of the same load. Latencies in ms (p50 / p95 / p99); req/s "
               "counts checked responses, so a rate below the stated one means the reads fell behind.\n\n"
               + parse.md_table(["read", "target", "req/s alone", "alone p50 / p95 / p99", "req/s under writes",
                                 "under writes p50 / p95 / p99", "p95 under writes / alone", "errors alone / under writes"],
                                rows, align="llrrrrrr")]
        if writes:
            out.append("The writes meanwhile:\n\n" + parse.md_table(
                ["target", "writes req/s (with the reads)", "p50 / p95 / p99", "errors", "alone", "Pulse CPU (cores)"],
                writes, align="lrrrlr"))
        if unavailable:
            out.append("Unavailable reads: " + "; ".join(unavailable) + ".")
        return out

    @staticmethod
    def wal_lines(m, scenario):
        """Embedded mode's WAL file and checkpoints during a measurement (WalSampler, the checkpointer's log lines)."""
        if not m or not m.get("wal"):
            return []
        w = m["wal"]
        step = max(1, len(w["series_mb"]) // 30)
        out = [f"Embedded mode's WAL during {scenario} (`pulse.db-wal`, sampled every second; `wal-embedded.csv`): max "
               f"{w['max_mb']:,.1f} MB, {w['start_mb']:,.1f} MB at the start and {w['end_mb']:,.1f} MB at the end; the file shrank "
               f"{w['shrinks']} times (truncated) and the log restarted from its beginning {w['resets']} times (its header's "
               f"checkpoint sequence number; a restart re-uses the file without shrinking it). MB every {step} s: "
               + ", ".join(str(x) for x in w["series_mb"][::step]) + "."]
        c = m.get("checkpoints")
        if c:
            out.append(f"Pulse logged {c['count']} checkpoints during {scenario} (`{CHECKPOINTER_CATEGORY}` at Debug: "
                       + ", ".join(f"{n} {mode}" for mode, n in c["modes"].items())
                       + ("" if c["median_ms"] is None else f"), median {c['median_ms']:.1f} ms, max {c['max_ms']:.1f} ms")
                       + f"; e.g. `{c['first']}`.")
        else:
            out.append(f"Pulse logged no checkpoint lines during {scenario} (`{CHECKPOINTER_CATEGORY}` at Debug): the WAL "
                       "figures above are all there is.")
        return out

    @staticmethod
    def cpu_budget(ms, base, share, what):
        """Where the cores went under a saturation scenario, per request, and what each mode's target leaves for
        storing an event on this machine: server mode's is `share` of the baseline's rate, embedded mode's is server
        mode's rate (or, when server mode was not measured, the same share of the baseline's). ms: [(mode, metrics)]."""
        def per_request(m, key):
            cores = ((m or {}).get("cpu_shares") or {}).get(key)
            return None if cores is None or not m.get("rps") else cores * 1e6 / m["rps"]

        def us(v):
            return "–" if v is None else f"{v:.1f}"

        rows = []
        for who, m in ms + [("baseline", base)]:
            if m and m.get("cpu_shares"):
                idle = m["cpu_shares"].get("idle")
                rows.append([LABELS[who], parse.fmt_num(m["rps"]), us(per_request(m, "app")), us(per_request(m, "postgres")),
                             us(per_request(m, "redis")), us(per_request(m, "loadgen")), "–" if idle is None else f"{idle:.2f}"])
        if not rows:
            return []
        out = ["Where the machine's CPU went, in microseconds of CPU per request (all responses; `bench/lib/bench.py` "
               "`CpuShares`: the app's, the PostgreSQL cluster's and Redis's processes, wrk as this run's child; "
               "embedded Pulse and the baseline use neither server, hence –), and the cores left idle:\n\n" + parse.md_table(
                   ["target", "req/s", "app µs", "PostgreSQL µs", "Redis µs", "wrk µs", "idle cores"], rows, align="lrrrrrr")]
        http, loadgen = (per_request(base, "app"), per_request(base, "loadgen")) if base else (None, None)
        if None in (http, loadgen) or not base.get("ok_rps"):
            return out
        cores = os.cpu_count() or 1
        modes = dict(ms)
        server, embedded = modes.get("server"), modes.get("embedded")
        pg, redis, app = (per_request(server, k) for k in ("postgres", "redis", "app"))
        if server and None not in (pg, app):
            goal = share * base["ok_rps"]
            allowed = cores * 1e6 / goal
            left = allowed - http - loadgen
            counted = redis is not None and redis >= 0.5   # tracked events are counted in Redis
            stored = f"PostgreSQL took {pg:.1f} µs per request" + (f" and Redis {redis:.1f} µs" if counted else "")
            out.append(f"The budget, server mode: {share:.0%} of the baseline is {goal:,.0f} req/s, at which {cores} cores allow "
                       f"{allowed:.1f} µs of CPU per request. wrk took {loadgen:.1f} µs per request at the baseline's rate and "
                       f"the baseline app {http:.1f} µs to receive, parse and answer one, work Pulse has to do as well and does not "
                       f"do for less (`bench/experiments/no-store.sh`; docs/performance.md, \"The CPU budget of (b) and (c)\"). "
                       f"That leaves {left:.1f} µs to {what} an event. In this run "
                       f"{stored}, and Pulse {app - http:.1f} µs more than the baseline app.")
        app = per_request(embedded, "app")
        if embedded and app is not None:
            goal, whose = (server["ok_rps"], "server mode's rate in this run") if server and server.get("ok_rps") else \
                (share * base["ok_rps"], f"{share:.0%} of the baseline (server mode was not measured)")
            allowed = cores * 1e6 / goal
            out.append(f"The budget, embedded mode: its target is {whose}, {goal:,.0f} req/s, at which {cores} cores allow "
                       f"{allowed:.1f} µs of CPU per request; less wrk's {loadgen:.1f} µs and the baseline's {http:.1f} µs that "
                       f"leaves {allowed - http - loadgen:.1f} µs to {what} an event in-process (no other process takes part). "
                       f"In this run embedded Pulse took {app - http:.1f} µs more than the baseline app.")
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


def fmt_cores(v):
    return "–" if v is None else f"{v:.2f}"


def fmt(v):
    return "–" if v is None else f"{v:.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pulse", required=True)
    ap.add_argument("--baseline", required=True)
    ap.add_argument("--sqlite-bulk", required=True)
    ap.add_argument("--mode", choices=("embedded", "server", "both"), default="both")
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
        # Embedded mode's database goes, as PostgreSQL's cluster does (scripts/infra.sh), unless PULSE_KEEP_TMP=1.
        if os.environ.get("PULSE_KEEP_TMP") != "1":
            shutil.rmtree(bench.sqlite_dir, ignore_errors=True)
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
