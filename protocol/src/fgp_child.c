/*  fgp_child.c - child-side sync actor (see fgp_child.h).

    Session states:
        IDLE    no session; send HELLO when the back-off allows
        HELLO   HELLO sent; waiting for WELCOME (or ERROR)
        ACTIVE  streams running both ways
*/
#include "fgp_child.h"
#include "fgp_link.h"
#include "fgp_socket.h"
#include "fgp_daemon.h"
#include "fg_config.h"
#include "fg_replica.h"
#include "fg_util.h"

typedef enum { S_IDLE, S_HELLO, S_ACTIVE } s_state_t;

typedef struct {
    zsock_t        *pipe;
    zsock_t        *dealer;
    zactor_t       *monitor;         //  handshake failures, for the log
    char            revoked [256];   //  the parent's word that our key was revoked, if it said so
    bool            hello_warned;
    int64_t         reconnect_at;    //  after a failed handshake (0: none)
    fg_config_t    *config;
    fg_keys_t      *keys;
    fg_replica_t   *replica;
    fg_node_t       parent;
    fgp_link_t     *link;            //  up: our subtree's entries; down: our scope
    s_state_t       state;
    uint64_t        session;
    int64_t         retry_at;
    int64_t         backoff_ms;
    int64_t         hello_at;
    int64_t         last_heard;
    int64_t         last_ping;
    int64_t         last_status;
    int64_t         last_look;       //  last look at the replica for writes nobody told us of
    int64_t         last_alive;      //  last look for a silence to state (heartbeat)
    bool            chain_agreed;    //  this session's parent holds our chain as we do
    fgp_alarm_t     alarm;           //  the next of the deadlines below (s_next)
    int             wal_frames;      //  fgp_daemon_wal_watch
    int64_t         rtt_ms;
    int64_t         offset_ms;
    bool            clock_warned;
    char            error [512];
} s_child_t;

static int64_t s_next (void *arg);

static void
s_status (s_child_t *self, const char *state)
{
    fgp_link_status (self->link, state, self->last_heard, self->rtt_ms, self->offset_ms, self->error);
    self->last_status = fg_now_ms ();
}

static void
s_send_hello (s_child_t *self)
{
    randombytes_buf (&self->session, sizeof self->session);
    fgp_msg_t *hello = fgp_msg_new (FGP_HELLO);
    hello->proto_min = FGP_PROTO_MIN;
    hello->proto_max = FG_PROTOCOL_VERSION;
    hello->schema_version = FG_SCHEMA_VERSION;
    hello->node_id = self->config->node.node_id;
    hello->epoch = fg_replica_self (self->replica)->epoch;
    hello->session = self->session;
    hello->down_cursor = fg_replica_cursor (self->replica, self->parent.node_id, "in");
    hello->now_ms = fg_now_ms ();
    fgp_msg_set_software (hello, "fugai " FUGAI_VERSION);
    uint64_t seq;
    uint8_t hash [FG_HASH_SIZE];
    if (fg_replica_frontier (self->replica, self->config->node.node_id, &seq, hash) == 0)
        fgp_msg_frontier_add (hello, self->config->node.node_id, seq, hash);
    fgp_link_send (self->link, &hello);
    self->state = S_HELLO;
    self->hello_at = fg_now_ms ();
    fg_debug ("sync: HELLO to %s", self->config->parent);
}

static void
s_disconnect (s_child_t *self, const char *why, int64_t backoff_ms)
{
    if (self->state == S_ACTIVE)
        zsys_warning ("sync: link to parent %u lost: %s", self->parent.node_id, why);
    fgp_link_stop (self->link);
    self->state = S_IDLE;
    self->retry_at = fg_now_ms () + backoff_ms;
    if (why != self->error)
        snprintf (self->error, sizeof self->error, "%s", why);
    s_status (self, "connecting");
}

static void
s_pump (s_child_t *self)
{
    if (self->state == S_ACTIVE)
        fgp_link_pump (self->link);
}

