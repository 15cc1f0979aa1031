#!/usr/bin/env bash
# scope: what a township holds is what the catalogue's scope says
# (common/domain/src/fg_catalogue.c, `down` of each table; DOMAIN.md §7.3),
# nothing more, nothing less. Rows of every down-scope kind are written at
# every tier; after the tree converges, each table at township 513328100
# is compared with the rows the prefecture (which holds everything) says
# it should hold:
#  - every table: all rows anchored in the township's subtree;
#  - subtree tables (work_unit, directive): also the rows anchored at its
#    county and at the prefecture;
#  - referenced (cadre) and up_only (assessment, spot_check,
#    meeting_record, nomination, stability_risk_assessment): nothing
#    anchored above the township.
# A cadre of elsewhere paired with the township's households reaches it as
# the name and phone in the pair (the county's plan writes them), and the
# township holds no cadre row of its county.
# Its own cadre stationed in the neighbouring township (a work team) is
# paired there: that pair reaches the township too (the pair's second
# anchor, cadre_org), with the household head's name and village, and
# nothing else of the neighbour (no household, no member, no other pair).
# And every tier agrees on the digest of the township's subtree.
. "$(dirname "$0")/lib.sh"
it_begin scope 21400 100 "$@"

P=513300
C1=513328; C1T=(513328100 513328101)
C2=513321; C2T=(513321100 513321101)
T=${C1T[0]}

tree_up
start_all "${TREE[@]}"
wait_connected $C1 $C2 "${C1T[@]}" "${C2T[@]}"

#  add ORG TABLE FIELD=VALUE...: a row written at ORG
add () {
    local org=$1 table=$2
    shift 2
    fugai "$org" --as officer add "$table" "$@" > /dev/null || fail "add $table at $org failed"
}

#  Cadres: of the prefecture, of the county, of each township of C1
unit=$(fugai $C1 --as hr add work_unit name="Education bureau" level=county counterpart_townships=$T)
add $P  cadre org_id=$P  name="Prefecture cadre" rank=staff phone=13800000001
add $C1 cadre org_id=$C1 name="County cadre" rank=section_chief phone=13800000002 work_unit_id="$unit"
tcadre=$(fugai $C1 --as hr add cadre org_id=$T name="Cadre of $T" rank=staff phone=13800000003 \
         capacity_override=8) || fail "add the cadre of $T"
#  (retired: the neighbour's households need the work team below)
add $C1 cadre org_id=${C1T[1]} name="Cadre of ${C1T[1]}" rank=staff phone=13800000004 status=retired
add $C1 work_team org_id=${C1T[1]} name="Team for ${C1T[1]}" leader_cadre_id="$tcadre" \
    target_org_units=${C1T[1]}
add $C2 cadre org_id=$C2 name="Cadre of the other county" rank=staff
#  (the county's work unit above is a registry: subtree, the township holds it)
#  Internal records of the county and of the prefecture (up_only), and the
#  same tables about the township itself (anchored in it: it holds those)
for org in $P $C1; do
    anchor=$org
    add $org assessment org_id=$anchor subject_kind=county cycle=dynamic dimension=social
    add $org spot_check org_id=$anchor target_kind=other findings="internal check at $org"
    add $org meeting_record org_id=$anchor kind=joint occurred_on=2013-01-05
    add $org nomination org_id=$anchor year=2013 category=advanced_worker
    add $org stability_risk_assessment org_id=$anchor decision_ref="decision of $org" risk_grade=low
done
add $C1 assessment org_id=$T subject_kind=township cycle=dynamic dimension=social
add $C1 spot_check org_id=$T target_kind=township findings="check of $T"
add $C1 stability_risk_assessment org_id=$T decision_ref="decision about $T" risk_grade=low
#  Township rows: more households than the township's one cadre serves, so
#  the county's plan pairs some with a cadre of elsewhere (the county's)
households_csv "$S/h.csv" ${T}201 12 A
fugai $T --as clerk import household "$S/h.csv" > /dev/null
add ${C1T[1]} household org_id=${C1T[1]}201 head_name=Pema size=2 economy=farming

#  Converged: the township's subtree has the same digest at T, C1 and P,
#  and the last row written above it has arrived
in_t_early="cast(org_id as text) like '$T%'"
wait_until "the households of $T are at the prefecture" 30 \
    sql_is $P "select count(*) from household where org_id = ${T}201" 12
wait_until "the county's work unit is at $T" 30 sql_is $T "select count(*) from work_unit" 1
wait_until "the county holds the households of $T" 30 \
    sql_is $C1 "select count(*) from household where $in_t_early" 12
out=$(fugai $C1 --as office --json plan run --effective "$(date -u +%F)" --publish) || fail "plan publish: $out"
wait_until "$T holds the pairs of its households" 30 \
    sql_is $T "select count(*) from pairing where $in_t_early" 12
