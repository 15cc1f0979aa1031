/*  fg_web_operator.c - the operator's page: the daemon (up: it serves the
    page), each link as this node last saw it (fg_replica_links), entries
    waiting to go up and down, the counts of what arrived, the children
    silent for more than three days with the bundle procedure, and the
    entries refused here with their reasons in plain words and what to do. */
#include "fg_web_int.h"
#include "fg_household.h"
#include "fg_util.h"

#define S_SILENT_DAYS 3

typedef struct {
    const char *reason, *zh, *en;
} s_advice_t;

static const s_advice_t s_advice [] = {
    { "malformed", "数据损坏（不是有效条目）。无需处理：发送方会重发；反复出现请联系上级运维。",
      "the bytes are not an entry. Nothing to do: the sender resends; if it repeats, call the operators above." },
    { "bad_signature", "签名与来源节点的密钥不符。请核对该节点的证书（fugai enroll / trust）。",
      "the signature does not match the origin's key: check that node's certificate (fugai enroll / trust)." },
    { "outside_sender", "下级发来了不属于其辖区的条目。请检查该下级节点的配置。",
      "a child sent an entry of an origin outside its subtree: check that child's configuration." },
    { "broken_chain", "条目链断裂。请在上级执行 fugai resync 让其重发。",
      "the chain is broken: ask for a resend (fugai resync NODE)." },
    { "fork", "同一序号出现两个不同的条目（节点可能从旧备份恢复）。请在上级执行 fugai epoch NODE。",
      "two different entries with one seq (a node restored from an old backup?): fugai epoch NODE on its parent." },
    { "chain_stopped", "该来源的链已分叉，不再接收。请在上级执行 fugai epoch NODE。",
      "the origin's chain forked and nothing more is taken: fugai epoch NODE on its parent." },
    { "wrong_epoch", "条目的密钥周期与登记的不符。请核对该节点的证书。",
      "signed under another key epoch than the one enrolled: check that node's certificate." },
    { "revoked", "来源节点的密钥已吊销。如属误操作，请重新登记该节点。",
      "the origin's key was revoked: enroll it again if that was a mistake." },
    { NULL, NULL, NULL }
};

static void
s_ago (fg_web_req_t *req, int64_t ms)
{
    if (!ms) {
        fg_web__printf (req, "%s", fg_web__t (req, "never"));
        return;
    }
    int64_t seconds = (fg_now_ms () - ms) / 1000;
    if (seconds < 120)
        fg_web__printf (req, req->en ? "%llds ago" : "%lld 秒前", (long long) seconds);
    else
    if (seconds < 7200)
        fg_web__printf (req, req->en ? "%lld min ago" : "%lld 分钟前", (long long) seconds / 60);
    else
    if (seconds < 172800)
        fg_web__printf (req, req->en ? "%lld h ago" : "%lld 小时前", (long long) seconds / 3600);
    else
        fg_web__printf (req, req->en ? "%lld days ago" : "%lld 天前", (long long) seconds / 86400);
}

