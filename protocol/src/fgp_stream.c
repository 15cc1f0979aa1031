/*  fgp_stream.c - sender and receiver of one stream (see fgp_stream.h). */
#include "fgp_stream.h"
#include "fg_util.h"

#define S_MAX_REPAIRS      64
#define S_REPAIR_QUIET_MS  10000     //  do not repeat one repair sooner
#define S_SKIP_ROWS        1000      //  an empty batch moves the cursor past this many
#define S_SKIP_IDLE_MS     10000     //  ... or past any skipped rows after this long

void
fgp_stream_config_default (fgp_stream_config_t *config)
{
    config->batch_bytes = 256 * 1024;
    config->credit = 4;
    config->compress = true;
    config->scan_rows = 20000;
}

//  --------------------------------------------------------------------------
//  Sender

typedef struct {
    fgp_want_t want;
    int64_t    served_ms;
} s_repair_t;

struct _fgp_sender_t {
    fg_replica_t        *replica;
    const fg_node_t     *child;
    fgp_stream_config_t  config;
    uint8_t              stream;
    bool                 active;
    uint64_t             session;
    uint32_t             gen;
    uint64_t             acked;          //  receiver's committed cursor
    uint64_t             sent;           //  end of the last batch sent
    uint64_t             scanned;        //  (sent, scanned] holds nothing this stream sends
    uint16_t             credit;
    uint16_t             inflight;
    int64_t              last_batch_ms;
    fgp_want_t           pending [S_MAX_REPAIRS];
    size_t               pending_count;
    s_repair_t           served [S_MAX_REPAIRS];
    size_t               served_next;
    uint16_t             corrupt_origin;
    uint64_t             corrupt_seq;
    uint16_t             proto;          //  the session's protocol version
};

fgp_sender_t *
fgp_sender_new (fg_replica_t *replica, const fg_node_t *child, const fgp_stream_config_t *config)
{
    fgp_sender_t *self = (fgp_sender_t *) zmalloc (sizeof (fgp_sender_t));
    assert (self);
    self->replica = replica;
    self->child = child;
    self->config = *config;
    self->stream = child ? FGP_STREAM_DOWN : FGP_STREAM_UP;
    self->proto = FGP_PROTO_MIN;
    return self;
}

void
fgp_sender_destroy (fgp_sender_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        free (*self_p);
        *self_p = NULL;
    }
}

void
fgp_sender_start (fgp_sender_t *self, uint64_t session, uint64_t cursor, uint16_t credit)
{
    self->active = true;
    self->session = session;
    self->gen = 0;
    self->acked = self->sent = self->scanned = cursor;
    self->credit = credit ? credit : 1;
    self->inflight = 0;
    self->last_batch_ms = fg_now_ms ();
}

void
fgp_sender_set_proto (fgp_sender_t *self, uint16_t proto)
{
    self->proto = proto;
}

void
fgp_sender_stop (fgp_sender_t *self)
{
    self->active = false;
    self->inflight = 0;
    self->pending_count = 0;
}

bool
fgp_sender_active (fgp_sender_t *self)
{
    return self->active;
}

bool
fgp_sender_idle (fgp_sender_t *self)
{
    return self->inflight == 0;
}

uint64_t
fgp_sender_acked (fgp_sender_t *self)
{
    return self->acked;
}

void
fgp_sender_corrupt_once (fgp_sender_t *self, uint16_t origin, uint64_t seq)
{
    self->corrupt_origin = origin;
    self->corrupt_seq = seq;
}

//  Entries gathered for one batch, framed as they come
typedef struct {
    fgp_sender_t *sender;
    fgp_body_t    body;
    size_t        limit;            //  batch_bytes; one entry always goes
    bool          bad;              //  a log row that does not hold an entry
} s_gather_t;

