/*  fg_schema.h - the schema machinery: tables, columns, field groups, owners.

    One static catalogue of definitions drives everything that depends on
    the shape of the data: the SQL of the domain tables, the checks an
    incoming operation must pass, which tier owns which field group, how a
    table merges (its record class, DOMAIN.md §1), and how the operator
    command parses and prints values. The engine defines the machinery and
    its own three tables; the programme's catalogue (common/domain,
    fg_catalogue.c) is installed at open. Adding a table means adding its
    definition there; no other file lists columns.

    Every domain table has, besides its own columns:
        id           INTEGER PRIMARY KEY   node-prefixed id (org_unit: the code)
        org_id       INTEGER NOT NULL      the org code the row belongs to
        created_by   INTEGER NOT NULL      node that authored the row's first op
        created_hlc  INTEGER NOT NULL      hlc of that op
        updated_hlc  INTEGER NOT NULL      hlc of the latest applied op
        author       TEXT                  operator who made the latest applied op
    and event tables also voided INTEGER (0/1) and void_reason TEXT.
    All of them are a function of the log, so two replicas holding the same
    entries hold the same rows (see fg_merge).
*/
#ifndef FG_SCHEMA_H_INCLUDED
#define FG_SCHEMA_H_INCLUDED

#include "fg_common.h"
#include "fg_ops.h"
#include "fg_rows.h"

//  Record classes (DOMAIN.md §1); each fixes a merge rule in fg_merge.
typedef enum {
    FG_CLASS_EVENT,          //  V: grow-only; corrections are void ops
    FG_CLASS_REGISTRY,       //  R: field groups, each owned by tiers; LWW
    FG_CLASS_ASSIGNMENT,     //  S: single-writer plans from a hub
    FG_CLASS_CASE,           //  W: fold of its events with owner checks
    FG_CLASS_META,           //  M: versioned, only a higher version applies
    FG_CLASS_DERIVED         //  D: recomputed, never merged
} fg_class_t;

//  Column types: how a value is checked, stored, parsed and printed.
typedef enum {
    FG_COL_INT,              //  integer
    FG_COL_TEXT,             //  UTF-8 text
    FG_COL_BLOB,             //  bytes (hex on the command line)
    FG_COL_BOOL,             //  0 or 1
    FG_COL_DATE,             //  days since 1970-01-01 (YYYY-MM-DD outside)
    FG_COL_ID,               //  a record id
    FG_COL_ORG,              //  an org code (fg_org.h)
    FG_COL_ENUM,             //  text, one of `values` ("a|b|c")
    FG_COL_FEN               //  money, integer fen (1/100 yuan), >= 0
} fg_coltype_t;

#define FG_COL_REQUIRED   1  //  the op that creates the row must carry it
#define FG_COL_DERIVED    2  //  computed by the merge (a case's state): no op writes it
#define FG_COL_INDEXED    4  //  rows are looked up by it (a household's members, visits, the
                             //  references the rules follow): the replica keeps an index on it

typedef struct {
    const char   *name;
    fg_coltype_t  type;
    const char   *group;     //  field group (R, S, M tables); NULL otherwise
    unsigned      flags;
    const char   *values;    //  ENUM: allowed values "a|b|c"
    const char   *doc;       //  one line of prose
    const char   *label;     //  optional: the column's name for people in the
                             //  programme's language (a CSV header may use it)
} fg_column_t;

typedef struct {
    const char *name;
    unsigned    owners;      //  tiers whose writes apply (fg_tier_t flags)
    const char *doc;
} fg_group_t;

#define FG_TABLE_ID_IS_ORG  1    //  row id is an org code (org_unit)
#define FG_TABLE_SYSTEM     2    //  not a domain table (node): no DDL, no digest
#define FG_TABLE_NO_VOID    4    //  events corrected otherwise (a reversal, a new
                                 //  version, a superseding row) or never
