/*  fg_pairing.c - gather a county's plan inputs from its replica and solve
    (see fg_pairing.h). */
#include "fg_pairing_int.h"
#include "fg_util.h"

#define S_CAP_LEADING   6       //  at or above deputy county (DOMAIN §3.1 P3)
#define S_CAP_OTHER     8
#define S_CAP_MAX      10

uint64_t
fg_pairing_township (uint64_t org)
{
    if (org >= 100000000000ULL && org <= 999999999999ULL)
        return org / 1000;
    if (org >= 100000000ULL && org <= 999999999ULL)
        return org;
    return 0;
}

fg_plan_form_t
fg_pairing_form (const char *name)
{
    for (int form = FG_FORM_TERRITORIAL; form <= FG_FORM_CADRE_RELATIVE; form++)
        if (name && streq (name, fg_plan_form_name ((fg_plan_form_t) form)))
            return (fg_plan_form_t) form;
    return 0;
}

//  True if a village or township code lies in the county.
static bool
s_in_county (uint64_t org, uint64_t county)
{
    uint64_t township = fg_pairing_township (org);
    return township && township / 1000 == county;
}

int
fg_pairing_id_cmp (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y ? -1 : x > y;
}
#define s_u64_cmp fg_pairing_id_cmp

//  Grow an array of `size`-byte items to hold one more.
static void *
s_grow (void *items, size_t count, size_t *alloc, size_t size)
{
    if (count < *alloc)
        return items;
    *alloc = *alloc ? *alloc * 2 : 64;
    items = realloc (items, *alloc * size);
    assert (items);
    return items;
}

//  Parse comma-separated org codes into the sorted, distinct townships of
//  the county they name (villages give their township). *count_p gets the
//  count; NULL if none.
static uint64_t *
s_townships (const char *text, uint64_t county, size_t *count_p)
{
    *count_p = 0;
    if (!text || !*text)
        return NULL;
    uint64_t *list = NULL;
    size_t count = 0, alloc = 0;
    const char *p = text;
    while (*p) {
        char *end;
        unsigned long long code = strtoull (p, &end, 10);
        if (end != p && s_in_county (code, county)) {
            list = (uint64_t *) s_grow (list, count, &alloc, sizeof *list);
            list [count++] = fg_pairing_township (code);
        }
        p = end != p ? end : p + 1;
        while (*p == ',' || *p == ' ' || *p == ';')
            p++;
    }
    if (!count)
        return NULL;
    qsort (list, count, sizeof *list, s_u64_cmp);
    size_t distinct = 0;
    for (size_t i = 0; i < count; i++)
        if (!distinct || list [distinct - 1] != list [i])
            list [distinct++] = list [i];
    *count_p = distinct;
    return list;
}

//  Keep a list the cadres point to, for freeing.
static const uint64_t *
s_keep_list (fg_pairing_t *self, uint64_t *list)
{
    if (!list)
        return NULL;
    self->lists = (uint64_t **) realloc (self->lists, (self->list_count + 1) * sizeof (uint64_t *));
    assert (self->lists);
    self->lists [self->list_count++] = list;
    return list;
}

//  The group key of a household: the first 8 bytes of a hash of its group
//  name (0: none). Only equality within a village matters.
uint64_t
fg_pairing_group_key (const unsigned char *name)
{
    if (!name || !*name)
        return 0;
    uint8_t hash [8];
    crypto_generichash (hash, sizeof hash, name, strlen ((const char *) name), NULL, 0);
    uint64_t key = fg_get64 (hash);
    return key ? key : 1;
}

uint32_t
fg_pairing_cap (const char *rank, sqlite3_stmt *stmt, int override_column, bool *leading_p)
{
    bool leading = rank && (strncmp (rank, "prefecture_", 11) == 0 || strncmp (rank, "county_", 7) == 0);
    int64_t cap = leading ? S_CAP_LEADING : S_CAP_OTHER;
    if (sqlite3_column_type (stmt, override_column) != SQLITE_NULL)
        cap = sqlite3_column_int64 (stmt, override_column);
    *leading_p = leading;
    return (uint32_t) (cap < 0 ? 0 : cap > S_CAP_MAX ? S_CAP_MAX : cap);
}

