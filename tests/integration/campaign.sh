#!/usr/bin/env bash
# campaign: ten minutes of everything going wrong at once (label long:
# `tests/run --long`, not CI's default). A prefecture, two counties and
# four townships; every node's processes run with the power-cut harness
# (libcut.sh); each township has a clerk writing without pause (single
# records and 50-row imports, each name kept once fugai said done). Every
# 1-3 s one event, at random:
#   kill       kill -9 of any node, started again 0-1 s later
#   power      a power cut of any node (a township's cut takes its clerk's
#              command too): every write after each file's last fsync
#              undone, then started again
#   stall      a county hub stopped (SIGSTOP) for 3-10 s, its links time
#              out, then continued
#   backup     an online copy of a township's replica (sqlite3 .backup)
#   restore    a township put back to its last backup (the operator's
#              procedure: clerk paused, daemon stopped, the file replaced,
#              one record written, daemon started, `fugai epoch` at the
#              county)
#   disk       a township's disk fails (garbage over a page of its
#              replica): its daemon refuses to start (quick_check), and
#              the operator restores it from the county (keys and
#              fugai.cfg kept, `fugai restore-from-parent`)
# The restore and disk events wait until the township's entries are at its
# county (what the procedure says to check first), so no acknowledged
# write is lost by design. At the end, the links left healed: equal
# digests of every township at T, C and P, the same entries of each
# township at C and P, every acknowledged write present at its township,
# its county and the prefecture, nothing buffered, integrity_check and
# fugai check pass everywhere. Figures (events of each kind, writes
# acknowledged, writes undone by the cuts, time to converge) in the notes.
#
# Usage: campaign.sh [FUGAI HUB EDGE [POWERCUT_LIB POWERCUT_APPLY]]
# Environment: FUGAI_CAMPAIGN_SECONDS (default 600), FUGAI_CAMPAIGN_SEED.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
. "$(dirname "$0")/libcut.sh"
DURATION=${FUGAI_CAMPAIGN_SECONDS:-600}
CUT_LIB=$(readlink -f "${4:-$(dirname "$0")/../../build/tests/libfugai-powercut.so}")
CUT_APPLY=$(readlink -f "${5:-$(dirname "$0")/../../build/tests/fugai-powercut-apply}")
it_begin campaign 27200 $((DURATION + 600)) "$@"
cut_setup "$CUT_LIB" "$CUT_APPLY"
SEED=${FUGAI_CAMPAIGN_SEED:-$$}
RANDOM=$SEED
note "seed $SEED (FUGAI_CAMPAIGN_SEED=$SEED repeats the same draws), $DURATION s"

P=513300; C1=513328; C2=513321
TS=(513328100 513328101 513321100 513321101)
ALL=($P $C1 $C2 "${TS[@]}")
tree_up "${ALL[@]}"
for org in "${ALL[@]}"; do cfg_set $org sync/batch_bytes 16384; done

up () { start_node "$1" $(cut_env "$1"); }
cfugai () {       # cfugai ORG ARGS...: fugai at ORG under its power
    local org=$1
    shift
    env $(cut_env "$org") "$FUGAI" -C "$S/$org" "$@"
}

#  --- The clerks
writer () {
    local t=$1 i=0
    while [ ! -e "$S/stop" ]; do
        if [ -e "$S/pause-$t" ]; then
            touch "$S/paused-$t"
            sleep 0.2
            continue
        fi
        i=$((i + 1))
        if [ $((i % 10)) = 0 ]; then
            households_csv "$S/w-$t.csv" ${t}$(printf '%03d' $((200 + i % 40))) 50 "$t-b$i-$$"
            if cfugai $t --as clerk import household "$S/w-$t.csv" > /dev/null 2>&1; then
                echo "$t-b$i-$$-50" >> "$S/acked-$t"
            else
                sleep 0.2
            fi
        elif cfugai $t --as clerk add household org_id=${t}201 head_name="$t-$i-$$" size=2 > /dev/null 2>&1; then
            echo "$t-$i-$$" >> "$S/acked-$t"
        else
            sleep 0.2           #  refused (restoring, recovering): the clerk tries again
        fi
    done
}
start_writer () { rm -f "$S/pause-$1" "$S/paused-$1"; start_bg "writer-$1" writer "$1"; }
pause_writer () {
    touch "$S/pause-$1"
    local i
    for ((i = 0; i < 300; i++)); do
        [ -e "$S/paused-$1" ] && return 0
        sleep 0.1
    done
    fail "the clerk of $1 did not pause within 30 s"
}
resume_writer () { rm -f "$S/pause-$1" "$S/paused-$1"; }

