/*  fgp_daemon.c - what the daemons share (see fgp_daemon.h). */
#include "fgp_daemon.h"
#include "fg_util.h"
#include "fg_keys.h"
#include "fg_replica.h"
#include "fg_site.h"
#include "fg_wake.h"
#include <dirent.h>
#include <getopt.h>
#include <pthread.h>
#include <limits.h>
#include <malloc.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/inotify.h>
#include <fcntl.h>

//  The programme's hooks this daemon was started with (set once by
//  fgp_daemon_start, before any actor runs; read by every actor's open).
static const fg_replica_hooks_t *s_hooks;

//  SIGTERM and SIGINT set this; fgp_daemon_wait stops on it. CZMQ's own
//  handler is off: it sets zsys_interrupted, which makes every actor's
//  blocking receive return NULL at once, and a signal that came while the
//  actors were starting aborted zmonitor ("zframe_recv: Assertion 'source'
//  failed") or left the main thread waiting on a zauth that had quit. Now
//  a signal only asks the main thread to stop, and it stops the actors in
//  order, whenever it came.
//  The two signals are blocked from the start, so every actor's thread
//  (which inherits the mask) has them blocked for good, and the main
//  thread takes them only while fgp_daemon_wait polls: a handler that ran
//  in the main thread while zactor_new or zactor_destroy waited for an
//  actor's signal made that wait return early (EINTR), the actor went on
//  alone, and the daemon aborted on the way out (zsock_set_sndtimeo:
//  assertion failed, exit 134, a SIGTERM just after start-up).
static volatile sig_atomic_t s_stop;
//  ... and writes a byte here, so that the main thread's poll returns
//  (only the main thread takes the signals, and only while it polls)
static int s_signal_pipe [2] = { -1, -1 };

static void
s_on_signal (int signum)
{
    (void) signum;
    s_stop = 1;
    if (s_signal_pipe [1] >= 0) {
        int saved = errno;
        ssize_t written = write (s_signal_pipe [1], "s", 1);
        (void) written;                 //  (full: a byte is waiting already)
        errno = saved;
    }
}

static void
s_signals_blocked (bool blocked)
{
    sigset_t set;
    sigemptyset (&set);
    sigaddset (&set, SIGTERM);
    sigaddset (&set, SIGINT);
    pthread_sigmask (blocked ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

fg_config_t *
fgp_daemon_start (int argc, char *argv [], const char *ident, const char *usage,
                  const fg_replica_hooks_t *hooks)
{
    s_hooks = hooks;
    zsys_handler_set (NULL);
    if (pipe2 (s_signal_pipe, O_CLOEXEC | O_NONBLOCK))
        s_signal_pipe [0] = s_signal_pipe [1] = -1;
    struct sigaction action = { .sa_handler = s_on_signal };
    sigemptyset (&action.sa_mask);
    sigaction (SIGTERM, &action, NULL);
    sigaction (SIGINT, &action, NULL);
    s_signals_blocked (true);
    //  Before SQLite starts: no global count of its memory (a mutex taken
    //  on every allocation; the daemon never asks for the count)
    sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
    if (hooks && hooks->tables)
        fg_schema_install (hooks->tables, hooks->table_count);
    bool verbose = false;
    int option;
    while ((option = getopt (argc, argv, "vh")) != -1) {
        if (option == 'v')
            verbose = true;
        else {
            fputs (usage, option == 'h' ? stdout : stderr);
            exit (option == 'h' ? 0 : 2);
        }
    }
    if (optind != argc - 1) {
        fputs (usage, stderr);
        exit (2);
    }
    char err [512];
    fg_config_t *config = fg_config_load (argv [optind], err, sizeof err);
    if (!config) {
        fprintf (stderr, "%s: %s\n", ident, err);
        exit (2);
    }
    //  Before the actors' threads: each thread that allocates would get
    //  its own malloc arena, whose freed memory only it reuses
    if (config->arenas)
        mallopt (M_ARENA_MAX, config->arenas);
    //  One daemon per node directory (two would each believe they own the
    //  replica's links and sequence numbers)
    int holder;
    if (fg_site_lock (config->dir, &holder, err, sizeof err)) {
        fprintf (stderr, "%s: %s\n", ident, err);
        fg_config_destroy (&config);
        exit (2);
    }
    zsys_set_logident (ident);
    if (config->syslog)
        zsys_set_logsystem (true);
    fg_verbose = verbose || config->verbose;
    return config;
}

//  SQLite's quick_check of the replica (integrity_check when full): 0 if
//  it says ok, else -1 (logged).
static int
s_quick_check (const fg_config_t *config, sqlite3 *db, bool full)
{
    const char *check = full ? "integrity_check" : "quick_check";
    char sql [48];
    snprintf (sql, sizeof sql, "PRAGMA %s", check);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        zsys_error ("cannot check the replica %s: %s", config->data, sqlite3_errmsg (db));
        return -1;
    }
    char first [256] = "";
    size_t problems = 0;
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        const char *line = (const char *) sqlite3_column_text (stmt, 0);
        if (line && streq (line, "ok"))
            continue;
        if (problems++ == 0) {
            //  (each problem of the main database comes after a heading)
            const char *heading = "*** in database main ***\n";
            if (line && strncmp (line, heading, strlen (heading)) == 0)
                line += strlen (heading);
            snprintf (first, sizeof first, "%s", line ? line : "?");
            for (char *newline = strchr (first, '\n'); newline; newline = strchr (newline, '\n'))
                *newline = ' ';
        }
    }
    if (step != SQLITE_DONE && problems++ == 0)
        snprintf (first, sizeof first, "%s", sqlite3_errmsg (db));
    sqlite3_finalize (stmt);
    if (problems == 0)
        return 0;
    zsys_error ("refusing to start: the replica %s fails SQLite's %s (%zu problem%s; first: %s). "
                "Running on it could lose or spread damage. Restore %s from a backup (its parent holds a "
                "copy of every entry of this node's subtree: after the restore, fugai -C %s resync PARENT "
                "gets what the backup lacks), then start again; fugai -C %s check says more",
                config->data, check, problems, problems == 1 ? "" : "s", first, config->data, config->dir,
                config->dir);
    return -1;
}

