#!/usr/bin/env bash
# hostile: an enrolled township whose key is in someone else's hands. Its
# edge is stopped and fugai-hostile (tests/hostile/fugai_hostile.c) speaks
# for it, with its own enrolled keys, over real CURVE sockets, to its
# county's hub: crafted but validly signed entries and garbage. Each case
# is checked at the county and the prefecture; at the end the honest edge
# comes back, and the tiers agree with nothing valid lost.
#   - a household of the neighbour township's village: rejected (its op),
#     the township's chain goes on;
#   - the sibling's entries relayed: refused (outside_sender), kept in the
#     county's quarantine only (no signed refusal naming the sibling);
#   - an entry of an origin nobody knows (issue 7 hole 5): refused, not
#     buffered;
#   - a replay of every own entry: duplicates, nothing changes;
#   - a 9 MiB message: dropped, the hub goes on;
#   - 200 validly signed entries stamped a day ahead in one batch: the
#     county flags them with one signed clock_flag (it was one per entry),
#     and every tier ranks them at the county's time of receipt;
#   - amplification (hole 6): one batch of 20000 entries that do not
#     verify, then three zstd frames of 1.4 KB inflating to 16.5 MB each,
#     then a flood of 12 batches of 999: the county stores at most its
#     quota (hash and size, no bytes), signs one refusal per batch, and
#     ends the sessions past it;
#   - revocation (hole 7): the county revoked at the prefecture, more
#     node records arrive there, and fugai check and fugai rebuild pass.
# Figures (before/after) go to the output: FIGURE lines.
HOSTILE_BIN=${4:-$(dirname "$0")/../../build/tests/fugai-hostile}
HOSTILE_BIN=$(readlink -f "$HOSTILE_BIN")
. "$(dirname "$0")/lib.sh"
it_begin hostile 24300 170 "$@"
[ -x "$HOSTILE_BIN" ] || fail "$HOSTILE_BIN is not an executable (build first)"
cp "$HOSTILE_BIN" "$S/bin/"
HOSTILE=$S/bin/$(basename "$HOSTILE_BIN")

P=513300; C=513328; C2=513321; T=513328100; T2=513328101; T3=513321100; T4=513321101
tree_up $P $C $C2 $T $T2 $T3
start_all $P $C $C2 $T $T2 $T3
wait_connected $C $C2 $T $T2 $T3
T_ID=$(node_id $T); T2_ID=$(node_id $T2); C_ID=$(node_id $C)
for i in 1 2; do fugai $T --as clerk add household org_id=${T}201 head_name=honest-$i size=$i > /dev/null; done
fugai $T2 --as clerk add household org_id=${T2}201 head_name=neighbour-1 size=4 > /dev/null
fugai $T3 --as clerk add household org_id=${T3}201 head_name=cousin-1 size=5 > /dev/null
wait_until "the prefecture holds the four households" 30 \
    sql_is $P "select count(*) from household" 4
stop_node $T

#  hostile CASE ARGS...: run it as the township, output in logs/hostile.out
hostile () {
    echo "===== $*" >> "$S/logs/hostile.out"
    "$HOSTILE" "$S/$T" "$@" >> "$S/logs/hostile.out" 2>&1 || fail "fugai-hostile $* failed: $(tail -5 "$S/logs/hostile.out")"
    note "hostile $*: $(sed -n '/^===== '"$1"'/,$p' "$S/logs/hostile.out" | grep -E 'ACK|ERROR|answer' | tail -1)"
}
figures () {   # WHEN: what the county and the prefecture hold
    local size
    size=$(cat "$S/$C/data.db" "$S/$C/data.db-wal" 2>/dev/null | wc -c)
    echo "FIGURE $1: county file $size bytes, quarantine $(sql $C "select count(*) from quarantine") rows" \
         "(evidence $(sql $C "select coalesce(sum(length(entry)), 0) from quarantine") bytes)," \
         "county log $(sql $C "select count(*) from log") entries ($(sql $C "select count(*) from log where origin = $C_ID") own)," \
         "prefecture log $(sql $P "select count(*) from log") entries" >&7
}

