/*  fg_pairing_publish.c - write a computed plan as records (see
    fg_pairing.h): the plan event, the pairing rows it adds, changes and
    ends, grouped by township, and the directive that announces it. */
#include "fg_pairing_int.h"
#include "fg_record.h"
#include "fg_util.h"

typedef enum { S_ADD, S_REFORM, S_END } s_kind_t;

//  One row to write, placed by the township it travels to and the
//  township of its cadre (the pair reaches both: cadre_org, `route`)
typedef struct {
    uint64_t township;
    uint64_t cadre_township;
    uint64_t household;
    s_kind_t kind;
    size_t   index;          //  into result.pairs (add, reform) or result.ended (end)
    const fg_pairing__held_t *held;    //  the row (reform, end)
} s_action_t;

static int
s_action_cmp (const void *a, const void *b)
{
    const s_action_t *x = (const s_action_t *) a, *y = (const s_action_t *) b;
    if (x->township != y->township)
        return x->township < y->township ? -1 : 1;
    if (x->cadre_township != y->cadre_township)
        return x->cadre_township < y->cadre_township ? -1 : 1;
    if (x->household != y->household)
        return x->household < y->household ? -1 : 1;
    return (int) x->kind - (int) y->kind;
}

//  The end_reason of an ended pair: the solver's reason, with a cadre who
//  left told apart by the status HR recorded.
//  status is "SELECT status FROM cadre WHERE id = ?".
static const char *
s_end_reason (sqlite3_stmt *status, const char *reason, uint64_t cadre)
{
    if (!streq (reason, "cadre_retired"))
        return reason;
    const char *mapped = "cadre_unavailable";
    sqlite3_reset (status);
    sqlite3_bind_int64 (status, 1, (sqlite3_int64) cadre);
    if (sqlite3_step (status) == SQLITE_ROW) {
        const char *text = (const char *) sqlite3_column_text (status, 0);
        if (text && streq (text, "transferred"))
            mapped = "cadre_transfer";
        else
        if (text && (streq (text, "retired") || streq (text, "deceased")))
            mapped = "cadre_retired";
    }
    return mapped;
}

//  -------------------------------------------------------------------------
//  The plan's records

typedef struct {
    fg_pairing_t *self;
    fg_batch_t   *batch;             //  entries of one township's rows each
    sqlite3_stmt *status;            //  a cadre's HR status, for end reasons
    sqlite3_stmt *contact;           //  a cadre's name, phone and org, copied into the pair
    sqlite3_stmt *head;              //  a household head's name, copied into the pair
    char         *errbuf;
    size_t        errsize;
} s_writer_t;

//  Copy the non-empty columns of the row `stmt` gives for `id` into
//  fields named `names` (one per column, NULL-terminated), their text
//  kept in `store`
#define S_COPY_SIZE 256
static void
s_copy (sqlite3_stmt *stmt, uint64_t id, const char *const *names, char (*store) [S_COPY_SIZE],
        fg_kv_t *fields, size_t *count)
{
    sqlite3_reset (stmt);
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; names [c]; c++) {
            const char *text = (const char *) sqlite3_column_text (stmt, c);
            if (text && *text) {
                snprintf (store [c], S_COPY_SIZE, "%s", text);
                fields [(*count)++] = (fg_kv_t) { names [c], store [c] };
            }
        }
    sqlite3_reset (stmt);
}

//  The township a cadre works in (0 above one), to sort the rows so that
//  the batch's entries, cut by both townships, stay few
static uint64_t
s_cadre_township (s_writer_t *writer, uint64_t cadre)
{
    uint64_t township = 0;
    sqlite3_reset (writer->contact);
    sqlite3_bind_int64 (writer->contact, 1, (sqlite3_int64) cadre);
    if (sqlite3_step (writer->contact) == SQLITE_ROW)
        township = fg_pairing_township ((uint64_t) sqlite3_column_int64 (writer->contact, 2));
    sqlite3_reset (writer->contact);
    return township;
}

