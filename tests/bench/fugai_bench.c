/*  fugai-bench - how fast the store, the primitives and sync are, each
    rate also given as a ratio to the raw SQLite insert rate measured in
    the same run (DESIGN.md §7): wall-clock figures on this shared machine
    move by up to 20 % between runs (TESTING.md), ratios much less.

    Usage: fugai-bench [-n N] [-b B] [-r R] [-s SAMPLES] [-t T] [-p P] [--quick] [--json]
                       [--only LIST] [--poll-ms MS] [--keep]
                       [--fugai PATH] [--hub PATH] [--edge PATH]

    What it measures, in this order (tests/bench/README says more):
      baseline    raw SQLite: WAL, synchronous=FULL (as the replica), 1000
                  rows per transaction, a 64-bit time-ordered key and a
                  200-byte body, into a fresh file. Rates are divided by it.
      same writes raw SQLite making exactly the rows a hub writes per
                  received entry (log, op(s), domain row(s), frontier) and
                  per batch (a transaction, the cursor), batched as the hub
                  batches them (fgb_same.h); ingest and local also print
                  their ratio to it (xs).
      context     raw SQLite with one row per transaction (a commit and an
                  fsync each): the floor under one-entry-per-write.
      primitives  BLAKE2b-256 of 200 B; Ed25519 sign and verify of a hash.
      local       fg_record_add of N households, one entry per write (a
                  clerk); B households in entries of 200 in one transaction
                  (`fugai import`).
      ingest      a county hub taking a township's offline backlog over
                  CURVE on 127.0.0.1, real processes (fugai init/enroll/
                  trust, fugai-hub, fugai-edge): time from the start of the
                  township's daemon until the county's replica holds every
                  township entry. Backlogs of N entries of one household and
                  of B households in entries of 200 (B is 10 N by default,
                  so that the run lasts long enough to be measured against
                  the 20 ms poll).
      latency     prefecture + county + township daemons up; `fugai add`
                  at the township, time until the entry is in the county's
                  and in the prefecture's replica; with -t T, T-1 more
                  townships write once a second each meanwhile.
      plan        a county of P households in 18 townships (fgb_plan.h):
                  its pairing plan computed and published, then again a
                  year on after 10 % of its township cadres retire.

    Each measurement is repeated R times (latency: SAMPLES times) and the
    median is reported with the range. The baseline is also measured once
    after each section, so that its median covers the whole run. It is a program that prints
    figures, never a test of timings: it exits 0 when everything ran and
    every count matched (rows written, entries arrived, nothing
    quarantined), 1 otherwise, 2 on bad usage.

    Everything lives in a scratch directory /tmp/fugai-bench.XXXXXX, removed
    at the end (--keep leaves it); the daemons it starts are stopped with
    SIGTERM (SIGKILL if they linger), also on failure or interruption, and
    die with it should it be killed outright (fgb_proc.h); only then does
    the scratch directory stay behind.
*/
#include "fg_replica.h"
#include "fg_record.h"
#include "fg_config.h"
#include "fg_keys.h"
#include "fg_util.h"
#include "fg_testkit.h"
#include "fgb_proc.h"
#include "fgb_tree.h"
#include "fgb_figure.h"
#include "fgb_plan.h"
#include "fgb_same.h"
#include "fgb_growth.h"
#include "fgp_stream.h"
#include <getopt.h>
#include <sys/wait.h>

#define S_IMPORT_ROWS   200          //  households per entry, as fugai import
#define S_POLL_INGEST   0.020        //  seconds between looks at the county
#define S_POLL_LATENCY  0.001
#define S_SAME_TXN1     1000         //  entries of the 1-entry/txn same-writes context
#define S_WRITER_PAUSE_MS 1000       //  latency load: a township's pause between writes

typedef struct {
    size_t         n;                //  households written one per entry
    size_t         b;                //  households written 200 per entry
    size_t         repeats;
    size_t         samples;          //  latency samples
    size_t         townships;        //  townships writing in the latency tree
    size_t         plan;             //  households of the plan's county
    size_t         catchup;          //  entries of the catch-up backlog
    size_t         bootstrap;        //  households of the restored township
    size_t         growth_max;       //  growth: the largest held size measured
    size_t         growth_measure;   //  growth: entries per measurement
    size_t         baseline_rows;
    double         prim_seconds;     //  per primitive and run
    bool           json;
    const char    *only;             //  comma list of sections, or NULL
    fgb_programs_t programs;
} s_options_t;

static s_options_t s_opt;
static const char *s_scratch;
//  The same-writes baseline's workloads: N entries of one household, and
//  B households in entries of 200 (made by the baseline section)
static fgb_same_t *s_same [2];

static bool
s_wants (const char *section)
{
    if (!s_opt.only)
        return true;
    char list [256], item [64];
    snprintf (list, sizeof list, ",%s,", s_opt.only);
    snprintf (item, sizeof item, ",%s,", section);
    return strstr (list, item) != NULL;
}

//  --------------------------------------------------------------------------
//  Households: the row every measurement writes

typedef struct {
    char    org [16], hukou [24], head [48], group [24], size [4], lat [16], lon [16];
    fg_kv_t kv [10];
    size_t  count;
} s_household_t;

static void
s_household (s_household_t *h, uint64_t i)
{
    static const char *names [] = { "Tashi Dorje", "Pema Lhamo", "Sonam Tsering", "Dawa Drolma",
                                    "Lobsang Gyatso", "Yangchen Tso", "Tenzin Norbu", "Kelsang Wangmo" };
    static const char *economies [] = { "farming", "herding", "semi" };
    snprintf (h->org, sizeof h->org, "513328100%03u", 201 + (unsigned) (i % 24));
    snprintf (h->hukou, sizeof h->hukou, "5133281002%08llu", (unsigned long long) i);
    snprintf (h->head, sizeof h->head, "%s %llu", names [i % 8], (unsigned long long) i);
    snprintf (h->group, sizeof h->group, "herding group %u", (unsigned) (i % 12) + 1);
    snprintf (h->size, sizeof h->size, "%u", (unsigned) (i % 9) + 1);
    snprintf (h->lat, sizeof h->lat, "%u", 31600000 + (unsigned) (i * 7919 % 90000));
    snprintf (h->lon, sizeof h->lon, "%u", 99900000 + (unsigned) (i * 104729 % 90000));
    size_t n = 0;
    h->kv [n++] = (fg_kv_t) { "org_id", h->org };
    h->kv [n++] = (fg_kv_t) { "hukou_no", h->hukou };
    h->kv [n++] = (fg_kv_t) { "head_name", h->head };
    h->kv [n++] = (fg_kv_t) { "group_name", h->group };
    h->kv [n++] = (fg_kv_t) { "size", h->size };
    h->kv [n++] = (fg_kv_t) { "economy", economies [i % 3] };
    h->kv [n++] = (fg_kv_t) { "lat_e6", h->lat };
    h->kv [n++] = (fg_kv_t) { "lon_e6", h->lon };
    h->kv [n++] = (fg_kv_t) { "status", "active" };
    h->count = n;
}

//  Append `rows` households starting at `first` to the replica, `per_entry`
//  to an entry, inside the caller's transaction. 0 or -1.
static int
s_write_households (fg_replica_t *replica, uint64_t first, size_t rows, size_t per_entry)
{
    char err [512];
    size_t done = 0;
    while (done < rows) {
        fg_ops_t *ops = fg_ops_new ();
        size_t take = rows - done < per_entry ? rows - done : per_entry;
        int rc = 0;
        for (size_t i = 0; rc == 0 && i < take; i++) {
            s_household_t h;
            s_household (&h, first + done + i);
            uint64_t id;
            rc = fg_record_build_add (replica, ops, "household", h.kv, h.count, &id, err, sizeof err);
        }
        if (rc == 0 && fg_replica_append (replica, ops, "clerk", NULL, NULL)) {
            snprintf (err, sizeof err, "%s", fg_replica_error (replica));
            rc = -1;
        }
        fg_ops_destroy (&ops);
        if (rc) {
            fgb_problem ("cannot write households: %s", err);
            return -1;
        }
        done += take;
    }
    return 0;
}
//  --------------------------------------------------------------------------
//  Baseline and context: raw SQLite

