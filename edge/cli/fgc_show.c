/*  fgc_show.c - what an operator looks at: list, status, quarantine,
    digest, log (proposals: fgc_proposals.c). Read-only: none of these
    needs the keys. */
#include "fgc.h"
#include "fg_org.h"
#include "fg_listing.h"
#include "fg_site.h"
#include "fg_household.h"
#include "fg_inspect.h"

int
fgc_list (fgc_t *ctx, int argc, char **argv)
{
    fg_listing_query_t query = { .limit = -1 };
    const char *limit = fgc_option (&argc, argv, "--limit");
    query.search = fgc_option (&argc, argv, "--search");
    query.sort = fgc_option (&argc, argv, "--sort");
    const char *where;
    while ((where = fgc_option (&argc, argv, "--where")))
        if (query.where_count < FG_LISTING_WHERE_MAX)
            query.where [query.where_count++] = where;
        else
            return fgc_fail (FGC_USAGE, "at most %d --where", FG_LISTING_WHERE_MAX);
    if (argc != 2)
        return FGC_USAGE;
    if (limit && fgc_number ("--limit", limit, 0, INT64_MAX, &query.limit))
        return FGC_USAGE;
    const fg_table_t *table = fg_schema_table (argv [1]);
    if (!table || (table->flags & FG_TABLE_SYSTEM)) {
        const char *guess = fg_schema_suggest_table (argv [1]);
        if (guess)
            return fgc_fail (FGC_REFUSED, "no table '%s'; did you mean '%s'? (fugai schema lists them)",
                             argv [1], guess);
        return fgc_fail (FGC_REFUSED, "no table '%s' (fugai schema lists them)", argv [1]);
    }
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    fg_rows_t *rows;
    char err [512];
    rc = fg_listing_list (ctx->replica, argv [1], &query, &rows, err, sizeof err);
    if (rc)
        return fgc_fail (rc == FG_LISTING_BAD ? FGC_USAGE : FGC_BROKEN, "%s", err);
    fgc_print (ctx, rows, FG_RENDER_HIDE_EMPTY);
    fg_rows_destroy (&rows);
    return FGC_OK;
}

int
fgc_show (fgc_t *ctx, int argc, char **argv)
{
    if (argc != 3)
        return FGC_USAGE;
    int64_t id;
    if (fgc_number ("a record id", argv [2], 1, INT64_MAX, &id))
        return FGC_USAGE;
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    fg_rows_t *record, *referrers;
    char err [512];
    rc = fg_listing_show (ctx->replica, argv [1], (uint64_t) id, &record, &referrers, err, sizeof err);
    if (rc)
        return fgc_fail (rc == FG_LISTING_BAD ? FGC_REFUSED : FGC_BROKEN, "%s", err);
    if (ctx->format == FG_FORMAT_JSON) {
        printf ("{\"record\": ");
        fgc_print (ctx, record, 0);
        printf (", \"referred_by\": ");
        fgc_print (ctx, referrers, 0);
        printf ("}\n");
    }
    else
    if (ctx->format == FG_FORMAT_CSV)
        fgc_print (ctx, record, 0);     //  the record; its referrers are `fugai show` in text or JSON
    else {
        //  One field a line, then who refers to it
        fg_rows_t *fields = fg_rows_new ();
        fg_rows_column (fields, "field");
        fg_rows_column (fields, "value");
        for (size_t c = 0; c < fg_rows_column_count (record); c++) {
            const char *value = fg_rows_cell (record, 0, c, NULL);
            if (!value || !*value)
                continue;
            fg_rows_value (fields, fg_rows_column_name (record, c), false);
            fg_rows_value (fields, value, false);
            fg_rows_row_end (fields);
        }
        printf ("%s %lld:\n", argv [1], (long long) id);
        fgc_print (ctx, fields, FG_RENDER_NO_COUNT);
        fg_rows_destroy (&fields);
        if (streq (argv [1], "household")) {
            //  Who visits it, by name, even a cadre of elsewhere whose
            //  own record this township does not hold (its pair names it)
            fg_rows_t *paired = fg_household_cadres (ctx->replica, (uint64_t) id,
                                                     fg_now_ms () / 86400000, err, sizeof err);
            if (!paired) {
                fg_rows_destroy (&record);
                fg_rows_destroy (&referrers);
                return fgc_fail (FGC_BROKEN, "%s", err);
            }
            if (fg_rows_count (paired)) {
                printf ("\npaired cadres:\n");
                fgc_print (ctx, paired, 0);
            }
            else
                printf ("\nno cadre is paired with it\n");
            fg_rows_destroy (&paired);
        }
        if (fg_rows_count (referrers)) {
            printf ("\nreferred to by:\n");
            fgc_print (ctx, referrers, 0);
        }
        else
            printf ("\nno record here refers to it\n");
    }
    fg_rows_destroy (&record);
    fg_rows_destroy (&referrers);
    return FGC_OK;
}

