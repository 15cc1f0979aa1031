/*  fg_inspect.h - what an operator looks at in a replica's own tables:
    its log, what was refused at or about it, and a full check of the
    file and of every logged entry. Functions of a replica returning rows
    (fg_rows.h) that a screen renders (`fugai log`, `fugai quarantine
    list`, `fugai check`): the screens hold no SQL. Each returns NULL
    with the reason in errbuf when the replica cannot be read.
*/
#ifndef FG_INSPECT_H_INCLUDED
#define FG_INSPECT_H_INCLUDED

#include "fg_replica.h"
#include "fg_rows.h"

//  The newest `limit` entries of the log (of node `origin`, or of every
//  node when 0), newest first: lsn, origin, seq, when (the hlc's time,
//  ISO 8601), tick (its logical counter, which orders entries stamped in
//  the same millisecond), author, anchor, from_node, ops.
fg_rows_t  *fg_inspect_log (fg_replica_t *replica, uint16_t origin, int64_t limit,
                            char *errbuf, size_t errsize);

//  What was refused, in sections, each rows with the metadata "heading"
//  (a title for people) and "key" (a name for JSON): entries refused
//  here, refusals recorded in the tree about this subtree, workflow
//  transitions the fold rejected (one section per workflow table), and
//  operations the merge rejected. Every section is returned, empty or
//  not; *count_p says how many. NULL on a read error (sections so far
//  freed).
fg_rows_t **fg_inspect_refused (fg_replica_t *replica, size_t *count_p,
                                char *errbuf, size_t errsize);
void        fg_inspect_sections_destroy (fg_rows_t ***sections_p, size_t count);

//  A full check: SQLite's integrity_check, then every logged entry
//  parses and verifies with the key its origin had in the entry's epoch
//  (a retired key before a replacement), and the chains of this node's
//  subtree link without a gap. Problems as rows (where, problem): none
//  when the replica is sound. *entries_p is the number of entries checked.
fg_rows_t  *fg_inspect_check (fg_replica_t *replica, uint64_t *entries_p,
                              char *errbuf, size_t errsize);

#endif
