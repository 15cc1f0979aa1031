/*  fg_batch.c - record batches: many checked rows, cut into entries by
    routing bucket (see fg_record.h). */
#include "fg_record.h"
#include "fg_org.h"
#include "fg_util.h"

struct _fg_batch_t {
    fg_replica_t    *replica;
    const char      *author;
    fg_ops_t        *ops;            //  the rows of the entry being filled
    size_t           in_entry;       //  how many
    char             bucket [48];    //  whose rows they are (and where they also go)
    fg_batch_stats_t stats;
};

fg_batch_t *
fg_batch_new (fg_replica_t *replica, const char *author)
{
    fg_batch_t *self = (fg_batch_t *) zmalloc (sizeof (fg_batch_t));
    assert (self);
    self->replica = replica;
    self->author = author;
    self->ops = fg_ops_new ();
    return self;
}

void
fg_batch_destroy (fg_batch_t **self_p)
{
    if (*self_p) {
        fg_ops_destroy (&(*self_p)->ops);
        free (*self_p);
        *self_p = NULL;
    }
}

int
fg_batch_flush (fg_batch_t *self, char *errbuf, size_t errsize)
{
    if (!self->in_entry)
        return 0;
    fg_merge_result_t result;
    if (fg_replica_append (self->replica, self->ops, self->author, NULL, &result))
        return fg_errf (errbuf, errsize, "not written: %s", fg_replica_error (self->replica));
    self->stats.entries++;
    self->stats.proposals += result.proposals;
    fg_ops_destroy (&self->ops);
    self->ops = fg_ops_new ();
    self->in_entry = 0;
    return 0;
}

//  The routing bucket of an org: its township (for a village or
//  township), else the org itself
static void
s_bucket_of (const char *org, char bucket [24])
{
    if (fg_org_township_of (org, bucket))
        snprintf (bucket, 24, "%.23s", org);
}

//  The second anchor of a row (fg_schema.h `route`): among the fields
//  written, else as held here; "" if the table has none
static void
s_route_of (fg_batch_t *self, const fg_table_t *table, uint64_t id, const fg_kv_t *fields,
            size_t count, char route [24])
{
    *route = 0;
    if (!table || !table->route)
        return;
    for (size_t i = 0; i < count; i++)
        if (streq (fields [i].name, table->route)) {
            s_bucket_of (fields [i].value, route);
            return;
        }
    if (!id)
        return;
    char *sql = fg_strdupf ("SELECT \"%s\" FROM \"%s\" WHERE id = ?", table->route, table->name);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (fg_replica_db (self->replica), sql, -1, &stmt, NULL) == SQLITE_OK) {
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) id);
        if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
            s_bucket_of ((const char *) sqlite3_column_text (stmt, 0), route);
        sqlite3_finalize (stmt);
    }
    free (sql);
}

//  Before a row of this org (and second anchor): the entry being filled is
//  appended first if it is full or holds another bucket's rows. Rows that
//  also go to another township share an entry only with rows going there
//  too, so that township receives no row of another.
static int
s_next (fg_batch_t *self, const char *org, const char *route, char *errbuf, size_t errsize)
{
    char place [24], bucket [48];
    s_bucket_of (org, place);
    snprintf (bucket, sizeof bucket, "%s/%s", place, route);
    if (self->in_entry && (self->in_entry == FG_BATCH_ROWS || !streq (bucket, self->bucket))
    &&  fg_batch_flush (self, errbuf, errsize))
        return -1;
    snprintf (self->bucket, sizeof self->bucket, "%s", bucket);
    return 0;
}

int
fg_batch_add (fg_batch_t *self, const char *table, const fg_kv_t *fields, size_t count,
              uint64_t *id_p, char *errbuf, size_t errsize)
{
    *id_p = 0;
    const fg_table_t *def = fg_schema_table (table);
    const char *key = def && (def->flags & FG_TABLE_ID_IS_ORG) ? "id" : "org_id";
    const char *org = fg_replica_self (self->replica)->org;
    for (size_t i = 0; i < count; i++)
        if (streq (fields [i].name, key))
            org = fields [i].value;
    char route [24];
    s_route_of (self, def, 0, fields, count, route);
    if (s_next (self, org, route, errbuf, errsize)
    ||  fg_record_build_add (self->replica, self->ops, table, fields, count, id_p, errbuf, errsize))
        return -1;
    self->in_entry++;
    self->stats.rows++;
    return 0;
}

int
fg_batch_set (fg_batch_t *self, const char *table, uint64_t id, const fg_kv_t *fields,
              size_t count, char *errbuf, size_t errsize)
{
    char org [24];
    snprintf (org, sizeof org, "%llu", (unsigned long long) fg_record_anchor (self->replica, table, id));
    char route [24];
    s_route_of (self, fg_schema_table (table), id, fields, count, route);
    if (s_next (self, org, route, errbuf, errsize)
    ||  fg_record_build_set (self->replica, self->ops, table, id, fields, count, errbuf, errsize))
        return -1;
    self->in_entry++;
    self->stats.rows++;
    return 0;
}

const fg_batch_stats_t *
fg_batch_stats (fg_batch_t *self)
{
    return &self->stats;
}

fg_replica_t *
fg_batch_replica (fg_batch_t *self)
{
    return self->replica;
}
