/*  fg_merge.c - validate each op of an accepted entry, record it with its
    outcome, and have the rows it touches recomputed (fg_merge_rows.c).
    See fg_merge.h for the rules; DOMAIN.md §1 for why.

    The `op` table (owned by this file; a projection of the log like the
    domain tables, so a schema upgrade drops and replays it):
        origin, seq, idx   which entry and which op in it (primary key)
        tbl, row_id        the row it touches
        kind, grp          put/insert/void and the field group
        anchor             org code from the op header
        hlc, author        from the entry
        origin_org         the org of the node that signed it
        ref_id             for an event of a workflow case: the case's id
        lww_hlc            the time the op ranks by: its hlc, or, when a hub
                           flagged the entry's clock as implausibly far
                           ahead, the hub's time at receipt if that is
                           earlier (a clock_flag row's clamp_hlc)
        body               the op's own canonical bytes (fg_ops format)
        outcome, reason    applied / proposal / rejected, and why
*/
#include "fg_merge_int.h"
#include "fg_util.h"
#include "fg_org.h"
#include "fg_ops.h"

static const char *s_op_ddl =
    "CREATE TABLE IF NOT EXISTS op (\n"
    "  origin INTEGER NOT NULL, seq INTEGER NOT NULL, idx INTEGER NOT NULL,\n"
    "  tbl TEXT NOT NULL, row_id INTEGER NOT NULL, kind TEXT NOT NULL, grp TEXT,\n"
    "  anchor INTEGER NOT NULL, hlc INTEGER NOT NULL, author TEXT,\n"
    "  origin_org TEXT NOT NULL, ref_id INTEGER, lww_hlc INTEGER NOT NULL,\n"
    "  body BLOB NOT NULL, outcome TEXT NOT NULL, reason TEXT,\n"
    "  PRIMARY KEY (origin, seq, idx)) WITHOUT ROWID;\n"
    "CREATE INDEX IF NOT EXISTS op_row ON op (tbl, row_id, outcome);\n"
    "CREATE INDEX IF NOT EXISTS op_ref ON op (tbl, ref_id) WHERE ref_id IS NOT NULL;\n"
    "CREATE INDEX IF NOT EXISTS op_outcome ON op (outcome) WHERE outcome != 'applied';\n";

int
fg_merge__fail (fg_merge_t *self, const char *what)
{
    snprintf (self->error, sizeof self->error, "%s: %s", what, sqlite3_errmsg (self->db));
    return -1;
}

size_t
fg_merge__table_index (const fg_table_t *table)
{
    return (size_t) (table - fg_schema_table_at (0));
}

static int
s_prepare (fg_merge_t *self, const char *sql, sqlite3_stmt **stmt)
{
    if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL) != SQLITE_OK)
        return fg_merge__fail (self, "prepare");
    return 0;
}

//  INSERT OR REPLACE statement for a domain table, columns in DDL order.
static char *
s_upsert_sql (const fg_table_t *table)
{
    char *cols = strdup ("id, org_id");
    char *args = strdup ("?, ?");
    for (const fg_column_t *column = table->columns; column->name; column++) {
        char *more = fg_strdupf ("%s, %s", cols, column->name);
        free (cols);
        cols = more;
        more = fg_strdupf ("%s, ?", args);
        free (args);
        args = more;
    }
    bool event = table->cls == FG_CLASS_EVENT;
    char *sql = fg_strdupf ("INSERT OR REPLACE INTO %s (%s, created_by, created_hlc, updated_hlc, author%s) "
                            "VALUES (%s, ?, ?, ?, ?%s)", table->name, cols,
                            event ? ", voided, void_reason" : "", args, event ? ", ?, ?" : "");
    free (cols);
    free (args);
    return sql;
}

//  The statements of a workflow case's fold. Its events come in the same
//  total order as every row's ops, each with its void mark (a voided
//  event takes no part in the fold).
static int
s_prepare_fold (fg_merge_t *self, const fg_table_t *table, fg_merge__table_sql_t *sql)
{
    const char *events = table->workflow->event_table;
    char *text = fg_strdupf ("SELECT o.row_id, o.origin_org, o.body, coalesce (e.voided, 0) FROM op o "
                             "LEFT JOIN %s e ON e.id = o.row_id "
                             "WHERE o.tbl = '%s' AND o.ref_id = ? AND o.kind = 'insert' "
                             "AND o.outcome = 'applied' ORDER BY o.lww_hlc, o.origin, o.seq, o.idx",
                             events, events);
    int rc = s_prepare (self, text, &sql->fold_events);
    free (text);
    text = fg_strdupf ("UPDATE %s SET rejected = ?, reject_reason = ?, state_after = ? WHERE id = ?",
                       events);
    if (rc == 0)
        rc = s_prepare (self, text, &sql->fold_verdict);
    free (text);
    text = fg_strdupf ("UPDATE %s SET state = ?, last_transition = ?, owner_org = ?, transitions = ?, "
                       "rejected_transitions = ? WHERE id = ?", table->name);
    if (rc == 0)
        rc = s_prepare (self, text, &sql->fold_state);
    free (text);
    return rc;
}

