#!/usr/bin/env bash
# bench/experiments/export-memory.sh — what an export's RSS growth is made of (docs/lifecycle.md, "What the +49 MB is").
#
# Usage: [DOTNET_... GC settings] bench/experiments/export-memory.sh [events, default 1000000]
#
# Starts the Pulse build of the last bench/run.sh (bench/results/tmp/build/pulse) in embedded mode on a fresh file in
# a temporary directory, seeds (k)'s rows through Python's sqlite3 (as bench/lib/bench.py does), reads Pulse's
# /metrics (the runtime's GC meters) and RSS, runs one export read by curl, and prints the same afterwards with the
# RSS every second meanwhile. Any DOTNET_* variable in the environment reaches Pulse (e.g. DOTNET_gcServer=0).
# Pulse is stopped by its PID on exit.
set -euo pipefail

events=${1:-1000000}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dll="$repo/bench/results/tmp/build/pulse/Pulse.Api.dll"
[[ -f $dll ]] || { echo "export-memory.sh: no build at $dll; run bench/run.sh once first" >&2; exit 1; }
work=$(mktemp -d /tmp/pulse-export-memory.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pid="" sampler=""
cleanup() {
    [[ -n $sampler ]] && kill "$sampler" 2>/dev/null || true
    if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

ConnectionStrings__Sqlite="Data Source=$work/pulse.db" ASPNETCORE_URLS="http://127.0.0.1:$port" \
    Logging__LogLevel__Default=Warning dotnet "$dll" >"$work/pulse.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "Pulse did not become ready" >&2; cat "$work/pulse.log" >&2; exit 1; }

python3 - "$work/pulse.db" "$events" <<'PY'
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], timeout=60)
n = int(sys.argv[2])
with con:
    con.execute("INSERT OR IGNORE INTO users (external_id, user_attributes, created_at, updated_at) VALUES ('test-user-1', '{}', 0, 0)")
uid, ext = con.execute("SELECT id, external_id FROM users WHERE external_id = 'test-user-1'").fetchone()
now_ms = int(time.time() * 1000)
with con:
    con.execute(
        "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ?) "
        "INSERT INTO events (id, name, user_id, external_id, properties, created_at, event_time) "
        "SELECT i, 'export', ?, ?, json_array(json_object('key', 'action', 'value', 'buy'), "
        "json_object('key', 'amount', 'value', CAST(i % 1000 AS TEXT)), json_object('key', 'orderId', 'value', 'ord-' || i)), "
        "? - (? - i), ? - (? - i) FROM g", (n, uid, ext, now_ms, n, now_ms, n))
con.close()
PY
sleep 3

gc() { # the runtime's GC meters from /metrics, in MB (counts as they are)
    curl -s "http://127.0.0.1:$port/metrics" |
        grep -E '^dotnet_(gc_last_collection_heap_size_bytes|gc_heap_total_allocated_bytes_total|gc_last_collection_memory_committed_size_bytes|gc_collections_total)' |
        sed -E 's/\{otel_scope_name="System.Runtime",?/{/; s/^dotnet_//' |
        awk '{ v = ($1 ~ /collections/) ? $2 : $2 / 1e6; printf "  %s = %.1f\n", $1, v }'
}
rss() { awk '/VmRSS/ { printf "%d MB", $2 / 1024 }' "/proc/$pid/status"; }

echo "before the export: RSS $(rss)"; gc
( while kill -0 "$pid" 2>/dev/null; do awk '/VmRSS/ { printf "%d ", $2 / 1024 }' "/proc/$pid/status"; sleep 1; done ) >"$work/rss.txt" &
sampler=$!
echo "export: $(curl -sS -N "http://127.0.0.1:$port/api/v1/events/export?eventName=export" | wc -lc) (lines, bytes)"
echo "after the export: RSS $(rss), peak $(awk '/VmHWM/ { printf "%d MB", $2 / 1024 }' "/proc/$pid/status")"; gc
kill "$sampler" 2>/dev/null || true; sampler=""
echo "RSS every second during the export, MB: $(cat "$work/rss.txt")"
