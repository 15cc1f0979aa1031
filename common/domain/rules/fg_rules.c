/*  fg_rules.c - the registry of the rules of DOMAIN.md §3, their
    evaluation over a scope, the findings they yield and the decision
    between VIOLATED and PENDING_SYNC (see fg_rules.h). The rules
    themselves live one family per file: fg_rules_p.c, fg_rules_m.c,
    fg_rules_v.c; the HARD checks of entries in fg_rules_ingest.c. */
#include "fg_rules_int.h"
#include "fg_hlc.h"
#include "fg_proposal.h"
#include <stdarg.h>

#define E FG_TIER_TOWNSHIP
#define C FG_TIER_COUNTY
#define P FG_TIER_PREFECTURE
#define HARD FG_RULE_HARD
#define REPORT FG_RULE_REPORT

//  Every rule of §3. tiers: where `fugai findings` evaluates it (E checks
//  its township, C its county, P across counties). fn NULL: not yet.
static const fg_rule_t s_rules [] = {
    { "P1", "P", "every household has one active primary pairing (after G_new)", REPORT, E | C | P, fg_rules_p1 },
    { "P2", "P", "every active cadre has at least one household", REPORT, C | P, fg_rules_p2 },
    { "P3", "P", "no cadre holds more households than its capacity", HARD, C | P, fg_rules_p3 },
    { "P4", "P", "a pairing's form matches the cadre and the household", HARD, C | P, fg_rules_p4 },
    { "P5", "P", "a cadre's households lie in at most V_max villages", REPORT, C | P, fg_rules_p5 },
    { "P6", "P", "a leaving cadre's pairs end and are re-paired within G_transfer", REPORT, C | P, fg_rules_p6 },
    { "P7", "P", "each county publishes its yearly plan by July 1 + 30 d", REPORT, C | P, fg_rules_p7 },
    { "P8", "P", "each township acknowledges its county's latest plan within T_ack", REPORT, C | P, fg_rules_p8 },
    { "T1", "T", "every registered site has a contact at or above deputy county", REPORT, C | P, fg_rules_t1 },
    { "T2", "T", "every representative is covered by a contact", REPORT, C | P, fg_rules_t2 },
    { "T3", "T", "prefecture leaders and department principals contact exactly one site", HARD, P, fg_rules_t3 },
    { "T4", "T", "every contact enters its site at least twice a year", REPORT, C | P, fg_rules_t4 },
    { "T5", "T", "a county contact's site lies in the cadre's county", HARD, C | P, fg_rules_t5 },
    { "T6", "T", "the monastic archive matches the resident count", REPORT, C | P, fg_rules_t6 },
    { "T7", "T", "the five links are recorded for every registered site", REPORT, C | P, fg_rules_t7 },
    { "V1", "V", "every orphan has an active love pairing", REPORT, C | P, fg_rules_v1 },
    { "V2", "V", "five-guarantee people get the yearly premium subsidy; scattered ones a housing check and renovation", REPORT, C | P, fg_rules_v2 },
    { "V3", "V", "assistance: no negative amount; a reversal reverses an existing record", HARD, E | C | P, fg_rules_v3 },
    { "V4", "V", "civil affairs verify within 30 days of identification", REPORT, C | P, fg_rules_v4 },
    { "M1", "M", "every must-visit trigger has an in-person visit in its window", REPORT, E | C | P, fg_rules_m1 },
    { "M2", "M", "every active pairing has k in-person visits per quarter", REPORT, E | C | P, fg_rules_m2 },
    { "M3", "M", "a visit is not dated ahead, its cadre is active, its pairing is the household's", HARD, E | C | P, fg_rules_m3 },
    { "M4", "M", "focus households get twice the routine visit rate", REPORT, E | C | P, fg_rules_m4 },
    { "A1", "A", "appeal transitions follow the state machine (the fold)", HARD, E | C | P, NULL },
    { "A2", "A", "appeals are accepted within 15 days and resolved within 60 (+30)", REPORT, C | P, fg_rules_a2 },
    { "A3", "A", "every resolved appeal has feedback", REPORT, C | P, fg_rules_a3 },
    { "A4", "A", "every disclosure objection opens an appeal within 3 days", REPORT, C | P, fg_rules_a4 },
    { "B1", "B", "county and township organ branches have 1 or 2 village pairings", HARD, C | P, fg_rules_b1 },
    { "B2", "B", "prefecture organ branches have exactly one", HARD, P, fg_rules_b2 },
    { "B3", "B", "prefecture branch pairings stay 3 years", HARD, P, fg_rules_b3 },
    { "B4", "B", "every farming or herding village branch has an organ branch", REPORT, C | P, fg_rules_b4 },
    { "B5", "B", "the co-construction letter is signed within 30 days", REPORT, C | P, fg_rules_b5 },
    { "R1", "R", "every scheduled report arrives by its due day", REPORT, C | P, fg_rules_r1 },
    { "R2", "R", "no backdated report (OFFLINE_AUTHORED otherwise)", HARD, C | P, fg_rules_r2 },
    { "R3", "R", "a report's frontier dominates the previous one", REPORT, C | P, fg_rules_r3 },
    { "S1", "S", "year-end assessments have all three dimensions", REPORT, C | P, fg_rules_s1 },
    { "S2", "S", "indicator weights sum to 1", HARD, C | P, fg_rules_s2 },
    { "C1", "C", "awards stay within the year's quota", HARD, P, fg_rules_c1 },
    { "C2", "C", "awards in July, to the role holder, once per person", HARD, P, fg_rules_c2 },
    { "D1", "D", "every village discloses each required category each period", REPORT, E | C | P, fg_rules_d1 },
    { "D2", "D", "projects are disclosed before the first spend and after", REPORT, C | P, fg_rules_d2 },
    { "D3", "D", "the dibao disclosure matches the dibao beneficiaries", REPORT, C | P, fg_rules_d3 },
};

