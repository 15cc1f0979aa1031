/*  fg_rules_d.c - sunshine disclosure, DOMAIN.md §3.8: D2 (a project that
    must be disclosed has a disclosure posted before its first spend, and
    one after it is completed, each up for at least d2_posted_days), D1
    (every village discloses its affairs each quarter and its dibao list
    each year it pays dibao) and D3 (the latest dibao list matches the
    dibao paid in its period). */
#include "fg_rules_int.h"

int
fg_rules_d2 (fg_rule_eval_t *eval)
{
    //  ?3 days a disclosure stays up, ?4 the grace
    int64_t params [2] = { fg_rules__param (eval, "d2_posted_days"), fg_rules__param (eval, "grace_days") };
    int rc = fg_rules__query (eval, "D2", FG_TIER_ANY, "happiness_project",
        "SELECT p.id, p.org_id, " FG_RULES_DATE ("spend") ", spend, "
        "  printf ('%s: first spend on %s with no disclosure posted before it for %d days', p.name, "
        "          " FG_RULES_DATE ("spend") ", ?3), 1 "
        "FROM (SELECT p.*, (SELECT min (g.occurred_on) FROM project_progress g WHERE g.project_id = p.id "
        "        AND g.voided = 0 AND coalesce (g.spent_fen, 0) > 0) AS spend FROM happiness_project p) p "
        "WHERE substr (p.org_id, 1, length (?1)) = ?1 AND coalesce (p.disclosure_required, 0) "
        "AND spend IS NOT NULL AND spend < ?2 "
        "AND NOT EXISTS (SELECT 1 FROM disclosure d WHERE d.project_id = p.id AND d.voided = 0 "
        "    AND d.posted_on <= spend AND (d.posted_until IS NULL OR d.posted_until >= d.posted_on + ?3)) "
        "ORDER BY p.org_id, p.id", params, 2);
    if (rc == 0)
        rc = fg_rules__query (eval, "D2", FG_TIER_ANY, "happiness_project",
        "SELECT p.id, p.org_id, " FG_RULES_DATE ("done") ", done + ?4, "
        "  printf ('%s: completed (last progress %s), no disclosure of it posted since for %d days', p.name, "
        "          " FG_RULES_DATE ("done") ", ?3), 1 "
        "FROM (SELECT p.*, (SELECT max (g.occurred_on) FROM project_progress g WHERE g.project_id = p.id "
        "        AND g.voided = 0) AS done FROM happiness_project p) p "
        "WHERE substr (p.org_id, 1, length (?1)) = ?1 AND coalesce (p.disclosure_required, 0) "
        "AND p.status = 'completed' AND done IS NOT NULL AND done + ?4 < ?2 "
        "AND NOT EXISTS (SELECT 1 FROM disclosure d WHERE d.project_id = p.id AND d.voided = 0 "
        "    AND d.posted_on >= done AND (d.posted_until IS NULL OR d.posted_until >= d.posted_on + ?3)) "
        "ORDER BY p.org_id, p.id", params, 2);
    return rc;
}

//  The villages in scope: the village-level org units that exist on ?2
//  and the villages of the households held (a tree without org_unit
//  rows; any household: the org index alone answers it)
#define S_VILLAGES \
    "SELECT o.id AS village FROM org_unit o WHERE length (o.id) = 12 AND substr (o.id, 1, length (?1)) = ?1 " \
    "AND (o.valid_to IS NULL OR o.valid_to > ?2) " \
    "UNION SELECT DISTINCT h.org_id FROM household h WHERE length (h.org_id) = 12 " \
    "AND substr (h.org_id, 1, length (?1)) = ?1"
//  Dibao money: an assistance record paid from the minimum living
//  allowance fund (the catalogue has no dibao type: funding_source says
//  so), not a reversal and not reversed
#define S_DIBAO(r) \
    "(lower (coalesce (" r ".funding_source, '')) IN ('dibao', '低保') AND " r ".reverses_id IS NULL " \
    "AND NOT EXISTS (SELECT 1 FROM assistance_record x WHERE x.reverses_id = " r ".id))"

