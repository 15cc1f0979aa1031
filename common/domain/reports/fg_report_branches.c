/*  fg_report_branches.c - the `branches` report (DOMAIN.md §2.8, §3.6):
    by org unit, the village party branches active on the as-of day, how
    many are paired with an organ branch on that day, how many of those
    pairings are under the 3-year lock and have their letter signed, and
    the co-construction activities of the period. A pairing counts at the
    village branch's unit (a prefecture-level pairing is anchored at the
    prefecture, so it is joined to its village branch). */
#include "fg_report_int.h"

#define S_VILLAGE_BRANCHES \
    "WITH vb AS (SELECT id, org_id FROM party_branch " \
    "    WHERE substr (org_id, 1, length (?1)) = ?1 " \
    "    AND (level = 'village' OR kind IN ('agricultural_village', 'pastoral_village')) " \
    "    AND coalesce (status, 'active') = 'active' " \
    "    AND (valid_from IS NULL OR valid_from <= ?4) AND (valid_to IS NULL OR valid_to > ?4)), " \
    "  bp AS (SELECT village_branch_id, max (coalesce (lock_until, 0) > ?4) AS locked, " \
    "    max (letter_signed_on IS NOT NULL) AS letter FROM branch_pairing " \
    "    WHERE (start_on IS NULL OR start_on <= ?4) AND (end_on IS NULL OR end_on > ?4) " \
    "    GROUP BY village_branch_id) "

static const fg_grid_col_t s_columns [] = {
    { "village_branches", "村党支部",   "village branches",   FG_GRID_INT, 0, 0 },
    { "paired",        "已结对共建",   "paired",             FG_GRID_INT, 0, 0 },
    { "locked",        "三年锁定期内", "in the 3-year lock", FG_GRID_INT, 0, 0 },
    { "letters",       "已签责任书",   "letter signed",      FG_GRID_INT, 0, 0 },
    { "activities",    "本期共建活动", "activities in period", FG_GRID_INT, 0, 0 },
    { "paired_pct",    "结对率%",      "paired %",           FG_GRID_PCT, 1, 0 },
    { .name = NULL }
};

int
fg_report__branches (fg_report_ctx_t *ctx, fg_report_t *report, char *errbuf, size_t errsize)
{
    fg_grid_t *grid = fg_report__grid_new (ctx, s_columns, errbuf, errsize);
    int rc = grid ? 0 : -1;
    if (rc == 0)
        rc = fg_report__grid_query (grid, 0, S_VILLAGE_BRANCHES
                "SELECT substr (vb.org_id, 1, ?5), count(*), count (bp.village_branch_id), "
                "  coalesce (sum (bp.locked), 0), coalesce (sum (bp.letter), 0) "
                "FROM vb LEFT JOIN bp ON bp.village_branch_id = vb.id GROUP BY 1", errbuf, errsize);
    if (rc == 0)
        rc = fg_report__grid_query (grid, 4,
                "SELECT substr (org_id, 1, ?5), count(*) FROM coconstruction_activity "
                "WHERE voided = 0 AND occurred_on BETWEEN ?2 AND ?3 "
                "AND substr (org_id, 1, length (?1)) = ?1 GROUP BY 1", errbuf, errsize);
    if (rc == 0) {
        fg_rows_t *rows = fg_report__grid_rows (grid, "branches", "branches", "共建共创：支部结对",
                                                "Party branch pairing");
        fg_report__chart (rows, "name:village_branches,paired", "村党支部与已结对",
                          "Village branches and paired");
        fg_report__add (report, &rows);
    }
    fg_report__grid_destroy (&grid);
    return rc;
}
