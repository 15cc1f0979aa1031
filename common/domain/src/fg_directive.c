/*  fg_directive.c - acknowledgements of directives (see fg_directive.h). */
#include "fg_directive.h"
#include "fg_pairing.h"
#include "fg_org.h"
#include "fg_util.h"

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

fg_rows_t *
fg_directive_targets (fg_replica_t *replica, char *errbuf, size_t errsize)
{
    const fg_node_t *self = fg_replica_self (replica);
    size_t count = 0;
    fg_origin_status_t *nodes = fg_replica_origins (replica, self->org, &count);
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *name = NULL;
    if (sqlite3_prepare_v2 (db, "SELECT name_zh FROM org_unit WHERE id = ?", -1, &name, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
        free (nodes);
        return NULL;
    }
    fg_rows_t *rows = fg_rows_new ();
    fg_rows_column (rows, "code");
    fg_rows_column (rows, "name");
    fg_rows_column (rows, "tier");
    fg_rows_column (rows, "node");
    //  The whole subtree first, then each node below by org code
    for (size_t i = 0; i <= count; i++) {
        const char *org = i ? nodes [i - 1].org : self->org;
        if (i && (nodes [i - 1].id == self->node_id || streq (nodes [i - 1].status, "revoked")
               || !fg_org_contains (self->org, org) || streq (org, self->org)))
            continue;
        char label [FG_NAME_MAX + 1];
        snprintf (label, sizeof label, "%s", i ? nodes [i - 1].name : self->name);
        sqlite3_reset (name);
        sqlite3_bind_int64 (name, 1, strtoll (org, NULL, 10));
        if (sqlite3_step (name) == SQLITE_ROW && sqlite3_column_text (name, 0))
            snprintf (label, sizeof label, "%s", (const char *) sqlite3_column_text (name, 0));
        char node [8];
        snprintf (node, sizeof node, "%u", i ? nodes [i - 1].id : self->node_id);
        fg_rows_value (rows, org, false);
        fg_rows_value (rows, label, false);
        fg_rows_value (rows, fg_tier_name (fg_org_tier (org)), false);
        fg_rows_value (rows, node, true);
        fg_rows_row_end (rows);
    }
    sqlite3_finalize (name);
    free (nodes);
    return rows;
}
