#!/usr/bin/env bash
# key_rotation: the procedure "Key rotation" of deploy/OPERATIONS.md, run
# twice on real processes (P, C, township T under C), exactly its commands:
#   fugai -C T rekey                          (next keys, signed by the current key)
#   fugai -C C enroll --rekey T/keys.next/node.cert
#   stop T; fugai -C T rekey --switch; start T
# Rotation 1 is done with T stopped and two writes made offline after the
# county's copy, so they are signed again in the new epoch when the
# county's record arrives; rotation 2 with T's daemon running when the
# county re-enrolls it. After each: T keeps syncing, every entry of T's
# chain (old key and new) verifies at T, C and P (fugai check, fugai
# rebuild "same as"), the chains and digests are equal across the tiers,
# P learned the new key and kept the old one through C's record. Refused:
# enroll --rekey of a certificate its current key did not sign (a fresh
# node's, one with another's rekey-sig), --switch while the daemon runs,
# a write while REKEYING, a rekey of the prefecture, and a rekey of a revoked
# township (a revoked key stays refused: only --replace brings it back).
# A switch made before the county re-enrolled the keys: the township's log
# says so and names --cancel, which puts the old keys back; it syncs on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin key_rotation 26700 170 "$@"

P=513300; C=513328
T=513328100; T_ID=28100
V=${T}201
tree_up $P $C $T
start_all $P $C $T
wait_connected $C $T

synced () {
    same_entries $T_ID "" $T $C $P && digests_equal $T $T $C $P
}
add () {
    fugai $T --as clerk add household org_id=$V head_name="$1" size=3
}
checked_everywhere () {
    local org
    for org in $T $C $P; do
        fugai $org check > check-$org.txt 2>&1 || fail "fugai check at $org after $1: $(head -c 1500 check-$org.txt)"
        expect_grep "fugai check at $org" check-$org.txt " 0 problems$"
    done
}

households_csv a.csv $V 40 A
fugai $T --as clerk import household a.csv > /dev/null
for i in 1 2 3; do add "before-$i" > /dev/null; done
wait_until "the first households are at C and P" 40 synced
OLD_PK=$(sql $C "select hex(sign_pk) from node where node_id = $T_ID")

note "--- rotation 1: next keys made while the daemon runs, switched with it stopped"
fugai $T rekey > rekey.out 2>&1 || fail "fugai rekey: $(cat rekey.out)"
expect_grep "fugai rekey" rekey.out "enroll --rekey"
[ -f "$S/$T/keys.next/node.cert" ] || fail "fugai rekey wrote no keys.next/node.cert"
expect_eq "mode of the next signing key" "$(stat -c %a "$S/$T/keys.next/sign.secret")" 600
#  Running it again says the same keys wait (it makes no second set)
fugai $T rekey > rekey-again.out 2>&1 || fail "fugai rekey again: $(cat rekey-again.out)"
expect_grep "fugai rekey again" rekey-again.out "already waiting"
#  Nothing changes until the parent re-enrolls: T writes and syncs on
add while-next-waits > /dev/null
wait_until "a write made while the next keys wait reaches P" 30 synced
#  --switch is refused while the daemon runs (it holds the old keys)
if fugai $T rekey --switch > switch-running.out 2>&1; then fail "rekey --switch with the daemon running"; fi
expect_grep "the refusal of --switch" switch-running.out "daemon .*runs"

#  The parent refuses a certificate the current key did not sign
"$FUGAI" init "$S/stranger" --role township --org $T --name stranger --node-id $T_ID \
    --parent tcp://127.0.0.1:1 > stranger.out 2>&1 || fail "init stranger: $(cat stranger.out)"
if fugai $C --as admin enroll --rekey "$S/stranger/keys/node.cert" > forged1.out 2>&1; then
    fail "enroll --rekey took a certificate with no rekey signature"
fi
expect_grep "refusal of a certificate without rekey-sig" forged1.out "no rekey signature"
#  ... and one that carries T's real rekey-sig, pasted onto other keys
grep 'rekey-sig' "$S/$T/keys.next/node.cert" > sigline
awk 'FNR == NR { line = $0; next } /^metadata/ { print; print line; next } { print }' \
    sigline "$S/stranger/keys/node.cert" > forged.cert
grep -q rekey-sig forged.cert || fail "the forged certificate has no rekey-sig line"
if fugai $C --as admin enroll --rekey forged.cert > forged2.out 2>&1; then
    fail "enroll --rekey took another node's keys under T's rekey signature"
