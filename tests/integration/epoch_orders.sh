#!/usr/bin/env bash
# epoch_orders: fork recovery whatever the order of events. Five townships
# (three under county 513328, two under 513321) are each restored from an
# old backup (a real copy of the node directory, daemon stopped) after they
# had synced more records, and write two households before their daemon
# starts again: their county sees a fork of each (and a township's status
# says OWN ENTRIES REFUSED upstream). Then `fugai epoch` is run
# at the county in a different order for each township:
#   up             township and county hub running
#   edge_down      the township's daemon stopped during epoch (run twice:
#                  an epoch started twice is harmless), then started
#   edge_restart   all running; the township restarted right after epoch
#   hub_down       the county hub stopped during epoch, then started
#   hub_restart    all running; the county hub restarted right after epoch
# Each ends with every record (written before the backup, after it, and
# the two set aside) once at county and prefecture, the same entries of
# the township and the same digest at T, C and P, nothing buffered or
# forked, `fugai status` at the township neither recovering nor waiting,
# and a new write reaching the prefecture.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin epoch_orders 24600 200 "$@"

P=513300; C1=513328; C2=513321
declare -A T_OF=([up]=513328100 [edge_down]=513328101 [edge_restart]=513328102
                 [hub_down]=513321100 [hub_restart]=513321101)
ORDERS="up edge_down edge_restart hub_down hub_restart"
TS="${T_OF[up]} ${T_OF[edge_down]} ${T_OF[edge_restart]} ${T_OF[hub_down]} ${T_OF[hub_restart]}"
tree_up $P $C1 $C2 $TS
start_all $P $C1 $C2 $TS
wait_connected $C1 $C2 $TS

vil () { echo "${1}201"; }
synced () {
    local t=$1 c
    c=$(parent_of "$t")
    same_entries "$(node_id "$t")" "" "$t" "$c" "$P" && digests_equal "$t" "$t" "$c" "$P"
}
all_synced () {
    local t
    for t in $TS; do synced "$t" || return 1; done
}
add () {
    fugai "$1" --as clerk add household org_id="$(vil "$1")" head_name="$2" size=3
}

#  --- Before the backup
for t in $TS; do
    for i in 1 2; do add "$t" "pre-$i" > /dev/null; done
done
wait_until "the first households are at C and P" 40 all_synced

#  --- The backups: daemons stopped, node directories copied
declare -A BACKUP_SEQ=()
for t in $TS; do
    stop_node "$t"
    cp -a "$S/$t" "$S/backup-$t"
    BACKUP_SEQ[$t]=$(own_seq "$t")
    start_node "$t"
done
wait_connected $TS
for t in $TS; do
    for i in 1 2 3; do add "$t" "after-$i" > /dev/null; done
done
wait_until "the records written after the backups are at C and P" 40 all_synced

#  --- The disks die; the backups are put back; two records written
for t in $TS; do
    stop_node "$t"
    rm -rf "${S:?}/$t"
    cp -a "$S/backup-$t" "$S/$t"
    add "$t" restored-1 > /dev/null
    add "$t" restored-2 > /dev/null
    start_node "$t"
done
forked () {
    local t c
    for t in $TS; do
        c=$(parent_of "$t")
        sql_is "$c" "select count(*) > 0 from frontier where origin = $(node_id "$t") and state = 'forked'" 1 \
            || { echo "no fork of $t at $c yet"; return 1; }
    done
}
wait_until "each county sees the fork of its townships" 40 forked
#  The township's status says that its parent refuses its entries
refused_shown () {
    fugai "${T_OF[up]}" status | grep -q "^OWN ENTRIES REFUSED upstream: 2 "
}
wait_until "fugai status at ${T_OF[up]} shows its refused entries" 30 refused_shown

