/*  fg_web_plan.c - the county's pairing plan in the console (DOMAIN §4.6
    steps 3 and 4): a dry run computed from what the county holds
    (fg_pairing_compute), reviewed as counts of pairs kept, changed, added
    and ended by township and by village, then the list of what changes;
    then a confirmation form that publishes it (fg_pairing_publish: one
    transaction) for a reviewer or an administrator.

    What is published is what was reviewed: the form carries the reviewed
    plan's hash, and the plan is computed again on POST; if entries that
    arrived in between changed it, nothing is published and the new plan
    is shown for review. Screens: no SQL here. */
#include "fg_web_int.h"
#include "fg_pairing.h"
#include "fg_rules.h"
#include "fg_render.h"
#include "fg_org.h"
#include "fg_util.h"

#define S_LIST_MAX 1000              //  rows of the list on one page

static void
s_error (fg_web_req_t *req, const char *text)
{
    fg_web__printf (req, "<p class=\"error\" role=\"alert\" id=\"refusal\">");
    fg_web__esc (req, text);
    fg_web__printf (req, "</p>\n");
}

//  The review of a computed plan, and the form that publishes it
static void
s_review (fg_web_req_t *req, fg_pairing_t *plan, const char *effective)
{
    fg_replica_t *replica = req->web->site.replica;
    const fg_pairing_info_t *info = fg_pairing_info (plan);
    const fg_plan_result_t *result = fg_pairing_result (plan);
    char err [512] = "";
    fg_web__printf (req, "<section id=\"summary\"><h2>%s</h2>\n<dl class=\"facts\">", fg_web__t (req, "plan_summary"));
    fg_web__printf (req, "<dt>%s</dt><dd>%lld%s</dd>", fg_web__t (req, "plan_version"), (long long) info->version,
                    info->base_version ? "" : (req->en ? " (the first)" : "（首个方案）"));
    fg_web__printf (req, "<dt>%s</dt><dd>%lld–%lld</dd>", fg_web__t (req, "cycle_year"),
                    (long long) info->cycle_year, (long long) info->cycle_year + 1);
    fg_web__printf (req, "<dt>%s</dt><dd>", fg_web__t (req, "effective_on"));
    fg_web__esc (req, effective);
    fg_web__printf (req, "</dd><dt>%s</dt><dd>%zu · %s %zu</dd>", fg_web__t (req, "households"), info->households,
                    fg_web__t (req, "cadres_in"), info->cadres);
    fg_web__printf (req, "<dt>%s</dt><dd id=\"plan-counts\">%s %zu · %s %zu · %s %zu · %s %zu</dd>",
                    fg_web__t (req, "plan_pairs"), fg_web__t (req, "kept"), info->kept, fg_web__t (req, "added_or_changed"),
                    info->added, fg_web__t (req, "ended"), result->ended_count, fg_web__t (req, "unpaired_left"),
                    result->deficit_count);
    fg_web__printf (req, "<dt>%s</dt><dd><code>", fg_web__t (req, "plan_hash"));
    fg_web__esc (req, info->plan_hash);
    fg_web__printf (req, "</code></dd></dl>\n</section>\n");

    for (int level = 3; level <= 4; level++) {
        fg_rows_t *rows = fg_pairing_review_units (plan, replica, level, err, sizeof err);
        fg_web__printf (req, "<section id=\"by-%s\"><h2>%s</h2>\n", level == 3 ? "township" : "village",
                        fg_web__t (req, level == 3 ? "by_township" : "by_village"));
        if (!rows)
            s_error (req, err);
        else {
            if (level == 3) {
                fflush (req->out);
                fg_render_report_chart (rows, req->en ? "en" : "zh", req->out);
            }
            fg_web__report_table (req, rows, "plan", NULL, NULL, SIZE_MAX);
        }
        fg_rows_destroy (&rows);
        fg_web__printf (req, "</section>\n");
    }
    bool with_kept = fg_web__field (req, "kept") && streq (fg_web__field (req, "kept"), "yes");
    fg_rows_t *list = fg_pairing_review_pairs (plan, replica, with_kept, S_LIST_MAX, err, sizeof err);
    fg_web__printf (req, "<section id=\"changes\"><h2>%s</h2>\n", fg_web__t (req, with_kept ? "plan_list" : "plan_changes"));
    if (!with_kept) {
        fg_web__printf (req, "<p class=\"noprint\"><a href=\"/plan?effective=");
        fg_web__esc (req, effective);
        fg_web__printf (req, "&amp;kept=yes#changes\">%s</a></p>\n", fg_web__t (req, "show_kept"));
    }
    if (!list)
        s_error (req, err);
    else
    if (fg_rows_count (list) == 0)
        fg_web__printf (req, "<p class=\"empty\">%s</p>\n", fg_web__t (req, "none"));
    else {
        fg_web__report_table (req, list, "plan-list", NULL, NULL, SIZE_MAX);
        if (fg_rows_count (list) == S_LIST_MAX)
            fg_web__printf (req, "<p class=\"meta\">%s %d</p>\n", fg_web__t (req, "shown_first"), S_LIST_MAX);
    }
    fg_rows_destroy (&list);
    fg_web__printf (req, "</section>\n");

    //  Publish, once confirmed
    fg_web__printf (req, "<section id=\"publish\"><h2>%s</h2>\n", fg_web__t (req, "publish_plan"));
    if (!fg_web__may_direct (req))
        fg_web__printf (req, "<p class=\"empty\">%s</p>\n", fg_web__t (req, "may_not_publish"));
    else {
        fg_web__printf (req, "<form method=\"post\" action=\"/plan\" class=\"record publish\">\n");
        fg_web__csrf (req);
        fg_web__printf (req, "<input type=\"hidden\" name=\"effective\" value=\"");
        fg_web__esc (req, effective);
        fg_web__printf (req, "\"><input type=\"hidden\" name=\"plan_hash\" value=\"%s\">\n", info->plan_hash);
        fg_web__printf (req, "<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\"> %s</label>\n",
                        fg_web__t (req, "confirm_publish"));
        if (result->deficit_count)
            fg_web__printf (req, "<label><input type=\"checkbox\" name=\"accept_deficit\" value=\"yes\"> %s (%zu)</label>\n",
                            fg_web__t (req, "accept_deficit"), result->deficit_count);
        fg_web__printf (req, "<button type=\"submit\">%s</button>\n</form>\n", fg_web__t (req, "publish"));
    }
    fg_web__printf (req, "</section>\n");
}