//  Rows/s inserting `rows` rows, per_txn to a transaction, into a fresh file.
static double
s_raw_sqlite (const char *path, size_t rows, size_t per_txn)
{
    sqlite3 *db;
    sqlite3_stmt *insert = NULL;
    int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                           "CREATE TABLE household (id INTEGER PRIMARY KEY, body BLOB NOT NULL)",
                           NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2 (db, "INSERT INTO household (id, body) VALUES (?, ?)", -1, &insert, NULL);
    uint8_t body [200];
    randombytes_buf (body, sizeof body);
    double start = fgb_now ();
    for (size_t i = 0; rc == SQLITE_OK && i < rows; i++) {
        if (i % per_txn == 0)
            rc = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
        fg_put64 (body, i);
        //  Time-ordered key: node-prefixed counter, as fg_replica_new_id
        sqlite3_bind_int64 (insert, 1, (sqlite3_int64) (((uint64_t) 28100 << FG_ID_SHIFT) | (i + 1)));
        sqlite3_bind_blob (insert, 2, body, sizeof body, SQLITE_STATIC);
        if (rc == SQLITE_OK && sqlite3_step (insert) != SQLITE_DONE)
            rc = SQLITE_ERROR;
        sqlite3_reset (insert);
        if (rc == SQLITE_OK && ((i + 1) % per_txn == 0 || i + 1 == rows))
            rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    }
    double seconds = fgb_now () - start;
    if (rc != SQLITE_OK)
        fgb_problem ("raw SQLite insert into %s: %s", path, sqlite3_errmsg (db));
    int64_t held = -1;
    sqlite3_stmt *count;
    if (rc == SQLITE_OK && sqlite3_prepare_v2 (db, "SELECT count(*) FROM household", -1, &count, NULL) == SQLITE_OK) {
        if (sqlite3_step (count) == SQLITE_ROW)
            held = sqlite3_column_int64 (count, 0);
        sqlite3_finalize (count);
    }
    if (rc == SQLITE_OK && held != (int64_t) rows)
        fgb_problem ("raw SQLite: %lld rows held, %zu written", (long long) held, rows);
    sqlite3_finalize (insert);
    sqlite3_close (db);
    fgb_remove_db (path);
    return rc == SQLITE_OK ? (double) rows / seconds : 0;
}

//  The baseline is measured R times at the start and once more after each
//  later section, so that its median reflects the whole run: the disk's
//  fsync times (shared with whatever else runs here) move it most.
static void
s_baseline_run (const char *when)
{
    //  (the figure is made first, by main)
    fgb_figure_t *base = fgb_figure ("baseline", "raw_sqlite_insert", "rows/s", true, "%s", "");
    char *path = fg_strdupf ("%s/raw.db", s_scratch);
    double rate = s_raw_sqlite (path, s_opt.baseline_rows, 1000);
    fgb_figure_add (base, rate);
    fgb_progress ("baseline %s: %.0f rows/s", when, rate);
    free (path);
}

//  The same-writes baselines (fgb_same.h): created by main after the raw
//  baseline, so that they print beside it.
static fgb_figure_t *
s_same_figure (int which)
{
    if (which == 0)
        return fgb_figure ("baseline", "same_writes_1", "entries/s", true,
            "same writes: raw SQLite, the hub's rows of 1-household entries, %zu", s_opt.n);
    if (which == 1)
        return fgb_figure ("baseline", "same_writes_200_rows", "rows/s", true,
            "same writes: the hub's rows of %d-household entries, %zu households", S_IMPORT_ROWS, s_opt.b);
    return fgb_figure ("context", "same_writes_1_txn1", "entries/s", true,
        "same writes of 1-household entries, 1 entry/txn (a clerk's write), %zu",
        s_opt.n < S_SAME_TXN1 ? s_opt.n : (size_t) S_SAME_TXN1);
}

static void
s_same_run (const char *when)
{
    for (int which = 0; which < 2 && s_same [which]; which++) {
        char *path = fg_strdupf ("%s/same.db", s_scratch);
        double seconds = fgb_same_run (s_same [which], path, 0, 0);
        free (path);
        if (seconds <= 0)
            return;
        double rate = (double) (which ? fgb_same_rows (s_same [which]) : fgb_same_entries (s_same [which]))
                    / seconds;
        fgb_figure_add (s_same_figure (which), rate);
        fgb_progress ("same writes %s: %s %.0f %s", when, which ? "200/entry" : "1/entry", rate,
                      which ? "rows/s" : "entries/s");
    }
}

//  Make the workloads of the same-writes baseline (once)
static int
s_same_make (void)
{
    for (int which = 0; which < 2; which++) {
        if (s_same [which])
            continue;
        char *dir = fg_strdupf ("%s/same-src-%d", s_scratch, which);
        s_same [which] = fgb_same_new (dir, which ? s_opt.b : s_opt.n, which ? S_IMPORT_ROWS : 1,
                                       s_write_households);
        free (dir);
        if (!s_same [which])
            return -1;
        fgb_note ("same writes, %s entries: %zu entries, %zu households, %.1f SQL writes per entry "
                  "(log, %s, frontier), %zu transactions as the hub batches them (sync/batch_bytes)",
                  which ? "200-household" : "1-household", fgb_same_entries (s_same [which]),
                  fgb_same_rows (s_same [which]), fgb_same_writes_per_entry (s_same [which]),
                  which ? "200 ops, 200 rows" : "op, row", fgb_same_batches (s_same [which]));
    }
    return 0;
}

static void
s_bench_baseline (void)
{
    size_t single_rows = s_opt.baseline_rows / 100 < 200 ? 200 : s_opt.baseline_rows / 100;
    fgb_figure_t *single = fgb_figure ("context", "raw_sqlite_insert_1txn", "rows/s", true,
        "raw SQLite insert, 1 row/txn (a commit + fsync each), %zu rows", single_rows);
    char *path = fg_strdupf ("%s/raw.db", s_scratch);
    for (size_t r = 0; r < s_opt.repeats; r++) {
        char when [48];
        snprintf (when, sizeof when, "%zu/%zu", r + 1, s_opt.repeats);
        s_baseline_run (when);
        double one = s_raw_sqlite (path, single_rows, 1);
        fgb_figure_add (single, one);
        fgb_progress ("context %zu/%zu: 1 row/txn %.0f rows/s", r + 1, s_opt.repeats, one);
        if (r == 0 && s_same_make ())
            break;
        s_same_run (when);
        size_t txn1 = fgb_same_entries (s_same [0]) < S_SAME_TXN1 ? fgb_same_entries (s_same [0]) : S_SAME_TXN1;
        double seconds = fgb_same_run (s_same [0], path, txn1, 1);
        if (seconds > 0) {
            fgb_figure_add (s_same_figure (2), (double) txn1 / seconds);
            fgb_progress ("context %zu/%zu: same writes, 1 entry/txn %.0f entries/s", r + 1, s_opt.repeats,
                          (double) txn1 / seconds);
        }
    }
    free (path);
}

//  --------------------------------------------------------------------------
//  Primitives

