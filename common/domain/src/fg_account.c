/*  fg_account.c - the operators of a node (fg_account.h): DIR/accounts.db,
    a small SQLite file of its own, mode 0600, outside the replica and its
    change log (nothing here is ever synced). */
#include "fg_account.h"
#include "fg_util.h"
#include <sqlite3.h>
#include <sodium.h>

static const char *s_ddl =
    "CREATE TABLE IF NOT EXISTS account ("
    " name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL)";

bool
fg_account_role_valid (const char *role)
{
    return role && (streq (role, "clerk") || streq (role, "reviewer") || streq (role, "admin"));
}

//  Open DIR/accounts.db; `create` makes it (0600) when missing.
static sqlite3 *
s_open (const char *dir, bool create, char *errbuf, size_t errsize)
{
    char *path = fg_strdupf ("%s/accounts.db", dir);
    bool exists = zsys_file_exists (path);
    sqlite3 *db = NULL;
    if (!exists && !create) {
        snprintf (errbuf, errsize, "%s: no accounts yet (fugai user add NAME --role ROLE)", path);
        free (path);
        return NULL;
    }
    if (!exists) {
        //  Made 0600 before SQLite writes a byte into it
        int fd = open (path, O_CREAT | O_EXCL | O_WRONLY, 0600);
        if (fd >= 0)
            close (fd);
    }
    int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        sqlite3_busy_timeout (db, 5000);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, s_ddl, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        snprintf (errbuf, errsize, "%s: %s", path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
        sqlite3_close (db);
        db = NULL;
    }
    free (path);
    return db;
}

static int
s_check_password (const char *password, char *errbuf, size_t errsize)
{
    size_t size = password ? strlen (password) : 0;
    if (size < FG_ACCOUNT_PASSWORD_MIN || size > FG_ACCOUNT_PASSWORD_MAX) {
        snprintf (errbuf, errsize, "a password has %d to %d bytes (this one has %zu)",
                  FG_ACCOUNT_PASSWORD_MIN, FG_ACCOUNT_PASSWORD_MAX, size);
        return -1;
    }
    return 0;
}

static int
s_hash (const char *password, char hash [crypto_pwhash_STRBYTES], char *errbuf, size_t errsize)
{
    if (sodium_init () < 0
    ||  crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                           crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        snprintf (errbuf, errsize, "the password could not be hashed (out of memory?)");
        return -1;
    }
    return 0;
}

