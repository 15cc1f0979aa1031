/*  fgb_growth.h - the "growth" section of fugai-bench: how fast a county
    ingests a township's entries when it already holds 10k, 100k, 1M (and,
    on demand, 10M) entries (issue 13: the rate at 10M at least 0.9 times
    the rate at 10k). Bench code only.

    The county and the township are real node directories (fugai init,
    enroll, trust: fgb_tree.h) with real keys; the township writes
    households through the library, one per entry (a clerk's writes: each
    entry signed, chained, its ops built), and the county takes them
    through the hub's own apply path in-process: the township's up-stream
    sender makes the batches (fgp_sender_next: scan, frame, zstd) and the
    county's receiver takes them (fgp_receiver_on_batch: decompress,
    verify the chain and its signature, merge, store, move the cursor,
    commit, ACK), as fgh_parent does for a BATCH off the socket; only the
    socket, CURVE and the second process are left out.

    Building the held entries uses that same path with batches of 4 MiB
    (one transaction each) and the township's writes 50,000 to a
    transaction; the time it took is reported. A measurement then writes
    `measure` more at the township and times the county's receiver alone
    on them, in batches of the stream's default size (sync/batch_bytes,
    256 KiB), one transaction each, synchronous=FULL as in the daemon.
*/
#ifndef FGB_GROWTH_H_INCLUDED
#define FGB_GROWTH_H_INCLUDED

#include "fg_common.h"
#include "fgb_tree.h"

//  Held sizes measured: 10k, then each ten times the last, up to
//  max_held. Defaults of fugai-bench: 1,000,000 (--growth-max), 10,000
//  with --quick.
#define FGB_GROWTH_FIRST    10000
#define FGB_GROWTH_DEFAULT  1000000

//  Run the section in dir (created; removed at the end unless
//  programs->keep): for each size, build the county up to it, then
//  `runs` measurements of `measure` entries each. Figures go to
//  fgb_figure (section "growth"), problems to fgb_problem. 0 or -1.
int  fgb_bench_growth (const fgb_programs_t *programs, const char *dir, size_t max_held, size_t measure,
                       size_t runs);

#endif
