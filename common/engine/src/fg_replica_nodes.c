/*  fg_replica_nodes.c - the nodes a replica knows and trusts: looking them
    up, enrolling a child, trusting a parent, revoking, and learning the
    keys of other nodes from node records in the log (the trust rules are
    in fg_replica.h).

    node(node_id, tier, org, name, epoch, epoch_base, sign_pk, curve_pk,
         parent_id, relation, source, status, since)   (DDL in fg_replica.c)
*/
#include "fg_replica_int.h"
#include "fg_util.h"
#include "fg_org.h"
#include "fg_hlc.h"

int
fg_replica__node_put (fg_replica_t *self, const fg_node_t *node, uint16_t parent_id,
            const char *relation, const char *source, const char *status)
{
    fg_replica__batch_forget (self);
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self,
            "INSERT OR REPLACE INTO node (node_id, tier, org, name, epoch, sign_pk, curve_pk, "
            "parent_id, relation, source, status, since, epoch_base) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            -1, &stmt, NULL))
        return fg_replica__fail (self, "node");
    sqlite3_bind_int (stmt, 1, node->node_id);
    sqlite3_bind_text (stmt, 2, fg_tier_name (node->tier), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, node->org, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, node->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 5, node->epoch);
    sqlite3_bind_blob (stmt, 6, node->sign_pk, FG_SIGN_PK_SIZE, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 7, node->curve_pk, -1, SQLITE_STATIC);
    if (parent_id)
        sqlite3_bind_int (stmt, 8, parent_id);
    sqlite3_bind_text (stmt, 9, relation, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 10, source, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 11, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 12, fg_now_ms ());
    sqlite3_bind_int64 (stmt, 13, (sqlite3_int64) node->epoch_base);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_replica__fail (self, "node");
    fg_replica__done (self, stmt);
    return rc;
}

static void
s_node_from_row (sqlite3_stmt *stmt, fg_node_t *node, char relation [16], char status [16])
{
    memset (node, 0, sizeof *node);
    node->node_id = (uint16_t) sqlite3_column_int (stmt, 0);
    node->tier = fg_tier_from_name ((const char *) sqlite3_column_text (stmt, 1));
    snprintf (node->org, sizeof node->org, "%s", sqlite3_column_text (stmt, 2));
    const unsigned char *name = sqlite3_column_text (stmt, 3);
    snprintf (node->name, sizeof node->name, "%s", name ? (const char *) name : "");
    node->epoch = (uint32_t) sqlite3_column_int64 (stmt, 4);
    if (sqlite3_column_bytes (stmt, 5) == FG_SIGN_PK_SIZE)
        memcpy (node->sign_pk, sqlite3_column_blob (stmt, 5), FG_SIGN_PK_SIZE);
    snprintf (node->curve_pk, sizeof node->curve_pk, "%s", sqlite3_column_text (stmt, 6));
    if (relation)
        snprintf (relation, 16, "%s", sqlite3_column_text (stmt, 7));
    if (status)
        snprintf (status, 16, "%s", sqlite3_column_text (stmt, 8));
    node->epoch_base = (uint64_t) sqlite3_column_int64 (stmt, 9);
}

#define S_NODE_COLUMNS "node_id, tier, org, name, epoch, sign_pk, curve_pk, relation, status, epoch_base"

int
fg_replica__node_any (fg_replica_t *self, uint16_t node_id, fg_node_t *node,
                    char relation [16], char status [16])
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT " S_NODE_COLUMNS " FROM node WHERE node_id = ?",
                            -1, &stmt, NULL))
        return fg_replica__fail (self, "node");
    sqlite3_bind_int (stmt, 1, node_id);
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        s_node_from_row (stmt, node, relation, status);
        rc = 0;
    }
    fg_replica__done (self, stmt);
    return rc;
}

int
fg_replica_node (fg_replica_t *self, uint16_t node_id, fg_node_t *node, char relation [16])
{
    char status [16];
    if (fg_replica__node_any (self, node_id, node, relation, status))
        return -1;
    return streq (status, "active") ? 0 : -1;
}

int
fg_replica_node_by_curve (fg_replica_t *self, const char *curve_pk, fg_node_t *node,
                          char relation [16])
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT " S_NODE_COLUMNS " FROM node "
                            "WHERE curve_pk = ? AND status = 'active'", -1, &stmt, NULL))
        return fg_replica__fail (self, "node");
    sqlite3_bind_text (stmt, 1, curve_pk ? curve_pk : "", -1, SQLITE_STATIC);
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        s_node_from_row (stmt, node, relation, NULL);
        rc = 0;
    }
    fg_replica__done (self, stmt);
    return rc;
}

int
fg_replica_parent (fg_replica_t *self, fg_node_t *node)
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT " S_NODE_COLUMNS " FROM node "
                            "WHERE relation = 'parent' AND status = 'active'", -1, &stmt, NULL))
        return fg_replica__fail (self, "node");
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        s_node_from_row (stmt, node, NULL, NULL);
        rc = 0;
    }
    fg_replica__done (self, stmt);
    return rc;
}


