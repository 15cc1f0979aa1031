/*  fugai - the operator's command: one program for every role.

    fugai init DIR --role township|county|prefecture --org CODE --name NAME
               [--listen ENDPOINT] [--parent ENDPOINT] [--node-id N]
    fugai [-C DIR] COMMAND ...    (commands listed by `fugai help`)

    The command line follows the GNU conventions (getopt_long): options go
    anywhere (before or after the command), `--opt=value` and `--opt value`
    are the same, `-C DIR`, `-CDIR`, `-C=DIR` and `--dir=DIR` name the node
    directory (as git -C), `--` ends the options. Options of every command:
    --as NAME (operator recorded as author), --json, --csv [--no-bom],
    -h/--help (the command's page of help; no node is opened), --version.

    main parses every option here, once, with one table; it checks that
    the command takes each option it was given (its `options` below) and
    hands the command an argv in a fixed shape:
        COMMAND POSITIONAL... --option VALUE... --flag...
    which the commands read with fgc_option / fgc_flag (fgc.h).
*/
#include "fgc.h"
#include <getopt.h>

typedef struct {
    const char *name;
    int (*run) (fgc_t *ctx, int argc, char **argv);
    const char *usage;          //  synopsis, one or more lines
    const char *options;        //  long options it takes, " a b c "
    const char *help;           //  the rest of its page of help
} s_command_t;

