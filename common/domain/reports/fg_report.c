/*  fg_report.c - the report registry and what every report shares: the
    context (scope, period, grouping, the frontier the figures come from),
    sections with their metadata, and the grid of figures per org unit
    (see fg_report.h, fg_report_int.h). */
#include "fg_report_int.h"
#include "fg_pairing.h"

struct _fg_report_t {
    fg_rows_t **sections;
    size_t      count;
};

static const struct {
    const char   *name;
    fg_report_fn *fn;
    const char   *about;
} s_reports [] = {
    { "coverage",   fg_report__coverage,   "pairing coverage and visits in the period, by org unit and by cadre" },
    { "assistance", fg_report__assistance, "vulnerable people, assistance given in the period and its amount" },
    { "appeals",    fg_report__appeals,    "appeals by org unit (open, overdue, closed) and by state" },
    { "branches",   fg_report__branches,   "village party branches paired with organ branches, co-construction activities" },
    { "directives", fg_report__directives, "directives: acknowledgement and completion per target node" },
    { "links",      fg_report__links,      "every node below: last entry held, last heard, how far behind" },
    { "temples",    fg_report__temples,    "religious sites: contact cadres, engagements and visits in the period" },
    { "must-visit", fg_report__must_visit, "six must-visit triggers due in the period: visited in time, overdue, pending sync" },
    { "cadence",    fg_report__cadence,    "periodic reports due in the period: on time, late, missing, offline-authored (R1-R3)" },
    { "commendations", fg_report__commendations, "the year's nominations by state and the awards against the quotas" },
};
#define S_REPORTS (sizeof s_reports / sizeof s_reports [0])

const char *
fg_report_name_at (size_t index)
{
    return index < S_REPORTS ? s_reports [index].name : NULL;
}

const char *
fg_report_about_at (size_t index)
{
    return index < S_REPORTS ? s_reports [index].about : NULL;
}

//  -------------------------------------------------------------------------
//  Periods

