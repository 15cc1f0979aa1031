/*  fg_hlc.h - hybrid logical clock: 48-bit milliseconds, 16-bit counter.

    An HLC value orders every write in the tree: it never goes backwards on a
    node, it moves past every plausible timestamp the node has seen, and it
    stays close to wall-clock time. Township PC clocks can be wrong by days,
    so a node does not adopt a remote timestamp that is further ahead of its
    own clock than the skew bound: it counts it as implausible instead (the
    entry is still kept; see fg_replica for what is flagged).

    Layout of the 64-bit value:  [ 48 bits ms since epoch | 16 bits counter ]
    Comparing two values as unsigned integers compares the clocks.
*/
#ifndef FG_HLC_H_INCLUDED
#define FG_HLC_H_INCLUDED

#include "fg_common.h"

//  Default skew bound: a timestamp more than this far ahead of the receiving
//  node's clock is implausible. Configurable per node (sync/max_clock_ahead).
#define FG_HLC_DEFAULT_MAX_AHEAD_MS (10 * 60 * 1000)

static inline uint64_t fg_hlc_make (int64_t ms, uint16_t counter) {
    return ((uint64_t) ms << 16) | counter; }
static inline int64_t  fg_hlc_ms (uint64_t hlc) { return (int64_t) (hlc >> 16); }

//  The timestamp for a new local event after `last`, at wall time now_ms.
uint64_t fg_hlc_tick (uint64_t last, int64_t now_ms);

//  Fold a remote timestamp into `last`. If it lies more than max_ahead_ms
//  ahead of now_ms it is not adopted and *implausible is set to true.
//  Returns the new `last`.
uint64_t fg_hlc_observe (uint64_t last, uint64_t remote, int64_t now_ms,
                         int64_t max_ahead_ms, bool *implausible);

//  Format its time as ISO 8601 in UTC, "YYYY-MM-DDTHH:MM:SS.mmmZ", into out
//  (32 bytes); the logical counter (hlc & 0xFFFF) is left out: a caller
//  that needs it shows it on its own.
void     fg_hlc_format (uint64_t hlc, char *out);

#endif
