/*  fg_casework.h - what a township clerk needs around the forms of a
    household's casework, beside fg_household.h: who may receive
    assistance (the household and its members identified as vulnerable),
    the transitions an appeal may take next at this node, an appeal's
    events, the must-visit triggers still waiting for a visit (the
    worklist), the publicity events recorded here, and the org units a
    form may place a record in. Functions of a replica returning rows
    (fg_rows.h) formatted by the schema (dates as dates, money in yuan);
    NULL with the reason in errbuf when the replica cannot be read (or the
    question names nothing). The caller destroys the rows. No screen holds
    the SQL these hold.
*/
#ifndef FG_CASEWORK_H_INCLUDED
#define FG_CASEWORK_H_INCLUDED

#include "fg_replica.h"
#include "fg_rows.h"

//  Who in household `id` may receive assistance on `day`: the household
//  itself, then each member's vulnerable_person record (category; cert
//  not rejected): kind (household | vulnerable_person), id, name,
//  category (null for the household), eligible (yes: within
//  eligible_from / eligible_to where given; no otherwise).
fg_rows_t *fg_household_beneficiaries (fg_replica_t *replica, uint64_t id, int64_t day,
                                       char *errbuf, size_t errsize);

//  The transitions case `case_id` of workflow table `table` (appeal) may
//  take next when written at this node: those whose `from` holds the
//  case's state (or "*" while it is not terminal) and whose `who` lets
//  this node act (the owner, or a unit above it), as the fold will judge
//  them (fg_merge_rows.c). Rows: transition, to (the state after it,
//  null for an annotation), owner (up, down or null: what its owner
//  column means). Also *state (its current state) and *owner (the
//  owning org), each at least 64 bytes, may be NULL. No rows for a
//  terminal case; NULL if the table has no workflow or holds no such case.
fg_rows_t *fg_case_transitions (fg_replica_t *replica, const char *table, uint64_t case_id,
                                char *state, char *owner, char *errbuf, size_t errsize);

//  The events of appeal `id`, in the order the fold takes them: id,
//  occurred_on, transition, state_after, rejected (yes/no),
//  reject_reason, note, author.
fg_rows_t *fg_appeal_events (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize);

//  The must-visit triggers of this node's subtree (not void) that no
//  in-person visit of the household has answered yet (trigger_id, or
//  its category, dated on or after the trigger; a festival's from its
//  lead), oldest due first, at most `limit`: id, household_id, head_name,
//  org_id, category, occurred_on, due_by (recorded, else occurred_on plus
//  the category's window in force), state (window_open: still open on
//  `day`; overdue). A visit made late takes a trigger off this list; rule
//  M1 still reports it late (fugai findings).
fg_rows_t *fg_worklist_must_visits (fg_replica_t *replica, int64_t day, int limit,
                                    char *errbuf, size_t errsize);

//  The publicity events of this node's subtree, latest first, at most
//  `limit`: id, occurred_on, org_id, place (the unit's name), organizer_unit, method,
//  theme, audience_count, language, author.
fg_rows_t *fg_publicity_recent (fg_replica_t *replica, int limit, char *errbuf, size_t errsize);

//  The org units of this node's subtree a record may be placed in: the
//  node's own, the units registered (org_unit) and those its households
//  name, by code; with `above`, the units above it first (the county,
//  the prefecture: where a case is escalated): code, name
//  (fg_org_unit_name).
fg_rows_t *fg_org_choices (fg_replica_t *replica, bool above, char *errbuf, size_t errsize);

#endif
