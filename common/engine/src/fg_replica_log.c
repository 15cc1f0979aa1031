/*  fg_replica_log.c - the change log: appending this node's own entries,
    taking in entries from elsewhere (verify, chain, buffer, quarantine),
    scanning for what a peer lacks, replaying for a rebuild.

    The path of a received entry, in order of the checks:
      (carried elided, made whole from the entry before it, which was
       refused, and its signature fails? -> not judged, nothing stored,
       counted against the quota; the receiver asks for it again)
      bytes parse?                       no  -> quarantine malformed
      origin's key known?                no  -> from a township child, or past
                                                the bounds: quarantine outside_sender;
                                                else buffer unknown_origin (the
                                                sender check runs on retry)
      from a child, origin in its subtree?  no -> quarantine outside_sender
      origin revoked / other epoch?         -> quarantine revoked / wrong_epoch
      (origin, seq) already held?        same hash -> duplicate
                                         other hash -> quarantine fork
                                         (the chain stops, unless an older
                                         epoch's fork a later epoch resolved)
      signature (or chain proof) valid?  no  -> quarantine bad_signature
      own-subtree origin:
        chain forked?                         -> quarantine chain_stopped
        seq = frontier+1, prev_hash matches   -> apply, then drain buffer
        seq = frontier+1, prev_hash differs   -> quarantine broken_chain
        seq > frontier+1                      -> buffer gap
      other origin                            -> apply
      (before applying: the programme's on_ingest hook may refuse it,
       naming the rule: quarantine with that reason)
*/
#include "fg_replica_int.h"
#include "fg_util.h"
#include "fg_org.h"
#include "fg_hlc.h"

static const uint8_t s_zero_hash [FG_HASH_SIZE] = { 0 };

//  -------------------------------------------------------------------------
//  The hot path: statements held prepared in self->held (no lookup by SQL
//  text), and what a batch's transaction answers once: the node rows of
//  the origins it carries, and whether anything waits in the buffer.
//  fg_replica__batch_forget drops those answers at every begin, commit and
//  rollback, and whenever node rows change (a node record stored).

enum {
    S_HELD_LOG_INSERT, S_HELD_FRONTIER, S_HELD_FRONTIER_ADVANCE, S_HELD_IN_LOG, S_HELD_IN_BUFFER,
    S_HELD_DRAIN, S_HELD_BUFFER_ANY, S_HELD_COUNT
};

//  The held statement `which` (prepared on first use), or, if a caller up
//  the stack is stepping it, a fresh one from the cache of fg_replica.c.
static int
s_held (fg_replica_t *self, int which, const char *sql, sqlite3_stmt **stmt)
{
    assert (which < FG_REPLICA__HELD);
    *stmt = self->held [which];
    if (*stmt && !sqlite3_stmt_busy (*stmt))
        return SQLITE_OK;
    if (*stmt)
        return fg_replica__prepare (self, sql, -1, stmt, NULL);
    int rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL);
    if (rc == SQLITE_OK)
        self->held [which] = *stmt;
    return rc;
}

static void
s_held_done (fg_replica_t *self, sqlite3_stmt *stmt)
{
    for (int i = 0; i < S_HELD_COUNT; i++)
        if (stmt && stmt == self->held [i]) {
            sqlite3_reset (stmt);
            sqlite3_clear_bindings (stmt);
            return;
        }
    fg_replica__done (self, stmt);
}

void
fg_replica__held_finalize (fg_replica_t *self)
{
    for (int i = 0; i < FG_REPLICA__HELD; i++) {
        sqlite3_finalize (self->held [i]);
        self->held [i] = NULL;
    }
}

void
fg_replica__batch_forget (fg_replica_t *self)
{
    self->node_cached = false;
    self->key_cached = false;
    self->frontier_cached = false;
    self->buffer_empty = 0;
    if (self->merge)
        fg_merge_forget (self->merge);
}

//  fg_replica__node_any, answered once per origin and batch.
static int
s_node (fg_replica_t *self, uint16_t node_id, fg_node_t *node, char relation [16], char status [16])
{
    if (!(self->node_cached && self->node_cache.node_id == node_id)) {
        self->node_cached = false;
        self->key_cached = false;
        if (fg_replica__node_any (self, node_id, &self->node_cache, self->node_cache_relation,
                                  self->node_cache_status))
            return -1;
        self->node_cached = self->in_txn;
    }
    *node = self->node_cache;
    if (relation)
        memcpy (relation, self->node_cache_relation, 16);
    if (status)
        memcpy (status, self->node_cache_status, 16);
    return 0;
}

//  The key that verifies entries of `epoch` of the node s_node gave last
//  (fg_replica__entry_key), answered once per origin, epoch and batch.
static void
s_entry_key (fg_replica_t *self, const fg_node_t *node, uint32_t epoch, uint8_t pk [FG_SIGN_PK_SIZE])
{
    if (self->key_cached && self->node_cached && self->node_cache.node_id == node->node_id
    &&  self->key_epoch == epoch) {
        memcpy (pk, self->key_pk, FG_SIGN_PK_SIZE);
        return;
    }
    fg_replica__entry_key (self, node, epoch, pk);
    if (self->node_cached && self->node_cache.node_id == node->node_id) {
        self->key_cached = true;
        self->key_epoch = epoch;
        memcpy (self->key_pk, pk, FG_SIGN_PK_SIZE);
    }
}

//  Whether the buffer may hold anything (asked once per transaction).
static bool
s_buffer_maybe (fg_replica_t *self)
{
    if (self->buffer_empty == 0 && self->in_txn) {
        sqlite3_stmt *stmt;
        if (s_held (self, S_HELD_BUFFER_ANY, "SELECT EXISTS (SELECT 1 FROM buffer)", &stmt) == SQLITE_OK) {
            if (sqlite3_step (stmt) == SQLITE_ROW)
                self->buffer_empty = sqlite3_column_int (stmt, 0) ? -1 : 1;
            s_held_done (self, stmt);
        }
    }
    return self->buffer_empty != 1;
}

//  Frontier of an origin: seq 0 and the zero hash if none. Within a
//  transaction the last one read is kept, and moved by s_frontier_advance:
//  a batch of one origin's entries reads it once (the other writers of the
//  frontier table forget it: fg_replica__frontier_forget).
static int
s_frontier (fg_replica_t *self, uint16_t origin, uint64_t *seq, uint8_t hash [FG_HASH_SIZE],
            bool *forked)
{
    if (self->frontier_cached && self->frontier_origin == origin && self->in_txn) {
        *seq = self->frontier_seq;
        memcpy (hash, self->frontier_hash, FG_HASH_SIZE);
        *forked = self->frontier_forked;
        return 0;
    }
    self->frontier_cached = false;
    *seq = 0;
    memcpy (hash, s_zero_hash, FG_HASH_SIZE);
    *forked = false;
    sqlite3_stmt *stmt;
    if (s_held (self, S_HELD_FRONTIER, "SELECT seq, hash, state FROM frontier WHERE origin = ?", &stmt))
        return fg_replica__fail (self, "frontier");
    sqlite3_bind_int (stmt, 1, origin);
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        *seq = (uint64_t) sqlite3_column_int64 (stmt, 0);
        if (sqlite3_column_bytes (stmt, 1) == FG_HASH_SIZE)
            memcpy (hash, sqlite3_column_blob (stmt, 1), FG_HASH_SIZE);
        *forked = streq ((const char *) sqlite3_column_text (stmt, 2), "forked");
    }
    s_held_done (self, stmt);
    if (self->in_txn) {
        self->frontier_cached = true;
        self->frontier_origin = origin;
        self->frontier_seq = *seq;
        memcpy (self->frontier_hash, hash, FG_HASH_SIZE);
        self->frontier_forked = *forked;
    }
    return 0;
}

void
fg_replica__frontier_forget (fg_replica_t *self)
{
    self->frontier_cached = false;
}

int
fg_replica_frontier (fg_replica_t *self, uint16_t origin, uint64_t *seq, uint8_t hash [FG_HASH_SIZE])
{
    bool forked;
    return s_frontier (self, origin, seq, hash, &forked);
}

static int
s_frontier_advance (fg_replica_t *self, const fg_entry_t *entry, int64_t now)
{
    sqlite3_stmt *stmt;
    if (s_held (self, S_HELD_FRONTIER_ADVANCE,
            "INSERT INTO frontier (origin, seq, hash, hlc, last_heard) VALUES (?1, ?2, ?3, ?4, ?5) "
            "ON CONFLICT (origin) DO UPDATE SET seq = ?2, hash = ?3, hlc = ?4, last_heard = ?5 "
            "WHERE ?2 > seq", &stmt))
        return fg_replica__fail (self, "frontier");
    sqlite3_bind_int (stmt, 1, entry->origin);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) entry->seq);
    sqlite3_bind_blob (stmt, 3, entry->hash, FG_HASH_SIZE, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) entry->hlc);
    sqlite3_bind_int64 (stmt, 5, now);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_replica__fail (self, "frontier");
    //  The row moved (or was made) only if this seq is past it
    if (rc == 0 && self->frontier_cached && self->frontier_origin == entry->origin
    &&  entry->seq > self->frontier_seq) {
        self->frontier_seq = entry->seq;
        memcpy (self->frontier_hash, entry->hash, FG_HASH_SIZE);
    }
    if (rc)
        self->frontier_cached = false;
    s_held_done (self, stmt);
    return rc;
}

static int
s_set_forked (fg_replica_t *self, uint16_t origin, uint64_t seq)
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self,
            "INSERT INTO frontier (origin, seq, hash, hlc, state) VALUES (?, 0, zeroblob(32), 0, 'forked') "
            "ON CONFLICT (origin) DO UPDATE SET state = 'forked'", -1, &stmt, NULL))
        return fg_replica__fail (self, "frontier");
    sqlite3_bind_int (stmt, 1, origin);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_replica__fail (self, "frontier");
    fg_replica__done (self, stmt);
    fg_replica__frontier_forget (self);
    //  Where the forked branch starts, for the epoch that resolves it
    //  (the lowest seq met twice since the last epoch)
    char key [32];
    int64_t recorded;
    fg_replica__fork_seq_key (origin, key);
    if (rc == 0 && (fg_replica__meta_get_int (self, key, &recorded) || recorded <= 0 || (uint64_t) recorded > seq))
        rc = fg_replica__meta_set_int (self, key, (int64_t) seq);
    return rc;
}

