/*  fg_household.c - the clerk's queries: households, their records, the
    worklist, refused entries (fg_household.h). */
#include "fg_household.h"
#include "fg_pairing.h"
#include "fg_schema.h"
#include "fg_org.h"
#include "fg_util.h"

//  Prepare, bind (an id or a text at ?1 and an int at ?2), return rows
//  formatted by `table`'s columns.
static fg_rows_t *
s_rows (fg_replica_t *replica, const char *sql, const char *table, const char *text,
        int64_t number, int64_t number2, char *errbuf, size_t errsize)
{
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
        return NULL;
    }
    if (text)
        sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64 (stmt, 1, number);
    if (sqlite3_bind_parameter_count (stmt) >= 2)
        sqlite3_bind_int64 (stmt, 2, number2);
    if (sqlite3_bind_parameter_count (stmt) >= 3)
        sqlite3_bind_text (stmt, 3, fg_replica_self (replica)->org, -1, SQLITE_TRANSIENT);
    fg_rows_t *rows = fg_schema_rows (stmt, table ? fg_schema_table (table) : NULL, errbuf, errsize);
    sqlite3_finalize (stmt);
    return rows;
}

fg_rows_t *
fg_household_search (fg_replica_t *replica, const char *text, int limit, char *errbuf, size_t errsize)
{
    //  LIKE's wildcards in what was typed are searched for as themselves
    char *pattern = (char *) malloc (2 * strlen (text) + 3);
    assert (pattern);
    char *out = pattern;
    *out++ = '%';
    for (const char *in = text; *in; in++) {
        if (*in == '%' || *in == '_' || *in == '\\')
            *out++ = '\\';
        *out++ = *in;
    }
    *out++ = '%';
    *out = 0;
    fg_rows_t *rows = s_rows (replica,
        "SELECT id, head_name, hukou_no, org_id, group_name, size, status FROM household "
        "WHERE head_name LIKE ?1 ESCAPE '\\' OR hukou_no LIKE ?1 ESCAPE '\\' "
        "OR CAST (id AS TEXT) = substr (?1, 2, length (?1) - 2) "
        "ORDER BY head_name, id LIMIT ?2", "household", pattern, 0, limit, errbuf, errsize);
    free (pattern);
    return rows;
}

fg_rows_t *
fg_household_get (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize)
{
    return s_rows (replica, "SELECT * FROM household WHERE id = ?1", "household", NULL,
                   (int64_t) id, 0, errbuf, errsize);
}

fg_rows_t *
fg_household_members (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize)
{
    return s_rows (replica, "SELECT id, name, name_bo, gender, birth_date, relation_to_head FROM person "
                   "WHERE household_id = ?1 ORDER BY id", "person", NULL, (int64_t) id, 0, errbuf, errsize);
}

fg_rows_t *
fg_household_cadres (fg_replica_t *replica, uint64_t id, int64_t day, char *errbuf, size_t errsize)
{
    return s_rows (replica,
        //  A cadre of elsewhere is not held at a township (scope
        //  `referenced`): its pair carries its name and phone
        "SELECT p.id AS pairing_id, p.cadre_id, coalesce (c.name, p.cadre_name) AS name, "
        "  coalesce (c.phone, p.cadre_phone) AS phone, coalesce (p.role, 'primary') AS role, "
        "  'no' AS provisional FROM pairing p LEFT JOIN cadre c ON c.id = p.cadre_id "
        "WHERE p.household_id = ?1 AND (p.start_on IS NULL OR p.start_on <= ?2) "
        "AND (p.end_on IS NULL OR p.end_on > ?2) "
        "UNION ALL SELECT NULL, q.cadre_id, coalesce (c.name, (SELECT x.cadre_name FROM pairing x "
        "  WHERE x.cadre_id = q.cadre_id AND x.cadre_name IS NOT NULL LIMIT 1)), coalesce (c.phone, "
        "  (SELECT x.cadre_phone FROM pairing x WHERE x.cadre_id = q.cadre_id "
        "   AND x.cadre_phone IS NOT NULL LIMIT 1)), 'primary', 'yes' FROM pairing_provisional q "
        "LEFT JOIN cadre c ON c.id = q.cadre_id WHERE q.household_id = ?1 AND q.voided = 0 "
        "AND NOT EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = ?1 "
        "  AND (p.end_on IS NULL OR p.end_on > ?2)) "
        "ORDER BY role, provisional", NULL, NULL, (int64_t) id, day, errbuf, errsize);
}

