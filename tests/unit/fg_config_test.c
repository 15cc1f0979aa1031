/*  fg_config_test.c - self-test of fg_config (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fg_config.h"
#include "fg_util.h"
#include "fg_org.h"
#include "fg_hlc.h"
#include "fg_site.h"

//  SQLite's page cache of the node's replica opened with these flags, KiB
static int
s_cache_kb (const char *dir, unsigned flags)
{
    fg_site_t site;
    char err [256];
    assert (fg_site_open (&site, dir, flags, NULL, err, sizeof err) == 0);
    sqlite3_stmt *stmt;
    assert (sqlite3_prepare_v2 (fg_replica_db (site.replica), "PRAGMA cache_size", -1, &stmt, NULL) == SQLITE_OK);
    assert (sqlite3_step (stmt) == SQLITE_ROW);
    int pages = sqlite3_column_int (stmt, 0);
    sqlite3_finalize (stmt);
    fg_site_close (&site);
    return -pages;          //  (negative: KiB)
}

void
fg_config_test (bool verbose)
{
    printf (" * fg_config: ");
    char dir [64];
    snprintf (dir, sizeof dir, "/tmp/fg_config_test.%d", (int) getpid ());
    assert (fg_mkdir_p (dir, 0700) == 0);
    fg_node_t node = { .node_id = 28100, .tier = FG_TIER_TOWNSHIP, .org = "513328100", .name = "乡 100" };
    assert (fg_config_write (dir, &node, NULL, "tcp://127.0.0.1:7001") == 0);
    char err [256];
    fg_config_t *config = fg_config_load (dir, err, sizeof err);
    assert (config);
    assert (config->node.node_id == 28100 && config->node.tier == FG_TIER_TOWNSHIP);
    assert (streq (config->node.name, "乡 100"));
    assert (streq (config->parent, "tcp://127.0.0.1:7001") && config->listen == NULL);
    assert (config->timeout_ms == 30000 && config->compress);
    //  memory: a township's defaults keep it small
    assert (config->cache_kb == FG_CONFIG_TOWNSHIP_CACHE_KB && config->arenas == 1);
    fg_config_destroy (&config);
    //  A daemon's connection takes memory/cache_kb; fugai's commands keep SQLite's default
    char *data = fg_strdupf ("%s/data.db", dir);
    fg_replica_t *replica = fg_replica_create (data, &node, NULL);
    assert (replica);
    fg_replica_destroy (&replica);
    assert (s_cache_kb (dir, FG_SITE_DAEMON) == FG_CONFIG_TOWNSHIP_CACHE_KB);
    assert (s_cache_kb (dir, 0) == 2000);
    unlink (data);
    free (data);
    //  A township that listens is refused with a reason
    assert (fg_config_write (dir, &node, "tcp://127.0.0.1:9", NULL) == 0);
    assert (fg_config_load (dir, err, sizeof err) == NULL && strstr (err, "no children"));
    //  Out-of-range values are refused
    char *path = fg_strdupf ("%s/fugai.cfg", dir);
    FILE *file = fopen (path, "w");
    fprintf (file, "node\n    id = 28100\n    role = township\n    org = 513328100\n"
                   "sync\n    credit = 0\n");
    fclose (file);
    assert (fg_config_load (dir, err, sizeof err) == NULL && strstr (err, "sync/credit"));
    file = fopen (path, "w");
    fprintf (file, "node\n    id = 28100\n    role = county\n    org = 513328100\n");
    fclose (file);
    assert (fg_config_load (dir, err, sizeof err) == NULL && strstr (err, "not a county code"));
    //  memory: a hub's defaults, and values an operator gives
    file = fopen (path, "w");
    fprintf (file, "node\n    id = 128\n    role = county\n    org = 513328\n");
    fclose (file);
    config = fg_config_load (dir, err, sizeof err);
    assert (config && config->cache_kb == FG_CONFIG_HUB_CACHE_KB && config->arenas == 0);
    fg_config_destroy (&config);
    file = fopen (path, "w");
    fprintf (file, "node\n    id = 128\n    role = county\n    org = 513328\n"
                   "memory\n    cache_kb = 8192\n    arenas = 2\n");
    fclose (file);
    config = fg_config_load (dir, err, sizeof err);
    assert (config && config->cache_kb == 8192 && config->arenas == 2);
    fg_config_destroy (&config);
    file = fopen (path, "w");
    fprintf (file, "node\n    id = 128\n    role = county\n    org = 513328\n"
                   "memory\n    arenas = 100\n");
    fclose (file);
    assert (fg_config_load (dir, err, sizeof err) == NULL && strstr (err, "memory/arenas"));
    //  web/listen: a port derived from the node id by default, a given
    //  IPV4:PORT, off; anything else refused with the key named
    file = fopen (path, "w");
    fprintf (file, "node\n    id = 28100\n    role = township\n    org = 513328100\n");
    fclose (file);
    config = fg_config_load (dir, err, sizeof err);
    assert (config && streq (config->web_listen, "127.0.0.1:12100"));
    char *url = fg_config_console_url (config);
    assert (streq (url, "http://127.0.0.1:12100/"));
    free (url);
    fg_config_destroy (&config);
    const char *listens [] = { "0.0.0.0:8080", "http://127.0.0.1:8080/", "off", "127.0.0.1:0",
                               "127.0.0.1:65536", "localhost:8080", "127.0.0.1", ":8080", NULL };
    for (size_t i = 0; listens [i]; i++) {
        file = fopen (path, "w");
        fprintf (file, "node\n    id = 28100\n    role = township\n    org = 513328100\n"
                       "web\n    listen = \"%s\"\n", listens [i]);
        fclose (file);
        config = fg_config_load (dir, err, sizeof err);
        if (i == 0) {
            assert (config && streq (config->web_listen, "0.0.0.0:8080"));
            url = fg_config_console_url (config);
            assert (streq (url, "http://127.0.0.1:8080/"));
            free (url);
        }
        else
        if (i == 2) {
            assert (config && streq (config->web_listen, "off"));
            assert (fg_config_console_url (config) == NULL);
        }
        else
            assert (config == NULL && strstr (err, "web/listen"));
        fg_config_destroy (&config);
    }
    unlink (path);
    free (path);
    assert (fg_config_load (dir, err, sizeof err) == NULL);
    rmdir (dir);
    printf ("OK\n");
}
