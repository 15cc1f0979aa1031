/*  fg_replica.c - the replica file: opening, schema and migrations, meta,
    transactions, the nodes this node trusts, sync cursors, figures.

    System tables (owned by this file and fg_replica_log.c):

    meta(key, value)            node identity, schema version, id counter, hlc
    node(node_id, tier, org, name, epoch, epoch_base, sign_pk, curve_pk,
         parent_id, relation, source, status, since)
                                keys this node trusts: relation is self,
                                parent, child, ancestor or other; source is
                                pinned (an operator's act here) or learned
                                (a node record in the log, see fg_replica.h);
                                epoch is the key epoch entries must carry for
                                seq > epoch_base (older epochs: seq <= it)
    log(lsn, origin, seq, epoch, hlc, hash, entry, anchor, up, via,
        received_at, clock_ahead)
                                every entry held, in local arrival order
                                (lsn); `entry` is the wire bytes; `anchor`
                                the org the entry routes to; `up` is 1 when
                                the origin lies in this node's subtree
    frontier(origin, seq, hash, hlc, state, last_heard)
                                per origin: highest contiguous seq (own
                                subtree) or highest seq seen (others);
                                state ok or forked
    buffer(origin, seq, hash, entry, via, received_at, reason)
    quarantine(id, origin, seq, hash, entry, reason, detail, via, received_at)
    forked_own(seq, epoch, hash, entry, set_aside_at, resigned_seq)
                                this node's own entries of a forked branch,
                                set aside during recovery (fg_replica.h)
    peer_status(peer, state, last_contact, rtt_ms, clock_offset_ms, error, updated_at)
                                what the sync actors last saw of each link
    link(peer, dir, cursor, updated_at)
                                sync cursors, moved in the same transaction
                                as the entries they count
*/
#include "fg_replica_int.h"
#include "fg_util.h"
#include "fg_org.h"
#include "fg_hlc.h"
#include "fg_schema.h"

static const char *s_system_ddl =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS node (\n"
    "  node_id INTEGER PRIMARY KEY, tier TEXT NOT NULL, org TEXT NOT NULL, name TEXT,\n"
    "  epoch INTEGER NOT NULL DEFAULT 0, epoch_base INTEGER NOT NULL DEFAULT 0,\n"
    "  sign_pk BLOB NOT NULL, curve_pk TEXT NOT NULL,\n"
    "  parent_id INTEGER, relation TEXT NOT NULL, source TEXT NOT NULL,\n"
    "  status TEXT NOT NULL DEFAULT 'active', since INTEGER);\n"
    "CREATE INDEX IF NOT EXISTS node_curve ON node (curve_pk);\n"
    "CREATE TABLE IF NOT EXISTS log (\n"
    "  lsn INTEGER PRIMARY KEY AUTOINCREMENT, origin INTEGER NOT NULL, seq INTEGER NOT NULL,\n"
    "  epoch INTEGER NOT NULL, hlc INTEGER NOT NULL, hash BLOB NOT NULL, entry BLOB NOT NULL,\n"
    "  anchor TEXT NOT NULL, up INTEGER NOT NULL, via INTEGER NOT NULL,\n"
    "  received_at INTEGER NOT NULL, clock_ahead INTEGER NOT NULL DEFAULT 0,\n"
    "  UNIQUE (origin, seq));\n"
    "CREATE TABLE IF NOT EXISTS frontier (\n"
    "  origin INTEGER PRIMARY KEY, seq INTEGER NOT NULL, hash BLOB NOT NULL,\n"
    "  hlc INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'ok', last_heard INTEGER);\n"
    "CREATE TABLE IF NOT EXISTS buffer (\n"
    "  origin INTEGER NOT NULL, seq INTEGER NOT NULL, hash BLOB NOT NULL, entry BLOB NOT NULL,\n"
    "  via INTEGER, received_at INTEGER NOT NULL, reason TEXT NOT NULL,\n"
    "  PRIMARY KEY (origin, seq));\n"
    "CREATE TABLE IF NOT EXISTS quarantine (\n"
    "  id INTEGER PRIMARY KEY, origin INTEGER, seq INTEGER, hash BLOB NOT NULL, entry BLOB,\n"
    "  reason TEXT NOT NULL, detail TEXT, via INTEGER, received_at INTEGER NOT NULL,\n"
    "  UNIQUE (hash, reason));\n"
    "CREATE TABLE IF NOT EXISTS forked_own (\n"
    "  seq INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, hash BLOB NOT NULL, entry BLOB NOT NULL,\n"
    "  set_aside_at INTEGER NOT NULL, resigned_seq INTEGER);\n"
    "CREATE TABLE IF NOT EXISTS peer_status (\n"
    "  peer INTEGER PRIMARY KEY, state TEXT NOT NULL, last_contact INTEGER, rtt_ms INTEGER,\n"
    "  clock_offset_ms INTEGER, error TEXT, updated_at INTEGER NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS link (\n"
    "  peer INTEGER NOT NULL, dir TEXT NOT NULL, cursor INTEGER NOT NULL, updated_at INTEGER,\n"
    "  PRIMARY KEY (peer, dir));\n";

static void
s_stmt_destroy (void **item)
{
    sqlite3_finalize ((sqlite3_stmt *) *item);
    *item = NULL;
}

int
s_replica_prepare (fg_replica_t *self, const char *sql, int size, sqlite3_stmt **stmt,
                   const char **tail)
{
    *stmt = NULL;
    if (!self->stmts) {
        self->stmts = zhashx_new ();
        zhashx_set_destructor (self->stmts, s_stmt_destroy);
    }
    sqlite3_stmt *cached = (sqlite3_stmt *) zhashx_lookup (self->stmts, sql);
    if (cached && !sqlite3_stmt_busy (cached)) {
        sqlite3_reset (cached);
        sqlite3_clear_bindings (cached);
        *stmt = cached;
        return SQLITE_OK;
    }
    int rc = sqlite3_prepare_v3 (self->db, sql, size, cached ? 0 : SQLITE_PREPARE_PERSISTENT, stmt, tail);
    if (rc == SQLITE_OK && !cached)
        zhashx_insert (self->stmts, sql, *stmt);
    return rc;
}

void
s_replica_done (fg_replica_t *self, sqlite3_stmt *stmt)
{
    if (!stmt)
        return;
    const char *sql = sqlite3_sql (stmt);
    if (self->stmts && sql && zhashx_lookup (self->stmts, sql) == stmt) {
        sqlite3_reset (stmt);
        sqlite3_clear_bindings (stmt);
    }
    else
        sqlite3_finalize (stmt);
}

int
s_replica_fail (fg_replica_t *self, const char *what)
{
    snprintf (self->error, sizeof self->error, "%s: %s", what, sqlite3_errmsg (self->db));
    return -1;
}

int
s_replica_exec (fg_replica_t *self, const char *sql)
{
    char *message = NULL;
    if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK) {
        snprintf (self->error, sizeof self->error, "%s", message ? message : "sqlite error");
        sqlite3_free (message);
        return -1;
    }
    return 0;
}

