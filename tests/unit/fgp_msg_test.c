/*  fgp_msg_test.c - self-test of the wire codec (fgp_msg): every message
    round-trips, every cut and every mutated byte is refused or re-encodes
    the same, limits hold at their boundaries, batch bodies refuse lying
    counts and zip bombs, and a real DEALER/ROUTER pair carries them. */
#include "fg_selftests.h"
#include "fgp_msg.h"
#include "fg_util.h"
#include "fg_entry.h"
#include "fg_keys.h"
#include "fg_ops.h"

//  --------------------------------------------------------------------
//  Self-test

#include "fg_hlc.h"

//  A real entry of `origin`, seq `seq`, chained to prev, signed with keys.
static uint8_t *
s_test_entry (fg_keys_t *keys, uint16_t origin, uint64_t seq, const uint8_t prev [FG_HASH_SIZE],
              int64_t size_field, size_t *size_p, uint8_t hash [FG_HASH_SIZE])
{
    char err [128];
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg",
                  (uint64_t) origin << FG_ID_SHIFT | seq, UINT64_C (513328100201));
    fg_ops_set_text (ops, "head_name", "泽仁多吉");
    fg_ops_set_text (ops, "village", "513328100201");
    fg_ops_set_int (ops, "size", size_field);
    size_t payload_size;
    uint8_t *payload = fg_ops_encode (ops, &payload_size, err, sizeof err);
    assert (payload);
    fg_ops_destroy (&ops);
    uint8_t *entry = fg_entry_build (keys, origin, 1, seq,
                                     fg_hlc_make (INT64_C (1732700000000) + (int64_t) seq, 0),
                                     prev, "clerk-07", payload, payload_size, size_p, hash);
    assert (entry);
    free (payload);
    return entry;
}

#define S_SAMPLES 13

