/*  fg_rules_t.c - temples and churches, DOMAIN.md §3.2: T1 (every
    registered site has a contact at or above deputy county), T3
    (prefecture leaders contact exactly one site), T4 (two visits a year),
    T5 (a county contact's site is in the cadre's county), T6 (the
    monastic archive matches the resident count), T7 (the five links are
    recorded), T2 (every representative is covered). A cadre is at or above
    deputy county when its rank is prefecture_* or county_*. */
#include "fg_rules_int.h"

#define S_LEADING(c) "(" c ".rank LIKE 'prefecture\\_%' ESCAPE '\\' OR " c ".rank LIKE 'county\\_%' ESCAPE '\\')"
#define S_ACTIVE_ON(x, day) \
    "(" x ".start_on IS NULL OR " x ".start_on <= " day ") AND (" x ".end_on IS NULL OR " x ".end_on > " day ")"
#define S_SITE_IN_SCOPE "substr (s.org_id, 1, length (?1)) = ?1"

//  T1: contacts are written by the county or the prefecture
int
fg_rules_t1 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "T1", FG_TIER_HUB, "religious_site",
        "SELECT s.id, s.org_id, " FG_RULES_DATE ("?2") ", ?2 - 1 - ?3, "
        "  printf ('%s: registered, no active contact at or above deputy county', s.name), 1 "
        "FROM religious_site s WHERE " S_SITE_IN_SCOPE " AND coalesce (s.registered, 0) "
        "AND coalesce (s.status, 'active') = 'active' "
        "AND NOT EXISTS (SELECT 1 FROM temple_contact tc JOIN cadre c ON c.id = tc.cadre_id "
        "    WHERE tc.site_id = s.id AND " S_ACTIVE_ON ("tc", "?2") " AND " S_LEADING ("c") ") "
        "ORDER BY s.org_id, s.id", (int64_t []) { fg_rules__param (eval, "grace_days") }, 1);
}

//  T3: a cadre whose roles name prefecture_leader or
//  prefecture_department_principal has exactly one active contact
int
fg_rules_t3 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "T3", FG_TIER_PREFECTURE, "cadre",
        "SELECT c.id, c.org_id, " FG_RULES_DATE ("?2") ", ?2 - 1 - ?3, "
        "  printf ('%s (%s) has %d active temple contacts, exactly 1 required', c.name, c.roles, n), n = 0 "
        "FROM (SELECT c.*, (SELECT count(*) FROM temple_contact tc WHERE tc.cadre_id = c.id "
        "        AND " S_ACTIVE_ON ("tc", "?2") ") AS n FROM cadre c) c "
        "WHERE substr (c.org_id, 1, length (?1)) = ?1 AND coalesce (c.status, 'active') = 'active' "
        "AND (',' || replace (coalesce (c.roles, ''), ' ', '') || ',' LIKE '%,prefecture_leader,%' "
        "     OR ',' || replace (coalesce (c.roles, ''), ' ', '') || ',' LIKE '%,prefecture_department_principal,%') "
        "AND n != 1 ORDER BY c.org_id, c.id", (int64_t []) { fg_rules__param (eval, "grace_days") }, 1);
}

//  T4: a contact active through the last calendar year entered its site
//  t4_visits times in it (engagements kind visit by its cadre at its site,
//  or naming the contact); engagements are written anywhere
int
fg_rules_t4 (fg_rule_eval_t *eval)
{
    int year, month, mday;
    fg_rules__ymd (eval->day, &year, &month, &mday);
    int64_t first = fg_rules__day (year - 1, 1, 1), last = fg_rules__day (year, 1, 1) - 1;
    return fg_rules__query (eval, "T4", FG_TIER_ANY, "temple_contact",
        "SELECT tc.id, s.org_id, strftime ('%Y', ?3 * 86400, 'unixepoch'), ?4, "
        "  printf ('%s visited %s %d time(s) in %s, %d required', c.name, s.name, n, "
        "          strftime ('%Y', ?3 * 86400, 'unixepoch'), ?5), 1 "
        "FROM (SELECT tc.*, (SELECT count(*) FROM temple_engagement e WHERE e.voided = 0 AND e.kind = 'visit' "
        "        AND (e.contact_id = tc.id OR (e.cadre_id = tc.cadre_id AND e.site_id = tc.site_id)) "
        "        AND e.occurred_on BETWEEN ?3 AND ?4) AS n FROM temple_contact tc) tc "
        "JOIN religious_site s ON s.id = tc.site_id JOIN cadre c ON c.id = tc.cadre_id "
        "WHERE " S_SITE_IN_SCOPE " AND (tc.start_on IS NULL OR tc.start_on <= ?3) "
        "AND (tc.end_on IS NULL OR tc.end_on > ?4) AND n < ?5 ORDER BY s.org_id, tc.id",
        (int64_t []) { first, last, fg_rules__param (eval, "t4_visits") }, 3);
}