//  Store an accepted entry: project its ops, then log it.
static int
s_store (fg_replica_t *self, const fg_entry_t *entry, const fg_node_t *origin, uint16_t via,
         bool up, bool clock_ahead, fg_merge_result_t *result)
{
    fg_merge_result_t local;
    if (!result)
        result = &local;
    if (fg_merge_entry (self->merge, origin, entry, result)) {
        snprintf (self->error, sizeof self->error, "%s", fg_merge_error (self->merge));
        return -1;
    }
    sqlite3_stmt *stmt;
    if (s_held (self, S_HELD_LOG_INSERT,
            "INSERT INTO log (origin, seq, epoch, hlc, hash, entry, anchor, up, via, received_at, "
            "clock_ahead, down, also) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", &stmt))
        return fg_replica__fail (self, "log");
    sqlite3_bind_int (stmt, 1, entry->origin);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) entry->seq);
    sqlite3_bind_int64 (stmt, 3, entry->epoch);
    sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) entry->hlc);
    sqlite3_bind_blob (stmt, 5, entry->hash, FG_HASH_SIZE, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 6, entry->bytes, (int) entry->size, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 7, result->anchor, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 8, up);
    sqlite3_bind_int (stmt, 9, via);
    int64_t now = fg_now_ms ();
    sqlite3_bind_int64 (stmt, 10, now);
    sqlite3_bind_int (stmt, 11, clock_ahead);
    sqlite3_bind_int (stmt, 12, result->down);
    sqlite3_bind_text (stmt, 13, result->also, -1, SQLITE_STATIC);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_replica__fail (self, "log");
    s_held_done (self, stmt);
    if (rc == 0)
        rc = s_frontier_advance (self, entry, now);
    //  Own entries coming back from the parent (a restore): never reuse the
    //  ids they created
    if (rc == 0 && via && entry->origin == self->self.node_id) {
        uint64_t used = fg_replica__id_counter (self, entry->origin, entry->seq, entry->seq + 1);
        if (used > self->id_counter) {
            self->id_counter = used;
            self->id_dirty = true;
        }
    }
    if (rc == 0 && result->touched_nodes) {
        bool changed = false;
        fg_replica__batch_forget (self);
        rc = fg_replica__trust_refresh (self, &changed);
        fg_replica__batch_forget (self);
        if (rc == 0 && changed && self->depth < 4) {
            fg_rx_stats_t ignored = { 0 };
            rc = fg_replica__retry_unknown (self, &ignored);
        }
    }
    return rc;
}

int
fg_replica_append (fg_replica_t *self, fg_ops_t *ops, const char *author, uint64_t *seq_p,
                   fg_merge_result_t *result)
{
    assert (self->in_txn);
    if (!self->keys) {
        snprintf (self->error, sizeof self->error, "no signing key loaded: cannot write");
        return -1;
    }
    if (self->recovering) {
        snprintf (self->error, sizeof self->error, "this node is getting its own lost entries back from its "
                  "parent after a fork (new epoch %u): writes resume when they are back; keep the daemon "
                  "connected (fugai status shows progress)", self->self.epoch);
        return -1;
    }
    //  Keys that are not the ones the node's record names would sign
    //  entries no other node can verify (keys/ changed under the replica)
    if (!self->rekeying && memcmp (fg_keys_sign_pk (self->keys), self->self.sign_pk, FG_SIGN_PK_SIZE)) {
        snprintf (self->error, sizeof self->error, "the signing key loaded (keys/) is not the one this node's "
                  "record names: a key rotation cut short? (fugai rekey --switch again, or --cancel)");
        return -1;
    }
    if (self->rekeying) {
        snprintf (self->error, sizeof self->error, "this node switched to its next keys (fugai rekey --switch) "
                  "and waits for its parent's record of them (fugai enroll --rekey there): writes resume when "
                  "it arrives, at the daemon's next session with the parent (fugai status says REKEYING)");
        return -1;
    }
    if (self->restoring) {
        snprintf (self->error, sizeof self->error, "this node is being restored from its parent (fugai "
                  "restore-from-parent): its own entries are coming back, and a write now would reuse their "
                  "seqs (a fork); writes resume when they are all back; keep the daemon connected (fugai "
                  "status shows progress)");
        return -1;
    }
    char err [256];
    size_t payload_size;
    uint8_t *payload = fg_ops_encode (ops, &payload_size, err, sizeof err);
    if (!payload) {
        snprintf (self->error, sizeof self->error, "%s", err);
        return -1;
    }
    uint64_t seq;
    uint8_t prev [FG_HASH_SIZE];
    bool forked;
    int rc = s_frontier (self, self->self.node_id, &seq, prev, &forked);
    if (rc == 0 && forked) {
        snprintf (self->error, sizeof self->error,
                  "this node's own chain is marked forked: it needs a new epoch from its parent");
        rc = -1;
    }
    size_t size = 0;
    uint8_t hash [FG_HASH_SIZE];
    uint8_t *bytes = NULL;
    if (rc == 0) {
        uint64_t hlc = fg_hlc_tick (self->hlc, fg_now_ms ());
        bytes = fg_entry_build (self->keys, self->self.node_id, self->self.epoch, seq + 1, hlc,
                                prev, author ? author : "", payload, payload_size, &size, hash);
        if (!bytes) {
            snprintf (self->error, sizeof self->error,
                      "entry out of bounds (author at most %d bytes, payload at most %d bytes)",
                      FG_ENTRY_AUTHOR_MAX, FG_ENTRY_MAX_PAYLOAD);
            rc = -1;
        }
        else {
            self->hlc = hlc;
            self->hlc_dirty = true;
        }
    }
    fg_entry_t entry;
    if (rc == 0 && fg_entry_parse (&entry, bytes, size) != FG_ENTRY_OK) {
        snprintf (self->error, sizeof self->error, "built an entry that does not parse");
        rc = -1;
    }
    //  The programme's HARD rules see the node's own writes too, so that a
    //  write the hubs above would refuse is refused at the desk first
    if (rc == 0 && self->hooks->on_ingest) {
        char reason [32] = "", detail [512] = "";
        int verdict = self->hooks->on_ingest (self, &entry, &self->self, reason, sizeof reason,
                                              detail, sizeof detail);
        if (verdict > 0)
            snprintf (self->error, sizeof self->error, "refused by %s: %s", *reason ? reason : "the programme",
                      detail);
        if (verdict)
            rc = -1;
    }
    if (rc == 0)
        rc = s_store (self, &entry, &self->self, 0, true, false, result);
    if (rc == 0 && seq_p)
        *seq_p = seq + 1;
    free (bytes);
    free (payload);
    return rc;
}

//  -------------------------------------------------------------------------
//  Receiving

//  Record a refusal in this node's own log, so that it travels to the
//  author and up the tree, anchored at the author's org. Only an entry of
//  an origin below this node (taken from below) is refused in the log: a
//  claim about a node is accepted only from a node whose subtree contains
//  it (fg_merge.h). What a node refuses from above, from outside or from
//  no known origin stays in its quarantine, which `fugai status` counts.
//  Refusals are summarised: one row per receive call (a batch), origin
//  and reason, with a count and the seq range, written by s_refusals_flush
//  at the end of the call; a child cannot make its parent sign one entry
//  per bad entry it sends.
//  Clock flags likewise (`clock`): one per origin and batch, covering
//  its implausible entries (see the clock_flag table).
struct _fg_refusal_sum_t {
    uint16_t origin;
    uint64_t first, last, count;
    uint8_t  hash [FG_HASH_SIZE];        //  of the first
    char     reason [32];
    char     detail [256];               //  of the first
    bool     clock;                      //  a clock flag, not a refusal
    int64_t  ahead_ms;                   //  clock: the most ahead
    uint64_t clamp_hlc;                  //  clock: this hub's time at the first
};
typedef struct _fg_refusal_sum_t s_refusal_sum_t;

//  The summary of this receive for (origin, reason, clock), created if new
static s_refusal_sum_t *
s_sum_note (fg_replica_t *self, uint16_t origin, uint64_t seq, const uint8_t hash [FG_HASH_SIZE],
            const char *reason, const char *detail, bool clock)
{
    for (size_t i = 0; i < self->refusal_count; i++) {
        s_refusal_sum_t *sum = &self->refusals [i];
        if (sum->origin == origin && sum->clock == clock && streq (sum->reason, reason)) {
            sum->count++;
            if (seq < sum->first)
                sum->first = seq;
            if (seq > sum->last)
                sum->last = seq;
            return sum;
        }
    }
    if (self->refusal_count == self->refusal_alloc) {
        self->refusal_alloc = self->refusal_alloc ? self->refusal_alloc * 2 : 8;
        self->refusals = (s_refusal_sum_t *) realloc (self->refusals,
                                                      self->refusal_alloc * sizeof (s_refusal_sum_t));
        assert (self->refusals);
    }
    s_refusal_sum_t *sum = &self->refusals [self->refusal_count++];
    memset (sum, 0, sizeof *sum);
    sum->origin = origin;
    sum->first = sum->last = seq;
    sum->count = 1;
    sum->clock = clock;
    memcpy (sum->hash, hash, FG_HASH_SIZE);
    snprintf (sum->reason, sizeof sum->reason, "%s", reason);
    snprintf (sum->detail, sizeof sum->detail, "%s", detail);
    return sum;
}

static int
s_author_refusal (fg_replica_t *self, uint16_t origin, uint64_t seq, const uint8_t hash [FG_HASH_SIZE],
                  const char *reason, const char *detail)
{
    if (!self->keys || self->recovering || self->restoring)
        return 0;                     //  read-only, or recovering: the quarantine row suffices
    fg_node_t author;
    char relation [16], status [16];
    if (fg_replica__node_any (self, origin, &author, relation, status)
    ||  !fg_org_contains (self->self.org, author.org) || streq (self->self.org, author.org))
        return 0;
    s_sum_note (self, origin, seq, hash, reason, detail, false);
    return 0;
}

