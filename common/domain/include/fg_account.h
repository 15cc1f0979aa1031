/*  fg_account.h - the operators of a node: accounts of the web console.

    An account is local to its node and never synced: it lives in its own
    SQLite file, DIR/accounts.db (mode 0600), beside the replica and
    outside its change log, so no entry carries a password hash and a
    restore of data.db from the parent brings back no account. One table:

        account (name TEXT PRIMARY KEY, role TEXT, hash TEXT,
                 disabled INTEGER, created_ms INTEGER, updated_ms INTEGER)

    The hash is libsodium's crypto_pwhash_str (Argon2id, interactive
    limits). Roles: clerk (records what the township does), reviewer
    (reads), admin (everything). The account's name is the author of every
    write made from the console.

        char err [256];
        fg_account_add (dir, "clerk1", "clerk", password, err, sizeof err);
        char role [16];
        if (fg_account_check (dir, "clerk1", typed, role, sizeof role) == 0)
            ... logged in as clerk1 with role
*/
#ifndef FG_ACCOUNT_H_INCLUDED
#define FG_ACCOUNT_H_INCLUDED

#include "fg_common.h"

#define FG_ACCOUNT_NAME_MAX      64      //  bytes (an entry's author holds it)
#define FG_ACCOUNT_PASSWORD_MIN  8       //  bytes
#define FG_ACCOUNT_PASSWORD_MAX  256

//  True if role is clerk, reviewer or admin.
bool fg_account_role_valid (const char *role);
//  Create an account in DIR/accounts.db (the file is made, mode 0600, if
//  missing). 0, or -1 with the reason (a name taken, a bad name, role or
//  password) in errbuf.
int  fg_account_add (const char *dir, const char *name, const char *role, const char *password,
                     char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Change an account's password. 0, or -1 with the reason.
int  fg_account_passwd (const char *dir, const char *name, const char *password,
                        char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Disable an account (it can no longer log in). 0, or -1 with the reason.
int  fg_account_disable (const char *dir, const char *name, char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Check a name and password: 0 and the role in role_out, or -1 (no such
//  account, disabled, a wrong password, no accounts file: one answer for
//  all, as a login page must not tell them apart). Takes the time of one
//  Argon2id verification whether or not the name exists.
int  fg_account_check (const char *dir, const char *name, const char *password,
                       char *role_out, size_t role_size) FG_WARN_UNUSED;

#endif
