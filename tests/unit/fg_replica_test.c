/*  fg_replica_test.c - self-test of fg_replica (kept apart from the class's
    two source files because it builds a whole small tree: a prefecture, a
    county and two townships, each with its own replica file and keys). */
#include "fg_selftests.h"
#include "fg_testkit.h"
#include <sys/stat.h>
#include "fg_util.h"
#include "fg_org.h"
#include "fg_hlc.h"

typedef fg_testnode_t s_tnode_t;
static char *s_dir;

void
fg_replica_test (bool verbose)
{
    printf (" * fg_replica: ");
    s_dir = fg_testkit_dir ("fg_replica_test");
    char err [256];

    s_tnode_t pref, county, town, town2;
    fg_testkit_node (&pref, s_dir, 1, FG_TIER_PREFECTURE, "513300", "Ganzi prefecture");
    fg_testkit_node (&county, s_dir, 128, FG_TIER_COUNTY, "513328", "Ganzi county");
    fg_testkit_node (&town, s_dir, 28100, FG_TIER_TOWNSHIP, "513328100", "Township 100");
    fg_testkit_node (&town2, s_dir, 28101, FG_TIER_TOWNSHIP, "513328101", "Township 101");

    //  A second replica for an existing path is refused; reopening works;
    //  the file is readable by its owner only
    char *path = fg_strdupf ("%s/513328100.db", s_dir);
    struct stat st;
    assert (stat (path, &st) == 0 && (st.st_mode & 0777) == 0600);
    assert (fg_programme_create (path, &town.node) == NULL);
    free (path);

    //  Enrollment rules
    assert (fg_replica_enroll (pref.replica, &town.node, "op", err, sizeof err) == -1);   //  not a county
    assert (fg_replica_enroll (county.replica, &county.node, "op", err, sizeof err) == -1);
    s_tnode_t stray;
    fg_testkit_node (&stray, s_dir, 29100, FG_TIER_TOWNSHIP, "513329100", "Other county's township");
    assert (fg_replica_enroll (county.replica, &stray.node, "op", err, sizeof err) == -1);  //  outside
    assert (fg_replica_enroll (pref.replica, &county.node, "op", err, sizeof err) == 0);
    assert (fg_replica_trust (county.replica, &pref.node, "op", err, sizeof err) == 0);
    assert (fg_replica_enroll (county.replica, &town.node, "op", err, sizeof err) == 0);
    assert (fg_replica_enroll (county.replica, &town2.node, "op", err, sizeof err) == 0);
    assert (fg_replica_trust (town.replica, &county.node, "op", err, sizeof err) == 0);
    assert (fg_replica_trust (town2.replica, &county.node, "op", err, sizeof err) == 0);
    //  An id already taken by other keys is refused
    s_tnode_t clash;
    fg_testkit_node (&clash, s_dir, 28100, FG_TIER_TOWNSHIP, "513328102", "Clash");
    assert (fg_replica_enroll (county.replica, &clash.node, "op", err, sizeof err) == -1);
    assert (strstr (err, "already held"));

    //  Township writes offline: household, then an out-of-scope write
    uint64_t hh = fg_testkit_household (&town, "513328100201", "Tashi");
    fg_testkit_household (&town, "513328100202", "Dolma");
    uint64_t foreign = fg_testkit_household (&town, "513328101201", "Not ours");
    assert (fg_testkit_int (&town, "SELECT count(*) FROM household") == 2);
    assert (fg_testkit_int (&town, "SELECT count(*) FROM op WHERE reason LIKE 'out_of_scope%'") == 1);
    (void) foreign;

    //  Prefecture hears of the township before it knows the township's key:
    //  the entries wait, then apply once the county's records arrive.
    fg_testbatch_t batch = { 0 };
    uint64_t last;
    assert (fg_replica_scan (town.replica, NULL, 0, 1000, fg_testkit_collect, &batch, &last) == 0);
    assert (batch.count == 4);                   //  trust record + 3 households
    fg_rx_stats_t stats = { 0 };
    assert (fg_replica_begin (pref.replica) == 0);
    assert (fg_replica_receive_batch (pref.replica, (const uint8_t **) batch.entries, batch.sizes,
                                      batch.count, NULL, false, &stats) == 0);
    assert (fg_replica_commit (pref.replica) == 0);
    assert (stats.buffered == 4 && stats.applied == 0);

    //  Township -> county (as a child): all applied
    stats = fg_testkit_sync (&town, &county, true);
    assert (stats.applied == 4 && stats.quarantined == 0);
    char sql [128];
    snprintf (sql, sizeof sql, "SELECT size FROM household WHERE id = %llu", (unsigned long long) hh);
    assert (fg_testkit_int (&county, sql) == 4);
    //  Again: duplicates, nothing changes
    stats = fg_testkit_sync (&town, &county, true);
    assert (stats.duplicate == 4 && stats.applied == 0);

    //  County -> prefecture: the county's records (its trust of the
    //  prefecture, its enrollments) unlock the buffered township entries
    stats = fg_testkit_sync (&county, &pref, true);
    assert (stats.quarantined == 0);
    assert (fg_testkit_int (&pref, "SELECT count(*) FROM buffer") == 0);
    assert (fg_testkit_int (&pref, "SELECT count(*) FROM household") == 2);
    uint8_t d1 [FG_HASH_SIZE], d2 [FG_HASH_SIZE], d3 [FG_HASH_SIZE];
    size_t rows;
    assert (fg_replica_digest (town.replica, "513328100", d1, &rows) == 0 && rows == 2);
    assert (fg_replica_digest (county.replica, "513328100", d2, &rows) == 0 && rows == 2);
    assert (fg_replica_digest (pref.replica, "513328100", d3, &rows) == 0 && rows == 2);
    assert (memcmp (d1, d2, FG_HASH_SIZE) == 0 && memcmp (d2, d3, FG_HASH_SIZE) == 0);

    //  A child may only send its own subtree: town2 relaying town's entries
    //  is refused (outside_sender)
    stats = (fg_rx_stats_t) { 0 };
    assert (fg_replica_begin (county.replica) == 0);
    assert (fg_replica_receive_batch (county.replica, (const uint8_t **) batch.entries, batch.sizes,
                                      batch.count, &town2.node, true, &stats) == 0);
    assert (fg_replica_commit (county.replica) == 0);
    assert (stats.quarantined == 4);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM quarantine WHERE reason = 'outside_sender'") == 4);
    //  ... kept in the county's quarantine, naming the sender: the county
    //  signs no refusal about the township's entries (its sender was
    //  wrong, not they; SPEC 5.7)
    assert (fg_testkit_int (&county, "SELECT count(*) FROM quarantine WHERE reason = 'outside_sender' "
                                     "AND via = 28101") == 4);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM refusal WHERE reason = 'outside_sender'") == 0);
    fg_testkit_batch_free (&batch);

    //  Tampering: township writes three more; the first of them is flipped
    //  in transit. It is refused, the next two wait, the true copy heals.
    fg_testkit_household (&town, "513328100203", "A");
    fg_testkit_household (&town, "513328100204", "B");
    fg_testkit_household (&town, "513328100205", "C");
    uint64_t before_lsn = 0;
    {
        sqlite3_stmt *stmt;
        assert (sqlite3_prepare_v2 (fg_replica_db (town.replica),
                "SELECT lsn FROM log WHERE origin = 28100 ORDER BY seq DESC LIMIT 1 OFFSET 3",
                -1, &stmt, NULL) == SQLITE_OK);
        assert (sqlite3_step (stmt) == SQLITE_ROW);
        before_lsn = (uint64_t) sqlite3_column_int64 (stmt, 0);
        sqlite3_finalize (stmt);
    }
    assert (fg_replica_scan (town.replica, NULL, before_lsn, 1000, fg_testkit_collect, &batch,
                             &last) == 0);
    assert (batch.count == 3);
    batch.entries [0][batch.sizes [0] - 70] ^= 0x01;       //  a byte of the payload
    stats = (fg_rx_stats_t) { 0 };
    assert (fg_replica_begin (county.replica) == 0);
    assert (fg_replica_receive_batch (county.replica, (const uint8_t **) batch.entries, batch.sizes,
                                      batch.count, &town.node, true, &stats) == 0);
    assert (fg_replica_commit (county.replica) == 0);
    assert (stats.quarantined == 1 && stats.buffered == 2 && stats.applied == 0);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM quarantine WHERE reason = 'bad_signature'") == 1);
    fg_testkit_batch_free (&batch);
    stats = fg_testkit_sync (&town, &county, true);
    assert (stats.applied == 3 && fg_testkit_int (&county, "SELECT count(*) FROM buffer") == 0);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household") == 5);

    //  Fork: the township restored from an old backup signs another entry
    //  with a seq it already used
    {
        sqlite3_stmt *stmt;
        assert (sqlite3_prepare_v2 (fg_replica_db (town.replica),
                "SELECT seq, hash FROM log WHERE origin = 28100 ORDER BY seq DESC LIMIT 1 OFFSET 1",
                -1, &stmt, NULL) == SQLITE_OK);
        assert (sqlite3_step (stmt) == SQLITE_ROW);
        uint64_t seq = (uint64_t) sqlite3_column_int64 (stmt, 0);
        sqlite3_finalize (stmt);
        //  Rebuild the entry seq with other content, chained to seq-1
        assert (sqlite3_prepare_v2 (fg_replica_db (town.replica),
                "SELECT hash FROM log WHERE origin = 28100 AND seq = ?", -1, &stmt, NULL) == SQLITE_OK);
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq - 1);
        assert (sqlite3_step (stmt) == SQLITE_ROW);
        uint8_t prev [FG_HASH_SIZE];
        memcpy (prev, sqlite3_column_blob (stmt, 0), FG_HASH_SIZE);
        sqlite3_finalize (stmt);
        fg_ops_t *ops = fg_ops_new ();
        fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
        fg_ops_set_text (ops, "head_name", "Restored");
        size_t payload_size, size;
        uint8_t *payload = fg_ops_encode (ops, &payload_size, err, sizeof err);
        uint8_t hash [FG_HASH_SIZE];
        uint8_t *bytes = fg_entry_build (town.keys, 28100, 0, seq, fg_hlc_make (1, 0), prev, "old",
                                         payload, payload_size, &size, hash);
        stats = (fg_rx_stats_t) { 0 };
        assert (fg_replica_begin (county.replica) == 0);
        assert (fg_replica_receive (county.replica, bytes, size, &town.node, true, &stats) == 0);
        assert (fg_replica_commit (county.replica) == 0);
        assert (stats.quarantined == 1);
        assert (fg_testkit_int (&county, "SELECT count(*) FROM quarantine WHERE reason = 'fork'") == 1);
        assert (fg_testkit_int (&county, "SELECT count(*) FROM frontier WHERE origin = 28100 AND state = 'forked'") == 1);
        free (bytes);
        free (payload);
        fg_ops_destroy (&ops);
    }

    //  Directives travel down by scope, are acked, and the acks go up
    assert (fg_replica_begin (pref.replica) == 0);
    fg_ops_t *ops = fg_ops_new ();
    uint64_t directive = fg_replica_new_id (pref.replica);
    fg_ops_begin (ops, FG_OP_INSERT, "directive", NULL, directive, 513328);
    fg_ops_set_text (ops, "title", "Spring festival visits");
    assert (fg_replica_append (pref.replica, ops, "office", NULL, NULL) == 0);
    fg_ops_destroy (&ops);
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_INSERT, "directive", NULL, fg_replica_new_id (pref.replica), 513321);
    fg_ops_set_text (ops, "title", "For Kangding only");
    assert (fg_replica_append (pref.replica, ops, "office", NULL, NULL) == 0);
    fg_ops_destroy (&ops);
    assert (fg_replica_commit (pref.replica) == 0);
    stats = fg_testkit_sync (&pref, &county, false);
    assert (stats.quarantined == 0);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM directive") == 1);      //  not Kangding's
    assert (fg_testkit_int (&county, "SELECT count(*) FROM directive_ack WHERE node_id = 128") == 1);
    stats = fg_testkit_sync (&county, &town2, false);
    if (stats.quarantined || stats.buffered)
        fprintf (stderr, "applied %llu dup %llu buffered %llu quarantined %llu\n",
                 (unsigned long long) stats.applied, (unsigned long long) stats.duplicate,
                 (unsigned long long) stats.buffered, (unsigned long long) stats.quarantined);
    assert (stats.quarantined == 0 && stats.buffered == 0);
    assert (fg_testkit_int (&town2, "SELECT count(*) FROM directive") == 1);
    assert (fg_testkit_int (&town2, "SELECT count(*) FROM directive_ack WHERE node_id = 28101") == 1);
    //  The township learned the prefecture's key through the county
    fg_node_t learned;
    assert (fg_replica_node (town2.replica, 1, &learned, NULL) == 0);
    //  Township data of a sibling does not travel down
    assert (fg_testkit_int (&town2, "SELECT count(*) FROM household") == 0);
    stats = fg_testkit_sync (&town2, &county, true);
    stats = fg_testkit_sync (&county, &pref, true);
    snprintf (sql, sizeof sql, "SELECT count(*) FROM directive_ack WHERE directive_id = %llu",
              (unsigned long long) directive);
    assert (fg_testkit_int (&pref, sql) == 2);                       //  county + township 101

    //  Rebuild: the same bytes
    uint8_t before [FG_HASH_SIZE], after [FG_HASH_SIZE];
    assert (fg_replica_digest (county.replica, NULL, before, &rows) == 0);
    assert (fg_replica_rebuild (county.replica) == 0);
    assert (fg_replica_digest (county.replica, NULL, after, &rows) == 0);
    assert (memcmp (before, after, FG_HASH_SIZE) == 0);

    //  Schema upgrade: a file of an older schema (here: version 1, before
    //  the appeal tables and the analysts' views, with its projection
    //  stale) is upgraded on open by replaying its log, and holds the same
    //  rows, and the views again
    assert (sqlite3_exec (fg_replica_db (county.replica),
            "UPDATE meta SET value = 1 WHERE key = 'schema_version'; "
            "DROP VIEW v_pairing_plan; DROP VIEW v_household; "
            "ALTER TABLE node DROP COLUMN epoch_base; ALTER TABLE pairing_plan DROP COLUMN slices; "
            "DROP TABLE appeal; "
            "DROP TABLE op; DELETE FROM household; CREATE TABLE obsolete_projection (x)",
            NULL, NULL, NULL) == SQLITE_OK);
    fg_replica_destroy (&county.replica);
    path = fg_strdupf ("%s/513328.db", s_dir);
    county.replica = fg_replica_open (path, fg_programme_hooks ());
    free (path);
    assert (county.replica);
    assert (fg_testkit_int (&county, "SELECT value FROM meta WHERE key = 'schema_version'") == FG_SCHEMA_VERSION);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM sqlite_master WHERE name = 'obsolete_projection'") == 0);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM pragma_table_info ('pairing_plan') WHERE name = 'slices'") == 1);
    //  The analysts' views are back: a view per domain table, dates as dates
    assert (fg_testkit_int (&county, "SELECT count(*) FROM sqlite_master WHERE type = 'view' AND name = 'v_household'") == 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM sqlite_master WHERE type = 'view'")
         == fg_testkit_int (&county, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                     "'v_' || name IN (SELECT name FROM sqlite_master WHERE type = 'view')"));
    assert (fg_testkit_int (&county, "SELECT count(*) FROM v_household WHERE created_at LIKE '____-__-__T__:__:__.___Z'")
         == fg_testkit_int (&county, "SELECT count(*) FROM household"));
    assert (fg_replica_digest (county.replica, NULL, after, &rows) == 0);
    assert (memcmp (before, after, FG_HASH_SIZE) == 0);
    //  A file of a newer schema is refused, with the reason
    assert (sqlite3_exec (fg_replica_db (county.replica),
            "UPDATE meta SET value = 99 WHERE key = 'schema_version'", NULL, NULL, NULL) == SQLITE_OK);
    fg_replica_destroy (&county.replica);
    path = fg_strdupf ("%s/513328.db", s_dir);
    assert (fg_replica_open (path, fg_programme_hooks ()) == NULL);
    sqlite3 *raw;
    assert (sqlite3_open (path, &raw) == SQLITE_OK);
    char *current = fg_strdupf ("UPDATE meta SET value = %d WHERE key = 'schema_version'", FG_SCHEMA_VERSION);
    assert (sqlite3_exec (raw, current, NULL, NULL, NULL) == SQLITE_OK);
    free (current);
    sqlite3_close (raw);
    county.replica = fg_replica_open (path, fg_programme_hooks ());
    free (path);
    assert (county.replica);

    //  Reopen from disk
    fg_replica_destroy (&county.replica);
    path = fg_strdupf ("%s/513328.db", s_dir);
    county.replica = fg_replica_open (path, fg_programme_hooks ());
    free (path);
    assert (county.replica);
    assert (fg_replica_self (county.replica)->node_id == 128);
    fg_counts_t counts;
    assert (fg_replica_counts (county.replica, &counts) == 0);
    assert (counts.quarantined == 6 && counts.forked_origins == 1);

    fg_testkit_node_destroy (&pref);
    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&town);
    fg_testkit_node_destroy (&town2);
    fg_testkit_node_destroy (&stray);
    fg_testkit_node_destroy (&clash);
    fg_testkit_rmdir (s_dir);
    free (s_dir);
    printf ("OK\n");
}

