/*  fgp_bundle.c - the bundle file: encoding, signing, checking, reading.

    The format is drawn byte by byte in fgp_bundle.h and protocol/SPEC.md
    §7; the body is framed as a BATCH body (SPEC.md §4.1), with bundle
    limits (256 MiB raw). Export and import against a replica are in
    fgp_bundle_sync.c.

    Reading checks in the order the bytes come, so that the first thing
    wrong is the one reported, and allocates nothing a field claims before
    that claim is checked against the bytes really there: the file's size
    is bounded before it is read, counts against raw_size, raw_size
    against the limit, and a compressed body is decompressed into a buffer
    that grows only as output really comes out, never past raw_size.
*/
#include "fgp_bundle.h"
#include "fg_util.h"
#include "fg_entry.h"
#include <zstd.h>
#include <sys/stat.h>

struct _fgp_bundle_t {
    fgp_bundle_info_t info;
    uint8_t  *data;                 //  the file's bytes (NULL once a zstd body is decompressed)
    uint8_t  *owned_raw;            //  decompressed body, or NULL
    const uint8_t *raw;             //  the raw body (into data or owned_raw)
    uint8_t   sig [FG_SIG_SIZE];
    bool      verified;
    const uint8_t *cursor;          //  iteration
    uint32_t  remaining;
};

static const uint8_t s_empty [1] = { 0 };

//  --------------------------------------------------------------------------
//  Writing

uint8_t *
fgp_bundle_encode (fg_keys_t *keys, uint16_t from, uint16_t to, int64_t created_ms,
                   const fgp_body_t *body, size_t *size_p, char *errbuf, size_t errsize)
{
    assert (keys && body && size_p);
    *size_p = 0;
    if (from == 0) {
        snprintf (errbuf, errsize, "a bundle must say which node it is from (not node 0)");
        return NULL;
    }
    if (body->count > FGP_BUNDLE_MAX_ENTRIES) {
        snprintf (errbuf, errsize, "%u entries exceed the limit of a bundle (%d)",
                  body->count, FGP_BUNDLE_MAX_ENTRIES);
        return NULL;
    }
    if (body->size > FGP_BUNDLE_MAX_RAW) {
        snprintf (errbuf, errsize, "the entries exceed the %d bytes a bundle may hold",
                  FGP_BUNDLE_MAX_RAW);
        return NULL;
    }
    size_t raw_size = body->size;
    const uint8_t *raw = raw_size ? body->data : s_empty;
    if (fgp_body_walk (raw, raw_size, body->count, "bundle body", errbuf, errsize))
        return NULL;
    //  Compressed only when smaller
    uint8_t flags = 0;
    size_t bound = raw_size ? ZSTD_compressBound (raw_size) : 0;
    size_t capacity = FGP_BUNDLE_MIN_SIZE + (bound > raw_size ? bound : raw_size);
    uint8_t *bytes = (uint8_t *) malloc (capacity);
    assert (bytes);
    size_t body_size = raw_size;
    if (raw_size > 0) {
        size_t rc = ZSTD_compress (bytes + FGP_BUNDLE_HEADER_SIZE, bound, raw, raw_size, 1);
        if (!ZSTD_isError (rc) && rc < raw_size) {
            flags |= FGP_BUNDLE_ZSTD;
            body_size = rc;
        }
    }
    if (!(flags & FGP_BUNDLE_ZSTD) && raw_size)
        memcpy (bytes + FGP_BUNDLE_HEADER_SIZE, raw, raw_size);

    memcpy (bytes, FGP_BUNDLE_MAGIC, 4);
    bytes [4] = FGP_BUNDLE_VERSION;
    fg_put16 (bytes + 5, from);
    fg_put16 (bytes + 7, to);
    fg_put64 (bytes + 9, (uint64_t) created_ms);
    bytes [17] = flags;
    fg_put32 (bytes + 18, body->count);
    fg_put32 (bytes + 22, (uint32_t) raw_size);
    fg_put32 (bytes + 26, (uint32_t) body_size);
    size_t signed_size = FGP_BUNDLE_HEADER_SIZE + body_size;
    uint8_t hash [FG_HASH_SIZE];
    crypto_generichash (hash, FG_HASH_SIZE, bytes, signed_size, NULL, 0);
    fg_keys_sign (keys, hash, FG_HASH_SIZE, bytes + signed_size);
    *size_p = signed_size + FG_SIG_SIZE;
    return bytes;
}

