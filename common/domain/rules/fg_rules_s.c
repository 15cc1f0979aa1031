/*  fg_rules_s.c - assessment, DOMAIN.md §3.8: S2 (the weights of an
    assessment's dimensions sum to 1, here 1000 per mille; each lies in
    0..1000). HARD: an assessment row that would take its subject's sum
    past 1000 is refused on ingest and at the desk
    (fg_rules__ingest_assessment); what is held is reported here: a sum
    over 1000, or a complete assessment (three dimensions) whose sum is
    not 1000. S1 (year-end assessments of the departments, with the
    responses of the mass dimension) below it. */
#include "fg_rules_int.h"

int
fg_rules_s2 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "S2", FG_TIER_HUB, "assessment",
        "SELECT min (a.id), a.org_id, printf ('%s %d', a.cycle, coalesce (a.cycle_year, 0)), NULL, "
        "  printf ('%s %s: the weights of its %d dimension(s) sum to %d per mille, not 1000', a.subject_kind, "
        "          coalesce (a.subject_id, a.org_id), count (DISTINCT a.dimension), sum (coalesce (a.weight_permille, 0))), 0 "
        "FROM assessment a WHERE substr (a.org_id, 1, length (?1)) = ?1 AND a.voided = 0 "
        "GROUP BY a.subject_kind, coalesce (a.subject_id, a.org_id), a.org_id, a.cycle, a.cycle_year "
        "HAVING sum (coalesce (a.weight_permille, 0)) > 1000 "
        "  OR (count (DISTINCT a.dimension) = 3 AND sum (coalesce (a.weight_permille, 0)) != 1000) "
        "ORDER BY a.org_id, 1", NULL, 0);
}

//  S1: every county and prefecture department (work_unit of that level,
//  existing in the year) has a year-end assessment of the last year whose
//  due day (December 31 + s1_days) has passed, with all three dimensions
//  (written by the county or the prefecture: missing, it may not have
//  arrived), and its mass dimension rests on at least N responses from
//  contact objects (households or units, written at the townships) dated
//  in that year or up to the due day: N = min (s1_mass_min, 5 % of the
//  households its cadres were paired with in the year, rounded up).
int
fg_rules_s1 (fg_rule_eval_t *eval)
{
    int64_t s1_days = fg_rules__param (eval, "s1_days");
    int year, month, mday;
    fg_rules__ymd (eval->day - s1_days, &year, &month, &mday);
    year--;                                  //  the last year whose due day has passed
    int64_t first = fg_rules__day (year, 1, 1), last = fg_rules__day (year + 1, 1, 1) - 1;
    int64_t params [6] = { year, last + s1_days, first, last, fg_rules__param (eval, "s1_mass_min"),
                           fg_rules__param (eval, "s1_mass_permille") };
    //  ?3 year, ?4 due, ?5 January 1, ?6 December 31, ?7 N's floor, ?8 N's share
#define S_DEPARTMENTS \
    "SELECT w.*, (SELECT count (DISTINCT a.dimension) FROM assessment a " \
    "    WHERE a.subject_kind IN ('county_department', 'prefecture_department') AND a.subject_id = w.id " \
    "    AND a.cycle = 'year_end' AND a.cycle_year = ?3 AND a.voided = 0) AS dimensions " \
    "FROM work_unit w WHERE substr (w.org_id, 1, length (?1)) = ?1 AND w.level IN ('county', 'prefecture') " \
    "AND (w.valid_from IS NULL OR w.valid_from <= ?6) AND (w.valid_to IS NULL OR w.valid_to > ?5) AND ?4 < ?2"
    int rc = fg_rules__query (eval, "S1", FG_TIER_HUB, "work_unit",
        "SELECT id, org_id, printf ('%d', ?3), ?4, "
        "  printf ('%s (%s department): the year-end assessment of %d has %d of the 3 dimensions, due by %s', "
        "          name, level, ?3, dimensions, " FG_RULES_DATE ("?4") "), 1 "
        "FROM (" S_DEPARTMENTS ") WHERE dimensions < 3 ORDER BY org_id, id", params, 6);
    if (rc == 0)
        rc = fg_rules__query (eval, "S1", FG_TIER_TOWNSHIP, "work_unit",
        "WITH paired AS (SELECT c.work_unit_id AS unit, count (DISTINCT p.household_id) AS households "
        "    FROM pairing p JOIN cadre c ON c.id = p.cadre_id WHERE c.work_unit_id IS NOT NULL "
        "    AND coalesce (p.role, 'primary') = 'primary' AND (p.start_on IS NULL OR p.start_on <= ?6) "
        "    AND (p.end_on IS NULL OR p.end_on > ?5) GROUP BY c.work_unit_id), "
        "  owed AS (SELECT w.*, min (?7, (coalesce (paired.households, 0) * ?8 + 999) / 1000) AS needed, "
        "      (SELECT count(*) FROM mass_evaluation_response r WHERE r.about_unit_id = w.id AND r.voided = 0 "
        "       AND (r.household_id IS NOT NULL OR r.unit_id IS NOT NULL) "
        "       AND r.occurred_on BETWEEN ?5 AND ?4) AS responses "
        "    FROM (" S_DEPARTMENTS ") w LEFT JOIN paired ON paired.unit = w.id WHERE w.dimensions = 3) "
        "SELECT id, org_id, printf ('%d', ?3), ?4, "
        "  printf ('%s (%s department): the mass dimension of %d rests on %d responses from contact objects, "
        "          %d needed', name, level, ?3, responses, needed), 1 "
        "FROM owed WHERE responses < needed ORDER BY org_id, id", params, 6);
#undef S_DEPARTMENTS
    return rc;
}
