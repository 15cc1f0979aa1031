/*  fgc_plan.c - the county's annual pairing reassignment (DOMAIN §4):

    fugai plan run [--county CODE] [--effective DATE] [--cycle YEAR]
                   [--w-change N] [--no-min-load] [--no-concentration] [--no-balance]
                   [--pairs] [--by township|village [--changes]] [--publish [--accept-deficit]]
        computes the plan from what this node holds and prints what it
        would change; --publish writes it (county hub only; a plan that
        leaves households without a pair needs --accept-deficit), --pairs
        lists every pair. --csv prints one line per pair (kept, new, ended).
        --by counts the pairs kept, changed, added, ended and left unpaired
        per township or village (the console's review, fg_pairing_review_units),
        --changes then lists each household that changes, with names.
    fugai plan list
        the plans held here, newest version first, with each township's
        latest acknowledgement: applied (its slice is what the plan says),
        refused (it is not: the reason says how), received.
    fugai plan check
        at a township: compare the pairs it holds with its county's latest
        plan, and acknowledge that plan again (applied or refused): after
        `fugai rebuild` or `fugai resync` mended what a refusal found.
    fugai plan provisional [--grace DAYS] [--today DATE] [--dry-run]
        at a township: pair its households that have had no pair for
        more than DAYS (G_new, default 30) with its own cadres that have
        room, as pairing_provisional records, until the county's next
        plan (DOMAIN §4.6 step 7). Safe to run daily: it pairs only
        households without a pair or a provisional one.
    fugai plan report [--org CODE] [--date DATE] [--grace DAYS] [--cadres]
        coverage as this node holds it (DOMAIN §3.1): per township, the
        households, paired, provisionally paired, unpaired within the
        grace days and unpaired past it (P1); with --cadres, each cadre's
        households, capacity and villages, with what is wrong (P2, P3, P5).
*/
#include "fgc.h"
#include "fg_report.h"
#include "fg_pairing.h"
#include "fg_org.h"
#include "fg_render.h"

static void
s_print_text (fg_pairing_t *plan, bool pairs, double ms)
{
    const fg_plan_result_t *result = fg_pairing_result (plan);
    const fg_pairing_info_t *info = fg_pairing_info (plan);
    printf ("inputs:  %zu households, %zu cadres (%zu stationed by work teams), %zu locked pairs, "
            "%zu previous pairs (%zu provisional)\n", info->households, info->cadres,
            info->deployed_cadres, info->locked, info->previous, info->provisional);
    printf ("plan:    %zu pairs (%zu kept, %zu new), %zu ended, %zu households without a pair, "
            "%zu cadres below their minimum\n", result->pair_count, info->kept, info->added,
            result->ended_count, result->deficit_count, result->underloaded_count);
    printf ("solver:  %zu components, %zu augmenting paths, %zu min-load moves, %zu swaps, %zu transfers\n",
            result->components, result->paths, result->min_load_moves, result->swaps, result->transfers);
    printf ("loads:   cadres holding 0, 1, 2, ... households:");
    for (size_t i = 0; i < FG_PLAN_LOAD_BINS; i++)
        printf (" %zu", result->load_histogram [i]);
    printf ("%s\n", result->load_histogram [FG_PLAN_LOAD_BINS - 1] ? " (the last: 10 or more)" : "");
    printf ("time:    %.0f ms (reading the inputs %.0f, solving %.0f", ms, info->gather_us / 1000.0,
            info->solve_us / 1000.0);
    if (info->write_us)
        printf (", writing %.0f", info->write_us / 1000.0);
    printf (")\n");
    printf ("hash:    %s\n", info->plan_hash);
    if (result->deficit_village_count) {
        printf ("\nhouseholds without a pair (ask the prefecture for org_deployment cadres):\n");
        printf ("  %-10s %-13s %s\n", "township", "village", "households");
        for (size_t i = 0; i < result->deficit_village_count; i++)
            printf ("  %-10llu %-13llu %zu\n", (unsigned long long) result->deficit_villages [i].township,
                    (unsigned long long) result->deficit_villages [i].village,
                    result->deficit_villages [i].count);
    }
    if (result->ended_count) {
        //  Ended pairs by reason
        printf ("\nended pairs by reason:\n");
        const char *seen [16];
        size_t counts [16], kinds = 0;
        for (size_t i = 0; i < result->ended_count; i++) {
            size_t k = 0;
            while (k < kinds && !streq (seen [k], result->end_reasons [i]))
                k++;
            if (k == kinds && kinds < 16) {
                seen [kinds] = result->end_reasons [i];
                counts [kinds++] = 0;
            }
            if (k < kinds)
                counts [k]++;
        }
        for (size_t k = 0; k < kinds; k++)
            printf ("  %-20s %zu\n", seen [k], counts [k]);
    }
    if (pairs) {
        printf ("\n  %-20s %-20s %-15s %-5s %s\n", "household", "cadre", "form", "pair", "village");
        for (size_t i = 0; i < result->pair_count; i++)
            printf ("  %-20llu %-20llu %-15s %-5s %llu\n", (unsigned long long) result->pairs [i].household,
                    (unsigned long long) result->pairs [i].cadre, fg_plan_form_name (result->pairs [i].form),
                    result->kept [i] ? "kept" : "new",
                    (unsigned long long) fg_pairing_village (plan, result->pairs [i].household));
    }
}

