#!/usr/bin/env bash
# owner_wins: a household's field groups are written by their owners only.
# While every daemon is stopped, the county writes the household's admin
# group (needy, its own) and tries a reg field (size, the township's); the
# township writes size and tries needy. The writes interleave in time so
# that plain last-writer-wins would pick the non-owner's value for both
# fields: township size=6, then county needy=yes size=9, then township
# needy=no. Once the tree is up again, T, C and P agree on size=6,
# needy=1 (the owners' values, although each non-owner wrote later), and
# both non-owner writes are kept as proposals everywhere, with their values
# and the reason (op table and fugai proposals).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin owner_wins 23100 60 "$@"

P=513300; C=513328; C_ID=128
T=513328100; T_ID=28100
U=513328101
tree_up $P $C $T $U
start_all $P $C $T $U
wait_connected $C $T $U

#  --- A household of T, synced everywhere
H=$(fugai $T --as clerk-t add household org_id=${T}201 head_name=Dorje size=4 economy=herding)
synced () {
    same_entries $T_ID "" $T $C $P && digests_equal $T $T $C $P \
        && sql_is $P "select count(*) from household where id = $H" 1
}
wait_until "household $H of $T is at the county and the prefecture" 30 synced

#  --- Offline: every daemon stopped; interleaved writes
note "stopping every daemon; interleaved writes at $T and $C"
stop_all
fugai $T --as clerk-t set household "$H" size=6 > set-t1.out
expect_no_grep "township writing its own reg group" set-t1.out "proposal"
fugai $C --as clerk-c set household "$H" needy=yes size=9 > set-c.out
expect_grep "county writing needy and size" set-c.out "1 field group\(s\) are kept by another tier.*proposal"
fugai $T --as clerk-t set household "$H" needy=no > set-t2.out
expect_grep "township writing needy" set-t2.out "1 field group\(s\) are kept by another tier.*proposal"
#  Locally, each node already applies only its owner's part
expect_sql $C "select size, needy from household where id = $H" "4|1" "household $H at the county after its offline write"
expect_sql $T "select size, needy from household where id = $H" "6|" "household $H at the township after its offline writes"

#  The three writes are in this order in time (hlc), so that last writer
#  wins without owners would give size=9 (county, later than the
#  township's size=6) and needy=0 (township, later than the county's
#  needy=1): the test below can only pass by ownership
t_size_seq=$(( $(own_seq $T) - 1 ))
t_needy_seq=$(own_seq $T)
c_seq=$(own_seq $C)
hlc_t_size=$(sql $T "select hlc from log where origin = $T_ID and seq = $t_size_seq")
hlc_t_needy=$(sql $T "select hlc from log where origin = $T_ID and seq = $t_needy_seq")
hlc_c=$(sql $C "select hlc from log where origin = $C_ID and seq = $c_seq")
[ "$hlc_t_size" -lt "$hlc_c" ] && [ "$hlc_c" -lt "$hlc_t_needy" ] \
    || fail "the writes are not ordered as the test needs: T size $hlc_t_size, C $hlc_c, T needy $hlc_t_needy"

#  --- Everything up again; wait until the replicas hold the same entries
start_all $P $C $T $U
wait_connected $C $T $U
converged () {
    same_entries $T_ID "" $T $C $P \
        && same_entries $C_ID $T $C $T $P \
        && sql_is $T "select count(*) from log where origin = $C_ID and seq = $c_seq" 1 \
        && digests_equal $T $T $C $P
}
wait_until "T, C and P hold the same entries of $T and of the county's writes there" 40 converged

for org in $T $C $P; do
    expect_sql $org "select head_name, size, needy, economy from household where id = $H" "Dorje|6|1|herding" \
        "household $H at $org (owners' values: size from the township, needy from the county)"
    #  The op table: the owners' writes applied, the others kept as proposals
    expect_sql $org "select origin, seq, grp, outcome from op where tbl = 'household' and row_id = $H
                     and (origin, seq) in (values ($T_ID, $t_size_seq), ($C_ID, $c_seq), ($T_ID, $t_needy_seq))
                     order by origin, seq, idx" \
        "$C_ID|$c_seq|reg|proposal
$C_ID|$c_seq|admin|applied
$T_ID|$t_size_seq|reg|applied
$T_ID|$t_needy_seq|admin|proposal" "outcomes of the three writes at $org"
    expect_sql $org "select origin, reason from op where tbl = 'household' and row_id = $H and outcome = 'proposal'
                     order by origin" \
        "$C_ID|not_owner: household.reg is kept by the township; this county write is a proposal
$T_ID|not_owner: household.admin is kept by the county; this township write is a proposal" \
        "reasons of the proposals at $org"
    #  fugai proposals: both, with their fields and reason
    fugai $org proposals --csv > proposals-$org.csv
    expect_grep "fugai proposals at $org (the county's size=9)" proposals-$org.csv \
        "^$C_ID,$c_seq,household,$H,reg,${T}201,clerk-c,[^,]*,size=9,not_owner: household.reg is kept by the township"
    expect_grep "fugai proposals at $org (the township's needy=no)" proposals-$org.csv \
        "^$T_ID,$t_needy_seq,household,$H,admin,${T}201,clerk-t,[^,]*,needy=0,not_owner: household.admin is kept by the county"
    [ "$(grep -c ",household,$H," proposals-$org.csv)" = 2 ] \
        || fail "fugai proposals at $org shows other proposals for $H: $(cat proposals-$org.csv)"
    expect_sql $org "select count(*) from quarantine" 0 "entries quarantined at $org"
    nothing_stuck $org || fail "entries buffered at $org"
done
#  The digest of the township's subtree is the same at every level
expect_digests_equal $T $T $C $P
case $(digest $P $T) in
    *"  1 rows  $T") ;;
    *) fail "the digest of $T at the prefecture does not cover the one household: $(digest $P $T)" ;;
esac
#  The sibling township does not hold the household
expect_sql $U "select count(*) from household where id = $H" 0 "household $H at the sibling township $U"
#  fugai status counts the proposals (2 at each level)
for org in $T $C $P; do
    fugai $org status > status-$org.txt
    expect_grep "fugai status at $org" status-$org.txt "^operations: [0-9]+ applied, 2 proposals, 0 rejected"
done

it_end
