#!/usr/bin/env bash
# clerk.sh - browser.clerk: a township clerk's casework in the web console,
# in headless Chromium, the township's county down (no daemon above). The
# clerk logs in, opens a household found by name, records assistance for
# a member identified as vulnerable (a negative amount first, then another
# member whose eligibility the county ended: each refused by the write
# path's rule V3, said in Chinese beside the field, everything typed
# kept), reverses it, files an appeal and moves it through two
# transitions (only those allowed from its state are offered; another is
# refused), records a publicity event at a village, sees a must-visit due
# and one overdue on the worklist with a change the county refused and
# why, records the due visit from the worklist's link (its trigger picked)
# so that it leaves the worklist; then the same pages in English. Every
# write is one entry of this node authored by the account, refused forms
# write none; screenshots are not blank; no request leaves 127.0.0.1.
#
# Needs chromium, node and npm (deploy/install-deps); playwright-core
# comes from package-lock.json through npm ci. Exit 77 (skipped) only if
# chromium cannot start.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/lib.sh"
it_begin browser_clerk 27500 300 "$@"

T=513328100
V=${T}201
tree_up 513300 513328 $T
alloc_port WEB
printf 'web\n    listen = 127.0.0.1:%s\n' "$WEB" >> "$S/$T/fugai.cfg"
url=http://127.0.0.1:$WEB

#  The county's cadre, paired with the household, reaches the township by a bundle
CADRE=$(fugai 513328 --as hr add cadre org_id=$T name=卓玛 phone=13800000001)
NAME=扎西多吉
H=$(fugai $T --as clerk add household org_id=$V head_name=$NAME hukou_no=HK-0001 size=3 economy=herding)
H2=$(fugai $T --as clerk add household org_id=${T}202 head_name=次仁拉姆 hukou_no=HK-0002 size=2)
fugai $T --as clerk add person household_id=$H name=$NAME gender=male relation_to_head=户主 > /dev/null
CHILD=拉姆措
P=$(fugai $T --as clerk add person household_id=$H name=$CHILD gender=female relation_to_head=女儿)
VP=$(fugai $T --as clerk add vulnerable_person org_id=$V person_id=$P category=disabled identified_on=2026-01-05)
ELDER=次仁旺姆
P2=$(fugai $T --as clerk add person household_id=$H name=$ELDER gender=female relation_to_head=母亲)
VP2=$(fugai $T --as clerk add vulnerable_person org_id=$V person_id=$P2 category=rural_five_guarantee)
today=$(date -u +%F)
TRIGGER=$(fugai $T --as clerk add must_visit_trigger org_id=$V household_id=$H category=seriously_ill occurred_on=$today)
LATE=$(fugai $T --as clerk add must_visit_trigger org_id=${T}202 household_id=$H2 category=sudden_disaster \
       occurred_on=$(date -u -d '-20 days' +%F))
#  A change of the county's field group: a proposal, which the county refuses
fugai $T --as clerk set household "$H" needy=yes > /dev/null
fugai $T bundle export "$S/up.bundle" --to "$(node_id 513328)" > /dev/null
fugai 513328 bundle import "$S/up.bundle" > /dev/null
PROPOSAL=$(fugai 513328 proposals --state pending --csv | grep ",household,$H," | head -1 \
           | grep -oE '(^|,)[0-9]{4,}:[0-9]+(:[0-9]+)?(,|$)' | tr -d , | head -1 || true)
[ -n "$PROPOSAL" ] || fail "the township's change did not reach the county as a proposal: $(fugai 513328 proposals --csv)"
WHY=未经村民评议，不能认定为困难户
fugai 513328 --as office proposals reject "$PROPOSAL" --reason "$WHY" > /dev/null
fugai 513328 --as plan add pairing org_id=$V cadre_id=$CADRE household_id=$H > /dev/null
#  ... and its civil affairs ended the elder's eligibility (the county's field group)
fugai 513328 --as civil set vulnerable_person "$VP2" cert_state=verified eligible_to=2026-01-01 > /dev/null
fugai 513328 bundle export "$S/down.bundle" --to "$(node_id $T)" > /dev/null
fugai $T bundle import "$S/down.bundle" > /dev/null
fugai $T worklist --csv | grep -q "$WHY" || fail "the refusal did not reach the township's worklist"
PASSWORD=correct-horse-7
echo "$PASSWORD" | fugai $T user add clerk1 --role clerk > /dev/null

browser_console_up $T "$url"
before=$(fugai $T status --json | sed -n 's/.*"own_seq": \([0-9]*\).*/\1/p')

browser_setup chromium
MARKER="clerk-$RANDOM$RANDOM"
export FUGAI_URL=$url FUGAI_USER=clerk1 FUGAI_PASSWORD=$PASSWORD FUGAI_NAME=$NAME FUGAI_CHILD=$CHILD FUGAI_VP=$VP \
FUGAI_ELDER=$ELDER FUGAI_VP2=$VP2 \
FUGAI_TRIGGER=$TRIGGER FUGAI_LATE=$LATE FUGAI_WHY=$WHY FUGAI_VILLAGE=$V FUGAI_MARKER=$MARKER
browser_run clerk.test.js

#  What the console wrote, in the replica: one entry per form saved, by clerk1
after=$(fugai $T status --json | sed -n 's/.*"own_seq": \([0-9]*\).*/\1/p')
[ $((after - before)) = 7 ] || fail "the console wrote $((after - before)) entries, not 7 (assistance, its reversal, an appeal, two transitions, a publicity event, a visit; refused forms none)"
fugai $T log --origin "$(node_id $T)" --limit 7 | grep -c clerk1 | grep -qx 7 || fail "the console's entries are not all authored by clerk1"
rows=$(fugai $T list assistance_record --csv)
echo "$rows" | grep "$MARKER" | grep -q ",vulnerable_person,$VP,cash_subsidy,50000," \
    || fail "500.00 yuan for the member was not stored as 50000 fen to vulnerable_person $VP: $rows"
[ "$(echo "$rows" | grep -c ",vulnerable_person,$VP,cash_subsidy,50000,")" = 2 ] \
    || fail "the reversal does not repeat the beneficiary and amount: $rows"
expect_sql $T "select count(*) from assistance_record where reverses_id is not null and author = 'clerk1'" 1 "reversals"
expect_sql $T "select state, transitions, rejected_transitions from appeal where appellant_household_id = $H" \
    "ASSIGNED|2|0" "the appeal's state after two transitions"
expect_sql $T "select method, theme, audience_count, org_id, author from publicity_event" \
    "thematic_lecture|gratitude|35|$V|clerk1" "the publicity event"
expect_sql $T "select kind, must_visit_category, trigger_id, author from visit where target_id = $H" \
    "must_visit|seriously_ill|$TRIGGER|clerk1" "the visit recorded from the worklist"
fugai $T check > /dev/null || fail "fugai check fails after the console's writes"
note "the console's 7 entries are in the replica, by clerk1; screenshots in $S/shots"
it_end
