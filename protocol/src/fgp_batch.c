/*  fgp_batch.c - BATCH bodies: framing entries, zstd, reading them back.

    Part of the fgp_msg class (declared in fgp_msg.h, tested by
    fgp_msg_test); kept apart because it is its own concept: what is inside
    the body blob of a BATCH. protocol/SPEC.md §4 is the reference.

    The raw body is the entries one after another, each with its length:

    OFFSET  SIZE  MEANING
    0       4     W1: bit 31 (FGP_BODY_ELIDED) set if entry 1 is carried
                  elided; bits 0..30 = L1, the length carried,
                  1..FG_ENTRY_MAX_SIZE (elided: one that makes an entry
                  of 128..FG_ENTRY_MAX_SIZE bytes)
    4       L1    entry 1: canonical bytes (fg_entry.h), relayed byte for
                  byte; or, elided, the entry without what the receiver
                  computes from the entry just before it in the body:
    4+L1    4     W2 = length of entry 2, as W1
    ...           and so on, `count` times; nothing after the last entry

    An elided entry (protocol 2 on, SPEC §4.1) follows, in the body, the
    entry of its origin and epoch with seq - 1 whose hash is its prev_hash
    and whose hlc's ms are not later than its own. It is carried as

    OFFSET  SIZE  MEANING
    0       1..7  ms: its hlc's ms (hlc >> 16) minus those of the entry
                  before, an unsigned LEB128 varint (shortest form)
    ...     1..3  counter: its hlc's low 16 bits, a varint
    ...     L-v   the entry from offset 58 on: author, payload, signature

    and made whole again by the reader: magic, origin and epoch of the
    entry before, its seq + 1, the hlc, its hash (BLAKE2b-256 of all but
    its signature, fg_entry.h) as prev_hash, then the rest. 48 to 56 bytes
    fewer (32 of them the hash, which no compressor can shrink); nothing
    else of the entry changes, so it verifies as the origin signed it.
    The first entry of a body is never elided, so a body reads on its
    own; a bundle (fgp_bundle.h) is always whole.

    Its size is the BATCH's raw_size (<= FGP_MAX_BATCH_RAW). With flag
    FGP_BATCH_ZSTD the body on the wire is exactly one zstd frame whose
    decompressed content is the raw body; otherwise it is the raw body.

    A received body is checked whole before the first entry is handed out
    (fgp_batch_open), so that a batch is taken all or nothing: its receiver
    never applies half a batch and then finds the rest malformed.
    Decompression goes into a buffer of exactly raw_size bytes, so a
    "zip bomb" (a small frame that expands beyond raw_size) fails inside
    zstd instead of growing memory; making elided entries whole adds 48 to
    56 bytes to each (at most 74 % more than raw_size).
*/
#include "fgp_msg.h"
#include "fg_util.h"
#include "fg_entry.h"
#include <zstd.h>

//  Stands in for the body of an empty batch (a NULL pointer plus zero is
//  not valid C).
static const uint8_t s_empty [1] = { 0 };

//  Offsets of the entry (fg_entry.h) that elision reads and writes
#define S_SEQ       10                  //  after magic, origin, epoch
#define S_HLC       18
#define S_PREV      26
#define S_AFTER     (S_PREV + FG_HASH_SIZE)
#define S_WHOLE_MIN (FG_ENTRY_FIXED_SIZE + 1 + FG_SIG_SIZE)     //  smallest entry (P = 1)

//  Can an elided entry follow these whole bytes? (An entry's shape: the
//  reader of the entry parses and verifies it later, as any other.)
static bool
s_followable (const uint8_t *entry, size_t size)
{
    return size >= S_WHOLE_MIN && memcmp (entry, FG_ENTRY_MAGIC, 4) == 0;
}

int
fgp_body_walk (const uint8_t *raw, size_t raw_size, uint32_t count, const char *what,
               char *errbuf, size_t errsize)
{
    const uint8_t *p = raw;
    const uint8_t *end = raw + raw_size;
    for (uint32_t i = 0; i < count; i++) {
        if (end - p < 4) {
            snprintf (errbuf, errsize, "%s: entry %u of %u: length cut short (%zu bytes left)",
                      what, i + 1, count, (size_t) (end - p));
            return -1;
        }
        size_t len = fg_get32 (p);
        p += 4;
        if (len < 1 || len > FG_ENTRY_MAX_SIZE) {
            snprintf (errbuf, errsize, "%s: entry %u of %u: length %zu is not 1..%d",
                      what, i + 1, count, len, FG_ENTRY_MAX_SIZE);
            return -1;
        }
        if (len > (size_t) (end - p)) {
            snprintf (errbuf, errsize, "%s: entry %u of %u: length %zu exceeds the %zu bytes left",
                      what, i + 1, count, len, (size_t) (end - p));
            return -1;
        }
        p += len;
    }
    if (p != end) {
        snprintf (errbuf, errsize, "%s: %zu bytes after the %u entries count announced",
                  what, (size_t) (end - p), count);
        return -1;
    }
    return 0;
}

