# shellcheck shell=bash
# scripts/infra.sh — private, throw-away PostgreSQL + Redis + Redis Cluster instances for tests/benchmarks.
#
# Usage (sourced; functions only, it does not change the caller's shell options):
#
#     source scripts/infra.sh
#     trap pulse_infra_stop EXIT          # always stop what was started, even on failure
#     pulse_infra_start                   # or a subset: pulse_infra_start postgres redis cluster cluster-replicas
#     ...use $PULSE_TEST_POSTGRES etc...
#     pulse_infra_stop                    # idempotent; safe to call twice / after a partial start
#
# Direct execution runs one command with the servers up and stops them afterwards:
#
#     scripts/infra.sh [command args...]  # default command: an interactive $SHELL
#
# pulse_infra_start exports:
#   PULSE_TEST_POSTGRES       Npgsql connection string (Host=127.0.0.1;Port=..;Username=postgres;Database=pulse_test;...)
#   PULSE_TEST_REDIS          host:port of a standalone redis-server
#   PULSE_TEST_REDIS_CLUSTER  host:port,host:port,host:port of a 3-master Redis Cluster
#   PULSE_TEST_REDIS_CLUSTER_REPLICAS       host:port,... of the six nodes of a Redis Cluster with one replica per master
#                                           (3 + 3), for failover tests that kill a master
#   PULSE_TEST_REDIS_CLUSTER_REPLICAS_PIDS  host:port=pid,... for those six nodes, so a test can kill a master by PID
#                                           (which node is a master changes with every failover: ask CLUSTER NODES)
#   PULSE_TEST_PG_BINDIR      PostgreSQL server bin dir (initdb, postgres, pg_ctl, pg_isready, psql)
#   PULSE_TEST_PG_RUNAS       user to run initdb/postgres as ("postgres" when running as root, else empty)
#   PULSE_TEST_REDIS_SERVER   absolute path of redis-server
#   PULSE_TEST_TMP            the temp dir holding all state and logs (logs/ has one file per server)
# Only what was asked for is exported: PULSE_TEST_POSTGRES/PG_BINDIR/PG_RUNAS with postgres, PULSE_TEST_REDIS with
# redis, PULSE_TEST_REDIS_CLUSTER with cluster, PULSE_TEST_REDIS_CLUSTER_REPLICAS(_PIDS) with cluster-replicas,
# PULSE_TEST_REDIS_SERVER with any Redis component; PULSE_TEST_TMP always.
# A node killed by a test is simply found dead by pulse_infra_stop; everything else is stopped as usual.
# pulse_infra_stop unsets the connection variables and PULSE_TEST_TMP.
# Call pulse_infra_start from the main shell, not inside $(...) or a pipeline: it records the servers' PIDs in
# shell variables that pulse_infra_stop needs.
#
# Knobs (environment):
#   PULSE_KEEP_TMP=1   keep the temp dir (data + logs) on stop; its path is printed
#   PULSE_PG_BINDIR    use this PostgreSQL bin dir instead of searching /usr/lib/postgresql/*/bin
#   PULSE_INFRA_QUIET=1  less chatter on stderr
#   PULSE_PG_DURABLE=1 keep PostgreSQL's durable defaults (fsync, synchronous_commit, full_page_writes on)
#   PULSE_PG_SETTINGS="name=value ..."  more PostgreSQL server settings, given on its command line
#
# Tools: PostgreSQL >= 15 server binaries and redis-server/redis-cli >= 7 (Debian: postgresql-15, redis-server).
# When they are missing and we are root, they are installed with apt-get; otherwise the exact apt-get
# command to run is printed. Ports are free loopback ports picked at random (15000-21999, so that a cluster
# node's bus port, port+10000, stays below the kernel's ephemeral range). Any system-wide postgres/redis
# (5432/6379) is neither used nor touched. Every process is stopped by its recorded PID, never by name.

_PULSE_PG_MIN_VERSION=15
_PULSE_REDIS_MIN_VERSION=7

# ---------------------------------------------------------------- small helpers

_pulse_log() { [[ "${PULSE_INFRA_QUIET:-0}" == 1 ]] || printf '[infra] %s\n' "$*" >&2; }
_pulse_err() { printf '[infra] ERROR: %s\n' "$*" >&2; }

_pulse_now_ms() { local t; t=$(date +%s%N); echo $((t / 1000000)); }

