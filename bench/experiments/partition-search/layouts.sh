#!/bin/bash
# Makes the three databases of docs/lifecycle.md's per-layout table on one server, each with (g)'s 1M events (seed.sql):
#   <prefix>main  main's schema (every version but 600: no partitions)
#   <prefix>r1    the same converted (version 600's retention_partition: one partition per table, range 0)
#   <prefix>r5    converted, then 4 more ranges (retention_start_range), the events spread over the 5
# Schema SQL taken from src/Pulse.Postgres/**/*Schema.cs, as partition-migration.sh does.
#   bench/experiments/partition-search/layouts.sh "host=127.0.0.1 port=55432 user=postgres" [prefix=ps]
set -euo pipefail
conn=${1:?a libpq connection string without dbname}
prefix=${2:-ps}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
python3 - "$work" <<'PY'
import glob, re, sys, textwrap
out = sys.argv[1]
scripts = {}
for path in glob.glob('src/Pulse.Postgres/**/*Schema.cs', recursive=True):
    s = open(path).read()
    for m in re.finditer(r'new\((\d+),\s*(\$*)"""\n(.*?)\n\s*"""\)', s, re.S):
        scripts[int(m.group(1))] = textwrap.dedent(m.group(3))
with open(f"{out}/main.sql", "w") as f:
    f.write("CREATE TABLE schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());\n")
    for v in sorted(v for v in scripts if v != 600):
        f.write(f"{scripts[v]};\nINSERT INTO schema_migrations (version) VALUES ({v});\n")
with open(f"{out}/600.sql", "w") as f:
    # Version 600 defines the conversion; Pulse runs it at the first start-up with a retention setting.
    f.write(f"BEGIN;\n{scripts[600]};\nINSERT INTO schema_migrations (version) VALUES (600);\n"
            "SELECT retention_partition('events');\nCOMMIT;\n")
PY
run() { psql "$conn dbname=$1" -X -q -v ON_ERROR_STOP=1 "${@:2}"; }
for db in main r1 r5; do psql "$conn dbname=postgres" -X -q -c "DROP DATABASE IF EXISTS $prefix$db" -c "CREATE DATABASE $prefix$db"; done
for db in main r1 r5; do run "$prefix$db" -f "$work/main.sql"; done
run "${prefix}main" -v ranges=1 -f "$here/seed.sql"
run "${prefix}r1" -v ranges=1 -f "$here/seed.sql"
run "${prefix}r1" -f "$work/600.sql"
run "${prefix}r5" -f "$work/600.sql"
for k in 1 2 3 4; do run "${prefix}r5" -c "SELECT retention_start_range('events', now())" >/dev/null; done
run "${prefix}r5" -v ranges=5 -f "$here/seed.sql"
run "${prefix}r5" -c "ANALYZE events" -c "ANALYZE event_properties"
for db in main r1 r5; do
    echo "$prefix$db: $(psql "$conn dbname=$prefix$db" -X -At -c "SELECT count(*) || ' events in ' || (SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass) || ' partitions' FROM events")"
done
