/*  fg_plan_net.c - steps 3-6 of the pairing reassignment (DOMAIN §4.3):
    the eligibility components, the min-cost flows of each component, and
    the disaggregation of the flow into households (which leaves the
    coverage deficit).

    Network of a component, node numbers in this order:
        0           S
        1           T
        2 ..        supply (village, focus) with free (unlocked) households,
                    by village then focus
        2 + ns ..   the component's cadres with room (cap - |L_c| > 0), by id
    Arcs, added in this order so that ties always break the same way (a
    cadre's arcs to T come first among its arcs, so that a search at a
    cadre tries T before it reroutes another supply's flow):
        S -> supply          cap #households, cost 0
        cadre -> T           by cadre: see the two flows below
        supply -> cadre      per eligible cadre, by id:
                             e0 cap #kept candidates (v, focus, c), cost 0
                             e1 cap n, cost B * (W + 100 * tier + fit)
    n is the number of free households of the component and W = 301 n + 1:
    one change outweighs every locality and fit saving it could buy (at
    most 301 for each of at most n new pairs), whatever w_change is
    (w_change only prices total_cost).

    The first flow (balance, level 5). Cadre c has r_c = min (cap - |L_c|,
    n) unit arcs to T; the one that takes its load to l costs l - 1, so
    that a cadre pays C(load, 2) - C(|L_c|, 2) in all. With the total load
    fixed by coverage, the least sum of C(load, 2) is the least sum of
    load^2, the most even loads. With top = max (|L_c| + r_c), the balance
    term of any flow lies in 0 .. n (top - 1), so B = n (top - 1) + 1 makes
    one unit of levels 1-4 outweigh all of it: the min-cost maximum flow
    is the lexicographic optimum of (coverage, changes, tier, fit, balance).
    The kept candidates are preset on S -> supply -> e0 -> the cheapest
    slots of their cadre, and these potentials prove that flow min-cost
    for its value: S and every supply 0, T D, cadre c D - min (D, u_c),
    where u_c is the cost of c's dearest kept slot (of its first slot if
    it keeps none) and D the largest u_c of a cadre that keeps any. Every
    residual arc then has a reduced cost >= 0: a slot's by the choice of
    u_c, an e0 back arc's as D >= u_c, an e1 arc's as B W > top > D.

    The second flow decomposes. Unit slots make each phase of the flow
    (fg_flow.h) give every cadre one more household, round-robin over the
    supplies, which spreads a cadre over many villages. The second flow
    has the same arcs but one arc cadre -> T of the load x_c the first flow
    gave it, cost 0, B = 1, and starts from zero flow. Every maximum flow
    of it gives every cadre exactly x_c (the first flow is one, so the
    maximum is sum x_c): its balance term is the first flow's. Its least
    cost at levels 1-4 is the first flow's too (the first flow is feasible
    in it, and was optimal over a superset with that same balance term).
    So it is as exact, and its paths carry whole blocks (a supply to a
    cadre, up to its load), which keeps neighbours together. With balance
    off there is one flow: one arc of r_c, cost 0, B = 1, the kept flow
    preset with zero potentials.

    The int64 bound. Every arc costs at most A = B (W + 301); every
    potential is >= 0 and at most T's, the cost of a shortest S-T path,
    which crosses at most n e1 arcs and one slot: <= n A + top. Every sum
    the flow forms (an arc cost plus two potentials, flow x cost) is then
    within (2n + 1) A + 2 top, which s_weights checks before anything is
    built, refusing the component (a HARD error) if it exceeds 2^63 - 1.
    For n <= 30,000 and top <= 10 (DOMAIN P3: caps 6 and 8, at most 10):
    W = 9,030,001, B = 270,001, A = 2.44e12, the bound 1.46e17, 63 times
    below 2^63 - 1; at n = 30,000 it holds up to top = 568.
*/
#include "fg_plan_int.h"
#include "fg_flow.h"

typedef struct {
    size_t   village;
    bool     focus;
    size_t   member_first;           //  its households in members, by id
    size_t   member_count;
    size_t   arc;                    //  S -> supply
    size_t   edge_first;             //  its edges, by cadre
    size_t   edge_count;
} s_supply_t;

typedef struct {
    size_t   cadre;
    size_t   e0;                     //  FG_PLAN_NONE if no kept candidate
    size_t   e1;
    int64_t  locality;               //  100 * tier + fit
} s_edge_t;

