/*  fg_rules_p.c - pairing coverage, DOMAIN.md §3.1: P1 to P8 (P8 reads
    the acknowledgements fg_pairing_slice.c gives a plan). The households
    in H and the
    capacities are those of the plan (fg_pairing.h), with the capacities
    read from the parameters (cap_leading, cap_other, cap_max). */
#include "fg_rules_int.h"
#include "fg_pairing.h"

//  Primary pairings active on ?2
#define S_ACTIVE_PAIRING \
    "coalesce (p.role, 'primary') = 'primary' AND (p.start_on IS NULL OR p.start_on <= ?2) " \
    "AND (p.end_on IS NULL OR p.end_on > ?2)"
#define S_IN_SCOPE(alias) "substr (" alias ".org_id, 1, length (?1)) = ?1"

static void
s_bind (fg_rule_eval_t *eval, sqlite3_stmt *stmt)
{
    sqlite3_bind_text (stmt, 1, eval->prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, eval->day);
}


//  P1: every household in H, registered for longer than G_new, has an
//  active primary pairing or a provisional one. The missing evidence is a
//  pairing (written by the county) or a pairing_provisional (written by
//  the township): due by registration + G_new.
int
fg_rules_p1 (fg_rule_eval_t *eval)
{
    sqlite3_stmt *stmt = fg_rules__prepare (eval,
        "SELECT h.id, h.org_id, coalesce (h.valid_from, (h.created_hlc >> 16) / 86400000) AS since "
        "FROM household h "
        "WHERE " S_IN_SCOPE ("h") " AND length (h.org_id) >= 9 AND " FG_PAIRING_HOUSEHOLD_IN_H " "
        "AND (h.valid_from IS NULL OR h.valid_from <= ?2) AND (h.valid_to IS NULL OR h.valid_to > ?2) "
        "AND since + ?3 < ?2 "
        "AND NOT EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = h.id AND " S_ACTIVE_PAIRING ") "
        "AND NOT EXISTS (SELECT 1 FROM pairing_provisional q WHERE q.household_id = h.id AND q.voided = 0) "
        "ORDER BY h.org_id, h.id");
    if (!stmt)
        return -1;
    s_bind (eval, stmt);
    int64_t g_new = fg_rules__param (eval, "g_new_days");
    sqlite3_bind_int64 (stmt, 3, g_new);
    int rc = 0;
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        char since [16], period [16];
        fg_date_format (sqlite3_column_int64 (stmt, 2), since);
        fg_date_format (eval->day, period);
        rc = fg_rules__absent (eval, "P1", FG_TIER_COUNTY | FG_TIER_TOWNSHIP, "household", (uint64_t) sqlite3_column_int64 (stmt, 0),
                               fg_rules__text (stmt, 1), period, sqlite3_column_int64 (stmt, 2) + g_new,
                               "registered %s, no primary pairing and no provisional one after %lld days "
                               "(G_new)", since, (long long) g_new);
    }
    return fg_rules__done (eval, stmt, rc, step);
}

//  P2: in a county with at least as many households as cadres, every
//  active cadre (not exempt, not on long leave) holds a household. The
//  missing evidence is a pairing of the county's: due today.
int
fg_rules_p2 (fg_rule_eval_t *eval)
{
    sqlite3_stmt *stmt = fg_rules__prepare (eval,
        "WITH hc AS (SELECT substr (h.org_id, 1, 6) AS county, count(*) AS n FROM household h "
        "    WHERE " S_IN_SCOPE ("h") " AND " FG_PAIRING_HOUSEHOLD_IN_H " GROUP BY 1), "
        "  cc AS (SELECT substr (c.org_id, 1, 6) AS county, count(*) AS n FROM cadre c "
        "    WHERE " S_IN_SCOPE ("c") " AND coalesce (c.status, 'active') = 'active' GROUP BY 1) "
        "SELECT c.id, c.org_id, c.name FROM cadre c "
        "JOIN hc ON hc.county = substr (c.org_id, 1, 6) JOIN cc ON cc.county = hc.county "
        "WHERE " S_IN_SCOPE ("c") " AND coalesce (c.status, 'active') = 'active' AND hc.n >= cc.n "
        "AND length (c.org_id) >= 6 AND substr (c.org_id, 5, 2) != '00' "
        "AND NOT EXISTS (SELECT 1 FROM pairing p WHERE p.cadre_id = c.id AND " S_ACTIVE_PAIRING ") "
        "AND NOT EXISTS (SELECT 1 FROM pairing_provisional q WHERE q.cadre_id = c.id AND q.voided = 0) "
        "ORDER BY c.org_id, c.id");
    if (!stmt)
        return -1;
    s_bind (eval, stmt);
    int rc = 0;
    int64_t grace = fg_rules__param (eval, "grace_days");
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        char period [16];
        fg_date_format (eval->day, period);
        rc = fg_rules__absent (eval, "P2", FG_TIER_COUNTY | FG_TIER_TOWNSHIP, "cadre", (uint64_t) sqlite3_column_int64 (stmt, 0),
                               fg_rules__text (stmt, 1), period, eval->day - 1 - grace,
                               "%s holds no household, and the county has as many households as cadres",
                               fg_rules__text (stmt, 2));
    }
    return fg_rules__done (eval, stmt, rc, step);
}

