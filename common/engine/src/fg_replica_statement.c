/*  fg_replica_statement.c - a hub under new keys, re-trusted by its
    children on the word of the node above it (fg_replica.h; SPEC.md §1.1).

    A county replaced under new keys (`fugai enroll --replace` at the
    prefecture) cannot tell its townships itself: they pin its old keys and
    would not even complete a handshake with the new ones. The prefecture's
    record of the replacement is an entry of the prefecture's own chain,
    signed by the prefecture's key; carried to a township as a file (the
    entry's bytes, unchanged: `fugai statement`), it is checked there
    against what the township already trusts:

      the entry parses and its origin is the township's known ancestor one
      tier above its parent, and that ancestor's key signs it;
      one op of it puts the `node` row of the township's parent, as that
      ancestor's child (relation child, parent_id the ancestor), same tier
      and org, a higher epoch, and names the parent's current key as the
      one it retires (retired_sign_pk).

    Then, in one transaction: the entry is taken into the log as any entry
    from above, the parent's old key is kept (node_key, for the entries it
    signed), and the pinned parent takes the new keys and epoch.
*/
#include "fg_replica_int.h"
#include "fg_util.h"
#include "fg_org.h"

uint8_t *
fg_replica_node_statement (fg_replica_t *self, uint16_t node_id, size_t *size_p)
{
    *size_p = 0;
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT l.entry FROM op o JOIN log l ON l.origin = o.origin AND l.seq = o.seq "
                            "WHERE o.tbl = 'node' AND o.row_id = ? AND o.origin = ? AND o.outcome = 'applied' "
                            "ORDER BY l.lsn DESC LIMIT 1", -1, &stmt, NULL)) {
        fg_replica__fail (self, "statement");
        return NULL;
    }
    sqlite3_bind_int (stmt, 1, node_id);
    sqlite3_bind_int (stmt, 2, self->self.node_id);
    uint8_t *bytes = NULL;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        size_t size = (size_t) sqlite3_column_bytes (stmt, 0);
        bytes = (uint8_t *) malloc (size ? size : 1);
        assert (bytes);
        memcpy (bytes, sqlite3_column_blob (stmt, 0), size);
        *size_p = size;
    }
    else
        snprintf (self->error, sizeof self->error, "this node's log holds no record of node %u", node_id);
    fg_replica__done (self, stmt);
    return bytes;
}

//  The ancestor one tier above the parent, as this node knows it.
static int
s_grandparent (fg_replica_t *self, const fg_node_t *parent, fg_node_t *out)
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT node_id FROM node WHERE relation = 'ancestor' AND status = 'active'",
                            -1, &stmt, NULL))
        return -1;
    int rc = -1;
    while (rc && sqlite3_step (stmt) == SQLITE_ROW) {
        fg_node_t node;
        char relation [16];
        if (fg_replica_node (self, (uint16_t) sqlite3_column_int (stmt, 0), &node, relation) == 0
        &&  fg_org_contains (node.org, parent->org) && !streq (node.org, parent->org)
        &&  ((parent->tier == FG_TIER_COUNTY && node.tier == FG_TIER_PREFECTURE))) {
            *out = node;
            rc = 0;
        }
    }
    fg_replica__done (self, stmt);
    return rc;
}

