# lib.sh - shared helpers of the fugai integration tests (sourced, bash).
#
# A test script starts with
#     . "$(dirname "$0")/lib.sh"
#     it_begin NAME PORT_BASE DEADLINE_S "$@"
# where "$@" is FUGAI HUB EDGE (paths of the three binaries, as CTest
# passes them); without them the binaries of ../../build are used.
#
# What it_begin sets up:
#   - a scratch directory $S under ${TMPDIR:-/tmp}: one node directory per
#     org code ($S/513328100), daemon logs in $S/logs/ORG.log;
#   - an EXIT trap that stops every daemon the test started, removes $S on
#     success and keeps it on failure (saying where), printing the tail of
#     every daemon log;
#   - a watchdog: past DEADLINE_S seconds the test fails with its logs (set
#     it below the CTest TIMEOUT), and if the test shell dies without
#     running its trap (SIGKILL), the watchdog kills the daemons it left.
#
# Failing: `fail MESSAGE` (or any command that fails: the shell runs with
# set -e and an ERR trap that names the command and line). Helpers that
# print a value (sql, node_id, ...) never call fail themselves; a failure
# inside $(...) still ends the test through set -e.
#
# Everything runs on 127.0.0.1. Ports come from the test's own range of
# 100 from its base (20000-29999, or 30000-39999 for the tests given a
# base there; a different base per test so that tests
# run in parallel); the test holds a lock on its range in
# /tmp/fugai-it-locks, and moves up by 1000 while another run on the machine
# (another build tree) holds it; a port already listening is skipped.
#
# Environment: FUGAI_IT_KEEP=1 keeps the scratch directory on success too;
# FUGAI_IT_PORT_SHIFT=N moves every base by N; FUGAI_IT_SLOW=N multiplies
# the deadline and the bound of every wait (wait_until, wait_for) by N
# (CTest sets 3 in the sanitizers' build, which runs 2 to 5 times slower);
# TMPDIR as usual.
#
# The binaries the test runs are private copies in $S/bin, and every test
# ends (it_end) by stopping its daemons with SIGTERM, which must succeed
# with exit status 0.

set -eE -o pipefail
shopt -s nullglob

IT_NAME=
S=
IT_FAILED=0
IT_DONE=0
IT_PORT_NEXT=0
IT_PORT_END=0
IT_WATCHDOG=
IT_WAITING=
IT_T0=
declare -A IT_PID=()        # org -> pid of its running daemon
declare -A IT_LOGPOS=()     # org -> size of its log when it was last started
declare -A IT_PORT=()       # org -> listen port (hubs)

#  ---------------------------------------------------------------------------
#  Reporting

it_elapsed () {
    local now=${EPOCHREALTIME/./}
    local ms=$(( (now - IT_T0) / 1000 ))
    printf '%d.%01ds' $((ms / 1000)) $(((ms % 1000) / 100))
}

note () {
    echo "[$IT_NAME +$(it_elapsed)] $*" >&7
}

it_dump_logs () {
    local log
    for log in "$S"/logs/*.log "$S"/logs/*.out; do
        echo "----- last 40 lines of $log"
        tail -n 40 "$log" | sed 's/^/    /'
    done
    [ -d "$S" ] && echo "----- (full logs and node directories in $S)"
    return 0
}

fail () {
    trap - ERR
    echo "FAIL [$IT_NAME +$(it_elapsed)]: $*" >&8
    IT_FAILED=1
    exit 1
}

it_on_err () {
    local rc=$? line=$1 cmd=$2
    trap - ERR
    echo "FAIL [$IT_NAME +$(it_elapsed)]: command failed with exit code $rc at ${BASH_SOURCE[1]##*/} line $line: $cmd" >&8
    IT_FAILED=1
    exit 1
}

it_on_signal () {
    trap - ERR
    echo "FAIL [$IT_NAME +$(it_elapsed)]: stopped by SIG$1 (the test's deadline passed, or it was interrupted)${IT_WAITING:+ while waiting until $IT_WAITING}" >&8
    IT_FAILED=1
    exit 1
}

