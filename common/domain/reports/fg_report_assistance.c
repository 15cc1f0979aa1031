/*  fg_report_assistance.c - the `assistance` report (DOMAIN.md §2.4): by
    org unit, the vulnerable people eligible on the as-of day, how many
    were assisted in the period, the records and reversals of the period
    and the net amount (records neither reversing nor reversed). */
#include "fg_report_int.h"

static const fg_grid_col_t s_columns [] = {
    { "vulnerable",    "困难群众",     "vulnerable people",  FG_GRID_INT, 0, 0 },
    { "assisted",      "已帮扶人数",   "people assisted",    FG_GRID_INT, 0, 0 },
    { "records",       "帮扶记录",     "records",            FG_GRID_INT, 0, 0 },
    { "reversals",     "冲正记录",     "reversals",          FG_GRID_INT, 0, 0 },
    { "amount_yuan",   "帮扶金额(元)", "amount (yuan)",      FG_GRID_YUAN, 0, 0 },
    { "assisted_pct",  "帮扶覆盖率%",  "assisted %",         FG_GRID_PCT, 1, 0 },
    { .name = NULL }
};

int
fg_report__assistance (fg_report_ctx_t *ctx, fg_report_t *report, char *errbuf, size_t errsize)
{
    fg_grid_t *grid = fg_report__grid_new (ctx, s_columns, errbuf, errsize);
    int rc = grid ? 0 : -1;
    if (rc == 0)
        rc = fg_report__grid_query (grid, 0,
                "SELECT substr (org_id, 1, ?5), count(*) FROM vulnerable_person "
                "WHERE substr (org_id, 1, length (?1)) = ?1 "
                "AND (eligible_from IS NULL OR eligible_from <= ?4) AND (eligible_to IS NULL OR eligible_to > ?4) "
                "GROUP BY 1", errbuf, errsize);
    if (rc == 0)
        rc = fg_report__grid_query (grid, 1,
                "WITH a AS (SELECT * FROM assistance_record "
                "    WHERE substr (org_id, 1, length (?1)) = ?1 AND occurred_on BETWEEN ?2 AND ?3), "
                "  kept AS (SELECT * FROM a WHERE reverses_id IS NULL "
                "    AND id NOT IN (SELECT reverses_id FROM assistance_record WHERE reverses_id IS NOT NULL)) "
                "SELECT substr (a.org_id, 1, ?5), "
                "  count (DISTINCT CASE WHEN a.beneficiary_kind = 'vulnerable_person' AND a.reverses_id IS NULL "
                "        AND kept.id IS NOT NULL THEN a.beneficiary_id END), "
                "  sum (a.reverses_id IS NULL), sum (a.reverses_id IS NOT NULL), "
                "  coalesce (sum (CASE WHEN kept.id IS NOT NULL THEN kept.amount_fen END), 0) "
                "FROM a LEFT JOIN kept ON kept.id = a.id GROUP BY 1", errbuf, errsize);
    if (rc == 0) {
        fg_rows_t *rows = fg_report__grid_rows (grid, "assistance", "assistance", "爱心帮扶",
                                                "Assistance to vulnerable people");
        fg_report__chart (rows, "name:vulnerable,assisted", "困难群众与已帮扶人数",
                          "Vulnerable people and people assisted");
        fg_report__add (report, &rows);
    }
    fg_report__grid_destroy (&grid);
    return rc;
}
