/*  fg_directive.c - acknowledgements of directives (see fg_directive.h). */
#include "fg_directive.h"
#include "fg_pairing.h"
#include "fg_rules.h"
#include "fg_org.h"
#include "fg_util.h"
#include "fg_schema.h"

int
fg_directive_ack_add (fg_batch_t *batch, uint64_t directive_id, const char *state,
                      const char *reason, const char *result_ref, char *errbuf, size_t errsize)
{
    fg_replica_t *replica = fg_batch_replica (batch);
    char directive [24], node [16], today [11];
    snprintf (directive, sizeof directive, "%llu", (unsigned long long) directive_id);
    snprintf (node, sizeof node, "%u", fg_replica_self (replica)->node_id);
    fg_date_format (fg_now_ms () / 86400000, today);
    fg_kv_t fields [6] = {
        { "directive_id", directive }, { "node_id", node }, { "state", state }, { "occurred_on", today }
    };
    size_t count = 4;
    if (reason && *reason)
        fields [count++] = (fg_kv_t) { "reason", reason };
    if (result_ref && *result_ref)
        fields [count++] = (fg_kv_t) { "result_ref", result_ref };
    uint64_t id;
    return fg_batch_add (batch, "directive_ack", fields, count, &id, errbuf, errsize);
}

int
fg_directive_ack (fg_replica_t *replica, uint64_t directive_id, const char *state,
                  const char *reason, const char *result_ref, const char *author,
                  char *errbuf, size_t errsize)
{
    if (fg_replica_begin (replica))
        return fg_errf (errbuf, errsize, "%s", fg_replica_error (replica));
    fg_batch_t *batch = fg_batch_new (replica, author);
    int rc = fg_directive_ack_add (batch, directive_id, state, reason, result_ref, errbuf, errsize);
    if (rc == 0)
        rc = fg_batch_flush (batch, errbuf, errsize);
    fg_batch_destroy (&batch);
    if (rc == 0 && fg_replica_commit (replica))
        rc = fg_errf (errbuf, errsize, "cannot commit: %s", fg_replica_error (replica));
    if (rc)
        fg_replica_rollback (replica);
    return rc;
}