int
s_replica_meta_get_int (fg_replica_t *self, const char *key, int64_t *value)
{
    sqlite3_stmt *stmt;
    *value = 0;
    if (s_replica_prepare (self, "SELECT value FROM meta WHERE key = ?", -1, &stmt, NULL))
        return s_replica_fail (self, "meta");
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        *value = sqlite3_column_int64 (stmt, 0);
        rc = 0;
    }
    s_replica_done (self, stmt);
    return rc;
}

int
s_replica_meta_set (fg_replica_t *self, const char *key, const char *text, int64_t number, bool is_text)
{
    sqlite3_stmt *stmt;
    if (s_replica_prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                            -1, &stmt, NULL))
        return s_replica_fail (self, "meta");
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
    if (is_text)
        sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64 (stmt, 2, number);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : s_replica_fail (self, "meta");
    s_replica_done (self, stmt);
    return rc;
}

int
s_replica_meta_set_int (fg_replica_t *self, const char *key, int64_t value)
{
    return s_replica_meta_set (self, key, NULL, value, false);
}

//  Insert or replace a node row.
int
s_replica_node_put (fg_replica_t *self, const fg_node_t *node, uint16_t parent_id,
            const char *relation, const char *source, const char *status)
{
    sqlite3_stmt *stmt;
    if (s_replica_prepare (self,
            "INSERT OR REPLACE INTO node (node_id, tier, org, name, epoch, sign_pk, curve_pk, "
            "parent_id, relation, source, status, since, epoch_base) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            -1, &stmt, NULL))
        return s_replica_fail (self, "node");
    sqlite3_bind_int (stmt, 1, node->node_id);
    sqlite3_bind_text (stmt, 2, fg_tier_name (node->tier), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, node->org, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, node->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 5, node->epoch);
    sqlite3_bind_blob (stmt, 6, node->sign_pk, FG_SIGN_PK_SIZE, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 7, node->curve_pk, -1, SQLITE_STATIC);
    if (parent_id)
        sqlite3_bind_int (stmt, 8, parent_id);
    sqlite3_bind_text (stmt, 9, relation, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 10, source, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 11, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 12, fg_now_ms ());
    sqlite3_bind_int64 (stmt, 13, (sqlite3_int64) node->epoch_base);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : s_replica_fail (self, "node");
    s_replica_done (self, stmt);
    return rc;
}

static void
s_node_from_row (sqlite3_stmt *stmt, fg_node_t *node, char relation [16], char status [16])
{
    memset (node, 0, sizeof *node);
    node->node_id = (uint16_t) sqlite3_column_int (stmt, 0);
    node->tier = fg_tier_from_name ((const char *) sqlite3_column_text (stmt, 1));
    snprintf (node->org, sizeof node->org, "%s", sqlite3_column_text (stmt, 2));
    const unsigned char *name = sqlite3_column_text (stmt, 3);
    snprintf (node->name, sizeof node->name, "%s", name ? (const char *) name : "");
    node->epoch = (uint32_t) sqlite3_column_int64 (stmt, 4);
    if (sqlite3_column_bytes (stmt, 5) == FG_SIGN_PK_SIZE)
        memcpy (node->sign_pk, sqlite3_column_blob (stmt, 5), FG_SIGN_PK_SIZE);
    snprintf (node->curve_pk, sizeof node->curve_pk, "%s", sqlite3_column_text (stmt, 6));
    if (relation)
        snprintf (relation, 16, "%s", sqlite3_column_text (stmt, 7));
    if (status)
        snprintf (status, 16, "%s", sqlite3_column_text (stmt, 8));
    node->epoch_base = (uint64_t) sqlite3_column_int64 (stmt, 9);
}

#define S_NODE_COLUMNS "node_id, tier, org, name, epoch, sign_pk, curve_pk, relation, status, epoch_base"

int
s_replica_node_any (fg_replica_t *self, uint16_t node_id, fg_node_t *node,
                    char relation [16], char status [16])
{
    sqlite3_stmt *stmt;
    if (s_replica_prepare (self, "SELECT " S_NODE_COLUMNS " FROM node WHERE node_id = ?",
                            -1, &stmt, NULL))
        return s_replica_fail (self, "node");
    sqlite3_bind_int (stmt, 1, node_id);
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        s_node_from_row (stmt, node, relation, status);
        rc = 0;
    }
    s_replica_done (self, stmt);
    return rc;
}

int
fg_replica_node (fg_replica_t *self, uint16_t node_id, fg_node_t *node, char relation [16])
{
    char status [16];
    if (s_replica_node_any (self, node_id, node, relation, status))
        return -1;
    return streq (status, "active") ? 0 : -1;
}

int
fg_replica_node_by_curve (fg_replica_t *self, const char *curve_pk, fg_node_t *node,
                          char relation [16])
{
    sqlite3_stmt *stmt;
    if (s_replica_prepare (self, "SELECT " S_NODE_COLUMNS " FROM node "
                            "WHERE curve_pk = ? AND status = 'active'", -1, &stmt, NULL))
        return s_replica_fail (self, "node");
    sqlite3_bind_text (stmt, 1, curve_pk ? curve_pk : "", -1, SQLITE_STATIC);
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        s_node_from_row (stmt, node, relation, NULL);
        rc = 0;
    }
    s_replica_done (self, stmt);
    return rc;
}

