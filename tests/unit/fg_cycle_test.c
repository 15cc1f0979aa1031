/*  fg_cycle_test.c - self-test `cycle`: the reports must-visit, cadence
    and commendations, the rules R1 R2 R3, and one weekly submission
    cycle (fg_submission.h) on a real tree: prefecture 513300, county
    513328, townships 513328100 and 513328101 (real keys and replicas).

    Time is the test hook FUGAI_CLOCK_OFFSET_MS (the clock of a PC that is
    off), set before any node exists and only moved forward, so every
    entry carries a known day: the schedules on 2026-11-16, the weekly
    judgments of 2026-W47 (due 11-24) and W48 (due 12-01). Township 101
    writes its W47 report on time on 11-24 while its link is down; the
    county takes it on 11-30: OFFLINE_AUTHORED (R2). The county's own
    report of W47 never comes: missing, VIOLATED at the county (it knows
    its own log), PENDING_SYNC at the prefecture until the county writes
    past the due day plus the grace. A visit that arrives after the
    county's report was approved and accepted shows as a delta against
    it, and the report itself does not change. */
#include "fg_selftests.h"
#include "fg_report.h"
#include "fg_rules.h"
#include "fg_submission.h"
#include "fg_record.h"
#include "fg_testkit.h"
#include "fg_util.h"

#ifdef FUGAI_TEST_HOOKS                 //  the clock hook: without it, the test is skipped

