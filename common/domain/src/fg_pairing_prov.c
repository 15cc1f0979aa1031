/*  fg_pairing_prov.c - a township's provisional pairings (DOMAIN §4.6
    step 7): offline for weeks, it must not leave a new household without
    a cadre until the county's next plan. Households of the township that
    have had no pair for more than the grace days (G_new), read as the
    county's plan reads H (fg_pairing_households: the same focus), are
    paired with the township's own cadres that have room, by the same
    solver, and recorded as pairing_provisional events: facts of the
    township, which the county's next plan takes as kept pairs
    (fg_pairing.c, P_prev) unless capacity or locality says otherwise.

    What the township knows is its own households and the pairs of them,
    and its own cadres' pairs with households elsewhere (counterpart or
    deployment pairs in another township reach it by their second anchor,
    pairing.cadre_org): a cadre's room counts those too. Pairs written
    before schema 7 carry no cadre_org and are counted by the county only;
    the county's plan corrects any excess; nothing is lost.
*/
#include "fg_pairing_int.h"
#include "fg_record.h"
#include "fg_util.h"

void
fg_pairing_prov_opts_default (fg_pairing_prov_opts_t *opts, int64_t today)
{
    memset (opts, 0, sizeof *opts);
    opts->today = today;
    opts->grace_days = FG_PAIRING_GRACE_DAYS;
}

//  Every row is a household of the township without a pair today; the
//  ones unpaired for longer than the grace go to H.
typedef struct {
    const fg_pairing_prov_opts_t *opts;
    fg_pairing_prov_info_t       *info;
} s_grace_t;

static bool
s_past_grace (sqlite3_stmt *stmt, void *arg)
{
    s_grace_t *grace = (s_grace_t *) arg;
    grace->info->unpaired++;
    if (sqlite3_column_int64 (stmt, 5) + grace->opts->grace_days >= grace->opts->today) {
        grace->info->waiting++;
        return false;
    }
    return true;
}

//  Households of the township without a pair (active row or provisional
//  event) today, and since when (column 5).
static int
s_households (sqlite3 *db, uint64_t township, const fg_pairing_prov_opts_t *opts,
              fg_plan_household_t **households_p, size_t *count_p, fg_pairing_prov_info_t *info,
              char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db,
            "SELECT " FG_PAIRING_HOUSEHOLD_COLUMNS ", "
            "       coalesce (h.valid_from, (h.created_hlc >> 16) / 86400000) "
            "FROM household h WHERE (h.org_id / 1000 = ?1 OR h.org_id = ?1) AND " FG_PAIRING_HOUSEHOLD_IN_H " "
            "AND (h.valid_to IS NULL OR h.valid_to > ?2) "
            "AND NOT EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = h.id "
            "  AND coalesce (p.role, 'primary') = 'primary' AND (p.end_on IS NULL OR p.end_on > ?2)) "
            "AND NOT EXISTS (SELECT 1 FROM pairing_provisional v WHERE v.household_id = h.id AND v.voided = 0) "
            "ORDER BY h.id", -1, &stmt, NULL))
        return fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) township);
    sqlite3_bind_int64 (stmt, 2, opts->today);
    s_grace_t grace = { opts, info };
    return fg_pairing_households (db, stmt, s_past_grace, &grace, households_p, count_p, errbuf, errsize);
}

//  The township's active cadres with room: cap less the pairs (rows and
//  provisional events) they hold here.
static int
s_cadres (sqlite3 *db, uint64_t township, const fg_pairing_prov_opts_t *opts,
          fg_plan_cadre_t **cadres_p, size_t *count_p)
{
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db,
            "SELECT c.id, c.rank, c.capacity_override, "
            "  (SELECT count(*) FROM pairing p WHERE p.cadre_id = c.id "
            "     AND coalesce (p.role, 'primary') = 'primary' AND (p.end_on IS NULL OR p.end_on > ?2)) "
            "+ (SELECT count(*) FROM pairing_provisional v WHERE v.cadre_id = c.id AND v.voided = 0 "
            "     AND NOT EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = v.household_id "
            "       AND (p.end_on IS NULL OR p.end_on > ?2))) "
            "FROM cadre c WHERE (c.org_id = ?1 OR c.org_id / 1000 = ?1) "
            "AND coalesce (c.status, 'active') = 'active' AND (c.aid_term_end IS NULL OR c.aid_term_end > ?2) "
            "ORDER BY c.id", -1, &stmt, NULL))
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) township);
    sqlite3_bind_int64 (stmt, 2, opts->today);
    fg_plan_cadre_t *cadres = NULL;
    size_t count = 0;
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        bool leading;
        uint32_t cap = fg_pairing_cap ((const char *) sqlite3_column_text (stmt, 1), stmt, 2, &leading);
        int64_t room = (int64_t) cap - sqlite3_column_int64 (stmt, 3);
        if (room <= 0)
            continue;
        cadres = (fg_plan_cadre_t *) realloc (cadres, (count + 1) * sizeof *cadres);
        assert (cadres);
        fg_plan_cadre_t *c = &cadres [count++];
        memset (c, 0, sizeof *c);
        c->id = (uint64_t) sqlite3_column_int64 (stmt, 0);
        c->home_township = township;
        c->cap = (uint32_t) room;
        c->leading = leading;
    }
    sqlite3_finalize (stmt);
    *cadres_p = cadres;
    *count_p = count;
    return rc == SQLITE_DONE ? 0 : -1;
}

