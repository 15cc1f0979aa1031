/*  fg_proposal_test.c - self-test `proposal`: proposals decided by their
    owner (fg_proposal.h) over a real tree (prefecture 513300, county
    513328, township 513328100; real keys, replica files and sync). A
    township's change to a household's admin flags (the county's group)
    is a proposal; the county rejects one with a reason, which reaches
    the township's worklist, and accepts another, whose fields then
    apply at every tier. What may not decide (the township, the
    prefecture, which does not own the group), a proposal decided twice,
    a name that is not one, a rejection without a reason: refused with a
    reason and nothing written. A proposal the HARD rules would refuse
    reaches the county (a proposal applies nothing) and its accept is
    refused with the rule's id. A county's proposal to the prefecture's
    registry, accepted by the prefecture. A proposal on a group the county
    and the prefecture both keep, for a row of the county's: only the
    county decides it. */
#include "fg_selftests.h"
#include "fg_proposal.h"
#include "fg_rules.h"
#include "fg_record.h"
#include "fg_testkit.h"
#include "fg_util.h"

//  Set one field of a row; the merge's result
static fg_merge_result_t
s_set (fg_testnode_t *node, const char *table, uint64_t id, const char *text)
{
    char *copy = strdup (text);
    fg_kv_t kv;
    assert (fg_kv_parse (copy, &kv) == 0);
    char err [512];
    fg_merge_result_t result;
    int rc = fg_record_set (node->replica, table, id, &kv, 1, "clerk", &result, err, sizeof err);
    if (rc)
        fprintf (stderr, "s_set %s: %s\n", table, err);
    assert (rc == 0);
    free (copy);
    return result;
}

//  The row of the proposals list whose fields contain `text`: its index,
//  or -1
static int
s_find (fg_rows_t *rows, const char *text)
{
    for (size_t r = 0; r < fg_rows_count (rows); r++)
        if (strstr (fg_rows_cell (rows, r, 8, NULL), text))
            return (int) r;
    return -1;
}

static void
s_converge (fg_testnode_t *p, fg_testnode_t *c, fg_testnode_t *t)
{
    fg_testkit_sync (t, c, true);
    fg_testkit_sync (c, p, true);
    fg_testkit_sync (p, c, false);
    fg_testkit_sync (c, t, false);
}