static s_command_t s_commands [] = {
    { "init", fgc_init,
      "init DIR --role R --org CODE --name NAME [--listen EP] [--parent EP] [--node-id N]",
      " role org name listen parent node-id ",
      "Create a node directory: fugai.cfg (ZPL), keys (secret files mode 0600) and\n"
      "an empty replica. R is township, county or prefecture; CODE the org code of\n"
      "its tier (6, 9 digits); hubs --listen, children name their --parent. The\n"
      "node id comes from the org code unless --node-id is given.\n" },
    { "enroll", fgc_enroll, "enroll [--replace|--rekey|--force] CERT", " replace rekey force ",
      "At a hub: admit a child whose certificate is CERT (its role and org travel\n"
      "in the certificate). A node id that is taken is refused; so is a key that\n"
      "was revoked here, and a second node for an org that already has one.\n"
      "  --force     re-admit a revoked key, or admit a second node of an org\n"
      "  --replace   new keys for a child that lost its own: same id and org, the\n"
      "              old key kept so that its past entries still verify\n"
      "  --rekey     the next keys a child made with fugai rekey (CERT is its\n"
      "              keys.next/node.cert): accepted only if its current key signed\n"
      "              them; same id, a new epoch, the old key kept\n" },
    { "trust", fgc_trust, "trust CERT\n       fugai trust --statement FILE", " statement ",
      "At a child: pin its parent's public key (the parent's keys/node.cert).\n"
      "  --statement FILE  the parent was replaced under new keys: take them from\n"
      "                    FILE, written by fugai statement at the node above the\n"
      "                    parent and signed by it (checked against the keys this\n"
      "                    node already trusts); then restart the daemon\n" },
    { "statement", fgc_statement, "statement NODE_ID FILE", " ",
      "At the prefecture, after enroll --replace of a county: write the signed\n"
      "record of the county's new keys to FILE, for its townships (fugai trust\n"
      "--statement FILE there).\n" },
    { "revoke", fgc_revoke, "revoke NODE_ID", " ",
      "At a hub: refuse a child from now on; its entries are quarantined (revoked).\n" },
    { "add", fgc_add, "add TABLE col=value ...", " ",
      "Write a new record, checked against the schema (fugai schema TABLE), and\n"
      "print its id. Dates are YYYY-MM-DD, money in yuan (12.50), org_id the org\n"
      "code the record belongs to (default: this node's).\n" },
    { "set", fgc_set, "set TABLE ID col=value ...", " ",
      "Change fields of a registry record. A field group owned by another tier is\n"
      "kept as a proposal for its owner (fugai proposals).\n" },
    { "void", fgc_void, "void TABLE ID --reason TEXT", " reason ",
      "Mark an event record void (events are never deleted).\n" },
    { "import", fgc_import, "import TABLE FILE.csv [--dry-run]", " dry-run ",
      "Add one record per CSV row, in one transaction: all rows or none. The file\n"
      "may be UTF-8 (with or without a BOM), GBK or GB18030 (Excel on a Chinese\n"
      "Windows PC). The header names the columns, by name or by Chinese label\n"
      "(fugai schema TABLE shows both). Columns a file exported by\n"
      "`fugai --csv list TABLE` carries that a write does not take (id, created_by,\n"
      "author, voided, ...) are ignored: each row is a new record. Every bad row is\n"
      "reported, with its line, in one pass; then nothing is imported.\n"
      "  --dry-run   check every row and say what would be imported; write nothing\n" },
    { "list", fgc_list, "list TABLE [--where col=value]... [--search TEXT] [--sort COL[,-COL]] [--limit N]",
      " where search sort limit ",
      "The records of a table as a human table (a pager when it is longer than the\n"
      "screen: $PAGER, default less -FRX), --json or --csv (UTF-8 with a BOM for\n"
      "spreadsheets; --no-bom for tools).\n"
      "  --where col=value  only rows where the column has that value (repeatable)\n"
      "  --search TEXT      only rows where any text column contains TEXT\n"
      "  --sort COL,-COL    order by these columns (- descending); default id\n"
      "  --limit N          at most N rows\n" },
    { "show", fgc_show, "show TABLE ID", " ",
      "One record with every field, then the records that refer to it (columns that\n"
      "hold a record id of TABLE), table by table.\n" },
    { "directive", fgc_directive,
      "directive issue --to ORG --title TEXT [--due DATE] [--body TEXT] [--kind K] [--effective DATE] [--no-ack]\n"
      "       fugai directive list\n"
      "       fugai directive ack ID --state S [--reason R]",
      " to title due body kind effective no-ack state reason ",
      "Directives go down the tree to the nodes of an org subtree, which acknowledge\n"
      "them (received, applied, completed, refused).\n" },
    { "status", fgc_status, "status", " ",
      "This node, whether its daemon runs, its links (state, last contact; a link\n"
      "silent for longer than three heartbeat timeouts is shown as stale), entries\n"
      "waiting, and counts of applied, proposed, rejected, buffered, quarantined.\n" },
    { "quarantine", fgc_quarantine, "quarantine list", " ",
      "Refused entries with reasons, refusals recorded by hubs, workflow transitions\n"
      "and operations rejected by the merge. Empty sections are left out.\n" },
    { "proposals", fgc_proposals,
      "proposals [list] [--state pending|accepted|rejected|all]\n"
      "       fugai proposals accept ID [--reason TEXT]\n"
      "       fugai proposals reject ID --reason TEXT",
      " reason state ",
      "Writes kept for the tier that owns their field group (a township's change to\n"
      "a household's admin flags, ...), each named ID = ORIGIN:SEQ:IDX, with its\n"
      "state: pending, accepted or rejected. At the owner's hub, accept writes the\n"
      "proposal's fields as the hub's own write; reject records the reason. Either\n"
      "decision is a signed entry that travels down to the township that proposed;\n"
      "a rejection shows on its worklist (fugai worklist) with the reason.\n"
      "  --state S       only the proposals in that state (default all)\n"
      "  --reason TEXT   why (required to reject)\n" },
    { "digest", fgc_digest, "digest [--org CODE]", " org ",
      "Hash of the domain records of an org subtree: equal on two replicas that hold\n"
      "the same records.\n" },
    { "log", fgc_log, "log [--origin NODE_ID] [--limit N]", " origin limit ",
      "Entries of the change log, newest first (default 50).\n" },
    { "bundle", fgc_bundle,
      "bundle export FILE --to NODE_ID [--all] [--after LSN]\n"
      "       fugai bundle import FILE\n"
      "       fugai bundle show FILE",
      " to all after ",
      "A link that is a USB stick: export writes the entries the parent or a child\n"
      "lacks into a signed file (mode 0600); import checks and applies one; show\n"
      "describes one without importing it.\n" },
    { "plan", fgc_plan,
      "plan run [--county CODE] [--effective DATE] [--cycle YEAR] [--w-change N]\n"
      "              [--no-min-load] [--no-concentration] [--no-balance] [--pairs]\n"
      "              [--by township|village [--changes]] [--publish [--accept-deficit]]\n"
      "       fugai plan list | plan check\n"
      "       fugai plan provisional [--grace DAYS] [--today DATE] [--dry-run]\n"
      "       fugai plan report [--org CODE] [--date DATE] [--grace DAYS] [--cadres]",
      " county effective cycle w-change no-min-load no-concentration no-balance pairs publish "
      "accept-deficit grace today dry-run org date cadres by changes ",
      "The county's annual pairing plan (DOMAIN §4): run computes it (--publish\n"
      "writes it, at the county hub; --by township|village counts pairs kept,\n"
      "changed, added, ended per unit, --changes lists them); list shows plans and the townships'\n"
      "acknowledgements; check (township) compares its pairs with the plan;\n"
      "provisional (township) pairs households unpaired past the grace days;\n"
      "report gives coverage per township, or each cadre's load with --cadres.\n" },
    { "report", fgc_report,
      "report NAME [--org CODE] [--period P | --date D] [--by county|township|village]\n"
      "              [--json | --csv [--no-bom] | --html FILE] [--lang zh|en] [--grace DAYS]",
      " org period date by html lang grace ",
      "A report of the programme, with its as-of time and the frontier it was\n"
      "computed from. NAME: all, coverage, assistance, appeals, branches,\n"
      "directives, links, temples, must-visit, cadence, commendations. P: 2026,\n"
      "2026H1, 2026Q4, 2026-11, 2026-11A, 2026-W48, PY2026 or a day. --html writes\n"
      "one self-contained page (inline SVG charts, A4 print) in Chinese unless\n"
      "--lang en.\n" },
    { "submission", fgc_submission,
      "submission build --schedule ID [--period P] [--narrative TEXT]\n"
      "       fugai submission list [--org CODE] [--period P] [--schedule ID]\n"
      "       fugai submission show ID\n"
      "       fugai submission approve|unapprove|accept ID [--note TEXT]\n"
      "       fugai submission return ID [--to CODE] [--note TEXT]",
      " schedule period narrative org note to ",
      "Periodic reports (定期报告, DOMAIN.md §2.11): build makes this node's report\n"
      "for a schedule (fugai list report_schedule) and a closed period (default:\n"
      "the last one of the schedule's cadence) from the reports of the schedule's\n"
      "template: their totals and the frontier they came from, signed by this\n"
      "node, printing its id. It then climbs the approval chain: the reporter\n"
      "approves it; the county accepts (it holds it now) and approves; the\n"
      "prefecture accepts. unapprove takes an approval back before\n"
      "the level above accepts; return sends it back to the reporter (--to another\n"
      "unit below), which builds a new version. A step this node may not take is\n"
      "refused with the reason. show lists each figure as submitted, as computed\n"
      "here now, and the difference: a fact that arrived after the report was\n"
      "built shows as a delta, never as a changed report.\n" },
    { "findings", fgc_findings,
      "findings [--rule R] [--state violated|pending|all] [--org CODE] [--date DATE]\n"
      "       fugai findings --params",
      " rule state org date params ",
      "The rules of DOMAIN.md §3 over this node's scope, recomputed now: a finding\n"
      "is VIOLATED only when every node that could hold the evidence is known here\n"
      "past the deadline and its grace; otherwise PENDING_SYNC, naming the nodes it\n"
      "waits for and since when. --params lists the rule parameters in force (the\n"
      "prefecture's rule_param records, else the defaults of version 0).\n" },
    { "worklist", fgc_worklist, "worklist [--date DATE]", " date ",
      "At a township: its overdue must-visits, its households unpaired past the\n"
      "grace days, and its proposals the county or prefecture rejected (上级驳回),\n"
      "with the reason, to work through.\n" },
    { "user", fgc_user,
      "user add NAME --role clerk|reviewer|admin\n"
      "       fugai user passwd NAME\n"
      "       fugai user disable NAME",
      " role ",
      "Accounts of this node's web console (DIR/accounts.db, mode 0600, never\n"
      "synced). The password is read from standard input; it is stored hashed\n"
      "(Argon2id, libsodium crypto_pwhash). The account's name is the author of\n"
      "every write made in the console.\n" },
    { "epoch", fgc_epoch, "epoch CHILD_ID", " ",
      "At a hub: recover a child whose chain forked (restored from an old backup);\n"
      "it continues in a new epoch, nothing lost.\n" },
    { "rebuild", fgc_rebuild, "rebuild", " ",
      "Replay the log into the domain tables, after verifying every entry.\n" },
    { "resync", fgc_resync, "resync NODE_ID", " ",
      "Ask a child to send everything again, or the parent to send this node's\n"
      "scope again.\n" },
    { "backup", fgc_backup, "backup FILE [--keys]", " keys ",
      "A consistent copy of the replica, taken while the daemon runs (SQLite's\n"
      "online backup), mode 0600, fsynced. Without --keys the keys are not in it:\n"
      "restoring it on new hardware needs fugai enroll --replace at the parent.\n"
      "  --keys   FILE is a directory: data.db, fugai.cfg, keys/ (secret), certs/\n"
      "           and parent.cert: the whole node\n"
      "Restore: stop the daemon, put the file back as DIR/data.db, start it. A node\n"
      "restored from an old backup has a chain its parent has seen further: the\n"
      "parent recovers it (fugai epoch NODE_ID there), or fugai restore-from-parent.\n" },
    { "rekey", fgc_rekey, "rekey [--switch|--cancel]", " switch cancel ",
      "At a township or a county: rotate its keys. Three steps:\n"
      "  fugai rekey           new keys in DIR/keys.next, signed by the current key;\n"
      "                        the node goes on with its current keys\n"
      "  (at the parent)       fugai enroll --rekey DIR/keys.next/node.cert\n"
      "  fugai rekey --switch  daemon stopped: the next keys become DIR/keys (the old\n"
      "                        ones kept in DIR/keys.old-EPOCH); writes wait for the\n"
      "                        parent's record of them, then sign with them\n"
      "  --cancel   forget the next keys, or, after --switch while the record is\n"
      "             still awaited, put the old keys back\n"
      "A county's townships pin its keys: after step 1 the prefecture writes a\n"
      "statement (fugai statement) that each township takes (trust --statement).\n"
      "Past entries keep verifying with the old key at every tier. See\n"
      "deploy/OPERATIONS.md, \"Key rotation\".\n" },
    { "restore-from-parent", fgc_restore, "restore-from-parent [PARENT_CERT]", " ",
      "Get this node's own entries (every epoch) and its scope back from its parent:\n"
      "a disk lost without a backup. Keep keys/ and fugai.cfg; give PARENT_CERT when\n"
      "data.db is gone.\n" },
    { "check", fgc_check, "check", " ",
      "SQLite integrity, hash chains and signatures of the log.\n" },
    { "schema", fgc_schema, "schema [TABLE]", " ",
      "The tables, their record class and owners; with TABLE its columns, types,\n"
      "Chinese labels and allowed values.\n" },
};
#define S_COMMANDS (sizeof s_commands / sizeof s_commands [0])