static int
s_gather (void *arg, uint64_t lsn, const uint8_t *entry, size_t size)
{
    s_gather_t *gather = (s_gather_t *) arg;
    fgp_body_t *body = &gather->body;
    //  Always take one entry, so that a single large one still travels
    if (body->count > 0 && body->size + 4 + size > gather->limit)
        return 1;
    int rc = fgp_body_add (body, entry, size, FGP_MAX_BATCH_RAW, FGP_MAX_BATCH_ENTRIES);
    if (rc < 0) {
        zsys_error ("sync: log row %llu does not hold an entry (run fugai check)",
                    (unsigned long long) lsn);
        gather->bad = true;
    }
    if (rc)
        return 1;
    fgp_sender_t *sender = gather->sender;
    if (sender->corrupt_seq && size > 100
    &&  fg_get16 (entry + 4) == sender->corrupt_origin && fg_get64 (entry + 10) == sender->corrupt_seq) {
        body->data [body->size - FG_SIG_SIZE - 5] ^= 0x20;      //  a byte of the payload
        zsys_warning ("test hook: corrupting entry %u/%llu once in transit",
                      sender->corrupt_origin, (unsigned long long) sender->corrupt_seq);
        sender->corrupt_seq = 0;
    }
    return 0;
}

static fgp_msg_t *
s_make_batch (fgp_sender_t *self, fgp_body_t *body, uint64_t prev, uint64_t last, uint8_t flags)
{
    fgp_msg_t *batch = fgp_msg_new (FGP_BATCH);
    batch->session = self->session;
    batch->stream = self->stream;
    batch->gen = self->gen;
    batch->prev = prev;
    batch->last = last;
    batch->flags = flags;
    if (fgp_batch_pack (batch, body->data, body->size, body->count, self->config.compress)) {
        zsys_error ("sync: cannot pack a batch of %u entries: %s", body->count, batch->errmsg);
        fgp_msg_destroy (&batch);
    }
    return batch;
}

static fgp_msg_t *
s_next_repair (fgp_sender_t *self, bool *error)
{
    while (self->pending_count > 0) {
        fgp_want_t want = self->pending [--self->pending_count];
        s_gather_t gather = { self, { .elide = self->proto >= FGP_PROTO_ELIDE },
                              self->config.batch_bytes, false };
        int rc = fg_replica_scan_origin (self->replica, want.origin, want.from_seq, 10000,
                                         s_gather, &gather);
        fgp_msg_t *batch = NULL;
        if (rc || gather.bad)
            *error = true;
        else
        //  Down, a want we hold nothing for gets an empty repair batch: a
        //  child restoring its own chain learns that it has it all
        if (gather.body.count > 0 || self->child)
            batch = s_make_batch (self, &gather.body, 0, 0, FGP_BATCH_REPAIR);
        fgp_body_reset (&gather.body);
        if (batch || *error)
            return batch;
    }
    return NULL;
}

fgp_msg_t *
fgp_sender_next (fgp_sender_t *self, bool *error)
{
    *error = false;
    if (!self->active)
        return NULL;
    fgp_msg_t *repair = s_next_repair (self, error);
    if (repair || *error)
        return repair;
    if (self->inflight >= self->credit)
        return NULL;

    //  A scan that found nothing to send is not made again: the next one
    //  starts where it ended (what a scan offers never changes for rows it
    //  passed: a log row's routing columns are written once), so the rows
    //  that just came up from a child are passed over once per down stream
    s_gather_t gather = { self, { .elide = self->proto >= FGP_PROTO_ELIDE },
                          self->config.batch_bytes, false };
    uint64_t from = self->scanned > self->sent ? self->scanned : self->sent;
    uint64_t last = from;
    int rc = fg_replica_scan (self->replica, self->child, from, self->config.scan_rows,
                              s_gather, &gather, &last);
    if (rc || gather.bad) {
        *error = true;
        fgp_body_reset (&gather.body);
        return NULL;
    }
    fgp_msg_t *batch = NULL;
    int64_t now = fg_now_ms ();
    bool worth = gather.body.count > 0
              || (last > self->sent && (last - self->sent >= S_SKIP_ROWS
                                    ||  now - self->last_batch_ms >= S_SKIP_IDLE_MS));
    if (worth) {
        batch = s_make_batch (self, &gather.body, self->sent, last, 0);
        if (batch) {
            self->sent = self->scanned = last;
            self->inflight++;
            self->last_batch_ms = now;
        }
        else
            *error = true;
    }
    else
        self->scanned = last;
    fgp_body_reset (&gather.body);
    return batch;
}

