/*  fg_pairing.h - a county's pairing plan, read from and written to its
    replica (DOMAIN §4.1, §4.6). fg_plan solves; this module gathers what
    it solves from the records the county holds, and publishes the result
    as records that travel like any other.

    Inputs, for county K and the day effective_on (E):
      H  households whose village is in K, status active (or not given),
         economy farming, herding or semi (or not given: a household whose
         economy nobody recorded is covered rather than forgotten), and
         registered on E (valid_from <= E < valid_to where given).
         focus = needy or demonstration, or the appellant household of an
         appeal that is not closed. group = a hash of group_name.
      C  cadres active on E (status active or not given; an aid cadre whose
         term ended before E is out) that work in K (org_id inside K), or
         that a resident work team of K active on E counts as leader or
         member (a prefecture cadre stationed in K).
           home_township  the township of org_id (0 for a county organ)
           counterpart    the counterpart_townships of its work unit
           deployed       the townships of the teams it serves in (villages
                          give their township)
           cap            capacity_override (at most 10), else 6 for ranks
                          prefecture_* and county_* (at or above deputy
                          county), else 8
           min            1, or 0 when K has fewer households than cadres
           leading        rank prefecture_* or county_*
      L  approved kinship claims (cadre_relative) whose household is in H
         and whose cadre is in C; one per household (the one already
         paired, else the oldest claim).
      P_prev  the active primary pairings of K on E (end_on not given or
         after E), other than the locked ones; and the pairing_provisional
         events of K's townships for households that have no such pairing
         (DOMAIN §4.6 step 7: the plan treats them as kept).
      frontier  JSON {"origin": seq, ...} of everything merged here.

    Publishing (one transaction, so a plan is all there or not at all):
      - a pairing_plan event (org_id K): cycle_year, version (1 + the
        highest version of K), base_version, effective_on, input_frontier,
        params_hash, overrides (the locks, JSON), stats, plan_hash, and
        slices: "TOWNSHIP:PAIRS:HASH,..." for every township the plan
        touches, what it must hold once applied (fg_pairing_slice.c);
      - a pairing row for every pair without one (new pairs and confirmed
        provisional ones), stamped plan_id and plan_version, org_id the
        household's village; the form of a kept pair where it changed;
      - end_on = E and end_reason on every ended pairing row;
      - a directive kind=pairing_plan to K, payload_ref "pairing_plan:ID",
        which every node of K acknowledges.
    The rows are grouped into entries by township (at most 200 rows
    each), so a township receives the part of the plan that concerns its
    households (its slice) and nothing else.
*/
#ifndef FG_PAIRING_H_INCLUDED
#define FG_PAIRING_H_INCLUDED

#include "fg_replica.h"
#include "fg_plan.h"
#include "fg_rows.h"

typedef struct {
    uint64_t         county;         //  org code of the county (6 digits)
    int64_t          effective_on;   //  days since epoch
    int64_t          cycle_year;     //  0: the programme year (July-June) holding effective_on
    fg_plan_params_t params;         //  effective_on is set from the field above
    bool             accept_deficit; //  publish even if households are left without a pair
} fg_pairing_opts_t;

//  What the plan was computed from, and what publishing wrote.
typedef struct {
    size_t   households;             //  |H|
    size_t   cadres;                 //  |C|
    size_t   deployed_cadres;        //  cadres with a deployed township list
    size_t   locked;                 //  |L|
    size_t   previous;               //  |P_prev| (pairings and provisional)
    size_t   provisional;            //  of which pairing_provisional events
    size_t   kept;                   //  pairs of the plan kept from P_prev or L
    size_t   added;                  //  pairs that are new in this plan
    int64_t  version;                //  this plan's version
    int64_t  base_version;           //  the version before it (0: none)
    int64_t  cycle_year;
    uint64_t plan_id;                //  set by publishing
    uint64_t directive_id;           //  set by publishing
    size_t   rows_added;             //  pairing rows written
    size_t   rows_ended;             //  pairing rows ended
    size_t   rows_reformed;          //  kept pairing rows whose form changed
    size_t   entries;                //  entries written
    int64_t  gather_us;              //  time reading the inputs
    int64_t  solve_us;               //  time in fg_plan_solve
    int64_t  write_us;               //  time writing the records (publish)
    char     plan_hash [65];         //  hex
    char     params_hash [65];       //  hex
} fg_pairing_info_t;

//  The households a plan must cover, as SQL conditions on a household
//  table aliased h (status active or not given; economy farming, herding,
//  semi or not given), for every query that counts them: the plan, the
//  provisional pairs, the coverage report.
#define FG_PAIRING_HOUSEHOLD_IN_H \
    "coalesce (h.status, 'active') = 'active' " \
    "AND coalesce (h.economy, 'farming') IN ('farming', 'herding', 'semi')"
//  G_new (DOMAIN §3.1 P1): days a new household may wait for its pair.
#define FG_PAIRING_GRACE_DAYS 30

