/*  fg_rules_zh_test.c - self-test `rules_zh`: the rules' evidence and
    the pairing plan's refusals in Chinese (fg_rules_text_zh): texts as
    the rules format them come out in Chinese with their values in the
    template's order (a value that is a known phrase translated too); a
    text no template matches comes back as it is, and false. */
#include "fg_selftests.h"
#include "fg_rules.h"
#include "fg_util.h"

void
fg_rules_zh_test (bool verbose)
{
    printf (" * fg_rules_zh: ");
    char out [512];
    //  M1, as fg_rules_m.c formats it (its optional phrase present)
    assert (fg_rules_text_zh ("seriously_ill of household 42: no in-person visit by its paired cadre "
                              "(anyone's if it has none) from 2026-11-01 to 2026-11-08", out, sizeof out));
    assert (streq (out, "农户 42 的必访事项（重病）：2026-11-01 至 2026-11-08 期间没有"
                        "结对干部（没有结对时任何干部）的当面走访"));
    //  ... and absent
    assert (fg_rules_text_zh ("sudden_disaster of household 7: no in-person visit from 2026-11-01 to 2026-11-03",
                              out, sizeof out));
    assert (streq (out, "农户 7 的必访事项（突发灾害）：2026-11-01 至 2026-11-03 期间没有当面走访"));
    assert (fg_rules_text_zh ("registered 2026-10-01, no primary pairing and no provisional one after 30 days (G_new)",
                              out, sizeof out));
    assert (streq (out, "2026-10-01 登记，30 天（G_new）后仍没有主要结对，也没有临时结对"));
    assert (fg_rules_text_zh ("卓玛 holds 9 households, capacity 5", out, sizeof out));
    assert (streq (out, "卓玛 结对 9 户，超过上限 5 户"));
    //  A plan's refusal
    assert (fg_rules_text_zh ("the plan leaves 3 households of 1 villages without a pair (the first: 3 in village "
                              "513328100201); add or station cadres, or publish accepting the deficit", out, sizeof out));
    assert (strstr (out, "1 个村的 3 户没有干部可结对") && strstr (out, "村 513328100201 有 3 户"));
    //  From a rule's query, its literal split over lines (runs of spaces)
    assert (fg_rules_text_zh ("Dorje (retired on 2026-10-01): the pairing with household Tashi has not        ended by "
                              "2026-10-31 (G_transfer 30 days)", out, sizeof out));
    assert (streq (out, "Dorje（2026-10-01 退休）：与农户 Tashi 的结对到 2026-10-31 仍未结束（G_transfer 30 天）"));
    assert (fg_rules_text_zh ("received 2026-11-01, not accepted (registered) within 7 days", out, sizeof out));
    assert (streq (out, "2026-11-01 收到，7 天内没有受理（登记）"));
    //  Unknown: as it is
    assert (!fg_rules_text_zh ("something new happened", out, sizeof out) && streq (out, "something new happened"));
    assert (!fg_rules_text_zh (NULL, out, sizeof out) && streq (out, ""));
    //  A small buffer: cut, NUL-ended
    char tiny [8];
    assert (fg_rules_text_zh ("negative amount 500 fen", tiny, sizeof tiny) && strlen (tiny) < sizeof tiny);
    printf ("OK\n");
}
