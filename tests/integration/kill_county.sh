#!/usr/bin/env bash
# kill_county: the county hub is killed with kill -9 again and again while
# its townships write and sync (and while it relays up), and restarted each
# time. At the end every township entry is at the county and the prefecture
# exactly once (same log counts, same domain rows, same digests), nothing
# is quarantined or buffered, the county's SQLite file passes
# PRAGMA integrity_check and fugai check, and the county's cursor of the
# township never went backwards across the crashes.
. "$(dirname "$0")/lib.sh"
it_begin kill_county 21500 400 "$@"

P=513300; C=513328
T=513328100; T_ID=28100      # the busy township
U=513328101; U_ID=28101      # a quieter one
KILLS=5
BACKLOG=30                   # entries T writes while the county is down
MIN_IMPORTS=15               # x 200 rows: at least 3000 households at T

tree_up $P $C $T $U
for org in $P $C $T $U; do cfg_set $org sync/batch_bytes 8192; done

#  Writers: T imports 200 households at a time (one entry each) until the
#  kills are over (and at least MIN_IMPORTS times); U adds one household
#  now and then.
writer_T () {
    local i=0
    while [ $i -lt $MIN_IMPORTS ] || [ ! -e "$S/kills-done" ]; do
        i=$((i + 1))
        households_csv "$S/w.csv" ${T}$(printf '%03d' $((200 + i % 50))) 200 "K$i"
        "$FUGAI" -C "$S/$T" --as writer import household "$S/w.csv" > /dev/null || return 1
        [ $i -lt 2000 ] || return 2
        sleep 0.02
    done
    echo "$i imports"
}
writer_U () {
    local i=0
    while [ ! -e "$S/kills-done" ]; do
        i=$((i + 1))
        "$FUGAI" -C "$S/$U" --as writer add household org_id=${U}201 head_name="U$i" size=2 > /dev/null || return 1
        sleep 0.2
    done
    echo "$i adds"
}

#  The county's cursor of T, sampled: it must never go backwards, and it
#  must never claim more than the county holds: every entry of T's log up
#  to the cursor is at the county (one read transaction gives the cursor
#  and the county's entries together)
last_cursor=0
observe () {
    local c held sent
    IFS='|' read -r c held < <(sql $C "select coalesce((select cursor from link where peer = $T_ID and dir = 'in'), 0),
        (select count(*) from log where origin = $T_ID) + (select count(*) from buffer where origin = $T_ID)
        + (select count(*) from quarantine where origin = $T_ID)")
    [ "$c" -ge "$last_cursor" ] || fail "the county's cursor of $T went back from $last_cursor to $c"
    sent=$(sql $T "select count(*) from log where origin = $T_ID and lsn <= $c")
    [ "$held" -ge "$sent" ] \
        || fail "the county's cursor of $T is $c, but it holds $held of the $sent entries of $T up to there"
    last_cursor=$c
}
progressed () {    # the cursor moved past $1
    observe
    [ "$last_cursor" -gt "$1" ]
}
t_lsn () {
    sql $T "select max(lsn) from log"
}

start_all $P $T $U
start_bg writer_T writer_T
start_bg writer_U writer_U
#  Each round: the county is down while T writes BACKLOG entries; it starts,
#  and as soon as it has taken some of them it is frozen (SIGSTOP: the
#  state is then fixed for the check) and killed with SIGKILL
mid_sync=0
lsn=$(t_lsn)
for ((k = 1; k <= KILLS; k++)); do
    #  (these bounds only catch a hang: on a loaded machine the sanitizers'
    #  build wrote fewer than 30 imports in 30 s, and a slow disk kept the
    #  county from taking a backlog of 190 entries in 30 s)
    wait_until "$T has written $BACKLOG entries while the county is down" 90 \
        eval '[ "$(t_lsn)" -ge $((lsn + BACKLOG)) ]'
    #  Kill point: a random place in the backlog, short of its last 10
    from=$last_cursor
    span=$(($(t_lsn) - from - 10))
    target=$((from + RANDOM % (span > 1 ? span : 1)))
    start_node $C
    IT_POLL=0.005 wait_until "the county takes the backlog up to $target before kill $k" 90 \
        progressed "$target"
    kill -STOP "${IT_PID[$C]}"
    observe
    lsn=$(t_lsn)
    behind=$((lsn - last_cursor))
    kill9_node $C
    [ $behind -ge 5 ] && mid_sync=$((mid_sync + 1))
    note "kill -9 $k of the county at cursor $last_cursor (was $from, aimed past $target), $behind of T's log not yet taken"
    observe
done
touch "$S/kills-done"
start_node $C
wait_connected $C $T $U
wait_bg writer_T
wait_bg writer_U
[ $mid_sync -ge 3 ] || fail "only $mid_sync of the $KILLS kills hit the county while it was 5 or more entries behind: the test proved little"

n_T=$(count_origin $T $T_ID)
n_U=$(count_origin $U $U_ID)
caught_up () {
    observe
    local org
    for org in $C $P; do
        sql_is $org "select count(*) from log where origin = $T_ID" "$n_T" || return 1
        sql_is $org "select count(*) from log where origin = $U_ID" "$n_U" || return 1
    done
}
wait_until "the county and the prefecture hold all $n_T entries of $T and $n_U of $U" 120 caught_up
households=$(sql $T "select count(*) from household")
[ "$households" -ge $((MIN_IMPORTS * 20)) ] || fail "only $households households written at $T"
for org in $C $P; do
    for t in $T $U; do
        expect_sql $org "select count(*) from household where org_id / 1000 = $t" \
            "$(sql $t "select count(*) from household where org_id / 1000 = $t")" "households of $t at $org"
        expect_eq "digest of $t at $org" "$(digest $org $t)" "$(digest $t $t)"
    done
    expect_sql $org "select count(*) from (select head_name from household group by head_name having count(*) > 1)" 0 \
        "households written twice at $org"
    expect_sql $org "select count(*) from quarantine" 0 "entries quarantined at $org"
    expect_sql $org "select count(*) from buffer" 0 "entries buffered at $org"
done
#  A crash must lose nothing the county committed: the entries after a
#  crash follow on from its cursor, so it never waits on a gap (a gap
#  would be healed by repair, and the end state could hide the loss)
buffered=$(awk '/sync: from '$T_ID': / { for (i = 1; i <= NF; i++) if ($i == "buffered,") n += $(i - 1) } END { print n + 0 }' \
    "$S/logs/$C.log")
expect_eq "entries of $T the county had to buffer for a gap across the crashes" "$buffered" 0
expect_sql $C "PRAGMA integrity_check" ok "integrity of the county's replica"
stop_all
fugai $C check > check.out || fail "fugai check at the county: $(tail -3 check.out)"
note "$households households ($n_T entries) of $T and $n_U entries of $U survived $KILLS kills, $mid_sync mid-sync"

it_end
