/*  fg_coverage.c - pairing coverage by township and the cadres' loads
    (DOMAIN.md §3.1: P1, P2, P3, P5); see fg_report.h. */
#include "fg_report.h"
#include "fg_pairing.h"
#include "fg_org.h"
#include "fg_util.h"

//  The scope of a report: an org code's significant prefix, for
//  substr (org_id, 1, length) = prefix.
static int
s_scope (fg_replica_t *replica, const char *org, char prefix [16], char *errbuf, size_t errsize)
{
    const char *code = org ? org : fg_replica_self (replica)->org;
    size_t length = fg_org_prefix_len (code);
    if (!length)
        return fg_errf (errbuf, errsize, "not an org code: '%s'", code);
    snprintf (prefix, 16, "%.*s", (int) length, code);
    return 0;
}

static sqlite3_stmt *
s_prepare (fg_replica_t *replica, const char *sql, char *errbuf, size_t errsize)
{
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
    return stmt;
}

fg_rows_t *
fg_report_coverage (fg_replica_t *replica, const char *org, int64_t day, int grace_days,
                    char *errbuf, size_t errsize)
{
    char prefix [16];
    if (s_scope (replica, org, prefix, errbuf, errsize))
        return NULL;
    sqlite3_stmt *stmt = s_prepare (replica,
            "WITH paired AS (SELECT DISTINCT household_id FROM pairing "
            "    WHERE coalesce (role, 'primary') = 'primary' AND (start_on IS NULL OR start_on <= ?2) "
            "    AND (end_on IS NULL OR end_on > ?2)), "
            "  prov AS (SELECT DISTINCT household_id FROM pairing_provisional WHERE voided = 0), "
            "  h AS (SELECT substr (h.org_id, 1, 9) AS township, paired.household_id IS NOT NULL AS paired, "
            "          prov.household_id IS NOT NULL AS prov, "
            "          coalesce (h.valid_from, (h.created_hlc >> 16) / 86400000) + ?3 >= ?2 AS recent "
            "        FROM household h LEFT JOIN paired ON paired.household_id = h.id "
            "        LEFT JOIN prov ON prov.household_id = h.id "
            "        WHERE substr (h.org_id, 1, length (?1)) = ?1 AND length (h.org_id) >= 9 "
            "        AND " FG_PAIRING_HOUSEHOLD_IN_H " "
            "        AND (h.valid_from IS NULL OR h.valid_from <= ?2) AND (h.valid_to IS NULL OR h.valid_to > ?2)) "
            "SELECT township, count(*) AS households, sum (paired) AS paired, "
            "  sum (NOT paired AND prov) AS provisional, sum (NOT paired AND NOT prov AND recent) AS waiting, "
            "  sum (NOT paired AND NOT prov AND NOT recent) AS overdue "
            "FROM h GROUP BY township ORDER BY township", errbuf, errsize);
    if (!stmt)
        return NULL;
    sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, day);
    sqlite3_bind_int (stmt, 3, grace_days);
    fg_rows_t *rows = fg_schema_rows (stmt, NULL, errbuf, errsize);
    sqlite3_finalize (stmt);
    return rows;
}

fg_rows_t *
fg_report_cadres (fg_replica_t *replica, const char *org, int64_t day, char *errbuf, size_t errsize)
{
    char prefix [16];
    if (s_scope (replica, org, prefix, errbuf, errsize))
        return NULL;
    sqlite3_stmt *stmt = s_prepare (replica,
            "WITH load AS (SELECT cadre_id, count(*) AS households, count (DISTINCT org_id) AS villages "
            "    FROM pairing WHERE coalesce (role, 'primary') = 'primary' "
            "    AND (start_on IS NULL OR start_on <= ?2) AND (end_on IS NULL OR end_on > ?2) GROUP BY cadre_id) "
            "SELECT c.id, c.name, c.org_id, c.rank, c.capacity_override, coalesce (l.households, 0), "
            "  coalesce (l.villages, 0) "
            "FROM cadre c LEFT JOIN load l ON l.cadre_id = c.id "
            "WHERE substr (c.org_id, 1, length (?1)) = ?1 AND coalesce (c.status, 'active') = 'active' "
            "ORDER BY c.org_id, c.id", errbuf, errsize);
    if (!stmt)
        return NULL;
    sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, day);
    fg_rows_t *rows = fg_rows_new ();
    const char *names [] = { "id", "name", "org_id", "rank", "households", "cap", "villages", "note" };
    for (size_t i = 0; i < sizeof names / sizeof names [0]; i++)
        fg_rows_column (rows, names [i]);
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        bool leading;
        uint32_t cap = fg_pairing_cap ((const char *) sqlite3_column_text (stmt, 3), stmt, 4, &leading);
        int64_t load = sqlite3_column_int64 (stmt, 5), villages = sqlite3_column_int64 (stmt, 6);
        char number [24];
        for (int c = 0; c < 4; c++)
            if (sqlite3_column_type (stmt, c) == SQLITE_NULL)
                fg_rows_null (rows);
            else
                fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, c), false);      //  ids and org codes: strings
        snprintf (number, sizeof number, "%lld", (long long) load);
        fg_rows_value (rows, number, true);
        snprintf (number, sizeof number, "%u", cap);
        fg_rows_value (rows, number, true);
        snprintf (number, sizeof number, "%lld", (long long) villages);
        fg_rows_value (rows, number, true);
        fg_rows_value (rows, load > cap ? "over capacity (P3)" : load == 0 ? "no household (P2)"
                           : villages > 1 ? "more than one village (P5)" : "", false);
        fg_rows_row_end (rows);
    }
    sqlite3_finalize (stmt);
    return rows;
}
