/*  fugai_hostile.c - a hostile child, for tests: an enrolled node whose key
    is in someone else's hands. It opens the node's own directory (its
    enrolled keys, its replica), connects to its parent like fugai-edge
    (DEALER, CURVE, the node's routing id), opens a session and sends one
    crafted attack, then prints what the parent answered, one line per
    batch:
        BATCH i: ACK applied=A duplicate=D buffered=B quarantined=Q
        BATCH i: ERROR code (reason)
        BATCH i: no answer
    The node's edge daemon must be stopped while it runs. Test code only
    (tests/integration/hostile.sh says what each case must leave behind).

    Usage: fugai-hostile DIR CASE [ARGS]
      neighbour VILLAGE  a validly signed entry of this node (also logged
                         here, so its chain goes on) writing a household in
                         another township's village
      relay OTHER_DIR    the entries of another node (read from its
                         replica) relayed as if this node could speak for it
      unknown            an entry of an origin nobody knows (a fresh key)
      replay             every entry of this node's own, again
      garbage N          one batch of N entries of this node's origin whose
                         signature does not verify
      bombs N            N batches, each a zstd frame of about 1.4 KB that
                         inflates to 63 blobs of 256 KiB that are not entries
      flood K N          K batches of N entries that do not verify, a new
                         session whenever the parent ends one
      oversized          one message of 9 MiB (over FGP_MAX_MSG_SIZE)
      clock N            N validly signed entries of this node (logged here
                         too), each a household, in one batch: run with
                         FUGAI_CLOCK_OFFSET_MS so they are stamped ahead
*/
#include "fg_common.h"
#include "fg_programme.h"
#include "fg_site.h"
#include "fg_entry.h"
#include "fg_ops.h"
#include "fg_hlc.h"
#include "fg_util.h"
#include "fgp_msg.h"
#include "fgp_socket.h"

typedef struct {
    fg_site_t  site;
    fg_node_t  parent;
    zsock_t   *dealer;
    uint64_t   session;
    uint64_t   cursor;              //  the parent's up cursor (WELCOME)
    bool       open;
    int        batches;
} s_hostile_t;

static int
s_connect (s_hostile_t *self)
{
    char name [32];
    snprintf (name, sizeof name, "node-%u", self->site.config->node.node_id);
    zsock_destroy (&self->dealer);
    self->dealer = zsock_new (ZMQ_DEALER);
    assert (self->dealer);
    zsock_set_identity (self->dealer, name);
    zcert_apply (fg_keys_cert (self->site.keys), self->dealer);
    zsock_set_curve_serverkey (self->dealer, self->parent.curve_pk);
    fgp_socket_tune (self->dealer, 500, 3000);
    zsock_set_sndtimeo (self->dealer, 5000);
    //  A batch of 20000 entries to check takes the parent a while on a
    //  loaded machine (or under the sanitizers)
    zsock_set_rcvtimeo (self->dealer, 30000);
    return zsock_connect (self->dealer, "%s", self->site.config->parent);
}

//  Next message from the parent that is not a PING/PONG, or NULL.
static fgp_msg_t *
s_recv (s_hostile_t *self)
{
    while (true) {
        char err [256] = "";
        fgp_msg_t *msg = fgp_msg_recv (self->dealer, NULL, NULL, err, sizeof err);
        if (!msg)
            return NULL;
        if (msg->id != FGP_PING && msg->id != FGP_PONG)
            return msg;
        fgp_msg_destroy (&msg);
    }
}

static int
s_hello (s_hostile_t *self)
{
    self->open = false;
    randombytes_buf (&self->session, sizeof self->session);
    fgp_msg_t *hello = fgp_msg_new (FGP_HELLO);
    hello->proto_min = FG_PROTOCOL_VERSION;
    hello->proto_max = FG_PROTOCOL_VERSION;
    hello->schema_version = FG_SCHEMA_VERSION;
    hello->node_id = self->site.config->node.node_id;
    hello->session = self->session;
    hello->down_cursor = fg_replica_cursor (self->site.replica, self->parent.node_id, "in");
    hello->now_ms = fg_now_ms ();
    fgp_msg_set_software (hello, "fugai-hostile");
    int rc = fgp_msg_send (hello, self->dealer, NULL);
    fgp_msg_destroy (&hello);
    if (rc)
        return -1;
    for (int tries = 0; tries < 10; tries++) {
        fgp_msg_t *msg = s_recv (self);
        if (!msg)
            break;
        bool welcome = msg->id == FGP_WELCOME && msg->session == self->session;
        if (welcome) {
            self->cursor = msg->up_cursor;
            self->open = true;
        }
        else
        if (msg->id == FGP_ERROR)
            printf ("HELLO: ERROR %u (%s)\n", msg->code, msg->reason);
        fgp_msg_destroy (&msg);
        if (welcome)
            return 0;
    }
    printf ("HELLO: no WELCOME\n");
    return -1;
}

