/*  fgc_show.c - what an operator looks at: list, status, quarantine,
    proposals, digest, log. Read-only: none of these needs the keys. */
#include "fgc.h"
#include "fg_org.h"
#include "fg_hlc.h"
#include "fg_ops.h"
#include "fg_entry.h"

//  A --where filter of fugai list, parsed once like a write of its column
//  (id, org_id and created_by are plain numbers).
typedef struct {
    char       *text;            //  copy of "name=value", split in place
    fg_kv_t     kv;
    fg_value_t  value;
    uint8_t    *bytes;
} s_filter_t;

static int
s_filter_parse (const fg_table_t *table, const char *where, s_filter_t *filter)
{
    filter->text = strdup (where);
    assert (filter->text);
    if (fg_kv_parse (filter->text, &filter->kv))
        return fgc_fail (FGC_USAGE, "--where takes column=value, not '%s'", where);
    const char *name = filter->kv.name;
    if (streq (name, "id") || streq (name, "org_id") || streq (name, "created_by")) {
        filter->value = (fg_value_t) { FG_VAL_INT, 0, NULL, 0 };
        return fgc_number (name, filter->kv.value, 0, INT64_MAX, &filter->value.i);
    }
    const fg_column_t *column = fg_schema_column (table, name);
    if (!column)
        return fgc_fail (FGC_USAGE, "--where: %s has no column '%s' (fugai schema %s)", table->name, name,
                         table->name);
    char err [256];
    if (fg_schema_parse (column, filter->kv.value, &filter->value, &filter->bytes, err, sizeof err))
        return fgc_fail (FGC_USAGE, "--where: %s", err);
    return FGC_OK;
}

int
fgc_list (fgc_t *ctx, int argc, char **argv)
{
    const char *limit = fgc_option (&argc, argv, "--limit");
    const char *wheres [16];
    size_t where_count = 0;
    const char *where;
    while (where_count < 16 && (where = fgc_option (&argc, argv, "--where")))
        wheres [where_count++] = where;
    if (argc != 2)
        return FGC_USAGE;
    int64_t rows = -1;
    if (limit && fgc_number ("--limit", limit, 0, INT64_MAX, &rows))
        return FGC_USAGE;
    const fg_table_t *table = fg_schema_table (argv [1]);
    if (!table || (table->flags & FG_TABLE_SYSTEM))
        return fgc_fail (FGC_REFUSED, "no table '%s' (fugai schema lists them)", argv [1]);
    s_filter_t filters [16];
    memset (filters, 0, sizeof filters);
    int rc = FGC_OK;
    for (size_t i = 0; rc == FGC_OK && i < where_count; i++)
        rc = s_filter_parse (table, wheres [i], &filters [i]);
    if (rc == FGC_OK)
        rc = fgc_open (ctx, false);
    char *sql = NULL;
    size_t sql_size = 0;
    sqlite3_stmt *stmt = NULL;
    if (rc == FGC_OK) {
        FILE *out = open_memstream (&sql, &sql_size);
        assert (out);
        fprintf (out, "SELECT id, org_id");
        for (const fg_column_t *column = table->columns; column->name; column++)
            fprintf (out, ", %s", column->name);
        fprintf (out, "%s, created_by, author FROM %s", table->cls == FG_CLASS_EVENT ? ", voided" : "",
                 table->name);
        for (size_t i = 0; i < where_count; i++)
            fprintf (out, " %s %s = ?", i ? "AND" : "WHERE", filters [i].kv.name);
        fprintf (out, " ORDER BY id LIMIT %lld", (long long) rows);
        fclose (out);
        rc = fgc_prepare (ctx, sql, &stmt);
    }
    if (rc == FGC_OK) {
        for (size_t i = 0; i < where_count; i++)
            fg_value_bind (stmt, (int) i + 1, &filters [i].value);
        rc = fgc_print_rows (ctx, stmt, table, true);
    }
    for (size_t i = 0; i < where_count; i++) {
        free (filters [i].text);
        free (filters [i].bytes);
    }
    free (sql);
    return rc;
}

