#!/usr/bin/env bash
# report_all.sh - how long `fugai report all --html` takes for a county of
# DOMAIN.md §6 size (11,500 households, 2,700 cadres, 11,500 pairs), and
# for a prefecture of 18 such counties (207,000 households).
#
# The county is the one fugai-bench builds for its plan section (18
# townships of 8 villages, written by the townships and synced up, its
# plan published: tests/bench/fgb_plan.c), kept with --keep. Its replica is
# put in a county node directory made by `fugai init`, then given, by SQL
# as an analyst would load test data, what the bench does not write: the
# org unit names, and two visits per paired household in July 2027. The
# prefecture is that replica with the county copied 17 times under other
# county codes (513341..513357). Only reads are timed; figures, no
# assertion. Usage: tests/bench/report_all.sh [BUILD_DIR] (default build)
set -euo pipefail
B=$(realpath "${1:-build}")
FUGAI=$B/edge/fugai
W=$(mktemp -d /tmp/fugai-report-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

"$B/tests/bench/fugai-bench" --only plan -p 11500 -r 1 --keep > "$W/bench.out" 2>&1
SCRATCH=$(sed -n 's/.*scratch directory \(.*\) kept.*/\1/p' "$W/bench.out")
"$FUGAI" init "$W/C" --role county --org 513328 --name 甘孜县 --listen tcp://127.0.0.1:1 --parent tcp://127.0.0.1:2 >/dev/null
rm -f "$W/C/data.db"*
cp "$SCRATCH/plan/county-run-1.db" "$W/C/data.db"
rm -rf "$SCRATCH"
sqlite3 "$W/C/data.db" "
INSERT INTO org_unit (id, org_id, name_zh, level, created_by, created_hlc, updated_hlc) VALUES (513328, 513328, '甘孜县', 2, 1, 0, 0);
INSERT INTO org_unit (id, org_id, name_zh, level, created_by, created_hlc, updated_hlc)
  SELECT t, t, '乡镇' || (t - 513328100), 3, 1, 0, 0
  FROM (WITH RECURSIVE n(t) AS (SELECT 513328100 UNION ALL SELECT t + 1 FROM n WHERE t < 513328117) SELECT t FROM n);
INSERT INTO org_unit (id, org_id, name_zh, level, created_by, created_hlc, updated_hlc)
  SELECT DISTINCT org_id, org_id, '村' || (org_id % 1000000), 4, 1, 0, 0 FROM household;
INSERT INTO visit (id, org_id, cadre_id, target_kind, target_id, kind, occurred_on, created_by, created_hlc, updated_hlc)
  SELECT 9000000000 + p.rowid * 2 + k.k, h.org_id, p.cadre_id, 'household', p.household_id, 'pairing',
         21000 + (p.rowid + k.k * 13) % 31, 128, 0, 0
  FROM pairing p JOIN household h ON h.id = p.household_id, (SELECT 0 AS k UNION ALL SELECT 1) k
  WHERE p.end_on IS NULL;"

cp -r "$W/C" "$W/P"
sqlite3 "$W/P/data.db" "
CREATE TEMP TABLE k AS WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 17)
  SELECT k, 513340 + k AS c FROM n;
CREATE TEMP TABLE bh AS SELECT * FROM household; CREATE TEMP TABLE bp AS SELECT * FROM pairing;
CREATE TEMP TABLE bc AS SELECT * FROM cadre; CREATE TEMP TABLE bv AS SELECT * FROM visit;
CREATE TEMP TABLE bo AS SELECT * FROM org_unit;
BEGIN;
INSERT INTO household SELECT h.id - k.k * 100000000000000000, k.c * 1000000 + h.org_id % 1000000, hukou_no,
  head_name, head_person_id, group_name, size, economy, seasonal_location, lat_e6, lon_e6, immigrant, status,
  valid_from, valid_to, parent_household_id, poverty_registered, demonstration, needy, created_by, created_hlc,
  updated_hlc, author FROM bh h, k;
INSERT INTO cadre (id, org_id, name, rank, status, created_by, created_hlc, updated_hlc)
  SELECT c.id + k.k * 100000000000000000, CAST (k.c || substr (c.org_id, 7) AS INTEGER), c.name, c.rank, c.status,
         c.created_by, c.created_hlc, c.updated_hlc FROM bc c, k;
INSERT INTO pairing (id, org_id, cadre_id, household_id, role, start_on, end_on, created_by, created_hlc, updated_hlc)
  SELECT p.id + k.k * 100000000000000000, k.c * 1000000 + p.org_id % 1000000, p.cadre_id + k.k * 100000000000000000,
         p.household_id - k.k * 100000000000000000, p.role, p.start_on, p.end_on, p.created_by, p.created_hlc,
         p.updated_hlc FROM bp p, k;
INSERT INTO visit (id, org_id, cadre_id, target_kind, target_id, kind, occurred_on, created_by, created_hlc, updated_hlc)
  SELECT v.id + k.k * 1000000000, k.c * 1000000 + v.org_id % 1000000, v.cadre_id + k.k * 100000000000000000,
         'household', v.target_id - k.k * 100000000000000000, 'pairing', v.occurred_on, v.created_by, 0, 0 FROM bv v, k;
INSERT INTO org_unit (id, org_id, name_zh, level, created_by, created_hlc, updated_hlc)
  SELECT CASE o.level WHEN 2 THEN k.c WHEN 3 THEN k.c * 1000 + o.id % 1000 ELSE k.c * 1000000 + o.id % 1000000 END,
         0, o.name_zh || '-' || k.k, o.level, 1, 0, 0 FROM bo o, k;
INSERT INTO org_unit (id, org_id, name_zh, level, created_by, created_hlc, updated_hlc) VALUES (513300, 513300, '甘孜州', 1, 1, 0, 0);
COMMIT;"

figure () {
    local what=$1 dir=$2 org=$3
    for run in 1 2 3; do
        /usr/bin/time -f "%e %U %S" -o "$W/time" "$FUGAI" -C "$dir" report all --org "$org" --period 2027-07 \
            --html "$W/$what.html"
        read -r elapsed user sys < "$W/time"
        echo "report all --html, $what (run $run): ${elapsed} s elapsed, ${user} s user + ${sys} s sys CPU," \
             "page $(stat -c %s "$W/$what.html") bytes"
    done
}
echo "county: $(sqlite3 "$W/C/data.db" "SELECT (SELECT count(*) FROM household) || ' households, ' ||
      (SELECT count(*) FROM cadre) || ' cadres, ' || (SELECT count(*) FROM pairing) || ' pairs, ' ||
      (SELECT count(*) FROM visit) || ' visits'")"
figure county "$W/C" 513328
echo "prefecture: $(sqlite3 "$W/P/data.db" "SELECT (SELECT count(*) FROM household) || ' households, ' ||
      (SELECT count(*) FROM cadre) || ' cadres, ' || (SELECT count(*) FROM pairing) || ' pairs, ' ||
      (SELECT count(*) FROM visit) || ' visits'")"
figure prefecture "$W/P" 513300
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
