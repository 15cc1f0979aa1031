/*  fgp_daemon.c - logging and waiting for the daemons. */
#include "fgp_daemon.h"
#include "fg_util.h"

void
fgp_daemon_logging (const char *ident, const fg_config_t *config, bool verbose)
{
    zsys_set_logident (ident);
    if (config && config->syslog)
        zsys_set_logsystem (true);
    fg_verbose = verbose || (config && config->verbose);
}

int
fgp_daemon_wait (zactor_t **actors, size_t count)
{
    zpoller_t *poller = zpoller_new (NULL);
    for (size_t i = 0; i < count; i++)
        if (actors [i])
            zpoller_add (poller, actors [i]);
    int rc = 0;
    while (!zsys_interrupted) {
        void *which = zpoller_wait (poller, 1000);
        if (which) {
            char *message = zstr_recv (which);
            bool failed = message && streq (message, "FAILED");
            //  One actor stored entries: the others may have something to send
            if (message && streq (message, "COMMITTED"))
                for (size_t i = 0; i < count; i++)
                    if (actors [i] && actors [i] != which)
                        zstr_send (actors [i], "WAKE");
            zstr_free (&message);
            if (failed) {
                rc = 1;
                break;
            }
        }
        else
        if (zpoller_terminated (poller))
            break;
    }
    zpoller_destroy (&poller);
    return rc;
}
