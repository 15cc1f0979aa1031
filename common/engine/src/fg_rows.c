/*  fg_rows.c - rows of text cells (see fg_rows.h). */
#include "fg_rows.h"

typedef struct {
    char *text;                      //  NULL: null
    bool  number;
} s_cell_t;

struct _fg_rows_t {
    char       **columns;
    size_t       column_count;
    s_cell_t    *cells;              //  rows * column_count
    size_t       cell_count;
    size_t       cell_cap;
    char       **meta;               //  key, value, key, value ...
    size_t       meta_count;         //  pairs
};

fg_rows_t *
fg_rows_new (void)
{
    fg_rows_t *out = (fg_rows_t *) calloc (1, sizeof (fg_rows_t));
    assert (out);
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

size_t
fg_rows_column_count (const fg_rows_t *rows)
{
    return rows->column_count;
}

const char *
fg_rows_column_name (const fg_rows_t *rows, size_t column)
{
    return column < rows->column_count ? rows->columns [column] : NULL;
}

size_t
fg_rows_count (const fg_rows_t *rows)
{
    return rows->column_count ? rows->cell_count / rows->column_count : 0;
}

const char *
fg_rows_cell (const fg_rows_t *rows, size_t row, size_t column, bool *number_p)
{
    assert (column < rows->column_count && row < fg_rows_count (rows));
    const s_cell_t *cell = &rows->cells [row * rows->column_count + column];
    if (number_p)
        *number_p = cell->number;
    return cell->text;
}

void
fg_rows_meta_set (fg_rows_t *out, const char *key, const char *value)
{
    assert (key && value);
    for (size_t i = 0; i < out->meta_count; i++)
        if (streq (out->meta [2 * i], key)) {
            free (out->meta [2 * i + 1]);
            out->meta [2 * i + 1] = strdup (value);
            return;
        }
    out->meta = (char **) realloc (out->meta, (out->meta_count + 1) * 2 * sizeof (char *));
    assert (out->meta);
    out->meta [2 * out->meta_count] = strdup (key);
    out->meta [2 * out->meta_count + 1] = strdup (value);
    out->meta_count++;
}

void
fg_rows_meta_setf (fg_rows_t *out, const char *key, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *value = NULL;
    int rc = vasprintf (&value, format, args);
    va_end (args);
    assert (rc >= 0);
    fg_rows_meta_set (out, key, value);
    free (value);
}

const char *
fg_rows_meta (const fg_rows_t *rows, const char *key)
{
    for (size_t i = 0; i < rows->meta_count; i++)
        if (streq (rows->meta [2 * i], key))
            return rows->meta [2 * i + 1];
    return NULL;
}

size_t
fg_rows_meta_count (const fg_rows_t *rows)
{
    return rows->meta_count;
}

const char *
fg_rows_meta_key (const fg_rows_t *rows, size_t index)
{
    return index < rows->meta_count ? rows->meta [2 * index] : NULL;
}

const char *
fg_rows_meta_value (const fg_rows_t *rows, size_t index)
{
    return index < rows->meta_count ? rows->meta [2 * index + 1] : NULL;
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
        for (size_t i = 0; i < out->meta_count * 2; i++)
            free (out->meta [i]);
        free (out->meta);
        free (out->columns);
        free (out->cells);
        free (out);
        *out_p = NULL;
    }
}
