/*  fgp_msg.c - the wire codec: one message body <-> fgp_msg_t.

    This file owns the byte layout of every protocol message. The table of
    messages is in fgp_msg.h and protocol/SPEC.md §3; here each message is
    drawn offset by offset beside the code that reads it. The decoder trusts
    nothing: every read is bounds-checked by one reader (s_reader_t) whose
    first failure is the reason reported; every count is checked against
    its limit AND against the bytes left before anything is allocated, so
    a message can never make us allocate more than about its own size.
    The encoder refuses what the decoder would refuse, so that a message we
    send is always one the peer can read.

    BATCH bodies (their framing and compression) live in fgp_batch.c.
*/
#include "fgp_msg.h"
#include "fg_util.h"
#include "fg_entry.h"
#include "fg_keys.h"
#include "fg_ops.h"

//  --------------------------------------------------------------------
//  Names

const char *
fgp_msg_name (int id)
{
    switch (id) {
        case FGP_HELLO:   return "HELLO";
        case FGP_WELCOME: return "WELCOME";
        case FGP_BATCH:   return "BATCH";
        case FGP_ACK:     return "ACK";
        case FGP_PING:    return "PING";
        case FGP_PONG:    return "PONG";
        case FGP_ERROR:   return "ERROR";
        default:          return "UNKNOWN";
    }
}

const char *
fgp_error_text (int code)
{
    switch (code) {
        case FGP_ERR_PROTOCOL:        return "incompatible protocol version";
        case FGP_ERR_SCHEMA:          return "incompatible schema version";
        case FGP_ERR_NOT_ENROLLED:    return "not enrolled, or identity does not match the enrolled key";
        case FGP_ERR_REVOKED:         return "key revoked";
        case FGP_ERR_MALFORMED:       return "malformed message";
        case FGP_ERR_UNKNOWN_SESSION: return "unknown session";
        case FGP_ERR_INTERNAL:        return "internal error at the peer; retry later";
        case FGP_ERR_TOO_LARGE:       return "message too large";
        default:                      return "unknown error";
    }
}

//  --------------------------------------------------------------------
//  Constructor, destructor, setters

fgp_msg_t *
fgp_msg_new (int id)
{
    assert (id >= FGP_MSG_ID_MIN && id <= FGP_MSG_ID_MAX);
    fgp_msg_t *self = (fgp_msg_t *) zmalloc (sizeof (fgp_msg_t));
    assert (self);
    self->id = id;
    return self;
}

void
fgp_msg_destroy (fgp_msg_t **self_p)
{
    assert (self_p);
    fgp_msg_t *self = *self_p;
    if (self) {
        free (self->frontier);
        free (self->wants);
        free (self->body);
        free (self);
        *self_p = NULL;
    }
}

void
fgp_msg_frontier_add (fgp_msg_t *self, uint16_t origin, uint64_t seq,
                      const uint8_t hash [FG_HASH_SIZE])
{
    assert (self);
    //  Grow by doubling: capacity is the next power of two >= count
    uint32_t count = self->frontier_count;
    if ((count & (count - 1)) == 0) {
        size_t cap = count ? (size_t) count * 2 : 1;
        self->frontier = (fgp_frontier_t *) realloc (self->frontier, cap * sizeof (fgp_frontier_t));
        assert (self->frontier);
    }
    fgp_frontier_t *row = &self->frontier [count];
    row->origin = origin;
    row->seq = seq;
    memcpy (row->hash, hash, FG_HASH_SIZE);
    self->frontier_count = count + 1;
}

void
fgp_msg_want_add (fgp_msg_t *self, uint16_t origin, uint64_t from_seq)
{
    assert (self);
    assert (self->wants_count < UINT16_MAX);
    uint16_t count = self->wants_count;
    if ((count & (count - 1)) == 0) {
        size_t cap = count ? (size_t) count * 2 : 1;
        self->wants = (fgp_want_t *) realloc (self->wants, cap * sizeof (fgp_want_t));
        assert (self->wants);
    }
    self->wants [count].origin = origin;
    self->wants [count].from_seq = from_seq;
    self->wants_count = count + 1;
}