#undef E
#undef C
#undef P
#undef HARD
#undef REPORT

const fg_rule_t *
fg_rules_registry (size_t *count_p)
{
    *count_p = sizeof s_rules / sizeof s_rules [0];
    return s_rules;
}

const fg_rule_t *
fg_rules_find (const char *id)
{
    for (size_t i = 0; i < sizeof s_rules / sizeof s_rules [0]; i++)
        if (strcasecmp (s_rules [i].id, id) == 0)
            return &s_rules [i];
    return NULL;
}

//  -------------------------------------------------------------------------
//  Findings

struct _fg_findings_t {
    fg_finding_t *items;
    size_t        count;
    size_t        alloc;
    char          error [256];       //  the first failure of a rule
};

static fg_finding_t *
s_push (fg_findings_t *self)
{
    if (self->count == self->alloc) {
        size_t alloc = self->alloc ? self->alloc * 2 : 64;
        fg_finding_t *items = realloc (self->items, alloc * sizeof *items);
        if (!items)
            return NULL;
        self->items = items;
        self->alloc = alloc;
    }
    fg_finding_t *finding = &self->items [self->count++];
    memset (finding, 0, sizeof *finding);
    return finding;
}

static fg_finding_t *
s_finding (fg_rule_eval_t *eval, const char *rule, const char *table, uint64_t id, const char *org,
           const char *period, int64_t deadline, const char *format, va_list args)
{
    fg_finding_t *finding = s_push (eval->out);
    if (!finding)
        return NULL;
    finding->rule = fg_rules_find (rule)->id;
    snprintf (finding->table, sizeof finding->table, "%s", table);
    finding->subject_id = id;
    snprintf (finding->org, sizeof finding->org, "%s", org ? org : "");
    snprintf (finding->period, sizeof finding->period, "%s", period ? period : "");
    finding->deadline = deadline;
    vsnprintf (finding->evidence, sizeof finding->evidence, format, args);
    return finding;
}

int
fg_rules__violated (fg_rule_eval_t *eval, const char *rule, const char *table, uint64_t id,
                    const char *org, const char *period, int64_t deadline, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    fg_finding_t *finding = s_finding (eval, rule, table, id, org, period, deadline, format, args);
    va_end (args);
    if (!finding)
        return -1;
    finding->state = FG_FINDING_VIOLATED;
    return 0;
}