fg_rows_t *
fg_household_visits (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize)
{
    return s_rows (replica,
        "SELECT v.id, v.occurred_on, v.kind, v.must_visit_category, coalesce (c.name, (SELECT x.cadre_name "
        "  FROM pairing x WHERE x.cadre_id = v.cadre_id AND x.cadre_name IS NOT NULL LIMIT 1)) AS cadre, "
        "  v.notes, v.author, "
        //  DOMAIN §4.7: a visit by a cadre whose pair with the household
        //  had ended by that day (the township had not applied the plan
        //  yet) is a fact and counts, flagged visit_by_former_pair
        "  CASE WHEN v.cadre_id IS NULL THEN NULL "
        "    WHEN EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = v.target_id AND p.cadre_id = v.cadre_id "
        "      AND (p.start_on IS NULL OR p.start_on <= v.occurred_on) "
        "      AND (p.end_on IS NULL OR p.end_on > v.occurred_on)) THEN 'current' "
        "    WHEN EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = v.target_id AND p.cadre_id = v.cadre_id "
        "      AND p.end_on IS NOT NULL AND p.end_on <= v.occurred_on) THEN 'visit_by_former_pair' "
        "    ELSE 'not_paired' END AS pair, "
        "  CASE WHEN v.voided THEN 'yes' ELSE 'no' END AS voided FROM visit v LEFT JOIN cadre c ON c.id = v.cadre_id "
        "WHERE v.target_kind = 'household' AND v.target_id = ?1 ORDER BY v.occurred_on DESC, v.id DESC",
        "visit", NULL, (int64_t) id, 0, errbuf, errsize);
}

fg_rows_t *
fg_household_triggers (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize)
{
    return s_rows (replica,
        "SELECT t.id, t.category, t.occurred_on, t.due_by, CASE WHEN EXISTS (SELECT 1 FROM visit v "
        "  WHERE v.trigger_id = t.id AND v.voided = 0) THEN 'yes' ELSE 'no' END AS visited "
        "FROM must_visit_trigger t WHERE t.household_id = ?1 AND t.voided = 0 ORDER BY t.occurred_on DESC",
        "must_visit_trigger", NULL, (int64_t) id, 0, errbuf, errsize);
}

fg_rows_t *
fg_household_assistance (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize)
{
    return s_rows (replica,
        //  The household's own, and its members' as vulnerable people
        "SELECT a.id, a.occurred_on, coalesce (p.name, h.head_name) AS beneficiary, a.type, "
        "  CASE WHEN a.amount_fen IS NOT NULL THEN printf ('%d.%02d', a.amount_fen / 100, a.amount_fen % 100) "
        "  END AS amount_fen, "
        "  a.provider, a.reverses_id, (SELECT min (r.id) FROM assistance_record r WHERE r.reverses_id = a.id) "
        "  AS reversed_by, a.funding_source, a.beneficiary_kind, a.beneficiary_id FROM assistance_record a "
        "LEFT JOIN household h ON a.beneficiary_kind = 'household' AND h.id = a.beneficiary_id "
        "LEFT JOIN vulnerable_person v ON a.beneficiary_kind = 'vulnerable_person' AND v.id = a.beneficiary_id "
        "LEFT JOIN person p ON p.id = v.person_id "
        "WHERE (a.beneficiary_kind = 'household' AND a.beneficiary_id = ?1) OR (a.beneficiary_kind = "
        "  'vulnerable_person' AND a.beneficiary_id IN (SELECT v.id FROM vulnerable_person v JOIN person p "
        "  ON p.id = v.person_id WHERE p.household_id = ?1)) ORDER BY a.occurred_on DESC, a.id DESC",
        "assistance_record", NULL, (int64_t) id, 0, errbuf, errsize);
}

fg_rows_t *
fg_household_appeals (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize)
{
    return s_rows (replica,
        "SELECT id, received_on, appellant_name, type, summary, coalesce (state, 'RECEIVED') AS state "
        "FROM appeal WHERE appellant_household_id = ?1 "
        "ORDER BY id DESC", "appeal", NULL, (int64_t) id, 0, errbuf, errsize);
}

fg_rows_t *
fg_cadre_choices (fg_replica_t *replica, char *errbuf, size_t errsize)
{
    const char *org = fg_replica_self (replica)->org;
    char prefix [16];
    snprintf (prefix, sizeof prefix, "%.*s", (int) fg_org_prefix_len (org), org);
    return s_rows (replica,
        "SELECT id, name, org_id FROM cadre WHERE substr (org_id, 1, length (?1)) = ?1 "
        "AND coalesce (status, 'active') = 'active' ORDER BY name, id", "cadre", prefix, 0, 0,
        errbuf, errsize);
}

