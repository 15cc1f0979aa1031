#!/usr/bin/env bash
# bundle_road: a township whose link is down (its edge never started)
# exchanges entries with its county by bundle files (a USB stick on the
# road), through the same verify-and-merge path as sync:
#  - its writes go up by `bundle export --to 128` / `bundle import` at the
#    county, and on to the prefecture by the county's daemon;
#  - importing the same bundle again changes nothing (counts, digest);
#  - a directive from the prefecture reaches the county by sync and the
#    township by a bundle the county exports for it; the township
#    acknowledges it and the acknowledgement goes up by bundle;
#  - refused whole, nothing applied, the reason printed: a bundle with one
#    byte flipped, one addressed to another node, one from a node that is
#    not the importer's parent or child (a copy of the prefecture that
#    believes the township is its child), one signed by another key;
#  - no cursor moves on import; when the township's link comes back, the
#    duplicates it resends change nothing and every digest converges.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib3.sh"
it_begin bundle_road 21700 90 "$@"

P=513300
C=513328
T=513328100;  T_ID=28100
T2=513328101; T2_ID=28101
HH="org_id between ${T}000 and ${T}999"

tree_up $P $C $T $T2
#  The township's edge is not started: its link is down until the end
start_all $P $C $T2
wait_connected $C $T2

#  bundle ORG ARGS...: `fugai -C ORG bundle ARGS`, its stdout, stderr and
#  exit code in $OUT.out, .err, .rc ($OUT = $S/logs/bundle-N); never fails
BN=0
OUT=
bundle () {
    local org=$1
    shift
    BN=$((BN + 1))
    OUT="$S/logs/bundle-$BN"
    local rc=0
    "$FUGAI" -C "$S/$org" --as courier bundle "$@" > "$OUT.out" 2> "$OUT.err" || rc=$?
    echo "$rc" > "$OUT.rc"
}
#  expect_bundle_ok OUT: exit 0 and nothing on stderr
expect_bundle_ok () {
    [ "$(cat "$1.rc")" = 0 ] || fail "fugai bundle exited $(cat "$1.rc"): $(cat "$1.err" "$1.out")"
    [ ! -s "$1.err" ] || fail "fugai bundle wrote to stderr: $(cat "$1.err")"
}
#  expect_bundle_refused OUT REGEX: exit 1, the reason on stderr, nothing on stdout
expect_bundle_refused () {
    [ "$(cat "$1.rc")" = 1 ] || fail "fugai bundle exited $(cat "$1.rc"), 1 expected: $(cat "$1.out" "$1.err")"
    [ ! -s "$1.out" ] || fail "a refused bundle printed on stdout: $(cat "$1.out")"
    expect_grep "the reason of the refusal" "$1.err" "$2"
}
#  state ORG PEER: what an import from PEER may not change at ORG: entries,
#  households, quarantine, buffer, directive acks, ORG's cursors of PEER,
#  and the digest of ORG's subtree
state () {
    sql "$1" "select (select count(*) from log), (select count(*) from household),
                     (select count(*) from quarantine), (select count(*) from buffer),
                     (select count(*) from directive_ack),
                     (select coalesce(sum(cursor), 0) from link where peer = $2)"
    digest "$1" "$1"
}
flip_byte () {    # FILE OFFSET: xor the byte at OFFSET with 0x20
    local b
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $((b ^ 0x20)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

#  --- 1. The township writes, offline
note "writing at $T, whose edge never started"
fugai $T --as clerk1 add household org_id=${T}201 head_name="扎西 Tashi" size=5 economy=herding > /dev/null
fugai $T --as clerk1 add household org_id=${T}202 head_name=Pema size=3 economy=farming > /dev/null
households_csv road.csv ${T}203 120 Road
fugai $T --as clerk2 import household road.csv > /dev/null 2>&1
expect_sql $T "select count(*) from household where $HH" 122 "households written at $T"
own=$(count_origin $T $T_ID)

#  --- 2. Up by bundle: export for the county, import there
bundle $T export "$S/up1.fgb" --to 128; out=$OUT
expect_bundle_ok "$out"
expect_grep "export output" "$out.out" "^wrote $S/up1.fgb: $own entries, [0-9]+ bytes \([0-9]+ in the file\) for node 128 \(county $C"
expect_eq "mode of the bundle file" "$(stat -c %a "$S/up1.fgb")" 600
bundle $C show "$S/up1.fgb"; out=$OUT
expect_bundle_ok "$out"
expect_grep "bundle show: sender" "$out.out" "from +node $T_ID \(township $T, .*this node's child\)"
expect_grep "bundle show: addressee" "$out.out" "to +node 128 \(this node\)$"
expect_grep "bundle show: count" "$out.out" "entries +$own, "
expect_grep "bundle show: signature" "$out.out" "signature verifies with node $T_ID's key"
case $(fugai $C --json bundle show "$S/up1.fgb") in
    *"\"from\": $T_ID, \"to\": 128,"*"\"entries\": $own,"*"\"signature\": \"valid\", \"for_this_node\": true}"*) ;;
    *) fail "bundle show --json: $(fugai $C --json bundle show "$S/up1.fgb")" ;;
