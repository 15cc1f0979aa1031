#!/usr/bin/env bash
# oversight.sh - browser.oversight: the county's and the prefecture's side
# of the web console in headless Chromium, over a real tree (prefecture,
# county, township; real daemons, real sockets, CURVE), in three rounds:
#   1. the county is down, so the township is offline: a clerk records a
#      visit in the township's console; the prefecture's drill-down
#      (prefecture -> county -> township -> village) does not have it yet;
#      a reviewer issues a directive to the township in the prefecture's
#      console (the form; a missing title refused next to the field, what
#      was typed kept); the reports, the findings (VIOLATED and
#      PENDING_SYNC counted apart) and English are looked at;
#   2. the county starts (the link heals): the directive reaches the
#      township and the clerk acknowledges it in the township's console;
#   3. once the acknowledgement is up at the prefecture, its directives
#      page shows the township's acknowledgement as applied, and its
#      drill-down shows the visit down to the household's page; in the
#      county's console a reviewer runs the pairing plan (a dry run:
#      counts by township and village, the list of what changes), is
#      refused without the confirmation, then publishes it, and the
#      township applies it (its acknowledgement reaches the county).
# Every request stays on 127.0.0.1 and every screenshot is not blank.
#
# Needs chromium, node and npm (deploy/install-deps); playwright-core
# comes from package-lock.json through npm ci. Exit 77 (skipped) only if
# chromium cannot start.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/lib.sh"
it_begin browser_oversight 26800 300 "$@"

P=513300; C=513328; T=513328100; V=${T}201
tree_up $P $C $T
browser_web P=$P T=$T C=$C

#  The org units by name (the prefecture's registry; they travel down)
browser_units $P $C $T $V
NAME=扎西多吉
H=$(fugai $T --as clerk add household org_id=$V head_name=$NAME hukou_no=HK-0001 size=4 economy=herding)
#  ... and one the county's plan will pair
NEW=次仁卓嘎
H2=$(fugai $T --as clerk add household org_id=$V head_name=$NEW hukou_no=HK-0002 size=3 economy=herding)
#  ... whose must-visit was due yesterday: within the grace days, so the
#  prefecture counts it PENDING_SYNC (the township may hold the visit), not VIOLATED
fugai $T --as clerk add must_visit_trigger org_id=$V household_id=$H2 category=seriously_ill \
    occurred_on=$(date -u -d '3 days ago' +%F) due_by=$(date -u -d '1 day ago' +%F) > /dev/null
#  The county's cadre and pair reach the township by a bundle (the county's
#  daemon is down: the township is offline)
CADRE=$(fugai $C --as hr add cadre org_id=$T name=卓玛 phone=13800000001)
fugai $C --as plan add pairing org_id=$V cadre_id=$CADRE household_id=$H > /dev/null
fugai $C bundle export "$S/c.bundle" --to "$(node_id $T)" > /dev/null
fugai $T bundle import "$S/c.bundle" > /dev/null
echo 'chief-pass-7' | fugai $P user add chief --role reviewer > /dev/null
echo 'clerk-pass-7' | fugai $T user add clerk1 --role clerk > /dev/null
echo 'office-pass-7' | fugai $C user add office --role reviewer > /dev/null

start_node $P
start_node $T
UP=http://127.0.0.1:$WEB_P
UT=http://127.0.0.1:$WEB_T
consoles_answer $UP $UT

browser_setup
MARKER="visit-$RANDOM$RANDOM"
DIRECTIVE="冬季走访-$RANDOM"

#  browser ROUND: one round of oversight.test.js
browser () {
    FUGAI_ROUND=$1 FUGAI_P=$UP FUGAI_T=$UT FUGAI_C=http://127.0.0.1:$WEB_C FUGAI_NEW=$NEW FUGAI_NAME=$NAME FUGAI_MARKER=$MARKER \
    FUGAI_DIRECTIVE=$DIRECTIVE FUGAI_ORGS="$P $C $T $V" browser_run oversight.test.js "round $1 of the browser test"
}

browser 1
#  The directive is one signed entry of the prefecture, authored by the account
D=$(sql $P "select id from directive where title = '$DIRECTIVE' and author = 'chief' and created_by = 1")
[ -n "$D" ] || fail "the directive issued in the console is not in the prefecture's replica, authored by chief"
sql_is $P "select count(*) from visit where notes like '%$MARKER%'" 0 \
    || fail "the township's visit is at the prefecture while the county is down"
note "round 1: visit written offline at the township, directive $D issued at the prefecture"

#  The link heals
start_node $C
has_directive () { sql_is $T "select count(*) from directive where id = $D" 1; }
wait_until "the directive at the township" 60 has_directive
has_visit () { sql_is $P "select count(*) from visit where notes like '%$MARKER%' and author = 'clerk1'" 1; }
wait_until "the township's visit at the prefecture" 60 has_visit
note "the link healed: the directive is at the township, the visit at the prefecture"

browser 2
NT=$(node_id $T)
has_ack () { sql_is $P "select count(*) from directive_ack where directive_id = $D and node_id = $NT and state = 'applied' and author = 'clerk1'" 1; }
wait_until "the township's acknowledgement (applied, by clerk1) at the prefecture" 60 has_ack
note "the acknowledgement made in the township's console is at the prefecture"

#  The command gives the review the console will show (one domain function)
review=$(fugai $C --csv plan run --by township | tr -d '\r' | sed -n 2p)
expect_eq "fugai plan run --by township at the county" "$review" "513328100,呷拉乡,1,0,1,0,0"
fugai $C plan run --by village --changes | grep -q "$NEW" || fail "fugai plan run --changes does not name $NEW"
browser 3
sql_is $C "select count(*) from pairing_plan where version = 1 and author = 'office'" 1 \
    || fail "the plan published in the county's console is not in its replica, authored by office"
plan_applied () { sql_is $C "select count(*) from directive_ack a join directive d on d.id = a.directive_id where d.kind = 'pairing_plan' and a.node_id = $NT and a.state = 'applied'" 1; }
wait_until "the township applied the county's plan (its acknowledgement at the county)" 60 plan_applied
note "the plan published in the county's console was applied by the township"
fugai $P check > /dev/null || fail "fugai check fails at the prefecture"
note "screenshots in $S/shots"
it_end
