/*  fg_rules_v.c - vulnerable groups, DOMAIN.md §3.3: V1 (every orphan has
    a love pairing) and V3 over what is held (the HARD check of each entry
    is fg_rules__ingest_assistance); V2 (the yearly premium subsidy of
    five-guarantee people; the housing check of the scattered ones and the
    renovation of a dilapidated house) and V4. */
#include "fg_rules_int.h"

#define S_IN_SCOPE(alias) "substr (" alias ".org_id, 1, length (?1)) = ?1"

//  V1: every orphan eligible on the day (cert not rejected, eligible_from
//  and eligible_to where given) has a love pairing active on the day. The
//  county assigns them: due by identification (identified_on, else the
//  day the record was made) + v1_days.
int
fg_rules_v1 (fg_rule_eval_t *eval)
{
    sqlite3_stmt *stmt = fg_rules__prepare (eval,
        "SELECT v.id, v.org_id, coalesce (v.identified_on, (v.created_hlc >> 16) / 86400000) AS since "
        "FROM vulnerable_person v WHERE " S_IN_SCOPE ("v") " AND v.category = 'orphan' "
        "AND coalesce (v.cert_state, 'pending') != 'rejected' "
        "AND (v.eligible_from IS NULL OR v.eligible_from <= ?2) AND (v.eligible_to IS NULL OR v.eligible_to > ?2) "
        "AND since + ?3 < ?2 "
        "AND NOT EXISTS (SELECT 1 FROM love_pairing l WHERE l.vulnerable_person_id = v.id "
        "    AND (l.start_on IS NULL OR l.start_on <= ?2) AND (l.end_on IS NULL OR l.end_on > ?2)) "
        "ORDER BY v.org_id, v.id");
    if (!stmt)
        return -1;
    int64_t days = fg_rules__param (eval, "v1_days");
    sqlite3_bind_text (stmt, 1, eval->prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, eval->day);
    sqlite3_bind_int64 (stmt, 3, days);
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        char since [16], period [16];
        fg_date_format (sqlite3_column_int64 (stmt, 2), since);
        fg_date_format (eval->day, period);
        rc = fg_rules__absent (eval, "V1", FG_TIER_COUNTY, "vulnerable_person", (uint64_t) sqlite3_column_int64 (stmt, 0),
                               fg_rules__text (stmt, 1), period, sqlite3_column_int64 (stmt, 2) + days,
                               "orphan identified %s has no active love pairing after %lld days",
                               since, (long long) days);
    }
    return fg_rules__done (eval, stmt, rc, step);
}

//  V3 over what is held: a negative amount; a reversal of a record that
//  is here but has another beneficiary or amount, or that another
//  reversal already reversed.
int
fg_rules_v3 (fg_rule_eval_t *eval)
{
    sqlite3_stmt *stmt = fg_rules__prepare (eval,
        "SELECT a.id, a.org_id, a.occurred_on, a.amount_fen, a.reverses_id, o.id, "
        "  o.beneficiary_kind = a.beneficiary_kind AND o.beneficiary_id = a.beneficiary_id "
        "  AND coalesce (o.amount_fen, 0) = coalesce (a.amount_fen, 0) AS same, "
        "  (SELECT min (r.id) FROM assistance_record r WHERE r.reverses_id = a.reverses_id) AS first_reversal "
        "FROM assistance_record a LEFT JOIN assistance_record o ON o.id = a.reverses_id "
        "WHERE " S_IN_SCOPE ("a") " AND (coalesce (a.amount_fen, 0) < 0 "
        "  OR (a.reverses_id IS NOT NULL AND o.id IS NOT NULL AND (NOT same OR first_reversal != a.id))) "
        "ORDER BY a.org_id, a.id");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, eval->prefix, -1, SQLITE_TRANSIENT);
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        char date [16];
        fg_date_format (sqlite3_column_int64 (stmt, 2), date);
        uint64_t id = (uint64_t) sqlite3_column_int64 (stmt, 0);
        if (sqlite3_column_int64 (stmt, 3) < 0)
            rc = fg_rules__violated (eval, "V3", "assistance_record", id, fg_rules__text (stmt, 1), date, 0,
                                     "negative amount %lld fen", (long long) sqlite3_column_int64 (stmt, 3));
        else
        if (!sqlite3_column_int (stmt, 6))
            rc = fg_rules__violated (eval, "V3", "assistance_record", id, fg_rules__text (stmt, 1), date, 0,
                                     "reverses record %lld of another beneficiary or amount",
                                     (long long) sqlite3_column_int64 (stmt, 4));
        else
            rc = fg_rules__violated (eval, "V3", "assistance_record", id, fg_rules__text (stmt, 1), date, 0,
                                     "reverses record %lld, already reversed by %lld",
                                     (long long) sqlite3_column_int64 (stmt, 4),
                                     (long long) sqlite3_column_int64 (stmt, 7));
    }
    return fg_rules__done (eval, stmt, rc, step);
}

