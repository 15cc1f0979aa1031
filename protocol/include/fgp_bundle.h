/*  fgp_bundle.h - bundles: signed change-log entries in a file, for links
    that are a USB stick on the road (DESIGN.md §5).

    A bundle carries entries from one node to its parent or one of its
    children, the entries a sync stream would have carried. Its receiver
    takes them through the same verify-and-merge path as a received BATCH
    (fg_replica_receive_batch, one transaction), so a bundle can only ever
    deliver what sync could: each entry is still verified against its
    origin's key and chain, and refused ones are quarantined with a reason.
    The bundle's own signature (by the exporting node) says who made the
    file and that nothing in it changed; entries of other origins inside it
    are relayed byte for byte, exactly as a hub relays them.

    File format (all integers big-endian; protocol/SPEC.md §7 draws the
    same table):

    OFFSET  SIZE  MEANING
    0       4     magic "FGB1" (0x46 0x47 0x42 0x31)
    4       1     format version: 1 (FGP_BUNDLE_VERSION)
    5       2     from: node id of the exporting node, 1..65535
    7       2     to: node id of the node it is for; 0 = any node
    9       8     created_ms: the exporter's clock, ms since 1970 (i64)
    17      1     flags: bit 0 (0x01) the body is one zstd frame; other bits 0
    18      4     count: entries in the body, 0..FGP_BUNDLE_MAX_ENTRIES
    22      4     raw_size: size of the body once decompressed,
                  0..FGP_BUNDLE_MAX_RAW (256 MiB)
    26      4     B: length of the body as stored in the file
    30      B     body: count * (u32 length, entry bytes), the framing of a
                  BATCH body (SPEC.md §4.1: each length 1..FG_ENTRY_MAX_SIZE,
                  nothing after the last entry); with flag bit 0, exactly
                  one zstd frame whose content is those raw_size bytes
    30+B    64    sig: Ed25519 signature, by the exporting node's signing
                  key, of the 32-byte BLAKE2b-256 hash of bytes [0, 30+B)
                                                            total: 94 + B

    The body is compressed (zstd level 1) only when that makes it smaller;
    otherwise it is stored and B = raw_size. Nothing follows the signature.

    Reading (fgp_bundle_open, fgp_bundle_decode) trusts nothing before it
    is checked, and refuses, with a reason naming the field: a file larger
    than any bundle can be (checked before it is read), fewer bytes than the
    header and signature need, a wrong magic, another format version, from
    node 0, unknown flag bits, raw_size over FGP_BUNDLE_MAX_RAW, count over
    FGP_BUNDLE_MAX_ENTRIES or over raw_size / 5 (each framed entry takes at
    least 5 bytes), a stored body whose length is not raw_size, a body
    length past the end of the file, bytes after the signature, a body that
    is not exactly one zstd frame, a frame whose stated content size is
    not raw_size, a frame that expands past raw_size (a "zip bomb": the
    output buffer grows only as bytes really come out, and never past
    raw_size) or falls short of it, and any framing error of the body.
    Then fgp_bundle_verify checks the signature with the key of the node
    the bundle says it is from (the caller looks that node up: it must be
    a node the receiver trusts); only a verified bundle hands out entries.

    Ownership: fgp_bundle_t owns its bytes; entry views handed out by
    fgp_bundle_next point into it and live until fgp_bundle_destroy.
*/
#ifndef FGP_BUNDLE_H_INCLUDED
#define FGP_BUNDLE_H_INCLUDED

#include "fg_replica.h"
#include "fgp_msg.h"

#define FGP_BUNDLE_MAGIC        "FGB1"
#define FGP_BUNDLE_VERSION      1
#define FGP_BUNDLE_HEADER_SIZE  30
#define FGP_BUNDLE_TRAILER_SIZE FG_SIG_SIZE
#define FGP_BUNDLE_MIN_SIZE     (FGP_BUNDLE_HEADER_SIZE + FGP_BUNDLE_TRAILER_SIZE)
#define FGP_BUNDLE_ZSTD         0x01            //  body is one zstd frame
#define FGP_BUNDLE_FLAGS        FGP_BUNDLE_ZSTD
//  Limits. The smallest well-formed entry takes 128 bytes (132 framed),
//  so no bundle within FGP_BUNDLE_MAX_RAW can hold more entries than
//  FGP_BUNDLE_MAX_ENTRIES.
#define FGP_BUNDLE_MAX_RAW      (256 * 1024 * 1024)
#define FGP_BUNDLE_MAX_ENTRIES  (2 * 1024 * 1024)
//  The largest file: a stored body of FGP_BUNDLE_MAX_RAW bytes
#define FGP_BUNDLE_MAX_FILE     ((size_t) FGP_BUNDLE_MIN_SIZE + FGP_BUNDLE_MAX_RAW)

//  What the header of a bundle says (after it was checked).
typedef struct {
    uint8_t  version;
    uint16_t from;                  //  exporting node
    uint16_t to;                    //  node it is for, 0 = any
    int64_t  created_ms;
    uint8_t  flags;                 //  FGP_BUNDLE_ZSTD
    uint32_t count;                 //  entries
    uint32_t raw_size;              //  body bytes once decompressed
    uint32_t body_size;             //  body bytes in the file
    size_t   file_size;             //  all bytes, signature included
    uint8_t  hash [FG_HASH_SIZE];   //  BLAKE2b-256 of everything before the signature
} fgp_bundle_info_t;

typedef struct _fgp_bundle_t fgp_bundle_t;

//  --------------------------------------------------------------------
//  Writing

