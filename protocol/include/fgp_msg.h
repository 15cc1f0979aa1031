/*  fgp_msg.h - the fugai wire protocol: one message model, one codec.

    Every message between a child (edge, or a county hub facing up) and its
    parent is ONE ZeroMQ frame: the child's DEALER sends [body]; the
    parent's ROUTER sees [routing-id][body]. This class turns a body into an
    fgp_msg_t and back, without touching sockets (fgp_msg_encode,
    fgp_msg_decode); fgp_msg_send and fgp_msg_recv are thin wrappers on top.
    protocol/SPEC.md is the reference: message table, grammar of a session,
    batch bodies, limits, error codes. This header and SPEC.md must agree.

    Body of every message (all integers big-endian):

    OFFSET  SIZE  MEANING
    0       2     signature "FG" (0x46 0x47)
    2       1     message id (FGP_HELLO .. FGP_ERROR)
    3       ...   the fields of that message, in the order of the table,
                  with nothing after the last one

    Field types: u8 u16 u32 u64; i64 (two's complement, 8 bytes); hash (32
    raw bytes); string (u16 length, then that many UTF-8 bytes, no NUL,
    length <= FGP_STRING_MAX); blob (u32 length, then the bytes).

    ID  NAME     FIELDS
    1   HELLO    proto_min u16, proto_max u16, schema_version u32, node_id u16,
                 epoch u32, session u64, down_cursor u64, now_ms i64,
                 software string, frontier_count u32,
                 frontier_count * (origin u16, seq u64, hash)
    2   WELCOME  proto u16, schema_version u32, node_id u16, session u64,
                 up_cursor u64, credit u16, now_ms i64, heartbeat_ms u32,
                 wants_count u16, wants_count * (origin u16, from_seq u64)
    3   BATCH    session u64, stream u8, gen u32, prev u64, last u64,
                 flags u8, raw_size u32, count u32, body blob
    4   ACK      session u64, stream u8, gen u32, cursor u64, flags u8,
                 credit u16, applied u32, duplicate u32, buffered u32,
                 quarantined u32, wants_count u16,
                 wants_count * (origin u16, from_seq u64)
    5   PING     session u64, now_ms i64
    6   PONG     session u64, now_ms i64, echo_ms i64
    7   ERROR    code u16, reason string

    A BATCH body, once decompressed to raw_size bytes, is
        count * (length u32, entry bytes)      (nothing after)
    where each entry is the canonical bytes of fg_entry.h (1 <= length <=
    FG_ENTRY_MAX_SIZE), or, from protocol 2 on, an entry carried elided
    (length bit FGP_BODY_ELIDED: no magic, origin, epoch, seq nor
    prev_hash, and its hlc as a difference; the reader computes them from
    the entry before it, see fgp_batch.c). Flag bit 0 says the body is one zstd frame.

    Versions (SPEC §3.2): a child offers FGP_PROTO_MIN..FG_PROTOCOL_VERSION
    in HELLO; the parent answers with fgp_proto_choose's pick in WELCOME;
    both ends elide only in a session of version FGP_PROTO_ELIDE or more.
    A reader takes elided entries in any session.

    The decoder refuses: a wrong signature, an unknown id, any field cut
    short, counts beyond the limits below or beyond the bytes left (checked
    before anything is allocated), flags with unknown bits, a stream other
    than 1 or 2, strings that are too long or not UTF-8, a stored (not
    compressed) BATCH whose raw_size differs from its body length, and
    trailing bytes. The encoding is canonical: a body that decodes
    re-encodes to the same bytes.
*/
#ifndef FGP_MSG_H_INCLUDED
#define FGP_MSG_H_INCLUDED

#include "fg_common.h"

//  Message ids
typedef enum {
    FGP_HELLO   = 1,            //  child -> parent: who I am, what I have
    FGP_WELCOME = 2,            //  parent -> child: session accepted
    FGP_BATCH   = 3,            //  either way: entries of one stream
    FGP_ACK     = 4,            //  either way: what the receiver committed
    FGP_PING    = 5,            //  either way: liveness and clock probe
    FGP_PONG    = 6,            //  either way: answer to PING
    FGP_ERROR   = 7             //  either way: refusal, the session ends
} fgp_msg_id_t;

