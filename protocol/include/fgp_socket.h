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

//  A failed CURVE handshake never reaches the application; a monitor
//  (CZMQ zmonitor) on the socket reports it. Start one for the handshake
//  failures of `sock` (read it before destroying the socket).
zactor_t *fgp_socket_monitor (zsock_t *sock);

typedef enum {
    FGP_HANDSHAKE_OTHER = 0,         //  an event we do not act on
    FGP_HANDSHAKE_REFUSED = 1,       //  ZAP said no: key not enrolled, or revoked
    FGP_HANDSHAKE_FAILED = 2         //  protocol: not CURVE, or the wrong server key
} fgp_handshake_t;

//  Read one event of such a monitor; *address_p (caller frees, may be
//  NULL) gets the endpoint it concerns.
fgp_handshake_t fgp_socket_monitor_event (zsock_t *monitor, char **address_p);

#endif