static void
s_ago (int64_t ms, char *out, size_t size)
{
    if (!ms) {
        snprintf (out, size, "never");
        return;
    }
    int64_t seconds = (fg_now_ms () - ms) / 1000;
    if (seconds < 120)
        snprintf (out, size, "%llds ago", (long long) seconds);
    else
    if (seconds < 7200)
        snprintf (out, size, "%lldmin ago", (long long) seconds / 60);
    else
    if (seconds < 172800)
        snprintf (out, size, "%lldh ago", (long long) seconds / 3600);
    else
        snprintf (out, size, "%lld days ago", (long long) seconds / 86400);
}

int
fgc_status (fgc_t *ctx, int argc, char **argv)
{
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    fg_counts_t counts;
    if (fg_replica_counts (ctx->replica, &counts))
        return fgc_fail (FGC_BROKEN, "%s", fg_replica_error (ctx->replica));
    const fg_node_t *self = fg_replica_self (ctx->replica);
    fg_link_status_t peers [512];
    size_t peer_count = fg_replica_links (ctx->replica, peers, 512);
    if (ctx->format == FG_FORMAT_JSON) {
        printf ("{\"node\": {\"id\": %u, \"role\": \"%s\", \"org\": \"%s\", \"name\": ",
                self->node_id, fg_tier_name (self->tier), self->org);
        fg_json_string (stdout, self->name);
        char *url = fg_config_console_url (ctx->config);
        printf ("},\n \"console_url\": ");
        if (url)
            fg_json_string (stdout, url);
        else
            printf ("null");
        free (url);
        printf (",\n \"replica\": {\"path\": ");
        fg_json_string (stdout, ctx->config->data);
        printf (", \"schema\": %d, \"entries\": %llu, \"own_seq\": %llu, \"last_lsn\": %llu},\n",
                FG_SCHEMA_VERSION, (unsigned long long) counts.log_entries,
                (unsigned long long) counts.own_seq, (unsigned long long) counts.last_lsn);
        printf (" \"counts\": {\"ops_applied\": %llu, \"ops_proposed\": %llu, \"ops_rejected\": %llu, "
                "\"buffered\": %llu, \"quarantined\": %llu, \"forked_origins\": %llu, \"clock_ahead\": %llu, "
                "\"clock_flagged\": %llu, \"transitions_rejected\": %llu},\n",
                (unsigned long long) counts.ops_applied, (unsigned long long) counts.ops_proposed,
                (unsigned long long) counts.ops_rejected, (unsigned long long) counts.buffered,
                (unsigned long long) counts.quarantined, (unsigned long long) counts.forked_origins,
                (unsigned long long) counts.clock_ahead, (unsigned long long) counts.clock_flagged,
                (unsigned long long) counts.transitions_rejected);
        printf (" \"links\": [");
        for (size_t i = 0; i < peer_count; i++) {
            fg_link_status_t *peer = &peers [i];
            printf ("%s\n  {\"node\": %u, \"relation\": \"%s\", \"role\": \"%s\", \"org\": \"%s\", \"name\": ",
                    i ? "," : "", peer->id, peer->relation, peer->tier, peer->org);
            fg_json_string (stdout, peer->name);
            printf (", \"key\": \"%s\", \"state\": ", peer->status);
            fg_json_string (stdout, peer->state);
            printf (", \"last_contact_ms\": %lld, \"rtt_ms\": %lld, \"clock_offset_ms\": %lld, "
                    "\"waiting\": %llu, \"error\": ", (long long) peer->last_contact,
                    (long long) peer->rtt_ms, (long long) peer->offset_ms,
                    (unsigned long long) peer->pending);
            fg_json_string (stdout, peer->error);
            printf ("}");
        }
        printf ("%s]}\n", peer_count ? "\n " : "");
        return FGC_OK;
    }
    printf ("node %u: %s %s (%s)\n", self->node_id, fg_tier_name (self->tier), self->org, self->name);
    char *url = fg_config_console_url (ctx->config);
    printf ("web console: %s\n", url ? url : "off (web/listen in fugai.cfg)");
    free (url);
    printf ("replica %s: %llu entries held, own chain at seq %llu\n", ctx->config->data,
            (unsigned long long) counts.log_entries, (unsigned long long) counts.own_seq);
    printf ("operations: %llu applied, %llu proposals, %llu rejected\n",
            (unsigned long long) counts.ops_applied, (unsigned long long) counts.ops_proposed,
            (unsigned long long) counts.ops_rejected);
    printf ("entries waiting for a predecessor or key (buffered): %llu\n", (unsigned long long) counts.buffered);
    printf ("entries refused (quarantined): %llu%s\n", (unsigned long long) counts.quarantined,
            counts.quarantined ? "  -> fugai quarantine list" : "");
    if (counts.forked_origins)
        printf ("FORKED chains: %llu (a node restored from an old backup?) -> fugai quarantine list;\n"
                "    recover with fugai epoch NODE on its parent\n", (unsigned long long) counts.forked_origins);
    if (fg_replica_recovering (ctx->replica))
        printf ("RECOVERING from a fork (epoch %u): waiting for own entries from seq %llu to come back from "
                "the parent; writes wait until then\n", self->epoch,
                (unsigned long long) fg_replica_restore_from (ctx->replica));
    if (counts.set_aside)
        printf ("entries of a forked branch kept as evidence here: %llu (table forked_own)\n",
                (unsigned long long) counts.set_aside);
    if (counts.clock_ahead || counts.clock_flagged)
        printf ("entries stamped implausibly far ahead: %llu seen here, %llu flagged by hubs "
                "(they rank at their time of receipt)\n", (unsigned long long) counts.clock_ahead,
                (unsigned long long) counts.clock_flagged);
    if (counts.transitions_rejected)
        printf ("workflow transitions rejected (not the owner, or out of order): %llu  -> fugai quarantine list\n",
                (unsigned long long) counts.transitions_rejected);
    for (size_t i = 0; i < peer_count; i++) {
        fg_link_status_t *peer = &peers [i];
        char ago [32];
        s_ago (peer->last_contact, ago, sizeof ago);
        printf ("%s %u: %s %s (%s)%s\n    %s, last contact %s", peer->relation, peer->id, peer->tier,
                peer->org, peer->name, streq (peer->status, "active") ? "" : " [REVOKED]",
                peer->state, ago);
        if (peer->last_contact && streq (peer->state, "connected"))
            printf (", round trip %lld ms", (long long) peer->rtt_ms);
        printf ("; %llu entr%s waiting to go %s\n", (unsigned long long) peer->pending,
                peer->pending == 1 ? "y" : "ies", streq (peer->relation, "parent") ? "up" : "down");
        if (peer->error [0] && !streq (peer->state, "connected"))
            printf ("    last problem: %s\n", peer->error);
    }
    if (peer_count == 0)
        printf ("no parent or children yet (fugai trust / fugai enroll)\n");
    return FGC_OK;
}