int
fg_replica_parent (fg_replica_t *self, fg_node_t *node)
{
    sqlite3_stmt *stmt;
    if (s_replica_prepare (self, "SELECT " S_NODE_COLUMNS " FROM node "
                            "WHERE relation = 'parent' AND status = 'active'", -1, &stmt, NULL))
        return s_replica_fail (self, "node");
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        s_node_from_row (stmt, node, NULL, NULL);
        rc = 0;
    }
    s_replica_done (self, stmt);
    return rc;
}

//  -------------------------------------------------------------------------
//  Opening

static fg_replica_t *
s_replica_new (const char *path)
{
    fg_replica_t *self = (fg_replica_t *) zmalloc (sizeof (fg_replica_t));
    assert (self);
    self->path = strdup (path);
    self->max_ahead_ms = FG_HLC_DEFAULT_MAX_AHEAD_MS;
    if (sodium_init () < 0)
        assert (false);
    return self;
}

static int
s_configure (fg_replica_t *self)
{
    sqlite3_busy_timeout (self->db, 15000);
    //  WAL: readers (the operator's command, an analyst's sqlite3) never
    //  block the daemon. synchronous=FULL: a commit, and so an ack, survives
    //  power loss, not only a killed process.
    if (s_replica_exec (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                              "PRAGMA foreign_keys = OFF; PRAGMA trusted_schema = OFF;"))
        return -1;
    return 0;
}

static int
s_read_version (fg_replica_t *self)
{
    int64_t value = 0;
    if (s_replica_meta_get_int (self, "schema_version", &value)) {
        snprintf (self->error, sizeof self->error, "%s is not a fugai replica (no schema_version)",
                  self->path);
        return -1;
    }
    if (value > FG_SCHEMA_VERSION) {
        snprintf (self->error, sizeof self->error,
                  "%s has schema version %lld, newer than this fugai (%d): upgrade fugai",
                  self->path, (long long) value, FG_SCHEMA_VERSION);
        return -1;
    }
    self->stored_schema = value;
    return 0;
}

static int
s_load_identity (fg_replica_t *self)
{
    int64_t node_id = 0;
    if (s_replica_meta_get_int (self, "node_id", &node_id) || node_id < 1 || node_id > 65535) {
        snprintf (self->error, sizeof self->error, "%s has no node identity", self->path);
        return -1;
    }
    fg_node_t node;
    char relation [16], status [16];
    if (s_replica_node_any (self, (uint16_t) node_id, &node, relation, status)
    ||  !streq (relation, "self")) {
        snprintf (self->error, sizeof self->error, "%s has no record of its own node", self->path);
        return -1;
    }
    self->self = node;
    int64_t number;
    if (s_replica_meta_get_int (self, "id_counter", &number) == 0)
        self->id_counter = (uint64_t) number;
    if (s_replica_meta_get_int (self, "hlc", &number) == 0)
        self->hlc = (uint64_t) number;
    return 0;
}

fg_replica_t *
fg_replica_create (const char *path, const fg_node_t *node)
{
    if (zsys_file_exists (path)) {
        zsys_error ("replica: %s already exists", path);
        return NULL;
    }
    fg_replica_t *self = s_replica_new (path);
    int rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
             == SQLITE_OK ? 0 : s_replica_fail (self, "open");
    if (rc == 0)
        rc = s_configure (self);
    if (rc == 0)
        rc = s_replica_exec (self, "BEGIN");
    if (rc == 0)
        rc = s_replica_exec (self, s_system_ddl);
    if (rc == 0) {
        self->merge = fg_merge_new (self->db);
        if (!self->merge)
            rc = s_replica_fail (self, "domain tables");
    }
    if (rc == 0)
        rc = s_replica_meta_set_int (self, "schema_version", FG_SCHEMA_VERSION);
    if (rc == 0)
        rc = s_replica_meta_set_int (self, "node_id", node->node_id);
    if (rc == 0)
        rc = s_replica_meta_set (self, "created_at", NULL, fg_now_ms (), false);
    if (rc == 0)
        rc = s_replica_node_put (self, node, 0, "self", "pinned", "active");
    if (rc == 0)
        rc = s_replica_exec (self, "COMMIT");
    if (rc == 0)
        rc = s_read_version (self);
    if (rc == 0)
        rc = s_load_identity (self);
    if (rc) {
        zsys_error ("replica: cannot create %s: %s", path, self->error);
        fg_replica_destroy (&self);
    }
    return self;
}

//  Schema upgrade. The system tables (log, node, frontier, buffer,
//  quarantine, link, peer_status, meta) change only through the numbered
//  steps below; the op table and the domain tables are a projection of the
//  log, so an upgrade drops them, creates the new ones and replays the log:
//  ops that an older version rejected as unknown are applied now.
static const char *s_system_tables [] = {
    "meta", "node", "log", "frontier", "buffer", "quarantine", "link", "peer_status", "forked_own",
    "sqlite_sequence", NULL
};

static bool
s_has_column (fg_replica_t *self, const char *table, const char *column)
{
    char *sql = fg_strdupf ("SELECT count(*) FROM pragma_table_info ('%s') WHERE name = '%s'", table, column);
    sqlite3_stmt *stmt;
    bool has = false;
    if (s_replica_prepare (self, sql, -1, &stmt, NULL) == SQLITE_OK) {
        has = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) > 0;
        s_replica_done (self, stmt);
    }
    free (sql);
    return has;
}

