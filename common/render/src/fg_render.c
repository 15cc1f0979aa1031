/*  fg_render.c - rows to a human table, JSON or CSV (see fg_render.h). */
#include "fg_render.h"
#include "fg_util.h"

//  The columns empty in every row (a human table leaves them out); the
//  caller frees.
static bool *
s_hidden_columns (const fg_rows_t *out)
{
    size_t columns = fg_rows_column_count (out), rows = fg_rows_count (out);
    bool *hidden = (bool *) calloc (columns + 1, sizeof (bool));
    assert (hidden);
    for (size_t c = 0; c < columns; c++) {
        bool empty = rows > 0;
        for (size_t r = 0; r < rows && empty; r++) {
            const char *text = fg_rows_cell (out, r, c, NULL);
            empty = !text || !*text;
        }
        hidden [c] = empty;
    }
    return hidden;
}

void
fg_json_string (FILE *file, const char *text)
{
    fputc ('"', file);
    for (const unsigned char *p = (const unsigned char *) text; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf (file, "\\%c", *p);
        else
        if (*p == '\n')
            fputs ("\\n", file);
        else
        if (*p < 0x20)
            fprintf (file, "\\u%04x", *p);
        else
            fputc (*p, file);
    }
    fputc ('"', file);
}

//  A CSV field. A text cell that a spreadsheet would take for a formula
//  (it starts with = + - @ or a control character) is written with a
//  leading apostrophe, so that a record's value can never run as one.
static void
s_csv_field (FILE *file, const char *text, bool number)
{
    if (!text)
        return;
    bool formula = !number && *text && strchr ("=+-@\t\r", *text);
    if (formula || strpbrk (text, ",\"\n\r")) {
        fputc ('"', file);
        if (formula)
            fputc ('\'', file);
        for (const char *p = text; *p; p++) {
            if (*p == '"')
                fputc ('"', file);
            fputc (*p, file);
        }
        fputc ('"', file);
    }
    else
        fputs (text, file);
}

//  Display width of UTF-8 text: CJK and other wide characters count 2.
static size_t
s_width (const char *text)
{
    size_t width = 0;
    for (const unsigned char *p = (const unsigned char *) text; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        width += *p >= 0xE3 && *p < 0xF0 ? 2 : 1;     //  U+3000.. (CJK) roughly
    }
    return width;
}

void
fg_render_rows (const fg_rows_t *out, fg_format_t format, unsigned flags, FILE *file)
{
    if (format == FG_FORMAT_HTML) {
        fg_render_report (&out, 1, format, NULL, flags, file);
        return;
    }
    size_t columns = fg_rows_column_count (out);
    size_t rows = fg_rows_count (out);
    if (format == FG_FORMAT_JSON) {
        fprintf (file, "[");
        for (size_t r = 0; r < rows; r++) {
            fprintf (file, "%s\n  {", r ? "," : "");
            for (size_t c = 0; c < columns; c++) {
                bool number;
                const char *text = fg_rows_cell (out, r, c, &number);
                fprintf (file, "%s", c ? ", " : "");
                fg_json_string (file, fg_rows_column_name (out, c));
                fprintf (file, ": ");
                if (!text)
                    fprintf (file, "null");
                else
                if (number)
                    fprintf (file, "%s", text);
                else
                    fg_json_string (file, text);
            }
            fprintf (file, "}");
        }
        fprintf (file, "%s]\n", rows ? "\n" : "");
        return;
    }
    if (format == FG_FORMAT_CSV) {
        if (flags & FG_RENDER_BOM)
            fputs ("\xEF\xBB\xBF", file);
        for (size_t c = 0; c < columns; c++) {
            fprintf (file, "%s", c ? "," : "");
            s_csv_field (file, fg_rows_column_name (out, c), false);
        }
        fprintf (file, "\n");
        for (size_t r = 0; r < rows; r++) {
            for (size_t c = 0; c < columns; c++) {
                fprintf (file, "%s", c ? "," : "");
                bool number;
                const char *text = fg_rows_cell (out, r, c, &number);
                s_csv_field (file, text, number);
            }
            fprintf (file, "\n");
        }
        return;
    }
    bool *hidden = (flags & FG_RENDER_HIDE_EMPTY) ? s_hidden_columns (out) : NULL;
    size_t *widths = (size_t *) calloc (columns + 1, sizeof (size_t));
    assert (widths);
    for (size_t c = 0; c < columns; c++) {
        widths [c] = s_width (fg_rows_column_name (out, c));
        for (size_t r = 0; r < rows; r++) {
            const char *text = fg_rows_cell (out, r, c, NULL);
            size_t width = text ? s_width (text) : 0;
            if (width > widths [c])
                widths [c] = width > 40 ? 40 : width;
        }
    }
    for (int line = -1; line < (int) rows; line++) {
        bool first = true;
        for (size_t c = 0; c < columns; c++) {
            if (hidden && hidden [c])
                continue;
            const char *text = line < 0 ? fg_rows_column_name (out, c) : fg_rows_cell (out, (size_t) line, c, NULL);
            if (!text)
                text = "";
            char cut [160];
            if (s_width (text) > 40) {
                //  Cut long text at a character boundary
                size_t bytes = 0, width = 0;
                while (text [bytes] && width < 37 && bytes < sizeof cut - 8) {
                    unsigned char ch = (unsigned char) text [bytes];
                    size_t len = ch < 0x80 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
                    width += ch >= 0xE3 && ch < 0xF0 ? 2 : 1;
                    bytes += len;
                }
                snprintf (cut, sizeof cut, "%.*s...", (int) bytes, text);
                text = cut;
            }
            char flat [160];
            if (strpbrk (text, "\n\r\t") && strlen (text) < sizeof flat) {
                //  One row, one line: a line break in a cell is shown as a space
                snprintf (flat, sizeof flat, "%s", text);
                for (char *p = flat; *p; p++)
                    if (*p == '\n' || *p == '\r' || *p == '\t')
                        *p = ' ';
                text = flat;
            }
            fprintf (file, "%s", first ? "" : "  ");
            fg_text_safe (file, text);
            first = false;
            size_t pad = widths [c] - (s_width (text) < widths [c] ? s_width (text) : widths [c]);
            if (c + 1 < columns)
                fprintf (file, "%*s", (int) pad, "");
        }
        fprintf (file, "\n");
    }
    if (rows == 0)
        fprintf (file, "(no rows)\n");
    else
    if (!(flags & FG_RENDER_NO_COUNT))
        fprintf (file, "(%zu row%s)\n", rows, rows == 1 ? "" : "s");
    free (widths);
    free (hidden);
}


void
fg_text_safe (FILE *file, const char *text)
{
    for (const unsigned char *p = (const unsigned char *) (text ? text : ""); *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            fputc ('?', file);                  //  C0 controls and DEL (ESC starts a sequence)
        else
        if (*p == 0xC2 && p [1] >= 0x80 && p [1] <= 0x9F) {
            fputc ('?', file);                  //  C1 controls (U+0080..U+009F: CSI is U+009B)
            p++;
        }
        else
            fputc (*p, file);
    }
}
