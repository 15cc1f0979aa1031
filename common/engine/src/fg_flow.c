/*  fg_flow.c - min-cost flow by successive shortest paths (see fg_flow.h). */
#include "fg_flow.h"

typedef struct {
    int64_t dist;
    size_t  node;
} s_heap_item_t;

struct _fg_flow_t {
    size_t   nodes;
    size_t   arcs;               //  forward and twin arcs: always even
    size_t   arcs_max;
    size_t  *from;
    size_t  *to;
    int64_t *cap;                //  residual capacity
    int64_t *cost;               //  twin arcs hold the negated cost
    int64_t *pot;                //  potentials, from fg_flow_new
    //  Search state, built by the first run
    size_t  *start;              //  nodes + 1: arcs leaving node v are adj [start [v] ..]
    size_t  *adj;
    int64_t *dist;
    bool    *done;               //  settled by Dijkstra
    size_t  *next;               //  depth-first search: the next of adj to try per node
    uint8_t *mark;               //  S_FREE, S_ON_PATH, S_DEAD
    size_t  *path;               //  the arcs of the current path
    s_heap_item_t *heap;
    size_t   heap_size;
    size_t   heap_max;
    size_t   paths;
    size_t   phases;
};

#define S_INF INT64_MAX
#define S_FREE    0
#define S_ON_PATH 1
#define S_DEAD    2

fg_flow_t *
fg_flow_new (size_t node_count)
{
    fg_flow_t *self = (fg_flow_t *) zmalloc (sizeof (fg_flow_t));
    assert (self);
    self->nodes = node_count;
    self->pot = (int64_t *) calloc (node_count ? node_count : 1, sizeof (int64_t));
    assert (self->pot);
    return self;
}

void
fg_flow_destroy (fg_flow_t **self_p)
{
    fg_flow_t *self = *self_p;
    if (self) {
        free (self->from);
        free (self->to);
        free (self->cap);
        free (self->cost);
        free (self->start);
        free (self->adj);
        free (self->pot);
        free (self->dist);
        free (self->done);
        free (self->next);
        free (self->mark);
        free (self->path);
        free (self->heap);
        free (self);
        *self_p = NULL;
    }
}

size_t
fg_flow_arc (fg_flow_t *self, size_t from, size_t to, int64_t cap, int64_t cost)
{
    assert (self);
    assert (!self->start);
    assert (from < self->nodes && to < self->nodes);
    assert (cap >= 0 && cost >= 0);
    if (self->arcs + 2 > self->arcs_max) {
        self->arcs_max = self->arcs_max ? self->arcs_max * 2 : 64;
        self->from = (size_t *) realloc (self->from, self->arcs_max * sizeof (size_t));
        self->to   = (size_t *) realloc (self->to, self->arcs_max * sizeof (size_t));
        self->cap  = (int64_t *) realloc (self->cap, self->arcs_max * sizeof (int64_t));
        self->cost = (int64_t *) realloc (self->cost, self->arcs_max * sizeof (int64_t));
        assert (self->from && self->to && self->cap && self->cost);
    }
    size_t arc = self->arcs;
    self->from [arc] = from;
    self->to [arc] = to;
    self->cap [arc] = cap;
    self->cost [arc] = cost;
    self->from [arc + 1] = to;
    self->to [arc + 1] = from;
    self->cap [arc + 1] = 0;
    self->cost [arc + 1] = -cost;
    self->arcs += 2;
    return arc;
}

void
fg_flow_preset (fg_flow_t *self, size_t arc, int64_t flow)
{
    assert (self);
    assert (!self->start);
    assert (arc < self->arcs && (arc & 1) == 0);
    assert (flow >= 0 && flow <= self->cap [arc]);
    self->cap [arc] -= flow;
    self->cap [arc ^ 1] += flow;
}

void
fg_flow_potential (fg_flow_t *self, size_t node, int64_t potential)
{
    assert (self);
    assert (!self->start);
    assert (node < self->nodes);
    self->pot [node] = potential;
}

