#!/usr/bin/env bash
# bench/run.sh — the one-command benchmark of Pulse (issues 4 and 12): builds Release, measures the ceilings, runs the
# scenarios against Pulse in embedded mode (one SQLite file) and/or server mode (PostgreSQL + Redis, started through
# scripts/infra.sh), each scenario against the modes back to back, and writes bench/results/<UTC timestamp>.md and
# bench/results/latest.md with the modes side by side.
#
# Usage:
#   bench/run.sh [--mode embedded|server|both] [--quick] [--long] [--only a,b,...] [--no-build]
#     --mode MODE  which storage modes to measure (default: both). embedded: Pulse on a fresh SQLite file, PostgreSQL
#                  and Redis are not started at all; its ceilings are the bare app and SQLite's own bulk insert
#                  (bench/sqlite-bulk). server: Pulse on PostgreSQL + Redis; its ceilings the bare app and psql \copy.
#     --quick      smoke run: 5-20 s per scenario, fewer Locust users, 50k search events, 100k bulk/\copy events
#     --long       Locust scenarios (e, f) 5 min instead of 2, soak (h) 15 min instead of 5
#     --only LIST  scenarios to run, letters a..l and r (default: all); e.g. --only b,h
#     --no-build   reuse the last build in bench/results/tmp/build
#   Environment: BENCH_PG_SETTINGS="max_wal_size=8GB ..." runs PostgreSQL with other settings (the report lists
#   every non-default one); BENCH_H=600 and the like change a scenario's knob (see DURATIONS in bench/lib/bench.py).
#   Pulse runs with API keys (a bootstrap admin key made for the run; the load presents an ingest key for writes and
#   a read key for reads); BENCH_AUTH=open runs it without keys (open on loopback), for the A/B of their cost.
#   Scenarios: a seed 000 k6 shape | b saturation CRM POST | c saturation tracked POST | d batch ingest vs bulk insert
#              e seed 004 Locust | f seed 004 user-service mix | g search on 1M events, alone and under (b)'s writes
#              h soak (+ WAL size and checkpoints, embedded) | i start-up (embedded: on the 1M-event file) + RSS
#
# Needs root (or the tools already installed): wrk, hey and python3-locust come from apt and are installed
# when missing; PostgreSQL 15 and Redis 7 through scripts/infra.sh (server mode only). Raw tool output and logs stay
# in bench/results/tmp/<timestamp>/ (git-ignored). Every process started is stopped by its PID on exit.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$bench_dir/.." && pwd)
command_line="bench/run.sh${*:+ $*}"

quick=0 long=0 only="" build=1 mode=both
while (($#)); do
    case $1 in
        --mode) shift; mode=${1:?--mode needs embedded, server or both} ;;
        --mode=*) mode=${1#--mode=} ;;
        --quick) quick=1 ;;
        --long) long=1 ;;
        --only) shift; only=${1:?--only needs a list such as a,b}; ;;
        --only=*) only=${1#--only=} ;;
        --no-build) build=0 ;;
        -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if ((quick && long)); then echo "bench/run.sh: --quick and --long exclude each other" >&2; exit 2; fi
case $mode in
    embedded | server | both) ;;
    *) echo "bench/run.sh: --mode must be embedded, server or both (not $mode)" >&2; exit 2 ;;
esac
servers=0
[[ $mode == embedded ]] || servers=1   # PostgreSQL and Redis exist only for server mode

