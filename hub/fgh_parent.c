/*  fgh_parent.c - parent-side sync actor (see fgh_parent.h). */
#include "fgh_parent.h"
#include "fgp_link.h"
#include "fgp_socket.h"
#include "fgp_daemon.h"
#include "fg_config.h"
#include "fg_replica.h"
#include "fg_util.h"

typedef struct {
    fgp_link_t     *link;            //  down: the child's scope; up: its subtree's entries
    const fg_node_t *node;           //  the child (the link's peer)
    uint64_t        session;
    int64_t         last_heard;
    int64_t         last_status;
    int64_t         offset_ms;
} s_session_t;

typedef struct {
    zsock_t      *pipe;
    zsock_t      *router;
    zactor_t     *monitor;           //  handshake failures, for the log
    fg_config_t  *config;
    fg_keys_t    *keys;
    fg_replica_t *replica;
    zhashx_t     *sessions;          //  node id (text) -> s_session_t
    fgp_stream_config_t stream;
    int64_t       last_look;         //  last look at the replica for writes nobody told us of
    fgp_alarm_t   alarm;             //  the next deadline (s_next)
    int           wal_frames;        //  fgp_daemon_wal_watch
    char          author [32];
} s_parent_t;

static int64_t s_next (void *arg);

static void
s_session_destroy (void **item_p)
{
    s_session_t *session = (s_session_t *) *item_p;
    if (session) {
        fgp_link_destroy (&session->link);
        free (session);
        *item_p = NULL;
    }
}

static void
s_send (s_parent_t *self, zframe_t *routing, fgp_msg_t **msg_p)
{
    if (*msg_p && fgp_msg_send (*msg_p, self->router, routing))
        zsys_warning ("sync: cannot send %s: %s", fgp_msg_name ((*msg_p)->id), (*msg_p)->errmsg);
    fgp_msg_destroy (msg_p);
}

static void
s_refuse (s_parent_t *self, zframe_t *routing, int code, const char *format, ...)
{
    char text [256];
    va_list args;
    va_start (args, format);
    vsnprintf (text, sizeof text, format, args);
    va_end (args);
    fgp_msg_t *error = fgp_msg_new (FGP_ERROR);
    error->code = (uint16_t) code;
    fgp_msg_set_reason (error, "%s", text);
    s_send (self, routing, &error);
}

static void
s_status (s_session_t *session, const char *state)
{
    //  The parent does not ping: no round trip; the offset is read from
    //  the child's HELLO and PINGs
    fgp_link_status (session->link, state, session->last_heard, 0, session->offset_ms, NULL);
    session->last_status = fg_now_ms ();
}

static void
s_pump_all (s_parent_t *self)
{
    for (s_session_t *session = (s_session_t *) zhashx_first (self->sessions); session;
         session = (s_session_t *) zhashx_next (self->sessions))
        fgp_link_pump (session->link);
}