//  Every option of every command, for getopt_long. Options that take a
//  value have required_argument; the index in this table is what
//  getopt_long returns (val = 1000 + index).
#define S_OPT_BASE 1000
static struct option s_options [] = {
    { "dir", required_argument, NULL, 0 },      //  the first seven are everybody's
    { "as", required_argument, NULL, 0 },
    { "json", no_argument, NULL, 0 },
    { "csv", no_argument, NULL, 0 },
    { "no-bom", no_argument, NULL, 0 },
    { "help", no_argument, NULL, 0 },
    { "version", no_argument, NULL, 0 },
    { "role", required_argument, NULL, 0 },
    { "org", required_argument, NULL, 0 },
    { "name", required_argument, NULL, 0 },
    { "listen", required_argument, NULL, 0 },
    { "parent", required_argument, NULL, 0 },
    { "node-id", required_argument, NULL, 0 },
    { "reason", required_argument, NULL, 0 },
    { "dry-run", no_argument, NULL, 0 },
    { "where", required_argument, NULL, 0 },
    { "search", required_argument, NULL, 0 },
    { "sort", required_argument, NULL, 0 },
    { "limit", required_argument, NULL, 0 },
    { "to", required_argument, NULL, 0 },
    { "title", required_argument, NULL, 0 },
    { "due", required_argument, NULL, 0 },
    { "body", required_argument, NULL, 0 },
    { "kind", required_argument, NULL, 0 },
    { "effective", required_argument, NULL, 0 },
    { "no-ack", no_argument, NULL, 0 },
    { "state", required_argument, NULL, 0 },
    { "origin", required_argument, NULL, 0 },
    { "all", no_argument, NULL, 0 },
    { "after", required_argument, NULL, 0 },
    { "county", required_argument, NULL, 0 },
    { "cycle", required_argument, NULL, 0 },
    { "w-change", required_argument, NULL, 0 },
    { "no-min-load", no_argument, NULL, 0 },
    { "no-concentration", no_argument, NULL, 0 },
    { "no-balance", no_argument, NULL, 0 },
    { "pairs", no_argument, NULL, 0 },
    { "publish", no_argument, NULL, 0 },
    { "accept-deficit", no_argument, NULL, 0 },
    { "grace", required_argument, NULL, 0 },
    { "today", required_argument, NULL, 0 },
    { "date", required_argument, NULL, 0 },
    { "cadres", no_argument, NULL, 0 },
    { "changes", no_argument, NULL, 0 },
    { "replace", no_argument, NULL, 0 },
    { "rekey", no_argument, NULL, 0 },
    { "switch", no_argument, NULL, 0 },
    { "cancel", no_argument, NULL, 0 },
    { "statement", required_argument, NULL, 0 },
    { "keys", no_argument, NULL, 0 },
    { "force", no_argument, NULL, 0 },
    { "rule", required_argument, NULL, 0 },
    { "params", no_argument, NULL, 0 },
    { "period", required_argument, NULL, 0 },
    { "by", required_argument, NULL, 0 },
    { "html", required_argument, NULL, 0 },
    { "lang", required_argument, NULL, 0 },
    { "schedule", required_argument, NULL, 0 },
    { "narrative", required_argument, NULL, 0 },
    { "note", required_argument, NULL, 0 },
    { NULL, 0, NULL, 0 }
};
#define S_OPTIONS (sizeof s_options / sizeof s_options [0] - 1)
enum { S_DIR, S_AS, S_JSON, S_CSV, S_NO_BOM, S_HELP, S_VERSION, S_GLOBAL };