//  Copy text into a string field (FGP_STRING_MAX + 1 bytes): invalid UTF-8
//  bytes become '?', and the copy stops before a character that would not
//  fit, so the result is always a valid string field.
static void
s_text_copy (char *dest, const char *text)
{
    const uint8_t *src = (const uint8_t *) text;
    size_t len = strlen (text);
    size_t in = 0, out = 0;
    while (in < len) {
        uint8_t c = src [in];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4 : 0;
        bool valid = n > 0 && in + n <= len && fg_utf8_valid (src + in, n);
        if (!valid)
            n = 1;
        if (out + n > FGP_STRING_MAX)
            break;
        if (valid)
            memcpy (dest + out, src + in, n);
        else
            dest [out] = '?';
        out += n;
        in += n;
    }
    dest [out] = 0;
}

void
fgp_msg_set_software (fgp_msg_t *self, const char *software)
{
    assert (self && software);
    s_text_copy (self->software, software);
}

void
fgp_msg_set_reason (fgp_msg_t *self, const char *format, ...)
{
    assert (self && format);
    char text [1024];
    va_list args;
    va_start (args, format);
    vsnprintf (text, sizeof text, format, args);
    va_end (args);
    s_text_copy (self->reason, text);
}

//  --------------------------------------------------------------------
//  Decoding

//  A bounds-checked reader over one body. After the first failure every
//  read returns zero and the first reason stays in errbuf.
typedef struct {
    const uint8_t *p;
    const uint8_t *end;
    const char    *name;            //  message name, prefixed to reasons
    char          *errbuf;
    size_t         errsize;
    bool           failed;
} s_reader_t;

static void s_fail (s_reader_t *r, const char *format, ...) CHECK_PRINTF (2);
static void
s_fail (s_reader_t *r, const char *format, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    if (r->errbuf && r->errsize) {
        char text [200];
        va_list args;
        va_start (args, format);
        vsnprintf (text, sizeof text, format, args);
        va_end (args);
        snprintf (r->errbuf, r->errsize, "%s: %s", r->name, text);
    }
}

static size_t
s_left (s_reader_t *r)
{
    return (size_t) (r->end - r->p);
}

//  True if `bytes` more bytes can be read for `field`.
static bool
s_need (s_reader_t *r, const char *field, size_t bytes)
{
    if (r->failed)
        return false;
    if (s_left (r) < bytes) {
        s_fail (r, "%s cut short (needs %zu bytes, %zu left)", field, bytes, s_left (r));
        return false;
    }
    return true;
}

static uint8_t
s_u8 (s_reader_t *r, const char *field)
{
    if (!s_need (r, field, 1))
        return 0;
    return *r->p++;
}

static uint16_t
s_u16 (s_reader_t *r, const char *field)
{
    if (!s_need (r, field, 2))
        return 0;
    uint16_t value = fg_get16 (r->p);
    r->p += 2;
    return value;
}

static uint32_t
s_u32 (s_reader_t *r, const char *field)
{
    if (!s_need (r, field, 4))
        return 0;
    uint32_t value = fg_get32 (r->p);
    r->p += 4;
    return value;
}

static uint64_t
s_u64 (s_reader_t *r, const char *field)
{
    if (!s_need (r, field, 8))
        return 0;
    uint64_t value = fg_get64 (r->p);
    r->p += 8;
    return value;
}

static int64_t
s_i64 (s_reader_t *r, const char *field)
{
    return (int64_t) s_u64 (r, field);
}

//  string = u16 length (<= FGP_STRING_MAX), then UTF-8 bytes, no NUL
static void
s_string (s_reader_t *r, const char *field, char out [FGP_STRING_MAX + 1])
{
    out [0] = 0;
    size_t len = s_u16 (r, field);
    if (r->failed)
        return;
    if (len > FGP_STRING_MAX) {
        s_fail (r, "%s length %zu exceeds the limit of %d", field, len, FGP_STRING_MAX);
        return;
    }
    if (!s_need (r, field, len))
        return;
    if (!fg_utf8_valid (r->p, len)) {
        s_fail (r, "%s is not valid UTF-8 (or holds a NUL)", field);
        return;
    }
    memcpy (out, r->p, len);
    out [len] = 0;
    r->p += len;
}

