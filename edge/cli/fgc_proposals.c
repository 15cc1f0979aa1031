/*  fgc_proposals.c - fugai proposals: list the proposals held here, and
    at the owner's hub accept or reject one (fg_proposal.h). */
#include "fgc.h"
#include "fg_proposal.h"

static int
s_list (fgc_t *ctx, const char *state)
{
    if (state && !streq (state, "pending") && !streq (state, "accepted") && !streq (state, "rejected")
    &&  !streq (state, "all"))
        return fgc_fail (FGC_USAGE, "--state %s: pending, accepted, rejected or all", state);
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    char err [512];
    fg_rows_t *rows = fg_proposals_rows (ctx->replica, state, err, sizeof err);
    if (!rows)
        return fgc_fail (FGC_BROKEN, "%s", err);
    fgc_print (ctx, rows, 0);
    fg_rows_destroy (&rows);
    return FGC_OK;
}

static int
s_decide (fgc_t *ctx, const char *id, bool accept, const char *reason)
{
    if (!accept && (!reason || !*reason))
        return fgc_fail (FGC_USAGE, "proposals reject %s: --reason TEXT is required (it travels back to the author)",
                         id);
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    char err [512];
    if (fg_proposal_decide (ctx->replica, id, accept, reason, ctx->author, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "proposal %s not %s: %s", id, accept ? "accepted" : "rejected", err);
    if (ctx->format == FG_FORMAT_JSON)
        printf ("{\"proposal\": \"%s\", \"decision\": \"%s\"}\n", id, accept ? "accepted" : "rejected");
    else
        printf ("proposal %s %s; the decision travels down to the node that proposed it\n", id,
                accept ? "accepted and applied as this node's write" : "rejected");
    return FGC_OK;
}

int
fgc_proposals (fgc_t *ctx, int argc, char **argv)
{
    const char *reason = fgc_option (&argc, argv, "--reason");
    const char *state = fgc_option (&argc, argv, "--state");
    if (argc == 1 || (argc == 2 && streq (argv [1], "list")))
        return reason ? FGC_USAGE : s_list (ctx, state);
    if (state)
        return FGC_USAGE;
    if (argc == 3 && streq (argv [1], "accept"))
        return s_decide (ctx, argv [2], true, reason);
    if (argc == 3 && streq (argv [1], "reject"))
        return s_decide (ctx, argv [2], false, reason);
    return FGC_USAGE;
}
