/*  fg_import.h - a CSV file into a table: one new record per row, all rows
    or none, every bad row reported in one pass.

    The file is read by fg_csv (UTF-8 with or without a BOM, GBK/GB18030,
    strict RFC 4180). Its first record is the header: each cell names a
    column by its name or its label (fg_column_t.label, the programme's
    language), or org_id. Cells of the header that a write does not take
    are ignored, with the file's own values under them: the row's system
    columns (id, created_by, created_hlc, updated_hlc, author, voided,
    void_reason) and columns the merge derives. So a file written by
    `fugai --csv list TABLE` imports as it is, each row a NEW record with a
    new id (an import never updates: a spreadsheet round trip that should
    change records goes through `fugai set`). An unknown header cell is an
    error, with the nearest column suggested.

    Every data row must have as many fields as the header; empty cells are
    left out of the write (an import writes no NULLs). Rows are checked as
    fg_record_build_add checks them and written through one fg_batch in
    one transaction. Any error (a malformed record, a short or long row, a
    value refused) is reported with its line and the reading goes on; at
    the end, if there was one, the transaction is rolled back and nothing
    is imported. A dry run checks everything the same way and rolls back.
*/
#ifndef FG_IMPORT_H_INCLUDED
#define FG_IMPORT_H_INCLUDED

#include "fg_replica.h"
#include "fg_record.h"

typedef struct {
    bool   dry_run;
    //  Called for each error: line 0 for the file as a whole
    void (*on_error) (void *arg, size_t line, const char *message);
    //  Called every 10,000 rows (may be NULL)
    void (*on_progress) (void *arg, size_t rows);
    void  *arg;
    //  Called for each row that is good (may be NULL): its line and the
    //  fields written (header column names, cells as read; borrowed for
    //  the call). A preview draws from it.
    void (*on_row) (void *arg, size_t line, const fg_kv_t *fields, size_t count);
} fg_import_options_t;

typedef struct {
    size_t      rows;            //  data rows read
    size_t      errors;          //  errors reported
    uint64_t    entries;         //  entries appended (0 unless imported)
    uint64_t    proposals;       //  operations kept as proposals
    bool        imported;        //  committed
    const char *encoding;        //  of the file (fg_csv_encoding)
    char        ignored [256];   //  header cells ignored, comma-separated
} fg_import_report_t;

//  Import `path` into `table` as `author`. 0 if every row is good (and,
//  unless a dry run, committed), -1 otherwise (errors reported; nothing
//  written). report is filled in either case.
int  fg_import_csv (fg_replica_t *replica, const char *table, const char *path, const char *author,
                    const fg_import_options_t *options, fg_import_report_t *report);

//  The same from bytes in memory (an upload): `name` says where they came
//  from in the file-level errors.
int  fg_import_csv_text (fg_replica_t *replica, const char *table, const char *text, size_t size,
                         const char *name, const char *author, const fg_import_options_t *options,
                         fg_import_report_t *report);

#endif
