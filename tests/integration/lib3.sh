# lib3.sh - helpers of the merge tests (owner_wins, appeal_escalation,
# fork_recovery, clock_skew, digest_levels, pending_sync, heartbeat), sourced
# after lib.sh.
#
# Waiting for convergence: these tests wait until the replicas hold the
# same entries (entries_of / same_entries), then assert the values. So a
# merge that decides wrongly fails on an assertion that names the value,
# not on a time-out.

#  entries_of ORG ORIGIN [ANCHOR_PREFIX]: "seq epoch hash" of every entry
#  of ORIGIN that ORG holds (those anchored under ANCHOR_PREFIX if given),
#  in seq order
entries_of () {
    local where="origin = $2"
    [ -n "${3:-}" ] && where="$where and anchor like '$3%'"
    sql "$1" "select seq || ' ' || epoch || ' ' || hex(hash) from log where $where order by seq"
}

#  same_entries ORIGIN ANCHOR_PREFIX ORG ORG...: every ORG holds the same
#  entries of ORIGIN (anchored under the prefix; "" for all), at least one
same_entries () {
    local origin=$1 prefix=$2 first org want got
    shift 2
    first=$1
    shift
    want=$(entries_of "$first" "$origin" "$prefix") || return 1
    [ -n "$want" ] || return 1
    for org in "$@"; do
        got=$(entries_of "$org" "$origin" "$prefix") || return 1
        [ "$got" = "$want" ] || { echo "$org holds $(echo "$got" | grep -c .) entries of $origin${prefix:+ under $prefix}, $first $(echo "$want" | grep -c .)"; return 1; }
    done
}

#  digests_equal SUBTREE ORG ORG...: fugai digest --org SUBTREE prints the
#  same line at every ORG
digests_equal () {
    local subtree=$1 first org want got
    shift
    first=$1
    shift
    want=$(digest "$first" "$subtree") || return 1
    for org in "$@"; do
        got=$(digest "$org" "$subtree") || return 1
        [ "$got" = "$want" ] || { echo "digest of $subtree at $org: $got; at $first: $want"; return 1; }
    done
}

#  expect_digests_equal SUBTREE ORG ORG...
expect_digests_equal () {
    local why
    why=$(digests_equal "$@") || fail "digests differ: $why"
}

#  nothing_stuck ORG: nothing buffered at ORG (quarantine is checked by
#  each test: some of them expect refusals)
nothing_stuck () {
    sql_is "$1" "select count(*) from buffer" 0
}

#  expect_grep WHAT FILE REGEX: FILE has a line matching REGEX (grep -E)
expect_grep () {
    grep -Eq -- "$3" "$2" || fail "$1: no line matching /$3/ in: $(head -c 1500 "$2")"
}

#  expect_no_grep WHAT FILE REGEX
expect_no_grep () {
    ! grep -Eq -- "$3" "$2" || fail "$1: unexpected line matching /$3/: $(grep -E -- "$3" "$2" | head -3)"
}

#  section FILE TITLE_REGEX: the lines of a text report from the heading
#  matching TITLE_REGEX up to the next empty line (fugai quarantine list)
section () {
    awk -v t="$2" 'found && /^$/ { exit } found { print } $0 ~ t { found = 1 }' "$1"
}

#  own_seq ORG: the node's last own seq
own_seq () {
    sql "$1" "select coalesce(max(seq), 0) from log where origin = $(node_id "$1")"
}

#  Findings of rule M1 as of a day (pending_sync, heartbeat)
#  m1_finding ORG TRIGGER DAY: the trigger's M1 finding line (CSV), empty if none
m1_finding () {
    "$FUGAI" -C "$S/$1" --csv findings --rule M1 --state all --date "$3" | grep "^M1,.*,must_visit_trigger:$2," || true
}
#  expect_m1 ORG TRIGGER DAY STATE [WAITING_REGEX]
expect_m1 () {
    local line
    line=$(m1_finding "$1" "$2" "$3")
    [ -n "$line" ] || fail "$1: no M1 finding for trigger $2 as of $3"
    echo "$line" | grep -q ",$4," || fail "$1: trigger $2 is not $4: $line"
    [ -z "${5:-}" ] || echo "$line" | grep -Eq -- "$5" || fail "$1: trigger $2 does not wait for /$5/: $line"
    note "$1: $line"
}
#  m1_day0 T1 T2 DAY: a herding household and a must-visit trigger
#  (seriously ill, 7 days) recorded on DAY at each of two townships; sets
#  H1 H2 (households) and TR1 TR2 (triggers)
m1_day0 () {
    H1=$(fugai "$1" --as clerk add household org_id=${1}201 head_name=Tashi economy=herding)
    H2=$(fugai "$2" --as clerk add household org_id=${2}201 head_name=Yangzom economy=herding)
    TR1=$(fugai "$1" --as clerk add must_visit_trigger org_id=${1}201 household_id=$H1 \
          category=seriously_ill occurred_on=$3 source=village_official)
    TR2=$(fugai "$2" --as clerk add must_visit_trigger org_id=${2}201 household_id=$H2 \
          category=seriously_ill occurred_on=$3 source=village_official)
}