//  Messages with non-trivial values in every field of every id, including
//  empty and full arrays, stored, compressed and empty batches. Values use
//  the high bits so that byte order mistakes show.
static fgp_msg_t *
s_sample (int which, fg_keys_t *keys)
{
    fgp_msg_t *msg = NULL;
    uint8_t hash [FG_HASH_SIZE];
    switch (which) {
        case 0:
        case 1:
            msg = fgp_msg_new (FGP_HELLO);
            msg->proto_min = 1;
            msg->proto_max = 0xFEDC;
            msg->schema_version = 0x89ABCDEF;
            msg->node_id = 28100;
            msg->epoch = 0x80000001;
            msg->session = UINT64_C (0x0123456789ABCDEF);
            msg->down_cursor = UINT64_C (0xF0E1D2C3B4A59687);
            msg->now_ms = INT64_C (1732700000123);
            if (which == 0)
                fgp_msg_set_software (msg, "fugai-edge 0.1.0");
            else {
                fgp_msg_set_software (msg, "fugai-edge 0.1.0 (甘孜)");
                for (int i = 0; i < 3; i++) {
                    for (int k = 0; k < FG_HASH_SIZE; k++)
                        hash [k] = (uint8_t) (i * 31 + k * 7 + 0x80);
                    fgp_msg_frontier_add (msg, (uint16_t) (0xFF00 + i),
                                          UINT64_C (0x8000000000000000) + (uint64_t) i, hash);
                }
            }
            break;
        case 2:
        case 3:
            msg = fgp_msg_new (FGP_WELCOME);
            msg->proto = 1;
            msg->schema_version = 0x01020304;
            msg->node_id = 0xFFFE;
            msg->session = UINT64_C (0xFEDCBA9876543210);
            msg->up_cursor = UINT64_C (0x8000000000000001);
            msg->credit = 0xFFFF;
            msg->now_ms = -INT64_C (5);
            msg->heartbeat_ms = 15000;
            if (which == 3) {
                fgp_msg_want_add (msg, 28100, 1);
                fgp_msg_want_add (msg, 0x8001, UINT64_MAX);
            }
            break;
        case 4:
        case 5:
        case 6: {
            msg = fgp_msg_new (FGP_BATCH);
            msg->session = UINT64_C (0x1122334455667788);
            msg->stream = which == 5 ? FGP_STREAM_DOWN : FGP_STREAM_UP;
            msg->gen = 0xA0B0C0D0;
            msg->prev = UINT64_C (0x8877665544332211);
            msg->last = UINT64_C (0x8877665544332211) + 50;
            msg->flags = which == 5 ? FGP_BATCH_REPAIR : 0;
            size_t count = which == 4 ? 3 : which == 5 ? 50 : 0;
            fgp_batch_entry_t entries [50];
            uint8_t prev [FG_HASH_SIZE] = { 0 };
            for (size_t i = 0; i < count; i++) {
                entries [i].data = s_test_entry (keys, 28100, i + 1, prev, (int64_t) i,
                                                 &entries [i].size, prev);
            }
            size_t raw_size;
            uint8_t *raw = fgp_batch_body_encode (entries, count, &raw_size);
            assert (raw);
            int rc = fgp_batch_pack (msg, raw, raw_size, (uint32_t) count, which == 5);
            assert (rc == 0);
            assert (!!(msg->flags & FGP_BATCH_ZSTD) == (which == 5));
            for (size_t i = 0; i < count; i++)
                free ((void *) entries [i].data);
            free (raw);
            break;
        }
        case 7:
        case 8:
            msg = fgp_msg_new (FGP_ACK);
            msg->session = UINT64_C (0x0123456789ABCDEF);
            msg->stream = which == 7 ? FGP_STREAM_UP : FGP_STREAM_DOWN;
            msg->gen = 7;
            msg->cursor = UINT64_C (0x8000000000000000);
            msg->flags = which == 7 ? FGP_ACK_REWIND : 0;
            msg->credit = 64;
            msg->applied = 0x80000000;
            msg->duplicate = 2;
            msg->buffered = 3;
            msg->quarantined = 0xFFFFFFFF;
            if (which == 8)
                for (int i = 0; i < 3; i++)
                    fgp_msg_want_add (msg, (uint16_t) (100 + i), (uint64_t) i * 1000 + 1);
            break;
        case 9:
            msg = fgp_msg_new (FGP_PING);
            msg->session = 42;
            msg->now_ms = INT64_MIN;
            break;
        case 10:
            msg = fgp_msg_new (FGP_PONG);
            msg->session = UINT64_MAX;
            msg->now_ms = INT64_MAX;
            msg->echo_ms = -1;
            break;
        case 11:
            msg = fgp_msg_new (FGP_ERROR);
            msg->code = FGP_ERR_NOT_ENROLLED;
            fgp_msg_set_reason (msg, "节点 %d 未登记 (key %s)", 28100, "rq:rM>}U?@Lns47E1/");
            break;
        case 12:
            msg = fgp_msg_new (FGP_ERROR);
            msg->code = 0xFFFF;     //  a code from the future is still carried
            break;
    }
    assert (msg);
    return msg;
}

//  True if two messages hold the same fields (arrays compared row by row:
//  their structs have padding).
static bool
s_same (fgp_msg_t *a, fgp_msg_t *b)
{
    if (a->id != b->id || a->proto_min != b->proto_min || a->proto_max != b->proto_max
    ||  a->proto != b->proto || a->schema_version != b->schema_version
    ||  a->node_id != b->node_id || a->epoch != b->epoch || a->session != b->session
    ||  a->down_cursor != b->down_cursor || a->up_cursor != b->up_cursor
    ||  a->credit != b->credit || a->now_ms != b->now_ms || a->heartbeat_ms != b->heartbeat_ms
    ||  a->echo_ms != b->echo_ms || strcmp (a->software, b->software)
    ||  a->frontier_count != b->frontier_count || a->wants_count != b->wants_count
    ||  a->stream != b->stream || a->gen != b->gen || a->flags != b->flags
    ||  a->prev != b->prev || a->last != b->last || a->raw_size != b->raw_size
    ||  a->count != b->count || a->body_size != b->body_size || a->cursor != b->cursor
    ||  a->applied != b->applied || a->duplicate != b->duplicate
    ||  a->buffered != b->buffered || a->quarantined != b->quarantined
    ||  a->code != b->code || strcmp (a->reason, b->reason))
        return false;
    for (size_t i = 0; i < a->frontier_count; i++)
        if (a->frontier [i].origin != b->frontier [i].origin
        ||  a->frontier [i].seq != b->frontier [i].seq
        ||  memcmp (a->frontier [i].hash, b->frontier [i].hash, FG_HASH_SIZE))
            return false;
    for (size_t i = 0; i < a->wants_count; i++)
        if (a->wants [i].origin != b->wants [i].origin
        ||  a->wants [i].from_seq != b->wants [i].from_seq)
            return false;
    if (a->body_size && memcmp (a->body, b->body, a->body_size))
        return false;
    return true;
}

