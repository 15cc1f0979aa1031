/*  fg_schema.c - the machinery over table definitions: the installed
    catalogue (the programme's tables, then the engine's own from
    fg_schema_system.c), lookups, the SQL of each table, checking, parsing
    and printing values. tests/unit/fg_schema_test.c checks that every
    definition keeps the conventions of the catalogue.
*/
#include "fg_schema.h"
#include "fg_schema_int.h"
#include "fg_util.h"
#include "fg_org.h"
#include "fg_rows.h"
#include <pthread.h>

//  The installed catalogue: the programme's tables, then the engine's own.
//  Until a programme installs its tables, the engine's alone. Installed
//  once, before the threads that read it start (fgp_daemon_start, the
//  programme's door), and never freed.
static const fg_table_t *s_tables = fg_schema_system_tables;
static size_t            s_count;
static const fg_table_t *s_installed;         //  the programme's array
static pthread_mutex_t   s_install_lock = PTHREAD_MUTEX_INITIALIZER;

void
fg_schema_install (const fg_table_t *tables, size_t count)
{
    pthread_mutex_lock (&s_install_lock);
    //  One programme per process: installing another is a programming error
    assert (s_installed == NULL || s_installed == tables);
    if (s_installed == NULL) {
        fg_table_t *all = calloc (count + fg_schema_system_count, sizeof *all);
        assert (all);
        memcpy (all, tables, count * sizeof *all);
        memcpy (all + count, fg_schema_system_tables, fg_schema_system_count * sizeof *all);
        s_count = count + fg_schema_system_count;
        s_tables = all;
        s_installed = tables;
    }
    pthread_mutex_unlock (&s_install_lock);
}

size_t
fg_schema_table_count (void)
{
    return s_installed ? s_count : fg_schema_system_count;
}

const fg_table_t *
fg_schema_table_at (size_t index)
{
    return index < fg_schema_table_count () ? &s_tables [index] : NULL;
}

const fg_table_t *
fg_schema_table (const char *name)
{
    for (size_t i = 0; i < fg_schema_table_count (); i++)
        if (streq (s_tables [i].name, name))
            return &s_tables [i];
    return NULL;
}

const fg_column_t *
fg_schema_column (const fg_table_t *table, const char *name)
{
    //  (the first byte first: the merge asks this of every field it takes)
    for (const fg_column_t *column = table->columns; column->name; column++)
        if (column->name [0] == name [0] && streq (column->name, name))
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
    for (const fg_column_t *column = table->columns; column->name; column++)
        if (column->flags & FG_COL_INDEXED) {
            char *more = fg_strdupf ("%sCREATE INDEX IF NOT EXISTS %s_%s ON %s (%s);\n", full,
                                     table->name, column->name, table->name, column->name);
            free (full);
            full = more;
        }
    return full;
}

char *
fg_schema_view_sql (const fg_table_t *table)
{
    char *sql = fg_strdupf ("CREATE VIEW v_%s AS SELECT id, org_id", table->name);
    for (const fg_column_t *column = table->columns; column->name; column++) {
        char *more;
        size_t len = strlen (column->name);
        if (column->type == FG_COL_DATE)
            more = fg_strdupf ("%s, date (%s * 86400, 'unixepoch') AS %s", sql, column->name, column->name);
        else
        if (column->type == FG_COL_FEN && len > 4 && streq (column->name + len - 4, "_fen"))
            more = fg_strdupf ("%s, %s / 100.0 AS %.*s_yuan", sql, column->name, (int) (len - 4), column->name);
        else
        if (column->type == FG_COL_FEN)
            more = fg_strdupf ("%s, %s / 100.0 AS %s_yuan", sql, column->name, column->name);
        else
            more = fg_strdupf ("%s, %s", sql, column->name);
        free (sql);
        sql = more;
    }
    char *full = fg_strdupf ("%s%s, created_by, "
                             "strftime ('%%Y-%%m-%%dT%%H:%%M:%%fZ', (created_hlc >> 16) / 1000.0, 'unixepoch') AS created_at, "
                             "strftime ('%%Y-%%m-%%dT%%H:%%M:%%fZ', (updated_hlc >> 16) / 1000.0, 'unixepoch') AS updated_at, "
                             "author FROM %s", sql,
                             table->cls == FG_CLASS_EVENT ? ", voided, void_reason" : "", table->name);
    free (sql);
    return full;
}

