/*  fg_rules_b.c - party branches, DOMAIN.md §3.6: B1 (county and
    township organ, enterprise and institution branches have 1 or 2
    village pairings), B2 (prefecture ones exactly 1), B3 (a prefecture
    branch pairing ends no sooner than 3 years after its start, unless a
    prefecture directive overrides it), B4 (every farming or herding
    village branch is paired), B5 (the letter is signed within 30 days).
    B3's other half, that village_branch_id never changes, needs the
    history of the row: a registry row keeps only its last value. */
#include "fg_rules_int.h"

#define S_ACTIVE_ON(x, day) \
    "(" x ".start_on IS NULL OR " x ".start_on <= " day ") AND (" x ".end_on IS NULL OR " x ".end_on > " day ")"
#define S_BRANCH_ACTIVE(b) \
    "coalesce (" b ".status, 'active') = 'active' AND (" b ".valid_from IS NULL OR " b ".valid_from <= ?2) " \
    "AND (" b ".valid_to IS NULL OR " b ".valid_to > ?2)"

//  Organ branches of the levels given whose pairings are outside lo..hi
static int
s_organ_pairings (fg_rule_eval_t *eval, const char *rule, const char *levels, int64_t lo, int64_t hi)
{
    char sql [2048];
    snprintf (sql, sizeof sql,
        "SELECT b.id, b.org_id, " FG_RULES_DATE ("?2") ", ?2 - 1 - ?3, "
        "  printf ('%%s (%%s %%s branch) has %%d active village pairings, %%d to %%d required', b.name, b.level, "
        "          b.kind, n, ?4, ?5), n < ?4 "
        "FROM (SELECT b.*, (SELECT count(*) FROM branch_pairing p WHERE p.organ_branch_id = b.id "
        "        AND " S_ACTIVE_ON ("p", "?2") ") AS n FROM party_branch b) b "
        "WHERE substr (b.org_id, 1, length (?1)) = ?1 AND b.level IN (%s) "
        "AND b.kind IN ('organ', 'enterprise', 'institution') AND " S_BRANCH_ACTIVE ("b") " "
        "AND (n < ?4 OR n > ?5) ORDER BY b.org_id, b.id", levels);
    return fg_rules__query (eval, rule, FG_TIER_HUB, "party_branch", sql,
                            (int64_t []) { fg_rules__param (eval, "grace_days"), lo, hi }, 3);
}

int
fg_rules_b1 (fg_rule_eval_t *eval)
{
    return s_organ_pairings (eval, "B1", "'county', 'township'", 1, 2);
}

int
fg_rules_b2 (fg_rule_eval_t *eval)
{
    return s_organ_pairings (eval, "B2", "'prefecture'", 1, 1);
}

int
fg_rules_b3 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "B3", FG_TIER_PREFECTURE, "branch_pairing",
        "SELECT p.id, p.org_id, " FG_RULES_DATE ("p.start_on") ", NULL, "
        "  printf ('pairing of prefecture branch %s ended on %s, before %s (3 years), without an override "
        "directive', o.name, " FG_RULES_DATE ("p.end_on") ", " FG_RULES_DATE ("p.start_on + ?3") "), 0 "
        "FROM branch_pairing p JOIN party_branch o ON o.id = p.organ_branch_id "
        "WHERE substr (p.org_id, 1, length (?1)) = ?1 AND o.level = 'prefecture' "
        "AND p.end_on IS NOT NULL AND p.start_on IS NOT NULL AND p.end_on < p.start_on + ?3 "
        "AND p.override_directive_id IS NULL ORDER BY p.org_id, p.id",
        (int64_t []) { fg_rules__param (eval, "b3_lock_days") }, 1);
}

int
fg_rules_b4 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "B4", FG_TIER_HUB, "party_branch",
        "SELECT b.id, b.org_id, " FG_RULES_DATE ("?2") ", ?2 - 1 - ?3, "
        "  printf ('%s (%s) has no paired organ branch', b.name, b.kind), 1 "
        "FROM party_branch b WHERE substr (b.org_id, 1, length (?1)) = ?1 "
        "AND b.kind IN ('agricultural_village', 'pastoral_village') AND " S_BRANCH_ACTIVE ("b") " "
        "AND NOT EXISTS (SELECT 1 FROM branch_pairing p WHERE p.village_branch_id = b.id "
        "    AND " S_ACTIVE_ON ("p", "?2") ") ORDER BY b.org_id, b.id",
        (int64_t []) { fg_rules__param (eval, "grace_days") }, 1);
}

int
fg_rules_b5 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "B5", FG_TIER_HUB, "branch_pairing",
        "SELECT p.id, p.org_id, " FG_RULES_DATE ("p.start_on") ", p.start_on + ?3, "
        "  CASE WHEN p.letter_signed_on IS NULL THEN printf ('no signed co-construction letter %d days after "
        "the start (%s)', ?3, " FG_RULES_DATE ("p.start_on") ") "
        "  ELSE printf ('letter signed on %s, more than %d days after the start (%s)', "
        "       " FG_RULES_DATE ("p.letter_signed_on") ", ?3, " FG_RULES_DATE ("p.start_on") ") END, "
        "  p.letter_signed_on IS NULL "
        "FROM branch_pairing p WHERE substr (p.org_id, 1, length (?1)) = ?1 AND p.start_on IS NOT NULL "
        "AND ((p.letter_signed_on IS NULL AND p.start_on + ?3 < ?2) OR p.letter_signed_on > p.start_on + ?3) "
        "ORDER BY p.org_id, p.id", (int64_t []) { fg_rules__param (eval, "b5_days") }, 1);
}