//  The hlc of an elided entry, after the one before it: its ms minus the
//  ms of the entry before (>= 0), then its counter (the low 16 bits),
//  each an unsigned LEB128 varint (7 bits a byte, low bits first, bit 7
//  set on all but the last byte; the shortest form only).
#define S_HLC_MS_BYTES_MAX  7           //  48 bits of ms
#define S_COUNTER_BYTES_MAX 3           //  16 bits
#define S_ELIDED_HLC_MAX    (S_HLC_MS_BYTES_MAX + S_COUNTER_BYTES_MAX)

static size_t
s_varint_put (uint8_t *to, uint64_t value)
{
    size_t n = 0;
    while (value >= 0x80) {
        to [n++] = (uint8_t) (value | 0x80);
        value >>= 7;
    }
    to [n++] = (uint8_t) value;
    return n;
}

//  Bytes read (1..max), or 0 if cut short, longer than max or not the
//  shortest form.
static size_t
s_varint_get (const uint8_t *p, size_t left, size_t max, uint64_t *value_p)
{
    uint64_t value = 0;
    for (size_t n = 0; n < left && n < max; n++) {
        value |= (uint64_t) (p [n] & 0x7F) << (7 * n);
        if (!(p [n] & 0x80)) {
            *value_p = value;
            return n > 0 && p [n] == 0 ? 0 : n + 1;
        }
    }
    return 0;
}

//  Walk a BATCH body, whose entries may be elided, and make it whole:
//  with `whole` NULL, check the framing (exactly count entries, each of
//  a length it may have, an elided one only after an entry it can follow,
//  its hlc well-formed, nothing after) and set *whole_size_p and
//  *elided_p; with `whole` (of *whole_size_p bytes), write the entries
//  whole into it, and whether each was elided into flags (count). 0, or
//  -1 with the reason.
static int
s_body_whole (const uint8_t *raw, size_t raw_size, uint32_t count, uint8_t *whole, bool *flags,
              size_t *whole_size_p, uint32_t *elided_p, char *errbuf, size_t errsize)
{
    const uint8_t *p = raw;
    const uint8_t *end = raw + raw_size;
    uint8_t *to = whole;
    const uint8_t *last = NULL;         //  the entry before, whole (when writing)
    size_t last_size = 0;
    uint64_t last_hlc = 0;
    bool follows = false;
    size_t whole_size = 0;
    uint32_t elided = 0;
    for (uint32_t i = 0; i < count; i++) {
        if (end - p < 4) {
            snprintf (errbuf, errsize, "BATCH: entry %u of %u: length cut short (%zu bytes left)",
                      i + 1, count, (size_t) (end - p));
            return -1;
        }
        uint32_t word = fg_get32 (p);
        bool is_elided = (word & FGP_BODY_ELIDED) != 0;
        size_t len = word & ~FGP_BODY_ELIDED;
        p += 4;
        if (len < 1 || len > FG_ENTRY_MAX_SIZE) {
            snprintf (errbuf, errsize, "BATCH: entry %u of %u: length %zu is not 1..%d",
                      i + 1, count, len, FG_ENTRY_MAX_SIZE);
            return -1;
        }
        if (len > (size_t) (end - p)) {
            snprintf (errbuf, errsize, "BATCH: entry %u of %u: length %zu exceeds the %zu bytes left",
                      i + 1, count, len, (size_t) (end - p));
            return -1;
        }
        size_t size = len;
        uint64_t hlc = 0;
        size_t head = 0;                //  bytes of the elided hlc
        if (is_elided) {
            if (!follows) {
                snprintf (errbuf, errsize, "BATCH: entry %u of %u is elided (no prev_hash) but %s",
                          i + 1, count, i == 0 ? "nothing comes before it in the batch"
                                               : "the entry before it is not a whole entry to follow");
                return -1;
            }
            uint64_t ms, counter;
            size_t n1 = s_varint_get (p, len, S_HLC_MS_BYTES_MAX, &ms);
            size_t n2 = n1 ? s_varint_get (p + n1, len - n1, S_COUNTER_BYTES_MAX, &counter) : 0;
            if (!n2 || counter > 0xFFFF || ms > (UINT64_C (0xFFFFFFFFFFFF) - (last_hlc >> 16))) {
                snprintf (errbuf, errsize, "BATCH: entry %u of %u: elided hlc is not two well-formed "
                          "varints within 48 bits of ms and 16 of counter", i + 1, count);
                return -1;
            }
            head = n1 + n2;
            hlc = (((last_hlc >> 16) + ms) << 16) | counter;
            size = len - head + S_AFTER;
            if (size < S_WHOLE_MIN || size > FG_ENTRY_MAX_SIZE) {
                snprintf (errbuf, errsize, "BATCH: entry %u of %u: elided, it would make an entry of "
                          "%zu bytes, not %d..%d", i + 1, count, size, S_WHOLE_MIN, FG_ENTRY_MAX_SIZE);
                return -1;
            }
        }
        else
        if (len >= S_AFTER)
            hlc = fg_get64 (p + S_HLC);
        if (to) {
            flags [i] = is_elided;
            fg_put32 (to, (uint32_t) size);
            to += 4;
            if (is_elided) {
                memcpy (to, last, S_SEQ);
                fg_put64 (to + S_SEQ, fg_get64 (last + S_SEQ) + 1);
                fg_put64 (to + S_HLC, hlc);
                fg_entry_hash (last, last_size, to + S_PREV);
                memcpy (to + S_AFTER, p + head, len - head);
            }
            else
                memcpy (to, p, len);
            last = to;
            last_size = size;
            to += size;
        }
        follows = is_elided || s_followable (p, len);
        last_hlc = hlc;
        elided += is_elided;
        whole_size += 4 + size;
        p += len;
    }
    if (p != end) {
        snprintf (errbuf, errsize, "BATCH: %zu bytes after the %u entries count announced",
                  (size_t) (end - p), count);
        return -1;
    }
    *whole_size_p = whole_size;
    *elided_p = elided;
    return 0;
}