//  A festival or disaster directive expanded at a township (DOMAIN.md
//  §3.4 M1): one must_visit_trigger per household of the township inside
//  the directive's target org, active and in H on the directive's day
//  (effective_on, else the day it was issued); a festival covers the
//  households with a pair (primary and active that day, or provisional),
//  or with payload_ref "focus" the focus households among them (needy,
//  demonstration, registered poor); a disaster covers every household
//  there. Each trigger names the directive, its source and its due day
//  (the day plus the category's window in force now), once per household
//  and directive. *count_p gets how many were written. 0, or -1 with the
//  reason in errbuf.
static int
s_expand (fg_batch_t *batch, uint64_t directive_id, const char *target, const char *kind,
          const char *payload_ref, int64_t day, size_t *count_p, char *errbuf, size_t errsize)
{
    *count_p = 0;
    fg_replica_t *replica = fg_batch_replica (batch);
    const fg_node_t *self = fg_replica_self (replica);
    bool festival = streq (kind, "festival_campaign");
    bool focus = festival && payload_ref && streq (payload_ref, "focus");
    //  The narrower of the township and the directive's target
    const char *scope = fg_org_contains (self->org, target) ? target : self->org;
    const char *category = festival ? "major_festival" : "sudden_disaster";
    char window_name [64];
    snprintf (window_name, sizeof window_name, "window_%s", category);
    int64_t window = fg_rules_param (replica, window_name, NULL);
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db,
            "SELECT h.id, h.org_id FROM household h "
            "WHERE substr (h.org_id, 1, length (?1)) = ?1 AND length (h.org_id) = 12 "
            "AND " FG_PAIRING_HOUSEHOLD_IN_H " "
            "AND (h.valid_from IS NULL OR h.valid_from <= ?2) AND (h.valid_to IS NULL OR h.valid_to > ?2) "
            "AND (?3 = 0 OR EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = h.id "
            "        AND coalesce (p.role, 'primary') = 'primary' AND (p.start_on IS NULL OR p.start_on <= ?2) "
            "        AND (p.end_on IS NULL OR p.end_on > ?2)) "
            "     OR EXISTS (SELECT 1 FROM pairing_provisional q WHERE q.household_id = h.id AND q.voided = 0)) "
            "AND (?4 = 0 OR coalesce (h.needy, 0) OR coalesce (h.demonstration, 0) "
            "     OR coalesce (h.poverty_registered, 0)) "
            "AND NOT EXISTS (SELECT 1 FROM must_visit_trigger t WHERE t.household_id = h.id "
            "    AND t.directive_id = ?5) ORDER BY h.id", -1, &stmt, NULL) != SQLITE_OK)
        return fg_errf (errbuf, errsize, "households to visit: %s", sqlite3_errmsg (db));
    sqlite3_bind_text (stmt, 1, scope, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, day);
    sqlite3_bind_int (stmt, 3, festival);
    sqlite3_bind_int (stmt, 4, focus);
    sqlite3_bind_int64 (stmt, 5, (sqlite3_int64) directive_id);
    char directive [24], occurred [16], due [16];
    snprintf (directive, sizeof directive, "%llu", (unsigned long long) directive_id);
    fg_date_format (day, occurred);
    fg_date_format (day + window, due);
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        char household [24], org [24];
        snprintf (household, sizeof household, "%lld", (long long) sqlite3_column_int64 (stmt, 0));
        snprintf (org, sizeof org, "%lld", (long long) sqlite3_column_int64 (stmt, 1));
        fg_kv_t fields [] = {
            { "household_id", household }, { "category", category }, { "occurred_on", occurred },
            { "source", festival ? "festival_calendar" : "disaster_directive" }, { "directive_id", directive },
            { "due_by", due }, { "org_id", org }
        };
        uint64_t id;
        rc = fg_batch_add (batch, "must_visit_trigger", fields, sizeof fields / sizeof fields [0], &id,
                           errbuf, errsize);
        if (rc == 0)
            (*count_p)++;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = fg_errf (errbuf, errsize, "households to visit: %s", sqlite3_errmsg (db));
    sqlite3_finalize (stmt);
    return rc;
}

int
fg_directive_ack_arrived (fg_replica_t *replica, const char *author, size_t *count_p)
{
    *count_p = 0;
    const fg_node_t *self = fg_replica_self (replica);
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db,
            "SELECT d.id, d.org_id, d.kind, d.payload_ref, "
            "  coalesce (d.effective_on, (d.created_hlc >> 16) / 86400000) FROM directive d "
            "WHERE d.voided = 0 AND d.created_by != ?1 "
            "AND NOT EXISTS (SELECT 1 FROM directive_ack a WHERE a.directive_id = d.id "
            "AND a.node_id = ?1) ORDER BY d.id", -1, &stmt, NULL) != SQLITE_OK)
        return fg_replica_fail_with (replica, "directives: %s", sqlite3_errmsg (db));
    sqlite3_bind_int (stmt, 1, self->node_id);
    fg_batch_t *batch = fg_batch_new (replica, author);
    char err [512] = "";
    int rc = 0;
    while (rc == 0 && sqlite3_step (stmt) == SQLITE_ROW) {
        char target [24];
        snprintf (target, sizeof target, "%lld", (long long) sqlite3_column_int64 (stmt, 1));
        const char *kind = (const char *) sqlite3_column_text (stmt, 2);
        bool expands = kind && self->tier == FG_TIER_TOWNSHIP
                    && (streq (kind, "festival_campaign") || streq (kind, "disaster_trigger"));
        //  Aimed at this node's subtree; or, for a township, a festival or
        //  disaster in one of its villages
        if (!fg_org_contains (target, self->org) && !(expands && fg_org_contains (self->org, target)))
            continue;
        //  A township checks a pairing plan's slice before it says applied
        char state [16] = "received", detail [256] = "";
        if (kind && streq (kind, "pairing_plan")
        &&  fg_pairing_directive_ack (replica, (const char *) sqlite3_column_text (stmt, 3), state,
                                      detail, sizeof detail)) {
            snprintf (err, sizeof err, "pairing plan slice: %s", fg_replica_error (replica));
            rc = -1;
            break;
        }
        //  A township expands a festival or disaster directive into its
        //  households' must-visit triggers, and says how many
        if (expands) {
            size_t triggers;
            rc = s_expand (batch, (uint64_t) sqlite3_column_int64 (stmt, 0), target, kind,
                           (const char *) sqlite3_column_text (stmt, 3), sqlite3_column_int64 (stmt, 4),
                           &triggers, err, sizeof err);
            if (rc)
                break;
            snprintf (state, sizeof state, "applied");
            snprintf (detail, sizeof detail, "%zu must-visit triggers", triggers);
        }
        bool refused = streq (state, "refused");
        rc = fg_directive_ack_add (batch, (uint64_t) sqlite3_column_int64 (stmt, 0), state,
                                   refused ? detail : NULL, refused ? NULL : detail, err, sizeof err);
        if (rc == 0)
            (*count_p)++;
    }
    sqlite3_finalize (stmt);
    if (rc == 0)
        rc = fg_batch_flush (batch, err, sizeof err);
    fg_batch_destroy (&batch);
    if (rc)
        fg_replica_fail_with (replica, "%s", err);
    return rc;
}