//  Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
static int64_t
s_days (int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t
s_month_end (int64_t y, int64_t m)
{
    return (m == 12 ? s_days (y + 1, 1, 1) : s_days (y, m + 1, 1)) - 1;
}

int
fg_report_period (const char *text, int64_t *from_p, int64_t *to_p)
{
    *from_p = *to_p = 0;
    int y = 0, n = 0, consumed = 0;
    char half = 0;
    if (!text || strlen (text) < 4 || strlen (text) > 10)
        return -1;
    if (fg_date_parse (text, from_p) == 0) {
        *to_p = *from_p;
        return 0;
    }
    if (text [0] == 'P' && text [1] == 'Y') {
        //  A programme year: July 1 to June 30 (DOMAIN.md §0)
        if (sscanf (text + 2, "%4d%n", &y, &consumed) != 1 || consumed != 4 || text [6] || y < 1900 || y > 2999)
            return -1;
        *from_p = s_days (y, 7, 1);
        *to_p = s_days (y + 1, 6, 30);
        return 0;
    }
    if (sscanf (text, "%4d%n", &y, &consumed) != 1 || consumed != 4 || y < 1900 || y > 2999)
        return -1;
    const char *rest = text + 4;
    if (!*rest) {
        *from_p = s_days (y, 1, 1);
        *to_p = s_days (y, 12, 31);
        return 0;
    }
    if ((rest [0] == 'H' || rest [0] == 'Q') && rest [1] >= '1' && rest [1] <= '4' && !rest [2]) {
        n = rest [1] - '0';
        int months = rest [0] == 'H' ? 6 : 3;
        if (n > 12 / months)
            return -1;
        *from_p = s_days (y, (n - 1) * months + 1, 1);
        *to_p = s_month_end (y, n * months);
        return 0;
    }
    if (rest [0] == '-' && rest [1] == 'W') {
        if (sscanf (rest + 2, "%2d%n", &n, &consumed) != 1 || consumed != 2 || rest [4] || n < 1 || n > 53)
            return -1;
        //  ISO week 1 holds January 4th; weeks start on Monday
        int64_t jan4 = s_days (y, 1, 4);
        int64_t monday = jan4 - ((jan4 + 3) % 7);         //  1970-01-01 was a Thursday
        *from_p = monday + (n - 1) * 7;
        *to_p = *from_p + 6;
        if (n == 53 && *to_p >= s_days (y + 1, 1, 4) - ((s_days (y + 1, 1, 4) + 3) % 7))
            return -1;                                     //  that year has 52 weeks
        return 0;
    }
    if (rest [0] == '-' && sscanf (rest + 1, "%2d%n", &n, &consumed) == 1 && consumed == 2
    &&  n >= 1 && n <= 12) {
        half = rest [3];
        if (!half) {
            *from_p = s_days (y, n, 1);
            *to_p = s_month_end (y, n);
            return 0;
        }
        if ((half == 'A' || half == 'B') && !rest [4]) {
            *from_p = half == 'A' ? s_days (y, n, 1) : s_days (y, n, 16);
            *to_p = half == 'A' ? s_days (y, n, 15) : s_month_end (y, n);
            return 0;
        }
    }
    return -1;
}

int
fg_report_period_of (const char *type, int64_t day, char id [16], int64_t *from_p, int64_t *to_p)
{
    char date [16];
    fg_date_format (day, date);
    int y = atoi (date), m = atoi (date + 5), d = atoi (date + 8);
    char text [48];
    if (streq (type, "WEEK")) {
        //  The ISO week holds its Thursday, whose year is the week's
        int64_t monday = day - ((day + 3) % 7);
        char thursday [16];
        fg_date_format (monday + 3, thursday);
        int iso_year = atoi (thursday);
        int64_t jan4 = s_days (iso_year, 1, 4);
        int week = (int) ((monday - (jan4 - ((jan4 + 3) % 7))) / 7) + 1;
        snprintf (text, sizeof text, "%04d-W%02d", iso_year, week);
    }
    else
    if (streq (type, "SEMIMONTH"))
        snprintf (text, sizeof text, "%04d-%02d%c", y, m, d <= 15 ? 'A' : 'B');
    else
    if (streq (type, "MONTH"))
        snprintf (text, sizeof text, "%04d-%02d", y, m);
    else
    if (streq (type, "QUARTER"))
        snprintf (text, sizeof text, "%04dQ%d", y, (m - 1) / 3 + 1);
    else
    if (streq (type, "HALFYEAR"))
        snprintf (text, sizeof text, "%04dH%d", y, m <= 6 ? 1 : 2);
    else
    if (streq (type, "YEAR"))
        snprintf (text, sizeof text, "%04d", y);
    else
    if (streq (type, "PROGRAM_YEAR"))
        snprintf (text, sizeof text, "PY%04d", m >= 7 ? y : y - 1);
    else
        return -1;
    if (strlen (text) >= 16)
        return -1;                      //  a year past 9999
    memcpy (id, text, strlen (text) + 1);
    int rc = fg_report_period (id, from_p, to_p);
    assert (rc == 0 && *from_p <= day && day <= *to_p);
    return rc;
}

//  -------------------------------------------------------------------------
//  Sections

void
fg_report__date (int64_t day, char out [16])
{
    fg_date_format (day, out);
}

void
fg_report__org_name (fg_report_ctx_t *ctx, const char *code, char *name, size_t size)
{
    snprintf (name, size, "%s", code);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (fg_replica_db (ctx->replica),
            "SELECT name_zh FROM org_unit WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64 (stmt, 1, strtoll (code, NULL, 10));
    if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
        snprintf (name, size, "%s", sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
}

fg_rows_t *
fg_report__section (fg_report_ctx_t *ctx, const char *report, const char *section,
                    const char *title_zh, const char *title_en, const fg_report_col_t *columns)
{
    fg_rows_t *rows = fg_rows_new ();
    char from [16], to [16], as_of [16];
    fg_report__date (ctx->from_day, from);
    fg_report__date (ctx->to_day, to);
    fg_report__date (ctx->as_of_day, as_of);
    time_t seconds = (time_t) (ctx->now_ms / 1000);
    struct tm tm;
    gmtime_r (&seconds, &tm);
    char computed [32];
    strftime (computed, sizeof computed, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const fg_node_t *self = fg_replica_self (ctx->replica);
    fg_rows_meta_set (rows, "report", report);
    fg_rows_meta_set (rows, "section", section);
    fg_rows_meta_set (rows, "title.zh", title_zh);
    fg_rows_meta_set (rows, "title.en", title_en);
    fg_rows_meta_set (rows, "org", ctx->org);
    fg_rows_meta_set (rows, "org_name", ctx->org_name);
    if (*ctx->period)
        fg_rows_meta_set (rows, "period", ctx->period);
    else
        fg_rows_meta_setf (rows, "period", "%s..%s", from, to);
    fg_rows_meta_set (rows, "from", from);
    fg_rows_meta_set (rows, "to", to);
    fg_rows_meta_set (rows, "as_of", as_of);
    fg_rows_meta_set (rows, "computed_at", computed);
    fg_rows_meta_setf (rows, "node", "%u %s", self->node_id, self->org);
    fg_rows_meta_set (rows, "frontier", ctx->frontier);
    for (const fg_report_col_t *column = columns; column && column->name; column++) {
        fg_rows_column (rows, column->name);
        char key [96];
        snprintf (key, sizeof key, "label.zh.%s", column->name);
        fg_rows_meta_set (rows, key, column->zh);
        snprintf (key, sizeof key, "label.en.%s", column->name);
        fg_rows_meta_set (rows, key, column->en);
    }
    return rows;
}

void
fg_report__chart (fg_rows_t *rows, const char *spec, const char *title_zh, const char *title_en)
{
    fg_rows_meta_set (rows, "chart", spec);
    fg_rows_meta_set (rows, "chart.title.zh", title_zh);
    fg_rows_meta_set (rows, "chart.title.en", title_en);
}

void
fg_report__add (fg_report_t *report, fg_rows_t **rows_p)
{
    report->sections = (fg_rows_t **) realloc (report->sections, (report->count + 1) * sizeof (fg_rows_t *));
    assert (report->sections);
    report->sections [report->count++] = *rows_p;
    *rows_p = NULL;
}

sqlite3_stmt *
fg_report__prepare (fg_report_ctx_t *ctx, const char *sql, char *errbuf, size_t errsize)
{
    sqlite3 *db = fg_replica_db (ctx->replica);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the replica: %s", sqlite3_errmsg (db));
        return NULL;
    }
    int count = sqlite3_bind_parameter_count (stmt);
    if (count >= 1) sqlite3_bind_text (stmt, 1, ctx->prefix, -1, SQLITE_STATIC);
    if (count >= 2) sqlite3_bind_int64 (stmt, 2, ctx->from_day);
    if (count >= 3) sqlite3_bind_int64 (stmt, 3, ctx->to_day);
    if (count >= 4) sqlite3_bind_int64 (stmt, 4, ctx->as_of_day);
    if (count >= 5) sqlite3_bind_int (stmt, 5, ctx->group_len);
    if (count >= 6) sqlite3_bind_int (stmt, 6, ctx->grace_days);
    return stmt;
}

int
fg_report__append (sqlite3_stmt *stmt, fg_rows_t *rows, char *errbuf, size_t errsize)
{
    int rc;
    int columns = sqlite3_column_count (stmt);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        for (int c = 0; c < columns; c++) {
            int type = sqlite3_column_type (stmt, c);
            if (type == SQLITE_NULL)
                fg_rows_null (rows);
            else
                fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, c), type == SQLITE_INTEGER);
        }
        fg_rows_row_end (rows);
    }
    int result = 0;
    if (rc != SQLITE_DONE)
        result = fg_errf (errbuf, errsize, "cannot read the replica: %s",
                          sqlite3_errmsg (sqlite3_db_handle (stmt)));
    sqlite3_finalize (stmt);
    return result;
}