static int
s_write_action (s_writer_t *writer, const s_action_t *action)
{
    fg_pairing_t *self = writer->self;
    const fg_plan_result_t *result = &self->result;
    char village [24], cadre [24], household [24], cycle [24], plan_id [24], version [24], date [11];
    fg_kv_t fields [14];
    size_t count = 0;
    if (action->kind == S_ADD) {
        const fg_plan_pair_t *pair = &result->pairs [action->index];
        snprintf (village, sizeof village, "%llu", (unsigned long long) fg_pairing_village (self, pair->household));
        snprintf (cadre, sizeof cadre, "%llu", (unsigned long long) pair->cadre);
        snprintf (household, sizeof household, "%llu", (unsigned long long) pair->household);
        snprintf (cycle, sizeof cycle, "%lld", (long long) self->info.cycle_year);
        snprintf (plan_id, sizeof plan_id, "%llu", (unsigned long long) self->info.plan_id);
        snprintf (version, sizeof version, "%lld", (long long) self->info.version);
        fg_date_format (pair->start_on, date);
        fields [count++] = (fg_kv_t) { "org_id", village };
        fields [count++] = (fg_kv_t) { "cadre_id", cadre };
        fields [count++] = (fg_kv_t) { "household_id", household };
        fields [count++] = (fg_kv_t) { "role", "primary" };
        fields [count++] = (fg_kv_t) { "form", fg_plan_form_name (pair->form) };
        fields [count++] = (fg_kv_t) { "cycle_year", cycle };
        fields [count++] = (fg_kv_t) { "plan_id", plan_id };
        fields [count++] = (fg_kv_t) { "plan_version", version };
        fields [count++] = (fg_kv_t) { "start_on", date };
        //  The household's township does not hold a cadre of elsewhere
        //  (cadre is scope `referenced`): it gets what it needs in the pair.
        //  The cadre's own township holds the pair too (its cadres' pairs
        //  elsewhere: cadre_org, the second anchor) and sees whom it serves
        static const char *const contact_names [] = { "cadre_name", "cadre_phone", "cadre_org", NULL };
        static const char *const head_names [] = { "household_name", NULL };
        char contact [3][S_COPY_SIZE], head [1][S_COPY_SIZE];
        s_copy (writer->contact, pair->cadre, contact_names, contact, fields, &count);
        s_copy (writer->head, pair->household, head_names, head, fields, &count);
        uint64_t id;
        if (fg_batch_add (writer->batch, "pairing", fields, count, &id, writer->errbuf, writer->errsize))
            return -1;
        self->info.rows_added++;
    }
    else
    if (action->kind == S_REFORM) {
        const fg_plan_pair_t *pair = &result->pairs [action->index];
        fields [count++] = (fg_kv_t) { "form", fg_plan_form_name (pair->form) };
        if (fg_batch_set (writer->batch, "pairing", action->held->row, fields, count,
                          writer->errbuf, writer->errsize))
            return -1;
        self->info.rows_reformed++;
    }
    else {
        const fg_plan_pair_t *pair = &result->ended [action->index];
        fg_date_format (self->opts.effective_on, date);
        fields [count++] = (fg_kv_t) { "end_on", date };
        fields [count++] = (fg_kv_t) { "end_reason", s_end_reason (writer->status,
                                                                    result->end_reasons [action->index],
                                                                    pair->cadre) };
        if (fg_batch_set (writer->batch, "pairing", action->held->row, fields, count,
                          writer->errbuf, writer->errsize))
            return -1;
        self->info.rows_ended++;
    }
    return 0;
}

typedef struct {
    uint64_t township, household, cadre;
    fg_plan_form_t form;
} s_slice_pair_t;

static int
s_slice_pair_cmp (const void *a, const void *b)
{
    const s_slice_pair_t *x = (const s_slice_pair_t *) a, *y = (const s_slice_pair_t *) b;
    if (x->township != y->township)
        return x->township < y->township ? -1 : 1;
    if (x->household != y->household)
        return x->household < y->household ? -1 : 1;
    return x->cadre < y->cadre ? -1 : x->cadre > y->cadre;
}

//  "TOWNSHIP:PAIRS:HASH,..." for every township with a pair of the plan
//  or a pair it ends (then, maybe, an empty slice). Caller frees.
static char *
s_slices (fg_pairing_t *self)
{
    const fg_plan_result_t *result = &self->result;
    size_t count = result->pair_count + result->ended_count;
    s_slice_pair_t *pairs = (s_slice_pair_t *) calloc (count + 1, sizeof *pairs);
    assert (pairs);
    for (size_t i = 0; i < result->pair_count; i++)
        pairs [i] = (s_slice_pair_t) {
            fg_pairing_township (fg_pairing_village (self, result->pairs [i].household)),
            result->pairs [i].household, result->pairs [i].cadre, result->pairs [i].form };
    //  Ended pairs only name their township (household 0: not hashed)
    for (size_t i = 0; i < result->ended_count; i++)
        pairs [result->pair_count + i] = (s_slice_pair_t) {
            fg_pairing_township (fg_pairing_village (self, result->ended [i].household)), 0, 0, 0 };
    qsort (pairs, count, sizeof *pairs, s_slice_pair_cmp);
    char *text = NULL;
    size_t text_size = 0;
    FILE *out = open_memstream (&text, &text_size);
    assert (out);
    size_t townships = 0;
    for (size_t i = 0; i < count; ) {
        uint64_t township = pairs [i].township;
        fg_pairing_slice_t slice;
        fg_pairing_slice_init (&slice);
        for (; i < count && pairs [i].township == township; i++)
            if (pairs [i].household)
                fg_pairing_slice_add (&slice, pairs [i].household, pairs [i].cadre, pairs [i].form);
        char hex [65];
        fg_pairing_slice_final (&slice, hex);
        if (township)
            fprintf (out, "%s%llu:%zu:%s", townships++ ? "," : "", (unsigned long long) township,
                     slice.pairs, hex);
    }
    fclose (out);
    free (pairs);
    return text;
}