//  A count of rows of row_size bytes each: within the limit, and within
//  the bytes left, so that the array it sizes is never larger than the
//  message justifies.
static size_t
s_count_check (s_reader_t *r, const char *field, size_t count, size_t limit, size_t row_size)
{
    if (r->failed)
        return 0;
    if (count > limit) {
        s_fail (r, "%s %zu exceeds the limit of %zu", field, count, limit);
        return 0;
    }
    if (count > s_left (r) / row_size) {
        s_fail (r, "%s %zu needs %zu bytes, %zu left", field, count, count * row_size, s_left (r));
        return 0;
    }
    return count;
}

static uint8_t
s_stream (s_reader_t *r)
{
    uint8_t stream = s_u8 (r, "stream");
    if (!r->failed && stream != FGP_STREAM_UP && stream != FGP_STREAM_DOWN)
        s_fail (r, "stream %u is neither 1 (up) nor 2 (down)", stream);
    return stream;
}

static uint8_t
s_flags (s_reader_t *r, uint8_t known)
{
    uint8_t flags = s_u8 (r, "flags");
    if (!r->failed && (flags & ~known))
        s_fail (r, "flags 0x%02x have unknown bits 0x%02x", flags, flags & ~known);
    return flags;
}

//  wants_count u16, then wants_count * (origin u16, from_seq u64)
static void
s_wants (s_reader_t *r, fgp_msg_t *self)
{
    size_t count = s_count_check (r, "wants_count", s_u16 (r, "wants_count"),
                                  FGP_MAX_WANTS, FGP_WANT_ROW_SIZE);
    if (r->failed || count == 0)
        return;
    self->wants = (fgp_want_t *) malloc (count * sizeof (fgp_want_t));
    assert (self->wants);
    self->wants_count = (uint16_t) count;
    for (size_t i = 0; i < count; i++) {
        self->wants [i].origin = s_u16 (r, "want origin");
        self->wants [i].from_seq = s_u64 (r, "want from_seq");
    }
}

