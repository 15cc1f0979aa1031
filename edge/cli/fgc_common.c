/*  fgc_common.c - context, options and output of the operator command. */
#include "fgc.h"

int
fgc_fail (int code, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    fprintf (stderr, "fugai: ");
    vfprintf (stderr, format, args);
    fprintf (stderr, "\n");
    va_end (args);
    return code;
}

int
fgc_open (fgc_t *ctx, bool write)
{
    char err [512];
    ctx->config = fg_config_load (ctx->dir, err, sizeof err);
    if (!ctx->config)
        return fgc_fail (FGC_BROKEN, "%s", err);
    if (write) {
        ctx->keys = fg_keys_load (ctx->config->keys);
        if (!ctx->keys)
            return fgc_fail (FGC_BROKEN, "cannot load the keys in %s (see the message above)",
                             ctx->config->keys);
    }
    ctx->replica = fg_replica_open (ctx->config->data);
    if (!ctx->replica)
        return fgc_fail (FGC_BROKEN, "cannot open the replica %s (see the message above)",
                         ctx->config->data);
    if (ctx->keys)
        fg_replica_set_keys (ctx->replica, ctx->keys);
    fg_replica_set_max_ahead (ctx->replica, ctx->config->max_clock_ahead_ms);
    return FGC_OK;
}

void
fgc_close (fgc_t *ctx)
{
    fg_replica_destroy (&ctx->replica);
    fg_keys_destroy (&ctx->keys);
    fg_config_destroy (&ctx->config);
}

const char *
fgc_option (int *argc, char **argv, const char *name)
{
    for (int i = 1; i + 1 < *argc; i++)
        if (streq (argv [i], name)) {
            const char *value = argv [i + 1];
            for (int j = i; j + 2 < *argc; j++)
                argv [j] = argv [j + 2];
            *argc -= 2;
            return value;
        }
    return NULL;
}

bool
fgc_flag (int *argc, char **argv, const char *name)
{
    for (int i = 1; i < *argc; i++)
        if (streq (argv [i], name)) {
            for (int j = i; j + 1 < *argc; j++)
                argv [j] = argv [j + 1];
            (*argc)--;
            return true;
        }
    return false;
}

int
fgc_number (const char *what, const char *text, int64_t min, int64_t max, int64_t *value_p)
{
    char *end = NULL;
    errno = 0;
    long long value = text && *text ? strtoll (text, &end, 10) : 0;
    if (!text || !*text || errno || *end || value < min || value > max)
        return fgc_fail (FGC_USAGE, "%s takes a whole number from %lld to %lld, not '%s'", what,
                         (long long) min, (long long) max, text ? text : "");
    *value_p = value;
    return FGC_OK;
}

int
fgc_node_id (const char *text, uint16_t *id_p)
{
    int64_t value;
    int rc = fgc_number ("a node id", text, 1, 65535, &value);
    if (rc == FGC_OK)
        *id_p = (uint16_t) value;
    return rc;
}