//  Loads of the active cadres in scope: id, org_id, name, rank,
//  capacity_override, households, villages.
static sqlite3_stmt *
s_loads (fg_rule_eval_t *eval)
{
    sqlite3_stmt *stmt = fg_rules__prepare (eval,
        "WITH load AS (SELECT p.cadre_id, count(*) AS households, count (DISTINCT p.org_id) AS villages "
        "    FROM pairing p WHERE " S_ACTIVE_PAIRING " GROUP BY p.cadre_id) "
        "SELECT c.id, c.org_id, c.name, c.rank, c.capacity_override, l.households, l.villages "
        "FROM cadre c JOIN load l ON l.cadre_id = c.id "
        "WHERE " S_IN_SCOPE ("c") " AND coalesce (c.status, 'active') = 'active' ORDER BY c.org_id, c.id");
    if (stmt)
        s_bind (eval, stmt);
    return stmt;
}

//  P3: a cadre's load is at most its capacity: capacity_override (at most
//  cap_max), else cap_leading for ranks at or above deputy county, else
//  cap_other. A pair over it is here: VIOLATED.
int
fg_rules_p3 (fg_rule_eval_t *eval)
{
    sqlite3_stmt *stmt = s_loads (eval);
    if (!stmt)
        return -1;
    int64_t leading = fg_rules__param (eval, "cap_leading"), other = fg_rules__param (eval, "cap_other"),
            most = fg_rules__param (eval, "cap_max");
    int rc = 0;
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        const char *rank = fg_rules__text (stmt, 3);
        bool is_leading = strncmp (rank, "prefecture_", 11) == 0 || strncmp (rank, "county_", 7) == 0;
        int64_t cap = is_leading ? leading : other;
        if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
            cap = sqlite3_column_int64 (stmt, 4);
        if (cap > most)
            cap = most;
        int64_t load = sqlite3_column_int64 (stmt, 5);
        char period [16];
        fg_date_format (eval->day, period);
        if (load > cap)
            rc = fg_rules__violated (eval, "P3", "cadre", (uint64_t) sqlite3_column_int64 (stmt, 0),
                                     fg_rules__text (stmt, 1), period, 0,
                                     "%s holds %lld households, capacity %lld", fg_rules__text (stmt, 2),
                                     (long long) load, (long long) cap);
    }
    return fg_rules__done (eval, stmt, rc, step);
}

