/*  fg_submission.c - periodic reports: the cadence each schedule expects
    (R1 R2 R3), and submissions built from the reports, signed by their
    node and carried up the approval chain (see fg_submission.h). */
#include "fg_submission.h"
#include "fg_report.h"
#include "fg_rules.h"
#include "fg_record.h"
#include "fg_schema.h"
#include "fg_hlc.h"
#include "fg_org.h"
#include "fg_util.h"

#define S_DAY_MS 86400000LL

//  -------------------------------------------------------------------------
//  Frontiers: JSON {"origin": seq, ...} as fg_report writes them

//  The seq of origin in a frontier (0 if absent)
static uint64_t
s_frontier_seq (const char *json, unsigned origin)
{
    char key [16];
    snprintf (key, sizeof key, "\"%u\":", origin);
    const char *at = json ? strstr (json, key) : NULL;
    return at ? strtoull (at + strlen (key), NULL, 10) : 0;
}

//  Call fn for each origin of a frontier, in order; stops at a non-zero return
static int
s_frontier_each (const char *json, int (*fn) (void *arg, unsigned origin, uint64_t seq), void *arg)
{
    const char *at = json;
    while (at && (at = strchr (at, '"'))) {
        char *end;
        unsigned long origin = strtoul (at + 1, &end, 10);
        if (*end != '"' || end [1] != ':')
            return 0;
        uint64_t seq = strtoull (end + 2, &end, 10);
        int rc = fn (arg, (unsigned) origin, seq);
        if (rc)
            return rc;
        at = end;
    }
    return 0;
}

typedef struct {
    const char *now;
    unsigned    behind;
} s_dominate_t;

static int
s_check_dominates (void *arg, unsigned origin, uint64_t seq)
{
    s_dominate_t *self = (s_dominate_t *) arg;
    if (s_frontier_seq (self->now, origin) < seq) {
        self->behind = origin;
        return 1;
    }
    return 0;
}

bool
fg_frontier_dominates (const char *now, const char *before, unsigned *origin_p)
{
    s_dominate_t check = { now, 0 };
    bool dominates = s_frontier_each (before, s_check_dominates, &check) == 0;
    if (origin_p)
        *origin_p = check.behind;
    return dominates;
}

//  -------------------------------------------------------------------------
//  R2

bool
fg_submission_offline (fg_replica_t *replica, uint64_t submission_id, int64_t *gap_ms_p)
{
    if (gap_ms_p)
        *gap_ms_p = 0;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT coalesce (offline_authored, 0), coalesce (gap_ms, 0) FROM report_receipt "
            "WHERE submission_id = ? ORDER BY created_hlc, id LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) submission_id);
    bool offline = false;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        offline = sqlite3_column_int (stmt, 0) != 0;
        if (gap_ms_p)
            *gap_ms_p = sqlite3_column_int64 (stmt, 1);
    }
    sqlite3_finalize (stmt);
    return offline;
}

int
fg_submission_receipts (fg_replica_t *replica, const char *author, size_t *written_p)
{
    *written_p = 0;
    const fg_node_t *self = fg_replica_self (replica);
    if (self->tier == FG_TIER_TOWNSHIP)
        return 0;                       //  a township has no child
    //  The children: only their own reports reach this node straight from
    //  their author
    //  (called for every batch from a child: the children's ids alone,
    //  not fg_replica_links, whose counts scan the log and cost a hub a
    //  sixth of its ingest of 200-household entries)
    size_t max = 1024;
    uint16_t *ids = (uint16_t *) calloc (max, sizeof *ids);
    char *children = (char *) calloc (max, 8);
    assert (ids && children);
    size_t child_count = fg_replica_children (replica, ids, max);
    size_t used = 0;
    for (size_t i = 0; i < child_count; i++)
        used += (size_t) snprintf (children + used, max * 8 - used, "%s%u", used ? "," : "", ids [i]);
    free (ids);
    if (!used) {
        free (children);
        return 0;
    }
    sqlite3 *db = fg_replica_db (replica);
    char *sql = fg_strdupf ("SELECT s.id, CAST (s.org_id AS TEXT), s.created_by, s.created_hlc FROM report_submission s "
                            "WHERE s.created_by IN (%s) AND NOT EXISTS (SELECT 1 FROM report_receipt r "
                            "WHERE r.submission_id = s.id) ORDER BY s.id", children);
    free (children);
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK ? 0 : -1;
    free (sql);
    if (rc)
        return fg_replica_fail_with (replica, "report receipts: %s", sqlite3_errmsg (db));
    int64_t skew_ms = fg_rules_param (replica, "skew_days", NULL) * S_DAY_MS;
    fg_batch_t *batch = NULL;
    char err [512] = "";
    while (rc == 0 && sqlite3_step (stmt) == SQLITE_ROW) {
        uint16_t origin = (uint16_t) sqlite3_column_int (stmt, 2);
        uint64_t hlc = (uint64_t) sqlite3_column_int64 (stmt, 3);
        int64_t received = 0;
        uint16_t via = 0;
        if (fg_replica_entry_received (replica, origin, hlc, &received, &via) || via != origin)
            continue;                   //  not straight from its author
        int64_t gap = received - fg_hlc_ms (hlc);
        char org [16], submission [24], node [16], received_text [24], gap_text [24];
        snprintf (org, sizeof org, "%s", (const char *) sqlite3_column_text (stmt, 1));
        snprintf (submission, sizeof submission, "%lld", (long long) sqlite3_column_int64 (stmt, 0));
        snprintf (node, sizeof node, "%u", origin);
        snprintf (received_text, sizeof received_text, "%lld", (long long) received);
        snprintf (gap_text, sizeof gap_text, "%lld", (long long) gap);
        fg_kv_t fields [6] = {
            { "org_id", org }, { "submission_id", submission }, { "author_node", node },
            { "received_ms", received_text }, { "gap_ms", gap_text },
            { "offline_authored", gap > skew_ms ? "1" : "0" }
        };
        if (!batch)
            batch = fg_batch_new (replica, author);
        uint64_t id;
        if (fg_batch_add (batch, "report_receipt", fields, 6, &id, err, sizeof err))
            rc = -1;
        else
            (*written_p)++;
    }
    sqlite3_finalize (stmt);
    if (rc == 0 && batch)
        rc = fg_batch_flush (batch, err, sizeof err);
    fg_batch_destroy (&batch);
    if (rc)
        return fg_replica_fail_with (replica, "report receipts: %s", err);
    return 0;
}

