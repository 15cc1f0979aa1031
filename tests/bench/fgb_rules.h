/*  fgb_rules.h - the rules part of fugai-bench's plan section: how long a
    county takes to evaluate every implemented rule of DOMAIN.md §3 over a
    year of its activity. Bench code only. */
#ifndef FGB_RULES_H_INCLUDED
#define FGB_RULES_H_INCLUDED

#include "fg_common.h"
#include "fg_keys.h"

//  In the county replica at path (a plan published, its townships'
//  must-visit triggers held): write a year of visits ending on `last` as
//  the county (not measured): per active primary pairing, one in-person
//  visit by its cadre in each quarter but for one pairing in ten in each
//  quarter, and for four triggers in five a visit of its category by the
//  household's cadre within its window. Then evaluate every implemented
//  rule over the county as of `last`, `runs` times, cold (a fresh open)
//  each time; figures in section "plan". 0, or -1 with a problem.
int fgb_bench_rules (const char *path, fg_keys_t *keys, int64_t last, size_t runs);

#endif
