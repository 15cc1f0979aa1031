/*  fg_bounds_test.c - self-test of what one enrolled node can make its
    parent hold, and of history that survives a revocation (issue 7,
    holes 5 to 7), on real replicas with real keys:
      5. entries of an origin nobody knows: a township may send none, a
         county only within bounds, and the sender check runs again when
         the origin becomes known;
      6. one batch of garbage: bounded rows, one summarised refusal per
         batch and reason, evidence as a hash and a size, and past the
         session's quota the batch is refused whole;
      7. a county revoked at the prefecture: its townships' entries held
         before still verify (check, rebuild), nothing of its key after.
    The tree: prefecture 1 (513300), counties 128 (513328) and 129
    (513329), townships 28100 (513328100) and 29100 (513329100).
*/
#include "fg_selftests.h"
#include "fg_testkit.h"
#include "fg_util.h"
#include "fg_ops.h"
#include "fg_hlc.h"
#include "fgp_bundle.h"

typedef struct {
    char         *dir;
    fg_testnode_t pref, c1, c2, t1, t2;
} s_tree_t;

static void
s_tree_new (s_tree_t *tree, const char *name)
{
    tree->dir = fg_testkit_dir (name);
    fg_testkit_node (&tree->pref, tree->dir, 1, FG_TIER_PREFECTURE, "513300", "prefecture");
    fg_testkit_node (&tree->c1, tree->dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&tree->c2, tree->dir, 129, FG_TIER_COUNTY, "513329", "other county");
    fg_testkit_node (&tree->t1, tree->dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    fg_testkit_node (&tree->t2, tree->dir, 29100, FG_TIER_TOWNSHIP, "513329100", "other town");
    fg_testkit_link (&tree->pref, &tree->c1);
    fg_testkit_link (&tree->pref, &tree->c2);
    fg_testkit_link (&tree->c1, &tree->t1);
    fg_testkit_link (&tree->c2, &tree->t2);
}

static void
s_tree_destroy (s_tree_t *tree)
{
    fg_testkit_node_destroy (&tree->t2);
    fg_testkit_node_destroy (&tree->t1);
    fg_testkit_node_destroy (&tree->c2);
    fg_testkit_node_destroy (&tree->c1);
    fg_testkit_node_destroy (&tree->pref);
    fg_testkit_rmdir (tree->dir);
    free (tree->dir);
}

//  Receive entries at `to` as sent by `via` in one batch (one transaction).
static fg_rx_stats_t
s_receive (fg_testnode_t *to, fg_testnode_t *via, bool from_child, uint8_t **entries,
           size_t *sizes, size_t count)
{
    fg_rx_stats_t stats = { 0 };
    assert (fg_replica_begin (to->replica) == 0);
    assert (fg_replica_receive_batch (to->replica, (const uint8_t **) entries, sizes, count,
                                      &via->node, from_child, &stats) == 0);
    assert (fg_replica_commit (to->replica) == 0);
    return stats;
}

//  The two replicas hold the same rows of the org.
static void
s_agree (fg_testnode_t *a, fg_testnode_t *b, const char *org)
{
    uint8_t d1 [FG_HASH_SIZE], d2 [FG_HASH_SIZE];
    size_t rows1, rows2;
    assert (fg_replica_digest (a->replica, org, d1, &rows1) == 0);
    assert (fg_replica_digest (b->replica, org, d2, &rows2) == 0);
    assert (rows1 == rows2 && memcmp (d1, d2, FG_HASH_SIZE) == 0);
}

//  5. Unknown origins
static void
s_test_unknown_origin (void)
{
    s_tree_t tree;
    s_tree_new (&tree, "fg_bounds_unknown");
    //  (a) A township relays an entry of an origin nobody knows: its
    //  subtree is itself, so it is refused, not buffered
    fg_testauthor_t stranger = { .node = { .node_id = 777, .tier = FG_TIER_TOWNSHIP,
                                           .org = "513328109", .name = "stranger" } };
    stranger.keys = fg_keys_new ();
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", fg_testkit_author_id (&stranger), 513328109201);
    fg_ops_set_text (ops, "head_name", "Nobody");
    size_t size;
    uint8_t *bytes = fg_testkit_sign (&stranger, &ops, fg_hlc_make (fg_now_ms (), 0), &size);
    fg_rx_stats_t stats = s_receive (&tree.c1, &tree.t1, true, &bytes, &size, 1);
    assert (stats.buffered == 0 && stats.quarantined == 1);
    assert (fg_testkit_int (&tree.c1, "SELECT count(*) FROM buffer") == 0);
    assert (fg_testkit_int (&tree.c1, "SELECT count(*) FROM quarantine WHERE reason = 'outside_sender' "
                                      "AND origin = 777") == 1);
    free (bytes);
    fg_keys_destroy (&stranger.keys);

    //  (b) County 128 relays the entries of county 129's township before
    //  the prefecture knows that township: they may wait (a county's
    //  subtree could hold an unknown origin), but once county 129's
    //  record of it arrives, the sender check refuses them
    fg_testkit_household (&tree.t2, "513329100201", "Dorje");
    fg_testkit_sync (&tree.t2, &tree.c2, true);
    fg_testbatch_t sibling = { 0 };
    assert (fg_replica_scan_origin (tree.c2.replica, 29100, 1, 1000, fg_testkit_collect, &sibling) == 0);
    assert (sibling.count == 2);
    fg_testkit_sync (&tree.c1, &tree.pref, true);
    stats = s_receive (&tree.pref, &tree.c1, true, sibling.entries, sibling.sizes, sibling.count);
    assert (stats.buffered == 2 && stats.applied == 0);
    fg_testkit_sync (&tree.c2, &tree.pref, true);
    //  Taken from county 129 only; county 128's copies refused
    assert (fg_testkit_int (&tree.pref, "SELECT count(*) FROM log WHERE origin = 29100 AND via = 129") == 2);
    assert (fg_testkit_int (&tree.pref, "SELECT count(*) FROM log WHERE origin = 29100 AND via = 128") == 0);
    assert (fg_testkit_int (&tree.pref, "SELECT count(*) FROM quarantine WHERE origin = 29100 "
                                        "AND reason = 'outside_sender' AND via = 128") == 2);
    assert (fg_testkit_int (&tree.pref, "SELECT count(*) FROM buffer") == 0);
    fg_testkit_batch_free (&sibling);

    //  (c) Bounds: entries of more unknown origins than a county's subtree
    //  could hold wait no more
    fg_keys_t *keys = fg_keys_new ();
    uint8_t *many [FG_RX_UNKNOWN_ORIGINS + 8];
    size_t sizes [FG_RX_UNKNOWN_ORIGINS + 8];
    for (size_t i = 0; i < FG_RX_UNKNOWN_ORIGINS + 8; i++) {
        fg_testauthor_t ghost = { .node = { .node_id = (uint16_t) (40000 + i), .tier = FG_TIER_TOWNSHIP,
                                            .org = "513328199" }, .keys = keys };
        ops = fg_ops_new ();
        fg_ops_begin (ops, FG_OP_PUT, "household", "reg", fg_testkit_author_id (&ghost), 513328199201);
        fg_ops_set_text (ops, "head_name", "Ghost");
        many [i] = fg_testkit_sign (&ghost, &ops, fg_hlc_make (fg_now_ms (), 0), &sizes [i]);
    }
    stats = s_receive (&tree.pref, &tree.c1, true, many, sizes, FG_RX_UNKNOWN_ORIGINS + 8);
    assert (stats.buffered == FG_RX_UNKNOWN_ORIGINS && stats.quarantined == 8);
    for (size_t i = 0; i < FG_RX_UNKNOWN_ORIGINS + 8; i++)
        free (many [i]);
    fg_keys_destroy (&keys);

    //  The tiers agree on the township's rows (the refusals travel down)
    fg_testkit_sync (&tree.pref, &tree.c2, false);
    fg_testkit_sync (&tree.c2, &tree.t2, false);
    s_agree (&tree.pref, &tree.c2, "513329100");
    s_agree (&tree.c2, &tree.t2, "513329100");
    s_tree_destroy (&tree);
}

//  Entries of `author`'s origin with seqs from `first`, signed with a key
//  that is not its own (they parse; their signature does not verify).
static uint8_t **
s_forged (fg_testnode_t *author, uint64_t first, size_t count, size_t **sizes_p)
{
    fg_testauthor_t forger = { .node = author->node };
    forger.keys = fg_keys_new ();
    forger.seq = first - 1;
    uint8_t **entries = (uint8_t **) calloc (count, sizeof (uint8_t *));
    size_t *sizes = (size_t *) calloc (count, sizeof (size_t));
    assert (entries && sizes);
    for (size_t i = 0; i < count; i++) {
        fg_ops_t *ops = fg_ops_new ();
        fg_ops_begin (ops, FG_OP_PUT, "household", "reg", fg_testkit_author_id (&forger), 513328100201);
        fg_ops_set_text (ops, "head_name", "garbage");
        entries [i] = fg_testkit_sign (&forger, &ops, fg_hlc_make (fg_now_ms (), 0), &sizes [i]);
    }
    fg_keys_destroy (&forger.keys);
    *sizes_p = sizes;
    return entries;
}

static void
s_free_entries (uint8_t **entries, size_t *sizes, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free (entries [i]);
    free (entries);
    free (sizes);
}

//  6. Amplification: what one batch of garbage costs the parent
static void
s_test_amplification (void)
{
    s_tree_t tree;
    s_tree_new (&tree, "fg_bounds_amplify");
    fg_testkit_household (&tree.t1, "513328100201", "Tashi");
    fg_testkit_sync (&tree.t1, &tree.c1, true);
    int64_t log_before = fg_testkit_int (&tree.c1, "SELECT count(*) FROM log");

    //  One batch: 600 entries of the township's origin that do not verify,
    //  and three 200 KB blobs that are not entries
    size_t *sizes;
    const size_t bad = 600, blobs = 3;
    uint8_t **entries = s_forged (&tree.t1, 100, bad + blobs, &sizes);
    for (size_t i = bad; i < bad + blobs; i++) {
        free (entries [i]);
        sizes [i] = 200 * 1024;
        entries [i] = (uint8_t *) malloc (sizes [i]);
        assert (entries [i]);
        randombytes_buf (entries [i], sizes [i]);
    }
    fg_rx_quota_t quota;
    assert (fg_replica_quota_start (tree.c1.replica, 28100, &quota) == 0);
    fg_replica_set_quota (tree.c1.replica, &quota);
    fg_rx_stats_t stats = s_receive (&tree.c1, &tree.t1, true, entries, sizes, bad + blobs);
    assert (stats.quarantined == bad + blobs && !quota.exceeded);
    //  One summarised refusal signed for the batch, not one per entry
    assert (fg_testkit_int (&tree.c1, "SELECT count(*) FROM log") == log_before + 1);
    assert (fg_testkit_int (&tree.c1, "SELECT count(*) FROM refusal WHERE origin = 28100 "
                                      "AND reason = 'bad_signature'") == 1);
    assert (fg_testkit_int (&tree.c1, "SELECT count FROM refusal WHERE reason = 'bad_signature'") == (int64_t) bad);
    assert (fg_testkit_int (&tree.c1, "SELECT last_seq - seq FROM refusal WHERE reason = 'bad_signature'")
            == (int64_t) bad - 1);
    //  Evidence of what does not verify: a hash and a size, not the bytes
    assert (fg_testkit_int (&tree.c1, "SELECT count(*) FROM quarantine") == (int64_t) (bad + blobs));
    assert (fg_testkit_int (&tree.c1, "SELECT count(*) FROM quarantine WHERE entry IS NOT NULL") == 0);
    assert (fg_testkit_int (&tree.c1, "SELECT sum (size) FROM quarantine WHERE reason = 'malformed'")
            == (int64_t) (blobs * 200 * 1024));
    s_free_entries (entries, sizes, bad + blobs);

    //  Past the session's quota the batch is refused whole: nothing of it
    //  is stored, and the receive says so
    entries = s_forged (&tree.t1, 5000, FG_RX_MAX_REFUSED, &sizes);
    assert (fg_replica_begin (tree.c1.replica) == 0);
    stats = (fg_rx_stats_t) { 0 };
    int rc = fg_replica_receive_batch (tree.c1.replica, (const uint8_t **) entries, sizes,
                                       FG_RX_MAX_REFUSED, &tree.t1.node, true, &stats);
    assert (rc == FG_RX_OVER_QUOTA && quota.exceeded && strstr (quota.reason, "quota"));
    fg_replica_rollback (tree.c1.replica);
    fg_replica_set_quota (tree.c1.replica, NULL);
    assert (fg_testkit_int (&tree.c1, "SELECT count(*) FROM quarantine") == (int64_t) (bad + blobs));
    assert (fg_testkit_int (&tree.c1, "SELECT count(*) FROM log") == log_before + 1);
    s_free_entries (entries, sizes, FG_RX_MAX_REFUSED);

    //  A bundle of the township holding more refused entries than one
    //  session may is refused whole; a smaller one is taken
    for (int round = 0; round < 2; round++) {
        size_t count = round == 0 ? FG_RX_MAX_REFUSED + 1 : 10;
        entries = s_forged (&tree.t1, 20000 + round * 5000, count, &sizes);
        fgp_body_t body = { 0 };
        for (size_t i = 0; i < count; i++)
            assert (fgp_body_add (&body, entries [i], sizes [i], FGP_BUNDLE_MAX_RAW,
                                  FGP_BUNDLE_MAX_ENTRIES) == 0);
        char *path = fg_strdupf ("%s/hostile.fgb", tree.dir);
        char err [512];
        assert (fgp_bundle_save (path, tree.t1.keys, 28100, 128, &body, NULL, err, sizeof err) == 0);
        fgp_bundle_import_t report;
        int64_t held = fg_testkit_int (&tree.c1, "SELECT count(*) FROM quarantine");
        int imported = fgp_bundle_import (tree.c1.replica, path, "test", &report, err, sizeof err);
        if (round == 0) {
            assert (imported == FGP_BUNDLE_REFUSED && strstr (err, "quota"));
            assert (fg_testkit_int (&tree.c1, "SELECT count(*) FROM quarantine") == held);
        }
        else {
            assert (imported == FGP_BUNDLE_OK && report.stats.quarantined == count);
            assert (fg_testkit_int (&tree.c1, "SELECT count(*) FROM quarantine") == held + (int64_t) count);
        }
        fgp_body_reset (&body);
        free (path);
        s_free_entries (entries, sizes, count);
    }

    //  What waits in the buffer is bounded in bytes per peer: a validly
    //  signed entry far past the frontier, with no room left, ends the
    //  receive (nothing stored)
    fg_testauthor_t ahead = { .node = tree.t1.node, .keys = tree.t1.keys, .seq = 100000 };
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", fg_testkit_author_id (&ahead), 513328100201);
    fg_ops_set_text (ops, "head_name", "far ahead");
    size_t size;
    uint8_t *bytes = fg_testkit_sign (&ahead, &ops, fg_hlc_make (fg_now_ms (), 0), &size);
    assert (fg_replica_quota_start (tree.c1.replica, 28100, &quota) == 0);
    quota.max_buffer_bytes = quota.buffer_bytes + size - 1;
    fg_replica_set_quota (tree.c1.replica, &quota);
    assert (fg_replica_begin (tree.c1.replica) == 0);
    rc = fg_replica_receive (tree.c1.replica, bytes, size, &tree.t1.node, true, &stats);
    assert (rc == FG_RX_OVER_QUOTA && strstr (quota.reason, "buffer"));
    fg_replica_rollback (tree.c1.replica);
    fg_replica_set_quota (tree.c1.replica, NULL);
    assert (fg_testkit_int (&tree.c1, "SELECT count(*) FROM buffer") == 0);
    //  ... and with room, it waits
    stats = s_receive (&tree.c1, &tree.t1, true, &bytes, &size, 1);
    assert (stats.buffered == 1 && fg_testkit_int (&tree.c1, "SELECT count(*) FROM buffer") == 1);
    free (bytes);

    //  Entries that leave the buffer leave the quota too: an honest
    //  peer's gaps come and go all session long
    fg_testkit_household (&tree.t1, "513328100203", "one");
    fg_testkit_household (&tree.t1, "513328100204", "two");
    fg_testbatch_t two = { 0 };
    uint64_t front;
    uint8_t front_hash [FG_HASH_SIZE];
    assert (fg_replica_frontier (tree.c1.replica, 28100, &front, front_hash) == 0);
    assert (fg_replica_scan_origin (tree.t1.replica, 28100, front + 1, 2, fg_testkit_collect, &two) == 0);
    assert (two.count == 2);
    assert (fg_replica_quota_start (tree.c1.replica, 28100, &quota) == 0);
    uint64_t waiting = quota.buffer_bytes;
    fg_replica_set_quota (tree.c1.replica, &quota);
    stats = s_receive (&tree.c1, &tree.t1, true, &two.entries [1], &two.sizes [1], 1);
    assert (stats.buffered == 1 && quota.buffer_bytes == waiting + two.sizes [1]);
    stats = s_receive (&tree.c1, &tree.t1, true, &two.entries [0], &two.sizes [0], 1);
    assert (stats.applied == 2 && quota.buffer_bytes == waiting);
    fg_replica_set_quota (tree.c1.replica, NULL);
    fg_testkit_batch_free (&two);

    //  Honest entries still flow, and the tiers agree
    fg_testkit_household (&tree.t1, "513328100202", "Pema");
    fg_testkit_sync (&tree.t1, &tree.c1, true);
    assert (fg_testkit_int (&tree.c1, "SELECT count(*) FROM household") == 4);
    fg_testkit_sync (&tree.c1, &tree.t1, false);
    s_agree (&tree.c1, &tree.t1, "513328100");
    fg_testkit_sync (&tree.c1, &tree.pref, true);
    s_agree (&tree.c1, &tree.pref, "513328100");
    s_tree_destroy (&tree);
}

//  7. Revocation keeps history
static void
s_test_revocation (void)
{
    s_tree_t tree;
    s_tree_new (&tree, "fg_bounds_revoke");
    fg_testkit_household (&tree.t1, "513328100201", "Tashi");
    fg_testkit_sync (&tree.t1, &tree.c1, true);
    fg_testkit_sync (&tree.c1, &tree.pref, true);
    assert (fg_testkit_int (&tree.pref, "SELECT count(*) FROM household") == 1);
    char err [256];
    assert (fg_replica_revoke (tree.pref.replica, 128, "op", err, sizeof err) == 0);
    //  More node records arrive (the other county enrolled a township)
    fg_testkit_household (&tree.t2, "513329100201", "Dorje");
    fg_testkit_sync (&tree.t2, &tree.c2, true);
    fg_testkit_sync (&tree.c2, &tree.pref, true);
    //  What was taken before still verifies: rebuild (and check) pass
    if (fg_replica_rebuild (tree.pref.replica))
        fprintf (stderr, "%s\n", fg_replica_error (tree.pref.replica));
    assert (fg_testkit_int (&tree.pref, "SELECT count(*) FROM node WHERE node_id = 28100") == 1);
    assert (fg_replica_rebuild (tree.pref.replica) == 0);
    //  ... as the keys the revoked county vouched for are kept, as
    //  historical, with the revocation's time
    assert (fg_testkit_int (&tree.pref, "SELECT count(*) FROM node WHERE node_id = 28100 "
                                        "AND status = 'revoked'") == 1);
    assert (fg_testkit_int (&tree.pref, "SELECT since FROM node WHERE node_id = 28100")
            == fg_testkit_int (&tree.pref, "SELECT since FROM node WHERE node_id = 128"));
    assert (fg_testkit_int (&tree.pref, "SELECT count(*) FROM household") == 2);
    //  Nothing of the revoked key, or of the keys it vouched for, after it
    fg_testkit_household (&tree.t1, "513328100202", "after the revocation");
    fg_testkit_sync (&tree.t1, &tree.c1, true);
    fg_rx_stats_t stats = fg_testkit_sync (&tree.c1, &tree.pref, true);
    assert (stats.applied == 0 && stats.quarantined >= 2);
    assert (fg_testkit_int (&tree.pref, "SELECT count(*) FROM quarantine WHERE reason = 'revoked' "
                                        "AND origin IN (128, 28100)") >= 2);
    assert (fg_testkit_int (&tree.pref, "SELECT count(*) FROM household") == 2);
    assert (fg_replica_rebuild (tree.pref.replica) == 0);
    //  The other county's subtree is untouched, and agrees
    fg_testkit_sync (&tree.pref, &tree.c2, false);
    s_agree (&tree.pref, &tree.c2, "513329");
    s_tree_destroy (&tree);
}

void
fg_bounds_test (bool verbose)
{
    printf (" * fg_bounds: ");
    s_test_unknown_origin ();
    s_test_amplification ();
    s_test_revocation ();
    if (verbose)
        printf ("(unknown origins bounded and checked again on retry) ");
    printf ("OK\n");
}
