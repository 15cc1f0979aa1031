/*  fg_plan_pass.c - steps 7 and 8 of the pairing reassignment (DOMAIN §4.3):
    the min-load pass (two-way coverage, P2) and the bounded concentration
    pass (fewer distinct villages per cadre). Both run after the flow on
    the whole county; neither touches a locked pair, and neither changes
    coverage: a min-load move takes a household from one cadre to another,
    a swap exchanges two households between two cadres.
*/
#include "fg_plan_int.h"

#define S_SWAP_PASSES 16            //  the bound of step 8

//  A pair that is new in this plan: not locked, not the household's kept
//  candidate (its P_prev pair or its parent's cadre), not its P_prev pair
//  either (a pair trimmed in step 1 may come back to its cadre: kept).
//  Moving a new pair costs no stability.
static bool
s_is_new (s_plan_t *self, const s_plan_house_t *house)
{
    return house->locked == S_PLAN_NONE && house->cadre != S_PLAN_NONE && house->cadre != house->cand
        && self->cadres [house->cadre].in.id != house->prev_cadre;
}

//  A donor household for an under-loaded cadre, and why it is chosen:
//  new pairs first (cls 0: no stability lost) by (cost, id); else kept
//  pairs (cls 1) from the most-loaded donor cadre, then (cost, newest
//  start_on, id).
typedef struct {
    size_t   house;
    int      cls;
    uint32_t donor_load;
    size_t   donor;
    int64_t  cost;
    int64_t  start;
} s_donor_t;

static bool
s_donor_better (const s_donor_t *x, const s_donor_t *y, const s_plan_house_t *houses)
{
    if (y->house == S_PLAN_NONE)
        return true;
    if (x->cls != y->cls)
        return x->cls < y->cls;
    if (x->cls == 1) {
        if (x->donor_load != y->donor_load)
            return x->donor_load > y->donor_load;
        if (x->donor != y->donor)
            return x->donor < y->donor;
    }
    if (x->cost != y->cost)
        return x->cost < y->cost;
    if (x->cls == 1 && x->start != y->start)
        return x->start > y->start;
    return houses [x->house].in.id < houses [y->house].in.id;
}

//  Step 7. Rounds over the cadres by id; each cadre below its min takes
//  one household per round from an eligible cadre above its own min, until
//  a round moves nothing. Every move lowers the total shortfall, so it
//  ends. Households left unpaired are never eligible for a cadre with room
//  (the flow is maximal), so a move never leaves coverage on the table.
void
s_plan_min_load (s_plan_t *self)
{
    int64_t w = self->params->w_change;
    bool moved = true;
    while (moved) {
        moved = false;
        for (size_t c = 0; c < self->cadre_count; c++) {
            s_plan_cadre_t *cadre = &self->cadres [c];
            if (cadre->load >= cadre->min)
                continue;
            s_donor_t best = { .house = S_PLAN_NONE };
            for (size_t e = 0; e < cadre->elig_count; e++) {
                const s_plan_town_t *town = &self->towns [self->elig [self->by_cadre [cadre->elig_first + e]].town];
                size_t first = self->villages [town->village_first].house_first;
                size_t last = first;
                for (size_t v = town->village_first; v < town->village_first + town->village_count; v++)
                    last = self->villages [v].house_first + self->villages [v].house_count;
                for (size_t i = first; i < last; i++) {
                    size_t h = self->by_village [i];
                    const s_plan_house_t *house = &self->houses [h];
                    size_t d = house->cadre;
                    if (house->locked != S_PLAN_NONE || d == S_PLAN_NONE || d == c
                    ||  self->cadres [d].load <= self->cadres [d].min)
                        continue;
                    s_donor_t option = {
                        h, s_is_new (self, house) ? 0 : 1, self->cadres [d].load, d,
                        s_plan_cost (self, c, h, w), house->cand_start };
                    if (s_donor_better (&option, &best, self->houses))
                        best = option;
                }
            }
            if (best.house != S_PLAN_NONE) {
                self->houses [best.house].cadre = c;
                self->cadres [best.donor].load--;
                cadre->load++;
                self->min_load_moves++;
                moved = true;
            }
        }
    }
}

//  --------------------------------------------------------------------------
//  Step 8. Held households of every cadre (locked and assigned), so that
//  the villages a cadre covers can be counted; swaps keep every load.

typedef struct {
    size_t *first;                  //  per cadre, into list
    size_t *list;                   //  household indices
} s_held_t;