//  One section of `fugai quarantine list`: a heading for people, a key of
//  the one JSON object, a table (CSV: one table after another).
static void
s_section (fgc_t *ctx, const char *sql, const fg_table_t *table, const char *heading, const char *key,
           bool first)
{
    sqlite3_stmt *stmt;
    if (fgc_prepare (ctx, sql, &stmt))
        return;
    if (ctx->format == FG_FORMAT_TEXT)
        printf ("%s%s:\n", first ? "" : "\n", heading);
    else
    if (ctx->format == FG_FORMAT_JSON)
        printf ("%s\"%s\": ", first ? "{" : ", ", key);
    fgc_print_rows (ctx, stmt, table, false);
}

int
fgc_quarantine (fgc_t *ctx, int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && !streq (argv [1], "list")))
        return FGC_USAGE;
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    s_section (ctx, "SELECT id, origin, seq, reason, detail, via AS from_node, "
               "datetime (received_at / 1000, 'unixepoch') AS received FROM quarantine ORDER BY id",
               NULL, "Entries refused here", "refused_here", true);
    s_section (ctx, "SELECT r.id, r.created_by AS refused_by, r.origin, r.seq, r.reason, r.detail "
               "FROM refusal r ORDER BY r.id", fg_schema_table ("refusal"),
               "Refusals recorded in the tree (by hubs, about entries of this subtree)", "refusals", false);
    //  Workflow events the fold rejected (not the case's owner at that
    //  point, or a transition that cannot follow the case's state)
    for (size_t t = 0; t < fg_schema_table_count (); t++) {
        const fg_table_t *table = fg_schema_table_at (t);
        if (!table->workflow)
            continue;
        char *sql = fg_strdupf ("SELECT e.id, e.%s AS case_id, e.%s AS transition, e.created_by AS by_node, "
                                "e.author, e.reject_reason FROM %s e WHERE e.rejected = 1 ORDER BY e.id",
                                table->workflow->case_column, table->workflow->transition_column,
                                table->workflow->event_table);
        char *heading = fg_strdupf ("%s transitions rejected by the fold (kept, not applied)", table->name);
        char *key = fg_strdupf ("%s_transitions_rejected", table->name);
        s_section (ctx, sql, NULL, heading, key, false);
        free (sql);
        free (heading);
        free (key);
    }
    s_section (ctx, "SELECT origin, seq, idx, tbl AS table_name, row_id, reason FROM op "
               "WHERE outcome = 'rejected' ORDER BY origin, seq, idx", NULL,
               "Operations rejected by the merge (the entry itself was accepted)", "operations_rejected", false);
    if (ctx->format == FG_FORMAT_JSON)
        printf ("}\n");
    return FGC_OK;
}

