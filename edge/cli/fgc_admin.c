/*  fgc_admin.c - setting a node up and looking after it: init, enroll,
    trust, revoke, rebuild, resync, check, schema. */
#include "fgc.h"
#include "fg_inspect.h"
#include "fg_org.h"
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>
#include <time.h>

int
fgc_init (fgc_t *ctx, int argc, char **argv)
{
    const char *role = fgc_option (&argc, argv, "--role");
    const char *org = fgc_option (&argc, argv, "--org");
    const char *name = fgc_option (&argc, argv, "--name");
    const char *listen = fgc_option (&argc, argv, "--listen");
    const char *parent = fgc_option (&argc, argv, "--parent");
    const char *node_id = fgc_option (&argc, argv, "--node-id");
    if (argc != 2 || !role || !org || !name)
        return FGC_USAGE;
    const char *dir = argv [1];
    fg_node_t node;
    memset (&node, 0, sizeof node);
    node.tier = fg_tier_from_name (role);
    if (node.tier == FG_TIER_NONE)
        return fgc_fail (FGC_USAGE, "--role must be township, county or prefecture");
    if (fg_org_tier (org) != node.tier)
        return fgc_fail (FGC_USAGE, "--org %s is not a %s code (prefecture XXXX00, county 6 digits, "
                         "township 9 digits)", org, role);
    if (strlen (name) > FG_NAME_MAX)
        return fgc_fail (FGC_USAGE, "--name is longer than %d bytes", FG_NAME_MAX);
    snprintf (node.org, sizeof node.org, "%s", org);
    snprintf (node.name, sizeof node.name, "%s", name);
    node.node_id = fg_org_default_node_id (org);
    if (node_id && fgc_node_id (node_id, &node.node_id))
        return FGC_USAGE;
    if (!node.node_id)
        return fgc_fail (FGC_USAGE, "no node id can be derived from %s: pass --node-id", org);
    if (node.tier == FG_TIER_TOWNSHIP && listen)
        return fgc_fail (FGC_USAGE, "a township has no children: no --listen");
    if (node.tier == FG_TIER_PREFECTURE && parent)
        return fgc_fail (FGC_USAGE, "the prefecture has no parent: no --parent");
    if (node.tier != FG_TIER_TOWNSHIP && !listen)
        return fgc_fail (FGC_USAGE, "a %s needs --listen ENDPOINT for its children", role);
    if (node.tier != FG_TIER_PREFECTURE && !parent)
        return fgc_fail (FGC_USAGE, "a %s needs --parent ENDPOINT", role);

    char *config_path = fg_strdupf ("%s/fugai.cfg", dir);
    bool exists = zsys_file_exists (config_path);
    free (config_path);
    if (exists)
        return fgc_fail (FGC_REFUSED, "%s already holds a node; nothing was changed", dir);
    if (fg_mkdir_p (dir, 0700))
        return fgc_fail (FGC_BROKEN, "cannot create %s: %s", dir, strerror (errno));
    char *keydir = fg_strdupf ("%s/keys", dir);
    char *data = fg_strdupf ("%s/data.db", dir);
    char *certs = fg_strdupf ("%s/certs", dir);
    fg_keys_t *keys = fg_keys_new ();
    fg_keys_set_identity (keys, &node);
    memcpy (node.sign_pk, fg_keys_sign_pk (keys), FG_SIGN_PK_SIZE);
    snprintf (node.curve_pk, sizeof node.curve_pk, "%s", zcert_public_txt (fg_keys_cert (keys)));
    int rc = FGC_OK;
    if (fg_keys_save (keys, keydir))
        rc = fgc_fail (FGC_BROKEN, "cannot write keys into %s: %s", keydir, strerror (errno));
    if (rc == FGC_OK && fg_config_write (dir, &node, listen, parent))
        rc = fgc_fail (FGC_BROKEN, "cannot write %s/fugai.cfg", dir);
    fg_replica_t *replica = rc == FGC_OK ? fg_programme_create (data, &node) : NULL;
    if (rc == FGC_OK && !replica)
        rc = fgc_fail (FGC_BROKEN, "cannot create the replica %s", data);
    if (rc == FGC_OK && node.tier != FG_TIER_TOWNSHIP && fg_mkdir_p (certs, 0755))
        rc = fgc_fail (FGC_BROKEN, "cannot create %s", certs);
    if (rc == FGC_OK) {
        printf ("initialised %s node %u (org %s, %s) in %s\n", role, node.node_id, org, name, dir);
        printf ("  public certificate: %s/node.cert\n", keydir);
        if (node.tier != FG_TIER_PREFECTURE)
            printf ("  next: on the parent, fugai -C PARENT_DIR enroll %s/node.cert\n"
                    "        here, fugai -C %s trust PARENT_DIR/keys/node.cert\n", keydir, dir);
        if (node.tier != FG_TIER_TOWNSHIP)
            printf ("  children connect to %s once enrolled (fugai -C %s enroll CHILD.cert)\n", listen, dir);
    }
    fg_replica_destroy (&replica);
    fg_keys_destroy (&keys);
    free (keydir);
    free (data);
    free (certs);
    return rc;
}

