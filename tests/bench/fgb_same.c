/*  fgb_same.c - the same-writes baseline (see fgb_same.h).

    The rows are held packed, column after column, in one buffer:
        OFFSET  SIZE  MEANING
        0       1     SQLite type (SQLITE_INTEGER, _FLOAT, _TEXT, _BLOB, _NULL)
        1       8     INTEGER: the value, host order; FLOAT: the double
        1       4+n   TEXT, BLOB: n, host order, then the n bytes
                      NULL: nothing
    and bound in place (SQLITE_STATIC: the buffer outlives each run).
*/
#include "fgb_same.h"
#include "fgb_proc.h"
#include "fg_testkit.h"
#include "fg_util.h"
#include "fgp_stream.h"

#define S_MAX_TABLES 8               //  domain tables the ops of the workload touch

//  The hub's own SQL (fg_replica_log.c s_store, s_frontier_advance;
//  fg_merge.c op_insert; fg_replica.c fg_replica_set_cursor, and
//  fg_replica_commit: the hybrid clock the batch moved)
#define S_LOG_SQL "INSERT INTO log (origin, seq, epoch, hlc, hash, entry, anchor, up, via, received_at, " \
                  "clock_ahead, down, also) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define S_META_SQL "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"
#define S_OP_SQL  "INSERT OR IGNORE INTO op (origin, seq, idx, tbl, row_id, kind, grp, anchor, " \
                  "hlc, author, origin_org, ref_id, lww_hlc, body, outcome, reason) " \
                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define S_FRONTIER_SQL "INSERT INTO frontier (origin, seq, hash, hlc, last_heard) VALUES (?1, ?2, ?3, ?4, ?5) " \
                  "ON CONFLICT (origin) DO UPDATE SET seq = ?2, hash = ?3, hlc = ?4, last_heard = ?5 " \
                  "WHERE ?2 > seq"
#define S_CURSOR_SQL "INSERT OR REPLACE INTO link (peer, dir, cursor, updated_at) VALUES (?, ?, ?, ?)"

typedef struct {
    size_t   log_at;                 //  origin, seq, epoch, hlc, hash, entry, anchor, up, down, also
    size_t   ops_at;                 //  ops, 16 columns each
    uint32_t ops;
    size_t   rows_at;                //  rows: table index (1 byte), then the row's columns
    uint32_t rows;
    size_t   size;                   //  the entry's bytes
    uint16_t origin;
    uint64_t seq, hlc;
    uint8_t  hash [FG_HASH_SIZE];
} s_entry_t;

struct _fgb_same_t {
    uint8_t   *data;
    size_t     size, cap;
    s_entry_t *entries;
    size_t     count;
    size_t     rows;                 //  domain rows in all
    size_t     ops;
    size_t     batches;              //  transactions of a hub-batched run
    size_t     batch_bytes;
    char      *ddl;                  //  the replica's schema
    char       tables [S_MAX_TABLES][32];
    int        columns [S_MAX_TABLES];
    size_t     table_count;
};

static void
s_put (fgb_same_t *self, const void *data, size_t size)
{
    if (self->size + size > self->cap) {
        size_t cap = self->cap ? self->cap : 1 << 20;
        while (cap < self->size + size)
            cap *= 2;
        self->data = (uint8_t *) realloc (self->data, cap);
        assert (self->data);
        self->cap = cap;
    }
    memcpy (self->data + self->size, data, size);
    self->size += size;
}

//  Pack the current row of stmt, columns first .. first+count-1.
static void
s_pack (fgb_same_t *self, sqlite3_stmt *stmt, int first, int count)
{
    for (int c = first; c < first + count; c++) {
        uint8_t type = (uint8_t) sqlite3_column_type (stmt, c);
        s_put (self, &type, 1);
        if (type == SQLITE_INTEGER) {
            int64_t value = sqlite3_column_int64 (stmt, c);
            s_put (self, &value, 8);
        }
        else
        if (type == SQLITE_FLOAT) {
            double value = sqlite3_column_double (stmt, c);
            s_put (self, &value, 8);
        }
        else
        if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
            const void *bytes = type == SQLITE_TEXT ? (const void *) sqlite3_column_text (stmt, c)
                                                    : sqlite3_column_blob (stmt, c);
            uint32_t size = (uint32_t) sqlite3_column_bytes (stmt, c);
            s_put (self, &size, 4);
            if (size)
                s_put (self, bytes, size);
        }
    }
}