//  The replica can be written: a daemon on a read-only file (file mode,
//  an immutable attribute, a read-only filesystem) would run and store
//  nothing. 0, or -1 (logged).
static int
s_writable (const fg_config_t *config, sqlite3 *db)
{
    const char *why = NULL;
    char reason [256];
    char *message = NULL;
    if (sqlite3_db_readonly (db, "main") == 1)
        why = "SQLite opened it read-only";
    else
    if (sqlite3_exec (db, "BEGIN IMMEDIATE; UPDATE meta SET value = value WHERE key = 'schema_version'",
                      NULL, NULL, &message) != SQLITE_OK) {
        snprintf (reason, sizeof reason, "%s", message ? message : sqlite3_errmsg (db));
        why = reason;
    }
    if (sqlite3_get_autocommit (db) == 0)
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    if (why)
        zsys_error ("refusing to start: the replica %s cannot be written (%s): the daemon would run and "
                    "store nothing. Make the file, its directory and its -wal/-shm files writable for "
                    "the user running the daemon (file mode, chattr -i, a filesystem mounted read-write), "
                    "or restore it from a backup to a writable place, then start again",
                    config->data, why);
    sqlite3_free (message);
    return why ? -1 : 0;
}

int
fgp_daemon_check (const fg_config_t *config)
{
    fg_site_t site;
    char err [512];
    if (fg_site_open (&site, config->dir, FG_SITE_KEYS | FG_SITE_DAEMON, s_hooks, err, sizeof err)) {
        zsys_error ("%s", err);
        return -1;
    }
    sqlite3 *db = fg_replica_db (site.replica);
    //  A daemon that did not stop cleanly (killed, a power cut) left its
    //  marker: then the whole file is checked, not only its structure
    char *marker = fg_strdupf ("%s/daemon.running", config->dir);
    bool unclean = zsys_file_exists (marker);
    int64_t started = fg_now_ms ();
    if (unclean)
        zsys_warning ("the last run of the daemon on %s did not stop cleanly (killed, or a power cut): "
                      "checking the whole replica (SQLite integrity_check)...", config->dir);
    int rc = s_quick_check (config, db, unclean);
    if (unclean && rc == 0)
        zsys_info ("the replica %s passes integrity_check (%.1f s)", config->data,
                   (double) (fg_now_ms () - started) / 1000.0);
    if (rc == 0)
        rc = s_writable (config, db);
    fg_node_t parent;
    if (rc == 0 && config->parent && fg_replica_parent (site.replica, &parent)) {
        zsys_error ("%s names a parent but none is trusted: run fugai -C %s trust PARENT.cert",
                    config->path, config->dir);
        rc = -1;
    }
    fg_site_close (&site);
    if (rc == 0) {
        FILE *file = fopen (marker, "w");
        if (file) {
            fprintf (file, "%d\n", (int) getpid ());
            fflush (file);
            fsync (fileno (file));
            fclose (file);
        }
    }
    free (marker);
    return rc;
}

