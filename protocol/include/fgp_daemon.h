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
//  Tell systemd (Type=notify) the daemon's state, e.g. "READY=1" or
//  "STOPPING=1", by the sd_notify protocol; does nothing when not run by
//  systemd ($NOTIFY_SOCKET unset). 0, or -1 if it could not be sent.
int  fgp_daemon_notify (const char *state);
//  Wait until SIGTERM/SIGINT or until one of the actors reports FAILED,
//  passing "COMMITTED" from one actor on as "WAKE" to the others, and
//  sending "WAKE" to every actor as soon as another process commits to
//  the replica (fg_wake.h: the wake socket of config->data; if it cannot
//  be bound, a warning says so and the actors' polls find the writes).
//  Tells systemd READY=1 when it starts waiting, STOPPING=1 when it
//  returns. At most 7 actors. Returns 0 for a signal, 1 for a failed actor.
int  fgp_daemon_wait (zactor_t **actors, size_t count, const fg_config_t *config);
//  A hub: the CURVE authenticator (CZMQ zauth) whose store of enrolled
//  keys fgp_daemon_wait reloads whenever DIR/certs changes (a name, a
//  size, an inode or an mtime to the nanosecond): at each local write
//  (an enroll commits, and wakes the daemon) and at least every second.
//  CZMQ's own store looks again only when the newest mtime in whole
//  seconds, the count or the total size changed, and new keys for a node
//  replace a file of the same size: the hub went on refusing them.
void fgp_daemon_watch_certs (zactor_t *auth, const char *certs);

#endif