//  -------------------------------------------------------------------------
//  The grid

struct _fg_grid_t {
    fg_report_ctx_t     *ctx;
    const fg_grid_col_t *columns;
    size_t               column_count;
    char               (*codes) [16];
    char               **names;
    int64_t             *values;         //  rows * column_count
    size_t               rows, alloc;
    zhashx_t            *index;          //  code -> row + 1
};

static size_t
s_grid_row (fg_grid_t *self, const char *code, const char *name)
{
    size_t row = (size_t) (uintptr_t) zhashx_lookup (self->index, code);
    if (row)
        return row - 1;
    if (self->rows == self->alloc) {
        self->alloc = self->alloc ? self->alloc * 2 : 64;
        self->codes = realloc (self->codes, self->alloc * sizeof self->codes [0]);
        self->names = (char **) realloc (self->names, self->alloc * sizeof (char *));
        self->values = (int64_t *) realloc (self->values, self->alloc * self->column_count * sizeof (int64_t));
        assert (self->codes && self->names && self->values);
    }
    row = self->rows++;
    snprintf (self->codes [row], 16, "%s", code);
    self->names [row] = name ? strdup (name) : NULL;
    memset (&self->values [row * self->column_count], 0, self->column_count * sizeof (int64_t));
    zhashx_insert (self->index, code, (void *) (uintptr_t) (row + 1));
    return row;
}

