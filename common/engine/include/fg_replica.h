/*  fg_replica.h - a node's replica: one SQLite file (WAL) holding the log,
    the frontiers, the buffer, the quarantine, the keys it trusts, the sync
    cursors and the domain tables (which fg_merge projects from the log).

    Writes: a clerk's write is one transaction that appends a signed entry to
    this node's own hash chain and applies its ops (fg_replica_begin, ids
    from fg_replica_new_id, fg_replica_append, fg_replica_commit; fg_record
    does this for the operator's command). It needs no daemon and no
    network.

    Receiving: every entry that arrives (from a child, a parent or a bundle)
    ends in exactly one of four places, which `fugai status` counts:
      log         applied (its ops projected, each with an outcome)
      duplicate   already held with the same hash: nothing changes
      buffer      waiting: for its predecessor ("gap") or for the key of its
                  origin ("unknown_origin"); retried when that arrives, with
                  the sender check run again (an entry a child relayed must
                  be of its subtree once its origin is known). From a child
                  only an origin its subtree could contain waits (none from
                  a township), within the FG_RX_* bounds below
      quarantine  refused, with a reason (below), the hash and size, and
                  the bytes as evidence if its origin's key signs them; for
                  an origin below, the node also writes a `refusal` row into
                  its own log (one per batch, origin and reason, with a
                  count and the seq range) so that the refusal travels to
                  the author and up the tree

    Refusal reasons (stable codes):
      malformed       the bytes are not an entry (fg_entry_strerror says how)
      bad_signature   the signature does not verify with the origin's key
      outside_sender  a child sent an entry of an origin outside its subtree
                      (about the sender, not the author: quarantined here,
                      never written as a `refusal`)
      broken_chain    prev_hash does not match the entry before it
      fork            a second, different entry with an (origin, seq) held
      chain_stopped   the origin's chain has forked; nothing more is taken
      wrong_epoch     signed under another key epoch than the one enrolled
      revoked         the origin's key was revoked

    Chains: for an origin in this node's subtree (itself and below) the chain
    must be complete, so entries are taken strictly in seq order, each
    naming the hash of the one before. Entries of other origins (a
    directive from above, routed down by scope) arrive filtered, with gaps
    by design, and are verified one by one.

    Trust: a claim about a node is accepted only from a node whose subtree
    contains it. A node knows the keys it pinned itself (its own, its
    parent's by `trust`, its children's by `enroll`) and learns others from
    node records in the log: a trusted node's record of the child it
    enrolled (one tier below, inside its org), and its parent's or a
    learned ancestor's record of its own parent (one tier above), learned
    link by link along the chain, one node per tier: a second "parent" of
    the same tier is not learned, nor a key another node already holds.
    The merge rejects such records on receipt (out_of_scope, fg_merge.h).
    Revocation keeps history: a revoked node's key stays (status revoked,
    since the revocation), and so do the keys it vouched for before it was
    revoked, as historical (status revoked, with its revocation's time):
    entries taken before still verify (check, rebuild), and no entry of
    any of these keys is taken after it (quarantine revoked) until a
    trusted node enrolls the node again.
    A refusal is written only for an entry of an origin below this node,
    and not for outside_sender. Clock flags are summarised as refusals are:
    one per origin and batch (the clock_flag table, fg_schema_system.c).
*/
#ifndef FG_REPLICA_H_INCLUDED
#define FG_REPLICA_H_INCLUDED

#include "fg_common.h"
#include "fg_keys.h"
#include "fg_ops.h"
#include "fg_entry.h"
#include "fg_merge.h"

typedef struct _fg_replica_t fg_replica_t;

