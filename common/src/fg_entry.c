/*  fg_entry.c - canonical bytes of a change-log entry (format in fg_entry.h). */
#include "fg_entry.h"
#include "fg_util.h"

const char *
fg_entry_strerror (int error)
{
    switch (error) {
        case FG_ENTRY_OK:               return "ok";
        case FG_ENTRY_TOO_SHORT:        return "entry cut short";
        case FG_ENTRY_BAD_MAGIC:        return "entry does not start with FGE1";
        case FG_ENTRY_BAD_AUTHOR:       return "author field too long or not UTF-8";
        case FG_ENTRY_BAD_PAYLOAD_SIZE: return "payload length is zero, too large or past the end";
        case FG_ENTRY_TRAILING:         return "bytes after the signature";
        case FG_ENTRY_BAD_SEQ:          return "origin or seq is zero";
        default:                        return "unknown entry error";
    }
}

int
fg_entry_parse (fg_entry_t *entry, const uint8_t *bytes, size_t size)
{
    memset (entry, 0, sizeof *entry);
    if (size < FG_ENTRY_FIXED_SIZE + FG_SIG_SIZE)
        return FG_ENTRY_TOO_SHORT;
    if (memcmp (bytes, FG_ENTRY_MAGIC, 4))
        return FG_ENTRY_BAD_MAGIC;
    size_t author_size = bytes [58];
    if (author_size > FG_ENTRY_AUTHOR_MAX)
        return FG_ENTRY_BAD_AUTHOR;
    if (size < FG_ENTRY_FIXED_SIZE + author_size + FG_SIG_SIZE)
        return FG_ENTRY_TOO_SHORT;
    if (!fg_utf8_valid (bytes + 59, author_size))
        return FG_ENTRY_BAD_AUTHOR;
    size_t payload_size = fg_get32 (bytes + 59 + author_size);
    if (payload_size == 0 || payload_size > FG_ENTRY_MAX_PAYLOAD)
        return FG_ENTRY_BAD_PAYLOAD_SIZE;
    size_t signed_size = FG_ENTRY_FIXED_SIZE + author_size + payload_size;
    if (size < signed_size + FG_SIG_SIZE)
        return payload_size > size ? FG_ENTRY_BAD_PAYLOAD_SIZE : FG_ENTRY_TOO_SHORT;
    if (size > signed_size + FG_SIG_SIZE)
        return FG_ENTRY_TRAILING;

    uint16_t origin = fg_get16 (bytes + 4);
    uint64_t seq = fg_get64 (bytes + 10);
    if (origin == 0 || seq == 0)
        return FG_ENTRY_BAD_SEQ;

    entry->origin = origin;
    entry->epoch = fg_get32 (bytes + 6);
    entry->seq = seq;
    entry->hlc = fg_get64 (bytes + 18);
    entry->prev_hash = bytes + 26;
    memcpy (entry->author, bytes + 59, author_size);
    entry->author [author_size] = 0;
    entry->payload = bytes + 63 + author_size;
    entry->payload_size = payload_size;
    entry->sig = bytes + signed_size;
    entry->bytes = bytes;
    entry->size = size;
    crypto_generichash (entry->hash, FG_HASH_SIZE, bytes, signed_size, NULL, 0);
    return FG_ENTRY_OK;
}

int
fg_entry_verify (const fg_entry_t *entry, const uint8_t pk [FG_SIGN_PK_SIZE])
{
    return fg_sign_verify (entry->sig, entry->hash, FG_HASH_SIZE, pk);
}

