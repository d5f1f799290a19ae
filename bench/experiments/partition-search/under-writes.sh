#!/bin/bash
# The three-condition search at 10 per second (2 clients) while 4 clients insert events with 3 properties each, 40 s,
# on one database of layouts.sh; prints the searches' p50 / p95 / p99 (pgbench's per-transaction log) and the writes/s.
#   PGPORT=55432 ./under-writes.sh psr1
set -euo pipefail
db=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
pgbench -h 127.0.0.1 -p "${PGPORT:-55432}" -U postgres -n -c 4 -j 2 -T 40 -f "$here/writes.pgb" "$db" > writes.out 2>&1 &
writer=$!
pgbench -h 127.0.0.1 -p "${PGPORT:-55432}" -U postgres -n -c 2 -j 1 -R 10 -T 40 -l -f "$here/three.pgb" "$db" > reads.out 2>&1
wait $writer
python3 - "$db" <<'PY'
import glob, sys
lat = sorted(int(line.split()[2]) / 1000 for f in glob.glob('pgbench_log.*') for line in open(f))
n = len(lat)
print(f"{sys.argv[1]}: {n} searches, p50 {lat[n // 2]:.1f} p95 {lat[int(n * .95)]:.1f} p99 {lat[int(n * .99)]:.1f} ms")
PY
echo "writes: $(grep tps writes.out | cut -d' ' -f3) per second"
