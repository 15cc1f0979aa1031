/*  fg_record.h - the writes people make (clerks, operators), checked
    against the schema before anything is signed.

    The operator's command and the web console to come share these
    functions: one path for every write, each recording which operator
    made it (the entry's author). They refuse, with a reason naming the
    column and what is allowed, what the merge would reject anyway (an
    unknown column, a bad value, an org outside this node's subtree, a
    table this tier does not write). A write to a field group another tier
    owns is not refused: it is recorded, and becomes a proposal for the
    owner (result->proposals tells the caller so).

    Fields are given as name=value text, parsed by column type (dates
    YYYY-MM-DD, money in fen or yuan "12.50", booleans yes/no). The
    special field org_id is the org code the row belongs to (its anchor);
    it defaults to this node's own org. For org_unit, id is the code.

    The build functions add ops to an fg_ops_t inside the caller's
    transaction (several rows can then share one entry, as an import
    does); the plain ones do begin + build + append + commit.
*/
#ifndef FG_RECORD_H_INCLUDED
#define FG_RECORD_H_INCLUDED

#include "fg_replica.h"

typedef struct {
    const char *name;
    const char *value;
} fg_kv_t;

//  Split "name=value" into a kv (pointing into text, which is modified).
//  Returns 0, or -1 if there is no '='.
int  fg_kv_parse (char *text, fg_kv_t *kv) FG_WARN_UNUSED;

//  Build the ops of a new row; *id_p gets its id. Inside a transaction.
int  fg_record_build_add (fg_replica_t *replica, fg_ops_t *ops, const char *table,
                          const fg_kv_t *fields, size_t count, uint64_t *id_p,
                          char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Build the ops that change fields of an existing registry row.
int  fg_record_build_set (fg_replica_t *replica, fg_ops_t *ops, const char *table, uint64_t id,
                          const fg_kv_t *fields, size_t count,
                          char *errbuf, size_t errsize) FG_WARN_UNUSED;

//  Complete writes: one entry each. result (may be NULL) says what the
//  merge made of the ops (applied, proposals, rejected).
int  fg_record_add (fg_replica_t *replica, const char *table, const fg_kv_t *fields, size_t count,
                    const char *author, uint64_t *id_p, fg_merge_result_t *result,
                    char *errbuf, size_t errsize) FG_WARN_UNUSED;
int  fg_record_set (fg_replica_t *replica, const char *table, uint64_t id,
                    const fg_kv_t *fields, size_t count, const char *author,
                    fg_merge_result_t *result, char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Void an event row (a correction: the row stays, marked void).
int  fg_record_void (fg_replica_t *replica, const char *table, uint64_t id, const char *reason,
                     const char *author, char *errbuf, size_t errsize) FG_WARN_UNUSED;

//  The org_id of a row held here (0 if none).
uint64_t fg_record_anchor (fg_replica_t *replica, const char *table, uint64_t id);

//  A record batch: the one path for writes of many rows at once (a CSV
//  import, a pairing plan, provisional pairs, directive acknowledgements).
//  Rows are checked as fg_record_build_* checks them and cut into entries
//  of at most FG_BATCH_ROWS rows whose rows share one routing bucket: the
//  township of the row's org (for a village or township), else the org
//  itself, and the same of its second anchor (fg_schema.h `route`: a pair
//  and the township of its cadre). Entries travel down the tree by the org
//  of their rows, so each node receives only the entries of its own rows
//  (and of rows whose second anchor is in it). Everything happens in
//  the caller's transaction (fg_replica_begin ... commit): a batch the
//  caller rolls back leaves nothing.
//
//      fg_batch_t *batch = fg_batch_new (replica, "clerk1");
//      for (each row)
//          if (fg_batch_add (batch, "household", fields, count, &id, err, sizeof err))
//              break;
//      rc = fg_batch_flush (batch, err, sizeof err);
//      fg_batch_destroy (&batch);
#define FG_BATCH_ROWS 200            //  well under FG_OPS_MAX and the payload cap
typedef struct _fg_batch_t fg_batch_t;
typedef struct {
    uint64_t rows;                   //  rows added
    uint64_t entries;                //  entries appended
    uint64_t proposals;              //  ops the merge kept as proposals
} fg_batch_stats_t;

//  A batch writing as `author` (borrowed: it must outlive the batch).
fg_batch_t *fg_batch_new (fg_replica_t *replica, const char *author);
void        fg_batch_destroy (fg_batch_t **self_p);
//  A new row (org_id among the fields places it; this node's own org if
//  absent). *id_p gets its id. 0, or -1 with the reason in errbuf.
int         fg_batch_add (fg_batch_t *self, const char *table, const fg_kv_t *fields, size_t count,
                          uint64_t *id_p, char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Fields of a registry row held here.
int         fg_batch_set (fg_batch_t *self, const char *table, uint64_t id, const fg_kv_t *fields,
                          size_t count, char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Append the entry being filled, if it holds a row: the next row starts
//  an entry of its own. 0, or -1 with the reason in errbuf.
int         fg_batch_flush (fg_batch_t *self, char *errbuf, size_t errsize) FG_WARN_UNUSED;
const fg_batch_stats_t *fg_batch_stats (fg_batch_t *self);
fg_replica_t *fg_batch_replica (fg_batch_t *self);

#endif
