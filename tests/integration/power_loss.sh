#!/usr/bin/env bash
# power_loss: a power cut, not only kill -9. The processes of a node (its
# daemon and its fugai commands) run with tests/powerloss/powercut.c
# preloaded, which logs the bytes each write covers and each fsync; a cut
# is SIGKILL to all of them, then powercut-apply undoes every write made
# after each file's last fsync: the node's files are what a disk that lost
# its cache holds (the harshest case of a real cut, on the ext4 of /tmp).
#
# First a control case shows the harness bites: an SQLite database written
# with synchronous=OFF loses its table in a cut, one with synchronous=FULL
# keeps it. Then a township writes without pause while, in turn, the
# township and the county lose power (CUTS times, 0.3-1.5 s apart). What
# an acknowledgement promises must survive:
#   - every write `fugai add` reported done at the township is still there
#     after the township's cut;
#   - the county's cursor of the township and the prefecture's cursor of
#     the county never go back, and no child finds its parent holding less
#     than it acknowledged;
# and at the end every acknowledged write is at the county and the
# prefecture, exactly once, integrity_check and fugai check pass, and the
# township's digest is the same at the three nodes.
#
# Usage: power_loss.sh [FUGAI HUB EDGE [POWERCUT_LIB POWERCUT_APPLY]]
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libcut.sh"
CUT_LIB=$(readlink -f "${4:-$(dirname "$0")/../../build/tests/libfugai-powercut.so}")
CUT_APPLY=$(readlink -f "${5:-$(dirname "$0")/../../build/tests/fugai-powercut-apply}")
it_begin power_loss 27100 240 "$@"
cut_setup "$CUT_LIB" "$CUT_APPLY"

P=513300; C=513328; T=513328100
CUTS=${FUGAI_IT_CUTS:-12}

#  --- Control: the harness drops what was not synced, keeps what was
mkdir -p "$S/control"
for mode in off full; do
    env $(cut_env control) sqlite3 "$S/control/$mode.db" \
        "pragma journal_mode = wal; pragma synchronous = $mode; create table t (a); insert into t values (1), (2), (3);" \
        > /dev/null || fail "control: sqlite3 with synchronous=$mode"
done
power_back control
kept=$(sqlite3 "$S/control/full.db" "select count(*) from t") || fail "control: synchronous=FULL lost its table"
expect_eq "control: rows kept with synchronous=FULL" "$kept" 3
if lost=$(sqlite3 "$S/control/off.db" "select count(*) from t" 2>/dev/null) && [ "$lost" = 3 ]; then
    fail "control: the cut kept a table written with synchronous=OFF: the harness drops nothing"
fi
note "control: synchronous=OFF lost its table in the cut, synchronous=FULL kept its 3 rows"

#  --- The tree, the township writing
tree_up $P $C $T
for org in $P $C $T; do cfg_set $org sync/batch_bytes 8192; done
T_ID=$(node_id $T); C_ID=$(node_id $C)