//  -------------------------------------------------------------------------
//  The cadence

typedef struct {
    uint64_t id;
    char     name [64];
    unsigned tiers;                      //  reporting tier
    char     type [16];
    int64_t  offset;
    int64_t  start_day;                  //  the day it was written
} s_schedule_t;

static unsigned
s_selector_tiers (const char *selector)
{
    unsigned tiers = 0;
    if (selector && strstr (selector, "township"))
        tiers |= FG_TIER_TOWNSHIP;
    if (selector && strstr (selector, "county"))
        tiers |= FG_TIER_COUNTY;
    if (selector && strstr (selector, "prefecture"))
        tiers |= FG_TIER_PREFECTURE;
    return tiers;
}

//  Every schedule with a cadence and a reporting tier; a fresh array
static s_schedule_t *
s_schedules (fg_replica_t *replica, size_t *count_p, char *errbuf, size_t errsize)
{
    *count_p = 0;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT k.id, k.name, k.reporter_selector, k.period_type, coalesce (k.due_offset_days, 0), "
            "  (k.created_hlc >> 16) / 86400000, "
            "  (SELECT min (s.period_id) FROM report_submission s WHERE s.schedule_id = k.id) "
            "FROM report_schedule k WHERE k.period_type IS NOT NULL ORDER BY k.id",
            -1, &stmt, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the schedules: %s", sqlite3_errmsg (fg_replica_db (replica)));
        return NULL;
    }
    s_schedule_t *schedules = NULL;
    size_t count = 0;
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        s_schedule_t schedule = { .id = (uint64_t) sqlite3_column_int64 (stmt, 0) };
        snprintf (schedule.name, sizeof schedule.name, "%s",
                  sqlite3_column_text (stmt, 1) ? (const char *) sqlite3_column_text (stmt, 1) : "");
        schedule.tiers = s_selector_tiers ((const char *) sqlite3_column_text (stmt, 2));
        snprintf (schedule.type, sizeof schedule.type, "%s", (const char *) sqlite3_column_text (stmt, 3));
        schedule.offset = sqlite3_column_int64 (stmt, 4);
        schedule.start_day = sqlite3_column_int64 (stmt, 5);
        //  A period reported before the schedule was written (a schedule
        //  set after the fact, or a newer version): in force from there
        char id [16];
        int64_t from, to;
        const char *earliest = (const char *) sqlite3_column_text (stmt, 6);
        if (earliest && fg_report_period (earliest, &from, &to) == 0 && from < schedule.start_day)
            schedule.start_day = from;
        if (!schedule.tiers || fg_report_period_of (schedule.type, 0, id, &from, &to))
            continue;                   //  no reporter, or no cadence we know
        schedules = (s_schedule_t *) realloc (schedules, (count + 1) * sizeof *schedules);
        assert (schedules);
        schedules [count++] = schedule;
    }
    sqlite3_finalize (stmt);
    if (!schedules)
        schedules = (s_schedule_t *) calloc (1, sizeof *schedules);
    *count_p = count;
    return schedules;
}

