/*  fg_web_proposals.c - the proposals held at this node (fg_proposal.h):
    a write a lower node made to a field group a higher tier owns (a
    township marking a household needy, which the county keeps) is kept
    as a proposal for the owning tier. The page lists those pending, by
    name: who proposed it (the account and its node), which row (the
    household's head, a cadre's name), what it changes (old value -> new
    value, field by field), and for a reviewer or an administrator a form
    per proposal that accepts or rejects it, confirmed, with a reason (a
    rejection requires one: it travels back to the township). Decided
    proposals are listed apart, with their decision and reason.

    A clerk sees the page but cannot decide (403 on POST, and the forms
    are not drawn). The domain refuses what the owning tier may not do (a
    proposal for another tier, outside the subtree, decided already) and
    the page says so, keeping the reason typed. Screens: no SQL here. */
#include "fg_web_int.h"
#include "fg_proposal.h"
#include "fg_org.h"
#include "fg_household.h"
#include "fg_util.h"

#define S_DECIDED_SHOWN 200          //  decided proposals listed, newest first

//  One of two texts by language
static const char *
s_l (fg_web_req_t *req, const char *zh, const char *en)
{
    return req->en ? en : zh;
}

//  A column's name for people: the catalogue's label (the programme's
//  language) in Chinese, the console's label otherwise
static const char *
s_column_label (fg_web_req_t *req, const fg_table_t *table, const char *name)
{
    const fg_column_t *column = table ? fg_schema_column (table, name) : NULL;
    if (!req->en && column && column->label)
        return column->label;
    return fg_web__t (req, name);
}

//  A value for people: booleans as yes/no, fen in yuan, enum values labelled
static void
s_value (fg_web_req_t *req, const fg_table_t *table, const char *name, const char *value)
{
    const fg_column_t *column = table ? fg_schema_column (table, name) : NULL;
    if (!value || !*value) {
        fg_web__printf (req, "<span class=\"empty\">%s</span>", s_l (req, "（空）", "(none)"));
        return;
    }
    if (column && column->type == FG_COL_BOOL)
        fg_web__esc (req, fg_web__t (req, streq (value, "1") ? "yes" : "no"));
    else
    if (column && column->type == FG_COL_FEN) {
        long long fen = atoll (value);
        fg_web__printf (req, "%lld.%02lld %s", fen / 100, fen % 100, fg_web__t (req, "yuan"));
    }
    else
        fg_web__esc (req, column && column->type == FG_COL_ENUM ? fg_web__t (req, value) : value);
}

//  The node that proposed or decided, by the unit it serves: "呷拉乡 (town 100 513328100)"
static void
s_node (fg_web_req_t *req, const char *id_text)
{
    fg_node_t node;
    long id = id_text ? atol (id_text) : 0;
    if (id > 0 && id <= 65535 && fg_replica_node (req->web->site.replica, (uint16_t) id, &node, NULL) == 0) {
        //  The unit it serves, by name; the node's own name beside it
        char unit [FG_NAME_MAX + 1];
        fg_org_unit_name (req->web->site.replica, node.org, unit, sizeof unit);
        fg_web__esc (req, unit);
        fg_web__printf (req, " <small>(");
        fg_web__esc (req, node.name);
        fg_web__printf (req, " %s)</small>", node.org);
    }
    else {
        fg_web__printf (req, "%s ", s_l (req, "节点", "node"));
        fg_web__esc (req, id_text ? id_text : "?");
    }
}

//  The row a proposal is about: its name, table and id; a household links
static void
s_row (fg_web_req_t *req, const fg_rows_t *rows, size_t r, const char *row_name)
{
    const char *table = fg_web__cell (rows, r, "table") ?: "";
    const char *row_id = fg_web__cell (rows, r, "row_id") ?: "";
    bool household = streq (table, "household") && *row_id && strspn (row_id, "0123456789") == strlen (row_id);
    if (household)
        fg_web__printf (req, "<a href=\"/household/%s\">", row_id);
    fg_web__esc (req, *row_name ? row_name : s_l (req, "（本节点没有这一行）", "(a row not held here)"));
    if (household)
        fg_web__printf (req, "</a>");
    fg_web__printf (req, " <small>");
    fg_web__esc (req, fg_web__t (req, table));
    fg_web__printf (req, " ");
    fg_web__esc (req, row_id);
    fg_web__printf (req, "</small>");
}