typedef struct {
    fg_plan__t   *plan;
    size_t     *members;             //  household indices
    size_t      member_count;
    s_supply_t *supplies;
    size_t      supply_count;
    s_edge_t   *edges;
    size_t      edge_count;
    size_t      edge_max;
    uint32_t   *kept_of;             //  per cadre, scratch: kept candidates of one supply
    size_t     *node_of;             //  per cadre: its node in the current network
    int64_t    *room;                //  per cadre of the component: capacity to T
} s_net_t;

static size_t
s_root (size_t *parent, size_t x)
{
    while (parent [x] != x) {
        parent [x] = parent [parent [x]];
        x = parent [x];
    }
    return x;
}

//  Step 6 for one supply node: kept candidates first (oldest start_on,
//  then id), then the free pool in blocks of (group, id) to the cadres
//  ordered by (cost, id). What is left is the deficit (step 5): of the
//  pool, households that had a P_prev pair are covered first, then by id.
static void
s_disaggregate (s_net_t *net, fg_flow_t *flow, const s_supply_t *supply)
{
    fg_plan__t *self = net->plan;
    const size_t *members = net->members + supply->member_first;
    size_t count = supply->member_count;
    const s_edge_t *edges = net->edges + supply->edge_first;
    fg_plan__key_t *keys = fg_plan__keys_new (count);

    //  Kept: members by (candidate cadre, start_on, id); edges are by cadre
    size_t kept_count = 0;
    for (size_t i = 0; i < count; i++) {
        const fg_plan__house_t *house = &self->houses [members [i]];
        if (house->cand != FG_PLAN_NONE)
            keys [kept_count++] = (fg_plan__key_t) {
                house->cand, fg_plan__signed_key (house->cand_start), members [i], 0 };
    }
    qsort (keys, kept_count, sizeof (fg_plan__key_t), fg_plan__key_cmp);
    size_t edge = 0;
    int64_t left = 0;
    for (size_t k = 0; k < kept_count; k++) {
        if (k == 0 || keys [k].a != keys [k - 1].a) {
            while (edges [edge].cadre != keys [k].a) {
                edge++;                 //  an edge exists: the candidate is eligible with room
                assert (edge < supply->edge_count);
            }
            assert (edges [edge].e0 != FG_PLAN_NONE);
            left = fg_flow_of (flow, edges [edge].e0);
        }
        if (left > 0) {
            self->houses [keys [k].c].cadre = keys [k].a;
            self->cadres [keys [k].a].load++;
            left--;
        }
    }

    //  The pool and how many of it the flow covers
    int64_t covered = 0;
    for (size_t e = 0; e < supply->edge_count; e++)
        covered += fg_flow_of (flow, edges [e].e1);
    size_t pool = 0;
    for (size_t i = 0; i < count; i++) {
        const fg_plan__house_t *house = &self->houses [members [i]];
        if (house->cadre == FG_PLAN_NONE)
            keys [pool++] = (fg_plan__key_t) { house->prev_cadre ? 0 : 1, members [i], 0, 0 };
    }
    assert ((int64_t) pool >= covered);
    if ((int64_t) pool > covered) {
        qsort (keys, pool, sizeof (fg_plan__key_t), fg_plan__key_cmp);
        pool = (size_t) covered;        //  the rest stays unpaired: the deficit
    }
    for (size_t k = 0; k < pool; k++) {
        size_t h = keys [k].b;
        keys [k] = (fg_plan__key_t) { self->houses [h].in.group, h, 0, 0 };
    }
    qsort (keys, pool, sizeof (fg_plan__key_t), fg_plan__key_cmp);

    //  Cadres that take new households, by (cost, id)
    fg_plan__key_t *order = fg_plan__keys_new (supply->edge_count);
    size_t takers = 0;
    for (size_t e = 0; e < supply->edge_count; e++)
        if (fg_flow_of (flow, edges [e].e1) > 0)
            order [takers++] = (fg_plan__key_t) { (uint64_t) edges [e].locality, edges [e].cadre, 0, e };
    qsort (order, takers, sizeof (fg_plan__key_t), fg_plan__key_cmp);
    size_t next = 0;
    for (size_t t = 0; t < takers; t++) {
        int64_t take = fg_flow_of (flow, edges [order [t].index].e1);
        size_t c = edges [order [t].index].cadre;
        for (; take > 0; take--, next++) {
            assert (next < pool);
            self->houses [keys [next].b].cadre = c;
            self->cadres [c].load++;
        }
    }
    assert (next == pool);
    free (order);
    free (keys);
}