static void
s_on_welcome (s_child_t *self, fgp_msg_t *msg)
{
    if (self->state != S_HELLO || msg->session != self->session)
        return;
    if (msg->node_id != self->parent.node_id) {
        snprintf (self->error, sizeof self->error, "the hub at %s is node %u, not the trusted parent %u",
                  self->config->parent, msg->node_id, self->parent.node_id);
        zsys_error ("sync: %s", self->error);
        s_disconnect (self, self->error, 60000);
        return;
    }
    if (msg->proto < FGP_PROTO_MIN || msg->proto > FG_PROTOCOL_VERSION) {
        snprintf (self->error, sizeof self->error, "the hub at %s chose protocol %u, outside the %d..%d "
                  "this node offered", self->config->parent, msg->proto, FGP_PROTO_MIN, FG_PROTOCOL_VERSION);
        zsys_error ("sync: %s", self->error);
        s_disconnect (self, self->error, 300000);
        return;
    }
    uint64_t cursor = msg->up_cursor;
    //  An acknowledgement promises a commit: a parent that now holds less
    //  than it acknowledged lost committed entries (its replica restored
    //  from a backup, or an operator's resync). They are sent again.
    uint64_t acked = fgp_sender_acked (fgp_link_out (self->link));
    if (cursor < acked)
        zsys_error ("sync: the parent holds our log up to %llu but had acknowledged %llu: it lost "
                    "acknowledged entries (restored from a backup, or a resync); sending them again",
                    (unsigned long long) cursor, (unsigned long long) acked);
    if (cursor > fg_replica_last_lsn (self->replica)) {
        zsys_warning ("sync: the parent holds our log up to %llu, past its end here (%llu): this "
                      "replica was restored from a backup; sending all of it again",
                      (unsigned long long) cursor, (unsigned long long) fg_replica_last_lsn (self->replica));
        cursor = 0;
    }
    fgp_link_start (self->link, self->session, cursor, msg->credit, msg->proto);
    //  A parent that holds our chain further than we do (a replica put
    //  back from a backup) rewinds our cursor to 0 and sends our entries
    //  back: no heartbeat this session, which would take one of their seqs
    self->chain_agreed = cursor > 0;
    self->state = S_ACTIVE;
    self->backoff_ms = 500;
    self->hello_warned = false;
    self->error [0] = 0;
    zsys_info ("sync: connected to parent %u (%s) at %s; it holds our log up to %llu (protocol %u)",
               self->parent.node_id, self->parent.name, self->config->parent,
               (unsigned long long) msg->up_cursor, msg->proto);
    s_status (self, "connected");
    s_pump (self);
}

//  Next keys wait in KEYS.next (fugai rekey): a parent that no longer
//  takes the current key has most likely re-enrolled those
static bool
s_next_keys_wait (s_child_t *self)
{
    char *next_cert = fg_strdupf ("%s.next/node.cert", self->config->keys);
    bool waits = zsys_file_exists (next_cert);
    free (next_cert);
    return waits;
}

static void
s_on_error (s_child_t *self, fgp_msg_t *msg)
{
    //  A parent that does not know our session, while we wait for the
    //  WELCOME of a HELLO sent since (or are about to send one), answers
    //  a message of the session we already gave up: each of those would
    //  start yet another session (a parent back from a restart got the
    //  pings and batches in flight: ten sessions in a row)
    if (msg->code == FGP_ERR_UNKNOWN_SESSION && self->state != S_ACTIVE)
        return;
    char why [320];
    snprintf (why, sizeof why, "parent refused: %s (%s)", fgp_error_text (msg->code), msg->reason);
    int64_t backoff = 2000;
    switch (msg->code) {
        case FGP_ERR_UNKNOWN_SESSION:
        case FGP_ERR_MALFORMED:      backoff = 0; break;
        case FGP_ERR_INTERNAL:       backoff = 5000; break;
        case FGP_ERR_QUOTA:          backoff = 60000; break;
        case FGP_ERR_NOT_ENROLLED:
        case FGP_ERR_REVOKED:        backoff = 30000; break;
        case FGP_ERR_PROTOCOL:
        case FGP_ERR_SCHEMA:         backoff = 300000; break;
        default:                     break;
    }
    if (msg->code == FGP_ERR_REVOKED && s_next_keys_wait (self))
        zsys_error ("sync: the parent no longer takes this node's current key (%s): it has most likely "
                    "re-enrolled the next keys of fugai rekey (enroll --rekey). Stop the daemon, run fugai "
                    "rekey --switch, start it", msg->reason);
    else
    if (msg->code == FGP_ERR_REVOKED) {
        snprintf (self->revoked, sizeof self->revoked, "%s", msg->reason);
        zsys_error ("sync: REVOKED: %s; this node no longer syncs with its parent (ask the parent's "
                    "operator; its records stay here)", msg->reason);
    }
    else
    if (msg->code == FGP_ERR_UNKNOWN_SESSION)
        zsys_info ("sync: parent does not know our session (it restarted); starting a new one");
    else
        zsys_error ("sync: %s", why);
    s_disconnect (self, why, backoff);
}

