/*  fg_household.h - what a township clerk looks at: households found by
    name or register number, one household with everything recorded about
    it, the cadres to pick from, and the worklist (households unpaired past
    the grace, directives waiting for this node's acknowledgement), and
    what the operator is shown of refused entries. Functions of a replica
    returning rows (fg_rows.h) that a screen renders: the web console's
    pages and the command hold no SQL. Each returns NULL with the reason in
    errbuf when the replica cannot be read. Values are formatted by the
    schema (dates as dates, money in yuan).
*/
#ifndef FG_HOUSEHOLD_H_INCLUDED
#define FG_HOUSEHOLD_H_INCLUDED

#include "fg_replica.h"
#include "fg_rows.h"

//  Households whose head's name or register number contains `text`
//  (or whose id is `text`), at most `limit`: columns id, head_name,
//  hukou_no, org_id, group_name, size, status.
fg_rows_t *fg_household_search (fg_replica_t *replica, const char *text, int limit,
                                char *errbuf, size_t errsize);
//  One household: every column of the household table (one row, or none).
fg_rows_t *fg_household_get (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize);
//  Its members (person): id, name, name_bo, gender, birth_date, relation_to_head.
fg_rows_t *fg_household_members (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize);
//  Its current pairs on `day` (primary first): pairing_id, cadre_id, name, phone, role, provisional.
fg_rows_t *fg_household_cadres (fg_replica_t *replica, uint64_t id, int64_t day,
                                char *errbuf, size_t errsize);
//  Its visits, latest first: id, occurred_on, kind, must_visit_category, cadre, notes, author,
//  pair (current: the cadre was paired with it that day; visit_by_former_pair: only a pair that
//  had ended by then, DOMAIN §4.7; not_paired), voided (yes/no).
fg_rows_t *fg_household_visits (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize);
//  Its must-visit triggers: id, category, occurred_on, due_by, visited (yes/no).
fg_rows_t *fg_household_triggers (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize);
//  Assistance it and its members (as vulnerable people) received, latest
//  first: id, occurred_on, beneficiary (a name), type, amount_fen (in
//  yuan: 12.50),
//  provider, reverses_id, reversed_by (the reversal's id, or null),
//  funding_source, beneficiary_kind, beneficiary_id.
fg_rows_t *fg_household_assistance (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize);
//  Appeals by its members: id, received_on, appellant_name, type, summary,
//  state (RECEIVED until an event folds).
fg_rows_t *fg_household_appeals (fg_replica_t *replica, uint64_t id, char *errbuf, size_t errsize);
//  The households of an org unit's subtree (a village, for the oversight
//  drill-down's last level), at most `limit`, by org and head's name: id,
//  head_name, hukou_no, org_id, size, status, cadre (the primary pair's
//  cadre on `day`, by name), paired (yes / provisional / no), visits (not
//  voided), last_visit (YYYY-MM-DD or null). NULL with the reason in
//  errbuf (a bad org code, a replica that cannot be read).
fg_rows_t *fg_household_of_org (fg_replica_t *replica, const char *org, int64_t day, int limit,
                                char *errbuf, size_t errsize);
//  The name of an org unit as this node holds it: org_unit.name_zh, else
//  the name of the node that serves that code, else the code.
void       fg_org_unit_name (fg_replica_t *replica, const char *code, char *name, size_t size);
//  The units a picker offers inside org's subtree: org itself first, then
//  every unit of the org_unit registry inside it down to max_level
//  (counties 2, townships 3, villages 4) by code, at most `limit`: code,
//  name (name_zh, else as fg_org_unit_name), level (the code's). NULL
//  with the reason in errbuf (a bad org code, a replica that cannot be read).
fg_rows_t *fg_org_units_under (fg_replica_t *replica, const char *org, int max_level, int limit,
                               char *errbuf, size_t errsize);
//  The active cadres of this node's subtree, by name: id, name, org_id.
fg_rows_t *fg_cadre_choices (fg_replica_t *replica, char *errbuf, size_t errsize);

//  Households of this node's subtree with no pair (and no provisional
//  pair) on `day`, registered more than grace_days before it: id,
//  head_name, hukou_no, org_id, registered.
fg_rows_t *fg_worklist_unpaired (fg_replica_t *replica, int64_t day, int grace_days,
                                 char *errbuf, size_t errsize);
//  Directives aimed at this node's subtree, issued elsewhere, that need an
//  acknowledgement and that this node has acknowledged only as received
//  (or not at all): id, title, kind, due_on, issued_by, ack_state.
fg_rows_t *fg_worklist_directives (fg_replica_t *replica, char *errbuf, size_t errsize);
//  Entries refused here (the quarantine): id, origin, seq, reason, detail, received_at.
fg_rows_t *fg_refused_entries (fg_replica_t *replica, int limit, char *errbuf, size_t errsize);

#endif
