/*  fg_report_test.c - self-test `report`: a prefecture, a county and two
    townships with real keys and replicas (fg_testkit); each tier writes
    what it authors (org units at the prefecture; households, visits,
    vulnerable people, assistance, appeals at the townships; cadres,
    pairings, branches, sites and contacts at the county; a directive from
    the prefecture), the tree syncs up and down, and every report gives
    the expected figures, the same at the township, the county and the
    prefecture (except `links`, which is each node's own view). The
    rendering is checked too: a CSV byte order mark, and no record value
    reaching the HTML page unescaped. */
#include "fg_selftests.h"
#include "fg_report.h"
#include "fg_render.h"
#include "fg_record.h"
#include "fg_directive.h"
#include "fg_testkit.h"
#include "fg_util.h"

#define S_NOW_MS  1796083200000LL           //  2026-12-01T00:00:00Z

//  "name=<id>" into a buffer
static const char *
s_id (char *buffer, const char *name, uint64_t id)
{
    sprintf (buffer, "%s=%llu", name, (unsigned long long) id);
    return buffer;
}

static fg_report_t *
s_report (fg_testnode_t *node, const char *name, const char *org, fg_report_by_t by)
{
    fg_report_args_t args;
    memset (&args, 0, sizeof args);
    args.org = org;
    args.by = by;
    args.period = "2026-11";
    assert (fg_report_period ("2026-11", &args.from_day, &args.to_day) == 0);
    args.now_ms = S_NOW_MS;
    char err [512];
    fg_report_t *report = fg_report_new (node->replica, name, &args, err, sizeof err);
    if (!report)
        fprintf (stderr, "report %s: %s\n", name, err);
    assert (report);
    return report;
}

//  The section named `section` of a report
static const fg_rows_t *
s_section (const fg_report_t *report, const char *section)
{
    for (size_t i = 0; i < fg_report_count (report); i++)
        if (streq (fg_rows_meta (fg_report_section (report, i), "section"), section))
            return fg_report_section (report, i);
    assert (false);
    return NULL;
}

//  The cell of a column in the row whose first column is `key` ("" if null)
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

//  Every cell of every section equal (the metadata may differ: the
//  frontier and the node are each replica's own)
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
        if (!same)
            fprintf (stderr, "%s %s: %zu rows != %zu rows\n", what, fg_rows_meta (x, "section"),
                     fg_rows_count (x), fg_rows_count (y));
        assert (same);
    }
}

static void
s_sync_all (fg_testnode_t *pref, fg_testnode_t *county, fg_testnode_t *t1, fg_testnode_t *t2)
{
    for (int round = 0; round < 2; round++) {
        assert (fg_testkit_sync (t1, county, true).quarantined == 0);
        assert (fg_testkit_sync (t2, county, true).quarantined == 0);
        assert (fg_testkit_sync (county, pref, true).quarantined == 0);
        assert (fg_testkit_sync (pref, county, false).quarantined == 0);
        assert (fg_testkit_sync (county, t1, false).quarantined == 0);
        assert (fg_testkit_sync (county, t2, false).quarantined == 0);
    }
}

