#!/usr/bin/env bash
# directive_scope: directives travel down only into the subtree they are
# aimed at, and the nodes there acknowledge them back up.
#  - prefecture -> county 513328: reaches 513328 and its two townships,
#    not 513321 nor its townships; exactly those three acknowledge
#    ("received") and their acks reach the prefecture;
#  - county 513328 -> township 513328100: reaches that township only (and
#    goes up to the prefecture, which holds everything), acked by it alone.
# Absence is shown by order: a directive issued later to the other subtree
# has arrived there first, and a stream delivers in log order.
. "$(dirname "$0")/lib.sh"
it_begin directive_scope 21100 100 "$@"

P=513300
C1=513328; C1T=(513328100 513328101)
C2=513321; C2T=(513321100 513321101)
SUB1=($C1 "${C1T[@]}")
SUB2=($C2 "${C2T[@]}")

tree_up
start_all "${TREE[@]}"
wait_connected $C1 $C2 "${C1T[@]}" "${C2T[@]}"

#  issue ORG TO TITLE [DUE] -> the directive's id
issue () {
    local args=(directive issue --to "$2" --title "$3")
    [ -n "${4:-}" ] && args+=(--due "$4")
    "$FUGAI" -C "$S/$1" --as officer --json "${args[@]}" | sed -n 's/.*"directive": "\([0-9]*\)".*/\1/p'
}
has_directive () {
    sql_is "$1" "select count(*) from directive where id = $2" 1
}
acks () {    # ORG DIRECTIVE: node_id|state of its acks, one a line
    sql "$1" "select node_id || '|' || state from directive_ack where directive_id = $2 order by node_id"
}
wait_arrived () {    # DIRECTIVE ORG...
    local d=$1 org
    shift
    for org in "$@"; do
        wait_until "directive $d is at $org" 30 has_directive "$org" "$d"
    done
}

#  --- prefecture -> county 513328
d1=$(issue $P $C1 "Winter pasture survey" 2013-02-10)
[ -n "$d1" ] || fail "directive issue printed no id"
wait_arrived "$d1" "${SUB1[@]}"
expect_sql ${C1T[0]} "select org_id, title, due_on is not null, created_by, author from directive where id = $d1" \
    "$C1|Winter pasture survey|1|1|officer" "directive $d1 at ${C1T[0]}"
case $(fugai ${C1T[1]} directive list --json) in
    *"\"id\": \"$d1\""*"\"to\": \"$C1\""*"Winter pasture survey"*"\"due_on\": \"2013-02-10\""*) ;;
    *) fail "fugai directive list at ${C1T[1]} does not show $d1 as issued: $(fugai ${C1T[1]} directive list --json)" ;;
esac
want1=$'128|received\n28100|received\n28101|received'
wait_until "the acks of 513328 and its townships for $d1 are at the prefecture" 30 \
    eval '[ "$(acks $P $d1)" = "$want1" ]'

#  A later directive to the other county: once it is there (and acked),
#  the first one would have been delivered before it
d2=$(issue $P $C2 "Temple festival security" 2013-03-01)
wait_arrived "$d2" "${SUB2[@]}"
want2=$'121|received\n21100|received\n21101|received'
wait_until "the acks of 513321 and its townships for $d2 are at the prefecture" 30 \
    eval '[ "$(acks $P $d2)" = "$want2" ]'
for org in "${SUB2[@]}"; do
    expect_sql $org "select count(*) from directive where id = $d1" 0 "directive $d1 (to $C1) at $org"
    expect_sql $org "select count(*) from directive_ack where directive_id = $d1" 0 "acks of $d1 at $org"
done
for org in "${SUB1[@]}"; do
    expect_sql $org "select count(*) from directive where id = $d2" 0 "directive $d2 (to $C2) at $org"
done
#  Exactly the three acks, one each, still (nothing more came with d2)
expect_eq "acks of $d1 at the prefecture" "$(acks $P $d1)" "$want1"
expect_sql $P "select count(*) from directive_ack where directive_id = $d1 and node_id = 1" 0 \
    "an ack of $d1 by the prefecture, its issuer"
case $(fugai $P --csv directive list) in
    *"$d1,$C1,Winter pasture survey,2013-02-10,1,officer,0,128:received 28100:received 28101:received"*) ;;
    *) fail "fugai directive list at the prefecture does not show the acks of $d1: $(fugai $P --csv directive list)" ;;
esac

#  --- county 513328 -> one township
d3=$(issue $C1 ${C1T[0]} "Household visits in village 201")
wait_arrived "$d3" ${C1T[0]} $P
wait_until "the ack of ${C1T[0]} for $d3 is at the county" 30 \
    eval '[ "$(acks $C1 $d3)" = "28100|received" ]'
wait_until "the ack of ${C1T[0]} for $d3 is at the prefecture" 30 \
    eval '[ "$(acks $P $d3)" = "28100|received" ]'
#  Later directives to the sibling township and to the other county
d4=$(issue $C1 ${C1T[1]} "Road repair report")
d5=$(issue $P $C2 "Snow disaster drill")
wait_arrived "$d4" ${C1T[1]}
wait_arrived "$d5" "${SUB2[@]}"
for org in ${C1T[1]} "${SUB2[@]}"; do
    expect_sql $org "select count(*) from directive where id = $d3" 0 "directive $d3 (to ${C1T[0]}) at $org"
done
expect_sql ${C1T[0]} "select count(*) from directive where id = $d4" 0 "directive $d4 (to ${C1T[1]}) at ${C1T[0]}"
expect_eq "acks of $d3 at the county" "$(acks $C1 $d3)" "28100|received"
expect_sql $C1 "select count(*) from directive where id in ($d1, $d3, $d4)" 3 "directives of the county's subtree at $C1"
expect_sql $C1 "select count(*) from directive where id in ($d2, $d5)" 0 "directives to $C2 at $C1"
for org in "${TREE[@]}"; do
    expect_sql $org "select count(*) from quarantine" 0 "entries quarantined at $org"
done

it_end