//  --------------------------------------------------------------------------
//  Forks and epochs: a township restored from an old backup writes again;
//  its county detects the fork, starts a new epoch; the township sets its
//  forked entries aside, gets its lost entries back, signs the set-aside
//  writes again with fresh ids; nothing is lost, and both agree.

static void
s_backup (fg_replica_t *replica, const char *to)
{
    sqlite3 *copy;
    assert (sqlite3_open (to, &copy) == SQLITE_OK);
    sqlite3_backup *backup = sqlite3_backup_init (copy, "main", fg_replica_db (replica), "main");
    assert (backup);
    assert (sqlite3_backup_step (backup, -1) == SQLITE_DONE);
    sqlite3_backup_finish (backup);
    sqlite3_close (copy);
}

static void
s_restore (s_tnode_t *tnode, const char *from)
{
    char *path = fg_strdupf ("%s/%s.db", s_dir, tnode->node.org);
    fg_replica_destroy (&tnode->replica);
    char *command = fg_strdupf ("rm -f '%s-wal' '%s-shm' && cp '%s' '%s'", path, path, from, path);
    assert (system (command) == 0);
    free (command);
    tnode->replica = fg_replica_open (path, fg_programme_hooks ());
    assert (tnode->replica);
    fg_replica_set_keys (tnode->replica, tnode->keys);
    free (path);
}

