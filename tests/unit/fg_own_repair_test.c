/*  fg_own_repair_test.c - self-test "own_repair": a node verifies its own
    entries as they leave it (fg_replica_scan, fg_replica_scan_origin).
    A township writes; before it syncs, a cell of an unsent entry is
    damaged as a bad sector would (a byte of the payload, of the
    signature, of the header). The entry is rebuilt from its logged hash
    and operations, byte for byte the one it signed, and the county takes
    every entry with nothing refused or buffered. When its operations are
    damaged too, nothing past the entry leaves the township (no refusal,
    no stopped chain at the county) and the entries before it do. */
#include "fg_selftests.h"
#include "fg_testkit.h"
#include "fg_util.h"
#include "fg_inspect.h"

static char *
s_entry_hex (fg_testnode_t *node, uint64_t seq)
{
    char sql [128];
    snprintf (sql, sizeof sql, "SELECT hex (entry) FROM log WHERE origin = %u AND seq = %llu",
              node->node.node_id, (unsigned long long) seq);
    return fg_testkit_db_text (fg_replica_db (node->replica), "%s", sql);
}

void
fg_own_repair_test (bool verbose)
{
    printf (" * fg_replica (own entries verified as they leave): ");
    char *dir = fg_testkit_dir ("fg_own_repair_test");
    fg_testnode_t county, town;
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    fg_testkit_link (&county, &town);
    sqlite3 *db = fg_replica_db (town.replica);
    uint16_t me = town.node.node_id;

    //  Four entries, none sent; cells of entries 2, 3 and 4 damaged: a
    //  payload byte, a signature byte, a header byte (the hlc)
    for (int i = 0; i < 4; i++)
        fg_testkit_household (&town, "513328100201", "before the sector went bad");
    int64_t last = fg_testkit_int (&town, "SELECT max (seq) FROM log WHERE origin = 28100");
    assert (last >= 4);
    char *good [4];
    for (int i = 0; i < 4; i++)
        good [i] = s_entry_hex (&town, (uint64_t) (last - 3 + i));
    fg_testkit_flip (db, "log", "entry", me, (uint64_t) last - 2, 70);     //  a payload byte
    fg_testkit_flip (db, "log", "entry", me, (uint64_t) last - 1, -1);     //  a signature byte
    fg_testkit_flip (db, "log", "entry", me, (uint64_t) last, 20);         //  a header byte (the hlc)
    fg_rx_stats_t stats = fg_testkit_sync (&town, &county, true);
    //  The first scan stops before the first damaged entry and rebuilds
    //  it; each later scan sends what follows, rebuilding the next
    for (int round = 0; round < 4 && stats.applied < (size_t) last; round++) {
        fg_rx_stats_t more = fg_testkit_sync (&town, &county, true);
        stats.applied += more.applied;
        stats.quarantined += more.quarantined;
        stats.buffered += more.buffered;
    }
    if (verbose)
        fprintf (stderr, "\n   applied %zu, quarantined %zu, buffered %zu, county holds %lld\n", (size_t) stats.applied,
                (size_t) stats.quarantined, (size_t) stats.buffered,
                (long long) fg_testkit_int (&county, "SELECT count(*) FROM log WHERE origin = 28100"));
    assert (stats.quarantined == 0 && stats.buffered == 0);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE origin = 28100") == last);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household") == 4);
    for (int i = 0; i < 4; i++) {
        char *now = s_entry_hex (&town, (uint64_t) (last - 3 + i));
        assert (streq (now, good [i]));                 //  the very entry it signed
        free (now);
        free (good [i]);
    }

    //  A damaged entry whose operations are damaged too cannot be rebuilt:
    //  what comes before it leaves, it and what follows stay here, and the
    //  county refuses nothing (its chain of this township is not stopped)
    for (int i = 0; i < 3; i++)
        fg_testkit_household (&town, "513328100201", "after");
    fg_testkit_flip (db, "log", "entry", me, (uint64_t) last + 2, 70);
    fg_testkit_flip (db, "op", "body", me, (uint64_t) last + 2, 12);
    for (int round = 0; round < 3; round++) {
        fg_testbatch_t batch = { 0 };
        uint64_t lsn;
        assert (fg_replica_scan (town.replica, NULL, 0, 10000000, fg_testkit_collect, &batch, &lsn) == -1);
        assert (strstr (fg_replica_error (town.replica), "cannot be rebuilt"));
        stats = (fg_rx_stats_t) { 0 };
        assert (fg_replica_begin (county.replica) == 0);
        assert (fg_replica_receive_batch (county.replica, (const uint8_t **) batch.entries, batch.sizes,
                                          batch.count, &town.node, true, &stats) == 0);
        assert (fg_replica_commit (county.replica) == 0);
        fg_testkit_batch_free (&batch);
        assert (stats.quarantined == 0 && stats.buffered == 0);
    }
    assert (fg_testkit_int (&county, "SELECT max (seq) FROM log WHERE origin = 28100") == last + 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM frontier WHERE origin = 28100 AND state = 'ok'") == 1);
    //  ... and the full check at the township names it
    uint64_t entries;
    char err [256];
    fg_rows_t *problems = fg_inspect_check (town.replica, &entries, err, sizeof err);
    assert (problems && fg_rows_count (problems) >= 1);      //  (and the next one no longer links)
    char where [48];
    snprintf (where, sizeof where, "entry 28100/%lld", (long long) last + 2);
    assert (streq (fg_rows_cell (problems, 0, 0, NULL), where));
    fg_rows_destroy (&problems);

    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&town);
    fg_testkit_rmdir (dir);
    free (dir);
    printf ("OK\n");
}