//  -------------------------------------------------------------------------
//  Nodes and trust

static fg_tier_t
s_tier_below (fg_tier_t tier)
{
    return tier == FG_TIER_PREFECTURE ? FG_TIER_COUNTY
         : tier == FG_TIER_COUNTY ? FG_TIER_TOWNSHIP : FG_TIER_NONE;
}

//  The node op that records a node's keys (begun on ops; the caller may
//  add fields, such as an epoch's base, before appending it).
void
fg_replica__node_record (fg_ops_t *ops, const fg_node_t *node, uint16_t parent_id,
                       const char *relation, const char *status)
{
    fg_ops_begin (ops, FG_OP_PUT, "node", "enroll", node->node_id, strtoull (node->org, NULL, 10));
    fg_ops_set_text (ops, "tier", fg_tier_name (node->tier));
    fg_ops_set_text (ops, "org", node->org);
    fg_ops_set_text (ops, "name", node->name);
    fg_ops_set_int (ops, "epoch", node->epoch);
    if (node->epoch_base)
        fg_ops_set_int (ops, "epoch_base", (int64_t) node->epoch_base);
    fg_ops_set_blob (ops, "sign_pk", node->sign_pk, FG_SIGN_PK_SIZE);
    fg_ops_set_text (ops, "curve_pk", node->curve_pk);
    if (parent_id)
        fg_ops_set_int (ops, "parent_id", parent_id);
    fg_ops_set_text (ops, "relation", relation);
    fg_ops_set_text (ops, "status", status);
}

static int
s_append_node_record (fg_replica_t *self, const fg_node_t *node, uint16_t parent_id,
                      const char *relation, const char *status, const char *author)
{
    fg_ops_t *ops = fg_ops_new ();
    fg_replica__node_record (ops, node, parent_id, relation, status);
    int rc = fg_replica_append (self, ops, author, NULL, NULL);
    fg_ops_destroy (&ops);
    return rc;
}

void
fg_replica__entry_key (fg_replica_t *self, const fg_node_t *node, uint32_t epoch,
                       uint8_t pk [FG_SIGN_PK_SIZE])
{
    memcpy (pk, node->sign_pk, FG_SIGN_PK_SIZE);
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT sign_pk FROM node_key WHERE node_id = ? AND until_epoch > ? "
                            "ORDER BY until_epoch LIMIT 1", -1, &stmt, NULL))
        return;
    sqlite3_bind_int (stmt, 1, node->node_id);
    sqlite3_bind_int64 (stmt, 2, epoch);
    if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == FG_SIGN_PK_SIZE)
        memcpy (pk, sqlite3_column_blob (stmt, 0), FG_SIGN_PK_SIZE);
    fg_replica__done (self, stmt);
}

int
fg_replica__retire_key (fg_replica_t *self, uint16_t node_id, uint32_t until_epoch, const uint8_t *pk)
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "INSERT OR IGNORE INTO node_key (node_id, until_epoch, sign_pk) "
                            "VALUES (?, ?, ?)", -1, &stmt, NULL))
        return fg_replica__fail (self, "node key");
    sqlite3_bind_int (stmt, 1, node_id);
    sqlite3_bind_int64 (stmt, 2, until_epoch);
    sqlite3_bind_blob (stmt, 3, pk, FG_SIGN_PK_SIZE, SQLITE_STATIC);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_replica__fail (self, "node key");
    fg_replica__done (self, stmt);
    self->key_cached = false;           //  (s_entry_key of fg_replica_log.c)
    return rc;
}

//  Pin a node here and record it in the log, in one transaction; the keys
//  it vouches for become usable and entries waiting for them are retried.
static int
s_pin (fg_replica_t *self, const fg_node_t *node, uint16_t parent_id, const char *relation,
       const char *author, char *errbuf, size_t errsize)
{
    if (fg_replica_begin (self))
        return fg_errf (errbuf, errsize, "%s", self->error);
    int rc = fg_replica__node_put (self, node, parent_id, relation, "pinned", "active");
    //  Restoring, the record this node wrote when it first pinned the
    //  node comes back with its own chain: writing it again would fork it
    if (rc == 0 && !self->restoring)
        rc = s_append_node_record (self, node, parent_id, relation, "active", author);
    bool changed;
    if (rc == 0)
        rc = fg_replica__trust_refresh (self, &changed);
    fg_rx_stats_t stats = { 0 };
    if (rc == 0)
        rc = fg_replica__retry_unknown (self, &stats);
    return fg_replica__finish (self, rc, errbuf, errsize);
}

