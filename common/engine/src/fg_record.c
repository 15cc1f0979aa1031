/*  fg_record.c - checked writes (see fg_record.h). */
#include "fg_record.h"
#include "fg_schema.h"
#include "fg_org.h"
#include "fg_util.h"

int
fg_kv_parse (char *text, fg_kv_t *kv)
{
    char *equals = strchr (text, '=');
    if (!equals || equals == text)
        return -1;
    *equals = 0;
    kv->name = text;
    kv->value = equals + 1;
    return 0;
}

//  The table, if this node may write it at all.
static const fg_table_t *
s_table (fg_replica_t *replica, const char *name, char *errbuf, size_t errsize)
{
    const fg_table_t *table = fg_schema_table (name);
    if (!table || (table->flags & FG_TABLE_SYSTEM)) {
        const char *guess = fg_schema_suggest_table (name);
        if (guess)
            fg_errf (errbuf, errsize, "no table '%s'; did you mean '%s'? (fugai schema lists them)", name, guess);
        else
            fg_errf (errbuf, errsize, "no table '%s' (fugai schema lists them)", name);
        return NULL;
    }
    return table;
}

static char *
s_column_list (const fg_table_t *table)
{
    char *list = strdup ("org_id");
    for (const fg_column_t *column = table->columns; column->name; column++) {
        char *more = fg_strdupf ("%s, %s", list, column->name);
        free (list);
        list = more;
    }
    return list;
}

//  Parse the anchor: an org code inside this node's subtree.
static int
s_anchor (fg_replica_t *replica, const char *text, uint64_t *anchor, char *errbuf, size_t errsize)
{
    const fg_node_t *self = fg_replica_self (replica);
    if (!text)
        text = self->org;
    if (!fg_org_level (text))
        return fg_errf (errbuf, errsize, "org_id '%s' is not a 6, 9 or 12 digit org code", text);
    if (!fg_org_contains (self->org, text))
        return fg_errf (errbuf, errsize, "org %s is outside this node's org %s: a %s writes only "
                       "within its own subtree", text, self->org, fg_tier_name (self->tier));
    *anchor = strtoull (text, NULL, 10);
    return 0;
}

//  Add the fields of one group (NULL: all fields) to the current op.
static int
s_fields (const fg_table_t *table, fg_ops_t *ops, const fg_kv_t *fields, size_t count,
          const char *group, char *errbuf, size_t errsize)
{
    for (size_t i = 0; i < count; i++) {
        if (streq (fields [i].name, "org_id") || streq (fields [i].name, "id"))
            continue;
        const fg_column_t *column = fg_schema_column (table, fields [i].name);
        if (group && !streq (column->group, group))
            continue;
        if (fg_schema_parse_value (column, fields [i].value, ops, errbuf, errsize))
            return -1;
    }
    return 0;
}

