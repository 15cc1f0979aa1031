/*  fg_flow.h - min-cost flow by successive shortest paths (private to fg_plan).

    A directed network with integer capacities and non-negative integer
    costs, nothing else: no floating point, no allocation after the arcs are
    added except the search buffers of the first run. Arcs are numbered in
    the order they are added; every arc has a residual twin (its number ^ 1)
    that nobody outside needs to see.

    fg_flow_run augments from source to sink along shortest paths until no
    path is left (Dijkstra on reduced costs with node potentials, stopped
    when the sink is settled; potentials are raised by min (dist, dist(sink))
    so that every residual arc keeps a non-negative reduced cost). Ties are
    broken by node index: the heap pops the smallest (distance, node) and a
    node keeps the first predecessor that reached it, so the same network
    built in the same order always yields the same flow, on every machine.

    A flow may be preset on arcs of cost 0 before the run (kept pairs in
    fg_plan). Their twins then cost 0 too, so the preset flow is a min-cost
    flow of its value and the zero potentials are valid to start from.
*/
#ifndef FG_FLOW_H_INCLUDED
#define FG_FLOW_H_INCLUDED

#include "fg_common.h"

typedef struct _fg_flow_t fg_flow_t;

//  A network of node_count nodes (0 .. node_count-1) and no arcs.
fg_flow_t *fg_flow_new (size_t node_count);
void       fg_flow_destroy (fg_flow_t **self_p);
//  Add an arc from -> to with capacity cap >= 0 and cost >= 0 (asserted:
//  the callers build the network from checked data). Returns the arc's
//  number. No arc may be added after fg_flow_run.
size_t     fg_flow_arc (fg_flow_t *self, size_t from, size_t to, int64_t cap, int64_t cost);
//  Put flow on an arc of cost 0 before the run. The caller keeps every node
//  but source and sink balanced.
void       fg_flow_preset (fg_flow_t *self, size_t arc, int64_t flow);
//  Augment along shortest paths from source to sink until none is left.
//  Returns the flow added by this run (the preset flow not counted).
int64_t    fg_flow_run (fg_flow_t *self, size_t source, size_t sink);
//  Flow on an arc (preset included).
int64_t    fg_flow_of (fg_flow_t *self, size_t arc);
//  Sum of flow x cost over every arc.
int64_t    fg_flow_cost (fg_flow_t *self);
//  Shortest paths augmented so far.
size_t     fg_flow_paths (fg_flow_t *self);

void       fg_flow_test (bool verbose);

#endif
