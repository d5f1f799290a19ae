#!/usr/bin/env bash
# bench/experiments/no-store.sh — the HTTP work alone: Pulse with its event writes cut out, against the baseline.
#
# Usage: bench/experiments/no-store.sh [scenarios, default b,c] [more bench/run.sh options]
#
# Builds HEAD with bench/experiments/no-store.patch applied, in a temporary git worktree (the working tree is not
# touched), and runs bench/run.sh --only <scenarios> there. The patched Pulse still receives, parses, validates
# and resolves users and campaigns from memory, then answers 201 without storing or counting anything. The
# report is copied to bench/results/<timestamp>-no-store.md with a line saying what was measured.
#
# What it is for: the saturation targets (b) and (c) are shares of the baseline app's rate, and the report's CPU
# budget subtracts the baseline's HTTP work from what two cores allow per request. This run is the measurement
# behind "Pulse does not do that HTTP work for less" (docs/performance.md, "The CPU budget of (b) and (c)").
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
only=${1:-b,c}
shift || true

tree=$(mktemp -d /tmp/pulse-no-store.XXXXXX)
cleanup() { git -C "$repo" worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"; }
trap cleanup EXIT

git -C "$repo" worktree add --detach "$tree" HEAD >/dev/null
git -C "$tree" apply "$here/no-store.patch"
"$tree/bench/run.sh" --only "$only" "$@"

report=$(ls -t "$tree"/bench/results/20*.md | head -n 1)
out="$repo/bench/results/$(basename "$report" .md)-no-store.md"
{
    head -n 2 "$report"
    echo "> **Experiment, not the product:** Pulse built from git $(git -C "$repo" rev-parse --short HEAD) with"
    echo "> \`bench/experiments/no-store.patch\`: event writes are answered 201 without storing or counting anything"
    echo "> (command: \`bench/experiments/no-store.sh $only${*:+ $*}\`)."
    echo
    tail -n +3 "$report"
} >"$out"
echo "report: $out" >&2
