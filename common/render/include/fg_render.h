/*  fg_render.h - rows (fg_rows.h) drawn for people and programs: a human
    table (columns padded by display width, CJK counted double, long text
    cut at a character boundary), a JSON array of objects, CSV (RFC 4180,
    UTF-8, with a byte order mark when asked so that a spreadsheet keeps
    Chinese intact), and for reports one self-contained HTML page: tables
    and bar charts drawn as inline SVG, no script, no font or anything
    else fetched (a Content-Security-Policy of default-src 'none' says so
    to the browser), Chinese by default, laid out for A4 paper. Every
    text that comes from the rows is escaped. Knows nothing of SQL, the
    replica or the programme: what a report is comes from its rows'
    metadata (fg_rows_meta: title.LANG, label.LANG.COLUMN, as_of, period,
    frontier, chart, total_row, value.LANG.VALUE; fg_report.h lists them). */
#ifndef FG_RENDER_H_INCLUDED
#define FG_RENDER_H_INCLUDED

#include "fg_rows.h"

typedef enum { FG_FORMAT_TEXT, FG_FORMAT_JSON, FG_FORMAT_CSV, FG_FORMAT_HTML } fg_format_t;

#define FG_RENDER_HIDE_EMPTY  1      //  a human table leaves out columns empty in every row
#define FG_RENDER_BOM         2      //  CSV starts with a UTF-8 byte order mark (Excel
                                     //  reads the file as UTF-8 only with it)
#define FG_RENDER_NO_COUNT    4      //  a human table without its closing row count
#define FG_RENDER_FRAGMENT    8      //  HTML: the sections only (a <div class="report">: the
                                     //  as-of line, each section's heading, chart and table, the
                                     //  frontier's note), no page frame, no <style>: for a page
                                     //  that has its own (the web console; its stylesheet draws
                                     //  p.meta, td.n, tr.total, svg.chart and its text classes)

//  Print every row in the format (TEXT, JSON or CSV; HTML draws a page of
//  one section). A human table ends with its row count
//  ("3 rows"; "(no rows)"), and a line break or tab inside a cell is
//  shown as a space, so that one row stays one line.
void  fg_render_rows (const fg_rows_t *rows, fg_format_t format, unsigned flags, FILE *file);
//  A JSON string literal of text.
void  fg_json_string (FILE *file, const char *text);

//  A report: its sections, each an fg_rows_t with its metadata, in the
//  format. lang "zh" (default when NULL) or "en" picks titles and column
//  headings (label.LANG.COLUMN, else the column's name). TEXT: each
//  section's title, as-of line and table. JSON: an array of sections, each
//  {"meta": {...}, "rows": [...]} (the frontier as a JSON object). CSV:
//  each section's header and rows, a blank line between sections (the BOM,
//  with FG_RENDER_BOM, once at the start). HTML: the page.
void  fg_render_report (const fg_rows_t *const *sections, size_t count, fg_format_t format,
                        const char *lang, unsigned flags, FILE *file);

//  The parts of a report's HTML, for a page that lays a section out its
//  own way (the console's drill-down links each row): the as-of line of a
//  section (<p class="meta">: scope, period, as-of day, computed at, node,
//  frontier), and the chart its metadata asks for (a <figure> with the SVG;
//  nothing when it asks for none). lang as above.
void  fg_render_report_meta (const fg_rows_t *rows, const char *lang, FILE *file);
void  fg_render_report_chart (const fg_rows_t *rows, const char *lang, FILE *file);

//  An SVG bar chart of rows (an <svg> element with its own size, to
//  inline in HTML): one group of horizontal bars per row, labelled by
//  label_column, one bar per value column (numbers; a null or text cell
//  counts 0), a legend naming the value columns by `legend` (NULL: their
//  names), the value written at the end of each bar. A row with metadata
//  total_row = 1 leaves out its last row; at most max_rows rows are drawn
//  (0: 40), the chart says how many were left out. Returns 0, or -1 (and
//  draws nothing) if a column is not in the rows.
int   fg_render_svg_bars (const fg_rows_t *rows, const char *label_column,
                          const char *const *value_columns, const char *const *legend,
                          size_t value_count, const char *title, size_t max_rows, FILE *file);
//  Text escaped for HTML and XML (& < > " ').
void  fg_html_text (FILE *file, const char *text);
//  Text for a terminal: control characters (C0, DEL, C1: the bytes that
//  start escape sequences) are written as '?', so that a record's value
//  cannot move the cursor, retitle the window or hide lines.
void  fg_text_safe (FILE *file, const char *text);

#endif
