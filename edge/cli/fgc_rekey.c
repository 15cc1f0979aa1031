/*  fgc_rekey.c - key changes: rotating a node's keys (fugai rekey,
    rekey --switch, rekey --cancel; the parent's side is fugai enroll
    --rekey, fgc_admin.c), and the statement that lets a county's children
    trust it again under new keys (fugai statement; trust --statement is
    fgc_admin.c).

    The flow (deploy/OPERATIONS.md, "Key rotation"; SPEC.md §1.1):
      1. on the node, `fugai rekey`: new keys in DIR/keys.next, their
         certificate signed by the current key (rekey-sig); nothing else
         changes, the node goes on with its current keys;
      2. the operator carries DIR/keys.next/node.cert to the parent, which
         runs `fugai enroll --rekey CERT`: the signature is checked with the
         key it knows, the node's chain goes on in a new epoch after the
         parent's copy, the old key is kept, and the record travels up;
      3. on the node, with its daemon stopped, `fugai rekey --switch`: the
         current keys are kept in DIR/keys.old-EPOCH, the next ones become
         DIR/keys; own writes wait until the parent's record arrives (at
         once if it is here already), then the node signs with the new
         keys; any write of the old key the parent never held is signed
         again in the new epoch. Start the daemon.
    Files move by copy (each file written whole, fsynced, renamed), and
    keys.next goes last, so a --switch cut short is run again.
*/
#include "fgc.h"
#include "fg_site.h"
#include <sys/stat.h>
#include <dirent.h>

static const char *s_key_files [] = { "sign.secret", "node.cert_secret", "node.cert", NULL };

//  Copy the three key files from one directory into another, keeping each
//  file's mode (the certificate 0644, the secrets 0600).
static int
s_copy_keys (const char *from, const char *to)
{
    if (fg_mkdir_p (to, 0700))
        return -1;
    int rc = 0;
    for (int i = 0; rc == 0 && s_key_files [i]; i++) {
        char *src = fg_strdupf ("%s/%s", from, s_key_files [i]);
        char *dst = fg_strdupf ("%s/%s", to, s_key_files [i]);
        struct stat st;
        size_t size;
        uint8_t *data = stat (src, &st) == 0 ? fg_file_read (src, &size) : NULL;
        rc = data ? fg_file_write (dst, data, size, st.st_mode & 0644) : -1;
        if (data) {
            sodium_memzero (data, size);
            free (data);
        }
        free (src);
        free (dst);
    }
    return rc;
}

static void
s_remove_keys (const char *dir)
{
    for (int i = 0; s_key_files [i]; i++) {
        char *path = fg_strdupf ("%s/%s", dir, s_key_files [i]);
        unlink (path);
        free (path);
    }
    rmdir (dir);
}

//  The node the keys in a directory describe (its certificate).
static int
s_keys_node (fg_keys_t *keys, fg_node_t *node)
{
    char err [256];
    return fg_node_from_zcert (fg_keys_cert (keys), node, err, sizeof err);
}

//  fugai rekey: make the next keys, signed by the current ones.
static int
s_make (fgc_t *ctx, const char *next_dir)
{
    const fg_node_t *self = fg_replica_self (ctx->replica);
    if (fg_replica_rekeying (ctx->replica))
        return fgc_fail (FGC_REFUSED, "this node switched to its next keys and waits for its parent's record "
                         "of them (fugai status says REKEYING): start the daemon, or fugai rekey --cancel");
    char *cert = fg_strdupf ("%s/node.cert", next_dir);
    if (zsys_file_exists (cert)) {
        printf ("next keys are already waiting in %s (made by an earlier fugai rekey)\n"
                "  give %s to the parent's operator: fugai -C PARENT_DIR enroll --rekey node.cert\n"
                "  then here, with the daemon stopped: fugai rekey --switch\n", next_dir, cert);
        free (cert);
        return FGC_OK;
    }
    fg_keys_t *next = fg_keys_new ();
    fg_node_t node = *self;
    node.epoch = self->epoch + 1;
    fg_keys_set_identity (next, &node);
    memcpy (node.sign_pk, fg_keys_sign_pk (next), FG_SIGN_PK_SIZE);
    snprintf (node.curve_pk, sizeof node.curve_pk, "%s", zcert_public_txt (fg_keys_cert (next)));
    fg_keys_rekey_sign (ctx->keys, next, &node);
    int rc = FGC_OK;
    if (fg_keys_save (next, next_dir))
        rc = fgc_fail (FGC_BROKEN, "cannot write the next keys into %s: %s", next_dir, strerror (errno));
    fg_keys_destroy (&next);
    if (rc == FGC_OK)
        printf ("next keys of node %u (org %s) written to %s; this node goes on with its current keys.\n"
                "  1. give %s to the parent's operator, who runs:\n"
                "       fugai -C PARENT_DIR enroll --rekey node.cert\n"
                "     (its rekey signature, made with this node's current key, proves it comes from here)\n"
                "  2. then here, with the daemon stopped: fugai -C %s rekey --switch, and start the daemon\n",
                self->node_id, self->org, next_dir, cert, ctx->dir);
    if (rc == FGC_OK && self->tier == FG_TIER_COUNTY)
        printf ("  a county's townships pin its keys: after step 1 the prefecture's operator also runs\n"
                "       fugai -C PARENT_DIR statement %u FILE\n"
                "     and each township takes FILE (fugai -C DIR trust --statement FILE) and restarts its daemon\n",
                self->node_id);
    free (cert);
    return rc;
}