//  P4: a pairing's form matches: territorial, the household's township is
//  the cadre's; counterpart, it is one of the cadre's unit's counterpart
//  townships; org_deployment, a work team the cadre leads or belongs to
//  serves it; cadre_relative, an approved kinship claim of the pair. A
//  pairing whose cadre is not held here is not judged.
int
fg_rules_p4 (fg_rule_eval_t *eval)
{
    sqlite3_stmt *stmt = fg_rules__prepare (eval,
        "SELECT p.id, p.org_id, p.form, c.name, "
        "  CASE coalesce (p.form, 'territorial') "
        "  WHEN 'territorial' THEN length (c.org_id) >= 9 AND substr (c.org_id, 1, 9) = substr (p.org_id, 1, 9) "
        "  WHEN 'counterpart' THEN EXISTS (SELECT 1 FROM work_unit w WHERE w.id = c.work_unit_id "
        "       AND ',' || replace (coalesce (w.counterpart_townships, ''), ' ', '') || ',' "
        "           LIKE '%,' || substr (p.org_id, 1, 9) || ',%') "
        "  WHEN 'org_deployment' THEN EXISTS (SELECT 1 FROM work_team t "
        "       WHERE (t.leader_cadre_id = c.id "
        "              OR ',' || replace (coalesce (t.member_ids, ''), ' ', '') || ',' LIKE '%,' || c.id || ',%') "
        "       AND (',' || replace (coalesce (t.target_org_units, ''), ' ', '') || ',' "
        "                LIKE '%,' || substr (p.org_id, 1, 9) || ',%' "
        "            OR ',' || replace (coalesce (t.target_org_units, ''), ' ', '') || ',' "
        "                LIKE '%,' || substr (p.org_id, 1, 9) || '___,%')) "
        "  WHEN 'cadre_relative' THEN EXISTS (SELECT 1 FROM kinship_claim k WHERE k.cadre_id = c.id "
        "       AND k.household_id = p.household_id AND k.state = 'APPROVED') "
        "  ELSE 0 END AS valid "
        "FROM pairing p JOIN cadre c ON c.id = p.cadre_id "
        "WHERE " S_IN_SCOPE ("p") " AND (p.start_on IS NULL OR p.start_on <= ?2) "
        "AND (p.end_on IS NULL OR p.end_on > ?2) AND NOT valid ORDER BY p.org_id, p.id");
    if (!stmt)
        return -1;
    s_bind (eval, stmt);
    int rc = 0;
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        const char *form = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? "territorial" : fg_rules__text (stmt, 2);
        const char *why = streq (form, "territorial") ? "the cadre does not work in the household's township"
                        : streq (form, "counterpart") ? "the household's township is not a counterpart "
                                                        "township of the cadre's unit"
                        : streq (form, "org_deployment") ? "no work team of the cadre serves the household's "
                                                           "township"
                        : "no approved kinship claim for the pair";
        char period [16];
        fg_date_format (eval->day, period);
        rc = fg_rules__violated (eval, "P4", "pairing", (uint64_t) sqlite3_column_int64 (stmt, 0),
                                 fg_rules__text (stmt, 1), period, 0, "%s pairing of %s: %s", form,
                                 fg_rules__text (stmt, 3), why);
    }
    return fg_rules__done (eval, stmt, rc, step);
}

//  P5: a cadre's households lie in at most v_max villages.
int
fg_rules_p5 (fg_rule_eval_t *eval)
{
    sqlite3_stmt *stmt = s_loads (eval);
    if (!stmt)
        return -1;
    int64_t v_max = fg_rules__param (eval, "v_max");
    int rc = 0;
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        int64_t villages = sqlite3_column_int64 (stmt, 6);
        char period [16];
        fg_date_format (eval->day, period);
        if (villages > v_max)
            rc = fg_rules__violated (eval, "P5", "cadre", (uint64_t) sqlite3_column_int64 (stmt, 0),
                                     fg_rules__text (stmt, 1), period, 0,
                                     "%s's households lie in %lld villages (V_max %lld)",
                                     fg_rules__text (stmt, 2), (long long) villages, (long long) v_max);
    }
    return fg_rules__done (eval, stmt, rc, step);
}