#define FGP_MSG_ID_MIN  FGP_HELLO
#define FGP_MSG_ID_MAX  FGP_ERROR

//  ERROR codes. Decoding accepts any code (a newer peer may know more);
//  fgp_error_text names the ones below.
typedef enum {
    FGP_ERR_PROTOCOL        = 1,    //  incompatible protocol version
    FGP_ERR_SCHEMA          = 2,    //  incompatible schema version
    FGP_ERR_NOT_ENROLLED    = 3,    //  not enrolled, or identity does not match the enrolled key
    FGP_ERR_REVOKED         = 4,    //  the peer's key was revoked
    FGP_ERR_MALFORMED       = 5,    //  a message could not be decoded
    FGP_ERR_UNKNOWN_SESSION = 6,    //  session id not known to the receiver
    FGP_ERR_INTERNAL        = 7,    //  internal error at the peer (disk full...); retry later
    FGP_ERR_TOO_LARGE       = 8,    //  message over FGP_MAX_MSG_SIZE
    FGP_ERR_QUOTA           = 9     //  the sender went past its quota: session ended
} fgp_error_code_t;

//  Streams of BATCH and ACK
#define FGP_STREAM_UP       1       //  child -> parent entries
#define FGP_STREAM_DOWN     2       //  parent -> child entries

//  Flag bits. Any other bit set is a malformed message.
#define FGP_BATCH_ZSTD      0x01    //  body is one zstd frame of raw_size bytes
#define FGP_BATCH_REPAIR    0x02    //  repair batch, outside the cursor
#define FGP_BATCH_FLAGS     (FGP_BATCH_ZSTD | FGP_BATCH_REPAIR)
#define FGP_ACK_REWIND      0x01    //  batch not taken: resend from `cursor`
#define FGP_ACK_WANTS       0x02    //  acknowledges no batch: it only carries wants
#define FGP_ACK_FLAGS       (FGP_ACK_REWIND | FGP_ACK_WANTS)

//  Protocol versions (FG_PROTOCOL_VERSION, fg_common.h, is the highest)
#define FGP_PROTO_MIN       1       //  the lowest this code speaks: whole entries only
#define FGP_PROTO_ELIDE     2       //  BATCH bodies may carry elided entries

//  BATCH body framing: bit 31 of an entry's length word says it is carried
//  elided: without its first 58 bytes but two varints of its hlc
//  (fgp_batch.c)
#define FGP_BODY_ELIDED     0x80000000u

//  Limits
#define FGP_STRING_MAX          255             //  bytes in a string field
#define FGP_MAX_FRONTIER        65536           //  HELLO frontier rows
#define FGP_MAX_WANTS           4096            //  WELCOME / ACK wants
#define FGP_MAX_MSG_SIZE        (8 * 1024 * 1024)   //  one body; also ZMQ_MAXMSGSIZE
#define FGP_MAX_BATCH_RAW       (16 * 1024 * 1024)  //  raw_size bound
#define FGP_MAX_BATCH_ENTRIES   100000          //  count bound

//  Fixed sizes of the encoded parts (the SPEC draws them)
#define FGP_HEADER_SIZE         3               //  "FG" + id
#define FGP_FRONTIER_ROW_SIZE   (2 + 8 + FG_HASH_SIZE)
#define FGP_WANT_ROW_SIZE       (2 + 8)
#define FGP_BATCH_FIXED_SIZE    (FGP_HEADER_SIZE + 8 + 1 + 4 + 8 + 8 + 1 + 4 + 4 + 4)
#define FGP_BATCH_ENTRY_MIN     (4 + 1)         //  length prefix + one byte

