#!/usr/bin/env bash
# scripts/test.sh — the project's one test command (CI runs it through .ci/run).
#
# Usage:
#   scripts/test.sh [--no-servers] [extra dotnet test args...]
#     e.g. scripts/test.sh --filter "FullyQualifiedName~Redis"
#
# What it does:
#   1. checks dotnet is on PATH; finds PostgreSQL >= 15 server binaries and redis-server/redis-cli >= 7
#      (root: installs postgresql-15 / redis-server with apt-get if missing; otherwise prints the apt command);
#   2. starts a private PostgreSQL (database pulse_test), a standalone Redis, a 3-master Redis Cluster and a
#      3 + 3 Redis Cluster (one replica per master, for the failover test, which kills a master) on free loopback
#      ports, all state and logs in one temp dir (scripts/infra.sh);
#   3. exports PULSE_TEST_POSTGRES, PULSE_TEST_REDIS, PULSE_TEST_REDIS_CLUSTER, PULSE_TEST_REDIS_CLUSTER_REPLICAS,
#      PULSE_TEST_REDIS_CLUSTER_REPLICAS_PIDS, PULSE_TEST_PG_BINDIR, PULSE_TEST_PG_RUNAS, PULSE_TEST_REDIS_SERVER,
#      PULSE_TEST_TMP; installs Prometheus (apt package prometheus) when missing and exports PULSE_TEST_PROMETHEUS;
#      installs Chromium with CJK and emoji fonts (apt packages chromium fonts-noto-cjk fonts-noto-color-emoji) when
#      missing and exports PULSE_TEST_CHROMIUM (the dashboard's browser tests);
#   4. runs `dotnet test <target> -c Release` with per-test console output and TRX files, then prints one line
#      "N passed, N failed[, N skipped]" over all test projects;
#   4a. (before 4) installs tests/sdk-node's npm packages with `npm ci` when its package-lock.json changed;
#   5. stops every server it started, by PID, on exit/Ctrl-C/TERM, and removes the temp dir.
#   Exit code: dotnet test's exit code; 1 if it succeeded but no test ran at all.
#
# Options / environment:
#   --no-servers         start no servers; PULSE_TEST_POSTGRES/REDIS/REDIS_CLUSTER already in the environment are
#                        passed through unchanged (point them at your own servers), otherwise server tests skip.
#   PULSE_TEST_TARGET    solution/project to test (default: Pulse.slnx at the repo root)
#   PULSE_KEEP_TMP=1     keep the temp dir (server data + logs/, trx/) and print its path
#   PULSE_PG_BINDIR      force a PostgreSQL bin dir
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)
caller_dir=$PWD
# shellcheck source=scripts/infra.sh
source "$script_dir/infra.sh"

no_servers=0
dotnet_args=()
for arg in "$@"; do
    case $arg in
        --no-servers) no_servers=1 ;;
        -h | --help)
            sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
            exit 0
            ;;
        *) dotnet_args+=("$arg") ;;
    esac
done

