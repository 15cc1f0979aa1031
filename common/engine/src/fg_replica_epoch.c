/*  fg_replica_epoch.c - recovering from a fork through a new epoch (the
    procedure is described in fg_replica.h).

    State of a recovery on the child, in meta while it lasts:
        recovery_epoch   E        the epoch the parent started
        recovery_base    B        the parent's last seq of the old chain
        recovery_hash    H (hex)  the hash of that entry
        recovery_fork    F        first seq of the forked branch
        recovery_floor           highest id counter the parent has seen
    The set-aside entries are in forked_own.

    On the parent the recovery is the child's node row (epoch, epoch_base)
    and the epoch record in the log: entries of the branch it resolved
    that arrive again (the child resent its log before it took the epoch,
    or after a restart of either side) are evidence, not a new fork
    (fg_replica_fork_resolved), so the two finish whenever they next meet.

    Restoring the own chain from the parent (a lost disk), in meta while
    it lasts:
        restoring        1        own writes wait; own entries of every
                                  epoch are taken from the parent
*/
#include "fg_replica_int.h"
#include "fg_util.h"
#include "fg_org.h"
#include "fg_schema.h"

void
fg_replica__fork_seq_key (uint16_t origin, char key [32])
{
    snprintf (key, 32, "fork_seq.%u", origin);
}

int
fg_replica__epoch_reset (fg_replica_t *self, uint16_t origin)
{
    char key [32];
    fg_replica__fork_seq_key (origin, key);
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "DELETE FROM meta WHERE key = ?", -1, &stmt, NULL))
        return fg_replica__fail (self, "epoch");
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
    int done = sqlite3_step (stmt) == SQLITE_DONE;
    fg_replica__done (self, stmt);
    if (!done)
        return fg_replica__fail (self, "epoch");
    if (fg_replica__prepare (self, "UPDATE frontier SET state = 'ok' WHERE origin = ?", -1, &stmt, NULL))
        return fg_replica__fail (self, "epoch");
    sqlite3_bind_int (stmt, 1, origin);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_replica__fail (self, "epoch");
    fg_replica__done (self, stmt);
    fg_replica__frontier_forget (self);
    return rc;
}

//  A text value of meta into out (size bytes); 0, or -1 if absent.
static int
s_meta_text (fg_replica_t *self, const char *key, char *out, size_t size)
{
    sqlite3_stmt *stmt;
    out [0] = 0;
    if (fg_replica__prepare (self, "SELECT value FROM meta WHERE key = ?", -1, &stmt, NULL))
        return -1;
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0)) {
        snprintf (out, size, "%s", (const char *) sqlite3_column_text (stmt, 0));
        rc = 0;
    }
    fg_replica__done (self, stmt);
    return rc;
}

int
fg_replica__recovery_load (fg_replica_t *self)
{
    int64_t epoch = 0, restoring = 0;
    self->recovering = fg_replica__meta_get_int (self, "recovery_epoch", &epoch) == 0 && epoch > 0;
    self->restoring = fg_replica__meta_get_int (self, "restoring", &restoring) == 0 && restoring > 0;
    char hex [2 * FG_SIGN_PK_SIZE + 1];
    self->rekeying = s_meta_text (self, "rekey_sign_pk", hex, sizeof hex) == 0
                  && fg_hex_decode (hex, self->rekey_pk, FG_SIGN_PK_SIZE) == 0
                  && s_meta_text (self, "rekey_curve_pk", self->rekey_curve, sizeof self->rekey_curve) == 0;
    return 0;
}

//  -------------------------------------------------------------------------
//  Rotating this node's keys (fg_replica.h)

int
fg_replica_rekey_switch (fg_replica_t *self, const fg_node_t *next, char *errbuf, size_t errsize)
{
    if (next && (self->recovering || self->restoring))
        return fg_errf (errbuf, errsize, "this node is %s: let that finish first (fugai status)",
                        self->recovering ? "recovering from a fork" : "being restored from its parent");
    if (next && memcmp (next->sign_pk, self->self.sign_pk, FG_SIGN_PK_SIZE) == 0)
        return fg_errf (errbuf, errsize, "these are the keys this node has now: nothing to switch to");
    if (fg_replica_begin (self))
        return fg_errf (errbuf, errsize, "%s", self->error);
    int rc = fg_replica__exec (self, "DELETE FROM meta WHERE key IN ('rekey_sign_pk', 'rekey_curve_pk')");
    char hex [2 * FG_SIGN_PK_SIZE + 1];
    if (next) {
        fg_hex_encode (next->sign_pk, FG_SIGN_PK_SIZE, hex);
        if (rc == 0)
            rc = fg_replica__meta_set (self, "rekey_sign_pk", hex, 0, true);
        if (rc == 0)
            rc = fg_replica__meta_set (self, "rekey_curve_pk", next->curve_pk, 0, true);
    }
    if (rc == 0) {
        self->rekeying = next != NULL;
        if (next) {
            memcpy (self->rekey_pk, next->sign_pk, FG_SIGN_PK_SIZE);
            snprintf (self->rekey_curve, sizeof self->rekey_curve, "%s", next->curve_pk);
        }
    }
    //  The parent's record may be here already (it came over the session
    //  the old key still had): take it now
    fg_recovery_t state;
    size_t resigned;
    if (rc == 0 && next)
        rc = fg_replica_recover (self, &state, &resigned);
    rc = fg_replica__finish (self, rc, errbuf, errsize);
    if (rc)
        fg_replica__recovery_load (self);
    return rc;
}

