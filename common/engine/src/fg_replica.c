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
    node_key(node_id, until_epoch, sign_pk)
                                a key retired when its node was replaced
                                (fugai enroll --replace): it signed that
                                node's entries of epochs below until_epoch
    log(lsn, origin, seq, epoch, hlc, hash, entry, anchor, up, via,
        received_at, clock_ahead, down, also)
                                every entry held, in local arrival order
                                (lsn); `entry` is the wire bytes; `anchor`
                                the org the entry routes to, `down` its
                                scope, `also` its second anchor ('' none;
                                fg_merge.h); `up` is 1 when the origin
                                lies in this node's subtree; index
                                log_route (lsn, up, via, down, origin,
                                anchor, also) holds what a stream's scan
                                decides by, so that it never reads past a
                                large entry (its overflow pages) it will
                                not send
    frontier(origin, seq, hash, hlc, state, last_heard)
                                per origin: highest contiguous seq (own
                                subtree) or highest seq seen (others);
                                state ok or forked
    buffer(origin, seq, hash, entry, via, received_at, reason)
    quarantine(id, origin, seq, hash, entry, reason, detail, via, received_at, size)
                                refused entries: hash and size always, the
                                bytes only if their origin's key signs them
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
#include <sys/stat.h>
#include <fcntl.h>
#include <libgen.h>
#include "fg_util.h"
#include "fg_org.h"
#include "fg_hlc.h"
#include "fg_schema.h"

//  A replica is used by one thread at a time (an actor, or a command's
//  main): its connection needs no mutex of its own (SQLite's multi-thread
//  mode; each sync actor opens its own connection). In serialized mode
//  every bind, step and column call takes and drops one.
#define S_OPEN_THREADS SQLITE_OPEN_NOMUTEX

