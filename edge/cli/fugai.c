/*  fugai - the operator's command: one program for every role.

    fugai init DIR --role township|county|prefecture --org CODE --name NAME
               [--listen ENDPOINT] [--parent ENDPOINT] [--node-id N]
    fugai -C DIR COMMAND ...      (commands listed by `fugai help`)

    Options before the command: -C DIR (node directory, as git -C),
    --as NAME (operator recorded as author), --json, --csv.
*/
#include "fgc.h"

typedef struct {
    const char *name;
    int (*run) (fgc_t *ctx, int argc, char **argv);
    const char *usage;
} s_command_t;

static s_command_t s_commands [] = {
    { "init",       fgc_init,       "init DIR --role R --org CODE --name NAME [--listen EP] [--parent EP] [--node-id N]" },
    { "enroll",     fgc_enroll,     "enroll CERT                 admit a child (hub)" },
    { "trust",      fgc_trust,      "trust CERT                  pin the parent's key (child)" },
    { "revoke",     fgc_revoke,     "revoke NODE_ID              refuse a child from now on (hub)" },
    { "add",        fgc_add,        "add TABLE col=value ...     write a new record; prints its id" },
    { "set",        fgc_set,        "set TABLE ID col=value ...  change fields of a registry record" },
    { "void",       fgc_void,       "void TABLE ID --reason TEXT mark an event record void" },
    { "import",     fgc_import,     "import TABLE FILE.csv       add one record per CSV row (header = columns)" },
    { "list",       fgc_list,       "list TABLE [--where col=value]... [--limit N]" },
    { "directive",  fgc_directive,  "directive issue --to ORG --title TEXT [--due DATE] [--body TEXT] [--kind K]\n"
                                    "                            directive list | directive ack ID --state S [--reason R]" },
    { "status",     fgc_status,     "status                      node, links, counts" },
    { "quarantine", fgc_quarantine, "quarantine list             refused entries and rejected operations" },
    { "proposals",  fgc_proposals,  "proposals                   writes kept for the owner of their fields" },
    { "digest",     fgc_digest,     "digest [--org CODE]         hash of the domain records of an org subtree" },
    { "log",        fgc_log,        "log [--origin N] [--limit N] entries of the change log" },
    { "bundle",     fgc_bundle,     "bundle export FILE --to NODE_ID [--all] [--after LSN]\n"
                                    "                            entries for the parent or a child, in a signed file\n"
                                    "                            bundle import FILE | bundle show FILE" },
    { "plan",       fgc_plan,       "plan run [--county CODE] [--effective DATE] [--cycle YEAR] [--pairs] [--publish [--accept-deficit]]\n"
                                    "                            compute (and publish) the county's pairing plan\n"
                                    "                            plan list                    plans held here, with the townships' acks\n"
                                    "                            plan check                   (township) compare its pairs with its\n"
                                    "                            county's latest plan and acknowledge it again\n"
                                    "                            plan provisional [--grace DAYS] [--dry-run]  (township)\n"
                                    "                            pair households unpaired past the grace with its own cadres\n"
                                    "                            plan report [--org CODE] [--cadres]  coverage by township;\n"
                                    "                            cadres' loads, capacity, villages" },
    { "findings",   fgc_findings,   "findings [--rule R] [--state violated|pending|all] [--org CODE] [--date DATE]\n"
                                    "                            the rules of DOMAIN.md §3 over this node's scope:\n"
                                    "                            VIOLATED, or PENDING_SYNC naming the nodes it waits for\n"
                                    "                            findings --params            the parameters in force" },
    { "worklist",   fgc_worklist,   "worklist [--date DATE]      (township) overdue must-visits, unpaired households" },
    { "epoch",      fgc_epoch,      "epoch CHILD_ID              recover a child whose chain forked (hub)" },
    { "rebuild",    fgc_rebuild,    "rebuild                     replay the log into the domain tables" },
    { "resync",     fgc_resync,     "resync NODE_ID              ask a child to send everything again, or the parent\n"
                                    "                            to send this node's scope again" },
    { "check",      fgc_check,      "check                       SQLite integrity, chains and signatures" },
    { "schema",     fgc_schema,     "schema [TABLE]              tables, record classes, owners, columns" },
};