//  Steps on the system tables, one per version, each idempotent.
static int
s_migrate_system (fg_replica_t *self)
{
    int64_t from = self->stored_schema;
    int rc = 0;
    if (rc == 0 && from < 2 && !s_has_column (self, "node", "epoch_base"))
        rc = s_replica_exec (self, "ALTER TABLE node ADD COLUMN epoch_base INTEGER NOT NULL DEFAULT 0");
    return rc;
}

static int
s_migrate (fg_replica_t *self)
{
    int64_t from = self->stored_schema;
    int rc = s_replica_exec (self, "BEGIN IMMEDIATE");
    zlistx_t *drop = zlistx_new ();
    zlistx_set_destructor (drop, (zlistx_destructor_fn *) zstr_free);
    sqlite3_stmt *stmt;
    if (rc == 0 && s_replica_prepare (self, "SELECT name FROM sqlite_master WHERE type = 'table'",
                                       -1, &stmt, NULL) == SQLITE_OK) {
        while (sqlite3_step (stmt) == SQLITE_ROW) {
            const char *name = (const char *) sqlite3_column_text (stmt, 0);
            bool system = false;
            for (size_t i = 0; s_system_tables [i]; i++)
                system |= streq (name, s_system_tables [i]);
            if (!system)
                zlistx_add_end (drop, strdup (name));
        }
        s_replica_done (self, stmt);
    }
    for (char *name = (char *) zlistx_first (drop); rc == 0 && name; name = (char *) zlistx_next (drop)) {
        char *sql = fg_strdupf ("DROP TABLE \"%s\"", name);
        rc = s_replica_exec (self, sql);
        free (sql);
    }
    zlistx_destroy (&drop);
    if (rc == 0) {
        self->merge = fg_merge_new (self->db);
        if (!self->merge)
            rc = s_replica_fail (self, "domain tables");
    }
    if (rc == 0)
        rc = s_replica_meta_set_int (self, "schema_version", FG_SCHEMA_VERSION);
    if (rc == 0)
        rc = s_replica_exec (self, "COMMIT");
    else
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    if (rc == 0) {
        zsys_info ("replica: upgrading %s from schema %lld to %d: replaying the log...",
                   self->path, (long long) from, FG_SCHEMA_VERSION);
        rc = fg_replica_rebuild (self);
    }
    if (rc == 0)
        self->stored_schema = FG_SCHEMA_VERSION;
    return rc;
}

fg_replica_t *
fg_replica_open (const char *path)
{
    if (!zsys_file_exists (path)) {
        zsys_error ("replica: %s does not exist (run fugai init first)", path);
        return NULL;
    }
    fg_replica_t *self = s_replica_new (path);
    int rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK
             ? 0 : s_replica_fail (self, "open");
    if (rc == 0)
        rc = s_configure (self);
    if (rc == 0)
        rc = s_replica_exec (self, s_system_ddl);
    if (rc == 0)
        rc = s_read_version (self);
    if (rc == 0 && self->stored_schema < FG_SCHEMA_VERSION)
        rc = s_migrate_system (self);
    if (rc == 0)
        rc = s_load_identity (self);
    if (rc == 0 && self->stored_schema < FG_SCHEMA_VERSION)
        rc = s_migrate (self);
    if (rc == 0)
        rc = s_replica_recovery_load (self);
    if (rc == 0 && !self->merge) {
        self->merge = fg_merge_new (self->db);
        if (!self->merge)
            rc = s_replica_fail (self, "domain tables");
    }
    if (rc) {
        zsys_error ("replica: cannot open %s: %s", path, self->error);
        fg_replica_destroy (&self);
    }
    return self;
}

void
fg_replica_destroy (fg_replica_t **self_p)
{
    assert (self_p);
    fg_replica_t *self = *self_p;
    if (self) {
        if (self->in_txn)
            fg_replica_rollback (self);
        fg_merge_destroy (&self->merge);
        zhashx_destroy (&self->stmts);
        sqlite3_close_v2 (self->db);
        free (self->path);
        free (self);
        *self_p = NULL;
    }
}

void
fg_replica_set_keys (fg_replica_t *self, fg_keys_t *keys)
{
    self->keys = keys;
}

void
fg_replica_set_max_ahead (fg_replica_t *self, int64_t ms)
{
    self->max_ahead_ms = ms;
}

const char *
fg_replica_error (fg_replica_t *self)
{
    return self->error;
}

sqlite3 *
fg_replica_db (fg_replica_t *self)
{
    return self->db;
}

const fg_node_t *
fg_replica_self (fg_replica_t *self)
{
    return &self->self;
}

fg_merge_t *
fg_replica_merge (fg_replica_t *self)
{
    return self->merge;
}

//  -------------------------------------------------------------------------
//  Transactions

int
fg_replica_begin (fg_replica_t *self)
{
    assert (!self->in_txn);
    if (s_replica_exec (self, "BEGIN IMMEDIATE"))
        return -1;
    self->in_txn = true;
    //  Another process (the operator's command and the daemon share the
    //  file) may have moved the counters since we last looked.
    int64_t number;
    if (s_replica_meta_get_int (self, "id_counter", &number) == 0 && (uint64_t) number > self->id_counter)
        self->id_counter = (uint64_t) number;
    if (s_replica_meta_get_int (self, "hlc", &number) == 0 && (uint64_t) number > self->hlc)
        self->hlc = (uint64_t) number;
    return 0;
}

int
fg_replica_commit (fg_replica_t *self)
{
    assert (self->in_txn);
    int rc = 0;
    if (self->id_dirty)
        rc = s_replica_meta_set_int (self, "id_counter", (int64_t) self->id_counter);
    if (rc == 0 && self->hlc_dirty)
        rc = s_replica_meta_set_int (self, "hlc", (int64_t) self->hlc);
    if (rc == 0)
        rc = s_replica_exec (self, "COMMIT");
    if (rc) {
        //  A failed COMMIT (disk full, I/O error) leaves nothing half done
        fg_replica_rollback (self);
        return -1;
    }
    self->in_txn = false;
    self->id_dirty = self->hlc_dirty = false;
    return 0;
}