static int
s_on_dealer (zloop_t *loop, zsock_t *reader, void *arg)
{
    s_child_t *self = (s_child_t *) arg;
    char err [256] = "";
    fgp_msg_t *msg = fgp_msg_recv (self->dealer, NULL, NULL, err, sizeof err);
    if (!msg) {
        if (err [0])
            zsys_warning ("sync: malformed message from parent: %s", err);
        return 0;
    }
    int64_t now = fg_now_ms ();
    self->last_heard = now;
    switch (msg->id) {
        case FGP_WELCOME:
            s_on_welcome (self, msg);
            break;
        case FGP_BATCH:
        case FGP_ACK:
            //  Entries applied: a county's parent side passes them down at once
            if (self->state == S_ACTIVE && fgp_link_take (self->link, msg))
                zstr_send (self->pipe, "COMMITTED");
            const char *why;
            if (self->state == S_ACTIVE && fgp_receiver_ended (fgp_link_in (self->link), &why)) {
                char text [320];
                snprintf (text, sizeof text, "the parent went past its quota: %s", why);
                s_disconnect (self, text, 60000);
            }
            break;
        case FGP_PING: {
            fgp_msg_t *pong = fgp_msg_new (FGP_PONG);
            pong->session = msg->session;
            pong->now_ms = now;
            pong->echo_ms = msg->now_ms;
            fgp_link_send (self->link, &pong);
            break;
        }
        case FGP_PONG:
            self->rtt_ms = now - msg->echo_ms;
            self->offset_ms = msg->now_ms - (msg->echo_ms + self->rtt_ms / 2);
            if (llabs (self->offset_ms) > self->config->max_clock_ahead_ms && !self->clock_warned) {
                zsys_warning ("sync: this node's clock is %lld s %s the parent's: fix the clock; "
                              "entries keep their order but their times are flagged",
                              (long long) llabs (self->offset_ms) / 1000,
                              self->offset_ms > 0 ? "behind" : "ahead of");
                self->clock_warned = true;
            }
            break;
        case FGP_ERROR:
            s_on_error (self, msg);
            break;
        default:
            break;
    }
    fgp_msg_destroy (&msg);
    fgp_alarm_update (&self->alarm);
    fgp_daemon_wal_check (self->replica, &self->wal_frames);
    return 0;
}

//  The chores of an active session, each every period: a ping (and the
//  wants), the heartbeat's look for a silence to state, the status, and
//  the look at the replica for writes nobody told us of (fgp_daemon.h).
//  One that falls due within half its period of another is done with it
//  (fgp_alarm_due), so that they settle into one wake-up per period.

static int64_t
s_first (int64_t a, int64_t b)
{
    return a < b ? a : b;
}

//  The actor's next deadline, when nothing arrives before: the first of
//  its state's timers. Nothing else wakes it but a message.
static int64_t
s_next (void *arg)
{
    s_child_t *self = (s_child_t *) arg;
    int64_t next = INT64_MAX;
    if (self->reconnect_at)
        next = self->reconnect_at;
    switch (self->state) {
        case S_IDLE:
            next = s_first (next, self->retry_at);
            break;
        case S_HELLO:
            next = s_first (next, self->hello_at + self->config->timeout_ms / 2 + 1001);
            break;
        case S_ACTIVE:
            next = s_first (next, self->last_heard + self->config->timeout_ms + 1);
            next = s_first (next, self->last_ping + self->config->heartbeat_ms);
            if (self->chain_agreed)
                next = s_first (next, self->last_alive + self->config->heartbeat_ms);
            next = s_first (next, self->last_status + FGP_STATUS_MS);
            next = s_first (next, self->last_look + self->config->poll_ms);
            break;
    }
    return next;
}

