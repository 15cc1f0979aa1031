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
. "$(dirname "$0")/lib.sh"
it_begin signal_at_start 25700 100 "$@"

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
stop_node 513300
it_end