#  soft_expect ORG "QUERY" EXPECTED WHAT: as expect_sql, but the test goes
#  on (the checks of issue 7's holes: a run on older code reports them all,
#  with its figures)
soft_expect () {
    local got
    got=$(sql "$1" "$2")
    [ "$got" = "$3" ] || soft_fail "$4: got '$got', expected '$3'"
}

#  1. A household in the neighbour's village, validly signed
hostile neighbour ${T2}201
wait_until "the county holds the township's crafted entry" 10 \
    sql_is $C "select count(*) from log where origin = $T_ID" "$(sql $T "select count(*) from log where origin = $T_ID")"
expect_sql $C "select count(*) from household where head_name like 'neighbour''s household%'" 0 "the neighbour's household written by the township, at the county"
expect_sql $C "select count(*) from op where origin = $T_ID and outcome = 'rejected'" 1 "the crafted op rejected at the county"

#  2. The sibling's entries relayed
hostile relay "$S/$T2"
expect_sql $C "select count(*) > 0 from quarantine where origin = $T2_ID and reason = 'outside_sender' and via = $T_ID" 1 "the sibling's entries refused"
#  ... kept at the county only: it signs nothing about the sibling's entries
soft_expect $C "select count(*) from refusal where origin = $T2_ID" 0 "refusals the county signed naming the sibling's entries (outside_sender)"
echo "FIGURE relay: the county signed $(sql $C "select count(*) from refusal where origin = $T2_ID") refusals naming the sibling's relayed entries" >&7

#  3. An origin nobody knows (hole 5)
hostile unknown
soft_expect $C "select count(*) from buffer" 0 "entries of an unknown origin waiting in the county's buffer (hole 5)"
soft_expect $C "select count(*) from quarantine where origin = 60000 and reason = 'outside_sender'" 1 "the unknown origin's entry refused (hole 5)"

#  4. Replay
q0=$(sql $C "select count(*) from quarantine")
hostile replay
grep -q "ACK applied=0 duplicate=[1-9]" "$S/logs/hostile.out" || fail "the replay was not taken as duplicates: $(tail -3 "$S/logs/hostile.out")"
expect_sql $C "select count(*) from quarantine" "$q0" "quarantine rows after the replay"

#  5. A message over FGP_MAX_MSG_SIZE
hostile oversized
check_daemons

#  5b. Clock flags: what one batch of entries stamped a day ahead makes
#  the county sign (the flag keeps its meaning: they rank no later than
#  the county's time of receipt, at C and at P alike)
CLOCK_N=200
own0=$(sql $C "select count(*) from log where origin = $C_ID")
n0=$(sql $C "select count(*) from log where origin = $T_ID")
FUGAI_CLOCK_OFFSET_MS=86400000 hostile clock $CLOCK_N
wait_until "the county holds the township's entries stamped ahead" 10 \
    sql_is $C "select count(*) from log where origin = $T_ID" $((n0 + CLOCK_N))
own1=$(sql $C "select count(*) from log where origin = $C_ID")
flags=$(sql $C "select count(*) from clock_flag where origin = $T_ID")
echo "FIGURE clock: one batch of $CLOCK_N entries a day ahead made the county sign $((own1 - own0))" \
     "entries ($flags clock_flag rows, covering $(sql $C "select coalesce(sum(coalesce(count, 1)), 0) from clock_flag where origin = $T_ID") entries)" >&7
[ $((own1 - own0)) -le 1 ] || soft_fail "one batch of $CLOCK_N entries stamped ahead made the county sign $((own1 - own0)) entries (at most 1)"
clamped="select count(*) from op o join household h on h.id = o.row_id where o.origin = $T_ID and h.head_name like 'clock-%' and o.lww_hlc < o.hlc"
expect_sql $C "$clamped" $CLOCK_N "writes stamped ahead ranked at the county's time of receipt, at the county"
wait_until "the prefecture ranks them the same" 20 sql_is $P "$clamped" $CLOCK_N