static sqlite3_stmt *
s_prepare (sqlite3 *db, const char *sql, char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
        return NULL;
    }
    return stmt;
}

static int
s_step_done (sqlite3 *db, sqlite3_stmt *stmt, int rc, char *errbuf, size_t errsize)
{
    sqlite3_finalize (stmt);
    if (rc != SQLITE_DONE)
        return fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
    return 0;
}

//  -------------------------------------------------------------------------
//  H

int
fg_pairing_households (sqlite3 *db, sqlite3_stmt *stmt, fg_pairing_keep_fn *keep, void *arg,
                       fg_plan_household_t **households_p, size_t *count_p, char *errbuf, size_t errsize)
{
    //  Appellants of open appeals are focus households
    uint64_t *appellants = NULL;
    size_t appellant_count = 0, alloc = 0;
    sqlite3_stmt *appeals;
    int rc = sqlite3_prepare_v2 (db,
        "SELECT DISTINCT appellant_household_id FROM appeal WHERE appellant_household_id IS NOT NULL "
        "AND coalesce (state, '') NOT IN ('CLOSED_SATISFIED', 'MERGED', 'WITHDRAWN') "
        "ORDER BY 1", -1, &appeals, NULL);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step (appeals)) == SQLITE_ROW) {
            appellants = (uint64_t *) s_grow (appellants, appellant_count, &alloc, sizeof *appellants);
            appellants [appellant_count++] = (uint64_t) sqlite3_column_int64 (appeals, 0);
        }
        sqlite3_finalize (appeals);
    }
    fg_plan_household_t *households = NULL;
    size_t count = 0;
    alloc = 0;
    if (rc == SQLITE_DONE)
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
            if (keep && !keep (stmt, arg))
                continue;
            households = (fg_plan_household_t *) s_grow (households, count, &alloc, sizeof *households);
            fg_plan_household_t *h = &households [count++];
            h->id = (uint64_t) sqlite3_column_int64 (stmt, 0);
            h->village = (uint64_t) sqlite3_column_int64 (stmt, 1);
            h->township = fg_pairing_township (h->village);
            h->group = fg_pairing_group_key (sqlite3_column_text (stmt, 2));
            h->focus = sqlite3_column_int (stmt, 3)
                    || (appellant_count
                        && bsearch (&h->id, appellants, appellant_count, sizeof *appellants, s_u64_cmp));
            h->parent = (uint64_t) sqlite3_column_int64 (stmt, 4);
        }
    if (rc != SQLITE_DONE)
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
    sqlite3_finalize (stmt);
    free (appellants);
    *households_p = households;
    *count_p = count;
    return rc == SQLITE_DONE ? 0 : -1;
}

//  The county's households: codes that lie in it, registered on the day
static bool
s_in_county_row (sqlite3_stmt *stmt, void *county)
{
    return s_in_county ((uint64_t) sqlite3_column_int64 (stmt, 1), *(const uint64_t *) county);
}

static int
s_gather_households (fg_pairing_t *self, sqlite3 *db, char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt = s_prepare (db,
        "SELECT " FG_PAIRING_HOUSEHOLD_COLUMNS " FROM household h "
        "WHERE (h.org_id / 1000000 = ?1 OR h.org_id / 1000 = ?1) AND " FG_PAIRING_HOUSEHOLD_IN_H " "
        "AND (h.valid_from IS NULL OR h.valid_from <= ?2) AND (h.valid_to IS NULL OR h.valid_to > ?2) "
        "ORDER BY h.id", errbuf, errsize);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) self->opts.county);
    sqlite3_bind_int64 (stmt, 2, self->opts.effective_on);
    return fg_pairing_households (db, stmt, s_in_county_row, &self->opts.county, &self->households,
                                  &self->household_count, errbuf, errsize);
}

//  Households and cadres are sorted by id, their first field
static const fg_plan_household_t *
s_household (fg_pairing_t *self, uint64_t id)
{
    if (!self->household_count)
        return NULL;
    return (const fg_plan_household_t *) bsearch (&id, self->households, self->household_count,
                                                  sizeof *self->households, s_u64_cmp);
}