//  D1: every village posts its village-affairs disclosure for the last
//  quarter whose end plus d1_days has passed (period_id the quarter, or
//  posted from its first day to that due day), and, if dibao money was
//  paid in it in the last calendar year whose end plus d1_days has
//  passed, a dibao disclosure of that year. Disclosures are the
//  township's or the county's.
int
fg_rules_d1 (fg_rule_eval_t *eval)
{
    int64_t d1_days = fg_rules__param (eval, "d1_days");
    int64_t first, last;
    char quarter [16];
    fg_rules__last_quarter (eval->day - d1_days, &first, &last, quarter);
    int year, month, mday;
    fg_rules__ymd (last, &year, &month, &mday);
    int rc = fg_rules__query (eval, "D1", FG_TIER_COUNTY | FG_TIER_TOWNSHIP, "org_unit",
        "SELECT village, village, printf ('%dQ%d', ?5, ?6), ?4, "
        "  printf ('village %s: no village-affairs disclosure for %dQ%d posted by %s', village, ?5, ?6, "
        "          " FG_RULES_DATE ("?4") "), 1 "
        "FROM (" S_VILLAGES ") WHERE NOT EXISTS (SELECT 1 FROM disclosure d WHERE d.org_id = village "
        "    AND d.category = 'village_affairs' AND d.voided = 0 "
        "    AND (d.period_id = printf ('%dQ%d', ?5, ?6) OR d.posted_on BETWEEN ?3 AND ?4)) ORDER BY village",
        (int64_t []) { first, last + d1_days, year, (month - 1) / 3 + 1 }, 4);
    if (rc)
        return rc;
    fg_rules__ymd (eval->day - d1_days, &year, &month, &mday);
    year--;
    int64_t jan1 = fg_rules__day (year, 1, 1), dec31 = fg_rules__day (year + 1, 1, 1) - 1;
    return fg_rules__query (eval, "D1", FG_TIER_COUNTY | FG_TIER_TOWNSHIP, "org_unit",
        "SELECT village, village, printf ('%d', ?5), ?4, "
        "  printf ('village %s: dibao paid to %d beneficiaries in %d, no dibao disclosure of the year posted "
        "          by %s', village, n, ?5, " FG_RULES_DATE ("?4") "), 1 "
        "FROM (SELECT r.org_id AS village, count (DISTINCT r.beneficiary_id) AS n FROM assistance_record r "
        "      WHERE substr (r.org_id, 1, length (?1)) = ?1 AND r.occurred_on BETWEEN ?3 AND ?6 "
        "      AND " S_DIBAO ("r") " GROUP BY r.org_id) "
        "WHERE ?4 < ?2 AND NOT EXISTS (SELECT 1 FROM disclosure d WHERE d.org_id = village "
        "    AND d.category = 'dibao' AND d.voided = 0 "
        "    AND (d.period_id LIKE printf ('%d%%', ?5) OR d.posted_on BETWEEN ?3 AND ?4)) ORDER BY village",
        (int64_t []) { jan1, dec31 + d1_days, year, dec31 }, 4);
}

//  The period a disclosure's period_id names: YYYY, YYYYQn, YYYY-MM;
//  otherwise the year up to the day it was posted.
static void
s_period (const char *period_id, int64_t posted_on, int64_t *first, int64_t *last)
{
    int year = 0, part = 0;
    char tail = 0;
    if (sscanf (period_id, "%4dQ%1d%c", &year, &part, &tail) == 2 && year > 1900 && part >= 1 && part <= 4) {
        *first = fg_rules__day (year, (part - 1) * 3 + 1, 1);
        *last = (part == 4 ? fg_rules__day (year + 1, 1, 1) : fg_rules__day (year, part * 3 + 1, 1)) - 1;
    }
    else
    if (sscanf (period_id, "%4d-%2d%c", &year, &part, &tail) == 2 && year > 1900 && part >= 1 && part <= 12) {
        *first = fg_rules__day (year, part, 1);
        *last = (part == 12 ? fg_rules__day (year + 1, 1, 1) : fg_rules__day (year, part + 1, 1)) - 1;
    }
    else
    if (sscanf (period_id, "%4d%c", &year, &tail) == 1 && year > 1900) {
        *first = fg_rules__day (year, 1, 1);
        *last = fg_rules__day (year + 1, 1, 1) - 1;
    }
    else {
        *first = posted_on - 365;
        *last = posted_on;
    }
}

