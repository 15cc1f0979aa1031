/*  fg_org_test.c - self-test of fg_org (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fg_org.h"

void
fg_org_test (bool verbose)
{
    printf (" * fg_org: ");
    assert (fg_org_level ("513300") == 1);
    assert (fg_org_level ("513328") == 2);
    assert (fg_org_level ("513328100") == 3);
    assert (fg_org_level ("513328100201") == 4);
    assert (fg_org_level ("51332") == 0 && fg_org_level ("51332a") == 0);
    assert (fg_org_contains ("513300", "513328100201"));
    assert (fg_org_contains ("513328", "513328100"));
    assert (fg_org_contains ("513328100", "513328100201"));
    assert (fg_org_contains ("513328100", "513328100"));
    assert (!fg_org_contains ("513328100", "513328101201"));
    assert (!fg_org_contains ("513328", "513329100"));
    assert (!fg_org_contains ("513328100", "513328"));           //  no upward containment
    assert (!fg_org_contains ("513300", "513400"));
    assert (fg_org_related ("513328", "513328100201"));
    assert (fg_org_related ("513328100201", "513300"));
    assert (!fg_org_related ("513328100", "513328101"));
    char town [10];
    char common [13];
    fg_org_common ("513328100201", "513328100202", common);
    assert (streq (common, "513328100"));
    fg_org_common ("513328100201", "513328100201", common);
    assert (streq (common, "513328100201"));
    fg_org_common ("513328100201", "513328101", common);
    assert (streq (common, "513328"));
    fg_org_common ("513328100201", "513321", common);
    assert (streq (common, "513300"));
    fg_org_common ("513328", "513328100", common);
    assert (streq (common, "513328"));
    fg_org_common ("513300", "513328100", common);
    assert (streq (common, "513300"));
    assert (fg_org_township_of ("513328100201", town) == 0 && streq (town, "513328100"));
    assert (fg_org_township_of ("513328", town) == -1);
    assert (fg_org_default_node_id ("513300") == 1);
    assert (fg_org_default_node_id ("513328") == 128);
    assert (fg_org_default_node_id ("513328100") == 28100);
    assert (fg_org_default_node_id ("513301") == 101);
    assert (fg_org_default_node_id ("513301001") == 1001);
    assert (fg_org_tier ("513328100") == FG_TIER_TOWNSHIP);
    printf ("OK\n");
}