//  Hooks: how a programme plugs into the engine, given at open (the engine
//  names no programme table). All may be NULL/0; the struct must outlive
//  every replica opened with it (a static const is the usual home).
//    tables, table_count  the programme's table catalogue, installed with
//                         fg_schema_install (the engine's own tables follow)
//    on_from_parent       called inside the transaction in which a node took
//                         entries from its parent (sync or bundle), once the
//                         node is not recovering from a fork: the programme
//                         answers what arrived (directive acknowledgements).
//                         Writes through fg_replica_append; returns 0, or -1
//                         with the reason in the replica's error. *acks_p
//                         gets the number of records it wrote.
//    on_from_child        called inside the transaction in which a node took
//                         entries from a child (sync or bundle) and applied at
//                         least one, when it holds its keys and is neither
//                         recovering nor restoring: the programme records what
//                         only the first hop can know (a periodic report's
//                         receipt time, R2). Writes through fg_replica_append
//                         or a record batch; 0, or -1 with the reason in the
//                         replica's error; *written_p the records written.
//    on_ingest            called for every entry received from another node
//                         that passed the engine's checks (signature, chain,
//                         scope), before it is applied: 0 takes it; 1 refuses
//                         it, with a stable reason code and a detail for
//                         people, and the entry is quarantined and a refusal
//                         travels to its author as for any refused entry (a
//                         refused entry of an own-subtree chain stops that
//                         chain like any quarantined one); -1 is a failure.
//                         fg_replica_append calls it too, for each entry this
//                         node writes (origin: the node itself), before it is
//                         stored: 1 fails the write with the error "refused
//                         by REASON: DETAIL" and nothing is written, so a
//                         clerk sees at the desk what a hub would refuse.
//                         It reads the entry's ops with fg_replica_entry_ops:
//                         the merge then uses the same decoding.
typedef struct {
    const fg_table_t *tables;
    size_t            table_count;
    int (*on_from_parent) (fg_replica_t *replica, const char *author, size_t *acks_p);
    int (*on_from_child) (fg_replica_t *replica, const char *author, size_t *written_p);
    int (*on_ingest) (fg_replica_t *replica, const fg_entry_t *entry, const fg_node_t *origin,
                      char *reason, size_t reason_size, char *detail, size_t detail_size);
} fg_replica_hooks_t;

//  Bounds on what a peer can make this node hold (SPEC.md §5.9):
//    FG_RX_UNKNOWN_ORIGINS  origins not known here whose entries may wait
//                           for their keys, per child (a township child
//                           may send none: its subtree is itself)
//    FG_RX_GAP_MAX          the highest seq of an unknown origin's entry
//                           that may wait for its key
#define FG_RX_UNKNOWN_ORIGINS  64
#define FG_RX_GAP_MAX          20000

//  A quota: what one peer may make this node store in one session and in
//  all (SPEC.md §5.9). The receiver of a session fills one with
//  fg_replica_quota_start and lends it around each batch
//  (fg_replica_set_quota). Past max_refused or max_refused_held refused
//  entries, or max_buffer_bytes of waiting entries, the receive stops
//  with FG_RX_OVER_QUOTA: the caller rolls the batch back and ends the
//  session, with quota->reason logged. Evidence: a refused entry's bytes
//  are kept only when its origin's key signs them (the proof of a fork,
//  a broken chain, a revoked key's use), within max_evidence_bytes per
//  session and max_evidence_held from the peer in all; anything else is
//  kept as its hash and size.
#define FG_RX_MAX_REFUSED        1000               //  per session
#define FG_RX_MAX_REFUSED_HELD   10000              //  per peer, in the quarantine (window below)
#define FG_RX_MAX_BUFFER_BYTES   (64 * 1024 * 1024) //  per peer, in the buffer
#define FG_RX_MAX_EVIDENCE_BYTES (4 * 1024 * 1024)  //  per session
#define FG_RX_MAX_EVIDENCE_HELD  (16 * 1024 * 1024) //  per peer, in the quarantine (window below)
#define FG_RX_HELD_WINDOW_MS     (30LL * 24 * 3600 * 1000)  //  "held": received in the last 30 days
#define FG_RX_OVER_QUOTA         (-2)

typedef struct {
    uint16_t peer;                  //  the session's peer
    uint64_t max_refused;
    uint64_t max_refused_held;
    uint64_t max_buffer_bytes;
    uint64_t max_evidence_bytes;
    uint64_t max_evidence_held;
    uint64_t refused;               //  quarantine rows added this session
    uint64_t refused_held;          //  quarantine rows held from the peer
    uint64_t buffer_bytes;          //  bytes held in the buffer from the peer
    uint64_t evidence_bytes;        //  entry bytes kept as evidence this session
    uint64_t evidence_held;         //  entry bytes held as evidence from the peer
    bool     exceeded;
    char     reason [256];          //  why, once exceeded
} fg_rx_quota_t;

typedef enum {
    FG_RX_APPLIED = 0,
    FG_RX_DUPLICATE = 1,
    FG_RX_BUFFERED = 2,
    FG_RX_QUARANTINED = 3
} fg_rx_t;