fgp_msg_t *
fgp_msg_decode (const uint8_t *data, size_t size, char *errbuf, size_t errsize)
{
    if (errbuf && errsize)
        errbuf [0] = 0;
    s_reader_t reader = { NULL, NULL, "message", errbuf, errsize, false };
    s_reader_t *r = &reader;
    if (size > FGP_MAX_MSG_SIZE) {
        s_fail (r, "%zu bytes exceed the limit of %d", size, FGP_MAX_MSG_SIZE);
        return NULL;
    }
    //  OFFSET 0 signature "FG", 2 id
    if (size < FGP_HEADER_SIZE) {
        s_fail (r, "%zu bytes are shorter than the %d-byte header", size, FGP_HEADER_SIZE);
        return NULL;
    }
    if (data [0] != 'F' || data [1] != 'G') {
        s_fail (r, "signature is 0x%02x 0x%02x, not \"FG\"", data [0], data [1]);
        return NULL;
    }
    int id = data [2];
    if (id < FGP_MSG_ID_MIN || id > FGP_MSG_ID_MAX) {
        s_fail (r, "unknown message id %d", id);
        return NULL;
    }
    r->p = data + FGP_HEADER_SIZE;
    r->end = data + size;
    r->name = fgp_msg_name (id);
    fgp_msg_t *self = fgp_msg_new (id);

    switch (id) {
        case FGP_HELLO: {
            //  OFFSET SIZE  FIELD
            //  3      2     proto_min          17     8    session
            //  5      2     proto_max          25     8    down_cursor
            //  7      4     schema_version     33     8    now_ms
            //  11     2     node_id            41     2+S  software
            //  13     4     epoch              43+S   4    frontier_count F
            //  47+S   42*F  rows: origin u16, seq u64, hash 32
            self->proto_min = s_u16 (r, "proto_min");
            self->proto_max = s_u16 (r, "proto_max");
            self->schema_version = s_u32 (r, "schema_version");
            self->node_id = s_u16 (r, "node_id");
            self->epoch = s_u32 (r, "epoch");
            self->session = s_u64 (r, "session");
            self->down_cursor = s_u64 (r, "down_cursor");
            self->now_ms = s_i64 (r, "now_ms");
            s_string (r, "software", self->software);
            size_t count = s_count_check (r, "frontier_count", s_u32 (r, "frontier_count"),
                                          FGP_MAX_FRONTIER, FGP_FRONTIER_ROW_SIZE);
            if (!r->failed && count > 0) {
                self->frontier = (fgp_frontier_t *) malloc (count * sizeof (fgp_frontier_t));
                assert (self->frontier);
                self->frontier_count = (uint32_t) count;
                for (size_t i = 0; i < count; i++) {
                    fgp_frontier_t *row = &self->frontier [i];
                    row->origin = s_u16 (r, "frontier origin");
                    row->seq = s_u64 (r, "frontier seq");
                    if (s_need (r, "frontier hash", FG_HASH_SIZE)) {
                        memcpy (row->hash, r->p, FG_HASH_SIZE);
                        r->p += FG_HASH_SIZE;
                    }
                }
            }
            break;
        }
        case FGP_WELCOME:
            //  3 proto 2, 5 schema_version 4, 9 node_id 2, 11 session 8,
            //  19 up_cursor 8, 27 credit 2, 29 now_ms 8, 37 heartbeat_ms 4,
            //  41 wants_count 2 (W), 43 rows 10*W: origin u16, from_seq u64
            self->proto = s_u16 (r, "proto");
            self->schema_version = s_u32 (r, "schema_version");
            self->node_id = s_u16 (r, "node_id");
            self->session = s_u64 (r, "session");
            self->up_cursor = s_u64 (r, "up_cursor");
            self->credit = s_u16 (r, "credit");
            self->now_ms = s_i64 (r, "now_ms");
            self->heartbeat_ms = s_u32 (r, "heartbeat_ms");
            s_wants (r, self);
            break;

        case FGP_BATCH: {
            //  3 session 8, 11 stream 1, 12 gen 4, 16 prev 8, 24 last 8,
            //  32 flags 1, 33 raw_size 4, 37 count 4, 41 body length 4 (B),
            //  45 body B
            self->session = s_u64 (r, "session");
            self->stream = s_stream (r);
            self->gen = s_u32 (r, "gen");
            self->prev = s_u64 (r, "prev");
            self->last = s_u64 (r, "last");
            self->flags = s_flags (r, FGP_BATCH_FLAGS);
            self->raw_size = s_u32 (r, "raw_size");
            if (!r->failed && self->raw_size > FGP_MAX_BATCH_RAW)
                s_fail (r, "raw_size %u exceeds the limit of %d", self->raw_size, FGP_MAX_BATCH_RAW);
            self->count = s_u32 (r, "count");
            if (!r->failed && self->count > FGP_MAX_BATCH_ENTRIES)
                s_fail (r, "count %u exceeds the limit of %d", self->count, FGP_MAX_BATCH_ENTRIES);
            if (!r->failed && self->count > self->raw_size / FGP_BATCH_ENTRY_MIN)
                s_fail (r, "count %u entries cannot fit in raw_size %u", self->count, self->raw_size);
            size_t body_size = s_u32 (r, "body length");
            if (!r->failed && body_size > s_left (r))
                s_fail (r, "body length %zu exceeds the %zu bytes left", body_size, s_left (r));
            if (!r->failed && !(self->flags & FGP_BATCH_ZSTD) && body_size != self->raw_size)
                s_fail (r, "stored body of %zu bytes, but raw_size is %u", body_size, self->raw_size);
            if (!r->failed && body_size > 0) {
                self->body = (uint8_t *) malloc (body_size);
                assert (self->body);
                memcpy (self->body, r->p, body_size);
                self->body_size = body_size;
                r->p += body_size;
            }
            break;
        }
        case FGP_ACK:
            //  3 session 8, 11 stream 1, 12 gen 4, 16 cursor 8, 24 flags 1,
            //  25 credit 2, 27 applied 4, 31 duplicate 4, 35 buffered 4,
            //  39 quarantined 4, 43 wants_count 2 (W), 45 rows 10*W
            self->session = s_u64 (r, "session");
            self->stream = s_stream (r);
            self->gen = s_u32 (r, "gen");
            self->cursor = s_u64 (r, "cursor");
            self->flags = s_flags (r, FGP_ACK_FLAGS);
            self->credit = s_u16 (r, "credit");
            self->applied = s_u32 (r, "applied");
            self->duplicate = s_u32 (r, "duplicate");
            self->buffered = s_u32 (r, "buffered");
            self->quarantined = s_u32 (r, "quarantined");
            s_wants (r, self);
            break;

        case FGP_PING:
            //  3 session 8, 11 now_ms 8
            self->session = s_u64 (r, "session");
            self->now_ms = s_i64 (r, "now_ms");
            break;

        case FGP_PONG:
            //  3 session 8, 11 now_ms 8, 19 echo_ms 8
            self->session = s_u64 (r, "session");
            self->now_ms = s_i64 (r, "now_ms");
            self->echo_ms = s_i64 (r, "echo_ms");
            break;

        case FGP_ERROR:
            //  3 code 2, 5 reason 2+R
            self->code = s_u16 (r, "code");
            s_string (r, "reason", self->reason);
            break;
    }
    if (!r->failed && r->p != r->end)
        s_fail (r, "%zu trailing bytes after the last field", s_left (r));
    if (r->failed)
        fgp_msg_destroy (&self);
    return self;
}