//  An id already held by a node with other keys cannot be given again.
static int
s_check_free_id (fg_replica_t *self, const fg_node_t *node, char *errbuf, size_t errsize)
{
    fg_node_t held;
    char relation [16], status [16];
    if (fg_replica__node_any (self, node->node_id, &held, relation, status) == 0
    &&  memcmp (held.sign_pk, node->sign_pk, FG_SIGN_PK_SIZE) != 0) {
        snprintf (errbuf, errsize, "node id %u is already held by %s (org %s, %s); "
                  "re-run fugai init for the new node with --node-id", node->node_id,
                  held.name, held.org, relation);
        return -1;
    }
    return 0;
}

int
fg_replica_enroll_with (fg_replica_t *self, const fg_node_t *child, unsigned flags, const char *author,
                        char *errbuf, size_t errsize)
{
    if (child->tier != s_tier_below (self->self.tier)) {
        snprintf (errbuf, errsize, "a %s enrolls %s nodes, not a %s",
                  fg_tier_name (self->self.tier), fg_tier_name (s_tier_below (self->self.tier)),
                  fg_tier_name (child->tier));
        return -1;
    }
    if (fg_org_tier (child->org) != child->tier || !fg_org_contains (self->self.org, child->org)) {
        snprintf (errbuf, errsize, "org %s is not a %s inside %s", child->org,
                  fg_tier_name (child->tier), self->self.org);
        return -1;
    }
    if (child->node_id == self->self.node_id || s_check_free_id (self, child, errbuf, errsize)) {
        if (child->node_id == self->self.node_id)
            snprintf (errbuf, errsize, "node id %u is this node's own", child->node_id);
        return -1;
    }
    fg_node_t held;
    char relation [16], status [16];
    bool known = fg_replica__node_any (self, child->node_id, &held, relation, status) == 0;
    //  Revocation sticks: the same key comes back only when the operator
    //  says so (a stolen laptop is replaced, never re-admitted)
    if (!(flags & FG_ENROLL_FORCE) && known && streq (status, "revoked"))
        return fg_errf (errbuf, errsize, "node %u (%s, org %s) was revoked here and this is its revoked "
                        "key: re-admitting it needs --force (for a lost or stolen node, enroll --replace "
                        "a new one instead)", held.node_id, held.name, held.org);
    //  One node per org at each tier, unless the operator says otherwise
    if (!(flags & FG_ENROLL_FORCE) && !known) {
        sqlite3_stmt *stmt;
        if (fg_replica__prepare (self, "SELECT node_id, name FROM node WHERE org = ? AND relation = 'child' "
                                "AND node_id != ? LIMIT 1", -1, &stmt, NULL))
            return fg_errf (errbuf, errsize, "%s", self->error);
        sqlite3_bind_text (stmt, 1, child->org, -1, SQLITE_STATIC);
        sqlite3_bind_int (stmt, 2, child->node_id);
        int other = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
        fg_replica__done (self, stmt);
        if (other)
            return fg_errf (errbuf, errsize, "org %s already has node %d here: a second node for one org "
                            "needs --force (a node that lost its keys is replaced with enroll --replace)",
                            child->org, other);
    }
    //  The same key again (re-admitted): the certificate knows nothing of
    //  the epochs its chain went through, our row does
    fg_node_t node = *child;
    if (known) {
        node.epoch = held.epoch;
        node.epoch_base = held.epoch_base;
    }
    return s_pin (self, &node, self->self.node_id, "child", author, errbuf, errsize);
}

int
fg_replica_enroll (fg_replica_t *self, const fg_node_t *child, const char *author,
                   char *errbuf, size_t errsize)
{
    return fg_replica_enroll_with (self, child, 0, author, errbuf, errsize);
}

int
fg_replica_revoked (fg_replica_t *self, const char *curve_pk, fg_node_t *node, int64_t *since_p)
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT " S_NODE_COLUMNS ", since FROM node WHERE curve_pk = ? "
                            "AND relation = 'child' AND status = 'revoked'", -1, &stmt, NULL))
        return fg_replica__fail (self, "node");
    sqlite3_bind_text (stmt, 1, curve_pk ? curve_pk : "", -1, SQLITE_STATIC);
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        s_node_from_row (stmt, node, NULL, NULL);
        if (since_p)
            *since_p = sqlite3_column_int64 (stmt, 10);
        rc = 0;
    }
    fg_replica__done (self, stmt);
    return rc;
}

//  The checks a replacement and a rekey share: a child of ours, the same
//  tier and org, other keys, a chain that has not forked. Fills held.
static int
s_new_keys_check (fg_replica_t *self, const fg_node_t *child, const char *what, fg_node_t *held,
                  char status [16], char *errbuf, size_t errsize)
{
    char relation [16];
    if (fg_replica__node_any (self, child->node_id, held, relation, status) || !streq (relation, "child"))
        return fg_errf (errbuf, errsize, "node %u is not a child of this node: nothing to %s "
                        "(fugai enroll CERT enrolls a new one)", child->node_id, what);
    if (child->tier != held->tier || !streq (child->org, held->org))
        return fg_errf (errbuf, errsize, "the certificate is for %s %s; node %u is %s %s: new keys "
                        "keep the node's org", fg_tier_name (child->tier), child->org, held->node_id,
                        fg_tier_name (held->tier), held->org);
    if (memcmp (child->sign_pk, held->sign_pk, FG_SIGN_PK_SIZE) == 0)
        return fg_errf (errbuf, errsize, "node %u already has these keys: nothing to %s", child->node_id, what);
    if (fg_replica__scalar (self, "SELECT count(*) FROM frontier WHERE origin = ? AND state = 'forked'",
                            child->node_id, 0))
        return fg_errf (errbuf, errsize, "node %u's chain has forked: recover it first (fugai epoch %u)",
                        child->node_id, child->node_id);
    return 0;
}