typedef struct {
    uint64_t applied;
    uint64_t duplicate;
    uint64_t buffered;
    uint64_t quarantined;
    uint64_t unjudged;          //  not taken: made from a refused entry (fg_replica_receive_elided)
} fg_rx_stats_t;

//  Figures for `fugai status`.
typedef struct {
    uint64_t log_entries;        //  entries held
    uint64_t own_seq;            //  this node's last seq
    uint64_t last_lsn;
    uint64_t ops_applied;
    uint64_t ops_proposed;
    uint64_t ops_rejected;
    uint64_t buffered;
    uint64_t quarantined;
    uint64_t forked_origins;
    uint64_t clock_ahead;        //  entries whose hlc was ahead of our clock
    uint64_t clock_flagged;      //  entries a hub flagged (clock_flag rows)
    uint64_t transitions_rejected;  //  workflow events the fold rejected
    uint64_t set_aside;          //  own entries of a forked branch kept as evidence
    uint64_t refused_own;        //  own entries of this chain a hub refused (refusal
                                 //  rows that came back): the later ones wait behind them
} fg_counts_t;

//  What this node knows of one of its links (its parent or a child), for
//  `fugai status` and the operator's page.
typedef struct {
    uint16_t id;
    char     tier [16];
    char     org [16];
    char     name [FG_NAME_MAX + 1];
    char     relation [16];          //  parent, child
    char     status [16];            //  the key: active, revoked
    char     state [32];             //  connected, connecting, refused: ..., never connected
    int64_t  last_contact;           //  ms since epoch, 0 never
    int64_t  rtt_ms;
    int64_t  offset_ms;              //  the peer's clock minus ours
    char     error [256];            //  the last problem seen
    uint64_t pending;                //  entries waiting to go to it
} fg_link_status_t;

//  Create a new replica file for the node `self`; NULL (and a log line) if
//  the file exists or SQLite fails.
fg_replica_t *fg_replica_create (const char *path, const fg_node_t *self,
                                const fg_replica_hooks_t *hooks);
//  Open an existing replica (migrating its schema if older); NULL on error.
fg_replica_t *fg_replica_open (const char *path, const fg_replica_hooks_t *hooks);
void          fg_replica_destroy (fg_replica_t **self_p);
//  Write a consistent copy of the replica to path while others (the
//  daemon) go on writing: SQLite's online backup into path.tmp, mode 0600,
//  fsynced, then renamed over path (and the directory fsynced). The copy is
//  a whole replica file: put back in place of data.db it opens as this node.
//  0 written; -1 with errbuf filled (nothing left at path).
int           fg_replica_backup (fg_replica_t *self, const char *path,
                                 char *errbuf, size_t errsize) FG_WARN_UNUSED;

//  Lend the node's keys (needed to write; the caller keeps ownership).
void          fg_replica_set_keys (fg_replica_t *self, fg_keys_t *keys);
//  Skew bound: an entry whose hlc is further ahead of our clock is
//  counted as clock_ahead and its time is not adopted.
void          fg_replica_set_max_ahead (fg_replica_t *self, int64_t ms);
//  SQLite's page cache of this connection, at most kib KiB (PRAGMA
//  cache_size; pages held beyond it are let go at once).
void          fg_replica_set_cache_kb (fg_replica_t *self, int kib);
const char   *fg_replica_error (fg_replica_t *self);
//  Set the replica's error (what fg_replica_error says) and return -1: for
//  a hook that fails.
int           fg_replica_fail_with (fg_replica_t *self, const char *format, ...) CHECK_PRINTF (2);
sqlite3      *fg_replica_db (fg_replica_t *self);
const fg_node_t *fg_replica_self (fg_replica_t *self);
//  The ops of an entry being taken in or appended, decoded once for the
//  hooks and the merge (fg_merge_ops: borrowed, *count_p of them, NULL if
//  none decodes; the ops before an undecodable one are given).
const fg_op_t *fg_replica_entry_ops (fg_replica_t *self, const fg_entry_t *entry, size_t *count_p);

