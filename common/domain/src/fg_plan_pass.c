/*  fg_plan_pass.c - steps 7 and 8 of the pairing reassignment (DOMAIN §4.3):
    the min-load pass (two-way coverage, P2) and the bounded concentration
    pass (fewer distinct villages per cadre). Both run after the flow on
    the whole county; neither touches a locked pair, and neither changes
    coverage: a min-load move takes a household from one cadre to another,
    a swap exchanges two households between two cadres, a transfer moves
    one to a cadre that holds one fewer. Swaps and transfers leave the
    loads as a whole (the sorted list of loads) as they were, so they
    never undo level 5 of the objective (balance). A min-load move lifts a
    cadre below its min with a household of one above its own min: where
    every min is the same (min = 1, as fg_pairing sets it) the donor holds
    at least two more, so the move evens loads out too.
*/
#include "fg_plan_int.h"

#define S_SWAP_PASSES 16            //  the bound of step 8

//  A pair that is new in this plan: not locked, not the household's kept
//  candidate (its P_prev pair or its parent's cadre), not its P_prev pair
//  either (a pair trimmed in step 1 may come back to its cadre: kept).
//  Moving a new pair costs no stability.
static bool
s_is_new (fg_plan__t *self, const fg_plan__house_t *house)
{
    return house->locked == FG_PLAN_NONE && house->cadre != FG_PLAN_NONE && house->cadre != house->cand
        && self->cadres [house->cadre].in.id != house->prev_cadre;
}

//  A donor household for an under-loaded cadre, and why it is chosen:
//  new pairs first (cls 0: no stability lost) by (cost, the most-loaded
//  donor, id), so that equal choices even loads out instead of draining
//  the donor of the lowest household id; else kept pairs (cls 1) from the
//  most-loaded donor cadre, then (cost, newest start_on, id).
typedef struct {
    size_t   house;
    int      cls;
    uint32_t donor_load;
    size_t   donor;
    int64_t  cost;
    int64_t  start;
} s_donor_t;