void
fgp_daemon_stopped (const fg_config_t *config)
{
    char *marker = fg_strdupf ("%s/daemon.running", config->dir);
    unlink (marker);
    free (marker);
}

int
fgp_daemon_open (const char *dir, fg_config_t **config_p, fg_keys_t **keys_p,
                 fg_replica_t **replica_p, fgp_stream_config_t *stream)
{
    fg_site_t site;
    char err [512];
    *config_p = NULL;
    *keys_p = NULL;
    *replica_p = NULL;
    if (fg_site_open (&site, dir, FG_SITE_KEYS | FG_SITE_DAEMON, s_hooks, err, sizeof err)) {
        zsys_error ("sync: %s", err);
        return -1;
    }
    *config_p = site.config;
    *keys_p = site.keys;
    *replica_p = site.replica;
    //  The actors tell each other of their commits (COMMITTED / WAKE)
    fg_replica_set_wake (site.replica, false);
    fgp_stream_config_default (stream);
    stream->batch_bytes = site.config->batch_bytes;
    stream->credit = (uint16_t) site.config->credit;
    stream->compress = site.config->compress;
    return 0;
}

static int
s_wal_hook (void *arg, sqlite3 *db, const char *name, int frames)
{
    *(int *) arg = frames;
    return SQLITE_OK;
}

void
fgp_daemon_wal_watch (fg_replica_t *replica, int *frames)
{
    *frames = 0;
    sqlite3_wal_hook (fg_replica_db (replica), s_wal_hook, frames);
}

void
fgp_daemon_wal_check (fg_replica_t *replica, int *frames)
{
    if (*frames < 1000)
        return;
    *frames = 0;
    //  (PASSIVE: never waits for a reader or a writer; what it cannot copy
    //  now goes at the next one)
    int rc = sqlite3_wal_checkpoint_v2 (fg_replica_db (replica), "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        zsys_warning ("checkpoint of %s: %s", sqlite3_db_filename (fg_replica_db (replica), "main"),
                      sqlite3_errmsg (fg_replica_db (replica)));
}

int
fgp_daemon_notify (const char *state)
{
    //  The sd_notify protocol: one datagram to $NOTIFY_SOCKET, a path or,
    //  with a leading '@', an abstract socket. No socket, nothing to do.
    const char *path = getenv ("NOTIFY_SOCKET");
    if (!path || !*path)
        return 0;
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    size_t length = strlen (path);
    if (length >= sizeof address.sun_path)
        return -1;
    memcpy (address.sun_path, path, length);
    if (address.sun_path [0] == '@')
        address.sun_path [0] = 0;
    int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    ssize_t sent = sendto (fd, state, strlen (state), MSG_NOSIGNAL, (struct sockaddr *) &address,
                           (socklen_t) (offsetof (struct sockaddr_un, sun_path) + length));
    close (fd);
    if (sent < 0) {
        zsys_warning ("cannot tell systemd %s: %s", state, strerror (errno));
        return -1;
    }
    return 0;
}

static zactor_t *s_auth;
static const char *s_certs;
static uint64_t s_certs_seen;

void
fgp_daemon_watch_certs (zactor_t *auth, const char *certs)
{
    s_auth = auth;
    s_certs = certs;
    s_certs_seen = 0;
}

//  What the certificate directory holds, as one number: each file's name,
//  size, inode and mtime to the nanosecond
static uint64_t
s_certs_signature (const char *certs)
{
    uint64_t signature = 1469598103934665603ULL;
    DIR *dir = opendir (certs);
    if (!dir)
        return 0;
    struct dirent *entry;
    while ((entry = readdir (dir))) {
        if (entry->d_name [0] == '.')
            continue;
        char path [PATH_MAX];
        struct stat st;
        snprintf (path, sizeof path, "%s/%s", certs, entry->d_name);
        if (stat (path, &st) || !S_ISREG (st.st_mode))
            continue;
        uint64_t item = 1469598103934665603ULL;
        for (const char *c = entry->d_name; *c; c++)
            item = (item ^ (uint8_t) *c) * 1099511628211ULL;
        uint64_t fields [4] = { (uint64_t) st.st_size, (uint64_t) st.st_ino, (uint64_t) st.st_mtim.tv_sec,
                                (uint64_t) st.st_mtim.tv_nsec };
        for (int f = 0; f < 4; f++)
            item = (item ^ fields [f]) * 1099511628211ULL;
        signature += item;              //  the order of readdir does not matter
    }
    closedir (dir);
    return signature;
}