//  Transactions: BEGIN IMMEDIATE / COMMIT / ROLLBACK. 0 or -1.
int           fg_replica_begin (fg_replica_t *self) FG_WARN_UNUSED;
int           fg_replica_commit (fg_replica_t *self) FG_WARN_UNUSED;
void          fg_replica_rollback (fg_replica_t *self);
//  Whether a commit wakes the node's daemon at once (fg_wake.h): yes by
//  default, so that a write by fugai add/import travels without waiting
//  for the daemon's poll; the daemon's own actors say no (they tell each
//  other through the daemon's COMMITTED/WAKE notices).
void          fg_replica_set_wake (fg_replica_t *self, bool wake);

//  A fresh node-prefixed id (inside a transaction).
uint64_t      fg_replica_new_id (fg_replica_t *self);
//  Append one entry of this node's own, carrying `ops`, and apply it
//  (inside a transaction). seq_p and result may be NULL.
int           fg_replica_append (fg_replica_t *self, fg_ops_t *ops, const char *author,
                                 uint64_t *seq_p, fg_merge_result_t *result) FG_WARN_UNUSED;

//  Quotas: start one for a session with peer `peer` (defaults, and what
//  this node holds from the peer already); lend it (NULL: none) to the
//  receives that follow. The replica borrows it.
int           fg_replica_quota_start (fg_replica_t *self, uint16_t peer, fg_rx_quota_t *quota) FG_WARN_UNUSED;
void          fg_replica_set_quota (fg_replica_t *self, fg_rx_quota_t *quota);

//  Receive entries (inside a transaction). `via` is the peer they came
//  from (NULL for a bundle or a local import); `from_child` says the peer
//  is a child, whose entries must be of its own subtree. Returns 0, -1
//  on a database error, or FG_RX_OVER_QUOTA past the lent quota (roll
//  back: nothing was taken). Refusals of entries from below are written
//  at the end, one `refusal` row per origin and reason for the call.
int           fg_replica_receive (fg_replica_t *self, const uint8_t *bytes, size_t size,
                                  const fg_node_t *via, bool from_child,
                                  fg_rx_stats_t *stats) FG_WARN_UNUSED;
//  The same for a run of entries; contiguous runs of one origin are
//  proven by their hash chain and the signature of their last entry.
int           fg_replica_receive_batch (fg_replica_t *self, const uint8_t **entries,
                                        const size_t *sizes, size_t count,
                                        const fg_node_t *via, bool from_child,
                                        fg_rx_stats_t *stats) FG_WARN_UNUSED;
//  The same for the entries of a BATCH, where elided [i] (NULL: none)
//  says entry i was carried elided and made whole from entry i - 1 (SPEC
//  §4.1): one made from an entry that was refused, whose own signature
//  then fails, is not judged (stats->unjudged; nothing stored, counted
//  against the session's quota of refused entries): its prev_hash is the
//  refused bytes' doing, so its sender is asked for it again rather than
//  have it refused in its origin's name.
int           fg_replica_receive_elided (fg_replica_t *self, const uint8_t **entries,
                                         const size_t *sizes, const bool *elided, size_t count,
                                         const fg_node_t *via, bool from_child,
                                         fg_rx_stats_t *stats) FG_WARN_UNUSED;