//  Send one batch of raw body (count entries), print the answer. Returns
//  the answer's id (FGP_ACK, FGP_ERROR) or 0 for none.
static int
s_batch_raw (s_hostile_t *self, const uint8_t *raw, size_t raw_size, uint32_t count)
{
    if (!self->open && s_hello (self))
        return 0;
    int index = ++self->batches;
    fgp_msg_t *batch = fgp_msg_new (FGP_BATCH);
    batch->session = self->session;
    batch->stream = FGP_STREAM_UP;
    batch->prev = self->cursor;
    batch->last = self->cursor;
    if (fgp_batch_pack (batch, raw, raw_size, count, true) || fgp_msg_send (batch, self->dealer, NULL)) {
        printf ("BATCH %d: not sent: %s\n", index, batch->errmsg);
        fgp_msg_destroy (&batch);
        return 0;
    }
    printf ("BATCH %d: %u entries, %u bytes raw, %zu on the wire\n", index, count, batch->raw_size,
            batch->body_size);
    fgp_msg_destroy (&batch);
    int answer = 0;
    while (true) {
        fgp_msg_t *msg = s_recv (self);
        if (!msg) {
            printf ("BATCH %d: no answer\n", index);
            self->open = false;
            break;
        }
        if (msg->id == FGP_ACK && msg->stream == FGP_STREAM_UP && !(msg->flags & FGP_ACK_WANTS)) {
            printf ("BATCH %d: ACK applied=%u duplicate=%u buffered=%u quarantined=%u\n", index,
                    msg->applied, msg->duplicate, msg->buffered, msg->quarantined);
            answer = FGP_ACK;
        }
        else
        if (msg->id == FGP_ERROR) {
            printf ("BATCH %d: ERROR %u (%s)\n", index, msg->code, msg->reason);
            self->open = false;             //  the next batch opens a new session
            answer = FGP_ERROR;
        }
        fgp_msg_destroy (&msg);
        if (answer)
            break;
    }
    fflush (stdout);
    return answer;
}

static int
s_batch (s_hostile_t *self, uint8_t **entries, size_t *sizes, size_t count)
{
    fgp_body_t body = { 0 };
    for (size_t i = 0; i < count; i++)
        if (fgp_body_add (&body, entries [i], sizes [i], FGP_MAX_BATCH_RAW, FGP_MAX_BATCH_ENTRIES)) {
            fprintf (stderr, "fugai-hostile: entry %zu does not fit a batch\n", i);
            fgp_body_reset (&body);
            return 0;
        }
    int answer = s_batch_raw (self, body.data, body.size, body.count);
    fgp_body_reset (&body);
    return answer;
}

//  Entries collected from a scan
typedef struct {
    uint8_t **entries;
    size_t   *sizes;
    size_t    count, alloc;
} s_list_t;

static int
s_collect (void *arg, uint64_t lsn, const uint8_t *entry, size_t size)
{
    s_list_t *list = (s_list_t *) arg;
    if (list->count == list->alloc) {
        list->alloc = list->alloc ? list->alloc * 2 : 64;
        list->entries = (uint8_t **) realloc (list->entries, list->alloc * sizeof (uint8_t *));
        list->sizes = (size_t *) realloc (list->sizes, list->alloc * sizeof (size_t));
        assert (list->entries && list->sizes);
    }
    list->entries [list->count] = (uint8_t *) malloc (size);
    assert (list->entries [list->count]);
    memcpy (list->entries [list->count], entry, size);
    list->sizes [list->count++] = size;
    return 0;
}

static void
s_list_free (s_list_t *list)
{
    for (size_t i = 0; i < list->count; i++)
        free (list->entries [i]);
    free (list->entries);
    free (list->sizes);
    memset (list, 0, sizeof *list);
}

//  An entry of `origin` signed by `keys`, seq and prev given; one op
//  putting a household in `village`.
static uint8_t *
s_entry (fg_keys_t *keys, uint16_t origin, uint64_t seq, const uint8_t prev [FG_HASH_SIZE],
         uint64_t village, const char *head, size_t *size_p, uint8_t hash [FG_HASH_SIZE])
{
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", ((uint64_t) origin << FG_ID_SHIFT) | (seq + 1000000),
                  village);
    fg_ops_set_text (ops, "head_name", head);
    fg_ops_set_int (ops, "size", 3);
    char err [128];
    size_t payload_size;
    uint8_t *payload = fg_ops_encode (ops, &payload_size, err, sizeof err);
    assert (payload);
    fg_ops_destroy (&ops);
    uint8_t *bytes = fg_entry_build (keys, origin, 0, seq, fg_hlc_make (fg_now_ms (), 0), prev, "hostile",
                                     payload, payload_size, size_p, hash);
    assert (bytes);
    free (payload);
    return bytes;
}

