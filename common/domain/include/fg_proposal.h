/*  fg_proposal.h - proposals decided by their owner.

    A write to a field group the author's tier does not own (a township's
    change to a household's admin flags, a county's to a prefecture
    registry) is not applied: the merge keeps it as a proposal (op outcome
    'proposal', fg_merge.h) at every node it reaches, the owner's hub
    among them. The owner decides it:

      accept   the proposal's fields are written as the owner's own put
               on the same row and group, and a proposal_decision row
               (accepted) names the proposal, in one signed entry; the
               put applies everywhere as any write of the owner's;
      reject   a proposal_decision row (rejected) with the reason, which
               the reason requires.

    A decision's org_id is the proposal's anchor (the row's org, inside
    the proposing node's subtree), so it travels down to the township
    that proposed: its worklist shows "refused above, and why"
    (fg_rules_worklist). A proposal is named ORIGIN:SEQ:IDX (the entry
    that carried it and the op in it; ORIGIN:SEQ for the first op), as
    `fugai proposals` lists them. */
#ifndef FG_PROPOSAL_H_INCLUDED
#define FG_PROPOSAL_H_INCLUDED

#include "fg_replica.h"
#include "fg_rows.h"

//  The proposals held here, oldest first: from_node, seq, table, row_id,
//  group, org_id, author, when, fields (name=value), why (the merge's
//  reason), proposal (its name, ORIGIN:SEQ:IDX), state (pending,
//  accepted, rejected), decided_by (node), decided_on, reason. state:
//  only those in that state (pending, accepted, rejected), or NULL or
//  "all". NULL on an unknown state or a database failure (errbuf says
//  why); the caller destroys the rows.
fg_rows_t *fg_proposals_rows (fg_replica_t *replica, const char *state, char *errbuf, size_t errsize);

//  How many proposals held here this node may decide and no decision
//  names yet: its tier keeps the fields, inside its subtree (a count for
//  a screen's header: one indexed read, no op decoded; a county's
//  proposals held at the prefecture are not counted there); -1 on a
//  database failure.
int64_t fg_proposals_pending (fg_replica_t *replica);

//  True if this node's tier keeps group `group` of `table` (it decides
//  the proposals to it; fg_proposal_decide also checks the subtree).
//  owner gets the tiers that do, by name ("county", "prefecture|county").
bool    fg_proposal_owned_here (fg_replica_t *replica, const char *table, const char *group,
                                char *owner, size_t owner_size);

//  Decide the proposal named `id` at this node: accept (reason optional)
//  or reject (reason required). Refused with a reason, and nothing
//  written, when the name is malformed, no such proposal is held here,
//  this node's tier does not own the group (the owner decides), it lies
//  outside this node's subtree, a lower tier that also owns the group
//  holds the row (a C | P group: the county decides its county's rows,
//  the prefecture only its own level's), or it is decided already. 0, or
//  -1 with the reason in errbuf.
int fg_proposal_decide (fg_replica_t *replica, const char *id, bool accept, const char *reason,
                        const char *author, char *errbuf, size_t errsize);

//  What proposal `id` changes, for a reviewer: one row per field it
//  writes: field (the column's name), old (the row's value here now, as
//  people read it: dates as dates, "" for none), new (the proposed value,
//  the same way). row_name gets the row's name for people (its
//  head_name, name or title; "" if the table has none or the row is not
//  held here). NULL with the reason in errbuf (a malformed name, no such
//  proposal, a database failure); the caller destroys the rows.
fg_rows_t *fg_proposal_changes (fg_replica_t *replica, const char *id, char *row_name, size_t name_size,
                                char *errbuf, size_t errsize);

//  This node's own proposals that a node above rejected, newest first:
//  proposal, table, row_id, org_id, decided_by (the node's name, tier
//  and org), decided_on, reason, fields. For the worklist. NULL on a database failure.
fg_rows_t *fg_proposals_refused (fg_replica_t *replica, char *errbuf, size_t errsize);

#endif