static void
s_tick (void *arg)
{
    s_child_t *self = (s_child_t *) arg;
    int64_t now = fg_now_ms ();
    if (self->reconnect_at && now >= self->reconnect_at) {
        self->reconnect_at = 0;
        zsock_disconnect (self->dealer, "%s", self->config->parent);
        if (zsock_connect (self->dealer, "%s", self->config->parent))
            zsys_error ("sync: cannot connect to %s: %s", self->config->parent, zmq_strerror (zmq_errno ()));
        if (self->state != S_ACTIVE)
            self->state = S_IDLE;
        self->retry_at = now;
    }
    switch (self->state) {
        case S_IDLE:
            if (now >= self->retry_at)
                s_send_hello (self);
            break;
        case S_HELLO:
            if (now - self->hello_at > self->config->timeout_ms / 2 + 1000) {
                if (!self->hello_warned)
                    zsys_warning ("sync: no answer from the parent at %s (link down, hub stopped, or "
                                  "this node not enrolled there); retrying", self->config->parent);
                self->hello_warned = true;
                self->backoff_ms = self->backoff_ms < 8000 ? self->backoff_ms * 2 : 10000;
                s_disconnect (self, "no answer to HELLO", self->backoff_ms);
            }
            break;
        case S_ACTIVE:
            if (now - self->last_heard > self->config->timeout_ms) {
                s_disconnect (self, "parent silent", 0);
                break;
            }
            //  A node silent for sync/silence_hours says so once linked (its
            //  time is then the latest anyway): fg_replica_heartbeat
            if (self->chain_agreed && fgp_alarm_due (now, self->last_alive, self->config->heartbeat_ms)) {
                self->last_alive = now;
                bool wrote = false;
                if (fg_replica_heartbeat (self->replica, self->config->silence_ms, &wrote))
                    zsys_warning ("heartbeat: %s", fg_replica_error (self->replica));
                //  Our own commit: nobody else tells us, or a county's parent side
                if (wrote) {
                    s_pump (self);
                    zstr_send (self->pipe, "COMMITTED");
                }
            }
            if (fgp_alarm_due (now, self->last_ping, self->config->heartbeat_ms)) {
                fgp_msg_t *ping = fgp_msg_new (FGP_PING);
                ping->session = self->session;
                ping->now_ms = now;
                fgp_link_send (self->link, &ping);
                self->last_ping = now;
                //  Own entries still to come back from the parent: ask again
                fgp_msg_t *wants = fgp_receiver_wants (fgp_link_in (self->link));
                if (wants)
                    fgp_link_send (self->link, &wants);
            }
            //  Writes wake us (WAKE); this look finds any that did not
            //  (and lets the stream move its cursor past rows it skipped)
            if (fgp_alarm_due (now, self->last_look, self->config->poll_ms)) {
                self->last_look = now;
                s_pump (self);
            }
            if (fgp_alarm_due (now, self->last_status, FGP_STATUS_MS))
                s_status (self, "connected");
            break;
    }
}

static int
s_on_monitor (zloop_t *loop, zsock_t *reader, void *arg)
{
    s_child_t *self = (s_child_t *) arg;
    fgp_handshake_t kind = fgp_socket_monitor_event (reader, NULL);
    if (kind == FGP_HANDSHAKE_REFUSED && fg_replica_rekeying (self->replica))
        snprintf (self->error, sizeof self->error, "the parent refuses this node's new keys (fugai rekey "
                  "--switch): it has not re-enrolled them yet. Its operator runs fugai enroll --rekey with "
                  "%s/node.cert; or, daemon stopped, fugai rekey --cancel goes back to the old keys",
                  self->config->keys);
    else
    if (kind == FGP_HANDSHAKE_REFUSED && s_next_keys_wait (self))
        snprintf (self->error, sizeof self->error, "the parent refuses this node's current key: it has most "
                  "likely re-enrolled the next keys of fugai rekey (enroll --rekey). Stop the daemon, run "
                  "fugai rekey --switch, start it");
    else
    if (kind == FGP_HANDSHAKE_REFUSED && self->revoked [0])
        snprintf (self->error, sizeof self->error, "the parent refuses this node's key: REVOKED (%.150s); "
                  "this node no longer syncs. Ask the parent's operator: a stolen or lost node is "
                  "replaced (fugai enroll --replace), a revoked key comes back only with enroll --force",
                  self->revoked);
    else
    if (kind == FGP_HANDSHAKE_REFUSED)
        snprintf (self->error, sizeof self->error, "the parent refused this node's key: it is not "
                  "enrolled there, or was revoked. If it was never enrolled, the parent's operator runs "
                  "fugai enroll with %s/node.cert; if it was revoked, ask them why", self->config->keys);
    else
    if (kind == FGP_HANDSHAKE_FAILED)
        snprintf (self->error, sizeof self->error, "CURVE handshake with %s failed: is the trusted "
                  "parent certificate the one of the hub listening there?", self->config->parent);
    if (kind != FGP_HANDSHAKE_OTHER) {
        //  libzmq ends a connection whose handshake failed and does not try
        //  again: we do, so that enrolling this node later is enough
        if (!self->reconnect_at)
            zsys_error ("sync: %s; trying again every 10 s", self->error);
        self->reconnect_at = fg_now_ms () + 10000;
        s_status (self, "refused");
        fgp_alarm_update (&self->alarm);
    }
    return 0;
}

