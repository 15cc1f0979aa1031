#!/usr/bin/env bash
# restore_from_parent: a township whose disk died, with no backup, gets its
# own records back from its county. Township 513328100 holds a few hundred
# households, written in two epochs (it was restored from an old backup
# once and recovered through `fugai epoch`), all synced to C and P. Its
# node directory is then wiped, keeping keys/ and fugai.cfg; `fugai
# restore-from-parent PARENT_CERT` makes a new replica, and the daemon gets
# back its scope and its own chain (every epoch) from the county, many
# repair batches long (the county's batches are small), not one batch per
# connection. Every household is back, the digest of the township is the
# same at T, C and P, the own chain is the county's (same seq, same hashes),
# writes are refused while it restores and continue the chain after (no
# fork): a new write reaches the prefecture. Then the disk dies again,
# keys and all: a replacement node (fugai init, same org and node id, new
# keys) is enrolled by the county with `enroll --replace`, restores the
# same way, and writes on in a new epoch under its new keys, its old
# entries still verified with the old key at T, C and P (fugai check).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin restore_from_parent 24700 200 "$@"

P=513300; C=513328
T=513328100; T_ID=28100
V=${T}201
tree_up $P $C $T
#  Small batches: the township's chain comes back in many repair batches
cfg_set $C sync/batch_bytes 8192
start_all $P $C $T
wait_connected $C $T

synced () {
    same_entries $T_ID "" $T $C $P && digests_equal $T $T $C $P
}
add () {
    fugai $T --as clerk add household org_id=$V head_name="$1" size=3
}

#  --- Epoch 0: households, a backup, more households
households_csv a.csv $V 150 A
fugai $T --as clerk import household a.csv > /dev/null
for i in $(seq 1 20); do add "single-$i" > /dev/null; done
wait_until "the first households are at C and P" 40 synced
stop_node $T
cp -a "$S/$T" "$S/backup-$T"
start_node $T
wait_connected $T
for i in 1 2 3; do add "after-$i" > /dev/null; done
wait_until "the households written after the backup are at C and P" 40 synced
stop_node $T

#  --- A restore from the old backup, a fork, and epoch 1
rm -rf "${S:?}/$T"
cp -a "$S/backup-$T" "$S/$T"
add restored-1 > /dev/null
start_node $T
wait_until "the county sees the fork" 30 \
    sql_is $C "select count(*) from frontier where origin = $T_ID and state = 'forked'" 1
fugai $C --as admin epoch $T_ID > epoch.out || fail "fugai epoch: $(cat epoch.out)"
wait_until "the township recovers in epoch 1" 30 log_has $T "fork recovery done"
households_csv b.csv $V 150 B
fugai $T --as clerk import household b.csv > /dev/null
for i in $(seq 1 10); do add "epoch1-$i" > /dev/null; done
wait_until "every household is at C and P" 60 synced
expect_sql $P "select count(distinct epoch) from log where origin = $T_ID" 2 "epochs of $T's chain at P"

HOUSEHOLDS=$(sql $C "select count(*) from household where org_id = $V")
[ "$HOUSEHOLDS" -ge 330 ] || fail "only $HOUSEHOLDS households at C"
DIGEST=$(digest $C $T)
CHAIN=$(entries_of $C $T_ID)
OWN_SEQ=$(sql $C "select max(seq) from log where origin = $T_ID")
note "$T holds $HOUSEHOLDS households, own chain at seq $OWN_SEQ"

#  --- The disk dies: no backup; keys/ and fugai.cfg were kept apart
stop_node $T
mkdir "$S/kept"
cp -a "$S/$T/keys" "$S/$T/fugai.cfg" "$S/kept/"
rm -rf "${S:?}/$T"
mkdir "$S/$T"
cp -a "$S/kept/keys" "$S/kept/fugai.cfg" "$S/$T/"
fugai $T restore-from-parent "$S/$C/keys/node.cert" > restore.out \
    || fail "fugai restore-from-parent: $(cat restore.out)"
fugai $T status > status-restoring.txt
expect_grep "status before the daemon starts" status-restoring.txt "^RESTORING"
#  A write now would reuse the seqs of the chain coming back: refused
if add too-early > early.out 2>&1; then fail "a write was accepted while restoring"; fi
expect_grep "the refusal of a write while restoring" early.out "restore-from-parent"

start_node $T
wait_connected $T
restored () {
    fugai $T status | grep -q '^RESTORING' && { echo "still restoring"; return 1; }
    synced
}
wait_until "$T has its own chain and every household back" 90 restored
expect_eq "the own chain of $T (seq epoch hash) at $T" "$(entries_of $T $T_ID)" "$CHAIN"
expect_sql $T "select count(*) from household where org_id = $V" "$HOUSEHOLDS" "households back at $T"
expect_eq "digest of $T at $T" "$(digest $T $T)" "$DIGEST"
expect_digests_equal $T $T $C $P
repairs=$(node_log $T | grep -c "sync: from 128: [1-9][0-9]* applied" || true)
note "restore: $(sql $T "select count(*) from log where origin = $T_ID") own entries back; \
$repairs batches with entries from the county"
log_has $T "restore from the parent done" || fail "the township's log does not say the restore is done"