#  --- Events
declare -A COUNT=()
ev () { COUNT[$1]=$(( ${COUNT[$1]:-0} + 1 )); echo "$(date +%T.%N) $*" >> "$S/logs/events.out"; }
is_township () { [ "$(tier_of "$1")" = township ]; }

township_down () {   # the township's daemon and clerk, at once (SIGKILL)
    local t=$1 i
    kill -KILL "${IT_BG[writer-$t]}" 2>/dev/null || true
    pkill -KILL -f -- "-C $S/$t " 2>/dev/null || true
    kill -KILL "${IT_PID[$t]}" 2>/dev/null || true
    wait "${IT_PID[$t]}" 2>/dev/null || true
    wait "${IT_BG[writer-$t]}" 2>/dev/null || true
    unset "IT_PID[$t]" "IT_BG[writer-$t]"
    for ((i = 0; i < 50; i++)); do
        pgrep -f -- "-C $S/$t " > /dev/null || break
        sleep 0.1
    done
}
ev_kill () {
    local org=$1
    ev kill "$org"
    kill9_node "$org"
    sleep "0.$((RANDOM % 10))"
    up "$org"
}
ev_power () {
    local org=$1
    ev power "$org"
    if is_township "$org"; then
        township_down "$org"
        echo "===== it: power cut at $(date +%T.%N)" >> "$S/logs/$org.log"
        power_back "$org"
        local missing
        missing=$(acked_held "$org" "$S/acked-$org") \
            || fail "$missing acknowledged writes lost at $org in its power cut"
        up "$org"
        start_writer "$org"
    else
        kill9_node "$org"
        echo "===== it: power cut at $(date +%T.%N)" >> "$S/logs/$org.log"
        power_back "$org"
        up "$org"
    fi
}
ev_stall () {
    local c=$1 s=$((3 + RANDOM % 8))
    ev stall "$c" "$s s"
    kill -STOP "${IT_PID[$c]}"
    sleep $s
    kill -CONT "${IT_PID[$c]}"
}
ev_backup () {
    local t=$1
    ev backup "$t"
    sqlite3 "$S/$t/data.db" ".timeout 10000" ".backup '$S/backup-$t.db'" \
        || fail "sqlite3 .backup of $t"
}
#  synced_up T: the county holds every entry of the township
synced_up () {
    local t=$1
    same_entries "$(node_id "$t")" "" "$t" "$(parent_of "$t")" > /dev/null
}
wait_synced_up () {
    local t=$1 i
    for ((i = 0; i < 120; i++)); do
        synced_up "$t" && return 0
        sleep 0.5
    done
    return 1
}
ev_restore () {
    local t=$1 c
    c=$(parent_of "$t")
    [ -f "$S/backup-$t.db" ] || { ev_backup "$t"; return; }
    pause_writer "$t"
    if ! wait_synced_up "$t"; then
        ev restore-skipped "$t" "(not synced up within 60 s)"
        resume_writer "$t"
        return
    fi
    ev restore "$t"
    stop_node "$t"
    rm -f "$S/$t/data.db" "$S/$t/data.db-wal" "$S/$t/data.db-shm"
    cp "$S/backup-$t.db" "$S/$t/data.db"
    local name="$t-restored-${COUNT[restore]}"
    cfugai "$t" --as clerk add household org_id=${t}201 head_name="$name" size=1 > /dev/null \
        || fail "the first write after restoring $t from its backup"
    echo "$name" >> "$S/acked-$t"
    up "$t"
    #  The county sees the fork when the township connects; then epoch.
    #  Unless an epoch the county made after an earlier restore reaches the
    #  township first: it sets its new write aside itself and signs it
    #  again in that epoch, and no new epoch is needed (the write arrives)
    local i forked=0
    for ((i = 0; i < 120; i++)); do
        if sql_is "$c" "select count(*) > 0 from frontier where origin = $(node_id "$t") and state = 'forked'" 1; then
            forked=1
            break
        fi
        sql_is "$c" "select count(*) from household where head_name = '$name'" 1 && break
        sleep 0.5
    done
    if [ $forked = 1 ]; then
        cfugai "$c" --as admin epoch "$(node_id "$t")" >> "$S/logs/epoch.out" 2>&1 \
            || fail "fugai epoch at $c for $t: $(tail -n 3 "$S/logs/epoch.out")"
    elif [ $i -ge 120 ]; then
        fail "restore of $t: in 60 s its county neither saw a fork nor got the write $name"
    else
        ev restore-resolved-by-earlier-epoch "$t"
    fi
    resume_writer "$t"
}
ev_disk () {
    local t=$1 c
    c=$(parent_of "$t")
    pause_writer "$t"
    if ! wait_synced_up "$t"; then
        ev disk-skipped "$t" "(not synced up within 60 s)"
        resume_writer "$t"
        return
    fi
    ev disk "$t"
    stop_node "$t"
    sqlite3 "$S/$t/data.db" "pragma wal_checkpoint(truncate)" > /dev/null
    local size pages page tries
    size=$(sqlite3 "$S/$t/data.db" "pragma page_size")
    for ((tries = 0; tries < 20; tries++)); do
        pages=$(sqlite3 "$S/$t/data.db" "pragma page_count")
        page=$((2 + RANDOM % (pages - 1)))
        head -c 64 /dev/urandom | dd of="$S/$t/data.db" bs=1 seek=$(( (page - 1) * size )) conv=notrunc status=none
        sqlite3 "$S/$t/data.db" "pragma quick_check" 2>&1 | grep -qx ok || break
    done
    local rc=0
    timeout 20 "$EDGE" "$S/$t" > "$S/logs/disk-$t.out" 2>&1 || rc=$?
    [ $rc != 0 ] || fail "fugai-edge ran on the damaged replica of $t: $(tail -n 3 "$S/logs/disk-$t.out")"
    #  The procedure: keys and fugai.cfg kept, a new replica from the county
    rm -rf "$S/kept-$t"
    mkdir "$S/kept-$t"
    cp -a "$S/$t/keys" "$S/$t/fugai.cfg" "$S/kept-$t/"
    rm -rf "${S:?}/$t"
    mkdir "$S/$t"
    cp -a "$S/kept-$t/keys" "$S/kept-$t/fugai.cfg" "$S/$t/"
    cfugai "$t" restore-from-parent "$S/$c/keys/node.cert" >> "$S/logs/restore.out" 2>&1 \
        || fail "fugai restore-from-parent at $t: $(tail -n 3 "$S/logs/restore.out")"
    rm -f "$S/backup-$t.db"       #  a backup of the old replica would fork the new one
    up "$t"
    resume_writer "$t"
}