fg_merge_t *
fg_merge_new (sqlite3 *db)
{
    fg_merge_t *self = (fg_merge_t *) zmalloc (sizeof (fg_merge_t));
    assert (self);
    self->db = db;
    size_t count = fg_schema_table_count ();
    self->tables = (fg_merge__table_sql_t *) zmalloc (count * sizeof (fg_merge__table_sql_t));
    assert (self->tables);

    int rc = sqlite3_exec (db, s_op_ddl, NULL, NULL, NULL) == SQLITE_OK ? 0 : fg_merge__fail (self, "create op");
    for (size_t i = 0; rc == 0 && i < count; i++) {
        const fg_table_t *table = fg_schema_table_at (i);
        if (table->flags & FG_TABLE_SYSTEM)
            continue;
        char *ddl = fg_schema_ddl (table);
        if (sqlite3_exec (db, ddl, NULL, NULL, NULL) != SQLITE_OK)
            rc = fg_merge__fail (self, table->name);
        free (ddl);
        fg_merge__table_sql_t *sql = &self->tables [i];
        char *text = s_upsert_sql (table);
        if (rc == 0)
            rc = s_prepare (self, text, &sql->upsert);
        free (text);
        text = fg_strdupf ("DELETE FROM %s WHERE id = ?", table->name);
        if (rc == 0)
            rc = s_prepare (self, text, &sql->remove);
        free (text);
    }
    //  Once every table exists: a case's event table may come after it
    for (size_t i = 0; rc == 0 && i < count; i++)
        if (fg_schema_table_at (i)->workflow)
            rc = s_prepare_fold (self, fg_schema_table_at (i), &self->tables [i]);
    if (rc == 0)
        rc = s_prepare (self, "INSERT OR IGNORE INTO op (origin, seq, idx, tbl, row_id, kind, grp, anchor, "
                              "hlc, author, origin_org, ref_id, lww_hlc, body, outcome, reason) "
                              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &self->op_insert);
    //  Last writer wins, and cases fold, in (lww_hlc, origin, seq, idx)
    //  order: a total order every replica shares
    if (rc == 0)
        rc = s_prepare (self, "SELECT hlc, origin, author, body, origin_org, seq, idx, outcome FROM op "
                              "WHERE tbl = ? AND row_id = ? AND " FG_MERGE_ROW_OPS " "
                              "ORDER BY lww_hlc, origin, seq, idx", &self->op_row);
    if (rc == 0)
        rc = s_prepare (self, "SELECT origin_org FROM op WHERE origin = ? LIMIT 1", &self->origin_org);
    if (rc == 0)
        rc = s_prepare (self, "SELECT body FROM op WHERE origin = ? AND tbl = 'node' "
                              "AND outcome = 'applied' AND row_id != ?", &self->node_ops);
    if (rc == 0)
        rc = s_prepare (self, "SELECT min (clamp_hlc) FROM clock_flag WHERE origin = ?1 AND seq <= ?2 "
                              "AND coalesce (last_seq, seq) >= ?2 AND voided = 0", &self->flag_lookup);
    if (rc == 0)
        rc = s_prepare (self, "SELECT max (row_id) FROM op WHERE tbl = ? AND row_id BETWEEN ? AND ?",
                        &self->op_max);
    if (rc == 0)
        rc = s_prepare (self, "SELECT EXISTS (SELECT 1 FROM clock_flag)", &self->flag_any);
    if (rc) {
        zsys_error ("merge: %s", self->error);
        fg_merge_destroy (&self);
    }
    return self;
}

void
fg_merge_destroy (fg_merge_t **self_p)
{
    assert (self_p);
    fg_merge_t *self = *self_p;
    if (self) {
        for (size_t i = 0; i < fg_schema_table_count (); i++) {
            fg_merge__table_sql_t *sql = &self->tables [i];
            sqlite3_finalize (sql->upsert);
            sqlite3_finalize (sql->remove);
            sqlite3_finalize (sql->fold_events);
            sqlite3_finalize (sql->fold_verdict);
            sqlite3_finalize (sql->fold_state);
        }
        free (self->tables);
        sqlite3_finalize (self->op_insert);
        sqlite3_finalize (self->op_row);
        sqlite3_finalize (self->flag_lookup);
        sqlite3_finalize (self->origin_org);
        sqlite3_finalize (self->node_ops);
        sqlite3_finalize (self->op_max);
        sqlite3_finalize (self->flag_any);
        free (self->decoded.ops);
        free (self);
        *self_p = NULL;
    }
}

const char *
fg_merge_error (fg_merge_t *self)
{
    return self->error;
}

//  -------------------------------------------------------------------------
//  Validation: the outcome of an op, from the op, its origin and the schema.

typedef enum { S_APPLIED, S_PROPOSAL, S_REJECTED } s_outcome_t;

static const char *
s_outcome_name (s_outcome_t outcome)
{
    return outcome == S_APPLIED ? "applied" : outcome == S_PROPOSAL ? "proposal" : "rejected";
}

static s_outcome_t
s_reject (char *reason, size_t size, const char *code, const char *format, ...) CHECK_PRINTF (4);

static s_outcome_t
s_reject (char *reason, size_t size, const char *code, const char *format, ...)
{
    char detail [192];
    va_list args;
    va_start (args, format);
    vsnprintf (detail, sizeof detail, format, args);
    va_end (args);
    snprintf (reason, size, "%s: %s", code, detail);
    return S_REJECTED;
}

