/*  fg_former_pair_test.c - self-test "former_pair": DOMAIN §4.7, a visit
    recorded against a pair the county had already ended (the township had
    not applied the plan yet) is a fact: it is taken, and flagged
    visit_by_former_pair in the household's visits (fg_household_visits,
    the console's household page), the same at the township and the
    county. A visit by the current pair says current, one by a cadre never
    paired with the household not_paired. */
#include "fg_selftests.h"
#include "fg_household.h"
#include "fg_testkit.h"
#include "fg_util.h"

//  The pair flag of the visit on `day` (rows latest first)
static const char *
s_flag (const fg_rows_t *rows, const char *day)
{
    for (size_t r = 0; r < fg_rows_count (rows); r++)
        if (streq (fg_testkit_cell (rows, r, "occurred_on"), day))
            return fg_testkit_cell (rows, r, "pair");
    assert (false);
    return NULL;
}

void
fg_former_pair_test (bool verbose)
{
    printf (" * fg_household (visit_by_former_pair): ");
    char *dir = fg_testkit_dir ("fg_former_pair_test");
    fg_testnode_t county, town;
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    fg_testkit_link (&county, &town);
    uint64_t household = fg_testkit_household (&town, "513328100201", "扎西");
    fg_testkit_sync (&town, &county, true);

    //  The county's plan: cadre A until June, cadre B from July
    char a [40], b [40], h [40];
    snprintf (a, sizeof a, "cadre_id=%llu", (unsigned long long)
              fg_testkit_add (&county, "cadre", "org_id=513328100", "name=干部甲", NULL));
    snprintf (b, sizeof b, "cadre_id=%llu", (unsigned long long)
              fg_testkit_add (&county, "cadre", "org_id=513328100", "name=干部乙", NULL));
    snprintf (h, sizeof h, "household_id=%llu", (unsigned long long) household);
    fg_testkit_add (&county, "pairing", "org_id=513328100201", a, h, "start_on=2026-01-01",
                    "end_on=2026-07-01", "end_reason=rebalance", NULL);
    fg_testkit_add (&county, "pairing", "org_id=513328100201", b, h, "start_on=2026-07-01", NULL);

    //  The township, not yet holding the new plan, records cadre A's
    //  visits in May and in August, and cadre B's in March and August
    char target [48];
    snprintf (target, sizeof target, "target_id=%llu", (unsigned long long) household);
    const char *visits [][2] = { { a, "occurred_on=2026-05-04" }, { a, "occurred_on=2026-08-03" },
                                 { b, "occurred_on=2026-03-02" }, { b, "occurred_on=2026-08-05" } };
    for (size_t i = 0; i < 4; i++)
        fg_testkit_add (&town, "visit", "org_id=513328100201", visits [i][0], "target_kind=household", target,
                        "kind=pairing", visits [i][1], NULL);
    //  Both sides meet: every visit is taken, nothing refused
    for (int round = 0; round < 2; round++) {
        assert (fg_testkit_sync (&town, &county, true).quarantined == 0);
        assert (fg_testkit_sync (&county, &town, false).quarantined == 0);
    }
    fg_testnode_t *nodes [] = { &town, &county };
    for (size_t n = 0; n < 2; n++) {
        char err [256];
        fg_rows_t *rows = fg_household_visits (nodes [n]->replica, household, err, sizeof err);
        assert (rows && fg_rows_count (rows) == 4);
        if (verbose)
            for (size_t r = 0; r < 4; r++)
                printf ("\n   %s %s %s", fg_testkit_cell (rows, r, "occurred_on"), fg_testkit_cell (rows, r, "cadre"),
                        fg_testkit_cell (rows, r, "pair"));
        assert (streq (s_flag (rows, "2026-05-04"), "current"));
        assert (streq (s_flag (rows, "2026-08-03"), "visit_by_former_pair"));
        assert (streq (s_flag (rows, "2026-03-02"), "not_paired"));
        assert (streq (s_flag (rows, "2026-08-05"), "current"));
        fg_rows_destroy (&rows);
    }
    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&town);
    fg_testkit_rmdir (dir);
    free (dir);
    printf ("OK\n");
}
