/*  fg_plan.c - annual pairing reassignment (DOMAIN §4.3): canonical inputs
    (step 0), carry-over (1), locked pairs (2), the min-cost flow of each
    eligibility component (3-4), deficit and disaggregation (5-6), and the
    canonical output with its hash (9). Steps 7 and 8 are in fg_plan_pass.c,
    the network in fg_flow.c. */
#include "fg_plan_int.h"
#include "fg_flow.h"
#include "fg_util.h"

#define S_W_MAX INT64_C (1000000000000)     //  keeps every sum far from overflow

void
fg_plan_params_default (fg_plan_params_t *params)
{
    assert (params);
    memset (params, 0, sizeof *params);
    params->w_change = 1000000;
    params->min_load_pass = true;
    params->concentration_pass = true;
    params->balance = true;
    params->effective_on = 0;
}

const char *
fg_plan_form_name (fg_plan_form_t form)
{
    switch (form) {
        case FG_FORM_TERRITORIAL:    return "territorial";
        case FG_FORM_COUNTERPART:    return "counterpart";
        case FG_FORM_ORG_DEPLOYMENT: return "org_deployment";
        case FG_FORM_CADRE_RELATIVE: return "cadre_relative";
        default:                     return "unknown";
    }
}

static int
s_fail (fg_plan_result_t *result, const char *format, ...) CHECK_PRINTF (2);
static int
s_fail (fg_plan_result_t *result, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vsnprintf (result->error, sizeof result->error, format, args);
    va_end (args);
    return -1;
}

