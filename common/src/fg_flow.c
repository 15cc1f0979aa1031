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

//  --------------------------------------------------------------------------
//  Self-test: known answers, preset flows, and random networks against an
//  independent Bellman-Ford successive-shortest-path solver.

typedef struct {
    size_t  from, to;
    int64_t cap, cost;
} s_test_arc_t;

static uint64_t
s_test_rand (uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

//  Reference: Bellman-Ford shortest paths on the residual graph, from zero
//  flow, at most max_paths of them. With flows, the flow on each arc; with
//  pot, potentials that prove the flow min-cost for its value (Bellman-Ford
//  on the residual graph from a virtual node joined to every node at cost 0).
static void
s_test_reference (size_t nodes, const s_test_arc_t *arcs, size_t count, size_t s, size_t t,
                  size_t max_paths, int64_t *flow_p, int64_t *cost_p, int64_t *flows, int64_t *pot)
{
    size_t m = 2 * count;
    size_t *from = (size_t *) malloc (m * sizeof (size_t));
    size_t *to = (size_t *) malloc (m * sizeof (size_t));
    int64_t *cap = (int64_t *) malloc (m * sizeof (int64_t));
    int64_t *cost = (int64_t *) malloc (m * sizeof (int64_t));
    int64_t *dist = (int64_t *) malloc (nodes * sizeof (int64_t));
    size_t *prev = (size_t *) malloc (nodes * sizeof (size_t));
    assert (from && to && cap && cost && dist && prev);
    for (size_t i = 0; i < count; i++) {
        from [2 * i] = arcs [i].from; to [2 * i] = arcs [i].to;
        cap [2 * i] = arcs [i].cap; cost [2 * i] = arcs [i].cost;
        from [2 * i + 1] = arcs [i].to; to [2 * i + 1] = arcs [i].from;
        cap [2 * i + 1] = 0; cost [2 * i + 1] = -arcs [i].cost;
    }
    int64_t flow = 0, total = 0;
    for (size_t paths = 0; paths < max_paths; paths++) {
        for (size_t v = 0; v < nodes; v++)
            dist [v] = S_INF;
        dist [s] = 0;
        for (size_t round = 0; round < nodes; round++) {
            bool changed = false;
            for (size_t a = 0; a < m; a++)
                if (cap [a] > 0 && dist [from [a]] != S_INF
                &&  dist [from [a]] + cost [a] < dist [to [a]]) {
                    dist [to [a]] = dist [from [a]] + cost [a];
                    prev [to [a]] = a;
                    changed = true;
                }
            if (!changed)
                break;
        }
        if (dist [t] == S_INF)
            break;
        int64_t push = S_INF;
        for (size_t v = t; v != s; v = from [prev [v]])
            push = cap [prev [v]] < push ? cap [prev [v]] : push;
        for (size_t v = t; v != s; v = from [prev [v]]) {
            cap [prev [v]] -= push;
            cap [prev [v] ^ 1] += push;
        }
        flow += push;
        total += push * dist [t];
    }
    *flow_p = flow;
    *cost_p = total;
    for (size_t i = 0; flows && i < count; i++)
        flows [i] = cap [2 * i + 1];
    if (pot) {
        for (size_t v = 0; v < nodes; v++)
            pot [v] = 0;
        for (size_t round = 0; round < nodes; round++)
            for (size_t a = 0; a < m; a++)
                if (cap [a] > 0 && pot [from [a]] + cost [a] < pot [to [a]])
                    pot [to [a]] = pot [from [a]] + cost [a];
    }
    free (from); free (to); free (cap); free (cost); free (dist); free (prev);
}

void
fg_flow_test (bool verbose)
{
    printf (" * fg_flow: ");
    //  Two units must split: the cheap path carries one, the dear one the other
    fg_flow_t *flow = fg_flow_new (4);
    size_t a = fg_flow_arc (flow, 0, 1, 2, 0);
    size_t b = fg_flow_arc (flow, 1, 3, 1, 1);
    size_t c = fg_flow_arc (flow, 1, 2, 5, 3);
    size_t d = fg_flow_arc (flow, 2, 3, 5, 0);
    assert (fg_flow_run (flow, 0, 3) == 2);
    assert (fg_flow_of (flow, a) == 2 && fg_flow_of (flow, b) == 1);
    assert (fg_flow_of (flow, c) == 1 && fg_flow_of (flow, d) == 1);
    assert (fg_flow_cost (flow) == 4);
    assert (fg_flow_run (flow, 0, 3) == 0);          //  nothing left: idempotent
    fg_flow_destroy (&flow);
    fg_flow_destroy (&flow);

    //  A preset flow on a zero-cost arc is rerouted when that frees a path:
    //  0 -> {1,2} supplies, 3,4 sinks-with-capacity, 5 the sink
    flow = fg_flow_new (6);
    size_t s1 = fg_flow_arc (flow, 0, 1, 1, 0);
    size_t s2 = fg_flow_arc (flow, 0, 2, 1, 0);
    size_t k13 = fg_flow_arc (flow, 1, 3, 1, 0);      //  a kept pair
    fg_flow_arc (flow, 1, 4, 1, 10);                  //  a new pair
    fg_flow_arc (flow, 2, 3, 1, 10);                  //  2 can only go to 3
    size_t t3 = fg_flow_arc (flow, 3, 5, 1, 0);
    fg_flow_arc (flow, 4, 5, 1, 0);
    fg_flow_preset (flow, s1, 1);
    fg_flow_preset (flow, k13, 1);
    fg_flow_preset (flow, t3, 1);
    assert (fg_flow_run (flow, 0, 5) == 1);
    assert (fg_flow_of (flow, s2) == 1 && fg_flow_of (flow, k13) == 0);
    assert (fg_flow_cost (flow) == 20);
    assert (fg_flow_paths (flow) == 1);
    fg_flow_destroy (&flow);

    //  Random networks against the reference
    uint64_t seed = 20240701;
    size_t paths = 0, phases = 0;
    for (int round = 0; round < 300; round++) {
        size_t nodes = 2 + (size_t) (s_test_rand (&seed) % 9);
        size_t count = (size_t) (s_test_rand (&seed) % (nodes * 3));
        s_test_arc_t arcs [40];
        if (count > 40)
            count = 40;
        flow = fg_flow_new (nodes);
        for (size_t i = 0; i < count; i++) {
            arcs [i].from = (size_t) (s_test_rand (&seed) % nodes);
            arcs [i].to = (size_t) (s_test_rand (&seed) % nodes);
            arcs [i].cap = (int64_t) (s_test_rand (&seed) % 5);
            arcs [i].cost = (int64_t) (s_test_rand (&seed) % 4 ? s_test_rand (&seed) % 20 : 0);
            fg_flow_arc (flow, arcs [i].from, arcs [i].to, arcs [i].cap, arcs [i].cost);
        }
        int64_t want_flow, want_cost;
        s_test_reference (nodes, arcs, count, 0, nodes - 1, SIZE_MAX, &want_flow, &want_cost, NULL, NULL);
        assert (fg_flow_run (flow, 0, nodes - 1) == want_flow);
        assert (fg_flow_cost (flow) == want_cost);
        paths += fg_flow_paths (flow);
        phases += fg_flow_phases (flow);
        //  Conservation and bounds
        for (size_t v = 1; v + 1 < nodes; v++) {
            int64_t balance = 0;
            for (size_t i = 0; i < count; i++) {
                int64_t f = fg_flow_of (flow, 2 * i);
                assert (f >= 0 && f <= arcs [i].cap);
                if (arcs [i].to == v)
                    balance += f;
                if (arcs [i].from == v)
                    balance -= f;
            }
            assert (balance == 0);
        }
        fg_flow_destroy (&flow);
    }

    //  A preset flow on arcs of any cost, proven min-cost by potentials:
    //  the reference's flow after a few paths, its potentials; the run
    //  must end where the reference ends. Mostly unit arcs, as fg_plan's
    //  slots, so that phases carry many paths.
    size_t presets = 0;
    for (int round = 0; round < 300; round++) {
        size_t nodes = 2 + (size_t) (s_test_rand (&seed) % 9);
        size_t count = (size_t) (s_test_rand (&seed) % (nodes * 3));
        s_test_arc_t arcs [40];
        int64_t flows [40], pot [16];
        if (count > 40)
            count = 40;
        for (size_t i = 0; i < count; i++) {
            arcs [i].from = (size_t) (s_test_rand (&seed) % nodes);
            arcs [i].to = (size_t) (s_test_rand (&seed) % nodes);
            arcs [i].cap = s_test_rand (&seed) % 3 ? 1 : (int64_t) (s_test_rand (&seed) % 5);
            arcs [i].cost = (int64_t) (s_test_rand (&seed) % 20);
        }
        int64_t want_flow, want_cost, part_flow, part_cost;
        s_test_reference (nodes, arcs, count, 0, nodes - 1, SIZE_MAX, &want_flow, &want_cost, NULL, NULL);
        size_t first = (size_t) (s_test_rand (&seed) % 4);
        s_test_reference (nodes, arcs, count, 0, nodes - 1, first, &part_flow, &part_cost, flows, pot);
        flow = fg_flow_new (nodes);
        for (size_t i = 0; i < count; i++) {
            fg_flow_arc (flow, arcs [i].from, arcs [i].to, arcs [i].cap, arcs [i].cost);
            fg_flow_preset (flow, 2 * i, flows [i]);
            presets += flows [i] > 0 && arcs [i].cost > 0;
        }
        for (size_t v = 0; v < nodes; v++)
            fg_flow_potential (flow, v, pot [v]);
        assert (fg_flow_cost (flow) == part_cost);
        assert (part_flow + fg_flow_run (flow, 0, nodes - 1) == want_flow);
        assert (fg_flow_cost (flow) == want_cost);
        assert (fg_flow_run (flow, 0, nodes - 1) == 0);
        paths += fg_flow_paths (flow);
        phases += fg_flow_phases (flow);
        fg_flow_destroy (&flow);
    }
    assert (presets > 100 && paths > phases);
    if (verbose)
        printf ("(600 random networks agree with Bellman-Ford, 300 from a preset flow with %zu arcs of"
                " positive cost; %zu paths in %zu phases) ", presets, paths, phases);
    printf ("OK\n");
}