//  Serve what a receiver's wants ask for, as the parent's sender would
static void
s_serve_own (s_tnode_t *parent, s_tnode_t *child)
{
    uint64_t from = fg_replica_restore_from (child->replica);
    if (!from)
        return;
    fg_testbatch_t batch = { 0 };
    assert (fg_replica_scan_origin (parent->replica, child->node.node_id, from, 4096,
                                    fg_testkit_collect, &batch) == 0);
    fg_rx_stats_t stats = { 0 };
    fg_recovery_t state;
    size_t resigned;
    assert (fg_replica_begin (child->replica) == 0);
    assert (fg_replica_receive_batch (child->replica, (const uint8_t **) batch.entries, batch.sizes,
                                      batch.count, &parent->node, false, &stats) == 0);
    assert (fg_replica_recover (child->replica, &state, &resigned) == 0);
    assert (fg_replica_commit (child->replica) == 0);
    fg_testkit_batch_free (&batch);
}

static uint64_t
s_write_visit (s_tnode_t *tnode, uint64_t household)
{
    assert (fg_replica_begin (tnode->replica) == 0);
    uint64_t id = fg_replica_new_id (tnode->replica);
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_INSERT, "visit", NULL, id, 513328100201);
    fg_ops_set_int (ops, "cadre_id", (int64_t) ((uint64_t) 1 << FG_ID_SHIFT | 1));   //  a prefecture cadre (M3: not node 0)
    fg_ops_set_text (ops, "target_kind", "household");
    fg_ops_set_int (ops, "target_id", (int64_t) household);
    fg_ops_set_text (ops, "kind", "pairing");
    fg_ops_set_int (ops, "occurred_on", 15700);
    assert (fg_replica_append (tnode->replica, ops, "clerk", NULL, NULL) == 0);
    assert (fg_replica_commit (tnode->replica) == 0);
    fg_ops_destroy (&ops);
    return id;
}