esac
[ "$(sql $C "select count(*) from household where $HH")" = 0 ] || fail "the county holds households of $T before the import"
bundle $C import "$S/up1.fgb"; out=$OUT
expect_bundle_ok "$out"
expect_grep "import output" "$out.out" "^imported $S/up1.fgb from node $T_ID \(township $T"
expect_grep "import counts" "$out.out" "^  $own applied, 0 duplicate, 0 buffered, 0 refused$"
expect_sql $C "select count(*) from household where $HH" 122 "households of $T at the county"
expect_eq "digest of $T at the county" "$(digest $C $T)" "$(digest $T $T)"
#  The county's daemon relays them up
wait_until "the entries of $T are at the prefecture" 30 same_entries $T_ID "" $T $C $P
wait_until "the digest of $T is the same at the prefecture" 30 digests_equal $T $T $C $P
#  No cursor moved, on either side
expect_sql $C "select count(*) from link where peer = $T_ID and cursor > 0" 0 "cursors of $T at the county"
expect_sql $T "select count(*) from link where cursor > 0" 0 "cursors at $T"

#  --- 3. The same bundle again changes nothing
before=$(state $C $T_ID)
bundle $C import "$S/up1.fgb"; out=$OUT
expect_bundle_ok "$out"
expect_grep "second import counts" "$out.out" "^  0 applied, $own duplicate, 0 buffered, 0 refused$"
expect_eq "the county after a second import" "$(state $C $T_ID)" "$before"

#  --- 4. Down: a directive from the prefecture; the county has it by
#  sync, the township by a bundle the county exports for it
d=$(fugai $P --as officer --json directive issue --to $C --title "Road survey" \
    | sed -n 's/.*"directive": "\([0-9]*\)".*/\1/p')
[ -n "$d" ] || fail "directive issue printed no id"
wait_until "directive $d is at the county (sync)" 30 sql_is $C "select count(*) from directive where id = $d" 1
wait_until "the county's ack of $d is at the prefecture" 30 \
    sql_is $P "select count(*) from directive_ack where directive_id = $d and node_id = 128" 1
bundle $C export "$S/down1.fgb" --to $T_ID; out=$OUT
expect_bundle_ok "$out"
expect_grep "export for the township" "$out.out" "^wrote $S/down1.fgb: [0-9]+ entries.* for node $T_ID \(township $T"
bundle $T import "$S/down1.fgb"; out=$OUT
expect_bundle_ok "$out"
expect_grep "import at the township" "$out.out" "from node 128 \(county $C, .*this node's parent\)"
expect_grep "import at the township: nothing refused" "$out.out" "^  [0-9]+ applied, [0-9]+ duplicate, 0 buffered, 0 refused$"
expect_grep "import at the township: the ack" "$out.out" "acknowledged 1 directive\(s\) as received"
expect_sql $T "select title from directive where id = $d" "Road survey" "directive $d at $T"
expect_sql $T "select node_id || '|' || state || '|' || author from directive_ack where directive_id = $d order by node_id" \
    $'128|received|node-128\n28100|received|courier' "acks of $d at $T"