static void
s_bench_primitives (void)
{
    fgb_figure_t *hash = fgb_figure ("primitives", "blake2b_200", "ops/s", true, "BLAKE2b-256 of 200 B");
    fgb_figure_t *sign = fgb_figure ("primitives", "ed25519_sign", "ops/s", true,
                                 "Ed25519 sign of an entry's 32 B hash (fg_entry_build)");
    fgb_figure_t *verify = fgb_figure ("primitives", "ed25519_verify", "ops/s", true,
                                   "Ed25519 verify of it (fg_entry_verify)");
    uint8_t pk [crypto_sign_PUBLICKEYBYTES], sk [crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair (pk, sk);
    uint8_t message [200], digest [FG_HASH_SIZE], sig [FG_SIG_SIZE];
    randombytes_buf (message, sizeof message);
    crypto_generichash (digest, sizeof digest, message, sizeof message, NULL, 0);
    crypto_sign_detached (sig, NULL, digest, sizeof digest, sk);
    for (size_t r = 0; r < s_opt.repeats; r++) {
        for (int which = 0; which < 3; which++) {
            size_t ops = 0, chunk = which == 0 ? 10000 : 200;
            volatile int failures = 0;
            double start = fgb_now (), elapsed;
            do {
                for (size_t i = 0; i < chunk; i++) {
                    message [0] = (uint8_t) i;
                    if (which == 0)
                        crypto_generichash (digest, sizeof digest, message, sizeof message, NULL, 0);
                    else
                    if (which == 1)
                        crypto_sign_detached (sig, NULL, digest, sizeof digest, sk);
                    else
                        failures += crypto_sign_verify_detached (sig, digest, sizeof digest, pk) != 0;
                }
                ops += chunk;
                elapsed = fgb_now () - start;
            } while (elapsed < s_opt.prim_seconds);
            if (failures)
                fgb_problem ("Ed25519 verify failed %d times", failures);
            fgb_figure_add (which == 0 ? hash : which == 1 ? sign : verify, (double) ops / elapsed);
        }
        fgb_progress ("primitives %zu/%zu: blake2b %.0f/s, sign %.0f/s, verify %.0f/s", r + 1, s_opt.repeats,
                      hash->runs [r], sign->runs [r], verify->runs [r]);
    }
    sodium_memzero (sk, sizeof sk);
}

//  --------------------------------------------------------------------------
//  Local writes at a township, through the library

static void
s_bench_local (void)
{
    fgb_figure_t *single = fgb_figure ("local", "local_write_1", "entries/s", true,
        "fg_record_add: 1 household/entry, 1 txn each (a clerk), %zu writes", s_opt.n);
    fgb_figure_t *import_r = fgb_figure ("local", "local_import_rows", "rows/s", true,
        "import: %d households/entry, 1 txn (fugai import), %zu rows", S_IMPORT_ROWS, s_opt.b);
    fgb_figure_t *import_e = fgb_figure ("local", "local_import_entries", "entries/s", false,
        "  same, in entries");
    fgb_figure_versus (single, s_same_figure (2));
    fgb_figure_versus (import_r, s_same_figure (1));
    char err [512];
    for (size_t r = 0; r < s_opt.repeats; r++) {
        for (int batched = 0; batched < 2; batched++) {
            char *dir = fg_strdupf ("%s/local-%zu-%d", s_scratch, r, batched);
            fg_mkdir_p (dir, 0700);
            fg_testnode_t node;
            fg_testkit_node (&node, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "Township 100");
            fg_replica_t *replica = node.replica;
            double start = fgb_now ();
            int rc = 0;
            if (!batched)
                for (size_t i = 0; rc == 0 && i < s_opt.n; i++) {
                    s_household_t h;
                    s_household (&h, i);
                    uint64_t id;
                    rc = fg_record_add (replica, "household", h.kv, h.count, "clerk", &id, NULL, err, sizeof err);
                    if (rc)
                        fgb_problem ("fg_record_add: %s", err);
                }
            else {
                rc = fg_replica_begin (replica);
                if (rc == 0)
                    rc = s_write_households (replica, 0, s_opt.b, S_IMPORT_ROWS);
                if (rc == 0)
                    rc = fg_replica_commit (replica);
                else
                    fg_replica_rollback (replica);
            }
            double seconds = fgb_now () - start;
            size_t households = batched ? s_opt.b : s_opt.n;
            size_t entries = batched ? (s_opt.b + S_IMPORT_ROWS - 1) / S_IMPORT_ROWS : s_opt.n;
            int64_t rows = fg_testkit_int (&node, "SELECT count(*) FROM household");
            int64_t logged = fg_testkit_int (&node, "SELECT count(*) FROM log WHERE origin = 28100");
            if (rc || rows != (int64_t) households || logged != (int64_t) entries)
                fgb_problem ("local writes: %lld households and %lld entries held, %zu and %zu written",
                             (long long) rows, (long long) logged, households, entries);
            if (r == 0) {
                int64_t bytes = fg_testkit_int (&node, "SELECT avg(length(entry)) FROM log WHERE origin = 28100");
                fgb_note ("entry size: %s %lld B (header 63 + author 5 + ops payload + signature 64)",
                          batched ? "200 households" : "1 household", (long long) bytes);
            }
            if (!batched) {
                fgb_figure_add (single, (double) entries / seconds);
                fgb_progress ("local %zu/%zu: %zu single writes in %.2f s: %.0f entries/s", r + 1, s_opt.repeats,
                              entries, seconds, (double) entries / seconds);
            }
            else {
                fgb_figure_add (import_e, (double) entries / seconds);
                fgb_figure_add (import_r, (double) households / seconds);
                fgb_progress ("local %zu/%zu: import of %zu rows in %.2f s: %.0f rows/s", r + 1, s_opt.repeats,
                              households, seconds, (double) households / seconds);
            }
            fg_testkit_node_destroy (&node);
            if (!s_opt.programs.keep)
                fg_testkit_rmdir (dir);
            free (dir);
        }
    }
}
//  --------------------------------------------------------------------------
//  Ingest: a county takes a township's offline backlog over CURVE

//  Write the township's backlog offline, through the library, in one
//  SQLite transaction for speed: the entries are the bytes the clerks'
//  writes or an import would have made. Returns the township's entries.
static int64_t
s_backlog (fgb_tree_t *tree, size_t households, size_t per_entry)
{
    char err [512];
    fg_config_t *config = fg_config_load (tree->node [FGB_TOWNSHIP], err, sizeof err);
    fg_keys_t *keys = config ? fg_keys_load (config->keys) : NULL;
    fg_replica_t *replica = keys ? fg_replica_open (config->data, fg_programme_hooks ()) : NULL;
    int rc = replica ? 0 : -1;
    if (rc == 0) {
        fg_replica_set_keys (replica, keys);
        rc = fg_replica_begin (replica);
    }
    if (rc == 0)
        rc = s_write_households (replica, 0, households, per_entry);
    if (rc == 0)
        rc = fg_replica_commit (replica);
    else
    if (replica)
        fg_replica_rollback (replica);
    if (!replica)
        fgb_problem ("cannot open the township's replica in %s", tree->node [FGB_TOWNSHIP]);
    fg_replica_destroy (&replica);
    fg_keys_destroy (&keys);
    fg_config_destroy (&config);
    char *sql = fg_strdupf ("SELECT count(*) FROM log WHERE origin = %u", tree->township_id);
    int64_t held = rc ? -1 : fgb_query_file (tree->db [FGB_TOWNSHIP], sql);
    free (sql);
    return held;
}

//  A tree in the scratch directory (named `name`) whose township holds a
//  backlog written offline: its entries (the trust record included), or
//  -1 on a problem. Destroy the tree in either case.
static int64_t
s_tree_backlog (fgb_tree_t *tree, const char *name, size_t households, size_t per_entry)
{
    char *dir = fg_strdupf ("%s/%s", s_scratch, name);
    int rc = fgb_tree_create (tree, &s_opt.programs, dir);
    free (dir);
    size_t entries = (households + per_entry - 1) / per_entry;
    //  The township's log also holds its trust record
    int64_t target = rc ? -1 : s_backlog (tree, households, per_entry);
    if (rc == 0 && target != (int64_t) entries + 1) {
        fgb_problem ("township backlog: %lld entries held, %zu written", (long long) target, entries + 1);
        target = -1;
    }
    return target;
}

//  Waiting for a replica to hold the township's entries: `held` counts
//  them (one parameter, the township's id), polled every S_POLL_INGEST
//  from `start` until it reaches target and `also`, if given, reads 0.
typedef struct {
    double first;                    //  when the first entry was seen (0: none)
    double done;                     //  when all were
    double stall;                    //  the longest time without one more, after the first
} s_wait_t;

static int
s_wait_held (fgb_tree_t *tree, fgb_poller_t *held, fgb_poller_t *also, int64_t target, double start,
             double timeout, const char *what, s_wait_t *wait)
{
    memset (wait, 0, sizeof *wait);
    double last_move = start;
    int64_t before = 0;
    while (true) {
        int64_t count = fgb_poller_get (held, tree->township_id, 0);
        double now = fgb_now ();
        if (count > before) {
            if (wait->first == 0)
                wait->first = now;
            else
            if (now - last_move > wait->stall)
                wait->stall = now - last_move;
            last_move = now;
            before = count;
        }
        if (count >= target && (!also || fgb_poller_get (also, 0, 0) == 0)) {
            wait->done = now;
            return 0;
        }
        if (fgb_tree_died (tree))
            return -1;
        if (now - start > timeout) {
            fgb_problem ("%s holds %lld of %lld township entries after %.0f s (the longest wait without "
                         "one more: %.1f s)", what, (long long) count, (long long) target, timeout,
                         wait->stall > now - last_move ? wait->stall : now - last_move);
            return -1;
        }
        fgb_sleep (S_POLL_INGEST);
    }
}

//  One run: the figures of f get one value each. 0, or -1 on a problem.
//  to: the node whose replica must hold the backlog, the county (ingest:
//  one hop) or the prefecture (relay: two, the county relaying as it
//  commits); the prefecture then runs from the start.
static int
s_ingest_run (const char *name, size_t households, size_t per_entry, fgb_tier_t to, fgb_figure_t *f [7])
{
    fgb_tree_t tree;
    int64_t target = s_tree_backlog (&tree, name, households, per_entry);
    int rc = target < 0 ? -1 : 0;
    fgb_poller_t poller = { NULL, NULL };
    if (rc == 0)
        rc = fgb_poller_open (&poller, tree.db [to], "SELECT count(*) FROM log WHERE origin = ?");
    if (rc == 0 && to == FGB_PREFECTURE)
        rc = fgb_tree_start (&tree, FGB_PREFECTURE);
    if (rc == 0 && to == FGB_PREFECTURE)
        rc = fgb_tree_listening (&tree, FGB_PREFECTURE);
    double hub_start = fgb_now ();
    if (rc == 0)
        rc = fgb_tree_start (&tree, FGB_COUNTY);
    if (rc == 0)
        rc = fgb_tree_listening (&tree, FGB_COUNTY);
    double start = fgb_now ();
    s_wait_t wait = { 0 };
    if (rc == 0)
        rc = fgb_tree_start (&tree, FGB_TOWNSHIP);
    char what [96];
    snprintf (what, sizeof what, "%s: the %s", name, to == FGB_COUNTY ? "county" : "prefecture");
    if (rc == 0)
        rc = s_wait_held (&tree, &poller, NULL, target, start, 120 + (double) households / 100, what, &wait);
    double first = wait.first, done = wait.done;
    fgb_poller_close (&poller);
    double hub_cpu = fgb_tree_cpu (&tree, FGB_COUNTY), edge_cpu = fgb_tree_cpu (&tree, FGB_TOWNSHIP);
    if (!fgb_tree_stop (&tree, FGB_TOWNSHIP) && rc == 0)
        fgb_problem ("the township daemon did not stop cleanly (see %s)", tree.dir);
    if (!fgb_tree_stop (&tree, FGB_COUNTY) && rc == 0)
        fgb_problem ("the county daemon did not stop cleanly (see %s)", tree.dir);
    if (to == FGB_PREFECTURE && !fgb_tree_stop (&tree, FGB_PREFECTURE) && rc == 0)
        fgb_problem ("the prefecture daemon did not stop cleanly (see %s)", tree.dir);
    if (rc == 0) {
        //  Every household arrived as a row; nothing was refused
        int64_t rows = fgb_query_file (tree.db [to], "SELECT count(*) FROM household");
        int64_t refused = fgb_query_file (tree.db [to], "SELECT count(*) FROM quarantine");
        int64_t rejected = fgb_query_file (tree.db [to], "SELECT count(*) FROM op WHERE outcome != 'applied'");
        if (rows != (int64_t) households || refused != 0 || rejected != 0)
            fgb_problem ("%s: the %s holds %lld households (%zu sent), %lld entries quarantined, "
                         "%lld ops not applied", name, to == FGB_COUNTY ? "county" : "prefecture",
                         (long long) rows, households, (long long) refused, (long long) rejected);
        double total = done - start, steady = done - first;
        double units = per_entry > 1 ? (double) households : (double) target;
        fgb_figure_add (f [0], units / total);
        //  (the poll that first saw entries may have seen them all)
        fgb_figure_add (f [1], steady > 5 * S_POLL_INGEST ? units / steady : units / total);
        fgb_figure_add (f [2], (first - start) * 1000);
        fgb_figure_add (f [3], 100 * hub_cpu / total);
        fgb_figure_add (f [4], 100 * edge_cpu / total);
        fgb_figure_add (f [5], (start - hub_start) * 1000);
        if (f [6])
            fgb_figure_add (f [6], total * 1000);
        fgb_progress ("%s: %lld entries (%zu households) in %.2f s, first after %.0f ms, cpu: hub %.2f s, "
                      "edge %.2f s", name, (long long) target, households, total, (first - start) * 1000,
                      hub_cpu, edge_cpu);
    }
    fgb_tree_destroy (&tree);
    return rc;
}

//  The backlogs of N one-household entries and of B households in entries
//  of 200 taken in by `to`: the county (section ingest) or, through the
//  county, the prefecture (section relay)
static void
s_bench_flow (const char *section, fgb_tier_t to)
{
    const char *where = to == FGB_COUNTY ? "" : " at the prefecture";
    fgb_figure_t *f [2][7] = { { NULL } };
    for (int batched = 0; batched < 2; batched++) {
        const char *k = batched ? "200" : "1";
        const char *unit = batched ? "rows/s" : "entries/s";
        char key [48];
        snprintf (key, sizeof key, "%s_%s_%s", section, k, batched ? "rows" : "entries");
        if (batched)
            f [1][0] = fgb_figure (section, key, unit, true,
                "backlog of %zu entries x %d households: edge start to all held%s",
                (s_opt.b + S_IMPORT_ROWS - 1) / S_IMPORT_ROWS, S_IMPORT_ROWS, where);
        else
            f [0][0] = fgb_figure (section, key, unit, true,
                "backlog of %zu entries x 1 household: edge start to all held%s", s_opt.n, where);
        snprintf (key, sizeof key, "%s_%s_steady", section, k);
        f [batched][1] = fgb_figure (section, key, unit, true, "  first entry held to last held");
        snprintf (key, sizeof key, "%s_%s_first", section, k);
        f [batched][2] = fgb_figure (section, key, "ms", false, "  edge start to first entry held");
        snprintf (key, sizeof key, "%s_%s_hub_cpu", section, k);
        f [batched][3] = fgb_figure (section, key, "% 1 core", false,
                                     "  county hub CPU, edge start to all held");
        snprintf (key, sizeof key, "%s_%s_edge_cpu", section, k);
        f [batched][4] = fgb_figure (section, key, "% 1 core", false, "  township edge CPU, same span");
        snprintf (key, sizeof key, "%s_%s_hub_start", section, k);
        f [batched][5] = fgb_figure (section, key, "ms", false,
                                     "  (county hub start to listening: not counted)");
    }
    for (int batched = 0; batched < 2; batched++) {
        fgb_figure_versus (f [batched][0], s_same_figure (batched));
        fgb_figure_versus (f [batched][1], s_same_figure (batched));
    }
    for (size_t r = 0; r < s_opt.repeats; r++)
        for (int batched = 0; batched < 2; batched++) {
            char name [48];
            snprintf (name, sizeof name, "%s-x%d-%zu", section, batched ? S_IMPORT_ROWS : 1, r + 1);
            if (s_ingest_run (name, batched ? s_opt.b : s_opt.n, batched ? S_IMPORT_ROWS : 1, to, f [batched]))
                return;
        }
}

static void
s_bench_ingest (void)
{
    s_bench_flow ("ingest", FGB_COUNTY);
}

static void
s_bench_relay (void)
{
    s_bench_flow ("relay", FGB_PREFECTURE);
}

//  --------------------------------------------------------------------------
//  Wire: bytes a link carries per canonical byte of the entries it carries

//  The batches the real sender (fgp_sender, the sync's default config:
//  256 KiB batches, zstd) makes of a township's whole log in a session of
//  protocol `proto` (FG_PROTOCOL_VERSION: what two nodes of this build
//  speak; 1 with a peer not upgraded: whole entries), encoded as
//  fgp_msg_send puts them on the socket (fgp_msg_encode); CURVE then adds
//  a fixed 33 bytes or so per message (not counted). Sets the entries'
//  canonical bytes, the encoded bytes and the batches. 0 or -1.
static int
s_wire_measure (fg_testnode_t *node, uint16_t proto, uint64_t *canonical_p, uint64_t *wire_p,
                size_t *batches_p)
{
    fg_replica_t *replica = node->replica;
    *canonical_p = (uint64_t) fg_testkit_int (node, "SELECT sum(length(entry)) FROM log WHERE up = 1");
    *wire_p = 0;
    *batches_p = 0;
    fgp_stream_config_t config;
    fgp_stream_config_default (&config);
    fgp_sender_t *sender = fgp_sender_new (replica, NULL, &config);
    fgp_sender_start (sender, 1, 0, 0xFFFF);
    fgp_sender_set_proto (sender, proto);
    int rc = 0;
    while (rc == 0) {
        bool error;
        fgp_msg_t *batch = fgp_sender_next (sender, &error);
        if (error)
            rc = -1;
        if (!batch)
            break;
        size_t size = 0;
        uint8_t *bytes = fgp_msg_encode (batch, &size);
        if (!bytes)
            rc = -1;
        free (bytes);
        *wire_p += size;
        (*batches_p)++;
        fgp_msg_destroy (&batch);
    }
    fgp_sender_destroy (&sender);
    if (rc)
        fgb_problem ("wire: the sender could not make its batches: %s", fg_replica_error (replica));
    return rc;
}

static void
s_bench_wire (void)
{
    fgb_figure_t *f [2];
    f [0] = fgb_figure ("wire", "wire_1", "% canonical", false,
        "%zu entries x 1 household: bytes on the wire per 100 canonical bytes", s_opt.n);
    f [1] = fgb_figure ("wire", "wire_200", "% canonical", false,
        "%zu entries x %d households: bytes on the wire per 100 canonical bytes",
        (s_opt.b + S_IMPORT_ROWS - 1) / S_IMPORT_ROWS, S_IMPORT_ROWS);
    for (int batched = 0; batched < 2 && !fgb_problems (); batched++) {
        char *dir = fg_strdupf ("%s/wire-%d", s_scratch, batched);
        fg_mkdir_p (dir, 0700);
        fg_testnode_t node;
        fg_testkit_node (&node, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "Township 100");
        fg_replica_t *replica = node.replica;
        int rc = fg_replica_begin (replica);
        if (rc == 0)
            rc = s_write_households (replica, 0, batched ? s_opt.b : s_opt.n, batched ? S_IMPORT_ROWS : 1);
        if (rc == 0)
            rc = fg_replica_commit (replica);
        else
            fg_replica_rollback (replica);
        uint64_t canonical = 0, wire = 0, whole = 0;
        size_t batches = 0, whole_batches = 0;
        if (rc == 0)
            rc = s_wire_measure (&node, FGP_PROTO_MIN, &canonical, &whole, &whole_batches);
        if (rc == 0)
            rc = s_wire_measure (&node, FG_PROTOCOL_VERSION, &canonical, &wire, &batches);
        if (rc == 0 && canonical > 0) {
            //  The same every run: measured once
            fgb_figure_add (f [batched], 100 * (double) wire / (double) canonical);
            fgb_note ("wire, %s: %llu canonical bytes of entries, %zu batches, %llu bytes encoded "
                      "(%.0f B per household)", batched ? "entries of 200" : "one household an entry",
                      (unsigned long long) canonical, batches, (unsigned long long) wire,
                      (double) wire / (double) (batched ? s_opt.b : s_opt.n));
            fgb_note ("wire, %s, to a peer of protocol 1 (whole entries): %.1f %% canonical "
                      "(%.0f B per household, %zu batches)", batched ? "entries of 200" : "one household an entry",
                      100 * (double) whole / (double) canonical,
                      (double) whole / (double) (batched ? s_opt.b : s_opt.n), whole_batches);
        }
        fg_testkit_node_destroy (&node);
        if (!s_opt.programs.keep)
            fg_testkit_rmdir (dir);
        free (dir);
    }
}

//  --------------------------------------------------------------------------
//  Catch-up: a township back after 30 days offline, through two hops

static void
s_bench_catchup (void)
{
    fgb_figure_t *f [7];
    f [6] = fgb_figure ("catchup", "catchup_ms", "ms", false,
        "%zu entries x 1 household (30 days of %zu a day): edge start to all held at the prefecture",
        s_opt.catchup, s_opt.catchup / 30);
    f [0] = fgb_figure ("catchup", "catchup_entries", "entries/s", true, "  the same as a rate");
    f [1] = fgb_figure ("catchup", "catchup_steady", "entries/s", true, "  first entry held to last held");
    f [2] = fgb_figure ("catchup", "catchup_first", "ms", false, "  edge start to first entry held");
    f [3] = fgb_figure ("catchup", "catchup_hub_cpu", "% 1 core", false, "  county hub CPU, same span");
    f [4] = fgb_figure ("catchup", "catchup_edge_cpu", "% 1 core", false, "  township edge CPU, same span");
    f [5] = fgb_figure ("catchup", "catchup_hub_start", "ms", false,
                        "  (county hub start to listening: not counted)");
    fgb_figure_versus (f [0], s_same_figure (0));
    fgb_figure_versus (f [1], s_same_figure (0));
    for (size_t r = 0; r < s_opt.repeats; r++) {
        char name [48];
        snprintf (name, sizeof name, "catchup-%zu", r + 1);
        if (s_ingest_run (name, s_opt.catchup, 1, FGB_PREFECTURE, f))
            return;
    }
}

//  --------------------------------------------------------------------------
//  Bootstrap: a township whose replica is lost, restored from its county

//  The township's own chain coming back: polled every S_POLL_INGEST; the
//  longest time without progress tells whether it came in one stream.
static int
s_bootstrap_run (const char *name, size_t households, fgb_figure_t *f [5])
{
    fgb_tree_t tree;
    int64_t target = s_tree_backlog (&tree, name, households, 1);
    int rc = target < 0 ? -1 : 0;
    //  The county takes it all first
    fgb_poller_t poller = { NULL, NULL };
    if (rc == 0)
        rc = fgb_poller_open (&poller, tree.db [FGB_COUNTY], "SELECT count(*) FROM log WHERE origin = ?");
    if (rc == 0)
        rc = fgb_tree_start (&tree, FGB_COUNTY);
    if (rc == 0)
        rc = fgb_tree_listening (&tree, FGB_COUNTY);
    if (rc == 0)
        rc = fgb_tree_start (&tree, FGB_TOWNSHIP);
    double timeout = 120 + (double) households / 100;
    s_wait_t wait = { 0 };
    char what [96];
    snprintf (what, sizeof what, "%s: the county", name);
    if (rc == 0)
        rc = s_wait_held (&tree, &poller, NULL, target, fgb_now (), timeout, what, &wait);
    fgb_poller_close (&poller);
    //  The disk dies: keys and fugai.cfg kept, the replica gone
    if (rc == 0 && !fgb_tree_stop (&tree, FGB_TOWNSHIP)) {
        fgb_problem ("the township daemon did not stop cleanly (see %s)", tree.dir);
        rc = -1;
    }
    char *cert = fg_strdupf ("%s/keys/node.cert", tree.node [FGB_COUNTY]);
    if (rc == 0) {
        fgb_remove_db (tree.db [FGB_TOWNSHIP]);
        rc = fgb_run (tree.log, s_opt.programs.fugai, "-C", tree.node [FGB_TOWNSHIP], "restore-from-parent",
                      cert, NULL);
        if (rc)
            fgb_problem ("%s: fugai restore-from-parent failed (see %s)", name, tree.log);
    }
    free (cert);
    if (rc == 0)
        rc = fgb_poller_open (&poller, tree.db [FGB_TOWNSHIP], "SELECT count(*) FROM log WHERE origin = ?");
    fgb_poller_t restoring = { NULL, NULL };
    if (rc == 0)
        rc = fgb_poller_open (&restoring, tree.db [FGB_TOWNSHIP],
                              "SELECT count(*) FROM meta WHERE key = 'restoring' AND ? + ? = 0");
    double start = fgb_now ();
    if (rc == 0)
        rc = fgb_tree_start (&tree, FGB_TOWNSHIP);
    snprintf (what, sizeof what, "%s: the township restored", name);
    if (rc == 0)
        rc = s_wait_held (&tree, &poller, &restoring, target, start, timeout, what, &wait);
    double first = wait.first, done = wait.done, stall = wait.stall;
    fgb_poller_close (&poller);
    fgb_poller_close (&restoring);
    if (!fgb_tree_stop (&tree, FGB_TOWNSHIP) && rc == 0)
        fgb_problem ("the township daemon did not stop cleanly (see %s)", tree.dir);
    if (!fgb_tree_stop (&tree, FGB_COUNTY) && rc == 0)
        fgb_problem ("the county daemon did not stop cleanly (see %s)", tree.dir);
    if (rc == 0) {
        int64_t rows = fgb_query_file (tree.db [FGB_TOWNSHIP], "SELECT count(*) FROM household");
        if (rows != (int64_t) households)
            fgb_problem ("%s: the township holds %lld households after its restore (%zu written)", name,
                         (long long) rows, households);
        double total = done - start;
        fgb_figure_add (f [0], total * 1000);
        fgb_figure_add (f [1], (double) target / total);
        fgb_figure_add (f [2], (first - start) * 1000);
        fgb_figure_add (f [3], stall * 1000);
        fgb_progress ("%s: %lld own entries (%zu households) back in %.2f s, first after %.0f ms, longest "
                      "wait without progress %.0f ms", name, (long long) target, households, total,
                      (first - start) * 1000, stall * 1000);
    }
    fgb_tree_destroy (&tree);
    return rc;
}

static void
s_bench_bootstrap (void)
{
    fgb_figure_t *f [5];
    f [0] = fgb_figure ("bootstrap", "bootstrap_ms", "ms", false,
        "a township of %zu households (one entry each) restored from its county: "
        "edge start to its whole chain back", s_opt.bootstrap);
    f [1] = fgb_figure ("bootstrap", "bootstrap_entries", "entries/s", true, "  the same as a rate");
    f [2] = fgb_figure ("bootstrap", "bootstrap_first", "ms", false, "  edge start to first entry back");
    f [3] = fgb_figure ("bootstrap", "bootstrap_stall", "ms", false,
                        "  longest wait without progress (polled every 20 ms)");
    fgb_figure_versus (f [1], s_same_figure (0));
    for (size_t r = 0; r < s_opt.repeats; r++) {
        char name [48];
        snprintf (name, sizeof name, "bootstrap-%zu", r + 1);
        if (s_bootstrap_run (name, s_opt.bootstrap, f))
            return;
    }
}

//  --------------------------------------------------------------------------
//  Latency: one write at the township until the prefecture holds it

static void
s_bench_latency (void)
{
    fgb_tree_t tree;
    char *dir = fg_strdupf ("%s/latency", s_scratch);
    int rc = fgb_tree_create (&tree, &s_opt.programs, dir);
    free (dir);
    char err [512];
    fg_config_t *config = rc ? NULL : fg_config_load (tree.node [FGB_TOWNSHIP], err, sizeof err);
    if (config)
        fgb_note ("latency config: sync/poll_ms = %d%s, heartbeat_ms = %d, compress = %d, credit = %d; "
                  "fugai add wakes the township's daemon as it commits (fg_wake.h) and the county relays "
                  "as it commits, so no hop waits for a timer (poll_ms is only the safety look of a "
                  "daemon that was not told of a write)",
                  config->poll_ms, s_opt.programs.poll_ms ? " (--poll-ms)" : " (the default)",
                  config->heartbeat_ms, config->compress, config->credit);
    fg_config_destroy (&config);
    fgb_figure_t *command = fgb_figure ("latency", "latency_command", "ms", false,
                                        "fugai add at the township: the process, start to exit");
    fgb_figure_t *county = fgb_figure ("latency", "latency_county", "ms", false,
                                       "  start of fugai add to held at the county (1 hop)");
    fgb_figure_t *prefecture = fgb_figure ("latency", "latency_prefecture", "ms", false,
                                           "  start of fugai add to held at the prefecture (2 hops)");
    fgb_figure_t *after_c = fgb_figure ("latency", "latency_sync_county", "ms", false,
                                        "  exit of fugai add to held at the county");
    fgb_figure_t *after_p = fgb_figure ("latency", "latency_sync_prefecture", "ms", false,
                                        "  exit of fugai add to held at the prefecture");
    fgb_figure_t *commit_c = fgb_figure ("latency", "latency_commit_county", "ms", false,
                                         "  committed at the township to held at the county");
    fgb_figure_t *commit_p = fgb_figure ("latency", "latency_commit_prefecture", "ms", false,
                                         "  committed at the township to held at the prefecture");
    if (rc == 0) rc = fgb_tree_start (&tree, FGB_PREFECTURE);
    if (rc == 0) rc = fgb_tree_listening (&tree, FGB_PREFECTURE);
    if (rc == 0) rc = fgb_tree_start (&tree, FGB_COUNTY);
    if (rc == 0) rc = fgb_tree_listening (&tree, FGB_COUNTY);
    double start = fgb_now ();
    if (rc == 0) rc = fgb_tree_start (&tree, FGB_TOWNSHIP);
    fgb_poller_t at_t = { NULL, NULL }, at_c = { NULL, NULL }, at_p = { NULL, NULL };
    const char *sql = "SELECT count(*) FROM log WHERE origin = ? AND seq = ?";
    if (rc == 0) rc = fgb_poller_open (&at_t, tree.db [FGB_TOWNSHIP], sql);
    if (rc == 0) rc = fgb_poller_open (&at_c, tree.db [FGB_COUNTY], sql);
    if (rc == 0) rc = fgb_poller_open (&at_p, tree.db [FGB_PREFECTURE], sql);
    //  Up when the township's first entry (its trust record) is at the top
    while (rc == 0 && fgb_poller_get (&at_p, tree.township_id, 1) != 1) {
        if (fgb_tree_died (&tree))
            rc = -1;
        else
        if (fgb_now () - start > 60) {
            fgb_problem ("latency: the township's first entry is not at the prefecture after 60 s");
            rc = -1;
        }
        else
            fgb_sleep (0.01);
    }
    if (rc == 0)
        fgb_note ("latency tree: the township's first entry reached the prefecture %.0f ms after the "
                  "township daemon started", (fgb_now () - start) * 1000);
    //  Load: more townships, each writing with fugai add (a clerk)
    size_t others = s_opt.townships - 1;
    int64_t others_held = 0;
    double others_since = 0;
    const char *others_sql = "SELECT count(*) FROM log WHERE origin BETWEEN ? AND ?";
    fgb_poller_t at_p_others = { NULL, NULL };
    if (rc == 0 && others) {
        rc = fgb_tree_add_townships (&tree, others);
        if (rc == 0) rc = fgb_poller_open (&at_p_others, tree.db [FGB_PREFECTURE], others_sql);
        //  Up when each one's first entries are at the top
        double since = fgb_now ();
        while (rc == 0 && fgb_poller_get (&at_p_others, tree.township_id + 1, tree.township_id + others)
                          < (int64_t) others) {
            if (fgb_tree_died (&tree))
                rc = -1;
            else
            if (fgb_now () - since > 120) {
                fgb_problem ("latency: the added townships' first entries are not at the prefecture after 120 s");
                rc = -1;
            }
            else
                fgb_sleep (0.02);
        }
        if (rc == 0)
            rc = fgb_tree_start_writers (&tree, S_WRITER_PAUSE_MS);
        fgb_sleep (2 * S_WRITER_PAUSE_MS / 1000.0);
        others_held = fgb_poller_get (&at_p_others, tree.township_id + 1, tree.township_id + others);
        others_since = fgb_now ();
    }
    char *log = fg_strdupf ("%s/add.log", tree.dir);
    for (size_t i = 0; rc == 0 && i < s_opt.samples; i++) {
        //  Writes at uneven moments (50 to 149 ms apart), so that they meet
        //  the other townships' writes at every phase
        fgb_sleep ((50 + (double) ((i * 37) % 100)) / 1000);
        int64_t seq = (int64_t) i + 2;
        //  The three replicas are looked at every millisecond while fugai
        //  add runs, so that its commit is seen as it happens
        char *argv [] = { (char *) s_opt.programs.fugai, "-C", tree.node [FGB_TOWNSHIP], "--as", "clerk",
                          "add", "household", "org_id=513328100201", "head_name=Tashi Dorje", "size=5",
                          "economy=herding", NULL };
        double t0 = fgb_now ();
        pid_t pid = fgb_spawn (argv, log);
        if (pid < 0)
            rc = -1;
        double t_cmd = 0, t_t = 0, t_c = 0, t_p = 0;
        while (rc == 0 && (!t_cmd || !t_t || !t_c || !t_p)) {
            double now = fgb_now ();
            if (!t_t && fgb_poller_get (&at_t, tree.township_id, seq) == 1)
                t_t = now;
            if (!t_c && fgb_poller_get (&at_c, tree.township_id, seq) == 1)
                t_c = now;
            if (!t_p && fgb_poller_get (&at_p, tree.township_id, seq) == 1)
                t_p = now;
            int status;
            if (!t_cmd && fgb_exited (pid, &status)) {
                t_cmd = now;
                if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
                    char *text = fgb_read_text (log);
                    fgb_problem ("latency: fugai add failed (status %d):\n%s", status, text ? text : "");
                    free (text);
                    rc = -1;
                }
            }
            if (rc == 0 && fgb_tree_died (&tree))
                rc = -1;
            else
            if (rc == 0 && now - t0 > 30) {
                fgb_problem ("latency: entry %lld is not at the prefecture after 30 s", (long long) seq);
                rc = -1;
            }
            else
            if (rc == 0 && (!t_cmd || !t_t || !t_c || !t_p))
                fgb_sleep (S_POLL_LATENCY);
        }
        if (rc == 0) {
            //  Held above before the commit was seen here: that look came late
            t_t = t_t < t_c ? t_t : t_c;
            fgb_figure_add (command, (t_cmd - t0) * 1000);
            fgb_figure_add (county, (t_c - t0) * 1000);
            fgb_figure_add (prefecture, (t_p - t0) * 1000);
            fgb_figure_add (after_c, t_c > t_cmd ? (t_c - t_cmd) * 1000 : 0);
            fgb_figure_add (after_p, t_p > t_cmd ? (t_p - t_cmd) * 1000 : 0);
            fgb_figure_add (commit_c, (t_c - t_t) * 1000);
            fgb_figure_add (commit_p, (t_p - t_t) * 1000);
            fgb_progress ("latency %zu/%zu: command %.1f ms, committed %.1f ms, county %.1f ms, "
                          "prefecture %.1f ms", i + 1, s_opt.samples, (t_cmd - t0) * 1000, (t_t - t0) * 1000,
                          (t_c - t0) * 1000, (t_p - t0) * 1000);
        }
    }
    if (rc == 0 && others) {
        int64_t held = fgb_poller_get (&at_p_others, tree.township_id + 1, tree.township_id + others);
        fgb_note ("latency load: %zu more townships under the county, each running fugai add then "
                  "sleeping %d ms, again and again: %.1f of their entries/s reached the prefecture while "
                  "the samples were taken", others, S_WRITER_PAUSE_MS,
                  (double) (held - others_held) / (fgb_now () - others_since));
    }
    fgb_poller_close (&at_p_others);
    if (rc == 0) {
        fgb_figure_t *f [] = { prefecture, after_p, commit_p };
        const char *what [] = { "start of fugai add", "exit of fugai add", "commit at the township" };
        for (int i = 0; i < 3; i++)
            fgb_note ("latency %s to the prefecture: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms "
                      "(%zu samples, nearest rank)%s", what [i], fgb_figure_quantile (f [i], 0.5),
                      fgb_figure_quantile (f [i], 0.9), fgb_figure_quantile (f [i], 0.99),
                      fgb_figure_quantile (f [i], 1), f [i]->count,
                      i == 2 ? "; target p99 <= 15 ms with 20 townships writing (issue 13); the commit and "
                               "the arrivals are seen by looks every millisecond" : "");
    }
    free (log);
    fgb_poller_close (&at_t);
    fgb_poller_close (&at_c);
    fgb_poller_close (&at_p);
    fgb_tree_destroy (&tree);
}

