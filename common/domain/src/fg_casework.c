/*  fg_casework.c - the queries around a clerk's casework forms: who may
    receive assistance, an appeal's next transitions and its events, the
    must-visits waiting, publicity events, org units to pick
    (fg_casework.h). */
#include "fg_casework.h"
#include "fg_household.h"
#include "fg_rules.h"
#include "fg_schema.h"
#include "fg_org.h"
#include "fg_util.h"

//  The prefix of this node's subtree (its org code without trailing zeros)
static void
s_prefix (fg_replica_t *replica, char prefix [16])
{
    const char *org = fg_replica_self (replica)->org;
    snprintf (prefix, 16, "%.*s", (int) fg_org_prefix_len (org), org);
}

static sqlite3_stmt *
s_prepare (fg_replica_t *replica, const char *sql, char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (fg_replica_db (replica), sql, -1, &stmt, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (fg_replica_db (replica)));
        sqlite3_finalize (stmt);
        return NULL;
    }
    return stmt;
}

//  Step the statement into rows formatted by `table`, and finalize it
static fg_rows_t *
s_rows (sqlite3_stmt *stmt, const char *table, char *errbuf, size_t errsize)
{
    if (!stmt)
        return NULL;
    fg_rows_t *rows = fg_schema_rows (stmt, table ? fg_schema_table (table) : NULL, errbuf, errsize);
    sqlite3_finalize (stmt);
    return rows;
}

fg_rows_t *
fg_household_beneficiaries (fg_replica_t *replica, uint64_t id, int64_t day, char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt = s_prepare (replica,
        "SELECT kind, id, name, category, eligible FROM ("
        "SELECT 'household' AS kind, h.id, h.head_name AS name, NULL AS category, 'yes' AS eligible "
        "FROM household h WHERE h.id = ?1 "
        "UNION ALL SELECT 'vulnerable_person', v.id, p.name, v.category, "
        "  CASE WHEN (v.eligible_from IS NULL OR v.eligible_from <= ?2) "
        "   AND (v.eligible_to IS NULL OR v.eligible_to > ?2) THEN 'yes' ELSE 'no' END "
        "FROM vulnerable_person v JOIN person p ON p.id = v.person_id "
        "WHERE p.household_id = ?1 AND coalesce (v.cert_state, 'pending') != 'rejected' "
        ") ORDER BY kind != 'household', name, id", errbuf, errsize);
    if (stmt) {
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) id);
        sqlite3_bind_int64 (stmt, 2, day);
    }
    return s_rows (stmt, "vulnerable_person", errbuf, errsize);
}

