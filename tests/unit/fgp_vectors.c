/*  fgp_vectors.c - checks the entry test vectors (protocol/SPEC.md §6).

    The file protocol/vectors/entries.txt is text: blocks separated by blank
    lines, one "key value" line per field, '#' lines are comments. Keys, in
    the order the generator writes them:

        name        the vector's name
        seed        Ed25519 seed, 32 bytes hex
        public_key  Ed25519 public key of that seed, 32 bytes hex
        origin      u16 decimal         epoch   u32 decimal
        seq         u64 decimal         hlc     u64 decimal
        prev_hash   32 bytes hex
        author      UTF-8 text to the end of the line (empty: no value)
        payload     hex (fg_ops format)
        hash        32 bytes hex: BLAKE2b-256 of entry minus its signature
        sig         64 bytes hex: Ed25519 signature of hash
        entry       hex of the whole entry (fg_entry.h)

    Every key must appear exactly once per block. Nothing here trusts the
    file: a malformed line is a failure with its line number.
*/
#include "fgp_vectors.h"
#include "fg_util.h"
#include "fg_keys.h"
#include "fg_entry.h"
#include "fg_ops.h"

#ifndef FUGAI_SOURCE_DIR
#   define FUGAI_SOURCE_DIR "."
#endif

typedef enum {
    K_NAME, K_SEED, K_PUBLIC_KEY, K_ORIGIN, K_EPOCH, K_SEQ, K_HLC, K_PREV_HASH,
    K_AUTHOR, K_PAYLOAD, K_HASH, K_SIG, K_ENTRY, K_COUNT
} s_key_t;

static const char *s_key_names [K_COUNT] = {
    "name", "seed", "public_key", "origin", "epoch", "seq", "hlc", "prev_hash",
    "author", "payload", "hash", "sig", "entry"
};

typedef struct {
    int      line;                  //  line of `name`
    bool     have [K_COUNT];
    char     name [64];
    uint8_t  seed [FG_SIGN_SEED_SIZE];
    uint8_t  pk [FG_SIGN_PK_SIZE];
    uint64_t origin, epoch, seq, hlc;
    uint8_t  prev [FG_HASH_SIZE];
    char     author [FG_ENTRY_AUTHOR_MAX + 1];
    uint8_t *payload;
    size_t   payload_size;
    uint8_t  hash [FG_HASH_SIZE];
    uint8_t  sig [FG_SIG_SIZE];
    uint8_t *entry;
    size_t   entry_size;
} s_vector_t;

//  What earlier vectors left for the chain check
typedef struct {
    uint64_t origin, seq;
    uint8_t  hash [FG_HASH_SIZE];
} s_link_t;

const char *
fgp_vectors_path (void)
{
    const char *path = getenv ("FUGAI_VECTORS");
    return path && *path ? path : FUGAI_SOURCE_DIR "/protocol/vectors/entries.txt";
}

static void
s_vector_reset (s_vector_t *v)
{
    free (v->payload);
    free (v->entry);
    memset (v, 0, sizeof *v);
}

//  Decimal, digits only, <= max.
static int
s_parse_uint (const char *text, uint64_t max, uint64_t *out)
{
    if (!*text || strspn (text, "0123456789") != strlen (text) || strlen (text) > 20)
        return -1;
    errno = 0;
    unsigned long long value = strtoull (text, NULL, 10);
    if (errno || value > max)
        return -1;
    *out = value;
    return 0;
}

//  Hex of exactly `size` bytes into out.
static int
s_parse_fixed (const char *text, uint8_t *out, size_t size)
{
    return strlen (text) == 2 * size ? fg_hex_decode (text, out, size) : -1;
}

//  Hex of any non-zero length into a fresh buffer.
static int
s_parse_blob (const char *text, uint8_t **out, size_t *size_p)
{
    size_t len = strlen (text);
    if (len == 0 || len % 2)
        return -1;
    uint8_t *data = (uint8_t *) malloc (len / 2);
    assert (data);
    if (fg_hex_decode (text, data, len / 2)) {
        free (data);
        return -1;
    }
    *out = data;
    *size_p = len / 2;
    return 0;
}

