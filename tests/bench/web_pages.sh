#!/usr/bin/env bash
# web_pages.sh - figures of the web console: pages served per second for
# the household page on a county-size replica (DOMAIN.md §6.2: ≈ 11,500
# households, ≈ 5 persons each, and 4 visits each), and the weight of each
# page. Prints figures; asserts nothing.
#
#   tests/bench/web_pages.sh [BUILD_DIR] [HOUSEHOLDS]
#
# The replica is one township's holding the county's count of rows
# (imported by CSV, one entry per 200 rows); the server is the township's
# fugai-edge on 127.0.0.1; the client is ApacheBench (ab, Debian
# apache2-utils) with a logged-in session's cookie, keep-alive off, one
# and four at a time. Without ab, a curl loop (slower: one process per
# request) is used and said so.
set -euo pipefail
source "$(dirname "$0")/web_lib.sh"
build=$(readlink -f "${1:-build}")
n=${2:-11500}
F=$build/edge/fugai
S=$(mktemp -d /tmp/fugai-webbench.XXXXXX)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$S"' EXIT
pid=
port=$((27000 + RANDOM % 900))
T=$S/T; C=$S/C
web_pair $port
cadre=$($F -C $C --as hr add cadre org_id=513328100 name=卓玛 phone=13800000001)
$F -C $C bundle export $S/b --to 28100 > /dev/null
$F -C $T bundle import $S/b > /dev/null

t0=$(date +%s.%N)
awk -v n=$n 'BEGIN { print "org_id,head_name,hukou_no,size,economy";
    for (i = 1; i <= n; i++) printf "5133281002%02d,户主%d,HK-%06d,5,herding\n", i % 40 + 1, i, i }' > $S/h.csv
$F -C $T --as bench import household $S/h.csv 2> /dev/null > /dev/null
sqlite3 $T/data.db "SELECT id, org_id FROM household" > $S/ids
awk -F'|' 'BEGIN { print "household_id,name,gender,relation_to_head" }
    { for (j = 1; j <= 5; j++) printf "%s,成员%d-%d,%s,member\n", $1, NR, j, j % 2 ? "male" : "female" }' $S/ids > $S/p.csv
$F -C $T --as bench import person $S/p.csv 2> /dev/null > /dev/null
awk -F'|' -v c=$cadre 'BEGIN { print "org_id,cadre_id,target_kind,target_id,kind,occurred_on,notes" }
    { for (j = 1; j <= 4; j++) printf "%s,%s,household,%s,pairing,2026-0%d-15,走访记录 %d\n", $2, c, $1, j, j }' $S/ids > $S/v.csv
$F -C $T --as bench import visit $S/v.csv 2> /dev/null > /dev/null
t1=$(date +%s.%N)
counts=$(sqlite3 $T/data.db "SELECT (SELECT count(*) FROM household) || ' households, ' || (SELECT count(*) FROM person) || ' persons, ' || (SELECT count(*) FROM visit) || ' visits'")
echo "replica: $counts ($(du -h $T/data.db | cut -f1)), built in $(printf '%.0f' "$(echo "$t1 - $t0" | bc)") s"
echo 'bench-pass-1' | $F -C $T user add bench --role clerk > /dev/null

$build/edge/fugai-edge $T > $S/edge.log 2>&1 &
pid=$!
U=http://127.0.0.1:$port
web_login $U
h=$(sed -n "$((n / 2))p" $S/ids | cut -d'|' -f1)

echo "page weights (bytes of HTML, uncompressed; the stylesheet once, cached by the browser):"
for page in /login /static/console.css "/?q=户主57" /household/$h /household/$h/visit /worklist /operator; do
    printf '  %-32s %6d\n' "$page" "$(curl -s -b "fg_session=$token" "$U$page" | wc -c)"
done
if command -v ab > /dev/null; then
    for c in 1 4; do
        rate=$(ab -q -n 2000 -c $c -C "fg_session=$token" "$U/household/$h" 2>/dev/null | awk '/Requests per second/ { print $4 }')
        fails=$(ab -q -n 200 -c $c -C "fg_session=$token" "$U/household/$h" 2>/dev/null | awk '/Non-2xx/ { print $3 }')
        echo "household page (5 members, 4 visits, replica of $n households): $rate pages/s with ab -n 2000 -c $c${fails:+ (non-2xx: $fails)}"
    done
else
    t0=$(date +%s.%N)
    for i in $(seq 500); do curl -s -o /dev/null -b "fg_session=$token" "$U/household/$h"; done
    t1=$(date +%s.%N)
    echo "household page: $(echo "500 / ($t1 - $t0)" | bc) pages/s (curl loop, one process per request; install apache2-utils for ab)"
fi