static void
s_certs_check (void)
{
    if (!s_auth)
        return;
    uint64_t signature = s_certs_signature (s_certs);
    if (signature == s_certs_seen)
        return;
    if (s_certs_seen)                   //  (the first look only remembers)
        zsys_info ("certs: %s changed; the CURVE authenticator reloads it", s_certs);
    s_certs_seen = signature;
    zstr_sendx (s_auth, "CURVE", s_certs, NULL);
    zsock_wait (s_auth);
}

//  Changes to the certificate directory, as they happen (inotify): a
//  descriptor to poll, or -1 (then the directory is looked at every
//  second). The directory itself replaced (renamed away, deleted) ends
//  the watch: it is set again at the next look.
static int
s_certs_watch (void)
{
    int fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
    if (fd >= 0 && inotify_add_watch (fd, s_certs, IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB
                                      | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF
                                      | IN_MOVE_SELF) < 0) {
        close (fd);
        fd = -1;
    }
    return fd;
}

//  Read what the watch says; true if the directory itself went (the watch
//  is to be set again)
static bool
s_certs_drain (int fd)
{
    char buffer [4096] __attribute__ ((aligned (__alignof__ (struct inotify_event))));
    bool gone = false;
    ssize_t size;
    while ((size = read (fd, buffer, sizeof buffer)) > 0)
        for (char *at = buffer; at < buffer + size; ) {
            const struct inotify_event *event = (const struct inotify_event *) at;
            if (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))
                gone = true;
            at += sizeof (struct inotify_event) + event->len;
        }
    return gone;
}

int
fgp_daemon_wait (zactor_t **actors, size_t count, const fg_config_t *config)
{
    //  Writes of other processes (fugai add, import) wake us at once
    fg_wake_t wake;
    int wake_fd = -1;
    if (fg_wake_init (&wake, config->data) == 0)
        wake_fd = fg_wake_bind (&wake);
    if (wake_fd < 0)
        zsys_warning ("cannot listen for the writes of fugai on %s (%s%s): they are sent at the next "
                      "look (sync/poll_ms = %d ms) instead of at once", config->data, strerror (errno),
                      errno == EADDRINUSE ? ": is another daemon running on this replica?" : "",
                      config->poll_ms);
    int certs_fd = s_auth ? s_certs_watch () : -1;
    enum { S_ITEMS = 10 };
    zmq_pollitem_t items [S_ITEMS];
    size_t used = 0;
    zactor_t *owner [S_ITEMS];
    for (size_t i = 0; i < count && used < 7; i++)
        if (actors [i]) {
            items [used] = (zmq_pollitem_t) { zsock_resolve (actors [i]), 0, ZMQ_POLLIN, 0 };
            owner [used++] = actors [i];
        }
    size_t actor_items = used;
    size_t wake_item = used, signal_item = used, certs_item = used;
    if (wake_fd >= 0)
        items [wake_item = used++] = (zmq_pollitem_t) { NULL, wake_fd, ZMQ_POLLIN, 0 };
    if (s_signal_pipe [0] >= 0)
        items [signal_item = used++] = (zmq_pollitem_t) { NULL, s_signal_pipe [0], ZMQ_POLLIN, 0 };
    if (certs_fd >= 0)
        items [certs_item = used++] = (zmq_pollitem_t) { NULL, certs_fd, ZMQ_POLLIN, 0 };
    //  The main thread sleeps until an actor speaks, a write or a change
    //  of certs/ is told, or a signal comes. Looks that nothing tells of:
    //  certs/ every second without its watch, and every sync/poll_ms with
    //  it (a filesystem that does not report changes); a signal every
    //  second if the pipe could not be made.
    long timeout = -1;
    if (s_auth)
        timeout = certs_fd >= 0 ? config->poll_ms : 1000;
    if (s_signal_pipe [0] < 0)
        timeout = 1000;
    //  The actors are running (zactor_new returns once each signals)
    fgp_daemon_notify ("READY=1");
    int rc = 0;
    uint64_t wakeups = 0;
    int64_t started = fg_now_ms ();
    if (s_auth)
        s_certs_seen = s_certs_signature (s_certs);
    while (!s_stop && rc == 0) {
        //  Signals are taken only while the poll waits (a CZMQ wait of the
        //  loop's body, zauth's reply, must not be cut short); one that came
        //  meanwhile is taken at once, writes the pipe, and the poll returns
        s_signals_blocked (false);
        int ready = zmq_poll (items, (int) used, timeout);
        s_signals_blocked (true);
        if (ready < 0) {
            if (zmq_errno () == EINTR)
                continue;
            break;
        }
        wakeups++;
        //  The look nothing told of (the timeout), a change told (certs/
        //  watch, below) or a local write (an enroll, a revoke) reloads
        //  the keys if the directory changed
        bool certs = ready == 0;
        if (s_signal_pipe [0] >= 0 && (items [signal_item].revents & ZMQ_POLLIN)) {
            char byte;
            while (read (s_signal_pipe [0], &byte, 1) > 0)
                ;
        }
        if (certs_fd >= 0 && (items [certs_item].revents & ZMQ_POLLIN)) {
            certs = true;
            if (s_certs_drain (certs_fd)) {
                //  certs/ itself was replaced: watch the new one
                close (certs_fd);
                certs_fd = s_certs_watch ();
                if (certs_fd >= 0)
                    items [certs_item].fd = certs_fd;
                else {
                    used = certs_item;  //  (the last item)
                    timeout = 1000;
                }
            }
        }
        //  A local write: every actor may have something to send (and an
        //  enroll or a revoke changed certs/)
        if (wake_fd >= 0 && (items [wake_item].revents & ZMQ_POLLIN) && fg_wake_drain (wake_fd)) {
            for (size_t i = 0; i < actor_items; i++)
                zstr_send (owner [i], "WAKE");
            certs = true;
        }
        for (size_t k = 0; k < actor_items; k++) {
            if (!(items [k].revents & ZMQ_POLLIN))
                continue;
            char *message = zstr_recv (owner [k]);
            if (!message)
                continue;
            //  One actor stored entries: the others may have something to send
            if (streq (message, "COMMITTED"))
                for (size_t i = 0; i < actor_items; i++)
                    if (i != k)
                        zstr_send (owner [i], "WAKE");
            if (streq (message, "FAILED"))
                rc = 1;
            zstr_free (&message);
        }
        if (certs)
            s_certs_check ();
    }
    if (wake_fd >= 0)
        close (wake_fd);
    if (certs_fd >= 0)
        close (certs_fd);
    zsys_info ("the daemon's main thread woke %llu times in %lld s", (unsigned long long) wakeups,
               (long long) (fg_now_ms () - started) / 1000);
    fgp_daemon_notify ("STOPPING=1");
    return rc;
}

