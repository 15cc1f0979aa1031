/*  fgb_tree.c - a tree of real nodes for fugai-bench (see fgb_tree.h).

    Layout of a tree's directory:
        prefecture/  county/  township/     node directories (fugai init)
        setup.log                           output of init, enroll, trust
        daemon-0.log daemon-1.log daemon-2.log   each daemon's output
    The county and the prefecture listen on ports that were free a moment
    before; the township has none.
*/
#include "fgb_tree.h"
#include "fgb_proc.h"
#include "fg_config.h"
#include "fg_util.h"
#include "fg_testkit.h"
#include <sys/wait.h>

static const char *s_names [] = { "prefecture", "county", "township" };

static int
s_set_poll_ms (const char *node_dir, int poll_ms)
{
    char *path = fg_strdupf ("%s/fugai.cfg", node_dir);
    zconfig_t *config = zconfig_load (path);
    int rc = -1;
    if (config) {
        char value [16];
        snprintf (value, sizeof value, "%d", poll_ms);
        zconfig_put (config, "sync/poll_ms", value);
        rc = zconfig_save (config, path);
        zconfig_destroy (&config);
    }
    free (path);
    if (rc)
        fgb_problem ("cannot set sync/poll_ms in %s/fugai.cfg", node_dir);
    return rc;
}

int
fgb_tree_create (fgb_tree_t *tree, const fgb_programs_t *programs, const char *dir)
{
    memset (tree, 0, sizeof *tree);
    tree->programs = programs;
    tree->dir = strdup (dir);
    for (int i = 0; i < 3; i++) {
        tree->node [i] = fg_strdupf ("%s/%s", dir, s_names [i]);
        tree->db [i] = fg_strdupf ("%s/data.db", tree->node [i]);
    }
    tree->log = fg_strdupf ("%s/setup.log", dir);
    if (fg_mkdir_p (dir, 0700)) {
        fgb_problem ("cannot create %s: %s", dir, strerror (errno));
        return -1;
    }
    tree->port [0] = fgb_free_port ();
    do
        tree->port [1] = fgb_free_port ();
    while (tree->port [1] == tree->port [0]);
    char p_ep [64], c_ep [64];
    snprintf (p_ep, sizeof p_ep, "tcp://127.0.0.1:%d", tree->port [0]);
    snprintf (c_ep, sizeof c_ep, "tcp://127.0.0.1:%d", tree->port [1]);
    char *cert [3];
    for (int i = 0; i < 3; i++)
        cert [i] = fg_strdupf ("%s/keys/node.cert", tree->node [i]);
    char **node = tree->node;
    const char *F = programs->fugai;
    int rc = fgb_run (tree->log, F, "init", node [0], "--role", "prefecture", "--org", "513300",
                      "--name", "Ganzi Prefecture", "--listen", p_ep, NULL);
    if (rc == 0)
        rc = fgb_run (tree->log, F, "init", node [1], "--role", "county", "--org", "513328",
                      "--name", "Ganzi County", "--listen", c_ep, "--parent", p_ep, NULL);
    if (rc == 0)
        rc = fgb_run (tree->log, F, "init", node [2], "--role", "township", "--org", "513328100",
                      "--name", "Township 100", "--parent", c_ep, NULL);
    if (rc == 0)
        rc = fgb_run (tree->log, F, "-C", node [0], "--as", "bench", "enroll", cert [1], NULL);
    if (rc == 0)
        rc = fgb_run (tree->log, F, "-C", node [1], "--as", "bench", "trust", cert [0], NULL);
    if (rc == 0)
        rc = fgb_run (tree->log, F, "-C", node [1], "--as", "bench", "enroll", cert [2], NULL);
    if (rc == 0)
        rc = fgb_run (tree->log, F, "-C", node [2], "--as", "bench", "trust", cert [1], NULL);
    for (int i = 0; rc == 0 && programs->poll_ms > 0 && i < 3; i++)
        rc = s_set_poll_ms (node [i], programs->poll_ms);
    for (int i = 0; i < 3; i++)
        free (cert [i]);
    char err [512];
    fg_config_t *config = rc == 0 ? fg_config_load (node [2], err, sizeof err) : NULL;
    if (rc == 0 && !config) {
        fgb_problem ("%s", err);
        rc = -1;
    }
    if (config)
        tree->township_id = config->node.node_id;
    fg_config_destroy (&config);
    return rc;
}

