/*  fg_plan_int.h - private state shared by fg_plan.c (canonical inputs,
    carry-over, the flow per component, output) and fg_plan_pass.c (the
    min-load and concentration passes). Every array is in canonical order:
    households and cadres by id, townships and villages by code. */
#ifndef FG_PLAN_INT_H_INCLUDED
#define FG_PLAN_INT_H_INCLUDED

#include "fg_plan.h"

#define FG_PLAN_NONE SIZE_MAX

typedef struct {
    fg_plan_household_t in;
    size_t   town;               //  index in towns
    size_t   village;            //  index in villages
    size_t   locked;             //  index in locked, or FG_PLAN_NONE
    uint64_t prev_cadre;         //  cadre id of its P_prev pair (0: none)
    size_t   prev;               //  index of that pair in prev, or FG_PLAN_NONE
    size_t   cand;               //  kept-candidate cadre (step 1), or FG_PLAN_NONE
    int64_t  cand_start;         //  its start_on; INT64_MAX if inherited from a parent
    size_t   cadre;              //  assigned cadre, or FG_PLAN_NONE
} fg_plan__house_t;

typedef struct {
    fg_plan_cadre_t in;          //  lists borrowed from the caller
    uint32_t min;                //  min clamped to cap
    uint32_t locked;             //  |L_c|
    uint32_t kept;               //  kept candidates after step 1
    uint32_t load;               //  locked + assigned, kept up to date by every step
    size_t   elig_first;         //  its rows in by_cadre
    size_t   elig_count;
} fg_plan__cadre_t;

typedef struct {
    size_t         town;
    size_t         cadre;
    fg_plan_form_t form;         //  first rule that matches
} fg_plan__elig_t;

typedef struct {
    uint64_t id;
    size_t   elig_first;         //  its rows in elig (by cadre index)
    size_t   elig_count;
    size_t   village_first;      //  its villages (contiguous: villages sort by town)
    size_t   village_count;
} fg_plan__town_t;

typedef struct {
    uint64_t id;
    size_t   town;
    size_t   house_first;        //  its households in by_village, by id
    size_t   house_count;
} fg_plan__village_t;

typedef struct {
    const fg_plan_params_t *params;
    fg_plan__house_t   *houses;
    size_t            house_count;
    fg_plan__cadre_t   *cadres;
    size_t            cadre_count;
    fg_plan_pair_t   *locked;        //  by household
    size_t            locked_count;
    fg_plan_pair_t   *prev;          //  by (household, start_on, cadre, form)
    size_t            prev_count;
    const char      **prev_reason;   //  why a P_prev pair cannot stay, or NULL
    fg_plan__town_t    *towns;
    size_t            town_count;
    fg_plan__village_t *villages;      //  by (township, village)
    size_t            village_count;
    size_t           *by_village;    //  household indices grouped by village
    fg_plan__elig_t    *elig;          //  by (town, cadre)
    size_t            elig_total;
    size_t           *by_cadre;      //  indices into elig, by (cadre, town)
    uint64_t         *anchors;       //  (cadre << 32 | village): tier 0, sorted
    size_t            anchor_count;
    size_t            components;
    size_t            paths;
    size_t            min_load_moves;
    size_t            swaps;
    size_t            transfers;
} fg_plan__t;

//  A sort key of three unsigned fields and an index: every ordering the
//  steps need is one of these, so each sort is a total order without a
//  context pointer (fg_plan_solve is reentrant).
typedef struct {
    uint64_t a, b, c;
    size_t   index;
} fg_plan__key_t;

int           fg_plan__key_cmp (const void *a, const void *b);
fg_plan__key_t *fg_plan__keys_new (size_t count);       //  never NULL
//  Order-preserving map of a signed value into a key field.
static inline uint64_t
fg_plan__signed_key (int64_t value)
{
    return (uint64_t) value ^ (UINT64_C (1) << 63);
}

//  Form by which cadre c may take household h under the rules, or 0.
fg_plan_form_t fg_plan__eligible (fg_plan__t *self, size_t cadre, size_t house);
//  100 * tier + fit of a new pair of cadre c in a village (focus or not)
//  where the rule that matches is form.
int64_t fg_plan__locality (fg_plan__t *self, size_t cadre, size_t village, bool focus,
                         fg_plan_form_t form);
//  Cost of giving household h to cadre c: 0 if c is its kept candidate,
//  else w + 100 * tier + fit. Requires fg_plan__eligible.
int64_t fg_plan__cost (fg_plan__t *self, size_t cadre, size_t house, int64_t w);
//  Steps 3-6 (fg_plan_net.c): the flow of every component, deficit and
//  disaggregation; sets houses [].cadre and cadres [].load. -1 with the
//  reason in error if a component is beyond the int64 bound of its costs.
int     fg_plan__flow (fg_plan__t *self, char *error, size_t error_size);
//  Step 7 and step 8 (fg_plan_pass.c).
void    fg_plan__min_load (fg_plan__t *self);
void    fg_plan__concentrate (fg_plan__t *self);

#endif
