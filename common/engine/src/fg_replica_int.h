/*  fg_replica_int.h - private state shared by fg_replica.c (store, nodes,
    cursors) and fg_replica_log.c (appending, receiving, scanning). */
#ifndef FG_REPLICA_INT_H_INCLUDED
#define FG_REPLICA_INT_H_INCLUDED

#include "fg_replica.h"
#include "fg_wake.h"

#define FG_REPLICA__HELD 8           //  statements of the receive path, held prepared

struct _fg_replica_t {
    sqlite3    *db;
    char       *path;
    fg_node_t   self;
    fg_keys_t  *keys;                //  borrowed
    fg_merge_t *merge;
    const fg_replica_hooks_t *hooks;  //  the programme's (never NULL: s_no_hooks)
    zhashx_t   *stmts;              //  SQL text -> prepared statement
    uint64_t    hlc;                 //  last hlc issued or adopted
    bool        hlc_dirty;
    uint64_t    id_counter;
    bool        id_dirty;
    int64_t     max_ahead_ms;
    bool        in_txn;
    int64_t     stored_schema;      //  schema version the file had when opened
    bool        recovering;         //  re-basing after a fork: own writes wait
    bool        restoring;          //  own chain coming back from the parent: own writes wait
    bool        rekeying;           //  next keys in place, the parent's record of them awaited: own writes wait
    uint8_t     rekey_pk [FG_SIGN_PK_SIZE];  //  while rekeying: the next signing key
    char        rekey_curve [41];   //  ... and the next CURVE key
    uint32_t    warned_epoch;       //  a record of keys not ours was logged for this epoch
    int64_t     data_version;       //  PRAGMA data_version when the state above was read (-1: never)
    uint64_t    own_damaged;        //  own seq found damaged and not rebuildable (reported once)
    uint16_t    resync_peer;        //  a child whose whole log must come again
    int         depth;               //  receive recursion guard
    //  The hot path of receiving (fg_replica_log.c): statements held
    //  prepared, and what one batch's transaction can answer once
    sqlite3_stmt *held [FG_REPLICA__HELD];
    int         buffer_empty;        //  1: the buffer table is empty (this txn); 0: unknown
    bool        node_cached;         //  node_cache holds the row of node_cache.node_id (this batch)
    fg_node_t   node_cache;
    char        node_cache_relation [16];
    char        node_cache_status [16];
    bool        key_cached;          //  key_pk verifies node_cache's entries of key_epoch (this batch)
    uint32_t    key_epoch;
    uint8_t     key_pk [FG_SIGN_PK_SIZE];
    bool        frontier_cached;     //  frontier_* is the frontier row of frontier_origin (this txn)
    uint16_t    frontier_origin;
    uint64_t    frontier_seq;
    uint8_t     frontier_hash [FG_HASH_SIZE];
    bool        frontier_forked;
    bool        no_wake;             //  commits do not wake the daemon (fg_replica_set_wake)
    bool        wake_ready;          //  wake holds the daemon's address
    fg_wake_t   wake;
    fg_rx_quota_t *quota;           //  lent by the receiver of a session, or NULL
    struct _fg_refusal_sum_t *refusals;  //  refusals of this receive, written at its end
    size_t      refusal_count;
    size_t      refusal_alloc;
    char        error [1024];
};

//  Shared helpers (fg_replica.c)
//  Prepared statements are cached by their SQL text: fg_replica__prepare
//  returns the cached statement, reset, or a fresh one if that is busy
//  (a nested use); fg_replica__done resets a cached one, finalizes others.
int  fg_replica__prepare (fg_replica_t *self, const char *sql, int size, sqlite3_stmt **stmt,
                        const char **tail);
