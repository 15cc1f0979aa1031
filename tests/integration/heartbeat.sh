#!/usr/bin/env bash
# heartbeat: a township that writes nothing after a deadline is known past
# it all the same (sync/silence_hours; fg_replica_heartbeat): its daemon,
# silent for longer than that, writes a heartbeat entry whose time tells
# the county and the prefecture how far its log is complete, so a finding
# waiting for it can turn VIOLATED (DOMAIN.md §3, incomplete knowledge).
# Simulated time as in pending_sync: every clock runs 25 days behind for
# day 0, then 5 days behind (day 20); the deadline plus the grace is day 11.
#   day 0: townships 100 and 101 each record a must-visit trigger (window
#     7 days) and go offline with the hubs;
#   day 20: the hubs come back (each writes its own heartbeat: silent for
#     20 days); both findings PENDING_SYNC at the county, naming the
#     township;
#   both townships come back and write nothing. 100 writes one heartbeat
#     (and no more while it runs): VIOLATED at the county and the
#     prefecture. 101 is configured never to (silence_hours = 0, the old
#     behaviour): its finding stays PENDING_SYNC naming it, at both.
#   township 100 put back to its backup (before a write the county holds)
#     and started two days later: no heartbeat in the session that brings
#     its entries back (no fork, nothing refused); one in the next.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin heartbeat 27800 110 "$@"

P=513300; C=513328; T1=513328100; T2=513328101
DAY_MS=86400000
day () { date -u -d "@$(( $(date +%s) - 25 * 86400 + $1 * 86400 ))" +%F; }
D0=$(day 0); D20=$(day 20)

#  --- Day 0: a household and a trigger at each township
export FUGAI_CLOCK_OFFSET_MS=$(( -25 * DAY_MS ))
tree_up $P $C $T1 $T2
cfg_set $T2 sync/silence_hours 0
start_all $P $C $T1 $T2
wait_connected $C $T1 $T2
m1_day0 $T1 $T2 $D0
wait_until "both triggers are at the prefecture" 30 \
    sql_is $P "select count(*) from must_visit_trigger where id in ($TR1, $TR2)" 2
expect_sql $T1 "select count(*) from heartbeat" 0 "heartbeats of a township that just wrote"

#  --- 20 days later
stop_node $T1
stop_node $T2
stop_node $C
stop_node $P
export FUGAI_CLOCK_OFFSET_MS=$(( -5 * DAY_MS ))
start_all $P $C
wait_connected $C
C_ID=$(node_id $C)
wait_until "the county's own heartbeat is at the prefecture" 30 \
    sql_is $P "select count(*) from heartbeat h join node n on n.node_id = $C_ID where h.org_id = $C" 1

finding () { m1_finding "$1" "$2" "$D20"; }
expect_finding () { expect_m1 "$1" "$2" "$D20" "$3" "${4:-}"; }
expect_finding $C $TR1 PENDING_SYNC "28100 \\($T1, known to $D0"
expect_finding $C $TR2 PENDING_SYNC "28101 \\($T2, known to $D0"
#  (the prefecture knows the county past the deadline by its heartbeat:
#  it waits for the township alone)
expect_finding $P $TR1 PENDING_SYNC "28100 \\($T1"
line=$(finding $P $TR1)
echo "$line" | grep -q "$C_ID (" && fail "the prefecture still waits for the county: $line"

#  --- Both townships come back and write nothing
start_all $T1 $T2
wait_connected $T1 $T2
wait_until "township 100's heartbeat is at the prefecture" 30 \
    sql_is $P "select count(*) from heartbeat where org_id = $T1" 1
sleep 3     # ... a few of its daemon's ticks (heartbeat_ms 500), and township 101's
expect_sql $T1 "select count(*) from heartbeat" 1 "heartbeats township 100 wrote while it ran (bounded)"
expect_sql $T2 "select count(*) from heartbeat" 0 "heartbeats of township 101 (silence_hours = 0)"
for org in $C $P; do
    expect_finding $org $TR1 VIOLATED ""
    line=$(finding $org $TR1)
    echo "$line" | grep -q "known to" && fail "$org: a VIOLATED finding waits for a node: $line"
    expect_finding $org $TR2 PENDING_SYNC "28101 \\($T2, known to $D0"
done

#  --- No heartbeat over a chain the parent holds further: township 100 is
#  put back to its backup of day 20 after a write the county took, and
#  starts two days later (silent for two days in its own log). Its parent
#  sends its entries back first; a heartbeat written before them would
#  take the seq of the write the county holds (a fork)
T1_ID=$(node_id $T1)
fugai $T1 backup "$S/t1-day20.db" > /dev/null || fail "fugai backup at $T1"
fugai $T1 --as clerk add household org_id=${T1}201 head_name=Norbu economy=herding > /dev/null
wait_until "the write after the backup is at the county" 30 \
    sql_is $C "select count(*) from household where head_name = 'Norbu'" 1
stop_node $T1
rm -f "$S/$T1/data.db-wal" "$S/$T1/data.db-shm"
cp "$S/t1-day20.db" "$S/$T1/data.db"
export FUGAI_CLOCK_OFFSET_MS=$(( -3 * DAY_MS ))
start_node $T1
wait_connected $T1
wait_until "township 100 has its own write back from the county" 30 \
    sql_is $T1 "select count(*) from household where head_name = 'Norbu'" 1
sleep 2
expect_sql $C "select count(*) from quarantine where origin = $T1_ID" 0 "entries of township 100 refused at the county"
expect_eq "township 100's chain at $T1 and $C" "$(entries_of $T1 $T1_ID)" "$(entries_of $C $T1_ID)"
expect_sql $T1 "select count(*) from heartbeat" 1 "heartbeats of township 100 while its entries came back"
#  ... and on its next session it is silent for two days: one heartbeat more
stop_node $T1
start_node $T1
wait_connected $T1
wait_until "township 100's second heartbeat is at the prefecture" 30 \
    sql_is $P "select count(*) from heartbeat where org_id = $T1" 2
expect_sql $C "select count(*) from quarantine where origin = $T1_ID" 0 "entries of township 100 refused at the county"
it_end
