/*  fg_route_test.c - self-test "route": the second anchor of a row
    (fg_schema.h `route`; the pairing's cadre_org). A county writes, in one
    batch, pairs of households of township 101 with a cadre of township
    100, with a cadre of 101, and with a cadre of another county (outside
    the author's subtree: ignored), and pairs of households of 100. The
    batch cuts its entries by both townships; township 100 receives its
    households' pairs and its cadre's pair in 101, nothing else (not the
    other pairs of 101's households, which sat beside it in the plan's
    order); the end of that pair reaches it too, though the end does not
    repeat cadre_org (the row's value as held counts). A rebuild, and the
    upgrade of a file of schema 6 (no log.also, no log_route index),
    compute the same routes. */
#include "fg_selftests.h"
#include "fg_record.h"
#include "fg_programme.h"
#include "fg_testkit.h"
#include "fg_util.h"

//  A pairing row through the batch (org_id, cadre_org, household id)
static uint64_t
s_pair (fg_batch_t *batch, const char *village, const char *cadre_org, int household)
{
    char cadre [32], home [32];
    snprintf (home, sizeof home, "%d", household);
    snprintf (cadre, sizeof cadre, "%d", household + 1000);
    fg_kv_t fields [] = {
        { "org_id", village }, { "cadre_id", cadre }, { "household_id", home },
        { "form", "org_deployment" }, { "start_on", "2026-01-01" }, { "cadre_org", cadre_org }
    };
    uint64_t id;
    char err [256];
    int rc = fg_batch_add (batch, "pairing", fields, cadre_org ? 6 : 5, &id, err, sizeof err);
    if (rc)
        fprintf (stderr, "s_pair: %s\n", err);
    assert (rc == 0);
    return id;
}

void
fg_route_test (bool verbose)
{
    printf (" * fg_route (second anchor): ");
    char *dir = fg_testkit_dir ("fg_route_test");
    fg_testnode_t county, town, other;
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    fg_testkit_node (&other, dir, 28101, FG_TIER_TOWNSHIP, "513328101", "other town");
    fg_testkit_link (&county, &town);
    fg_testkit_link (&county, &other);

    assert (fg_replica_begin (county.replica) == 0);
    fg_batch_t *batch = fg_batch_new (county.replica, "office");
    //  In the plan's order (by the household's township): 101's first
    uint64_t cross = s_pair (batch, "513328101201", "513328100", 1);
    uint64_t local_101 = s_pair (batch, "513328101201", "513328101201", 2);
    uint64_t elsewhere = s_pair (batch, "513328101202", "513321100", 3);
    uint64_t cross2 = s_pair (batch, "513328101202", "513328100201", 4);
    uint64_t none = s_pair (batch, "513328101202", NULL, 5);
    uint64_t home = s_pair (batch, "513328100201", "513328100", 6);
    char err [256];
    assert (fg_batch_flush (batch, err, sizeof err) == 0);
    //  101/100, 101/101, 101/(other county: none), 101/100, 101/none, 100/100
    assert (fg_batch_stats (batch)->entries == 6);
    fg_batch_destroy (&batch);
    assert (fg_replica_commit (county.replica) == 0);
    //  The entries' second anchors as the merge computed them
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE also = '513328100'") == 2);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE also = '513328100201'") == 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE also = '513328101201'") == 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE also = '' AND anchor = '513328101202'") == 2);

    //  The count of what waits for the town is what the scan offers it
    uint64_t pending = fg_replica_pending (county.replica, &town.node, 0), last;
    fg_testbatch_t offered = { 0 };
    assert (fg_replica_scan (county.replica, &town.node, 0, 100000, fg_testkit_collect, &offered, &last) == 0);
    assert (offered.count == pending);
    fg_testkit_batch_free (&offered);
    fg_testkit_sync (&county, &town, false);
    fg_testkit_sync (&county, &other, false);
    char sql [160];
    snprintf (sql, sizeof sql, "SELECT group_concat (id) FROM (SELECT id FROM pairing ORDER BY id)");
    sqlite3 *db = fg_replica_db (town.replica);
    char *held = fg_testkit_db_text (db, "%s", sql);
    char *want = fg_strdupf ("%llu,%llu,%llu", (unsigned long long) cross, (unsigned long long) cross2,
                             (unsigned long long) home);
    if (verbose || !streq (held, want))
        printf ("\n   town holds %s, wants %s (pending %llu) ", held, want, (unsigned long long) pending);
    assert (streq (held, want));
    free (held);
    free (want);
    //  The other township: all of its households' pairs, and none of 100's
    held = fg_testkit_db_text (fg_replica_db (other.replica), "%s", sql);
    want = fg_strdupf ("%llu,%llu,%llu,%llu,%llu", (unsigned long long) cross, (unsigned long long) local_101,
                       (unsigned long long) elsewhere, (unsigned long long) cross2, (unsigned long long) none);
    assert (streq (held, want));
    free (held);
    free (want);
    //  The pair outside the county keeps its value but routes by its anchor
    assert (fg_testkit_int (&county, "SELECT count(*) FROM pairing WHERE cadre_org = 513321100") == 1);

    //  The end of the cross pair names only end_on: the row's cadre_org
    //  routes it to the cadre's township as well
    assert (fg_replica_begin (county.replica) == 0);
    batch = fg_batch_new (county.replica, "office");
    fg_kv_t end [] = { { "end_on", "2026-07-01" }, { "end_reason", "rebalance" } };
    assert (fg_batch_set (batch, "pairing", cross, end, 2, err, sizeof err) == 0);
    assert (fg_batch_flush (batch, err, sizeof err) == 0);
    fg_batch_destroy (&batch);
    assert (fg_replica_commit (county.replica) == 0);
    fg_testkit_sync (&county, &town, false);
    snprintf (sql, sizeof sql, "SELECT count(*) FROM pairing WHERE id = %llu AND end_on IS NOT NULL",
              (unsigned long long) cross);
    assert (fg_testkit_int (&town, sql) == 1);
    assert (fg_testkit_int (&town, "SELECT count(*) FROM pairing") == 3);

    //  A replay (an upgrade's) computes the same routes
    assert (sqlite3_exec (fg_replica_db (county.replica), "UPDATE log SET also = ''", NULL, NULL, NULL)
            == SQLITE_OK);
    assert (fg_replica_rebuild (county.replica) == 0);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE also = '513328100'") == 3);
    //  ... and so does the upgrade of a file of schema 6 (no log.also):
    //  the column is added and the replay fills it
    assert (sqlite3_exec (fg_replica_db (county.replica),
            "UPDATE meta SET value = 6 WHERE key = 'schema_version'; DROP INDEX log_route; ALTER TABLE log DROP COLUMN also",
            NULL, NULL, NULL) == SQLITE_OK);
    fg_replica_destroy (&county.replica);
    char *path = fg_strdupf ("%s/513328.db", dir);
    county.replica = fg_replica_open (path, fg_programme_hooks ());
    free (path);
    assert (county.replica);
    assert (fg_testkit_int (&county, "SELECT value FROM meta WHERE key = 'schema_version'") == FG_SCHEMA_VERSION);
    //  (the scan's covering index, made again after the column is added)
    assert (fg_testkit_int (&county, "SELECT count(*) FROM sqlite_master WHERE name = 'log_route'") == 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE also = '513328100'") == 3);

    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&town);
    fg_testkit_node_destroy (&other);
    fg_testkit_rmdir (dir);
    free (dir);
    printf ("OK\n");
}
