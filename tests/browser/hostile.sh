#!/usr/bin/env bash
# hostile.sh - browser.hostile: requests no browser would send, by curl,
# against a township's console: an oversized body (declared and chunked),
# path traversal in static paths (plain, encoded, backslash), a missing
# and an invalid session, a session token planted before login (fixation),
# a POST without or with a wrong CSRF token, a foreign Host header, a
# malformed form encoding, invalid UTF-8, script in every text field, a
# flood of login pages, and a session past its lifetime.
# Each is refused with the status and the reason expected, the daemon
# stays up, and nothing is written.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"
it_begin browser_hostile 26100 120 "$@"
command -v curl >/dev/null || fail "curl is needed (deploy/install-deps)"

T=513328100
tree_up 513300 513328 $T
alloc_port WEB
printf 'web\n    listen = 127.0.0.1:%s\n' "$WEB" >> "$S/$T/fugai.cfg"
U=http://127.0.0.1:$WEB
H=$(fugai $T --as clerk add household org_id=${T}201 head_name=扎西 size=4)
echo 'correct-horse-7' | fugai $T user add clerk1 --role clerk > /dev/null
echo 'reviewer-pass-7' | fugai $T user add rev1 --role reviewer > /dev/null
echo 'disabled-pass-7' | fugai $T user add gone --role clerk > /dev/null
fugai $T user disable gone > /dev/null
start_node $T
for ((i = 0; i < 100; i++)); do curl -s -o /dev/null "$U/login" && break; sleep 0.1; done
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

#  A flood of login pages (anonymous sessions past the cap) logs nobody out
for ((i = 0; i < 1100; i++)); do printf 'url = "%s/login?n=%d"\noutput = "/dev/null"\n' "$U" $i; done > "$S/flood.cfg"
curl -s -K "$S/flood.cfg" || soft_fail "the flood of login pages failed (curl exit $?)"
expect 200 "" -b "$jar" "$U/operator"

#  Still up, nothing written by all of that
seq1=$(fugai $T status --json | sed -n 's/.*"own_seq": \([0-9]*\).*/\1/p')
[ "$seq0" = "$seq1" ] || soft_fail "hostile requests wrote $((seq1 - seq0)) entries"

#  Sessions expire: a console whose logins last 2 s (a test build's hook)
stop_node $T
start_node $T FUGAI_WEB_SESSION_MS=2000
for ((i = 0; i < 100; i++)); do curl -s -o /dev/null "$U/login" && break; sleep 0.1; done
jar5=$S/jar5
login "$jar5" clerk1 correct-horse-7
expect 200 "" -b "$jar5" "$U/operator"
sleep 2.5
expect 303 "" -b "$jar5" "$U/operator"
it_end
