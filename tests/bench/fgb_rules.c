/*  fgb_rules.c - the rules part of fugai-bench's plan section (see
    fgb_rules.h). The visits are written with the programme's hooks minus
    on_ingest: the bench's year lies after today's real date, which the
    M3 check at the desk would refuse (a visit cannot be entered before
    it happens); the evaluation does not depend on the hooks. */
#include "fgb_rules.h"
#include "fgb_figure.h"
#include "fgb_proc.h"
#include "fg_programme.h"
#include "fg_record.h"
#include "fg_rules.h"
#include "fg_util.h"

static fg_replica_hooks_t s_hooks;

typedef struct {
    fg_replica_t *replica;
    fg_ops_t     *ops;
    size_t        rows;
    uint64_t      township;
    size_t        written;
    int           rc;
    char          err [512];
} s_out_t;

static void
s_flush (s_out_t *out)
{
    if (out->rc || !out->rows)
        return;
    fg_merge_result_t result;
    if (fg_replica_append (out->replica, out->ops, "bench", NULL, &result) || result.rejected) {
        snprintf (out->err, sizeof out->err, "%s (%zu rejected)", fg_replica_error (out->replica),
                  (size_t) result.rejected);
        out->rc = -1;
    }
    fg_ops_destroy (&out->ops);
    out->ops = fg_ops_new ();
    out->rows = 0;
}

static void
s_visit (s_out_t *out, const char *village, int64_t household, int64_t cadre, int64_t day,
         const char *category)
{
    uint64_t township = (uint64_t) strtoull (village, NULL, 10) / 1000;
    if (out->rows && (out->rows == 200 || township != out->township))
        s_flush (out);
    out->township = township;
    out->rows++;
    char h [24], c [24], d [16];
    snprintf (h, sizeof h, "%lld", (long long) household);
    snprintf (c, sizeof c, "%lld", (long long) cadre);
    fg_date_format (day, d);
    fg_kv_t fields [8] = {
        { "org_id", village }, { "cadre_id", c }, { "target_kind", "household" }, { "target_id", h },
        { "occurred_on", d }, { "in_person", "yes" }, { "kind", category ? "must_visit" : "pairing" },
        { "must_visit_category", category }
    };
    uint64_t id;
    if (out->rc == 0
    &&  fg_record_build_add (out->replica, out->ops, "visit", fields, category ? 8 : 7, &id, out->err,
                             sizeof out->err))
        out->rc = -1;
    out->written++;
}

static int
s_activity (const char *path, fg_keys_t *keys, int64_t last, size_t *visits_p)
{
    s_hooks = *fg_programme_hooks ();
    s_hooks.on_ingest = NULL;
    fg_replica_t *replica = fg_replica_open (path, &s_hooks);
    if (!replica) {
        fgb_problem ("rules: cannot open %s", path);
        return -1;
    }
    fg_replica_set_keys (replica, keys);
    s_out_t out = { .replica = replica, .ops = fg_ops_new () };
    if (fg_replica_begin (replica))
        out.rc = -1;
    int64_t first = last - 364;
    sqlite3_stmt *stmt = NULL;
    //  Routine visits: one a quarter, but for one pairing in ten
    if (out.rc == 0
    &&  sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT household_id, cadre_id, org_id FROM pairing WHERE coalesce (role, 'primary') = 'primary' "
            "AND (start_on IS NULL OR start_on <= ?1) AND (end_on IS NULL OR end_on > ?2) ORDER BY org_id, id",
            -1, &stmt, NULL) == SQLITE_OK) {
        sqlite3_bind_int64 (stmt, 1, first);
        sqlite3_bind_int64 (stmt, 2, last);
        size_t n = 0;
        while (out.rc == 0 && sqlite3_step (stmt) == SQLITE_ROW) {
            const char *village = (const char *) sqlite3_column_text (stmt, 2);
            for (int q = 0; q < 4; q++)
                if ((n++ % 10) != 3)
                    s_visit (&out, village, sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                             first + 20 + q * 91 + (int64_t) (n % 50), NULL);
        }
    }
    sqlite3_finalize (stmt);
    stmt = NULL;
    //  Must-visits: four in five answered within the window, by the
    //  household's cadre
    if (out.rc == 0
    &&  sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT t.household_id, p.cadre_id, t.org_id, t.occurred_on, t.category FROM must_visit_trigger t "
            "JOIN pairing p ON p.household_id = t.household_id AND p.end_on IS NULL ORDER BY t.org_id, t.id",
            -1, &stmt, NULL) == SQLITE_OK) {
        size_t n = 0;
        while (out.rc == 0 && sqlite3_step (stmt) == SQLITE_ROW)
            if ((n++ % 5) != 2)
                s_visit (&out, (const char *) sqlite3_column_text (stmt, 2), sqlite3_column_int64 (stmt, 0),
                         sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 3) + 1,
                         (const char *) sqlite3_column_text (stmt, 4));
    }
    sqlite3_finalize (stmt);
    s_flush (&out);
    if (out.rc == 0 && fg_replica_commit (replica))
        out.rc = -1;
    if (out.rc) {
        fg_replica_rollback (replica);
        fgb_problem ("rules: cannot write the visits: %s", *out.err ? out.err : fg_replica_error (replica));
    }
    fg_ops_destroy (&out.ops);
    fg_replica_destroy (&replica);
    *visits_p = out.written;
    return out.rc;
}