//  The newest plan version of the county held here (0: none).
static int64_t
s_base_version (sqlite3 *db, uint64_t township)
{
    sqlite3_stmt *stmt;
    int64_t version = 0;
    if (sqlite3_prepare_v2 (db, "SELECT coalesce (max (version), 0) FROM pairing_plan WHERE org_id = ?",
                            -1, &stmt, NULL) == SQLITE_OK) {
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) (township / 1000));
        if (sqlite3_step (stmt) == SQLITE_ROW)
            version = sqlite3_column_int64 (stmt, 0);
        sqlite3_finalize (stmt);
    }
    return version;
}

//  Write the pairs as pairing_provisional events.
static int
s_write (fg_replica_t *replica, const fg_plan_result_t *result, const fg_plan_household_t *households,
         size_t household_count, uint64_t township, const fg_pairing_prov_opts_t *opts,
         int64_t base_version, const char *author, char *errbuf, size_t errsize)
{
    char date [11], cycle [24], base [24];
    fg_date_format (opts->today, date);
    snprintf (cycle, sizeof cycle, "%lld", (long long) fg_pairing_cycle_year (opts->today));
    snprintf (base, sizeof base, "%lld", (long long) base_version);
    char *note = fg_strdupf ("no pair for more than %d days; paired offline by the township until the "
                             "county's next plan", opts->grace_days);
    fg_batch_t *batch = fg_batch_new (replica, author);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < result->pair_count; i++) {
        const fg_plan_pair_t *pair = &result->pairs [i];
        const fg_plan_household_t *h = (const fg_plan_household_t *) bsearch (
            &pair->household, households, household_count, sizeof *households, fg_pairing_id_cmp);
        assert (h);
        char village [24], household [24], cadre [24];
        snprintf (village, sizeof village, "%llu", (unsigned long long) h->village);
        snprintf (household, sizeof household, "%llu", (unsigned long long) pair->household);
        snprintf (cadre, sizeof cadre, "%llu", (unsigned long long) pair->cadre);
        fg_kv_t fields [] = {
            { "org_id", village }, { "household_id", household }, { "cadre_id", cadre },
            { "cycle_year", cycle }, { "base_plan_version", base }, { "start_on", date }, { "note", note }
        };
        uint64_t id;
        rc = fg_batch_add (batch, "pairing_provisional", fields, sizeof fields / sizeof fields [0],
                           &id, errbuf, errsize);
    }
    if (rc == 0)
        rc = fg_batch_flush (batch, errbuf, errsize);
    fg_batch_destroy (&batch);
    free (note);
    return rc;
}

int
fg_pairing_provisional (fg_replica_t *replica, const fg_pairing_prov_opts_t *opts, const char *author,
                        fg_pairing_prov_info_t *info, char *errbuf, size_t errsize)
{
    memset (info, 0, sizeof *info);
    if (errsize)
        *errbuf = 0;
    const fg_node_t *node = fg_replica_self (replica);
    if (node->tier != FG_TIER_TOWNSHIP)
        return fg_errf (errbuf, errsize, "provisional pairing is a township's (this node is the %s %s)",
                        fg_tier_name (node->tier), node->org);
    uint64_t township = strtoull (node->org, NULL, 10);
    sqlite3 *db = fg_replica_db (replica);
    bool write = author != NULL;
    if (write ? fg_replica_begin (replica) : sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
    fg_plan_household_t *households = NULL;
    fg_plan_cadre_t *cadres = NULL;
    size_t household_count = 0, cadre_count = 0;
    fg_plan_result_t result;
    memset (&result, 0, sizeof result);
    int rc = s_households (db, township, opts, &households, &household_count, info, errbuf, errsize);
    if (rc == 0 && s_cadres (db, township, opts, &cadres, &cadre_count))
        rc = fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
    info->base_version = s_base_version (db, township);
    if (rc == 0 && household_count) {
        fg_plan_params_t params;
        fg_plan_params_default (&params);
        params.effective_on = opts->today;
        rc = fg_plan_solve (households, household_count, cadres, cadre_count, NULL, 0, NULL, 0,
                            &params, NULL, 0, &result);
        if (rc)
            fg_errf (errbuf, errsize, "%s", result.error);
    }
    info->paired = result.pair_count;
    info->left = result.deficit_count;
    if (rc == 0 && write && result.pair_count)
        rc = s_write (replica, &result, households, household_count, township, opts, info->base_version,
                      author, errbuf, errsize);
    if (rc == 0 && write)
        rc = fg_replica_commit (replica);
    else
    if (!write)
        sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    if (rc && write) {
        if (!*errbuf)
            fg_errf (errbuf, errsize, "cannot commit: %s", fg_replica_error (replica));
        fg_replica_rollback (replica);
    }
    fg_plan_result_free (&result);
    free (households);
    free (cadres);
    return rc ? -1 : 0;
}