static void
s_print_json (fg_pairing_t *plan, bool pairs, bool published, double ms)
{
    const fg_plan_result_t *result = fg_pairing_result (plan);
    const fg_pairing_info_t *info = fg_pairing_info (plan);
    printf ("{\"version\": %lld, \"base_version\": %lld, \"cycle_year\": %lld, \"plan_hash\": \"%s\", "
            "\"params_hash\": \"%s\",\n", (long long) info->version, (long long) info->base_version,
            (long long) info->cycle_year, info->plan_hash, info->params_hash);
    printf (" \"inputs\": {\"households\": %zu, \"cadres\": %zu, \"stationed_cadres\": %zu, \"locked\": %zu, "
            "\"previous\": %zu, \"provisional\": %zu},\n", info->households, info->cadres,
            info->deployed_cadres, info->locked, info->previous, info->provisional);
    printf (" \"pairs\": %zu, \"kept\": %zu, \"new\": %zu, \"ended\": %zu, \"deficit\": %zu, "
            "\"underloaded\": %zu, \"changed\": %zu, \"total_cost\": %lld,\n", result->pair_count,
            info->kept, info->added, result->ended_count, result->deficit_count,
            result->underloaded_count, result->changed, (long long) result->total_cost);
    printf (" \"solver\": {\"components\": %zu, \"paths\": %zu, \"min_load_moves\": %zu, \"swaps\": %zu, "
            "\"transfers\": %zu, \"ms\": %.1f, \"gather_ms\": %.1f, \"solve_ms\": %.1f, \"write_ms\": %.1f},\n",
            result->components, result->paths, result->min_load_moves, result->swaps, result->transfers, ms, info->gather_us / 1000.0,
            info->solve_us / 1000.0, info->write_us / 1000.0);
    printf (" \"load_histogram\": [");
    for (size_t i = 0; i < FG_PLAN_LOAD_BINS; i++)
        printf ("%s%zu", i ? ", " : "", result->load_histogram [i]);
    printf ("],\n");
    printf (" \"deficit_villages\": [");
    for (size_t i = 0; i < result->deficit_village_count; i++)
        printf ("%s{\"township\": \"%llu\", \"village\": \"%llu\", \"households\": %zu}", i ? ", " : "",
                (unsigned long long) result->deficit_villages [i].township,
                (unsigned long long) result->deficit_villages [i].village, result->deficit_villages [i].count);
    printf ("],\n \"ended_pairs\": [");
    for (size_t i = 0; i < result->ended_count; i++)
        printf ("%s{\"household\": \"%llu\", \"cadre\": \"%llu\", \"reason\": \"%s\"}", i ? ", " : "",
                (unsigned long long) result->ended [i].household, (unsigned long long) result->ended [i].cadre,
                result->end_reasons [i]);
    printf ("]");
    if (pairs) {
        printf (",\n \"plan\": [");
        for (size_t i = 0; i < result->pair_count; i++)
            printf ("%s{\"household\": \"%llu\", \"cadre\": \"%llu\", \"form\": \"%s\", \"kept\": %s}", i ? ",\n  " : "",
                    (unsigned long long) result->pairs [i].household, (unsigned long long) result->pairs [i].cadre,
                    fg_plan_form_name (result->pairs [i].form), result->kept [i] ? "true" : "false");
        printf ("]");
    }
    if (published)
        printf (",\n \"published\": {\"plan_id\": \"%llu\", \"directive_id\": \"%llu\", \"entries\": %zu, "
                "\"rows_added\": %zu, \"rows_ended\": %zu, \"rows_reformed\": %zu}",
                (unsigned long long) info->plan_id, (unsigned long long) info->directive_id, info->entries,
                info->rows_added, info->rows_ended, info->rows_reformed);
    printf ("}\n");
}