//  Decode bytes held in a buffer of exactly their size (so that ASan sees
//  any read past the end) and expect a refusal whose reason holds `expect`.
static void
s_expect_refused (const uint8_t *data, size_t size, const char *expect)
{
    uint8_t *copy = (uint8_t *) malloc (size ? size : 1);
    assert (copy);
    if (size)
        memcpy (copy, data, size);
    char err [256];
    fgp_msg_t *msg = fgp_msg_decode (copy, size, err, sizeof err);
    if (msg || !err [0] || !strstr (err, expect)) {
        fprintf (stderr, "\nexpected refusal with '%s', got %s '%s'\n",
                 expect, msg ? "a message" : "reason", err);
        assert (false);
    }
    free (copy);
}

//  Decode, and if accepted check it is canonical (re-encodes to the same
//  bytes) and, for a BATCH, walk its entries. Never crashes, by test.
static void
s_decode_any (const uint8_t *data, size_t size)
{
    uint8_t *copy = (uint8_t *) malloc (size ? size : 1);
    assert (copy);
    if (size)
        memcpy (copy, data, size);
    char err [256];
    fgp_msg_t *msg = fgp_msg_decode (copy, size, err, sizeof err);
    if (msg) {
        size_t again_size;
        uint8_t *again = fgp_msg_encode (msg, &again_size);
        assert (again && again_size == size && memcmp (again, copy, size) == 0);
        free (again);
        if (msg->id == FGP_BATCH) {
            fgp_batch_reader_t reader;
            if (fgp_batch_open (msg, &reader, err, sizeof err) == 0) {
                const uint8_t *entry;
                size_t entry_size;
                uint32_t seen = 0;
                int rc;
                while ((rc = fgp_batch_next (&reader, &entry, &entry_size)) == 1)
                    seen++;
                assert (rc == 0 && seen == msg->count);
            }
            fgp_batch_close (&reader);
        }
        fgp_msg_destroy (&msg);
    }
    else
        assert (err [0]);
    free (copy);
}

