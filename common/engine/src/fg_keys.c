/*  fg_keys.c - node keys: CURVE certificate plus Ed25519 signing key. */
#include "fg_keys.h"
#include "fg_util.h"
#include <sys/stat.h>

struct _fg_keys_t {
    zcert_t *cert;                              //  CURVE pair + metadata
    uint8_t  sign_pk [FG_SIGN_PK_SIZE];
    uint8_t  sign_sk [FG_SIGN_SK_SIZE];         //  scrubbed on destroy
};

static fg_keys_t *
s_keys_from_seed (const uint8_t seed [FG_SIGN_SEED_SIZE], zcert_t *cert)
{
    fg_keys_t *self = (fg_keys_t *) zmalloc (sizeof (fg_keys_t));
    assert (self);
    if (sodium_init () < 0)
        assert (false);
    crypto_sign_seed_keypair (self->sign_pk, self->sign_sk, seed);
    self->cert = cert ? cert : zcert_new ();
    assert (self->cert);
    return self;
}

fg_keys_t *
fg_keys_new (void)
{
    uint8_t seed [FG_SIGN_SEED_SIZE];
    if (sodium_init () < 0)
        assert (false);
    randombytes_buf (seed, sizeof seed);
    fg_keys_t *self = s_keys_from_seed (seed, NULL);
    sodium_memzero (seed, sizeof seed);
    return self;
}

fg_keys_t *
fg_keys_new_from_seed (const uint8_t seed [FG_SIGN_SEED_SIZE])
{
    return s_keys_from_seed (seed, NULL);
}

//  A secret file must exist and be readable by its owner only.
static int
s_check_secret_mode (const char *path)
{
    struct stat st;
    if (stat (path, &st)) {
        zsys_error ("keys: cannot read %s: %s", path, strerror (errno));
        return -1;
    }
    if (st.st_mode & 077) {
        zsys_error ("keys: %s is mode %03o; secret files must be 0600 "
                    "(chmod 600 %s)", path, (unsigned) (st.st_mode & 0777), path);
        return -1;
    }
    return 0;
}

fg_keys_t *
fg_keys_load (const char *keydir)
{
    char *cert_path = fg_strdupf ("%s/node.cert", keydir);
    char *cert_secret = fg_strdupf ("%s/node.cert_secret", keydir);
    char *sign_path = fg_strdupf ("%s/sign.secret", keydir);
    fg_keys_t *self = NULL;
    zcert_t *cert = NULL;
    uint8_t *text = NULL;
    size_t size = 0;
    uint8_t seed [FG_SIGN_SEED_SIZE];

    int rc = 0;
    if (rc == 0)
        rc = s_check_secret_mode (cert_secret);
    if (rc == 0)
        rc = s_check_secret_mode (sign_path);
    if (rc == 0) {
        cert = zcert_load (cert_path);      //  reads node.cert_secret too
        if (!cert || streq (zcert_secret_txt (cert),
                            "0000000000000000000000000000000000000000")) {
            zsys_error ("keys: %s is missing or has no secret part", cert_secret);
            rc = -1;
        }
    }
    if (rc == 0) {
        text = fg_file_read (sign_path, &size);
        while (text && size > 0 && (text [size - 1] == '\n' || text [size - 1] == '\r'))
            text [--size] = 0;
        if (!text || fg_hex_decode ((char *) text, seed, sizeof seed)) {
            zsys_error ("keys: %s must hold 64 hex digits", sign_path);
            rc = -1;
        }
    }
    if (rc == 0) {
        self = s_keys_from_seed (seed, cert);
        cert = NULL;
        //  The certificate must advertise the key we sign with
        const char *advertised = zcert_meta (self->cert, "sign-key");
        char mine [2 * FG_SIGN_PK_SIZE + 1];
        fg_hex_encode (self->sign_pk, FG_SIGN_PK_SIZE, mine);
        if (!advertised || !streq (advertised, mine)) {
            zsys_error ("keys: sign-key in %s does not match %s", cert_path, sign_path);
            fg_keys_destroy (&self);
        }
    }
    sodium_memzero (seed, sizeof seed);
    if (text) {
        sodium_memzero (text, size);
        free (text);
    }
    zcert_destroy (&cert);
    free (cert_path);
    free (cert_secret);
    free (sign_path);
    return self;
}

void
fg_keys_destroy (fg_keys_t **self_p)
{
    assert (self_p);
    fg_keys_t *self = *self_p;
    if (self) {
        sodium_memzero (self->sign_sk, sizeof self->sign_sk);
        zcert_destroy (&self->cert);
        free (self);
        *self_p = NULL;
    }
}