int
fgp_body_add (fgp_body_t *self, const uint8_t *entry, size_t size, size_t max_size, size_t max_count)
{
    assert (self);
    if (!entry || size < 1 || size > FG_ENTRY_MAX_SIZE)
        return -1;
    //  Elided: it follows the entry just added, of its origin and epoch,
    //  seq - 1, names that entry's hash, and its hlc's ms is not earlier
    bool followable = self->elide && s_followable (entry, size);
    uint64_t hlc = followable ? fg_get64 (entry + S_HLC) : 0;
    uint64_t last_hlc = fg_get64 (self->last_head + S_HLC);
    bool elided = followable && self->follows
               && memcmp (entry, self->last_head, S_SEQ) == 0
               && fg_get64 (entry + S_SEQ) == fg_get64 (self->last_head + S_SEQ) + 1
               && (hlc >> 16) >= (last_hlc >> 16)
               && memcmp (entry + S_PREV, self->last_hash, FG_HASH_SIZE) == 0;
    uint8_t head [S_ELIDED_HLC_MAX];
    size_t head_size = 0;
    if (elided) {
        head_size = s_varint_put (head, (hlc >> 16) - (last_hlc >> 16));
        head_size += s_varint_put (head + head_size, hlc & 0xFFFF);
    }
    size_t carried = elided ? head_size + size - S_AFTER : size;
    if (self->count >= max_count || self->size + 4 + carried > max_size)
        return 1;
    if (self->size + 4 + carried > self->cap) {
        size_t cap = self->cap ? self->cap : 64 * 1024;
        while (cap < self->size + 4 + carried)
            cap *= 2;
        self->data = (uint8_t *) realloc (self->data, cap);
        assert (self->data);
        self->cap = cap;
    }
    uint8_t *to = self->data + self->size;
    if (elided) {
        fg_put32 (to, (uint32_t) carried | FGP_BODY_ELIDED);
        memcpy (to + 4, head, head_size);
        memcpy (to + 4 + head_size, entry + S_AFTER, size - S_AFTER);
    }
    else {
        fg_put32 (to, (uint32_t) size);
        memcpy (to + 4, entry, size);
    }
    self->size += 4 + carried;
    self->count++;
    self->follows = followable;
    if (followable) {
        memcpy (self->last_head, entry, S_PREV);
        fg_entry_hash (entry, size, self->last_hash);
    }
    return 0;
}

