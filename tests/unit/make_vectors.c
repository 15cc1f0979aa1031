/*  make_vectors.c - generates the entry test vectors and the fuzz seed corpus.

    Usage: fugai-make-vectors                 print protocol/vectors/entries.txt
           fugai-make-vectors --corpus DIR    write files into DIR/msg, DIR/entry,
                                              DIR/ops, DIR/bundle, DIR/config, DIR/csv

    The vectors are canonical entries (fg_entry.h) built from fixed fields
    and signed with the Ed25519 key whose seed is the bytes 0x00..0x1f, so
    the output is the same on every machine and every run (Ed25519
    signatures are deterministic). The `vectors` self-test (fgp_vectors.c)
    rebuilds every entry from the printed fields and checks that hash,
    signature and bytes match; protocol/SPEC.md §6 explains the format.
    Regenerate only when the entry or payload format changes, and say so in
    the commit: a changed vector means old peers cannot read new entries.

    The seed corpus for the fuzz targets (tests/fuzz) is one file per
    encoded message type and one per vector entry.
*/
#include "fg_util.h"
#include "fg_hlc.h"
#include "fg_keys.h"
#include "fg_entry.h"
#include "fg_ops.h"
#include "fgp_msg.h"
#include "fgp_bundle.h"
#include "fg_config.h"

#define VECTORS 5

typedef struct {
    const char *name;
    const char *about;          //  one line of prose, printed as a comment
    uint16_t    origin;
    uint32_t    epoch;
    uint64_t    seq;
    uint64_t    hlc;
    const char *author;
    int         chain_to;       //  index of the vector this one follows, or -1
    uint8_t    *payload;
    size_t      payload_size;
    uint8_t    *entry;
    size_t      entry_size;
    uint8_t     hash [FG_HASH_SIZE];
    uint8_t     prev [FG_HASH_SIZE];
} s_vector_t;

static uint64_t
s_id (uint16_t node, uint64_t counter)
{
    return (uint64_t) node << FG_ID_SHIFT | counter;
}

//  The payload of vector i, built with fg_ops.
static uint8_t *
s_payload (int which, size_t *size_p)
{
    int64_t day = 20054;                //  2024-11-27, days since 1970-01-01
    fg_ops_t *ops = fg_ops_new ();
    switch (which) {
        case 0:     //  household-put
            fg_ops_begin (ops, FG_OP_PUT, "household", "reg", s_id (28100, 1),
                          UINT64_C (513328100201));
            fg_ops_set_text (ops, "head_name", "Zeren Dorje");
            fg_ops_set_text (ops, "hukou_no", "513328100201-0042");
            fg_ops_set_int (ops, "size", 5);
            fg_ops_set_text (ops, "economy", "herding");
            fg_ops_set_null (ops, "seasonal_location");
            break;
        case 1:     //  visit-insert
            fg_ops_begin (ops, FG_OP_INSERT, "visit", NULL, s_id (28101, 1),
                          UINT64_C (513328101));
            fg_ops_set_int (ops, "cadre_id", (int64_t) s_id (128, 17));
            fg_ops_set_text (ops, "target_kind", "household");
            fg_ops_set_int (ops, "target_id", (int64_t) s_id (28101, 40));
            fg_ops_set_text (ops, "kind", "pairing");
            fg_ops_set_int (ops, "occurred_on", day);
            fg_ops_set_int (ops, "duration_min", 45);
            fg_ops_set_int (ops, "in_person", 1);
            fg_ops_set_blob (ops, "household_ack", "\x00\x01\x02\xfd\xfe\xff", 6);
            break;
        case 2:     //  multi-op-chinese
            fg_ops_begin (ops, FG_OP_PUT, "household", "reg", s_id (128, 5),
                          UINT64_C (513328100203));
            fg_ops_set_text (ops, "head_name", "泽仁多吉");
            fg_ops_set_text (ops, "group_name", "甘孜县拖坝乡一组");
            fg_ops_set_int (ops, "size", 6);
            fg_ops_begin (ops, FG_OP_INSERT, "visit", NULL, s_id (128, 6),
                          UINT64_C (513328100));
            fg_ops_set_int (ops, "cadre_id", (int64_t) s_id (128, 17));
            fg_ops_set_text (ops, "target_kind", "household");
            fg_ops_set_int (ops, "target_id", (int64_t) s_id (128, 5));
            fg_ops_set_text (ops, "kind", "festival");
            fg_ops_set_int (ops, "occurred_on", day);
            fg_ops_set_text (ops, "activities", "访民情,解民忧");
            fg_ops_set_text (ops, "notes", "藏历新年慰问，送米面油。");
            fg_ops_begin (ops, FG_OP_VOID, "visit", NULL, s_id (128, 3),
                          UINT64_C (513328100));
            fg_ops_set_text (ops, "reason", "重复录入");
            break;
        case 3:     //  empty-author
            fg_ops_begin (ops, FG_OP_META, "node", "enroll", 28100, UINT64_C (513328100));
            fg_ops_set_int (ops, "version", 1);
            fg_ops_set_text (ops, "tier", "township");
            fg_ops_set_text (ops, "org", "513328100");
            fg_ops_set_text (ops, "relation", "child");
            fg_ops_set_int (ops, "parent_id", 128);
            break;
        case 4:     //  chained-seq2
            fg_ops_begin (ops, FG_OP_PUT, "household", "reg", s_id (28100, 1),
                          UINT64_C (513328100201));
            fg_ops_set_int (ops, "size", 6);
            break;
    }
    char err [128];
    uint8_t *payload = fg_ops_encode (ops, size_p, err, sizeof err);
    if (!payload) {
        fprintf (stderr, "fugai-make-vectors: payload %d: %s\n", which, err);
        exit (1);
    }
    fg_ops_destroy (&ops);
    return payload;
}