static void
s_print_csv (fg_pairing_t *plan)
{
    const fg_plan_result_t *result = fg_pairing_result (plan);
    printf ("household_id,cadre_id,form,pair,end_reason,village\n");
    for (size_t i = 0; i < result->pair_count; i++)
        printf ("%llu,%llu,%s,%s,,%llu\n", (unsigned long long) result->pairs [i].household,
                (unsigned long long) result->pairs [i].cadre, fg_plan_form_name (result->pairs [i].form),
                result->kept [i] ? "kept" : "new",
                (unsigned long long) fg_pairing_village (plan, result->pairs [i].household));
    for (size_t i = 0; i < result->ended_count; i++)
        printf ("%llu,%llu,%s,ended,%s,%llu\n", (unsigned long long) result->ended [i].household,
                (unsigned long long) result->ended [i].cadre, fg_plan_form_name (result->ended [i].form),
                result->end_reasons [i], (unsigned long long) fg_pairing_village (plan, result->ended [i].household));
    for (size_t i = 0; i < result->deficit_count; i++)
        printf ("%llu,,,none,,%llu\n", (unsigned long long) result->deficit [i],
                (unsigned long long) fg_pairing_village (plan, result->deficit [i]));
}

static int
s_run (fgc_t *ctx, int argc, char **argv)
{
    const char *county_text = fgc_option (&argc, argv, "--county");
    const char *effective = fgc_option (&argc, argv, "--effective");
    const char *cycle = fgc_option (&argc, argv, "--cycle");
    const char *w_change = fgc_option (&argc, argv, "--w-change");
    bool no_min_load = fgc_flag (&argc, argv, "--no-min-load");
    bool no_concentration = fgc_flag (&argc, argv, "--no-concentration");
    bool no_balance = fgc_flag (&argc, argv, "--no-balance");
    bool pairs = fgc_flag (&argc, argv, "--pairs");
    bool publish = fgc_flag (&argc, argv, "--publish");
    bool accept_deficit = fgc_flag (&argc, argv, "--accept-deficit");
    const char *by = fgc_option (&argc, argv, "--by");
    bool changes = fgc_flag (&argc, argv, "--changes");
    if (argc != 1)
        return FGC_USAGE;
    if (by && !streq (by, "township") && !streq (by, "village"))
        return fgc_fail (FGC_USAGE, "--by takes township or village, not '%s'", by);
    if (changes && !by)
        return fgc_fail (FGC_USAGE, "--changes goes with --by township|village");
    if (by && (publish || pairs))
        return fgc_fail (FGC_USAGE, "--by reviews a dry run: review first, then --publish without it");
    int64_t day = fg_now_ms () / 86400000;
    if (effective && fg_date_parse (effective, &day))
        return fgc_fail (FGC_USAGE, "--effective takes a date YYYY-MM-DD, not '%s'", effective);
    int rc = fgc_open (ctx, publish);
    if (rc)
        return rc;
    const fg_node_t *self = fg_replica_self (ctx->replica);
    if (!county_text && self->tier != FG_TIER_COUNTY)
        return fgc_fail (FGC_USAGE, "this node is the %s %s: say which county with --county CODE",
                         fg_tier_name (self->tier), self->org);
    int64_t county;
    if (fgc_number ("--county", county_text ? county_text : self->org, 100000, 999999, &county))
        return FGC_USAGE;
    fg_pairing_opts_t opts;
    fg_pairing_opts_default (&opts, (uint64_t) county, day);
    if ((cycle && fgc_number ("--cycle", cycle, 2000, 2999, &opts.cycle_year))
    ||  (w_change && fgc_number ("--w-change", w_change, 1, 1000000000000LL, &opts.params.w_change)))
        return FGC_USAGE;
    opts.accept_deficit = accept_deficit;
    opts.params.min_load_pass = !no_min_load;
    opts.params.concentration_pass = !no_concentration;
    opts.params.balance = !no_balance;
    char err [512] = "";
    int64_t started = zclock_usecs ();
    fg_pairing_t *plan = publish ? fg_pairing_publish (ctx->replica, &opts, ctx->author, err, sizeof err)
                                 : fg_pairing_compute (ctx->replica, &opts, err, sizeof err);
    double ms = (double) (zclock_usecs () - started) / 1000.0;
    if (!plan)
        return fgc_fail (FGC_REFUSED, "%s%s", publish ? "not published: " : "", err);
    const fg_pairing_info_t *info = fg_pairing_info (plan);
    if (by) {
        //  The review as the console shows it: counts by unit, the changes
        fg_rows_t *rows = fg_pairing_review_units (plan, ctx->replica, streq (by, "township") ? 3 : 4,
                                                   err, sizeof err);
        if (rows && changes) {
            fg_render_rows (rows, ctx->format, FG_RENDER_NO_COUNT, stdout);
            fg_rows_destroy (&rows);
            if (ctx->format == FG_FORMAT_TEXT)
                printf ("\n");
            rows = fg_pairing_review_pairs (plan, ctx->replica, false, SIZE_MAX, err, sizeof err);
        }
        if (rows)
            fg_render_rows (rows, ctx->format, 0, stdout);
        fg_rows_destroy (&rows);
        fg_pairing_destroy (&plan);
        return *err ? fgc_fail (FGC_REFUSED, "%s", err) : FGC_OK;
    }
    if (ctx->format == FG_FORMAT_JSON)
        s_print_json (plan, pairs, publish, ms);
    else
    if (ctx->format == FG_FORMAT_CSV)
        s_print_csv (plan);
    else {
        char date [11];
        fg_date_format (day, date);
        printf ("pairing plan of county %llu, programme year %lld-%lld, version %lld%s, effective %s%s\n",
                (unsigned long long) county, (long long) info->cycle_year, (long long) info->cycle_year + 1,
                (long long) info->version, info->base_version ? "" : " (the first)", date,
                publish ? "" : " (not published)");
        s_print_text (plan, pairs, ms);
        if (publish)
            printf ("\npublished: plan %llu, directive %llu to %llu; %zu entries (%zu pairing rows added, "
                    "%zu ended, %zu changed form)\n", (unsigned long long) info->plan_id,
                    (unsigned long long) info->directive_id, (unsigned long long) county, info->entries,
                    info->rows_added, info->rows_ended, info->rows_reformed);
    }
    fg_pairing_destroy (&plan);
    return FGC_OK;
}