//  The child says how far its own chain goes. If we hold more of it, the
//  child lost entries (restored from an old backup): our cursor, a
//  position in its log, then no longer describes its log, so it resends
//  everything (duplicates cost nothing; a forked branch is found at its
//  exact seq) and, if it has not written since, we send its entries back.
//  Returns true when the child's up stream must start again from 0.
static bool
s_check_own_chain (s_parent_t *self, s_session_t *session, fgp_msg_t *hello)
{
    uint16_t child = session->node->node_id;
    for (uint32_t i = 0; i < hello->frontier_count; i++) {
        if (hello->frontier [i].origin != child)
            continue;
        uint64_t ours;
        uint8_t hash [FG_HASH_SIZE];
        if (fg_replica_frontier (self->replica, child, &ours, hash))
            return false;
        uint64_t theirs = hello->frontier [i].seq;
        uint8_t at [FG_HASH_SIZE];
        bool same = theirs == 0
                 || (fg_replica_entry_hash (self->replica, child, theirs, at) == 0
                     && memcmp (at, hello->frontier [i].hash, FG_HASH_SIZE) == 0);
        if (theirs < ours && same) {
            zsys_warning ("sync: child %u holds its own chain only up to seq %llu, we hold %llu "
                          "(restored from a backup?): it resends its log, we send its entries back",
                          child, (unsigned long long) theirs, (unsigned long long) ours);
            fgp_sender_repair (fgp_link_out (session->link), child, theirs + 1);
            return true;
        }
        if (theirs <= ours && !same
        &&  fg_replica_fork_resolved (self->replica, child, theirs, hello->frontier [i].hash, NULL)) {
            //  Its chain still ends on the branch an epoch set aside: it
            //  takes the epoch from the down stream, sets that branch
            //  aside, then asks for its entries back (not before: they
            //  would clash with the branch it still holds); nothing to
            //  resend, its old branch is known here
            zsys_info ("sync: child %u (in epoch %u) has not taken its new epoch yet: its chain ends "
                       "at seq %llu on the branch the epoch set aside; the epoch goes down to it",
                       child, hello->epoch, (unsigned long long) theirs);
            return false;
        }
        if (theirs <= ours && !same) {
            zsys_error ("sync: child %u's chain differs from ours at seq %llu: it was restored from an "
                        "old backup and has written since (a fork); it resends its log so that the "
                        "fork is recorded; recover with: fugai -C %s epoch %u", child,
                        (unsigned long long) theirs, self->config->dir, child);
            return true;
        }
    }
    return false;
}

static void
s_on_hello (s_parent_t *self, zframe_t *routing, const fg_node_t *child, fgp_msg_t *hello)
{
    if (hello->node_id != child->node_id) {
        zsys_warning ("sync: refused HELLO: key of node %u (%s) claims node id %u",
                      child->node_id, child->name, hello->node_id);
        s_refuse (self, routing, FGP_ERR_NOT_ENROLLED, "this key is enrolled as node %u, not %u",
                  child->node_id, hello->node_id);
        return;
    }
    uint16_t proto = fgp_proto_choose (hello->proto_min, hello->proto_max);
    if (!proto) {
        zsys_warning ("sync: refused node %u: protocol %u..%u, this hub speaks %d..%d",
                      child->node_id, hello->proto_min, hello->proto_max, FGP_PROTO_MIN, FG_PROTOCOL_VERSION);
        s_refuse (self, routing, FGP_ERR_PROTOCOL, "this hub speaks protocol %d..%d; you speak %u..%u",
                  FGP_PROTO_MIN, FG_PROTOCOL_VERSION, hello->proto_min, hello->proto_max);
        return;
    }
    if (hello->schema_version > FG_SCHEMA_VERSION) {
        zsys_warning ("sync: refused node %u: its schema %u is newer than this hub's %d; upgrade the hub",
                      child->node_id, hello->schema_version, FG_SCHEMA_VERSION);
        s_refuse (self, routing, FGP_ERR_SCHEMA, "schema %u is newer than this hub's %d: hubs are "
                  "upgraded before edges", hello->schema_version, FG_SCHEMA_VERSION);
        return;
    }
    char key [16];
    snprintf (key, sizeof key, "%u", child->node_id);
    zhashx_delete (self->sessions, key);
    s_session_t *session = (s_session_t *) zmalloc (sizeof (s_session_t));
    assert (session);
    session->link = fgp_link_new (self->replica, self->router, child, true, &self->stream, self->author);
    fgp_link_route (session->link, routing);
    session->node = fgp_link_peer (session->link);
    session->session = hello->session;
    session->last_heard = fg_now_ms ();
    if (s_check_own_chain (self, session, hello)
    &&  fg_replica_set_cursor (self->replica, child->node_id, "in", 0))
        zsys_error ("sync: cannot reset the cursor of %u: %s", child->node_id, fg_replica_error (self->replica));
    fgp_link_start (session->link, hello->session, hello->down_cursor, self->stream.credit, proto);
    zhashx_insert (self->sessions, key, session);
    uint64_t up_cursor = fgp_receiver_cursor (fgp_link_in (session->link));

    fgp_msg_t *welcome = fgp_msg_new (FGP_WELCOME);
    welcome->proto = proto;
    welcome->schema_version = FG_SCHEMA_VERSION;
    welcome->node_id = self->config->node.node_id;
    welcome->session = hello->session;
    welcome->up_cursor = up_cursor;
    welcome->credit = self->stream.credit;
    welcome->now_ms = fg_now_ms ();
    welcome->heartbeat_ms = (uint32_t) self->config->heartbeat_ms;
    fgp_link_send (session->link, &welcome);
    session->offset_ms = hello->now_ms - fg_now_ms ();
    zsys_info ("sync: child %u (%s) connected; we hold its log up to %llu, it holds ours up to %llu "
               "(protocol %u)", child->node_id, child->name, (unsigned long long) up_cursor,
               (unsigned long long) hello->down_cursor, proto);
    if (llabs (session->offset_ms) > self->config->max_clock_ahead_ms)
        zsys_warning ("sync: child %u's clock is %lld s off ours", child->node_id,
                      (long long) session->offset_ms / 1000);
    s_status (session, "connected");
    fgp_link_pump (session->link);
}