static int s_new_keys (fg_replica_t *self, const fg_node_t *child, const fg_node_t *held,
                       const char *author, char *errbuf, size_t errsize);

int
fg_replica_replace (fg_replica_t *self, const fg_node_t *child, const char *author,
                    char *errbuf, size_t errsize)
{
    fg_node_t held;
    char status [16];
    if (s_new_keys_check (self, child, "replace", &held, status, errbuf, errsize))
        return -1;
    return s_new_keys (self, child, &held, author, errbuf, errsize);
}

int
fg_replica_rekey (fg_replica_t *self, const fg_node_t *child, const uint8_t sig [FG_SIG_SIZE],
                  const char *author, char *errbuf, size_t errsize)
{
    fg_node_t held;
    char status [16];
    if (s_new_keys_check (self, child, "rekey", &held, status, errbuf, errsize))
        return -1;
    //  A revoked key's word is worth nothing: a revoked node is replaced
    if (!streq (status, "active"))
        return fg_errf (errbuf, errsize, "node %u (%s) was revoked here: its key cannot vouch for new ones "
                        "(replace it: enroll --replace, after fugai init of a new node)", held.node_id, held.name);
    //  Only the key we know may name its successor
    if (fg_rekey_verify (sig, child, held.sign_pk))
        return fg_errf (errbuf, errsize, "the rekey signature of the certificate does not verify with node "
                        "%u's current key: it was not made by that node's fugai rekey (a node that lost "
                        "its keys is replaced with enroll --replace)", held.node_id);
    return s_new_keys (self, child, &held, author, errbuf, errsize);
}

//  The child's next keys sign from the next epoch on, after our copy of
//  its chain; the old key is kept, for the entries it signed.
static int
s_new_keys (fg_replica_t *self, const fg_node_t *child, const fg_node_t *held_p,
            const char *author, char *errbuf, size_t errsize)
{
    fg_node_t held = *held_p;
    uint64_t base;
    uint8_t hash [FG_HASH_SIZE];
    if (fg_replica_frontier (self, child->node_id, &base, hash))
        return fg_errf (errbuf, errsize, "%s", self->error);
    //  The new keys sign from the next epoch on, after our copy of the
    //  chain; the old key stays, for the entries it signed
    fg_node_t node = *child;
    node.epoch = held.epoch + 1;
    node.epoch_base = base;
    if (fg_replica_begin (self))
        return fg_errf (errbuf, errsize, "%s", self->error);
    int rc = fg_replica__retire_key (self, held.node_id, node.epoch, held.sign_pk);
    if (rc == 0)
        rc = fg_replica__node_put (self, &node, self->self.node_id, "child", "pinned", "active");
    if (rc == 0)
        rc = fg_replica__epoch_reset (self, node.node_id);
    if (rc == 0) {
        fg_ops_t *ops = fg_ops_new ();
        fg_replica__node_record (ops, &node, self->self.node_id, "child", "active");
        fg_ops_set_blob (ops, "epoch_base_hash", hash, FG_HASH_SIZE);
        fg_ops_set_int (ops, "fork_seq", (int64_t) base + 1);
        fg_ops_set_int (ops, "id_floor", (int64_t) fg_replica__id_counter (self, node.node_id, 0,
                                                                           FG_REPLICA_ALL_SEQ));
        fg_ops_set_blob (ops, "retired_sign_pk", held.sign_pk, FG_SIGN_PK_SIZE);
        rc = fg_replica_append (self, ops, author, NULL, NULL);
        fg_ops_destroy (&ops);
    }
    rc = fg_replica__finish (self, rc, errbuf, errsize);
    if (rc == 0)
        zsys_info ("node %u has new keys from epoch %u (after seq %llu); its old key verifies "
                   "its older entries", node.node_id, node.epoch, (unsigned long long) base);
    return rc;
}

