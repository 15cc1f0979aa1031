/*  fgp_batch_test.c - self-test of fgp_batch (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fgp_msg.h"
#include "fg_util.h"
#include "fg_entry.h"
#include <zstd.h>

//  --------------------------------------------------------------------
//  Self-test (run by fgp_msg_test)

//  Put a zstd frame into a BATCH by hand, bypassing fgp_batch_pack.
static void
s_set_frame (fgp_msg_t *msg, const uint8_t *content, size_t content_size, bool with_size,
             uint32_t raw_size, uint32_t count)
{
    ZSTD_CCtx *cctx = ZSTD_createCCtx ();
    assert (cctx);
    size_t rc = ZSTD_CCtx_setParameter (cctx, ZSTD_c_contentSizeFlag, with_size ? 1 : 0);
    assert (!ZSTD_isError (rc));
    size_t bound = ZSTD_compressBound (content_size);
    free (msg->body);
    msg->body = (uint8_t *) malloc (bound);
    assert (msg->body);
    msg->body_size = ZSTD_compress2 (cctx, msg->body, bound, content, content_size);
    assert (!ZSTD_isError (msg->body_size));
    ZSTD_freeCCtx (cctx);
    msg->flags = FGP_BATCH_ZSTD;
    msg->raw_size = raw_size;
    msg->count = count;
}

static void
s_expect_open_refused (fgp_msg_t *msg, const char *expect)
{
    fgp_batch_reader_t reader;
    char err [256];
    int rc = fgp_batch_open (msg, &reader, err, sizeof err);
    if (rc == 0 || !strstr (err, expect)) {
        fprintf (stderr, "\nexpected open to refuse with '%s', got %d '%s'\n", expect, rc, err);
        assert (false);
    }
    const uint8_t *entry;
    size_t size;
    assert (fgp_batch_next (&reader, &entry, &size) == -1 && entry == NULL);
    fgp_batch_close (&reader);
    fgp_batch_close (&reader);
}

void
fgp_batch_test (bool verbose)
{
    char err [256];
    fgp_batch_reader_t reader;
    const uint8_t *entry;
    size_t entry_size;
    fgp_msg_t *msg = fgp_msg_new (FGP_BATCH);
    msg->stream = FGP_STREAM_UP;

    //  The zip bomb: a frame that expands past what raw_size claims
    size_t bomb_size = 64 * 1024;
    uint8_t *bomb = (uint8_t *) calloc (1, bomb_size);
    assert (bomb);
    s_set_frame (msg, bomb, bomb_size, true, 1024, 1);
    s_expect_open_refused (msg, "zstd frame holds 65536 bytes, raw_size says 1024");
    s_set_frame (msg, bomb, bomb_size, false, 1024, 1);       //  size not in the header
    s_expect_open_refused (msg, "does not decompress into raw_size 1024");
    s_set_frame (msg, bomb, 500, false, 1024, 1);             //  and one that falls short
    s_expect_open_refused (msg, "body decompresses to 500 bytes, raw_size says 1024");
    s_set_frame (msg, bomb, bomb_size, true, FGP_MAX_BATCH_RAW + 1, 1);
    s_expect_open_refused (msg, "raw_size 16777217 exceeds the limit");
    free (bomb);

    //  Not a frame, two frames, a frame of entries whose framing is bad
    memset (msg->body, 0x55, msg->body_size);
    msg->raw_size = 1024;
    s_expect_open_refused (msg, "body is not a zstd frame");
    uint8_t raw [] = { 0, 0, 0, 2, 'a', 'b', 0, 0, 0, 1, 'c' };
    s_set_frame (msg, raw, sizeof raw, true, sizeof raw, 2);
    assert (fgp_batch_open (msg, &reader, err, sizeof err) == 0);
    fgp_batch_close (&reader);
    size_t one = msg->body_size;
    msg->body = (uint8_t *) realloc (msg->body, one * 2);
    memcpy (msg->body + one, msg->body, one);
    msg->body_size = one * 2;
    msg->raw_size = sizeof raw * 2;
    msg->count = 4;
    s_expect_open_refused (msg, "zstd frame holds 11 bytes, raw_size says 22");
    msg->raw_size = sizeof raw;
    s_expect_open_refused (msg, "not exactly one zstd frame");
    s_set_frame (msg, raw, sizeof raw, true, sizeof raw, 3);
    s_expect_open_refused (msg, "entry 3 of 3: length cut short (0 bytes left)");
    s_set_frame (msg, raw, sizeof raw, true, sizeof raw, 1);
    s_expect_open_refused (msg, "5 bytes after the 1 entries count announced");
    fgp_msg_destroy (&msg);

    //  Stored bodies: count lies, lengths overrun, zero or oversize length
    msg = fgp_msg_new (FGP_BATCH);
    msg->stream = FGP_STREAM_UP;
    assert (fgp_batch_pack (msg, raw, sizeof raw, 2, true) == 0);
    assert (msg->flags == 0 && msg->body_size == sizeof raw);  //  too small to shrink
    msg->count = 3;
    s_expect_open_refused (msg, "entry 3 of 3: length cut short");
    msg->count = 1;
    s_expect_open_refused (msg, "5 bytes after the 1 entries");
    msg->count = 2;
    fg_put32 (msg->body, 8);
    s_expect_open_refused (msg, "entry 1 of 2: length 8 exceeds the 7 bytes left");
    fg_put32 (msg->body, 0);
    s_expect_open_refused (msg, "entry 1 of 2: length 0 is not 1..");
    fg_put32 (msg->body, FG_ENTRY_MAX_SIZE + 1);
    s_expect_open_refused (msg, "length 262336 is not 1..262335");
    fg_put32 (msg->body, 2);
    msg->raw_size = 10;
    s_expect_open_refused (msg, "stored body of 11 bytes, but raw_size is 10");
    msg->raw_size = 11;
    assert (fgp_batch_open (msg, &reader, err, sizeof err) == 0);
    assert (fgp_batch_next (&reader, &entry, &entry_size) == 1);
    assert (entry_size == 2 && memcmp (entry, "ab", 2) == 0);
    assert (fgp_batch_next (&reader, &entry, &entry_size) == 1);
    assert (entry_size == 1 && entry [0] == 'c');
    assert (fgp_batch_next (&reader, &entry, &entry_size) == 0);
    fgp_batch_close (&reader);

    //  Packing refuses what it could not send, and leaves the message alone
    assert (fgp_batch_pack (msg, raw, sizeof raw, 3, true) == -1);
    assert (strstr (msg->errmsg, "entry 3 of 3"));
    assert (fgp_batch_pack (msg, raw, sizeof raw - 1, 2, false) == -1);
    assert (msg->count == 2 && msg->raw_size == 11 && msg->body_size == 11);
    assert (fgp_batch_pack (msg, raw, FGP_MAX_BATCH_RAW + 1, 2, false) == -1);
    assert (fgp_batch_pack (msg, raw, 0, FGP_MAX_BATCH_ENTRIES + 1, false) == -1);
    assert (fgp_batch_pack (msg, NULL, 0, 0, true) == 0);
    assert (msg->count == 0 && msg->raw_size == 0 && msg->body_size == 0);
    assert (fgp_batch_open (msg, &reader, err, sizeof err) == 0);
    assert (fgp_batch_next (&reader, &entry, &entry_size) == 0);
    fgp_batch_close (&reader);

    //  Incompressible entries are stored raw; too many bytes for one
    //  message are refused ("send fewer entries")
    size_t big_count = 36;
    fgp_batch_entry_t *entries = (fgp_batch_entry_t *) calloc (big_count, sizeof *entries);
    uint8_t *noise = (uint8_t *) malloc (big_count * FG_ENTRY_MAX_SIZE);
    assert (entries && noise);
    randombytes_buf (noise, big_count * FG_ENTRY_MAX_SIZE);
    for (size_t i = 0; i < big_count; i++) {
        entries [i].data = noise + i * FG_ENTRY_MAX_SIZE;     //  no repeats to find
        entries [i].size = i == 0 ? 1000 : FG_ENTRY_MAX_SIZE;
    }
    size_t raw_size;
    uint8_t *big = fgp_batch_body_encode (entries, 1, &raw_size);
    assert (big && raw_size == 1004);
    assert (fgp_batch_pack (msg, big, raw_size, 1, true) == 0);
    assert (!(msg->flags & FGP_BATCH_ZSTD) && msg->body_size == 1004);
    free (big);
    big = fgp_batch_body_encode (entries, big_count, &raw_size);
    assert (big && raw_size > FGP_MAX_MSG_SIZE && raw_size <= FGP_MAX_BATCH_RAW);
    assert (fgp_batch_pack (msg, big, raw_size, (uint32_t) big_count, true) == -1);
    assert (strstr (msg->errmsg, "send fewer entries"));
    free (big);

    //  Body encoding refuses empty, oversize, too many, too much
    entries [1].size = 0;
    assert (fgp_batch_body_encode (entries, 2, &raw_size) == NULL && raw_size == 0);
    entries [1].size = FG_ENTRY_MAX_SIZE + 1;
    assert (fgp_batch_body_encode (entries, 2, &raw_size) == NULL);
    entries [1].size = FG_ENTRY_MAX_SIZE;
    free (entries);
    entries = (fgp_batch_entry_t *) calloc (FGP_MAX_BATCH_ENTRIES + 1, sizeof *entries);
    assert (entries);
    for (size_t i = 0; i <= FGP_MAX_BATCH_ENTRIES; i++) {
        entries [i].data = noise;
        entries [i].size = 1;
    }
    assert (fgp_batch_body_encode (entries, FGP_MAX_BATCH_ENTRIES + 1, &raw_size) == NULL);
    big = fgp_batch_body_encode (entries, FGP_MAX_BATCH_ENTRIES, &raw_size);
    assert (big && raw_size == FGP_MAX_BATCH_ENTRIES * 5);
    assert (fgp_batch_pack (msg, big, raw_size, FGP_MAX_BATCH_ENTRIES, true) == 0);
    assert (msg->flags & FGP_BATCH_ZSTD);
    free (big);
    for (size_t i = 0; i < 65; i++)
        entries [i].size = FG_ENTRY_MAX_SIZE;
    assert (fgp_batch_body_encode (entries, 65, &raw_size) == NULL);     //  > 16 MiB
    free (entries);

    //  A body built entry by entry: full (bytes or entries) and bad
    //  entries leave it as it was
    fgp_body_t body = { 0 };
    assert (fgp_body_add (&body, noise, 6, 20, 2) == 0);
    assert (body.count == 1 && body.size == 10 && fg_get32 (body.data) == 6);
    assert (fgp_body_add (&body, noise + 6, 7, 20, 2) == 1);              //  21 bytes
    assert (fgp_body_add (&body, noise + 6, 0, 20, 2) == -1);
    assert (fgp_body_add (&body, NULL, 1, 20, 2) == -1);
    assert (fgp_body_add (&body, noise, FG_ENTRY_MAX_SIZE + 1, SIZE_MAX, 2) == -1);
    assert (fgp_body_add (&body, noise + 6, 6, 20, 2) == 0);
    assert (fgp_body_add (&body, noise, 1, SIZE_MAX, 2) == 1);           //  3 entries
    assert (body.count == 2 && body.size == 20);
    assert (memcmp (body.data + 4, noise, 6) == 0 && memcmp (body.data + 14, noise + 6, 6) == 0);
    assert (fgp_body_walk (body.data, body.size, body.count, "body", err, sizeof err) == 0);
    fgp_body_reset (&body);
    assert (body.data == NULL && body.size == 0 && body.count == 0);
    fgp_body_reset (&body);
    free (noise);
    fgp_msg_destroy (&msg);
}