#  The writer: single records and 100-row imports, each name written to
#  acked only once fugai said it was done (acked is outside the node: it
#  stands for what the clerk was told)
writer () {
    local i=0
    while [ ! -e "$S/writer-stop" ]; do
        i=$((i + 1))
        if [ $((i % 8)) = 0 ]; then
            households_csv "$S/w-$i.csv" ${T}$(printf '%03d' $((200 + i % 40))) 100 "batch$i"
            env $(cut_env $T) "$FUGAI" -C "$S/$T" --as writer import household "$S/w-$i.csv" > /dev/null \
                || continue
            echo "batch$i-100" >> "$S/acked"
        else
            env $(cut_env $T) "$FUGAI" -C "$S/$T" --as writer add household org_id=${T}201 \
                head_name="one-$i" size=2 > /dev/null || continue
            echo "one-$i" >> "$S/acked"
        fi
    done
}
#  A township's cut takes its daemon and every fugai of it at once
cut_township () {
    kill -KILL "${IT_BG[writer]}" 2>/dev/null || true
    pkill -KILL -f -- "-C $S/$T " 2>/dev/null || true
    kill -KILL "${IT_PID[$T]}" 2>/dev/null || true
    wait "${IT_PID[$T]}" 2>/dev/null || true
    wait "${IT_BG[writer]}" 2>/dev/null || true
    unset "IT_PID[$T]" "IT_BG[writer]"
    local i
    for ((i = 0; i < 50; i++)); do
        pgrep -f -- "-C $S/$T " > /dev/null || break
        sleep 0.1
    done
    echo "===== it: power cut at $(date +%T.%N)" >> "$S/logs/$T.log"
    power_back $T
}
cut_county () {
    kill -KILL "${IT_PID[$C]}" 2>/dev/null || true
    wait "${IT_PID[$C]}" 2>/dev/null || true
    unset "IT_PID[$C]"
    echo "===== it: power cut at $(date +%T.%N)" >> "$S/logs/$C.log"
    power_back $C
}
cursor () {       # cursor RECEIVER PEER_ID
    sql "$1" "select coalesce (max (cursor), 0) from link where peer = $2 and dir = 'in'"
}
start_node $P
start_node $C $(cut_env $C)
start_node $T $(cut_env $T)
: > "$S/acked"
start_bg writer writer
max_c=0; max_p=0; cuts_t=0; cuts_c=0
for ((cut = 1; cut <= CUTS; cut++)); do
    sleep "$((RANDOM % 2)).$(printf '%03d' $((300 + RANDOM % 700)))"
    if [ $((cut % 2)) = 1 ]; then
        cut_township
        cuts_t=$((cuts_t + 1))
        missing=$(acked_held $T "$S/acked") || fail "cut $cut: $missing acknowledged writes lost at the township"
        start_node $T $(cut_env $T)
        start_bg writer writer
    else
        cut_county
        cuts_c=$((cuts_c + 1))
        now_c=$(cursor $C $T_ID); now_p=$(cursor $P $C_ID)
        [ "$now_c" -ge "$max_c" ] || fail "cut $cut: the county's cursor of the township went back: $max_c -> $now_c"
        [ "$now_p" -ge "$max_p" ] || fail "cut $cut: the prefecture's cursor of the county went back: $max_p -> $now_p"
        max_c=$now_c; max_p=$now_p
        start_node $C $(cut_env $C)
    fi
done
touch "$S/writer-stop"
wait_bg writer
acked=$(wc -l < "$S/acked")
note "$cuts_t power cuts at the township, $cuts_c at the county; $acked writes acknowledged;" \
     "the cuts undid $CUT_UNDONE writes made after an fsync (details in logs/cuts.out)"
[ "$CUT_UNDONE" -gt 0 ] || fail "no cut undid any write: the harness saw no unsynced write, the test shows nothing"
[ "$acked" -gt 0 ] || fail "the writer was never acknowledged"

all_held () {
    local want
    want=$(count_origin $T $T_ID)
    [ "$(count_origin $C $T_ID)" = "$want" ] && [ "$(count_origin $P $T_ID)" = "$want" ]
}
wait_until "every township entry is at the county and the prefecture" 90 all_held
for org in $T $C $P; do
    missing=$(acked_held $org "$S/acked") || fail "$missing acknowledged writes missing at $org"
    expect_sql $org "pragma integrity_check" ok
done
for org in $C $P; do
    expect_sql $org "select count(*) from (select seq from log where origin = $T_ID group by seq having count(*) > 1)" 0
    expect_sql $org "select count(*) from quarantine" 0
done
for org in $T $C; do
    fugai $org check > "$S/logs/check-$org.out" || fail "fugai check at $org: $(tail -n 3 "$S/logs/check-$org.out")"
    ! grep -q "lost acknowledged" "$S/logs/$org.log" \
        || fail "$org found its parent holding less than it acknowledged: $(grep -m1 'lost acknowledged' "$S/logs/$org.log")"
done
dt=$(digest $T $T); dc=$(digest $C $T); dp=$(digest $P $T)
expect_eq "digest of the township at the county" "$dc" "$dt"
expect_eq "digest of the township at the prefecture" "$dp" "$dt"
stop_all
it_end
