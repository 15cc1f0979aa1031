#!/usr/bin/env bash
# cli_conventions: the operator command behaves as git or sqlite3 users
# expect. Every command's --help exits 0 with its page and opens no node;
# --version; options anywhere, --opt=value and --opt value, -C DIR, -CDIR,
# -C=DIR, --dir=DIR; a mistyped command, option, table, column or enum
# value gets one short line with a suggestion; list --sort, --search and a
# row count; a table longer than the screen goes through $PAGER on a
# terminal; show TABLE ID gives a record and what refers to it; --json
# gives ids and org codes as strings and ISO 8601 times; the replica's
# views v_TABLE give dates and yuan. No daemon runs.
. "$(dirname "$0")/lib.sh"
it_begin cli_conventions 26200 80 "$@"

C=513328; T=513328100
tree_up 513300 $C $T

#  --help on every command (and `help COMMAND`, -h) without a node: -C
#  names a directory that does not exist
commands=$("$FUGAI" help | sed -n 's/^  \([a-z]*\) .*/\1/p; s/^  \([a-z]*\)$/\1/p' | sort -u)
[ "$(wc -w <<< "$commands")" -ge 20 ] || fail "fugai help lists only: $commands"
for cmd in $commands; do
    for form in "$cmd --help" "$cmd -h" "help $cmd" "--help $cmd"; do
        rc=0
        # shellcheck disable=SC2086
        "$FUGAI" -C "$S/nowhere" $form > out.txt 2> err.txt || rc=$?
        [ $rc = 0 ] || fail "fugai $form: exit code $rc: $(cat err.txt)"
        grep -q "^usage: fugai .*$cmd" out.txt || fail "fugai $form: no usage line: $(head -3 out.txt)"
        [ ! -s err.txt ] || fail "fugai $form: said on stderr: $(cat err.txt)"
        [ "$(wc -l < out.txt)" -le 40 ] || fail "fugai $form: more than one page ($(wc -l < out.txt) lines)"
    done
done
[ ! -e "$S/nowhere" ] || fail "--help created the node directory"
"$FUGAI" --version | grep -q "^fugai [0-9]" || fail "fugai --version: $("$FUGAI" --version 2>&1)"

#  A mistyped command: one short line with a suggestion, exit 2
rc=0
"$FUGAI" -C "$S/$T" lsit household > out.txt 2> err.txt || rc=$?
expect_eq "fugai lsit: exit code" $rc 2
grep -q "did you mean 'list'" err.txt || fail "fugai lsit: no suggestion: $(cat err.txt)"
[ "$(wc -l < err.txt)" -le 2 ] || fail "fugai lsit: $(wc -l < err.txt) lines"
rc=0; fugai $T list household --limt 3 2> err.txt > /dev/null || rc=$?
expect_eq "--limt: exit code" $rc 2
grep -q "did you mean '--limit'" err.txt || fail "--limt: $(cat err.txt)"
rc=0; fugai $T list houshold 2> err.txt > /dev/null || rc=$?
grep -q "did you mean 'household'" err.txt || fail "list houshold: $(cat err.txt)"
rc=0; fugai $T list household --where head_nam=x 2> err.txt > /dev/null || rc=$?
grep -q "did you mean 'head_name'" err.txt || fail "--where head_nam: $(cat err.txt)"
rc=0; fugai $T add household org_id=${T}201 head_name=X economy=herdin 2> err.txt > /dev/null || rc=$?
grep -q "did you mean 'herding'" err.txt || fail "economy=herdin: $(cat err.txt)"

#  Options anywhere, in every spelling
for i in 1 2 3 4 5; do
    fugai $T --as clerk add household org_id=${T}201 head_name="H$i" size=$i economy=farming > /dev/null
done
fugai $T add household org_id=${T}201 head_name=$'two\nlines' size=9 --as=clerk > /dev/null
expected=$("$FUGAI" -C "$S/$T" --csv --no-bom list household --limit 2 --sort=-size)
for form in "-C $S/$T --csv --no-bom list household --limit=2 --sort -size" \
            "-C$S/$T list household --csv --limit 2 --no-bom --sort=-size" \
            "-C=$S/$T list --sort=-size --no-bom household --limit=2 --csv" \
            "list household --dir=$S/$T --csv --no-bom --limit=2 --sort -size" \
            "list household --dir $S/$T --limit 2 --no-bom --sort=-size --csv"; do
    # shellcheck disable=SC2086
    expect_eq "fugai $form" "$("$FUGAI" $form)" "$expected"
