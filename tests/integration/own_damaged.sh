#!/usr/bin/env bash
# own_damaged: a flipped byte in an entry the township wrote and has not
# sent yet (a bad sector under it). The township's daemon is stopped; a
# clerk writes five households; then, behind SQLite's back, a payload byte
# of one unsent entry and a signature byte of the first unsent one are
# flipped. When the daemon starts, it finds both as they leave, rebuilds
# them byte for byte from their logged hash and operations (it says so in
# its log), and the county and the prefecture take every entry: nothing
# quarantined, no chain stopped, fugai check passes at the township, the
# digests agree. Then an entry whose operations are damaged too: it stays
# at the township, what was written before it leaves, the county refuses
# nothing and keeps the chain open, and fugai check at the township names
# the entry. (Before, the county quarantined the damaged entry and held
# every later write of the township for good.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin own_damaged 27400 120 "$@"

P=513300; C=513328; T=513328100
tree_up $P $C $T
start_all $P $C $T
wait_connected $C $T
T_ID=$(node_id $T)
add () { fugai $T --as clerk add household org_id=${T}201 head_name="$1" size=2 > /dev/null; }
synced () {
    same_entries "$T_ID" "" "$T" "$C" "$P" > /dev/null && digests_equal "$T" "$T" "$C" "$P" > /dev/null
}
add sent-1
wait_until "the first record is at C and P" 30 synced

#  --- Five unsent entries; two damaged
stop_node $T
for i in 1 2 3 4 5; do add "unsent-$i"; done
first=$(sql $T "select max(seq) - 4 from log where origin = $T_ID")
middle=$((first + 2))
good_first=$(sql $T "select hex(entry) from log where origin = $T_ID and seq = $first")
good_middle=$(sql $T "select hex(entry) from log where origin = $T_ID and seq = $middle")
#  The last byte of the first unsent entry (its signature), and a byte of
#  the middle one's payload
sql $T "update log set entry = cast(substr(entry, 1, length(entry) - 1)
        || (case when substr(entry, length(entry), 1) = x'5A' then x'A5' else x'5A' end) as blob)
        where origin = $T_ID and seq = $first"
sql $T "update log set entry = cast(substr(entry, 1, 79)
        || (case when substr(entry, 80, 1) = x'5A' then x'A5' else x'5A' end) || substr(entry, 81) as blob)
        where origin = $T_ID and seq = $middle"
[ "$(sql $T "select hex(entry) from log where origin = $T_ID and seq = $middle")" != "$good_middle" ] \
    || fail "the damage did not change entry $middle"
start_node $T
wait_until "every record is at C and P" 30 synced
expect_eq "entry $first at $T after the repair" "$(sql $T "select hex(entry) from log where origin = $T_ID and seq = $first")" "$good_first"
expect_eq "entry $middle at $T after the repair" "$(sql $T "select hex(entry) from log where origin = $T_ID and seq = $middle")" "$good_middle"
log_has $T "own entry $T_ID/$first was damaged on disk" || fail "the township's log does not say it rebuilt $first"
log_has $T "own entry $T_ID/$middle was damaged on disk" || fail "the township's log does not say it rebuilt $middle"
for org in $C $P; do
    expect_sql $org "select count(*) from quarantine" 0 "entries refused at $org"
    expect_sql $org "select count(*) from household where head_name like 'unsent-%'" 5 "the five records at $org"
done
fugai $T check > check.out || fail "fugai check at $T after the repair: $(tail -n 3 check.out)"
note "two damaged unsent entries rebuilt at the township; C and P took all five, refused nothing"

#  --- An entry whose operations are damaged too: held back, named
stop_node $T
add before-bad
add bad
add after-bad
bad=$(sql $T "select max(seq) - 1 from log where origin = $T_ID")
sql $T "update log set entry = cast(substr(entry, 1, 79) || x'00' || substr(entry, 81) as blob)
        where origin = $T_ID and seq = $bad"
sql $T "update op set body = x'00' where origin = $T_ID and seq = $bad"
start_node $T
before_bad () { sql_is $C "select count(*) from household where head_name = 'before-bad'" 1; }
wait_until "the record before the bad entry is at C" 30 before_bad
wait_until "the township says the entry cannot be rebuilt" 20 log_has $T "own entry $T_ID/$bad is damaged on disk and cannot be rebuilt"
sleep 2
expect_sql $C "select max(seq) from log where origin = $T_ID" $((bad - 1)) "the township's chain at C"
expect_sql $C "select count(*) from quarantine" 0 "entries refused at C"
expect_sql $C "select count(*) from frontier where origin = $T_ID and state = 'ok'" 1 "the township's chain at C is open"
rc=0
fugai $T check > check2.out 2>&1 || rc=$?
[ $rc != 0 ] || fail "fugai check at $T passed with a damaged entry"
grep -q "entry $T_ID/$bad" check2.out || fail "fugai check does not name entry $T_ID/$bad: $(cat check2.out)"
note "an unrebuildable entry ($T_ID/$bad) held back at the township; C refused nothing; fugai check names it"
it_end
