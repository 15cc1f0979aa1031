#!/usr/bin/env bash
# firefox.sh - browser.firefox: the township clerk's console in headless
# Firefox (Debian's firefox-esr, the other browser of an office PC),
# driven by puppeteer-core over WebDriver BiDi, while the township's
# county is down. The clerk logs in (a wrong password refused), finds a
# household by a Chinese and by a Tibetan name, records a must-visit
# visit (a wrong amount refused next to the field, everything typed kept;
# a <script> in the notes shown as text), acknowledges a directive on the
# worklist, looks at the operator page, switches to English and logs out.
# The visit is then in the replica, one signed entry by the account.
# Every request stays on 127.0.0.1; every screenshot is not blank.
#
# Needs firefox-esr, node and npm (deploy/install-deps); puppeteer-core
# comes from this folder's package-lock.json through npm ci. Exit 77
# (skipped) only if Firefox cannot start.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../integration/lib.sh"
. "$here/../lib.sh"
it_begin browser_firefox 27900 300 "$@"

T=513328100
tree_up 513300 513328 $T
alloc_port WEB
printf 'web\n    listen = 127.0.0.1:%s\n' "$WEB" >> "$S/$T/fugai.cfg"
url=http://127.0.0.1:$WEB/

#  The county's cadre and pair reach the township by a bundle (no daemon
#  runs above), with a directive for the worklist
CADRE=$(fugai 513328 --as hr add cadre org_id=$T name=卓玛 phone=13800000001)
NAME=扎西多吉
TIBETAN=བཀྲ་ཤིས་དོན་གྲུབ
H=$(fugai $T --as clerk add household org_id=${T}201 head_name=$NAME hukou_no=HK-0001 size=4 economy=herding)
fugai $T --as clerk add household org_id=${T}202 head_name=$TIBETAN hukou_no=HK-0002 size=3 > /dev/null
fugai 513328 --as plan add pairing org_id=${T}201 cadre_id=$CADRE household_id=$H > /dev/null
DIRECTIVE=$(fugai 513328 --as office directive issue --to $T --title 春节走访慰问 --due 2027-02-10 | grep -o '[0-9]\{6,\}' | head -1)
fugai 513328 bundle export "$S/county.bundle" --to "$(node_id $T)" > /dev/null
fugai $T bundle import "$S/county.bundle" > /dev/null
PASSWORD=correct-horse-7
echo "$PASSWORD" | fugai $T user add clerk1 --role clerk > /dev/null

browser_console_up $T "$url"
before=$(fugai $T status --json | sed -n 's/.*"own_seq": \([0-9]*\).*/\1/p')

#  puppeteer-core from the lockfile, installed outside the source tree
browser_setup firefox
MARKER="visit-$RANDOM$RANDOM"
export FUGAI_DIRECTIVE=春节走访慰问 FUGAI_URL=$url FUGAI_USER=clerk1 FUGAI_PASSWORD=$PASSWORD FUGAI_NAME=$NAME \
FUGAI_TIBETAN=$TIBETAN FUGAI_MARKER=$MARKER FUGAI_PROFILE=$S/profile
browser_run firefox.test.js

#  What Firefox wrote is in the replica: one visit and one acknowledgement,
#  signed entries of this node authored by the account
visit=$(fugai $T list visit --where target_id=$H --csv | grep "$MARKER" || true)
[ -n "$visit" ] || fail "the visit is not in the replica"
echo "$visit" | grep -q ',must_visit,seriously_ill,' || fail "the visit's kind/category are not must_visit/seriously_ill: $visit"
echo "$visit" | grep -q ',1250,' || fail "12.50 yuan was not stored as 1250 fen: $visit"
echo "$visit" | grep -q ',clerk1$' || fail "the visit's author is not clerk1: $visit"
fugai $T list directive_ack --where directive_id=$DIRECTIVE --csv | grep ',applied,' | grep -q clerk1 \
    || fail "the acknowledgement made in Firefox is not in the replica"
after=$(fugai $T status --json | sed -n 's/.*"own_seq": \([0-9]*\).*/\1/p')
[ $((after - before)) = 2 ] || fail "the console wrote $((after - before)) entries for one visit and one acknowledgement"
fugai $T check > /dev/null || fail "fugai check fails after the console's writes"
note "Firefox's visit and acknowledgement are in the replica (by clerk1); screenshots in $S/shots"
it_end
