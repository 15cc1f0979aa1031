#!/usr/bin/env bash
# appeal_escalation: an appeal is a workflow case whose state and owner are
# the fold of its events. The township opens an appeal and registers,
# assigns and starts it; the county gets it; the township goes offline;
# the county escalates it (owner := the county); the township, still
# offline and later in time, resolves it, gives feedback and closes it
# (locally it is CLOSED_SATISFIED). Once the edge is back: at T, C and P
# the case is ESCALATED, owned by 513328, with 4 transitions applied and
# the township's 3 later events kept but rejected (rejected=1, a reason
# naming the owner), listed by fugai quarantine list in the "transitions
# rejected by the fold" section and counted by fugai status.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin appeal_escalation 23200 60 "$@"

P=513300; C=513328; C_ID=128
T=513328100; T_ID=28100
V=${T}201                    # the village of the case
tree_up $P $C $T
start_all $P $C $T
wait_connected $C $T

#  --- The township opens the appeal and works it
A=$(fugai $T --as clerk-t add appeal appellant_name=Tsering type=dispute topic=land_grassland \
    summary="grazing boundary with the next village" org_id=$V)
for transition in register assign start; do
    fugai $T --as clerk-t add appeal_event appeal_id="$A" transition=$transition org_id=$V > /dev/null
done
expect_sql $T "select state, owner_org, transitions, rejected_transitions from appeal where id = $A" \
    "IN_PROGRESS|$T|3|0" "appeal $A at the township after register, assign, start"
synced () {
    same_entries $T_ID "" $T $C $P && digests_equal $T $T $C $P
}
wait_until "the appeal and its events are at the county and the prefecture" 30 synced
expect_sql $P "select state, owner_org from appeal where id = $A" "IN_PROGRESS|$T" "appeal $A at the prefecture"

#  --- The township goes offline; the county escalates
note "township offline; the county escalates $A"
stop_node $T
ESC=$(fugai $C --as clerk-c add appeal_event appeal_id="$A" transition=escalate org_id=$V \
      note="escalated: the township cannot settle a boundary")
expect_sql $C "select state, owner_org from appeal where id = $A" "ESCALATED|$C" "appeal $A at the county after escalate"
wait_until "the escalation is at the prefecture" 30 same_entries $C_ID $T $C $P

#  --- Later, the township (offline) resolves, gives feedback and closes
declare -a LATE=()
for transition in resolve feedback close; do
    LATE+=("$(fugai $T --as clerk-t add appeal_event appeal_id="$A" transition=$transition org_id=$V)")
done
expect_sql $T "select state, owner_org, transitions from appeal where id = $A" "CLOSED_SATISFIED|$T|6" \
    "appeal $A at the offline township (it has not seen the escalation)"
#  In time, the escalation precedes the township's three events: the fold
#  (hlc order) meets it first
hlc_esc=$(sql $C "select created_hlc from appeal_event where id = $ESC")
hlc_first_late=$(sql $T "select created_hlc from appeal_event where id = ${LATE[0]}")
[ "$hlc_esc" -lt "$hlc_first_late" ] || fail "the escalation ($hlc_esc) is not before the township's resolve ($hlc_first_late)"

#  --- The edge comes back
start_node $T
wait_connected $T
converged () {
    same_entries $T_ID "" $T $C $P && same_entries $C_ID $T $C $T $P && digests_equal $T $T $C $P
}
wait_until "T, C and P hold the same entries of the case" 40 converged

late_list=$(IFS=,; echo "${LATE[*]}")
for org in $T $C $P; do
    expect_sql $org "select state, owner_org, last_transition, transitions, rejected_transitions from appeal where id = $A" \
        "ESCALATED|$C|escalate|4|3" "appeal $A at $org"
    expect_sql $org "select rejected, state_after from appeal_event where id = $ESC" "0|ESCALATED" \
        "the county's escalation at $org"
    expect_sql $org "select transition, rejected, reject_reason from appeal_event where id in ($late_list) order by id" \
        "resolve|1|resolve by $T: the case is owned by $C
feedback|1|feedback by $T: the case is owned by $C
close|1|close by $T: the case is owned by $C" "the township's late events at $org"
    expect_sql $org "select count(*) from appeal_event where appeal_id = $A and rejected = 0" 4 \
        "events applied at $org (register, assign, start, escalate)"
    #  fugai quarantine list: the three, in the fold's section
    fugai $org quarantine list > quarantine-$org.txt
    #  (the text form cuts long reasons; the CSV form gives them whole)
    section quarantine-$org.txt "^appeal transitions rejected by the fold" > fold-$org.txt
    fugai $org --csv quarantine list > quarantine-$org.csv
    names=(resolve feedback close)
    for i in 0 1 2; do
        expect_grep "fugai quarantine list at $org: rejected event ${LATE[$i]}" fold-$org.txt \
            "^${LATE[$i]} +$A +${names[$i]} +$T_ID +clerk-t +${names[$i]} by $T: the case"
        expect_grep "fugai --csv quarantine list at $org: rejected event ${LATE[$i]}" quarantine-$org.csv \
            "^${LATE[$i]},$A,${names[$i]},$T_ID,clerk-t,${names[$i]} by $T: the case is owned by $C\$"
    done
    [ "$(grep -c "^[0-9]" fold-$org.txt)" = 3 ] \
        || fail "fugai quarantine list at $org: not exactly 3 rejected transitions: $(cat fold-$org.txt)"
    expect_no_grep "fugai quarantine list at $org: the escalation" quarantine-$org.csv "^$ESC,"
    #  fugai status counts them
    fugai $org status > status-$org.txt
    expect_grep "fugai status at $org" status-$org.txt \
        "^workflow transitions rejected \(not the owner, or out of order\): 3 "
    expect_sql $org "select count(*) from quarantine" 0 "entries quarantined at $org (the events are accepted, the fold rejects them)"
    nothing_stuck $org || fail "entries buffered at $org"
done
expect_digests_equal $T $T $C $P

it_end
