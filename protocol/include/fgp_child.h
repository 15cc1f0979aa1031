/*  fgp_child.h - the child side of a link, as a CZMQ actor.

    Runs in every township edge and in every county hub (facing up). It
    connects a DEALER to the parent's ROUTER over CURVE (the parent's key
    pinned by `fugai trust`), opens a session (HELLO / WELCOME), then keeps
    the two streams of its fgp_link going: its own subtree's entries up
    (fgp_sender), the parent's entries for its scope down (fgp_receiver,
    which also acknowledges directives aimed at this node).

    It looks for new local writes every sync/poll_ms (PRAGMA data_version:
    the operator's command writes into the same file), pings every
    sync/heartbeat_ms, and starts a new session when the parent has been
    silent for sync/timeout_ms, or says it does not know the session (it
    restarted). Nothing depends on the session surviving: the cursors live
    in the replica.

        zactor_t *child = zactor_new (fgp_child_actor, (void *) node_dir);
        ...
        zactor_destroy (&child);          //  sends $TERM, waits

    The actor signals when it is ready (0) or could not start (1: the
    reason is logged: no configuration, no keys, no pinned parent). The
    command "WAKE" on its pipe makes it look for entries to send at once.
*/
#ifndef FGP_CHILD_H_INCLUDED
#define FGP_CHILD_H_INCLUDED

#include "fg_common.h"

void fgp_child_actor (zsock_t *pipe, void *node_dir);

#endif