int
fg_replica_trust (fg_replica_t *self, const fg_node_t *parent, const char *author,
                  char *errbuf, size_t errsize)
{
    if (s_tier_below (parent->tier) != self->self.tier) {
        snprintf (errbuf, errsize, "a %s's parent is a %s, not a %s", fg_tier_name (self->self.tier),
                  self->self.tier == FG_TIER_COUNTY ? "prefecture" : "county",
                  fg_tier_name (parent->tier));
        return -1;
    }
    if (fg_org_tier (parent->org) != parent->tier || !fg_org_contains (parent->org, self->self.org)) {
        snprintf (errbuf, errsize, "org %s is not a %s containing %s", parent->org,
                  fg_tier_name (parent->tier), self->self.org);
        return -1;
    }
    fg_node_t existing;
    if (fg_replica_parent (self, &existing) == 0 && existing.node_id != parent->node_id) {
        snprintf (errbuf, errsize, "this node already trusts parent %u (%s); a node has one parent",
                  existing.node_id, existing.name);
        return -1;
    }
    if (parent->node_id == self->self.node_id || s_check_free_id (self, parent, errbuf, errsize)) {
        if (parent->node_id == self->self.node_id)
            snprintf (errbuf, errsize, "node id %u is this node's own", parent->node_id);
        return -1;
    }
    return s_pin (self, parent, 0, "parent", author, errbuf, errsize);
}

int
fg_replica_revoke (fg_replica_t *self, uint16_t node_id, const char *author,
                   char *errbuf, size_t errsize)
{
    fg_node_t node;
    char relation [16], status [16];
    if (fg_replica__node_any (self, node_id, &node, relation, status) || !streq (relation, "child")) {
        snprintf (errbuf, errsize, "node %u is not a child of this node", node_id);
        return -1;
    }
    if (fg_replica_begin (self))
        return fg_errf (errbuf, errsize, "%s", self->error);
    int rc = fg_replica__node_put (self, &node, self->self.node_id, "child", "pinned", "revoked");
    if (rc == 0)
        rc = s_append_node_record (self, &node, self->self.node_id, "child", "revoked", author);
    return fg_replica__finish (self, rc, errbuf, errsize);
}

//  Read a node record op into a node; 0 or -1 if a field is missing.
static int
s_node_from_op (const fg_op_t *op, fg_node_t *node, uint16_t *parent_id,
                char relation [16], char status [16])
{
    memset (node, 0, sizeof *node);
    node->node_id = (uint16_t) op->row_id;
    const fg_value_t *tier = fg_op_get (op, "tier");
    const fg_value_t *org = fg_op_get (op, "org");
    const fg_value_t *name = fg_op_get (op, "name");
    const fg_value_t *epoch = fg_op_get (op, "epoch");
    const fg_value_t *sign = fg_op_get (op, "sign_pk");
    const fg_value_t *curve = fg_op_get (op, "curve_pk");
    const fg_value_t *parent = fg_op_get (op, "parent_id");
    const fg_value_t *rel = fg_op_get (op, "relation");
    const fg_value_t *stat = fg_op_get (op, "status");
    if (!tier || !org || !sign || sign->size != FG_SIGN_PK_SIZE || !curve || curve->size > 40
    ||  !rel || org->size > FG_ORG_CODE_MAX)
        return -1;
    char text [64];
    snprintf (text, sizeof text, "%.*s", (int) tier->size, tier->data);
    node->tier = fg_tier_from_name (text);
    snprintf (node->org, sizeof node->org, "%.*s", (int) org->size, org->data);
    if (name && name->type == FG_VAL_TEXT)
        snprintf (node->name, sizeof node->name, "%.*s", (int) name->size, name->data);
    node->epoch = epoch && epoch->type == FG_VAL_INT ? (uint32_t) epoch->i : 0;
    const fg_value_t *base = fg_op_get (op, "epoch_base");
    node->epoch_base = base && base->type == FG_VAL_INT && base->i > 0 ? (uint64_t) base->i : 0;
    memcpy (node->sign_pk, sign->data, FG_SIGN_PK_SIZE);
    snprintf (node->curve_pk, sizeof node->curve_pk, "%.*s", (int) curve->size, curve->data);
    *parent_id = parent && parent->type == FG_VAL_INT ? (uint16_t) parent->i : 0;
    snprintf (relation, 16, "%.*s", (int) (rel->size < 15 ? rel->size : 15), rel->data);
    if (stat && stat->type == FG_VAL_TEXT)
        snprintf (status, 16, "%.*s", (int) (stat->size < 15 ? stat->size : 15), stat->data);
    else
        strcpy (status, "active");
    return node->tier == FG_TIER_NONE ? -1 : 0;
}

//  Is a node of this tier, other than node_id, already this node itself,
//  its parent or a learned ancestor?
static bool
s_tier_held (fg_replica_t *self, fg_tier_t tier, uint16_t node_id)
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT count(*) FROM node WHERE tier = ? AND node_id != ? "
                            "AND relation IN ('self', 'parent', 'ancestor')", -1, &stmt, NULL))
        return true;
    sqlite3_bind_text (stmt, 1, fg_tier_name (tier), -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 2, node_id);
    bool held = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > 0;
    fg_replica__done (self, stmt);
    return held;
}

//  Is the subject's signing key held by another node?
static bool
s_key_held (fg_replica_t *self, const fg_node_t *subject)
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT count(*) FROM node WHERE sign_pk = ? AND node_id != ?",
                            -1, &stmt, NULL))
        return true;
    sqlite3_bind_blob (stmt, 1, subject->sign_pk, FG_SIGN_PK_SIZE, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 2, subject->node_id);
    bool held = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > 0;
    fg_replica__done (self, stmt);
    return held;
}

