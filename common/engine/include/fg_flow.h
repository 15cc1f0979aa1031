/*  fg_flow.h - min-cost flow by successive shortest paths (private to fg_plan).

    A directed network with integer capacities and non-negative integer
    costs, nothing else: no floating point, no allocation after the arcs are
    added except the search buffers of the first run. Arcs are numbered in
    the order they are added; every arc has a residual twin (its number ^ 1)
    that nobody outside needs to see.

    fg_flow_run works in phases until no path from source to sink is left.
    A phase is one Dijkstra on reduced costs with node potentials, stopped
    when the sink is settled (potentials are then raised by min (dist,
    dist(sink)), so that every residual arc keeps a non-negative reduced
    cost), then augmentations along paths of arcs of reduced cost 0, found
    by a depth-first search from the source that takes each node's arcs in
    order from where it last stopped and never enters a node that is on the
    path or was found to lead nowhere in this phase. Every such path is a
    shortest path (its reduced cost is 0 and none is negative), so the flow
    after each augmentation is a min-cost flow of its value, as with one
    path per Dijkstra; a phase just carries many of them, which matters
    when many arcs have capacity 1 (the unit slot arcs of fg_plan). The
    first search of a phase always finds a path (Dijkstra's path is one,
    and until the first augmentation the search is a plain depth-first
    search, which reaches every node it can), so every phase adds flow.
    Nothing depends on anything but the order in which nodes and arcs were
    added: the same network built in the same order always yields the same
    flow, on every machine.

    A flow may be preset before the run. It must be a min-cost flow of its
    value, and the caller proves it with potentials (fg_flow_potential)
    under which every residual arc has a non-negative reduced cost; when
    every preset arc costs 0 the zero potentials do. fg_flow_run asserts
    the condition on every arc before it starts.

    Magnitudes: potentials that start between the source's (0) and the
    sink's stay there, the sink's being the cost of a shortest path from
    source to sink at the last phase (each phase raises a potential by at
    most what it raises the sink's). Every sum the run forms is one arc
    cost plus two potentials, or flow times cost; the caller keeps those
    within int64 (fg_plan_net.c proves its bound).
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
//  Put flow on an arc before the run. The caller keeps every node but
//  source and sink balanced, and the preset flow a min-cost flow of its
//  value (see above).
void       fg_flow_preset (fg_flow_t *self, size_t arc, int64_t flow);
//  The potential a node starts the run with (default 0). With it every
//  residual arc (u, v) must have cost + pot (u) - pot (v) >= 0 (asserted
//  by fg_flow_run).
void       fg_flow_potential (fg_flow_t *self, size_t node, int64_t potential);
//  Augment along shortest paths from source to sink until none is left.
//  Returns the flow added by this run (the preset flow not counted). A
//  second run adds nothing.
int64_t    fg_flow_run (fg_flow_t *self, size_t source, size_t sink);
//  Flow on an arc (preset included).
int64_t    fg_flow_of (fg_flow_t *self, size_t arc);
//  Sum of flow x cost over every arc.
int64_t    fg_flow_cost (fg_flow_t *self);
//  Paths augmented so far (each a shortest path), and phases (Dijkstras).
size_t     fg_flow_paths (fg_flow_t *self);
size_t     fg_flow_phases (fg_flow_t *self);

#endif
