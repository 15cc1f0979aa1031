/*  fg_casework_test.c - self-test "casework": the queries behind the
    clerk's forms (fg_casework.h) and the household's assistance
    (fg_household.h), at a township and its county: who may receive
    assistance (the household, then its vulnerable members, eligible or
    not), assistance in yuan with its member and its reversal, the
    transitions an appeal may take next at the owner and above it (as the
    fold then judges them: each offered one is applied, none after a
    terminal one), the must-visits waiting (due, overdue; answered by a
    visit naming the trigger or of its category, not by a phone call),
    publicity events, and the units to pick (with those above). */
#include "fg_selftests.h"
#include "fg_casework.h"
#include "fg_household.h"
#include "fg_testkit.h"
#include "fg_record.h"
#include "fg_util.h"

//  The transitions offered, "a,b,c"
static void
s_offered (fg_testnode_t *node, uint64_t appeal, char *out, size_t size, char *state)
{
    char err [256];
    fg_rows_t *rows = fg_case_transitions (node->replica, "appeal", appeal, state, NULL, err, sizeof err);
    assert (rows);
    *out = 0;
    for (size_t r = 0; r < fg_rows_count (rows); r++)
        snprintf (out + strlen (out), size - strlen (out), "%s%s", r ? "," : "", fg_testkit_cell (rows, r, "transition"));
    fg_rows_destroy (&rows);
}

//  The ids of the must-visits waiting, "trigger:state;..."
static void
s_waiting (fg_testnode_t *node, int64_t day, char *out, size_t size)
{
    char err [256];
    fg_rows_t *rows = fg_worklist_must_visits (node->replica, day, 100, err, sizeof err);
    assert (rows);
    *out = 0;
    for (size_t r = 0; r < fg_rows_count (rows); r++)
        snprintf (out + strlen (out), size - strlen (out), "%s:%s;", fg_testkit_cell (rows, r, "id"), fg_testkit_cell (rows, r, "state"));
    fg_rows_destroy (&rows);
}