bool
fg_replica_rekeying (fg_replica_t *self)
{
    return self->rekeying;
}

//  -------------------------------------------------------------------------
//  Restoring this node's own chain from its parent (fg_replica.h)

int
fg_replica_restore_start (fg_replica_t *self, char *errbuf, size_t errsize)
{
    fg_node_t parent;
    bool have_parent = fg_replica_parent (self, &parent) == 0;
    if (self->recovering)
        return fg_errf (errbuf, errsize, "this node is recovering from a fork (epoch %u): its own entries "
                        "are already coming back from its parent", self->self.epoch);
    if (fg_replica_begin (self))
        return fg_errf (errbuf, errsize, "%s", self->error);
    int rc = fg_replica__meta_set_int (self, "restoring", 1);
    //  The parent sends this node's whole scope again
    if (rc == 0 && have_parent)
        rc = fg_replica_set_cursor (self, parent.node_id, "in", 0);
    rc = fg_replica__finish (self, rc, errbuf, errsize);
    if (rc == 0)
        self->restoring = true;
    return rc;
}

bool
fg_replica_restoring (fg_replica_t *self)
{
    return self->restoring;
}

int
fg_replica_restore_end (fg_replica_t *self)
{
    assert (self->in_txn);
    if (!self->restoring)
        return 0;
    if (fg_replica__exec (self, "DELETE FROM meta WHERE key = 'restoring'"))
        return -1;
    self->restoring = false;
    //  A replacement (new keys) may get its own old entries before the
    //  parent's record that names the key they were signed with: refused
    //  then (bad_signature), they came again and are now in the log, the
    //  same bytes verified with that key. Those refusals said nothing
    //  true about the entries, and go.
    int64_t cleared = fg_replica__scalar (self, "SELECT count(*) FROM quarantine q WHERE q.origin = ?1 "
                                         "AND q.reason = 'bad_signature' AND EXISTS (SELECT 1 FROM log l "
                                         "WHERE l.origin = q.origin AND l.seq = q.seq AND l.hash = q.hash)",
                                         self->self.node_id, 0);
    if (cleared) {
        sqlite3_stmt *stmt;
        if (fg_replica__prepare (self, "DELETE FROM quarantine WHERE origin = ? AND reason = 'bad_signature' "
                                "AND EXISTS (SELECT 1 FROM log l WHERE l.origin = quarantine.origin "
                                "AND l.seq = quarantine.seq AND l.hash = quarantine.hash)", -1, &stmt, NULL))
            return fg_replica__fail (self, "restore");
        sqlite3_bind_int (stmt, 1, self->self.node_id);
        int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_replica__fail (self, "restore");
        fg_replica__done (self, stmt);
        if (rc)
            return rc;
        zsys_info ("restore: %lld own entries refused before the key that signed them was known are in the "
                   "log now, verified; their refusals are cleared", (long long) cleared);
    }
    uint64_t seq;
    uint8_t hash [FG_HASH_SIZE];
    if (fg_replica_frontier (self, self->self.node_id, &seq, hash))
        return -1;
    zsys_info ("restore from the parent done: own chain back to seq %llu (epoch %u); writes resume",
               (unsigned long long) seq, self->self.epoch);
    return 0;
}

bool
fg_replica_recovering (fg_replica_t *self)
{
    return self->recovering;
}

uint64_t
fg_replica_restore_from (fg_replica_t *self)
{
    if (!self->recovering && !self->restoring)
        return 0;
    uint64_t seq;
    uint8_t hash [FG_HASH_SIZE];
    if (fg_replica_frontier (self, self->self.node_id, &seq, hash))
        return 0;
    return seq + 1;
}

//  -------------------------------------------------------------------------
//  On the parent

