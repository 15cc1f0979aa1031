/*  fg_web_html.c - HTML out: escaping, the page frame, tables of rows,
    the labels in Chinese and English, and the stylesheet. Every text that
    comes from the replica, a form or an address goes through fg_web__esc. */
#include "fg_web_int.h"
#include "fg_util.h"
#include "fg_household.h"

typedef struct {
    const char *key, *zh, *en;
} s_label_t;

//  Words of the pages, then columns, then enum values
static const s_label_t s_labels [] = {
    { "console", "覆盖工作控制台", "fugai console" },
    { "login", "登录", "Log in" },
    { "logout", "退出", "Log out" },
    { "account", "账号", "Account" },
    { "password", "密码", "Password" },
    { "login_failed", "账号或密码不对，或账号已停用。", "Wrong account or password, or the account is disabled." },
    { "home", "查找农户", "Find a household" },
    { "search", "查找", "Search" },
    { "search_hint", "户主姓名或户口簿号", "head's name or register number" },
    { "no_match", "没有找到。", "Nothing found." },
    { "worklist", "待办事项", "Worklist" },
    { "operator", "运行状态", "Operator" },
    { "household", "农户", "Household" },
    { "members", "家庭成员", "Members" },
    { "cadres", "结对干部", "Paired cadre" },
    { "visits", "走访记录", "Visits" },
    { "triggers", "必访事项", "Must-visit triggers" },
    { "assistance", "帮扶记录", "Assistance" },
    { "appeals", "诉求", "Appeals" },
    { "none", "无", "None" },
    { "record_visit", "登记走访", "Record a visit" },
    { "save", "保存", "Save" },
    { "print", "打印（A4）", "Print (A4)" },
    { "saved", "已保存。", "Saved." },
    { "refused", "没有保存：", "Not saved: " },
    { "fix_fields", "请改正标出的项目后再保存，已填内容都保留着。",
      "Correct the marked fields and save again; what you typed is kept." },
    { "required", "必填", "required" },
    { "yuan", "元", "yuan" },
    { "choose", "— 请选择 —", "— choose —" },
    { "unpaired", "超过宽限期仍未结对的农户", "Households unpaired past the grace" },
    { "directives_to_ack", "待回执的指令", "Directives to acknowledge" },
    { "acknowledge", "回执", "Acknowledge" },
    { "read_only", "您的账号只能查看，不能录入。", "Your account may read, not write." },
    { "daemon", "守护进程", "Daemon" },
    { "daemon_up", "运行中（本页面由它提供）", "up (it serves this page)" },
    { "links", "链路", "Links" },
    { "waiting_up", "待上传条目", "Entries waiting to go up" },
    { "waiting_down", "待下发条目", "Entries waiting to go down" },
    { "quarantine", "被拒收的条目", "Refused entries" },
    { "counts", "统计", "Counts" },
    { "what_to_do", "怎么办", "What to do" },
    { "node", "节点", "Node" },
    { "never", "从未", "never" },
    //  Oversight (fg_web_oversight.c)
    { "oversight", "总览", "Oversight" },
    { "drill", "逐级查看", "Drill down" },
    { "directives", "指令", "Directives" },
    { "findings", "问题清单", "Findings" },
    { "reports", "报表", "Reports" },
    { "more", "更多", "More" },
    { "VIOLATED", "违反（VIOLATED）", "VIOLATED" },
    { "PENDING_SYNC", "待同步（PENDING_SYNC）", "PENDING_SYNC" },
    { "pending_hint", "证据可能在尚未同步的下级节点上，链路恢复后重新判断",
      "the evidence may sit on a node below not yet synced; judged again once it is" },
    { "all", "全部", "all" },
    { "findings_at", "依据本节点所持数据计算于", "computed from what this node holds at" },
    { "as_of", "截至", "as of" },
    { "scope", "范围", "scope" },
    { "shown_of", "已显示", "shown" },
    { "period", "统计期", "Period" },
    { "period_hint", "2026、2026H1、2026Q4、2026-11、2026-W48 或某一天", "2026, 2026H1, 2026Q4, 2026-11, 2026-W48 or a day" },
    { "show", "查看", "Show" },
    { "total", "合计", "Total" },
    { "households", "农户", "Households" },
    { "issue_directive", "下达指令", "Issue a directive" },
    { "issue", "下达", "Issue" },
    { "issued", "指令已下达，将随同步发往对象节点。", "Issued; it travels to its targets with the sync." },
    { "target", "下达对象", "target" },
    { "whole_subtree", "本辖区全部：", "the whole subtree: " },
    { "directives_issued", "指令及回执", "Directives and their acknowledgements" },
    { "township_acks", "指令由县、州下达；本节点在待办事项里回执：", "Directives are issued by counties and the prefecture; this node acknowledges them in its" },
    { "may_not_direct", "只有审核员或管理员账号可以下达指令。", "Only a reviewer or an administrator account may issue directives." },
    //  Roles of the accounts (fg_account.h), in the header
    { "role_clerk", "办事员", "clerk" },
    { "role_reviewer", "审核员", "reviewer" },
    { "role_admin", "管理员", "administrator" },
    //  The pairing plan (fg_web_plan.c)
    { "plan", "结对方案", "Pairing plan" },
    { "group_by", "分组", "Grouped by" },
    { "by_default", "下一级", "one level down" },
    { "prefecture", "州", "prefecture" },
    { "county", "县", "county" },
    { "township", "乡镇", "township" },
    { "village", "村", "village" },
    { "plan_summary", "方案概要", "The plan" },
    { "plan_version", "版本", "version" },
    { "cycle_year", "年度", "programme year" },
    { "cadres_in", "干部", "cadres" },
    { "plan_pairs", "结对", "pairs" },
    { "kept", "保持", "kept" },
    { "added_or_changed", "新结对（含更换）", "new (changed included)" },
    { "ended", "结束", "ended" },
    { "unpaired_left", "无干部可结对的农户", "households left unpaired" },
    { "plan_hash", "方案校验值", "plan hash" },
    { "by_township", "按乡镇", "By township" },
    { "by_village", "按村", "By village" },
    { "plan_changes", "变化清单（保持不变的未列出）", "What changes (kept pairs not listed)" },
    { "plan_list", "全部结对", "Every pair" },
    { "show_kept", "也列出保持不变的结对", "list the kept pairs too" },
    { "shown_first", "只显示前", "showing the first" },
    { "publish_plan", "发布方案", "Publish the plan" },
    { "publish", "发布", "Publish" },
    { "may_not_publish", "只有审核员或管理员账号可以发布结对方案。", "Only a reviewer or an administrator account may publish a plan." },
    { "confirm_publish", "我已审阅上述变化，确认发布（发布后各乡镇按方案调整结对，不能撤回，只能发布新版本）",
      "I have reviewed the changes above and publish the plan (townships apply it; it cannot be withdrawn, only replaced by a new version)" },
    { "accept_deficit", "明知有农户无干部可结对仍发布（向州里申请选派干部）", "publish although households are left unpaired (ask the prefecture for cadres)" },
    { "confirm_missing", "没有发布：请勾选确认后再发布。", "Not published: tick the confirmation first." },
    { "plan_changed", "没有发布：审阅之后又到了新的记录，方案已有变化。请审阅下面的新方案后再发布。",
      "Not published: records arrived since the review and the plan changed. Review the new plan below, then publish." },
    { "not_published", "没有发布：", "Not published: " },
    { "plan_published", "方案已发布，版本", "Published: version" },
    { "dry_run", "试算", "Dry run" },
    { "dry_run_hint", "试算只计算、不写入：按本节点现有的农户、干部和结对，算出新方案与现有结对的差别。",
      "A dry run computes and writes nothing: the plan from the households, cadres and pairs this node holds, against the pairs in force." },
    { "plan_county_only", "结对方案由县里编制和发布；这里可以看覆盖情况：", "Pairing plans are computed and published by counties; coverage is here:" },
    { "report.coverage", "结对认亲覆盖与走访", "Pairing coverage and visits" },
    { "report.assistance", "爱心帮扶", "Assistance" },
    { "report.appeals", "群众诉求", "Appeals" },
    { "report.branches", "共建共创（支部结对）", "Party branches" },
    { "report.directives", "指令落实", "Directives" },
    { "report.links", "下级节点同步情况", "Links below" },
    { "report.temples", "同心同向（寺庙联系）", "Temples" },
    { "about.coverage", "各单位结对覆盖率、统计期内走访，及各干部结对户数", "" },
    { "about.assistance", "困难群众、统计期内的帮扶次数与金额", "" },
    { "about.appeals", "各单位诉求（未办结、超期、已办结）及各状态数", "" },
    { "about.branches", "村党支部与机关支部结对、共建活动", "" },
    { "about.directives", "每条指令各对象节点的回执与完成情况", "" },
    { "about.links", "下级各节点：最新条目、最近联系、落后多久", "" },
    { "about.temples", "宗教活动场所：联系干部、统计期内的联系与走访", "" },
    { "cadre_name", "结对干部", "paired cadre" },
    { "last_visit", "最近走访", "last visit" },
    { "rule", "规则", "rule" },
    { "severity", "级别", "severity" },
    { "subject", "对象", "subject" },
    { "org", "单位", "org" },
    { "paired", "结对情况", "paired" },
    { "REPORT", "报告", "report" },
    { "HARD", "强制", "hard" },
    { "due", "期限", "due" },
    { "evidence", "依据", "evidence" },
    { "waiting_for", "等待的节点", "waiting for" },
    { "body", "正文", "text" },
    { "issuer_unit", "下达单位", "issuing office" },
    { "effective_on", "生效日期", "effective from" },
    { "requires_ack", "需要回执", "acknowledgement required" },
    { "requires_report", "需要报告", "report required" },
    { "work_arrangement", "工作部署", "work arrangement" },
    { "temple_contact_assignment", "寺庙联系安排", "temple contact assignment" },
    { "branch_pairing_assignment", "支部结对安排", "branch pairing assignment" },
    { "festival_campaign", "节日活动", "festival campaign" },
    { "disaster_trigger", "灾害响应", "disaster response" },
    { "rectification", "限期整改", "rectification" },
    { "data_correction", "数据更正", "data correction" },
    { "parameter_update", "参数调整", "parameter update" },
    { "key_rotation", "密钥更换", "key rotation" },
    { "pairing_plan", "结对方案", "pairing plan" },
    //  Columns
    { "id", "编号", "id" },
    { "head_name", "户主", "head" },
    { "hukou_no", "户口簿号", "register no." },
    { "org_id", "所属单位", "org" },
    { "group_name", "村民小组", "group" },
    { "size", "人口", "size" },
    { "status", "状态", "status" },
    { "economy", "经济类型", "economy" },
    { "valid_from", "登记日期", "registered" },
    { "name", "姓名", "name" },
    { "name_bo", "藏文名", "Tibetan name" },
    { "gender", "性别", "gender" },
    { "birth_date", "出生日期", "born" },
    { "relation_to_head", "与户主关系", "relation to head" },
    { "pairing_id", "结对编号", "pairing" },
    { "cadre_id", "走访干部", "cadre" },
    { "cadre", "干部", "cadre" },
    { "phone", "电话", "phone" },
    { "role", "结对类型", "role" },
    { "provisional", "临时结对", "provisional" },
    { "occurred_on", "日期", "date" },
    { "kind", "类型", "kind" },
    { "must_visit_category", "必访类别", "must-visit category" },
    { "trigger_id", "对应必访事项", "must-visit trigger" },
    { "duration_min", "时长（分钟）", "minutes" },
    { "in_person", "当面走访", "in person" },
    { "activities", "活动内容", "activities" },
    { "problems_raised", "反映的问题", "problems raised" },
    { "help_given_fen", "帮扶金额（元）", "help given (yuan)" },
    { "notes", "备注", "notes" },
    { "author", "录入人", "by" },
    { "voided", "已作废", "void" },
    { "pair", "结对关系", "pair" },
    { "current", "当前结对干部", "current pair" },
    { "visit_by_former_pair", "原结对干部走访", "visit by a former pair" },
    { "not_paired", "非结对干部", "not paired" },
    { "category", "类别", "category" },
    { "due_by", "应访日期", "due by" },
    { "visited", "已走访", "visited" },
    { "type", "类型", "type" },
    { "amount_fen", "金额（元）", "amount (yuan)" },
    { "provider", "提供者", "provider" },
    { "received_on", "受理日期", "received" },
    { "summary", "内容", "summary" },
    { "state", "状态", "state" },
    { "title", "标题", "title" },
    { "due_on", "期限", "due" },
    { "issued_by", "下发节点", "issued by" },
    { "ack_state", "回执状态", "acknowledged" },
    { "origin", "来源节点", "origin" },
    { "seq", "序号", "seq" },
    { "reason", "原因", "reason" },
    { "detail", "详情", "detail" },
    { "received_at", "收到时间", "received" },
    { "relation", "关系", "relation" },
    { "last_contact", "最近联系", "last contact" },
    { "waiting", "待发条目", "waiting" },
    { "error", "最近的问题", "last problem" },
    //  Values
    { "pairing", "结对走访", "pairing" },
    { "must_visit", "必访", "must-visit" },
    { "leader_regular", "领导定期走访", "leader, regular" },
    { "leader_unannounced", "领导随机走访", "leader, unannounced" },
    { "temple", "寺庙走访", "temple" },
    { "festival", "节日走访", "festival" },
    { "seriously_ill", "重病", "seriously ill" },
    { "dropout_unemployed", "辍学失业", "dropout or unemployed" },
    { "sudden_disaster", "突发灾害", "sudden disaster" },
    { "elderly_death", "老人去世", "death of an elder" },
    { "abnormal_thinking", "思想异常", "abnormal thinking" },
    { "major_festival", "重大节日", "major festival" },
    { "yes", "是", "yes" },
    { "no", "否", "no" },
    { "male", "男", "male" },
    { "female", "女", "female" },
    { "primary", "主要", "primary" },
    { "secondary", "次要", "secondary" },
    { "active", "在册", "active" },
    { "farming", "农区", "farming" },
    { "herding", "牧区", "herding" },
    { "semi", "半农半牧", "semi" },
    { "received", "已收到", "received" },
    { "applied", "已执行", "applied" },
    { "completed", "已完成", "completed" },
    { "refused", "拒绝", "refused" },
    { "parent", "上级", "parent" },
    { "child", "下级", "child" },
    { "connected", "已连接", "connected" },
    { "connecting", "连接中", "connecting" },
    { "never connected", "从未连接", "never connected" },
    { NULL, NULL, NULL }
};

