# libcut.sh - power cuts for the integration tests (power_loss, campaign),
# sourced after lib.sh and it_begin. A node's processes run with
# tests/powerloss/powercut.c preloaded (cut_env ORG); after they are all
# killed with SIGKILL, power_back ORG undoes every write made after each
# file's last fsync (fugai-powercut-apply) and clears the node's log.
#
# cut_setup LIB APPLY: copy the harness into the scratch directory.

CUT_UNDONE=0

cut_setup () {
    local lib=$1 apply=$2
    [ -f "$lib" ] && [ -x "$apply" ] || fail "build the power-cut harness first ($lib, $apply)"
    cp "$lib" "$apply" "$S/bin/"
    PC_LIB=$S/bin/$(basename "$lib"); PC_APPLY=$S/bin/$(basename "$apply")
}

#  cut_env ORG: the environment of ORG's processes (a sanitizer build
#  accepts a library preloaded before its runtime)
cut_env () {
    echo "LD_PRELOAD=$PC_LIB" "FG_POWERCUT_DIR=$S/$1" "FG_POWERCUT_LOG=$S/cut-$1.log" \
         "ASAN_OPTIONS=verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
}

#  power_back ORG: what the cut leaves; CUT_UNDONE counts the writes undone
power_back () {
    local out
    out=$("$PC_APPLY" "$S/cut-$1.log") || fail "powercut-apply at $1: $out"
    echo "$(date +%T.%N) $1: $out" >> "$S/logs/cuts.out"
    CUT_UNDONE=$((CUT_UNDONE + $(echo "$out" | awk '{ print $2 }')))
    : > "$S/cut-$1.log"
}

#  acked_held ORG FILE: every head_name listed in FILE (writes a clerk
#  was told were done) is a household in ORG's replica; prints how many
#  are missing otherwise
acked_held () {
    local org=$1 file=$2 missing
    [ -s "$file" ] || return 0
    missing=$(sqlite3 -batch "$S/$org/data.db" ".timeout 10000" \
        "create temp table w (name text)" ".import $file w" \
        "select count(*) from w where name not in (select head_name from household)" 2>&1) \
        || { echo "(sqlite3: $missing)"; return 1; }
    [ "$missing" = 0 ] || { echo "$missing"; return 1; }
}
