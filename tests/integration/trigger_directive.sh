#!/usr/bin/env bash
# trigger_directive: festival and disaster directives become must-visit
# triggers at the townships (DOMAIN.md §3.4 M1), on real processes. The
# county issues a disaster directive (snowstorm) to a village of township
# 100 dated two days ago, and a festival directive (payload_ref focus is
# not used: every paired household) to the whole county. On arrival each
# township writes one must_visit_trigger per household of the scope (the
# village's households for the snowstorm; the paired ones of the township
# for the festival: none at township 101, whose household has no pair),
# dated the directive's day, naming it, with its due day; and acknowledges
# the directive "applied" with the count, which the county lists. The
# triggers reach the county and the prefecture, once each; fugai findings
# at the county, as of a day after the window, lists the snowstorm
# trigger of the household nobody visited.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin trigger_directive 26600 90 "$@"

P=513300; C=513328; T=513328100; U=513328101
tree_up $P $C $T $U
start_all $P $C $T $U
wait_connected $C $T $U
DAY2=$(date -u -d '-2 days' +%F); LATER=$(date -u -d '+10 days' +%F); FEAST=$(date -u -d '+20 days' +%F)

HA=$(fugai $T --as clerk add household org_id=${T}201 head_name=Tashi economy=herding)
HB=$(fugai $T --as clerk add household org_id=${T}201 head_name=Dolma economy=farming)
HC=$(fugai $T --as clerk add household org_id=${T}202 head_name=Pasang economy=herding)
HU=$(fugai $U --as clerk add household org_id=${U}201 head_name=Norbu economy=herding)
CADRE=$(fugai $C --as officer add cadre org_id=$T name=Dorje rank=staff)
at_county () { sql_is $C "select count(*) from household where id in ($HA, $HB, $HC, $HU)" 4; }
wait_until "the households are at the county" 30 at_county
fugai $C --as officer add pairing org_id=${T}202 cadre_id=$CADRE household_id=$HC role=primary form=territorial \
    start_on=$DAY2 > /dev/null

STORM=$(fugai $C --as officer directive issue --to ${T}201 --title "雪灾 snowstorm" --kind disaster_trigger \
        --effective "$DAY2" --json | sed -n 's/.*"directive": "\([0-9]*\)".*/\1/p')
FEST=$(fugai $C --as officer directive issue --to $C --title "藏历新年 Losar" --kind festival_campaign \
       --effective "$FEAST" --json | sed -n 's/.*"directive": "\([0-9]*\)".*/\1/p')
[ -n "$STORM" ] && [ -n "$FEST" ] || fail "directives not issued"

expanded () {
    sql_is $C "select count(*) from directive_ack where directive_id = $STORM and node_id = 28100
               and state = 'applied' and result_ref = '2 must-visit triggers'" 1 \
        && sql_is $C "select count(*) from directive_ack where directive_id = $FEST and node_id = 28100
                      and state = 'applied' and result_ref = '1 must-visit triggers'" 1 \
        && sql_is $C "select count(*) from directive_ack where directive_id = $FEST and node_id = 28101
                      and state = 'applied' and result_ref = '0 must-visit triggers'" 1 \
        && sql_is $P "select count(*) from must_visit_trigger where directive_id in ($STORM, $FEST)" 3
}
wait_until "the townships expanded the directives and the triggers reached the prefecture" 30 expanded
for org in $T $C $P; do
    expect_sql $org "select household_id, category, occurred_on = (julianday ('$DAY2') - 2440587.5), source,
                            due_by - occurred_on from must_visit_trigger where directive_id = $STORM order by household_id" \
        "$HA|sudden_disaster|1|disaster_directive|3
$HB|sudden_disaster|1|disaster_directive|3" "the snowstorm's triggers at $org"
    expect_sql $org "select household_id, category, source from must_visit_trigger where directive_id = $FEST" \
        "$HC|major_festival|festival_calendar" "the festival's trigger at $org (the one paired household)"
    expect_sql $org "select count(*) from quarantine" 0 "entries quarantined at $org"
done
expect_sql $U "select count(*) from must_visit_trigger" 0 "triggers at township 101"
fugai $C directive list --csv > directives.csv
expect_grep "the county lists the township's acknowledgement" directives.csv "28100:applied"

#  Tashi's household is visited in the window, Dolma's is not
fugai $T --as clerk add visit org_id=${T}201 cadre_id=$CADRE target_kind=household target_id=$HA kind=must_visit \
    must_visit_category=sudden_disaster occurred_on=$(date -u -d '-1 days' +%F) > /dev/null
TRB=$(sql $T "select id from must_visit_trigger where directive_id = $STORM and household_id = $HB")
TRA=$(sql $T "select id from must_visit_trigger where directive_id = $STORM and household_id = $HA")
visited () { sql_is $C "select count(*) from visit where target_id = $HA" 1; }
wait_until "the visit is at the county" 30 visited
fugai $C --csv findings --rule M1 --state all --date "$LATER" > findings.csv
expect_grep "the county's M1 finding for Dolma's trigger" findings.csv "^M1,REPORT,[A-Z_]+,must_visit_trigger:$TRB,"
expect_no_grep "no finding for Tashi's trigger" findings.csv "must_visit_trigger:$TRA,"

it_end