//  Every field names a column; id and org_id are allowed only where said.
static int
s_check_names (const fg_table_t *table, const fg_kv_t *fields, size_t count, bool allow_id,
               const char **org_text, const char **id_text, char *errbuf, size_t errsize)
{
    *org_text = *id_text = NULL;
    for (size_t i = 0; i < count; i++) {
        if (streq (fields [i].name, "org_id")) {
            *org_text = fields [i].value;
            continue;
        }
        if (streq (fields [i].name, "id") && allow_id) {
            *id_text = fields [i].value;
            continue;
        }
        if (!fg_schema_column (table, fields [i].name)) {
            char *list = s_column_list (table);
            const char *guess = fg_schema_suggest_column (table, fields [i].name);
            char hint [128] = "";
            if (guess)
                snprintf (hint, sizeof hint, "; did you mean '%s'?", guess);
            fg_errf (errbuf, errsize, "%s has no column '%s'%s; its columns are: %s",
                    table->name, fields [i].name, hint, list);
            free (list);
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (streq (fields [i].name, fields [j].name))
                return fg_errf (errbuf, errsize, "column %s given twice", fields [i].name);
    }
    return 0;
}

static bool
s_given (const fg_kv_t *fields, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (streq (fields [i].name, name) && *fields [i].value && !streq (fields [i].value, "null"))
            return true;
    return false;
}

//  Ops of a registry row: one put per field group that has fields.
static int
s_group_ops (const fg_table_t *table, fg_ops_t *ops, uint64_t id, uint64_t anchor,
             const fg_kv_t *fields, size_t count, char *errbuf, size_t errsize)
{
    bool any = false;
    for (const fg_group_t *group = table->groups; group->name; group++) {
        bool has = false;
        for (size_t i = 0; i < count && !has; i++) {
            const fg_column_t *column = fg_schema_column (table, fields [i].name);
            has = column && streq (column->group, group->name);
        }
        if (!has)
            continue;
        fg_ops_begin (ops, FG_OP_PUT, table->name, group->name, id, anchor);
        if (s_fields (table, ops, fields, count, group->name, errbuf, errsize))
            return -1;
        any = true;
    }
    if (!any)
        return fg_errf (errbuf, errsize, "nothing to write: give at least one column");
    return 0;
}

int
fg_record_build_add (fg_replica_t *replica, fg_ops_t *ops, const char *name,
                     const fg_kv_t *fields, size_t count, uint64_t *id_p,
                     char *errbuf, size_t errsize)
{
    *id_p = 0;
    const fg_table_t *table = s_table (replica, name, errbuf, errsize);
    if (!table)
        return -1;
    const fg_node_t *self = fg_replica_self (replica);
    if (!(table->authors & self->tier))
        return fg_errf (errbuf, errsize, "a %s does not create %s rows", fg_tier_name (self->tier), name);
    const char *org_text, *id_text;
    bool id_is_org = table->flags & FG_TABLE_ID_IS_ORG;
    if (s_check_names (table, fields, count, id_is_org, &org_text, &id_text, errbuf, errsize))
        return -1;
    for (const fg_column_t *column = table->columns; column->name; column++)
        if ((column->flags & FG_COL_REQUIRED) && !s_given (fields, count, column->name))
            return fg_errf (errbuf, errsize, "%s needs %s (%s)", name, column->name, column->doc);
    uint64_t anchor, id;
    if (id_is_org) {
        if (!id_text)
            return fg_errf (errbuf, errsize, "an org_unit needs id=CODE (its division code)");
        if (org_text && !streq (org_text, id_text))
            return fg_errf (errbuf, errsize, "an org_unit's org_id is its own id");
        if (s_anchor (replica, id_text, &anchor, errbuf, errsize))
            return -1;
        id = anchor;
    }
    else {
        if (s_anchor (replica, org_text, &anchor, errbuf, errsize))
            return -1;
        id = fg_replica_new_id (replica);
    }
    if (table->cls == FG_CLASS_EVENT) {
        fg_ops_begin (ops, FG_OP_INSERT, name, NULL, id, anchor);
        if (s_fields (table, ops, fields, count, NULL, errbuf, errsize))
            return -1;
    }
    else
    if (s_group_ops (table, ops, id, anchor, fields, count, errbuf, errsize))
        return -1;
    *id_p = id;
    return 0;
}

uint64_t
fg_record_anchor (fg_replica_t *replica, const char *name, uint64_t id)
{
    const fg_table_t *table = fg_schema_table (name);
    if (!table || (table->flags & FG_TABLE_SYSTEM))
        return 0;
    char *sql = fg_strdupf ("SELECT org_id FROM %s WHERE id = ?", name);
    sqlite3_stmt *stmt;
    uint64_t anchor = 0;
    if (sqlite3_prepare_v2 (fg_replica_db (replica), sql, -1, &stmt, NULL) == SQLITE_OK) {
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) id);
        if (sqlite3_step (stmt) == SQLITE_ROW)
            anchor = (uint64_t) sqlite3_column_int64 (stmt, 0);
        sqlite3_finalize (stmt);
    }
    free (sql);
    return anchor;
}

