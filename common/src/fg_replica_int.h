/*  fg_replica_int.h - private state shared by fg_replica.c (store, nodes,
    cursors) and fg_replica_log.c (appending, receiving, scanning). */
#ifndef FG_REPLICA_INT_H_INCLUDED
#define FG_REPLICA_INT_H_INCLUDED

#include "fg_replica.h"

struct _fg_replica_t {
    sqlite3    *db;
    char       *path;
    fg_node_t   self;
    fg_keys_t  *keys;                //  borrowed
    fg_merge_t *merge;
    zhashx_t   *stmts;              //  SQL text -> prepared statement
    uint64_t    hlc;                 //  last hlc issued or adopted
    bool        hlc_dirty;
    uint64_t    id_counter;
    bool        id_dirty;
    int64_t     max_ahead_ms;
    bool        in_txn;
    int64_t     stored_schema;      //  schema version the file had when opened
    bool        recovering;         //  re-basing after a fork: own writes wait
    uint16_t    resync_peer;        //  a child whose whole log must come again
    int         depth;               //  receive recursion guard
    char        error [512];
};

//  Shared helpers (fg_replica.c)
//  Prepared statements are cached by their SQL text: s_replica_prepare
//  returns the cached statement, reset, or a fresh one if that is busy
//  (a nested use); s_replica_done resets a cached one, finalizes others.
int  s_replica_prepare (fg_replica_t *self, const char *sql, int size, sqlite3_stmt **stmt,
                        const char **tail);
void s_replica_done (fg_replica_t *self, sqlite3_stmt *stmt);
int  s_replica_fail (fg_replica_t *self, const char *what);
int  s_replica_exec (fg_replica_t *self, const char *sql);
//  First column of the first row of a query whose parameters (none, ?1,
//  or ?1 and ?2) get a and b; 0 if there is no row or SQLite fails.
int64_t s_replica_scalar (fg_replica_t *self, const char *sql, int64_t a, int64_t b);
//  The highest counter of node `origin`'s id space among the row ids of
//  its ops with from_seq <= seq < to_seq (S_REPLICA_ALL_SEQ: to the end);
//  0 if none.
#define S_REPLICA_ALL_SEQ ((uint64_t) INT64_MAX)
uint64_t s_replica_id_counter (fg_replica_t *self, uint16_t origin, uint64_t from_seq,
                               uint64_t to_seq);
//  End the transaction of an operator's act (enroll, trust, revoke, a new
//  epoch): commit if rc is 0, else roll back; on failure the reason goes
//  into errbuf. Returns 0 or -1.
int  s_replica_finish (fg_replica_t *self, int rc, char *errbuf, size_t errsize);
int  s_replica_meta_set_int (fg_replica_t *self, const char *key, int64_t value);
int  s_replica_meta_get_int (fg_replica_t *self, const char *key, int64_t *value);
int  s_replica_meta_set (fg_replica_t *self, const char *key, const char *text, int64_t number,
                         bool is_text);
int  s_replica_node_put (fg_replica_t *self, const fg_node_t *node, uint16_t parent_id,
                         const char *relation, const char *source, const char *status);
//  Look up a trusted node; returns 0 and fills node (and relation) if it is
//  known, whatever its status; -1 if unknown. status_p gets active/revoked.
int  s_replica_node_any (fg_replica_t *self, uint16_t node_id, fg_node_t *node,
                         char relation [16], char status [16]);
//  Begin the node op recording a node's keys (fg_replica_nodes.c).
void s_replica_node_record (fg_ops_t *ops, const fg_node_t *node, uint16_t parent_id,
                            const char *relation, const char *status);
//  Re-derive the keys learned from node records in the log.
int  s_replica_trust_refresh (fg_replica_t *self, bool *changed);

//  fg_replica_log.c
int  s_replica_retry_unknown (fg_replica_t *self, fg_rx_stats_t *stats);
//  Replay the log into empty projections (inside a transaction).
int  s_replica_replay (fg_replica_t *self);

//  fg_replica_epoch.c
//  A new epoch of `origin` was learned: its chain is accepted again.
int  s_replica_epoch_reset (fg_replica_t *self, uint16_t origin);
//  Load the recovery state from meta (at open).
int  s_replica_recovery_load (fg_replica_t *self);

#endif