static void
s_add_edge (s_net_t *net, const s_edge_t *edge)
{
    if (net->edge_count == net->edge_max) {
        net->edge_max = net->edge_max ? net->edge_max * 2 : 256;
        net->edges = (s_edge_t *) realloc (net->edges, net->edge_max * sizeof (s_edge_t));
        assert (net->edges);
    }
    net->edges [net->edge_count++] = *edge;
}

//  a * b (both >= 0) into *product, false if it would exceed limit.
static bool
s_mul_within (int64_t a, int64_t b, int64_t limit, int64_t *product)
{
    if (a && b > limit / a)
        return false;
    *product = a * b;
    return true;
}

//  The weights of a component with n free households whose cadres can
//  reach loads up to top (see the top of this file), false if the bound
//  on every sum in the flow would not fit in int64.
static bool
s_weights (int64_t n, int64_t top, bool balance, int64_t *w, int64_t *b)
{
    *w = 301 * n + 1;                   //  n < 2^32: no overflow
    *b = 1;
    int64_t spread = 0, arc = 0, bound = 0;
    if (balance) {
        if (!s_mul_within (n, top - 1, INT64_MAX - 1, &spread))
            return false;
        *b = spread + 1;
    }
    return s_mul_within (*b, *w + 301, INT64_MAX, &arc)
        && s_mul_within (2 * n + 1, arc, INT64_MAX - 2 * top, &bound);
}

//  The supplies of a component (its towns, by index) and their free
//  households, in members.
static void
s_supplies (s_net_t *net, const size_t *towns, size_t town_count)
{
    fg_plan__t *self = net->plan;
    net->member_count = net->supply_count = 0;
    for (size_t t = 0; t < town_count; t++) {
        const fg_plan__town_t *town = &self->towns [towns [t]];
        for (size_t v = town->village_first; v < town->village_first + town->village_count; v++) {
            const fg_plan__village_t *village = &self->villages [v];
            for (int focus = 0; focus < 2; focus++) {
                s_supply_t *supply = &net->supplies [net->supply_count];
                supply->village = v;
                supply->focus = focus;
                supply->member_first = net->member_count;
                for (size_t i = 0; i < village->house_count; i++) {
                    size_t h = self->by_village [village->house_first + i];
                    if (self->houses [h].locked == FG_PLAN_NONE && self->houses [h].in.focus == focus)
                        net->members [net->member_count++] = h;
                }
                supply->member_count = net->member_count - supply->member_first;
                if (supply->member_count)
                    net->supply_count++;
            }
        }
    }
}

