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

    BATCH bodies (their framing and compression) live in fgp_batch.c, the
    socket wrappers (fgp_msg_send, fgp_msg_recv) in fgp_msg_sock.c.
*/
#include "fgp_msg.h"
#include "fg_util.h"

//  --------------------------------------------------------------------
//  Versions (SPEC §3.2)

uint16_t
fgp_proto_choose (uint16_t proto_min, uint16_t proto_max)
{
    if (proto_min > FG_PROTOCOL_VERSION || proto_max < FGP_PROTO_MIN || proto_min > proto_max)
        return 0;
    return proto_max < FG_PROTOCOL_VERSION ? proto_max : FG_PROTOCOL_VERSION;
}

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
        case FGP_ERR_QUOTA:           return "over quota: the session ended";
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

