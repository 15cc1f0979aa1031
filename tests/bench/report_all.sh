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
# org unit names, two visits per paired household in July 2027, must-visit
# triggers for 5 % of the paired households (half answered in time), the
# weekly report schedules and the townships' July reports. The
# prefecture is that replica with the county copied 17 times under other
# county codes (513341..513357), its node made a prefecture's. Only reads are timed; figures, no
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
  WHERE p.end_on IS NULL;
-- must-visit triggers for 5 % of the paired households in July 2027,
-- every other one answered in person two days later by its cadre
INSERT INTO must_visit_trigger (id, org_id, household_id, category, occurred_on, created_by, created_hlc, updated_hlc)
  SELECT 8000000000 + p.n, h.org_id, p.household_id, 'seriously_ill', 21000 + p.n % 25, 128, 0, 0
  FROM (SELECT *, row_number () OVER (ORDER BY id) AS n FROM pairing WHERE end_on IS NULL) p
  JOIN household h ON h.id = p.household_id WHERE p.n % 20 = 0;
INSERT INTO visit (id, org_id, cadre_id, target_kind, target_id, kind, must_visit_category, in_person,
                   occurred_on, created_by, created_hlc, updated_hlc)
  SELECT 7000000000 + p.n, h.org_id, p.cadre_id, 'household', p.household_id, 'must_visit', 'seriously_ill', 1,
         21002 + p.n % 25, 128, 0, 0
  FROM (SELECT *, row_number () OVER (ORDER BY id) AS n FROM pairing WHERE end_on IS NULL) p
  JOIN household h ON h.id = p.household_id WHERE p.n % 40 = 0;
-- the weekly judgments of the townships and of the county; each township's
-- reports of the weeks that end in July (W26..W29), on time, with reviews
INSERT INTO report_schedule (id, org_id, version, name, reporter_selector, period_type, due_offset_days,
                             created_by, created_hlc, updated_hlc)
  VALUES (6000000001, 513300, 1, '乡镇专题研判', 'township', 'WEEK', 2, 1, 0, 0),
         (6000000002, 513300, 1, '县专题研判', 'county', 'WEEK', 3, 1, 0, 0);
INSERT INTO report_submission (id, org_id, schedule_id, period_id, frontier, aggregates, version, created_by,
                               created_hlc, updated_hlc)
  SELECT 6100000000 + n.node_id * 10 + w.w, CAST (n.org AS INTEGER), 6000000001, '2027-W' || w.w, '{}',
         '{\"coverage.households\":0}', 1, n.node_id, ((21003 + (w.w - 26) * 7 + 1) * 86400000) << 16, 0
  FROM node n, (SELECT 26 AS w UNION ALL SELECT 27 UNION ALL SELECT 28 UNION ALL SELECT 29) w
  WHERE n.tier = 'township';
INSERT INTO report_review (id, org_id, submission_id, schedule_id, period_id, state, owner_org, created_by,
                           created_hlc, updated_hlc)
  SELECT id + 50000000, org_id, id, schedule_id, period_id, 'APPROVED', org_id, created_by, created_hlc, 0
  FROM report_submission;"

cp -r "$W/C" "$W/P"
#  The prefecture's node: the same replica, its own identity a prefecture's
sqlite3 "$W/P/data.db" "UPDATE node SET tier = 'prefecture', org = '513300'
  WHERE node_id = (SELECT value FROM meta WHERE key = 'node_id');"
sqlite3 "$W/P/data.db" "
CREATE TEMP TABLE k AS WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 17)
  SELECT k, 513340 + k AS c FROM n;
CREATE TEMP TABLE bh AS SELECT * FROM household; CREATE TEMP TABLE bp AS SELECT * FROM pairing;
CREATE TEMP TABLE bc AS SELECT * FROM cadre; CREATE TEMP TABLE bv AS SELECT * FROM visit;
CREATE TEMP TABLE bo AS SELECT * FROM org_unit; CREATE TEMP TABLE bt AS SELECT * FROM must_visit_trigger;
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
INSERT INTO visit (id, org_id, cadre_id, target_kind, target_id, kind, must_visit_category, in_person, occurred_on,
                   created_by, created_hlc, updated_hlc)
  SELECT v.id + k.k * 1000000000, k.c * 1000000 + v.org_id % 1000000, v.cadre_id + k.k * 100000000000000000,
         'household', v.target_id - k.k * 100000000000000000, v.kind, v.must_visit_category, v.in_person,
         v.occurred_on, v.created_by, 0, 0 FROM bv v, k;
INSERT INTO org_unit (id, org_id, name_zh, level, created_by, created_hlc, updated_hlc)
  SELECT CASE o.level WHEN 2 THEN k.c WHEN 3 THEN k.c * 1000 + o.id % 1000 ELSE k.c * 1000000 + o.id % 1000000 END,
         0, o.name_zh || '-' || k.k, o.level, 1, 0, 0 FROM bo o, k;
INSERT INTO must_visit_trigger (id, org_id, household_id, category, occurred_on, created_by, created_hlc, updated_hlc)
  SELECT t.id + k.k * 1000000000, k.c * 1000000 + t.org_id % 1000000, t.household_id - k.k * 100000000000000000,
         t.category, t.occurred_on, t.created_by, 0, 0 FROM bt t, k;
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
      (SELECT count(*) FROM visit) || ' visits, ' || (SELECT count(*) FROM must_visit_trigger) || ' must-visit triggers, ' ||
      (SELECT count(*) FROM report_submission) || ' report submissions'")"
figure county "$W/C" 513328
echo "prefecture: $(sqlite3 "$W/P/data.db" "SELECT (SELECT count(*) FROM household) || ' households, ' ||
      (SELECT count(*) FROM cadre) || ' cadres, ' || (SELECT count(*) FROM pairing) || ' pairs, ' ||
      (SELECT count(*) FROM visit) || ' visits, ' || (SELECT count(*) FROM must_visit_trigger) || ' must-visit triggers'")"
figure prefecture "$W/P" 513300
#  What the new reports found (their totals rows), so the times are of real work
for what in C:513328 P:513300; do
    dir=$W/${what%%:*} org=${what#*:}
    echo "must-visit totals at $org (triggers,closed,in_time,overdue,pending_sync,open,%):" \
         "$("$FUGAI" -C "$dir" --csv --no-bom report must-visit --org "$org" --period 2027-07 | grep -m1 '^,' | cut -d, -f3-)"
    echo "cadence totals at $org (due,on_time,late,missing,pending_sync,not_yet_due,offline,backwards,approved,%):" \
         "$("$FUGAI" -C "$dir" --csv --no-bom report cadence --org "$org" --period 2027-07 | grep -m1 '^,' | cut -d, -f3-)"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
