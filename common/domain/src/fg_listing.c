/*  fg_listing.c - records as an operator asks for them (see fg_listing.h). */
#include "fg_listing.h"
#include "fg_schema.h"
#include "fg_record.h"
#include "fg_util.h"

static const fg_table_t *
s_table (const char *name, char *errbuf, size_t errsize)
{
    const fg_table_t *table = fg_schema_table (name);
    if (table && !(table->flags & FG_TABLE_SYSTEM))
        return table;
    const char *guess = fg_schema_suggest_table (name);
    if (guess)
        fg_errf (errbuf, errsize, "no table '%s'; did you mean '%s'? (fugai schema lists them)", name, guess);
    else
        fg_errf (errbuf, errsize, "no table '%s' (fugai schema lists them)", name);
    return NULL;
}

//  Columns every row has besides its own (fg_schema.h)
static bool
s_system_column (const fg_table_t *table, const char *name)
{
    return streq (name, "id") || streq (name, "org_id") || streq (name, "created_by")
        || streq (name, "created_hlc") || streq (name, "updated_hlc") || streq (name, "author")
        || (table->cls == FG_CLASS_EVENT && (streq (name, "voided") || streq (name, "void_reason")));
}

static int
s_no_column (const fg_table_t *table, const char *what, const char *name, char *errbuf, size_t errsize)
{
    const char *guess = fg_schema_suggest_column (table, name);
    if (guess)
        return fg_errf (errbuf, errsize, "%s: %s has no column '%s'; did you mean '%s'? (fugai schema %s)",
                        what, table->name, name, guess, table->name);
    return fg_errf (errbuf, errsize, "%s: %s has no column '%s' (fugai schema %s)", what, table->name, name,
                    table->name);
}

//  A --where filter, parsed like a write of its column (system columns
//  are plain numbers, author text)
typedef struct {
    char       *text;
    fg_kv_t     kv;
    fg_value_t  value;
    uint8_t    *bytes;
} s_filter_t;

static int
s_filter_parse (const fg_table_t *table, const char *where, s_filter_t *filter, char *errbuf, size_t errsize)
{
    filter->text = strdup (where);
    assert (filter->text);
    if (fg_kv_parse (filter->text, &filter->kv))
        return fg_errf (errbuf, errsize, "--where takes column=value, not '%s'", where);
    const char *name = filter->kv.name;
    if (streq (name, "author") || streq (name, "void_reason")) {
        filter->value = (fg_value_t) { FG_VAL_TEXT, 0, (const uint8_t *) filter->kv.value,
                                       strlen (filter->kv.value) };
        return 0;
    }
    if (s_system_column (table, name)) {
        char *end = NULL;
        errno = 0;
        long long number = strtoll (filter->kv.value, &end, 10);
        if (!*filter->kv.value || errno || *end || number < 0)
            return fg_errf (errbuf, errsize, "--where: %s takes a whole number, not '%s'", name,
                            filter->kv.value);
        filter->value = (fg_value_t) { FG_VAL_INT, number, NULL, 0 };
        return 0;
    }
    const fg_column_t *column = fg_schema_column (table, name);
    if (!column)
        return s_no_column (table, "--where", name, errbuf, errsize);
    char err [256];
    if (fg_schema_parse (column, filter->kv.value, &filter->value, &filter->bytes, err, sizeof err))
        return fg_errf (errbuf, errsize, "--where: %s", err);
    return 0;
}

//  ORDER BY of "col,-col": appended to out
static int
s_order (const fg_table_t *table, const char *sort, FILE *out, char *errbuf, size_t errsize)
{
    fprintf (out, " ORDER BY ");
    char *copy = strdup (sort ? sort : "");
    assert (copy);
    int rc = 0;
    for (char *save = NULL, *key = strtok_r (copy, ",", &save); key && rc == 0; key = strtok_r (NULL, ",", &save)) {
        bool descending = *key == '-';
        if (*key == '-' || *key == '+')
            key++;
        if (!s_system_column (table, key) && !fg_schema_column (table, key))
            rc = s_no_column (table, "--sort", key, errbuf, errsize);
        else
            fprintf (out, "%s%s, ", key, descending ? " DESC" : "");
    }
    free (copy);
    fprintf (out, "id");
    return rc;
}