bool
fg_replica_fork_resolved (fg_replica_t *self, uint16_t origin, uint64_t seq, const uint8_t hash [FG_HASH_SIZE],
                          const uint8_t prev_hash [FG_HASH_SIZE])
{
    fg_node_t node;
    if (fg_replica__node_any (self, origin, &node, NULL, NULL) || node.epoch == 0 || seq > node.epoch_base)
        return false;
    //  A fork of this node recorded at or below seq: the branch from there
    //  on is the one an epoch set aside
    if (fg_replica__scalar (self, "SELECT count(*) FROM quarantine WHERE origin = ? AND reason = 'fork' "
                           "AND seq <= ?", origin, (int64_t) seq) == 0)
        return false;
    //  ... and this entry is on that branch: refused here before (its hash
    //  is known), or it follows one that was. A branch nobody has seen,
    //  below the base of an epoch already made, is the node restored again
    //  from a backup older than that epoch: a new fork, not evidence.
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT 1 FROM quarantine WHERE hash IN (?1, ?2) AND origin = ?3 LIMIT 1",
                            -1, &stmt, NULL))
        return false;
    sqlite3_bind_blob (stmt, 1, hash, FG_HASH_SIZE, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 2, prev_hash ? prev_hash : hash, FG_HASH_SIZE, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 3, origin);
    bool known = sqlite3_step (stmt) == SQLITE_ROW;
    fg_replica__done (self, stmt);
    return known;
}

int
fg_replica_new_epoch (fg_replica_t *self, uint16_t child_id, const char *author, fg_epoch_t *epoch,
                      char *errbuf, size_t errsize)
{
    memset (epoch, 0, sizeof *epoch);
    fg_node_t child;
    char relation [16], status [16];
    if (fg_replica__node_any (self, child_id, &child, relation, status) || !streq (relation, "child")) {
        snprintf (errbuf, errsize, "node %u is not a child of this node", child_id);
        return -1;
    }
    uint8_t hash [FG_HASH_SIZE];
    uint64_t base;
    if (fg_replica_frontier (self, child_id, &base, hash))
        return fg_errf (errbuf, errsize, "%s", self->error);
    int64_t forked = fg_replica__scalar (self, "SELECT count(*) FROM frontier WHERE origin = ? "
                                             "AND state = 'forked'", child_id, 0);
    if (!forked) {
        snprintf (errbuf, errsize, "node %u's chain has not forked here: nothing to recover", child_id);
        return -1;
    }
    //  The forked branch starts at the first seq held twice
    //  (forks an earlier epoch resolved lie at or below its base)
    int64_t fork = fg_replica__scalar (self, "SELECT min (seq) FROM quarantine WHERE origin = ? "
                                           "AND reason = 'fork' AND seq > ?", child_id,
                                       child.epoch ? (int64_t) child.epoch_base : 0);
    //  A fork below the base of an earlier epoch (the node restored again
    //  from a backup older than that epoch) is known by the seq recorded
    //  when the chain was marked forked (fg_replica__fork_seq_key)
    char key [32];
    int64_t recorded;
    fg_replica__fork_seq_key (child_id, key);
    if (fg_replica__meta_get_int (self, key, &recorded) == 0 && recorded > 0 && (fork <= 0 || recorded < fork))
        fork = recorded;
    epoch->epoch = child.epoch + 1;
    epoch->base_seq = base;
    memcpy (epoch->base_hash, hash, FG_HASH_SIZE);
    epoch->fork_seq = fork > 0 ? (uint64_t) fork : base + 1;
    epoch->id_floor = fg_replica__id_counter (self, child_id, 0, FG_REPLICA_ALL_SEQ);
    if (fg_replica_begin (self))
        return fg_errf (errbuf, errsize, "%s", self->error);
    child.epoch = epoch->epoch;
    child.epoch_base = epoch->base_seq;
    int rc = fg_replica__node_put (self, &child, self->self.node_id, "child", "pinned", "active");
    if (rc == 0)
        rc = fg_replica__epoch_reset (self, child_id);
    if (rc == 0) {
        fg_ops_t *ops = fg_ops_new ();
        fg_replica__node_record (ops, &child, self->self.node_id, "child", "active");
        fg_ops_set_blob (ops, "epoch_base_hash", epoch->base_hash, FG_HASH_SIZE);
        fg_ops_set_int (ops, "fork_seq", (int64_t) epoch->fork_seq);
        fg_ops_set_int (ops, "id_floor", (int64_t) epoch->id_floor);
        rc = fg_replica_append (self, ops, author, NULL, NULL);
        fg_ops_destroy (&ops);
    }
    rc = fg_replica__finish (self, rc, errbuf, errsize);
    if (rc == 0)
        zsys_info ("epoch %u of node %u: it continues after seq %llu; its forked branch from seq %llu "
                   "will be signed again", epoch->epoch, child_id, (unsigned long long) epoch->base_seq,
                   (unsigned long long) epoch->fork_seq);
    return rc;
}