static size_t
s_village_count (s_plan_t *self, const s_held_t *held, size_t cadre, size_t village)
{
    size_t count = 0;
    for (size_t i = held->first [cadre]; i < held->first [cadre + 1]; i++)
        if (self->houses [held->list [i]].village == village)
            count++;
    return count;
}

static void
s_held_replace (s_held_t *held, size_t cadre, size_t from, size_t to)
{
    for (size_t i = held->first [cadre]; i < held->first [cadre + 1]; i++)
        if (held->list [i] == from) {
            held->list [i] = to;
            return;
        }
    assert (false);
}

//  Swap new pairs between two cadres when that lowers the total number of
//  distinct villages per cadre and does not raise the total cost. A swap
//  can only lower it if one side receives a village it already holds, so
//  for household h1 of cadre c only households h2 in c's other villages
//  are tried (the other case is found from h2's side). Each household
//  takes the best swap by (villages saved, cost, id); passes repeat until
//  none is found, at most S_SWAP_PASSES times.
void
s_plan_concentrate (s_plan_t *self)
{
    int64_t w = self->params->w_change;
    s_held_t held;
    held.first = (size_t *) calloc (self->cadre_count + 1, sizeof (size_t));
    held.list = (size_t *) malloc ((self->house_count ? self->house_count : 1) * sizeof (size_t));
    assert (held.first && held.list);
    for (size_t h = 0; h < self->house_count; h++)
        if (self->houses [h].cadre != S_PLAN_NONE)
            held.first [self->houses [h].cadre + 1]++;
    for (size_t c = 0; c < self->cadre_count; c++)
        held.first [c + 1] += held.first [c];
    size_t *fill = (size_t *) malloc ((self->cadre_count + 1) * sizeof (size_t));
    assert (fill);
    memcpy (fill, held.first, (self->cadre_count + 1) * sizeof (size_t));
    for (size_t h = 0; h < self->house_count; h++)
        if (self->houses [h].cadre != S_PLAN_NONE)
            held.list [fill [self->houses [h].cadre]++] = h;
    free (fill);

    for (int pass = 0; pass < S_SWAP_PASSES; pass++) {
        size_t swaps = 0;
        for (size_t h1 = 0; h1 < self->house_count; h1++) {
            s_plan_house_t *one = &self->houses [h1];
            if (!s_is_new (self, one))
                continue;
            size_t c = one->cadre;
            size_t v1 = one->village;
            size_t best = S_PLAN_NONE;
            int64_t best_villages = 0, best_cost = 0;
            for (size_t i = held.first [c]; i < held.first [c + 1]; i++) {
                size_t v2 = self->houses [held.list [i]].village;
                bool seen = v2 == v1;
                for (size_t j = held.first [c]; j < i && !seen; j++)
                    seen = self->houses [held.list [j]].village == v2;
                if (seen)
                    continue;
                const s_plan_village_t *village = &self->villages [v2];
                for (size_t k = 0; k < village->house_count; k++) {
                    size_t h2 = self->by_village [village->house_first + k];
                    const s_plan_house_t *two = &self->houses [h2];
                    size_t d = two->cadre;
                    if (!s_is_new (self, two) || d == c
                    ||  !s_plan_eligible (self, c, h2) || !s_plan_eligible (self, d, h1))
                        continue;
                    int64_t villages =
                          (s_village_count (self, &held, c, v2) == 0 ? 1 : 0)
                        - (s_village_count (self, &held, c, v1) == 1 ? 1 : 0)
                        + (s_village_count (self, &held, d, v1) == 0 ? 1 : 0)
                        - (s_village_count (self, &held, d, v2) == 1 ? 1 : 0);
                    if (villages >= 0)
                        continue;
                    int64_t cost = s_plan_cost (self, c, h2, w) + s_plan_cost (self, d, h1, w)
                                 - s_plan_cost (self, c, h1, w) - s_plan_cost (self, d, h2, w);
                    if (cost > 0)
                        continue;
                    if (best == S_PLAN_NONE || villages < best_villages
                    ||  (villages == best_villages && (cost < best_cost
                    ||  (cost == best_cost && h2 < best)))) {
                        best = h2;
                        best_villages = villages;
                        best_cost = cost;
                    }
                }
            }
            if (best != S_PLAN_NONE) {
                size_t d = self->houses [best].cadre;
                s_held_replace (&held, c, h1, best);
                s_held_replace (&held, d, best, h1);
                one->cadre = d;
                self->houses [best].cadre = c;
                self->swaps++;
                swaps++;
            }
        }
        if (!swaps)
            break;
    }
    free (held.first);
    free (held.list);
}
