/*  fgb_plan.c - the plan section of fugai-bench (see fgb_plan.h): how long
    a county takes to make, publish and remake its pairing plan.

    The instance (DOMAIN §6), the same bytes in every run (one fixed seed):
    - a county node 513328 (node 128) and 18 township nodes 513328100 ..
      513328117 (nodes 28100 .. 28117), each enrolled by the county and
      trusting it;
    - each township registers its share of the households (an even share,
      the first few one more) in its 8 villages TTT201 .. TTT208, of
      long-tailed sizes (a floor of 1/32 of the township's households, the
      rest by weights 2 + k^2, k < 10), 2 to 5 groups a village,
      economies mixed (5 farming : 3 herding : 2 semi), written in entries
      of 200 rows as `fugai import` writes them; its log is then moved up
      to the county as a sync would (fg_testkit_sync);
    - the county then writes what it owns: work units, cadres, and the
      needy (5 %) and demonstration (2 %) flags of households.
    Cadres, of C: 2 % leading (county_chief, county_deputy; cap 6), 20 %
    in 40 county bureaus, the rest township cadres spread evenly over the
    18 townships (cap 8). 36 bureaus are each paired with one township
    (two a township), every sixth of them with the next township too, so
    that some components span two townships; 4 bureaus have no
    counterpart township, and their cadres, with every sixth leader, are
    eligible nowhere (fg_pairing.h: a county organ cadre without one).
    Every township's own cadres can hold at least 1.2 times its
    households (checked before anything is built), and its counterpart
    bureaus more, so that no plan leaves a deficit, even after 10 % of
    the township cadres retire, and the rerun's churn is exact (DOMAIN
    AL6: the pairs that change are exactly the retired cadres').

    Each run works in a copy of the county's replica made with SQLite's
    backup, so that every run publishes into a county that has no plan
    yet, and opens it cold, as `fugai plan run` opens its replica.
*/
#include "fgb_plan.h"
#include "fgb_figure.h"
#include "fgb_proc.h"
#include "fgb_tree.h"
#include "fgb_rules.h"
#include "fg_pairing.h"
#include "fg_record.h"
#include "fg_testkit.h"
#include "fg_util.h"

#define S_COUNTY            513328
#define S_COUNTY_NODE       128
#define S_TOWNSHIPS         18
#define S_VILLAGES          8        //  per township
#define S_BUREAUS           40       //  county bureaus
#define S_PAIRED_BUREAUS    36       //  of which paired with a township
#define S_ENTRY_ROWS        200      //  rows per entry, as fugai import
#define S_CAP_TOWNSHIP      8        //  capacity of a cadre below deputy county
#define S_SEED              0x513328u

//  --------------------------------------------------------------------------
//  A small deterministic generator (splitmix64), so that the instance does
//  not depend on rand()'s state or on any other section.

typedef struct {
    uint64_t state;
} s_rng_t;