//  P7: each county publishes the plan of the programme year (July to
//  June) holding the day, effective by July 1 + p7_days (due then; the
//  plans are the county's), and its versions form a chain: each
//  base_version is the version before it.
int
fg_rules_p7 (fg_rule_eval_t *eval)
{
    int year, month, mday;
    fg_rules__ymd (eval->day, &year, &month, &mday);
    int cycle = month >= 7 ? year : year - 1;
    int64_t due = fg_rules__day (cycle, 7, 1) + fg_rules__param (eval, "p7_days");
    int rc = fg_rules__query (eval, "P7", FG_TIER_COUNTY, "org_unit",
        "SELECT county, county, printf ('PY%d', ?3), ?4, "
        "  printf ('county %s: no pairing plan for the year from July %d effective by %s', county, ?3, "
        "          " FG_RULES_DATE ("?4") "), 1 "
        "FROM (SELECT DISTINCT substr (h.org_id, 1, 6) AS county FROM household h "
        "      WHERE substr (h.org_id, 1, length (?1)) = ?1) "
        "WHERE ?4 < ?2 AND NOT EXISTS (SELECT 1 FROM pairing_plan p WHERE substr (p.org_id, 1, 6) = county "
        "    AND p.cycle_year = ?3 AND p.voided = 0 AND coalesce (p.effective_on, 0) <= ?4) ORDER BY county",
        (int64_t []) { cycle, due }, 2);
    if (rc == 0)
        rc = fg_rules__query (eval, "P7", FG_TIER_COUNTY, "pairing_plan",
        "SELECT p.id, p.org_id, printf ('PY%d', p.cycle_year), NULL, "
        "  printf ('plan version %d of county %s names base version %s, the version before it is %s', "
        "          p.version, p.org_id, coalesce (p.base_version, 'none'), coalesce (p.previous, 'none')), 0 "
        "FROM (SELECT p.*, lag (p.version) OVER (PARTITION BY p.org_id ORDER BY p.version, p.id) AS previous "
        "      FROM pairing_plan p WHERE p.voided = 0) p "
        "WHERE substr (p.org_id, 1, length (?1)) = ?1 "
        "AND (coalesce (p.base_version, 0) != coalesce (p.previous, 0) OR p.version = p.previous) "
        "ORDER BY p.org_id, p.version", NULL, 0);
    return rc;
}

//  P6 (the cadres who left first, CROSS JOIN: few of them, and their
//  pairs by index, rather than every pairing): a cadre who left
//  (transferred, retired, deceased; status_from the
//  day t) has every pairing ended by t + G_transfer (the end is the
//  county's: missing, it may not have arrived; ended later than that, it
//  is here and late), and every household whose primary pair it was
//  (active within G_transfer before t, or later) has a new primary pair
//  or a provisional one by then (the county's or the township's).
int
fg_rules_p6 (fg_rule_eval_t *eval)
{
    int64_t params [1] = { fg_rules__param (eval, "g_transfer_days") };
    int rc = fg_rules__query (eval, "P6", FG_TIER_COUNTY, "pairing",
        "SELECT p.id, p.org_id, " FG_RULES_DATE ("c.status_from") ", c.status_from + ?3, "
        "  CASE WHEN p.end_on IS NULL THEN printf ('%s (%s on %s): the pairing with household %s has not "
        "       ended by %s (G_transfer %d days)', c.name, c.status, " FG_RULES_DATE ("c.status_from") ", "
        "       coalesce (h.head_name, p.household_id), " FG_RULES_DATE ("c.status_from + ?3") ", ?3) "
        "  ELSE printf ('%s (%s on %s): the pairing with household %s ended on %s, after %s (G_transfer %d "
        "       days)', c.name, c.status, " FG_RULES_DATE ("c.status_from") ", coalesce (h.head_name, p.household_id), "
        "       " FG_RULES_DATE ("p.end_on") ", " FG_RULES_DATE ("c.status_from + ?3") ", ?3) END, "
        "  p.end_on IS NULL "
        "FROM cadre c CROSS JOIN pairing p ON p.cadre_id = c.id LEFT JOIN household h ON h.id = p.household_id "
        "WHERE c.status IN ('transferred', 'retired', 'deceased') AND c.status_from IS NOT NULL "
        "AND substr (p.org_id, 1, length (?1)) = ?1 AND c.status_from + ?3 < ?2 "
        "AND (p.start_on IS NULL OR p.start_on <= c.status_from) "
        "AND (p.end_on IS NULL OR p.end_on > c.status_from + ?3) ORDER BY p.org_id, p.id", params, 1);
    if (rc == 0)
        rc = fg_rules__query (eval, "P6", FG_TIER_COUNTY | FG_TIER_TOWNSHIP, "household",
        "SELECT h.id, h.org_id, " FG_RULES_DATE ("min (c.status_from)") ", min (c.status_from) + ?3, "
        "  printf ('%s: its cadre %s left (%s on %s) and it has no new primary pair or provisional one by "
        "          %s (G_transfer %d days)', h.head_name, c.name, c.status, " FG_RULES_DATE ("min (c.status_from)") ", "
        "          " FG_RULES_DATE ("min (c.status_from) + ?3") ", ?3), 1 "
        "FROM cadre c CROSS JOIN pairing p ON p.cadre_id = c.id JOIN household h ON h.id = p.household_id "
        "WHERE c.status IN ('transferred', 'retired', 'deceased') AND c.status_from IS NOT NULL "
        "AND substr (h.org_id, 1, length (?1)) = ?1 AND c.status_from + ?3 < ?2 "
        "AND coalesce (p.role, 'primary') = 'primary' "
        "AND (p.start_on IS NULL OR p.start_on <= c.status_from) "
        "AND (p.end_on IS NULL OR p.end_on > c.status_from - ?3) "
        "AND " FG_PAIRING_HOUSEHOLD_IN_H " AND (h.valid_to IS NULL OR h.valid_to > ?2) "
        "AND NOT EXISTS (SELECT 1 FROM pairing q WHERE q.household_id = h.id AND q.cadre_id != c.id "
        "    AND coalesce (q.role, 'primary') = 'primary' AND (q.start_on IS NULL OR q.start_on <= ?2) "
        "    AND (q.end_on IS NULL OR q.end_on > ?2)) "
        "AND NOT EXISTS (SELECT 1 FROM pairing_provisional q WHERE q.household_id = h.id "
        "    AND q.cadre_id != c.id AND q.voided = 0) "
        "GROUP BY h.id ORDER BY h.org_id, h.id", params, 1);
    return rc;
}