void fg_replica__done (fg_replica_t *self, sqlite3_stmt *stmt);
int  fg_replica__fail (fg_replica_t *self, const char *what);
int  fg_replica__exec (fg_replica_t *self, const char *sql);
//  First column of the first row of a query whose parameters (none, ?1,
//  or ?1 and ?2) get a and b; 0 if there is no row or SQLite fails.
int64_t fg_replica__scalar (fg_replica_t *self, const char *sql, int64_t a, int64_t b);
//  The highest counter of node `origin`'s id space among the row ids of
//  its ops with from_seq <= seq < to_seq (FG_REPLICA_ALL_SEQ: to the end);
//  0 if none.
#define FG_REPLICA_ALL_SEQ ((uint64_t) INT64_MAX)
uint64_t fg_replica__id_counter (fg_replica_t *self, uint16_t origin, uint64_t from_seq,
                               uint64_t to_seq);
//  End the transaction of an operator's act (enroll, trust, revoke, a new
//  epoch): commit if rc is 0, else roll back; on failure the reason goes
//  into errbuf. Returns 0 or -1.
int  fg_replica__finish (fg_replica_t *self, int rc, char *errbuf, size_t errsize);
int  fg_replica__meta_set_int (fg_replica_t *self, const char *key, int64_t value);
int  fg_replica__meta_get_int (fg_replica_t *self, const char *key, int64_t *value);
int  fg_replica__meta_set (fg_replica_t *self, const char *key, const char *text, int64_t number,
                         bool is_text);
//  The key that signed node's entries of that epoch: a retired one (table
//  node_key) for an epoch before a replacement, else the node's own key.
//  Keep a key that signed node_id's entries before until_epoch (node_key).
int  fg_replica__retire_key (fg_replica_t *self, uint16_t node_id, uint32_t until_epoch,
                             const uint8_t *pk);
void fg_replica__entry_key (fg_replica_t *self, const fg_node_t *node, uint32_t epoch,
                            uint8_t pk [FG_SIGN_PK_SIZE]);
int  fg_replica__node_put (fg_replica_t *self, const fg_node_t *node, uint16_t parent_id,
                         const char *relation, const char *source, const char *status);
//  Look up a trusted node; returns 0 and fills node (and relation) if it is
//  known, whatever its status; -1 if unknown. status_p gets active/revoked.
int  fg_replica__node_any (fg_replica_t *self, uint16_t node_id, fg_node_t *node,
                         char relation [16], char status [16]);
//  Begin the node op recording a node's keys (fg_replica_nodes.c).
void fg_replica__node_record (fg_ops_t *ops, const fg_node_t *node, uint16_t parent_id,
                            const char *relation, const char *status);
//  Re-derive the keys learned from node records in the log.
int  fg_replica__trust_refresh (fg_replica_t *self, bool *changed);

//  fg_replica_log.c
//  Finalize the statements held by the receive path (at destroy).
void fg_replica__held_finalize (fg_replica_t *self);
//  Forget what a batch answered once (the node rows, an empty buffer):
//  at the end of a transaction, and when node rows change.
void fg_replica__batch_forget (fg_replica_t *self);
//  Whoever writes the frontier table other than the receive path drops
//  the frontier the transaction keeps (fg_replica_log.c s_frontier)
void fg_replica__frontier_forget (fg_replica_t *self);
int  fg_replica__retry_unknown (fg_replica_t *self, fg_rx_stats_t *stats);
//  Verify every logged entry (bytes, hash column, own-subtree chains,
//  signatures; see fg_replica_rebuild): 0, or -1 with the damaged entries
//  named in the error. Reads only.
int  fg_replica__verify_log (fg_replica_t *self);
//  Verify the log, then replay it into empty projections (inside a
//  transaction). -1 with the reason if an entry is damaged: nothing is
//  dropped, the caller rolls back.
int  fg_replica__replay (fg_replica_t *self);

//  fg_replica_epoch.c
//  A new epoch of `origin` was learned: its chain is accepted again.
int  fg_replica__epoch_reset (fg_replica_t *self, uint16_t origin);
//  Load the recovery state from meta (at open, and at a write
//  transaction after another process committed).
int  fg_replica__recovery_load (fg_replica_t *self);
//  The meta key holding the first seq of node origin's recorded fork
//  ("fork_seq.ORIGIN"; set when its chain is marked forked, cleared by
//  its next epoch).
void fg_replica__fork_seq_key (uint16_t origin, char key [32]);

#endif
