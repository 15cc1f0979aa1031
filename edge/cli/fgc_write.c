/*  fgc_write.c - writes: add, set, void, import, directives. All of them go
    through fg_record, the path a web form will share. */
#include "fgc.h"
#include "fg_import.h"
#include "fg_org.h"

//  Parse name=value arguments (argv is modified).
static int
s_fields (int argc, char **argv, fg_kv_t **fields_p, size_t *count_p)
{
    fg_kv_t *fields = (fg_kv_t *) calloc ((size_t) argc + 1, sizeof (fg_kv_t));
    assert (fields);
    for (int i = 0; i < argc; i++)
        if (fg_kv_parse (argv [i], &fields [i])) {
            free (fields);
            return fgc_fail (FGC_USAGE, "'%s' is not column=value", argv [i]);
        }
    *fields_p = fields;
    *count_p = (size_t) argc;
    return FGC_OK;
}

static void
s_report (fgc_t *ctx, const fg_merge_result_t *result)
{
    if (result->proposals)
        printf ("note: %zu field group(s) are kept by another tier; this write is recorded as a "
                "proposal for its owner (fugai proposals)\n", result->proposals);
    if (result->rejected)
        printf ("warning: %zu operation(s) were rejected (fugai quarantine list says why)\n",
                result->rejected);
}

int
fgc_add (fgc_t *ctx, int argc, char **argv)
{
    if (argc < 3)
        return FGC_USAGE;
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    fg_kv_t *fields;
    size_t count;
    if ((rc = s_fields (argc - 2, argv + 2, &fields, &count)))
        return rc;
    uint64_t id;
    fg_merge_result_t result;
    char err [512];
    if (fg_record_add (ctx->replica, argv [1], fields, count, ctx->author, &id, &result, err, sizeof err))
        rc = fgc_fail (FGC_REFUSED, "not written: %s", err);
    else {
        if (ctx->format == FG_FORMAT_JSON)
            printf ("{\"table\": \"%s\", \"id\": \"%llu\"}\n", argv [1], (unsigned long long) id);
        else
            printf ("%llu\n", (unsigned long long) id);
        s_report (ctx, &result);
    }
    free (fields);
    return rc;
}

int
fgc_set (fgc_t *ctx, int argc, char **argv)
{
    if (argc < 4)
        return FGC_USAGE;
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    int64_t id;
    if ((rc = fgc_number ("a record id", argv [2], 1, INT64_MAX, &id)))
        return rc;
    fg_kv_t *fields;
    size_t count;
    if ((rc = s_fields (argc - 3, argv + 3, &fields, &count)))
        return rc;
    fg_merge_result_t result;
    char err [512];
    if (fg_record_set (ctx->replica, argv [1], (uint64_t) id, fields, count, ctx->author, &result, err, sizeof err))
        rc = fgc_fail (FGC_REFUSED, "not written: %s", err);
    else {
        printf ("%s %llu changed\n", argv [1], (unsigned long long) id);
        s_report (ctx, &result);
    }
    free (fields);
    return rc;
}

