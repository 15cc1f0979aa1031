/*  fg_report_must_visit.c - the `must-visit` report (DOMAIN.md §2.5,
    §3.4): the six must-visit triggers whose window closes in the period
    (due_by, or occurred_on plus the category's window), by org unit and
    by category: visited in time, overdue (VIOLATED) and overdue but maybe
    not arrived (PENDING_SYNC), and those whose window is still open on
    the as-of day. "In time" is rule M1's judgment (fg_rules_m.c: an
    in-person visit of the category or answering the trigger, in the
    window, by a paired cadre unless m1_paired_visitor is 0), taken from
    the rule engine so that the report and `fugai findings` agree. */
#include "fg_report_int.h"
#include "fg_rules.h"

static const fg_grid_col_t s_columns [] = {
    { "triggers",      "应访次数",     "triggers due",       FG_GRID_INT, 0, 0 },
    { "closed",        "期限已到",     "window closed",      FG_GRID_INT, 0, 0 },
    { "in_time",       "按时走访",     "visited in time",    FG_GRID_INT, 0, 0 },
    { "overdue",       "逾期未访",     "overdue (violated)", FG_GRID_INT, 0, 0 },
    { "pending_sync",  "待同步",       "pending sync",       FG_GRID_INT, 0, 0 },
    { "open",          "期限未到",     "window open",        FG_GRID_INT, 0, 0 },
    { "in_time_pct",   "按时率%",      "in time %",          FG_GRID_PCT, 2, 1 },
    { .name = NULL }
};

//  The categories in the decision's order, with their names
static const struct { const char *category, *zh; } s_categories [] = {
    { "seriously_ill", "重病住院" }, { "dropout_unemployed", "辍学失业" }, { "sudden_disaster", "突发灾害" },
    { "elderly_death", "老人去世" }, { "abnormal_thinking", "思想异常" }, { "major_festival", "重大节日" },
};
#define S_CATEGORIES (sizeof s_categories / sizeof s_categories [0])