static void
s_test_limits (void)
{
    size_t size;
    uint8_t *data;
    fgp_msg_t *msg;
    char err [256];

    //  HELLO with exactly FGP_MAX_FRONTIER rows encodes and decodes; one
    //  more is refused by the encoder
    msg = fgp_msg_new (FGP_HELLO);
    uint8_t hash [FG_HASH_SIZE] = { 0 };
    for (uint32_t i = 0; i < FGP_MAX_FRONTIER; i++)
        fgp_msg_frontier_add (msg, (uint16_t) i, i, hash);
    data = fgp_msg_encode (msg, &size);
    assert (data && size == 47 + (size_t) FGP_MAX_FRONTIER * FGP_FRONTIER_ROW_SIZE);
    fgp_msg_t *copy = fgp_msg_decode (data, size, err, sizeof err);
    assert (copy && s_same (msg, copy));
    fgp_msg_destroy (&copy);
    //  ... and its count patched past the limit is refused before anything
    //  is allocated
    fg_put32 (data + 43, FGP_MAX_FRONTIER + 1);
    s_expect_refused (data, size, "frontier_count 65537 exceeds the limit of 65536");
    free (data);
    fgp_msg_frontier_add (msg, 1, 1, hash);
    assert (fgp_msg_encode (msg, &size) == NULL && size == 0);
    assert (strstr (msg->errmsg, "frontier_count 65537"));
    fgp_msg_destroy (&msg);

    //  HELLO: a count beyond the bytes left; software string rules
    msg = fgp_msg_new (FGP_HELLO);
    data = fgp_msg_encode (msg, &size);
    assert (data && size == 47);
    fg_put32 (data + 43, 2);
    s_expect_refused (data, size, "HELLO: frontier_count 2 needs 84 bytes, 0 left");
    free (data);
    memset (msg->software, 'x', sizeof msg->software);     //  no NUL
    assert (fgp_msg_encode (msg, &size) == NULL);
    strcpy (msg->software, "bad \xC0\x80");                  //  overlong NUL
    assert (fgp_msg_encode (msg, &size) == NULL);
    fgp_msg_destroy (&msg);

    //  WELCOME and ACK wants
    msg = fgp_msg_new (FGP_WELCOME);
    for (int i = 0; i < FGP_MAX_WANTS; i++)
        fgp_msg_want_add (msg, 1, (uint64_t) i);
    data = fgp_msg_encode (msg, &size);
    assert (data && size == 43 + FGP_MAX_WANTS * FGP_WANT_ROW_SIZE);
    fg_put16 (data + 41, FGP_MAX_WANTS + 1);
    s_expect_refused (data, size, "wants_count 4097 exceeds the limit of 4096");
    fg_put16 (data + 41, 1);
    s_expect_refused (data, size, "WELCOME: 40950 trailing bytes");
    free (data);
    fgp_msg_want_add (msg, 1, 1);
    assert (fgp_msg_encode (msg, &size) == NULL);
    fgp_msg_destroy (&msg);

    msg = fgp_msg_new (FGP_ACK);
    msg->stream = FGP_STREAM_UP;
    data = fgp_msg_encode (msg, &size);
    assert (data && size == 45);
    fg_put16 (data + 43, 3);
    s_expect_refused (data, size, "ACK: wants_count 3 needs 30 bytes, 0 left");
    fg_put16 (data + 43, 0);
    data [11] = 3;
    s_expect_refused (data, size, "ACK: stream 3 is neither");
    data [11] = FGP_STREAM_DOWN;
    data [24] = 0x04;
    s_expect_refused (data, size, "ACK: flags 0x04 have unknown bits 0x04");
    data [24] = FGP_ACK_REWIND;
    copy = fgp_msg_decode (data, size, err, sizeof err);
    assert (copy && copy->flags == FGP_ACK_REWIND && copy->stream == FGP_STREAM_DOWN);
    fgp_msg_destroy (&copy);
    free (data);
    msg->flags = 0x80;
    assert (fgp_msg_encode (msg, &size) == NULL);
    msg->flags = 0;
    msg->stream = 0;
    assert (fgp_msg_encode (msg, &size) == NULL);
    fgp_msg_destroy (&msg);

    //  BATCH fields
    msg = fgp_msg_new (FGP_BATCH);
    msg->stream = FGP_STREAM_DOWN;
    uint8_t raw [] = { 0, 0, 0, 2, 'a', 'b', 0, 0, 0, 1, 'c' };
    assert (fgp_batch_pack (msg, raw, sizeof raw, 2, false) == 0);
    data = fgp_msg_encode (msg, &size);
    assert (data && size == FGP_BATCH_FIXED_SIZE + sizeof raw);
    data [11] = 0;
    s_expect_refused (data, size, "BATCH: stream 0 is neither 1 (up) nor 2 (down)");
    data [11] = FGP_STREAM_UP;
    data [32] = 0x84;
    s_expect_refused (data, size, "BATCH: flags 0x84 have unknown bits 0x84");
    data [32] = 0;
    fg_put32 (data + 33, FGP_MAX_BATCH_RAW + 1);
    s_expect_refused (data, size, "BATCH: raw_size 16777217 exceeds the limit of 16777216");
    fg_put32 (data + 33, sizeof raw);
    fg_put32 (data + 37, FGP_MAX_BATCH_ENTRIES + 1);
    s_expect_refused (data, size, "BATCH: count 100001 exceeds the limit of 100000");
    fg_put32 (data + 37, 3);
    s_expect_refused (data, size, "BATCH: count 3 entries cannot fit in raw_size 11");
    fg_put32 (data + 37, 2);
    fg_put32 (data + 41, 9999);
    s_expect_refused (data, size, "BATCH: body length 9999 exceeds the 11 bytes left");
    fg_put32 (data + 41, 10);
    s_expect_refused (data, size, "BATCH: stored body of 10 bytes, but raw_size is 11");
    fg_put32 (data + 41, sizeof raw);
    copy = fgp_msg_decode (data, size, err, sizeof err);
    assert (copy && s_same (copy, msg) == false && copy->stream == FGP_STREAM_UP);
    fgp_msg_destroy (&copy);
    free (data);
    msg->raw_size = 12;                     //  stored body must be raw_size bytes
    assert (fgp_msg_encode (msg, &size) == NULL);
    msg->raw_size = FGP_MAX_BATCH_RAW + 1;
    msg->flags = FGP_BATCH_ZSTD;
    assert (fgp_msg_encode (msg, &size) == NULL);
    msg->raw_size = sizeof raw;
    msg->count = FGP_MAX_BATCH_ENTRIES + 1;
    assert (fgp_msg_encode (msg, &size) == NULL);
    msg->count = 2;
    msg->flags = 0x08;
    assert (fgp_msg_encode (msg, &size) == NULL);
    msg->flags = 0;
    data = fgp_msg_encode (msg, &size);
    assert (data);
    free (data);
    fgp_msg_destroy (&msg);

    //  ERROR reason: too long, not UTF-8, a NUL inside
    uint8_t error [7 + 256];
    memcpy (error, "FG\x07\x00\x05", 5);
    fg_put16 (error + 5, 256);
    memset (error + 7, 'x', 256);
    s_expect_refused (error, sizeof error, "ERROR: reason length 256 exceeds the limit of 255");
    fg_put16 (error + 5, 255);
    s_expect_refused (error, sizeof error, "ERROR: 1 trailing bytes");
    copy = fgp_msg_decode (error, sizeof error - 1, err, sizeof err);
    assert (copy && strlen (copy->reason) == 255 && copy->code == FGP_ERR_MALFORMED);
    fgp_msg_destroy (&copy);
    fg_put16 (error + 5, 2);
    error [7] = 0xE8;                       //  first byte of a 3-byte character
    s_expect_refused (error, 9, "ERROR: reason is not valid UTF-8");
    error [7] = 'a';
    error [8] = 0;
    s_expect_refused (error, 9, "ERROR: reason is not valid UTF-8");

    //  Header, size
    s_expect_refused (NULL, 0, "shorter than the 3-byte header");
    s_expect_refused ((const uint8_t *) "FG", 2, "shorter than the 3-byte header");
    s_expect_refused ((const uint8_t *) "GF\x05", 3, "signature is 0x47 0x46");
    s_expect_refused ((const uint8_t *) "FG\x00", 3, "unknown message id 0");
    s_expect_refused ((const uint8_t *) "FG\x08", 3, "unknown message id 8");
    s_expect_refused ((const uint8_t *) "FG\x05", 3, "PING: session cut short (needs 8 bytes, 0 left)");
    uint8_t *huge = (uint8_t *) calloc (1, FGP_MAX_MSG_SIZE + 1);
    assert (huge);
    memcpy (huge, "FG\x03", 3);
    s_expect_refused (huge, FGP_MAX_MSG_SIZE + 1, "8388609 bytes exceed the limit of 8388608");
    free (huge);

    //  Encoding a body that would make the message too large
    msg = fgp_msg_new (FGP_BATCH);
    msg->stream = FGP_STREAM_UP;
    msg->flags = FGP_BATCH_ZSTD;
    msg->body_size = FGP_MAX_MSG_SIZE - FGP_BATCH_FIXED_SIZE + 1;
    msg->body = (uint8_t *) calloc (1, msg->body_size);
    msg->raw_size = FGP_MAX_BATCH_RAW;
    assert (fgp_msg_encode (msg, &size) == NULL);
    assert (strstr (msg->errmsg, "exceed the limit of 8388608"));
    msg->body_size--;
    data = fgp_msg_encode (msg, &size);
    assert (data && size == FGP_MAX_MSG_SIZE);
    copy = fgp_msg_decode (data, size, err, sizeof err);
    assert (copy && copy->body_size == msg->body_size);
    fgp_msg_destroy (&copy);
    free (data);
    fgp_msg_destroy (&msg);

    //  An id outside the table does not encode
    msg = fgp_msg_new (FGP_PING);
    msg->id = 9;
    assert (fgp_msg_encode (msg, &size) == NULL);
    fgp_msg_destroy (&msg);

    //  set_reason: cut at a character boundary, bad bytes become '?'
    msg = fgp_msg_new (FGP_ERROR);
    char long_text [400] = "";
    for (int i = 0; i < 100; i++)
        strcat (long_text, "访");
    fgp_msg_set_reason (msg, "%s", long_text);
    assert (strlen (msg->reason) == 255 && fg_utf8_valid ((uint8_t *) msg->reason, 255));
    fgp_msg_set_reason (msg, "x\xFFy\xE8\x80z %d", 5);
    assert (streq (msg->reason, "x?y??z 5"));
    fgp_msg_set_reason (msg, "%s", "");
    assert (streq (msg->reason, ""));
    fgp_msg_destroy (&msg);
}

