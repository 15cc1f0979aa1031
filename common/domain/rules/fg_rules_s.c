/*  fg_rules_s.c - assessment, DOMAIN.md §3.8: S2 (the weights of an
    assessment's dimensions sum to 1, here 1000 per mille; each lies in
    0..1000). HARD: an assessment row that would take its subject's sum
    past 1000 is refused on ingest and at the desk
    (fg_rules__ingest_assessment); what is held is reported here: a sum
    over 1000, or a complete assessment (three dimensions) whose sum is
    not 1000. S1 is registered, not yet written. */
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