static const char *s_system_ddl =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS node (\n"
    "  node_id INTEGER PRIMARY KEY, tier TEXT NOT NULL, org TEXT NOT NULL, name TEXT,\n"
    "  epoch INTEGER NOT NULL DEFAULT 0, epoch_base INTEGER NOT NULL DEFAULT 0,\n"
    "  sign_pk BLOB NOT NULL, curve_pk TEXT NOT NULL,\n"
    "  parent_id INTEGER, relation TEXT NOT NULL, source TEXT NOT NULL,\n"
    "  status TEXT NOT NULL DEFAULT 'active', since INTEGER);\n"
    "CREATE INDEX IF NOT EXISTS node_curve ON node (curve_pk);\n"
    "CREATE TABLE IF NOT EXISTS node_key (\n"
    "  node_id INTEGER NOT NULL, until_epoch INTEGER NOT NULL, sign_pk BLOB NOT NULL,\n"
    "  PRIMARY KEY (node_id, until_epoch)) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS log (\n"
    "  lsn INTEGER PRIMARY KEY AUTOINCREMENT, origin INTEGER NOT NULL, seq INTEGER NOT NULL,\n"
    "  epoch INTEGER NOT NULL, hlc INTEGER NOT NULL, hash BLOB NOT NULL, entry BLOB NOT NULL,\n"
    "  anchor TEXT NOT NULL, up INTEGER NOT NULL, via INTEGER NOT NULL,\n"
    "  received_at INTEGER NOT NULL, clock_ahead INTEGER NOT NULL DEFAULT 0,\n"
    "  down INTEGER NOT NULL DEFAULT 0, also TEXT NOT NULL DEFAULT '',\n"
    "  UNIQUE (origin, seq));\n"
    "CREATE TABLE IF NOT EXISTS frontier (\n"
    "  origin INTEGER PRIMARY KEY, seq INTEGER NOT NULL, hash BLOB NOT NULL,\n"
    "  hlc INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'ok', last_heard INTEGER);\n"
    "CREATE TABLE IF NOT EXISTS buffer (\n"
    "  origin INTEGER NOT NULL, seq INTEGER NOT NULL, hash BLOB NOT NULL, entry BLOB NOT NULL,\n"
    "  via INTEGER, received_at INTEGER NOT NULL, reason TEXT NOT NULL,\n"
    "  PRIMARY KEY (origin, seq));\n"
    "CREATE INDEX IF NOT EXISTS buffer_via ON buffer (via, reason);\n"
    "CREATE TABLE IF NOT EXISTS quarantine (\n"
    "  id INTEGER PRIMARY KEY, origin INTEGER, seq INTEGER, hash BLOB NOT NULL, entry BLOB,\n"
    "  reason TEXT NOT NULL, detail TEXT, via INTEGER, received_at INTEGER NOT NULL,\n"
    "  size INTEGER, UNIQUE (hash, reason));\n"
    "CREATE INDEX IF NOT EXISTS quarantine_via ON quarantine (via);\n"
    "CREATE TABLE IF NOT EXISTS forked_own (\n"
    "  seq INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, hash BLOB NOT NULL, entry BLOB NOT NULL,\n"
    "  set_aside_at INTEGER NOT NULL, resigned_seq INTEGER);\n"
    "CREATE TABLE IF NOT EXISTS peer_status (\n"
    "  peer INTEGER PRIMARY KEY, state TEXT NOT NULL, last_contact INTEGER, rtt_ms INTEGER,\n"
    "  clock_offset_ms INTEGER, error TEXT, updated_at INTEGER NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS link (\n"
    "  peer INTEGER NOT NULL, dir TEXT NOT NULL, cursor INTEGER NOT NULL, updated_at INTEGER,\n"
    "  PRIMARY KEY (peer, dir));\n";

//  Indexes on columns a migration adds (s_migrate_system): made after it
static const char *s_system_indexes =
    "CREATE INDEX IF NOT EXISTS log_route ON log (lsn, up, via, down, origin, anchor, also);\n";

static void
s_stmt_destroy (void **item)
{
    sqlite3_finalize ((sqlite3_stmt *) *item);
    *item = NULL;
}

int
fg_replica__prepare (fg_replica_t *self, const char *sql, int size, sqlite3_stmt **stmt,
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
fg_replica__done (fg_replica_t *self, sqlite3_stmt *stmt)
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
fg_replica__fail (fg_replica_t *self, const char *what)
{
    snprintf (self->error, sizeof self->error, "%s: %s", what, sqlite3_errmsg (self->db));
    return -1;
}

int
fg_replica__exec (fg_replica_t *self, const char *sql)
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
fg_replica__meta_get_int (fg_replica_t *self, const char *key, int64_t *value)
{
    sqlite3_stmt *stmt;
    *value = 0;
    if (fg_replica__prepare (self, "SELECT value FROM meta WHERE key = ?", -1, &stmt, NULL))
        return fg_replica__fail (self, "meta");
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        *value = sqlite3_column_int64 (stmt, 0);
        rc = 0;
    }
    fg_replica__done (self, stmt);
    return rc;
}

int
fg_replica__meta_set (fg_replica_t *self, const char *key, const char *text, int64_t number, bool is_text)
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                            -1, &stmt, NULL))
        return fg_replica__fail (self, "meta");
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
    if (is_text)
        sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64 (stmt, 2, number);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_replica__fail (self, "meta");
    fg_replica__done (self, stmt);
    return rc;
}

int
fg_replica__meta_set_int (fg_replica_t *self, const char *key, int64_t value)
{
    return fg_replica__meta_set (self, key, NULL, value, false);
}

//  -------------------------------------------------------------------------
//  Opening

static const fg_replica_hooks_t s_no_hooks = { .tables = NULL };

static fg_replica_t *
s_replica_new (const char *path, const fg_replica_hooks_t *hooks)
{
    fg_replica_t *self = (fg_replica_t *) zmalloc (sizeof (fg_replica_t));
    assert (self);
    self->hooks = hooks ? hooks : &s_no_hooks;
    self->data_version = -1;
    if (self->hooks->tables)
        fg_schema_install (self->hooks->tables, self->hooks->table_count);
    self->path = strdup (path);
    self->max_ahead_ms = FG_HLC_DEFAULT_MAX_AHEAD_MS;
    if (sodium_init () < 0)
        assert (false);
    return self;
}

//  The merger over the file (creates the op and domain tables if missing).
static int
s_merge_open (fg_replica_t *self)
{
    self->merge = fg_merge_new (self->db);
    if (!self->merge)
        return fg_replica__fail (self, "domain tables");
    //  The analysts' views of the domain tables (v_household, ...)
    char err [256];
    if (fg_schema_make_views (self->db, err, sizeof err))
        return fg_replica_fail_with (self, "%s", err);
    return 0;
}

static int
s_configure (fg_replica_t *self)
{
    sqlite3_busy_timeout (self->db, 15000);
    //  WAL: readers (the operator's command, an analyst's sqlite3) never
    //  block the daemon. synchronous=FULL: a commit, and so an ack, survives
    //  power loss, not only a killed process.
    if (fg_replica__exec (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                              "PRAGMA foreign_keys = OFF; PRAGMA trusted_schema = OFF;"))
        return -1;
    return 0;
}

