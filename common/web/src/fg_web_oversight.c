/*  fg_web_oversight.c - the county's and the prefecture's pages (they
    show at every node, over that node's subtree): the reports of the
    registry (fg_report.h) drawn by the rendering layer (tables and inline
    SVG charts, as-of day and frontier), the rules' findings with
    PENDING_SYNC counted apart from VIOLATED (fg_rules.h), the drill-down
    prefecture -> county -> township -> village -> household (the coverage
    report one level down, each unit linking to the next, a village's
    households linking to the household page), and the directives: issued
    from a form made from the catalogue's directive table (reviewer or
    administrator), listed with each target's acknowledgement.

    Screens: parse, call the domain, render; no SQL here. Every value that
    comes from a record, a form or an address is escaped. */
#include "fg_web_int.h"
#include "fg_report.h"
#include "fg_rules.h"
#include "fg_household.h"
#include "fg_directive.h"
#include "fg_record.h"
#include "fg_render.h"
#include "fg_org.h"
#include "fg_util.h"

#define S_FINDINGS_SHOWN  500        //  rows of the findings list on one page
#define S_HOUSEHOLDS_SHOWN 2000      //  households of a village (DOMAIN §6.2: at most ~400)

static void s_coverage (fg_web_req_t *req, const fg_rows_t *rows, const char *code, const char *period,
                        const char *err);

static const char *
s_lang (fg_web_req_t *req)
{
    return req->en ? "en" : "zh";
}

//  The node's own org
static const char *
s_self_org (fg_web_req_t *req)
{
    return fg_replica_self (req->web->site.replica)->org;
}

//  The report's period from ?period= (default: this year) into args;
//  the figures are taken as of the period's last day, or today when that
//  is later. false (and the page says why) if the text is not a period.
static bool
s_period (fg_web_req_t *req, fg_report_args_t *args, char *period, size_t size)
{
    const char *text = fg_web__field (req, "period");
    char year [8];
    int64_t today = fg_web__today ();
    char date [16];
    fg_date_format (today, date);
    snprintf (year, sizeof year, "%.4s", date);
    if (!text || !*text)
        text = year;
    if (strlen (text) >= size || fg_report_period (text, &args->from_day, &args->to_day)) {
        fg_web__fail (req, 400, "统计期不对：请填 2026、2026H1、2026Q4、2026-11、2026-11A、2026-W48 或某一天 2026-11-30。",
                      "not a period: give 2026, 2026H1, 2026Q4, 2026-11, 2026-11A, 2026-W48 or a day 2026-11-30.");
        return false;
    }
    snprintf (period, size, "%s", text);
    args->period = period;
    args->as_of_day = args->to_day < today ? args->to_day : today;
    return true;
}

//  An org code of this node's subtree, from the address or ?org=; NULL
//  (and the page says why) if it is not one.
static const char *
s_scope (fg_web_req_t *req, const char *code)
{
    if (!code || !*code)
        return s_self_org (req);
    if (strlen (code) > 12 || fg_org_level (code) == 0) {
        fg_web__fail (req, 400, "单位代码不对（应为 6、9 或 12 位行政区划代码）。",
                      "not an org code (6, 9 or 12 digits of the division code).");
        return NULL;
    }
    if (!fg_org_contains (s_self_org (req), code)) {
        fg_web__fail (req, 403, "这个单位不在本节点的辖区内：本节点只显示自己辖区的数据。",
                      "that unit is outside this node's subtree: a node shows its own subtree only.");
        return NULL;
    }
    return code;
}

//  The org picker of a GET form: the units of this node's subtree by
//  name, two levels down (a prefecture its counties and townships, about
//  200; a county its townships and villages; plain HTML: a select, no
//  script), `org` selected; a unit deeper is reached by the drill-down
#define S_PICKER_UNITS 1000