//  Write the refusals gathered by this receive (if ok), one row each.
static int
s_refusals_flush (fg_replica_t *self, bool ok)
{
    //  Detached first: the appends below must not see (or grow) the list
    int rc = 0;
    s_refusal_sum_t *list = self->refusals;
    size_t count = self->refusal_count;
    self->refusals = NULL;
    self->refusal_count = self->refusal_alloc = 0;
    for (size_t i = 0; ok && rc == 0 && i < count; i++) {
        s_refusal_sum_t *sum = &list [i];
        fg_node_t author;
        if (fg_replica__node_any (self, sum->origin, &author, NULL, NULL))
            continue;
        fg_ops_t *ops = fg_ops_new ();
        fg_ops_begin (ops, FG_OP_INSERT, sum->clock ? "clock_flag" : "refusal", NULL, fg_replica_new_id (self),
                      strtoull (author.org, NULL, 10));
        fg_ops_set_int (ops, "origin", sum->origin);
        fg_ops_set_int (ops, "seq", (int64_t) sum->first);
        fg_ops_set_blob (ops, "entry_hash", sum->hash, FG_HASH_SIZE);
        if (sum->clock) {
            fg_ops_set_int (ops, "ahead_ms", sum->ahead_ms);
            fg_ops_set_int (ops, "clamp_hlc", (int64_t) sum->clamp_hlc);
        }
        else {
            fg_ops_set_text (ops, "reason", sum->reason);
            fg_ops_set_text (ops, "detail", sum->detail);
        }
        fg_ops_set_int (ops, "count", (int64_t) sum->count);
        fg_ops_set_int (ops, "last_seq", (int64_t) sum->last);
        rc = fg_replica_append (self, ops, "fugai", NULL, NULL);
        fg_ops_destroy (&ops);
    }
    free (list);
    return rc;
}

//  An entry stamped implausibly far ahead: noted for the batch's one flag
//  (written with the refusals at the end of the receive)
static int
s_author_clock_flag (fg_replica_t *self, const fg_entry_t *entry, int64_t ahead_ms)
{
    s_refusal_sum_t *sum = s_sum_note (self, entry->origin, entry->seq, entry->hash, "clock", "", true);
    if (sum->count == 1)
        sum->clamp_hlc = fg_hlc_make (fg_now_ms (), 0);
    if (ahead_ms > sum->ahead_ms)
        sum->ahead_ms = ahead_ms;
    return 0;
}

//  Quarantine a refused entry: FG_RX_QUARANTINED, -1 on a database
//  error, FG_RX_OVER_QUOTA past the lent quota (nothing stored). The
//  bytes are kept only if `signed_ok` (the origin's key signs them) and
//  the session's evidence budget allows; else the hash and size say what
//  was refused.
static int
s_quarantine (fg_replica_t *self, const uint8_t *bytes, size_t size, const fg_entry_t *entry,
              uint16_t via, const char *reason, const char *detail, bool signed_ok,
              fg_rx_stats_t *stats)
{
    fg_rx_quota_t *quota = self->quota;
    if (quota && (quota->refused >= quota->max_refused
              ||  quota->refused_held >= quota->max_refused_held)) {
        if (!quota->exceeded)
            snprintf (quota->reason, sizeof quota->reason,
                      "node %u sent more refused entries than its quota (%llu this session, %llu "
                      "in 30 days): the last was refused as %s; fugai quarantine list says what it sent", via,
                      (unsigned long long) quota->max_refused,
                      (unsigned long long) quota->max_refused_held, reason);
        quota->exceeded = true;
        return FG_RX_OVER_QUOTA;
    }
    uint8_t hash [FG_HASH_SIZE];
    if (entry && entry->bytes)
        memcpy (hash, entry->hash, FG_HASH_SIZE);
    else
        crypto_generichash (hash, FG_HASH_SIZE, bytes, size, NULL, 0);
    uint16_t origin = entry && entry->bytes ? entry->origin : 0;
    uint64_t seq = entry && entry->bytes ? entry->seq : 0;
    bool keep = signed_ok && size <= FG_ENTRY_MAX_SIZE
             && (!quota || (quota->evidence_bytes + size <= quota->max_evidence_bytes
                            && quota->evidence_held + size <= quota->max_evidence_held));

    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self,
            "INSERT OR IGNORE INTO quarantine (origin, seq, hash, entry, reason, detail, via, received_at, size) "
            "VALUES (?,?,?,?,?,?,?,?,?)", -1, &stmt, NULL))
        return fg_replica__fail (self, "quarantine");
    if (origin)
        sqlite3_bind_int (stmt, 1, origin);
    if (seq)
        sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    sqlite3_bind_blob (stmt, 3, hash, FG_HASH_SIZE, SQLITE_STATIC);
    if (keep)
        sqlite3_bind_blob (stmt, 4, bytes, (int) size, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 5, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 6, detail, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 7, via);
    sqlite3_bind_int64 (stmt, 8, fg_now_ms ());
    sqlite3_bind_int64 (stmt, 9, (sqlite3_int64) size);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_replica__fail (self, "quarantine");
    bool fresh = sqlite3_changes (self->db) > 0;
    fg_replica__done (self, stmt);
    stats->quarantined++;
    if (quota) {
        quota->refused++;
        if (fresh) {
            quota->refused_held++;
            if (keep) {
                quota->evidence_bytes += size;
                quota->evidence_held += size;
            }
        }
    }
    if (rc == 0 && fresh) {
        //  The first few of a session each, then a count (the quota's)
        if (!quota || quota->refused <= 10)
            zsys_warning ("refused entry %u/%llu from node %u: %s (%s)", origin,
                          (unsigned long long) seq, via, reason, detail);
        //  A refusal tells an author why its entry was refused. An entry
        //  refused for who sent it (outside_sender) says nothing of its
        //  author, who may never have sent it this way: the quarantine
        //  row (with the sender, `via`) and the log say it here, and no
        //  child can make its parent sign a claim about a third node
        if (!streq (reason, "outside_sender"))
            rc = s_author_refusal (self, origin, seq, hash, reason, detail);
    }
    return rc ? -1 : FG_RX_QUARANTINED;
}

//  An entry of `size` bytes from `via` left the buffer: the lent quota
//  counts what is held, not what ever waited (an honest peer's gaps come
//  and go all session long).
static void
s_unbuffered (fg_replica_t *self, uint16_t via, size_t size)
{
    fg_rx_quota_t *quota = self->quota;
    if (quota && quota->peer == via)
        quota->buffer_bytes = quota->buffer_bytes > size ? quota->buffer_bytes - size : 0;
}

//  Buffer an entry: FG_RX_BUFFERED, -1, or FG_RX_OVER_QUOTA.
static int
s_buffer (fg_replica_t *self, const fg_entry_t *entry, uint16_t via, const char *reason,
          fg_rx_stats_t *stats)
{
    fg_rx_quota_t *quota = self->quota;
    if (quota && quota->buffer_bytes + entry->size > quota->max_buffer_bytes) {
        if (!quota->exceeded)
            snprintf (quota->reason, sizeof quota->reason,
                      "node %u sent more entries to wait in the buffer than its quota (%llu bytes held "
                      "here at most)", via, (unsigned long long) quota->max_buffer_bytes);
        quota->exceeded = true;
        return FG_RX_OVER_QUOTA;
    }
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self,
            "INSERT OR IGNORE INTO buffer (origin, seq, hash, entry, via, received_at, reason) "
            "VALUES (?,?,?,?,?,?,?)", -1, &stmt, NULL))
        return fg_replica__fail (self, "buffer");
    sqlite3_bind_int (stmt, 1, entry->origin);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) entry->seq);
    sqlite3_bind_blob (stmt, 3, entry->hash, FG_HASH_SIZE, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 4, entry->bytes, (int) entry->size, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 5, via);
    sqlite3_bind_int64 (stmt, 6, fg_now_ms ());
    sqlite3_bind_text (stmt, 7, reason, -1, SQLITE_STATIC);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_replica__fail (self, "buffer");
    if (rc == 0 && quota && sqlite3_changes (self->db) > 0)
        quota->buffer_bytes += entry->size;
    fg_replica__done (self, stmt);
    self->buffer_empty = -1;
    stats->buffered++;
    return rc ? -1 : FG_RX_BUFFERED;
}

//  The hash held for (origin, seq), in the log or the buffer.
static int
s_held_hash (fg_replica_t *self, uint16_t origin, uint64_t seq, const char *table,
             uint8_t hash [FG_HASH_SIZE])
{
    bool log = streq (table, "log");
    sqlite3_stmt *stmt;
    if (s_held (self, log ? S_HELD_IN_LOG : S_HELD_IN_BUFFER,
                log ? "SELECT hash FROM log WHERE origin = ? AND seq = ?"
                    : "SELECT hash FROM buffer WHERE origin = ? AND seq = ?", &stmt))
        return -1;
    sqlite3_bind_int (stmt, 1, origin);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == FG_HASH_SIZE) {
        memcpy (hash, sqlite3_column_blob (stmt, 0), FG_HASH_SIZE);
        rc = 0;
    }
    s_held_done (self, stmt);
    return rc;
}

uint16_t
fg_replica_take_resync (fg_replica_t *self)
{
    uint16_t peer = self->resync_peer;
    self->resync_peer = 0;
    return peer;
}

int
fg_replica_entry_hash (fg_replica_t *self, uint16_t origin, uint64_t seq, uint8_t hash [FG_HASH_SIZE])
{
    return s_held_hash (self, origin, seq, "log", hash);
}

int
fg_replica_entry_received (fg_replica_t *self, uint16_t origin, uint64_t hlc, int64_t *received_at_p,
                           uint16_t *via_p)
{
    *received_at_p = 0;
    *via_p = 0;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (self->db, "SELECT received_at, via FROM log WHERE origin = ? AND hlc = ? LIMIT 1",
                            -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int (stmt, 1, origin);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) hlc);
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        *received_at_p = sqlite3_column_int64 (stmt, 0);
        *via_p = (uint16_t) sqlite3_column_int (stmt, 1);
        rc = 0;
    }
    sqlite3_finalize (stmt);
    return rc;
}