int64_t
fg_flow_of (fg_flow_t *self, size_t arc)
{
    assert (self);
    assert (arc < self->arcs && (arc & 1) == 0);
    return self->cap [arc ^ 1];
}

int64_t
fg_flow_cost (fg_flow_t *self)
{
    assert (self);
    int64_t total = 0;
    for (size_t arc = 0; arc < self->arcs; arc += 2)
        total += self->cap [arc ^ 1] * self->cost [arc];
    return total;
}

size_t
fg_flow_paths (fg_flow_t *self)
{
    assert (self);
    return self->paths;
}

size_t
fg_flow_phases (fg_flow_t *self)
{
    assert (self);
    return self->phases;
}

//  Adjacency in arc order per node (counting sort), and the search buffers.
static void
s_flow_prepare (fg_flow_t *self)
{
    size_t n = self->nodes;
    self->start = (size_t *) calloc (n + 1, sizeof (size_t));
    self->adj = (size_t *) malloc ((self->arcs ? self->arcs : 1) * sizeof (size_t));
    self->dist = (int64_t *) malloc ((n ? n : 1) * sizeof (int64_t));
    self->done = (bool *) malloc ((n ? n : 1) * sizeof (bool));
    self->next = (size_t *) malloc ((n ? n : 1) * sizeof (size_t));
    self->mark = (uint8_t *) malloc (n ? n : 1);
    self->path = (size_t *) malloc ((n ? n : 1) * sizeof (size_t));
    assert (self->start && self->adj && self->dist && self->done && self->next && self->mark && self->path);
    for (size_t arc = 0; arc < self->arcs; arc++)
        self->start [self->from [arc] + 1]++;
    for (size_t v = 0; v < n; v++)
        self->start [v + 1] += self->start [v];
    size_t *fill = (size_t *) malloc ((n ? n : 1) * sizeof (size_t));
    assert (fill);
    memcpy (fill, self->start, n * sizeof (size_t));
    for (size_t arc = 0; arc < self->arcs; arc++)
        self->adj [fill [self->from [arc]]++] = arc;
    free (fill);
}

static inline bool
s_heap_less (const s_heap_item_t *a, const s_heap_item_t *b)
{
    return a->dist < b->dist || (a->dist == b->dist && a->node < b->node);
}

static void
s_heap_push (fg_flow_t *self, int64_t dist, size_t node)
{
    if (self->heap_size == self->heap_max) {
        self->heap_max = self->heap_max ? self->heap_max * 2 : 256;
        self->heap = (s_heap_item_t *) realloc (self->heap, self->heap_max * sizeof (s_heap_item_t));
        assert (self->heap);
    }
    size_t i = self->heap_size++;
    s_heap_item_t item = { dist, node };
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!s_heap_less (&item, &self->heap [parent]))
            break;
        self->heap [i] = self->heap [parent];
        i = parent;
    }
    self->heap [i] = item;
}

static s_heap_item_t
s_heap_pop (fg_flow_t *self)
{
    s_heap_item_t top = self->heap [0];
    s_heap_item_t last = self->heap [--self->heap_size];
    size_t i = 0;
    size_t size = self->heap_size;
    while (true) {
        size_t child = 2 * i + 1;
        if (child >= size)
            break;
        if (child + 1 < size && s_heap_less (&self->heap [child + 1], &self->heap [child]))
            child++;
        if (!s_heap_less (&self->heap [child], &last))
            break;
        self->heap [i] = self->heap [child];
        i = child;
    }
    if (size)
        self->heap [i] = last;
    return top;
}