//  One "key value" line into the vector; 0 or -1 with the reason.
static int
s_parse_line (s_vector_t *v, char *line, char *errbuf, size_t errsize)
{
    char *value = strchr (line, ' ');
    if (value)
        *value++ = 0;
    else
        value = line + strlen (line);
    int key = -1;
    for (int k = 0; k < K_COUNT; k++)
        if (streq (line, s_key_names [k]))
            key = k;
    if (key < 0) {
        snprintf (errbuf, errsize, "unknown key '%.40s'", line);
        return -1;
    }
    if (v->have [key]) {
        snprintf (errbuf, errsize, "'%s' given twice", s_key_names [key]);
        return -1;
    }
    v->have [key] = true;
    int rc = 0;
    switch (key) {
        case K_NAME:
            rc = *value && strlen (value) < sizeof v->name ? 0 : -1;
            if (rc == 0)
                strcpy (v->name, value);
            break;
        case K_SEED:       rc = s_parse_fixed (value, v->seed, sizeof v->seed); break;
        case K_PUBLIC_KEY: rc = s_parse_fixed (value, v->pk, sizeof v->pk); break;
        case K_ORIGIN:     rc = s_parse_uint (value, UINT16_MAX, &v->origin); break;
        case K_EPOCH:      rc = s_parse_uint (value, UINT32_MAX, &v->epoch); break;
        case K_SEQ:        rc = s_parse_uint (value, UINT64_MAX, &v->seq); break;
        case K_HLC:        rc = s_parse_uint (value, UINT64_MAX, &v->hlc); break;
        case K_PREV_HASH:  rc = s_parse_fixed (value, v->prev, sizeof v->prev); break;
        case K_AUTHOR:
            rc = strlen (value) <= FG_ENTRY_AUTHOR_MAX ? 0 : -1;
            if (rc == 0)
                strcpy (v->author, value);
            break;
        case K_PAYLOAD:    rc = s_parse_blob (value, &v->payload, &v->payload_size); break;
        case K_HASH:       rc = s_parse_fixed (value, v->hash, sizeof v->hash); break;
        case K_SIG:        rc = s_parse_fixed (value, v->sig, sizeof v->sig); break;
        case K_ENTRY:      rc = s_parse_blob (value, &v->entry, &v->entry_size); break;
    }
    if (rc)
        snprintf (errbuf, errsize, "bad value for '%s'", s_key_names [key]);
    return rc;
}

//  Check one complete vector; 0 or -1 with the reason.
static int
s_check_vector (s_vector_t *v, s_link_t *links, size_t link_count,
                char *errbuf, size_t errsize)
{
    for (int k = 0; k < K_COUNT; k++)
        if (!v->have [k]) {
            snprintf (errbuf, errsize, "'%s' missing", s_key_names [k]);
            return -1;
        }
    //  seq 1 starts a chain; seq n follows the listed seq n-1 if any
    static const uint8_t zeros [FG_HASH_SIZE] = { 0 };
    if (v->seq == 1 && memcmp (v->prev, zeros, FG_HASH_SIZE)) {
        snprintf (errbuf, errsize, "seq 1 with a prev_hash that is not zeros");
        return -1;
    }
    for (size_t i = 0; i < link_count; i++)
        if (links [i].origin == v->origin && links [i].seq + 1 == v->seq
        &&  memcmp (links [i].hash, v->prev, FG_HASH_SIZE)) {
            snprintf (errbuf, errsize, "prev_hash is not the hash of seq %" PRIu64
                      " of origin %" PRIu64, links [i].seq, links [i].origin);
            return -1;
        }
    int rc = 0;
    fg_keys_t *keys = fg_keys_new_from_seed (v->seed);
    size_t size = 0;
    uint8_t hash [FG_HASH_SIZE];
    uint8_t *built = fg_entry_build (keys, (uint16_t) v->origin, (uint32_t) v->epoch,
                                     v->seq, v->hlc, v->prev, v->author,
                                     v->payload, v->payload_size, &size, hash);
    fg_entry_t entry;
    if (memcmp (fg_keys_sign_pk (keys), v->pk, FG_SIGN_PK_SIZE)) {
        snprintf (errbuf, errsize, "public_key is not the seed's");
        rc = -1;
    }
    if (rc == 0 && !built) {
        snprintf (errbuf, errsize, "fields out of bounds: fg_entry_build refuses them");
        rc = -1;
    }
    if (rc == 0 && memcmp (hash, v->hash, FG_HASH_SIZE)) {
        snprintf (errbuf, errsize, "hash of the rebuilt entry differs");
        rc = -1;
    }
    if (rc == 0 && memcmp (built + size - FG_SIG_SIZE, v->sig, FG_SIG_SIZE)) {
        snprintf (errbuf, errsize, "sig of the rebuilt entry differs");
        rc = -1;
    }
    if (rc == 0 && (size != v->entry_size || memcmp (built, v->entry, size))) {
        snprintf (errbuf, errsize, "rebuilt entry bytes differ (%zu vs %zu bytes)",
                  size, v->entry_size);
        rc = -1;
    }
    if (rc == 0) {
        int parsed = fg_entry_parse (&entry, v->entry, v->entry_size);
        if (parsed != FG_ENTRY_OK) {
            snprintf (errbuf, errsize, "entry does not parse: %s", fg_entry_strerror (parsed));
            rc = -1;
        }
    }
    if (rc == 0
    && (entry.origin != v->origin || entry.epoch != v->epoch || entry.seq != v->seq
    ||  entry.hlc != v->hlc || memcmp (entry.prev_hash, v->prev, FG_HASH_SIZE)
    ||  strcmp (entry.author, v->author) || entry.payload_size != v->payload_size
    ||  memcmp (entry.payload, v->payload, v->payload_size)
    ||  memcmp (entry.hash, v->hash, FG_HASH_SIZE))) {
        snprintf (errbuf, errsize, "parsed entry does not hold the listed fields");
        rc = -1;
    }
    if (rc == 0 && fg_entry_verify (&entry, v->pk) != 0) {
        snprintf (errbuf, errsize, "signature does not verify with public_key");
        rc = -1;
    }
    if (rc == 0) {
        fg_ops_reader_t reader;
        fg_op_t *op = (fg_op_t *) malloc (sizeof (fg_op_t));
        assert (op);
        int next = fg_ops_reader_init (&reader, v->payload, v->payload_size);
        while (next == 0 && (next = fg_ops_next (&reader, op)) == 1)
            next = 0;
        free (op);
        if (next != 0) {
            snprintf (errbuf, errsize, "payload does not decode as fg_ops");
            rc = -1;
        }
    }
    free (built);
    fg_keys_destroy (&keys);
    return rc;
}

