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
    snprintf (out, 32, "%sT%02d:%02d:%02d.%03dZ", date,
              (int) (rest / 3600000), (int) (rest / 60000 % 60),
              (int) (rest / 1000 % 60), (int) (rest % 1000));
}