static void
s_test_batch_entries (fg_keys_t *keys)
{
    char err [256];
    fgp_batch_reader_t reader;
    const uint8_t *entry;
    size_t entry_size;

    //  A compressed batch yields real entries that parse and verify
    fgp_msg_t *msg = s_sample (5, keys);
    assert (msg->body_size < msg->raw_size);
    assert (fgp_batch_open (msg, &reader, err, sizeof err) == 0);
    uint64_t seq = 0;
    uint8_t prev [FG_HASH_SIZE] = { 0 };
    while (fgp_batch_next (&reader, &entry, &entry_size) == 1) {
        fg_entry_t parsed;
        assert (fg_entry_parse (&parsed, entry, entry_size) == FG_ENTRY_OK);
        assert (fg_entry_verify (&parsed, fg_keys_sign_pk (keys)) == 0);
        assert (parsed.seq == ++seq && memcmp (parsed.prev_hash, prev, FG_HASH_SIZE) == 0);
        memcpy (prev, parsed.hash, FG_HASH_SIZE);
    }
    assert (seq == 50);
    assert (fgp_batch_next (&reader, &entry, &entry_size) == 0);
    fgp_batch_close (&reader);
    fgp_batch_close (&reader);
    assert (fgp_batch_next (&reader, &entry, &entry_size) == -1);
    fgp_msg_destroy (&msg);
}

