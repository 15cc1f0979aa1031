/*  fgp_elide_test.c - self-test of elided BATCH entries (protocol 2,
    SPEC §4.1; fgp_batch.c): they read back whole and verify, a body that
    claims an elision it cannot back is refused, an entry made from a
    forged predecessor is asked for again, and a peer of protocol 1 gets
    whole entries (test code: never linked into a shipped program). */
#include "fg_selftests.h"
#include "fgp_stream.h"
#include "fg_util.h"
#include "fg_testkit.h"
#include <zstd.h>

//  The raw body of a BATCH as it travelled (decompressed, not made whole)
static uint8_t *
s_raw (fgp_msg_t *batch)
{
    uint8_t *raw = (uint8_t *) malloc (batch->raw_size + 1);
    assert (raw);
    if (batch->flags & FGP_BATCH_ZSTD)
        assert (ZSTD_decompress (raw, batch->raw_size, batch->body, batch->body_size) == batch->raw_size);
    else
        memcpy (raw, batch->body, batch->raw_size);
    return raw;
}

//  Entries of a raw body carried elided
static uint32_t
s_elided (const uint8_t *raw, size_t size)
{
    uint32_t elided = 0;
    for (size_t at = 0; at + 4 <= size; ) {
        uint32_t word = fg_get32 (raw + at);
        elided += (word & FGP_BODY_ELIDED) != 0;
        at += 4 + (word & ~FGP_BODY_ELIDED);
    }
    return elided;
}

//  A BATCH of the up stream holding this raw body as it is (no check)
static fgp_msg_t *
s_batch (uint64_t session, uint64_t prev, const uint8_t *raw, size_t size, uint32_t count)
{
    fgp_msg_t *batch = fgp_msg_new (FGP_BATCH);
    batch->session = session;
    batch->stream = FGP_STREAM_UP;
    batch->prev = prev;
    batch->last = prev + count;
    batch->body = (uint8_t *) malloc (size + 1);
    assert (batch->body);
    memcpy (batch->body, raw, size);
    batch->body_size = batch->raw_size = (uint32_t) size;
    batch->count = count;
    return batch;
}

static void
s_expect_refused (fgp_msg_t *batch, const char *expect)
{
    fgp_batch_reader_t reader;
    char err [256];
    int rc = fgp_batch_open (batch, &reader, err, sizeof err);
    if (rc == 0 || !strstr (err, expect)) {
        fprintf (stderr, "\nexpected open to refuse with '%s', got %d '%s'\n", expect, rc, err);
        assert (false);
    }
    fgp_batch_close (&reader);
    //  ... and the encoder does not make it
    fgp_msg_t *copy = fgp_msg_new (FGP_BATCH);
    copy->stream = FGP_STREAM_UP;
    assert (fgp_batch_pack (copy, batch->body, batch->raw_size, batch->count, true) == -1);
    assert (strstr (copy->errmsg, expect));
    fgp_msg_destroy (&copy);
}

