#!/usr/bin/env bash
# csv_roundtrip: CSV as spreadsheets use it. For every table that
# `fugai import` accepts at a prefecture or at a township, three rows made
# from the schema (text with commas, quotes, line breaks and Chinese) are
# imported, exported with `fugai --csv list` (UTF-8 with a BOM, system
# columns and all), and that file imported into a fresh node of the same
# org gives the same rows. Then: a GBK file with Chinese headers (made with
# iconv, as Excel on a Chinese Windows PC saves) imports; a 50,000-row file
# with 3 bad rows reports all 3 with their lines and imports nothing;
# `"bad"quote` and a short row are errors naming their line; --dry-run
# writes nothing. No daemon runs in this test.
. "$(dirname "$0")/lib.sh"
it_begin csv_roundtrip 26100 300 "$@"

P=513300; C=513328; T=513328100
tree_up $P $C $T
#  Fresh nodes of the same orgs, never linked: the files are all they get
"$FUGAI" init "$S/P2" --role prefecture --org $P --name "P2" --listen tcp://127.0.0.1:9 > /dev/null
"$FUGAI" init "$S/T2" --role township --org $T --name "T2" --parent tcp://127.0.0.1:9 > /dev/null

#  The schema, as rows a query can read
"$FUGAI" -C "$S/$P" --csv --no-bom schema > schema.csv
sqlite3 schema.db ".import --csv schema.csv s"

