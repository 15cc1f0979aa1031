#!/usr/bin/env bash
# crash_loop: many kill -9 at random points. The county hub is started and
# killed with SIGKILL 60 times, each time 80..600 ms after its start, while
# its township writes without pause (single records and 200-row imports)
# and while the county relays up to the prefecture. An acknowledgement
# promises a commit, so after every crash:
#   - the county's cursor of the township and the prefecture's cursor of
#     the county never go back (sampled after each kill);
#   - no child ever finds its parent holding less than it acknowledged
#     (the edge and the county log "lost acknowledged entries" if so);
# and at the end every township entry is at the county and the prefecture
# exactly once, nothing refused or waiting, PRAGMA integrity_check and
# fugai check pass at the county, and the township's digest is the same at
# the three nodes.
. "$(dirname "$0")/lib.sh"
it_begin crash_loop 23700 170 "$@"

P=513300; C=513328; T=513328100
CYCLES=60
tree_up $P $C $T
for org in $P $C $T; do cfg_set $org sync/batch_bytes 8192; done
T_ID=$(node_id $T); C_ID=$(node_id $C)

writer () {
    local i=0
    while [ ! -e "$S/crashes-done" ]; do
        i=$((i + 1))
        if [ $((i % 10)) = 0 ]; then
            households_csv "$S/w.csv" ${T}$(printf '%03d' $((200 + i % 40))) 200 "W$i"
            "$FUGAI" -C "$S/$T" --as writer import household "$S/w.csv" > /dev/null || return 1
        else
            "$FUGAI" -C "$S/$T" --as writer add household org_id=${T}201 head_name="one-$i" size=2 \
                > /dev/null || return 1
        fi
        [ $i -lt 100000 ] || return 2
    done
    echo "$i writes"
}

cursor () {       # cursor RECEIVER PEER_ID
    sql "$1" "select coalesce (max (cursor), 0) from link where peer = $2 and dir = 'in'"
}

start_node $P
start_node $T
start_bg writer writer
max_c=0; max_p=0
for ((cycle = 1; cycle <= CYCLES; cycle++)); do
    start_node $C
    sleep "0.$(printf '%03d' $((80 + RANDOM % 520)))"
    kill -KILL "${IT_PID[$C]}"
    wait "${IT_PID[$C]}" 2>/dev/null || true
    unset "IT_PID[$C]"
    echo "===== it: killed (SIGKILL) in cycle $cycle at $(date +%T.%N)" >> "$S/logs/$C.log"
    now_c=$(cursor $C $T_ID); now_p=$(cursor $P $C_ID)
    [ "$now_c" -ge "$max_c" ] || fail "cycle $cycle: the county's cursor of the township went back: $max_c -> $now_c"
    [ "$now_p" -ge "$max_p" ] || fail "cycle $cycle: the prefecture's cursor of the county went back: $max_p -> $now_p"
    max_c=$now_c; max_p=$now_p
done
touch "$S/crashes-done"
wait_bg writer
note "$CYCLES kills of the county; the township wrote $(cat "$S/logs/writer.out"); county cursor $max_c"

start_node $C
all_held () {
    local want
    want=$(count_origin $T $T_ID)
    [ "$(count_origin $C $T_ID)" = "$want" ] && [ "$(count_origin $P $T_ID)" = "$want" ]
}
wait_until "every township entry is at the county and the prefecture" 60 all_held

want=$(count_origin $T $T_ID)
for org in $C $P; do
    expect_sql $org "select count(*) from (select seq from log where origin = $T_ID group by seq having count(*) > 1)" 0
    expect_sql $org "select count(*) from log where origin = $T_ID" "$want"
    expect_sql $org "select count(*) from quarantine" 0
    expect_sql $org "select count(*) from buffer" 0
done
expect_sql $C "pragma integrity_check" ok
fugai $C check > "$S/logs/check-C.out" || fail "fugai check at the county: $(tail -n 3 "$S/logs/check-C.out")"
dt=$(digest $T $T); dc=$(digest $C $T); dp=$(digest $P $T)
expect_eq "digest of the township at the county" "$dc" "$dt"
expect_eq "digest of the township at the prefecture" "$dp" "$dt"
for org in $T $C; do
    if grep -q "lost acknowledged entries" "$S/logs/$org.log"; then
        fail "$org found its parent holding less than it had acknowledged: $(grep -m1 'lost acknowledged' "$S/logs/$org.log")"
    fi
done
note "all $want township entries once at the county and the prefecture after $CYCLES crashes"
it_end