int
fgp_bundle_save (const char *path, fg_keys_t *keys, uint16_t from, uint16_t to,
                 const fgp_body_t *body, size_t *size_p, char *errbuf, size_t errsize)
{
    if (size_p)
        *size_p = 0;
    size_t size;
    uint8_t *bytes = fgp_bundle_encode (keys, from, to, fg_now_ms (), body, &size, errbuf, errsize);
    if (!bytes)
        return -1;
    int rc = fg_file_write (path, bytes, size, 0600);
    if (rc)
        snprintf (errbuf, errsize, "cannot write %s: %s", path, strerror (errno));
    else
    if (size_p)
        *size_p = size;
    free (bytes);
    return rc;
}

//  --------------------------------------------------------------------------
//  Reading

//  Decompress one zstd frame into exactly raw_size bytes. The buffer
//  grows as output comes out (a frame that claims much and yields little
//  costs little), and output past raw_size is refused at the first byte.
static uint8_t *
s_decompress (const uint8_t *body, size_t body_size, size_t raw_size, char *errbuf, size_t errsize)
{
    unsigned long long content = ZSTD_getFrameContentSize (body, body_size);
    if (content == ZSTD_CONTENTSIZE_ERROR) {
        snprintf (errbuf, errsize, "bundle body is not a zstd frame");
        return NULL;
    }
    if (content != ZSTD_CONTENTSIZE_UNKNOWN && content != raw_size) {
        snprintf (errbuf, errsize, "bundle body: zstd frame holds %llu bytes, raw_size says %zu",
                  content, raw_size);
        return NULL;
    }
    size_t frame_size = ZSTD_findFrameCompressedSize (body, body_size);
    if (ZSTD_isError (frame_size) || frame_size != body_size) {
        snprintf (errbuf, errsize, "bundle body is not exactly one zstd frame");
        return NULL;
    }
    ZSTD_DCtx *dctx = ZSTD_createDCtx ();
    assert (dctx);
    //  One byte beyond raw_size, to see a frame that would give more
    size_t limit = raw_size + 1;
    size_t capacity = body_size * 4 > 65536 ? body_size * 4 : 65536;
    if (capacity > limit)
        capacity = limit;
    uint8_t *out = (uint8_t *) malloc (capacity);
    assert (out);
    ZSTD_inBuffer input = { body, body_size, 0 };
    size_t produced = 0;
    bool ok = false;
    while (true) {
        ZSTD_outBuffer output = { out, capacity, produced };
        size_t in_before = input.pos;
        size_t rc = ZSTD_decompressStream (dctx, &output, &input);
        bool progress = input.pos != in_before || output.pos != produced;
        produced = output.pos;
        if (ZSTD_isError (rc)) {
            snprintf (errbuf, errsize, "bundle body does not decompress: %s", ZSTD_getErrorName (rc));
            break;
        }
        if (produced > raw_size) {
            snprintf (errbuf, errsize, "bundle body expands past its raw_size of %zu bytes (refused)",
                      raw_size);
            break;
        }
        if (rc == 0) {                  //  the frame is complete
            if (produced != raw_size)
                snprintf (errbuf, errsize, "bundle body decompresses to %zu bytes, raw_size says %zu",
                          produced, raw_size);
            else
                ok = true;
            break;
        }
        if (produced == capacity) {
            capacity = capacity * 2 < limit ? capacity * 2 : limit;
            out = (uint8_t *) realloc (out, capacity);
            assert (out);
        }
        else
        if (!progress) {
            snprintf (errbuf, errsize, "bundle body: zstd frame is cut short");
            break;
        }
    }
    ZSTD_freeDCtx (dctx);
    if (!ok) {
        free (out);
        return NULL;
    }
    return out;
}

