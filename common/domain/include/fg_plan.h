/*  fg_plan.h - the annual pairing reassignment of a county (DOMAIN §4).

    A pure function of its inputs: no database, no network, no clock, no
    floating point. Given the households H, the cadres C, the locked pairs L
    and the previous plan P_prev, fg_plan_solve computes the assignment that
    (1) covers as many households as possible, (2) changes as few pairs of
    P_prev as possible, (3) keeps pairs local (tier), (4) gives focus
    households leading cadres (fit), (5) evens out loads (balance: the
    least sum over cadres of load^2, locked pairs counted), in that order,
    then lifts cadres below their minimum (min-load pass) and lowers
    villages per cadre (concentration pass). Levels 1-5 are solved exactly
    (two min-cost flows per component, fg_plan_net.c). Balance is the last
    level: it never costs a change, a tier or a fit, it only chooses which
    of equally good cadres takes a new household, so that a cadre no longer
    holds 8 beside a colleague of the same township with 1 who could have
    taken some at no other cost. Kept pairs are never moved to even loads
    out. Neighbours stay together: a cadre takes its new households of a
    village in blocks by (group, id).

    Eligibility of cadre c for household h, first rule that matches:
        1. home_township (c) = township (h)      territorial
        2. township (h) in counterpart (c)       counterpart
        3. township (h) in deployed (c)          org_deployment
    cadre_relative pairs come only through L. A cadre whose home_township
    is 0 has none.

    Cost of a new pair, all integers:
        w_change + 100 * tier + fit
        tier  0 if c holds a kept or locked household of the same village,
              else 1, 2, 3 for territorial, counterpart, org_deployment
        fit   1 if h is a focus household and c is not leading, else 0
    A kept pair costs 0. Inside a component of n free (unlocked)
    households the flows weigh a change W = 301 n + 1 instead of w_change
    (more than every locality and fit saving it could buy: at most 301 for
    each of at most n new pairs), multiply that cost by B and add balance:
    the arc that gives a cadre its l-th household costs l - 1. B = n (top -
    1) + 1, top the highest load a cadre of the component can reach, so
    that the whole balance term never outweighs one unit of fit.
    The order is thus lexicographic whatever w_change is; w_change only
    prices total_cost (and is hashed).

    The int64 bound (proved in fg_plan_net.c): every sum the flows form is
    at most (2n + 1) B (W + 301) + 2 top. For |H_comp| = n <= 30,000 and
    loads <= 10 (DOMAIN P3) that is 1.46e17, 63 times below 2^63 - 1; at
    n = 30,000 it holds up to loads of 568 (fugai-selftest plan solves
    that edge: 568 fits, 569 is refused). A component beyond it is
    refused as a HARD error, never wrapped. With balance off, B = 1.

    Where §4.3 leaves a choice, this is how it is read:
    - A household's P_prev pair is its oldest (start_on, cadre, form); any
      other pair of it ends as "duplicate". The pair stays a kept candidate
      if the household is in H and not locked to another cadre, and the
      cadre is in C and still eligible by the rules (its form is then
      recomputed). A cadre's kept candidates are trimmed to cap - |L_c|,
      newest (start_on, then household id) first.
    - Lineage: a household with no P_prev pair takes its parent's cadre
      (the parent's locked pair, else its P_prev pair) as a kept candidate
      (cost 0) if that cadre is eligible for it and has room left after
      every real kept pair; by household id. The pair is still reported as
      new (kept false, counted in changed).
    - Deficit: in the pool of a (village, focus) supply, households that
      had a P_prev pair are covered before those that had none, then by id.
    - Step 7 and step 8 treat a pair as new when it is not locked, not the
      household's kept candidate and not its P_prev pair. Step 7 runs in
      rounds over the cadres by id, one move per cadre below min per round,
      taking new pairs first by (cost, the most-loaded donor, id). A move
      takes a household from a cadre above its min to one below (with one
      min for all, as fg_pairing's min = 1, that evens loads out too); it
      may cost a tier, a fit or a change: the flows do not see min (P2),
      step 7 is where it is met.
      Step 8 takes, per household, the best step by (villages saved, cost
      change, swap before transfer, id), in at most 16 passes: a swap of
      two new pairs, or a transfer of a new pair to a cadre that holds one
      household fewer and keeps its min (the two loads trade places). Both
      keep the loads as a whole, so levels 1-5 stay optimal through step 8.

    Determinism: every input list is sorted by id first, so permuting any
    of them (and the townships in a cadre's lists) changes nothing, bit for
    bit. The result of the same inputs is the same on every machine.

    plan_hash is BLAKE2b-256 (crypto_generichash, no key) of these bytes,
    every integer big-endian:

        OFFSET  SIZE  MEANING
        0       8     "fgplan2\0"
        8       8     pair_count
        16      17*n  per pair, by household id: household u64, cadre u64, form u8
        ...     8     params.w_change (two's complement)
        ...     1     params.min_load_pass (0/1)
        ...     1     params.concentration_pass (0/1)
        ...     1     params.balance (0/1)
        ...     8     params.effective_on (two's complement)
        ...     8     frontier_size
        ...     f     frontier bytes

    The kept flags, start_on dates and ended pairs are not hashed: they
    describe the change from P_prev, not the plan, so rerunning a plan on
    itself (P_prev := the plan) gives the same hash.
*/
#ifndef FG_PLAN_H_INCLUDED
#define FG_PLAN_H_INCLUDED

#include "fg_common.h"

typedef enum { FG_FORM_TERRITORIAL = 1, FG_FORM_COUNTERPART = 2,
               FG_FORM_ORG_DEPLOYMENT = 3, FG_FORM_CADRE_RELATIVE = 4 } fg_plan_form_t;

