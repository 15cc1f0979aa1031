/*  fgp_socket.h - the options every network-facing fugai socket gets.

    Why each (TESTING.md records the measurements behind them):
    - ZMTP heartbeats (HEARTBEAT_IVL / _TIMEOUT / _TTL): a silently dropped
      link is noticed in seconds instead of after TCP's retransmit backoff.
      The timeout must suit slow links: 3 s broke a 300 ms / 10 % loss link,
      15 s was stable; it is the node's sync/timeout_ms.
    - MAXMSGSIZE: a peer cannot make us allocate more than one message's
      worth (FGP_MAX_MSG_SIZE plus framing).
    - ROUTER_HANDOVER on the parent: a child that reconnects with its fixed
      routing id takes over at once, instead of its messages going to the
      dead connection's identity for minutes.
    - CONNECT_TIMEOUT and RECONNECT_IVL(_MAX) on the child: quick retries on
      a flapping link, backing off to 10 s.
    - SNDTIMEO 0: a send never blocks. A DEALER whose connection libzmq
      ended (a failed handshake is not retried by libzmq) has no peer, and
      would block a send forever, and with it the daemon's shutdown.
*/
#ifndef FGP_SOCKET_H_INCLUDED
#define FGP_SOCKET_H_INCLUDED

#include "fg_common.h"

//  Tune a ROUTER (parent) or DEALER (child) socket.
void fgp_socket_tune (zsock_t *sock, int heartbeat_ms, int timeout_ms);

#endif
