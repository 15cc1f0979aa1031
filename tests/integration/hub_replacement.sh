#!/usr/bin/env bash
# hub_replacement: the procedure "A dead county server, keys and all" of
# deploy/OPERATIONS.md, with exactly its commands, on real processes (P,
# county C, townships T and U). C's disk dies with its keys and there is
# no backup. New hardware is initialised with the same org and node id
# and new keys; the prefecture replaces it (enroll --replace), it restores
# its own chain from the prefecture, re-enrolls its townships' (unchanged)
# certificates, and the prefecture writes a statement of its new keys
# (fugai statement), signed by the prefecture, which each township takes
# (trust --statement: checked against the prefecture's key it already
# knows, never by hand-editing) before its daemon starts again. Then the
# townships send their logs to the new county, everything converges,
# every entry (the old county's, under its retired key, and the new one's)
# verifies at T, U, C and P, a directive of the new county reaches T.
# Then the new county rotates its keys as planned (fugai rekey, enroll
# --rekey and a statement at the prefecture, trust --statement at each
# township, rekey --switch), and all goes on in its epoch 2.
# Refused: a statement with one byte changed, one signed by another node
# (the old county's record of T), the same statement taken twice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin hub_replacement 26900 170 "$@"

P=513300; C=513328; C_ID=128
T=513328100; T_ID=28100
U=513328101; U_ID=28101
tree_up $P $C $T $U
start_all $P $C $T $U
wait_connected $C $T $U

synced () {
    same_entries $T_ID "" $T $C $P && same_entries $U_ID "" $U $C $P \
        && same_entries $C_ID "" $C $P && digests_equal $C $C $P \
        && digests_equal $T $T $C $P && digests_equal $U $U $C $P
}
add () {
    fugai "$1" --as clerk add household org_id="${1}201" head_name="$2" size=3
}
households_csv t.csv ${T}201 30 T
fugai $T --as clerk import household t.csv > /dev/null
households_csv u.csv ${U}201 30 U
fugai $U --as clerk import household u.csv > /dev/null
fugai $C --as admin directive issue --to $T --title "from the old county" > d1.out 2>&1 || fail "directive: $(cat d1.out)"
wait_until "the directive reaches T" 30 sql_is $T "select count(*) from directive where title = 'from the old county'" 1
wait_until "everything is at C and P" 40 synced
C_SEQ=$(own_seq $C)
OLD_C_PK=$(sql $P "select hex(sign_pk) from node where node_id = $C_ID")

note "--- the county's disk dies, keys and all"
kill9_node $C
rm -rf "${S:?}/$C"
"$FUGAI" init "$S/$C" --role county --org $C --name "county $C (new server)" --node-id $C_ID \
    --listen "tcp://127.0.0.1:${IT_PORT[$C]}" --parent "tcp://127.0.0.1:${IT_PORT[$P]}" > init-c.out 2>&1 \
    || fail "fugai init of the new county: $(cat init-c.out)"
fast_config $C
fugai $P --as admin enroll --replace "$S/$C/keys/node.cert" > replace.out 2>&1 \
    || fail "enroll --replace at P: $(cat replace.out)"
fugai $C restore-from-parent "$S/$P/keys/node.cert" > restore.out 2>&1 \
    || fail "restore-from-parent at the new county: $(cat restore.out)"
for t in $T $U; do
    fugai $C --as admin enroll "$S/$t/keys/node.cert" > enroll-$t.out 2>&1 \
        || fail "enroll of $t at the new county: $(cat enroll-$t.out)"
done
fugai $P statement $C_ID "$S/county-keys.stmt" > statement.out 2>&1 || fail "fugai statement: $(cat statement.out)"
expect_grep "fugai statement" statement.out "trust --statement"

note "--- refusals at a township"
#  One byte changed, in what is signed or in the signature: the
#  prefecture's signature no longer verifies
size=$(stat -c %s "$S/county-keys.stmt")
for offset in 80 $((size - 1)); do
    cp "$S/county-keys.stmt" bad.stmt
    byte=$(od -An -tu1 -j $offset -N1 bad.stmt | tr -d ' ')
    printf "\\$(printf '%03o' $(( (byte + 1) % 256 )))" | dd of=bad.stmt bs=1 seek=$offset conv=notrunc 2> /dev/null
    cmp -s bad.stmt "$S/county-keys.stmt" && fail "the byte at $offset did not change"
    if fugai $T trust --statement bad.stmt > bad.out 2>&1; then fail "a statement changed at byte $offset was taken"; fi
    expect_grep "the refusal of a statement changed at byte $offset" bad.out "signature does not verify"
done
#  An entry signed by another node (the old county's record of township
#  T, as T holds it): not the prefecture's word
sqlite3 "$S/$T/data.db" "select writefile('$S/wrong.stmt', l.entry) from op o join log l on l.origin = o.origin \
    and l.seq = o.seq where o.tbl = 'node' and o.origin = $C_ID order by l.lsn desc limit 1" > /dev/null
