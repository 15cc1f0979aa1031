/*  fg_rules_zh.c - the rules' evidence, and the pairing plan's refusals,
    in Chinese (fg_rules.h: fg_rules_text_zh).

    The rules write their evidence in English (the CLI, the logs, what
    travels in a report), from a few dozen printf formats. Each format
    has a template here: the English with {} where the format puts a
    value, and the Chinese with {1} {2} ... naming those values in the
    order they came. A text that matches no template is left in English:
    a rule added without its template still says what it found. The
    values are copied as they are (numbers, dates, names, codes), and a
    value that is itself one of the phrases below is translated too. */
#include "fg_rules_int.h"

#define S_CAPTURES 8

typedef struct {
    const char *en, *zh;
} s_template_t;

static const s_template_t s_templates [] = {
    //  M (must-visit, visits)
    { "{} of household {}: no in-person visit{} from {} to {}", "农户 {2} 的必访事项（{1}）：{4} 至 {5} 期间没有{3}当面走访" },
    { "focus household ({}): {} in-person visits in {}, {} due", "重点户（{1}）：{3} 当面走访 {2} 次，应走访 {4} 次" },
    { "household {}: {} in-person visits by its cadre in {}, {} due", "农户 {1}：{3} 结对干部当面走访 {2} 次，应走访 {4} 次" },
    { "names a pairing of household {}, not of the household visited ({})", "所填结对属于农户 {1}，不是被走访的农户（{2}）" },
    { "by a cadre {} before {}", "由 {2} 之前的干部 {1} 走访" },
    //  P (pairing)
    { "registered {}, no primary pairing and no provisional one after {} days (G_new)",
      "{1} 登记，{2} 天（G_new）后仍没有主要结对，也没有临时结对" },
    { "{} holds no household, and the county has as many households as cadres", "{1} 没有结对农户，而全县农户数不少于干部数" },
    { "{} holds {} households, capacity {}", "{1} 结对 {2} 户，超过上限 {3} 户" },
    { "{}'s households lie in {} villages (V_max {})", "{1} 的结对户分布在 {2} 个村（上限 V_max {3}）" },
    //  V (the vulnerable, assistance)
    { "orphan identified {} has no active love pairing after {} days", "{1} 认定的孤儿 {2} 天后仍没有爱心结对" },
    { "negative amount {} fen", "金额为负（{1} 分）" },
    { "reverses record {} of another beneficiary or amount", "冲销的记录 {1} 属于别的受助人或金额不同" },
    { "reverses record {}, already reversed by {}", "冲销的记录 {1} 已被 {2} 冲销过" },
    //  R (reports up)
    { "{} {}: authored {}, {} day(s) after its due day {}", "{1} {2}：{3} 填报，比截止日 {5} 晚 {4} 天" },
    { "{} {}: no report from {} (node {}), due {}", "{1} {2}：{3}（节点 {4}）没有报送，截止日 {5}" },
    { "OFFLINE_AUTHORED (accepted): authored {}, reached its parent {} h later, more than the skew bound of {} day(s)",
      "离线填报（已接收）：{1} 填报，{2} 小时后才到达上级，超过允许的 {3} 天" },
    { "frontier behind submission {} ({}): node {} at seq {}, was {}", "数据前沿落后于报送 {1}（{2}）：节点 {3} 现在序号 {4}，原为 {5}" },
    //  D (disclosure)
    { "the dibao disclosure of village {} posted {} has items that are not a JSON list of beneficiaries",
      "村 {1} 于 {2} 公示的低保名单格式不对（不是受助人列表）" },
    { "the dibao disclosure of village {} posted {} leaves out {} beneficiaries paid dibao in its period ({})",
      "村 {1} 于 {2} 公示的低保名单漏了 {3} 名本期领取低保的人（{4}）" },
    { "the dibao disclosure of village {} posted {} lists {} beneficiaries with no dibao payment in its period ({})",
      "村 {1} 于 {2} 公示的低保名单列了 {3} 名本期没有领取低保的人（{4}）" },
    //  Evidence the rules' queries write (printf in SQL)
    { "received {}, not accepted (registered) within {} days", "{1} 收到，{2} 天内没有受理（登记）" },
    { "received {}, registered {}: more than {} days", "{1} 收到，{2} 才登记：超过 {3} 天" },
    { "assigned {}, not resolved within {} days", "{1} 交办，{2} 天内没有办结" },
    { "assigned {}, resolved {}: more than {} days", "{1} 交办，{2} 办结：超过 {3} 天" },
    { "resolved {}, no feedback to the appellant within {} days", "{1} 办结，{2} 天内没有向诉求人反馈" },
    { "objection of {}: no appeal within {} days", "{1} 的异议：{2} 天内没有转为诉求" },
    { "objection of {}: appeal received {}, more than {} days later", "{1} 的异议：{2} 才转为诉求，超过 {3} 天" },
    { "identified {} ({}), not verified within {} days", "{1} 认定（{2}），{3} 天内没有核实" },
    { "identified {}, verified {}: more than {} days", "{1} 认定，{2} 才核实：超过 {3} 天" },
    { "five-guarantee person: no medical-insurance premium subsidy in {}", "五保对象：{1} 没有医保缴费补贴" },
    { "scattered five-guarantee person: no housing-condition check recorded", "分散供养五保对象：没有住房状况核查记录" },
    { "scattered five-guarantee person: housing last checked {}, more than {} days ago", "分散供养五保对象：住房最近一次核查在 {1}，已超过 {2} 天" },
    { "house found dilapidated (grade {}) on {}: no renovation within {} days", "{2} 核查发现危房（{1} 级）：{3} 天内没有危房改造" },
    { "{} ({} {} branch) has {} active village pairings, {} to {} required", "{1}（{2}{3}支部）有 {4} 个在结对的村，应为 {5} 至 {6} 个" },
    { "{} ({}) has no paired organ branch", "{1}（{2}）没有结对的机关支部" },
    { "pairing of prefecture branch {} ended on {}, before {} (3 years), without an override directive",
      "州级支部 {1} 的结对于 {2} 结束，早于 {3}（三年），且没有另行下达的指令" },
    { "no signed co-construction letter {} days after the start ({})", "开始（{2}）{1} 天后仍没有签署共建协议" },
    { "letter signed on {}, more than {} days after the start ({})", "共建协议 {1} 签署，晚于开始（{3}）{2} 天以上" },
    { "award {} of {} in {}, over the quota of {}", "{3} 年{2}的第 {1} 个表彰，超过名额 {4}" },
    { "awarded on {}, outside the window {} to {}", "{1} 表彰，不在 {2} 至 {3} 的期间内" },
    { "cadre {} already awarded as {} in {}", "干部 {1} 在 {3} 年已获{2}表彰" },
    { "cadre {} does not hold the role of {}", "干部 {1} 不担任{2}" },
    { "the unit of cadre {} ({}) was graded poor in the year-end assessment of {}", "干部 {1} 的单位（{2}）在 {3} 年度考核中被评为差" },
    { "village {}: dibao paid to {} beneficiaries in {}, no dibao disclosure of the year posted by {}",
      "村 {1}：{3} 年向 {2} 人发放低保，{4} 前没有公示当年低保名单" },
    { "village {}: no village-affairs disclosure for {}Q{} posted by {}", "村 {1}：{4} 前没有公示 {2} 年第 {3} 季度的村务" },
    { "{}: completed (last progress {}), no disclosure of it posted since for {} days", "{1}：已完成（最近进展 {2}），此后 {3} 天没有公示" },
    { "{}: first spend on {} with no disclosure posted before it for {} days", "{1}：{2} 首次支出，之前 {3} 天没有公示" },
    { "{} ({} on {}): the pairing with household {} ended on {}, after {} (G_transfer {} days)",
      "{1}（{3} {2}）：与农户 {4} 的结对于 {5} 才结束，晚于 {6}（G_transfer {7} 天）" },
    { "{} ({} on {}): the pairing with household {} has not ended by {} (G_transfer {} days)",
      "{1}（{3} {2}）：与农户 {4} 的结对到 {5} 仍未结束（G_transfer {6} 天）" },
    { "{}: its cadre {} left ({} on {}) and it has no new primary pair or provisional one by {} (G_transfer {} days)",
      "{1}：结对干部 {2} 已离开（{4} {3}），到 {5} 仍没有新的主要结对或临时结对（G_transfer {6} 天）" },
    { "{} ({}) has not acknowledged version {} of the pairing plan of county {}, issued {}, within {} days (T_ack)",
      "{1}（{2}）没有在 {6} 天（T_ack）内回执县 {4} 于 {5} 下达的第 {3} 版结对方案" },
    { "{} ({}) refused version {} of the pairing plan of county {}: {}", "{1}（{2}）拒绝了县 {4} 的第 {3} 版结对方案：{5}" },
    { "county {}: no pairing plan for the year from July {} effective by {}", "县 {1}：到 {3} 仍没有自 {2} 年 7 月起的年度结对方案" },
    { "plan version {} of county {} names base version {}, the version before it is {}", "县 {2} 的第 {1} 版方案以第 {3} 版为基础，但前一版是 {4}" },
    { "{} ({}) has {} active temple contacts, exactly 1 required", "{1}（{2}）有 {3} 名在岗联系干部，应恰好 1 名" },
    { "{}: no contact at or above deputy county, on the site or in person", "{1}：没有副县级以上干部到场或当面联系" },
    { "{}: registered, no active contact at or above deputy county", "{1}：已登记，没有副县级以上的在岗联系干部" },
    { "{}: resident_count {}, the archive lists {} resident monastics", "{1}：常住人数 {2}，档案列有 {3} 名常住僧尼" },
    { "{}: the five links (water, electricity, road, telecom, radio and TV) are not recorded", "{1}：没有记录“五通”（水、电、路、通信、广播电视）" },
    { "{} of county {} contacts {} in county {}", "县 {2} 的 {1} 联系的是县 {4} 的 {3}" },
    { "{} visited {} {} time(s) in {}, {} required", "{1} 在 {4} 走访 {2} {3} 次，应走访 {5} 次" },
    { "{} ({} department): the mass dimension of {} rests on {} responses from contact objects, {} needed",
      "{1}（{2}部门）：{3} 年度群众评价只有 {4} 份联系对象的回复，需要 {5} 份" },
    { "{} ({} department): the year-end assessment of {} has {} of the 3 dimensions, due by {}",
      "{1}（{2}部门）：{3} 年度考核只有 3 个维度中的 {4} 个，截止 {5}" },
    { "{} {}: the weights of its {} dimension(s) sum to {} per mille, not 1000", "{1} {2}：{3} 个维度的权重合计 {4}‰，不是 1000‰" },
    //  The pairing plan's refusals (fg_pairing.h)
    { "the plan leaves {} households of {} villages without a pair (the first: {} in village {}); add or station cadres, or publish accepting the deficit",
      "方案有 {2} 个村的 {1} 户没有干部可结对（第一个：村 {4} 有 {3} 户）；请增派或驻派干部，或勾选“明知有农户无干部可结对仍发布”" },
    { "only the county hub of {} publishes its pairing plans (this node is the {} {})",
      "只有 {1} 的县级节点发布结对方案（本节点是{2} {3}）" },
    //  The most general last: it would match texts of the others
    { "{} pairing of {}: {}", "{2} 的{1}结对：{3}" },
    { NULL, NULL }
};