//  A historical key keeps the time its voucher was revoked.
static int
s_since_of (fg_replica_t *self, uint16_t node_id, uint16_t voucher)
{
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "UPDATE node SET since = (SELECT since FROM node WHERE node_id = ?2) "
                            "WHERE node_id = ?1", -1, &stmt, NULL))
        return fg_replica__fail (self, "trust");
    sqlite3_bind_int (stmt, 1, node_id);
    sqlite3_bind_int (stmt, 2, voucher);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_replica__fail (self, "trust");
    fg_replica__done (self, stmt);
    return rc;
}

int
fg_replica__trust_refresh (fg_replica_t *self, bool *changed)
{
    *changed = false;
    fg_replica__batch_forget (self);
    int64_t before = 0;
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self, "SELECT count(*) FROM node WHERE source = 'learned'", -1, &stmt, NULL))
        return fg_replica__fail (self, "trust");
    if (sqlite3_step (stmt) == SQLITE_ROW)
        before = sqlite3_column_int64 (stmt, 0);
    fg_replica__done (self, stmt);

    if (fg_replica__exec (self, "DELETE FROM node WHERE source = 'learned'"))
        return -1;
    if (fg_replica__prepare (self,
            "SELECT o.origin, o.body FROM op o JOIN log l ON l.origin = o.origin AND l.seq = o.seq "
            "WHERE o.tbl = 'node' AND o.outcome = 'applied' ORDER BY l.lsn, o.idx", -1, &stmt, NULL))
        return fg_replica__fail (self, "trust");
    //  Passes until nothing new is learned: a record can only be used once
    //  its author is trusted, which an earlier record may establish.
    int rc = 0;
    for (int pass = 0; rc == 0 && pass < 16; pass++) {
        bool learned = false;
        sqlite3_reset (stmt);
        while (rc == 0 && sqlite3_step (stmt) == SQLITE_ROW) {
            fg_node_t author, subject, held;
            char author_rel [16], author_status [16], rel [16], status [16], held_rel [16], held_status [16];
            if (fg_replica__node_any (self, (uint16_t) sqlite3_column_int (stmt, 0), &author,
                                    author_rel, author_status))
                continue;
            //  A revoked author's records in the log were taken before its
            //  revocation (its entries are refused since): the keys they
            //  vouch for are kept, as historical (revoked, since the
            //  author's revocation), so that what was taken before still
            //  verifies and nothing new is taken from them
            bool historical = !streq (author_status, "active");
            fg_op_t op;
            uint16_t parent_id = 0;
            if (fg_op_decode (&op, (const uint8_t *) sqlite3_column_blob (stmt, 1),
                              (size_t) sqlite3_column_bytes (stmt, 1))
            ||  s_node_from_op (&op, &subject, &parent_id, rel, status))
                continue;
            bool known = fg_replica__node_any (self, subject.node_id, &held, held_rel, held_status) == 0;
            const char *relation = NULL;
            if (streq (rel, "child")) {
                //  A trusted node vouches for a child it enrolled
                if (parent_id == author.node_id
                &&  subject.tier == s_tier_below (author.tier)
                &&  fg_org_tier (subject.org) == subject.tier
                &&  fg_org_contains (author.org, subject.org))
                    relation = "other";
            }
            else
            if (streq (rel, "parent")) {
                //  An ancestor of ours vouches for its own parent: the
                //  chain is learned link by link, one node per tier above
                //  us, so no node can invent a second ancestor
                if ((streq (author_rel, "parent") || streq (author_rel, "ancestor"))
                &&  s_tier_below (subject.tier) == author.tier
                &&  fg_org_tier (subject.org) == subject.tier
                &&  fg_org_contains (subject.org, author.org)
                &&  !s_tier_held (self, subject.tier, subject.node_id))
                    relation = "ancestor";
            }
            //  One key, one node: a key held by another node is not taken
            //  for this one (it would let that node sign as this one)
            if (relation && s_key_held (self, &subject))
                relation = NULL;
            if (!relation)
                continue;
            //  A replacement (fugai enroll --replace) by the node's
            //  enroller: the key it names as retired signed the node's
            //  entries before its epoch, here too
            const fg_value_t *retired = relation && streq (relation, "other")
                                      ? fg_op_get (&op, "retired_sign_pk") : NULL;
            if (retired && retired->type == FG_VAL_BLOB && retired->size == FG_SIGN_PK_SIZE
            &&  subject.epoch > 0) {
                rc = fg_replica__retire_key (self, subject.node_id, subject.epoch, retired->data);
                if (rc == 0 && known && streq (held_rel, "other")
                &&  memcmp (held.sign_pk, retired->data, FG_SIGN_PK_SIZE) == 0
                &&  subject.epoch > held.epoch) {
                    sqlite3_stmt *update;
                    if (fg_replica__prepare (self, "UPDATE node SET sign_pk = ?, curve_pk = ?, epoch = ?, "
                                            "epoch_base = ? WHERE node_id = ? AND source = 'learned'",
                                            -1, &update, NULL) == SQLITE_OK) {
                        sqlite3_bind_blob (update, 1, subject.sign_pk, FG_SIGN_PK_SIZE, SQLITE_STATIC);
                        sqlite3_bind_text (update, 2, subject.curve_pk, -1, SQLITE_STATIC);
                        sqlite3_bind_int64 (update, 3, subject.epoch);
                        sqlite3_bind_int64 (update, 4, (sqlite3_int64) subject.epoch_base);
                        sqlite3_bind_int (update, 5, subject.node_id);
                        if (sqlite3_step (update) != SQLITE_DONE)
                            rc = fg_replica__fail (self, "trust");
                        fg_replica__done (self, update);
                    }
                    if (rc == 0)
                        rc = fg_replica__epoch_reset (self, subject.node_id);
                    continue;
                }
            }
            if (known) {
                //  Pinned keys are never overridden; a later record of a
                //  learned node by its enroller changes its status
                //  (revocation) and its epoch (recovery from a fork)
                if (historical)
                    continue;
                if (memcmp (held.sign_pk, subject.sign_pk, FG_SIGN_PK_SIZE) == 0
                &&  streq (relation, "other")
                &&  (!streq (held_status, status) || subject.epoch > held.epoch)) {
                    sqlite3_stmt *update;
                    if (fg_replica__prepare (self, "UPDATE node SET status = ?, epoch = max (epoch, ?), "
                                            "epoch_base = CASE WHEN ? > epoch THEN ? ELSE epoch_base END "
                                            "WHERE node_id = ? AND source = 'learned'", -1, &update, NULL) == SQLITE_OK) {
                        sqlite3_bind_text (update, 1, streq (status, "revoked") ? "revoked" : "active", -1, SQLITE_STATIC);
                        sqlite3_bind_int64 (update, 2, subject.epoch);
                        sqlite3_bind_int64 (update, 3, subject.epoch);
                        sqlite3_bind_int64 (update, 4, (sqlite3_int64) subject.epoch_base);
                        sqlite3_bind_int (update, 5, subject.node_id);
                        if (sqlite3_step (update) != SQLITE_DONE)
                            rc = fg_replica__fail (self, "trust");
                        fg_replica__done (self, update);
                    }
                    if (rc == 0 && subject.epoch > held.epoch)
                        rc = fg_replica__epoch_reset (self, subject.node_id);
                }
                continue;
            }
            rc = fg_replica__node_put (self, &subject, parent_id, relation, "learned",
                             streq (status, "revoked") || historical ? "revoked" : "active");
            if (rc == 0 && historical)
                rc = s_since_of (self, subject.node_id, author.node_id);
            learned = true;
        }
        if (!learned)
            break;
    }
    fg_replica__done (self, stmt);
    if (rc == 0 && fg_replica__prepare (self, "SELECT count(*) FROM node WHERE source = 'learned'",
                                       -1, &stmt, NULL) == SQLITE_OK) {
        if (sqlite3_step (stmt) == SQLITE_ROW)
            *changed = sqlite3_column_int64 (stmt, 0) != before;
        fg_replica__done (self, stmt);
    }
    return rc;
}


