/*  fg_report_coverage.c - the `coverage` report: pairing coverage on the
    as-of day (DOMAIN.md §3.1, P1) and the visits of the period, by org
    unit; the visits of each month of the period (visits over time); then,
    for a county or below, each cadre's paired households and visits. */
#include "fg_report_int.h"
#include "fg_pairing.h"

//  Households active on the as-of day that the programme pairs, with
//  their group code and whether they are paired, provisionally paired or
//  recent (within the grace days of their registration).
#define S_HOUSEHOLDS \
    "WITH paired AS (SELECT DISTINCT household_id FROM pairing " \
    "    WHERE coalesce (role, 'primary') = 'primary' AND (start_on IS NULL OR start_on <= ?4) " \
    "    AND (end_on IS NULL OR end_on > ?4)), " \
    "  prov AS (SELECT DISTINCT household_id FROM pairing_provisional WHERE voided = 0), " \
    "  h AS (SELECT h.id, substr (h.org_id, 1, ?5) AS code, paired.household_id IS NOT NULL AS paired, " \
    "          prov.household_id IS NOT NULL AS prov, " \
    "          coalesce (h.valid_from, (h.created_hlc >> 16) / 86400000) + ?6 >= ?4 AS recent " \
    "        FROM household h LEFT JOIN paired ON paired.household_id = h.id " \
    "        LEFT JOIN prov ON prov.household_id = h.id " \
    "        WHERE substr (h.org_id, 1, length (?1)) = ?1 " \
    "        AND " FG_PAIRING_HOUSEHOLD_IN_H " " \
    "        AND (h.valid_from IS NULL OR h.valid_from <= ?4) AND (h.valid_to IS NULL OR h.valid_to > ?4)) "

static const fg_grid_col_t s_columns [] = {
    { "households",    "户数",         "households",        FG_GRID_INT, 0, 0 },
    { "paired",        "已结对",       "paired",            FG_GRID_INT, 0, 0 },
    { "provisional",   "临时结对",     "provisional",       FG_GRID_INT, 0, 0 },
    { "waiting",       "待结对(期内)", "unpaired, waiting", FG_GRID_INT, 0, 0 },
    { "overdue",       "未结对(超期)", "unpaired, overdue", FG_GRID_INT, 0, 0 },
    { "coverage_pct",  "结对率%",      "coverage %",        FG_GRID_PCT, 1, 0 },
    { "visits",        "走访次数",     "visits",            FG_GRID_INT, 0, 0 },
    { "visited",       "走访户数",     "households visited", FG_GRID_INT, 0, 0 },
    { "visiting_cadres", "走访干部",   "cadres visiting",   FG_GRID_INT, 0, 0 },
    { "visited_pct",   "走访率%",      "visited %",         FG_GRID_PCT, 7, 0 },
    { "visits_per_household", "户均走访", "visits per household", FG_GRID_RATIO, 6, 0 },
    { .name = NULL }
};