# Process start time (clock ticks since boot) — guards against killing a recycled PID.
_pulse_starttime() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }            # drop "pid (comm) " — comm may contain spaces
    # shellcheck disable=SC2086
    set -- $stat                 # $1 = state (field 3), so field 22 is $20
    echo "${20}"
}

# True when the PID exists, is not a zombie and (if given) still has the recorded start time.
_pulse_alive() {
    local pid=$1 start=${2:-} stat state
    [[ -n "$pid" ]] || return 1
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    state=${stat%% *}
    [[ "$state" != Z && "$state" != X ]] || return 1
    [[ -z "$start" ]] || [[ "$(_pulse_starttime "$pid")" == "$start" ]]
}

# Wait (up to $2 seconds) for a PID to go away; reap it if it is our child.
_pulse_wait_gone() {
    local pid=$1 secs=$2 start=${3:-} i
    for ((i = 0; i < secs * 20; i++)); do
        _pulse_alive "$pid" "$start" || break
        sleep 0.05
    done
    if _pulse_alive "$pid" "$start"; then return 1; fi
    wait "$pid" 2>/dev/null || true
    return 0
}

# Run a command as the PostgreSQL OS user when we are root (initdb/postgres refuse to run as root).
_pulse_as_pg() {
    if [[ -n "${PULSE_TEST_PG_RUNAS:-}" ]]; then
        runuser -u "$PULSE_TEST_PG_RUNAS" -- "$@"
    else
        "$@"
    fi
}