static void
s_help (FILE *out)
{
    fprintf (out, "usage: fugai [-C DIR] [--as NAME] [--json|--csv] COMMAND ...\n\n");
    for (size_t i = 0; i < sizeof s_commands / sizeof s_commands [0]; i++)
        fprintf (out, "  %s\n", s_commands [i].usage);
    fprintf (out, "\nExit codes: 0 done, 1 refused, 2 bad usage, 3 node unusable.\n");
}

int
main (int argc, char *argv [])
{
    //  The programme's tables, for commands that read the schema before
    //  (or without) opening a node
    fg_programme_install ();
    fgc_t ctx;
    memset (&ctx, 0, sizeof ctx);
    ctx.dir = ".";
    const char *who = getenv ("FUGAI_OPERATOR");
    if (!who || !*who)
        who = getenv ("USER");
    snprintf (ctx.author, sizeof ctx.author, "%s", who && *who ? who : "operator");
    zsys_set_logident ("fugai");

    int arg = 1;
    while (arg < argc && argv [arg][0] == '-') {
        if (streq (argv [arg], "-C") && arg + 1 < argc)
            ctx.dir = argv [(arg += 2) - 1];
        else
        if (streq (argv [arg], "--as") && arg + 1 < argc) {
            const char *name = argv [(arg += 2) - 1];
            if (strlen (name) > FG_ENTRY_AUTHOR_MAX || !fg_utf8_valid ((const uint8_t *) name, strlen (name)))
                return fgc_fail (FGC_USAGE, "--as takes a name of at most %d bytes", FG_ENTRY_AUTHOR_MAX);
            snprintf (ctx.author, sizeof ctx.author, "%s", name);
        }
        else
        if (streq (argv [arg], "--json")) {
            ctx.format = FG_FORMAT_JSON;
            arg++;
        }
        else
        if (streq (argv [arg], "--csv")) {
            ctx.format = FG_FORMAT_CSV;
            arg++;
        }
        else
        if (streq (argv [arg], "-h") || streq (argv [arg], "--help")) {
            s_help (stdout);
            return FGC_OK;
        }
        else {
            s_help (stderr);
            return FGC_USAGE;
        }
    }
    if (arg >= argc || streq (argv [arg], "help")) {
        s_help (arg >= argc ? stderr : stdout);
        return arg >= argc ? FGC_USAGE : FGC_OK;
    }
    //  Options may also follow the command (fugai list household --json)
    int rest = argc - arg;
    char **args = argv + arg;
    if (fgc_flag (&rest, args, "--json"))
        ctx.format = FG_FORMAT_JSON;
    if (fgc_flag (&rest, args, "--csv"))
        ctx.format = FG_FORMAT_CSV;
    const char *as = fgc_option (&rest, args, "--as");
    if (as) {
        if (strlen (as) > FG_ENTRY_AUTHOR_MAX || !fg_utf8_valid ((const uint8_t *) as, strlen (as)))
            return fgc_fail (FGC_USAGE, "--as takes a name of at most %d bytes", FG_ENTRY_AUTHOR_MAX);
        snprintf (ctx.author, sizeof ctx.author, "%s", as);
    }
    for (size_t i = 0; i < sizeof s_commands / sizeof s_commands [0]; i++)
        if (streq (args [0], s_commands [i].name)) {
            int rc = s_commands [i].run (&ctx, rest, args);
            fgc_close (&ctx);
            if (rc == FGC_USAGE)
                fprintf (stderr, "usage: fugai %s\n", s_commands [i].usage);
            return rc;
        }
    fgc_fail (FGC_USAGE, "no command '%s'", args [0]);
    s_help (stderr);
    return FGC_USAGE;
}