[ -s "$S/wrong.stmt" ] || fail "no record of the county at T to forge a statement with"
if fugai $T trust --statement "$S/wrong.stmt" > wrong.out 2>&1; then fail "a statement not by the prefecture was taken"; fi
expect_grep "the refusal of a statement by another node" wrong.out "only node 1 .* may give the parent new keys"
expect_sql $T "select hex(sign_pk) from node where relation = 'parent'" "$OLD_C_PK" "T's parent key after the refusals"

note "--- the townships take the statement"
for t in $T $U; do
    fugai $t trust --statement "$S/county-keys.stmt" > trust-$t.out 2>&1 \
        || fail "trust --statement at $t: $(cat trust-$t.out)"
    expect_grep "trust --statement at $t" trust-$t.out "under its new keys \(epoch 1\)"
done
if fugai $T trust --statement "$S/county-keys.stmt" > again.out 2>&1; then fail "the statement was taken twice"; fi
expect_grep "the refusal of the same statement again" again.out "not newer"
NEW_C_PK=$(sql $P "select hex(sign_pk) from node where node_id = $C_ID")
expect_sql $T "select hex(sign_pk) from node where relation = 'parent'" "$NEW_C_PK" "T's parent key after the statement"
expect_sql $T "select count(*) from node_key where node_id = $C_ID and hex(sign_pk) = '$OLD_C_PK'" 1 \
    "the old county key kept at T"
start_node $C
for t in $T $U; do stop_node $t; start_node $t; done
wait_connected $C $T $U
restored () {
    fugai $C status | grep -q '^RESTORING' && { echo "still restoring"; return 1; }
    synced
}
wait_until "the new county holds its own chain and its townships' logs" 90 restored
expect_eq "the county's own seq after the restore" "$(own_seq $C)" "$C_SEQ"
note "own entries refused before their key was known, cleared at the end of the restore: $(grep -o "restore: [0-9]* own entries refused" "$S/logs/$C.log" | head -1)"
expect_sql $C "select count(*) from household" 60 "households at the new county"
fugai $C --as admin directive issue --to $T --title "from the new county" > d2.out 2>&1 \
    || fail "directive of the new county: $(cat d2.out)"
wait_until "the new county's directive reaches T" 30 \
    sql_is $T "select count(*) from directive where title = 'from the new county'" 1
L=$(add $T after-new-county) || fail "T cannot write"
wait_until "T's write reaches P through the new county" 30 sql_is $P "select count(*) from household where id = $L" 1
wait_until "all converge" 30 synced
expect_sql $P "select count(distinct epoch) from log where origin = $C_ID" 2 "epochs of the county's chain at P"

note "--- a planned key rotation of the (new) county"
fugai $C rekey > c-rekey.out 2>&1 || fail "fugai rekey at the county: $(cat c-rekey.out)"
expect_grep "fugai rekey at a county" c-rekey.out "statement $C_ID FILE"
fugai $P --as admin enroll --rekey "$S/$C/keys.next/node.cert" > c-enroll.out 2>&1 \
    || fail "enroll --rekey of the county: $(cat c-enroll.out)"
fugai $P statement $C_ID "$S/county-keys-2.stmt" > statement2.out 2>&1 || fail "fugai statement (2): $(cat statement2.out)"
for t in $T $U; do
    fugai $t trust --statement "$S/county-keys-2.stmt" > trust2-$t.out 2>&1 \
        || fail "trust --statement (2) at $t: $(cat trust2-$t.out)"
done
stop_node $C
fugai $C rekey --switch > c-switch.out 2>&1 || fail "rekey --switch at the county: $(cat c-switch.out)"
start_node $C
for t in $T $U; do stop_node $t; start_node $t; done
wait_connected $C $T $U
wait_until "the county is in epoch 2" 30 sql_is $C "select epoch from node where relation = 'self'" 2
fugai $C --as admin directive issue --to $U --title "from the rotated county" > d3.out 2>&1 \
    || fail "directive of the rotated county: $(cat d3.out)"
wait_until "the rotated county's directive reaches U" 30 \
    sql_is $U "select count(*) from directive where title = 'from the rotated county'" 1
L=$(add $U after-rotation) || fail "U cannot write"
wait_until "U's write reaches P through the rotated county" 30 sql_is $P "select count(*) from household where id = $L" 1
wait_until "all converge after the rotation" 30 synced
expect_sql $P "select count(distinct epoch) from log where origin = $C_ID" 3 "epochs of the county's chain at P"
expect_sql $U "select count(*) from node_key where node_id = $C_ID" 2 "the county's retired keys at U"

for org in $T $U $C $P; do
    fugai $org check > check-$org.txt 2>&1 || fail "fugai check at $org: $(head -c 1500 check-$org.txt)"
done
for org in $T $U $C $P; do
    expect_sql $org "select count(*) from quarantine" 0 "entries refused at $org"
    expect_sql $org "select count(*) from frontier where state = 'forked'" 0 "forked chains at $org"
    nothing_stuck $org || fail "entries buffered at $org"
done

it_end