# Print N free loopback TCP ports, one per line. With bus=1, port+10000 is free as well (Redis Cluster bus).
_pulse_free_ports() {
    local n=$1 bus=${2:-0}
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$n" "$bus" <<'PY'
import random, socket, sys
n, bus = int(sys.argv[1]), sys.argv[2] == "1"
held, out = [], []
def grab(p):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", p))
        held.append(s)
        return True
    except OSError:
        s.close()
        return False
for _ in range(5000):
    if len(out) == n:
        break
    p = random.randint(15000, 21999)
    if p in out or not grab(p):
        continue
    if bus and not grab(p + 10000):
        continue
    out.append(p)
for s in held:
    s.close()
if len(out) != n:
    sys.exit("no free ports")
print("\n".join(map(str, out)))
PY
    else
        # Fallback without python3: random ports nobody listens on according to ss.
        local used p got=() tries=0
        used=$(ss -Htan 2>/dev/null | awk '{print $4}' | sed 's/.*://' | sort -u)
        while ((${#got[@]} < n && tries++ < 5000)); do
            p=$((15000 + RANDOM % 7000))
            grep -qx "$p" <<<"$used" && continue
            ((bus)) && grep -qx "$((p + 10000))" <<<"$used" && continue
            [[ " ${got[*]} " == *" $p "* ]] && continue
            got+=("$p")
        done
        ((${#got[@]} == n)) || return 1
        printf '%s\n' "${got[@]}"
    fi
}

_pulse_tail_log() {
    local f=$1
    [[ -f "$f" ]] || return 0
    printf -- '----- last lines of %s -----\n' "$f" >&2
    tail -n 30 "$f" >&2
    printf -- '-----\n' >&2
}

# ---------------------------------------------------------------- tools

_pulse_pg_bindir_version() {   # prints the major version of the postgres binary in $1, or fails
    local v
    [[ -x "$1/postgres" && -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/pg_isready" && -x "$1/psql" ]] || return 1
    v=$("$1/postgres" --version 2>/dev/null) || return 1   # "postgres (PostgreSQL) 15.14 (Debian ...)"
    v=${v##*) }
    v=${v%%[!0-9]*}
    [[ -n "$v" ]] || return 1
    echo "$v"
}

_pulse_find_pg_bindir() {
    local d v best="" bestv=0
    if [[ -n "${PULSE_PG_BINDIR:-}" ]]; then
        v=$(_pulse_pg_bindir_version "$PULSE_PG_BINDIR") || { _pulse_err "PULSE_PG_BINDIR=$PULSE_PG_BINDIR has no usable PostgreSQL server binaries"; return 1; }
        ((v >= _PULSE_PG_MIN_VERSION)) || { _pulse_err "PULSE_PG_BINDIR: PostgreSQL $v < $_PULSE_PG_MIN_VERSION"; return 1; }
        echo "$PULSE_PG_BINDIR"
        return 0
    fi
    for d in /usr/lib/postgresql/*/bin; do
        v=$(_pulse_pg_bindir_version "$d") || continue
        if ((v >= _PULSE_PG_MIN_VERSION && v > bestv)); then best=$d bestv=$v; fi
    done
    if [[ -z "$best" ]] && command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null) || d=""
        if [[ -n "$d" ]] && v=$(_pulse_pg_bindir_version "$d") && ((v >= _PULSE_PG_MIN_VERSION)); then best=$d; fi
    fi
    [[ -n "$best" ]] || return 1
    echo "$best"
}

_pulse_redis_ok() {
    local s v
    s=$(command -v redis-server 2>/dev/null) || return 1
    command -v redis-cli >/dev/null 2>&1 || return 1
    v=$("$s" --version 2>/dev/null) || return 1        # "Redis server v=7.0.15 sha=..."
    v=${v#*v=}
    v=${v%%.*}
    [[ "$v" =~ ^[0-9]+$ ]] && ((v >= _PULSE_REDIS_MIN_VERSION))
}

_pulse_apt_install() {
    local p need_update=0 policy
    for p in "$@"; do       # refresh the package lists only if one of the packages has no install candidate
        policy=$(apt-cache policy "$p" 2>/dev/null) || policy=""
        [[ "$policy" =~ Candidate:\ [^\(] ]] || need_update=1
    done
    if ((need_update)); then
        _pulse_log "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null || return 1
    fi
    _pulse_log "apt-get install -y $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" </dev/null
}

# Ensure PostgreSQL >= 15 and Redis >= 7 are present (installing them when root); sets PULSE_TEST_PG_BINDIR,
# PULSE_TEST_REDIS_SERVER, PULSE_TEST_PG_RUNAS. Args: components (postgres redis cluster cluster-replicas), default all.
pulse_infra_ensure_tools() {
    local want_pg=0 want_redis=0 c pkgs=() what=() bindir
    (($#)) || set -- postgres redis cluster cluster-replicas
    for c in "$@"; do
        case $c in
            postgres) want_pg=1 ;;
            redis | cluster | cluster-replicas) want_redis=1 ;;
            *) _pulse_err "unknown component '$c' (expected: postgres redis cluster cluster-replicas)"; return 1 ;;
        esac
    done
    if ((want_pg)) && ! _pulse_find_pg_bindir >/dev/null; then
        pkgs+=(postgresql-15) what+=("PostgreSQL >= $_PULSE_PG_MIN_VERSION server binaries")
    fi
    if ((want_redis)) && ! _pulse_redis_ok; then
        pkgs+=(redis-server) what+=("redis-server/redis-cli >= $_PULSE_REDIS_MIN_VERSION")
    fi
    if ((${#pkgs[@]})); then
        if ((EUID == 0)) && command -v apt-get >/dev/null 2>&1; then
            _pulse_apt_install "${pkgs[@]}" || { _pulse_err "apt-get install ${pkgs[*]} failed"; return 1; }
        else
            _pulse_err "missing: $(printf '%s; ' "${what[@]}")not root, so not installing them"
            _pulse_err "install them with:  sudo apt-get install -y ${pkgs[*]}"
            return 1
        fi
    fi
    if ((want_pg)); then
        bindir=$(_pulse_find_pg_bindir) || { _pulse_err "PostgreSQL >= $_PULSE_PG_MIN_VERSION server binaries not found (looked in /usr/lib/postgresql/*/bin and pg_config --bindir); package: postgresql-15"; return 1; }
        export PULSE_TEST_PG_BINDIR=$bindir
        if ((EUID == 0)); then
            id -u postgres >/dev/null 2>&1 || { _pulse_err "running as root but there is no 'postgres' OS user to run initdb/postgres as"; return 1; }
            command -v runuser >/dev/null 2>&1 || { _pulse_err "runuser not found (package util-linux)"; return 1; }
            export PULSE_TEST_PG_RUNAS=postgres
        else
            export PULSE_TEST_PG_RUNAS=""
        fi
    fi
    if ((want_redis)); then
        _pulse_redis_ok || { _pulse_err "redis-server/redis-cli >= $_PULSE_REDIS_MIN_VERSION not found on PATH; package: redis-server"; return 1; }
        PULSE_TEST_REDIS_SERVER=$(command -v redis-server)
        export PULSE_TEST_REDIS_SERVER
    fi
}

# ---------------------------------------------------------------- temp dir

# Create the temp dir (once) and export PULSE_TEST_TMP. test.sh uses it alone with --no-servers (for TRX files).
pulse_infra_init_dir() {
    [[ -n "${_PULSE_INFRA_DIR:-}" && -d "$_PULSE_INFRA_DIR" ]] && return 0
    _PULSE_INFRA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pulse-test.XXXXXX") || return 1
    chmod 755 "$_PULSE_INFRA_DIR"          # the postgres OS user must be able to traverse it
    mkdir -p "$_PULSE_INFRA_DIR/logs"
    export PULSE_TEST_TMP=$_PULSE_INFRA_DIR
}

# ---------------------------------------------------------------- postgres

_PULSE_PG_DATA=""
_PULSE_PG_PORT=""
_PULSE_PG_PID=""           # postmaster
_PULSE_PG_PID_START=""
_PULSE_PG_LAUNCHER_PID=""  # runuser (root) or the postmaster itself (non-root)
_PULSE_PG_LAUNCHER_START=""

_pulse_pg_read_pid() {     # fills _PULSE_PG_PID from postmaster.pid once it exists
    local pid
    [[ -n "$_PULSE_PG_PID" ]] && return 0
    [[ -r "$_PULSE_PG_DATA/postmaster.pid" ]] || return 1
    pid=$(head -n 1 "$_PULSE_PG_DATA/postmaster.pid" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    _PULSE_PG_PID=$pid
    _PULSE_PG_PID_START=$(_pulse_starttime "$pid") || _PULSE_PG_PID_START=""
}

# Returns 0 when up, 2 when the port was taken (caller retries on another port), 1 on other failures.
_pulse_pg_start_on() {
    local port=$1 bindir=$PULSE_TEST_PG_BINDIR base=$_PULSE_INFRA_DIR/pg log=$_PULSE_INFRA_DIR/logs/postgres.log i
    _PULSE_PG_DATA=$base/data
    _PULSE_PG_PORT=$port
    _PULSE_PG_PID="" _PULSE_PG_PID_START=""
    if [[ ! -f "$_PULSE_PG_DATA/PG_VERSION" ]]; then
        mkdir -p "$base/sock"
        [[ -z "$PULSE_TEST_PG_RUNAS" ]] || chown -R "$PULSE_TEST_PG_RUNAS:" "$base"
        if ! (cd "$base" && _pulse_as_pg "$bindir/initdb" -D "$_PULSE_PG_DATA" -A trust -U postgres --no-sync \
            -E UTF8 --locale=C.UTF-8) >"$_PULSE_INFRA_DIR/logs/initdb.log" 2>&1; then
            _pulse_err "initdb failed"
            _pulse_tail_log "$_PULSE_INFRA_DIR/logs/initdb.log"
            return 1
        fi
    fi
    # Test-only settings: durability is off (fsync/synchronous_commit/full_page_writes) because the cluster is
    # thrown away after the run; many connections for parallel test classes. Never use these in production.
    # PULSE_PG_DURABLE=1 (the benchmark) keeps PostgreSQL's durable defaults, so a commit costs a real flush.
    local -a settings=(-c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB)
    if [[ "${PULSE_PG_DURABLE:-0}" != 1 ]]; then
        settings+=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
    fi
    # PULSE_PG_SETTINGS="name=value ...": more server settings (they win over the ones above), e.g. the benchmark's.
    local setting
    for setting in ${PULSE_PG_SETTINGS:-}; do settings+=(-c "$setting"); done
    (
        cd "$base" || exit 1
        if [[ -n "$PULSE_TEST_PG_RUNAS" ]]; then
            exec runuser -u "$PULSE_TEST_PG_RUNAS" -- "$bindir/postgres" -D "$_PULSE_PG_DATA" -p "$port" -k "$base/sock" "${settings[@]}"
        else
            exec "$bindir/postgres" -D "$_PULSE_PG_DATA" -p "$port" -k "$base/sock" "${settings[@]}"
        fi
    ) </dev/null >"$log" 2>&1 &
    _PULSE_PG_LAUNCHER_PID=$!
    _PULSE_PG_LAUNCHER_START=$(_pulse_starttime "$_PULSE_PG_LAUNCHER_PID" || true)
    for ((i = 0; i < 600; i++)); do        # 30 s
        _pulse_pg_read_pid || true
        if ! _pulse_alive "$_PULSE_PG_LAUNCHER_PID" "$_PULSE_PG_LAUNCHER_START"; then
            wait "$_PULSE_PG_LAUNCHER_PID" 2>/dev/null || true
            _PULSE_PG_LAUNCHER_PID="" _PULSE_PG_PID=""
            if grep -q 'could not bind\|Address already in use' "$log" 2>/dev/null; then return 2; fi
            _pulse_err "postgres exited during startup"
            _pulse_tail_log "$log"
            return 1
        fi
        # line 8 of postmaster.pid is the status; "ready" once it accepts connections
        if [[ -n "$_PULSE_PG_PID" ]] && [[ "$(sed -n 8p "$_PULSE_PG_DATA/postmaster.pid" 2>/dev/null)" == ready* ]] &&
            "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then
            return 0
        fi
        sleep 0.05
    done
    _pulse_err "postgres did not become ready on 127.0.0.1:$port within 30 s"
    _pulse_tail_log "$log"
    return 1
}

_pulse_pg_start() {
    local attempt port rc
    for attempt in 1 2 3; do
        port=$(_pulse_free_ports 1) || { _pulse_err "no free port"; return 1; }
        rc=0
        _pulse_pg_start_on "$port" || rc=$?
        ((rc == 2)) || break
        _pulse_log "postgres: port $port was taken, retrying"
    done
    ((rc == 0)) || { ((rc != 2)) || _pulse_err "postgres: could not bind a port"; return 1; }
    if ! "$PULSE_TEST_PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
        -c 'CREATE DATABASE pulse_test' >>"$_PULSE_INFRA_DIR/logs/postgres-setup.log" 2>&1; then
        _pulse_err "CREATE DATABASE pulse_test failed"
        _pulse_tail_log "$_PULSE_INFRA_DIR/logs/postgres-setup.log"
        return 1
    fi
    export PULSE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=pulse_test;Pooling=true;Maximum Pool Size=100"
    _pulse_log "postgres  127.0.0.1:$port  pid $_PULSE_PG_PID  ($(($(_pulse_now_ms) - _PULSE_T0)) ms)"
}

_pulse_pg_stop() {
    [[ -n "$_PULSE_PG_DATA" ]] || return 0
    local rc=0
    _pulse_pg_read_pid || true
    if [[ -n "$_PULSE_PG_PID" ]] && _pulse_alive "$_PULSE_PG_PID" "$_PULSE_PG_PID_START"; then
        # -m fast: roll back open transactions and disconnect clients, then shut down
        (cd "$_PULSE_INFRA_DIR" && _pulse_as_pg "$PULSE_TEST_PG_BINDIR/pg_ctl" -D "$_PULSE_PG_DATA" -m fast -w -t 15 stop) \
            >>"$_PULSE_INFRA_DIR/logs/postgres-stop.log" 2>&1 || true
        if ! _pulse_wait_gone "$_PULSE_PG_PID" 5 "$_PULSE_PG_PID_START"; then
            kill -QUIT "$_PULSE_PG_PID" 2>/dev/null || true          # immediate shutdown
            _pulse_wait_gone "$_PULSE_PG_PID" 5 "$_PULSE_PG_PID_START" ||
                { kill -KILL "$_PULSE_PG_PID" 2>/dev/null || true; _pulse_wait_gone "$_PULSE_PG_PID" 2 "$_PULSE_PG_PID_START" || rc=1; }
        fi
    fi
    if [[ -n "$_PULSE_PG_LAUNCHER_PID" ]]; then
        # the launcher (runuser) exits with the postmaster; kill it only if it somehow lingers
        _pulse_wait_gone "$_PULSE_PG_LAUNCHER_PID" 5 "$_PULSE_PG_LAUNCHER_START" ||
            { kill -TERM "$_PULSE_PG_LAUNCHER_PID" 2>/dev/null || true; _pulse_wait_gone "$_PULSE_PG_LAUNCHER_PID" 2 "$_PULSE_PG_LAUNCHER_START" || rc=1; }
    fi
    _PULSE_PG_DATA="" _PULSE_PG_PID="" _PULSE_PG_PID_START="" _PULSE_PG_LAUNCHER_PID="" _PULSE_PG_LAUNCHER_START="" _PULSE_PG_PORT=""
    return $rc
}

# ---------------------------------------------------------------- redis

_PULSE_REDIS_PIDS=()   # entries "pid:starttime:port"

# Launch one redis-server in the background (logs/redis-<port>.log); args after the port are extra options.
_pulse_redis_launch() {
    local port=$1 dir=$_PULSE_INFRA_DIR/redis-$1 pid
    shift
    mkdir -p "$dir"
    "$PULSE_TEST_REDIS_SERVER" --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
        --dir "$dir" "$@" </dev/null >>"$_PULSE_INFRA_DIR/logs/redis-$port.log" 2>&1 &
    pid=$!
    # Out of the job table: a node a test kills (failover tests) would otherwise make bash report "Killed" in the
    # middle of the test output. Still our child, still reaped, still stopped by PID.
    disown "$pid" 2>/dev/null || true
    _PULSE_REDIS_PIDS+=("$pid:$(_pulse_starttime "$pid" || true):$port")
}

# Wait (10 s) for a launched redis-server to answer. Returns 2 if the port was taken, 1 on other failures.
_pulse_redis_wait() {
    local port=$1 entry pid="" start="" i log=$_PULSE_INFRA_DIR/logs/redis-$1.log
    for entry in "${_PULSE_REDIS_PIDS[@]}"; do
        [[ "${entry##*:}" == "$port" ]] && { pid=${entry%%:*}; start=${entry#*:}; start=${start%%:*}; }
    done
    for ((i = 0; i < 200; i++)); do
        if ! _pulse_alive "$pid" "$start"; then
            wait "$pid" 2>/dev/null || true
            if grep -q 'Address already in use' "$log" 2>/dev/null; then return 2; fi
            _pulse_err "redis-server on port $port exited during startup"
            _pulse_tail_log "$log"
            return 1
        fi
        # like PING, but also proves that the answer comes from *our* process (not another server on the port)
        [[ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$port" info server 2>/dev/null)" =~ process_id:${pid}[^0-9] ]] && return 0
        sleep 0.05
    done
    _pulse_err "redis-server did not answer PING on 127.0.0.1:$port within 10 s"
    _pulse_tail_log "$log"
    return 1
}

# _pulse_redis_select [ports...]: the _PULSE_REDIS_PIDS entries for these ports (all when none given).
_pulse_redis_select() {
    local entry
    for entry in ${_PULSE_REDIS_PIDS[@]+"${_PULSE_REDIS_PIDS[@]}"}; do
        if (($# == 0)) || [[ " $* " == *" ${entry##*:} "* ]]; then echo "$entry"; fi
    done
}

# Send SIGTERM (redis shuts down; nothing to save) to the redis-servers on the given ports (all when none).
_pulse_redis_signal() {
    local entry pid start
    for entry in $(_pulse_redis_select "$@"); do
        pid=${entry%%:*} start=${entry#*:} start=${start%%:*}
        if _pulse_alive "$pid" "$start"; then kill -TERM "$pid" 2>/dev/null || true; fi
    done
}

# Wait for the signalled redis-servers to exit (SIGKILL after 5 s) and forget them.
_pulse_redis_collect() {
    local entry pid start rc=0 keep=() sel
    sel=" $(_pulse_redis_select "$@" | tr '\n' ' ') "
    for entry in ${_PULSE_REDIS_PIDS[@]+"${_PULSE_REDIS_PIDS[@]}"}; do
        if [[ "$sel" != *" $entry "* ]]; then keep+=("$entry"); continue; fi
        pid=${entry%%:*} start=${entry#*:} start=${start%%:*}
        _pulse_wait_gone "$pid" 5 "$start" && continue
        kill -KILL "$pid" 2>/dev/null || true
        _pulse_wait_gone "$pid" 2 "$start" || { rc=1; _pulse_err "redis-server pid $pid did not exit"; }
    done
    _PULSE_REDIS_PIDS=(${keep[@]+"${keep[@]}"})
    return $rc
}

_pulse_redis_stop() { _pulse_redis_signal "$@"; _pulse_redis_collect "$@"; }

_pulse_redis_start() {
    local attempt port rc
    for attempt in 1 2 3; do
        port=$(_pulse_free_ports 1) || { _pulse_err "no free port"; return 1; }
        _pulse_redis_launch "$port"
        rc=0
        _pulse_redis_wait "$port" || rc=$?
        ((rc == 2)) || break
        _pulse_redis_stop "$port" || true
        _pulse_log "redis: port $port was taken, retrying"
    done
    ((rc == 0)) || return 1
    export PULSE_TEST_REDIS="127.0.0.1:$port"
    _pulse_log "redis     127.0.0.1:$port  ($(($(_pulse_now_ms) - _PULSE_T0)) ms)"
}

# _pulse_cluster_start_on REPLICAS ports...: a cluster of len(ports) / (REPLICAS + 1) masters, each with REPLICAS
# replicas (redis-cli assigns them). 0 ok, 2 port taken, 1 failure.
_pulse_cluster_start_on() {
    local replicas=$1 p rc=0 r i ok log=$_PULSE_INFRA_DIR/logs/redis-cluster-create.log
    shift
    # No diskless-sync delay: a master would otherwise wait 5 s for more replicas before their first sync.
    for p in "$@"; do
        _pulse_redis_launch "$p" --cluster-enabled yes --cluster-config-file "$_PULSE_INFRA_DIR/nodes-$p.conf" \
            --cluster-node-timeout 2000 --repl-diskless-sync-delay 0
    done
    for p in "$@"; do
        r=0
        _pulse_redis_wait "$p" || r=$?
        ((r == 0)) || { rc=$r; ((r == 2)) || return 1; }
    done
    ((rc == 0)) || return "$rc"
    local nodes=()
    for p in "$@"; do nodes+=("127.0.0.1:$p"); done
    if ! timeout 60 redis-cli --cluster create "${nodes[@]}" --cluster-replicas "$replicas" --cluster-yes </dev/null >>"$log" 2>&1; then
        _pulse_err "redis-cli --cluster create failed"
        _pulse_tail_log "$log"
        return 1
    fi
    # Ready when every node sees the cluster ok and, with replicas, every replica has finished its first sync
    # (a replica that never synced cannot be promoted).
    for ((i = 0; i < 600; i++)); do       # 30 s
        ok=1
        for p in "$@"; do
            [[ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$p" cluster info 2>/dev/null)" == *cluster_state:ok* ]] || { ok=0; break; }
            if ((replicas)); then
                r=$(timeout 2 redis-cli -h 127.0.0.1 -p "$p" info replication 2>/dev/null) || { ok=0; break; }
                [[ "$r" != *role:slave* || "$r" == *master_link_status:up* ]] || { ok=0; break; }
            fi
        done
        ((ok)) && return 0
        sleep 0.05
    done
    _pulse_err "redis cluster did not reach cluster_state:ok (and, with replicas, synced replicas) within 30 s"
    for p in "$@"; do _pulse_tail_log "$_PULSE_INFRA_DIR/logs/redis-$p.log"; done
    return 1
}

# _pulse_cluster_start REPLICAS: 3 masters with REPLICAS replicas each; sets _PULSE_CLUSTER_PORTS.
_pulse_cluster_start() {
    local replicas=$1 attempt ports rc p
    for attempt in 1 2 3; do
        ports=$(_pulse_free_ports $((3 * (replicas + 1))) 1) || { _pulse_err "no free ports"; return 1; }
        # shellcheck disable=SC2086
        set -- $ports
        rc=0
        _pulse_cluster_start_on "$replicas" "$@" || rc=$?
        ((rc == 2)) || break
        _pulse_redis_stop "$@" || true
        for p in "$@"; do rm -rf "$_PULSE_INFRA_DIR/redis-$p" "$_PULSE_INFRA_DIR/nodes-$p.conf"; done
        _pulse_log "redis cluster: a port was taken, retrying"
    done
    ((rc == 0)) || return 1
    _PULSE_CLUSTER_PORTS=("$@")
}

_pulse_cluster_nodes() {   # ports... -> host:port,host:port,...
    local out="" p
    for p in "$@"; do out+="${out:+,}127.0.0.1:$p"; done
    echo "$out"
}

_pulse_cluster_pids() {    # ports... -> host:port=pid,... (from the recorded launches)
    local out="" entry
    for entry in $(_pulse_redis_select "$@"); do out+="${out:+,}127.0.0.1:${entry##*:}=${entry%%:*}"; done
    echo "$out"
}

# ---------------------------------------------------------------- public entry points

_PULSE_STARTED=""   # " postgres redis cluster cluster-replicas " — what this shell started (and exported)
_PULSE_T0=0
_PULSE_CLUSTER_PORTS=()

# pulse_infra_start [postgres] [redis] [cluster] [cluster-replicas]   (default: all four; running ones are kept)
# On failure it stops whatever it had started and returns non-zero.
pulse_infra_start() {
    local c t0
    (($#)) || set -- postgres redis cluster cluster-replicas
    t0=$(_pulse_now_ms)
    pulse_infra_ensure_tools "$@" || return 1
    pulse_infra_init_dir || { _pulse_err "cannot create a temp dir"; return 1; }
    _pulse_log "temp dir $_PULSE_INFRA_DIR"
    for c in "$@"; do
        [[ "$_PULSE_STARTED" != *" $c "* ]] || continue
        _PULSE_T0=$(_pulse_now_ms)
        case $c in
            postgres) _pulse_pg_start || { pulse_infra_stop; return 1; } ;;
            redis) _pulse_redis_start || { pulse_infra_stop; return 1; } ;;
            cluster)
                _pulse_cluster_start 0 || { pulse_infra_stop; return 1; }
                PULSE_TEST_REDIS_CLUSTER=$(_pulse_cluster_nodes "${_PULSE_CLUSTER_PORTS[@]}")
                export PULSE_TEST_REDIS_CLUSTER
                _pulse_log "cluster   $PULSE_TEST_REDIS_CLUSTER  ($(($(_pulse_now_ms) - _PULSE_T0)) ms)"
                ;;
            cluster-replicas)
                _pulse_cluster_start 1 || { pulse_infra_stop; return 1; }
                PULSE_TEST_REDIS_CLUSTER_REPLICAS=$(_pulse_cluster_nodes "${_PULSE_CLUSTER_PORTS[@]}")
                PULSE_TEST_REDIS_CLUSTER_REPLICAS_PIDS=$(_pulse_cluster_pids "${_PULSE_CLUSTER_PORTS[@]}")
                export PULSE_TEST_REDIS_CLUSTER_REPLICAS PULSE_TEST_REDIS_CLUSTER_REPLICAS_PIDS
                _pulse_log "cluster-replicas (3 + 3)  $PULSE_TEST_REDIS_CLUSTER_REPLICAS  ($(($(_pulse_now_ms) - _PULSE_T0)) ms)"
                ;;
        esac
        _PULSE_STARTED+=" $c "
    done
    _pulse_log "servers up in $(($(_pulse_now_ms) - t0)) ms"
}

# Stop everything started by pulse_infra_start (by PID), remove the temp dir unless PULSE_KEEP_TMP=1 and
# unset the variables it exported. Idempotent. Returns non-zero if some process could not be stopped.
pulse_infra_stop() {
    local rc=0 t0 had_servers=0
    t0=$(_pulse_now_ms)
    [[ -z "$_PULSE_PG_DATA" && ${#_PULSE_REDIS_PIDS[@]} -eq 0 ]] || had_servers=1
    _pulse_redis_signal            # redis first (instant), postgres meanwhile, then reap redis
    _pulse_pg_stop || rc=1
    _pulse_redis_collect || rc=1
    [[ "$_PULSE_STARTED" != *" postgres "* ]] || unset PULSE_TEST_POSTGRES
    [[ "$_PULSE_STARTED" != *" redis "* ]] || unset PULSE_TEST_REDIS
    [[ "$_PULSE_STARTED" != *" cluster "* ]] || unset PULSE_TEST_REDIS_CLUSTER
    [[ "$_PULSE_STARTED" != *" cluster-replicas "* ]] || unset PULSE_TEST_REDIS_CLUSTER_REPLICAS PULSE_TEST_REDIS_CLUSTER_REPLICAS_PIDS
    _PULSE_STARTED=""
    if [[ -n "${_PULSE_INFRA_DIR:-}" ]]; then
        if [[ "${PULSE_KEEP_TMP:-0}" == 1 ]]; then
            _pulse_log "kept $_PULSE_INFRA_DIR (PULSE_KEEP_TMP=1)"
        elif ((rc == 0)); then
            rm -rf "$_PULSE_INFRA_DIR"
        else
            _pulse_err "some processes could not be stopped; leaving $_PULSE_INFRA_DIR"
        fi
        if ((had_servers)); then _pulse_log "servers stopped in $(($(_pulse_now_ms) - t0)) ms"; fi
        unset PULSE_TEST_TMP
        _PULSE_INFRA_DIR=""
    fi
    return $rc
}

# Print the exported variables as shell assignments.
pulse_infra_print_env() {
    local v
    for v in PULSE_TEST_POSTGRES PULSE_TEST_REDIS PULSE_TEST_REDIS_CLUSTER PULSE_TEST_REDIS_CLUSTER_REPLICAS \
        PULSE_TEST_REDIS_CLUSTER_REPLICAS_PIDS PULSE_TEST_PG_BINDIR PULSE_TEST_PG_RUNAS PULSE_TEST_REDIS_SERVER PULSE_TEST_TMP; do
        if [[ -n "${!v+x}" ]]; then printf 'export %s=%s\n' "$v" "${!v@Q}"; fi
    done
    return 0
}

# ---------------------------------------------------------------- direct execution

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    trap pulse_infra_stop EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    pulse_infra_start
    pulse_infra_print_env >&2
    if (($#)); then
        "$@"
    else
        "${SHELL:-bash}"
    fi
fi
