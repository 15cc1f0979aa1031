#!/usr/bin/env bash
# digest_levels: after a mixed workload across two townships of county
# 513328 and one of county 513321 (imported and added households, persons,
# visits, changes, an appeal with events, the counties' admin flags and
# cadres, directives from the county and the prefecture with their acks,
# and one conflict: the appeal's risk_level set by T1 offline and then by
# the county, so that the two entries arrive in opposite orders at T1 and
# C), written while the daemons sync, and once everything has converged:
#   - fugai digest --org TOWNSHIP is the same at the township, its county
#     and the prefecture, for each township;
#   - fugai digest --org COUNTY is the same at the county and the
#     prefecture, for each county;
#   - with the daemons stopped, fugai rebuild (replay of the log into the
#     domain tables) at each of the six nodes reports the digest it had
#     before ("same as before", and the same hash as fugai digest), and
#     every digest --org above is unchanged by it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin digest_levels 23500 60 "$@"

P=513300
C=513328; C_ID=128
C2=513321; C2_ID=121
T1=513328100; T2=513328101; T3=513321100
declare -A TID=([$T1]=28100 [$T2]=28101 [$T3]=21100)
declare -A COUNTY=([$T1]=$C [$T2]=$C [$T3]=$C2)
NODES=($P $C $C2 $T1 $T2 $T3)
tree_up "${NODES[@]}"
start_all "${NODES[@]}"
wait_connected $C $C2 $T1 $T2 $T3

CADRE1=$(fugai $C --as hr add cadre name=Gonpo org_id=$C)
CADRE2=$(fugai $C2 --as hr add cadre name=Yangzom org_id=$C2)
declare -A CADRE=([$T1]=$CADRE1 [$T2]=$CADRE1 [$T3]=$CADRE2)

#  workload TOWNSHIP: households (import and add), persons, a visit, a change
declare -A FIRST_H=()
workload () {
    local t=$1 v=${1}201 h i
    households_csv "hh-$t.csv" "${t}202" 25 "H$t"
    fugai $t --as clerk import household "hh-$t.csv" > /dev/null
    h=$(fugai $t --as clerk add household org_id=$v head_name="Head $t" size=3 economy=herding)
    FIRST_H[$t]=$h
    for i in 1 2 3; do
        fugai $t --as clerk add person org_id=$v household_id="$h" name="Member $i of $t" gender=female > /dev/null
    done
    fugai $t --as clerk add visit cadre_id="${CADRE[$t]}" target_kind=household target_id="$h" kind=pairing \
        occurred_on=2026-11-10 org_id=$v notes="visit at $t" > /dev/null
    fugai $t --as clerk set household "$h" size=4 seasonal_location="winter pasture" > /dev/null
}
for t in $T1 $T2 $T3; do workload $t; done

#  An appeal at T1 with events, one of them escalated by the county
A=$(fugai $T1 --as clerk add appeal appellant_name=Drolma type=difficulty summary="roof repair" org_id=${T1}201)
for transition in register assign start; do
    fugai $T1 --as clerk add appeal_event appeal_id="$A" transition=$transition org_id=${T1}201 > /dev/null
done
#  Directives: the prefecture to county 513328, the county to T1
D1=$(fugai $P --as officer --json directive issue --to $C --title "Winter survey" | sed -n 's/.*"directive": "\([0-9]*\)".*/\1/p')
D2=$(fugai $C --as officer --json directive issue --to $T1 --title "Fodder check" | sed -n 's/.*"directive": "\([0-9]*\)".*/\1/p')
[ -n "$D1" ] && [ -n "$D2" ] || fail "directive issue printed no id"
#  The counties' admin flags, once the households are there
county_has () {
    sql_is "${COUNTY[$1]}" "select count(*) from household where id = ${FIRST_H[$1]}" 1
}
for t in $T1 $T2 $T3; do
    wait_until "household ${FIRST_H[$t]} of $t is at its county" 30 county_has $t
    fugai ${COUNTY[$t]} --as officer set household "${FIRST_H[$t]}" needy=yes poverty_registered=yes > /dev/null