static int
s_read_version (fg_replica_t *self)
{
    int64_t value = 0;
    if (fg_replica__meta_get_int (self, "schema_version", &value)) {
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
    if (fg_replica__meta_get_int (self, "node_id", &node_id) || node_id < 1 || node_id > 65535) {
        snprintf (self->error, sizeof self->error, "%s has no node identity", self->path);
        return -1;
    }
    fg_node_t node;
    char relation [16], status [16];
    if (fg_replica__node_any (self, (uint16_t) node_id, &node, relation, status)
    ||  !streq (relation, "self")) {
        snprintf (self->error, sizeof self->error, "%s has no record of its own node", self->path);
        return -1;
    }
    self->self = node;
    int64_t number;
    if (fg_replica__meta_get_int (self, "id_counter", &number) == 0)
        self->id_counter = (uint64_t) number;
    if (fg_replica__meta_get_int (self, "hlc", &number) == 0)
        self->hlc = (uint64_t) number;
    return 0;
}

fg_replica_t *
fg_replica_create (const char *path, const fg_node_t *node, const fg_replica_hooks_t *hooks)
{
    if (zsys_file_exists (path)) {
        zsys_error ("replica: %s already exists", path);
        return NULL;
    }
    fg_replica_t *self = s_replica_new (path, hooks);
    //  The file holds records of people: owner only (SQLite gives its -wal
    //  and -shm files the same mode)
    mode_t old = umask (077);
    int rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | S_OPEN_THREADS, NULL)
             == SQLITE_OK ? 0 : fg_replica__fail (self, "open");
    if (rc == 0)
        rc = s_configure (self);
    umask (old);
    if (rc == 0 && chmod (path, 0600))
        rc = fg_replica__fail (self, "chmod");
    if (rc == 0)
        rc = fg_replica__exec (self, "BEGIN");
    if (rc == 0)
        rc = fg_replica__exec (self, s_system_ddl);
    if (rc == 0)
        rc = fg_replica__exec (self, s_system_indexes);
    if (rc == 0)
        rc = s_merge_open (self);
    if (rc == 0)
        rc = fg_replica__meta_set_int (self, "schema_version", FG_SCHEMA_VERSION);
    if (rc == 0)
        rc = fg_replica__meta_set_int (self, "node_id", node->node_id);
    if (rc == 0)
        rc = fg_replica__meta_set (self, "created_at", NULL, fg_now_ms (), false);
    if (rc == 0)
        rc = fg_replica__node_put (self, node, 0, "self", "pinned", "active");
    if (rc == 0)
        rc = fg_replica__exec (self, "COMMIT");
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
    if (fg_replica__prepare (self, sql, -1, &stmt, NULL) == SQLITE_OK) {
        has = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) > 0;
        fg_replica__done (self, stmt);
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
        rc = fg_replica__exec (self, "ALTER TABLE node ADD COLUMN epoch_base INTEGER NOT NULL DEFAULT 0");
    if (rc == 0 && from < 4 && !s_has_column (self, "quarantine", "size"))
        rc = fg_replica__exec (self, "ALTER TABLE quarantine ADD COLUMN size INTEGER;"
                                     "UPDATE quarantine SET size = length (entry);"
                                     "CREATE INDEX IF NOT EXISTS quarantine_via ON quarantine (via)");
    //  5: the down scope of each entry (entries held before route as subtree)
    if (rc == 0 && from < 5 && !s_has_column (self, "log", "down"))
        rc = fg_replica__exec (self, "ALTER TABLE log ADD COLUMN down INTEGER NOT NULL DEFAULT 0");
    //  7: the second anchor of each entry (fg_merge.h `also`): the replay
    //  of the upgrade fills it, and down, for the entries held before
    if (rc == 0 && from < 7 && !s_has_column (self, "log", "also"))
        rc = fg_replica__exec (self, "ALTER TABLE log ADD COLUMN also TEXT NOT NULL DEFAULT ''");
    return rc;
}