static inline int
s_cmp (uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

static inline int
s_cmp_signed (int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

static int
s_house_cmp (const void *a, const void *b)
{
    return s_cmp (((const fg_plan__house_t *) a)->in.id, ((const fg_plan__house_t *) b)->in.id);
}

static int
s_cadre_cmp (const void *a, const void *b)
{
    return s_cmp (((const fg_plan__cadre_t *) a)->in.id, ((const fg_plan__cadre_t *) b)->in.id);
}

static int
s_locked_cmp (const void *a, const void *b)
{
    const fg_plan_pair_t *x = (const fg_plan_pair_t *) a, *y = (const fg_plan_pair_t *) b;
    int rc = s_cmp (x->household, y->household);
    if (!rc) rc = s_cmp (x->cadre, y->cadre);
    if (!rc) rc = s_cmp_signed (x->form, y->form);
    if (!rc) rc = s_cmp_signed (x->start_on, y->start_on);
    return rc;
}

static int
s_prev_cmp (const void *a, const void *b)
{
    const fg_plan_pair_t *x = (const fg_plan_pair_t *) a, *y = (const fg_plan_pair_t *) b;
    int rc = s_cmp (x->household, y->household);
    if (!rc) rc = s_cmp_signed (x->start_on, y->start_on);
    if (!rc) rc = s_cmp (x->cadre, y->cadre);
    if (!rc) rc = s_cmp_signed (x->form, y->form);
    return rc;
}

static int
s_u64_cmp (const void *a, const void *b)
{
    return s_cmp (*(const uint64_t *) a, *(const uint64_t *) b);
}

int
fg_plan__key_cmp (const void *a, const void *b)
{
    const fg_plan__key_t *x = (const fg_plan__key_t *) a, *y = (const fg_plan__key_t *) b;
    int rc = s_cmp (x->a, y->a);
    if (!rc) rc = s_cmp (x->b, y->b);
    if (!rc) rc = s_cmp (x->c, y->c);
    if (!rc) rc = s_cmp (x->index, y->index);
    return rc;
}

fg_plan__key_t *
fg_plan__keys_new (size_t count)
{
    fg_plan__key_t *keys = (fg_plan__key_t *) malloc ((count ? count : 1) * sizeof (fg_plan__key_t));
    assert (keys);
    return keys;
}

//  Every array searched by id here (houses, cadres, towns, P_prev pairs)
//  holds the id in its first field, sorted.
_Static_assert (offsetof (fg_plan__house_t, in.id) == 0, "a house starts with its id");
_Static_assert (offsetof (fg_plan__cadre_t, in.id) == 0, "a cadre starts with its id");
_Static_assert (offsetof (fg_plan__town_t, id) == 0, "a town starts with its id");
_Static_assert (offsetof (fg_plan_pair_t, household) == 0, "a pair starts with its household");

//  Index of the first of count items of size bytes whose id is not below id.
static size_t
s_lower_bound (const void *items, size_t count, size_t size, uint64_t id)
{
    size_t low = 0, high = count;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (*(const uint64_t *) ((const char *) items + mid * size) < id)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

//  Index of the item with this id, or FG_PLAN_NONE.
static size_t
s_find (const void *items, size_t count, size_t size, uint64_t id)
{
    size_t i = s_lower_bound (items, count, size, id);
    return i < count && *(const uint64_t *) ((const char *) items + i * size) == id ? i : FG_PLAN_NONE;
}

static size_t
s_find_house (fg_plan__t *self, uint64_t id)
{
    return s_find (self->houses, self->house_count, sizeof (fg_plan__house_t), id);
}

static size_t
s_find_cadre (fg_plan__t *self, uint64_t id)
{
    return s_find (self->cadres, self->cadre_count, sizeof (fg_plan__cadre_t), id);
}

static size_t
s_find_town (fg_plan__t *self, uint64_t id)
{
    return s_find (self->towns, self->town_count, sizeof (fg_plan__town_t), id);
}

static bool
s_in_list (const uint64_t *list, size_t count, uint64_t id)
{
    for (size_t i = 0; i < count; i++)
        if (list [i] == id)
            return true;
    return false;
}

fg_plan_form_t
fg_plan__eligible (fg_plan__t *self, size_t cadre, size_t house)
{
    const fg_plan__town_t *town = &self->towns [self->houses [house].town];
    const fg_plan__elig_t *rows = self->elig + town->elig_first;
    size_t low = 0, high = town->elig_count;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (rows [mid].cadre < cadre)
            low = mid + 1;
        else
            high = mid;
    }
    return low < town->elig_count && rows [low].cadre == cadre ? rows [low].form : 0;
}

static bool
s_anchored (fg_plan__t *self, size_t cadre, size_t village)
{
    uint64_t key = (uint64_t) cadre << 32 | village;
    return bsearch (&key, self->anchors, self->anchor_count, sizeof (uint64_t), s_u64_cmp) != NULL;
}

int64_t
fg_plan__locality (fg_plan__t *self, size_t cadre, size_t village, bool focus, fg_plan_form_t form)
{
    int64_t tier = s_anchored (self, cadre, village) ? 0 : (int64_t) form;
    int64_t fit = focus && !self->cadres [cadre].in.leading ? 1 : 0;
    return 100 * tier + fit;
}

int64_t
fg_plan__cost (fg_plan__t *self, size_t cadre, size_t house, int64_t w)
{
    const fg_plan__house_t *h = &self->houses [house];
    if (h->cand == cadre)
        return 0;
    fg_plan_form_t form = fg_plan__eligible (self, cadre, house);
    assert (form);
    return w + fg_plan__locality (self, cadre, h->village, h->in.focus, form);
}

//  --------------------------------------------------------------------------
//  Step 0: canonical copies; townships, villages and eligibility rows

static int
s_load_households (fg_plan__t *self, const fg_plan_household_t *households, size_t count,
                   fg_plan_result_t *result)
{
    self->house_count = count;
    self->houses = (fg_plan__house_t *) calloc (count ? count : 1, sizeof (fg_plan__house_t));
    assert (self->houses);
    for (size_t i = 0; i < count; i++) {
        fg_plan__house_t *house = &self->houses [i];
        house->in = households [i];
        house->locked = house->prev = house->cand = house->cadre = FG_PLAN_NONE;
    }
    qsort (self->houses, count, sizeof (fg_plan__house_t), s_house_cmp);
    for (size_t i = 0; i < count; i++) {
        if (self->houses [i].in.id == 0)
            return s_fail (result, "household id 0");
        if (i && self->houses [i].in.id == self->houses [i - 1].in.id)
            return s_fail (result, "duplicate household id %" PRIu64, self->houses [i].in.id);
    }
    //  One sort by (township, village, id) gives the townships, the
    //  villages (a township's are contiguous) and by_village
    fg_plan__key_t *keys = fg_plan__keys_new (count);
    for (size_t i = 0; i < count; i++)
        keys [i] = (fg_plan__key_t) { self->houses [i].in.township, self->houses [i].in.village, i, i };
    qsort (keys, count, sizeof (fg_plan__key_t), fg_plan__key_cmp);
    self->towns = (fg_plan__town_t *) calloc (count ? count : 1, sizeof (fg_plan__town_t));
    self->villages = (fg_plan__village_t *) calloc (count ? count : 1, sizeof (fg_plan__village_t));
    self->by_village = (size_t *) malloc ((count ? count : 1) * sizeof (size_t));
    assert (self->towns && self->villages && self->by_village);
    for (size_t k = 0; k < count; k++) {
        fg_plan__house_t *house = &self->houses [keys [k].index];
        if (!self->town_count || self->towns [self->town_count - 1].id != keys [k].a) {
            fg_plan__town_t *town = &self->towns [self->town_count++];
            town->id = keys [k].a;
            town->village_first = self->village_count;
        }
        size_t town = self->town_count - 1;
        if (!self->village_count || self->villages [self->village_count - 1].town != town
        ||  self->villages [self->village_count - 1].id != keys [k].b) {
            fg_plan__village_t *village = &self->villages [self->village_count++];
            village->id = keys [k].b;
            village->town = town;
            village->house_first = k;
            self->towns [town].village_count++;
        }
        self->villages [self->village_count - 1].house_count++;
        house->town = town;
        house->village = self->village_count - 1;
        self->by_village [k] = keys [k].index;
    }
    free (keys);
    return 0;
}

static int
s_load_cadres (fg_plan__t *self, const fg_plan_cadre_t *cadres, size_t count, fg_plan_result_t *result)
{
    self->cadre_count = count;
    self->cadres = (fg_plan__cadre_t *) calloc (count ? count : 1, sizeof (fg_plan__cadre_t));
    assert (self->cadres);
    for (size_t i = 0; i < count; i++) {
        assert (cadres [i].counterpart || !cadres [i].counterpart_count);
        assert (cadres [i].deployed || !cadres [i].deployed_count);
        self->cadres [i].in = cadres [i];
    }
    qsort (self->cadres, count, sizeof (fg_plan__cadre_t), s_cadre_cmp);
    for (size_t i = 0; i < count; i++) {
        fg_plan__cadre_t *cadre = &self->cadres [i];
        if (cadre->in.id == 0)
            return s_fail (result, "cadre id 0");
        if (i && cadre->in.id == self->cadres [i - 1].in.id)
            return s_fail (result, "duplicate cadre id %" PRIu64, cadre->in.id);
        cadre->min = cadre->in.min < cadre->in.cap ? cadre->in.min : cadre->in.cap;
    }
    return 0;
}

//  P4 for the form a locked pair states (not the first rule that matches:
//  an explicit org_deployment pair stays org_deployment).
static bool
s_lock_valid (const fg_plan_cadre_t *cadre, const fg_plan_household_t *house, fg_plan_form_t form)
{
    switch (form) {
        case FG_FORM_TERRITORIAL:
            return cadre->home_township && cadre->home_township == house->township;
        case FG_FORM_COUNTERPART:
            return s_in_list (cadre->counterpart, cadre->counterpart_count, house->township);
        case FG_FORM_ORG_DEPLOYMENT:
            return s_in_list (cadre->deployed, cadre->deployed_count, house->township);
        case FG_FORM_CADRE_RELATIVE:
            return true;                //  an approved kinship claim: the caller's word
        default:
            return false;
    }
}

//  Step 2 (checked before step 1 so that carry-over knows the locks)
static int
s_load_locked (fg_plan__t *self, const fg_plan_pair_t *locked, size_t count, fg_plan_result_t *result)
{
    self->locked_count = count;
    self->locked = (fg_plan_pair_t *) malloc ((count ? count : 1) * sizeof (fg_plan_pair_t));
    assert (self->locked);
    if (count)
        memcpy (self->locked, locked, count * sizeof (fg_plan_pair_t));
    qsort (self->locked, count, sizeof (fg_plan_pair_t), s_locked_cmp);
    for (size_t i = 0; i < count; i++) {
        const fg_plan_pair_t *pair = &self->locked [i];
        size_t h = s_find_house (self, pair->household);
        if (h == FG_PLAN_NONE)
            return s_fail (result, "locked pair names household %" PRIu64 ", which is not in H",
                           pair->household);
        size_t c = s_find_cadre (self, pair->cadre);
        if (c == FG_PLAN_NONE)
            return s_fail (result, "locked pair of household %" PRIu64 " names cadre %" PRIu64
                           ", which is not in C", pair->household, pair->cadre);
        if (i && self->locked [i - 1].household == pair->household)
            return s_fail (result, "household %" PRIu64 " is locked twice", pair->household);
        if (pair->form < FG_FORM_TERRITORIAL || pair->form > FG_FORM_CADRE_RELATIVE)
            return s_fail (result, "locked pair (household %" PRIu64 ", cadre %" PRIu64
                           ") has no valid form (%d)", pair->household, pair->cadre, (int) pair->form);
        if (!s_lock_valid (&self->cadres [c].in, &self->houses [h].in, pair->form))
            return s_fail (result, "locked pair (household %" PRIu64 ", cadre %" PRIu64
                           ") is not eligible as %s", pair->household, pair->cadre,
                           fg_plan_form_name (pair->form));
        self->houses [h].locked = i;
        self->houses [h].cadre = c;
        self->cadres [c].locked++;
    }
    for (size_t c = 0; c < self->cadre_count; c++) {
        fg_plan__cadre_t *cadre = &self->cadres [c];
        if (cadre->locked > cadre->in.cap)
            return s_fail (result, "cadre %" PRIu64 " holds %" PRIu32 " locked pairs, over its"
                           " capacity %" PRIu32, cadre->in.id, cadre->locked, cadre->in.cap);
        cadre->load = cadre->locked;
    }
    return 0;
}

//  Rows (town, cadre, form) for every township with households, first rule
//  that matches, sorted by town then cadre; and the same rows by cadre.
static void
s_build_eligibility (fg_plan__t *self)
{
    size_t total = 0;
    for (size_t c = 0; c < self->cadre_count; c++) {
        const fg_plan_cadre_t *in = &self->cadres [c].in;
        total += 1 + in->counterpart_count + in->deployed_count;
    }
    fg_plan__key_t *keys = fg_plan__keys_new (total);
    size_t count = 0;
    for (size_t c = 0; c < self->cadre_count; c++) {
        const fg_plan_cadre_t *in = &self->cadres [c].in;
        size_t town = in->home_township ? s_find_town (self, in->home_township) : FG_PLAN_NONE;
        if (town != FG_PLAN_NONE)
            keys [count++] = (fg_plan__key_t) { town, c, FG_FORM_TERRITORIAL, 0 };
        for (size_t i = 0; i < in->counterpart_count; i++)
            if ((town = s_find_town (self, in->counterpart [i])) != FG_PLAN_NONE)
                keys [count++] = (fg_plan__key_t) { town, c, FG_FORM_COUNTERPART, 0 };
        for (size_t i = 0; i < in->deployed_count; i++)
            if ((town = s_find_town (self, in->deployed [i])) != FG_PLAN_NONE)
                keys [count++] = (fg_plan__key_t) { town, c, FG_FORM_ORG_DEPLOYMENT, 0 };
    }
    qsort (keys, count, sizeof (fg_plan__key_t), fg_plan__key_cmp);
    self->elig = (fg_plan__elig_t *) malloc ((count ? count : 1) * sizeof (fg_plan__elig_t));
    assert (self->elig);
    for (size_t k = 0; k < count; k++) {
        if (k && keys [k].a == keys [k - 1].a && keys [k].b == keys [k - 1].b)
            continue;                   //  a later rule for the same pair
        fg_plan__elig_t *row = &self->elig [self->elig_total];
        row->town = keys [k].a;
        row->cadre = keys [k].b;
        row->form = (fg_plan_form_t) keys [k].c;
        if (!self->towns [row->town].elig_count)
            self->towns [row->town].elig_first = self->elig_total;
        self->towns [row->town].elig_count++;
        self->elig_total++;
    }
    for (size_t r = 0; r < self->elig_total; r++)
        keys [r] = (fg_plan__key_t) { self->elig [r].cadre, self->elig [r].town, 0, r };
    qsort (keys, self->elig_total, sizeof (fg_plan__key_t), fg_plan__key_cmp);
    self->by_cadre = (size_t *) malloc ((self->elig_total ? self->elig_total : 1) * sizeof (size_t));
    assert (self->by_cadre);
    for (size_t k = 0; k < self->elig_total; k++) {
        fg_plan__cadre_t *cadre = &self->cadres [keys [k].a];
        if (!cadre->elig_count)
            cadre->elig_first = k;
        cadre->elig_count++;
        self->by_cadre [k] = keys [k].index;
    }
    free (keys);
}

//  --------------------------------------------------------------------------
//  Step 1: carry-over. A P_prev pair stays a kept candidate if its household
//  is in H, its cadre in C, the household is not locked to another cadre
//  and the cadre is still eligible by the rules; overloads are trimmed
//  newest first. Split households then inherit their parent's cadre.

static void
s_carry_over (fg_plan__t *self, const fg_plan_pair_t *previous, size_t count)
{
    self->prev_count = count;
    self->prev = (fg_plan_pair_t *) malloc ((count ? count : 1) * sizeof (fg_plan_pair_t));
    self->prev_reason = (const char **) calloc (count ? count : 1, sizeof (const char *));
    assert (self->prev && self->prev_reason);
    if (count)
        memcpy (self->prev, previous, count * sizeof (fg_plan_pair_t));
    qsort (self->prev, count, sizeof (fg_plan_pair_t), s_prev_cmp);

    fg_plan__key_t *cands = fg_plan__keys_new (count);
    size_t cand_count = 0;
    for (size_t i = 0; i < count; i++) {
        const fg_plan_pair_t *pair = &self->prev [i];
        size_t h = s_find_house (self, pair->household);
        if (h == FG_PLAN_NONE) {
            self->prev_reason [i] = "household_inactive";
            continue;
        }
        if (i && self->prev [i - 1].household == pair->household) {
            self->prev_reason [i] = "duplicate";
            continue;
        }
        fg_plan__house_t *house = &self->houses [h];
        house->prev_cadre = pair->cadre;
        house->prev = i;
        size_t c = s_find_cadre (self, pair->cadre);
        if (c == FG_PLAN_NONE)
            self->prev_reason [i] = "cadre_retired";
        else
        if (house->locked != FG_PLAN_NONE) {
            if (self->locked [house->locked].cadre != pair->cadre)
                self->prev_reason [i] = "manual";
        }
        else
        if (!fg_plan__eligible (self, c, h))
            self->prev_reason [i] = "form_invalid";
        else
            cands [cand_count++] = (fg_plan__key_t) { c, fg_plan__signed_key (pair->start_on), h, i };
    }
    //  Oldest first per cadre (start_on, then household id) up to cap - |L_c|
    qsort (cands, cand_count, sizeof (fg_plan__key_t), fg_plan__key_cmp);
    for (size_t k = 0; k < cand_count; k++) {
        fg_plan__cadre_t *cadre = &self->cadres [cands [k].a];
        if (cadre->locked + cadre->kept < cadre->in.cap) {
            fg_plan__house_t *house = &self->houses [cands [k].c];
            house->cand = cands [k].a;
            house->cand_start = self->prev [cands [k].index].start_on;
            cadre->kept++;
        }
        else
            self->prev_reason [cands [k].index] = "over_capacity";
    }
    free (cands);

    //  Lineage: a household with no pair of its own takes its parent's
    //  cadre (locked, else the parent's P_prev pair) if eligible and room
    //  is left, after every real kept pair; in household id order.
    for (size_t h = 0; h < self->house_count; h++) {
        fg_plan__house_t *house = &self->houses [h];
        uint64_t parent = house->in.parent;
        if (!parent || parent == house->in.id || house->locked != FG_PLAN_NONE
        ||  house->prev_cadre || house->cand != FG_PLAN_NONE)
            continue;
        uint64_t cadre_id = 0;
        size_t p = s_find_house (self, parent);
        if (p != FG_PLAN_NONE && self->houses [p].locked != FG_PLAN_NONE)
            cadre_id = self->locked [self->houses [p].locked].cadre;
        else {
            size_t first = s_lower_bound (self->prev, count, sizeof (fg_plan_pair_t), parent);
            if (first < count && self->prev [first].household == parent)
                cadre_id = self->prev [first].cadre;
        }
        size_t c = cadre_id ? s_find_cadre (self, cadre_id) : FG_PLAN_NONE;
        if (c == FG_PLAN_NONE || !fg_plan__eligible (self, c, h))
            continue;
        fg_plan__cadre_t *cadre = &self->cadres [c];
        if (cadre->locked + cadre->kept < cadre->in.cap) {
            house->cand = c;
            house->cand_start = INT64_MAX;
            cadre->kept++;
        }
    }
}

//  Tier 0 pairs (cadre, village): the cadre holds a kept candidate or a
//  locked household there.
static void
s_build_anchors (fg_plan__t *self)
{
    self->anchors = (uint64_t *) malloc ((self->house_count ? self->house_count : 1) * sizeof (uint64_t));
    assert (self->anchors);
    size_t count = 0;
    for (size_t h = 0; h < self->house_count; h++) {
        const fg_plan__house_t *house = &self->houses [h];
        size_t c = house->locked != FG_PLAN_NONE ? house->cadre : house->cand;
        if (c != FG_PLAN_NONE)
            self->anchors [count++] = (uint64_t) c << 32 | house->village;
    }
    qsort (self->anchors, count, sizeof (uint64_t), s_u64_cmp);
    self->anchor_count = 0;
    for (size_t i = 0; i < count; i++)
        if (!self->anchor_count || self->anchors [self->anchor_count - 1] != self->anchors [i])
            self->anchors [self->anchor_count++] = self->anchors [i];
}

//  --------------------------------------------------------------------------
//  Step 9: the canonical output and its hash

static void
s_hash_u64 (crypto_generichash_state *state, uint64_t value)
{
    uint8_t bytes [8];
    fg_put64 (bytes, value);
    crypto_generichash_update (state, bytes, 8);
}

//  plan_hash of the assignment (see fg_plan.h for the bytes)
static void
s_hash (fg_plan_result_t *result, const fg_plan_params_t *params, const uint8_t *frontier,
        size_t frontier_size)
{
    crypto_generichash_state state;
    crypto_generichash_init (&state, NULL, 0, FG_HASH_SIZE);
    crypto_generichash_update (&state, (const uint8_t *) "fgplan2", 8);
    s_hash_u64 (&state, result->pair_count);
    for (size_t i = 0; i < result->pair_count; i++) {
        const fg_plan_pair_t *pair = &result->pairs [i];
        uint8_t row [17];
        fg_put64 (row, pair->household);
        fg_put64 (row + 8, pair->cadre);
        row [16] = (uint8_t) pair->form;
        crypto_generichash_update (&state, row, sizeof row);
    }
    s_hash_u64 (&state, (uint64_t) params->w_change);
    uint8_t flags [3] = { params->min_load_pass ? 1 : 0, params->concentration_pass ? 1 : 0,
                          params->balance ? 1 : 0 };
    crypto_generichash_update (&state, flags, sizeof flags);
    s_hash_u64 (&state, (uint64_t) params->effective_on);
    s_hash_u64 (&state, frontier_size);
    if (frontier_size)
        crypto_generichash_update (&state, frontier, frontier_size);
    crypto_generichash_final (&state, result->plan_hash, FG_HASH_SIZE);
}

//  An array of the result with room for count items (never NULL)
static void *
s_result_array (size_t count, size_t size)
{
    void *items = malloc ((count ? count : 1) * size);
    assert (items);
    return items;
}

static void
s_emit (fg_plan__t *self, fg_plan_result_t *result, const uint8_t *frontier, size_t frontier_size)
{
    const fg_plan_params_t *params = self->params;
    result->pairs = (fg_plan_pair_t *) s_result_array (self->house_count, sizeof (fg_plan_pair_t));
    result->kept = (bool *) s_result_array (self->house_count, sizeof (bool));
    result->deficit = (uint64_t *) s_result_array (self->house_count, sizeof (uint64_t));
    result->deficit_villages = (fg_plan_deficit_t *) s_result_array (self->village_count,
                                                                     sizeof (fg_plan_deficit_t));
    result->ended = (fg_plan_pair_t *) s_result_array (self->prev_count, sizeof (fg_plan_pair_t));
    result->end_reasons = (const char **) s_result_array (self->prev_count, sizeof (const char *));
    result->underloaded = (uint64_t *) s_result_array (self->cadre_count, sizeof (uint64_t));

    for (size_t h = 0; h < self->house_count; h++) {
        const fg_plan__house_t *house = &self->houses [h];
        if (house->cadre == FG_PLAN_NONE) {
            result->deficit [result->deficit_count++] = house->in.id;
            continue;
        }
        const fg_plan__cadre_t *cadre = &self->cadres [house->cadre];
        fg_plan_pair_t *pair = &result->pairs [result->pair_count];
        pair->household = house->in.id;
        pair->cadre = cadre->in.id;
        bool same = cadre->in.id == house->prev_cadre;
        if (house->locked != FG_PLAN_NONE) {
            pair->form = self->locked [house->locked].form;
            pair->start_on = self->locked [house->locked].start_on;
        }
        else {
            pair->form = fg_plan__eligible (self, house->cadre, h);
            pair->start_on = same ? self->prev [house->prev].start_on : params->effective_on;
            result->total_cost += fg_plan__cost (self, house->cadre, h, params->w_change);
        }
        result->kept [result->pair_count++] = same || house->locked != FG_PLAN_NONE;
        if (!same)
            result->changed++;
    }
    for (size_t v = 0; v < self->village_count; v++) {
        const fg_plan__village_t *village = &self->villages [v];
        size_t count = 0;
        for (size_t i = 0; i < village->house_count; i++)
            if (self->houses [self->by_village [village->house_first + i]].cadre == FG_PLAN_NONE)
                count++;
        if (count)
            result->deficit_villages [result->deficit_village_count++] = (fg_plan_deficit_t) {
                self->towns [village->town].id, village->id, count };
    }
    for (size_t i = 0; i < self->prev_count; i++) {
        const char *reason = self->prev_reason [i];
        size_t h = s_find_house (self, self->prev [i].household);
        bool end = reason && (streq (reason, "household_inactive") || streq (reason, "duplicate"));
        if (!end)
            end = self->houses [h].cadre == FG_PLAN_NONE
               || self->cadres [self->houses [h].cadre].in.id != self->prev [i].cadre;
        if (end) {
            result->ended [result->ended_count] = self->prev [i];
            result->end_reasons [result->ended_count++] = reason ? reason : "rebalance";
        }
    }
    for (size_t c = 0; c < self->cadre_count; c++) {
        uint32_t load = self->cadres [c].load;
        if (load < self->cadres [c].in.min)
            result->underloaded [result->underloaded_count++] = self->cadres [c].in.id;
        result->load_histogram [load < FG_PLAN_LOAD_BINS - 1 ? load : FG_PLAN_LOAD_BINS - 1]++;
    }
    result->components = self->components;
    result->paths = self->paths;
    result->min_load_moves = self->min_load_moves;
    result->swaps = self->swaps;
    result->transfers = self->transfers;
    s_hash (result, params, frontier, frontier_size);
}

static void
s_plan_free (fg_plan__t *self)
{
    free (self->houses);
    free (self->cadres);
    free (self->locked);
    free (self->prev);
    free (self->prev_reason);
    free (self->towns);
    free (self->villages);
    free (self->by_village);
    free (self->elig);
    free (self->by_cadre);
    free (self->anchors);
}

int
fg_plan_solve (const fg_plan_household_t *households, size_t household_count,
               const fg_plan_cadre_t *cadres, size_t cadre_count,
               const fg_plan_pair_t *locked, size_t locked_count,
               const fg_plan_pair_t *previous, size_t previous_count,
               const fg_plan_params_t *params, const uint8_t *frontier, size_t frontier_size,
               fg_plan_result_t *result)
{
    assert (result);
    assert (households || !household_count);
    assert (cadres || !cadre_count);
    assert (locked || !locked_count);
    assert (previous || !previous_count);
    assert (frontier || !frontier_size);
    memset (result, 0, sizeof *result);
    fg_plan_params_t defaults;
    if (!params) {
        fg_plan_params_default (&defaults);
        params = &defaults;
    }
    if (params->w_change < 1 || params->w_change > S_W_MAX)
        return s_fail (result, "w_change %" PRId64 " is outside 1 .. 10^12", params->w_change);
    //  Cadre and village indices share a 64-bit key in the tier-0 set
    if (household_count >= UINT32_MAX || cadre_count >= UINT32_MAX)
        return s_fail (result, "too many households or cadres");

    fg_plan__t self = { .params = params };
    int rc = s_load_households (&self, households, household_count, result);
    if (rc == 0)
        rc = s_load_cadres (&self, cadres, cadre_count, result);
    if (rc == 0)
        rc = s_load_locked (&self, locked, locked_count, result);
    if (rc == 0) {
        s_build_eligibility (&self);
        s_carry_over (&self, previous, previous_count);
        s_build_anchors (&self);
        rc = fg_plan__flow (&self, result->error, sizeof result->error);
    }
    if (rc == 0) {
        if (params->min_load_pass)
            fg_plan__min_load (&self);
        if (params->concentration_pass)
            fg_plan__concentrate (&self);
        s_emit (&self, result, frontier, frontier_size);
    }
    s_plan_free (&self);
    return rc;
}

void
fg_plan_result_free (fg_plan_result_t *result)
{
    assert (result);
    free (result->pairs);
    free (result->kept);
    free (result->ended);
    free (result->end_reasons);
    free (result->deficit);
    free (result->deficit_villages);
    free (result->underloaded);
    memset (result, 0, sizeof *result);
}