static void
s_build (s_vector_t *vectors, fg_keys_t *keys)
{
    int64_t ms = INT64_C (1732700000000);       //  2024-11-27T09:33:20Z
    s_vector_t init [VECTORS] = {
        { .name = "household-put", .about = "put household/reg: a township registers a household (seq 1)",
          .origin = 28100, .epoch = 1, .seq = 1, .hlc = fg_hlc_make (ms, 0),
          .author = "clerk-07", .chain_to = -1 },
        { .name = "visit-insert", .about = "insert visit: an event row with int, text and blob fields",
          .origin = 28101, .epoch = 1, .seq = 1, .hlc = fg_hlc_make (ms + 1000, 0),
          .author = "cadre-128-17", .chain_to = -1 },
        { .name = "multi-op-chinese", .about = "put + insert + void in one entry, Chinese text and author",
          .origin = 128, .epoch = 2, .seq = 1, .hlc = fg_hlc_make (ms + 2000, 3),
          .author = "县干部李明", .chain_to = -1 },
        { .name = "empty-author", .about = "meta node/enroll written by the node's own process, no operator",
          .origin = 1, .epoch = 0, .seq = 1, .hlc = fg_hlc_make (ms + 3000, 0),
          .author = "", .chain_to = -1 },
        { .name = "chained-seq2", .about = "seq 2 of origin 28100: prev_hash is the hash of household-put",
          .origin = 28100, .epoch = 1, .seq = 2, .hlc = fg_hlc_make (ms, 1),
          .author = "clerk-07", .chain_to = 0 },
    };
    for (int i = 0; i < VECTORS; i++) {
        vectors [i] = init [i];
        s_vector_t *v = &vectors [i];
        memset (v->prev, 0, FG_HASH_SIZE);
        if (v->chain_to >= 0)
            memcpy (v->prev, vectors [v->chain_to].hash, FG_HASH_SIZE);
        v->payload = s_payload (i, &v->payload_size);
        v->entry = fg_entry_build (keys, v->origin, v->epoch, v->seq, v->hlc, v->prev,
                                   v->author, v->payload, v->payload_size,
                                   &v->entry_size, v->hash);
        assert (v->entry);
    }
}

static void
s_print_hex (const char *key, const uint8_t *data, size_t size)
{
    char *hex = (char *) malloc (2 * size + 1);
    assert (hex);
    fg_hex_encode (data, size, hex);
    printf ("%s %s\n", key, hex);
    free (hex);
}