//  -------------------------------------------------------------------------
//  On the child

//  The newest epoch record about this node from its parent, if newer than
//  the epoch it is in.
static bool
s_find_epoch (fg_replica_t *self, fg_epoch_t *epoch, uint8_t sign_pk [FG_SIGN_PK_SIZE],
              char curve_pk [41])
{
    memset (epoch, 0, sizeof *epoch);
    memcpy (sign_pk, self->self.sign_pk, FG_SIGN_PK_SIZE);
    snprintf (curve_pk, 41, "%s", self->self.curve_pk);
    fg_node_t parent;
    if (fg_replica_parent (self, &parent))
        return false;
    sqlite3_stmt *stmt;
    bool found = false;
    if (fg_replica__prepare (self, "SELECT o.body FROM op o JOIN log l ON l.origin = o.origin "
                            "AND l.seq = o.seq WHERE o.tbl = 'node' AND o.row_id = ? AND o.origin = ? "
                            "AND o.outcome = 'applied' ORDER BY l.lsn DESC LIMIT 1", -1, &stmt, NULL))
        return false;
    sqlite3_bind_int (stmt, 1, self->self.node_id);
    sqlite3_bind_int (stmt, 2, parent.node_id);
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        fg_op_t *op = (fg_op_t *) malloc (sizeof (fg_op_t));
        assert (op);
        if (fg_op_decode (op, (const uint8_t *) sqlite3_column_blob (stmt, 0),
                          (size_t) sqlite3_column_bytes (stmt, 0)) == 0) {
            const fg_value_t *e = fg_op_get (op, "epoch");
            const fg_value_t *base = fg_op_get (op, "epoch_base");
            const fg_value_t *hash = fg_op_get (op, "epoch_base_hash");
            const fg_value_t *fork = fg_op_get (op, "fork_seq");
            const fg_value_t *floor = fg_op_get (op, "id_floor");
            if (e && e->type == FG_VAL_INT && e->i > (int64_t) self->self.epoch
            &&  base && base->type == FG_VAL_INT && base->i >= 0
            &&  hash && hash->type == FG_VAL_BLOB && hash->size == FG_HASH_SIZE
            &&  fork && fork->type == FG_VAL_INT && fork->i >= 1 && fork->i <= base->i + 1) {
                epoch->epoch = (uint32_t) e->i;
                epoch->base_seq = (uint64_t) base->i;
                memcpy (epoch->base_hash, hash->data, FG_HASH_SIZE);
                epoch->fork_seq = (uint64_t) fork->i;
                epoch->id_floor = floor && floor->type == FG_VAL_INT && floor->i > 0 ? (uint64_t) floor->i : 0;
                //  The keys of the epoch (a rekey or a replacement names new ones)
                const fg_value_t *sign = fg_op_get (op, "sign_pk");
                const fg_value_t *curve = fg_op_get (op, "curve_pk");
                if (sign && sign->type == FG_VAL_BLOB && sign->size == FG_SIGN_PK_SIZE)
                    memcpy (sign_pk, sign->data, FG_SIGN_PK_SIZE);
                if (curve && curve->type == FG_VAL_TEXT && curve->size < 41)
                    snprintf (curve_pk, 41, "%.*s", (int) curve->size, curve->data);
                found = true;
            }
        }
        free (op);
    }
    fg_replica__done (self, stmt);
    return found;
}

