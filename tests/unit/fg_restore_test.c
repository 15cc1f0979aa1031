/*  fg_restore_test.c - self-test of restoring a township's own chain from
    its county (fg_replica_restore_start / _end) and of replacing a
    township that lost its keys (fg_replica_replace): real keys, real
    replica files; the county's repair batches are played by hand, a few
    entries at a time, as the sender serves the township's wants. */
#include "fg_selftests.h"
#include "fg_testkit.h"
#include "fg_util.h"

typedef fg_testnode_t s_tnode_t;

//  A replica made anew for a node, with the keys given (kept, or new)
static void
s_fresh (s_tnode_t *tnode, const char *dir, const fg_node_t *node, fg_keys_t *keys)
{
    memset (tnode, 0, sizeof *tnode);
    tnode->node = *node;
    memcpy (tnode->node.sign_pk, fg_keys_sign_pk (keys), FG_SIGN_PK_SIZE);
    snprintf (tnode->node.curve_pk, sizeof tnode->node.curve_pk, "%s", zcert_public_txt (fg_keys_cert (keys)));
    tnode->keys = keys;
    char *path = fg_strdupf ("%s/%s.db", dir, node->org);
    tnode->replica = fg_programme_create (path, &tnode->node);
    assert (tnode->replica);
    fg_replica_set_keys (tnode->replica, keys);
    free (path);
}

//  Serve the township's wants from the county, 3 entries per repair batch,
//  until an empty one: returns the number of batches with entries
static size_t
s_serve (s_tnode_t *county, s_tnode_t *town)
{
    size_t batches = 0;
    while (true) {
        uint64_t from = fg_replica_restore_from (town->replica);
        assert (from);
        fg_testbatch_t batch = { 0 };
        assert (fg_replica_scan_origin (county->replica, town->node.node_id, from, 3,
                                        fg_testkit_collect, &batch) == 0);
        fg_rx_stats_t stats = { 0 };
        assert (fg_replica_begin (town->replica) == 0);
        assert (fg_replica_receive_batch (town->replica, (const uint8_t **) batch.entries, batch.sizes,
                                          batch.count, &county->node, false, &stats) == 0);
        if (batch.count == 0) {
            assert (fg_replica_restore_end (town->replica) == 0);
            assert (fg_replica_from_parent (town->replica, "test", NULL, NULL, NULL) == 0);
        }
        assert (fg_replica_commit (town->replica) == 0);
        assert (stats.quarantined == 0);
        size_t count = batch.count;
        fg_testkit_batch_free (&batch);
        if (count == 0)
            break;
        assert (stats.applied == count);
        batches++;
    }
    return batches;
}

