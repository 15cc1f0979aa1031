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
    fg_entry_hash (bytes, size, entry->hash);
    return FG_ENTRY_OK;
}

void
fg_entry_hash (const uint8_t *bytes, size_t size, uint8_t hash [FG_HASH_SIZE])
{
    assert (size >= FG_SIG_SIZE);
    crypto_generichash (hash, FG_HASH_SIZE, bytes, size - FG_SIG_SIZE, NULL, 0);
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
    fg_entry_hash (bytes, size, hash_out);
    fg_keys_sign (keys, hash_out, FG_HASH_SIZE, bytes + signed_size);
    *size_p = size;
    return bytes;
}
