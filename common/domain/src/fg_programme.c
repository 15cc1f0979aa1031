/*  fg_programme.c - the programme's hooks and door (see fg_programme.h). */
#include "fg_programme.h"
#include "fg_catalogue.h"
#include "fg_directive.h"
#include "fg_submission.h"
#include "fg_rules.h"
#include <pthread.h>

static fg_replica_hooks_t s_hooks;
static pthread_once_t     s_hooks_once = PTHREAD_ONCE_INIT;

//  The catalogue's size is known at link time only, so the struct is
//  filled once, on first use.
static void
s_hooks_fill (void)
{
    s_hooks = (fg_replica_hooks_t) {
        .tables = fg_catalogue_tables,
        .table_count = fg_catalogue_count,
        .on_from_parent = fg_directive_ack_arrived,
        .on_from_child = fg_submission_receipts,
        .on_ingest = fg_rules_ingest //  the HARD rules of DOMAIN.md §3 (fg_rules.h)
    };
}

const fg_replica_hooks_t *
fg_programme_hooks (void)
{
    pthread_once (&s_hooks_once, s_hooks_fill);
    return &s_hooks;
}

void
fg_programme_install (void)
{
    fg_schema_install (fg_catalogue_tables, fg_catalogue_count);
}

int
fg_programme_open (fg_site_t *site, const char *dir, unsigned flags, char *errbuf, size_t errsize)
{
    return fg_site_open (site, dir, flags, fg_programme_hooks (), errbuf, errsize);
}

fg_replica_t *
fg_programme_create (const char *path, const fg_node_t *self)
{
    return fg_replica_create (path, self, fg_programme_hooks ());
}