//  Node (key) records: a parent vouches for a child below it, a child for
//  the parent above it. Whether the author is itself trusted is decided
//  where keys are used (fg_replica); here only the shape is checked.
static s_outcome_t
s_validate_node (const fg_node_t *origin, const fg_op_t *op, const char *anchor,
                 char *reason, size_t size)
{
    const fg_value_t *relation = fg_op_get (op, "relation");
    const fg_value_t *org = fg_op_get (op, "org");
    if (!relation || relation->type != FG_VAL_TEXT || !org || org->type != FG_VAL_TEXT)
        return s_reject (reason, size, "missing_field", "node record needs relation and org");
    if (org->size != strlen (anchor) || memcmp (org->data, anchor, org->size))
        return s_reject (reason, size, "bad_anchor", "node record anchor must be its org");
    if (op->row_id == 0 || op->row_id > 65535 || op->row_id == origin->node_id)
        return s_reject (reason, size, "bad_value", "node id out of range or the author itself");
    bool child = relation->size == 5 && memcmp (relation->data, "child", 5) == 0;
    if (child ? !(fg_org_contains (origin->org, anchor) && !streq (origin->org, anchor))
              : !(fg_org_contains (anchor, origin->org) && !streq (origin->org, anchor)))
        return s_reject (reason, size, "out_of_scope", "a node vouches only for its child or parent");
    //  One tier apart: a node speaks of its own child or its own parent,
    //  never of a node further up or down (that node's neighbour does)
    const fg_value_t *tier = fg_op_get (op, "tier");
    char name [16] = "";
    if (tier && tier->type == FG_VAL_TEXT)
        snprintf (name, sizeof name, "%.*s", (int) (tier->size < 15 ? tier->size : 15), tier->data);
    fg_tier_t subject = fg_tier_from_name (name);
    fg_tier_t expected = child ? (fg_tier_t) (origin->tier >> 1) : (fg_tier_t) (origin->tier << 1);
    if (subject != expected || fg_org_tier (anchor) != subject)
        return s_reject (reason, size, "out_of_scope", "node %u (%s) may describe only its %s, "
                         "a %s, not a %s of org %s", origin->node_id, fg_tier_name (origin->tier),
                         child ? "child" : "parent", fg_tier_name (expected), name, anchor);
    //  One key, one node: a record giving the author's own key to another
    //  node would let the author sign as that node
    const fg_value_t *sign = fg_op_get (op, "sign_pk");
    if (sign && sign->size == FG_SIGN_PK_SIZE && memcmp (sign->data, origin->sign_pk, FG_SIGN_PK_SIZE) == 0)
        return s_reject (reason, size, "out_of_scope", "node %u gives its own key to node %llu",
                         origin->node_id, (unsigned long long) op->row_id);
    return S_APPLIED;
}

//  The outcome of an op; *table_p gets its table (NULL if unknown).
static s_outcome_t
s_validate (const fg_node_t *origin, const fg_op_t *op, const fg_table_t **table_p,
            char *reason, size_t size)
{
    *reason = 0;
    const fg_table_t *table = *table_p = fg_schema_table (op->table);
    if (!table)
        return s_reject (reason, size, "unknown_table",
                         "no table '%s' in schema %d (written by a newer version?)",
                         op->table, FG_SCHEMA_VERSION);
    char anchor [24];
    fg_merge__org_text (anchor, op->anchor);
    if (!fg_org_level (anchor))
        return s_reject (reason, size, "bad_anchor", "anchor %s is not an org code", anchor);
    if (op->row_id == 0)
        return s_reject (reason, size, "bad_value", "row id 0");

    //  Kind and group
    bool grouped = fg_class_has_groups (table->cls);
    if (grouped ? op->kind != FG_OP_PUT : (op->kind != FG_OP_INSERT && op->kind != FG_OP_VOID))
        return s_reject (reason, size, "wrong_kind", "%s on %s table %s",
                         fg_op_kind_name (op->kind), fg_class_name (table->cls), table->name);
    const fg_group_t *group = NULL;
    if (grouped) {
        group = fg_schema_group (table, op->group);
        if (!group)
            return s_reject (reason, size, "wrong_group", "%s has no field group '%s'",
                             table->name, op->group);
    }
    else
    if (op->group [0])
        return s_reject (reason, size, "wrong_group", "%s has no field groups", table->name);

    if (op->kind == FG_OP_VOID && (table->flags & FG_TABLE_NO_VOID))
        return s_reject (reason, size, "not_voidable", "%s rows are not voided (corrected by a "
                         "reversal, a new version or a superseding row)", table->name);

    //  Fields: known, typed, in the op's group, not derived
    for (size_t i = 0; i < op->field_count; i++) {
        const fg_field_t *field = &op->fields [i];
        if (op->kind == FG_OP_VOID) {
            if (!streq (field->name, "reason") || field->value.type != FG_VAL_TEXT)
                return s_reject (reason, size, "bad_value", "a void carries only a text reason");
            continue;
        }
        const fg_column_t *column = fg_schema_column (table, field->name);
        if (!column)
            return s_reject (reason, size, "unknown_column", "no column %s.%s in schema %d",
                             table->name, field->name, FG_SCHEMA_VERSION);
        if (column->flags & FG_COL_DERIVED)
            return s_reject (reason, size, "derived_column", "%s.%s is computed by the merge, "
                             "not written", table->name, field->name);
        if (grouped && !streq (column->group, op->group))
            return s_reject (reason, size, "wrong_group", "%s.%s belongs to group %s, not %s",
                             table->name, field->name, column->group, op->group);
        char error [128];
        if (fg_schema_check_value (column, &field->value, error, sizeof error))
            return s_reject (reason, size, "bad_value", "%s", error);
    }
    if (op->kind == FG_OP_INSERT)
        for (const fg_column_t *column = table->columns; column->name; column++)
            if (column->flags & FG_COL_REQUIRED) {
                const fg_value_t *value = fg_op_get (op, column->name);
                if (!value || value->type == FG_VAL_NULL)
                    return s_reject (reason, size, "missing_field", "%s.%s is required",
                                     table->name, column->name);
            }
    if (table->cls == FG_CLASS_META && !(table->flags & FG_TABLE_SYSTEM)) {
        const fg_value_t *version = fg_op_get (op, "version");
        if (!version || version->type != FG_VAL_INT || version->i < 1)
            return s_reject (reason, size, "missing_field", "a %s write needs version >= 1", table->name);
    }

    if (streq (table->name, "node"))
        return s_validate_node (origin, op, anchor, reason, size);

    //  Where: the anchor must lie in the author's subtree
    if (!fg_org_contains (origin->org, anchor))
        return s_reject (reason, size, "out_of_scope", "node %u (%s) may not write %s rows of org %s",
                         origin->node_id, origin->org, table->name, anchor);
    if (table->flags & FG_TABLE_ID_IS_ORG) {
        char code [24];
        snprintf (code, sizeof code, "%llu", (unsigned long long) op->row_id);
        if (!streq (code, anchor))
            return s_reject (reason, size, "bad_anchor", "an org unit's anchor is its own code");
    }
    else
    if (op->kind == FG_OP_INSERT && FG_ID_NODE (op->row_id) != origin->node_id)
        return s_reject (reason, size, "foreign_id", "event id %llu is not in node %u's id space",
                         (unsigned long long) op->row_id, origin->node_id);

    //  Who: authors create events; owners write field groups
    if (!grouped) {
        if (!(table->authors & origin->tier))
            return s_reject (reason, size, "not_author", "a %s does not write %s",
                             fg_tier_name (origin->tier), table->name);
        return S_APPLIED;
    }
    if (!(group->owners & origin->tier)) {
        snprintf (reason, size, "not_owner: %s.%s is kept by the %s; this %s write is a proposal",
                  table->name, group->name,
                  group->owners & FG_TIER_COUNTY ? "county" :
                  group->owners & FG_TIER_PREFECTURE ? "prefecture" : "township",
                  fg_tier_name (origin->tier));
        return S_PROPOSAL;
    }
    return S_APPLIED;
}

