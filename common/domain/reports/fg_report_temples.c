/*  fg_report_temples.c - the `temples` report (DOMAIN.md §2.3, §3.2): by
    org unit, the active religious sites, how many have a contact cadre
    on the as-of day, and the engagements and visits of the period; then
    each site with its contacts, engagements, visits and last engagement.
    A contact anchored at the prefecture (a prefecture leader's) counts at
    its site. */
#include "fg_report_int.h"

#define S_SITES \
    "WITH s AS (SELECT id, org_id, name, registered FROM religious_site " \
    "    WHERE substr (org_id, 1, length (?1)) = ?1 AND coalesce (status, 'active') = 'active'), " \
    "  c AS (SELECT site_id, count(*) AS contacts FROM temple_contact " \
    "    WHERE (start_on IS NULL OR start_on <= ?4) AND (end_on IS NULL OR end_on > ?4) GROUP BY site_id), " \
    "  e AS (SELECT site_id, count(*) AS engagements, max (occurred_on) AS last_on FROM temple_engagement " \
    "    WHERE voided = 0 AND occurred_on BETWEEN ?2 AND ?3 GROUP BY site_id), " \
    "  v AS (SELECT target_id AS site_id, count(*) AS visits FROM visit " \
    "    WHERE voided = 0 AND target_kind = 'religious_site' AND occurred_on BETWEEN ?2 AND ?3 GROUP BY target_id) "

static const fg_grid_col_t s_columns [] = {
    { "sites",         "宗教活动场所", "sites",              FG_GRID_INT, 0, 0 },
    { "registered",    "依法登记",     "registered",         FG_GRID_INT, 0, 0 },
    { "contacted",     "有联系干部",   "with a contact cadre", FG_GRID_INT, 0, 0 },
    { "engagements",   "本期联系活动", "engagements in period", FG_GRID_INT, 0, 0 },
    { "visits",        "本期走访",     "visits in period",   FG_GRID_INT, 0, 0 },
    { "contacted_pct", "联系覆盖率%",  "contacted %",        FG_GRID_PCT, 2, 0 },
    { .name = NULL }
};

int
fg_report__temples (fg_report_ctx_t *ctx, fg_report_t *report, char *errbuf, size_t errsize)
{
    fg_grid_t *grid = fg_report__grid_new (ctx, s_columns, errbuf, errsize);
    int rc = grid ? 0 : -1;
    if (rc == 0)
        rc = fg_report__grid_query (grid, 0, S_SITES
                "SELECT substr (s.org_id, 1, ?5), count(*), sum (coalesce (s.registered, 0)), "
                "  sum (c.contacts IS NOT NULL), coalesce (sum (e.engagements), 0), coalesce (sum (v.visits), 0) "
                "FROM s LEFT JOIN c ON c.site_id = s.id LEFT JOIN e ON e.site_id = s.id "
                "LEFT JOIN v ON v.site_id = s.id GROUP BY 1", errbuf, errsize);
    fg_rows_t *rows = NULL;
    if (rc == 0) {
        rows = fg_report__grid_rows (grid, "temples", "temples", "同心同向：寺庙联系",
                                     "Religious sites: contacts and engagements");
        fg_report__chart (rows, "name:sites,contacted,engagements", "场所、有联系干部与联系活动",
                          "Sites, contacted, engagements");
        fg_report__add (report, &rows);
    }
    fg_report__grid_destroy (&grid);
    if (rc)
        return rc;

    static const fg_report_col_t s_site_columns [] = {
        { "code", "单位代码", "org code" }, { "name", "单位", "org unit" },
        { "site_id", "场所编号", "site id" }, { "site", "场所", "site" },
        { "contacts", "联系干部", "contact cadres" }, { "engagements", "本期联系活动", "engagements" },
        { "visits", "本期走访", "visits" }, { "last_engagement", "最近联系", "last engagement" },
        { .name = NULL }
    };
    rows = fg_report__section (ctx, "temples", "sites", "各寺庙联系情况", "Each site", s_site_columns);
    sqlite3_stmt *stmt = fg_report__prepare (ctx, S_SITES
            "SELECT CAST (s.org_id AS TEXT), coalesce (o.name_zh, CAST (s.org_id AS TEXT)), s.id, s.name, "
            "  coalesce (c.contacts, 0), coalesce (e.engagements, 0), coalesce (v.visits, 0), "
            "  CASE WHEN e.last_on IS NOT NULL THEN date (e.last_on * 86400, 'unixepoch') END "
            "FROM s LEFT JOIN c ON c.site_id = s.id LEFT JOIN e ON e.site_id = s.id "
            "LEFT JOIN v ON v.site_id = s.id LEFT JOIN org_unit o ON o.id = s.org_id "
            "ORDER BY s.org_id, s.id", errbuf, errsize);
    rc = stmt ? fg_report__append (stmt, rows, errbuf, errsize) : -1;
    if (rc == 0)
        fg_report__add (report, &rows);
    fg_rows_destroy (&rows);
    return rc;
}
