#!/usr/bin/env bash
# daemon_lock: one daemon per node directory. A second fugai-edge (or
# fugai-hub) on a directory whose daemon runs exits 2 naming the first
# one's pid, and the first goes on syncing; `fugai status` says whether the
# daemon runs, and shows a link as STALE (not "connected") when no daemon
# runs or when its last contact is older than three timeouts: the county
# hub killed with SIGKILL leaves "connected" in its replica. A misspelt key
# in fugai.cfg is warned about at load, with the key meant.
. "$(dirname "$0")/lib.sh"
it_begin daemon_lock 26300 90 "$@"

P=513300; C=513328; T=513328100
tree_up $P $C $T
start_node $C
start_node $T
wait_connected $T
fugai $T add household org_id=${T}201 head_name=Tashi > /dev/null
wait_until "the household reaches the county" 20 sql_is $C "select count(*) from household" 1

#  A second daemon on the same directories: refused, exit 2, with the pid
for org in $T $C; do
    bin=$HUB
    [ $org = $T ] && bin=$EDGE
    rc=0
    timeout 10 "$bin" "$S/$org" > second.out 2>&1 || rc=$?
    expect_eq "a second $(basename "$bin") on $org: exit code" $rc 2
    grep -q "another daemon (pid ${IT_PID[$org]}) runs on" second.out \
        || fail "a second daemon on $org does not name the first one's pid ${IT_PID[$org]}: $(cat second.out)"
done
#  ... and the first one still works
fugai $T add household org_id=${T}201 head_name=Dawa > /dev/null
wait_until "the second household reaches the county" 20 sql_is $C "select count(*) from household" 2

#  status says the daemon runs, and the link is connected
fugai $T status > status.txt
grep -q "^daemon: running (pid ${IT_PID[$T]})" status.txt || fail "status at $T: $(cat status.txt)"
grep -q "^    connected, last contact" status.txt || fail "status at $T, the parent link: $(cat status.txt)"
fugai $T --json status > status.json
expect_eq "status --json: daemon running" \
    "$(sqlite3 :memory: "select json_extract (readfile ('status.json'), '\$.daemon.running')")" 1

#  The county hub killed: at the county no daemon runs, so its link to the
#  township is stale, whatever its replica last recorded
kill9_node $C
fugai $C status > status.txt
grep -q "^daemon: NOT running" status.txt || fail "status at the killed county: $(cat status.txt)"
grep -q "STALE (no daemon runs here; it last said connected)" status.txt \
    || fail "status at the killed county shows its child link as: $(cat status.txt)"
! grep -q "^    connected" status.txt || fail "status at the killed county still says connected: $(cat status.txt)"
#  Its lock went with it: it starts again
start_node $C
wait_connected $T

#  A misspelt key in fugai.cfg: warned about at load, with the key meant
sed -i 's/^    timeout_ms = /    timeout_msx = /' "$S/$T/fugai.cfg"
fugai $T status > /dev/null 2> err.txt
grep -q "unknown key 'sync/timeout_msx' is ignored.*did you mean 'sync/timeout_ms'" err.txt \
    || fail "no warning about sync/timeout_msx: $(cat err.txt)"
sed -i 's/^    timeout_msx = /    timeout_ms = /' "$S/$T/fugai.cfg"
fugai $T status > /dev/null 2> err.txt
[ ! -s err.txt ] || fail "a warning about a correct fugai.cfg: $(cat err.txt)"

it_end
