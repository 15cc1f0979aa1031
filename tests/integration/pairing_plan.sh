#!/usr/bin/env bash
# pairing_plan: the county's annual pairing reassignment end to end, with
# the daemons running and only the operator's command:
#  - households imported at two townships and cadres written at the county
#    reach the county and the prefecture;
#  - the plan computed at the prefecture (fugai plan run --county) and at
#    the county from what each holds is the same, pair for pair;
#  - a township cannot publish it; the county publishes version 1, and each
#    township receives its slice (the pairs of its own households, none of
#    the other's), the plan record and the directive, which it acknowledges
#    as applied once it finds its slice equal to the plan's;
#  - a cadre retires: version 2 (base 1) ends its pairs with cadre_retired
#    and gives its households to others, and the townships see both;
#  - another is transferred, and the plan would leave households unpaired:
#    refused unless the deficit is accepted; then version 3 records it and
#    ends the transferred cadre's pairs with cadre_transfer;
#  - a township offline pairs a household unpaired past the grace days with
#    its own cadre (plan provisional), and the county's next plan keeps it;
#  - a township whose file lost a pair refuses version 3 with both counts;
#    after fugai rebuild, fugai plan check applies it, and the county's
#    plan list shows the latest acknowledgement of each township.
. "$(dirname "$0")/lib.sh"
it_begin pairing_plan 22900 150 "$@"

P=513300
C=513328
T1=513328100
T2=513328101
TREE=($P $C $T1 $T2)
EFFECTIVE=2027-07-01

tree_up
start_all "${TREE[@]}"
wait_connected $C $T1 $T2

#  Households: 18 + 12 in two villages of T1, 12 in a village of T2
households_csv "$S/h1.csv" ${T1}201 18 A
households_csv "$S/h2.csv" ${T1}202 12 B
households_csv "$S/h3.csv" ${T2}201 12 C
fugai $T1 --as clerk import household "$S/h1.csv" > /dev/null
fugai $T1 --as clerk import household "$S/h2.csv" > /dev/null
fugai $T2 --as clerk import household "$S/h3.csv" > /dev/null

#  Cadres: five of township T1 (8 each: 40 for its 30 households), and a
#  county bureau paired with T2 whose two cadres serve it (16 for 12)
unit=$(fugai $C --as hr add work_unit name="Education bureau" level=county counterpart_townships=$T2)
declare -a t1_cadres
for i in 1 2 3 4 5; do
    t1_cadres+=("$(fugai $C --as hr add cadre org_id=$T1 name="Township cadre $i" rank=staff)")
done
for i in 1 2; do
    fugai $C --as hr add cadre org_id=$C name="Bureau cadre $i" rank=section_chief work_unit_id="$unit" > /dev/null
done
wait_until "the county holds the 42 households" 30 sql_is $C "select count(*) from household" 42
wait_until "the prefecture holds the 42 households and 7 cadres" 30 \
    sql_is $P "select (select count(*) from household) || '/' || (select count(*) from cadre)" "42/7"

#  The same inputs give the same plan wherever it is computed
plan_c=$(fugai $C --csv plan run --effective $EFFECTIVE)
plan_p=$(fugai $P --csv plan run --county $C --effective $EFFECTIVE)
expect_eq "the plan computed at the prefecture and at the county" "$plan_p" "$plan_c"
expect_eq "pairs in the draft" "$(grep -c ',new,' <<< "$plan_c")" 42
expect_eq "households without a pair in the draft" "$(grep -c ',none,' <<< "$plan_c" || true)" 0
if fugai $T1 plan run --effective $EFFECTIVE > /dev/null 2> "$S/err"; then
    fail "a township ran a plan without saying for which county"
fi
grep -q "say which county with --county" "$S/err" || fail "plan run at $T1 without --county: $(cat "$S/err")"

#  Only the county publishes its plan
if out=$(fugai $T1 plan run --county $C --effective $EFFECTIVE --publish 2>&1); then
    fail "a township published the county's plan: $out"
fi
case $out in *"only the county hub of $C publishes"*) ;; *) fail "township publish refused without the reason: $out" ;; esac
expect_sql $T1 "select count(*) from pairing_plan" 0 "plans at $T1 after its refused publish"

#  Version 1
out=$(fugai $C --as office --json plan run --effective $EFFECTIVE --publish)
case $out in *'"version": 1,'*'"rows_added": 42'*) ;; *) fail "publish of version 1: $out" ;; esac
plan1=$(sed -n 's/.*"plan_id": "\([0-9]*\)".*/\1/p' <<< "$out")
wait_until "$T1 holds the 30 pairs of its households" 30 sql_is $T1 "select count(*) from pairing" 30
wait_until "$T2 holds the 12 pairs of its households" 30 sql_is $T2 "select count(*) from pairing" 12
wait_until "the prefecture holds all 42 pairs" 30 sql_is $P "select count(*) from pairing" 42
expect_sql $T1 "select count(*) from pairing where org_id / 1000 <> $T1" 0 "pairs of other townships at $T1"
expect_sql $T2 "select count(*) from pairing p join household h on h.id = p.household_id" 12 \
    "pairs at $T2 whose household it holds"
