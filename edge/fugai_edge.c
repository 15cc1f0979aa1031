/*  fugai-edge - the daemon of a township edge.

    Usage: fugai-edge [-v] DIR

    Reads DIR/fugai.cfg and runs the child side of the link to the county
    hub (fgp_child): the township's entries go up, the entries its scope
    needs come down, directives are acknowledged; and the township's web
    console (fg_web), which works whether or not the link is up. Clerks' writes do not
    need it: `fugai -C DIR add ...` writes to the replica directly, online
    or not, and this daemon sends them when the link allows. Runs in the
    foreground; stops cleanly on SIGTERM or SIGINT. Exit codes as fugai-hub.
*/
#include "fg_config.h"
#include "fg_keys.h"
#include "fg_replica.h"
#include "fg_util.h"
#include "fgp_child.h"
#include "fgp_daemon.h"
#include "fg_programme.h"
#include "fg_web.h"

static const char *s_usage =
    "usage: fugai-edge [-v] DIR\n"
    "  Run the township edge whose node directory is DIR (made by fugai init --role township).\n"
    "  -v  log every batch (debug)\n";

int
main (int argc, char *argv [])
{
    fg_config_t *config = fgp_daemon_start (argc, argv, "fugai-edge", s_usage, fg_programme_hooks ());
    if (config->node.tier != FG_TIER_TOWNSHIP || !config->parent) {
        zsys_error ("%s is not a township with a parent/endpoint: run fugai-hub for hubs, "
                    "or set parent/endpoint", config->path);
        fg_config_destroy (&config);
        return 2;
    }
    if (fgp_daemon_check (config)) {
        fg_config_destroy (&config);
        return 2;
    }
    zsys_info ("node %u, township %s (%s), replica %s, parent %s", config->node.node_id,
               config->node.org, config->node.name, config->data, config->parent);
    zactor_t *actors [2];
    actors [0] = zactor_new (fgp_child_actor, config->dir);
    actors [1] = zactor_new (fg_web_actor, config->dir);
    int rc = fgp_daemon_wait (actors, 2, config);
    zsys_info ("stopping");
    zactor_destroy (&actors [1]);
    zactor_destroy (&actors [0]);
    fgp_daemon_stopped (config);
    fg_config_destroy (&config);
    return rc;
}
