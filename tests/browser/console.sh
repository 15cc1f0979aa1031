#!/usr/bin/env bash
# console.sh - browser.console: a township clerk uses the web console in
# headless Chromium while the township's county is down (no daemon).
# The township's daemon serves the console; the clerk logs in, finds a
# household by name (a Tibetan name too), records a must-visit visit (a
# wrong amount first: refused next to the field, everything typed kept),
# and the visit is then in the replica, signed, authored by the account,
# waiting to go up; once the county and the prefecture start, it reaches the
# prefecture. A POST without the CSRF token is refused, a <script>
# typed in a field is shown as text, every request stays on 127.0.0.1,
# and a screenshot of each page is not blank.
#
# Needs chromium, node and npm (deploy/install-deps); playwright-core
# comes from package-lock.json through npm ci. Exit 77 (skipped) only if
# chromium cannot start.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/lib.sh"
it_begin browser_console 26000 300 "$@"

T=513328100
tree_up 513300 513328 $T
alloc_port WEB
printf 'web\n    listen = 127.0.0.1:%s\n' "$WEB" >> "$S/$T/fugai.cfg"
url=$(fugai $T status --json | sed -n 's/.*"console_url": "\([^"]*\)".*/\1/p')
[ "$url" = "http://127.0.0.1:$WEB/" ] || fail "status --json gives console_url '$url', not http://127.0.0.1:$WEB/"

#  The county's cadre reaches the township by a bundle (no daemon runs above)
CADRE=$(fugai 513328 --as hr add cadre org_id=$T name=卓玛 phone=13800000001)
fugai 513328 bundle export "$S/cadre.bundle" --to "$(node_id $T)" > /dev/null
fugai $T bundle import "$S/cadre.bundle" > /dev/null
NAME=扎西多吉
TIBETAN=བཀྲ་ཤིས་དོན་གྲུབ
H=$(fugai $T --as clerk add household org_id=${T}201 head_name=$NAME hukou_no=HK-0001 size=4 economy=herding)
fugai $T --as clerk add household org_id=${T}202 head_name=$TIBETAN hukou_no=HK-0002 size=3 > /dev/null
fugai $T --as clerk add person household_id=$H name=$NAME gender=male relation_to_head=self > /dev/null
#  (a pairing is the county's: the township's own write would be a proposal)
fugai 513328 --as plan add pairing org_id=${T}201 cadre_id=$CADRE household_id=$H > /dev/null
#  ... and a directive of the county, for the worklist's acknowledgement
DIRECTIVE=$(fugai 513328 --as office directive issue --to $T --title 春节走访慰问 --due 2027-02-10 | grep -o '[0-9]\{6,\}' | head -1)
fugai 513328 bundle export "$S/pair.bundle" --to "$(node_id $T)" > /dev/null
fugai $T bundle import "$S/pair.bundle" > /dev/null
PASSWORD=correct-horse-7
echo "$PASSWORD" | fugai $T user add clerk1 --role clerk > /dev/null
[ "$(stat -c %a "$S/$T/accounts.db")" = 600 ] || fail "accounts.db is not mode 0600"

browser_console_up $T "$url"
before=$(fugai $T status --json | sed -n 's/.*"own_seq": \([0-9]*\).*/\1/p')

#  playwright-core from the lockfile, installed outside the source tree
browser_setup chromium
MARKER="visit-$RANDOM$RANDOM"
export FUGAI_DIRECTIVE=春节走访慰问 FUGAI_URL=$url FUGAI_USER=clerk1 FUGAI_PASSWORD=$PASSWORD FUGAI_NAME=$NAME FUGAI_TIBETAN=$TIBETAN \
FUGAI_MARKER=$MARKER
browser_run console.test.js

#  The visit is in the replica: one signed entry of this node, authored by the account
visit=$(fugai $T list visit --where target_id=$H --csv | grep "$MARKER" || true)
[ -n "$visit" ] || fail "the visit is not in the replica"
echo "$visit" | grep -q ',must_visit,seriously_ill,' || fail "the visit's kind/category are not must_visit/seriously_ill: $visit"
echo "$visit" | grep -q ',1250,' || fail "12.50 yuan was not stored as 1250 fen: $visit"
echo "$visit" | grep -q ',clerk1$' || fail "the visit's author is not clerk1: $visit"
ack=$(fugai $T list directive_ack --where directive_id=$DIRECTIVE --csv | grep ',applied,' || true)
[ -n "$ack" ] || fail "the acknowledgement made in the console is not in the replica"
echo "$ack" | grep -q 'clerk1' || fail "the acknowledgement's author is not clerk1: $ack"
after=$(fugai $T status --json | sed -n 's/.*"own_seq": \([0-9]*\).*/\1/p')
[ $((after - before)) = 2 ] || fail "the console wrote $((after - before)) entries for one visit and one acknowledgement (a refused form must write none)"
fugai $T log --origin "$(node_id $T)" --limit 2 | grep -c clerk1 | grep -q 2 || fail "the console's entries in the log are not authored by clerk1"
fugai $T check > /dev/null || fail "fugai check fails after the console's write"
note "the visit is in the replica (entry $after by clerk1), waiting to go up; screenshots in $S/shots"

#  The link heals: the county and the prefecture start, and the visit
#  written in the console reaches the prefecture, its author with it
start_node 513300
start_node 513328
has_visit () { [ "$(sql "$1" "select count(*) from visit where notes like '%$MARKER%' and author = 'clerk1'")" = 1 ]; }
wait_until "the console's visit at the prefecture" 60 has_visit 513300
note "the visit reached the county and the prefecture once the link was up"
it_end
