/*  fgp_daemon.h - what the two daemons (fugai-hub, fugai-edge) share:
    logging set-up and the wait for a signal or a failed actor. */
#ifndef FGP_DAEMON_H_INCLUDED
#define FGP_DAEMON_H_INCLUDED

#include "fg_config.h"
#include "fg_replica.h"
#include "fgp_stream.h"

//  Parse a daemon's "[-v] DIR": returns DIR and sets *verbose; prints
//  `usage` and exits (0 for -h, 2 for bad usage) otherwise.
const char *fgp_daemon_options (int argc, char *argv [], const char *usage, bool *verbose);
//  Check what the actors will need, so that a mistake is reported before
//  they start: the keys load, the replica opens, and if the config names a
//  parent, one is trusted. 0, or -1 (the reason is logged).
int  fgp_daemon_check (const fg_config_t *config);
//  What each sync actor opens for itself (actors share nothing): the
//  node's configuration, its keys, its replica (keys lent to it, the skew
//  bound set) and the stream tunables from the configuration. 0, or -1
//  with the reason logged (whatever was opened is closed again).
int  fgp_daemon_open (const char *dir, fg_config_t **config_p, fg_keys_t **keys_p,
                      fg_replica_t **replica_p, fgp_stream_config_t *stream);
//  Log through zsys under `ident`; to syslog as well when the config says
//  so (systemd), with debug lines when verbose.
void fgp_daemon_logging (const char *ident, const fg_config_t *config, bool verbose);
//  Wait until SIGTERM/SIGINT or until one of the actors reports FAILED,
//  passing "COMMITTED" from one actor on as "WAKE" to the others.
//  Returns 0 for a signal, 1 for a failed actor.
int  fgp_daemon_wait (zactor_t **actors, size_t count);

#endif
