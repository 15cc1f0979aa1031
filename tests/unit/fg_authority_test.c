/*  fg_authority_test.c - self-test of the one principle of authority: a
    claim about a node or a row is accepted only from a node whose subtree
    contains it, checked on receipt at every tier. Four forgeries, each
    rejected with a reason, counted, and every replica ends the same:
      1. a county overwrites another county's metadata (reception_day);
      2. a county demotes another county's township's write by a clock_flag;
      3. a county invents an ancestor (a second parent record) for its
         townships to trust;
      4. a township forges a refusal of its sibling's entry.
*/
#include "fg_selftests.h"
#include "fg_testkit.h"
#include "fg_util.h"
#include "fg_ops.h"
#include "fg_hlc.h"

//  Merge the script in its own order into one database and in a
//  different order (each author's order kept) into another; both must end
//  with the same rows. Returns the first (the caller destroys it).
static sqlite3 *
s_both_orders (fg_testscript_t *script, fg_testauthor_t *all, fg_merge_t **merge_p)
{
    sqlite3 *db = fg_testkit_merge_db (merge_p);
    fg_testkit_script_merge (script, *merge_p, NULL);
    uint8_t d1 [FG_HASH_SIZE], d2 [FG_HASH_SIZE];
    size_t rows1, rows2;
    assert (fg_merge_digest (*merge_p, NULL, d1, &rows1) == 0);
    for (int round = 0; round < 8; round++) {
        size_t order [FG_TESTSCRIPT_MAX];
        if (round == 0) {                   //  the script backwards, author order kept
            fg_testauthor_t *seen [FG_TESTKIT_AUTHORS] = { NULL };
            size_t n = 0;
            for (size_t i = script->count; i-- > 0;) {
                bool done = false;
                for (size_t a = 0; a < FG_TESTKIT_AUTHORS; a++)
                    done |= seen [a] == script->by [i];
                if (done)
                    continue;
                for (size_t a = 0; a < FG_TESTKIT_AUTHORS; a++)
                    if (!seen [a]) {
                        seen [a] = script->by [i];
                        break;
                    }
                for (size_t j = 0; j < script->count; j++)
                    if (script->by [j] == script->by [i])
                        order [n++] = j;
            }
            assert (n == script->count);
        }
        else
            fg_testkit_interleave (script->by, script->count, all, FG_TESTKIT_AUTHORS, order);
        fg_merge_t *other;
        sqlite3 *db2 = fg_testkit_merge_db (&other);
        fg_testkit_script_merge (script, other, order);
        assert (fg_merge_digest (other, NULL, d2, &rows2) == 0);
        assert (rows1 == rows2 && memcmp (d1, d2, FG_HASH_SIZE) == 0);
        //  ... and the same verdicts on every op
        char *v1 = fg_testkit_db_text (db, "SELECT group_concat (origin || '/' || seq || '/' || idx || ' ' "
                                           "|| outcome, ',') FROM (SELECT * FROM op ORDER BY 1, 2, 3)");
        char *v2 = fg_testkit_db_text (db2, "SELECT group_concat (origin || '/' || seq || '/' || idx || ' ' "
                                            "|| outcome, ',') FROM (SELECT * FROM op ORDER BY 1, 2, 3)");
        assert (v1 && v2 && streq (v1, v2));
        free (v1);
        free (v2);
        fg_merge_destroy (&other);
        sqlite3_close (db2);
    }
    return db;
}

