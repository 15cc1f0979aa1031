#!/usr/bin/env bash
# hostile.sh - browser.hostile: requests no browser would send, by curl,
# against a township's console: an oversized body (declared and chunked),
# path traversal in static paths (plain, encoded, backslash), a missing
# and an invalid session, a session token planted before login (fixation),
# a POST without or with a wrong CSRF token, a foreign Host header, a
# malformed form encoding, invalid UTF-8, script in every text field, a
# flood of login pages, and a session past its lifetime. The oversight
# pages (the prefecture's console, and the township's): the directive form
# without or with a wrong CSRF token, from a clerk's account, with script
# in every field, a target outside the subtree, a bad date or kind, a
# title too long; the acknowledgement without a token or with a script
# for an id; script, traversal and bad codes in the addresses and the
# parameters of the reports, the findings and the drill-down; the county's
# pairing plan form without a token, from a clerk, unconfirmed, with a
# forged hash or script for a date, and from a township or the prefecture.
# The proposals form (without or with a wrong token, from a clerk, a name
# that is none, what a township may not decide, script in every field)
# and the CSV import (token, role, encoding, malformed and too many parts,
# an upload past FG_WEB_UPLOAD_MAX declared and chunked, script in the
# header and every cell, a forged hash, damaged data).
# The clerk's casework forms (assistance, an appeal, its transitions,
# publicity): without or with a wrong token, from a reviewer, with script
# in every field, an oversized value, a transition the state does not
# allow, a negative amount, a beneficiary of another household; records
# the command wrote with scripts in their texts, shown as text.
# Each is refused with the status and the reason expected, the daemon
# stays up, and nothing is written.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/lib.sh"
it_begin browser_hostile 26100 120 "$@"
command -v curl >/dev/null || fail "curl is needed (deploy/install-deps)"

T=513328100
tree_up 513300 513328 $T
alloc_port WEB
printf 'web\n    listen = 127.0.0.1:%s\n' "$WEB" >> "$S/$T/fugai.cfg"
U=http://127.0.0.1:$WEB
H=$(fugai $T --as clerk add household org_id=${T}201 head_name=扎西 size=4)
#  Records whose texts are scripts, written by the command: the clerk's pages show them as text
A=$(fugai $T --as clerk add appeal org_id=${T}201 appellant_household_id=$H type=dispute \
    appellant_name='<script>alert(5)</script>' summary='<img src=x onerror=alert(6)>')
fugai $T --as clerk add assistance_record org_id=${T}201 beneficiary_kind=household beneficiary_id=$H \
    type=in_kind occurred_on=2026-11-01 provider='<script>alert(7)</script>' > /dev/null
fugai $T --as clerk add publicity_event org_id=${T}201 method=outing occurred_on=2026-11-02 \
    organizer_unit='<script>alert(8)</script>' > /dev/null
echo 'correct-horse-7' | fugai $T user add clerk1 --role clerk > /dev/null
echo 'reviewer-pass-7' | fugai $T user add rev1 --role reviewer > /dev/null
echo 'disabled-pass-7' | fugai $T user add gone --role clerk > /dev/null
fugai $T user disable gone > /dev/null
alloc_port WEB_P
alloc_port WEB_C
printf 'web\n    listen = 127.0.0.1:%s\n' "$WEB_P" >> "$S/513300/fugai.cfg"
printf 'web\n    listen = 127.0.0.1:%s\n' "$WEB_C" >> "$S/513328/fugai.cfg"
UC=http://127.0.0.1:$WEB_C
echo 'office-pass-7' | fugai 513328 user add office --role reviewer > /dev/null
echo 'cclerk-pass-7' | fugai 513328 user add cclerk --role clerk > /dev/null
UP=http://127.0.0.1:$WEB_P
echo 'chief-pass-7' | fugai 513300 user add chief --role reviewer > /dev/null
echo 'pclerk-pass-7' | fugai 513300 user add pclerk --role clerk > /dev/null
#  A proposal held at the township (the county's field): only the county decides it
fugai $T --as clerk set household $H needy=yes > /dev/null
PROPOSAL=$(fugai $T --csv proposals | tr -d '\r' | sed -n 2p | awk -F, '{print $11}')
[ -n "$PROPOSAL" ] || fail "no proposal at the township"
start_node $T
start_node 513300
consoles_answer "$UP"
consoles_answer "$U"
seq0=$(fugai $T status --json | sed -n 's/.*"own_seq": \([0-9]*\).*/\1/p')

