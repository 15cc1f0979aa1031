#!/usr/bin/env bash
# web_oversight.sh - figures of the oversight pages of the web console
# (the reports, the findings, the drill-down, the directives) on a
# county-size replica (DOMAIN.md §6.2: ≈ 11,500 households in ≈ 18
# townships and ≈ 150 villages; 4 visits each; every household paired
# with one of ≈ 1,450 cadres): pages served per second and the weight of
# each page. Prints figures; asserts nothing.
#
#   tests/bench/web_oversight.sh [BUILD_DIR] [HOUSEHOLDS] [TOWNSHIPS]
#
# The replica is a county hub's: the prefecture registers the org units
# (names), each township writes its households and visits (CSV import),
# the county its cadres and pairs; everything reaches the county by
# bundle files, as sync would bring it. The server is the county's
# fugai-hub on 127.0.0.1 (its parent and children down: what it holds is
# what it shows); the client is ApacheBench (ab, Debian apache2-utils)
# with a logged-in session's cookie, keep-alive off, one and four at a
# time, the same page each time.
set -euo pipefail
source "$(dirname "$0")/web_lib.sh"
build=$(readlink -f "${1:-build}")
n=${2:-11500}
townships=${3:-18}
villages=8                              #  per township: 144 in a county of 18
F=$build/edge/fugai
S=$(mktemp -d /tmp/fugai-webbench.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$S"' EXIT
port=$((27000 + RANDOM % 900))
P=513300; C=513328
t0=$(date +%s.%N)
$F init $S/$P --role prefecture --org $P --name 甘孜州 --listen tcp://127.0.0.1:$((port + 2)) > /dev/null
$F init $S/$C --role county --org $C --name 甘孜县 --listen tcp://127.0.0.1:$((port + 1)) --parent tcp://127.0.0.1:$((port + 2)) > /dev/null
$F -C $S/$P enroll $S/$C/keys/node.cert > /dev/null
$F -C $S/$C trust $S/$P/keys/node.cert > /dev/null
printf 'web\n    listen = 127.0.0.1:%s\n' $port >> $S/$C/fugai.cfg

#  The org units, by name (the prefecture's registry)
awk -v t=$townships -v v=$villages 'BEGIN { print "id,org_id,name_zh,level";
    print "513328,513328,甘孜县,2";
    for (i = 0; i < t; i++) { printf "513328%03d,513328%03d,第%d乡,3\n", 100 + i, 100 + i, i + 1;
        for (j = 1; j <= v; j++) printf "513328%03d2%02d,513328%03d2%02d,第%d乡%d村,4\n", 100 + i, j, 100 + i, j, i + 1, j } }' > $S/org.csv
$F -C $S/$P --as bench import org_unit $S/org.csv > /dev/null 2>&1
$F -C $S/$P bundle export $S/p.bundle --to 128 > /dev/null
$F -C $S/$C bundle import $S/p.bundle > /dev/null

#  Each township: its households
per=$(( (n + townships - 1) / townships ))
for ((i = 0; i < townships; i++)); do
    T=513328$((100 + i)); dir=$S/$T
    $F init $dir --role township --org $T --name "第$((i + 1))乡" --parent tcp://127.0.0.1:$((port + 1)) > /dev/null
    $F -C $S/$C enroll $dir/keys/node.cert > /dev/null
    $F -C $dir trust $S/$C/keys/node.cert > /dev/null
    awk -v n=$per -v t=$T -v v=$villages -v i=$i 'BEGIN { print "org_id,head_name,hukou_no,size,economy";
        for (k = 1; k <= n; k++) printf "%s2%02d,户主%d-%d,HK-%02d-%05d,5,herding\n", t, k % v + 1, i, k, i, k }' > $dir/h.csv
    $F -C $dir --as bench import household $dir/h.csv > /dev/null 2>&1
    sqlite3 $dir/data.db "SELECT id, org_id FROM household ORDER BY id" >> $S/household.ids
done
#  The county's cadres: each pairs up to 8 households of its own township (P3, P4)
awk -F'|' -v list=$S/cadre.towns '{ t = substr ($2, 1, 9); if (t != last || n == 8) { c++; n = 0; last = t; print t > list }
    n++; print $1 "|" $2 "|" c }' $S/household.ids > $S/pairs.idx
