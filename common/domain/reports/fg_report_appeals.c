/*  fg_report_appeals.c - the `appeals` report (DOMAIN.md §2.6, §3.5): by
    org unit (the appellant's), the appeals received in the period and,
    of all held, those open, overdue (open past their deadline on the
    as-of day, not yet resolved), resolved, closed, merged or withdrawn,
    and the transitions the fold rejected; then the count in each state.
    States are the fold of every event this node holds. */
#include "fg_report_int.h"

#define S_OPEN "state NOT IN ('CLOSED_SATISFIED', 'MERGED', 'WITHDRAWN')"

static const fg_grid_col_t s_columns [] = {
    { "received",      "本期受理",     "received in period", FG_GRID_INT, 0, 0 },
    { "open",          "未办结",       "open",               FG_GRID_INT, 0, 0 },
    { "overdue",       "超期",         "overdue",            FG_GRID_INT, 0, 0 },
    { "escalated",     "已上交",       "escalated",          FG_GRID_INT, 0, 0 },
    { "resolved",      "已办结待反馈", "resolved",           FG_GRID_INT, 0, 0 },
    { "closed",        "群众满意结案", "closed, satisfied",  FG_GRID_INT, 0, 0 },
    { "merged_withdrawn", "合并或撤回", "merged or withdrawn", FG_GRID_INT, 0, 0 },
    { "rejected_transitions", "被拒操作", "rejected transitions", FG_GRID_INT, 0, 0 },
    { .name = NULL }
};

//  The states in the order of the workflow, with their names
static const struct { const char *state, *zh; } s_states [] = {
    { "RECEIVED", "已接收" }, { "REGISTERED", "已登记" }, { "ASSIGNED", "已交办" },
    { "IN_PROGRESS", "办理中" }, { "ESCALATED", "已上交" }, { "RESOLVED", "已办结" },
    { "FEEDBACK_GIVEN", "已反馈" }, { "REOPENED", "重新办理" }, { "CLOSED_SATISFIED", "满意结案" },
    { "MERGED", "已合并" }, { "WITHDRAWN", "已撤回" },
};

int
fg_report__appeals (fg_report_ctx_t *ctx, fg_report_t *report, char *errbuf, size_t errsize)
{
    fg_grid_t *grid = fg_report__grid_new (ctx, s_columns, errbuf, errsize);
    int rc = grid ? 0 : -1;
    if (rc == 0)
        rc = fg_report__grid_query (grid, 0,
                "SELECT substr (org_id, 1, ?5), "
                "  sum (coalesce (received_on, (created_hlc >> 16) / 86400000) BETWEEN ?2 AND ?3), "
                "  sum (" S_OPEN "), "
                "  sum (" S_OPEN " AND state NOT IN ('RESOLVED', 'FEEDBACK_GIVEN') "
                "       AND deadline_on IS NOT NULL AND deadline_on < ?4), "
                "  sum (state = 'ESCALATED'), sum (state IN ('RESOLVED', 'FEEDBACK_GIVEN')), "
                "  sum (state = 'CLOSED_SATISFIED'), sum (state IN ('MERGED', 'WITHDRAWN')), "
                "  sum (coalesce (rejected_transitions, 0)) "
                "FROM appeal WHERE substr (org_id, 1, length (?1)) = ?1 GROUP BY 1", errbuf, errsize);
    if (rc == 0) {
        fg_rows_t *rows = fg_report__grid_rows (grid, "appeals", "appeals", "矛盾化解：诉求办理",
                                                "Appeals and petitions");
        fg_report__chart (rows, "name:open,overdue,closed", "未办结、超期与满意结案",
                          "Open, overdue and closed appeals");
        fg_report__add (report, &rows);
    }
    fg_report__grid_destroy (&grid);
    if (rc)
        return rc;

    static const fg_report_col_t s_state_columns [] = {
        { "state", "状态代码", "state" }, { "name", "状态", "state (zh)" },
        { "appeals", "件数", "appeals" }, { .name = NULL }
    };
    fg_rows_t *rows = fg_report__section (ctx, "appeals", "states", "诉求按状态", "Appeals by state",
                                          s_state_columns);
    fg_report__chart (rows, "name|state:appeals", "诉求按状态", "Appeals by state");
    sqlite3_stmt *stmt = fg_report__prepare (ctx,
            "SELECT coalesce (state, 'RECEIVED'), count(*) FROM appeal "
            "WHERE substr (org_id, 1, length (?1)) = ?1 GROUP BY 1", errbuf, errsize);
    if (!stmt) {
        fg_rows_destroy (&rows);
        return -1;
    }
    int64_t counts [sizeof s_states / sizeof s_states [0]] = { 0 };
    while (sqlite3_step (stmt) == SQLITE_ROW)
        for (size_t i = 0; i < sizeof s_states / sizeof s_states [0]; i++)
            if (streq ((const char *) sqlite3_column_text (stmt, 0), s_states [i].state))
                counts [i] = sqlite3_column_int64 (stmt, 1);
    sqlite3_finalize (stmt);
    for (size_t i = 0; i < sizeof s_states / sizeof s_states [0]; i++) {
        char number [24];
        snprintf (number, sizeof number, "%lld", (long long) counts [i]);
        fg_rows_value (rows, s_states [i].state, false);
        fg_rows_value (rows, s_states [i].zh, false);
        fg_rows_value (rows, number, true);
        fg_rows_row_end (rows);
    }
    fg_report__add (report, &rows);
    return 0;
}
