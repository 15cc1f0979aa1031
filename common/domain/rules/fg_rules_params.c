/*  fg_rules_params.c - the programme's parameters: the prefecture's
    rule_param rows (metadata, the highest version of a name applies), and
    below them the one table of defaults, version 0, DOMAIN.md's values
    (§3; [assume] there marks the ones the decision leaves open). */
#include "fg_rules_int.h"

static const fg_rule_param_t s_defaults [] = {
    { "grace_days",                3,  "days after a deadline a node's log must be known past before "
                                       "missing evidence is VIOLATED rather than PENDING_SYNC [assume]" },
    { "g_new_days",                30, "P1: days a new or split household may wait for its pair (G_new)" },
    { "cap_leading",               6,  "P3: households of a cadre at or above deputy county" },
    { "cap_other",                 8,  "P3: households of any other cadre" },
    { "cap_max",                   10, "P3: the most any capacity_override may give" },
    { "v_max",                     1,  "P5: villages per cadre (2 or more is reported)" },
    { "window_seriously_ill",      7,  "M1: days to visit a seriously ill inpatient" },
    { "window_dropout_unemployed", 30, "M1: days to visit after a dropout or job loss" },
    { "window_sudden_disaster",    3,  "M1: days to visit after a sudden disaster" },
    { "window_elderly_death",      7,  "M1: days to visit after the death of an elderly person" },
    { "window_abnormal_thinking",  7,  "M1: days to visit after abnormal thinking is reported" },
    { "window_major_festival",     0,  "M1: days after the festival day a festival visit may still "
                                       "count (the window is [day - festival_lead_days, day + this])" },
    { "festival_lead_days",        7,  "M1: days before a festival a festival visit counts" },
    { "m1_paired_visitor",         1,  "M1: 1 if the visit must be by a cadre paired (now or before) "
                                       "with the household or by a team the paired cadre leads or "
                                       "belongs to; 0 if anyone's visit counts" },
    { "visits_per_quarter",        1,  "M2: in-person visits per pairing per quarter (k)" },
    { "focus_factor",              2,  "M4: focus households get this many times k" },
    { "v1_days",                   30, "V1: days the county has to give an identified orphan a love pairing" },
    { "skew_days",                 1,  "M3: days a visit may be dated after the day it is received "
                                       "or written (the skew bound, in whole days)" },
    { "r1_lookback_days",          62, "R1: days back from the day whose closed periods are judged" },
    { "d2_posted_days",            7,  "D2: days a project's disclosure stays posted" },
    { "g_transfer_days",           30, "P6: days after a cadre leaves by which its pairs end and its "
                                       "households have a new pair (G_transfer)" },
    { "t_ack_days",                3,  "P8: days a township has to acknowledge its county's latest plan (T_ack)" },
    { "s1_days",                   31, "S1: days after December 31 a department's year-end assessment is due [assume]" },
    { "s1_mass_min",               30, "S1: responses from contact objects the mass dimension needs at most (N)" },
    { "s1_mass_permille",          50, "S1: ... or this share (per mille) of the households its cadres pair, if fewer" },
    { "d1_days",                   15, "D1: days after a period ends its disclosure may still be posted [assume]" },
    { "p7_days",                   30, "P7: days after July 1 a county's yearly plan may take effect" },
    { "t4_visits",                 2,  "T4: visits a contact cadre makes to its site each calendar year" },
    { "v2_housing_days",           365, "V2: days a scattered five-guarantee person's housing check stays "
                                       "current [assume: one check a year]" },
    { "v2_renovation_days",        180, "V2: days from a check that found the house dilapidated to its "
                                       "renovation (dilapidated-house renovation assistance) [assume]" },
    { "v4_days",                   30, "V4: days civil affairs have to verify an identification" },
    { "a2_accept_days",            15, "A2: days to decide on accepting an appeal (register it)" },
    { "a2_resolve_days",           60, "A2: days from assignment to resolution" },
    { "a2_extend_max_days",        30, "A2: the most one extension may add" },
    { "a3_feedback_days",          15, "A3: days from resolution to feedback to the appellant [assume]" },
    { "a4_days",                   3,  "A4: days from a disclosure objection to its appeal" },
    { "b5_days",                   30, "B5: days from a branch pairing's start to its signed letter" },
    { "b3_lock_days",              1096, "B3: days a prefecture branch pairing stays unchanged (3 years)" },
    { "quota_county_party_secretary", 1, "C1: awards a year, when no commendation_cycle row gives them" },
    { "quota_county_magistrate",   1,  "C1: as above" },
    { "quota_township_party_secretary", 20, "C1: as above" },
    { "quota_township_head",       20, "C1: as above" },
    { "quota_village_branch_secretary", 60, "C1: as above" },
    { .name = NULL }
};

const fg_rule_param_t *
fg_rules_param_defaults (void)
{
    return s_defaults;
}

static const fg_rule_param_t *
s_default (const char *name)
{
    for (size_t i = 0; s_defaults [i].name; i++)
        if (streq (s_defaults [i].name, name))
            return &s_defaults [i];
    return NULL;
}

int64_t
fg_rules_param (fg_replica_t *replica, const char *name, int64_t *version_p)
{
    const fg_rule_param_t *fallback = s_default (name);
    assert (fallback);
    int64_t value = fallback->value, version = 0;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT value, version FROM rule_param WHERE name = ? AND value IS NOT NULL "
            "ORDER BY version DESC, created_hlc DESC, id DESC LIMIT 1", -1, &stmt, NULL) == SQLITE_OK) {
        sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) == SQLITE_ROW) {
            value = sqlite3_column_int64 (stmt, 0);
            version = sqlite3_column_int64 (stmt, 1);
        }
    }
    sqlite3_finalize (stmt);
    if (version_p)
        *version_p = version;
    return value;
}

fg_rows_t *
fg_rules_param_rows (fg_replica_t *replica)
{
    fg_rows_t *rows = fg_rows_new ();
    const char *names [] = { "name", "value", "version", "default", "doc" };
    for (size_t i = 0; i < sizeof names / sizeof names [0]; i++)
        fg_rows_column (rows, names [i]);
    for (size_t i = 0; s_defaults [i].name; i++) {
        int64_t version;
        int64_t value = fg_rules_param (replica, s_defaults [i].name, &version);
        char number [24];
        fg_rows_value (rows, s_defaults [i].name, false);
        snprintf (number, sizeof number, "%lld", (long long) value);
        fg_rows_value (rows, number, true);
        snprintf (number, sizeof number, "%lld", (long long) version);
        fg_rows_value (rows, number, true);
        snprintf (number, sizeof number, "%lld", (long long) s_defaults [i].value);
        fg_rows_value (rows, number, true);
        fg_rows_value (rows, s_defaults [i].doc, false);
        fg_rows_row_end (rows);
    }
    return rows;
}