static int
s_list (fgc_t *ctx, int argc, char **argv)
{
    if (argc != 1)
        return FGC_USAGE;
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    char err [512];
    fg_rows_t *rows = fg_directive_plans (ctx->replica, err, sizeof err);
    if (!rows)
        return fgc_fail (FGC_BROKEN, "%s", err);
    fgc_print (ctx, rows, 0);
    fg_rows_destroy (&rows);
    return FGC_OK;
}

static int
s_check (fgc_t *ctx, int argc, char **argv)
{
    if (argc != 1)
        return FGC_USAGE;
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    const fg_node_t *self = fg_replica_self (ctx->replica);
    if (self->tier != FG_TIER_TOWNSHIP)
        return fgc_fail (FGC_USAGE, "plan check is for a township (this node is the %s %s)",
                         fg_tier_name (self->tier), self->org);
    char directive [24], ref [48], state [16], detail [256];
    uint64_t directive_id;
    rc = fg_directive_latest_plan (ctx->replica, self->org, &directive_id, ref, detail, sizeof detail);
    if (rc < 0)
        return fgc_fail (FGC_BROKEN, "%s", detail);
    if (rc > 0)
        return fgc_fail (FGC_REFUSED, "no pairing plan of county %.6s has arrived here", self->org);
    snprintf (directive, sizeof directive, "%llu", (unsigned long long) directive_id);
    if (fg_pairing_directive_ack (ctx->replica, ref, state, detail, sizeof detail))
        return fgc_fail (FGC_BROKEN, "%s", sqlite3_errmsg (fg_replica_db (ctx->replica)));
    bool refused = streq (state, "refused");
    if ((rc = fgc_ack (ctx, directive, state, refused ? detail : NULL, refused || !*detail ? NULL : detail)))
        return rc;
    printf ("%s: %s\n", state, detail);
    return streq (state, "applied") ? FGC_OK : FGC_REFUSED;
}