//  Run one statement with text parameters; *changes_p gets the rows changed.
static int
s_run (sqlite3 *db, const char *sql, const char **params, int count, int *changes_p,
       char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
    for (int i = 0; rc == SQLITE_OK && i < count; i++)
        rc = sqlite3_bind_text (stmt, i + 1, params [i], -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64 (stmt, count + 1, fg_now_ms ());
    if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    if (rc != SQLITE_OK)
        snprintf (errbuf, errsize, "accounts.db: %s", sqlite3_errmsg (db));
    sqlite3_finalize (stmt);
    *changes_p = sqlite3_changes (db);
    return rc == SQLITE_OK ? 0 : -1;
}

int
fg_account_add (const char *dir, const char *name, const char *role, const char *password,
                char *errbuf, size_t errsize)
{
    assert (dir && name);
    size_t size = strlen (name);
    if (size == 0 || size > FG_ACCOUNT_NAME_MAX || !fg_utf8_valid ((const uint8_t *) name, size)
    ||  strpbrk (name, " \t\r\n<>&\"'")) {
        snprintf (errbuf, errsize, "an account name is 1 to %d bytes of UTF-8 without spaces or <>&\"'",
                  FG_ACCOUNT_NAME_MAX);
        return -1;
    }
    if (!fg_account_role_valid (role)) {
        snprintf (errbuf, errsize, "role '%s' is not clerk, reviewer or admin", role ? role : "");
        return -1;
    }
    char hash [crypto_pwhash_STRBYTES];
    if (s_check_password (password, errbuf, errsize) || s_hash (password, hash, errbuf, errsize))
        return -1;
    sqlite3 *db = s_open (dir, true, errbuf, errsize);
    if (!db)
        return -1;
    const char *params [] = { name, role, hash };
    int changes = 0;
    int rc = s_run (db, "INSERT OR IGNORE INTO account (name, role, hash, created_ms, updated_ms) "
                    "VALUES (?1, ?2, ?3, ?4, ?4)", params, 3, &changes, errbuf, errsize);
    if (rc == 0 && changes == 0) {
        snprintf (errbuf, errsize, "an account '%s' exists (fugai user passwd %s changes its password)",
                  name, name);
        rc = -1;
    }
    sqlite3_close (db);
    return rc;
}

int
fg_account_passwd (const char *dir, const char *name, const char *password,
                   char *errbuf, size_t errsize)
{
    char hash [crypto_pwhash_STRBYTES];
    if (s_check_password (password, errbuf, errsize) || s_hash (password, hash, errbuf, errsize))
        return -1;
    sqlite3 *db = s_open (dir, false, errbuf, errsize);
    if (!db)
        return -1;
    const char *params [] = { name, hash };
    int changes = 0;
    int rc = s_run (db, "UPDATE account SET hash = ?2, updated_ms = ?3 WHERE name = ?1",
                    params, 2, &changes, errbuf, errsize);
    if (rc == 0 && changes == 0) {
        snprintf (errbuf, errsize, "no account '%s' (fugai user add %s --role ROLE)", name, name);
        rc = -1;
    }
    sqlite3_close (db);
    return rc;
}

int
fg_account_disable (const char *dir, const char *name, char *errbuf, size_t errsize)
{
    sqlite3 *db = s_open (dir, false, errbuf, errsize);
    if (!db)
        return -1;
    const char *params [] = { name };
    int changes = 0;
    int rc = s_run (db, "UPDATE account SET disabled = 1, updated_ms = ?2 WHERE name = ?1",
                    params, 1, &changes, errbuf, errsize);
    if (rc == 0 && changes == 0) {
        snprintf (errbuf, errsize, "no account '%s'", name);
        rc = -1;
    }
    sqlite3_close (db);
    return rc;
}

int
fg_account_check (const char *dir, const char *name, const char *password,
                  char *role_out, size_t role_size)
{
    assert (role_out && role_size);
    role_out [0] = 0;
    char err [256];
    char hash [crypto_pwhash_STRBYTES] = "";
    char role [16] = "";
    bool live = false;
    sqlite3 *db = s_open (dir, false, err, sizeof err);
    sqlite3_stmt *stmt = NULL;
    if (db && name && password
    &&  sqlite3_prepare_v2 (db, "SELECT role, hash, disabled FROM account WHERE name = ?1",
                            -1, &stmt, NULL) == SQLITE_OK
    &&  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT) == SQLITE_OK
    &&  sqlite3_step (stmt) == SQLITE_ROW) {
        const char *text = (const char *) sqlite3_column_text (stmt, 0);
        snprintf (role, sizeof role, "%s", text ? text : "");
        text = (const char *) sqlite3_column_text (stmt, 1);
        snprintf (hash, sizeof hash, "%s", text ? text : "");
        live = sqlite3_column_int (stmt, 2) == 0;
    }
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    //  An unknown name costs one verification too, against a throw-away hash
    if (!hash [0]) {
        static char s_dummy [crypto_pwhash_STRBYTES];
        if (!s_dummy [0] && sodium_init () >= 0)
            if (crypto_pwhash_str (s_dummy, "-", 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                   crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
                s_dummy [0] = 0;
        memcpy (hash, s_dummy, sizeof hash);
        live = false;
    }
    const char *typed = password ? password : "";
    int ok = hash [0] && crypto_pwhash_str_verify (hash, typed, strlen (typed)) == 0;
    sodium_memzero (hash, sizeof hash);
    if (!ok || !live || !fg_account_role_valid (role))
        return -1;
    snprintf (role_out, role_size, "%s", role);
    return 0;
}
