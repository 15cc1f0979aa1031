/*  fgb_tree.h - a tree of real nodes for fugai-bench: a prefecture, a
    county and a township, each a node directory made by the real `fugai`
    command (init, enroll, trust) in a directory of its own, each run by
    its real daemon (fugai-hub, fugai-edge) on 127.0.0.1 with fresh ports;
    and read-only looks into their replicas while the daemons write them.
    Bench code only.
*/
#ifndef FGB_TREE_H_INCLUDED
#define FGB_TREE_H_INCLUDED

#include "fg_common.h"

//  The programs a tree runs, and how its nodes are configured.
typedef struct {
    const char *fugai;               //  the operator's command
    const char *hub;                 //  fugai-hub
    const char *edge;                //  fugai-edge
    int         poll_ms;             //  sync/poll_ms of every node; 0: the default
    bool        keep;                //  leave the directory when destroyed
} fgb_programs_t;

typedef enum {
    FGB_PREFECTURE = 0,
    FGB_COUNTY = 1,
    FGB_TOWNSHIP = 2
} fgb_tier_t;

typedef struct {
    const fgb_programs_t *programs;
    char    *dir;                    //  the tree's own directory
    char    *node [3];               //  node directories, by fgb_tier_t
    char    *db [3];                 //  their replicas
    char    *log;                    //  output of the set-up commands
    int      port [2];               //  listen ports of the two hubs
    uint16_t township_id;            //  the township's node id
    pid_t    pid [3];                //  running daemons (0: none)
    //  More townships under the county (fgb_tree_add_townships), each with
    //  its daemon and a writer: a shell loop of `fugai add`
    size_t   others;
    char   **other_node;
    pid_t   *other_pid;
    pid_t   *writer_pid;
} fgb_tree_t;

//  Make the tree in dir (created): three `fugai init`, two enroll and two
//  trust. 0, or -1 with a problem reported. Destroy it in either case.
int      fgb_tree_create (fgb_tree_t *tree, const fgb_programs_t *programs, const char *dir);
//  Stop its daemons and remove its directory (unless programs->keep).
void     fgb_tree_destroy (fgb_tree_t *tree);
//  Start the daemon of one node. 0 or -1.
int      fgb_tree_start (fgb_tree_t *tree, fgb_tier_t which);
//  Wait until a hub accepts connections, so that a child started next
//  does not race its bind. 0, or -1 (problem reported) if the hub exits or
//  does not listen within 30 s.
int      fgb_tree_listening (fgb_tree_t *tree, fgb_tier_t which);
//  True, with a problem showing its log, if a daemon has exited.
bool     fgb_tree_died (fgb_tree_t *tree);
//  Stop one daemon (SIGTERM); true if it exited cleanly (status 0).
bool     fgb_tree_stop (fgb_tree_t *tree, fgb_tier_t which);
//  Add `count` townships (513328101, 513328102 ...) under the county:
//  init, enroll, trust, and start their daemons. 0, or -1 (problem
//  reported). The county must be listening.
int      fgb_tree_add_townships (fgb_tree_t *tree, size_t count);
//  Start a writer at each added township: `fugai add` of one household,
//  then a pause of `pause_ms`, again and again (first writes spread over
//  one pause). 0 or -1. They stop with the tree.
int      fgb_tree_start_writers (fgb_tree_t *tree, int pause_ms);
//  CPU seconds a running daemon has used.
double   fgb_tree_cpu (fgb_tree_t *tree, fgb_tier_t which);

//  A read-only connection to a replica that runs one prepared query, with
//  one or two integer parameters, again and again.
typedef struct {
    sqlite3      *db;
    sqlite3_stmt *stmt;
} fgb_poller_t;

int      fgb_poller_open (fgb_poller_t *poller, const char *path, const char *sql);
//  First column of the first row, or -1.
int64_t  fgb_poller_get (fgb_poller_t *poller, int64_t arg1, int64_t arg2);
void     fgb_poller_close (fgb_poller_t *poller);
//  One query on a database file opened read-only: first column of the
//  first row, or -1.
int64_t  fgb_query_file (const char *path, const char *sql);

#endif