uint8_t *
fg_entry_build (fg_keys_t *keys, uint16_t origin, uint32_t epoch, uint64_t seq,
                uint64_t hlc, const uint8_t prev_hash [FG_HASH_SIZE],
                const char *author, const uint8_t *payload, size_t payload_size,
                size_t *size_p, uint8_t hash_out [FG_HASH_SIZE])
{
    *size_p = 0;
    size_t author_size = author ? strlen (author) : 0;
    if (author_size > FG_ENTRY_AUTHOR_MAX
    ||  !fg_utf8_valid ((const uint8_t *) author, author_size)
    ||  payload_size == 0 || payload_size > FG_ENTRY_MAX_PAYLOAD
    ||  origin == 0 || seq == 0)
        return NULL;
    size_t signed_size = FG_ENTRY_FIXED_SIZE + author_size + payload_size;
    size_t size = signed_size + FG_SIG_SIZE;
    uint8_t *bytes = (uint8_t *) malloc (size);
    assert (bytes);
    memcpy (bytes, FG_ENTRY_MAGIC, 4);
    fg_put16 (bytes + 4, origin);
    fg_put32 (bytes + 6, epoch);
    fg_put64 (bytes + 10, seq);
    fg_put64 (bytes + 18, hlc);
    memcpy (bytes + 26, prev_hash, FG_HASH_SIZE);
    bytes [58] = (uint8_t) author_size;
    if (author_size)
        memcpy (bytes + 59, author, author_size);
    fg_put32 (bytes + 59 + author_size, (uint32_t) payload_size);
    memcpy (bytes + 63 + author_size, payload, payload_size);
    crypto_generichash (hash_out, FG_HASH_SIZE, bytes, signed_size, NULL, 0);
    fg_keys_sign (keys, hash_out, FG_HASH_SIZE, bytes + signed_size);
    *size_p = size;
    return bytes;
}

void
fg_entry_test (bool verbose)
{
    printf (" * fg_entry: ");
    uint8_t seed [32];
    for (int i = 0; i < 32; i++)
        seed [i] = (uint8_t) i;
    fg_keys_t *keys = fg_keys_new_from_seed (seed);
    uint8_t prev [32] = { 0 };
    uint8_t hash [32];
    const uint8_t payload [] = { 1, 2, 3 };
    size_t size;
    uint8_t *bytes = fg_entry_build (keys, 7, 0, 1, 0x1234, prev, "clerk",
                                     payload, sizeof payload, &size, hash);
    assert (bytes && size == FG_ENTRY_FIXED_SIZE + 5 + 3 + 64);
    fg_entry_t entry;
    assert (fg_entry_parse (&entry, bytes, size) == FG_ENTRY_OK);
    assert (entry.origin == 7 && entry.seq == 1 && entry.hlc == 0x1234);
    assert (streq (entry.author, "clerk") && entry.payload_size == 3);
    assert (memcmp (entry.hash, hash, 32) == 0);
    assert (fg_entry_verify (&entry, fg_keys_sign_pk (keys)) == 0);

    //  Every single-bit flip of the signed part or the signature is caught:
    //  either the parse refuses the bytes or the signature fails.
    for (size_t i = 0; i < size; i++) {
        for (int bit = 0; bit < 8; bit++) {
            bytes [i] ^= (uint8_t) (1 << bit);
            fg_entry_t bad;
            int rc = fg_entry_parse (&bad, bytes, size);
            assert (rc != FG_ENTRY_OK || fg_entry_verify (&bad, fg_keys_sign_pk (keys)) == -1);
            bytes [i] ^= (uint8_t) (1 << bit);
        }
    }
    //  Every truncation is refused
    for (size_t cut = 0; cut < size; cut++) {
        fg_entry_t bad;
        assert (fg_entry_parse (&bad, bytes, cut) != FG_ENTRY_OK);
    }
    //  Trailing bytes are refused
    uint8_t *longer = (uint8_t *) malloc (size + 1);
    memcpy (longer, bytes, size);
    longer [size] = 0;
    assert (fg_entry_parse (&entry, longer, size + 1) == FG_ENTRY_TRAILING);
    free (longer);

    //  A different key does not verify
    fg_keys_t *other = fg_keys_new ();
    assert (fg_entry_parse (&entry, bytes, size) == FG_ENTRY_OK);
    assert (fg_entry_verify (&entry, fg_keys_sign_pk (other)) == -1);
    fg_keys_destroy (&other);
    free (bytes);

    //  Bounds on build
    char author [FG_ENTRY_AUTHOR_MAX + 2];
    memset (author, 'a', sizeof author - 1);
    author [sizeof author - 1] = 0;
    assert (fg_entry_build (keys, 7, 0, 1, 1, prev, author, payload, 3, &size, hash) == NULL);
    assert (fg_entry_build (keys, 7, 0, 0, 1, prev, "x", payload, 3, &size, hash) == NULL);
    assert (fg_entry_build (keys, 7, 0, 1, 1, prev, "x", payload, 0, &size, hash) == NULL);
    fg_keys_destroy (&keys);
    printf ("OK\n");
}