fg_origin_status_t *
fg_replica_origins (fg_replica_t *self, const char *within, size_t *count_p)
{
    *count_p = 0;
    sqlite3_stmt *stmt;
    if (fg_replica__prepare (self,
            "SELECT n.node_id, n.parent_id, n.tier, n.org, n.name, n.relation, n.status, "
            "  f.seq, f.hlc, f.state, f.last_heard, p.last_contact "
            "FROM node n LEFT JOIN frontier f ON f.origin = n.node_id "
            "LEFT JOIN peer_status p ON p.peer = n.node_id AND n.relation IN ('parent', 'child') "
            "ORDER BY n.org, n.node_id", -1, &stmt, NULL)) {
        fg_replica__fail (self, "node");
        return NULL;
    }
    fg_origin_status_t *origins = NULL;
    size_t count = 0, alloc = 0;
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        const char *org = (const char *) sqlite3_column_text (stmt, 3);
        if (!org || (within && !fg_org_contains (within, org)))
            continue;
        if (count == alloc) {
            alloc = alloc ? alloc * 2 : 64;
            origins = (fg_origin_status_t *) realloc (origins, alloc * sizeof *origins);
            assert (origins);
        }
        fg_origin_status_t *origin = &origins [count++];
        memset (origin, 0, sizeof *origin);
        origin->id = (uint16_t) sqlite3_column_int (stmt, 0);
        origin->parent_id = (uint16_t) sqlite3_column_int (stmt, 1);
        const unsigned char *text;
        #define S_TEXT(field, column, fallback) \
            text = sqlite3_column_text (stmt, column); \
            snprintf (origin->field, sizeof origin->field, "%s", text ? (const char *) text : fallback)
        S_TEXT (tier, 2, "");
        S_TEXT (org, 3, "");
        S_TEXT (name, 4, "");
        S_TEXT (relation, 5, "");
        S_TEXT (status, 6, "");
        S_TEXT (chain, 9, "none");
        #undef S_TEXT
        origin->seq = (uint64_t) sqlite3_column_int64 (stmt, 7);
        origin->last_entry_ms = (int64_t) ((uint64_t) sqlite3_column_int64 (stmt, 8) >> 16);
        origin->last_heard = sqlite3_column_int64 (stmt, 10);
        origin->last_contact = sqlite3_column_int64 (stmt, 11);
    }
    fg_replica__done (self, stmt);
    *count_p = count;
    return origins;
}