//  -------------------------------------------------------------------------
//  C

//  Townships each cadre serves in through a resident work team of the
//  county active on the day: (cadre, township) pairs, sorted.
typedef struct { uint64_t cadre, township; } s_station_t;

static int
s_station_cmp (const void *a, const void *b)
{
    const s_station_t *x = (const s_station_t *) a, *y = (const s_station_t *) b;
    if (x->cadre != y->cadre)
        return x->cadre < y->cadre ? -1 : 1;
    return x->township < y->township ? -1 : x->township > y->township;
}

static int
s_gather_stations (fg_pairing_t *self, sqlite3 *db, s_station_t **stations_p, size_t *count_p,
                   char *errbuf, size_t errsize)
{
    *stations_p = NULL;
    *count_p = 0;
    sqlite3_stmt *stmt = s_prepare (db,
        "SELECT leader_cadre_id, coalesce (member_ids, ''), coalesce (target_org_units, '') "
        "FROM work_team WHERE (org_id = ?1 OR org_id / 1000 = ?1 OR org_id / 1000000 = ?1) "
        "AND (start_on IS NULL OR start_on <= ?2) AND (end_on IS NULL OR end_on > ?2) ORDER BY id",
        errbuf, errsize);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) self->opts.county);
    sqlite3_bind_int64 (stmt, 2, self->opts.effective_on);
    s_station_t *stations = NULL;
    size_t count = 0, alloc = 0;
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        size_t township_count;
        uint64_t *townships = s_townships ((const char *) sqlite3_column_text (stmt, 2),
                                           self->opts.county, &township_count);
        //  The leader, then the members (ids separated by commas)
        const char *members = (const char *) sqlite3_column_text (stmt, 1);
        uint64_t cadre = (uint64_t) sqlite3_column_int64 (stmt, 0);
        const char *p = members;
        while (true) {
            for (size_t t = 0; cadre && t < township_count; t++) {
                stations = (s_station_t *) s_grow (stations, count, &alloc, sizeof *stations);
                stations [count++] = (s_station_t) { cadre, townships [t] };
            }
            while (*p && !isdigit ((unsigned char) *p))
                p++;
            if (!*p)
                break;
            char *end;
            cadre = strtoull (p, &end, 10);
            p = end;
        }
        free (townships);
    }
    if (s_step_done (db, stmt, rc, errbuf, errsize)) {
        free (stations);
        return -1;
    }
    if (count)
        qsort (stations, count, sizeof *stations, s_station_cmp);
    *stations_p = stations;
    *count_p = count;
    return 0;
}

static int
s_gather_cadres (fg_pairing_t *self, sqlite3 *db, char *errbuf, size_t errsize)
{
    s_station_t *stations;
    size_t station_count;
    if (s_gather_stations (self, db, &stations, &station_count, errbuf, errsize))
        return -1;
    sqlite3_stmt *stmt = s_prepare (db,
        "SELECT c.id, c.org_id, c.rank, c.capacity_override, coalesce (w.counterpart_townships, '') "
        "FROM cadre c LEFT JOIN work_unit w ON w.id = c.work_unit_id "
        "WHERE coalesce (c.status, 'active') = 'active' "
        "AND (c.aid_term_end IS NULL OR c.aid_term_end > ?1) ORDER BY c.id", errbuf, errsize);
    if (!stmt) {
        free (stations);
        return -1;
    }
    sqlite3_bind_int64 (stmt, 1, self->opts.effective_on);
    uint64_t county = self->opts.county;
    size_t alloc = 0, station = 0;
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        uint64_t id = (uint64_t) sqlite3_column_int64 (stmt, 0);
        uint64_t org = (uint64_t) sqlite3_column_int64 (stmt, 1);
        while (station < station_count && stations [station].cadre < id)
            station++;
        size_t first = station;
        while (station < station_count && stations [station].cadre == id)
            station++;
        bool works_here = org == county || s_in_county (org, county);
        if (!works_here && station == first)
            continue;
        self->cadres = (fg_plan_cadre_t *) s_grow (self->cadres, self->cadre_count, &alloc,
                                                   sizeof *self->cadres);
        fg_plan_cadre_t *c = &self->cadres [self->cadre_count++];
        memset (c, 0, sizeof *c);
        c->id = id;
        c->home_township = works_here ? fg_pairing_township (org) : 0;
        c->cap = fg_pairing_cap ((const char *) sqlite3_column_text (stmt, 2), stmt, 3, &c->leading);
        c->min = 1;
        c->counterpart = s_keep_list (self, s_townships ((const char *) sqlite3_column_text (stmt, 4),
                                                         county, &c->counterpart_count));
        if (station > first) {
            uint64_t *deployed = (uint64_t *) malloc ((station - first) * sizeof (uint64_t));
            assert (deployed);
            for (size_t s = first; s < station; s++)
                if (!c->deployed_count || deployed [c->deployed_count - 1] != stations [s].township)
                    deployed [c->deployed_count++] = stations [s].township;
            c->deployed = s_keep_list (self, deployed);
            self->info.deployed_cadres++;
        }
    }
    free (stations);
    if (s_step_done (db, stmt, rc, errbuf, errsize))
        return -1;
    //  Two-way coverage asks every cadre for a household only where there
    //  are enough households (DOMAIN §3.1 P2)
    if (self->household_count < self->cadre_count)
        for (size_t i = 0; i < self->cadre_count; i++)
            self->cadres [i].min = 0;
    return 0;
}

