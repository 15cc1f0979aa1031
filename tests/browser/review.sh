#!/usr/bin/env bash
# review.sh - browser.review: the reviewer's and the clerk's import side of
# the web console in headless Chromium, over a real tree (prefecture,
# county, township; real daemons, real sockets, CURVE):
#   - a township clerk marks two households needy / a demonstration
#     household (the county's admin fields): two proposals, which reach
#     the county;
#   - in the county's console a clerk sees them (by name, old -> new) but
#     cannot decide (no form; a POST refused, 403); a reviewer is refused
#     without the confirmation (what was typed kept), then rejects one with
#     a reason and accepts the other; the reason reaches the township
#     (fugai proposals) and the accepted value applies at every tier;
#   - the org picker narrows a report to the township, by name; the
#     findings' evidence is in Chinese (English with ?lang=en);
#   - in the township's console a clerk imports a CSV with errors (every
#     error listed at once, nothing written), then a GBK-encoded correct
#     one (a preview by name, then written; the count matches).
#   - the township's console lists the decisions, the reason with them.
# Every request stays on 127.0.0.1 and every screenshot is not blank.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/lib.sh"
it_begin browser_review 27600 300 "$@"
command -v iconv >/dev/null || fail "iconv is needed (libc-bin)"

P=513300; C=513328; T=513328100; V=${T}201
tree_up $P $C $T
browser_web T=$T C=$C
browser_units $P $C $T $V
NEEDY=扎西多吉
DEMO=次仁卓嘎
H1=$(fugai $T --as clerk add household org_id=$V head_name=$NEEDY hukou_no=HK-0001 size=4 economy=herding)
H2=$(fugai $T --as clerk add household org_id=$V head_name=$DEMO hukou_no=HK-0002 size=3 economy=herding)
#  A must-visit overdue: a finding with evidence
fugai $T --as clerk add must_visit_trigger org_id=$V household_id=$H2 category=seriously_ill \
    occurred_on=$(date -u -d '20 days ago' +%F) due_by=$(date -u -d '10 days ago' +%F) > /dev/null
#  The county's fields, written at the township: proposals
fugai $T --as clerk1 set household $H1 needy=yes > /dev/null
fugai $T --as clerk1 set household $H2 demonstration=yes > /dev/null
sql_is $T "select count(*) from op where outcome = 'proposal'" 2 || fail "the township's writes are not proposals"
echo 'office-pass-7' | fugai $C user add office --role reviewer > /dev/null
echo 'cclerk-pass-7' | fugai $C user add cclerk --role clerk > /dev/null
echo 'clerk-pass-7' | fugai $T user add clerk1 --role clerk > /dev/null

start_node $P
start_node $C
start_node $T
UT=http://127.0.0.1:$WEB_T
UC=http://127.0.0.1:$WEB_C
consoles_answer $UC $UT
at_county () { sql_is $C "select count(*) from op where outcome = 'proposal'" 2; }
wait_until "the two proposals at the county" 60 at_county
sql_is $C "select sum (coalesce (needy, 0) + coalesce (demonstration, 0)) from household" 0 \
    || fail "a proposal applied at the county before it was decided"

browser_setup
mkdir -p "$S/csv"

#  The CSV files: one with three errors (an unknown economy, a size that
#  is no number, a row without the head's name), one correct in GBK
BAD=$S/csv/bad.csv
printf '户主姓名,户号,org_id,家庭人口,生产方式\r\n格桑,HK-0101,%s,3,fishing\r\n拉姆,HK-0102,%s,three,herding\r\n,HK-0103,%s,2,farming\r\n' \
    $V $V $V > "$BAD"
GOOD_UTF8=$S/csv/good-utf8.csv
printf '户主姓名,户号,org_id,家庭人口,生产方式\r\n格桑旺姆,HK-0201,%s,3,herding\r\n拉姆次仁,HK-0202,%s,5,farming\r\n<script>alert(1)</script>,HK-0203,%s,2,semi\r\n' \
    $V $V $V > "$GOOD_UTF8"
GOOD=$S/csv/good-gbk.csv
iconv -f UTF-8 -t GBK "$GOOD_UTF8" > "$GOOD"
cmp -s "$GOOD" "$GOOD_UTF8" && fail "the GBK file is the same bytes as the UTF-8 one"
BEFORE=$(sql $T "select count(*) from household")

browser () {
    FUGAI_ROUND=$1 FUGAI_H1=$H1 FUGAI_T=$UT FUGAI_C=$UC FUGAI_NEEDY=$NEEDY FUGAI_DEMO=$DEMO FUGAI_BAD=$BAD FUGAI_GOOD=$GOOD \
    FUGAI_ORGS="$P $C $T $V" browser_run review.test.js "round $1 of the browser test"
}
browser 1
#  The decisions are the county's entries, authored by the reviewer
sql_is $C "select count(*) from proposal_decision where author = 'office'" 2 \
    || fail "the two decisions made in the console are not the county's, authored by office"
applied () { sql_is $1 "select coalesce (demonstration, 0) * 10 + coalesce (needy, 0) from household where id = $H2" 10 \
             && sql_is $1 "select coalesce (needy, 0) from household where id = $H1" 0; }
applied_t () { applied $T; }
applied_p () { applied $P; }
wait_until "the accepted value at the township (the rejected one not applied)" 60 applied_t
wait_until "the accepted value at the prefecture" 60 applied_p
refused_at_t () { fugai $T proposals --state rejected | grep -q "低保线以上"; }
wait_until "the rejection's reason back at the township" 60 refused_at_t
browser 2
note "decisions: the rejection's reason is at the township (fugai proposals, its console), the accepted value at every tier"

#  The import: nothing of the bad file, the three rows of the good one
AFTER=$(sql $T "select count(*) from household")
expect_eq "households written by the import" "$((AFTER - BEFORE))" 3
sql_is $T "select count(*) from household where hukou_no like 'HK-01%'" 0 || fail "a row of the file with errors was written"
sql_is $T "select count(*) from household where head_name = '格桑旺姆' and economy = 'herding' and author = 'clerk1'" 1 \
    || fail "the GBK file's rows are not written as they read (UTF-8), authored by clerk1"
sql_is $T "select count(*) from person where household_id = $H1 and name = '卓嘎' and gender = 'female'" 1 \
    || fail "the pasted member is not written"
has_import () { sql_is $C "select count(*) from household where hukou_no like 'HK-02%'" 3; }
wait_until "the imported households at the county" 60 has_import
note "screenshots in $S/shots"
it_end