fg_due_t *
fg_cadence_dues (fg_replica_t *replica, const char *org, int64_t from_day, int64_t to_day,
                 int64_t as_of_day, size_t *count_p, char *errbuf, size_t errsize)
{
    *count_p = 0;
    const fg_node_t *self = fg_replica_self (replica);
    const char *scope = org ? org : self->org;
    size_t schedule_count = 0;
    s_schedule_t *schedules = s_schedules (replica, &schedule_count, errbuf, errsize);
    if (!schedules)
        return NULL;
    size_t node_count = 0;
    fg_origin_status_t *nodes = fg_replica_origins (replica, scope, &node_count);
    sqlite3_stmt *stmt = NULL, *previous = NULL;
    sqlite3 *db = fg_replica_db (replica);
    if (sqlite3_prepare_v2 (db,
            "SELECT s.id, s.created_hlc, s.created_by, s.frontier, r.state, r.owner_org FROM report_submission s "
            "LEFT JOIN report_review r ON r.submission_id = s.id "
            "WHERE s.schedule_id = ?1 AND s.period_id = ?2 AND s.org_id = ?3 ORDER BY s.created_hlc, s.id",
            -1, &stmt, NULL) != SQLITE_OK
    ||  sqlite3_prepare_v2 (db,
            "SELECT frontier FROM report_submission WHERE org_id = ?1 AND created_hlc < ?2 "
            "ORDER BY created_hlc DESC, id DESC LIMIT 1", -1, &previous, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the submissions: %s", sqlite3_errmsg (db));
        sqlite3_finalize (stmt);
        free (schedules);
        free (nodes);
        return NULL;
    }
    int64_t grace = fg_rules_param (replica, "grace_days", NULL);
    int64_t now_ms = fg_now_ms ();
    fg_due_t *dues = NULL;
    size_t count = 0, alloc = 0;
    for (size_t s = 0; s < schedule_count; s++) {
        const s_schedule_t *schedule = &schedules [s];
        char period [16];
        int64_t first, last;
        int rc = fg_report_period_of (schedule->type, from_day, period, &first, &last);
        assert (rc == 0);
        if (last < from_day)
            rc = fg_report_period_of (schedule->type, last + 1, period, &first, &last);
        for (; last <= to_day; rc = fg_report_period_of (schedule->type, last + 1, period, &first, &last)) {
            if (last < schedule->start_day)
                continue;               //  before the schedule existed
            for (size_t n = 0; n < node_count; n++) {
                const fg_origin_status_t *node = &nodes [n];
                if (!(fg_tier_from_name (node->tier) & schedule->tiers) || streq (node->status, "revoked")
                ||  !fg_org_contains (scope, node->org))
                    continue;
                if (count == alloc) {
                    alloc = alloc ? alloc * 2 : 32;
                    dues = (fg_due_t *) realloc (dues, alloc * sizeof *dues);
                    assert (dues);
                }
                fg_due_t *due = &dues [count++];
                memset (due, 0, sizeof *due);
                due->schedule_id = schedule->id;
                snprintf (due->schedule, sizeof due->schedule, "%s", schedule->name);
                snprintf (due->period, sizeof due->period, "%s", period);
                due->from_day = first;
                due->to_day = last;
                due->due_day = last + schedule->offset;
                due->reporter = node->id;
                snprintf (due->reporter_org, sizeof due->reporter_org, "%s", node->org);
                snprintf (due->reporter_tier, sizeof due->reporter_tier, "%s", node->tier);
                due->known_ms = node->id == self->node_id ? now_ms : node->last_entry_ms;
                sqlite3_reset (stmt);
                sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) schedule->id);
                sqlite3_bind_text (stmt, 2, period, -1, SQLITE_TRANSIENT);
                sqlite3_bind_int64 (stmt, 3, strtoll (node->org, NULL, 10));
                char *frontier = NULL;
                uint64_t latest_hlc = 0;
                while (sqlite3_step (stmt) == SQLITE_ROW) {
                    uint64_t hlc = (uint64_t) sqlite3_column_int64 (stmt, 1);
                    if (!due->submission_id) {
                        due->submission_id = (uint64_t) sqlite3_column_int64 (stmt, 0);
                        due->authored_ms = fg_hlc_ms (hlc);
                        due->offline_authored = fg_submission_offline (replica, due->submission_id, NULL);
                    }
                    due->latest_id = (uint64_t) sqlite3_column_int64 (stmt, 0);
                    latest_hlc = hlc;
                    free (frontier);
                    frontier = strdup (sqlite3_column_text (stmt, 3) ? (const char *) sqlite3_column_text (stmt, 3) : "");
                    snprintf (due->review_state, sizeof due->review_state, "%s",
                              sqlite3_column_text (stmt, 4) ? (const char *) sqlite3_column_text (stmt, 4) : "");
                    snprintf (due->review_owner, sizeof due->review_owner, "%s",
                              sqlite3_column_text (stmt, 5) ? (const char *) sqlite3_column_text (stmt, 5) : "");
                }
                if (due->submission_id) {
                    int64_t authored_day = due->authored_ms / S_DAY_MS;
                    due->state = authored_day <= due->due_day ? FG_DUE_ON_TIME : FG_DUE_LATE;
                    due->late_days = authored_day > due->due_day ? authored_day - due->due_day : 0;
                    //  R3: the latest version against the reporter's submission before it
                    sqlite3_reset (previous);
                    sqlite3_bind_int64 (previous, 1, strtoll (node->org, NULL, 10));
                    sqlite3_bind_int64 (previous, 2, (sqlite3_int64) latest_hlc);
                    if (sqlite3_step (previous) == SQLITE_ROW && sqlite3_column_text (previous, 0))
                        due->backwards = !fg_frontier_dominates (frontier,
                                                                 (const char *) sqlite3_column_text (previous, 0), NULL);
                }
                else
                if (due->due_day < as_of_day) {
                    due->state = FG_DUE_MISSING;
                    due->pending = due->known_ms < (due->due_day + 1 + grace) * S_DAY_MS;
                }
                else
                    due->state = FG_DUE_OPEN;
                free (frontier);
            }
        }
    }
    sqlite3_finalize (stmt);
    sqlite3_finalize (previous);
    free (schedules);
    free (nodes);
    if (!dues)
        dues = (fg_due_t *) calloc (1, sizeof *dues);
    *count_p = count;
    return dues;
}

//  -------------------------------------------------------------------------
//  Figures