static const fg_plan_cadre_t *
s_cadre (fg_pairing_t *self, uint64_t id)
{
    if (!self->cadre_count)
        return NULL;
    return (const fg_plan_cadre_t *) bsearch (&id, self->cadres, self->cadre_count, sizeof *self->cadres,
                                              s_u64_cmp);
}

//  -------------------------------------------------------------------------
//  Existing pairs, L and P_prev

static int
s_held_cmp (const void *a, const void *b)
{
    const fg_pairing__held_t *x = (const fg_pairing__held_t *) a, *y = (const fg_pairing__held_t *) b;
    if (x->household != y->household)
        return x->household < y->household ? -1 : 1;
    if (x->cadre != y->cadre)
        return x->cadre < y->cadre ? -1 : 1;
    //  A row before a provisional event of the same pair
    return x->row > y->row ? -1 : x->row < y->row;
}

//  Index of the first of the first `count` held pairs whose household is
//  not below `household` (they are sorted by household).
static size_t
s_held_first (const fg_pairing__held_t *held, size_t count, uint64_t household)
{
    size_t low = 0, high = count;
    while (low < high) {
        size_t mid = (low + high) / 2;
        if (held [mid].household < household)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

const fg_pairing__held_t *
fg_pairing_held (fg_pairing_t *self, uint64_t household, uint64_t cadre)
{
    for (size_t i = s_held_first (self->held, self->held_count, household);
         i < self->held_count && self->held [i].household == household; i++)
        if (self->held [i].cadre == cadre)
            return &self->held [i];
    return NULL;
}

//  Rows: the active primary pairings of the county on the day, then the
//  provisional pairs of households that have none.
static int
s_gather_held (fg_pairing_t *self, sqlite3 *db, char *errbuf, size_t errsize)
{
    uint64_t county = self->opts.county;
    size_t alloc = 0;
    const char *queries [2] = {
        "SELECT household_id, cadre_id, id, org_id, coalesce (form, ''), coalesce (start_on, 0) "
        "FROM pairing WHERE (org_id / 1000000 = ?1 OR org_id / 1000 = ?1) "
        "AND coalesce (role, 'primary') = 'primary' AND (end_on IS NULL OR end_on > ?2) "
        "AND household_id IS NOT NULL AND cadre_id IS NOT NULL ORDER BY household_id, id",
        "SELECT household_id, cadre_id, 0, org_id, '', coalesce (start_on, ?2) "
        "FROM pairing_provisional WHERE (org_id / 1000000 = ?1 OR org_id / 1000 = ?1) "
        "AND voided = 0 ORDER BY household_id, created_hlc DESC, id"
    };
    size_t rows = 0;
    for (int q = 0; q < 2; q++) {
        sqlite3_stmt *stmt = s_prepare (db, queries [q], errbuf, errsize);
        if (!stmt)
            return -1;
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) county);
        sqlite3_bind_int64 (stmt, 2, self->opts.effective_on);
        int rc;
        uint64_t last_household = 0;
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
            fg_pairing__held_t held = {
                .household = (uint64_t) sqlite3_column_int64 (stmt, 0),
                .cadre = (uint64_t) sqlite3_column_int64 (stmt, 1),
                .row = (uint64_t) sqlite3_column_int64 (stmt, 2),
                .village = (uint64_t) sqlite3_column_int64 (stmt, 3),
                .start_on = sqlite3_column_int64 (stmt, 5)
            };
            if (!s_in_county (held.village, county) || !held.household || !held.cadre)
                continue;
            if (q == 1) {
                //  One provisional pair per household (the latest), and
                //  none where the household has a pairing
                if (held.household == last_household)
                    continue;
                last_household = held.household;
                size_t first = s_held_first (self->held, rows, held.household);
                if (first < rows && self->held [first].household == held.household)
                    continue;
                self->info.provisional++;
            }
            snprintf (held.form, sizeof held.form, "%s", (const char *) sqlite3_column_text (stmt, 4));
            self->held = (fg_pairing__held_t *) s_grow (self->held, self->held_count, &alloc, sizeof *self->held);
            self->held [self->held_count++] = held;
        }
        if (s_step_done (db, stmt, rc, errbuf, errsize))
            return -1;
        if (q == 0)
            rows = self->held_count;
    }
    if (self->held_count)
        qsort (self->held, self->held_count, sizeof *self->held, s_held_cmp);
    return 0;
}