//  -------------------------------------------------------------------------
//  Authority over claims: a claim about a node or an entry is accepted only
//  from a node whose subtree contains it. These checks read what this
//  replica already holds (the op table); fg_merge_entry re-checks claims
//  that came before what they name (s_claims_recheck), so every replica
//  ends with the same outcome, whatever the arrival order.

//  The org of a node from its own ops held here (org may be NULL: only
//  whether any is held); false if none is held.
static bool
s_origin_org (fg_merge_t *self, int64_t node_id, char org [16])
{
    sqlite3_stmt *stmt = self->origin_org;
    sqlite3_reset (stmt);
    sqlite3_bind_int64 (stmt, 1, node_id);
    bool found = sqlite3_step (stmt) == SQLITE_ROW;
    if (found && org)
        snprintf (org, 16, "%s", sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
    return found;
}

//  A claim about an entry (the engine's refusal and clock_flag rows, whose
//  org_id is the named origin's org): only a node strictly above that org,
//  never the origin itself, and the origin must lie inside it.
static s_outcome_t
s_validate_claim (fg_merge_t *self, const fg_node_t *origin, const fg_op_t *op,
                  char *reason, size_t size)
{
    char anchor [24];
    snprintf (anchor, sizeof anchor, "%llu", (unsigned long long) op->anchor);
    const fg_value_t *named = fg_op_get (op, "origin");
    int64_t named_id = named && named->type == FG_VAL_INT ? named->i : 0;
    if (streq (origin->org, anchor))
        return s_reject (reason, size, "out_of_scope", "%s by node %u (%s): only a node above the "
                         "origin of an entry (one that took it from below) speaks of it",
                         op->table, origin->node_id, origin->org);
    if (named_id == origin->node_id)
        return s_reject (reason, size, "out_of_scope", "%s by node %u of its own entry",
                         op->table, origin->node_id);
    const fg_value_t *seq = fg_op_get (op, "seq"), *last = fg_op_get (op, "last_seq");
    if (seq && last && seq->type == FG_VAL_INT && last->type == FG_VAL_INT && last->i < seq->i)
        return s_reject (reason, size, "bad_value", "%s: last_seq %lld before seq %lld",
                         op->table, (long long) last->i, (long long) seq->i);
    char named_org [16];
    if (s_origin_org (self, named_id, named_org) && !fg_org_contains (anchor, named_org))
        return s_reject (reason, size, "out_of_scope", "%s by node %u (%s) names node %lld of "
                         "org %s, outside %s", op->table, origin->node_id, origin->org,
                         (long long) named_id, named_org, anchor);
    return S_APPLIED;
}

//  A node names one parent: a second parent record (another node id) by
//  the same author is refused, so no node can invent an ancestor.
static int
s_validate_parent (fg_merge_t *self, const fg_node_t *origin, const fg_op_t *op,
                   char *reason, size_t size, s_outcome_t *outcome)
{
    const fg_value_t *relation = fg_op_get (op, "relation");
    if (!relation || relation->size != 6 || memcmp (relation->data, "parent", 6))
        return 0;
    sqlite3_stmt *stmt = self->node_ops;
    sqlite3_reset (stmt);
    sqlite3_bind_int64 (stmt, 1, origin->node_id);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) op->row_id);
    fg_op_t *held = (fg_op_t *) malloc (sizeof (fg_op_t));
    assert (held);
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        if (fg_op_decode (held, (const uint8_t *) sqlite3_column_blob (stmt, 0),
                          (size_t) sqlite3_column_bytes (stmt, 0)))
            continue;
        const fg_value_t *rel = fg_op_get (held, "relation");
        if (rel && rel->size == 6 && memcmp (rel->data, "parent", 6) == 0) {
            *outcome = s_reject (reason, size, "out_of_scope", "node %u already named node %llu "
                                 "its parent; a node has one parent", origin->node_id,
                                 (unsigned long long) held->row_id);
            break;
        }
    }
    free (held);
    int rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : fg_merge__fail (self, "node ops");
    sqlite3_reset (stmt);
    return rc;
}