fg_rows_t *
fg_case_transitions (fg_replica_t *replica, const char *table, uint64_t case_id,
                     char *state_out, char *owner_out, char *errbuf, size_t errsize)
{
    if (state_out)
        *state_out = 0;
    if (owner_out)
        *owner_out = 0;
    const fg_table_t *cases = fg_schema_table (table);
    if (!cases || !cases->workflow) {
        fg_errf (errbuf, errsize, "%s is not a table of cases", table);
        return NULL;
    }
    const fg_workflow_t *flow = cases->workflow;
    //  The table name comes from the catalogue, not from a person
    char *sql = fg_strdupf ("SELECT coalesce (state, ?2), CAST (owner_org AS TEXT) FROM \"%s\" WHERE id = ?1",
                            cases->name);
    sqlite3_stmt *stmt = s_prepare (replica, sql, errbuf, errsize);
    free (sql);
    if (!stmt)
        return NULL;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) case_id);
    sqlite3_bind_text (stmt, 2, flow->initial, -1, SQLITE_STATIC);
    char state [64] = "", owner [64] = "";
    int step = sqlite3_step (stmt);
    if (step == SQLITE_ROW) {
        snprintf (state, sizeof state, "%s", (const char *) sqlite3_column_text (stmt, 0));
        if (sqlite3_column_text (stmt, 1))
            snprintf (owner, sizeof owner, "%s", (const char *) sqlite3_column_text (stmt, 1));
    }
    sqlite3_finalize (stmt);
    if (step != SQLITE_ROW) {
        if (step == SQLITE_DONE)
            fg_errf (errbuf, errsize, "no %s %llu here", table, (unsigned long long) case_id);
        else
            fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (fg_replica_db (replica)));
        return NULL;
    }
    if (state_out)
        snprintf (state_out, 64, "%s", state);
    if (owner_out)
        snprintf (owner_out, 64, "%s", owner);
    //  As the fold judges an event of this node's (fg_merge_rows.c)
    const char *self = fg_replica_self (replica)->org;
    bool is_owner = streq (self, owner);
    bool above = !is_owner && fg_org_contains (self, owner);
    bool terminal = fg_schema_in_list (flow->terminal, state, strlen (state));
    fg_rows_t *rows = fg_rows_new ();
    fg_rows_column (rows, "transition");
    fg_rows_column (rows, "to");
    fg_rows_column (rows, "owner");
    for (const fg_transition_t *t = flow->transitions; t->name && !terminal; t++) {
        if (!((t->who & FG_WHO_OWNER && is_owner) || (t->who & FG_WHO_ABOVE && above)))
            continue;
        if (!streq (t->from, "*") && !fg_schema_in_list (t->from, state, strlen (state)))
            continue;
        fg_rows_value (rows, t->name, false);
        fg_rows_value (rows, t->to, false);
        fg_rows_value (rows, t->owner == FG_OWNER_UP ? "up" : t->owner == FG_OWNER_DOWN ? "down" : NULL, false);
        fg_rows_row_end (rows);
    }
    return rows;
}

fg_rows_t *
fg_appeal_events (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt = s_prepare (replica,
        "SELECT id, occurred_on, transition, state_after, CASE WHEN rejected THEN 'yes' ELSE 'no' END AS rejected, "
        "  reject_reason, note, author FROM appeal_event WHERE appeal_id = ?1 AND voided = 0 "
        "ORDER BY created_hlc, id", errbuf, errsize);
    if (stmt)
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) id);
    return s_rows (stmt, "appeal_event", errbuf, errsize);
}

fg_rows_t *
fg_worklist_must_visits (fg_replica_t *replica, int64_t day, int limit, char *errbuf, size_t errsize)
{
    //  The windows in force here, as rule M1 takes them
    int64_t lead = fg_rules_param (replica, "festival_lead_days", NULL);
    sqlite3_stmt *stmt = s_prepare (replica,
        "WITH w (category, days) AS (VALUES ('seriously_ill', ?4), ('dropout_unemployed', ?5), "
        "  ('sudden_disaster', ?6), ('elderly_death', ?7), ('abnormal_thinking', ?8), ('major_festival', ?9)), "
        "t AS (SELECT t.id, t.household_id, h.head_name, t.org_id, t.category, t.occurred_on, "
        "  coalesce (t.due_by, t.occurred_on + coalesce ((SELECT days FROM w WHERE w.category = t.category), ?4)) "
        "  AS due_by FROM must_visit_trigger t LEFT JOIN household h ON h.id = t.household_id "
        "  WHERE substr (t.org_id, 1, length (?1)) = ?1 AND t.voided = 0 "
        "  AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.target_kind = 'household' "
        "    AND v.target_id = t.household_id AND v.voided = 0 AND coalesce (v.in_person, 1) != 0 "
        "    AND coalesce (v.kind, '') != 'phone' AND (v.trigger_id = t.id OR (v.must_visit_category = t.category "
        "    AND v.occurred_on >= t.occurred_on - CASE WHEN t.category = 'major_festival' THEN ?10 ELSE 0 END)))) "
        "SELECT id, household_id, head_name, org_id, category, occurred_on, due_by, "
        "  CASE WHEN due_by >= ?2 THEN 'window_open' ELSE 'overdue' END AS state FROM t "
        "ORDER BY due_by, id LIMIT ?3", errbuf, errsize);
    if (!stmt)
        return NULL;
    char prefix [16];
    s_prefix (replica, prefix);
    sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, day);
    sqlite3_bind_int (stmt, 3, limit);
    const char *windows [] = { "window_seriously_ill", "window_dropout_unemployed", "window_sudden_disaster",
                               "window_elderly_death", "window_abnormal_thinking", "window_major_festival" };
    for (int i = 0; i < 6; i++)
        sqlite3_bind_int64 (stmt, 4 + i, fg_rules_param (replica, windows [i], NULL));
    sqlite3_bind_int64 (stmt, 10, lead);
    return s_rows (stmt, "must_visit_trigger", errbuf, errsize);
}