static void
s_print (s_vector_t *vectors, const uint8_t seed [FG_SIGN_SEED_SIZE], fg_keys_t *keys)
{
    printf ("# fugai change-log entry test vectors (protocol/SPEC.md §6).\n");
    printf ("# Generated by tests/unit/make_vectors.c (fugai-make-vectors); checked\n");
    printf ("# by the `vectors` self-test (protocol/src/fgp_vectors.c). Do not edit.\n");
    printf ("# One block per vector, blocks separated by a blank line. Each line is\n");
    printf ("# \"key value\": integers in decimal, bytes in lowercase hex, author as\n");
    printf ("# UTF-8 text (nothing after the key when it is empty). Lines starting\n");
    printf ("# with '#' are comments. public_key is derived from seed; hash is\n");
    printf ("# BLAKE2b-256 of entry minus its last 64 bytes; sig is those 64 bytes.\n");
    for (int i = 0; i < VECTORS; i++) {
        s_vector_t *v = &vectors [i];
        char when [32];
        fg_hlc_format (v->hlc, when);
        printf ("\nname %s\n", v->name);
        printf ("# %s; hlc %s+%u\n", v->about, when, (unsigned) (v->hlc & 0xFFFF));
        s_print_hex ("seed", seed, FG_SIGN_SEED_SIZE);
        s_print_hex ("public_key", fg_keys_sign_pk (keys), FG_SIGN_PK_SIZE);
        printf ("origin %u\n", v->origin);
        printf ("epoch %u\n", v->epoch);
        printf ("seq %" PRIu64 "\n", v->seq);
        printf ("hlc %" PRIu64 "\n", v->hlc);
        s_print_hex ("prev_hash", v->prev, FG_HASH_SIZE);
        if (*v->author)
            printf ("author %s\n", v->author);
        else
            printf ("author\n");
        s_print_hex ("payload", v->payload, v->payload_size);
        s_print_hex ("hash", v->hash, FG_HASH_SIZE);
        s_print_hex ("sig", v->entry + v->entry_size - FG_SIG_SIZE, FG_SIG_SIZE);
        s_print_hex ("entry", v->entry, v->entry_size);
    }
}

static void
s_write (const char *dir, const char *sub, const char *name, const uint8_t *data, size_t size)
{
    char *path = fg_strdupf ("%s/%s/%s", dir, sub, name);
    if (fg_file_write (path, data, size, 0644)) {
        fprintf (stderr, "fugai-make-vectors: cannot write %s: %s\n", path, strerror (errno));
        exit (1);
    }
    free (path);
}

static void
s_write_msg (const char *dir, const char *name, fgp_msg_t **msg_p)
{
    size_t size;
    uint8_t *data = fgp_msg_encode (*msg_p, &size);
    if (!data) {
        fprintf (stderr, "fugai-make-vectors: %s: %s\n", name, (*msg_p)->errmsg);
        exit (1);
    }
    s_write (dir, "msg", name, data, size);
    free (data);
    fgp_msg_destroy (msg_p);
}

//  Two BATCHes of a raw body: stored and compressed.
static void
s_write_batches (const char *dir, const char *stored, const char *zipped, const uint8_t *raw,
                 size_t raw_size, uint32_t count)
{
    for (int zip = 0; zip < 2; zip++) {
        fgp_msg_t *msg = fgp_msg_new (FGP_BATCH);
        msg->session = UINT64_C (0x5eed5eed5eed5eed);
        msg->stream = FGP_STREAM_UP;
        msg->gen = 1;
        msg->prev = 1;
        msg->last = 1 + count;
        int rc = fgp_batch_pack (msg, raw, raw_size, count, zip == 1);
        assert (rc == 0);
        assert (!!(msg->flags & FGP_BATCH_ZSTD) == (zip == 1));
        s_write_msg (dir, zip ? zipped : stored, &msg);
    }
}

