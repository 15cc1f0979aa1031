#!/usr/bin/env bash
# report_cycle: one weekly cycle of periodic reports (DOMAIN.md §2.11,
# §3.7) on real daemons. The prefecture sets the weekly judgments of the
# townships and of the county; both townships build their report of last
# week from the reports (figures + frontier, signed by the township) and
# approve it; the county accepts and approves each, then builds and
# approves its own; the prefecture accepts and approves the county's. A
# township's approve after the county took its report is refused, with
# the holder named. Then a visit of last week arrives after the approval:
# `fugai submission show` at the prefecture lists it as a delta of 1
# against the approved figures, and the approved report is unchanged at
# every tier; each parent's receipt of each report (R2) is at every tier.
# `fugai submission list` shows who holds each report, `report
# cadence` lists them (on time or late by today's date), and `report all
# --html` is written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin report_cycle 27300 150 "$@"

P=513300; C=513328
T1=513328100; T2=513328101
tree_up $P $C $T1 $T2
start_all $P $C $T1 $T2
wait_connected $C $T1 $T2

WEEK=$(date -u -d '7 days ago' +%G-W%V)          # last week, closed
DAY=$(date -u -d '7 days ago' +%F)               # a day in it
SUNDAY=$(date -u -d "$DAY +$((7 - $(date -u -d "$DAY" +%u))) days" +%F)
DUE=$(date -u -d "$SUNDAY +2 days" +%F)
TODAY=$(date -u +%F)
if [[ "$TODAY" > "$DUE" ]]; then EXPECT=late; else EXPECT=on_time; fi
note "week $WEEK ends $SUNDAY, the townships' reports are due $DUE: today they are $EXPECT"

SCHED=$(fugai $P add report_schedule version=1 name=乡镇专题研判 reporter_selector=township \
        period_type=WEEK due_offset_days=2)
CSCHED=$(fugai $P add report_schedule version=1 name=县专题研判 reporter_selector=county \
         period_type=WEEK due_offset_days=3)
H=$(fugai $T1 add household org_id=${T1}201 head_name=扎西 economy=herding valid_from=2025-01-01)
wait_until "the schedules are at both townships" 30 sql_is $T2 "select count(*) from report_schedule" 2
wait_until "the household is at the county" 30 sql_is $C "select count(*) from household where id = $H" 1
CADRE=$(fugai $C add cadre org_id=$T1 name=干部甲 rank=staff)
wait_until "the cadre is at its township" 30 sql_is $T1 "select count(*) from cadre where id = $CADRE" 1

#  --- The townships report last week and sign it off
fugai $T1 submission build --help > help.txt
expect_grep "fugai submission --help" help.txt "climbs the approval chain"
S1=$(fugai $T1 --as 书记甲 submission build --schedule $SCHED --period $WEEK --narrative "本周无重大矛盾")
S2=$(fugai $T2 --as 书记乙 submission build --schedule $SCHED --period $WEEK)
if fugai $T1 submission build --schedule $SCHED --period $WEEK 2> again.txt; then
    fail "a second report of $WEEK at $T1 was taken"
fi
expect_grep "a second build is refused" again.txt "already submitted: submission $S1"
rc=0; fugai $T1 submission approve 12345 2> unknown.txt || rc=$?
expect_eq "approve of an unknown submission: exit code" "$rc" 1
expect_grep "approve of an unknown submission" unknown.txt "no submission 12345 here"
rc=0; fugai $T1 submission build --schedule $SCHED --period 2026-13 2> bad.txt || rc=$?
expect_eq "a bad period: exit code" "$rc" 2
expect_grep "a bad period is named" bad.txt "not '2026-13'"
rc=0; fugai $T1 submission build --schedule $CSCHED --period $WEEK 2> tier.txt || rc=$?
expect_eq "the county's schedule at a township: exit code" "$rc" 1
expect_grep "the county's schedule at a township" tier.txt "is reported by county, not by a township node"
expect_eq "approve at $T1" "$(fugai $T1 submission approve $S1)" "$S1 APPROVED"
expect_eq "approve at $T2" "$(fugai $T2 submission approve $S2)" "$S2 APPROVED"
expect_sql $T1 "select schedule_id, period_id, version, created_by from report_submission where id = $S1" \
    "$SCHED|$WEEK|1|28100" "the township's report, signed by the township"
approved_at () {     # ORG SUBMISSION STATE OWNER
    sql_is "$1" "select state || '|' || owner_org from report_review where submission_id = $2" "$3|$4"
}
wait_until "both approvals are at the county" 30 approved_at $C $S2 APPROVED $T2
wait_until "both approvals are at the county" 30 approved_at $C $S1 APPROVED $T1

#  --- The county accepts and approves them, then reports itself
for s in $S1 $S2; do
    expect_eq "accept $s at the county" "$(fugai $C submission accept $s)" "$s ACCEPTED"
    expect_eq "approve $s at the county" "$(fugai $C submission approve $s --note 审核通过)" "$s APPROVED"