//  Append to a growing string
static void
s_append (char **text, size_t *used, size_t *alloc, const char *format, ...) CHECK_PRINTF (4);
static void
s_append (char **text, size_t *used, size_t *alloc, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char piece [512];
    int length = vsnprintf (piece, sizeof piece, format, args);
    va_end (args);
    assert (length >= 0 && (size_t) length < sizeof piece);
    if (*used + (size_t) length + 1 > *alloc) {
        *alloc = (*used + (size_t) length + 1) * 2;
        *text = (char *) realloc (*text, *alloc);
        assert (*text);
    }
    memcpy (*text + *used, piece, (size_t) length + 1);
    *used += (size_t) length;
}

//  A cell as an integer figure: "12" as is, "500.00" (yuan) as fen
static bool
s_figure (const char *text, bool yuan, int64_t *value)
{
    if (!text || !*text)
        return false;
    char *end;
    long long whole = strtoll (text, &end, 10);
    if (*end == 0 && !yuan) {
        *value = whole;
        return true;
    }
    if (yuan && *end == '.' && isdigit ((unsigned char) end [1]) && isdigit ((unsigned char) end [2]) && !end [3]) {
        int64_t fen = llabs (whole) * 100 + (end [1] - '0') * 10 + (end [2] - '0');
        *value = text [0] == '-' ? -fen : fen;
        return true;
    }
    return false;
}

char *
fg_submission_figures (fg_replica_t *replica, const char *org, const char *period, const char *reports,
                       int64_t now_ms, char **frontier_p, char *errbuf, size_t errsize)
{
    fg_report_args_t args;
    memset (&args, 0, sizeof args);
    args.org = org;
    args.period = period;
    args.now_ms = now_ms;
    if (fg_report_period (period, &args.from_day, &args.to_day)) {
        fg_errf (errbuf, errsize, "not a period: '%s'", period);
        return NULL;
    }
    fg_report_t *report = fg_report_new (replica, reports && *reports ? reports : FG_SUBMISSION_REPORTS,
                                         &args, errbuf, errsize);
    if (!report)
        return NULL;
    char *json = NULL;
    size_t used = 0, alloc = 0;
    s_append (&json, &used, &alloc, "{");
    bool first = true;
    for (size_t i = 0; i < fg_report_count (report); i++) {
        const fg_rows_t *rows = fg_report_section (report, i);
        const char *total = fg_rows_meta (rows, "total_row");
        size_t row_count = fg_rows_count (rows);
        if (!total || !streq (total, "1") || row_count == 0)
            continue;
        const char *section = fg_rows_meta (rows, "section");
        for (size_t c = 2; c < fg_rows_column_count (rows); c++) {
            const char *column = fg_rows_column_name (rows, c);
            size_t length = strlen (column);
            bool yuan = length > 5 && streq (column + length - 5, "_yuan");
            int64_t value;
            if (!s_figure (fg_rows_cell (rows, row_count - 1, c, NULL), yuan, &value))
                continue;               //  percentages and ratios are derived: not figures
            s_append (&json, &used, &alloc, "%s\"%s.%.*s%s\":%lld", first ? "" : ",", section,
                      (int) (yuan ? length - 5 : length), column, yuan ? "_fen" : "", (long long) value);
            first = false;
        }
    }
    s_append (&json, &used, &alloc, "}");
    if (frontier_p) {
        const char *frontier = fg_report_count (report) ? fg_rows_meta (fg_report_section (report, 0), "frontier")
                                                        : NULL;
        *frontier_p = strdup (frontier ? frontier : "{}");
    }
    fg_report_destroy (&report);
    return json;
}

//  -------------------------------------------------------------------------
//  Building a submission