static void
s_ago (int64_t ms, char *out, size_t size)
{
    if (!ms) {
        snprintf (out, size, "never");
        return;
    }
    int64_t seconds = (fg_now_ms () - ms) / 1000;
    if (seconds < 120)
        snprintf (out, size, "%llds ago", (long long) seconds);
    else
    if (seconds < 7200)
        snprintf (out, size, "%lldmin ago", (long long) seconds / 60);
    else
    if (seconds < 172800)
        snprintf (out, size, "%lldh ago", (long long) seconds / 3600);
    else
        snprintf (out, size, "%lld days ago", (long long) seconds / 86400);
}

int
fgc_status (fgc_t *ctx, int argc, char **argv)
{
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    fg_counts_t counts;
    if (fg_replica_counts (ctx->replica, &counts))
        return fgc_fail (FGC_BROKEN, "%s", fg_replica_error (ctx->replica));
    const fg_node_t *self = fg_replica_self (ctx->replica);
    fg_link_status_t peers [512];
    size_t peer_count = fg_replica_links (ctx->replica, peers, 512);
    //  Whether this node's daemon runs (it holds the directory's lock), and
    //  which links are stale: the state a link last recorded is true only
    //  while a daemon runs and has heard from the other end lately
    int daemon = fg_site_daemon (ctx->config->dir);
    int64_t stale_after = 3 * (int64_t) ctx->config->timeout_ms;
    bool stale [512];
    for (size_t i = 0; i < peer_count; i++) {
        bool live_state = streq (peers [i].state, "connected") || streq (peers [i].state, "syncing");
        stale [i] = live_state && (!daemon || !peers [i].last_contact
                                   || fg_now_ms () - peers [i].last_contact > stale_after);
    }
    if (ctx->format == FG_FORMAT_JSON) {
        printf ("{\"node\": {\"id\": %u, \"role\": \"%s\", \"org\": \"%s\", \"name\": ",
                self->node_id, fg_tier_name (self->tier), self->org);
        fg_json_string (stdout, self->name);
        printf ("},\n \"daemon\": {\"running\": %s, \"pid\": %d},", daemon ? "true" : "false", daemon);
        char *url = fg_config_console_url (ctx->config);
        printf ("\n \"console_url\": ");
        if (url)
            fg_json_string (stdout, url);
        else
            printf ("null");
        free (url);
        printf (",\n \"replica\": {\"path\": ");
        fg_json_string (stdout, ctx->config->data);
        printf (", \"schema\": %d, \"entries\": %llu, \"own_seq\": %llu, \"last_lsn\": %llu, \"epoch\": %u, "
                "\"recovering\": %s, \"restoring\": %s, \"rekeying\": %s},\n",
                FG_SCHEMA_VERSION, (unsigned long long) counts.log_entries,
                (unsigned long long) counts.own_seq, (unsigned long long) counts.last_lsn, self->epoch,
                fg_replica_recovering (ctx->replica) ? "true" : "false",
                fg_replica_restoring (ctx->replica) ? "true" : "false",
                fg_replica_rekeying (ctx->replica) ? "true" : "false");
        printf (" \"counts\": {\"ops_applied\": %llu, \"ops_proposed\": %llu, \"ops_rejected\": %llu, "
                "\"buffered\": %llu, \"quarantined\": %llu, \"forked_origins\": %llu, \"clock_ahead\": %llu, "
                "\"clock_flagged\": %llu, \"transitions_rejected\": %llu, \"refused_own\": %llu},\n",
                (unsigned long long) counts.ops_applied, (unsigned long long) counts.ops_proposed,
                (unsigned long long) counts.ops_rejected, (unsigned long long) counts.buffered,
                (unsigned long long) counts.quarantined, (unsigned long long) counts.forked_origins,
                (unsigned long long) counts.clock_ahead, (unsigned long long) counts.clock_flagged,
                (unsigned long long) counts.transitions_rejected, (unsigned long long) counts.refused_own);
        printf (" \"links\": [");
        for (size_t i = 0; i < peer_count; i++) {
            fg_link_status_t *peer = &peers [i];
            printf ("%s\n  {\"node\": %u, \"relation\": \"%s\", \"role\": \"%s\", \"org\": \"%s\", \"name\": ",
                    i ? "," : "", peer->id, peer->relation, peer->tier, peer->org);
            fg_json_string (stdout, peer->name);
            printf (", \"key\": \"%s\", \"state\": ", peer->status);
            fg_json_string (stdout, peer->state);
            printf (", \"stale\": %s", stale [i] ? "true" : "false");
            printf (", \"last_contact_ms\": %lld, \"rtt_ms\": %lld, \"clock_offset_ms\": %lld, "
                    "\"waiting\": %llu, \"error\": ", (long long) peer->last_contact,
                    (long long) peer->rtt_ms, (long long) peer->offset_ms,
                    (unsigned long long) peer->pending);
            fg_json_string (stdout, peer->error);
            printf ("}");
        }
        printf ("%s]}\n", peer_count ? "\n " : "");
        return FGC_OK;
    }
    printf ("node %u: %s %s (%s)\n", self->node_id, fg_tier_name (self->tier), self->org, self->name);
    if (daemon)
        printf ("daemon: running (pid %d)\n", daemon);
    else
        printf ("daemon: NOT running (start %s %s); link states below are as it left them\n",
                self->tier == FG_TIER_TOWNSHIP ? "fugai-edge" : "fugai-hub", ctx->config->dir);
    char *url = fg_config_console_url (ctx->config);
    printf ("web console: %s\n", url ? url : "off (web/listen in fugai.cfg)");
    free (url);
    printf ("replica %s: %llu entries held, own chain at seq %llu\n", ctx->config->data,
            (unsigned long long) counts.log_entries, (unsigned long long) counts.own_seq);
    printf ("operations: %llu applied, %llu proposals, %llu rejected\n",
            (unsigned long long) counts.ops_applied, (unsigned long long) counts.ops_proposed,
            (unsigned long long) counts.ops_rejected);
    printf ("entries waiting for a predecessor or key (buffered): %llu\n", (unsigned long long) counts.buffered);
    printf ("entries refused (quarantined): %llu%s\n", (unsigned long long) counts.quarantined,
            counts.quarantined ? "  -> fugai quarantine list" : "");
    if (counts.refused_own)
        printf ("OWN ENTRIES REFUSED upstream: %llu of this node's own chain (the later ones wait behind "
                "them at the hub) -> fugai quarantine list; a fork: fugai epoch %u on the parent\n",
                (unsigned long long) counts.refused_own, self->node_id);
    if (counts.forked_origins)
        printf ("FORKED chains: %llu (a node restored from an old backup?) -> fugai quarantine list;\n"
                "    recover with fugai epoch NODE on its parent\n", (unsigned long long) counts.forked_origins);
    if (fg_replica_recovering (ctx->replica))
        printf ("RECOVERING from a fork (epoch %u): waiting for own entries from seq %llu to come back from "
                "the parent; writes wait until then\n", self->epoch,
                (unsigned long long) fg_replica_restore_from (ctx->replica));
    if (fg_replica_rekeying (ctx->replica))
        printf ("REKEYING: this node switched to its next keys (fugai rekey --switch) and waits for its "
                "parent's record of them (fugai enroll --rekey there); writes wait until it arrives "
                "(keep the daemon connected; fugai rekey --cancel puts the old keys back)\n");
    if (fg_replica_restoring (ctx->replica))
        printf ("RESTORING from the parent: own chain back to seq %llu so far; writes wait until it is "
                "all back (keep the daemon connected)\n", (unsigned long long) counts.own_seq);
    if (counts.set_aside)
        printf ("entries of a forked branch kept as evidence here: %llu (table forked_own)\n",
                (unsigned long long) counts.set_aside);
    if (counts.clock_ahead || counts.clock_flagged)
        printf ("entries stamped implausibly far ahead: %llu seen here, %llu flagged by hubs "
                "(they rank at their time of receipt)\n", (unsigned long long) counts.clock_ahead,
                (unsigned long long) counts.clock_flagged);
    if (counts.transitions_rejected)
        printf ("workflow transitions rejected (not the owner, or out of order): %llu  -> fugai quarantine list\n",
                (unsigned long long) counts.transitions_rejected);
    for (size_t i = 0; i < peer_count; i++) {
        fg_link_status_t *peer = &peers [i];
        char ago [32];
        s_ago (peer->last_contact, ago, sizeof ago);
        char state [160];
        if (stale [i] && !daemon)
            snprintf (state, sizeof state, "STALE (no daemon runs here; it last said %s)", peer->state);
        else
        if (stale [i])
            snprintf (state, sizeof state, "STALE (no contact for more than %llds; it last said %s)",
                      (long long) stale_after / 1000, peer->state);
        else
            snprintf (state, sizeof state, "%s", peer->state);
        printf ("%s %u: %s %s (%s)%s\n    %s, last contact %s", peer->relation, peer->id, peer->tier,
                peer->org, peer->name, streq (peer->status, "active") ? "" : " [REVOKED]",
                state, ago);
        if (peer->last_contact && streq (peer->state, "connected") && !stale [i])
            printf (", round trip %lld ms", (long long) peer->rtt_ms);
        printf ("; %llu entr%s waiting to go %s\n", (unsigned long long) peer->pending,
                peer->pending == 1 ? "y" : "ies", streq (peer->relation, "parent") ? "up" : "down");
        if (peer->error [0] && !streq (peer->state, "connected"))
            printf ("    last problem: %s\n", peer->error);
    }
    if (peer_count == 0)
        printf ("no parent or children yet (fugai trust / fugai enroll)\n");
    return FGC_OK;
}