static void
s_org_picker (fg_web_req_t *req, const char *org)
{
    char err [512] = "";
    fg_rows_t *units = fg_org_units_under (req->web->site.replica, s_self_org (req), fg_org_level (s_self_org (req)) + 2,
                                           S_PICKER_UNITS, err, sizeof err);
    fg_web__printf (req, " <label><span class=\"name\">%s</span> <select name=\"org\" id=\"org-picker\">",
                    fg_web__t (req, "org"));
    for (size_t r = 0; units && r < fg_rows_count (units); r++) {
        const char *code = fg_web__cell (units, r, "code") ?: "";
        int level = fg_org_level (code) - fg_org_level (s_self_org (req));
        char label [FG_NAME_MAX + 64];
        //  Indented by level below the node's own unit
        snprintf (label, sizeof label, "%s%s (%s)", level <= 0 ? "" : level == 1 ? "　" : level == 2 ? "　　" : "　　　",
                  fg_web__cell (units, r, "name") ?: code, code);
        fg_web__option (req, code, label, org);
    }
    fg_web__printf (req, "</select></label>");
    fg_rows_destroy (&units);
}

//  The period form of a report page (GET, keeps what was asked)
static void
s_period_form (fg_web_req_t *req, const char *action, const char *period, const char *org, const char *by)
{
    fg_web__printf (req, "<form method=\"get\" action=\"");
    fg_web__esc (req, action);
    fg_web__printf (req, "\" class=\"period noprint\"><label><span class=\"name\">%s</span> "
                    "<input name=\"period\" maxlength=\"10\" size=\"10\" value=\"",
                    fg_web__t (req, "period"));
    fg_web__esc (req, period);
    fg_web__printf (req, "\"> <small>%s</small></label>", fg_web__t (req, "period_hint"));
    if (org)
        s_org_picker (req, org);
    if (by) {
        //  The grouping: one level below the scope unless chosen
        fg_web__printf (req, " <label><span class=\"name\">%s</span> <select name=\"by\">", fg_web__t (req, "group_by"));
        fg_web__option (req, "", fg_web__t (req, "by_default"), by);
        const char *levels [] = { "county", "township", "village" };
        for (int level = 0; level < 3; level++)
            if (level + 2 >= fg_org_level (org))
                fg_web__option (req, levels [level], fg_web__t (req, levels [level]), by);
        fg_web__printf (req, "</select></label>");
    }
    fg_web__printf (req, "<button type=\"submit\">%s</button></form>\n", fg_web__t (req, "show"));
}

//  A report drawn by the rendering layer (sections only: the console's
//  frame and stylesheet hold them)
static void
s_report_html (fg_web_req_t *req, fg_report_t *report)
{
    fflush (req->out);
    fg_render_report (fg_report_sections (report), fg_report_count (report), FG_FORMAT_HTML,
                      s_lang (req), FG_RENDER_FRAGMENT, req->out);
}

//  -------------------------------------------------------------------------
//  The findings: counts by state, and the list

//  The findings of a scope today (borrowed: the actor keeps the last
//  ones). They are evaluated again when another scope, rule or day is
//  asked, or when the replica took an entry since (its last lsn) -- but
//  at a busy hub entries arrive every few seconds and the rules over a
//  prefecture take seconds, so findings that took t to evaluate are kept
//  for up to 30 t (at most S_FINDINGS_STALE_MS) whatever arrived: the
//  console then spends at most a thirtieth of its time on them, and the
//  page says when they were computed. At a township (milliseconds) that
//  is a fraction of a second.
#define S_FINDINGS_STALE_MS (60 * 1000)

static const fg_findings_t *
s_findings (fg_web_req_t *req, const char *rule, const char *org, char *err, size_t errsize)
{
    fg_web_t *web = req->web;
    char key [sizeof web->findings_key];
    snprintf (key, sizeof key, "%s|%s|%lld", rule ? rule : "", org, (long long) fg_web__today ());
    uint64_t lsn = fg_replica_last_lsn (web->site.replica);
    int64_t now = fg_now_ms ();
    int64_t keep = 30 * web->findings_ms < S_FINDINGS_STALE_MS ? 30 * web->findings_ms : S_FINDINGS_STALE_MS;
    if (web->findings && streq (key, web->findings_key)
    &&  (lsn == web->findings_lsn || now - web->findings_at < keep))
        return web->findings;
    fg_findings_destroy (&web->findings);
    web->findings = fg_rules_evaluate (web->site.replica, rule, org, fg_web__today (), err, errsize);
    snprintf (web->findings_key, sizeof web->findings_key, "%s", web->findings ? key : "");
    web->findings_lsn = lsn;
    web->findings_at = now;
    web->findings_ms = fg_now_ms () - now;
    return web->findings;
}

