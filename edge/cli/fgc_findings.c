/*  fgc_findings.c - `fugai findings` and `fugai worklist`: the rules of
    DOMAIN.md §3 as this node judges its scope (common/domain/rules).

    fugai findings [--rule R] [--state violated|pending|all] [--org CODE]
                   [--date DATE]
        the findings of every rule that runs at this node's tier (or of
        rule R) over its subtree (or CODE's) as of DATE (today): VIOLATED,
        and PENDING_SYNC with the nodes it waits for and how far their
        logs are known here. Default state: violated and pending. A
        summary goes to stderr in a human table.
    fugai findings --params
        the parameters in force (rule_param versions, else the defaults).
    fugai worklist [--date DATE]
        (township) its own overdue must-visits and households unpaired
        past G_new.
*/
#include "fgc.h"
#include "fg_rules.h"
#include "fg_org.h"

static int
s_day (const char *date, int64_t *day)
{
    *day = fg_now_ms () / 86400000;
    if (date && fg_date_parse (date, day))
        return fgc_fail (FGC_USAGE, "--date takes a date YYYY-MM-DD, not '%s'", date);
    return FGC_OK;
}

int
fgc_findings (fgc_t *ctx, int argc, char **argv)
{
    const char *rule = fgc_option (&argc, argv, "--rule");
    const char *state = fgc_option (&argc, argv, "--state");
    const char *org = fgc_option (&argc, argv, "--org");
    const char *date = fgc_option (&argc, argv, "--date");
    bool params = fgc_flag (&argc, argv, "--params");
    if (argc != 1)
        return FGC_USAGE;
    unsigned states = (1u << FG_FINDING_VIOLATED) | (1u << FG_FINDING_PENDING);
    if (state) {
        if (streq (state, "violated"))
            states = 1u << FG_FINDING_VIOLATED;
        else
        if (streq (state, "pending"))
            states = 1u << FG_FINDING_PENDING;
        else
        if (!streq (state, "all"))
            return fgc_fail (FGC_USAGE, "--state takes violated, pending or all, not '%s'", state);
    }
    if (org && !fg_org_prefix_len (org))
        return fgc_fail (FGC_USAGE, "--org takes an org code, not '%s'", org);
    if (rule && !fg_rules_find (rule))
        return fgc_fail (FGC_USAGE, "no rule '%s': the rules are P1-P8, T1-T7, V1-V4, M1-M4, A1-A4, "
                         "B1-B5, R1-R3, S1-S2, C1-C2, D1-D3 (DOMAIN.md §3)", rule);
    int64_t day;
    int rc = s_day (date, &day);
    if (rc)
        return rc;
    rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    if (params) {
        fg_rows_t *rows = fg_rules_param_rows (ctx->replica);
        fgc_print (ctx, rows, 0);
        fg_rows_destroy (&rows);
        return FGC_OK;
    }
    if (rule && !fg_rules_find (rule)->fn)
        return fgc_fail (FGC_REFUSED, "rule %s is registered but not evaluated yet", fg_rules_find (rule)->id);
    char err [512];
    fg_findings_t *findings = fg_rules_evaluate (ctx->replica, rule, org, day, err, sizeof err);
    if (!findings)
        return fgc_fail (org ? FGC_REFUSED : FGC_BROKEN, "%s", err);
    fg_rows_t *rows = fg_findings_rows (findings, states);
    fgc_print (ctx, rows, 0);
    if (ctx->format == FG_FORMAT_TEXT) {
        char when [16];
        fg_date_format (day, when);
        fprintf (stderr, "%s as of %s: %zu violated, %zu pending sync\n", org ? org : fg_replica_self (ctx->replica)->org,
                 when, fg_findings_count_state (findings, FG_FINDING_VIOLATED),
                 fg_findings_count_state (findings, FG_FINDING_PENDING));
    }
    fg_rows_destroy (&rows);
    fg_findings_destroy (&findings);
    return FGC_OK;
}

int
fgc_worklist (fgc_t *ctx, int argc, char **argv)
{
    const char *date = fgc_option (&argc, argv, "--date");
    if (argc != 1)
        return FGC_USAGE;
    int64_t day;
    int rc = s_day (date, &day);
    if (rc)
        return rc;
    rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    if (fg_replica_self (ctx->replica)->tier != FG_TIER_TOWNSHIP)
        return fgc_fail (FGC_REFUSED, "the worklist is a township's (use fugai findings at a hub)");
    char err [512];
    fg_rows_t *rows = fg_rules_worklist (ctx->replica, day, err, sizeof err);
    if (!rows)
        return fgc_fail (FGC_BROKEN, "%s", err);
    fgc_print (ctx, rows, 0);
    fg_rows_destroy (&rows);
    return FGC_OK;
}
