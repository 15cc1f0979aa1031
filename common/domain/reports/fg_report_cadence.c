/*  fg_report_cadence.c - the `cadence` report (DOMAIN.md §2.11, §3.7):
    the periodic reports due for the periods that end in the report's
    period (fg_cadence_dues), by reporting unit: due (the due day passed
    by the as-of day), on time and late (R1, by the authored time),
    missing (VIOLATED) or missing but maybe not arrived (PENDING_SYNC:
    the reporter's log is not known here past the due day plus the
    grace), not yet due, OFFLINE_AUTHORED (R2: reached its parent more
    than the skew bound after it says it was written), frontier going
    backwards (R3), and approved (the latest version's review APPROVED or
    ACCEPTED at some level). Then one line per report expected. */
#include "fg_report_int.h"
#include "fg_submission.h"

static const fg_grid_col_t s_columns [] = {
    { "due",           "应报",         "due",                FG_GRID_INT, 0, 0 },
    { "on_time",       "按时",         "on time",            FG_GRID_INT, 0, 0 },
    { "late",          "迟报",         "late",               FG_GRID_INT, 0, 0 },
    { "missing",       "缺报",         "missing (violated)", FG_GRID_INT, 0, 0 },
    { "pending_sync",  "待同步",       "pending sync",       FG_GRID_INT, 0, 0 },
    { "not_yet_due",   "未到期",       "not yet due",        FG_GRID_INT, 0, 0 },
    { "offline_authored", "离线编报", "offline authored (R2)", FG_GRID_INT, 0, 0 },
    { "backwards",     "数据回退",     "frontier backwards (R3)", FG_GRID_INT, 0, 0 },
    { "approved",      "已审核",       "approved",           FG_GRID_INT, 0, 0 },
    { "on_time_pct",   "按时率%",      "on time %",          FG_GRID_PCT, 1, 0 },
    { .name = NULL }
};

static const char *
s_state (const fg_due_t *due)
{
    return due->state == FG_DUE_ON_TIME ? "on_time" : due->state == FG_DUE_LATE ? "late"
         : due->state == FG_DUE_OPEN ? "not_yet_due" : due->pending ? "PENDING_SYNC" : "VIOLATED";
}

static void
s_number (fg_rows_t *rows, int64_t value)
{
    char text [24];
    snprintf (text, sizeof text, "%lld", (long long) value);
    fg_rows_value (rows, text, true);
}

int
fg_report__cadence (fg_report_ctx_t *ctx, fg_report_t *report, char *errbuf, size_t errsize)
{
    size_t count = 0;
    fg_due_t *dues = fg_cadence_dues (ctx->replica, ctx->org, ctx->from_day, ctx->to_day, ctx->as_of_day,
                                      &count, errbuf, errsize);
    if (!dues)
        return -1;
    fg_grid_t *grid = fg_report__grid_new (ctx, s_columns, errbuf, errsize);
    if (!grid) {
        free (dues);
        return -1;
    }
    static const fg_report_col_t s_due_columns [] = {
        { "schedule_id", "报表编号", "schedule" }, { "schedule", "报表", "report" },
        { "period", "期次", "period" }, { "due_on", "应报日期", "due" },
        { "code", "报送单位代码", "reporter code" }, { "name", "报送单位", "reporter" },
        { "state", "报送情况", "state" }, { "submission_id", "报告编号", "submission" },
        { "authored", "编报日期", "authored" }, { "late_days", "迟报天数", "days late" },
        { "offline_authored", "离线编报", "offline authored" }, { "backwards", "数据回退", "frontier backwards" },
        { "review", "审核状态", "review" }, { "held_by", "所在层级", "held by" }, { .name = NULL }
    };
    fg_rows_t *rows = fg_report__section (ctx, "cadence", "reports", "定期报告逐项报送情况",
                                          "Periodic reports, each one expected", s_due_columns);
    for (size_t i = 0; i < count; i++) {
        const fg_due_t *due = &dues [i];
        bool approved = streq (due->review_state, "APPROVED") || streq (due->review_state, "ACCEPTED");
        int64_t figures [9] = {
            due->due_day < ctx->as_of_day || due->state == FG_DUE_ON_TIME || due->state == FG_DUE_LATE,
            due->state == FG_DUE_ON_TIME, due->state == FG_DUE_LATE,
            due->state == FG_DUE_MISSING && !due->pending, due->state == FG_DUE_MISSING && due->pending,
            due->state == FG_DUE_OPEN, due->offline_authored, due->backwards, approved
        };
        for (int c = 0; c < 9; c++)
            fg_report__grid_add (grid, due->reporter_org, c, figures [c]);
        char day [16], name [FG_NAME_MAX + 1];
        s_number (rows, (int64_t) due->schedule_id);
        fg_rows_value (rows, due->schedule, false);
        fg_rows_value (rows, due->period, false);
        fg_report__date (due->due_day, day);
        fg_rows_value (rows, day, false);
        fg_rows_value (rows, due->reporter_org, false);
        fg_report__org_name (ctx, due->reporter_org, name, sizeof name);
        fg_rows_value (rows, name, false);
        fg_rows_value (rows, s_state (due), false);
        if (due->submission_id) {
            s_number (rows, (int64_t) due->submission_id);
            fg_report__date (due->authored_ms / 86400000, day);
            fg_rows_value (rows, day, false);
            s_number (rows, due->late_days);
        }
        else {
            fg_rows_null (rows);
            fg_rows_null (rows);
            fg_rows_null (rows);
        }
        s_number (rows, due->offline_authored);
        s_number (rows, due->backwards);
        if (*due->review_state) fg_rows_value (rows, due->review_state, false); else fg_rows_null (rows);
        if (*due->review_owner) fg_rows_value (rows, due->review_owner, false); else fg_rows_null (rows);
        fg_rows_row_end (rows);
    }
    free (dues);
    fg_rows_t *summary = fg_report__grid_rows (grid, "cadence", "cadence", "定期报告报送情况（按时、迟报、缺报）",
                                               "Periodic reports: on time, late, missing");
    fg_report__chart (summary, "name:on_time,late,missing,pending_sync", "按时、迟报、缺报与待同步",
                      "On time, late, missing and pending sync");
    fg_report__grid_destroy (&grid);
    fg_report__add (report, &summary);
    fg_report__add (report, &rows);
    return 0;
}