//  --------------------------------------------------------------------------
//  The alarm of a sync actor

static int
s_alarm_off (zloop_t *loop, int timer_id, void *arg)
{
    fgp_alarm_t *self = (fgp_alarm_t *) arg;
    self->timer_id = 0;                 //  (spent: a zloop timer of one time)
    self->fired++;
    self->tick (self->arg);
    fgp_alarm_update (self);
    return 0;
}

void
fgp_alarm_init (fgp_alarm_t *self, zloop_t *loop, fgp_alarm_tick_fn *tick, fgp_alarm_next_fn *next,
                void *arg)
{
    *self = (fgp_alarm_t) { .loop = loop, .tick = tick, .next = next, .arg = arg, .at = INT64_MAX,
                            .started = fg_now_ms () };
    fgp_alarm_update (self);
}

void
fgp_alarm_update (fgp_alarm_t *self)
{
    int64_t at = self->next (self->arg);
    if (self->timer_id && at == self->at)
        return;
    if (self->timer_id)
        zloop_timer_end (self->loop, self->timer_id);
    self->timer_id = 0;
    self->at = at;
    if (at == INT64_MAX)
        return;
    int64_t delay = at - fg_now_ms ();
    //  (zloop sleeps an hour at most anyway)
    delay = delay < 0 ? 0 : delay > 3600 * 1000 ? 3600 * 1000 : delay;
    self->timer_id = zloop_timer (self->loop, (size_t) delay, 1, s_alarm_off, self);
    assert (self->timer_id > 0);
}

bool
fgp_alarm_due (int64_t now, int64_t last, int64_t period_ms)
{
    return now >= last + period_ms - period_ms / 2;
}

void
fgp_alarm_report (fgp_alarm_t *self, const char *what)
{
    zsys_info ("%s: its timer went off %llu times in %lld s", what, (unsigned long long) self->fired,
               (long long) (fg_now_ms () - self->started) / 1000);
}
