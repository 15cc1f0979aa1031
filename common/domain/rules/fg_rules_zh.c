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
    { "{} pairing of {}: {}", "{2} 的{1}结对：{3}" },
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
    //  The pairing plan's refusals (fg_pairing.h)
    { "the plan leaves {} households of {} villages without a pair (the first: {} in village {}); add or station cadres, or publish accepting the deficit",
      "方案有 {2} 个村的 {1} 户没有干部可结对（第一个：村 {4} 有 {3} 户）；请增派或驻派干部，或勾选“明知有农户无干部可结对仍发布”" },
    { "only the county hub of {} publishes its pairing plans (this node is the {} {})",
      "只有 {1} 的县级节点发布结对方案（本节点是{2} {3}）" },
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
    { "prefecture", "州" },
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
fg_rules_text_zh (const char *text, char *out, size_t size)
{
    snprintf (out, size, "%s", text ? text : "");
    for (const s_template_t *template = s_templates; text && template->en; template++) {
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