done
[[ $(sed -n 2p <<< "$expected") == *'"two'* ]] || fail "--sort=-size: not the largest first: $expected"

#  --search matches any text column; a human table ends with its count,
#  and a line break in a cell stays on its row
fugai $T list household --search H3 > out.txt
grep -q "H3" out.txt && ! grep -q "H4" out.txt || fail "--search H3: $(cat out.txt)"
expect_eq "row count of --search H3" "$(tail -n 1 out.txt)" "(1 row)"
fugai $T list household > out.txt
expect_eq "row count" "$(tail -n 1 out.txt)" "(6 rows)"
expect_eq "lines of the table (header, 6 rows, count)" "$(wc -l < out.txt)" 8
grep -q "two lines" out.txt || fail "the cell with a line break: $(cat out.txt)"

#  A table longer than the screen goes through $PAGER on a terminal (and
#  not when stdout is a file or a pipe)
households_csv many.csv ${T}202 40 Many
fugai $T import household many.csv > /dev/null 2>&1
PAGER="sed s/^/PAGED:/" LINES=24 script -qec "'$FUGAI' -C '$S/$T' list household" /dev/null > paged.txt
grep -q "^PAGED:(46 rows)" paged.txt || fail "no pager on a terminal: $(head -3 paged.txt)"
PAGER="sed s/^/PAGED:/" fugai $T list household > unpaged.txt
! grep -q PAGED unpaged.txt || fail "the pager ran with stdout a file"

#  show TABLE ID: the record and the records that refer to it
hh=$(sql $T "select id from household where head_name = 'H1'")
person=$(fugai $T add person household_id=$hh name=Dolma)
cadre=$(fugai $C add cadre name=Wangdu)
visit=$(fugai $T add visit cadre_id=$cadre target_kind=household target_id=$hh kind=pairing occurred_on=2026-11-02)
fugai $T show household $hh > out.txt
grep -q "^head_name  *H1" out.txt || fail "show household: the record: $(cat out.txt)"
grep -q "^person  *household_id  *$person " out.txt || fail "show household: the person: $(cat out.txt)"
grep -q "^visit  *target_id  *$visit " out.txt || fail "show household: the visit: $(cat out.txt)"
rc=0; fugai $T show household 12345 2> err.txt > /dev/null || rc=$?
expect_eq "show of a record not held: exit code" $rc 1

#  --json: 64-bit ids and org codes are strings, times ISO 8601 UTC
fugai $T --json list household --limit 1 > out.json
expect_eq "JSON id type" "$(sqlite3 :memory: "select json_type (readfile ('out.json'), '\$[0].id')")" text
expect_eq "JSON org_id type" "$(sqlite3 :memory: "select json_type (readfile ('out.json'), '\$[0].org_id')")" text
fugai $T --json show household $hh > out.json
expect_eq "show --json: id" "$(sqlite3 :memory: "select json_extract (readfile ('out.json'), '\$.record[0].id')")" "$hh"
expect_eq "show --json: referrers" \
    "$(sqlite3 :memory: "select json_array_length (readfile ('out.json'), '\$.referred_by')")" 2
fugai $T --json add household org_id=${T}201 head_name=J > out.json
expect_eq "add --json: id type" "$(sqlite3 :memory: "select json_type (readfile ('out.json'), '\$.id')")" text
fugai $T --json log --limit 1 > out.json
when=$(sqlite3 :memory: "select json_extract (readfile ('out.json'), '\$[0].when')")
[[ $when =~ ^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{3}Z$ ]] \
    || fail "log --json: 'when' is not ISO 8601: $when"

#  The analysts' views: dates as dates, money in yuan, times in ISO 8601
fugai $T add household org_id=${T}201 head_name=View valid_from=2026-03-01 > /dev/null
fugai $T add assistance_record org_id=${T}201 beneficiary_kind=household beneficiary_id=$hh type=cash_subsidy \
    amount_fen=12.50 occurred_on=2026-11-30 > /dev/null
expect_sql $T "select valid_from from v_household where head_name = 'View'" 2026-03-01
expect_sql $T "select amount_yuan, occurred_on, created_at like '____-__-__T__:__:__.___Z' from v_assistance_record" \
    "12.5|2026-11-30|1"

#  quarantine list on a node with nothing refused: one line, not empty tables
fugai $T quarantine list > out.txt
expect_eq "quarantine list, nothing refused" "$(wc -l < out.txt)" 1

it_end