awk 'BEGIN { print "org_id,name,phone" } { printf "%s,干部%d,138%08d\n", $1, NR, NR }' $S/cadre.towns > $S/cadres.csv
$F -C $S/$C --as bench import cadre $S/cadres.csv > /dev/null 2>&1
sqlite3 $S/$C/data.db "SELECT id FROM cadre ORDER BY id" > $S/cadre.ids
awk -F'|' 'NR == FNR { cadre [NR] = $1; next } { print $1 "|" $2 "|" cadre [$3] }' $S/cadre.ids $S/pairs.idx > $S/pairs
awk -F'|' 'BEGIN { print "org_id,cadre_id,household_id,role" } { printf "%s,%s,%s,primary\n", $2, $3, $1 }' \
    $S/pairs > $S/pairing.csv
#  Each household's 4 visits by its cadre, written at its township; to the county by bundle
for ((i = 0; i < townships; i++)); do
    T=513328$((100 + i)); dir=$S/$T
    awk -F'|' -v t=$T 'BEGIN { print "org_id,cadre_id,target_kind,target_id,kind,occurred_on,notes" }
        substr ($2, 1, 9) == t { for (j = 1; j <= 4; j++)
            printf "%s,%s,household,%s,pairing,2026-0%d-15,走访记录 %d\n", $2, $3, $1, j, j }' $S/pairs > $dir/v.csv
    $F -C $dir --as bench import visit $dir/v.csv > /dev/null 2>&1
    $F -C $dir bundle export $dir/up.bundle --to 128 > /dev/null
    $F -C $S/$C bundle import $dir/up.bundle > /dev/null
done
$F -C $S/$C --as bench import pairing $S/pairing.csv > /dev/null 2>&1
t1=$(date +%s.%N)
counts=$(sqlite3 $S/$C/data.db "SELECT (SELECT count(*) FROM household) || ' households, ' || (SELECT count(*) FROM visit) || ' visits, ' || (SELECT count(*) FROM cadre) || ' cadres, ' || (SELECT count(*) FROM pairing) || ' pairs, ' || (SELECT count(*) FROM org_unit WHERE level = 4) || ' villages in ' || (SELECT count(*) FROM org_unit WHERE level = 3) || ' townships'")
echo "county replica: $counts ($(du -h $S/$C/data.db | cut -f1)), built in $(printf '%.0f' "$(echo "$t1 - $t0" | bc)") s"
echo 'bench-pass-1' | $F -C $S/$C user add bench --role reviewer > /dev/null
#  Two directives of the county, to see the directives page with targets
$F -C $S/$C --as bench directive issue --to $C --title 冬季走访 --due 2027-01-10 > /dev/null
$F -C $S/$C --as bench directive issue --to 513328100 --title 整改 --due 2026-12-20 > /dev/null

$build/hub/fugai-hub $S/$C > $S/hub.log 2>&1 &
pid=$!
U=http://127.0.0.1:$port
web_login $U
h=$(sed -n "$((n / 2))p" $S/household.ids | cut -d'|' -f1)
pages=(/oversight /findings /org/$C /org/513328100 /org/513328100201 /household/$h /directives "/plan?run=1")
for r in coverage assistance appeals branches directives links temples; do pages+=("/report/$r"); done

echo "page weights (bytes of HTML, uncompressed) and one request's time:"
for page in "${pages[@]}"; do
    out=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_total}' -b "fg_session=$token" "$U$page")
    printf '  %-28s %s\n' "$page" "$out" | awk '{ printf "  %-28s %8d bytes  %6.0f ms%s\n", $1, $3, $4 * 1000, $2 == 200 ? "" : "  (status " $2 ")" }'
done
if command -v ab > /dev/null; then
    echo "pages per second (ab, keep-alive off; the county's hub serves on one thread):"
    for page in "${pages[@]}"; do
        #  As many requests as about 5 s of the page take, at least 20
        ms=$(curl -s -o /dev/null -w '%{time_total}' -b "fg_session=$token" "$U$page" | awk '{ print $1 * 1000 }')
        count=$(awk -v ms=$ms 'BEGIN { c = int (5000 / (ms + 1)); print c < 20 ? 20 : (c > 2000 ? 2000 : c) }')
        line="  $(printf '%-28s' "$page")"
        for c in 1 4; do
            rate=$(ab -q -n $count -c $c -C "fg_session=$token" "$U$page" 2>/dev/null | awk '/Requests per second/ { print $4 }')
            line+="  $(printf '%8s' "$rate")/s (c=$c, n=$count)"
        done
        echo "$line"
    done
else
    echo "(install apache2-utils for ab: pages per second not measured)"
fi