int
fgb_tree_add_townships (fgb_tree_t *tree, size_t count)
{
    const char *F = tree->programs->fugai;
    tree->other_node = (char **) calloc (count, sizeof (char *));
    tree->other_pid = (pid_t *) calloc (count, sizeof (pid_t));
    tree->writer_pid = (pid_t *) calloc (count, sizeof (pid_t));
    assert (tree->other_node && tree->other_pid && tree->writer_pid);
    char c_ep [64];
    snprintf (c_ep, sizeof c_ep, "tcp://127.0.0.1:%d", tree->port [1]);
    char *county_cert = fg_strdupf ("%s/keys/node.cert", tree->node [FGB_COUNTY]);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        char org [16], name [32];
        snprintf (org, sizeof org, "513328%03zu", 101 + i);
        snprintf (name, sizeof name, "Township %zu", 101 + i);
        char *node = tree->other_node [i] = fg_strdupf ("%s/township-%s", tree->dir, org);
        tree->others = i + 1;
        char *cert = fg_strdupf ("%s/keys/node.cert", node);
        rc = fgb_run (tree->log, F, "init", node, "--role", "township", "--org", org, "--name", name,
                      "--parent", c_ep, NULL);
        if (rc == 0)
            rc = fgb_run (tree->log, F, "-C", tree->node [FGB_COUNTY], "--as", "bench", "enroll", cert, NULL);
        if (rc == 0)
            rc = fgb_run (tree->log, F, "-C", node, "--as", "bench", "trust", county_cert, NULL);
        if (rc == 0 && tree->programs->poll_ms > 0)
            rc = s_set_poll_ms (node, tree->programs->poll_ms);
        free (cert);
        if (rc == 0) {
            char *log = fg_strdupf ("%s/daemon-%s.log", tree->dir, org);
            char *argv [] = { (char *) tree->programs->edge, node, NULL };
            tree->other_pid [i] = fgb_spawn (argv, log);
            free (log);
            rc = tree->other_pid [i] > 0 ? 0 : -1;
        }
    }
    free (county_cert);
    if (rc)
        fgb_problem ("cannot add the townships of the tree (see %s)", tree->log);
    return rc;
}

int
fgb_tree_start_writers (fgb_tree_t *tree, int pause_ms)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < tree->others; i++) {
        //  A clerk's writes, one process each, as fugai add is used
        char *script = fg_strdupf (
            "sleep %.3f; while :; do \"$0\" -C \"$1\" --as clerk add household org_id=${2}201 "
            "'head_name=Pema Lhamo' size=4 economy=farming > /dev/null || exit 1; sleep %.3f; done",
            (double) pause_ms * (double) i / (double) tree->others / 1000, (double) pause_ms / 1000);
        char org [16];
        snprintf (org, sizeof org, "513328%03zu", 101 + i);
        char *log = fg_strdupf ("%s/writer-%s.log", tree->dir, org);
        char *argv [] = { "/bin/sh", "-c", script, (char *) tree->programs->fugai, tree->other_node [i],
                          org, NULL };
        tree->writer_pid [i] = fgb_spawn (argv, log);
        rc = tree->writer_pid [i] > 0 ? 0 : -1;
        free (log);
        free (script);
    }
    return rc;
}

void
fgb_tree_destroy (fgb_tree_t *tree)
{
    for (size_t i = 0; i < tree->others; i++) {
        if (tree->writer_pid [i] > 0)
            fgb_stop (tree->writer_pid [i]);
        if (tree->other_pid [i] > 0)
            fgb_stop (tree->other_pid [i]);
        free (tree->other_node [i]);
    }
    free (tree->other_node);
    free (tree->other_pid);
    free (tree->writer_pid);
    for (int i = 0; i < 3; i++)
        if (tree->pid [i] > 0)
            fgb_stop (tree->pid [i]);
    if (tree->dir && !tree->programs->keep)
        fg_testkit_rmdir (tree->dir);
    free (tree->dir);
    for (int i = 0; i < 3; i++) {
        free (tree->node [i]);
        free (tree->db [i]);
    }
    free (tree->log);
    memset (tree, 0, sizeof *tree);
}

