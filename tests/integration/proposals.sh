#!/usr/bin/env bash
# proposals: a township's writes to the county's field group (a household's
# needy and demonstration flags) are proposals; the county decides them with
# fugai proposals: it rejects one with a reason (Chinese), which travels down
# to the township's worklist (上级驳回, with the reason), and accepts the
# other, whose value then holds at T, C and P. Who may not decide (the
# township, the prefecture: neither owns the group), a second decision, a
# rejection without a reason, a name that is not a proposal: refused with a
# reason, nothing written, nothing quarantined anywhere.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin proposals 26500 90 "$@"

P=513300; C=513328; C_ID=128
T=513328100; T_ID=28100
tree_up $P $C $T
start_all $P $C $T
wait_connected $C $T

H=$(fugai $T --as clerk-t add household org_id=${T}201 head_name=Dorje size=4 economy=herding)
fugai $T --as clerk-t set household "$H" needy=yes > set-needy.out
expect_grep "township writing needy" set-needy.out "proposal"
fugai $T --as clerk-t set household "$H" demonstration=yes > set-demo.out
expect_grep "township writing demonstration" set-demo.out "proposal"
at_county () {
    sql_is $C "select count(*) from op where outcome = 'proposal' and tbl = 'household' and row_id = $H" 2 \
        && sql_is $P "select count(*) from op where outcome = 'proposal' and tbl = 'household' and row_id = $H" 2
}
wait_until "both proposals are at the county and the prefecture" 30 at_county

fugai $C proposals --state pending --csv > proposals-c.csv
expect_grep "the county lists the needy proposal, pending" proposals-c.csv \
    "^$T_ID,[0-9]+,household,$H,admin,${T}201,clerk-t,[^,]*,needy=1,not_owner[^,]*,$T_ID:[0-9]+:0,pending"
NEEDY=$(awk -F, -v h="$H" '$4 == h && $9 == "needy=1" { print $11 }' proposals-c.csv)
DEMO=$(awk -F, -v h="$H" '$4 == h && $9 == "demonstration=1" { print $11 }' proposals-c.csv)
[ -n "$NEEDY" ] && [ -n "$DEMO" ] || fail "no proposal names in: $(cat proposals-c.csv)"
note "proposals $NEEDY (needy) and $DEMO (demonstration)"

#  --- What may not decide
fugai $C proposals --help > help.out
expect_grep "fugai proposals --help" help.out "proposals reject ID --reason TEXT"
rc=0; fugai $T --as clerk-t proposals reject "$NEEDY" --reason no > t-reject.out 2>&1 || rc=$?
expect_eq "exit status of a township deciding" "$rc" 1
expect_grep "a township deciding" t-reject.out "not kept by a township: the tier that owns it decides"
rc=0; fugai $P --as chief-p proposals accept "$NEEDY" > p-accept.out 2>&1 || rc=$?
expect_eq "exit status of the prefecture deciding" "$rc" 1
expect_grep "the prefecture deciding" p-accept.out "not kept by a prefecture"
rc=0; fugai $C --as chief proposals reject "$NEEDY" > c-noreason.out 2>&1 || rc=$?
expect_eq "exit status of a rejection without a reason" "$rc" 2
expect_grep "a rejection without a reason" c-noreason.out "--reason TEXT is required"
rc=0; fugai $C --as chief proposals accept 28100-7 > c-bad.out 2>&1 || rc=$?
expect_eq "exit status of a name that is not a proposal" "$rc" 1
expect_grep "a name that is not a proposal" c-bad.out "not a proposal: ORIGIN:SEQ:IDX"
expect_sql $C "select count(*) from proposal_decision" 0 "decisions at the county after the refused ones"

#  --- The county decides
REASON="该户收入高于低保线（2026年入户核查）"
fugai $C --as chief proposals reject "$NEEDY" --reason "$REASON" > c-reject.out
expect_grep "the county rejects" c-reject.out "proposal $NEEDY rejected"
fugai $C --as chief proposals accept "$DEMO" > c-accept.out
expect_grep "the county accepts" c-accept.out "proposal $DEMO accepted"
rc=0; fugai $C --as chief proposals accept "$NEEDY" > c-twice.out 2>&1 || rc=$?
expect_eq "exit status of a second decision" "$rc" 1
expect_grep "a second decision" c-twice.out "decided already \(rejected by node $C_ID\)"
expect_sql $C "select coalesce (needy, 0), coalesce (demonstration, 0) from household where id = $H" "0|1" \
    "household $H at the county"

decided () {
    sql_is $T "select count(*) from proposal_decision" 2 && sql_is $P "select count(*) from proposal_decision" 2 \
        && sql_is $T "select coalesce (demonstration, 0) from household where id = $H" 1
}
wait_until "the decisions reach the township and the prefecture" 30 decided
for org in $T $C $P; do
    expect_sql $org "select coalesce (needy, 0), coalesce (demonstration, 0) from household where id = $H" "0|1" \
        "household $H at $org (the accepted proposal holds, the rejected one does not)"
    expect_sql $org "select count(*) from quarantine" 0 "entries quarantined at $org"
    nothing_stuck $org || fail "entries buffered at $org"
done
fugai $T proposals --csv > proposals-t.csv
expect_grep "the township sees its needy proposal rejected, with the reason" proposals-t.csv \
    ",needy=1,[^,]*,$NEEDY,rejected,$C_ID,[0-9-]+,$REASON"
expect_grep "the township sees its demonstration proposal accepted" proposals-t.csv \
    ",demonstration=1,[^,]*,$DEMO,accepted,$C_ID,"
fugai $C proposals --state pending --csv > pending-c.csv
expect_no_grep "nothing pending at the county any more" pending-c.csv ",household,$H,"
fugai $T worklist --csv > worklist-t.txt
expect_grep "the township's worklist shows the refusal, by whom and why" worklist-t.txt \
    "上级驳回.*$NEEDY \(needy=1\) refused by .*\(county $C\): $REASON"
expect_no_grep "the accepted proposal is not on the worklist" worklist-t.txt "$DEMO"

it_end