//  fugai rekey --switch: the next keys become the node's keys.
static int
s_switch (fgc_t *ctx, const char *next_dir)
{
    const fg_node_t *self = fg_replica_self (ctx->replica);
    fg_keys_t *next = fg_keys_load (next_dir);
    if (!next)
        return fgc_fail (FGC_REFUSED, "no next keys in %s: run fugai rekey first (and have the parent "
                         "enroll --rekey the certificate it writes)", next_dir);
    fg_node_t node;
    if (s_keys_node (next, &node) || node.node_id != self->node_id) {
        fg_keys_destroy (&next);
        return fgc_fail (FGC_REFUSED, "the keys in %s are not for node %u", next_dir, self->node_id);
    }
    char err [512];
    int rc = FGC_OK;
    char *old_dir = fg_strdupf ("%s.old-%u", ctx->config->keys, self->epoch);
    //  A switch cut short after the replica took the next keys: the files
    //  are all that is left to do
    bool taken = memcmp (self->sign_pk, node.sign_pk, FG_SIGN_PK_SIZE) == 0 || fg_replica_rekeying (ctx->replica);
    char *old_cert = fg_strdupf ("%s/node.cert", old_dir);
    if (!zsys_file_exists (old_cert) && s_copy_keys (ctx->config->keys, old_dir))
        rc = fgc_fail (FGC_BROKEN, "cannot keep the current keys in %s: %s", old_dir, strerror (errno));
    free (old_cert);
    //  The replica first: from here own writes wait for the parent's
    //  record of the next keys (taken at once if it is here already)
    if (rc == FGC_OK && !taken) {
        fg_replica_set_keys (ctx->replica, next);
        if (fg_replica_rekey_switch (ctx->replica, &node, err, sizeof err))
            rc = fgc_fail (FGC_REFUSED, "not switched: %s", err);
        fg_replica_set_keys (ctx->replica, ctx->keys);
    }
    if (rc == FGC_OK && s_copy_keys (next_dir, ctx->config->keys))
        rc = fgc_fail (FGC_BROKEN, "the replica switched but the keys could not be copied from %s into %s "
                       "(%s): run fugai rekey --switch again", next_dir, ctx->config->keys, strerror (errno));
    if (rc == FGC_OK)
        s_remove_keys (next_dir);
    if (rc == FGC_OK) {
        bool waiting = fg_replica_rekeying (ctx->replica);
        printf ("node %u now holds its next keys in %s (the old ones are kept in %s).\n", self->node_id,
                ctx->config->keys, old_dir);
        if (waiting)
            printf ("  writes wait for the parent's record of them (fugai enroll --rekey there): start the "
                    "daemon;\n  it arrives at its first session (fugai status says REKEYING until then)\n");
        else
            printf ("  the parent's record of them is here: this node is in epoch %u and signs with them; "
                    "start the daemon\n", fg_replica_self (ctx->replica)->epoch);
    }
    free (old_dir);
    fg_keys_destroy (&next);
    return rc;
}