//  Phrases inside a value
static const s_template_t s_phrases [] = {
    { " by its paired cadre (anyone's if it has none)", "结对干部（没有结对时任何干部）的" },
    { "needy or demonstration", "困难户或示范户" },
    { "open appeal", "有未办结的诉求" },
    { "seriously_ill", "重病" }, { "dropout_unemployed", "辍学失业" }, { "sudden_disaster", "突发灾害" },
    { "elderly_death", "老人去世" }, { "abnormal_thinking", "思想异常" }, { "major_festival", "重大节日" },
    { "territorial", "属地" }, { "love", "爱心" }, { "township", "乡镇" }, { "county", "县" },
    { "prefecture", "州" }, { "retired", "退休" }, { "transferred", "调离" }, { "deceased", "去世" },
    { NULL, NULL }
};

//  Match text against the English template; the captures point into text
static bool
s_match (const char *pattern, const char *text, const char **start, size_t *length, size_t *count)
{
    if (!*pattern)
        return !*text;
    if (pattern [0] == '{' && pattern [1] == '}') {
        if (*count == S_CAPTURES)
            return false;
        size_t at = (*count)++;
        //  Shortest capture first, growing until the rest matches
        for (size_t n = 0; ; n++) {
            start [at] = text;
            length [at] = n;
            if (s_match (pattern + 2, text + n, start, length, count))
                return true;
            if (!text [n])
                break;
        }
        (*count)--;
        return false;
    }
    return *pattern == *text && s_match (pattern + 1, text + 1, start, length, count);
}

