/*  fgc_report.c - the screen of `fugai report`: parse, build the report in
    the programme layer (fg_report.h), render it (fg_render.h). No SQL.

    fugai report NAME [--org CODE] [--period P | --date D] [--by county|township|village]
                 [--json | --csv [--no-bom] | --html FILE] [--lang zh|en] [--grace DAYS]
        NAME: all, coverage, assistance, appeals, branches, directives,
        links, temples, must-visit, cadence, commendations. The period is
        a period id (2026, 2026H1, 2026Q4, 2026-11, 2026-11A, 2026-W48,
        PY2026) or a day; --date alone takes the month
        up to that day; by default the month so far. The figures are as of
        the period's last day (or --date when earlier). CSV starts with a
        byte order mark so that a spreadsheet keeps Chinese (--no-bom for
        tools); --html writes one self-contained page to FILE (- for
        standard output).
*/
#include "fgc.h"
#include "fg_report.h"
#include "fg_org.h"

int
fgc_report (fgc_t *ctx, int argc, char **argv)
{
    const char *org = fgc_option (&argc, argv, "--org");
    const char *period = fgc_option (&argc, argv, "--period");
    const char *date = fgc_option (&argc, argv, "--date");
    const char *by = fgc_option (&argc, argv, "--by");
    const char *html = fgc_option (&argc, argv, "--html");
    const char *lang = fgc_option (&argc, argv, "--lang");
    const char *grace = fgc_option (&argc, argv, "--grace");
    bool no_bom = fgc_flag (&argc, argv, "--no-bom");
    if (argc != 2)
        return FGC_USAGE;
    const char *name = argv [1];
    fg_report_args_t args;
    memset (&args, 0, sizeof args);
    args.org = org;
    args.period = period;
    if (org && !fg_org_prefix_len (org))
        return fgc_fail (FGC_USAGE, "--org takes an org code (513328, 513328100), not '%s'", org);
    if (period && fg_report_period (period, &args.from_day, &args.to_day))
        return fgc_fail (FGC_USAGE, "--period takes a period (2026, 2026H1, 2026Q4, 2026-11, 2026-11A, "
                         "2026-W48, PY2026) or a day YYYY-MM-DD, not '%s'", period);
    if (date) {
        int64_t day;
        if (fg_date_parse (date, &day))
            return fgc_fail (FGC_USAGE, "--date takes a date YYYY-MM-DD, not '%s'", date);
        args.as_of_day = day;
        if (!period) {
            //  The month up to that day
            char text [16];
            fg_date_format (day, text);
            snprintf (text + 7, sizeof text - 7, "-01");
            if (fg_date_parse (text, &args.from_day))
                return fgc_fail (FGC_USAGE, "--date: '%s' has no month", date);
            args.to_day = day;
        }
    }
    if (by) {
        if (streq (by, "county"))
            args.by = FG_REPORT_BY_COUNTY;
        else
        if (streq (by, "township"))
            args.by = FG_REPORT_BY_TOWNSHIP;
        else
        if (streq (by, "village"))
            args.by = FG_REPORT_BY_VILLAGE;
        else
            return fgc_fail (FGC_USAGE, "--by takes county, township or village, not '%s'", by);
    }
    if (lang && !streq (lang, "zh") && !streq (lang, "en"))
        return fgc_fail (FGC_USAGE, "--lang takes zh or en, not '%s'", lang);
    if (grace) {
        int64_t days;
        if (fgc_number ("--grace", grace, 1, 366, &days))
            return FGC_USAGE;
        args.grace_days = (int) days;
    }
    if (html && ctx->format != FG_FORMAT_TEXT)
        return fgc_fail (FGC_USAGE, "--html writes a page; it does not go with --json or --csv");
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    char err [512];
    fg_report_t *report = fg_report_new (ctx->replica, name, &args, err, sizeof err);
    if (!report)
        return fgc_fail (strncmp (err, "cannot", 6) ? FGC_USAGE : FGC_BROKEN, "report %s: %s", name, err);
    fg_format_t format = html ? FG_FORMAT_HTML : ctx->format;
    unsigned flags = format == FG_FORMAT_CSV && !no_bom ? FG_RENDER_BOM : 0;
    FILE *file = stdout;
    if (html && !streq (html, "-")) {
        file = fopen (html, "w");
        if (!file) {
            fg_report_destroy (&report);
            return fgc_fail (FGC_REFUSED, "cannot write %s: %s (check the directory exists and is writable)",
                             html, strerror (errno));
        }
    }
    fg_render_report (fg_report_sections (report), fg_report_count (report), format, lang, flags, file);
    fg_report_destroy (&report);
    if (file != stdout && fclose (file))
        return fgc_fail (FGC_REFUSED, "cannot write %s: %s", html, strerror (errno));
    if (file == stdout && fflush (stdout))
        return fgc_fail (FGC_REFUSED, "cannot write the report: %s", strerror (errno));
    return FGC_OK;
}