#  --- The chain goes on: no fork, the new write reaches the prefecture
L=$(add later-1) || fail "$T cannot write after the restore"
expect_eq "seq of the first write after the restore" "$(own_seq $T)" "$((OWN_SEQ + 1))"
arrived () {
    sql_is $P "select head_name from household where id = $L" later-1 && synced
}
wait_until "the new write reaches C and P" 30 arrived
for org in $C $P; do
    expect_sql $org "select count(*) from quarantine where reason != 'fork'" 0 "entries refused at $org"
    expect_sql $org "select count(*) from frontier where state = 'forked'" 0 "forked chains at $org"
    nothing_stuck $org || fail "entries buffered at $org"
done
fugai $T status > status-after.txt
expect_no_grep "status after the restore" status-after.txt "RESTORING|RECOVERING|FORKED"
expect_grep "status after the restore" status-after.txt " 0 entries waiting to go up$"

#  === Variant 2: the disk dies again, keys and all: a replacement node
#  with new keys, the same node id and org, enrolled by the county with
#  --replace; its chain goes on in a new epoch under the new keys, and the
#  old key still verifies the old entries (at T, C and P)
for i in 1 2 3; do add "before-replace-$i" > /dev/null; done
wait_until "the last households are at C and P" 30 synced
HOUSEHOLDS=$(sql $C "select count(*) from household where org_id = $V")
DIGEST=$(digest $C $T)
CHAIN=$(entries_of $C $T_ID)
OWN_SEQ=$(sql $C "select max(seq) from log where origin = $T_ID")
EPOCH=$(sql $C "select epoch from node where node_id = $T_ID")
stop_node $T
rm -rf "${S:?}/$T"
init_node $T "township $T (replacement)"
expect_eq "node id of the replacement" "$(node_id $T)" $T_ID
#  The id is held by the old keys: a plain enroll is refused, and says how
if fugai $C enroll "$S/$T/keys/node.cert" > enroll.out 2>&1; then fail "enroll of a held id accepted"; fi
expect_grep "the refusal of a plain enroll" enroll.out "already held.*--replace"
fugai $C --as admin enroll --replace "$S/$T/keys/node.cert" > replace.out 2>&1 \
    || fail "fugai enroll --replace: $(cat replace.out)"
expect_sql $C "select epoch, epoch_base from node where node_id = $T_ID" "$((EPOCH + 1))|$OWN_SEQ" \
    "epoch of $T at C after the replacement"
fugai $T restore-from-parent "$S/$C/keys/node.cert" > restore2.out \
    || fail "fugai restore-from-parent (replacement): $(cat restore2.out)"
start_node $T
wait_connected $T
wait_until "the replacement has its own chain and every household back" 90 restored
expect_eq "the own chain of $T (seq epoch hash) at the replacement" "$(entries_of $T $T_ID)" "$CHAIN"
expect_sql $T "select count(*) from household where org_id = $V" "$HOUSEHOLDS" "households back at the replacement"
expect_eq "digest of $T at the replacement" "$(digest $T $T)" "$DIGEST"
expect_digests_equal $T $T $C $P
wait_until "the replacement is in its new epoch" 20 \
    sql_is $T "select epoch from node where node_id = $T_ID and relation = 'self'" $((EPOCH + 1))
L2=$(add after-replace-1) || fail "the replacement cannot write"
expect_eq "seq of the replacement's first write" "$(own_seq $T)" "$((OWN_SEQ + 1))"
arrived2 () {
    sql_is $P "select head_name from household where id = $L2" after-replace-1 && synced
}
wait_until "the replacement's first write reaches C and P" 30 arrived2
expect_sql $P "select epoch from log where origin = $T_ID and seq = $((OWN_SEQ + 1))" $((EPOCH + 1)) \
    "epoch of the replacement's first entry at P"
#  The old entries still verify, with the old key, everywhere
for org in $T $C $P; do
    fugai $org check > check-$org.txt 2>&1 || fail "fugai check at $org: $(head -c 1500 check-$org.txt)"
done
#  ... and a replay verifies them the same way
for org in $T $P; do
    fugai $org rebuild > rebuild-$org.txt 2>&1 || fail "fugai rebuild at $org: $(head -c 1500 rebuild-$org.txt)"
    expect_grep "fugai rebuild at $org" rebuild-$org.txt "same as"
done
for org in $C $P; do
    expect_sql $org "select count(*) from quarantine where reason != 'fork'" 0 "entries refused at $org"
    nothing_stuck $org || fail "entries buffered at $org"
done
fugai $T status > status-replaced.txt
expect_no_grep "status of the replacement" status-replaced.txt "RESTORING|RECOVERING|FORKED"

it_end