//  --------------------------------------------------------------------
//  Encoding

static int s_refuse (fgp_msg_t *self, const char *format, ...) CHECK_PRINTF (2);
static int
s_refuse (fgp_msg_t *self, const char *format, ...)
{
    char text [100];
    va_list args;
    va_start (args, format);
    vsnprintf (text, sizeof text, format, args);
    va_end (args);
    snprintf (self->errmsg, sizeof self->errmsg, "%s: %s", fgp_msg_name (self->id), text);
    return -1;
}

//  0 if a string field encodes; else -1 with the reason.
static int
s_check_string (fgp_msg_t *self, const char *field, const char *text)
{
    size_t len = strnlen (text, FGP_STRING_MAX + 1);
    if (len > FGP_STRING_MAX)
        return s_refuse (self, "%s longer than %d bytes", field, FGP_STRING_MAX);
    if (!fg_utf8_valid ((const uint8_t *) text, len))
        return s_refuse (self, "%s is not valid UTF-8", field);
    return 0;
}

static int
s_check_wants (fgp_msg_t *self)
{
    if (self->wants_count > FGP_MAX_WANTS)
        return s_refuse (self, "wants_count %u exceeds the limit of %d",
                         self->wants_count, FGP_MAX_WANTS);
    if (self->wants_count > 0 && !self->wants)
        return s_refuse (self, "wants_count %u but no wants", self->wants_count);
    return 0;
}

static int
s_check_stream (fgp_msg_t *self)
{
    if (self->stream != FGP_STREAM_UP && self->stream != FGP_STREAM_DOWN)
        return s_refuse (self, "stream %u is neither 1 (up) nor 2 (down)", self->stream);
    return 0;
}