void
fg_restore_test (bool verbose)
{
    printf (" * fg_replica (restore from the parent): ");
    char *dir = fg_testkit_dir ("fg_restore_test");
    char *kept_dir = fg_strdupf ("%s/kept", dir);
    char *new_dir = fg_strdupf ("%s/replaced", dir);
    assert (fg_mkdir_p (kept_dir, 0700) == 0 && fg_mkdir_p (new_dir, 0700) == 0);
    char err [256];
    s_tnode_t county, town;
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    fg_testkit_link (&county, &town);
    for (int i = 0; i < 10; i++)
        fg_testkit_household (&town, "513328100201", "before the disk died");
    fg_testkit_sync (&town, &county, true);
    int64_t own = fg_testkit_int (&county, "SELECT max (seq) FROM log WHERE origin = 28100");
    assert (own == 11);                 //  the trust record and ten households

    //  The disk dies; the keys were kept: a new replica, restoring
    s_tnode_t again;
    s_fresh (&again, kept_dir, &town.node, town.keys);
    assert (!fg_replica_restoring (again.replica));
    assert (fg_replica_restore_start (again.replica, err, sizeof err) == 0);
    assert (fg_replica_restoring (again.replica));
    //  Restoring, trusting the parent writes no record (it comes back)
    assert (fg_replica_trust (again.replica, &county.node, "setup", err, sizeof err) == 0);
    assert (fg_testkit_int (&again, "SELECT count (*) FROM log WHERE origin = 28100") == 0);
    assert (fg_replica_restore_from (again.replica) == 1);
    //  ... and refuses own writes, saying why
    assert (fg_replica_begin (again.replica) == 0);
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", fg_replica_new_id (again.replica), 513328100201);
    fg_ops_set_text (ops, "head_name", "too early");
    assert (fg_replica_append (again.replica, ops, "clerk", NULL, NULL) == -1);
    assert (strstr (fg_replica_error (again.replica), "restore-from-parent"));
    fg_replica_rollback (again.replica);
    fg_ops_destroy (&ops);
    //  The chain comes back batch after batch, until an empty one
    assert (s_serve (&county, &again) == 4);
    assert (!fg_replica_restoring (again.replica));
    assert (fg_replica_restore_from (again.replica) == 0);
    assert (fg_testkit_int (&again, "SELECT count (*) FROM household") == 10);
    uint8_t a [FG_HASH_SIZE], b [FG_HASH_SIZE];
    size_t rows;
    assert (fg_replica_digest (again.replica, "513328100", a, &rows) == 0);
    assert (fg_replica_digest (county.replica, "513328100", b, &rows) == 0);
    assert (memcmp (a, b, FG_HASH_SIZE) == 0);
    //  The chain goes on: seq 12, taken by the county, no fork; ids past
    //  the ones the chain used
    uint64_t id = fg_testkit_household (&again, "513328100201", "after the restore");
    assert (fg_testkit_int (&again, "SELECT max (seq) FROM log WHERE origin = 28100") == own + 1);
    char sql [128];
    snprintf (sql, sizeof sql, "SELECT count (*) FROM household WHERE id = %llu", (unsigned long long) id);
    assert (fg_testkit_int (&county, sql) == 0);
    fg_rx_stats_t stats = fg_testkit_sync (&again, &county, true);
    assert (stats.applied == 1 && stats.quarantined == 0);
    assert (fg_testkit_int (&county, sql) == 1);
    own++;

    //  The disk dies again, keys and all: a replacement with new keys
    s_tnode_t replaced;
    fg_keys_t *new_keys = fg_keys_new ();
    s_fresh (&replaced, new_dir, &town.node, new_keys);
    assert (fg_replica_enroll (county.replica, &replaced.node, "op", err, sizeof err) == -1);
    assert (strstr (err, "already held"));
    assert (fg_replica_replace (county.replica, &town.node, "op", err, sizeof err) == -1);
    assert (strstr (err, "already has these keys"));
    assert (fg_replica_replace (county.replica, &replaced.node, "op", err, sizeof err) == 0);
    assert (fg_testkit_int (&county, "SELECT epoch * 1000 + epoch_base FROM node WHERE node_id = 28100")
            == 1000 + own);
    assert (fg_testkit_int (&county, "SELECT count (*) FROM node_key WHERE node_id = 28100 AND until_epoch = 1") == 1);
    assert (fg_replica_restore_start (replaced.replica, err, sizeof err) == 0);
    assert (fg_replica_trust (replaced.replica, &county.node, "setup", err, sizeof err) == 0);
    //  Its scope first (the replacement record names the old key), then
    //  its own chain, signed by the old key
    fg_testkit_sync (&county, &replaced, false);
    assert (fg_testkit_int (&replaced, "SELECT count (*) FROM node_key WHERE node_id = 28100") == 1);
    assert (s_serve (&county, &replaced) == 4);
    assert (fg_testkit_int (&replaced, "SELECT count (*) FROM household") == 11);
    //  Its chain back, it takes the epoch of its new keys
    assert (fg_replica_self (replaced.replica)->epoch == 1);
    assert (fg_replica_rebuild (replaced.replica) == 0);   //  the old key verifies the old entries
    fg_testkit_household (&replaced, "513328100201", "after the replacement");
    assert (fg_testkit_int (&replaced, "SELECT epoch * 1000 + seq FROM log WHERE origin = 28100 "
                                      "ORDER BY seq DESC LIMIT 1") == 1000 + own + 1);
    stats = fg_testkit_sync (&replaced, &county, true);
    assert (stats.applied == 1 && stats.quarantined == 0);
    assert (fg_replica_rebuild (county.replica) == 0);
    assert (fg_replica_digest (replaced.replica, "513328100", a, &rows) == 0);
    assert (fg_replica_digest (county.replica, "513328100", b, &rows) == 0);
    assert (memcmp (a, b, FG_HASH_SIZE) == 0);

    fg_replica_destroy (&replaced.replica);
    fg_keys_destroy (&new_keys);
    fg_replica_destroy (&again.replica);
    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&town);
    fg_testkit_rmdir (dir);
    free (kept_dir);
    free (new_dir);
    free (dir);
    printf ("OK\n");
}
