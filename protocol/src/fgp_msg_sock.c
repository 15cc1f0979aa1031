/*  fgp_msg_sock.c - the thin socket wrappers of the fgp_msg class
    (declared in fgp_msg.h, tested by fgp_msg_test): one message is one
    frame, [routing-id] first on a ROUTER (protocol/SPEC.md §0). They
    encode and decode with fgp_msg.c and add only the framing and the
    CURVE User-Id.
*/
#include "fgp_msg.h"

static void
s_free_data (void *data, void *hint)
{
    free (data);
}

int
fgp_msg_send (fgp_msg_t *self, zsock_t *sock, zframe_t *routing_id)
{
    assert (self && sock);
    size_t size;
    uint8_t *data = fgp_msg_encode (self, &size);
    if (!data)
        return -1;
    if (routing_id) {
        zframe_t *frame = routing_id;
        if (zframe_send (&frame, sock, ZFRAME_MORE | ZFRAME_REUSE)) {
            snprintf (self->errmsg, sizeof self->errmsg, "%s: routing id not sent: %s",
                      fgp_msg_name (self->id), zmq_strerror (zmq_errno ()));
            free (data);
            return -1;
        }
    }
    //  Hand the buffer to libzmq without a copy; it frees it when sent
    zmq_msg_t msg;
    int rc = zmq_msg_init_data (&msg, data, size, s_free_data, NULL);
    assert (rc == 0);
    if (zmq_msg_send (&msg, zsock_resolve (sock), 0) == -1) {
        snprintf (self->errmsg, sizeof self->errmsg, "%s: not sent: %s",
                  fgp_msg_name (self->id), zmq_strerror (zmq_errno ()));
        zmq_msg_close (&msg);
        return -1;
    }
    return 0;
}

fgp_msg_t *
fgp_msg_recv (zsock_t *sock, zframe_t **routing_id_p, char **user_id_p,
              char *errbuf, size_t errsize)
{
    assert (sock);
    char scratch [1];
    if (!errbuf || errsize == 0) {
        errbuf = scratch;
        errsize = sizeof scratch;
    }
    errbuf [0] = 0;
    if (routing_id_p)
        *routing_id_p = NULL;
    if (user_id_p)
        *user_id_p = NULL;
    bool router = zsock_type (sock) == ZMQ_ROUTER;
    assert (!router || routing_id_p);       //  a ROUTER caller must take the id

    if (router) {
        zframe_t *routing_id = zframe_recv (sock);
        if (!routing_id)
            return NULL;                    //  interrupted or timed out
        *routing_id_p = routing_id;
        if (!zframe_more (routing_id)) {
            snprintf (errbuf, errsize, "message: no body after the routing id");
            return NULL;
        }
    }
    zframe_t *body = zframe_recv (sock);
    if (!body) {
        if (router)
            snprintf (errbuf, errsize, "message: body frame lost after the routing id");
        return NULL;
    }
    if (user_id_p) {
        const char *user_id = zframe_meta (body, "User-Id");
        if (user_id) {
            *user_id_p = strdup (user_id);
            assert (*user_id_p);
        }
    }
    //  A message is one frame: drain and refuse any more, one part at a
    //  time so that a peer cannot make us hold many parts at once.
    size_t extra = 0;
    bool more = zframe_more (body);
    while (more) {
        zmq_msg_t part;
        zmq_msg_init (&part);
        if (zmq_msg_recv (&part, zsock_resolve (sock), 0) == -1) {
            zmq_msg_close (&part);
            break;
        }
        more = zmq_msg_more (&part);
        zmq_msg_close (&part);
        extra++;
    }
    fgp_msg_t *self = NULL;
    if (extra)
        snprintf (errbuf, errsize, "message: %zu frame(s) after the body; a message is one frame", extra);
    else
        self = fgp_msg_decode (zframe_data (body), zframe_size (body), errbuf, errsize);
    zframe_destroy (&body);
    return self;
}
