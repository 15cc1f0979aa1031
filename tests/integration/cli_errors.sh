#!/usr/bin/env bash
# cli_errors: bad input to the operator command gets a clear message naming
# what is wrong, exit code 1 (refused) or 2 (bad usage) -- 3 when the node
# directory cannot be used -- nothing on stdout, and nothing written: the
# node's log, domain rows and files are the same before and after. No
# daemon runs in this test.
. "$(dirname "$0")/lib.sh"
it_begin cli_errors 21200 300 "$@"

P=513300; C=513328; T=513328100; C2=513321; T2=513321100
tree_up $P $C $C2 $T $T2
fugai $T --as clerk add household org_id=${T}201 head_name=Tashi size=5 economy=herding > /dev/null
good_id=$(sql $T "select id from household")

#  The state of a node that a refused command must not change
state () {
    sql "$1" "select count(*), coalesce(max(lsn), 0) from log" | tr '\n' ' '
    sql "$1" "select count(*) from household" | tr '\n' ' '
    sql "$1" "select count(*) from directive" | tr '\n' ' '
    sql "$1" "select node_id || relation || status from node order by node_id" | tr '\n' ' '
    "$FUGAI" -C "$S/$1" digest | tr '\n' ' '
    { ls -l --time-style=full-iso "$S/$1" "$S/$1/keys" "$S/$1/certs" 2>/dev/null || true; } \
        | grep -v -e data.db -e '^total' | md5sum
}

checks=0
#  refused CODES ORG "TEXT|TEXT..." FUGAI_ARGS...: fugai -C ORG ARGS exits
#  with one of CODES, says every TEXT (fixed strings) on stderr, prints
#  nothing on stdout, and leaves ORG as it was. REPORT=soft_fail refused ...
#  goes on after a failure.
refused () {
    local codes=$1 org=$2 texts=$3 report=${REPORT:-fail}
    shift 3
    local before after rc=0 text
    before=$(state "$org")
    "$FUGAI" -C "$S/$org" "$@" > out.txt 2> err.txt || rc=$?
    after=$(state "$org")
    local what="fugai -C $org $*"
    checks=$((checks + 1))
    case " $codes " in
        *" $rc "*) ;;
        *) $report "$what: exit code $rc, expected one of {$codes}; it said: $(cat out.txt err.txt)"; return 0 ;;
    esac
    IFS='|' read -ra texts <<< "$texts"
    for text in "${texts[@]}"; do
        grep -qF -- "$text" err.txt || { $report "$what: the message does not mention '$text': $(cat err.txt)"; return 0; }
    done
    [ ! -s out.txt ] || { $report "$what: printed on stdout although refused: $(cat out.txt)"; return 0; }
    [ "$before" = "$after" ] || $report "$what: refused, but the node changed (before: $before; after: $after)"
}

#  Writes
refused "1 2" $T "nosuch"                  add nosuch org_id=${T}201 head_name=X
refused "1 2" $T "bogus"                   add household org_id=${T}201 head_name=X bogus=1
refused "1 2" $T "economy|farming|herding" add household org_id=${T}201 head_name=X economy=fishing
refused "1 2" $T "valid_from|2013-02-30"   add household org_id=${T}201 head_name=X valid_from=2013-02-30
refused "1 2" $T "valid_from|2013-2-3x"    add household org_id=${T}201 head_name=X valid_from=2013-2-3x
refused "1 2" $T "size|abc"                add household org_id=${T}201 head_name=X size=abc
refused "1 2" $T "head_name"               add household org_id=${T}201 size=3
refused "1 2" $T "head_name"               add household org_id=${T}201 head_name
refused "1 2" $T "5133281"                 add household org_id=5133281 head_name=X
#  Out of scope: another township's village, another county's
refused "1 2" $T "513328101201"            add household org_id=513328101201 head_name=X
refused "1 2" $T "513321100201"            add household org_id=513321100201 head_name=X
refused "1 2" $T "size|abc"                set household "$good_id" size=abc
refused "1 2" $T "economy"                 set household "$good_id" economy=fishing
refused "1 2" $T "12x"                     set household 12x size=3
refused "1 2" $T "999"                     set household 999 size=3
refused "1 2" $T "record id|7x"            void visit 7x --reason typo
#  An import with one bad row imports nothing (and names the line)
households_csv bad.csv ${T}202 30 Imp
sed -i '18s/,[0-9]*,/,many,/' bad.csv
refused "1 2" $T "line 18|size|many"       import household bad.csv
refused "1 2" $T "nothing.csv"             import household nothing.csv
#  Directives: a township issues none; bad dates and targets
refused "1 2" $T "township"                directive issue --to $T --title "Self-made"
refused "1 2" $P "due_on|2013-13-01"       directive issue --to $C --title X --due 2013-13-01
refused "1 2" $C "513321"                  directive issue --to $C2 --title "Not my county"
#  Reading
refused "1 2" $T "nosuch"                  list nosuch
refused "1 2" $T "bogus"                   list household --where bogus=1
refused "1 2" $T "size|abc"                list household --where size=abc
refused "1 2" $T "frobnicate"              frobnicate
refused "1 2" $T "--org"                   digest --org 12
refused "1 2" $T "--limit|ten"             list household --limit ten
refused "1 2" $T "--limit|-3"              log --limit -3
refused "1 2" $T "node id|28100x"          log --origin 28100x
refused "1 2" $T "--grace|a month"         plan provisional --grace "a month"
refused "1 2" $C "--cycle|99"              plan run --cycle 99
refused "1 2" $C "--w-change|0"            plan run --w-change 0
refused "1 2" $T "only the county hub|township" plan run --county 513328 --publish

