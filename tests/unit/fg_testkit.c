/*  fg_testkit.c - fixtures for self-tests (see fg_testkit.h). */
#include "fg_testkit.h"
#include "fg_directive.h"
#include "fg_util.h"

char *
fg_testkit_dir (const char *name)
{
    char *dir = fg_strdupf ("/tmp/%s.%d", name, (int) getpid ());
    fg_testkit_rmdir (dir);
    assert (fg_mkdir_p (dir, 0700) == 0);
    return dir;
}

void
fg_testkit_rmdir (const char *dir)
{
    char *command = fg_strdupf ("rm -rf '%s'", dir);
    if (system (command)) { }
    free (command);
}

void
fg_testkit_node (fg_testnode_t *tnode, const char *dir, uint16_t id, fg_tier_t tier,
                 const char *org, const char *name)
{
    memset (tnode, 0, sizeof *tnode);
    tnode->keys = fg_keys_new ();
    tnode->node.node_id = id;
    tnode->node.tier = tier;
    snprintf (tnode->node.org, sizeof tnode->node.org, "%s", org);
    snprintf (tnode->node.name, sizeof tnode->node.name, "%s", name);
    memcpy (tnode->node.sign_pk, fg_keys_sign_pk (tnode->keys), FG_SIGN_PK_SIZE);
    snprintf (tnode->node.curve_pk, sizeof tnode->node.curve_pk, "%s",
              zcert_public_txt (fg_keys_cert (tnode->keys)));
    char *path = fg_strdupf ("%s/%s.db", dir, org);
    tnode->replica = fg_programme_create (path, &tnode->node);
    assert (tnode->replica);
    fg_replica_set_keys (tnode->replica, tnode->keys);
    free (path);
}

void
fg_testkit_node_destroy (fg_testnode_t *tnode)
{
    fg_replica_destroy (&tnode->replica);
    fg_keys_destroy (&tnode->keys);
}

void
fg_testkit_link (fg_testnode_t *parent, fg_testnode_t *child)
{
    char err [256];
    int rc = fg_replica_enroll (parent->replica, &child->node, "setup", err, sizeof err);
    if (rc == 0)
        rc = fg_replica_trust (child->replica, &parent->node, "setup", err, sizeof err);
    if (rc)
        fprintf (stderr, "fg_testkit_link: %s\n", err);
    assert (rc == 0);
}