int
fg_report__must_visit (fg_report_ctx_t *ctx, fg_report_t *report, char *errbuf, size_t errsize)
{
    //  M1's findings as of the day after the as-of day: every trigger due
    //  by the as-of day is judged. A node judges its own subtree: asked
    //  for a scope above it (a township for its county), it holds the
    //  triggers of its own subtree only, and judges those
    const char *own = fg_replica_self (ctx->replica)->org;
    const char *judged_org = fg_org_contains (own, ctx->org) ? ctx->org : own;
    if (!fg_org_related (own, ctx->org)) {
        fg_errf (errbuf, errsize, "must-visit: %s is outside this node's org %s (a node judges its own subtree)",
                 ctx->org, own);
        return -1;
    }
    fg_findings_t *findings = fg_rules_evaluate (ctx->replica, "M1", judged_org, ctx->as_of_day + 1, errbuf, errsize);
    if (!findings)
        return -1;
    zhashx_t *judged = zhashx_new ();           //  trigger id -> finding state
    for (size_t i = 0; i < fg_findings_count (findings); i++) {
        const fg_finding_t *finding = fg_findings_at (findings, i);
        char key [24];
        snprintf (key, sizeof key, "%llu", (unsigned long long) finding->subject_id);
        zhashx_update (judged, key, (void *) (uintptr_t) finding->state);
    }
    fg_findings_destroy (&findings);

    fg_grid_t *grid = fg_report__grid_new (ctx, s_columns, errbuf, errsize);
    int64_t by_category [S_CATEGORIES][6];
    memset (by_category, 0, sizeof by_category);
    int rc = grid ? 0 : -1;
    sqlite3_stmt *stmt = NULL;
    if (rc == 0) {
        //  Every trigger that may be due in the period (a window of more
        //  than a year is not a window; the due day is computed below)
        stmt = fg_report__prepare (ctx,
            "SELECT t.id, CAST (t.org_id AS TEXT), t.category, t.occurred_on, t.due_by "
            "FROM must_visit_trigger t WHERE substr (t.org_id, 1, length (?1)) = ?1 AND t.voided = 0 "
            "AND ((t.due_by IS NOT NULL AND t.due_by BETWEEN ?2 AND ?3) "
            "  OR (t.due_by IS NULL AND t.occurred_on BETWEEN ?2 - 366 AND ?3))", errbuf, errsize);
        rc = stmt ? 0 : -1;
    }
    int64_t windows [S_CATEGORIES];
    for (size_t k = 0; k < S_CATEGORIES; k++) {
        char name [64];
        snprintf (name, sizeof name, "window_%s", s_categories [k].category);
        windows [k] = fg_rules_param (ctx->replica, name, NULL);
    }
    while (rc == 0 && sqlite3_step (stmt) == SQLITE_ROW) {
        char key [24];
        snprintf (key, sizeof key, "%lld", (long long) sqlite3_column_int64 (stmt, 0));
        const char *org = (const char *) sqlite3_column_text (stmt, 1);
        const char *category = (const char *) sqlite3_column_text (stmt, 2);
        //  The due day as M1 computes it: due_by, else occurred_on plus
        //  the category's window in force here
        size_t kind = S_CATEGORIES;
        for (size_t k = 0; k < S_CATEGORIES; k++)
            if (category && streq (category, s_categories [k].category))
                kind = k;
        int64_t due = sqlite3_column_type (stmt, 4) != SQLITE_NULL ? sqlite3_column_int64 (stmt, 4)
                    : sqlite3_column_int64 (stmt, 3) + (kind < S_CATEGORIES ? windows [kind] : windows [0]);
        if (due < ctx->from_day || due > ctx->to_day)
            continue;
        //  0 triggers, 1 closed, 2 in time, 3 overdue, 4 pending, 5 open
        int64_t figures [6] = { 1, 0, 0, 0, 0, 0 };
        if (due > ctx->as_of_day)
            figures [5] = 1;
        else {
            figures [1] = 1;
            uintptr_t state = (uintptr_t) zhashx_lookup (judged, key);
            figures [state == FG_FINDING_VIOLATED ? 3 : state == FG_FINDING_PENDING ? 4 : 2] = 1;
        }
        for (int c = 0; c < 6; c++)
            fg_report__grid_add (grid, org, c, figures [c]);
        for (int c = 0; kind < S_CATEGORIES && c < 6; c++)
            by_category [kind][c] += figures [c];
    }
    sqlite3_finalize (stmt);
    zhashx_destroy (&judged);
    if (rc == 0) {
        fg_rows_t *rows = fg_report__grid_rows (grid, "must-visit", "must_visit", "六必访：应访与按时走访",
                                                "Six must-visits: due and visited in time");
        fg_report__chart (rows, "name:in_time,overdue,pending_sync", "按时走访、逾期与待同步",
                          "Visited in time, overdue and pending sync");
        fg_report__add (report, &rows);
    }
    fg_report__grid_destroy (&grid);
    if (rc)
        return rc;

    static const fg_report_col_t s_category_columns [] = {
        { "category", "类别代码", "category" }, { "name", "类别", "category (zh)" },
        { "triggers", "应访次数", "triggers due" }, { "closed", "期限已到", "window closed" },
        { "in_time", "按时走访", "visited in time" }, { "overdue", "逾期未访", "overdue (violated)" },
        { "pending_sync", "待同步", "pending sync" }, { "open", "期限未到", "window open" }, { .name = NULL }
    };
    fg_rows_t *rows = fg_report__section (ctx, "must-visit", "categories", "六必访按类别", "Must-visits by category",
                                          s_category_columns);
    fg_report__chart (rows, "name|category:triggers,in_time", "各类应访与按时走访", "Due and visited in time");
    for (size_t k = 0; k < S_CATEGORIES; k++) {
        fg_rows_value (rows, s_categories [k].category, false);
        fg_rows_value (rows, s_categories [k].zh, false);
        for (int c = 0; c < 6; c++) {
            char number [24];
            snprintf (number, sizeof number, "%lld", (long long) by_category [k][c]);
            fg_rows_value (rows, number, true);
        }
        fg_rows_row_end (rows);
    }
    fg_report__add (report, &rows);
    return 0;
}
