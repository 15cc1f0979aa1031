/*  fg_pairing_review.c - a computed plan as the county office reviews it
    before publishing (fg_pairing.h): what it changes, counted by township
    and by village, and the list of its pairs with names. Each household
    of the plan's inputs or of P_prev is in exactly one of
        kept     its pair of P_prev stays (same cadre)
        changed  its pair of P_prev ends and it gets another cadre
        added    it had no pair and gets one
        ended    its pair ends and it gets none (household inactive,
                 or no cadre left with room: then it is also unpaired)
        unpaired it had no pair and gets none (the coverage deficit)
    so the counts of a village add up to its households. */
#include "fg_pairing.h"
#include "fg_org.h"
#include "fg_util.h"

typedef struct {
    uint64_t village;
    size_t   kept, changed, added, ended, unpaired;
} s_unit_t;

//  The unit (village, or its township) of a household, found or added
static s_unit_t *
s_unit (zhashx_t *units, uint64_t village)
{
    char key [24];
    snprintf (key, sizeof key, "%llu", (unsigned long long) village);
    s_unit_t *unit = (s_unit_t *) zhashx_lookup (units, key);
    if (!unit) {
        unit = (s_unit_t *) zmalloc (sizeof (s_unit_t));
        assert (unit);
        unit->village = village;
        zhashx_insert (units, key, unit);
    }
    return unit;
}

static void
s_unit_free (void **item_p)
{
    free (*item_p);
    *item_p = NULL;
}

static int
s_compare (const void *a, const void *b)
{
    const s_unit_t *x = *(const s_unit_t *const *) a, *y = *(const s_unit_t *const *) b;
    return x->village < y->village ? -1 : x->village > y->village;
}

//  Index of household in the sorted ended pairs, or -1
static ssize_t
s_ended_of (const fg_plan_result_t *result, uint64_t household)
{
    size_t low = 0, high = result->ended_count;
    while (low < high) {
        size_t mid = (low + high) / 2;
        if (result->ended [mid].household < household)
            low = mid + 1;
        else
            high = mid;
    }
    return low < result->ended_count && result->ended [low].household == household ? (ssize_t) low : -1;
}

static bool
s_paired (const fg_plan_result_t *result, uint64_t household)
{
    size_t low = 0, high = result->pair_count;
    while (low < high) {
        size_t mid = (low + high) / 2;
        if (result->pairs [mid].household < household)
            low = mid + 1;
        else
            high = mid;
    }
    return low < result->pair_count && result->pairs [low].household == household;
}

static void
s_name (sqlite3_stmt *stmt, uint64_t id, char *out, size_t size)
{
    snprintf (out, size, "%llu", (unsigned long long) id);
    sqlite3_reset (stmt);
    sqlite3_bind_int64 (stmt, 1, (int64_t) id);
    if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
        snprintf (out, size, "%s", (const char *) sqlite3_column_text (stmt, 0));
}

static void
s_number (fg_rows_t *rows, size_t value)
{
    char text [24];
    snprintf (text, sizeof text, "%zu", value);
    fg_rows_value (rows, text, true);
}