//  The plan event, in an entry of its own (it travels to the whole county
//  and up to the prefecture).
static int
s_write_plan (s_writer_t *writer)
{
    fg_pairing_t *self = writer->self;
    const fg_plan_result_t *result = &self->result;
    char county [24], cycle [24], version [24], base [24], date [11];
    char kept [24], added [24], ended [24], deficit [24];
    snprintf (county, sizeof county, "%llu", (unsigned long long) self->opts.county);
    snprintf (cycle, sizeof cycle, "%lld", (long long) self->info.cycle_year);
    snprintf (version, sizeof version, "%lld", (long long) self->info.version);
    snprintf (base, sizeof base, "%lld", (long long) self->info.base_version);
    fg_date_format (self->opts.effective_on, date);
    snprintf (kept, sizeof kept, "%zu", self->info.kept);
    snprintf (added, sizeof added, "%zu", self->info.added);
    snprintf (ended, sizeof ended, "%zu", result->ended_count);
    snprintf (deficit, sizeof deficit, "%zu", result->deficit_count);
    if (fg_batch_flush (writer->batch, writer->errbuf, writer->errsize))
        return -1;
    char *slices = s_slices (self);
    fg_kv_t fields [] = {
        { "org_id", county }, { "cycle_year", cycle }, { "version", version },
        { "effective_on", date }, { "input_frontier", self->frontier },
        { "params_hash", self->info.params_hash }, { "overrides", self->overrides },
        { "stats_kept", kept }, { "stats_new", added }, { "stats_ended", ended },
        { "stats_deficit", deficit }, { "plan_hash", self->info.plan_hash },
        { "slices", slices }, { "base_version", base }
    };
    size_t count = sizeof fields / sizeof fields [0] - (self->info.base_version ? 0 : 1);
    int rc = fg_batch_add (writer->batch, "pairing_plan", fields, count, &self->info.plan_id,
                           writer->errbuf, writer->errsize);
    free (slices);
    return rc ? -1 : fg_batch_flush (writer->batch, writer->errbuf, writer->errsize);
}

//  The directive that announces the plan to every node of the county.
static int
s_write_directive (s_writer_t *writer)
{
    fg_pairing_t *self = writer->self;
    char county [24], title [96], ref [48], date [11];
    snprintf (county, sizeof county, "%llu", (unsigned long long) self->opts.county);
    snprintf (title, sizeof title, "Pairing plan %lld-%lld version %lld",
              (long long) self->info.cycle_year, (long long) self->info.cycle_year + 1,
              (long long) self->info.version);
    snprintf (ref, sizeof ref, "pairing_plan:%llu", (unsigned long long) self->info.plan_id);
    fg_date_format (self->opts.effective_on, date);
    if (fg_batch_flush (writer->batch, writer->errbuf, writer->errsize))
        return -1;
    char *body = fg_strdupf ("%zu pairs kept, %zu new, %zu ended, %zu households without a pair; "
                             "plan_hash %s", self->info.kept, self->info.added,
                             self->result.ended_count, self->result.deficit_count, self->info.plan_hash);
    fg_kv_t fields [] = {
        { "org_id", county }, { "title", title }, { "kind", "pairing_plan" }, { "body", body },
        { "payload_ref", ref }, { "effective_on", date }, { "requires_ack", "yes" }
    };
    int rc = fg_batch_add (writer->batch, "directive", fields, sizeof fields / sizeof fields [0],
                           &self->info.directive_id, writer->errbuf, writer->errsize);
    free (body);
    return rc ? -1 : fg_batch_flush (writer->batch, writer->errbuf, writer->errsize);
}

