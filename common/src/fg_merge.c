/*  fg_merge.c - validate each op, record its outcome, recompute the rows
    it touches. See fg_merge.h for the rules; DOMAIN.md §1 for why.

    The `op` table (owned by this file):
        origin, seq, idx   which entry and which op in it (primary key)
        tbl, row_id        the row it touches
        kind, grp          put/insert/void/meta and the field group
        anchor             org code from the op header
        hlc, author        from the entry
        body               the op's own canonical bytes (fg_ops format)
        outcome, reason    applied / proposal / rejected, and why
*/
#include "fg_merge.h"
#include "fg_util.h"
#include "fg_org.h"
#include "fg_ops.h"
#include "fg_hlc.h"

struct _fg_merge_t {
    sqlite3       *db;
    sqlite3_stmt  *op_insert;
    sqlite3_stmt  *op_select;
    sqlite3_stmt **row_upsert;       //  per schema table index
    sqlite3_stmt **row_delete;
    char           error [256];
};

static const char *s_op_ddl =
    "CREATE TABLE IF NOT EXISTS op (\n"
    "  origin INTEGER NOT NULL, seq INTEGER NOT NULL, idx INTEGER NOT NULL,\n"
    "  tbl TEXT NOT NULL, row_id INTEGER NOT NULL, kind TEXT NOT NULL, grp TEXT,\n"
    "  anchor INTEGER NOT NULL, hlc INTEGER NOT NULL, author TEXT,\n"
    "  body BLOB NOT NULL, outcome TEXT NOT NULL, reason TEXT,\n"
    "  PRIMARY KEY (origin, seq, idx)) WITHOUT ROWID;\n"
    "CREATE INDEX IF NOT EXISTS op_row ON op (tbl, row_id, outcome);\n"
    "CREATE INDEX IF NOT EXISTS op_outcome ON op (outcome) WHERE outcome != 'applied';\n";

static int
s_fail (fg_merge_t *self, const char *what)
{
    snprintf (self->error, sizeof self->error, "%s: %s", what, sqlite3_errmsg (self->db));
    return -1;
}

static int
s_prepare (fg_merge_t *self, const char *sql, sqlite3_stmt **stmt)
{
    if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL) != SQLITE_OK)
        return s_fail (self, "prepare");
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

fg_merge_t *
fg_merge_new (sqlite3 *db)
{
    fg_merge_t *self = (fg_merge_t *) zmalloc (sizeof (fg_merge_t));
    assert (self);
    self->db = db;
    size_t count = fg_schema_table_count ();
    self->row_upsert = (sqlite3_stmt **) zmalloc (count * sizeof (sqlite3_stmt *));
    self->row_delete = (sqlite3_stmt **) zmalloc (count * sizeof (sqlite3_stmt *));
    assert (self->row_upsert && self->row_delete);

    int rc = sqlite3_exec (db, s_op_ddl, NULL, NULL, NULL) == SQLITE_OK ? 0 : s_fail (self, "create op");
    for (size_t i = 0; rc == 0 && i < count; i++) {
        const fg_table_t *table = fg_schema_table_at (i);
        if (table->flags & FG_TABLE_SYSTEM)
            continue;
        char *ddl = fg_schema_ddl (table);
        if (sqlite3_exec (db, ddl, NULL, NULL, NULL) != SQLITE_OK)
            rc = s_fail (self, table->name);
        free (ddl);
        char *sql = s_upsert_sql (table);
        if (rc == 0)
            rc = s_prepare (self, sql, &self->row_upsert [i]);
        free (sql);
        sql = fg_strdupf ("DELETE FROM %s WHERE id = ?", table->name);
        if (rc == 0)
            rc = s_prepare (self, sql, &self->row_delete [i]);
        free (sql);
    }
    if (rc == 0)
        rc = s_prepare (self, "INSERT OR IGNORE INTO op (origin, seq, idx, tbl, row_id, kind, grp, anchor, "
                              "hlc, author, body, outcome, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        &self->op_insert);
    if (rc == 0)
        rc = s_prepare (self, "SELECT kind, grp, anchor, hlc, origin, author, body FROM op "
                              "WHERE tbl = ? AND row_id = ? AND outcome = 'applied' "
                              "ORDER BY hlc, origin, seq, idx", &self->op_select);
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
            sqlite3_finalize (self->row_upsert [i]);
            sqlite3_finalize (self->row_delete [i]);
        }
        free (self->row_upsert);
        free (self->row_delete);
        sqlite3_finalize (self->op_insert);
        sqlite3_finalize (self->op_select);
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
    char detail [160];
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
    return S_APPLIED;
}