static int
s_on_router (zloop_t *loop, zsock_t *reader, void *arg)
{
    s_parent_t *self = (s_parent_t *) arg;
    zframe_t *routing = NULL;
    char *user_id = NULL;
    char err [256] = "";
    fgp_msg_t *msg = fgp_msg_recv (self->router, &routing, &user_id, err, sizeof err);
    fg_node_t child;
    char relation [16] = "";
    bool known = user_id && fg_replica_node_by_curve (self->replica, user_id, &child, relation) == 0
              && streq (relation, "child");
    if (!msg) {
        if (err [0] && routing) {
            zsys_warning ("sync: malformed message from %s: %s", known ? child.name : "unknown key", err);
            s_refuse (self, routing, FGP_ERR_MALFORMED, "%s", err);
        }
    }
    else
    if (!known) {
        //  zauth admits only enrolled keys, so this is a key revoked since
        //  its connection opened, or a certificate left in certs/ by hand
        zsys_warning ("sync: refused %s from key %s: not an enrolled, active child of this hub",
                      fgp_msg_name (msg->id), user_id ? user_id : "(none)");
        fg_node_t gone;
        int64_t since = 0;
        if (user_id && fg_replica_revoked (self->replica, user_id, &gone, &since) == 0) {
            char when [64];
            time_t secs = (time_t) (since / 1000);
            struct tm tm;
            strftime (when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r (&secs, &tm));
            s_refuse (self, routing, FGP_ERR_REVOKED, "node %u's key was revoked by its parent, node %u "
                      "(%s), at %s", gone.node_id, self->config->node.node_id, self->config->node.name, when);
        }
        else
            s_refuse (self, routing, FGP_ERR_REVOKED, "this key is not an active child of node %u",
                      self->config->node.node_id);
    }
    else
    if (msg->id == FGP_HELLO)
        s_on_hello (self, routing, &child, msg);
    else {
        char key [16];
        snprintf (key, sizeof key, "%u", child.node_id);
        s_session_t *session = (s_session_t *) zhashx_lookup (self->sessions, key);
        bool ours = session && (msg->id == FGP_ERROR || msg->id == FGP_PING || msg->id == FGP_PONG
                               || msg->session == session->session);
        if (!ours) {
            if (msg->id != FGP_ERROR)
                s_refuse (self, routing, FGP_ERR_UNKNOWN_SESSION, "no session %llu here; send HELLO",
                          (unsigned long long) msg->session);
        }
        else {
            int64_t now = fg_now_ms ();
            session->last_heard = now;
            //  Follow the child's latest connection
            fgp_link_route (session->link, routing);
            if (msg->id == FGP_BATCH || msg->id == FGP_ACK) {
                //  Entries applied: tell the daemon, so that a county's
                //  child side relays them up now; and pass them down to
                //  the other children whose scope takes them (the link
                //  they came by has sent what it had already)
                if (fgp_link_take (session->link, msg)) {
                    zstr_send (self->pipe, "COMMITTED");
                    s_pump_all (self);
                }
                //  Past its quota: the batch was refused whole, the session ends
                const char *why;
                if (fgp_receiver_ended (fgp_link_in (session->link), &why)) {
                    zsys_warning ("sync: child %u (%s) went past its quota; session ended: %s",
                                  child.node_id, child.name, why);
                    s_status (session, "refused: over quota");
                    zhashx_delete (self->sessions, key);
                }
            }
            else
            if (msg->id == FGP_PING) {
                fgp_msg_t *pong = fgp_msg_new (FGP_PONG);
                pong->session = msg->session;
                pong->now_ms = now;
                pong->echo_ms = msg->now_ms;
                session->offset_ms = msg->now_ms - now;
                fgp_link_send (session->link, &pong);
            }
            else
            if (msg->id == FGP_ERROR)
                zsys_warning ("sync: child %u reports: %s (%s)", child.node_id,
                              fgp_error_text (msg->code), msg->reason);
        }
    }
    fgp_msg_destroy (&msg);
    zframe_destroy (&routing);
    free (user_id);
    fgp_alarm_update (&self->alarm);
    fgp_daemon_wal_check (self->replica, &self->wal_frames);
    return 0;
}