int
fg_listing_list (fg_replica_t *replica, const char *name, const fg_listing_query_t *query,
                 fg_rows_t **rows_p, char *errbuf, size_t errsize)
{
    *rows_p = NULL;
    const fg_table_t *table = s_table (name, errbuf, errsize);
    if (!table)
        return FG_LISTING_BAD;
    s_filter_t filters [FG_LISTING_WHERE_MAX];
    memset (filters, 0, sizeof filters);
    assert (query->where_count <= FG_LISTING_WHERE_MAX);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < query->where_count; i++)
        if (s_filter_parse (table, query->where [i], &filters [i], errbuf, errsize))
            rc = FG_LISTING_BAD;
    char *sql = NULL;
    size_t sql_size = 0;
    FILE *out = open_memstream (&sql, &sql_size);
    assert (out);
    fprintf (out, "SELECT id, org_id");
    for (const fg_column_t *column = table->columns; column->name; column++)
        fprintf (out, ", %s", column->name);
    fprintf (out, "%s, created_by, author FROM %s WHERE 1", table->cls == FG_CLASS_EVENT ? ", voided" : "",
             table->name);
    for (size_t i = 0; i < query->where_count; i++)
        fprintf (out, " AND %s = ?", filters [i].kv.name ? filters [i].kv.name : "id");
    if (query->search) {
        fprintf (out, " AND (0");
        for (const fg_column_t *column = table->columns; column->name; column++)
            if (column->type == FG_COL_TEXT || column->type == FG_COL_ENUM)
                fprintf (out, " OR instr (%s, ?%zu) > 0", column->name, query->where_count + 1);
        fprintf (out, " OR instr (author, ?%zu) > 0)", query->where_count + 1);
    }
    if (rc == 0 && s_order (table, query->sort, out, errbuf, errsize))
        rc = FG_LISTING_BAD;
    fprintf (out, " LIMIT %lld", (long long) query->limit);
    fclose (out);
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt = NULL;
    if (rc == 0 && sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
        rc = FG_LISTING_BROKEN, fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
    if (rc == 0) {
        for (size_t i = 0; i < query->where_count; i++)
            fg_value_bind (stmt, (int) i + 1, &filters [i].value);
        if (query->search)
            sqlite3_bind_text (stmt, (int) query->where_count + 1, query->search, -1, SQLITE_TRANSIENT);
        *rows_p = fg_schema_rows (stmt, table, errbuf, errsize);
        if (!*rows_p)
            rc = FG_LISTING_BROKEN;
    }
    sqlite3_finalize (stmt);
    for (size_t i = 0; i < query->where_count; i++) {
        free (filters [i].text);
        free (filters [i].bytes);
    }
    free (sql);
    return rc;
}

//  The kind column that says which table an id column names (P_id ->
//  P_kind), or NULL
static const fg_column_t *
s_kind_column (const fg_table_t *table, const char *id_column)
{
    size_t len = strlen (id_column);
    if (len < 4 || !streq (id_column + len - 3, "_id"))
        return NULL;
    char kind [128];
    snprintf (kind, sizeof kind, "%.*s_kind", (int) (len - 3), id_column);
    const fg_column_t *column = fg_schema_column (table, kind);
    return column && column->type == FG_COL_ENUM ? column : NULL;
}

//  Does `column` of `table` name records of `target`? Sets *kind_p to the
//  companion kind column (or NULL).
static bool
s_refers (const fg_table_t *table, const fg_column_t *column, const char *target, const fg_column_t **kind_p)
{
    *kind_p = NULL;
    if (column->type != FG_COL_ID)
        return false;
    char suffix [128];
    snprintf (suffix, sizeof suffix, "%s_id", target);
    size_t len = strlen (column->name), slen = strlen (suffix);
    if (streq (column->name, suffix)
    || (len > slen && column->name [len - slen - 1] == '_' && streq (column->name + len - slen, suffix)))
        return true;
    const fg_column_t *kind = s_kind_column (table, column->name);
    if (kind && fg_schema_in_list (kind->values, target, strlen (target))) {
        *kind_p = kind;
        return true;
    }
    return false;
}