//  An entry of an origin this node does not know, from a child: it may
//  wait for its key only if the child's subtree could contain its origin
//  (a township's subtree is the township, whose key is known: nothing of
//  an unknown origin comes from it), within FG_RX_UNKNOWN_ORIGINS origins
//  per child and FG_RX_GAP_MAX seqs per origin. True (and the reason in
//  detail) if it is refused.
static bool
s_unknown_refused (fg_replica_t *self, const fg_entry_t *entry, const fg_node_t *via,
                   char *detail, size_t detail_size)
{
    if (via->tier == FG_TIER_TOWNSHIP) {
        snprintf (detail, detail_size, "township %u (%s) sent an entry of node %u, which is not known "
                  "here: a township relays only its own entries", via->node_id, via->org, entry->origin);
        return true;
    }
    if (entry->seq > FG_RX_GAP_MAX) {
        snprintf (detail, detail_size, "child %u (%s) sent entry %llu of node %u, which is not known "
                  "here: an unknown origin's entries wait only up to seq %d", via->node_id, via->org,
                  (unsigned long long) entry->seq, entry->origin, FG_RX_GAP_MAX);
        return true;
    }
    int64_t waiting = fg_replica__scalar (self, "SELECT count(*) FROM buffer WHERE origin = ?1 "
                                          "AND reason = 'unknown_origin'", entry->origin, 0);
    if (waiting > 0)
        return false;
    int64_t origins = fg_replica__scalar (self, "SELECT count(DISTINCT origin) FROM buffer "
                                          "WHERE via = ?1 AND reason = 'unknown_origin'", via->node_id, 0);
    if (origins >= FG_RX_UNKNOWN_ORIGINS) {
        snprintf (detail, detail_size, "child %u (%s) sent entries of %lld origins not known here; "
                  "at most %d wait for their keys", via->node_id, via->org, (long long) origins + 1,
                  FG_RX_UNKNOWN_ORIGINS);
        return true;
    }
    return false;
}

//  The peer a buffered entry came from, and whether it is a child of this
//  node (whose entries must be of its own subtree).
static bool
s_buffered_via (fg_replica_t *self, uint16_t via_id, fg_node_t *via, bool *from_child)
{
    char relation [16] = "";
    *from_child = false;
    if (!via_id || fg_replica__node_any (self, via_id, via, relation, NULL))
        return false;
    *from_child = streq (relation, "child");
    return true;
}

//  Result of processing one entry: which of the four places it went to,
//  or -1 for a database error.
static int
s_process (fg_replica_t *self, const uint8_t *bytes, size_t size, const fg_node_t *via,
           bool from_child, bool proven, fg_rx_stats_t *stats, fg_entry_t *entry, bool *up_p,
           const fg_entry_t *parsed_already)
{
    *up_p = false;
    uint16_t via_id = via ? via->node_id : 0;
    //  One parse (and one hash) per entry: a batch parsed it already
    int parsed = FG_ENTRY_OK;
    if (parsed_already)
        *entry = *parsed_already;
    else
        parsed = fg_entry_parse (entry, bytes, size);
    if (parsed != FG_ENTRY_OK)
        return s_quarantine (self, bytes, size, NULL, via_id, "malformed",
                             fg_entry_strerror (parsed), false, stats);

    fg_node_t origin;
    char relation [16], status [16], detail [256];
    if (s_node (self, entry->origin, &origin, relation, status)) {
        //  From a child, only what its subtree could hold waits for a key,
        //  and only so much of it: the sender check runs again on retry
        if (from_child && via && s_unknown_refused (self, entry, via, detail, sizeof detail))
            return s_quarantine (self, bytes, size, entry, via_id, "outside_sender", detail, false, stats);
        return s_buffer (self, entry, via_id, "unknown_origin", stats);
    }
    if (from_child && via && !fg_org_contains (via->org, origin.org)) {
        snprintf (detail, sizeof detail, "child %u (%s) sent an entry of node %u (%s), outside its subtree",
                  via->node_id, via->org, origin.node_id, origin.org);
        return s_quarantine (self, bytes, size, entry, via_id, "outside_sender", detail, false, stats);
    }
    if (streq (status, "revoked")) {
        snprintf (detail, sizeof detail, "node %u's key was revoked", origin.node_id);
        return s_quarantine (self, bytes, size, entry, via_id, "revoked", detail, false, stats);
    }
    //  Epochs: the current one for seq past its base, older ones up to it
    bool epoch_ok = entry->epoch == origin.epoch
                  ? origin.epoch == 0 || entry->seq > origin.epoch_base
                  : entry->epoch < origin.epoch && entry->seq <= origin.epoch_base;
    //  Restoring from the parent: this node's own chain comes back in every
    //  epoch it went through; it takes the epoch of its entries as they come
    bool own_restore = self->restoring && via && !from_child && entry->origin == self->self.node_id
                    && entry->epoch > origin.epoch;
    if (!epoch_ok && !own_restore) {
        snprintf (detail, sizeof detail, "entry %llu signed in epoch %u; node %u is in epoch %u since seq %llu",
                  (unsigned long long) entry->seq, entry->epoch, origin.node_id, origin.epoch,
                  (unsigned long long) origin.epoch_base);
        return s_quarantine (self, bytes, size, entry, via_id, "wrong_epoch", detail, false, stats);
    }
    //  An entry of an epoch before its node was replaced verifies with the
    //  key it had then
    s_entry_key (self, &origin, entry->epoch, origin.sign_pk);
    //  Past the frontier this transaction keeps, it is not in the log: an
    //  entry is logged only with its frontier moved to it or past it
    //  (s_store), and what takes entries out of the log moves the frontier
    //  back (fg_replica_epoch.c) and forgets the one kept
    uint8_t held [FG_HASH_SIZE];
    bool past = self->frontier_cached && self->in_txn && self->frontier_origin == entry->origin
             && entry->seq > self->frontier_seq;
    bool in_log = !past && s_held_hash (self, entry->origin, entry->seq, "log", held) == 0;
    if (in_log || (s_buffer_maybe (self) && s_held_hash (self, entry->origin, entry->seq, "buffer", held) == 0)) {
        if (memcmp (held, entry->hash, FG_HASH_SIZE) == 0) {
            if (in_log) {
                stats->duplicate++;
                return FG_RX_DUPLICATE;
            }
            stats->buffered++;       //  already waiting in the buffer
            return FG_RX_BUFFERED;
        }
        //  Two different entries with one (origin, seq): only a valid
        //  signature makes it a fork rather than garbage
        if (!proven && fg_entry_verify (entry, origin.sign_pk)) {
            snprintf (detail, sizeof detail, "signature does not verify with node %u's key", origin.node_id);
            return s_quarantine (self, bytes, size, entry, via_id, "bad_signature", detail, false, stats);
        }
        //  An entry of a branch that a later epoch already resolved, met
        //  again (its author resent its log before it took the epoch, or
        //  after a restart): evidence, not a new fork; the chain goes on
        if (entry->epoch < origin.epoch
        &&  fg_replica_fork_resolved (self, entry->origin, entry->seq, entry->hash, entry->prev_hash)) {
            snprintf (detail, sizeof detail, "node %u signed two different entries with seq %llu; "
                      "epoch %u resolved this fork", origin.node_id, (unsigned long long) entry->seq,
                      origin.epoch);
            return s_quarantine (self, bytes, size, entry, via_id, "fork", detail, true, stats);
        }
        snprintf (detail, sizeof detail, "node %u signed two different entries with seq %llu",
                  origin.node_id, (unsigned long long) entry->seq);
        zsys_error ("FORK: %s; the chain of node %u is stopped until it gets a new epoch",
                    detail, origin.node_id);
        if (s_set_forked (self, entry->origin, entry->seq))
            return -1;
        return s_quarantine (self, bytes, size, entry, via_id, "fork", detail, true, stats);
    }
    if (!proven && fg_entry_verify (entry, origin.sign_pk)) {
        snprintf (detail, sizeof detail, "signature does not verify with node %u's key", origin.node_id);
        return s_quarantine (self, bytes, size, entry, via_id, "bad_signature", detail, false, stats);
    }
    bool up = fg_org_contains (self->self.org, origin.org);
    *up_p = up;
    if (up) {
        uint64_t seq;
        uint8_t prev [FG_HASH_SIZE];
        bool forked;
        if (s_frontier (self, entry->origin, &seq, prev, &forked))
            return -1;
        if (forked) {
            snprintf (detail, sizeof detail, "node %u's chain forked; entries wait for a new epoch",
                      origin.node_id);
            return s_quarantine (self, bytes, size, entry, via_id, "chain_stopped", detail, true, stats);
        }
        if (entry->seq > seq + 1)
            return s_buffer (self, entry, via_id, "gap", stats);
        if (entry->seq <= seq) {
            //  Below the frontier yet not in the log: compacted away
            stats->duplicate++;
            return FG_RX_DUPLICATE;
        }
        if (memcmp (entry->prev_hash, prev, FG_HASH_SIZE)) {
            snprintf (detail, sizeof detail, "prev_hash of %u/%llu does not match the hash of seq %llu",
                      origin.node_id, (unsigned long long) entry->seq, (unsigned long long) seq);
            //  A validly signed entry that names another predecessor: its
            //  author holds a different chain below (restored from a backup
            //  and written since). Ask the sender for its whole log, so the
            //  fork is found at its exact seq.
            if (via && from_child && fg_entry_verify (entry, origin.sign_pk) == 0)
                self->resync_peer = via->node_id;
            return s_quarantine (self, bytes, size, entry, via_id, "broken_chain", detail, true, stats);
        }
    }
    //  The programme's check of what it takes in (its HARD rules)
    if (self->hooks->on_ingest) {
        char reason [32] = "";
        int verdict = self->hooks->on_ingest (self, entry, &origin, reason, sizeof reason,
                                              detail, sizeof detail);
        if (verdict < 0)
            return -1;
        if (verdict > 0)
            return s_quarantine (self, bytes, size, entry, via_id, *reason ? reason : "refused",
                                 detail, true, stats);
    }
    bool implausible = false;
    uint64_t hlc = fg_hlc_observe (self->hlc, entry->hlc, fg_now_ms (), self->max_ahead_ms, &implausible);
    if (hlc != self->hlc) {
        self->hlc = hlc;
        self->hlc_dirty = true;
    }
    if (implausible)
        zsys_warning ("entry %u/%llu is stamped %lld s ahead of this node's clock",
                      origin.node_id, (unsigned long long) entry->seq,
                      (long long) ((fg_hlc_ms (entry->hlc) - fg_now_ms ()) / 1000));
    int stored = s_store (self, entry, &origin, via_id, up, implausible, NULL);
    if (stored)
        return stored < 0 ? stored : -1;
    if (own_restore) {
        self->self.epoch = entry->epoch;
        self->self.epoch_base = entry->seq - 1;
        if (fg_replica__node_put (self, &self->self, 0, "self", "pinned", "active"))
            return -1;
        zsys_info ("restore: own chain back in epoch %u from seq %llu", entry->epoch,
                   (unsigned long long) entry->seq);
    }
    //  The hub that hears an entry first from its author flags a time that
    //  is implausibly far ahead, in its own log, so every replica ranks the
    //  same writes the same way (see the clock_flag table)
    if (implausible && via && via->node_id == origin.node_id && self->keys && !self->recovering
    &&  !self->restoring
    &&  self->self.tier != FG_TIER_TOWNSHIP
    &&  s_author_clock_flag (self, entry, fg_hlc_ms (entry->hlc) - fg_now_ms ()))
        return -1;
    stats->applied++;
    return FG_RX_APPLIED;
}