void
fgp_body_reset (fgp_body_t *self)
{
    assert (self);
    free (self->data);
    memset (self, 0, sizeof *self);
}

uint8_t *
fgp_batch_body_encode (const fgp_batch_entry_t *entries, size_t count, size_t *size_p)
{
    assert (size_p);
    assert (entries || count == 0);
    *size_p = 0;
    fgp_body_t body = { 0 };
    for (size_t i = 0; i < count; i++)
        if (fgp_body_add (&body, entries [i].data, entries [i].size,
                          FGP_MAX_BATCH_RAW, FGP_MAX_BATCH_ENTRIES)) {
            fgp_body_reset (&body);
            return NULL;
        }
    if (!body.data) {
        body.data = (uint8_t *) malloc (1);
        assert (body.data);
    }
    *size_p = body.size;
    return body.data;
}

int
fgp_batch_pack (fgp_msg_t *batch, const uint8_t *raw, size_t raw_size,
                uint32_t count, bool compress)
{
    assert (batch && batch->id == FGP_BATCH);
    assert (raw || raw_size == 0);
    if (!raw)
        raw = s_empty;
    batch->errmsg [0] = 0;
    char *errmsg = batch->errmsg;
    size_t errsize = sizeof batch->errmsg;
    if (raw_size > FGP_MAX_BATCH_RAW) {
        snprintf (errmsg, errsize, "BATCH: raw body of %zu bytes exceeds the limit of %d",
                  raw_size, FGP_MAX_BATCH_RAW);
        return -1;
    }
    if (count > FGP_MAX_BATCH_ENTRIES) {
        snprintf (errmsg, errsize, "BATCH: %u entries exceed the limit of %d",
                  count, FGP_MAX_BATCH_ENTRIES);
        return -1;
    }
    size_t whole_size;
    uint32_t elided;
    if (s_body_whole (raw, raw_size, count, NULL, NULL, &whole_size, &elided, errmsg, errsize))
        return -1;

    uint8_t *body = NULL;
    size_t body_size = 0;
    bool zipped = false;
    if (compress && raw_size > 0) {
        size_t bound = ZSTD_compressBound (raw_size);
        body = (uint8_t *) malloc (bound);
        assert (body);
        size_t rc = ZSTD_compress (body, bound, raw, raw_size, 1);
        if (!ZSTD_isError (rc) && rc < raw_size) {
            zipped = true;
            body_size = rc;
        }
        else {
            free (body);
            body = NULL;
        }
    }
    if (!zipped) {
        body = (uint8_t *) malloc (raw_size ? raw_size : 1);
        assert (body);
        if (raw_size)
            memcpy (body, raw, raw_size);
        body_size = raw_size;
    }
    if (FGP_BATCH_FIXED_SIZE + body_size > FGP_MAX_MSG_SIZE) {
        snprintf (errmsg, errsize, "BATCH: body of %zu bytes would not fit in %d; send fewer entries",
                  body_size, FGP_MAX_MSG_SIZE);
        free (body);
        return -1;
    }
    free (batch->body);
    batch->body = body;
    batch->body_size = body_size;
    batch->raw_size = (uint32_t) raw_size;
    batch->count = count;
    batch->flags = (uint8_t) ((batch->flags & ~FGP_BATCH_ZSTD) | (zipped ? FGP_BATCH_ZSTD : 0));
    return 0;
}

void
fgp_batch_close (fgp_batch_reader_t *reader)
{
    assert (reader);
    free (reader->owned);
    free (reader->elided);
    memset (reader, 0, sizeof *reader);
}