//  L: one approved kinship claim per household of H with a cadre of C;
//  the one already paired, else the first by claimed_on and id. The
//  overrides JSON lists them.
static int
s_gather_locks (fg_pairing_t *self, sqlite3 *db, char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt = s_prepare (db,
        "SELECT household_id, cadre_id, id FROM kinship_claim WHERE state = 'APPROVED' "
        "AND household_id IS NOT NULL AND cadre_id IS NOT NULL "
        "ORDER BY household_id, coalesce (claimed_on, 0), id", errbuf, errsize);
    if (!stmt)
        return -1;
    uint64_t *claims = NULL;            //  the claim behind each lock
    size_t alloc = 0, claims_alloc = 0;
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        uint64_t household = (uint64_t) sqlite3_column_int64 (stmt, 0);
        uint64_t cadre = (uint64_t) sqlite3_column_int64 (stmt, 1);
        uint64_t claim = (uint64_t) sqlite3_column_int64 (stmt, 2);
        if (!s_household (self, household) || !s_cadre (self, cadre))
            continue;
        const fg_pairing__held_t *held = fg_pairing_held (self, household, cadre);
        fg_plan_pair_t *last = self->locked_count ? &self->locked [self->locked_count - 1] : NULL;
        if (last && last->household == household) {
            //  A second approved claim: it wins only if it is already paired
            if (!held || held->row == 0 || fg_pairing_held (self, household, last->cadre))
                continue;
            last->cadre = cadre;
            last->start_on = held->start_on;
            claims [self->locked_count - 1] = claim;
            continue;
        }
        self->locked = (fg_plan_pair_t *) s_grow (self->locked, self->locked_count, &alloc,
                                                  sizeof *self->locked);
        claims = (uint64_t *) s_grow (claims, self->locked_count, &claims_alloc, sizeof *claims);
        claims [self->locked_count] = claim;
        self->locked [self->locked_count++] = (fg_plan_pair_t) {
            .household = household, .cadre = cadre, .form = FG_FORM_CADRE_RELATIVE,
            .start_on = held && held->row ? held->start_on : self->opts.effective_on
        };
    }
    size_t json_size = 0;
    FILE *out = open_memstream (&self->overrides, &json_size);
    assert (out);
    fprintf (out, "{\"locked\": [");
    for (size_t i = 0; i < self->locked_count; i++)
        fprintf (out, "%s{\"household\": %llu, \"cadre\": %llu, \"form\": \"cadre_relative\", "
                 "\"claim\": %llu}", i ? ", " : "", (unsigned long long) self->locked [i].household,
                 (unsigned long long) self->locked [i].cadre, (unsigned long long) claims [i]);
    fprintf (out, "]}");
    fclose (out);
    free (claims);
    return s_step_done (db, stmt, rc, errbuf, errsize);
}

