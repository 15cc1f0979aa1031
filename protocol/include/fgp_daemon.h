/*  fgp_daemon.h - what the two daemons (fugai-hub, fugai-edge) share:
    logging set-up and the wait for a signal or a failed actor. */
#ifndef FGP_DAEMON_H_INCLUDED
#define FGP_DAEMON_H_INCLUDED

#include "fg_config.h"

//  Parse a daemon's "[-v] DIR": returns DIR and sets *verbose; prints
//  `usage` and exits (0 for -h, 2 for bad usage) otherwise.
const char *fgp_daemon_options (int argc, char *argv [], const char *usage, bool *verbose);
//  Check what the actors will need, so that a mistake is reported before
//  they start: the keys load, the replica opens, and if the config names a
//  parent, one is trusted. 0, or -1 (the reason is logged).
int  fgp_daemon_check (const fg_config_t *config);
//  Log through zsys under `ident`; to syslog as well when the config says
//  so (systemd), with debug lines when verbose.
void fgp_daemon_logging (const char *ident, const fg_config_t *config, bool verbose);
//  Wait until SIGTERM/SIGINT or until one of the actors reports FAILED,
//  passing "COMMITTED" from one actor on as "WAKE" to the others.
//  Returns 0 for a signal, 1 for a failed actor.
int  fgp_daemon_wait (zactor_t **actors, size_t count);

#endif