int
fg_rules__absent (fg_rule_eval_t *eval, const char *rule, unsigned authors, const char *table, uint64_t id,
                  const char *org, const char *period, int64_t deadline, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    fg_finding_t *finding = s_finding (eval, rule, table, id, org, period, deadline, format, args);
    va_end (args);
    if (!finding)
        return -1;
    //  Known past the end of the deadline's day plus the grace?
    int64_t need_ms = (deadline + 1 + fg_rules__param (eval, "grace_days")) * FG_DAY_MS;
    const fg_node_t *self = fg_replica_self (eval->replica);
    if ((self->tier & authors) && eval->now_ms < need_ms && finding->waiting_count < FG_FINDING_WAIT_MAX) {
        size_t at = finding->waiting_count++;
        finding->waiting [at] = self->node_id;
        snprintf (finding->waiting_org [at], sizeof finding->waiting_org [at], "%s", self->org);
        finding->since [at] = eval->now_ms;
    }
    if (org && *org) {
        fg_horizon_t horizons [FG_FINDING_WAIT_MAX];
        size_t count = fg_replica_horizons (eval->replica, org, horizons, FG_FINDING_WAIT_MAX);
        for (size_t i = 0; i < count && i < FG_FINDING_WAIT_MAX; i++)
            if ((fg_tier_from_name (horizons [i].tier) & authors) && horizons [i].known_ms < need_ms
            &&  finding->waiting_count < FG_FINDING_WAIT_MAX) {
                size_t at = finding->waiting_count++;
                finding->waiting [at] = horizons [i].node_id;
                snprintf (finding->waiting_org [at], sizeof finding->waiting_org [at], "%s",
                          horizons [i].org);
                finding->since [at] = horizons [i].known_ms;
            }
    }
    finding->state = finding->waiting_count ? FG_FINDING_PENDING : FG_FINDING_VIOLATED;
    return 0;
}

int
fg_rules__fail (fg_rule_eval_t *eval, const char *what)
{
    if (!*eval->out->error)
        snprintf (eval->out->error, sizeof eval->out->error, "%s: %s", what,
                  sqlite3_errmsg (fg_replica_db (eval->replica)));
    return -1;
}

int
fg_rules__query (fg_rule_eval_t *eval, const char *rule, unsigned authors, const char *table,
                 const char *sql, const int64_t *params, size_t param_count)
{
    sqlite3_stmt *stmt = fg_rules__prepare (eval, sql);
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, eval->prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, eval->day);
    for (size_t i = 0; i < param_count; i++)
        sqlite3_bind_int64 (stmt, 3 + (int) i, params [i]);
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        uint64_t id = (uint64_t) sqlite3_column_int64 (stmt, 0);
        const char *org = fg_rules__text (stmt, 1), *period = fg_rules__text (stmt, 2);
        int64_t deadline = sqlite3_column_type (stmt, 3) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, 3);
        const char *evidence = fg_rules__text (stmt, 4);
        if (sqlite3_column_int (stmt, 5))
            rc = fg_rules__absent (eval, rule, authors, table, id, org, period, deadline, "%s", evidence);
        else
            rc = fg_rules__violated (eval, rule, table, id, org, period, deadline, "%s", evidence);
    }
    return fg_rules__done (eval, stmt, rc, step);
}

int
fg_rules__done (fg_rule_eval_t *eval, sqlite3_stmt *stmt, int rc, int step)
{
    if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
        rc = fg_rules__fail (eval, "cannot read the replica");
    sqlite3_finalize (stmt);
    return rc;
}

sqlite3_stmt *
fg_rules__prepare (fg_rule_eval_t *eval, const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (fg_replica_db (eval->replica), sql, -1, &stmt, NULL) != SQLITE_OK) {
        fg_rules__fail (eval, "cannot read the replica");
        sqlite3_finalize (stmt);
        return NULL;
    }
    return stmt;
}

int64_t
fg_rules__param (fg_rule_eval_t *eval, const char *name)
{
    return fg_rules_param (eval->replica, name, NULL);
}

const char *
fg_rules__text (sqlite3_stmt *stmt, int column)
{
    const char *text = (const char *) sqlite3_column_text (stmt, column);
    return text ? text : "";
}

void
fg_rules__ymd (int64_t day, int *year, int *month, int *mday)
{
    char text [16];
    fg_date_format (day, text);
    *year = atoi (text);
    *month = atoi (text + 5);
    *mday = atoi (text + 8);
}

int64_t
fg_rules__day (int year, int month, int mday)
{
    char text [48];
    snprintf (text, sizeof text, "%04d-%02d-%02d", year, month, mday);
    int64_t day = 0;
    if (fg_date_parse (text, &day))
        return 0;
    return day;
}

void
fg_rules__last_quarter (int64_t day, int64_t *first, int64_t *last, char name [16])
{
    int year, month, mday;
    fg_rules__ymd (day, &year, &month, &mday);
    int quarter = (month - 1) / 3;           //  0..3, the quarter of day
    if (quarter == 0) {
        year--;
        quarter = 3;
    }
    else
        quarter--;
    *first = fg_rules__day (year, quarter * 3 + 1, 1);
    *last = (quarter == 3 ? fg_rules__day (year + 1, 1, 1) : fg_rules__day (year, quarter * 3 + 4, 1)) - 1;
    snprintf (name, 16, "%04dQ%d", year, quarter + 1);
}

