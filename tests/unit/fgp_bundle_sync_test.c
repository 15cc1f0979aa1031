/*  fgp_bundle_sync_test.c - self-test of fgp_bundle_sync (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fgp_bundle.h"
#include "fg_util.h"

//  --------------------------------------------------------------------------
//  Self-test: a township whose link is down sends its writes up by bundle;
//  a directive comes down by bundle and is acknowledged; bundles that are
//  not for this node, not from its parent or child, or changed, are refused
//  whole.

#include "fg_testkit.h"
#include "fg_record.h"

static void
s_expect_import_refused (fg_testnode_t *node, const char *path, const char *expect)
{
    int64_t before = fg_testkit_int (node, "SELECT count(*) FROM log");
    int64_t quarantined = fg_testkit_int (node, "SELECT count(*) FROM quarantine");
    fgp_bundle_import_t report;
    char err [512] = "";
    int rc = fgp_bundle_import (node->replica, path, "op", &report, err, sizeof err);
    if (rc != FGP_BUNDLE_REFUSED || !strstr (err, expect)) {
        fprintf (stderr, "\nexpected the import to be refused with '%s', got %d '%s'\n", expect, rc, err);
        assert (false);
    }
    assert (report.stats.applied == 0 && report.stats.duplicate == 0);
    assert (fg_testkit_int (node, "SELECT count(*) FROM log") == before);
    assert (fg_testkit_int (node, "SELECT count(*) FROM quarantine") == quarantined);
}

static void
s_expect_export_refused (fg_testnode_t *node, uint16_t to, const char *path, const char *expect)
{
    fgp_bundle_export_t report;
    char err [512] = "";
    int rc = fgp_bundle_export (node->replica, node->keys, to, false, 0, path, &report, err, sizeof err);
    if (rc != -1 || !strstr (err, expect)) {
        fprintf (stderr, "\nexpected the export to be refused with '%s', got %d '%s'\n", expect, rc, err);
        assert (false);
    }
    assert (!zsys_file_exists (path));
}

static void
s_import (fg_testnode_t *node, const char *path, fgp_bundle_import_t *report)
{
    char err [512] = "";
    int rc = fgp_bundle_import (node->replica, path, "op", report, err, sizeof err);
    if (rc != FGP_BUNDLE_OK)
        fprintf (stderr, "\nimport into %u refused: %s\n", node->node.node_id, err);
    assert (rc == FGP_BUNDLE_OK);
}

static void
s_export (fg_testnode_t *node, uint16_t to, bool all, const char *path, fgp_bundle_export_t *report)
{
    char err [512] = "";
    int rc = fgp_bundle_export (node->replica, node->keys, to, all, 0, path, report, err, sizeof err);
    if (rc != 0)
        fprintf (stderr, "\nexport from %u to %u: %d %s\n", node->node.node_id, to, rc, err);
    assert (rc == 0);
}

static bool
s_same_digest (fg_testnode_t *a, fg_testnode_t *b, const char *org)
{
    uint8_t da [FG_HASH_SIZE], db [FG_HASH_SIZE];
    size_t rows_a, rows_b;
    assert (fg_replica_digest (a->replica, org, da, &rows_a) == 0);
    assert (fg_replica_digest (b->replica, org, db, &rows_b) == 0);
    return rows_a == rows_b && memcmp (da, db, FG_HASH_SIZE) == 0;
}

void
fgp_bundle_sync_test (bool verbose)
{
    printf (" * fgp_bundle (export, import): ");
    char *dir = fg_testkit_dir ("fgp_bundle_sync_test");
    fg_testnode_t pref, county, town, sibling;
    fg_testkit_node (&pref, dir, 1, FG_TIER_PREFECTURE, "513300", "prefecture");
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    fg_testkit_node (&sibling, dir, 28101, FG_TIER_TOWNSHIP, "513328101", "sibling");
    fg_testkit_link (&pref, &county);
    fg_testkit_link (&county, &town);
    fg_testkit_link (&county, &sibling);
    char *up = fg_strdupf ("%s/up.fgb", dir);
    char *down = fg_strdupf ("%s/down.fgb", dir);
    char *other = fg_strdupf ("%s/other.fgb", dir);
    fgp_bundle_export_t exported;
    fgp_bundle_import_t imported;

    //  Up: the township's writes reach the county by bundle
    for (int i = 0; i < 5; i++)
        fg_testkit_household (&town, "513328100201", "offline");
    int64_t own = fg_testkit_int (&town, "SELECT count(*) FROM log WHERE up = 1");
    s_export (&town, 128, false, up, &exported);
    assert (exported.count == (size_t) own && streq (exported.relation, "parent"));
    assert (exported.after == 0 && exported.last == fg_replica_last_lsn (town.replica));
    assert (!exported.truncated && exported.file_size > 0);
    s_import (&county, up, &imported);
    assert (imported.from == 28100 && streq (imported.relation, "child"));
    assert (imported.stats.applied == (uint64_t) own && imported.stats.quarantined == 0);
    assert (imported.directive_acks == 0 && !imported.resync);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household") == 5);
    assert (s_same_digest (&town, &county, "513328100"));
    //  No cursor moved, and a second import changes nothing
    assert (fg_replica_cursor (county.replica, 28100, "in") == 0);
    assert (fg_replica_cursor (town.replica, 128, "out") == 0);
    int64_t county_log = fg_testkit_int (&county, "SELECT count(*) FROM log");
    s_import (&county, up, &imported);
    assert (imported.stats.applied == 0 && imported.stats.duplicate == (uint64_t) own);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log") == county_log);

    //  What the parent acknowledged is not exported again, unless --all
    assert (fg_replica_set_cursor (town.replica, 128, "out", fg_replica_last_lsn (town.replica)) == 0);
    char err [512];
    assert (fgp_bundle_export (town.replica, town.keys, 128, false, 0, other, &exported, err, sizeof err) == 1);
    assert (exported.count == 0 && !zsys_file_exists (other));
    s_export (&town, 128, true, other, &exported);
    assert (exported.count == (size_t) own);
    unlink (other);
    fg_testkit_household (&town, "513328100201", "one more");
    s_export (&town, 128, false, other, &exported);
    assert (exported.count == 1 && exported.after > 0);
    unlink (other);

    //  Exports only go one hop: not to self, an unknown node, a node that
    //  is not the parent or a child
    s_expect_export_refused (&town, 28100, other, "not for node 28100: it is this node itself");
    s_expect_export_refused (&town, 4242, other, "not for node 4242: it is not a node this one trusts");
    s_expect_export_refused (&town, 0, other, "node 0");
    s_expect_export_refused (&county, 0, other, "node 0");

    //  Down: a directive from the prefecture reaches the county by bundle,
    //  then the township by a bundle the county exports for it; each
    //  acknowledges it, and the township's acknowledgement goes up by bundle
    fg_kv_t fields [] = { { "org_id", "513328" }, { "title", "visit every household" },
                          { "requires_ack", "yes" } };
    uint64_t directive;
    assert (fg_record_add (pref.replica, "directive", fields, 3, "chief", &directive, NULL,
                           err, sizeof err) == 0);
    s_export (&pref, 128, false, down, &exported);
    assert (streq (exported.relation, "child"));
    s_import (&county, down, &imported);
    assert (streq (imported.relation, "parent") && imported.directive_acks == 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM directive") == 1);
    s_export (&county, 28100, false, down, &exported);
    //  The county's scope for the township: its sibling's records stay out
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log") > (int64_t) exported.count);
    s_import (&town, down, &imported);
    assert (imported.directive_acks == 1 && imported.stats.quarantined == 0);
    assert (imported.stats.buffered == 0);
    assert (fg_testkit_int (&town, "SELECT count(*) FROM directive") == 1);
    int64_t town_log = fg_testkit_int (&town, "SELECT count(*) FROM log");
    s_import (&town, down, &imported);           //  twice: nothing new, no second ack
    assert (imported.stats.applied == 0 && imported.directive_acks == 0);
    assert (fg_testkit_int (&town, "SELECT count(*) FROM log") == town_log);
    s_export (&town, 128, false, up, &exported);
    s_import (&county, up, &imported);
    assert (imported.stats.applied >= 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM directive_ack") == 2);
    assert (s_same_digest (&town, &county, "513328100"));

    //  Refused whole, nothing applied:
    //  addressed to another node
    s_expect_import_refused (&sibling, down, "addressed to node 28100; this is node 28101");
    //  from a node that is not this node's parent or child (the prefecture
    //  is an ancestor the township knows)
    fgp_body_t none = { 0 };
    assert (fgp_body_add (&none, (const uint8_t *) "x", 1, 16, 1) == 0);
    assert (fgp_bundle_save (other, pref.keys, 1, 28100, &none, NULL, err, sizeof err) == 0);
    s_expect_import_refused (&town, other, "from node 1: it is this node's ancestor (513300), not its parent or one of its children");
    //  from a node it does not know, or from itself
    assert (fgp_bundle_save (other, pref.keys, 4242, 0, &none, NULL, err, sizeof err) == 0);
    s_expect_import_refused (&town, other, "from node 4242: it is not a node this one trusts");
    assert (fgp_bundle_save (other, town.keys, 28100, 0, &none, NULL, err, sizeof err) == 0);
    s_expect_import_refused (&town, other, "from node 28100: it is this node itself");
    //  signed by another key than the sender's
    assert (fgp_bundle_save (other, sibling.keys, 128, 28100, &none, NULL, err, sizeof err) == 0);
    s_expect_import_refused (&town, other, "signature does not verify with the key of node 128");
    fgp_body_reset (&none);
    //  one byte changed, anywhere
    fg_testkit_household (&town, "513328100202", "flipped");
    s_export (&town, 128, false, up, &exported);
    size_t size;
    uint8_t *bytes = fg_file_read (up, &size);
    assert (bytes);
    for (size_t at = 0; at < size; at += size / 17 + 1) {
        bytes [at] ^= 0x20;
        assert (fg_file_write (other, bytes, size, 0600) == 0);
        s_expect_import_refused (&county, other, "");
        bytes [at] ^= 0x20;
    }
    free (bytes);
    s_expect_import_refused (&county, "/nonexistent/bundle.fgb", "cannot open");
    //  from a revoked child
    assert (fg_replica_revoke (county.replica, 28101, "op", err, sizeof err) == 0);
    s_export (&sibling, 128, true, other, &exported);
    s_expect_import_refused (&county, other, "from node 28101: it is not a node this one trusts");

    //  Entries refused one by one are quarantined, and the import goes on:
    //  a child cannot speak for another origin (outside_sender)
    fgp_bundle_t *bundle = fgp_bundle_open (up, err, sizeof err);
    assert (bundle && fgp_bundle_verify (bundle, town.node.sign_pk) == 0);
    fgp_body_t relayed = { 0 };
    const uint8_t *entry;
    size_t entry_size;
    while (relayed.count < 64 && fgp_bundle_next (bundle, &entry, &entry_size) == 1)
        assert (fgp_body_add (&relayed, entry, entry_size, FGP_BUNDLE_MAX_RAW, 64) == 0);
    size_t relayed_count = relayed.count;
    fg_testnode_t rogue;
    fg_testkit_node (&rogue, dir, 28102, FG_TIER_TOWNSHIP, "513328102", "rogue");
    fg_testkit_link (&county, &rogue);
    assert (fgp_bundle_save (other, rogue.keys, 28102, 128, &relayed, NULL, err, sizeof err) == 0);
    fgp_body_reset (&relayed);
    fgp_bundle_destroy (&bundle);
    s_import (&county, other, &imported);
    assert (imported.stats.quarantined == relayed_count && imported.stats.applied == 0);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM quarantine WHERE reason = 'outside_sender'")
            == (int64_t) relayed_count);
    //  ... while the township's own bundle is still taken
    s_import (&county, up, &imported);
    assert (imported.stats.applied >= 1);
    //  The refusal is about the rogue sender, not the township's entries:
    //  kept in the county's quarantine, never signed as a refusal (SPEC
    //  5.7), so the township's subtree is the same at both
    assert (fg_testkit_int (&county, "SELECT count(*) FROM refusal WHERE reason = 'outside_sender'") == 0);
    assert (fg_testkit_int (&county, "SELECT count(DISTINCT via) FROM quarantine "
                                     "WHERE reason = 'outside_sender' AND via = 28102") == 1);
    assert (s_same_digest (&town, &county, "513328100"));
    s_export (&county, 28100, false, down, &exported);
    s_import (&town, down, &imported);
    assert (s_same_digest (&town, &county, "513328100"));
    assert (fg_testkit_int (&town, "SELECT count(*) FROM refusal WHERE reason = 'outside_sender'") == 0);
    if (verbose)
        printf ("(%zu relayed entries refused one by one) ", relayed_count);

    free (up);
    free (down);
    free (other);
    fg_testkit_node_destroy (&rogue);
    fg_testkit_node_destroy (&pref);
    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&town);
    fg_testkit_node_destroy (&sibling);
    fg_testkit_rmdir (dir);
    free (dir);
    printf ("OK\n");
}
