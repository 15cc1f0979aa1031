/*  fg_clock_flag_test.c - self-test "clock_flag": a hub flags the entries
    of one batch stamped implausibly far ahead with one signed clock_flag
    (seq..last_seq, count; fg_schema_system.c), not one per entry (issue 7:
    what one child can make its parent sign). A township writes one honest
    entry, then three with its clock a day ahead; the county takes all four
    in one batch: one flag covering the three, each of their ops ranked at
    the county's time of receipt, the honest one untouched; the prefecture,
    taking the county's batch, ranks them the same. A flag whose last_seq
    lies before its seq is rejected (bad_value). */
#include "fg_selftests.h"
#include "fg_testkit.h"
#include "fg_util.h"
#include "fg_hlc.h"

void
fg_clock_flag_test (bool verbose)
{
    printf (" * clock_flag (one per batch): ");
    char *dir = fg_testkit_dir ("fg_clock_flag_test");
    fg_testnode_t pref, county, town;
    fg_testkit_chain (dir, &pref, &county, &town, "county", "town");
    fg_testkit_sync (&county, &town, false);

    fg_testkit_household (&town, "513328100201", "honest");
    int64_t honest = fg_testkit_int (&town, "SELECT max (seq) FROM log WHERE origin = 28100");
    setenv ("FUGAI_CLOCK_OFFSET_MS", "86400000", 1);     //  a day ahead
    for (int i = 0; i < 3; i++)
        fg_testkit_household (&town, "513328100201", "ahead");
    unsetenv ("FUGAI_CLOCK_OFFSET_MS");
    int64_t own_before = fg_testkit_int (&county, "SELECT count(*) FROM log WHERE origin = 128");
    fg_testkit_sync (&town, &county, true);

    //  One flag, covering the three, written by the county
    assert (fg_testkit_int (&county, "SELECT count(*) FROM clock_flag") == 1);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE origin = 128") == own_before + 1);
    char sql [256];
    snprintf (sql, sizeof sql, "SELECT seq = %lld AND last_seq = %lld AND count = 3 AND origin = 28100 "
              "AND ahead_ms BETWEEN 86000000 AND 86400000 FROM clock_flag", (long long) honest + 1,
              (long long) honest + 3);
    assert (fg_testkit_int (&county, sql) == 1);
    //  Ranked at the receipt: the three clamped, the honest one not
    const char *clamped = "SELECT count(*) FROM op WHERE origin = 28100 AND tbl = 'household' AND lww_hlc < hlc";
    snprintf (sql, sizeof sql, "SELECT count(*) FROM op WHERE origin = 28100 AND seq = %lld AND lww_hlc = hlc",
              (long long) honest);
    assert (fg_testkit_int (&county, clamped) == 3);
    assert (fg_testkit_int (&county, sql) == 1);
    //  ... and the same at the prefecture, which only relays the judgment
    fg_testkit_sync (&county, &pref, true);
    assert (fg_testkit_int (&pref, "SELECT count(*) FROM clock_flag") == 1);
    assert (fg_testkit_int (&pref, clamped) == 3);
    assert (fg_testkit_int (&pref, sql) == 1);
    if (verbose)
        printf ("(3 entries a day ahead, 1 flag) ");

    //  A range that ends before it starts is not a flag
    assert (fg_replica_begin (county.replica) == 0);
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_INSERT, "clock_flag", NULL, fg_replica_new_id (county.replica), 513328100);
    fg_ops_set_int (ops, "origin", 28100);
    fg_ops_set_int (ops, "seq", honest + 2);
    fg_ops_set_int (ops, "last_seq", honest);
    fg_ops_set_int (ops, "clamp_hlc", (int64_t) fg_hlc_make (1000, 0));
    fg_merge_result_t result;
    assert (fg_replica_append (county.replica, ops, "test", NULL, &result) == 0);
    assert (fg_replica_commit (county.replica) == 0);
    fg_ops_destroy (&ops);
    assert (result.rejected == 1 && result.applied == 0);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM op WHERE tbl = 'clock_flag' AND outcome = 'rejected' "
                                     "AND reason LIKE 'bad_value%last_seq%'") == 1);
    assert (fg_testkit_int (&county, clamped) == 3);

    fg_testkit_chain_end (&dir, &pref, &county, &town);
    printf ("OK\n");
}
