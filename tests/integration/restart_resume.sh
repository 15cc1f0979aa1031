#!/usr/bin/env bash
# restart_resume: a township edge with a large backlog (about 42,000
# households in about 300 entries of mixed sizes, sync/batch_bytes 4096) is
# stopped with SIGTERM three times part-way through sending it, and
# restarted:
#  - each new session resumes where the county's committed cursor stands:
#    the edge logs "it holds our log up to N" with N > 0, N at or past the
#    cursor seen when the edge stopped, and the county logs the same N;
#  - the county's cursor (table link, dir 'in') never goes backwards
#    between observations;
#  - at the end the county and the prefecture hold exactly the township's
#    entries and rows (counts, digests), each entry applied once.
. "$(dirname "$0")/lib.sh"
it_begin restart_resume 21600 150 "$@"

P=513300; C=513328; T=513328100; T_ID=28100
STOPS=(15 35 55)             # stop the edge once the county holds this % of T's log

tree_up $P $C $T
for org in $P $C $T; do cfg_set $org sync/batch_bytes 4096; done

#  The backlog, written offline: small entries (one import of 1..40 rows
#  each) around one large import (200 entries of 200 rows)
small_imports () {
    local i n
    for ((i = 1; i <= $2; i++)); do
        n=$((1 + (i * 7) % 40))
        households_csv small.csv ${T}$(printf '%03d' $((300 + i % 30))) $n "$1$i"
        fugai $T --as clerk import household small.csv > /dev/null
    done
}
small_imports S 50
households_csv big.csv ${T}201 40000 Big
fugai $T --as clerk import household big.csv > /dev/null
small_imports L 50
total=$(sql $T "select max(lsn) from log")
entries=$(count_origin $T $T_ID)
rows=$(sql $T "select count(*) from household")
note "backlog: $rows households in $entries entries (township lsn $total)"

#  The county's cursor of T: never backwards, and never past what the
#  county holds (cursor and entries read in one transaction)
last_cursor=0
observe () {
    local c held sent
    IFS='|' read -r c held < <(sql $C "select coalesce((select cursor from link where peer = $T_ID and dir = 'in'), 0),
        (select count(*) from log where origin = $T_ID)")
    [ "$c" -ge "$last_cursor" ] || fail "the county's cursor of $T went back from $last_cursor to $c"
    sent=$(sql $T "select count(*) from log where origin = $T_ID and lsn <= $c")
    [ "$held" -ge "$sent" ] \
        || fail "the county's cursor of $T is $c, but it holds $held of the $sent entries of $T up to there"
    last_cursor=$c
}
reached () {
    observe
    [ "$last_cursor" -ge "$1" ]
}
#  resume_point ORG TEXT: the number after TEXT in ORG's log since its start
resume_point () {
    node_log "$1" | sed -n "s/.*$2 \([0-9]*\).*/\1/p" | tail -n 1
}

start_all $P $C $T
for pct in "${STOPS[@]}"; do
    mark=$((total * pct / 100))
    IT_POLL=0.01 wait_until "the county holds $pct% of the township's log (cursor $mark)" 60 reached $mark
    stop_node $T
    observe
    stopped_at=$last_cursor
    [ "$stopped_at" -lt "$total" ] \
        || fail "the edge finished its backlog before it could be stopped at $pct%: nothing was resumed"
    start_node $T
    wait_until "the restarted edge opens a session" 30 connected $T
    n=$(resume_point $T "it holds our log up to")
    [ -n "$n" ] && [ "$n" -gt 0 ] || fail "the edge did not log a resume point above 0: $(node_log $T | grep 'holds our log')"
    [ "$n" -ge "$stopped_at" ] || fail "the session resumed at $n, behind the county's cursor $stopped_at at the stop"
    [ "$n" -lt "$total" ] || fail "the session resumed at $n: the backlog ($total) was done, nothing to resume"
    #  (the county may log its side just after the edge logs its own)
    wait_until "the county logs the same resume point $n" 10 \
        eval '[ "$(resume_point $C "child $T_ID (.*) connected; we hold its log up to")" = "$n" ]'

    note "stopped at $pct%: county cursor $stopped_at of $total; the new session resumed at $n"
done

caught_up () {
    observe
    sql_is $C "select count(*) from log where origin = $T_ID" "$entries" \
        && sql_is $P "select count(*) from log where origin = $T_ID" "$entries"
}
wait_until "the county and the prefecture hold all $entries entries of the township" 60 caught_up
for org in $C $P; do
    expect_sql $org "select count(*) from household" "$rows" "households at $org"
    expect_eq "digest of $T at $org" "$(digest $org $T)" "$(digest $T $T)"
    expect_sql $org "select count(*) from buffer" 0 "entries buffered at $org"
    expect_sql $org "select count(*) from quarantine" 0 "entries quarantined at $org"
done
#  Each entry applied once: the applied counts the county logged for T add
#  up to T's entries (a re-sent entry would be counted as a duplicate)
applied=$(awk '/sync: from '$T_ID': [0-9]+ applied/ { for (i = 1; i <= NF; i++) if ($i == "applied,") n += $(i - 1) } END { print n + 0 }' \
    "$S/logs/$C.log")
dups=$(awk '/sync: from '$T_ID': / { for (i = 1; i <= NF; i++) if ($i == "duplicate,") n += $(i - 1) } END { print n + 0 }' \
    "$S/logs/$C.log")
expect_eq "entries of $T the county logged as applied" "$applied" "$entries"
note "all $entries entries at the county and the prefecture; $dups duplicates were re-sent across the restarts"

it_end
