#!/usr/bin/env bash
# operations_nodes: the procedures of deploy/OPERATIONS.md that replace or
# move a node, run with exactly their commands on real processes (P, C,
# townships T and U under C):
#  1. moving a server: the county hub goes to a new machine with a new
#     address (daemon stopped, `fugai backup --keys`, the directory put in
#     place there, listen/endpoint and the children's parent/endpoint
#     changed); its townships and the prefecture go on with it;
#  2. a dead county server: its disk dies after last night's `backup
#     --keys`, after which townships and the county itself wrote more;
#     the backup goes onto new hardware, `fugai restore-from-parent` gets
#     the county's own later entries back from the prefecture before it
#     starts, and its townships send theirs again: everything converges,
#     with no fork and every entry verifying; then a township restored
#     from its own backup the same way (procedure 2);
#  3. a stolen laptop: the county revokes the township, a new laptop is
#     initialised with the same org and node id, `enroll --replace`d and
#     restored from the county; it writes on, while the stolen copy (old
#     keys, running its daemon) stays refused and its writes reach nobody.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin operations_nodes 26800 190 "$@"

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
checked () {
    local org
    for org in "$@"; do
        fugai $org check > check-$org.txt 2>&1 || fail "fugai check at $org: $(head -c 1500 check-$org.txt)"
    done
}

households_csv t.csv ${T}201 30 T
fugai $T --as clerk import household t.csv > /dev/null
households_csv u.csv ${U}201 30 U
fugai $U --as clerk import household u.csv > /dev/null
wait_until "the first households are at C and P" 40 synced

note "--- 1. moving the county server to a new machine and address"
stop_node $C
fugai $C backup --keys "$S/move-$C" > move.out 2>&1 || fail "fugai backup --keys: $(cat move.out)"
[ -f "$S/move-$C/certs/node-$T_ID.cert" ] || fail "backup --keys of a hub lacks its children's certificates"
[ -f "$S/move-$C/parent.cert" ] || fail "backup --keys lacks the pinned parent certificate"
mv "$S/$C" "$S/old-machine-$C"
cp -a "$S/move-$C" "$S/$C"
alloc_port NEW_PORT
cfg_set $C listen/endpoint "tcp://127.0.0.1:$NEW_PORT"
for t in $T $U; do
    stop_node $t
    cfg_set $t parent/endpoint "tcp://127.0.0.1:$NEW_PORT"
done
start_node $C
start_node $T
start_node $U
wait_connected $C $T $U
add $T moved-1 > /dev/null
add $U moved-1 > /dev/null
wait_until "writes after the move reach C and P" 40 synced
expect_sql $P "select count(*) from household where head_name = 'moved-1'" 2 "writes after the move at P"
rm -rf "${S:?}/old-machine-$C"

note "--- 2. a dead county server, restored from last night's backup"
fugai $C backup --keys "$S/nightly-$C" > nightly.out 2>&1 || fail "nightly backup: $(cat nightly.out)"
#  After the backup: the townships write, the county itself writes (a
#  directive: an entry of its own chain), and all of it reaches P
for i in 1 2 3; do add $T "after-backup-$i" > /dev/null; add $U "after-backup-$i" > /dev/null; done
fugai $C --as admin directive issue --to $T --title "after the backup" > directive.out 2>&1 \
    || fail "directive: $(cat directive.out)"
wait_until "the writes after the backup are at C and P" 40 synced
C_SEQ=$(own_seq $C)
#  The disk dies
kill9_node $C
rm -rf "${S:?}/$C"
#  New hardware: the backup, the county's later entries from the prefecture
cp -a "$S/nightly-$C" "$S/$C"
fugai $C check > check-backup.txt 2>&1 || fail "fugai check of the backup: $(head -c 1500 check-backup.txt)"
fugai $C restore-from-parent > restore-c.out 2>&1 || fail "fugai restore-from-parent: $(cat restore-c.out)"
start_node $C
wait_connected $C $T $U
restored () {
    fugai $C status | grep -q '^RESTORING' && { echo "still restoring"; return 1; }
    synced
}
wait_until "the county has its own entries and its townships' back" 90 restored
expect_eq "the county's own seq after the restore" "$(own_seq $C)" "$C_SEQ"
expect_sql $C "select count(*) from household where head_name like 'after-backup-%'" 6 "writes after the backup at C"
expect_sql $C "select count(*) from directive where title = 'after the backup'" 1 "the county's directive back at C"
fugai $C --as admin directive issue --to $U --title "after the restore" > directive2.out 2>&1 \
    || fail "directive after the restore: $(cat directive2.out)"
wait_until "the county's new directive reaches P" 30 \
    sql_is $P "select count(*) from directive where title = 'after the restore'" 1
