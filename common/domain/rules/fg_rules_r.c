/*  fg_rules_r.c - reporting cadence, DOMAIN.md §3.7, over the periodic
    reports of fg_submission.h:
      R1  every report a schedule expects of a reporter for a closed
          period is authored by its due day: late (VIOLATED, with the
          days) or missing (VIOLATED, or PENDING_SYNC while the reporter's
          log is not known here past the due day plus the grace). The
          periods judged are those that ended in the r1_lookback_days
          before the day.
      R2  anti-backdating: a submission that reached its parent more than
          the skew bound (skew_days) after the time it says it was
          written is OFFLINE_AUTHORED: accepted (it is a fact) and listed
          here so it is seen. The hash chain already keeps a report from
          claiming a time before its author's previous entry. The gap is
          the first hop's: the hub that took the report straight from its
          author records it (report_receipt), and every tier reads that;
          no heartbeat proves a link was up, so none is refused.
      R3  a report's frontier dominates the one of the reporter's report
          before it (no origin's seq goes back). */
#include "fg_rules_int.h"
#include "fg_submission.h"
#include "fg_hlc.h"

int
fg_rules_r1 (fg_rule_eval_t *eval)
{
    size_t count = 0;
    char err [256];
    fg_due_t *dues = fg_cadence_dues (eval->replica, eval->org, eval->day - fg_rules__param (eval, "r1_lookback_days"),
                                      eval->day - 1, eval->day, &count, err, sizeof err);
    if (!dues)
        return fg_rules__fail (eval, "cannot read the report schedules");
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        const fg_due_t *due = &dues [i];
        char due_on [16], authored [16];
        fg_date_format (due->due_day, due_on);
        if (due->state == FG_DUE_LATE) {
            fg_date_format (due->authored_ms / FG_DAY_MS, authored);
            rc = fg_rules__violated (eval, "R1", "report_submission", due->submission_id, due->reporter_org,
                                     due->period, due->due_day, "%s %s: authored %s, %lld day(s) after its due "
                                     "day %s", due->schedule, due->period, authored, (long long) due->late_days,
                                     due_on);
        }
        else
        if (due->state == FG_DUE_MISSING)
            rc = fg_rules__absent (eval, "R1", fg_tier_from_name (due->reporter_tier), "report_schedule",
                                   due->schedule_id, due->reporter_org, due->period, due->due_day,
                                   "%s %s: no report from %s (node %u), due %s", due->schedule, due->period,
                                   due->reporter_org, due->reporter, due_on);
    }
    free (dues);
    return rc;
}

int
fg_rules_r2 (fg_rule_eval_t *eval)
{
    sqlite3_stmt *stmt = fg_rules__prepare (eval,
        "SELECT s.id, CAST (s.org_id AS TEXT), s.period_id, s.created_hlc, r.gap_ms, r.author_node "
        "FROM report_submission s JOIN report_receipt r ON r.id = (SELECT q.id FROM report_receipt q "
        "  WHERE q.submission_id = s.id ORDER BY q.created_hlc, q.id LIMIT 1) "
        "WHERE substr (s.org_id, 1, length (?1)) = ?1 AND r.offline_authored = 1 ORDER BY s.org_id, s.id");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, eval->prefix, -1, SQLITE_TRANSIENT);
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        char stamp [32];
        fg_hlc_format ((uint64_t) sqlite3_column_int64 (stmt, 3), stamp);
        rc = fg_rules__violated (eval, "R2", "report_submission", (uint64_t) sqlite3_column_int64 (stmt, 0),
                                 fg_rules__text (stmt, 1), fg_rules__text (stmt, 2), 0,
                                 "OFFLINE_AUTHORED (accepted): authored %.16s, reached its parent %lld h later, "
                                 "more than the skew bound of %lld day(s)", stamp,
                                 (long long) (sqlite3_column_int64 (stmt, 4) / 3600000),
                                 (long long) fg_rules__param (eval, "skew_days"));
    }
    return fg_rules__done (eval, stmt, rc, step);
}

int
fg_rules_r3 (fg_rule_eval_t *eval)
{
    sqlite3_stmt *stmt = fg_rules__prepare (eval,
        "SELECT s.id, CAST (s.org_id AS TEXT), s.period_id, s.frontier, p.id, p.frontier, p.period_id "
        "FROM report_submission s JOIN report_submission p ON p.id = (SELECT q.id FROM report_submission q "
        "  WHERE q.org_id = s.org_id AND q.created_hlc < s.created_hlc ORDER BY q.created_hlc DESC, q.id DESC LIMIT 1) "
        "WHERE substr (s.org_id, 1, length (?1)) = ?1 ORDER BY s.org_id, s.id");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, eval->prefix, -1, SQLITE_TRANSIENT);
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        unsigned origin = 0;
        const char *now = fg_rules__text (stmt, 3), *before = fg_rules__text (stmt, 5);
        if (fg_frontier_dominates (now, before, &origin))
            continue;
        char key [16];
        snprintf (key, sizeof key, "\"%u\":", origin);
        const char *was = strstr (before, key), *is = strstr (now, key);
        rc = fg_rules__violated (eval, "R3", "report_submission", (uint64_t) sqlite3_column_int64 (stmt, 0),
                                 fg_rules__text (stmt, 1), fg_rules__text (stmt, 2), 0,
                                 "frontier behind submission %lld (%s): node %u at seq %lld, was %lld",
                                 (long long) sqlite3_column_int64 (stmt, 4), fg_rules__text (stmt, 6), origin,
                                 is ? strtoll (is + strlen (key), NULL, 10) : 0LL,
                                 was ? strtoll (was + strlen (key), NULL, 10) : 0LL);
    }
    return fg_rules__done (eval, stmt, rc, step);
}
