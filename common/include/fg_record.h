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

void fg_record_test (bool verbose);

#endif
