#!/usr/bin/env bash
# clock_skew: a township whose PC clock is 3 days ahead (its fugai-edge and
# its fugai run with FUGAI_CLOCK_OFFSET_MS=259200000). The county flags its
# entries (clock_flag rows, at C, P and back at T; fugai status: "stamped
# implausibly far ahead"; the logs of both ends name the offset), and every
# replica ranks a flagged write at the county's time of receipt
# (fg_merge_rows.c: lww_hlc clamped to clamp_hlc):
#   1. the skewed township sets an appeal's risk_level=high (intake group,
#      written by any tier that holds the case); later in real time the
#      county, with an honest clock, sets risk_level=low. The township's
#      entry carries the larger hlc (checked), so without the clamp "high"
#      would win; with it "low" wins at T, C and P.
#   2. the skewed township sets a household's size=50; its clock is then
#      fixed (edge and fugai without the offset) and it sets size=7:
#      size=7 everywhere. (Its hybrid clock never goes back, so the size=7
#      entry still carries an hlc past the size=50 one and is flagged
#      too: this part checks that a fixed township's later writes are not
#      held back by its earlier flagged ones, not the clamp itself; part 1
#      is the case where only the clamp decides.)
# The digest of the township is the same at T, C and P after each part.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin clock_skew 23400 60 "$@"

P=513300; C=513328; C_ID=128
T=513328100; T_ID=28100
V=${T}201
SKEW=259200000               # 3 days, in ms
tree_up $P $C $T

#  --- With an honest clock: a household and an appeal, synced
start_all $P $C $T
wait_connected $C $T
H=$(fugai $T --as clerk add household org_id=$V head_name=Norbu size=4)
A=$(fugai $T --as clerk add appeal appellant_name=Norbu type=difficulty summary="winter fodder" \
    risk_level=medium org_id=$V)
synced () {
    same_entries $T_ID "" $T $C $P && digests_equal $T $T $C $P
}
wait_until "the household and the appeal are at C and P" 30 synced
expect_sql $C "select count(*) from clock_flag" 0 "clock flags at the county before the skew"

#  --- The township's clock goes 3 days ahead
stop_node $T
start_node $T FUGAI_CLOCK_OFFSET_MS=$SKEW
wait_connected $T
skewed () { FUGAI_CLOCK_OFFSET_MS=$SKEW "$FUGAI" -C "$S/$T" --as clerk "$@"; }
skewed set appeal "$A" risk_level=high > /dev/null
seq_high=$(own_seq $T)
skewed set household "$H" size=50 > /dev/null
seq_50=$(own_seq $T)
#  A flag covers the implausible entries of one batch (seq..last_seq)
covers="f.origin = l.origin and f.seq <= l.seq and coalesce (f.last_seq, f.seq) >= l.seq"
flagged () {
    local org
    for org in $C $P $T; do
        sql_is $org "select count(*) from log l where l.origin = $T_ID and l.seq in ($seq_high, $seq_50)
                     and exists (select 1 from clock_flag f where $covers)" 2 || return 1
    done
    synced && same_entries $C_ID $T $C $T $P
}
wait_until "the county has flagged both skewed entries, and the flags are at P and T" 30 flagged
for org in $C $P $T; do
    #  Flagged by the county, about 3 days ahead, clamped to the receipt
    expect_sql $org "select count(*) from log l where l.origin = $T_ID and l.seq in ($seq_high, $seq_50)
                     and exists (select 1 from clock_flag f where $covers and f.created_by = $C_ID
                     and f.ahead_ms between $((SKEW - 120000)) and $((SKEW + 1000))
                     and f.clamp_hlc < l.hlc - ($((SKEW - 600000)) << 16))" \
        2 "clock flags of the county at $org (author, ahead_ms, clamp_hlc)"
done
for org in $C $P; do
    fugai $org status > status-$org.txt
    expect_grep "fugai status at $org" status-$org.txt \
        "^entries stamped implausibly far ahead: [0-9]+ seen here, [2-9][0-9]* flagged by hubs"
done
log_has_all $C "entry $T_ID/$seq_high is stamped 259[12][0-9]{2} s ahead of this node's clock" \
    || fail "the county's log does not name the skewed entry $T_ID/$seq_high"
log_has_all $C "child $T_ID's clock is -?259[12][0-9]{2} s off ours" \
    || fail "the county's log does not say that the township's clock is off"
log_has $T "this node's clock is 259[12][0-9]{2} s ahead of the parent's" \
    || fail "the edge does not tell its operator that its clock is ahead"

#  --- Part 1: the county (honest clock) sets risk_level=low, later in time
fugai $C --as clerk-c set appeal "$A" risk_level=low > /dev/null
seq_low=$(own_seq $C)
hlc_high=$(sql $C "select hlc from log where origin = $T_ID and seq = $seq_high")
hlc_low=$(sql $C "select hlc from log where origin = $C_ID and seq = $seq_low")
#  Without the clamp the township's write would win: it carries the larger hlc
[ "$hlc_high" -gt "$hlc_low" ] || fail "the skewed entry's hlc ($hlc_high) is not above the county's later one ($hlc_low)"
converged () {
    synced && same_entries $C_ID $T $C $T $P
}
wait_until "the county's write is at T and P" 30 converged
for org in $T $C $P; do
    expect_sql $org "select risk_level from appeal where id = $A" low \
        "appeal $A at $org: the county's later honest write must win over the flagged one"
    expect_sql $org "select o.lww_hlc = f.clamp_hlc and o.lww_hlc < $hlc_low and o.hlc = $hlc_high
                     from op o join clock_flag f on f.origin = o.origin and f.seq <= o.seq
                       and coalesce (f.last_seq, f.seq) >= o.seq
                     where o.origin = $T_ID and o.seq = $seq_high and o.tbl = 'appeal'" 1 \
        "rank of the flagged write at $org (lww_hlc = clamp_hlc, below the county's hlc)"
done

#  --- Part 2: size=50 (flagged), then the clock is fixed and size=7
expect_sql $C "select size from household where id = $H" 50 "household $H at the county after the skewed write"
stop_node $T
start_node $T
wait_connected $T
fugai $T --as clerk set household "$H" size=7 > /dev/null
seq_7=$(own_seq $T)
wait_until "the township's size=7 is at C and P" 30 converged
for org in $T $C $P; do
    expect_sql $org "select size from household where id = $H" 7 "household $H at $org after the fixed clock's write"
    expect_sql $org "select count(*) from clock_flag where origin = $T_ID and seq <= $seq_50
                     and coalesce (last_seq, seq) >= $seq_50" 1 \
        "the flag of the size=50 entry at $org"
done
hlc_50=$(sql $P "select hlc from log where origin = $T_ID and seq = $seq_50")
hlc_7=$(sql $P "select hlc from log where origin = $T_ID and seq = $seq_7")
[ "$hlc_7" -gt "$hlc_50" ] || note "size=7 carries a smaller hlc than size=50: the clamp decided"
expect_digests_equal $T $T $C $P
for org in $C $P; do
    expect_sql $org "select count(*) from quarantine" 0 "entries quarantined at $org"
    nothing_stuck $org || fail "entries buffered at $org"
done

it_end