//  -------------------------------------------------------------------------
//  Evaluation

fg_findings_t *
fg_rules_evaluate (fg_replica_t *replica, const char *rule, const char *org, int64_t day,
                   char *errbuf, size_t errsize)
{
    const fg_rule_t *only = NULL;
    if (rule && !(only = fg_rules_find (rule))) {
        fg_errf (errbuf, errsize, "no rule '%s' (DOMAIN.md §3 names P1-P8, T1-T7, V1-V4, M1-M4, "
                 "A1-A4, B1-B5, R1-R3, S1-S2, C1-C2, D1-D3)", rule);
        return NULL;
    }
    const fg_node_t *self = fg_replica_self (replica);
    const char *code = org ? org : self->org;
    size_t length = fg_org_prefix_len (code);
    if (!length) {
        fg_errf (errbuf, errsize, "not an org code: '%s'", code);
        return NULL;
    }
    if (!fg_org_contains (self->org, code)) {
        fg_errf (errbuf, errsize, "%s is outside this node's org %s: a node judges its own subtree",
                 code, self->org);
        return NULL;
    }
    fg_findings_t *self_findings = calloc (1, sizeof *self_findings);
    if (!self_findings) {
        fg_errf (errbuf, errsize, "out of memory");
        return NULL;
    }
    fg_rule_eval_t eval = { .replica = replica, .day = day, .out = self_findings };
    snprintf (eval.prefix, sizeof eval.prefix, "%.*s", (int) length, code);
    snprintf (eval.org, sizeof eval.org, "%s", code);
    eval.now_ms = fg_now_ms ();
    if (eval.now_ms < (day + 1) * FG_DAY_MS)
        eval.now_ms = (day + 1) * FG_DAY_MS;
    size_t count;
    const fg_rule_t *rules = fg_rules_registry (&count);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        if (only && only != &rules [i])
            continue;
        if (!rules [i].fn)
            continue;
        if (!only && !(rules [i].tiers & self->tier))
            continue;
        rc = rules [i].fn (&eval);
    }
    if (rc) {
        fg_errf (errbuf, errsize, "%s", *self_findings->error ? self_findings->error : "out of memory");
        fg_findings_destroy (&self_findings);
    }
    return self_findings;
}

void
fg_findings_destroy (fg_findings_t **self_p)
{
    if (*self_p) {
        free ((*self_p)->items);
        free (*self_p);
        *self_p = NULL;
    }
}

size_t
fg_findings_count (const fg_findings_t *self)
{
    return self->count;
}

const fg_finding_t *
fg_findings_at (const fg_findings_t *self, size_t index)
{
    return index < self->count ? &self->items [index] : NULL;
}

size_t
fg_findings_count_state (const fg_findings_t *self, fg_finding_state_t state)
{
    size_t count = 0;
    for (size_t i = 0; i < self->count; i++)
        count += self->items [i].state == state;
    return count;
}

const fg_finding_t *
fg_findings_find (const fg_findings_t *self, const char *rule, const char *table, uint64_t id)
{
    for (size_t i = 0; i < self->count; i++)
        if (streq (self->items [i].rule, rule) && streq (self->items [i].table, table)
        &&  self->items [i].subject_id == id)
            return &self->items [i];
    return NULL;
}

const char *
fg_finding_state_name (fg_finding_state_t state)
{
    return state == FG_FINDING_VIOLATED ? "VIOLATED"
         : state == FG_FINDING_PENDING ? "PENDING_SYNC" : "HOLDS";
}

//  "28100 (513328100, known to 2026-11-13 08:12)" for each node waited for
static void
s_waiting_text (const fg_finding_t *finding, char *out, size_t size)
{
    *out = 0;
    size_t used = 0;
    for (size_t i = 0; i < finding->waiting_count && used < size; i++) {
        char when [40] = "nothing held";
        if (finding->since [i]) {
            char stamp [32];
            fg_hlc_format (fg_hlc_make (finding->since [i], 0), stamp);
            snprintf (when, sizeof when, "known to %.10s %.5s", stamp, stamp + 11);
        }
        if (finding->waiting [i])
            used += snprintf (out + used, size - used, "%s%u (%s, %s)", i ? "; " : "",
                              finding->waiting [i], finding->waiting_org [i], when);
        else
            used += snprintf (out + used, size - used, "%sno node known for %s", i ? "; " : "",
                              finding->waiting_org [i]);
    }
}