int
fgc_quarantine (fgc_t *ctx, int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && !streq (argv [1], "list")))
        return FGC_USAGE;
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    char err [512];
    size_t count;
    fg_rows_t **sections = fg_inspect_refused (ctx->replica, &count, err, sizeof err);
    if (!sections)
        return fgc_fail (FGC_BROKEN, "%s", err);
    //  People see the sections that hold something, with a heading; JSON
    //  is one object of every section by key; CSV one table after another
    size_t shown = 0;
    for (size_t i = 0; i < count; i++) {
        fg_rows_t *rows = sections [i];
        if (ctx->format == FG_FORMAT_TEXT) {
            if (fg_rows_count (rows) == 0)
                continue;
            printf ("%s%s:\n", shown ? "\n" : "", fg_rows_meta (rows, "heading"));
        }
        else
        if (ctx->format == FG_FORMAT_JSON)
            printf ("%s\"%s\": ", i == 0 ? "{" : ", ", fg_rows_meta (rows, "key"));
        fgc_print (ctx, rows, 0);
        shown++;
    }
    fg_inspect_sections_destroy (&sections, count);
    if (ctx->format == FG_FORMAT_JSON)
        printf ("}\n");
    else
    if (ctx->format == FG_FORMAT_TEXT && shown == 0)
        printf ("nothing refused here, no refusals from hubs, no transitions or operations rejected\n");
    return FGC_OK;
}

