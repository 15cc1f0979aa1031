/*  fg_rules_d.c - sunshine disclosure, DOMAIN.md §3.8: D2 (a project that
    must be disclosed has a disclosure posted before its first spend, and
    one after it is completed, each up for at least d2_posted_days). D1
    and D3 are registered, not yet written. */
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
