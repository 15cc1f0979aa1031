/*  fg_rows.c - rows to a human table, JSON or CSV (see fg_rows.h). */
#include "fg_rows.h"
#include "fg_util.h"

typedef struct {
    char *text;                      //  NULL: null
    bool  number;
} s_cell_t;

struct _fg_rows_t {
    fg_format_t format;
    char       **columns;
    size_t       column_count;
    s_cell_t    *cells;              //  rows * column_count
    size_t       cell_count;
    size_t       cell_cap;
    bool        *hidden;
};

fg_rows_t *
fg_rows_new (fg_format_t format)
{
    fg_rows_t *out = (fg_rows_t *) calloc (1, sizeof (fg_rows_t));
    assert (out);
    out->format = format;
    return out;
}

void
fg_rows_column (fg_rows_t *out, const char *name)
{
    out->columns = (char **) realloc (out->columns, (out->column_count + 1) * sizeof (char *));
    assert (out->columns);
    out->columns [out->column_count++] = strdup (name);
}

static void
s_cell (fg_rows_t *out, const char *text, bool number)
{
    if (out->cell_count == out->cell_cap) {
        out->cell_cap = out->cell_cap ? out->cell_cap * 2 : 64;
        out->cells = (s_cell_t *) realloc (out->cells, out->cell_cap * sizeof (s_cell_t));
        assert (out->cells);
    }
    out->cells [out->cell_count].text = text ? strdup (text) : NULL;
    out->cells [out->cell_count].number = number;
    out->cell_count++;
}

void
fg_rows_value (fg_rows_t *out, const char *value, bool number)
{
    s_cell (out, value, number);
}

void
fg_rows_null (fg_rows_t *out)
{
    s_cell (out, NULL, false);
}

void
fg_rows_row_end (fg_rows_t *out)
{
    //  Pad a short row
    while (out->column_count && out->cell_count % out->column_count)
        s_cell (out, NULL, false);
}

void
fg_rows_hide_empty (fg_rows_t *out)
{
    free (out->hidden);
    out->hidden = (bool *) calloc (out->column_count + 1, sizeof (bool));
    assert (out->hidden);
    size_t rows = out->column_count ? out->cell_count / out->column_count : 0;
    for (size_t c = 0; c < out->column_count; c++) {
        bool empty = rows > 0;
        for (size_t r = 0; r < rows && empty; r++) {
            const char *text = out->cells [r * out->column_count + c].text;
            empty = !text || !*text;
        }
        out->hidden [c] = empty;
    }
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

static void
s_csv_field (FILE *file, const char *text)
{
    if (!text)
        return;
    if (strpbrk (text, ",\"\n\r")) {
        fputc ('"', file);
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
fg_rows_print (fg_rows_t *out, FILE *file)
{
    size_t columns = out->column_count;
    size_t rows = columns ? out->cell_count / columns : 0;
    if (out->format == FG_FORMAT_JSON) {
        fprintf (file, "[");
        for (size_t r = 0; r < rows; r++) {
            fprintf (file, "%s\n  {", r ? "," : "");
            for (size_t c = 0; c < columns; c++) {
                s_cell_t *cell = &out->cells [r * columns + c];
                fprintf (file, "%s", c ? ", " : "");
                fg_json_string (file, out->columns [c]);
                fprintf (file, ": ");
                if (!cell->text)
                    fprintf (file, "null");
                else
                if (cell->number)
                    fprintf (file, "%s", cell->text);
                else
                    fg_json_string (file, cell->text);
            }
            fprintf (file, "}");
        }
        fprintf (file, "%s]\n", rows ? "\n" : "");
        return;
    }
    if (out->format == FG_FORMAT_CSV) {
        for (size_t c = 0; c < columns; c++) {
            fprintf (file, "%s", c ? "," : "");
            s_csv_field (file, out->columns [c]);
        }
        fprintf (file, "\n");
        for (size_t r = 0; r < rows; r++) {
            for (size_t c = 0; c < columns; c++) {
                fprintf (file, "%s", c ? "," : "");
                s_csv_field (file, out->cells [r * columns + c].text);
            }
            fprintf (file, "\n");
        }
        return;
    }
    size_t *widths = (size_t *) calloc (columns + 1, sizeof (size_t));
    assert (widths);
    for (size_t c = 0; c < columns; c++) {
        widths [c] = s_width (out->columns [c]);
        for (size_t r = 0; r < rows; r++) {
            const char *text = out->cells [r * columns + c].text;
            size_t width = text ? s_width (text) : 0;
            if (width > widths [c])
                widths [c] = width > 40 ? 40 : width;
        }
    }
    for (int line = -1; line < (int) rows; line++) {
        bool first = true;
        for (size_t c = 0; c < columns; c++) {
            if (out->hidden && out->hidden [c])
                continue;
            const char *text = line < 0 ? out->columns [c] : out->cells [line * columns + c].text;
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
            fprintf (file, "%s%s", first ? "" : "  ", text);
            first = false;
            size_t pad = widths [c] - (s_width (text) < widths [c] ? s_width (text) : widths [c]);
            if (c + 1 < columns)
                fprintf (file, "%*s", (int) pad, "");
        }
        fprintf (file, "\n");
    }
    if (rows == 0)
        fprintf (file, "(no rows)\n");
    free (widths);
}

void
fg_rows_destroy (fg_rows_t **out_p)
{
    fg_rows_t *out = *out_p;
    if (out) {
        for (size_t i = 0; i < out->column_count; i++)
            free (out->columns [i]);
        for (size_t i = 0; i < out->cell_count; i++)
            free (out->cells [i].text);
        free (out->columns);
        free (out->cells);
        free (out->hidden);
        free (out);
        *out_p = NULL;
    }
}