void
fg_report_test (bool verbose)
{
    printf (" * fg_report: ");
    char *dir = fg_testkit_dir ("fg_report_test");
    fg_testnode_t pref, county, t1, t2;
    fg_testkit_node (&pref, dir, 1, FG_TIER_PREFECTURE, "513300", "prefecture");
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&t1, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town 100");
    fg_testkit_node (&t2, dir, 28101, FG_TIER_TOWNSHIP, "513328101", "town 101");
    fg_testkit_link (&pref, &county);
    fg_testkit_link (&county, &t1);
    fg_testkit_link (&county, &t2);
    char f1 [64], f2 [64], f3 [64];

    //  Periods
    int64_t from, to, day;
    assert (fg_report_period ("2026-11", &from, &to) == 0 && to - from == 29);
    assert (fg_date_parse ("2026-11-01", &day) == 0 && from == day);
    assert (fg_report_period ("2026-W05", &from, &to) == 0);
    assert (fg_date_parse ("2026-01-26", &day) == 0 && from == day && to == day + 6);
    assert (fg_report_period ("2026-02B", &from, &to) == 0);
    assert (fg_date_parse ("2026-02-28", &day) == 0 && to == day);
    assert (fg_report_period ("2026Q4", &from, &to) == 0);
    assert (fg_date_parse ("2026-12-31", &day) == 0 && to == day);
    assert (fg_report_period ("2026H1", &from, &to) == 0);
    assert (fg_date_parse ("2026-06-30", &day) == 0 && to == day);
    assert (fg_report_period ("2026", &from, &to) == 0 && to - from == 364);
    assert (fg_report_period ("2026-13", &from, &to) == -1);
    assert (fg_report_period ("2026Q5", &from, &to) == -1);
    assert (fg_report_period ("2026-W53", &from, &to) == 0);       //  2026 starts on a Thursday
    assert (fg_report_period ("2025-W53", &from, &to) == -1);      //  2025 has 52 weeks
    assert (fg_report_period ("junk", &from, &to) == -1);

    //  The prefecture: org units (a name that tries to be markup)
    fg_testkit_add (&pref, "org_unit", "id=513328", "name_zh=甘孜县", "level=2", NULL);
    fg_testkit_add (&pref, "org_unit", "id=513328100", "name_zh=呷拉乡", "level=3", NULL);
    fg_testkit_add (&pref, "org_unit", "id=513328101", "name_zh=<b>色西底乡</b>&", "level=3", NULL);
    fg_testkit_add (&pref, "org_unit", "id=513328100201", "name_zh=一村", "level=4", NULL);
    fg_testkit_add (&pref, "org_unit", "id=513328100202", "name_zh=二村", "level=4", NULL);
    fg_testkit_add (&pref, "org_unit", "id=513328101201", "name_zh=三村", "level=4", NULL);
    s_sync_all (&pref, &county, &t1, &t2);

    //  Townships: households (registered long ago, so an unpaired one is overdue)
    uint64_t h1 = fg_testkit_add (&t1, "household", "org_id=513328100201", "head_name=扎西", "economy=herding",
                         "valid_from=2025-01-01", NULL);
    uint64_t h2 = fg_testkit_add (&t1, "household", "org_id=513328100201", "head_name=卓玛", "economy=farming",
                         "valid_from=2025-01-01", NULL);
    fg_testkit_add (&t1, "household", "org_id=513328100202", "head_name==cmd|' /C calc'!A0", "economy=semi",
           "valid_from=2025-01-01", NULL);
    uint64_t h4 = fg_testkit_add (&t2, "household", "org_id=513328101201", "head_name=格桑", "economy=herding",
                         "valid_from=2025-01-01", NULL);
    fg_testkit_add (&t2, "household", "org_id=513328101201", "head_name=次仁", "economy=herding",
           "valid_from=2026-11-20", NULL);                       //  new: within the grace days
    s_sync_all (&pref, &county, &t1, &t2);

    //  The county: cadres, pairings, branches, a site and its contact
    uint64_t c1 = fg_testkit_add (&county, "cadre", "org_id=513328100", "name=干部甲", "rank=staff", NULL);
    uint64_t c2 = fg_testkit_add (&county, "cadre", "org_id=513328101", "name=干部乙", "rank=staff", NULL);
    fg_testkit_add (&county, "pairing", "org_id=513328100201", s_id (f1, "cadre_id", c1), s_id (f2, "household_id", h1),
           "start_on=2026-01-01", NULL);
    fg_testkit_add (&county, "pairing", "org_id=513328100201", s_id (f1, "cadre_id", c1), s_id (f2, "household_id", h2),
           "start_on=2026-01-01", NULL);
    fg_testkit_add (&county, "pairing", "org_id=513328101201", s_id (f1, "cadre_id", c2), s_id (f2, "household_id", h4),
           "start_on=2026-01-01", NULL);
    uint64_t vb1 = fg_testkit_add (&county, "party_branch", "org_id=513328100201", "name=一村支部", "level=village", NULL);
    fg_testkit_add (&county, "party_branch", "org_id=513328101201", "name=三村支部", "level=village", NULL);
    uint64_t ob = fg_testkit_add (&county, "party_branch", "org_id=513328", "name=县局支部", "level=county", NULL);
    uint64_t bp = fg_testkit_add (&county, "branch_pairing", "org_id=513328100201", s_id (f1, "organ_branch_id", ob),
                         s_id (f2, "village_branch_id", vb1), "start_on=2026-01-01", "lock_until=2029-01-01",
                         "letter_signed_on=2026-01-05", NULL);
    uint64_t site = fg_testkit_add (&county, "religious_site", "org_id=513328100", "name=寺庙甲", "registered=yes", NULL);
    fg_testkit_add (&county, "religious_site", "org_id=513328101", "name=寺庙乙", NULL);
    fg_testkit_add (&county, "temple_contact", "org_id=513328100", s_id (f1, "site_id", site), s_id (f2, "cadre_id", c1),
           "start_on=2026-01-01", NULL);
    //  The prefecture: a directive to the county, due in the period
    uint64_t directive = fg_testkit_add (&pref, "directive", "org_id=513328", "title=冬季走访", "effective_on=2026-11-01", "due_on=2026-11-20", NULL);
    s_sync_all (&pref, &county, &t1, &t2);

    //  Townships: visits (one outside the period), assistance with a
    //  reversal, appeals, an activity, an engagement; township 100
    //  completes the directive
    fg_testkit_add (&t1, "visit", "org_id=513328100201", s_id (f1, "cadre_id", c1), "kind=pairing", "target_kind=household",
           s_id (f2, "target_id", h1), "occurred_on=2026-11-05", NULL);
    fg_testkit_add (&t1, "visit", "org_id=513328100201", s_id (f1, "cadre_id", c1), "kind=pairing", "target_kind=household",
           s_id (f2, "target_id", h1), "occurred_on=2026-11-20", NULL);
    fg_testkit_add (&t1, "visit", "org_id=513328100201", s_id (f1, "cadre_id", c1), "kind=pairing", "target_kind=household",
           s_id (f2, "target_id", h2), "occurred_on=2026-10-01", NULL);
    fg_testkit_add (&t2, "visit", "org_id=513328101201", s_id (f1, "cadre_id", c2), "kind=pairing", "target_kind=household",
           s_id (f2, "target_id", h4), "occurred_on=2026-11-10", NULL);
    uint64_t vp = fg_testkit_add (&t1, "vulnerable_person", "org_id=513328100201", "category=orphan", NULL);
    fg_testkit_add (&t2, "vulnerable_person", "org_id=513328101201", "category=disabled", NULL);
    fg_testkit_add (&t1, "assistance_record", "org_id=513328100201", "beneficiary_kind=vulnerable_person",
           s_id (f1, "beneficiary_id", vp), "type=cash_subsidy", "amount_fen=50000", "occurred_on=2026-11-03", NULL);
    uint64_t wrong = fg_testkit_add (&t1, "assistance_record", "org_id=513328100201", "beneficiary_kind=vulnerable_person",
                            s_id (f1, "beneficiary_id", vp), "type=in_kind", "amount_fen=20000",
                            "occurred_on=2026-11-04", NULL);
    fg_testkit_add (&t1, "assistance_record", "org_id=513328100201", "beneficiary_kind=vulnerable_person",
           s_id (f1, "beneficiary_id", vp), "type=in_kind", "amount_fen=20000", s_id (f2, "reverses_id", wrong),
           "occurred_on=2026-11-06", NULL);
    fg_testkit_add (&t1, "appeal", "org_id=513328100201", "appellant_name=<script>alert(1)</script>", "channel=letter", "summary=S",
           "type=difficulty", "received_on=2026-11-02", "deadline_on=2026-11-15", NULL);
    uint64_t a2 = fg_testkit_add (&t1, "appeal", "org_id=513328100202", "appellant_name=B", "channel=letter", "summary=S",
                         "type=dispute", "received_on=2026-10-03", NULL);
    fg_testkit_add (&t1, "appeal_event", "org_id=513328100202", s_id (f1, "appeal_id", a2), "transition=withdraw",
           "occurred_on=2026-11-04", NULL);
    fg_testkit_add (&t1, "coconstruction_activity", "org_id=513328100201", s_id (f1, "branch_pairing_id", bp),
           "kind=joint_study", "occurred_on=2026-11-08", NULL);
    fg_testkit_add (&t1, "temple_engagement", "org_id=513328100", s_id (f1, "site_id", site), s_id (f2, "cadre_id", c1),
           "kind=visit", "occurred_on=2026-11-12", NULL);
    char err [512];
    assert (fg_directive_ack (t1.replica, directive, "completed", NULL, NULL, "test", err, sizeof err) == 0);
    s_sync_all (&pref, &county, &t1, &t2);
    (void) f3;

    //  Expected figures at the county, by township
    fg_report_t *report = s_report (&county, "coverage", NULL, 0);
    const fg_rows_t *rows = s_section (report, "coverage");
    assert (streq (fg_rows_meta (rows, "as_of"), "2026-11-30"));
    assert (streq (fg_rows_meta (rows, "by"), "township"));
    assert (streq (fg_rows_meta (rows, "org_name"), "甘孜县"));
    assert (strstr (fg_rows_meta (rows, "frontier"), "\"28100\":"));
    assert (strstr (fg_rows_meta (rows, "frontier"), "\"1\":"));
    s_expect (rows, "513328100", "name", "呷拉乡");
    s_expect (rows, "513328100", "households", "3");
    s_expect (rows, "513328100", "paired", "2");
    s_expect (rows, "513328100", "overdue", "1");
    s_expect (rows, "513328100", "coverage_pct", "66.7");
    s_expect (rows, "513328100", "visits", "2");
    s_expect (rows, "513328100", "visited", "1");
    s_expect (rows, "513328100", "visiting_cadres", "1");
    s_expect (rows, "513328100", "visits_per_household", "0.7");
    s_expect (rows, "513328101", "households", "2");
    s_expect (rows, "513328101", "paired", "1");
    s_expect (rows, "513328101", "waiting", "1");
    s_expect (rows, "513328101", "overdue", "0");
    s_expect (rows, "513328101", "visits", "1");
    s_expect (rows, "total", "households", "5");             //  the total row
    s_expect (rows, "total", "coverage_pct", "60.0");
    s_expect (rows, "total", "name", "甘孜县");
    rows = s_section (report, "cadres");
    assert (fg_rows_count (rows) == 2);
    s_expect (rows, "513328100", "households", "2");
    s_expect (rows, "513328100", "visits", "2");
    //  Visits over time: the months of the period (November: three visits
    //  to two households by two cadres), drawn as a chart
    rows = s_section (report, "months");
    assert (fg_rows_count (rows) == 1 && fg_rows_meta (rows, "chart"));
    s_expect (rows, "2026-11", "visits", "3");
    s_expect (rows, "2026-11", "visited", "2");
    s_expect (rows, "2026-11", "visiting_cadres", "2");
    fg_report_destroy (&report);
    {
        //  ... and over the year, October's visit in its own month
        fg_report_args_t year;
        memset (&year, 0, sizeof year);
        year.period = "2026";
        assert (fg_report_period ("2026", &year.from_day, &year.to_day) == 0);
        year.now_ms = S_NOW_MS;
        char why [512];
        report = fg_report_new (county.replica, "coverage", &year, why, sizeof why);
        assert (report);
        rows = s_section (report, "months");
        assert (fg_rows_count (rows) == 2);
        s_expect (rows, "2026-10", "visits", "1");
        s_expect (rows, "2026-11", "visits", "3");
        fg_report_destroy (&report);
    }

    report = s_report (&county, "assistance", NULL, 0);
    rows = s_section (report, "assistance");
    s_expect (rows, "513328100", "vulnerable", "1");
    s_expect (rows, "513328100", "assisted", "1");
    s_expect (rows, "513328100", "records", "2");
    s_expect (rows, "513328100", "reversals", "1");
    s_expect (rows, "513328100", "amount_yuan", "500.00");
    s_expect (rows, "513328101", "vulnerable", "1");
    s_expect (rows, "513328101", "assisted", "0");
    s_expect (rows, "total", "assisted_pct", "50.0");
    fg_report_destroy (&report);

    report = s_report (&county, "appeals", NULL, 0);
    rows = s_section (report, "appeals");
    s_expect (rows, "513328100", "received", "1");
    s_expect (rows, "513328100", "open", "1");
    s_expect (rows, "513328100", "overdue", "1");
    s_expect (rows, "513328100", "merged_withdrawn", "1");
    s_expect (rows, "513328101", "open", "0");
    rows = s_section (report, "states");
    s_expect (rows, "RECEIVED", "appeals", "1");
    s_expect (rows, "WITHDRAWN", "appeals", "1");
    s_expect (rows, "CLOSED_SATISFIED", "appeals", "0");
    fg_report_destroy (&report);

    report = s_report (&county, "branches", NULL, 0);
    rows = s_section (report, "branches");
    s_expect (rows, "513328100", "village_branches", "1");
    s_expect (rows, "513328100", "paired", "1");
    s_expect (rows, "513328100", "locked", "1");
    s_expect (rows, "513328100", "letters", "1");
    s_expect (rows, "513328100", "activities", "1");
    s_expect (rows, "513328101", "village_branches", "1");
    s_expect (rows, "513328101", "paired", "0");
    s_expect (rows, "total", "paired_pct", "50.0");
    fg_report_destroy (&report);

    report = s_report (&county, "temples", NULL, 0);
    rows = s_section (report, "temples");
    s_expect (rows, "513328100", "sites", "1");
    s_expect (rows, "513328100", "registered", "1");
    s_expect (rows, "513328100", "contacted", "1");
    s_expect (rows, "513328100", "engagements", "1");
    s_expect (rows, "513328101", "sites", "1");
    s_expect (rows, "513328101", "contacted", "0");
    rows = s_section (report, "sites");
    s_expect (rows, "513328100", "last_engagement", "2026-11-12");
    fg_report_destroy (&report);

    //  The directive: the county and both townships are its targets;
    //  township 100 completed it, the others only received it, past due
    report = s_report (&county, "directives", NULL, 0);
    rows = s_section (report, "directives");
    assert (fg_rows_count (rows) == 1);
    s_expect (rows, fg_rows_cell (rows, 0, 0, NULL), "targets", "3");
    s_expect (rows, fg_rows_cell (rows, 0, 0, NULL), "completed", "1");
    s_expect (rows, fg_rows_cell (rows, 0, 0, NULL), "received", "2");
    s_expect (rows, fg_rows_cell (rows, 0, 0, NULL), "overdue", "2");
    s_expect (rows, fg_rows_cell (rows, 0, 0, NULL), "name", "甘孜县");
    fg_report_destroy (&report);
    report = s_report (&t1, "directives", NULL, 0);             //  at the township: itself only
    rows = s_section (report, "directives");
    assert (fg_rows_count (rows) == 1);
    s_expect (rows, fg_rows_cell (rows, 0, 0, NULL), "targets", "1");
    s_expect (rows, fg_rows_cell (rows, 0, 0, NULL), "completed", "1");
    s_expect (rows, fg_rows_cell (rows, 0, 0, NULL), "overdue", "0");
    fg_report_destroy (&report);

    //  Links: the county sees itself and both townships, with their seqs
    report = s_report (&county, "links", NULL, 0);
    rows = s_section (report, "links");
    assert (fg_rows_count (rows) == 3);
    s_expect (rows, "513328100", "relation", "child");
    assert (atoi (s_cell (rows, "513328100", "seq")) > 0);
    s_expect (rows, "513328", "relation", "self");
    fg_report_destroy (&report);
    report = s_report (&pref, "links", "513328", 0);        //  the prefecture learned the townships
    rows = s_section (report, "links");
    assert (fg_rows_count (rows) == 3);
    s_expect (rows, "513328", "relation", "child");
    assert (atoi (s_cell (rows, "513328101", "seq")) > 0);
    fg_report_destroy (&report);

    //  Every report, at every tier that holds the subtree, the same
    const char *names [] = { "coverage", "assistance", "appeals", "branches", "directives", "temples" };
    for (size_t i = 0; i < sizeof names / sizeof names [0]; i++) {
        fg_report_t *at_t1 = s_report (&t1, names [i], "513328100", FG_REPORT_BY_VILLAGE);
        fg_report_t *at_c = s_report (&county, names [i], "513328100", FG_REPORT_BY_VILLAGE);
        fg_report_t *at_p = s_report (&pref, names [i], "513328100", FG_REPORT_BY_VILLAGE);
        s_same (at_t1, at_c, names [i]);
        s_same (at_c, at_p, names [i]);
        fg_report_destroy (&at_t1);
        fg_report_destroy (&at_c);
        fg_report_destroy (&at_p);
        at_c = s_report (&county, names [i], "513328", FG_REPORT_BY_TOWNSHIP);
        at_p = s_report (&pref, names [i], "513328", FG_REPORT_BY_TOWNSHIP);
        s_same (at_c, at_p, names [i]);
        fg_report_destroy (&at_c);
        fg_report_destroy (&at_p);
    }

    //  Rendering: CSV with a byte order mark, HTML with every value escaped
    report = s_report (&pref, "all", "513328", 0);
    char *text = NULL;
    size_t size = 0;
    FILE *file = open_memstream (&text, &size);
    fg_render_report (fg_report_sections (report), fg_report_count (report), FG_FORMAT_CSV, NULL,
                      FG_RENDER_BOM, file);
    fclose (file);
    assert (size > 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0);
    assert (strstr (text, "<b>色西底乡</b>&"));              //  CSV keeps the text as it is
    free (text);
    file = open_memstream (&text, &size);
    fg_render_report (fg_report_sections (report), fg_report_count (report), FG_FORMAT_HTML, "zh", 0, file);
    fclose (file);
    assert (!strstr (text, "<b>色西底乡"));
    assert (strstr (text, "&lt;b&gt;色西底乡&lt;/b&gt;&amp;"));
    assert (strstr (text, "<svg") && strstr (text, "@page"));
    assert (!strstr (text, "<script") && !strstr (text, "src=") && !strstr (text, "href")
         && !strstr (text, "<link") && !strstr (text, "@import") && !strstr (text, "url("));
    free (text);
    fg_report_destroy (&report);
    //  A CSV cell a spreadsheet would run as a formula is defused
    report = s_report (&t1, "coverage", "513328100", 0);
    fg_rows_t *hostile = fg_rows_new ();
    fg_rows_column (hostile, "head");
    fg_rows_value (hostile, "=cmd|' /C calc'!A0", false);
    fg_rows_row_end (hostile);
    fg_rows_value (hostile, "-12", true);
    fg_rows_row_end (hostile);
    file = open_memstream (&text, &size);
    fg_render_rows (hostile, FG_FORMAT_CSV, 0, file);
    fclose (file);
    assert (streq (text, "head\n\"'=cmd|' /C calc'!A0\"\n-12\n"));
    free (text);
    //  ... and a terminal never sees a record's control characters
    fg_rows_value (hostile, "\x1b]0;owned\x07\xc2\x9b" "2J", false);
    fg_rows_row_end (hostile);
    file = open_memstream (&text, &size);
    fg_render_rows (hostile, FG_FORMAT_TEXT, 0, file);
    fclose (file);
    assert (!strchr (text, 0x1b) && !strchr (text, 0x07) && !strstr (text, "\xc2\x9b"));
    assert (strstr (text, "?]0;owned??2J"));
    free (text);
    fg_rows_destroy (&hostile);
    fg_report_destroy (&report);

    //  Refusals
    fg_report_args_t args;
    memset (&args, 0, sizeof args);
    assert (fg_report_new (county.replica, "nonsense", &args, err, sizeof err) == NULL && strstr (err, "no report"));
    args.org = "12";
    assert (fg_report_new (county.replica, "coverage", &args, err, sizeof err) == NULL);
    args.org = "513328100";
    args.by = FG_REPORT_BY_COUNTY;
    assert (fg_report_new (county.replica, "coverage", &args, err, sizeof err) == NULL);

    fg_testkit_node_destroy (&t1);
    fg_testkit_node_destroy (&t2);
    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&pref);
    fg_testkit_rmdir (dir);
    free (dir);
    if (verbose)
        printf ("(verbose) ");
    printf ("OK\n");
}