#  --- The epochs, one order each
epoch () {
    local t=$1 c
    c=$(parent_of "$t")
    fugai "$c" --as admin epoch "$(node_id "$t")" > "$S/logs/epoch-$t.out" 2>&1
}
T=${T_OF[up]}
epoch "$T" || fail "epoch of $T: $(cat "$S/logs/epoch-$T.out")"

T=${T_OF[edge_down]}
stop_node "$T"
epoch "$T" || fail "epoch of $T: $(cat "$S/logs/epoch-$T.out")"
#  Started twice: refused (nothing to recover) or done again, and harmless
epoch "$T" || note "second epoch of $T refused: $(cat "$S/logs/epoch-$T.out")"
sleep 1
start_node "$T"

T=${T_OF[edge_restart]}
epoch "$T" || fail "epoch of $T: $(cat "$S/logs/epoch-$T.out")"
stop_node "$T"
start_node "$T"

T=${T_OF[hub_down]}
stop_node $C2
epoch "$T" || fail "epoch of $T: $(cat "$S/logs/epoch-$T.out")"
sleep 1
start_node $C2

T=${T_OF[hub_restart]}
wait_connected $C2
epoch "$T" || fail "epoch of $T: $(cat "$S/logs/epoch-$T.out")"
stop_node $C2
start_node $C2

#  --- Every order converges
NAMES="after-1 after-2 after-3 pre-1 pre-2 restored-1 restored-2"
converged () {
    local t=$1 c
    c=$(parent_of "$t")
    synced "$t" || return 1
    for org in "$t" "$c" "$P"; do
        sql_is "$org" "select group_concat(head_name, ' ') from (select head_name from household
                       where org_id = $(vil "$t") order by head_name)" "$NAMES" \
            || { echo "$org does not hold every household of $t once"; return 1; }
    done
}
for order in $ORDERS; do
    T=${T_OF[$order]}
    wait_until "order $order: T, C and P hold every record of $T once" 60 converged "$T"
done

for order in $ORDERS; do
    T=${T_OF[$order]}
    C=$(parent_of "$T")
    for org in $T $C $P; do
        expect_sql $org "select count(distinct id) from household where org_id = $(vil "$T")" 7 \
            "order $order: distinct household ids of $T at $org"
    done
    expect_sql $C "select count(*) from frontier where state = 'forked'" 0 "order $order: forked chains at $C"
    expect_sql $C "select count(*) from quarantine where origin = $(node_id "$T") and reason = 'chain_stopped'" 0 \
        "order $order: entries of $T refused as chain_stopped at $C"
    expect_sql $T "select count(*), count(resigned_seq) from forked_own" "2|2" \
        "order $order: forked_own at $T (set aside, marked re-signed)"
    fugai "$T" status > "status-$T.txt"
    expect_no_grep "order $order: status at $T" "status-$T.txt" "RECOVERING|FORKED|REFUSED"
    expect_grep "order $order: status at $T" "status-$T.txt" "^entries waiting for a predecessor or key \(buffered\): 0$"
    expect_grep "order $order: status at $T" "status-$T.txt" " 0 entries waiting to go up$"
done

#  --- New writes keep arriving
declare -A LATER=()
for order in $ORDERS; do
    T=${T_OF[$order]}
    LATER[$T]=$(add "$T" later-1) || fail "order $order: $T cannot write after the recovery"
done
arrived () {
    local t
    for t in $TS; do
        sql_is $P "select head_name from household where id = ${LATER[$t]}" later-1 \
            || { echo "the new write of $t is not at $P"; return 1; }
        synced "$t" || return 1
    done
}
wait_until "a new write of each township reaches C and P" 40 arrived
for org in $C1 $C2 $P; do
    nothing_stuck $org || fail "entries buffered at $org"
    expect_sql $org "select count(*) from quarantine where reason = 'chain_stopped'" 0 "chain_stopped entries at $org"
done
expect_sql $P "select count(*) from quarantine" 0 "entries refused at the prefecture"

it_end
