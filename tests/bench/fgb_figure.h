/*  fgb_figure.h - the figures fugai-bench reports: each one measured
    several times, reported as its median with the range, and for rates as
    a ratio to the baseline of the same run (DESIGN.md §7). Notes are the
    lines the figures need said beside them. Bench code only.
*/
#ifndef FGB_FIGURE_H_INCLUDED
#define FGB_FIGURE_H_INCLUDED

#include "fg_common.h"

#define FGB_MAX_RUNS 256

typedef struct fgb_figure_s {
    char   section [24];             //  heading it is printed under
    char   key [48];                 //  name in the JSON output
    char   label [160];              //  what was measured, for people
    char   unit [16];
    bool   ratio;                    //  print its ratio to the baseline
    const struct fgb_figure_s *versus;  //  also its ratio to this figure (the same-writes baseline)
    double runs [FGB_MAX_RUNS];
    size_t count;
} fgb_figure_t;

//  The figure named key, created on first use (the other arguments are
//  used only then). Figures are printed in the order they were created;
//  the first one created is the baseline. Never NULL.
fgb_figure_t *fgb_figure (const char *section, const char *key, const char *unit, bool ratio,
                          const char *format, ...) CHECK_PRINTF (5);
//  Print the figure's ratio to `floor` (a baseline of the same work) beside
//  its ratio to the baseline.
void    fgb_figure_versus (fgb_figure_t *figure, const fgb_figure_t *floor);
//  Record one run's value.
void    fgb_figure_add (fgb_figure_t *figure, double value);
//  Median of the runs (0 if none); min_p and max_p may be NULL.
double  fgb_figure_median (const fgb_figure_t *figure, double *min_p, double *max_p);
//  The q-quantile of the runs (0 <= q <= 1), nearest rank; 0 if none.
double  fgb_figure_quantile (const fgb_figure_t *figure, double q);
//  Add a line of notes.
void    fgb_note (const char *format, ...) CHECK_PRINTF (1);

//  Print every figure that has runs: a human table, or one JSON object
//  whose first members are params_json (text such as "\"n\": 5, ").
//  title heads the table. ok says every count matched.
void    fgb_report_text (const char *title, bool ok);
void    fgb_report_json (const char *params_json, bool ok);

#endif
