/*  fg_entry.h - one signed change-log entry: its canonical bytes.

    An entry is one local transaction of one node (its origin). Entries of an
    origin form a hash chain: each names the hash of the one before. The
    bytes below are exactly what travels, what is stored, what is hashed and
    what is signed; nothing is ever re-serialised. protocol/SPEC.md draws the
    same table and gives test vectors.

    OFFSET  SIZE  MEANING
    0       4     magic "FGE1"
    4       2     origin node id, big-endian
    6       4     epoch of the origin's key, big-endian
    10      8     seq, from 1, contiguous per origin, big-endian
    18      8     hlc (fg_hlc), big-endian
    26      32    prev_hash: hash of entry seq-1 of this origin (zeros for seq 1)
    58      1     A = length of the author field, 0..64
    59      A     author: the operator who made the write (UTF-8)
    59+A    4     P = payload length, big-endian, 1..FG_ENTRY_MAX_PAYLOAD
    63+A    P     payload: the operations (fg_ops format)
    63+A+P  64    Ed25519 signature of the 32-byte hash

    hash = BLAKE2b-256 (no key) of bytes [0, 63+A+P)
    sig  = Ed25519 (origin's signing key, hash)
*/
#ifndef FG_ENTRY_H_INCLUDED
#define FG_ENTRY_H_INCLUDED

#include "fg_common.h"
#include "fg_keys.h"

#define FG_ENTRY_MAGIC          "FGE1"
#define FG_ENTRY_FIXED_SIZE     63           //  header bytes without author/payload
#define FG_ENTRY_AUTHOR_MAX     64
#define FG_ENTRY_MAX_PAYLOAD    (256 * 1024)
#define FG_ENTRY_MAX_SIZE       (FG_ENTRY_FIXED_SIZE + FG_ENTRY_AUTHOR_MAX \
                                 + FG_ENTRY_MAX_PAYLOAD + FG_SIG_SIZE)

//  A parsed entry: a view over wire bytes the caller keeps alive.
typedef struct {
    uint16_t       origin;
    uint32_t       epoch;
    uint64_t       seq;
    uint64_t       hlc;
    const uint8_t *prev_hash;            //  FG_HASH_SIZE bytes
    char           author [FG_ENTRY_AUTHOR_MAX + 1];
    const uint8_t *payload;
    size_t         payload_size;
    const uint8_t *sig;                  //  FG_SIG_SIZE bytes
    uint8_t        hash [FG_HASH_SIZE];  //  computed by fg_entry_parse
    const uint8_t *bytes;                //  the whole entry
    size_t         size;
} fg_entry_t;

//  Why an entry's bytes are refused before any key is looked at.
typedef enum {
    FG_ENTRY_OK = 0,
    FG_ENTRY_TOO_SHORT = -1,             //  cut before a field ends
    FG_ENTRY_BAD_MAGIC = -2,
    FG_ENTRY_BAD_AUTHOR = -3,            //  too long or not UTF-8
    FG_ENTRY_BAD_PAYLOAD_SIZE = -4,      //  zero, too large, or past the end
    FG_ENTRY_TRAILING = -5,              //  bytes after the signature
    FG_ENTRY_BAD_SEQ = -6                //  seq 0, or origin 0
} fg_entry_error_t;

//  Parse and hash an entry; does not check the signature. On success fills
//  *entry (pointing into bytes) and returns FG_ENTRY_OK; else returns the
//  negative reason and leaves *entry zeroed.
int          fg_entry_parse (fg_entry_t *entry, const uint8_t *bytes, size_t size) FG_WARN_UNUSED;
//  The hash of the entry of `size` bytes at `bytes` (its signature
//  included): BLAKE2b-256 of all but the signature, what the signature
//  signs and the next entry's prev_hash names. Reads only those bytes, so
//  a buffer whose signature is still to be written may be hashed.
void         fg_entry_hash (const uint8_t *bytes, size_t size, uint8_t hash [FG_HASH_SIZE]);
//  Text for a fg_entry_error_t.
const char  *fg_entry_strerror (int error);

//  Check the signature of a parsed entry against a public key: 0 or -1.
int          fg_entry_verify (const fg_entry_t *entry, const uint8_t pk [FG_SIGN_PK_SIZE]) FG_WARN_UNUSED;

//  Build, hash and sign a new entry. Returns a fresh buffer the caller
//  frees, its size in *size_p and its hash in hash_out; NULL if the author
//  or payload is out of bounds.
uint8_t     *fg_entry_build (fg_keys_t *keys, uint16_t origin, uint32_t epoch,
                             uint64_t seq, uint64_t hlc,
                             const uint8_t prev_hash [FG_HASH_SIZE],
                             const char *author, const uint8_t *payload,
                             size_t payload_size, size_t *size_p,
                             uint8_t hash_out [FG_HASH_SIZE]);

#endif
