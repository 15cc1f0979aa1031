/*  fg_import.c - a CSV file into a table (see fg_import.h). */
#include "fg_import.h"
#include "fg_csv.h"
#include "fg_record.h"
#include "fg_schema.h"
#include "fg_util.h"

//  Columns every domain row carries that no write sets (fg_schema.h)
static const char *s_system_columns [] = {
    "created_by", "created_hlc", "updated_hlc", "author", "voided", "void_reason", NULL
};

typedef struct {
    const fg_import_options_t *options;
    fg_import_report_t        *report;
} s_run_t;

static void
s_error (s_run_t *run, size_t line, const char *format, ...) CHECK_PRINTF (3);
static void
s_error (s_run_t *run, size_t line, const char *format, ...)
{
    char message [600];
    va_list args;
    va_start (args, format);
    vsnprintf (message, sizeof message, format, args);
    va_end (args);
    run->report->errors++;
    if (run->options->on_error)
        run->options->on_error (run->options->arg, line, message);
}

static bool
s_is_system (const char *name)
{
    for (size_t i = 0; s_system_columns [i]; i++)
        if (streq (name, s_system_columns [i]))
            return true;
    return false;
}

//  The column name a header cell stands for: the name itself, org_id, a
//  label; "" for a cell to ignore; NULL if unknown.
static const char *
s_header_column (const fg_table_t *table, const char *cell)
{
    if (streq (cell, "org_id"))
        return "org_id";
    if (streq (cell, "id"))
        return table->flags & FG_TABLE_ID_IS_ORG ? "id" : "";
    if (s_is_system (cell))
        return "";
    for (const fg_column_t *column = table->columns; column->name; column++)
        if (streq (cell, column->name) || (column->label && streq (cell, column->label)))
            return column->flags & FG_COL_DERIVED ? "" : column->name;
    return NULL;
}

static void
s_unknown_header (s_run_t *run, const fg_table_t *table, const char *cell)
{
    const char *names [512];
    size_t count = 0;
    names [count++] = "org_id";
    for (const fg_column_t *column = table->columns; column->name && count < 510; column++) {
        names [count++] = column->name;
        if (column->label)
            names [count++] = column->label;
    }
    const char *guess = fg_suggest (cell, names, count);
    char hint [160] = "";
    if (guess)
        snprintf (hint, sizeof hint, "; did you mean '%s'?", guess);
    s_error (run, 1, "the header names no column of %s: '%s'%s (fugai schema %s lists them)",
             table->name, cell, hint, table->name);
}

static int s_import (fg_replica_t *replica, const fg_table_t *table, fg_csv_t *csv, const char *author,
                     s_run_t *run);

//  The table to import into, or NULL (the error reported)
static const fg_table_t *
s_table (s_run_t *run, const char *table_name)
{
    memset (run->report, 0, sizeof *run->report);
    run->report->encoding = "unknown";
    const fg_table_t *table = fg_schema_table (table_name);
    if (!table || (table->flags & FG_TABLE_SYSTEM)) {
        const char *guess = fg_schema_suggest_table (table_name);
        if (guess)
            s_error (run, 0, "no table '%s'; did you mean '%s'?", table_name, guess);
        else
            s_error (run, 0, "no table '%s' (fugai schema lists them)", table_name);
        return NULL;
    }
    return table;
}

int
fg_import_csv (fg_replica_t *replica, const char *table_name, const char *path, const char *author,
               const fg_import_options_t *options, fg_import_report_t *report)
{
    s_run_t run = { options, report };
    const fg_table_t *table = s_table (&run, table_name);
    if (!table)
        return -1;
    fg_csv_t *csv = fg_csv_open (path);
    if (!csv) {
        s_error (&run, 0, "cannot read %s: %s", path, strerror (errno));
        return -1;
    }
    return s_import (replica, table, csv, author, &run);
}

int
fg_import_csv_text (fg_replica_t *replica, const char *table_name, const char *text, size_t size,
                    const char *name, const char *author, const fg_import_options_t *options,
                    fg_import_report_t *report)
{
    s_run_t run = { options, report };
    const fg_table_t *table = s_table (&run, table_name);
    if (!table)
        return -1;
    fg_csv_t *csv = fg_csv_new (text, size);
    if (!csv) {
        s_error (&run, 0, "cannot read %s: out of memory", name);
        return -1;
    }
    return s_import (replica, table, csv, author, &run);
}

