/*  fg_merge_rows.c - project one row from the set of applied ops that
    touch it. Each function reads the ops in a fixed order and writes the
    row, so the row depends on which ops a replica holds, never on the
    order they came in.

      event       the earliest insert defines the row; a void marks it if
                  made by the event's author or by a hub above its place
      registry,   placement first (who may say where the row is, below);
      assignment  then each column: the latest counted op that carries it, in
                  (lww_hlc, origin, seq, idx) order, where lww_hlc is a
                  write's hlc, clamped to the time a hub received it when
                  that hub flagged it as stamped implausibly far ahead: it
                  cannot win against an honest write made after that;
                  org_id follows the latest op of the anchor group
      metadata    placed as a registry (only a node whose org contains the
                  row's place writes it; other writes are marked rejected,
                  not_owner); the counted op with the highest version gives
                  the whole row
      case        intake columns as a registry; state, owner and counts
                  are the fold of the case's events (s_fold)

    Dependencies: an event of a workflow case refolds its case; a
    clock_flag row marks the ops of the entry it names and recomputes the
    rows they touch.
*/
#include "fg_merge_int.h"
#include "fg_util.h"
#include "fg_org.h"
#include "fg_ops.h"

//  An applied op of a row: its kind, group and anchor are in op.
typedef struct {
    uint8_t *body;
    fg_op_t  op;                     //  decoded from body
    uint64_t hlc;
    int64_t  origin;
    int64_t  seq;
    int      idx;
    bool     rejected;               //  a metadata write outside the row's place
    char    *author;
    char     origin_org [16];
} s_row_op_t;

typedef struct {
    s_row_op_t *ops;
    size_t      count;
} s_ops_t;

static void
s_ops_free (s_ops_t *ops)
{
    for (size_t i = 0; i < ops->count; i++) {
        free (ops->ops [i].body);
        free (ops->ops [i].author);
    }
    free (ops->ops);
    ops->ops = NULL;
    ops->count = 0;
}

//  Two helpers of the hot path (every received op is recomputed): snprintf
//  costs some 700 instructions a call, two calls 12 % of what recomputing
//  a one-household row did outside SQLite (callgrind).
static void
s_copy_text (char *dest, size_t size, const char *text)
{
    size_t length = text ? strnlen (text, size - 1) : 0;
    memcpy (dest, text ? text : "", length);
    dest [length] = 0;
}

//  An org code as text (dest holds at least 21 bytes)
void
fg_merge__org_text (char *dest, uint64_t value)
{
    char digits [20];
    size_t count = 0;
    do {
        digits [count++] = (char) ('0' + value % 10);
        value /= 10;
    } while (value);
    for (size_t i = 0; i < count; i++)
        dest [i] = digits [count - 1 - i];
    dest [count] = 0;
}