//  The first entry of an origin here: claims about it that came earlier
//  (a refusal or a clock flag anchored outside its org) are rejected now,
//  as they would have been had the origin's entries come first.
static int
s_claims_recheck (fg_merge_t *self, const fg_node_t *origin)
{
    static const char *claims [] = { "refusal", "clock_flag" };
    int rc = 0;
    for (size_t t = 0; rc == 0 && t < 2; t++) {
        const fg_table_t *table = fg_schema_table (claims [t]);
        char *sql = fg_strdupf ("SELECT id, org_id FROM %s WHERE origin = ?", claims [t]);
        sqlite3_stmt *stmt;
        if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
            free (sql);
            return fg_merge__fail (self, "claims");
        }
        free (sql);
        sqlite3_bind_int (stmt, 1, origin->node_id);
        uint64_t ids [64];
        size_t count = 0;
        while (count < 64 && sqlite3_step (stmt) == SQLITE_ROW) {
            char org [24];
            snprintf (org, sizeof org, "%lld", (long long) sqlite3_column_int64 (stmt, 1));
            if (!fg_org_contains (org, origin->org))
                ids [count++] = (uint64_t) sqlite3_column_int64 (stmt, 0);
        }
        sqlite3_finalize (stmt);
        for (size_t i = 0; rc == 0 && i < count; i++) {
            char reason [192];
            snprintf (reason, sizeof reason, "out_of_scope: %s names node %u of org %s, "
                      "outside its org", claims [t], origin->node_id, origin->org);
            if (sqlite3_prepare_v2 (self->db, "UPDATE op SET outcome = 'rejected', reason = ? "
                                    "WHERE tbl = ? AND row_id = ? AND outcome = 'applied'",
                                    -1, &stmt, NULL) != SQLITE_OK)
                return fg_merge__fail (self, "claims");
            sqlite3_bind_text (stmt, 1, reason, -1, SQLITE_STATIC);
            sqlite3_bind_text (stmt, 2, claims [t], -1, SQLITE_STATIC);
            sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) ids [i]);
            rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_merge__fail (self, "claims");
            sqlite3_finalize (stmt);
            if (rc == 0)
                rc = fg_merge__recompute (self, fg_merge__table_index (table), ids [i]);
        }
    }
    return rc;
}

//  -------------------------------------------------------------------------

//  The time the ops of an entry rank by (lww_hlc): its hlc, or earlier if
//  a hub flagged the entry's clock before the entry got here.
static uint64_t
s_lww_hlc (fg_merge_t *self, const fg_entry_t *entry)
{
    uint64_t lww_hlc = entry->hlc;
    //  No clock_flag row at all (asked once per transaction): nothing to look up
    if (self->flags_empty == 0) {
        sqlite3_stmt *any = self->flag_any;
        sqlite3_reset (any);
        if (sqlite3_step (any) == SQLITE_ROW)
            self->flags_empty = sqlite3_column_int (any, 0) ? -1 : 1;
        sqlite3_reset (any);
    }
    if (self->flags_empty == 1)
        return lww_hlc;
    sqlite3_stmt *lookup = self->flag_lookup;
    sqlite3_reset (lookup);
    sqlite3_bind_int (lookup, 1, entry->origin);
    sqlite3_bind_int64 (lookup, 2, (sqlite3_int64) entry->seq);
    if (sqlite3_step (lookup) == SQLITE_ROW && sqlite3_column_type (lookup, 0) != SQLITE_NULL
    &&  (uint64_t) sqlite3_column_int64 (lookup, 0) < lww_hlc)
        lww_hlc = (uint64_t) sqlite3_column_int64 (lookup, 0);
    sqlite3_reset (lookup);
    return lww_hlc;
}