//  Check every field the decoder checks and compute the encoded size.
static int
s_check (fgp_msg_t *self, size_t *size_p)
{
    *size_p = 0;
    size_t size = FGP_HEADER_SIZE;
    int rc = 0;
    switch (self->id) {
        case FGP_HELLO:
            rc = s_check_string (self, "software", self->software);
            if (rc == 0 && self->frontier_count > FGP_MAX_FRONTIER)
                rc = s_refuse (self, "frontier_count %u exceeds the limit of %d",
                               self->frontier_count, FGP_MAX_FRONTIER);
            if (rc == 0 && self->frontier_count > 0 && !self->frontier)
                rc = s_refuse (self, "frontier_count %u but no frontier", self->frontier_count);
            size += 44 + strnlen (self->software, FGP_STRING_MAX + 1)
                  + (size_t) self->frontier_count * FGP_FRONTIER_ROW_SIZE;
            break;
        case FGP_WELCOME:
            rc = s_check_wants (self);
            size += 40 + (size_t) self->wants_count * FGP_WANT_ROW_SIZE;
            break;
        case FGP_BATCH:
            rc = s_check_stream (self);
            if (rc == 0 && (self->flags & ~FGP_BATCH_FLAGS))
                rc = s_refuse (self, "flags 0x%02x have unknown bits", self->flags);
            if (rc == 0 && self->raw_size > FGP_MAX_BATCH_RAW)
                rc = s_refuse (self, "raw_size %u exceeds the limit of %d",
                               self->raw_size, FGP_MAX_BATCH_RAW);
            if (rc == 0 && self->count > FGP_MAX_BATCH_ENTRIES)
                rc = s_refuse (self, "count %u exceeds the limit of %d",
                               self->count, FGP_MAX_BATCH_ENTRIES);
            if (rc == 0 && self->count > self->raw_size / FGP_BATCH_ENTRY_MIN)
                rc = s_refuse (self, "count %u entries cannot fit in raw_size %u",
                               self->count, self->raw_size);
            if (rc == 0 && self->body_size > 0 && !self->body)
                rc = s_refuse (self, "body_size %zu but no body", self->body_size);
            if (rc == 0 && !(self->flags & FGP_BATCH_ZSTD) && self->body_size != self->raw_size)
                rc = s_refuse (self, "stored body of %zu bytes, but raw_size is %u",
                               self->body_size, self->raw_size);
            if (rc == 0 && self->body_size > FGP_MAX_MSG_SIZE)
                rc = s_refuse (self, "body of %zu bytes is too large", self->body_size);
            size += 42 + self->body_size;
            break;
        case FGP_ACK:
            rc = s_check_stream (self);
            if (rc == 0 && (self->flags & ~FGP_ACK_FLAGS))
                rc = s_refuse (self, "flags 0x%02x have unknown bits", self->flags);
            if (rc == 0)
                rc = s_check_wants (self);
            size += 42 + (size_t) self->wants_count * FGP_WANT_ROW_SIZE;
            break;
        case FGP_PING:
            size += 16;
            break;
        case FGP_PONG:
            size += 24;
            break;
        case FGP_ERROR:
            rc = s_check_string (self, "reason", self->reason);
            size += 4 + strnlen (self->reason, FGP_STRING_MAX + 1);
            break;
        default:
            snprintf (self->errmsg, sizeof self->errmsg, "unknown message id %d", self->id);
            rc = -1;
    }
    if (rc == 0 && size > FGP_MAX_MSG_SIZE)
        rc = s_refuse (self, "%zu bytes exceed the limit of %d", size, FGP_MAX_MSG_SIZE);
    if (rc == 0)
        *size_p = size;
    return rc;
}

//  Writer over a buffer sized exactly by s_check; overruns are our bugs.
typedef struct {
    uint8_t *p;
    uint8_t *end;
} s_writer_t;

static void
s_w8 (s_writer_t *w, uint8_t value)
{
    assert (w->end - w->p >= 1);
    *w->p++ = value;
}

static void
s_w16 (s_writer_t *w, uint16_t value)
{
    assert (w->end - w->p >= 2);
    fg_put16 (w->p, value);
    w->p += 2;
}

static void
s_w32 (s_writer_t *w, uint32_t value)
{
    assert (w->end - w->p >= 4);
    fg_put32 (w->p, value);
    w->p += 4;
}

static void
s_w64 (s_writer_t *w, uint64_t value)
{
    assert (w->end - w->p >= 8);
    fg_put64 (w->p, value);
    w->p += 8;
}

static void
s_wbytes (s_writer_t *w, const void *data, size_t size)
{
    assert ((size_t) (w->end - w->p) >= size);
    if (size)
        memcpy (w->p, data, size);
    w->p += size;
}

static void
s_wstring (s_writer_t *w, const char *text)
{
    size_t len = strlen (text);
    s_w16 (w, (uint16_t) len);
    s_wbytes (w, text, len);
}

static void
s_wwants (s_writer_t *w, fgp_msg_t *self)
{
    s_w16 (w, self->wants_count);
    for (size_t i = 0; i < self->wants_count; i++) {
        s_w16 (w, self->wants [i].origin);
        s_w64 (w, self->wants [i].from_seq);
    }
}

