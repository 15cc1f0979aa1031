/*  fg_report_links.c - the `links` report: every node inside the scope
    as this node knows it (fg_replica_origins: the engine's frontier of
    each chain, when it last moved here, the sync actor's last contact for
    a direct link) and how far behind it is: hours since the newest entry
    held from it was written (data_age_h) and since this node last heard
    from it (silent_h), both against the report's clock. These figures
    are this node's view, so they differ between tiers by design. */
#include "fg_report_int.h"

static void
s_time (fg_rows_t *rows, int64_t ms)
{
    if (!ms) {
        fg_rows_null (rows);
        return;
    }
    time_t seconds = (time_t) (ms / 1000);
    struct tm tm;
    gmtime_r (&seconds, &tm);
    char text [32];
    strftime (text, sizeof text, "%Y-%m-%d %H:%M", &tm);
    fg_rows_value (rows, text, false);
}

static void
s_hours (fg_rows_t *rows, int64_t now, int64_t ms)
{
    if (!ms) {
        fg_rows_null (rows);
        return;
    }
    int64_t tenths = now > ms ? (now - ms) / 360000 : 0;        //  tenths of an hour
    char text [32];
    snprintf (text, sizeof text, "%lld.%lld", (long long) (tenths / 10), (long long) (tenths % 10));
    fg_rows_value (rows, text, true);
}

int
fg_report__links (fg_report_ctx_t *ctx, fg_report_t *report, char *errbuf, size_t errsize)
{
    static const fg_report_col_t s_columns [] = {
        { "code", "代码", "org code" }, { "name", "名称", "name" }, { "node", "节点", "node" },
        { "tier", "层级", "tier" }, { "relation", "关系", "relation" }, { "chain", "链状态", "chain" },
        { "seq", "最新序号", "last seq" }, { "last_entry", "最新记录时间", "last entry (UTC)" },
        { "last_heard", "最近收到", "last heard (UTC)" }, { "data_age_h", "数据滞后(小时)", "data age (h)" },
        { "silent_h", "失联时长(小时)", "silent (h)" }, { .name = NULL }
    };
    size_t count = 0;
    fg_origin_status_t *nodes = fg_replica_origins (ctx->replica, ctx->org, &count);
    fg_rows_t *rows = fg_report__section (ctx, "links", "links", "各节点同步情况", "Links: how far behind",
                                          s_columns);
    fg_report__chart (rows, "name:silent_h", "失联时长（小时）", "Hours since last heard");
    for (size_t i = 0; i < count; i++) {
        const fg_origin_status_t *node = &nodes [i];
        char name [FG_NAME_MAX + 1];
        fg_report__org_name (ctx, node->org, name, sizeof name);
        if (streq (name, node->org) && *node->name)
            snprintf (name, sizeof name, "%s", node->name);
        char number [24];
        fg_rows_value (rows, node->org, false);
        fg_rows_value (rows, name, false);
        snprintf (number, sizeof number, "%u", node->id);
        fg_rows_value (rows, number, true);
        fg_rows_value (rows, node->tier, false);
        fg_rows_value (rows, node->relation, false);
        fg_rows_value (rows, node->chain, false);
        snprintf (number, sizeof number, "%llu", (unsigned long long) node->seq);
        fg_rows_value (rows, number, true);
        int64_t heard = node->last_heard > node->last_contact ? node->last_heard : node->last_contact;
        if (streq (node->relation, "self"))
            heard = ctx->now_ms;
        s_time (rows, node->last_entry_ms);
        s_time (rows, heard);
        s_hours (rows, ctx->now_ms, node->last_entry_ms);
        s_hours (rows, ctx->now_ms, heard);
        fg_rows_row_end (rows);
    }
    free (nodes);
    fg_report__add (report, &rows);
    (void) errbuf;
    (void) errsize;
    return 0;
}
