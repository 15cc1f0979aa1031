/*  fg_rules_test.c - self-test `rules`: the rules of DOMAIN.md §3 over a
    real tree (prefecture 513300, county 513328, township 513328100, real
    keys and replica files), each with a fixture where it holds, one where
    it is violated, and for the REPORT rules whose evidence can sit below,
    one where it is pending at the county because the township's log is
    known there only up to a time before the deadline plus the grace.

    Time: entries carry the real clock, so "the township is known up to
    now". A deadline in the past (business dates before today) is passed
    by what the county knows: VIOLATED. A deadline in the future, judged
    as of a later day (--date), is not: PENDING_SYNC at the county, naming
    the township, while the township itself, which knows its own log up
    to that day, says VIOLATED.

    The HARD rules M3 and V3: refused at the desk (fg_record_add fails with
    rule:M3 / rule:V3 and nothing is written) and, for a township running
    software without the check, refused on ingest at the county
    (quarantine reason rule:M3), with the refusal back at the author. */
#include "fg_selftests.h"
#include "fg_rules.h"
#include "fg_record.h"
#include "fg_catalogue.h"
#include "fg_testkit.h"
#include "fg_util.h"
#include "fg_directive.h"

static int64_t s_today;

//  Write a row from "name=value" strings (NULL-terminated); its id, or 0
//  if refused (the reason in err, when given).
static uint64_t
s_try (fg_testnode_t *node, char *err, const char *table, ...)
{
    char *texts [20];
    fg_kv_t fields [20];
    size_t count = 0;
    va_list args;
    va_start (args, table);
    const char *text;
    while ((text = va_arg (args, const char *))) {
        assert (count < 20);
        texts [count] = strdup (text);
        assert (fg_kv_parse (texts [count], &fields [count]) == 0);
        count++;
    }
    va_end (args);
    uint64_t id = 0;
    char local [512];
    fg_merge_result_t result;
    int rc = fg_record_add (node->replica, table, fields, count, "test", &id, &result,
                            err ? err : local, 512);
    for (size_t i = 0; i < count; i++)
        free (texts [i]);
    if (rc == 0 && result.rejected)
        rc = -1;
    if (rc && !err)
        fprintf (stderr, "s_add %s: %s\n", table, local);
    return rc ? 0 : id;
}

#define s_add(node, ...) s_check_id (s_try (node, NULL, __VA_ARGS__, NULL))
static uint64_t
s_check_id (uint64_t id)
{
    assert (id);
    return id;
}

//  "name=YYYY-MM-DD" for today + offset
static const char *
s_date (const char *name, int64_t offset)
{
    static char texts [16][48];
    static int next;
    char *text = texts [next++ % 16];
    char date [16];
    fg_date_format (s_today + offset, date);
    snprintf (text, 48, "%s=%s", name, date);
    return text;
}

static const char *
s_id (const char *name, uint64_t id)
{
    static char texts [16][64];
    static int next;
    char *text = texts [next++ % 16];
    snprintf (text, 64, "%s=%llu", name, (unsigned long long) id);
    return text;
}

static fg_findings_t *
s_eval (fg_testnode_t *node, const char *rule, int64_t offset)
{
    char err [512];
    fg_findings_t *findings = fg_rules_evaluate (node->replica, rule, NULL, s_today + offset, err, sizeof err);
    if (!findings)
        fprintf (stderr, "evaluate %s: %s\n", rule, err);
    assert (findings);
    //  Every evidence has its Chinese (fg_rules_zh.c: a template per format)
    for (size_t i = 0; i < fg_findings_count (findings); i++) {
        char zh [512];
        const fg_finding_t *finding = fg_findings_at (findings, i);
        if (!fg_rules_text_zh (finding->evidence, zh, sizeof zh))
            fprintf (stderr, "%s: no Chinese for '%s'\n", finding->rule, finding->evidence);
        assert (fg_rules_text_zh (finding->evidence, zh, sizeof zh));
    }
    return findings;
}

//  The state of rule's finding on (table, id) at node as of today+offset;
//  -1 if there is none (the rule holds).
static int
s_state (fg_testnode_t *node, const char *rule, int64_t offset, const char *table, uint64_t id)
{
    fg_findings_t *findings = s_eval (node, rule, offset);
    const fg_finding_t *finding = fg_findings_find (findings, rule, table, id);
    int state = finding ? (int) finding->state : -1;
    fg_findings_destroy (&findings);
    return state;
}

//  The state of node's finding of rule on (table, id) as of today+offset
//  whose evidence says `text` (a subject with findings of two kinds); -1
//  if there is none
static int
s_says (fg_testnode_t *node, const char *rule, int64_t offset, const char *table, uint64_t id, const char *text)
{
    fg_findings_t *findings = s_eval (node, rule, offset);
    int state = -1;
    for (size_t i = 0; i < fg_findings_count (findings); i++) {
        const fg_finding_t *finding = fg_findings_at (findings, i);
        if (streq (finding->table, table) && finding->subject_id == id && strstr (finding->evidence, text))
            state = (int) finding->state;
    }
    fg_findings_destroy (&findings);
    return state;
}

//  Whether a finding waits for node `id`
static bool
s_waits_for (fg_testnode_t *node, const char *rule, int64_t offset, const char *table, uint64_t subject,
             uint16_t id)
{
    fg_findings_t *findings = s_eval (node, rule, offset);
    const fg_finding_t *finding = fg_findings_find (findings, rule, table, subject);
    assert (finding);
    bool waits = false;
    for (size_t i = 0; i < finding->waiting_count; i++)
        waits |= finding->waiting [i] == id;
    fg_findings_destroy (&findings);
    return waits;
}

static void
s_converge (fg_testnode_t *p, fg_testnode_t *c, fg_testnode_t *t)
{
    fg_testkit_sync (t, c, true);
    fg_testkit_sync (c, p, true);
    fg_testkit_sync (p, c, false);
    fg_testkit_sync (c, t, false);
    fg_testkit_sync (t, c, true);
    fg_testkit_sync (c, p, true);
}

#define VIOLATED FG_FINDING_VIOLATED
#define PENDING  FG_FINDING_PENDING
#define HOLDS    (-1)

static void
s_test_params (fg_testnode_t *p, fg_testnode_t *c, fg_testnode_t *t)
{
    int64_t version;
    assert (fg_rules_param (c->replica, "grace_days", &version) == 3 && version == 0);
    assert (fg_rules_param (c->replica, "window_seriously_ill", &version) == 7 && version == 0);
    //  The prefecture issues version 2, then (later, by mistake) a version 1:
    //  the highest version applies everywhere, whatever the order
    s_add (p, "rule_param", "version=2", "name=window_sudden_disaster", "value=5", "org_id=513300");
    s_add (p, "rule_param", "version=1", "name=window_sudden_disaster", "value=9", "org_id=513300");
    s_converge (p, c, t);
    assert (fg_rules_param (p->replica, "window_sudden_disaster", &version) == 5 && version == 2);
    assert (fg_rules_param (c->replica, "window_sudden_disaster", &version) == 5 && version == 2);
    assert (fg_rules_param (t->replica, "window_sudden_disaster", &version) == 5 && version == 2);
    //  Only the prefecture issues them: the county's row is not applied
    char err [512];
    uint64_t id = s_try (c, err, "rule_param", "version=9", "name=window_sudden_disaster", "value=1",
                         "org_id=513328", NULL);
    assert (id == 0 || fg_rules_param (c->replica, "window_sudden_disaster", NULL) == 5);
    fg_rows_t *rows = fg_rules_param_rows (c->replica);
    assert (fg_rows_count (rows) >= 15 && streq (fg_rows_column_name (rows, 0), "name"));
    fg_rows_destroy (&rows);
}

//  A township whose software has no HARD rules (an older version): its
//  desk writes what the rules would refuse, so that a hub's check is seen
static fg_replica_hooks_t s_no_rules;
static void s_old_tier (fg_testnode_t *old, const char *dir, uint16_t id, fg_tier_t tier, const char *org);
static void
s_old_node (fg_testnode_t *old, const char *dir, uint16_t id, const char *org)
{
    s_old_tier (old, dir, id, FG_TIER_TOWNSHIP, org);
}

static void
s_old_tier (fg_testnode_t *old, const char *dir, uint16_t id, fg_tier_t tier, const char *org)
{
    s_no_rules = *fg_programme_hooks ();
    s_no_rules.on_ingest = NULL;
    memset (old, 0, sizeof *old);
    old->keys = fg_keys_new ();
    old->node.node_id = id;
    old->node.tier = tier;
    snprintf (old->node.org, sizeof old->node.org, "%s", org);
    snprintf (old->node.name, sizeof old->node.name, "old %s %s", fg_tier_name (tier), org);
    memcpy (old->node.sign_pk, fg_keys_sign_pk (old->keys), FG_SIGN_PK_SIZE);
    snprintf (old->node.curve_pk, sizeof old->node.curve_pk, "%s", zcert_public_txt (fg_keys_cert (old->keys)));
    char *path = fg_strdupf ("%s/old%u.db", dir, id);
    old->replica = fg_replica_create (path, &old->node, &s_no_rules);
    free (path);
    assert (old->replica);
    fg_replica_set_keys (old->replica, old->keys);
}

//  Set one field of a row
static void
s_set (fg_testnode_t *node, const char *table, uint64_t id, const char *text)
{
    char *copy = strdup (text);
    fg_kv_t kv;
    assert (fg_kv_parse (copy, &kv) == 0);
    char err [512];
    int rc = fg_record_set (node->replica, table, id, &kv, 1, "test", NULL, err, sizeof err);
    if (rc)
        fprintf (stderr, "s_set %s: %s\n", table, err);
    assert (rc == 0);
    free (copy);
}

//  "name=YYYY-MM-DD" for a day of last calendar year (month, day)
static const char *
s_last_year (const char *name, int month, int mday)
{
    static char texts [8][48];
    static int next;
    char *text = texts [next++ % 8];
    char today [16];
    fg_date_format (s_today, today);
    snprintf (text, 48, "%s=%04d-%02d-%02d", name, atoi (today) - 1, month, mday);
    return text;
}

