/*  fg_verify_test.c - self-test "verify": a replay (fg_replica_rebuild, and
    the replay of a schema upgrade) verifies every logged entry before it
    trusts it. A county holds the entries of several origins (its two
    townships, itself, the prefecture); log cells are damaged as a disk or
    a hand with sqlite3 would (a flipped byte in an entry, another hash, a
    flipped signature byte, a missing row): the rebuild refuses, names each
    damaged (origin, seq) and what is wrong, and the domain rows and the
    log stay exactly as they were. Undone, the same rebuild succeeds. */
#include "fg_selftests.h"
#include "fg_testkit.h"
#include "fg_util.h"

//  Digest of the domain rows and of the log, to see that nothing changed.
static void
s_state (fg_testnode_t *node, uint8_t digest [FG_HASH_SIZE], int64_t *households, int64_t *log_rows)
{
    size_t rows;
    assert (fg_replica_digest (node->replica, NULL, digest, &rows) == 0);
    *households = fg_testkit_int (node, "SELECT count(*) FROM household");
    *log_rows = fg_testkit_int (node, "SELECT count(*) FROM log");
}

static void
s_expect_refused (fg_testnode_t *county, const char *const *names, bool verbose)
{
    uint8_t before [FG_HASH_SIZE], after [FG_HASH_SIZE];
    int64_t hh_before, hh_after, log_before, log_after;
    s_state (county, before, &hh_before, &log_before);
    int rc = fg_replica_rebuild (county->replica);
    const char *error = fg_replica_error (county->replica);
    if (verbose || rc == 0)
        printf ("\n   rebuild: %d %s", rc, rc ? error : "(accepted a damaged log)");
    assert (rc == -1);
    for (size_t i = 0; names [i]; i++) {
        if (!strstr (error, names [i]))
            printf ("\n   '%s' not in: %s\n", names [i], error);
        assert (strstr (error, names [i]));
    }
    //  It says what to do
    assert (strstr (error, "backup") && strstr (error, "fugai resync"));
    s_state (county, after, &hh_after, &log_after);
    assert (memcmp (before, after, FG_HASH_SIZE) == 0);
    assert (hh_before == hh_after && hh_before > 0);
    assert (log_before == log_after);
}

