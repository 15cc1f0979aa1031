/*  fg_schema_test.c - self-test of fg_schema (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fg_schema.h"
#include "fg_util.h"
#include "fg_org.h"

//  -------------------------------------------------------------------------
//  Self-test of the definitions' conventions (fg_catalogue.c)

//  A column with this name, type and flags exists (group: NULL for none).
static bool
s_has_column (const fg_table_t *table, const char *name, fg_coltype_t type, unsigned flags,
              const char *group)
{
    const fg_column_t *column = fg_schema_column (table, name);
    return column && column->type == type && (column->flags & ~(unsigned) FG_COL_INDEXED) == flags
        && (group ? column->group && streq (column->group, group) : column->group == NULL);
}

//  Each alternative of an "a|b|c" list, in turn; false at the end.
static bool
s_list_next (const char **cursor, char *item, size_t size)
{
    const char *p = *cursor;
    if (!p || !*p)
        return false;
    const char *bar = strchr (p, '|');
    size_t len = bar ? (size_t) (bar - p) : strlen (p);
    assert (len > 0 && len < size);         //  no empty alternatives
    memcpy (item, p, len);
    item [len] = 0;
    *cursor = bar ? bar + 1 : p + len;
    if (bar)
        assert (bar [1]);                   //  no trailing bar
    return true;
}

//  Enum values: [A-Za-z0-9_]+, each once.
static void
s_check_enum (const fg_column_t *column)
{
    const char *cursor = column->values;
    char item [64];
    while (s_list_next (&cursor, item, sizeof item)) {
        for (const char *c = item; *c; c++)
            assert ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')
                 || (*c >= '0' && *c <= '9') || *c == '_');
        const char *rest = cursor;
        char other [64];
        while (s_list_next (&rest, other, sizeof other))
            assert (!streq (item, other));
    }
}

//  A workflow is well formed: its case carries the fold's columns in the
//  intake group, its event table the case column, the transition column
//  naming exactly the transitions, an owner column if any transition
//  moves the owner down, and the fold's verdict; every state it names is
//  the initial one or the target of a transition.
static void
s_check_workflow (const fg_table_t *table)
{
    const fg_workflow_t *flow = table->workflow;
    const char *intake = table->anchor_group;
    assert (s_has_column (table, "state", FG_COL_TEXT, FG_COL_DERIVED, intake));
    assert (s_has_column (table, "owner_org", FG_COL_ORG, FG_COL_DERIVED, intake));
    assert (s_has_column (table, "last_transition", FG_COL_TEXT, FG_COL_DERIVED, intake));
    assert (s_has_column (table, "transitions", FG_COL_INT, FG_COL_DERIVED, intake));
    assert (s_has_column (table, "rejected_transitions", FG_COL_INT, FG_COL_DERIVED, intake));

    const fg_table_t *events = fg_schema_table (flow->event_table);
    assert (events && events->cls == FG_CLASS_EVENT);
    assert (fg_schema_case_of (events->name) == table);
    assert (s_has_column (events, flow->case_column, FG_COL_ID, FG_COL_REQUIRED, NULL));
    const fg_column_t *names = fg_schema_column (events, flow->transition_column);
    assert (names && names->type == FG_COL_ENUM && names->flags == FG_COL_REQUIRED);
    if (flow->owner_column)
        assert (s_has_column (events, flow->owner_column, FG_COL_ORG, 0, NULL));
    assert (s_has_column (events, "rejected", FG_COL_BOOL, FG_COL_DERIVED, NULL));
    assert (s_has_column (events, "reject_reason", FG_COL_TEXT, FG_COL_DERIVED, NULL));
    assert (s_has_column (events, "state_after", FG_COL_TEXT, FG_COL_DERIVED, NULL));

    //  Transition names: unique, and exactly the enum's values
    size_t count = 0;
    for (const fg_transition_t *t = flow->transitions; t->name; t++, count++) {
        assert (fg_schema_in_list (names->values, t->name, strlen (t->name)));
        assert (fg_schema_transition (flow, t->name) == t);
        assert (t->who != 0 && (t->who & ~(unsigned) (FG_WHO_OWNER | FG_WHO_ABOVE)) == 0);
        assert (t->from && *t->from);
        if (t->owner == FG_OWNER_DOWN)
            assert (flow->owner_column);    //  else DOWN could never move it
        if (t->owner == FG_OWNER_UP)
            assert ((t->who & FG_WHO_ABOVE) || flow->owner_column);
    }
    const char *cursor = names->values;
    char item [64];
    size_t values = 0;
    while (s_list_next (&cursor, item, sizeof item))
        values++;
    assert (values == count);

    //  States: the initial one is not terminal; every state named in a
    //  `from` or in `terminal` is the initial one or some transition's `to`
    assert (!fg_schema_in_list (flow->terminal, flow->initial, strlen (flow->initial)));
    for (const fg_transition_t *t = flow->transitions; t->name; t++) {
        if (streq (t->from, "*"))
            continue;
        cursor = t->from;
        while (s_list_next (&cursor, item, sizeof item)) {
            bool known = streq (item, flow->initial);
            for (const fg_transition_t *u = flow->transitions; u->name && !known; u++)
                known = u->to && streq (u->to, item);
            assert (known);
            assert (!fg_schema_in_list (flow->terminal, item, strlen (item)));
        }
    }
    cursor = flow->terminal;
    while (s_list_next (&cursor, item, sizeof item)) {
        bool known = false;
        for (const fg_transition_t *u = flow->transitions; u->name && !known; u++)
            known = u->to && streq (u->to, item);
        assert (known);
    }
}

void
fg_schema_test (bool verbose)
{
    printf (" * fg_schema: ");
    //  Every table is well formed: valid names, groups that exist, groups
    //  only where the class has them, owners set; and keeps the conventions
    //  of fg_catalogue.c: every domain table says what its org_id is,
    //  every column what it means; enum values are names; an op can carry
    //  all the columns of a group (or of an event); derived columns only
    //  where a fold writes them; workflows well formed.
    for (size_t i = 0; i < fg_schema_table_count (); i++) {
        const fg_table_t *table = fg_schema_table_at (i);
        assert (fg_name_valid (table->name));
        assert (fg_schema_table (table->name) == table);
        assert (table->authors != 0 && (table->authors & ~(unsigned) FG_TIER_ANY) == 0);
        assert (table->doc && *table->doc);
        if (!(table->flags & FG_TABLE_SYSTEM) && !strstr (table->doc, "org_id is")) {
            fprintf (stderr, "%s: its doc must say what its org_id is\n", table->name);
            assert (false);
        }
        bool grouped = fg_class_has_groups (table->cls);
        assert (grouped == (table->groups != NULL));
        //  The tiers that create rows own the group that places them
        if (grouped)
            assert ((fg_schema_group (table, table->anchor_group)->owners & table->authors)
                    == table->authors);
        else
            assert (table->anchor_group == NULL);
        const fg_table_t *case_table = fg_schema_case_of (table->name);
        for (const fg_column_t *column = table->columns; column->name; column++) {
            assert (fg_name_valid (column->name));
            assert (!streq (column->name, "id") && !streq (column->name, "org_id"));
            assert (grouped ? fg_schema_group (table, column->group) != NULL : column->group == NULL);
            assert ((column->type == FG_COL_ENUM) == (column->values != NULL));
            if (column->values)
                s_check_enum (column);
            assert (!((column->flags & FG_COL_DERIVED) && (column->flags & FG_COL_REQUIRED)));
            assert ((column->flags & ~(unsigned) (FG_COL_DERIVED | FG_COL_REQUIRED | FG_COL_INDEXED)) == 0);
            //  An indexed column is one rows are looked up by: an id, an org or a date
            if (column->flags & FG_COL_INDEXED) {
                assert (column->type == FG_COL_ID || column->type == FG_COL_ORG || column->type == FG_COL_DATE);
                char *ddl = fg_schema_ddl (table);
                char *index = fg_strdupf ("CREATE INDEX IF NOT EXISTS %s_%s ON %s (%s);",
                                          table->name, column->name, table->name, column->name);
                assert (strstr (ddl, index));
                free (index);
                free (ddl);
            }
            if (column->flags & FG_COL_DERIVED)
                assert (table->workflow || case_table);
            assert (column->doc && *column->doc);
            assert (fg_schema_column (table, column->name) == column);
        }
        if (table->cls == FG_CLASS_META && !(table->flags & FG_TABLE_SYSTEM))
            assert (s_has_column (table, "version", FG_COL_INT, FG_COL_REQUIRED, table->anchor_group));
        assert ((table->cls == FG_CLASS_CASE) == (table->workflow != NULL));
        if (table->workflow)
            s_check_workflow (table);
        if (table->groups)
            for (const fg_group_t *group = table->groups; group->name; group++) {
                assert (group->owners != 0 && (group->owners & ~(unsigned) FG_TIER_ANY) == 0);
                assert (fg_name_valid (group->name) && group->doc && *group->doc);
                assert (fg_schema_group (table, group->name) == group);
                size_t columns = 0;
                for (const fg_column_t *column = table->columns; column->name; column++)
                    columns += streq (column->group, group->name);
                assert (columns > 0 && columns <= FG_OP_MAX_FIELDS);
            }
        else
            assert (fg_schema_column_count (table) <= FG_OP_MAX_FIELDS);
        //  The DDL is valid SQL
        if (!(table->flags & FG_TABLE_SYSTEM)) {
            sqlite3 *db;
            assert (sqlite3_open (":memory:", &db) == SQLITE_OK);
            char *ddl = fg_schema_ddl (table);
            char *err = NULL;
            int rc = sqlite3_exec (db, ddl, NULL, NULL, &err);
            if (rc != SQLITE_OK)
                fprintf (stderr, "%s: %s\n%s\n", table->name, err, ddl);
            assert (rc == SQLITE_OK);
            free (ddl);
            sqlite3_close (db);
        }
    }
    const fg_table_t *household = fg_schema_table ("household");
    assert (household && household->cls == FG_CLASS_REGISTRY);
    assert (fg_schema_group (household, "admin")->owners == FG_TIER_COUNTY);
    assert (fg_schema_table ("nonesuch") == NULL);

    //  Parsing operator text
    char err [128];
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", 1, 513328100201);
    assert (fg_schema_parse_value (fg_schema_column (household, "size"), "5", ops, err, sizeof err) == 0);
    assert (fg_schema_parse_value (fg_schema_column (household, "size"), "5x", ops, err, sizeof err) == -1);
    assert (fg_schema_parse_value (fg_schema_column (household, "economy"), "herding", ops, err, sizeof err) == 0);
    assert (fg_schema_parse_value (fg_schema_column (household, "economy"), "fishing", ops, err, sizeof err) == -1);
    assert (fg_schema_parse_value (fg_schema_column (household, "valid_from"), "2012-07-01", ops, err, sizeof err) == 0);
    assert (fg_schema_parse_value (fg_schema_column (household, "valid_from"), "2012-02-30", ops, err, sizeof err) == -1);
    assert (fg_schema_parse_value (fg_schema_column (household, "needy"), "yes", ops, err, sizeof err) == 0);
    assert (fg_schema_parse_value (fg_schema_column (household, "needy"), "maybe", ops, err, sizeof err) == -1);
    const fg_table_t *visit = fg_schema_table ("visit");
    assert (fg_schema_parse_value (fg_schema_column (visit, "help_given_fen"), "12.5", ops, err, sizeof err) == 0);
    assert (fg_schema_parse_value (fg_schema_column (visit, "help_given_fen"), "-1", ops, err, sizeof err) == -1);
    assert (fg_schema_parse_value (fg_schema_column (visit, "help_given_fen"), "1.234", ops, err, sizeof err) == -1);
    //  Money is never negative, written in yuan either
    assert (fg_schema_parse_value (fg_schema_column (visit, "help_given_fen"), "-0.50", ops, err, sizeof err) == -1);
    assert (fg_schema_parse_value (fg_schema_column (visit, "help_given_fen"), "-1.50", ops, err, sizeof err) == -1);
    const fg_table_t *org = fg_schema_table ("org_unit");
    assert (fg_schema_parse_value (fg_schema_column (org, "parent_id"), "513328", ops, err, sizeof err) == 0);
    assert (fg_schema_parse_value (fg_schema_column (org, "parent_id"), "5133", ops, err, sizeof err) == -1);
    size_t size;
    uint8_t *bytes = fg_ops_encode (ops, &size, err, sizeof err);
    assert (bytes);
    fg_ops_reader_t reader;
    fg_op_t op;
    assert (fg_ops_reader_init (&reader, bytes, size) == 0);
    assert (fg_ops_next (&reader, &op) == 1);
    assert (fg_op_get (&op, "help_given_fen")->i == 1250);
    int64_t day;
    assert (fg_date_parse ("2012-07-01", &day) == 0);
    assert (fg_op_get (&op, "valid_from")->i == day);
    free (bytes);
    fg_ops_destroy (&ops);
    printf ("OK\n");
}
