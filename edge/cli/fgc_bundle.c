/*  fgc_bundle.c - bundles: entries carried in a file where the link is
    down (fugai bundle export / import / show). The work is done by
    fgp_bundle (protocol/include/fgp_bundle.h); this file parses the
    arguments and says what happened. */
#include "fgc.h"
#include "fgp_bundle.h"
#include <time.h>

static void
s_time (int64_t ms, char *out, size_t size)
{
    time_t seconds = (time_t) (ms / 1000);
    struct tm tm;
    if (!gmtime_r (&seconds, &tm) || !strftime (out, size, "%Y-%m-%d %H:%M:%S UTC", &tm))
        snprintf (out, size, "%lld ms", (long long) ms);
}

//  "child 28100 (township 513328100, name)"
static void
s_describe (fgc_t *ctx, uint16_t id, char *out, size_t size)
{
    fg_node_t node;
    char relation [16];
    if (id == fg_replica_self (ctx->replica)->node_id)
        snprintf (out, size, "node %u (this node)", id);
    else
    if (fg_replica_node (ctx->replica, id, &node, relation) == 0)
        snprintf (out, size, "node %u (%s %s, %s; this node's %s)", id, fg_tier_name (node.tier),
                  node.org, node.name, relation);
    else
        snprintf (out, size, "node %u (not a trusted, active node here)", id);
}

static int
s_export (fgc_t *ctx, int argc, char **argv)
{
    const char *to_text = fgc_option (&argc, argv, "--to");
    const char *after_text = fgc_option (&argc, argv, "--after");
    bool all = fgc_flag (&argc, argv, "--all");
    if (argc != 2 || !to_text)
        return FGC_USAGE;
    uint16_t to;
    if (fgc_node_id (to_text, &to))
        return FGC_USAGE;
    uint64_t after = 0;
    if (after_text) {
        char *end = NULL;
        errno = 0;
        after = strtoull (after_text, &end, 10);
        if (!*after_text || errno || *end || after_text [0] == '-')
            return fgc_fail (FGC_USAGE, "--after takes a log position (lsn)");
        if (all)
            return fgc_fail (FGC_USAGE, "--after and --all do not go together");
    }
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    const char *path = argv [1];
    fgp_bundle_export_t report;
    char err [512];
    rc = fgp_bundle_export (ctx->replica, ctx->keys, to, all, after, path, &report, err, sizeof err);
    if (rc < 0)
        return fgc_fail (FGC_REFUSED, "no bundle written: %s", err);
    char peer [256];
    s_describe (ctx, to, peer, sizeof peer);
    if (ctx->format == FG_FORMAT_JSON) {
        printf ("{\"file\": ");
        if (rc == 1)
            printf ("null");            //  nothing to export: no file
        else
            fg_json_string (stdout, path);
        printf (", \"to\": %u, \"relation\": \"%s\", \"entries\": %zu, \"bytes\": %zu, "
                "\"file_bytes\": %zu, \"after\": %llu, \"last\": %llu, \"truncated\": %s}\n",
                to, report.relation, report.count, report.raw_size, report.file_size,
                (unsigned long long) report.after, (unsigned long long) report.last,
                report.truncated ? "true" : "false");
        return FGC_OK;
    }
    if (rc == 1) {
        printf ("nothing to export for %s: it has acknowledged everything this node holds for it "
                "(after log position %llu); no file written. --all exports everything.\n",
                peer, (unsigned long long) report.after);
        return FGC_OK;
    }
    printf ("wrote %s: %zu entries, %zu bytes (%zu in the file) for %s\n", path, report.count,
            report.raw_size, report.file_size, peer);
    printf ("  this node's log after position %llu up to %llu; import it there with: "
            "fugai -C DIR bundle import FILE\n", (unsigned long long) report.after,
            (unsigned long long) report.last);
    if (report.truncated)
        printf ("  MORE entries wait than one bundle holds (%d bytes): export the rest with "
                "--after %llu\n", FGP_BUNDLE_MAX_RAW, (unsigned long long) report.last);
    return FGC_OK;
}