void
fg_replica_rollback (fg_replica_t *self)
{
    if (sqlite3_get_autocommit (self->db) == 0)
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    self->in_txn = false;
    //  Counters are re-read from meta at the next begin
    int64_t number;
    if (s_replica_meta_get_int (self, "id_counter", &number) == 0)
        self->id_counter = (uint64_t) number;
    if (s_replica_meta_get_int (self, "hlc", &number) == 0)
        self->hlc = (uint64_t) number;
    self->id_dirty = self->hlc_dirty = false;
}

uint64_t
fg_replica_new_id (fg_replica_t *self)
{
    assert (self->in_txn);
    self->id_counter++;
    assert (self->id_counter <= FG_ID_COUNTER_MASK);
    self->id_dirty = true;
    return ((uint64_t) self->self.node_id << FG_ID_SHIFT) | self->id_counter;
}

int
fg_replica_write (fg_replica_t *self, fg_ops_t *ops, const char *author, uint64_t *seq_p,
                  fg_merge_result_t *result)
{
    if (fg_replica_begin (self))
        return -1;
    if (fg_replica_append (self, ops, author, seq_p, result) || fg_replica_commit (self)) {
        if (self->in_txn)
            fg_replica_rollback (self);
        return -1;
    }
    return 0;
}

//  -------------------------------------------------------------------------
//  Nodes and trust

static fg_tier_t
s_tier_below (fg_tier_t tier)
{
    return tier == FG_TIER_PREFECTURE ? FG_TIER_COUNTY
         : tier == FG_TIER_COUNTY ? FG_TIER_TOWNSHIP : FG_TIER_NONE;
}

//  The node op that records a node's keys in this node's log.
static int
s_append_node_record (fg_replica_t *self, const fg_node_t *node, uint16_t parent_id,
                      const char *relation, const char *status, const char *author)
{
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "node", "enroll", node->node_id, strtoull (node->org, NULL, 10));
    fg_ops_set_text (ops, "tier", fg_tier_name (node->tier));
    fg_ops_set_text (ops, "org", node->org);
    fg_ops_set_text (ops, "name", node->name);
    fg_ops_set_int (ops, "epoch", node->epoch);
    if (node->epoch_base)
        fg_ops_set_int (ops, "epoch_base", (int64_t) node->epoch_base);
    fg_ops_set_blob (ops, "sign_pk", node->sign_pk, FG_SIGN_PK_SIZE);
    fg_ops_set_text (ops, "curve_pk", node->curve_pk);
    if (parent_id)
        fg_ops_set_int (ops, "parent_id", parent_id);
    fg_ops_set_text (ops, "relation", relation);
    fg_ops_set_text (ops, "status", status);
    int rc = fg_replica_append (self, ops, author, NULL, NULL);
    fg_ops_destroy (&ops);
    return rc;
}

//  An id already held by a node with other keys cannot be given again.
static int
s_check_free_id (fg_replica_t *self, const fg_node_t *node, char *errbuf, size_t errsize)
{
    fg_node_t held;
    char relation [16], status [16];
    if (s_replica_node_any (self, node->node_id, &held, relation, status) == 0
    &&  memcmp (held.sign_pk, node->sign_pk, FG_SIGN_PK_SIZE) != 0) {
        snprintf (errbuf, errsize, "node id %u is already held by %s (org %s, %s); "
                  "re-run fugai init for the new node with --node-id", node->node_id,
                  held.name, held.org, relation);
        return -1;
    }
    return 0;
}

int
fg_replica_enroll (fg_replica_t *self, const fg_node_t *child, const char *author,
                   char *errbuf, size_t errsize)
{
    if (child->tier != s_tier_below (self->self.tier)) {
        snprintf (errbuf, errsize, "a %s enrolls %s nodes, not a %s",
                  fg_tier_name (self->self.tier), fg_tier_name (s_tier_below (self->self.tier)),
                  fg_tier_name (child->tier));
        return -1;
    }
    if (fg_org_tier (child->org) != child->tier || !fg_org_contains (self->self.org, child->org)) {
        snprintf (errbuf, errsize, "org %s is not a %s inside %s", child->org,
                  fg_tier_name (child->tier), self->self.org);
        return -1;
    }
    if (child->node_id == self->self.node_id || s_check_free_id (self, child, errbuf, errsize)) {
        if (child->node_id == self->self.node_id)
            snprintf (errbuf, errsize, "node id %u is this node's own", child->node_id);
        return -1;
    }
    if (fg_replica_begin (self)) {
        snprintf (errbuf, errsize, "%s", self->error);
        return -1;
    }
    int rc = s_replica_node_put (self, child, self->self.node_id, "child", "pinned", "active");
    if (rc == 0)
        rc = s_append_node_record (self, child, self->self.node_id, "child", "active", author);
    bool changed;
    if (rc == 0)
        rc = s_replica_trust_refresh (self, &changed);
    fg_rx_stats_t stats = { 0 };
    if (rc == 0)
        rc = s_replica_retry_unknown (self, &stats);
    if (rc == 0)
        rc = fg_replica_commit (self);
    else
        fg_replica_rollback (self);
    if (rc)
        snprintf (errbuf, errsize, "%s", self->error);
    return rc;
}