//  One frontier row of HELLO: the highest contiguous seq the child holds
//  from an origin, and the hash of that entry.
typedef struct {
    uint16_t origin;
    uint64_t seq;
    uint8_t  hash [FG_HASH_SIZE];
} fgp_frontier_t;

//  One row of WELCOME / ACK wants: "send me origin's entries from from_seq".
typedef struct {
    uint16_t origin;
    uint64_t from_seq;
} fgp_want_t;

//  A message. The struct is public: set the fields of its id, encode.
//  Fields that do not belong to the message's id are ignored by the
//  encoder and left zero by the decoder. Owned memory (frontier, wants,
//  body) is released with free() by fgp_msg_destroy; set it with the
//  helpers below or malloc it yourself and hand it over.
typedef struct {
    int       id;                   //  fgp_msg_id_t
    //  HELLO
    uint16_t  proto_min;
    uint16_t  proto_max;
    //  WELCOME
    uint16_t  proto;
    //  HELLO, WELCOME
    uint32_t  schema_version;
    uint16_t  node_id;
    //  HELLO
    uint32_t  epoch;
    //  HELLO, WELCOME, BATCH, ACK, PING, PONG
    uint64_t  session;
    //  HELLO
    uint64_t  down_cursor;
    //  WELCOME
    uint64_t  up_cursor;
    //  WELCOME, ACK
    uint16_t  credit;
    //  HELLO, WELCOME, PING, PONG
    int64_t   now_ms;
    //  WELCOME
    uint32_t  heartbeat_ms;
    //  PONG: the now_ms of the PING it answers
    int64_t   echo_ms;
    //  HELLO: software name and version, e.g. "fugai-edge 0.1.0"
    char      software [FGP_STRING_MAX + 1];
    //  HELLO: owned array of frontier_count rows
    fgp_frontier_t *frontier;
    uint32_t  frontier_count;
    //  WELCOME, ACK: owned array of wants_count rows
    fgp_want_t *wants;
    uint16_t  wants_count;
    //  BATCH, ACK
    uint8_t   stream;               //  FGP_STREAM_UP / FGP_STREAM_DOWN
    uint32_t  gen;
    uint8_t   flags;                //  FGP_BATCH_* or FGP_ACK_*
    //  BATCH
    uint64_t  prev;
    uint64_t  last;
    uint32_t  raw_size;
    uint32_t  count;
    uint8_t  *body;                 //  owned, body_size bytes
    size_t    body_size;
    //  ACK
    uint64_t  cursor;
    uint32_t  applied;
    uint32_t  duplicate;
    uint32_t  buffered;
    uint32_t  quarantined;
    //  ERROR
    uint16_t  code;                 //  fgp_error_code_t
    char      reason [FGP_STRING_MAX + 1];
    //  Why the last fgp_msg_encode, fgp_msg_send or fgp_batch_pack
    //  failed ("" after a success)
    char      errmsg [128];
} fgp_msg_t;

//  Create a message of the given id (FGP_HELLO..FGP_ERROR; asserts on
//  anything else) with every field zero. Never NULL.
fgp_msg_t  *fgp_msg_new (int id);
//  Destroy a message and everything it owns; sets *self_p to NULL. Safe to
//  call twice or on NULL.
void        fgp_msg_destroy (fgp_msg_t **self_p);

//  Append a frontier row (HELLO) or a want row (WELCOME, ACK); the arrays
//  grow as needed. The limits are checked by the encoder, not here.
void        fgp_msg_frontier_add (fgp_msg_t *self, uint16_t origin, uint64_t seq,
                                  const uint8_t hash [FG_HASH_SIZE]);
void        fgp_msg_want_add (fgp_msg_t *self, uint16_t origin, uint64_t from_seq);
//  Set the software string, cut at a UTF-8 character boundary so that it
//  fits FGP_STRING_MAX bytes.
void        fgp_msg_set_software (fgp_msg_t *self, const char *software);
//  Set the ERROR reason from a format; invalid UTF-8 bytes become '?' and
//  the text is cut at a character boundary to fit, so an ERROR built this
//  way always encodes.
void        fgp_msg_set_reason (fgp_msg_t *self, const char *format, ...) CHECK_PRINTF (2);