int
fg_submission_build (fg_replica_t *replica, uint64_t schedule_id, const char *period, const char *narrative,
                     const char *author, uint64_t *id_p, char *errbuf, size_t errsize)
{
    *id_p = 0;
    const fg_node_t *self = fg_replica_self (replica);
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db, "SELECT name, reporter_selector, period_type, template_id FROM report_schedule "
                            "WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
        return fg_errf (errbuf, errsize, "cannot read the schedules: %s", sqlite3_errmsg (db));
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) schedule_id);
    char name [64] = "", selector [64] = "", type [16] = "", reports [256] = "";
    bool found = sqlite3_step (stmt) == SQLITE_ROW;
    if (found) {
        for (int c = 0; c < 4; c++) {
            const char *text = (const char *) sqlite3_column_text (stmt, c);
            char *out = c == 0 ? name : c == 1 ? selector : c == 2 ? type : reports;
            size_t size = c == 0 ? sizeof name : c == 1 ? sizeof selector : c == 2 ? sizeof type : sizeof reports;
            snprintf (out, size, "%s", text ? text : "");
        }
    }
    sqlite3_finalize (stmt);
    if (!found)
        return fg_errf (errbuf, errsize, "no report schedule %llu here (fugai list report_schedule)",
                        (unsigned long long) schedule_id);
    int64_t from, to, first, last;
    char canonical [16];
    int64_t today = fg_now_ms () / S_DAY_MS;
    if ((!period || !*period) && fg_report_period_of (type, today, canonical, &first, &last) == 0
    &&  fg_report_period_of (type, first - 1, canonical, &first, &last) == 0)
        period = canonical;             //  the last closed period of the cadence
    if (!period || fg_report_period (period, &from, &to))
        return fg_errf (errbuf, errsize, "not a period: '%s' (2026-W48, 2026-11A, 2026-11, 2026Q4, 2026H2, "
                        "2026, PY2026)", period ? period : "");
    if (fg_report_period_of (type, from, canonical, &first, &last))
        return fg_errf (errbuf, errsize, "schedule %llu (%s) has no cadence we know ('%s')",
                        (unsigned long long) schedule_id, name, type);
    if (first != from || last != to)
        return fg_errf (errbuf, errsize, "schedule %llu (%s) is reported per %s: '%s' is not one of its "
                        "periods (%s is)", (unsigned long long) schedule_id, name, type, period, canonical);
    if (to >= today) {
        char end [16];
        fg_date_format (to, end);
        return fg_errf (errbuf, errsize, "period %s is not closed: it ends on %s; its figures are "
                        "reported once it is over", canonical, end);
    }
    if (!(s_selector_tiers (selector) & self->tier))
        return fg_errf (errbuf, errsize, "schedule %llu (%s) is reported by %s, not by a %s node",
                        (unsigned long long) schedule_id, name, *selector ? selector : "nobody",
                        fg_tier_name (self->tier));
    //  One live submission per reporter, schedule and period: a new version
    //  only after the last one was returned
    if (sqlite3_prepare_v2 (db,
            "SELECT s.id, coalesce (r.state, 'SUBMITTED'), coalesce (s.version, 1) FROM report_submission s "
            "LEFT JOIN report_review r ON r.submission_id = s.id "
            "WHERE s.schedule_id = ? AND s.period_id = ? AND s.org_id = ? ORDER BY s.created_hlc DESC, s.id DESC",
            -1, &stmt, NULL) != SQLITE_OK)
        return fg_errf (errbuf, errsize, "cannot read the submissions: %s", sqlite3_errmsg (db));
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) schedule_id);
    sqlite3_bind_text (stmt, 2, canonical, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 3, strtoll (self->org, NULL, 10));
    int64_t version = 1;
    int rc = 0;
    while (rc == 0 && sqlite3_step (stmt) == SQLITE_ROW) {
        const char *state = (const char *) sqlite3_column_text (stmt, 1);
        if (!streq (state, "RETURNED"))
            rc = fg_errf (errbuf, errsize, "%s for %s is already submitted: submission %lld (%s); a new "
                          "version needs it returned first (fugai submission return %lld)", name, canonical,
                          (long long) sqlite3_column_int64 (stmt, 0), state,
                          (long long) sqlite3_column_int64 (stmt, 0));
        if (sqlite3_column_int64 (stmt, 2) >= version)
            version = sqlite3_column_int64 (stmt, 2) + 1;
    }
    sqlite3_finalize (stmt);
    if (rc)
        return rc;

    char *frontier = NULL;
    char *figures = fg_submission_figures (replica, self->org, canonical, reports, 0, &frontier, errbuf, errsize);
    if (!figures)
        return -1;
    char schedule_text [24], version_text [24], org [16];
    snprintf (schedule_text, sizeof schedule_text, "%llu", (unsigned long long) schedule_id);
    snprintf (version_text, sizeof version_text, "%lld", (long long) version);
    snprintf (org, sizeof org, "%s", self->org);
    fg_kv_t fields [8] = {
        { "org_id", org }, { "schedule_id", schedule_text }, { "period_id", canonical },
        { "reporter_unit", self->name }, { "frontier", frontier }, { "aggregates", figures },
        { "version", version_text }
    };
    size_t count = 7;
    if (narrative && *narrative)
        fields [count++] = (fg_kv_t) { "narrative", narrative };
    if (fg_replica_begin (replica)) {
        free (figures);
        free (frontier);
        return fg_errf (errbuf, errsize, "%s", fg_replica_error (replica));
    }
    fg_batch_t *batch = fg_batch_new (replica, author);
    uint64_t submission = 0, review = 0;
    rc = fg_batch_add (batch, "report_submission", fields, count, &submission, errbuf, errsize);
    if (rc == 0) {
        char submission_text [24];
        snprintf (submission_text, sizeof submission_text, "%llu", (unsigned long long) submission);
        fg_kv_t review_fields [4] = {
            { "org_id", org }, { "submission_id", submission_text }, { "schedule_id", schedule_text },
            { "period_id", canonical }
        };
        rc = fg_batch_add (batch, "report_review", review_fields, 4, &review, errbuf, errsize);
    }
    if (rc == 0)
        rc = fg_batch_flush (batch, errbuf, errsize);
    fg_batch_destroy (&batch);
    if (rc == 0 && fg_replica_commit (replica))
        rc = fg_errf (errbuf, errsize, "cannot commit: %s", fg_replica_error (replica));
    if (rc)
        fg_replica_rollback (replica);
    free (figures);
    free (frontier);
    if (rc == 0)
        *id_p = submission;
    return rc;
}

//  -------------------------------------------------------------------------
//  The approval chain