fg_rows_t *
fg_worklist_unpaired (fg_replica_t *replica, int64_t day, int grace_days, char *errbuf, size_t errsize)
{
    const char *org = fg_replica_self (replica)->org;
    char prefix [16];
    snprintf (prefix, sizeof prefix, "%.*s", (int) fg_org_prefix_len (org), org);
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db,
            "SELECT h.id, h.head_name, h.hukou_no, h.org_id, "
            "  coalesce (h.valid_from, (h.created_hlc >> 16) / 86400000) AS valid_from FROM household h "
            "WHERE substr (h.org_id, 1, length (?1)) = ?1 AND " FG_PAIRING_HOUSEHOLD_IN_H " "
            "AND coalesce (h.valid_from, (h.created_hlc >> 16) / 86400000) + ?3 < ?2 "
            "AND NOT EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = h.id "
            "  AND coalesce (p.role, 'primary') = 'primary' AND (p.start_on IS NULL OR p.start_on <= ?2) "
            "  AND (p.end_on IS NULL OR p.end_on > ?2)) "
            "AND NOT EXISTS (SELECT 1 FROM pairing_provisional q WHERE q.household_id = h.id AND q.voided = 0) "
            "ORDER BY h.org_id, h.head_name", -1, &stmt, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
        return NULL;
    }
    sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, day);
    sqlite3_bind_int (stmt, 3, grace_days);
    fg_rows_t *rows = fg_schema_rows (stmt, fg_schema_table ("household"), errbuf, errsize);
    sqlite3_finalize (stmt);
    return rows;
}

fg_rows_t *
fg_worklist_directives (fg_replica_t *replica, char *errbuf, size_t errsize)
{
    const fg_node_t *self = fg_replica_self (replica);
    //  A node holds only the directives aimed at its subtree (they travel
    //  down by scope), as fg_directive_ack_arrived assumes
    return s_rows (replica,
        "SELECT d.id, d.title, d.kind, d.due_on, d.created_by AS issued_by, "
        "  (SELECT a.state FROM directive_ack a WHERE a.directive_id = d.id AND a.node_id = ?1 "
        "   ORDER BY a.created_hlc DESC LIMIT 1) AS ack_state "
        "FROM directive d WHERE d.voided = 0 AND d.created_by != ?1 "
        "AND coalesce (d.requires_ack, 1) = 1 "
        "AND NOT EXISTS (SELECT 1 FROM directive_ack a WHERE a.directive_id = d.id AND a.node_id = ?1 "
        "  AND a.state IN ('applied', 'completed', 'refused') AND a.voided = 0) "
        "ORDER BY d.due_on, d.id LIMIT ?2", "directive", NULL, self->node_id, 500, errbuf, errsize);
}

fg_rows_t *
fg_refused_entries (fg_replica_t *replica, int limit, char *errbuf, size_t errsize)
{
    return s_rows (replica,
        "SELECT id, origin, seq, reason, detail, datetime (received_at / 1000, 'unixepoch') AS received_at "
        "FROM quarantine ORDER BY id DESC LIMIT ?1", NULL, NULL, limit, 0, errbuf, errsize);
}

fg_rows_t *
fg_household_of_org (fg_replica_t *replica, const char *org, int64_t day, int limit,
                     char *errbuf, size_t errsize)
{
    size_t length = fg_org_prefix_len (org);
    if (!length) {
        fg_errf (errbuf, errsize, "not an org code: '%s'", org);
        return NULL;
    }
    char prefix [16];
    snprintf (prefix, sizeof prefix, "%.*s", (int) length, org);
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt = NULL;
    //  One primary pair per household (P1); a cadre of elsewhere is named
    //  by its pair (scope `referenced`), as fg_household_cadres does
    if (sqlite3_prepare_v2 (db,
            "SELECT h.id, h.head_name, h.hukou_no, h.org_id, h.size, h.status, "
            "  (SELECT coalesce (c.name, p.cadre_name) FROM pairing p LEFT JOIN cadre c ON c.id = p.cadre_id "
            "   WHERE p.household_id = h.id AND coalesce (p.role, 'primary') = 'primary' "
            "   AND (p.start_on IS NULL OR p.start_on <= ?2) AND (p.end_on IS NULL OR p.end_on > ?2) "
            "   ORDER BY p.id LIMIT 1) AS cadre, "
            "  CASE WHEN EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = h.id "
            "    AND coalesce (p.role, 'primary') = 'primary' AND (p.start_on IS NULL OR p.start_on <= ?2) "
            "    AND (p.end_on IS NULL OR p.end_on > ?2)) THEN 'yes' "
            "  WHEN EXISTS (SELECT 1 FROM pairing_provisional q WHERE q.household_id = h.id AND q.voided = 0) "
            "    THEN 'provisional' ELSE 'no' END AS paired, "
            "  (SELECT count(*) FROM visit v WHERE v.target_kind = 'household' AND v.target_id = h.id "
            "   AND v.voided = 0) AS visits, "
            "  (SELECT date (max (v.occurred_on) * 86400, 'unixepoch') FROM visit v "
            "   WHERE v.target_kind = 'household' AND v.target_id = h.id AND v.voided = 0) AS last_visit "
            "FROM household h WHERE substr (h.org_id, 1, length (?1)) = ?1 "
            "ORDER BY h.org_id, h.head_name, h.id LIMIT ?3", -1, &stmt, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
        return NULL;
    }
    sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, day);
    sqlite3_bind_int (stmt, 3, limit);
    fg_rows_t *rows = fg_schema_rows (stmt, fg_schema_table ("household"), errbuf, errsize);
    sqlite3_finalize (stmt);
    return rows;
}

