/*  fg_rules_c.c - commendation, DOMAIN.md §3.8: C1 (awards within the
    year's quota per category) and C2 (awards in the year's window, once
    per person and category, to a holder of the category's role); both
    HARD: the prefecture's award is refused at its desk
    (fg_rules__ingest_award) and what is held is reported here. The "126
    11" quotas and the July window come from the year's
    commendation_cycle (highest version), else from the parameters. The
    fourth clause of C2: the nominee's unit (its county or township, or
    its work unit) has no "poor" year-end grade in Y-1. */
#include "fg_rules_int.h"

//  Awarded nominations with their award (first award event the fold
//  took), its rank in its (year, category) and per nominee, the quota and
//  the window: ?3..?7 the default quotas.
#define S_AWARDS \
    "WITH award AS (SELECT e.nomination_id, min (e.occurred_on) AS on_day, min (e.created_hlc) AS at " \
    "    FROM nomination_event e WHERE e.transition = 'award' AND coalesce (e.rejected, 0) = 0 " \
    "    GROUP BY e.nomination_id), " \
    "  cycle AS (SELECT * FROM commendation_cycle c1 WHERE c1.version = (SELECT max (c2.version) " \
    "    FROM commendation_cycle c2 WHERE c2.year = c1.year)), " \
    "  a AS (SELECT n.*, award.on_day, " \
    "      row_number () OVER (PARTITION BY n.year, n.category ORDER BY award.at, n.id) AS nth, " \
    "      row_number () OVER (PARTITION BY n.year, n.category, n.nominee_cadre_id ORDER BY award.at, n.id) AS again, " \
    "      CASE n.category " \
    "        WHEN 'county_party_secretary' THEN coalesce (cy.quota_county_party_secretary, ?3) " \
    "        WHEN 'county_magistrate' THEN coalesce (cy.quota_county_magistrate, ?4) " \
    "        WHEN 'township_party_secretary' THEN coalesce (cy.quota_township_party_secretary, ?5) " \
    "        WHEN 'township_head' THEN coalesce (cy.quota_township_head, ?6) " \
    "        WHEN 'village_branch_secretary' THEN coalesce (cy.quota_village_branch_secretary, ?7) " \
    "        ELSE NULL END AS quota, " \
    "      coalesce (cy.window_start, CAST (julianday (printf ('%04d-07-01', n.year)) - 2440587.5 AS INTEGER)) AS w0, " \
    "      coalesce (cy.window_end, CAST (julianday (printf ('%04d-07-31', n.year)) - 2440587.5 AS INTEGER)) AS w1 " \
    "    FROM nomination n JOIN award ON award.nomination_id = n.id " \
    "    LEFT JOIN cycle cy ON cy.year = n.year) "

static int
s_awards (fg_rule_eval_t *eval, const char *rule, const char *select)
{
    char *sql = fg_strdupf ("%s%s", S_AWARDS, select);
    const char *names [] = { "quota_county_party_secretary", "quota_county_magistrate",
                             "quota_township_party_secretary", "quota_township_head",
                             "quota_village_branch_secretary" };
    int64_t quotas [5];
    for (int i = 0; i < 5; i++)
        quotas [i] = fg_rules__param (eval, names [i]);
    int rc = fg_rules__query (eval, rule, FG_TIER_PREFECTURE, "nomination", sql, quotas, 5);
    free (sql);
    return rc;
}

int
fg_rules_c1 (fg_rule_eval_t *eval)
{
    return s_awards (eval, "C1",
        "SELECT a.id, a.org_id, a.year, NULL, printf ('award %d of %s in %d, over the quota of %d', a.nth, "
        "  a.category, a.year, a.quota), 0 FROM a "
        "WHERE substr (a.org_id, 1, length (?1)) = ?1 AND a.quota IS NOT NULL AND a.nth > a.quota "
        "ORDER BY a.org_id, a.id");
}

int
fg_rules_c2 (fg_rule_eval_t *eval)
{
    return s_awards (eval, "C2",
        "SELECT a.id, a.org_id, a.year, NULL, "
        "  CASE WHEN a.on_day NOT BETWEEN a.w0 AND a.w1 "
        "    THEN printf ('awarded on %s, outside the window %s to %s', " FG_RULES_DATE ("a.on_day") ", "
        "                 " FG_RULES_DATE ("a.w0") ", " FG_RULES_DATE ("a.w1") ") "
        "  WHEN a.again > 1 THEN printf ('cadre %d already awarded as %s in %d', a.nominee_cadre_id, a.category, a.year) "
        "  WHEN poor IS NOT NULL THEN printf ('the unit of cadre %d (%s) was graded poor in the year-end assessment "
        "       of %d', a.nominee_cadre_id, poor, a.year - 1) "
        "  ELSE printf ('cadre %d does not hold the role of %s', a.nominee_cadre_id, a.category) END, 0 "
        "FROM (SELECT a.*, (SELECT g.subject_kind || ' ' || coalesce (g.subject_id, g.org_id) FROM assessment g "
        "      JOIN cadre c ON c.id = a.nominee_cadre_id WHERE " FG_RULES_POOR_GRADE ("g", "c", "a.year") " LIMIT 1) "
        "      AS poor FROM a) a LEFT JOIN cadre c ON c.id = a.nominee_cadre_id "
        "WHERE substr (a.org_id, 1, length (?1)) = ?1 AND (a.on_day NOT BETWEEN a.w0 AND a.w1 "
        "  OR (a.nominee_cadre_id IS NOT NULL AND a.again > 1) OR poor IS NOT NULL "
        "  OR (c.id IS NOT NULL AND a.category IN ('county_party_secretary', 'county_magistrate', "
        "      'township_party_secretary', 'township_head', 'village_branch_secretary') "
        "      AND ',' || replace (coalesce (c.roles, ''), ' ', '') || ',' NOT LIKE '%,' || "
        "        CASE a.category WHEN 'county_party_secretary' THEN 'county_secretary' "
        "          WHEN 'township_party_secretary' THEN 'township_secretary' ELSE a.category END || ',%')) "
        "ORDER BY a.org_id, a.id");
}