//  After an own-subtree entry is applied, its successors may be waiting.
static int
s_drain (fg_replica_t *self, uint16_t origin, uint64_t seq, fg_rx_stats_t *stats)
{
    int rc = 0;
    while (rc == 0 && s_buffer_maybe (self)) {
        sqlite3_stmt *stmt;
        if (s_held (self, S_HELD_DRAIN, "SELECT entry, via FROM buffer WHERE origin = ? AND seq = ?", &stmt))
            return fg_replica__fail (self, "buffer");
        sqlite3_bind_int (stmt, 1, origin);
        sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq + 1);
        uint8_t *bytes = NULL;
        size_t size = 0;
        uint16_t via_id = 0;
        if (sqlite3_step (stmt) == SQLITE_ROW) {
            size = (size_t) sqlite3_column_bytes (stmt, 0);
            bytes = (uint8_t *) malloc (size ? size : 1);
            assert (bytes);
            memcpy (bytes, sqlite3_column_blob (stmt, 0), size);
            via_id = (uint16_t) sqlite3_column_int (stmt, 1);
        }
        s_held_done (self, stmt);
        if (!bytes)
            break;
        if (fg_replica__prepare (self, "DELETE FROM buffer WHERE origin = ? AND seq = ?",
                                -1, &stmt, NULL) == SQLITE_OK) {
            sqlite3_bind_int (stmt, 1, origin);
            sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq + 1);
            if (sqlite3_step (stmt) != SQLITE_DONE)
                rc = fg_replica__fail (self, "buffer");
            fg_replica__done (self, stmt);
            s_unbuffered (self, via_id, size);
        }
        fg_node_t via;
        bool from_child;
        bool have_via = s_buffered_via (self, via_id, &via, &from_child);
        fg_entry_t entry;
        bool up;
        int outcome = rc ? -1 : s_process (self, bytes, size, have_via ? &via : NULL, from_child, false,
                                           stats, &entry, &up, NULL);
        free (bytes);
        if (outcome < 0)
            rc = outcome;
        else
        if (outcome != FG_RX_APPLIED)
            break;
        seq++;
    }
    return rc;
}

static int
s_receive (fg_replica_t *self, const uint8_t *bytes, size_t size, const fg_node_t *via,
           bool from_child, bool proven, fg_rx_stats_t *stats, const fg_entry_t *parsed)
{
    self->depth++;
    fg_entry_t entry;
    bool up;
    int outcome = s_process (self, bytes, size, via, from_child, proven, stats, &entry, &up, parsed);
    int rc = outcome < 0 ? outcome : 0;
    //  An own-subtree entry applied: its successors may wait in the buffer
    if (outcome == FG_RX_APPLIED && up)
        rc = s_drain (self, entry.origin, entry.seq, stats);
    self->depth--;
    return rc;
}

int
fg_replica_receive (fg_replica_t *self, const uint8_t *bytes, size_t size, const fg_node_t *via,
                    bool from_child, fg_rx_stats_t *stats)
{
    assert (self->in_txn);
    int rc = s_receive (self, bytes, size, via, from_child, false, stats, NULL);
    int flushed = s_refusals_flush (self, rc == 0);
    return rc ? rc : flushed;
}

int
fg_replica_receive_batch (fg_replica_t *self, const uint8_t **entries, const size_t *sizes,
                          size_t count, const fg_node_t *via, bool from_child, fg_rx_stats_t *stats)
{
    return fg_replica_receive_elided (self, entries, sizes, NULL, count, via, from_child, stats);
}

//  An entry made whole from a refused one, not judged: it counts against
//  the session's quota of refused entries, so that a forged entry followed
//  by elided ones costs the sender its session as a chain of them would
static int
s_unjudged (fg_replica_t *self, const fg_node_t *via, fg_rx_stats_t *stats)
{
    fg_rx_quota_t *quota = self->quota;
    if (quota && quota->refused >= quota->max_refused) {
        if (!quota->exceeded)
            snprintf (quota->reason, sizeof quota->reason,
                      "node %u sent more refused entries than its quota (%llu this session): the last "
                      "was made from a refused entry before it in its batch", via ? via->node_id : 0,
                      (unsigned long long) quota->max_refused);
        quota->exceeded = true;
        return FG_RX_OVER_QUOTA;
    }
    if (quota)
        quota->refused++;
    stats->unjudged++;
    return 0;
}

int
fg_replica_receive_elided (fg_replica_t *self, const uint8_t **entries, const size_t *sizes,
                           const bool *elided, size_t count, const fg_node_t *via, bool from_child,
                           fg_rx_stats_t *stats)
{
    assert (self->in_txn);
    //  Chain proof: in a run of consecutive entries of one origin, each
    //  naming the hash of the one before, the signature of the last entry
    //  authenticates them all. If it fails, each is checked on its own.
    //  A run is proven when its first entry comes up, not before the
    //  batch: the record of its origin's keys may come earlier in the same
    //  batch (a hub relaying a new child's first entries after its
    //  enrolment), and would otherwise be unknown, each entry of the run
    //  then verified on its own.
    fg_entry_t *parsed = (fg_entry_t *) calloc (count ? count : 1, sizeof (fg_entry_t));
    bool *ok = (bool *) calloc (count ? count : 1, sizeof (bool));
    bool *proven = (bool *) calloc (count ? count : 1, sizeof (bool));
    size_t *run_end = (size_t *) calloc (count ? count : 1, sizeof (size_t));
    assert (parsed && ok && proven && run_end);
    for (size_t i = 0; i < count; i++)
        ok [i] = fg_entry_parse (&parsed [i], entries [i], sizes [i]) == FG_ENTRY_OK;
    size_t start = 0;
    while (start < count) {
        size_t end = start;
        while (ok [start] && end + 1 < count && ok [end + 1]
        &&     parsed [end + 1].origin == parsed [start].origin
        &&     parsed [end + 1].epoch == parsed [start].epoch
        &&     parsed [end + 1].seq == parsed [end].seq + 1
        &&     memcmp (parsed [end + 1].prev_hash, parsed [end].hash, FG_HASH_SIZE) == 0)
            end++;
        run_end [start] = end;
        start = end + 1;
    }
    int rc = 0;
    fg_rx_stats_t none = { 0 };
    if (!stats)
        stats = &none;
    uint64_t applied = stats->applied;
    bool refused = false;               //  the entry before was quarantined or not judged
    for (size_t i = 0; rc == 0 && i < count; i++) {
        size_t end = run_end [i];
        fg_node_t origin;
        //  Made from a refused entry (its prev_hash, and so its hash, are
        //  that entry's doing): not judged
        if (refused && elided && elided [i] && ok [i] && !proven [i]
        &&  s_node (self, parsed [i].origin, &origin, NULL, NULL) == 0) {
            s_entry_key (self, &origin, parsed [i].epoch, origin.sign_pk);
            if (fg_entry_verify (&parsed [i], origin.sign_pk)) {
                rc = s_unjudged (self, via, stats);
                continue;
            }
        }
        if (end > i
        &&  s_node (self, parsed [end].origin, &origin, NULL, NULL) == 0
        &&  origin.epoch == parsed [end].epoch) {
            s_entry_key (self, &origin, parsed [end].epoch, origin.sign_pk);
            if (fg_entry_verify (&parsed [end], origin.sign_pk) == 0)
                for (size_t j = i; j <= end; j++)
                    proven [j] = true;
        }
        uint64_t quarantined = stats->quarantined;
        rc = s_receive (self, entries [i], sizes [i], via, from_child, proven [i], stats,
                        ok [i] ? &parsed [i] : NULL);
        refused = stats->quarantined > quarantined;
    }
    int flushed = s_refusals_flush (self, rc == 0);
    if (rc == 0)
        rc = flushed;
    //  What only the first hop can know, recorded by the programme in the
    //  same transaction (it travels on like any entry of this node)
    if (rc == 0 && from_child && stats->applied > applied && self->hooks->on_from_child
    &&  self->keys && !self->recovering && !self->restoring) {
        size_t written = 0;
        rc = self->hooks->on_from_child (self, "fugai", &written);
    }
    free (parsed);
    free (ok);
    free (proven);
    free (run_end);
    return rc;
}

int
fg_replica__retry_unknown (fg_replica_t *self, fg_rx_stats_t *stats)
{
    //  Entries that waited for a key whose origin is now known
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self,
            "SELECT b.origin, b.seq, b.entry, b.via FROM buffer b JOIN node n ON n.node_id = b.origin "
            "WHERE b.reason = 'unknown_origin' ORDER BY b.origin, b.seq", -1, &stmt, NULL))
        return fg_replica__fail (self, "buffer");
    typedef struct { uint16_t origin; uint64_t seq; uint8_t *bytes; size_t size; uint16_t via; } item_t;
    item_t *items = NULL;
    size_t count = 0, cap = 0;
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            items = (item_t *) realloc (items, cap * sizeof (item_t));
            assert (items);
        }
        item_t *item = &items [count++];
        item->origin = (uint16_t) sqlite3_column_int (stmt, 0);
        item->seq = (uint64_t) sqlite3_column_int64 (stmt, 1);
        item->size = (size_t) sqlite3_column_bytes (stmt, 2);
        item->bytes = (uint8_t *) malloc (item->size ? item->size : 1);
        assert (item->bytes);
        memcpy (item->bytes, sqlite3_column_blob (stmt, 2), item->size);
        item->via = (uint16_t) sqlite3_column_int (stmt, 3);
    }
    fg_replica__done (self, stmt);
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        if (rc == 0 && fg_replica__prepare (self, "DELETE FROM buffer WHERE origin = ? AND seq = ?",
                                           -1, &stmt, NULL) == SQLITE_OK) {
            sqlite3_bind_int (stmt, 1, items [i].origin);
            sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) items [i].seq);
            if (sqlite3_step (stmt) != SQLITE_DONE)
                rc = fg_replica__fail (self, "buffer");
            fg_replica__done (self, stmt);
            s_unbuffered (self, items [i].via, items [i].size);
        }
        //  The sender check again: the origin is known now
        fg_node_t via;
        bool from_child;
        bool have_via = s_buffered_via (self, items [i].via, &via, &from_child);
        if (rc == 0)
            rc = s_receive (self, items [i].bytes, items [i].size, have_via ? &via : NULL,
                            from_child, false, stats, NULL);
        free (items [i].bytes);
    }
    free (items);
    //  Called by an operator's act (enroll, trust), not inside a receive
    if (self->depth == 0) {
        int flushed = s_refusals_flush (self, rc == 0);
        if (rc == 0)
            rc = flushed;
    }
    return rc;
}

