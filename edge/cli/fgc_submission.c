/*  fgc_submission.c - the screen of `fugai submission`: periodic reports
    (DOMAIN.md §2.11, §3.7) built from the reports, signed by this node,
    and carried up the approval chain (fg_submission.h). No SQL.

    fugai submission build --schedule ID [--period P] [--narrative TEXT]
    fugai submission list [--org CODE] [--period P] [--schedule ID]
    fugai submission show ID
    fugai submission approve|unapprove|accept ID [--note TEXT]
    fugai submission return ID [--to CODE] [--note TEXT]
*/
#include "fgc.h"
#include "fg_submission.h"
#include "fg_org.h"
#include "fg_report.h"

static int
s_id (const char *what, const char *text, uint64_t *id_p)
{
    int64_t value;
    if (fgc_number (what, text, 1, INT64_MAX, &value))
        return FGC_USAGE;
    *id_p = (uint64_t) value;
    return FGC_OK;
}

//  A refusal of the programme layer: bad input (1) or a replica that
//  cannot be read (3)
static int
s_refused (const char *what, const char *err)
{
    return fgc_fail (strncmp (err, "cannot", 6) ? FGC_REFUSED : FGC_BROKEN, "%s: %s", what, err);
}

static int
s_build (fgc_t *ctx, int argc, char **argv)
{
    const char *schedule = fgc_option (&argc, argv, "--schedule");
    const char *period = fgc_option (&argc, argv, "--period");
    const char *narrative = fgc_option (&argc, argv, "--narrative");
    if (argc != 1 || !schedule)
        return fgc_fail (FGC_USAGE, "submission build needs --schedule ID (fugai list report_schedule)");
    uint64_t schedule_id;
    if (s_id ("--schedule", schedule, &schedule_id))
        return FGC_USAGE;
    int64_t from, to;
    if (period && fg_report_period (period, &from, &to))
        return fgc_fail (FGC_USAGE, "--period takes a period (2026-W48, 2026-11A, 2026-11, 2026Q4, 2026H2, 2026, "
                         "PY2026), not '%s'", period);
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    char err [512];
    uint64_t id;
    if (fg_submission_build (ctx->replica, schedule_id, period, narrative, ctx->author, &id, err, sizeof err))
        return s_refused ("submission build", err);
    printf ("%llu\n", (unsigned long long) id);
    return FGC_OK;
}

static int
s_list (fgc_t *ctx, int argc, char **argv)
{
    const char *org = fgc_option (&argc, argv, "--org");
    const char *period = fgc_option (&argc, argv, "--period");
    const char *schedule = fgc_option (&argc, argv, "--schedule");
    if (argc != 1)
        return FGC_USAGE;
    if (org && !fg_org_prefix_len (org))
        return fgc_fail (FGC_USAGE, "--org takes an org code (513328, 513328100), not '%s'", org);
    uint64_t schedule_id = 0;
    if (schedule && s_id ("--schedule", schedule, &schedule_id))
        return FGC_USAGE;
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    char err [512];
    fg_rows_t *rows = fg_submission_list (ctx->replica, org, period, schedule_id, err, sizeof err);
    if (!rows)
        return s_refused ("submission list", err);
    fgc_print (ctx, rows, 0);
    fg_rows_destroy (&rows);
    return FGC_OK;
}

static int
s_show (fgc_t *ctx, int argc, char **argv)
{
    uint64_t id;
    if (argc != 2 || s_id ("the submission id", argv [1], &id))
        return FGC_USAGE;
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    char err [512];
    size_t count = 0;
    fg_rows_t **sections = fg_submission_show (ctx->replica, id, &count, err, sizeof err);
    if (!sections)
        return s_refused ("submission show", err);
    static const char *s_titles [] = {
        "提交的报告 (submission)", "数据：提交时 / 现在 / 变化 (figures: submitted, now, delta)",
        "数据来源 (frontier: submitted, now, delta)", "审核步骤 (review steps)"
    };
    for (size_t i = 0; i < count; i++) {
        if (ctx->format == FG_FORMAT_TEXT)
            printf ("%s%s\n", i ? "\n" : "", s_titles [i]);
        fgc_print (ctx, sections [i], 0);
        fg_rows_destroy (&sections [i]);
    }
    free (sections);
    return FGC_OK;
}

static int
s_step (fgc_t *ctx, const char *transition, int argc, char **argv)
{
    const char *note = fgc_option (&argc, argv, "--note");
    const char *to = fgc_option (&argc, argv, "--to");
    uint64_t id;
    if (argc != 2 || s_id ("the submission id", argv [1], &id))
        return FGC_USAGE;
    if (to && !streq (transition, "return"))
        return fgc_fail (FGC_USAGE, "--to goes with return only");
    if (to && !fg_org_prefix_len (to))
        return fgc_fail (FGC_USAGE, "--to takes an org code (513328100), not '%s'", to);
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    char err [512], state [16] = "";
    if (fg_submission_step (ctx->replica, id, transition, to, note, ctx->author, state, err, sizeof err))
        return s_refused ("submission", err);
    printf ("%llu %s\n", (unsigned long long) id, state);
    return FGC_OK;
}

int
fgc_submission (fgc_t *ctx, int argc, char **argv)
{
    if (argc < 2)
        return FGC_USAGE;
    const char *verb = argv [1];
    if (streq (verb, "build"))
        return s_build (ctx, argc - 1, argv + 1);
    if (streq (verb, "list"))
        return s_list (ctx, argc - 1, argv + 1);
    if (streq (verb, "show"))
        return s_show (ctx, argc - 1, argv + 1);
    if (streq (verb, "approve") || streq (verb, "unapprove") || streq (verb, "accept") || streq (verb, "return"))
        return s_step (ctx, verb, argc - 1, argv + 1);
    return fgc_fail (FGC_USAGE, "submission: no verb '%s' (build, list, show, approve, unapprove, accept, return)",
                     verb);
}