//  A connection refused during the CURVE handshake never reaches the
//  application; the socket monitor tells us, so the refusal is logged.
static int
s_on_monitor (zloop_t *loop, zsock_t *reader, void *arg)
{
    char *address = NULL;
    fgp_handshake_t kind = fgp_socket_monitor_event (reader, &address);
    if (kind == FGP_HANDSHAKE_REFUSED)
        zsys_warning ("sync: refused a connection on %s: its CURVE key is not enrolled here, "
                      "or was revoked (ZAP 400)", address ? address : "?");
    else
    if (kind == FGP_HANDSHAKE_FAILED)
        zsys_warning ("sync: refused a connection on %s: handshake failed (not a CURVE client with "
                      "this hub's key?)", address ? address : "?");
    zstr_free (&address);
    return 0;
}

//  The actor's next deadline, when nothing arrives before: a child's
//  silence, a status to record, the look at the replica for writes
//  nobody told us of (fgp_daemon.h). Nothing else wakes it but a message.
static int64_t
s_next (void *arg)
{
    s_parent_t *self = (s_parent_t *) arg;
    int64_t next = self->last_look + self->config->poll_ms;
    for (s_session_t *session = (s_session_t *) zhashx_first (self->sessions); session;
         session = (s_session_t *) zhashx_next (self->sessions)) {
        int64_t silent = session->last_heard + self->config->timeout_ms + 1;
        int64_t status = session->last_status + FGP_STATUS_MS;
        next = silent < next ? silent : next;
        next = status < next ? status : next;
    }
    return next;
}

static void
s_tick (void *arg)
{
    s_parent_t *self = (s_parent_t *) arg;
    int64_t now = fg_now_ms ();
    //  Drop sessions whose child went silent; record the others' status
    //  when due, and those due within the slack with them (one
    //  transaction, one wake-up for all, not one each)
    zlistx_t *dead = zlistx_new ();
    zlistx_set_destructor (dead, (zlistx_destructor_fn *) zstr_free);
    bool begun = false, txn = false;
    for (s_session_t *session = (s_session_t *) zhashx_first (self->sessions); session;
         session = (s_session_t *) zhashx_next (self->sessions)) {
        bool silent = now - session->last_heard > self->config->timeout_ms;
        if (!silent && !fgp_alarm_due (now, session->last_status, FGP_STATUS_MS))
            continue;
        if (silent) {
            zsys_warning ("sync: child %u (%s) silent for %lld s; session closed",
                          session->node->node_id, session->node->name,
                          (long long) (now - session->last_heard) / 1000);
            zlistx_add_end (dead, strdup ((const char *) zhashx_cursor (self->sessions)));
        }
        if (!begun) {
            begun = true;
            txn = fg_replica_begin (self->replica) == 0;
        }
        s_status (session, silent ? "disconnected" : "connected");
    }
    if (txn && fg_replica_commit (self->replica))
        zsys_warning ("sync: cannot record the status of the links: %s", fg_replica_error (self->replica));
    for (char *key = (char *) zlistx_first (dead); key; key = (char *) zlistx_next (dead))
        zhashx_delete (self->sessions, key);
    zlistx_destroy (&dead);

    //  Writes wake us (WAKE); this look finds any that did not (and lets
    //  the streams move their cursors past rows they skipped)
    if (fgp_alarm_due (now, self->last_look, self->config->poll_ms)) {
        self->last_look = now;
        s_pump_all (self);
    }
}