uint8_t *
fgp_msg_encode (fgp_msg_t *self, size_t *size_p)
{
    assert (self && size_p);
    *size_p = 0;
    self->errmsg [0] = 0;
    size_t size;
    if (s_check (self, &size))
        return NULL;
    uint8_t *data = (uint8_t *) malloc (size);
    assert (data);
    s_writer_t writer = { data, data + size };
    s_writer_t *w = &writer;
    s_w8 (w, 'F');
    s_w8 (w, 'G');
    s_w8 (w, (uint8_t) self->id);
    switch (self->id) {
        case FGP_HELLO:
            s_w16 (w, self->proto_min);
            s_w16 (w, self->proto_max);
            s_w32 (w, self->schema_version);
            s_w16 (w, self->node_id);
            s_w32 (w, self->epoch);
            s_w64 (w, self->session);
            s_w64 (w, self->down_cursor);
            s_w64 (w, (uint64_t) self->now_ms);
            s_wstring (w, self->software);
            s_w32 (w, self->frontier_count);
            for (size_t i = 0; i < self->frontier_count; i++) {
                s_w16 (w, self->frontier [i].origin);
                s_w64 (w, self->frontier [i].seq);
                s_wbytes (w, self->frontier [i].hash, FG_HASH_SIZE);
            }
            break;
        case FGP_WELCOME:
            s_w16 (w, self->proto);
            s_w32 (w, self->schema_version);
            s_w16 (w, self->node_id);
            s_w64 (w, self->session);
            s_w64 (w, self->up_cursor);
            s_w16 (w, self->credit);
            s_w64 (w, (uint64_t) self->now_ms);
            s_w32 (w, self->heartbeat_ms);
            s_wwants (w, self);
            break;
        case FGP_BATCH:
            s_w64 (w, self->session);
            s_w8 (w, self->stream);
            s_w32 (w, self->gen);
            s_w64 (w, self->prev);
            s_w64 (w, self->last);
            s_w8 (w, self->flags);
            s_w32 (w, self->raw_size);
            s_w32 (w, self->count);
            s_w32 (w, (uint32_t) self->body_size);
            s_wbytes (w, self->body, self->body_size);
            break;
        case FGP_ACK:
            s_w64 (w, self->session);
            s_w8 (w, self->stream);
            s_w32 (w, self->gen);
            s_w64 (w, self->cursor);
            s_w8 (w, self->flags);
            s_w16 (w, self->credit);
            s_w32 (w, self->applied);
            s_w32 (w, self->duplicate);
            s_w32 (w, self->buffered);
            s_w32 (w, self->quarantined);
            s_wwants (w, self);
            break;
        case FGP_PING:
            s_w64 (w, self->session);
            s_w64 (w, (uint64_t) self->now_ms);
            break;
        case FGP_PONG:
            s_w64 (w, self->session);
            s_w64 (w, (uint64_t) self->now_ms);
            s_w64 (w, (uint64_t) self->echo_ms);
            break;
        case FGP_ERROR:
            s_w16 (w, self->code);
            s_wstring (w, self->reason);
            break;
    }
    assert (w->p == w->end);
    *size_p = size;
    return data;
}

//  --------------------------------------------------------------------
//  Sockets

static void
s_free_data (void *data, void *hint)
{
    free (data);
}

int
fgp_msg_send (fgp_msg_t *self, zsock_t *sock, zframe_t *routing_id)
{
    assert (self && sock);
    size_t size;
    uint8_t *data = fgp_msg_encode (self, &size);
    if (!data)
        return -1;
    if (routing_id) {
        zframe_t *frame = routing_id;
        if (zframe_send (&frame, sock, ZFRAME_MORE | ZFRAME_REUSE)) {
            snprintf (self->errmsg, sizeof self->errmsg, "%s: routing id not sent: %s",
                      fgp_msg_name (self->id), zmq_strerror (zmq_errno ()));
            free (data);
            return -1;
        }
    }
    //  Hand the buffer to libzmq without a copy; it frees it when sent
    zmq_msg_t msg;
    int rc = zmq_msg_init_data (&msg, data, size, s_free_data, NULL);
    assert (rc == 0);
    if (zmq_msg_send (&msg, zsock_resolve (sock), 0) == -1) {
        snprintf (self->errmsg, sizeof self->errmsg, "%s: not sent: %s",
                  fgp_msg_name (self->id), zmq_strerror (zmq_errno ()));
        zmq_msg_close (&msg);
        return -1;
    }
    return 0;
}

