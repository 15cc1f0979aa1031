#!/usr/bin/env bash
# signal_at_start: a daemon that gets SIGTERM at any moment of its start-up
# (while its actors, the CURVE authenticator and the socket monitors are
# being created) stops cleanly with status 0 within 10 s. It used to abort
# in CZMQ's zmonitor ("zframe_recv: Assertion 'source' failed") or hang on
# a zauth that had quit, because CZMQ's signal handler made every actor's
# receive return at once. 40 starts of a county hub (with a parent and a
# child) and 20 of a township edge, each signalled 0-150 ms after start.
# A signal that lands before main runs ends the process by its default
# action (status 143, as systemd expects of SIGTERM); any other status, or
# a daemon still running after 10 s, fails.
# Then 12 starts of the county hub on a slow disk (every fsync 200 ms:
# the power-cut library, tests/powerloss, preloaded), each signalled as
# soon as it logs its replica, while its actors start: a signal handled
# while the main thread waited for an actor made that wait return early,
# and the daemon aborted on its way out (exit 134) in 6 of 20 such starts.
. "$(dirname "$0")/lib.sh"
CUT_LIB=$(readlink -f "${4:-$(dirname "$0")/../../build/tests/libfugai-powercut.so}")
it_begin signal_at_start 25700 240 "$@"
[ -f "$CUT_LIB" ] || fail "$CUT_LIB is missing (build first)"
cp "$CUT_LIB" "$S/bin/"
CUT_LIB=$S/bin/$(basename "$CUT_LIB")

tree_up 513300 513328 513328100
start_node 513300
for ((i = 0; i < 60; i++)); do
    org=513328
    [ $i -ge 40 ] && org=513328100
    start_node $org
    pid=${IT_PID[$org]}
    sleep "0.$(printf '%03d' $(( RANDOM % 150 )))"
    kill -TERM "$pid"
    for ((t = 0; t < 100; t++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid"
        fail "start $i: the daemon of $org did not stop within 10 s of SIGTERM"
    fi
    rc=0
    wait "$pid" || rc=$?
    unset "IT_PID[$org]"
    case $rc in
        0|143) ;;
        *) fail "start $i: the daemon of $org exited with status $rc on SIGTERM during start-up" ;;
    esac
done
note "60 daemons signalled during start-up all stopped with status 0"

#  On a slow disk, signalled as soon as the replica is logged (the actors
#  start next)
for ((i = 0; i < 12; i++)); do
    start_node 513328 LD_PRELOAD="$CUT_LIB" FG_POWERCUT_SYNC_US=200000 \
        "ASAN_OPTIONS=verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    IT_POLL=0.01 wait_until "the county hub logs its replica (slow start $i)" 20 \
        log_has_text 513328 "replica $S/513328/data.db"
    stop_node 513328 --soft
done
note "12 daemons on a slow disk, signalled as their actors started, all stopped"
stop_node 513300
it_end