static int
s_set_aside (fg_replica_t *self, const fg_epoch_t *epoch, size_t *count_p)
{
    uint16_t me = self->self.node_id;
    //  What this node wrote itself from F on (via 0) is set aside; its
    //  own entries that came back from the parent (a recovery or restore
    //  under way when a newer epoch arrived) are the parent's and come
    //  back again. A row of an earlier recovery at the same seq, already
    //  signed again, is only evidence and gives way.
    *count_p = (size_t) fg_replica__scalar (self, "SELECT count(*) FROM log WHERE origin = ? AND seq >= ? "
                                          "AND via = 0", me, (int64_t) epoch->fork_seq);
    sqlite3_stmt *stmt;
    int rc = 0;
    const char *steps [] = {
        "DELETE FROM forked_own WHERE resigned_seq IS NOT NULL AND seq IN "
        "(SELECT seq FROM log WHERE origin = ?1 AND seq >= ?2 AND via = 0)",
        "INSERT OR IGNORE INTO forked_own (seq, epoch, hash, entry, set_aside_at) "
        "SELECT seq, epoch, hash, entry, ?3 FROM log WHERE origin = ?1 AND seq >= ?2 AND via = 0",
        "DELETE FROM log WHERE origin = ?1 AND seq >= ?2",
        NULL
    };
    for (int i = 0; rc == 0 && steps [i]; i++) {
        if (fg_replica__prepare (self, steps [i], -1, &stmt, NULL))
            return fg_replica__fail (self, "set aside");
        sqlite3_bind_int (stmt, 1, me);
        sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) epoch->fork_seq);
        if (sqlite3_bind_parameter_count (stmt) >= 3)
            sqlite3_bind_int64 (stmt, 3, fg_now_ms ());
        if (sqlite3_step (stmt) != SQLITE_DONE)
            rc = fg_replica__fail (self, "set aside");
        fg_replica__done (self, stmt);
    }
    //  The own chain now ends at F-1 (zero hash if F is 1)
    uint8_t prev [FG_HASH_SIZE] = { 0 };
    if (rc == 0 && epoch->fork_seq > 1 && fg_replica_entry_hash (self, me, epoch->fork_seq - 1, prev))
        memset (prev, 0, FG_HASH_SIZE);
    if (rc == 0) {
        if (fg_replica__prepare (self, "INSERT INTO frontier (origin, seq, hash, hlc, state) VALUES (?1, ?2, ?3, 0, 'ok') "
                                "ON CONFLICT (origin) DO UPDATE SET seq = ?2, hash = ?3, state = 'ok'",
                                -1, &stmt, NULL))
            return fg_replica__fail (self, "set aside");
        sqlite3_bind_int (stmt, 1, me);
        sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) epoch->fork_seq - 1);
        sqlite3_bind_blob (stmt, 3, prev, FG_HASH_SIZE, SQLITE_STATIC);
        if (sqlite3_step (stmt) != SQLITE_DONE)
            rc = fg_replica__fail (self, "set aside");
        fg_replica__done (self, stmt);
        fg_replica__frontier_forget (self);
    }
    return rc;
}

//  Ids the forked branch created may also have been used by the true
//  entries it lost: such ids get fresh ones, and so do references to them.
typedef struct {
    zhashx_t *map;                      //  old id (text) -> new id (uint64_t *)
    uint64_t  fork_counter;             //  own counters up to this predate the fork
} s_remap_t;

static uint64_t
s_remap (fg_replica_t *self, s_remap_t *remap, uint64_t id)
{
    if (FG_ID_NODE (id) != self->self.node_id || (id & FG_ID_COUNTER_MASK) <= remap->fork_counter)
        return id;
    char key [24];
    snprintf (key, sizeof key, "%llu", (unsigned long long) id);
    uint64_t *mapped = (uint64_t *) zhashx_lookup (remap->map, key);
    if (!mapped) {
        mapped = (uint64_t *) malloc (sizeof (uint64_t));
        assert (mapped);
        *mapped = fg_replica_new_id (self);
        zhashx_insert (remap->map, key, mapped);
    }
    return *mapped;
}

static void
s_free_id (void **item)
{
    free (*item);
    *item = NULL;
}

//  Rebuild the ops of a set-aside payload with remapped ids.
static fg_ops_t *
s_rebuild_ops (fg_replica_t *self, s_remap_t *remap, const fg_entry_t *entry)
{
    fg_ops_reader_t reader;
    if (fg_ops_reader_init (&reader, entry->payload, entry->payload_size))
        return NULL;
    fg_ops_t *ops = fg_ops_new ();
    fg_op_t *op = (fg_op_t *) malloc (sizeof (fg_op_t));
    assert (op);
    int next;
    while ((next = fg_ops_next (&reader, op)) == 1) {
        const fg_table_t *table = fg_schema_table (op->table);
        bool id_is_org = table && (table->flags & FG_TABLE_ID_IS_ORG);
        fg_ops_begin (ops, op->kind, op->table, op->group [0] ? op->group : NULL,
                      id_is_org ? op->row_id : s_remap (self, remap, op->row_id), op->anchor);
        for (size_t f = 0; f < op->field_count; f++) {
            const fg_field_t *field = &op->fields [f];
            const fg_column_t *column = table ? fg_schema_column (table, field->name) : NULL;
            const fg_value_t *value = &field->value;
            switch (value->type) {
                case FG_VAL_INT: {
                    int64_t number = value->i;
                    if (column && column->type == FG_COL_ID && number > 0)
                        number = (int64_t) s_remap (self, remap, (uint64_t) number);
                    fg_ops_set_int (ops, field->name, number);
                    break;
                }
                case FG_VAL_TEXT: {
                    char *text = fg_value_strdup (value);
                    fg_ops_set_text (ops, field->name, text);
                    free (text);
                    break;
                }
                case FG_VAL_BLOB:
                    fg_ops_set_blob (ops, field->name, value->data, value->size);
                    break;
                default:
                    fg_ops_set_null (ops, field->name);
                    break;
            }
        }
    }
    free (op);
    if (next < 0)
        fg_ops_destroy (&ops);
    return ops;
}

