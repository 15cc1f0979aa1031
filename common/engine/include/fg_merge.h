/*  fg_merge.h - the domain tables as a projection of the log.

    Every operation of every accepted entry is recorded in the `op` table
    with its outcome, and each domain row is recomputed from the set of
    applied ops that touch it, sorted by (hlc, origin, seq, idx). A row is
    therefore a pure function of the set of entries a replica holds, not of
    the order they came in: that is the convergence property (DESIGN.md §4),
    and applying an entry twice changes nothing (idempotence).

    Authority, the one principle: a claim about a node or a row is
    accepted only from a node whose subtree contains it, checked on
    receipt at every tier. Hence: a row is written only from its place's
    subtree (below); a refusal or clock_flag (FG_TABLE_CLAIM: a claim about
    another node's entry, org_id its origin's org) only from a node strictly
    above that org that contains the origin (checked against the origin's
    ops held here, and again when its first entry arrives after the
    claim); a node record only from the subject's own parent or child,
    one tier away, never naming a second parent, never with the author's
    own key.

    Outcome of an op (decided from the op, its origin's tier and org, the
    schema, and for claims and metadata the ops of the same row or origin
    held here, re-decided as more arrive, so every replica ends the same):
      applied    it takes part in the row
      proposal   a registry write by a tier that does not own the field
                 group: kept, shown to the owner, not applied
      rejected   with a reason code: unknown_table, unknown_column,
                 wrong_kind, wrong_group, bad_value, missing_field,
                 bad_anchor, out_of_scope, foreign_id, not_author,
                 not_voidable, derived_column, malformed_payload, and
                 not_owner (metadata written from outside its place)

    Merge rules by class (DOMAIN.md §1):
      event      the earliest insert of an id defines the row; void ops
                 set voided/void_reason; nothing is deleted
      registry,  each column takes the value of the latest applied op that
      assignment carries it (last writer wins inside the owning tiers); org_id
                 follows the latest op of the table's anchor group
      metadata   placed like a registry row (created by the node whose id
                 space holds it; then written only by a node whose org
                 contains its place); the highest counted version gives the
                 row. A write from outside the place is rejected (not_owner),
                 not a proposal: no tier owns another subtree's metadata
*/
#ifndef FG_MERGE_H_INCLUDED
#define FG_MERGE_H_INCLUDED

#include "fg_common.h"
#include "fg_keys.h"
#include "fg_entry.h"
#include "fg_schema.h"

typedef struct _fg_merge_t fg_merge_t;

//  Result of merging one entry.
typedef struct {
    size_t applied;                  //  ops applied
    size_t proposals;                //  ops kept as proposals
    size_t rejected;                 //  ops rejected
    bool   touched_nodes;            //  the entry carried node (key) records
    char   anchor [24];              //  org code the entry routes to
    int    down;                     //  fg_down_t: widest down scope of its ops
                                     //  (rows anchored above a child reach it
                                     //  only if FG_DOWN_SUBTREE)
    char   also [24];                //  org code it also routes to (the common
                                     //  ancestor of its ops' second anchors,
                                     //  fg_schema.h `route`), "" if any op has none
} fg_merge_result_t;

//  Create the merger over an open database; creates the op table and the
//  domain tables if missing. NULL if SQLite fails.
fg_merge_t *fg_merge_new (sqlite3 *db);
void        fg_merge_destroy (fg_merge_t **self_p);

//  Merge an accepted entry authored by `origin` (inside the caller's
//  transaction). Returns 0, or -1 on a database error (the caller rolls
//  back). A malformed payload is not an error: its ops are recorded as
//  rejected and the chain goes on.
int         fg_merge_entry (fg_merge_t *self, const fg_node_t *origin,
                            const fg_entry_t *entry, fg_merge_result_t *result) FG_WARN_UNUSED;

//  The ops of `entry`, decoded once: the array of the ops that decode, in
//  order (*count_p of them; NULL if none), borrowed until the next call
//  with another entry or fg_merge_forget; each op points into the entry's
//  payload, which must stay where it is meanwhile. *end_p: 0 when the
//  payload ends cleanly after them, -1 when the next op does not decode,
//  -2 when the op count itself does not. fg_merge_entry reads the same.
const fg_op_t *fg_merge_ops (fg_merge_t *self, const fg_entry_t *entry, size_t *count_p, int *end_p);

//  Forget what the merger learned of the op table during a transaction
//  (which row ids are still unused): call at every begin, commit and
//  rollback, since another connection may write between transactions.
void        fg_merge_forget (fg_merge_t *self);

//  Empty the op table and every domain table (before a replay of the log).
int         fg_merge_clear (fg_merge_t *self) FG_WARN_UNUSED;

//  BLAKE2b-256 over the canonical contents of every domain row whose
//  org_id lies in the org subtree `org` (NULL or "" for all rows).
int         fg_merge_digest (fg_merge_t *self, const char *org,
                             uint8_t digest [FG_HASH_SIZE], size_t *rows_p) FG_WARN_UNUSED;

//  Text of the last database error.
const char *fg_merge_error (fg_merge_t *self);

#endif