static size_t
s_append (char *out, size_t size, size_t used, const char *text, size_t length)
{
    if (used + 1 >= size)
        return used;
    if (length > size - used - 1)
        length = size - used - 1;
    memcpy (out + used, text, length);
    out [used + length] = 0;
    return used + length;
}

bool
fg_rules_text_zh (const char *given, char *out, size_t size)
{
    snprintf (out, size, "%s", given ? given : "");
    if (!given)
        return false;
    //  Runs of white space as one space (SQL literals split over lines carry them)
    char text [1024];
    size_t kept = 0;
    for (const char *p = given; *p && kept + 1 < sizeof text; p++)
        if (!(isspace ((unsigned char) *p) && kept && text [kept - 1] == ' '))
            text [kept++] = isspace ((unsigned char) *p) ? ' ' : *p;
    text [kept] = 0;
    for (const s_template_t *template = s_templates; template->en; template++) {
        const char *start [S_CAPTURES];
        size_t length [S_CAPTURES], count = 0;
        if (!s_match (template->en, text, start, length, &count))
            continue;
        size_t used = 0;
        *out = 0;
        for (const char *z = template->zh; *z; ) {
            if (z [0] == '{' && z [1] >= '1' && z [1] <= '8' && z [2] == '}') {
                size_t at = (size_t) (z [1] - '1');
                const char *value = at < count ? start [at] : "";
                size_t value_length = at < count ? length [at] : 0;
                const char *phrase = NULL;
                for (const s_template_t *p = s_phrases; p->en; p++)
                    if (strlen (p->en) == value_length && strncmp (p->en, value, value_length) == 0)
                        phrase = p->zh;
                used = phrase ? s_append (out, size, used, phrase, strlen (phrase))
                              : s_append (out, size, used, value, value_length);
                z += 3;
            }
            else
                used = s_append (out, size, used, z++, 1);
        }
        return true;
    }
    return false;
}
