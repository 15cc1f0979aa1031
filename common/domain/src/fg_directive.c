/*  fg_directive.c - acknowledgements of directives (see fg_directive.h). */
#include "fg_directive.h"
#include "fg_pairing.h"
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

int
fg_directive_ack_arrived (fg_replica_t *replica, const char *author, size_t *count_p)
{
    *count_p = 0;
    const fg_node_t *self = fg_replica_self (replica);
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db,
            "SELECT d.id, d.org_id, d.kind, d.payload_ref FROM directive d "
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
        if (!fg_org_contains (target, self->org))
            continue;
        //  A township checks a pairing plan's slice before it says applied
        char state [16] = "received", detail [256] = "";
        const char *kind = (const char *) sqlite3_column_text (stmt, 2);
        if (kind && streq (kind, "pairing_plan")
        &&  fg_pairing_directive_ack (replica, (const char *) sqlite3_column_text (stmt, 3), state,
                                      detail, sizeof detail)) {
            snprintf (err, sizeof err, "pairing plan slice: %s", fg_replica_error (replica));
            rc = -1;
            break;
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
