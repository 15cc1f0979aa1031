/*  fg_oversight_test.c - self-test `oversight`: what the console's
    county and prefecture pages ask of the domain and the render layer,
    over a prefecture, a county and a township with real keys and replicas
    (fg_testkit): the households of a village (fg_household_of_org), the
    names of units (fg_org_unit_name), where a directive may be aimed
    (fg_directive_targets), a plan's review by township and village and
    its list (fg_pairing_review_*: kept, changed, added, ended, unpaired
    add up to the households), and a report drawn as a page's fragment
    (FG_RENDER_FRAGMENT: no page frame, values labelled, text escaped). */
#include "fg_selftests.h"
#include "fg_household.h"
#include "fg_directive.h"
#include "fg_pairing.h"
#include "fg_report.h"
#include "fg_render.h"
#include "fg_record.h"
#include "fg_testkit.h"
#include "fg_util.h"

static void
s_sync (fg_testnode_t *pref, fg_testnode_t *county, fg_testnode_t *town)
{
    for (int round = 0; round < 2; round++) {
        assert (fg_testkit_sync (town, county, true).quarantined == 0);
        assert (fg_testkit_sync (county, pref, true).quarantined == 0);
        assert (fg_testkit_sync (pref, county, false).quarantined == 0);
        assert (fg_testkit_sync (county, town, false).quarantined == 0);
    }
}

//  The review's units: (kept, changed, added, ended, unpaired) of row 0,
//  and the total row equal to it (one unit)
static void
s_expect_units (fg_pairing_t *plan, fg_testnode_t *county, int level, const char *code, const char *name,
                const char *kept, const char *changed, const char *added, const char *ended)
{
    char err [512];
    fg_rows_t *rows = fg_pairing_review_units (plan, county->replica, level, err, sizeof err);
    assert (rows);
    assert (fg_rows_count (rows) == 2);
    assert (streq (fg_rows_meta (rows, "total_row"), "1"));
    assert (streq (fg_testkit_cell (rows, 0, "code"), code));
    assert (streq (fg_testkit_cell (rows, 0, "name"), name));
    const char *expected [] = { kept, changed, added, ended, "0" };
    const char *columns [] = { "kept", "changed", "added", "ended", "unpaired" };
    for (size_t i = 0; i < 5; i++) {
        if (!streq (fg_testkit_cell (rows, 0, columns [i]), expected [i]))
            fprintf (stderr, "level %d %s: %s, expected %s\n", level, columns [i], fg_testkit_cell (rows, 0, columns [i]),
                     expected [i]);
        assert (streq (fg_testkit_cell (rows, 0, columns [i]), expected [i]));
        assert (streq (fg_testkit_cell (rows, 1, columns [i]), expected [i]));
    }
    fg_rows_destroy (&rows);
}