const char *
fg_web__t (fg_web_req_t *req, const char *key)
{
    if (!key)
        return "";
    for (const s_label_t *label = s_labels; label->key; label++)
        if (streq (label->key, key))
            return req->en ? label->en : label->zh;
    const char *casework = fg_web__casework_label (req->en, key);
    return casework ? casework : key;
}

void
fg_web__esc (fg_web_req_t *req, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++)
        switch (*p) {
            case '&':  fputs ("&amp;", req->out); break;
            case '<':  fputs ("&lt;", req->out); break;
            case '>':  fputs ("&gt;", req->out); break;
            case '"':  fputs ("&quot;", req->out); break;
            case '\'': fputs ("&#39;", req->out); break;
            default:   fputc (*p, req->out);
        }
}

void
fg_web__printf (fg_web_req_t *req, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vfprintf (req->out, format, args);
    va_end (args);
}

void
fg_web__head (fg_web_req_t *req, const char *title)
{
    const fg_node_t *self = req->web->open ? fg_replica_self (req->web->site.replica) : NULL;
    fg_web__printf (req, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<title>", req->en ? "en" : "zh-CN");
    fg_web__esc (req, title);
    fg_web__printf (req, " · %s</title><link rel=\"stylesheet\" href=\"/static/console.css\">"
                    "</head>\n<body>\n<header class=\"top\"><span class=\"node\">", fg_web__t (req, "console"));
    if (self) {
        //  The unit by its name in the registry (the node's own name
        //  until the registry reaches it), its code and its tier
        char name [256];
        fg_org_unit_name (req->web->site.replica, self->org, name, sizeof name);
        fg_web__esc (req, name);
        fg_web__printf (req, " <small>%s · %s</small>", self->org, fg_web__t (req, fg_tier_name (self->tier)));
    }
    fg_web__printf (req, "</span>\n<nav>");
    if (req->session && req->session->user [0]) {
        fg_web__printf (req, "<a href=\"/\">%s</a> <a href=\"/worklist\">%s</a> <a href=\"/oversight\">%s</a> "
                        "<a href=\"/org\">%s</a> <a href=\"/directives\">%s</a> <a href=\"/plan\">%s</a> <a href=\"/proposals\" id=\"nav-proposals\">%s (%zu)</a> "
                        "<a href=\"/import\">%s</a> <a href=\"/operator\">%s</a> "
                        "<span class=\"user\">", fg_web__t (req, "home"), fg_web__t (req, "worklist"),
                        fg_web__t (req, "oversight"), fg_web__t (req, "drill"), fg_web__t (req, "directives"),
                        fg_web__t (req, "plan"), req->en ? "Proposals" : "提议", fg_web__proposals_pending (req),
                        req->en ? "Import" : "导入", fg_web__t (req, "operator"));
        fg_web__esc (req, req->session->user);
        char role [32];
        snprintf (role, sizeof role, "role_%s", req->session->role);
        fg_web__printf (req, " (%s)</span> <form method=\"post\" action=\"/logout\" class=\"inline\">",
                        fg_web__t (req, role));
        fg_web__csrf (req);
        fg_web__printf (req, "<button type=\"submit\">%s</button></form> ", fg_web__t (req, "logout"));
    }
    fg_web__printf (req, "<a href=\"?lang=%s\" lang=\"%s\">%s</a></nav></header>\n<main>\n<h1>",
                    req->en ? "zh" : "en", req->en ? "zh-CN" : "en", req->en ? "中文" : "English");
    fg_web__esc (req, title);
    fg_web__printf (req, "</h1>\n");
}

void
fg_web__foot (fg_web_req_t *req)
{
    fg_web__printf (req, "</main>\n</body></html>\n");
}

void
fg_web__csrf (fg_web_req_t *req)
{
    if (req->session)
        fg_web__printf (req, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", req->session->csrf);
}

const char *
fg_web__cell (const fg_rows_t *rows, size_t row, const char *name)
{
    for (size_t c = 0; c < fg_rows_column_count (rows); c++)
        if (streq (fg_rows_column_name (rows, c), name))
            return fg_rows_cell (rows, row, c, NULL);
    return NULL;
}

static void s_table (fg_web_req_t *req, const fg_rows_t *rows, const char *link_column,
                     const char *link_prefix, const char *empty, size_t max);

void
fg_web__table (fg_web_req_t *req, const fg_rows_t *rows, const char *link_column,
               const char *link_prefix, const char *empty)
{
    s_table (req, rows, link_column, link_prefix, empty, SIZE_MAX);
}

void
fg_web__section (fg_web_req_t *req, const char *heading, fg_rows_t *rows, const char *err)
{
    fg_web__printf (req, "<section><h2>%s</h2>\n", fg_web__t (req, heading));
    if (!rows)
        fg_web__error (req, err);
    else
        fg_web__table (req, rows, NULL, NULL, "none");
    fg_rows_destroy (&rows);
    fg_web__printf (req, "</section>\n");
}

void
fg_web__table_max (fg_web_req_t *req, const fg_rows_t *rows, size_t max, const char *empty)
{
    s_table (req, rows, NULL, NULL, empty, max);
}

static void
s_table (fg_web_req_t *req, const fg_rows_t *rows, const char *link_column,
         const char *link_prefix, const char *empty, size_t max)
{
    if (!rows || fg_rows_count (rows) == 0) {
        fg_web__printf (req, "<p class=\"empty\">%s</p>\n", fg_web__t (req, empty ? empty : "none"));
        return;
    }
    fg_web__printf (req, "<table>\n<thead><tr>");
    for (size_t c = 0; c < fg_rows_column_count (rows); c++) {
        fg_web__printf (req, "<th>");
        fg_web__esc (req, fg_web__t (req, fg_rows_column_name (rows, c)));
        fg_web__printf (req, "</th>");
    }
    fg_web__printf (req, "</tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < fg_rows_count (rows) && r < max; r++) {
        fg_web__printf (req, "<tr>");
        for (size_t c = 0; c < fg_rows_column_count (rows); c++) {
            bool number = false;
            const char *cell = fg_rows_cell (rows, r, c, &number);
            fg_web__printf (req, number ? "<td class=\"num\">" : "<td>");
            const char *label = fg_web__t (req, cell);
            if (cell && link_column && streq (fg_rows_column_name (rows, c), link_column)) {
                fg_web__printf (req, "<a href=\"%s", link_prefix);
                fg_web__esc (req, cell);
                fg_web__printf (req, "\">");
                fg_web__esc (req, cell);
                fg_web__printf (req, "</a>");
            }
            else
                fg_web__esc (req, cell ? label : "");
            fg_web__printf (req, "</td>");
        }
        fg_web__printf (req, "</tr>\n");
    }
    fg_web__printf (req, "</tbody></table>\n");
}

void
fg_web__report_table (fg_web_req_t *req, const fg_rows_t *rows, const char *css_class,
                      const char *link_prefix, const char *link_suffix, size_t max)
{
    const char *lang = req->en ? "en" : "zh";
    size_t columns = fg_rows_column_count (rows), count = fg_rows_count (rows);
    const char *total = fg_rows_meta (rows, "total_row");
    bool has_total = total && streq (total, "1") && count;
    bool values = fg_rows_meta (rows, "value_labels") != NULL;
    fg_web__printf (req, "<table class=\"%s\">\n<thead><tr>", css_class ? css_class : "rows");
    for (size_t c = 0; c < columns; c++) {
        char key [128];
        snprintf (key, sizeof key, "label.%s.%s", lang, fg_rows_column_name (rows, c));
        const char *heading = fg_rows_meta (rows, key);
        fg_web__printf (req, "<th>");
        fg_web__esc (req, heading ? heading : fg_web__t (req, fg_rows_column_name (rows, c)));
        fg_web__printf (req, "</th>");
    }
    fg_web__printf (req, "</tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < count; r++) {
        bool last = has_total && r + 1 == count;
        if (r >= max && !last)
            continue;
        const char *code = fg_web__cell (rows, r, "code");
        fg_web__printf (req, last ? "<tr class=\"total\">" : "<tr>");
        for (size_t c = 0; c < columns; c++) {
            bool number = false;
            const char *cell = fg_rows_cell (rows, r, c, &number);
            fg_web__printf (req, number ? "<td class=\"n\">" : "<td>");
            if (last && c == 1)
                fg_web__printf (req, "%s ", fg_web__t (req, "total"));
            if (values && cell && *cell && strlen (cell) < 64) {
                char key [96];
                snprintf (key, sizeof key, "value.%s.%s", lang, cell);
                const char *label = fg_rows_meta (rows, key);
                if (label)
                    cell = label;
            }
            //  Codes are digits (checked), so they go into the address as they are
            if (link_prefix && !last && code && strspn (code, "0123456789") == strlen (code) && *code
            &&  streq (fg_rows_column_name (rows, c), "name")) {
                fg_web__printf (req, "<a href=\"%s%s", link_prefix, code);
                fg_web__esc (req, link_suffix ? link_suffix : "");
                fg_web__printf (req, "\">");
                fg_web__esc (req, cell);
                fg_web__printf (req, "</a>");
            }
            else
                fg_web__esc (req, cell ? cell : "");
            fg_web__printf (req, "</td>");
        }
        fg_web__printf (req, "</tr>\n");
    }
    fg_web__printf (req, "</tbody></table>\n");
}

void
fg_web__error (fg_web_req_t *req, const char *text)
{
    fg_web__printf (req, "<p class=\"error\">");
    fg_web__esc (req, text);
    fg_web__printf (req, "</p>\n");
}

void
fg_web__fail (fg_web_req_t *req, unsigned status, const char *zh, const char *en)
{
    //  A page that failed half-way starts again
    fclose (req->out);
    free (req->body);
    req->body = NULL;
    req->size = 0;
    req->out = open_memstream (&req->body, &req->size);
    assert (req->out);
    req->status = status;
    char title [32];
    snprintf (title, sizeof title, "%u", status);
    fg_web__head (req, title);
    fg_web__printf (req, "<p class=\"error\" role=\"alert\">");
    fg_web__esc (req, req->en ? en : zh);
    fg_web__printf (req, "</p>\n<p><a href=\"/\">%s</a></p>\n", fg_web__t (req, "home"));
    fg_web__foot (req);
}

const char *fg_web__css =
    "html { font-family: \"Noto Sans CJK SC\", \"Tibetan Machine Uni\", \"Noto Serif Tibetan\", "
    "\"WenQuanYi Micro Hei\", sans-serif; font-size: 16px; color: #1a1a1a; background: #fafaf7; }\n"
    "body { margin: 0; }\n"
    "header.top { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; "
    "background: #8b1a1a; color: #fff; padding: .5rem 1rem; }\n"
    "header.top a, header.top button { color: #fff; margin-left: .8rem; background: none; border: 0; "
    "font: inherit; text-decoration: underline; cursor: pointer; }\n"
    "header.top small { opacity: .8; margin-left: .5rem; }\n"
    "form.inline { display: inline; }\n"
    "main { padding: 1rem 1.5rem; max-width: 70rem; }\n"
    "h1 { font-size: 1.5rem; margin: .5rem 0 1rem; } h2 { font-size: 1.15rem; margin-top: 1.5rem; "
    "border-bottom: 2px solid #8b1a1a; }\n"
    "table { border-collapse: collapse; width: 100%; margin: .5rem 0; }\n"
    "th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; }\n"
    "th { background: #eee6d8; } td.num { text-align: right; }\n"
    "label { display: block; margin: .6rem 0; } label > span.name { display: inline-block; min-width: 10rem; }\n"
    "input, select, textarea, button { font: inherit; padding: .2rem .4rem; }\n"
    "button { background: #8b1a1a; color: #fff; border: 0; padding: .35rem 1rem; border-radius: 3px; }\n"
    ".error { color: #a00000; font-weight: bold; } .field-error { color: #a00000; margin-left: .5rem; }\n"
    ".ok { color: #1a6a1a; font-weight: bold; } .empty { color: #666; }\n"
    "dl.facts { display: grid; grid-template-columns: 10rem 1fr; gap: .2rem 1rem; }\n"
    "dl.facts dt { color: #555; } dl.facts dd { margin: 0; }\n"
    ".state-bad { color: #a00000; } .state-good { color: #1a6a1a; }\n"
    //  Reports drawn by the rendering layer (fg_render_report, FG_RENDER_FRAGMENT)
    "p.meta { font-size: .85rem; color: #444; overflow-wrap: anywhere; }\n"
    "td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }\n"
    "tr.total td { font-weight: bold; background: #f1ece2; }\n"
    "figure { margin: .5rem 0; } svg.chart { display: block; max-width: 100%; height: auto; }\n"
    "svg .chart-title { font-size: 13px; font-weight: 600; fill: #8b1a1a; }\n"
    "svg .legend, svg .label { font-size: 11px; fill: #222; } svg .value, svg .note { font-size: 10px; fill: #444; }\n"
    "nav.crumbs { margin: .3rem 0 .8rem; } dl.counts dd a { font-size: 1.3rem; font-weight: bold; }\n"
    "form.period { margin: .3rem 0; } form.period label { display: inline; }\n"
    "@page { size: A4; margin: 15mm; }\n"
    "@media print { header.top, form, .noprint { display: none; } main { padding: 0; max-width: none; } "
    "html { background: #fff; font-size: 11pt; } a { color: inherit; text-decoration: none; } }\n";