static bool
s_donor_better (const s_donor_t *x, const s_donor_t *y, const fg_plan__house_t *houses)
{
    if (y->house == FG_PLAN_NONE)
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
    if (x->cls == 0 && x->donor_load != y->donor_load)
        return x->donor_load > y->donor_load;
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
fg_plan__min_load (fg_plan__t *self)
{
    int64_t w = self->params->w_change;
    bool moved = true;
    while (moved) {
        moved = false;
        for (size_t c = 0; c < self->cadre_count; c++) {
            fg_plan__cadre_t *cadre = &self->cadres [c];
            if (cadre->load >= cadre->min)
                continue;
            s_donor_t best = { .house = FG_PLAN_NONE };
            for (size_t e = 0; e < cadre->elig_count; e++) {
                //  The town's households: its villages are contiguous in by_village
                const fg_plan__town_t *town = &self->towns [self->elig [self->by_cadre [cadre->elig_first + e]].town];
                const fg_plan__village_t *first = &self->villages [town->village_first];
                const fg_plan__village_t *last = first + town->village_count - 1;
                for (size_t i = first->house_first; i < last->house_first + last->house_count; i++) {
                    size_t h = self->by_village [i];
                    const fg_plan__house_t *house = &self->houses [h];
                    size_t d = house->cadre;
                    if (house->locked != FG_PLAN_NONE || d == FG_PLAN_NONE || d == c
                    ||  self->cadres [d].load <= self->cadres [d].min)
                        continue;
                    s_donor_t option = {
                        h, s_is_new (self, house) ? 0 : 1, self->cadres [d].load, d,
                        fg_plan__cost (self, c, h, w), house->cand_start };
                    if (s_donor_better (&option, &best, self->houses))
                        best = option;
                }
            }
            if (best.house != FG_PLAN_NONE) {
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
//  Step 8. Held households of every cadre (locked and assigned) as a list
//  per cadre, so that the villages a cadre covers can be counted.

typedef struct {
    size_t *head;                   //  per cadre: a household, or FG_PLAN_NONE
    size_t *next;                   //  per household: the next of its cadre's
} fg_pairing__held_t;

static size_t
s_village_count (fg_plan__t *self, const fg_pairing__held_t *held, size_t cadre, size_t village)
{
    size_t count = 0;
    for (size_t h = held->head [cadre]; h != FG_PLAN_NONE; h = held->next [h])
        if (self->houses [h].village == village)
            count++;
    return count;
}

static void
s_held_add (fg_pairing__held_t *held, size_t cadre, size_t house)
{
    held->next [house] = held->head [cadre];
    held->head [cadre] = house;
}

static void
s_held_remove (fg_pairing__held_t *held, size_t cadre, size_t house)
{
    size_t *link = &held->head [cadre];
    while (*link != house) {
        assert (*link != FG_PLAN_NONE);
        link = &held->next [*link];
    }
    *link = held->next [house];
}

//  The best step for household h1 so far: a swap with h2 (cadre d = h2's)
//  or a transfer to cadre d (h2 = FG_PLAN_NONE), by (villages saved, cost
//  change, swaps before transfers, h2 id, then d).
typedef struct {
    size_t  h2, d;
    int64_t villages, cost;
} s_step_t;

static bool
s_step_better (const s_step_t *x, const s_step_t *y)
{
    if (y->d == FG_PLAN_NONE)
        return true;
    if (x->villages != y->villages)
        return x->villages < y->villages;
    if (x->cost != y->cost)
        return x->cost < y->cost;
    if ((x->h2 == FG_PLAN_NONE) != (y->h2 == FG_PLAN_NONE))
        return x->h2 != FG_PLAN_NONE;
    if (x->h2 != y->h2)
        return x->h2 < y->h2;
    return x->d < y->d;
}

//  Swaps of h1 (new, of cadre c, in village v1) with new pairs in c's
//  other villages. A swap can only lower the villages if one side
//  receives a village it already holds, so only households h2 in c's
//  other villages are tried (the other case is found from h2's side).
static void
s_try_swaps (fg_plan__t *self, const fg_pairing__held_t *held, size_t h1, s_step_t *best)
{
    int64_t w = self->params->w_change;
    size_t c = self->houses [h1].cadre;
    size_t v1 = self->houses [h1].village;
    for (size_t x = held->head [c]; x != FG_PLAN_NONE; x = held->next [x]) {
        size_t v2 = self->houses [x].village;
        bool seen = v2 == v1;
        for (size_t y = held->head [c]; y != x && !seen; y = held->next [y])
            seen = self->houses [y].village == v2;
        if (seen)
            continue;
        const fg_plan__village_t *village = &self->villages [v2];
        for (size_t k = 0; k < village->house_count; k++) {
            size_t h2 = self->by_village [village->house_first + k];
            const fg_plan__house_t *two = &self->houses [h2];
            size_t d = two->cadre;
            if (!s_is_new (self, two) || d == c
            ||  !fg_plan__eligible (self, c, h2) || !fg_plan__eligible (self, d, h1))
                continue;
            int64_t villages =
                  (s_village_count (self, held, c, v2) == 0 ? 1 : 0)
                - (s_village_count (self, held, c, v1) == 1 ? 1 : 0)
                + (s_village_count (self, held, d, v1) == 0 ? 1 : 0)
                - (s_village_count (self, held, d, v2) == 1 ? 1 : 0);
            if (villages >= 0)
                continue;
            int64_t cost = fg_plan__cost (self, c, h2, w) + fg_plan__cost (self, d, h1, w)
                         - fg_plan__cost (self, c, h1, w) - fg_plan__cost (self, d, h2, w);
            s_step_t step = { h2, d, villages, cost };
            if (cost <= 0 && s_step_better (&step, best))
                *best = step;
        }
    }
}

//  Transfers of h1 (new, of cadre c, its only household in village v1) to
//  a cadre d eligible for it that already holds v1 and holds one household
//  fewer than c: the two loads trade places, so the loads as a whole, and
//  level 5 of the objective with them, stay as they are; c keeps its min.
static void
s_try_transfers (fg_plan__t *self, const fg_pairing__held_t *held, size_t h1, s_step_t *best)
{
    int64_t w = self->params->w_change;
    const fg_plan__house_t *one = &self->houses [h1];
    size_t c = one->cadre;
    const fg_plan__cadre_t *from = &self->cadres [c];
    if (from->load - 1 < from->min || s_village_count (self, held, c, one->village) != 1)
        return;
    const fg_plan__town_t *town = &self->towns [one->town];
    for (size_t r = town->elig_first; r < town->elig_first + town->elig_count; r++) {
        size_t d = self->elig [r].cadre;
        const fg_plan__cadre_t *to = &self->cadres [d];
        if (d == c || to->load + 1 != from->load || to->load >= to->in.cap
        ||  s_village_count (self, held, d, one->village) == 0)
            continue;
        s_step_t step = { FG_PLAN_NONE, d, -1, fg_plan__cost (self, d, h1, w) - fg_plan__cost (self, c, h1, w) };
        if (step.cost <= 0 && s_step_better (&step, best))
            *best = step;
    }
}

//  Swap new pairs between two cadres, or move a new pair to a cadre that
//  holds one household fewer, when that lowers the total number of
//  distinct villages per cadre and does not raise the total cost. Each
//  household takes its best step; passes repeat until none is found, at
//  most S_SWAP_PASSES times.
void
fg_plan__concentrate (fg_plan__t *self)
{
    fg_pairing__held_t held;
    held.head = (size_t *) malloc ((self->cadre_count + 1) * sizeof (size_t));
    held.next = (size_t *) malloc ((self->house_count + 1) * sizeof (size_t));
    assert (held.head && held.next);
    for (size_t c = 0; c < self->cadre_count; c++)
        held.head [c] = FG_PLAN_NONE;
    for (size_t h = self->house_count; h-- > 0; )
        if (self->houses [h].cadre != FG_PLAN_NONE)
            s_held_add (&held, self->houses [h].cadre, h);

    for (int pass = 0; pass < S_SWAP_PASSES; pass++) {
        size_t steps = 0;
        for (size_t h1 = 0; h1 < self->house_count; h1++) {
            fg_plan__house_t *one = &self->houses [h1];
            if (!s_is_new (self, one))
                continue;
            s_step_t best = { FG_PLAN_NONE, FG_PLAN_NONE, 0, 0 };
            s_try_swaps (self, &held, h1, &best);
            s_try_transfers (self, &held, h1, &best);
            if (best.d == FG_PLAN_NONE)
                continue;
            size_t c = one->cadre;
            s_held_remove (&held, c, h1);
            s_held_add (&held, best.d, h1);
            one->cadre = best.d;
            if (best.h2 != FG_PLAN_NONE) {
                s_held_remove (&held, best.d, best.h2);
                s_held_add (&held, c, best.h2);
                self->houses [best.h2].cadre = c;
                self->swaps++;
            }
            else {
                self->cadres [c].load--;
                self->cadres [best.d].load++;
                self->transfers++;
            }
            steps++;
        }
        if (!steps)
            break;
    }
    free (held.head);
    free (held.next);
}