static int
s_on_pipe (zloop_t *loop, zsock_t *reader, void *arg)
{
    s_child_t *self = (s_child_t *) arg;
    char *command = zstr_recv (reader);
    int rc = 0;
    if (!command || streq (command, "$TERM"))
        rc = -1;
    else
    if (streq (command, "WAKE"))
        s_pump (self);                  //  new entries to relay up
    zstr_free (&command);
    return rc;
}

static int
s_setup (s_child_t *self, const char *dir)
{
    fgp_stream_config_t stream;
    if (fgp_daemon_open (dir, &self->config, &self->keys, &self->replica, &stream))
        return -1;
    if (!self->config->parent) {
        zsys_error ("sync: %s has no parent/endpoint", self->config->path);
        return -1;
    }
    if (fg_replica_parent (self->replica, &self->parent)) {
        zsys_error ("sync: no trusted parent: run fugai -C %s trust PARENT.cert", self->config->dir);
        return -1;
    }
    //  Our fixed routing id, and the author of our automatic writes
    char name [32];
    snprintf (name, sizeof name, "node-%u", self->config->node.node_id);
    self->dealer = zsock_new (ZMQ_DEALER);
    assert (self->dealer);
    zsock_set_identity (self->dealer, name);
    zcert_apply (fg_keys_cert (self->keys), self->dealer);
    zsock_set_curve_serverkey (self->dealer, self->parent.curve_pk);
    fgp_socket_tune (self->dealer, self->config->heartbeat_ms, self->config->timeout_ms);
    self->monitor = fgp_socket_monitor (self->dealer);
    self->link = fgp_link_new (self->replica, self->dealer, &self->parent, false, &stream, name);
#ifdef FUGAI_TEST_HOOKS
    //  Test hook (built only with -DFUGAI_TEST_HOOKS=ON): flip a byte of
    //  one entry the first time it is sent (tests/integration/tampered_entry)
    const char *corrupt = getenv ("FUGAI_TEST_CORRUPT");
    if (corrupt && *corrupt) {
        unsigned origin = 0;
        unsigned long long seq = 0;
        if (sscanf (corrupt, "%u/%llu", &origin, &seq) == 2)
            fgp_sender_corrupt_once (fgp_link_out (self->link), (uint16_t) origin, seq);
    }
#endif
    if (zsock_connect (self->dealer, "%s", self->config->parent)) {
        zsys_error ("sync: cannot connect to %s: %s", self->config->parent, zmq_strerror (zmq_errno ()));
        return -1;
    }
    self->backoff_ms = 500;
    fgp_daemon_wal_watch (self->replica, &self->wal_frames);
    return 0;
}

void
fgp_child_actor (zsock_t *pipe, void *args)
{
    s_child_t *self = (s_child_t *) zmalloc (sizeof (s_child_t));
    assert (self);
    self->pipe = pipe;
    if (s_setup (self, (const char *) args)) {
        zsock_signal (pipe, 1);
        zstr_send (pipe, "FAILED");
        //  Wait for $TERM so that zactor_destroy does not hang
        char *command = zstr_recv (pipe);
        zstr_free (&command);
    }
    else {
        zsock_signal (pipe, 0);
        zsock_set_sndtimeo (pipe, 0);   //  notices never block the actor
        s_status (self, "connecting");
        s_send_hello (self);            //  now, not at the first tick
        zloop_t *loop = zloop_new ();
        zloop_reader (loop, pipe, s_on_pipe, self);
        zloop_reader (loop, self->dealer, s_on_dealer, self);
        zloop_reader (loop, zactor_sock (self->monitor), s_on_monitor, self);
        fgp_alarm_init (&self->alarm, loop, s_tick, s_next, self);
        zloop_start (loop);
        fgp_alarm_report (&self->alarm, "sync: the link to the parent");
        zloop_destroy (&loop);
        if (self->state == S_ACTIVE)
            s_status (self, "stopped");
    }
    fgp_link_destroy (&self->link);
    zactor_destroy (&self->monitor);
    zsock_destroy (&self->dealer);
    fg_replica_destroy (&self->replica);
    fg_keys_destroy (&self->keys);
    fg_config_destroy (&self->config);
    free (self);
}