//  The analysts' views (v_TABLE, fg_schema_view_sql), made again only
//  where the file's differ from what the catalogue says (or are missing),
//  in one savepoint: an open with nothing to change writes nothing.
int
fg_schema_make_views (sqlite3 *db, char *errbuf, size_t errsize)
{
    zhashx_t *held = zhashx_new ();
    zhashx_set_destructor (held, (zhashx_destructor_fn *) zstr_free);
    zhashx_set_duplicator (held, (zhashx_duplicator_fn *) strdup);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_master WHERE type = 'view'",
                            -1, &stmt, NULL) != SQLITE_OK) {
        zhashx_destroy (&held);
        return fg_errf (errbuf, errsize, "views: %s", sqlite3_errmsg (db));
    }
    while (sqlite3_step (stmt) == SQLITE_ROW)
        zhashx_insert (held, (const char *) sqlite3_column_text (stmt, 0),
                       (void *) (sqlite3_column_text (stmt, 1) ? (const char *) sqlite3_column_text (stmt, 1) : ""));
    sqlite3_finalize (stmt);
    char *script = NULL;
    size_t script_size = 0;
    FILE *out = open_memstream (&script, &script_size);
    assert (out);
    bool any = false;
    for (size_t i = 0; i < fg_schema_table_count (); i++) {
        const fg_table_t *table = fg_schema_table_at (i);
        if (table->flags & FG_TABLE_SYSTEM)
            continue;
        char *want = fg_schema_view_sql (table);
        char name [128];
        snprintf (name, sizeof name, "v_%s", table->name);
        const char *have = (const char *) zhashx_lookup (held, name);
        if (!have || !streq (have, want)) {
            fprintf (out, "DROP VIEW IF EXISTS %s; %s;\n", name, want);
            any = true;
        }
        free (want);
    }
    fclose (out);
    zhashx_destroy (&held);
    int rc = 0;
    if (any) {
        char *all = fg_strdupf ("SAVEPOINT fg_views; %s RELEASE fg_views;", script);
        if (sqlite3_exec (db, all, NULL, NULL, NULL) != SQLITE_OK) {
            rc = fg_errf (errbuf, errsize, "views: %s", sqlite3_errmsg (db));
            sqlite3_exec (db, "ROLLBACK TO fg_views; RELEASE fg_views", NULL, NULL, NULL);
        }
        free (all);
    }
    free (script);
    return rc;
}

const fg_table_t *
fg_schema_case_of (const char *event_table)
{
    for (size_t i = 0; i < fg_schema_table_count (); i++)
        if (s_tables [i].workflow && streq (s_tables [i].workflow->event_table, event_table))
            return &s_tables [i];
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
            {
                char given [128], guess [128];
                snprintf (given, sizeof given, "%.*s", (int) (value->size < 100 ? value->size : 100),
                          (const char *) value->data);
                if (fg_suggest_list (given, column->values, guess, sizeof guess))
                    snprintf (errbuf, errsize, "%s must be one of %s; did you mean '%s'?", column->name,
                              column->values, guess);
                else
                    snprintf (errbuf, errsize, "%s must be one of %s", column->name, column->values);
            }
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

//  Integers JSON prints as strings: dates (text), and record ids and org
//  codes, which exceed 2^53 and would be rounded by a JSON reader that
//  takes numbers as doubles (a browser's JSON.parse). By column type, and
//  by name for the columns every row has and for results named *_id, so
//  that a field has one type in every command.
static bool
s_as_string (const fg_column_t *column, const char *name)
{
    if (column)
        return column->type == FG_COL_DATE || column->type == FG_COL_ID || column->type == FG_COL_ORG;
    size_t len = strlen (name);
    return streq (name, "id") || (len > 3 && streq (name + len - 3, "_id"));
}

const char *
fg_schema_suggest_table (const char *name)
{
    const char *names [256];
    size_t count = 0;
    for (size_t t = 0; t < fg_schema_table_count () && count < 256; t++) {
        const fg_table_t *table = fg_schema_table_at (t);
        if (!(table->flags & FG_TABLE_SYSTEM))
            names [count++] = table->name;
    }
    return fg_suggest (name, names, count);
}

const char *
fg_schema_suggest_column (const fg_table_t *table, const char *name)
{
    const char *names [256] = { "id", "org_id" };
    size_t count = 2;
    for (const fg_column_t *column = table->columns; column->name && count < 256; column++)
        names [count++] = column->name;
    return fg_suggest (name, names, count);
}

fg_rows_t *
fg_schema_rows (sqlite3_stmt *stmt, const fg_table_t *table, char *errbuf, size_t errsize)
{
    fg_rows_t *rows = fg_rows_new ();
    int columns = sqlite3_column_count (stmt);
    for (int c = 0; c < columns; c++)
        fg_rows_column (rows, sqlite3_column_name (stmt, c));
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        for (int c = 0; c < columns; c++) {
            int type = sqlite3_column_type (stmt, c);
            if (type == SQLITE_NULL) {
                fg_rows_null (rows);
                continue;
            }
            const fg_column_t *column = table ? fg_schema_column (table, sqlite3_column_name (stmt, c)) : NULL;
            char *text = fg_schema_format_value (column, stmt, c);
            fg_rows_value (rows, text, type == SQLITE_INTEGER && !s_as_string (column, sqlite3_column_name (stmt, c)));
            free (text);
        }
        fg_rows_row_end (rows);
    }
    if (step != SQLITE_DONE) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (sqlite3_db_handle (stmt)));
        fg_rows_destroy (&rows);
    }
    return rows;
}
