/*  fg_schema.c - the machinery over the definitions of the domain tables
    (fg_schema_tables.c, DOMAIN.md §2): lookups, the SQL of each table,
    checking, parsing and printing values, and the self-test that every
    definition keeps the conventions stated at the top of
    fg_schema_tables.c (fg_schema_test).
*/
#include "fg_schema.h"
#include "fg_schema_int.h"
#include "fg_util.h"
#include "fg_org.h"

size_t
fg_schema_table_count (void)
{
    return fg_schema_tables_count;
}

const fg_table_t *
fg_schema_table_at (size_t index)
{
    return index < fg_schema_tables_count ? &fg_schema_tables [index] : NULL;
}

const fg_table_t *
fg_schema_table (const char *name)
{
    for (size_t i = 0; i < fg_schema_tables_count; i++)
        if (streq (fg_schema_tables [i].name, name))
            return &fg_schema_tables [i];
    return NULL;
}

const fg_column_t *
fg_schema_column (const fg_table_t *table, const char *name)
{
    for (const fg_column_t *column = table->columns; column->name; column++)
        if (streq (column->name, name))
            return column;
    return NULL;
}

const fg_group_t *
fg_schema_group (const fg_table_t *table, const char *name)
{
    if (!table->groups || !name)
        return NULL;
    for (const fg_group_t *group = table->groups; group->name; group++)
        if (streq (group->name, name))
            return group;
    return NULL;
}

size_t
fg_schema_column_count (const fg_table_t *table)
{
    size_t count = 0;
    while (table->columns [count].name)
        count++;
    return count;
}

const char *
fg_class_name (fg_class_t cls)
{
    switch (cls) {
        case FG_CLASS_EVENT:      return "event";
        case FG_CLASS_REGISTRY:   return "registry";
        case FG_CLASS_ASSIGNMENT: return "assignment";
        case FG_CLASS_CASE:       return "case";
        case FG_CLASS_META:       return "metadata";
        case FG_CLASS_DERIVED:    return "derived";
        default:                  return "?";
    }
}

bool
fg_class_has_groups (fg_class_t cls)
{
    return cls == FG_CLASS_REGISTRY || cls == FG_CLASS_ASSIGNMENT || cls == FG_CLASS_META
        || cls == FG_CLASS_CASE;
}

static const char *
s_storage (fg_coltype_t type)
{
    switch (type) {
        case FG_COL_TEXT:
        case FG_COL_ENUM: return "TEXT";
        case FG_COL_BLOB: return "BLOB";
        default:          return "INTEGER";
    }
}

char *
fg_schema_ddl (const fg_table_t *table)
{
    char *sql = fg_strdupf ("CREATE TABLE IF NOT EXISTS %s (\n"
                            "  id INTEGER PRIMARY KEY,\n"
                            "  org_id INTEGER NOT NULL", table->name);
    for (const fg_column_t *column = table->columns; column->name; column++) {
        char *more = fg_strdupf ("%s,\n  %s %s", sql, column->name, s_storage (column->type));
        free (sql);
        sql = more;
    }
    const char *tail = table->cls == FG_CLASS_EVENT
        ? ",\n  voided INTEGER NOT NULL DEFAULT 0,\n  void_reason TEXT" : "";
    char *full = fg_strdupf ("%s,\n  created_by INTEGER NOT NULL,\n  created_hlc INTEGER NOT NULL,\n"
                             "  updated_hlc INTEGER NOT NULL,\n  author TEXT%s);\n"
                             "CREATE INDEX IF NOT EXISTS %s_org ON %s (org_id);\n",
                             sql, tail, table->name, table->name);
    free (sql);
    return full;
}

const fg_table_t *
fg_schema_case_of (const char *event_table)
{
    for (size_t i = 0; i < fg_schema_tables_count; i++)
        if (fg_schema_tables [i].workflow && streq (fg_schema_tables [i].workflow->event_table, event_table))
            return &fg_schema_tables [i];
    return NULL;
}

const fg_transition_t *
fg_schema_transition (const fg_workflow_t *workflow, const char *name)
{
    for (const fg_transition_t *transition = workflow->transitions; transition->name; transition++)
        if (streq (transition->name, name))
            return transition;
    return NULL;
}

