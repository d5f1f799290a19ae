#!/bin/bash
# How long the conversion to id-range partitions in place takes on a populated database (docs/lifecycle.md
# "Retention": retention_partition, defined by schema version 600 and run by Pulse at the first start-up with a
# retention setting): builds the schema without version 600 (the SQL taken from src/Pulse.Postgres/**/*Schema.cs),
# seeds N events (3 properties and a campaign link each, spread over 23 days) and N tracked events with
# bench/experiments/partition-migration-seed.sql, then times version 600 with the conversion of both table sets in
# one transaction, and the tables' ANALYZE apart.
#   bench/experiments/partition-migration.sh "host=127.0.0.1 port=5432 user=postgres" [N=1000000]
set -euo pipefail
conn=${1:?a libpq connection string without dbname}
n=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
python3 - "$work" <<'PY'
import glob, re, sys, textwrap
out = sys.argv[1]
scripts = {}
for path in glob.glob('src/Pulse.Postgres/**/*Schema.cs', recursive=True):
    s = open(path).read()
    consts = dict(re.findall(r'public const int (\w+) = (\d+);', s))
    for m in re.finditer(r'new\((\d+),\s*(\$*)"""\n(.*?)\n\s*"""\)', s, re.S):
        body = textwrap.dedent(m.group(3))
        if m.group(2):
            body = re.sub(r'\{\{(\w+)\}\}', lambda x: consts[x.group(1)], body)
        scripts[int(m.group(1))] = body
with open(f"{out}/old.sql", "w") as f:
    f.write("CREATE TABLE schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());\n")
    for v in sorted(v for v in scripts if v != 600):
        f.write(f"{scripts[v]};\nINSERT INTO schema_migrations (version) VALUES ({v});\n")
# Version 600 defines the conversion; Pulse runs it (retention_partition, one transaction per table set) at the first
# start-up with a retention setting, then analyses the set's tables (PostgresRetentionStore.PrepareAsync).
with open(f"{out}/600.sql", "w") as f:
    f.write(scripts[600] + ";\nSELECT retention_partition('events');\nSELECT retention_partition('tracked_events');\n")
with open(f"{out}/600-analyze.sql", "w") as f:
    f.write("ANALYZE events; ANALYZE event_properties; ANALYZE campaign_events; ANALYZE tracked_events;\n")
PY
db=partition_migration_$$
psql "$conn dbname=postgres" -X -q -c "CREATE DATABASE $db"
trap 'psql "$conn dbname=postgres" -X -q -c "DROP DATABASE IF EXISTS $db"; rm -rf "$work"' EXIT
psql "$conn dbname=$db" -X -q -v ON_ERROR_STOP=1 -f "$work/old.sql"
psql "$conn dbname=$db" -X -q -v ON_ERROR_STOP=1 -v n="$n" -f "$here/partition-migration-seed.sql"
psql "$conn dbname=$db" -X -At -c "SELECT count(*) || ' events, ' || (SELECT count(*) FROM event_properties) || ' properties, ' || pg_size_pretty(pg_database_size('$db')) FROM events"
start=$(date +%s.%N)
psql "$conn dbname=$db" -X -q -v ON_ERROR_STOP=1 -c "BEGIN" -f "$work/600.sql" -c "COMMIT"
mid=$(date +%s.%N)
psql "$conn dbname=$db" -X -q -v ON_ERROR_STOP=1 -f "$work/600-analyze.sql"
end=$(date +%s.%N)
psql "$conn dbname=$db" -X -At -c "SELECT count(*) || ' events in ' || (SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass) || ' partitions' FROM events"
echo "conversion (version 600 and retention_partition of both sets): $(echo "$end - $start" | bc) s for $n events ($(echo "$mid - $start" | bc) s converting, $(echo "$end - $mid" | bc) s its ANALYZE; load average $(cut -d' ' -f1 /proc/loadavg))"
