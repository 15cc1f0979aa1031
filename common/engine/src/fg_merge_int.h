/*  fg_merge_int.h - private state shared by fg_merge.c (validating and
    recording ops, digests) and fg_merge_rows.c (projecting rows). */
#ifndef FG_MERGE_INT_H_INCLUDED
#define FG_MERGE_INT_H_INCLUDED

#include "fg_merge.h"

//  Prepared statements of one schema table (none for a system table).
typedef struct {
    sqlite3_stmt *upsert;            //  write a row
    sqlite3_stmt *remove;            //  delete a row
    //  A workflow case (class W) only; the fold (fg_merge_rows.c, s_fold)
    sqlite3_stmt *fold_events;       //  its applied events in fold order, voided or not
    sqlite3_stmt *fold_verdict;      //  the verdict on one event
    sqlite3_stmt *fold_state;        //  the state, owner and counts of the case
} fg_merge__table_sql_t;

//  What a transaction knows of the op table's row ids: the highest row id
//  of table table_index in node `node`'s id space (-1: none). A row id
//  above it has no op yet, so the row's only op is the one being recorded
//  and it is computed without reading the op table back.
typedef struct {
    size_t   table_index;
    uint16_t node;
    int64_t  max;
} fg_merge__fresh_t;

#define FG_MERGE__FRESH 16

//  The one op of a fresh row, from the entry being merged (decoded
//  there: fg_merge_ops).
typedef struct {
    const fg_op_t *op;
    uint64_t       hlc;
    int64_t        origin;
    int64_t        seq;
    int            idx;
    const char    *author;
    const char    *origin_org;
} fg_merge__known_t;

//  The ops of the last entry decoded (fg_merge_ops): the programme's
//  on_ingest hook and the merge read one decoding of each op. Keyed by
//  the payload's address, size and the entry's hash: the ops point into
//  the payload, so the same bytes at the same place only.
typedef struct {
    const uint8_t *payload;
    size_t         payload_size;
    uint8_t        hash [FG_HASH_SIZE];
    fg_op_t       *ops;
    size_t         count;            //  ops that decoded, in order
    size_t         cap;
    int            end;              //  0 clean end; -1 op `count` does not
                                     //  decode; -2 the op count does not
    const uint8_t *bad_at;           //  where the undecodable rest starts
} fg_merge__decoded_t;

struct _fg_merge_t {
    sqlite3       *db;
    fg_merge__decoded_t decoded;
    int            origin_known;     //  node whose ops are held (this transaction), 0 none
    sqlite3_stmt  *op_max;           //  highest row id of a table in an id space
    fg_merge__fresh_t fresh [FG_MERGE__FRESH];
    size_t         fresh_count;
    int            flags_empty;      //  1: no clock_flag row (this transaction); 0: unknown
    sqlite3_stmt  *flag_any;
    sqlite3_stmt  *op_insert;        //  record one op
    sqlite3_stmt  *op_row;           //  applied ops of a row, in LWW order
    sqlite3_stmt  *flag_lookup;      //  is (origin, seq) flagged?
    sqlite3_stmt  *origin_org;       //  the org of a node, from its ops held here
    sqlite3_stmt  *node_ops;         //  a node's applied node records of other nodes
    fg_merge__table_sql_t *tables;           //  per schema table index
    char           error [256];
};

//  The ops that take part in projecting a row: the applied ones, and the
//  metadata writes found outside the row's place (rejected, not_owner),
//  whose verdict is taken again as more ops of the row arrive.
#define FG_MERGE_ROW_OPS "(outcome = 'applied' OR (outcome = 'rejected' AND reason LIKE 'not_owner:%'))"

int  fg_merge__fail (fg_merge_t *self, const char *what);
//  Recompute one row of a table (and what depends on it: a case whose
//  event it is, the rows an entry it flags touches).
int  fg_merge__recompute (fg_merge_t *self, size_t table_index, uint64_t row_id);
//  The same for a row whose only op is `known` (not read back).
int  fg_merge__recompute_known (fg_merge_t *self, size_t table_index, uint64_t row_id,
                                const fg_merge__known_t *known);
size_t fg_merge__table_index (const fg_table_t *table);
//  An org code (or any unsigned integer) as decimal text; dest holds 21 bytes.
void fg_merge__org_text (char *dest, uint64_t value);

#endif