int
fg_replica_trust (fg_replica_t *self, const fg_node_t *parent, const char *author,
                  char *errbuf, size_t errsize)
{
    if (s_tier_below (parent->tier) != self->self.tier) {
        snprintf (errbuf, errsize, "a %s's parent is a %s, not a %s", fg_tier_name (self->self.tier),
                  self->self.tier == FG_TIER_COUNTY ? "prefecture" : "county",
                  fg_tier_name (parent->tier));
        return -1;
    }
    if (fg_org_tier (parent->org) != parent->tier || !fg_org_contains (parent->org, self->self.org)) {
        snprintf (errbuf, errsize, "org %s is not a %s containing %s", parent->org,
                  fg_tier_name (parent->tier), self->self.org);
        return -1;
    }
    fg_node_t existing;
    if (fg_replica_parent (self, &existing) == 0 && existing.node_id != parent->node_id) {
        snprintf (errbuf, errsize, "this node already trusts parent %u (%s); a node has one parent",
                  existing.node_id, existing.name);
        return -1;
    }
    if (parent->node_id == self->self.node_id || s_check_free_id (self, parent, errbuf, errsize)) {
        if (parent->node_id == self->self.node_id)
            snprintf (errbuf, errsize, "node id %u is this node's own", parent->node_id);
        return -1;
    }
    if (fg_replica_begin (self)) {
        snprintf (errbuf, errsize, "%s", self->error);
        return -1;
    }
    int rc = s_replica_node_put (self, parent, 0, "parent", "pinned", "active");
    if (rc == 0)
        rc = s_append_node_record (self, parent, 0, "parent", "active", author);
    bool changed;
    if (rc == 0)
        rc = s_replica_trust_refresh (self, &changed);
    fg_rx_stats_t stats = { 0 };
    if (rc == 0)
        rc = s_replica_retry_unknown (self, &stats);
    if (rc == 0)
        rc = fg_replica_commit (self);
    else
        fg_replica_rollback (self);
    if (rc)
        snprintf (errbuf, errsize, "%s", self->error);
    return rc;
}

int
fg_replica_revoke (fg_replica_t *self, uint16_t node_id, const char *author,
                   char *errbuf, size_t errsize)
{
    fg_node_t node;
    char relation [16], status [16];
    if (s_replica_node_any (self, node_id, &node, relation, status) || !streq (relation, "child")) {
        snprintf (errbuf, errsize, "node %u is not a child of this node", node_id);
        return -1;
    }
    if (fg_replica_begin (self)) {
        snprintf (errbuf, errsize, "%s", self->error);
        return -1;
    }
    int rc = s_replica_node_put (self, &node, self->self.node_id, "child", "pinned", "revoked");
    if (rc == 0)
        rc = s_append_node_record (self, &node, self->self.node_id, "child", "revoked", author);
    if (rc == 0)
        rc = fg_replica_commit (self);
    else
        fg_replica_rollback (self);
    if (rc)
        snprintf (errbuf, errsize, "%s", self->error);
    return rc;
}

//  Read a node record op into a node; 0 or -1 if a field is missing.
static int
s_node_from_op (const fg_op_t *op, fg_node_t *node, uint16_t *parent_id,
                char relation [16], char status [16])
{
    memset (node, 0, sizeof *node);
    node->node_id = (uint16_t) op->row_id;
    const fg_value_t *tier = fg_op_get (op, "tier");
    const fg_value_t *org = fg_op_get (op, "org");
    const fg_value_t *name = fg_op_get (op, "name");
    const fg_value_t *epoch = fg_op_get (op, "epoch");
    const fg_value_t *sign = fg_op_get (op, "sign_pk");
    const fg_value_t *curve = fg_op_get (op, "curve_pk");
    const fg_value_t *parent = fg_op_get (op, "parent_id");
    const fg_value_t *rel = fg_op_get (op, "relation");
    const fg_value_t *stat = fg_op_get (op, "status");
    if (!tier || !org || !sign || sign->size != FG_SIGN_PK_SIZE || !curve || curve->size > 40
    ||  !rel || org->size > FG_ORG_CODE_MAX)
        return -1;
    char text [64];
    snprintf (text, sizeof text, "%.*s", (int) tier->size, tier->data);
    node->tier = fg_tier_from_name (text);
    snprintf (node->org, sizeof node->org, "%.*s", (int) org->size, org->data);
    if (name && name->type == FG_VAL_TEXT)
        snprintf (node->name, sizeof node->name, "%.*s", (int) name->size, name->data);
    node->epoch = epoch && epoch->type == FG_VAL_INT ? (uint32_t) epoch->i : 0;
    const fg_value_t *base = fg_op_get (op, "epoch_base");
    node->epoch_base = base && base->type == FG_VAL_INT && base->i > 0 ? (uint64_t) base->i : 0;
    memcpy (node->sign_pk, sign->data, FG_SIGN_PK_SIZE);
    snprintf (node->curve_pk, sizeof node->curve_pk, "%.*s", (int) curve->size, curve->data);
    *parent_id = parent && parent->type == FG_VAL_INT ? (uint16_t) parent->i : 0;
    snprintf (relation, 16, "%.*s", (int) (rel->size < 15 ? rel->size : 15), rel->data);
    if (stat && stat->type == FG_VAL_TEXT)
        snprintf (status, 16, "%.*s", (int) (stat->size < 15 ? stat->size : 15), stat->data);
    else
        strcpy (status, "active");
    return node->tier == FG_TIER_NONE ? -1 : 0;
}

