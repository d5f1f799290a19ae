#!/bin/bash
# /tmp/ret-cpu.sh DB FILE N : runs the query in FILE (pgbench syntax with \set random) N times in one backend; prints backend CPU ms per query
db=$1; f=$2; n=$3
tag=retcpu$$
( PGAPPNAME=$tag pgbench $PGB_EXTRA -h 127.0.0.1 -p ${PGPORT:-55432} -U postgres -n -c 1 -t $n -f $f $db >${TMPDIR:-/tmp}/$tag.out 2>&1 ) &
bp=$!
pid=""
for i in $(seq 1 100); do pid=$(psql -h 127.0.0.1 -p ${PGPORT:-55432} -U postgres -d $db -Atc "select pid from pg_stat_activity where application_name='$tag'"); [ -n "$pid" ] && break; sleep 0.1; done
t0=$(awk '{print $14+$15}' /proc/$pid/stat)
last=$t0
while kill -0 $bp 2>/dev/null; do v=$(awk '{print $14+$15}' /proc/$pid/stat 2>/dev/null) && last=$v; sleep 0.05; done
tk=$(getconf CLK_TCK)
echo "$db $(basename $f): $(python3 -c "print(round(($last-$t0)*1000/$tk/$n,3))") ms CPU/query; $(grep tps ${TMPDIR:-/tmp}/$tag.out | cut -d' ' -f1-3)"