//  P_prev: every held pair but the locked ones. (A provisional pair is
//  held only for a household without a pairing row: s_gather_held.)
static void
s_build_previous (fg_pairing_t *self)
{
    self->previous = (fg_plan_pair_t *) calloc (self->held_count + 1, sizeof *self->previous);
    assert (self->previous);
    size_t lock = 0;
    for (size_t i = 0; i < self->held_count; i++) {
        const fg_pairing__held_t *held = &self->held [i];
        while (lock < self->locked_count && self->locked [lock].household < held->household)
            lock++;
        if (lock < self->locked_count && self->locked [lock].household == held->household
        &&  self->locked [lock].cadre == held->cadre)
            continue;
        //  (the solver recomputes the form of a pair it keeps; a row or
        //  event without one reads as territorial)
        fg_plan_form_t form = fg_pairing_form (held->form);
        self->previous [self->previous_count++] = (fg_plan_pair_t) {
            .household = held->household, .cadre = held->cadre,
            .form = form ? form : FG_FORM_TERRITORIAL, .start_on = held->start_on
        };
    }
    self->info.previous = self->previous_count;
}

static int
s_gather_frontier (fg_pairing_t *self, sqlite3 *db, char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt = s_prepare (db, "SELECT origin, seq FROM frontier ORDER BY origin", errbuf, errsize);
    if (!stmt)
        return -1;
    char *json = NULL;
    size_t json_size = 0;
    FILE *out = open_memstream (&json, &json_size);
    assert (out);
    fprintf (out, "{");
    int rc;
    size_t count = 0;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        fprintf (out, "%s\"%lld\": %lld", count++ ? ", " : "",
                 (long long) sqlite3_column_int64 (stmt, 0), (long long) sqlite3_column_int64 (stmt, 1));
    fprintf (out, "}");
    fclose (out);
    self->frontier = json;
    return s_step_done (db, stmt, rc, errbuf, errsize);
}

//  -------------------------------------------------------------------------

void
fg_pairing_opts_default (fg_pairing_opts_t *opts, uint64_t county, int64_t effective_on)
{
    memset (opts, 0, sizeof *opts);
    opts->county = county;
    opts->effective_on = effective_on;
    fg_plan_params_default (&opts->params);
}

//  The programme year (July to June) holding a day, by its first year.
int64_t
fg_pairing_cycle_year (int64_t day)
{
    char date [11];
    fg_date_format (day, date);
    int64_t year = atoi (date), month = atoi (date + 5);
    return month >= 7 ? year : year - 1;
}

static void
s_params_hash (fg_pairing_t *self)
{
    const fg_plan_params_t *params = &self->opts.params;
    char *text = fg_strdupf ("fgplan-params2 w_change=%lld min_load_pass=%d concentration_pass=%d "
                             "balance=%d cap_leading=%d cap_other=%d cap_max=%d min=1",
                             (long long) params->w_change, params->min_load_pass,
                             params->concentration_pass, params->balance, S_CAP_LEADING, S_CAP_OTHER,
                             S_CAP_MAX);
    uint8_t hash [32];
    crypto_generichash (hash, sizeof hash, (const uint8_t *) text, strlen (text), NULL, 0);
    fg_hex_encode (hash, sizeof hash, self->info.params_hash);
    free (text);
}

//  The version this plan gets: one above the county's highest.
static int
s_versions (fg_pairing_t *self, sqlite3 *db, char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt = s_prepare (db, "SELECT coalesce (max (version), 0) FROM pairing_plan WHERE org_id = ?",
                                    errbuf, errsize);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) self->opts.county);
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW) {
        self->info.base_version = sqlite3_column_int64 (stmt, 0);
        self->info.version = self->info.base_version + 1;
        rc = sqlite3_step (stmt);
    }
    return s_step_done (db, stmt, rc, errbuf, errsize);
}