static int
s_record_op (fg_merge_t *self, const fg_node_t *origin, const fg_entry_t *entry, uint64_t lww_hlc,
             int idx, const fg_op_t *op, const uint8_t *body, size_t body_size,
             s_outcome_t outcome, const char *reason, int64_t ref_id)
{
    sqlite3_stmt *stmt = self->op_insert;
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    sqlite3_bind_int64 (stmt, 1, entry->origin);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) entry->seq);
    sqlite3_bind_int (stmt, 3, idx);
    sqlite3_bind_text (stmt, 4, op ? op->table : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 5, op ? (sqlite3_int64) op->row_id : 0);
    sqlite3_bind_text (stmt, 6, op ? fg_op_kind_name (op->kind) : "?", -1, SQLITE_STATIC);
    if (op && op->group [0])
        sqlite3_bind_text (stmt, 7, op->group, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 8, op ? (sqlite3_int64) op->anchor : 0);
    sqlite3_bind_int64 (stmt, 9, (sqlite3_int64) entry->hlc);
    sqlite3_bind_text (stmt, 10, entry->author, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 11, origin->org, -1, SQLITE_STATIC);
    if (ref_id)
        sqlite3_bind_int64 (stmt, 12, ref_id);
    sqlite3_bind_int64 (stmt, 13, (sqlite3_int64) lww_hlc);
    sqlite3_bind_blob (stmt, 14, body, (int) body_size, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 15, s_outcome_name (outcome), -1, SQLITE_STATIC);
    if (*reason)
        sqlite3_bind_text (stmt, 16, reason, -1, SQLITE_STATIC);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_merge__fail (self, "record op");
    sqlite3_reset (stmt);
    return rc;
}

typedef struct {
    size_t   table_index;
    uint64_t row_id;
    bool     fresh;                  //  no op of the row was held before this one
    const fg_op_t *op;               //  the op, decoded (fg_merge_ops)
    int      idx;                    //  its index in the entry
} s_key_t;

void
fg_merge_forget (fg_merge_t *self)
{
    self->fresh_count = 0;
    self->flags_empty = 0;
    self->origin_known = 0;
    //  An import's entries hold hundreds of ops: their room goes back
    if (self->decoded.cap > 16) {
        free (self->decoded.ops);
        memset (&self->decoded, 0, sizeof self->decoded);
    }
}

const fg_op_t *
fg_merge_ops (fg_merge_t *self, const fg_entry_t *entry, size_t *count_p, int *end_p)
{
    fg_merge__decoded_t *decoded = &self->decoded;
    if (!(decoded->payload == entry->payload && decoded->payload_size == entry->payload_size
    &&    decoded->payload && memcmp (decoded->hash, entry->hash, FG_HASH_SIZE) == 0)) {
        decoded->payload = entry->payload;
        decoded->payload_size = entry->payload_size;
        memcpy (decoded->hash, entry->hash, FG_HASH_SIZE);
        decoded->count = 0;
        decoded->end = -2;
        decoded->bad_at = entry->payload;
        fg_ops_reader_t reader;
        if (fg_ops_reader_init (&reader, entry->payload, entry->payload_size) == 0) {
            int next;
            do {
                if (decoded->count == decoded->cap) {
                    decoded->cap = decoded->cap ? decoded->cap * 2 : 4;
                    decoded->ops = (fg_op_t *) realloc (decoded->ops, decoded->cap * sizeof (fg_op_t));
                    assert (decoded->ops);
                }
                next = fg_ops_next (&reader, &decoded->ops [decoded->count]);
                if (next == 1)
                    decoded->count++;
            } while (next == 1);
            decoded->end = next;
            decoded->bad_at = reader.cursor;
        }
    }
    *count_p = decoded->count;
    if (end_p)
        *end_p = decoded->end;
    return decoded->count ? decoded->ops : NULL;
}

//  Whether row_id of a table has no op held yet (asked before its op is
//  recorded; the op's row id then counts as held). One read per table and
//  id space per transaction; -1 if SQLite fails.
static int
s_fresh (fg_merge_t *self, const fg_table_t *table, uint64_t row_id)
{
    size_t table_index = fg_merge__table_index (table);
    uint16_t node = FG_ID_NODE (row_id);
    fg_merge__fresh_t *known = NULL;
    for (size_t i = 0; i < self->fresh_count && !known; i++)
        if (self->fresh [i].table_index == table_index && self->fresh [i].node == node)
            known = &self->fresh [i];
    if (!known) {
        sqlite3_stmt *stmt = self->op_max;
        sqlite3_reset (stmt);
        sqlite3_bind_text (stmt, 1, table->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) ((uint64_t) node << FG_ID_SHIFT));
        sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) (((uint64_t) node << FG_ID_SHIFT) | FG_ID_COUNTER_MASK));
        int step = sqlite3_step (stmt);
        int64_t max = step == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL
                    ? sqlite3_column_int64 (stmt, 0) : -1;
        sqlite3_reset (stmt);
        if (step != SQLITE_ROW)
            return fg_merge__fail (self, "op max");
        if (self->fresh_count == FG_MERGE__FRESH)
            self->fresh_count = 0;      //  (rarely many: start again)
        known = &self->fresh [self->fresh_count++];
        known->table_index = table_index;
        known->node = node;
        known->max = max;
    }
    bool fresh = (int64_t) row_id > known->max;
    if (fresh)
        known->max = (int64_t) row_id;
    return fresh ? 1 : 0;
}