//  1. Metadata: a row created in county A is written only from A's subtree
//  or above it; county B's higher version is rejected (not_owner).
static void
s_test_metadata (fg_testauthor_t *all)
{
    fg_testauthor_t *county = &all [2], *pref = &all [3], *county2 = &all [4];
    fg_testscript_t *script = (fg_testscript_t *) zmalloc (sizeof (fg_testscript_t));
    uint64_t day = fg_testkit_author_id (county);
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "reception_day", "schedule", day, 513328);
    fg_ops_set_int (ops, "version", 1);
    fg_ops_set_int (ops, "leader_cadre_id", 7);
    fg_ops_set_int (ops, "held_on", 19000);
    fg_ops_set_text (ops, "location", "county hall");
    fg_testkit_script_add (script, county, &ops, fg_hlc_make (1000, 0));
    //  County B: a higher version under an org of its own
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "reception_day", "schedule", day, 513329);
    fg_ops_set_int (ops, "version", 5);
    fg_ops_set_int (ops, "leader_cadre_id", 9);
    fg_ops_set_int (ops, "held_on", 19001);
    fg_ops_set_text (ops, "location", "hijacked");
    fg_testkit_script_add (script, county2, &ops, fg_hlc_make (2000, 0));
    //  The prefecture (above the row) may write it; then county A again
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "reception_day", "schedule", day, 513328);
    fg_ops_set_int (ops, "version", 2);
    fg_ops_set_int (ops, "leader_cadre_id", 7);
    fg_ops_set_int (ops, "held_on", 19002);
    fg_ops_set_text (ops, "location", "prefecture's choice");
    fg_testkit_script_add (script, pref, &ops, fg_hlc_make (3000, 0));
    //  County B's second try, stamped before the row was created
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "reception_day", "schedule", day, 513329);
    fg_ops_set_int (ops, "version", 9);
    fg_ops_set_int (ops, "leader_cadre_id", 9);
    fg_ops_set_int (ops, "held_on", 19003);
    fg_testkit_script_add (script, county2, &ops, fg_hlc_make (500, 0));

    fg_merge_t *merge;
    sqlite3 *db = s_both_orders (script, all, &merge);
    assert (fg_testkit_db_int (db, "SELECT version FROM reception_day WHERE id = %lld", (long long) day) == 2);
    assert (fg_testkit_db_int (db, "SELECT org_id FROM reception_day WHERE id = %lld", (long long) day) == 513328);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM reception_day WHERE location = 'hijacked'") == 0);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM op WHERE origin = 129 AND outcome = 'rejected' "
                                   "AND reason LIKE 'not_owner:%%'") == 2);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM op WHERE origin IN (1, 128) "
                                   "AND outcome = 'applied'") == 2);
    fg_merge_destroy (&merge);
    sqlite3_close (db);
    fg_testkit_script_free (script);
    free (script);
}

//  2. Clock flags: only a hub above the flagged origin demotes its write.
static void
s_test_clock_flag (fg_testauthor_t *all)
{
    fg_testauthor_t *town = &all [0], *county2 = &all [4];
    for (int flag_first = 0; flag_first < 2; flag_first++) {
        fg_testscript_t *script = (fg_testscript_t *) zmalloc (sizeof (fg_testscript_t));
        uint64_t hh = fg_testkit_author_id (town);
        int64_t flagged = (int64_t) town->seq + 1;     //  the township's next entry
        //  County B flags entry 1 of county A's township, under an org of its own
        fg_ops_t *ops;
        if (flag_first) {
            ops = fg_ops_new ();
            fg_ops_begin (ops, FG_OP_INSERT, "clock_flag", NULL, fg_testkit_author_id (county2), 513329100);
            fg_ops_set_int (ops, "origin", town->node.node_id);
            fg_ops_set_int (ops, "seq", flagged);
            fg_ops_set_int (ops, "clamp_hlc", (int64_t) fg_hlc_make (500, 0));
            fg_testkit_script_add (script, county2, &ops, fg_hlc_make (600, 0));
        }
        //  The township's write stamped ahead, then a later one
        ops = fg_ops_new ();
        fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
        fg_ops_set_text (ops, "head_name", "Tashi");
        fg_ops_set_int (ops, "size", 5);
        fg_testkit_script_add (script, town, &ops, fg_hlc_make (900000, 0));
        ops = fg_ops_new ();
        fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
        fg_ops_set_int (ops, "size", 7);
        fg_testkit_script_add (script, town, &ops, fg_hlc_make (2000, 0));
        if (!flag_first) {
            ops = fg_ops_new ();
            fg_ops_begin (ops, FG_OP_INSERT, "clock_flag", NULL, fg_testkit_author_id (county2), 513329100);
            fg_ops_set_int (ops, "origin", town->node.node_id);
            fg_ops_set_int (ops, "seq", flagged);
            fg_ops_set_int (ops, "clamp_hlc", (int64_t) fg_hlc_make (500, 0));
            fg_testkit_script_add (script, county2, &ops, fg_hlc_make (600, 0));
        }
        fg_merge_t *merge;
        sqlite3 *db = s_both_orders (script, all, &merge);
        //  The flag is rejected: the write stamped ahead keeps its rank
        assert (fg_testkit_db_int (db, "SELECT size FROM household WHERE id = %lld", (long long) hh) == 5);
        assert (fg_testkit_db_int (db, "SELECT count(*) FROM clock_flag") == 0);
        assert (fg_testkit_db_int (db, "SELECT count(*) FROM op WHERE tbl = 'clock_flag' AND outcome = 'rejected' "
                                       "AND reason LIKE 'out_of_scope:%%'") == 1);
        fg_merge_destroy (&merge);
        sqlite3_close (db);
        fg_testkit_script_free (script);
        free (script);
    }
    //  A flag written by the township's own county still applies (fg_merge_test)
}