//  T, B, C, S, A, V4
static void
s_test_families (fg_testnode_t *p, fg_testnode_t *c, fg_testnode_t *t, uint64_t household)
{
    char err [512];
    const char *v1 = "org_id=513328100201";
    //  ---------------------------------------------------------------- P7
    //  As of December 1 of this year: no plan for the year from July yet,
    //  then version 1 effective July 1, then a version 3 naming base 1
    {
        char today [16], text [48];
        fg_date_format (s_today, today);
        int64_t december;
        snprintf (text, sizeof text, "%04d-12-01", atoi (today));
        assert (fg_date_parse (text, &december) == 0);
        int64_t at = december - s_today;
        assert (s_state (c, "P7", at, "org_unit", 513328) == VIOLATED);
        char year [32], effective [48];
        snprintf (year, sizeof year, "cycle_year=%d", atoi (today));
        snprintf (effective, sizeof effective, "effective_on=%04d-07-01", atoi (today));
        uint64_t plan1 = s_add (c, "pairing_plan", year, "version=1", effective, "org_id=513328");
        assert (s_state (c, "P7", at, "org_unit", 513328) == HOLDS);
        assert (s_state (c, "P7", at, "pairing_plan", plan1) == HOLDS);
        uint64_t plan3 = s_add (c, "pairing_plan", year, "version=3", "base_version=1", effective, "org_id=513328");
        assert (s_state (c, "P7", at, "pairing_plan", plan3) == HOLDS);      //  1 is the version before it
        uint64_t plan2 = s_add (c, "pairing_plan", year, "version=2", "base_version=1", effective, "org_id=513328");
        assert (s_state (c, "P7", at, "pairing_plan", plan2) == HOLDS);
        assert (s_state (c, "P7", at, "pairing_plan", plan3) == VIOLATED);  //  now 2 is
    }

    //  ------------------------------------------------------------ T1-T7
    uint64_t leader = s_add (c, "cadre", "name=Leader", "rank=county_deputy", "org_id=513328");
    uint64_t staff = s_add (c, "cadre", "name=Staff", "rank=staff", "org_id=513328");
    uint64_t s1 = s_add (c, "religious_site", "name=Gonpa", "registered=yes", "resident_count=2", v1);
    s_set (c, "religious_site", s1, s_date ("infra_surveyed_on", -30));
    uint64_t s2 = s_add (c, "religious_site", "name=Lhakhang", "registered=yes", v1);
    uint64_t s3 = s_add (c, "religious_site", "name=Ritro", "registered=yes", v1);
    uint64_t tc1 = s_add (c, "temple_contact", s_id ("site_id", s1), s_id ("cadre_id", leader), "level=county",
                          s_date ("start_on", -800), v1);
    uint64_t tc3 = s_add (c, "temple_contact", s_id ("site_id", s3), s_id ("cadre_id", leader), "level=county",
                          s_date ("start_on", -800), v1);
    s_add (c, "temple_contact", s_id ("site_id", s2), s_id ("cadre_id", staff), "level=county",
           s_date ("start_on", -800), v1);
    s_add (c, "monastic", s_id ("site_id", s1), "name=Monk", "residence_status=resident", v1);
    s_add (c, "temple_engagement", s_id ("site_id", s1), s_id ("cadre_id", leader), "kind=visit",
           s_last_year ("occurred_on", 3, 10), v1);
    s_add (c, "temple_engagement", s_id ("site_id", s1), s_id ("cadre_id", leader), "kind=visit",
           s_last_year ("occurred_on", 9, 10), v1);
    s_add (c, "temple_engagement", s_id ("site_id", s3), s_id ("cadre_id", leader), "kind=visit",
           s_last_year ("occurred_on", 9, 10), v1);
    assert (s_state (c, "T1", 0, "religious_site", s1) == HOLDS);
    assert (s_state (c, "T1", 0, "religious_site", s2) == VIOLATED);        //  its contact is below deputy county
    assert (s_state (c, "T4", 0, "temple_contact", tc1) == HOLDS);
    assert (s_state (c, "T4", 0, "temple_contact", tc3) == VIOLATED);       //  one visit last year
    assert (s_state (c, "T6", 0, "religious_site", s1) == VIOLATED);        //  2 counted, 1 in the archive
    assert (s_state (c, "T6", 0, "religious_site", s2) == HOLDS);
    assert (s_state (c, "T7", 0, "religious_site", s1) == HOLDS);
    assert (s_state (c, "T7", 0, "religious_site", s2) == VIOLATED);
    uint64_t r1 = s_add (c, "religious_representative", s_id ("site_id", s1), "name=Khenpo", v1);
    uint64_t r2 = s_add (c, "religious_representative", "name=Tulku", v1);
    assert (s_state (c, "T2", 0, "religious_representative", r1) == HOLDS);   //  its site's contact
    assert (s_state (c, "T2", 0, "religious_representative", r2) == VIOLATED);
    s_add (c, "temple_contact", s_id ("representative_id", r2), s_id ("cadre_id", leader), "level=county",
           s_date ("start_on", -3), v1);
    assert (s_state (c, "T2", 0, "religious_representative", r2) == HOLDS);
    //  The prefecture: its leader without a contact (T3), a cadre of
    //  another county contacting a site of this one (T5)
    uint64_t pleader = s_add (p, "cadre", "name=Prefect", "rank=prefecture_chief", "roles=prefecture_leader",
                              "org_id=513300");
    uint64_t pleader2 = s_add (p, "cadre", "name=Principal", "rank=prefecture_deputy",
                               "roles=prefecture_department_principal", "org_id=513300");
    uint64_t outsider = s_add (p, "cadre", "name=Outsider", "rank=county_chief", "org_id=513321");
    s_converge (p, c, t);
    s_add (p, "temple_contact", s_id ("site_id", s2), s_id ("cadre_id", pleader2), "level=prefecture",
           s_date ("start_on", -10), "org_id=513300");
    //  Written as county-level it is refused at the desk (T5); written
    //  with no level (an older row) the report finds it
    assert (!s_try (p, err, "temple_contact", s_id ("site_id", s3), s_id ("cadre_id", outsider), "level=county",
                    s_date ("start_on", -10), v1, NULL));
    assert (strstr (err, "rule:T5") && strstr (err, "513321"));
    uint64_t tc5 = s_add (p, "temple_contact", s_id ("site_id", s3), s_id ("cadre_id", outsider),
                          s_date ("start_on", -10), v1);
    //  A second contact of the principal is refused (T3, HARD)
    assert (!s_try (p, err, "temple_contact", s_id ("site_id", s3), s_id ("cadre_id", pleader2), "level=prefecture",
                    s_date ("start_on", -1), "org_id=513300", NULL));
    assert (strstr (err, "rule:T3"));
    assert (s_state (p, "T3", 0, "cadre", pleader) == VIOLATED);
    assert (s_state (p, "T3", 0, "cadre", pleader2) == HOLDS);
    assert (s_state (p, "T5", 0, "temple_contact", tc5) == VIOLATED);
    assert (s_state (p, "T5", 0, "temple_contact", tc1) == HOLDS);
    assert (s_state (p, "T1", 0, "religious_site", s2) == HOLDS);           //  the principal contacts it now

    //  ------------------------------------------------------------ B1-B5
    uint64_t ob1 = s_add (c, "party_branch", "name=Bureau A", "level=county", "kind=organ", "org_id=513328");
    uint64_t ob2 = s_add (c, "party_branch", "name=Bureau B", "level=county", "kind=organ", "org_id=513328");
    uint64_t vb1 = s_add (c, "party_branch", "name=Village 1", "level=village", "kind=pastoral_village", v1);
    uint64_t vb2 = s_add (c, "party_branch", "name=Village 2", "level=village", "kind=pastoral_village",
                          "org_id=513328100202");
    uint64_t bp1 = s_add (c, "branch_pairing", s_id ("organ_branch_id", ob2), s_id ("village_branch_id", vb1),
                          s_date ("start_on", -100), v1);
    uint64_t bp2 = s_add (c, "branch_pairing", s_id ("organ_branch_id", ob2), s_id ("village_branch_id", vb1),
                          s_date ("start_on", -100), s_date ("letter_signed_on", -90), v1);
    assert (s_state (c, "B1", 0, "party_branch", ob1) == VIOLATED);
    assert (s_state (c, "B1", 0, "party_branch", ob2) == HOLDS);            //  two pairings
    assert (s_state (c, "B4", 0, "party_branch", vb1) == HOLDS);
    assert (s_state (c, "B4", 0, "party_branch", vb2) == VIOLATED);
    assert (s_state (c, "B5", 0, "branch_pairing", bp1) == VIOLATED);       //  no letter after 100 days
    assert (s_state (c, "B5", 0, "branch_pairing", bp2) == HOLDS);
    uint64_t pb = s_add (p, "party_branch", "name=Prefecture bureau", "level=prefecture", "kind=organ",
                         "org_id=513300");
    uint64_t pbp = s_add (p, "branch_pairing", s_id ("organ_branch_id", pb), s_id ("village_branch_id", vb2),
                          s_date ("start_on", -400), s_date ("end_on", -10), s_date ("letter_signed_on", -400),
                          "org_id=513300");
    assert (s_state (p, "B3", 0, "branch_pairing", pbp) == VIOLATED);       //  ended after 390 days
    assert (s_state (p, "B2", 0, "party_branch", pb) == VIOLATED);          //  none active now
    uint64_t locked = s_add (p, "branch_pairing", s_id ("organ_branch_id", pb), s_id ("village_branch_id", vb2),
                             s_date ("start_on", -5), s_date ("letter_signed_on", -5), "org_id=513300");
    assert (s_state (p, "B2", 0, "party_branch", pb) == HOLDS);
    //  B3 at the prefecture's desk: the locked pairing neither ends nor
    //  changes village before 3 years, unless an override directive says so
    {
        char *texts [2];
        fg_kv_t kv [2];
        texts [0] = strdup (s_date ("end_on", 0));
        assert (fg_kv_parse (texts [0], &kv [0]) == 0);
        assert (fg_record_set (p->replica, "branch_pairing", locked, kv, 1, "test", NULL, err, sizeof err) == -1);
        assert (strstr (err, "rule:B3") && strstr (err, "locked until"));
        texts [1] = strdup (s_id ("village_branch_id", vb1));
        assert (fg_kv_parse (texts [1], &kv [1]) == 0);
        assert (fg_record_set (p->replica, "branch_pairing", locked, &kv [1], 1, "test", NULL, err, sizeof err) == -1);
        assert (strstr (err, "rule:B3") && strstr (err, "does not change"));
        uint64_t directive = s_add (p, "directive", "title=village merged", "kind=branch_pairing_assignment",
                                    "org_id=513300");
        char *override = strdup (s_id ("override_directive_id", directive));
        assert (fg_kv_parse (override, &kv [1]) == 0);
        assert (fg_record_set (p->replica, "branch_pairing", locked, kv, 2, "test", NULL, err, sizeof err) == 0);
        free (override);
        free (texts [0]);
        free (texts [1]);
    }

    //  ------------------------------------------------ S2 (HARD and report)
    s_add (c, "assessment", "subject_kind=township", "cycle=year_end", "cycle_year=2026", "dimension=organizational",
           "weight_permille=400", "org_id=513328100");
    s_add (c, "assessment", "subject_kind=township", "cycle=year_end", "cycle_year=2026", "dimension=social",
           "weight_permille=300", "org_id=513328100");
    uint64_t mass = s_add (c, "assessment", "subject_kind=township", "cycle=year_end", "cycle_year=2026",
                           "dimension=mass", "weight_permille=300", "org_id=513328100");
    assert (s_state (c, "S2", 0, "assessment", mass) == HOLDS);
    assert (!s_try (c, err, "assessment", "subject_kind=township", "cycle=year_end", "cycle_year=2026",
                    "dimension=mass", "weight_permille=100", "org_id=513328100", NULL));
    assert (strstr (err, "rule:S2") && strstr (err, "past 1000"));
    assert (!s_try (c, err, "assessment", "subject_kind=township", "cycle=year_end", "cycle_year=2025",
                    "dimension=mass", "weight_permille=5000", "org_id=513328100", NULL));
    assert (strstr (err, "rule:S2"));
    uint64_t low = s_add (c, "assessment", "subject_kind=township", "cycle=year_end", "cycle_year=2025",
                          "dimension=organizational", "weight_permille=300", "org_id=513328100");
    s_add (c, "assessment", "subject_kind=township", "cycle=year_end", "cycle_year=2025", "dimension=social",
           "weight_permille=300", "org_id=513328100");
    s_add (c, "assessment", "subject_kind=township", "cycle=year_end", "cycle_year=2025", "dimension=mass",
           "weight_permille=300", "org_id=513328100");
    assert (s_state (c, "S2", 0, "assessment", low) == VIOLATED);            //  three dimensions, 900

    //  ------------------------------------------- C1, C2 at the prefecture
    uint64_t magistrate = s_add (p, "cadre", "name=Magistrate", "rank=county_chief", "roles=county_magistrate",
                                 "org_id=513328");
    uint64_t other = s_add (p, "cadre", "name=Other", "rank=county_deputy", "roles=county_magistrate",
                            "org_id=513328");
    uint64_t nom [3];
    uint64_t nominees [3] = { magistrate, other, magistrate };
    for (int i = 0; i < 3; i++) {
        nom [i] = s_add (p, "nomination", "year=2026", "category=county_magistrate",
                         s_id ("nominee_cadre_id", nominees [i]), "org_id=513328");
        s_add (p, "nomination_event", s_id ("nomination_id", nom [i]), "transition=review", "org_id=513328");
        s_add (p, "nomination_event", s_id ("nomination_id", nom [i]), "transition=publicize", "org_id=513328");
    }
    assert (!s_try (p, err, "nomination_event", s_id ("nomination_id", nom [0]), "transition=award",
                    "occurred_on=2026-08-10", "org_id=513328", NULL));
    assert (strstr (err, "rule:C2") && strstr (err, "window"));
    s_add (p, "nomination_event", s_id ("nomination_id", nom [0]), "transition=award", "occurred_on=2026-07-10",
           "org_id=513328");
    assert (fg_testkit_int (p, "SELECT count(*) FROM nomination WHERE state = 'AWARDED'") == 1);
    assert (!s_try (p, err, "nomination_event", s_id ("nomination_id", nom [1]), "transition=award",
                    "occurred_on=2026-07-11", "org_id=513328", NULL));
    assert (strstr (err, "rule:C1") && strstr (err, "quota is 1"));
    //  A quota of 3 issued for the year: the second award is taken, the
    //  third (the same person again) is refused by C2
    s_add (p, "commendation_cycle", "version=1", "year=2026", "quota_county_magistrate=3", "org_id=513300");
    s_add (p, "nomination_event", s_id ("nomination_id", nom [1]), "transition=award", "occurred_on=2026-07-11",
           "org_id=513328");
    assert (!s_try (p, err, "nomination_event", s_id ("nomination_id", nom [2]), "transition=award",
                    "occurred_on=2026-07-12", "org_id=513328", NULL));
    assert (strstr (err, "rule:C2") && strstr (err, "already awarded"));
    assert (s_state (p, "C1", 0, "nomination", nom [1]) == HOLDS);
    assert (s_state (p, "C2", 0, "nomination", nom [0]) == HOLDS);
    //  The quota lowered again (version 2): the award held over it is listed
    s_add (p, "commendation_cycle", "version=2", "year=2026", "quota_county_magistrate=1", "org_id=513300");
    assert (s_state (p, "C1", 0, "nomination", nom [1]) == VIOLATED);
    assert (s_state (p, "C1", 0, "nomination", nom [0]) == HOLDS);

    //  ------------------------------------------------------------ A2-A4
    uint64_t waiting = s_add (t, "appeal", "appellant_name=A", "type=difficulty", "summary=fodder",
                              s_date ("received_on", -30), v1);
    uint64_t taken = s_add (t, "appeal", "appellant_name=B", "type=difficulty", "summary=road",
                            s_date ("received_on", -30), v1);
    s_add (t, "appeal_event", s_id ("appeal_id", taken), "transition=register", s_date ("occurred_on", -25), v1);
    uint64_t fresh = s_add (t, "appeal", "appellant_name=C", "type=difficulty", "summary=water",
                            s_date ("received_on", -3), v1);
    assert (s_state (t, "A2", 0, "appeal", waiting) == VIOLATED);
    assert (s_state (t, "A2", 0, "appeal", taken) == HOLDS);
    assert (s_state (t, "A2", 0, "appeal", fresh) == HOLDS);
    s_converge (p, c, t);
    assert (s_state (c, "A2", 0, "appeal", waiting) == VIOLATED);
    assert (s_state (c, "A2", 28, "appeal", fresh) == PENDING);              //  due at +12: after now
    //  A3: resolved 40 days ago, no feedback; the other told the appellant
    uint64_t resolved [2];
    for (int i = 0; i < 2; i++) {
        resolved [i] = s_add (t, "appeal", "appellant_name=D", "type=dispute", "summary=pasture",
                              s_date ("received_on", -60), v1);
        const char *steps [] = { "register", "assign", "start", "resolve", "feedback" };
        int64_t days [] = { -58, -57, -56, -40, -39 };
        for (int k = 0; k < (i ? 5 : 4); k++) {
            char transition [32];
            snprintf (transition, sizeof transition, "transition=%s", steps [k]);
            s_add (t, "appeal_event", s_id ("appeal_id", resolved [i]), transition,
                   s_date ("occurred_on", days [k]), v1);
        }
    }
    assert (fg_testkit_int (t, "SELECT count(*) FROM appeal WHERE state = 'RESOLVED'") == 1);
    assert (s_state (t, "A3", 0, "appeal", resolved [0]) == VIOLATED);
    assert (s_state (t, "A3", 0, "appeal", resolved [1]) == HOLDS);
    assert (s_state (t, "A2", 0, "appeal", resolved [0]) == HOLDS);           //  resolved 17 days after assignment
    uint64_t notice = s_add (t, "disclosure", "category=village_affairs", s_date ("posted_on", -20), v1);
    uint64_t ignored = s_add (t, "disclosure_objection", s_id ("disclosure_id", notice), "reason=missing names",
                              s_date ("occurred_on", -10), v1);
    uint64_t answered = s_add (t, "disclosure_objection", s_id ("disclosure_id", notice), "reason=wrong sum",
                               s_id ("appeal_id", taken), s_date ("occurred_on", -31), v1);
    assert (s_state (t, "A4", 0, "disclosure_objection", ignored) == VIOLATED);
    assert (s_state (t, "A4", 0, "disclosure_objection", answered) == HOLDS);

    //  ---------------------------------------------------------------- D2
    //  Two projects that must be disclosed spent 20 days ago; one posted
    //  its disclosure 30 days ago for 10 days, the other none
    uint64_t proj [2];
    for (int i = 0; i < 2; i++) {
        proj [i] = s_add (c, "happiness_project", "name=Water", "action=drinking_water", "disclosure_required=yes",
                          "org_id=513328100");
        s_add (c, "project_progress", s_id ("project_id", proj [i]), "spent_fen=100000", s_date ("occurred_on", -20),
               "org_id=513328100");
    }
    s_add (c, "disclosure", "category=poverty_project", s_id ("project_id", proj [0]), s_date ("posted_on", -30),
           s_date ("posted_until", -20), "org_id=513328100");
    assert (s_state (c, "D2", 0, "happiness_project", proj [0]) == HOLDS);
    assert (s_state (c, "D2", 0, "happiness_project", proj [1]) == VIOLATED);
    //  Completed yesterday: within the grace; as of +10 not disclosed
    //  since, but the township (which may post it) is known only to now
    s_set (c, "happiness_project", proj [0], "status=completed");
    s_add (c, "project_progress", s_id ("project_id", proj [0]), "progress_permille=1000",
           s_date ("occurred_on", -1), "org_id=513328100");
    assert (s_state (c, "D2", 0, "happiness_project", proj [0]) == HOLDS);
    assert (s_state (c, "D2", 10, "happiness_project", proj [0]) == PENDING);
    assert (s_waits_for (c, "D2", 10, "happiness_project", proj [0], 28100));
    s_add (c, "disclosure", "category=poverty_project", s_id ("project_id", proj [0]), s_date ("posted_on", 0),
           "org_id=513328100");
    assert (s_state (c, "D2", 10, "happiness_project", proj [0]) == HOLDS);

    //  ---------------------------------------------------------------- V4
    uint64_t person = s_add (t, "person", s_id ("household_id", household), "name=Elder", v1);
    uint64_t unverified = s_add (t, "vulnerable_person", s_id ("person_id", person), "category=disabled",
                                 s_date ("identified_on", -60), v1);
    uint64_t verified = s_add (t, "vulnerable_person", s_id ("person_id", person), "category=disabled",
                               s_date ("identified_on", -60), v1);
    //  V2: five-guarantee people, one subsidised last year
    uint64_t wubao [2];
    for (int i = 0; i < 2; i++)
        wubao [i] = s_add (t, "vulnerable_person", s_id ("person_id", person), "category=rural_five_guarantee",
                           s_date ("identified_on", -800), v1);
    s_add (t, "assistance_record", "beneficiary_kind=vulnerable_person", s_id ("beneficiary_id", wubao [1]),
           "type=medical_insurance_subsidy", "amount_fen=18000", s_last_year ("occurred_on", 2, 1), v1);
    assert (s_state (t, "V2", 0, "vulnerable_person", wubao [0]) == VIOLATED);
    assert (s_state (t, "V2", 0, "vulnerable_person", wubao [1]) == HOLDS);
    //  V2's housing half: scattered five-guarantee people never checked,
    //  checked a month ago (safe), found dilapidated 200 days ago (not
    //  renovated; renovated since)
    uint64_t home [4];
    for (int i = 0; i < 4; i++)
        home [i] = s_add (t, "vulnerable_person", s_id ("person_id", person), "category=rural_five_guarantee",
                          "five_guarantee_mode=scattered", s_date ("identified_on", -800), v1);
    s_set (t, "vulnerable_person", home [1], "housing_condition=safe");
    s_set (t, "vulnerable_person", home [1], s_date ("housing_checked_on", -30));
    s_set (t, "vulnerable_person", home [2], "housing_condition=dilapidated_d");
    s_set (t, "vulnerable_person", home [2], s_date ("housing_checked_on", -200));
    s_set (t, "vulnerable_person", home [3], "housing_condition=dilapidated_c");
    s_set (t, "vulnerable_person", home [3], s_date ("housing_checked_on", -200));
    s_add (t, "assistance_record", "beneficiary_kind=vulnerable_person", s_id ("beneficiary_id", home [3]),
           "type=dilapidated_house_renovation", "amount_fen=3000000", s_date ("occurred_on", -100), v1);
    assert (s_says (t, "V2", 0, "vulnerable_person", home [0], "no housing-condition check") == VIOLATED);
    assert (s_says (t, "V2", 0, "vulnerable_person", home [1], "hous") == -1);
    assert (s_says (t, "V2", 400, "vulnerable_person", home [1], "housing last checked") == VIOLATED);
    assert (s_says (t, "V2", 0, "vulnerable_person", home [2], "(grade D)") == VIOLATED);
    assert (s_says (t, "V2", 0, "vulnerable_person", home [2], "housing-condition") == -1);
    assert (s_says (t, "V2", 0, "vulnerable_person", home [3], "hous") == -1);
    //  A premium-subsidy finding apart from the housing ones
    assert (s_says (t, "V2", 0, "vulnerable_person", home [2], "premium subsidy") == VIOLATED);
    s_converge (p, c, t);
    assert (s_state (c, "V2", 0, "vulnerable_person", wubao [0]) == VIOLATED);
    assert (s_says (c, "V2", 0, "vulnerable_person", home [2], "(grade D)") == VIOLATED);
    //  A check is the township's: in a year the county, which knows the
    //  township only up to now, cannot tell whether one was made
    assert (s_says (c, "V2", 400, "vulnerable_person", home [1], "housing last checked") == PENDING);
    s_set (c, "vulnerable_person", verified, s_date ("cert_on", -50));
    assert (s_state (c, "V4", 0, "vulnerable_person", unverified) == VIOLATED);
    assert (s_state (c, "V4", 0, "vulnerable_person", verified) == HOLDS);
    s_converge (p, c, t);
}