void
fg_keys_set_identity (fg_keys_t *self, const fg_node_t *node)
{
    char hex [2 * FG_SIGN_PK_SIZE + 1];
    fg_hex_encode (self->sign_pk, FG_SIGN_PK_SIZE, hex);
    zcert_set_meta (self->cert, "node-id", "%u", (unsigned) node->node_id);
    zcert_set_meta (self->cert, "role", "%s", fg_tier_name (node->tier));
    zcert_set_meta (self->cert, "org", "%s", node->org);
    zcert_set_meta (self->cert, "name", "%s", node->name);
    zcert_set_meta (self->cert, "epoch", "%u", (unsigned) node->epoch);
    zcert_set_meta (self->cert, "sign-key", "%s", hex);
}

int
fg_keys_save (fg_keys_t *self, const char *keydir)
{
    if (fg_mkdir_p (keydir, 0700))
        return -1;
    char *cert_path = fg_strdupf ("%s/node.cert", keydir);
    char *cert_secret = fg_strdupf ("%s/node.cert_secret", keydir);
    char *sign_path = fg_strdupf ("%s/sign.secret", keydir);
    //  zcert writes with the process umask: close it so the secret file is
    //  never readable by others, not even for an instant.
    mode_t old = umask (077);
    int rc = zcert_save (self->cert, cert_path);
    umask (old);
    if (rc == 0)
        rc = chmod (cert_secret, 0600);
    if (rc == 0)
        rc = chmod (cert_path, 0644);
    if (rc == 0) {
        char hex [2 * FG_SIGN_SEED_SIZE + 2];
        fg_hex_encode (self->sign_sk, FG_SIGN_SEED_SIZE, hex);  //  seed = first half
        strcat (hex, "\n");
        rc = fg_file_write (sign_path, hex, strlen (hex), 0600);
        sodium_memzero (hex, sizeof hex);
    }
    free (cert_path);
    free (cert_secret);
    free (sign_path);
    return rc;
}

zcert_t *
fg_keys_cert (fg_keys_t *self)
{
    return self->cert;
}

const uint8_t *
fg_keys_sign_pk (fg_keys_t *self)
{
    return self->sign_pk;
}

void
fg_keys_sign (fg_keys_t *self, const uint8_t *msg, size_t size, uint8_t sig [FG_SIG_SIZE])
{
    crypto_sign_detached (sig, NULL, msg, size, self->sign_sk);
}

int
fg_sign_verify (const uint8_t sig [FG_SIG_SIZE], const uint8_t *msg, size_t size,
                const uint8_t pk [FG_SIGN_PK_SIZE])
{
    return crypto_sign_verify_detached (sig, msg, size, pk) == 0 ? 0 : -1;
}

int
fg_node_from_zcert (zcert_t *cert, fg_node_t *node, char *errbuf, size_t errsize)
{
    memset (node, 0, sizeof *node);
    const char *id = zcert_meta (cert, "node-id");
    const char *role = zcert_meta (cert, "role");
    const char *org = zcert_meta (cert, "org");
    const char *name = zcert_meta (cert, "name");
    const char *epoch = zcert_meta (cert, "epoch");
    const char *sign = zcert_meta (cert, "sign-key");
    char *end = NULL;
    if (!id || !*id)
        return fg_errf (errbuf, errsize, "certificate has no node-id");
    long value = strtol (id, &end, 10);
    if (*end || value < 1 || value > 65535)
        return fg_errf (errbuf, errsize, "node-id must be 1..65535");
    node->node_id = (uint16_t) value;
    node->tier = fg_tier_from_name (role);
    if (node->tier == FG_TIER_NONE)
        return fg_errf (errbuf, errsize, "role must be township, county or prefecture");
    if (!org || strlen (org) < 6 || strlen (org) > FG_ORG_CODE_MAX
    ||  strspn (org, "0123456789") != strlen (org))
        return fg_errf (errbuf, errsize, "org must be a 6 to 12 digit division code");
    strcpy (node->org, org);
    snprintf (node->name, sizeof node->name, "%s", name ? name : "");
    if (epoch) {
        value = strtol (epoch, &end, 10);
        if (*end || value < 0)
            return fg_errf (errbuf, errsize, "epoch must be a number");
        node->epoch = (uint32_t) value;
    }
    if (!sign || fg_hex_decode (sign, node->sign_pk, FG_SIGN_PK_SIZE))
        return fg_errf (errbuf, errsize, "sign-key must be 64 hex digits");
    snprintf (node->curve_pk, sizeof node->curve_pk, "%s", zcert_public_txt (cert));
    return 0;
}