#  --- The campaign
for org in "${ALL[@]}"; do up "$org"; done
wait_connected "${ALL[@]:1}"
for t in "${TS[@]}"; do : > "$S/acked-$t"; start_writer "$t"; ev_backup "$t"; done
end=$(( $(date +%s) + DURATION ))
while [ "$(date +%s)" -lt $end ]; do
    sleep "$((1 + RANDOM % 2)).$((RANDOM % 10))"
    roll=$((RANDOM % 100))
    any=${ALL[$((RANDOM % ${#ALL[@]}))]}
    t=${TS[$((RANDOM % ${#TS[@]}))]}
    c=$(( RANDOM % 2 )); c=$([ $c = 0 ] && echo $C1 || echo $C2)
    if   [ $roll -lt 30 ]; then ev_kill "$any"
    elif [ $roll -lt 55 ]; then ev_power "$any"
    elif [ $roll -lt 70 ]; then ev_stall "$c"
    elif [ $roll -lt 82 ]; then ev_backup "$t"
    elif [ $roll -lt 93 ]; then ev_restore "$t"
    else ev_disk "$t"
    fi
    check_daemons
done
touch "$S/stop"
for t in "${TS[@]}"; do wait_bg "writer-$t"; done
summary=""
for k in kill power stall backup restore restore-skipped restore-resolved-by-earlier-epoch disk disk-skipped; do
    summary+="$k ${COUNT[$k]:-0}, "
done
acked=$(cat "$S"/acked-* | wc -l)
note "events: ${summary%, }; $acked writes acknowledged; the cuts undid $CUT_UNDONE writes"

#  --- Everything converges
t0=$(date +%s)
converged () {
    local t c
    for t in "${TS[@]}"; do
        c=$(parent_of "$t")
        same_entries "$(node_id "$t")" "" "$t" "$c" "$P" || return 1
        digests_equal "$t" "$t" "$c" "$P" || return 1
    done
}
wait_until "every township's entries and digest equal at T, C and P" 300 converged
note "converged $(( $(date +%s) - t0 )) s after the last event"
for t in "${TS[@]}"; do
    for org in "$t" "$(parent_of "$t")" $P; do
        missing=$(acked_held "$org" "$S/acked-$t") || fail "$missing acknowledged writes of $t missing at $org"
    done
done
for org in "${ALL[@]}"; do
    expect_sql "$org" "pragma integrity_check" ok
    nothing_stuck "$org" || fail "entries buffered at $org"
    fugai "$org" check > "$S/logs/check-$org.out" 2>&1 \
        || fail "fugai check at $org: $(tail -n 3 "$S/logs/check-$org.out")"
done
for c in $C1 $C2; do expect_digests_equal "$c" "$c" $P; done
it_end