//  The network of a component (see the top of this file); net->room [j]
//  is what cadre j may take: in unit slots if slots, else in one arc. The
//  kept candidates of every cadre whose room holds them all start on
//  their e0 arcs (and cheapest slots, with the potentials that prove it).
//  Fills net->edges.
static fg_flow_t *
s_network (s_net_t *net, const size_t *cadres, size_t cadre_count, bool slots, int64_t w, int64_t b)
{
    fg_plan__t *self = net->plan;
    size_t first_cadre = 2 + net->supply_count;
    fg_flow_t *flow = fg_flow_new (first_cadre + cadre_count);
    for (size_t s = 0; s < net->supply_count; s++) {
        s_supply_t *supply = &net->supplies [s];
        supply->arc = fg_flow_arc (flow, 0, 2 + s, (int64_t) supply->member_count, 0);
    }
    //  u_c: the cost of the dearest kept slot, else of the first one
    int64_t top_kept = 0;
    for (size_t j = 0; j < cadre_count; j++) {
        const fg_plan__cadre_t *cadre = &self->cadres [cadres [j]];
        net->node_of [cadres [j]] = first_cadre + j;
        if (cadre->kept && (int64_t) (cadre->locked + cadre->kept) - 1 > top_kept)
            top_kept = (int64_t) (cadre->locked + cadre->kept) - 1;
    }
    if (slots)
        fg_flow_potential (flow, 1, top_kept);
    for (size_t j = 0; j < cadre_count; j++) {
        const fg_plan__cadre_t *cadre = &self->cadres [cadres [j]];
        if (cadre->locked >= cadre->in.cap)
            continue;                   //  no room: not in the network
        int64_t kept = cadre->kept <= net->room [j] ? cadre->kept : 0;
        if (!slots) {
            size_t arc = fg_flow_arc (flow, first_cadre + j, 1, net->room [j], 0);
            fg_flow_preset (flow, arc, kept);
            continue;
        }
        for (int64_t slot = 1; slot <= net->room [j]; slot++) {
            size_t arc = fg_flow_arc (flow, first_cadre + j, 1, 1, (int64_t) cadre->locked + slot - 1);
            if (slot <= kept)
                fg_flow_preset (flow, arc, 1);
        }
        int64_t u = (int64_t) (cadre->locked + cadre->kept) - (cadre->kept ? 1 : 0);
        fg_flow_potential (flow, first_cadre + j, top_kept - (u < top_kept ? u : top_kept));
    }
    net->edge_count = 0;
    for (size_t s = 0; s < net->supply_count; s++) {
        s_supply_t *supply = &net->supplies [s];
        const size_t *members = net->members + supply->member_first;
        for (size_t i = 0; i < supply->member_count; i++) {
            size_t c = self->houses [members [i]].cand;
            if (c != FG_PLAN_NONE)
                net->kept_of [c]++;
        }
        int64_t kept_total = 0;
        const fg_plan__town_t *town = &self->towns [self->villages [supply->village].town];
        supply->edge_first = net->edge_count;
        for (size_t r = town->elig_first; r < town->elig_first + town->elig_count; r++) {
            const fg_plan__elig_t *row = &self->elig [r];
            const fg_plan__cadre_t *cadre = &self->cadres [row->cadre];
            if (cadre->locked >= cadre->in.cap)
                continue;
            s_edge_t edge = { row->cadre, FG_PLAN_NONE, 0,
                              fg_plan__locality (self, row->cadre, supply->village, supply->focus, row->form) };
            uint32_t kept = net->kept_of [row->cadre];
            if (kept) {
                edge.e0 = fg_flow_arc (flow, 2 + s, net->node_of [row->cadre], kept, 0);
                if (cadre->kept <= net->room [net->node_of [row->cadre] - first_cadre]) {
                    fg_flow_preset (flow, edge.e0, kept);
                    kept_total += kept;
                }
            }
            edge.e1 = fg_flow_arc (flow, 2 + s, net->node_of [row->cadre], (int64_t) net->member_count,
                                   b * (w + edge.locality));
            s_add_edge (net, &edge);
        }
        supply->edge_count = net->edge_count - supply->edge_first;
        for (size_t i = 0; i < supply->member_count; i++) {
            size_t c = self->houses [members [i]].cand;
            if (c != FG_PLAN_NONE)
                net->kept_of [c] = 0;
        }
        fg_flow_preset (flow, supply->arc, kept_total);
    }
    return flow;
}

