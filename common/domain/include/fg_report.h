/*  fg_report.h - the programme's reports: functions of a replica, an org
    subtree, a period and a grouping that return rows (fg_rows.h), which a
    screen renders (common/render). One file per report in
    common/domain/reports/; the registry below names them.

    Scope: `org` is an org code (NULL: the node's own); a report covers the
    records whose org_id is inside it. A report reads only what this node
    holds: at a county, a township whose link is down counts with what it
    last sent. So every report says what it was computed from, as
    metadata of its rows (fg_rows_meta):
        report        the report's name (coverage, appeals, ...)
        section       the section's name (a report may return several)
        title.zh, title.en
        org, org_name the scope, and its name from org_unit
        by            county | township | village (grouped reports)
        period        the period asked for (2026-11, 2026-W05, ...), from, to
        as_of         the day the figures are taken at (YYYY-MM-DD)
        computed_at   when they were computed (UTC, ISO 8601)
        node          the node that computed them (id and org)
        frontier      JSON object {"origin": seq, ...}: the last entry this
                      node held, when it computed them, of every node inside
                      the scope or above it (the chains the figures can
                      depend on). Two replicas with the same frontier give
                      the same figures.
        label.zh.COL, label.en.COL   column headings for people
        value_labels, value.zh.VALUE, value.en.VALUE
                      (when value_labels is set) a cell whose text is
                      VALUE (an enum value: received, applied...) is shown
                      to people as that label (the HTML page; the data
                      forms keep VALUE)
        chart, chart.title.zh, chart.title.en
                      "LABEL_COL:VALUE_COL[,VALUE_COL...]": the bar chart the
                      report asks the renderer to draw (one bar group per
                      row, one bar per value column)
    Rows of a grouped report start with the columns `code` (the org code)
    and `name` (org_unit.name_zh, or the code when the unit is not held),
    one row per unit at the grouping level inside the scope (every unit
    held, even with zeros), and end with the totals (code null, name the
    scope's; metadata total_row = 1):
    the rule engine's findings (VIOLATED / PENDING_SYNC counts per org,
    issue 9) join on `code` and append their columns.

    Periods (DOMAIN.md §2.11 period ids): 2026 (year), 2026H1, 2026Q3,
    2026-11 (month), 2026-11A / 2026-11B (half months: 1-15, 16-end),
    2026-W05 (ISO week), PY2026 (programme year, July 1 to June 30), or a
    day 2026-11-30. The figures are taken as of
    the period's last day (or the --date day when earlier).
*/
#ifndef FG_REPORT_H_INCLUDED
#define FG_REPORT_H_INCLUDED

#include "fg_replica.h"
#include "fg_rows.h"

typedef enum {
    FG_REPORT_BY_COUNTY = 2,
    FG_REPORT_BY_TOWNSHIP = 3,
    FG_REPORT_BY_VILLAGE = 4
} fg_report_by_t;

//  What a report is asked for. Zero it, then set what you need: from_day
//  and to_day are days since 1970-01-01 (both included); as_of_day 0
//  means to_day.
typedef struct {
    const char     *org;                 //  NULL: the node's own org
    int64_t         from_day;
    int64_t         to_day;
    int64_t         as_of_day;
    const char     *period;              //  the period's id as asked (for the metadata); may be NULL
    fg_report_by_t  by;                  //  0: one level below the scope (village below a township)
    int             grace_days;          //  0: FG_PAIRING_GRACE_DAYS
    int64_t         now_ms;              //  0: the clock (tests fix it)
    const char     *section;             //  NULL: every section; else the one a screen
                                         //  shows (a report may then skip the work of
                                         //  others: coverage leaves out "cadres")
} fg_report_args_t;

//  A report's sections: one or more fg_rows_t, each with its metadata.
typedef struct _fg_report_t fg_report_t;

//  Build the report `name` (fg_report_name_at lists them; "all" builds
//  every one, in the registry's order). NULL with the reason in errbuf
//  (an unknown name, a bad org code, a replica that cannot be read).
fg_report_t *fg_report_new (fg_replica_t *replica, const char *name, const fg_report_args_t *args,
                            char *errbuf, size_t errsize);
void         fg_report_destroy (fg_report_t **self_p);
size_t       fg_report_count (const fg_report_t *self);
//  Section i (borrowed; NULL past the end).
const fg_rows_t *fg_report_section (const fg_report_t *self, size_t index);
//  The sections as an array (borrowed), for fg_render_report.
const fg_rows_t *const *fg_report_sections (const fg_report_t *self);

//  The registry: report names in order ("all" is not among them), and a
//  one-line description; NULL past the end.
const char  *fg_report_name_at (size_t index);
const char  *fg_report_about_at (size_t index);

//  A period id (above) into its first and last day. 0, or -1 if the text
//  is not a period.
int          fg_report_period (const char *text, int64_t *from_p, int64_t *to_p) FG_WARN_UNUSED;
//  The period of a schedule's type (report_schedule.period_type: WEEK,
//  SEMIMONTH, MONTH, QUARTER, HALFYEAR, YEAR, PROGRAM_YEAR) that holds
//  `day`: its id (2026-W48, 2026-11B, 2026-11, 2026Q4, 2026H2, 2026,
//  PY2026) and its first and last day. 0, or -1 for an unknown type.
int          fg_report_period_of (const char *type, int64_t day, char id [16], int64_t *from_p,
                                  int64_t *to_p);

//  Pairing coverage by township (DOMAIN.md §3.1, P1) on `day`: columns
//  township, households, paired, provisional, waiting (unpaired within
//  grace_days of registration), overdue (unpaired past it). NULL with the
//  reason in errbuf (a bad org code, a replica that cannot be read).
//  (`fugai plan report`; the `coverage` report above adds names and visits.)
fg_rows_t *fg_report_coverage (fg_replica_t *replica, const char *org, int64_t day, int grace_days,
                               char *errbuf, size_t errsize);
//  Every active cadre under org on `day` (P2, P3, P5): columns id, name,
//  org_id, rank, households, cap, villages, note (over capacity, no
//  household, more than one village). NULL with the reason in errbuf.
fg_rows_t *fg_report_cadres (fg_replica_t *replica, const char *org, int64_t day,
                             char *errbuf, size_t errsize);

#endif
