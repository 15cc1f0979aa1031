#!/usr/bin/env bash
# idle_quiet: daemons with nothing to do sleep. A prefecture, a county and
# two townships, linked, then left alone; stopped, each sync actor logs
# how often its timer went off (fgp_alarm_report) and the main thread how
# often it woke. A timer goes off only at a deadline the actor has: with
# sync/heartbeat_ms = 1000, a child pings, states its status and looks at
# its replica about once a second (its chores share a wake-up); a parent
# records statuses and looks every few seconds. The counts are bounded by
# the configured periods, whatever the machine's speed (a slow machine
# gives fewer, not more): a daemon that polled every 100 ms (what they did
# before) goes past them tenfold. Then a write still goes up at once.
. "$(dirname "$0")/lib.sh"
it_begin idle_quiet 37400 90 "$@"

P=513300; C=513328; T1=513328100; T2=513328101
IDLE=8
tree_up $P $C $T1 $T2
for org in $P $C $T1 $T2; do
    cfg_set $org sync/heartbeat_ms 1000
    cfg_set $org sync/timeout_ms 5000
    cfg_set $org sync/poll_ms 60000      # (the largest: no safety look passes for a wake)
done
start_node $P
wait_until "the prefecture listens" 10 log_has $P "listening for children"
start_node $C
wait_connected $C
start_all $T1 $T2
wait_connected $T1 $T2
wait_until "the townships' first entries are at the prefecture" 20 \
    sql_is $P "select count(distinct origin) from log where origin in ($(node_id $T1), $(node_id $T2))" 2
note "linked; idle for $IDLE s"
sleep $IDLE

#  Still awake to a write: it reaches the prefecture woken, not looked for
#  (the next safety look is some 50 s away; the bound is against a hang and
#  is not stretched for the sanitizers' build, where it would near the look)
fugai $T1 --as clerk add household org_id=${T1}201 head_name="After the idle" size=2 economy=farming > /dev/null
FUGAI_IT_SLOW=1 IT_POLL=0.02 wait_until "the write after the idle is at the prefecture (no safety look for 50 s)" 20 \
    sql_is $P "select count(*) from household where head_name = 'After the idle'" 1
stop_all

#  timer_count ORG WHAT: "N S" of the line "WHAT: its timer went off N times in S s"
timer_count () {
    sed -n "s/.*$2: its timer went off \([0-9]*\) times in \([0-9]*\) s.*/\1 \2/p" "$S/logs/$1.log" | tail -n 1
}
#  check ORG WHAT PER_S: went off at most PER_S times a second, plus 10 for
#  the start (HELLO, WELCOME, the first chores)
check () {
    local org=$1 what=$2 per_s=$3 n s
    read -r n s < <(timer_count $org "$what") || true
    [ -n "${n:-}" ] || { soft_fail "$org logged no count for '$what'"; return 0; }
    local bound
    bound=$(awk -v s=$s -v p=$per_s 'BEGIN { printf "%d", s * p + 10 }')
    note "$org, $what: its timer went off $n times in $s s (bound $bound)"
    [ $n -le $bound ] || soft_fail "$org, $what: its timer went off $n times in $s s (at most $bound: it polls?)"
}
for org in $C $T1 $T2; do check $org "sync: the link to the parent" 1.5; done
for org in $P $C; do check $org "sync: the links to the children" 1; done
for org in $P $C $T1 $T2; do
    line=$(grep -o "the daemon's main thread woke [0-9]* times in [0-9]* s" "$S/logs/$org.log" | tail -n 1 || true)
    [ -n "$line" ] || soft_fail "$org logged no count of its main thread's wake-ups"
    note "$org: $line"
done
it_end