int
fg_listing_show (fg_replica_t *replica, const char *name, uint64_t id, fg_rows_t **record_p,
                 fg_rows_t **referrers_p, char *errbuf, size_t errsize)
{
    *record_p = *referrers_p = NULL;
    const fg_table_t *table = s_table (name, errbuf, errsize);
    if (!table)
        return FG_LISTING_BAD;
    sqlite3 *db = fg_replica_db (replica);
    char *sql = fg_strdupf ("SELECT * FROM %s WHERE id = ?", table->name);
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
    free (sql);
    if (rc != SQLITE_OK)
        return fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db)), FG_LISTING_BROKEN;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) id);
    fg_rows_t *record = fg_schema_rows (stmt, table, errbuf, errsize);
    sqlite3_finalize (stmt);
    if (!record)
        return FG_LISTING_BROKEN;
    if (fg_rows_count (record) == 0) {
        fg_rows_destroy (&record);
        return fg_errf (errbuf, errsize, "no %s %llu here (fugai list %s)", table->name,
                        (unsigned long long) id, table->name), FG_LISTING_BAD;
    }
    fg_rows_t *referrers = fg_rows_new ();
    const char *names [] = { "table", "column", "id", "org_id", "summary" };
    for (size_t i = 0; i < 5; i++)
        fg_rows_column (referrers, names [i]);
    rc = 0;
    for (size_t t = 0; rc == 0 && t < fg_schema_table_count (); t++) {
        const fg_table_t *other = fg_schema_table_at (t);
        if (other->flags & FG_TABLE_SYSTEM)
            continue;
        for (const fg_column_t *column = other->columns; rc == 0 && column->name; column++) {
            const fg_column_t *kind;
            if (!s_refers (other, column, table->name, &kind))
                continue;
            //  Summary: the first three text or enum fields, name=value
            char *summary = strdup ("''");
            int shown = 0;
            for (const fg_column_t *field = other->columns; field->name && shown < 3; field++)
                if ((field->type == FG_COL_TEXT || field->type == FG_COL_ENUM || field->type == FG_COL_DATE)
                &&  field != kind && !(field->flags & FG_COL_DERIVED)) {
                    char *more = field->type == FG_COL_DATE
                        ? fg_strdupf ("%s || coalesce (' %s=' || date (%s * 86400, 'unixepoch'), '')", summary,
                                      field->name, field->name)
                        : fg_strdupf ("%s || coalesce (' %s=' || %s, '')", summary, field->name, field->name);
                    free (summary);
                    summary = more;
                    shown++;
                }
            sql = fg_strdupf ("SELECT '%s', '%s', id, org_id, ltrim (%s) FROM %s WHERE %s = ?1%s%s%s ORDER BY id",
                              other->name, column->name, summary, other->name, column->name,
                              kind ? " AND " : "", kind ? kind->name : "", kind ? " = ?2" : "");
            free (summary);
            if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK) {
                fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
                rc = FG_LISTING_BROKEN;
            }
            free (sql);
            if (rc)
                break;
            sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) id);
            if (kind)
                sqlite3_bind_text (stmt, 2, table->name, -1, SQLITE_STATIC);
            while (sqlite3_step (stmt) == SQLITE_ROW) {
                for (int c = 0; c < 5; c++) {
                    const char *text = (const char *) sqlite3_column_text (stmt, c);
                    if (text)
                        fg_rows_value (referrers, text, false);
                    else
                        fg_rows_null (referrers);
                }
                fg_rows_row_end (referrers);
            }
            sqlite3_finalize (stmt);
        }
    }
    if (rc) {
        fg_rows_destroy (&record);
        fg_rows_destroy (&referrers);
        return rc;
    }
    *record_p = record;
    *referrers_p = referrers;
    return 0;
}