int
fg_replica_quota_start (fg_replica_t *self, uint16_t peer, fg_rx_quota_t *quota)
{
    memset (quota, 0, sizeof *quota);
    quota->peer = peer;
    quota->max_refused = FG_RX_MAX_REFUSED;
    quota->max_refused_held = FG_RX_MAX_REFUSED_HELD;
    quota->max_buffer_bytes = FG_RX_MAX_BUFFER_BYTES;
    quota->max_evidence_bytes = FG_RX_MAX_EVIDENCE_BYTES;
    quota->max_evidence_held = FG_RX_MAX_EVIDENCE_HELD;
    //  Held: in the last FG_RX_HELD_WINDOW_MS, so that an honest peer's
    //  rare refusals never add up to the bound over the years
    quota->refused_held = (uint64_t) fg_replica__scalar (self, "SELECT count(*) FROM quarantine "
                                                         "WHERE via = ?1 AND received_at > ?2", peer,
                                                         fg_now_ms () - FG_RX_HELD_WINDOW_MS);
    quota->buffer_bytes = (uint64_t) fg_replica__scalar (self, "SELECT coalesce (sum (length (entry)), 0) "
                                                         "FROM buffer WHERE via = ?1", peer, 0);
    quota->evidence_held = (uint64_t) fg_replica__scalar (self, "SELECT coalesce (sum (length (entry)), 0) "
                                                          "FROM quarantine WHERE via = ?1 AND received_at > ?2",
                                                          peer, fg_now_ms () - FG_RX_HELD_WINDOW_MS);
    return 0;
}

void
fg_replica_set_quota (fg_replica_t *self, fg_rx_quota_t *quota)
{
    self->quota = quota;
}

//  -------------------------------------------------------------------------
//  Scanning for a peer

//  Down: what concerns the child's org, not what came from its subtree.
//  An entry anchored in the child's subtree always goes (every tier then
//  agrees on the subtree's digest), and so does one whose second anchor
//  (`also`, fg_schema.h `route`) is in it; one anchored above the child
//  goes only if its tables' down scope (fg_schema.h, from the catalogue)
//  is subtree.
static bool
s_wanted (fg_replica_t *self, const fg_node_t *child, bool up, const char *anchor,
          const char *origin_org, int down, const char *also)
{
    if (!child)
        return up;
    if (origin_org && fg_org_contains (child->org, origin_org))
        return false;
    if (fg_org_contains (child->org, anchor))
        return true;
    if (also && *also && fg_org_contains (child->org, also))
        return true;
    return down == FG_DOWN_SUBTREE && fg_org_contains (anchor, child->org);
}

//  An own entry about to leave this node is what this node signed: its
//  bytes parse and hash to the hash it was logged with; with check_sig,
//  its signature is the one this node's key makes of that hash (signed
//  again and compared: Ed25519 is deterministic, and signing costs a
//  fraction of verifying), or verifies with the key of its epoch after a
//  key change. A bad sector under an entry never sent would otherwise
//  reach the parent, be refused there, and stop this node's chain at the
//  parent for good. The scans check the signature of the first own entry
//  of each batch only (the hash of every one): the parent proves a run of
//  entries by the signature of its last one and their hash chain, so a
//  damaged signature on the last entry of a batch comes back as a want,
//  whose repair batch starts at it and checks it.
static bool
s_own_sound (fg_replica_t *self, const uint8_t *bytes, size_t size, const void *logged_hash, int hash_size,
             bool check_sig)
{
    fg_entry_t entry;
    if (fg_entry_parse (&entry, bytes, size) != FG_ENTRY_OK || entry.origin != self->self.node_id
    ||  hash_size != FG_HASH_SIZE || memcmp (entry.hash, logged_hash, FG_HASH_SIZE))
        return false;
    if (!check_sig)
        return true;
    uint8_t pk [FG_SIGN_PK_SIZE];
    if (entry.epoch == self->self.epoch)
        memcpy (pk, self->self.sign_pk, FG_SIGN_PK_SIZE);
    else
        fg_replica__entry_key (self, &self->self, entry.epoch, pk);
    if (self->keys && memcmp (pk, fg_keys_sign_pk (self->keys), FG_SIGN_PK_SIZE) == 0) {
        uint8_t sig [FG_SIG_SIZE];
        fg_keys_sign (self->keys, entry.hash, FG_HASH_SIZE, sig);
        return memcmp (sig, entry.sig, FG_SIG_SIZE) == 0;
    }
    return fg_entry_verify (&entry, pk) == 0;
}

//  Rebuild own entry `seq` from what was logged beside it: its epoch, hlc
//  and hash (the log row), its predecessor's hash, its operations' bytes
//  and author (the op table keeps each op's canonical bytes; a payload is
//  their count and the ops in order). Ed25519 signatures are
//  deterministic, so the rebuilt entry is the very one signed, byte for
//  byte, when its hash matches the hash it was logged with: then it
//  replaces the damaged bytes. 0 when repaired, -1 when it cannot be
//  (the operations damaged too, or signed with a key no longer held).
static int
s_repair_own (fg_replica_t *self, uint64_t seq)
{
    uint16_t me = self->self.node_id;
    if (!self->keys)
        return -1;
    sqlite3_stmt *stmt;
    uint32_t epoch = 0;
    uint64_t hlc = 0;
    uint8_t logged [FG_HASH_SIZE], prev [FG_HASH_SIZE] = { 0 };
    bool found = false;
    if (fg_replica__prepare (self, "SELECT epoch, hlc, hash FROM log WHERE origin = ? AND seq = ?",
                            -1, &stmt, NULL))
        return -1;
    sqlite3_bind_int (stmt, 1, me);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 2) == FG_HASH_SIZE) {
        epoch = (uint32_t) sqlite3_column_int64 (stmt, 0);
        hlc = (uint64_t) sqlite3_column_int64 (stmt, 1);
        memcpy (logged, sqlite3_column_blob (stmt, 2), FG_HASH_SIZE);
        found = true;
    }
    fg_replica__done (self, stmt);
    uint8_t pk [FG_SIGN_PK_SIZE];
    fg_replica__entry_key (self, &self->self, epoch, pk);
    if (!found || memcmp (pk, fg_keys_sign_pk (self->keys), FG_SIGN_PK_SIZE))
        return -1;                      //  signed with a key this node no longer holds
    if (seq > 1 && fg_replica_entry_hash (self, me, seq - 1, prev))
        return -1;
    //  The payload: count, then each op's bytes
    if (fg_replica__prepare (self, "SELECT body, author FROM op WHERE origin = ? AND seq = ? ORDER BY idx",
                            -1, &stmt, NULL))
        return -1;
    sqlite3_bind_int (stmt, 1, me);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    zchunk_t *payload = zchunk_new (NULL, 4096);
    uint8_t count [2] = { 0, 0 };
    zchunk_append (payload, count, 2);
    size_t ops = 0;
    char author [FG_ENTRY_AUTHOR_MAX + 1] = "";
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        zchunk_extend (payload, sqlite3_column_blob (stmt, 0), (size_t) sqlite3_column_bytes (stmt, 0));
        if (ops++ == 0 && sqlite3_column_text (stmt, 1))
            snprintf (author, sizeof author, "%s", (const char *) sqlite3_column_text (stmt, 1));
    }
    fg_replica__done (self, stmt);
    int rc = -1;
    if (ops > 0 && ops <= 0xFFFF) {
        uint8_t *data = zchunk_data (payload);
        fg_put16 (data, (uint16_t) ops);
        size_t size;
        uint8_t hash [FG_HASH_SIZE];
        uint8_t *bytes = fg_entry_build (self->keys, me, epoch, seq, hlc, prev, author,
                                         data, zchunk_size (payload), &size, hash);
        if (bytes && memcmp (hash, logged, FG_HASH_SIZE) == 0
        &&  fg_replica__prepare (self, "UPDATE log SET entry = ? WHERE origin = ? AND seq = ?",
                                 -1, &stmt, NULL) == SQLITE_OK) {
            sqlite3_bind_blob (stmt, 1, bytes, (int) size, SQLITE_STATIC);
            sqlite3_bind_int (stmt, 2, me);
            sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) seq);
            rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : -1;
            fg_replica__done (self, stmt);
        }
        free (bytes);
    }
    zchunk_destroy (&payload);
    return rc;
}

//  An own entry found damaged as it was about to leave: rebuilt in its
//  own transaction (or the caller's), or -1 with the reason in the
//  replica's error (reported once in the log): it is neither sent nor
//  skipped, and holds back what follows it until the operator restores
//  the node from its parent or a backup (fugai check names it)
static int
s_own_damaged (fg_replica_t *self, uint64_t seq)
{
    bool own_txn = !self->in_txn;
    int rc = own_txn ? fg_replica_begin (self) : 0;
    if (rc == 0)
        rc = s_repair_own (self, seq);
    if (own_txn) {
        if (rc == 0)
            rc = fg_replica_commit (self);
        else
        if (self->in_txn)
            fg_replica_rollback (self);
    }
    if (rc == 0) {
        zsys_warning ("own entry %u/%llu was damaged on disk (its bytes no longer verify); rebuilt from its "
                      "logged hash and operations, the same entry byte for byte, before it left",
                      self->self.node_id, (unsigned long long) seq);
        return 0;
    }
    snprintf (self->error, sizeof self->error, "own entry %u/%llu is damaged on disk and cannot be rebuilt "
              "(its operations are damaged too): it and the entries after it are held back; recover with "
              "fugai restore-from-parent or a backup (fugai check lists what is damaged)",
              self->self.node_id, (unsigned long long) seq);
    if (self->own_damaged != seq) {
        self->own_damaged = seq;
        zsys_error ("%s", self->error);
    }
    return -1;
}

