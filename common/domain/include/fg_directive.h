/*  fg_directive.h - directives and their acknowledgements (DOMAIN.md
    §2.11). A node acknowledges every directive aimed at its org subtree:
    `received` as soon as it holds it (automatically, when entries arrive
    from its parent), then `applied`, `completed` or `refused` by its
    operator. A pairing plan's directive is answered `applied` only when
    the pairs the township holds match the plan's hash of its slice
    (fg_pairing_directive_ack), `refused` with both counts otherwise. A
    festival (festival_campaign) or disaster (disaster_trigger) directive
    is expanded on arrival at each township into a must_visit_trigger per
    household of its scope (a festival: the paired households, or the
    focus ones with payload_ref "focus"; a disaster: every household),
    dated the directive's effective_on, and answered `applied` with the
    count (DOMAIN.md §3.4 M1). Both
    kinds of acknowledgement are written by one function, through a record
    batch (one entry for all of a node's automatic acknowledgements). */
#ifndef FG_DIRECTIVE_H_INCLUDED
#define FG_DIRECTIVE_H_INCLUDED

#include "fg_record.h"
#include "fg_rows.h"

//  Add this node's acknowledgement of a directive to a batch: state
//  received, applied, completed or refused; reason and result_ref may be
//  NULL. 0, or -1 with the reason in errbuf.
int  fg_directive_ack_add (fg_batch_t *batch, uint64_t directive_id, const char *state,
                           const char *reason, const char *result_ref,
                           char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  The operator's acknowledgement: one entry, its own transaction.
int  fg_directive_ack (fg_replica_t *replica, uint64_t directive_id, const char *state,
                       const char *reason, const char *result_ref, const char *author,
                       char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Acknowledge every directive aimed at this node's org subtree, not
//  issued by it, that it has not acknowledged yet (inside the caller's
//  transaction); *count_p gets how many. The programme's on_from_parent
//  hook. 0, or -1 with the reason in the replica's error.
int  fg_directive_ack_arrived (fg_replica_t *replica, const char *author, size_t *count_p);
//  Every directive held here, oldest first: id, to (org code), title,
//  due_on, issued_by (node), author, voided, acks ("node:state ..." of
//  each acknowledging node's states in order). NULL with the reason in
//  errbuf when the replica cannot be read.
fg_rows_t *fg_directive_list (fg_replica_t *replica, char *errbuf, size_t errsize);
//  The pairing plans held here, by county and newest version first:
//  id, county, cycle_year, version, base, effective_on, kept, new,
//  ended, deficit, plan_hash, author, acks (each township's latest
//  acknowledgement of the plan's directive, "node:state ...").
fg_rows_t *fg_directive_plans (fg_replica_t *replica, char *errbuf, size_t errsize);
//  The directive of the newest pairing plan of a township's county that
//  has arrived here: its id and payload_ref ("pairing_plan:ID"). 1 when
//  there is none, 0, or -1 with the reason in errbuf.
int        fg_directive_latest_plan (fg_replica_t *replica, const char *township,
                                     uint64_t *directive_id, char ref [48],
                                     char *errbuf, size_t errsize);

//  Where this node may aim a directive, for a form: its own subtree
//  first (every node below), then by org code each county and township
//  inside it that it knows, as a node below it (fg_replica_origins;
//  revoked ones left out) or in the org_unit registry (a township not
//  heard of yet is still a target): code, name (org_unit.name_zh, else
//  the node's enrolled name, else the code), tier, node (null for a unit
//  whose node is not known here). NULL with the reason in errbuf when the
//  replica cannot be read.
fg_rows_t *fg_directive_targets (fg_replica_t *replica, char *errbuf, size_t errsize);

#endif
