/*  fg_plan_scale_test.c - the county-scale figure of `fugai-selftest -v
    plan`: a county of 18 townships x 8 villages, about 11,500 households
    and 2,700 cadres (county cadres at the seat with a counterpart
    township, township cadres, a few prefecture cadres deployed), a random
    previous plan, then 10 % of the cadres replaced; then the first plan
    of the same county (no previous plan). Times, and what each plan looks
    like: cadres by load, cadres by distinct villages (P5), and the widest
    load gap between two of a township's own (territorial) cadres, with
    level 5 of the objective (balance) on and off. Figures, not
    assertions, but for the rerun on itself. Self-test code only. */
#include "fg_selftests.h"
#include "fg_plan_ref.h"

static void
s_scale_cadre (fg_plan_ref_inst_t *inst, uint64_t *rng, uint64_t id, size_t towns)
{
    size_t roll = fg_plan_ref_below (rng, 100);
    bool leading = fg_plan_ref_below (rng, 10) == 0;
    fg_plan_cadre_t *cadre;
    size_t index = inst->cadre_count;
    if (roll < 35) {
        cadre = fg_plan_ref_inst_cadre (inst, id, S_TOWN (0), leading ? 6 : 8);
        inst->lists [8 * index] = S_TOWN (1 + fg_plan_ref_below (rng, towns - 1));
        cadre->counterpart_count = 1;
    }
    else
    if (roll < 37) {
        cadre = fg_plan_ref_inst_cadre (inst, id, 0, 6);
        inst->lists [8 * index + 4] = S_TOWN (fg_plan_ref_below (rng, towns));
        cadre->deployed_count = 1;
        leading = true;
    }
    else
        cadre = fg_plan_ref_inst_cadre (inst, id, S_TOWN (fg_plan_ref_below (rng, towns)), leading ? 6 : 8);
    cadre->leading = leading;
    cadre->min = 1;
}

static int
s_scale_u64_cmp (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y ? -1 : x > y;
}

//  Solve, time it, and print what the plan looks like. The caller frees
//  the result.
static void
s_scale_solve (const fg_plan_ref_inst_t *inst, const fg_plan_params_t *params, const char *what,
               fg_plan_result_t *result, size_t towns)
{
    int64_t start = zclock_usecs ();
    assert (fg_plan_ref_inst_solve (inst, params, result) == 0);
    int64_t usecs = zclock_usecs () - start;
    //  Cadre index of every pair (the ids are 500000 + c and 600000 + k,
    //  in no order after the churn: sort (id, index) once)
    size_t m = inst->cadre_count, n = result->pair_count;
    uint64_t *ids = (uint64_t *) malloc ((m + 1) * sizeof (uint64_t));
    uint64_t *keys = (uint64_t *) malloc ((n + 1) * sizeof (uint64_t));
    uint32_t *load = (uint32_t *) calloc (m + 1, sizeof (uint32_t));
    uint32_t *villages = (uint32_t *) calloc (m + 1, sizeof (uint32_t));
    assert (ids && keys && load && villages);
    for (size_t c = 0; c < m; c++)
        ids [c] = inst->cadres [c].id << 16 | c;
    qsort (ids, m, sizeof (uint64_t), s_scale_u64_cmp);
    for (size_t i = 0; i < n; i++) {
        size_t low = 0, high = m;
        while (low < high) {
            size_t mid = (low + high) / 2;
            if (ids [mid] >> 16 < result->pairs [i].cadre)
                low = mid + 1;
            else
                high = mid;
        }
        assert (low < m && ids [low] >> 16 == result->pairs [i].cadre);
        size_t c = ids [low] & 0xFFFF;
        const fg_plan_household_t *house = &inst->houses [result->pairs [i].household - 100000];
        keys [i] = (uint64_t) c << 32 | (house->village - S_VILLAGE (0, 0));
        load [c]++;
    }
    qsort (keys, n, sizeof (uint64_t), s_scale_u64_cmp);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || keys [i] != keys [i - 1])
            villages [keys [i] >> 32]++;
    size_t by_load [FG_PLAN_LOAD_BINS] = { 0 }, by_villages [4] = { 0 };
    for (size_t c = 0; c < m; c++) {
        by_load [load [c] < FG_PLAN_LOAD_BINS - 1 ? load [c] : FG_PLAN_LOAD_BINS - 1]++;
        by_villages [villages [c] < 3 ? villages [c] : 3]++;
    }
    //  The widest gap between two territorial cadres of one township
    uint32_t gap_max = 0, gap_sum = 0;
    for (size_t t = 0; t < towns; t++) {
        uint32_t low = UINT32_MAX, high = 0;
        for (size_t c = 0; c < m; c++)
            if (inst->cadres [c].home_township == S_TOWN (t)) {
                low = load [c] < low ? load [c] : low;
                high = load [c] > high ? load [c] : high;
            }
        if (high >= low) {
            gap_max = high - low > gap_max ? high - low : gap_max;
            gap_sum += high - low;
        }
    }
    printf ("\n   %s: %" PRId64 " ms, paths %zu, min-load moves %zu, swaps %zu, transfers %zu, changed %zu, deficit %zu"
            "\n     cadres by load 0 .. 10+:", what, usecs / 1000, result->paths, result->min_load_moves,
            result->swaps, result->transfers, result->changed, result->deficit_count);
    for (size_t l = 0; l < FG_PLAN_LOAD_BINS; l++)
        printf (" %zu", by_load [l]);
    printf ("; by villages held 1, 2, 3+: %zu %zu %zu; widest load gap among a township's own cadres:"
            " %" PRIu32 " (mean over townships %.1f)", by_villages [1], by_villages [2], by_villages [3],
            gap_max, (double) gap_sum / (double) towns);
    free (ids);
    free (keys);
    free (load);
    free (villages);
}