//  The second anchor of an op (fg_schema.h `route`) into `org`: the op's
//  value, or the row's as held here; "" if none, or outside the author's
//  subtree. Returns -1 on a database error.
static int
s_route (fg_merge_t *self, const fg_node_t *origin, const fg_table_t *table, const fg_op_t *op,
         char org [24])
{
    *org = 0;
    const fg_value_t *value = fg_op_get (op, table->route);
    if (value && value->type == FG_VAL_INT)
        snprintf (org, 24, "%lld", (long long) value->i);
    else
    if (!value) {
        char *sql = fg_strdupf ("SELECT \"%s\" FROM \"%s\" WHERE id = ?", table->route, table->name);
        sqlite3_stmt *stmt;
        int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
        free (sql);
        if (rc != SQLITE_OK)
            return fg_merge__fail (self, "route");
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) op->row_id);
        int step = sqlite3_step (stmt);
        if (step == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_INTEGER)
            snprintf (org, 24, "%lld", (long long) sqlite3_column_int64 (stmt, 0));
        sqlite3_finalize (stmt);
        if (step != SQLITE_ROW && step != SQLITE_DONE)
            return fg_merge__fail (self, "route");
    }
    if (*org && (!fg_org_level (org) || !fg_org_contains (origin->org, org)))
        *org = 0;
    return 0;
}

int
fg_merge_entry (fg_merge_t *self, const fg_node_t *origin, const fg_entry_t *entry,
                fg_merge_result_t *result)
{
    memset (result, 0, sizeof *result);
    s_key_t *keys = NULL;
    size_t key_count = 0, key_cap = 0;
    char reason [256];
    int rc = 0;
    //  Whether any op of the origin is held: once per origin and transaction
    if (self->origin_known != entry->origin && !s_origin_org (self, entry->origin, NULL))
        rc = s_claims_recheck (self, origin);
    uint64_t lww_hlc = s_lww_hlc (self, entry);
    size_t op_count = 0;
    int end = 0;
    const fg_op_t *ops = fg_merge_ops (self, entry, &op_count, &end);

    if (rc)
        ;                               //  the database failed: the caller rolls back
    else
    if (end == -2) {
        snprintf (reason, sizeof reason, "malformed_payload: the op list does not decode");
        rc = s_record_op (self, origin, entry, lww_hlc, 0, NULL, entry->payload, entry->payload_size,
                          S_REJECTED, reason, 0);
        result->rejected = 1;
    }
    else {
        int idx = 0;
        for (size_t k = 0; rc == 0 && k < op_count; k++) {
            const fg_op_t *op = &ops [k];
            const fg_table_t *table;
            s_outcome_t outcome = s_validate (origin, op, &table, reason, sizeof reason);
            if (outcome != S_REJECTED && (table->flags & FG_TABLE_CLAIM))
                outcome = s_validate_claim (self, origin, op, reason, sizeof reason);
            if (outcome != S_REJECTED && streq (table->name, "node"))
                rc = s_validate_parent (self, origin, op, reason, sizeof reason, &outcome);
            if (rc)
                break;
            //  An event of a workflow case names its case
            int64_t ref_id = 0;
            const fg_table_t *case_table = table && op->kind == FG_OP_INSERT
                                         ? fg_schema_case_of (table->name) : NULL;
            if (case_table) {
                const fg_value_t *ref = fg_op_get (op, case_table->workflow->case_column);
                ref_id = ref && ref->type == FG_VAL_INT ? ref->i : 0;
            }
            //  (before the op is recorded: afterwards its row id is held)
            int fresh = table && rc == 0 ? s_fresh (self, table, op->row_id) : 0;
            if (fresh < 0)
                rc = -1;
            if (rc == 0)
                rc = s_record_op (self, origin, entry, lww_hlc, idx++, op, op->bytes, op->size,
                                  outcome, reason, ref_id);
            if (outcome == S_REJECTED) {
                result->rejected++;
                continue;
            }
            char anchor [24];
            fg_merge__org_text (anchor, op->anchor);
            //  A child's record of its own parent is for the child's
            //  descendants (so they learn the keys above): it routes
            //  within the child's subtree, not to the parent's.
            const fg_value_t *relation = streq (op->table, "node") ? fg_op_get (op, "relation") : NULL;
            if (relation && relation->size == 6 && memcmp (relation->data, "parent", 6) == 0)
                snprintf (anchor, sizeof anchor, "%s", origin->org);
            int down = table ? (int) table->down : FG_DOWN_SUBTREE;
            char also [24] = "";
            if (table && table->route && s_route (self, origin, table, op, also)) {
                rc = -1;
                break;
            }
            if (result->applied + result->proposals == 0) {
                memcpy (result->anchor, anchor, sizeof result->anchor);
                result->down = down;
                memcpy (result->also, also, sizeof result->also);
            }
            else {
                fg_org_common (result->anchor, anchor, result->anchor);
                if (down < result->down)
                    result->down = down;    //  the widest scope of its ops
                if (!*also)
                    *result->also = 0;      //  an op without one: the entry has none
                else
                if (*result->also)
                    fg_org_common (result->also, also, result->also);
            }
            if (outcome == S_PROPOSAL) {
                result->proposals++;
                continue;
            }
            result->applied++;
            if (streq (op->table, "node"))
                result->touched_nodes = true;
            if (key_count == key_cap) {
                key_cap = key_cap ? key_cap * 2 : 16;
                keys = (s_key_t *) realloc (keys, key_cap * sizeof (s_key_t));
                assert (keys);
            }
            keys [key_count].table_index = fg_merge__table_index (table);
            keys [key_count].row_id = op->row_id;
            keys [key_count].fresh = fresh == 1;
            keys [key_count].op = op;
            keys [key_count].idx = idx - 1;
            key_count++;
        }
        if (rc == 0 && end == -1) {
            //  Ops before the damage stand (they were signed); the rest of
            //  the payload is recorded as one rejected op.
            snprintf (reason, sizeof reason, "malformed_payload: op %d does not decode", idx);
            const uint8_t *rest = self->decoded.bad_at;
            rc = s_record_op (self, origin, entry, lww_hlc, idx, NULL, rest,
                              (size_t) (entry->payload + entry->payload_size - rest), S_REJECTED, reason, 0);
            result->rejected++;
        }
    }
    if (rc == 0)
        self->origin_known = entry->origin;
    //  Recompute each touched row once; a fresh row touched by one op of
    //  this entry alone is computed from that op, without reading it back
    for (size_t i = 0; rc == 0 && i < key_count; i++) {
        bool seen = false, again = false;
        for (size_t j = 0; j < key_count && !seen; j++)
            if (j != i && keys [j].table_index == keys [i].table_index && keys [j].row_id == keys [i].row_id) {
                if (j < i)
                    seen = true;
                else
                    again = true;
            }
        if (seen)
            continue;
        if (keys [i].fresh && !again) {
            fg_merge__known_t known = { keys [i].op, entry->hlc, entry->origin, (int64_t) entry->seq,
                                        keys [i].idx, entry->author, origin->org };
            rc = fg_merge__recompute_known (self, keys [i].table_index, keys [i].row_id, &known);
        }
        else
            rc = fg_merge__recompute (self, keys [i].table_index, keys [i].row_id);
    }
    if (!result->anchor [0])
        snprintf (result->anchor, sizeof result->anchor, "%s", origin->org);
    free (keys);
    return rc;
}