fi
expect_grep "refusal of a pasted rekey-sig" forged2.out "does not verify"
expect_sql $C "select hex(sign_pk) from node where node_id = $T_ID" "$OLD_PK" "T's key at C after the refusals"

#  A plain enroll of the next keys is refused, and names --rekey
if fugai $C --as admin enroll "$S/$T/keys.next/node.cert" > plain.out 2>&1; then
    fail "a plain enroll took the next keys"
fi
expect_grep "the refusal of a plain enroll of next keys" plain.out "already held.*enroll --rekey"
#  T goes offline and writes twice past the county's copy
stop_node $T
BASE=$(own_seq $T)
add offline-1 > /dev/null
add offline-2 > /dev/null
fugai $C --as admin enroll --rekey "$S/$T/keys.next/node.cert" > enroll-rekey.out 2>&1 \
    || fail "fugai enroll --rekey: $(cat enroll-rekey.out)"
expect_grep "enroll --rekey" enroll-rekey.out "re-enrolled node $T_ID.*epoch 1.*rekey --switch"
expect_sql $C "select epoch, epoch_base from node where node_id = $T_ID" "1|$BASE" "T's epoch at C"
expect_sql $C "select count(*) from node_key where node_id = $T_ID and hex(sign_pk) = '$OLD_PK'" 1 \
    "T's old key kept at C"
fugai $T rekey --switch > switch.out 2>&1 || fail "fugai rekey --switch: $(cat switch.out)"
expect_grep "rekey --switch" switch.out "writes wait for the parent's record"
[ -f "$S/$T/keys.old-0/sign.secret" ] || fail "the old keys are not kept in keys.old-0"
[ ! -e "$S/$T/keys.next" ] || fail "keys.next is left after the switch"
fugai $T status > status-rekeying.txt
expect_grep "status while the record is awaited" status-rekeying.txt "^REKEYING"
case $(fugai $T status --json) in *'"rekeying": true'*) ;; *) fail "status --json does not say rekeying" ;; esac
if add too-early > early.out 2>&1; then fail "a write was taken while REKEYING"; fi
expect_grep "the refusal of a write while REKEYING" early.out "next keys"
start_node $T
wait_connected $T
wait_until "T takes the county's record of its new keys" 30 log_has $T "rekey: the parent's record"
wait_until "T's offline writes, signed again, are at C and P" 40 synced
expect_sql $P "select count(*) from household where head_name like 'offline-%'" 2 "offline writes at P"
expect_sql $P "select count(distinct epoch) from log where origin = $T_ID" 2 "epochs of T's chain at P"
expect_sql $P "select min(seq) from log where origin = $T_ID and epoch = 1" $((BASE + 1)) \
    "first seq of epoch 1 at P"
expect_sql $P "select hex(sign_pk) from node where node_id = $T_ID" \
    "$(sql $T "select hex(sign_pk) from node where relation = 'self'")" "T's key at P (learned from C's record)"
expect_sql $P "select count(*) from node_key where node_id = $T_ID and hex(sign_pk) = '$OLD_PK'" 1 \
    "T's old key kept at P"
L=$(add after-rotation-1) || fail "T cannot write after the rotation"
arrived () { sql_is $P "select head_name from household where id = $L" after-rotation-1 && synced; }
wait_until "a write signed with the new key reaches P" 30 arrived
checked_everywhere "rotation 1"

note "--- rotation 2: the county re-enrolls while T's daemon runs"
MID_PK=$(sql $C "select hex(sign_pk) from node where node_id = $T_ID")
fugai $T rekey > rekey2.out 2>&1 || fail "fugai rekey (2): $(cat rekey2.out)"
add before-rotation-2 > /dev/null
wait_until "the write before rotation 2 is at P" 30 synced
before=$(date +%s)
fugai $C --as admin enroll --rekey "$S/$T/keys.next/node.cert" > enroll-rekey2.out 2>&1 \
    || fail "fugai enroll --rekey (2): $(cat enroll-rekey2.out)"
#  The running hub's CURVE store reloads certs/ only on a change of its
#  latest mtime (whole seconds), count or total size, and this certificate
#  has the size of the one it replaces: it is dated past the second of
#  any earlier look (else the new key was refused, 2 runs in 6)
[ "$(stat -c %Y "$S/$C/certs/node-$T_ID.cert")" -gt "$before" ] \
    || fail "the re-enrolled certificate is not dated past the second the store may have looked"
