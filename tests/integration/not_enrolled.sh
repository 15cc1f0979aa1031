#!/usr/bin/env bash
# not_enrolled: only enrolled keys get in, and only to the parent they trust.
#  1. township 513328101 trusts its county but is not enrolled there: the
#     hub's zauth denies its key (ZAP 400 in the hub's log), the edge logs
#     the refusal, never shows "connected", its data never arrives;
#  2. township 513328102 is enrolled but pins the wrong parent key (a second
#     node claiming county 513328, made elsewhere): it never connects, the
#     hub never admits its key; trusting a county of another org is refused
#     outright (exit 1);
#  3. fugai revoke 28100 on the running hub: the open session is refused at
#     its next message (the hub's log says which key and why), a restarted
#     edge is denied at the handshake, writes made after the revocation
#     never arrive, status marks the child [REVOKED];
#  4. the not-enrolled township of 1 is enrolled while everything runs: it
#     must then get in and deliver its writes (so 1 did not pass because
#     the set-up was broken), and refused edges must stop on SIGTERM.
. "$(dirname "$0")/lib.sh"
it_begin not_enrolled 21300 150 "$@"

R=513328100        # enrolled, later revoked
R_ID=28100
N=513328101        # not enrolled (until part 4)
N_ID=28101
W=513328102        # enrolled, trusts the wrong key
W_ID=28102
C=513328

tree_up 513300 $C 513321 $R
init_node $N
fugai $N trust "$S/$C/keys/node.cert" > /dev/null
init_node $W
fugai $C enroll "$S/$W/keys/node.cert" > /dev/null
#  A second node claiming county 513328 (another key), never run
mkdir rogue
"$FUGAI" init rogue/$C --role county --org $C --name "rogue county" \
    --listen tcp://127.0.0.1:9 --parent tcp://127.0.0.1:9 > /dev/null
#  Trusting a county that does not contain the township is refused
rc=0
out=$(fugai $W trust "$S/513321/keys/node.cert" 2>&1) || rc=$?
expect_eq "exit code of trusting another org's county at $W" "$rc" 1
case $out in
    *"513321"*"$W"*) ;;
    *) fail "trusting county 513321 at $W: the message does not name the orgs: $out" ;;
esac
expect_sql $W "select count(*) from node where relation = 'parent'" 0 "parents pinned at $W after a refused trust"
fugai $W trust "$S/rogue/$C/keys/node.cert" > /dev/null

for org in $R $N $W; do
    fugai $org --as clerk add household org_id=${org}201 head_name=Early size=1 > /dev/null
done

start_all 513300 $C $R $N $W
wait_connected $C $R
R_KEY=$(curve_key $R)
N_KEY=$(curve_key $N)
W_KEY=$(curve_key $W)

#  While waiting below, the link state fugai status shows at N and W is
#  sampled: it must never be "connected"
: > states.txt
sample () {
    echo "$N $(link_state $N) | $W $(link_state $W)" >> states.txt
    "$@"
}

#  --- 1. not enrolled
wait_until "the county's zauth denies the key of $N (ZAP 400)" 20 \
    sample log_has_text $C "denied (CURVE) client_key=$N_KEY"
#  (zauth logs "denied" and then, as it answers, the ZAP reply)
wait_until "the county's zauth logs its ZAP 400 reply" 10 log_has $C "ZAP reply status_code=400"
wait_until "the edge $N logs that its key was refused" 20 \
    sample log_has $N "refused this node's key|not enrolled"

#  --- 2. the wrong parent key; W retrying 3 times also gives N the time it
#  would have needed to get in (an enrolled edge connects within a second)
wait_until "the edge $W has sent HELLO 3 times" 40 \
    sample eval '[ "$(node_log $W | grep -c "HELLO to")" -ge 3 ]'
log_has $W "handshake|no answer" || fail "the edge $W logs nothing about its failed handshake"

never_connected () {
    local org=$1 id=$2 key=$3
    log_has $org "sync: connected to parent" && fail "$org connected: $(node_log $org | grep 'connected to parent')"
    log_has $C "sync: child $id \(" && fail "the county opened a session for $org"
    log_has_text $C "allowed (CURVE) client_key=$key" && fail "the county's zauth admitted the key of $org"
    grep -q "^$org connected \|| $org connected$" states.txt && fail "fugai status at $org showed the link connected"
    [ "$(link_state $org)" != connected ] || fail "fugai status at $org shows the link connected"
    expect_sql $C "select count(*) from log where origin = $id" 0 "entries of $org at the county"
    expect_sql $C "select count(*) from household where org_id / 1000 = $org" 0 "households of $org at the county"
    expect_sql 513300 "select count(*) from log where origin = $id" 0 "entries of $org at the prefecture"
}
#  At least 20 samples, however fast the waits above went (on a loaded
#  machine each sample is slower, and fewer fit in the waits)
while [ "$(wc -l < states.txt)" -lt 20 ]; do sample sleep 0.2; done
never_connected $N $N_ID "$N_KEY"
never_connected $W $W_ID "$W_KEY"
note "$N and $W stayed out; status at $N: $(link_state $N), at $W: $(link_state $W)"

#  --- 3. revocation while running
wait_until "the household of $R is at the county" 10 \
    sql_is $C "select count(*) from household where org_id / 1000 = $R" 1
before=$(count_origin $C $R_ID)
fugai $C revoke $R_ID > revoke.out
[ ! -e "$S/$C/certs/node-$R_ID.cert" ] || fail "revoke left the certificate in certs/"
fugai $R --as clerk add household org_id=${R}202 head_name=AfterRevoke size=3 > /dev/null
wait_until "the county refuses the open session of $R (revoked)" 20 \
    log_has_text $C "from key $R_KEY: not an enrolled, active child"
wait_until "the edge $R is told it was refused" 20 log_has $R "parent refused"
#  A new connection is denied at the handshake
denials=$(log_count_text $C "denied (CURVE) client_key=$R_KEY")
stop_node $R
start_node $R
wait_until "the county's zauth denies the revoked key at a new connection" 30 \
    eval '[ "$(log_count_text $C "denied (CURVE) client_key=$R_KEY")" -gt $denials ]'
log_has $R "sync: connected to parent" && fail "the revoked edge connected again"
expect_eq "entries of $R at the county after the revocation" "$(count_origin $C $R_ID)" "$before"
expect_sql $C "select count(*) from household where head_name = 'AfterRevoke'" 0 \
    "write made after the revocation, at the county"
expect_sql $C "select status from node where node_id = $R_ID" revoked "node $R_ID at the county"
case $(fugai $C status) in
    *"child $R_ID"*"[REVOKED]"*) ;;
    *) fail "fugai status at the county does not mark $R_ID revoked: $(fugai $C status)" ;;
esac

#  --- 4. positive control: N enrolled while everything runs gets in
fugai $C enroll "$S/$N/keys/node.cert" > /dev/null
fugai $N --as clerk add household org_id=${N}202 head_name=Later size=2 > /dev/null
if wait_for 25 connected $N; then
    wait_until "the writes of $N reach the prefecture" 20 \
        sql_is 513300 "select count(*) from household where org_id / 1000 = $N" 2
    wait_until "fugai status at $N shows the link connected" 10 eval '[ "$(link_state $N)" = connected ]'
else
    soft_fail "$N, enrolled while its edge and the hub run, did not connect within 25 s" \
        "(after the first ZAP denial; \"HELLO to\" lines in its log: $(node_log $N | grep -c "HELLO to" || true))"
fi
#  Every edge, refused or not, stops on SIGTERM
stop_node $N --soft
stop_node $R --soft
stop_node $W --soft

it_end