void
fg_org_unit_name (fg_replica_t *replica, const char *code, char *name, size_t size)
{
    snprintf (name, size, "%s", code);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (fg_replica_db (replica), "SELECT name_zh FROM org_unit WHERE id = ?",
                            -1, &stmt, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64 (stmt, 1, strtoll (code, NULL, 10));
    if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
        snprintf (name, size, "%s", (const char *) sqlite3_column_text (stmt, 0));
    else {
        //  A unit not registered: the node that serves it has a name
        const fg_node_t *self = fg_replica_self (replica);
        if (streq (self->org, code))
            snprintf (name, size, "%s", self->name);
        else {
            size_t count = 0;
            fg_origin_status_t *nodes = fg_replica_origins (replica, code, &count);
            for (size_t i = 0; i < count; i++)
                if (streq (nodes [i].org, code) && nodes [i].name [0]) {
                    snprintf (name, size, "%s", nodes [i].name);
                    break;
                }
            free (nodes);
        }
    }
    sqlite3_finalize (stmt);
}

fg_rows_t *
fg_org_units_under (fg_replica_t *replica, const char *org, int max_level, int limit,
                    char *errbuf, size_t errsize)
{
    if (!org || !fg_org_level (org)) {
        fg_errf (errbuf, errsize, "'%s' is not an org code (6, 9 or 12 digits)", org ? org : "");
        return NULL;
    }
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db, "SELECT code, name_zh FROM (SELECT CAST (id AS TEXT) AS code, name_zh FROM org_unit) "
                            "WHERE code LIKE ?1 || '%' AND code != ?4 AND length (code) IN (6, 9, 12) AND length (code) <= ?3 "
                            "ORDER BY code LIMIT ?2", -1, &stmt, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the org units: %s", sqlite3_errmsg (db));
        return NULL;
    }
    //  The subtree: codes that start with org's significant prefix (a
    //  prefecture 513300 holds the counties 5133..)
    sqlite3_bind_text (stmt, 1, org, (int) fg_org_prefix_len (org), SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 4, org, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 2, limit > 1 ? limit - 1 : 0);
    sqlite3_bind_int (stmt, 3, max_level >= 4 ? 12 : max_level == 3 ? 9 : 6);
    fg_rows_t *rows = fg_rows_new ();
    fg_rows_column (rows, "code");
    fg_rows_column (rows, "name");
    fg_rows_column (rows, "level");
    char name [FG_NAME_MAX + 1], level [4];
    fg_org_unit_name (replica, org, name, sizeof name);
    snprintf (level, sizeof level, "%d", fg_org_level (org));
    fg_rows_value (rows, org, false);
    fg_rows_value (rows, name, false);
    fg_rows_value (rows, level, true);
    fg_rows_row_end (rows);
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        const char *code = (const char *) sqlite3_column_text (stmt, 0);
        const char *zh = (const char *) sqlite3_column_text (stmt, 1);
        snprintf (level, sizeof level, "%d", fg_org_level (code));
        fg_rows_value (rows, code, false);
        fg_rows_value (rows, zh && *zh ? zh : code, false);
        fg_rows_value (rows, level, true);
        fg_rows_row_end (rows);
    }
    sqlite3_finalize (stmt);
    if (step != SQLITE_DONE) {
        fg_errf (errbuf, errsize, "cannot read the org units: %s", sqlite3_errmsg (db));
        fg_rows_destroy (&rows);
    }
    return rows;
}