//  Encode. Returns a fresh buffer the caller frees and sets *size_p; or
//  NULL (and *size_p = 0, reason in self->errmsg) if a field breaks a rule
//  the decoder would refuse: a count over its limit, a string too long or
//  not UTF-8, a bad stream, unknown flag bits, a stored body whose size is
//  not raw_size, or a result over FGP_MAX_MSG_SIZE.
uint8_t    *fgp_msg_encode (fgp_msg_t *self, size_t *size_p);

//  Decode one body. Returns a new message the caller destroys, or NULL
//  with a precise reason in errbuf (errsize bytes; may be NULL/0). Never
//  reads outside [data, data+size) and never allocates more than the size
//  of the body justifies.
fgp_msg_t  *fgp_msg_decode (const uint8_t *data, size_t size, char *errbuf, size_t errsize);

//  Send one message. For a ROUTER pass the peer's routing id (borrowed,
//  not destroyed); for a DEALER pass NULL. Returns 0, or -1 if the message
//  does not encode (reason in self->errmsg) or the socket refused it.
int         fgp_msg_send (fgp_msg_t *self, zsock_t *sock, zframe_t *routing_id);

//  Receive one message. The socket's type decides the framing: on a ROUTER
//  the first frame is the routing id, returned in *routing_id_p (required,
//  caller destroys); on a DEALER *routing_id_p (if given) is set to NULL.
//  If user_id_p is not NULL it receives a strdup (caller frees) of the
//  body frame's "User-Id" metadata - with CURVE and zauth, the Z85 public
//  key of the authenticated peer - or NULL when there is none.
//  Returns the message, or NULL with:
//    errbuf [0] == 0    nothing was received (interrupted, timeout);
//    errbuf = reason    the message is malformed (a frame missing or too
//                       many, or the body does not decode); routing id and
//                       user id are still returned so the caller can
//                       answer with ERROR.
fgp_msg_t  *fgp_msg_recv (zsock_t *sock, zframe_t **routing_id_p, char **user_id_p,
                          char *errbuf, size_t errsize);

//  The version a parent chooses for a child offering [proto_min,
//  proto_max]: the highest both speak, or 0 if none (answer ERROR 1).
uint16_t    fgp_proto_choose (uint16_t proto_min, uint16_t proto_max);

//  Name of a message id ("HELLO"), or "UNKNOWN".
const char *fgp_msg_name (int id);
//  Text of an ERROR code, or "unknown error".
const char *fgp_error_text (int code);

//  Print a message on one line (for logs and verbose tests).
void        fgp_msg_print (fgp_msg_t *self, FILE *file);

//  --------------------------------------------------------------------
//  BATCH bodies (implemented in fgp_batch.c)

//  One entry to put into a body: a view of its bytes.
typedef struct {
    const uint8_t *data;
    size_t         size;
} fgp_batch_entry_t;

//  A raw body built entry by entry, count * (u32 length, bytes), framed as
//  each entry comes: one copy of its bytes and no allocation per entry
//  (the sync sender and the bundle export gather this way). Start from a
//  zeroed struct; fgp_body_reset releases data. Set `elide` before the
//  first entry (a BATCH of a session of protocol FGP_PROTO_ELIDE or more,
//  never a bundle) and each entry that follows the one added just before
//  it (same origin and epoch, seq + 1, prev_hash its hash) goes in elided.
typedef struct {
    uint8_t *data;                  //  the framed entries (owned)
    size_t   size;                  //  bytes of data in use
    size_t   cap;                   //  bytes of data allocated
    uint32_t count;                 //  entries in it
    bool     elide;                 //  elide what the receiver can compute
    //  Private: the entry added last, when an elided one may follow it
    bool     follows;
    uint8_t  last_head [26];        //  its magic, origin, epoch, seq, hlc
    uint8_t  last_hash [FG_HASH_SIZE];
} fgp_body_t;