static s_outcome_t
s_validate (const fg_node_t *origin, const fg_op_t *op, char *reason, size_t size)
{
    *reason = 0;
    const fg_table_t *table = fg_schema_table (op->table);
    if (!table)
        return s_reject (reason, size, "unknown_table",
                         "no table '%s' in schema %d (written by a newer version?)",
                         op->table, FG_SCHEMA_VERSION);
    char anchor [24];
    snprintf (anchor, sizeof anchor, "%llu", (unsigned long long) op->anchor);
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

    //  Fields: known, typed, in the op's group
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
//  Recompute: one row from the set of its applied ops.

typedef struct {
    uint8_t *body;
    fg_op_t  op;
    char     kind [8];
    char     group [FG_NAME_MAX_LEN + 1];
    uint64_t anchor;
    uint64_t hlc;
    int64_t  origin;
    char    *author;
} s_row_op_t;

static int
s_bind_value (sqlite3_stmt *stmt, int index, const fg_value_t *value)
{
    if (!value || value->type == FG_VAL_NULL)
        return sqlite3_bind_null (stmt, index);
    if (value->type == FG_VAL_INT)
        return sqlite3_bind_int64 (stmt, index, value->i);
    if (value->type == FG_VAL_TEXT)
        return sqlite3_bind_text (stmt, index, (const char *) value->data, (int) value->size, SQLITE_STATIC);
    return sqlite3_bind_blob (stmt, index, value->data, (int) value->size, SQLITE_STATIC);
}

static int
s_recompute (fg_merge_t *self, size_t table_index, uint64_t row_id)
{
    const fg_table_t *table = fg_schema_table_at (table_index);
    if (table->flags & FG_TABLE_SYSTEM)
        return 0;
    sqlite3_stmt *select = self->op_select;
    sqlite3_reset (select);
    sqlite3_bind_text (select, 1, table->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (select, 2, (sqlite3_int64) row_id);

    size_t count = 0, cap = 4;
    s_row_op_t *ops = (s_row_op_t *) malloc (cap * sizeof (s_row_op_t));
    assert (ops);
    int rc = 0;
    int step;
    while ((step = sqlite3_step (select)) == SQLITE_ROW) {
        if (count == cap) {
            cap *= 2;
            ops = (s_row_op_t *) realloc (ops, cap * sizeof (s_row_op_t));
            assert (ops);
        }
        s_row_op_t *row_op = &ops [count];
        size_t size = (size_t) sqlite3_column_bytes (select, 6);
        row_op->body = (uint8_t *) malloc (size ? size : 1);
        assert (row_op->body);
        memcpy (row_op->body, sqlite3_column_blob (select, 6), size);
        snprintf (row_op->kind, sizeof row_op->kind, "%s", sqlite3_column_text (select, 0));
        const unsigned char *group = sqlite3_column_text (select, 1);
        snprintf (row_op->group, sizeof row_op->group, "%s", group ? (const char *) group : "");
        row_op->anchor = (uint64_t) sqlite3_column_int64 (select, 2);
        row_op->hlc = (uint64_t) sqlite3_column_int64 (select, 3);
        row_op->origin = sqlite3_column_int64 (select, 4);
        const unsigned char *author = sqlite3_column_text (select, 5);
        row_op->author = strdup (author ? (const char *) author : "");
        count++;
        //  Stored bodies were validated on the way in; a failure here means
        //  the database itself was damaged.
        if (fg_op_decode (&row_op->op, row_op->body, size)) {
            snprintf (self->error, sizeof self->error, "stored op of %s %llu does not decode",
                      table->name, (unsigned long long) row_id);
            rc = -1;
        }
    }
    if (step != SQLITE_DONE)
        rc = s_fail (self, "select ops");
    sqlite3_reset (select);

    //  Decide the row
    size_t column_count = fg_schema_column_count (table);
    const fg_value_t **values = (const fg_value_t **) calloc (column_count + 1, sizeof (fg_value_t *));
    assert (values);
    s_row_op_t *first = NULL, *last = NULL, *placing = NULL;
    const fg_value_t *void_reason = NULL;
    bool voided = false;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        s_row_op_t *row_op = &ops [i];
        if (table->cls == FG_CLASS_EVENT) {
            if (streq (row_op->kind, "insert")) {
                if (first)
                    continue;           //  the earliest insert of an id wins
                first = row_op;
                for (size_t c = 0; c < column_count; c++)
                    values [c] = fg_op_get (&row_op->op, table->columns [c].name);
            }
            else {                      //  void
                if (!voided)
                    void_reason = fg_op_get (&row_op->op, "reason");
                voided = true;
            }
        }
        else {
            if (!first)
                first = row_op;
            if (streq (row_op->group, table->anchor_group))
                placing = row_op;
            for (size_t f = 0; f < row_op->op.field_count; f++) {
                const fg_column_t *column = fg_schema_column (table, row_op->op.fields [f].name);
                if (column)
                    values [column - table->columns] = &row_op->op.fields [f].value;
            }
        }
        last = row_op;
    }

    if (rc == 0) {
        if (!first) {
            sqlite3_stmt *remove = self->row_delete [table_index];
            sqlite3_reset (remove);
            sqlite3_bind_int64 (remove, 1, (sqlite3_int64) row_id);
            if (sqlite3_step (remove) != SQLITE_DONE)
                rc = s_fail (self, "delete row");
            sqlite3_reset (remove);
        }
        else {
            sqlite3_stmt *upsert = self->row_upsert [table_index];
            sqlite3_reset (upsert);
            sqlite3_clear_bindings (upsert);
            int index = 1;
            sqlite3_bind_int64 (upsert, index++, (sqlite3_int64) row_id);
            sqlite3_bind_int64 (upsert, index++, (sqlite3_int64) (placing ? placing : first)->anchor);
            for (size_t c = 0; c < column_count; c++)
                s_bind_value (upsert, index++, values [c]);
            sqlite3_bind_int64 (upsert, index++, first->origin);
            sqlite3_bind_int64 (upsert, index++, (sqlite3_int64) first->hlc);
            sqlite3_bind_int64 (upsert, index++, (sqlite3_int64) last->hlc);
            sqlite3_bind_text (upsert, index++, last->author, -1, SQLITE_STATIC);
            if (table->cls == FG_CLASS_EVENT) {
                sqlite3_bind_int (upsert, index++, voided);
                s_bind_value (upsert, index++, void_reason);
            }
            if (sqlite3_step (upsert) != SQLITE_DONE)
                rc = s_fail (self, "write row");
            sqlite3_reset (upsert);
        }
    }
    for (size_t i = 0; i < count; i++) {
        free (ops [i].body);
        free (ops [i].author);
    }
    free (ops);
    free (values);
    return rc;
}

//  -------------------------------------------------------------------------

static int
s_record_op (fg_merge_t *self, const fg_entry_t *entry, int idx, const fg_op_t *op,
             const uint8_t *body, size_t body_size, s_outcome_t outcome, const char *reason)
{
    sqlite3_stmt *stmt = self->op_insert;
    sqlite3_reset (stmt);
    sqlite3_bind_int64 (stmt, 1, entry->origin);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) entry->seq);
    sqlite3_bind_int (stmt, 3, idx);
    sqlite3_bind_text (stmt, 4, op ? op->table : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 5, op ? (sqlite3_int64) op->row_id : 0);
    sqlite3_bind_text (stmt, 6, op ? fg_op_kind_name (op->kind) : "?", -1, SQLITE_STATIC);
    if (op && op->group [0])
        sqlite3_bind_text (stmt, 7, op->group, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null (stmt, 7);
    sqlite3_bind_int64 (stmt, 8, op ? (sqlite3_int64) op->anchor : 0);
    sqlite3_bind_int64 (stmt, 9, (sqlite3_int64) entry->hlc);
    sqlite3_bind_text (stmt, 10, entry->author, -1, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 11, body, (int) body_size, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 12, s_outcome_name (outcome), -1, SQLITE_STATIC);
    if (*reason)
        sqlite3_bind_text (stmt, 13, reason, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null (stmt, 13);
    int rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : s_fail (self, "record op");
    sqlite3_reset (stmt);
    return rc;
}

typedef struct {
    size_t   table_index;
    uint64_t row_id;
} s_key_t;

int
fg_merge_entry (fg_merge_t *self, const fg_node_t *origin, const fg_entry_t *entry,
                fg_merge_result_t *result)
{
    memset (result, 0, sizeof *result);
    fg_ops_reader_t reader;
    fg_op_t *op = (fg_op_t *) malloc (sizeof (fg_op_t));
    assert (op);
    s_key_t *keys = NULL;
    size_t key_count = 0, key_cap = 0;
    char reason [256];
    int rc = 0;

    if (fg_ops_reader_init (&reader, entry->payload, entry->payload_size)) {
        snprintf (reason, sizeof reason, "malformed_payload: the op list does not decode");
        rc = s_record_op (self, entry, 0, NULL, entry->payload, entry->payload_size, S_REJECTED, reason);
        result->rejected = 1;
    }
    else {
        int idx = 0, next;
        while (rc == 0 && (next = fg_ops_next (&reader, op)) == 1) {
            s_outcome_t outcome = s_validate (origin, op, reason, sizeof reason);
            rc = s_record_op (self, entry, idx++, op, op->bytes, op->size, outcome, reason);
            if (outcome == S_REJECTED) {
                result->rejected++;
                continue;
            }
            char anchor [24];
            snprintf (anchor, sizeof anchor, "%llu", (unsigned long long) op->anchor);
            //  A child's record of its own parent is for the child's
            //  descendants (so they learn the keys above): it routes
            //  within the child's subtree, not to the parent's.
            const fg_value_t *relation = streq (op->table, "node") ? fg_op_get (op, "relation") : NULL;
            if (relation && relation->size == 6 && memcmp (relation->data, "parent", 6) == 0)
                snprintf (anchor, sizeof anchor, "%s", origin->org);
            if (result->applied + result->proposals == 0)
                snprintf (result->anchor, sizeof result->anchor, "%s", anchor);
            else
                fg_org_common (result->anchor, anchor, result->anchor);
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
            keys [key_count].table_index = (size_t) (fg_schema_table (op->table) - fg_schema_table_at (0));
            keys [key_count].row_id = op->row_id;
            key_count++;
        }
        if (rc == 0 && next == -1) {
            //  Ops before the damage stand (they were signed); the rest of
            //  the payload is recorded as one rejected op.
            snprintf (reason, sizeof reason, "malformed_payload: op %d does not decode", idx);
            rc = s_record_op (self, entry, idx, NULL, reader.cursor,
                              (size_t) (reader.end - reader.cursor), S_REJECTED, reason);
            result->rejected++;
        }
    }
    //  Recompute each touched row once
    for (size_t i = 0; rc == 0 && i < key_count; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = keys [j].table_index == keys [i].table_index && keys [j].row_id == keys [i].row_id;
        if (!seen)
            rc = s_recompute (self, keys [i].table_index, keys [i].row_id);
    }
    if (!result->anchor [0])
        snprintf (result->anchor, sizeof result->anchor, "%s", origin->org);
    free (keys);
    free (op);
    return rc;
}

int
fg_merge_clear (fg_merge_t *self)
{
    if (sqlite3_exec (self->db, "DELETE FROM op", NULL, NULL, NULL) != SQLITE_OK)
        return s_fail (self, "clear op");
    for (size_t i = 0; i < fg_schema_table_count (); i++) {
        const fg_table_t *table = fg_schema_table_at (i);
        if (table->flags & FG_TABLE_SYSTEM)
            continue;
        char *sql = fg_strdupf ("DELETE FROM %s", table->name);
        int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);
        free (sql);
        if (rc != SQLITE_OK)
            return s_fail (self, "clear table");
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
            rc = s_fail (self, "digest");
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
            rc = s_fail (self, "digest step");
        sqlite3_finalize (stmt);
    }
    crypto_generichash_final (&state, digest, FG_HASH_SIZE);
    if (rows_p)
        *rows_p = rows;
    return rc;
}