it_cleanup () {
    local rc=$?
    trap - ERR EXIT INT TERM
    set +e
    [ "$IT_DONE" = 1 ] || IT_FAILED=1
    [ "$rc" = 0 ] || IT_FAILED=1
    local org name
    for name in "${!IT_BG[@]}"; do
        kill -KILL "${IT_BG[$name]}" 2>/dev/null
        wait "${IT_BG[$name]}" 2>/dev/null
    done
    for org in "${!IT_PID[@]}"; do
        kill -TERM "${IT_PID[$org]}" 2>/dev/null
    done
    local waited=0
    for org in "${!IT_PID[@]}"; do
        while kill -0 "${IT_PID[$org]}" 2>/dev/null && [ $waited -lt 50 ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        kill -KILL "${IT_PID[$org]}" 2>/dev/null
        wait "${IT_PID[$org]}" 2>/dev/null
    done
    if [ -n "$IT_WATCHDOG" ]; then
        kill -TERM "$IT_WATCHDOG" 2>/dev/null
        wait "$IT_WATCHDOG" 2>/dev/null
    fi
    #  (fds 7 and 8: the test's own stdout and stderr, whatever a command
    #  that failed had redirected)
    if [ "$IT_FAILED" = 1 ]; then
        [ -n "$S" ] && it_dump_logs >&8
        echo "FAILED: $IT_NAME after $(it_elapsed); scratch directory kept: $S" >&8
        exit 1
    fi
    if [ "${FUGAI_IT_KEEP:-0}" = 1 ]; then
        echo "PASSED: $IT_NAME in $(it_elapsed); scratch directory kept: $S" >&7
    else
        rm -rf "$S"
        echo "PASSED: $IT_NAME in $(it_elapsed)" >&7
    fi
    exit 0
}

#  it_begin NAME PORT_BASE DEADLINE_S [FUGAI HUB EDGE]
it_begin () {
    IT_NAME=$1
    local base=$2 deadline=$(($3 * ${FUGAI_IT_SLOW:-1}))
    shift 3
    #  The test's stdout and stderr stay reachable as fds 7 and 8, so that
    #  a failure inside a redirected command is still reported
    exec 7>&1 8>&2
    IT_T0=${EPOCHREALTIME/./}
    local here
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    FUGAI=${1:-$here/../../build/edge/fugai}
    HUB=${2:-$here/../../build/hub/fugai-hub}
    EDGE=${3:-$here/../../build/edge/fugai-edge}
    local bin
    for bin in "$FUGAI" "$HUB" "$EDGE"; do
        [ -x "$bin" ] || { echo "FAIL [$IT_NAME]: $bin is not an executable (build first, or pass FUGAI HUB EDGE)" >&2; exit 1; }
    done
    FUGAI=$(readlink -f "$FUGAI"); HUB=$(readlink -f "$HUB"); EDGE=$(readlink -f "$EDGE")
    local bindir
    bindir=$(dirname "$(dirname "$FUGAI")")
    command -v sqlite3 >/dev/null || { echo "FAIL [$IT_NAME]: sqlite3 (the command) is needed" >&2; exit 1; }
    base=$((base + ${FUGAI_IT_PORT_SHIFT:-0}))
    local top=29999
    [ $base -lt 30000 ] || top=39999
    if [ $base -lt 20000 ] || [ $((base + 99)) -gt $top ]; then
        echo "FAIL [$IT_NAME]: port base $base is outside 20000-29999 and 30000-39999" >&2
        exit 1
    fi
    #  Another copy of this test running on the machine (another build
    #  tree) holds the lock of its range: move up by 1000 until one is free
    mkdir -p /tmp/fugai-it-locks 2>/dev/null && chmod 1777 /tmp/fugai-it-locks 2>/dev/null || true
    local shifted
    for ((shifted = base; shifted + 99 <= top; shifted += 1000)); do
        exec 9> "/tmp/fugai-it-locks/ports-$shifted.lock" || continue
        if flock -n 9; then
            break
        fi
        exec 9>&-
    done
    if [ $((shifted + 99)) -gt $top ]; then
        echo "FAIL [$IT_NAME]: every port range from $base up is in use by other test runs" >&2
        exit 1
    fi
    IT_PORT_NEXT=$shifted
    IT_PORT_END=$((shifted + 99))
    S=$(mktemp -d "${TMPDIR:-/tmp}/fugai-it-$IT_NAME.XXXXXX")
    mkdir -p "$S/logs" "$S/bin"
    #  Run private copies of the binaries: a rebuild of the tree while the
    #  test runs cannot swap (or half-write) them under it
    cp "$FUGAI" "$HUB" "$EDGE" "$S/bin/"
    FUGAI=$S/bin/$(basename "$FUGAI"); HUB=$S/bin/$(basename "$HUB"); EDGE=$S/bin/$(basename "$EDGE")
    for bin in "$FUGAI" "$HUB" "$EDGE"; do
        "$bin" -h > /dev/null 2>&1 || { echo "FAIL [$IT_NAME]: $bin does not run (-h)" >&2; rm -rf "$S"; exit 1; }
    done
    : > "$S/pids"
    trap 'it_on_err $LINENO "$BASH_COMMAND"' ERR
    trap it_cleanup EXIT
    trap 'it_on_signal INT' INT
    trap 'it_on_signal TERM' TERM
    #  Watchdog: deadline, and orphaned daemons if this shell is SIGKILLed
    local main=$$
    (
        trap - ERR EXIT INT TERM
        set +e
        end=$(( $(date +%s) + deadline ))
        told=0
        while kill -0 "$main" 2>/dev/null; do
            if [ $told = 0 ] && [ "$(date +%s)" -ge $end ]; then
                kill -TERM "$main"
                told=1
            fi
            sleep 0.5
        done
        while read -r pid; do kill -KILL "$pid" 2>/dev/null; done < "$S/pids"
    ) </dev/null >/dev/null 2>&1 7>&- 8>&- 9>&- &
    IT_WATCHDOG=$!
    export FUGAI_OPERATOR=it-$IT_NAME
    cd "$S"
    note "scratch directory $S, ports $IT_PORT_NEXT-$IT_PORT_END, binaries copied from $bindir"
}

#  soft_fail MESSAGE: report a failure but go on checking (the test fails
#  at it_end); for checks whose failure should not hide the later ones
IT_SOFT_FAILS=()
soft_fail () {
    echo "FAIL [$IT_NAME +$(it_elapsed)] (continuing): $*" >&8
    IT_SOFT_FAILS+=("$*")
}

#  Call at the very end of a test: without it the test counts as failed.
#  It stops the daemons still running (checked, as stop_all).
it_end () {
    stop_all
    if [ ${#IT_SOFT_FAILS[@]} -gt 0 ]; then
        local f
        for f in "${IT_SOFT_FAILS[@]}"; do echo "  - $f" >&8; done
        fail "${#IT_SOFT_FAILS[@]} check(s) failed (listed above)"
    fi
    IT_DONE=1
}

#  ---------------------------------------------------------------------------
#  Ports

#  alloc_port VAR: sets VAR to the next free port of this test's range
alloc_port () {
    local -n out=$1
    while [ $IT_PORT_NEXT -le $IT_PORT_END ]; do
        local p=$IT_PORT_NEXT
        IT_PORT_NEXT=$((IT_PORT_NEXT + 1))
        if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
            out=$p
            return 0
        fi
    done
    fail "no free port left in this test's range (ends at $IT_PORT_END)"
}

#  ---------------------------------------------------------------------------
#  Node directories, configuration

dir_of () {
    echo "$S/$1"
}

#  cfg_set ORG section/key VALUE   (edits ORG's fugai.cfg; the key must exist)
cfg_set () {
    local file="$S/$1/fugai.cfg" section=${2%%/*} key=${2#*/} value=$3
    awk -v s="$section" -v k="$key" -v v="$value" '
        /^[^ #]/ { current = $1 }
        current == s && /^    [^ ]/ && $1 == k { print "    " k " = \"" v "\""; found = 1; next }
        { print }
        END { exit found ? 0 : 1 }' "$file" > "$file.new" \
        || fail "cfg_set: $file has no $section/$key"
    mv "$file.new" "$file"
}

#  fast_config ORG: heartbeats and timeouts that suit a test on localhost
fast_config () {
    cfg_set "$1" sync/heartbeat_ms 500
    cfg_set "$1" sync/timeout_ms 3000
}

#  fugai ORG ARGS...  (the operator command on that node)
fugai () {
    local org=$1
    shift
    "$FUGAI" -C "$S/$org" "$@"
}

tier_of () {
    case ${#1} in
        6) if [ "${1:4:2}" = 00 ]; then echo prefecture; else echo county; fi ;;
        9) echo township ;;
        *) return 1 ;;
    esac
}

parent_of () {
    case $(tier_of "$1") in
        county) echo "${1:0:4}00" ;;
        township) echo "${1:0:6}" ;;
        *) return 1 ;;
    esac
}