void
fg_verify_test (bool verbose)
{
    printf (" * fg_verify: ");
    char *dir = fg_testkit_dir ("fg_verify_test");
    fg_testnode_t pref, county, town, town2;
    fg_testkit_node (&pref, dir, 1, FG_TIER_PREFECTURE, "513300", "Ganzi prefecture");
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "Ganzi county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "Township 100");
    fg_testkit_node (&town2, dir, 28101, FG_TIER_TOWNSHIP, "513328101", "Township 101");
    fg_testkit_link (&pref, &county);
    fg_testkit_link (&county, &town);
    fg_testkit_link (&county, &town2);
    for (int i = 0; i < 6; i++) {
        char name [32];
        snprintf (name, sizeof name, "Head %d", i);
        fg_testkit_household (&town, "513328100201", name);
        fg_testkit_household (&town2, "513328101201", name);
    }
    fg_testkit_sync (&town, &county, true);
    fg_testkit_sync (&town2, &county, true);
    fg_testkit_sync (&county, &pref, true);
    fg_testkit_sync (&pref, &county, false);
    sqlite3 *db = fg_replica_db (county.replica);
    //  Several origins, the townships' chains complete
    assert (fg_testkit_int (&county, "SELECT count(DISTINCT origin) FROM log") >= 4);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE origin = 28100") >= 7);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE origin = 28101") >= 7);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE origin = 1") >= 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household") == 12);
    uint64_t last = (uint64_t) fg_testkit_int (&county, "SELECT max(seq) FROM log WHERE origin = 28100");

    //  A healthy log replays to the same rows
    uint8_t healthy [FG_HASH_SIZE], digest [FG_HASH_SIZE];
    int64_t households, log_rows;
    s_state (&county, healthy, &households, &log_rows);
    assert (fg_replica_rebuild (county.replica) == 0);
    s_state (&county, digest, &households, &log_rows);
    assert (memcmp (healthy, digest, FG_HASH_SIZE) == 0 && households == 12);

    //  1. A flipped payload byte in one entry, another hash on a second:
    //  both named, nothing changed
    fg_testkit_flip (db, "log", "entry", 28100, 3, 80);
    fg_testkit_flip (db, "log", "hash", 28101, 2, 5);
    const char *both [] = { "28100/3", "28101/2", "hash", NULL };
    s_expect_refused (&county, both, verbose);
    fg_testkit_flip (db, "log", "entry", 28100, 3, 80);
    fg_testkit_flip (db, "log", "hash", 28101, 2, 5);
    assert (fg_replica_rebuild (county.replica) == 0);

    //  2. A flipped signature byte on the last entry of a chain (the one
    //  whose signature proves the run)
    fg_testkit_flip (db, "log", "entry", 28100, last, -3);
    char name [32];
    snprintf (name, sizeof name, "28100/%llu", (unsigned long long) last);
    const char *sig [] = { name, "signature", NULL };
    s_expect_refused (&county, sig, verbose);
    fg_testkit_flip (db, "log", "entry", 28100, last, -3);

    //  3. A flipped byte in the header (the seq the bytes carry), and a
    //  prev_hash that names another predecessor
    fg_testkit_flip (db, "log", "entry", 28101, 4, 17);
    fg_testkit_flip (db, "log", "entry", 28100, 5, 30);
    const char *header [] = { "28101/4", "28100/5", NULL };
    s_expect_refused (&county, header, verbose);
    fg_testkit_flip (db, "log", "entry", 28101, 4, 17);
    fg_testkit_flip (db, "log", "entry", 28100, 5, 30);

    //  4. A row of an own-subtree chain deleted: the chain has a hole
    assert (sqlite3_exec (db, "CREATE TEMP TABLE kept AS SELECT * FROM log WHERE origin = 28101 AND seq = 3;"
                          "DELETE FROM log WHERE origin = 28101 AND seq = 3", NULL, NULL, NULL) == SQLITE_OK);
    const char *hole [] = { "28101/4", "missing", NULL };
    s_expect_refused (&county, hole, verbose);
    assert (sqlite3_exec (db, "INSERT INTO log SELECT * FROM kept; DROP TABLE kept",
                          NULL, NULL, NULL) == SQLITE_OK);
    assert (fg_replica_rebuild (county.replica) == 0);
    s_state (&county, digest, &households, &log_rows);
    assert (memcmp (healthy, digest, FG_HASH_SIZE) == 0 && households == 12);

    //  5. A schema upgrade replays the same way: with a damaged entry the
    //  file is not opened, and keeps its schema version and its rows
    fg_testkit_flip (db, "log", "entry", 28100, 3, 80);
    assert (sqlite3_exec (db, "UPDATE meta SET value = 1 WHERE key = 'schema_version'",
                          NULL, NULL, NULL) == SQLITE_OK);
    fg_replica_destroy (&county.replica);
    char *path = fg_strdupf ("%s/513328.db", dir);
    assert (fg_replica_open (path, fg_programme_hooks ()) == NULL);
    sqlite3 *raw;
    assert (sqlite3_open (path, &raw) == SQLITE_OK);
    assert (fg_testkit_db_int (raw, "SELECT value FROM meta WHERE key = 'schema_version'") == 1);
    assert (fg_testkit_db_int (raw, "SELECT count(*) FROM household") == 12);
    fg_testkit_flip (raw, "log", "entry", 28100, 3, 80);
    sqlite3_close (raw);
    county.replica = fg_replica_open (path, fg_programme_hooks ());
    assert (county.replica);
    free (path);
    fg_replica_set_keys (county.replica, county.keys);
    assert (fg_testkit_int (&county, "SELECT value FROM meta WHERE key = 'schema_version'") == FG_SCHEMA_VERSION);
    s_state (&county, digest, &households, &log_rows);
    assert (memcmp (healthy, digest, FG_HASH_SIZE) == 0 && households == 12);

    fg_testkit_node_destroy (&town2);
    fg_testkit_chain_end (&dir, &pref, &county, &town);
    printf ("OK\n");
}