int
fgp_vectors_check_text (const char *text, char *errbuf, size_t errsize)
{
    assert (text);
    char scratch [1];
    if (!errbuf || errsize == 0) {
        errbuf = scratch;
        errsize = sizeof scratch;
    }
    errbuf [0] = 0;
    char *copy = strdup (text);
    assert (copy);
    s_vector_t vector;
    memset (&vector, 0, sizeof vector);
    s_link_t *links = NULL;
    size_t link_count = 0;
    char reason [200] = "";
    int line_no = 0;
    int fail_line = 0;
    int rc = 0;
    int checked = 0;
    char *next = copy;
    while (rc == 0 && next) {
        char *line = next;
        char *newline = strchr (line, '\n');
        if (newline) {
            *newline = 0;
            next = newline + 1;
        }
        else
            next = NULL;
        line_no++;
        size_t len = strlen (line);
        if (len && line [len - 1] == '\r')
            line [--len] = 0;
        if (line [0] == '#')
            continue;
        if (len > 0) {
            if (!vector.have [K_NAME] && strncmp (line, "name ", 5)) {
                snprintf (reason, sizeof reason, "a vector must start with 'name'");
                rc = -1;
            }
            else {
                if (!vector.have [K_NAME])
                    vector.line = line_no;
                rc = s_parse_line (&vector, line, reason, sizeof reason);
            }
            fail_line = line_no;
            if (rc == 0 && next)
                continue;
        }
        //  A blank line or the end of the text closes a vector
        if (rc == 0 && vector.have [K_NAME]) {
            rc = s_check_vector (&vector, links, link_count, reason, sizeof reason);
            fail_line = vector.line;
            if (rc == 0) {
                links = (s_link_t *) realloc (links, (link_count + 1) * sizeof (s_link_t));
                assert (links);
                links [link_count].origin = vector.origin;
                links [link_count].seq = vector.seq;
                memcpy (links [link_count].hash, vector.hash, FG_HASH_SIZE);
                link_count++;
                checked++;
                s_vector_reset (&vector);
            }
        }
    }
    if (rc)
        snprintf (errbuf, errsize, "vector '%s' (line %d): %s",
                  vector.name [0] ? vector.name : "?", fail_line, reason);
    else
    if (checked == 0) {
        snprintf (errbuf, errsize, "no vectors found");
        rc = -1;
    }
    s_vector_reset (&vector);
    free (links);
    free (copy);
    return rc ? -1 : checked;
}

int
fgp_vectors_check (const char *path, char *errbuf, size_t errsize)
{
    assert (path);
    size_t size;
    char *text = (char *) fg_file_read (path, &size);
    if (!text) {
        if (errbuf && errsize)
            snprintf (errbuf, errsize, "%s: %s", path, strerror (errno));
        return -1;
    }
    int rc = -1;
    if (strlen (text) != size) {
        if (errbuf && errsize)
            snprintf (errbuf, errsize, "%s: holds a NUL byte", path);
    }
    else
        rc = fgp_vectors_check_text (text, errbuf, errsize);
    free (text);
    return rc;
}
