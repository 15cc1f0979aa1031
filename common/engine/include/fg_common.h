/*  fg_common.h - prelude of libfugai-common: shared types, tiers, limits.

    Every public header of the common library includes this file. It pulls
    in CZMQ (which brings libzmq and the C prelude), libsodium and SQLite, and
    defines the few names every class uses: node ids, tiers, the hash and
    signature sizes, and the FG_WARN_UNUSED marker for verify functions.
*/
#ifndef FG_COMMON_H_INCLUDED
#define FG_COMMON_H_INCLUDED

#include <czmq.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdbool.h>

#define FG_WARN_UNUSED __attribute__ ((warn_unused_result))

//  Sizes of the cryptographic objects (libsodium names, fixed here so that
//  formats drawn in protocol/SPEC.md never depend on a library's build).
#define FG_HASH_SIZE     32          //  BLAKE2b-256 output
#define FG_SIGN_PK_SIZE  32          //  Ed25519 public key
#define FG_SIGN_SK_SIZE  64          //  Ed25519 secret key (seed + public)
#define FG_SIGN_SEED_SIZE 32         //  Ed25519 seed
#define FG_SIG_SIZE      64          //  Ed25519 detached signature

//  Schema and protocol versions. The schema version rises with every
//  migration in fg_schema; the protocol version with every change of
//  protocol/SPEC.md that an older peer could not read.
#define FG_SCHEMA_VERSION   7
#define FG_PROTOCOL_VERSION 2     //  2: elided entries in BATCH bodies (it speaks 1 too)

//  Node ids are 16 bits; record ids are (node_id << 47) | counter.
#define FG_ID_SHIFT 47
#define FG_ID_COUNTER_MASK ((UINT64_C (1) << FG_ID_SHIFT) - 1)
#define FG_ID_NODE(id) ((uint16_t) ((uint64_t) (id) >> FG_ID_SHIFT))

//  The three tiers of the tree. Values are bit flags so that schema rules
//  can name a set of tiers ("C or P").
typedef enum {
    FG_TIER_NONE       = 0,
    FG_TIER_TOWNSHIP   = 1,        //  'E', an edge
    FG_TIER_COUNTY     = 2,        //  'C', a county hub
    FG_TIER_PREFECTURE = 4         //  'P', the prefecture hub
} fg_tier_t;

#define FG_TIER_ANY (FG_TIER_TOWNSHIP | FG_TIER_COUNTY | FG_TIER_PREFECTURE)
#define FG_TIER_HUB (FG_TIER_COUNTY | FG_TIER_PREFECTURE)

//  Role name <-> tier ("township", "county", "prefecture"). Unknown names
//  give FG_TIER_NONE; unknown tiers give "none".
fg_tier_t    fg_tier_from_name (const char *name);
const char  *fg_tier_name (fg_tier_t tier);
char         fg_tier_letter (fg_tier_t tier);     //  'E', 'C', 'P'

#endif