static const s_command_t *
s_command (const char *name)
{
    for (size_t i = 0; name && i < S_COMMANDS; i++)
        if (streq (name, s_commands [i].name))
            return &s_commands [i];
    return NULL;
}

static void
s_help (FILE *out)
{
    fprintf (out, "usage: fugai [-C DIR] [--as NAME] [--json|--csv [--no-bom]] COMMAND ...\n\n");
    for (size_t i = 0; i < S_COMMANDS; i++) {
        const char *usage = s_commands [i].usage;
        const char *end = strchr (usage, '\n');
        fprintf (out, "  %.*s\n", end ? (int) (end - usage) : (int) strlen (usage), usage);
    }
    fprintf (out, "\n`fugai COMMAND --help` describes one. Options go anywhere; --opt=value and\n"
                  "--opt value are the same. Exit codes: 0 done, 1 refused, 2 bad usage,\n"
                  "3 node unusable.\n");
}

static void
s_command_help (const s_command_t *command, FILE *out)
{
    fprintf (out, "usage: fugai [-C DIR] %s\n\n%s", command->usage, command->help);
    fprintf (out, "\nOptions of every command: -C DIR, --as NAME, --json, --csv [--no-bom], --help.\n");
}

static void
s_unknown_command (const char *name)
{
    const char *names [S_COMMANDS + 1];
    for (size_t i = 0; i < S_COMMANDS; i++)
        names [i] = s_commands [i].name;
    names [S_COMMANDS] = "help";
    const char *guess = fg_suggest (name, names, S_COMMANDS + 1);
    if (guess)
        fgc_fail (FGC_USAGE, "no command '%s'; did you mean '%s'? (fugai help lists them)", name, guess);
    else
        fgc_fail (FGC_USAGE, "no command '%s' (fugai help lists them)", name);
}