fg_grid_t *
fg_report__grid_new (fg_report_ctx_t *ctx, const fg_grid_col_t *columns, char *errbuf, size_t errsize)
{
    fg_grid_t *self = (fg_grid_t *) calloc (1, sizeof (fg_grid_t));
    assert (self);
    self->ctx = ctx;
    self->columns = columns;
    while (columns [self->column_count].name)
        self->column_count++;
    self->index = zhashx_new ();
    sqlite3_stmt *stmt = fg_report__prepare (ctx,
            "SELECT id, name_zh FROM org_unit WHERE substr (id, 1, length (?1)) = ?1 "
            "AND (valid_from IS NULL OR valid_from <= ?4) AND (valid_to IS NULL OR valid_to > ?4) "
            "ORDER BY id", errbuf, errsize);
    if (!stmt) {
        fg_report__grid_destroy (&self);
        return NULL;
    }
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        const char *code = (const char *) sqlite3_column_text (stmt, 0);
        if (code && fg_org_level (code) == (int) ctx->by)
            s_grid_row (self, code, (const char *) sqlite3_column_text (stmt, 1));
    }
    sqlite3_finalize (stmt);
    return self;
}

void
fg_report__grid_destroy (fg_grid_t **self_p)
{
    fg_grid_t *self = *self_p;
    if (self) {
        for (size_t i = 0; i < self->rows; i++)
            free (self->names [i]);
        free (self->names);
        free (self->codes);
        free (self->values);
        zhashx_destroy (&self->index);
        free (self);
        *self_p = NULL;
    }
}

int
fg_report__grid_query (fg_grid_t *self, int first, const char *sql, char *errbuf, size_t errsize)
{
    sqlite3_stmt *stmt = fg_report__prepare (self->ctx, sql, errbuf, errsize);
    if (!stmt)
        return -1;
    int rc, values = sqlite3_column_count (stmt) - 1;
    assert (first >= 0 && first + values <= (int) self->column_count);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        const char *code = (const char *) sqlite3_column_text (stmt, 0);
        if (!code)
            continue;
        size_t row = s_grid_row (self, code, NULL);
        for (int v = 0; v < values; v++)
            self->values [row * self->column_count + first + v] += sqlite3_column_int64 (stmt, v + 1);
    }
    int result = 0;
    if (rc != SQLITE_DONE)
        result = fg_errf (errbuf, errsize, "cannot read the replica: %s",
                          sqlite3_errmsg (fg_replica_db (self->ctx->replica)));
    sqlite3_finalize (stmt);
    return result;
}

void
fg_report__grid_add (fg_grid_t *self, const char *org, int column, int64_t value)
{
    assert (column >= 0 && (size_t) column < self->column_count);
    char code [16];
    snprintf (code, sizeof code, "%.*s", self->ctx->group_len, org);
    size_t row = s_grid_row (self, code, NULL);
    self->values [row * self->column_count + column] += value;
}