fg_rows_t *
fg_findings_rows (const fg_findings_t *self, unsigned states)
{
    fg_rows_t *rows = fg_rows_new ();
    const char *names [] = { "rule", "severity", "state", "subject", "org", "period", "due",
                             "evidence", "waiting_for" };
    for (size_t i = 0; i < sizeof names / sizeof names [0]; i++)
        fg_rows_column (rows, names [i]);
    for (size_t i = 0; i < self->count; i++) {
        const fg_finding_t *finding = &self->items [i];
        if (!(states & (1u << finding->state)))
            continue;
        const fg_rule_t *rule = fg_rules_find (finding->rule);
        char text [512];
        fg_rows_value (rows, finding->rule, false);
        fg_rows_value (rows, rule->severity == FG_RULE_HARD ? "HARD" : "REPORT", false);
        fg_rows_value (rows, fg_finding_state_name (finding->state), false);
        snprintf (text, sizeof text, "%s:%llu", finding->table, (unsigned long long) finding->subject_id);
        fg_rows_value (rows, text, false);
        fg_rows_value (rows, finding->org, false);
        fg_rows_value (rows, finding->period, false);
        if (finding->deadline) {
            fg_date_format (finding->deadline, text);
            fg_rows_value (rows, text, false);
        }
        else
            fg_rows_null (rows);
        fg_rows_value (rows, finding->evidence, false);
        s_waiting_text (finding, text, sizeof text);
        fg_rows_value (rows, text, false);
        fg_rows_row_end (rows);
    }
    return rows;
}

//  -------------------------------------------------------------------------
//  A township's worklist: its overdue must-visits (M1) and its households
//  unpaired past G_new (P1), pending or not: the township itself can act
//  on them whatever its county knows; then its proposals the owner above
//  rejected, and why (fg_proposal.h).

fg_rows_t *
fg_rules_worklist (fg_replica_t *replica, int64_t day, char *errbuf, size_t errsize)
{
    const char *ids [] = { "M1", "P1" };
    fg_rows_t *rows = fg_rows_new ();
    const char *names [] = { "what", "rule", "subject", "org", "due", "detail" };
    for (size_t i = 0; i < sizeof names / sizeof names [0]; i++)
        fg_rows_column (rows, names [i]);
    for (size_t r = 0; r < 2; r++) {
        fg_findings_t *findings = fg_rules_evaluate (replica, ids [r], NULL, day, errbuf, errsize);
        if (!findings) {
            fg_rows_destroy (&rows);
            return NULL;
        }
        for (size_t i = 0; i < findings->count; i++) {
            const fg_finding_t *finding = &findings->items [i];
            char text [64];
            fg_rows_value (rows, r == 0 ? "overdue must-visit (必访逾期)" : "household without a pair (未结对)",
                           false);
            fg_rows_value (rows, finding->rule, false);
            snprintf (text, sizeof text, "%s:%llu", finding->table, (unsigned long long) finding->subject_id);
            fg_rows_value (rows, text, false);
            fg_rows_value (rows, finding->org, false);
            fg_date_format (finding->deadline, text);
            fg_rows_value (rows, text, false);
            fg_rows_value (rows, finding->evidence, false);
            fg_rows_row_end (rows);
        }
        fg_findings_destroy (&findings);
    }
    //  Its own proposals that the owner above rejected, with the reason
    fg_rows_t *refused = fg_proposals_refused (replica, errbuf, errsize);
    if (!refused) {
        fg_rows_destroy (&rows);
        return NULL;
    }
    for (size_t r = 0; r < fg_rows_count (refused); r++) {
        char text [1200];
        fg_rows_value (rows, "proposal refused above (上级驳回)", false);
        fg_rows_value (rows, "proposal", false);
        snprintf (text, sizeof text, "%s:%s", fg_rows_cell (refused, r, 1, NULL), fg_rows_cell (refused, r, 2, NULL));
        fg_rows_value (rows, text, false);
        fg_rows_value (rows, fg_rows_cell (refused, r, 3, NULL), false);
        fg_rows_value (rows, fg_rows_cell (refused, r, 5, NULL), false);
        snprintf (text, sizeof text, "proposal %s (%s) refused by %s: %s", fg_rows_cell (refused, r, 0, NULL),
                  fg_rows_cell (refused, r, 7, NULL), fg_rows_cell (refused, r, 4, NULL),
                  fg_rows_cell (refused, r, 6, NULL));
        fg_rows_value (rows, text, false);
        fg_rows_row_end (rows);
    }
    fg_rows_destroy (&refused);
    return rows;
}
