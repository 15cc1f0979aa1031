/*  fg_inspect.c - a replica's own tables for operators (see fg_inspect.h). */
#include "fg_inspect.h"
#include "fg_schema.h"
#include "fg_entry.h"
#include "fg_hlc.h"
#include "fg_keys.h"
#include "fg_util.h"

static sqlite3_stmt *
s_prepare (fg_replica_t *replica, const char *sql, char *errbuf, size_t errsize)
{
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        snprintf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
        return NULL;
    }
    return stmt;
}

static fg_rows_t *
s_columns (const char *const *names, size_t count)
{
    fg_rows_t *rows = fg_rows_new ();
    for (size_t i = 0; i < count; i++)
        fg_rows_column (rows, names [i]);
    return rows;
}

//  The stepping failed part way: say why, drop what was read
static fg_rows_t *
s_step_failed (fg_replica_t *replica, sqlite3_stmt *stmt, fg_rows_t *rows, char *errbuf, size_t errsize)
{
    snprintf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (fg_replica_db (replica)));
    sqlite3_finalize (stmt);
    fg_rows_destroy (&rows);
    return NULL;
}

fg_rows_t *
fg_inspect_log (fg_replica_t *replica, uint16_t origin, int64_t limit, char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt = s_prepare (replica,
        "SELECT l.lsn, l.origin, l.seq, l.hlc, l.entry, l.anchor, l.via, "
        "(SELECT group_concat (o.outcome || ' ' || o.kind || ' ' || o.tbl, '; ') FROM op o "
        " WHERE o.origin = l.origin AND o.seq = l.seq) FROM log l "
        "WHERE ?1 = 0 OR l.origin = ?1 ORDER BY l.lsn DESC LIMIT ?2", errbuf, errsize);
    if (!stmt)
        return NULL;
    sqlite3_bind_int (stmt, 1, origin);
    sqlite3_bind_int64 (stmt, 2, limit);
    static const char *names [] = { "lsn", "origin", "seq", "when", "tick", "author", "anchor", "from_node", "ops" };
    fg_rows_t *out = s_columns (names, sizeof names / sizeof names [0]);
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 0), true);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 1), true);
        fg_rows_value (out, (const char *) sqlite3_column_text (stmt, 2), true);
        uint64_t hlc = (uint64_t) sqlite3_column_int64 (stmt, 3);
        char when [32], tick [8];
        fg_hlc_format (hlc, when);
        fg_rows_value (out, when, false);
        snprintf (tick, sizeof tick, "%u", (unsigned) (hlc & 0xFFFF));
        fg_rows_value (out, tick, true);
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
    if (rc != SQLITE_DONE)
        return s_step_failed (replica, stmt, out, errbuf, errsize);
    sqlite3_finalize (stmt);
    return out;
}

//  One section: the rows of `sql` (formatted by `table` when not NULL)
//  with its heading and JSON key
static fg_rows_t *
s_section (fg_replica_t *replica, const char *sql, const fg_table_t *table,
           const char *heading, const char *key, char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt = s_prepare (replica, sql, errbuf, errsize);
    if (!stmt)
        return NULL;
    fg_rows_t *rows = fg_schema_rows (stmt, table, errbuf, errsize);
    sqlite3_finalize (stmt);
    if (rows) {
        fg_rows_meta_set (rows, "heading", heading);
        fg_rows_meta_set (rows, "key", key);
    }
    return rows;
}

void
fg_inspect_sections_destroy (fg_rows_t ***sections_p, size_t count)
{
    if (!*sections_p)
        return;
    for (size_t i = 0; i < count; i++)
        fg_rows_destroy (&(*sections_p) [i]);
    free (*sections_p);
    *sections_p = NULL;
}