//  One file per message type (two for BATCH: stored and compressed, both
//  carrying the vector entries; two more with an elided entry), one per
//  vector entry.
static void
s_corpus (s_vector_t *vectors, const char *dir)
{
    for (int i = 0; i < VECTORS; i++)
        s_write (dir, "entry", vectors [i].name, vectors [i].entry, vectors [i].entry_size);

    fgp_msg_t *msg = fgp_msg_new (FGP_HELLO);
    msg->proto_min = msg->proto_max = FG_PROTOCOL_VERSION;
    msg->schema_version = FG_SCHEMA_VERSION;
    msg->node_id = 28100;
    msg->epoch = 1;
    msg->session = UINT64_C (0x5eed5eed5eed5eed);
    msg->down_cursor = 17;
    msg->now_ms = INT64_C (1732700000000);
    fgp_msg_set_software (msg, "fugai-edge 0.1.0");
    fgp_msg_frontier_add (msg, 28100, 2, vectors [4].hash);
    fgp_msg_frontier_add (msg, 128, 1, vectors [2].hash);
    s_write_msg (dir, "hello", &msg);

    msg = fgp_msg_new (FGP_WELCOME);
    msg->proto = FG_PROTOCOL_VERSION;
    msg->schema_version = FG_SCHEMA_VERSION;
    msg->node_id = 128;
    msg->session = UINT64_C (0x5eed5eed5eed5eed);
    msg->up_cursor = 1;
    msg->credit = 8;
    msg->now_ms = INT64_C (1732700000050);
    msg->heartbeat_ms = 15000;
    fgp_msg_want_add (msg, 28100, 2);
    s_write_msg (dir, "welcome", &msg);

    fgp_batch_entry_t entries [VECTORS];
    for (int i = 0; i < VECTORS; i++) {
        entries [i].data = vectors [i].entry;
        entries [i].size = vectors [i].entry_size;
    }
    size_t raw_size;
    uint8_t *raw = fgp_batch_body_encode (entries, VECTORS, &raw_size);
    assert (raw);
    s_write_batches (dir, "batch-stored", "batch-zstd", raw, raw_size, VECTORS);
    free (raw);
    //  Protocol 2: chained-seq2 carried elided after household-put, its
    //  predecessor, between two whole entries
    fgp_body_t elided = { .elide = true };
    int order [] = { 2, 0, 4, 1 };
    for (int i = 0; i < 4; i++)
        assert (fgp_body_add (&elided, vectors [order [i]].entry, vectors [order [i]].entry_size,
                              FGP_MAX_BATCH_RAW, FGP_MAX_BATCH_ENTRIES) == 0);
    s_write_batches (dir, "batch-elided", "batch-elided-zstd", elided.data, elided.size, elided.count);
    fgp_body_reset (&elided);

    msg = fgp_msg_new (FGP_ACK);
    msg->session = UINT64_C (0x5eed5eed5eed5eed);
    msg->stream = FGP_STREAM_UP;
    msg->gen = 1;
    msg->cursor = 1 + VECTORS;
    msg->credit = 8;
    msg->applied = 4;
    msg->buffered = 1;
    fgp_msg_want_add (msg, 28101, 1);
    s_write_msg (dir, "ack", &msg);

    msg = fgp_msg_new (FGP_PING);
    msg->session = 7;
    msg->now_ms = INT64_C (1732700000100);
    s_write_msg (dir, "ping", &msg);

    msg = fgp_msg_new (FGP_PONG);
    msg->session = 7;
    msg->now_ms = INT64_C (1732700000180);
    msg->echo_ms = INT64_C (1732700000100);
    s_write_msg (dir, "pong", &msg);

    msg = fgp_msg_new (FGP_ERROR);
    msg->code = FGP_ERR_SCHEMA;
    fgp_msg_set_reason (msg, "schema version 2 required, peer has 1 (升级边缘节点)");
    s_write_msg (dir, "error", &msg);
}

