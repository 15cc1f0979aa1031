/*  fgp_child.h - the child side of a link, as a CZMQ actor.

    Runs in every township edge and in every county hub (facing up). It
    connects a DEALER to the parent's ROUTER over CURVE (the parent's key
    pinned by `fugai trust`), opens a session (HELLO / WELCOME), then keeps
    the two streams of its fgp_link going: its own subtree's entries up
    (fgp_sender), the parent's entries for its scope down (fgp_receiver,
    which also acknowledges directives aimed at this node).

    It sleeps until a message comes or its next deadline (fgp_alarm in
    fgp_daemon.h): it pings every sync/heartbeat_ms, records the link's
    status every few seconds, retries a HELLO after its back-off, and
    starts a new session when the parent has been silent for
    sync/timeout_ms, or says it does not know the session (it restarted).
    New local writes wake it (WAKE, below); as a safety net it also looks
    at the replica every sync/poll_ms. Nothing depends on the session
    surviving: the cursors live in the replica.

        zactor_t *child = zactor_new (fgp_child_actor, (void *) node_dir);
        ...
        zactor_destroy (&child);          //  sends $TERM, waits

    The actor signals when it is ready (0) or could not start (1: the
    reason is logged: no configuration, no keys, no pinned parent). The
    command "WAKE" on its pipe makes it look for entries to send at once;
    it says "COMMITTED" when it stored entries (from the parent, or its own
    heartbeat entry), so that the daemon wakes the node's other actors.
*/
#ifndef FGP_CHILD_H_INCLUDED
#define FGP_CHILD_H_INCLUDED

#include "fg_common.h"

void fgp_child_actor (zsock_t *pipe, void *node_dir);

#endif