fg_rows_t *
fg_publicity_recent (fg_replica_t *replica, int limit, char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt = s_prepare (replica,
        "SELECT e.id, e.occurred_on, e.org_id, coalesce (u.name_zh, CAST (e.org_id AS TEXT)) AS place, e.organizer_unit, e.method, "
        "  e.theme, e.audience_count, e.language, e.author FROM publicity_event e "
        "LEFT JOIN org_unit u ON u.id = e.org_id "
        "WHERE substr (e.org_id, 1, length (?1)) = ?1 AND e.voided = 0 "
        "ORDER BY e.occurred_on DESC, e.id DESC LIMIT ?2", errbuf, errsize);
    if (!stmt)
        return NULL;
    char prefix [16];
    s_prefix (replica, prefix);
    sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 2, limit);
    return s_rows (stmt, "publicity_event", errbuf, errsize);
}

fg_rows_t *
fg_org_choices (fg_replica_t *replica, bool above, char *errbuf, size_t errsize)
{
    fg_rows_t *rows = fg_rows_new ();
    fg_rows_column (rows, "code");
    fg_rows_column (rows, "name");
    //  The units above: the county (6 digits), the prefecture (4 and 00)
    const char *own = fg_replica_self (replica)->org;
    char codes [2][16] = { "", "" };
    if (above && fg_org_level (own) >= 3)
        snprintf (codes [0], sizeof codes [0], "%.4s00", own);
    if (above && fg_org_level (own) >= 3)
        snprintf (codes [1], sizeof codes [1], "%.6s", own);
    if (above && fg_org_level (own) == 2)
        snprintf (codes [0], sizeof codes [0], "%.4s00", own);
    for (int i = 0; i < 2; i++)
        if (codes [i][0] && !streq (codes [i], own)) {
            char name [128];
            fg_org_unit_name (replica, codes [i], name, sizeof name);
            fg_rows_value (rows, codes [i], false);
            fg_rows_value (rows, name, false);
            fg_rows_row_end (rows);
        }
    sqlite3_stmt *stmt = s_prepare (replica,
        "WITH c (code) AS (SELECT CAST (?2 AS INTEGER) "
        "  UNION SELECT id FROM org_unit WHERE substr (id, 1, length (?1)) = ?1 "
        "  UNION SELECT DISTINCT org_id FROM household WHERE substr (org_id, 1, length (?1)) = ?1) "
        "SELECT CAST (c.code AS TEXT) AS code, u.name_zh AS name "
        "FROM c LEFT JOIN org_unit u ON u.id = c.code ORDER BY CAST (c.code AS TEXT)", errbuf, errsize);
    if (!stmt) {
        fg_rows_destroy (&rows);
        return NULL;
    }
    char prefix [16];
    s_prefix (replica, prefix);
    sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, fg_replica_self (replica)->org, -1, SQLITE_TRANSIENT);
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        const char *code = (const char *) sqlite3_column_text (stmt, 0);
        char name [128];
        if (sqlite3_column_text (stmt, 1))
            snprintf (name, sizeof name, "%s", (const char *) sqlite3_column_text (stmt, 1));
        else
            fg_org_unit_name (replica, code, name, sizeof name);
        fg_rows_value (rows, code, false);
        fg_rows_value (rows, name, false);
        fg_rows_row_end (rows);
    }
    if (step != SQLITE_DONE) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (fg_replica_db (replica)));
        fg_rows_destroy (&rows);
    }
    sqlite3_finalize (stmt);
    return rows;
}