#define FG_TABLE_CLAIM      8    //  a claim about another node's entry (refusal,
                                 //  clock_flag): column `origin` names it, org_id
                                 //  is its org; only a node above that org writes it

//  Workflow cases (class W): the state and owner of a case are a fold of
//  its events in (hlc, origin, seq, idx) order. Each event names a
//  transition; it applies only if the case is in one of the `from` states
//  and the event's author (its origin node's org) may make it at that
//  point; otherwise it is kept, marked rejected with the reason.
#define FG_WHO_OWNER   1        //  the node whose org owns the case
#define FG_WHO_ABOVE   2        //  a node whose org contains the owner's

typedef enum {
    FG_OWNER_KEEP,              //  the owner does not change
    FG_OWNER_UP,                //  owner := the event's owner column (default: the
                                //  author's org), which must contain the current owner
    FG_OWNER_DOWN               //  owner := the event's owner column, inside the
                                //  author's org (default: unchanged)
} fg_owner_move_t;

typedef struct {
    const char     *name;       //  value of the event's transition column
    const char     *from;       //  states it may follow ("a|b"), "*" any non-terminal
    const char     *to;         //  state after it; NULL for an annotation
    unsigned        who;        //  FG_WHO_* flags
    fg_owner_move_t owner;
} fg_transition_t;

typedef struct {
    const char            *event_table;       //  table of the case's events
    const char            *case_column;       //  event column naming the case
    const char            *transition_column; //  event column naming the transition
    const char            *owner_column;      //  event column with a new owner, or NULL
    const char            *initial;           //  state of a new case
    const char            *terminal;          //  states nothing follows ("a|b")
    const fg_transition_t *transitions;       //  {NULL} terminated
} fg_workflow_t;

//  Down scope of a table: which of its rows anchored ABOVE a node (at one
//  of its ancestors) are routed down to it. Rows anchored at the node or
//  inside its subtree always reach it, whatever the kind (so every tier
//  agrees on the digest of any subtree). The engine reads the kind from
//  the installed catalogue; an entry routes by the widest kind of its ops.
typedef enum {
    FG_DOWN_SUBTREE = 0,        //  rows of the ancestors reach every descendant
                                //  (registries, plans, directives, metadata)
    FG_DOWN_REFERENCED,         //  rows of the ancestors are not routed down by
                                //  the log; what a child needs of one reaches it
                                //  as a row anchored in the child (e.g. the
                                //  pair_contact a pairing writes for its cadre)
    FG_DOWN_UP_ONLY             //  internal records of the author's tier: never
                                //  routed below the org they are anchored at
} fg_down_t;

typedef struct {
    const char          *name;
    fg_class_t           cls;
    unsigned             authors;      //  tiers that may create rows
    unsigned             flags;
    const char          *anchor_group; //  group whose ops place the row (R/S/W/M)
    const fg_group_t    *groups;       //  {NULL} terminated; NULL for events
    const fg_column_t   *columns;      //  {NULL} terminated
    const char          *doc;
    const fg_workflow_t *workflow;     //  class W: how its events fold
    fg_down_t            down;         //  down scope (default FG_DOWN_SUBTREE)
    const char          *route;        //  FG_COL_ORG column naming a second anchor,
                                       //  or NULL (see below)
} fg_table_t;

//  A second anchor (`route`): a row of such a table also reaches the
//  subtree of the org in its route column (e.g. a pairing anchored at the
//  household's village also reaches the township of its cadre). The value
//  is the op's, or the row's as held here when the op does not write it;
//  it counts only inside the author's own subtree (a claim about where a
//  row goes is accepted only from a node whose subtree contains it). An
//  entry routes to it only when every op it applies has one (fg_merge.h:
//  `also`), so the nodes it reaches receive no row of another kind; the
//  writer cuts entries so that their rows share one (fg_record.h).