//  fugai rekey --cancel: before the switch, forget the next keys; after
//  it, while the parent's record is still awaited, put the old keys back.
static int
s_cancel (fgc_t *ctx, const char *next_dir)
{
    const fg_node_t *self = fg_replica_self (ctx->replica);
    char err [512];
    if (fg_replica_rekeying (ctx->replica)) {
        char *old_dir = fg_strdupf ("%s.old-%u", ctx->config->keys, self->epoch);
        fg_keys_t *old = fg_keys_load (old_dir);
        bool matches = old && memcmp (fg_keys_sign_pk (old), self->sign_pk, FG_SIGN_PK_SIZE) == 0;
        fg_keys_destroy (&old);
        int rc = FGC_OK;
        if (!matches)
            rc = fgc_fail (FGC_REFUSED, "the keys kept in %s are not this node's current ones: nothing put back",
                           old_dir);
        if (rc == FGC_OK && s_copy_keys (old_dir, ctx->config->keys))
            rc = fgc_fail (FGC_BROKEN, "cannot copy %s back into %s: %s", old_dir, ctx->config->keys,
                           strerror (errno));
        if (rc == FGC_OK && fg_replica_rekey_switch (ctx->replica, NULL, err, sizeof err))
            rc = fgc_fail (FGC_BROKEN, "%s", err);
        if (rc == FGC_OK)
            printf ("the old keys are back in %s and writes resume with them. If the parent already ran "
                    "enroll --rekey, it refuses them now: make new ones (fugai rekey) for it\n",
                    ctx->config->keys);
        free (old_dir);
        return rc;
    }
    char *cert = fg_strdupf ("%s/node.cert", next_dir);
    bool pending = zsys_file_exists (cert);
    free (cert);
    if (!pending)
        return fgc_fail (FGC_REFUSED, "no rekey to cancel: no next keys in %s and no switch waiting", next_dir);
    s_remove_keys (next_dir);
    printf ("the next keys in %s are removed; this node keeps its current keys\n", next_dir);
    return FGC_OK;
}

int
fgc_rekey (fgc_t *ctx, int argc, char **argv)
{
    bool do_switch = fgc_flag (&argc, argv, "--switch");
    bool cancel = fgc_flag (&argc, argv, "--cancel");
    if (argc != 1 || (do_switch && cancel))
        return FGC_USAGE;
    //  --switch and --cancel lend the keys they need: keys/ may be half
    //  copied by a switch cut short
    int rc = fgc_open (ctx, !(do_switch || cancel));
    if (rc)
        return rc;
    if (ctx->config->node.tier == FG_TIER_PREFECTURE)
        return fgc_fail (FGC_REFUSED, "the prefecture has no parent to vouch for new keys: every node below "
                         "pins its keys, so they change only with a new tree's enrollment");
    //  A daemon holds the keys it loaded: they change only with it stopped
    //  (forgetting next keys that were never switched to touches nothing it holds)
    int daemon = fg_site_daemon (ctx->config->dir);
    if ((do_switch || (cancel && fg_replica_rekeying (ctx->replica))) && daemon)
        return fgc_fail (FGC_REFUSED, "the daemon (pid %d) runs on %s with the keys it loaded: stop it first "
                         "(systemctl stop fugai-edge@NAME), then run this again and start it", daemon, ctx->dir);
    char *next_dir = fg_strdupf ("%s.next", ctx->config->keys);
    rc = do_switch ? s_switch (ctx, next_dir) : cancel ? s_cancel (ctx, next_dir) : s_make (ctx, next_dir);
    free (next_dir);
    return rc;
}

//  fugai statement NODE_ID FILE: at the prefecture, after enroll --replace
//  of a county, the signed record of its new keys for its townships
int
fgc_statement (fgc_t *ctx, int argc, char **argv)
{
    uint16_t id;
    if (argc != 3 || fgc_node_id (argv [1], &id))
        return FGC_USAGE;
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    fg_node_t node;
    char relation [16];
    if (fg_replica_node (ctx->replica, id, &node, relation) || !streq (relation, "child"))
        return fgc_fail (FGC_REFUSED, "node %u is not an active child of this node: no statement", id);
    size_t size;
    uint8_t *bytes = fg_replica_node_statement (ctx->replica, id, &size);
    if (!bytes)
        return fgc_fail (FGC_REFUSED, "%s", fg_replica_error (ctx->replica));
    if (fg_file_write (argv [2], bytes, size, 0644))
        rc = fgc_fail (FGC_BROKEN, "cannot write %s: %s", argv [2], strerror (errno));
    free (bytes);
    if (rc == FGC_OK)
        printf ("statement of node %u's keys (epoch %u), signed by this node, written to %s.\n"
                "  each child of node %u takes it with: fugai -C DIR trust --statement FILE, then restarts its daemon\n",
                id, node.epoch, argv [2], id);
    return rc;
}
