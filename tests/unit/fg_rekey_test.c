/*  fg_rekey_test.c - self-test of key changes: the rekey signature
    (fg_keys_rekey_sign / fg_rekey_verify: every byte of what it signs
    matters), a township's rotation (fg_replica_rekey at the county,
    fg_replica_rekey_switch and the record taken by fg_replica_recover at
    the township: writes wait, nothing goes up meanwhile, a write made
    past the county's copy is signed again), and the statement that gives
    a township its county's new keys (fg_replica_take_statement). Real
    keys, real replica files, sync played by hand. */
#include "fg_selftests.h"
#include "fg_testkit.h"
#include "fg_util.h"

typedef fg_testnode_t s_tnode_t;

//  The node next keys describe (the node's identity, their public keys)
static void
s_next_node (const fg_node_t *self, fg_keys_t *next, fg_node_t *node)
{
    *node = *self;
    memcpy (node->sign_pk, fg_keys_sign_pk (next), FG_SIGN_PK_SIZE);
    snprintf (node->curve_pk, sizeof node->curve_pk, "%s", zcert_public_txt (fg_keys_cert (next)));
}

static void
s_sig_of (fg_keys_t *next, uint8_t sig [FG_SIG_SIZE])
{
    const char *hex = zcert_meta (fg_keys_cert (next), FG_REKEY_SIG_META);
    assert (hex && strlen (hex) == 2 * FG_SIG_SIZE);
    assert (fg_hex_decode (hex, sig, FG_SIG_SIZE) == 0);
}

//  Entries from the parent, then what a child does after them
static void
s_down (s_tnode_t *parent, s_tnode_t *child)
{
    fg_testkit_sync (parent, child, false);
    assert (fg_replica_begin (child->replica) == 0);
    assert (fg_replica_from_parent (child->replica, "test", NULL, NULL, NULL) == 0);
    assert (fg_replica_commit (child->replica) == 0);
}

static uint64_t
s_offered_up (s_tnode_t *node)
{
    fg_testbatch_t batch = { 0 };
    uint64_t last;
    assert (fg_replica_scan (node->replica, NULL, 0, 100000, fg_testkit_collect, &batch, &last) == 0);
    uint64_t count = batch.count;
    fg_testkit_batch_free (&batch);
    return count;
}