//  V4: civil affairs (the county's cert group) decide within v4_days of
//  the township's identification
int
fg_rules_v4 (fg_rule_eval_t *eval)
{
    return fg_rules__query (eval, "V4", FG_TIER_COUNTY, "vulnerable_person",
        "SELECT v.id, v.org_id, " FG_RULES_DATE ("v.identified_on") ", v.identified_on + ?3, "
        "  CASE WHEN v.cert_on IS NULL THEN printf ('identified %s (%s), not verified within %d days', "
        "       " FG_RULES_DATE ("v.identified_on") ", v.category, ?3) "
        "  ELSE printf ('identified %s, verified %s: more than %d days', " FG_RULES_DATE ("v.identified_on") ", "
        "       " FG_RULES_DATE ("v.cert_on") ", ?3) END, v.cert_on IS NULL "
        "FROM vulnerable_person v WHERE substr (v.org_id, 1, length (?1)) = ?1 AND v.identified_on IS NOT NULL "
        "AND ((v.cert_on IS NULL AND coalesce (v.cert_state, 'pending') = 'pending' AND v.identified_on + ?3 < ?2) "
        "     OR v.cert_on > v.identified_on + ?3) ORDER BY v.org_id, v.id",
        (int64_t []) { fg_rules__param (eval, "v4_days") }, 1);
}

//  The five-guarantee people V2 looks at: rural, not rejected by civil
//  affairs, eligible over [?3, ?4], identified by ?3
#define S_V2_PEOPLE \
    "FROM vulnerable_person v WHERE substr (v.org_id, 1, length (?1)) = ?1 " \
    "AND v.category = 'rural_five_guarantee' AND coalesce (v.cert_state, 'pending') != 'rejected' " \
    "AND (v.eligible_from IS NULL OR v.eligible_from <= ?3) AND (v.eligible_to IS NULL OR v.eligible_to > ?4) " \
    "AND coalesce (v.identified_on, 0) <= ?3 "

//  An unreversed assistance record of `kind` to person v on or after day
//  `from` (the caller closes the parenthesis, adding conditions first)
#define S_V2_GIVEN(kind, from) \
    "EXISTS (SELECT 1 FROM assistance_record a WHERE a.beneficiary_kind = 'vulnerable_person' " \
    "    AND a.beneficiary_id = v.id AND a.type = '" kind "' AND a.occurred_on >= " from " " \
    "    AND NOT EXISTS (SELECT 1 FROM assistance_record r WHERE r.reverses_id = a.id)"

//  The day a person's last housing check was due from: the check, else
//  the identification, else the day the record was made
#define S_V2_SINCE \
    "coalesce (v.housing_checked_on, v.identified_on, (v.created_hlc >> 16) / 86400000)"

//  V2, three findings on a rural five-guarantee person (written by the
//  township or the county):
//  - eligible through last calendar year, no medical-insurance premium
//    subsidy in it;
//  - supported at home (scattered), no housing-condition check in the last
//    v2_housing_days (due that many days after identification or the
//    last check; the township checks);
//  - the last check found the house dilapidated (grade C or D) and no
//    dilapidated-house renovation was given since, v2_renovation_days on.
int
fg_rules_v2 (fg_rule_eval_t *eval)
{
    int year, month, mday;
    fg_rules__ymd (eval->day, &year, &month, &mday);
    int64_t first = fg_rules__day (year - 1, 1, 1), last = fg_rules__day (year, 1, 1) - 1;
    int rc = fg_rules__query (eval, "V2", FG_TIER_TOWNSHIP | FG_TIER_COUNTY, "vulnerable_person",
        "SELECT v.id, v.org_id, strftime ('%Y', ?3 * 86400, 'unixepoch'), ?4, "
        "  printf ('five-guarantee person: no medical-insurance premium subsidy in %s', "
        "          strftime ('%Y', ?3 * 86400, 'unixepoch')), 1 "
        S_V2_PEOPLE
        "AND NOT " S_V2_GIVEN ("medical_insurance_subsidy", "?3") " AND a.occurred_on <= ?4) "
        "ORDER BY v.org_id, v.id", (int64_t []) { first, last }, 2);
    //  (?3 = ?4 = the day: eligible and identified by the day)
    int64_t housing = fg_rules__param (eval, "v2_housing_days");
    if (rc == 0)
        rc = fg_rules__query (eval, "V2", FG_TIER_TOWNSHIP, "vulnerable_person",
            "SELECT v.id, v.org_id, 'housing', " S_V2_SINCE " + ?5, "
            "  CASE WHEN v.housing_checked_on IS NULL "
            "  THEN 'scattered five-guarantee person: no housing-condition check recorded' "
            "  ELSE printf ('scattered five-guarantee person: housing last checked %s, more than %d days ago', "
            "               " FG_RULES_DATE ("v.housing_checked_on") ", ?5) END, 1 "
            S_V2_PEOPLE
            "AND v.five_guarantee_mode = 'scattered' AND " S_V2_SINCE " + ?5 < ?2 "
            "ORDER BY v.org_id, v.id", (int64_t []) { eval->day, eval->day, housing }, 3);
    int64_t renovation = fg_rules__param (eval, "v2_renovation_days");
    if (rc == 0)
        rc = fg_rules__query (eval, "V2", FG_TIER_TOWNSHIP | FG_TIER_COUNTY, "vulnerable_person",
            "SELECT v.id, v.org_id, 'renovation', v.housing_checked_on + ?5, "
            "  printf ('house found dilapidated (grade %s) on %s: no renovation within %d days', "
            "          upper (substr (v.housing_condition, 13)), " FG_RULES_DATE ("v.housing_checked_on") ", ?5), 1 "
            S_V2_PEOPLE
            "AND v.housing_condition IN ('dilapidated_c', 'dilapidated_d') AND v.housing_checked_on IS NOT NULL "
            "AND v.housing_checked_on + ?5 < ?2 "
            "AND NOT " S_V2_GIVEN ("dilapidated_house_renovation", "v.housing_checked_on") ") "
            "ORDER BY v.org_id, v.id", (int64_t []) { eval->day, eval->day, renovation }, 3);
    return rc;
}