typedef struct _fg_pairing_t fg_pairing_t;

//  Gather the inputs and solve; NULL with the reason in errbuf (a county
//  code that is not a county, a database error, or a hard error of the
//  solver, such as a locked pair over its cadre's capacity).
fg_pairing_t *fg_pairing_compute (fg_replica_t *replica, const fg_pairing_opts_t *opts,
                                  char *errbuf, size_t errsize);
//  Compute and publish in one transaction; NULL with errbuf if refused
//  (then nothing was written). Only a county node publishes its plans.
//  Coverage is HARD for plans (DOMAIN §3.1 P1): a plan that leaves
//  households without a pair is refused unless opts->accept_deficit says
//  the office knows (the deficit is then in the plan's stats, by village
//  in the report, for the request to the prefecture for cadres).
fg_pairing_t *fg_pairing_publish (fg_replica_t *replica, const fg_pairing_opts_t *opts,
                                  const char *author, char *errbuf, size_t errsize);
const fg_plan_result_t  *fg_pairing_result (fg_pairing_t *self);
const fg_pairing_info_t *fg_pairing_info (fg_pairing_t *self);
//  The village of a household of the plan's inputs or of P_prev (0 if
//  unknown); lets a report say where each pair is.
uint64_t fg_pairing_village (fg_pairing_t *self, uint64_t household);
void     fg_pairing_destroy (fg_pairing_t **self_p);

//  A computed plan as the county office reviews it before publishing
//  (fg_pairing_review.c). Each household of the inputs or of P_prev is
//  counted once: kept (same cadre), changed (its pair ends, another
//  cadre), added (no pair before, one now), ended (its pair ends, none
//  after), unpaired (none before, none after: the deficit).
//  By unit: level 3 (township) or 4 (village), rows code, name (from
//  org_unit), kept, changed, added, ended, unpaired, then a total row
//  (metadata total_row, labels, chart). NULL with errbuf.
fg_rows_t *fg_pairing_review_units (fg_pairing_t *plan, fg_replica_t *replica, int level,
                                    char *errbuf, size_t errsize);
//  The list, one row per household (kept ones only if with_kept), at most
//  max: village (name), household_id, head_name, change, cadre (the
//  plan's, by name), form, previous_cadre, end_reason. Values labelled
//  (value_labels). NULL with errbuf.
fg_rows_t *fg_pairing_review_pairs (fg_pairing_t *plan, fg_replica_t *replica, bool with_kept,
                                    size_t max, char *errbuf, size_t errsize);

//  The acknowledgement a node gives a directive whose payload_ref is
//  "pairing_plan:ID" (inside the receiving transaction): a township
//  compares the pairs it holds for the plan's effective day with the
//  plan's slice for it (fg_pairing_slice.c) and says "applied" if they
//  are the same, "refused" with both counts and hashes if not; other
//  nodes, a plan not held, or a plan a later version replaced on arrival
//  get "received". detail gets the result_ref or the reason. 0, or -1 on
//  a database error.
int      fg_pairing_directive_ack (fg_replica_t *replica, const char *payload_ref, char state [16],
                                   char *detail, size_t detail_size);

//  A township's provisional pairs (DOMAIN §4.6 step 7; fg_pairing_prov.c):
//  its households with no pair for more than grace_days (G_new), focus
//  read as for H above, get the township's own cadres that have room, by
//  fg_plan_solve, as
//  pairing_provisional events, which the county's next plan keeps unless
//  capacity or locality says otherwise.
typedef struct {
    int64_t today;                   //  days since epoch
    int     grace_days;              //  G_new (default 30)
} fg_pairing_prov_opts_t;

typedef struct {
    size_t  unpaired;                //  households of the township without a pair today
    size_t  waiting;                 //  of which still within the grace days
    size_t  paired;                  //  paired now (written, unless a dry run)
    size_t  left;                    //  past the grace but no cadre has room
    int64_t base_version;            //  the county's newest plan held here
} fg_pairing_prov_info_t;

void     fg_pairing_prov_opts_default (fg_pairing_prov_opts_t *opts, int64_t today);
//  Compute and, if author is not NULL, write (one transaction). 0, or -1
//  with errbuf (not a township; a database error).
int      fg_pairing_provisional (fg_replica_t *replica, const fg_pairing_prov_opts_t *opts,
                                 const char *author, fg_pairing_prov_info_t *info,
                                 char *errbuf, size_t errsize);

//  A cadre's capacity (DOMAIN §3.1 P3): capacity_override (NULL in the
//  column: none) within 0..10, else 6 at or above deputy county (ranks
//  prefecture_* and county_*, *leading_p true), else 8. column is the
//  statement's column holding capacity_override.
uint32_t fg_pairing_cap (const char *rank, sqlite3_stmt *stmt, int column, bool *leading_p);

//  Default options: params defaults, cycle_year from the date.
void     fg_pairing_opts_default (fg_pairing_opts_t *opts, uint64_t county, int64_t effective_on);

#endif