int
fg_submission_step (fg_replica_t *replica, uint64_t submission_id, const char *transition,
                    const char *to_owner, const char *note, const char *author,
                    char state_after [16], char *errbuf, size_t errsize)
{
    const fg_node_t *self = fg_replica_self (replica);
    sqlite3 *db = fg_replica_db (replica);
    const fg_table_t *table = fg_schema_table ("report_review");
    assert (table && table->workflow);
    const fg_workflow_t *flow = table->workflow;
    const fg_transition_t *step = fg_schema_transition (flow, transition);
    if (!step)
        return fg_errf (errbuf, errsize, "no step '%s' (approve, unapprove, accept, return)", transition);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db,
            "SELECT r.id, coalesce (r.state, ?2), CAST (coalesce (r.owner_org, r.org_id) AS TEXT), "
            "  CAST (s.org_id AS TEXT) FROM report_submission s "
            "LEFT JOIN report_review r ON r.submission_id = s.id WHERE s.id = ?1 ORDER BY r.id LIMIT 1",
            -1, &stmt, NULL) != SQLITE_OK)
        return fg_errf (errbuf, errsize, "cannot read the submissions: %s", sqlite3_errmsg (db));
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) submission_id);
    sqlite3_bind_text (stmt, 2, flow->initial, -1, SQLITE_STATIC);
    bool found = sqlite3_step (stmt) == SQLITE_ROW;
    uint64_t review = found ? (uint64_t) sqlite3_column_int64 (stmt, 0) : 0;
    char state [32] = "", owner [16] = "", reporter [16] = "";
    if (found) {
        snprintf (state, sizeof state, "%s", sqlite3_column_text (stmt, 1));
        snprintf (owner, sizeof owner, "%s", sqlite3_column_text (stmt, 2) ? (const char *) sqlite3_column_text (stmt, 2) : "");
        snprintf (reporter, sizeof reporter, "%s", sqlite3_column_text (stmt, 3));
    }
    sqlite3_finalize (stmt);
    if (!found)
        return fg_errf (errbuf, errsize, "no submission %llu here (fugai submission list)",
                        (unsigned long long) submission_id);
    if (!review)
        return fg_errf (errbuf, errsize, "submission %llu has no review here (its reporter opens it with "
                        "the submission)", (unsigned long long) submission_id);
    //  As the fold will judge it (fg_merge_rows.c): terminal, who, from
    bool is_owner = streq (self->org, owner);
    bool above = fg_org_contains (self->org, owner) && !is_owner;
    if (fg_schema_in_list (flow->terminal, state, strlen (state)))
        return fg_errf (errbuf, errsize, "submission %llu is %s: its review is over (the reporter sends a "
                        "new version)", (unsigned long long) submission_id, state);
    if (!((step->who & FG_WHO_OWNER && is_owner) || (step->who & FG_WHO_ABOVE && above)))
        return fg_errf (errbuf, errsize, "%s of submission %llu: it is held by %s; %s may %s it only as %s",
                        transition, (unsigned long long) submission_id, owner, self->org, transition,
                        step->who == FG_WHO_ABOVE ? "a unit above the holder"
                        : step->who == FG_WHO_OWNER ? "its holder" : "its holder or a unit above");
    if (!streq (step->from, "*") && !fg_schema_in_list (step->from, state, strlen (state)))
        return fg_errf (errbuf, errsize, "%s of submission %llu: it is %s, and %s follows only %s",
                        transition, (unsigned long long) submission_id, state, transition, step->from);
    char target [16] = "";
    if (step->owner == FG_OWNER_DOWN) {
        snprintf (target, sizeof target, "%s", to_owner && *to_owner ? to_owner : reporter);
        if (!fg_org_prefix_len (target) || !fg_org_contains (self->org, target))
            return fg_errf (errbuf, errsize, "return of submission %llu: it goes back to a unit inside %s, "
                            "not '%s'", (unsigned long long) submission_id, self->org, target);
    }
    char review_text [24], today [16], org [16];
    snprintf (review_text, sizeof review_text, "%llu", (unsigned long long) review);
    snprintf (org, sizeof org, "%s", reporter);
    fg_date_format (fg_now_ms () / S_DAY_MS, today);
    fg_kv_t fields [6] = {
        { "org_id", org }, { "review_id", review_text }, { "transition", transition }, { "occurred_on", today }
    };
    size_t count = 4;
    if (*target)
        fields [count++] = (fg_kv_t) { "to_owner_unit", target };
    if (note && *note)
        fields [count++] = (fg_kv_t) { "note", note };
    uint64_t event = 0;
    fg_merge_result_t result;
    if (fg_record_add (replica, "report_review_event", fields, count, author, &event, &result, errbuf, errsize))
        return -1;
    //  What the fold made of it
    if (sqlite3_prepare_v2 (db, "SELECT coalesce (e.rejected, 0), e.reject_reason, r.state FROM report_review_event e "
                            "JOIN report_review r ON r.id = e.review_id WHERE e.id = ?", -1, &stmt, NULL) != SQLITE_OK)
        return fg_errf (errbuf, errsize, "cannot read the review: %s", sqlite3_errmsg (db));
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) event);
    int rc = 0;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        if (sqlite3_column_int (stmt, 0))
            rc = fg_errf (errbuf, errsize, "%s of submission %llu was rejected by the workflow: %s", transition,
                          (unsigned long long) submission_id, sqlite3_column_text (stmt, 1)
                          ? (const char *) sqlite3_column_text (stmt, 1) : "no reason given");
        else
        if (state_after)
            snprintf (state_after, 16, "%s", sqlite3_column_text (stmt, 2) ? (const char *) sqlite3_column_text (stmt, 2) : "");
    }
    else
        rc = fg_errf (errbuf, errsize, "the step of submission %llu is not held after writing it",
                      (unsigned long long) submission_id);
    sqlite3_finalize (stmt);
    return rc;
}