void
fg_oversight_test (bool verbose)
{
    printf (" * fg_oversight: ");
    char *dir = fg_testkit_dir ("fg_oversight_test");
    fg_testnode_t pref, county, town;
    fg_testkit_chain (dir, &pref, &county, &town, "county node", "town node");
    char err [512], f1 [64], f2 [64];
    int64_t today = fg_now_ms () / 86400000;

    //  Names: the node's own before the registry has any, then the registry's
    char name [FG_NAME_MAX + 1];
    fg_org_unit_name (county.replica, "513328", name, sizeof name);
    assert (streq (name, "county node"));
    fg_org_unit_name (county.replica, "513328999", name, sizeof name);
    assert (streq (name, "513328999"));
    //  Where the prefecture may aim a directive before the registry: its
    //  subtree, the county it enrolled
    fg_rows_t *rows = fg_directive_targets (pref.replica, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 2);
    assert (streq (fg_testkit_cell (rows, 0, "code"), "513300") && streq (fg_testkit_cell (rows, 1, "code"), "513328"));
    assert (streq (fg_testkit_cell (rows, 1, "name"), "county node") && streq (fg_testkit_cell (rows, 1, "node"), "128"));
    fg_rows_destroy (&rows);

    fg_testkit_add (&pref, "org_unit", "id=513328", "name_zh=甘孜县", "level=2", NULL);
    fg_testkit_add (&pref, "org_unit", "id=513328100", "name_zh=呷拉乡", "level=3", NULL);
    fg_testkit_add (&pref, "org_unit", "id=513328103", "name_zh=<b>色西底乡</b>", "level=3", NULL);
    fg_testkit_add (&pref, "org_unit", "id=513328100201", "name_zh=一村", "level=4", NULL);
    fg_testkit_add (&pref, "org_unit", "id=513329", "name_zh=别的县", "level=2", NULL);
    s_sync (&pref, &county, &town);
    fg_org_unit_name (county.replica, "513328100", name, sizeof name);
    assert (streq (name, "呷拉乡"));
    //  The registry's townships are targets too, even one whose node is
    //  not known; another county's are not
    rows = fg_directive_targets (county.replica, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 3);
    assert (streq (fg_testkit_cell (rows, 0, "code"), "513328") && streq (fg_testkit_cell (rows, 0, "name"), "甘孜县"));
    assert (streq (fg_testkit_cell (rows, 1, "code"), "513328100") && streq (fg_testkit_cell (rows, 1, "name"), "呷拉乡"));
    assert (streq (fg_testkit_cell (rows, 1, "node"), "28100") && streq (fg_testkit_cell (rows, 1, "tier"), "township"));
    assert (streq (fg_testkit_cell (rows, 2, "code"), "513328103") && streq (fg_testkit_cell (rows, 2, "node"), ""));
    fg_rows_destroy (&rows);
    rows = fg_directive_targets (town.replica, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 1 && streq (fg_testkit_cell (rows, 0, "code"), "513328100"));
    fg_rows_destroy (&rows);
    //  The org picker's units: the county first, then its registered
    //  units by code down to the village; another county's not; a limit
    rows = fg_org_units_under (county.replica, "513328", 4, 100, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 4);
    assert (streq (fg_testkit_cell (rows, 0, "code"), "513328") && streq (fg_testkit_cell (rows, 0, "name"), "甘孜县"));
    assert (streq (fg_testkit_cell (rows, 1, "code"), "513328100") && streq (fg_testkit_cell (rows, 2, "code"), "513328100201"));
    assert (streq (fg_testkit_cell (rows, 2, "name"), "一村") && streq (fg_testkit_cell (rows, 2, "level"), "4"));
    assert (streq (fg_testkit_cell (rows, 3, "name"), "<b>色西底乡</b>"));
    fg_rows_destroy (&rows);
    rows = fg_org_units_under (county.replica, "513328", 4, 2, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 2);
    fg_rows_destroy (&rows);
    //  Down to the townships only: the village left out
    rows = fg_org_units_under (county.replica, "513328", 3, 100, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 3 && streq (fg_testkit_cell (rows, 2, "code"), "513328103"));
    fg_rows_destroy (&rows);
    //  The prefecture's: its counties (another one's too) and townships
    rows = fg_org_units_under (pref.replica, "513300", 3, 100, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 5);
    assert (streq (fg_testkit_cell (rows, 1, "code"), "513328") && streq (fg_testkit_cell (rows, 4, "code"), "513329"));
    fg_rows_destroy (&rows);
    assert (!fg_org_units_under (county.replica, "51", 4, 100, err, sizeof err) && strstr (err, "not an org code"));

    //  A village's households, their pairs and visits
    uint64_t h1 = fg_testkit_household (&town, "513328100201", "扎西");
    uint64_t h2 = fg_testkit_household (&town, "513328100201", "卓玛");
    uint64_t h3 = fg_testkit_household (&town, "513328100201", "次仁");
    fg_testkit_household (&town, "513328100202", "格桑");
    s_sync (&pref, &county, &town);
    uint64_t k1 = fg_testkit_add (&county, "cadre", "org_id=513328100", "name=干部甲", "phone=13800000001", NULL);
    uint64_t k2 = fg_testkit_add (&county, "cadre", "org_id=513328100", "name=干部乙", "phone=13800000002", NULL);
    fg_testkit_add (&county, "pairing", "org_id=513328100201", (sprintf (f1, "cadre_id=%llu", (unsigned long long) k1), f1),
           (sprintf (f2, "household_id=%llu", (unsigned long long) h1), f2), NULL);
    s_sync (&pref, &county, &town);
    fg_testkit_add (&town, "visit", "org_id=513328100201", (sprintf (f1, "cadre_id=%llu", (unsigned long long) k1), f1),
           "target_kind=household", (sprintf (f2, "target_id=%llu", (unsigned long long) h1), f2),
           "kind=pairing", "occurred_on=2026-11-02", NULL);
    s_sync (&pref, &county, &town);
    rows = fg_household_of_org (pref.replica, "513328100201", today, 100, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 3);
    for (size_t r = 0; r < 3; r++) {
        bool first = strtoull (fg_testkit_cell (rows, r, "id"), NULL, 10) == h1;
        assert (streq (fg_testkit_cell (rows, r, "paired"), first ? "yes" : "no"));
        assert (streq (fg_testkit_cell (rows, r, "cadre"), first ? "干部甲" : ""));
        assert (streq (fg_testkit_cell (rows, r, "visits"), first ? "1" : "0"));
        assert (streq (fg_testkit_cell (rows, r, "last_visit"), first ? "2026-11-02" : ""));
    }
    fg_rows_destroy (&rows);
    rows = fg_household_of_org (county.replica, "513328100", today, 2, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 2);           //  the limit
    fg_rows_destroy (&rows);
    assert (fg_household_of_org (county.replica, "51332", today, 2, err, sizeof err) == NULL);
    assert (strstr (err, "not an org code"));

    //  The plan's review: h1 kept, the other three added
    fg_pairing_opts_t opts;
    fg_pairing_opts_default (&opts, 513328, today);
    fg_pairing_t *plan = fg_pairing_compute (county.replica, &opts, err, sizeof err);
    assert (plan);
    s_expect_units (plan, &county, 3, "513328100", "呷拉乡", "1", "0", "3", "0");
    assert (fg_pairing_review_units (plan, county.replica, 5, err, sizeof err) == NULL);
    rows = fg_pairing_review_units (plan, county.replica, 4, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 3);           //  two villages and the total
    assert (streq (fg_testkit_cell (rows, 0, "name"), "一村") && streq (fg_testkit_cell (rows, 0, "added"), "2"));
    assert (streq (fg_testkit_cell (rows, 1, "code"), "513328100202") && streq (fg_testkit_cell (rows, 1, "added"), "1"));
    fg_rows_destroy (&rows);
    rows = fg_pairing_review_pairs (plan, county.replica, false, 100, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 3);
    for (size_t r = 0; r < 3; r++) {
        assert (streq (fg_testkit_cell (rows, r, "change"), "added"));
        assert (strtoull (fg_testkit_cell (rows, r, "household_id"), NULL, 10) != h1);
        assert (streq (fg_testkit_cell (rows, r, "cadre"), "干部甲") || streq (fg_testkit_cell (rows, r, "cadre"), "干部乙"));
    }
    assert (streq (fg_rows_meta (rows, "value.zh.added"), "新增"));
    fg_rows_destroy (&rows);
    rows = fg_pairing_review_pairs (plan, county.replica, true, 100, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 4);
    fg_rows_destroy (&rows);
    rows = fg_pairing_review_pairs (plan, county.replica, true, 2, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 2);
    fg_rows_destroy (&rows);
    fg_pairing_destroy (&plan);

    //  The first cadre leaves: h1 changes cadre, the others are still added
    sprintf (f1, "%llu", (unsigned long long) k1);
    char retired [] = "status=retired";
    fg_kv_t field;
    assert (fg_kv_parse (retired, &field) == 0);
    assert (fg_record_set (county.replica, "cadre", k1, &field, 1, "test", NULL, err, sizeof err) == 0);
    plan = fg_pairing_compute (county.replica, &opts, err, sizeof err);
    assert (plan);
    s_expect_units (plan, &county, 3, "513328100", "呷拉乡", "0", "1", "3", "0");
    rows = fg_pairing_review_pairs (plan, county.replica, false, 100, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 4);
    size_t changed = 0;
    for (size_t r = 0; r < 4; r++)
        if (streq (fg_testkit_cell (rows, r, "change"), "changed")) {
            changed++;
            assert (strtoull (fg_testkit_cell (rows, r, "household_id"), NULL, 10) == h1);
            assert (streq (fg_testkit_cell (rows, r, "previous_cadre"), "干部甲"));
            assert (streq (fg_testkit_cell (rows, r, "cadre"), "干部乙"));
            assert (streq (fg_testkit_cell (rows, r, "end_reason"), "cadre_retired"));
        }
    assert (changed == 1);
    fg_rows_destroy (&rows);
    fg_pairing_destroy (&plan);
    (void) h2;
    (void) h3;
    (void) k2;

    //  A report as a page's fragment: a directive whose title is markup,
    //  acknowledged applied by the township
    uint64_t directive = fg_testkit_add (&county, "directive", "org_id=513328100", "title=<script>x</script>", NULL);
    s_sync (&pref, &county, &town);
    assert (fg_directive_ack (town.replica, directive, "applied", NULL, NULL, "clerk", err, sizeof err) == 0);
    s_sync (&pref, &county, &town);
    fg_report_args_t args;
    memset (&args, 0, sizeof args);
    args.from_day = 1;
    args.to_day = today + 1;
    args.period = "all";
    fg_report_t *report = fg_report_new (county.replica, "directives", &args, err, sizeof err);
    assert (report);
    for (int lang = 0; lang < 2; lang++) {
        char *html = NULL;
        size_t size = 0;
        FILE *file = open_memstream (&html, &size);
        fg_render_report (fg_report_sections (report), fg_report_count (report), FG_FORMAT_HTML,
                          lang ? "en" : "zh", FG_RENDER_FRAGMENT, file);
        fclose (file);
        assert (strncmp (html, "<div class=\"report\">", 20) == 0);
        assert (!strstr (html, "<!DOCTYPE") && !strstr (html, "<style") && !strstr (html, "<script"));
        assert (strstr (html, "&lt;script&gt;x&lt;/script&gt;"));
        assert (strstr (html, "<td>呷拉乡</td>"));
        assert (strstr (html, lang ? "<td>applied</td>" : "<td>已执行</td>"));
        assert (strstr (html, "id=\"directives-targets\""));
        assert (strstr (html, "<svg"));
        free (html);
    }
    //  The data formats keep the value itself
    char *json = NULL;
    size_t size = 0;
    FILE *file = open_memstream (&json, &size);
    fg_render_report (fg_report_sections (report), fg_report_count (report), FG_FORMAT_CSV, "zh", 0, file);
    fclose (file);
    assert (strstr (json, ",applied,") && !strstr (json, "已执行"));
    free (json);
    fg_report_destroy (&report);
    //  The coverage report asked for its units alone leaves the cadres out
    memset (&args, 0, sizeof args);
    args.org = "513328";
    args.section = "coverage";
    report = fg_report_new (county.replica, "coverage", &args, err, sizeof err);
    assert (report && fg_report_count (report) == 1);
    fg_report_destroy (&report);
    args.section = NULL;
    report = fg_report_new (county.replica, "coverage", &args, err, sizeof err);
    assert (report && fg_report_count (report) == 3);         //  units, months, cadres
    fg_report_destroy (&report);

    fg_testkit_chain_end (&dir, &pref, &county, &town);
    printf ("OK\n");
}