//  Steps 3-6 for one component: its towns and its cadres, each by index.
//  -1 if the component is beyond the int64 bound.
static int
s_solve_component (s_net_t *net, const size_t *towns, size_t town_count,
                   const size_t *cadres, size_t cadre_count, char *error, size_t error_size)
{
    fg_plan__t *self = net->plan;
    s_supplies (net, towns, town_count);
    if (!net->member_count)
        return 0;
    int64_t n = (int64_t) net->member_count;
    int64_t top = 1;
    for (size_t j = 0; j < cadre_count; j++) {
        const fg_plan__cadre_t *cadre = &self->cadres [cadres [j]];
        int64_t room = cadre->locked < cadre->in.cap ? cadre->in.cap - cadre->locked : 0;
        net->room [j] = room < n ? room : n;
        if (net->room [j] && (int64_t) cadre->locked + net->room [j] > top)
            top = (int64_t) cadre->locked + net->room [j];
    }
    bool balance = self->params->balance;
    int64_t w, b;
    if (!s_weights (n, top, balance, &w, &b)) {
        snprintf (error, error_size, "the component of township %" PRIu64 " (%zu free households,"
                  " loads up to %" PRId64 ") is beyond the int64 bound of its costs",
                  self->towns [towns [0]].id, net->member_count, top);
        return -1;
    }
    fg_flow_t *flow = s_network (net, cadres, cadre_count, balance, w, b);
    fg_flow_run (flow, 0, 1);
    self->paths += fg_flow_paths (flow);
    if (balance) {
        //  The loads of the first flow, then the second flow within them
        int64_t total = 0;
        size_t first_cadre = 2 + net->supply_count;
        for (size_t j = 0; j < cadre_count; j++)
            net->room [j] = 0;
        for (size_t e = 0; e < net->edge_count; e++) {
            const s_edge_t *edge = &net->edges [e];
            int64_t x = fg_flow_of (flow, edge->e1)
                      + (edge->e0 != FG_PLAN_NONE ? fg_flow_of (flow, edge->e0) : 0);
            net->room [net->node_of [edge->cadre] - first_cadre] += x;
            total += x;
        }
        fg_flow_destroy (&flow);
        flow = s_network (net, cadres, cadre_count, false, w, 1);
        fg_flow_run (flow, 0, 1);
        self->paths += fg_flow_paths (flow);
        for (size_t s = 0; s < net->supply_count; s++)
            total -= fg_flow_of (flow, net->supplies [s].arc);
        assert (total == 0);            //  the same coverage, every cadre at x_c
    }
    for (size_t s = 0; s < net->supply_count; s++)
        s_disaggregate (net, flow, &net->supplies [s]);
    fg_flow_destroy (&flow);
    return 0;
}

int
fg_plan__flow (fg_plan__t *self, char *error, size_t error_size)
{
    int rc = 0;
    //  Components: union-find over towns (0 ..) and cadres (town_count ..)
    size_t nodes = self->town_count + self->cadre_count;
    size_t *parent = (size_t *) malloc ((nodes ? nodes : 1) * sizeof (size_t));
    assert (parent);
    for (size_t x = 0; x < nodes; x++)
        parent [x] = x;
    for (size_t r = 0; r < self->elig_total; r++) {
        size_t a = s_root (parent, self->elig [r].town);
        size_t b = s_root (parent, self->town_count + self->elig [r].cadre);
        if (a != b) {
            if (a < b)
                parent [b] = a;
            else
                parent [a] = b;
        }
    }
    //  Every root is its component's first town (the smaller index wins,
    //  and towns come before cadres). Group towns and cadres by root.
    fg_plan__key_t *keys = fg_plan__keys_new (nodes);
    for (size_t x = 0; x < nodes; x++)
        keys [x] = (fg_plan__key_t) { s_root (parent, x), x, 0, 0 };
    qsort (keys, nodes, sizeof (fg_plan__key_t), fg_plan__key_cmp);
    size_t *towns = (size_t *) malloc ((self->town_count ? self->town_count : 1) * sizeof (size_t));
    size_t *cadres = (size_t *) malloc ((self->cadre_count ? self->cadre_count : 1) * sizeof (size_t));
    s_net_t net = { .plan = self };
    net.members = (size_t *) malloc ((self->house_count ? self->house_count : 1) * sizeof (size_t));
    net.supplies = (s_supply_t *) malloc ((2 * self->village_count + 1) * sizeof (s_supply_t));
    net.kept_of = (uint32_t *) calloc (self->cadre_count + 1, sizeof (uint32_t));
    net.node_of = (size_t *) calloc (self->cadre_count + 1, sizeof (size_t));
    net.room = (int64_t *) calloc (self->cadre_count + 1, sizeof (int64_t));
    assert (towns && cadres && net.members && net.supplies && net.kept_of && net.node_of && net.room);
    for (size_t k = 0; k < nodes && rc == 0; ) {
        size_t town_count = 0, cadre_count = 0;
        size_t root = keys [k].a;
        for (; k < nodes && keys [k].a == root; k++) {
            if (keys [k].b < self->town_count)
                towns [town_count++] = keys [k].b;
            else
                cadres [cadre_count++] = keys [k].b - self->town_count;
        }
        if (town_count) {
            rc = s_solve_component (&net, towns, town_count, cadres, cadre_count, error, error_size);
            self->components++;
        }
    }
    free (net.members);
    free (net.supplies);
    free (net.edges);
    free (net.kept_of);
    free (net.node_of);
    free (net.room);
    free (towns);
    free (cadres);
    free (keys);
    free (parent);
    return rc;
}