//  Bind `count` packed columns at *at to parameters first, first+1 ...
static void
s_bind (const fgb_same_t *self, sqlite3_stmt *stmt, int first, int count, size_t *at)
{
    const uint8_t *p = self->data + *at;
    for (int i = first; i < first + count; i++) {
        uint8_t type = *p++;
        if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
            int64_t value;
            double real;
            memcpy (&value, p, 8);
            memcpy (&real, p, 8);
            if (type == SQLITE_INTEGER)
                sqlite3_bind_int64 (stmt, i, value);
            else
                sqlite3_bind_double (stmt, i, real);
            p += 8;
        }
        else
        if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
            uint32_t size;
            memcpy (&size, p, 4);
            p += 4;
            if (type == SQLITE_TEXT)
                sqlite3_bind_text (stmt, i, (const char *) p, (int) size, SQLITE_STATIC);
            else
                sqlite3_bind_blob (stmt, i, p, (int) size, SQLITE_STATIC);
            p += size;
        }
        else
            sqlite3_bind_null (stmt, i);
    }
    *at = (size_t) (p - self->data);
}

static int
s_table (fgb_same_t *self, const char *name)
{
    for (size_t i = 0; i < self->table_count; i++)
        if (streq (self->tables [i], name))
            return (int) i;
    if (self->table_count == S_MAX_TABLES)
        return -1;
    snprintf (self->tables [self->table_count], sizeof self->tables [0], "%s", name);
    self->columns [self->table_count] = 0;
    return (int) self->table_count++;
}