//  Day number of YYYY-MM-DD
static int64_t
s_ymd (int year, int month, int mday)
{
    char text [48];
    snprintf (text, sizeof text, "%04d-%02d-%02d", year, month, mday);
    int64_t day;
    assert (fg_date_parse (text, &day) == 0);
    return day;
}

//  "name=YYYY-MM-DD" of a day number
static const char *
s_day (const char *name, int64_t day)
{
    return s_date (name, day - s_today);
}

//  Year and month of a day number
static void
s_ym (int64_t day, int *year, int *month)
{
    char text [16];
    fg_date_format (day, text);
    *year = atoi (text);
    *month = atoi (text + 5);
}

//  P6, P8, S1, D1, D3
static void
s_test_more (fg_testnode_t *p, fg_testnode_t *c, fg_testnode_t *t, const char *dir)
{
    const char *v1 = "org_id=513328100201", *v2 = "org_id=513328100202";
    char err [512];
    //  ---------------------------------------------------------------- P6
    //  Leaving cadres and their households (G_transfer 30 days): Gyatso
    //  transferred 40 days ago (due 10 days ago), Yangzom retired 20 days
    //  ago (due in 10 days)
    uint64_t gone = s_add (c, "cadre", "name=Gyatso", "rank=staff", "org_id=513328100");
    uint64_t going = s_add (c, "cadre", "name=Yangzom", "rank=staff", "org_id=513328100");
    uint64_t heir = s_add (c, "cadre", "name=Norbu", "rank=staff", "org_id=513328100");
    uint64_t hh [4], pair [4];
    for (int i = 0; i < 4; i++) {
        hh [i] = s_add (t, "household", "head_name=Transfer", "economy=herding", v1, s_date ("valid_from", -900));
    }
    s_converge (p, c, t);
    for (int i = 0; i < 4; i++)
        pair [i] = s_add (c, "pairing", s_id ("cadre_id", i < 3 ? gone : going), s_id ("household_id", hh [i]),
                          "role=primary", "form=territorial", s_date ("start_on", -800), v1);
    s_set (c, "cadre", gone, "status=transferred");
    s_set (c, "cadre", gone, s_date ("status_from", -40));
    s_set (c, "cadre", going, "status=retired");
    s_set (c, "cadre", going, s_date ("status_from", -20));
    //  hh0's pair ended in time, hh1's late, hh2's not at all; hh3's is
    //  not due yet
    s_set (c, "pairing", pair [0], s_date ("end_on", -35));
    s_set (c, "pairing", pair [1], s_date ("end_on", -5));
    s_converge (p, c, t);
    assert (s_state (c, "P6", 0, "pairing", pair [0]) == HOLDS);
    assert (s_state (c, "P6", 0, "pairing", pair [1]) == VIOLATED);         //  ended after the due day
    assert (s_state (c, "P6", 0, "pairing", pair [2]) == VIOLATED);         //  the county's own: not ended
    assert (s_state (p, "P6", 0, "pairing", pair [2]) == VIOLATED);         //  the county is known past it
    assert (s_state (c, "P6", 0, "pairing", pair [3]) == HOLDS);            //  due in 10 days
    //  The households not re-paired: the township is known past the due day
    for (int i = 0; i < 3; i++)
        assert (s_state (c, "P6", 0, "household", hh [i]) == VIOLATED);
    //  As of +20 Yangzom's pair is due: the county judges its own log, the
    //  prefecture waits for the county (known only to now)
    assert (s_state (c, "P6", 20, "pairing", pair [3]) == VIOLATED);
    assert (s_state (p, "P6", 20, "pairing", pair [3]) == PENDING);
    assert (s_waits_for (p, "P6", 20, "pairing", pair [3], 128));
    assert (s_state (c, "P6", 20, "household", hh [3]) == PENDING);         //  a provisional pair may
    assert (s_waits_for (c, "P6", 20, "household", hh [3], 28100));         //  come from the township
    //  hh0 gets a new pair from the county, hh1 a provisional one from
    //  the township: both hold
    s_add (c, "pairing", s_id ("cadre_id", heir), s_id ("household_id", hh [0]), "role=primary",
           "form=territorial", s_date ("start_on", -30), v1);
    s_add (t, "pairing_provisional", s_id ("cadre_id", heir), s_id ("household_id", hh [1]), v1);
    s_converge (p, c, t);
    assert (s_state (c, "P6", 0, "household", hh [0]) == HOLDS);
    assert (s_state (c, "P6", 0, "household", hh [1]) == HOLDS);
    assert (s_state (p, "P6", 0, "household", hh [1]) == HOLDS);
    assert (s_state (c, "P6", 0, "household", hh [2]) == VIOLATED);

    //  ---------------------------------------------------------------- P8
    //  A plan's directive: due 3 days after its issue. Before the township
    //  syncs, as of +10 the county waits for it; it then acknowledges on
    //  arrival: refused (its pairs are not the plan's slice, which names
    //  no township): VIOLATED; an "applied" ack written later holds.
    {
        char today [16], year [32], effective [48];
        fg_date_format (s_today, today);
        snprintf (year, sizeof year, "cycle_year=%d", atoi (today));
        snprintf (effective, sizeof effective, "effective_on=%04d-07-01", atoi (today));
        uint64_t plan = s_add (c, "pairing_plan", year, "version=4", "base_version=3", effective, "org_id=513328");
        char ref [64];
        snprintf (ref, sizeof ref, "payload_ref=pairing_plan:%llu", (unsigned long long) plan);
        uint64_t directive = s_add (c, "directive", "title=plan v4", "kind=pairing_plan", ref, "requires_ack=yes",
                                    "org_id=513328");
        assert (s_state (c, "P8", 0, "node", 28100) == HOLDS);               //  due in 3 days
        assert (s_state (c, "P8", 10, "node", 28100) == PENDING);
        assert (s_waits_for (c, "P8", 10, "node", 28100, 28100));
        s_converge (p, c, t);
        char sql [256];
        snprintf (sql, sizeof sql, "SELECT count(*) FROM directive_ack WHERE node_id = 28100 AND state = 'refused' "
                  "AND directive_id = %llu", (unsigned long long) directive);
        assert (fg_testkit_int (c, sql) == 1);
        assert (s_state (c, "P8", 0, "node", 28100) == VIOLATED);
        assert (s_state (p, "P8", 0, "node", 28100) == VIOLATED);
        assert (fg_directive_ack (t->replica, directive, "applied", NULL, "slice mended", "test", err, sizeof err) == 0);
        s_converge (p, c, t);
        assert (s_state (c, "P8", 10, "node", 28100) == HOLDS);
        assert (s_state (p, "P8", 10, "node", 28100) == HOLDS);
    }

    //  ---------------------------------------------------------------- S1
    //  The last year whose due day (December 31 + 31 days) has passed
    int year, month;
    s_ym (s_today - 31, &year, &month);
    year--;
    char cycle [32];
    snprintf (cycle, sizeof cycle, "cycle_year=%d", year);
    uint64_t bureau = s_add (c, "work_unit", "name=Water bureau", "level=county", "org_id=513328");
    uint64_t idle = s_add (c, "work_unit", "name=Idle bureau", "level=county", "org_id=513328");
    uint64_t worker = s_add (c, "cadre", "name=Dawa", "rank=staff", s_id ("work_unit_id", bureau), "org_id=513328");
    uint64_t fed = s_add (t, "household", "head_name=Fed", "economy=herding", v1, s_date ("valid_from", -900));
    s_converge (p, c, t);
    s_add (c, "pairing", s_id ("cadre_id", worker), s_id ("household_id", fed), "role=primary",
           "form=counterpart", s_date ("start_on", -800), v1);
    const char *dimensions [] = { "dimension=organizational", "dimension=social", "dimension=mass" };
    const char *weights [] = { "weight_permille=400", "weight_permille=300", "weight_permille=300" };
    for (int i = 0; i < 2; i++)
        s_add (c, "assessment", "subject_kind=county_department", s_id ("subject_id", bureau), "cycle=year_end",
               cycle, dimensions [i], weights [i], "org_id=513328");
    assert (s_state (c, "S1", 0, "work_unit", bureau) == VIOLATED);          //  two dimensions
    assert (s_state (c, "S1", 0, "work_unit", idle) == VIOLATED);            //  none
    s_add (c, "assessment", "subject_kind=county_department", s_id ("subject_id", bureau), "cycle=year_end",
           cycle, dimensions [2], weights [2], "org_id=513328");
    //  Three dimensions, but the mass one rests on no response (1 needed:
    //  5 % of one household, rounded up)
    {
        fg_findings_t *findings = s_eval (c, "S1", 0);
        const fg_finding_t *finding = fg_findings_find (findings, "S1", "work_unit", bureau);
        assert (finding && finding->state == VIOLATED && strstr (finding->evidence, "0 responses"));
        fg_findings_destroy (&findings);
    }
    s_add (t, "mass_evaluation_response", s_id ("household_id", fed), s_id ("about_unit_id", bureau), "score=90",
           s_day ("occurred_on", s_ymd (year, 6, 1)), v1);
    s_converge (p, c, t);
    assert (s_state (c, "S1", 0, "work_unit", bureau) == HOLDS);
    assert (s_state (p, "S1", 0, "work_unit", bureau) == HOLDS);
    assert (s_state (p, "S1", 0, "work_unit", idle) == VIOLATED);
    //  A prefecture department without one: the prefecture's finding, not the county's
    uint64_t office = s_add (p, "work_unit", "name=Prefecture office", "level=prefecture", "org_id=513300");
    s_converge (p, c, t);
    assert (s_state (p, "S1", 0, "work_unit", office) == VIOLATED);
    assert (s_state (c, "S1", 0, "work_unit", office) == HOLDS);
    //  Judged as of February 15 next year, this year's assessments are due
    //  (January 31): the county knows its own log, the prefecture waits
    //  for the county
    {
        char today [16];
        fg_date_format (s_today, today);
        int64_t at = s_ymd (atoi (today) + 1, 2, 15) - s_today;
        assert (s_state (c, "S1", at, "work_unit", bureau) == VIOLATED);
        assert (s_state (p, "S1", at, "work_unit", bureau) == PENDING);
        assert (s_waits_for (p, "S1", at, "work_unit", bureau, 128));
    }

    //  ---------------------------------------------------------------- D1
    //  Village affairs, quarterly (due 15 days after the quarter): judged
    //  as of the 25th day of the current quarter (or of the one before,
    //  if that lies ahead), the quarter before it is due at every tier
    int64_t at;
    {
        s_ym (s_today, &year, &month);
        int64_t first = s_ymd (year, (month - 1) / 3 * 3 + 1, 1);
        if (first + 24 > s_today) {
            s_ym (first - 1, &year, &month);
            first = s_ymd (year, (month - 1) / 3 * 3 + 1, 1);
        }
        at = first + 24;
        s_ym (first - 1, &year, &month);
        char period [32];
        snprintf (period, sizeof period, "period_id=%dQ%d", year, (month - 1) / 3 + 1);
        s_add (t, "disclosure", "category=village_affairs", period, s_day ("posted_on", first + 3), v1);
        s_converge (p, c, t);
        for (fg_testnode_t **node = (fg_testnode_t *[]) { t, c, p, NULL }; *node; node++) {
            assert (s_state (*node, "D1", at - s_today, "org_unit", 513328100201) == HOLDS);
            assert (s_state (*node, "D1", at - s_today, "org_unit", 513328100202) == VIOLATED);
        }
        //  The current quarter, judged as of the 25th day of the next: the
        //  township judges its own log; the county waits for it
        int64_t next = s_ymd (month >= 10 ? year + 1 : year, month >= 10 ? 1 : (month - 1) / 3 * 3 + 4, 1);
        s_ym (s_today, &year, &month);
        next = s_ymd (month >= 10 ? year + 1 : year, month >= 10 ? 1 : (month - 1) / 3 * 3 + 4, 1);
        assert (s_state (t, "D1", next + 24 - s_today, "org_unit", 513328100202) == VIOLATED);
        assert (s_state (c, "D1", next + 24 - s_today, "org_unit", 513328100202) == PENDING);
        assert (s_waits_for (c, "D1", next + 24 - s_today, "org_unit", 513328100202, 28100));
    }

    //  ------------------------------------------------------- D1 dibao, D3
    //  Dibao paid in the last year whose disclosure is due to two
    //  households of village 1; judged as of March 1 after it
    s_ym (s_today - 15, &year, &month);
    year--;
    uint64_t poor [4];
    for (int i = 0; i < 4; i++)
        poor [i] = s_add (t, "household", "head_name=Poor", "economy=farming", v1, s_date ("valid_from", -900));
    for (int i = 0; i < 2; i++)
        s_add (t, "assistance_record", "beneficiary_kind=household", s_id ("beneficiary_id", poor [i]),
               "type=cash_subsidy", "amount_fen=30000", "funding_source=dibao",
               s_day ("occurred_on", s_ymd (year, 3, 1)), v1);
    //  A third, paid then reversed: not a beneficiary
    uint64_t undone = s_add (t, "assistance_record", "beneficiary_kind=household", s_id ("beneficiary_id", poor [2]),
                             "type=cash_subsidy", "amount_fen=30000", "funding_source=dibao",
                             s_day ("occurred_on", s_ymd (year, 4, 1)), v1);
    s_add (t, "assistance_record", "beneficiary_kind=household", s_id ("beneficiary_id", poor [2]),
           "type=cash_subsidy", "amount_fen=30000", "funding_source=dibao", s_id ("reverses_id", undone),
           s_day ("occurred_on", s_ymd (year, 4, 2)), v1);
    at = s_ymd (year + 1, 3, 1) - s_today;
    assert (s_says (t, "D1", at, "org_unit", 513328100201, "no dibao disclosure") == VIOLATED);
    assert (s_says (t, "D1", at, "org_unit", 513328100202, "dibao") == HOLDS);      //  none paid there
    char items [160], yearly [32];
    snprintf (yearly, sizeof yearly, "period_id=%d", year);
    snprintf (items, sizeof items, "items=[%llu]", (unsigned long long) poor [0]);
    uint64_t short_list = s_add (t, "disclosure", "category=dibao", yearly, items,
                                 s_day ("posted_on", s_ymd (year + 1, 1, 5)), v1);
    assert (s_says (t, "D1", at, "org_unit", 513328100201, "dibao") == HOLDS);
    s_converge (p, c, t);
    //  D3: the list leaves out poor1, who was paid: VIOLATED
    assert (s_state (c, "D3", 0, "disclosure", short_list) == VIOLATED);
    //  A list with someone never paid (poor3): the township is known past
    //  its posting day: VIOLATED
    snprintf (items, sizeof items, "items=[{\"beneficiary_id\": %llu}, {\"beneficiary_id\": %llu}, "
              "{\"beneficiary_id\": %llu}]", (unsigned long long) poor [0], (unsigned long long) poor [1],
              (unsigned long long) poor [3]);
    uint64_t long_list = s_add (t, "disclosure", "category=dibao", yearly, items,
                                s_day ("posted_on", s_ymd (year + 1, 1, 6)), v1);
    s_converge (p, c, t);
    assert (s_state (c, "D3", 0, "disclosure", long_list) == VIOLATED);
    assert (s_state (c, "D3", 0, "disclosure", short_list) == HOLDS);       //  no longer the latest
    //  Posted in 5 days, judged as of +10: the county waits for the
    //  township (whose payment of poor3 may not have arrived)
    uint64_t ahead = s_add (t, "disclosure", "category=dibao", yearly, items, s_date ("posted_on", 5), v1);
    s_converge (p, c, t);
    assert (s_state (c, "D3", 10, "disclosure", ahead) == PENDING);
    assert (s_waits_for (c, "D3", 10, "disclosure", ahead, 28100));
    assert (s_state (p, "D3", 10, "disclosure", ahead) == PENDING);
    //  The list corrected: it holds
    snprintf (items, sizeof items, "items=[%llu, %llu]", (unsigned long long) poor [1], (unsigned long long) poor [0]);
    uint64_t right = s_add (t, "disclosure", "category=dibao", yearly, items, s_date ("posted_on", 6), v1);
    s_converge (p, c, t);
    assert (s_state (c, "D3", 10, "disclosure", right) == HOLDS);
    assert (s_state (p, "D3", 10, "disclosure", right) == HOLDS);
    assert (s_state (c, "D3", 10, "disclosure", ahead) == HOLDS);
    //  Items that are not JSON: VIOLATED
    uint64_t broken = s_add (t, "disclosure", "category=dibao", yearly, "items=poor 0 and poor 1",
                             s_date ("posted_on", 7), v1);
    assert (s_state (t, "D3", 10, "disclosure", broken) == VIOLATED);

    //  ------------------------------------ M1: festival and disaster triggers
    //  Directives of the county expanded at the township on arrival: a
    //  snowstorm in village 3 ten days ago (every household there active
    //  and in H), a festival there in 20 days for the focus households
    //  with a pair
    {
        const char *v3 = "org_id=513328100203";
        uint64_t ha = s_add (t, "household", "head_name=Paired needy", "economy=herding", v3, s_date ("valid_from", -900));
        uint64_t hb = s_add (t, "household", "head_name=Paired", "economy=herding", v3, s_date ("valid_from", -900));
        uint64_t hc = s_add (t, "household", "head_name=Unpaired needy", "economy=farming", v3, s_date ("valid_from", -900));
        s_add (t, "household", "head_name=Moved", "economy=farming", "status=moved_out", v3, s_date ("valid_from", -900));
        s_converge (p, c, t);
        s_add (c, "pairing", s_id ("cadre_id", heir), s_id ("household_id", ha), "role=primary", "form=territorial",
               s_date ("start_on", -100), v3);
        s_add (c, "pairing", s_id ("cadre_id", heir), s_id ("household_id", hb), "role=primary", "form=territorial",
               s_date ("start_on", -100), v3);
        s_set (c, "household", ha, "needy=yes");
        s_set (c, "household", hc, "needy=yes");
        uint64_t storm = s_add (c, "directive", "title=snowstorm", "kind=disaster_trigger", s_date ("effective_on", -10),
                                v3);
        uint64_t losar = s_add (c, "directive", "title=Losar", "kind=festival_campaign", "payload_ref=focus",
                                s_date ("effective_on", 20), v3);
        s_converge (p, c, t);
        char sql [256];
        snprintf (sql, sizeof sql, "SELECT count(*) FROM must_visit_trigger WHERE directive_id = %llu "
                  "AND category = 'sudden_disaster' AND source = 'disaster_directive'", (unsigned long long) storm);
        assert (fg_testkit_int (t, sql) == 3);                               //  ha, hb, hc
        assert (fg_testkit_int (c, sql) == 3);
        snprintf (sql, sizeof sql, "SELECT group_concat (household_id) FROM must_visit_trigger WHERE directive_id = %llu "
                  "AND category = 'major_festival'", (unsigned long long) losar);
        assert (fg_testkit_int (t, sql) == (int64_t) ha);                    //  the paired focus household only
        snprintf (sql, sizeof sql, "SELECT count(*) FROM directive_ack WHERE directive_id = %llu AND node_id = 28100 "
                  "AND state = 'applied' AND result_ref = '3 must-visit triggers'", (unsigned long long) storm);
        assert (fg_testkit_int (c, sql) == 1);
        //  Once per household and directive
        s_converge (p, c, t);
        snprintf (sql, sizeof sql, "SELECT count(*) FROM must_visit_trigger WHERE directive_id IN (%llu, %llu)",
                  (unsigned long long) storm, (unsigned long long) losar);
        assert (fg_testkit_int (t, sql) == 4);
        //  M1 over them: ha's cadre came two days after the storm, hb's not
        s_add (t, "visit", s_id ("cadre_id", heir), "target_kind=household", s_id ("target_id", ha),
               "kind=must_visit", "must_visit_category=sudden_disaster", s_date ("occurred_on", -8), v3);
        s_converge (p, c, t);
        uint64_t trig [2];
        for (int i = 0; i < 2; i++) {
            snprintf (sql, sizeof sql, "SELECT id FROM must_visit_trigger WHERE directive_id = %llu AND household_id = %llu",
                      (unsigned long long) storm, (unsigned long long) (i ? hb : ha));
            trig [i] = (uint64_t) fg_testkit_int (t, sql);
        }
        assert (s_state (c, "M1", 0, "must_visit_trigger", trig [0]) == HOLDS);
        assert (s_state (c, "M1", 0, "must_visit_trigger", trig [1]) == VIOLATED);
        assert (s_state (p, "M1", 0, "must_visit_trigger", trig [1]) == VIOLATED);
    }

    //  ------------------------------------------- C2: no poor grade in Y-1
    //  The county 513328 was graded poor at the year-end of 2025: its
    //  secretary's award of 2026 is refused at the prefecture's desk; the
    //  secretary of 513321 is awarded, and the poor grade of 513321 that
    //  comes after it is reported
    {
        s_add (p, "assessment", "subject_kind=county", "cycle=year_end", "cycle_year=2025",
               "dimension=organizational", "weight_permille=400", "grade=poor", "org_id=513328");
        uint64_t here = s_add (p, "cadre", "name=Secretary", "rank=county_chief", "roles=county_secretary",
                               "org_id=513328");
        uint64_t there = s_add (p, "cadre", "name=Other secretary", "rank=county_chief", "roles=county_secretary",
                                "org_id=513321");
        uint64_t nominated [2];
        for (int i = 0; i < 2; i++) {
            nominated [i] = s_add (p, "nomination", "year=2026", "category=county_party_secretary",
                                   s_id ("nominee_cadre_id", i ? there : here), i ? "org_id=513321" : "org_id=513328");
            s_add (p, "nomination_event", s_id ("nomination_id", nominated [i]), "transition=review",
                   i ? "org_id=513321" : "org_id=513328");
            s_add (p, "nomination_event", s_id ("nomination_id", nominated [i]), "transition=publicize",
                   i ? "org_id=513321" : "org_id=513328");
        }
        assert (!s_try (p, err, "nomination_event", s_id ("nomination_id", nominated [0]), "transition=award",
                        "occurred_on=2026-07-10", "org_id=513328", NULL));
        assert (strstr (err, "rule:C2") && strstr (err, "graded poor") && strstr (err, "county 513328"));
        s_add (p, "nomination_event", s_id ("nomination_id", nominated [1]), "transition=award",
               "occurred_on=2026-07-10", "org_id=513321");
        assert (s_state (p, "C2", 0, "nomination", nominated [1]) == HOLDS);
        s_add (p, "assessment", "subject_kind=county", "cycle=year_end", "cycle_year=2025",
               "dimension=organizational", "weight_permille=400", "grade=poor", "org_id=513321");
        assert (s_state (p, "C2", 0, "nomination", nominated [1]) == VIOLATED);
    }

    //  ------------------------------------------------ B1, B2 on ingest
    //  At the desk: a third village pairing of a county organ branch, a
    //  second of a prefecture one, and the end of a branch's last one are
    //  refused; the end of one of two, then a new one, are taken
    {
        uint64_t organ = s_add (c, "party_branch", "name=Grassland bureau", "level=county", "kind=organ",
                                "org_id=513328");
        uint64_t village [3];
        for (int i = 0; i < 3; i++)
            village [i] = s_add (c, "party_branch", "name=Village", "level=village", "kind=pastoral_village", v1);
        uint64_t bp [2];
        for (int i = 0; i < 2; i++)
            bp [i] = s_add (c, "branch_pairing", s_id ("organ_branch_id", organ), s_id ("village_branch_id", village [i]),
                            s_date ("start_on", -30), s_date ("letter_signed_on", -30), v1);
        int64_t before = fg_testkit_int (c, "SELECT count(*) FROM branch_pairing");
        assert (!s_try (c, err, "branch_pairing", s_id ("organ_branch_id", organ), s_id ("village_branch_id", village [2]),
                        s_date ("start_on", 0), v1, NULL));
        assert (strstr (err, "rule:B1") && strstr (err, "3 active village pairings"));
        assert (fg_testkit_int (c, "SELECT count(*) FROM branch_pairing") == before);
        s_set (c, "branch_pairing", bp [0], s_date ("end_on", 0));
        assert (s_try (c, err, "branch_pairing", s_id ("organ_branch_id", organ), s_id ("village_branch_id", village [2]),
                       s_date ("start_on", 0), v1, NULL));
        assert (s_state (c, "B1", 0, "party_branch", organ) == HOLDS);
        //  A branch with one pairing: its end is refused
        uint64_t lone = s_add (c, "party_branch", "name=Health bureau", "level=county", "kind=organ", "org_id=513328");
        uint64_t only = s_add (c, "branch_pairing", s_id ("organ_branch_id", lone), s_id ("village_branch_id", village [0]),
                               s_date ("start_on", -30), v1);
        char *text = strdup (s_date ("end_on", 0));
        fg_kv_t kv;
        assert (fg_kv_parse (text, &kv) == 0);
        assert (fg_record_set (c->replica, "branch_pairing", only, &kv, 1, "test", NULL, err, sizeof err) == -1);
        assert (strstr (err, "rule:B1") && strstr (err, "last active"));
        //  ... but taken with its replacement in the same entry
        {
            assert (fg_replica_begin (c->replica) == 0);
            fg_batch_t *batch = fg_batch_new (c->replica, "test");
            assert (fg_batch_set (batch, "branch_pairing", only, &kv, 1, err, sizeof err) == 0);
            char organ_text [48], village_text [48], start_text [48];
            snprintf (organ_text, sizeof organ_text, "%llu", (unsigned long long) lone);
            snprintf (village_text, sizeof village_text, "%llu", (unsigned long long) village [1]);
            fg_date_format (s_today, start_text);
            fg_kv_t fields [] = { { "organ_branch_id", organ_text }, { "village_branch_id", village_text },
                                  { "start_on", start_text }, { "org_id", "513328100201" } };
            uint64_t replacement;
            assert (fg_batch_add (batch, "branch_pairing", fields, 4, &replacement, err, sizeof err) == 0);
            int rc = fg_batch_flush (batch, err, sizeof err);
            if (rc)
                fprintf (stderr, "replacement: %s\n", err);
            assert (rc == 0 && fg_batch_stats (batch)->entries == 1);
            fg_batch_destroy (&batch);
            assert (fg_replica_commit (c->replica) == 0);
            assert (s_state (c, "B1", 0, "party_branch", lone) == HOLDS);
        }
        free (text);
        //  Prefecture: one, exactly
        uint64_t pref_organ = s_add (p, "party_branch", "name=Prefecture press", "level=prefecture", "kind=institution",
                                     "org_id=513300");
        s_converge (p, c, t);
        s_add (p, "branch_pairing", s_id ("organ_branch_id", pref_organ), s_id ("village_branch_id", village [1]),
               s_date ("start_on", -3), "org_id=513300");
        assert (!s_try (p, err, "branch_pairing", s_id ("organ_branch_id", pref_organ),
                        s_id ("village_branch_id", village [2]), s_date ("start_on", 0), "org_id=513300", NULL));
        assert (strstr (err, "rule:B2") && strstr (err, "exactly 1"));
        assert (s_state (p, "B2", 0, "party_branch", pref_organ) == HOLDS);

        //  On ingest at the prefecture: a county running software without
        //  the check writes a third pairing; the prefecture refuses it
        //  rule:B1 and the refusal travels back; what came before stands
        fg_testnode_t old;
        s_old_tier (&old, dir, 21, FG_TIER_COUNTY, "513321");
        fg_testkit_link (p, &old);
        uint64_t their = s_add (&old, "party_branch", "name=Old bureau", "level=county", "kind=organ", "org_id=513321");
        uint64_t their_village [3];
        for (int i = 0; i < 3; i++)
            their_village [i] = s_add (&old, "party_branch", "name=V", "level=village", "kind=agricultural_village",
                                       "org_id=513321100201");
        for (int i = 0; i < 3; i++)
            s_add (&old, "branch_pairing", s_id ("organ_branch_id", their), s_id ("village_branch_id", their_village [i]),
                   s_date ("start_on", -1), "org_id=513321100201");
        fg_rx_stats_t stats = fg_testkit_sync (&old, p, true);
        assert (stats.quarantined == 1);
        assert (fg_testkit_int (p, "SELECT count(*) FROM quarantine WHERE reason = 'rule:B1'") == 1);
        assert (fg_testkit_int (p, "SELECT count(*) FROM branch_pairing WHERE org_id = 513321100201") == 2);
        assert (fg_testkit_int (p, "SELECT count(*) FROM party_branch WHERE org_id LIKE '513321%'") == 4);
        fg_testkit_sync (p, &old, false);
        assert (fg_testkit_int (&old, "SELECT count(*) FROM refusal WHERE reason = 'rule:B1' AND origin = 21") == 1);
        fg_testkit_node_destroy (&old);
    }
    (void) v2;
}