//  Load the applied ops of a row, in LWW order.
static int
s_load (fg_merge_t *self, const fg_table_t *table, uint64_t row_id, s_ops_t *ops)
{
    sqlite3_stmt *select = self->op_row;
    sqlite3_reset (select);
    sqlite3_bind_text (select, 1, table->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (select, 2, (sqlite3_int64) row_id);
    size_t cap = 4;
    ops->ops = (s_row_op_t *) malloc (cap * sizeof (s_row_op_t));
    ops->count = 0;
    assert (ops->ops);
    int rc = 0, step;
    while ((step = sqlite3_step (select)) == SQLITE_ROW) {
        if (ops->count == cap) {
            cap *= 2;
            ops->ops = (s_row_op_t *) realloc (ops->ops, cap * sizeof (s_row_op_t));
            assert (ops->ops);
        }
        s_row_op_t *row_op = &ops->ops [ops->count];
        size_t size = (size_t) sqlite3_column_bytes (select, 3);
        row_op->body = (uint8_t *) malloc (size ? size : 1);
        assert (row_op->body);
        memcpy (row_op->body, sqlite3_column_blob (select, 3), size);
        row_op->hlc = (uint64_t) sqlite3_column_int64 (select, 0);
        row_op->origin = sqlite3_column_int64 (select, 1);
        const unsigned char *author = sqlite3_column_text (select, 2);
        row_op->author = strdup (author ? (const char *) author : "");
        s_copy_text (row_op->origin_org, sizeof row_op->origin_org, (const char *) sqlite3_column_text (select, 4));
        row_op->seq = sqlite3_column_int64 (select, 5);
        row_op->idx = sqlite3_column_int (select, 6);
        row_op->rejected = streq ((const char *) sqlite3_column_text (select, 7), "rejected");
        ops->count++;
        //  Stored bodies were validated on the way in; a failure here means
        //  the database itself was damaged.
        if (fg_op_decode (&row_op->op, row_op->body, size)) {
            snprintf (self->error, sizeof self->error, "stored op of %s %llu does not decode",
                      table->name, (unsigned long long) row_id);
            rc = -1;
        }
    }
    if (step != SQLITE_DONE)
        rc = fg_merge__fail (self, "select ops");
    sqlite3_reset (select);
    return rc;
}

//  The ops of a row whose only op is known (fg_merge_entry: a fresh row),
//  decoded there: copied as far as its fields go, its values pointing
//  into the entry being merged.
static int
s_load_known (const fg_merge__known_t *known, s_ops_t *ops)
{
    ops->ops = (s_row_op_t *) malloc (sizeof (s_row_op_t));
    assert (ops->ops);
    ops->count = 1;
    s_row_op_t *row_op = &ops->ops [0];
    row_op->body = NULL;
    memcpy (&row_op->op, known->op, offsetof (fg_op_t, fields) + known->op->field_count * sizeof (fg_field_t));
    row_op->op.bytes = known->op->bytes;
    row_op->op.size = known->op->size;
    row_op->hlc = known->hlc;
    row_op->origin = known->origin;
    row_op->author = strdup (known->author ? known->author : "");
    s_copy_text (row_op->origin_org, sizeof row_op->origin_org, known->origin_org);
    row_op->seq = known->seq;
    row_op->idx = known->idx;
    row_op->rejected = false;           //  a rejected op never makes a row fresh
    return 0;
}

static int
s_delete (fg_merge_t *self, size_t table_index, uint64_t row_id)
{
    sqlite3_stmt *remove = self->tables [table_index].remove;
    sqlite3_reset (remove);
    sqlite3_bind_int64 (remove, 1, (sqlite3_int64) row_id);
    int rc = sqlite3_step (remove) == SQLITE_DONE ? 0 : fg_merge__fail (self, "delete row");
    sqlite3_reset (remove);
    return rc;
}

static int
s_write (fg_merge_t *self, size_t table_index, uint64_t row_id, uint64_t anchor,
         const fg_value_t **values, const s_row_op_t *first, const s_row_op_t *last,
         bool voided, const fg_value_t *void_reason)
{
    const fg_table_t *table = fg_schema_table_at (table_index);
    sqlite3_stmt *upsert = self->tables [table_index].upsert;
    sqlite3_reset (upsert);
    sqlite3_clear_bindings (upsert);
    int index = 1;
    sqlite3_bind_int64 (upsert, index++, (sqlite3_int64) row_id);
    sqlite3_bind_int64 (upsert, index++, (sqlite3_int64) anchor);
    size_t column_count = fg_schema_column_count (table);
    for (size_t c = 0; c < column_count; c++, index++)
        if (values [c])                 //  (the others are NULL since clear_bindings)
            fg_value_bind (upsert, index, values [c]);
    sqlite3_bind_int64 (upsert, index++, first->origin);
    sqlite3_bind_int64 (upsert, index++, (sqlite3_int64) first->hlc);
    sqlite3_bind_int64 (upsert, index++, (sqlite3_int64) last->hlc);
    sqlite3_bind_text (upsert, index++, last->author, -1, SQLITE_STATIC);
    if (table->cls == FG_CLASS_EVENT) {
        sqlite3_bind_int (upsert, index++, voided);
        fg_value_bind (upsert, index++, void_reason);
    }
    int rc = sqlite3_step (upsert) == SQLITE_DONE ? 0 : fg_merge__fail (self, "write row");
    sqlite3_reset (upsert);
    return rc;
}

//  -------------------------------------------------------------------------
//  Workflow cases: the fold

typedef struct {
    uint64_t id;
    char     org [16];
    uint8_t *body;
    size_t   size;
    bool     voided;
} s_event_t;

//  Fold the events of case `case_id` of table `case_table` into its state.
//  creator_org: the org of the node that opened the case (first owner);
//  NULL when the case itself has not arrived (its events then wait).
static int
s_fold (fg_merge_t *self, const fg_table_t *case_table, uint64_t case_id, const char *creator_org)
{
    const fg_workflow_t *flow = case_table->workflow;
    fg_merge__table_sql_t *sql = &self->tables [fg_merge__table_index (case_table)];
    sqlite3_stmt *select = sql->fold_events;
    sqlite3_reset (select);
    sqlite3_bind_int64 (select, 1, (sqlite3_int64) case_id);
    s_event_t *events = NULL;
    size_t count = 0, cap = 0;
    while (sqlite3_step (select) == SQLITE_ROW) {
        if (count == cap) {
            cap = cap ? cap * 2 : 8;
            events = (s_event_t *) realloc (events, cap * sizeof (s_event_t));
            assert (events);
        }
        s_event_t *event = &events [count++];
        event->id = (uint64_t) sqlite3_column_int64 (select, 0);
        snprintf (event->org, sizeof event->org, "%s", sqlite3_column_text (select, 1));
        event->size = (size_t) sqlite3_column_bytes (select, 2);
        event->body = (uint8_t *) malloc (event->size ? event->size : 1);
        assert (event->body);
        memcpy (event->body, sqlite3_column_blob (select, 2), event->size);
        event->voided = sqlite3_column_int (select, 3) != 0;
    }
    sqlite3_reset (select);

    char state [64], owner [24];
    snprintf (state, sizeof state, "%s", flow->initial);
    snprintf (owner, sizeof owner, "%s", creator_org ? creator_org : "");
    int64_t applied = 0, rejected = 0;
    char last [64] = "";
    fg_op_t *op = (fg_op_t *) malloc (sizeof (fg_op_t));
    assert (op);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        s_event_t *event = &events [i];
        char why [256] = "";
        if (fg_op_decode (op, event->body, event->size)) {
            rc = -1;
            snprintf (self->error, sizeof self->error, "stored event does not decode");
            break;
        }
        if (event->voided)
            continue;                   //  a voided event takes no part
        const fg_value_t *name_value = fg_op_get (op, flow->transition_column);
        char name [64] = "";
        if (name_value && name_value->type == FG_VAL_TEXT)
            snprintf (name, sizeof name, "%.*s", (int) name_value->size, name_value->data);
        const fg_transition_t *transition = fg_schema_transition (flow, name);
        bool is_owner = streq (event->org, owner);
        bool above = fg_org_contains (event->org, owner) && !is_owner;
        bool terminal = fg_schema_in_list (flow->terminal, state, strlen (state));
        char new_owner [24];
        snprintf (new_owner, sizeof new_owner, "%s", owner);
        if (!creator_org)
            snprintf (why, sizeof why, "the case has not arrived here");
        else
        if (!transition)
            snprintf (why, sizeof why, "no transition '%s'", name);
        else
        if (terminal)
            snprintf (why, sizeof why, "%s: the case is %s", name, state);
        else
        if (!((transition->who & FG_WHO_OWNER && is_owner) || (transition->who & FG_WHO_ABOVE && above)))
            snprintf (why, sizeof why, "%s by %s: the case is owned by %s%s", name, event->org, owner,
                      transition->who & FG_WHO_ABOVE ? " (or a unit above it)" : "");
        else
        if (!streq (transition->from, "*") && !fg_schema_in_list (transition->from, state, strlen (state)))
            snprintf (why, sizeof why, "%s cannot follow %s", name, state);
        else
        if (transition->owner != FG_OWNER_KEEP) {
            const fg_value_t *to = flow->owner_column ? fg_op_get (op, flow->owner_column) : NULL;
            if (to && to->type == FG_VAL_INT)
                snprintf (new_owner, sizeof new_owner, "%lld", (long long) to->i);
            else
            if (transition->owner == FG_OWNER_UP)
                snprintf (new_owner, sizeof new_owner, "%s", event->org);
            if (transition->owner == FG_OWNER_UP
            &&  !(fg_org_contains (new_owner, owner) && !streq (new_owner, owner)))
                snprintf (why, sizeof why, "%s must go to a unit above %s, not %s", name, owner, new_owner);
            if (transition->owner == FG_OWNER_DOWN && !fg_org_contains (event->org, new_owner))
                snprintf (why, sizeof why, "%s must go to a unit inside %s, not %s", name, event->org, new_owner);
        }
        if (why [0])
            rejected++;
        else {
            applied++;
            snprintf (owner, sizeof owner, "%s", new_owner);
            if (transition->to)
                snprintf (state, sizeof state, "%s", transition->to);
            snprintf (last, sizeof last, "%s", name);
        }
        sqlite3_stmt *verdict = sql->fold_verdict;
        sqlite3_bind_int (verdict, 1, why [0] ? 1 : 0);
        sqlite3_bind_text (verdict, 2, why [0] ? why : NULL, -1, SQLITE_STATIC);
        sqlite3_bind_text (verdict, 3, why [0] ? NULL : state, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (verdict, 4, (sqlite3_int64) event->id);
        rc = sqlite3_step (verdict) == SQLITE_DONE ? 0 : fg_merge__fail (self, "fold");
        sqlite3_reset (verdict);
    }
    free (op);
    for (size_t i = 0; i < count; i++)
        free (events [i].body);
    free (events);
    if (rc == 0 && creator_org) {
        sqlite3_stmt *update = sql->fold_state;
        sqlite3_bind_text (update, 1, state, -1, SQLITE_STATIC);
        sqlite3_bind_text (update, 2, last [0] ? last : NULL, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (update, 3, strtoll (owner, NULL, 10));
        sqlite3_bind_int64 (update, 4, applied);
        sqlite3_bind_int64 (update, 5, rejected);
        sqlite3_bind_int64 (update, 6, (sqlite3_int64) case_id);
        rc = sqlite3_step (update) == SQLITE_DONE ? 0 : fg_merge__fail (self, "fold");
        sqlite3_reset (update);
    }
    return rc;
}

//  -------------------------------------------------------------------------

//  A clock_flag row clamps the rank of every op of the entries it names
//  (seq to last_seq); the rows those ops touch are recomputed.
static int
s_apply_flag (fg_merge_t *self, uint64_t row_id)
{
    sqlite3_stmt *stmt;
    int rc = 0;
    int64_t origin = 0, seq = 0, last = 0;
    if (sqlite3_prepare_v2 (self->db, "SELECT origin, seq, coalesce (last_seq, seq) FROM clock_flag WHERE id = ?",
                            -1, &stmt, NULL))
        return fg_merge__fail (self, "flag");
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) row_id);
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        origin = sqlite3_column_int64 (stmt, 0);
        seq = sqlite3_column_int64 (stmt, 1);
        last = sqlite3_column_int64 (stmt, 2);
    }
    sqlite3_finalize (stmt);
    if (!origin)
        return 0;
    if (sqlite3_prepare_v2 (self->db, "UPDATE op SET lww_hlc = min (hlc, coalesce ((SELECT min (f.clamp_hlc) "
                            "FROM clock_flag f WHERE f.origin = ?1 AND f.seq <= op.seq "
                            "AND coalesce (f.last_seq, f.seq) >= op.seq AND f.voided = 0), hlc)) "
                            "WHERE origin = ?1 AND seq BETWEEN ?2 AND ?3", -1, &stmt, NULL))
        return fg_merge__fail (self, "flag");
    sqlite3_bind_int64 (stmt, 1, origin);
    sqlite3_bind_int64 (stmt, 2, seq);
    sqlite3_bind_int64 (stmt, 3, last);
    if (sqlite3_step (stmt) != SQLITE_DONE)
        rc = fg_merge__fail (self, "flag");
    sqlite3_finalize (stmt);
    if (rc || sqlite3_prepare_v2 (self->db, "SELECT DISTINCT tbl, row_id FROM op WHERE origin = ? "
                                  "AND seq BETWEEN ? AND ? AND " FG_MERGE_ROW_OPS, -1, &stmt, NULL))
        return rc ? rc : fg_merge__fail (self, "flag");
    sqlite3_bind_int64 (stmt, 1, origin);
    sqlite3_bind_int64 (stmt, 2, seq);
    sqlite3_bind_int64 (stmt, 3, last);
    typedef struct { size_t table; uint64_t row; } key_t;
    key_t *keys = NULL;
    size_t count = 0, alloc = 0;
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        const fg_table_t *table = fg_schema_table ((const char *) sqlite3_column_text (stmt, 0));
        if (table && !streq (table->name, "clock_flag")) {
            if (count == alloc) {
                alloc = alloc ? alloc * 2 : 64;
                keys = (key_t *) realloc (keys, alloc * sizeof *keys);
                assert (keys);
            }
            keys [count].table = fg_merge__table_index (table);
            keys [count].row = (uint64_t) sqlite3_column_int64 (stmt, 1);
            count++;
        }
    }
    sqlite3_finalize (stmt);
    for (size_t i = 0; rc == 0 && i < count; i++)
        rc = fg_merge__recompute (self, keys [i].table, keys [i].row);
    free (keys);
    return rc;
}

