#!/usr/bin/env bash
# bench/sqlite-store/run.sh — the embedded store's write paths, before and after: BASE against this working tree.
#
# Usage: bench/sqlite-store/run.sh [BASE (commit, default d7db325)] [ROUNDS (default 7)]
#
# Builds Program.cs twice, against BASE's src/Pulse.Sqlite (a temporary git worktree) and against this working
# tree's, then runs every scenario ROUNDS times, alternating which build goes first, each run on a fresh database
# file (synchronous=FULL, WAL: every batch is one fsync'd commit). Prints each run, then the medians of wall and
# process-CPU microseconds per event (per post or like for those scenarios). Single-commit scenarios (b1) are
# dominated by fsync and vary with whatever else uses the disk; the b100 CPU figures are the stable ones.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
base=${1:-d7db325}
rounds=${2:-7}
scenarios=("crm 200 1" "crm 400 100" "tracked 200 1" "tracked 400 100" "posts 200 1" "likes 200 1")

tmp=$(mktemp -d /tmp/pulse-sqlite-bench.XXXXXX)
cleanup() { git -C "$repo" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT

git -C "$repo" worktree add --detach "$tmp/base" "$base" >/dev/null
build() { # name pulse-root; obj/ is shared, so it is cleared for each build
    rm -rf "$here/obj"
    dotnet build "$here/Pulse.Bench.SqliteStore.csproj" -c Release -nologo -p:PulseRoot="$2" -o "$tmp/out-$1" |
        grep -E " error |rror\(s\)" || true
    [[ -f "$tmp/out-$1/Pulse.Bench.SqliteStore.dll" ]] || { echo "run.sh: build against $2 failed" >&2; exit 1; }
}
build base "$tmp/base"
build head "$repo"

for r in $(seq 1 "$rounds"); do
    for s in "${scenarios[@]}"; do
        if (( r % 2 )); then order=(base head); else order=(head base); fi
        for b in "${order[@]}"; do echo "$b $(dotnet "$tmp/out-$b/Pulse.Bench.SqliteStore.dll" $s)"; done
    done
done | tee "$tmp/runs.txt"

python3 - "$tmp/runs.txt" "$base" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    build, scenario, size, version, _, wall, _, cpu = line.split()
    runs[(f"{scenario} {size}", build)].append((float(wall), float(cpu), version))
print(f"\n| scenario | {sys.argv[2]} wall | {sys.argv[2]} CPU | working tree wall | working tree CPU | runs |")
print("| --- | --- | --- | --- | --- | --- |")
for scenario in dict.fromkeys(s for s, _ in runs):
    cells = []
    for build in ("base", "head"):
        r = runs[(scenario, build)]
        cells.append(f"{statistics.median(w for w, _, _ in r):.1f} | {statistics.median(c for _, c, _ in r):.1f}")
    print(f"| {scenario} | {' | '.join(cells)} | {len(runs[(scenario, 'base')])} |")
versions = {b: r[0][2] for (s, b), r in runs.items()}
print(f"\nµs per event (medians); SQLite {versions['base']} (base) and {versions['head']} (working tree)")
PY