//  The nodes below this one that may hold a record anchored at org, and
//  how far their logs are known here (fg_replica.h)
size_t
fg_replica_horizons (fg_replica_t *self, const char *org, fg_horizon_t *out, size_t max)
{
    size_t count = 0;
    if (!fg_org_contains (self->self.org, org))
        return 0;
    //  The levels between this node's and the org's: county, township
    int self_level = fg_org_level (self->self.org), level = fg_org_level (org);
    for (int at = self_level + 1; at <= level && at <= 3; at++) {
        char code [16];
        if (at == 2)
            snprintf (code, sizeof code, "%.6s", org);
        else
            snprintf (code, sizeof code, "%.9s", org);
        fg_horizon_t horizon;
        memset (&horizon, 0, sizeof horizon);
        snprintf (horizon.org, sizeof horizon.org, "%s", code);
        snprintf (horizon.tier, sizeof horizon.tier, "%s", fg_tier_name (fg_org_tier (code)));
        sqlite3_stmt *stmt;
        if (fg_replica__prepare (self,
                "SELECT n.node_id, n.tier, coalesce (f.hlc, 0), coalesce (f.seq, 0), "
                "  coalesce (f.last_heard, 0), coalesce (p.last_contact, 0) "
                "FROM node n LEFT JOIN frontier f ON f.origin = n.node_id "
                "LEFT JOIN peer_status p ON p.peer = n.node_id AND n.relation = 'child' "
                "WHERE n.org = ?1 AND n.node_id != ?2 ORDER BY n.status = 'active' DESC, n.node_id LIMIT 1",
                -1, &stmt, NULL) == 0) {
            sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int (stmt, 2, self->self.node_id);
            if (sqlite3_step (stmt) == SQLITE_ROW) {
                horizon.node_id = (uint16_t) sqlite3_column_int (stmt, 0);
                snprintf (horizon.tier, sizeof horizon.tier, "%s", (const char *) sqlite3_column_text (stmt, 1));
                horizon.known_ms = fg_hlc_ms ((uint64_t) sqlite3_column_int64 (stmt, 2));
                horizon.seq = (uint64_t) sqlite3_column_int64 (stmt, 3);
                horizon.last_heard = sqlite3_column_int64 (stmt, 4);
                horizon.last_contact = sqlite3_column_int64 (stmt, 5);
            }
            fg_replica__done (self, stmt);
        }
        if (count < max)
            out [count] = horizon;
        count++;
    }
    return count;
}

//  A heartbeat when this node has written nothing for silence_ms (see the
//  heartbeat table, fg_schema_system.c): one own entry, so that the nodes
//  above know its log past now.
int
fg_replica_heartbeat (fg_replica_t *self, int64_t silence_ms, bool *wrote_p)
{
    *wrote_p = false;
    if (silence_ms <= 0 || !self->keys || self->in_txn || self->recovering || self->restoring
    ||  self->rekeying)
        return 0;
    int64_t last_hlc = fg_replica__scalar (self, "SELECT hlc FROM log WHERE origin = ?1 "
                                           "ORDER BY seq DESC LIMIT 1", self->self.node_id, 0);
    int64_t last_ms = last_hlc ? fg_hlc_ms ((uint64_t) last_hlc) : 0;
    if (fg_now_ms () - last_ms < silence_ms)
        return 0;
    if (fg_replica_begin (self))
        return -1;
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_INSERT, "heartbeat", NULL, fg_replica_new_id (self),
                  strtoull (self->self.org, NULL, 10));
    if (last_ms)
        fg_ops_set_int (ops, "silent_since", last_ms);
    uint64_t seq = 0;
    int rc = fg_replica_append (self, ops, "fugai", &seq, NULL);
    fg_ops_destroy (&ops);
    if (rc == 0)
        rc = fg_replica_commit (self);
    if (rc) {
        fg_replica_rollback (self);
        return -1;
    }
    *wrote_p = true;
    zsys_info ("heartbeat: nothing written since %s; entry %u/%llu says this node's log is complete to now",
               last_ms ? "its last entry" : "ever", self->self.node_id, (unsigned long long) seq);
    return 0;
}