//  The clock at a day and hour (UTC)
static void
s_clock (const char *day, int hour)
{
    int64_t target;
    assert (fg_date_parse (day, &target) == 0);
    struct timespec ts;
    clock_gettime (CLOCK_REALTIME, &ts);
    int64_t real = (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    char text [32];
    snprintf (text, sizeof text, "%lld", (long long) (target * 86400000LL + hour * 3600000LL - real));
    setenv ("FUGAI_CLOCK_OFFSET_MS", text, 1);
}

static const char *
s_id (char *buffer, const char *name, uint64_t id)
{
    sprintf (buffer, "%s=%llu", name, (unsigned long long) id);
    return buffer;
}

static fg_report_t *
s_report (fg_testnode_t *node, const char *name, const char *org, fg_report_by_t by, const char *period)
{
    fg_report_args_t args;
    memset (&args, 0, sizeof args);
    args.org = org;
    args.by = by;
    args.period = period;
    assert (fg_report_period (period, &args.from_day, &args.to_day) == 0);
    char err [512];
    fg_report_t *report = fg_report_new (node->replica, name, &args, err, sizeof err);
    if (!report)
        fprintf (stderr, "report %s: %s\n", name, err);
    assert (report);
    return report;
}

static const fg_rows_t *
s_section (const fg_report_t *report, const char *section)
{
    for (size_t i = 0; i < fg_report_count (report); i++)
        if (streq (fg_rows_meta (fg_report_section (report, i), "section"), section))
            return fg_report_section (report, i);
    fprintf (stderr, "no section %s\n", section);
    assert (false);
    return NULL;
}

//  The cell of `column` in the row whose first column is `key` ("total": the totals)
static const char *
s_cell (const fg_rows_t *rows, const char *key, const char *column)
{
    size_t c;
    for (c = 0; c < fg_rows_column_count (rows); c++)
        if (streq (fg_rows_column_name (rows, c), column))
            break;
    assert (c < fg_rows_column_count (rows));
    for (size_t r = 0; r < fg_rows_count (rows); r++) {
        const char *first = fg_rows_cell (rows, r, 0, NULL);
        bool total = streq (key, "total") && !first && r + 1 == fg_rows_count (rows);
        if (total || (first && streq (first, key))) {
            const char *text = fg_rows_cell (rows, r, c, NULL);
            return text ? text : "";
        }
    }
    fprintf (stderr, "no row %s in %s\n", key, fg_rows_meta (rows, "section"));
    assert (false);
    return NULL;
}

static void
s_expect (const fg_rows_t *rows, const char *key, const char *column, const char *expected)
{
    const char *got = s_cell (rows, key, column);
    if (!streq (got, expected)) {
        fprintf (stderr, "%s: row %s, %s = '%s', expected '%s'\n", fg_rows_meta (rows, "section"),
                 key, column, got, expected);
        assert (false);
    }
}

//  The row of `section` whose columns `a` and `b` hold these values: its index
static size_t
s_row_where (const fg_rows_t *rows, const char *a, const char *value_a, const char *b, const char *value_b)
{
    size_t ca = 0, cb = 0;
    for (size_t c = 0; c < fg_rows_column_count (rows); c++) {
        if (streq (fg_rows_column_name (rows, c), a)) ca = c;
        if (streq (fg_rows_column_name (rows, c), b)) cb = c;
    }
    for (size_t r = 0; r < fg_rows_count (rows); r++) {
        const char *x = fg_rows_cell (rows, r, ca, NULL), *y = fg_rows_cell (rows, r, cb, NULL);
        if (x && y && streq (x, value_a) && streq (y, value_b))
            return r;
    }
    fprintf (stderr, "no row %s=%s %s=%s\n", a, value_a, b, value_b);
    assert (false);
    return 0;
}

static const char *
s_at (const fg_rows_t *rows, size_t row, const char *column)
{
    for (size_t c = 0; c < fg_rows_column_count (rows); c++)
        if (streq (fg_rows_column_name (rows, c), column)) {
            const char *text = fg_rows_cell (rows, row, c, NULL);
            return text ? text : "";
        }
    assert (false);
    return NULL;
}

static void
s_same (const fg_report_t *a, const fg_report_t *b, const char *what)
{
    assert (fg_report_count (a) == fg_report_count (b));
    for (size_t i = 0; i < fg_report_count (a); i++) {
        const fg_rows_t *x = fg_report_section (a, i), *y = fg_report_section (b, i);
        bool same = fg_rows_count (x) == fg_rows_count (y) && fg_rows_column_count (x) == fg_rows_column_count (y);
        for (size_t r = 0; same && r < fg_rows_count (x); r++)
            for (size_t c = 0; same && c < fg_rows_column_count (x); c++) {
                const char *p = fg_rows_cell (x, r, c, NULL), *q = fg_rows_cell (y, r, c, NULL);
                same = (!p && !q) || (p && q && streq (p, q));
                if (!same)
                    fprintf (stderr, "%s %s: row %zu column %s: '%s' != '%s'\n", what,
                             fg_rows_meta (x, "section"), r, fg_rows_column_name (x, c), p ? p : "null",
                             q ? q : "null");
            }
        assert (same);
    }
}

static void
s_sync (fg_testnode_t *pref, fg_testnode_t *county, fg_testnode_t *t1, fg_testnode_t *t2)
{
    for (int round = 0; round < 2; round++) {
        if (t1) assert (fg_testkit_sync (t1, county, true).quarantined == 0);
        if (t2) assert (fg_testkit_sync (t2, county, true).quarantined == 0);
        assert (fg_testkit_sync (county, pref, true).quarantined == 0);
        assert (fg_testkit_sync (pref, county, false).quarantined == 0);
        if (t1) assert (fg_testkit_sync (county, t1, false).quarantined == 0);
        if (t2) assert (fg_testkit_sync (county, t2, false).quarantined == 0);
    }
}

static uint64_t
s_build (fg_testnode_t *node, uint64_t schedule, const char *period)
{
    char err [512];
    uint64_t id = 0;
    if (fg_submission_build (node->replica, schedule, period, "本周研判", "test", &id, err, sizeof err))
        fprintf (stderr, "build %s: %s\n", period, err);
    assert (id);
    return id;
}

static void
s_step (fg_testnode_t *node, uint64_t submission, const char *step, const char *expected)
{
    char err [512], state [16] = "";
    if (fg_submission_step (node->replica, submission, step, NULL, NULL, "test", state, err, sizeof err))
        fprintf (stderr, "%s: %s\n", step, err);
    assert (streq (state, expected));
}

static const fg_finding_t *
s_finding (fg_findings_t *findings, const char *rule, const char *org, const char *period)
{
    for (size_t i = 0; i < fg_findings_count (findings); i++) {
        const fg_finding_t *finding = fg_findings_at (findings, i);
        if (streq (finding->rule, rule) && streq (finding->org, org) && streq (finding->period, period))
            return finding;
    }
    return NULL;
}

#endif

void
fg_cycle_test (bool verbose)
{
    printf (" * fg_cycle: ");
#ifndef FUGAI_TEST_HOOKS
    printf ("skipped (needs -DFUGAI_TEST_HOOKS=ON for the clock)\n");
    (void) verbose;
    return;
#else
    s_clock ("2026-11-16", 9);
    char *dir = fg_testkit_dir ("fg_cycle_test");
    fg_testnode_t pref, county, t1, t2;
    fg_testkit_node (&pref, dir, 1, FG_TIER_PREFECTURE, "513300", "prefecture");
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&t1, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town 100");
    fg_testkit_node (&t2, dir, 28101, FG_TIER_TOWNSHIP, "513328101", "town 101");
    fg_testkit_link (&pref, &county);
    fg_testkit_link (&county, &t1);
    fg_testkit_link (&county, &t2);
    char f1 [64], f2 [64], err [512];

    //  Periods of a cadence
    char period [16];
    int64_t from, to, day;
    assert (fg_date_parse ("2026-11-23", &day) == 0);
    assert (fg_report_period_of ("WEEK", day, period, &from, &to) == 0 && streq (period, "2026-W48") && from == day);
    assert (fg_report_period_of ("WEEK", day - 1, period, &from, &to) == 0 && streq (period, "2026-W47"));
    assert (fg_report_period_of ("SEMIMONTH", day, period, &from, &to) == 0 && streq (period, "2026-11B"));
    assert (fg_report_period_of ("PROGRAM_YEAR", day, period, &from, &to) == 0 && streq (period, "PY2026"));
    assert (fg_date_parse ("2027-01-01", &day) == 0);
    assert (fg_report_period_of ("WEEK", day, period, &from, &to) == 0 && streq (period, "2026-W53"));
    assert (fg_report_period_of ("FORTNIGHT", day, period, &from, &to) == -1);
    assert (fg_report_period ("PY2026", &from, &to) == 0);
    assert (fg_date_parse ("2026-07-01", &day) == 0 && from == day);
    assert (fg_date_parse ("2027-06-30", &day) == 0 && to == day);
    assert (fg_report_period ("PY26", &from, &to) == -1);

    //  11-16, the prefecture: org units, the weekly judgments of the
    //  townships (due 2 days after the week) and of the county (3 days)
    fg_testkit_add (&pref, "org_unit", "id=513328", "name_zh=甘孜县", "level=2", NULL);
    fg_testkit_add (&pref, "org_unit", "id=513328100", "name_zh=呷拉乡", "level=3", NULL);
    fg_testkit_add (&pref, "org_unit", "id=513328101", "name_zh=色西底乡", "level=3", NULL);
    fg_testkit_add (&pref, "org_unit", "id=513328100201", "name_zh=一村", "level=4", NULL);
    fg_testkit_add (&pref, "org_unit", "id=513328101201", "name_zh=三村", "level=4", NULL);
    uint64_t weekly = fg_testkit_add (&pref, "report_schedule", "version=1", "name=乡镇专题研判", "reporter_selector=township",
                             "period_type=WEEK", "due_offset_days=2", NULL);
    uint64_t county_weekly = fg_testkit_add (&pref, "report_schedule", "version=1", "name=县专题研判",
                                    "reporter_selector=county", "period_type=WEEK", "due_offset_days=3", NULL);
    s_sync (&pref, &county, &t1, &t2);

    //  11-23: households, cadres, pairs; township 100's must-visits (one
    //  answered in time, one never); a nomination at the county
    s_clock ("2026-11-23", 9);
    uint64_t h1 = fg_testkit_add (&t1, "household", "org_id=513328100201", "head_name=扎西", "economy=herding",
                         "valid_from=2025-01-01", NULL);
    uint64_t h2 = fg_testkit_add (&t1, "household", "org_id=513328100201", "head_name=卓玛", "economy=farming",
                         "valid_from=2025-01-01", NULL);
    uint64_t h3 = fg_testkit_add (&t2, "household", "org_id=513328101201", "head_name=格桑", "economy=herding",
                         "valid_from=2025-01-01", NULL);
    s_sync (&pref, &county, &t1, &t2);
    uint64_t c1 = fg_testkit_add (&county, "cadre", "org_id=513328100", "name=干部甲", "rank=staff", NULL);
    uint64_t c2 = fg_testkit_add (&county, "cadre", "org_id=513328101", "name=干部乙", "rank=staff", NULL);
    fg_testkit_add (&county, "pairing", "org_id=513328100201", s_id (f1, "cadre_id", c1), s_id (f2, "household_id", h1),
           "start_on=2026-01-01", NULL);
    fg_testkit_add (&county, "pairing", "org_id=513328100201", s_id (f1, "cadre_id", c1), s_id (f2, "household_id", h2),
           "start_on=2026-01-01", NULL);
    fg_testkit_add (&county, "pairing", "org_id=513328101201", s_id (f1, "cadre_id", c2), s_id (f2, "household_id", h3),
           "start_on=2026-01-01", NULL);
    fg_testkit_add (&county, "nomination", "org_id=513328100", "year=2026", "category=township_head",
           s_id (f1, "nominee_cadre_id", c1), "nominated_on=2026-11-20", NULL);
    s_sync (&pref, &county, &t1, &t2);
    uint64_t trigger_a = fg_testkit_add (&t1, "must_visit_trigger", "org_id=513328100201", s_id (f1, "household_id", h1),
                                "category=seriously_ill", "occurred_on=2026-11-20", NULL);
    fg_testkit_add (&t1, "must_visit_trigger", "org_id=513328100201", s_id (f1, "household_id", h2),
           "category=seriously_ill", "occurred_on=2026-11-18", NULL);
    fg_testkit_add (&t1, "visit", "org_id=513328100201", s_id (f1, "cadre_id", c1), "kind=must_visit",
           "target_kind=household", s_id (f2, "target_id", h1), "must_visit_category=seriously_ill",
           "in_person=1", "occurred_on=2026-11-22", NULL);
    (void) trigger_a;
    //  W47 is over: township 100 reports it and signs it off; the county
    //  accepts and approves it (township 101 is offline all week)
    uint64_t t1_w47 = s_build (&t1, weekly, "2026-W47");
    uint64_t none;
    assert (fg_submission_build (t1.replica, weekly, "2026-W48", NULL, "test", &none, err, sizeof err) == -1
         && strstr (err, "not closed"));
    assert (fg_submission_build (t1.replica, weekly, "2026-11", NULL, "test", &none, err, sizeof err) == -1
         && strstr (err, "2026-W"));
    assert (fg_submission_build (t1.replica, county_weekly, "2026-W47", NULL, "test", &none, err, sizeof err) == -1
         && strstr (err, "reported by county"));
    assert (fg_submission_build (t1.replica, weekly, "2026-W47", NULL, "test", &none, err, sizeof err) == -1
         && strstr (err, "already submitted"));
    assert (fg_submission_step (t1.replica, t1_w47, "accept", NULL, NULL, "test", NULL, err, sizeof err) == -1
         && strstr (err, "unit above"));
    s_step (&t1, t1_w47, "approve", "APPROVED");
    s_sync (&pref, &county, &t1, NULL);
    s_step (&county, t1_w47, "accept", "ACCEPTED");
    s_step (&county, t1_w47, "approve", "APPROVED");
    s_sync (&pref, &county, &t1, NULL);
    //  The township no longer holds it: its unapprove is refused at its desk
    assert (fg_submission_step (t1.replica, t1_w47, "unapprove", NULL, NULL, "test", NULL, err, sizeof err) == -1
         && strstr (err, "held by 513328"));

    //  11-24: township 101, offline, reports W47 on its due day, and a must-visit
    s_clock ("2026-11-24", 9);
    uint64_t t2_w47 = s_build (&t2, weekly, "2026-W47");
    fg_testkit_add (&t2, "must_visit_trigger", "org_id=513328101201", s_id (f1, "household_id", h3),
           "category=seriously_ill", "occurred_on=2026-11-21", NULL);

    //  11-27: the county's own W47 (due 11-25) has not come; at the
    //  prefecture, which knows the county's log only to 11-23, it may not
    //  have arrived: PENDING_SYNC, waiting for the county
    s_clock ("2026-11-27", 9);
    fg_report_t *report = s_report (&pref, "cadence", "513328", 0, "2026-11");
    const fg_rows_t *rows = s_section (report, "cadence");
    s_expect (rows, "513328", "missing", "0");
    s_expect (rows, "513328", "pending_sync", "1");
    fg_report_destroy (&report);
    assert (fg_date_parse ("2026-11-27", &day) == 0);
    fg_findings_t *findings = fg_rules_evaluate (pref.replica, "R1", "513328", day, err, sizeof err);
    const fg_finding_t *finding = s_finding (findings, "R1", "513328", "2026-W47");
    assert (finding && finding->state == FG_FINDING_PENDING && finding->waiting [0] == 128);
    fg_findings_destroy (&findings);

    //  11-30: the link is back; township 100 reports W48
    s_clock ("2026-11-30", 10);
    s_sync (&pref, &county, &t1, &t2);
    uint64_t t1_w48 = 0;                                          //  the last week over: W48
    assert (fg_submission_build (t1.replica, weekly, NULL, NULL, "test", &t1_w48, err, sizeof err) == 0);
    assert (fg_testkit_int (&t1, "SELECT count(*) FROM report_submission WHERE period_id = '2026-W48'") == 1);
    s_step (&t1, t1_w48, "approve", "APPROVED");
    s_step (&t1, t1_w48, "unapprove", "UNAPPROVED");           //  its holder takes it back
    assert (fg_submission_step (t1.replica, t1_w48, "unapprove", NULL, NULL, "test", NULL, err, sizeof err) == -1
         && strstr (err, "follows only APPROVED"));
    s_step (&t1, t1_w48, "approve", "APPROVED");
    s_sync (&pref, &county, &t1, &t2);
    //  What the county holds
    fg_rows_t *list = fg_submission_list (county.replica, NULL, "2026-W47", 0, err, sizeof err);
    assert (list && fg_rows_count (list) == 2);
    size_t at = s_row_where (list, "org", "513328100", "period", "2026-W47");
    assert (streq (s_at (list, at, "state"), "APPROVED") && streq (s_at (list, at, "held_by"), "513328"));
    assert (streq (s_at (list, at, "offline_authored"), "") && streq (s_at (list, at, "name"), "呷拉乡"));
    at = s_row_where (list, "org", "513328101", "period", "2026-W47");
    assert (streq (s_at (list, at, "state"), "SUBMITTED") && streq (s_at (list, at, "held_by"), "513328101"));
    assert (streq (s_at (list, at, "offline_authored"), "OFFLINE_AUTHORED"));
    fg_rows_destroy (&list);

    //  must-visit at the county for November, by township
    report = s_report (&county, "must-visit", NULL, 0, "2026-11");
    rows = s_section (report, "must_visit");
    s_expect (rows, "513328100", "name", "呷拉乡");
    s_expect (rows, "513328100", "triggers", "2");
    s_expect (rows, "513328100", "in_time", "1");
    s_expect (rows, "513328100", "overdue", "1");             //  due 11-25: the township is known past it
    s_expect (rows, "513328100", "in_time_pct", "50.0");
    s_expect (rows, "513328101", "triggers", "1");
    s_expect (rows, "513328101", "pending_sync", "1");        //  due 11-28: township 101 known only to 11-24
    s_expect (rows, "513328101", "overdue", "0");
    s_expect (rows, "total", "triggers", "3");
    rows = s_section (report, "categories");
    s_expect (rows, "seriously_ill", "triggers", "3");
    s_expect (rows, "seriously_ill", "in_time", "1");
    s_expect (rows, "elderly_death", "triggers", "0");
    fg_report_destroy (&report);

    //  cadence at the county for November (W47 and W48 end in it), as of 11-30
    report = s_report (&county, "cadence", NULL, 0, "2026-11");
    rows = s_section (report, "cadence");
    s_expect (rows, "513328100", "due", "2");
    s_expect (rows, "513328100", "on_time", "2");
    s_expect (rows, "513328100", "approved", "2");
    s_expect (rows, "513328101", "due", "1");
    s_expect (rows, "513328101", "on_time", "1");
    s_expect (rows, "513328101", "offline_authored", "1");    //  R2: authored 11-24, taken 11-30
    s_expect (rows, "513328101", "not_yet_due", "1");         //  W48, due 12-01
    s_expect (rows, "513328", "missing", "1");                //  the county's own W47, due 11-25
    s_expect (rows, "513328", "not_yet_due", "1");
    s_expect (rows, "total", "late", "0");
    rows = s_section (report, "reports");
    assert (fg_rows_count (rows) == 6);
    size_t row = s_row_where (rows, "code", "513328", "period", "2026-W47");
    assert (streq (s_at (rows, row, "state"), "VIOLATED"));
    row = s_row_where (rows, "code", "513328100", "period", "2026-W47");
    assert (streq (s_at (rows, row, "review"), "APPROVED") && streq (s_at (rows, row, "held_by"), "513328"));
    fg_report_destroy (&report);
    //  ... and at the prefecture: the county wrote past its due day plus
    //  the grace (the receipts of its townships' reports, on 11-30)
    report = s_report (&pref, "cadence", "513328", 0, "2026-11");
    s_expect (s_section (report, "cadence"), "513328", "missing", "1");
    fg_report_destroy (&report);

    //  R1 R2 at the county and the prefecture, judged as of 12-01
    assert (fg_date_parse ("2026-12-01", &day) == 0);
    findings = fg_rules_evaluate (county.replica, NULL, NULL, day, err, sizeof err);
    assert (findings);
    finding = s_finding (findings, "R1", "513328", "2026-W47");
    assert (finding && finding->state == FG_FINDING_VIOLATED && streq (finding->table, "report_schedule"));
    assert (!s_finding (findings, "R1", "513328100", "2026-W47"));
    assert (!s_finding (findings, "R1", "513328101", "2026-W47"));  //  on time, if offline
    assert (!s_finding (findings, "R1", "513328101", "2026-W48"));  //  due today
    finding = s_finding (findings, "R2", "513328101", "2026-W47");
    assert (finding && finding->subject_id == t2_w47 && strstr (finding->evidence, "OFFLINE_AUTHORED"));
    assert (!s_finding (findings, "R2", "513328100", "2026-W47"));
    assert (!fg_findings_find (findings, "R3", "report_submission", t1_w48));
    fg_findings_destroy (&findings);

    //  12-03: township 101 reports W48 late; the county returns its W47
    //  (a new version follows); the county reports its W48, approves it,
    //  the prefecture accepts and approves
    s_clock ("2026-12-03", 9);
    uint64_t t2_w48 = s_build (&t2, weekly, "2026-W48");
    s_sync (&pref, &county, &t1, &t2);
    assert (fg_submission_step (county.replica, t2_w47, "return", "513329100", NULL, "test", NULL, err,
                                sizeof err) == -1 && strstr (err, "inside 513328"));
    s_step (&county, t2_w47, "return", "RETURNED");             //  to its reporter
    report = s_report (&county, "cadence", NULL, 0, "2026-W48");
    rows = s_section (report, "reports");
    row = s_row_where (rows, "code", "513328101", "period", "2026-W48");
    assert (streq (s_at (rows, row, "state"), "late") && streq (s_at (rows, row, "late_days"), "2"));
    fg_report_destroy (&report);
    s_sync (&pref, &county, &t1, &t2);
    uint64_t t2_w47b = s_build (&t2, weekly, "2026-W47");       //  version 2 after the return
    assert (t2_w47b != t2_w47);
    (void) t2_w48;
    uint64_t c_w48 = s_build (&county, county_weekly, "2026-W48");
    s_step (&county, c_w48, "approve", "APPROVED");
    s_sync (&pref, &county, &t1, &t2);
    s_step (&pref, c_w48, "accept", "ACCEPTED");
    s_step (&pref, c_w48, "approve", "APPROVED");
    assert (fg_submission_step (county.replica, c_w48, "approve", NULL, NULL, "test", NULL, err, sizeof err) == -1);
    s_sync (&pref, &county, &t1, &t2);
    char *approved = fg_submission_figures (county.replica, "513328", "2026-W48", NULL, 0, NULL, err, sizeof err);
    assert (approved && strstr (approved, "\"coverage.visits\":0"));

    //  A late visit: done on 11-25 (in W48), recorded after the approval
    fg_testkit_add (&t1, "visit", "org_id=513328100201", s_id (f1, "cadre_id", c1), "kind=pairing",
           "target_kind=household", s_id (f2, "target_id", h2), "in_person=1", "occurred_on=2026-11-25", NULL);
    s_sync (&pref, &county, &t1, &t2);
    size_t count = 0;
    fg_rows_t **sections = fg_submission_show (pref.replica, c_w48, &count, err, sizeof err);
    assert (sections && count == 4);
    s_expect (sections [0], "state", "value", "APPROVED");
    s_expect (sections [0], "held_by", "value", "513300");
    s_expect (sections [1], "coverage.visits", "submitted", "0");
    s_expect (sections [1], "coverage.visits", "now", "1");
    s_expect (sections [1], "coverage.visits", "delta", "1");
    s_expect (sections [1], "coverage.households", "delta", "0");
    s_expect (sections [2], "28100", "submitted", s_cell (sections [2], "28100", "submitted"));
    assert (atoi (s_cell (sections [2], "28100", "delta")) > 0);
    assert (fg_rows_count (sections [3]) == 3);                //  approve, accept, approve
    for (size_t i = 0; i < count; i++)
        fg_rows_destroy (&sections [i]);
    free (sections);
    //  ... the submitted figures did not move
    char *stored = NULL;
    {
        sqlite3_stmt *stmt;
        assert (sqlite3_prepare_v2 (fg_replica_db (pref.replica), "SELECT aggregates FROM report_submission WHERE id = ?",
                                    -1, &stmt, NULL) == SQLITE_OK);
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) c_w48);
        assert (sqlite3_step (stmt) == SQLITE_ROW);
        stored = strdup ((const char *) sqlite3_column_text (stmt, 0));
        sqlite3_finalize (stmt);
    }
    assert (streq (stored, approved));
    free (stored);
    free (approved);

    //  R3: a report whose frontier goes back (a replica restored from an
    //  old copy would write one)
    uint64_t backwards = fg_testkit_add (&t1, "report_submission", "org_id=513328100", s_id (f1, "schedule_id", weekly),
                                "period_id=2026-W49", "frontier={\"1\":999,\"128\":999,\"28100\":1}", "aggregates={}", NULL);
    s_sync (&pref, &county, &t1, &t2);
    findings = fg_rules_evaluate (county.replica, "R3", NULL, day, err, sizeof err);
    finding = fg_findings_find (findings, "R3", "report_submission", backwards);
    assert (finding && finding->state == FG_FINDING_VIOLATED && strstr (finding->evidence, "node 28100"));
    assert (fg_findings_count (findings) == 1);
    fg_findings_destroy (&findings);

    //  commendations: the county's nomination, the quotas
    report = s_report (&county, "commendations", NULL, 0, "2026");
    rows = s_section (report, "commendations");
    s_expect (rows, "513328100", "nominated", "1");
    s_expect (rows, "513328100", "in_review", "1");
    s_expect (rows, "513328101", "nominated", "0");
    rows = s_section (report, "quotas");
    s_expect (rows, "township_head", "quota", "20");
    s_expect (rows, "township_head", "nominated", "1");
    s_expect (rows, "township_head", "remaining", "20");
    s_expect (rows, "village_branch_secretary", "quota", "60");
    fg_report_destroy (&report);

    //  The same figures at every tier once converged (the county's W47 is
    //  VIOLATED at the prefecture too now: the county wrote past its due
    //  day plus the grace; R2 is the county's receipt, held everywhere)
    const char *names [] = { "must-visit", "cadence", "commendations" };
    for (size_t i = 0; i < 3; i++) {
        fg_report_t *at_t1 = s_report (&t1, names [i], "513328100", FG_REPORT_BY_VILLAGE, "2026-11");
        fg_report_t *at_c = s_report (&county, names [i], "513328100", FG_REPORT_BY_VILLAGE, "2026-11");
        fg_report_t *at_p = s_report (&pref, names [i], "513328100", FG_REPORT_BY_VILLAGE, "2026-11");
        s_same (at_t1, at_c, names [i]);
        s_same (at_c, at_p, names [i]);
        fg_report_destroy (&at_t1);
        fg_report_destroy (&at_c);
        fg_report_destroy (&at_p);
        at_c = s_report (&county, names [i], "513328", FG_REPORT_BY_TOWNSHIP, "2026-11");
        at_p = s_report (&pref, names [i], "513328", FG_REPORT_BY_TOWNSHIP, "2026-11");
        s_same (at_c, at_p, names [i]);
        if (streq (names [i], "cadence")) {
            //  R2 as the county judged it on receipt, at the prefecture too
            s_expect (s_section (at_p, "cadence"), "513328101", "offline_authored", "1");
            s_expect (s_section (at_p, "cadence"), "513328", "missing", "1");
        }
        fg_report_destroy (&at_c);
        fg_report_destroy (&at_p);
    }
    //  The receipts: written by the county, one per township report it took
    //  straight from its author, none of its own; held at every tier
    assert (fg_testkit_int (&county, "SELECT count(*) FROM report_receipt WHERE created_by = 128 "
                                     "AND author_node IN (28100, 28101)") == fg_testkit_int (&county,
            "SELECT count(*) FROM report_submission WHERE created_by IN (28100, 28101)"));
    assert (fg_testkit_int (&pref, "SELECT count(*) FROM report_receipt WHERE author_node = 128") == 1);
    assert (fg_testkit_int (&pref, "SELECT count(*) FROM report_receipt WHERE created_by = 1") == 1);
    assert (fg_testkit_int (&t2, "SELECT offline_authored FROM report_receipt WHERE submission_id = (SELECT id "
                                 "FROM report_submission WHERE period_id = '2026-W47' ORDER BY id LIMIT 1)") == 1);
    findings = fg_rules_evaluate (pref.replica, "R2", NULL, day, err, sizeof err);
    assert (fg_findings_count (findings) == 1 && fg_findings_find (findings, "R2", "report_submission", t2_w47));
    fg_findings_destroy (&findings);

    unsetenv ("FUGAI_CLOCK_OFFSET_MS");
    fg_testkit_node_destroy (&t1);
    fg_testkit_node_destroy (&t2);
    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&pref);
    fg_testkit_rmdir (dir);
    free (dir);
    if (verbose)
        printf ("(verbose) ");
    printf ("OK\n");
#endif
}
