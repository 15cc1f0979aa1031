/*  fg_report_directives.c - the `directives` report (DOMAIN.md §2.10):
    each directive aimed at or inside the scope, issued by the end of the
    period and not due before it starts, with each target node inside the
    scope (the nodes this node knows whose org is inside the directive's
    target subtree, the issuer excepted): the target's latest
    acknowledgement, its day, and whether it is overdue (due before the
    as-of day and neither applied nor completed). Then one line per
    directive with the counts. */
#include "fg_report_int.h"

typedef struct {
    int64_t targets, received, applied, completed, refused, none, overdue;
} s_counts_t;

static void
s_number (fg_rows_t *rows, int64_t value)
{
    char text [24];
    snprintf (text, sizeof text, "%lld", (long long) value);
    fg_rows_value (rows, text, true);
}

int
fg_report__directives (fg_report_ctx_t *ctx, fg_report_t *report, char *errbuf, size_t errsize)
{
    static const fg_report_col_t s_target_columns [] = {
        { "directive_id", "指令编号", "directive" }, { "title", "标题", "title" },
        { "due_on", "期限", "due" }, { "code", "对象代码", "target code" }, { "name", "对象", "target" },
        { "node", "节点", "node" }, { "state", "回执", "acknowledgement" }, { "ack_on", "回执日期", "on" },
        { "overdue", "超期", "overdue" }, { .name = NULL }
    };
    static const fg_report_col_t s_summary_columns [] = {
        { "directive_id", "指令编号", "directive" }, { "title", "标题", "title" },
        { "issued_on", "下达日期", "issued" }, { "due_on", "期限", "due" },
        { "code", "下达范围代码", "target code" }, { "name", "下达范围", "target" },
        { "targets", "对象数", "targets" }, { "received", "已接收", "received" },
        { "applied", "已执行", "applied" }, { "completed", "已完成", "completed" },
        { "refused", "拒绝", "refused" }, { "none", "无回执", "no answer" },
        { "overdue", "超期", "overdue" }, { .name = NULL }
    };
    fg_rows_t *targets = fg_report__section (ctx, "directives", "targets", "指令回执（逐个对象）",
                                             "Directives: each target", s_target_columns);
    fg_rows_t *summary = fg_report__section (ctx, "directives", "directives", "指令落实情况",
                                             "Directives: acknowledgement and completion", s_summary_columns);
    static const char *const s_states [][3] = {
        { "received", "已接收", "received" }, { "applied", "已执行", "applied" },
        { "completed", "已完成", "completed" }, { "refused", "拒绝", "refused" }
    };
    fg_rows_meta_set (targets, "value_labels", "1");
    for (size_t i = 0; i < sizeof s_states / sizeof s_states [0]; i++) {
        char key [64];
        snprintf (key, sizeof key, "value.zh.%s", s_states [i][0]);
        fg_rows_meta_set (targets, key, s_states [i][1]);
        snprintf (key, sizeof key, "value.en.%s", s_states [i][0]);
        fg_rows_meta_set (targets, key, s_states [i][2]);
    }
    fg_report__chart (summary, "directive_id:targets,completed", "对象数与已完成", "Targets and completed");
    size_t node_count = 0;
    fg_origin_status_t *nodes = fg_replica_origins (ctx->replica, ctx->org, &node_count);
    sqlite3_stmt *stmt = fg_report__prepare (ctx,
            "SELECT d.id, d.title, d.due_on, CAST (d.org_id AS TEXT), d.created_by, "
            "  (d.created_hlc >> 16) / 86400000, coalesce (o.name_zh, CAST (d.org_id AS TEXT)) "
            "FROM directive d LEFT JOIN org_unit o ON o.id = d.org_id "
            "WHERE coalesce (d.effective_on, (d.created_hlc >> 16) / 86400000) <= ?3 AND (d.due_on IS NULL OR d.due_on >= ?2) "
            "ORDER BY d.created_hlc, d.id", errbuf, errsize);
    sqlite3_stmt *ack = NULL;
    if (stmt && sqlite3_prepare_v2 (fg_replica_db (ctx->replica),
            "SELECT state, occurred_on, (created_hlc >> 16) / 86400000 FROM directive_ack "
            "WHERE directive_id = ? AND node_id = ? AND voided = 0 ORDER BY created_hlc DESC, id DESC LIMIT 1",
            -1, &ack, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (fg_replica_db (ctx->replica)));
        sqlite3_finalize (stmt);
        stmt = NULL;
    }
    int rc = stmt ? 0 : -1;
    while (rc == 0 && sqlite3_step (stmt) == SQLITE_ROW) {
        const char *id = (const char *) sqlite3_column_text (stmt, 0);
        const char *title = (const char *) sqlite3_column_text (stmt, 1);
        bool has_due = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
        int64_t due = sqlite3_column_int64 (stmt, 2);
        char target [16], due_text [16] = "", issued [16];
        snprintf (target, sizeof target, "%s", (const char *) sqlite3_column_text (stmt, 3));
        if (!fg_org_related (ctx->org, target))
            continue;                   //  aimed neither at the scope nor inside it
        int issuer = sqlite3_column_int (stmt, 4);
        fg_report__date (sqlite3_column_int64 (stmt, 5), issued);
        if (has_due)
            fg_report__date (due, due_text);
        s_counts_t counts = { 0 };
        for (size_t i = 0; i < node_count; i++) {
            if (nodes [i].id == issuer || !fg_org_contains (target, nodes [i].org)
            ||  streq (nodes [i].status, "revoked"))
                continue;
            counts.targets++;
            sqlite3_reset (ack);
            sqlite3_bind_int64 (ack, 1, sqlite3_column_int64 (stmt, 0));
            sqlite3_bind_int (ack, 2, nodes [i].id);
            char state [16] = "", on [16] = "";
            if (sqlite3_step (ack) == SQLITE_ROW) {
                snprintf (state, sizeof state, "%s", (const char *) sqlite3_column_text (ack, 0));
                fg_report__date (sqlite3_column_type (ack, 1) != SQLITE_NULL
                                 ? sqlite3_column_int64 (ack, 1) : sqlite3_column_int64 (ack, 2), on);
            }
            bool done = streq (state, "applied") || streq (state, "completed");
            bool overdue = has_due && due < ctx->as_of_day && !done;
            counts.received += streq (state, "received");
            counts.applied += streq (state, "applied");
            counts.completed += streq (state, "completed");
            counts.refused += streq (state, "refused");
            counts.none += !*state;
            counts.overdue += overdue;
            char name [FG_NAME_MAX + 1];
            fg_report__org_name (ctx, nodes [i].org, name, sizeof name);
            fg_rows_value (targets, id, true);
            fg_rows_value (targets, title ? title : "", false);
            if (has_due) fg_rows_value (targets, due_text, false); else fg_rows_null (targets);
            fg_rows_value (targets, nodes [i].org, false);
            fg_rows_value (targets, name, false);
            s_number (targets, nodes [i].id);
            if (*state) fg_rows_value (targets, state, false); else fg_rows_null (targets);
            if (*on) fg_rows_value (targets, on, false); else fg_rows_null (targets);
            s_number (targets, overdue);
            fg_rows_row_end (targets);
        }
        fg_rows_value (summary, id, true);
        fg_rows_value (summary, title ? title : "", false);
        fg_rows_value (summary, issued, false);
        if (has_due) fg_rows_value (summary, due_text, false); else fg_rows_null (summary);
        fg_rows_value (summary, target, false);
        fg_rows_value (summary, (const char *) sqlite3_column_text (stmt, 6), false);
        s_number (summary, counts.targets);
        s_number (summary, counts.received);
        s_number (summary, counts.applied);
        s_number (summary, counts.completed);
        s_number (summary, counts.refused);
        s_number (summary, counts.none);
        s_number (summary, counts.overdue);
        fg_rows_row_end (summary);
    }
    sqlite3_finalize (ack);
    sqlite3_finalize (stmt);
    free (nodes);
    if (rc == 0) {
        fg_report__add (report, &summary);
        fg_report__add (report, &targets);
    }
    fg_rows_destroy (&summary);
    fg_rows_destroy (&targets);
    return rc;
}
