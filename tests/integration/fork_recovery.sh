#!/usr/bin/env bash
# fork_recovery: a township restored from an old backup. Its node
# directory is copied aside with the daemon stopped (a real backup); the
# township then writes more records, which reach C and P; its disk dies
# and the old copy is put back; the clerks write two more records (a
# household and a visit of it) before the daemon starts, so the restored
# node signs new entries with seqs (and ids) it already used. The county
# must see the fork (quarantine reason fork, FORK in its log, FORKED
# chains in fugai status) and stop the chain; after fugai epoch 28100 at
# the county, the edge recovers by itself (its log: fork recovery done;
# forked_own rows marked re-signed). Nothing is lost: at C and P every
# record written after the backup and the two written after the restore
# are there once, with distinct ids, the visit points at its household,
# the digest of the township is the same at T, C and P, new writes keep
# arriving; the prefecture never held an entry of the forked branch.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin fork_recovery 23300 75 "$@"

P=513300; C=513328; C_ID=128
T=513328100; T_ID=28100
V=${T}201
tree_up $P $C $T
start_all $P $C $T
wait_connected $C $T
CADRE=$(fugai $C --as hr add cadre name=Gonpo org_id=$C)

synced () {
    same_entries $T_ID "" $T $C $P && digests_equal $T $T $C $P
}
#  --- Before the backup
for i in 1 2 3; do
    fugai $T --as clerk add household org_id=$V head_name=pre-$i size=$i > /dev/null
done
wait_until "the first households are at C and P" 30 synced

#  --- The backup: daemon stopped, the node directory copied as it is
stop_node $T
cp -a "$S/$T" "$S/backup-$T"
backup_seq=$(own_seq $T)
note "backup of $T taken at seq $backup_seq"

#  --- After the backup: more records, synced up
start_node $T
wait_connected $T
declare -A AFTER_ID=()
for i in 1 2 3 4; do
    AFTER_ID[$i]=$(fugai $T --as clerk add household org_id=$V head_name=after-$i size=$((i + 3)))
done
fugai $T --as clerk add visit cadre_id="$CADRE" target_kind=household target_id="${AFTER_ID[1]}" \
    kind=pairing occurred_on=2026-11-01 org_id=$V notes=after-visit > /dev/null
wait_until "the records written after the backup are at C and P" 30 synced
after_seq=$(own_seq $T)
stop_node $T

#  --- The disk dies; the backup is put back; the clerks go on writing
rm -rf "$S/$T"
cp -a "$S/backup-$T" "$S/$T"
expect_eq "own seq of the restored node" "$(own_seq $T)" "$backup_seq"
X=$(fugai $T --as clerk add household org_id=$V head_name=restored-1 size=2)
XV=$(fugai $T --as clerk add visit cadre_id="$CADRE" target_kind=household target_id="$X" \
     kind=pairing occurred_on=2026-11-20 org_id=$V notes=restored-visit)
#  The restored node reuses seqs and ids the county already holds
expect_eq "seq of the first write after the restore" "$(own_seq $T)" "$((backup_seq + 2))"
expect_eq "id of the restored node's household (the counter went back with the backup)" "$X" "${AFTER_ID[1]}"
fork_hashes=$(sql $T "select hex(hash) from log where origin = $T_ID and seq > $backup_seq order by seq")

#  --- The edge starts: the county sees the fork
start_node $T
wait_connected $T
forked () {
    sql_is $C "select count(*) > 0 from quarantine where origin = $T_ID and reason = 'fork'" 1
}
#  The edge's log is not what the county's cursor assumed (its chain is
#  behind the county's copy at HELLO): the county asks for the whole log
#  again, and the resent entries show the fork at its exact seq
wait_until "the county quarantines a fork of $T" 15 forked
log_has_all $C "chain differs from ours" || fail "the county's log does not say the chain differs at HELLO"
log_has_all $C "FORK: node $T_ID signed two different entries with seq" || fail "the county's log does not say FORK"
fugai $C status > status-C-forked.txt
expect_grep "fugai status at the county" status-C-forked.txt "^FORKED chains: 1 "
#  The forked entries are refused, never applied: the county's copy of the
#  township still holds the true chain
expect_sql $C "select count(*) from household where head_name = 'restored-1'" 0 "restored-1 at the county before the epoch"
expect_sql $C "select max(seq) from log where origin = $T_ID" "$after_seq" "the county's chain of $T before the epoch"