void
fg_rekey_test (bool verbose)
{
    printf (" * fg_keys / fg_replica (key changes): ");
    //  --- The rekey signature
    fg_keys_t *current = fg_keys_new (), *next = fg_keys_new ();
    fg_node_t self = { .node_id = 28100, .tier = FG_TIER_TOWNSHIP, .org = "513328100", .name = "town" };
    memcpy (self.sign_pk, fg_keys_sign_pk (current), FG_SIGN_PK_SIZE);
    fg_node_t node;
    s_next_node (&self, next, &node);
    fg_keys_rekey_sign (current, next, &node);
    uint8_t sig [FG_SIG_SIZE];
    s_sig_of (next, sig);
    assert (fg_rekey_verify (sig, &node, fg_keys_sign_pk (current)) == 0);
    assert (fg_rekey_verify (sig, &node, fg_keys_sign_pk (next)) == -1);
    fg_node_t other = node;
    other.node_id = 28101;
    assert (fg_rekey_verify (sig, &other, fg_keys_sign_pk (current)) == -1);
    for (size_t i = 0; i < FG_SIGN_PK_SIZE; i++) {
        other = node;
        other.sign_pk [i] ^= 0x01;
        assert (fg_rekey_verify (sig, &other, fg_keys_sign_pk (current)) == -1);
    }
    for (size_t i = 0; i < 40; i++) {
        other = node;
        other.curve_pk [i] = other.curve_pk [i] == 'a' ? 'b' : 'a';
        assert (fg_rekey_verify (sig, &other, fg_keys_sign_pk (current)) == -1);
    }
    for (size_t i = 0; i < FG_SIG_SIZE; i++) {
        sig [i] ^= 0x80;
        assert (fg_rekey_verify (sig, &node, fg_keys_sign_pk (current)) == -1);
        sig [i] ^= 0x80;
    }
    fg_keys_destroy (&current);
    fg_keys_destroy (&next);

    //  --- A township's rotation
    char *dir = fg_testkit_dir ("fg_rekey_test");
    char err [512];
    s_tnode_t pref, county, town;
    fg_testkit_node (&pref, dir, 1, FG_TIER_PREFECTURE, "513300", "prefecture");
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    fg_testkit_link (&pref, &county);
    fg_testkit_link (&county, &town);
    s_down (&pref, &county);
    s_down (&county, &town);           //  the county's record of its parent: the town learns the prefecture
    for (int i = 0; i < 3; i++)
        fg_testkit_household (&town, "513328100201", "before");
    fg_testkit_sync (&town, &county, true);
    fg_testkit_sync (&county, &pref, true);
    uint64_t base = (uint64_t) fg_testkit_int (&town, "SELECT max (seq) FROM log WHERE origin = 28100");

    next = fg_keys_new ();
    s_next_node (&town.node, next, &node);
    fg_keys_rekey_sign (town.keys, next, &node);
    s_sig_of (next, sig);
    //  Refused: a signature by another key, the keys it has now
    uint8_t bad [FG_SIG_SIZE];
    memcpy (bad, sig, sizeof bad);
    bad [0] ^= 1;
    assert (fg_replica_rekey (county.replica, &node, bad, "op", err, sizeof err) == -1);
    assert (strstr (err, "does not verify"));
    assert (fg_replica_rekey (county.replica, &town.node, sig, "op", err, sizeof err) == -1);
    assert (strstr (err, "already has these keys"));
    //  The town writes once more, past what the county holds
    fg_testkit_household (&town, "513328100201", "offline");
    assert (fg_replica_rekey (county.replica, &node, sig, "op", err, sizeof err) == 0);
    assert (fg_testkit_int (&county, "SELECT epoch FROM node WHERE node_id = 28100") == 1);
    assert (fg_testkit_int (&county, "SELECT epoch_base FROM node WHERE node_id = 28100") == (int64_t) base);
    assert (fg_testkit_int (&county, "SELECT count (*) FROM node_key WHERE node_id = 28100") == 1);

    //  The town switches before the record reaches it: writes wait,
    //  nothing is offered up
    fg_replica_set_keys (town.replica, next);
    assert (fg_replica_rekey_switch (town.replica, &node, err, sizeof err) == 0);
    assert (fg_replica_rekeying (town.replica));
    assert (s_offered_up (&town) == 0);
    fg_ops_t *ops = fg_ops_new ();
    assert (fg_replica_begin (town.replica) == 0);
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", fg_replica_new_id (town.replica), 513328100201ULL);
    fg_ops_set_text (ops, "head_name", "too early");
    assert (fg_replica_append (town.replica, ops, "clerk", NULL, NULL) == -1);
    assert (strstr (fg_replica_error (town.replica), "rekey"));
    fg_replica_rollback (town.replica);
    fg_ops_destroy (&ops);
    //  The record arrives: the offline write is signed again in epoch 1
    s_down (&county, &town);
    assert (!fg_replica_rekeying (town.replica));
    assert (fg_replica_self (town.replica)->epoch == 1);
    assert (memcmp (fg_replica_self (town.replica)->sign_pk, fg_keys_sign_pk (next), FG_SIGN_PK_SIZE) == 0);
    assert (fg_testkit_int (&town, "SELECT count (*) FROM node_key WHERE node_id = 28100") == 1);
    assert (fg_testkit_int (&town, "SELECT epoch FROM log WHERE origin = 28100 AND seq = (SELECT max (seq) "
                                   "FROM log WHERE origin = 28100)") == 1);
    fg_testkit_household (&town, "513328100201", "after");
    fg_rx_stats_t stats = fg_testkit_sync (&town, &county, true);
    assert (stats.quarantined == 0 && stats.applied == 2);
    stats = fg_testkit_sync (&county, &pref, true);
    assert (stats.quarantined == 0);
    assert (fg_testkit_int (&pref, "SELECT count (*) FROM household WHERE head_name IN ('offline', 'after')") == 2);
    //  The prefecture learned the new key from the county, kept the old
    assert (fg_testkit_int (&pref, "SELECT count (*) FROM node_key WHERE node_id = 28100") == 1);
    assert (fg_testkit_int (&pref, "SELECT epoch FROM node WHERE node_id = 28100") == 1);
    assert (fg_replica_rebuild (pref.replica) == 0);
    assert (fg_replica_rebuild (county.replica) == 0);
    assert (fg_replica_rebuild (town.replica) == 0);

    //  --- The county under new keys, and its town told by the prefecture
    fg_keys_t *county_next = fg_keys_new ();
    fg_node_t county_node;
    s_next_node (&county.node, county_next, &county_node);
    size_t size;
    //  Before the prefecture writes one, its latest record of the county is
    //  the enrollment, which retires nothing: the town refuses it
    uint8_t *bytes = fg_replica_node_statement (pref.replica, 128, &size);
    assert (bytes);
    assert (fg_replica_take_statement (town.replica, bytes, size, NULL, err, sizeof err) == -1);
    free (bytes);
    assert (fg_replica_replace (pref.replica, &county_node, "op", err, sizeof err) == 0);
    bytes = fg_replica_node_statement (pref.replica, 128, &size);
    assert (bytes);
    //  Refused: one byte changed anywhere in the signed part
    for (size_t i = 4; i + FG_SIG_SIZE < size; i += 7) {
        bytes [i] ^= 0x10;
        assert (fg_replica_take_statement (town.replica, bytes, size, NULL, err, sizeof err) == -1);
        bytes [i] ^= 0x10;
    }
    //  Refused: an entry of the county itself
    uint8_t *own = fg_replica_node_statement (county.replica, 28100, &size);
    assert (own);
    assert (fg_replica_take_statement (town.replica, own, size, NULL, err, sizeof err) == -1);
    assert (strstr (err, "only node 1"));
    free (own);
    size = 0;
    free (bytes);
    bytes = fg_replica_node_statement (pref.replica, 128, &size);
    fg_node_t parent;
    assert (fg_replica_take_statement (town.replica, bytes, size, &parent, err, sizeof err) == 0);
    assert (memcmp (parent.sign_pk, county_node.sign_pk, FG_SIGN_PK_SIZE) == 0);
    assert (streq (parent.curve_pk, county_node.curve_pk));
    assert (fg_replica_parent (town.replica, &parent) == 0 && parent.epoch == 1);
    //  The parent's certificate written from it reads back as the same node
    char *cert_path = fg_strdupf ("%s/parent.cert", dir);
    assert (fg_node_write_cert (&parent, cert_path) == 0);
    fg_node_t reread;
    assert (fg_node_from_cert (cert_path, &reread, err, sizeof err) == 0);
    assert (reread.node_id == 128 && reread.tier == FG_TIER_COUNTY && streq (reread.org, "513328"));
    assert (reread.epoch == 1 && streq (reread.curve_pk, county_node.curve_pk));
    assert (memcmp (reread.sign_pk, county_node.sign_pk, FG_SIGN_PK_SIZE) == 0);
    free (cert_path);
    assert (fg_testkit_int (&town, "SELECT count (*) FROM node_key WHERE node_id = 128") == 1);
    //  ... once
    assert (fg_replica_take_statement (town.replica, bytes, size, NULL, err, sizeof err) == -1);
    assert (strstr (err, "not newer"));
    free (bytes);
    assert (fg_replica_rebuild (town.replica) == 0);

    fg_testkit_node_destroy (&town);
    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&pref);
    fg_keys_destroy (&county_next);
    fg_keys_destroy (&next);
    fg_testkit_rmdir (dir);
    free (dir);
    printf ("OK\n");
    (void) verbose;
}