//  A metadata row: record in the op table which writes count (applied)
//  and which do not (rejected, not_owner: outside the row's place). The
//  verdict follows the set of ops held, so it may change as more arrive;
//  rejected ones are still loaded (fg_merge_int.h, FG_MERGE_ROW_OPS).
static int
s_mark_placed (fg_merge_t *self, const fg_table_t *table, uint64_t row_id, s_ops_t *ops,
               const bool *counts, const char *place)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < ops->count; i++) {
        s_row_op_t *row_op = &ops->ops [i];
        if (counts [i] != row_op->rejected)
            continue;                   //  already right
        char reason [192];
        if (place [0])
            snprintf (reason, sizeof reason, "not_owner: %s %llu is kept by %s; node %lld (%s) "
                      "is not above it", table->name, (unsigned long long) row_id, place,
                      (long long) row_op->origin, row_op->origin_org);
        else
            snprintf (reason, sizeof reason, "not_owner: %s %llu was not created by node %lld",
                      table->name, (unsigned long long) row_id, (long long) row_op->origin);
        sqlite3_stmt *stmt;
        if (sqlite3_prepare_v2 (self->db, "UPDATE op SET outcome = ?, reason = ? "
                                "WHERE origin = ? AND seq = ? AND idx = ?", -1, &stmt, NULL))
            return fg_merge__fail (self, "mark");
        sqlite3_bind_text (stmt, 1, counts [i] ? "applied" : "rejected", -1, SQLITE_STATIC);
        if (!counts [i])
            sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (stmt, 3, row_op->origin);
        sqlite3_bind_int64 (stmt, 4, row_op->seq);
        sqlite3_bind_int (stmt, 5, row_op->idx);
        rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : fg_merge__fail (self, "mark");
        sqlite3_finalize (stmt);
        row_op->rejected = !counts [i];
    }
    return rc;
}