int
fgc_proposals (fgc_t *ctx, int argc, char **argv)
{
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    sqlite3 *db = fg_replica_db (ctx->replica);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db, "SELECT origin, seq, idx, tbl, row_id, grp, anchor, author, hlc, body, reason "
                            "FROM op WHERE outcome = 'proposal' ORDER BY hlc, origin, seq, idx", -1, &stmt, NULL))
        return fgc_fail (FGC_BROKEN, "%s", sqlite3_errmsg (db));
    fg_rows_t *out = fg_rows_new ();
    const char *names [] = { "from_node", "seq", "table", "row_id", "group", "org_id", "author", "when", "fields", "why" };
    for (size_t i = 0; i < 10; i++)
        fg_rows_column (out, names [i]);
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 0), true);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 1), true);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 3), false);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 4), true);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 5), false);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 6), true);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 7), false);
        char when [32];
        fg_hlc_format ((uint64_t) sqlite3_column_int64 (stmt, 8), when);
        fg_rows_value (out, when, false);
        //  Fields of the proposal as name=value
        fg_op_t *op = (fg_op_t *) malloc (sizeof (fg_op_t));
        char fields [1024] = "";
        if (fg_op_decode (op, (const uint8_t *) sqlite3_column_blob (stmt, 9),
                          (size_t) sqlite3_column_bytes (stmt, 9)) == 0) {
            for (size_t f = 0; f < op->field_count; f++) {
                const fg_value_t *value = &op->fields [f].value;
                size_t used = strlen (fields);
                if (value->type == FG_VAL_INT)
                    snprintf (fields + used, sizeof fields - used, "%s%s=%lld", used ? " " : "",
                              op->fields [f].name, (long long) value->i);
                else
                if (value->type == FG_VAL_TEXT)
                    snprintf (fields + used, sizeof fields - used, "%s%s=%.*s", used ? " " : "",
                              op->fields [f].name, (int) value->size, value->data);
                else
                    snprintf (fields + used, sizeof fields - used, "%s%s=%s", used ? " " : "",
                              op->fields [f].name, value->type == FG_VAL_NULL ? "null" : "(bytes)");
            }
        }
        free (op);
        fg_rows_value (out, fields, false);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 10), false);
        fg_rows_row_end (out);
    }
    sqlite3_finalize (stmt);
    fgc_print (ctx, out, 0);
    fg_rows_destroy (&out);
    return FGC_OK;
}