done
wait_until "the appeal is at the county" 30 sql_is $C "select count(*) from appeal where id = $A" 1
fugai $C --as officer add appeal_event appeal_id="$A" transition=escalate org_id=${T1}201 > /dev/null
#  A conflict: T1, offline, sets the appeal's risk_level (intake group,
#  any tier may write it), then the county sets it otherwise. The entries
#  arrive in opposite orders at T1 and at C, so only a merge by (hlc,
#  origin) - not by arrival - gives the same row at both
wait_until "the escalation is at T1" 30 sql_is $T1 "select state from appeal where id = $A" ESCALATED
stop_node $T1
fugai $T1 --as clerk set appeal "$A" risk_level=high > /dev/null
fugai $C --as officer set appeal "$A" risk_level=low > /dev/null
start_node $T1
#  More writes at the townships meanwhile
for t in $T1 $T2 $T3; do
    fugai $t --as clerk add household org_id=${t}203 head_name="Late $t" size=2 > /dev/null
done

#  --- Converged: the same entries everywhere they belong, and the acks in
acks () {
    sql "$1" "select group_concat(node_id || ':' || state, ' ') from (select node_id, state
              from directive_ack where directive_id = $2 order by node_id)"
}
converged () {
    local t
    for t in $T1 $T2 $T3; do
        same_entries ${TID[$t]} "" $t ${COUNTY[$t]} $P || return 1
        same_entries $([ ${COUNTY[$t]} = $C ] && echo $C_ID || echo $C2_ID) $t ${COUNTY[$t]} $t $P || return 1
    done
    same_entries $C_ID "" $C $P && same_entries $C2_ID "" $C2 $P || return 1
    [ "$(acks $P "$D1")" = "128:received 28100:received 28101:received" ] || return 1
    [ "$(acks $P "$D2")" = "28100:received" ] || return 1
    [ "$(acks $C "$D1")" = "128:received 28100:received 28101:received" ] || return 1
}
wait_until "every replica holds what it should" 40 converged
for org in $T1 $C $P; do
    expect_sql $org "select state, owner_org, risk_level from appeal where id = $A" "ESCALATED|$C|low" "the appeal at $org"
done

#  --- Digests by level
declare -A BEFORE=()
for t in $T1 $T2 $T3; do
    expect_digests_equal $t $t ${COUNTY[$t]} $P
    BEFORE[$t]=$(digest $P $t)
    rows=$(echo "${BEFORE[$t]}" | awk '{ print $2 }')
    [ "$rows" -ge 30 ] || fail "the digest of $t covers only $rows rows: ${BEFORE[$t]}"
done
for c in $C $C2; do
    expect_digests_equal $c $c $P
    BEFORE[$c]=$(digest $P $c)
done
[ "${BEFORE[$T1]%% *}" != "${BEFORE[$T2]%% *}" ] || fail "two townships have the same digest: it covers nothing"

#  --- Rebuild at every node, daemons stopped: the same digest as before
stop_all
for org in "${NODES[@]}"; do
    all=$(fugai $org digest)
    fugai $org --as admin rebuild > rebuild-$org.out 2> rebuild-$org.err \
        || fail "fugai rebuild at $org: $(cat rebuild-$org.err)"
    expect_grep "fugai rebuild at $org" rebuild-$org.out "^rebuilt [0-9]+ rows, digest ${all%% *} \(same as before\)$"
    expect_eq "fugai digest at $org after the rebuild" "$(fugai $org digest)" "$all"
done
for t in $T1 $T2 $T3; do
    for org in $t ${COUNTY[$t]} $P; do
        expect_eq "digest of $t at $org after the rebuilds" "$(digest $org $t)" "${BEFORE[$t]}"
    done
done
for c in $C $C2; do
    for org in $c $P; do
        expect_eq "digest of $c at $org after the rebuilds" "$(digest $org $c)" "${BEFORE[$c]}"
    done
done

it_end
