/*  fgb_growth.c - the growth section of fugai-bench (see fgb_growth.h).

    Layout of its directory: prefecture/ county/ township/ as fgb_tree
    makes them (no daemon runs: both replicas are opened here, the
    township's to write and to send from, the county's to receive).
*/
#include "fgb_growth.h"
#include "fgb_proc.h"
#include "fgb_figure.h"
#include "fg_config.h"
#include "fg_keys.h"
#include "fg_replica.h"
#include "fg_record.h"
#include "fg_util.h"
#include "fg_programme.h"
#include "fgp_stream.h"

#define S_WRITE_TXN     50000          //  township households per transaction while building
#define S_BUILD_BATCH   (4 * 1024 * 1024)
#define S_SIZES         4              //  10k, 100k, 1M, 10M

enum { S_TOWNSHIP, S_COUNTY };

typedef struct {
    fgb_tree_t    tree;
    fg_config_t  *config [2];
    fg_keys_t    *keys [2];
    fg_replica_t *replica [2];
    fg_node_t     township;            //  as the county knows it
    uint64_t      written;             //  households written at the township
    uint64_t      held;                //  of its entries the county holds
    uint64_t      session;
} s_growth_t;

static int
s_open (s_growth_t *self)
{
    const fgb_tier_t tiers [2] = { FGB_TOWNSHIP, FGB_COUNTY };
    char err [512];
    for (int i = 0; i < 2; i++) {
        self->config [i] = fg_config_load (self->tree.node [tiers [i]], err, sizeof err);
        self->keys [i] = self->config [i] ? fg_keys_load (self->config [i]->keys) : NULL;
        self->replica [i] = self->keys [i] ? fg_replica_open (self->config [i]->data, fg_programme_hooks ())
                                           : NULL;
        if (!self->replica [i]) {
            fgb_problem ("growth: cannot open the node in %s", self->tree.node [tiers [i]]);
            return -1;
        }
        fg_replica_set_keys (self->replica [i], self->keys [i]);
        fg_replica_set_wake (self->replica [i], false);
    }
    char relation [16];
    if (fg_replica_node (self->replica [S_COUNTY], self->tree.township_id, &self->township, relation)) {
        fgb_problem ("growth: the county does not know township %u", self->tree.township_id);
        return -1;
    }
    return 0;
}

static void
s_close (s_growth_t *self)
{
    for (int i = 0; i < 2; i++) {
        fg_replica_destroy (&self->replica [i]);
        fg_keys_destroy (&self->keys [i]);
        fg_config_destroy (&self->config [i]);
    }
}

//  `count` more households at the township, one per entry (as a clerk
//  writes them), `per_txn` entries to a transaction. 0 or -1.
static int
s_write (s_growth_t *self, uint64_t count, uint64_t per_txn)
{
    static const char *economies [] = { "farming", "herding", "semi" };
    fg_replica_t *replica = self->replica [S_TOWNSHIP];
    char err [512] = "";
    int rc = 0;
    for (uint64_t done = 0; rc == 0 && done < count; ) {
        uint64_t take = count - done < per_txn ? count - done : per_txn;
        rc = fg_replica_begin (replica);
        for (uint64_t i = 0; rc == 0 && i < take; i++) {
            uint64_t n = self->written + done + i;
            char org [16], hukou [24], head [32], size [4];
            snprintf (org, sizeof org, "513328100%03u", 201 + (unsigned) (n % 24));
            snprintf (hukou, sizeof hukou, "G%011llu", (unsigned long long) n);
            snprintf (head, sizeof head, "Household %llu", (unsigned long long) n);
            snprintf (size, sizeof size, "%u", (unsigned) (n % 9) + 1);
            fg_kv_t kv [] = { { "org_id", org }, { "hukou_no", hukou }, { "head_name", head },
                              { "size", size }, { "economy", economies [n % 3] } };
            fg_ops_t *ops = fg_ops_new ();
            uint64_t id;
            rc = fg_record_build_add (replica, ops, "household", kv, 5, &id, err, sizeof err);
            if (rc == 0 && fg_replica_append (replica, ops, "clerk", NULL, NULL)) {
                snprintf (err, sizeof err, "%s", fg_replica_error (replica));
                rc = -1;
            }
            fg_ops_destroy (&ops);
        }
        if (rc == 0)
            rc = fg_replica_commit (replica);
        else
            fg_replica_rollback (replica);
        done += take;
    }
    if (rc)
        fgb_problem ("growth: cannot write households at the township: %s",
                     err [0] ? err : fg_replica_error (replica));
    else
        self->written += count;
    return rc;
}

