/*  fg_plan_net.c - steps 3-6 of the pairing reassignment (DOMAIN §4.3):
    the eligibility components, one min-cost-flow network per component,
    successive shortest paths from the kept flow, and the disaggregation of
    the flow into households (which leaves the coverage deficit).

    Network of a component, node numbers in this order:
        0           S
        1           T
        2 ..        supply (village, focus) with free (unlocked) households,
                    by village then focus
        2 + ns ..   the component's cadres with room (cap - |L_c| > 0), by id
    Arcs, added in this order so that ties always break the same way:
        S -> supply          cap #households, cost 0
        supply -> cadre      per eligible cadre, by id:
                             e0 cap #kept candidates (v, focus, c), cost 0
                             e1 cap |H_comp|, cost W + 100 * tier + fit
        cadre -> T           cap cap(c) - |L_c|, cost 0
    The kept candidates are the preset flow on S -> supply -> e0 -> T. W is
    w_change, raised to 301 * |H_comp| + 1 where that is larger, so that
    one change always outweighs every locality saving it could buy.
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
    size_t   e0;                     //  S_PLAN_NONE if no kept candidate
    size_t   e1;
    int64_t  locality;               //  100 * tier + fit
} s_edge_t;

typedef struct {
    s_plan_t   *plan;
    size_t     *members;             //  household indices
    size_t      member_count;
    s_supply_t *supplies;
    size_t      supply_count;
    s_edge_t   *edges;
    size_t      edge_count;
    size_t      edge_max;
    uint32_t   *kept_of;             //  per cadre, scratch: kept candidates of one supply
    size_t     *node_of;             //  per cadre: its node in the current network
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
    s_plan_t *self = net->plan;
    const size_t *members = net->members + supply->member_first;
    size_t count = supply->member_count;
    const s_edge_t *edges = net->edges + supply->edge_first;
    s_plan_key_t *keys = s_plan_keys_new (count);

    //  Kept: members by (candidate cadre, start_on, id); edges are by cadre
    size_t kept_count = 0;
    for (size_t i = 0; i < count; i++) {
        const s_plan_house_t *house = &self->houses [members [i]];
        if (house->cand != S_PLAN_NONE)
            keys [kept_count++] = (s_plan_key_t) {
                house->cand, s_plan_signed_key (house->cand_start), members [i], 0 };
    }
    qsort (keys, kept_count, sizeof (s_plan_key_t), s_plan_key_cmp);
    size_t edge = 0;
    int64_t left = 0;
    for (size_t k = 0; k < kept_count; k++) {
        if (k == 0 || keys [k].a != keys [k - 1].a) {
            while (edges [edge].cadre != keys [k].a) {
                edge++;                 //  an edge exists: the candidate is eligible with room
                assert (edge < supply->edge_count);
            }
            assert (edges [edge].e0 != S_PLAN_NONE);
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
        const s_plan_house_t *house = &self->houses [members [i]];
        if (house->cadre == S_PLAN_NONE)
            keys [pool++] = (s_plan_key_t) { house->prev_cadre ? 0 : 1, members [i], 0, 0 };
    }
    assert ((int64_t) pool >= covered);
    if ((int64_t) pool > covered) {
        qsort (keys, pool, sizeof (s_plan_key_t), s_plan_key_cmp);
        pool = (size_t) covered;        //  the rest stays unpaired: the deficit
    }
    for (size_t k = 0; k < pool; k++) {
        size_t h = keys [k].b;
        keys [k] = (s_plan_key_t) { self->houses [h].in.group, h, 0, 0 };
    }
    qsort (keys, pool, sizeof (s_plan_key_t), s_plan_key_cmp);

    //  Cadres that take new households, by (cost, id)
    s_plan_key_t *order = s_plan_keys_new (supply->edge_count);
    size_t takers = 0;
    for (size_t e = 0; e < supply->edge_count; e++)
        if (fg_flow_of (flow, edges [e].e1) > 0)
            order [takers++] = (s_plan_key_t) { (uint64_t) edges [e].locality, edges [e].cadre, 0, e };
    qsort (order, takers, sizeof (s_plan_key_t), s_plan_key_cmp);
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

//  Steps 3-6 for one component: its towns and its cadres, each by index.
static void
s_solve_component (s_net_t *net, const size_t *towns, size_t town_count,
                   const size_t *cadres, size_t cadre_count)
{
    s_plan_t *self = net->plan;
    net->member_count = net->supply_count = net->edge_count = 0;
    for (size_t t = 0; t < town_count; t++) {
        const s_plan_town_t *town = &self->towns [towns [t]];
        for (size_t v = town->village_first; v < town->village_first + town->village_count; v++) {
            const s_plan_village_t *village = &self->villages [v];
            for (int focus = 0; focus < 2; focus++) {
                s_supply_t *supply = &net->supplies [net->supply_count];
                supply->village = v;
                supply->focus = focus;
                supply->member_first = net->member_count;
                for (size_t i = 0; i < village->house_count; i++) {
                    size_t h = self->by_village [village->house_first + i];
                    if (self->houses [h].locked == S_PLAN_NONE && self->houses [h].in.focus == focus)
                        net->members [net->member_count++] = h;
                }
                supply->member_count = net->member_count - supply->member_first;
                if (supply->member_count)
                    net->supply_count++;
            }
        }
    }
    if (!net->member_count)
        return;
    int64_t w = self->params->w_change;
    int64_t least = 301 * (int64_t) net->member_count + 1;
    if (w < least)
        w = least;

    size_t first_cadre = 2 + net->supply_count;
    fg_flow_t *flow = fg_flow_new (first_cadre + cadre_count);
    for (size_t j = 0; j < cadre_count; j++)
        net->node_of [cadres [j]] = first_cadre + j;
    for (size_t s = 0; s < net->supply_count; s++) {
        s_supply_t *supply = &net->supplies [s];
        supply->arc = fg_flow_arc (flow, 0, 2 + s, (int64_t) supply->member_count, 0);
    }
    for (size_t s = 0; s < net->supply_count; s++) {
        s_supply_t *supply = &net->supplies [s];
        const size_t *members = net->members + supply->member_first;
        uint32_t kept_total = 0;
        for (size_t i = 0; i < supply->member_count; i++) {
            size_t c = self->houses [members [i]].cand;
            if (c != S_PLAN_NONE) {
                net->kept_of [c]++;
                kept_total++;
            }
        }
        const s_plan_town_t *town = &self->towns [self->villages [supply->village].town];
        supply->edge_first = net->edge_count;
        for (size_t r = town->elig_first; r < town->elig_first + town->elig_count; r++) {
            const s_plan_elig_t *row = &self->elig [r];
            const s_plan_cadre_t *cadre = &self->cadres [row->cadre];
            if (cadre->locked >= cadre->in.cap)
                continue;               //  no room: not in the network
            s_edge_t edge = { row->cadre, S_PLAN_NONE, 0,
                              s_plan_locality (self, row->cadre, supply->village, supply->focus, row->form) };
            uint32_t kept = net->kept_of [row->cadre];
            if (kept) {
                edge.e0 = fg_flow_arc (flow, 2 + s, net->node_of [row->cadre], kept, 0);
                fg_flow_preset (flow, edge.e0, kept);
            }
            edge.e1 = fg_flow_arc (flow, 2 + s, net->node_of [row->cadre],
                                   (int64_t) net->member_count, w + edge.locality);
            s_add_edge (net, &edge);
        }
        supply->edge_count = net->edge_count - supply->edge_first;
        for (size_t i = 0; i < supply->member_count; i++) {
            size_t c = self->houses [members [i]].cand;
            if (c != S_PLAN_NONE)
                net->kept_of [c] = 0;
        }
        fg_flow_preset (flow, supply->arc, kept_total);
    }
    for (size_t j = 0; j < cadre_count; j++) {
        const s_plan_cadre_t *cadre = &self->cadres [cadres [j]];
        if (cadre->locked >= cadre->in.cap)
            continue;
        size_t arc = fg_flow_arc (flow, first_cadre + j, 1, cadre->in.cap - cadre->locked, 0);
        fg_flow_preset (flow, arc, cadre->kept);
    }
    fg_flow_run (flow, 0, 1);
    self->paths += fg_flow_paths (flow);
    for (size_t s = 0; s < net->supply_count; s++)
        s_disaggregate (net, flow, &net->supplies [s]);
    fg_flow_destroy (&flow);
}

void
s_plan_flow (s_plan_t *self)
{
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
    s_plan_key_t *keys = s_plan_keys_new (nodes);
    for (size_t x = 0; x < nodes; x++)
        keys [x] = (s_plan_key_t) { s_root (parent, x), x, 0, 0 };
    qsort (keys, nodes, sizeof (s_plan_key_t), s_plan_key_cmp);
    size_t *towns = (size_t *) malloc ((self->town_count ? self->town_count : 1) * sizeof (size_t));
    size_t *cadres = (size_t *) malloc ((self->cadre_count ? self->cadre_count : 1) * sizeof (size_t));
    s_net_t net = { .plan = self };
    net.members = (size_t *) malloc ((self->house_count ? self->house_count : 1) * sizeof (size_t));
    net.supplies = (s_supply_t *) malloc ((2 * self->village_count + 1) * sizeof (s_supply_t));
    net.kept_of = (uint32_t *) calloc (self->cadre_count + 1, sizeof (uint32_t));
    net.node_of = (size_t *) calloc (self->cadre_count + 1, sizeof (size_t));
    assert (towns && cadres && net.members && net.supplies && net.kept_of && net.node_of);
    for (size_t k = 0; k < nodes; ) {
        size_t town_count = 0, cadre_count = 0;
        size_t root = keys [k].a;
        for (; k < nodes && keys [k].a == root; k++) {
            if (keys [k].b < self->town_count)
                towns [town_count++] = keys [k].b;
            else
                cadres [cadre_count++] = keys [k].b - self->town_count;
        }
        if (town_count) {
            s_solve_component (&net, towns, town_count, cadres, cadre_count);
            self->components++;
        }
    }
    free (net.members);
    free (net.supplies);
    free (net.edges);
    free (net.kept_of);
    free (net.node_of);
    free (towns);
    free (cadres);
    free (keys);
    free (parent);
}
