/*  fgp_daemon.h - what the two daemons (fugai-hub, fugai-edge) share:
    logging set-up and the wait for a signal or a failed actor. */
#ifndef FGP_DAEMON_H_INCLUDED
#define FGP_DAEMON_H_INCLUDED

#include "fg_config.h"

//  Log through zsys under `ident`; to syslog as well when the config says
//  so (systemd), with debug lines when verbose.
void fgp_daemon_logging (const char *ident, const fg_config_t *config, bool verbose);
//  Wait until SIGTERM/SIGINT or until one of the actors reports FAILED,
//  passing "COMMITTED" from one actor on as "WAKE" to the others.
//  Returns 0 for a signal, 1 for a failed actor.
int  fgp_daemon_wait (zactor_t **actors, size_t count);

#endif
