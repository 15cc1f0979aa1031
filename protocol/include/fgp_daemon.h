/*  fgp_daemon.h - what the two daemons (fugai-hub, fugai-edge) share:
    options, configuration and logging, the checks before the actors
    start, what each actor opens, and the wait for a signal or a failed
    actor. */
#ifndef FGP_DAEMON_H_INCLUDED
#define FGP_DAEMON_H_INCLUDED

#include "fg_config.h"
#include "fg_replica.h"
#include "fgp_stream.h"

//  What every daemon's main does first: parse "[-v] DIR" (print `usage`
//  and exit 0 for -h, 2 for bad usage), load DIR's configuration (print
//  the reason, prefixed by `ident`, and exit 2 when it does not load), and
//  log through zsys under `ident`: to syslog as well when the config says
//  so (systemd), with debug lines for -v or a verbose config. It takes the
//  node directory's daemon lock (fg_site_lock): when another daemon holds
//  it, it says so with that daemon's pid and exits 2. Returns the
//  configuration; the caller destroys it. `hooks` are the programme's
//  (fg_programme_hooks): its catalogue is installed now, before any actor
//  starts, and every replica the daemon's actors open uses them.
fg_config_t *fgp_daemon_start (int argc, char *argv [], const char *ident, const char *usage,
                               const fg_replica_hooks_t *hooks);
//  Check what the actors will need, so that a mistake is reported before
//  they start: the keys load, the replica opens, passes SQLite's
//  PRAGMA quick_check (integrity_check, the whole file, when the last run
//  did not stop cleanly: its marker DIR/daemon.running is still there)
//  and can be written (not a read-only file or filesystem), and if the
//  config names a parent, one is trusted. Then the marker is written.
//  0, or -1 (the reason and the way out are logged).
int  fgp_daemon_check (const fg_config_t *config);
//  The daemon stopped in order (its actors destroyed): its marker goes.
void fgp_daemon_stopped (const fg_config_t *config);
//  What each sync actor opens for itself (actors share nothing): the
//  node's configuration, its keys, its replica (keys lent to it, the skew
//  bound set) and the stream tunables from the configuration. 0, or -1
//  with the reason logged (whatever was opened is closed again).
int  fgp_daemon_open (const char *dir, fg_config_t **config_p, fg_keys_t **keys_p,
                      fg_replica_t **replica_p, fgp_stream_config_t *stream);
//  Checkpoints of a sync actor's replica, off the path of its answers:
//  SQLite's automatic checkpoint (every 1000 pages of WAL) runs inside the
//  COMMIT that crosses it, so the ACK and the relay of that batch waited
//  for it (pages copied into the file and an fsync more). After
//  fgp_daemon_wal_watch the actor's commits only count the WAL's pages
//  in *frames (its own variable, which must outlive the replica), and
//  fgp_daemon_wal_check, called once the actor has answered and told the
//  others, runs a PASSIVE checkpoint when they reach 1000.
void fgp_daemon_wal_watch (fg_replica_t *replica, int *frames);
void fgp_daemon_wal_check (fg_replica_t *replica, int *frames);
//  Tell systemd (Type=notify) the daemon's state, e.g. "READY=1" or
//  "STOPPING=1", by the sd_notify protocol; does nothing when not run by
//  systemd ($NOTIFY_SOCKET unset). 0, or -1 if it could not be sent.
int  fgp_daemon_notify (const char *state);
//  Wait until SIGTERM/SIGINT or until one of the actors reports FAILED,
//  passing "COMMITTED" from one actor on as "WAKE" to the others, and
//  sending "WAKE" to every actor as soon as another process commits to
//  the replica (fg_wake.h: the wake socket of config->data; if it cannot
//  be bound, a warning says so and the actors' safety looks, every
//  sync/poll_ms, find the writes). It sleeps until one of these happens
//  (a signal wakes it through a pipe: the main thread takes the signals,
//  and only while it waits); a hub
//  also looks at its certs/ then (fgp_daemon_watch_certs). Tells systemd
//  READY=1 when it starts waiting, STOPPING=1 when it returns, and logs
//  how often it woke. At most 7 actors. Returns 0 for a signal, 1 for a
//  failed actor.
int  fgp_daemon_wait (zactor_t **actors, size_t count, const fg_config_t *config);
//  How often a sync actor records the state of each of its links
//  (fgp_link_status: what fugai status shows) while nothing changes.
#define FGP_STATUS_MS 5000

//  A sync actor's alarm: a zloop timer that goes off once, at the
//  earliest deadline the actor has now (a retry, a ping, a silence to
//  notice, a status to record, a safety look at the replica), set again
//  after every event. The actor sleeps until a message comes or that
//  deadline passes; nothing ticks. Times are in fg_now_ms's clock.
//
//      static int64_t s_next (void *self);   //  the earliest deadline (INT64_MAX: none)
//      static void s_tick (void *self);      //  the chores that are due
//      fgp_alarm_init (&self->alarm, loop, s_tick, s_next, self);
//      ...
//      fgp_alarm_update (&self->alarm);      //  after each event that may move a deadline
//
//  When it goes off it calls tick, then sets itself for next again.
typedef void    (fgp_alarm_tick_fn) (void *arg);
typedef int64_t (fgp_alarm_next_fn) (void *arg);

typedef struct {
    zloop_t           *loop;         //  borrowed
    fgp_alarm_tick_fn *tick;
    fgp_alarm_next_fn *next;
    void              *arg;
    int                timer_id;     //  the armed timer, or 0
    int64_t            at;           //  when it goes off
    uint64_t           fired;        //  times it went off
    int64_t            started;
} fgp_alarm_t;

//  Set up, and set for next (arg).
void    fgp_alarm_init (fgp_alarm_t *self, zloop_t *loop, fgp_alarm_tick_fn *tick,
                        fgp_alarm_next_fn *next, void *arg);
//  Go off at next (arg); a time already past goes off at the loop's next
//  turn. When that is the time it is already set for, nothing changes.
void    fgp_alarm_update (fgp_alarm_t *self);
//  Whether a chore of this period, last done at `last`, is due at `now`:
//  it may be done up to half the period early, to share a wake-up with
//  another that is due. Chores (pings, statuses, looks) of one actor then
//  settle into one wake-up per period however their phases started, each
//  still done at least once per period. Never for a deadline that ends
//  something (a silence, a retry).
bool    fgp_alarm_due (int64_t now, int64_t last, int64_t period_ms);
//  Log (info) how often it went off since init, as `what`: the idle
//  count integration.idle_quiet reads.
void    fgp_alarm_report (fgp_alarm_t *self, const char *what);

//  A hub: the CURVE authenticator (CZMQ zauth) whose store of enrolled
//  keys fgp_daemon_wait reloads whenever DIR/certs changes (a name, a
//  size, an inode or an mtime to the nanosecond): when the directory's
//  inotify watch reports a change, at each local write (an enroll
//  commits, and wakes the daemon), and every sync/poll_ms as a safety
//  net (every second where inotify is not available).
//  CZMQ's own store looks again only when the newest mtime in whole
//  seconds, the count or the total size changed, and new keys for a node
//  replace a file of the same size: the hub went on refusing them.
void fgp_daemon_watch_certs (zactor_t *auth, const char *certs);

#endif