fg_rows_t *
fg_pairing_review_units (fg_pairing_t *plan, fg_replica_t *replica, int level,
                         char *errbuf, size_t errsize)
{
    if (level != 3 && level != 4) {
        fg_errf (errbuf, errsize, "a plan is reviewed by township (3) or village (4), not by level %d", level);
        return NULL;
    }
    sqlite3_stmt *names = NULL;
    sqlite3 *db = fg_replica_db (replica);
    if (sqlite3_prepare_v2 (db, "SELECT name_zh FROM org_unit WHERE id = ?", -1, &names, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
        return NULL;
    }
    const fg_plan_result_t *result = fg_pairing_result (plan);
    zhashx_t *units = zhashx_new ();
    zhashx_set_destructor (units, s_unit_free);
    //  A village code's township: its first 9 digits
    #define S_AT(household) (level == 4 ? fg_pairing_village (plan, household) \
                                        : fg_pairing_village (plan, household) / 1000)
    for (size_t i = 0; i < result->pair_count; i++) {
        uint64_t household = result->pairs [i].household;
        s_unit_t *unit = s_unit (units, S_AT (household));
        if (result->kept [i])
            unit->kept++;
        else
        if (s_ended_of (result, household) >= 0)
            unit->changed++;
        else
            unit->added++;
    }
    for (size_t i = 0; i < result->ended_count; i++)
        if (!s_paired (result, result->ended [i].household)
        &&  (i == 0 || result->ended [i - 1].household != result->ended [i].household))
            s_unit (units, S_AT (result->ended [i].household))->ended++;
    for (size_t i = 0; i < result->deficit_count; i++)
        if (s_ended_of (result, result->deficit [i]) < 0)
            s_unit (units, S_AT (result->deficit [i]))->unpaired++;
    #undef S_AT

    size_t count = zhashx_size (units), n = 0;
    s_unit_t **sorted = (s_unit_t **) calloc (count ? count : 1, sizeof (s_unit_t *));
    assert (sorted);
    for (s_unit_t *unit = (s_unit_t *) zhashx_first (units); unit; unit = (s_unit_t *) zhashx_next (units))
        sorted [n++] = unit;
    qsort (sorted, count, sizeof (s_unit_t *), s_compare);

    fg_rows_t *rows = fg_rows_new ();
    static const char *const s_columns [][3] = {
        { "code", "代码", "code" }, { "name", "名称", "name" }, { "kept", "保持", "kept" },
        { "changed", "换人", "changed" }, { "added", "新增", "added" },
        { "ended", "结束", "ended" }, { "unpaired", "未结对", "unpaired" }
    };
    for (size_t c = 0; c < sizeof s_columns / sizeof s_columns [0]; c++) {
        fg_rows_column (rows, s_columns [c][0]);
        char key [64];
        snprintf (key, sizeof key, "label.zh.%s", s_columns [c][0]);
        fg_rows_meta_set (rows, key, s_columns [c][1]);
        snprintf (key, sizeof key, "label.en.%s", s_columns [c][0]);
        fg_rows_meta_set (rows, key, s_columns [c][2]);
    }
    fg_rows_meta_set (rows, "total_row", "1");
    fg_rows_meta_set (rows, "chart", "name:kept,changed,added,ended,unpaired");
    fg_rows_meta_set (rows, "chart.title.zh", level == 3 ? "各乡镇结对变化" : "各村结对变化");
    fg_rows_meta_set (rows, "chart.title.en", level == 3 ? "Changes by township" : "Changes by village");
    s_unit_t total = { 0 };
    for (size_t i = 0; i < count; i++) {
        s_unit_t *unit = sorted [i];
        char code [24], name [FG_NAME_MAX + 1];
        if (unit->village)
            snprintf (code, sizeof code, "%llu", (unsigned long long) unit->village);
        else
            snprintf (code, sizeof code, "?");
        s_name (names, unit->village, name, sizeof name);
        fg_rows_value (rows, code, false);
        fg_rows_value (rows, unit->village ? name : "?", false);
        s_number (rows, unit->kept);
        s_number (rows, unit->changed);
        s_number (rows, unit->added);
        s_number (rows, unit->ended);
        s_number (rows, unit->unpaired);
        fg_rows_row_end (rows);
        total.kept += unit->kept;
        total.changed += unit->changed;
        total.added += unit->added;
        total.ended += unit->ended;
        total.unpaired += unit->unpaired;
    }
    fg_rows_null (rows);
    fg_rows_value (rows, "", false);
    s_number (rows, total.kept);
    s_number (rows, total.changed);
    s_number (rows, total.added);
    s_number (rows, total.ended);
    s_number (rows, total.unpaired);
    fg_rows_row_end (rows);
    free (sorted);
    zhashx_destroy (&units);
    sqlite3_finalize (names);
    return rows;
}