//  Seeds of the other fuzz targets: each vector's payload (ops), a bundle
//  of the vector entries (stored and compressed), a node's fugai.cfg of
//  each role, and a few CSV registers.
static void
s_corpus_more (s_vector_t *vectors, fg_keys_t *keys, const char *dir)
{
    for (int i = 0; i < VECTORS; i++)
        s_write (dir, "ops", vectors [i].name, vectors [i].payload, vectors [i].payload_size);

    fgp_body_t body = { 0 };
    for (int i = 0; i < VECTORS; i++)
        assert (fgp_body_add (&body, vectors [i].entry, vectors [i].entry_size,
                              FGP_BUNDLE_MAX_RAW, FGP_BUNDLE_MAX_ENTRIES) == 0);
    char err [256];
    size_t size;
    uint8_t *bundle = fgp_bundle_encode (keys, 28100, 128, INT64_C (1732700000000), &body, &size,
                                         err, sizeof err);
    assert (bundle);
    s_write (dir, "bundle", "up-5-entries", bundle, size);
    free (bundle);
    //  Many copies of one entry compress: the compressed form
    fgp_body_t many = { 0 };
    for (int i = 0; i < 40; i++)
        assert (fgp_body_add (&many, vectors [0].entry, vectors [0].entry_size,
                              FGP_BUNDLE_MAX_RAW, FGP_BUNDLE_MAX_ENTRIES) == 0);
    bundle = fgp_bundle_encode (keys, 128, 28100, INT64_C (1732700000000), &many, &size, err, sizeof err);
    assert (bundle);
    s_write (dir, "bundle", "down-zstd", bundle, size);
    free (bundle);
    fgp_body_reset (&body);
    fgp_body_reset (&many);

    static const struct { const char *name; fg_tier_t tier; const char *org; uint16_t id;
                          const char *listen; const char *parent; } nodes [] = {
        { "township", FG_TIER_TOWNSHIP, "513328100", 28100, NULL, "tcp://127.0.0.1:9701" },
        { "county", FG_TIER_COUNTY, "513328", 128, "tcp://*:9701", "tcp://127.0.0.1:9700" },
        { "prefecture", FG_TIER_PREFECTURE, "513300", 1, "tcp://*:9700", NULL }
    };
    char *scratch = fg_strdupf ("/tmp/fugai-make-vectors.%d", (int) getpid ());
    for (size_t i = 0; i < sizeof nodes / sizeof nodes [0]; i++) {
        fg_node_t node = { .node_id = nodes [i].id, .tier = nodes [i].tier };
        snprintf (node.org, sizeof node.org, "%s", nodes [i].org);
        snprintf (node.name, sizeof node.name, "%s %s", nodes [i].name, nodes [i].org);
        assert (fg_mkdir_p (scratch, 0700) == 0);
        assert (fg_config_write (scratch, &node, nodes [i].listen, nodes [i].parent) == 0);
        char *path = fg_strdupf ("%s/fugai.cfg", scratch);
        FILE *file = fopen (path, "rb");
        assert (file);
        uint8_t text [8192];
        size_t got = fread (text, 1, sizeof text, file);
        fclose (file);
        remove (path);
        free (path);
        s_write (dir, "config", nodes [i].name, text, got);
    }
    rmdir (scratch);
    free (scratch);

    static const struct { const char *name; const char *text; } csvs [] = {
        { "households", "org_id,head_name,size\r\n513328100201,扎西,5\r\n513328100202,\"Pema, Dolma\",3\r\n" },
        { "quoted", "\xef\xbb\xbfname,note\n\"a \"\"quoted\"\" word\",\"two\nlines\"\n\nlast,\n" },
        { "ragged", "a,b,c\n1\n1,2,3,4\n,,\n" }
    };
    for (size_t i = 0; i < sizeof csvs / sizeof csvs [0]; i++)
        s_write (dir, "csv", csvs [i].name, (const uint8_t *) csvs [i].text, strlen (csvs [i].text));
}

int
main (int argc, char *argv [])
{
    const char *corpus = NULL;
    if (argc == 3 && streq (argv [1], "--corpus"))
        corpus = argv [2];
    else
    if (argc != 1) {
        fprintf (stderr, "usage: fugai-make-vectors [--corpus DIR]\n");
        return 2;
    }
    if (sodium_init () < 0)
        return 1;
    uint8_t seed [FG_SIGN_SEED_SIZE];
    for (int i = 0; i < FG_SIGN_SEED_SIZE; i++)
        seed [i] = (uint8_t) i;
    fg_keys_t *keys = fg_keys_new_from_seed (seed);
    s_vector_t vectors [VECTORS];
    s_build (vectors, keys);
    if (corpus) {
        char *msg_dir = fg_strdupf ("%s/msg", corpus);
        char *entry_dir = fg_strdupf ("%s/entry", corpus);
        if (fg_mkdir_p (msg_dir, 0755) || fg_mkdir_p (entry_dir, 0755)) {
            fprintf (stderr, "fugai-make-vectors: cannot create %s\n", corpus);
            return 1;
        }
        free (msg_dir);
        free (entry_dir);
        const char *more [] = { "ops", "bundle", "config", "csv" };
        for (size_t i = 0; i < 4; i++) {
            char *sub = fg_strdupf ("%s/%s", corpus, more [i]);
            if (fg_mkdir_p (sub, 0755)) {
                fprintf (stderr, "fugai-make-vectors: cannot create %s\n", sub);
                return 1;
            }
            free (sub);
        }
        s_corpus (vectors, corpus);
        s_corpus_more (vectors, keys, corpus);
    }
    else
        s_print (vectors, seed, keys);
    for (int i = 0; i < VECTORS; i++) {
        free (vectors [i].payload);
        free (vectors [i].entry);
    }
    fg_keys_destroy (&keys);
    return 0;
}
