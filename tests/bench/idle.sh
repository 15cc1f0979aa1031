#!/usr/bin/env bash
# idle.sh - what daemons cost when nothing happens: a prefecture, C
# counties and T townships (spread over the counties) started on
# 127.0.0.1, linked, then left alone; over SECONDS the CPU time (utime +
# stime of /proc/PID/stat, all threads) and the context switches (the
# voluntary ones of every thread: how often a thread went to sleep, so
# about how often it was woken) of each daemon are read before and after.
# Prints figures per tier; asserts nothing.
#
#   tests/bench/idle.sh [BUILD_DIR] [SECONDS] [TOWNSHIPS] [COUNTIES] [PORT_BASE]
#
# Defaults: build, 60 s, 20 townships, 2 counties, ports from 38400 (the
# hubs listen on PORT_BASE + i; web consoles are off). The programs can
# also be named by FUGAI, HUB, EDGE in the environment (another build's,
# to compare). The nodes keep their default configuration (fugai init):
# heartbeat every 5 s, the sync/poll_ms of the build.
set -euo pipefail
build=$(readlink -f "${1:-build}")
seconds=${2:-60}
townships=${3:-20}
counties=${4:-2}
base=${5:-38400}
F=${FUGAI:-$build/edge/fugai}
H=${HUB:-$build/hub/fugai-hub}
E=${EDGE:-$build/edge/fugai-edge}
S=$(mktemp -d /tmp/fugai-idle.XXXXXX)
pids=()
cleanup () {
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
    rm -rf "$S"
}
trap cleanup EXIT

web_off () { printf 'web\n    listen = "off"\n' >> "$1/fugai.cfg"; }
P=$S/513300
$F init $P --role prefecture --org 513300 --name prefecture --listen tcp://127.0.0.1:$base > /dev/null
web_off $P
nodes=($P)
tiers=(prefecture)
for ((c = 0; c < counties; c++)); do
    org=5133$((21 + c))
    C=$S/$org
    $F init $C --role county --org $org --name "county $org" --listen tcp://127.0.0.1:$((base + 1 + c)) \
        --parent tcp://127.0.0.1:$base > /dev/null
    $F -C $P enroll $C/keys/node.cert > /dev/null
    $F -C $C trust $P/keys/node.cert > /dev/null
    web_off $C
    nodes+=($C); tiers+=(county)
done
for ((t = 0; t < townships; t++)); do
    c=$((t % counties))
    county=5133$((21 + c))
    org=$county$((100 + t / counties))
    T=$S/$org
    $F init $T --role township --org $org --name "township $org" \
        --parent tcp://127.0.0.1:$((base + 1 + c)) > /dev/null
    $F -C $S/$county enroll $T/keys/node.cert > /dev/null
    $F -C $T trust $S/$county/keys/node.cert > /dev/null
    web_off $T
    nodes+=($T); tiers+=(township)
done
for ((i = 0; i < ${#nodes[@]}; i++)); do
    program=$H
    [ ${tiers[$i]} = township ] && program=$E
    "$program" "${nodes[$i]}" < /dev/null > "${nodes[$i]}.log" 2>&1 &
    pids+=($!)
    [ ${tiers[$i]} = township ] || sleep 0.3
done
#  Linked: every node's own entries are at the prefecture
want=$((1 + counties + townships))
for ((i = 0; i < 600; i++)); do
    have=$(sqlite3 -cmd ".timeout 2000" $P/data.db "select count(distinct origin) from log" 2> /dev/null || echo 0)
    [ "$have" -ge $want ] && break
    sleep 0.1
done
[ "$have" -ge $want ] || { echo "idle.sh: only $have of $want nodes reached the prefecture" >&2; exit 1; }
sleep 5                                  # the first statuses and heartbeats

#  utime + stime (clock ticks) and voluntary context switches of a process
sample () {
    local pid=$1 ticks switches=0 f n
    ticks=$(awk '{ print $14 + $15 }' /proc/$pid/stat)
    for f in /proc/$pid/task/*/status; do
        n=$(awk '$1 == "voluntary_ctxt_switches:" { print $2 }' "$f" 2> /dev/null || echo 0)
        switches=$((switches + ${n:-0}))
    done
    echo "$ticks $switches"
}
declare -a t0 s0
for ((i = 0; i < ${#pids[@]}; i++)); do read -r t0[$i] s0[$i] < <(sample ${pids[$i]}); done
sleep "$seconds"
hz=$(getconf CLK_TCK)
declare -A cpu count sw
for ((i = 0; i < ${#pids[@]}; i++)); do
    kill -0 ${pids[$i]} 2> /dev/null || { echo "idle.sh: the daemon of ${nodes[$i]} exited" >&2; exit 1; }
    read -r t1 s1 < <(sample ${pids[$i]})
    tier=${tiers[$i]}
    cpu[$tier]=$(( ${cpu[$tier]:-0} + t1 - t0[$i] ))
    sw[$tier]=$(( ${sw[$tier]:-0} + s1 - s0[$i] ))
    count[$tier]=$(( ${count[$tier]:-0} + 1 ))
done
total_cpu=0; total_sw=0
echo "idle for $seconds s: 1 prefecture, $counties counties, $townships townships ($H, $E)"
for tier in prefecture county township; do
    n=${count[$tier]:-0}
    [ $n -gt 0 ] || continue
    total_cpu=$((total_cpu + cpu[$tier])); total_sw=$((total_sw + sw[$tier]))
    awk -v t=$tier -v n=$n -v c=${cpu[$tier]} -v s=${sw[$tier]} -v hz=$hz -v sec=$seconds 'BEGIN {
        printf "  %-10s x%-3d CPU %7.1f ms/min each (%.3f %% of a core); %6.1f wakeups/s each\n",
               t, n, c * 1000 / hz / n * 60 / sec, c * 100 / hz / n / sec, s / n / sec }'
done
awk -v n=${#pids[@]} -v c=$total_cpu -v s=$total_sw -v hz=$hz -v sec=$seconds 'BEGIN {
    printf "  all %d daemons: CPU %.2f s in %d s (%.2f %% of a core); %.0f wakeups/s\n",
           n, c / hz, sec, c * 100 / hz / sec, s / sec }'