static int
s_write (fg_pairing_t *self, fg_replica_t *replica, const char *author,
                  char *errbuf, size_t errsize)
{
    const fg_plan_result_t *result = &self->result;
    sqlite3 *db = fg_replica_db (replica);
    s_writer_t writer = { .self = self, .errbuf = errbuf, .errsize = errsize };
    if (sqlite3_prepare_v2 (db, "SELECT status FROM cadre WHERE id = ?", -1, &writer.status, NULL) != SQLITE_OK)
        return fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
    if (sqlite3_prepare_v2 (db, "SELECT name, phone, org_id FROM cadre WHERE id = ?", -1, &writer.contact,
                            NULL) != SQLITE_OK
    ||  sqlite3_prepare_v2 (db, "SELECT head_name FROM household WHERE id = ?", -1, &writer.head,
                            NULL) != SQLITE_OK) {
        sqlite3_finalize (writer.status);
        sqlite3_finalize (writer.contact);
        return fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
    }
    writer.batch = fg_batch_new (replica, author);
    s_action_t *actions = (s_action_t *) calloc (result->pair_count + result->ended_count + 1,
                                                 sizeof *actions);
    assert (actions);
    size_t count = 0;
    for (size_t i = 0; i < result->pair_count; i++) {
        const fg_plan_pair_t *pair = &result->pairs [i];
        const fg_pairing__held_t *held = fg_pairing_held (self, pair->household, pair->cadre);
        uint64_t township = fg_pairing_township (fg_pairing_village (self, pair->household));
        uint64_t cadre_township = s_cadre_township (&writer, pair->cadre);
        if (held && held->row) {
            if (!streq (held->form, fg_plan_form_name (pair->form)))
                actions [count++] = (s_action_t) { township, cadre_township, pair->household, S_REFORM, i,
                                                   held };
        }
        else
            actions [count++] = (s_action_t) { township, cadre_township, pair->household, S_ADD, i, NULL };
    }
    for (size_t i = 0; i < result->ended_count; i++) {
        const fg_plan_pair_t *pair = &result->ended [i];
        const fg_pairing__held_t *held = fg_pairing_held (self, pair->household, pair->cadre);
        //  A provisional pair the plan does not confirm has no row to end:
        //  the event stays as the fact it is (DOMAIN §4.7)
        if (held && held->row)
            actions [count++] = (s_action_t) { fg_pairing_township (held->village),
                                               s_cadre_township (&writer, pair->cadre), pair->household,
                                               S_END, i, held };
    }
    if (count)
        qsort (actions, count, sizeof *actions, s_action_cmp);
    int rc = s_write_plan (&writer);
    for (size_t i = 0; rc == 0 && i < count; i++)
        rc = s_write_action (&writer, &actions [i]);
    if (rc == 0)
        rc = fg_batch_flush (writer.batch, errbuf, errsize);
    if (rc == 0)
        rc = s_write_directive (&writer);
    self->info.entries = fg_batch_stats (writer.batch)->entries;
    sqlite3_finalize (writer.status);
    sqlite3_finalize (writer.contact);
    sqlite3_finalize (writer.head);
    fg_batch_destroy (&writer.batch);
    free (actions);
    return rc;
}

fg_pairing_t *
fg_pairing_publish (fg_replica_t *replica, const fg_pairing_opts_t *opts, const char *author,
                    char *errbuf, size_t errsize)
{
    if (errsize)
        *errbuf = 0;
    const fg_node_t *node = fg_replica_self (replica);
    char code [24];
    snprintf (code, sizeof code, "%llu", (unsigned long long) opts->county);
    if (node->tier != FG_TIER_COUNTY || !streq (node->org, code)) {
        fg_errf (errbuf, errsize, "only the county hub of %s publishes its pairing plans (this node is "
                "the %s %s)", code, fg_tier_name (node->tier), node->org);
        return NULL;
    }
    //  The inputs are read inside the transaction that writes the plan, so
    //  nothing can change between them and two plans never share a version
    if (fg_replica_begin (replica)) {
        fg_errf (errbuf, errsize, "%s", fg_replica_error (replica));
        return NULL;
    }
    fg_pairing_t *self = fg_pairing_compute (replica, opts, errbuf, errsize);
    if (self && self->result.deficit_count && !opts->accept_deficit) {
        const fg_plan_deficit_t *first = &self->result.deficit_villages [0];
        fg_errf (errbuf, errsize, "the plan leaves %zu households of %zu villages without a pair "
                "(the first: %zu in village %llu); add or station cadres, or publish accepting the deficit",
                self->result.deficit_count, self->result.deficit_village_count, first->count,
                (unsigned long long) first->village);
        fg_replica_rollback (replica);
        fg_pairing_destroy (&self);
        return NULL;
    }
    int64_t started = zclock_usecs ();
    if (!self || s_write (self, replica, author, errbuf, errsize)
    ||  fg_replica_commit (replica)) {
        if (self && !*errbuf)
            fg_errf (errbuf, errsize, "cannot commit: %s", fg_replica_error (replica));
        fg_replica_rollback (replica);
        fg_pairing_destroy (&self);
        return NULL;
    }
    self->info.write_us = zclock_usecs () - started;
    return self;
}