expect_sql $T1 "select version || '|' || stats_new || '|' || stats_deficit from pairing_plan where id = $plan1" \
    "1|42|0" "plan 1 at $T1"
directive=$(sql $C "select id from directive where kind = 'pairing_plan' and payload_ref = 'pairing_plan:$plan1'")
[ -n "$directive" ] || fail "no pairing_plan directive for plan $plan1 at the county"
wait_until "both townships applied the plan (their slices match it) at the county" 30 \
    sql_is $C "select group_concat (node_id || ':' || state, ' ') from (select node_id, state from directive_ack where directive_id = $directive order by node_id)" \
    "28100:applied 28101:applied"
case $(fugai $T2 plan list --csv) in
    *"$plan1,$C,2027,1,,2027-07-01,0,42,0,0,"*) ;;
    *) fail "fugai plan list at $T2: $(fugai $T2 plan list --csv)" ;;
esac
#  Every cadre of T1 has its township's households, each of the 30 exactly once
expect_sql $C "select count(distinct household_id) || '|' || max(n) from (select household_id, count(*) over (partition by household_id) n from pairing where org_id / 1000 = $T1 and end_on is null)" \
    "30|1" "pairs per household of $T1"

#  A cadre retires: version 2 ends its pairs, the others take its households
gone=${t1_cadres[0]}
load=$(sql $C "select count(*) from pairing where cadre_id = $gone and end_on is null")
[ "$load" -ge 1 ] || fail "cadre $gone has no households in plan 1"
fugai $C --as hr set cadre "$gone" status=retired > /dev/null
out=$(fugai $C --as office --json plan run --effective $EFFECTIVE --publish)
case $out in *'"version": 2, "base_version": 1,'*"\"rows_ended\": $load,"*) ;; *) fail "publish of version 2: $out" ;; esac
wait_until "$T1 sees the $load pairs of the retired cadre end" 30 \
    sql_is $T1 "select count(*) from pairing where cadre_id = $gone and end_reason = 'cadre_retired' and end_on = (select effective_on from pairing_plan where version = 2)" "$load"
wait_until "$T1 has 30 active pairs again, none with the retired cadre" 30 \
    sql_is $T1 "select count(*) || '|' || sum(cadre_id = $gone) from pairing where end_on is null" "30|0"
plan_applied () {    # VERSION: both townships' acks of it, as fugai plan list shows them
    fugai $C plan list --csv | awk -F, -v v="$1" '$4 == v { print $NF }'
}
wait_until "fugai plan list at the county shows version 2 applied by both townships" 30 \
    eval '[ "$(plan_applied 2)" = "28100:applied 28101:applied" ]'

#  Township T1's file loses a pair the next plan keeps (a damaged disk)
sql $T1 "delete from pairing where id = (select min (id) from pairing where end_on is null and cadre_id = ${t1_cadres[4]})"

#  Another is transferred: 3 x 8 = 24 < 30. The plan would leave 6 unpaired
fugai $C --as hr set cadre "${t1_cadres[1]}" status=transferred > /dev/null
if out=$(fugai $C plan run --effective $EFFECTIVE --publish 2>&1); then
    fail "a plan with a coverage deficit was published without --accept-deficit: $out"
fi
case $out in *"leaves 6 households"*) ;; *) fail "deficit refusal without the count: $out" ;; esac
expect_sql $C "select count(*) from pairing_plan" 2 "plans at the county after the refused publish"
out=$(fugai $C --as office plan run --effective $EFFECTIVE --publish --accept-deficit)
case $out in *"6 households without a pair"*"${T1}"*) ;; *) fail "publish accepting the deficit: $out" ;; esac
wait_until "the prefecture holds plan 3 with its deficit" 30 \
    sql_is $P "select stats_deficit from pairing_plan where org_id = $C and version = 3" 6
#  T1 finds its slice differs from version 3 and says so; rebuilt from its
#  log, it checks again and applies it
wait_until "the county hears that $T1 refused version 3 and $T2 applied it" 30 \
    eval '[ "$(plan_applied 3)" = "28100:refused 28101:applied" ]'