//  T5: the site of a county-level contact lies in the cadre's county
//  (prefecture cadres may contact any site)
int
fg_rules_t5 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "T5", FG_TIER_HUB, "temple_contact",
        "SELECT tc.id, s.org_id, " FG_RULES_DATE ("?2") ", NULL, "
        "  printf ('%s of county %s contacts %s in county %s', c.name, substr (c.org_id, 1, 6), s.name, "
        "          substr (s.org_id, 1, 6)), 0 "
        "FROM temple_contact tc JOIN religious_site s ON s.id = tc.site_id JOIN cadre c ON c.id = tc.cadre_id "
        "WHERE " S_SITE_IN_SCOPE " AND " S_ACTIVE_ON ("tc", "?2") " "
        "AND coalesce (tc.level, 'county') = 'county' AND substr (c.org_id, 5, 2) != '00' "
        "AND substr (c.org_id, 1, 6) != substr (s.org_id, 1, 6) ORDER BY s.org_id, tc.id", NULL, 0);
}

//  T6: resident_count = the resident monastics of the archive
int
fg_rules_t6 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "T6", FG_TIER_HUB, "religious_site",
        "SELECT s.id, s.org_id, " FG_RULES_DATE ("?2") ", NULL, "
        "  printf ('%s: resident_count %d, the archive lists %d resident monastics', s.name, "
        "          coalesce (s.resident_count, 0), n), 0 "
        "FROM (SELECT s.*, (SELECT count(*) FROM monastic m WHERE m.site_id = s.id "
        "        AND coalesce (m.residence_status, 'resident') = 'resident' "
        "        AND coalesce (m.status, 'active') = 'active') AS n FROM religious_site s) s "
        "WHERE " S_SITE_IN_SCOPE " AND coalesce (s.status, 'active') = 'active' "
        "AND coalesce (s.resident_count, 0) != n ORDER BY s.org_id, s.id", NULL, 0);
}

//  T7: a registered site has its five links recorded (surveyed)
int
fg_rules_t7 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "T7", FG_TIER_HUB, "religious_site",
        "SELECT s.id, s.org_id, " FG_RULES_DATE ("?2") ", ?2 - 1 - ?3, "
        "  printf ('%s: the five links (water, electricity, road, telecom, radio and TV) are not recorded', "
        "          s.name), 1 "
        "FROM religious_site s WHERE " S_SITE_IN_SCOPE " AND coalesce (s.registered, 0) "
        "AND coalesce (s.status, 'active') = 'active' AND s.infra_surveyed_on IS NULL "
        "AND (s.water IS NULL OR s.electricity IS NULL OR s.road IS NULL OR s.telecom IS NULL "
        "     OR s.radio_tv IS NULL) ORDER BY s.org_id, s.id",
        (int64_t []) { fg_rules__param (eval, "grace_days") }, 1);
}

//  T2: an active representative is covered by a contact at or above
//  deputy county on its site, or by a personal contact
int
fg_rules_t2 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "T2", FG_TIER_HUB, "religious_representative",
        "SELECT r.id, r.org_id, " FG_RULES_DATE ("?2") ", ?2 - 1 - ?3, "
        "  printf ('%s: no contact at or above deputy county, on the site or in person', r.name), 1 "
        "FROM religious_representative r WHERE substr (r.org_id, 1, length (?1)) = ?1 "
        "AND coalesce (r.status, 'active') = 'active' "
        "AND NOT EXISTS (SELECT 1 FROM temple_contact tc JOIN cadre c ON c.id = tc.cadre_id "
        "    WHERE (tc.representative_id = r.id OR (r.site_id IS NOT NULL AND tc.site_id = r.site_id)) "
        "    AND " S_ACTIVE_ON ("tc", "?2") " AND " S_LEADING ("c") ") "
        "ORDER BY r.org_id, r.id", (int64_t []) { fg_rules__param (eval, "grace_days") }, 1);
}