#  node_id ORG: from the node's configuration
node_id () {
    awk '/^node$/ { n = 1; next } /^[^ ]/ { n = 0 } n && $1 == "id" { gsub (/"/, "", $3); print $3; exit }' \
        "$S/$1/fugai.cfg"
}

#  init_node ORG [NAME]: fugai init with a listen port for hubs and the
#  parent's endpoint (the parent must be initialised first), fast config.
init_node () {
    local org=$1 tier name
    tier=$(tier_of "$org") || fail "init_node: $org is not an org code"
    name=${2:-"$tier $org"}
    local args=(init "$S/$org" --role "$tier" --org "$org" --name "$name")
    if [ "$tier" != township ]; then
        local port
        alloc_port port
        IT_PORT[$org]=$port
        args+=(--listen "tcp://127.0.0.1:$port")
    fi
    if [ "$tier" != prefecture ]; then
        local parent
        parent=$(parent_of "$org")
        [ -n "${IT_PORT[$parent]:-}" ] || fail "init_node $org: its parent $parent is not initialised"
        args+=(--parent "tcp://127.0.0.1:${IT_PORT[$parent]}")
    fi
    "$FUGAI" "${args[@]}" > "$S/logs/init-$org.out" 2>&1 \
        || { cat "$S/logs/init-$org.out" >&8; fail "fugai init $org failed"; }
    fast_config "$org"
}

