/*  fgb_same.h - the same-writes baseline of fugai-bench: raw SQLite making
    exactly the row writes a hub makes to store what it receives, with no
    reads, no parsing, no verification and no link, batched as the hub
    batches them. Bench code only.

    What a hub writes per received entry (fg_replica_log.c s_store and
    fg_merge.c fg_merge_entry), each with the hub's own SQL text:
        log       one row: the entry's bytes, hash, anchor, up, via, down,
                  also ...
        op        one row per op (the op's bytes, outcome, rank)
        domain    one row per distinct row the ops touch (INSERT OR REPLACE
                  of the whole row, as fg_merge_rows.c s_write)
        frontier  one upsert of the origin's frontier
    and per received batch (fgp_stream.c s_apply): one transaction, the
    link's cursor (fg_replica_set_cursor) and the hybrid clock the batch
    moved (the meta row fg_replica_commit writes). A batch holds entries up to
    sync/batch_bytes (256 KiB by default) as the sender gathers them.

    The rows are the real ones: a township node writes the households
    through the library (the caller's writer), and the rows its replica
    then holds (log, op, household) are read into memory; each run
    replays them, as a county would store them, into a fresh file whose
    schema is the replica's own (tables and indexes copied from it).
*/
#ifndef FGB_SAME_H_INCLUDED
#define FGB_SAME_H_INCLUDED

#include "fg_replica.h"

typedef struct _fgb_same_t fgb_same_t;

//  Writes `rows` households starting at `first`, per_entry to an entry, in
//  the caller's transaction; 0 or -1.
typedef int (fgb_same_writer_fn) (fg_replica_t *replica, uint64_t first, size_t rows, size_t per_entry);

//  Make the workload in directory dir (created): a township writes
//  `households` households, per_entry to an entry, with `writer`; its rows
//  are read into memory. NULL on failure (reported with fgb_problem).
fgb_same_t *fgb_same_new (const char *dir, size_t households, size_t per_entry, fgb_same_writer_fn *writer);
void        fgb_same_destroy (fgb_same_t **self_p);
//  One run into a fresh file at path (removed after): the first
//  max_entries entries (0: all); entries_per_txn 0 batches them as a hub
//  receives them (batch_bytes of entries per transaction), else that many
//  entries per transaction. Returns the seconds it took, or -1 (reported
//  with fgb_problem). The rows written are counted against the workload.
double      fgb_same_run (fgb_same_t *self, const char *path, size_t max_entries, size_t entries_per_txn);
//  The workload: entries, households (domain rows), transactions of a
//  hub-batched run, and the SQL writes per entry (log, ops, rows, frontier).
size_t      fgb_same_entries (const fgb_same_t *self);
size_t      fgb_same_rows (const fgb_same_t *self);
size_t      fgb_same_batches (const fgb_same_t *self);
double      fgb_same_writes_per_entry (const fgb_same_t *self);

#endif