int
fg_merge_clear (fg_merge_t *self)
{
    fg_merge_forget (self);
    if (sqlite3_exec (self->db, "DELETE FROM op", NULL, NULL, NULL) != SQLITE_OK)
        return fg_merge__fail (self, "clear op");
    for (size_t i = 0; i < fg_schema_table_count (); i++) {
        const fg_table_t *table = fg_schema_table_at (i);
        if (table->flags & FG_TABLE_SYSTEM)
            continue;
        char *sql = fg_strdupf ("DELETE FROM %s", table->name);
        int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);
        free (sql);
        if (rc != SQLITE_OK)
            return fg_merge__fail (self, "clear table");
    }
    return 0;
}

static void
s_digest_bytes (crypto_generichash_state *state, uint8_t tag, const void *data, size_t size)
{
    uint8_t head [5];
    head [0] = tag;
    fg_put32 (head + 1, (uint32_t) size);
    crypto_generichash_update (state, head, 5);
    if (data && size)
        crypto_generichash_update (state, (const uint8_t *) data, size);
}

int
fg_merge_digest (fg_merge_t *self, const char *org, uint8_t digest [FG_HASH_SIZE], size_t *rows_p)
{
    crypto_generichash_state state;
    crypto_generichash_init (&state, NULL, 0, FG_HASH_SIZE);
    size_t rows = 0;
    int rc = 0;
    bool filter = org && *org;
    for (size_t i = 0; rc == 0 && i < fg_schema_table_count (); i++) {
        const fg_table_t *table = fg_schema_table_at (i);
        if (table->flags & FG_TABLE_SYSTEM)
            continue;
        s_digest_bytes (&state, 'T', table->name, strlen (table->name));
        char *sql = fg_strdupf ("SELECT * FROM %s ORDER BY id", table->name);
        sqlite3_stmt *stmt = NULL;
        if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
            rc = fg_merge__fail (self, "digest");
        free (sql);
        int step;
        while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
            if (filter) {
                char code [24];
                snprintf (code, sizeof code, "%lld", (long long) sqlite3_column_int64 (stmt, 1));
                if (!fg_org_contains (org, code))
                    continue;
            }
            rows++;
            int columns = sqlite3_column_count (stmt);
            s_digest_bytes (&state, 'R', NULL, (size_t) columns);
            for (int c = 0; c < columns; c++) {
                uint8_t number [8];
                switch (sqlite3_column_type (stmt, c)) {
                    case SQLITE_INTEGER:
                        fg_put64 (number, (uint64_t) sqlite3_column_int64 (stmt, c));
                        s_digest_bytes (&state, 'I', number, 8);
                        break;
                    case SQLITE_TEXT:
                        s_digest_bytes (&state, 'S', sqlite3_column_text (stmt, c),
                                        (size_t) sqlite3_column_bytes (stmt, c));
                        break;
                    case SQLITE_BLOB:
                        s_digest_bytes (&state, 'B', sqlite3_column_blob (stmt, c),
                                        (size_t) sqlite3_column_bytes (stmt, c));
                        break;
                    case SQLITE_NULL:
                        s_digest_bytes (&state, 'N', NULL, 0);
                        break;
                    default:            //  REAL is never stored by fugai
                        s_digest_bytes (&state, 'F', NULL, 0);
                        break;
                }
            }
        }
        if (rc == 0 && step != SQLITE_DONE)
            rc = fg_merge__fail (self, "digest step");
        sqlite3_finalize (stmt);
    }
    crypto_generichash_final (&state, digest, FG_HASH_SIZE);
    if (rows_p)
        *rows_p = rows;
    return rc;
}
