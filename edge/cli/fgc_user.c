/*  fgc_user.c - fugai user add|passwd|disable: the web console's accounts
    (fg_account.h; DIR/accounts.db, never synced). The password is read
    from standard input (its first line), never from the command line. */
#include "fgc.h"
#include "fg_account.h"
#include <sodium.h>

static int
s_read_password (char *password, size_t size)
{
    if (isatty (STDIN_FILENO))
        fprintf (stderr, "password (%d to %d bytes): ", FG_ACCOUNT_PASSWORD_MIN, FG_ACCOUNT_PASSWORD_MAX);
    if (!fgets (password, (int) size, stdin))
        return -1;
    password [strcspn (password, "\r\n")] = 0;
    return 0;
}

int
fgc_user (fgc_t *ctx, int argc, char **argv)
{
    const char *role = fgc_option (&argc, argv, "--role");
    if (argc != 3)
        return FGC_USAGE;
    const char *verb = argv [1], *name = argv [2];
    //  The node must be one (its config loads) before an account is made in it
    char err [512];
    fg_config_t *config = fg_config_load (ctx->dir, err, sizeof err);
    if (!config)
        return fgc_fail (FGC_BROKEN, "%s", err);
    int rc = FGC_OK;
    char password [FG_ACCOUNT_PASSWORD_MAX + 2] = "";
    if (streq (verb, "add") || streq (verb, "passwd")) {
        if (streq (verb, "add") && !role)
            rc = fgc_fail (FGC_USAGE, "user add needs --role clerk|reviewer|admin");
        else
        if (s_read_password (password, sizeof password))
            rc = fgc_fail (FGC_USAGE, "no password on standard input (echo it, or type it)");
        else
        if (streq (verb, "add") ? fg_account_add (config->dir, name, role, password, err, sizeof err)
                                : fg_account_passwd (config->dir, name, password, err, sizeof err))
            rc = fgc_fail (FGC_REFUSED, "user %s %s refused: %s", verb, name, err);
        else
            printf ("%s %s%s%s\n", streq (verb, "add") ? "added" : "changed the password of", name,
                    role ? " as " : "", role ? role : "");
        sodium_memzero (password, sizeof password);
    }
    else
    if (streq (verb, "disable")) {
        if (fg_account_disable (config->dir, name, err, sizeof err))
            rc = fgc_fail (FGC_REFUSED, "user disable %s refused: %s", name, err);
        else
            printf ("disabled %s\n", name);
    }
    else
        rc = FGC_USAGE;
    fg_config_destroy (&config);
    return rc;
}