#  Enrolment: wrong tier, wrong org, not a certificate
refused "1 2" $C "county|township"         enroll "$S/$C2/keys/node.cert"
refused "1 2" $P "county|township"         enroll "$S/$T/keys/node.cert"
refused "1 2" $C "$T2|$C"                  enroll "$S/$T2/keys/node.cert"
refused "1 2" $C "node id|12abc"           epoch 12abc
refused "1 2" $C "node id|0"               resync 0
refused "1 2" $C "nothing.cert"            enroll "$S/nothing.cert"
#  A secret certificate (it holds the CURVE secret key) is no certificate
#  to hand to another node: enroll and trust must not take it, let alone
#  copy it into certs/ or parent.cert (soft: the later checks still run)
init_node 513328102
REPORT=soft_fail refused "1 2" $C "secret" enroll "$S/513328102/keys/node.cert_secret"
REPORT=soft_fail refused "1 2" 513328102 "secret" trust "$S/$C/keys/node.cert_secret"
for f in "$S/$C/certs/"* "$S/513328102/parent.cert"; do
    [ -e "$f" ] && grep -q "secret-key" "$f" \
        && soft_fail "$f (mode $(stat -c %a "$f")) now holds another node's CURVE secret key"
done
refused "1 2" $T "township"                enroll "$S/$T2/keys/node.cert"
refused "1 2" $T "prefecture|county"       trust "$S/$P/keys/node.cert"
refused "1 2" $C "28101"                   revoke 28101
refused "1 2" $C "node id"                 revoke 70000

#  A directory that holds no node: exit 3, nothing created
rc=0
"$FUGAI" -C "$S/nonexistent" status > out.txt 2> err.txt || rc=$?
expect_eq "exit code of fugai -C nonexistent status" "$rc" 3
grep -qF "nonexistent" err.txt || fail "fugai -C nonexistent status: the message does not name the directory: $(cat err.txt)"
[ ! -e "$S/nonexistent" ] || fail "fugai -C nonexistent status created $S/nonexistent"
rc=0
"$FUGAI" -C "$S/nonexistent" add household org_id=${T}201 head_name=X > out.txt 2> err.txt || rc=$?
expect_eq "exit code of fugai -C nonexistent add" "$rc" 3
[ ! -e "$S/nonexistent" ] || fail "fugai -C nonexistent add created $S/nonexistent"
checks=$((checks + 2))

#  init into a directory that holds a node: refused, nothing changed
for org in $T $C; do
    before=$(state $org; md5sum "$S/$org/fugai.cfg" "$S/$org/keys/"* "$S/$org/data.db")
    rc=0
    args=(init "$S/$org" --role township --org $T --name "Again" --parent tcp://127.0.0.1:9)
    [ $org = $C ] && args=(init "$S/$org" --role county --org $C --name "Again" --listen tcp://127.0.0.1:9 --parent tcp://127.0.0.1:9)
    "$FUGAI" "${args[@]}" > out.txt 2> err.txt || rc=$?
    case $rc in 1|2) ;; *) fail "init into the existing node $org: exit code $rc, expected 1 or 2" ;; esac
    grep -qF "$S/$org" err.txt || fail "init into the existing node $org: the message does not name the directory: $(cat err.txt)"
    after=$(state $org; md5sum "$S/$org/fugai.cfg" "$S/$org/keys/"* "$S/$org/data.db")
    [ "$before" = "$after" ] || fail "init into the existing node $org changed it"
    checks=$((checks + 1))
done
#  init with an org code of the wrong tier: nothing created
rc=0
"$FUGAI" init "$S/x1" --role county --org $T --name X --listen tcp://127.0.0.1:9 --parent tcp://127.0.0.1:9 \
    > out.txt 2> err.txt || rc=$?
case $rc in 1|2) ;; *) fail "init --role county --org $T: exit code $rc" ;; esac
grep -qF -- "$T" err.txt || fail "init --role county --org $T: the message does not name the org: $(cat err.txt)"
[ ! -e "$S/x1" ] || fail "a refused init created $S/x1"
checks=$((checks + 1))

#  --as is checked the same way wherever it stands: a name over 64 bytes
#  is refused before the command ...
long=$(printf 'n%.0s' $(seq 80))
refused "2" $T "--as|64"                   --as "$long" add household org_id=${T}201 head_name=X
#  ... and after it, as is a name that is not UTF-8
refused "2" $T "--as|64"                   add household org_id=${T}201 head_name=X --as "$long"
refused "2" $T "--as"                      add household org_id=${T}201 head_name=X --as $'\xff\xfe'

#  After all that, the good record is intact and alone
expect_sql $T "select head_name, size, economy from household where id = $good_id" "Tashi|5|herding" "the first record"
note "$checks refusals checked"

#  --json output is one JSON document, also where a command prints several
#  tables (quarantine list: refused entries, refusals, rejected transitions
#  and operations)
for cmd in "quarantine list" "status" "directive list" "plan list" "list household"; do
    fugai $T --json $cmd > out.json
    expect_eq "fugai --json $cmd is valid JSON" "$(sqlite3 :memory: "select json_valid (readfile ('out.json'))")" 1
done

it_end