//  Encode a bundle of the entries of body (framed by fgp_body_add),
//  signed with keys (the exporting node's, which must be node `from`).
//  Returns a fresh buffer the caller frees and its size in *size_p; or
//  NULL with the reason in errbuf when from is 0, or the body breaks a
//  limit (count, raw_size) or its framing (an entry's size, bytes left
//  over).
uint8_t      *fgp_bundle_encode (fg_keys_t *keys, uint16_t from, uint16_t to, int64_t created_ms,
                                 const fgp_body_t *body, size_t *size_p, char *errbuf, size_t errsize);
//  Encode (created now) and write to path atomically (temporary file,
//  fsync, rename), mode 0600: a bundle holds records of people. *size_p
//  (may be NULL) gets the file's size. 0, or -1 with the reason.
int           fgp_bundle_save (const char *path, fg_keys_t *keys, uint16_t from, uint16_t to,
                               const fgp_body_t *body, size_t *size_p,
                               char *errbuf, size_t errsize) FG_WARN_UNUSED;

//  --------------------------------------------------------------------
//  Reading

//  Read a bundle file and check everything but the signature (above).
//  Returns the bundle, or NULL with a precise reason in errbuf.
fgp_bundle_t *fgp_bundle_open (const char *path, char *errbuf, size_t errsize);
//  The same from bytes in memory (copied).
fgp_bundle_t *fgp_bundle_decode (const uint8_t *data, size_t size, char *errbuf, size_t errsize);
//  Destroy; sets *self_p to NULL; safe to call twice.
void          fgp_bundle_destroy (fgp_bundle_t **self_p);

//  The checked header (borrowed).
const fgp_bundle_info_t *fgp_bundle_info (fgp_bundle_t *self);
//  Check the signature with the exporting node's Ed25519 public key:
//  0 valid (entries may now be read), -1 not.
int           fgp_bundle_verify (fgp_bundle_t *self, const uint8_t pk [FG_SIGN_PK_SIZE]) FG_WARN_UNUSED;
bool          fgp_bundle_verified (fgp_bundle_t *self);
//  Next entry: 1 and a view of its bytes; 0 after the last; -1 if the
//  bundle has not been verified.
int           fgp_bundle_next (fgp_bundle_t *self, const uint8_t **entry, size_t *size) FG_WARN_UNUSED;

//  --------------------------------------------------------------------
//  Bundles as a sync path (fgp_bundle_sync.c): what to export for a
//  peer, and how an import is applied. A bundle goes one hop of the
//  tree: from a node to its parent or to one of its children.

//  What an export wrote.
typedef struct {
    uint16_t to;
    char     relation [16];         //  "parent" or "child"
    uint64_t after;                 //  exported this node's log after this lsn...
    uint64_t last;                  //  ... up to this one
    size_t   count;                 //  entries
    size_t   raw_size;              //  their framed bytes
    size_t   file_size;             //  bytes of the file
    bool     truncated;             //  more entries wait past `last` (limits)
} fgp_bundle_export_t;

//  Export, for node `to` (this node's parent or one of its children),
//  the entries it lacks: to the parent, this node's own-subtree entries
//  after the parent's acknowledged cursor (link "out"); to a child, what
//  the child's scope needs (fg_replica_scan) after the child's
//  acknowledged cursor. With `all`, from the start of the log; with
//  after_lsn > 0, after that lsn (the `last` of an earlier, truncated
//  export). Moves no cursor. Returns 0 (file written, report filled),
//  1 (nothing to export: no file), or -1 with the reason (unknown node,
//  not parent or child, database or write error).
int           fgp_bundle_export (fg_replica_t *replica, fg_keys_t *keys, uint16_t to, bool all,
                                 uint64_t after_lsn, const char *path, fgp_bundle_export_t *report,
                                 char *errbuf, size_t errsize) FG_WARN_UNUSED;

//  What an import did.
typedef struct {
    uint16_t      from;
    char          relation [16];    //  "parent" or "child"
    uint32_t      count;            //  entries in the bundle
    fg_rx_stats_t stats;            //  applied, duplicate, buffered, quarantined
    size_t        directive_acks;   //  acknowledgements written (from the parent)
    fg_recovery_t recovery;         //  fork recovery state after it (from the parent)
    size_t        resigned;
    bool          resync;           //  the child's chain differs from ours: its
                                    //  next sync session resends all of it
} fgp_bundle_import_t;

typedef enum {
    FGP_BUNDLE_OK = 0,
    FGP_BUNDLE_REFUSED = -1,        //  the bundle itself was refused; nothing applied
    FGP_BUNDLE_DB_ERROR = -2        //  the replica could not take it; nothing applied
} fgp_bundle_rc_t;

//  Import a bundle file: open and check it; its `to` must be this node
//  (or 0); its `from` a trusted, active node that is this node's parent
//  or child; its signature must verify with that node's key. Then, in
//  ONE transaction, exactly as the sync receiver takes a batch: the
//  entries (fg_replica_receive_batch with via = that node, from_child
//  when it is a child); from the parent, fork recovery and `received`
//  acknowledgements of directives (author `author`). Moves no cursor:
//  importing a bundle twice changes nothing. Entries refused one by one
//  are quarantined and counted, not a failure, within the quota of one
//  session of the sender (SPEC.md §5.9): a bundle that holds more refused
//  entries is refused whole (nothing applied). Returns FGP_BUNDLE_OK, or
//  FGP_BUNDLE_REFUSED / FGP_BUNDLE_DB_ERROR with the reason in errbuf.
int           fgp_bundle_import (fg_replica_t *replica, const char *path, const char *author,
                                 fgp_bundle_import_t *report, char *errbuf, size_t errsize) FG_WARN_UNUSED;

#endif
