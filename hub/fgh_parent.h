/*  fgh_parent.h - the parent side of the links, as a CZMQ actor.

    Runs in every hub (county and prefecture). Binds a ROUTER with CURVE as
    the server; the daemon runs CZMQ's zauth with the node's certs/
    directory as the allow-list, so only enrolled keys complete the
    handshake. On top of that, every message is checked against the
    replica: the sender's CURVE key (ZMQ "User-Id") must belong to an
    active child, and a HELLO must name that child's own node id. A key
    revoked while its session is open is refused at its next message.

    Per child, a session holds an fgp_link: the up stream (fgp_receiver:
    verify, merge, commit, then ACK) and the down stream (fgp_sender: what
    the child's scope needs, including refusals of its own entries).

        zactor_t *parent = zactor_new (fgh_parent_actor, (void *) node_dir);

    It sends "COMMITTED" on its pipe after storing entries from a child, so
    that the daemon can wake the node's child side (a county relays up at
    once), and passes them down at once to its other children whose scope
    takes them. "WAKE" on its pipe (a local write, entries from above)
    makes it send to every child what it has for them.

    It sleeps until a message comes or its next deadline (fgp_alarm in
    fgp_daemon.h): a child silent for sync/timeout_ms (its session is
    closed), the links' status to record (every few seconds, all in one
    transaction), the safety look at the replica every sync/poll_ms.
*/
#ifndef FGH_PARENT_H_INCLUDED
#define FGH_PARENT_H_INCLUDED

#include "fg_common.h"

void fgh_parent_actor (zsock_t *pipe, void *node_dir);

#endif
