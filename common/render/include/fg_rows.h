/*  fg_rows.h - rows for people and programs: a table of text cells drawn
    as a human table (columns padded by display width, CJK counted double,
    long text cut), a JSON array of objects, or CSV (RFC 4180). The domain
    returns rows; screens (the operator's command, the web console) fill
    an fg_rows_t and print it. Knows nothing of SQL or the programme.

        fg_rows_t *rows = fg_rows_new (FG_FORMAT_TEXT);
        fg_rows_column (rows, "township");
        fg_rows_column (rows, "households");
        fg_rows_value (rows, "513328100", false);
        fg_rows_value (rows, "412", true);
        fg_rows_row_end (rows);
        fg_rows_print (rows, stdout);
        fg_rows_destroy (&rows);
*/
#ifndef FG_ROWS_H_INCLUDED
#define FG_ROWS_H_INCLUDED

#include "fg_common.h"

typedef enum { FG_FORMAT_TEXT, FG_FORMAT_JSON, FG_FORMAT_CSV } fg_format_t;

typedef struct _fg_rows_t fg_rows_t;

fg_rows_t *fg_rows_new (fg_format_t format);
void  fg_rows_destroy (fg_rows_t **rows_p);
//  Add a column (before the first value).
void  fg_rows_column (fg_rows_t *rows, const char *name);
//  The next value of the current row (copied); `number` says JSON may
//  print it bare.
void  fg_rows_value (fg_rows_t *rows, const char *value, bool number);
void  fg_rows_null (fg_rows_t *rows);
//  End the current row (a short row is padded with nulls).
void  fg_rows_row_end (fg_rows_t *rows);
//  In a human table, drop the columns empty in every row.
void  fg_rows_hide_empty (fg_rows_t *rows);
//  Print every row in the rows' format.
void  fg_rows_print (fg_rows_t *rows, FILE *file);
//  A JSON string literal of text.
void  fg_json_string (FILE *file, const char *text);

#endif
