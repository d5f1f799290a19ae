#!/usr/bin/env bash
# bench/experiments/b-ab.sh A_WORKTREE B_WORKTREE — scenario (b) of bench/run.sh, A B A B in embedded mode and then in
# server mode, each run in its own worktree's build (the first A run builds; build B first with bench/run.sh there).
# Prints each run's report path and the load average at its start and end. Used for issue 15's event_minutes
# (A: /tmp/main-ab at 160c561, B: the branch), docs/performance.md.
set -u
A=$1 B=$2
run() { # label dir mode extra
  echo "== $1 $3 start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  (cd "$2" && bench/run.sh --mode "$3" --only b $4 2>&1 | grep -E "\(b\)|req/s|Report|report|results/" | tail -8)
  echo "== $1 $3 end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
}
run A "$A" embedded ""
run B "$B" embedded --no-build
run A "$A" embedded --no-build
run B "$B" embedded --no-build
run A "$A" server --no-build
run B "$B" server --no-build
run A "$A" server --no-build
run B "$B" server --no-build
echo done