int
s_replica_trust_refresh (fg_replica_t *self, bool *changed)
{
    *changed = false;
    int64_t before = 0;
    sqlite3_stmt *stmt;
    if (s_replica_prepare (self, "SELECT count(*) FROM node WHERE source = 'learned'", -1, &stmt, NULL))
        return s_replica_fail (self, "trust");
    if (sqlite3_step (stmt) == SQLITE_ROW)
        before = sqlite3_column_int64 (stmt, 0);
    s_replica_done (self, stmt);

    if (s_replica_exec (self, "DELETE FROM node WHERE source = 'learned'"))
        return -1;
    if (s_replica_prepare (self,
            "SELECT o.origin, o.body FROM op o JOIN log l ON l.origin = o.origin AND l.seq = o.seq "
            "WHERE o.tbl = 'node' AND o.outcome = 'applied' ORDER BY l.lsn, o.idx", -1, &stmt, NULL))
        return s_replica_fail (self, "trust");
    //  Passes until nothing new is learned: a record can only be used once
    //  its author is trusted, which an earlier record may establish.
    int rc = 0;
    for (int pass = 0; rc == 0 && pass < 16; pass++) {
        bool learned = false;
        sqlite3_reset (stmt);
        while (rc == 0 && sqlite3_step (stmt) == SQLITE_ROW) {
            fg_node_t author, subject, held;
            char author_rel [16], author_status [16], rel [16], status [16], held_rel [16], held_status [16];
            if (s_replica_node_any (self, (uint16_t) sqlite3_column_int (stmt, 0), &author,
                                    author_rel, author_status)
            ||  !streq (author_status, "active"))
                continue;
            fg_op_t op;
            uint16_t parent_id = 0;
            if (fg_op_decode (&op, (const uint8_t *) sqlite3_column_blob (stmt, 1),
                              (size_t) sqlite3_column_bytes (stmt, 1))
            ||  s_node_from_op (&op, &subject, &parent_id, rel, status))
                continue;
            bool known = s_replica_node_any (self, subject.node_id, &held, held_rel, held_status) == 0;
            const char *relation = NULL;
            if (streq (rel, "child")) {
                //  A trusted node vouches for a child it enrolled
                if (parent_id == author.node_id
                &&  subject.tier == s_tier_below (author.tier)
                &&  fg_org_tier (subject.org) == subject.tier
                &&  fg_org_contains (author.org, subject.org))
                    relation = "other";
            }
            else
            if (streq (rel, "parent")) {
                //  An ancestor of ours vouches for its own parent
                if ((streq (author_rel, "parent") || streq (author_rel, "ancestor"))
                &&  s_tier_below (subject.tier) == author.tier
                &&  fg_org_tier (subject.org) == subject.tier
                &&  fg_org_contains (subject.org, author.org))
                    relation = "ancestor";
            }
            if (!relation)
                continue;
            if (known) {
                //  Pinned keys are never overridden; a later record of a
                //  learned node by its enroller changes its status
                //  (revocation) and its epoch (recovery from a fork)
                if (memcmp (held.sign_pk, subject.sign_pk, FG_SIGN_PK_SIZE) == 0
                &&  streq (relation, "other")
                &&  (!streq (held_status, status) || subject.epoch > held.epoch)) {
                    sqlite3_stmt *update;
                    if (s_replica_prepare (self, "UPDATE node SET status = ?, epoch = max (epoch, ?), "
                                            "epoch_base = CASE WHEN ? > epoch THEN ? ELSE epoch_base END "
                                            "WHERE node_id = ? AND source = 'learned'", -1, &update, NULL) == SQLITE_OK) {
                        sqlite3_bind_text (update, 1, streq (status, "revoked") ? "revoked" : "active", -1, SQLITE_STATIC);
                        sqlite3_bind_int64 (update, 2, subject.epoch);
                        sqlite3_bind_int64 (update, 3, subject.epoch);
                        sqlite3_bind_int64 (update, 4, (sqlite3_int64) subject.epoch_base);
                        sqlite3_bind_int (update, 5, subject.node_id);
                        if (sqlite3_step (update) != SQLITE_DONE)
                            rc = s_replica_fail (self, "trust");
                        s_replica_done (self, update);
                    }
                    if (rc == 0 && subject.epoch > held.epoch)
                        rc = s_replica_epoch_reset (self, subject.node_id);
                }
                continue;
            }
            rc = s_replica_node_put (self, &subject, parent_id, relation, "learned",
                             streq (status, "revoked") ? "revoked" : "active");
            learned = true;
        }
        if (!learned)
            break;
    }
    s_replica_done (self, stmt);
    if (rc == 0 && s_replica_prepare (self, "SELECT count(*) FROM node WHERE source = 'learned'",
                                       -1, &stmt, NULL) == SQLITE_OK) {
        if (sqlite3_step (stmt) == SQLITE_ROW)
            *changed = sqlite3_column_int64 (stmt, 0) != before;
        s_replica_done (self, stmt);
    }
    return rc;
}

//  -------------------------------------------------------------------------
//  Cursors, figures, maintenance

uint64_t
fg_replica_cursor (fg_replica_t *self, uint16_t peer, const char *dir)
{
    sqlite3_stmt *stmt;
    uint64_t cursor = 0;
    if (s_replica_prepare (self, "SELECT cursor FROM link WHERE peer = ? AND dir = ?",
                            -1, &stmt, NULL) == SQLITE_OK) {
        sqlite3_bind_int (stmt, 1, peer);
        sqlite3_bind_text (stmt, 2, dir, -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) == SQLITE_ROW)
            cursor = (uint64_t) sqlite3_column_int64 (stmt, 0);
        s_replica_done (self, stmt);
    }
    return cursor;
}

int
fg_replica_set_cursor (fg_replica_t *self, uint16_t peer, const char *dir, uint64_t cursor)
{
    sqlite3_stmt *stmt;
    if (s_replica_prepare (self, "INSERT OR REPLACE INTO link (peer, dir, cursor, updated_at) "
                            "VALUES (?, ?, ?, ?)", -1, &stmt, NULL))
        return s_replica_fail (self, "cursor");
    sqlite3_bind_int (stmt, 1, peer);
    sqlite3_bind_text (stmt, 2, dir, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) cursor);
    sqlite3_bind_int64 (stmt, 4, fg_now_ms ());
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : s_replica_fail (self, "cursor");
    s_replica_done (self, stmt);
    return rc;
}

