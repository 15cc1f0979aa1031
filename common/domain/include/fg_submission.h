/*  fg_submission.h - periodic reports (DOMAIN.md §2.11, §3.7): what each
    schedule expects of whom and when (the cadence, rules R1 R2 R3, the
    `cadence` report), and the submissions themselves: built by the
    reporting node from the reports (the figures plus the frontier they
    came from), signed by it as an ordinary entry through the checked
    write path (fg_batch), and carried up the approval chain township ->
    county -> prefecture by the report_review workflow (fg_catalogue.c:
    approve, unapprove, accept, return; the fold, A1, decides who may).

    A submission is an immutable event: a fact that arrives after it was
    built never changes its figures. fg_submission_show recomputes the
    same reports for the same scope and period from what this node holds
    now and lists each figure as submitted, now, and the difference, with
    the origins whose entries went past the submission's frontier. A
    returned submission is replaced by a new version.

    Schedules (report_schedule, authored by the prefecture): period_type
    is the cadence; reporter_selector names the reporting tier (a text
    that contains "township", "county" or "prefecture"); due_offset_days
    the days after the period's last day the report is due; template_id
    the reports the figures come from (comma-separated report names;
    default FG_SUBMISSION_REPORTS). The reporters a schedule expects are
    the nodes of that tier this node knows inside the scope, not revoked;
    periods count from the one that holds the day the schedule was
    written, or from the earliest period any reporter submitted for it
    when that is earlier (the schedule was in force then: its reports
    show it).
*/
#ifndef FG_SUBMISSION_H_INCLUDED
#define FG_SUBMISSION_H_INCLUDED

#include "fg_replica.h"
#include "fg_rows.h"

#define FG_SUBMISSION_REPORTS "coverage,must-visit,assistance,appeals,branches,temples"

typedef enum {
    FG_DUE_OPEN = 0,             //  not due yet on the as-of day, nothing submitted
    FG_DUE_ON_TIME,              //  authored by the due day (R1)
    FG_DUE_LATE,                 //  authored after it (late_days)
    FG_DUE_MISSING               //  due, and nothing here (pending: maybe not arrived)
} fg_due_state_t;

//  One report a schedule expects of one reporter for one period.
typedef struct {
    uint64_t       schedule_id;
    char           schedule [64];        //  its name
    char           period [16];          //  2026-W48
    int64_t        from_day, to_day, due_day;
    uint16_t       reporter;             //  node id
    char           reporter_org [16];
    char           reporter_tier [16];
    fg_due_state_t state;
    bool           pending;              //  MISSING, but the reporter's log is known here only
                                         //  up to before the due day plus grace_days (PENDING_SYNC)
    int64_t        known_ms;             //  how far the reporter's log is known here
    uint64_t       submission_id;        //  the first submission (0 none)
    uint64_t       latest_id;            //  its latest version
    int64_t        authored_ms;          //  the first submission's authored time (created_hlc)
    int64_t        late_days;
    bool           offline_authored;     //  R2 of the first submission, see fg_submission_offline
    bool           backwards;            //  R3: the latest version's frontier is behind the
                                         //  reporter's previous submission's
    char           review_state [16];    //  of the latest version (SUBMITTED, APPROVED, ...)
    char           review_owner [16];
} fg_due_t;

//  Every report due for a period that ends in [from_day, to_day], for the
//  reporters inside org's subtree (NULL: this node's), judged as of
//  as_of_day. A fresh array (caller frees) and its count in *count_p;
//  NULL with the reason in errbuf on failure (an empty result is a
//  non-NULL array with count 0).
fg_due_t *fg_cadence_dues (fg_replica_t *replica, const char *org, int64_t from_day, int64_t to_day,
                           int64_t as_of_day, size_t *count_p, char *errbuf, size_t errsize);

//  R2 (anti-backdating) for one submission: true if the hub that took it
//  straight from its author (its parent) took it more than the skew bound
//  (skew_days) after the time it says it was written: OFFLINE_AUTHORED,
//  accepted and shown. Read from that hub's report_receipt, which every
//  tier holds once converged (false while none is held). *gap_ms_p (may
//  be NULL) gets the gap.
bool      fg_submission_offline (fg_replica_t *replica, uint64_t submission_id, int64_t *gap_ms_p);
//  The programme's on_from_child hook: in the transaction that took
//  entries from a child, a report_receipt for every submission a child
//  wrote that reached this node straight from it and has none yet
//  (fg_replica_entry_received: when, and from whom). 0, or -1 with the
//  reason in the replica's error; *written_p the receipts written.
int       fg_submission_receipts (fg_replica_t *replica, const char *author, size_t *written_p);
//  R3: does the frontier `now` (JSON {"origin": seq}) dominate `before`
//  (every origin of before at a seq at least as high)? If not, the first
//  origin that went back is named in *origin_p (may be NULL).
bool      fg_frontier_dominates (const char *now, const char *before, unsigned *origin_p);

//  Build this node's submission for a schedule and a closed period (NULL:
//  the last period of the schedule's cadence that is over): the
//  reports of the schedule's template for this node's org and the period
//  (figures as of its last day), their totals as the aggregates (JSON
//  {"report.column": integer}, money in fen), the frontier they came
//  from, version 1 (one more than a returned earlier one); with its
//  review (state SUBMITTED, owned by this node's org), in one entry.
//  Refused (-1 with the reason) when the schedule is unknown, the period
//  is not one of its type or not closed, this node is not of the
//  reporting tier, or a submission of it is held and not returned.
int       fg_submission_build (fg_replica_t *replica, uint64_t schedule_id, const char *period,
                               const char *narrative, const char *author, uint64_t *id_p,
                               char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  A step of the approval chain on the review of a submission: approve,
//  unapprove, accept or return (to_owner: the unit it goes back to, NULL
//  for the reporter). Checked here first as the fold will judge it (the
//  state it may follow, and who: the owner, or a unit above), so a step
//  that would be rejected is refused at the desk with the reason; then
//  written as a report_review_event. state_after (may be NULL, 16 bytes)
//  gets the state after it.
int       fg_submission_step (fg_replica_t *replica, uint64_t submission_id, const char *transition,
                              const char *to_owner, const char *note, const char *author,
                              char state_after [16], char *errbuf, size_t errsize) FG_WARN_UNUSED;
//  The submissions held inside org's subtree (NULL: this node's), newest
//  first, optionally of one period and one schedule (NULL, 0: any): id,
//  schedule, period, org, name, version, authored, state, owner,
//  offline (R2), late_days.
fg_rows_t *fg_submission_list (fg_replica_t *replica, const char *org, const char *period,
                               uint64_t schedule_id, char *errbuf, size_t errsize);
//  One submission: its fields and review (section "submission", rows
//  field, value), the figures (section "figures": figure, submitted, now,
//  delta; `now` recomputed here from what this node holds), the frontier
//  (section "frontier": origin, submitted, now, delta) and the review's
//  steps (section "steps"). NULL with the reason in errbuf. *count_p gets
//  the number of sections (an array the caller frees with each section).
fg_rows_t **fg_submission_show (fg_replica_t *replica, uint64_t submission_id, size_t *count_p,
                                char *errbuf, size_t errsize);
//  The figures of a submission recomputed now: JSON as in the aggregates
//  (caller frees), NULL with the reason in errbuf.
char     *fg_submission_figures (fg_replica_t *replica, const char *org, const char *period,
                                 const char *reports, int64_t now_ms, char **frontier_p,
                                 char *errbuf, size_t errsize);

#endif