void
fg_casework_test (bool verbose)
{
    printf (" * fg_casework: ");
    char *dir = fg_testkit_dir ("fg_casework_test");
    fg_testnode_t county, town;
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    fg_testkit_link (&county, &town);
    char err [256], h [48], text [512], state [64];
    uint64_t household = fg_testkit_household (&town, "513328100201", "扎西");
    snprintf (h, sizeof h, "household_id=%llu", (unsigned long long) household);
    uint64_t child = fg_testkit_add (&town, "person", h, "name=拉姆", NULL);
    uint64_t elder = fg_testkit_add (&town, "person", h, "name=次仁", NULL);
    char p [48];
    snprintf (p, sizeof p, "person_id=%llu", (unsigned long long) child);
    uint64_t vulnerable = fg_testkit_add (&town, "vulnerable_person", "org_id=513328100201", p, "category=disabled", NULL);
    snprintf (p, sizeof p, "person_id=%llu", (unsigned long long) elder);
    uint64_t aged = fg_testkit_add (&town, "vulnerable_person", "org_id=513328100201", p,
                                    "category=rural_five_guarantee", NULL);
    int64_t day;
    assert (fg_date_parse ("2026-11-20", &day) == 0);

    //  Who may receive assistance: the household first, then its members;
    //  the county says the elder's eligibility ended
    fg_testkit_sync (&town, &county, true);
    fg_kv_t until = { "eligible_to", "2026-11-10" };
    assert (fg_record_set (county.replica, "vulnerable_person", aged, &until, 1, "test", NULL, err, sizeof err) == 0);
    //  V3 at the desk: the township, not yet knowing, gives the elder
    //  assistance on the 15th; the county takes it (a hub does not judge
    //  eligibility: the desk may not know yet)
    char e [64];
    snprintf (e, sizeof e, "beneficiary_id=%llu", (unsigned long long) aged);
    fg_testkit_add (&town, "assistance_record", "org_id=513328100201", "beneficiary_kind=vulnerable_person", e,
                    "type=condolence_money", "amount_fen=100.00", "occurred_on=2026-11-15", NULL);
    assert (fg_testkit_sync (&town, &county, true).quarantined == 0);
    fg_testkit_sync (&county, &town, false);
    //  Knowing, the township's desk refuses another one (rule V3)
    fg_kv_t knowing [] = { { "org_id", "513328100201" }, { "beneficiary_kind", "vulnerable_person" },
                        { "beneficiary_id", e + strlen ("beneficiary_id=") }, { "type", "condolence_money" },
                        { "amount_fen", "100.00" }, { "occurred_on", "2026-11-20" } };
    uint64_t refused = 0;
    assert (fg_record_add (town.replica, "assistance_record", knowing, 6, "test", &refused, NULL, err, sizeof err) != 0);
    if (verbose)
        printf ("\n   refused: %s", err);
    assert (strstr (err, "V3") && strstr (err, "not eligible on 2026-11-20"));
    fg_rows_t *rows = fg_household_beneficiaries (town.replica, household, day, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 3);
    assert (streq (fg_testkit_cell (rows, 0, "kind"), "household") && streq (fg_testkit_cell (rows, 0, "name"), "扎西"));
    assert (streq (fg_testkit_cell (rows, 1, "name"), "拉姆") && streq (fg_testkit_cell (rows, 1, "category"), "disabled"));
    assert (streq (fg_testkit_cell (rows, 1, "eligible"), "yes"));
    assert (streq (fg_testkit_cell (rows, 2, "name"), "次仁") && streq (fg_testkit_cell (rows, 2, "eligible"), "no"));
    fg_rows_destroy (&rows);

    //  Assistance: to the member, in yuan, and its reversal
    char b [64];
    snprintf (b, sizeof b, "beneficiary_id=%llu", (unsigned long long) vulnerable);
    uint64_t given = fg_testkit_add (&town, "assistance_record", "org_id=513328100201", "beneficiary_kind=vulnerable_person",
                                     b, "type=cash_subsidy", "amount_fen=12.50", "occurred_on=2026-11-01", NULL);
    char r [64];
    snprintf (r, sizeof r, "reverses_id=%llu", (unsigned long long) given);
    fg_testkit_add (&town, "assistance_record", "org_id=513328100201", "beneficiary_kind=vulnerable_person",
                    b, "type=cash_subsidy", "amount_fen=1250", "occurred_on=2026-11-02", r, NULL);
    snprintf (b, sizeof b, "beneficiary_id=%llu", (unsigned long long) household);
    fg_testkit_add (&town, "assistance_record", "org_id=513328100201", "beneficiary_kind=household",
                    b, "type=in_kind", "occurred_on=2026-10-01", NULL);
    rows = fg_household_assistance (town.replica, household, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 4);
    char id [24];
    assert (streq (fg_testkit_cell (rows, 0, "beneficiary"), "次仁") && streq (fg_testkit_cell (rows, 0, "amount_fen"), "100.00"));
    snprintf (id, sizeof id, "%llu", (unsigned long long) given);
    assert (streq (fg_testkit_cell (rows, 2, "id"), id) && streq (fg_testkit_cell (rows, 2, "amount_fen"), "12.50"));
    assert (streq (fg_testkit_cell (rows, 2, "beneficiary"), "拉姆") && *fg_testkit_cell (rows, 2, "reversed_by"));
    assert (streq (fg_testkit_cell (rows, 1, "reverses_id"), id) && streq (fg_testkit_cell (rows, 1, "amount_fen"), "12.50"));
    assert (streq (fg_testkit_cell (rows, 3, "beneficiary"), "扎西") && streq (fg_testkit_cell (rows, 3, "amount_fen"), ""));
    fg_rows_destroy (&rows);

    //  An appeal: what is offered at the owner, each applied by the fold
    char ah [64];
    snprintf (ah, sizeof ah, "appellant_household_id=%llu", (unsigned long long) household);
    uint64_t appeal = fg_testkit_add (&town, "appeal", "org_id=513328100201", "appellant_name=拉姆", "type=dispute",
                                      "summary=草场界线", ah, NULL);
    char a [48];
    snprintf (a, sizeof a, "appeal_id=%llu", (unsigned long long) appeal);
    s_offered (&town, appeal, text, sizeof text, state);
    if (verbose)
        printf ("\n   %s: %s", state, text);
    assert (streq (state, "RECEIVED") && streq (text, "register,escalate,merge,withdraw,extend"));
    fg_testkit_add (&town, "appeal_event", "org_id=513328100201", a, "transition=register", NULL);
    fg_testkit_add (&town, "appeal_event", "org_id=513328100201", a, "transition=assign", NULL);
    s_offered (&town, appeal, text, sizeof text, state);
    if (verbose)
        printf ("\n   %s: %s", state, text);
    assert (streq (state, "ASSIGNED") && streq (text, "start,escalate,merge,withdraw,extend"));
    assert (fg_testkit_int (&town, "SELECT rejected_transitions FROM appeal") == 0);
    //  Above the owner: the county may escalate, merge, supervise, extend
    fg_testkit_sync (&town, &county, true);
    s_offered (&county, appeal, text, sizeof text, state);
    if (verbose)
        printf ("\n   county, %s: %s", state, text);
    assert (streq (state, "ASSIGNED") && streq (text, "escalate,merge,supervise,extend"));
    //  Terminal: nothing more
    fg_testkit_add (&town, "appeal_event", "org_id=513328100201", a, "transition=withdraw", NULL);
    s_offered (&town, appeal, text, sizeof text, state);
    assert (streq (state, "WITHDRAWN") && streq (text, ""));
    rows = fg_appeal_events (town.replica, appeal, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 3);
    assert (streq (fg_testkit_cell (rows, 2, "transition"), "withdraw") && streq (fg_testkit_cell (rows, 2, "state_after"), "WITHDRAWN"));
    assert (streq (fg_testkit_cell (rows, 0, "rejected"), "no"));
    fg_rows_destroy (&rows);
    assert (!fg_case_transitions (town.replica, "appeal", 12345, NULL, NULL, err, sizeof err));
    assert (!fg_case_transitions (town.replica, "household", household, NULL, NULL, err, sizeof err));

    //  Must-visits: one due (open on the day), one overdue, one answered
    //  by its trigger, one by its category, one by a phone call only
    char cadre [48];
    snprintf (cadre, sizeof cadre, "cadre_id=%llu", (unsigned long long)
              fg_testkit_add (&county, "cadre", "org_id=513328100", "name=卓玛", NULL));
    fg_testkit_sync (&county, &town, false);
    char target [48];
    snprintf (target, sizeof target, "target_id=%llu", (unsigned long long) household);
    uint64_t due = fg_testkit_add (&town, "must_visit_trigger", "org_id=513328100201", h, "category=seriously_ill",
                                   "occurred_on=2026-11-18", NULL);
    uint64_t late = fg_testkit_add (&town, "must_visit_trigger", "org_id=513328100201", h, "category=sudden_disaster",
                                    "occurred_on=2026-11-01", NULL);
    uint64_t named = fg_testkit_add (&town, "must_visit_trigger", "org_id=513328100201", h,
                                     "category=dropout_unemployed", "occurred_on=2026-11-05", NULL);
    fg_testkit_add (&town, "must_visit_trigger", "org_id=513328100201", h, "category=elderly_death",
                    "occurred_on=2026-11-10", NULL);
    uint64_t phoned = fg_testkit_add (&town, "must_visit_trigger", "org_id=513328100201", h,
                                      "category=abnormal_thinking", "occurred_on=2026-11-12", NULL);
    char t [48];
    snprintf (t, sizeof t, "trigger_id=%llu", (unsigned long long) named);
    fg_testkit_add (&town, "visit", "org_id=513328100201", cadre, "target_kind=household", target, "kind=must_visit",
                    t, "occurred_on=2026-11-19", NULL);
    fg_testkit_add (&town, "visit", "org_id=513328100201", cadre, "target_kind=household", target, "kind=must_visit",
                    "must_visit_category=elderly_death", "occurred_on=2026-11-25", NULL);
    fg_testkit_add (&town, "visit", "org_id=513328100201", cadre, "target_kind=household", target, "kind=phone",
                    "must_visit_category=abnormal_thinking", "occurred_on=2026-11-13", NULL);
    s_waiting (&town, day, text, sizeof text);
    char expected [256];
    snprintf (expected, sizeof expected, "%llu:overdue;%llu:overdue;%llu:window_open;", (unsigned long long) late,
              (unsigned long long) phoned, (unsigned long long) due);
    if (verbose)
        printf ("\n   waiting: %s", text);
    assert (streq (text, expected));
    rows = fg_worklist_must_visits (town.replica, day, 100, err, sizeof err);
    assert (streq (fg_testkit_cell (rows, 2, "due_by"), "2026-11-25") && streq (fg_testkit_cell (rows, 2, "head_name"), "扎西"));
    assert (streq (fg_testkit_cell (rows, 0, "due_by"), "2026-11-04"));
    fg_rows_destroy (&rows);

    //  Publicity events and the units to pick
    fg_testkit_add (&town, "publicity_event", "org_id=513328100201", "method=thematic_lecture", "occurred_on=2026-11-03",
                    "audience_count=35", NULL);
    rows = fg_publicity_recent (town.replica, 10, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 1 && streq (fg_testkit_cell (rows, 0, "method"), "thematic_lecture"));
    assert (streq (fg_testkit_cell (rows, 0, "org_id"), "513328100201"));
    fg_rows_destroy (&rows);
    rows = fg_org_choices (town.replica, true, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 4);
    assert (streq (fg_testkit_cell (rows, 0, "code"), "513300") && streq (fg_testkit_cell (rows, 1, "code"), "513328"));
    assert (streq (fg_testkit_cell (rows, 2, "code"), "513328100") && streq (fg_testkit_cell (rows, 3, "code"), "513328100201"));
    fg_rows_destroy (&rows);
    rows = fg_org_choices (town.replica, false, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 2);
    fg_rows_destroy (&rows);

    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&town);
    fg_testkit_rmdir (dir);
    free (dir);
    printf ("OK\n");
}