void
fg_plan_ref_test_scale (void)
{
    uint64_t rng = 20250701;
    size_t towns = 18, villages = 8, houses = 11500, cadres = 2700, churn = cadres / 10;
    fg_plan_ref_inst_t *inst = fg_plan_ref_inst_new (houses, cadres + churn, houses + 1);
    for (size_t i = 0; i < houses; i++)
        fg_plan_ref_inst_house (inst, 100000 + i, fg_plan_ref_below (&rng, towns), fg_plan_ref_below (&rng, villages),
                           1 + fg_plan_ref_below (&rng, 4), fg_plan_ref_below (&rng, 10) == 0);
    for (size_t c = 0; c < cadres; c++)
        s_scale_cadre (inst, &rng, 500000 + c, towns);
    //  A random valid previous plan
    uint32_t *load = (uint32_t *) calloc (cadres + churn, sizeof (uint32_t));
    size_t *elig = (size_t *) malloc (towns * (cadres + churn) * sizeof (size_t));
    size_t *elig_count = (size_t *) calloc (towns, sizeof (size_t));
    assert (load && elig && elig_count);
    for (size_t t = 0; t < towns; t++) {
        fg_plan_household_t probe = { 1, S_VILLAGE (t, 0), S_TOWN (t), 0, false, 0 };
        for (size_t c = 0; c < cadres; c++)
            if (fg_plan_ref_form (&inst->cadres [c], &probe))
                elig [t * (cadres + churn) + elig_count [t]++] = c;
    }
    for (size_t h = 0; h < houses; h++) {
        size_t t = (size_t) (inst->houses [h].township - S_TOWN (0));
        for (int tries = 0; tries < 20 && elig_count [t]; tries++) {
            size_t c = elig [t * (cadres + churn) + fg_plan_ref_below (&rng, elig_count [t])];
            if (load [c] < inst->cadres [c].cap) {
                load [c]++;
                fg_plan_ref_inst_pair (inst->prev, &inst->prev_count, inst->houses [h].id, inst->cadres [c].id,
                                  fg_plan_ref_form (&inst->cadres [c], &inst->houses [h]),
                                  18000 + (int64_t) fg_plan_ref_below (&rng, 2000));
                break;
            }
        }
    }
    //  Churn: 10 % of the cadres leave, as many arrive
    size_t orphaned = 0;
    for (size_t k = 0; k < churn; k++) {
        size_t c = fg_plan_ref_below (&rng, inst->cadre_count);
        for (size_t i = 0; i < inst->prev_count; i++)
            orphaned += inst->prev [i].cadre == inst->cadres [c].id;
        fg_plan_ref_inst_remove_cadre (inst, c);
    }
    for (size_t k = 0; k < churn; k++)
        s_scale_cadre (inst, &rng, 600000 + k, towns);
    printf ("\n   scale: %zu households in %zu villages, %zu cadres (%zu replaced, %zu households"
            " orphaned), previous plan %zu pairs", houses, towns * villages, inst->cadre_count, churn,
            orphaned, inst->prev_count);

    fg_plan_params_t params;
    fg_plan_params_default (&params);
    fg_plan_params_t flat = params;
    flat.balance = false;
    fg_plan_result_t result, second;
    s_scale_solve (inst, &flat, "rerun after the churn, balance off", &second, towns);
    fg_plan_result_free (&second);
    s_scale_solve (inst, &params, "rerun after the churn", &result, towns);
    //  Rerun on itself: nothing changes (AL4)
    fg_plan_ref_inst_t *again = fg_plan_ref_inst_copy (inst, NULL);
    fg_plan_ref_inst_take_plan (again, &result);
    int64_t start = zclock_usecs ();
    assert (fg_plan_ref_inst_solve (again, &params, &second) == 0);
    assert (second.changed == 0 && !memcmp (second.plan_hash, result.plan_hash, 32));
    printf ("\n   rerun on itself: %" PRId64 " ms, changed %zu", (zclock_usecs () - start) / 1000,
            second.changed);
    fg_plan_result_free (&second);
    //  The first year: no previous plan, every household free
    again->prev_count = 0;
    s_scale_solve (again, &flat, "first plan (no P_prev), balance off", &second, towns);
    fg_plan_result_free (&second);
    s_scale_solve (again, &params, "first plan (no P_prev)", &second, towns);
    fg_plan_result_free (&second);
    params.min_load_pass = false;
    s_scale_solve (again, &params, "first plan, no min-load pass", &second, towns);
    fg_plan_result_free (&second);
    params.concentration_pass = false;
    s_scale_solve (again, &params, "first plan, no min-load pass, no concentration", &second, towns);
    fg_plan_result_free (&second);
    fg_plan_result_free (&result);
    fg_plan_ref_inst_destroy (&again);
    free (load);
    free (elig);
    free (elig_count);
    fg_plan_ref_inst_destroy (&inst);
}