//  4. Refusals: only a hub refuses an entry it took from below.
static void
s_test_refusal (fg_testauthor_t *all)
{
    fg_testauthor_t *town = &all [0], *other = &all [1], *county = &all [2], *county2 = &all [4];
    fg_testscript_t *script = (fg_testscript_t *) zmalloc (sizeof (fg_testscript_t));
    uint8_t hash [FG_HASH_SIZE] = { 1 };
    //  The sibling township forges a refusal of the township's entry 1
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_INSERT, "refusal", NULL, fg_testkit_author_id (other), 513328101);
    fg_ops_set_int (ops, "origin", town->node.node_id);
    fg_ops_set_int (ops, "seq", 1);
    fg_ops_set_blob (ops, "entry_hash", hash, FG_HASH_SIZE);
    fg_ops_set_text (ops, "reason", "bad_signature");
    fg_testkit_script_add (script, other, &ops, fg_hlc_make (100, 0));
    //  Another county does the same under a township of its own (before
    //  the township's entries are held, and after)
    for (int i = 0; i < 2; i++) {
        if (i == 1) {
            ops = fg_ops_new ();
            fg_ops_begin (ops, FG_OP_PUT, "household", "reg", fg_testkit_author_id (town), 513328100201);
            fg_ops_set_text (ops, "head_name", "Tashi");
            fg_testkit_script_add (script, town, &ops, fg_hlc_make (150, 0));
        }
        ops = fg_ops_new ();
        fg_ops_begin (ops, FG_OP_INSERT, "refusal", NULL, fg_testkit_author_id (county2), 513329100);
        fg_ops_set_int (ops, "origin", town->node.node_id);
        fg_ops_set_int (ops, "seq", 1);
        fg_ops_set_text (ops, "reason", "bad_signature");
        fg_testkit_script_add (script, county2, &ops, fg_hlc_make (200 + i, 0));
    }
    //  A township refusing its own entry, and the true county's refusal
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_INSERT, "refusal", NULL, fg_testkit_author_id (town), 513328100);
    fg_ops_set_int (ops, "origin", town->node.node_id);
    fg_ops_set_int (ops, "seq", 1);
    fg_ops_set_text (ops, "reason", "fork");
    fg_testkit_script_add (script, town, &ops, fg_hlc_make (300, 0));
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_INSERT, "refusal", NULL, fg_testkit_author_id (county), 513328100);
    fg_ops_set_int (ops, "origin", town->node.node_id);
    fg_ops_set_int (ops, "seq", 9);
    fg_ops_set_text (ops, "reason", "broken_chain");
    fg_testkit_script_add (script, county, &ops, fg_hlc_make (400, 0));

    fg_merge_t *merge;
    sqlite3 *db = s_both_orders (script, all, &merge);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM refusal") == 1);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM refusal WHERE created_by = 128 AND seq = 9") == 1);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM op WHERE tbl = 'refusal' AND outcome = 'rejected' "
                                   "AND reason LIKE 'out_of_scope:%%'") == 4);
    fg_merge_destroy (&merge);
    sqlite3_close (db);
    fg_testkit_script_free (script);
    free (script);
}

