#!/usr/bin/env bash
# damaged_log: verify before you trust. A township writes records, they
# sync up to its county and the prefecture; with the daemons stopped, log
# cells at the county are damaged with sqlite3 (a flipped payload byte in
# one entry, another hash on a second):
#  - fugai rebuild at the county exits non-zero, names both entries
#    (origin/seq) and says what to do; the county's digest and its rows are
#    unchanged (before the fix it replayed and dropped rows silently);
#  - fugai check at the county reports them too;
#  - the cells restored, the rebuild succeeds with the same digest.
# Then the daemons' start-up checks:
#  - fugai-hub on a replica that cannot be written (chattr +i data.db:
#    root ignores file modes, not the immutable attribute; else a
#    read-only bind mount in a private mount namespace) exits 2 at once
#    with a clear message, instead of running and storing nothing;
#  - fugai-hub on a replica that fails PRAGMA quick_check (an index page
#    emptied behind SQLite's back) exits 2 with a clear message.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin damaged_log 24000 80 "$@"

P=513300; C=513328; T=513328100; T_ID=28100
tree_up $P $C $T
start_all $P $C $T
wait_connected $C $T
for i in $(seq 8); do
    fugai $T --as clerk add household org_id=${T}201 head_name=Dmg-$i size=$i > /dev/null
done
caught_up () {   # ORG: holds every entry of the township
    sql_is "$1" "select count(*) from log where origin = $T_ID" "$(count_origin $T $T_ID)"
}
wait_until "the county and the prefecture hold the township's entries" 30 eval 'caught_up $C && caught_up $P'
expect_sql $C "select count(*) from household where head_name like 'Dmg-%'" 8 "records at the county"
stop_all

before=$(fugai $C digest)
rows_before=$(sql $C "select count(*) from household")
log_before=$(sql $C "select count(*), sum(length(entry)) from log")
#  Two entries of the township carrying households, damaged two ways
S1=$(sql $C "select seq from log where origin = $T_ID order by seq desc limit 1 offset 5")
S2=$(sql $C "select seq from log where origin = $T_ID order by seq desc limit 1 offset 2")
[ -n "$S1" ] && [ -n "$S2" ] || fail "the county holds too few entries of $T_ID"
byte=$(sql $C "select hex(substr(entry, 81, 1)) from log where origin = $T_ID and seq = $S1")
flip=5A; [ "$byte" = 5A ] && flip=A5
sql $C "update log set entry = cast(substr(entry, 1, 80) || x'$flip' || substr(entry, 82) as blob)
        where origin = $T_ID and seq = $S1" > /dev/null
sql $C "update log set hash = zeroblob(32) where origin = $T_ID and seq = $S2"
expect_sql $C "select count(*), sum(length(entry)) from log" "$log_before" "log rows and sizes after the damage"

rc=0
fugai $C --as admin rebuild > rebuild.out 2> rebuild.err || rc=$?
[ $rc != 0 ] || fail "fugai rebuild on a damaged log exited 0: $(cat rebuild.out rebuild.err)"
for name in "$T_ID/$S1" "$T_ID/$S2" "backup" "fugai resync"; do
    grep -q -- "$name" rebuild.err || fail "fugai rebuild's error does not say '$name': $(cat rebuild.err)"
done
note "fugai rebuild refused (exit $rc): $(head -c 400 rebuild.err)"
expect_eq "digest at the county after the refused rebuild" "$(fugai $C digest)" "$before"
expect_sql $C "select count(*) from household" "$rows_before" "rows at the county after the refused rebuild"
rc=0
fugai $C check > check.out 2>&1 || rc=$?
[ $rc != 0 ] || fail "fugai check on a damaged log exited 0: $(cat check.out)"
grep -q "$T_ID/$S1" check.out || fail "fugai check does not name $T_ID/$S1: $(cat check.out)"

#  Undone (the byte back, the hash from the prefecture's copy): the
#  rebuild takes it, with the same digest
sql $C "update log set entry = cast(substr(entry, 1, 80) || x'$byte' || substr(entry, 82) as blob)
        where origin = $T_ID and seq = $S1"