say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- tools (apt, only what is missing)
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v hey >/dev/null 2>&1 || missing+=(hey)
[[ -x /usr/bin/locust ]] || missing+=(python3-locust)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]})); then
    if ((EUID == 0)) && command -v apt-get >/dev/null 2>&1; then
        say "apt-get install -y ${missing[*]}"
        need_update=0
        for p in "${missing[@]}"; do
            [[ "$(apt-cache policy "$p" 2>/dev/null)" =~ Candidate:\ [^\(] ]] || need_update=1
        done
        if ((need_update)); then DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null; fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" </dev/null
    else
        echo "bench/run.sh: missing ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi
command -v dotnet >/dev/null 2>&1 || { echo "bench/run.sh: dotnet (the .NET 10 SDK) is not on PATH" >&2; exit 1; }
export PYTHONDONTWRITEBYTECODE=1
python=python3
command -v python3 >/dev/null 2>&1 || python=/usr/bin/python3

# ---------------------------------------------------------------- work dirs
stamp=$(date -u +%Y-%m-%dT%H-%M-%SZ)
work=$bench_dir/results/tmp/$stamp
build_dir=$bench_dir/results/tmp/build
mkdir -p "$work"

# ---------------------------------------------------------------- build (Release)
# Every app is published ReadyToRun, as one would ship them (measured: start-up 511 -> 409 ms median). All three are
# built whatever --mode says, so that a later --no-build run of the other mode finds them.
case "$(uname -m)" in aarch64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
publish() { # name project-dir
    say "building $1 (Release) -> $build_dir/$1"
    if ! dotnet publish "$2" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$build_dir/$1" --nologo -v quiet >"$work/build-$1.log" 2>&1; then
        tail -n 40 "$work/build-$1.log" >&2
        echo "bench/run.sh: building $1 failed (log: $work/build-$1.log)" >&2
        exit 1
    fi
}
if ((build)) || [[ ! -x $build_dir/pulse/Pulse.Api || ! -x $build_dir/baseline/Pulse.Bench.Baseline || ! -x $build_dir/sqlite-bulk/Pulse.Bench.SqliteBulk ]]; then
    rm -rf "$build_dir"
    publish pulse "$repo_root/src/Pulse.Api"
    publish baseline "$bench_dir/baseline"             # the HTTP ceiling
    publish sqlite-bulk "$bench_dir/sqlite-bulk"       # embedded mode's (d) ceiling
fi

# ---------------------------------------------------------------- PostgreSQL + Redis (scripts/infra.sh)
# shellcheck source=scripts/infra.sh
source "$repo_root/scripts/infra.sh"
py_pid=""
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$py_pid" ]] && kill -0 "$py_pid" 2>/dev/null; then
        kill -TERM "$py_pid" 2>/dev/null || true     # the orchestrator stops Pulse / baseline / wrk itself
        wait "$py_pid" 2>/dev/null || true
    fi
    # PostgreSQL's log (checkpoints, autovacuum) goes with the raw output: a stall in a scenario is matched
    # against it afterwards, and the infrastructure's temp dir is deleted on stop.
    if [[ -n "${PULSE_TEST_TMP:-}" && -f "$PULSE_TEST_TMP/logs/postgres.log" ]]; then
        cp "$PULSE_TEST_TMP/logs/postgres.log" "$work/postgres.log" || true
    fi
    PULSE_INFRA_QUIET=1 pulse_infra_stop || true
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Durable PostgreSQL: a 201 means committed, so the benchmark pays for real flushes (the \copy ceiling too).
# Every autovacuum and auto-analyze goes to its log, with its duration (PostgreSQL 15 logs only those over
# 10 min); then BENCH_PG_SETTINGS="name=value ...", an experiment's settings, given on the server's command line
# so that those which need a restart (shared_buffers) work too. The report lists every setting that is not
# PostgreSQL's default.
# Embedded mode alone starts neither.
if ((servers)); then
    say "starting PostgreSQL and Redis"
    PULSE_PG_DURABLE=1 PULSE_PG_SETTINGS="log_autovacuum_min_duration=0 ${BENCH_PG_SETTINGS:-}" \
        PULSE_INFRA_QUIET=${PULSE_INFRA_QUIET:-1} pulse_infra_start postgres redis
    # Their PIDs, so the report can say how much CPU each took (bench.py's CpuShares).
    redis_entry=${_PULSE_REDIS_PIDS[0]:-}
    export BENCH_PG_PID=${_PULSE_PG_PID:-} BENCH_REDIS_PID=${redis_entry%%:*}
else
    unset PULSE_TEST_POSTGRES PULSE_TEST_REDIS BENCH_PG_PID BENCH_REDIS_PID
fi

# ---------------------------------------------------------------- the scenarios
args=(--pulse "$build_dir/pulse/Pulse.Api" --baseline "$build_dir/baseline/Pulse.Bench.Baseline"
    --sqlite-bulk "$build_dir/sqlite-bulk/Pulse.Bench.SqliteBulk" --mode "$mode" --work "$work" --results "$bench_dir/results" --timestamp "$stamp" --command "$command_line")
((quick)) && args+=(--quick)
((long)) && args+=(--long)
[[ -n "$only" ]] && args+=(--only "$only")

"$python" "$bench_dir/lib/bench.py" "${args[@]}" &
py_pid=$!
rc=0
wait "$py_pid" || rc=$?
py_pid=""
exit "$rc"