void
fgp_elide_test (bool verbose)
{
    printf (" * fgp_elide: ");
    char *dir = fg_testkit_dir ("fgp_elide_test");
    fg_testnode_t county, town;
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    fg_testkit_link (&county, &town);
    for (int i = 0; i < 40; i++)
        fg_testkit_household (&town, "513328100201", "elided");
    fg_testbatch_t log = { 0 };
    uint64_t last;
    assert (fg_replica_scan (town.replica, NULL, 0, 1000, fg_testkit_collect, &log, &last) == 0);
    assert (log.count >= 40);
    size_t whole_size = 0;
    for (size_t i = 0; i < log.count; i++)
        whole_size += 4 + log.sizes [i];

    //  Versions: the parent picks the highest both speak; a child of
    //  protocol 1 gets 1, so whole entries both ways
    assert (fgp_proto_choose (1, 1) == 1);
    assert (fgp_proto_choose (1, 2) == 2 && FG_PROTOCOL_VERSION == 2);
    assert (fgp_proto_choose (1, 9) == FG_PROTOCOL_VERSION);
    assert (fgp_proto_choose (2, 2) == 2);
    assert (fgp_proto_choose (3, 4) == 0 && fgp_proto_choose (0, 0) == 0 && fgp_proto_choose (2, 1) == 0);

    //  A body of the town's chain: every entry but the first elided, 48
    //  bytes or more fewer each (56 less its hlc's varints); a protocol 1
    //  reader refuses it
    fgp_body_t body = { .elide = true };
    for (size_t i = 0; i < log.count; i++)
        assert (fgp_body_add (&body, log.entries [i], log.sizes [i], FGP_MAX_BATCH_RAW, 100) == 0);
    assert (s_elided (body.data, body.size) == log.count - 1);
    assert (!(fg_get32 (body.data) & FGP_BODY_ELIDED));
    assert (body.size <= whole_size - 48 * (log.count - 1));
    char err [256];
    assert (fgp_body_walk (body.data, body.size, body.count, "old", err, sizeof err) == -1);

    //  ... travels (zstd and stored) and reads back whole, byte for byte
    for (int zip = 0; zip < 2; zip++) {
        fgp_msg_t *batch = s_batch (7, 0, body.data, body.size, body.count);
        assert (fgp_batch_pack (batch, body.data, body.size, body.count, zip == 1) == 0);
        assert (!!(batch->flags & FGP_BATCH_ZSTD) == (zip == 1));
        size_t size;
        uint8_t *bytes = fgp_msg_encode (batch, &size);
        assert (bytes);
        fgp_msg_destroy (&batch);
        batch = fgp_msg_decode (bytes, size, err, sizeof err);
        assert (batch);
        free (bytes);
        fgp_batch_reader_t reader;
        assert (fgp_batch_open (batch, &reader, err, sizeof err) == 0);
        const uint8_t *entry;
        size_t entry_size;
        for (size_t i = 0; i < log.count; i++) {
            assert (fgp_batch_next (&reader, &entry, &entry_size) == 1);
            assert (entry_size == log.sizes [i] && memcmp (entry, log.entries [i], entry_size) == 0);
        }
        assert (fgp_batch_next (&reader, &entry, &entry_size) == 0);
        fgp_batch_close (&reader);
        fgp_msg_destroy (&batch);
    }

    //  Refused, each with its reason, nothing taken: an elided entry first
    //  (what follows the first entry, alone), after something that is not
    //  an entry, or with an hlc that is not two short varints
    size_t first = 4 + log.sizes [0];
    fgp_msg_t *batch = s_batch (7, 0, body.data + first, body.size - first, body.count - 1);
    char expect [128];
    snprintf (expect, sizeof expect, "entry 1 of %zu is elided (no prev_hash) but nothing comes before it",
              log.count - 1);
    s_expect_refused (batch, expect);
    fgp_receiver_t *receiver = fgp_receiver_new (county.replica, &town.node, true, FGP_STREAM_UP, "t");
    fgp_receiver_start (receiver, 7, 2);
    fgp_msg_t *reply = fgp_receiver_on_batch (receiver, batch, NULL);
    assert (reply && reply->id == FGP_ERROR && reply->code == FGP_ERR_MALFORMED);
    assert (strstr (reply->reason, "nothing comes before it"));
    assert (fgp_receiver_cursor (receiver) == 0 && fg_testkit_int (&county, "SELECT count(*) FROM log "
                                                                    "WHERE origin = 28100") == 0);
    fgp_msg_destroy (&reply);
    fgp_msg_destroy (&batch);
    uint8_t *raw = (uint8_t *) malloc (body.size + 8);
    assert (raw);
    fg_put32 (raw, 3);
    memcpy (raw + 4, "FGE", 3);
    memcpy (raw + 7, body.data + first, body.size - first);
    batch = s_batch (7, 0, raw, 7 + body.size - first, body.count);
    snprintf (expect, sizeof expect, "entry 2 of %zu is elided (no prev_hash) but the entry before it "
              "is not a whole entry", log.count);
    s_expect_refused (batch, expect);
    fgp_msg_destroy (&batch);
    memcpy (raw, body.data, body.size);
    raw [first + 4] = 0x80;                         //  the ms: 0x80 0x00, not the shortest form
    raw [first + 5] = 0x00;
    batch = s_batch (7, 0, raw, body.size, body.count);
    snprintf (expect, sizeof expect, "entry 2 of %zu: elided hlc is not two well-formed varints", log.count);
    s_expect_refused (batch, expect);
    fgp_msg_destroy (&batch);
    memcpy (raw, body.data, body.size);
    fg_put32 (raw + first, 20 | FGP_BODY_ELIDED);   //  too short to make an entry
    batch = s_batch (7, 0, raw, body.size, body.count);
    snprintf (expect, sizeof expect, "entry 2 of %zu: elided, it would make an entry of", log.count);
    s_expect_refused (batch, expect);
    fgp_msg_destroy (&batch);

    //  A forged predecessor: the entries made from it name its hash, so
    //  they fail their signatures too; only it is quarantined, the rest
    //  is not judged (nothing stored) and asked for again, and the town's
    //  repair heals all
    memcpy (raw, body.data, body.size);
    raw [first - FG_SIG_SIZE - 5] ^= 0x20;          //  a byte of the first entry's payload
    batch = s_batch (7, 0, raw, body.size, body.count);
    batch->last = last;
    fgp_receiver_start (receiver, 7, 2);            //  a new session after the ERROR
    reply = fgp_receiver_on_batch (receiver, batch, NULL);
    fgp_msg_destroy (&batch);
    assert (reply && reply->id == FGP_ACK && reply->quarantined == 1 && reply->applied == 0
         && reply->buffered == 0);
    assert (reply->wants_count >= 1 && reply->wants [0].origin == 28100 && reply->wants [0].from_seq == 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM quarantine WHERE origin = 28100") == 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE origin = 28100") == 0);
    fgp_stream_config_t config;
    fgp_stream_config_default (&config);
    fgp_sender_t *sender = fgp_sender_new (town.replica, NULL, &config);
    fgp_sender_set_proto (sender, FGP_PROTO_ELIDE);
    fgp_sender_start (sender, 7, last, 2);
    fgp_sender_on_ack (sender, reply);
    fgp_msg_destroy (&reply);
    bool error;
    batch = fgp_sender_next (sender, &error);
    assert (batch && !error && (batch->flags & FGP_BATCH_REPAIR) && batch->count == log.count);
    uint8_t *carried = s_raw (batch);
    assert (s_elided (carried, batch->raw_size) == log.count - 1);
    free (carried);
    assert (fgp_receiver_on_batch (receiver, batch, NULL) == NULL);
    fgp_msg_destroy (&batch);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE origin = 28100") == (int64_t) log.count);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM quarantine WHERE origin = 28100") == 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household WHERE head_name = 'elided'") == 40);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM buffer") == 0);
    fgp_sender_destroy (&sender);

    //  Unjudged entries count against the session's quota of refused
    //  entries: a forged entry followed by more elided ones than the quota
    //  allows costs the batch, as a forged chain of whole ones would
    memcpy (raw, body.data, body.size);
    raw [first - FG_SIG_SIZE - 5] ^= 0x20;
    batch = s_batch (7, 0, raw, body.size, body.count);
    fgp_batch_reader_t reader;
    assert (fgp_batch_open (batch, &reader, err, sizeof err) == 0);
    const uint8_t **made = (const uint8_t **) calloc (log.count, sizeof (uint8_t *));
    size_t *sizes = (size_t *) calloc (log.count, sizeof (size_t));
    bool *elided = (bool *) calloc (log.count, sizeof (bool));
    assert (made && sizes && elided);
    for (size_t i = 0; i < log.count; i++) {
        assert (fgp_batch_next (&reader, &made [i], &sizes [i]) == 1);
        elided [i] = fgp_batch_elided (&reader);
        assert (elided [i] == (i > 0));
    }
    for (int limit = 0; limit < 2; limit++) {
        fg_rx_quota_t quota;
        assert (fg_replica_quota_start (county.replica, 28100, &quota) == 0);
        quota.max_refused = limit ? 1000 : 10;
        assert (fg_replica_begin (county.replica) == 0);
        fg_replica_set_quota (county.replica, &quota);
        fg_rx_stats_t stats = { 0 };
        int rc = fg_replica_receive_elided (county.replica, made, sizes, elided, log.count,
                                            &town.node, true, &stats);
        fg_replica_set_quota (county.replica, NULL);
        fg_replica_rollback (county.replica);
        if (limit)
            assert (rc == 0 && stats.quarantined == 1 && stats.unjudged == log.count - 1
                 && quota.refused == log.count && !quota.exceeded);
        else
            assert (rc == FG_RX_OVER_QUOTA && quota.exceeded && strstr (quota.reason, "made from a refused"));
    }
    fgp_batch_close (&reader);
    fgp_msg_destroy (&batch);
    free (made);
    free (sizes);
    free (elided);

    //  A sender of a protocol 1 session (a parent or child not upgraded)
    //  sends whole entries, which a protocol 1 reader takes; of protocol 2,
    //  elided ones
    for (uint16_t proto = FGP_PROTO_MIN; proto <= FG_PROTOCOL_VERSION; proto++) {
        sender = fgp_sender_new (town.replica, NULL, &config);
        if (proto > FGP_PROTO_MIN)
            fgp_sender_set_proto (sender, proto);
        fgp_sender_start (sender, 8, 0, 2);
        batch = fgp_sender_next (sender, &error);
        assert (batch && !error && batch->count == log.count);
        carried = s_raw (batch);
        int walked = fgp_body_walk (carried, batch->raw_size, batch->count, "old", err, sizeof err);
        if (proto < FGP_PROTO_ELIDE)
            assert (walked == 0 && s_elided (carried, batch->raw_size) == 0 && batch->raw_size == whole_size);
        else
            assert (walked == -1 && s_elided (carried, batch->raw_size) == log.count - 1);
        free (carried);
        fgp_msg_destroy (&batch);
        fgp_sender_destroy (&sender);
    }
    free (raw);
    fgp_body_reset (&body);
    fgp_receiver_destroy (&receiver);
    fg_testkit_batch_free (&log);
    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&town);
    fg_testkit_rmdir (dir);
    free (dir);
    printf ("OK\n");
}