int
fg_replica_scan (fg_replica_t *self, const fg_node_t *child, uint64_t after, size_t max_rows,
                 fg_scan_fn *fn, void *arg, uint64_t *last_p)
{
    *last_p = after;
    //  A node that switched to its next keys offers nothing up until its
    //  parent's record of them arrives: its entries past the parent's copy
    //  are then signed again in the new epoch, and the old signatures
    //  would only be refused (wrong_epoch)
    if (!child && self->rekeying)
        return 0;
    //  The routing columns come from the index log_route, never from the
    //  table: they follow the entry in a log row, and reading them there
    //  would read every overflow page of a large entry the peer does not
    //  want (a down scan passes over everything that just came up from
    //  the child). The entry itself is read only when it is wanted.
    //  The origin's org is looked up once per run of its rows, not joined
    //  to every row: a scan passes over thousands of one origin's rows
    sqlite3_stmt *stmt, *read = NULL, *org = NULL;
    if (fg_replica__prepare (self,
            "SELECT l.lsn, l.up, l.anchor, l.down, l.origin, l.via, l.also FROM log l INDEXED BY log_route "
            "WHERE l.lsn > ? ORDER BY l.lsn LIMIT ?", -1, &stmt, NULL)
    ||  fg_replica__prepare (self, "SELECT entry, seq, hash FROM log WHERE lsn = ?", -1, &read, NULL)
    ||  fg_replica__prepare (self, "SELECT org FROM node WHERE node_id = ?", -1, &org, NULL)) {
        fg_replica__done (self, stmt);
        fg_replica__done (self, read);
        return fg_replica__fail (self, "scan");
    }
    int origin_id = -1;
    char origin_org [16] = "";
    bool origin_known = false;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) after);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) max_rows);
    uint64_t damaged = 0;
    bool first_own = true;
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        uint64_t lsn = (uint64_t) sqlite3_column_int64 (stmt, 0);
        if (child && sqlite3_column_int (stmt, 4) != origin_id) {
            origin_id = sqlite3_column_int (stmt, 4);
            sqlite3_reset (org);
            sqlite3_bind_int (org, 1, origin_id);
            origin_known = sqlite3_step (org) == SQLITE_ROW && sqlite3_column_type (org, 0) == SQLITE_TEXT;
            if (origin_known)
                snprintf (origin_org, sizeof origin_org, "%s", (const char *) sqlite3_column_text (org, 0));
            sqlite3_reset (org);
        }
        if (s_wanted (self, child, sqlite3_column_int (stmt, 1) != 0,
                      (const char *) sqlite3_column_text (stmt, 2),
                      origin_known ? origin_org : NULL,
                      sqlite3_column_int (stmt, 3),
                      (const char *) sqlite3_column_text (stmt, 6))) {
            sqlite3_reset (read);
            sqlite3_bind_int64 (read, 1, (sqlite3_int64) lsn);
            if (sqlite3_step (read) != SQLITE_ROW) {
                step = SQLITE_ERROR;
                break;
            }
            const uint8_t *bytes = (const uint8_t *) sqlite3_column_blob (read, 0);
            size_t size = (size_t) sqlite3_column_bytes (read, 0);
            if (sqlite3_column_int (stmt, 4) == self->self.node_id && sqlite3_column_int (stmt, 5) == 0) {
                if (!s_own_sound (self, bytes, size, sqlite3_column_blob (read, 2), sqlite3_column_bytes (read, 2),
                                  first_own)) {
                    damaged = (uint64_t) sqlite3_column_int64 (read, 1);
                    break;              //  not sent; rebuilt below, sent by the next scan
                }
                first_own = false;
            }
            if (fn (arg, lsn, bytes, size))
                break;                  //  full: this one goes in the next batch
        }
        *last_p = lsn;
    }
    fg_replica__done (self, org);
    fg_replica__done (self, read);
    fg_replica__done (self, stmt);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return fg_replica__fail (self, "scan");
    //  What came before a damaged entry that cannot be rebuilt still goes;
    //  the next scan starts at it, and fails
    if (damaged && s_own_damaged (self, damaged) && *last_p == after)
        return -1;
    return 0;
}

int
fg_replica_scan_origin (fg_replica_t *self, uint16_t origin, uint64_t from_seq, size_t max_rows,
                        fg_scan_fn *fn, void *arg)
{
    if (self->rekeying && origin == self->self.node_id)
        return 0;                       //  as in fg_replica_scan
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT lsn, entry, seq, hash, via FROM log WHERE origin = ? AND seq >= ? "
                            "AND up = 1 ORDER BY seq LIMIT ?", -1, &stmt, NULL))
        return fg_replica__fail (self, "scan");
    sqlite3_bind_int (stmt, 1, origin);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) from_seq);
    sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) max_rows);
    uint64_t damaged = 0;
    bool first_own = true, offered = false;
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        const uint8_t *bytes = (const uint8_t *) sqlite3_column_blob (stmt, 1);
        size_t size = (size_t) sqlite3_column_bytes (stmt, 1);
        if (origin == self->self.node_id && sqlite3_column_int (stmt, 4) == 0) {
            if (!s_own_sound (self, bytes, size, sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3),
                              first_own)) {
                damaged = (uint64_t) sqlite3_column_int64 (stmt, 2);
                break;
            }
            first_own = false;
        }
        offered = true;
        if (fn (arg, (uint64_t) sqlite3_column_int64 (stmt, 0), bytes, size))
            break;
    }
    fg_replica__done (self, stmt);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return fg_replica__fail (self, "scan");
    if (damaged && s_own_damaged (self, damaged) && !offered)
        return -1;
    return 0;
}

size_t
fg_replica_gaps (fg_replica_t *self, const char *within, fg_gap_t *gaps, size_t max)
{
    sqlite3_stmt *stmt;
    size_t count = 0;
    if (fg_replica__prepare (self,
            "SELECT b.origin, coalesce(f.seq, 0) + 1, n.org FROM buffer b JOIN node n ON n.node_id = b.origin "
            "LEFT JOIN frontier f ON f.origin = b.origin WHERE b.reason = 'gap' "
            "AND coalesce(f.state, 'ok') = 'ok' GROUP BY b.origin", -1, &stmt, NULL))
        return 0;
    while (count < max && sqlite3_step (stmt) == SQLITE_ROW) {
        const char *org = (const char *) sqlite3_column_text (stmt, 2);
        if (within && !fg_org_contains (within, org))
            continue;
        gaps [count].origin = (uint16_t) sqlite3_column_int (stmt, 0);
        gaps [count].from_seq = (uint64_t) sqlite3_column_int64 (stmt, 1);
        count++;
    }
    fg_replica__done (self, stmt);
    return count;
}

uint64_t
fg_replica_pending (fg_replica_t *self, const fg_node_t *child, uint64_t after)
{
    if (!child)
        return (uint64_t) fg_replica__scalar (self, "SELECT count(*) FROM log WHERE lsn > ? AND up = 1",
                                            (int64_t) after, 0);
    sqlite3_stmt *stmt;
    uint64_t count = 0;
    if (fg_replica__prepare (self, "SELECT l.up, l.anchor, n.org, l.down, l.also FROM log l LEFT JOIN node n "
                            "ON n.node_id = l.origin WHERE l.lsn > ?", -1, &stmt, NULL) == SQLITE_OK) {
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) after);
        while (sqlite3_step (stmt) == SQLITE_ROW)
            if (s_wanted (self, child, sqlite3_column_int (stmt, 0) != 0,
                          (const char *) sqlite3_column_text (stmt, 1),
                          (const char *) sqlite3_column_text (stmt, 2),
                          sqlite3_column_int (stmt, 3),
                          (const char *) sqlite3_column_text (stmt, 4)))
                count++;
        fg_replica__done (self, stmt);
    }
    return count;
}

//  -------------------------------------------------------------------------
//  Verifying the log before a replay trusts it

#define S_DAMAGED_NAMED   4          //  damaged entries named in the error
#define S_DAMAGED_LOGGED  100        //  ... and in the log (one line each)

typedef struct {
    fg_replica_t *replica;
    size_t    damaged;               //  entries found damaged
    char      named [640];           //  the first few, for the error
    //  The origin being walked (rows come in origin, seq order)
    int       origin;                //  -1 before the first row
    bool      known;                 //  its key is known
    uint8_t   sign_pk [FG_SIGN_PK_SIZE];
    uint64_t  last_seq;              //  the row before, of this origin
    uint8_t   last_hash [FG_HASH_SIZE];  //  its hash column
    uint8_t   last_real [FG_HASH_SIZE];  //  the hash of its bytes (if they parse)
    bool      have_last;
    //  The current run: consecutive sound entries of one origin and epoch,
    //  each naming the hash of the one before; the signature of its last
    //  entry proves them all
    bool      in_run;
    uint32_t  run_epoch;
    uint64_t  run_first;
    uint64_t  run_last;
    uint8_t   run_hash [FG_HASH_SIZE];
    uint8_t   run_sig [FG_SIG_SIZE];
} s_verify_t;

static void
s_damaged (s_verify_t *self, int origin, uint64_t seq, const char *format, ...) CHECK_PRINTF (4);

static void
s_damaged (s_verify_t *self, int origin, uint64_t seq, const char *format, ...)
{
    char what [256];
    va_list args;
    va_start (args, format);
    vsnprintf (what, sizeof what, format, args);
    va_end (args);
    self->damaged++;
    if (self->damaged <= S_DAMAGED_LOGGED)
        zsys_error ("replica: damaged log entry %d/%llu: %s", origin, (unsigned long long) seq, what);
    if (self->damaged <= S_DAMAGED_NAMED) {
        size_t used = strlen (self->named);
        snprintf (self->named + used, sizeof self->named - used, "%sentry %d/%llu: %s",
                  used ? "; " : "", origin, (unsigned long long) seq, what);
    }
}