void
fg_rules_test (bool verbose)
{
    printf (" * fg_rules: ");
    s_today = fg_now_ms () / 86400000;
    char *dir = fg_testkit_dir ("fg_rules_test");
    fg_testnode_t pref, county, town;
    fg_testkit_node (&pref, dir, 1, FG_TIER_PREFECTURE, "513300", "prefecture");
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town 100");
    fg_testkit_link (&pref, &county);
    fg_testkit_link (&county, &town);
    fg_testnode_t *p = &pref, *c = &county, *t = &town;

    //  Registry: every id of §3, each once, with a severity and a tier
    size_t count;
    const fg_rule_t *rules = fg_rules_registry (&count);
    assert (count == 8 + 7 + 4 + 4 + 4 + 5 + 3 + 2 + 2 + 3);
    assert (fg_rules_find ("m1") == fg_rules_find ("M1") && fg_rules_find ("M1")->fn);
    assert (fg_rules_find ("M3")->severity == FG_RULE_HARD && fg_rules_find ("M1")->severity == FG_RULE_REPORT);
    assert (!fg_rules_find ("Z9"));
    for (size_t i = 0; i < count; i++)
        assert (rules [i].tiers && fg_rules_find (rules [i].id) == &rules [i]);

    s_test_params (p, c, t);

    //  The records: cadres of the county (C), households and triggers of
    //  the township (E)
    const char *v1 = "org_id=513328100201", *v2 = "org_id=513328100202";
    uint64_t cadre = s_add (c, "cadre", "name=Dorje", "rank=staff", "org_id=513328100");
    uint64_t cadre2 = s_add (c, "cadre", "name=Pema", "rank=staff", "org_id=513328100");
    uint64_t cadre3 = s_add (c, "cadre", "name=Lhamo", "rank=staff", "org_id=513328100");
    uint64_t elsewhere = s_add (c, "cadre", "name=Tsering", "rank=staff", "org_id=513328101");
    uint64_t retired = s_add (c, "cadre", "name=Old", "rank=staff", "status=retired",
                              s_date ("status_from", -100), "org_id=513328100");
    uint64_t hh [8];
    for (int i = 0; i < 8; i++)
        hh [i] = s_add (t, "household", "head_name=H", "economy=herding", i < 6 ? v1 : v2,
                        s_date ("valid_from", -200));
    uint64_t late_hh = s_add (t, "household", "head_name=Late", "economy=farming", v1,
                              s_date ("valid_from", 1));
    s_converge (p, c, t);
    //  Pairings (county): hh0..3 with Dorje (v1), hh4 with Pema (v1) and
    //  hh6 with Pema (v2: P5), hh5 and hh7 with Lhamo (cap 1: P3), and a
    //  territorial pairing of hh2 as secondary with a cadre of another
    //  township (P4)
    uint64_t pair [8];
    for (int i = 0; i < 4; i++)
        pair [i] = s_add (c, "pairing", s_id ("cadre_id", cadre), s_id ("household_id", hh [i]),
                          "role=primary", "form=territorial", s_date ("start_on", -400), v1);
    pair [4] = s_add (c, "pairing", s_id ("cadre_id", cadre2), s_id ("household_id", hh [4]), "role=primary",
                      "form=territorial", s_date ("start_on", -400), v1);
    pair [6] = s_add (c, "pairing", s_id ("cadre_id", cadre2), s_id ("household_id", hh [6]), "role=primary",
                      "form=territorial", s_date ("start_on", -400), v2);
    pair [5] = s_add (c, "pairing", s_id ("cadre_id", cadre3), s_id ("household_id", hh [5]), "role=primary",
                      "form=territorial", s_date ("start_on", -400), v1);
    pair [7] = s_add (c, "pairing", s_id ("cadre_id", cadre3), s_id ("household_id", hh [7]), "role=primary",
                      "form=territorial", s_date ("start_on", -400), v2);
    //  A counterpart pairing with a cadre whose unit has no counterpart
    //  township (P4 reports it; a territorial one is refused at the desk)
    uint64_t bad_form = s_add (c, "pairing", s_id ("cadre_id", elsewhere), s_id ("household_id", hh [2]),
                               "role=secondary", "form=counterpart", s_date ("start_on", -400), v1);
    char err0 [512];
    assert (!s_try (c, err0, "pairing", s_id ("cadre_id", elsewhere), s_id ("household_id", hh [3]),
                    "role=secondary", "form=territorial", s_date ("start_on", -1), v1, NULL));
    assert (strstr (err0, "rule:P4") && strstr (err0, "513328101"));
    //  The county lowers Lhamo's capacity to 1 with two pairs held (P3
    //  reports it); a third pair by hand is refused at the desk (HARD)
    s_set (c, "cadre", cadre3, "capacity_override=1");
    assert (!s_try (c, err0, "pairing", s_id ("cadre_id", cadre3), s_id ("household_id", hh [3]),
                    "role=primary", "form=territorial", s_date ("start_on", -1), v1, NULL));
    assert (strstr (err0, "rule:P3") && strstr (err0, "capacity 1"));
    s_converge (p, c, t);

    //  ---------------------------------------------------------------- P1
    //  A household registered 200 days ago with no pair: VIOLATED at every
    //  tier (the county and the prefecture know the township up to now)
    uint64_t unpaired = s_add (t, "household", "head_name=Alone", "economy=farming", v2,
                               s_date ("valid_from", -200));
    s_converge (p, c, t);
    assert (s_state (t, "P1", 0, "household", unpaired) == VIOLATED);
    assert (s_state (c, "P1", 0, "household", unpaired) == VIOLATED);
    assert (s_state (p, "P1", 0, "household", unpaired) == VIOLATED);
    assert (s_state (c, "P1", 0, "household", hh [0]) == HOLDS);
    //  Within G_new: nothing; past it but judged as of a day whose deadline
    //  plus grace lies beyond what the county knows of the township:
    //  PENDING_SYNC at the county, naming the township; VIOLATED at the
    //  township, which knows its own log
    assert (s_state (c, "P1", 10, "household", late_hh) == HOLDS);
    assert (s_state (c, "P1", 40, "household", late_hh) == PENDING);
    assert (s_waits_for (c, "P1", 40, "household", late_hh, 28100));
    assert (s_state (t, "P1", 40, "household", late_hh) == VIOLATED);
    //  A provisional pair made at the township satisfies it
    s_add (t, "pairing_provisional", s_id ("cadre_id", cadre), s_id ("household_id", unpaired), v2);
    assert (s_state (t, "P1", 0, "household", unpaired) == HOLDS);
    assert (s_state (c, "P1", 0, "household", unpaired) == VIOLATED);      //  not arrived: the
    s_converge (p, c, t);                                                  //  township was synced
    assert (s_state (c, "P1", 0, "household", unpaired) == HOLDS);

    //  ------------------------------------------------------------ P2-P5
    uint64_t idle = s_add (c, "cadre", "name=Idle", "rank=staff", "org_id=513328100");
    assert (s_state (c, "P2", 0, "cadre", idle) == VIOLATED);
    assert (s_state (c, "P2", 0, "cadre", cadre) == HOLDS);
    assert (s_state (c, "P3", 0, "cadre", cadre3) == VIOLATED);             //  2 households, cap 1
    assert (s_state (c, "P3", 0, "cadre", cadre) == HOLDS);                 //  4 of 8
    assert (s_state (c, "P4", 0, "pairing", bad_form) == VIOLATED);
    assert (s_state (c, "P4", 0, "pairing", pair [0]) == HOLDS);
    assert (s_state (c, "P5", 0, "cadre", cadre2) == VIOLATED);             //  v1 and v2
    assert (s_state (c, "P5", 0, "cadre", cadre) == HOLDS);
    s_converge (p, c, t);
    assert (s_state (p, "P3", 0, "cadre", cadre3) == VIOLATED);
    //  A parameter the prefecture raises changes the verdict everywhere
    s_add (p, "rule_param", "version=1", "name=v_max", "value=2", "org_id=513300");
    s_converge (p, c, t);
    assert (s_state (c, "P5", 0, "cadre", cadre2) == HOLDS);

    //  ---------------------------------------------------------------- M1
    //  Past triggers: one answered in its window, one not, one answered
    //  late, one answered by a cadre not paired with the household
    uint64_t answered = s_add (t, "must_visit_trigger", s_id ("household_id", hh [0]), "category=seriously_ill",
                               s_date ("occurred_on", -40), v1);
    s_add (t, "visit", s_id ("cadre_id", cadre), "target_kind=household", s_id ("target_id", hh [0]),
           "kind=must_visit", "must_visit_category=seriously_ill", s_date ("occurred_on", -38), "in_person=yes", v1);
    uint64_t missed = s_add (t, "must_visit_trigger", s_id ("household_id", hh [1]), "category=seriously_ill",
                             s_date ("occurred_on", -40), v1);
    uint64_t late = s_add (t, "must_visit_trigger", s_id ("household_id", hh [2]), "category=elderly_death",
                           s_date ("occurred_on", -40), v1);
    s_add (t, "visit", s_id ("cadre_id", cadre), "target_kind=household", s_id ("target_id", hh [2]),
           "kind=must_visit", "must_visit_category=elderly_death", s_date ("occurred_on", -20), v1);
    uint64_t stranger = s_add (t, "must_visit_trigger", s_id ("household_id", hh [3]), "category=abnormal_thinking",
                               s_date ("occurred_on", -40), v1);
    s_add (t, "visit", s_id ("cadre_id", cadre2), "target_kind=household", s_id ("target_id", hh [3]),
           "kind=must_visit", s_id ("trigger_id", stranger), s_date ("occurred_on", -39), v1);
    uint64_t open = s_add (t, "must_visit_trigger", s_id ("household_id", hh [4]), "category=dropout_unemployed",
                           s_date ("occurred_on", -5), v1);
    //  A trigger whose window (30 days) closes after now, judged as of a
    //  later day: the county knows the township only up to now
    uint64_t ahead = s_add (t, "must_visit_trigger", s_id ("household_id", hh [5]), "category=dropout_unemployed",
                            s_date ("occurred_on", -5), v1);
    s_converge (p, c, t);
    fg_testnode_t *tiers [] = { t, c, p };
    for (int i = 0; i < 3; i++) {
        assert (s_state (tiers [i], "M1", 0, "must_visit_trigger", answered) == HOLDS);
        assert (s_state (tiers [i], "M1", 0, "must_visit_trigger", missed) == VIOLATED);
        assert (s_state (tiers [i], "M1", 0, "must_visit_trigger", late) == VIOLATED);
        assert (s_state (tiers [i], "M1", 0, "must_visit_trigger", stranger) == VIOLATED);
        assert (s_state (tiers [i], "M1", 0, "must_visit_trigger", open) == HOLDS);
    }
    //  ... unless the rule counts anyone's visit
    s_add (p, "rule_param", "version=1", "name=m1_paired_visitor", "value=0", "org_id=513300");
    s_converge (p, c, t);
    assert (s_state (c, "M1", 0, "must_visit_trigger", stranger) == HOLDS);
    //  Due at +25: as of +20 the window is open; as of +40 the county
    //  waits for the township (known up to now, before +25 + 1 + grace),
    //  the prefecture for the county and the township
    assert (s_state (c, "M1", 20, "must_visit_trigger", ahead) == HOLDS);
    assert (s_state (c, "M1", 40, "must_visit_trigger", ahead) == PENDING);
    assert (s_waits_for (c, "M1", 40, "must_visit_trigger", ahead, 28100));
    assert (!s_waits_for (c, "M1", 40, "must_visit_trigger", ahead, 128));
    assert (s_state (p, "M1", 40, "must_visit_trigger", ahead) == PENDING);
    {
        fg_findings_t *findings = s_eval (p, "M1", 40);
        const fg_finding_t *finding = fg_findings_find (findings, "M1", "must_visit_trigger", ahead);
        assert (finding->waiting_count == 2 && finding->waiting [0] == 128 && finding->waiting [1] == 28100);
        assert (finding->since [1] > 0 && finding->since [1] <= fg_now_ms ());
        assert (finding->deadline == s_today + 25);
        fg_rows_t *rows = fg_findings_rows (findings, 1u << FG_FINDING_PENDING);
        assert (fg_rows_count (rows) >= 1 && fg_rows_column_count (rows) == 9);
        bool seen = false;
        for (size_t r = 0; r < fg_rows_count (rows); r++)
            if (strstr (fg_rows_cell (rows, r, 8, NULL), "28100 (513328100, known to"))
                seen = streq (fg_rows_cell (rows, r, 2, NULL), "PENDING_SYNC");
        assert (seen);
        fg_rows_destroy (&rows);
        fg_findings_destroy (&findings);
    }
    assert (s_state (t, "M1", 40, "must_visit_trigger", ahead) == VIOLATED);
    //  The visit arrives: the finding is gone at every tier
    s_add (t, "visit", s_id ("cadre_id", cadre3), "target_kind=household", s_id ("target_id", hh [5]),
           "kind=must_visit", "must_visit_category=dropout_unemployed", s_date ("occurred_on", -3), v1);
    assert (s_state (c, "M1", 40, "must_visit_trigger", ahead) == PENDING);
    s_converge (p, c, t);
    for (int i = 0; i < 3; i++)
        assert (s_state (tiers [i], "M1", 40, "must_visit_trigger", ahead) == HOLDS);
    //  The township's worklist lists its overdue must-visits and unpaired
    //  households
    {
        char err [256];
        fg_rows_t *rows = fg_rules_worklist (t->replica, s_today, err, sizeof err);
        assert (rows && fg_rows_count (rows) >= 2);
        fg_rows_destroy (&rows);
    }

    //  ----------------------------------------------------------- M2, M4
    //  As of 10 days ago the last quarter is closed and its deadline plus
    //  grace lies before now: hh0's pairing had its cadre's visit only in
    //  the quarter of the trigger; hh1's none
    //  (the first day of the last quarter that ended before today-10)
    int64_t first;
    {
        char text [48];
        fg_date_format (s_today - 10, text);
        int year = atoi (text), month = atoi (text + 5);
        int q = (month - 1) / 3 - 1;
        if (q < 0) {
            q = 3;
            year--;
        }
        snprintf (text, sizeof text, "%04d-%02d-01", year, q * 3 + 1);
        assert (fg_date_parse (text, &first) == 0);
    }
    s_add (t, "visit", s_id ("cadre_id", cadre), "target_kind=household", s_id ("target_id", hh [0]),
           "kind=pairing", s_date ("occurred_on", first - s_today + 3), v1);
    //  hh4 is needy (county's admin flag): two visits needed (M4)
    char needy [] = "needy=yes";
    fg_kv_t kv;
    assert (fg_kv_parse (needy, &kv) == 0);
    char err [512];
    assert (fg_record_set (c->replica, "household", hh [4], &kv, 1, "test", NULL, err, sizeof err) == 0);
    s_add (t, "visit", s_id ("cadre_id", cadre2), "target_kind=household", s_id ("target_id", hh [4]),
           "kind=pairing", s_date ("occurred_on", first - s_today + 5), v1);
    s_converge (p, c, t);
    assert (s_state (c, "M2", -10, "pairing", pair [0]) == HOLDS);
    assert (s_state (c, "M2", -10, "pairing", pair [1]) == VIOLATED);
    assert (s_state (p, "M2", -10, "pairing", pair [1]) == VIOLATED);
    assert (s_state (c, "M4", -10, "household", hh [4]) == VIOLATED);
    assert (s_state (c, "M4", -10, "household", hh [0]) == HOLDS);          //  not a focus household
    s_add (t, "visit", s_id ("cadre_id", cadre2), "target_kind=household", s_id ("target_id", hh [4]),
           "kind=pairing", s_date ("occurred_on", first - s_today + 6), v1);
    s_converge (p, c, t);
    assert (s_state (c, "M4", -10, "household", hh [4]) == HOLDS);
    //  The quarter that ends after now, judged as of a later day: pending
    //  at the county for the township
    assert (s_state (c, "M2", 120, "pairing", pair [1]) == PENDING);
    assert (s_waits_for (c, "M2", 120, "pairing", pair [1], 28100));

    //  ---------------------------------------------------------------- V1
    uint64_t person = s_add (t, "person", s_id ("household_id", hh [0]), "name=Child", v1);
    uint64_t orphan = s_add (t, "vulnerable_person", s_id ("person_id", person), "category=orphan",
                             s_date ("identified_on", -100), v1);
    uint64_t orphan2 = s_add (t, "vulnerable_person", s_id ("person_id", person), "category=orphan",
                              s_date ("identified_on", -100), v1);
    uint64_t orphan3 = s_add (t, "vulnerable_person", s_id ("person_id", person), "category=orphan",
                              s_date ("identified_on", 5), v1);
    s_converge (p, c, t);
    s_add (c, "love_pairing", s_id ("vulnerable_person_id", orphan2), "helper_kind=cadre",
           s_id ("helper_cadre_id", cadre), s_date ("start_on", -90), v1);
    s_converge (p, c, t);
    assert (s_state (c, "V1", 0, "vulnerable_person", orphan) == VIOLATED);
    assert (s_state (p, "V1", 0, "vulnerable_person", orphan) == VIOLATED);
    assert (s_state (c, "V1", 0, "vulnerable_person", orphan2) == HOLDS);
    //  Love pairings are the county's (authors C): the county judges its
    //  own log; the prefecture waits for the county, not the township
    assert (s_state (c, "V1", 60, "vulnerable_person", orphan3) == VIOLATED);
    assert (s_state (p, "V1", 60, "vulnerable_person", orphan3) == PENDING);
    assert (s_waits_for (p, "V1", 60, "vulnerable_person", orphan3, 128));
    assert (!s_waits_for (p, "V1", 60, "vulnerable_person", orphan3, 28100));

    //  ------------------------------------------------ M3 at the desk (HARD)
    int64_t before = fg_testkit_int (t, "SELECT count(*) FROM visit");
    assert (!s_try (t, err, "visit", s_id ("cadre_id", cadre), "target_kind=household", s_id ("target_id", hh [0]),
                    "kind=pairing", s_date ("occurred_on", 3), v1, NULL));
    assert (strstr (err, "rule:M3") && strstr (err, "skew"));
    assert (!s_try (t, err, "visit", "cadre_id=12345", "target_kind=household", s_id ("target_id", hh [0]),
                    "kind=pairing", s_date ("occurred_on", -1), v1, NULL));
    assert (strstr (err, "rule:M3") && strstr (err, "does not exist"));
    assert (!s_try (t, err, "visit", s_id ("cadre_id", cadre), "target_kind=household", s_id ("target_id", hh [0]),
                    s_id ("pairing_id", pair [1]), "kind=pairing", s_date ("occurred_on", -1), v1, NULL));
    assert (strstr (err, "rule:M3") && strstr (err, "pairing"));
    assert (!s_try (t, err, "visit", s_id ("cadre_id", retired), "target_kind=household", s_id ("target_id", hh [0]),
                    "kind=pairing", s_date ("occurred_on", -1), v1, NULL));
    assert (strstr (err, "rule:M3") && strstr (err, "retired"));
    assert (fg_testkit_int (t, "SELECT count(*) FROM visit") == before);
    //  Within the skew bound (tomorrow), a known cadre, the right pairing: taken
    assert (s_try (t, err, "visit", s_id ("cadre_id", cadre), "target_kind=household", s_id ("target_id", hh [0]),
                   s_id ("pairing_id", pair [0]), "kind=pairing", s_date ("occurred_on", 1), v1, NULL));

    //  ------------------------------------------------ V3 at the desk (HARD)
    uint64_t given = s_add (t, "assistance_record", "beneficiary_kind=household", s_id ("beneficiary_id", hh [0]),
                            "type=cash_subsidy", "amount_fen=5000", s_date ("occurred_on", -3), v1);
    assert (!s_try (t, err, "assistance_record", "beneficiary_kind=household", s_id ("beneficiary_id", hh [0]),
                    "type=cash_subsidy", "amount_fen=-5000", s_date ("occurred_on", -2), v1, NULL));
    assert (strstr (err, "negative"));          //  the schema's check refuses it before V3
    assert (!s_try (t, err, "assistance_record", "beneficiary_kind=household", s_id ("beneficiary_id", hh [0]),
                    "type=cash_subsidy", "amount_fen=5000", s_id ("reverses_id", given + 1000),
                    s_date ("occurred_on", -2), v1, NULL));
    assert (strstr (err, "rule:V3") && strstr (err, "does not exist"));
    assert (!s_try (t, err, "assistance_record", "beneficiary_kind=household", s_id ("beneficiary_id", hh [0]),
                    "type=cash_subsidy", "amount_fen=4000", s_id ("reverses_id", given),
                    s_date ("occurred_on", -2), v1, NULL));
    assert (strstr (err, "rule:V3") && strstr (err, "amount"));
    assert (s_try (t, err, "assistance_record", "beneficiary_kind=household", s_id ("beneficiary_id", hh [0]),
                   "type=cash_subsidy", "amount_fen=5000", s_id ("reverses_id", given),
                   s_date ("occurred_on", -2), v1, NULL));
    assert (!s_try (t, err, "assistance_record", "beneficiary_kind=household", s_id ("beneficiary_id", hh [0]),
                    "type=cash_subsidy", "amount_fen=5000", s_id ("reverses_id", given),
                    s_date ("occurred_on", -1), v1, NULL));
    assert (strstr (err, "rule:V3") && strstr (err, "already reversed"));
    s_converge (p, c, t);
    assert (s_state (c, "V3", 0, "assistance_record", given) == HOLDS);

    //  --------------------------------- M3 and V3 on ingest at the county
    //  A second township runs software without the checks (an older
    //  version): its desk takes a visit dated in 2030 and a reversal of a
    //  record that does not exist; the county refuses both with the rule's
    //  id, and the refusals travel back to the author
    fg_testnode_t old;
    s_old_node (&old, dir, 28101, "513328101");
    fg_testkit_link (c, &old);
    uint64_t old_hh = s_add (&old, "household", "head_name=X", "economy=herding", "org_id=513328101201");
    assert (s_try (&old, err, "visit", s_id ("cadre_id", elsewhere), "target_kind=household",
                   s_id ("target_id", old_hh), "kind=pairing", "occurred_on=2030-01-01",
                   "org_id=513328101201", NULL));
    fg_rx_stats_t stats = fg_testkit_sync (&old, c, true);
    assert (stats.quarantined == 1);
    assert (fg_testkit_int (c, "SELECT count(*) FROM quarantine WHERE reason = 'rule:M3' "
                               "AND detail LIKE '%2030-01-01%'") == 1);
    assert (fg_testkit_int (c, "SELECT count(*) FROM visit WHERE org_id = 513328101201") == 0);
    //  The household written before it was taken: nothing valid lost
    assert (fg_testkit_int (c, "SELECT count(*) FROM household WHERE org_id = 513328101201") == 1);
    fg_testkit_sync (c, &old, false);
    assert (fg_testkit_int (&old, "SELECT count(*) FROM refusal WHERE reason = 'rule:M3' AND origin = 28101") == 1);
    //  What the refusal costs: the township's chain stops at the county
    //  (its next entry waits for the refused one), as for any refused entry
    s_add (&old, "household", "head_name=Y", "economy=herding", "org_id=513328101201");
    stats = fg_testkit_sync (&old, c, true);
    assert (stats.applied == 0 && stats.buffered + stats.duplicate >= 1);
    assert (fg_testkit_int (c, "SELECT count(*) FROM household WHERE org_id = 513328101201") == 1);
    fg_testkit_node_destroy (&old);

    //  The same township software, another township: a reversal of a
    //  record that does not exist (its own id space: all its records are
    //  here) is refused rule:V3 at the county
    fg_testnode_t old2;
    s_old_node (&old2, dir, 28102, "513328102");
    fg_testkit_link (c, &old2);
    uint64_t old2_hh = s_add (&old2, "household", "head_name=Z", "economy=herding", "org_id=513328102201");
    assert (s_try (&old2, err, "assistance_record", "beneficiary_kind=household", s_id ("beneficiary_id", old2_hh),
                   "type=cash_subsidy", "amount_fen=100", s_id ("reverses_id", old2_hh + 77),
                   s_date ("occurred_on", -1), "org_id=513328102201", NULL));
    stats = fg_testkit_sync (&old2, c, true);
    assert (stats.quarantined == 1);
    assert (fg_testkit_int (c, "SELECT count(*) FROM quarantine WHERE reason = 'rule:V3' "
                               "AND detail LIKE '%does not exist%'") == 1);
    assert (fg_testkit_int (c, "SELECT count(*) FROM assistance_record WHERE org_id = 513328102201") == 0);
    fg_testkit_sync (c, &old2, false);
    assert (fg_testkit_int (&old2, "SELECT count(*) FROM refusal WHERE reason = 'rule:V3'") == 1);
    fg_testkit_node_destroy (&old2);

    s_test_families (p, c, t, hh [7]);
    s_test_more (p, c, t, dir);

    //  Nothing pending at the township itself for what it holds, and the
    //  same M1 findings at the township, the county and the prefecture for
    //  the township's subtree once they converged
    s_converge (p, c, t);
    size_t violated [3];
    for (int i = 0; i < 3; i++) {
        char err2 [256];
        fg_findings_t *findings = fg_rules_evaluate (tiers [i]->replica, "M1", "513328100", s_today, err2,
                                                     sizeof err2);
        assert (findings);
        violated [i] = fg_findings_count_state (findings, FG_FINDING_VIOLATED);
        assert (fg_findings_count_state (findings, FG_FINDING_PENDING) == 0);
        fg_findings_destroy (&findings);
    }
    assert (violated [0] == violated [1] && violated [1] == violated [2] && violated [0] >= 2);
    //  A scope outside the node, an unknown rule: refused with a reason
    assert (!fg_rules_evaluate (t->replica, "M1", "513328", s_today, err, sizeof err));
    assert (!fg_rules_evaluate (c->replica, "Z9", NULL, s_today, err, sizeof err));
    //  Everything implemented runs at each tier
    for (int i = 0; i < 3; i++) {
        fg_findings_t *findings = s_eval (tiers [i], NULL, 0);
        fg_findings_destroy (&findings);
    }
    if (verbose)
        printf ("(%zu rules registered) ", count);
    fg_testkit_chain_end (&dir, &pref, &county, &town);
    printf ("OK\n");
}
