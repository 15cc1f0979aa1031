/*  fgb_figure.c - figures, medians and the report of fugai-bench (see
    fgb_figure.h). */
#include "fgb_figure.h"

#define S_MAX_FIGURES 128

static fgb_figure_t s_figures [S_MAX_FIGURES];
static size_t       s_count;
static char         s_notes [8192];

fgb_figure_t *
fgb_figure (const char *section, const char *key, const char *unit, bool ratio, const char *format, ...)
{
    for (size_t i = 0; i < s_count; i++)
        if (streq (s_figures [i].key, key))
            return &s_figures [i];
    assert (s_count < S_MAX_FIGURES);
    fgb_figure_t *figure = &s_figures [s_count++];
    snprintf (figure->section, sizeof figure->section, "%s", section);
    snprintf (figure->key, sizeof figure->key, "%s", key);
    snprintf (figure->unit, sizeof figure->unit, "%s", unit);
    figure->ratio = ratio;
    va_list args;
    va_start (args, format);
    vsnprintf (figure->label, sizeof figure->label, format, args);
    va_end (args);
    return figure;
}

void
fgb_figure_versus (fgb_figure_t *figure, const fgb_figure_t *floor)
{
    figure->versus = floor;
}

void
fgb_figure_add (fgb_figure_t *figure, double value)
{
    if (figure->count < FGB_MAX_RUNS)
        figure->runs [figure->count++] = value;
}

static int
s_compare (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

double
fgb_figure_median (const fgb_figure_t *figure, double *min_p, double *max_p)
{
    double sorted [FGB_MAX_RUNS] = { 0 };
    size_t count = figure->count;
    if (count)
        memcpy (sorted, figure->runs, count * sizeof (double));
    qsort (sorted, count, sizeof (double), s_compare);
    if (min_p)
        *min_p = sorted [0];
    if (max_p)
        *max_p = count ? sorted [count - 1] : 0;
    if (count == 0)
        return 0;
    return count % 2 ? sorted [count / 2] : (sorted [count / 2 - 1] + sorted [count / 2]) / 2;
}

double
fgb_figure_quantile (const fgb_figure_t *figure, double q)
{
    double sorted [FGB_MAX_RUNS] = { 0 };
    size_t count = figure->count;
    if (count == 0)
        return 0;
    memcpy (sorted, figure->runs, count * sizeof (double));
    qsort (sorted, count, sizeof (double), s_compare);
    size_t rank = (size_t) (q * (double) count + 0.999999);      //  nearest rank, 1-based
    if (rank < 1)
        rank = 1;
    if (rank > count)
        rank = count;
    return sorted [rank - 1];
}

void
fgb_note (const char *format, ...)
{
    size_t used = strlen (s_notes);
    va_list args;
    va_start (args, format);
    vsnprintf (s_notes + used, sizeof s_notes - used, format, args);
    va_end (args);
    used = strlen (s_notes);
    if (used + 1 < sizeof s_notes)
        strcat (s_notes, "\n");
}

//  The baseline: median of the first figure, if it has runs.
static double
s_baseline (void)
{
    return s_count ? fgb_figure_median (&s_figures [0], NULL, NULL) : 0;
}

//  A number with thousands separators, or with one decimal below 100.
static const char *
s_number (double value, char *out, size_t size)
{
    if (value < 100) {
        snprintf (out, size, "%.1f", value);
        return out;
    }
    char digits [32];
    snprintf (digits, sizeof digits, "%.0f", value);
    size_t len = strlen (digits), o = 0;
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out [o++] = ',';
        out [o++] = digits [i];
    }
    out [o] = 0;
    return out;
}