//  The changes of one proposal: field, old -> new
static void
s_changes (fg_web_req_t *req, const char *id, const char *table_name, char *row_name, size_t name_size)
{
    char err [512] = "";
    fg_rows_t *changes = fg_proposal_changes (req->web->site.replica, id, row_name, name_size, err, sizeof err);
    if (!changes) {
        fg_web__error (req, err);
        return;
    }
    const fg_table_t *table = fg_schema_table (table_name);
    fg_web__printf (req, "<table class=\"changes\"><thead><tr><th>%s</th><th>%s</th><th></th><th>%s</th></tr></thead><tbody>\n",
                    s_l (req, "项目", "field"), s_l (req, "原值", "old value"), s_l (req, "提议值", "proposed value"));
    for (size_t c = 0; c < fg_rows_count (changes); c++) {
        const char *field = fg_rows_cell (changes, c, 0, NULL);
        fg_web__printf (req, "<tr><td>");
        fg_web__esc (req, s_column_label (req, table, field));
        fg_web__printf (req, "</td><td class=\"old\">");
        s_value (req, table, field, fg_rows_cell (changes, c, 1, NULL));
        fg_web__printf (req, "</td><td>→</td><td class=\"new\">");
        s_value (req, table, field, fg_rows_cell (changes, c, 2, NULL));
        fg_web__printf (req, "</td></tr>\n");
    }
    fg_web__printf (req, "</tbody></table>\n");
    fg_rows_destroy (&changes);
}

//  The decision form of one proposal (what was typed kept when refused)
static void
s_form (fg_web_req_t *req, const char *id, const char *refused_id, const char *typed_reason)
{
    bool again = refused_id && streq (refused_id, id);
    fg_web__printf (req, "<form method=\"post\" action=\"/proposals\" class=\"record decide\">\n");
    fg_web__csrf (req);
    fg_web__printf (req, "<input type=\"hidden\" name=\"proposal\" value=\"");
    fg_web__esc (req, id);
    fg_web__printf (req, "\"><label><span class=\"name\">%s</span> <input name=\"reason\" maxlength=\"500\" size=\"50\" value=\"",
                    s_l (req, "理由（拒绝时必填，会告知提议的乡镇）", "reason (required to reject: the township is told)"));
    fg_web__esc (req, again && typed_reason ? typed_reason : "");
    fg_web__printf (req, "\"></label>\n<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\"> %s</label>\n"
                    "<button type=\"submit\" name=\"decision\" value=\"accept\">%s</button> "
                    "<button type=\"submit\" name=\"decision\" value=\"reject\">%s</button>\n</form>\n",
                    s_l (req, "我已核对上述变化，确认这一决定（决定随同步下发，不能撤回）",
                         "I have checked the change above and confirm the decision (it travels down; it cannot be withdrawn)"),
                    s_l (req, "同意（按本级的写入生效）", "Accept (applies as this node's write)"),
                    s_l (req, "拒绝", "Reject"));
}

//  Decide a proposal from the form: 0 done, -1 refused (refusal says why)
static int
s_decide (fg_web_req_t *req, const char *id, char *refusal, size_t size)
{
    const char *decision = fg_web__field (req, "decision");
    const char *reason = fg_web__field (req, "reason");
    const char *confirm = fg_web__field (req, "confirm");
    bool accept = decision && streq (decision, "accept");
    if (!decision || (!accept && !streq (decision, "reject"))) {
        snprintf (refusal, size, "%s", s_l (req, "没有决定：请按“同意”或“拒绝”。", "Not decided: press Accept or Reject."));
        return -1;
    }
    if (!confirm || !streq (confirm, "yes")) {
        snprintf (refusal, size, "%s", s_l (req, "没有决定：请先勾选确认。", "Not decided: tick the confirmation first."));
        return -1;
    }
    while (reason && *reason == ' ')
        reason++;
    if (!accept && (!reason || !*reason)) {
        snprintf (refusal, size, "%s", s_l (req, "没有拒绝：拒绝必须写明理由，理由会随同步告知提议的乡镇。",
                                            "Not rejected: a rejection needs a reason, which travels back to the township."));
        return -1;
    }
    char err [512] = "";
    if (fg_proposal_decide (req->web->site.replica, id, accept, reason, req->session->user, err, sizeof err)) {
        snprintf (refusal, size, "%s%s", s_l (req, "没有决定（本节点不能决定这条提议）：", "Not decided: "), err);
        return -1;
    }
    zsys_info ("web: %s %s proposal %s", req->session->user, accept ? "accepted" : "rejected", id);
    return 0;
}

