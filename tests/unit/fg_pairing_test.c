/*  fg_pairing_test.c - self-test of fg_pairing: a county and two townships
    with real replicas and keys; households written by the townships and
    synced up, cadres, a work unit, a work team and a kinship claim written
    by the county; plans computed, published, synced down as slices,
    recomputed after a cadre retires, and refused where they must be. */
#include "fg_selftests.h"
#include "fg_pairing.h"
#include "fg_record.h"
#include "fg_testkit.h"
#include "fg_util.h"

static void
s_set (fg_testnode_t *node, const char *table, uint64_t id, const char *text)
{
    char *copy = strdup (text);
    fg_kv_t field;
    assert (fg_kv_parse (copy, &field) == 0);
    char err [512];
    assert (fg_record_set (node->replica, table, id, &field, 1, "test", NULL, err, sizeof err) == 0);
    free (copy);
}

static int64_t
s_int (fg_testnode_t *node, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char sql [512];
    vsnprintf (sql, sizeof sql, format, args);
    va_end (args);
    return fg_testkit_int (node, sql);
}

void
fg_pairing_test (bool verbose)
{
    printf (" * fg_pairing: ");
    char *dir = fg_testkit_dir ("fg_pairing_test");
    fg_testnode_t county, town, town2;
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town 100");
    fg_testkit_node (&town2, dir, 28101, FG_TIER_TOWNSHIP, "513328101", "town 101");
    fg_testkit_link (&county, &town);
    fg_testkit_link (&county, &town2);
    int64_t day;
    assert (fg_date_parse ("2027-07-01", &day) == 0);

    //  Township 100: 10 households in two villages and one that moved
    //  out; township 101: 6, and one whose economy nobody recorded
    uint64_t hh [16];
    for (int i = 0; i < 10; i++) {
        char village [32], group [32];
        snprintf (village, sizeof village, "org_id=51332810020%d", 1 + i / 5);
        snprintf (group, sizeof group, "group_name=group %d", i % 2);
        hh [i] = fg_testkit_add (&town, "household", village, "head_name=Head", group, "economy=herding", NULL);
    }
    for (int i = 10; i < 16; i++)
        hh [i] = fg_testkit_add (&town2, "household", "org_id=513328101201", "head_name=Head", NULL);
    fg_testkit_add (&town, "household", "org_id=513328100201", "head_name=Trader", "economy=farming",
           "status=moved_out", NULL);
    fg_testkit_add (&town2, "household", "org_id=513328101201", "head_name=Shop", NULL);
    assert (fg_testkit_sync (&town, &county, true).quarantined == 0);
    assert (fg_testkit_sync (&town2, &county, true).quarantined == 0);
    s_set (&county, "household", hh [3], "needy=yes");          //  the county's flag

    //  Cadres: two of township 100; a county cadre whose unit is paired
    //  with township 101; a county leader stationed in 101 by a work team;
    //  a county leader with neither (no eligibility); one retired
    uint64_t unit = fg_testkit_add (&county, "work_unit", "name=Education bureau", "counterpart_townships=513328101, 513300999",
                           NULL);
    char unit_field [48];
    snprintf (unit_field, sizeof unit_field, "work_unit_id=%llu", (unsigned long long) unit);
    uint64_t t1 = fg_testkit_add (&county, "cadre", "org_id=513328100", "name=T1", "rank=staff", NULL);
    uint64_t t2 = fg_testkit_add (&county, "cadre", "org_id=513328100", "name=T2", "rank=staff", "capacity_override=3", NULL);
    uint64_t edu = fg_testkit_add (&county, "cadre", "org_id=513328", "name=Edu", "rank=staff", unit_field, NULL);
    uint64_t lead = fg_testkit_add (&county, "cadre", "org_id=513328", "name=Lead", "rank=county_deputy", NULL);
    uint64_t idle = fg_testkit_add (&county, "cadre", "org_id=513328", "name=Idle", "rank=county_chief", NULL);
    fg_testkit_add (&county, "cadre", "org_id=513328100", "name=Gone", "rank=staff", "status=retired", NULL);
    char leader_field [48];
    snprintf (leader_field, sizeof leader_field, "leader_cadre_id=%llu", (unsigned long long) lead);
    fg_testkit_add (&county, "work_team", "org_id=513328101", "name=Team", leader_field, "target_org_units=513328101201",
           "start_on=2027-01-01", NULL);

    fg_pairing_opts_t opts;
    fg_pairing_opts_default (&opts, 513328, day);
    char err [512];
    fg_pairing_t *plan = fg_pairing_compute (county.replica, &opts, err, sizeof err);
    assert (plan);
    const fg_pairing_info_t *info = fg_pairing_info (plan);
    const fg_plan_result_t *result = fg_pairing_result (plan);
    assert (info->households == 17);            //  16 + the shop (economy not given); not the trader
    assert (info->cadres == 5 && info->deployed_cadres == 1);
    assert (info->version == 1 && info->base_version == 0 && info->cycle_year == 2027);
    //  Township 100: T1 8 + T2 3 = 11 >= 10; township 101: Edu 8 + Lead 6 >= 7
    assert (result->pair_count == 17 && result->deficit_count == 0 && info->added == 17);
    for (size_t i = 0; i < result->pair_count; i++) {
        const fg_plan_pair_t *pair = &result->pairs [i];
        uint64_t village = fg_pairing_village (plan, pair->household);
        if (village / 1000 == 513328100)
            assert ((pair->cadre == t1 || pair->cadre == t2) && pair->form == FG_FORM_TERRITORIAL);
        else
            assert ((pair->cadre == edu && pair->form == FG_FORM_COUNTERPART)
                 || (pair->cadre == lead && pair->form == FG_FORM_ORG_DEPLOYMENT));
        assert (pair->cadre != idle);
    }
    char first_hash [65];
    snprintf (first_hash, sizeof first_hash, "%s", info->plan_hash);
    fg_pairing_destroy (&plan);

    //  Only the county hub publishes its own plans
    assert (fg_pairing_publish (town.replica, &opts, "test", err, sizeof err) == NULL);
    assert (strstr (err, "only the county hub"));
    fg_pairing_opts_t other = opts;
    other.county = 513329;
    assert (fg_pairing_publish (county.replica, &other, "test", err, sizeof err) == NULL);
    other.county = 513300;
    assert (fg_pairing_compute (county.replica, &other, err, sizeof err) == NULL);
    assert (strstr (err, "not a county code"));

    //  Publish version 1
    plan = fg_pairing_publish (county.replica, &opts, "office", err, sizeof err);
    assert (plan);
    info = fg_pairing_info (plan);
    assert (info->plan_id && info->directive_id && info->rows_added == 17);
    assert (streq (info->plan_hash, first_hash));
    //  plan + one entry per township + directive
    assert (info->entries == 4);
    assert (s_int (&county, "SELECT count(*) FROM pairing WHERE plan_version = 1 AND end_on IS NULL") == 17);
    assert (s_int (&county, "SELECT stats_new FROM pairing_plan WHERE version = 1") == 17);
    assert (s_int (&county, "SELECT count(*) FROM directive WHERE kind = 'pairing_plan' "
                            "AND payload_ref = 'pairing_plan:%llu'", (unsigned long long) info->plan_id) == 1);
    fg_pairing_destroy (&plan);

    //  Each township receives its slice, the plan and the directive
    assert (fg_testkit_sync (&county, &town, false).quarantined == 0);
    assert (fg_testkit_sync (&county, &town2, false).quarantined == 0);
    assert (s_int (&town, "SELECT count(*) FROM pairing") == 10);
    assert (s_int (&town2, "SELECT count(*) FROM pairing") == 7);
    assert (s_int (&town, "SELECT count(*) FROM pairing WHERE org_id / 1000 <> 513328100") == 0);
    assert (s_int (&town2, "SELECT count(*) FROM pairing_plan WHERE version = 1") == 1);
    //  and checks its slice against the plan's before it says applied
    assert (s_int (&town2, "SELECT count(*) FROM directive_ack WHERE state = 'applied' "
                           "AND result_ref LIKE 'version 1: 7 pairs, slice %%'") == 1);
    assert (s_int (&town, "SELECT count(*) FROM directive_ack WHERE state = 'applied' "
                          "AND result_ref LIKE 'version 1: 10 pairs, slice %%'") == 1);
    assert (s_int (&county, "SELECT count(*) FROM pairing_plan WHERE slices LIKE '513328100:10:%%,513328101:7:%%'") == 1);

    //  Rerun on what was published: nothing changes
    plan = fg_pairing_compute (county.replica, &opts, err, sizeof err);
    assert (plan);
    result = fg_pairing_result (plan);
    assert (fg_pairing_info (plan)->version == 2 && fg_pairing_info (plan)->base_version == 1);
    assert (fg_pairing_info (plan)->kept == 17 && fg_pairing_info (plan)->added == 0);
    assert (result->ended_count == 0 && result->changed == 0);
    fg_pairing_destroy (&plan);

    //  T1 retires: its households go to T2 (capacity 3) and, past that,
    //  into the deficit, reported by village. A kinship claim the county
    //  approves locks a household of 101 to the idle leader. A household
    //  the township paired provisionally is confirmed.
    int64_t t1_before = s_int (&county, "SELECT count(*) FROM pairing WHERE cadre_id = %llu",
                               (unsigned long long) t1);
    assert (t1_before >= 7);
    s_set (&county, "cadre", t1, "status=retired");
    char claim_h [48], claim_c [48];
    snprintf (claim_h, sizeof claim_h, "household_id=%llu", (unsigned long long) hh [12]);
    snprintf (claim_c, sizeof claim_c, "cadre_id=%llu", (unsigned long long) idle);
    uint64_t claim = fg_testkit_add (&town2, "kinship_claim", "org_id=513328101201", claim_h, claim_c,
                            "relation=brother", NULL);
    uint64_t late = fg_testkit_add (&town2, "household", "org_id=513328101201", "head_name=Late", NULL);
    char late_h [48], edu_c [48];
    snprintf (late_h, sizeof late_h, "household_id=%llu", (unsigned long long) late);
    snprintf (edu_c, sizeof edu_c, "cadre_id=%llu", (unsigned long long) edu);
    fg_testkit_add (&town2, "pairing_provisional", "org_id=513328101201", late_h, edu_c, "start_on=2027-03-03", NULL);
    assert (fg_testkit_sync (&town2, &county, true).quarantined == 0);
    char claim_id [48];
    snprintf (claim_id, sizeof claim_id, "claim_id=%llu", (unsigned long long) claim);
    fg_testkit_add (&county, "kinship_claim_event", "org_id=513328101201", claim_id, "transition=approve", NULL);
    assert (s_int (&county, "SELECT state = 'APPROVED' FROM kinship_claim") == 1);

    //  A lock over its cadre's capacity is a hard error: nothing written
    s_set (&county, "cadre", idle, "capacity_override=0");
    assert (fg_pairing_publish (county.replica, &opts, "office", err, sizeof err) == NULL);
    assert (strstr (err, "cannot be made"));
    assert (s_int (&county, "SELECT count(*) FROM pairing_plan") == 1);
    s_set (&county, "cadre", idle, "capacity_override=2");

    //  Coverage is hard for plans: the deficit must be accepted
    assert (fg_pairing_publish (county.replica, &opts, "office", err, sizeof err) == NULL);
    assert (strstr (err, "7 households of 2 villages without a pair"));
    assert (s_int (&county, "SELECT count(*) FROM pairing_plan") == 1);
    opts.accept_deficit = true;
    plan = fg_pairing_publish (county.replica, &opts, "office", err, sizeof err);
    if (!plan)
        fprintf (stderr, "%s\n", err);
    assert (plan);
    info = fg_pairing_info (plan);
    result = fg_pairing_result (plan);
    assert (info->version == 2 && info->base_version == 1 && info->locked == 1 && info->provisional == 1);
    //  T1's households go to T2 up to its capacity of 3; the rest of
    //  township 100's 10 are the deficit, in both villages
    size_t t1_load = 0;
    for (size_t i = 0; i < result->ended_count; i++)
        if (result->ended [i].cadre == t1) {
            assert (streq (result->end_reasons [i], "cadre_retired"));
            t1_load++;
        }
    assert (t1_load == (size_t) t1_before);
    assert (result->deficit_count == 7 && result->deficit_village_count == 2);
    assert (s_int (&county, "SELECT count(*) FROM pairing WHERE cadre_id = %llu AND end_on IS NULL",
                   (unsigned long long) t1) == 0);
    assert (s_int (&county, "SELECT count(*) FROM pairing WHERE cadre_id = %llu AND end_reason = 'cadre_retired'",
                   (unsigned long long) t1) == t1_before);
    //  The lock: the claimed household with the leader, its old pair ended
    assert (s_int (&county, "SELECT count(*) FROM pairing WHERE household_id = %llu AND cadre_id = %llu "
                            "AND form = 'cadre_relative' AND end_on IS NULL",
                   (unsigned long long) hh [12], (unsigned long long) idle) == 1);
    assert (s_int (&county, "SELECT count(*) FROM pairing WHERE household_id = %llu AND end_on IS NULL",
                   (unsigned long long) hh [12]) == 1);
    //  The provisional pair confirmed, with its own first day
    assert (s_int (&county, "SELECT count(*) FROM pairing WHERE household_id = %llu AND cadre_id = %llu "
                            "AND start_on = %lld AND plan_version = 2", (unsigned long long) late,
                   (unsigned long long) edu, (long long) (day - 120)) == 1);
    assert (s_int (&county, "SELECT stats_deficit FROM pairing_plan WHERE version = 2") == 7);
    assert (s_int (&county, "SELECT base_version FROM pairing_plan WHERE version = 2") == 1);
    assert (s_int (&county, "SELECT count(*) FROM pairing_plan WHERE version = 2 "
                            "AND overrides LIKE '%%\"claim\": %llu%%'", (unsigned long long) claim) == 1);
    if (verbose) {
        printf ("\n   plan 2: %zu pairs, %zu ended, %zu deficit, %zu entries\n", result->pair_count,
                result->ended_count, result->deficit_count, info->entries);
        for (size_t i = 0; i < result->ended_count; i++)
            printf ("   ended %llu-%llu %s\n", (unsigned long long) result->ended [i].household,
                    (unsigned long long) result->ended [i].cadre, result->end_reasons [i]);
    }
    fg_pairing_destroy (&plan);

    //  Township 100 sees its pairs end. It lost one of T2's rows meanwhile
    //  (a damaged file): its slice differs, and it says so instead of
    //  applied, with both counts; the county hears it
    char *damage = fg_strdupf ("DELETE FROM pairing WHERE id = (SELECT min (id) FROM pairing "
                               "WHERE cadre_id = %llu)", (unsigned long long) t2);
    assert (sqlite3_exec (fg_replica_db (town.replica), damage, NULL, NULL, NULL) == SQLITE_OK);
    free (damage);
    assert (fg_testkit_sync (&county, &town, false).quarantined == 0);
    assert (s_int (&town, "SELECT count(*) FROM directive_ack WHERE state = 'refused' "
                          "AND reason LIKE 'version 2: this township holds 2 pairs %%the plan says 3 %%'") == 1);
    assert (fg_testkit_sync (&town, &county, true).quarantined == 0);
    assert (s_int (&county, "SELECT count(*) FROM directive_ack WHERE node_id = 28100 AND state = 'refused'") == 1);
    assert (s_int (&town, "SELECT count(*) FROM pairing WHERE end_reason = 'cadre_retired'") == t1_before);
    assert (s_int (&town, "SELECT count(*) FROM pairing WHERE household_id = %llu",
                   (unsigned long long) late) == 0);

    //  Township 101, offline after plan 2, registers two households: one
    //  unpaired past the 30 days of grace gets a provisional pair with the
    //  township's own cadre that has room; the other waits. A second run
    //  finds nothing more to do; the county's next plan keeps the pair.
    assert (fg_testkit_sync (&county, &town2, false).quarantined == 0);
    uint64_t t101 = fg_testkit_add (&county, "cadre", "org_id=513328101", "name=T101", "rank=staff", NULL);
    assert (fg_testkit_sync (&county, &town2, false).quarantined == 0);
    uint64_t old_hh = fg_testkit_add (&town2, "household", "org_id=513328101201", "head_name=Old", "valid_from=2027-05-01", NULL);
    fg_testkit_add (&town2, "household", "org_id=513328101201", "head_name=New", "valid_from=2027-06-25", NULL);
    fg_pairing_prov_opts_t prov;
    fg_pairing_prov_opts_default (&prov, day);
    fg_pairing_prov_info_t prov_info;
    assert (fg_pairing_provisional (county.replica, &prov, "clerk", &prov_info, err, sizeof err) == -1);
    assert (strstr (err, "township's"));
    assert (fg_pairing_provisional (town2.replica, &prov, NULL, &prov_info, err, sizeof err) == 0);
    assert (prov_info.unpaired == 2 && prov_info.waiting == 1 && prov_info.paired == 1 && prov_info.left == 0);
    assert (prov_info.base_version == 2);
    assert (s_int (&town2, "SELECT count(*) FROM pairing_provisional WHERE household_id = %llu",
                   (unsigned long long) old_hh) == 0);                 //  a dry run writes nothing
    assert (fg_pairing_provisional (town2.replica, &prov, "clerk", &prov_info, err, sizeof err) == 0);
    assert (s_int (&town2, "SELECT count(*) FROM pairing_provisional WHERE household_id = %llu AND cadre_id = %llu "
                           "AND base_plan_version = 2 AND start_on = %lld", (unsigned long long) old_hh,
                   (unsigned long long) t101, (long long) day) == 1);
    assert (fg_pairing_provisional (town2.replica, &prov, "clerk", &prov_info, err, sizeof err) == 0);
    assert (prov_info.unpaired == 1 && prov_info.paired == 0);
    assert (fg_testkit_sync (&town2, &county, true).quarantined == 0);
    opts.accept_deficit = true;
    plan = fg_pairing_compute (county.replica, &opts, err, sizeof err);
    assert (plan);
    info = fg_pairing_info (plan);
    result = fg_pairing_result (plan);
    assert (info->provisional == 1);
    bool kept = false;
    for (size_t i = 0; i < result->pair_count; i++)
        if (result->pairs [i].household == old_hh)
            kept = result->pairs [i].cadre == t101 && result->kept [i];
    assert (kept);
    fg_pairing_destroy (&plan);

    //  The township reads focus as the county does: a household with an
    //  open appeal, unpaired past the grace, goes to the township's
    //  leading cadre (fit), not to T101, equal to it in all else and
    //  first by id
    uint64_t deputy = fg_testkit_add (&county, "cadre", "org_id=513328101", "name=Deputy", "rank=county_deputy", NULL);
    assert (fg_testkit_sync (&county, &town2, false).quarantined == 0);
    uint64_t appellant = fg_testkit_add (&town2, "household", "org_id=513328101201", "head_name=Appellant",
                                "valid_from=2027-05-01", NULL);
    char appellant_h [48];
    snprintf (appellant_h, sizeof appellant_h, "appellant_household_id=%llu", (unsigned long long) appellant);
    fg_testkit_add (&town2, "appeal", "org_id=513328101201", "appellant_name=Appellant", appellant_h, "type=petition",
           "summary=Grazing boundary", NULL);
    assert (fg_pairing_provisional (town2.replica, &prov, "clerk", &prov_info, err, sizeof err) == 0);
    assert (prov_info.paired == 1);
    assert (s_int (&town2, "SELECT cadre_id FROM pairing_provisional WHERE household_id = %llu",
                   (unsigned long long) appellant) == (int64_t) deputy);

    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&town);
    fg_testkit_node_destroy (&town2);
    fg_testkit_rmdir (dir);
    free (dir);
    printf ("OK\n");
}