#  A second import: nothing new, no second ack
before=$(state $T 128)
bundle $T import "$S/down1.fgb"; out=$OUT
expect_bundle_ok "$out"
expect_grep "second import at the township" "$out.out" "^  0 applied, [0-9]+ duplicate, 0 buffered, 0 refused$"
expect_eq "the township after a second import" "$(state $T 128)" "$before"
#  The acknowledgement goes up by bundle, and on to the prefecture
bundle $T export "$S/up2.fgb" --to 128; out=$OUT
expect_bundle_ok "$out"
bundle $C import "$S/up2.fgb"; out=$OUT
expect_bundle_ok "$out"
expect_grep "the ack's import at the county" "$out.out" "^  1 applied, [0-9]+ duplicate, 0 buffered, 0 refused$"
wait_until "the township's ack of $d is at the prefecture" 30 \
    sql_is $P "select count(*) from directive_ack where directive_id = $d and node_id = $T_ID" 1

#  --- 5. Refused whole, nothing applied, the reason printed
#  (the sibling township, whose link is up, has acknowledged the directive
#  by then: its replica is quiet)
wait_until "the sibling's ack of $d is at the prefecture" 30 \
    sql_is $P "select count(*) from directive_ack where directive_id = $d and node_id = $T2_ID" 1
fugai $T --as clerk1 add household org_id=${T}201 head_name=Flipped size=2 economy=herding > /dev/null
bundle $T export "$S/up3.fgb" --to 128; out=$OUT
expect_bundle_ok "$out"
size=$(stat -c %s "$S/up3.fgb")
before=$(state $C $T_ID)
#  one byte flipped: in the body, in the header (to, created), in the signature
for at in $((size / 2)) 8 12 $((size - 10)); do
    cp "$S/up3.fgb" "$S/flipped.fgb"
    flip_byte "$S/flipped.fgb" $at
    bundle $C import "$S/flipped.fgb"; out=$OUT
    expect_bundle_refused "$out" "^fugai: bundle $S/flipped.fgb refused, nothing imported: (the bundle's signature does not verify with the key of node $T_ID|bundle|the bundle is addressed to node)"
    expect_eq "the county after a refused bundle (byte $at flipped)" "$(state $C $T_ID)" "$before"
done
#  addressed to another node: the county's bundle for 513328100, at 513328101
before=$(state $T2 128)
bundle $T2 import "$S/down1.fgb"; out=$OUT
expect_bundle_refused "$out" "refused, nothing imported: the bundle is addressed to node $T_ID; this is node $T2_ID \($T2\)"
expect_eq "$T2 after a bundle addressed to $T" "$(state $T2 128)" "$before"
#  from a node that is not the importer's parent or child: a copy of the
#  prefecture (its real keys) whose replica was edited to take the township
#  for its child exports for it; the township knows the prefecture as an
#  ancestor only
mkdir -p "$S/rogue"
cp -r "$S/$P/keys" "$S/$P/fugai.cfg" "$S/rogue/"
sqlite3 -cmd ".timeout 10000" "$S/$P/data.db" ".backup '$S/rogue/data.db'"
sqlite3 "$S/rogue/data.db" "update node set relation = 'child' where node_id = $T_ID"
"$FUGAI" -C "$S/rogue" bundle export "$S/rogue.fgb" --to $T_ID --all > "$S/logs/rogue.out" 2>&1 \
    || fail "the rogue export failed: $(cat "$S/logs/rogue.out")"
