/*  fugai-hub - the daemon of a county hub or the prefecture hub.

    Usage: fugai-hub [-v] DIR

    Reads DIR/fugai.cfg, admits the children enrolled in DIR/certs over
    CURVE (CZMQ zauth), runs the parent side of their links (fgh_parent)
    and, in a county, the child side of the link to the prefecture
    (fgp_child), and the node's web console (fg_web). Runs in the
    foreground; stops cleanly on SIGTERM or SIGINT. Exit codes: 0 stopped
    by a signal, 1 a part failed at run time, 2 bad usage or configuration
    (the message says what to fix).
*/
#include "fg_config.h"
#include "fg_keys.h"
#include "fg_replica.h"
#include "fg_util.h"
#include "fgp_child.h"
#include "fgp_daemon.h"
#include "fg_programme.h"
#include "fgh_parent.h"
#include "fg_web.h"

static const char *s_usage =
    "usage: fugai-hub [-v] DIR\n"
    "  Run the hub whose node directory is DIR (made by fugai init --role county|prefecture).\n"
    "  -v  log every batch and every ZAP request (debug)\n";

int
main (int argc, char *argv [])
{
    fg_config_t *config = fgp_daemon_start (argc, argv, "fugai-hub", s_usage, fg_programme_hooks ());
    if (config->node.tier == FG_TIER_TOWNSHIP || !config->listen) {
        zsys_error ("%s is a %s without listen/endpoint: run fugai-edge for townships",
                    config->path, fg_tier_name (config->node.tier));
        fg_config_destroy (&config);
        return 2;
    }
    if (fgp_daemon_check (config) || fg_mkdir_p (config->certs, 0755)) {
        fg_config_destroy (&config);
        return 2;
    }
    zsys_info ("node %u, %s %s (%s), replica %s", config->node.node_id,
               fg_tier_name (config->node.tier), config->node.org, config->node.name, config->data);

    //  Only enrolled keys complete the CURVE handshake
    zactor_t *auth = zactor_new (zauth, NULL);
    assert (auth);
    if (fg_verbose) {
        zstr_send (auth, "VERBOSE");
        zsock_wait (auth);
    }
    zstr_sendx (auth, "CURVE", config->certs, NULL);
    zsock_wait (auth);

    zactor_t *actors [3] = { NULL, NULL, NULL };
    actors [0] = zactor_new (fgh_parent_actor, config->dir);
    if (config->parent)
        actors [1] = zactor_new (fgp_child_actor, config->dir);
    //  The console last: sync starts as soon as it can
    actors [2] = zactor_new (fg_web_actor, config->dir);
    //  Enrollments while it runs (enroll, --rekey, --replace, revoke)
    //  change certs/: the authenticator reloads it (fgp_daemon.h)
    fgp_daemon_watch_certs (auth, config->certs);
    int rc = fgp_daemon_wait (actors, 3, config);
    zsys_info ("stopping");
    zactor_destroy (&actors [2]);
    zactor_destroy (&actors [1]);
    zactor_destroy (&actors [0]);
    zactor_destroy (&auth);
    fgp_daemon_stopped (config);
    fg_config_destroy (&config);
    return rc;
}