static int
s_copy_cert (const char *from, const char *to)
{
    size_t size;
    uint8_t *text = fg_file_read (from, &size);
    if (!text)
        return -1;
    int rc = fg_file_write (to, text, size, 0644);
    free (text);
    return rc;
}

//  A certificate written into a hub's certs/ must be seen by the running
//  hub's CURVE store (CZMQ zcertstore), which reloads the directory only
//  when the latest mtime of its files (whole seconds), their count or
//  their total size changed since it last looked. New keys for a node
//  (enroll --rekey, --replace) replace a file of the same size, often
//  within the second of a handshake that made the store look: the hub
//  then refused the new key until another file changed (found by
//  integration.key_rotation, 2 runs in 6 under load). So the file gets
//  an mtime one second past the latest in the directory and past now.
static int
s_cert_seen (const char *certs, const char *path)
{
    time_t latest = time (NULL);
    DIR *dir = opendir (certs);
    struct dirent *entry;
    while (dir && (entry = readdir (dir))) {
        char *file = fg_strdupf ("%s/%s", certs, entry->d_name);
        struct stat st;
        if (stat (file, &st) == 0 && S_ISREG (st.st_mode) && st.st_mtime > latest)
            latest = st.st_mtime;
        free (file);
    }
    if (dir)
        closedir (dir);
    struct timespec times [2] = { { latest + 1, 0 }, { latest + 1, 0 } };
    return utimensat (AT_FDCWD, path, times, 0);
}

static unsigned
s_epoch_of (fgc_t *ctx, uint16_t node_id)
{
    fg_node_t node;
    return fg_replica_node (ctx->replica, node_id, &node, NULL) == 0 ? node.epoch : 0;
}

