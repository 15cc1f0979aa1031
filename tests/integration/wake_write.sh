#!/usr/bin/env bash
# wake_write: a write made by `fugai add` (another process) wakes the
# township's daemon at once, and the county relays it up as soon as it
# commits: with every node polling its log only every 20 s
# (sync/poll_ms), the record reaches the prefecture within seconds. A
# write with the township's daemon stopped neither fails nor waits.
. "$(dirname "$0")/lib.sh"
it_begin wake_write 24100 60 "$@"

T=513328100
tree_up 513300 513328 $T
for org in 513300 513328 $T; do
    cfg_set $org sync/poll_ms 20000
    cfg_set $org sync/timeout_ms 60000
done

start_node 513300
wait_until "the prefecture listens" 10 log_has 513300 "listening for children"
start_node 513328
wait_connected 513328
start_node $T
wait_connected $T
#  The township's own first entries (its records of keys) went up on connecting
wait_until "the township's first entries are at the prefecture" 10 \
    sql_is 513300 "select count(*) > 0 from log where origin = $(node_id $T)" 1

#  Every poll timer is now at least 15 s away: only a wake moves a write
for i in 1 2 3; do
    t0=${EPOCHREALTIME/./}
    fugai $T --as clerk add household org_id=${T}201 head_name="Wake $i" size=3 economy=herding > /dev/null
    #  (3 s even in the sanitizers' build, FUGAI_IT_SLOW=1: the three waits
    #  must end before the polls; there a write arrived in 0.3 s at load 15)
    FUGAI_IT_SLOW=1 IT_POLL=0.02 wait_until "household $i is at the prefecture (no wake: the next poll, 20 s)" 3 \
        sql_is 513300 "select count(*) from household where head_name = 'Wake $i'" 1
    note "write $i: at the prefecture $(( (${EPOCHREALTIME/./} - t0) / 1000 )) ms after fugai add started"
done
log_has $T "cannot listen for the writes" && fail "the township's daemon did not bind its wake socket"

#  No daemon: the write neither fails nor waits
stop_node $T
t0=${EPOCHREALTIME/./}
fugai $T --as clerk add household org_id=${T}201 head_name="No daemon" size=1 economy=semi > /dev/null \
    || fail "fugai add failed with the township's daemon stopped"
ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
[ $ms -lt 5000 ] || fail "fugai add took $ms ms with the township's daemon stopped"
expect_sql $T "select count(*) from household where head_name = 'No daemon'" 1 "the write made with no daemon"

#  Started again, the township sends it on connecting
start_node $T
wait_connected $T
wait_until "the write made offline is at the prefecture" 10 \
    sql_is 513300 "select count(*) from household where head_name = 'No daemon'" 1

it_end
