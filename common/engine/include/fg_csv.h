/*  fg_csv.h - reading CSV files (RFC 4180: commas, double-quoted fields
    with "" for a quote, CRLF or LF line ends, an optional UTF-8 BOM) as
    spreadsheets export them, for imports of registers. */
#ifndef FG_CSV_H_INCLUDED
#define FG_CSV_H_INCLUDED

#include "fg_common.h"

typedef struct _fg_csv_t fg_csv_t;

//  Open a file; NULL if it cannot be read.
fg_csv_t *fg_csv_open (const char *path);
//  From text in memory (copied).
fg_csv_t *fg_csv_new (const char *text, size_t size);
void      fg_csv_destroy (fg_csv_t **self_p);
//  Next record: 1 and the fields (borrowed until the next call), 0 at the
//  end, -1 on a malformed record (unterminated quote, or text that is not
//  UTF-8). Blank lines are skipped.
int       fg_csv_next (fg_csv_t *self, char ***fields_p, size_t *count_p);
//  Line number where the last record started (1-based).
size_t    fg_csv_line (fg_csv_t *self);

#endif