static void
s_test_sockets (fg_keys_t *keys, bool verbose)
{
    char err [256];
    char endpoint [64];
    snprintf (endpoint, sizeof endpoint, "inproc://fgp-msg-test-%d", (int) getpid ());
    zsock_t *router = zsock_new (ZMQ_ROUTER);
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    assert (router && dealer);
    zsock_set_maxmsgsize (router, FGP_MAX_MSG_SIZE);
    zsock_set_maxmsgsize (dealer, FGP_MAX_MSG_SIZE);
    zsock_set_rcvtimeo (router, 2000);
    zsock_set_rcvtimeo (dealer, 2000);
    int rc = zsock_bind (router, "%s", endpoint);
    assert (rc == 0);
    rc = zsock_connect (dealer, "%s", endpoint);
    assert (rc == 0);

    //  Every sample goes up and comes back down
    for (int i = 0; i < S_SAMPLES; i++) {
        fgp_msg_t *msg = s_sample (i, keys);
        assert (fgp_msg_send (msg, dealer, NULL) == 0);
        zframe_t *routing_id = NULL;
        char *user_id = (char *) "unset";
        fgp_msg_t *got = fgp_msg_recv (router, &routing_id, &user_id, err, sizeof err);
        assert (got && routing_id && user_id == NULL && err [0] == 0);
        assert (s_same (msg, got));
        fgp_msg_destroy (&got);
        assert (fgp_msg_send (msg, router, routing_id) == 0);
        assert (routing_id);                //  not taken
        zframe_t *none = routing_id;
        got = fgp_msg_recv (dealer, &none, NULL, err, sizeof err);
        assert (got && none == NULL && s_same (msg, got));
        fgp_msg_destroy (&got);
        fgp_msg_destroy (&msg);
        zframe_destroy (&routing_id);
    }
    //  A malformed body: refused with a reason, and the routing id is kept
    //  so that the parent can answer ERROR
    zstr_send (dealer, "FG\x05short");
    zframe_t *routing_id = NULL;
    fgp_msg_t *got = fgp_msg_recv (router, &routing_id, NULL, err, sizeof err);
    assert (got == NULL && routing_id && strstr (err, "PING: session cut short (needs 8 bytes, 5 left)"));
    if (verbose)
        printf ("   refused: %s\n   ", err);
    fgp_msg_t *error = fgp_msg_new (FGP_ERROR);
    error->code = FGP_ERR_MALFORMED;
    fgp_msg_set_reason (error, "%s", err);
    assert (fgp_msg_send (error, router, routing_id) == 0);
    got = fgp_msg_recv (dealer, NULL, NULL, err, sizeof err);
    assert (got && s_same (got, error));
    fgp_msg_destroy (&got);
    fgp_msg_destroy (&error);
    zframe_destroy (&routing_id);

    //  Two frames from a DEALER are one frame too many
    zstr_sendm (dealer, "FG");
    zstr_sendm (dealer, "x");
    zstr_send (dealer, "y");
    got = fgp_msg_recv (router, &routing_id, NULL, err, sizeof err);
    assert (got == NULL && routing_id && strstr (err, "2 frame(s) after the body"));
    zframe_destroy (&routing_id);
    //  ... and the next message is read cleanly
    fgp_msg_t *ping = s_sample (9, keys);
    assert (fgp_msg_send (ping, dealer, NULL) == 0);
    got = fgp_msg_recv (router, &routing_id, NULL, err, sizeof err);
    assert (got && s_same (got, ping));
    fgp_msg_destroy (&got);
    zframe_destroy (&routing_id);

    //  Nothing to read: NULL with an empty reason
    zsock_set_rcvtimeo (router, 10);
    got = fgp_msg_recv (router, &routing_id, NULL, err, sizeof err);
    assert (got == NULL && routing_id == NULL && err [0] == 0);

    //  A message that does not encode is not sent
    ping->id = 0;
    assert (fgp_msg_send (ping, dealer, NULL) == -1 && ping->errmsg [0]);
    fgp_msg_destroy (&ping);

    zsock_destroy (&dealer);
    zsock_destroy (&router);
}

