/*  fg_account_test.c - self-test of fg_account: the web console's
    accounts in DIR/accounts.db (test code). */
#include "fg_selftests.h"
#include "fg_account.h"
#include "fg_util.h"
#include <sys/stat.h>

void
fg_account_test (bool verbose)
{
    printf (" * fg_account: ");
    char dir [64];
    snprintf (dir, sizeof dir, "/tmp/fg_account_test.%d", (int) getpid ());
    assert (fg_mkdir_p (dir, 0700) == 0);
    char err [256], role [16];
    //  No file yet: nobody logs in, and passwd/disable say why
    assert (fg_account_check (dir, "clerk1", "password-1", role, sizeof role) == -1 && role [0] == 0);
    assert (fg_account_passwd (dir, "clerk1", "password-2", err, sizeof err) == -1 && strstr (err, "user add"));
    //  Bad names, roles and passwords are refused before anything is written
    assert (fg_account_add (dir, "", "clerk", "password-1", err, sizeof err) == -1);
    assert (fg_account_add (dir, "a b", "clerk", "password-1", err, sizeof err) == -1);
    assert (fg_account_add (dir, "<x>", "clerk", "password-1", err, sizeof err) == -1);
    assert (fg_account_add (dir, "clerk1", "root", "password-1", err, sizeof err) == -1 && strstr (err, "role"));
    assert (fg_account_add (dir, "clerk1", "clerk", "short", err, sizeof err) == -1 && strstr (err, "password"));
    char *path = fg_strdupf ("%s/accounts.db", dir);
    assert (!zsys_file_exists (path));
    //  An account: the file is 0600, the hash is Argon2id, the password checks
    assert (fg_account_add (dir, "扎西", "clerk", "password-1", err, sizeof err) == 0);
    struct stat info;
    assert (stat (path, &info) == 0 && (info.st_mode & 0777) == 0600);
    assert (fg_account_check (dir, "扎西", "password-1", role, sizeof role) == 0 && streq (role, "clerk"));
    assert (fg_account_check (dir, "扎西", "password-2", role, sizeof role) == -1 && role [0] == 0);
    assert (fg_account_check (dir, "nobody", "password-1", role, sizeof role) == -1);
    assert (fg_account_add (dir, "扎西", "admin", "password-9", err, sizeof err) == -1 && strstr (err, "exists"));
    //  A new password replaces the old; a disabled account cannot log in
    assert (fg_account_passwd (dir, "扎西", "password-2", err, sizeof err) == 0);
    assert (fg_account_check (dir, "扎西", "password-1", role, sizeof role) == -1);
    assert (fg_account_check (dir, "扎西", "password-2", role, sizeof role) == 0);
    assert (fg_account_disable (dir, "扎西", err, sizeof err) == 0);
    assert (fg_account_check (dir, "扎西", "password-2", role, sizeof role) == -1);
    assert (fg_account_disable (dir, "nobody", err, sizeof err) == -1);
    if (verbose)
        printf ("(accounts in %s) ", path);
    unlink (path);
    free (path);
    rmdir (dir);
    printf ("OK\n");
}
