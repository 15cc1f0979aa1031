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

//  This node's own proposals that a node above rejected, newest first:
//  proposal, table, row_id, org_id, decided_by (the node's name, tier
//  and org), decided_on, reason, fields. For the worklist. NULL on a database failure.
fg_rows_t *fg_proposals_refused (fg_replica_t *replica, char *errbuf, size_t errsize);

#endif