int
fg_replica_take_statement (fg_replica_t *self, const uint8_t *bytes, size_t size, fg_node_t *parent_p,
                           char *errbuf, size_t errsize)
{
    fg_node_t parent, above;
    if (fg_replica_parent (self, &parent))
        return fg_errf (errbuf, errsize, "this node trusts no parent: nothing to re-trust (fugai trust CERT)");
    if (s_grandparent (self, &parent, &above))
        return fg_errf (errbuf, errsize, "this node knows no node above its parent %u (%s) whose word could "
                        "give it new keys (a township learns the prefecture through its county)",
                        parent.node_id, parent.name);
    fg_entry_t entry;
    int parsed = fg_entry_parse (&entry, bytes, size);
    if (parsed != FG_ENTRY_OK)
        return fg_errf (errbuf, errsize, "not a signed entry: %s", fg_entry_strerror (parsed));
    if (entry.origin != above.node_id)
        return fg_errf (errbuf, errsize, "the statement is by node %u; only node %u (%s), the node above "
                        "this node's parent, may give the parent new keys", entry.origin, above.node_id, above.name);
    uint8_t key [FG_SIGN_PK_SIZE];
    fg_replica__entry_key (self, &above, entry.epoch, key);
    if (fg_entry_verify (&entry, key))
        return fg_errf (errbuf, errsize, "the statement's signature does not verify with node %u's key",
                        above.node_id);
    //  The record of the parent in it
    fg_ops_reader_t reader;
    if (fg_ops_reader_init (&reader, entry.payload, entry.payload_size))
        return fg_errf (errbuf, errsize, "the statement's payload does not decode");
    fg_op_t *op = (fg_op_t *) malloc (sizeof (fg_op_t));
    assert (op);
    fg_node_t next;
    memset (&next, 0, sizeof next);
    const char *why = "it holds no record of this node's parent";
    int next_rc;
    while ((next_rc = fg_ops_next (&reader, op)) == 1) {
        if (!streq (op->table, "node") || op->row_id != parent.node_id)
            continue;
        const fg_value_t *tier = fg_op_get (op, "tier"), *org = fg_op_get (op, "org");
        const fg_value_t *epoch = fg_op_get (op, "epoch"), *base = fg_op_get (op, "epoch_base");
        const fg_value_t *sign = fg_op_get (op, "sign_pk"), *curve = fg_op_get (op, "curve_pk");
        const fg_value_t *rel = fg_op_get (op, "relation"), *from = fg_op_get (op, "parent_id");
        const fg_value_t *retired = fg_op_get (op, "retired_sign_pk");
        char text [64];
        if (!tier || !org || !epoch || epoch->type != FG_VAL_INT || !sign || sign->size != FG_SIGN_PK_SIZE
        ||  !curve || curve->size >= sizeof next.curve_pk || !rel || !from || from->type != FG_VAL_INT) {
            why = "its record of this node's parent lacks a field";
            continue;
        }
        snprintf (text, sizeof text, "%.*s", (int) rel->size, rel->data);
        if (!streq (text, "child") || from->i != above.node_id) {
            why = "its record does not name this node's parent as its author's child";
            continue;
        }
        snprintf (text, sizeof text, "%.*s", (int) tier->size, tier->data);
        char org_text [32];
        snprintf (org_text, sizeof org_text, "%.*s", (int) org->size, org->data);
        if (fg_tier_from_name (text) != parent.tier || !streq (org_text, parent.org)) {
            why = "its record gives this node's parent another tier or org";
            continue;
        }
        if (epoch->i <= (int64_t) parent.epoch) {
            why = "its record is not newer than the keys this node trusts (nothing to change)";
            continue;
        }
        if (!retired || retired->size != FG_SIGN_PK_SIZE
        ||  memcmp (retired->data, parent.sign_pk, FG_SIGN_PK_SIZE)) {
            why = "its record does not retire the key this node trusts for its parent";
            continue;
        }
        next = parent;
        next.epoch = (uint32_t) epoch->i;
        next.epoch_base = base && base->type == FG_VAL_INT && base->i > 0 ? (uint64_t) base->i : 0;
        memcpy (next.sign_pk, sign->data, FG_SIGN_PK_SIZE);
        snprintf (next.curve_pk, sizeof next.curve_pk, "%.*s", (int) curve->size, curve->data);
        why = NULL;
        break;
    }
    free (op);
    if (why)
        return fg_errf (errbuf, errsize, "statement of node %u not taken: %s", above.node_id, why);
    if (fg_replica_begin (self))
        return fg_errf (errbuf, errsize, "%s", self->error);
    fg_rx_stats_t stats = { 0 };
    int rc = fg_replica_receive (self, bytes, size, NULL, false, &stats);
    if (rc == 0)
        rc = fg_replica__retire_key (self, parent.node_id, next.epoch, parent.sign_pk);
    if (rc == 0)
        rc = fg_replica__node_put (self, &next, 0, "parent", "pinned", "active");
    rc = fg_replica__finish (self, rc, errbuf, errsize);
    if (rc == 0) {
        zsys_info ("parent %u re-trusted under new keys (epoch %u) on the statement of node %u",
                   next.node_id, next.epoch, above.node_id);
        if (parent_p)
            *parent_p = next;
    }
    return rc;
}