void
fg_epoch_test (bool verbose)
{
    printf (" * fg_replica (epochs): ");
    s_dir = fg_testkit_dir ("fg_epoch_test");
    char err [256];
    s_tnode_t county, town;
    fg_testkit_node (&county, s_dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, s_dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    fg_testkit_link (&county, &town);

    //  Writes, a backup, more writes the county receives
    for (int i = 0; i < 3; i++)
        fg_testkit_household (&town, "513328100201", "before the backup");
    char *backup = fg_strdupf ("%s/backup.db", s_dir);
    s_backup (town.replica, backup);
    uint64_t lost = fg_testkit_household (&town, "513328100201", "written after the backup");
    s_write_visit (&town, lost);
    fg_testkit_sync (&town, &county, true);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household") == 4);
    uint64_t base = (uint64_t) fg_testkit_int (&county, "SELECT seq FROM frontier WHERE origin = 28100");

    //  The township's disk dies; it is restored from the backup and the
    //  clerks go on writing: the same seqs, other content (a fork), and the
    //  same ids the lost entries used
    s_restore (&town, backup);
    uint64_t again = fg_testkit_household (&town, "513328100202", "written after the restore");
    assert (again == lost);                          //  the id collides
    s_write_visit (&town, again);
    fg_rx_stats_t stats = fg_testkit_sync (&town, &county, true);
    assert (stats.quarantined == 2);                 //  both collide with held seqs
    assert (fg_testkit_int (&county, "SELECT count(*) FROM quarantine WHERE reason = 'fork'") == 2);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM frontier WHERE origin = 28100 AND state = 'forked'") == 1);
    //  The refusal travels down to the township
    fg_testkit_sync (&county, &town, false);
    assert (fg_testkit_int (&town, "SELECT count(*) FROM refusal WHERE reason = 'fork'") == 1);
    assert (fg_testkit_int (&town, "SELECT count FROM refusal WHERE reason = 'fork'") == 2);

    //  No epoch for a chain that has not forked
    fg_epoch_t epoch;
    assert (fg_replica_new_epoch (county.replica, 1, "op", &epoch, err, sizeof err) == -1);
    //  The county starts epoch 1
    assert (fg_replica_new_epoch (county.replica, 28100, "op", &epoch, err, sizeof err) == 0);
    assert (epoch.epoch == 1 && epoch.base_seq == base && epoch.fork_seq == base - 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM frontier WHERE origin = 28100 AND state = 'ok'") == 1);
    //  The township, not yet in the new epoch, sends its log again (it was
    //  down during the epoch, or the county restarted): the forked branch
    //  the epoch resolved is evidence, not a new fork; the chain goes on
    uint8_t forked_hash [FG_HASH_SIZE], below [FG_HASH_SIZE], unseen [FG_HASH_SIZE];
    assert (fg_replica_entry_hash (town.replica, 28100, base - 1, forked_hash) == 0);
    assert (fg_replica_entry_hash (town.replica, 28100, base - 2, below) == 0);
    memset (unseen, 0x5a, FG_HASH_SIZE);
    assert (fg_replica_fork_resolved (county.replica, 28100, base - 1, forked_hash, below));
    assert (fg_replica_fork_resolved (county.replica, 28100, base, unseen, forked_hash));    //  follows it
    assert (!fg_replica_fork_resolved (county.replica, 28100, base - 1, unseen, below));    //  another branch
    assert (!fg_replica_fork_resolved (county.replica, 28100, base - 2, below, NULL));
    assert (!fg_replica_fork_resolved (county.replica, 28100, base + 1, forked_hash, NULL));
    stats = fg_testkit_sync (&town, &county, true);
    assert (stats.quarantined == 2 && stats.applied == 0);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM frontier WHERE origin = 28100 AND state = 'ok'") == 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM quarantine WHERE reason = 'fork'") == 2);
    //  Started twice: nothing to recover
    fg_epoch_t twice;
    assert (fg_replica_new_epoch (county.replica, 28100, "op", &twice, err, sizeof err) == -1);
    assert (strstr (err, "nothing to recover"));

    //  The epoch record reaches the township: it sets aside and waits
    fg_recovery_t state;
    size_t resigned;
    fg_testkit_sync (&county, &town, false);
    assert (fg_replica_begin (town.replica) == 0);
    assert (fg_replica_recover (town.replica, &state, &resigned) == 0);
    assert (fg_replica_commit (town.replica) == 0);
    assert (fg_replica_recovering (town.replica));
    assert (fg_replica_restore_from (town.replica) == base - 1);
    assert (fg_testkit_int (&town, "SELECT count(*) FROM forked_own") == 2);
    //  ... refusing new writes meanwhile, with the reason
    assert (fg_replica_begin (town.replica) == 0);
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", fg_replica_new_id (town.replica), 513328100201);
    fg_ops_set_text (ops, "head_name", "x");
    assert (fg_replica_append (town.replica, ops, "clerk", NULL, NULL) == -1);
    assert (strstr (fg_replica_error (town.replica), "lost entries back"));
    fg_replica_rollback (town.replica);
    fg_ops_destroy (&ops);

    //  Its lost entries come back; the set-aside ones are signed again
    s_serve_own (&county, &town);
    assert (!fg_replica_recovering (town.replica));
    assert (fg_testkit_int (&town, "SELECT count(*) FROM forked_own WHERE resigned_seq IS NOT NULL") == 2);
    assert (fg_testkit_int (&town, "SELECT count(*) FROM household") == 5);
    fg_testkit_sync (&town, &county, true);
    //  Nothing lost: the entries written after the backup and those written
    //  after the restore are all at the county, with distinct ids, and the
    //  re-signed visit points at the re-signed household
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household") == 5);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM visit") == 2);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM visit v JOIN household h ON h.id = v.target_id") == 2);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household WHERE head_name = 'written after the restore' "
                                      "AND id != (SELECT target_id FROM visit ORDER BY id LIMIT 1)") == 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE origin = 28100 AND epoch = 1") == 2);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM buffer") == 0);
    uint8_t a [FG_HASH_SIZE], b [FG_HASH_SIZE];
    size_t rows;
    assert (fg_replica_digest (town.replica, "513328100", a, &rows) == 0);
    assert (fg_replica_digest (county.replica, "513328100", b, &rows) == 0);
    assert (memcmp (a, b, FG_HASH_SIZE) == 0);
    //  The township writes on, in its new epoch
    fg_testkit_household (&town, "513328100203", "after recovery");
    stats = fg_testkit_sync (&town, &county, true);
    assert (stats.applied == 1 && stats.quarantined == 0);

    //  Restored again from the same backup, older than epoch 1 (the
    //  operator's second try): its new write below epoch 1's base is a new
    //  fork, not evidence of the resolved one (it was taken as evidence,
    //  and the township's writes were stuck for good; found by the campaign
    //  test); epoch 2 resolves it, and nothing is lost
    int64_t held = fg_testkit_int (&county, "SELECT count(*) FROM household");
    s_restore (&town, backup);
    fg_testkit_household (&town, "513328100204", "written after the second restore");
    stats = fg_testkit_sync (&town, &county, true);
    assert (stats.applied == 0 && stats.quarantined >= 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM frontier WHERE origin = 28100 AND state = 'forked'") == 1);
    assert (fg_replica_new_epoch (county.replica, 28100, "op", &epoch, err, sizeof err) == 0);
    assert (epoch.epoch == 2 && epoch.fork_seq == base - 1 && epoch.base_seq > base);
    fg_testkit_sync (&county, &town, false);
    assert (fg_replica_begin (town.replica) == 0);
    assert (fg_replica_recover (town.replica, &state, &resigned) == 0);
    assert (fg_replica_commit (town.replica) == 0);
    assert (fg_replica_recovering (town.replica));
    assert (fg_testkit_int (&town, "SELECT count(*) FROM forked_own WHERE resigned_seq IS NULL") == 1);
    s_serve_own (&county, &town);
    assert (!fg_replica_recovering (town.replica));
    fg_testkit_sync (&town, &county, true);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household") == held + 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household WHERE head_name = "
                                      "'written after the second restore'") == 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE origin = 28100 AND epoch = 2") == 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM frontier WHERE origin = 28100 AND state = 'ok'") == 1);
    assert (fg_replica_digest (town.replica, "513328100", a, &rows) == 0);
    assert (fg_replica_digest (county.replica, "513328100", b, &rows) == 0);
    assert (memcmp (a, b, FG_HASH_SIZE) == 0);

    //  It goes on in epoch 2, then is put back to that same backup a third
    //  time: epoch 2 is the newest, but its chain at the county goes on
    //  past its base. The township learns it, sets its new write aside,
    //  gets its chain back past the base, and when the county has no more
    //  (an empty repair batch) signs the write again after the end
    fg_testkit_household (&town, "513328100205", "in epoch 2");
    fg_testkit_sync (&town, &county, true);
    held = fg_testkit_int (&county, "SELECT count(*) FROM household");
    int64_t end = fg_testkit_int (&county, "SELECT max (seq) FROM log WHERE origin = 28100");
    assert ((uint64_t) end > epoch.base_seq);
    s_restore (&town, backup);
    fg_testkit_household (&town, "513328100206", "written after the third restore");
    fg_testkit_sync (&county, &town, false);
    assert (fg_replica_begin (town.replica) == 0);
    assert (fg_replica_recover (town.replica, &state, &resigned) == 0);
    assert (fg_replica_commit (town.replica) == 0);
    assert (fg_replica_recovering (town.replica));
    s_serve_own (&county, &town);
    assert (fg_replica_recovering (town.replica));             //  past the base: it waits for the end
    assert (fg_testkit_int (&town, "SELECT max (seq) FROM log WHERE origin = 28100") == end);
    assert (fg_replica_begin (town.replica) == 0);
    assert (fg_replica_recover_end (town.replica, &resigned) == 0 && resigned == 1);
    assert (fg_replica_commit (town.replica) == 0);
    assert (!fg_replica_recovering (town.replica));
    stats = fg_testkit_sync (&town, &county, true);
    assert (stats.applied == 1 && stats.quarantined == 0);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household") == held + 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM frontier WHERE origin = 28100 AND state = 'ok'") == 1);
    assert (fg_replica_digest (town.replica, "513328100", a, &rows) == 0);
    assert (fg_replica_digest (county.replica, "513328100", b, &rows) == 0);
    assert (memcmp (a, b, FG_HASH_SIZE) == 0);

    free (backup);
    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&town);
    fg_testkit_rmdir (s_dir);
    free (s_dir);
    printf ("OK\n");
}
