/*  fg_pairing_int.h - what fg_pairing.c (gather, solve) and
    fg_pairing_publish.c (write) share. Not a public header. */
#ifndef FG_PAIRING_INT_H_INCLUDED
#define FG_PAIRING_INT_H_INCLUDED

#include "fg_pairing.h"

//  A pairing that exists before the plan: an active pairing row, or a
//  pairing_provisional event (row 0), with where it lives.
typedef struct {
    uint64_t household;
    uint64_t cadre;
    uint64_t row;            //  pairing row id; 0 for a provisional pair
    uint64_t village;        //  org_id of the row or event
    int64_t  start_on;       //  its first day (days since epoch)
    char     form [16];      //  the row's form ("" if none)
} fg_pairing__held_t;

struct _fg_pairing_t {
    fg_pairing_opts_t    opts;
    fg_plan_household_t *households;     //  H, by id
    size_t               household_count;
    fg_plan_cadre_t     *cadres;         //  C, by id
    size_t               cadre_count;
    uint64_t           **lists;          //  township lists the cadres point to
    size_t               list_count;
    fg_plan_pair_t      *locked;         //  L
    size_t               locked_count;
    fg_plan_pair_t      *previous;       //  P_prev
    size_t               previous_count;
    fg_pairing__held_t            *held;           //  every existing pair, by (household, cadre)
    size_t               held_count;
    char                *frontier;       //  JSON
    char                *overrides;      //  JSON
    fg_plan_result_t     result;
    fg_pairing_info_t    info;
};

//  A slice hash being computed (fg_pairing_slice.c).
typedef struct {
    crypto_generichash_state state;
    size_t pairs;
} fg_pairing_slice_t;
void fg_pairing_slice_init (fg_pairing_slice_t *slice);
void fg_pairing_slice_add (fg_pairing_slice_t *slice, uint64_t household, uint64_t cadre, fg_plan_form_t form);
void fg_pairing_slice_final (fg_pairing_slice_t *slice, char hex [65]);

//  H as the county's plan and a township's provisional pairs both read it
//  (DOMAIN §4.1): rows of household h whose first columns are
//  FG_PAIRING_HOUSEHOLD_COLUMNS, from a query whose conditions include
//  FG_PAIRING_HOUSEHOLD_IN_H. focus is needy or demonstration, or the
//  appellant household of an appeal that is not closed.
#define FG_PAIRING_HOUSEHOLD_COLUMNS \
    "h.id, h.org_id, h.group_name, coalesce (h.needy, 0) OR coalesce (h.demonstration, 0), " \
    "coalesce (h.parent_household_id, 0)"
//  Whether a row goes in (it may read the caller's columns after those).
typedef bool (fg_pairing_keep_fn) (sqlite3_stmt *stmt, void *arg);
//  Steps stmt (prepared and bound by the caller; finalized here) to its
//  end. *households_p (caller frees) and *count_p get the rows keep says
//  go in (keep NULL: all), in the query's order. 0, or -1 with errbuf.
int  fg_pairing_households (sqlite3 *db, sqlite3_stmt *stmt, fg_pairing_keep_fn *keep, void *arg,
                            fg_plan_household_t **households_p, size_t *count_p,
                            char *errbuf, size_t errsize);

//  Shared by the county's plan and the township's provisional pairs:
//  a household's group key, the programme year of a day, and id order.
uint64_t fg_pairing_group_key (const unsigned char *group_name);
int64_t  fg_pairing_cycle_year (int64_t day);
int      fg_pairing_id_cmp (const void *a, const void *b);

//  The existing pair (household, cadre), or NULL.
const fg_pairing__held_t *fg_pairing_held (fg_pairing_t *self, uint64_t household, uint64_t cadre);
//  Township of an org code (village or township), 0 above that.
uint64_t fg_pairing_township (uint64_t org);
//  The form a pairing row names (fg_plan_form_name's words), 0 if none.
fg_plan_form_t fg_pairing_form (const char *name);

#endif