reason=$(sql $C "select reason from directive_ack a join directive d on d.id = a.directive_id where d.payload_ref = 'pairing_plan:' || (select id from pairing_plan where version = 3) and a.node_id = 28100")
case $reason in *"this township holds 23 pairs"*"the plan says 24"*"fugai rebuild"*) ;; *) fail "refusal of version 3 at $T1: $reason" ;; esac
stop_node $T1
fugai $T1 rebuild > /dev/null 2>&1
start_node $T1
out=$(fugai $T1 --as clerk plan check) || fail "plan check at $T1 after the rebuild: $out"
case $out in "applied: version 3: 24 pairs, slice "*) ;; *) fail "plan check at $T1: $out" ;; esac
wait_until "the county sees $T1's new acknowledgement: applied" 30 \
    eval '[ "$(plan_applied 3)" = "28100:applied 28101:applied" ]'
if out=$(fugai $C plan check 2>&1); then fail "plan check ran at the county: $out"; fi

expect_sql $C "select count(*) from pairing where end_reason = 'cadre_transfer'" \
    "$(sql $C "select count(*) from pairing where cadre_id = ${t1_cadres[1]}")" "pairs of the transferred cadre ended as cadre_transfer"
#  Provisional pairing (DOMAIN §4.6 step 7): T2, offline, registers a
#  household unpaired for 60 days and pairs it with its own new cadre; the
#  county's next plan keeps that pair
t2_cadre=$(fugai $C --as hr add cadre org_id=$T2 name="Township cadre of $T2" rank=staff)
wait_until "$T2 holds its new cadre" 30 sql_is $T2 "select count(*) from cadre where id = $t2_cadre" 1
stop_node $T2
old_hh=$(fugai $T2 --as clerk add household org_id=${T2}201 head_name="Late registration" economy=herding \
         valid_from=$(date -u -d '60 days ago' +%F))
out=$(fugai $T2 --as clerk plan provisional --dry-run)
case $out in *"1 paired provisionally"*"dry run"*) ;; *) fail "provisional dry run at $T2: $out" ;; esac
expect_sql $T2 "select count(*) from pairing_provisional" 0 "provisional pairs after a dry run"
out=$(fugai $T2 --as clerk plan provisional)
case $out in *"1 paired provisionally"*"over version 3"*) ;; *) fail "provisional pairing at $T2: $out" ;; esac
expect_sql $T2 "select cadre_id from pairing_provisional where household_id = $old_hh" "$t2_cadre" \
    "the provisional pair of the late household"
out=$(fugai $T2 --as clerk plan provisional)
case $out in *"0 paired provisionally"*) ;; *) fail "a second provisional run at $T2: $out" ;; esac
start_node $T2
wait_until "the county holds $T2's provisional pair" 30 \
    sql_is $C "select count(*) from pairing_provisional where household_id = $old_hh" 1
case $(fugai $C --csv plan run --effective $EFFECTIVE) in
    *"$old_hh,$t2_cadre,territorial,kept,"*) ;;
    *) fail "the county's next plan does not keep the provisional pair: $(fugai $C --csv plan run --effective $EFFECTIVE | grep "$old_hh")" ;;
esac

#  Coverage as the county holds it, the day after version 3 takes effect:
#  T1's 6 households of the deficit are overdue; T2's late household is
#  paired provisionally
expect_eq "fugai plan report at the county" "$(fugai $C --csv --no-bom plan report --date 2027-07-02)" \
    $'township,households,paired,provisional,waiting,overdue\n513328100,30,24,0,0,6\n513328101,13,12,1,0,0'
expect_eq "fugai plan report for $T1 at the prefecture" \
    "$(fugai $P --csv plan report --org $T1 --date 2027-07-02 | tail -1)" "513328100,30,24,0,0,6"
cadre_notes=$(fugai $C --csv plan report --cadres --date 2027-07-02)
expect_eq "cadres without a household" "$(grep -c 'no household (P2)' <<< "$cadre_notes")" 1
expect_eq "cadres over capacity" "$(grep -c 'over capacity' <<< "$cadre_notes" || true)" 0

#  fugai resync PARENT: the county sends T2's scope again from the start;
#  everything is a duplicate there, nothing changes, the cursor comes back
stop_node $T2
before=$(sql $T2 "select cursor from link where peer = 128 and dir = 'in'")
digest_before=$(digest $T2 $T2)
fugai $T2 resync 128 > /dev/null
expect_sql $T2 "select cursor from link where peer = 128 and dir = 'in'" 0 "T2's cursor of the county after resync"
start_node $T2
wait_until "the county sent T2's scope again (its cursor is back at $before)" 30 \
    eval '[ "$(sql $T2 "select cursor from link where peer = 128 and dir = '"'in'"'")" -ge "$before" ]'
expect_eq "T2's digest after the county sent everything again" "$(digest $T2 $T2)" "$digest_before"
for org in "${TREE[@]}"; do
    expect_sql $org "select count(*) from quarantine" 0 "entries quarantined at $org"
done

it_end
