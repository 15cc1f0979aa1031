/*  fg_rules_int.h - what the rule families share (fg_rules.c): adding
    findings, deciding VIOLATED or PENDING_SYNC from what is known of the
    nodes below, dates, and the rule functions the registry names. */
#ifndef FG_RULES_INT_H_INCLUDED
#define FG_RULES_INT_H_INCLUDED

#include "fg_rules.h"
#include "fg_util.h"
#include "fg_org.h"

#define FG_DAY_MS 86400000LL

//  A row that breaks the rule is here: VIOLATED, whatever has not arrived.
//  Returns 0, -1 on an allocation failure.
int  fg_rules__violated (fg_rule_eval_t *eval, const char *rule, const char *table, uint64_t id,
                         const char *org, const char *period, int64_t deadline,
                         const char *format, ...) CHECK_PRINTF (8);
//  The evidence the rule needs is missing here and was due by `deadline`
//  (a day): VIOLATED if every node that could hold it (this one and those
//  below whose org contains `org`, of the tiers in `authors`: the tiers
//  that write the evidence) is known here past the end of that day plus
//  grace_days; PENDING_SYNC naming the others otherwise.
int  fg_rules__absent (fg_rule_eval_t *eval, const char *rule, unsigned authors, const char *table,
                       uint64_t id, const char *org, const char *period, int64_t deadline,
                       const char *format, ...) CHECK_PRINTF (9);
//  A rule as one query: ?1 is the scope's prefix, ?2 the day, ?3.. the
//  params. Each row it returns is a finding: id, org_id, period (text),
//  deadline (day, or NULL), evidence (text), absent (1: missing evidence,
//  fg_rules__absent with `authors`; 0: a row that breaks the rule).
int  fg_rules__query (fg_rule_eval_t *eval, const char *rule, unsigned authors, const char *table,
                      const char *sql, const int64_t *params, size_t param_count);
//  C2's fourth clause: assessment `a` graded the unit of cadre `c` poor in
//  the year-end assessment of the year before `year`: its county or
//  township (by org), or its work unit (a department)
#define FG_RULES_POOR_GRADE(a, c, year) \
    a ".cycle = 'year_end' AND " a ".cycle_year = " year " - 1 AND " a ".grade = 'poor' AND " a ".voided = 0 " \
    "AND ((" a ".subject_kind IN ('county', 'township') AND " a ".org_id = " c ".org_id) " \
    "  OR (" a ".subject_kind IN ('county_department', 'prefecture_department') " \
    "      AND " a ".subject_id = " c ".work_unit_id))"
//  SQL for a day number as text: DAY (?2) -> 'YYYY-MM-DD'
#define FG_RULES_DATE(x) "date ((" x ") * 86400, 'unixepoch')"
//  Prepare a statement on the replica; NULL with the error kept in eval.
sqlite3_stmt *fg_rules__prepare (fg_rule_eval_t *eval, const char *sql);
int  fg_rules__fail (fg_rule_eval_t *eval, const char *what);
//  Finalize a statement stepped until `step`: rc, or -1 if rc is 0 and the
//  last step was neither a row nor done.
int  fg_rules__done (fg_rule_eval_t *eval, sqlite3_stmt *stmt, int rc, int step);
//  A parameter (fg_rules_param) for the evaluation.
int64_t fg_rules__param (fg_rule_eval_t *eval, const char *name);
//  Year, month (1..12) and day of a day number; and back.
void    fg_rules__ymd (int64_t day, int *year, int *month, int *mday);
int64_t fg_rules__day (int year, int month, int mday);
//  The last quarter that ended before `day`: its first and last days and
//  its name (2026Q3).
void    fg_rules__last_quarter (int64_t day, int64_t *first, int64_t *last, char name [16]);
//  A text column as a string ("" for NULL).
const char *fg_rules__text (sqlite3_stmt *stmt, int column);

//  The rule functions, by family (rules/fg_rules_*.c)
int fg_rules_p1 (fg_rule_eval_t *eval);
int fg_rules_p2 (fg_rule_eval_t *eval);
int fg_rules_p3 (fg_rule_eval_t *eval);
int fg_rules_p4 (fg_rule_eval_t *eval);
int fg_rules_p5 (fg_rule_eval_t *eval);
int fg_rules_p6 (fg_rule_eval_t *eval);
int fg_rules_p7 (fg_rule_eval_t *eval);
int fg_rules_p8 (fg_rule_eval_t *eval);
int fg_rules_m1 (fg_rule_eval_t *eval);
int fg_rules_m2 (fg_rule_eval_t *eval);
int fg_rules_m3 (fg_rule_eval_t *eval);
int fg_rules_m4 (fg_rule_eval_t *eval);
int fg_rules_v1 (fg_rule_eval_t *eval);
int fg_rules_v3 (fg_rule_eval_t *eval);
int fg_rules_v4 (fg_rule_eval_t *eval);
int fg_rules_v2 (fg_rule_eval_t *eval);
int fg_rules_t2 (fg_rule_eval_t *eval);
int fg_rules_t1 (fg_rule_eval_t *eval);
int fg_rules_t3 (fg_rule_eval_t *eval);
int fg_rules_t4 (fg_rule_eval_t *eval);
int fg_rules_t5 (fg_rule_eval_t *eval);
int fg_rules_t6 (fg_rule_eval_t *eval);
int fg_rules_t7 (fg_rule_eval_t *eval);
int fg_rules_b1 (fg_rule_eval_t *eval);
int fg_rules_b2 (fg_rule_eval_t *eval);
int fg_rules_b3 (fg_rule_eval_t *eval);
int fg_rules_b4 (fg_rule_eval_t *eval);
int fg_rules_b5 (fg_rule_eval_t *eval);
int fg_rules_c1 (fg_rule_eval_t *eval);
int fg_rules_c2 (fg_rule_eval_t *eval);
int fg_rules_s1 (fg_rule_eval_t *eval);
int fg_rules_s2 (fg_rule_eval_t *eval);
int fg_rules_a2 (fg_rule_eval_t *eval);
int fg_rules_a3 (fg_rule_eval_t *eval);
int fg_rules_a4 (fg_rule_eval_t *eval);
int fg_rules_d1 (fg_rule_eval_t *eval);
int fg_rules_d2 (fg_rule_eval_t *eval);
int fg_rules_r1 (fg_rule_eval_t *eval);
int fg_rules_r2 (fg_rule_eval_t *eval);
int fg_rules_r3 (fg_rule_eval_t *eval);
int fg_rules_d3 (fg_rule_eval_t *eval);

//  HARD checks of one op of an entry (fg_rules_ingest.c calls them): 0
//  takes it, 1 refuses it (detail filled), -1 on a database failure.
int fg_rules__ingest_visit (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                            char *detail, size_t detail_size);
int fg_rules__ingest_assistance (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                                 char *detail, size_t detail_size);
int fg_rules__ingest_assessment (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                                 char *detail, size_t detail_size);
int fg_rules__ingest_pairing (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                              char *detail, size_t detail_size, const char **rule_p);
int fg_rules__ingest_contact (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                              char *detail, size_t detail_size, const char **rule_p);
int fg_rules__ingest_branch_pairing (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                                     char *detail, size_t detail_size);
int fg_rules__ingest_branch_count (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                                   char *detail, size_t detail_size, const char **rule_p);
int fg_rules__ingest_award (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                            char *detail, size_t detail_size);

#endif