static int
s_on_pipe (zloop_t *loop, zsock_t *reader, void *arg)
{
    s_parent_t *self = (s_parent_t *) arg;
    char *command = zstr_recv (reader);
    int rc = 0;
    if (!command || streq (command, "$TERM"))
        rc = -1;
    else
    if (streq (command, "WAKE"))
        s_pump_all (self);              //  entries from above to pass down
    zstr_free (&command);
    return rc;
}

static int
s_setup (s_parent_t *self, const char *dir)
{
    if (fgp_daemon_open (dir, &self->config, &self->keys, &self->replica, &self->stream))
        return -1;
    if (!self->config->listen) {
        zsys_error ("sync: %s has no listen/endpoint", self->config->path);
        return -1;
    }
    snprintf (self->author, sizeof self->author, "node-%u", self->config->node.node_id);
    self->sessions = zhashx_new ();
    zhashx_set_destructor (self->sessions, s_session_destroy);

    self->router = zsock_new (ZMQ_ROUTER);
    assert (self->router);
    zcert_apply (fg_keys_cert (self->keys), self->router);
    zsock_set_curve_server (self->router, 1);
    zsock_set_zap_domain (self->router, "fugai");
    fgp_socket_tune (self->router, self->config->heartbeat_ms, self->config->timeout_ms);
    self->monitor = fgp_socket_monitor (self->router);
    if (zsock_bind (self->router, "%s", self->config->listen) < 0) {
        zsys_error ("sync: cannot listen on %s: %s", self->config->listen, zmq_strerror (zmq_errno ()));
        return -1;
    }
    fgp_daemon_wal_watch (self->replica, &self->wal_frames);
    //  "COMMITTED" notices must never block this actor if nobody reads them
    zsock_set_sndtimeo (self->pipe, 0);
    return 0;
}

void
fgh_parent_actor (zsock_t *pipe, void *args)
{
    s_parent_t *self = (s_parent_t *) zmalloc (sizeof (s_parent_t));
    assert (self);
    self->pipe = pipe;
    if (s_setup (self, (const char *) args)) {
        zsock_signal (pipe, 1);
        zstr_send (pipe, "FAILED");
        char *command = zstr_recv (pipe);
        zstr_free (&command);
    }
    else {
        zsock_signal (pipe, 0);
        zsys_info ("sync: listening for children on %s", self->config->listen);
        zloop_t *loop = zloop_new ();
        zloop_reader (loop, pipe, s_on_pipe, self);
        zloop_reader (loop, self->router, s_on_router, self);
        zloop_reader (loop, zactor_sock (self->monitor), s_on_monitor, self);
        self->last_look = fg_now_ms ();
        fgp_alarm_init (&self->alarm, loop, s_tick, s_next, self);
        zloop_start (loop);
        fgp_alarm_report (&self->alarm, "sync: the links to the children");
        zloop_destroy (&loop);
    }
    zhashx_destroy (&self->sessions);
    zactor_destroy (&self->monitor);
    zsock_destroy (&self->router);
    fg_replica_destroy (&self->replica);
    fg_keys_destroy (&self->keys);
    fg_config_destroy (&self->config);
    free (self);
}
