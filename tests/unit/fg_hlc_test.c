/*  fg_hlc_test.c - self-test of fg_hlc (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fg_hlc.h"
#include "fg_util.h"

void
fg_hlc_test (bool verbose)
{
    printf (" * fg_hlc: ");
    uint64_t h = fg_hlc_tick (0, 1000);
    assert (fg_hlc_ms (h) == 1000 && (h & 0xFFFF) == 0);
    uint64_t h2 = fg_hlc_tick (h, 1000);             //  same ms: counter
    assert (h2 == h + 1);
    uint64_t h3 = fg_hlc_tick (h2, 900);             //  clock went back
    assert (h3 > h2 && fg_hlc_ms (h3) == 1000);
    uint64_t h4 = fg_hlc_tick (h3, 2000);
    assert (h4 == fg_hlc_make (2000, 0));
    //  Counter overflow carries, order stays total
    uint64_t top = fg_hlc_make (5000, 0xFFFF);
    assert (fg_hlc_tick (top, 10) > top);

    bool implausible;
    uint64_t seen = fg_hlc_observe (h4, fg_hlc_make (2500, 3), 2000, 1000, &implausible);
    assert (!implausible && seen == fg_hlc_make (2500, 3));
    seen = fg_hlc_observe (h4, fg_hlc_make (3001 + 2000, 0), 2000, 1000, &implausible);
    assert (implausible && seen == h4);
    assert (fg_hlc_tick (fg_hlc_make (2500, 3), 2000) > fg_hlc_make (2500, 3));

    char text [32];
    fg_hlc_format (fg_hlc_make (1341532800123LL, 7), text);
    assert (streq (text, "2012-07-06T00:00:00.123Z"));
    printf ("OK\n");
}