int
fgc_digest (fgc_t *ctx, int argc, char **argv)
{
    const char *org = fgc_option (&argc, argv, "--org");
    if (argc != 1)
        return FGC_USAGE;
    if (org && !fg_org_level (org))
        return fgc_fail (FGC_USAGE, "--org %s is not an org code", org);
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    uint8_t digest [FG_HASH_SIZE];
    size_t rows;
    if (fg_replica_digest (ctx->replica, org, digest, &rows))
        return fgc_fail (FGC_BROKEN, "%s", fg_replica_error (ctx->replica));
    char hex [2 * FG_HASH_SIZE + 1];
    fg_hex_encode (digest, FG_HASH_SIZE, hex);
    if (ctx->format == FG_FORMAT_JSON)
        printf ("{\"org\": \"%s\", \"rows\": %zu, \"digest\": \"%s\"}\n", org ? org : "", rows, hex);
    else
        printf ("%s  %zu rows  %s\n", hex, rows, org ? org : "(all)");
    return FGC_OK;
}

int
fgc_log (fgc_t *ctx, int argc, char **argv)
{
    const char *origin = fgc_option (&argc, argv, "--origin");
    const char *limit = fgc_option (&argc, argv, "--limit");
    if (argc != 1)
        return FGC_USAGE;
    uint16_t origin_id = 0;
    int64_t rows_max = 50;
    if ((origin && fgc_node_id (origin, &origin_id))
    ||  (limit && fgc_number ("--limit", limit, 0, INT64_MAX, &rows_max)))
        return FGC_USAGE;
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    char err [512];
    fg_rows_t *rows = fg_inspect_log (ctx->replica, origin ? origin_id : 0, rows_max, err, sizeof err);
    if (!rows)
        return fgc_fail (FGC_BROKEN, "%s", err);
    fgc_print (ctx, rows, 0);
    fg_rows_destroy (&rows);
    return FGC_OK;
}