//  CPU seconds of this thread (the apply's own work, whatever else the
//  machine runs; reads from the page cache count, waits for the disk not)
static double
s_cpu (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

//  One session of the township's up stream into the county, until the
//  sender has nothing more: batches of 4 MiB to build, of the stream's
//  default size to measure, each taken by the county's receiver as it
//  would take it off the socket. *apply_s gets the receiver's time,
//  *cpu_s its CPU time. 0, or -1 if anything was refused or failed.
static int
s_pull (s_growth_t *self, bool build, double *apply_s, double *cpu_s)
{
    *cpu_s = 0;
    fgp_stream_config_t config;
    fgp_stream_config_default (&config);
    if (build) {
        config.batch_bytes = S_BUILD_BATCH;
        config.scan_rows = FGP_MAX_BATCH_ENTRIES;
    }
    char author [32];
    snprintf (author, sizeof author, "node-%u", self->config [S_COUNTY]->node.node_id);
    fgp_sender_t *sender = fgp_sender_new (self->replica [S_TOWNSHIP], NULL, &config);
    fgp_receiver_t *receiver = fgp_receiver_new (self->replica [S_COUNTY], &self->township, true,
                                                 FGP_STREAM_UP, author);
    self->session++;
    fgp_receiver_start (receiver, self->session, config.credit);
    fgp_sender_start (sender, self->session, fgp_receiver_cursor (receiver), config.credit);
    fg_rx_stats_t stats = { 0 };
    double spent = 0;
    int rc = 0;
    while (rc == 0) {
        bool error;
        fgp_msg_t *batch = fgp_sender_next (sender, &error);
        if (error) {
            fgb_problem ("growth: the township cannot send: %s", fg_replica_error (self->replica [S_TOWNSHIP]));
            rc = -1;
        }
        if (!batch)
            break;
        double start = fgb_now (), cpu_start = s_cpu ();
        fgp_msg_t *ack = fgp_receiver_on_batch (receiver, batch, &stats);
        spent += fgb_now () - start;
        *cpu_s += s_cpu () - cpu_start;
        if (!ack || ack->id != FGP_ACK || (ack->flags & FGP_ACK_REWIND)) {
            fgb_problem ("growth: the county did not take a batch (%s): %s", ack ? fgp_msg_name (ack->id) : "none",
                         fg_replica_error (self->replica [S_COUNTY]));
            rc = -1;
        }
        else
            fgp_sender_on_ack (sender, ack);
        fgp_msg_destroy (&ack);
        fgp_msg_destroy (&batch);
    }
    if (rc == 0 && (stats.quarantined || stats.buffered)) {
        fgb_problem ("growth: the county refused %llu and buffered %llu entries",
                     (unsigned long long) stats.quarantined, (unsigned long long) stats.buffered);
        rc = -1;
    }
    self->held += stats.applied;
    fgp_sender_destroy (&sender);
    fgp_receiver_destroy (&receiver);
    *apply_s = spent;
    return rc;
}

static const char *
s_size_name (uint64_t size, char name [16])
{
    if (size >= 1000000)
        snprintf (name, 16, "%lluM", (unsigned long long) (size / 1000000));
    else
        snprintf (name, 16, "%lluk", (unsigned long long) (size / 1000));
    return name;
}

int
fgb_bench_growth (const fgb_programs_t *programs, const char *dir, size_t max_held, size_t measure,
                  size_t runs)
{
    s_growth_t self;
    memset (&self, 0, sizeof self);
    fgb_figure_t *f [S_SIZES] = { NULL }, *c [S_SIZES] = { NULL };
    uint64_t sizes [S_SIZES];
    size_t count = 0;
    for (uint64_t size = FGB_GROWTH_FIRST; count < S_SIZES && size <= max_held; size *= 10) {
        char name [16], key [32];
        s_size_name (size, name);
        snprintf (key, sizeof key, "growth_%s", name);
        sizes [count] = size;
        f [count] = fgb_figure ("growth", key, "entries/s", true, "county ingest with %s entries held, "
                                "%zu one-household entries", name, measure);
        snprintf (key, sizeof key, "growth_cpu_%s", name);
        c [count++] = fgb_figure ("growth", key, "entries/s", false, "  the same per CPU second of the "
                                  "county's apply (load-independent)");
    }
    int rc = fgb_tree_create (&self.tree, programs, dir);
    if (rc == 0)
        rc = s_open (&self);
    //  The township's own first entry (its trust record) goes first
    double build_s = 0, built = fgb_now (), apply, cpu;
    if (rc == 0)
        rc = s_pull (&self, true, &apply, &cpu);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        double start = fgb_now ();
        while (rc == 0 && self.held < sizes [i]) {
            uint64_t more = sizes [i] - self.held;
            more = more < 10 * S_WRITE_TXN ? more : 10 * S_WRITE_TXN;
            rc = s_write (&self, more, S_WRITE_TXN);
            if (rc == 0)
                rc = s_pull (&self, true, &apply, &cpu);
            if (rc == 0 && sizes [i] >= 1000000)
                fgb_progress ("growth: the county holds %llu of %llu (%.0f s)", (unsigned long long) self.held,
                              (unsigned long long) sizes [i], fgb_now () - start);
        }
        build_s += fgb_now () - start;
        char name [16];
        fgb_progress ("growth: the county holds %llu entries (built in %.0f s); measuring",
                      (unsigned long long) self.held, fgb_now () - start);
        for (size_t r = 0; rc == 0 && r < runs; r++) {
            uint64_t before = self.held;
            rc = s_write (&self, measure, measure);
            if (rc == 0)
                rc = s_pull (&self, false, &apply, &cpu);
            if (rc == 0 && self.held - before != measure) {
                fgb_problem ("growth: the county took %llu of %zu entries",
                             (unsigned long long) (self.held - before), measure);
                rc = -1;
            }
            if (rc == 0) {
                fgb_figure_add (f [i], (double) measure / apply);
                fgb_figure_add (c [i], (double) measure / cpu);
                fgb_progress ("growth %s: %.0f entries/s, %.0f per CPU second", s_size_name (sizes [i], name),
                              (double) measure / apply, (double) measure / cpu);
            }
        }
    }
    s_close (&self);
    if (rc == 0 && count > 0) {
        double first = fgb_figure_median (f [0], NULL, NULL);
        double last = fgb_figure_median (f [count - 1], NULL, NULL);
        double first_cpu = fgb_figure_median (c [0], NULL, NULL);
        double last_cpu = fgb_figure_median (c [count - 1], NULL, NULL);
        char name [16];
        fgb_note ("growth: building the county (%llu entries held, the township writing them %d to a "
                  "transaction, the county taking them in batches of %d MiB) took %.0f s of the section's "
                  "%.0f s; each measurement %zu entries, batches of %d KiB (sync/batch_bytes)",
                  (unsigned long long) self.held, S_WRITE_TXN, S_BUILD_BATCH >> 20, build_s,
                  fgb_now () - built, measure, 256);
        fgb_note ("growth: rate with %s held / rate with 10k held = %.2f, per CPU second %.2f (issue 13 "
                  "target at 10M: >= 0.9)%s", s_size_name (sizes [count - 1], name), last / first,
                  last_cpu / first_cpu, sizes [count - 1] < 10000000
                  ? "; --growth-max 10000000 measures 10M (building it takes about ten times as long as "
                    "the largest size here, and 20 GB of disk)" : "");
    }
    fgb_tree_destroy (&self.tree);
    return rc;
}
