/*  fg_plan_ref.c - test support for fg_plan: instances, the generator and
    the naive reference (see fg_plan_ref.h). Self-test code only. */
#include "fg_plan_ref.h"

//  --------------------------------------------------------------------------
//  Instances: own their arrays; every cadre has room for 4 counterpart and
//  4 deployed townships at lists [8 i ..].

uint64_t
fg_plan_ref_rand (uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

size_t
fg_plan_ref_below (uint64_t *state, size_t n)
{
    return n ? (size_t) (fg_plan_ref_rand (state) % n) : 0;
}

fg_plan_ref_inst_t *
fg_plan_ref_inst_new (size_t max_houses, size_t max_cadres, size_t max_pairs)
{
    fg_plan_ref_inst_t *inst = (fg_plan_ref_inst_t *) zmalloc (sizeof (fg_plan_ref_inst_t));
    assert (inst);
    inst->max_houses = max_houses;
    inst->max_cadres = max_cadres;
    inst->max_pairs = max_pairs;
    inst->houses = (fg_plan_household_t *) calloc (max_houses + 1, sizeof (fg_plan_household_t));
    inst->cadres = (fg_plan_cadre_t *) calloc (max_cadres + 1, sizeof (fg_plan_cadre_t));
    inst->lists = (uint64_t *) calloc (8 * (max_cadres + 1), sizeof (uint64_t));
    inst->locked = (fg_plan_pair_t *) calloc (max_pairs + 1, sizeof (fg_plan_pair_t));
    inst->prev = (fg_plan_pair_t *) calloc (max_pairs + 1, sizeof (fg_plan_pair_t));
    assert (inst->houses && inst->cadres && inst->lists && inst->locked && inst->prev);
    return inst;
}

void
fg_plan_ref_inst_destroy (fg_plan_ref_inst_t **inst_p)
{
    fg_plan_ref_inst_t *inst = *inst_p;
    if (inst) {
        free (inst->houses);
        free (inst->cadres);
        free (inst->lists);
        free (inst->locked);
        free (inst->prev);
        free (inst);
        *inst_p = NULL;
    }
}

static void
s_plan_inst_fix_lists (fg_plan_ref_inst_t *inst)
{
    for (size_t i = 0; i < inst->cadre_count; i++) {
        inst->cadres [i].counterpart = inst->lists + 8 * i;
        inst->cadres [i].deployed = inst->lists + 8 * i + 4;
    }
}

fg_plan_cadre_t *
fg_plan_ref_inst_cadre (fg_plan_ref_inst_t *inst, uint64_t id, uint64_t home, uint32_t cap)
{
    assert (inst->cadre_count < inst->max_cadres);
    fg_plan_cadre_t *cadre = &inst->cadres [inst->cadre_count++];
    memset (cadre, 0, sizeof *cadre);
    cadre->id = id;
    cadre->home_township = home;
    cadre->cap = cap;
    s_plan_inst_fix_lists (inst);
    return cadre;
}

void
fg_plan_ref_inst_house (fg_plan_ref_inst_t *inst, uint64_t id, size_t town, size_t village, uint64_t group, bool focus)
{
    assert (inst->house_count < inst->max_houses);
    inst->houses [inst->house_count++] = (fg_plan_household_t) {
        id, S_VILLAGE (town, village), S_TOWN (town), group, focus, 0 };
}

void
fg_plan_ref_inst_pair (fg_plan_pair_t *pairs, size_t *count, uint64_t house, uint64_t cadre,
             fg_plan_form_t form, int64_t start_on)
{
    pairs [(*count)++] = (fg_plan_pair_t) { house, cadre, form, start_on };
}

//  A deep copy; with rng, every list is shuffled (and so are the
//  townships inside each cadre's lists).
fg_plan_ref_inst_t *
fg_plan_ref_inst_copy (const fg_plan_ref_inst_t *src, uint64_t *rng)
{
    fg_plan_ref_inst_t *inst = fg_plan_ref_inst_new (src->max_houses, src->max_cadres, src->max_pairs);
    inst->house_count = src->house_count;
    inst->cadre_count = src->cadre_count;
    inst->locked_count = src->locked_count;
    inst->prev_count = src->prev_count;
    memcpy (inst->houses, src->houses, src->house_count * sizeof (fg_plan_household_t));
    memcpy (inst->cadres, src->cadres, src->cadre_count * sizeof (fg_plan_cadre_t));
    memcpy (inst->lists, src->lists, 8 * src->cadre_count * sizeof (uint64_t));
    memcpy (inst->locked, src->locked, src->locked_count * sizeof (fg_plan_pair_t));
    memcpy (inst->prev, src->prev, src->prev_count * sizeof (fg_plan_pair_t));
    if (rng) {
#define S_SHUFFLE(array, count, type) \
        for (size_t s_k = (count); s_k > 1; s_k--) { \
            size_t s_j = fg_plan_ref_below (rng, s_k); \
            type s_swap = (array) [s_k - 1]; (array) [s_k - 1] = (array) [s_j]; (array) [s_j] = s_swap; }
        S_SHUFFLE (inst->houses, inst->house_count, fg_plan_household_t);
        S_SHUFFLE (inst->locked, inst->locked_count, fg_plan_pair_t);
        S_SHUFFLE (inst->prev, inst->prev_count, fg_plan_pair_t);
        //  Cadres move with their lists
        for (size_t i = inst->cadre_count; i > 1; i--) {
            size_t j = fg_plan_ref_below (rng, i);
            fg_plan_cadre_t swap = inst->cadres [i - 1];
            inst->cadres [i - 1] = inst->cadres [j];
            inst->cadres [j] = swap;
            uint64_t lists [8];
            memcpy (lists, inst->lists + 8 * (i - 1), sizeof lists);
            memcpy (inst->lists + 8 * (i - 1), inst->lists + 8 * j, sizeof lists);
            memcpy (inst->lists + 8 * j, lists, sizeof lists);
        }
        for (size_t i = 0; i < inst->cadre_count; i++) {
            S_SHUFFLE (inst->lists + 8 * i, inst->cadres [i].counterpart_count, uint64_t);
            S_SHUFFLE (inst->lists + 8 * i + 4, inst->cadres [i].deployed_count, uint64_t);
        }
#undef S_SHUFFLE
    }
    s_plan_inst_fix_lists (inst);
    return inst;
}

void
fg_plan_ref_inst_remove_cadre (fg_plan_ref_inst_t *inst, size_t index)
{
    assert (index < inst->cadre_count);
    memmove (inst->cadres + index, inst->cadres + index + 1,
             (inst->cadre_count - index - 1) * sizeof (fg_plan_cadre_t));
    memmove (inst->lists + 8 * index, inst->lists + 8 * (index + 1),
             8 * (inst->cadre_count - index - 1) * sizeof (uint64_t));
    inst->cadre_count--;
    s_plan_inst_fix_lists (inst);
}

int
fg_plan_ref_inst_solve (const fg_plan_ref_inst_t *inst, const fg_plan_params_t *params, fg_plan_result_t *result)
{
    return fg_plan_solve (inst->houses, inst->house_count, inst->cadres, inst->cadre_count,
                          inst->locked, inst->locked_count, inst->prev, inst->prev_count,
                          params, (const uint8_t *) "frontier", 8, result);
}

//  previous := the result's pairs (AL4, AL6, incremental mode)
void
fg_plan_ref_inst_take_plan (fg_plan_ref_inst_t *inst, const fg_plan_result_t *result)
{
    assert (result->pair_count <= inst->max_pairs);
    if (result->pair_count)
        memcpy (inst->prev, result->pairs, result->pair_count * sizeof (fg_plan_pair_t));
    inst->prev_count = result->pair_count;
}

//  --------------------------------------------------------------------------
//  The reference: naive and separate from the solver

size_t
fg_plan_ref_house (const fg_plan_ref_inst_t *inst, uint64_t id)
{
    for (size_t i = 0; i < inst->house_count; i++)
        if (inst->houses [i].id == id)
            return i;
    return S_NONE;
}

size_t
fg_plan_ref_cadre (const fg_plan_ref_inst_t *inst, uint64_t id)
{
    for (size_t i = 0; i < inst->cadre_count; i++)
        if (inst->cadres [i].id == id)
            return i;
    return S_NONE;
}

fg_plan_form_t
fg_plan_ref_form (const fg_plan_cadre_t *cadre, const fg_plan_household_t *house)
{
    if (cadre->home_township && cadre->home_township == house->township)
        return FG_FORM_TERRITORIAL;
    for (size_t i = 0; i < cadre->counterpart_count; i++)
        if (cadre->counterpart [i] == house->township)
            return FG_FORM_COUNTERPART;
    for (size_t i = 0; i < cadre->deployed_count; i++)
        if (cadre->deployed [i] == house->township)
            return FG_FORM_ORG_DEPLOYMENT;
    return 0;
}

//  The P_prev pair a household is judged by: its oldest (start_on, cadre, form)
const fg_plan_pair_t *
fg_plan_ref_prev (const fg_plan_ref_inst_t *inst, uint64_t house)
{
    const fg_plan_pair_t *best = NULL;
    for (size_t i = 0; i < inst->prev_count; i++) {
        const fg_plan_pair_t *p = &inst->prev [i];
        if (p->household != house)
            continue;
        if (!best || p->start_on < best->start_on
        ||  (p->start_on == best->start_on && (p->cadre < best->cadre
        ||  (p->cadre == best->cadre && p->form < best->form))))
            best = p;
    }
    return best;
}

void
fg_plan_ref_build (fg_plan_ref_t *ref, const fg_plan_ref_inst_t *inst)
{
    size_t n = inst->house_count, m = inst->cadre_count;
    ref->inst = inst;
    ref->locked = (size_t *) malloc ((n + 1) * sizeof (size_t));
    ref->cand = (size_t *) malloc ((n + 1) * sizeof (size_t));
    ref->prev_cadre = (uint64_t *) calloc (n + 1, sizeof (uint64_t));
    ref->locks = (uint32_t *) calloc (m + 1, sizeof (uint32_t));
    uint32_t *kept = (uint32_t *) calloc (m + 1, sizeof (uint32_t));
    bool *want = (bool *) calloc (n + 1, sizeof (bool));
    assert (ref->locked && ref->cand && ref->prev_cadre && ref->locks && kept && want);
    ref->trimmed = ref->inherited = false;
    for (size_t h = 0; h < n; h++) {
        ref->locked [h] = ref->cand [h] = S_NONE;
        const fg_plan_pair_t *p = fg_plan_ref_prev (inst, inst->houses [h].id);
        ref->prev_cadre [h] = p ? p->cadre : 0;
    }
    for (size_t i = 0; i < inst->locked_count; i++) {
        size_t h = fg_plan_ref_house (inst, inst->locked [i].household);
        ref->locked [h] = fg_plan_ref_cadre (inst, inst->locked [i].cadre);
        ref->locks [ref->locked [h]]++;
    }
    //  Candidates per cadre, oldest (start_on, household id) first
    for (size_t h = 0; h < n; h++) {
        const fg_plan_pair_t *p = fg_plan_ref_prev (inst, inst->houses [h].id);
        size_t c = p ? fg_plan_ref_cadre (inst, p->cadre) : S_NONE;
        want [h] = c != S_NONE && ref->locked [h] == S_NONE
                && fg_plan_ref_form (&inst->cadres [c], &inst->houses [h]);
    }
    for (size_t c = 0; c < m; c++) {
        while (true) {
            size_t pick = S_NONE;
            int64_t pick_start = 0;
            for (size_t h = 0; h < n; h++) {
                if (!want [h] || ref->cand [h] != S_NONE)
                    continue;
                const fg_plan_pair_t *p = fg_plan_ref_prev (inst, inst->houses [h].id);
                if (p->cadre != inst->cadres [c].id)
                    continue;
                if (pick == S_NONE || p->start_on < pick_start
                ||  (p->start_on == pick_start && inst->houses [h].id < inst->houses [pick].id)) {
                    pick = h;
                    pick_start = p->start_on;
                }
            }
            if (pick == S_NONE)
                break;
            if (ref->locks [c] + kept [c] < inst->cadres [c].cap) {
                ref->cand [pick] = c;
                kept [c]++;
            }
            else {
                want [pick] = false;
                ref->trimmed = true;
            }
        }
    }
    //  Lineage, by household id
    while (true) {
        size_t pick = S_NONE;
        for (size_t h = 0; h < n; h++) {
            const fg_plan_household_t *house = &inst->houses [h];
            if (house->parent && house->parent != house->id && ref->locked [h] == S_NONE
            &&  !ref->prev_cadre [h] && ref->cand [h] == S_NONE && !want [h]
            &&  (pick == S_NONE || house->id < inst->houses [pick].id))
                pick = h;
        }
        if (pick == S_NONE)
            break;
        want [pick] = true;             //  visited
        uint64_t parent = inst->houses [pick].parent;
        size_t ph = fg_plan_ref_house (inst, parent);
        uint64_t cadre_id = 0;
        if (ph != S_NONE && ref->locked [ph] != S_NONE)
            cadre_id = inst->cadres [ref->locked [ph]].id;
        else {
            const fg_plan_pair_t *p = fg_plan_ref_prev (inst, parent);
            cadre_id = p ? p->cadre : 0;
        }
        size_t c = fg_plan_ref_cadre (inst, cadre_id);
        if (c != S_NONE && fg_plan_ref_form (&inst->cadres [c], &inst->houses [pick])
        &&  ref->locks [c] + kept [c] < inst->cadres [c].cap) {
            ref->cand [pick] = c;
            kept [c]++;
            ref->inherited = true;
        }
    }
    free (kept);
    free (want);
}

void
fg_plan_ref_destroy (fg_plan_ref_t *ref)
{
    free (ref->locked);
    free (ref->cand);
    free (ref->prev_cadre);
    free (ref->locks);
}

//  Cost of household h with cadre c (flow notion: kept candidate = 0)
int64_t
fg_plan_ref_cost (const fg_plan_ref_t *ref, size_t c, size_t h, int64_t w)
{
    const fg_plan_ref_inst_t *inst = ref->inst;
    if (ref->cand [h] == c)
        return 0;
    const fg_plan_household_t *house = &inst->houses [h];
    int64_t tier = fg_plan_ref_form (&inst->cadres [c], house);
    assert (tier);
    for (size_t x = 0; x < inst->house_count; x++)
        if ((ref->cand [x] == c || ref->locked [x] == c)
        &&  inst->houses [x].village == house->village && inst->houses [x].township == house->township)
            tier = 0;
    return w + 100 * tier + (house->focus && !inst->cadres [c].leading ? 1 : 0);
}

//  Maximum coverage of the free households (Kuhn's augmenting paths over
//  cadre slots of cap - |L_c|), independent of the flow.
static bool
s_kuhn_try (const fg_plan_ref_inst_t *inst, const fg_plan_ref_t *ref, size_t h, size_t *slot_of, size_t *slot_cadre,
            size_t slots, bool *seen)
{
    for (size_t s = 0; s < slots; s++) {
        if (seen [s] || !fg_plan_ref_form (&inst->cadres [slot_cadre [s]], &inst->houses [h]))
            continue;
        seen [s] = true;
        if (slot_of [s] == S_NONE
        ||  s_kuhn_try (inst, ref, slot_of [s], slot_of, slot_cadre, slots, seen)) {
            slot_of [s] = h;
            return true;
        }
    }
    return false;
}

//  Households in `only` (or all free ones if NULL) placed into slots of
//  `room [c]` per cadre; returns how many fit.
size_t
fg_plan_ref_max_cover (const fg_plan_ref_inst_t *inst, const fg_plan_ref_t *ref, const uint32_t *room, const bool *only)
{
    size_t slots = 0;
    for (size_t c = 0; c < inst->cadre_count; c++)
        slots += room [c];
    size_t *slot_of = (size_t *) malloc ((slots + 1) * sizeof (size_t));
    size_t *slot_cadre = (size_t *) malloc ((slots + 1) * sizeof (size_t));
    bool *seen = (bool *) malloc (slots + 1);
    assert (slot_of && slot_cadre && seen);
    slots = 0;
    for (size_t c = 0; c < inst->cadre_count; c++)
        for (uint32_t k = 0; k < room [c]; k++) {
            slot_cadre [slots] = c;
            slot_of [slots++] = S_NONE;
        }
    size_t matched = 0;
    for (size_t h = 0; h < inst->house_count; h++) {
        if (only ? !only [h] : ref->locked [h] != S_NONE)
            continue;
        memset (seen, 0, slots + 1);
        if (s_kuhn_try (inst, ref, h, slot_of, slot_cadre, slots, seen))
            matched++;
    }
    free (slot_of);
    free (slot_cadre);
    free (seen);
    return matched;
}

void
fg_plan_ref_brute (fg_plan_ref_brute_t *brute, size_t k, size_t cover, int64_t cost, size_t fresh, size_t changed)
{
    const fg_plan_ref_t *ref = brute->ref;
    const fg_plan_ref_inst_t *inst = ref->inst;
    if (k == brute->free_count) {
        uint64_t squares = 0;
        for (size_t c = 0; c < inst->cadre_count; c++)
            squares += (uint64_t) brute->load [c] * brute->load [c];
        if (cover > brute->best_cover || (cover == brute->best_cover && cost < brute->best_cost))
            brute->best_squares = squares;
        else
        if (cover == brute->best_cover && cost == brute->best_cost && squares < brute->best_squares)
            brute->best_squares = squares;
        if (cover > brute->best_cover) {
            brute->best_cover = cover;
            brute->best_cost = cost;
            brute->best_new = fresh;
            brute->best_changed = changed;
        }
        else
        if (cover == brute->best_cover) {
            brute->best_cost = cost < brute->best_cost ? cost : brute->best_cost;
            brute->best_new = fresh < brute->best_new ? fresh : brute->best_new;
            brute->best_changed = changed < brute->best_changed ? changed : brute->best_changed;
        }
        bool at_min = true;
        for (size_t c = 0; c < inst->cadre_count; c++)
            if (brute->load [c] < inst->cadres [c].min)
                at_min = false;
        if (at_min && (brute->best_changed_min == S_NONE || cover > brute->best_cover_min
        ||  (cover == brute->best_cover_min && changed < brute->best_changed_min))) {
            brute->best_cover_min = cover;
            brute->best_changed_min = changed;
        }
        return;
    }
    size_t h = brute->free_list [k];
    fg_plan_ref_brute (brute, k + 1, cover, cost, fresh, changed);
    for (size_t c = 0; c < inst->cadre_count; c++) {
        if (brute->load [c] >= inst->cadres [c].cap || !fg_plan_ref_form (&inst->cadres [c], &inst->houses [h]))
            continue;
        brute->load [c]++;
        int64_t add = fg_plan_ref_cost (ref, c, h, S_W);
        fg_plan_ref_brute (brute, k + 1, cover + 1, cost + add, fresh + (add ? 1 : 0),
                 changed + (inst->cadres [c].id != ref->prev_cadre [h] ? 1 : 0));
        brute->load [c]--;
    }
}

//  --------------------------------------------------------------------------
//  AL1 (validity) and the bookkeeping of the result, for any instance

void
fg_plan_ref_check_valid (const fg_plan_ref_inst_t *inst, const fg_plan_ref_t *ref, const fg_plan_result_t *result, int64_t w)
{
    size_t n = inst->house_count, m = inst->cadre_count;
    size_t *cadre_of = (size_t *) malloc ((n + 1) * sizeof (size_t));
    uint32_t *load = (uint32_t *) calloc (m + 1, sizeof (uint32_t));
    assert (cadre_of && load);
    for (size_t h = 0; h < n; h++)
        cadre_of [h] = S_NONE;
    size_t changed = 0;
    int64_t cost = 0;
    for (size_t i = 0; i < result->pair_count; i++) {
        const fg_plan_pair_t *pair = &result->pairs [i];
        assert (i == 0 || result->pairs [i - 1].household < pair->household);
        size_t h = fg_plan_ref_house (inst, pair->household);
        size_t c = fg_plan_ref_cadre (inst, pair->cadre);
        assert (h != S_NONE && c != S_NONE);
        cadre_of [h] = c;
        load [c]++;
        if (ref->locked [h] != S_NONE) {
            //  AL8: a locked pair is in the plan as it was given
            assert (ref->locked [h] == c);
            bool found = false;
            for (size_t l = 0; l < inst->locked_count; l++)
                if (inst->locked [l].household == pair->household) {
                    assert (inst->locked [l].cadre == pair->cadre);
                    assert (inst->locked [l].form == pair->form);
                    assert (inst->locked [l].start_on == pair->start_on);
                    found = true;
                }
            assert (found);
            assert (result->kept [i]);
        }
        else {
            //  P4: the form is the first rule that matches
            assert (pair->form == fg_plan_ref_form (&inst->cadres [c], &inst->houses [h]));
            cost += fg_plan_ref_cost (ref, c, h, w);
            assert (result->kept [i] == (pair->cadre == ref->prev_cadre [h]));
        }
        if (pair->cadre != ref->prev_cadre [h])
            changed++;
    }
    //  P3, the load histogram, coverage, deficit, cost, changed
    size_t histogram [FG_PLAN_LOAD_BINS] = { 0 };
    for (size_t c = 0; c < m; c++) {
        assert (load [c] <= inst->cadres [c].cap);
        histogram [load [c] < FG_PLAN_LOAD_BINS - 1 ? load [c] : FG_PLAN_LOAD_BINS - 1]++;
        bool under = false;
        for (size_t u = 0; u < result->underloaded_count; u++)
            if (result->underloaded [u] == inst->cadres [c].id)
                under = true;
        assert (under == (load [c] < inst->cadres [c].min));
    }
    assert (memcmp (histogram, result->load_histogram, sizeof histogram) == 0);
    size_t unpaired = 0;
    for (size_t h = 0; h < n; h++) {
        bool in_deficit = false;
        for (size_t d = 0; d < result->deficit_count; d++) {
            assert (d == 0 || result->deficit [d - 1] < result->deficit [d]);
            if (result->deficit [d] == inst->houses [h].id)
                in_deficit = true;
        }
        assert (in_deficit == (cadre_of [h] == S_NONE));
        unpaired += cadre_of [h] == S_NONE;
    }
    assert (unpaired == result->deficit_count);
    assert (result->pair_count + result->deficit_count == n);
    size_t by_village = 0;
    for (size_t v = 0; v < result->deficit_village_count; v++)
        by_village += result->deficit_villages [v].count;
    assert (by_village == result->deficit_count);
    assert (changed == result->changed);
    assert (cost == result->total_cost);

    //  Ended: every P_prev pair that is not in the plan, with its reason
    size_t stays = 0;
    for (size_t i = 0; i < inst->prev_count; i++) {
        const fg_plan_pair_t *p = &inst->prev [i];
        size_t h = fg_plan_ref_house (inst, p->household);
        if (h != S_NONE && fg_plan_ref_prev (inst, p->household) == p && cadre_of [h] != S_NONE
        &&  inst->cadres [cadre_of [h]].id == p->cadre)
            stays++;
    }
    assert (result->ended_count == inst->prev_count - stays);
    for (size_t e = 0; e < result->ended_count; e++) {
        const fg_plan_pair_t *p = &result->ended [e];
        const char *reason = result->end_reasons [e];
        size_t h = fg_plan_ref_house (inst, p->household);
        if (h == S_NONE)
            assert (streq (reason, "household_inactive"));
        else
        if (streq (reason, "duplicate")) {
            size_t pairs = 0;
            for (size_t i = 0; i < inst->prev_count; i++)
                pairs += inst->prev [i].household == p->household;
            assert (pairs > 1);
        }
        else
        if (fg_plan_ref_cadre (inst, p->cadre) == S_NONE)
            assert (streq (reason, "cadre_retired"));
        else
            assert (streq (reason, "manual") || streq (reason, "form_invalid")
                 || streq (reason, "over_capacity") || streq (reason, "rebalance"));
    }
    free (cadre_of);
    free (load);
}

uint64_t
fg_plan_ref_squares (const fg_plan_ref_inst_t *inst, const fg_plan_result_t *result)
{
    uint64_t total = 0;
    for (size_t c = 0; c < inst->cadre_count; c++) {
        uint64_t load = 0;
        for (size_t i = 0; i < result->pair_count; i++)
            load += result->pairs [i].cadre == inst->cadres [c].id;
        total += load * load;
    }
    return total;
}

bool
fg_plan_ref_same_pairs (const fg_plan_pair_t *a, const fg_plan_pair_t *b, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (a [i].household != b [i].household || a [i].cadre != b [i].cadre
        ||  a [i].form != b [i].form || a [i].start_on != b [i].start_on)
            return false;
    return true;
}

bool
fg_plan_ref_same_result (const fg_plan_result_t *a, const fg_plan_result_t *b)
{
    if (memcmp (a->plan_hash, b->plan_hash, 32) || a->pair_count != b->pair_count
    ||  a->ended_count != b->ended_count || a->deficit_count != b->deficit_count
    ||  a->changed != b->changed || a->total_cost != b->total_cost
    ||  a->underloaded_count != b->underloaded_count)
        return false;
    for (size_t i = 0; i < a->pair_count; i++)
        if (!fg_plan_ref_same_pairs (&a->pairs [i], &b->pairs [i], 1) || a->kept [i] != b->kept [i])
            return false;
    for (size_t i = 0; i < a->ended_count; i++)
        if (!fg_plan_ref_same_pairs (&a->ended [i], &b->ended [i], 1)
        ||  strcmp (a->end_reasons [i], b->end_reasons [i]))
            return false;
    for (size_t i = 0; i < a->deficit_count; i++)
        if (a->deficit [i] != b->deficit [i])
            return false;
    return true;
}

//  --------------------------------------------------------------------------
//  Random instances

fg_plan_ref_inst_t *
fg_plan_ref_generate (uint64_t *rng, const fg_plan_ref_gen_t *gen)
{
    fg_plan_ref_inst_t *inst = fg_plan_ref_inst_new (gen->houses + 1, gen->cadres + 1, 2 * gen->houses + 8);
    for (size_t c = 0; c < gen->cadres; c++) {
        size_t roll = fg_plan_ref_below (rng, 10);
        uint64_t home = roll < 8 ? S_TOWN (fg_plan_ref_below (rng, gen->towns)) : roll == 8 ? S_OUTSIDE : 0;
        fg_plan_cadre_t *cadre = fg_plan_ref_inst_cadre (inst, 50 + 3 * c + fg_plan_ref_below (rng, 3), home,
                                               gen->cap_lo + (uint32_t) fg_plan_ref_below (rng, gen->cap_hi - gen->cap_lo + 1));
        cadre->min = gen->min_hi ? (uint32_t) fg_plan_ref_below (rng, gen->min_hi + 1) : 0;
        cadre->leading = fg_plan_ref_below (rng, 10) < 3;
        size_t counterparts = fg_plan_ref_below (rng, 3) == 0 ? 1 + fg_plan_ref_below (rng, 2) : 0;
        for (size_t i = 0; i < counterparts; i++)
            inst->lists [8 * c + cadre->counterpart_count++] = S_TOWN (fg_plan_ref_below (rng, gen->towns));
        if (fg_plan_ref_below (rng, 4) == 0)
            inst->lists [8 * c + 4 + cadre->deployed_count++] = S_TOWN (fg_plan_ref_below (rng, gen->towns));
    }
    for (size_t i = 0; i < gen->houses; i++) {
        fg_plan_ref_inst_house (inst, 1000 + 5 * i + fg_plan_ref_below (rng, 5), fg_plan_ref_below (rng, gen->towns),
                      fg_plan_ref_below (rng, gen->villages), fg_plan_ref_below (rng, 3), fg_plan_ref_below (rng, 4) == 0);
        if ((int) fg_plan_ref_below (rng, 100) < gen->split_pct)
            inst->houses [i].parent = i && fg_plan_ref_below (rng, 3) ? inst->houses [fg_plan_ref_below (rng, i)].id
                                                            : 700 + fg_plan_ref_below (rng, 5);
    }
    //  Locks: a cadre_relative pair with anyone, or a rule form, within cap
    uint32_t *locks = (uint32_t *) calloc (gen->cadres + 1, sizeof (uint32_t));
    assert (locks);
    for (size_t h = 0; h < gen->houses; h++) {
        if ((int) fg_plan_ref_below (rng, 100) >= gen->lock_pct)
            continue;
        size_t c = fg_plan_ref_below (rng, gen->cadres);
        fg_plan_form_t form = fg_plan_ref_below (rng, 5) == 0 ? FG_FORM_CADRE_RELATIVE
                            : fg_plan_ref_form (&inst->cadres [c], &inst->houses [h]);
        if (!form || locks [c] >= inst->cadres [c].cap)
            continue;
        locks [c]++;
        fg_plan_ref_inst_pair (inst->locked, &inst->locked_count, inst->houses [h].id, inst->cadres [c].id,
                     form, (int64_t) fg_plan_ref_below (rng, 6));
    }
    free (locks);
    //  P_prev: mostly eligible cadres, some retired or ineligible ones,
    //  households gone, second pairs of one household
    for (size_t h = 0; h < gen->houses; h++) {
        if ((int) fg_plan_ref_below (rng, 100) >= gen->prev_pct)
            continue;
        size_t roll = fg_plan_ref_below (rng, 100);
        uint64_t cadre_id = 0;
        if ((int) roll < gen->junk_pct)
            cadre_id = 9000 + fg_plan_ref_below (rng, 3);           //  retired
        else
        if ((int) roll < 2 * gen->junk_pct)
            cadre_id = inst->cadres [fg_plan_ref_below (rng, gen->cadres)].id;
        else {
            for (int tries = 0; tries < 8 && !cadre_id; tries++) {
                size_t c = fg_plan_ref_below (rng, gen->cadres);
                if (fg_plan_ref_form (&inst->cadres [c], &inst->houses [h]))
                    cadre_id = inst->cadres [c].id;
            }
        }
        if (cadre_id)
            fg_plan_ref_inst_pair (inst->prev, &inst->prev_count, inst->houses [h].id, cadre_id,
                         FG_FORM_TERRITORIAL, (int64_t) fg_plan_ref_below (rng, 6));
    }
    if ((int) fg_plan_ref_below (rng, 100) < 4 * gen->junk_pct) {
        fg_plan_ref_inst_pair (inst->prev, &inst->prev_count, 700 + fg_plan_ref_below (rng, 5),
                     inst->cadres [fg_plan_ref_below (rng, gen->cadres)].id, FG_FORM_TERRITORIAL, 1);
        if (inst->prev_count > 1)
            fg_plan_ref_inst_pair (inst->prev, &inst->prev_count, inst->prev [0].household,
                         inst->cadres [fg_plan_ref_below (rng, gen->cadres)].id, FG_FORM_COUNTERPART,
                         (int64_t) fg_plan_ref_below (rng, 6));
    }
    return inst;
}