int
fgc_enroll (fgc_t *ctx, int argc, char **argv)
{
    bool replace = fgc_flag (&argc, argv, "--replace");
    bool force = fgc_flag (&argc, argv, "--force");
    bool rekey = fgc_flag (&argc, argv, "--rekey");
    if (argc != 2 || (replace + force + rekey) > 1)
        return FGC_USAGE;
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    if (!ctx->config->listen)
        return fgc_fail (FGC_REFUSED, "this %s has no children (no listen/endpoint)",
                         fg_tier_name (ctx->config->node.tier));
    fg_node_t child;
    char err [512];
    if (fg_node_from_cert (argv [1], &child, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "%s: %s", argv [1], err);
    if (replace && fg_replica_replace (ctx->replica, &child, ctx->author, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "not replaced: %s", err);
    uint8_t sig [FG_SIG_SIZE];
    if (rekey && fg_rekey_sig_from_cert (argv [1], sig, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "not re-enrolled: %s", err);
    if (rekey && fg_replica_rekey (ctx->replica, &child, sig, ctx->author, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "not re-enrolled: %s", err);
    replace = replace || rekey;
    fg_node_t before;
    bool was_revoked = !replace && fg_replica_revoked (ctx->replica, child.curve_pk, &before, NULL) == 0;
    if (!replace && fg_replica_enroll_with (ctx->replica, &child, force ? FG_ENROLL_FORCE : 0,
                                            ctx->author, err, sizeof err)) {
        //  Next keys made by fugai rekey carry their rekey signature
        char ignored [256];
        bool rekeyed = fg_rekey_sig_from_cert (argv [1], sig, ignored, sizeof ignored) == 0;
        return fgc_fail (FGC_REFUSED, "not enrolled: %s%s", err,
                         !strstr (err, "already held") ? ""
                         : rekeyed ? " (this certificate holds next keys made by fugai rekey: fugai enroll "
                                     "--rekey CERT)"
                         : " (or, for a node whose keys were lost, fugai enroll --replace CERT: its chain "
                           "goes on under the new keys)");
    }
    if (fg_mkdir_p (ctx->config->certs, 0755))
        return fgc_fail (FGC_BROKEN, "cannot create %s", ctx->config->certs);
    char *path = fg_strdupf ("%s/node-%u.cert", ctx->config->certs, child.node_id);
    if (s_copy_cert (argv [1], path) || s_cert_seen (ctx->config->certs, path))
        rc = fgc_fail (FGC_BROKEN, "enrolled, but cannot copy the certificate to %s: copy it by hand", path);
    else
    if (rekey)
        printf ("re-enrolled node %u (org %s) with the next keys of %s: its chain goes on in epoch %u under "
                "them, its old entries still verify with the old key, here and above. On the node, with its "
                "daemon stopped: fugai rekey --switch, then start it\n", child.node_id, child.org, argv [1],
                s_epoch_of (ctx, child.node_id));
    else
    if (replace)
        printf ("replaced node %u (org %s) by the new keys of %s: its chain goes on in a new epoch under "
                "them, its old entries still verify with the old key; on the new node run fugai "
                "restore-from-parent %s/node.cert, then start it\n", child.node_id, child.org, argv [1],
                ctx->config->keys);
    else
    if (was_revoked)
        printf ("re-admitted node %u (org %s, %s) with the key that was revoked (--force): that key "
                "may connect to %s again and its entries are accepted again\n",
                child.node_id, child.org, child.name, ctx->config->listen);
    else
        printf ("enrolled %s node %u (org %s, %s); it may now connect to %s\n",
                fg_tier_name (child.tier), child.node_id, child.org, child.name, ctx->config->listen);
    free (path);
    return rc;
}

//  trust --statement FILE: the parent under new keys, on the word of the
//  node above it
static int
s_trust_statement (fgc_t *ctx, const char *path)
{
    size_t size;
    uint8_t *bytes = fg_file_read (path, &size);
    if (!bytes)
        return fgc_fail (FGC_REFUSED, "cannot read %s: %s", path, strerror (errno));
    fg_node_t parent;
    char err [512];
    int rc = fg_replica_take_statement (ctx->replica, bytes, size, &parent, err, sizeof err);
    free (bytes);
    if (rc)
        return fgc_fail (FGC_REFUSED, "not re-trusted: %s", err);
    if (fg_node_write_cert (&parent, ctx->config->parent_cert))
        return fgc_fail (FGC_BROKEN, "re-trusted, but cannot write %s", ctx->config->parent_cert);
    printf ("trusting parent %s node %u (org %s, %s) under its new keys (epoch %u), on the signed word of "
            "the node above it; its old key is kept for the entries it signed.\n"
            "  restart this node's daemon to connect with them\n", fg_tier_name (parent.tier),
            parent.node_id, parent.org, parent.name, parent.epoch);
    return FGC_OK;
}

int
fgc_trust (fgc_t *ctx, int argc, char **argv)
{
    const char *statement = fgc_option (&argc, argv, "--statement");
    if (argc != (statement ? 1 : 2))
        return FGC_USAGE;
    int rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    if (statement)
        return s_trust_statement (ctx, statement);
    fg_node_t parent;
    char err [512];
    if (fg_node_from_cert (argv [1], &parent, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "%s: %s", argv [1], err);
    if (fg_replica_trust (ctx->replica, &parent, ctx->author, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "not trusted: %s", err);
    if (s_copy_cert (argv [1], ctx->config->parent_cert))
        return fgc_fail (FGC_BROKEN, "trusted, but cannot copy the certificate to %s", ctx->config->parent_cert);
    printf ("trusting parent %s node %u (org %s, %s) at %s\n", fg_tier_name (parent.tier),
            parent.node_id, parent.org, parent.name,
            ctx->config->parent ? ctx->config->parent : "(set parent/endpoint in fugai.cfg)");
    return FGC_OK;
}

//  The prelude of a command whose one argument is a node id: the id is
//  checked before the node is opened.
static int
s_open_for_node (fgc_t *ctx, int argc, char **argv, bool write, uint16_t *id_p)
{
    if (argc != 2 || fgc_node_id (argv [1], id_p))
        return FGC_USAGE;
    return fgc_open (ctx, write);
}

int
fgc_revoke (fgc_t *ctx, int argc, char **argv)
{
    uint16_t id;
    int rc = s_open_for_node (ctx, argc, argv, true, &id);
    if (rc)
        return rc;
    char err [512];
    if (fg_replica_revoke (ctx->replica, id, ctx->author, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "not revoked: %s", err);
    char *path = fg_strdupf ("%s/node-%u.cert", ctx->config->certs, id);
    unlink (path);
    free (path);
    printf ("revoked node %u: new connections are refused at the handshake, an open session "
            "at its next message\n", id);
    return FGC_OK;
}

int
fgc_epoch (fgc_t *ctx, int argc, char **argv)
{
    uint16_t id;
    int rc = s_open_for_node (ctx, argc, argv, true, &id);
    if (rc)
        return rc;
    fg_epoch_t epoch;
    char err [512];
    if (fg_replica_new_epoch (ctx->replica, id, ctx->author, &epoch, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "no new epoch: %s", err);
    printf ("node %u is now in epoch %u: its chain continues after seq %llu (our copy).\n"
            "At its next connection it sets aside its entries from seq %llu on, gets seq %llu..%llu back\n"
            "from us and signs the set-aside writes again; nothing is lost.\n", id, epoch.epoch,
            (unsigned long long) epoch.base_seq, (unsigned long long) epoch.fork_seq,
            (unsigned long long) epoch.fork_seq, (unsigned long long) epoch.base_seq);
    return FGC_OK;
}

int
fgc_rebuild (fgc_t *ctx, int argc, char **argv)
{
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    uint8_t before [FG_HASH_SIZE], after [FG_HASH_SIZE];
    size_t rows;
    if (fg_replica_digest (ctx->replica, NULL, before, &rows))
        return fgc_fail (FGC_BROKEN, "%s", fg_replica_error (ctx->replica));
    fprintf (stderr, "replaying the log into the domain tables...\n");
    if (fg_replica_rebuild (ctx->replica))
        return fgc_fail (FGC_BROKEN, "rebuild failed, nothing changed: %s", fg_replica_error (ctx->replica));
    if (fg_replica_digest (ctx->replica, NULL, after, &rows))
        return fgc_fail (FGC_BROKEN, "%s", fg_replica_error (ctx->replica));
    char hex [2 * FG_HASH_SIZE + 1];
    fg_hex_encode (after, FG_HASH_SIZE, hex);
    printf ("rebuilt %zu rows, digest %s (%s before)\n", rows, hex,
            memcmp (before, after, FG_HASH_SIZE) ? "DIFFERENT from" : "same as");
    return FGC_OK;
}

int
fgc_resync (fgc_t *ctx, int argc, char **argv)
{
    uint16_t id;
    int rc = s_open_for_node (ctx, argc, argv, false, &id);
    if (rc)
        return rc;
    fg_node_t peer;
    char relation [16];
    if (fg_replica_node (ctx->replica, id, &peer, relation)
    ||  !(streq (relation, "child") || streq (relation, "parent")))
        return fgc_fail (FGC_REFUSED, "%u is not this node's parent or an active child", id);
    if (fg_replica_set_cursor (ctx->replica, id, "in", 0))
        return fgc_fail (FGC_BROKEN, "%s", fg_replica_error (ctx->replica));
    if (streq (relation, "parent"))
        printf ("the parent, node %u, will send everything for this node's scope again at the next "
                "session (restart this node's daemon to start one now); what is held is ignored, what "
                "never arrived is taken\n", id);
    else
        printf ("node %u will resend its whole log at its next session (duplicates are ignored)\n", id);
    return FGC_OK;
}

//  restore-from-parent [PARENT_CERT]: a node whose replica is lost (or
//  older than what its parent holds) gets its own chain and its scope
//  back from the parent. With no data.db, the replica is created again
//  from fugai.cfg and the kept keys, and the parent's certificate is
//  trusted again.
int
fgc_restore (fgc_t *ctx, int argc, char **argv)
{
    if (argc > 2)
        return FGC_USAGE;
    const char *cert = argc == 2 ? argv [1] : NULL;
    char err [512];
    fg_config_t *config = fg_config_load (ctx->dir, err, sizeof err);
    if (!config)
        return fgc_fail (FGC_BROKEN, "%s", err);
    int rc = FGC_OK;
    if (config->node.tier == FG_TIER_PREFECTURE)
        rc = fgc_fail (FGC_REFUSED, "the prefecture has no parent to restore from: restore it from a backup");
    if (rc == FGC_OK && !zsys_file_exists (config->data)) {
        if (!cert)
            rc = fgc_fail (FGC_USAGE, "%s holds no replica: give the parent's certificate "
                           "(fugai restore-from-parent PARENT_DIR/keys/node.cert)", ctx->dir);
        fg_keys_t *keys = rc == FGC_OK ? fg_keys_load (config->keys) : NULL;
        if (rc == FGC_OK && !keys)
            rc = fgc_fail (FGC_BROKEN, "cannot load the keys in %s: a node that lost its keys too is "
                           "replaced: fugai init a new one with the same org and --node-id, then "
                           "fugai -C PARENT_DIR enroll --replace NEW.cert on its parent", config->keys);
        if (rc == FGC_OK) {
            fg_node_t node = config->node;
            memcpy (node.sign_pk, fg_keys_sign_pk (keys), FG_SIGN_PK_SIZE);
            snprintf (node.curve_pk, sizeof node.curve_pk, "%s", zcert_public_txt (fg_keys_cert (keys)));
            fg_replica_t *replica = fg_programme_create (config->data, &node);
            if (!replica)
                rc = fgc_fail (FGC_BROKEN, "cannot create the replica %s", config->data);
            fg_replica_destroy (&replica);
        }
        fg_keys_destroy (&keys);
    }
    fg_config_destroy (&config);
    if (rc == FGC_OK)
        rc = fgc_open (ctx, true);
    if (rc)
        return rc;
    if (fg_replica_restore_start (ctx->replica, err, sizeof err))
        return fgc_fail (FGC_REFUSED, "not restoring: %s", err);
    fg_node_t parent;
    if (cert && fg_replica_parent (ctx->replica, &parent)) {
        if (fg_node_from_cert (cert, &parent, err, sizeof err))
            return fgc_fail (FGC_REFUSED, "%s: %s", cert, err);
        if (fg_replica_trust (ctx->replica, &parent, ctx->author, err, sizeof err))
            return fgc_fail (FGC_REFUSED, "not trusted: %s", err);
        if (s_copy_cert (cert, ctx->config->parent_cert))
            return fgc_fail (FGC_BROKEN, "trusted, but cannot copy the certificate to %s",
                             ctx->config->parent_cert);
    }
    if (fg_replica_parent (ctx->replica, &parent))
        return fgc_fail (FGC_REFUSED, "restoring, but this node trusts no parent: fugai restore-from-parent "
                         "PARENT_DIR/keys/node.cert");
    printf ("restoring from the parent, node %u: at the next session it sends this node's own entries "
            "(every epoch) and its whole scope again; writes wait until its own chain is back "
            "(fugai status shows progress). Start (or restart) this node's daemon now.\n", parent.node_id);
    return FGC_OK;
}

int
fgc_check (fgc_t *ctx, int argc, char **argv)
{
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    char err [512];
    uint64_t entries;
    fg_rows_t *problems = fg_inspect_check (ctx->replica, &entries, err, sizeof err);
    if (!problems)
        return fgc_fail (FGC_BROKEN, "%s", err);
    size_t count = fg_rows_count (problems);
    for (size_t i = 0; i < count; i++)
        printf ("%s: %s\n", fg_rows_cell (problems, i, 0, NULL), fg_rows_cell (problems, i, 1, NULL));
    printf ("%llu entries checked, %zu problem%s\n", (unsigned long long) entries, count, count == 1 ? "" : "s");
    fg_rows_destroy (&problems);
    return count ? FGC_REFUSED : FGC_OK;
}

static const char *
s_tiers (unsigned tiers, char *out)
{
    out [0] = 0;
    if (tiers & FG_TIER_TOWNSHIP)
        strcat (out, "E");
    if (tiers & FG_TIER_COUNTY)
        strcat (out, out [0] ? "/C" : "C");
    if (tiers & FG_TIER_PREFECTURE)
        strcat (out, out [0] ? "/P" : "P");
    return out;
}

int
fgc_schema (fgc_t *ctx, int argc, char **argv)
{
    const char *only = argc > 1 ? argv [1] : NULL;
    if (only && !fg_schema_table (only)) {
        const char *guess = fg_schema_suggest_table (only);
        if (guess)
            return fgc_fail (FGC_REFUSED, "no table '%s'; did you mean '%s'?", only, guess);
        return fgc_fail (FGC_REFUSED, "no table '%s'", only);
    }
    fg_rows_t *out = fg_rows_new ();
    const char *columns [] = { "table", "class", "column", "label", "type", "group", "owners", "required", "values",
                               "meaning" };
    for (size_t i = 0; i < 10; i++)
        fg_rows_column (out, columns [i]);
    static const char *types [] = { "int", "text", "blob", "bool", "date", "id", "org", "enum", "fen" };
    for (size_t t = 0; t < fg_schema_table_count (); t++) {
        const fg_table_t *table = fg_schema_table_at (t);
        if (only ? !streq (only, table->name) : (table->flags & FG_TABLE_SYSTEM) != 0)
            continue;
        char tiers [16];
        for (const fg_column_t *column = table->columns; column->name; column++) {
            const fg_group_t *group = fg_schema_group (table, column->group);
            fg_rows_value (out, table->name, false);
            fg_rows_value (out, fg_class_name (table->cls), false);
            fg_rows_value (out, column->name, false);
            fg_rows_value (out, column->label ? column->label : "", false);
            fg_rows_value (out, types [column->type], false);
            fg_rows_value (out, column->group ? column->group : "", false);
            fg_rows_value (out, s_tiers (group ? group->owners : table->authors, tiers), false);
            fg_rows_value (out, column->flags & FG_COL_REQUIRED ? "yes"
                                : column->flags & FG_COL_DERIVED ? "derived" : "", false);
            fg_rows_value (out, column->values ? column->values : "", false);
            fg_rows_value (out, column->doc, false);
            fg_rows_row_end (out);
        }
    }
    fgc_print (ctx, out, 0);
    fg_rows_destroy (&out);
    return FGC_OK;
}

//  Copy the regular files of one directory into another, mode 0600.
static int
s_copy_files (const char *from, const char *to)
{
    if (fg_mkdir_p (to, 0700))
        return -1;
    DIR *dir = opendir (from);
    if (!dir)
        return -1;
    int rc = 0;
    struct dirent *entry;
    while (rc == 0 && (entry = readdir (dir))) {
        char *src = fg_strdupf ("%s/%s", from, entry->d_name);
        char *dst = fg_strdupf ("%s/%s", to, entry->d_name);
        struct stat st;
        if (stat (src, &st) == 0 && S_ISREG (st.st_mode)) {
            size_t size;
            uint8_t *data = fg_file_read (src, &size);
            rc = data ? fg_file_write (dst, data, size, 0600) : -1;
            free (data);
        }
        free (src);
        free (dst);
    }
    closedir (dir);
    return rc;
}

//  backup FILE [--keys]: a consistent copy of the replica while the daemon
//  runs (fg_replica_backup); with --keys FILE is a directory holding
//  data.db, fugai.cfg and keys/.
int
fgc_backup (fgc_t *ctx, int argc, char **argv)
{
    bool keys = fgc_flag (&argc, argv, "--keys");
    if (argc != 2)
        return FGC_USAGE;
    int rc = fgc_open (ctx, false);
    if (rc)
        return rc;
    const char *target = argv [1];
    char err [512];
    char *db = keys ? fg_strdupf ("%s/data.db", target) : strdup (target);
    if (keys && zsys_file_exists (db)) {
        free (db);
        return fgc_fail (FGC_REFUSED, "%s already holds a backup: name a new directory", target);
    }
    if (keys && fg_mkdir_p (target, 0700)) {
        free (db);
        return fgc_fail (FGC_BROKEN, "cannot create %s: %s", target, strerror (errno));
    }
    if (fg_replica_backup (ctx->replica, db, err, sizeof err))
        rc = fgc_fail (FGC_BROKEN, "no backup: %s", err);
    if (rc == FGC_OK && keys) {
        char *cfg_from = fg_strdupf ("%s/fugai.cfg", ctx->dir);
        char *cfg_to = fg_strdupf ("%s/fugai.cfg", target);
        char *keys_to = fg_strdupf ("%s/keys", target);
        size_t size;
        uint8_t *cfg = fg_file_read (cfg_from, &size);
        //  A hub's enrolled children (certs/: the handshake admits them) and
        //  a child's pinned parent go too, so the directory is the node
        char *certs_to = fg_strdupf ("%s/certs", target);
        char *parent_to = fg_strdupf ("%s/parent.cert", target);
        size_t parent_size = 0;
        uint8_t *parent = zsys_file_exists (ctx->config->parent_cert)
                        ? fg_file_read (ctx->config->parent_cert, &parent_size) : NULL;
        if (!cfg || fg_file_write (cfg_to, cfg, size, 0600)
        ||  s_copy_files (ctx->config->keys, keys_to)
        ||  (zsys_file_exists (ctx->config->certs) && s_copy_files (ctx->config->certs, certs_to))
        ||  (parent && fg_file_write (parent_to, parent, parent_size, 0644)))
            rc = fgc_fail (FGC_BROKEN, "the replica is copied to %s but the keys, certificates or fugai.cfg "
                           "are not (%s): do not rely on this backup for the keys", db, strerror (errno));
        free (parent);
        free (certs_to);
        free (parent_to);
        free (cfg);
        free (cfg_from);
        free (cfg_to);
        free (keys_to);
    }
    if (rc == FGC_OK) {
        printf ("backup of node %u written to %s (mode 0600, fsynced)\n", ctx->config->node.node_id, db);
        if (keys)
            printf ("  the keys are in it (%s/keys, fugai.cfg, and the certificates it admits or trusts; "
                    "secret: keep it as you keep the node's keys)\n  restore: stop the daemon, copy the "
                    "directory's files back into %s, start it\n", target, ctx->dir);
        else
            printf ("  the keys are NOT in it: restore on this node (stop the daemon, put it back as "
                    "%s/data.db, start it);\n  on new hardware without the keys, fugai init with the same "
                    "org and --node-id, then enroll --replace NEW.cert at the parent\n", ctx->dir);
    }
    free (db);
    return rc;
}
