/*  fg_schema_system.c - the engine's own tables, which every catalogue
    ends with: refusals (a node says which entries it refused and why),
    clock flags (a hub ranks an entry whose clock ran ahead no later than
    its receipt) and node records (keys, enrollment, epochs). The merge and
    the replica name these three and no other table; the programme's
    tables come from the catalogue installed at open (fg_schema_install).
    Conventions as in the programme's catalogue (common/domain).
*/
#include "fg_schema.h"
#include "fg_schema_int.h"

#define C FG_TIER_COUNTY
#define P FG_TIER_PREFECTURE
#define REQ FG_COL_REQUIRED

//  Refusals: a hub that quarantines an entry of its subtree says so in its
//  own log. The row's org_id is the refused origin's org, so it travels
//  back down to the author and up to every ancestor. Only a node above
//  that org may write one (a claim about a node is taken only from a node
//  whose subtree contains it, fg_merge.h): what a node refuses from above
//  or from outside stays in its own quarantine. One row per batch, origin
//  and reason: `count` entries with seqs from `seq` to `last_seq` (a
//  child cannot make its parent sign one entry per bad entry it sends).

static const fg_column_t s_refusal_columns [] = {
    { "origin",        FG_COL_INT,  NULL, REQ, NULL, "node whose entry was refused" },
    { "seq",           FG_COL_INT,  NULL, REQ, NULL, "its seq (the first of the range)" },
    { "entry_hash",    FG_COL_BLOB, NULL, 0, NULL, "hash of the refused bytes (the first entry)" },
    { "reason",        FG_COL_TEXT, NULL, REQ, NULL, "reason code (fg_replica.h)" },
    { "detail",        FG_COL_TEXT, NULL, 0, NULL, "what exactly was wrong (the first entry)" },
    { "count",         FG_COL_INT,  NULL, 0, NULL, "entries of the batch refused for this reason (1 if absent)" },
    { "last_seq",      FG_COL_INT,  NULL, 0, NULL, "the highest of their seqs (seq if absent)" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Clock flags: the hub that first receives an entry from its author flags
//  it when its time is implausibly far ahead (sync/max_clock_ahead_ms,
//  default 10 min). The flag is an entry of its own, so every replica that
//  holds it ranks the flagged writes at the hub's time of receipt (no
//  later), and all replicas agree: a township with a clock days ahead
//  cannot win against honest writes made after its entries arrived.
//  One flag covers the implausible entries of one origin in one batch
//  (seq to last_seq, count of them): a child cannot make its parent sign
//  one entry per entry it sends. An entry in that range ranks no later
//  than clamp_hlc; one between two flagged entries that was itself
//  plausible (an HLC never goes back, so only a hostile author makes
//  one) loses at most sync/max_clock_ahead_ms of rank.

static const fg_column_t s_clock_flag_columns [] = {
    { "origin",        FG_COL_INT,  NULL, REQ, NULL, "node whose entry is flagged" },
    { "seq",           FG_COL_INT,  NULL, REQ, NULL, "its seq" },
    { "entry_hash",    FG_COL_BLOB, NULL, 0, NULL, "its hash" },
    { "ahead_ms",      FG_COL_INT,  NULL, 0, NULL, "how far ahead of the hub's clock it was" },
    { "clamp_hlc",     FG_COL_INT,  NULL, REQ, NULL, "the hub's time at receipt: the entry ranks no later" },
    { "last_seq",      FG_COL_INT,  NULL, 0, NULL, "the last entry of the batch flagged (seq if absent)" },
    { "count",         FG_COL_INT,  NULL, 0, NULL, "entries of the batch flagged (1 if absent)" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Heartbeats: a node that has written nothing for sync/silence_hours
//  writes one (fg_replica_heartbeat). Its entry's time, like any entry's,
//  tells every node above how far this node's log is known: everything it
//  wrote before is held wherever the heartbeat is. So a rule waiting for
//  evidence a silent township could hold (fg_replica_horizons; DOMAIN.md
//  §3, incomplete knowledge) can tell a missing fact from one not yet
//  arrived. Anchored at the node's org and never routed below it.

static const fg_column_t s_heartbeat_columns [] = {
    { "silent_since",  FG_COL_INT,  NULL, 0, NULL, "time (ms) of the node's entry before it" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Nodes and their keys (system table, see fg_replica: trust). A parent
//  writes the record of each child it enrolls; a child writes the record of
//  the parent it trusts, so that its own children learn the keys above.

static const fg_group_t s_node_groups [] = {
    { "enroll", FG_TIER_ANY, "enrollment or trust of a node's keys" },
    { .name = NULL }
};
static const fg_column_t s_node_columns [] = {
    { "tier",          FG_COL_ENUM, "enroll", REQ, "township|county|prefecture", "role" },
    { "org",           FG_COL_TEXT, "enroll", REQ, NULL, "org code" },
    { "name",          FG_COL_TEXT, "enroll", 0, NULL, "name" },
    { "epoch",         FG_COL_INT,  "enroll", 0, NULL, "key epoch" },
    { "epoch_base",    FG_COL_INT,  "enroll", 0, NULL, "the epoch starts after this seq (the parent's copy)" },
    { "epoch_base_hash", FG_COL_BLOB, "enroll", 0, NULL, "hash of that entry: the new epoch chains from it" },
    { "fork_seq",      FG_COL_INT,  "enroll", 0, NULL, "first seq of the forked branch, to set aside" },
    { "id_floor",      FG_COL_INT,  "enroll", 0, NULL, "highest id counter of the node the parent has seen" },
    { "retired_sign_pk", FG_COL_BLOB, "enroll", 0, NULL, "a replacement (enroll --replace): the key it retires, "
      "which signed the node's entries before this epoch" },
    { "sign_pk",       FG_COL_BLOB, "enroll", REQ, NULL, "Ed25519 public key" },
    { "curve_pk",      FG_COL_TEXT, "enroll", REQ, NULL, "CURVE public key (Z85)" },
    { "parent_id",     FG_COL_INT,  "enroll", 0, NULL, "parent node" },
    { "relation",      FG_COL_ENUM, "enroll", REQ, "child|parent", "the subject is the author's child or parent" },
    { "status",        FG_COL_ENUM, "enroll", 0, "active|revoked", "status" },
    { .name = NULL }
};

const fg_table_t fg_schema_system_tables [] = {
    { .name = "refusal", .cls = FG_CLASS_EVENT, .flags = FG_TABLE_NO_VOID | FG_TABLE_CLAIM,  /* a fact of the log */
      .authors = FG_TIER_ANY, .columns = s_refusal_columns,
      .doc = "entries a hub refused from below, with the reason; org_id is their author's unit" },
    { .name = "clock_flag", .cls = FG_CLASS_EVENT, .flags = FG_TABLE_NO_VOID | FG_TABLE_CLAIM,  /* a fact of the log */
      .authors = C | P, .columns = s_clock_flag_columns,
      .doc = "entries whose time a hub found implausibly far ahead; org_id is their author's unit" },
    { .name = "heartbeat", .cls = FG_CLASS_EVENT, .flags = FG_TABLE_NO_VOID, .down = FG_DOWN_UP_ONLY,
      .authors = FG_TIER_ANY, .columns = s_heartbeat_columns,
      .doc = "a node's statement that it wrote nothing else for a while; org_id is its own unit" },
    { .name = "node", .cls = FG_CLASS_META, .authors = FG_TIER_ANY, .flags = FG_TABLE_SYSTEM,
      .anchor_group = "enroll", .groups = s_node_groups, .columns = s_node_columns,
      .doc = "nodes and their keys (system table)" },
};

#undef C
#undef P
#undef REQ

const size_t fg_schema_system_count = sizeof fg_schema_system_tables / sizeof fg_schema_system_tables [0];
