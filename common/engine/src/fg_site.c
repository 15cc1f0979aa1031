/*  fg_site.c - a node directory opened (see fg_site.h). */
#include "fg_site.h"
#include "fg_util.h"
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

int
fg_site_open (fg_site_t *site, const char *dir, unsigned flags, const fg_replica_hooks_t *hooks,
              char *errbuf, size_t errsize)
{
    memset (site, 0, sizeof *site);
    site->config = fg_config_load (dir, errbuf, errsize);
    if (!site->config)
        return -1;
    int rc = 0;
    if (flags & FG_SITE_KEYS) {
        site->keys = fg_keys_load (site->config->keys);
        if (!site->keys)
            rc = fg_errf (errbuf, errsize, "cannot load the keys in %s (see the message above)",
                          site->config->keys);
    }
    if (rc == 0) {
        site->replica = fg_replica_open (site->config->data, hooks);
        if (!site->replica)
            rc = fg_errf (errbuf, errsize, "cannot open the replica %s (see the message above)",
                          site->config->data);
    }
    if (rc) {
        fg_site_close (site);
        return -1;
    }
    if (site->keys)
        fg_replica_set_keys (site->replica, site->keys);
    fg_replica_set_max_ahead (site->replica, site->config->max_clock_ahead_ms);
    if (flags & FG_SITE_DAEMON)
        fg_replica_set_cache_kb (site->replica, site->config->cache_kb);
    return 0;
}

void
fg_site_close (fg_site_t *site)
{
    fg_replica_destroy (&site->replica);
    fg_keys_destroy (&site->keys);
    fg_config_destroy (&site->config);
}

//  --------------------------------------------------------------------------
//  The daemon lock

static int
s_lock_pid (int fd)
{
    char text [32] = "";
    ssize_t size = pread (fd, text, sizeof text - 1, 0);
    if (size <= 0)
        return 0;
    text [size] = 0;
    return atoi (text);
}

int
fg_site_lock (const char *dir, int *pid_p, char *errbuf, size_t errsize)
{
    *pid_p = 0;
    char *path = fg_strdupf ("%s/%s", dir, FG_SITE_LOCK_FILE);
    int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fg_errf (errbuf, errsize, "cannot open the lock %s: %s", path, strerror (errno));
        free (path);
        return -1;
    }
    if (flock (fd, LOCK_EX | LOCK_NB)) {
        int err = errno;
        *pid_p = err == EWOULDBLOCK ? s_lock_pid (fd) : 0;
        if (err == EWOULDBLOCK)
            fg_errf (errbuf, errsize, "another daemon (pid %d) runs on %s (it holds %s): stop it first, "
                     "one daemon per node directory", *pid_p, dir, path);
        else
            fg_errf (errbuf, errsize, "cannot lock %s: %s", path, strerror (err));
        close (fd);
        free (path);
        return -1;
    }
    char text [32];
    int len = snprintf (text, sizeof text, "%d\n", (int) getpid ());
    if (ftruncate (fd, 0) || pwrite (fd, text, (size_t) len, 0) != len) {
        fg_errf (errbuf, errsize, "cannot write the lock %s: %s", path, strerror (errno));
        close (fd);
        free (path);
        return -1;
    }
    free (path);
    return 0;                       //  fd stays open, and locked, until exit
}

int
fg_site_daemon (const char *dir)
{
    char *path = fg_strdupf ("%s/%s", dir, FG_SITE_LOCK_FILE);
    int fd = open (path, O_RDONLY | O_CLOEXEC);
    free (path);
    if (fd < 0)
        return 0;
    int pid = 0;
    if (flock (fd, LOCK_SH | LOCK_NB) && errno == EWOULDBLOCK)
        pid = s_lock_pid (fd);
    close (fd);
    return pid;
}