//  One transaction: the old projections are dropped, the new ones created
//  and the log, verified, replayed into them; if an entry is damaged or
//  anything fails, the file stays as it was (older schema, rows intact).
static int
s_migrate (fg_replica_t *self)
{
    int64_t from = self->stored_schema;
    zsys_info ("replica: upgrading %s from schema %lld to %d: verifying and replaying the log...",
               self->path, (long long) from, FG_SCHEMA_VERSION);
    int rc = fg_replica_begin (self);
    zlistx_t *drop = zlistx_new ();
    zlistx_set_destructor (drop, (zlistx_destructor_fn *) zstr_free);
    sqlite3_stmt *stmt;
    //  The analysts' views go first (fg_merge makes them again from the
    //  catalogue): a view of a dropped table would fail every ALTER TABLE
    if (rc == 0 && fg_replica__prepare (self, "SELECT name FROM sqlite_master WHERE type = 'view'",
                                       -1, &stmt, NULL) == SQLITE_OK) {
        while (sqlite3_step (stmt) == SQLITE_ROW)
            zlistx_add_end (drop, fg_strdupf ("DROP VIEW \"%s\"", (const char *) sqlite3_column_text (stmt, 0)));
        fg_replica__done (self, stmt);
    }
    if (rc == 0 && fg_replica__prepare (self, "SELECT name FROM sqlite_master WHERE type = 'table'",
                                       -1, &stmt, NULL) == SQLITE_OK) {
        while (sqlite3_step (stmt) == SQLITE_ROW) {
            const char *name = (const char *) sqlite3_column_text (stmt, 0);
            bool system = false;
            for (size_t i = 0; s_system_tables [i]; i++)
                system |= streq (name, s_system_tables [i]);
            if (!system)
                zlistx_add_end (drop, fg_strdupf ("DROP TABLE \"%s\"", name));
        }
        fg_replica__done (self, stmt);
    }
    for (char *sql = (char *) zlistx_first (drop); rc == 0 && sql; sql = (char *) zlistx_next (drop))
        rc = fg_replica__exec (self, sql);
    zlistx_destroy (&drop);
    if (rc == 0)
        rc = s_merge_open (self);
    if (rc == 0)
        rc = fg_replica__meta_set_int (self, "schema_version", FG_SCHEMA_VERSION);
    if (rc == 0)
        rc = fg_replica__replay (self);
    if (rc == 0)
        rc = fg_replica_commit (self);
    else
    if (self->in_txn) {
        //  (the error says why; the file keeps its schema and its rows)
        char reason [sizeof self->error];
        snprintf (reason, sizeof reason, "%s", self->error);
        fg_replica_rollback (self);
        fg_merge_destroy (&self->merge);
        snprintf (self->error, sizeof self->error, "schema upgrade from %lld to %d not done: %.960s",
                  (long long) from, FG_SCHEMA_VERSION, reason);
    }
    if (rc == 0)
        self->stored_schema = FG_SCHEMA_VERSION;
    return rc;
}

fg_replica_t *
fg_replica_open (const char *path, const fg_replica_hooks_t *hooks)
{
    if (!zsys_file_exists (path)) {
        zsys_error ("replica: %s does not exist (run fugai init first)", path);
        return NULL;
    }
    fg_replica_t *self = s_replica_new (path, hooks);
    int rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | S_OPEN_THREADS, NULL) == SQLITE_OK
             ? 0 : fg_replica__fail (self, "open");
    if (rc == 0)
        rc = s_configure (self);
    if (rc == 0)
        rc = fg_replica__exec (self, s_system_ddl);
    if (rc == 0)
        rc = s_read_version (self);
    if (rc == 0 && self->stored_schema < FG_SCHEMA_VERSION)
        rc = s_migrate_system (self);
    if (rc == 0)
        rc = fg_replica__exec (self, s_system_indexes);
    if (rc == 0)
        rc = s_load_identity (self);
    if (rc == 0 && self->stored_schema < FG_SCHEMA_VERSION)
        rc = s_migrate (self);
    if (rc == 0)
        rc = fg_replica__recovery_load (self);
    if (rc == 0 && !self->merge)
        rc = s_merge_open (self);
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
        fg_replica__held_finalize (self);
        zhashx_destroy (&self->stmts);
        sqlite3_close_v2 (self->db);
        free (self->path);
        free (self->refusals);
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

void
fg_replica_set_cache_kb (fg_replica_t *self, int kib)
{
    char sql [48];
    snprintf (sql, sizeof sql, "PRAGMA cache_size = -%d", kib);
    sqlite3_exec (self->db, sql, NULL, NULL, NULL);
}