static int
s_resign (fg_replica_t *self, const fg_epoch_t *epoch, size_t *resigned_p)
{
    uint16_t me = self->self.node_id;
    s_remap_t remap;
    remap.map = zhashx_new ();
    zhashx_set_destructor (remap.map, s_free_id);
    remap.fork_counter = fg_replica__id_counter (self, me, 0, epoch->fork_seq);
    sqlite3_stmt *stmt;
    //  Fresh ids start above anything either branch used
    uint64_t floor = fg_replica__id_counter (self, me, 0, FG_REPLICA_ALL_SEQ);
    if (epoch->id_floor > floor)
        floor = epoch->id_floor;
    if (floor > self->id_counter) {
        self->id_counter = floor;
        self->id_dirty = true;
    }
    //  Every id the forked branch used is above fork_counter; so is any
    //  counter value in forked_own, which we also skip past
    self->recovering = false;           //  own writes are allowed again
    int rc = 0;
    size_t resigned = 0;
    if (fg_replica__prepare (self, "SELECT seq, entry FROM forked_own WHERE resigned_seq IS NULL "
                            "ORDER BY seq", -1, &stmt, NULL))
        rc = fg_replica__fail (self, "re-sign");
    while (rc == 0 && sqlite3_step (stmt) == SQLITE_ROW) {
        int64_t old_seq = sqlite3_column_int64 (stmt, 0);
        size_t size = (size_t) sqlite3_column_bytes (stmt, 1);
        uint8_t *bytes = (uint8_t *) malloc (size ? size : 1);
        assert (bytes);
        memcpy (bytes, sqlite3_column_blob (stmt, 1), size);
        fg_entry_t entry;
        fg_ops_t *ops = NULL;
        if (fg_entry_parse (&entry, bytes, size) == FG_ENTRY_OK)
            ops = s_rebuild_ops (self, &remap, &entry);
        uint64_t new_seq = 0;
        if (!ops)
            zsys_warning ("recovery: set-aside entry %lld does not decode; kept in forked_own only",
                          (long long) old_seq);
        else
            rc = fg_replica_append (self, ops, entry.author, &new_seq, NULL);
        fg_ops_destroy (&ops);
        free (bytes);
        if (rc == 0 && new_seq) {
            sqlite3_stmt *mark;
            if (fg_replica__prepare (self, "UPDATE forked_own SET resigned_seq = ? WHERE seq = ?",
                                    -1, &mark, NULL) == SQLITE_OK) {
                sqlite3_bind_int64 (mark, 1, (sqlite3_int64) new_seq);
                sqlite3_bind_int64 (mark, 2, old_seq);
                if (sqlite3_step (mark) != SQLITE_DONE)
                    rc = fg_replica__fail (self, "re-sign");
                fg_replica__done (self, mark);
            }
            resigned++;
        }
    }
    fg_replica__done (self, stmt);
    zhashx_destroy (&remap.map);
    if (rc) {
        self->recovering = true;
        return rc;
    }
    const char *keys [] = { "recovery_epoch", "recovery_base", "recovery_fork", "recovery_floor",
                            "recovery_hash", NULL };
    for (int i = 0; rc == 0 && keys [i]; i++) {
        char *sql = fg_strdupf ("DELETE FROM meta WHERE key = '%s'", keys [i]);
        rc = fg_replica__exec (self, sql);
        free (sql);
    }
    *resigned_p = resigned;
    return rc;
}

//  The recovery under way, from meta
static int
s_recovery_state (fg_replica_t *self, fg_epoch_t *epoch)
{
    int64_t number;
    char *hex = NULL;
    memset (epoch, 0, sizeof *epoch);
    epoch->epoch = self->self.epoch;
    if (fg_replica__meta_get_int (self, "recovery_base", &number) == 0) epoch->base_seq = (uint64_t) number;
    if (fg_replica__meta_get_int (self, "recovery_fork", &number) == 0) epoch->fork_seq = (uint64_t) number;
    if (fg_replica__meta_get_int (self, "recovery_floor", &number) == 0) epoch->id_floor = (uint64_t) number;
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT value FROM meta WHERE key = 'recovery_hash'", -1, &stmt, NULL) == SQLITE_OK) {
        if (sqlite3_step (stmt) == SQLITE_ROW)
            hex = strdup ((const char *) sqlite3_column_text (stmt, 0));
        fg_replica__done (self, stmt);
    }
    if (!hex || fg_hex_decode (hex, epoch->base_hash, FG_HASH_SIZE)) {
        free (hex);
        snprintf (self->error, sizeof self->error, "recovery state in meta is damaged");
        return -1;
    }
    free (hex);
    return 0;
}