#  link_node ORG: enroll ORG at its parent and trust the parent at ORG
link_node () {
    local org=$1 parent
    parent=$(parent_of "$org")
    "$FUGAI" -C "$S/$parent" enroll "$S/$org/keys/node.cert" >> "$S/logs/init-$org.out" 2>&1 \
        || { cat "$S/logs/init-$org.out" >&8; fail "enroll of $org at $parent failed"; }
    "$FUGAI" -C "$S/$org" trust "$S/$parent/keys/node.cert" >> "$S/logs/init-$org.out" 2>&1 \
        || { cat "$S/logs/init-$org.out" >&8; fail "trust of $parent at $org failed"; }
}

#  The standard tree: the prefecture, counties 513328 and 513321, two
#  townships under each. TREE lists them parents first.
TREE=(513300 513328 513321 513328100 513328101 513321100 513321101)

#  tree_up [ORG...]: init, enroll and trust (daemons not started). With no
#  argument the whole standard TREE; otherwise the listed orgs, parents
#  first (e.g. tree_up 513300 513328 513328100).
tree_up () {
    local orgs=("$@") org
    [ ${#orgs[@]} -gt 0 ] || orgs=("${TREE[@]}")
    for org in "${orgs[@]}"; do
        init_node "$org"
        [ "$(tier_of "$org")" = prefecture ] || link_node "$org"
    done
}

#  ---------------------------------------------------------------------------
#  Daemons

#  start_node ORG [VAR=VALUE...]: its daemon (fugai-hub or fugai-edge, -v) in
#  the background, with the environment given, stdin from /dev/null and
#  stdout/stderr appended to $S/logs/ORG.log.
start_node () {
    local org=$1
    shift
    [ -z "${IT_PID[$org]:-}" ] || fail "start_node $org: already running (pid ${IT_PID[$org]})"
    local bin=$HUB
    [ "$(tier_of "$org")" = township ] && bin=$EDGE
    local log="$S/logs/$org.log"
    touch "$log"
    IT_LOGPOS[$org]=$(stat -c %s "$log")
    echo "===== it: start $(basename "$bin") $org $* at $(date +%T.%N)" >> "$log"
    env "$@" "$bin" -v "$S/$org" < /dev/null >> "$log" 2>&1 7>&- 8>&- 9>&- &
    IT_PID[$org]=$!
    echo "${IT_PID[$org]}" >> "$S/pids"
}

#  stop_node ORG [--soft]: SIGTERM; it must exit with status 0 within 10 s
#  (else it is killed and the test fails; with --soft, at its end)
stop_node () {
    local org=$1 pid=${IT_PID[$1]:-} i rc=0 report=fail
    [ "${2:-}" = --soft ] && report=soft_fail
    [ -n "$pid" ] || fail "stop_node $org: not running"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        unset "IT_PID[$org]"
        echo "===== it: did not stop on SIGTERM; killed (SIGKILL) at $(date +%T.%N)" >> "$S/logs/$org.log"
        $report "the daemon of $org did not stop within 10 s of SIGTERM (killed)"
        return 0
    fi
    wait "$pid" || rc=$?
    unset "IT_PID[$org]"
    echo "===== it: stopped (SIGTERM) at $(date +%T.%N)" >> "$S/logs/$org.log"
    [ $rc = 0 ] || $report "the daemon of $org exited with status $rc on SIGTERM (0 expected)"
}

#  kill9_node ORG: SIGKILL, and reap it
kill9_node () {
    local org=$1 pid=${IT_PID[$1]:-}
    [ -n "$pid" ] || fail "kill9_node $org: not running"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "IT_PID[$org]"
    echo "===== it: killed (SIGKILL) at $(date +%T.%N)" >> "$S/logs/$org.log"
}

#  start_bg NAME COMMAND...: a helper (a function of the test) in the
#  background, output to $S/logs/NAME.out; wait_bg NAME waits for it and
#  fails the test if it failed. The EXIT trap kills the ones left.
declare -A IT_BG=()
start_bg () {
    local name=$1
    shift
    ( trap - ERR EXIT INT TERM; set +e; "$@" ) < /dev/null > "$S/logs/$name.out" 2>&1 7>&- 8>&- 9>&- &
    IT_BG[$name]=$!
    echo "$!" >> "$S/pids"
}

wait_bg () {
    local name=$1 rc=0
    wait "${IT_BG[$name]}" || rc=$?
    unset "IT_BG[$name]"
    [ $rc = 0 ] || fail "background helper $name failed (exit $rc): $(tail -n 5 "$S/logs/$name.out")"
}

running () {
    [ -n "${IT_PID[$1]:-}" ]
}

#  check_daemons: fail if a daemon the test started has exited by itself
check_daemons () {
    local org pid state
    for org in "${!IT_PID[@]}"; do
        pid=${IT_PID[$org]}
        state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || echo gone)
        if [ "$state" = gone ] || [ "$state" = Z ]; then
            local rc=0
            wait "$pid" 2>/dev/null || rc=$?
            unset "IT_PID[$org]"
            fail "the daemon of $org (pid $pid) exited by itself with status $rc"
        fi
    done
}

start_all () {
    local org
    for org in "$@"; do start_node "$org"; done
}

#  stop_all: SIGTERM to every daemon at once; each must exit with status
#  0 within 10 s (a hang, a crash on the way out or, under the sanitizers,
#  a leak report fails the test)
stop_all () {
    local org i rc
    for org in "${!IT_PID[@]}"; do
        kill -TERM "${IT_PID[$org]}" 2>/dev/null || true
    done
    for ((i = 0; i < 100; i++)); do
        local alive=0
        for org in "${!IT_PID[@]}"; do
            kill -0 "${IT_PID[$org]}" 2>/dev/null && alive=1
        done
        [ $alive = 1 ] || break
        sleep 0.1
    done
    for org in "${!IT_PID[@]}"; do
        if kill -0 "${IT_PID[$org]}" 2>/dev/null; then
            kill -KILL "${IT_PID[$org]}" 2>/dev/null || true
            wait "${IT_PID[$org]}" 2>/dev/null || true
            unset "IT_PID[$org]"
            echo "===== it: did not stop on SIGTERM; killed (SIGKILL) at $(date +%T.%N)" >> "$S/logs/$org.log"
            fail "the daemon of $org did not stop within 10 s of SIGTERM (killed)"
        fi
        rc=0
        wait "${IT_PID[$org]}" || rc=$?
        unset "IT_PID[$org]"
        echo "===== it: stopped (SIGTERM) at $(date +%T.%N)" >> "$S/logs/$org.log"
        [ $rc = 0 ] || fail "the daemon of $org exited with status $rc on SIGTERM (0 expected; see its log)"
    done
}

#  node_log ORG: ORG's daemon log since its last start
node_log () {
    local pos=${IT_LOGPOS[$1]:-0}
    tail -c +$((pos + 1)) "$S/logs/$1.log" 2>/dev/null
}

#  log_has ORG REGEX: the log since the last start matches (grep -E)
log_has () {
    node_log "$1" | grep -Eq -- "$2"
}

#  log_has_all ORG REGEX: the whole log of every run matches
log_has_all () {
    grep -Eq -- "$2" "$S/logs/$1.log" 2>/dev/null
}

#  log_has_text ORG TEXT: the log since the last start holds TEXT (fixed)
log_has_text () {
    node_log "$1" | grep -Fq -- "$2"
}

#  log_count_text ORG TEXT: lines holding TEXT in the whole log (every run)
log_count_text () {
    grep -cF -- "$2" "$S/logs/$1.log" 2>/dev/null || true
}

#  curve_key ORG: the node's public CURVE key (Z85, as zauth logs it)
curve_key () {
    awk -F'"' '/public-key/ { print $2; exit }' "$S/$1/keys/node.cert"
}

#  link_state CHILD: the state of the link to its parent as the child's
#  `fugai status --json` shows it ("connected", "connecting", ...)
link_state () {
    "$FUGAI" -C "$S/$1" status --json \
        | awk -F'"state": "' '/"relation": "parent"/ { split ($2, a, "\""); print a[1] }'
}

#  ---------------------------------------------------------------------------
#  Polling

#  wait_until "DESCRIPTION" TIMEOUT_S COMMAND...: run COMMAND every 0.1 s
#  (IT_POLL seconds if set) until it succeeds; fail after TIMEOUT_S seconds
#  with the description (and the logs). Also fails at once if a daemon died.
wait_until () {
    local desc=$1 timeout=$2
    shift 2
    IT_WAITING=$desc
    if ! wait_for "$timeout" "$@"; then
        local last
        last=$(trap - ERR; set +e; "$@" 2>&1 | tail -n 3 | tr '\n' ' ') || true
        fail "timed out after $((timeout * ${FUGAI_IT_SLOW:-1}))s waiting until $desc${last:+ (the check said: $last)}"
    fi
    IT_WAITING=
}

#  wait_for TIMEOUT_S COMMAND...: the same without failing: 0 once COMMAND
#  succeeds, 1 after TIMEOUT_S (still fails at once if a daemon died).
#  Both wait FUGAI_IT_SLOW times as long when it is set.
wait_for () {
    local timeout=$1
    shift
    local limit=$((${EPOCHREALTIME/./} + timeout * ${FUGAI_IT_SLOW:-1} * 1000000))
    while :; do
        if "$@" > /dev/null 2>&1; then
            return 0
        fi
        check_daemons
        [ "${EPOCHREALTIME/./}" -lt $limit ] || return 1
        sleep "${IT_POLL:-0.1}"
    done
}

#  connected CHILD: both ends of CHILD's link report an open session
#  since the daemons were last started (their logs say so)
connected () {
    local child=$1 parent id
    parent=$(parent_of "$child")
    id=$(node_id "$child")
    log_has "$child" "sync: connected to parent" \
        && log_has "$parent" "sync: child $id \(.*\) connected"
}

wait_connected () {
    local org
    for org in "$@"; do
        wait_until "$org is connected to its parent" 30 connected "$org"
    done
}

#  ---------------------------------------------------------------------------
#  Looking into replicas

#  sql ORG "QUERY": run a query on ORG's replica (read-only use)
sql () {
    sqlite3 -batch -bail -cmd ".timeout 10000" "$S/$1/data.db" "$2"
}

#  sql_is ORG "QUERY" EXPECTED: the query prints exactly EXPECTED
sql_is () {
    local got
    got=$(sql "$1" "$2") || return 1
    [ "$got" = "$3" ]
}

#  expect_eq WHAT GOT EXPECTED
expect_eq () {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

#  expect_sql ORG "QUERY" EXPECTED [WHAT]
expect_sql () {
    local got
    got=$(sql "$1" "$2")
    [ "$got" = "$3" ] || fail "${4:-$1: $2}: got '$got', expected '$3'"
}

#  count_origin ORG ORIGIN_NODE_ID: entries of that origin in ORG's log
count_origin () {
    sql "$1" "select count(*) from log where origin = $2"
}

#  digest ORG SUBTREE_ORG: the digest line of fugai digest --org
digest () {
    "$FUGAI" -C "$S/$1" digest --org "$2"
}

#  households_csv FILE VILLAGE COUNT PREFIX: a CSV for fugai import
households_csv () {
    local file=$1 village=$2 count=$3 prefix=$4
    awk -v v="$village" -v n="$count" -v p="$prefix" 'BEGIN {
        print "org_id,head_name,size,economy"
        split ("farming herding semi", e, " ")
        for (i = 1; i <= n; i++)
            printf "%s,%s-%d,%d,%s\n", v, p, i, i % 9 + 1, e[i % 3 + 1]
    }' > "$file"
}
