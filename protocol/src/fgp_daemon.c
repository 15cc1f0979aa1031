/*  fgp_daemon.c - what the daemons share (see fgp_daemon.h). */
#include "fgp_daemon.h"
#include "fg_util.h"
#include "fg_keys.h"
#include "fg_replica.h"
#include <getopt.h>

fg_config_t *
fgp_daemon_start (int argc, char *argv [], const char *ident, const char *usage)
{
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
    zsys_set_logident (ident);
    if (config->syslog)
        zsys_set_logsystem (true);
    fg_verbose = verbose || config->verbose;
    return config;
}

int
fgp_daemon_check (const fg_config_t *config)
{
    fg_keys_t *keys = fg_keys_load (config->keys);
    fg_replica_t *replica = keys ? fg_replica_open (config->data) : NULL;
    int rc = replica ? 0 : -1;
    fg_node_t parent;
    if (rc == 0 && config->parent && fg_replica_parent (replica, &parent)) {
        zsys_error ("%s names a parent but none is trusted: run fugai -C %s trust PARENT.cert",
                    config->path, config->dir);
        rc = -1;
    }
    fg_replica_destroy (&replica);
    fg_keys_destroy (&keys);
    return rc;
}

int
fgp_daemon_open (const char *dir, fg_config_t **config_p, fg_keys_t **keys_p,
                 fg_replica_t **replica_p, fgp_stream_config_t *stream)
{
    char err [512];
    *config_p = fg_config_load (dir, err, sizeof err);
    *keys_p = NULL;
    *replica_p = NULL;
    if (!*config_p) {
        zsys_error ("sync: %s", err);
        return -1;
    }
    *keys_p = fg_keys_load ((*config_p)->keys);
    if (*keys_p)
        *replica_p = fg_replica_open ((*config_p)->data);
    if (!*replica_p) {
        fg_keys_destroy (keys_p);
        fg_config_destroy (config_p);
        return -1;
    }
    fg_replica_set_keys (*replica_p, *keys_p);
    fg_replica_set_max_ahead (*replica_p, (*config_p)->max_clock_ahead_ms);
    fgp_stream_config_default (stream);
    stream->batch_bytes = (*config_p)->batch_bytes;
    stream->credit = (uint16_t) (*config_p)->credit;
    stream->compress = (*config_p)->compress;
    return 0;
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