void
fg_testkit_chain (const char *dir, fg_testnode_t *pref, fg_testnode_t *county, fg_testnode_t *town,
                  const char *county_name, const char *town_name)
{
    fg_testkit_node (pref, dir, 1, FG_TIER_PREFECTURE, "513300", "prefecture");
    fg_testkit_node (county, dir, 128, FG_TIER_COUNTY, "513328", county_name);
    fg_testkit_node (town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", town_name);
    fg_testkit_link (pref, county);
    fg_testkit_link (county, town);
}

void
fg_testkit_chain_end (char **dir_p, fg_testnode_t *pref, fg_testnode_t *county, fg_testnode_t *town)
{
    fg_testkit_node_destroy (town);
    fg_testkit_node_destroy (county);
    fg_testkit_node_destroy (pref);
    fg_testkit_rmdir (*dir_p);
    zstr_free (dir_p);
}

uint64_t
fg_testkit_household (fg_testnode_t *tnode, const char *village, const char *head)
{
    assert (fg_replica_begin (tnode->replica) == 0);
    uint64_t id = fg_replica_new_id (tnode->replica);
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", id, strtoull (village, NULL, 10));
    fg_ops_set_text (ops, "head_name", head);
    fg_ops_set_int (ops, "size", 4);
    assert (fg_replica_append (tnode->replica, ops, "clerk", NULL, NULL) == 0);
    assert (fg_replica_commit (tnode->replica) == 0);
    fg_ops_destroy (&ops);
    return id;
}

int64_t
fg_testkit_int (fg_testnode_t *tnode, const char *sql)
{
    sqlite3_stmt *stmt;
    assert (sqlite3_prepare_v2 (fg_replica_db (tnode->replica), sql, -1, &stmt, NULL) == SQLITE_OK);
    int64_t value = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
    sqlite3_finalize (stmt);
    return value;
}

int
fg_testkit_collect (void *arg, uint64_t lsn, const uint8_t *entry, size_t size)
{
    fg_testbatch_t *batch = (fg_testbatch_t *) arg;
    if (batch->count == batch->alloc) {
        batch->alloc = batch->alloc ? batch->alloc * 2 : 256;
        batch->entries = (uint8_t **) realloc (batch->entries, batch->alloc * sizeof (uint8_t *));
        batch->sizes = (size_t *) realloc (batch->sizes, batch->alloc * sizeof (size_t));
        assert (batch->entries && batch->sizes);
    }
    batch->entries [batch->count] = (uint8_t *) malloc (size);
    assert (batch->entries [batch->count]);
    memcpy (batch->entries [batch->count], entry, size);
    batch->sizes [batch->count++] = size;
    return 0;
}

void
fg_testkit_batch_free (fg_testbatch_t *batch)
{
    for (size_t i = 0; i < batch->count; i++)
        free (batch->entries [i]);
    free (batch->entries);
    free (batch->sizes);
    memset (batch, 0, sizeof *batch);
}

fg_rx_stats_t
fg_testkit_sync (fg_testnode_t *from, fg_testnode_t *to, bool up)
{
    fg_testbatch_t batch = { 0 };
    uint64_t last;
    assert (fg_replica_scan (from->replica, up ? NULL : &to->node, 0, 10000000, fg_testkit_collect,
                             &batch, &last) == 0);
    fg_rx_stats_t stats = { 0 };
    assert (fg_replica_begin (to->replica) == 0);
    assert (fg_replica_receive_batch (to->replica, (const uint8_t **) batch.entries, batch.sizes,
                                      batch.count, &from->node, up, &stats) == 0);
    size_t acks;
    assert (fg_directive_ack_arrived (to->replica, "test", &acks) == 0);
    assert (fg_replica_commit (to->replica) == 0);
    fg_testkit_batch_free (&batch);
    return stats;
}

//  -------------------------------------------------------------------------
//  Tests of the merge alone

void
fg_testkit_authors (fg_testauthor_t authors [FG_TESTKIT_AUTHORS])
{
    static const fg_node_t nodes [FG_TESTKIT_AUTHORS] = {
        { .node_id = 28100, .tier = FG_TIER_TOWNSHIP,   .org = "513328100", .name = "town" },
        { .node_id = 28101, .tier = FG_TIER_TOWNSHIP,   .org = "513328101", .name = "other town" },
        { .node_id = 128,   .tier = FG_TIER_COUNTY,     .org = "513328",    .name = "county" },
        { .node_id = 1,     .tier = FG_TIER_PREFECTURE, .org = "513300",    .name = "prefecture" },
        { .node_id = 129,   .tier = FG_TIER_COUNTY,     .org = "513329",    .name = "other county" }
    };
    for (size_t i = 0; i < FG_TESTKIT_AUTHORS; i++) {
        memset (&authors [i], 0, sizeof authors [i]);
        authors [i].node = nodes [i];
        authors [i].keys = fg_keys_new ();
    }
}

void
fg_testkit_authors_destroy (fg_testauthor_t authors [FG_TESTKIT_AUTHORS])
{
    for (size_t i = 0; i < FG_TESTKIT_AUTHORS; i++)
        fg_keys_destroy (&authors [i].keys);
}

uint64_t
fg_testkit_author_id (fg_testauthor_t *author)
{
    return ((uint64_t) author->node.node_id << FG_ID_SHIFT) | ++author->counter;
}

uint8_t *
fg_testkit_sign (fg_testauthor_t *author, fg_ops_t **ops_p, uint64_t hlc, size_t *size_p)
{
    char err [128];
    size_t payload_size;
    uint8_t *payload = fg_ops_encode (*ops_p, &payload_size, err, sizeof err);
    assert (payload);
    fg_ops_destroy (ops_p);
    uint8_t hash [FG_HASH_SIZE];
    uint8_t *bytes = fg_entry_build (author->keys, author->node.node_id, 0, ++author->seq, hlc,
                                     author->prev, "tester", payload, payload_size, size_p, hash);
    assert (bytes);
    memcpy (author->prev, hash, FG_HASH_SIZE);
    free (payload);
    return bytes;
}

void
fg_testkit_merge (fg_merge_t *merge, fg_testauthor_t *author, const uint8_t *bytes, size_t size,
                  fg_merge_result_t *result)
{
    fg_entry_t entry;
    assert (fg_entry_parse (&entry, bytes, size) == FG_ENTRY_OK);
    assert (fg_merge_entry (merge, &author->node, &entry, result) == 0);
}

size_t
fg_testkit_script_add (fg_testscript_t *script, fg_testauthor_t *author, fg_ops_t **ops_p,
                       uint64_t hlc)
{
    assert (script->count < FG_TESTSCRIPT_MAX);
    size_t index = script->count++;
    script->by [index] = author;
    script->bytes [index] = fg_testkit_sign (author, ops_p, hlc, &script->sizes [index]);
    return index;
}

void
fg_testkit_script_merge (fg_testscript_t *script, fg_merge_t *merge, const size_t *order)
{
    for (size_t i = 0; i < script->count; i++) {
        size_t k = order ? order [i] : i;
        fg_merge_result_t result;
        fg_testkit_merge (merge, script->by [k], script->bytes [k], script->sizes [k], &result);
    }
}

void
fg_testkit_script_free (fg_testscript_t *script)
{
    for (size_t i = 0; i < script->count; i++)
        free (script->bytes [i]);
    script->count = 0;
}

sqlite3 *
fg_testkit_merge_db (fg_merge_t **merge_p)
{
    sqlite3 *db;
    assert (sqlite3_open (":memory:", &db) == SQLITE_OK);
    *merge_p = fg_merge_new (db);
    assert (*merge_p);
    return db;
}

//  Prepare a query (asserts it is valid SQL) and take its first step;
//  the statement, positioned on the first column of the first row if
//  *value_p (a row, and its first column is not NULL).
static sqlite3_stmt *
s_db_query (sqlite3 *db, bool *value_p, const char *format, va_list args)
{
    char *sql = sqlite3_vmprintf (format, args);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        fprintf (stderr, "%s: %s\n", sql, sqlite3_errmsg (db));
        assert (false);
    }
    sqlite3_free (sql);
    *value_p = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL;
    return stmt;
}