//  P8: every township node of a county acknowledges the directive of the
//  county's latest pairing plan within T_ack of its issue (the day the
//  directive was written: a township that has not synced since is
//  waited for, which is what "of its first sync after issuance" asks
//  once it is known past the deadline). Its latest ack refused (its
//  pairs do not match its slice, fg_pairing_slice.c) is here: VIOLATED.
int
fg_rules_p8 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "P8", FG_TIER_TOWNSHIP, "node",
        "WITH latest AS (SELECT p.id, p.org_id, p.version FROM pairing_plan p "
        "    WHERE p.voided = 0 AND (substr (p.org_id, 1, length (?1)) = ?1 OR p.org_id = CAST (substr (?1, 1, 6) AS INTEGER)) "
        "    AND p.version = (SELECT max (q.version) FROM pairing_plan q WHERE q.org_id = p.org_id "
        "                     AND q.voided = 0)), "
        "  issued AS (SELECT l.*, d.id AS directive, (d.created_hlc >> 16) / 86400000 AS day FROM latest l "
        "    JOIN directive d ON d.payload_ref = 'pairing_plan:' || l.id AND d.voided = 0), "
        "  owed AS (SELECT i.*, n.node_id, n.org, n.name, "
        "      (SELECT a.state || ':' || coalesce (a.reason, '') FROM directive_ack a "
        "       WHERE a.directive_id = i.directive AND a.node_id = n.node_id AND a.voided = 0 "
        "       ORDER BY a.created_hlc DESC, a.id DESC LIMIT 1) AS ack "
        "    FROM issued i JOIN node n ON n.tier = 'township' AND coalesce (n.status, 'active') = 'active' "
        "    AND substr (n.org, 1, 6) = substr (i.org_id, 1, 6) AND substr (n.org, 1, length (?1)) = ?1) "
        "SELECT node_id, org, printf ('plan v%d', version), day + ?3, "
        "  CASE WHEN ack IS NULL THEN printf ('%s (%s) has not acknowledged version %d of the pairing plan of "
        "       county %s, issued %s, within %d days (T_ack)', name, org, version, org_id, "
        "       " FG_RULES_DATE ("day") ", ?3) "
        "  ELSE printf ('%s (%s) refused version %d of the pairing plan of county %s: %s', name, org, version, "
        "       org_id, substr (ack, 9)) END, ack IS NULL "
        "FROM owed WHERE (ack IS NULL AND day + ?3 < ?2) OR ack LIKE 'refused:%' ORDER BY org, node_id",
        (int64_t []) { fg_rules__param (eval, "t_ack_days") }, 1);
}