#  gen TABLE ORG: three rows of TABLE's columns, values made from each
#  column's type (the first enum value, dates, yuan, text that needs quoting)
gen () {
    sqlite3 -batch schema.db "
        WITH c AS (SELECT rowid AS n, * FROM s WHERE \"table\" = '$1'),
             r(i) AS (VALUES (1), (2), (3))
        SELECT 'org_id,' || (SELECT group_concat (column, ',') FROM (SELECT column FROM c ORDER BY n))
        UNION ALL
        SELECT * FROM (SELECT '$2,' || (SELECT group_concat (v, ',') FROM (SELECT CASE type
            WHEN 'text' THEN '\"' || column || ' ' || i || ', 名 \"\"q\"\"' || char (10) || 'end\"'
            WHEN 'int' THEN i
            WHEN 'bool' THEN CASE i % 2 WHEN 1 THEN 'yes' ELSE 'no' END
            WHEN 'date' THEN '2026-0' || i || '-1' || i
            WHEN 'id' THEN 18155135997837312 + i   -- ids of county 513329 (node 129): not this node's own, which it would know do not exist
            WHEN 'org' THEN '$2'
            WHEN 'enum' THEN substr (\"values\", 1, instr (\"values\" || '|', '|') - 1)
            WHEN 'fen' THEN '12.5' || i
            WHEN 'blob' THEN '00ff0' || i
            END AS v FROM c ORDER BY n)) FROM r ORDER BY i)"
}

#  The rows of TABLE at DIR, without the columns an import gives anew
#  (id, created_by) or derives, one line per row, sorted
rows_of () {
    "$FUGAI" -C "$1" --csv --no-bom list "$2" > rows.csv
    rm -f rows.db
    sqlite3 rows.db ".import --csv rows.csv r"
    local cols
    cols=$(sqlite3 rows.db "SELECT group_concat (quote (name), ', ') FROM pragma_table_info ('r')
                            WHERE name NOT IN ('id', 'created_by', 'state', 'owner_org', 'last_transition',
                            'transitions', 'rejected_transitions', 'rejected', 'reject_reason', 'state_after')")
    sqlite3 -csv rows.db "SELECT $cols FROM r ORDER BY 1, 2, 3, 4" | md5sum
}

tables=$(sqlite3 schema.db "SELECT DISTINCT \"table\" FROM s WHERE \"table\" NOT IN ('refusal', 'clock_flag', 'node') ORDER BY rowid")
done_tables=() skipped=()
for table in $tables; do
    for pair in "$P:$S/$P:$S/P2" "${T}201:$S/$T:$S/T2"; do
        IFS=: read -r org src dst <<< "$pair"
        gen "$table" "$org" > gen.csv
        #  An org_unit's id is its code (inside the node's org), and its org_id the same
        if [ "$table" = org_unit ]; then
            awk -v o="$org" 'NR == 1 { sub (/^org_id,/, "id,") }
                index ($0, o ",") == 1 { n++; $0 = (o + n) substr ($0, length (o) + 1) } { print }' gen.csv > gen2.csv
            mv gen2.csv gen.csv
        fi
        if ! "$FUGAI" -C "$src" import "$table" gen.csv > out.txt 2> err.txt; then
            #  A table this tier does not create is not one `import` accepts here
            grep -q "does not create" err.txt || skipped+=("$table at $org: $(tail -n 2 err.txt | tr '\n' ' ')")
            continue
        fi
        "$FUGAI" -C "$src" --csv list "$table" > export.csv
        [ "$(head -c 3 export.csv | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "--csv list $table: no UTF-8 BOM"
        "$FUGAI" -C "$dst" import "$table" export.csv > out.txt 2> err.txt \
            || fail "the export of $table (at $org) does not import into a fresh node: $(cat err.txt)"
        expect_eq "$table: rows at the fresh node" "$(rows_of "$dst" "$table")" "$(rows_of "$src" "$table")"
        expect_eq "$table: 3 rows" "$("$FUGAI" -C "$dst" --csv --no-bom list "$table" | sqlite3 :memory: \
            ".import --csv /dev/stdin r" "select count(*) from r")" 3
        done_tables+=("$table@${org:0:6}")
    done
done
note "round trip of ${#done_tables[@]} (table, tier) pairs: ${done_tables[*]}"
[ ${#skipped[@]} -eq 0 ] || note "generated rows refused by the rules (not a CSV matter): ${skipped[*]}"
[ ${#done_tables[@]} -ge 30 ] || fail "only ${#done_tables[@]} tables made the round trip"
for t in household person visit assistance_record vulnerable_person; do
    [[ " ${done_tables[*]} " == *" $t@513328 "* ]] || fail "$t did not make the round trip at the township"
done

#  A clerk's file from Excel on a Chinese Windows PC: GBK, Chinese headers
printf 'org_id,户主姓名,家庭人口,生产方式,登记起始日期\r\n%s,卓玛,3,farming,2026-03-01\r\n%s,扎西,5,herding,2026-03-02\r\n' \
    ${T}202 ${T}202 > zh-utf8.csv
iconv -f UTF-8 -t GBK zh-utf8.csv > zh-gbk.csv
! cmp -s zh-utf8.csv zh-gbk.csv || fail "iconv made no GBK file"
fugai $T import household zh-gbk.csv > out.txt 2> err.txt || fail "the GBK file was refused: $(cat err.txt)"
grep -q "GB18030" out.txt || fail "the import does not say the file was GBK/GB18030: $(cat out.txt)"
expect_sql $T "select head_name, size, economy, date (valid_from * 86400, 'unixepoch') from household
               where org_id = ${T}202 order by head_name" "卓玛|3|farming|2026-03-01
扎西|5|herding|2026-03-02"

#  50,000 rows with 3 bad ones: all three reported, with their lines; nothing imported
households_csv big.csv ${T}203 50000 Big
sed -i -e '1001s/,[0-9]*,/,many,/' -e '25002s/,[a-z]*$/,fishing/' -e '49999s/,[a-z]*$//' big.csv
before=$(sql $T "select count(*) from household")
rc=0
fugai $T import household big.csv > out.txt 2> err.txt || rc=$?
expect_eq "import of 50,000 rows with 3 bad ones: exit code" $rc 1
grep -q "line 1001: size" err.txt || fail "line 1001 (size=many) not reported: $(head -c 2000 err.txt)"
grep -q "line 25002: economy must be one of" err.txt || fail "line 25002 (fishing) not reported: $(head -c 2000 err.txt)"
grep -q "line 49999: 3 fields, the header has 4 (a short row)" err.txt \
    || fail "line 49999 (short) not reported: $(head -c 2000 err.txt)"
grep -q "3 errors in 50000 rows" err.txt || fail "the count of errors: $(tail -n 1 err.txt)"
expect_sql $T "select count(*) from household" "$before" "households after the refused import"

#  Strict RFC 4180: "bad"quote and a bare quote are errors naming their line
printf 'org_id,head_name,size\n%s,"bad"quote,1\n%s,ok,2\n%s,ab"c,3\n' ${T}204 ${T}204 ${T}204 > quotes.csv
rc=0
fugai $T import household quotes.csv > out.txt 2> err.txt || rc=$?
expect_eq "import with bad quotes: exit code" $rc 1
grep -q "line 2: text after the closing quote" err.txt || fail "\"bad\"quote not refused on line 2: $(cat err.txt)"
grep -q "line 4: a quote inside a field that is not quoted" err.txt || fail "ab\"c not refused on line 4: $(cat err.txt)"
expect_sql $T "select count(*) from household where org_id = ${T}204" 0

#  --dry-run checks and writes nothing
households_csv dry.csv ${T}205 20 Dry
lsn=$(sql $T "select coalesce (max (lsn), 0) from log")
fugai $T import household dry.csv --dry-run > out.txt 2> err.txt || fail "dry run refused: $(cat err.txt)"
grep -q "dry run: 20 household rows" out.txt || fail "dry run output: $(cat out.txt)"
expect_sql $T "select coalesce (max (lsn), 0) from log" "$lsn" "the log after a dry run"
expect_sql $T "select count(*) from household where org_id = ${T}205" 0

it_end