//  3. Trust: a county cannot give its townships a second ancestor, neither
//  with its own key nor with a fresh one; the true chain is still learned.
static void
s_test_ancestor (void)
{
    char *dir = fg_testkit_dir ("fg_authority_test");
    fg_testnode_t pref, county, town;
    fg_testkit_node (&pref, dir, 1, FG_TIER_PREFECTURE, "513300", "prefecture");
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    fg_testkit_link (&pref, &county);
    fg_testkit_link (&county, &town);
    fg_testkit_sync (&county, &pref, true);
    fg_testkit_sync (&pref, &county, false);
    fg_testkit_sync (&county, &town, false);
    fg_node_t node;
    char relation [16];
    //  Legitimate learning: the township knows the prefecture's key
    assert (fg_replica_node (town.replica, 1, &node, relation) == 0 && streq (relation, "ancestor"));

    //  The county writes two more "parents": node 2 with its own key,
    //  node 3 with a fresh key it holds
    fg_keys_t *fresh = fg_keys_new ();
    for (uint16_t fake = 2; fake <= 3; fake++) {
        fg_node_t forged = pref.node;
        forged.node_id = fake;
        if (fake == 3)
            memcpy (forged.sign_pk, fg_keys_sign_pk (fresh), FG_SIGN_PK_SIZE);
        else
            memcpy (forged.sign_pk, county.node.sign_pk, FG_SIGN_PK_SIZE);
        fg_ops_t *ops = fg_ops_new ();
        fg_ops_begin (ops, FG_OP_PUT, "node", "enroll", fake, 513300);
        fg_ops_set_text (ops, "tier", "prefecture");
        fg_ops_set_text (ops, "org", "513300");
        fg_ops_set_text (ops, "name", "the real prefecture");
        fg_ops_set_int (ops, "epoch", 0);
        fg_ops_set_blob (ops, "sign_pk", forged.sign_pk, FG_SIGN_PK_SIZE);
        fg_ops_set_text (ops, "curve_pk", county.node.curve_pk);
        fg_ops_set_text (ops, "relation", "parent");
        fg_ops_set_text (ops, "status", "active");
        assert (fg_replica_begin (county.replica) == 0);
        assert (fg_replica_append (county.replica, ops, "rogue", NULL, NULL) == 0);
        assert (fg_replica_commit (county.replica) == 0);
        fg_ops_destroy (&ops);
    }
    fg_testkit_sync (&county, &town, false);
    fg_testkit_sync (&county, &pref, true);
    fg_testnode_t *tiers [3] = { &town, &county, &pref };
    for (int t = 0; t < 3; t++) {
        //  Rejected with a reason at every tier, and not learned
        assert (fg_testkit_int (tiers [t], "SELECT count(*) FROM op WHERE tbl = 'node' AND row_id IN (2, 3) "
                                           "AND outcome = 'rejected' AND reason LIKE 'out_of_scope:%'") == 2);
        assert (fg_replica_node (tiers [t]->replica, 2, &node, relation) == -1);
        assert (fg_replica_node (tiers [t]->replica, 3, &node, relation) == -1);
        fg_counts_t counts;
        assert (fg_replica_counts (tiers [t]->replica, &counts) == 0 && counts.ops_rejected >= 2);
    }
    //  An entry signed as the invented ancestor is not taken as one
    fg_testauthor_t as_ancestor = { .node = pref.node, .keys = county.keys };
    as_ancestor.node.node_id = 2;
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "report_schedule", "schedule", ((uint64_t) 2 << FG_ID_SHIFT) | 1, 513300);
    fg_ops_set_int (ops, "version", 1);
    fg_ops_set_text (ops, "name", "forged");
    size_t size;
    uint8_t *bytes = fg_testkit_sign (&as_ancestor, &ops, fg_hlc_make (fg_now_ms (), 0), &size);
    fg_rx_stats_t stats = { 0 };
    assert (fg_replica_begin (town.replica) == 0);
    assert (fg_replica_receive (town.replica, bytes, size, &county.node, false, &stats) == 0);
    assert (fg_replica_commit (town.replica) == 0);
    assert (stats.applied == 0);
    assert (fg_testkit_int (&town, "SELECT count(*) FROM report_schedule") == 0);
    free (bytes);
    //  The tiers agree on the township's subtree
    uint8_t d1 [FG_HASH_SIZE], d2 [FG_HASH_SIZE], d3 [FG_HASH_SIZE];
    size_t rows;
    assert (fg_replica_digest (town.replica, "513328100", d1, &rows) == 0);
    assert (fg_replica_digest (county.replica, "513328100", d2, &rows) == 0);
    assert (fg_replica_digest (pref.replica, "513328100", d3, &rows) == 0);
    assert (memcmp (d1, d2, FG_HASH_SIZE) == 0 && memcmp (d2, d3, FG_HASH_SIZE) == 0);

    fg_keys_destroy (&fresh);
    fg_testkit_chain_end (&dir, &pref, &county, &town);
}

void
fg_authority_test (bool verbose)
{
    printf (" * fg_authority: ");
    fg_testauthor_t all [FG_TESTKIT_AUTHORS];
    fg_testkit_authors (all);
    s_test_metadata (all);
    s_test_clock_flag (all);
    s_test_refusal (all);
    fg_testkit_authors_destroy (all);
    s_test_ancestor ();
    if (verbose)
        printf ("(four forgeries rejected at every tier) ");
    printf ("OK\n");
}
