/*  fgp_socket.c - socket options (see fgp_socket.h). */
#include "fgp_socket.h"
#include "fgp_msg.h"

void
fgp_socket_tune (zsock_t *sock, int heartbeat_ms, int timeout_ms)
{
    zsock_set_maxmsgsize (sock, FGP_MAX_MSG_SIZE + 256);
    zsock_set_heartbeat_ivl (sock, heartbeat_ms);
    zsock_set_heartbeat_timeout (sock, timeout_ms);
    //  TTL travels in deciseconds in a 16-bit field
    zsock_set_heartbeat_ttl (sock, timeout_ms < 6553500 ? timeout_ms : 6553500);
    zsock_set_sndhwm (sock, 1000);
    zsock_set_rcvhwm (sock, 1000);
    zsock_set_linger (sock, 500);
    //  Never block on a send: a DEALER with no connection (its handshake
    //  failed, the link is down) would block forever. A message that cannot
    //  be queued is dropped; the protocol resends what matters (SPEC §5).
    zsock_set_sndtimeo (sock, 0);
    if (zsock_type (sock) == ZMQ_ROUTER)
        zsock_set_router_handover (sock, 1);
    else {
        zsock_set_connect_timeout (sock, 5000);
        zsock_set_reconnect_ivl (sock, 500);
        zsock_set_reconnect_ivl_max (sock, 10000);
    }
}

zactor_t *
fgp_socket_monitor (zsock_t *sock)
{
    zactor_t *monitor = zactor_new (zmonitor, sock);
    assert (monitor);
    zstr_sendx (monitor, "LISTEN", "HANDSHAKE_FAILED_AUTH", "HANDSHAKE_FAILED_PROTOCOL",
                "HANDSHAKE_FAILED_NO_DETAIL", NULL);
    zstr_send (monitor, "START");
    zsock_wait (monitor);
    return monitor;
}

fgp_handshake_t
fgp_socket_monitor_event (zsock_t *monitor, char **address_p)
{
    zmsg_t *msg = zmsg_recv (monitor);
    char *event = zmsg_popstr (msg);
    char *value = zmsg_popstr (msg);
    char *address = zmsg_popstr (msg);
    fgp_handshake_t kind = FGP_HANDSHAKE_OTHER;
    if (event && streq (event, "HANDSHAKE_FAILED_AUTH"))
        kind = FGP_HANDSHAKE_REFUSED;
    else
    if (event && (streq (event, "HANDSHAKE_FAILED_PROTOCOL") || streq (event, "HANDSHAKE_FAILED_NO_DETAIL")))
        kind = FGP_HANDSHAKE_FAILED;
    if (address_p)
        *address_p = address;
    else
        zstr_free (&address);
    zstr_free (&event);
    zstr_free (&value);
    zmsg_destroy (&msg);
    return kind;
}
