/*  fg_testkit.h - fixtures shared by the self-tests: a node with real keys
    and a real replica file in a scratch directory. Test code only. */
#ifndef FG_TESTKIT_H_INCLUDED
#define FG_TESTKIT_H_INCLUDED

#include "fg_replica.h"

typedef struct {
    fg_keys_t    *keys;
    fg_node_t     node;
    fg_replica_t *replica;
} fg_testnode_t;

//  A scratch directory /tmp/NAME.PID (created; caller frees the string).
char   *fg_testkit_dir (const char *name);
//  Remove a scratch directory and everything in it.
void    fg_testkit_rmdir (const char *dir);
//  A node with fresh keys and a replica file DIR/ORG.db.
void    fg_testkit_node (fg_testnode_t *node, const char *dir, uint16_t id, fg_tier_t tier,
                         const char *org, const char *name);
void    fg_testkit_node_destroy (fg_testnode_t *node);
//  Parent enrolls child and child trusts parent; asserts it works.
void    fg_testkit_link (fg_testnode_t *parent, fg_testnode_t *child);
//  Write a household in a village at a township node; returns its id.
uint64_t fg_testkit_household (fg_testnode_t *node, const char *village, const char *head);
//  Move everything `from` has for `to` (to is from's parent if up, else
//  its child), as a sync would, and acknowledge the directives received.
fg_rx_stats_t fg_testkit_sync (fg_testnode_t *from, fg_testnode_t *to, bool up);
//  First column of the first row of a query, or -1.
int64_t fg_testkit_int (fg_testnode_t *node, const char *sql);

#endif
