/*  fg_testkit.c - fixtures for self-tests (see fg_testkit.h). */
#include "fg_testkit.h"
#include "fg_util.h"

char *
fg_testkit_dir (const char *name)
{
    char *dir = fg_strdupf ("/tmp/%s.%d", name, (int) getpid ());
    fg_testkit_rmdir (dir);
    assert (fg_mkdir_p (dir, 0700) == 0);
    return dir;
}

void
fg_testkit_rmdir (const char *dir)
{
    char *command = fg_strdupf ("rm -rf '%s'", dir);
    if (system (command)) { }
    free (command);
}

void
fg_testkit_node (fg_testnode_t *tnode, const char *dir, uint16_t id, fg_tier_t tier,
                 const char *org, const char *name)
{
    memset (tnode, 0, sizeof *tnode);
    tnode->keys = fg_keys_new ();
    tnode->node.node_id = id;
    tnode->node.tier = tier;
    snprintf (tnode->node.org, sizeof tnode->node.org, "%s", org);
    snprintf (tnode->node.name, sizeof tnode->node.name, "%s", name);
    memcpy (tnode->node.sign_pk, fg_keys_sign_pk (tnode->keys), FG_SIGN_PK_SIZE);
    snprintf (tnode->node.curve_pk, sizeof tnode->node.curve_pk, "%s",
              zcert_public_txt (fg_keys_cert (tnode->keys)));
    char *path = fg_strdupf ("%s/%s.db", dir, org);
    tnode->replica = fg_replica_create (path, &tnode->node);
    assert (tnode->replica);
    fg_replica_set_keys (tnode->replica, tnode->keys);
    free (path);
}

void
fg_testkit_node_destroy (fg_testnode_t *tnode)
{
    fg_replica_destroy (&tnode->replica);
    fg_keys_destroy (&tnode->keys);
}

void
fg_testkit_link (fg_testnode_t *parent, fg_testnode_t *child)
{
    char err [256];
    int rc = fg_replica_enroll (parent->replica, &child->node, "setup", err, sizeof err);
    if (rc == 0)
        rc = fg_replica_trust (child->replica, &parent->node, "setup", err, sizeof err);
    if (rc)
        fprintf (stderr, "fg_testkit_link: %s\n", err);
    assert (rc == 0);
}

uint64_t
fg_testkit_household (fg_testnode_t *tnode, const char *village, const char *head)
{
    assert (fg_replica_begin (tnode->replica) == 0);
    uint64_t id = fg_replica_new_id (tnode->replica);
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", id, strtoull (village, NULL, 10));
    fg_ops_set_text (ops, "head_name", head);
    fg_ops_set_int (ops, "size", 4);
    assert (fg_replica_append (tnode->replica, ops, "clerk", NULL, NULL) == 0);
    assert (fg_replica_commit (tnode->replica) == 0);
    fg_ops_destroy (&ops);
    return id;
}

int64_t
fg_testkit_int (fg_testnode_t *tnode, const char *sql)
{
    sqlite3_stmt *stmt;
    assert (sqlite3_prepare_v2 (fg_replica_db (tnode->replica), sql, -1, &stmt, NULL) == SQLITE_OK);
    int64_t value = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
    sqlite3_finalize (stmt);
    return value;
}

//  What a scan offers, copied (the scan's bytes live only during the call).
typedef struct {
    uint8_t **entries;
    size_t   *sizes;
    size_t    count;
    size_t    alloc;
} s_batch_t;

static int
s_collect (void *arg, uint64_t lsn, const uint8_t *entry, size_t size)
{
    s_batch_t *batch = (s_batch_t *) arg;
    if (batch->count == batch->alloc) {
        batch->alloc = batch->alloc ? batch->alloc * 2 : 256;
        batch->entries = (uint8_t **) realloc (batch->entries, batch->alloc * sizeof (uint8_t *));
        batch->sizes = (size_t *) realloc (batch->sizes, batch->alloc * sizeof (size_t));
        assert (batch->entries && batch->sizes);
    }
    batch->entries [batch->count] = (uint8_t *) malloc (size);
    assert (batch->entries [batch->count]);
    memcpy (batch->entries [batch->count], entry, size);
    batch->sizes [batch->count++] = size;
    return 0;
}

fg_rx_stats_t
fg_testkit_sync (fg_testnode_t *from, fg_testnode_t *to, bool up)
{
    s_batch_t batch = { 0 };
    uint64_t last;
    assert (fg_replica_scan (from->replica, up ? NULL : &to->node, 0, 10000000, s_collect,
                             &batch, &last) == 0);
    fg_rx_stats_t stats = { 0 };
    assert (fg_replica_begin (to->replica) == 0);
    assert (fg_replica_receive_batch (to->replica, (const uint8_t **) batch.entries, batch.sizes,
                                      batch.count, &from->node, up, &stats) == 0);
    size_t acks;
    assert (fg_replica_ack_directives (to->replica, "test", &acks) == 0);
    assert (fg_replica_commit (to->replica) == 0);
    for (size_t i = 0; i < batch.count; i++)
        free (batch.entries [i]);
    free (batch.entries);
    free (batch.sizes);
    return stats;
}
