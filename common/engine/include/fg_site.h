/*  fg_site.h - a node directory opened: its configuration (fugai.cfg), its
    keys (keys/) and its replica (data.db), with the replica's keys and
    clock bound set from them. Every program opens a node this way: the
    operator's command and the tests through the programme's door
    (fg_programme_open), the daemons' actors with the hooks their main was
    given (fgp_daemon_start).

        fg_site_t site;
        char err [512];
        if (fg_site_open (&site, dir, FG_SITE_KEYS, hooks, err, sizeof err))
            ... err says why; nothing is left open
        ... site.replica ...
        fg_site_close (&site);
*/
#ifndef FG_SITE_H_INCLUDED
#define FG_SITE_H_INCLUDED

#include "fg_config.h"
#include "fg_keys.h"
#include "fg_replica.h"

typedef struct {
    fg_config_t  *config;
    fg_keys_t    *keys;              //  NULL unless FG_SITE_KEYS
    fg_replica_t *replica;
} fg_site_t;

#define FG_SITE_KEYS    1            //  load the keys (needed to write)
#define FG_SITE_DAEMON  2            //  a daemon's connection: SQLite's page cache
                                     //  of memory/cache_kb (fugai's commands keep
                                     //  SQLite's default, ~2 MB, for the time they run)

//  Open the node in dir. 0, or -1 with the reason in errbuf (the site is
//  then empty).
int  fg_site_open (fg_site_t *site, const char *dir, unsigned flags,
                   const fg_replica_hooks_t *hooks, char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Close what is open; safe twice.
void fg_site_close (fg_site_t *site);

//  One daemon per node directory. The daemon holds an exclusive flock(2)
//  on DIR/daemon.lock for as long as it runs (the kernel lets it go when
//  the process ends, however it ends); the file holds its pid as text.
#define FG_SITE_LOCK_FILE "daemon.lock"
//  Take the lock for this process: 0 (the lock is kept until exit), or -1
//  with the reason in errbuf; *pid_p is then the pid of the daemon that
//  holds it (0 if the lock could not be taken for another reason).
int  fg_site_lock (const char *dir, int *pid_p, char *errbuf, size_t errsize);
//  Whether a daemon runs on dir: its pid, or 0 if none holds the lock.
int  fg_site_daemon (const char *dir);

#endif
