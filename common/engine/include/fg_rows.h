/*  fg_rows.h - rows of text cells with named columns: what the domain's
    reports and listings return and the rendering layer draws (as a human
    table, CSV, JSON, and next HTML). A cell is text or null, and knows
    whether it is a number (JSON may print it bare). Data only: no
    format, no SQL, no programme. Rows may carry metadata (key = text) that
    says what they are: a report's title, as-of time, frontier, labels.

        fg_rows_t *rows = fg_rows_new ();
        fg_rows_column (rows, "township");
        fg_rows_column (rows, "households");
        fg_rows_value (rows, "513328100", false);
        fg_rows_value (rows, "412", true);
        fg_rows_row_end (rows);
        fg_render_rows (rows, FG_FORMAT_TEXT, 0, stdout);     //  fg_render.h
        fg_rows_destroy (&rows);
*/
#ifndef FG_ROWS_H_INCLUDED
#define FG_ROWS_H_INCLUDED

#include "fg_common.h"

typedef struct _fg_rows_t fg_rows_t;

fg_rows_t  *fg_rows_new (void);
void        fg_rows_destroy (fg_rows_t **rows_p);
//  Add a column (before the first value).
void        fg_rows_column (fg_rows_t *rows, const char *name);
//  The next value of the current row (copied); `number` says JSON may
//  print it bare.
void        fg_rows_value (fg_rows_t *rows, const char *value, bool number);
void        fg_rows_null (fg_rows_t *rows);
//  End the current row (a short row is padded with nulls).
void        fg_rows_row_end (fg_rows_t *rows);

size_t      fg_rows_column_count (const fg_rows_t *rows);
const char *fg_rows_column_name (const fg_rows_t *rows, size_t column);
size_t      fg_rows_count (const fg_rows_t *rows);
//  A cell's text (NULL for null; borrowed), and whether it is a number.
const char *fg_rows_cell (const fg_rows_t *rows, size_t row, size_t column, bool *number_p);

//  Metadata: named text values that travel with the rows (a report puts
//  its title, as-of time, period, frontier, column labels and chart here;
//  fg_render draws them). Setting a key again replaces its value; keys keep
//  the order of their first setting.
void        fg_rows_meta_set (fg_rows_t *rows, const char *key, const char *value);
void        fg_rows_meta_setf (fg_rows_t *rows, const char *key, const char *format, ...) CHECK_PRINTF (3);
//  A value (borrowed), or NULL if the key is not set.
const char *fg_rows_meta (const fg_rows_t *rows, const char *key);
size_t      fg_rows_meta_count (const fg_rows_t *rows);
//  The key and value of the i-th entry (borrowed); NULL past the end.
const char *fg_rows_meta_key (const fg_rows_t *rows, size_t index);
const char *fg_rows_meta_value (const fg_rows_t *rows, size_t index);

#endif
