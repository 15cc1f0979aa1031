/*  fg_report_commendations.c - the `commendations` report (DOMAIN.md
    §2.13, §3.8): the nominations of the year of the period's last day,
    by the nominee's unit and state (the fold of the prefecture's steps),
    then per category the quota (the year's commendation_cycle, highest
    version, else the parameters: C1), the nominations and the awards,
    and what is left of the quota. Nominations are up_only records of the
    counties and the prefecture: a township holds none. */
#include "fg_report_int.h"
#include "fg_rules.h"

static const fg_grid_col_t s_columns [] = {
    { "nominated",     "提名",         "nominations",        FG_GRID_INT, 0, 0 },
    { "in_review",     "审核中",       "nominated, reviewed", FG_GRID_INT, 0, 0 },
    { "publicized",    "公示中",       "publicized",         FG_GRID_INT, 0, 0 },
    { "awarded",       "已表彰",       "awarded",            FG_GRID_INT, 0, 0 },
    { "withdrawn",     "已撤回",       "withdrawn",          FG_GRID_INT, 0, 0 },
    { "rejected_transitions", "被拒操作", "rejected steps",   FG_GRID_INT, 0, 0 },
    { .name = NULL }
};

//  The categories: with a quota ("126 11") first, then the open ones
static const struct { const char *category, *zh; } s_categories [] = {
    { "county_party_secretary", "优秀县委书记" }, { "county_magistrate", "优秀县长" },
    { "township_party_secretary", "优秀乡镇党委书记" }, { "township_head", "优秀乡镇长" },
    { "village_branch_secretary", "优秀村支部书记" }, { "harmonious_temple", "和谐寺庙" },
    { "model_monastic", "爱国守法先进僧尼" }, { "advanced_unit", "先进集体" }, { "advanced_worker", "先进个人" },
};
#define S_CATEGORIES (sizeof s_categories / sizeof s_categories [0])
#define S_QUOTAS 5

int
fg_report__commendations (fg_report_ctx_t *ctx, fg_report_t *report, char *errbuf, size_t errsize)
{
    char date [16];
    fg_report__date (ctx->to_day, date);
    int year = atoi (date);
    fg_grid_t *grid = fg_report__grid_new (ctx, s_columns, errbuf, errsize);
    int rc = grid ? 0 : -1;
    if (rc == 0)
        rc = fg_report__grid_query (grid, 0,
                "SELECT substr (org_id, 1, ?5), count(*), "
                "  sum (coalesce (state, 'NOMINATED') IN ('NOMINATED', 'REVIEWED')), sum (state = 'PUBLICIZED'), "
                "  sum (state = 'AWARDED'), sum (state = 'WITHDRAWN'), sum (coalesce (rejected_transitions, 0)) "
                "FROM nomination WHERE substr (org_id, 1, length (?1)) = ?1 "
                "AND year = CAST (strftime ('%Y', ?3 * 86400, 'unixepoch') AS INTEGER) GROUP BY 1",
                errbuf, errsize);
    if (rc == 0) {
        fg_rows_t *rows = fg_report__grid_rows (grid, "commendations", "commendations", "表彰提名与结果",
                                                "Commendations: nominations and awards");
        fg_rows_meta_setf (rows, "year", "%d", year);
        fg_report__chart (rows, "name:nominated,awarded", "提名与表彰", "Nominated and awarded");
        fg_report__add (report, &rows);
    }
    fg_report__grid_destroy (&grid);
    if (rc)
        return rc;

    static const fg_report_col_t s_quota_columns [] = {
        { "category", "类别代码", "category" }, { "name", "类别", "category (zh)" },
        { "quota", "名额", "quota" }, { "nominated", "提名", "nominated" },
        { "awarded", "已表彰", "awarded" }, { "remaining", "剩余名额", "quota left" }, { .name = NULL }
    };
    fg_rows_t *rows = fg_report__section (ctx, "commendations", "quotas", "“126 11”表彰名额",
                                          "Commendation quotas (\"126 11\")", s_quota_columns);
    fg_rows_meta_setf (rows, "year", "%d", year);
    fg_report__chart (rows, "name|category:quota,awarded", "名额与已表彰", "Quota and awarded");
    sqlite3_stmt *stmt = fg_report__prepare (ctx,
            "SELECT count(*), coalesce (sum (state = 'AWARDED'), 0) FROM nomination "
            "WHERE substr (org_id, 1, length (?1)) = ?1 "
            "AND year = CAST (strftime ('%Y', ?3 * 86400, 'unixepoch') AS INTEGER) AND category = ?7",
            errbuf, errsize);
    sqlite3_stmt *cycle = NULL;
    if (stmt && sqlite3_prepare_v2 (fg_replica_db (ctx->replica),
            "SELECT quota_county_party_secretary, quota_county_magistrate, quota_township_party_secretary, "
            "  quota_township_head, quota_village_branch_secretary FROM commendation_cycle WHERE year = ? "
            "ORDER BY version DESC LIMIT 1", -1, &cycle, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (fg_replica_db (ctx->replica)));
        sqlite3_finalize (stmt);
        stmt = NULL;
    }
    if (!stmt) {
        fg_rows_destroy (&rows);
        return -1;
    }
    int64_t quotas [S_QUOTAS];
    bool cycle_row = false;
    sqlite3_bind_int (cycle, 1, year);
    if (sqlite3_step (cycle) == SQLITE_ROW)
        cycle_row = true;
    for (size_t k = 0; k < S_QUOTAS; k++) {
        char name [64];
        snprintf (name, sizeof name, "quota_%s", s_categories [k].category);
        quotas [k] = cycle_row && sqlite3_column_type (cycle, (int) k) != SQLITE_NULL
                   ? sqlite3_column_int64 (cycle, (int) k) : fg_rules_param (ctx->replica, name, NULL);
    }
    sqlite3_finalize (cycle);
    for (size_t k = 0; k < S_CATEGORIES; k++) {
        sqlite3_reset (stmt);
        sqlite3_bind_text (stmt, 7, s_categories [k].category, -1, SQLITE_STATIC);
        int64_t nominated = 0, awarded = 0;
        if (sqlite3_step (stmt) == SQLITE_ROW) {
            nominated = sqlite3_column_int64 (stmt, 0);
            awarded = sqlite3_column_int64 (stmt, 1);
        }
        char number [24];
        fg_rows_value (rows, s_categories [k].category, false);
        fg_rows_value (rows, s_categories [k].zh, false);
        if (k < S_QUOTAS) {
            snprintf (number, sizeof number, "%lld", (long long) quotas [k]);
            fg_rows_value (rows, number, true);
        }
        else
            fg_rows_null (rows);
        snprintf (number, sizeof number, "%lld", (long long) nominated);
        fg_rows_value (rows, number, true);
        snprintf (number, sizeof number, "%lld", (long long) awarded);
        fg_rows_value (rows, number, true);
        if (k < S_QUOTAS) {
            snprintf (number, sizeof number, "%lld", (long long) (quotas [k] - awarded));
            fg_rows_value (rows, number, true);
        }
        else
            fg_rows_null (rows);
        fg_rows_row_end (rows);
    }
    sqlite3_finalize (stmt);
    fg_report__add (report, &rows);
    return 0;
}