//  -------------------------------------------------------------------------
//  Self-test: outcomes of each rule, and convergence over permutations.

typedef struct {
    fg_node_t  node;
    fg_keys_t *keys;
    uint64_t   seq;
    uint8_t    prev [FG_HASH_SIZE];
    uint64_t   counter;
} s_author_t;

//  Sign an entry of the author's ops; returns the bytes (caller frees).
static uint8_t *
s_test_entry (s_author_t *author, fg_ops_t **ops_p, uint64_t hlc, size_t *size)
{
    char err [128];
    size_t payload_size;
    uint8_t *payload = fg_ops_encode (*ops_p, &payload_size, err, sizeof err);
    assert (payload);
    fg_ops_destroy (ops_p);
    uint8_t hash [FG_HASH_SIZE];
    uint8_t *bytes = fg_entry_build (author->keys, author->node.node_id, 0, ++author->seq, hlc,
                                     author->prev, "tester", payload, payload_size, size, hash);
    assert (bytes);
    memcpy (author->prev, hash, FG_HASH_SIZE);
    free (payload);
    return bytes;
}

static uint64_t
s_test_id (s_author_t *author)
{
    return ((uint64_t) author->node.node_id << FG_ID_SHIFT) | ++author->counter;
}

static sqlite3 *
s_test_db (fg_merge_t **merge)
{
    sqlite3 *db;
    assert (sqlite3_open (":memory:", &db) == SQLITE_OK);
    *merge = fg_merge_new (db);
    assert (*merge);
    return db;
}

