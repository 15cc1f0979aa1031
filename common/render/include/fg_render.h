/*  fg_render.h - rows (fg_rows.h) drawn for people and programs: a human
    table (columns padded by display width, CJK counted double, long text
    cut at a character boundary), a JSON array of objects, or CSV (RFC
    4180). HTML with inline SVG charts comes next. Knows nothing of SQL,
    the replica or the programme. */
#ifndef FG_RENDER_H_INCLUDED
#define FG_RENDER_H_INCLUDED

#include "fg_rows.h"

typedef enum { FG_FORMAT_TEXT, FG_FORMAT_JSON, FG_FORMAT_CSV } fg_format_t;

#define FG_RENDER_HIDE_EMPTY  1      //  a human table leaves out columns empty in every row
#define FG_RENDER_BOM         2      //  CSV starts with a UTF-8 byte order mark (Excel
                                     //  reads the file as UTF-8 only with it)
#define FG_RENDER_NO_COUNT    4      //  a human table without its closing row count

//  Print every row in the format. A human table ends with its row count
//  ("3 rows"; "(no rows)"), and a line break or tab inside a cell is
//  shown as a space, so that one row stays one line.
void  fg_render_rows (const fg_rows_t *rows, fg_format_t format, unsigned flags, FILE *file);
//  A JSON string literal of text.
void  fg_json_string (FILE *file, const char *text);

#endif
