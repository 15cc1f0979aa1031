#!/usr/bin/env bash
# web_import.sh - figures of the console's CSV import (/import): for a
# file of N households (default 3,000: a large township, DOMAIN.md §6.2),
# saved as Excel on a Chinese PC saves it (GBK), the file's size, the
# preview's time and weight (a dry run of every row, the rows drawn by
# name, the first 1,000), and the confirmation's time (the bytes sent
# again in base64, checked against the previewed hash, written in one
# batch). Prints figures; asserts nothing.
#
#   tests/bench/web_import.sh [BUILD_DIR] [HOUSEHOLDS]
set -euo pipefail
source "$(dirname "$0")/web_lib.sh"
build=$(readlink -f "${1:-build}")
n=${2:-3000}
F=$build/edge/fugai
S=$(mktemp -d /tmp/fugai-importbench.XXXXXX)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$S"' EXIT
pid=
port=$((27600 + 50 + RANDOM % 40))
T=$S/T; C=$S/C
web_pair $port
echo 'bench-pass-1' | $F -C $T user add bench --role clerk > /dev/null
awk -v n=$n 'BEGIN { printf "户主姓名,户号,org_id,家庭人口,生产方式\r\n";
    for (i = 1; i <= n; i++) printf "户主%d,HK-%06d,5133281002%02d,5,herding\r\n", i, i, i % 40 + 1 }' \
    | iconv -f UTF-8 -t GBK > $S/h.csv

$build/edge/fugai-edge $T > $S/edge.log 2>&1 &
pid=$!
U=http://127.0.0.1:$port
web_login $U
csrf=$(curl -s -b $S/jar $U/import | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)

echo "file: $n households, $(wc -c < $S/h.csv) bytes (GBK)"
stats=$(curl -s -o $S/preview.html -w '%{http_code} %{time_total}' -b $S/jar -F "csrf=$csrf" -F table=household \
        -F "file=@$S/h.csv" $U/import)
echo "preview: status ${stats% *}, $(printf '%.2f' "${stats#* }") s, $(wc -c < $S/preview.html) bytes of HTML," \
     "$(grep -c '<tr><td class="num">' $S/preview.html || true) rows drawn"
hash=$(grep -o 'name="hash" value="[0-9a-f]*"' $S/preview.html | cut -d'"' -f4)
grep -o 'name="data" value="[^"]*"' $S/preview.html | cut -d'"' -f4 > $S/data
echo "confirmation: $(wc -c < $S/data) bytes of base64"
stats=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -b $S/jar -F "csrf=$csrf" -F table=household \
        -F "data=<$S/data" -F "hash=$hash" -F confirm=yes $U/import)
echo "import: status ${stats% *}, $(printf '%.2f' "${stats#* }") s," \
     "$(sqlite3 $T/data.db 'SELECT count(*) FROM household') households written"
