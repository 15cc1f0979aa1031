/*  fg_site.c - a node directory opened (see fg_site.h). */
#include "fg_site.h"
#include "fg_util.h"

int
fg_site_open (fg_site_t *site, const char *dir, unsigned flags, const fg_replica_hooks_t *hooks,
              char *errbuf, size_t errsize)
{
    memset (site, 0, sizeof *site);
    site->config = fg_config_load (dir, errbuf, errsize);
    if (!site->config)
        return -1;
    int rc = 0;
    if (flags & FG_SITE_KEYS) {
        site->keys = fg_keys_load (site->config->keys);
        if (!site->keys)
            rc = fg_errf (errbuf, errsize, "cannot load the keys in %s (see the message above)",
                          site->config->keys);
    }
    if (rc == 0) {
        site->replica = fg_replica_open (site->config->data, hooks);
        if (!site->replica)
            rc = fg_errf (errbuf, errsize, "cannot open the replica %s (see the message above)",
                          site->config->data);
    }
    if (rc) {
        fg_site_close (site);
        return -1;
    }
    if (site->keys)
        fg_replica_set_keys (site->replica, site->keys);
    fg_replica_set_max_ahead (site->replica, site->config->max_clock_ahead_ms);
    return 0;
}

void
fg_site_close (fg_site_t *site)
{
    fg_replica_destroy (&site->replica);
    fg_keys_destroy (&site->keys);
    fg_config_destroy (&site->config);
}