target=${PULSE_TEST_TARGET:-Pulse.slnx}
if [[ "$target" != /* ]]; then
    if [[ -e "$caller_dir/$target" && ! -e "$repo_root/$target" ]]; then target=$caller_dir/$target; else target=$repo_root/$target; fi
fi
[[ -e "$target" ]] || { echo "test.sh: test target not found: $target" >&2; exit 1; }
cd "$repo_root"

if ! command -v dotnet >/dev/null 2>&1; then
    echo "test.sh: 'dotnet' is not on PATH. Install the .NET 10 SDK (see global.json; https://dotnet.microsoft.com/download) and retry." >&2
    exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=${DOTNET_CLI_TELEMETRY_OPTOUT:-1}
export DOTNET_NOLOGO=${DOTNET_NOLOGO:-1}
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=${DOTNET_SKIP_FIRST_TIME_EXPERIENCE:-1}

dotnet_pid=""
cleanup() {
    # interrupted while the tests run: stop dotnet test first (its test hosts exit with it), then the servers
    if [[ -n "$dotnet_pid" ]] && _pulse_alive "$dotnet_pid"; then
        echo "[test] interrupted: stopping dotnet test (pid $dotnet_pid)" >&2
        kill -TERM "$dotnet_pid" 2>/dev/null || true
        for _ in {1..100}; do _pulse_alive "$dotnet_pid" || break; sleep 0.1; done
        if _pulse_alive "$dotnet_pid"; then kill -KILL "$dotnet_pid" 2>/dev/null || true; fi
        wait "$dotnet_pid" 2>/dev/null || true
    fi
    pulse_infra_stop || true
}
trap cleanup EXIT
trap 'exit 130' INT    # exit runs the EXIT trap
trap 'exit 143' TERM

if ((no_servers)); then
    pulse_infra_init_dir
    echo "[test] --no-servers: not starting PostgreSQL/Redis" >&2
else
    pulse_infra_start
fi
pulse_infra_print_env | sed 's/^/[test] /' >&2

# ensure_tool COMMAND VARIABLE CHECK PACKAGES...: installs the apt packages (root only) when COMMAND is missing or the
# shell command CHECK fails, then exports VARIABLE=COMMAND's path. Nothing is exported when it is still missing, and the
# tests that need it then fail (never skip).
ensure_tool() {
    local cmd=$1 var=$2 check=$3 path
    shift 3
    if ! command -v "$cmd" >/dev/null 2>&1 || ! eval "$check"; then
        if ((EUID == 0)) && command -v apt-get >/dev/null 2>&1; then
            _pulse_apt_install "$@" || echo "[test] apt-get install $* failed" >&2
        else
            echo "[test] $cmd is missing: sudo apt-get install -y $*" >&2
        fi
    fi
    if path=$(command -v "$cmd"); then
        export "$var=$path"
        echo "[test] export $var=$path" >&2
    fi
}

if ! ((no_servers)); then
    # Prometheus (issue 15): the metrics test starts its own, on a free loopback port with a generated configuration.
    ensure_tool prometheus PULSE_TEST_PROMETHEUS true prometheus
    # Chromium (issue 15): the dashboard's browser tests drive Debian's Chromium through Playwright (its own browser
    # download cannot work here and is not used), with the Noto CJK and colour emoji fonts so Korean and emoji render.
    ensure_tool chromium PULSE_TEST_CHROMIUM '[[ -n $(fc-list :lang=ko family 2>/dev/null) ]]' chromium fonts-noto-cjk fonts-noto-color-emoji
fi

# The real SDKs' tests (tests/Pulse.Api.Tests/Sdk/RealSdkTests.cs) drive tests/sdk-node with node. npm ci installs
# exactly its package-lock.json; it runs again only when the lock file changed (a stamp in node_modules), and npm's
# own cache (~/.npm) makes a reinstall offline.
sdk_node=$repo_root/tests/sdk-node
if [[ -f "$sdk_node/package-lock.json" ]]; then
    command -v npm >/dev/null 2>&1 || { echo "test.sh: 'npm' (Node 20+) is needed for tests/sdk-node; install nodejs and npm." >&2; exit 1; }
    lock_hash=$(sha256sum "$sdk_node/package-lock.json" | cut -d' ' -f1)
    if [[ "$(cat "$sdk_node/node_modules/.pulse-lock-hash" 2>/dev/null)" != "$lock_hash" ]]; then
        echo "[test] npm ci in tests/sdk-node" >&2
        (cd "$sdk_node" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >&2)
        echo "$lock_hash" > "$sdk_node/node_modules/.pulse-lock-hash"
    fi
fi

trx_dir=$PULSE_TEST_TMP/trx
rc=0
# Run in the background and `wait`, so that a SIGTERM/SIGINT sent to this script (CI cancel, `timeout`) is
# handled at once instead of after dotnet test finishes.
dotnet test "$target" -c Release \
    --logger "console;verbosity=normal" \
    --logger "trx" --results-directory "$trx_dir" \
    ${dotnet_args[@]+"${dotnet_args[@]}"} </dev/null &
dotnet_pid=$!
wait "$dotnet_pid" || rc=$?
dotnet_pid=""

# One summary over all test projects, from the TRX files (one per test project).
attr() { # attr NAME -> value of NAME="N" in $counters (0 if absent)
    local re=" $1=\"([0-9]+)\""
    if [[ "$counters" =~ $re ]]; then echo "${BASH_REMATCH[1]}"; else echo 0; fi
}
passed=0 failed=0 skipped=0 files=0
failed_names=()
shopt -s nullglob
for trx in "$trx_dir"/*.trx "$trx_dir"/*/*.trx; do
    counters=$(grep -m 1 -o '<Counters [^>]*>' "$trx") || continue
    files=$((files + 1))
    passed=$((passed + $(attr passed)))
    failed=$((failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
    # xunit skips are outcome="NotExecuted"; the TRX counters leave notExecuted=0 but don't count them as executed
    not_run=$(($(attr total) - $(attr executed)))
    ((not_run >= $(attr notExecuted))) || not_run=$(attr notExecuted)
    skipped=$((skipped + not_run))
    while IFS= read -r name; do failed_names+=("$name"); done < <(
        grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | grep -o ' testName="[^"]*"' |
            sed 's/^ testName="//; s/"$//; s/&quot;/"/g; s/&lt;/</g; s/&gt;/>/g; s/&apos;/'"'"'/g; s/&amp;/\&/g'
    )
done
shopt -u nullglob

summary="$passed passed, $failed failed"
((skipped == 0)) || summary+=", $skipped skipped"
no_results=$((files == 0))

# Stop the servers now (the EXIT trap would do it too) so the summary is the last thing printed.
stop_rc=0
pulse_infra_stop || stop_rc=$?

echo
if ((${#failed_names[@]})); then
    echo "Failed tests:"
    printf '  %s\n' "${failed_names[@]}"
fi
if ((no_results)); then
    echo "[test] no test results were written (build failure, or no test project in $target?)"
fi
if ((rc == 0 && passed + failed == 0)); then
    echo "[test] no test ran — failing"
    rc=1
fi
if ((rc == 0 && stop_rc != 0)); then
    echo "[test] a server could not be stopped — failing"
    rc=1
fi
echo "$summary"
exit "$rc"