//  Check a bundle held in memory (takes ownership of data).
static fgp_bundle_t *
s_decode (uint8_t *data, size_t size, char *errbuf, size_t errsize)
{
    fgp_bundle_t *self = (fgp_bundle_t *) zmalloc (sizeof (fgp_bundle_t));
    assert (self);
    self->data = data;
    fgp_bundle_info_t *info = &self->info;
    info->file_size = size;
    int rc = 0;
    if (size < FGP_BUNDLE_MIN_SIZE) {
        snprintf (errbuf, errsize, "not a bundle: %zu bytes, a bundle has at least %d (header and signature)",
                  size, FGP_BUNDLE_MIN_SIZE);
        rc = -1;
    }
    if (rc == 0 && memcmp (data, FGP_BUNDLE_MAGIC, 4)) {
        snprintf (errbuf, errsize, "not a bundle: magic %02x %02x %02x %02x, expected \"FGB1\"",
                  data [0], data [1], data [2], data [3]);
        rc = -1;
    }
    if (rc == 0) {
        info->version = data [4];
        info->from = fg_get16 (data + 5);
        info->to = fg_get16 (data + 7);
        info->created_ms = (int64_t) fg_get64 (data + 9);
        info->flags = data [17];
        info->count = fg_get32 (data + 18);
        info->raw_size = fg_get32 (data + 22);
        info->body_size = fg_get32 (data + 26);
    }
    if (rc == 0 && info->version != FGP_BUNDLE_VERSION) {
        snprintf (errbuf, errsize, "bundle format version %u; this fugai reads version %d",
                  info->version, FGP_BUNDLE_VERSION);
        rc = -1;
    }
    if (rc == 0 && info->from == 0) {
        snprintf (errbuf, errsize, "bundle header: from node 0");
        rc = -1;
    }
    if (rc == 0 && (info->flags & ~FGP_BUNDLE_FLAGS)) {
        snprintf (errbuf, errsize, "bundle header: unknown flags 0x%02x", info->flags);
        rc = -1;
    }
    if (rc == 0 && info->raw_size > FGP_BUNDLE_MAX_RAW) {
        snprintf (errbuf, errsize, "bundle header: raw_size %u exceeds the limit of %d",
                  info->raw_size, FGP_BUNDLE_MAX_RAW);
        rc = -1;
    }
    if (rc == 0 && info->count > FGP_BUNDLE_MAX_ENTRIES) {
        snprintf (errbuf, errsize, "bundle header: count %u exceeds the limit of %d",
                  info->count, FGP_BUNDLE_MAX_ENTRIES);
        rc = -1;
    }
    if (rc == 0 && info->count > info->raw_size / FGP_BATCH_ENTRY_MIN) {
        snprintf (errbuf, errsize, "bundle header: count %u entries cannot fit in raw_size %u",
                  info->count, info->raw_size);
        rc = -1;
    }
    if (rc == 0 && !(info->flags & FGP_BUNDLE_ZSTD) && info->body_size != info->raw_size) {
        snprintf (errbuf, errsize, "bundle header: stored body of %u bytes, but raw_size is %u",
                  info->body_size, info->raw_size);
        rc = -1;
    }
    if (rc == 0 && info->body_size > size - FGP_BUNDLE_MIN_SIZE) {
        snprintf (errbuf, errsize, "bundle cut short: the body of %u bytes and the signature need %zu "
                  "bytes, the file has %zu", info->body_size,
                  (size_t) info->body_size + FGP_BUNDLE_MIN_SIZE, size);
        rc = -1;
    }
    if (rc == 0 && info->body_size < size - FGP_BUNDLE_MIN_SIZE) {
        snprintf (errbuf, errsize, "bundle has %zu bytes after its signature",
                  size - FGP_BUNDLE_MIN_SIZE - info->body_size);
        rc = -1;
    }
    if (rc == 0) {
        size_t signed_size = FGP_BUNDLE_HEADER_SIZE + (size_t) info->body_size;
        crypto_generichash (info->hash, FG_HASH_SIZE, data, signed_size, NULL, 0);
        memcpy (self->sig, data + signed_size, FG_SIG_SIZE);
        const uint8_t *body = data + FGP_BUNDLE_HEADER_SIZE;
        if (info->flags & FGP_BUNDLE_ZSTD) {
            self->owned_raw = s_decompress (body, info->body_size, info->raw_size, errbuf, errsize);
            if (!self->owned_raw)
                rc = -1;
            self->raw = self->owned_raw;
        }
        else
            self->raw = info->raw_size ? body : s_empty;
    }
    if (rc == 0 && fgp_body_walk (self->raw, info->raw_size, info->count, "bundle body", errbuf, errsize))
        rc = -1;
    if (rc == 0 && self->owned_raw) {
        //  The compressed bytes are no longer needed
        free (self->data);
        self->data = NULL;
    }
    if (rc) {
        fgp_bundle_destroy (&self);
        return NULL;
    }
    self->cursor = self->raw;
    self->remaining = info->count;
    return self;
}