static uint64_t
s_rng_next (s_rng_t *rng)
{
    uint64_t z = (rng->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

//  0 .. n - 1 (the bias of a modulo is of no matter here)
static size_t
s_rng_below (s_rng_t *rng, size_t n)
{
    return (size_t) (s_rng_next (rng) % n);
}

//  --------------------------------------------------------------------------
//  Rows through fg_record in one transaction, at most 200 to an entry and
//  one township's rows to an entry: entries travel by the org their rows
//  belong to, so that each township would receive only its own.

typedef struct {
    fg_replica_t *replica;
    fg_ops_t     *ops;
    size_t        rows;              //  rows in ops
    uint64_t      org;               //  township (or county) of those rows
    size_t        entries;           //  entries appended
    int           rc;                //  -1 once anything failed (err says why)
    char          err [512];
} s_writer_t;

static void
s_writer_begin (s_writer_t *writer, fg_replica_t *replica)
{
    memset (writer, 0, sizeof *writer);
    writer->replica = replica;
    writer->ops = fg_ops_new ();
    if (fg_replica_begin (replica)) {
        snprintf (writer->err, sizeof writer->err, "%s", fg_replica_error (replica));
        writer->rc = -1;
    }
}

static void
s_writer_flush (s_writer_t *writer)
{
    if (writer->rc || !writer->rows)
        return;
    //  Every row the bench writes is one its author's tier owns: a
    //  proposal or a rejection would mean the instance is not what it says
    fg_merge_result_t result;
    if (fg_replica_append (writer->replica, writer->ops, "bench", NULL, &result)) {
        snprintf (writer->err, sizeof writer->err, "%s", fg_replica_error (writer->replica));
        writer->rc = -1;
    }
    else
    if (result.rejected || result.proposals) {
        snprintf (writer->err, sizeof writer->err, "%zu ops rejected and %zu kept as proposals",
                  result.rejected, result.proposals);
        writer->rc = -1;
    }
    fg_ops_destroy (&writer->ops);
    writer->ops = fg_ops_new ();
    writer->rows = 0;
    writer->entries++;
}

//  Before a row of township (or county) org
static void
s_writer_next (s_writer_t *writer, uint64_t org)
{
    if (writer->rows && (writer->rows == S_ENTRY_ROWS || org != writer->org))
        s_writer_flush (writer);
    writer->org = org;
    writer->rows++;
}

static uint64_t
s_writer_add (s_writer_t *writer, uint64_t org, const char *table, const fg_kv_t *fields, size_t count)
{
    uint64_t id = 0;
    s_writer_next (writer, org);
    if (writer->rc == 0
    &&  fg_record_build_add (writer->replica, writer->ops, table, fields, count, &id, writer->err,
                             sizeof writer->err))
        writer->rc = -1;
    return id;
}

static void
s_writer_set (s_writer_t *writer, uint64_t org, const char *table, uint64_t id, const fg_kv_t *fields,
              size_t count)
{
    s_writer_next (writer, org);
    if (writer->rc == 0
    &&  fg_record_build_set (writer->replica, writer->ops, table, id, fields, count, writer->err,
                             sizeof writer->err))
        writer->rc = -1;
}

//  Append what is left and commit; 0, or -1 with a problem naming what.
static int
s_writer_end (s_writer_t *writer, const char *what)
{
    s_writer_flush (writer);
    if (writer->rc == 0 && fg_replica_commit (writer->replica)) {
        snprintf (writer->err, sizeof writer->err, "%s", fg_replica_error (writer->replica));
        writer->rc = -1;
    }
    if (writer->rc) {
        fg_replica_rollback (writer->replica);
        fgb_problem ("plan: cannot write %s: %s", what, writer->err);
    }
    fg_ops_destroy (&writer->ops);
    return writer->rc;
}

//  --------------------------------------------------------------------------
//  The county

typedef struct {
    uint64_t id;
    uint64_t township;               //  org code
} s_member_t;

typedef struct {
    const char    *dir;
    bool           keep;
    size_t         households;
    size_t         cadres;
    size_t         leading;
    size_t         bureau_staff;
    size_t         nowhere;          //  cadres eligible nowhere
    size_t         focus;            //  needy or demonstration households
    size_t         villages;         //  villages that have households
    size_t         units;
    size_t         entries;          //  entries the townships wrote
    size_t         triggers;         //  must-visit triggers they wrote
    fg_testnode_t  county;
    s_member_t    *homes;            //  households, in the order written
    size_t         home_count;
    s_member_t    *staff;            //  township cadres (those that may retire)
    size_t         staff_count;
    uint64_t       bureau [S_BUREAUS];
    uint64_t       township_unit [S_TOWNSHIPS];
    int64_t        day [2];          //  effective_on of the first plan and of the rerun
    s_rng_t        rng;
} s_county_t;

static uint64_t
s_township_code (size_t t)
{
    return (uint64_t) S_COUNTY * 1000 + 100 + t;
}

//  An even share of total over S_TOWNSHIPS, the first ones one more.
static size_t
s_share (size_t total, size_t t)
{
    return total / S_TOWNSHIPS + (t < total % S_TOWNSHIPS);
}

//  One township: its node, its households in entries of 200, and its log
//  moved up to the county.
static int
s_write_township (s_county_t *self, size_t t)
{
    static const char *names [] = { "Tashi Dorje", "Pema Lhamo", "Sonam Tsering", "Dawa Drolma",
                                    "Lobsang Gyatso", "Yangchen Tso", "Tenzin Norbu", "Kelsang Wangmo" };
    static const char *economies [] = { "farming", "farming", "farming", "farming", "farming",
                                        "herding", "herding", "herding", "semi", "semi" };
    uint64_t township = s_township_code (t);
    char org [16], name [32];
    snprintf (org, sizeof org, "%llu", (unsigned long long) township);
    snprintf (name, sizeof name, "Township %zu", 100 + t);
    fg_testnode_t town;
    fg_testkit_node (&town, self->dir, (uint16_t) (28100 + t), FG_TIER_TOWNSHIP, org, name);
    fg_testkit_link (&self->county, &town);

    //  Long-tailed village sizes: a floor of 1/32 of the township's
    //  households each, the rest by weights 2 + k^2, what is left over to
    //  the first village
    size_t count = s_share (self->households, t), least = count / 32, weight [S_VILLAGES], total = 0;
    size_t size [S_VILLAGES], given = 0;
    for (size_t v = 0; v < S_VILLAGES; v++) {
        size_t k = s_rng_below (&self->rng, 10);
        weight [v] = 2 + k * k;
        total += weight [v];
    }
    for (size_t v = 0; v < S_VILLAGES; v++) {
        size [v] = least + (count - S_VILLAGES * least) * weight [v] / total;
        given += size [v];
    }
    size [0] += count - given;

    s_writer_t writer;
    s_writer_begin (&writer, town.replica);
    size_t first_home = self->home_count;
    uint64_t *villages_of = (uint64_t *) calloc (count + 1, sizeof *villages_of);
    assert (villages_of);
    for (size_t v = 0; v < S_VILLAGES; v++) {
        if (size [v])
            self->villages++;
        char village [16], head [48], group [24], members [4];
        snprintf (village, sizeof village, "%llu", (unsigned long long) township * 1000 + 201 + v);
        size_t groups = 2 + s_rng_below (&self->rng, 4);
        for (size_t i = 0; i < size [v]; i++) {
            size_t n = self->home_count;
            snprintf (head, sizeof head, "%s %zu", names [s_rng_below (&self->rng, 8)], n + 1);
            snprintf (group, sizeof group, "group %zu", 1 + s_rng_below (&self->rng, groups));
            snprintf (members, sizeof members, "%zu", 1 + s_rng_below (&self->rng, 8));
            fg_kv_t fields [] = {
                { "org_id", village }, { "head_name", head }, { "group_name", group },
                { "size", members }, { "economy", economies [s_rng_below (&self->rng, 10)] },
                { "status", "active" }
            };
            uint64_t id = s_writer_add (&writer, township, "household", fields,
                                        sizeof fields / sizeof fields [0]);
            villages_of [self->home_count - first_home] = township * 1000 + 201 + v;
            self->homes [self->home_count++] = (s_member_t) { id, township };
        }
    }
    //  A year of must-visit triggers (for the rules, fgb_rules.h): two
    //  households in five, from a generator of their own (the plan's
    //  instance stays the same), dated in the year of the first plan
    static const char *categories [] = { "seriously_ill", "dropout_unemployed", "sudden_disaster",
                                         "elderly_death", "abnormal_thinking", "seriously_ill" };
    s_rng_t triggers = { S_SEED ^ township };
    for (size_t i = first_home; i < self->home_count; i++) {
        if (s_rng_below (&triggers, 5) >= 2)
            continue;
        char household [24], village [16], occurred [16];
        snprintf (household, sizeof household, "%llu", (unsigned long long) self->homes [i].id);
        snprintf (village, sizeof village, "%llu", (unsigned long long) villages_of [i - first_home]);
        fg_date_format (self->day [0] + (int64_t) s_rng_below (&triggers, 330), occurred);
        fg_kv_t fields [] = {
            { "org_id", village }, { "household_id", household },
            { "category", categories [s_rng_below (&triggers, 6)] }, { "occurred_on", occurred },
            { "source", "village_official" }
        };
        s_writer_add (&writer, township, "must_visit_trigger", fields, sizeof fields / sizeof fields [0]);
        self->triggers++;
    }
    free (villages_of);
    int rc = s_writer_end (&writer, "households");
    self->entries += writer.entries;
    if (rc == 0) {
        fg_rx_stats_t stats = fg_testkit_sync (&town, &self->county, true);
        if (stats.quarantined || stats.buffered) {
            fgb_problem ("plan: township %s: %llu entries quarantined and %llu buffered at the county",
                         org, (unsigned long long) stats.quarantined, (unsigned long long) stats.buffered);
            rc = -1;
        }
    }
    fg_testkit_node_destroy (&town);
    return rc;
}

//  The county's work units: a government for each township, and the
//  county bureaus, 36 paired with townships.
static int
s_write_units (s_county_t *self)
{
    s_writer_t writer;
    s_writer_begin (&writer, self->county.replica);
    char org [16], name [48], counterpart [32];
    for (size_t t = 0; t < S_TOWNSHIPS; t++) {
        snprintf (org, sizeof org, "%llu", (unsigned long long) s_township_code (t));
        snprintf (name, sizeof name, "Government of township %zu", 100 + t);
        fg_kv_t fields [] = {
            { "org_id", org }, { "name", name }, { "level", "township" }, { "type", "government" }
        };
        self->township_unit [t] = s_writer_add (&writer, s_township_code (t), "work_unit", fields,
                                                sizeof fields / sizeof fields [0]);
    }
    snprintf (org, sizeof org, "%d", S_COUNTY);
    for (size_t b = 0; b < S_BUREAUS; b++) {
        size_t t = b % S_TOWNSHIPS;
        snprintf (name, sizeof name, "County bureau %zu", b + 1);
        if (b % 6 == 5)
            snprintf (counterpart, sizeof counterpart, "%llu,%llu", (unsigned long long) s_township_code (t),
                      (unsigned long long) s_township_code ((t + 1) % S_TOWNSHIPS));
        else
            snprintf (counterpart, sizeof counterpart, "%llu", (unsigned long long) s_township_code (t));
        //  (the last field is left out for a bureau without a counterpart)
        fg_kv_t fields [] = {
            { "org_id", org }, { "name", name }, { "level", "county" },
            { "type", b % 4 ? "government" : "public_institution" },
            { "counterpart_townships", counterpart }
        };
        size_t count = sizeof fields / sizeof fields [0];
        self->bureau [b] = s_writer_add (&writer, S_COUNTY, "work_unit", fields,
                                         b < S_PAIRED_BUREAUS ? count : count - 1);
    }
    self->units = S_TOWNSHIPS + S_BUREAUS;
    return s_writer_end (&writer, "work units");
}

static uint64_t
s_add_cadre (s_writer_t *writer, uint64_t org, uint64_t unit, const char *rank, size_t n)
{
    char org_id [16], unit_id [24], name [32];
    snprintf (org_id, sizeof org_id, "%llu", (unsigned long long) org);
    snprintf (unit_id, sizeof unit_id, "%llu", (unsigned long long) unit);
    snprintf (name, sizeof name, "Cadre %zu", n);
    fg_kv_t fields [] = {
        { "org_id", org_id }, { "name", name }, { "rank", rank }, { "work_unit_id", unit_id },
        { "status", "active" }, { "gender", n % 2 ? "female" : "male" }
    };
    return s_writer_add (writer, org, "cadre", fields, sizeof fields / sizeof fields [0]);
}

//  The cadres, and the flags of households the county owns.
static int
s_write_cadres (s_county_t *self)
{
    static const char *ranks [] = { "section_chief", "section_deputy", "institution", "institution",
                                    "staff", "staff", "staff", "staff", "staff", "staff" };
    s_writer_t writer;
    s_writer_begin (&writer, self->county.replica);
    size_t n = 0;
    for (size_t i = 0; i < self->leading; i++) {
        //  A county leader contacts a township through a bureau; every
        //  sixth sits in a bureau without one
        size_t b = i % 6 == 5 ? S_PAIRED_BUREAUS + i % (S_BUREAUS - S_PAIRED_BUREAUS) : i % S_PAIRED_BUREAUS;
        self->nowhere += b >= S_PAIRED_BUREAUS;
        s_add_cadre (&writer, S_COUNTY, self->bureau [b], i < 2 ? "county_chief" : "county_deputy", ++n);
    }
    for (size_t i = 0; i < self->bureau_staff; i++) {
        size_t b = i % S_BUREAUS;
        self->nowhere += b >= S_PAIRED_BUREAUS;
        s_add_cadre (&writer, S_COUNTY, self->bureau [b], ranks [(i / S_BUREAUS) % 10], ++n);
    }
    size_t township_cadres = self->cadres - self->leading - self->bureau_staff;
    for (size_t t = 0; t < S_TOWNSHIPS; t++) {
        uint64_t township = s_township_code (t);
        for (size_t i = 0; i < s_share (township_cadres, t); i++) {
            uint64_t id = s_add_cadre (&writer, township, self->township_unit [t], ranks [i % 10], ++n);
            self->staff [self->staff_count++] = (s_member_t) { id, township };
        }
    }
    for (size_t i = 0; i < self->home_count; i++) {
        size_t draw = s_rng_below (&self->rng, 100);
        if (draw >= 7)
            continue;
        fg_kv_t flag = { draw < 5 ? "needy" : "demonstration", "yes" };
        s_writer_set (&writer, self->homes [i].township, "household", self->homes [i].id, &flag, 1);
        self->focus++;
    }
    return s_writer_end (&writer, "cadres");
}

//  Retire 10 % of the township cadres, the same ones in every run (a
//  generator of their own), the day before the rerun. Returns how many,
//  0 with a problem if it could not be written.
static size_t
s_retire (s_county_t *self, fg_replica_t *replica)
{
    size_t count = (self->staff_count + 5) / 10, chosen = 0;
    s_rng_t rng = { S_SEED + 1 };
    char date [11];
    fg_date_format (self->day [1] - 1, date);
    fg_kv_t fields [] = { { "status", "retired" }, { "status_from", date } };
    s_writer_t writer;
    s_writer_begin (&writer, replica);
    //  Selection sampling (Knuth's algorithm S): exactly count of them, in
    //  the order written, so that each township's retirements share entries
    for (size_t i = 0; i < self->staff_count && chosen < count; i++)
        if (s_rng_below (&rng, self->staff_count - i) < count - chosen) {
            s_writer_set (&writer, self->staff [i].township, "cadre", self->staff [i].id, fields, 2);
            chosen++;
        }
    return s_writer_end (&writer, "retirements") ? 0 : count;
}

static int
s_county_build (s_county_t *self)
{
    fg_testkit_node (&self->county, self->dir, S_COUNTY_NODE, FG_TIER_COUNTY, "513328", "County 513328");
    int rc = 0;
    for (size_t t = 0; rc == 0 && t < S_TOWNSHIPS; t++)
        rc = s_write_township (self, t);
    if (rc == 0)
        rc = s_write_units (self);
    if (rc == 0)
        rc = s_write_cadres (self);
    //  The county holds what was written
    int64_t held [3] = {
        fg_testkit_int (&self->county, "SELECT count(*) FROM household"),
        fg_testkit_int (&self->county, "SELECT count(*) FROM cadre"),
        fg_testkit_int (&self->county, "SELECT count(*) FROM household WHERE needy OR demonstration")
    };
    if (rc == 0 && (held [0] != (int64_t) self->households || held [1] != (int64_t) self->cadres
    ||  held [2] != (int64_t) self->focus)) {
        fgb_problem ("plan: the county holds %lld households, %lld cadres and %lld focus households; "
                     "%zu, %zu and %zu were written", (long long) held [0], (long long) held [1],
                     (long long) held [2], self->households, self->cadres, self->focus);
        rc = -1;
    }
    return rc;
}

//  A copy of the county as built (SQLite's online backup: a consistent
//  snapshot of the file and its WAL). 0, or -1 with a problem.
static int
s_copy (fg_replica_t *from, const char *path)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    sqlite3_backup *backup = rc == SQLITE_OK ? sqlite3_backup_init (db, "main", fg_replica_db (from), "main")
                                             : NULL;
    if (backup) {
        rc = sqlite3_backup_step (backup, -1);
        int finished = sqlite3_backup_finish (backup);
        rc = rc == SQLITE_DONE ? finished : rc;
    }
    else
    if (rc == SQLITE_OK)
        rc = SQLITE_ERROR;
    if (rc != SQLITE_OK)
        fgb_problem ("plan: cannot copy the county's replica to %s: %s", path,
                     db ? sqlite3_errmsg (db) : "out of memory");
    sqlite3_close (db);
    return rc == SQLITE_OK ? chmod (path, 0600) : -1;
}

//  --------------------------------------------------------------------------
//  Measurements

enum {
    F_FIRST, F_FIRST_GATHER, F_FIRST_SOLVE, F_PUBLISH, F_PUBLISH_WRITE, F_PUBLISH_RATE,
    F_RERUN, F_RERUN_GATHER, F_RERUN_SOLVE, F_REPUBLISH, F_REPUBLISH_WRITE, F_NOOP, F_COUNT
};

//  By the enum above: key, unit, a ratio to the baseline, label (the
//  first one's is made from the instance's size)
static const struct {
    const char *key, *unit;
    bool        ratio;
    const char *label;
} s_figure_defs [F_COUNT] = {
    { "plan_first_compute", "ms", false, NULL },
    { "plan_first_gather", "ms", false, "  reading the inputs from the replica" },
    { "plan_first_solve", "ms", false, "  solving (fg_plan_solve)" },
    { "plan_publish", "ms", false, "publish it: read, solve, write, commit (one transaction)" },
    { "plan_publish_write", "ms", false, "  writing the records and committing" },
    { "plan_publish_rows", "rows/s", true, "  pairing rows written per second of that" },
    { "plan_rerun_compute", "ms", false, "a year on, 10 % of township cadres retired: compute" },
    { "plan_rerun_gather", "ms", false, "  reading the inputs (and the previous plan)" },
    { "plan_rerun_solve", "ms", false, "  solving" },
    { "plan_rerun_publish", "ms", false, "publish it: the orphaned pairs ended, their new pairs added" },
    { "plan_rerun_write", "ms", false, "  writing the records and committing" },
    { "plan_noop_compute", "ms", false, "rerun on the published plan, nothing changed: compute" }
};

static void
s_figures (fgb_figure_t **f, size_t households, size_t cadres)
{
    char first [96];
    snprintf (first, sizeof first, "first plan, %zu households x %zu cadres, none paired: compute",
              households, cadres);
    for (size_t i = 0; i < F_COUNT; i++)
        f [i] = fgb_figure ("plan", s_figure_defs [i].key, s_figure_defs [i].unit, s_figure_defs [i].ratio,
                            "%s", s_figure_defs [i].label ? s_figure_defs [i].label : first);
}

//  A count that must match; a problem naming it if it does not.
static bool
s_expect (const char *what, const char *count, int64_t got, int64_t want)
{
    if (got == want)
        return true;
    fgb_problem ("plan: %s: %s is %lld, expected %lld", what, count, (long long) got, (long long) want);
    return false;
}

//  Every plan of this instance reads all its households and the cadres
//  still active, and pairs every household (it is sized for no deficit).
static bool
s_check_plan (fg_pairing_t *plan, size_t households, size_t cadres, const char *what)
{
    const fg_pairing_info_t *info = fg_pairing_info (plan);
    const fg_plan_result_t *result = fg_pairing_result (plan);
    bool ok = s_expect (what, "households read", (int64_t) info->households, (int64_t) households);
    ok &= s_expect (what, "cadres read", (int64_t) info->cadres, (int64_t) cadres);
    ok &= s_expect (what, "households without a pair (deficit)", (int64_t) result->deficit_count, 0);
    ok &= s_expect (what, "pairs", (int64_t) result->pair_count, (int64_t) households);
    return ok;
}

//  After publishing: the county holds exactly the plan's pairs as active
//  pairing rows.
static bool
s_check_rows (const char *path, fg_pairing_t *plan, const char *what)
{
    int64_t active = fgb_query_file (path, "SELECT count(*) FROM pairing WHERE end_on IS NULL");
    return s_expect (what, "active pairing rows at the county", active,
                     (int64_t) fg_pairing_result (plan)->pair_count);
}

//  Compute a plan: its wall-clock time into total, its reading and
//  solving into gather and solve (any of them may be NULL). NULL with a
//  problem if it failed.
static fg_pairing_t *
s_compute (fg_replica_t *replica, const fg_pairing_opts_t *opts, fgb_figure_t *total,
           fgb_figure_t *gather, fgb_figure_t *solve, const char *what)
{
    char err [512] = "";
    double start = fgb_now ();
    fg_pairing_t *plan = fg_pairing_compute (replica, opts, err, sizeof err);
    double ms = (fgb_now () - start) * 1000;
    if (!plan) {
        fgb_problem ("plan: %s: %s", what, err);
        return NULL;
    }
    if (total)
        fgb_figure_add (total, ms);
    if (gather)
        fgb_figure_add (gather, (double) fg_pairing_info (plan)->gather_us / 1000);
    if (solve)
        fgb_figure_add (solve, (double) fg_pairing_info (plan)->solve_us / 1000);
    return plan;
}

//  Publish a plan: the whole call into total, writing and committing into
//  write. NULL with a problem if it was refused.
static fg_pairing_t *
s_publish (fg_replica_t *replica, const fg_pairing_opts_t *opts, fgb_figure_t *total, fgb_figure_t *write,
           const char *what)
{
    char err [512] = "";
    double start = fgb_now ();
    fg_pairing_t *plan = fg_pairing_publish (replica, opts, "office", err, sizeof err);
    double ms = (fgb_now () - start) * 1000;
    if (!plan) {
        fgb_problem ("plan: %s: %s", what, err);
        return NULL;
    }
    fgb_figure_add (total, ms);
    fgb_figure_add (write, (double) fg_pairing_info (plan)->write_us / 1000);
    return plan;
}

//  What a published plan did, for the notes: the same in every run.
typedef struct {
    size_t pairs, components, paths, moves, swaps, underloaded, changed;
    size_t rows_added, rows_ended, entries;
    size_t loads [FG_PLAN_LOAD_BINS];       //  cadres by households held
} s_did_t;

typedef struct {
    s_did_t first;
    size_t  flat [FG_PLAN_LOAD_BINS];   //  loads of the first plan with balance off
    size_t  retired;
    int64_t load;                    //  households the retired cadres held
    s_did_t rerun;
} s_seen_t;

static void
s_did (s_did_t *did, fg_pairing_t *plan)
{
    const fg_plan_result_t *result = fg_pairing_result (plan);
    const fg_pairing_info_t *info = fg_pairing_info (plan);
    *did = (s_did_t) {
        result->pair_count, result->components, result->paths, result->min_load_moves, result->swaps,
        result->underloaded_count, result->changed, info->rows_added, info->rows_ended, info->entries, { 0 }
    };
    memcpy (did->loads, result->load_histogram, sizeof did->loads);
}

//  The first plan, computed, then published.
static bool
s_run_first (s_county_t *self, fg_replica_t *replica, const char *path, fgb_figure_t **f, s_seen_t *seen)
{
    fg_pairing_opts_t opts;
    fg_pairing_opts_default (&opts, S_COUNTY, self->day [0]);
    fg_pairing_t *plan = s_compute (replica, &opts, f [F_FIRST], f [F_FIRST_GATHER], f [F_FIRST_SOLVE],
                                    "first plan");
    bool ok = plan && s_check_plan (plan, self->households, self->cadres, "first plan");
    fg_pairing_destroy (&plan);
    //  What level 5 (balance) does, for the notes: the same plan without
    //  it (not measured; as fugai plan run --no-balance)
    opts.params.balance = false;
    if (ok)
        plan = s_compute (replica, &opts, NULL, NULL, NULL, "first plan, balance off");
    ok = ok && plan && s_check_plan (plan, self->households, self->cadres, "first plan, balance off");
    if (ok)
        memcpy (seen->flat, fg_pairing_result (plan)->load_histogram, sizeof seen->flat);
    fg_pairing_destroy (&plan);
    opts.params.balance = true;
    if (ok)
        plan = s_publish (replica, &opts, f [F_PUBLISH], f [F_PUBLISH_WRITE], "first plan published");
    ok = ok && plan && s_check_plan (plan, self->households, self->cadres, "first plan published")
      && s_check_rows (path, plan, "first plan published");
    if (ok) {
        const fg_pairing_info_t *info = fg_pairing_info (plan);
        ok = s_expect ("first plan published", "pairing rows written", (int64_t) info->rows_added,
                       (int64_t) self->households);
        fgb_figure_add (f [F_PUBLISH_RATE], (double) info->rows_added * 1e6
                                            / (double) (info->write_us > 0 ? info->write_us : 1));
        s_did (&seen->first, plan);
    }
    fg_pairing_destroy (&plan);
    return ok;
}

//  A year on, 10 % of the township cadres retired: only their households
//  change cadre (DOMAIN AL6: every township has spare capacity).
static bool
s_run_rerun (s_county_t *self, fg_replica_t *replica, const char *path, fgb_figure_t **f, s_seen_t *seen)
{
    seen->retired = s_retire (self, replica);
    seen->load = fgb_query_file (path, "SELECT count(*) FROM pairing p JOIN cadre c ON c.id = p.cadre_id "
                                       "WHERE p.end_on IS NULL AND c.status = 'retired'");
    if (!seen->retired || seen->load < 0) {
        fgb_problem ("plan: the retired cadres' loads cannot be read");
        return false;
    }
    size_t cadres = self->cadres - seen->retired;
    const char *what = "rerun after retirements";
    fg_pairing_opts_t opts;
    fg_pairing_opts_default (&opts, S_COUNTY, self->day [1]);
    fg_pairing_t *plan = s_compute (replica, &opts, f [F_RERUN], f [F_RERUN_GATHER], f [F_RERUN_SOLVE], what);
    bool ok = plan && s_check_plan (plan, self->households, cadres, what);
    if (ok) {
        const fg_plan_result_t *result = fg_pairing_result (plan);
        ok &= s_expect (what, "pairs changed (retired cadres' loads)", (int64_t) result->changed, seen->load);
        ok &= s_expect (what, "pairs ended (retired cadres' loads)", (int64_t) result->ended_count, seen->load);
    }
    fg_pairing_destroy (&plan);
    what = "rerun published";
    if (ok)
        plan = s_publish (replica, &opts, f [F_REPUBLISH], f [F_REPUBLISH_WRITE], what);
    ok = ok && plan && s_check_plan (plan, self->households, cadres, what) && s_check_rows (path, plan, what);
    if (ok) {
        const fg_pairing_info_t *info = fg_pairing_info (plan);
        ok &= s_expect (what, "pairing rows ended", (int64_t) info->rows_ended, seen->load);
        ok &= s_expect (what, "pairing rows added", (int64_t) info->rows_added, seen->load);
        ok &= s_expect (what, "kept rows whose form changed", (int64_t) info->rows_reformed, 0);
        ok &= s_expect (what, "rows ended as cadre_retired",
                        fgb_query_file (path, "SELECT count(*) FROM pairing WHERE end_reason = 'cadre_retired'"),
                        seen->load);
        s_did (&seen->rerun, plan);
    }
    fg_pairing_destroy (&plan);
    return ok;
}

//  Nothing changed since the plan was published: nothing may change.
static bool
s_run_noop (s_county_t *self, fg_replica_t *replica, fgb_figure_t **f)
{
    const char *what = "rerun with nothing changed";
    fg_pairing_opts_t opts;
    fg_pairing_opts_default (&opts, S_COUNTY, self->day [1]);
    fg_pairing_t *plan = s_compute (replica, &opts, f [F_NOOP], NULL, NULL, what);
    bool ok = plan != NULL;
    if (ok) {
        const fg_plan_result_t *result = fg_pairing_result (plan);
        ok &= s_expect (what, "pairs changed", (int64_t) result->changed, 0);
        ok &= s_expect (what, "pairs ended", (int64_t) result->ended_count, 0);
        ok &= s_expect (what, "deficit", (int64_t) result->deficit_count, 0);
    }
    fg_pairing_destroy (&plan);
    return ok;
}

static int
s_run (s_county_t *self, size_t run, fgb_figure_t **f, s_seen_t *seen)
{
    char *path = fg_strdupf ("%s/county-run-%zu.db", self->dir, run + 1);
    fg_replica_t *replica = s_copy (self->county.replica, path) ? NULL : fg_replica_open (path, fg_programme_hooks ());
    bool ok = replica != NULL;
    if (!ok)
        fgb_problem ("plan: cannot open the copy %s of the county's replica", path);
    else
        fg_replica_set_keys (replica, self->county.keys);
    ok = ok && s_run_first (self, replica, path, f, seen);
    ok = ok && s_run_rerun (self, replica, path, f, seen);
    ok = ok && s_run_noop (self, replica, f);
    fg_replica_destroy (&replica);
    //  The rules over a year of the first plan's activity (first run only)
    if (ok && run == 0)
        ok = fgb_bench_rules (path, self->county.keys, self->day [1] - 1, 3) == 0;
    if (!self->keep)
        fgb_remove_db (path);
    free (path);
    return ok ? 0 : -1;
}

static double
s_last (const fgb_figure_t *figure)
{
    return figure->count ? figure->runs [figure->count - 1] : 0;
}

static void
s_notes (s_county_t *self, const s_seen_t *seen, double build_seconds)
{
    size_t township_cadres = self->cadres - self->leading - self->bureau_staff;
    fgb_note ("plan instance: %zu households in %zu villages of %d townships (%zu needy or demonstration), "
              "%zu cadres (%zu township, %zu in %d county bureaus, %zu leading; %zu of them eligible nowhere), "
              "%zu work units, %zu must-visit triggers; the townships wrote %zu entries, synced up; built in %.1f s (not measured)",
              self->households, self->villages, S_TOWNSHIPS, self->focus, self->cadres, township_cadres,
              self->bureau_staff, S_BUREAUS, self->leading, self->nowhere, self->units, self->triggers, self->entries,
              build_seconds);
    fgb_note ("plan first: %zu pairs in %zu components, %zu augmenting paths, %zu min-load moves, %zu swaps, "
              "%zu cadres left below min; published as %zu pairing rows in %zu entries (plan, township "
              "slices of <= 200 rows, directive)", seen->first.pairs, seen->first.components,
              seen->first.paths, seen->first.moves, seen->first.swaps, seen->first.underloaded,
              seen->first.rows_added, seen->first.entries);
    fgb_note ("plan rerun: %zu of %zu township cadres retired, holding %lld households: %zu pairs changed, "
              "%zu rows ended, %zu added, %zu entries, %zu augmenting paths, %zu min-load moves, %zu swaps; "
              "nothing changed: 0 changed, 0 ended", seen->retired, township_cadres, (long long) seen->load,
              seen->rerun.changed, seen->rerun.rows_ended, seen->rerun.rows_added, seen->rerun.entries,
              seen->rerun.paths, seen->rerun.moves, seen->rerun.swaps);
    const size_t *histograms [3] = { seen->first.loads, seen->rerun.loads, seen->flat };
    char loads [3][200];
    for (size_t r = 0; r < 3; r++)
        for (size_t l = 0, used = 0; l < FG_PLAN_LOAD_BINS; l++)
            used += (size_t) snprintf (loads [r] + used, sizeof loads [r] - used, l ? " %zu" : "%zu",
                                       histograms [r][l]);
    fgb_note ("plan loads: cadres holding 0, 1, .. 9, 10+ households: first plan %s; rerun %s; "
              "first plan with balance off (fugai plan run --no-balance) %s", loads [0], loads [1], loads [2]);
    fgb_note ("plan runs: each in a fresh copy of the county's replica (SQLite backup), opened cold; the rerun "
              "is a year after the first plan");
}

int
fgb_bench_plan (const char *dir, size_t households, size_t cadres, size_t runs, bool keep)
{
    s_county_t self;
    memset (&self, 0, sizeof self);
    self.dir = dir;
    self.keep = keep;
    self.households = households;
    self.cadres = cadres ? cadres
                : (households * FGB_PLAN_CADRES + FGB_PLAN_HOUSEHOLDS / 2) / FGB_PLAN_HOUSEHOLDS;
    self.leading = self.cadres / 50 > 2 ? self.cadres / 50 : 2;
    self.bureau_staff = self.cadres / 5;
    self.rng.state = S_SEED;
    size_t township_cadres = self.cadres - self.leading - self.bureau_staff;
    //  The smallest township's own cadres must hold 1.2 times the largest
    //  township's households, so that no plan leaves a deficit
    if (self.cadres <= self.leading + self.bureau_staff
    ||  township_cadres / S_TOWNSHIPS * S_CAP_TOWNSHIP * 10 < s_share (households, 0) * 12) {
        fgb_problem ("plan: %zu cadres are too few for %zu households", self.cadres, households);
        return -1;
    }
    if (fg_date_parse ("2027-07-01", &self.day [0]) || fg_date_parse ("2028-07-01", &self.day [1]))
        return -1;
    self.homes = (s_member_t *) calloc (households, sizeof *self.homes);
    self.staff = (s_member_t *) calloc (township_cadres, sizeof *self.staff);
    assert (self.homes && self.staff);
    fg_mkdir_p (dir, 0700);
    fgb_figure_t *f [F_COUNT];
    s_figures (f, households, self.cadres);

    fgb_progress ("plan: building a county of %zu households and %zu cadres", households, self.cadres);
    double start = fgb_now ();
    int rc = s_county_build (&self);
    double build_seconds = fgb_now () - start;
    s_seen_t seen;
    memset (&seen, 0, sizeof seen);
    for (size_t r = 0; rc == 0 && r < runs; r++) {
        rc = s_run (&self, r, f, &seen);
        if (rc == 0)
            fgb_progress ("plan %zu/%zu: first %.0f ms, published %.0f ms; rerun %.0f ms, published %.0f ms; "
                          "nothing changed %.0f ms", r + 1, runs, s_last (f [F_FIRST]), s_last (f [F_PUBLISH]),
                          s_last (f [F_RERUN]), s_last (f [F_REPUBLISH]), s_last (f [F_NOOP]));
    }
    if (rc == 0)
        s_notes (&self, &seen, build_seconds);
    fg_testkit_node_destroy (&self.county);
    free (self.homes);
    free (self.staff);
    if (!keep)
        fg_testkit_rmdir (dir);
    return rc;
}