//  Append a copy of one entry (elided if `elide` and it follows the one
//  before). Returns 0; 1 (body unchanged) if the body would then exceed
//  max_size bytes or max_count entries; -1 (body unchanged) if the entry
//  is not 1..FG_ENTRY_MAX_SIZE bytes.
int         fgp_body_add (fgp_body_t *self, const uint8_t *entry, size_t size,
                          size_t max_size, size_t max_count);
//  Release the data; the body is empty again.
void        fgp_body_reset (fgp_body_t *self);

//  Build a raw body from count entries (fgp_body_add with the BATCH
//  limits). Returns a fresh buffer the caller frees (not NULL for zero
//  entries) and sets *size_p; NULL if count exceeds
//  FGP_MAX_BATCH_ENTRIES, an entry is empty or over FG_ENTRY_MAX_SIZE, or
//  the total exceeds FGP_MAX_BATCH_RAW.
uint8_t    *fgp_batch_body_encode (const fgp_batch_entry_t *entries, size_t count,
                                   size_t *size_p);

//  Put a raw body into a BATCH: sets body, body_size, raw_size, count and
//  the FGP_BATCH_ZSTD flag (other flags are kept). With compress, the body
//  is zstd level 1 when that is smaller, else stored raw. Copies raw.
//  Returns 0, or -1 (message unchanged, reason in batch->errmsg) if raw is
//  not count well-framed entries (elided ones each after an entry it can
//  follow), breaks a limit, or the message would not fit FGP_MAX_MSG_SIZE
//  (send fewer entries).
int         fgp_batch_pack (fgp_msg_t *batch, const uint8_t *raw, size_t raw_size,
                            uint32_t count, bool compress) FG_WARN_UNUSED;

//  Reading the entries of a received BATCH. The caller allocates the
//  reader; its fields are private.
typedef struct {
    uint8_t       *owned;           //  decompressed or whole body, or NULL
    bool          *elided;          //  per entry, if any was elided
    const uint8_t *cursor;
    const uint8_t *end;
    uint32_t       remaining;
    uint32_t       index;           //  entries handed out
    bool           ready;
} fgp_batch_reader_t;

//  Open a BATCH for reading: decompress it (into exactly raw_size bytes,
//  refusing raw_size over FGP_MAX_BATCH_RAW and any other decompressed
//  size) and check the whole framing before the first entry is handed out:
//  count entries, each 1..FG_ENTRY_MAX_SIZE bytes, nothing after; an
//  elided entry only right after an entry it can follow (a whole one:
//  "FGE1" and at least the smallest entry's size, or an elided one), never
//  first. Elided entries are made whole: the reader hands out canonical
//  entries only. Returns 0, or -1 with a reason in errbuf (the reader is
//  then closed). The reader points into batch, which must outlive it.
int         fgp_batch_open (fgp_msg_t *batch, fgp_batch_reader_t *reader,
                            char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Next entry: 1 and a view of its bytes in *entry / *size; 0 at the end;
//  -1 if the reader is not open or the bytes are malformed.
int         fgp_batch_next (fgp_batch_reader_t *reader, const uint8_t **entry,
                            size_t *size) FG_WARN_UNUSED;
//  Whether the entry the last fgp_batch_next handed out was carried
//  elided (made whole from the one before it, fg_replica_receive_elided).
bool        fgp_batch_elided (fgp_batch_reader_t *reader);
//  Release what the reader holds; safe to call twice, and after an open
//  that failed.
void        fgp_batch_close (fgp_batch_reader_t *reader);

//  Check a raw body's framing: exactly `count` whole entries of 1 to
//  FG_ENTRY_MAX_SIZE bytes and nothing after (a bundle's body; an elided
//  entry's length reads as too large). 0, or -1 with the reason, prefixed
//  by `what`.
int         fgp_body_walk (const uint8_t *raw, size_t raw_size, uint32_t count, const char *what,
                           char *errbuf, size_t errsize) FG_WARN_UNUSED;

#endif
