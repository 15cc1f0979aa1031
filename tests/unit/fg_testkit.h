/*  fg_testkit.h - fixtures shared by the self-tests: a node with real keys
    and a real replica file in a scratch directory; for tests of the merge
    alone, an author of signed entries and an in-memory database. Test
    code only. */
#ifndef FG_TESTKIT_H_INCLUDED
#define FG_TESTKIT_H_INCLUDED

#include "fg_replica.h"
#include "fg_programme.h"
#include "fg_rows.h"

typedef struct {
    fg_keys_t    *keys;
    fg_node_t     node;
    fg_replica_t *replica;
} fg_testnode_t;

//  A scratch directory /tmp/NAME.PID (created; caller frees the string).
char   *fg_testkit_dir (const char *name);
//  Remove a scratch directory and everything in it.
void    fg_testkit_rmdir (const char *dir);
//  A node with fresh keys and a replica file DIR/ORG.db.
void    fg_testkit_node (fg_testnode_t *node, const char *dir, uint16_t id, fg_tier_t tier,
                         const char *org, const char *name);
void    fg_testkit_node_destroy (fg_testnode_t *node);
//  Parent enrolls child and child trusts parent; asserts it works.
void    fg_testkit_link (fg_testnode_t *parent, fg_testnode_t *child);
//  The usual chain, linked: prefecture 513300 (node 1), county 513328
//  (128) named county_name, township 513328100 (28100) named town_name.
void    fg_testkit_chain (const char *dir, fg_testnode_t *pref, fg_testnode_t *county, fg_testnode_t *town,
                          const char *county_name, const char *town_name);
//  The chain's end: its three nodes destroyed, the scratch directory
//  removed and *dir_p freed (the end of a test that began with the two
//  calls fg_testkit_dir and fg_testkit_chain).
void    fg_testkit_chain_end (char **dir_p, fg_testnode_t *pref, fg_testnode_t *county, fg_testnode_t *town);
//  Write a household in a village at a township node; returns its id.
uint64_t fg_testkit_household (fg_testnode_t *node, const char *village, const char *head);
//  What a scan offers, copied (the scan's bytes live only during the
//  call): pass fg_testkit_collect and a zeroed batch to fg_replica_scan.
typedef struct {
    uint8_t **entries;
    size_t   *sizes;
    size_t    count;
    size_t    alloc;
} fg_testbatch_t;
int     fg_testkit_collect (void *batch, uint64_t lsn, const uint8_t *entry, size_t size);
//  Free what a batch holds; it can collect again.
void    fg_testkit_batch_free (fg_testbatch_t *batch);
//  Move everything `from` has for `to` (to is from's parent if up, else
//  its child), as a sync would, and acknowledge the directives received.
fg_rx_stats_t fg_testkit_sync (fg_testnode_t *from, fg_testnode_t *to, bool up);
//  The cell of rows at (row, column name), "" if null; the column must
//  be there (asserted).
const char *fg_testkit_cell (const fg_rows_t *rows, size_t row, const char *name);
//  First column of the first row of a query, or -1.
int64_t fg_testkit_int (fg_testnode_t *node, const char *sql);
//  Write a row of TABLE at a node through the checked write path, from
//  "name=value" strings ending with NULL; asserts it is taken, returns
//  its id.
uint64_t fg_testkit_add (fg_testnode_t *node, const char *table, ...);
//  Damage a blob cell as a bad sector would: XOR 0xFF one byte of
//  TABLE.COLUMN of the rows (origin, seq) (table log or op), at offset
//  from the start, or from the end if negative. Twice restores the cell.
void    fg_testkit_flip (sqlite3 *db, const char *table, const char *column, uint16_t origin,
                         uint64_t seq, int offset);

//  An author of signed entries, without a replica (tests of fg_merge).
typedef struct {
    fg_node_t  node;
    fg_keys_t *keys;
    uint64_t   seq;                      //  last seq signed
    uint8_t    prev [FG_HASH_SIZE];      //  hash of that entry
    uint64_t   counter;                  //  last id counter given out
} fg_testauthor_t;

//  The five authors of the merge tests, with fresh keys, in this order:
//  townships 513328100 (node 28100) and 513328101 (28101), their county
//  513328 (128), the prefecture 513300 (1), and the county 513329 (129)
//  of another subtree.
#define FG_TESTKIT_AUTHORS 5
void     fg_testkit_authors (fg_testauthor_t authors [FG_TESTKIT_AUTHORS]);
void     fg_testkit_authors_destroy (fg_testauthor_t authors [FG_TESTKIT_AUTHORS]);
//  The author's next node-prefixed id.
uint64_t fg_testkit_author_id (fg_testauthor_t *author);
//  Sign the ops (consumed) as the author's next entry, stamped hlc;
//  returns the bytes (caller frees) and their size in *size_p.
uint8_t *fg_testkit_sign (fg_testauthor_t *author, fg_ops_t **ops_p, uint64_t hlc,
                          size_t *size_p);
//  Parse an entry and merge it as the author's; asserts both work.
void     fg_testkit_merge (fg_merge_t *merge, fg_testauthor_t *author, const uint8_t *bytes,
                           size_t size, fg_merge_result_t *result);
//  A script of signed entries, in the order they were written.
#define FG_TESTSCRIPT_MAX 512
typedef struct {
    uint8_t         *bytes [FG_TESTSCRIPT_MAX];
    size_t           sizes [FG_TESTSCRIPT_MAX];
    fg_testauthor_t *by [FG_TESTSCRIPT_MAX];     //  the author of each
    size_t           count;
} fg_testscript_t;
//  Sign the ops (consumed) as the author's next entry, stamped hlc, and
//  add it to the script; returns its index.
size_t   fg_testkit_script_add (fg_testscript_t *script, fg_testauthor_t *author,
                                fg_ops_t **ops_p, uint64_t hlc);
//  Merge the script's entries in the order given (indexes; NULL for the
//  script's own order), each as its author's.
void     fg_testkit_script_merge (fg_testscript_t *script, fg_merge_t *merge, const size_t *order);
//  Free the entries; the script is empty again.
void     fg_testkit_script_free (fg_testscript_t *script);
//  An in-memory database with a merger over it (destroy and close both).
sqlite3 *fg_testkit_merge_db (fg_merge_t **merge_p);
//  First column of the first row of a query (printf format, sqlite3's
//  mprintf), or -1 if there is no row or the value is NULL.
int64_t  fg_testkit_db_int (sqlite3 *db, const char *format, ...) CHECK_PRINTF (2);
//  The same as fresh text (caller frees), or NULL.
char    *fg_testkit_db_text (sqlite3 *db, const char *format, ...) CHECK_PRINTF (2);
//  A random interleaving (by random ()) of count entries that keeps each
//  author's own order: by [i] is the author of entry i, one of the
//  author_count authors; order gets the entry indexes in the new order.
void     fg_testkit_interleave (fg_testauthor_t *const *by, size_t count,
                                const fg_testauthor_t *authors, size_t author_count,
                                size_t *order);

#endif