#  expect STATUS TEXT CURL_ARGS...: the answer has that status and contains TEXT
expect () {
    local status=$1 text=$2 out code
    shift 2
    out=$(curl -s -w '\n%{http_code}' "$@") || soft_fail "curl $* failed"
    code=${out##*$'\n'}
    if [ "$code" != "$status" ]; then
        soft_fail "curl $(cut -c1-160 <<< "$*"): status $code, expected $status"
    elif [ -n "$text" ] && ! grep -qF -- "$text" <<< "$out"; then
        soft_fail "curl $*: the answer does not say '$text'"
    else
        note "answered as expected ($status): $(cut -c1-160 <<< "$*")"
    fi
}
#  login JAR USER PASSWORD: a session in the cookie jar
login () {
    local jar=$1 csrf
    csrf=$(curl -s -c "$jar" -b "$jar" "$U/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
    curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "name=$2" \
         --data-urlencode "password=$3" "$U/login"
}
csrf_of () {
    curl -s -b "$1" "$U/household/$H/visit" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4
}

#  Path traversal in static paths
expect 200 "font-family" "$U/static/console.css"
expect 400 "" --path-as-is "$U/static/../../fugai.cfg"
expect 400 "" --path-as-is "$U/static/..%2f..%2ffugai.cfg"
expect 400 "" --path-as-is "$U/static/%2e%2e/%2e%2e/keys/sign.secret"
expect 404 "" "$U/static/keys/sign.secret"
expect 400 "" --path-as-is "$U/static/..\\..\\fugai.cfg"
#  Missing and invalid sessions
expect 303 "" "$U/household/$H"
expect 303 "" -b "fg_session=$(printf 'a%.0s' {1..64})" "$U/household/$H"
expect 303 "" -b "fg_session=../../etc/passwd" "$U/operator"
expect 403 "校验码" -d "kind=pairing" "$U/household/$H/visit"
expect 403 "" -b "fg_session=$(printf 'b%.0s' {1..64})" -d "csrf=$(printf 'b%.0s' {1..64})&kind=pairing" "$U/household/$H/visit"
#  A foreign Host (DNS rebinding)
expect 421 "" -H "Host: evil.example:$WEB" "$U/login"
#  Oversized bodies: declared (refused before reading) and chunked
head -c 200000 /dev/zero | tr '\0' 'a' > "$S/big"
expect 413 "" -H "Content-Type: application/x-www-form-urlencoded" --data-binary "@$S/big" "$U/login"
expect 413 "" -H "Transfer-Encoding: chunked" -H "Content-Type: application/x-www-form-urlencoded" \
       --data-binary "@$S/big" "$U/login"
expect 414 "" "$U/$(head -c 9000 /dev/zero | tr '\0' 'x')"

#  Session fixation: a token planted before login is not the one after it
jar=$S/jar
login "$jar" clerk1 correct-horse-7
planted=$(printf 'c%.0s' {1..64})
jar2=$S/jar2
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tfg_session\t%s\n' "$planted" > "$jar2"
login "$jar2" clerk1 correct-horse-7
grep -q "$planted" "$jar2" && soft_fail "the planted session token survived the login"
expect 303 "" -b "fg_session=$planted" "$U/operator"
#  A disabled account and a reviewer
jar3=$S/jar3
login "$jar3" gone disabled-pass-7
expect 303 "" -b "$jar3" "$U/operator"
jar4=$S/jar4
login "$jar4" rev1 reviewer-pass-7
csrf=$(csrf_of "$jar4")
expect 403 "只能查看" -b "$jar4" --data-urlencode "csrf=$csrf" -d "kind=pairing" "$U/household/$H/visit"

#  Malformed forms, with a valid session and token
csrf=$(csrf_of "$jar")
[ ${#csrf} = 64 ] || fail "no CSRF token in the visit form"
expect 400 "" -b "$jar" --data-binary "csrf=$csrf&notes=%zz" -H "Content-Type: application/x-www-form-urlencoded" "$U/household/$H/visit"
expect 400 "" -b "$jar" --data-binary "csrf=$csrf&notes=%ff%fe" -H "Content-Type: application/x-www-form-urlencoded" "$U/household/$H/visit"
expect 415 "" -b "$jar" -F "csrf=$csrf" "$U/household/$H/visit"
expect 422 "必填" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "notes=<script>alert(1)</script>" "$U/household/$H/visit"
out=$(curl -s -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "kind=<script>alert(1)</script>" \
      --data-urlencode "duration_min=\"><script>alert(2)</script>" --data-urlencode "occurred_on=2026-13-45" "$U/household/$H/visit")
grep -q '<script' <<< "$out" && soft_fail "a script came back unescaped in a refused form"
grep -qF '&quot;&gt;&lt;script&gt;alert(2)' <<< "$out" || soft_fail "the typed duration is not kept, escaped"
expect 404 "" -b "$jar" "$U/household/99999999999999999999999"
expect 400 "" -b "$jar" --path-as-is "$U/household/1/../../operator"
expect 404 "" -b "$jar" "$U/accounts.db"
expect 404 "" -b "$jar" "$U/data.db"
expect 405 "" -b "$jar" -X DELETE "$U/operator"

#  The clerk's casework forms: assistance, an appeal, its transitions, publicity
XSS='<script>alert(1)</script>'
csrf=$(csrf_of "$jar")
for form in "/household/$H/assistance" "/household/$H/appeal" "/appeal/$A" /publicity; do
    expect 403 "校验码" -b "$jar" -d "type=cash_subsidy&transition=register&method=outing" "$U$form"
    expect 403 "校验码" -b "$jar" -d "csrf=$(printf 'e%.0s' {1..64})&type=cash_subsidy" "$U$form"
    expect 403 "只能查看" -b "$jar4" --data-urlencode "csrf=$(csrf_of "$jar4")" -d "type=cash_subsidy&transition=register&method=outing" "$U$form"
    expect 303 "" "$U$form"
    #  Script in every field: refused, said beside the fields, kept as text
    out=$(curl -s -w '\n%{http_code}' -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "type=$XSS" \
          --data-urlencode "beneficiary_id=$XSS" --data-urlencode "amount_fen=\"><script>alert(2)</script>" \
          --data-urlencode "provider=$XSS" --data-urlencode "reverses_id=$XSS" --data-urlencode "occurred_on=$XSS" \
          --data-urlencode "appellant_name=\"><script>alert(2)</script>" --data-urlencode "summary=$XSS" \
          --data-urlencode "appellant_person_id=$XSS" --data-urlencode "channel=$XSS" --data-urlencode "transition=$XSS" \
          --data-urlencode "note=\"><script>alert(2)</script>" --data-urlencode "to_owner_unit=$XSS" \
          --data-urlencode "actor_cadre_id=$XSS" --data-urlencode "org_id=$XSS" --data-urlencode "method=$XSS" \
          --data-urlencode "audience_count=\"><script>alert(2)</script>" "$U$form")
    [ "${out##*$'\n'}" = 422 ] || soft_fail "$form with script in every field: status ${out##*$'\n'}, expected 422"
    grep -qi '<script' <<< "$out" && soft_fail "$form: a script came back unescaped in the refused form"
    grep -qF '&quot;&gt;&lt;script&gt;alert(2)' <<< "$out" || soft_fail "$form: what was typed is not kept, escaped"
    grep -q 'class="field-error"' <<< "$out" || soft_fail "$form: the refusal is not said beside a field"
    #  An oversized value (under the form's limit): refused beside its field
    big=$(head -c 60000 /dev/zero | tr '\0' 'x')
    case $form in
        */assistance) long=provider ;; */appeal) long=summary ;; /appeal/*) long=note ;; *) long=organizer_unit ;;
    esac
    expect 422 "太长" -b "$jar" --data-urlencode "csrf=$csrf" -d "type=cash_subsidy&occurred_on=2026-11-01&appellant_name=x" \
           -d "transition=register&method=outing&org_id=${T}201" --data-urlencode "$long=$big" "$U$form"
    expect 413 "" -b "$jar" -H "Content-Type: application/x-www-form-urlencoded" --data-binary "@$S/big" "$U$form"
    note "$form: without or with a wrong token, from a reviewer, with script everywhere and oversized: refused"
done
#  A transition the appeal's state does not allow, a negative amount, a
#  beneficiary of another household: refused with the reason, nothing written
expect 422 "当前状态下不能这样办理" -b "$jar" --data-urlencode "csrf=$csrf" -d "transition=close" "$U/appeal/$A"
expect 422 "金额不能为负数" -b "$jar" --data-urlencode "csrf=$csrf" \
       -d "beneficiary_id=$H&type=cash_subsidy&amount_fen=-5&occurred_on=2026-11-01" "$U/household/$H/assistance"
expect 422 "本户" -b "$jar" --data-urlencode "csrf=$csrf" \
       -d "beneficiary_id=12345&type=cash_subsidy&amount_fen=5&occurred_on=2026-11-01" "$U/household/$H/assistance"
expect 404 "" -b "$jar" "$U/appeal/99999"
expect 404 "" -b "$jar" "$U/appeal/$H"
expect 404 "" -b "$jar" "$U/household/99999/assistance"
expect 404 "" -b "$jar" "$U/appeal/1x"
#  Stored scripts render as text on every page that shows them
for page in "/household/$H" "/appeal/$A" /publicity "/household/$H/assistance" /worklist; do
    out=$(curl -s -b "$jar" "$U$page")
    grep -qiE '<script|<img' <<< "$out" && soft_fail "$page renders a stored script or image"
    case $page in /worklist|*/assistance) ;; *) grep -qF '&lt;' <<< "$out" || soft_fail "$page does not show the stored script as text" ;; esac
