/*  fg_csv.h - reading CSV files as spreadsheets write them, for imports of
    registers: a strict RFC 4180 reader.

    Encoding: UTF-8, with or without a byte order mark (EF BB BF), or, when
    the bytes are not valid UTF-8, GB18030 (a superset of GBK and GB2312:
    what Excel on a Chinese Windows PC saves as "CSV"), converted to UTF-8
    with iconv. fg_csv_encoding says which was read.

    Records: fields separated by commas, records by CRLF or LF (blank lines
    are skipped). A field that holds a comma, a quote or a line break is
    enclosed in double quotes, and a quote inside it is doubled. Anything
    else is malformed and refused, never guessed at:
        "bad"quote     text after the closing quote of a field
        ab"c           a quote inside a field that is not quoted
        "open          a quote never closed (runs to the end of the file)
    After a malformed record the reader goes on at the next line, so that a
    caller can report every bad record of a file in one pass. Whether a
    record has as many fields as the header is the caller's check (the
    reader does not know which record is a header).
*/
#ifndef FG_CSV_H_INCLUDED
#define FG_CSV_H_INCLUDED

#include "fg_common.h"

typedef struct _fg_csv_t fg_csv_t;

//  Open a file; NULL if it cannot be read (errno says why).
fg_csv_t   *fg_csv_open (const char *path);
//  From bytes in memory (copied, and converted to UTF-8 if need be).
fg_csv_t   *fg_csv_new (const char *text, size_t size);
void        fg_csv_destroy (fg_csv_t **self_p);
//  Next record: 1 and the fields (borrowed until the next call), 0 at the
//  end, -1 on a malformed record (fg_csv_error says what; the next call
//  reads on from the following line).
int         fg_csv_next (fg_csv_t *self, char ***fields_p, size_t *count_p);
//  Line number where the last record started (1-based, in the file).
size_t      fg_csv_line (fg_csv_t *self);
//  Why the last call returned -1 (borrowed), "" otherwise.
const char *fg_csv_error (fg_csv_t *self);
//  "UTF-8", "UTF-8 with BOM" or "GB18030"; "unknown" if the bytes were
//  neither (then fg_csv_next returns -1 at once).
const char *fg_csv_encoding (fg_csv_t *self);

#endif