int
fgc_digest (fgc_t *ctx, int argc, char **argv)
{
    const char *org = fgc_option (&argc, argv, "--org");
    if (argc != 1)
        return FGC_USAGE;
    if (org && !fg_org_level (org))
        return fgc_fail (FGC_USAGE, "--org %s is not an org code", org);
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    uint8_t digest [FG_HASH_SIZE];
    size_t rows;
    if (fg_replica_digest (ctx->replica, org, digest, &rows))
        return fgc_fail (FGC_BROKEN, "%s", fg_replica_error (ctx->replica));
    char hex [2 * FG_HASH_SIZE + 1];
    fg_hex_encode (digest, FG_HASH_SIZE, hex);
    if (ctx->format == FG_FORMAT_JSON)
        printf ("{\"org\": \"%s\", \"rows\": %zu, \"digest\": \"%s\"}\n", org ? org : "", rows, hex);
    else
        printf ("%s  %zu rows  %s\n", hex, rows, org ? org : "(all)");
    return FGC_OK;
}

int
fgc_log (fgc_t *ctx, int argc, char **argv)
{
    const char *origin = fgc_option (&argc, argv, "--origin");
    const char *limit = fgc_option (&argc, argv, "--limit");
    if (argc != 1)
        return FGC_USAGE;
    uint16_t origin_id = 0;
    int64_t rows = 50;
    if ((origin && fgc_node_id (origin, &origin_id)) || (limit && fgc_number ("--limit", limit, 0, INT64_MAX, &rows)))
        return FGC_USAGE;
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    char *sql = fg_strdupf ("SELECT l.lsn, l.origin, l.seq, l.hlc, l.entry, l.anchor, l.via AS from_node, "
                            "(SELECT group_concat (o.outcome || ' ' || o.kind || ' ' || o.tbl, '; ') FROM op o "
                            "WHERE o.origin = l.origin AND o.seq = l.seq) AS ops FROM log l %s "
                            "ORDER BY l.lsn DESC LIMIT %lld", origin ? "WHERE l.origin = ?" : "", (long long) rows);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (fg_replica_db (ctx->replica), sql, -1, &stmt, NULL)) {
        free (sql);
        return fgc_fail (FGC_BROKEN, "%s", sqlite3_errmsg (fg_replica_db (ctx->replica)));
    }
    free (sql);
    if (origin)
        sqlite3_bind_int (stmt, 1, origin_id);
    fg_rows_t *out = fg_rows_new ();
    const char *names [] = { "lsn", "origin", "seq", "when", "author", "anchor", "from_node", "ops" };
    for (size_t i = 0; i < 8; i++)
        fg_rows_column (out, names [i]);
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 0), true);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 1), true);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 2), true);
        char when [32];
        fg_hlc_format ((uint64_t) sqlite3_column_int64 (stmt, 3), when);
        fg_rows_value (out, when, false);
        fg_entry_t entry;
        if (fg_entry_parse (&entry, (const uint8_t *) sqlite3_column_blob (stmt, 4),
                            (size_t) sqlite3_column_bytes (stmt, 4)) == FG_ENTRY_OK)
            fg_rows_value (out, entry.author, false);
        else
            fg_rows_null (out);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 5), false);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 6), true);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 7), false);
        fg_rows_row_end (out);
    }
    sqlite3_finalize (stmt);
    fgc_print (ctx, out, 0);
    fg_rows_destroy (&out);
    return FGC_OK;
}