typedef struct {
    uint64_t id;            //  household id (not 0)
    uint64_t village;       //  org code of its village
    uint64_t township;      //  org code of its township
    uint64_t group;         //  natural village / herding group key (0: none)
    bool     focus;         //  petitioner, needy or demonstration household
    uint64_t parent;        //  household it split from (0: none)
} fg_plan_household_t;

typedef struct {
    uint64_t        id;              //  cadre id (not 0)
    uint64_t        home_township;   //  org code where the cadre works or is stationed (0: none)
    uint32_t        cap;             //  households it may hold (P3)
    uint32_t        min;             //  households it should hold at least (P2; 0 = none)
    bool            leading;         //  at or above deputy county (fit)
    const uint64_t *counterpart;     //  townships of its unit's counterpart map
    size_t          counterpart_count;
    const uint64_t *deployed;        //  townships P allocated it to (org_deployment)
    size_t          deployed_count;
} fg_plan_cadre_t;

typedef struct {
    uint64_t       household;
    uint64_t       cadre;
    fg_plan_form_t form;
    int64_t        start_on;         //  days since epoch (newest dropped first on overload)
} fg_plan_pair_t;

typedef struct {
    int64_t w_change;                //  default 1000000; 1 .. 10^12
    bool    min_load_pass;           //  step 7 (default true)
    bool    concentration_pass;      //  step 8 (default true)
    bool    balance;                 //  level 5 of the objective: even loads (default true)
    int64_t effective_on;            //  start_on of new pairs (default 0)
} fg_plan_params_t;

//  Bins of fg_plan_result_t.load_histogram: loads 0 .. 9, then 10 or more
//  (10 is the absolute cap of DOMAIN §3.1 P3).
#define FG_PLAN_LOAD_BINS 11

//  Households left without a pair, counted per village (step 5).
typedef struct {
    uint64_t township;
    uint64_t village;
    size_t   count;
} fg_plan_deficit_t;

typedef struct {
    fg_plan_pair_t *pairs;           //  the assignment, sorted by household id
    bool           *kept;            //  pairs [i] was in P_prev (or L): kept, else new
    size_t          pair_count;
    fg_plan_pair_t *ended;           //  pairs of P_prev not in the assignment, by household
    const char    **end_reasons;     //  per ended pair (static strings):
                                     //  "household_inactive"  household not in H
                                     //  "duplicate"           a second P_prev pair of a household
                                     //  "cadre_retired"       cadre not in C
                                     //  "manual"              L pairs the household with another cadre
                                     //  "form_invalid"        the cadre is no longer eligible (P4)
                                     //  "over_capacity"       trimmed, newest first, to cap - |L_c|
                                     //  "rebalance"           moved by the plan
    size_t          ended_count;
    uint64_t       *deficit;         //  households left without a pair (coverage deficit), sorted
    size_t          deficit_count;
    size_t          changed;         //  households whose cadre is not their P_prev cadre (incl. newly paired
                                     //  and locked to another cadre); the deficit is not counted here
    int64_t         total_cost;      //  sum of cost_new (with w_change) over pairs that are neither
                                     //  locked nor kept candidates
    uint8_t         plan_hash [32];  //  see the top of this file
    char            error [256];     //  why fg_plan_solve failed
    //  Reports beyond the assignment:
    fg_plan_deficit_t *deficit_villages;   //  deficit per village, by (township, village)
    size_t          deficit_village_count;
    uint64_t       *underloaded;     //  cadres left below min (P2), sorted; report only
    size_t          underloaded_count;
    size_t          components;      //  eligibility components solved
    size_t          paths;           //  augmenting paths over all components (both flows)
    size_t          min_load_moves;  //  households moved by step 7
    size_t          swaps;           //  swaps made by step 8
    size_t          transfers;       //  new pairs step 8 moved to a cadre holding one fewer
    size_t          load_histogram [FG_PLAN_LOAD_BINS];
                                     //  cadres of C by final load (locked pairs included):
                                     //  [l] holds l households, the last bin that many or more
} fg_plan_result_t;

//  w_change 1000000, both passes and balance on, effective_on 0.
void fg_plan_params_default (fg_plan_params_t *params);

//  Solve; 0, or -1 with result->error (a HARD error: a locked pair over
//  capacity or not eligible for its form, a duplicate or zero id, a
//  household locked twice, a pair naming an unknown household or cadre in
//  L, a form out of range in L, params out of range, a component beyond
//  the int64 bound of its costs). On -1 nothing but error is set. The
//  caller frees with fg_plan_result_free in both cases.
//  frontier/frontier_size: opaque bytes folded into plan_hash (may be
//  NULL/0). params NULL means the defaults. Input pointers are borrowed for
//  the call only.
//
//  Locked pairs are always in the assignment, with their own form and
//  start_on (a locked cadre_relative pair is eligible by definition; any
//  other form must meet its own P4 rule). P_prev pairs that stay keep
//  their start_on; their form is recomputed from the rules. New pairs get
//  params->effective_on.
int  fg_plan_solve (const fg_plan_household_t *households, size_t household_count,
                    const fg_plan_cadre_t *cadres, size_t cadre_count,
                    const fg_plan_pair_t *locked, size_t locked_count,
                    const fg_plan_pair_t *previous, size_t previous_count,
                    const fg_plan_params_t *params, const uint8_t *frontier, size_t frontier_size,
                    fg_plan_result_t *result);

//  Free what fg_plan_solve allocated and zero the result; safe twice.
void fg_plan_result_free (fg_plan_result_t *result);

//  "territorial", "counterpart", "org_deployment", "cadre_relative";
//  "unknown" for anything else.
const char *fg_plan_form_name (fg_plan_form_t form);

#endif