int
fgc_ack (fgc_t *ctx, const char *directive, const char *state, const char *reason, const char *result_ref)
{
    char node [16], today [11];
    snprintf (node, sizeof node, "%u", fg_replica_self (ctx->replica)->node_id);
    fg_date_format (fg_now_ms () / 86400000, today);
    fg_kv_t fields [6] = {
        { "directive_id", directive }, { "node_id", node }, { "state", state }, { "occurred_on", today }
    };
    size_t count = 4;
    if (reason)
        fields [count++] = (fg_kv_t) { "reason", reason };
    if (result_ref)
        fields [count++] = (fg_kv_t) { "result_ref", result_ref };
    uint64_t id;
    char err [512];
    if (fg_record_add (ctx->replica, "directive_ack", fields, count, ctx->author, &id, NULL, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "not acknowledged: %s", err);
    return FGC_OK;
}

//  --------------------------------------------------------------------------
//  Output

typedef struct {
    char *text;                      //  NULL: null
    bool  number;
} s_cell_t;

struct _fgc_out_t {
    fgc_format_t format;
    char       **columns;
    size_t       column_count;
    s_cell_t    *cells;              //  rows * column_count
    size_t       cell_count;
    size_t       cell_cap;
    bool        *hidden;
};

fgc_out_t *
fgc_out_new (fgc_format_t format)
{
    fgc_out_t *out = (fgc_out_t *) zmalloc (sizeof (fgc_out_t));
    assert (out);
    out->format = format;
    return out;
}

void
fgc_out_column (fgc_out_t *out, const char *name)
{
    out->columns = (char **) realloc (out->columns, (out->column_count + 1) * sizeof (char *));
    assert (out->columns);
    out->columns [out->column_count++] = strdup (name);
}

static void
s_cell (fgc_out_t *out, const char *text, bool number)
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
fgc_out_value (fgc_out_t *out, const char *value, bool number)
{
    s_cell (out, value, number);
}

void
fgc_out_null (fgc_out_t *out)
{
    s_cell (out, NULL, false);
}

void
fgc_out_row_end (fgc_out_t *out)
{
    //  Pad a short row
    while (out->column_count && out->cell_count % out->column_count)
        s_cell (out, NULL, false);
}

int
fgc_print_rows (fgc_t *ctx, sqlite3_stmt *stmt, const fg_table_t *table, bool hide_empty)
{
    fgc_out_t *out = fgc_out_new (ctx->format);
    int columns = sqlite3_column_count (stmt);
    for (int c = 0; c < columns; c++)
        fgc_out_column (out, sqlite3_column_name (stmt, c));
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        for (int c = 0; c < columns; c++) {
            int type = sqlite3_column_type (stmt, c);
            if (type == SQLITE_NULL) {
                fgc_out_null (out);
                continue;
            }
            const fg_column_t *column = table ? fg_schema_column (table, sqlite3_column_name (stmt, c)) : NULL;
            char *text = fg_schema_format_value (column, stmt, c);
            fgc_out_value (out, text, type == SQLITE_INTEGER && !(column && column->type == FG_COL_DATE));
            free (text);
        }
        fgc_out_row_end (out);
    }
    sqlite3_finalize (stmt);
    if (hide_empty && ctx->format == FGC_TEXT)
        fgc_out_hide_empty (out);
    fgc_out_print (out);
    fgc_out_destroy (&out);
    return FGC_OK;
}

int
fgc_prepare (fgc_t *ctx, const char *sql, sqlite3_stmt **stmt_p)
{
    sqlite3 *db = fg_replica_db (ctx->replica);
    if (sqlite3_prepare_v2 (db, sql, -1, stmt_p, NULL) != SQLITE_OK)
        return fgc_fail (FGC_BROKEN, "cannot read the replica: %s", sqlite3_errmsg (db));
    return FGC_OK;
}

void
fgc_out_hide_empty (fgc_out_t *out)
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
fgc_json_string (FILE *file, const char *text)
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
s_csv_field (const char *text)
{
    if (!text)
        return;
    if (strpbrk (text, ",\"\n\r")) {
        putchar ('"');
        for (const char *p = text; *p; p++) {
            if (*p == '"')
                putchar ('"');
            putchar (*p);
        }
        putchar ('"');
    }
    else
        fputs (text, stdout);
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
fgc_out_print (fgc_out_t *out)
{
    size_t columns = out->column_count;
    size_t rows = columns ? out->cell_count / columns : 0;
    if (out->format == FGC_JSON) {
        printf ("[");
        for (size_t r = 0; r < rows; r++) {
            printf ("%s\n  {", r ? "," : "");
            for (size_t c = 0; c < columns; c++) {
                s_cell_t *cell = &out->cells [r * columns + c];
                printf ("%s", c ? ", " : "");
                fgc_json_string (stdout, out->columns [c]);
                printf (": ");
                if (!cell->text)
                    printf ("null");
                else
                if (cell->number)
                    printf ("%s", cell->text);
                else
                    fgc_json_string (stdout, cell->text);
            }
            printf ("}");
        }
        printf ("%s]\n", rows ? "\n" : "");
        return;
    }
    if (out->format == FGC_CSV) {
        for (size_t c = 0; c < columns; c++) {
            printf ("%s", c ? "," : "");
            s_csv_field (out->columns [c]);
        }
        printf ("\n");
        for (size_t r = 0; r < rows; r++) {
            for (size_t c = 0; c < columns; c++) {
                printf ("%s", c ? "," : "");
                s_csv_field (out->cells [r * columns + c].text);
            }
            printf ("\n");
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
            printf ("%s%s", first ? "" : "  ", text);
            first = false;
            size_t pad = widths [c] - (s_width (text) < widths [c] ? s_width (text) : widths [c]);
            if (c + 1 < columns)
                printf ("%*s", (int) pad, "");
        }
        printf ("\n");
    }
    if (rows == 0)
        printf ("(no rows)\n");
    free (widths);
}

void
fgc_out_destroy (fgc_out_t **out_p)
{
    fgc_out_t *out = *out_p;
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
