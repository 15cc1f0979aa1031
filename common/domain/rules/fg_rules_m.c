/*  fg_rules_m.c - visits and the six must-visit rule, DOMAIN.md §3.4: M1
    (every trigger answered in its window), M2 (k visits per pairing per
    quarter), M3 (a visit's date, cadre and pairing: HARD, checked on every
    entry by fg_rules__ingest_visit and reported here for what is held),
    M4 (focus households at focus_factor times k).

    A visit that counts is in person (in_person not 0, kind not phone) and
    not void. A visit by a cadre whose pair has since ended still counts
    for the household (§4.7, visit_by_former_pair). */
#include "fg_rules_int.h"

#define S_COUNTS(v) \
    v ".voided = 0 AND coalesce (" v ".in_person, 1) != 0 AND coalesce (" v ".kind, '') != 'phone' " \
    "AND " v ".target_kind = 'household'"
#define S_IN_SCOPE(alias) "substr (" alias ".org_id, 1, length (?1)) = ?1"

//  The window of a category: its parameter (window_CATEGORY, days)
static int64_t
s_window (fg_rule_eval_t *eval, const char *category)
{
    char name [64];
    snprintf (name, sizeof name, "window_%s", category);
    const fg_rule_param_t *defaults = fg_rules_param_defaults ();
    for (size_t i = 0; defaults [i].name; i++)
        if (streq (defaults [i].name, name))
            return fg_rules__param (eval, name);
    return fg_rules__param (eval, "window_seriously_ill");
}

//  M1: for every trigger t (not void) whose window closed before the day:
//  an in-person visit to t's household, of t's category or answering t,
//  dated in [t.occurred_on, due] where due is t.due_by if recorded, else
//  occurred_on + W(category) (a festival: [day - festival_lead_days,
//  day + W]); with m1_paired_visitor, by a cadre paired (now or before)
//  with the household, or by a team the paired cadre leads or belongs to,
//  unless nobody was ever paired with it. Missing: due by `due`.
int
fg_rules_m1 (fg_rule_eval_t *eval)
{
    sqlite3_stmt *stmt = fg_rules__prepare (eval,
        "SELECT t.id, t.org_id, t.household_id, t.category, t.occurred_on, t.due_by FROM must_visit_trigger t "
        "WHERE " S_IN_SCOPE ("t") " AND t.voided = 0 AND t.occurred_on < ?2 ORDER BY t.org_id, t.id");
    sqlite3_stmt *visit = fg_rules__prepare (eval,
        "SELECT count(*) FROM visit v WHERE v.target_id = ?1 AND " S_COUNTS ("v") " "
        "AND (v.must_visit_category = ?2 OR v.trigger_id = ?3) AND v.occurred_on BETWEEN ?4 AND ?5 "
        "AND (?6 = 0 OR NOT EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = ?1) "
        "     OR EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = ?1 AND ("
        "         p.cadre_id = v.cadre_id OR EXISTS (SELECT 1 FROM work_team w WHERE w.id = v.team_id "
        "             AND (w.leader_cadre_id = p.cadre_id OR ',' || replace (coalesce (w.member_ids, ''), ' ', '') "
        "                  || ',' LIKE '%,' || p.cadre_id || ',%')))) "
        "     OR EXISTS (SELECT 1 FROM pairing_provisional q WHERE q.household_id = ?1 AND q.voided = 0 "
        "         AND q.cadre_id = v.cadre_id))");
    if (!stmt || !visit) {
        sqlite3_finalize (stmt);
        sqlite3_finalize (visit);
        return -1;
    }
    sqlite3_bind_text (stmt, 1, eval->prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, eval->day);
    int64_t paired_only = fg_rules__param (eval, "m1_paired_visitor");
    int64_t lead = fg_rules__param (eval, "festival_lead_days");
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        uint64_t id = (uint64_t) sqlite3_column_int64 (stmt, 0);
        const char *category = fg_rules__text (stmt, 3);
        int64_t occurred = sqlite3_column_int64 (stmt, 4);
        int64_t window = s_window (eval, category);
        bool festival = streq (category, "major_festival");
        int64_t first = festival ? occurred - lead : occurred;
        int64_t due = sqlite3_column_type (stmt, 5) != SQLITE_NULL ? sqlite3_column_int64 (stmt, 5)
                                                                   : occurred + window;
        if (due >= eval->day)
            continue;                //  the window is still open
        sqlite3_reset (visit);
        sqlite3_bind_int64 (visit, 1, sqlite3_column_int64 (stmt, 2));
        sqlite3_bind_text (visit, 2, category, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64 (visit, 3, (sqlite3_int64) id);
        sqlite3_bind_int64 (visit, 4, first);
        sqlite3_bind_int64 (visit, 5, due);
        sqlite3_bind_int64 (visit, 6, paired_only);
        int found = sqlite3_step (visit);
        if (found != SQLITE_ROW) {
            rc = fg_rules__fail (eval, "cannot read visits");
            break;
        }
        if (sqlite3_column_int64 (visit, 0) > 0)
            continue;
        char from [16], to [16];
        fg_date_format (first, from);
        fg_date_format (due, to);
        rc = fg_rules__absent (eval, "M1", FG_TIER_ANY, "must_visit_trigger", id, fg_rules__text (stmt, 1), to, due,
                               "%s of household %lld: no in-person visit%s from %s to %s",
                               category, (long long) sqlite3_column_int64 (stmt, 2),
                               paired_only ? " by its paired cadre (anyone's if it has none)" : "", from, to);
    }
    sqlite3_finalize (visit);
    return fg_rules__done (eval, stmt, rc, step);
}

