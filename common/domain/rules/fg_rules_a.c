/*  fg_rules_a.c - appeals, DOMAIN.md §3.5: A2 (accepted within 15 days of
    receipt; resolved within 60 days of assignment, plus one extension of
    at most 30), A3 (a resolved appeal gets feedback), A4 (a disclosure
    objection opens an appeal within 3 days). A1 is the fold of the
    workflow (fg_catalogue.c: an event by a node that does not own the
    case at that point is kept, marked rejected). Events the fold
    rejected do not count. Appeals are recorded anywhere: every tier's log
    may hold the evidence. */
#include "fg_rules_int.h"

#define S_FIRST(t) \
    "(SELECT min (e.occurred_on) FROM appeal_event e WHERE e.appeal_id = a.id AND e.transition = '" t "' " \
    " AND coalesce (e.rejected, 0) = 0)"

//  ?3 accept days, ?4 resolve days, ?5 the most one extension adds
int
fg_rules_a2 (fg_rule_eval_t *eval)
{
    int64_t params [3] = { fg_rules__param (eval, "a2_accept_days"), fg_rules__param (eval, "a2_resolve_days"),
                           fg_rules__param (eval, "a2_extend_max_days") };
    int rc = fg_rules__query (eval, "A2", FG_TIER_ANY, "appeal",
        "SELECT a.id, a.org_id, " FG_RULES_DATE ("a.received_on") ", a.received_on + ?3, "
        "  CASE WHEN r IS NULL THEN printf ('received %s, not accepted (registered) within %d days', "
        "       " FG_RULES_DATE ("a.received_on") ", ?3) "
        "  ELSE printf ('received %s, registered %s: more than %d days', " FG_RULES_DATE ("a.received_on") ", "
        "       " FG_RULES_DATE ("r") ", ?3) END, r IS NULL "
        "FROM (SELECT a.*, " S_FIRST ("register") " AS r FROM appeal a) a "
        "WHERE substr (a.org_id, 1, length (?1)) = ?1 AND a.received_on IS NOT NULL "
        "AND coalesce (a.state, '') NOT IN ('MERGED', 'WITHDRAWN') "
        "AND ((r IS NULL AND a.state = 'RECEIVED' AND a.received_on + ?3 < ?2) OR r > a.received_on + ?3) "
        "ORDER BY a.org_id, a.id", params, 3);
    if (rc == 0)
        rc = fg_rules__query (eval, "A2", FG_TIER_ANY, "appeal",
        "SELECT a.id, a.org_id, " FG_RULES_DATE ("g") ", g + ?4 + x, "
        "  CASE WHEN s IS NULL THEN printf ('assigned %s, not resolved within %d days', " FG_RULES_DATE ("g") ", "
        "       ?4 + x) "
        "  ELSE printf ('assigned %s, resolved %s: more than %d days', " FG_RULES_DATE ("g") ", "
        "       " FG_RULES_DATE ("s") ", ?4 + x) END, s IS NULL "
        "FROM (SELECT a.*, " S_FIRST ("assign") " AS g, " S_FIRST ("resolve") " AS s, "
        "      min (?5, coalesce ((SELECT max (e.extend_days) FROM appeal_event e WHERE e.appeal_id = a.id "
        "          AND e.transition = 'extend' AND coalesce (e.rejected, 0) = 0), 0)) AS x FROM appeal a) a "
        "WHERE substr (a.org_id, 1, length (?1)) = ?1 AND g IS NOT NULL "
        "AND coalesce (a.state, '') NOT IN ('MERGED', 'WITHDRAWN') "
        "AND ((s IS NULL AND g + ?4 + x < ?2) OR s > g + ?4 + x) ORDER BY a.org_id, a.id", params, 3);
    return rc;
}

int
fg_rules_a3 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "A3", FG_TIER_ANY, "appeal",
        "SELECT a.id, a.org_id, " FG_RULES_DATE ("s") ", s + ?3, "
        "  printf ('resolved %s, no feedback to the appellant within %d days', " FG_RULES_DATE ("s") ", ?3), 1 "
        "FROM (SELECT a.*, " S_FIRST ("resolve") " AS s FROM appeal a) a "
        "WHERE substr (a.org_id, 1, length (?1)) = ?1 AND a.state = 'RESOLVED' AND s IS NOT NULL "
        "AND s + ?3 < ?2 ORDER BY a.org_id, a.id",
        (int64_t []) { fg_rules__param (eval, "a3_feedback_days") }, 1);
}

int
fg_rules_a4 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "A4", FG_TIER_ANY, "disclosure_objection",
        "SELECT o.id, o.org_id, " FG_RULES_DATE ("o.occurred_on") ", o.occurred_on + ?3, "
        "  CASE WHEN a.id IS NULL THEN printf ('objection of %s: no appeal within %d days', "
        "       " FG_RULES_DATE ("o.occurred_on") ", ?3) "
        "  ELSE printf ('objection of %s: appeal received %s, more than %d days later', "
        "       " FG_RULES_DATE ("o.occurred_on") ", " FG_RULES_DATE ("a.received_on") ", ?3) END, a.id IS NULL "
        "FROM disclosure_objection o LEFT JOIN appeal a ON a.id = o.appeal_id "
        "WHERE substr (o.org_id, 1, length (?1)) = ?1 AND o.voided = 0 "
        "AND ((a.id IS NULL AND o.occurred_on + ?3 < ?2) OR a.received_on > o.occurred_on + ?3) "
        "ORDER BY o.org_id, o.id", (int64_t []) { fg_rules__param (eval, "a4_days") }, 1);
}