static int
s_provisional (fgc_t *ctx, int argc, char **argv)
{
    const char *grace = fgc_option (&argc, argv, "--grace");
    const char *today_text = fgc_option (&argc, argv, "--today");
    bool dry_run = fgc_flag (&argc, argv, "--dry-run");
    if (argc != 1)
        return FGC_USAGE;
    fg_pairing_prov_opts_t opts;
    fg_pairing_prov_opts_default (&opts, fg_now_ms () / 86400000);
    if (today_text && fg_date_parse (today_text, &opts.today))
        return fgc_fail (FGC_USAGE, "--today takes a date YYYY-MM-DD, not '%s'", today_text);
    int64_t days = opts.grace_days;
    if (grace && fgc_number ("--grace", grace, 0, 366, &days))
        return FGC_USAGE;
    opts.grace_days = (int) days;
    int rc = fgc_open (ctx, !dry_run);
    if (rc)
        return rc;
    fg_pairing_prov_info_t info;
    char err [512];
    if (fg_pairing_provisional (ctx->replica, &opts, dry_run ? NULL : ctx->author, &info, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "%s", err);
    if (ctx->format == FG_FORMAT_JSON)
        printf ("{\"unpaired\": %zu, \"waiting\": %zu, \"paired\": %zu, \"left\": %zu, \"base_version\": %lld, "
                "\"written\": %s}\n", info.unpaired, info.waiting, info.paired, info.left,
                (long long) info.base_version, dry_run ? "false" : "true");
    else {
        printf ("%zu households of this township have no pair; %zu are within the %d days of grace\n",
                info.unpaired, info.waiting, opts.grace_days);
        printf ("%zu paired provisionally with the township's own cadres%s", info.paired,
                dry_run ? " (dry run: nothing written)" : "");
        if (info.paired && !dry_run)
            printf (" (pairing_provisional; the county's next plan over version %lld confirms or replaces them)",
                    (long long) info.base_version);
        printf ("\n");
        if (info.left)
            printf ("%zu left without a pair: no cadre of the township has room; the county's plan must cover "
                    "them\n", info.left);
    }
    return FGC_OK;
}

static int
s_report (fgc_t *ctx, int argc, char **argv)
{
    const char *org = fgc_option (&argc, argv, "--org");
    const char *date = fgc_option (&argc, argv, "--date");
    const char *grace = fgc_option (&argc, argv, "--grace");
    bool cadres = fgc_flag (&argc, argv, "--cadres");
    if (argc != 1)
        return FGC_USAGE;
    int64_t day = fg_now_ms () / 86400000;
    if (date && fg_date_parse (date, &day))
        return fgc_fail (FGC_USAGE, "--date takes a date YYYY-MM-DD, not '%s'", date);
    int64_t grace_days = FG_PAIRING_GRACE_DAYS;
    if (grace && fgc_number ("--grace", grace, 0, 366, &grace_days))
        return FGC_USAGE;
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    char err [512];
    fg_rows_t *rows = cadres ? fg_report_cadres (ctx->replica, org, day, err, sizeof err)
                             : fg_report_coverage (ctx->replica, org, day, (int) grace_days, err, sizeof err);
    if (!rows && org && !fg_org_prefix_len (org))
        return fgc_fail (FGC_USAGE, "--org takes an org code, not '%s'", org);
    if (!rows)
        return fgc_fail (FGC_BROKEN, "%s", err);
    fgc_print (ctx, rows, 0);
    fg_rows_destroy (&rows);
    return FGC_OK;
}

int
fgc_plan (fgc_t *ctx, int argc, char **argv)
{
    if (argc < 2)
        return FGC_USAGE;
    if (streq (argv [1], "run"))
        return s_run (ctx, argc - 1, argv + 1);
    if (streq (argv [1], "list"))
        return s_list (ctx, argc - 1, argv + 1);
    if (streq (argv [1], "check"))
        return s_check (ctx, argc - 1, argv + 1);
    if (streq (argv [1], "provisional"))
        return s_provisional (ctx, argc - 1, argv + 1);
    if (streq (argv [1], "report"))
        return s_report (ctx, argc - 1, argv + 1);
    return FGC_USAGE;
}