//  Nodes. enroll (on a parent) admits a child one level below and inside
//  this node's org; trust (on a child) pins its parent. Both record the
//  act in this node's log. 0, or -1 with the reason in errbuf.
//  Replace a child whose keys are lost (a dead disk, no backup) by a new
//  node with new keys, the same node id and org (fugai enroll --replace):
//  its chain continues in the next epoch after our copy (seq B), signed
//  by the new keys; the old key is kept (table node_key) and named in the
//  record, so that its entries still verify everywhere. Its own
//  transaction. 0, or -1 with the reason.
int           fg_replica_replace (fg_replica_t *self, const fg_node_t *child, const char *author,
                                  char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Re-enroll a child under its node id with the next keys it made (fugai
//  rekey; fugai enroll --rekey): as a replacement (the next epoch after
//  our copy, the old key kept and named in the record), but only if sig,
//  the certificate's rekey signature (fg_keys.h), verifies with the key
//  the child has now, and the child is not revoked. The child takes the
//  new epoch when the record reaches it (fg_replica_rekey_switch). Its own
//  transaction. 0, or -1 with the reason.
int           fg_replica_rekey (fg_replica_t *self, const fg_node_t *child, const uint8_t sig [FG_SIG_SIZE],
                                const char *author, char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  On the child: its key directory now holds the next keys (next, the
//  node they describe): until its parent's record of them arrives, own
//  writes wait (they would be signed with a key no one knows yet); the
//  record starts the new epoch (fg_replica_recover: writes of the old key
//  past the parent's copy are set aside and signed again with the next
//  keys) and ends the wait. cancel (next NULL) ends the wait without a
//  record, for an operator who put the old keys back. Its own
//  transaction. 0, or -1 with the reason.
int           fg_replica_rekey_switch (fg_replica_t *self, const fg_node_t *next,
                                       char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Whether the node waits for its parent's record of its next keys.
bool          fg_replica_rekeying (fg_replica_t *self);
//  A hub under new keys, re-trusted by its children (SPEC.md §1.1):
//  node_statement, on the node above the hub (the prefecture), gives the
//  bytes of the newest entry of its own chain that records node_id (the
//  record of enroll --replace), for a file (caller frees; NULL, with the
//  reason in fg_replica_error, if there is none). take_statement, on a
//  child of that hub, takes such an entry: only if it is signed by the
//  known ancestor one tier above its parent, records the parent as that
//  ancestor's child with the same tier and org and a higher epoch, and
//  retires the very key the child trusts for its parent. Then the entry
//  is logged, the old key kept (node_key), and the pinned parent takes the
//  new keys (*parent_p gets them; may be NULL). Its own transaction. 0, or
//  -1 with the reason.
uint8_t      *fg_replica_node_statement (fg_replica_t *self, uint16_t node_id, size_t *size_p);
int           fg_replica_take_statement (fg_replica_t *self, const uint8_t *bytes, size_t size,
                                         fg_node_t *parent_p, char *errbuf, size_t errsize) FG_WARN_UNUSED;
int           fg_replica_enroll (fg_replica_t *self, const fg_node_t *child, const char *author,
                                 char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  enroll refuses the key of a child revoked here, and a second child for
//  an org that already has one; FG_ENROLL_FORCE lets the operator do
//  either (fugai enroll --force).
#define FG_ENROLL_FORCE 1
int           fg_replica_enroll_with (fg_replica_t *self, const fg_node_t *child, unsigned flags,
                                      const char *author, char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  A child revoked here, by its CURVE key, with when it was revoked (ms);
//  0 found, -1 not.
int           fg_replica_revoked (fg_replica_t *self, const char *curve_pk, fg_node_t *node,
                                  int64_t *since_p);
int           fg_replica_trust (fg_replica_t *self, const fg_node_t *parent, const char *author,
                                char *errbuf, size_t errsize) FG_WARN_UNUSED;
int           fg_replica_revoke (fg_replica_t *self, uint16_t node_id, const char *author,
                                 char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  A trusted node by id or by CURVE key; 0 found (active), -1 not.
//  relation_p (may be NULL) gets self|parent|child|ancestor|other.
int           fg_replica_node (fg_replica_t *self, uint16_t node_id, fg_node_t *node,
                               char relation [16]);
int           fg_replica_node_by_curve (fg_replica_t *self, const char *curve_pk,
                                        fg_node_t *node, char relation [16]);
//  The pinned parent; 0 if there is one, -1 if none.
int           fg_replica_parent (fg_replica_t *self, fg_node_t *node);

//  Sync cursors. dir "in": the peer's lsn up to which this node has
//  committed what the peer sent; "out": this node's lsn the peer has
//  acknowledged. Missing cursors are 0.
uint64_t      fg_replica_cursor (fg_replica_t *self, uint16_t peer, const char *dir);
int           fg_replica_set_cursor (fg_replica_t *self, uint16_t peer, const char *dir,
                                     uint64_t cursor) FG_WARN_UNUSED;

//  Scan the log after `after` for what a peer lacks: upward (child NULL)
//  the entries of this node's subtree; downward the entries a child's
//  scope needs (not from its own subtree; anchored in its subtree, or
//  anchored above it with the down scope FG_DOWN_SUBTREE: the widest
//  `down` of the entry's tables in the catalogue, fg_schema.h; or with a
//  second anchor in its subtree: fg_schema.h `route`). For each,
//  fn returns 0 to take it or 1 to stop before it. At most max_rows log
//  rows are looked at. *last_p gets the last lsn the scan covered. While
//  the node waits for its parent's record of its next keys
//  (fg_replica_rekeying) the upward scan offers nothing.
typedef int (fg_scan_fn) (void *arg, uint64_t lsn, const uint8_t *entry, size_t size);
int           fg_replica_scan (fg_replica_t *self, const fg_node_t *child, uint64_t after,
                               size_t max_rows, fg_scan_fn *fn, void *arg,
                               uint64_t *last_p) FG_WARN_UNUSED;
//  This node's own-subtree entries of one origin from seq `from_seq` on,
//  in seq order (for repairing a peer's gap), at most max_rows.
int           fg_replica_scan_origin (fg_replica_t *self, uint16_t origin, uint64_t from_seq,
                                      size_t max_rows, fg_scan_fn *fn, void *arg) FG_WARN_UNUSED;
//  Gaps: origins inside `within` (an org code) whose next entries wait in
//  the buffer for a predecessor; fills up to max (origin, first missing
//  seq) pairs and returns how many.
typedef struct {
    uint16_t origin;
    uint64_t from_seq;
} fg_gap_t;
size_t        fg_replica_gaps (fg_replica_t *self, const char *within, fg_gap_t *gaps, size_t max);
//  A child whose log is not what our cursor assumes (it sent an entry
//  naming another predecessor): after a receive, the peer id whose up
//  stream must start again from 0, or 0 (and the request is cleared).
uint16_t      fg_replica_take_resync (fg_replica_t *self);
//  The hash of entry (origin, seq) held in the log: 0, or -1 if not held.
int           fg_replica_entry_hash (fg_replica_t *self, uint16_t origin, uint64_t seq,
                                     uint8_t hash [FG_HASH_SIZE]) FG_WARN_UNUSED;
//  When and from whom this node took the entry of `origin` stamped `hlc`
//  (a row's created_by and created_hlc): *received_at_p the ms of this
//  node's clock when it stored it, *via_p the node it came from (the
//  origin itself for a direct child's entry, 0 for its own). 0,
//  or -1 if no such entry is held.
int           fg_replica_entry_received (fg_replica_t *self, uint16_t origin, uint64_t hlc,
                                         int64_t *received_at_p, uint16_t *via_p) FG_WARN_UNUSED;
//  Frontier of one origin (seq 0 and zero hash if none held).
int           fg_replica_frontier (fg_replica_t *self, uint16_t origin, uint64_t *seq,
                                   uint8_t hash [FG_HASH_SIZE]) FG_WARN_UNUSED;
//  Number of entries a scan after `after` would offer.
uint64_t      fg_replica_pending (fg_replica_t *self, const fg_node_t *child, uint64_t after);
uint64_t      fg_replica_last_lsn (fg_replica_t *self);
//  Record what a sync actor sees of a link (state "connected",
//  "connecting", "refused: ...", last contact, round trip, the peer's
//  clock minus ours). Autocommit: call outside a transaction.
int           fg_replica_set_peer_status (fg_replica_t *self, uint16_t peer, const char *state,
                                          int64_t last_contact, int64_t rtt_ms,
                                          int64_t clock_offset_ms, const char *error) FG_WARN_UNUSED;
//  Changes whenever another connection commits (PRAGMA data_version).
int64_t       fg_replica_data_version (fg_replica_t *self);

//  How far this node knows the log of a node below it: what a rule needs
//  to tell a fact that is missing from one that has not arrived yet. For
//  the nodes strictly below this one whose org contains `org` (so the
//  nodes that may hold a record anchored at org: from this node's child
//  down to the record's home node), in order of depth: known_ms is the
//  time (hlc milliseconds) of the latest entry held from it (its chain is
//  complete up to there, so everything it wrote before is here too; 0:
//  nothing held), seq that entry's seq, last_heard when this node took it
//  (ms), last_contact the last contact on the link if it is a child (0
//  otherwise). An org with no node known at its level gives a row with
//  node_id 0 and that level's org code. Fills up to max; returns how many
//  there are.
typedef struct {
    uint16_t node_id;
    char     tier [16];
    char     org [16];
    int64_t  known_ms;
    uint64_t seq;
    int64_t  last_heard;
    int64_t  last_contact;
} fg_horizon_t;
size_t        fg_replica_horizons (fg_replica_t *self, const char *org, fg_horizon_t *out, size_t max);
//  A node silent for a while says so: when its last own entry is older
//  than silence_ms (sync/silence_hours), it writes a heartbeat entry
//  (engine table `heartbeat`, up only), whose time moves its horizon at
//  every node above, so a finding waiting on it can turn VIOLATED once
//  it is known past a deadline while it holds nothing. Bounded: one per
//  silence_ms of silence. Outside a transaction; not while recovering,
//  restoring or rekeying; the daemon calls it only while linked to a
//  parent that holds its chain as it does (fgp_child). *wrote_p says
//  whether it wrote one.
int           fg_replica_heartbeat (fg_replica_t *self, int64_t silence_ms, bool *wrote_p) FG_WARN_UNUSED;
int           fg_replica_counts (fg_replica_t *self, fg_counts_t *counts) FG_WARN_UNUSED;
//  The parent first, then the children by id: fills up to max and returns
//  how many there are (at most max).
size_t        fg_replica_links (fg_replica_t *self, fg_link_status_t *links, size_t max);
//  The node ids of this node's enrolled children (any status), at most
//  max, in id order: one indexed read, none of fg_replica_links' counts
//  (which scan the log for what waits to go down to each).
size_t        fg_replica_children (fg_replica_t *self, uint16_t *ids, size_t max);
//  What this node holds of every node inside an org subtree (`within`, an
//  org code; NULL for the whole tree it knows): itself, its children and
//  the nodes below them that it learned from their parents' records. For
//  each, the frontier of its chain held here (last seq, the time of that
//  entry from its hlc, and whether the chain forked), when that frontier
//  last moved here (last_heard), and for a direct link the last contact
//  of the sync actor. For reports of how far behind each node is; the
//  engine says nothing of what the entries carry. Returns a fresh array
//  (caller frees) ordered by org code, and the count in
//  *count_p; NULL and 0 if there are none or the read failed (then with
//  the reason in fg_replica_error).
typedef struct {
    uint16_t id;
    uint16_t parent_id;                  //  0 unknown
    char     tier [16];
    char     org [16];
    char     name [FG_NAME_MAX + 1];
    char     relation [16];              //  self, parent, child, ancestor, learned ...
    char     status [16];                //  the key: active, revoked
    char     chain [16];                 //  ok, forked, none (nothing held)
    uint64_t seq;                        //  last seq held (0 none)
    int64_t  last_entry_ms;              //  wall time of that entry's hlc (0 none)
    int64_t  last_heard;                 //  ms since epoch the frontier last moved here (0 never)
    int64_t  last_contact;               //  direct links: the sync actor's last contact (0 never)
} fg_origin_status_t;
fg_origin_status_t *fg_replica_origins (fg_replica_t *self, const char *within, size_t *count_p);
//  Drop every domain row and replay the log (one transaction). Every
//  logged entry is verified first: its bytes parse and are the entry its
//  row says (origin, seq, epoch), their BLAKE2b hash is the row's hash
//  column, an own-subtree chain is complete from seq 1 with each prev_hash
//  naming the entry before, and the origin's key signs it (a run of
//  linked entries of one origin and epoch by the signature of its last
//  entry, as receiving does: one Ed25519 check per run). If any entry is
//  damaged nothing is dropped: the transaction is rolled back, the file is
//  unchanged, and -1 is returned with an error that names the damaged
//  entries (origin/seq and what is wrong, the first few; each is also
//  logged) and the way out (restore from a backup; the parent holds a copy
//  of the subtree's entries; fugai resync PARENT). A schema upgrade at
//  open replays the same way, in one transaction with the upgrade: with a
//  damaged entry the open fails and the file keeps its older schema.
int           fg_replica_rebuild (fg_replica_t *self) FG_WARN_UNUSED;
int           fg_replica_digest (fg_replica_t *self, const char *org,
                                 uint8_t digest [FG_HASH_SIZE], size_t *rows_p) FG_WARN_UNUSED;

//  Forks and epochs (fg_replica_epoch.c). A node restored from an old
//  backup signs a second entry with a seq it already used: the first hub
//  that holds both quarantines the second (fork), keeps both, and stops
//  taking that chain. Recovery:
//  1. on the parent, fg_replica_new_epoch: the child's chain continues in
//     epoch E+1 from the parent's copy (its last seq B and hash H); the
//     record travels to the child and up the tree, and the chain is taken
//     again everywhere;
//  2. on the child, fg_replica_recover (run by the sync actor after each
//     batch from its parent): the entries of the forked branch (seq >= F)
//     are set aside, the true entries F..B come back from the parent (the
//     child asks with a want), then each set-aside entry is signed again in
//     the new epoch, with fresh ids for the rows it created. No write is
//     lost; the originals stay as evidence (table forked_own on the child,
//     the quarantine on the parent).
typedef struct {
    uint32_t epoch;
    uint64_t base_seq;                   //  B
    uint8_t  base_hash [FG_HASH_SIZE];   //  H
    uint64_t fork_seq;                   //  F
    uint64_t id_floor;
} fg_epoch_t;

typedef enum {
    FG_RECOVERY_NONE = 0,                //  nothing to recover
    FG_RECOVERY_WAITING = 1,             //  set aside; waiting for entries F..B
    FG_RECOVERY_DONE = 2                 //  re-signed; the node writes again
} fg_recovery_t;

//  On a parent: start the next epoch of a child whose chain forked. Its
//  own transaction. 0, or -1 with the reason.
int           fg_replica_new_epoch (fg_replica_t *self, uint16_t child_id, const char *author,
                                    fg_epoch_t *epoch, char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  On a parent: true when the entry of node origin at seq with this hash
//  (and prev_hash, or NULL) lies on a forked branch that a later epoch of
//  that node already resolved: a fork recorded here at or below seq, seq
//  at or below the epoch's base, and the entry refused here before or
//  following one that was. An entry of the old epoch met again there is
//  evidence, not a new fork; a child whose chain still ends there has not
//  taken its epoch yet. A branch never seen here below that base is a new
//  fork (the node restored again from a backup older than the epoch).
bool          fg_replica_fork_resolved (fg_replica_t *self, uint16_t origin, uint64_t seq,
                                        const uint8_t hash [FG_HASH_SIZE],
                                        const uint8_t prev_hash [FG_HASH_SIZE]);
//  On a child recovering (inside a transaction): its parent holds no more
//  of its own chain (an empty repair batch). If the chain it got back goes
//  on past the epoch's base through the parent's hash there (it had gone
//  on in that epoch before it was put back to an older backup), the
//  set-aside entries are signed again after its end. 0 (nothing to do,
//  or done; *resigned_p says how many), or -1.
int           fg_replica_recover_end (fg_replica_t *self, size_t *resigned_p) FG_WARN_UNUSED;
//  On a child (inside a transaction): act on a new epoch from its parent.
//  *resigned_p gets the number of entries signed again when DONE.
int           fg_replica_recover (fg_replica_t *self, fg_recovery_t *state,
                                  size_t *resigned_p) FG_WARN_UNUSED;
//  While recovering (or restoring), the first own seq still to come back
//  from the parent; 0 otherwise.
uint64_t      fg_replica_restore_from (fg_replica_t *self);
bool          fg_replica_recovering (fg_replica_t *self);
//  Restoring a node's own chain from its parent (a disk lost without a
//  backup, or a backup older than what the parent holds; fugai
//  restore-from-parent). fg_replica_restore_start (its own transaction)
//  marks the replica restoring (meta `restoring`, durable) and sets the
//  parent's cursor to 0, so that the parent sends the whole scope again
//  (a replica made anew trusts its parent after it: restoring, trusting
//  pins the parent without writing its record, which comes back).
//  While restoring, own writes are refused, fg_replica_restore_from gives
//  the next own seq wanted (the receiver asks for it in every ACK to the
//  parent, and the parent answers with repair batches), own entries from
//  the parent are taken in every epoch (the node takes the epoch of its
//  entries as they come), and fork recovery waits. A repair batch with no
//  entries (the parent holds nothing more of this node's chain) ends it:
//  fg_replica_restore_end (inside a transaction). 0 or -1 with the reason.
int           fg_replica_restore_start (fg_replica_t *self, char *errbuf, size_t errsize) FG_WARN_UNUSED;
bool          fg_replica_restoring (fg_replica_t *self);
int           fg_replica_restore_end (fg_replica_t *self) FG_WARN_UNUSED;
//  What a child does after taking entries from its parent (by sync or by a
//  bundle), inside the same transaction: act on a new epoch of its own
//  (fg_replica_recover), then, unless still recovering, let the programme
//  answer what arrived (hooks->on_from_parent: directive acknowledgements).
//  Any of the out-parameters may be NULL.
int           fg_replica_from_parent (fg_replica_t *self, const char *author,
                                      fg_recovery_t *recovery_p, size_t *resigned_p,
                                      size_t *acks_p) FG_WARN_UNUSED;

#endif