int
fgb_tree_start (fgb_tree_t *tree, fgb_tier_t which)
{
    char *log = fg_strdupf ("%s/daemon-%d.log", tree->dir, which);
    const char *program = which == FGB_TOWNSHIP ? tree->programs->edge : tree->programs->hub;
    char *argv [] = { (char *) program, tree->node [which], NULL };
    tree->pid [which] = fgb_spawn (argv, log);
    free (log);
    return tree->pid [which] > 0 ? 0 : -1;
}

bool
fgb_tree_died (fgb_tree_t *tree)
{
    for (int i = 0; i < 3; i++) {
        int status;
        if (fgb_exited (tree->pid [i], &status)) {
            tree->pid [i] = 0;
            char *path = fg_strdupf ("%s/daemon-%d.log", tree->dir, i);
            char *text = fgb_read_text (path);
            fgb_problem ("the %s daemon exited (status %d); its log:\n%s", s_names [i], status,
                         text ? text : "");
            free (text);
            free (path);
            return true;
        }
    }
    return false;
}

int
fgb_tree_listening (fgb_tree_t *tree, fgb_tier_t which)
{
    assert (which != FGB_TOWNSHIP);
    if (fgb_wait_listening (tree->port [which], tree->pid [which], 30) == 0)
        return 0;
    if (!fgb_tree_died (tree))
        fgb_problem ("the %s hub does not listen on port %d after 30 s", s_names [which], tree->port [which]);
    return -1;
}

bool
fgb_tree_stop (fgb_tree_t *tree, fgb_tier_t which)
{
    int status = fgb_stop (tree->pid [which]);
    tree->pid [which] = 0;
    return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

double
fgb_tree_cpu (fgb_tree_t *tree, fgb_tier_t which)
{
    return tree->pid [which] > 0 ? fgb_cpu_seconds (tree->pid [which]) : 0;
}

//  --------------------------------------------------------------------------
//  Looking into replicas

int
fgb_poller_open (fgb_poller_t *poller, const char *path, const char *sql)
{
    memset (poller, 0, sizeof *poller);
    if (sqlite3_open_v2 (path, &poller->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
    ||  sqlite3_prepare_v2 (poller->db, sql, -1, &poller->stmt, NULL) != SQLITE_OK) {
        fgb_problem ("cannot read %s: %s", path, sqlite3_errmsg (poller->db));
        return -1;
    }
    sqlite3_busy_timeout (poller->db, 1000);
    return 0;
}

int64_t
fgb_poller_get (fgb_poller_t *poller, int64_t arg1, int64_t arg2)
{
    sqlite3_reset (poller->stmt);
    sqlite3_bind_int64 (poller->stmt, 1, arg1);
    if (sqlite3_bind_parameter_count (poller->stmt) > 1)
        sqlite3_bind_int64 (poller->stmt, 2, arg2);
    int64_t value = sqlite3_step (poller->stmt) == SQLITE_ROW
                  ? sqlite3_column_int64 (poller->stmt, 0) : -1;
    sqlite3_reset (poller->stmt);            //  end the read transaction
    return value;
}

void
fgb_poller_close (fgb_poller_t *poller)
{
    sqlite3_finalize (poller->stmt);
    sqlite3_close (poller->db);
    memset (poller, 0, sizeof *poller);
}

int64_t
fgb_query_file (const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int64_t value = -1;
    if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout (db, 5000);
        sqlite3_stmt *stmt;
        if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK) {
            if (sqlite3_step (stmt) == SQLITE_ROW)
                value = sqlite3_column_int64 (stmt, 0);
            sqlite3_finalize (stmt);
        }
    }
    sqlite3_close (db);
    return value;
}
