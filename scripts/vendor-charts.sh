#!/usr/bin/env bash
# scripts/vendor-charts.sh — refreshes the dashboard's charting library from npm at a pinned version.
#
# Usage: scripts/vendor-charts.sh            # uPlot at the version below
#        UPLOT_VERSION=1.6.33 scripts/vendor-charts.sh   # try another version (then update the pin here)
#
# Writes src/Pulse.Api/wwwroot/vendor/uplot/{uPlot.iife.min.js,uPlot.min.css,LICENSE,VERSION} from the package's own
# dist/ (no build, no bundler) and prints the tarball's integrity hash as npm reported it. Needs npm.
set -euo pipefail

version=${UPLOT_VERSION:-1.6.32}
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=$repo_root/src/Pulse.Api/wwwroot/vendor/uplot
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v npm >/dev/null 2>&1 || { echo "vendor-charts.sh: npm is needed" >&2; exit 1; }
(cd "$work" && npm pack "uplot@$version" --json --silent > pack.json)
tarball=$(cd "$work" && ls uplot-*.tgz)
tar -xzf "$work/$tarball" -C "$work"
mkdir -p "$target"
cp "$work/package/dist/uPlot.iife.min.js" "$work/package/dist/uPlot.min.css" "$work/package/LICENSE" "$target/"
integrity=$(sed -n 's/.*"integrity": *"\([^"]*\)".*/\1/p' "$work/pack.json" | head -1)
printf 'uplot %s (npm), %s\n' "$version" "$integrity" > "$target/VERSION"
echo "vendored $(cat "$target/VERSION") into ${target#"$repo_root"/}"