sql $C "update log set hash = x'$(sql $P "select hex(hash) from log where origin = $T_ID and seq = $S2")'
        where origin = $T_ID and seq = $S2"
fugai $C --as admin rebuild > rebuild2.out 2> rebuild2.err || fail "fugai rebuild of the repaired log: $(cat rebuild2.err)"
expect_grep "fugai rebuild of the repaired log" rebuild2.out "^rebuilt [0-9]+ rows, digest ${before%% *} \(same as before\)$"

#  --- A replica that cannot be written: the hub stops at start, exit 2
hub_refuses () {   # WHAT EXPECTED_TEXT COMMAND...: runs the hub, which must exit 2 at once
    local what=$1 text=$2 rc=0
    shift 2
    timeout 20 "$@" > "hub-$what.out" 2>&1 || rc=$?
    [ $rc = 2 ] || { echo "fugai-hub on $what: exit $rc, expected 2: $(tail -n 5 "hub-$what.out")"; return 1; }
    grep -q -- "$text" "hub-$what.out" \
        || { echo "fugai-hub on $what does not say '$text': $(cat "hub-$what.out")"; return 1; }
    note "fugai-hub on $what: $(grep -m1 -- "$text" "hub-$what.out" | head -c 300)"
}
if chattr +i "$S/$C/data.db" 2>/dev/null; then
    out=0
    why=$(hub_refuses immutable "cannot be written" "$HUB" "$S/$C") || out=1
    chattr -i "$S/$C/data.db"
    [ $out = 0 ] || fail "$why"
elif unshare -m true 2>/dev/null; then
    why=$(hub_refuses read-only-mount "cannot be written" unshare -m sh -c \
        'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && exec "$2" "$1"' sh "$S/$C" "$HUB") \
        || fail "$why"
else
    echo "SKIPPED [$IT_NAME]: neither chattr +i nor a private read-only mount works here" >&7
    it_end
    trap - EXIT
    exit 77
fi
#  ... and the same file, writable again, starts
start_node $C
wait_until "the county hub runs again on its replica" 20 log_has_text $C "replica $S/$C/data.db"
stop_node $C

#  --- After a stop that was not clean (kill -9, a power cut) the daemon
#  checks the whole file (integrity_check), after a clean one only its
#  structure (quick_check)
start_node $C
wait_until "the county hub runs" 20 log_has_text $C "replica $S/$C/data.db"
kill9_node $C
start_node $C
wait_until "the county hub runs after kill -9" 20 log_has_text $C "replica $S/$C/data.db"
log_has $C "did not stop cleanly" || fail "after kill -9 the hub did not say it checks the whole replica"
log_has $C "passes integrity_check" || fail "after kill -9 the hub did not run integrity_check"
stop_node $C
start_node $C
wait_until "the county hub runs after a clean stop" 20 log_has_text $C "replica $S/$C/data.db"
! log_has $C "did not stop cleanly" || fail "after a clean stop the hub says the last one was not clean"
stop_node $C
note "after kill -9: $(grep -o 'passes integrity_check ([0-9.]* s)' "$S/logs/$C.log" | tail -1); after a clean stop: quick_check only"

#  --- A replica that fails PRAGMA quick_check: the hub stops at start
#  (the root page of the index of log (origin, seq) overwritten with
#  garbage behind SQLite's back, as a bad disk would)
sqlite3 "$S/$C/data.db" "pragma wal_checkpoint(truncate)" > /dev/null
page=$(sql $C "select rootpage from sqlite_master where type = 'index' and tbl_name = 'log' limit 1")
size=$(sql $C "pragma page_size")
[ -n "$page" ] && [ "$page" -gt 1 ] || fail "no index on log to damage"
head -c 64 /dev/zero | tr '\0' '\377' | dd of="$S/$C/data.db" bs=1 seek=$(( (page - 1) * size )) conv=notrunc status=none
sqlite3 "$S/$C/data.db" "pragma quick_check" > qc.out 2>&1 || true
grep -qx ok qc.out && fail "the damage did not make quick_check fail: $(cat qc.out)"
why=$(hub_refuses corrupt "quick_check" "$HUB" "$S/$C") || fail "$why"

it_end