int
fgb_bench_rules (const char *path, fg_keys_t *keys, int64_t last, size_t runs)
{
    size_t visits = 0;
    if (s_activity (path, keys, last, &visits))
        return -1;
    fgb_figure_t *all = fgb_figure ("plan", "rules_county", "ms", false,
                                    "every implemented rule over the county as of a year of activity (cold open)");
    size_t count;
    const fg_rule_t *rules = fg_rules_registry (&count);
    fgb_figure_t *each [64];
    size_t implemented = 0;
    for (size_t i = 0; i < count && implemented < 64; i++)
        if (rules [i].fn) {
            char key [32];
            snprintf (key, sizeof key, "rules_%s", rules [i].id);
            each [implemented++] = fgb_figure ("plan", key, "ms", false, "  %s: %s", rules [i].id, rules [i].title);
        }
    size_t found [3] = { 0 };
    for (size_t r = 0; r < runs; r++) {
        fg_replica_t *replica = fg_replica_open (path, fg_programme_hooks ());
        if (!replica) {
            fgb_problem ("rules: cannot open %s", path);
            return -1;
        }
        char err [512];
        double start = fgb_now ();
        fg_findings_t *findings = fg_rules_evaluate (replica, NULL, NULL, last, err, sizeof err);
        fgb_figure_add (all, (fgb_now () - start) * 1000);
        if (!findings) {
            fgb_problem ("rules: %s", err);
            fg_replica_destroy (&replica);
            return -1;
        }
        found [0] = fg_findings_count (findings);
        found [1] = fg_findings_count_state (findings, FG_FINDING_VIOLATED);
        found [2] = fg_findings_count_state (findings, FG_FINDING_PENDING);
        fg_findings_destroy (&findings);
        for (size_t i = 0, k = 0; i < count; i++)
            if (rules [i].fn) {
                start = fgb_now ();
                findings = fg_rules_evaluate (replica, rules [i].id, NULL, last, err, sizeof err);
                fgb_figure_add (each [k++], (fgb_now () - start) * 1000);
                fg_findings_destroy (&findings);
            }
        fg_replica_destroy (&replica);
    }
    char day [16];
    fg_date_format (last, day);
    fgb_note ("plan rules: %zu visits written for the year to %s (one a quarter per pairing but 1 in 10, "
              "4 in 5 must-visit triggers answered); %zu rules implemented of %zu; %zu findings (%zu violated, "
              "%zu pending sync: the bench's year lies after the real clock, so the townships' logs are "
              "known only to now)", visits, day, implemented, count, found [0], found [1], found [2]);
    return 0;
}