void
fg_web__page_operator (fg_web_req_t *req)
{
    fg_replica_t *replica = req->web->site.replica;
    fg_web__head (req, fg_web__t (req, "operator"));
    fg_web__printf (req, "<dl class=\"facts\"><dt>%s</dt><dd class=\"state-good\">%s</dd>",
                    fg_web__t (req, "daemon"), fg_web__t (req, "daemon_up"));
    fg_counts_t counts;
    if (fg_replica_counts (replica, &counts) == 0)
        fg_web__printf (req, "<dt>%s</dt><dd>%s %llu · %s %llu · %s %llu · %s %llu</dd>",
                        fg_web__t (req, "counts"), req->en ? "entries held" : "条目", 
                        (unsigned long long) counts.log_entries, req->en ? "own seq" : "本节点序号",
                        (unsigned long long) counts.own_seq, req->en ? "buffered" : "等待前序",
                        (unsigned long long) counts.buffered, req->en ? "refused" : "拒收",
                        (unsigned long long) counts.quarantined);
    fg_link_status_t links [256];
    size_t count = fg_replica_links (replica, links, 256);
    uint64_t up = 0, down = 0;
    for (size_t i = 0; i < count; i++)
        if (streq (links [i].relation, "parent"))
            up += links [i].pending;
        else
            down += links [i].pending;
    fg_web__printf (req, "<dt>%s</dt><dd id=\"waiting-up\">%llu</dd><dt>%s</dt><dd id=\"waiting-down\">%llu</dd></dl>\n",
                    fg_web__t (req, "waiting_up"), (unsigned long long) up,
                    fg_web__t (req, "waiting_down"), (unsigned long long) down);

    fg_web__printf (req, "<section><h2>%s</h2>\n", fg_web__t (req, "links"));
    if (count == 0)
        fg_web__printf (req, "<p class=\"empty\">%s</p>\n", fg_web__t (req, "none"));
    else {
        fg_web__printf (req, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                        "<th>%s</th><th>%s</th></tr></thead><tbody>\n", fg_web__t (req, "relation"),
                        fg_web__t (req, "node"), fg_web__t (req, "name"), fg_web__t (req, "state"),
                        fg_web__t (req, "last_contact"), fg_web__t (req, "waiting"), fg_web__t (req, "error"));
        for (size_t i = 0; i < count; i++) {
            fg_link_status_t *link = &links [i];
            bool good = streq (link->state, "connected");
            fg_web__printf (req, "<tr><td>%s</td><td class=\"num\">%u</td><td>", fg_web__t (req, link->relation),
                            link->id);
            fg_web__esc (req, link->name);
            fg_web__printf (req, " <small>%s</small></td><td class=\"%s\">", link->org,
                            good ? "state-good" : "state-bad");
            fg_web__esc (req, fg_web__t (req, link->state));
            if (!streq (link->status, "active"))
                fg_web__printf (req, " [%s]", req->en ? "revoked" : "已吊销");
            fg_web__printf (req, "</td><td>");
            s_ago (req, link->last_contact);
            fg_web__printf (req, "</td><td class=\"num\">%llu</td><td>", (unsigned long long) link->pending);
            fg_web__esc (req, good ? "" : link->error);
            fg_web__printf (req, "</td></tr>\n");
        }
        fg_web__printf (req, "</tbody></table>\n");
    }
    //  Children silent for more than S_SILENT_DAYS: the bundle procedure
    bool heading = false;
    int64_t now = fg_now_ms ();
    for (size_t i = 0; i < count; i++) {
        fg_link_status_t *link = &links [i];
        if (!streq (link->relation, "child") || !streq (link->status, "active")
        ||  (link->last_contact && now - link->last_contact < S_SILENT_DAYS * 86400000LL))
            continue;
        if (!heading) {
            fg_web__printf (req, "<h3>%s</h3>\n<ul class=\"silent\">\n",
                            req->en ? "Children silent for more than 3 days: send their entries by USB stick"
                                    : "超过 3 天没有联系的下级：用 U 盘传送数据");
            heading = true;
        }
        fg_web__printf (req, "<li>%u ", link->id);
        fg_web__esc (req, link->name);
        fg_web__printf (req, req->en ? ": here <code>fugai bundle export FILE --to %u</code>, there "
                                       "<code>fugai bundle import FILE</code>, and the other way back</li>\n"
                                     : "：本节点执行 <code>fugai bundle export 文件 --to %u</code>，到对方执行 "
                                       "<code>fugai bundle import 文件</code>，再反向传回</li>\n", link->id);
    }
    if (heading)
        fg_web__printf (req, "</ul>\n");
    fg_web__printf (req, "</section>\n<section><h2>%s</h2>\n", fg_web__t (req, "quarantine"));
    char err [512];
    fg_rows_t *rows = fg_refused_entries (replica, 200, err, sizeof err);
    if (!rows)
        fg_web__error (req, err);
    else
    if (fg_rows_count (rows) == 0)
        fg_web__printf (req, "<p class=\"empty\">%s</p>\n", fg_web__t (req, "none"));
    else {
        fg_web__printf (req, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>"
                        "</thead><tbody>\n", fg_web__t (req, "origin"), fg_web__t (req, "seq"),
                        fg_web__t (req, "reason"), fg_web__t (req, "detail"), fg_web__t (req, "what_to_do"));
        for (size_t r = 0; r < fg_rows_count (rows); r++) {
            const char *reason = fg_web__cell (rows, r, "reason") ?: "";
            const char *advice = "";
            for (const s_advice_t *a = s_advice; a->reason; a++)
                if (streq (a->reason, reason))
                    advice = req->en ? a->en : a->zh;
            fg_web__printf (req, "<tr><td class=\"num\">");
            fg_web__esc (req, fg_web__cell (rows, r, "origin"));
            fg_web__printf (req, "</td><td class=\"num\">");
            fg_web__esc (req, fg_web__cell (rows, r, "seq"));
            fg_web__printf (req, "</td><td>");
            fg_web__esc (req, reason);
            fg_web__printf (req, "</td><td>");
            fg_web__esc (req, fg_web__cell (rows, r, "detail"));
            fg_web__printf (req, "</td><td>");
            fg_web__esc (req, advice);
            fg_web__printf (req, "</td></tr>\n");
        }
        fg_web__printf (req, "</tbody></table>\n");
    }
    fg_rows_destroy (&rows);
    fg_web__printf (req, "</section>\n");
    fg_web__foot (req);
}