int
fg_record_build_set (fg_replica_t *replica, fg_ops_t *ops, const char *name, uint64_t id,
                     const fg_kv_t *fields, size_t count, char *errbuf, size_t errsize)
{
    const fg_table_t *table = s_table (replica, name, errbuf, errsize);
    if (!table)
        return -1;
    if (!fg_class_has_groups (table->cls))
        return fg_errf (errbuf, errsize, "%s rows are events and never change: void it and add "
                       "a corrected one", name);
    const char *org_text, *id_text;
    if (s_check_names (table, fields, count, false, &org_text, &id_text, errbuf, errsize))
        return -1;
    uint64_t held = fg_record_anchor (replica, name, id);
    if (!held)
        return fg_errf (errbuf, errsize, "no %s %llu here", name, (unsigned long long) id);
    uint64_t anchor = held;
    char code [24];
    snprintf (code, sizeof code, "%llu", (unsigned long long) held);
    if (s_anchor (replica, org_text ? org_text : code, &anchor, errbuf, errsize))
        return -1;
    if (org_text && (table->flags & FG_TABLE_ID_IS_ORG) && anchor != id)
        return fg_errf (errbuf, errsize, "an org_unit's org_id is its own id");
    if (count == 0 || (count == 1 && org_text && anchor == held))
        return fg_errf (errbuf, errsize, "nothing to change");
    return s_group_ops (table, ops, id, anchor, fields, count, errbuf, errsize);
}

//  End a write begun with fg_replica_begin: if the ops were built (rc 0),
//  append them as one entry and commit; else, or if that fails, roll back.
//  The ops are destroyed either way.
static int
s_finish (fg_replica_t *replica, int rc, fg_ops_t **ops_p, const char *author,
          fg_merge_result_t *result, char *errbuf, size_t errsize)
{
    if (rc == 0) {
        rc = fg_replica_append (replica, *ops_p, author, NULL, result);
        if (rc == 0)
            rc = fg_replica_commit (replica);
        if (rc)
            fg_errf (errbuf, errsize, "%s", fg_replica_error (replica));      //  callers say "not written"
    }
    if (rc)
        fg_replica_rollback (replica);
    fg_ops_destroy (ops_p);
    return rc;
}

int
fg_record_add (fg_replica_t *replica, const char *table, const fg_kv_t *fields, size_t count,
               const char *author, uint64_t *id_p, fg_merge_result_t *result,
               char *errbuf, size_t errsize)
{
    if (fg_replica_begin (replica))
        return fg_errf (errbuf, errsize, "%s", fg_replica_error (replica));
    fg_ops_t *ops = fg_ops_new ();
    int rc = fg_record_build_add (replica, ops, table, fields, count, id_p, errbuf, errsize);
    return s_finish (replica, rc, &ops, author, result, errbuf, errsize);
}

int
fg_record_set (fg_replica_t *replica, const char *table, uint64_t id, const fg_kv_t *fields,
               size_t count, const char *author, fg_merge_result_t *result,
               char *errbuf, size_t errsize)
{
    if (fg_replica_begin (replica))
        return fg_errf (errbuf, errsize, "%s", fg_replica_error (replica));
    fg_ops_t *ops = fg_ops_new ();
    int rc = fg_record_build_set (replica, ops, table, id, fields, count, errbuf, errsize);
    return s_finish (replica, rc, &ops, author, result, errbuf, errsize);
}

int
fg_record_void (fg_replica_t *replica, const char *name, uint64_t id, const char *reason,
                const char *author, char *errbuf, size_t errsize)
{
    const fg_table_t *table = s_table (replica, name, errbuf, errsize);
    if (!table)
        return -1;
    if (table->cls != FG_CLASS_EVENT)
        return fg_errf (errbuf, errsize, "only event rows are voided; %s rows are changed with set", name);
    uint64_t anchor = fg_record_anchor (replica, name, id);
    if (!anchor)
        return fg_errf (errbuf, errsize, "no %s %llu here", name, (unsigned long long) id);
    char code [24];
    snprintf (code, sizeof code, "%llu", (unsigned long long) anchor);
    if (s_anchor (replica, code, &anchor, errbuf, errsize))
        return -1;
    if (!reason || !*reason)
        return fg_errf (errbuf, errsize, "a void needs a reason");
    if (fg_replica_begin (replica))
        return fg_errf (errbuf, errsize, "%s", fg_replica_error (replica));
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_VOID, name, NULL, id, anchor);
    fg_ops_set_text (ops, "reason", reason);
    return s_finish (replica, 0, &ops, author, NULL, errbuf, errsize);
}