static void
s_bench_growth (void)
{
    char *dir = fg_strdupf ("%s/growth", s_scratch);
    fgb_bench_growth (&s_opt.programs, dir, s_opt.growth_max, s_opt.growth_measure, s_opt.repeats);
    free (dir);
}

static void
s_bench_plan (void)
{
    char *dir = fg_strdupf ("%s/plan", s_scratch);
    fgb_bench_plan (dir, s_opt.plan, 0, s_opt.repeats, s_opt.programs.keep);
    free (dir);
}

//  --------------------------------------------------------------------------
//  Options and main

static void
s_usage (FILE *out)
{
    fprintf (out,
        "usage: fugai-bench [-n N] [-b B] [-r R] [-s SAMPLES] [-t T] [-p P] [--quick] [--json] [--only LIST]\n"
        "                   [--poll-ms MS] [--keep] [--fugai PATH] [--hub PATH] [--edge PATH]\n"
        "  -n N         households written one per entry (a clerk's writes); default 20000\n"
        "  -b B         households written 200 per entry (an import); default 10 x N\n"
        "  -r R         runs of each measurement, medians reported; default 3\n"
        "  -s SAMPLES   latency samples; default 10\n"
        "  -t T         townships writing in the latency tree (the measured one and T-1 writing\n"
        "               with fugai add once a second each); default 1\n"
        "  -p P         households of the plan's county (2,700 cadres per 11,500); default 11500\n"
        "  --quick      a smoke run: N 500, B 5000, R 1, 3 samples, P 1800, small baseline\n"
        "  --json       machine-readable output on stdout (progress stays on stderr)\n"
        "  --only LIST  sections, comma-separated: baseline,primitives,local,ingest,relay,catchup,\n"
        "               bootstrap,wire,latency,plan,growth\n"
        "  --poll-ms MS set sync/poll_ms of every node the ingest and latency runs make\n"
        "  --growth-max H  growth: measure with up to H entries held (10k, 100k, ... H);\n"
        "               default 1000000, 10000 with --quick; 10000000 for issue 13's 10M\n"
        "  --keep       keep the scratch directory\n"
        "  --fugai, --hub, --edge PATH   the programs (default: this build tree's)\n"
        "Exit: 0 every count matched, 1 a problem (stderr says which), 2 bad usage.\n");
}