fgp_msg_t *
fgp_msg_recv (zsock_t *sock, zframe_t **routing_id_p, char **user_id_p,
              char *errbuf, size_t errsize)
{
    assert (sock);
    char scratch [1];
    if (!errbuf || errsize == 0) {
        errbuf = scratch;
        errsize = sizeof scratch;
    }
    errbuf [0] = 0;
    if (routing_id_p)
        *routing_id_p = NULL;
    if (user_id_p)
        *user_id_p = NULL;
    bool router = zsock_type (sock) == ZMQ_ROUTER;
    assert (!router || routing_id_p);       //  a ROUTER caller must take the id

    if (router) {
        zframe_t *routing_id = zframe_recv (sock);
        if (!routing_id)
            return NULL;                    //  interrupted or timed out
        *routing_id_p = routing_id;
        if (!zframe_more (routing_id)) {
            snprintf (errbuf, errsize, "message: no body after the routing id");
            return NULL;
        }
    }
    zframe_t *body = zframe_recv (sock);
    if (!body) {
        if (router)
            snprintf (errbuf, errsize, "message: body frame lost after the routing id");
        return NULL;
    }
    if (user_id_p) {
        const char *user_id = zframe_meta (body, "User-Id");
        if (user_id) {
            *user_id_p = strdup (user_id);
            assert (*user_id_p);
        }
    }
    //  A message is one frame: drain and refuse any more, one part at a
    //  time so that a peer cannot make us hold many parts at once.
    size_t extra = 0;
    bool more = zframe_more (body);
    while (more) {
        zmq_msg_t part;
        zmq_msg_init (&part);
        if (zmq_msg_recv (&part, zsock_resolve (sock), 0) == -1) {
            zmq_msg_close (&part);
            break;
        }
        more = zmq_msg_more (&part);
        zmq_msg_close (&part);
        extra++;
    }
    fgp_msg_t *self = NULL;
    if (extra)
        snprintf (errbuf, errsize, "message: %zu frame(s) after the body; a message is one frame", extra);
    else
        self = fgp_msg_decode (zframe_data (body), zframe_size (body), errbuf, errsize);
    zframe_destroy (&body);
    return self;
}

void
fgp_msg_print (fgp_msg_t *self, FILE *file)
{
    assert (self && file);
    fprintf (file, "%s", fgp_msg_name (self->id));
    switch (self->id) {
        case FGP_HELLO:
            fprintf (file, " proto=%u..%u schema=%u node=%u epoch=%u session=%" PRIu64
                     " down_cursor=%" PRIu64 " now=%" PRId64 " software='%s' frontier=%u",
                     self->proto_min, self->proto_max, self->schema_version, self->node_id,
                     self->epoch, self->session, self->down_cursor, self->now_ms,
                     self->software, self->frontier_count);
            break;
        case FGP_WELCOME:
            fprintf (file, " proto=%u schema=%u node=%u session=%" PRIu64 " up_cursor=%" PRIu64
                     " credit=%u now=%" PRId64 " heartbeat=%u wants=%u",
                     self->proto, self->schema_version, self->node_id, self->session,
                     self->up_cursor, self->credit, self->now_ms, self->heartbeat_ms,
                     self->wants_count);
            break;
        case FGP_BATCH:
            fprintf (file, " session=%" PRIu64 " stream=%u gen=%u prev=%" PRIu64 " last=%" PRIu64
                     " flags=0x%02x raw_size=%u count=%u body=%zu",
                     self->session, self->stream, self->gen, self->prev, self->last,
                     self->flags, self->raw_size, self->count, self->body_size);
            break;
        case FGP_ACK:
            fprintf (file, " session=%" PRIu64 " stream=%u gen=%u cursor=%" PRIu64
                     " flags=0x%02x credit=%u applied=%u duplicate=%u buffered=%u"
                     " quarantined=%u wants=%u",
                     self->session, self->stream, self->gen, self->cursor, self->flags,
                     self->credit, self->applied, self->duplicate, self->buffered,
                     self->quarantined, self->wants_count);
            break;
        case FGP_PING:
            fprintf (file, " session=%" PRIu64 " now=%" PRId64, self->session, self->now_ms);
            break;
        case FGP_PONG:
            fprintf (file, " session=%" PRIu64 " now=%" PRId64 " echo=%" PRId64,
                     self->session, self->now_ms, self->echo_ms);
            break;
        case FGP_ERROR:
            fprintf (file, " code=%u (%s) reason='%s'", self->code,
                     fgp_error_text (self->code), self->reason);
            break;
    }
    fprintf (file, "\n");
}

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
    fgp_batch_test (verbose);
    s_test_sockets (keys, verbose);
    fg_keys_destroy (&keys);
    printf ("OK\n");
}