static int
s_code_compare (const void *a, const void *b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
s_grid_cells (fg_grid_t *self, fg_rows_t *rows, const int64_t *values)
{
    char text [48];
    for (size_t c = 0; c < self->column_count; c++) {
        const fg_grid_col_t *column = &self->columns [c];
        int64_t value = values [c];
        if (column->kind == FG_GRID_INT)
            snprintf (text, sizeof text, "%lld", (long long) value);
        else
        if (column->kind == FG_GRID_YUAN)
            snprintf (text, sizeof text, "%s%lld.%02lld", value < 0 ? "-" : "",
                      (long long) (llabs (value) / 100), (long long) (llabs (value) % 100));
        else {
            int64_t num = values [column->num], den = values [column->den];
            if (den <= 0) {
                fg_rows_null (rows);
                continue;
            }
            //  Integers only, rounded half up: the same text on every node
            int64_t tenths = ((column->kind == FG_GRID_PCT ? 1000 : 10) * num * 2 + den) / (2 * den);
            snprintf (text, sizeof text, "%lld.%lld", (long long) (tenths / 10), (long long) (tenths % 10));
        }
        fg_rows_value (rows, text, true);
    }
}

fg_rows_t *
fg_report__grid_rows (fg_grid_t *self, const char *report, const char *section,
                      const char *title_zh, const char *title_en)
{
    static const fg_report_col_t s_head [] = {
        { "code", "代码", "code" }, { "name", "名称", "name" }, { .name = NULL }
    };
    fg_rows_t *rows = fg_report__section (self->ctx, report, section, title_zh, title_en, s_head);
    static const char *s_by [] = { "", "prefecture", "county", "township", "village" };
    static const char *s_by_zh [] = { "", "州", "县", "乡镇", "村" };
    fg_rows_meta_set (rows, "by", s_by [self->ctx->by]);
    fg_rows_meta_set (rows, "by.zh", s_by_zh [self->ctx->by]);
    fg_rows_meta_set (rows, "by.en", s_by [self->ctx->by]);
    for (size_t c = 0; c < self->column_count; c++) {
        const fg_grid_col_t *column = &self->columns [c];
        fg_rows_column (rows, column->name);
        char key [96];
        snprintf (key, sizeof key, "label.zh.%s", column->name);
        fg_rows_meta_set (rows, key, column->zh);
        snprintf (key, sizeof key, "label.en.%s", column->name);
        fg_rows_meta_set (rows, key, column->en);
    }
    //  Rows in code order (units found only in the data came last)
    const char **order = (const char **) malloc ((self->rows + 1) * sizeof (char *));
    assert (order);
    for (size_t i = 0; i < self->rows; i++)
        order [i] = self->codes [i];
    qsort (order, self->rows, sizeof (char *), s_code_compare);
    int64_t *totals = (int64_t *) calloc (self->column_count + 1, sizeof (int64_t));
    assert (totals);
    for (size_t i = 0; i < self->rows; i++) {
        size_t row = (size_t) (uintptr_t) zhashx_lookup (self->index, order [i]) - 1;
        char name [FG_NAME_MAX + 1];
        if (self->names [row])
            snprintf (name, sizeof name, "%s", self->names [row]);
        else
            fg_report__org_name (self->ctx, self->codes [row], name, sizeof name);
        fg_rows_value (rows, self->codes [row], false);
        fg_rows_value (rows, name, false);
        s_grid_cells (self, rows, &self->values [row * self->column_count]);
        fg_rows_row_end (rows);
        for (size_t c = 0; c < self->column_count; c++)
            totals [c] += self->values [row * self->column_count + c];
    }
    //  The totals: no code (a unit's row may carry the scope's own code,
    //  for records anchored at the scope itself), the scope's name
    fg_rows_null (rows);
    fg_rows_value (rows, self->ctx->org_name, false);
    s_grid_cells (self, rows, totals);
    fg_rows_row_end (rows);
    fg_rows_meta_set (rows, "total_row", "1");
    free (totals);
    free (order);
    return rows;
}

//  -------------------------------------------------------------------------
//  The report

//  The frontier the figures come from: every origin inside the scope or
//  above it whose entries this node holds.
static char *
s_frontier (fg_report_ctx_t *ctx)
{
    size_t count = 0;
    fg_origin_status_t *origins = fg_replica_origins (ctx->replica, NULL, &count);
    size_t size = 2 + count * 32;
    char *json = (char *) malloc (size);
    assert (json);
    size_t used = (size_t) snprintf (json, size, "{");
    bool first = true;
    for (size_t i = 0; i < count; i++)
        if (origins [i].seq && fg_org_related (ctx->org, origins [i].org)) {
            used += (size_t) snprintf (json + used, size - used, "%s\"%u\":%llu", first ? "" : ",",
                                       origins [i].id, (unsigned long long) origins [i].seq);
            first = false;
        }
    snprintf (json + used, size - used, "}");
    free (origins);
    return json;
}

fg_report_t *
fg_report_new (fg_replica_t *replica, const char *name, const fg_report_args_t *args,
               char *errbuf, size_t errsize)
{
    assert (replica && name && args);
    //  One name, "all", or names separated by commas (a submission's
    //  template): one context, so one frontier for every section
    bool all = streq (name, "all");
    bool wanted [S_REPORTS] = { false };
    const char *next = name;
    while (!all && next) {
        const char *comma = strchr (next, ',');
        size_t length = comma ? (size_t) (comma - next) : strlen (next);
        size_t which = S_REPORTS;
        for (size_t i = 0; i < S_REPORTS; i++)
            if (strlen (s_reports [i].name) == length && memcmp (s_reports [i].name, next, length) == 0)
                which = i;
        if (which == S_REPORTS) {
            fg_errf (errbuf, errsize, "no report '%.*s' (all, coverage, assistance, appeals, branches, "
                     "directives, links, temples, must-visit, cadence, commendations)", (int) length, next);
            return NULL;
        }
        wanted [which] = true;
        next = comma ? comma + 1 : NULL;
    }
    fg_report_ctx_t ctx;
    memset (&ctx, 0, sizeof ctx);
    ctx.replica = replica;
    const char *code = args->org ? args->org : fg_replica_self (replica)->org;
    size_t length = fg_org_prefix_len (code);
    if (!length) {
        fg_errf (errbuf, errsize, "not an org code: '%s'", code);
        return NULL;
    }
    snprintf (ctx.org, sizeof ctx.org, "%s", code);
    snprintf (ctx.prefix, sizeof ctx.prefix, "%.*s", (int) length, code);
    ctx.level = fg_org_level (code);
    ctx.by = args->by ? args->by : (fg_report_by_t) (ctx.level < 4 ? ctx.level + 1 : 4);
    if ((int) ctx.by < ctx.level) {
        fg_errf (errbuf, errsize, "cannot group %s by a level above it", code);
        return NULL;
    }
    ctx.group_len = ctx.by == FG_REPORT_BY_COUNTY ? 6 : ctx.by == FG_REPORT_BY_TOWNSHIP ? 9 : 12;
    ctx.now_ms = args->now_ms ? args->now_ms : fg_now_ms ();
    int64_t today = ctx.now_ms / 86400000;
    ctx.to_day = args->to_day ? args->to_day : today;
    ctx.from_day = args->from_day ? args->from_day : ctx.to_day;
    if (!args->from_day && !args->to_day) {
        //  The month so far
        char date [16];
        fg_date_format (ctx.to_day, date);
        int y = atoi (date), m = atoi (date + 5);
        ctx.from_day = s_days (y, m, 1);
    }
    ctx.as_of_day = args->as_of_day && args->as_of_day < ctx.to_day ? args->as_of_day : ctx.to_day;
    ctx.grace_days = args->grace_days ? args->grace_days : FG_PAIRING_GRACE_DAYS;
    snprintf (ctx.period, sizeof ctx.period, "%s", args->period ? args->period : "");
    ctx.section = args->section;
    fg_report__org_name (&ctx, ctx.org, ctx.org_name, sizeof ctx.org_name);
    ctx.frontier = s_frontier (&ctx);

    fg_report_t *self = (fg_report_t *) calloc (1, sizeof (fg_report_t));
    assert (self);
    int rc = 0;
    for (size_t i = 0; i < S_REPORTS && rc == 0; i++)
        if (all || wanted [i])
            rc = s_reports [i].fn (&ctx, self, errbuf, errsize);
    free (ctx.frontier);
    if (rc)
        fg_report_destroy (&self);
    return self;
}

void
fg_report_destroy (fg_report_t **self_p)
{
    fg_report_t *self = *self_p;
    if (self) {
        for (size_t i = 0; i < self->count; i++)
            fg_rows_destroy (&self->sections [i]);
        free (self->sections);
        free (self);
        *self_p = NULL;
    }
}

size_t
fg_report_count (const fg_report_t *self)
{
    return self->count;
}

const fg_rows_t *
fg_report_section (const fg_report_t *self, size_t index)
{
    return index < self->count ? self->sections [index] : NULL;
}

const fg_rows_t *const *
fg_report_sections (const fg_report_t *self)
{
    return (const fg_rows_t *const *) self->sections;
}
