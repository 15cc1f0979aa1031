/*  fg_record_test.c - self-test of fg_record (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fg_record.h"
#include "fg_schema.h"
#include "fg_org.h"
#include "fg_util.h"
#include "fg_testkit.h"

void
fg_record_test (bool verbose)
{
    printf (" * fg_record: ");
    char *dir = fg_testkit_dir ("fg_record_test");
    fg_testnode_t county, town;
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    char err [512];
    char text [][64] = { "org_id=513328100201", "head_name=Tashi", "size=5", "needy=yes" };
    fg_kv_t fields [4];
    for (int i = 0; i < 4; i++)
        assert (fg_kv_parse (text [i], &fields [i]) == 0);
    uint64_t id;
    fg_merge_result_t result;
    //  The township's write of the county's flag becomes a proposal
    assert (fg_record_add (town.replica, "household", fields, 4, "clerk", &id, &result, err, sizeof err) == 0);
    assert (result.applied == 1 && result.proposals == 1 && result.rejected == 0);
    assert (FG_ID_NODE (id) == 28100);
    assert (fg_testkit_int (&town, "SELECT size FROM household") == 5);
    assert (fg_testkit_int (&town, "SELECT needy IS NULL FROM household") == 1);
    //  Refusals with reasons
    char bad [][64] = { "org_id=513328101201", "head_name=X" };
    fg_kv_t wrong [2];
    assert (fg_kv_parse (bad [0], &wrong [0]) == 0 && fg_kv_parse (bad [1], &wrong [1]) == 0);
    assert (fg_record_add (town.replica, "household", wrong, 2, "clerk", &id, NULL, err, sizeof err) == -1);
    assert (strstr (err, "outside"));
    assert (fg_record_add (town.replica, "household", &wrong [1], 1, "c", &id, NULL, err, sizeof err) == 0);
    char unknown [] = "colour=red";
    fg_kv_t kv;
    assert (fg_kv_parse (unknown, &kv) == 0);
    assert (fg_record_add (town.replica, "household", &kv, 1, "c", &id, NULL, err, sizeof err) == -1);
    assert (strstr (err, "no column 'colour'"));
    assert (fg_record_add (town.replica, "directive", &wrong [1], 1, "c", &id, NULL, err, sizeof err) == -1);
    assert (strstr (err, "does not create"));
    assert (fg_record_add (town.replica, "household", NULL, 0, "c", &id, NULL, err, sizeof err) == -1);
    assert (strstr (err, "needs head_name"));
    char noeq [] = "size";
    assert (fg_kv_parse (noeq, &kv) == -1);
    //  set changes a registry row; events cannot be set, only voided
    char size [] = "size=7";
    assert (fg_kv_parse (size, &kv) == 0);
    uint64_t hh = (uint64_t) fg_testkit_int (&town, "SELECT min(id) FROM household");
    assert (fg_record_set (town.replica, "household", hh, &kv, 1, "c", NULL, err, sizeof err) == 0);
    assert (fg_testkit_int (&town, "SELECT size FROM household WHERE id = (SELECT min(id) FROM household)") == 7);
    assert (fg_record_set (town.replica, "household", 12345, &kv, 1, "c", NULL, err, sizeof err) == -1);
    char visit [][64] = { "cadre_id=140737488355333",  //  a prefecture id (M3 refuses node 0)
                          "target_kind=household", "target_id=1", "kind=phone",
                          "occurred_on=2013-01-05", "help_given_fen=12.50" };
    fg_kv_t vfields [6];
    for (int i = 0; i < 6; i++)
        assert (fg_kv_parse (visit [i], &vfields [i]) == 0);
    uint64_t vid;
    assert (fg_record_add (town.replica, "visit", vfields, 6, "c", &vid, NULL, err, sizeof err) == 0);
    assert (fg_testkit_int (&town, "SELECT help_given_fen FROM visit") == 1250);
    assert (fg_record_set (town.replica, "visit", vid, &kv, 1, "c", NULL, err, sizeof err) == -1);
    assert (fg_record_void (town.replica, "visit", vid, "duplicate", "c", err, sizeof err) == 0);
    assert (fg_testkit_int (&town, "SELECT voided FROM visit") == 1);
    //  A county does not create households ...
    assert (fg_record_add (county.replica, "household", fields, 4, "c", &id, NULL, err, sizeof err) == -1);
    assert (strstr (err, "does not create"));
    //  ... but sets the flag it owns on the township's, once it holds it
    fg_testkit_link (&county, &town);
    fg_testkit_sync (&town, &county, true);
    char needy [] = "needy=yes";
    assert (fg_kv_parse (needy, &kv) == 0);
    assert (fg_record_set (county.replica, "household", hh, &kv, 1, "c", &result, err, sizeof err) == 0);
    assert (result.applied == 1 && result.proposals == 0);
    char sql [96];
    snprintf (sql, sizeof sql, "SELECT needy FROM household WHERE id = %llu", (unsigned long long) hh);
    assert (fg_testkit_int (&county, sql) == 1);
    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&town);
    fg_testkit_rmdir (dir);
    free (dir);
    printf ("OK\n");
}
