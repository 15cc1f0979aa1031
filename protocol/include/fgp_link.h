/*  fgp_link.h - one link of the tree as a sync actor drives it: the two
    streams of a session (fgp_stream.h: an fgp_sender out, an
    fgp_receiver in) over the actor's socket.

    It is the same at both ends: the child actor (fgp_child) holds one link,
    to its parent; the parent actor (hub/fgh_parent) one per child in
    session. What differs stays in the actors: opening a session (HELLO,
    WELCOME), liveness (PING, PONG), errors.

    Taking a BATCH of the in stream applies it (one transaction, the in
    cursor with it) and answers ACK or ERROR; taking an ACK of the out
    stream frees credit. After either, the out stream sends what its
    credit allows. The out stream's acknowledged cursor is recorded in the
    replica (link(peer, 'out'), what `fugai status` counts as waiting and
    where a bundle export starts) when it moved: at most once a second,
    whenever nothing is in flight, and with each status.

        fgp_link_t *link = fgp_link_new (replica, dealer, &parent, false, &config, "node-28100");
        fgp_link_start (link, session, welcome->up_cursor, welcome->credit, welcome->proto);
        ...
        if (fgp_link_take (link, msg) > 0)      //  a BATCH or an ACK
            ...                                 //  entries were applied
        fgp_link_destroy (&link);
*/
#ifndef FGP_LINK_H_INCLUDED
#define FGP_LINK_H_INCLUDED

#include "fg_replica.h"
#include "fgp_msg.h"
#include "fgp_stream.h"

typedef struct _fgp_link_t fgp_link_t;

//  A link to `peer` (copied) over `sock` (borrowed: the child's DEALER or
//  the parent's ROUTER; both outlive the link, and so does the replica).
//  to_child: the peer is this node's child (entries go down to it and
//  come up from it), else its parent. The in stream grants config->credit;
//  author names who writes automatic directive acknowledgements.
fgp_link_t *fgp_link_new (fg_replica_t *replica, zsock_t *sock, const fg_node_t *peer,
                          bool to_child, const fgp_stream_config_t *config, const char *author);
//  Destroy; sets *self_p to NULL; safe to call twice.
void        fgp_link_destroy (fgp_link_t **self_p);

//  The peer, and the two streams for what only one end does (borrowed).
const fg_node_t *fgp_link_peer (fgp_link_t *self);
fgp_sender_t    *fgp_link_out (fgp_link_t *self);
fgp_receiver_t  *fgp_link_in (fgp_link_t *self);

//  On a ROUTER: send to this routing id (copied), the peer's latest
//  connection.
void        fgp_link_route (fgp_link_t *self, zframe_t *routing);
//  Start both streams for a session of protocol version `proto` (the one
//  WELCOME states): out from out_cursor with the peer's credit, in from
//  the cursor the replica holds.
void        fgp_link_start (fgp_link_t *self, uint64_t session, uint64_t out_cursor,
                            uint16_t out_credit, uint16_t proto);
//  Stop the out stream (link lost); start begins again.
void        fgp_link_stop (fgp_link_t *self);

//  Send a message to the peer and destroy it (a failure is logged).
void        fgp_link_send (fgp_link_t *self, fgp_msg_t **msg_p);
//  Send the batches the out stream has credit for.
void        fgp_link_pump (fgp_link_t *self);
//  Take a BATCH of the in stream or an ACK of the out stream, as above;
//  any other message is left to the caller. Returns the number of
//  entries applied (from a BATCH), else 0.
uint64_t    fgp_link_take (fgp_link_t *self, fgp_msg_t *msg);
//  Record the out stream's acknowledged cursor (once it has started, if
//  it moved since this link last recorded it) and
//  what the actor sees of the link (fg_replica_set_peer_status: state,
//  last contact, round trip, clock offset, error or NULL). Failures are
//  logged.
void        fgp_link_status (fgp_link_t *self, const char *state, int64_t last_heard,
                             int64_t rtt_ms, int64_t offset_ms, const char *error);

#endif