size_t
fg_web__proposals_pending (fg_web_req_t *req)
{
    int64_t count = req->web->open ? fg_proposals_pending (req->web->site.replica) : 0;
    return count > 0 ? (size_t) count : 0;
}

void
fg_web__page_proposals (fg_web_req_t *req)
{
    const char *id = fg_web__field (req, "proposal");
    char refusal [800] = "";
    if (req->post) {
        if (!fg_web__may_direct (req)) {
            fg_web__fail (req, 403, "只有审核员或管理员账号可以同意或拒绝提议；文员账号只能查看。",
                          "only a reviewer or an administrator account may accept or reject a proposal; a clerk may read.");
            return;
        }
        if (!id || strlen (id) > 64) {
            fg_web__fail (req, 400, "没有指明是哪条提议。", "which proposal? The form names none.");
            return;
        }
        if (s_decide (req, id, refusal, sizeof refusal) == 0) {
            const char *decision = fg_web__field (req, "decision");
            req->status = 303;
            req->location = fg_strdupf ("/proposals?decided=%s", streq (decision, "accept") ? "accepted" : "rejected");
            return;
        }
        req->status = 422;
    }
    char err [512] = "";
    fg_rows_t *rows = fg_proposals_rows (req->web->site.replica, "all", err, sizeof err);
    fg_web__head (req, s_l (req, "提议", "Proposals"));
    const char *decided = req->post ? NULL : fg_web__field (req, "decided");
    if (decided && (streq (decided, "accepted") || streq (decided, "rejected")))
        fg_web__printf (req, "<p class=\"ok\" role=\"status\" id=\"decided\">%s</p>\n",
                        streq (decided, "accepted")
                        ? s_l (req, "已同意：提议的值已按本级的写入生效，将随同步发往各级。",
                               "Accepted: the proposed values apply as this node's write and travel with the sync.")
                        : s_l (req, "已拒绝：理由将随同步告知提议的乡镇。",
                               "Rejected: the reason travels back to the township with the sync."));
    if (refusal [0]) {
        fg_web__printf (req, "<p class=\"error\" role=\"alert\" id=\"refusal\">");
        fg_web__esc (req, refusal);
        fg_web__printf (req, "</p>\n");
    }
    fg_web__printf (req, "<p class=\"meta\">%s</p>\n",
                    s_l (req, "下级节点改动了由上级管理的项目（如乡镇标记困难户，该项由县里管理）时，改动不直接生效，"
                              "而作为提议交给管理该项目的一级决定。",
                         "A change a node below made to fields a higher tier keeps (a township marking a household "
                         "needy, which the county keeps) does not apply: it is a proposal for that tier to decide."));
    if (!rows) {
        fg_web__error (req, err);
        fg_web__foot (req);
        return;
    }
    bool may = fg_web__may_direct (req);
    size_t pending = 0, total = fg_rows_count (rows);
    fg_web__printf (req, "<section id=\"pending\"><h2>%s</h2>\n", s_l (req, "待决定的提议", "Pending"));
    if (!may)
        fg_web__printf (req, "<p class=\"empty\" id=\"may-not-decide\">%s</p>\n",
                        s_l (req, "您的账号只能查看提议；同意或拒绝需要审核员或管理员账号。",
                             "Your account may read proposals; a reviewer or an administrator decides them."));
    for (size_t r = 0; r < total; r++) {
        if (!streq (fg_web__cell (rows, r, "state") ?: "", "pending"))
            continue;
        pending++;
        const char *name = fg_web__cell (rows, r, "proposal") ?: "";
        char row_name [256];
        fg_web__printf (req, "<article class=\"proposal\" id=\"p-");
        fg_web__esc (req, name);
        fg_web__printf (req, "\"><h3>%s ", s_l (req, "提议", "Proposal"));
        fg_web__esc (req, name);
        fg_web__printf (req, "</h3>\n<dl class=\"facts\"><dt>%s</dt><dd>", s_l (req, "提议人", "proposed by"));
        fg_web__esc (req, fg_web__cell (rows, r, "author"));
        fg_web__printf (req, " · ");
        s_node (req, fg_web__cell (rows, r, "from_node"));
        fg_web__printf (req, "</dd><dt>%s</dt><dd>", s_l (req, "时间", "when"));
        fg_web__esc (req, fg_web__cell (rows, r, "when"));
        fg_web__printf (req, "</dd><dt>%s</dt><dd class=\"row\">", s_l (req, "对象", "row"));
        //  The changes first: they give the row's name
        FILE *out = req->out;
        char *changes = NULL;
        size_t changes_size = 0;
        req->out = open_memstream (&changes, &changes_size);
        assert (req->out);
        s_changes (req, name, fg_web__cell (rows, r, "table") ?: "", row_name, sizeof row_name);
        fclose (req->out);
        req->out = out;
        s_row (req, rows, r, row_name);
        fg_web__printf (req, "</dd></dl>\n");
        fwrite (changes, 1, changes_size, req->out);
        free (changes);
        char owner [64];
        if (!fg_proposal_owned_here (req->web->site.replica, fg_web__cell (rows, r, "table"),
                                     fg_web__cell (rows, r, "group"), owner, sizeof owner)) {
            //  Held here on its way: the tier that keeps the fields decides
            fg_web__printf (req, "<p class=\"empty not-here\">%s", s_l (req, "这些项目由上级（", "Decided by the tier that keeps these fields ("));
            for (char *tier = strtok (owner, "|"); tier; tier = strtok (NULL, "|"))
                fg_web__printf (req, "%s%s", tier == owner ? "" : "、",
                                streq (tier, "prefecture") ? s_l (req, "州", "prefecture") : fg_web__t (req, tier));
            fg_web__printf (req, "%s</p>\n", s_l (req, "）管理，由其决定；本节点只转交。", "); this node passes it on."));
        }
        else
        if (may)
            s_form (req, name, req->post ? id : NULL, fg_web__field (req, "reason"));
        fg_web__printf (req, "</article>\n");
    }
    if (pending == 0)
        fg_web__printf (req, "<p class=\"empty\">%s</p>\n", s_l (req, "没有待决定的提议。", "No proposal is pending."));
    fg_web__printf (req, "</section>\n<section id=\"decided-list\"><h2>%s</h2>\n", s_l (req, "已决定的提议", "Decided"));
    size_t shown = 0;
    for (size_t back = total; back > 0 && shown < S_DECIDED_SHOWN; back--) {
        size_t r = back - 1;
        const char *state = fg_web__cell (rows, r, "state") ?: "";
        if (streq (state, "pending"))
            continue;
        if (shown++ == 0)
            fg_web__printf (req, "<table class=\"decided\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                            "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
                            s_l (req, "提议", "proposal"), s_l (req, "对象", "row"), s_l (req, "提议内容", "fields"),
                            s_l (req, "决定", "decision"), s_l (req, "决定节点", "decided by"),
                            s_l (req, "日期", "on"), s_l (req, "理由", "reason"));
        char row_name [256] = "", err2 [256];
        fg_rows_t *changes = fg_proposal_changes (req->web->site.replica, fg_web__cell (rows, r, "proposal"),
                                                  row_name, sizeof row_name, err2, sizeof err2);
        fg_rows_destroy (&changes);
        fg_web__printf (req, "<tr class=\"%s\"><td>", state);
        fg_web__esc (req, fg_web__cell (rows, r, "proposal"));
        fg_web__printf (req, "</td><td>");
        s_row (req, rows, r, row_name);
        fg_web__printf (req, "</td><td>");
        fg_web__esc (req, fg_web__cell (rows, r, "fields"));
        fg_web__printf (req, "</td><td class=\"%s\">%s</td><td>", streq (state, "accepted") ? "state-good" : "state-bad",
                        streq (state, "accepted") ? s_l (req, "已同意", "accepted") : s_l (req, "已拒绝", "rejected"));
        s_node (req, fg_web__cell (rows, r, "decided_by"));
        fg_web__printf (req, "</td><td>");
        fg_web__esc (req, fg_web__cell (rows, r, "decided_on"));
        fg_web__printf (req, "</td><td class=\"reason\">");
        fg_web__esc (req, fg_web__cell (rows, r, "reason"));
        fg_web__printf (req, "</td></tr>\n");
    }
    if (shown)
        fg_web__printf (req, "</tbody></table>\n");
    else
        fg_web__printf (req, "<p class=\"empty\">%s</p>\n", fg_web__t (req, "none"));
    fg_web__printf (req, "</section>\n");
    fg_rows_destroy (&rows);
    fg_web__foot (req);
}