//  Visits to a household in a quarter: M2 counts the paired cadre's (or
//  those naming the pairing), M4 everyone's.
static int
s_quarter (fg_rule_eval_t *eval, const char *rule)
{
    int64_t first, last;
    char quarter [16];
    fg_rules__last_quarter (eval->day, &first, &last, quarter);
    int64_t k = fg_rules__param (eval, "visits_per_quarter");
    bool m4 = streq (rule, "M4");
    if (m4)
        k *= fg_rules__param (eval, "focus_factor");
    sqlite3_stmt *stmt = fg_rules__prepare (eval, m4
      ? "SELECT h.id, h.org_id, (SELECT count(*) FROM visit v WHERE v.target_id = h.id AND " S_COUNTS ("v")
        "   AND v.occurred_on BETWEEN ?2 AND ?3) AS visits, "
        "  (coalesce (h.needy, 0) OR coalesce (h.demonstration, 0)) AS flagged "
        "FROM household h WHERE " S_IN_SCOPE ("h") " AND coalesce (h.status, 'active') = 'active' "
        "AND (coalesce (h.needy, 0) OR coalesce (h.demonstration, 0) "
        "     OR EXISTS (SELECT 1 FROM appeal a WHERE a.appellant_household_id = h.id "
        "                AND coalesce (a.state, '') NOT IN ('CLOSED_SATISFIED', 'MERGED', 'WITHDRAWN'))) "
        "AND EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = h.id "
        "            AND coalesce (p.role, 'primary') = 'primary' "
        "            AND (p.start_on IS NULL OR p.start_on <= ?2) AND (p.end_on IS NULL OR p.end_on > ?3)) "
        "AND visits < ?4 ORDER BY h.org_id, h.id"
      : "SELECT p.id, p.org_id, (SELECT count(*) FROM visit v WHERE v.target_id = p.household_id AND "
        S_COUNTS ("v") " AND (v.cadre_id = p.cadre_id OR v.pairing_id = p.id) "
        "   AND v.occurred_on BETWEEN ?2 AND ?3) AS visits, p.household_id "
        "FROM pairing p WHERE " S_IN_SCOPE ("p") " AND coalesce (p.role, 'primary') = 'primary' "
        "AND (p.start_on IS NULL OR p.start_on <= ?2) AND (p.end_on IS NULL OR p.end_on > ?3) "
        "AND visits < ?4 ORDER BY p.org_id, p.id");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, eval->prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, first);
    sqlite3_bind_int64 (stmt, 3, last);
    sqlite3_bind_int64 (stmt, 4, k);
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        long long visits = sqlite3_column_int64 (stmt, 2);
        if (m4)
            rc = fg_rules__absent (eval, rule, FG_TIER_ANY, "household", (uint64_t) sqlite3_column_int64 (stmt, 0),
                                   fg_rules__text (stmt, 1), quarter, last,
                                   "focus household (%s): %lld in-person visits in %s, %lld due",
                                   sqlite3_column_int (stmt, 3) ? "needy or demonstration" : "open appeal",
                                   visits, quarter, (long long) k);
        else
            rc = fg_rules__absent (eval, rule, FG_TIER_ANY, "pairing", (uint64_t) sqlite3_column_int64 (stmt, 0),
                                   fg_rules__text (stmt, 1), quarter, last,
                                   "household %lld: %lld in-person visits by its cadre in %s, %lld due",
                                   (long long) sqlite3_column_int64 (stmt, 3), visits, quarter, (long long) k);
    }
    return fg_rules__done (eval, stmt, rc, step);
}

int
fg_rules_m2 (fg_rule_eval_t *eval)
{
    return s_quarter (eval, "M2");
}

int
fg_rules_m4 (fg_rule_eval_t *eval)
{
    return s_quarter (eval, "M4");
}

//  M3 over what is held (entries taken before the rule, or from an older
//  version): a visit naming a pairing of another household, or by a cadre
//  who had left (transferred, retired, deceased) by its date.
int
fg_rules_m3 (fg_rule_eval_t *eval)
{
    sqlite3_stmt *stmt = fg_rules__prepare (eval,
        "SELECT v.id, v.org_id, v.occurred_on, "
        "  (SELECT p.household_id FROM pairing p WHERE p.id = v.pairing_id) AS paired_household, v.target_id, "
        "  c.status, c.status_from "
        "FROM visit v LEFT JOIN cadre c ON c.id = v.cadre_id "
        "WHERE " S_IN_SCOPE ("v") " AND v.voided = 0 AND ("
        "  (v.target_kind = 'household' AND paired_household IS NOT NULL AND paired_household != v.target_id) "
        "  OR (c.status IN ('transferred', 'retired', 'deceased') AND coalesce (c.status_from, 0) <= v.occurred_on)) "
        "ORDER BY v.org_id, v.id");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, eval->prefix, -1, SQLITE_TRANSIENT);
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        char date [16];
        fg_date_format (sqlite3_column_int64 (stmt, 2), date);
        if (sqlite3_column_type (stmt, 3) != SQLITE_NULL
        &&  sqlite3_column_int64 (stmt, 3) != sqlite3_column_int64 (stmt, 4))
            rc = fg_rules__violated (eval, "M3", "visit", (uint64_t) sqlite3_column_int64 (stmt, 0),
                                     fg_rules__text (stmt, 1), date, 0,
                                     "names a pairing of household %lld, not of the household visited (%lld)",
                                     (long long) sqlite3_column_int64 (stmt, 3),
                                     (long long) sqlite3_column_int64 (stmt, 4));
        else
            rc = fg_rules__violated (eval, "M3", "visit", (uint64_t) sqlite3_column_int64 (stmt, 0),
                                     fg_rules__text (stmt, 1), date, 0, "by a cadre %s before %s",
                                     fg_rules__text (stmt, 5), date);
    }
    return fg_rules__done (eval, stmt, rc, step);
}