fg_rows_t **
fg_inspect_refused (fg_replica_t *replica, size_t *count_p, char *errbuf, size_t errsize)
{
    //  Two fixed sections, one per workflow table, one for operations
    size_t max = fg_schema_table_count () + 3;
    fg_rows_t **sections = (fg_rows_t **) calloc (max, sizeof (fg_rows_t *));
    size_t count = 0;
    sections [count] = s_section (replica,
        "SELECT id, origin, seq, reason, detail, via AS from_node, size, entry IS NOT NULL AS bytes_kept, "
        "datetime (received_at / 1000, 'unixepoch') AS received FROM quarantine ORDER BY id", NULL,
        "Entries refused here", "refused_here", errbuf, errsize);
    if (!sections [count++])
        goto failed;
    sections [count] = s_section (replica,
        "SELECT r.id, r.created_by AS refused_by, r.origin, r.seq, coalesce (r.last_seq, r.seq) AS last_seq, "
        "coalesce (r.count, 1) AS entries, r.reason, r.detail FROM refusal r ORDER BY r.id",
        fg_schema_table ("refusal"),
        "Refusals recorded in the tree (by hubs, about entries of this subtree)", "refusals", errbuf, errsize);
    if (!sections [count++])
        goto failed;
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
        sections [count] = s_section (replica, sql, NULL, heading, key, errbuf, errsize);
        free (sql);
        free (heading);
        free (key);
        if (!sections [count++])
            goto failed;
    }
    sections [count] = s_section (replica,
        "SELECT origin, seq, idx, tbl AS table_name, row_id, reason FROM op "
        "WHERE outcome = 'rejected' ORDER BY origin, seq, idx", NULL,
        "Operations rejected by the merge (the entry itself was accepted)", "operations_rejected",
        errbuf, errsize);
    if (!sections [count++])
        goto failed;
    *count_p = count;
    return sections;
failed:
    fg_inspect_sections_destroy (&sections, count);
    return NULL;
}

static void
s_problem (fg_rows_t *problems, const char *where, const char *what)
{
    fg_rows_value (problems, where, false);
    fg_rows_value (problems, what, false);
    fg_rows_row_end (problems);
}

fg_rows_t *
fg_inspect_check (fg_replica_t *replica, uint64_t *entries_p, char *errbuf, size_t errsize)
{
    static const char *names [] = { "where", "problem" };
    fg_rows_t *problems = s_columns (names, 2);
    *entries_p = 0;
    sqlite3_stmt *stmt = s_prepare (replica, "PRAGMA integrity_check", errbuf, errsize);
    if (!stmt) {
        fg_rows_destroy (&problems);
        return NULL;
    }
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        const char *line = (const char *) sqlite3_column_text (stmt, 0);
        if (line && !streq (line, "ok"))
            s_problem (problems, "sqlite", line);
    }
    sqlite3_finalize (stmt);
    //  Every logged entry parses and is signed by its origin with the key
    //  it had in the entry's epoch (a retired one before a replacement);
    //  chains of this node's subtree (up = 1) link without a gap
    stmt = s_prepare (replica,
        "SELECT l.origin, l.seq, l.entry, l.up, coalesce ((SELECT k.sign_pk FROM node_key k "
        "WHERE k.node_id = l.origin AND k.until_epoch > l.epoch ORDER BY k.until_epoch LIMIT 1), n.sign_pk) "
        "FROM log l LEFT JOIN node n ON n.node_id = l.origin ORDER BY l.origin, l.seq", errbuf, errsize);
    if (!stmt) {
        fg_rows_destroy (&problems);
        return NULL;
    }
    int last_origin = -1;
    uint64_t last_seq = 0;
    uint8_t last_hash [FG_HASH_SIZE];
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        (*entries_p)++;
        int origin = sqlite3_column_int (stmt, 0);
        uint64_t seq = (uint64_t) sqlite3_column_int64 (stmt, 1);
        char where [48];
        snprintf (where, sizeof where, "entry %d/%llu", origin, (unsigned long long) seq);
        fg_entry_t entry;
        if (fg_entry_parse (&entry, (const uint8_t *) sqlite3_column_blob (stmt, 2),
                            (size_t) sqlite3_column_bytes (stmt, 2)) != FG_ENTRY_OK
        ||  sqlite3_column_bytes (stmt, 4) != FG_SIGN_PK_SIZE
        ||  fg_entry_verify (&entry, (const uint8_t *) sqlite3_column_blob (stmt, 4))) {
            s_problem (problems, where, "does not parse or verify");
            continue;
        }
        if (sqlite3_column_int (stmt, 3)) {
            bool linked = origin == last_origin
                ? seq == last_seq + 1 && memcmp (entry.prev_hash, last_hash, FG_HASH_SIZE) == 0
                : seq == 1;
            if (!linked)
                s_problem (problems, where, "chain does not link to the entry before");
        }
        last_origin = origin;
        last_seq = seq;
        memcpy (last_hash, entry.hash, FG_HASH_SIZE);
    }
    if (rc != SQLITE_DONE)
        return s_step_failed (replica, stmt, problems, errbuf, errsize);
    sqlite3_finalize (stmt);
    return problems;
}