//  An option this command does not take (or no option at all): a short
//  line, with the nearest option of the command.
static int
s_unknown_option (const s_command_t *command, const char *given)
{
    const char *names [S_OPTIONS];
    size_t count = 0;
    for (size_t i = 0; i < S_OPTIONS; i++) {
        char key [64];
        snprintf (key, sizeof key, " %s ", s_options [i].name);
        if (i < S_GLOBAL || (command && strstr (command->options, key)))
            names [count++] = s_options [i].name;
    }
    const char *bare = given;
    while (*bare == '-')
        bare++;
    char word [64];
    snprintf (word, sizeof word, "%.*s", (int) strcspn (bare, "="), bare);
    const char *guess = fg_suggest (word, names, count);
    char where [80] = "";
    if (command)
        snprintf (where, sizeof where, "%s ", command->name);
    if (guess)
        return fgc_fail (FGC_USAGE, "%stakes no option '%s'; did you mean '--%s'? (fugai %s--help)", where,
                         given, guess, where);
    return fgc_fail (FGC_USAGE, "%stakes no option '%s' (fugai %s--help)", where, given, where);
}

static int
s_set_author (fgc_t *ctx, const char *name)
{
    if (strlen (name) > FG_ENTRY_AUTHOR_MAX || !fg_utf8_valid ((const uint8_t *) name, strlen (name)))
        return fgc_fail (FGC_USAGE, "--as takes a name of at most %d bytes", FG_ENTRY_AUTHOR_MAX);
    snprintf (ctx->author, sizeof ctx->author, "%s", name);
    return FGC_OK;
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
    zsys_set_logstream (stderr);            //  stdout is the command's output (--json, --csv)

    //  Positionals in order (the first is the command), then the
    //  command's options as "--name" [value]
    char **positional = (char **) calloc ((size_t) argc + 1, sizeof (char *));
    char **options = (char **) calloc (2 * (size_t) argc + 1, sizeof (char *));
    char **args = NULL;
    assert (positional && options);
    static char dashed [S_OPTIONS][32];
    for (size_t i = 0; i < S_OPTIONS; i++)
        snprintf (dashed [i], sizeof dashed [i], "--%s", s_options [i].name);
    int rc = FGC_OK;
    int positional_count = 0, option_count = 0;
    bool help = false, version = false;
    char *given_names [256];                //  as typed, for messages
    int given_index [256];
    int given_count = 0;
    opterr = 0;
    int opt, index;
    while ((opt = getopt_long (argc, argv, "-:C:h", s_options, &index)) != -1) {
        if (opt == 1) {
            positional [positional_count++] = optarg;
            continue;
        }
        if (opt == 'C' || (opt == 0 && index == S_DIR)) {
            ctx.dir = optarg [0] == '=' && opt == 'C' ? optarg + 1 : optarg;     //  -C=DIR
            if (!*ctx.dir) {
                rc = fgc_fail (FGC_USAGE, "-C takes a node directory");
                goto done;
            }
            continue;
        }
        if (opt == 'h') {
            help = true;
            continue;
        }
        if (opt == ':') {
            rc = fgc_fail (FGC_USAGE, "option '%s' takes a value (fugai help)", argv [optind - 1]);
            goto done;
        }
        if (opt == '?') {
            //  Not an option of any command; say so once the command is known
            const char *bad = argv [optind - 1];
            if (optopt) {
                static char short_opt [3] = "-?";
                short_opt [1] = (char) optopt;
                bad = short_opt;
            }
            if (given_count < 256) {
                given_names [given_count] = (char *) bad;
                given_index [given_count++] = -1;
            }
            continue;
        }
        assert (opt == 0 && index >= 0 && (size_t) index < S_OPTIONS);
        switch (index) {
            case S_AS:
                if ((rc = s_set_author (&ctx, optarg)))
                    goto done;
                break;
            case S_JSON:    ctx.format = FG_FORMAT_JSON; break;
            case S_CSV:     ctx.format = FG_FORMAT_CSV; break;
            case S_NO_BOM:  ctx.no_bom = true; break;
            case S_HELP:    help = true; break;
            case S_VERSION: version = true; break;
            default:
                if (given_count < 256) {
                    given_names [given_count] = (char *) s_options [index].name;
                    given_index [given_count++] = index;
                }
                options [option_count++] = dashed [index];
                if (s_options [index].has_arg == required_argument)
                    options [option_count++] = optarg;
        }
    }
    while (optind < argc)                   //  after "--"
        positional [positional_count++] = argv [optind++];

    const char *name = positional_count ? positional [0] : NULL;
    const s_command_t *command = NULL;
    if (version)
        printf ("fugai %s (schema %d)\n", FUGAI_VERSION, FG_SCHEMA_VERSION);
    else
    if (name && streq (name, "help") && positional_count == 1)
        s_help (stdout);
    else
    if (!name) {
        s_help (help ? stdout : stderr);
        rc = help ? FGC_OK : FGC_USAGE;
    }
    else {
        if (streq (name, "help")) {
            help = true;
            name = positional [1];
        }
        command = s_command (name);
        if (!command) {
            s_unknown_command (name);
            rc = FGC_USAGE;
        }
        else
        if (help)
            s_command_help (command, stdout);
    }
    if (version || help || !command)
        goto done;
    for (int i = 0; i < given_count; i++) {
        char key [64];
        if (given_index [i] >= 0) {
            snprintf (key, sizeof key, " %s ", s_options [given_index [i]].name);
            if (strstr (command->options, key))
                continue;
            s_unknown_option (command, dashed [given_index [i]]);
        }
        else
            s_unknown_option (command, given_names [i]);
        fprintf (stderr, "usage: fugai %s\n", command->usage);
        rc = FGC_USAGE;
        goto done;
    }
    //  Positionals come first: a command reads its options off the end
    int args_count = positional_count + option_count;
    args = (char **) calloc ((size_t) args_count + 1, sizeof (char *));
    assert (args);
    memcpy (args, positional, (size_t) positional_count * sizeof (char *));
    memcpy (args + positional_count, options, (size_t) option_count * sizeof (char *));
    rc = command->run (&ctx, args_count, args);
    fgc_close (&ctx);
    if (rc == FGC_USAGE)
        fprintf (stderr, "usage: fugai %s\n(fugai %s --help says more)\n", command->usage, command->name);
done:
    free (args);
    free (options);
    free (positional);
    return rc;
}
