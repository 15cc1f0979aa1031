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
