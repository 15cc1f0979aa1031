/*  fg_listing.h - the records of a table as an operator asks for them
    (fugai list, fugai show): filtered, searched, sorted, and one record
    with the records that refer to it. Functions of a replica that return
    rows (fg_rows.h); values formatted by their column type (dates as
    YYYY-MM-DD). Generic over the catalogue: no table is named here.

    A record refers to a record of table T through a column of type
    FG_COL_ID named T_id or ..._T_id (household_id, parent_household_id),
    or through a column P_id whose companion enum column P_kind holds T
    (visit.target_id when target_kind = 'household').
*/
#ifndef FG_LISTING_H_INCLUDED
#define FG_LISTING_H_INCLUDED

#include "fg_replica.h"
#include "fg_rows.h"

#define FG_LISTING_WHERE_MAX 16

typedef struct {
    const char *where [FG_LISTING_WHERE_MAX];   //  "column=value", all must hold
    size_t      where_count;
    const char *search;         //  text any text column contains (NULL: any row)
    const char *sort;           //  "col,-col" (- descending); NULL: by id
    int64_t     limit;          //  -1: every row
} fg_listing_query_t;

//  Return codes of fg_listing_*: 0, or
#define FG_LISTING_BAD     -1   //  the question is wrong (no such table, column, value)
#define FG_LISTING_BROKEN  -2   //  the replica cannot be read

//  The rows of a domain table (id, org_id, its columns, voided for events,
//  created_by, author) that match the query, into *rows_p (the caller
//  destroys it). On error *rows_p is NULL and errbuf says why, with the
//  nearest table or column name suggested.
int  fg_listing_list (fg_replica_t *replica, const char *table, const fg_listing_query_t *query,
                      fg_rows_t **rows_p, char *errbuf, size_t errsize);
//  One record: *record_p gets one row of every column (system columns
//  included); *referrers_p the records that refer to it, one row each:
//  table, column, id, org_id, summary (its first few fields). A record not
//  held here is FG_LISTING_BAD ("no household 12 here").
int  fg_listing_show (fg_replica_t *replica, const char *table, uint64_t id, fg_rows_t **record_p,
                      fg_rows_t **referrers_p, char *errbuf, size_t errsize);

#endif
