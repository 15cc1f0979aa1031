/*  fg_plan_ref.h - test support for fg_plan (self-test only): instances
    that own their arrays, a seeded generator of random instances, and a
    naive reference written separately from the solver: eligibility by
    linear scans, carry-over by sorting per cadre, costs by looking at every
    household, brute force over every valid assignment, Kuhn's augmenting
    paths for maximum coverage, and the validity check AL1 (with AL8). */
#ifndef FG_PLAN_REF_H_INCLUDED
#define FG_PLAN_REF_H_INCLUDED

#include "fg_plan.h"

#define S_NONE SIZE_MAX
#define S_W    INT64_C (1000000)
#define S_TOWN(t)       (UINT64_C (513328100) + (t))
#define S_VILLAGE(t, v) (S_TOWN (t) * 1000 + 201 + (v))
#define S_OUTSIDE       S_TOWN (99)  //  a township with no households

//  An instance: every cadre has room for 4 counterpart and 4 deployed
//  townships at lists [8 i ..].
typedef struct {
    fg_plan_household_t *houses;
    size_t               house_count;
    fg_plan_cadre_t     *cadres;
    size_t               cadre_count;
    uint64_t            *lists;
    fg_plan_pair_t      *locked;
    size_t               locked_count;
    fg_plan_pair_t      *prev;
    size_t               prev_count;
    size_t               max_houses, max_cadres, max_pairs;
} fg_plan_ref_inst_t;

typedef struct {
    const fg_plan_ref_inst_t *inst;
    size_t   *locked;        //  per household: cadre index or S_NONE
    size_t   *cand;          //  per household: kept candidate or S_NONE
    uint64_t *prev_cadre;    //  per household: 0 if none
    uint32_t *locks;         //  per cadre
    bool      trimmed;       //  some candidate was dropped for capacity
    bool      inherited;     //  some household inherited its parent's cadre
} fg_plan_ref_t;

//  Brute force over every assignment of the free households (at most 8):
//  the best by (coverage, cost), the least sum of load^2 of all cadres
//  (locked pairs counted) among those (level 5), the fewest changed pairs
//  (P_prev notion) at maximum coverage, and the fewest with every cadre at
//  its min. Start with best_squares = UINT64_MAX.
typedef struct {
    const fg_plan_ref_t *ref;
    size_t   *free_list;
    size_t    free_count;
    uint32_t *load;
    size_t    best_cover;
    int64_t   best_cost;
    size_t    best_new;              //  pairs that are not kept candidates
    uint64_t  best_squares;          //  at (best_cover, best_cost)
    size_t    best_changed;
    size_t    best_changed_min;      //  with load >= min for all; S_NONE if never
    size_t    best_cover_min;
} fg_plan_ref_brute_t;

typedef struct {
    size_t   towns, villages, houses, cadres;
    uint32_t cap_lo, cap_hi, min_hi;
    int      prev_pct, lock_pct, split_pct, junk_pct;
} fg_plan_ref_gen_t;

//  splitmix64; a value below n
uint64_t        fg_plan_ref_rand (uint64_t *state);
size_t          fg_plan_ref_below (uint64_t *state, size_t n);

fg_plan_ref_inst_t  *fg_plan_ref_inst_new (size_t max_houses, size_t max_cadres, size_t max_pairs);
void            fg_plan_ref_inst_destroy (fg_plan_ref_inst_t **inst_p);
//  Append a cadre (no lists, min 0) / a household in township t, village v
fg_plan_cadre_t *fg_plan_ref_inst_cadre (fg_plan_ref_inst_t *inst, uint64_t id, uint64_t home, uint32_t cap);
void            fg_plan_ref_inst_house (fg_plan_ref_inst_t *inst, uint64_t id, size_t town, size_t village,
                                   uint64_t group, bool focus);
void            fg_plan_ref_inst_pair (fg_plan_pair_t *pairs, size_t *count, uint64_t house, uint64_t cadre,
                                  fg_plan_form_t form, int64_t start_on);
//  A deep copy; with rng, every list shuffled (townships in each cadre's too)
fg_plan_ref_inst_t  *fg_plan_ref_inst_copy (const fg_plan_ref_inst_t *src, uint64_t *rng);
void            fg_plan_ref_inst_remove_cadre (fg_plan_ref_inst_t *inst, size_t index);
int             fg_plan_ref_inst_solve (const fg_plan_ref_inst_t *inst, const fg_plan_params_t *params,
                                   fg_plan_result_t *result);
//  previous := the result's pairs
void            fg_plan_ref_inst_take_plan (fg_plan_ref_inst_t *inst, const fg_plan_result_t *result);
fg_plan_ref_inst_t  *fg_plan_ref_generate (uint64_t *rng, const fg_plan_ref_gen_t *gen);

//  The reference
size_t          fg_plan_ref_house (const fg_plan_ref_inst_t *inst, uint64_t id);     //  index or S_NONE
size_t          fg_plan_ref_cadre (const fg_plan_ref_inst_t *inst, uint64_t id);
fg_plan_form_t  fg_plan_ref_form (const fg_plan_cadre_t *cadre, const fg_plan_household_t *house);
const fg_plan_pair_t *fg_plan_ref_prev (const fg_plan_ref_inst_t *inst, uint64_t house);
void            fg_plan_ref_build (fg_plan_ref_t *ref, const fg_plan_ref_inst_t *inst);
void            fg_plan_ref_destroy (fg_plan_ref_t *ref);
int64_t         fg_plan_ref_cost (const fg_plan_ref_t *ref, size_t c, size_t h, int64_t w);
//  How many households of `only` (all free ones if NULL) fit into room [c]
size_t          fg_plan_ref_max_cover (const fg_plan_ref_inst_t *inst, const fg_plan_ref_t *ref,
                                      const uint32_t *room, const bool *only);
//  Start with k = 0 and load [] = the locked loads
void            fg_plan_ref_brute (fg_plan_ref_brute_t *brute, size_t k, size_t cover, int64_t cost,
                              size_t fresh, size_t changed);
//  AL1 and AL8, and the bookkeeping of the result (changed, cost, ended)
void            fg_plan_ref_check_valid (const fg_plan_ref_inst_t *inst, const fg_plan_ref_t *ref,
                                    const fg_plan_result_t *result, int64_t w);
//  Sum over the instance's cadres of load^2 in a result (level 5)
uint64_t        fg_plan_ref_squares (const fg_plan_ref_inst_t *inst, const fg_plan_result_t *result);
bool            fg_plan_ref_same_pairs (const fg_plan_pair_t *a, const fg_plan_pair_t *b, size_t count);
bool            fg_plan_ref_same_result (const fg_plan_result_t *a, const fg_plan_result_t *b);

//  Parts of fg_plan_test in files of their own
void            fg_plan_ref_test_balance (bool verbose);     //  fg_plan_balance_test.c
void            fg_plan_ref_test_scale (void);               //  fg_plan_scale_test.c: the -v figure

#endif