int
fg_replica_fail_with (fg_replica_t *self, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vsnprintf (self->error, sizeof self->error, format, args);
    va_end (args);
    return -1;
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

const fg_op_t *
fg_replica_entry_ops (fg_replica_t *self, const fg_entry_t *entry, size_t *count_p)
{
    assert (self->merge);               //  an open replica has its merger
    return fg_merge_ops (self->merge, entry, count_p, NULL);
}

//  -------------------------------------------------------------------------
//  Transactions

int
fg_replica_begin (fg_replica_t *self)
{
    assert (!self->in_txn);
    if (fg_replica__exec (self, "BEGIN IMMEDIATE"))
        return -1;
    self->in_txn = true;
    fg_replica__batch_forget (self);
    //  Another process (the operator's command and the daemon share the
    //  file) may have committed since we last looked: then the counters,
    //  this node's own record (its epoch) and a recovery or restore the
    //  other one started are read again, under the write lock. A command
    //  that opened the file just before its daemon set entries aside for
    //  a new epoch would otherwise write an own entry in the old epoch
    //  into the seqs coming back (found by the campaign test: a fork that
    //  never healed). data_version changes only for other connections'
    //  commits, so the daemon alone pays one pragma per transaction.
    int64_t version = fg_replica_data_version (self);
    if (version >= 0 && version == self->data_version)
        return 0;
    self->data_version = version;
    int64_t number;
    if (fg_replica__meta_get_int (self, "id_counter", &number) == 0 && (uint64_t) number > self->id_counter)
        self->id_counter = (uint64_t) number;
    if (fg_replica__meta_get_int (self, "hlc", &number) == 0 && (uint64_t) number > self->hlc)
        self->hlc = (uint64_t) number;
    fg_node_t node;
    char relation [16], status [16];
    if (fg_replica__node_any (self, self->self.node_id, &node, relation, status) == 0 && streq (relation, "self"))
        self->self = node;
    fg_replica__recovery_load (self);
    return 0;
}

int
fg_replica_commit (fg_replica_t *self)
{
    assert (self->in_txn);
    int rc = 0;
    if (self->id_dirty)
        rc = fg_replica__meta_set_int (self, "id_counter", (int64_t) self->id_counter);
    if (rc == 0 && self->hlc_dirty)
        rc = fg_replica__meta_set_int (self, "hlc", (int64_t) self->hlc);
    if (rc == 0)
        rc = fg_replica__exec (self, "COMMIT");
    if (rc) {
        //  A failed COMMIT (disk full, I/O error) leaves nothing half done
        fg_replica_rollback (self);
        return -1;
    }
    self->in_txn = false;
    self->id_dirty = self->hlc_dirty = false;
    fg_replica__batch_forget (self);
    //  A write of another process than the daemon: tell the daemon now
    if (!self->no_wake) {
        if (!self->wake_ready)
            fg_wake_init (&self->wake, self->path);
        self->wake_ready = true;
        fg_wake_send (&self->wake);
    }
    return 0;
}

void
fg_replica_set_wake (fg_replica_t *self, bool wake)
{
    self->no_wake = !wake;
}

void
fg_replica_rollback (fg_replica_t *self)
{
    if (sqlite3_get_autocommit (self->db) == 0)
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    self->in_txn = false;
    fg_replica__batch_forget (self);
    //  Counters are re-read from meta at the next begin
    int64_t number;
    if (fg_replica__meta_get_int (self, "id_counter", &number) == 0)
        self->id_counter = (uint64_t) number;
    if (fg_replica__meta_get_int (self, "hlc", &number) == 0)
        self->hlc = (uint64_t) number;
    self->id_dirty = self->hlc_dirty = false;
}

int
fg_replica__finish (fg_replica_t *self, int rc, char *errbuf, size_t errsize)
{
    if (rc == 0)
        rc = fg_replica_commit (self);
    else
        fg_replica_rollback (self);
    return rc ? fg_errf (errbuf, errsize, "%s", self->error) : 0;
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

uint64_t
fg_replica__id_counter (fg_replica_t *self, uint16_t origin, uint64_t from_seq, uint64_t to_seq)
{
    sqlite3_stmt *stmt;
    uint64_t counter = 0;
    if (fg_replica__prepare (self, "SELECT coalesce (max (row_id & ?4), 0) FROM op WHERE origin = ?1 "
                            "AND seq >= ?2 AND seq < ?3 AND (row_id >> ?5) = ?1", -1, &stmt, NULL) == SQLITE_OK) {
        sqlite3_bind_int (stmt, 1, origin);
        sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) from_seq);
        sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) to_seq);
        sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) FG_ID_COUNTER_MASK);
        sqlite3_bind_int (stmt, 5, FG_ID_SHIFT);
        if (sqlite3_step (stmt) == SQLITE_ROW)
            counter = (uint64_t) sqlite3_column_int64 (stmt, 0);
        fg_replica__done (self, stmt);
    }
    return counter;
}