//  A program of the build tree: ../../RELATIVE from this program's own
//  directory (build/tests/bench/fugai-bench -> build/edge/fugai).
static char *
s_program (const char *given, const char *relative)
{
    if (given)
        return strdup (given);
    char self [4096];
    ssize_t size = readlink ("/proc/self/exe", self, sizeof self - 1);
    if (size <= 0)
        return strdup (relative);
    self [size] = 0;
    char *slash = strrchr (self, '/');
    if (slash)
        *slash = 0;
    return fg_strdupf ("%s/../../%s", self, relative);
}

int
main (int argc, char *argv [])
{
    s_opt.n = 20000;
    s_opt.repeats = 3;
    s_opt.samples = 10;
    s_opt.townships = 1;
    s_opt.plan = FGB_PLAN_HOUSEHOLDS;
    s_opt.catchup = 30000;
    s_opt.bootstrap = 11500;
    s_opt.baseline_rows = 100000;
    s_opt.prim_seconds = 0.3;
    const char *fugai = NULL, *hub = NULL, *edge = NULL;
    bool growth_given = false;
    s_opt.growth_max = FGB_GROWTH_DEFAULT;
    s_opt.growth_measure = 10000;
    bool quick = false, keep = false, n_given = false, r_given = false, s_given = false, p_given = false;
    long b = 0, poll_ms = 0;
    static struct option longs [] = {
        { "quick", no_argument, NULL, 'q' }, { "json", no_argument, NULL, 'j' },
        { "keep", no_argument, NULL, 'k' }, { "only", required_argument, NULL, 'o' },
        { "poll-ms", required_argument, NULL, 'P' }, { "fugai", required_argument, NULL, 'F' },
        { "hub", required_argument, NULL, 'H' }, { "edge", required_argument, NULL, 'E' },
        { "growth-max", required_argument, NULL, 'G' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "n:b:r:s:t:p:h", longs, NULL)) != -1) {
        long value = optarg ? strtol (optarg, NULL, 10) : 0;
        switch (option) {
            case 'n': s_opt.n = value > 0 ? (size_t) value : 0; n_given = true; break;
            case 'b': b = value > 0 ? value : -1; break;
            case 'r': s_opt.repeats = value > 0 ? (size_t) value : 0; r_given = true; break;
            case 's': s_opt.samples = value > 0 ? (size_t) value : 0; s_given = true; break;
            case 't': s_opt.townships = value > 0 ? (size_t) value : 0; break;
            case 'q': quick = true; break;
            case 'j': s_opt.json = true; break;
            case 'k': keep = true; break;
            case 'o': s_opt.only = optarg; break;
            case 'p': s_opt.plan = value > 0 ? (size_t) value : 0; p_given = true; break;
            case 'P': poll_ms = value > 0 ? value : -1; break;
            case 'F': fugai = optarg; break;
            case 'H': hub = optarg; break;
            case 'E': edge = optarg; break;
            case 'G': s_opt.growth_max = value > 0 ? (size_t) value : 0; growth_given = true; break;
            case 'h': s_usage (stdout); return 0;
            default:  s_usage (stderr); return 2;
        }
    }
    if (quick) {
        if (!n_given) s_opt.n = 500;
        if (!b) b = 5000;
        if (!r_given) s_opt.repeats = 1;
        if (!s_given) s_opt.samples = 3;
        if (!p_given) s_opt.plan = 1800;
        s_opt.catchup = 1000;
        s_opt.bootstrap = 500;
        s_opt.baseline_rows = 10000;
        s_opt.prim_seconds = 0.05;
        if (!growth_given)
            s_opt.growth_max = FGB_GROWTH_FIRST;
        s_opt.growth_measure = 1000;
    }
    s_opt.b = b > 0 ? (size_t) b : 10 * s_opt.n;
    if (optind != argc || b < 0 || poll_ms < 0 || poll_ms > 60000 || s_opt.n < 1 || s_opt.n > 10000000
    ||  s_opt.b > 100000000 || s_opt.repeats < 1 || s_opt.repeats > FGB_MAX_RUNS
    ||  s_opt.samples < 1 || s_opt.samples > FGB_MAX_RUNS || s_opt.townships < 1 || s_opt.townships > 99
    ||  s_opt.plan < FGB_PLAN_MIN_HOUSEHOLDS || s_opt.plan > 1000000
    ||  s_opt.growth_max < FGB_GROWTH_FIRST || s_opt.growth_max > 10000000) {
        s_usage (stderr);
        return 2;
    }
    char *programs [3] = { s_program (fugai, "edge/fugai"), s_program (hub, "hub/fugai-hub"),
                           s_program (edge, "edge/fugai-edge") };
    s_opt.programs = (fgb_programs_t) { programs [0], programs [1], programs [2], (int) poll_ms, keep };
    bool daemons = s_wants ("ingest") || s_wants ("relay") || s_wants ("catchup") || s_wants ("bootstrap")
                || s_wants ("latency") || s_wants ("growth");
    for (int i = 0; i < 3 && daemons; i++)
        if (access (programs [i], X_OK)) {
            fprintf (stderr, "fugai-bench: cannot run %s: pass --fugai, --hub and --edge\n", programs [i]);
            return 2;
        }
    if (sodium_init () < 0)
        return 1;
    s_scratch = fgb_scratch_create (keep);
    if (!s_scratch) {
        fprintf (stderr, "fugai-bench: cannot create a scratch directory in /tmp: %s\n", strerror (errno));
        return 1;
    }
    fgb_progress ("scratch directory %s", s_scratch);
    double start = fgb_now ();

    //  The baseline is the first figure, whether it is measured or not
    fgb_figure ("baseline", "raw_sqlite_insert", "rows/s", true,
        "raw SQLite insert, WAL, sync=FULL, 1000 rows/txn, 8+200 B rows, %zu rows",
        s_opt.baseline_rows);
    fgb_note ("baseline: %zu rows into a fresh file per run; %zu runs at the start and one after each "
              "later section; the median of all is the denominator of every ratio", s_opt.baseline_rows,
              s_opt.repeats);
    for (int which = 0; which < 3; which++)
        s_same_figure (which);
    bool baseline = s_wants ("baseline");
    if (baseline)
        s_bench_baseline ();
    struct { const char *name; void (*run) (void); } sections [] = {
        { "primitives", s_bench_primitives }, { "local", s_bench_local },
        { "ingest", s_bench_ingest }, { "relay", s_bench_relay }, { "catchup", s_bench_catchup },
        { "bootstrap", s_bench_bootstrap }, { "wire", s_bench_wire }, { "latency", s_bench_latency }, { "plan", s_bench_plan },
        { "growth", s_bench_growth }
    };
    for (size_t i = 0; i < sizeof sections / sizeof sections [0]; i++)
        if (s_wants (sections [i].name) && !fgb_problems ()) {
            sections [i].run ();
            if (baseline && !fgb_problems ()) {
                char when [32];
                snprintf (when, sizeof when, "after %s", sections [i].name);
                s_baseline_run (when);
                s_same_run (when);
            }
        }

    fgb_note ("run took %.0f s; scratch directory %s %s", fgb_now () - start, s_scratch,
              keep ? "kept" : "removed");
    bool ok = fgb_problems () == 0;
    if (s_opt.json) {
        char params [256];
        snprintf (params, sizeof params, "\"n\": %zu, \"b\": %zu, \"repeats\": %zu, \"samples\": %zu, "
                  "\"plan\": %zu, \"baseline_rows\": %zu, ", s_opt.n, s_opt.b, s_opt.repeats, s_opt.samples,
                  s_opt.plan, s_opt.baseline_rows);
        fgb_report_json (params, ok);
    }
    else {
        char title [256];
        snprintf (title, sizeof title, "fugai-bench: N = %zu households one per entry, B = %zu households "
                  "%d per entry; %zu runs each, latency %zu samples", s_opt.n, s_opt.b, S_IMPORT_ROWS,
                  s_opt.repeats, s_opt.samples);
        fgb_report_text (title, ok);
    }
    for (int i = 0; i < 3; i++)
        free (programs [i]);
    fgb_same_destroy (&s_same [0]);
    fgb_same_destroy (&s_same [1]);
    return ok ? 0 : 1;
}