//  N entries of this node's origin after its frontier, chained, signed by
//  a key that is not its own.
static void
s_forged (s_hostile_t *self, size_t count, uint64_t skip, s_list_t *list)
{
    uint16_t me = self->site.config->node.node_id;
    uint64_t seq;
    uint8_t prev [FG_HASH_SIZE];
    assert (fg_replica_frontier (self->site.replica, me, &seq, prev) == 0);
    fg_keys_t *other = fg_keys_new ();
    uint64_t village = strtoull (self->site.config->node.org, NULL, 10) * 1000 + 201;
    for (size_t i = 0; i < count; i++) {
        size_t size;
        uint8_t hash [FG_HASH_SIZE];
        uint8_t *bytes = s_entry (other, me, seq + 1 + skip + i, prev, village, "forged", &size, hash);
        s_collect (list, 0, bytes, size);
        free (bytes);
        memcpy (prev, hash, FG_HASH_SIZE);
    }
    fg_keys_destroy (&other);
}

static int
s_run (s_hostile_t *self, int argc, char **argv)
{
    const char *name = argv [0];
    uint16_t me = self->site.config->node.node_id;
    s_list_t list = { 0 };
    if (streq (name, "neighbour") && argc == 2) {
        fg_replica_t *replica = self->site.replica;
        uint64_t seq;
        fg_ops_t *ops = fg_ops_new ();
        if (fg_replica_begin (replica))
            return -1;
        fg_ops_begin (ops, FG_OP_PUT, "household", "reg", fg_replica_new_id (replica),
                      strtoull (argv [1], NULL, 10));
        fg_ops_set_text (ops, "head_name", "neighbour's household, written by a hostile township");
        fg_ops_set_int (ops, "size", 9);
        int rc = fg_replica_append (replica, ops, "hostile", &seq, NULL);
        fg_ops_destroy (&ops);
        if (rc || fg_replica_commit (replica)) {
            fprintf (stderr, "fugai-hostile: %s\n", fg_replica_error (replica));
            fg_replica_rollback (replica);
            return -1;
        }
        if (fg_replica_scan_origin (replica, me, seq, 1, s_collect, &list))
            return -1;
        printf ("neighbour: entry %u/%llu\n", me, (unsigned long long) seq);
        s_batch (self, list.entries, list.sizes, list.count);
    }
    else
    if (streq (name, "relay") && argc == 2) {
        fg_site_t other;
        char err [512];
        if (fg_programme_open (&other, argv [1], 0, err, sizeof err)) {
            fprintf (stderr, "fugai-hostile: %s\n", err);
            return -1;
        }
        uint16_t origin = other.config->node.node_id;
        int rc = fg_replica_scan_origin (other.replica, origin, 1, 100000, s_collect, &list);
        fg_site_close (&other);
        if (rc)
            return -1;
        printf ("relay: %zu entries of node %u\n", list.count, origin);
        s_batch (self, list.entries, list.sizes, list.count);
    }
    else
    if (streq (name, "unknown") && argc == 1) {
        fg_keys_t *stranger = fg_keys_new ();
        uint8_t zero [FG_HASH_SIZE] = { 0 }, hash [FG_HASH_SIZE];
        size_t size;
        uint64_t village = strtoull (self->site.config->node.org, NULL, 10) * 1000 + 299;
        uint8_t *bytes = s_entry (stranger, 60000, 1, zero, village, "nobody", &size, hash);
        s_collect (&list, 0, bytes, size);
        free (bytes);
        fg_keys_destroy (&stranger);
        s_batch (self, list.entries, list.sizes, list.count);
    }
    else
    if (streq (name, "replay") && argc == 1) {
        if (fg_replica_scan_origin (self->site.replica, me, 1, 100000, s_collect, &list))
            return -1;
        printf ("replay: %zu entries of node %u\n", list.count, me);
        s_batch (self, list.entries, list.sizes, list.count);
    }
    else
    if (streq (name, "garbage") && argc == 2) {
        s_forged (self, (size_t) atol (argv [1]), 0, &list);
        s_batch (self, list.entries, list.sizes, list.count);
    }
    else
    if (streq (name, "flood") && argc == 3) {
        size_t batches = (size_t) atol (argv [1]), count = (size_t) atol (argv [2]);
        for (size_t b = 0; b < batches; b++) {
            s_forged (self, count, b * count, &list);
            s_batch (self, list.entries, list.sizes, list.count);
            s_list_free (&list);
        }
    }
    else
    if (streq (name, "bombs") && argc == 2) {
        size_t blob = FG_ENTRY_MAX_SIZE, count = 63;
        size_t raw_size = count * (4 + blob);
        uint8_t *raw = (uint8_t *) calloc (1, raw_size);
        assert (raw);
        for (size_t i = 0; i < count; i++)
            fg_put32 (raw + i * (4 + blob), (uint32_t) blob);
        for (long b = 0; b < atol (argv [1]); b++) {
            //  Each blob different (its first bytes), so each is its own refusal
            for (size_t i = 0; i < count; i++)
                fg_put64 (raw + i * (4 + blob) + 4, (uint64_t) (b * count + i + 1));
            s_batch_raw (self, raw, raw_size, (uint32_t) count);
        }
        free (raw);
    }
    else
    if (streq (name, "clock") && argc == 2) {
        fg_replica_t *replica = self->site.replica;
        uint64_t village = strtoull (self->site.config->node.org, NULL, 10) * 1000 + 201;
        uint64_t first = 0, seq = 0;
        for (long i = 0; i < atol (argv [1]); i++) {
            char head [32];
            snprintf (head, sizeof head, "clock-%ld", i + 1);
            fg_ops_t *ops = fg_ops_new ();
            int rc = fg_replica_begin (replica);
            if (rc == 0) {
                fg_ops_begin (ops, FG_OP_PUT, "household", "reg", fg_replica_new_id (replica), village);
                fg_ops_set_text (ops, "head_name", head);
                fg_ops_set_int (ops, "size", 1);
                rc = fg_replica_append (replica, ops, "hostile", &seq, NULL);
            }
            fg_ops_destroy (&ops);
            if (rc || fg_replica_commit (replica)) {
                fprintf (stderr, "fugai-hostile: %s\n", fg_replica_error (replica));
                fg_replica_rollback (replica);
                return -1;
            }
            if (!first)
                first = seq;
        }
        if (fg_replica_scan_origin (replica, me, first, (size_t) atol (argv [1]), s_collect, &list))
            return -1;
        printf ("clock: %zu entries of node %u from seq %llu, stamped %lld s ahead\n", list.count, me,
                (unsigned long long) first, (long long) ((fg_now_ms () - (int64_t) time (NULL) * 1000) / 1000));
        s_batch (self, list.entries, list.sizes, list.count);
    }
    else
    if (streq (name, "oversized") && argc == 1) {
        if (!self->open && s_hello (self))
            return -1;
        size_t size = 9 * 1024 * 1024;
        zframe_t *frame = zframe_new (NULL, size);
        memset (zframe_data (frame), 0x07, size);
        int rc = zframe_send (&frame, self->dealer, 0);
        printf ("oversized: %zu bytes %s\n", size, rc ? "not sent" : "sent");
        zsock_set_rcvtimeo (self->dealer, 3000);        //  no answer is expected
        fgp_msg_t *msg = s_recv (self);
        printf ("oversized: %s\n", msg ? fgp_msg_name (msg->id) : "no answer (the parent dropped it)");
        fgp_msg_destroy (&msg);
    }
    else {
        fprintf (stderr, "fugai-hostile: unknown case or arguments: %s\n", name);
        return -1;
    }
    s_list_free (&list);
    return 0;
}

int
main (int argc, char **argv)
{
    if (argc < 3) {
        fprintf (stderr, "usage: fugai-hostile DIR CASE [ARGS] (see tests/hostile/fugai_hostile.c)\n");
        return 2;
    }
    zsys_init ();
    zsys_set_logident ("fugai-hostile");
    s_hostile_t self = { 0 };
    char err [512];
    if (fg_programme_open (&self.site, argv [1], FG_SITE_KEYS, err, sizeof err)) {
        fprintf (stderr, "fugai-hostile: %s\n", err);
        return 2;
    }
    int rc = 2;
    if (!self.site.config->parent || fg_replica_parent (self.site.replica, &self.parent))
        fprintf (stderr, "fugai-hostile: %s has no parent\n", argv [1]);
    else
    if (s_connect (&self))
        fprintf (stderr, "fugai-hostile: cannot connect to %s\n", self.site.config->parent);
    else
        rc = s_run (&self, argc - 2, argv + 2) ? 1 : 0;
    zsock_destroy (&self.dealer);
    fg_site_close (&self.site);
    return rc;
}
