/*  fgb_plan.h - the "plan" section of fugai-bench: a county's annual
    pairing reassignment (DOMAIN §4) at the scale of a real county
    (DOMAIN §6), measured through the library (fg_pairing) on real replica
    files with real keys. Bench code only.
*/
#ifndef FGB_PLAN_H_INCLUDED
#define FGB_PLAN_H_INCLUDED

#include "fg_common.h"

//  A county of the prefecture (DOMAIN §6.2, §6.3): about 11,500 paired
//  households and 2,700 county organ and township cadres.
#define FGB_PLAN_HOUSEHOLDS      11500
#define FGB_PLAN_CADRES          2700
//  Below this the 18 townships get too few cadres each for the shape of
//  the instance (every township has spare capacity) to hold.
#define FGB_PLAN_MIN_HOUSEHOLDS  1000

//  Build a county of `households` households in 18 townships and `cadres`
//  cadres (0: in the proportion FGB_PLAN_CADRES / FGB_PLAN_HOUSEHOLDS) in
//  dir (created; removed at the end unless keep), then measure, once in
//  each of `runs` fresh copies of the county's replica: the first plan
//  (computed, then published), the annual rerun a year later after 10 %
//  of the township cadres retired (computed, then published), and a
//  rerun on the published plan with nothing changed. Figures go to
//  fgb_figure (section "plan"); failures and counts that do not match go
//  to fgb_problem. Returns 0, or -1 if anything failed or did not match.
int  fgb_bench_plan (const char *dir, size_t households, size_t cadres, size_t runs, bool keep);

#endif