#  6. Amplification (hole 6)
sleep 1
figures before
q0=$(sql $C "select count(*) from quarantine")
own0=$(sql $C "select count(*) from log where origin = $C_ID")
p0=$(sql $P "select count(*) from log")
hostile garbage 20000
hostile bombs 3
figures "after one batch of 20000 and three bombs"
q1=$(sql $C "select count(*) from quarantine")
[ $((q1 - q0)) -le 1189 ] || soft_fail "one batch of 20000 bad entries and three bombs made the county store $((q1 - q0)) quarantine rows (at most 1000 + 189)"
soft_expect $C "select coalesce(sum(length(entry)), 0) from quarantine where reason = 'malformed'" 0 "bytes of malformed input kept as evidence (hole 6)"
own1=$(sql $C "select count(*) from log where origin = $C_ID")
[ $((own1 - own0)) -le 4 ] || soft_fail "the county signed $((own1 - own0)) entries for one hostile batch and three bombs"
#  The county answers ERROR 9 before it logs the session's end: wait for the line
wait_for 10 log_has $C "went past its quota" || soft_fail "the county did not end the session past the quota"
hostile flood 12 999
sleep 1
figures "after a flood of 12 batches of 999"
held=$(sql $C "select count(*) from quarantine where via = $T_ID")
[ "$held" -le 10000 ] || soft_fail "the county holds $held refused entries from the township (at most 10000)"
own2=$(sql $C "select count(*) from log where origin = $C_ID")
[ $((own2 - own1)) -le 12 ] || soft_fail "the county signed $((own2 - own1)) entries for 12 hostile batches"
check_daemons

#  7. The honest edge comes back: nothing valid lost, the tiers agree
start_node $T
wait_connected $T
fugai $T --as clerk add household org_id=${T}201 head_name=honest-3 size=3 > /dev/null
fugai $T2 --as clerk add household org_id=${T2}201 head_name=neighbour-2 size=6 > /dev/null
wait_until "the prefecture holds the new households" 30 \
    sql_is $P "select count(*) from household where head_name in ('honest-3', 'neighbour-2')" 2
caught_up () {   # ORG: holds every entry of the township
    sql_is "$1" "select count(*) from log where origin = $T_ID" "$(count_origin $T $T_ID)"
}
wait_until "the county and the prefecture hold every entry of the township" 30 \
    eval 'caught_up $C && caught_up $P'
for org in $C $P; do
    expect_sql $org "select count(*) from household where head_name like 'honest-%'" 3 "the township's households at $org"
    expect_sql $org "select count(*) from household where head_name like 'neighbour-%'" 2 "the neighbour's households at $org"
    expect_sql $org "select count(*) from buffer" 0 "entries waiting at $org"
done
wait_until "the tiers agree on the township" 30 \
    eval '[ "$(digest $C $T)" = "$(digest $T $T)" ] && [ "$(digest $P $T)" = "$(digest $T $T)" ]'
wait_until "the tiers agree on the neighbour" 30 \
    eval '[ "$(digest $C $T2)" = "$(digest $T2 $T2)" ] && [ "$(digest $P $T2)" = "$(digest $T2 $T2)" ]'

#  8. Revocation keeps history (hole 7): the county revoked at the
#  prefecture, then another county enrolls a township (node records
#  arrive at the prefecture): check and rebuild still pass
fugai $P revoke "$C_ID" > /dev/null
init_node $T4
link_node $T4
T4_ID=$(node_id $T4)
wait_until "the prefecture learns the new township" 30 \
    sql_is $P "select count(*) from node where node_id = $T4_ID" 1
stop_node $P
fugai $P check > "$S/logs/check.out" 2>&1 || soft_fail "fugai check at the prefecture after the revocation: $(tail -5 "$S/logs/check.out")"
fugai $P rebuild > "$S/logs/rebuild.out" 2>&1 || soft_fail "fugai rebuild at the prefecture after the revocation: $(tail -5 "$S/logs/rebuild.out")"
expect_sql $P "select count(*) from household where head_name like 'honest-%'" 3 "the revoked county's township's households at the prefecture, rebuilt"
fugai $C check > "$S/logs/check-c.out" 2>&1 || fail "fugai check at the county: $(tail -5 "$S/logs/check-c.out")"

it_end