done
wait_until "the county holds $S1, as $T1 sees it" 30 approved_at $T1 $S1 APPROVED $C
if fugai $T1 submission unapprove $S1 2> held.txt; then
    fail "the township took back an approval the county holds"
fi
expect_grep "the township's unapprove is refused" held.txt "held by $C"
SC=$(fugai $C submission build --schedule $CSCHED --period $WEEK)
expect_eq "the county approves its own" "$(fugai $C submission approve $SC)" "$SC APPROVED"
wait_until "the county's report is at the prefecture" 30 approved_at $P $SC APPROVED $C
expect_eq "the prefecture accepts" "$(fugai $P submission accept $SC)" "$SC ACCEPTED"
expect_eq "the prefecture approves" "$(fugai $P submission approve $SC)" "$SC APPROVED"
wait_until "the prefecture holds the county's report, as the county sees it" 30 approved_at $C $SC APPROVED $P
expect_sql $P "select count(*) from report_review_event where rejected = 1" 0 "steps rejected by the fold"
APPROVED=$(sql $P "select aggregates from report_submission where id = $SC")
case "$APPROVED" in
    *'"coverage.visits":0'*'"coverage.households":1'* | *'"coverage.households":1'*'"coverage.visits":0'*) ;;
    *) fail "the county's figures: $APPROVED" ;;
esac

#  --- What the county holds, and the cadence (the schedules were set
#  today; the reports of last week put them in force from last week)
fugai $C --csv --no-bom submission list --period $WEEK > list.csv
expect_grep "list: township $T1" list.csv "^$S1,乡镇专题研判,$WEEK,$T1,.*,1,[-0-9: ]+,APPROVED,$C,$"
expect_grep "list: township $T2" list.csv "^$S2,乡镇专题研判,$WEEK,$T2,.*,1,[-0-9: ]+,APPROVED,$C,$"
expect_grep "list: the county" list.csv "^$SC,县专题研判,$WEEK,$C,.*,1,[-0-9: ]+,APPROVED,$P,$"
fugai $C --csv --no-bom report cadence --period $WEEK > cadence.csv
expect_grep "cadence: township $T1" cadence.csv "^$SCHED,乡镇专题研判,$WEEK,$DUE,$T1,.*,$EXPECT,$S1,"
expect_grep "cadence: township $T2" cadence.csv "^$SCHED,乡镇专题研判,$WEEK,$DUE,$T2,.*,$EXPECT,$S2,"
expect_grep "cadence: the county's own" cadence.csv "^$CSCHED,县专题研判,$WEEK,.*,$C,.*,$SC,"

#  --- A visit of last week arrives after the approval: a delta
V=$(fugai $T1 add visit org_id=${T1}201 cadre_id=$CADRE kind=pairing target_kind=household target_id=$H \
    in_person=1 occurred_on=$DAY)
wait_until "the late visit is at the prefecture" 30 sql_is $P "select count(*) from visit where id = $V" 1
fugai $P --csv --no-bom submission show $SC > show.csv
expect_grep "the late visit is a delta at the prefecture" show.csv "^coverage.visits,0,1,1$"
expect_grep "households unchanged" show.csv "^coverage.households,1,1,0$"
expect_grep "the township's frontier moved" show.csv "^28100,[0-9]+,[0-9]+,[1-9][0-9]*$"
fugai $C --csv --no-bom submission show $SC > show-c.csv
expect_grep "the late visit is a delta at the county" show-c.csv "^coverage.visits,0,1,1$"
for org in $C $P; do
    expect_sql $org "select aggregates from report_submission where id = $SC" "$APPROVED" \
        "the approved figures at $org, unchanged"
    expect_sql $org "select state || '|' || owner_org from report_review where submission_id = $SC" \
        "APPROVED|$P" "the county's report at $org, still approved"
done

#  --- R2: each parent recorded when it took each report from its author
wait_until "the receipts are at the prefecture" 30 sql_is $P "select count(*) from report_receipt" 3
for org in $C $P; do
    expect_sql $org "select r.created_by || '|' || r.author_node || '|' || r.offline_authored from report_receipt r
                     join report_submission s on s.id = r.submission_id order by s.org_id" \
        "1|128|0
128|28100|0
128|28101|0" "the receipts at $org (the county's of its townships' reports, the prefecture's of the county's)"
done
expect_sql $T1 "select count(*) from report_receipt where submission_id = $S1 and created_by = 128" 1 \
    "the county's receipt of $S1 at its township"

#  --- The reports as a page
fugai $P report all --org $C --period $WEEK --html all.html
grep -q "<svg" all.html || fail "report all --html: no chart"
grep -q "定期报告" all.html || fail "report all --html: no cadence section"

it_end
