/*  fg_keys.h - a node's keys and the certificate that binds them.

    Each node has two key pairs:
    - a CURVE pair (X25519) for ZeroMQ transport encryption and admission,
      kept as a CZMQ certificate;
    - an Ed25519 pair that signs every change-log entry the node authors.

    The public certificate binds both to the node's identity: its metadata
    carries node-id, role, org (statistical division code), name, epoch and
    sign-key (hex of the Ed25519 public key). An operator enrolls a child by
    copying that file to the parent (`fugai enroll`), so the binding of key
    to role and org unit is an operator's act, never a claim over the wire.

    Files in a key directory (secret files are created mode 0600):
        node.cert          public certificate (ZPL, CZMQ format)
        node.cert_secret   CURVE secret certificate            (0600)
        sign.secret        Ed25519 seed, 64 hex digits          (0600)
*/
#ifndef FG_KEYS_H_INCLUDED
#define FG_KEYS_H_INCLUDED

#include "fg_common.h"

#define FG_ORG_CODE_MAX 12           //  digits in the longest (village) code
#define FG_NAME_MAX     128

//  A node as its certificate describes it.
typedef struct {
    uint16_t  node_id;
    fg_tier_t tier;
    char      org [FG_ORG_CODE_MAX + 1];
    char      name [FG_NAME_MAX + 1];
    uint32_t  epoch;
    uint64_t  epoch_base;            //  seq after which `epoch` starts (0: epoch 0)
    uint8_t   sign_pk [FG_SIGN_PK_SIZE];
    char      curve_pk [41];         //  Z85 CURVE public key
} fg_node_t;

typedef struct _fg_keys_t fg_keys_t;

//  Fresh random keys. Never NULL.
fg_keys_t  *fg_keys_new (void);
//  Keys whose Ed25519 pair comes from a fixed seed (test vectors only);
//  the CURVE pair is still random.
fg_keys_t  *fg_keys_new_from_seed (const uint8_t seed [FG_SIGN_SEED_SIZE]);
//  Load keys from a key directory; NULL (and a log line saying which file
//  and why) if a file is missing, unreadable, malformed or too open.
fg_keys_t  *fg_keys_load (const char *keydir);
//  Destroy and scrub the secrets; safe to call twice.
void        fg_keys_destroy (fg_keys_t **self_p);

//  Write the identity into the certificate metadata.
void        fg_keys_set_identity (fg_keys_t *self, const fg_node_t *node);
//  Save the three files into keydir (created 0700 if missing).
int         fg_keys_save (fg_keys_t *self, const char *keydir) FG_WARN_UNUSED;

//  The CURVE certificate (borrowed; apply it to a socket with zcert_apply).
zcert_t    *fg_keys_cert (fg_keys_t *self);
const uint8_t *fg_keys_sign_pk (fg_keys_t *self);
//  Ed25519 detached signature of msg.
void        fg_keys_sign (fg_keys_t *self, const uint8_t *msg, size_t size,
                          uint8_t sig [FG_SIG_SIZE]);

//  Verify an Ed25519 detached signature: 0 valid, -1 not.
int         fg_sign_verify (const uint8_t sig [FG_SIG_SIZE], const uint8_t *msg,
                            size_t size, const uint8_t pk [FG_SIGN_PK_SIZE]) FG_WARN_UNUSED;

//  Read the identity out of a public certificate file. Returns 0, or -1
//  with a reason in errbuf (errsize bytes) when the file or a field is
//  missing or malformed.
int         fg_node_from_cert (const char *path, fg_node_t *node,
                               char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Same, from a loaded certificate.
int         fg_node_from_zcert (zcert_t *cert, fg_node_t *node,
                                char *errbuf, size_t errsize) FG_WARN_UNUSED;

//  Write the public certificate of a node (its CURVE public key and the
//  metadata above) to path, mode 0644: a parent's certificate learned
//  from a statement (fg_replica_take_statement). 0 or -1.
int         fg_node_write_cert (const fg_node_t *node, const char *path) FG_WARN_UNUSED;

//  Key rotation (fugai rekey): the node's current signing key vouches for
//  its next keys, so that its parent re-enrolls them under the same node
//  id only on the word of the key it knows (SPEC.md §1.1). The signed
//  bytes (FG_REKEY_MSG_SIZE):
//      OFFSET  SIZE  MEANING
//      0       4     "FGRK"
//      4       2     node id, big-endian
//      6       32    the next Ed25519 public key
//      38      40    the next CURVE public key, Z85 text
//  The signature travels in the next certificate's metadata, rekey-sig
//  (128 hex digits).
#define FG_REKEY_MSG_SIZE  78
#define FG_REKEY_SIG_META  "rekey-sig"
//  Sign `next` (its node_id, sign_pk, curve_pk) with the current keys and
//  write the signature into the next keys' certificate metadata.
void        fg_keys_rekey_sign (fg_keys_t *current, fg_keys_t *next, const fg_node_t *next_node);
//  Verify a rekey signature of `next` with the current public key: 0
//  valid, -1 not.
int         fg_rekey_verify (const uint8_t sig [FG_SIG_SIZE], const fg_node_t *next,
                             const uint8_t current_pk [FG_SIGN_PK_SIZE]) FG_WARN_UNUSED;
//  The rekey signature a public certificate carries: 0, or -1 (with the
//  reason in errbuf) when it has none or it is not 128 hex digits.
int         fg_rekey_sig_from_cert (const char *path, uint8_t sig [FG_SIG_SIZE],
                                    char *errbuf, size_t errsize) FG_WARN_UNUSED;

#endif
