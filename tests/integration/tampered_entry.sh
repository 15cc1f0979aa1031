#!/usr/bin/env bash
# tampered_entry: one entry corrupted in transit (FUGAI_TEST_CORRUPT flips a
# payload byte the first time the edge sends it) in the middle of a run of
# 20 new records:
#  - the county refuses that copy with reason bad_signature (quarantine
#    table and fugai quarantine list), and nothing else;
#  - the refusal travels down to the township (its refusal table);
#  - the entries after it wait as a gap, the true copy is sent again, and
#    all 20 records end up at the county and the prefecture, once each,
#    with the same digest; nothing stays buffered.
# Twice: the 20 written offline (one batch, the bad entry inside it), then
# 20 written one by one while the edge runs (the bad entry alone).
. "$(dirname "$0")/lib.sh"
it_begin tampered_entry 21400 100 "$@"

P=513300; C=513328; T=513328100; T_ID=28100
tree_up $P $C $T
start_all $P $C $T
wait_connected $C $T
caught_up () {   # ORG: holds every entry of the township
    sql_is "$1" "select count(*) from log where origin = $T_ID" "$(count_origin $T $T_ID)"
}
wait_until "the county holds the township's first entries" 20 caught_up $C

#  round NAME BAD_INDEX OFFLINE: 20 records R1..R20 at the township; the
#  BAD_INDEX-th one is corrupted in transit
round () {
    local name=$1 bad=$2 offline=$3
    local s0 seq i
    s0=$(sql $T "select max(seq) from log where origin = $T_ID")
    seq=$((s0 + bad))
    stop_node $T
    if [ "$offline" = 1 ]; then
        for i in $(seq 20); do
            fugai $T --as clerk add household org_id=${T}201 head_name=$name-$i size=$i > /dev/null
        done
        start_node $T FUGAI_TEST_CORRUPT=$T_ID/$seq
    else
        start_node $T FUGAI_TEST_CORRUPT=$T_ID/$seq
        wait_connected $T
        for i in $(seq 20); do
            fugai $T --as clerk add household org_id=${T}201 head_name=$name-$i size=$i > /dev/null
            sleep 0.05      # (pacing only: each entry tends to go alone)
        done
    fi
    expect_sql $T "select max(seq) from log where origin = $T_ID" $((s0 + 20)) "own seq at the township"
    expect_sql $T "select count(*) from household where head_name like '$name-%'" 20 "records $name at the township"
    wait_until "the edge corrupts entry $T_ID/$seq in transit" 20 \
        log_has_text $T "corrupting entry $T_ID/$seq once in transit"
    wait_until "the county quarantines $T_ID/$seq as bad_signature" 20 \
        sql_is $C "select count(*) from quarantine where origin = $T_ID and seq = $seq and reason = 'bad_signature'" 1
    wait_until "all 20 records $name are at the prefecture" 40 \
        sql_is $P "select count(*) from household where head_name like '$name-%'" 20
    wait_until "the refusal of $T_ID/$seq is at the township" 20 \
        sql_is $T "select origin || '/' || seq || ' ' || reason || ' by ' || created_by from refusal where seq = $seq" \
        "$T_ID/$seq bad_signature by $(node_id $C)"
    wait_until "the county and the prefecture hold every entry of the township" 20 \
        eval 'caught_up $C && caught_up $P'
    local org
    for org in $C $P; do
        expect_sql $org "select count(*) from household where head_name like '$name-%'" 20 "records $name at $org"
        expect_sql $org "select group_concat(size, ',') from (select size from household where head_name like '$name-%' order by size)" \
            "$(seq -s, 20)" "sizes of the records $name at $org"
        expect_sql $org "select count(*) from buffer" 0 "entries still buffered at $org"
        expect_eq "digest of $T at $org" "$(digest $org $T)" "$(digest $T $T)"
    done
    expect_sql $P "select count(*) from quarantine" 0 "entries quarantined at the prefecture (it never saw the bad copy)"
    #  The quarantine holds this one refusal of the round and no other
    expect_sql $C "select count(*) from quarantine where origin = $T_ID and seq > $s0" 1 \
        "entries of round $name quarantined at the county"
    case $(fugai $C quarantine list) in
        *"$T_ID"*"$seq"*"bad_signature"*) ;;
        *) fail "fugai quarantine list at the county does not show $T_ID/$seq bad_signature: $(fugai $C quarantine list)" ;;
    esac
    expect_sql $P "select count(*) from refusal where origin = $T_ID and seq = $seq and reason = 'bad_signature'" 1 \
        "the county's refusal record at the prefecture"
    note "round $name: entry $T_ID/$seq refused in transit, healed"
}
round Offline 10 1
round Live 10 0
expect_sql $C "select count(*) from quarantine" 2 "entries quarantined at the county in all"
fugai $C check > check.out || fail "fugai check at the county: $(cat check.out)"

it_end