before=$(state $T 128)
bundle $T import "$S/rogue.fgb"; out=$OUT
expect_bundle_refused "$out" "the bundle is from node 1: it is this node's ancestor \($P\), not its parent or one of its children"
expect_eq "$T after a bundle from its ancestor" "$(state $T 128)" "$before"
#  signed by another key than the sender's: the sibling's keys, saying 28100
mkdir -p "$S/forger"
cp -r "$S/$T/fugai.cfg" "$S/forger/"
cp -r "$S/$T2/keys" "$S/forger/"
sqlite3 -cmd ".timeout 10000" "$S/$T/data.db" ".backup '$S/forger/data.db'"
"$FUGAI" -C "$S/forger" bundle export "$S/forged.fgb" --to 128 --all > "$S/logs/forger.out" 2>&1 \
    || fail "the forged export failed: $(cat "$S/logs/forger.out")"
before=$(state $C $T_ID)
bundle $C import "$S/forged.fgb"; out=$OUT
expect_bundle_refused "$out" "signature does not verify with the key of node $T_ID"
expect_eq "the county after a forged bundle" "$(state $C $T_ID)" "$before"
expect_sql $C "select count(*) from household where head_name = 'Flipped'" 0 "the flipped bundle's household at the county"
#  bad usage and unknown nodes
bundle $T export "$S/x.fgb" --to 4242; out=$OUT
expect_bundle_refused "$out" "no bundle written: not for node 4242: it is not a node this one trusts"
bundle $T export "$S/x.fgb" --to 1; out=$OUT
expect_bundle_refused "$out" "no bundle written: not for node 1: it is this node's ancestor \($P\), not its parent"
[ ! -e "$S/x.fgb" ] || fail "a refused export wrote a file"

#  Nothing to export: the county has acknowledged everything the
#  sibling township (whose link is up) wrote
wait_until "the county acknowledged everything of $T2" 30 \
    sql_is $T2 "select count(*) from log where up = 1 and lsn >
                (select coalesce(max(cursor), 0) from link where peer = 128 and dir = 'out')" 0
bundle $T2 export "$S/none.fgb" --to 128; out=$OUT
expect_bundle_ok "$out"
expect_grep "nothing to export" "$out.out" "^nothing to export for node 128 .*no file written"
[ ! -e "$S/none.fgb" ] || fail "an export with nothing to export wrote a file"

#  --- 6. The link comes back: the township resends what the county holds
#  already (duplicates), and its last household; everything converges
note "starting the edge of $T"
start_node $T
wait_connected $T
wait_until "the household written after the flipped bundle is at the prefecture" 30 \
    sql_is $P "select count(*) from household where head_name = 'Flipped'" 1
wait_until "the entries of $T are the same at T, C and P" 30 same_entries $T_ID "" $T $C $P
wait_until "the entries of the county are the same at C and P" 30 same_entries 128 "" $C $P
wait_until "the digests of $T converge" 30 digests_equal $T $T $C $P
wait_until "the digests of $C converge" 30 digests_equal $C $C $P
for org in $T $C $P; do
    expect_sql $org "select count(*) from household where $HH" 123 "households of $T at $org"
    expect_sql $org "select count(*) from buffer" 0 "entries buffered at $org"
    expect_sql $org "select count(*) from directive_ack where directive_id = $d and node_id = $T_ID" 1 \
        "the township's acks of $d at $org"
done
#  Bundles refused whole quarantined nothing; the resent entries were
#  duplicates, not forks or broken chains
for org in $T $C $P; do
    expect_sql $org "select count(*) from quarantine" 0 "entries quarantined at $org"
done
#  The sync did resend: the county's cursor of the township moved now
wait_until "the county's cursor of $T moved" 30 \
    eval '[ "$(sql $C "select coalesce(max(cursor), 0) from link where peer = '$T_ID' and dir = '"'in'"'")" -gt 0 ]'
fugai $C check > "$S/logs/check.out" || fail "fugai check at the county: $(cat "$S/logs/check.out")"

it_end
