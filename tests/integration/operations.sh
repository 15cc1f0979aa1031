#!/usr/bin/env bash
# operations: procedures of deploy/OPERATIONS.md, run on real processes,
# in sequence on one tree (P, C, township T under C).
#  1. daily backup: `fugai backup` while the township's daemon writes; the
#     copy is mode 0600, passes `fugai check`, and restored in place of
#     data.db (daemon stopped) it converges again (fork recovery by
#     `fugai epoch` at the county, as for any old backup); `backup --keys`
#     says the keys are in it, plain `backup` says they are not.
#  2. revocation that sticks: after `revoke` at C a plain `enroll` of the
#     same certificate is refused; the township's log says it was revoked
#     (by whom), not "get enrolled"; `enroll --force` re-admits it and says
#     so. A second node for an org already held is refused without --force.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin operations 26500 200 "$@"

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

note "--- 1. daily backup while the daemon writes"
households_csv a.csv $V 100 A
fugai $T --as clerk import household a.csv > /dev/null
writer () {
    for i in $(seq 1 60); do
        "$FUGAI" -C "$S/$T" --as clerk add household org_id=$V head_name="w-$i" size=2 > /dev/null || exit 1
    done
}
start_bg writer writer
sleep 0.3
fugai $T backup "$S/daily.db" > backup.out 2>&1 || fail "fugai backup: $(cat backup.out)"
fugai $T backup --keys "$S/daily-keys" > backup-keys.out 2>&1 || fail "fugai backup --keys: $(cat backup-keys.out)"
#  The county's daemon writes too (it takes the writer's entries as they come)
fugai $C backup --keys "$S/county-daily" > backup-c.out 2>&1 || fail "fugai backup at C: $(cat backup-c.out)"
wait_bg writer
fugai_dir () { "$FUGAI" -C "$1" "${@:2}"; }
fugai_dir "$S/county-daily" check > check-county-backup.txt 2>&1 \
    || fail "fugai check of the county's backup: $(head -c 1500 check-county-backup.txt)"
note "county backup taken with $(sqlite3 "$S/county-daily/data.db" "select count(*) from log where origin = $T_ID") \
of the township's entries ($(count_origin $C $T_ID) once the writer ended)"
expect_grep "plain backup" backup.out "keys are NOT in it"
expect_grep "backup --keys" backup-keys.out "keys are in it"
expect_eq "mode of the backup" "$(stat -c %a "$S/daily.db")" 600
expect_eq "mode of the backup's secret key" "$(stat -c %a "$S/daily-keys/keys/sign.secret")" 600
cmp -s "$S/daily-keys/keys/sign.secret" "$S/$T/keys/sign.secret" || fail "backup --keys lacks the signing key"
[ ! -e "$S/daily.db.tmp" ] || fail "a temporary file is left next to the backup"
backup_seq=$(sqlite3 "$S/daily.db" "select max(seq) from log where origin = $T_ID")
note "backup taken at own seq $backup_seq (of $(own_seq $T) once the writer ended)"
wait_until "every write is at C and P" 60 synced

#  The disk is lost: the backup goes back in place (daemon stopped)
stop_node $T
rm -f "$S/$T/data.db" "$S/$T/data.db-wal" "$S/$T/data.db-shm"
cp "$S/daily.db" "$S/$T/data.db"
fugai $T check > check-restored.txt 2>&1 || fail "fugai check of the restored backup: $(head -c 1500 check-restored.txt)"
add after-restore > /dev/null
start_node $T
wait_until "the county sees the restored township's fork" 30 \
    sql_is $C "select count(*) from frontier where origin = $T_ID and state = 'forked'" 1
fugai $C --as admin epoch $T_ID > epoch.out || fail "fugai epoch: $(cat epoch.out)"
wait_until "the township recovers" 40 log_has $T "fork recovery done"
wait_until "the restored township converges with C and P" 60 synced
for org in $T $C $P; do
    fugai $org check > check-$org.txt 2>&1 || fail "fugai check at $org: $(head -c 1500 check-$org.txt)"
done
expect_sql $P "select count(*) from household where head_name like 'w-%'" 60 "writer's households at P"
expect_sql $P "select count(*) from household where head_name = 'after-restore'" 1 "the write after the restore at P"

note "--- 2. revocation that sticks"
fugai $C --as admin revoke $T_ID > revoke.out 2>&1 || fail "fugai revoke: $(cat revoke.out)"
wait_until "the township's log says it was revoked, and by which node" 30 \
    log_has $T "REVOKED.*revoked by its parent, node 128"
node_log $T > t-log.txt
expect_no_grep "the revoked township's log" t-log.txt "must run fugai enroll"
#  A plain enroll of the same certificate does not undo the revocation
if fugai $C --as admin enroll "$S/$T/keys/node.cert" > reenroll.out 2>&1; then
    fail "a plain enroll re-admitted the revoked key: $(cat reenroll.out)"
fi
expect_grep "the refusal of a plain enroll" reenroll.out "revoked.*--force"
expect_sql $C "select status from node where node_id = $T_ID" revoked "status of $T at C after a plain enroll"
sleep 2
L=$(add while-revoked) || fail "the revoked township cannot write locally"
sleep 3
expect_sql $C "select count(*) from household where id = $L" 0 "a write of the revoked township at C"
#  One node per org: a second township node for org $T is refused
T2DIR="$S/second-$T"
"$FUGAI" init "$T2DIR" --role township --org $T --name "second $T" --node-id 28199 --parent tcp://127.0.0.1:1 > init2.out 2>&1 \
    || fail "init of a second node: $(cat init2.out)"
if fugai $C --as admin enroll "$T2DIR/keys/node.cert" > second.out 2>&1; then
    fail "a second node for org $T was enrolled without --force"
fi
expect_grep "the refusal of a second node for one org" second.out "already has node $T_ID.*--force"
#  --force re-admits the revoked key and says what it does
fugai $C --as admin enroll --force "$S/$T/keys/node.cert" > force.out 2>&1 || fail "enroll --force: $(cat force.out)"
expect_grep "enroll --force" force.out "re-admitted node $T_ID.*revoked"
wait_until "the re-admitted township's write reaches P" 60 \
    sql_is $P "select count(*) from household where id = $L" 1

it_end