void
fgp_sender_repair (fgp_sender_t *self, uint16_t origin, uint64_t from_seq)
{
    if (self->pending_count < S_MAX_REPAIRS) {
        self->pending [self->pending_count].origin = origin;
        self->pending [self->pending_count].from_seq = from_seq;
        self->pending_count++;
    }
}

int
fgp_sender_on_ack (fgp_sender_t *self, fgp_msg_t *ack)
{
    if (!self->active || ack->session != self->session || ack->stream != self->stream)
        return -1;
    if (ack->flags & FGP_ACK_WANTS) {
        //  Acknowledges no batch: only its wants count (below)
    }
    else
    if (ack->flags & FGP_ACK_REWIND) {
        if (ack->gen <= self->gen)
            return 0;                   //  an older rewind, already obeyed
        self->gen = ack->gen;
        self->acked = self->sent = self->scanned = ack->cursor;
        self->inflight = 0;
        fg_debug ("sync: peer asked to resend from %llu (generation %u)",
                    (unsigned long long) ack->cursor, ack->gen);
    }
    else {
        if (ack->cursor > self->acked)
            self->acked = ack->cursor;
        if (ack->gen == self->gen && self->inflight > 0)
            self->inflight--;
    }
    if (ack->credit && !(ack->flags & FGP_ACK_WANTS))
        self->credit = ack->credit;
    //  Repairs asked for, unless served a moment ago
    int64_t now = fg_now_ms ();
    for (size_t i = 0; i < ack->wants_count && self->pending_count < S_MAX_REPAIRS; i++) {
        bool recent = false;
        for (size_t s = 0; s < S_MAX_REPAIRS && !recent; s++)
            recent = self->served [s].want.origin == ack->wants [i].origin
                  && self->served [s].want.from_seq == ack->wants [i].from_seq
                  && now - self->served [s].served_ms < S_REPAIR_QUIET_MS;
        if (recent)
            continue;
        self->pending [self->pending_count++] = ack->wants [i];
        self->served [self->served_next].want = ack->wants [i];
        self->served [self->served_next].served_ms = now;
        self->served_next = (self->served_next + 1) % S_MAX_REPAIRS;
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Receiver

struct _fgp_receiver_t {
    fg_replica_t    *replica;
    const fg_node_t *peer;
    bool             from_child;
    uint8_t          stream;
    char            *author;
    bool             active;
    uint64_t         session;
    uint32_t         gen;
    uint64_t         cursor;
    uint16_t         credit;
    fg_rx_quota_t    quota;          //  what the peer may make us store this session
    bool             ended;          //  past the quota: the session ends
    fgp_want_t       unjudged [S_MAX_REPAIRS];  //  to ask again in the next ACK (s_want_unjudged)
    size_t           unjudged_count;
};

fgp_receiver_t *
fgp_receiver_new (fg_replica_t *replica, const fg_node_t *peer, bool from_child,
                  uint8_t stream, const char *author)
{
    fgp_receiver_t *self = (fgp_receiver_t *) zmalloc (sizeof (fgp_receiver_t));
    assert (self);
    self->replica = replica;
    self->peer = peer;
    self->from_child = from_child;
    self->stream = stream;
    self->author = strdup (author ? author : "fugai");
    return self;
}

void
fgp_receiver_destroy (fgp_receiver_t **self_p)
{
    assert (self_p);
    fgp_receiver_t *self = *self_p;
    if (self) {
        free (self->author);
        free (self);
        *self_p = NULL;
    }
}

void
fgp_receiver_start (fgp_receiver_t *self, uint64_t session, uint16_t credit)
{
    self->active = true;
    self->session = session;
    self->gen = 0;
    self->credit = credit ? credit : 1;
    self->cursor = fg_replica_cursor (self->replica, self->peer->node_id, "in");
    self->ended = false;
    if (fg_replica_quota_start (self->replica, self->peer->node_id, &self->quota))
        self->ended = true;
}

bool
fgp_receiver_ended (fgp_receiver_t *self, const char **reason_p)
{
    if (reason_p)
        *reason_p = self->quota.reason;
    return self->ended;
}

uint64_t
fgp_receiver_cursor (fgp_receiver_t *self)
{
    return self->cursor;
}

static fgp_msg_t *
s_error (int code, const char *format, ...) CHECK_PRINTF (2);

static fgp_msg_t *
s_error (int code, const char *format, ...)
{
    fgp_msg_t *error = fgp_msg_new (FGP_ERROR);
    error->code = (uint16_t) code;
    char text [FGP_STRING_MAX + 1];
    va_list args;
    va_start (args, format);
    vsnprintf (text, sizeof text, format, args);
    va_end (args);
    fgp_msg_set_reason (error, "%s", text);
    return error;
}

//  What the receiver asks the sender for: the predecessors its buffer waits
//  for (from a child), or its own entries lost in a fork (from a parent).
static void
s_add_wants (fgp_receiver_t *self, fgp_msg_t *ack)
{
    for (size_t i = 0; i < self->unjudged_count; i++)
        fgp_msg_want_add (ack, self->unjudged [i].origin, self->unjudged [i].from_seq);
    self->unjudged_count = 0;
    if (self->from_child) {
        fg_gap_t gaps [32];
        size_t count = fg_replica_gaps (self->replica, self->peer->org, gaps, 32);
        for (size_t i = 0; i < count; i++)
            fgp_msg_want_add (ack, gaps [i].origin, gaps [i].from_seq);
    }
    else {
        uint64_t from = fg_replica_restore_from (self->replica);
        if (from)
            fgp_msg_want_add (ack, fg_replica_self (self->replica)->node_id, from);
    }
}

static fgp_msg_t *
s_ack (fgp_receiver_t *self, uint8_t flags, const fg_rx_stats_t *stats);

fgp_msg_t *
fgp_receiver_wants (fgp_receiver_t *self)
{
    if (!self->active)
        return NULL;
    fgp_msg_t *ack = s_ack (self, FGP_ACK_WANTS, NULL);
    if (ack->wants_count == 0)
        fgp_msg_destroy (&ack);
    return ack;
}

static fgp_msg_t *
s_ack (fgp_receiver_t *self, uint8_t flags, const fg_rx_stats_t *stats)
{
    fgp_msg_t *ack = fgp_msg_new (FGP_ACK);
    ack->session = self->session;
    ack->stream = self->stream;
    ack->gen = self->gen;
    ack->cursor = self->cursor;
    ack->flags = flags;
    ack->credit = self->credit;
    if (stats) {
        ack->applied = (uint32_t) stats->applied;
        ack->duplicate = (uint32_t) stats->duplicate;
        ack->buffered = (uint32_t) stats->buffered;
        ack->quarantined = (uint32_t) stats->quarantined;
    }
    s_add_wants (self, ack);
    return ack;
}

//  Entries of a child's subtree the replica did not judge (made from a
//  refused entry before them, fg_replica_receive_elided) are not stored
//  and wait for nothing, so no gap asks for them: ask for each origin of
//  an elided entry of the batch held to a seq below it, from its frontier
//  on.
static void
s_want_unjudged (fgp_receiver_t *self, const uint8_t **entries, const size_t *sizes,
                 const bool *elided, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (!elided [i] || sizes [i] < 18)
            continue;
        uint16_t origin = fg_get16 (entries [i] + 4);
        uint64_t seq = fg_get64 (entries [i] + 10), held;
        uint8_t hash [FG_HASH_SIZE];
        bool listed = false;
        for (size_t w = 0; w < self->unjudged_count && !listed; w++)
            listed = self->unjudged [w].origin == origin;
        if (!listed && self->unjudged_count < S_MAX_REPAIRS
        &&  fg_replica_frontier (self->replica, origin, &held, hash) == 0 && held < seq) {
            self->unjudged [self->unjudged_count].origin = origin;
            self->unjudged [self->unjudged_count].from_seq = held + 1;
            self->unjudged_count++;
        }
    }
}

//  Apply the entries of a batch in one transaction; the cursor moves to
//  `last` in the same transaction unless last is 0 (repair).
static int
s_apply (fgp_receiver_t *self, fgp_msg_t *batch, fg_rx_stats_t *stats, char *errbuf, size_t errsize)
{
    fgp_batch_reader_t reader;
    if (fgp_batch_open (batch, &reader, errbuf, errsize))
        return -2;
    size_t count = batch->count;
    const uint8_t **entries = (const uint8_t **) malloc ((count ? count : 1) * sizeof (uint8_t *));
    size_t *sizes = (size_t *) malloc ((count ? count : 1) * sizeof (size_t));
    bool *elided = (bool *) malloc ((count ? count : 1) * sizeof (bool));
    assert (entries && sizes && elided);
    size_t got = 0;
    int next;
    while (got < count && (next = fgp_batch_next (&reader, &entries [got], &sizes [got])) == 1)
        elided [got++] = fgp_batch_elided (&reader);
    int rc = got == count ? 0 : -2;
    if (rc)
        snprintf (errbuf, errsize, "batch body holds fewer entries than its count");
    size_t acks = 0;
    if (rc == 0 && fg_replica_begin (self->replica)) {
        snprintf (errbuf, errsize, "%s", fg_replica_error (self->replica));
        rc = -1;
    }
    fg_recovery_t recovery = FG_RECOVERY_NONE;
    size_t resigned = 0;
    uint64_t cursor = batch->last;
    if (rc == 0) {
        fg_replica_set_quota (self->replica, &self->quota);
        int received = fg_replica_receive_elided (self->replica, entries, sizes, elided, count,
                                                  self->peer, self->from_child, stats);
        fg_replica_set_quota (self->replica, NULL);
        if (received == FG_RX_OVER_QUOTA) {
            //  Nothing of the batch is kept; the session ends
            fg_replica_rollback (self->replica);
            snprintf (errbuf, errsize, "%s", self->quota.reason);
            fgp_batch_close (&reader);
            free (entries);
            free (sizes);
            free (elided);
            return -4;
        }
        //  A sender whose log is not what our cursor assumed starts over
        if (fg_replica_take_resync (self->replica) == self->peer->node_id)
            cursor = 0;
        if (received
        ||  (batch->last && fg_replica_set_cursor (self->replica, self->peer->node_id, "in", cursor))
        ||  (self->stream == FGP_STREAM_DOWN
             && fg_replica_from_parent (self->replica, self->author, &recovery, &resigned, &acks))
        ||  fg_replica_commit (self->replica)) {
            fg_replica_rollback (self->replica);
            snprintf (errbuf, errsize, "%s", fg_replica_error (self->replica));
            rc = -1;
        }
    }
    if (rc == 0 && acks)
        zsys_info ("acknowledged %zu directive(s)", acks);
    if (rc == 0 && stats->unjudged && self->from_child)
        s_want_unjudged (self, entries, sizes, elided, count);
    if (rc == 0 && batch->last && cursor == 0) {
        zsys_warning ("sync: node %u's log is not what our cursor assumed (restored from a backup?): "
                      "asking for all of it again", self->peer->node_id);
        rc = -3;
    }
    fgp_batch_close (&reader);
    free (entries);
    free (sizes);
    free (elided);
    return rc;
}

fgp_msg_t *
fgp_receiver_on_batch (fgp_receiver_t *self, fgp_msg_t *batch, fg_rx_stats_t *stats)
{
    fg_rx_stats_t local = { 0 };
    if (!self->active || batch->session != self->session || batch->stream != self->stream)
        return NULL;
    char reason [256] = "";
    if (self->ended)
        return NULL;
    if (batch->flags & FGP_BATCH_REPAIR) {
        int rc = s_apply (self, batch, &local, reason, sizeof reason);
        if (rc == -4) {
            self->ended = true;
            zsys_warning ("sync: session with node %u ends: %s", self->peer->node_id, reason);
            return s_error (FGP_ERR_QUOTA, "session ended: %s", reason);
        }
        //  An empty repair from the parent: it holds no more of what we
        //  asked for; a restore of our own chain is complete
        if (rc == 0 && batch->count == 0 && !self->from_child && fg_replica_restoring (self->replica)) {
            //  then the epoch it is in, if its parent started one since its
            //  last entry (a replacement node: its new keys' epoch)
            fg_recovery_t recovery;
            size_t resigned, acks;
            if (fg_replica_begin (self->replica) == 0) {
                if (fg_replica_restore_end (self->replica)
                ||  fg_replica_from_parent (self->replica, self->author, &recovery, &resigned, &acks)
                ||  fg_replica_commit (self->replica)) {
                    zsys_error ("sync: cannot end the restore: %s", fg_replica_error (self->replica));
                    fg_replica_rollback (self->replica);
                }
            }
        }
        //  ... and a recovery whose chain came back past its base ends
        if (rc == 0 && batch->count == 0 && !self->from_child && fg_replica_recovering (self->replica)) {
            size_t resigned;
            if (fg_replica_begin (self->replica) == 0) {
                if (fg_replica_recover_end (self->replica, &resigned) || fg_replica_commit (self->replica)) {
                    zsys_error ("sync: cannot end the recovery: %s", fg_replica_error (self->replica));
                    fg_replica_rollback (self->replica);
                }
            }
        }
        if (rc == -1)
            zsys_error ("sync: repair batch from node %u not stored: %s", self->peer->node_id, reason);
        else
        if (rc == -2)
            zsys_warning ("sync: malformed repair batch from node %u: %s", self->peer->node_id, reason);
        if (stats) {
            stats->applied += local.applied;
            stats->duplicate += local.duplicate;
            stats->buffered += local.buffered;
            stats->quarantined += local.quarantined;
            stats->unjudged += local.unjudged;
        }
        //  Not acknowledged, unless more is wanted (a long repair)
        fgp_msg_t *ack = s_ack (self, FGP_ACK_WANTS, &local);
        if (ack->wants_count == 0)
            fgp_msg_destroy (&ack);
        return ack;
    }
    if (batch->gen < self->gen)
        return NULL;                    //  in flight before our rewind
    self->gen = batch->gen;
    if (batch->prev != self->cursor || batch->last < batch->prev) {
        self->gen++;
        return s_ack (self, FGP_ACK_REWIND, NULL);
    }
    int rc = s_apply (self, batch, &local, reason, sizeof reason);
    if (rc == -4) {
        self->ended = true;
        self->gen++;
        zsys_warning ("sync: session with node %u ends: %s", self->peer->node_id, reason);
        return s_error (FGP_ERR_QUOTA, "session ended: %s", reason);
    }
    if (rc == -3) {
        //  Committed, with our cursor back at 0: the sender starts over
        self->cursor = 0;
        self->gen++;
        return s_ack (self, FGP_ACK_REWIND, &local);
    }
    if (rc == -2) {
        zsys_warning ("sync: malformed batch from node %u: %s", self->peer->node_id, reason);
        self->gen++;
        return s_error (FGP_ERR_MALFORMED, "batch refused: %s", reason);
    }
    if (rc == -1) {
        zsys_error ("sync: cannot store a batch from node %u: %s", self->peer->node_id, reason);
        self->gen++;
        return s_error (FGP_ERR_INTERNAL, "cannot store the batch (%s); will retry", reason);
    }
    self->cursor = batch->last;
    if (stats) {
        stats->applied += local.applied;
        stats->duplicate += local.duplicate;
        stats->buffered += local.buffered;
        stats->quarantined += local.quarantined;
        stats->unjudged += local.unjudged;
    }
    return s_ack (self, 0, &local);
}