#  The running township is no longer taken with its current key, and its
#  log says why and what to do
wait_until "T's log says its next keys were most likely re-enrolled" 20 \
    log_has $T "re-enrolled the next keys of fugai rekey.*rekey --switch"
stop_node $T
fugai $T rekey --switch > switch2.out 2>&1 || fail "fugai rekey --switch (2): $(cat switch2.out)"
note "rotation 2, --switch said: $(grep -Eo 'record of them is here|writes wait for the parent' switch2.out)"
start_node $T
wait_connected $T
wait_until "T is in epoch 2" 30 sql_is $T "select epoch from node where relation = 'self'" 2
L=$(add after-rotation-2) || fail "T cannot write after rotation 2"
arrived2 () { sql_is $P "select head_name from household where id = $L" after-rotation-2 && synced; }
wait_until "a write signed with the third key reaches P" 30 arrived2
expect_sql $P "select count(*) from node_key where node_id = $T_ID" 2 "T's retired keys at P"
expect_sql $P "select count(*) from node_key where node_id = $T_ID and hex(sign_pk) = '$MID_PK'" 1 \
    "T's second key kept at P"
checked_everywhere "rotation 2"
for org in $T $C $P; do
    fugai $org rebuild > rebuild-$org.txt 2>&1 || fail "fugai rebuild at $org: $(head -c 1500 rebuild-$org.txt)"
    expect_grep "fugai rebuild at $org" rebuild-$org.txt "same as"
done
for org in $C $P; do
    expect_sql $org "select count(*) from quarantine" 0 "entries refused at $org"
    expect_sql $org "select count(*) from frontier where state = 'forked'" 0 "forked chains at $org"
    nothing_stuck $org || fail "entries buffered at $org"
done
fugai $T status > status-after.txt
expect_no_grep "status after the rotations" status-after.txt "REKEYING|RECOVERING|FORKED|OWN ENTRIES REFUSED"
expect_grep "status after the rotations" status-after.txt " 0 entries waiting to go up$"

note "--- a switch before the county re-enrolled the keys, cancelled"
fugai $T rekey > rekey5.out 2>&1 || fail "fugai rekey (5): $(cat rekey5.out)"
stop_node $T
fugai $T rekey --switch > switch5.out 2>&1 || fail "fugai rekey --switch (5): $(cat switch5.out)"
start_node $T
wait_until "T's log says the county has not re-enrolled its new keys" 20 \
    log_has $T "has not re-enrolled them yet.*rekey --cancel"
stop_node $T
fugai $T rekey --cancel > cancel5.out 2>&1 || fail "fugai rekey --cancel after --switch: $(cat cancel5.out)"
expect_grep "rekey --cancel after --switch" cancel5.out "old keys are back"
fugai $T status > status-cancelled.txt
expect_no_grep "status after --cancel" status-cancelled.txt "REKEYING"
start_node $T
wait_connected $T
L=$(add after-cancel) || fail "T cannot write after --cancel"
wait_until "a write after --cancel reaches P" 30 sql_is $P "select count(*) from household where id = $L" 1
checked_everywhere "the cancelled rotation"

note "--- refusals"
if fugai $P rekey > prefecture.out 2>&1; then fail "fugai rekey at the prefecture was accepted"; fi
expect_grep "the refusal of the prefecture's rekey" prefecture.out "no parent"
fugai $T rekey > rekey3.out 2>&1 || fail "fugai rekey (3): $(cat rekey3.out)"
fugai $T rekey --cancel > cancel.out 2>&1 || fail "fugai rekey --cancel: $(cat cancel.out)"
[ ! -e "$S/$T/keys.next" ] || fail "rekey --cancel left keys.next"
fugai $T rekey > rekey4.out 2>&1 || fail "fugai rekey (4): $(cat rekey4.out)"
fugai $C --as admin revoke $T_ID > revoke.out 2>&1 || fail "fugai revoke: $(cat revoke.out)"
if fugai $C --as admin enroll --rekey "$S/$T/keys.next/node.cert" > revoked-rekey.out 2>&1; then
    fail "a revoked township was re-enrolled by enroll --rekey"
fi
expect_grep "the refusal of a revoked node's rekey" revoked-rekey.out "revoked.*--replace"
expect_sql $C "select status from node where node_id = $T_ID" revoked "T's status at C"

it_end
