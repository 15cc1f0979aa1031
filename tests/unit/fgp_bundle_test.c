/*  fgp_bundle_test.c - self-test of fgp_bundle (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fgp_bundle.h"
#include "fg_util.h"
#include "fg_entry.h"
#include <zstd.h>
#include <sys/stat.h>

//  --------------------------------------------------------------------------
//  Self-test

#include "fg_testkit.h"

//  A bundle with any header fields and body, signed properly (for cases
//  the encoder would never write).
static uint8_t *
s_forge (fg_keys_t *keys, uint8_t version, uint16_t from, uint8_t flags, uint32_t count,
         uint32_t raw_size, const uint8_t *body, size_t body_size, size_t *size_p)
{
    size_t size = FGP_BUNDLE_MIN_SIZE + body_size;
    uint8_t *bytes = (uint8_t *) malloc (size);
    assert (bytes);
    memcpy (bytes, FGP_BUNDLE_MAGIC, 4);
    bytes [4] = version;
    fg_put16 (bytes + 5, from);
    fg_put16 (bytes + 7, 0);
    fg_put64 (bytes + 9, 1);
    bytes [17] = flags;
    fg_put32 (bytes + 18, count);
    fg_put32 (bytes + 22, raw_size);
    fg_put32 (bytes + 26, (uint32_t) body_size);
    if (body_size)
        memcpy (bytes + FGP_BUNDLE_HEADER_SIZE, body, body_size);
    uint8_t hash [FG_HASH_SIZE];
    crypto_generichash (hash, FG_HASH_SIZE, bytes, size - FG_SIG_SIZE, NULL, 0);
    fg_keys_sign (keys, hash, FG_HASH_SIZE, bytes + size - FG_SIG_SIZE);
    *size_p = size;
    return bytes;
}

//  A zstd frame of content, with or without its size in the header.
static uint8_t *
s_frame (const uint8_t *content, size_t content_size, bool with_size, size_t *size_p)
{
    ZSTD_CCtx *cctx = ZSTD_createCCtx ();
    assert (cctx);
    size_t rc = ZSTD_CCtx_setParameter (cctx, ZSTD_c_contentSizeFlag, with_size ? 1 : 0);
    assert (!ZSTD_isError (rc));
    size_t bound = ZSTD_compressBound (content_size);
    uint8_t *frame = (uint8_t *) malloc (bound);
    assert (frame);
    *size_p = ZSTD_compress2 (cctx, frame, bound, content, content_size);
    assert (!ZSTD_isError (*size_p));
    ZSTD_freeCCtx (cctx);
    return frame;
}

static void
s_expect_refused (const uint8_t *bytes, size_t size, const char *expect)
{
    char err [256];
    fgp_bundle_t *bundle = fgp_bundle_decode (bytes, size, err, sizeof err);
    if (bundle || !strstr (err, expect)) {
        fprintf (stderr, "\nexpected a refusal with '%s', got %s '%s'\n", expect,
                 bundle ? "a bundle" : "NULL", err);
        assert (false);
    }
}

//  The entries framed as the body of a bundle
static fgp_body_t
s_body (const fgp_batch_entry_t *entries, size_t count)
{
    fgp_body_t body = { 0 };
    for (size_t i = 0; i < count; i++) {
        int rc = fgp_body_add (&body, entries [i].data, entries [i].size, FGP_BUNDLE_MAX_RAW,
                               FGP_BUNDLE_MAX_ENTRIES);
        assert (rc == 0);
    }
    return body;
}

//  Check a decoded bundle holds exactly these entries
static void
s_expect_entries (fgp_bundle_t *bundle, const fgp_batch_entry_t *entries, size_t count)
{
    const uint8_t *entry;
    size_t size;
    for (size_t i = 0; i < count; i++) {
        assert (fgp_bundle_next (bundle, &entry, &size) == 1);
        assert (size == entries [i].size && memcmp (entry, entries [i].data, size) == 0);
    }
    assert (fgp_bundle_next (bundle, &entry, &size) == 0);
    assert (fgp_bundle_next (bundle, &entry, &size) == 0);
}

void
fgp_bundle_test (bool verbose)
{
    printf (" * fgp_bundle: ");
    char err [256];
    char *dir = fg_testkit_dir ("fgp_bundle_test");
    fg_keys_t *keys = fg_keys_new ();
    fg_keys_t *other = fg_keys_new ();
    const uint8_t *pk = fg_keys_sign_pk (keys);

    //  Entries: real signed entries of one chain, plus compressible ones
    size_t count = 6;
    fgp_batch_entry_t entries [6];
    uint8_t *owned [6];
    uint8_t prev [FG_HASH_SIZE] = { 0 };
    for (size_t i = 0; i < count; i++) {
        uint8_t payload [300];
        memset (payload, 'a' + (int) i, sizeof payload);
        size_t size;
        uint8_t hash [FG_HASH_SIZE];
        owned [i] = fg_entry_build (keys, 28100, 1, i + 1, (uint64_t) (i + 1) << 16, prev, "clerk",
                                    payload, i == 0 ? 1 : sizeof payload, &size, hash);
        assert (owned [i]);
        memcpy (prev, hash, FG_HASH_SIZE);
        entries [i].data = owned [i];
        entries [i].size = size;
    }

    //  Round trip, compressed (the payloads repeat)
    fgp_body_t body = s_body (entries, count);
    size_t size;
    uint8_t *bytes = fgp_bundle_encode (keys, 28100, 128, 1700000000000, &body, &size, err, sizeof err);
    assert (bytes);
    assert (memcmp (bytes, "FGB1", 4) == 0 && bytes [4] == 1);
    assert (bytes [17] == FGP_BUNDLE_ZSTD);
    fgp_bundle_t *bundle = fgp_bundle_decode (bytes, size, err, sizeof err);
    assert (bundle);
    const fgp_bundle_info_t *info = fgp_bundle_info (bundle);
    assert (info->version == 1 && info->from == 28100 && info->to == 128);
    assert (info->created_ms == 1700000000000 && info->count == count);
    assert (info->flags == FGP_BUNDLE_ZSTD && info->body_size < info->raw_size);
    assert (info->file_size == size && size == FGP_BUNDLE_MIN_SIZE + info->body_size);
    const uint8_t *entry;
    size_t entry_size;
    //  Nothing is handed out before the signature is checked
    assert (!fgp_bundle_verified (bundle));
    assert (fgp_bundle_next (bundle, &entry, &entry_size) == -1 && entry == NULL);
    assert (fgp_bundle_verify (bundle, fg_keys_sign_pk (other)) == -1);     //  wrong key
    assert (fgp_bundle_next (bundle, &entry, &entry_size) == -1);
    assert (fgp_bundle_verify (bundle, pk) == 0);
    s_expect_entries (bundle, entries, count);
    fgp_bundle_destroy (&bundle);
    fgp_bundle_destroy (&bundle);

    //  Every truncation is refused, and so is every flipped byte (by the
    //  parse or by the signature)
    for (size_t cut = 0; cut < size; cut++) {
        bundle = fgp_bundle_decode (bytes, cut, err, sizeof err);
        assert (bundle == NULL && err [0]);
    }
    uint8_t *copy = (uint8_t *) malloc (size + 1);
    assert (copy);
    size_t parse_refusals = 0, signature_refusals = 0;
    static const uint8_t masks [] = { 0x01, 0xff };
    for (size_t at = 0; at < size; at++)
        for (size_t m = 0; m < sizeof masks; m++) {
            memcpy (copy, bytes, size);
            copy [at] ^= masks [m];
            bundle = fgp_bundle_decode (copy, size, err, sizeof err);
            if (!bundle)
                parse_refusals++;
            else {
                assert (fgp_bundle_verify (bundle, pk) == -1);
                assert (fgp_bundle_next (bundle, &entry, &entry_size) == -1);
                signature_refusals++;
                fgp_bundle_destroy (&bundle);
            }
        }
    assert (parse_refusals > 0 && signature_refusals > 0);
    if (verbose)
        printf ("(%zu flips refused by the parse, %zu by the signature) ", parse_refusals, signature_refusals);
    //  One byte more
    memcpy (copy, bytes, size);
    copy [size] = 0;
    s_expect_refused (copy, size + 1, "1 bytes after its signature");
    free (copy);
    free (bytes);

    //  Stored: incompressible entries stay raw, B = raw_size
    uint8_t noise [2000];
    randombytes_buf (noise, sizeof noise);
    fgp_batch_entry_t random_entries [2] = { { noise, 1200 }, { noise + 1200, 800 } };
    fgp_body_t random_body = s_body (random_entries, 2);
    bytes = fgp_bundle_encode (keys, 1, 0, -5, &random_body, &size, err, sizeof err);
    fgp_body_reset (&random_body);
    assert (bytes && bytes [17] == 0 && size == FGP_BUNDLE_MIN_SIZE + 2008);
    bundle = fgp_bundle_decode (bytes, size, err, sizeof err);
    assert (bundle && fgp_bundle_info (bundle)->to == 0 && fgp_bundle_info (bundle)->created_ms == -5);
    assert (fgp_bundle_verify (bundle, pk) == 0);
    s_expect_entries (bundle, random_entries, 2);
    fgp_bundle_destroy (&bundle);
    for (size_t cut = 0; cut < size; cut++)
        assert (fgp_bundle_decode (bytes, cut, NULL, 0) == NULL);
    free (bytes);

    //  Empty bundle: valid, holds nothing
    fgp_body_t empty = { 0 };
    bytes = fgp_bundle_encode (keys, 5, 6, 0, &empty, &size, err, sizeof err);
    assert (bytes && size == FGP_BUNDLE_MIN_SIZE);
    bundle = fgp_bundle_decode (bytes, size, err, sizeof err);
    assert (bundle && fgp_bundle_verify (bundle, pk) == 0);
    assert (fgp_bundle_next (bundle, &entry, &entry_size) == 0);
    fgp_bundle_destroy (&bundle);
    free (bytes);

    //  The encoder refuses what a reader would refuse
    assert (fgp_bundle_encode (keys, 0, 1, 0, &body, &size, err, sizeof err) == NULL);
    assert (strstr (err, "node 0") && size == 0);
    uint8_t zero_length [4] = { 0 };
    fgp_body_t bad = { zero_length, sizeof zero_length, sizeof zero_length, 1 };
    assert (fgp_bundle_encode (keys, 1, 0, 0, &bad, &size, err, sizeof err) == NULL);
    assert (strstr (err, "bundle body: entry 1 of 1: length 0 is not 1..262335"));
    bad.count = 0;
    assert (fgp_bundle_encode (keys, 1, 0, 0, &bad, &size, err, sizeof err) == NULL);
    assert (strstr (err, "4 bytes after the 0 entries"));
    bad.count = FGP_BUNDLE_MAX_ENTRIES + 1;
    assert (fgp_bundle_encode (keys, 1, 0, 0, &bad, &size, err, sizeof err) == NULL);
    assert (strstr (err, "2097153 entries exceed the limit"));
    bad.count = 1;
    bad.size = FGP_BUNDLE_MAX_RAW + 1;
    assert (fgp_bundle_encode (keys, 1, 0, 0, &bad, &size, err, sizeof err) == NULL);
    assert (strstr (err, "exceed the 268435456 bytes a bundle may hold"));

    //  Header refusals, each with its reason (all properly signed)
    uint8_t raw [] = { 0, 0, 0, 2, 'a', 'b', 0, 0, 0, 1, 'c' };
    bytes = s_forge (keys, 1, 7, 0, 2, sizeof raw, raw, sizeof raw, &size);
    bundle = fgp_bundle_decode (bytes, size, err, sizeof err);
    assert (bundle && fgp_bundle_verify (bundle, pk) == 0);
    fgp_bundle_destroy (&bundle);
    bytes [0] = 'X';
    s_expect_refused (bytes, size, "not a bundle: magic 58 47 42 31");
    free (bytes);
    bytes = s_forge (keys, 2, 7, 0, 2, sizeof raw, raw, sizeof raw, &size);
    s_expect_refused (bytes, size, "bundle format version 2; this fugai reads version 1");
    free (bytes);
    bytes = s_forge (keys, 1, 0, 0, 2, sizeof raw, raw, sizeof raw, &size);
    s_expect_refused (bytes, size, "from node 0");
    free (bytes);
    bytes = s_forge (keys, 1, 7, 0x82, 2, sizeof raw, raw, sizeof raw, &size);
    s_expect_refused (bytes, size, "unknown flags 0x82");
    free (bytes);
    uint8_t longer [] = { 0, 0, 0, 8, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 0, 0, 0, 1, 'c' };
    bytes = s_forge (keys, 1, 7, 0, 3, sizeof longer, longer, sizeof longer, &size);
    s_expect_refused (bytes, size, "entry 3 of 3: length cut short (0 bytes left)");
    free (bytes);
    longer [3] = 14;
    bytes = s_forge (keys, 1, 7, 0, 2, sizeof longer, longer, sizeof longer, &size);
    s_expect_refused (bytes, size, "entry 1 of 2: length 14 exceeds the 13 bytes left");
    fg_put32 (bytes + FGP_BUNDLE_HEADER_SIZE, 0);
    s_expect_refused (bytes, size, "entry 1 of 2: length 0 is not 1..262335");
    free (bytes);
    bytes = s_forge (keys, 1, 7, 0, 3, sizeof raw, raw, sizeof raw, &size);
    fg_put32 (bytes + 18, 1000000);             //  count beyond the bytes
    s_expect_refused (bytes, size, "count 1000000 entries cannot fit in raw_size 11");
    fg_put32 (bytes + 18, FGP_BUNDLE_MAX_ENTRIES + 1);
    s_expect_refused (bytes, size, "count 2097153 exceeds the limit");
    free (bytes);
    bytes = s_forge (keys, 1, 7, 0, 1, sizeof raw, raw, sizeof raw, &size);
    s_expect_refused (bytes, size, "5 bytes after the 1 entries count announced");
    free (bytes);
    bytes = s_forge (keys, 1, 7, 0, 2, sizeof raw - 1, raw, sizeof raw, &size);
    s_expect_refused (bytes, size, "stored body of 11 bytes, but raw_size is 10");
    free (bytes);
    bytes = s_forge (keys, 1, 7, 0, 2, sizeof raw, raw, sizeof raw, &size);
    fg_put32 (bytes + 26, 12);
    fg_put32 (bytes + 22, 12);
    s_expect_refused (bytes, size, "bundle cut short: the body of 12 bytes");
    fg_put32 (bytes + 26, 10);
    fg_put32 (bytes + 22, 10);
    s_expect_refused (bytes, size, "1 bytes after its signature");
    fg_put32 (bytes + 22, FGP_BUNDLE_MAX_RAW + 1);
    s_expect_refused (bytes, size, "raw_size 268435457 exceeds the limit");
    free (bytes);
    s_expect_refused ((const uint8_t *) "FGB1", 4, "4 bytes, a bundle has at least 94");

    //  Zip bombs: a small frame that expands far past what raw_size says,
    //  with and without the content size in the frame header, and one
    //  that claims the largest raw_size but yields a few bytes
    size_t bomb_size = 64 * 1024 * 1024;
    uint8_t *zeros = (uint8_t *) calloc (1, bomb_size);
    assert (zeros);
    size_t frame_size;
    uint8_t *frame = s_frame (zeros, bomb_size, true, &frame_size);
    assert (frame_size < 10000);
    bytes = s_forge (keys, 1, 7, FGP_BUNDLE_ZSTD, 2, 1024, frame, frame_size, &size);
    s_expect_refused (bytes, size, "zstd frame holds 67108864 bytes, raw_size says 1024");
    free (bytes);
    free (frame);
    frame = s_frame (zeros, bomb_size, false, &frame_size);
    bytes = s_forge (keys, 1, 7, FGP_BUNDLE_ZSTD, 2, 1024, frame, frame_size, &size);
    s_expect_refused (bytes, size, "expands past its raw_size of 1024 bytes");
    free (bytes);
    free (frame);
    free (zeros);
    frame = s_frame (raw, sizeof raw, false, &frame_size);
    bytes = s_forge (keys, 1, 7, FGP_BUNDLE_ZSTD, 2, FGP_BUNDLE_MAX_RAW, frame, frame_size, &size);
    s_expect_refused (bytes, size, "decompresses to 11 bytes, raw_size says 268435456");
    free (bytes);
    //  Not a frame; two frames; a good frame of good framing
    bytes = s_forge (keys, 1, 7, FGP_BUNDLE_ZSTD, 2, sizeof raw, raw, sizeof raw, &size);
    s_expect_refused (bytes, size, "not a zstd frame");
    free (bytes);
    uint8_t twice [256];
    assert (frame_size * 2 <= sizeof twice);
    memcpy (twice, frame, frame_size);
    memcpy (twice + frame_size, frame, frame_size);
    bytes = s_forge (keys, 1, 7, FGP_BUNDLE_ZSTD, 2, sizeof raw, twice, frame_size * 2, &size);
    s_expect_refused (bytes, size, "not exactly one zstd frame");
    free (bytes);
    bytes = s_forge (keys, 1, 7, FGP_BUNDLE_ZSTD, 2, sizeof raw, frame, frame_size, &size);
    bundle = fgp_bundle_decode (bytes, size, err, sizeof err);
    assert (bundle && fgp_bundle_verify (bundle, pk) == 0);
    assert (fgp_bundle_next (bundle, &entry, &entry_size) == 1 && entry_size == 2);
    fgp_bundle_destroy (&bundle);
    free (bytes);
    free (frame);

    //  Files: written 0600, read back; missing, oversize, not a file
    char *path = fg_strdupf ("%s/out.fgb", dir);
    assert (fgp_bundle_save (path, keys, 28100, 128, &body, &size, err, sizeof err) == 0);
    struct stat st;
    assert (stat (path, &st) == 0 && (st.st_mode & 0777) == 0600 && (size_t) st.st_size == size);
    bundle = fgp_bundle_open (path, err, sizeof err);
    assert (bundle && fgp_bundle_verify (bundle, pk) == 0);
    s_expect_entries (bundle, entries, count);
    fgp_bundle_destroy (&bundle);
    assert (truncate (path, (off_t) FGP_BUNDLE_MAX_FILE + 1) == 0);     //  sparse
    assert (fgp_bundle_open (path, err, sizeof err) == NULL);
    assert (strstr (err, "larger than any bundle can be"));
    assert (fgp_bundle_open (dir, err, sizeof err) == NULL && strstr (err, "not a regular file"));
    unlink (path);
    assert (fgp_bundle_open (path, err, sizeof err) == NULL && strstr (err, "cannot open"));
    char *nowhere = fg_strdupf ("%s/missing/out.fgb", dir);
    assert (fgp_bundle_save (nowhere, keys, 1, 2, &body, NULL, err, sizeof err) == -1);
    assert (strstr (err, "cannot write"));
    free (nowhere);
    free (path);

    fgp_body_reset (&body);
    for (size_t i = 0; i < count; i++)
        free (owned [i]);
    fg_keys_destroy (&keys);
    fg_keys_destroy (&other);
    fg_testkit_rmdir (dir);
    free (dir);
    printf ("OK\n");
}
