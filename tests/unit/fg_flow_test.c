/*  fg_flow_test.c - self-test of fg_flow (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fg_flow.h"

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
            dist [v] = INT64_MAX;
        dist [s] = 0;
        for (size_t round = 0; round < nodes; round++) {
            bool changed = false;
            for (size_t a = 0; a < m; a++)
                if (cap [a] > 0 && dist [from [a]] != INT64_MAX
                &&  dist [from [a]] + cost [a] < dist [to [a]]) {
                    dist [to [a]] = dist [from [a]] + cost [a];
                    prev [to [a]] = a;
                    changed = true;
                }
            if (!changed)
                break;
        }
        if (dist [t] == INT64_MAX)
            break;
        int64_t push = INT64_MAX;
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