void
fg_web__page_plan (fg_web_req_t *req)
{
    fg_replica_t *replica = req->web->site.replica;
    const fg_node_t *self = fg_replica_self (replica);
    if (self->tier != FG_TIER_COUNTY) {
        if (req->post)
            fg_web__fail (req, 403, "结对方案由县里编制和发布。", "a pairing plan is computed and published by a county.");
        else {
            fg_web__head (req, fg_web__t (req, "plan"));
            fg_web__printf (req, "<p>%s <a href=\"/report/coverage\">%s</a></p>\n", fg_web__t (req, "plan_county_only"),
                            fg_web__t (req, "report.coverage"));
            fg_web__foot (req);
        }
        return;
    }
    if (req->post && !fg_web__may_direct (req)) {
        fg_web__fail (req, 403, "只有审核员或管理员账号可以发布结对方案。",
                      "only a reviewer or an administrator account may publish a pairing plan.");
        return;
    }
    //  The effective day: given, else today
    const char *text = fg_web__field (req, "effective");
    int64_t day = fg_web__today ();
    if (text && *text && (strlen (text) != 10 || fg_date_parse (text, &day))) {
        fg_web__fail (req, 400, "生效日期不对（应为 2026-07-01 这样的日期）。",
                      "the effective day is not a date (2026-07-01).");
        return;
    }
    char effective [16];
    fg_date_format (day, effective);
    const char *published = fg_web__field (req, "published");
    bool run = req->post || (fg_web__field (req, "run") || (text && *text));

    fg_pairing_opts_t opts;
    fg_pairing_opts_default (&opts, strtoull (self->org, NULL, 10), day);
    char err [512] = "", refusal [1400] = "";
    fg_pairing_t *plan = NULL;
    if (run)
        plan = fg_pairing_compute (replica, &opts, err, sizeof err);
    if (req->post && plan) {
        const char *reviewed = fg_web__field (req, "plan_hash");
        const char *confirm = fg_web__field (req, "confirm");
        const char *deficit = fg_web__field (req, "accept_deficit");
        if (!confirm || !streq (confirm, "yes"))
            snprintf (refusal, sizeof refusal, "%s", fg_web__t (req, "confirm_missing"));
        else
        if (!reviewed || !streq (reviewed, fg_pairing_info (plan)->plan_hash))
            snprintf (refusal, sizeof refusal, "%s", fg_web__t (req, "plan_changed"));
        else {
            opts.accept_deficit = deficit && streq (deficit, "yes");
            fg_pairing_t *done = fg_pairing_publish (replica, &opts, req->session->user, err, sizeof err);
            if (!done) {
                char zh [sizeof err * 2];
                if (!req->en)
                    fg_rules_text_zh (err, zh, sizeof zh);
                snprintf (refusal, sizeof refusal, "%s%s", fg_web__t (req, "not_published"), req->en ? err : zh);
            }
            else {
                const fg_pairing_info_t *info = fg_pairing_info (done);
                zsys_info ("web: %s published pairing plan %" PRIu64 " (version %lld) of %s",
                           req->session->user, info->plan_id, (long long) info->version, self->org);
                req->status = 303;
                req->location = fg_strdupf ("/plan?published=%lld", (long long) info->version);
                fg_pairing_destroy (&done);
                fg_pairing_destroy (&plan);
                return;
            }
        }
        req->status = streq (refusal, fg_web__t (req, "plan_changed")) ? 409 : 422;
    }
    fg_web__head (req, fg_web__t (req, "plan"));
    if (published && !req->post) {
        char *end = NULL;
        long long version = strtoll (published, &end, 10);
        if (end && !*end && version > 0)
            fg_web__printf (req, "<p class=\"ok\" role=\"status\" id=\"published\">%s %lld</p>\n",
                            fg_web__t (req, "plan_published"), version);
    }
    if (refusal [0])
        s_error (req, refusal);
    fg_web__printf (req, "<form method=\"get\" action=\"/plan\" class=\"period noprint\"><label><span class=\"name\">%s</span> "
                    "<input type=\"date\" name=\"effective\" value=\"%s\"></label> <input type=\"hidden\" name=\"run\" "
                    "value=\"1\"><button type=\"submit\">%s</button></form>\n<p class=\"meta\">%s</p>\n",
                    fg_web__t (req, "effective_on"), effective, fg_web__t (req, "dry_run"), fg_web__t (req, "dry_run_hint"));
    if (run && !plan)
        s_error (req, err);
    else
    if (plan)
        s_review (req, plan, effective);
    fg_pairing_destroy (&plan);
    fg_web__foot (req);
}
