/*  fg_programme.h - the programme's door: the hooks through which it plugs
    into the engine (its table catalogue, the acknowledgement of what
    arrives from the parent, the check of what is ingested), and the one
    way to open a node with them, for the operator's command, the tests and
    the web console. The daemons hand fg_programme_hooks () to the protocol
    layer (fgp_daemon_start), whose actors open their node the same way. */
#ifndef FG_PROGRAMME_H_INCLUDED
#define FG_PROGRAMME_H_INCLUDED

#include "fg_site.h"

//  The programme's hooks (static; never NULL).
const fg_replica_hooks_t *fg_programme_hooks (void);
//  Install the programme's catalogue now (before threads start, or for
//  code that uses the schema without opening a replica).
void fg_programme_install (void);
//  Open the node in dir with the programme's hooks (fg_site_open).
int  fg_programme_open (fg_site_t *site, const char *dir, unsigned flags,
                        char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  Create a new replica with the programme's hooks (fg_replica_create).
fg_replica_t *fg_programme_create (const char *path, const fg_node_t *self);

#endif