//  The run ends: check the signature of its last entry; if it fails, each
//  entry of the run is checked on its own, to name the bad ones.
static int
s_verify_run_end (s_verify_t *self)
{
    if (!self->in_run)
        return 0;
    self->in_run = false;
    fg_replica_t *replica = self->replica;
    uint8_t key [FG_SIGN_PK_SIZE];
    memcpy (key, self->sign_pk, FG_SIGN_PK_SIZE);
    fg_node_t node;
    if (fg_replica__node_any (replica, (uint16_t) self->origin, &node, NULL, NULL) == 0)
        fg_replica__entry_key (replica, &node, self->run_epoch, key);
    if (fg_sign_verify (self->run_sig, self->run_hash, FG_HASH_SIZE, key) == 0)
        return 0;
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (replica, "SELECT seq, entry FROM log WHERE origin = ? AND seq BETWEEN ? AND ? "
                            "ORDER BY seq", -1, &stmt, NULL))
        return fg_replica__fail (replica, "verify");
    sqlite3_bind_int (stmt, 1, self->origin);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) self->run_first);
    sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) self->run_last);
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        fg_entry_t entry;
        if (fg_entry_parse (&entry, (const uint8_t *) sqlite3_column_blob (stmt, 1),
                            (size_t) sqlite3_column_bytes (stmt, 1)) != FG_ENTRY_OK
        ||  fg_entry_verify (&entry, key))
            s_damaged (self, self->origin, (uint64_t) sqlite3_column_int64 (stmt, 0),
                       "signature does not verify with node %d's key", self->origin);
    }
    fg_replica__done (replica, stmt);
    return step == SQLITE_DONE ? 0 : fg_replica__fail (replica, "verify");
}

//  One logged row: origin, seq, epoch and hash columns, entry bytes, up.
static int
s_verify_row (s_verify_t *self, int origin, uint64_t seq, uint32_t epoch, const uint8_t *hash,
              size_t hash_size, const uint8_t *bytes, size_t size, bool up)
{
    if (origin != self->origin) {
        if (s_verify_run_end (self))
            return -1;
        fg_node_t node;
        self->origin = origin;
        self->known = fg_replica__node_any (self->replica, (uint16_t) origin, &node, NULL, NULL) == 0;
        if (self->known)
            memcpy (self->sign_pk, node.sign_pk, FG_SIGN_PK_SIZE);
        self->have_last = false;
    }
    uint64_t last_seq = self->last_seq;
    bool have_last = self->have_last;
    uint8_t last_hash [FG_HASH_SIZE], last_real [FG_HASH_SIZE];
    memcpy (last_hash, self->last_hash, FG_HASH_SIZE);
    memcpy (last_real, self->last_real, FG_HASH_SIZE);
    fg_entry_t entry;
    int parsed = fg_entry_parse (&entry, bytes, size);
    //  The chain goes on from this row's hash column or the hash of its
    //  bytes: a damaged row is named once, not again by its successor
    self->last_seq = seq;
    self->have_last = true;
    memcpy (self->last_hash, hash_size == FG_HASH_SIZE ? hash : s_zero_hash, FG_HASH_SIZE);
    memcpy (self->last_real, parsed == FG_ENTRY_OK ? entry.hash : self->last_hash, FG_HASH_SIZE);
    bool sound = false;
    if (parsed != FG_ENTRY_OK)
        s_damaged (self, origin, seq, "its bytes are not an entry (%s)", fg_entry_strerror (parsed));
    else
    if (entry.origin != origin || entry.seq != seq || entry.epoch != epoch)
        s_damaged (self, origin, seq, "its bytes say entry %u/%llu (epoch %u), its row %d/%llu (epoch %u)",
                   entry.origin, (unsigned long long) entry.seq, entry.epoch, origin,
                   (unsigned long long) seq, epoch);
    else
    if (hash_size != FG_HASH_SIZE || memcmp (hash, entry.hash, FG_HASH_SIZE))
        s_damaged (self, origin, seq, "the BLAKE2b hash of its bytes differs from its hash column");
    else
    if (!self->known)
        s_damaged (self, origin, seq, "node %d is not a known node: its signature cannot be checked", origin);
    else
    if (up && !have_last && seq != 1)
        s_damaged (self, origin, seq, "seq 1..%llu of this node's subtree chain are missing",
                   (unsigned long long) seq - 1);
    else
    if (up && have_last && seq != last_seq + 1)
        s_damaged (self, origin, seq, "seq %llu..%llu of this node's subtree chain are missing",
                   (unsigned long long) last_seq + 1, (unsigned long long) seq - 1);
    else
    if (up && (have_last
               ? memcmp (entry.prev_hash, last_hash, FG_HASH_SIZE)
                 && memcmp (entry.prev_hash, last_real, FG_HASH_SIZE)
               : memcmp (entry.prev_hash, s_zero_hash, FG_HASH_SIZE)))
        s_damaged (self, origin, seq, "its prev_hash is not the hash of seq %llu (broken chain)",
                   (unsigned long long) seq - 1);
    else
        sound = true;

    bool extends = sound && self->in_run && entry.epoch == self->run_epoch
                && seq == self->run_last + 1
                && memcmp (entry.prev_hash, self->run_hash, FG_HASH_SIZE) == 0;
    if (!extends && s_verify_run_end (self))
        return -1;
    if (sound) {
        if (!extends) {
            self->in_run = true;
            self->run_epoch = entry.epoch;
            self->run_first = seq;
        }
        self->run_last = seq;
        memcpy (self->run_hash, entry.hash, FG_HASH_SIZE);
        memcpy (self->run_sig, entry.sig, FG_SIG_SIZE);
    }
    return 0;
}

int
fg_replica__verify_log (fg_replica_t *self)
{
    s_verify_t verify = { .replica = self, .origin = -1 };
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT origin, seq, epoch, hash, entry, up FROM log "
                            "ORDER BY origin, seq", -1, &stmt, NULL))
        return fg_replica__fail (self, "verify");
    int rc = 0;
    int step;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW)
        rc = s_verify_row (&verify, sqlite3_column_int (stmt, 0),
                           (uint64_t) sqlite3_column_int64 (stmt, 1),
                           (uint32_t) sqlite3_column_int64 (stmt, 2),
                           (const uint8_t *) sqlite3_column_blob (stmt, 3),
                           (size_t) sqlite3_column_bytes (stmt, 3),
                           (const uint8_t *) sqlite3_column_blob (stmt, 4),
                           (size_t) sqlite3_column_bytes (stmt, 4),
                           sqlite3_column_int (stmt, 5) != 0);
    if (rc == 0 && step != SQLITE_DONE)
        rc = fg_replica__fail (self, "verify");
    fg_replica__done (self, stmt);
    if (rc == 0)
        rc = s_verify_run_end (&verify);
    if (rc == 0 && verify.damaged) {
        size_t more = verify.damaged > S_DAMAGED_NAMED ? verify.damaged - S_DAMAGED_NAMED : 0;
        char tail [48] = "";
        if (more)
            snprintf (tail, sizeof tail, " (and %zu more)", more);
        snprintf (self->error, sizeof self->error,
                  "refused to replay %s: %zu damaged log entr%s: %s%s. Nothing was replayed or changed. "
                  "Restore the replica from a backup: its parent holds a copy of every entry of this "
                  "node's subtree, and gives the replica what it lacks after `fugai resync PARENT`; "
                  "`fugai check` lists every problem",
                  self->path, verify.damaged, verify.damaged == 1 ? "y" : "ies", verify.named, tail);
        rc = -1;
    }
    return rc;
}

//  -------------------------------------------------------------------------
//  Rebuild: the domain tables are a projection of the log

int
fg_replica__replay (fg_replica_t *self)
{
    //  Verify before trusting: a damaged entry would otherwise drop its
    //  rows from the projection without a word
    int rc = fg_replica__verify_log (self);
    if (rc)
        return rc;
    rc = fg_merge_clear (self->merge);
    if (rc)
        snprintf (self->error, sizeof self->error, "%s", fg_merge_error (self->merge));
    //  The routing of each entry is the merge's too: an upgrade that
    //  changed a table's scope or second anchor routes the entries held
    //  before it as new ones (schema 7 fills log.also so)
    sqlite3_stmt *stmt = NULL, *route = NULL;
    if (rc == 0 && fg_replica__prepare (self, "UPDATE log SET down = ?2, also = ?3 WHERE lsn = ?1 "
                                        "AND (down IS NOT ?2 OR also IS NOT ?3)", -1, &route, NULL))
        rc = fg_replica__fail (self, "replay");
    if (rc == 0 && fg_replica__prepare (self, "SELECT entry, lsn FROM log ORDER BY lsn", -1, &stmt, NULL))
        rc = fg_replica__fail (self, "replay");
    while (rc == 0 && sqlite3_step (stmt) == SQLITE_ROW) {
        fg_entry_t entry;
        fg_node_t origin;
        if (fg_entry_parse (&entry, (const uint8_t *) sqlite3_column_blob (stmt, 0),
                            (size_t) sqlite3_column_bytes (stmt, 0)) != FG_ENTRY_OK
        ||  fg_replica__node_any (self, entry.origin, &origin, NULL, NULL)) {
            snprintf (self->error, sizeof self->error, "a logged entry does not parse or lost its node");
            rc = -1;
            break;
        }
        fg_merge_result_t result;
        if (fg_merge_entry (self->merge, &origin, &entry, &result)) {
            snprintf (self->error, sizeof self->error, "%s", fg_merge_error (self->merge));
            rc = -1;
            break;
        }
        sqlite3_reset (route);
        sqlite3_bind_int64 (route, 1, sqlite3_column_int64 (stmt, 1));
        sqlite3_bind_int (route, 2, result.down);
        sqlite3_bind_text (route, 3, result.also, -1, SQLITE_STATIC);
        if (sqlite3_step (route) != SQLITE_DONE)
            rc = fg_replica__fail (self, "replay");
    }
    fg_replica__done (self, route);
    fg_replica__done (self, stmt);
    return rc;
}

int
fg_replica_rebuild (fg_replica_t *self)
{
    if (fg_replica_begin (self))
        return -1;
    int rc = fg_replica__replay (self);
    if (rc == 0)
        rc = fg_replica_commit (self);
    else
        fg_replica_rollback (self);
    return rc;
}