//  -------------------------------------------------------------------------
//  Listing and showing

fg_rows_t *
fg_submission_list (fg_replica_t *replica, const char *org, const char *period, uint64_t schedule_id,
                    char *errbuf, size_t errsize)
{
    const fg_node_t *self = fg_replica_self (replica);
    const char *scope = org ? org : self->org;
    size_t length = fg_org_prefix_len (scope);
    if (!length) {
        fg_errf (errbuf, errsize, "not an org code: '%s'", scope);
        return NULL;
    }
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db,
            "SELECT s.id, coalesce (k.name, CAST (s.schedule_id AS TEXT)), s.period_id, CAST (s.org_id AS TEXT), "
            "  coalesce (o.name_zh, s.reporter_unit, CAST (s.org_id AS TEXT)), coalesce (s.version, 1), "
            "  strftime ('%Y-%m-%d %H:%M', (s.created_hlc >> 16) / 1000, 'unixepoch'), "
            "  coalesce (r.state, 'SUBMITTED'), CAST (coalesce (r.owner_org, s.org_id) AS TEXT) "
            "FROM report_submission s LEFT JOIN report_review r ON r.submission_id = s.id "
            "LEFT JOIN report_schedule k ON k.id = s.schedule_id LEFT JOIN org_unit o ON o.id = s.org_id "
            "WHERE substr (s.org_id, 1, ?1) = ?2 AND (?3 IS NULL OR s.period_id = ?3) "
            "AND (?4 = 0 OR s.schedule_id = ?4) ORDER BY s.created_hlc DESC, s.id DESC", -1, &stmt, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the submissions: %s", sqlite3_errmsg (db));
        return NULL;
    }
    sqlite3_bind_int (stmt, 1, (int) length);
    sqlite3_bind_text (stmt, 2, scope, (int) length, SQLITE_TRANSIENT);
    if (period)
        sqlite3_bind_text (stmt, 3, period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) schedule_id);
    fg_rows_t *rows = fg_rows_new ();
    const char *names [] = { "id", "schedule", "period", "org", "name", "version", "authored", "state",
                             "held_by", "offline_authored" };
    for (size_t i = 0; i < sizeof names / sizeof names [0]; i++)
        fg_rows_column (rows, names [i]);
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        for (int c = 0; c < 9; c++)
            fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, c), c == 0 || c == 5);
        bool offline = fg_submission_offline (replica, (uint64_t) sqlite3_column_int64 (stmt, 0), NULL);
        fg_rows_value (rows, offline ? "OFFLINE_AUTHORED" : "", false);
        fg_rows_row_end (rows);
    }
    sqlite3_finalize (stmt);
    return rows;
}

//  Rows of (key, value, value, delta) for two JSON objects of integers
typedef struct {
    fg_rows_t  *rows;
    const char *now;
} s_compare_t;

//  The integer after "key": in a flat JSON object of integers
static bool
s_json_int (const char *json, const char *key, size_t key_size, int64_t *value)
{
    char pattern [160];
    snprintf (pattern, sizeof pattern, "\"%.*s\":", (int) key_size, key);
    const char *at = json ? strstr (json, pattern) : NULL;
    if (!at)
        return false;
    *value = strtoll (at + strlen (pattern), NULL, 10);
    return true;
}

static void
s_number (fg_rows_t *rows, int64_t value)
{
    char text [32];
    snprintf (text, sizeof text, "%lld", (long long) value);
    fg_rows_value (rows, text, true);
}

//  figures: key, submitted, now, delta for every key of `then` (and of
//  `now` not in then)
static void
s_compare (fg_rows_t *rows, const char *then, const char *now)
{
    for (int pass = 0; pass < 2; pass++) {
        const char *json = pass == 0 ? then : now, *other = pass == 0 ? now : then;
        const char *at = json;
        while (at && (at = strchr (at, '"'))) {
            const char *end = strchr (at + 1, '"');
            if (!end || end [1] != ':')
                break;
            const char *key = at + 1;
            size_t size = (size_t) (end - key);
            int64_t value = strtoll (end + 2, NULL, 10), theirs = 0;
            bool there = s_json_int (other, key, size, &theirs);
            at = end + 2;
            if (pass == 1 && there)
                continue;               //  listed in the first pass
            char name [160];
            snprintf (name, sizeof name, "%.*s", (int) size, key);
            fg_rows_value (rows, name, false);
            int64_t before = pass == 0 ? value : 0, after = pass == 0 ? (there ? theirs : 0) : value;
            if (pass == 0) s_number (rows, before); else fg_rows_null (rows);
            if (pass == 1 || there) s_number (rows, after); else fg_rows_null (rows);
            s_number (rows, after - before);
            fg_rows_row_end (rows);
        }
    }
}

