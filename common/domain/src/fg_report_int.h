/*  fg_report_int.h - what the report files share (fg_report.c): the
    context a report is built in, sections with the common metadata, and
    the grid (figures per org unit at the grouping level, filled by
    queries, drawn as rows with names). Private to libfugai-domain. */
#ifndef FG_REPORT_INT_H_INCLUDED
#define FG_REPORT_INT_H_INCLUDED

#include "fg_report.h"
#include "fg_org.h"
#include "fg_util.h"

//  The context of one build. Every query of a report binds the same
//  parameters (fg_report__prepare):
//      ?1 the scope's significant prefix   (substr (org_id, 1, length (?1)) = ?1)
//      ?2 the period's first day    ?3 its last day    ?4 the as-of day
//      ?5 the grouping's code length (6 county, 9 township, 12 village)
//      ?6 the grace days of P1
typedef struct {
    fg_replica_t *replica;
    char          org [16];              //  the scope's code
    char          org_name [FG_NAME_MAX + 1];
    char          prefix [16];
    int           level;                 //  of the scope (1..4)
    fg_report_by_t by;
    int           group_len;
    int64_t       from_day, to_day, as_of_day;
    int           grace_days;
    int64_t       now_ms;
    char          period [32];
    char         *frontier;              //  JSON {"origin": seq, ...}
    const char   *section;               //  the one section asked for, or NULL
} fg_report_ctx_t;

//  A report: fills `report` with its sections. 0, or -1 with errbuf.
typedef int (fg_report_fn) (fg_report_ctx_t *ctx, fg_report_t *report, char *errbuf, size_t errsize);

//  The reports (one file each in reports/)
fg_report_fn fg_report__coverage, fg_report__assistance, fg_report__appeals, fg_report__branches,
             fg_report__directives, fg_report__links, fg_report__temples, fg_report__must_visit,
             fg_report__cadence, fg_report__commendations;

//  A column of a section: its name and headings.
typedef struct {
    const char *name;
    const char *zh;
    const char *en;
} fg_report_col_t;

//  A new section with the context's metadata, its title and its columns
//  (a NULL-named entry ends the list); add it to the report when filled.
fg_rows_t    *fg_report__section (fg_report_ctx_t *ctx, const char *report, const char *section,
                                  const char *title_zh, const char *title_en,
                                  const fg_report_col_t *columns);
//  Ask for a bar chart: "LABEL_COL:VALUE_COL,..." with its titles.
void          fg_report__chart (fg_rows_t *rows, const char *spec, const char *title_zh,
                                const char *title_en);
//  The report takes the section.
void          fg_report__add (fg_report_t *report, fg_rows_t **rows_p);
//  Prepare a statement with the context's parameters bound; NULL with
//  SQLite's message in errbuf.
sqlite3_stmt *fg_report__prepare (fg_report_ctx_t *ctx, const char *sql, char *errbuf, size_t errsize);
//  Append every result row of the statement to rows (integers as numbers,
//  text as text, NULL as null), then finalize it. 0, or -1 with errbuf.
int           fg_report__append (sqlite3_stmt *stmt, fg_rows_t *rows, char *errbuf, size_t errsize);
//  The name of an org code as this node holds it (name_zh), or the code.
void          fg_report__org_name (fg_report_ctx_t *ctx, const char *code, char *name, size_t size);
//  Day and time texts.
void          fg_report__date (int64_t day, char out [16]);

//  The grid: integer figures per org unit at the grouping level. Its
//  columns are counted (FG_GRID_INT), money in fen shown in yuan
//  (FG_GRID_YUAN), or derived when drawn: a percentage num/den
//  (FG_GRID_PCT) or a ratio with one decimal (FG_GRID_RATIO).
typedef enum { FG_GRID_INT, FG_GRID_YUAN, FG_GRID_PCT, FG_GRID_RATIO } fg_grid_kind_t;
typedef struct {
    const char    *name;
    const char    *zh;
    const char    *en;
    fg_grid_kind_t kind;
    int            num, den;             //  column indexes, for PCT and RATIO
} fg_grid_col_t;

typedef struct _fg_grid_t fg_grid_t;
//  A grid over the org units of the scope at the grouping level (every
//  unit held in org_unit, active on the as-of day, shows even with zeros).
fg_grid_t    *fg_report__grid_new (fg_report_ctx_t *ctx, const fg_grid_col_t *columns,
                                   char *errbuf, size_t errsize);
void          fg_report__grid_destroy (fg_grid_t **self_p);
//  Run a query whose rows are (code, v1, v2, ...): the values go into the
//  grid's columns first, first + 1, ... of that code's row (added if the
//  unit was not listed). 0, or -1 with errbuf.
int           fg_report__grid_query (fg_grid_t *self, int first, const char *sql,
                                     char *errbuf, size_t errsize);
//  Add value to a column of the row of org's unit at the grouping level
//  (its code cut to the grouping's length; added if not listed).
void          fg_report__grid_add (fg_grid_t *self, const char *org, int column, int64_t value);
//  The section: code, name, then the columns; a last row of totals
//  (code null, name the scope's; metadata total_row = 1).
fg_rows_t    *fg_report__grid_rows (fg_grid_t *self, const char *report, const char *section,
                                    const char *title_zh, const char *title_en);

#endif