//  -------------------------------------------------------------------------
//  Cursors, figures, maintenance

uint64_t
fg_replica_cursor (fg_replica_t *self, uint16_t peer, const char *dir)
{
    sqlite3_stmt *stmt;
    uint64_t cursor = 0;
    if (fg_replica__prepare (self, "SELECT cursor FROM link WHERE peer = ? AND dir = ?",
                            -1, &stmt, NULL) == SQLITE_OK) {
        sqlite3_bind_int (stmt, 1, peer);
        sqlite3_bind_text (stmt, 2, dir, -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) == SQLITE_ROW)
            cursor = (uint64_t) sqlite3_column_int64 (stmt, 0);
        fg_replica__done (self, stmt);
    }
    return cursor;
}

int
fg_replica_set_cursor (fg_replica_t *self, uint16_t peer, const char *dir, uint64_t cursor)
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "INSERT OR REPLACE INTO link (peer, dir, cursor, updated_at) "
                            "VALUES (?, ?, ?, ?)", -1, &stmt, NULL))
        return fg_replica__fail (self, "cursor");
    sqlite3_bind_int (stmt, 1, peer);
    sqlite3_bind_text (stmt, 2, dir, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) cursor);
    sqlite3_bind_int64 (stmt, 4, fg_now_ms ());
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_replica__fail (self, "cursor");
    fg_replica__done (self, stmt);
    return rc;
}

int
fg_replica_set_peer_status (fg_replica_t *self, uint16_t peer, const char *state,
                            int64_t last_contact, int64_t rtt_ms, int64_t clock_offset_ms,
                            const char *error)
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "INSERT OR REPLACE INTO peer_status (peer, state, last_contact, "
                            "rtt_ms, clock_offset_ms, error, updated_at) VALUES (?,?,?,?,?,?,?)",
                            -1, &stmt, NULL))
        return fg_replica__fail (self, "peer status");
    sqlite3_bind_int (stmt, 1, peer);
    sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
    if (last_contact)
        sqlite3_bind_int64 (stmt, 3, last_contact);
    sqlite3_bind_int64 (stmt, 4, rtt_ms);
    sqlite3_bind_int64 (stmt, 5, clock_offset_ms);
    if (error && *error)
        sqlite3_bind_text (stmt, 6, error, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 7, fg_now_ms ());
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_replica__fail (self, "peer status");
    fg_replica__done (self, stmt);
    return rc;
}

int64_t
fg_replica_data_version (fg_replica_t *self)
{
    sqlite3_stmt *stmt;
    int64_t version = -1;
    if (fg_replica__prepare (self, "PRAGMA data_version", -1, &stmt, NULL) == SQLITE_OK) {
        if (sqlite3_step (stmt) == SQLITE_ROW)
            version = sqlite3_column_int64 (stmt, 0);
        fg_replica__done (self, stmt);
    }
    return version;
}

int64_t
fg_replica__scalar (fg_replica_t *self, const char *sql, int64_t a, int64_t b)
{
    sqlite3_stmt *stmt;
    int64_t value = 0;
    if (fg_replica__prepare (self, sql, -1, &stmt, NULL) == SQLITE_OK) {
        if (sqlite3_bind_parameter_count (stmt) >= 1)
            sqlite3_bind_int64 (stmt, 1, a);
        if (sqlite3_bind_parameter_count (stmt) >= 2)
            sqlite3_bind_int64 (stmt, 2, b);
        if (sqlite3_step (stmt) == SQLITE_ROW)
            value = sqlite3_column_int64 (stmt, 0);
        fg_replica__done (self, stmt);
    }
    return value;
}

//  A count (or a max) without parameters.
static uint64_t
s_count (fg_replica_t *self, const char *sql)
{
    return (uint64_t) fg_replica__scalar (self, sql, 0, 0);
}

uint64_t
fg_replica_last_lsn (fg_replica_t *self)
{
    return s_count (self, "SELECT coalesce(max(lsn), 0) FROM log");
}