//  One Dijkstra on reduced costs; true if the sink was reached. Raises the
//  potentials of settled nodes by their distance and of the others by the
//  sink's distance.
static bool
s_flow_dijkstra (fg_flow_t *self, size_t source, size_t sink)
{
    size_t n = self->nodes;
    for (size_t v = 0; v < n; v++) {
        self->dist [v] = S_INF;
        self->done [v] = false;
    }
    self->heap_size = 0;
    self->dist [source] = 0;
    s_heap_push (self, 0, source);
    while (self->heap_size) {
        s_heap_item_t item = s_heap_pop (self);
        size_t u = item.node;
        if (self->done [u])
            continue;
        self->done [u] = true;
        if (u == sink)
            break;
        int64_t base = self->dist [u] + self->pot [u];
        for (size_t i = self->start [u]; i < self->start [u + 1]; i++) {
            size_t arc = self->adj [i];
            if (self->cap [arc] <= 0)
                continue;
            size_t v = self->to [arc];
            if (self->done [v])
                continue;
            int64_t reduced = self->cost [arc] + base - self->pot [v];
            assert (reduced >= self->dist [u]);      //  reduced cost >= 0
            if (reduced < self->dist [v]) {
                self->dist [v] = reduced;
                s_heap_push (self, reduced, v);
            }
        }
    }
    if (!self->done [sink])
        return false;
    int64_t reach = self->dist [sink];
    for (size_t v = 0; v < n; v++)
        self->pot [v] += self->done [v] ? self->dist [v] : reach;
    return true;
}

//  Augment along paths of arcs of reduced cost 0 from source to sink, by
//  a depth-first search that resumes each node's arcs where it stopped
//  (next) and enters no node on the path or found dead. After a path is
//  augmented the search backs up to the tail of its first saturated arc.
//  Returns the flow added.
static int64_t
s_flow_block (fg_flow_t *self, size_t source, size_t sink)
{
    for (size_t v = 0; v < self->nodes; v++) {
        self->next [v] = self->start [v];
        self->mark [v] = S_FREE;
    }
    int64_t added = 0;
    size_t depth = 0;
    size_t u = source;
    self->mark [source] = S_ON_PATH;
    while (true) {
        if (u == sink) {
            int64_t push = S_INF;
            for (size_t i = 0; i < depth; i++)
                if (self->cap [self->path [i]] < push)
                    push = self->cap [self->path [i]];
            assert (push > 0 && push < S_INF);
            for (size_t i = 0; i < depth; i++) {
                self->cap [self->path [i]] -= push;
                self->cap [self->path [i] ^ 1] += push;
            }
            added += push;
            self->paths++;
            size_t keep = 0;
            while (self->cap [self->path [keep]] > 0)
                keep++;                 //  one arc at least is saturated
            for (size_t i = keep; i < depth; i++)
                self->mark [self->to [self->path [i]]] = S_FREE;
            depth = keep;
            u = depth ? self->to [self->path [depth - 1]] : source;
            continue;
        }
        size_t end = self->start [u + 1];
        for (; self->next [u] < end; self->next [u]++) {
            size_t arc = self->adj [self->next [u]];
            size_t v = self->to [arc];
            if (self->cap [arc] > 0 && self->mark [v] == S_FREE
            &&  self->cost [arc] + self->pot [u] - self->pot [v] == 0)
                break;
        }
        if (self->next [u] < end) {
            size_t arc = self->adj [self->next [u]];
            self->path [depth++] = arc;
            u = self->to [arc];
            self->mark [u] = S_ON_PATH;
        }
        else {
            self->mark [u] = S_DEAD;
            if (u == source)
                break;
            u = self->from [self->path [--depth]];
            self->next [u]++;           //  that arc leads nowhere now
        }
    }
    return added;
}

int64_t
fg_flow_run (fg_flow_t *self, size_t source, size_t sink)
{
    assert (self);
    assert (source < self->nodes && sink < self->nodes && source != sink);
    if (!self->start)
        s_flow_prepare (self);
    //  The potentials prove the current flow min-cost for its value
    for (size_t arc = 0; arc < self->arcs; arc++)
        assert (self->cap [arc] == 0
             || self->cost [arc] + self->pot [self->from [arc]] - self->pot [self->to [arc]] >= 0);
    int64_t added = 0;
    while (s_flow_dijkstra (self, source, sink)) {
        int64_t push = s_flow_block (self, source, sink);
        assert (push > 0);
        added += push;
        self->phases++;
    }
    return added;
}