bool
fg_schema_in_list (const char *list, const char *value, size_t size)
{
    const char *p = list;
    while (*p) {
        const char *bar = strchr (p, '|');
        size_t len = bar ? (size_t) (bar - p) : strlen (p);
        if (len == size && memcmp (p, value, size) == 0)
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}

int
fg_schema_check_value (const fg_column_t *column, const fg_value_t *value,
                       char *errbuf, size_t errsize)
{
    if (value->type == FG_VAL_NULL)
        return 0;
    switch (column->type) {
        case FG_COL_TEXT:
        case FG_COL_ENUM:
            if (value->type != FG_VAL_TEXT) {
                snprintf (errbuf, errsize, "%s must be text", column->name);
                return -1;
            }
            if (column->type == FG_COL_ENUM
            &&  !fg_schema_in_list (column->values, (const char *) value->data, value->size)) {
                snprintf (errbuf, errsize, "%s must be one of %s", column->name, column->values);
                return -1;
            }
            return 0;
        case FG_COL_BLOB:
            if (value->type != FG_VAL_BLOB) {
                snprintf (errbuf, errsize, "%s must be bytes", column->name);
                return -1;
            }
            return 0;
        default:
            break;
    }
    if (value->type != FG_VAL_INT) {
        snprintf (errbuf, errsize, "%s must be an integer", column->name);
        return -1;
    }
    if (column->type == FG_COL_BOOL && value->i != 0 && value->i != 1) {
        snprintf (errbuf, errsize, "%s must be 0 or 1", column->name);
        return -1;
    }
    if (column->type == FG_COL_FEN && value->i < 0) {
        snprintf (errbuf, errsize, "%s must not be negative", column->name);
        return -1;
    }
    if (column->type == FG_COL_ORG) {
        char code [24];
        snprintf (code, sizeof code, "%lld", (long long) value->i);
        if (!fg_org_level (code)) {
            snprintf (errbuf, errsize, "%s must be a 6, 9 or 12 digit org code", column->name);
            return -1;
        }
    }
    if (column->type == FG_COL_DATE && (value->i < -25567 || value->i > 401768)) {
        snprintf (errbuf, errsize, "%s is not a plausible date", column->name);
        return -1;
    }
    return 0;
}

static int
s_parse_int (const char *text, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    long long value = strtoll (text, &end, 10);
    if (errno || !*text || *end)
        return -1;
    *out = value;
    return 0;
}

int
fg_schema_parse (const fg_column_t *column, const char *text, fg_value_t *value_p, uint8_t **bytes_p,
                 char *errbuf, size_t errsize)
{
    *bytes_p = NULL;
    *value_p = (fg_value_t) { FG_VAL_NULL, 0, NULL, 0 };
    if (!*text || streq (text, "null"))
        return 0;
    int64_t number = 0;
    switch (column->type) {
        case FG_COL_TEXT:
        case FG_COL_ENUM: {
            fg_value_t value = { FG_VAL_TEXT, 0, (const uint8_t *) text, strlen (text) };
            if (!fg_utf8_valid (value.data, value.size)) {
                snprintf (errbuf, errsize, "%s is not valid UTF-8", column->name);
                return -1;
            }
            if (fg_schema_check_value (column, &value, errbuf, errsize))
                return -1;
            *value_p = value;
            return 0;
        }
        case FG_COL_BLOB: {
            size_t size = strlen (text) / 2;
            uint8_t *bytes = (uint8_t *) malloc (size + 1);
            assert (bytes);
            if (fg_hex_decode (text, bytes, size)) {
                free (bytes);
                snprintf (errbuf, errsize, "%s must be hex digits", column->name);
                return -1;
            }
            *bytes_p = bytes;
            *value_p = (fg_value_t) { FG_VAL_BLOB, 0, bytes, size };
            return 0;
        }
        case FG_COL_BOOL:
            if (streq (text, "1") || streq (text, "true") || streq (text, "yes"))
                number = 1;
            else
            if (streq (text, "0") || streq (text, "false") || streq (text, "no"))
                number = 0;
            else {
                snprintf (errbuf, errsize, "%s must be yes or no", column->name);
                return -1;
            }
            break;
        case FG_COL_DATE:
            if (fg_date_parse (text, &number)) {
                snprintf (errbuf, errsize, "%s must be a date YYYY-MM-DD, not '%s'", column->name, text);
                return -1;
            }
            break;
        case FG_COL_FEN: {
            //  Accept fen ("1250") or yuan with a decimal point ("12.50"):
            //  digits on both sides of it, so no sign ("-0.50" is not 50)
            const char *dot = strchr (text, '.');
            if (dot) {
                char whole [32], frac [3] = "00";
                size_t len = (size_t) (dot - text);
                size_t flen = strlen (dot + 1);
                if (len == 0 || len >= sizeof whole || flen == 0 || flen > 2
                ||  strspn (text, "0123456789") != len || strspn (dot + 1, "0123456789") != flen) {
                    snprintf (errbuf, errsize, "%s must be fen or yuan like 12.50", column->name);
                    return -1;
                }
                memcpy (whole, text, len);
                whole [len] = 0;
                memcpy (frac, dot + 1, flen);
                int64_t yuan;
                if (s_parse_int (whole, &yuan) || yuan > INT64_MAX / 100 - 1) {
                    snprintf (errbuf, errsize, "%s must be fen or yuan like 12.50", column->name);
                    return -1;
                }
                number = yuan * 100 + atoi (frac);
                break;
            }
            if (s_parse_int (text, &number)) {
                snprintf (errbuf, errsize, "%s must be fen or yuan like 12.50", column->name);
                return -1;
            }
            break;
        }
        default:
            if (s_parse_int (text, &number)) {
                snprintf (errbuf, errsize, "%s must be a whole number, not '%s'", column->name, text);
                return -1;
            }
            break;
    }
    fg_value_t value = { FG_VAL_INT, number, NULL, 0 };
    if (fg_schema_check_value (column, &value, errbuf, errsize))
        return -1;
    *value_p = value;
    return 0;
}

int
fg_schema_parse_value (const fg_column_t *column, const char *text, fg_ops_t *ops,
                       char *errbuf, size_t errsize)
{
    fg_value_t value;
    uint8_t *bytes;
    if (fg_schema_parse (column, text, &value, &bytes, errbuf, errsize))
        return -1;
    if (value.type == FG_VAL_NULL)
        fg_ops_set_null (ops, column->name);
    else
    if (value.type == FG_VAL_INT)
        fg_ops_set_int (ops, column->name, value.i);
    else
    if (value.type == FG_VAL_TEXT)
        fg_ops_set_text (ops, column->name, text);
    else
        fg_ops_set_blob (ops, column->name, value.data, value.size);
    free (bytes);
    return 0;
}

char *
fg_schema_format_value (const fg_column_t *column, sqlite3_stmt *stmt, int index)
{
    int type = sqlite3_column_type (stmt, index);
    if (type == SQLITE_NULL)
        return strdup ("");
    if (column && column->type == FG_COL_DATE && type == SQLITE_INTEGER) {
        char date [11];
        fg_date_format (sqlite3_column_int64 (stmt, index), date);
        return strdup (date);
    }
    if (type == SQLITE_BLOB) {
        int size = sqlite3_column_bytes (stmt, index);
        char *hex = (char *) malloc ((size_t) size * 2 + 1);
        assert (hex);
        fg_hex_encode ((const uint8_t *) sqlite3_column_blob (stmt, index), (size_t) size, hex);
        return hex;
    }
    return strdup ((const char *) sqlite3_column_text (stmt, index));
}

//  -------------------------------------------------------------------------
//  Self-test of the definitions' conventions (fg_schema_tables.c)

//  A column with this name, type and flags exists (group: NULL for none).
static bool
s_has_column (const fg_table_t *table, const char *name, fg_coltype_t type, unsigned flags,
              const char *group)
{
    const fg_column_t *column = fg_schema_column (table, name);
    return column && column->type == type && column->flags == flags
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
    //  of fg_schema_tables.c: every domain table says what its org_id is,
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
            assert ((column->flags & ~(unsigned) (FG_COL_DERIVED | FG_COL_REQUIRED)) == 0);
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