static int
s_import (fgc_t *ctx, int argc, char **argv)
{
    if (argc != 2)
        return FGC_USAGE;
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    const char *path = argv [1];
    fgp_bundle_import_t report;
    char err [512];
    rc = fgp_bundle_import (ctx->replica, path, ctx->author, &report, err, sizeof err);
    if (rc == FGP_BUNDLE_REFUSED)
        return fgc_fail (FGC_REFUSED, "bundle %s refused, nothing imported: %s", path, err);
    if (rc == FGP_BUNDLE_DB_ERROR)
        return fgc_fail (FGC_BROKEN, "bundle %s: %s", path, err);
    const fg_rx_stats_t *stats = &report.stats;
    if (ctx->format == FG_FORMAT_JSON) {
        printf ("{\"file\": ");
        fg_json_string (stdout, path);
        printf (", \"from\": %u, \"relation\": \"%s\", \"entries\": %u, \"applied\": %llu, "
                "\"duplicate\": %llu, \"buffered\": %llu, \"refused\": %llu, \"directive_acks\": %zu, "
                "\"resync\": %s}\n", report.from, report.relation, report.count,
                (unsigned long long) stats->applied, (unsigned long long) stats->duplicate,
                (unsigned long long) stats->buffered, (unsigned long long) stats->quarantined,
                report.directive_acks, report.resync ? "true" : "false");
        return FGC_OK;
    }
    char peer [256];
    s_describe (ctx, report.from, peer, sizeof peer);
    printf ("imported %s from %s: %u entries\n", path, peer, report.count);
    printf ("  %llu applied, %llu duplicate, %llu buffered, %llu refused\n",
            (unsigned long long) stats->applied, (unsigned long long) stats->duplicate,
            (unsigned long long) stats->buffered, (unsigned long long) stats->quarantined);
    if (stats->buffered)
        printf ("  buffered entries wait for a predecessor or their origin's key; they are taken "
                "when it arrives (sync, or a later bundle)\n");
    if (stats->quarantined)
        printf ("  refused entries are kept with their reasons: fugai quarantine list\n");
    if (report.directive_acks)
        printf ("  acknowledged %zu directive(s) as received\n", report.directive_acks);
    if (report.recovery == FG_RECOVERY_WAITING)
        printf ("  RECOVERING from a fork: waiting for own entries to come back from the parent\n");
    else
    if (report.recovery == FG_RECOVERY_DONE)
        printf ("  fork recovery done: %zu set-aside entries signed again\n", report.resigned);
    if (report.resync)
        printf ("  node %u's chain is not the one held here (restored from a backup?): its next "
                "sync session is asked for all of its log\n", report.from);
    return FGC_OK;
}

static int
s_show (fgc_t *ctx, int argc, char **argv)
{
    if (argc != 2)
        return FGC_USAGE;
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    const char *path = argv [1];
    char err [512];
    fgp_bundle_t *bundle = fgp_bundle_open (path, err, sizeof err);
    if (!bundle)
        return fgc_fail (FGC_REFUSED, "%s is not a bundle this node can read: %s", path, err);
    const fgp_bundle_info_t *info = fgp_bundle_info (bundle);
    //  The signature, with the sender's key if this node trusts it
    fg_node_t sender;
    char relation [16] = "";
    const char *signature;
    bool known = fg_replica_node (ctx->replica, info->from, &sender, relation) == 0;
    if (known)
        signature = fgp_bundle_verify (bundle, sender.sign_pk) == 0 ? "valid" : "INVALID";
    else
        signature = "unchecked";
    char hash [2 * FG_HASH_SIZE + 1];
    fg_hex_encode (info->hash, FG_HASH_SIZE, hash);
    char created [64];
    s_time (info->created_ms, created, sizeof created);
    uint16_t self_id = fg_replica_self (ctx->replica)->node_id;
    bool for_us = info->to == 0 || info->to == self_id;
    if (ctx->format == FG_FORMAT_JSON) {
        printf ("{\"file\": ");
        fg_json_string (stdout, path);
        printf (", \"version\": %u, \"from\": %u, \"to\": %u, \"created_ms\": %lld, "
                "\"entries\": %u, \"raw_size\": %u, \"body_size\": %u, \"file_size\": %zu, "
                "\"compressed\": %s, \"hash\": \"%s\", \"sender_relation\": \"%s\", "
                "\"signature\": \"%s\", \"for_this_node\": %s}\n", info->version, info->from, info->to,
                (long long) info->created_ms, info->count, info->raw_size, info->body_size,
                info->file_size, info->flags & FGP_BUNDLE_ZSTD ? "true" : "false", hash,
                relation, signature, for_us ? "true" : "false");
    }
    else {
        char from [256], to [256];
        s_describe (ctx, info->from, from, sizeof from);
        if (info->to)
            s_describe (ctx, info->to, to, sizeof to);
        else
            snprintf (to, sizeof to, "any node (0)");
        printf ("bundle %s (format version %u)\n", path, info->version);
        printf ("  from     %s\n", from);
        printf ("  to       %s%s\n", to, for_us ? "" : "  -- NOT for this node: an import is refused");
        printf ("  created  %s\n", created);
        printf ("  entries  %u, %u bytes", info->count, info->raw_size);
        if (info->flags & FGP_BUNDLE_ZSTD)
            printf (" (zstd: %u in the file)", info->body_size);
        printf ("; file %zu bytes\n", info->file_size);
        printf ("  hash     %s\n", hash);
        if (known)
            printf ("  signature %s with node %u's key%s\n", streq (signature, "valid") ? "verifies" : "DOES NOT VERIFY",
                    info->from, streq (signature, "valid") ? "" : ": an import is refused");
        else
            printf ("  signature not checked: node %u's key is not trusted here\n", info->from);
    }
    fgp_bundle_destroy (&bundle);
    return FGC_OK;
}

int
fgc_bundle (fgc_t *ctx, int argc, char **argv)
{
    if (argc < 2)
        return FGC_USAGE;
    if (streq (argv [1], "export"))
        return s_export (ctx, argc - 1, argv + 1);
    if (streq (argv [1], "import"))
        return s_import (ctx, argc - 1, argv + 1);
    if (streq (argv [1], "show"))
        return s_show (ctx, argc - 1, argv + 1);
    return FGC_USAGE;
}