fg_rows_t *
fg_pairing_review_pairs (fg_pairing_t *plan, fg_replica_t *replica, bool with_kept, size_t max,
                         char *errbuf, size_t errsize)
{
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *household = NULL, *cadre = NULL, *village = NULL;
    if (sqlite3_prepare_v2 (db, "SELECT head_name FROM household WHERE id = ?", -1, &household, NULL) != SQLITE_OK
    ||  sqlite3_prepare_v2 (db, "SELECT coalesce ((SELECT name FROM cadre WHERE id = ?1), "
                                "(SELECT cadre_name FROM pairing WHERE cadre_id = ?1 AND cadre_name IS NOT NULL LIMIT 1))",
                            -1, &cadre, NULL) != SQLITE_OK
    ||  sqlite3_prepare_v2 (db, "SELECT name_zh FROM org_unit WHERE id = ?", -1, &village, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
        sqlite3_finalize (household);
        sqlite3_finalize (cadre);
        sqlite3_finalize (village);
        return NULL;
    }
    const fg_plan_result_t *result = fg_pairing_result (plan);
    fg_rows_t *rows = fg_rows_new ();
    static const char *const s_columns [][3] = {
        { "village", "村", "village" }, { "household_id", "农户编号", "household" },
        { "head_name", "户主", "head" }, { "change", "变化", "change" },
        { "cadre", "结对干部（方案）", "cadre (plan)" }, { "form", "结对方式", "form" },
        { "previous_cadre", "原结对干部", "previous cadre" }, { "end_reason", "结束原因", "why ended" }
    };
    for (size_t c = 0; c < sizeof s_columns / sizeof s_columns [0]; c++) {
        fg_rows_column (rows, s_columns [c][0]);
        char key [64];
        snprintf (key, sizeof key, "label.zh.%s", s_columns [c][0]);
        fg_rows_meta_set (rows, key, s_columns [c][1]);
        snprintf (key, sizeof key, "label.en.%s", s_columns [c][0]);
        fg_rows_meta_set (rows, key, s_columns [c][2]);
    }
    static const char *const s_values [][3] = {
        { "kept", "保持", "kept" }, { "changed", "换人", "changed" }, { "added", "新增", "added" },
        { "ended", "结束", "ended" }, { "unpaired", "无干部可结对", "left unpaired" },
        { "territorial", "属地结对", "territorial" }, { "counterpart", "对口联系", "counterpart" },
        { "org_deployment", "组织选派", "org deployment" }, { "cadre_relative", "干部亲属", "cadre's relative" },
        { "household_inactive", "农户已不在册", "household inactive" }, { "cadre_retired", "干部已离岗", "cadre gone" },
        { "duplicate", "重复结对", "duplicate" }, { "manual", "人工指定", "manual" },
        { "form_invalid", "结对方式不再成立", "form no longer valid" }
    };
    fg_rows_meta_set (rows, "value_labels", "1");
    for (size_t v = 0; v < sizeof s_values / sizeof s_values [0]; v++) {
        char key [64];
        snprintf (key, sizeof key, "value.zh.%s", s_values [v][0]);
        fg_rows_meta_set (rows, key, s_values [v][1]);
        snprintf (key, sizeof key, "value.en.%s", s_values [v][0]);
        fg_rows_meta_set (rows, key, s_values [v][2]);
    }
    //  One row per household: the plan's pairs (kept ones if asked), then
    //  the ended pairs not replaced, then the households left unpaired
    size_t total = result->pair_count + result->ended_count + result->deficit_count, shown = 0;
    for (size_t k = 0; k < total && shown < max; k++) {
        uint64_t id, to = 0, from = 0;
        const char *change, *form = NULL, *reason = NULL;
        if (k < result->pair_count) {
            id = result->pairs [k].household;
            to = result->pairs [k].cadre;
            form = fg_plan_form_name (result->pairs [k].form);
            ssize_t ended = s_ended_of (result, id);
            if (result->kept [k]) {
                if (!with_kept)
                    continue;
                change = "kept";
            }
            else
            if (ended >= 0) {
                change = "changed";
                from = result->ended [ended].cadre;
                reason = result->end_reasons [ended];
            }
            else
                change = "added";
        }
        else
        if (k < result->pair_count + result->ended_count) {
            size_t e = k - result->pair_count;
            id = result->ended [e].household;
            if (s_paired (result, id) || (e && result->ended [e - 1].household == id))
                continue;
            change = "ended";
            from = result->ended [e].cadre;
            reason = result->end_reasons [e];
        }
        else {
            id = result->deficit [k - result->pair_count - result->ended_count];
            if (s_ended_of (result, id) >= 0)
                continue;
            change = "unpaired";
        }
        char text [FG_NAME_MAX + 1], number [24];
        s_name (village, fg_pairing_village (plan, id), text, sizeof text);
        fg_rows_value (rows, text, false);
        snprintf (number, sizeof number, "%llu", (unsigned long long) id);
        fg_rows_value (rows, number, false);
        s_name (household, id, text, sizeof text);
        fg_rows_value (rows, text, false);
        fg_rows_value (rows, change, false);
        if (to) {
            s_name (cadre, to, text, sizeof text);
            fg_rows_value (rows, text, false);
        }
        else
            fg_rows_null (rows);
        if (form) fg_rows_value (rows, form, false); else fg_rows_null (rows);
        if (from) {
            s_name (cadre, from, text, sizeof text);
            fg_rows_value (rows, text, false);
        }
        else
            fg_rows_null (rows);
        if (reason) fg_rows_value (rows, reason, false); else fg_rows_null (rows);
        fg_rows_row_end (rows);
        shown++;
    }
    sqlite3_finalize (household);
    sqlite3_finalize (cadre);
    sqlite3_finalize (village);
    return rows;
}