//  The own chain held here goes through the epoch's base with the
//  parent's hash there
static bool
s_through_base (fg_replica_t *self, const fg_epoch_t *epoch)
{
    uint8_t at [FG_HASH_SIZE];
    return epoch->base_seq == 0
        || (fg_replica_entry_hash (self, self->self.node_id, epoch->base_seq, at) == 0
            && memcmp (at, epoch->base_hash, FG_HASH_SIZE) == 0);
}

int
fg_replica_recover_end (fg_replica_t *self, size_t *resigned_p)
{
    assert (self->in_txn);
    *resigned_p = 0;
    fg_epoch_t epoch;
    if (!self->recovering || s_recovery_state (self, &epoch))
        return self->recovering ? -1 : 0;
    uint64_t seq;
    uint8_t hash [FG_HASH_SIZE];
    if (fg_replica_frontier (self, self->self.node_id, &seq, hash))
        return -1;
    if (seq <= epoch.base_seq || !s_through_base (self, &epoch))
        return 0;                       //  fg_replica_recover decides those
    int rc = s_resign (self, &epoch, resigned_p);
    if (rc == 0)
        zsys_info ("fork recovery done: the parent held this node's chain in epoch %u to seq %llu (it went on "
                   "after the base, seq %llu, before it was put back to an older backup); %zu set-aside "
                   "entr%s signed again after it", epoch.epoch, (unsigned long long) seq,
                   (unsigned long long) epoch.base_seq, *resigned_p, *resigned_p == 1 ? "y" : "ies");
    return rc;
}

