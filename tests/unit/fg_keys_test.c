/*  fg_keys_test.c - self-test of fg_keys (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fg_keys.h"
#include "fg_util.h"
#include <sys/stat.h>

void
fg_keys_test (bool verbose)
{
    printf (" * fg_keys: ");
    //  RFC 8032 test 1: seed 9d61b1..., public d75a98...
    uint8_t seed [32];
    assert (fg_hex_decode ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                           seed, 32) == 0);
    fg_keys_t *keys = fg_keys_new_from_seed (seed);
    char hex [65];
    fg_hex_encode (fg_keys_sign_pk (keys), 32, hex);
    assert (streq (hex, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    uint8_t sig [64];
    fg_keys_sign (keys, (const uint8_t *) "", 0, sig);
    char sighex [129];
    fg_hex_encode (sig, 64, sighex);
    assert (streq (sighex, "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                           "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
    assert (fg_sign_verify (sig, (const uint8_t *) "", 0, fg_keys_sign_pk (keys)) == 0);
    sig [3] ^= 1;
    assert (fg_sign_verify (sig, (const uint8_t *) "", 0, fg_keys_sign_pk (keys)) == -1);

    fg_node_t me = { .node_id = 28100, .tier = FG_TIER_TOWNSHIP, .org = "513328100",
                     .name = "Test township", .epoch = 0 };
    fg_keys_set_identity (keys, &me);
    char *dir = fg_strdupf ("/tmp/fg_keys_test.%d", (int) getpid ());
    assert (fg_keys_save (keys, dir) == 0);
    char *path = fg_strdupf ("%s/sign.secret", dir);
    struct stat st;
    assert (stat (path, &st) == 0 && (st.st_mode & 0777) == 0600);
    free (path);
    path = fg_strdupf ("%s/node.cert_secret", dir);
    assert (stat (path, &st) == 0 && (st.st_mode & 0777) == 0600);

    fg_keys_t *loaded = fg_keys_load (dir);
    assert (loaded);
    assert (memcmp (fg_keys_sign_pk (loaded), fg_keys_sign_pk (keys), 32) == 0);
    assert (streq (zcert_public_txt (fg_keys_cert (loaded)), zcert_public_txt (fg_keys_cert (keys))));
    fg_keys_destroy (&loaded);

    //  A secret readable by others is refused
    chmod (path, 0644);
    assert (fg_keys_load (dir) == NULL);
    chmod (path, 0600);
    free (path);

    fg_node_t read;
    char err [128];
    path = fg_strdupf ("%s/node.cert", dir);
    assert (fg_node_from_cert (path, &read, err, sizeof err) == 0);
    assert (read.node_id == 28100 && read.tier == FG_TIER_TOWNSHIP);
    assert (streq (read.org, "513328100") && streq (read.name, "Test township"));
    assert (memcmp (read.sign_pk, fg_keys_sign_pk (keys), 32) == 0);
    assert (fg_node_from_cert ("/nonexistent", &read, err, sizeof err) == -1);
    free (path);
    path = fg_strdupf ("%s/node.cert_secret", dir);
    assert (fg_node_from_cert (path, &read, err, sizeof err) == -1 && strstr (err, "secret"));
    free (path);
    zsys_dir_delete (dir);
    char *rm = fg_strdupf ("rm -rf %s", dir);
    if (system (rm)) { }
    free (rm);
    free (dir);
    fg_keys_destroy (&keys);
    fg_keys_destroy (&keys);
    printf ("OK\n");
}