//  Rows of one statement, formatted by `table`'s schema
static fg_rows_t *
s_rows (fg_replica_t *replica, const char *sql, const char *table, char *errbuf, size_t errsize)
{
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        snprintf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
        return NULL;
    }
    fg_rows_t *rows = fg_schema_rows (stmt, fg_schema_table (table), errbuf, errsize);
    sqlite3_finalize (stmt);
    return rows;
}

fg_rows_t *
fg_directive_list (fg_replica_t *replica, char *errbuf, size_t errsize)
{
    return s_rows (replica,
        "SELECT d.id, CAST (d.org_id AS TEXT) AS \"to\", d.title, d.due_on, d.created_by AS issued_by, "
        "d.author, d.voided, (SELECT group_concat (a.node_id || ':' || a.state, ' ') FROM "
        "  (SELECT node_id, state FROM directive_ack WHERE directive_id = d.id ORDER BY node_id) a) AS acks "
        "FROM directive d ORDER BY d.id", "directive", errbuf, errsize);
}

fg_rows_t *
fg_directive_plans (fg_replica_t *replica, char *errbuf, size_t errsize)
{
    return s_rows (replica,
        "SELECT id, org_id AS county, cycle_year, version, base_version AS base, effective_on, "
        "stats_kept AS kept, stats_new AS new, stats_ended AS ended, stats_deficit AS deficit, "
        "plan_hash, author, "
        "(SELECT group_concat (a.node_id || ':' || a.state, ' ') FROM "
        "  (SELECT a.node_id, a.state FROM directive d JOIN directive_ack a ON a.directive_id = d.id "
        "   WHERE d.payload_ref = 'pairing_plan:' || p.id AND NOT EXISTS (SELECT 1 FROM directive_ack n "
        "     WHERE n.directive_id = a.directive_id AND n.node_id = a.node_id "
        "     AND (n.created_hlc, n.id) > (a.created_hlc, a.id)) ORDER BY a.node_id) a) AS acks "
        "FROM pairing_plan p ORDER BY org_id, version DESC", "pairing_plan", errbuf, errsize);
}

int
fg_directive_latest_plan (fg_replica_t *replica, const char *township, uint64_t *directive_id, char ref [48],
                          char *errbuf, size_t errsize)
{
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db,
            "SELECT d.id, d.payload_ref FROM pairing_plan p JOIN directive d "
            "ON d.payload_ref = 'pairing_plan:' || p.id AND d.kind = 'pairing_plan' AND d.voided = 0 "
            "WHERE p.org_id = ?1 / 1000 ORDER BY p.version DESC LIMIT 1", -1, &stmt, NULL) != SQLITE_OK) {
        snprintf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
        return -1;
    }
    sqlite3_bind_int64 (stmt, 1, strtoll (township, NULL, 10));
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW) {
        *directive_id = (uint64_t) sqlite3_column_int64 (stmt, 0);
        snprintf (ref, 48, "%s", (const char *) sqlite3_column_text (stmt, 1));
    }
    else
    if (rc != SQLITE_DONE)
        snprintf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
    sqlite3_finalize (stmt);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