int
fg_replica_recover (fg_replica_t *self, fg_recovery_t *state, size_t *resigned_p)
{
    assert (self->in_txn);
    *state = FG_RECOVERY_NONE;
    *resigned_p = 0;
    if (self->restoring)
        return 0;                       //  its epochs come back with its entries
    fg_epoch_t epoch;
    int rc = 0;
    //  A new epoch from the parent, whether or not a recovery is under
    //  way: a newer epoch replaces the one being recovered (the node was
    //  restored again, from a backup older than that epoch; what this
    //  node set aside then is still in forked_own and is signed again
    //  after the newer base)
    uint8_t sign_pk [FG_SIGN_PK_SIZE];
    char curve_pk [41];
    bool newer = s_find_epoch (self, &epoch, sign_pk, curve_pk);
    bool new_keys = false;
    if (newer) {
        //  An epoch under other keys is taken only if they are the next
        //  keys this node switched to (fugai rekey): signing its set-aside
        //  writes with a key the parent does not hold would lose them
        new_keys = memcmp (sign_pk, self->self.sign_pk, FG_SIGN_PK_SIZE) != 0;
        bool ours = new_keys ? self->rekeying && memcmp (sign_pk, self->rekey_pk, FG_SIGN_PK_SIZE) == 0
                             : !self->rekeying;
        if (ours && new_keys && (!self->keys || memcmp (fg_keys_sign_pk (self->keys), sign_pk, FG_SIGN_PK_SIZE)))
            ours = false;
        if (!ours) {
            if (self->warned_epoch != epoch.epoch)
                zsys_warning ("the parent's record starts epoch %u of this node under %s: not taken. %s",
                              epoch.epoch, new_keys ? "keys that are not the ones loaded here" : "its old keys",
                              new_keys ? "If fugai rekey made them, stop the daemon and run fugai rekey --switch; "
                                         "otherwise the parent gave this node's id to a replacement, and this node "
                                         "must stop writing"
                                       : "This node has switched to its next keys (fugai rekey --switch): the "
                                         "parent's record of them is awaited");
            self->warned_epoch = epoch.epoch;
            newer = false;
            new_keys = false;
        }
    }
    if (!newer && !self->recovering)
        return 0;
    if (newer) {
        if (self->recovering)
            zsys_warning ("fork recovery: the parent started epoch %u for this node while epoch %u was being "
                          "recovered: recovering into epoch %u instead", epoch.epoch, self->self.epoch,
                          epoch.epoch);
        size_t count = 0;
        rc = s_set_aside (self, &epoch, &count);
        if (rc == 0 && new_keys) {
            //  The old key stays, for the own entries it signed
            rc = fg_replica__retire_key (self, self->self.node_id, epoch.epoch, self->self.sign_pk);
            memcpy (self->self.sign_pk, sign_pk, FG_SIGN_PK_SIZE);
            snprintf (self->self.curve_pk, sizeof self->self.curve_pk, "%s", curve_pk);
            if (rc == 0)
                rc = fg_replica__exec (self, "DELETE FROM meta WHERE key IN ('rekey_sign_pk', 'rekey_curve_pk')");
            if (rc == 0) {
                self->rekeying = false;
                zsys_info ("rekey: the parent's record of this node's next keys arrived: epoch %u signs "
                           "with them from seq %llu on", epoch.epoch, (unsigned long long) epoch.base_seq + 1);
            }
        }
        if (rc == 0) {
            self->self.epoch = epoch.epoch;
            self->self.epoch_base = epoch.base_seq;
            rc = fg_replica__node_put (self, &self->self, 0, "self", "pinned", "active");
        }
        char hex [2 * FG_HASH_SIZE + 1];
        fg_hex_encode (epoch.base_hash, FG_HASH_SIZE, hex);
        if (rc == 0) rc = fg_replica__meta_set_int (self, "recovery_epoch", epoch.epoch);
        if (rc == 0) rc = fg_replica__meta_set_int (self, "recovery_base", (int64_t) epoch.base_seq);
        if (rc == 0) rc = fg_replica__meta_set_int (self, "recovery_fork", (int64_t) epoch.fork_seq);
        if (rc == 0) rc = fg_replica__meta_set_int (self, "recovery_floor", (int64_t) epoch.id_floor);
        if (rc == 0) rc = fg_replica__meta_set (self, "recovery_hash", hex, 0, true);
        //  The set-aside entries no longer count in the domain tables
        if (rc == 0)
            rc = fg_replica__replay (self);
        if (rc)
            return rc;
        self->recovering = true;
        if (new_keys)
            zsys_info ("rekey: %zu own entr%s written after the parent's copy (seq %llu on) set aside, to be "
                       "signed again with the new keys in epoch %u", count, count == 1 ? "y" : "ies",
                       (unsigned long long) epoch.fork_seq, epoch.epoch);
        else
        if (count == 0 && epoch.fork_seq > epoch.base_seq)
            zsys_info ("the parent started epoch %u for this node after seq %llu (new keys, or a fork "
                       "with nothing to set aside here)", epoch.epoch, (unsigned long long) epoch.base_seq);
        else
            zsys_warning ("fork recovery: the parent started epoch %u for this node; %zu entr%s of the forked "
                          "branch (seq %llu on) set aside, to be signed again once seq %llu..%llu are back",
                          epoch.epoch, count, count == 1 ? "y" : "ies", (unsigned long long) epoch.fork_seq,
                          (unsigned long long) epoch.fork_seq, (unsigned long long) epoch.base_seq);
    }
    else
    if (s_recovery_state (self, &epoch))
        return -1;
    //  Waiting until the own chain is back to B, with the parent's hash
    uint64_t seq;
    uint8_t hash [FG_HASH_SIZE];
    if (fg_replica_frontier (self, self->self.node_id, &seq, hash))
        return -1;
    if (seq < epoch.base_seq) {
        *state = FG_RECOVERY_WAITING;
        return 0;
    }
    if (seq > epoch.base_seq && s_through_base (self, &epoch)) {
        //  The parent holds more of this chain in the epoch than its base:
        //  this node had gone on in it before it was put back to an older
        //  backup. The set-aside entries are signed again after the end of
        //  that chain, once the parent says it holds no more of it (an
        //  empty repair batch: fg_replica_recover_end)
        *state = FG_RECOVERY_WAITING;
        return 0;
    }
    if (seq != epoch.base_seq || memcmp (hash, epoch.base_hash, FG_HASH_SIZE)) {
        snprintf (self->error, sizeof self->error, "recovery: own chain at seq %llu does not match the "
                  "parent's base (seq %llu)", (unsigned long long) seq, (unsigned long long) epoch.base_seq);
        *state = FG_RECOVERY_WAITING;
        zsys_error ("%s", self->error);
        return 0;
    }
    rc = s_resign (self, &epoch, resigned_p);
    if (rc == 0) {
        *state = FG_RECOVERY_DONE;
        zsys_info ("fork recovery done: %zu set-aside entr%s signed again in epoch %u", *resigned_p,
                   *resigned_p == 1 ? "y" : "ies", epoch.epoch);
    }
    return rc;
}