static void
s_test_merge_all (fg_merge_t *merge, s_author_t **authors, uint8_t **entries, size_t *sizes,
                  size_t count)
{
    for (size_t i = 0; i < count; i++) {
        fg_entry_t entry;
        assert (fg_entry_parse (&entry, entries [i], sizes [i]) == FG_ENTRY_OK);
        fg_merge_result_t result;
        assert (fg_merge_entry (merge, &authors [i]->node, &entry, &result) == 0);
    }
}

static int64_t
s_test_int (sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt;
    assert (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK);
    int64_t value = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
    sqlite3_finalize (stmt);
    return value;
}

void
fg_merge_test (bool verbose)
{
    printf (" * fg_merge: ");
    s_author_t town = { { 28100, FG_TIER_TOWNSHIP, "513328100", "town", 0, {0}, "" }, NULL, 0, {0}, 0 };
    s_author_t other = { { 28101, FG_TIER_TOWNSHIP, "513328101", "other town", 0, {0}, "" }, NULL, 0, {0}, 0 };
    s_author_t county = { { 128, FG_TIER_COUNTY, "513328", "county", 0, {0}, "" }, NULL, 0, {0}, 0 };
    s_author_t pref = { { 1, FG_TIER_PREFECTURE, "513300", "prefecture", 0, {0}, "" }, NULL, 0, {0}, 0 };
    s_author_t *all [] = { &town, &other, &county, &pref };
    for (int i = 0; i < 4; i++)
        all [i]->keys = fg_keys_new ();

    //  A script of entries, in each origin's order
    uint8_t *entries [32];
    size_t sizes [32];
    s_author_t *by [32];
    size_t count = 0;
    uint64_t hh = s_test_id (&town);
    fg_ops_t *ops;

    //  0: township creates a household (reg) and a visit
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
    fg_ops_set_text (ops, "head_name", "Tashi");
    fg_ops_set_int (ops, "size", 5);
    uint64_t visit = s_test_id (&town);
    fg_ops_begin (ops, FG_OP_INSERT, "visit", NULL, visit, 513328100201);
    fg_ops_set_int (ops, "cadre_id", 77);
    fg_ops_set_text (ops, "target_kind", "household");
    fg_ops_set_int (ops, "target_id", (int64_t) hh);
    fg_ops_set_text (ops, "kind", "pairing");
    fg_ops_set_int (ops, "occurred_on", 15600);
    by [count] = &town;
    entries [count] = s_test_entry (&town, &ops, fg_hlc_make (1000, 0), &sizes [count]);
    count++;
    //  1: county sets the admin flag (owner) at hlc 2000
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "admin", hh, 513328100201);
    fg_ops_set_int (ops, "needy", 1);
    by [count] = &county;
    entries [count] = s_test_entry (&county, &ops, fg_hlc_make (2000, 0), &sizes [count]);
    count++;
    //  2: township edits size (owner) and tries the admin flag (proposal)
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
    fg_ops_set_int (ops, "size", 6);
    fg_ops_begin (ops, FG_OP_PUT, "household", "admin", hh, 513328100201);
    fg_ops_set_int (ops, "needy", 0);
    by [count] = &town;
    entries [count] = s_test_entry (&town, &ops, fg_hlc_make (3000, 0), &sizes [count]);
    count++;
    //  3: county edits the size concurrently (not owner: proposal), and
    //     the prefecture writes an org unit (owner)
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
    fg_ops_set_int (ops, "size", 9);
    by [count] = &county;
    entries [count] = s_test_entry (&county, &ops, fg_hlc_make (3500, 0), &sizes [count]);
    count++;
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "org_unit", "registry", 513328100201, 513328100201);
    fg_ops_set_text (ops, "name_zh", "村");
    by [count] = &pref;
    entries [count] = s_test_entry (&pref, &ops, fg_hlc_make (1500, 0), &sizes [count]);
    count++;
    //  5: the other township writes into this township (out of scope) and
    //     an event with a foreign id
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
    fg_ops_set_int (ops, "size", 1);
    fg_ops_begin (ops, FG_OP_INSERT, "visit", NULL, visit, 513328101201);
    fg_ops_set_int (ops, "cadre_id", 1);
    fg_ops_set_text (ops, "target_kind", "household");
    fg_ops_set_int (ops, "target_id", 1);
    fg_ops_set_text (ops, "kind", "phone");
    fg_ops_set_int (ops, "occurred_on", 1);
    by [count] = &other;
    entries [count] = s_test_entry (&other, &ops, fg_hlc_make (5000, 0), &sizes [count]);
    count++;
    //  6: township voids its visit; 7: a later reg edit by the township
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_VOID, "visit", NULL, visit, 513328100201);
    fg_ops_set_text (ops, "reason", "entered twice");
    by [count] = &town;
    entries [count] = s_test_entry (&town, &ops, fg_hlc_make (6000, 0), &sizes [count]);
    count++;
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
    fg_ops_set_text (ops, "economy", "herding");
    fg_ops_set_text (ops, "nonesuch", "x");            //  unknown column: rejected
    by [count] = &town;
    entries [count] = s_test_entry (&town, &ops, fg_hlc_make (7000, 0), &sizes [count]);
    count++;
    //  8: an unknown table (from a newer schema) and a directive by a township
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_INSERT, "future_table", NULL, s_test_id (&town), 513328100);
    fg_ops_begin (ops, FG_OP_INSERT, "directive", NULL, s_test_id (&town), 513328100);
    fg_ops_set_text (ops, "title", "not mine to give");
    by [count] = &town;
    entries [count] = s_test_entry (&town, &ops, fg_hlc_make (8000, 0), &sizes [count]);
    count++;

    //  Reference order
    fg_merge_t *merge;
    sqlite3 *db = s_test_db (&merge);
    s_test_merge_all (merge, by, entries, sizes, count);
    uint8_t reference [FG_HASH_SIZE];
    size_t rows;
    assert (fg_merge_digest (merge, NULL, reference, &rows) == 0);
    assert (rows == 3);              //  household, visit, org unit
    char hh_sql [160];
    snprintf (hh_sql, sizeof hh_sql, "SELECT size FROM household WHERE id = %llu", (unsigned long long) hh);
    assert (s_test_int (db, hh_sql) == 6);               //  county's 9 is a proposal
    snprintf (hh_sql, sizeof hh_sql, "SELECT needy FROM household WHERE id = %llu", (unsigned long long) hh);
    assert (s_test_int (db, hh_sql) == 1);               //  township's 0 is a proposal
    assert (s_test_int (db, "SELECT count(*) FROM op WHERE outcome = 'proposal'") == 2);
    assert (s_test_int (db, "SELECT count(*) FROM op WHERE reason LIKE 'out_of_scope%'") == 1);
    assert (s_test_int (db, "SELECT count(*) FROM op WHERE reason LIKE 'foreign_id%'") == 1);
    assert (s_test_int (db, "SELECT count(*) FROM op WHERE reason LIKE 'unknown_column%'") == 1);
    assert (s_test_int (db, "SELECT count(*) FROM op WHERE reason LIKE 'unknown_table%'") == 1);
    assert (s_test_int (db, "SELECT count(*) FROM op WHERE reason LIKE 'not_author%'") == 1);
    assert (s_test_int (db, "SELECT voided FROM visit") == 1);
    assert (s_test_int (db, "SELECT count(*) FROM directive") == 0);
    //  Idempotence: everything again changes nothing
    s_test_merge_all (merge, by, entries, sizes, count);
    uint8_t again [FG_HASH_SIZE];
    assert (fg_merge_digest (merge, NULL, again, &rows) == 0);
    assert (memcmp (again, reference, FG_HASH_SIZE) == 0);
    //  Subtree digest: the other township holds nothing
    assert (fg_merge_digest (merge, "513328101", again, &rows) == 0 && rows == 0);
    assert (fg_merge_digest (merge, "513328100", again, &rows) == 0 && rows == 3);
    fg_merge_destroy (&merge);
    sqlite3_close (db);

    //  Convergence: random interleavings that keep each origin's order
    srandom (42);
    for (int round = 0; round < 200; round++) {
        uint8_t *shuffled [32];
        size_t shuffled_sizes [32];
        s_author_t *shuffled_by [32];
        size_t next [4] = { 0 }, placed = 0;
        while (placed < count) {
            int pick = (int) (random () % 4);
            //  the next entry of origin `pick` not yet placed
            size_t seen = 0;
            for (size_t i = 0; i < count; i++) {
                if (by [i] != all [pick])
                    continue;
                if (seen++ == next [pick]) {
                    shuffled [placed] = entries [i];
                    shuffled_sizes [placed] = sizes [i];
                    shuffled_by [placed] = by [i];
                    placed++;
                    next [pick]++;
                    break;
                }
            }
        }
        db = s_test_db (&merge);
        s_test_merge_all (merge, shuffled_by, shuffled, shuffled_sizes, count);
        uint8_t digest [FG_HASH_SIZE];
        assert (fg_merge_digest (merge, NULL, digest, &rows) == 0);
        assert (memcmp (digest, reference, FG_HASH_SIZE) == 0);
        fg_merge_destroy (&merge);
        sqlite3_close (db);
    }
    for (size_t i = 0; i < count; i++)
        free (entries [i]);
    for (int i = 0; i < 4; i++)
        fg_keys_destroy (&all [i]->keys);
    printf ("OK\n");
}