wait_until "the county's chain is the same at P" 30 synced
checked $C $P
for org in $C $P; do
    expect_sql $org "select count(*) from frontier where state = 'forked'" 0 "forked chains at $org"
    nothing_stuck $org || fail "entries buffered at $org"
done

#  ... and a township restored from its own backup the same way
#  (deploy/OPERATIONS.md, procedure 2)
fugai $U backup "$S/nightly-$U.db" > nightly-u.out 2>&1 || fail "township backup: $(cat nightly-u.out)"
for i in 1 2; do add $U "after-u-backup-$i" > /dev/null; done
wait_until "the township's writes after its backup are at C and P" 30 synced
U_SEQ=$(own_seq $U)
stop_node $U
rm -f "$S/$U/data.db" "$S/$U/data.db-wal" "$S/$U/data.db-shm"
cp "$S/nightly-$U.db" "$S/$U/data.db"
fugai $U check > check-u-backup.txt 2>&1 || fail "fugai check of U's backup: $(head -c 1500 check-u-backup.txt)"
fugai $U restore-from-parent > restore-u.out 2>&1 || fail "restore-from-parent at U: $(cat restore-u.out)"
start_node $U
wait_connected $U
restored_u () {
    fugai $U status | grep -q '^RESTORING' && { echo "still restoring"; return 1; }
    synced
}
wait_until "the township has its own later entries back" 60 restored_u
expect_eq "U's own seq after the restore" "$(own_seq $U)" "$U_SEQ"
L=$(add $U after-u-restore) || fail "U cannot write after the restore"
wait_until "U's write after the restore reaches P" 30 sql_is $P "select count(*) from household where id = $L" 1
wait_until "all converge after U's restore" 30 synced
expect_sql $C "select count(*) from frontier where state = 'forked'" 0 "forked chains at C after U's restore"
checked $U

note "--- 3. a stolen laptop: revoked, replaced, the stolen copy refused"
cp -a "$S/$T" "$S/stolen"
stop_node $T
fugai $C --as admin revoke $T_ID > revoke.out 2>&1 || fail "fugai revoke: $(cat revoke.out)"
rm -rf "${S:?}/$T"
"$FUGAI" init "$S/$T" --role township --org $T --name "township $T (new laptop)" --node-id $T_ID \
    --parent "tcp://127.0.0.1:$NEW_PORT" > init-new.out 2>&1 || fail "fugai init of the new laptop: $(cat init-new.out)"
fast_config $T
fugai $C --as admin enroll --replace "$S/$T/keys/node.cert" > replace.out 2>&1 \
    || fail "fugai enroll --replace: $(cat replace.out)"
fugai $T restore-from-parent "$S/$C/keys/node.cert" > restore-t.out 2>&1 \
    || fail "fugai restore-from-parent (new laptop): $(cat restore-t.out)"
start_node $T
wait_connected $T
restored_t () {
    fugai $T status | grep -q '^RESTORING' && { echo "still restoring"; return 1; }
    synced
}
wait_until "the new laptop has its township's records back" 90 restored_t
expect_sql $T "select count(*) from household where org_id = ${T}201" \
    "$(sql $P "select count(*) from household where org_id = ${T}201")" "households back on the new laptop"
L=$(add $T new-laptop-1) || fail "the new laptop cannot write"
wait_until "the new laptop's write reaches P" 30 sql_is $P "select count(*) from household where id = $L" 1
#  The thief starts the stolen copy and writes: refused at the handshake
"$FUGAI" -C "$S/stolen" --as thief add household org_id=${T}201 head_name=thief size=1 > /dev/null \
    || fail "the stolen copy cannot write locally"
"$EDGE" -v "$S/stolen" < /dev/null >> "$S/logs/stolen.log" 2>&1 7>&- 8>&- 9>&- &
echo $! >> "$S/pids"
STOLEN=$!
wait_until "the stolen copy is refused by the county" 30 grep -Eq "refuse|REVOKED" "$S/logs/stolen.log"
sleep 2
expect_sql $C "select count(*) from household where head_name = 'thief'" 0 "the thief's write at C"
expect_sql $P "select count(*) from household where head_name = 'thief'" 0 "the thief's write at P"
kill -TERM $STOLEN 2>/dev/null || true
wait $STOLEN 2>/dev/null || true
if fugai $C --as admin enroll "$S/stolen/keys/node.cert" > stolen-enroll.out 2>&1; then
    fail "a plain enroll took the stolen keys back"
fi
expect_grep "the refusal of the stolen keys" stolen-enroll.out "already held"
checked $T $C $P
for org in $C $P; do
    expect_sql $org "select count(*) from frontier where state = 'forked'" 0 "forked chains at $org"
done

it_end