fg_rows_t **
fg_submission_show (fg_replica_t *replica, uint64_t submission_id, size_t *count_p, char *errbuf, size_t errsize)
{
    *count_p = 0;
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db,
            "SELECT s.id, s.schedule_id, coalesce (k.name, ''), s.period_id, CAST (s.org_id AS TEXT), "
            "  coalesce (o.name_zh, s.reporter_unit, ''), coalesce (s.version, 1), s.created_by, s.created_hlc, "
            "  coalesce (s.frontier, '{}'), coalesce (s.aggregates, '{}'), coalesce (s.narrative, ''), "
            "  coalesce (k.template_id, ''), r.id, coalesce (r.state, 'SUBMITTED'), "
            "  CAST (coalesce (r.owner_org, s.org_id) AS TEXT), "
            "  strftime ('%Y-%m-%d %H:%M:%S', (s.created_hlc >> 16) / 1000, 'unixepoch') "
            "FROM report_submission s LEFT JOIN report_review r ON r.submission_id = s.id "
            "LEFT JOIN report_schedule k ON k.id = s.schedule_id LEFT JOIN org_unit o ON o.id = s.org_id "
            "WHERE s.id = ? ORDER BY r.id LIMIT 1", -1, &stmt, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the submissions: %s", sqlite3_errmsg (db));
        return NULL;
    }
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) submission_id);
    if (sqlite3_step (stmt) != SQLITE_ROW) {
        sqlite3_finalize (stmt);
        fg_errf (errbuf, errsize, "no submission %llu here (fugai submission list)", (unsigned long long) submission_id);
        return NULL;
    }
#define S_TEXT(c) ((const char *) sqlite3_column_text (stmt, c) ? (const char *) sqlite3_column_text (stmt, c) : "")
    char period [16], org [16], reports [256];
    snprintf (period, sizeof period, "%s", S_TEXT (3));
    snprintf (org, sizeof org, "%s", S_TEXT (4));
    snprintf (reports, sizeof reports, "%s", S_TEXT (12));
    char *then_frontier = strdup (S_TEXT (9)), *then_figures = strdup (S_TEXT (10));
    uint64_t review = (uint64_t) sqlite3_column_int64 (stmt, 13);
    int64_t gap = 0;
    bool offline = fg_submission_offline (replica, submission_id, &gap);

    fg_rows_t **sections = (fg_rows_t **) calloc (4, sizeof (fg_rows_t *));
    assert (sections);
    fg_rows_t *rows = sections [0] = fg_rows_new ();
    fg_rows_meta_set (rows, "section", "submission");
    fg_rows_column (rows, "field");
    fg_rows_column (rows, "value");
    const struct { const char *name; int column; } fields [] = {
        { "id", 0 }, { "schedule_id", 1 }, { "schedule", 2 }, { "period", 3 }, { "org", 4 }, { "name", 5 },
        { "version", 6 }, { "author_node", 7 }, { "authored", 16 }, { "state", 14 }, { "held_by", 15 },
        { "narrative", 11 }
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields [0]; i++) {
        fg_rows_value (rows, fields [i].name, false);
        fg_rows_value (rows, S_TEXT (fields [i].column), false);
        fg_rows_row_end (rows);
    }
    fg_rows_value (rows, "offline_authored", false);
    char text [96];
    snprintf (text, sizeof text, offline ? "OFFLINE_AUTHORED (reached its parent %lld min after)" : "no",
              (long long) (gap / 60000));
    fg_rows_value (rows, text, false);
    fg_rows_row_end (rows);
    sqlite3_finalize (stmt);
#undef S_TEXT

    //  The figures recomputed here, now, against the submitted ones
    char *now_frontier = NULL;
    char *now_figures = fg_submission_figures (replica, org, period, reports, 0, &now_frontier, errbuf, errsize);
    if (!now_figures) {
        fg_rows_destroy (&sections [0]);
        free (sections);
        free (then_frontier);
        free (then_figures);
        return NULL;
    }
    rows = sections [1] = fg_rows_new ();
    fg_rows_meta_set (rows, "section", "figures");
    fg_rows_column (rows, "figure");
    fg_rows_column (rows, "submitted");
    fg_rows_column (rows, "now");
    fg_rows_column (rows, "delta");
    s_compare (rows, then_figures, now_figures);
    rows = sections [2] = fg_rows_new ();
    fg_rows_meta_set (rows, "section", "frontier");
    fg_rows_column (rows, "origin");
    fg_rows_column (rows, "submitted");
    fg_rows_column (rows, "now");
    fg_rows_column (rows, "delta");
    s_compare (rows, then_frontier, now_frontier);
    free (then_frontier);
    free (then_figures);
    free (now_frontier);
    free (now_figures);

    rows = sections [3] = fg_rows_new ();
    fg_rows_meta_set (rows, "section", "steps");
    const char *names [] = { "id", "transition", "by", "on", "state_after", "rejected", "note" };
    for (size_t i = 0; i < sizeof names / sizeof names [0]; i++)
        fg_rows_column (rows, names [i]);
    if (sqlite3_prepare_v2 (db,
            "SELECT id, transition, created_by, strftime ('%Y-%m-%d %H:%M', (created_hlc >> 16) / 1000, 'unixepoch'), "
            "  state_after, CASE WHEN coalesce (rejected, 0) THEN coalesce (reject_reason, 'rejected') END, note "
            "FROM report_review_event WHERE review_id = ? ORDER BY created_hlc, id", -1, &stmt, NULL) == SQLITE_OK) {
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) review);
        while (sqlite3_step (stmt) == SQLITE_ROW) {
            for (int c = 0; c < 7; c++) {
                const char *value = (const char *) sqlite3_column_text (stmt, c);
                if (value)
                    fg_rows_value (rows, value, c == 0 || c == 2);
                else
                    fg_rows_null (rows);
            }
            fg_rows_row_end (rows);
        }
    }
    sqlite3_finalize (stmt);
    *count_p = 4;
    return sections;
}