//  Install a programme's table catalogue (its array lives as long as the
//  process). The catalogue is then its tables followed by the engine's own
//  (refusal, clock_flag, heartbeat, node); before, the engine's alone. Call it before
//  starting threads that read the schema; installing the same array again
//  does nothing, another one is a programming error (asserted).
void               fg_schema_install (const fg_table_t *tables, size_t count);
size_t             fg_schema_table_count (void);
const fg_table_t  *fg_schema_table_at (size_t index);
//  Table by name, or NULL.
const fg_table_t  *fg_schema_table (const char *name);
const fg_column_t *fg_schema_column (const fg_table_t *table, const char *name);
const fg_group_t  *fg_schema_group (const fg_table_t *table, const char *name);
size_t             fg_schema_column_count (const fg_table_t *table);
//  The case table whose workflow folds the events of `event_table`, or NULL.
const fg_table_t  *fg_schema_case_of (const char *event_table);
//  A transition of a workflow by name, or NULL.
const fg_transition_t *fg_schema_transition (const fg_workflow_t *workflow, const char *name);
//  True if `value` is one of the "a|b|c" alternatives.
bool               fg_schema_in_list (const char *list, const char *value, size_t size);
const char        *fg_class_name (fg_class_t cls);
//  True if the class merges by field groups (registry, assignment, meta).
bool               fg_class_has_groups (fg_class_t cls);

//  The domain table (or column of a table, id and org_id included) whose
//  name is closest to a mistyped one, or NULL (fg_suggest).
const char        *fg_schema_suggest_table (const char *name);
const char        *fg_schema_suggest_column (const fg_table_t *table, const char *name);

//  CREATE TABLE statement (and indexes) for a domain table; caller frees.
char              *fg_schema_ddl (const fg_table_t *table);

//  CREATE VIEW statement of the analysts' view of a domain table, v_TABLE
//  (caller frees): the same rows with dates as YYYY-MM-DD text, money in
//  yuan (a column x_fen becomes x_yuan, a REAL), and created_at /
//  updated_at as ISO 8601 UTC times from the row's hlcs (`sqlite3 data.db
//  "select * from v_household"`): generic over column types, no table named.
char              *fg_schema_view_sql (const fg_table_t *table);
//  Make every view of the catalogue whose SQL in the file differs from
//  fg_schema_view_sql's (or that is missing), in one savepoint; nothing is
//  written when all are as they should be. The replica does it at open.
//  0, or -1 with SQLite's message in errbuf.
int                fg_schema_make_views (sqlite3 *db, char *errbuf, size_t errsize);

//  Check a value against its column: 0, or -1 with a reason in errbuf.
int                fg_schema_check_value (const fg_column_t *column, const fg_value_t *value,
                                          char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Parse an operator's text for a column into *value_p, checked against
//  the column ("" or "null" gives FG_VAL_NULL). A text value points into
//  text; a blob's bytes are allocated into *bytes_p (the caller frees it;
//  NULL for other types). Returns 0, or -1 with a reason.
int                fg_schema_parse (const fg_column_t *column, const char *text, fg_value_t *value_p,
                                    uint8_t **bytes_p, char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  The same, setting the value on the current op.
int                fg_schema_parse_value (const fg_column_t *column, const char *text,
                                          fg_ops_t *ops, char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Render a stored SQLite value of a column for people; caller frees.
char              *fg_schema_format_value (const fg_column_t *column, sqlite3_stmt *stmt, int index);
//  Every row of a statement as rows (its result columns by name); the
//  statement is stepped, not finalized. A result column that names a
//  column of `table` (may be NULL) is formatted by its schema type (dates
//  as dates); other integers are numbers, except record ids and org codes
//  (a column of type FG_COL_ID or FG_COL_ORG, or a result column named id,
//  org_id or *_id), which are marked text so that JSON gives them as
//  strings (64-bit ids do not survive a double). NULL with SQLite's
//  message in errbuf if a step fails.
fg_rows_t         *fg_schema_rows (sqlite3_stmt *stmt, const fg_table_t *table,
                                   char *errbuf, size_t errsize);

//  Every table through the real merge, and the workflows' folds

#endif