int
fg_replica_counts (fg_replica_t *self, fg_counts_t *counts)
{
    memset (counts, 0, sizeof *counts);
    counts->log_entries = s_count (self, "SELECT count(*) FROM log");
    counts->own_seq = (uint64_t) fg_replica__scalar (self, "SELECT coalesce(max(seq), 0) FROM frontier "
                                                   "WHERE origin = ?", self->self.node_id, 0);
    counts->last_lsn = fg_replica_last_lsn (self);
    counts->ops_proposed = s_count (self, "SELECT count(*) FROM op WHERE outcome = 'proposal' AND outcome != 'applied'");
    counts->ops_rejected = s_count (self, "SELECT count(*) FROM op WHERE outcome = 'rejected' AND outcome != 'applied'");
    counts->ops_applied = s_count (self, "SELECT count(*) FROM op")
                        - counts->ops_proposed - counts->ops_rejected;
    counts->buffered = s_count (self, "SELECT count(*) FROM buffer");
    counts->quarantined = s_count (self, "SELECT count(*) FROM quarantine");
    counts->forked_origins = s_count (self, "SELECT count(*) FROM frontier WHERE state = 'forked'");
    counts->clock_ahead = s_count (self, "SELECT count(*) FROM log WHERE clock_ahead != 0");
    counts->clock_flagged = s_count (self, "SELECT coalesce (sum (coalesce (count, 1)), 0) FROM clock_flag "
                                           "WHERE voided = 0");
    for (size_t i = 0; i < fg_schema_table_count (); i++) {
        const fg_table_t *table = fg_schema_table_at (i);
        if (table->workflow) {
            char *sql = fg_strdupf ("SELECT count(*) FROM %s WHERE rejected = 1", table->workflow->event_table);
            counts->transitions_rejected += s_count (self, sql);
            free (sql);
        }
    }
    counts->set_aside = (uint64_t) fg_replica__scalar (self, "SELECT count(*) FROM forked_own", 0, 0);
    //  Refusals of entries still in this node's own chain (not those of a
    //  branch an epoch set aside). A refusal row sums up a run of one batch
    //  (seq .. last_seq) and names the hash of its first entry, which
    //  tells the branch.
    counts->refused_own = (uint64_t) fg_replica__scalar (self, "SELECT count(DISTINCT l.seq) FROM refusal r "
                                                       "JOIN log f ON f.origin = r.origin AND f.seq = r.seq "
                                                       "AND f.hash = r.entry_hash "
                                                       "JOIN log l ON l.origin = r.origin "
                                                       "AND l.seq BETWEEN r.seq AND coalesce (r.last_seq, r.seq) "
                                                       "WHERE r.origin = ?",
                                                       self->self.node_id, 0);
    return 0;
}

size_t
fg_replica_children (fg_replica_t *self, uint16_t *ids, size_t max)
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT node_id FROM node WHERE relation = 'child' ORDER BY node_id",
                            -1, &stmt, NULL))
        return 0;
    size_t count = 0;
    while (count < max && sqlite3_step (stmt) == SQLITE_ROW)
        ids [count++] = (uint16_t) sqlite3_column_int (stmt, 0);
    fg_replica__done (self, stmt);
    return count;
}

size_t
fg_replica_links (fg_replica_t *self, fg_link_status_t *links, size_t max)
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT n.node_id, n.tier, n.org, n.name, n.relation, n.status, "
                            "p.state, p.last_contact, p.rtt_ms, p.clock_offset_ms, p.error "
                            "FROM node n LEFT JOIN peer_status p ON p.peer = n.node_id "
                            "WHERE n.relation IN ('parent', 'child') ORDER BY n.relation DESC, n.node_id",
                            -1, &stmt, NULL))
        return 0;
    size_t count = 0;
    while (count < max && sqlite3_step (stmt) == SQLITE_ROW) {
        fg_link_status_t *link = &links [count++];
        memset (link, 0, sizeof *link);
        link->id = (uint16_t) sqlite3_column_int (stmt, 0);
        const unsigned char *text;
        #define S_TEXT(field, column, fallback) \
            text = sqlite3_column_text (stmt, column); \
            snprintf (link->field, sizeof link->field, "%s", text ? (const char *) text : fallback)
        S_TEXT (tier, 1, "");
        S_TEXT (org, 2, "");
        S_TEXT (name, 3, "");
        S_TEXT (relation, 4, "");
        S_TEXT (status, 5, "");
        S_TEXT (state, 6, "never connected");
        S_TEXT (error, 10, "");
        #undef S_TEXT
        link->last_contact = sqlite3_column_int64 (stmt, 7);
        link->rtt_ms = sqlite3_column_int64 (stmt, 8);
        link->offset_ms = sqlite3_column_int64 (stmt, 9);
    }
    fg_replica__done (self, stmt);
    //  What waits for each (after the statement: the scans prepare their own)
    for (size_t i = 0; i < count; i++) {
        fg_node_t node;
        bool child = streq (links [i].relation, "child");
        if (!child || fg_replica_node (self, links [i].id, &node, NULL) == 0)
            links [i].pending = fg_replica_pending (self, child ? &node : NULL,
                                                    fg_replica_cursor (self, links [i].id, "out"));
    }
    return count;
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
fg_replica_from_parent (fg_replica_t *self, const char *author, fg_recovery_t *recovery_p,
                        size_t *resigned_p, size_t *acks_p)
{
    fg_recovery_t recovery;
    size_t resigned = 0, acks = 0;
    int rc = fg_replica_recover (self, &recovery, &resigned);
    if (rc == 0 && !fg_replica_recovering (self) && !self->restoring && self->hooks->on_from_parent)
        rc = self->hooks->on_from_parent (self, author ? author : "fugai", &acks);
    if (recovery_p)
        *recovery_p = recovery;
    if (resigned_p)
        *resigned_p = resigned;
    if (acks_p)
        *acks_p = acks;
    return rc;
}

