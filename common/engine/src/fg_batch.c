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
    char             bucket [24];    //  whose rows they are
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

//  Before a row of this org: the entry being filled is appended first if
//  it is full or holds another bucket's rows.
static int
s_next (fg_batch_t *self, const char *org, char *errbuf, size_t errsize)
{
    char bucket [24];
    if (fg_org_township_of (org, bucket))
        snprintf (bucket, sizeof bucket, "%.23s", org);
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
    if (s_next (self, org, errbuf, errsize)
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
    if (s_next (self, org, errbuf, errsize)
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