int
fgp_batch_open (fgp_msg_t *batch, fgp_batch_reader_t *reader, char *errbuf, size_t errsize)
{
    assert (batch && batch->id == FGP_BATCH);
    assert (reader);
    memset (reader, 0, sizeof *reader);
    char scratch [1];
    if (!errbuf || errsize == 0) {
        errbuf = scratch;
        errsize = sizeof scratch;
    }
    errbuf [0] = 0;
    uint32_t raw_size = batch->raw_size;
    if (raw_size > FGP_MAX_BATCH_RAW) {
        snprintf (errbuf, errsize, "BATCH: raw_size %u exceeds the limit of %d",
                  raw_size, FGP_MAX_BATCH_RAW);
        return -1;
    }
    if (batch->count > FGP_MAX_BATCH_ENTRIES) {
        snprintf (errbuf, errsize, "BATCH: count %u exceeds the limit of %d",
                  batch->count, FGP_MAX_BATCH_ENTRIES);
        return -1;
    }
    if (batch->body_size > 0 && !batch->body) {
        snprintf (errbuf, errsize, "BATCH: body_size %zu but no body", batch->body_size);
        return -1;
    }
    const uint8_t *raw = batch->body ? batch->body : s_empty;
    if (batch->flags & FGP_BATCH_ZSTD) {
        //  Exactly one frame; if its header states the content size, it
        //  must be raw_size (refused before anything is allocated)
        unsigned long long content = ZSTD_getFrameContentSize (raw, batch->body_size);
        if (content == ZSTD_CONTENTSIZE_ERROR) {
            snprintf (errbuf, errsize, "BATCH: body is not a zstd frame");
            return -1;
        }
        if (content != ZSTD_CONTENTSIZE_UNKNOWN && content != raw_size) {
            snprintf (errbuf, errsize, "BATCH: zstd frame holds %llu bytes, raw_size says %u",
                      content, raw_size);
            return -1;
        }
        size_t frame_size = ZSTD_findFrameCompressedSize (raw, batch->body_size);
        if (ZSTD_isError (frame_size) || frame_size != batch->body_size) {
            snprintf (errbuf, errsize, "BATCH: body is not exactly one zstd frame");
            return -1;
        }
        reader->owned = (uint8_t *) malloc (raw_size ? raw_size : 1);
        assert (reader->owned);
        size_t got = ZSTD_decompress (reader->owned, raw_size, raw, batch->body_size);
        if (ZSTD_isError (got)) {
            snprintf (errbuf, errsize, "BATCH: body does not decompress into raw_size %u: %s",
                      raw_size, ZSTD_getErrorName (got));
            fgp_batch_close (reader);
            return -1;
        }
        if (got != raw_size) {
            snprintf (errbuf, errsize, "BATCH: body decompresses to %zu bytes, raw_size says %u",
                      got, raw_size);
            fgp_batch_close (reader);
            return -1;
        }
        raw = reader->owned;
    }
    else
    if (batch->body_size != raw_size) {
        snprintf (errbuf, errsize, "BATCH: stored body of %zu bytes, but raw_size is %u",
                  batch->body_size, raw_size);
        return -1;
    }
    size_t whole_size;
    uint32_t elided;
    if (s_body_whole (raw, raw_size, batch->count, NULL, NULL, &whole_size, &elided, errbuf, errsize)) {
        fgp_batch_close (reader);
        return -1;
    }
    if (elided) {
        uint8_t *whole = (uint8_t *) malloc (whole_size);
        reader->elided = (bool *) malloc (batch->count * sizeof (bool));
        assert (whole && reader->elided);
        int rc = s_body_whole (raw, raw_size, batch->count, whole, reader->elided, &whole_size, &elided,
                               errbuf, errsize);
        assert (rc == 0);           //  the same walk as just above
        free (reader->owned);
        reader->owned = whole;
        raw = whole;
        raw_size = (uint32_t) whole_size;
    }
    reader->cursor = raw;
    reader->end = raw + raw_size;
    reader->remaining = batch->count;
    reader->ready = true;
    return 0;
}

int
fgp_batch_next (fgp_batch_reader_t *reader, const uint8_t **entry, size_t *size)
{
    assert (reader && entry && size);
    *entry = NULL;
    *size = 0;
    if (!reader->ready)
        return -1;
    if (reader->remaining == 0)
        return reader->cursor == reader->end ? 0 : -1;
    //  fgp_batch_open walked the body already; check again all the same
    if (reader->end - reader->cursor < 4)
        return -1;
    size_t len = fg_get32 (reader->cursor);
    if (len < 1 || len > FG_ENTRY_MAX_SIZE || len > (size_t) (reader->end - reader->cursor - 4))
        return -1;
    *entry = reader->cursor + 4;
    *size = len;
    reader->cursor += 4 + len;
    reader->remaining--;
    reader->index++;
    return 1;
}

bool
fgp_batch_elided (fgp_batch_reader_t *reader)
{
    assert (reader);
    return reader->elided && reader->index > 0 && reader->elided [reader->index - 1];
}