int64_t
fg_testkit_db_int (sqlite3 *db, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    bool has;
    sqlite3_stmt *stmt = s_db_query (db, &has, format, args);
    va_end (args);
    int64_t value = has ? sqlite3_column_int64 (stmt, 0) : -1;
    sqlite3_finalize (stmt);
    return value;
}

char *
fg_testkit_db_text (sqlite3 *db, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    bool has;
    sqlite3_stmt *stmt = s_db_query (db, &has, format, args);
    va_end (args);
    char *text = has ? strdup ((const char *) sqlite3_column_text (stmt, 0)) : NULL;
    sqlite3_finalize (stmt);
    return text;
}

void
fg_testkit_interleave (fg_testauthor_t *const *by, size_t count, const fg_testauthor_t *authors,
                       size_t author_count, size_t *order)
{
    size_t *next = (size_t *) calloc (author_count, sizeof (size_t));
    assert (next);
    size_t placed = 0;
    while (placed < count) {
        size_t pick = (size_t) random () % author_count;
        //  the next entry of author `pick` not yet placed, if any
        size_t seen = 0;
        for (size_t i = 0; i < count; i++) {
            if (by [i] != &authors [pick])
                continue;
            if (seen++ == next [pick]) {
                order [placed++] = i;
                next [pick]++;
                break;
            }
        }
    }
    free (next);
}

void
fg_testkit_flip (sqlite3 *db, const char *table, const char *column, uint16_t origin, uint64_t seq, int offset)
{
    char sql [160];
    snprintf (sql, sizeof sql, "SELECT %s FROM %s WHERE origin = ? AND seq = ? LIMIT 1", column, table);
    sqlite3_stmt *stmt;
    assert (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK);
    sqlite3_bind_int (stmt, 1, origin);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    assert (sqlite3_step (stmt) == SQLITE_ROW);
    size_t size = (size_t) sqlite3_column_bytes (stmt, 0);
    uint8_t *blob = (uint8_t *) malloc (size);
    assert (blob);
    memcpy (blob, sqlite3_column_blob (stmt, 0), size);
    sqlite3_finalize (stmt);
    size_t at = offset >= 0 ? (size_t) offset : size - (size_t) -offset;
    assert (at < size);
    blob [at] ^= 0xFF;
    snprintf (sql, sizeof sql, "UPDATE %s SET %s = ? WHERE origin = ? AND seq = ?", table, column);
    assert (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK);
    sqlite3_bind_blob (stmt, 1, blob, (int) size, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 2, origin);
    sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) seq);
    assert (sqlite3_step (stmt) == SQLITE_DONE && sqlite3_changes (db) >= 1);
    sqlite3_finalize (stmt);
    free (blob);
}

const char *
fg_testkit_cell (const fg_rows_t *rows, size_t row, const char *name)
{
    for (size_t c = 0; c < fg_rows_column_count (rows); c++)
        if (streq (fg_rows_column_name (rows, c), name)) {
            const char *cell = fg_rows_cell (rows, row, c, NULL);
            return cell ? cell : "";
        }
    assert (false);
    return NULL;
}

uint64_t
fg_testkit_add (fg_testnode_t *node, const char *table, ...)
{
    char *texts [32];
    fg_kv_t fields [32];
    size_t count = 0;
    va_list args;
    va_start (args, table);
    const char *text;
    while ((text = va_arg (args, const char *))) {
        assert (count < 32);
        texts [count] = strdup (text);
        assert (fg_kv_parse (texts [count], &fields [count]) == 0);
        count++;
    }
    va_end (args);
    uint64_t id;
    char err [512];
    fg_merge_result_t result;
    int rc = fg_record_add (node->replica, table, fields, count, "test", &id, &result, err, sizeof err);
    if (rc || result.rejected)
        fprintf (stderr, "fg_testkit_add %s: %s\n", table, rc ? err : "rejected");
    assert (rc == 0 && result.rejected == 0);
    for (size_t i = 0; i < count; i++)
        free (texts [i]);
    return id;
}