int
fg_merge__recompute (fg_merge_t *self, size_t table_index, uint64_t row_id)
{
    return fg_merge__recompute_known (self, table_index, row_id, NULL);
}

int
fg_merge__recompute_known (fg_merge_t *self, size_t table_index, uint64_t row_id,
                           const fg_merge__known_t *known)
{
    const fg_table_t *table = fg_schema_table_at (table_index);
    if (table->flags & FG_TABLE_SYSTEM)
        return 0;
    if (streq (table->name, "clock_flag"))
        self->flags_empty = 0;          //  a flag may exist now: s_lww_hlc asks again
    s_ops_t ops;
    int rc = known ? s_load_known (known, &ops) : s_load (self, table, row_id, &ops);
    size_t column_count = fg_schema_column_count (table);
    //  (on the stack for the tables and rows of every day: no allocation per row)
    const fg_value_t *values_room [64] = { NULL };
    const fg_value_t **values = column_count < 64 ? values_room
                              : (const fg_value_t **) calloc (column_count + 1, sizeof (fg_value_t *));
    assert (values);
    s_row_op_t *first = NULL, *last = NULL, *placing = NULL, *best = NULL;
    const fg_value_t *void_reason = NULL;
    bool voided = false, voids = false;
    int64_t best_version = 0;
    //  Placement (registry, assignment, case rows): the row exists once the
    //  node whose id space holds it (for org units: their owner) places it
    //  with an op of the anchor group; after that only a node whose org
    //  contains the row's current place writes there (and may move it
    //  within its subtree). Any other write counts only if its author's org
    //  contains the row's final place: a node cannot reach a row of another
    //  subtree by naming an org of its own as the op's anchor. Metadata is
    //  placed the same way (its one group is the anchor group), and a write
    //  that does not count is marked rejected (not_owner) in the op table.
    bool placed_table = fg_class_has_groups (table->cls);
    bool counts_room [16] = { false };
    bool *counts = ops.count < 16 ? counts_room : (bool *) calloc (ops.count + 1, sizeof (bool));
    assert (counts);
    if (placed_table) {
        char place [24] = "";
        for (size_t i = 0; i < ops.count; i++) {
            s_row_op_t *row_op = &ops.ops [i];
            if (!streq (row_op->op.group, table->anchor_group))
                continue;
            bool may = place [0]
                ? fg_org_contains (row_op->origin_org, place)
                : (table->flags & FG_TABLE_ID_IS_ORG) || FG_ID_NODE (row_id) == row_op->origin;
            if (may) {
                counts [i] = true;
                fg_merge__org_text (place, row_op->op.anchor);
            }
        }
        for (size_t i = 0; place [0] && i < ops.count; i++)
            if (!streq (ops.ops [i].op.group, table->anchor_group))
                counts [i] = fg_org_contains (ops.ops [i].origin_org, place);
        if (table->cls == FG_CLASS_META)
            rc = s_mark_placed (self, table, row_id, &ops, counts, place);
    }
    for (size_t i = 0; rc == 0 && i < ops.count; i++) {
        s_row_op_t *row_op = &ops.ops [i];
        if ((placed_table && !counts [i]) || row_op->rejected)
            continue;
        if (table->cls == FG_CLASS_EVENT) {
            if (row_op->op.kind == FG_OP_INSERT) {
                if (first)
                    continue;           //  the earliest insert of an id wins
                first = row_op;
                for (size_t c = 0; c < column_count; c++)
                    if (!(table->columns [c].flags & FG_COL_DERIVED))
                        values [c] = fg_op_get (&row_op->op, table->columns [c].name);
            }
            else {
                //  A void counts from the event's author, or from a hub
                //  whose org contains the event's place; others' are kept
                //  in the op table and do nothing
                voids = true;
            }
        }
        else
        if (table->cls == FG_CLASS_META) {
            //  The highest version gives the whole row (ties: LWW order)
            const fg_value_t *version = fg_op_get (&row_op->op, "version");
            if (!first)
                first = row_op;
            placing = row_op;
            if (version && version->type == FG_VAL_INT && (!best || version->i >= best_version)) {
                best = row_op;
                best_version = version->i;
            }
        }
        else {
            if (!first)
                first = row_op;
            if (streq (row_op->op.group, table->anchor_group))
                placing = row_op;
            for (size_t f = 0; f < row_op->op.field_count; f++) {
                const fg_column_t *column = fg_schema_column (table, row_op->op.fields [f].name);
                if (column)
                    values [column - table->columns] = &row_op->op.fields [f].value;
            }
        }
        last = row_op;
    }
    if (rc == 0 && voids && first) {
        char place [24];
        fg_merge__org_text (place, first->op.anchor);
        for (size_t i = 0; i < ops.count; i++) {
            s_row_op_t *row_op = &ops.ops [i];
            if (row_op->op.kind != FG_OP_VOID)
                continue;
            if (row_op->origin == first->origin
            ||  (fg_org_contains (row_op->origin_org, place) && !fg_org_contains (first->origin_org, row_op->origin_org))) {
                if (!voided)
                    void_reason = fg_op_get (&row_op->op, "reason");
                voided = true;
            }
        }
    }
    if (rc == 0 && table->cls == FG_CLASS_META && best) {
        for (size_t c = 0; c < column_count; c++)
            values [c] = fg_op_get (&best->op, table->columns [c].name);
    }
    if (rc == 0) {
        if (!first)
            rc = s_delete (self, table_index, row_id);
        else
            rc = s_write (self, table_index, row_id, (placing ? placing : first)->op.anchor, values,
                          first, last, voided, void_reason);
    }
    //  What depends on this row
    if (rc == 0 && table->workflow)
        rc = s_fold (self, table, row_id, first ? first->origin_org : NULL);
    if (rc == 0 && table->cls == FG_CLASS_EVENT) {
        const fg_table_t *case_table = fg_schema_case_of (table->name);
        if (case_table && first) {
            const fg_value_t *ref = fg_op_get (&first->op, case_table->workflow->case_column);
            if (ref && ref->type == FG_VAL_INT)
                rc = fg_merge__recompute (self, fg_merge__table_index (case_table), (uint64_t) ref->i);
        }
        if (rc == 0 && streq (table->name, "clock_flag"))
            rc = s_apply_flag (self, row_id);
    }
    s_ops_free (&ops);
    if (values != values_room)
        free (values);
    if (counts != counts_room)
        free (counts);
    return rc;
}