done
note "the casework pages show stored scripts as text"

#  A flood of login pages (anonymous sessions past the cap) logs nobody out
for ((i = 0; i < 1100; i++)); do printf 'url = "%s/login?n=%d"\noutput = "/dev/null"\n' "$U" $i; done > "$S/flood.cfg"
curl -s -K "$S/flood.cfg" || soft_fail "the flood of login pages failed (curl exit $?)"
expect 200 "" -b "$jar" "$U/operator"

#  The oversight pages. loginp JAR USER PASSWORD: a session at the prefecture
loginp () {
    local jar=$1 csrf
    csrf=$(curl -s -c "$jar" -b "$jar" "$UP/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
    curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "name=$2" \
         --data-urlencode "password=$3" "$UP/login"
}
pseq0=$(fugai 513300 status --json | sed -n 's/.*"own_seq": \([0-9]*\).*/\1/p')
pj=$S/pjar
loginp "$pj" chief chief-pass-7
pcsrf=$(curl -s -b "$pj" "$UP/directives" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
[ ${#pcsrf} = 64 ] || fail "no CSRF token in the directive form"
XSS='<script>alert(1)</script>'
#  The directive form without a token, with a wrong one, from a clerk
expect 403 "校验码" -b "$pj" -d "org_id=513328&title=x" "$UP/directives"
expect 403 "校验码" -b "$pj" -d "csrf=$(printf 'd%.0s' {1..64})&org_id=513328&title=x" "$UP/directives"
pj2=$S/pjar2
loginp "$pj2" pclerk pclerk-pass-7
pcsrf2=$(curl -s -b "$pj2" "$UP/directives" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
expect 403 "审核员或管理员" -b "$pj2" --data-urlencode "csrf=$pcsrf2" -d "org_id=513328&title=x" "$UP/directives"
curl -s -b "$pj2" "$UP/directives" | grep -q 'form method="post" action="/directives"' \
    && soft_fail "a clerk's directives page offers the form"
#  Script in every field, a bad target, kind and date: refused, shown as text, kept
out=$(curl -s -w '\n%{http_code}' -b "$pj" --data-urlencode "csrf=$pcsrf" --data-urlencode "org_id=$XSS" \
      --data-urlencode "title=\"><script>alert(2)</script>" --data-urlencode "kind=$XSS" \
      --data-urlencode "body=</textarea>$XSS" --data-urlencode "issuer_unit=$XSS" \
      --data-urlencode "due_on=2026-13-45" --data-urlencode "requires_ack=$XSS" "$UP/directives")
[ "${out##*$'\n'}" = 422 ] || soft_fail "a directive with script in every field: status ${out##*$'\n'}, expected 422"
grep -q '<script' <<< "$out" && soft_fail "a script came back unescaped in the refused directive form"
grep -qF '&quot;&gt;&lt;script&gt;alert(2)' <<< "$out" || soft_fail "the typed title is not kept, escaped"
grep -qF '&lt;/textarea&gt;' <<< "$out" || soft_fail "the typed body is not kept, escaped"
grep -q 'id="error-org_id"' <<< "$out" || soft_fail "the refused target is not said next to its field"
grep -q 'id="error-due_on"' <<< "$out" || soft_fail "the refused date is not said next to its field"
grep -q 'id="error-kind"' <<< "$out" || soft_fail "the refused kind is not said next to its field"
note "a directive with script in every field is refused (422), each field said, all kept as text"
expect 422 "不是本节点辖区内的单位" -b "$pj" --data-urlencode "csrf=$pcsrf" -d "org_id=510100&title=x" "$UP/directives"
expect 422 "不是本节点辖区内的单位" -b "$pj" --data-urlencode "csrf=$pcsrf" -d "org_id=513300100999&title=x" "$UP/directives"
expect 413 "" -b "$pj" -H "Content-Type: application/x-www-form-urlencoded" --data-binary "@$S/big" "$UP/directives"
#  A valid directive whose texts are scripts: written, and listed as text
expect 303 "" -b "$pj" --data-urlencode "csrf=$pcsrf" -d "org_id=513328" --data-urlencode "title=$XSS" \
       --data-urlencode "body=<img src=x onerror=alert(3)>" --data-urlencode "issuer_unit=$XSS" "$UP/directives"
out=$(curl -s -b "$pj" "$UP/directives")
grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' <<< "$out" || soft_fail "the directive's title is not listed as text"
grep -qiE '<script|<img' <<< "$out" && soft_fail "a stored directive renders a script or an image"
#  Addresses and parameters of the reports, findings and drill-down
for path in "/report/%3Cscript%3Ealert(1)%3C%2Fscript%3E" "/report/coverage/../../fugai.cfg" "/org/%3Cscript%3E" \
            "/org/513300/../../keys" "/org/51330a" "/org/5133281002011" "/findings?rule=%3Cscript%3E" \
            "/report/coverage?period=%3Cscript%3Ealert(1)%3C%2Fscript%3E" "/report/coverage?period=2025-W53" \
            "/report/coverage?org=%3Cscript%3E" "/findings?state=%3Cscript%3E" "/findings?org=510100" \
            "/org/510100" "/report/appeals?org=510100" "/report/coverage?by=%3Cscript%3E" \
            "/report/coverage?org=513328100&by=county"; do
    out=$(curl -s --path-as-is -w '\n%{http_code}' -b "$pj" "$UP$path")
    code=${out##*$'\n'}
    case $code in
        400|403|404) note "refused ($code): $path" ;;
        *) soft_fail "$path: status $code, expected a refusal (400, 403 or 404)" ;;
    esac
    grep -qi '<script' <<< "$out" && soft_fail "$path: a script came back in the answer"
    grep -q 'class="error"' <<< "$out" || [ "$code" = 400 ] || soft_fail "$path: the refusal does not say why"
done
expect 400 "统计期不对" -b "$pj" "$UP/report/coverage?period=2026-13"
expect 403 "不在本节点的辖区内" -b "$pj" "$UP/org/510100"
#  The township: no directive from a township, the acknowledgement's token and id
expect 403 "" -b "$jar" --data-urlencode "csrf=$(csrf_of "$jar")" -d "org_id=$T&title=x" "$U/directives"
expect 403 "由县、州下达" -b "$jar4" --data-urlencode "csrf=$(csrf_of "$jar4")" -d "org_id=$T&title=x" "$U/directives"
expect 403 "校验码" -b "$jar" -d "directive_id=1&state=applied" "$U/worklist/ack"
expect 400 "缺少指令编号" -b "$jar" --data-urlencode "csrf=$(csrf_of "$jar")" --data-urlencode "directive_id=$XSS" \
       -d "state=applied" "$U/worklist/ack"
expect 422 "" -b "$jar" --data-urlencode "csrf=$(csrf_of "$jar")" -d "directive_id=12345" \
       --data-urlencode "state=$XSS" "$U/worklist/ack"
expect 403 "不在本节点的辖区内" -b "$jar" "$U/org/513328"
#  A pairing plan is the county's: refused at the prefecture and a township
expect 403 "由县里" -b "$pj" --data-urlencode "csrf=$pcsrf" -d "plan_hash=x&confirm=yes" "$UP/plan"
expect 403 "由县里" -b "$jar4" --data-urlencode "csrf=$(csrf_of "$jar4")" -d "plan_hash=x&confirm=yes" "$U/plan"
expect 200 "由县里编制" -b "$jar" "$U/plan"
pseq1=$(fugai 513300 status --json | sed -n 's/.*"own_seq": \([0-9]*\).*/\1/p')
[ $((pseq1 - pseq0)) = 1 ] || soft_fail "the prefecture's console wrote $((pseq1 - pseq0)) entries (1 expected: the one valid directive)"
stop_node 513300

#  The proposals page: without or with a wrong token, from a clerk, a
#  name that is none, a decision the township may not make, unconfirmed;
#  script in every field, kept and shown as text
XSS='<script>alert(1)</script>'
expect 403 "校验码" -b "$jar4" -d "proposal=$PROPOSAL&decision=accept&confirm=yes" "$U/proposals"
expect 403 "校验码" -b "$jar4" -d "csrf=$(printf 'e%.0s' {1..64})&proposal=$PROPOSAL&decision=accept&confirm=yes" "$U/proposals"
expect 403 "审核员或管理员" -b "$jar" --data-urlencode "csrf=$(csrf_of "$jar")" -d "proposal=$PROPOSAL&decision=reject&reason=x&confirm=yes" "$U/proposals"
curl -s -b "$jar" "$U/proposals" | grep -q 'class="record decide"' && soft_fail "a clerk's proposals page offers the decision form"
rcsrf=$(csrf_of "$jar4")
expect 422 "not kept by a township" -b "$jar4" --data-urlencode "csrf=$rcsrf" -d "proposal=$PROPOSAL&decision=accept&confirm=yes" "$U/proposals"
expect 422 "not a proposal" -b "$jar4" --data-urlencode "csrf=$rcsrf" --data-urlencode "proposal=$XSS" -d "decision=accept&confirm=yes" "$U/proposals"
expect 400 "没有指明" -b "$jar4" --data-urlencode "csrf=$rcsrf" --data-urlencode "proposal=$(head -c 100 /dev/zero | tr '\0' '1')" -d "decision=accept" "$U/proposals"
expect 422 "必须写明理由" -b "$jar4" --data-urlencode "csrf=$rcsrf" -d "proposal=$PROPOSAL&decision=reject&confirm=yes" "$U/proposals"
out=$(curl -s -w '\n%{http_code}' -b "$jar4" --data-urlencode "csrf=$rcsrf" -d "proposal=$PROPOSAL" \
      --data-urlencode "decision=$XSS" --data-urlencode "reason=\"><script>alert(2)</script>" "$U/proposals")
[ "${out##*$'\n'}" = 422 ] || soft_fail "a decision with script in every field: status ${out##*$'\n'}, expected 422"
grep -qi '<script' <<< "$out" && soft_fail "a script came back unescaped in the proposals page"
grep -qF '由上级（县）管理' <<< "$out" || soft_fail "the township's proposals page does not say the county decides"
grep -q 'class="record decide"' <<< "$out" && soft_fail "a township's proposals page offers a form for the county's proposal"
out=$(curl -s -b "$jar4" "$U/proposals?decided=%3Cscript%3E")
grep -qi '<script' <<< "$out" && soft_fail "the proposals page reflected a script"

#  The CSV import: without or with a wrong token, from a reviewer, not
#  multipart, malformed multipart, too many parts, oversized (declared
#  and chunked), script in the header and every cell (listed as text),
#  a forged hash or damaged data with the confirmation, a table not offered
icsrf=$(csrf_of "$jar")
printf 'head_name,hukou_no,org_id,size\r\n扎西,HK-9,%s201,2\r\n' $T > "$S/ok.csv"
expect 403 "校验码" -b "$jar" -F "table=household" -F "file=@$S/ok.csv" "$U/import"
expect 403 "校验码" -b "$jar" -F "csrf=$(printf 'f%.0s' {1..64})" -F "table=household" -F "file=@$S/ok.csv" "$U/import"
expect 403 "只有文员" -b "$jar4" -F "csrf=$rcsrf" -F "table=household" -F "file=@$S/ok.csv" "$U/import"
expect 415 "multipart" -b "$jar" --data-urlencode "csrf=$icsrf" -d "table=household" "$U/import"
expect 400 "" -b "$jar" -H "Content-Type: multipart/form-data" --data-binary "csrf=$icsrf" "$U/import"
parts=(); for ((i = 0; i < 40; i++)); do parts+=(-F "p$i=x"); done
expect 400 "部分太多" -b "$jar" -F "csrf=$icsrf" "${parts[@]}" "$U/import"
head -c 5000000 /dev/zero | tr '\0' 'a' > "$S/huge.csv"
expect 413 "" -b "$jar" -F "csrf=$icsrf" -F "table=household" -F "file=@$S/huge.csv" "$U/import"
expect 413 "" -b "$jar" -H "Transfer-Encoding: chunked" -F "csrf=$icsrf" -F "table=household" -F "file=@$S/huge.csv" "$U/import"
expect 400 "选择要导入的表" -b "$jar" -F "csrf=$icsrf" -F "table=node" -F "file=@$S/ok.csv" "$U/import"
expect 400 "选择要导入的表" -b "$jar" -F "csrf=$icsrf" --form-string "table=$XSS" -F "file=@$S/ok.csv" "$U/import"
printf 'head_name,hukou_no,org_id,size,%s\r\n%s,%s,%s,%s,%s\r\n"</textarea>%s",x,%s201,"<img src=x onerror=alert(3)>",\r\n' \
    "$XSS" "$XSS" "$XSS" "$XSS" "$XSS" "$XSS" "$XSS" $T > "$S/xss.csv"
out=$(curl -s -w '\n%{http_code}' -b "$jar" -F "csrf=$icsrf" -F "table=household" -F "file=@$S/xss.csv" "$U/import")
[ "${out##*$'\n'}" = 422 ] || soft_fail "a CSV with script in every cell: status ${out##*$'\n'}, expected 422"
grep -qiE '<script|<img' <<< "$out" && soft_fail "a script or an image of the CSV came back unescaped"
grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' <<< "$out" || soft_fail "the CSV's header cell is not listed, as text"
grep -q 'class="record confirm"' <<< "$out" && soft_fail "a CSV with errors is offered the confirmation"
out=$(curl -s -b "$jar" -F "csrf=$icsrf" -F "table=household" --form-string "text=$(cat "$S/xss.csv")" "$U/import")
grep -qiE '<script|<img' <<< "$out" && soft_fail "the pasted CSV came back unescaped"
grep -qF '&lt;/textarea&gt;' <<< "$out" || soft_fail "the pasted CSV is not kept, escaped"
data=$(base64 -w0 "$S/ok.csv")
expect 409 "与预览时不同" -b "$jar" -F "csrf=$icsrf" -F "table=household" -F "data=$data" --form-string "hash=$XSS" -F "confirm=yes" "$U/import"
out=$(curl -s -b "$jar" -F "csrf=$icsrf" -F "table=household" -F "data=$data" --form-string "hash=$XSS" -F "confirm=yes" "$U/import")
grep -qi '<script' <<< "$out" && soft_fail "a forged import hash came back unescaped"
expect 400 "已损坏" -b "$jar" -F "csrf=$icsrf" -F "table=household" --form-string "data=@@@notbase64" -F "confirm=yes" "$U/import"

#  Still up, nothing written by all of that
seq1=$(fugai $T status --json | sed -n 's/.*"own_seq": \([0-9]*\).*/\1/p')
[ "$seq0" = "$seq1" ] || soft_fail "hostile requests wrote $((seq1 - seq0)) entries"

#  The county's pairing plan
start_node 513328
consoles_answer "$UC"
loginc () {
    local jar=$1 csrf
    csrf=$(curl -s -c "$jar" -b "$jar" "$UC/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
    curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "name=$2" \
         --data-urlencode "password=$3" "$UC/login"
}
cseq0=$(fugai 513328 status --json | sed -n 's/.*"own_seq": \([0-9]*\).*/\1/p')
cj=$S/cjar
loginc "$cj" office office-pass-7
review=$(curl -s -b "$cj" "$UC/plan?run=1")
ccsrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' <<< "$review" | head -1 | cut -d'"' -f4)
hash=$(grep -o 'name="plan_hash" value="[0-9a-f]*"' <<< "$review" | cut -d'"' -f4)
[ ${#hash} = 64 ] || fail "the plan's review has no publish form with the plan's hash"
expect 403 "校验码" -b "$cj" -d "effective=2026-12-01&plan_hash=$hash&confirm=yes" "$UC/plan"
cj2=$S/cjar2
loginc "$cj2" cclerk cclerk-pass-7
curl -s -b "$cj2" "$UC/plan?run=1" | grep -q 'class="record publish"' && soft_fail "a clerk's plan review offers the publish form"
expect 403 "审核员或管理员" -b "$cj2" --data-urlencode "csrf=$(curl -s -b "$cj2" "$UC/plan" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)" \
       -d "plan_hash=$hash&confirm=yes" "$UC/plan"
expect 422 "勾选确认" -b "$cj" --data-urlencode "csrf=$ccsrf" -d "plan_hash=$hash" "$UC/plan"
expect 409 "方案已有变化" -b "$cj" --data-urlencode "csrf=$ccsrf" --data-urlencode "plan_hash=$XSS" -d "confirm=yes" "$UC/plan"
out=$(curl -s -b "$cj" --data-urlencode "csrf=$ccsrf" --data-urlencode "plan_hash=$XSS" -d "confirm=yes" "$UC/plan")
grep -qi '<script' <<< "$out" && soft_fail "a forged plan hash came back unescaped"
expect 400 "生效日期不对" -b "$cj" --data-urlencode "csrf=$ccsrf" --data-urlencode "effective=$XSS" -d "plan_hash=$hash&confirm=yes" "$UC/plan"
expect 400 "生效日期不对" -b "$cj" "$UC/plan?effective=2026-02-30"
out=$(curl -s -b "$cj" "$UC/plan?run=1&kept=%3Cscript%3E")
grep -qi '<script' <<< "$out" && soft_fail "the plan review reflected a script"
cseq1=$(fugai 513328 status --json | sed -n 's/.*"own_seq": \([0-9]*\).*/\1/p')
[ "$cseq0" = "$cseq1" ] || soft_fail "the county's plan form wrote $((cseq1 - cseq0)) entries when every attempt was refused"
stop_node 513328

#  Sessions expire: a console whose logins last 5 s (a test build's hook;
#  long enough for the first page to come before it, on a loaded machine
#  with the sanitizers' build)
stop_node $T
slow=${FUGAI_IT_SLOW:-1}
start_node $T FUGAI_WEB_SESSION_MS=$((5000 * slow))
consoles_answer "$U"
jar5=$S/jar5
login "$jar5" clerk1 correct-horse-7
expect 200 "" -b "$jar5" "$U/operator"
sleep $((6 * slow))
expect 303 "" -b "$jar5" "$U/operator"
it_end
