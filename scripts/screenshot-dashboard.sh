#!/usr/bin/env bash
# scripts/screenshot-dashboard.sh — docs/dashboard.png: the dashboard with demo data, as headless Chromium renders it.
#
# Builds Pulse (Release), starts it in embedded mode on a free loopback port with a fresh database in a temp dir, fills
# it with scripts/dashboard-demo-data.py, lets the page load and poll, saves a 1280-pixel-wide screenshot, and stops
# Pulse by its PID (also on failure). Needs chromium (apt package chromium; fonts-noto-cjk and fonts-noto-color-emoji
# for Korean and emoji) and python3.
# Usage: scripts/screenshot-dashboard.sh [OUTPUT.png]     (default docs/dashboard.png)
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
output=${1:-$repo_root/docs/dashboard.png}
chromium=${PULSE_TEST_CHROMIUM:-$(command -v chromium || true)}
[[ -n "$chromium" ]] || { echo "screenshot-dashboard.sh: chromium is missing (apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji)" >&2; exit 1; }

work=$(mktemp -d)
pulse_pid=""
cleanup() {
    if [[ -n "$pulse_pid" ]] && kill -0 "$pulse_pid" 2>/dev/null; then
        kill -TERM "$pulse_pid" 2>/dev/null || true
        wait "$pulse_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release "$repo_root/src/Pulse.Api" -nologo -v q >&2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
(cd "$work" && ConnectionStrings__Sqlite="Data Source=$work/pulse.db" \
    exec dotnet "$repo_root/src/Pulse.Api/bin/Release/net10.0/Pulse.Api.dll" --urls "$base" > "$work/pulse.log" 2>&1) &
pulse_pid=$!
for _ in $(seq 1 300); do
    curl -sf "$base/health/ready" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -sf "$base/health/ready" >/dev/null || { echo "Pulse did not become ready:" >&2; cat "$work/pulse.log" >&2; exit 1; }

python3 "$repo_root/scripts/dashboard-demo-data.py" "$base" >&2
sleep 2   # the readiness checks behind "Dependencies" run 1 s after start-up

"$chromium" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/chromium" \
    --window-size=1280,1840 --virtual-time-budget=8000 --screenshot="$output" "$base/" 2>"$work/chromium.log" >&2 \
    || { cat "$work/chromium.log" >&2; exit 1; }
echo "wrote $output ($(stat -c %s "$output") bytes)"