wait_until "$T holds its cadre's pair in ${C1T[1]}" 30 \
    sql_is $T "select count(*) from pairing where not ($in_t_early)" 1
wait_until "the digest of $T agrees at $T, $C1 and $P" 30 \
    eval '[ "$(digest $T $T)" = "$(digest $C1 $T)" ] && [ "$(digest $P $T)" = "$(digest $T $T)" ]'
sleep 2    # anything wrongly routed would have come with the rows above

#  rows ORG TABLE WHERE: the ids of the table's rows at ORG, sorted
rows () {
    sql "$1" "select id from $2 where $3 order by id" | tr '\n' ' '
}
#  org_id in the township's subtree / above it (an ancestor of it)
in_t="cast(org_id as text) like '$T%'"
above_t="'$T' like cast(org_id as text) || '_%'"

for table in cadre assessment spot_check meeting_record nomination stability_risk_assessment; do
    expect_eq "$table at $T (catalogue: its subtree only)" \
        "$(rows $T $table 1)" "$(rows $P $table "$in_t")"
done
for table in work_unit directive; do
    expect_eq "$table at $T (catalogue: its subtree and its ancestors)" \
        "$(rows $T $table 1)" "$(rows $P $table "$in_t or $above_t")"
done
expect_eq "households at $T" "$(rows $T household 1)" "$(rows $P household "$in_t")"
#  Pairs: of its households, and of its own cadres elsewhere (second
#  anchor); at the neighbour the same rule gives it the cross pair too
cadre_in () {    # ORG: the pair's cadre works in ORG's subtree
    echo "cast(cadre_org as text) like '$1%'"
}
expect_eq "pairings at $T" "$(rows $T pairing 1)" "$(rows $P pairing "$in_t or $(cadre_in $T)")"
T1=${C1T[1]}
expect_eq "pairings at $T1" "$(rows $T1 pairing 1)" \
    "$(rows $P pairing "cast(org_id as text) like '$T1%' or $(cadre_in $T1)")"
cross=$(sql $T "select household_name || '|' || org_id || '|' || cadre_id from pairing where not ($in_t)")
expect_eq "the pair of $T's cadre with a household of $T1, at $T" "$cross" "Pema|${T1}201|$tcadre"
expect_sql $T "select count(*) from household where not ($in_t)" 0 "households of elsewhere at $T"
expect_sql $T "select count(*) from person where not ($in_t)" 0 "persons of elsewhere at $T"
fugai $T show cadre "$tcadre" > "$S/cadre.txt" || fail "show cadre $tcadre at $T"
grep -q "${T1}201" "$S/cadre.txt" || fail "show cadre at $T does not list its pair in $T1: $(cat "$S/cadre.txt")"
#  Referenced: each pair of its households carries its cadre's name and
#  phone as the prefecture knows them, for cadres it does not hold too
pairs () {    # ORG: id|cadre_name|cadre_phone of the pairs of T's households
    sql "$1" "select p.id || '|' || coalesce (p.cadre_name, '-') || '|' || coalesce (p.cadre_phone, '-')
              from pairing p where cast(p.org_id as text) like '$T%' order by p.id"
}
truth=$(sql $P "select p.id || '|' || c.name || '|' || coalesce (c.phone, '-') from pairing p
                join cadre c on c.id = p.cadre_id where cast(p.org_id as text) like '$T%' order by p.id")
expect_eq "the cadres' names and phones in the pairs at $T" "$(pairs $T)" "$truth"
foreign=$(sql $T "select count(*) from pairing where cadre_id not in (select id from cadre)")
[ "$foreign" -gt 0 ] || fail "no pair at $T with a cadre of elsewhere: the test shows nothing"
#  ... and the household's page at the township shows that cadre's name
read -r hh cname < <(sql $T "select household_id || ' ' || cadre_name from pairing
                             where cadre_id not in (select id from cadre) order by id limit 1")
fugai $T show household "$hh" > "$S/hh.txt" || fail "show household $hh at $T"
grep -q "$cname" "$S/hh.txt" || fail "show household $hh at $T does not name its cadre $cname: $(cat "$S/hh.txt")"
#  Contact fields only where the cadre works with the township's households
expect_sql ${C1T[1]} "select count(*) from pairing where cadre_phone = '13800000002'" 0 \
    "the county cadre's phone at ${C1T[1]}, whose households it does not serve"
#  Not empty by accident: what it must hold is there
expect_sql $T "select name from cadre" "Cadre of $T" "cadres at $T"
expect_sql $T "select count(*) from assessment" 1 "assessments at $T"
#  And the county holds its own internal records (they went up, not down)
expect_sql $C1 "select count(*) from meeting_record" 1 "meeting records at $C1"
expect_sql $P "select count(*) from meeting_record" 2 "meeting records at $P"

it_end
