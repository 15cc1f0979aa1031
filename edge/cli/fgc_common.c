/*  fgc_common.c - context, options and output of the operator command. */
#include "fgc.h"
#include <sys/ioctl.h>
#include <signal.h>

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
    fg_site_t site;
    if (fg_programme_open (&site, ctx->dir, write ? FG_SITE_KEYS : 0, err, sizeof err))
        return fgc_fail (FGC_BROKEN, "%s", err);
    ctx->config = site.config;
    ctx->keys = site.keys;
    ctx->replica = site.replica;
    return FGC_OK;
}

void
fgc_close (fgc_t *ctx)
{
    fg_site_t site = { ctx->config, ctx->keys, ctx->replica };
    fg_site_close (&site);
    ctx->config = NULL;
    ctx->keys = NULL;
    ctx->replica = NULL;
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
    int64_t id;
    int rc = fgc_number ("directive id", directive, 1, INT64_MAX, &id);
    if (rc)
        return rc;
    char err [512];
    if (fg_directive_ack (ctx->replica, (uint64_t) id, state, reason, result_ref, ctx->author,
                          err, sizeof err))
        return fgc_fail (FGC_REFUSED, "not acknowledged: %s", err);
    return FGC_OK;
}

//  --------------------------------------------------------------------------
//  Output

//  Lines of the terminal on stdout ($LINES, else 24 if it does not say)
static size_t
s_screen_lines (void)
{
    struct winsize size;
    if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0)
        return size.ws_row;
    const char *lines = getenv ("LINES");
    return lines && atoi (lines) > 0 ? (size_t) atoi (lines) : 24;
}

void
fgc_print (fgc_t *ctx, const fg_rows_t *rows, unsigned flags)
{
    //  One BOM per output, before the first table (quarantine list prints several)
    static bool bom_done = false;
    if (ctx->format == FG_FORMAT_CSV && !ctx->no_bom && !bom_done) {
        flags |= FG_RENDER_BOM;
        bom_done = true;
    }
    FILE *out = stdout, *pager = NULL;
    if (ctx->format == FG_FORMAT_TEXT && isatty (STDOUT_FILENO)
    &&  fg_rows_count (rows) + 2 >= s_screen_lines ()) {
        const char *command = getenv ("PAGER");
        if (!command || !*command)
            command = "less -FRX";
        fflush (stdout);
        signal (SIGPIPE, SIG_IGN);      //  the operator may quit the pager early
        pager = popen (command, "w");
        if (pager)
            out = pager;
    }
    fg_render_rows (rows, ctx->format, flags, out);
    if (pager)
        pclose (pager);
}