//  Read the township's entries past seq `after`, their ops and the rows
//  they touch, and the schema. 0 or -1.
static int
s_load (fgb_same_t *self, sqlite3 *db, uint16_t origin, uint64_t after)
{
    sqlite3_stmt *log = NULL, *ops = NULL, *touched = NULL, *schema = NULL;
    int rc = sqlite3_prepare_v2 (db, "SELECT origin, seq, epoch, hlc, hash, entry, anchor, up, down, also FROM log "
                                 "WHERE origin = ? AND seq > ? ORDER BY seq", -1, &log, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2 (db, "SELECT * FROM op WHERE origin = ? AND seq = ? ORDER BY idx", -1, &ops, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2 (db, "SELECT DISTINCT tbl, row_id FROM op WHERE origin = ? AND seq = ? "
                                 "AND outcome = 'applied'", -1, &touched, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2 (db, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL "
                                 "AND name NOT LIKE 'sqlite_%' ORDER BY rowid", -1, &schema, NULL);
    if (rc != SQLITE_OK) {
        fgb_problem ("same-writes baseline: cannot read the township's rows: %s", sqlite3_errmsg (db));
        rc = -1;
    }
    size_t cap = 0;
    if (rc == 0) {
        sqlite3_bind_int (log, 1, origin);
        sqlite3_bind_int64 (log, 2, (sqlite3_int64) after);
    }
    while (rc == 0 && sqlite3_step (log) == SQLITE_ROW) {
        if (self->count == cap) {
            cap = cap ? cap * 2 : 1024;
            self->entries = (s_entry_t *) realloc (self->entries, cap * sizeof (s_entry_t));
            assert (self->entries);
        }
        s_entry_t *entry = &self->entries [self->count++];
        memset (entry, 0, sizeof *entry);
        entry->origin = (uint16_t) sqlite3_column_int (log, 0);
        entry->seq = (uint64_t) sqlite3_column_int64 (log, 1);
        entry->hlc = (uint64_t) sqlite3_column_int64 (log, 3);
        if (sqlite3_column_bytes (log, 4) == FG_HASH_SIZE)
            memcpy (entry->hash, sqlite3_column_blob (log, 4), FG_HASH_SIZE);
        entry->size = (size_t) sqlite3_column_bytes (log, 5);
        entry->log_at = self->size;
        s_pack (self, log, 0, 10);
        //  Its ops
        sqlite3_reset (ops);
        sqlite3_bind_int (ops, 1, entry->origin);
        sqlite3_bind_int64 (ops, 2, (sqlite3_int64) entry->seq);
        entry->ops_at = self->size;
        while (sqlite3_step (ops) == SQLITE_ROW) {
            if (sqlite3_column_count (ops) != 16) {
                fgb_problem ("same-writes baseline: the op table has %d columns, not 16 (update fgb_same.c)",
                             sqlite3_column_count (ops));
                rc = -1;
                break;
            }
            s_pack (self, ops, 0, 16);
            entry->ops++;
        }
        self->ops += entry->ops;
        //  The rows they touch, each as a whole (the merge writes the row)
        sqlite3_reset (touched);
        sqlite3_bind_int (touched, 1, entry->origin);
        sqlite3_bind_int64 (touched, 2, (sqlite3_int64) entry->seq);
        entry->rows_at = self->size;
        while (rc == 0 && sqlite3_step (touched) == SQLITE_ROW) {
            const char *name = (const char *) sqlite3_column_text (touched, 0);
            int table = s_table (self, name);
            char *sql = fg_strdupf ("SELECT * FROM \"%s\" WHERE id = ?", name);
            sqlite3_stmt *row = NULL;
            if (table < 0 || sqlite3_prepare_v2 (db, sql, -1, &row, NULL) != SQLITE_OK) {
                fgb_problem ("same-writes baseline: cannot read a %s row: %s", name, sqlite3_errmsg (db));
                rc = -1;
            }
            free (sql);
            if (rc == 0) {
                sqlite3_bind_int64 (row, 1, sqlite3_column_int64 (touched, 1));
                if (sqlite3_step (row) == SQLITE_ROW) {
                    uint8_t index = (uint8_t) table;
                    self->columns [table] = sqlite3_column_count (row);
                    s_put (self, &index, 1);
                    s_pack (self, row, 0, self->columns [table]);
                    entry->rows++;
                }
            }
            sqlite3_finalize (row);
        }
        self->rows += entry->rows;
    }
    while (rc == 0 && sqlite3_step (schema) == SQLITE_ROW) {
        char *more = fg_strdupf ("%s%s;\n", self->ddl ? self->ddl : "", sqlite3_column_text (schema, 0));
        free (self->ddl);
        self->ddl = more;
    }
    sqlite3_finalize (log);
    sqlite3_finalize (ops);
    sqlite3_finalize (touched);
    sqlite3_finalize (schema);
    return rc;
}

fgb_same_t *
fgb_same_new (const char *dir, size_t households, size_t per_entry, fgb_same_writer_fn *writer)
{
    fgb_same_t *self = (fgb_same_t *) zmalloc (sizeof (fgb_same_t));
    assert (self);
    fgp_stream_config_t stream;
    fgp_stream_config_default (&stream);
    self->batch_bytes = stream.batch_bytes;
    fg_mkdir_p (dir, 0700);
    fg_testnode_t node;
    fg_testkit_node (&node, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "Township 100");
    uint64_t after = 0;
    uint8_t hash [FG_HASH_SIZE];
    int rc = fg_replica_frontier (node.replica, node.node.node_id, &after, hash);
    if (rc == 0)
        rc = fg_replica_begin (node.replica);
    if (rc == 0) {
        rc = writer (node.replica, 0, households, per_entry);
        if (rc == 0)
            rc = fg_replica_commit (node.replica);
        else
            fg_replica_rollback (node.replica);
    }
    if (rc == 0)
        rc = s_load (self, fg_replica_db (node.replica), node.node.node_id, after);
    fg_testkit_node_destroy (&node);
    fg_testkit_rmdir (dir);
    if (rc == 0 && (self->count != (households + per_entry - 1) / per_entry || self->rows != households)) {
        fgb_problem ("same-writes baseline: read %zu entries and %zu rows, %zu households were written",
                     self->count, self->rows, households);
        rc = -1;
    }
    //  Transactions of a hub-batched run: entries gathered as a sender does
    size_t bytes = 0, in_batch = 0;
    for (size_t i = 0; rc == 0 && i < self->count; i++) {
        if (in_batch > 0 && bytes + 4 + self->entries [i].size > self->batch_bytes) {
            self->batches++;
            bytes = in_batch = 0;
        }
        bytes += 4 + self->entries [i].size;
        in_batch++;
    }
    if (in_batch)
        self->batches++;
    if (rc)
        fgb_same_destroy (&self);
    return self;
}

void
fgb_same_destroy (fgb_same_t **self_p)
{
    assert (self_p);
    fgb_same_t *self = *self_p;
    if (self) {
        free (self->data);
        free (self->entries);
        free (self->ddl);
        free (self);
        *self_p = NULL;
    }
}

size_t
fgb_same_entries (const fgb_same_t *self)
{
    return self->count;
}

size_t
fgb_same_rows (const fgb_same_t *self)
{
    return self->rows;
}

size_t
fgb_same_batches (const fgb_same_t *self)
{
    return self->batches;
}

double
fgb_same_writes_per_entry (const fgb_same_t *self)
{
    return self->count ? (double) (2 * self->count + self->ops + self->rows) / (double) self->count : 0;
}

static int64_t
s_count (sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt;
    int64_t count = -1;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
        count = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    return count;
}

//  Step a bound statement and reset it: SQLITE_OK or the error.
static int
s_step (sqlite3_stmt *stmt)
{
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    sqlite3_reset (stmt);
    return rc;
}

double
fgb_same_run (fgb_same_t *self, const char *path, size_t max_entries, size_t entries_per_txn)
{
    size_t count = max_entries && max_entries < self->count ? max_entries : self->count;
    size_t all_ops = 0;
    for (size_t e = 0; e < count; e++)
        all_ops += self->entries [e].ops;
    sqlite3 *db = NULL;
    sqlite3_stmt *log = NULL, *op = NULL, *frontier = NULL, *cursor = NULL, *meta = NULL;
    sqlite3_stmt *upsert [S_MAX_TABLES] = { NULL };
    int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    //  As the replica is configured (fg_replica.c s_configure)
    if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                           "PRAGMA foreign_keys = OFF; PRAGMA trusted_schema = OFF;", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, self->ddl, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v3 (db, S_LOG_SQL, -1, SQLITE_PREPARE_PERSISTENT, &log, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v3 (db, S_OP_SQL, -1, SQLITE_PREPARE_PERSISTENT, &op, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3 (db, S_FRONTIER_SQL, -1, SQLITE_PREPARE_PERSISTENT, &frontier, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3 (db, S_CURSOR_SQL, -1, SQLITE_PREPARE_PERSISTENT, &cursor, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3 (db, S_META_SQL, -1, SQLITE_PREPARE_PERSISTENT, &meta, NULL);
    for (size_t t = 0; rc == SQLITE_OK && t < self->table_count; t++) {
        //  INSERT OR REPLACE of the whole row, as the merge's upsert
        char *sql = fg_strdupf ("INSERT OR REPLACE INTO \"%s\" VALUES (?", self->tables [t]);
        for (int c = 1; c < self->columns [t]; c++) {
            char *more = fg_strdupf ("%s, ?", sql);
            free (sql);
            sql = more;
        }
        char *full = fg_strdupf ("%s)", sql);
        rc = sqlite3_prepare_v3 (db, full, -1, SQLITE_PREPARE_PERSISTENT, &upsert [t], NULL);
        free (sql);
        free (full);
    }
    double start = fgb_now ();
    size_t i = 0;
    while (rc == SQLITE_OK && i < count) {
        rc = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
        size_t bytes = 0, in_txn = 0;
        for (; rc == SQLITE_OK && i < count; i++) {
            const s_entry_t *entry = &self->entries [i];
            if (in_txn > 0 && (entries_per_txn ? in_txn == entries_per_txn
                                               : bytes + 4 + entry->size > self->batch_bytes))
                break;
            bytes += 4 + entry->size;
            in_txn++;
            //  The merge first (ops, then the rows), then the log and the
            //  frontier, as s_store
            size_t at = entry->ops_at;
            for (uint32_t k = 0; rc == SQLITE_OK && k < entry->ops; k++) {
                s_bind (self, op, 1, 16, &at);
                rc = s_step (op);
            }
            at = entry->rows_at;
            for (uint32_t k = 0; rc == SQLITE_OK && k < entry->rows; k++) {
                uint8_t table = self->data [at++];
                s_bind (self, upsert [table], 1, self->columns [table], &at);
                rc = s_step (upsert [table]);
            }
            at = entry->log_at;
            s_bind (self, log, 1, 8, &at);
            sqlite3_bind_int (log, 9, entry->origin);       //  via: the township itself
            sqlite3_bind_int64 (log, 10, fg_now_ms ());
            sqlite3_bind_int (log, 11, 0);
            s_bind (self, log, 12, 2, &at);                 //  down, also
            if (rc == SQLITE_OK)
                rc = s_step (log);
            sqlite3_bind_int (frontier, 1, entry->origin);
            sqlite3_bind_int64 (frontier, 2, (sqlite3_int64) entry->seq);
            sqlite3_bind_blob (frontier, 3, entry->hash, FG_HASH_SIZE, SQLITE_STATIC);
            sqlite3_bind_int64 (frontier, 4, (sqlite3_int64) entry->hlc);
            sqlite3_bind_int64 (frontier, 5, fg_now_ms ());
            if (rc == SQLITE_OK)
                rc = s_step (frontier);
        }
        //  The link's cursor moves in the batch's transaction
        sqlite3_bind_int (cursor, 1, self->entries [0].origin);
        sqlite3_bind_text (cursor, 2, "in", -1, SQLITE_STATIC);
        sqlite3_bind_int64 (cursor, 3, (sqlite3_int64) i);
        sqlite3_bind_int64 (cursor, 4, fg_now_ms ());
        if (rc == SQLITE_OK)
            rc = s_step (cursor);
        //  ... and so does the hybrid clock the batch moved
        sqlite3_bind_text (meta, 1, "hlc", -1, SQLITE_STATIC);
        sqlite3_bind_int64 (meta, 2, (sqlite3_int64) self->entries [i - 1].hlc);
        if (rc == SQLITE_OK)
            rc = s_step (meta);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    }
    double seconds = fgb_now () - start;
    if (rc != SQLITE_OK)
        fgb_problem ("same-writes baseline into %s: %s", path, db ? sqlite3_errmsg (db) : "cannot open");
    if (rc == SQLITE_OK) {
        int64_t logged = s_count (db, "SELECT count(*) FROM log");
        int64_t ops = s_count (db, "SELECT count(*) FROM op");
        if (logged != (int64_t) count || ops != (int64_t) all_ops) {
            fgb_problem ("same-writes baseline: %lld entries and %lld ops held, %zu and %zu written",
                         (long long) logged, (long long) ops, count, all_ops);
            rc = SQLITE_ERROR;
        }
    }
    sqlite3_finalize (log);
    sqlite3_finalize (op);
    sqlite3_finalize (frontier);
    sqlite3_finalize (cursor);
    sqlite3_finalize (meta);
    for (size_t t = 0; t < S_MAX_TABLES; t++)
        sqlite3_finalize (upsert [t]);
    sqlite3_close (db);
    fgb_remove_db (path);
    return rc == SQLITE_OK ? seconds : -1;
}