fgp_bundle_t *
fgp_bundle_decode (const uint8_t *data, size_t size, char *errbuf, size_t errsize)
{
    char scratch [1];
    if (!errbuf || errsize == 0) {
        errbuf = scratch;
        errsize = sizeof scratch;
    }
    errbuf [0] = 0;
    assert (data || size == 0);
    uint8_t *copy = (uint8_t *) malloc (size ? size : 1);
    assert (copy);
    if (size)
        memcpy (copy, data, size);
    return s_decode (copy, size, errbuf, errsize);
}

fgp_bundle_t *
fgp_bundle_open (const char *path, char *errbuf, size_t errsize)
{
    char scratch [1];
    if (!errbuf || errsize == 0) {
        errbuf = scratch;
        errsize = sizeof scratch;
    }
    errbuf [0] = 0;
    int fd = open (path, O_RDONLY);
    if (fd < 0) {
        snprintf (errbuf, errsize, "cannot open %s: %s", path, strerror (errno));
        return NULL;
    }
    struct stat st;
    if (fstat (fd, &st) || !S_ISREG (st.st_mode)) {
        snprintf (errbuf, errsize, "%s is not a regular file", path);
        close (fd);
        return NULL;
    }
    //  Bounded before anything is read
    if ((uint64_t) st.st_size > FGP_BUNDLE_MAX_FILE) {
        snprintf (errbuf, errsize, "%s: %llu bytes is larger than any bundle can be (at most %zu)",
                  path, (unsigned long long) st.st_size, FGP_BUNDLE_MAX_FILE);
        close (fd);
        return NULL;
    }
    size_t size = (size_t) st.st_size;
    uint8_t *data = (uint8_t *) malloc (size ? size : 1);
    assert (data);
    size_t got = 0;
    errno = 0;
    while (got < size) {
        ssize_t n = read (fd, data + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t) n;
    }
    //  A file that grows while it is read is not the file we measured
    uint8_t extra;
    bool more = got == size && read (fd, &extra, 1) == 1;
    close (fd);
    if (got != size || more) {
        snprintf (errbuf, errsize, "cannot read %s: %s", path,
                  got != size ? (errno ? strerror (errno) : "it shrank while read") : "it grew while read");
        free (data);
        return NULL;
    }
    return s_decode (data, size, errbuf, errsize);
}

void
fgp_bundle_destroy (fgp_bundle_t **self_p)
{
    assert (self_p);
    fgp_bundle_t *self = *self_p;
    if (self) {
        free (self->data);
        free (self->owned_raw);
        free (self);
        *self_p = NULL;
    }
}

const fgp_bundle_info_t *
fgp_bundle_info (fgp_bundle_t *self)
{
    assert (self);
    return &self->info;
}

int
fgp_bundle_verify (fgp_bundle_t *self, const uint8_t pk [FG_SIGN_PK_SIZE])
{
    assert (self && pk);
    self->verified = fg_sign_verify (self->sig, self->info.hash, FG_HASH_SIZE, pk) == 0;
    return self->verified ? 0 : -1;
}

bool
fgp_bundle_verified (fgp_bundle_t *self)
{
    assert (self);
    return self->verified;
}

int
fgp_bundle_next (fgp_bundle_t *self, const uint8_t **entry, size_t *size)
{
    assert (self && entry && size);
    *entry = NULL;
    *size = 0;
    if (!self->verified)
        return -1;
    if (self->remaining == 0)
        return 0;
    //  s_decode walked the body: each length is within it
    size_t len = fg_get32 (self->cursor);
    *entry = self->cursor + 4;
    *size = len;
    self->cursor += 4 + len;
    self->remaining--;
    return 1;
}