//  Read the header and every row of csv (destroyed) into table
static int
s_import (fg_replica_t *replica, const fg_table_t *table, fg_csv_t *csv, const char *author, s_run_t *run)
{
    const fg_import_options_t *options = run->options;
    fg_import_report_t *report = run->report;
    report->encoding = fg_csv_encoding (csv);
    char **cells;
    size_t columns;
    int next = fg_csv_next (csv, &cells, &columns);
    if (next != 1 || columns == 0) {
        if (next < 0)
            s_error (run, fg_csv_line (csv), "%s", fg_csv_error (csv));
        else
            s_error (run, 0, "no header line (column names or labels)");
        fg_csv_destroy (&csv);
        return -1;
    }
    //  The header: what each cell stands for ("" ignored)
    size_t header_count = columns;
    const char **header = (const char **) calloc (header_count, sizeof (char *));
    fg_kv_t *fields = (fg_kv_t *) calloc (header_count, sizeof (fg_kv_t));
    assert (header && fields);
    for (size_t c = 0; c < header_count; c++) {
        const char *cell = cells [c];
        while (*cell == ' ')
            cell++;
        char trimmed [256];
        snprintf (trimmed, sizeof trimmed, "%s", cell);
        size_t len = strlen (trimmed);
        while (len && trimmed [len - 1] == ' ')
            trimmed [--len] = 0;
        const char *name = *trimmed ? s_header_column (table, trimmed) : "";
        if (!name) {
            s_unknown_header (run, table, trimmed);
            name = "";
        }
        else
        if (!*name && *trimmed) {
            size_t used = strlen (report->ignored);
            snprintf (report->ignored + used, sizeof report->ignored - used, "%s%s", used ? ", " : "", trimmed);
        }
        for (size_t d = 0; *name && d < c; d++)
            if (streq (header [d], name)) {
                s_error (run, 1, "the header names column %s twice", name);
                break;
            }
        header [c] = name;
    }
    int rc = 0;
    if (fg_replica_begin (replica)) {
        s_error (run, 0, "%s", fg_replica_error (replica));
        rc = -1;
    }
    fg_batch_t *batch = rc ? NULL : fg_batch_new (replica, author);
    char err [512];
    while (rc == 0 && (next = fg_csv_next (csv, &cells, &columns)) != 0) {
        report->rows++;
        size_t line = fg_csv_line (csv);
        if (next < 0) {
            s_error (run, line, "%s", fg_csv_error (csv));
            continue;
        }
        if (columns != header_count) {
            s_error (run, line, "%zu field%s, the header has %zu%s", columns, columns == 1 ? "" : "s",
                     header_count, columns < header_count ? " (a short row)" : "");
            continue;
        }
        size_t count = 0;
        for (size_t c = 0; c < columns; c++) {
            if (!*header [c] || !cells [c][0])
                continue;
            fields [count].name = header [c];
            fields [count].value = cells [c];
            count++;
        }
        uint64_t id;
        size_t errors = report->errors;
        if (report->errors == 0) {
            if (fg_batch_add (batch, table->name, fields, count, &id, err, sizeof err))
                s_error (run, line, "%s", err);
        }
        else {
            //  Past an error nothing will be written: check the row alone
            fg_ops_t *scratch = fg_ops_new ();
            if (fg_record_build_add (replica, scratch, table->name, fields, count, &id, err, sizeof err))
                s_error (run, line, "%s", err);
            fg_ops_destroy (&scratch);
        }
        if (options->on_row && report->errors == errors)
            options->on_row (options->arg, line, fields, count);
        if (options->on_progress && report->rows % 10000 == 0)
            options->on_progress (options->arg, report->rows);
    }
    if (rc == 0 && report->errors == 0 && report->rows == 0)
        s_error (run, 0, "no rows under the header");
    if (rc == 0 && report->errors == 0 && fg_batch_flush (batch, err, sizeof err))
        s_error (run, 0, "%s", err);
    if (rc == 0 && report->errors == 0 && !options->dry_run) {
        if (fg_replica_commit (replica))
            s_error (run, 0, "cannot commit: %s", fg_replica_error (replica));
        else {
            report->imported = true;
            report->entries = fg_batch_stats (batch)->entries;
            report->proposals = fg_batch_stats (batch)->proposals;
        }
    }
    if (rc == 0 && !report->imported)
        fg_replica_rollback (replica);
    if (batch && options->dry_run && report->errors == 0)
        report->entries = fg_batch_stats (batch)->entries;
    fg_batch_destroy (&batch);
    fg_csv_destroy (&csv);
    free (fields);
    free (header);
    return report->errors ? -1 : 0;
}
