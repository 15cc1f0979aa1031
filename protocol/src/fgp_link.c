/*  fgp_link.c - one link's two streams over a sync actor's socket (see
    fgp_link.h). Tested through the actors: tests/integration. */
#include "fgp_link.h"
#include "fg_util.h"

#define S_PUMP_MAX          64          //  batches per pump, so that one link cannot hog the loop
#define S_CURSOR_SAVE_MS    1000        //  record the out cursor at most this often (unless idle)

struct _fgp_link_t {
    fg_replica_t   *replica;
    zsock_t        *sock;
    zframe_t       *routing;            //  ROUTER only: the peer's latest connection
    fg_node_t       peer;               //  (stable address: the streams borrow it)
    uint8_t         in_stream;          //  FGP_STREAM_UP at the parent, DOWN at the child
    uint16_t        credit;             //  granted on the in stream
    fgp_sender_t   *out;
    fgp_receiver_t *in;
    int64_t         cursor_saved_ms;
    uint64_t        cursor_saved;       //  the value recorded then (UINT64_MAX: none yet)
};

fgp_link_t *
fgp_link_new (fg_replica_t *replica, zsock_t *sock, const fg_node_t *peer, bool to_child,
              const fgp_stream_config_t *config, const char *author)
{
    assert (replica && sock && peer && config);
    fgp_link_t *self = (fgp_link_t *) zmalloc (sizeof (fgp_link_t));
    assert (self);
    self->replica = replica;
    self->sock = sock;
    self->peer = *peer;
    self->in_stream = to_child ? FGP_STREAM_UP : FGP_STREAM_DOWN;
    self->credit = config->credit;
    self->cursor_saved = UINT64_MAX;
    self->out = fgp_sender_new (replica, to_child ? &self->peer : NULL, config);
    self->in = fgp_receiver_new (replica, &self->peer, to_child, self->in_stream, author);
    return self;
}

void
fgp_link_destroy (fgp_link_t **self_p)
{
    assert (self_p);
    fgp_link_t *self = *self_p;
    if (self) {
        zframe_destroy (&self->routing);
        fgp_sender_destroy (&self->out);
        fgp_receiver_destroy (&self->in);
        free (self);
        *self_p = NULL;
    }
}

const fg_node_t *
fgp_link_peer (fgp_link_t *self)
{
    return &self->peer;
}

fgp_sender_t *
fgp_link_out (fgp_link_t *self)
{
    return self->out;
}

fgp_receiver_t *
fgp_link_in (fgp_link_t *self)
{
    return self->in;
}

void
fgp_link_route (fgp_link_t *self, zframe_t *routing)
{
    zframe_destroy (&self->routing);
    self->routing = zframe_dup (routing);
}

void
fgp_link_start (fgp_link_t *self, uint64_t session, uint64_t out_cursor, uint16_t out_credit,
                uint16_t proto)
{
    fgp_sender_set_proto (self->out, proto);
    fgp_receiver_start (self->in, session, self->credit);
    fgp_sender_start (self->out, session, out_cursor, out_credit);
}

void
fgp_link_stop (fgp_link_t *self)
{
    fgp_sender_stop (self->out);
}

void
fgp_link_send (fgp_link_t *self, fgp_msg_t **msg_p)
{
    if (*msg_p && fgp_msg_send (*msg_p, self->sock, self->routing))
        zsys_warning ("sync: cannot send %s to node %u: %s", fgp_msg_name ((*msg_p)->id),
                      self->peer.node_id, (*msg_p)->errmsg);
    fgp_msg_destroy (msg_p);
}

void
fgp_link_pump (fgp_link_t *self)
{
    for (int i = 0; i < S_PUMP_MAX; i++) {
        bool error;
        fgp_msg_t *batch = fgp_sender_next (self->out, &error);
        if (error)
            zsys_error ("sync: cannot read the log: %s", fg_replica_error (self->replica));
        if (!batch)
            break;
        fg_debug ("sync: %s batch to node %u (%llu, %llu] with %u entries",
                  batch->stream == FGP_STREAM_UP ? "up" : "down", self->peer.node_id,
                  (unsigned long long) batch->prev, (unsigned long long) batch->last, batch->count);
        fgp_link_send (self, &batch);
    }
}

//  The out stream's acknowledged cursor, once it has started (before, it
//  is 0 and would make the next export start from the beginning), if it
//  moved since it was last recorded (only this link writes it).
static void
s_save_cursor (fgp_link_t *self)
{
    self->cursor_saved_ms = fg_now_ms ();
    uint64_t acked = fgp_sender_acked (self->out);
    if (!fgp_sender_active (self->out) || acked == self->cursor_saved)
        return;
    if (fg_replica_set_cursor (self->replica, self->peer.node_id, "out", acked))
        zsys_warning ("sync: cannot record node %u's cursor: %s", self->peer.node_id,
                      fg_replica_error (self->replica));
    else
        self->cursor_saved = acked;
}

uint64_t
fgp_link_take (fgp_link_t *self, fgp_msg_t *msg)
{
    uint64_t applied = 0;
    if (msg->id == FGP_BATCH && msg->stream == self->in_stream) {
        fg_rx_stats_t stats = { 0 };
        fgp_msg_t *reply = fgp_receiver_on_batch (self->in, msg, &stats);
        if (stats.applied || stats.quarantined)
            zsys_info ("sync: from %u: %llu applied, %llu duplicate, %llu buffered, %llu refused",
                       self->peer.node_id, (unsigned long long) stats.applied,
                       (unsigned long long) stats.duplicate, (unsigned long long) stats.buffered,
                       (unsigned long long) stats.quarantined);
        fgp_link_send (self, &reply);
        applied = stats.applied;
    }
    else
    if (msg->id == FGP_ACK && msg->stream != self->in_stream) {
        fgp_sender_on_ack (self->out, msg);
        if (fg_now_ms () - self->cursor_saved_ms >= S_CURSOR_SAVE_MS || fgp_sender_idle (self->out))
            s_save_cursor (self);
        if (msg->quarantined)
            zsys_warning ("sync: node %u refused %u of the entries we sent (its fugai quarantine "
                          "list says why)", self->peer.node_id, msg->quarantined);
    }
    else
        return 0;
    //  Refusals and directive acknowledgements written meanwhile go too
    fgp_link_pump (self);
    return applied;
}

void
fgp_link_status (fgp_link_t *self, const char *state, int64_t last_heard, int64_t rtt_ms,
                 int64_t offset_ms, const char *error)
{
    s_save_cursor (self);
    if (fg_replica_set_peer_status (self->replica, self->peer.node_id, state, last_heard, rtt_ms,
                                    offset_ms, error))
        zsys_warning ("sync: cannot record the status of the link to node %u: %s",
                      self->peer.node_id, fg_replica_error (self->replica));
}