static void
s_findings_counts (fg_web_req_t *req, const fg_findings_t *findings, const char *org)
{
    size_t violated = fg_findings_count_state (findings, FG_FINDING_VIOLATED);
    size_t pending = fg_findings_count_state (findings, FG_FINDING_PENDING);
    fg_web__printf (req, "<dl class=\"facts counts\"><dt>%s</dt><dd><a id=\"violated\" class=\"state-bad\" "
                    "href=\"/findings?state=violated&amp;org=%s\">%zu</a></dd>"
                    "<dt>%s</dt><dd><a id=\"pending\" href=\"/findings?state=pending&amp;org=%s\">%zu</a> "
                    "<small>%s</small></dd></dl>\n",
                    fg_web__t (req, "VIOLATED"), org, violated, fg_web__t (req, "PENDING_SYNC"), org, pending,
                    fg_web__t (req, "pending_hint"));
    //  When they were computed (they may be kept a while: s_findings)
    time_t at = (time_t) (req->web->findings_at / 1000);
    struct tm tm;
    gmtime_r (&at, &tm);
    char when [32];
    strftime (when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    fg_web__printf (req, "<p class=\"meta\" id=\"findings-at\">%s %s (%lld ms)</p>\n",
                    fg_web__t (req, "findings_at"), when, (long long) req->web->findings_ms);
}

void
fg_web__page_findings (fg_web_req_t *req)
{
    const char *org = s_scope (req, fg_web__field (req, "org"));
    if (!org)
        return;
    const char *state = fg_web__field (req, "state");
    const char *rule = fg_web__field (req, "rule");
    unsigned mask = (1u << FG_FINDING_VIOLATED) | (1u << FG_FINDING_PENDING);
    if (state && streq (state, "violated"))
        mask = 1u << FG_FINDING_VIOLATED;
    else
    if (state && streq (state, "pending"))
        mask = 1u << FG_FINDING_PENDING;
    else
    if (state && *state && !streq (state, "all")) {
        fg_web__fail (req, 400, "状态只能是 violated、pending 或 all。", "state is violated, pending or all.");
        return;
    }
    if (rule && *rule && !fg_rules_find (rule)) {
        fg_web__fail (req, 404, "没有这条规则。", "no such rule.");
        return;
    }
    char err [512] = "";
    const fg_findings_t *findings = s_findings (req, rule && *rule ? rule : NULL, org, err, sizeof err);
    fg_web__head (req, fg_web__t (req, "findings"));
    if (!findings) {
        fg_web__error (req, err);
        fg_web__foot (req);
        return;
    }
    char date [16];
    fg_date_format (fg_web__today (), date);
    fg_web__printf (req, "<p class=\"meta\">%s: ", fg_web__t (req, "as_of"));
    fg_web__esc (req, date);
    fg_web__printf (req, " · %s: ", fg_web__t (req, "scope"));
    fg_web__esc (req, org);
    fg_web__printf (req, "</p>\n");
    s_findings_counts (req, findings, org);
    //  Another unit, by name; the state kept
    fg_web__printf (req, "<form method=\"get\" action=\"/findings\" class=\"period noprint\">"
                    "<input type=\"hidden\" name=\"state\" value=\"%s\">",
                    mask == (1u << FG_FINDING_VIOLATED) ? "violated" : mask == (1u << FG_FINDING_PENDING) ? "pending" : "all");
    if (rule && *rule) {
        fg_web__printf (req, "<input type=\"hidden\" name=\"rule\" value=\"");
        fg_web__esc (req, rule);
        fg_web__printf (req, "\">");
    }
    s_org_picker (req, org);
    fg_web__printf (req, " <button type=\"submit\">%s</button></form>\n", fg_web__t (req, "show"));
    fg_web__printf (req, "<p class=\"noprint\"><a href=\"/findings?state=all&amp;org=%s\">%s</a> · "
                    "<a href=\"/findings?state=violated&amp;org=%s\">%s</a> · "
                    "<a href=\"/findings?state=pending&amp;org=%s\">%s</a></p>\n",
                    org, fg_web__t (req, "all"), org, fg_web__t (req, "VIOLATED"), org,
                    fg_web__t (req, "PENDING_SYNC"));
    fg_rows_t *rows = req->en ? fg_findings_rows (findings, mask) : fg_findings_rows_zh (findings, mask);
    size_t total = fg_rows_count (rows);
    fg_web__table_max (req, rows, S_FINDINGS_SHOWN, "none");
    if (total > S_FINDINGS_SHOWN)
        fg_web__printf (req, "<p class=\"meta\">%s %d / %zu</p>\n", fg_web__t (req, "shown_of"),
                        S_FINDINGS_SHOWN, total);
    fg_rows_destroy (&rows);
    fg_web__foot (req);
}

//  -------------------------------------------------------------------------
//  The overview and the reports

void
fg_web__page_oversight (fg_web_req_t *req)
{
    const char *org = s_self_org (req);
    fg_web__head (req, fg_web__t (req, "oversight"));
    fg_web__printf (req, "<section><h2>%s</h2>\n", fg_web__t (req, "findings"));
    char err [512] = "";
    const fg_findings_t *findings = s_findings (req, NULL, org, err, sizeof err);
    if (!findings) {
        fg_web__error (req, err);
    }
    else
        s_findings_counts (req, findings, org);
    fg_web__printf (req, "</section>\n");
    //  Coverage at a glance: this year, the units one level below
    fg_report_args_t args;
    memset (&args, 0, sizeof args);
    char period [16];
    if (!s_period (req, &args, period, sizeof period))
        return;
    args.org = org;
    args.section = "coverage";
    fg_report_t *report = fg_report_new (req->web->site.replica, "coverage", &args, err, sizeof err);
    s_coverage (req, report ? fg_report_section (report, 0) : NULL, org, period, err);
    fg_report_destroy (&report);
    fg_web__printf (req, "<section><h2>%s</h2>\n<ul class=\"reports\">\n", fg_web__t (req, "reports"));
    for (size_t i = 0; fg_report_name_at (i); i++) {
        char key [64];
        snprintf (key, sizeof key, "report.%s", fg_report_name_at (i));
        fg_web__printf (req, "<li><a href=\"/report/%s\">%s</a> <small>", fg_report_name_at (i),
                        fg_web__t (req, key));
        snprintf (key, sizeof key, "about.%s", fg_report_name_at (i));
        fg_web__esc (req, req->en ? fg_report_about_at (i) : fg_web__t (req, key));
        fg_web__printf (req, "</small></li>\n");
    }
    fg_web__printf (req, "</ul>\n</section>\n<section><h2>%s</h2>\n<p><a href=\"/org/%s\">%s</a> · "
                    "<a href=\"/directives\">%s</a></p>\n</section>\n", fg_web__t (req, "more"), org,
                    fg_web__t (req, "drill"), fg_web__t (req, "directives"));
    fg_web__foot (req);
}

void
fg_web__page_report (fg_web_req_t *req, const char *name)
{
    bool known = false;
    for (size_t i = 0; fg_report_name_at (i); i++)
        known = known || streq (fg_report_name_at (i), name);
    if (!known) {
        fg_web__fail (req, 404, "没有这个报表。", "no such report.");
        return;
    }
    fg_report_args_t args;
    memset (&args, 0, sizeof args);
    char period [16];
    if (!s_period (req, &args, period, sizeof period))
        return;
    const char *org = s_scope (req, fg_web__field (req, "org"));
    if (!org)
        return;
    args.org = org;
    const char *by = fg_web__field (req, "by");
    if (by && *by) {
        args.by = streq (by, "county") ? FG_REPORT_BY_COUNTY : streq (by, "township") ? FG_REPORT_BY_TOWNSHIP
                : streq (by, "village") ? FG_REPORT_BY_VILLAGE : 0;
        if (!args.by || (int) args.by < fg_org_level (org)) {
            fg_web__fail (req, 400, "分组只能是本单位或其下的县、乡镇、村。",
                          "group by county, township or village, at or below the scope.");
            return;
        }
    }
    char err [512] = "";
    fg_report_t *report = fg_report_new (req->web->site.replica, name, &args, err, sizeof err);
    char key [64];
    snprintf (key, sizeof key, "report.%s", name);
    fg_web__head (req, fg_web__t (req, key));
    char action [64];
    snprintf (action, sizeof action, "/report/%s", name);
    s_period_form (req, action, period, org, by ? by : "");
    if (!report) {
        fg_web__printf (req, "<p class=\"error\" role=\"alert\">");
        fg_web__esc (req, err);
        fg_web__printf (req, "</p>\n");
    }
    else
        s_report_html (req, report);
    fg_report_destroy (&report);
    fg_web__foot (req);
}

//  -------------------------------------------------------------------------
//  The drill-down

//  The units from the node's own down to `code`, each linking to its page
static void
s_breadcrumb (fg_web_req_t *req, const char *code, const char *period)
{
    const char *self = s_self_org (req);
    fg_web__printf (req, "<nav class=\"crumbs noprint\" aria-label=\"%s\">", fg_web__t (req, "drill"));
    static const size_t lengths [] = { 6, 9, 12 };
    char unit [16];
    bool first = true;
    for (int level = fg_org_level (self); level <= fg_org_level (code); level++) {
        if (level == fg_org_level (self))
            snprintf (unit, sizeof unit, "%s", self);
        else
            snprintf (unit, sizeof unit, "%.*s", (int) lengths [level - 2], code);
        char name [FG_NAME_MAX + 1];
        fg_org_unit_name (req->web->site.replica, unit, name, sizeof name);
        fg_web__printf (req, "%s<a href=\"/org/%s?period=", first ? "" : " › ", unit);
        fg_web__esc (req, period);
        fg_web__printf (req, "\">");
        fg_web__esc (req, name);
        fg_web__printf (req, "</a>");
        first = false;
    }
    fg_web__printf (req, "</nav>\n");
}

//  The coverage section of a unit: its as-of line, chart and the table
//  of the units one level below, each linking down (a village: itself)
static void
s_coverage (fg_web_req_t *req, const fg_rows_t *rows, const char *code, const char *period, const char *err)
{
    if (!rows) {
        fg_web__printf (req, "<p class=\"error\" role=\"alert\">");
        fg_web__esc (req, err);
        fg_web__printf (req, "</p>\n");
        return;
    }
    fflush (req->out);
    fg_render_report_meta (rows, s_lang (req), req->out);
    int level = fg_org_level (code);
    fg_web__printf (req, "<section id=\"coverage\"><h2>");
    fg_web__esc (req, fg_rows_meta (rows, req->en ? "title.en" : "title.zh"));
    fg_web__printf (req, "</h2>\n");
    if (level < 4) {
        fflush (req->out);
        fg_render_report_chart (rows, s_lang (req), req->out);
    }
    char suffix [32];
    snprintf (suffix, sizeof suffix, "?period=%s", period);
    fg_web__report_table (req, rows, "drill", level < 4 ? "/org/" : NULL, suffix, SIZE_MAX);
    fg_web__printf (req, "</section>\n");
}

void
fg_web__page_org (fg_web_req_t *req, const char *code)
{
    if (!code) {
        req->status = 303;
        req->location = fg_strdupf ("/org/%s", s_self_org (req));
        return;
    }
    code = s_scope (req, code);
    if (!code)
        return;
    fg_report_args_t args;
    memset (&args, 0, sizeof args);
    char period [16];
    if (!s_period (req, &args, period, sizeof period))
        return;
    args.org = code;
    args.section = "coverage";           //  not the cadres: the drill-down shows units
    char err [512] = "";
    fg_replica_t *replica = req->web->site.replica;
    fg_report_t *report = fg_report_new (replica, "coverage", &args, err, sizeof err);
    char name [FG_NAME_MAX + 1], title [FG_NAME_MAX + 64];
    fg_org_unit_name (replica, code, name, sizeof name);
    snprintf (title, sizeof title, "%s · %s", fg_web__t (req, "drill"), name);
    fg_web__head (req, title);
    s_breadcrumb (req, code, period);
    char action [32];
    snprintf (action, sizeof action, "/org/%s", code);
    s_period_form (req, action, period, NULL, NULL);
    s_coverage (req, report ? fg_report_section (report, 0) : NULL, code, period, err);
    //  This unit's reports
    fg_web__printf (req, "<p class=\"noprint reports\">%s:", fg_web__t (req, "reports"));
    for (size_t i = 0; fg_report_name_at (i); i++) {
        char key [64];
        snprintf (key, sizeof key, "report.%s", fg_report_name_at (i));
        fg_web__printf (req, " <a href=\"/report/%s?org=%s&amp;period=", fg_report_name_at (i), code);
        fg_web__esc (req, period);
        fg_web__printf (req, "\">%s</a>", fg_web__t (req, key));
    }
    fg_web__printf (req, "</p>\n");
    if (fg_org_level (code) == 4) {
        //  The last level: the village's households, each to its page
        fg_rows_t *households = fg_household_of_org (replica, code, args.as_of_day, S_HOUSEHOLDS_SHOWN,
                                                     err, sizeof err);
        fg_web__printf (req, "<section id=\"households\"><h2>%s</h2>\n", fg_web__t (req, "households"));
        if (!households) {
            fg_web__error (req, err);
        }
        else
            fg_web__table (req, households, "id", "/household/", "none");
        fg_rows_destroy (&households);
        fg_web__printf (req, "</section>\n");
    }
    fg_report_destroy (&report);
    fg_web__foot (req);
}

//  -------------------------------------------------------------------------
//  Directives: the form (the catalogue's directive table), the list

static bool
s_directive_hidden (const fg_column_t *column)
{
    const char *hidden [] = { "payload_ref", "supersedes_id", NULL };
    if (column->flags & FG_COL_DERIVED)
        return true;
    for (size_t i = 0; hidden [i]; i++)
        if (streq (column->name, hidden [i]))
            return true;
    return false;
}

static bool
s_may_issue_here (fg_web_req_t *req)
{
    fg_tier_t tier = fg_replica_self (req->web->site.replica)->tier;
    return tier == FG_TIER_COUNTY || tier == FG_TIER_PREFECTURE;
}

void
fg_web__page_directives (fg_web_req_t *req)
{
    fg_replica_t *replica = req->web->site.replica;
    char err [512] = "";
    fg_rows_t *targets = fg_directive_targets (replica, err, sizeof err);
    const fg_table_t *table = fg_schema_table ("directive");
    assert (table);
    fg_web_field_t fields [FG_WEB_FIELDS_MAX];
    size_t count = 0;
    for (const fg_column_t *column = table->columns; column->name && count < FG_WEB_FIELDS_MAX; column++) {
        if (s_directive_hidden (column))
            continue;
        fg_web_field_t *field = &fields [count++];
        memset (field, 0, sizeof *field);
        field->column = column;
        field->typed = fg_web__field (req, column->name);
        if (!req->post && !field->typed) {
            if (streq (column->name, "kind"))
                field->typed = "work_arrangement";
            else
            if (streq (column->name, "requires_ack"))
                field->typed = "yes";
        }
    }
    const char *target = fg_web__field (req, "org_id");
    char target_error [256] = "";
    bool refused = false;
    char refusal [700] = "";
    uint64_t issued = 0;
    if (req->post && !fg_web__may_direct (req)) {
        fg_rows_destroy (&targets);
        fg_web__fail (req, 403, "只有审核员或管理员账号可以下达指令。",
                      "only a reviewer or an administrator account may issue directives.");
        return;
    }
    if (req->post && !s_may_issue_here (req)) {
        fg_rows_destroy (&targets);
        fg_web__fail (req, 403, "指令由县、州下达：乡镇在“待办事项”里回执。",
                      "directives are issued by counties and the prefecture: a township acknowledges them in its worklist.");
        return;
    }
    if (req->post) {
        for (size_t i = 0; i < count; i++) {
            fg_web__check_field (req, &fields [i]);
            if (fields [i].error [0])
                refused = true;
        }
        //  The target: one of the choices, inside this node's subtree
        bool listed = false;
        for (size_t r = 0; target && targets && r < fg_rows_count (targets); r++)
            listed = listed || streq (fg_web__cell (targets, r, "code") ?: "", target);
        if (!target || !*target) {
            snprintf (target_error, sizeof target_error, "%s", req->en ? "required" : "必填");
            refused = true;
        }
        else
        if (!listed || fg_org_level (target) == 0 || !fg_org_contains (s_self_org (req), target)) {
            snprintf (target_error, sizeof target_error, "%s",
                      req->en ? "not a unit of this node's subtree: choose one from the list"
                              : "不是本节点辖区内的单位：请从列表中选择");
            refused = true;
        }
        if (refused)
            snprintf (refusal, sizeof refusal, "%s", fg_web__t (req, "fix_fields"));
        else {
            fg_kv_t kv [FG_WEB_FIELDS_MAX + 2];
            size_t n = 0;
            kv [n++] = (fg_kv_t) { "org_id", target };
            for (size_t i = 0; i < count; i++)
                if (fields [i].value)
                    kv [n++] = (fg_kv_t) { fields [i].column->name, fields [i].value };
            if (fg_record_add (replica, "directive", kv, n, req->session->user, &issued, NULL,
                               err, sizeof err)) {
                refused = true;
                snprintf (refusal, sizeof refusal, "%s%s", fg_web__t (req, "refused"), err);
                for (size_t i = 0; i < count; i++)
                    if (strstr (err, fields [i].column->name)) {
                        snprintf (fields [i].error, sizeof fields [i].error, "%s", err);
                        break;
                    }
            }
            else
                zsys_info ("web: %s issued directive %" PRIu64 " to %s", req->session->user, issued, target);
        }
        if (refused)
            req->status = 422;
    }
    for (size_t i = 0; i < count; i++)
        zstr_free (&fields [i].value);
    if (req->post && !refused) {
        //  Post, redirect, get: the list shows the new directive
        fg_rows_destroy (&targets);
        req->status = 303;
        req->location = fg_strdupf ("/directives?issued=%" PRIu64, issued);
        return;
    }
    fg_web__head (req, fg_web__t (req, "directives"));
    if (fg_web__field (req, "issued") && !req->post)
        fg_web__printf (req, "<p class=\"ok\" role=\"status\">%s</p>\n", fg_web__t (req, "issued"));
    if (refused) {
        fg_web__printf (req, "<p class=\"error\" role=\"alert\" id=\"refusal\">");
        fg_web__esc (req, refusal);
        fg_web__printf (req, "</p>\n");
    }
    if (!s_may_issue_here (req))
        fg_web__printf (req, "<p>%s <a href=\"/worklist\">%s</a></p>\n", fg_web__t (req, "township_acks"),
                        fg_web__t (req, "worklist"));
    else
    if (!fg_web__may_direct (req))
        fg_web__printf (req, "<p class=\"empty\">%s</p>\n", fg_web__t (req, "may_not_direct"));
    else {
        fg_web__printf (req, "<section><h2>%s</h2>\n<form method=\"post\" action=\"/directives\" class=\"record directive\">\n",
                        fg_web__t (req, "issue_directive"));
        fg_web__csrf (req);
        fg_web__printf (req, "<label><span class=\"name\">%s *</span> <select name=\"org_id\">",
                        fg_web__t (req, "target"));
        fg_web__option (req, "", fg_web__t (req, "choose"), target);
        for (size_t r = 0; targets && r < fg_rows_count (targets); r++) {
            const char *code = fg_web__cell (targets, r, "code") ?: "";
            char label [FG_NAME_MAX + 64];
            snprintf (label, sizeof label, "%s%s (%s)", r == 0 ? fg_web__t (req, "whole_subtree") : "",
                      fg_web__cell (targets, r, "name") ?: "", code);
            fg_web__option (req, code, label, target);
        }
        fg_web__printf (req, "</select>");
        if (target_error [0]) {
            fg_web__printf (req, " <span class=\"field-error\" id=\"error-org_id\" role=\"alert\">");
            fg_web__esc (req, target_error);
            fg_web__printf (req, "</span>");
        }
        fg_web__printf (req, "</label>\n");
        for (size_t i = 0; i < count; i++)
            fg_web__input (req, &fields [i], NULL, NULL);
        fg_web__printf (req, "<p>* %s</p><button type=\"submit\">%s</button>\n</form>\n</section>\n",
                        fg_web__t (req, "required"), fg_web__t (req, "issue"));
    }
    fg_rows_destroy (&targets);

    //  Every directive this node holds, each target's acknowledgement
    fg_report_args_t args;
    memset (&args, 0, sizeof args);
    //  Every directive issued (one effective within a year included):
    //  from_day 0 would mean "this month" to fg_report_new
    args.from_day = 1;
    args.to_day = fg_web__today () + 366;
    args.as_of_day = fg_web__today ();
    args.period = "all";
    fg_report_t *report = fg_report_new (replica, "directives", &args, err, sizeof err);
    fg_web__printf (req, "<section id=\"issued\"><h2>%s</h2>\n", fg_web__t (req, "directives_issued"));
    if (!report) {
        fg_web__error (req, err);
    }
    else
        s_report_html (req, report);
    fg_report_destroy (&report);
    fg_web__printf (req, "</section>\n");
    fg_web__foot (req);
}
