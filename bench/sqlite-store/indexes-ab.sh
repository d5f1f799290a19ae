#!/usr/bin/env bash
# bench/sqlite-store/indexes-ab.sh — what the erasure's indexes (schema version 500, docs/lifecycle.md) cost the
# embedded store's write paths: one build, each run on a fresh file, alternating without and with the indexes.
# Usage: bench/sqlite-store/indexes-ab.sh [ROUNDS (default 7)]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rounds=${1:-7}
out=$(mktemp -d /tmp/pulse-indexes-ab.XXXXXX)
trap 'rm -rf "$out"' EXIT
dotnet build "$here/Pulse.Bench.SqliteStore.csproj" -c Release -nologo -o "$out/bin" | grep -E " error |rror\(s\)" || true
indexes="CREATE INDEX ix_events_user_id ON events(user_id); CREATE INDEX ix_tracked_events_user_id ON tracked_events(user_id);
CREATE INDEX ix_campaign_events_event_id ON campaign_events(event_id); CREATE INDEX ix_post_likes_user_id ON post_likes(user_id);
CREATE INDEX ix_posts_user_id ON posts(user_id);"
for r in $(seq 1 "$rounds"); do
    for s in "crm 400 100" "tracked 400 100" "likes 200 1"; do
        if (( r % 2 )); then order=(without with); else order=(with without); fi
        for v in "${order[@]}"; do
            if [[ $v == with ]]; then extra=$indexes; else extra=; fi
            echo "$v $(PULSE_BENCH_EXTRA_SQL=$extra dotnet "$out/bin/Pulse.Bench.SqliteStore.dll" $s)"
        done
    done
done | tee "$out/runs.txt"
python3 - "$out/runs.txt" <<'PY'
import statistics, sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    parts = line.split()
    variant, scenario, size = parts[0], parts[1], parts[2]
    rows[(scenario, size, variant)].append((float(parts[parts.index("wall") + 1]), float(parts[parts.index("cpu") + 1])))
for (scenario, size, variant), values in sorted(rows.items()):
    walls = [v[0] for v in values]; cpus = [v[1] for v in values]
    print(f"{scenario} {size} {variant:8} median wall {statistics.median(walls):.1f} us, cpu {statistics.median(cpus):.1f} us per item ({len(values)} runs)")
PY