#  --- The county starts a new epoch; the edge recovers by itself
fugai $C --as admin epoch $T_ID > epoch.out || fail "fugai epoch at the county: $(cat epoch.out)"
recovered () {
    log_has $T "fork recovery done"
}
wait_until "the edge recovers from the fork" 30 recovered
log_has $T "fork recovery done: 2 set-aside entries signed again" \
    || fail "the edge did not sign its 2 set-aside entries again: $(node_log $T | grep 'fork recovery')"
#  (the edge logs "fork recovery done" inside the transaction that re-signs,
#  before its commit: wait for the commit rather than read once)
wait_until "forked_own at $T holds the 2 set-aside entries, marked re-signed" 10 \
    sql_is $T "select count(*), count(resigned_seq) from forked_own" "2|2"

converged () {
    same_entries $T_ID "" $T $C $P && digests_equal $T $T $C $P \
        && sql_is $P "select count(*) from household where head_name = 'restored-1'" 1
}
wait_until "T, C and P hold the same chain of $T after the recovery" 30 converged

#  --- Nothing lost, nothing twice
names="after-1 after-2 after-3 after-4 pre-1 pre-2 pre-3 restored-1"
for org in $T $C $P; do
    expect_sql $org "select group_concat(head_name, ' ') from (select head_name from household
                     where org_id = $V order by head_name)" "$names" "households of $T at $org"
    expect_sql $org "select count(distinct id) from household where org_id = $V" 8 "distinct household ids at $org"
    #  The visits point at the right households (the restored one under its new id)
    expect_sql $org "select v.notes, h.head_name from visit v join household h on h.id = v.target_id
                     where v.org_id = $V order by v.notes" "after-visit|after-1
restored-visit|restored-1" "visits joined to their households at $org"
    expect_sql $org "select count(distinct id) from visit where org_id = $V" 2 "distinct visit ids at $org"
    expect_sql $org "select count(*) from household where id = ${AFTER_ID[1]} and head_name = 'after-1'" 1 \
        "the id ${AFTER_ID[1]} keeps its first record (after-1) at $org"
done
new_x=$(sql $P "select id from household where head_name = 'restored-1'")
[ "$new_x" != "$X" ] || fail "the restored household kept its clashing id $X"
expect_digests_equal $T $T $C $P

#  --- The prefecture never held an entry of the forked branch
for h in $fork_hashes; do
    expect_sql $P "select count(*) from log where hex(hash) = '$h'" 0 "forked entry $h in the prefecture's log"
    expect_sql $P "select count(*) from quarantine where hex(hash) = '$h'" 0 "forked entry $h in the prefecture's quarantine"
done
expect_sql $P "select count(*) from log where origin = $T_ID and epoch = 0 and seq > $after_seq" 0 \
    "entries of $T's old epoch past the county's base at the prefecture"

#  --- New writes keep arriving
L=$(fugai $T --as clerk add household org_id=$V head_name=later-1 size=3)
arrived () {
    sql_is $P "select head_name from household where id = $L" later-1 && synced
}
wait_until "a new write of $T reaches C and P" 30 arrived
fugai $C status > status-C-after.txt
expect_no_grep "fugai status at the county after the recovery" status-C-after.txt "^FORKED"
for org in $C $P; do
    nothing_stuck $org || fail "entries buffered at $org"
done

it_end