int
fg_report__coverage (fg_report_ctx_t *ctx, fg_report_t *report, char *errbuf, size_t errsize)
{
    fg_grid_t *grid = fg_report__grid_new (ctx, s_columns, errbuf, errsize);
    int rc = grid ? 0 : -1;
    if (rc == 0)
        rc = fg_report__grid_query (grid, 0, S_HOUSEHOLDS
                "SELECT code, count(*), sum (paired), sum (NOT paired AND prov), "
                "  sum (NOT paired AND NOT prov AND recent), sum (NOT paired AND NOT prov AND NOT recent) "
                "FROM h GROUP BY code", errbuf, errsize);
    //  Visits of the period to households (a visit is a fact even if its
    //  pairing has since ended: DOMAIN.md §4.7)
    if (rc == 0)
        rc = fg_report__grid_query (grid, 6,
                "SELECT substr (org_id, 1, ?5), count(*), count (DISTINCT target_id), "
                "  count (DISTINCT cadre_id) FROM visit "
                "WHERE voided = 0 AND target_kind = 'household' AND occurred_on BETWEEN ?2 AND ?3 "
                "AND substr (org_id, 1, length (?1)) = ?1 GROUP BY 1", errbuf, errsize);
    fg_rows_t *rows = NULL;
    if (rc == 0) {
        rows = fg_report__grid_rows (grid, "coverage", "coverage", "结对认亲覆盖与走访",
                                     "Pairing coverage and visits");
        fg_report__chart (rows, "name:households,paired,visited", "户数、已结对与走访户数",
                          "Households, paired and visited");
        fg_report__add (report, &rows);
    }
    fg_report__grid_destroy (&grid);
    if (rc)
        return rc;

    //  Visits over time: each month of the period, under the scope
    if (!ctx->section || streq (ctx->section, "months")) {
        static const fg_report_col_t s_month_columns [] = {
            { "month", "月份", "month" }, { "visits", "走访次数", "visits" },
            { "visited", "走访户数", "households visited" }, { "visiting_cadres", "走访干部", "cadres visiting" },
            { .name = NULL }
        };
        rows = fg_report__section (ctx, "coverage", "months", "逐月走访", "Visits by month", s_month_columns);
        sqlite3_stmt *stmt = fg_report__prepare (ctx,
                "SELECT strftime ('%Y-%m', occurred_on * 86400, 'unixepoch') AS month, count(*), "
                "  count (DISTINCT target_id), count (DISTINCT cadre_id) FROM visit "
                "WHERE voided = 0 AND target_kind = 'household' AND occurred_on BETWEEN ?2 AND ?3 "
                "AND substr (org_id, 1, length (?1)) = ?1 GROUP BY month ORDER BY month", errbuf, errsize);
        rc = stmt ? fg_report__append (stmt, rows, errbuf, errsize) : -1;
        if (rc == 0) {
            fg_report__chart (rows, "month:visits,visited", "逐月走访次数与走访户数",
                              "Visits and households visited, by month");
            fg_report__add (report, &rows);
        }
        fg_rows_destroy (&rows);
        if (rc)
            return rc;
    }

    //  Each active cadre under the scope: households paired on the as-of
    //  day, visits of the period. Not for the whole prefecture (some 50,000
    //  cadres: a county's page, not the prefecture's)
    if (ctx->level < 2 || (ctx->section && !streq (ctx->section, "cadres")))
        return 0;
    static const fg_report_col_t s_cadre_columns [] = {
        { "code", "单位代码", "org code" }, { "name", "单位", "org unit" },
        { "cadre_id", "干部编号", "cadre id" }, { "cadre", "干部", "cadre" },
        { "households", "结对户数", "households paired" }, { "visits", "走访次数", "visits" },
        { "visited", "走访户数", "households visited" }, { .name = NULL }
    };
    rows = fg_report__section (ctx, "coverage", "cadres", "干部结对与走访", "Cadres: pairs and visits",
                               s_cadre_columns);
    sqlite3_stmt *stmt = fg_report__prepare (ctx,
            "WITH load AS (SELECT cadre_id, count(*) AS households FROM pairing "
            "    WHERE coalesce (role, 'primary') = 'primary' AND (start_on IS NULL OR start_on <= ?4) "
            "    AND (end_on IS NULL OR end_on > ?4) GROUP BY cadre_id), "
            "  seen AS (SELECT cadre_id, count(*) AS visits, "
            "    count (DISTINCT CASE WHEN target_kind = 'household' THEN target_id END) AS visited "
            "    FROM visit WHERE voided = 0 AND occurred_on BETWEEN ?2 AND ?3 GROUP BY cadre_id) "
            "SELECT CAST (c.org_id AS TEXT), coalesce (o.name_zh, CAST (c.org_id AS TEXT)), c.id, c.name, "
            "  coalesce (l.households, 0), coalesce (s.visits, 0), coalesce (s.visited, 0) "
            "FROM cadre c LEFT JOIN load l ON l.cadre_id = c.id LEFT JOIN seen s ON s.cadre_id = c.id "
            "LEFT JOIN org_unit o ON o.id = c.org_id "
            "WHERE substr (c.org_id, 1, length (?1)) = ?1 AND coalesce (c.status, 'active') = 'active' "
            "ORDER BY c.org_id, c.id", errbuf, errsize);
    rc = stmt ? fg_report__append (stmt, rows, errbuf, errsize) : -1;
    if (rc == 0)
        fg_report__add (report, &rows);
    fg_rows_destroy (&rows);
    return rc;
}