//  D3: the beneficiaries a village's latest dibao disclosure lists (items:
//  a JSON array of ids, or of objects with beneficiary_id or id) are the
//  beneficiaries of the dibao money paid in the village in the period it
//  names. One listed with no payment held here may be one whose record
//  has not arrived (the township writes them): PENDING_SYNC until the
//  township is known past the posting day; one paid and not listed is
//  here: VIOLATED.
int
fg_rules_d3 (fg_rule_eval_t *eval)
{
    sqlite3_stmt *latest = fg_rules__prepare (eval,
        "SELECT d.id, d.org_id, coalesce (d.period_id, ''), d.posted_on, coalesce (d.items, '[]') "
        "FROM disclosure d WHERE d.category = 'dibao' AND d.voided = 0 AND length (d.org_id) = 12 "
        "AND substr (d.org_id, 1, length (?1)) = ?1 AND d.posted_on <= ?2 "
        "AND NOT EXISTS (SELECT 1 FROM disclosure n WHERE n.org_id = d.org_id AND n.category = 'dibao' "
        "    AND n.voided = 0 AND n.posted_on <= ?2 AND (n.posted_on > d.posted_on "
        "    OR (n.posted_on = d.posted_on AND (n.created_hlc > d.created_hlc "
        "        OR (n.created_hlc = d.created_hlc AND n.id > d.id))))) "
        "ORDER BY d.org_id");
    sqlite3_stmt *compare = fg_rules__prepare (eval,
        "WITH listed AS (SELECT DISTINCT CAST (coalesce (json_extract (j.value, '$.beneficiary_id'), "
        "        json_extract (j.value, '$.id'), j.value) AS INTEGER) AS id "
        "      FROM json_each (CASE WHEN json_valid (?1) THEN ?1 ELSE '[]' END) j), "
        "  paid AS (SELECT DISTINCT r.beneficiary_id AS id FROM assistance_record r WHERE r.org_id = ?2 "
        "      AND r.occurred_on BETWEEN ?3 AND ?4 AND " S_DIBAO ("r") ") "
        "SELECT (SELECT count(*) FROM listed WHERE id NOT IN (SELECT id FROM paid)), "
        "  (SELECT group_concat (id, ', ') FROM (SELECT id FROM listed WHERE id NOT IN (SELECT id FROM paid) "
        "   ORDER BY id LIMIT 5)), "
        "  (SELECT count(*) FROM paid WHERE id NOT IN (SELECT id FROM listed)), "
        "  (SELECT group_concat (id, ', ') FROM (SELECT id FROM paid WHERE id NOT IN (SELECT id FROM listed) "
        "   ORDER BY id LIMIT 5)), json_valid (?1)");
    if (!latest || !compare) {
        sqlite3_finalize (latest);
        sqlite3_finalize (compare);
        return -1;
    }
    sqlite3_bind_text (latest, 1, eval->prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (latest, 2, eval->day);
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (latest)) == SQLITE_ROW) {
        uint64_t id = (uint64_t) sqlite3_column_int64 (latest, 0);
        char village [24], period [64];
        snprintf (village, sizeof village, "%s", fg_rules__text (latest, 1));
        snprintf (period, sizeof period, "%s", fg_rules__text (latest, 2));
        int64_t posted = sqlite3_column_int64 (latest, 3), first, last;
        s_period (period, posted, &first, &last);
        sqlite3_reset (compare);
        sqlite3_bind_text (compare, 1, fg_rules__text (latest, 4), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64 (compare, 2, strtoll (village, NULL, 10));
        sqlite3_bind_int64 (compare, 3, first);
        sqlite3_bind_int64 (compare, 4, last);
        if (sqlite3_step (compare) != SQLITE_ROW) {
            rc = fg_rules__fail (eval, "cannot read the replica");
            break;
        }
        int64_t unpaid = sqlite3_column_int64 (compare, 0), unlisted = sqlite3_column_int64 (compare, 2);
        char posted_text [16];
        fg_date_format (posted, posted_text);
        if (!sqlite3_column_int (compare, 4))
            rc = fg_rules__violated (eval, "D3", "disclosure", id, village, period, posted,
                                     "the dibao disclosure of village %s posted %s has items that are not "
                                     "a JSON list of beneficiaries", village, posted_text);
        else
        if (unlisted)
            rc = fg_rules__violated (eval, "D3", "disclosure", id, village, period, posted,
                                     "the dibao disclosure of village %s posted %s leaves out %lld beneficiaries "
                                     "paid dibao in its period (%s)", village, posted_text,
                                     (long long) unlisted, fg_rules__text (compare, 3));
        else
        if (unpaid)
            rc = fg_rules__absent (eval, "D3", FG_TIER_TOWNSHIP, "disclosure", id, village, period, posted,
                                   "the dibao disclosure of village %s posted %s lists %lld beneficiaries "
                                   "with no dibao payment in its period (%s)", village, posted_text,
                                   (long long) unpaid, fg_rules__text (compare, 1));
    }
    sqlite3_finalize (compare);
    return fg_rules__done (eval, latest, rc, step);
}