//  fsync a file or directory by path; 0 or -1 (errno set).
static int
s_fsync_path (const char *path, int flags)
{
    int fd = open (path, flags);
    if (fd < 0)
        return -1;
    int rc = fsync (fd);
    close (fd);
    return rc;
}

int
fg_replica_backup (fg_replica_t *self, const char *path, char *errbuf, size_t errsize)
{
    assert (self);
    assert (path);
    char *tmp = fg_strdupf ("%s.tmp", path);
    unlink (tmp);
    //  Created 0600 before SQLite opens it, so a secret never lies readable
    int fd = open (tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        int rc = fg_errf (errbuf, errsize, "cannot create %s: %s", tmp, strerror (errno));
        free (tmp);
        return rc;
    }
    close (fd);
    sqlite3 *copy = NULL;
    int rc = sqlite3_open_v2 (tmp, &copy, SQLITE_OPEN_READWRITE, NULL);
    sqlite3_backup *backup = rc == SQLITE_OK ? sqlite3_backup_init (copy, "main", self->db, "main") : NULL;
    if (backup) {
        //  In one step: one read transaction on the source, a snapshot of
        //  the WAL replica, while the daemon goes on writing (a WAL reader
        //  holds up no writer). Copied in small steps instead, every write
        //  of the daemon in between restarted the copy from the first page:
        //  measured on a 23 MB replica, 0.4 s idle but 5.9 s with one
        //  writer, and a busy hub's copy need never end.
        do {
            rc = sqlite3_backup_step (backup, -1);
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep (20);
        } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite3_backup_finish (backup);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    else
    if (rc == SQLITE_OK)
        rc = sqlite3_errcode (copy);
    //  The copy is a plain rollback-journal file until it is opened as a
    //  replica again (which sets WAL); check it reads back whole
    if (rc == SQLITE_OK) {
        sqlite3_stmt *stmt = NULL;
        rc = sqlite3_prepare_v2 (copy, "PRAGMA quick_check", -1, &stmt, NULL);
        if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW
        &&  !streq ((const char *) sqlite3_column_text (stmt, 0), "ok"))
            rc = SQLITE_CORRUPT;
        sqlite3_finalize (stmt);
    }
    char reason [256];
    snprintf (reason, sizeof reason, "%s", copy ? sqlite3_errmsg (copy) : "out of memory");
    if (rc == SQLITE_OK && sqlite3_close (copy) != SQLITE_OK)
        rc = SQLITE_IOERR;
    else
    if (rc != SQLITE_OK)
        sqlite3_close (copy);
    if (rc == SQLITE_OK && (chmod (tmp, 0600) || s_fsync_path (tmp, O_RDONLY))) {
        snprintf (reason, sizeof reason, "%s", strerror (errno));
        rc = SQLITE_IOERR;
    }
    if (rc == SQLITE_OK && rename (tmp, path)) {
        snprintf (reason, sizeof reason, "%s", strerror (errno));
        rc = SQLITE_IOERR;
    }
    if (rc == SQLITE_OK) {
        char *dir = strdup (path);
        s_fsync_path (dirname (dir), O_RDONLY | O_DIRECTORY);
        free (dir);
        free (tmp);
        return 0;
    }
    unlink (tmp);
    free (tmp);
    return fg_errf (errbuf, errsize, "cannot copy %s to %s: %s", self->path, path, reason);
}
