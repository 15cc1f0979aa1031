#!/usr/bin/env bash
# pending_sync: DOMAIN.md §3 "Rule for incomplete knowledge" on real
# processes. Two townships of county 513328 record a must-visit trigger
# (seriously ill, window 7 days) on day 0 and go offline. Simulated time:
# every node's clock runs 25 days behind (FUGAI_CLOCK_OFFSET_MS) until the
# hubs restart 20 days later (5 days behind), so day 0 and day 20 are real
# business dates and real hlc times, and `fugai findings --date` judges as
# of day 20; the deadline plus the grace (3 days) is day 11.
#   day 20, both townships offline: the county says PENDING_SYNC for each
#     trigger, naming the township (28100 / 28101) and how far its log is
#     known; the county asks each township to report (a directive); the
#     prefecture, once it holds that directive, says PENDING_SYNC naming
#     the township only;
#   township 100 reconnects with the visit (made on day 2, entered on day
#     20): its finding disappears at the county and the prefecture;
#   township 101 reconnects without it (its daemon acknowledges the
#     county's directive: its log is now known past day 11): its finding
#     turns VIOLATED at the county and the prefecture.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin pending_sync 24100 110 "$@"

P=513300; C=513328; T1=513328100; T2=513328101
DAY_MS=86400000
day () { date -u -d "@$(( $(date +%s) - 25 * 86400 + $1 * 86400 ))" +%F; }
D0=$(day 0); D2=$(day 2); D20=$(day 20)

#  --- Day 0: the tree, a household and a trigger at each township
export FUGAI_CLOCK_OFFSET_MS=$(( -25 * DAY_MS ))
tree_up $P $C $T1 $T2
start_all $P $C $T1 $T2
wait_connected $C $T1 $T2
m1_day0 $T1 $T2 $D0
CADRE=$(fugai $C --as officer add cadre org_id=$T1 name=Dorje rank=staff)
at_p () { sql_is $P "select count(*) from must_visit_trigger where id in ($TR1, $TR2)" 2; }
wait_until "both triggers are at the prefecture" 30 at_p
wait_until "the cadre is at township 100" 30 sql_is $T1 "select count(*) from cadre where id = $CADRE" 1

#  --- The townships go offline; 20 days pass at the hubs
stop_node $T1
stop_node $T2
stop_node $C
stop_node $P
export FUGAI_CLOCK_OFFSET_MS=$(( -5 * DAY_MS ))
start_all $P $C
wait_connected $C

finding () { m1_finding "$1" "$2" "$D20"; }
expect_finding () { expect_m1 "$1" "$2" "$D20" "$3" "${4:-}"; }
expect_finding $C $TR1 PENDING_SYNC "28100 \\($T1, known to $D0"
expect_finding $C $TR2 PENDING_SYNC "28101 \\($T2, known to $D0"
"$FUGAI" -C "$S/$C" findings --rule M1 --date "$D20" > "$S/logs/findings-c.txt" 2> "$S/logs/findings-c.err"
expect_grep "the county's summary" "$S/logs/findings-c.err" "0 violated, 2 pending sync"
#  ... not before the window closed
early=$("$FUGAI" -C "$S/$C" --csv findings --rule M1 --date "$(day 5)" | grep -c "must_visit_trigger:$TR1," || true)
expect_eq "findings of trigger $TR1 as of day 5, its window still open" "$early" 0

#  The county asks each township to report; the prefecture then knows the
#  county's log past the deadline and waits for the township alone
DIR1=$(fugai $C --as officer --json directive issue --to $T1 --title "report on the visit" | sed -n 's/.*"directive": "\{0,1\}\([0-9]*\).*/\1/p')
DIR2=$(fugai $C --as officer --json directive issue --to $T2 --title "report on the visit" | sed -n 's/.*"directive": "\{0,1\}\([0-9]*\).*/\1/p')
wait_until "the directives are at the prefecture" 30 sql_is $P "select count(*) from directive where id in ($DIR1, $DIR2)" 2
expect_finding $P $TR1 PENDING_SYNC "28100 \\($T1"
line=$(finding $P $TR1)
echo "$line" | grep -q "128 (" && fail "the prefecture still waits for the county: $line"

#  The desk refuses what the hubs would (M3): a visit dated in 2030
seq=$(own_seq $T1)
if fugai $T1 --as clerk add visit org_id=${T1}201 cadre_id=$CADRE target_kind=household target_id=$H1 \
       kind=pairing occurred_on=2030-01-01 > /dev/null 2> "$S/logs/m3.err"; then
    fail "a visit dated 2030 was written"
fi
expect_grep "the desk's refusal" "$S/logs/m3.err" "rule:M3.*2030-01-01"
expect_eq "own entries after the refused write" "$(own_seq $T1)" "$seq"

#  --- Township 100 reconnects with the visit; township 101 without
fugai $T1 --as clerk add visit org_id=${T1}201 cadre_id=$CADRE target_kind=household target_id=$H1 \
    kind=must_visit must_visit_category=seriously_ill occurred_on=$D2 in_person=yes > /dev/null
start_all $T1 $T2
wait_connected $T1 $T2
acked () { sql_is "$1" "select count(*) from directive_ack where directive_id = $2" 1; }
wait_until "township 100's visit and ack are at the prefecture" 30 \
    eval 'sql_is $P "select count(*) from visit where target_id = $H1" 1 && acked $P $DIR1'
wait_until "township 101's ack is at the prefecture" 30 acked $P $DIR2

for org in $C $P; do
    [ -z "$(finding $org $TR1)" ] || fail "$org: the finding of trigger $TR1 is still there: $(finding $org $TR1)"
    expect_finding $org $TR2 VIOLATED ""
    line=$(finding $org $TR2)
    echo "$line" | grep -q "known to" && fail "$org: a VIOLATED finding waits for a node: $line"
done
#  The township sees the same, as its worklist
"$FUGAI" -C "$S/$T2" worklist --date "$D20" > "$S/logs/worklist.txt"
expect_grep "township 101's worklist" "$S/logs/worklist.txt" "must_visit_trigger:$TR2"
it_end