void
fgp_msg_test (bool verbose)
{
    printf (" * fgp_msg: ");
    uint8_t seed [FG_SIGN_SEED_SIZE];
    for (int i = 0; i < FG_SIGN_SEED_SIZE; i++)
        seed [i] = (uint8_t) i;
    fg_keys_t *keys = fg_keys_new_from_seed (seed);

    //  Names
    assert (streq (fgp_msg_name (FGP_HELLO), "HELLO"));
    assert (streq (fgp_msg_name (FGP_ERROR), "ERROR"));
    assert (streq (fgp_msg_name (0), "UNKNOWN"));
    assert (streq (fgp_error_text (FGP_ERR_TOO_LARGE), "message too large"));
    assert (streq (fgp_error_text (99), "unknown error"));
    for (int code = FGP_ERR_PROTOCOL; code <= FGP_ERR_TOO_LARGE; code++)
        assert (!streq (fgp_error_text (code), "unknown error"));

    //  Round trip, cut at every offset, one byte too many, every byte
    //  mutated: refused or canonical, never a crash
    for (int i = 0; i < S_SAMPLES; i++) {
        fgp_msg_t *msg = s_sample (i, keys);
        if (verbose) {
            printf ("%s   ", i == 0 ? "\n" : "");
            fgp_msg_print (msg, stdout);
        }
        size_t size;
        uint8_t *data = fgp_msg_encode (msg, &size);
        assert (data && msg->errmsg [0] == 0);
        char err [256];
        fgp_msg_t *copy = fgp_msg_decode (data, size, err, sizeof err);
        assert (copy && err [0] == 0);
        assert (s_same (msg, copy));
        fgp_msg_destroy (&copy);
        fgp_msg_destroy (&copy);

        for (size_t cut = 0; cut < size; cut++)
            s_expect_refused (data, cut, cut < FGP_HEADER_SIZE ? "header" : ": ");
        uint8_t *longer = (uint8_t *) malloc (size + 1);
        memcpy (longer, data, size);
        longer [size] = 0;
        s_expect_refused (longer, size + 1, "1 trailing bytes after the last field");
        free (longer);

        static const uint8_t xors [] = { 0xFF, 0x01, 0x80 };
        for (size_t at = 0; at < size; at++) {
            uint8_t keep = data [at];
            for (size_t x = 0; x < sizeof xors; x++) {
                data [at] = keep ^ xors [x];
                s_decode_any (data, size);
            }
            data [at] = 0;
            s_decode_any (data, size);
            data [at] = keep;
        }
        free (data);
        fgp_msg_destroy (&msg);
    }
    s_test_limits ();
    s_test_batch_entries (keys);
    s_test_sockets (keys, verbose);
    fg_keys_destroy (&keys);
    printf ("OK\n");
}