void
fgb_report_text (const char *title, bool ok)
{
    double baseline = s_baseline ();
    int major, minor, patch;
    zmq_version (&major, &minor, &patch);
    printf ("%s\n", title);
    printf ("  %ld cores; SQLite %s, libsodium %s, libzmq %d.%d.%d, CZMQ %d.%d.%d\n",
            sysconf (_SC_NPROCESSORS_ONLN), sqlite3_libversion (), sodium_version_string (),
            major, minor, patch, CZMQ_VERSION_MAJOR, CZMQ_VERSION_MINOR, CZMQ_VERSION_PATCH);
    printf ("  each line: median, unit, ratio to the raw SQLite insert rate of this run (x), ratio to the\n"
            "  same-writes baseline of this run (xs: raw SQLite making the rows the hub makes), [min .. max]\n");
    const char *section = "";
    for (size_t i = 0; i < s_count; i++) {
        fgb_figure_t *figure = &s_figures [i];
        if (figure->count == 0)
            continue;
        if (!streq (section, figure->section)) {
            section = figure->section;
            printf ("\n%s\n", section);
        }
        double min, max, median = fgb_figure_median (figure, &min, &max);
        char a [32], b [32], c [32], ratio [32] = "", versus [32] = "";
        if (figure->ratio && baseline > 0)
            snprintf (ratio, sizeof ratio, "%.3g x", median / baseline);
        double same = figure->versus ? fgb_figure_median (figure->versus, NULL, NULL) : 0;
        if (same > 0)
            snprintf (versus, sizeof versus, "%.3g xs", median / same);
        printf ("  %-70s %11s %-9s %9s %9s  [%s .. %s]\n", figure->label, s_number (median, a, sizeof a),
                figure->unit, ratio, versus, s_number (min, b, sizeof b), s_number (max, c, sizeof c));
    }
    if (s_notes [0])
        printf ("\nnotes\n%s", s_notes);
    printf ("\ncounts: %s\n", ok ? "every count matched" : "PROBLEMS (see stderr)");
}

static void
s_json_string (const char *text)
{
    putchar ('"');
    for (const char *p = text; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf ("\\%c", *p);
        else
        if (*p == '\n')
            printf ("\\n");
        else
        if ((unsigned char) *p < 0x20)
            printf ("\\u%04x", *p);
        else
            putchar (*p);
    }
    putchar ('"');
}

void
fgb_report_json (const char *params_json, bool ok)
{
    double baseline = s_baseline ();
    int major, minor, patch;
    zmq_version (&major, &minor, &patch);
    printf ("{%s\"cores\": %ld, \"sqlite\": \"%s\", \"libsodium\": \"%s\", \"libzmq\": \"%d.%d.%d\", "
            "\"baseline\": %.6g,\n \"figures\": [\n", params_json, sysconf (_SC_NPROCESSORS_ONLN),
            sqlite3_libversion (), sodium_version_string (), major, minor, patch, baseline);
    bool first = true;
    for (size_t i = 0; i < s_count; i++) {
        fgb_figure_t *figure = &s_figures [i];
        if (figure->count == 0)
            continue;
        double min, max, median = fgb_figure_median (figure, &min, &max);
        printf ("%s  {\"section\": \"%s\", \"key\": \"%s\", \"label\": ", first ? "" : ",\n",
                figure->section, figure->key);
        const char *label = figure->label;
        while (*label == ' ')
            label++;
        s_json_string (label);
        printf (", \"unit\": \"%s\", \"median\": %.6g, \"min\": %.6g, \"max\": %.6g, \"runs\": [",
                figure->unit, median, min, max);
        for (size_t r = 0; r < figure->count; r++)
            printf ("%s%.6g", r ? ", " : "", figure->runs [r]);
        printf ("]");
        if (figure->ratio && baseline > 0)
            printf (", \"ratio\": %.4g", median / baseline);
        double same = figure->versus ? fgb_figure_median (figure->versus, NULL, NULL) : 0;
        if (same > 0)
            printf (", \"ratio_same_writes\": %.4g, \"same_writes\": \"%s\"", median / same,
                    figure->versus->key);
        printf ("}");
        first = false;
    }
    printf ("\n ],\n \"notes\": ");
    s_json_string (s_notes);
    printf (",\n \"counts_ok\": %s}\n", ok ? "true" : "false");
}