fg_pairing_t *
fg_pairing_compute (fg_replica_t *replica, const fg_pairing_opts_t *opts, char *errbuf, size_t errsize)
{
    char code [24];
    snprintf (code, sizeof code, "%llu", (unsigned long long) opts->county);
    if (opts->county < 100000 || opts->county > 999999 || opts->county % 100 == 0) {
        fg_errf (errbuf, errsize, "%s is not a county code (6 digits, not ending in 00)", code);
        return NULL;
    }
    fg_pairing_t *self = (fg_pairing_t *) calloc (1, sizeof *self);
    assert (self);
    self->opts = *opts;
    //  The inputs are one consistent read: inside the caller's transaction
    //  (publishing), else a read transaction of their own, so a hub merging
    //  meanwhile cannot give households of one state and pairs of another
    sqlite3 *db = fg_replica_db (replica);
    bool own_read = sqlite3_get_autocommit (db);
    if (own_read && sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
        fg_pairing_destroy (&self);
        return NULL;
    }
    self->opts.params.effective_on = opts->effective_on;
    self->info.cycle_year = opts->cycle_year ? opts->cycle_year : fg_pairing_cycle_year (opts->effective_on);
    int64_t started = zclock_usecs ();
    int rc = s_gather_households (self, db, errbuf, errsize);
    if (rc == 0)
        rc = s_gather_cadres (self, db, errbuf, errsize);
    if (rc == 0)
        rc = s_gather_held (self, db, errbuf, errsize);
    if (rc == 0)
        rc = s_gather_locks (self, db, errbuf, errsize);
    if (rc == 0)
        rc = s_gather_frontier (self, db, errbuf, errsize);
    if (rc == 0)
        rc = s_versions (self, db, errbuf, errsize);
    if (own_read)
        sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    if (rc) {
        fg_pairing_destroy (&self);
        return NULL;
    }
    s_build_previous (self);
    self->info.households = self->household_count;
    self->info.cadres = self->cadre_count;
    self->info.locked = self->locked_count;
    s_params_hash (self);
    self->info.gather_us = zclock_usecs () - started;
    started = zclock_usecs ();
    if (fg_plan_solve (self->households, self->household_count, self->cadres, self->cadre_count,
                       self->locked, self->locked_count, self->previous, self->previous_count,
                       &self->opts.params, (const uint8_t *) self->frontier, strlen (self->frontier),
                       &self->result)) {
        fg_errf (errbuf, errsize, "the plan of %s cannot be made: %s", code, self->result.error);
        fg_pairing_destroy (&self);
        return NULL;
    }
    self->info.solve_us = zclock_usecs () - started;
    for (size_t i = 0; i < self->result.pair_count; i++)
        if (self->result.kept [i])
            self->info.kept++;
        else
            self->info.added++;
    fg_hex_encode (self->result.plan_hash, sizeof self->result.plan_hash, self->info.plan_hash);
    return self;
}


const fg_plan_result_t *
fg_pairing_result (fg_pairing_t *self)
{
    return &self->result;
}

const fg_pairing_info_t *
fg_pairing_info (fg_pairing_t *self)
{
    return &self->info;
}

uint64_t
fg_pairing_village (fg_pairing_t *self, uint64_t household)
{
    const fg_plan_household_t *h = s_household (self, household);
    if (h)
        return h->village;
    size_t first = s_held_first (self->held, self->held_count, household);
    return first < self->held_count && self->held [first].household == household
         ? self->held [first].village : 0;
}

void
fg_pairing_destroy (fg_pairing_t **self_p)
{
    fg_pairing_t *self = *self_p;
    if (!self)
        return;
    fg_plan_result_free (&self->result);
    for (size_t i = 0; i < self->list_count; i++)
        free (self->lists [i]);
    free (self->lists);
    free (self->households);
    free (self->cadres);
    free (self->locked);
    free (self->previous);
    free (self->held);
    free (self->frontier);
    free (self->overrides);
    free (self);
    *self_p = NULL;
}