int
fgc_void (fgc_t *ctx, int argc, char **argv)
{
    const char *reason = fgc_option (&argc, argv, "--reason");
    if (argc != 3 || !reason)
        return FGC_USAGE;
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    int64_t id;
    if ((rc = fgc_number ("a record id", argv [2], 1, INT64_MAX, &id)))
        return rc;
    char err [512];
    if (fg_record_void (ctx->replica, argv [1], (uint64_t) id, reason, ctx->author, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "not voided: %s", err);
    printf ("%s %llu voided\n", argv [1], (unsigned long long) id);
    return FGC_OK;
}

static void
s_import_error (void *arg, size_t line, const char *message)
{
    size_t *shown = (size_t *) arg;
    if (++*shown > 200)
        return;                 //  the count at the end says how many more
    if (line)
        fprintf (stderr, "  line %zu: %s\n", line, message);
    else
        fprintf (stderr, "  %s\n", message);
}

static void
s_import_progress (void *arg, size_t rows)
{
    fprintf (stderr, "  %zu rows...\n", rows);
}

int
fgc_import (fgc_t *ctx, int argc, char **argv)
{
    bool dry_run = fgc_flag (&argc, argv, "--dry-run");
    if (argc != 3)
        return FGC_USAGE;
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    size_t shown = 0;
    fg_import_options_t options = { dry_run, s_import_error, s_import_progress, &shown };
    fg_import_report_t report;
    fprintf (stderr, "%s %s into %s:\n", dry_run ? "checking" : "importing", argv [2], argv [1]);
    if (fg_import_csv (ctx->replica, argv [1], argv [2], ctx->author, &options, &report)) {
        if (shown > 200)
            fprintf (stderr, "  ... and %zu more\n", shown - 200);
        return fgc_fail (FGC_REFUSED, "%s: %zu error%s in %zu rows (%s); nothing imported", argv [2],
                         report.errors, report.errors == 1 ? "" : "s", report.rows, report.encoding);
    }
    if (report.ignored [0])
        fprintf (stderr, "  columns ignored (each row is a new record): %s\n", report.ignored);
    if (dry_run)
        printf ("dry run: %zu %s rows from %s (%s) are good; nothing written\n", report.rows, argv [1],
                argv [2], report.encoding);
    else
        printf ("imported %zu %s rows from %s (%s) in %llu entr%s\n", report.rows, argv [1], argv [2],
                report.encoding, (unsigned long long) report.entries, report.entries == 1 ? "y" : "ies");
    if (report.proposals)
        printf ("note: %llu operation(s) are proposals for the tier that owns them\n",
                (unsigned long long) report.proposals);
    return FGC_OK;
}

//  --------------------------------------------------------------------------
//  Directives

static int
s_directive_issue (fgc_t *ctx, int argc, char **argv)
{
    const char *to = fgc_option (&argc, argv, "--to");
    const char *title = fgc_option (&argc, argv, "--title");
    const char *due = fgc_option (&argc, argv, "--due");
    const char *body = fgc_option (&argc, argv, "--body");
    const char *kind = fgc_option (&argc, argv, "--kind");
    const char *effective = fgc_option (&argc, argv, "--effective");
    bool no_ack = fgc_flag (&argc, argv, "--no-ack");
    if (argc != 1 || !to || !title)
        return FGC_USAGE;
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    fg_kv_t fields [8];
    size_t count = 0;
    fields [count++] = (fg_kv_t) { "org_id", to };
    fields [count++] = (fg_kv_t) { "title", title };
    fields [count++] = (fg_kv_t) { "requires_ack", no_ack ? "no" : "yes" };
    if (due)
        fields [count++] = (fg_kv_t) { "due_on", due };
    if (body)
        fields [count++] = (fg_kv_t) { "body", body };
    if (kind)
        fields [count++] = (fg_kv_t) { "kind", kind };
    if (effective)
        fields [count++] = (fg_kv_t) { "effective_on", effective };
    uint64_t id;
    char err [512];
    if (fg_record_add (ctx->replica, "directive", fields, count, ctx->author, &id, NULL, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "not issued: %s", err);
    if (ctx->format == FG_FORMAT_JSON)
        printf ("{\"directive\": \"%llu\", \"to\": \"%s\"}\n", (unsigned long long) id, to);
    else
        printf ("directive %llu issued to %s; it travels to the nodes of that subtree, which acknowledge it\n",
                (unsigned long long) id, to);
    return FGC_OK;
}

static int
s_directive_ack (fgc_t *ctx, int argc, char **argv)
{
    const char *state = fgc_option (&argc, argv, "--state");
    const char *reason = fgc_option (&argc, argv, "--reason");
    if (argc != 2 || !state)
        return FGC_USAGE;
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    if ((rc = fgc_ack (ctx, argv [1], state, reason, NULL)))
        return rc;
    printf ("directive %s: %s\n", argv [1], state);
    return FGC_OK;
}

static int
s_directive_list (fgc_t *ctx, int argc, char **argv)
{
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    char err [512];
    fg_rows_t *rows = fg_directive_list (ctx->replica, err, sizeof err);
    if (!rows)
        return fgc_fail (FGC_BROKEN, "%s", err);
    fgc_print (ctx, rows, 0);
    fg_rows_destroy (&rows);
    return FGC_OK;
}

int
fgc_directive (fgc_t *ctx, int argc, char **argv)
{
    if (argc < 2)
        return FGC_USAGE;
    if (streq (argv [1], "issue"))
        return s_directive_issue (ctx, argc - 1, argv + 1);
    if (streq (argv [1], "list"))
        return s_directive_list (ctx, argc - 1, argv + 1);
    if (streq (argv [1], "ack"))
        return s_directive_ack (ctx, argc - 1, argv + 1);
    return FGC_USAGE;
}