typedef struct {
    char code [16];
    char name [FG_NAME_MAX + 1];
    unsigned node;
} s_target_t;

static int
s_target_compare (const void *a, const void *b)
{
    const s_target_t *x = (const s_target_t *) a, *y = (const s_target_t *) b;
    //  Shorter codes of one length class first: 513300, 513328, 513328100
    size_t lx = strlen (x->code), ly = strlen (y->code);
    int rc = strncmp (x->code, y->code, lx < ly ? lx : ly);
    return rc ? rc : (int) lx - (int) ly;
}

fg_rows_t *
fg_directive_targets (fg_replica_t *replica, char *errbuf, size_t errsize)
{
    const fg_node_t *self = fg_replica_self (replica);
    size_t count = 0;
    fg_origin_status_t *nodes = fg_replica_origins (replica, self->org, &count);
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *units = NULL;
    //  Counties and townships of the registry (a township whose node this
    //  one has not heard of yet is still a target: the directive waits
    //  for it at its county)
    if (sqlite3_prepare_v2 (db,
            "SELECT CAST (id AS TEXT), name_zh FROM org_unit WHERE length (CAST (id AS TEXT)) IN (6, 9) "
            "AND (valid_to IS NULL OR valid_to > ?1) ORDER BY id", -1, &units, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
        free (nodes);
        return NULL;
    }
    sqlite3_bind_int64 (units, 1, fg_now_ms () / 86400000);
    size_t max = count + 1, used = 0;
    s_target_t *targets = (s_target_t *) calloc (max, sizeof (s_target_t));
    assert (targets);
    snprintf (targets [used].code, sizeof targets [used].code, "%s", self->org);
    snprintf (targets [used].name, sizeof targets [used].name, "%s", self->name);
    targets [used++].node = self->node_id;
    for (size_t i = 0; i < count; i++) {
        if (nodes [i].id == self->node_id || streq (nodes [i].status, "revoked")
        ||  !fg_org_contains (self->org, nodes [i].org) || streq (nodes [i].org, self->org))
            continue;
        snprintf (targets [used].code, sizeof targets [used].code, "%s", nodes [i].org);
        snprintf (targets [used].name, sizeof targets [used].name, "%s", nodes [i].name);
        targets [used++].node = nodes [i].id;
    }
    free (nodes);
    while (sqlite3_step (units) == SQLITE_ROW) {
        const char *code = (const char *) sqlite3_column_text (units, 0);
        const char *name = (const char *) sqlite3_column_text (units, 1);
        if (!code || fg_org_level (code) < 2 || !fg_org_contains (self->org, code))
            continue;
        size_t at;
        for (at = 0; at < used; at++)
            if (streq (targets [at].code, code))
                break;
        if (at == used) {
            if (used == max) {
                max *= 2;
                targets = (s_target_t *) realloc (targets, max * sizeof (s_target_t));
                assert (targets);
            }
            memset (&targets [used], 0, sizeof targets [used]);
            snprintf (targets [used].code, sizeof targets [used].code, "%s", code);
            used++;
        }
        if (name && *name)              //  the registry's name before the node's
            snprintf (targets [at].name, sizeof targets [at].name, "%s", name);
    }
    sqlite3_finalize (units);
    if (used > 1)
        qsort (targets + 1, used - 1, sizeof (s_target_t), s_target_compare);
    fg_rows_t *rows = fg_rows_new ();
    fg_rows_column (rows, "code");
    fg_rows_column (rows, "name");
    fg_rows_column (rows, "tier");
    fg_rows_column (rows, "node");
    for (size_t i = 0; i < used; i++) {
        fg_rows_value (rows, targets [i].code, false);
        fg_rows_value (rows, targets [i].name [0] ? targets [i].name : targets [i].code, false);
        fg_rows_value (rows, fg_tier_name (fg_org_tier (targets [i].code)), false);
        if (targets [i].node) {
            char node [12];
            snprintf (node, sizeof node, "%u", targets [i].node);
            fg_rows_value (rows, node, true);
        }
        else
            fg_rows_null (rows);
        fg_rows_row_end (rows);
    }
    free (targets);
    return rows;
}