int
fg_replica_set_peer_status (fg_replica_t *self, uint16_t peer, const char *state,
                            int64_t last_contact, int64_t rtt_ms, int64_t clock_offset_ms,
                            const char *error)
{
    sqlite3_stmt *stmt;
    if (s_replica_prepare (self, "INSERT OR REPLACE INTO peer_status (peer, state, last_contact, "
                            "rtt_ms, clock_offset_ms, error, updated_at) VALUES (?,?,?,?,?,?,?)",
                            -1, &stmt, NULL))
        return s_replica_fail (self, "peer status");
    sqlite3_bind_int (stmt, 1, peer);
    sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
    if (last_contact)
        sqlite3_bind_int64 (stmt, 3, last_contact);
    sqlite3_bind_int64 (stmt, 4, rtt_ms);
    sqlite3_bind_int64 (stmt, 5, clock_offset_ms);
    if (error && *error)
        sqlite3_bind_text (stmt, 6, error, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 7, fg_now_ms ());
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : s_replica_fail (self, "peer status");
    s_replica_done (self, stmt);
    return rc;
}

int64_t
fg_replica_data_version (fg_replica_t *self)
{
    sqlite3_stmt *stmt;
    int64_t version = -1;
    if (s_replica_prepare (self, "PRAGMA data_version", -1, &stmt, NULL) == SQLITE_OK) {
        if (sqlite3_step (stmt) == SQLITE_ROW)
            version = sqlite3_column_int64 (stmt, 0);
        s_replica_done (self, stmt);
    }
    return version;
}

static uint64_t
s_count (fg_replica_t *self, const char *sql, int64_t arg)
{
    sqlite3_stmt *stmt;
    uint64_t value = 0;
    if (s_replica_prepare (self, sql, -1, &stmt, NULL) == SQLITE_OK) {
        if (sqlite3_bind_parameter_count (stmt) > 0)
            sqlite3_bind_int64 (stmt, 1, arg);
        if (sqlite3_step (stmt) == SQLITE_ROW)
            value = (uint64_t) sqlite3_column_int64 (stmt, 0);
        s_replica_done (self, stmt);
    }
    return value;
}

uint64_t
fg_replica_last_lsn (fg_replica_t *self)
{
    return s_count (self, "SELECT coalesce(max(lsn), 0) FROM log", 0);
}

int
fg_replica_counts (fg_replica_t *self, fg_counts_t *counts)
{
    memset (counts, 0, sizeof *counts);
    counts->log_entries = s_count (self, "SELECT count(*) FROM log", 0);
    counts->own_seq = s_count (self, "SELECT coalesce(max(seq), 0) FROM frontier WHERE origin = ?",
                               self->self.node_id);
    counts->last_lsn = fg_replica_last_lsn (self);
    counts->ops_proposed = s_count (self, "SELECT count(*) FROM op WHERE outcome = 'proposal'", 0);
    counts->ops_rejected = s_count (self, "SELECT count(*) FROM op WHERE outcome = 'rejected'", 0);
    counts->ops_applied = s_count (self, "SELECT count(*) FROM op", 0)
                        - counts->ops_proposed - counts->ops_rejected;
    counts->buffered = s_count (self, "SELECT count(*) FROM buffer", 0);
    counts->quarantined = s_count (self, "SELECT count(*) FROM quarantine", 0);
    counts->forked_origins = s_count (self, "SELECT count(*) FROM frontier WHERE state = 'forked'", 0);
    counts->clock_ahead = s_count (self, "SELECT count(*) FROM log WHERE clock_ahead != 0", 0);
    counts->clock_flagged = s_count (self, "SELECT count(*) FROM clock_flag WHERE voided = 0", 0);
    for (size_t i = 0; i < fg_schema_table_count (); i++) {
        const fg_table_t *table = fg_schema_table_at (i);
        if (table->workflow) {
            char *sql = fg_strdupf ("SELECT count(*) FROM %s WHERE rejected = 1", table->workflow->event_table);
            counts->transitions_rejected += s_count (self, sql, 0);
            free (sql);
        }
    }
    return 0;
}

int
fg_replica_digest (fg_replica_t *self, const char *org, uint8_t digest [FG_HASH_SIZE],
                   size_t *rows_p)
{
    if (fg_merge_digest (self->merge, org, digest, rows_p)) {
        snprintf (self->error, sizeof self->error, "%s", fg_merge_error (self->merge));
        return -1;
    }
    return 0;
}

int
fg_replica_ack_directives (fg_replica_t *self, const char *author, size_t *count_p)
{
    *count_p = 0;
    sqlite3_stmt *stmt;
    if (s_replica_prepare (self,
            "SELECT d.id, d.org_id FROM directive d WHERE d.voided = 0 AND d.created_by != ?1 "
            "AND NOT EXISTS (SELECT 1 FROM directive_ack a WHERE a.directive_id = d.id "
            "AND a.node_id = ?1) ORDER BY d.id", -1, &stmt, NULL))
        return s_replica_fail (self, "directives");
    sqlite3_bind_int (stmt, 1, self->self.node_id);
    fg_ops_t *ops = NULL;
    int64_t today = fg_now_ms () / 86400000;
    uint64_t anchor = strtoull (self->self.org, NULL, 10);
    while (sqlite3_step (stmt) == SQLITE_ROW && *count_p < FG_OPS_MAX) {
        char target [24];
        snprintf (target, sizeof target, "%lld", (long long) sqlite3_column_int64 (stmt, 1));
        if (!fg_org_contains (target, self->self.org))
            continue;
        if (!ops)
            ops = fg_ops_new ();
        fg_ops_begin (ops, FG_OP_INSERT, "directive_ack", NULL, fg_replica_new_id (self), anchor);
        fg_ops_set_int (ops, "directive_id", sqlite3_column_int64 (stmt, 0));
        fg_ops_set_int (ops, "node_id", self->self.node_id);
        fg_ops_set_text (ops, "state", "received");
        fg_ops_set_int (ops, "occurred_on", today);
        (*count_p)++;
    }
    s_replica_done (self, stmt);
    int rc = 0;
    if (ops) {
        rc = fg_replica_append (self, ops, author, NULL, NULL);
        fg_ops_destroy (&ops);
    }
    return rc;
}
