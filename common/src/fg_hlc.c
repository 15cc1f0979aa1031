/*  fg_hlc.c - hybrid logical clock (Kulkarni et al., 2014), integer only. */
#include "fg_hlc.h"
#include "fg_util.h"

uint64_t
fg_hlc_tick (uint64_t last, int64_t now_ms)
{
    if (now_ms > fg_hlc_ms (last))
        return fg_hlc_make (now_ms, 0);
    //  Clock behind or equal: advance the counter; an overflowing counter
    //  carries into the millisecond part, which keeps the order total.
    return last + 1;
}

uint64_t
fg_hlc_observe (uint64_t last, uint64_t remote, int64_t now_ms,
                int64_t max_ahead_ms, bool *implausible)
{
    *implausible = fg_hlc_ms (remote) > now_ms + max_ahead_ms;
    if (*implausible)
        return last;
    return remote > last ? remote : last;
}

void
fg_hlc_format (uint64_t hlc, char *out)
{
    int64_t ms = fg_hlc_ms (hlc);
    int64_t days = ms / 86400000;
    int64_t rest = ms % 86400000;
    if (rest < 0) {
        rest += 86400000;
        days--;
    }
    char date [11];
    fg_date_format (days, date);
    snprintf (out, 32, "%sT%02d:%02d:%02d.%03dZ+%u", date,
              (int) (rest / 3600000), (int) (rest / 60000 % 60),
              (int) (rest / 1000 % 60), (int) (rest % 1000),
              (unsigned) (hlc & 0xFFFF));
}

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
    assert (streq (text, "2012-07-06T00:00:00.123Z+7"));
    printf ("OK\n");
}