int
fg_node_from_cert (const char *path, fg_node_t *node, char *errbuf, size_t errsize)
{
    memset (node, 0, sizeof *node);
    if (!zsys_file_exists (path))
        return fg_errf (errbuf, errsize, "no such certificate file");
    //  The file itself must be public: a secret certificate (node.cert_secret)
    //  given by mistake would otherwise be copied where it does not belong.
    //  (zcert_load also reads PATH_secret if it exists, so look at the file.)
    zconfig_t *text = zconfig_load (path);
    if (!text)
        return fg_errf (errbuf, errsize, "not a CZMQ certificate");
    bool secret = zconfig_get (text, "curve/secret-key", NULL) != NULL;
    zconfig_destroy (&text);
    if (secret)
        return fg_errf (errbuf, errsize, "this file holds a secret key: give the public certificate "
                        "(keys/node.cert), never node.cert_secret");
    zcert_t *cert = zcert_load (path);
    if (!cert)
        return fg_errf (errbuf, errsize, "not a CZMQ certificate");
    int rc = fg_node_from_zcert (cert, node, errbuf, errsize);
    zcert_destroy (&cert);
    return rc;
}

//  -------------------------------------------------------------------------
//  Key rotation: the bytes the current key signs (fg_keys.h)

static void
s_rekey_message (const fg_node_t *next, uint8_t msg [FG_REKEY_MSG_SIZE])
{
    memset (msg, 0, FG_REKEY_MSG_SIZE);
    memcpy (msg, "FGRK", 4);
    msg [4] = (uint8_t) (next->node_id >> 8);
    msg [5] = (uint8_t) next->node_id;
    memcpy (msg + 6, next->sign_pk, FG_SIGN_PK_SIZE);
    size_t len = strnlen (next->curve_pk, 40);
    memcpy (msg + 38, next->curve_pk, len);
}

void
fg_keys_rekey_sign (fg_keys_t *current, fg_keys_t *next, const fg_node_t *next_node)
{
    uint8_t msg [FG_REKEY_MSG_SIZE], sig [FG_SIG_SIZE];
    s_rekey_message (next_node, msg);
    fg_keys_sign (current, msg, sizeof msg, sig);
    char hex [2 * FG_SIG_SIZE + 1];
    fg_hex_encode (sig, FG_SIG_SIZE, hex);
    zcert_set_meta (next->cert, FG_REKEY_SIG_META, "%s", hex);
}

int
fg_rekey_verify (const uint8_t sig [FG_SIG_SIZE], const fg_node_t *next,
                 const uint8_t current_pk [FG_SIGN_PK_SIZE])
{
    uint8_t msg [FG_REKEY_MSG_SIZE];
    s_rekey_message (next, msg);
    return fg_sign_verify (sig, msg, sizeof msg, current_pk);
}

int
fg_rekey_sig_from_cert (const char *path, uint8_t sig [FG_SIG_SIZE], char *errbuf, size_t errsize)
{
    memset (sig, 0, FG_SIG_SIZE);
    zcert_t *cert = zsys_file_exists (path) ? zcert_load (path) : NULL;
    if (!cert)
        return fg_errf (errbuf, errsize, "%s is not a CZMQ certificate", path);
    const char *hex = zcert_meta (cert, FG_REKEY_SIG_META);
    int rc = 0;
    if (!hex)
        rc = fg_errf (errbuf, errsize, "%s carries no rekey signature: it was not made by fugai rekey "
                      "(a node that lost its keys is replaced with enroll --replace)", path);
    else
    if (strlen (hex) != 2 * FG_SIG_SIZE || fg_hex_decode (hex, sig, FG_SIG_SIZE))
        rc = fg_errf (errbuf, errsize, "the rekey-sig of %s is not %d hex digits", path, 2 * FG_SIG_SIZE);
    zcert_destroy (&cert);
    return rc;
}

int
fg_node_write_cert (const fg_node_t *node, const char *path)
{
    uint8_t public_key [32], secret_key [32] = { 0 };
    if (strlen (node->curve_pk) != 40 || !zmq_z85_decode (public_key, node->curve_pk))
        return -1;
    zcert_t *cert = zcert_new_from (public_key, secret_key);
    if (!cert)
        return -1;
    char hex [2 * FG_SIGN_PK_SIZE + 1];
    fg_hex_encode (node->sign_pk, FG_SIGN_PK_SIZE, hex);
    zcert_set_meta (cert, "node-id", "%u", (unsigned) node->node_id);
    zcert_set_meta (cert, "role", "%s", fg_tier_name (node->tier));
    zcert_set_meta (cert, "org", "%s", node->org);
    zcert_set_meta (cert, "name", "%s", node->name);
    zcert_set_meta (cert, "epoch", "%u", (unsigned) node->epoch);
    zcert_set_meta (cert, "sign-key", "%s", hex);
    int rc = zcert_save_public (cert, path);
    if (rc == 0)
        rc = chmod (path, 0644);
    zcert_destroy (&cert);
    return rc;
}
