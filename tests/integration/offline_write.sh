#!/usr/bin/env bash
# offline_write: records written at a township while no daemon runs reach
# its county and the prefecture once the tree is up, with the same values,
# and nowhere else. Twice: on a tree that never ran, and after the daemons
# were stopped (the sessions then resume from their stored cursors).
. "$(dirname "$0")/lib.sh"
it_begin offline_write 21000 100 "$@"

T=513328100
T_ID=28100
HH="org_id between ${T}000 and ${T}999"
#  What the township's households look like (compared at T, C and P)
ROWS="select id, org_id, hukou_no, head_name, size, economy, status, valid_from, created_by, author
      from household where $HH order by id"

tree_up

#  --- 1. A tree that never ran: writes at the township, offline
note "writing at $T with every daemon stopped"
id1=$(fugai $T --as clerk1 add household org_id=${T}201 head_name=Tashi size=5 economy=herding \
      hukou_no=HK-001 valid_from=2012-03-01)
id2=$(fugai $T --as clerk2 add household org_id=${T}202 head_name="扎西 Dorje, \"the elder\"" size=1 \
      economy=semi status=active)
fugai $T --as clerk1 add household org_id=${T}203 head_name=Pema size=7 economy=farming > /dev/null
households_csv import1.csv ${T}204 450 Imp
fugai $T --as clerk3 import household import1.csv > /dev/null
expect_sql $T "select count(*) from household where $HH" 453 "households written at $T"
[ "$(sql 513328 "select count(*) from household")" = 0 ] || fail "the county holds households before any daemon ran"

start_all "${TREE[@]}"
wait_connected 513328 513321 513328100 513328101 513321100 513321101

converged () {
    local want
    want=$(digest $T $T)
    [ "$(digest 513300 $T)" = "$want" ] && [ "$(digest 513328 $T)" = "$want" ] \
        && sql_is 513300 "select count(*) from household where $HH" "$1" \
        && sql_is 513328 "select count(*) from household where $HH" "$1"
}
wait_until "the households of $T are at the county and the prefecture" 40 converged 453

check_copies () {
    local n=$1 org
    expect_sql $T "select count(*) from household where $HH" "$n" "households at $T"
    sql $T "$ROWS" > rows-T.txt
    for org in 513328 513300; do
        expect_sql $org "select count(*) from household where $HH" "$n" "households of $T at $org"
        sql $org "$ROWS" > rows-$org.txt
        cmp -s rows-T.txt rows-$org.txt \
            || fail "household rows of $T differ between $T and $org: $(diff rows-T.txt rows-$org.txt | head -5)"
        expect_eq "digest of $T at $org" "$(digest $org $T)" "$(digest $T $T)"
        expect_sql $org "select count(*) from quarantine" 0 "entries quarantined at $org"
        expect_sql $org "select count(*) from buffer" 0 "entries buffered at $org"
        expect_eq "entries of origin $T_ID at $org" "$(count_origin $org $T_ID)" "$(count_origin $T $T_ID)"
    done
    #  Not in the other subtrees
    for org in 513328101 513321 513321100 513321101; do
        expect_sql $org "select count(*) from household where $HH" 0 "households of $T at $org (outside its scope)"
    done
    #  The digest line names the row count: not the digest of an empty set
    case $(digest 513300 $T) in
        *"  $n rows  $T") ;;
        *) fail "digest at the prefecture does not cover $n rows: $(digest 513300 $T)" ;;
    esac
}
check_copies 453
#  Field values, spot-checked at the prefecture
expect_sql 513300 "select org_id, hukou_no, head_name, size, economy, valid_from is not null, created_by, author
                   from household where id = $id1" \
    "${T}201|HK-001|Tashi|5|herding|1|$T_ID|clerk1" "record $id1 at the prefecture"
expect_sql 513300 "select head_name, size, economy, status, author from household where id = $id2" \
    "扎西 Dorje, \"the elder\"|1|semi|active|clerk2" "record $id2 at the prefecture"
sizes=$(awk -F, 'NR > 1 { s += $3 } END { print s }' import1.csv)
expect_sql 513300 "select count(*), sum(size), min(head_name), max(head_name) from household
                   where org_id = ${T}204 and author = 'clerk3'" \
    "450|$sizes|Imp-1|Imp-99" "imported households at the prefecture"
[ "$(fugai 513300 list household --csv --where org_id=${T}201 | tail -n +2)" = \
  "$(fugai $T list household --csv --where org_id=${T}201 | tail -n +2)" ] \
    || fail "fugai list differs between $T and the prefecture"

#  --- 2. Stop everything, write (new records and changes), start the edge
#  first and the prefecture last: the sessions resume from their cursors
note "stopping every daemon; more writes at $T"
stop_all
fugai $T --as clerk1 set household "$id1" size=6 economy=semi > /dev/null
fugai $T --as clerk2 add household org_id=${T}205 head_name=Lhamo size=2 economy=herding > /dev/null
households_csv import2.csv ${T}206 40 Late
fugai $T --as clerk3 import household import2.csv > /dev/null
start_node $T
start_node 513328
start_node 513300
wait_connected $T 513328
wait_until "the offline changes of $T are at the county and the prefecture" 40 converged 494
check_copies 494
expect_sql 513300 "select size, economy, author from household where id = $id1" "6|semi|clerk1" \
    "record $id1 changed offline, at the prefecture"
log_has $T "it holds our log up to [1-9]" \
    || fail "the edge did not resume its session from a stored cursor: $(node_log $T | grep 'holds our log')"

it_end