void
fg_proposal_test (bool verbose)
{
    printf (" * fg_proposal: ");
    char *dir = fg_testkit_dir ("fg_proposal_test");
    fg_testnode_t pref, county, town;
    fg_testkit_chain (dir, &pref, &county, &town, "county", "town 100");
    fg_testnode_t *p = &pref, *c = &county, *t = &town;
    char err [512];

    uint64_t hh = fg_testkit_household (t, "513328100201", "Tashi");
    //  The township marks it needy and a demonstration household: the
    //  county's admin group, so two proposals, applied nowhere
    fg_merge_result_t result = s_set (t, "household", hh, "needy=yes");
    assert (result.proposals == 1 && result.applied == 0);
    result = s_set (t, "household", hh, "demonstration=yes");
    assert (result.proposals == 1);
    s_converge (p, c, t);
    char sql [128];
    snprintf (sql, sizeof sql, "SELECT coalesce (needy, 0) + coalesce (demonstration, 0) FROM household WHERE id = %llu",
              (unsigned long long) hh);
    assert (fg_testkit_int (c, sql) == 0);

    //  The county lists both, pending
    fg_rows_t *rows = fg_proposals_rows (c->replica, NULL, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 2);
    int needy = s_find (rows, "needy=1"), demo = s_find (rows, "demonstration=1");
    assert (needy >= 0 && demo >= 0);
    assert (streq (fg_rows_cell (rows, (size_t) needy, 11, NULL), "pending"));
    assert (streq (fg_rows_cell (rows, (size_t) needy, 2, NULL), "household"));
    char needy_id [64], demo_id [64];
    snprintf (needy_id, sizeof needy_id, "%s", fg_rows_cell (rows, (size_t) needy, 10, NULL));
    snprintf (demo_id, sizeof demo_id, "%s", fg_rows_cell (rows, (size_t) demo, 10, NULL));
    assert (strncmp (needy_id, "28100:", 6) == 0);
    fg_rows_destroy (&rows);
    //  ... pending for the county, which keeps the fields; not for the
    //  prefecture or the township, which hold them too
    assert (fg_proposals_pending (c->replica) == 2);
    assert (fg_proposals_pending (p->replica) == 0 && fg_proposals_pending (t->replica) == 0);
    char owner [64];
    assert (fg_proposal_owned_here (c->replica, "household", "admin", owner, sizeof owner) && streq (owner, "county"));
    assert (!fg_proposal_owned_here (t->replica, "household", "admin", owner, sizeof owner));
    assert (!fg_proposal_owned_here (c->replica, "household", "nothing", owner, sizeof owner) && !*owner);
    //  What it changes, by name: the household's head, needy from none to 1
    char row_name [64];
    rows = fg_proposal_changes (c->replica, needy_id, row_name, sizeof row_name, err, sizeof err);
    assert (rows && fg_rows_count (rows) == 1 && streq (row_name, "Tashi"));
    assert (streq (fg_rows_cell (rows, 0, 0, NULL), "needy"));
    assert (streq (fg_rows_cell (rows, 0, 1, NULL), ""));
    assert (streq (fg_rows_cell (rows, 0, 2, NULL), "1"));
    fg_rows_destroy (&rows);
    assert (!fg_proposal_changes (c->replica, "28100:999:0", row_name, sizeof row_name, err, sizeof err)
            && strstr (err, "no proposal"));
    assert (!fg_proposal_changes (c->replica, "x", row_name, sizeof row_name, err, sizeof err)
            && strstr (err, "not a proposal"));

    //  Who may not decide, and what is not a decision
    int64_t decisions = fg_testkit_int (c, "SELECT count(*) FROM proposal_decision");
    assert (fg_proposal_decide (t->replica, needy_id, false, "no", "clerk", err, sizeof err) == -1);
    assert (strstr (err, "not kept by a township"));
    assert (fg_proposal_decide (p->replica, needy_id, false, "no", "chief", err, sizeof err) == -1);
    assert (strstr (err, "not kept by a prefecture"));
    assert (fg_proposal_decide (c->replica, needy_id, false, "", "chief", err, sizeof err) == -1);
    assert (strstr (err, "needs a reason"));
    assert (fg_proposal_decide (c->replica, "28100:999:0", true, NULL, "chief", err, sizeof err) == -1);
    assert (strstr (err, "no proposal 28100:999:0"));
    assert (fg_proposal_decide (c->replica, "household 7", true, NULL, "chief", err, sizeof err) == -1);
    assert (strstr (err, "not a proposal"));
    assert (fg_testkit_int (c, "SELECT count(*) FROM proposal_decision") == decisions);

    //  Rejected with a reason: nothing applied; the decision reaches the
    //  township, whose worklist says so and why
    assert (fg_proposal_decide (c->replica, needy_id, false, "income above the dibao line (2026 survey)", "chief",
                                err, sizeof err) == 0);
    assert (fg_proposal_decide (c->replica, needy_id, true, NULL, "chief", err, sizeof err) == -1);
    assert (strstr (err, "decided already") && strstr (err, "rejected"));
    //  ORIGIN:SEQ names the first op of the entry
    char short_id [64];
    snprintf (short_id, sizeof short_id, "%s", needy_id);
    assert (strlen (short_id) > 2 && streq (short_id + strlen (short_id) - 2, ":0"));
    short_id [strlen (short_id) - 2] = 0;
    assert (fg_proposal_decide (c->replica, short_id, true, NULL, "chief", err, sizeof err) == -1);
    assert (strstr (err, "decided already"));
    assert (fg_proposal_decide (c->replica, "0:3:0", true, NULL, "chief", err, sizeof err) == -1);
    assert (strstr (err, "not a proposal"));
    //  Accepted: applied as the county's write
    assert (fg_proposal_decide (c->replica, demo_id, true, "seen on the spot check", "chief", err, sizeof err) == 0);
    snprintf (sql, sizeof sql, "SELECT coalesce (demonstration, 0) * 10 + coalesce (needy, 0) FROM household "
              "WHERE id = %llu", (unsigned long long) hh);
    assert (fg_testkit_int (c, sql) == 10);
    assert (fg_proposals_pending (c->replica) == 0);
    rows = fg_proposal_changes (c->replica, demo_id, row_name, sizeof row_name, err, sizeof err);
    assert (rows && streq (fg_rows_cell (rows, 0, 1, NULL), "1"));      //  the row holds it now
    fg_rows_destroy (&rows);
    s_converge (p, c, t);
    assert (fg_testkit_int (t, sql) == 10);
    assert (fg_testkit_int (p, sql) == 10);
    rows = fg_proposals_rows (t->replica, "all", err, sizeof err);
    assert (rows);
    needy = s_find (rows, "needy=1");
    demo = s_find (rows, "demonstration=1");
    assert (streq (fg_rows_cell (rows, (size_t) needy, 11, NULL), "rejected"));
    assert (streq (fg_rows_cell (rows, (size_t) needy, 12, NULL), "128"));
    assert (strstr (fg_rows_cell (rows, (size_t) needy, 14, NULL), "dibao line"));
    assert (streq (fg_rows_cell (rows, (size_t) demo, 11, NULL), "accepted"));
    fg_rows_destroy (&rows);
    rows = fg_proposals_rows (t->replica, "rejected", err, sizeof err);
    assert (rows && fg_rows_count (rows) == 1 && streq (fg_rows_cell (rows, 0, 10, NULL), needy_id));
    fg_rows_destroy (&rows);
    rows = fg_proposals_rows (c->replica, "pending", err, sizeof err);
    assert (rows && fg_rows_count (rows) == 0);
    fg_rows_destroy (&rows);
    assert (!fg_proposals_rows (c->replica, "maybe", err, sizeof err) && strstr (err, "no state 'maybe'"));
    rows = fg_rules_worklist (t->replica, fg_now_ms () / 86400000, err, sizeof err);
    assert (rows);
    bool seen = false;
    for (size_t r = 0; r < fg_rows_count (rows); r++)
        if (strstr (fg_rows_cell (rows, r, 0, NULL), "refused above")) {
            const char *detail = fg_rows_cell (rows, r, 5, NULL);
            assert (strstr (detail, needy_id) && strstr (detail, "income above the dibao line")
                    && strstr (detail, "needy=1") && strstr (detail, "(county 513328)"));
            assert (!seen);
            seen = true;
        }
    assert (seen);
    fg_rows_destroy (&rows);
    //  The prefecture holds both decisions too, and lists the decided states
    assert (fg_testkit_int (p, "SELECT count(*) FROM proposal_decision") == 2);

    //  Accepting is writing: a proposal the HARD rules would refuse (the
    //  township proposes that a pair's cadre be one of another township)
    //  is taken on ingest as a proposal (it applies nothing: refusing it
    //  would stop the township's chain at the county), and refused at the
    //  county's accept with the rule's id, nothing written; it stays
    //  pending until rejected
    {
        fg_kv_t near [] = { { "name", "Near" }, { "rank", "staff" }, { "org_id", "513328100" } };
        fg_kv_t far [] = { { "name", "Far" }, { "rank", "staff" }, { "org_id", "513328101" } };
        uint64_t near_id, far_id;
        assert (fg_record_add (c->replica, "cadre", near, 3, "hr", &near_id, NULL, err, sizeof err) == 0);
        assert (fg_record_add (c->replica, "cadre", far, 3, "hr", &far_id, NULL, err, sizeof err) == 0);
        char cadre_text [40], household_text [24];
        snprintf (cadre_text, sizeof cadre_text, "%llu", (unsigned long long) near_id);
        snprintf (household_text, sizeof household_text, "%llu", (unsigned long long) hh);
        fg_kv_t pair [] = { { "cadre_id", cadre_text }, { "household_id", household_text }, { "role", "primary" },
                            { "form", "territorial" }, { "org_id", "513328100201" } };
        uint64_t pairing;
        assert (fg_record_add (c->replica, "pairing", pair, 5, "officer", &pairing, NULL, err, sizeof err) == 0);
        s_converge (p, c, t);
        snprintf (cadre_text, sizeof cadre_text, "cadre_id=%llu", (unsigned long long) far_id);
        result = s_set (t, "pairing", pairing, cadre_text);
        assert (result.proposals == 1);
        s_converge (p, c, t);
        rows = fg_proposals_rows (c->replica, "pending", err, sizeof err);
        assert (rows && fg_rows_count (rows) == 1 && streq (fg_rows_cell (rows, 0, 2, NULL), "pairing"));
        char pair_id [64];
        snprintf (pair_id, sizeof pair_id, "%s", fg_rows_cell (rows, 0, 10, NULL));
        fg_rows_destroy (&rows);
        int64_t decided = fg_testkit_int (c, "SELECT count(*) FROM proposal_decision");
        assert (fg_proposal_decide (c->replica, pair_id, true, NULL, "chief", err, sizeof err) == -1);
        assert (strstr (err, "rule:P4") && strstr (err, "513328101"));
        snprintf (sql, sizeof sql, "SELECT cadre_id FROM pairing WHERE id = %llu", (unsigned long long) pairing);
        assert (fg_testkit_int (c, sql) == (int64_t) near_id);
        assert (fg_testkit_int (c, "SELECT count(*) FROM proposal_decision") == decided);
        rows = fg_proposals_rows (c->replica, "pending", err, sizeof err);
        assert (rows && fg_rows_count (rows) == 1);
        fg_rows_destroy (&rows);
        assert (fg_proposal_decide (c->replica, pair_id, false, "the cadre works in another township", "chief",
                                    err, sizeof err) == 0);
    }

    //  A county's proposal to the prefecture's registry (a village's
    //  altitude): the county may not decide it; the prefecture accepts it
    {
        fg_kv_t unit [] = { { "id", "513328100201" }, { "name_zh", "一村" }, { "level", "4" } };
        uint64_t code;
        assert (fg_record_add (p->replica, "org_unit", unit, 3, "chief", &code, NULL, err, sizeof err) == 0);
        s_converge (p, c, t);
        result = s_set (c, "org_unit", 513328100201, "altitude_m=4200");
        assert (result.proposals == 1);
        s_converge (p, c, t);
        rows = fg_proposals_rows (p->replica, "pending", err, sizeof err);
        int altitude = s_find (rows, "altitude_m=4200");
        assert (altitude >= 0 && streq (fg_rows_cell (rows, (size_t) altitude, 0, NULL), "128"));
        char altitude_id [64];
        snprintf (altitude_id, sizeof altitude_id, "%s", fg_rows_cell (rows, (size_t) altitude, 10, NULL));
        fg_rows_destroy (&rows);
        assert (fg_proposal_decide (c->replica, altitude_id, true, NULL, "chief", err, sizeof err) == -1);
        assert (strstr (err, "not kept by a county"));
        assert (fg_proposal_decide (p->replica, altitude_id, true, NULL, "chief", err, sizeof err) == 0);
        s_converge (p, c, t);
        for (fg_testnode_t **node = (fg_testnode_t *[]) { p, c, t, NULL }; *node; node++)
            assert (fg_testkit_int (*node, "SELECT altitude_m FROM org_unit WHERE id = 513328100201") == 4200);
        //  The county's own proposal was accepted: nothing on a township's worklist
        rows = fg_proposals_refused (c->replica, err, sizeof err);
        assert (rows && fg_rows_count (rows) == 0);
        fg_rows_destroy (&rows);
    }

    //  A group two tiers keep (cadre.contact, C | P): for a cadre of the
    //  township, the county's row. The township's change of the phone is
    //  a proposal at both hubs; the prefecture may not decide it (the
    //  county keeps the row), the county does, once
    {
        fg_kv_t cadre [] = { { "org_id", "513328100" }, { "name", "Dawa" }, { "phone", "13900000001" } };
        uint64_t cadre_id;
        assert (fg_record_add (c->replica, "cadre", cadre, 3, "hr", &cadre_id, NULL, err, sizeof err) == 0);
        s_converge (p, c, t);
        result = s_set (t, "cadre", cadre_id, "phone=13900000002");
        assert (result.proposals == 1);
        s_converge (p, c, t);
        rows = fg_proposals_rows (p->replica, "pending", err, sizeof err);
        int phone = s_find (rows, "phone=13900000002");
        assert (phone >= 0);
        char phone_id [64];
        snprintf (phone_id, sizeof phone_id, "%s", fg_rows_cell (rows, (size_t) phone, 10, NULL));
        fg_rows_destroy (&rows);
        assert (fg_proposal_decide (p->replica, phone_id, true, NULL, "chief", err, sizeof err) == -1);
        assert (strstr (err, "county hub of 513328 keeps"));
        assert (fg_proposal_decide (c->replica, phone_id, true, NULL, "chief", err, sizeof err) == 0);
        s_converge (p, c, t);
        char phone_sql [128];
        snprintf (phone_sql, sizeof phone_sql, "SELECT count(*) FROM cadre WHERE id = %llu AND phone = '13900000002'",
                  (unsigned long long) cadre_id);
        for (fg_testnode_t **node = (fg_testnode_t *[]) { p, c, t, NULL }; *node; node++)
            assert (fg_testkit_int (*node, phone_sql) == 1);
        //  ... and the prefecture, which holds the decision now, still may not
        assert (fg_proposal_decide (p->replica, phone_id, false, "no", "chief", err, sizeof err) == -1);
    }

    if (verbose)
        printf ("(%s rejected, %s accepted) ", needy_id, demo_id);
    fg_testkit_chain_end (&dir, &pref, &county, &town);
    printf ("OK\n");
}
