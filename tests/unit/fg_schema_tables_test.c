/*  fg_schema_tables_test.c - self-test of the table definitions
    (fg_catalogue.c) through the real merge: signed entries, merged by
    fg_merge_entry into a fresh in-memory replica.

    Generated from the definitions, so a new table is covered without a
    line here. For every domain table, a row with every writable column
    set to a valid value is written by each tier in turn (township, county,
    prefecture, all of them over the same village). Where the tier may
    write it (an event table's authors, a field group's owners) it must be
    applied and read back as written (a case then stands in its initial
    state, owned by its opener); from any other tier it must be a proposal
    (field groups) or rejected not_author (events), and leave no row.
    Also, for every table: an event without one of its required columns is
    rejected missing_field, a write of a derived column derived_column, a
    metadata write without a version missing_field, and a lower version
    never replaces a higher one; an author's void marks its event.

    By hand, because generated tests follow whatever the definitions say:
    each table's class, authors and field-group owners against DOMAIN.md
    §2 (s_matrix; a table missing there fails).

    By hand: the workflows added with the tables (kinship claims, report
    reviews, nominations) each run a valid path and invalid transitions (by
    a tier that does not decide, by a unit that neither owns the case nor
    is above it, out of order, after the end), checked event by event (the
    fold's verdict and the state after it) and on the case (state, owner,
    counts); the "C/P by level" anchors (a county cannot write the
    prefecture's rows, nor another county's); and the whole script must
    give the same digest over random interleavings of its entries.
*/
#include "fg_selftests.h"
#include "fg_testkit.h"
#include "fg_schema.h"
#include "fg_util.h"
#include "fg_ops.h"
#include "fg_hlc.h"
#include "fg_entry.h"
#include "fg_keys.h"

#define S_VILLAGE   UINT64_C (513328100201)     //  inside every test author's org
#define S_TOWNSHIP  UINT64_C (513328100)
#define S_COUNTY    UINT64_C (513328)
#define S_PREF      UINT64_C (513300)
#define S_ID        4242                        //  sample values, by column type
#define S_INT       7
#define S_DATE      15887                       //  2013-07-01
#define S_FEN       12345
#define S_TEXT      "sample"

//  Sign the ops as the author's next entry and merge it at once.
static void
s_write (fg_merge_t *merge, fg_testauthor_t *author, fg_ops_t **ops_p, uint64_t hlc_ms,
         fg_merge_result_t *result)
{
    size_t size;
    uint8_t *bytes = fg_testkit_sign (author, ops_p, fg_hlc_make ((int64_t) hlc_ms, 0), &size);
    fg_testkit_merge (merge, author, bytes, size, result);
    free (bytes);
}

//  Outcome and reason of the latest op that wrote a row, as
//  "outcome: reason"; asserts it starts with `expect`.
static void
s_expect_op (sqlite3 *db, const char *table, uint64_t row_id, const char *expect)
{
    char *got = fg_testkit_db_text (db, "SELECT outcome || ': ' || coalesce (reason, '') FROM op "
                            "WHERE tbl = '%s' AND row_id = %lld ORDER BY hlc DESC, origin DESC, seq DESC, idx DESC",
                        table, (long long) row_id);
    if (!got || strncmp (got, expect, strlen (expect))) {
        fprintf (stderr, "%s %llu: expected '%s', got '%s'\n", table, (unsigned long long) row_id,
                 expect, got ? got : "(no op)");
        assert (false);
    }
    free (got);
}

//  -------------------------------------------------------------------------
//  Sample rows, from the definitions

//  The first value of an enum into buffer.
static const char *
s_first_value (const fg_column_t *column, char *buffer, size_t size)
{
    const char *bar = strchr (column->values, '|');
    size_t len = bar ? (size_t) (bar - column->values) : strlen (column->values);
    assert (len < size);
    memcpy (buffer, column->values, len);
    buffer [len] = 0;
    return buffer;
}

static void
s_set_sample (fg_ops_t *ops, const fg_column_t *column)
{
    char value [64];
    switch (column->type) {
        case FG_COL_TEXT: fg_ops_set_text (ops, column->name, S_TEXT); break;
        case FG_COL_ENUM: fg_ops_set_text (ops, column->name, s_first_value (column, value, sizeof value)); break;
        case FG_COL_BLOB: fg_ops_set_blob (ops, column->name, (const uint8_t *) "\x01\x02\x03", 3); break;
        case FG_COL_BOOL: fg_ops_set_int (ops, column->name, 1); break;
        case FG_COL_DATE: fg_ops_set_int (ops, column->name, S_DATE); break;
        case FG_COL_ID:   fg_ops_set_int (ops, column->name, S_ID); break;
        case FG_COL_ORG:  fg_ops_set_int (ops, column->name, (int64_t) S_TOWNSHIP); break;
        case FG_COL_FEN:  fg_ops_set_int (ops, column->name, S_FEN); break;
        default:          fg_ops_set_int (ops, column->name, S_INT); break;
    }
}

//  Set every writable column of a table (group: of that field group) to its
//  sample value, but `skip`.
static size_t
s_set_samples (fg_ops_t *ops, const fg_table_t *table, const char *group, const char *skip)
{
    size_t count = 0;
    for (const fg_column_t *column = table->columns; column->name; column++) {
        if ((column->flags & FG_COL_DERIVED) || (group && !streq (column->group, group))
        ||  (skip && streq (column->name, skip)))
            continue;
        s_set_sample (ops, column);
        count++;
    }
    return count;
}

//  The stored column reads back as its sample value.
static void
s_expect_sample (sqlite3 *db, const fg_table_t *table, const fg_column_t *column, uint64_t id)
{
    char *sql = fg_strdupf ("SELECT %s FROM %s WHERE id = ?", column->name, table->name);
    sqlite3_stmt *stmt;
    assert (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK);
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) id);
    assert (sqlite3_step (stmt) == SQLITE_ROW);
    char value [64];
    bool same;
    switch (column->type) {
        case FG_COL_TEXT:
            same = streq ((const char *) sqlite3_column_text (stmt, 0), S_TEXT);
            break;
        case FG_COL_ENUM:
            same = streq ((const char *) sqlite3_column_text (stmt, 0), s_first_value (column, value, sizeof value));
            break;
        case FG_COL_BLOB:
            same = sqlite3_column_bytes (stmt, 0) == 3
                && memcmp (sqlite3_column_blob (stmt, 0), "\x01\x02\x03", 3) == 0;
            break;
        default: {
            int64_t expect = column->type == FG_COL_BOOL ? 1 : column->type == FG_COL_DATE ? S_DATE
                           : column->type == FG_COL_ID ? S_ID : column->type == FG_COL_ORG ? (int64_t) S_TOWNSHIP
                           : column->type == FG_COL_FEN ? S_FEN : S_INT;
            same = sqlite3_column_type (stmt, 0) == SQLITE_INTEGER && sqlite3_column_int64 (stmt, 0) == expect;
            break;
        }
    }
    if (!same) {
        fprintf (stderr, "%s.%s does not read back as written\n", table->name, column->name);
        assert (false);
    }
    sqlite3_finalize (stmt);
    free (sql);
}

//  -------------------------------------------------------------------------
//  Every table, every tier

//  An event table, written by one author: applied with its values, or
//  rejected not_author. Returns true if applied.
static bool
s_test_event_table (const fg_table_t *table, fg_testauthor_t *author, bool verbose)
{
    fg_merge_t *merge;
    sqlite3 *db = fg_testkit_merge_db (&merge);
    fg_merge_result_t result;
    uint64_t hlc = 1000;
    uint64_t id = fg_testkit_author_id (author);
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_INSERT, table->name, NULL, id, S_VILLAGE);
    s_set_samples (ops, table, NULL, NULL);
    s_write (merge, author, &ops, hlc++, &result);
    bool may = (table->authors & author->node.tier) != 0;
    if (!may) {
        assert (result.applied == 0 && result.rejected == 1);
        s_expect_op (db, table->name, id, "rejected: not_author");
        assert (fg_testkit_db_int (db, "SELECT count(*) FROM %s", table->name) == 0);
    }
    else {
        assert (result.applied == 1 && result.rejected == 0 && result.proposals == 0);
        s_expect_op (db, table->name, id, "applied");
        assert (fg_testkit_db_int (db, "SELECT org_id FROM %s WHERE id = %lld",
                                   table->name, (long long) id) == (int64_t) S_VILLAGE);
        assert (fg_testkit_db_int (db, "SELECT voided FROM %s WHERE id = %lld",
                                   table->name, (long long) id) == 0);
        for (const fg_column_t *column = table->columns; column->name; column++)
            if (!(column->flags & FG_COL_DERIVED))
                s_expect_sample (db, table, column, id);
        //  An event of a workflow whose case is not here is kept, and the
        //  fold says why it does not count (yet)
        if (fg_schema_case_of (table->name))
            assert (fg_testkit_db_int (db, "SELECT count(*) FROM %s WHERE id = %lld AND rejected = 1 "
                                           "AND reject_reason LIKE '%%not arrived%%'",
                                       table->name, (long long) id) == 1);
        //  Without any one of its required columns: missing_field
        for (const fg_column_t *column = table->columns; column->name; column++) {
            if (!(column->flags & FG_COL_REQUIRED))
                continue;
            uint64_t bad = fg_testkit_author_id (author);
            ops = fg_ops_new ();
            fg_ops_begin (ops, FG_OP_INSERT, table->name, NULL, bad, S_VILLAGE);
            s_set_samples (ops, table, NULL, column->name);
            s_write (merge, author, &ops, hlc++, &result);
            assert (result.rejected == 1);
            s_expect_op (db, table->name, bad, "rejected: missing_field");
        }
        //  A derived column is the fold's to write: derived_column
        for (const fg_column_t *column = table->columns; column->name; column++) {
            if (!(column->flags & FG_COL_DERIVED))
                continue;
            uint64_t bad = fg_testkit_author_id (author);
            ops = fg_ops_new ();
            fg_ops_begin (ops, FG_OP_INSERT, table->name, NULL, bad, S_VILLAGE);
            s_set_samples (ops, table, NULL, NULL);
            s_set_sample (ops, column);
            s_write (merge, author, &ops, hlc++, &result);
            assert (result.rejected == 1);
            s_expect_op (db, table->name, bad, "rejected: derived_column");
        }
        //  The author voids it: the row stays, marked; tables corrected
        //  otherwise (reversal, new version, superseding row) refuse voids
        ops = fg_ops_new ();
        fg_ops_begin (ops, FG_OP_VOID, table->name, NULL, id, S_VILLAGE);
        fg_ops_set_text (ops, "reason", "entered twice");
        s_write (merge, author, &ops, hlc++, &result);
        bool voidable = !(table->flags & FG_TABLE_NO_VOID);
        assert (result.applied == (voidable ? 1u : 0u) && result.rejected == (voidable ? 0u : 1u));
        assert (fg_testkit_db_int (db, "SELECT voided FROM %s WHERE id = %lld",
                                   table->name, (long long) id) == (voidable ? 1 : 0));
    }
    if (verbose)
        printf ("\n   %-26s %c: %s", table->name, fg_tier_letter (author->node.tier),
                may ? "applied" : "not_author");
    fg_merge_destroy (&merge);
    sqlite3_close (db);
    return may;
}

//  One field group of a grouped table, written by one author: applied
//  with its values, or a proposal that leaves no row. Returns true if
//  applied.
static bool
s_test_group (const fg_table_t *table, const fg_group_t *group, fg_testauthor_t *author,
              fg_testauthor_t *placer, bool verbose)
{
    fg_merge_t *merge;
    sqlite3 *db = fg_testkit_merge_db (&merge);
    fg_merge_result_t result;
    bool id_is_org = (table->flags & FG_TABLE_ID_IS_ORG) != 0;
    uint64_t id = id_is_org ? S_VILLAGE : fg_testkit_author_id (author);
    fg_ops_t *ops;
    //  A row exists once the node whose id space holds it places it with
    //  its anchor group (fg_merge_rows.c): another group is written on a
    //  row placed first by an owner of the anchor group
    bool placed_first = table->cls != FG_CLASS_META && !streq (group->name, table->anchor_group);
    if (placed_first) {
        id = id_is_org ? S_VILLAGE : fg_testkit_author_id (placer);
        ops = fg_ops_new ();
        fg_ops_begin (ops, FG_OP_PUT, table->name, table->anchor_group, id, S_VILLAGE);
        assert (s_set_samples (ops, table, table->anchor_group, NULL) > 0);
        s_write (merge, placer, &ops, 1500, &result);
        assert (result.applied == 1);
    }
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, table->name, group->name, id, S_VILLAGE);
    assert (s_set_samples (ops, table, group->name, NULL) > 0);
    s_write (merge, author, &ops, 2000, &result);
    bool owns = (group->owners & author->node.tier) != 0;
    if (!owns) {
        assert (result.applied == 0 && result.proposals == 1 && result.rejected == 0);
        s_expect_op (db, table->name, id, "proposal: not_owner");
        assert (fg_testkit_db_int (db, "SELECT count(*) FROM %s", table->name)
                == (placed_first ? 1 : 0));
    }
    else {
        assert (result.applied == 1 && result.proposals == 0 && result.rejected == 0);
        s_expect_op (db, table->name, id, "applied");
        assert (fg_testkit_db_int (db, "SELECT org_id FROM %s WHERE id = %lld",
                                   table->name, (long long) id) == (int64_t) S_VILLAGE);
        for (const fg_column_t *column = table->columns; column->name; column++)
            if (!(column->flags & FG_COL_DERIVED) && streq (column->group, group->name))
                s_expect_sample (db, table, column, id);
        //  A case stands in its initial state, owned by its opener's org
        if (table->workflow && streq (group->name, table->anchor_group)) {
            char *state = fg_testkit_db_text (db, "SELECT state FROM %s WHERE id = %lld", table->name, (long long) id);
            assert (state && streq (state, table->workflow->initial));
            free (state);
            assert (fg_testkit_db_int (db, "SELECT owner_org FROM %s WHERE id = %lld",
                                       table->name, (long long) id) == strtoll (author->node.org, NULL, 10));
            assert (fg_testkit_db_int (db, "SELECT transitions + rejected_transitions FROM %s WHERE id = %lld",
                                       table->name, (long long) id) == 0);
        }
        //  A derived column is the fold's to write
        for (const fg_column_t *column = table->columns; column->name; column++) {
            if (!(column->flags & FG_COL_DERIVED) || !streq (column->group, group->name))
                continue;
            ops = fg_ops_new ();
            fg_ops_begin (ops, FG_OP_PUT, table->name, group->name, id, S_VILLAGE);
            s_set_sample (ops, column);
            s_write (merge, author, &ops, 2100, &result);
            assert (result.rejected == 1);
        }
        //  Metadata: a version is needed, and only a higher one applies,
        //  whatever the times
        const fg_column_t *version = fg_schema_column (table, "version");
        if (table->cls == FG_CLASS_META && streq (version->group, group->name)) {
            int64_t versions [] = { 0, S_INT + 2, S_INT + 1 };
            for (int v = 0; v < 3; v++) {
                ops = fg_ops_new ();
                fg_ops_begin (ops, FG_OP_PUT, table->name, group->name, id, S_VILLAGE);
                s_set_samples (ops, table, group->name, "version");
                fg_ops_set_int (ops, "version", versions [v]);
                s_write (merge, author, &ops, (uint64_t) (2200 + v * 100), &result);
                assert (result.rejected == (v == 0 ? 1 : 0));
            }
            assert (fg_testkit_db_int (db, "SELECT version FROM %s WHERE id = %lld",
                                       table->name, (long long) id) == S_INT + 2);
        }
    }
    if (verbose)
        printf ("\n   %-26s %-9s %c: %s", table->name, group->name, fg_tier_letter (author->node.tier),
                owns ? "applied" : "proposal");
    fg_merge_destroy (&merge);
    sqlite3_close (db);
    return owns;
}

static void
s_test_every_table (fg_testauthor_t **tiers, size_t tier_count, bool verbose)
{
    size_t tables = 0;
    for (size_t i = 0; i < fg_schema_table_count (); i++) {
        const fg_table_t *table = fg_schema_table_at (i);
        if (table->flags & FG_TABLE_SYSTEM)
            continue;
        size_t allowed = 0;
        if (fg_class_has_groups (table->cls)) {
            //  Who places rows: a tier that owns the anchor group
            const fg_group_t *anchor = fg_schema_group (table, table->anchor_group);
            fg_testauthor_t *placer = NULL;
            for (size_t t = 0; t < tier_count && !placer; t++)
                if (anchor->owners & tiers [t]->node.tier)
                    placer = tiers [t];
            assert (placer);
            for (const fg_group_t *group = table->groups; group->name; group++)
                for (size_t t = 0; t < tier_count; t++)
                    allowed += s_test_group (table, group, tiers [t], placer, verbose);
        }
        else
            for (size_t t = 0; t < tier_count; t++)
                allowed += s_test_event_table (table, tiers [t], verbose);
        assert (allowed > 0);
        tables++;
    }
    assert (tables >= 50);
}

//  -------------------------------------------------------------------------
//  The definitions against DOMAIN.md §2 (its §2.15 matrix, refined by the
//  entity notes): "table class authors group:owners ...", with V event,
//  R registry, S assignment, W workflow case, M metadata. Written by hand
//  on purpose: the generated tests above follow whatever the definitions
//  say, this says what they must say. A table missing here fails.

static const char *s_matrix [] = {
    //  §2.1
    "org_unit R P registry:P",
    "org_unit_group_set R P registry:P",
    "org_unit_group R P registry:P",
    "work_unit R CP registry:CP",                       //  P/C by level
    "cadre R CP hr:CP contact:CP",                      //  employer hub
    "work_team R C team:C",
    "household R E reg:E admin:C",
    "household_split V E",
    "household_merge V E",
    "person R E reg:E",
    //  §2.2
    "pairing S C plan:C",
    "pairing_provisional V E",
    "kinship_claim W EC claim:EC",                      //  E/C claim ...
    "kinship_claim_event V C",                          //  ... C decides
    "pairing_plan V C",
    //  §2.3
    "religious_site R C registry:C infra:C",            //  E proposes
    "religious_representative R C registry:C",
    "monastic R C archive:C origin:C social:C",         //  E proposes the household link
    "temple_contact S CP contact:CP",                   //  P prefecture, C county
    "temple_engagement V ECP",
    //  §2.4
    "vulnerable_person R E ident:E cert:C",
    "love_pairing S C plan:C",
    "assistance_record V EC",
    //  §2.5
    "must_visit_trigger V E",                           //  C/P in bulk through directives
    "visit V ECP",
    //  §2.6
    "appeal W ECP intake:ECP",                          //  the receiving node
    "appeal_event V ECP",                               //  the current owner (fold)
    "stability_risk_assessment V CP",
    "reception_day M CP schedule:CP",
    //  §2.7
    "publicity_event V ECP",
    //  §2.8
    "party_branch R CP registry:CP",
    "branch_pairing S CP plan:CP",
    "coconstruction_activity V ECP",
    //  §2.9
    "happiness_project R CP project:CP",
    "project_progress V EC",
    //  §2.10
    "directive V CP",
    "directive_ack V ECP",
    "proposal_decision V CP",                           //  the owner decides a proposal
    //  §2.11
    "rule_param M P param:P",
    "report_schedule M P schedule:P",
    "report_submission V ECP",                          //  the reporter
    "report_review W ECP intake:ECP",                   //  the reporter opens ...
    "report_review_event V ECP",                        //  ... the holder or above decides (fold)
    "report_receipt V CP",                              //  the hub that took it from its author
    "meeting_record V ECP",
    //  §2.12
    "assessment V ECP",                                 //  the assessor
    "mass_evaluation_response V E",
    "spot_check V CP",
    //  §2.13
    "commendation_cycle M P cycle:P",
    "nomination W CP intake:CP",                        //  C (or P) nominates ...
    "nomination_event V P",                             //  ... P decides
    //  §2.14
    "disclosure V EC",
    "disclosure_objection V EC",
    "major_decision_hearing V CP",
    //  not domain entities, but domain tables all the same
    "refusal V ECP",
    "clock_flag V CP",
    "heartbeat V ECP",
};

static void
s_tiers (unsigned tiers, char *out)
{
    char *p = out;
    if (tiers & FG_TIER_TOWNSHIP)
        *p++ = 'E';
    if (tiers & FG_TIER_COUNTY)
        *p++ = 'C';
    if (tiers & FG_TIER_PREFECTURE)
        *p++ = 'P';
    *p = 0;
}

static void
s_test_matrix (void)
{
    size_t rows = sizeof s_matrix / sizeof s_matrix [0];
    for (size_t i = 0; i < fg_schema_table_count (); i++) {
        const fg_table_t *table = fg_schema_table_at (i);
        if (table->flags & FG_TABLE_SYSTEM)
            continue;
        char actual [256], tiers [4];
        static const char classes [] = "VRSWMD";
        s_tiers (table->authors, tiers);
        snprintf (actual, sizeof actual, "%s %c %s", table->name, classes [table->cls], tiers);
        if (table->groups)
            for (const fg_group_t *group = table->groups; group->name; group++) {
                s_tiers (group->owners, tiers);
                size_t len = strlen (actual);
                snprintf (actual + len, sizeof actual - len, " %s:%s", group->name, tiers);
            }
        size_t name_len = strlen (table->name);
        const char *expect = NULL;
        for (size_t r = 0; r < rows && !expect; r++)
            if (strncmp (s_matrix [r], table->name, name_len) == 0 && s_matrix [r][name_len] == ' ')
                expect = s_matrix [r];
        if (!expect || !streq (expect, actual)) {
            fprintf (stderr, "%s: defined as '%s', DOMAIN.md says '%s'\n", table->name, actual,
                     expect ? expect : "(nothing: add its row to s_matrix)");
            assert (false);
        }
    }
    //  and nothing listed is missing
    for (size_t r = 0; r < rows; r++) {
        char name [64];
        snprintf (name, sizeof name, "%.*s", (int) strcspn (s_matrix [r], " "), s_matrix [r]);
        assert (fg_schema_table (name));
    }
}

//  -------------------------------------------------------------------------
//  A script of entries: merged in order, then in shuffled orders

//  Each entry of the script a little later (100 ms) than the one before.
static void
s_script_add (fg_testscript_t *script, fg_testauthor_t *author, fg_ops_t **ops_p)
{
    int64_t ms = 10000 + 100 * (int64_t) (script->count + 1);
    fg_testkit_script_add (script, author, ops_p, fg_hlc_make (ms, 0));
}

//  A transition of a case (its event), with a new owner if to_owner.
static uint64_t
s_step (fg_testscript_t *script, fg_testauthor_t *author, const char *case_name, uint64_t case_id,
        uint64_t anchor, const char *transition, uint64_t to_owner)
{
    const fg_workflow_t *flow = fg_schema_table (case_name)->workflow;
    uint64_t id = fg_testkit_author_id (author);
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_INSERT, flow->event_table, NULL, id, anchor);
    fg_ops_set_int (ops, flow->case_column, (int64_t) case_id);
    fg_ops_set_text (ops, flow->transition_column, transition);
    if (to_owner)
        fg_ops_set_int (ops, flow->owner_column, (int64_t) to_owner);
    s_script_add (script, author, &ops);
    return id;
}

//  One row of a grouped table: its anchor group with sample values,
//  anchored at `anchor` (for a case: its intake, which opens it).
static uint64_t
s_put (fg_testscript_t *script, fg_testauthor_t *author, const char *table_name, uint64_t anchor)
{
    const fg_table_t *table = fg_schema_table (table_name);
    uint64_t id = fg_testkit_author_id (author);
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, table_name, table->anchor_group, id, anchor);
    s_set_samples (ops, table, table->anchor_group, NULL);
    s_script_add (script, author, &ops);
    return id;
}

//  The fold's verdict on one event: applied, leaving the case in `state`;
//  or (state NULL) rejected for a reason containing `why`.
static void
s_expect_step (sqlite3 *db, const char *case_name, uint64_t event, const char *state, const char *why)
{
    const char *events = fg_schema_table (case_name)->workflow->event_table;
    char *got = fg_testkit_db_text (db, "SELECT CASE rejected WHEN 1 THEN 'rejected: ' || reject_reason "
                            "ELSE 'applied: ' || state_after END FROM %s WHERE id = %lld",
                        events, (long long) event);
    bool ok = got && (state ? strncmp (got, "applied: ", 9) == 0 && streq (got + 9, state)
                            : strncmp (got, "rejected: ", 10) == 0 && strstr (got, why));
    if (!ok) {
        fprintf (stderr, "%s %llu: expected %s %s, got %s\n", events, (unsigned long long) event,
                 state ? "applied," : "rejected:", state ? state : why, got ? got : "(no row)");
        assert (false);
    }
    free (got);
}

static void
s_expect_case (sqlite3 *db, const char *case_name, uint64_t id, const char *state, uint64_t owner,
               int64_t applied, int64_t rejected)
{
    char *got = fg_testkit_db_text (db, "SELECT state || ' ' || owner_org || ' ' || transitions || ' ' || "
                            "rejected_transitions FROM %s WHERE id = %lld", case_name, (long long) id);
    char expect [128];
    snprintf (expect, sizeof expect, "%s %llu %lld %lld", state, (unsigned long long) owner,
              (long long) applied, (long long) rejected);
    if (!got || !streq (got, expect)) {
        fprintf (stderr, "%s %llu: expected '%s', got '%s'\n", case_name, (unsigned long long) id,
                 expect, got ? got : "(no row)");
        assert (false);
    }
    free (got);
}

static void
s_test_workflows (fg_testauthor_t authors [FG_TESTKIT_AUTHORS], bool verbose)
{
    fg_testauthor_t *town = &authors [0], *town2 = &authors [1], *county = &authors [2],
                    *pref = &authors [3], *county2 = &authors [4];
    fg_testscript_t script = { .count = 0 };
    fg_testscript_t *s = &script;
    uint64_t village2 = UINT64_C (513329100201);       //  a village of county2

    //  Kinship claims. K1: the township claims, the county approves. The
    //  township cannot decide (not a deciding tier); another county is not
    //  above the case; after the decision nothing follows.
    uint64_t k1 = s_put (s, town, "kinship_claim", S_VILLAGE);
    uint64_t k1_self = s_step (s, town, "kinship_claim", k1, S_VILLAGE, "approve", 0);
    uint64_t k1_other = s_step (s, county2, "kinship_claim", k1, village2, "approve", 0);
    uint64_t k1_ok = s_step (s, county, "kinship_claim", k1, S_VILLAGE, "approve", 0);
    uint64_t k1_late = s_step (s, county, "kinship_claim", k1, S_VILLAGE, "reject", 0);
    //  K2: the county opens a claim and rejects it; the prefecture does
    //  not decide claims
    uint64_t k2 = s_put (s, county, "kinship_claim", S_VILLAGE);
    uint64_t k2_pref = s_step (s, pref, "kinship_claim", k2, S_VILLAGE, "approve", 0);
    uint64_t k2_ok = s_step (s, county, "kinship_claim", k2, S_VILLAGE, "reject", 0);

    //  Report reviews. R1: a township's report goes all the way up. The
    //  county cannot accept before the township approves, nor approve
    //  while the township holds it; once accepted, the township cannot
    //  take its approval back.
    uint64_t r1 = s_put (s, town, "report_review", S_TOWNSHIP);
    uint64_t r1_early = s_step (s, county, "report_review", r1, S_TOWNSHIP, "accept", 0);
    uint64_t r1_notmine = s_step (s, county, "report_review", r1, S_TOWNSHIP, "approve", 0);
    uint64_t r1_a1 = s_step (s, town, "report_review", r1, S_TOWNSHIP, "approve", 0);
    uint64_t r1_c1 = s_step (s, county, "report_review", r1, S_TOWNSHIP, "accept", 0);
    uint64_t r1_frozen = s_step (s, town, "report_review", r1, S_TOWNSHIP, "unapprove", 0);
    uint64_t r1_a2 = s_step (s, county, "report_review", r1, S_TOWNSHIP, "approve", 0);
    uint64_t r1_c2 = s_step (s, pref, "report_review", r1, S_TOWNSHIP, "accept", 0);
    uint64_t r1_a3 = s_step (s, pref, "report_review", r1, S_TOWNSHIP, "approve", 0);
    //  R2: the county takes back the township's sign-off, the township
    //  signs again, the county returns it to the township for a new
    //  version; another township has no say; nothing follows a return.
    uint64_t r2 = s_put (s, town, "report_review", S_TOWNSHIP);
    uint64_t r2_a1 = s_step (s, town, "report_review", r2, S_TOWNSHIP, "approve", 0);
    uint64_t r2_un = s_step (s, county, "report_review", r2, S_TOWNSHIP, "unapprove", 0);
    uint64_t r2_other = s_step (s, town2, "report_review", r2, UINT64_C (513328101), "approve", 0);
    uint64_t r2_a2 = s_step (s, town, "report_review", r2, S_TOWNSHIP, "approve", 0);
    uint64_t r2_ret = s_step (s, county, "report_review", r2, S_TOWNSHIP, "return", S_TOWNSHIP);
    uint64_t r2_late = s_step (s, town, "report_review", r2, S_TOWNSHIP, "approve", 0);
    //  R3: a county's own report; returning it to a unit outside the
    //  returner's org is refused
    uint64_t r3 = s_put (s, county, "report_review", S_COUNTY);
    uint64_t r3_bad = s_step (s, county, "report_review", r3, S_COUNTY, "return", UINT64_C (513329));
    uint64_t r3_a1 = s_step (s, county, "report_review", r3, S_COUNTY, "approve", 0);
    uint64_t r3_c1 = s_step (s, pref, "report_review", r3, S_COUNTY, "accept", 0);

    //  Nominations. N1: a county nominates; the township's intake is only
    //  a proposal; the county cannot review its own nomination; the
    //  prefecture cannot publicize before reviewing; awarded is final.
    uint64_t n0 = s_put (s, town, "nomination", S_TOWNSHIP);
    uint64_t n1 = s_put (s, county, "nomination", S_TOWNSHIP);
    uint64_t n1_self = s_step (s, county, "nomination", n1, S_TOWNSHIP, "review", 0);
    uint64_t n1_early = s_step (s, pref, "nomination", n1, S_TOWNSHIP, "publicize", 0);
    uint64_t n1_r = s_step (s, pref, "nomination", n1, S_TOWNSHIP, "review", 0);
    uint64_t n1_p = s_step (s, pref, "nomination", n1, S_TOWNSHIP, "publicize", 0);
    uint64_t n1_a = s_step (s, pref, "nomination", n1, S_TOWNSHIP, "award", 0);
    uint64_t n1_late = s_step (s, pref, "nomination", n1, S_TOWNSHIP, "withdraw", 0);
    //  N2: the prefecture nominates, reviews and withdraws its own
    uint64_t n2 = s_put (s, pref, "nomination", S_PREF);
    uint64_t n2_r = s_step (s, pref, "nomination", n2, S_PREF, "review", 0);
    uint64_t n2_w = s_step (s, pref, "nomination", n2, S_PREF, "withdraw", 0);

    //  "C/P by level": rows of the prefecture level are anchored at the
    //  prefecture, which no county contains; a county's rows lie inside it
    uint64_t bp_pref = s_put (s, pref, "branch_pairing", S_PREF);
    uint64_t bp_county = s_put (s, county, "branch_pairing", S_PREF);
    uint64_t tc_county = s_put (s, county, "temple_contact", S_VILLAGE);
    uint64_t tc_other = s_put (s, county2, "temple_contact", S_VILLAGE);
    uint64_t wu_county = s_put (s, county, "work_unit", S_PREF);
    uint64_t wu_town = s_put (s, town, "work_unit", S_TOWNSHIP);

    //  In order
    fg_merge_t *merge;
    sqlite3 *db = fg_testkit_merge_db (&merge);
    fg_testkit_script_merge (s, merge, NULL);

    s_expect_op (db, "kinship_claim_event", k1_self, "rejected: not_author");
    s_expect_step (db, "kinship_claim", k1_other, NULL, "owned by 513328100");
    s_expect_step (db, "kinship_claim", k1_ok, "APPROVED", NULL);
    s_expect_step (db, "kinship_claim", k1_late, NULL, "the case is APPROVED");
    s_expect_case (db, "kinship_claim", k1, "APPROVED", S_TOWNSHIP, 1, 2);
    s_expect_op (db, "kinship_claim_event", k2_pref, "rejected: not_author");
    s_expect_step (db, "kinship_claim", k2_ok, "REJECTED", NULL);
    s_expect_case (db, "kinship_claim", k2, "REJECTED", S_COUNTY, 1, 0);

    s_expect_step (db, "report_review", r1_early, NULL, "accept cannot follow SUBMITTED");
    s_expect_step (db, "report_review", r1_notmine, NULL, "owned by 513328100");
    s_expect_step (db, "report_review", r1_a1, "APPROVED", NULL);
    s_expect_step (db, "report_review", r1_c1, "ACCEPTED", NULL);
    s_expect_step (db, "report_review", r1_frozen, NULL, "owned by 513328 ");
    s_expect_step (db, "report_review", r1_a2, "APPROVED", NULL);
    s_expect_step (db, "report_review", r1_c2, "ACCEPTED", NULL);
    s_expect_step (db, "report_review", r1_a3, "APPROVED", NULL);
    s_expect_case (db, "report_review", r1, "APPROVED", S_PREF, 5, 3);
    s_expect_step (db, "report_review", r2_a1, "APPROVED", NULL);
    s_expect_step (db, "report_review", r2_un, "UNAPPROVED", NULL);
    s_expect_step (db, "report_review", r2_other, NULL, "owned by 513328100");
    s_expect_step (db, "report_review", r2_a2, "APPROVED", NULL);
    s_expect_step (db, "report_review", r2_ret, "RETURNED", NULL);
    s_expect_step (db, "report_review", r2_late, NULL, "the case is RETURNED");
    s_expect_case (db, "report_review", r2, "RETURNED", S_TOWNSHIP, 4, 2);
    s_expect_step (db, "report_review", r3_bad, NULL, "must go to a unit inside 513328");
    s_expect_step (db, "report_review", r3_a1, "APPROVED", NULL);
    s_expect_step (db, "report_review", r3_c1, "ACCEPTED", NULL);
    s_expect_case (db, "report_review", r3, "ACCEPTED", S_PREF, 2, 1);

    s_expect_op (db, "nomination", n0, "proposal: not_owner");
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM nomination WHERE id = %lld", (long long) n0) == 0);
    s_expect_op (db, "nomination_event", n1_self, "rejected: not_author");
    s_expect_step (db, "nomination", n1_early, NULL, "publicize cannot follow NOMINATED");
    s_expect_step (db, "nomination", n1_r, "REVIEWED", NULL);
    s_expect_step (db, "nomination", n1_p, "PUBLICIZED", NULL);
    s_expect_step (db, "nomination", n1_a, "AWARDED", NULL);
    s_expect_step (db, "nomination", n1_late, NULL, "the case is AWARDED");
    s_expect_case (db, "nomination", n1, "AWARDED", S_COUNTY, 3, 2);
    s_expect_step (db, "nomination", n2_r, "REVIEWED", NULL);
    s_expect_step (db, "nomination", n2_w, "WITHDRAWN", NULL);
    s_expect_case (db, "nomination", n2, "WITHDRAWN", S_PREF, 2, 0);

    s_expect_op (db, "branch_pairing", bp_pref, "applied");
    s_expect_op (db, "branch_pairing", bp_county, "rejected: out_of_scope");
    s_expect_op (db, "temple_contact", tc_county, "applied");
    s_expect_op (db, "temple_contact", tc_other, "rejected: out_of_scope");
    s_expect_op (db, "work_unit", wu_county, "rejected: out_of_scope");
    s_expect_op (db, "work_unit", wu_town, "proposal: not_owner");

    uint8_t reference [FG_HASH_SIZE];
    size_t rows;
    assert (fg_merge_digest (merge, NULL, reference, &rows) == 0);
    fg_merge_destroy (&merge);
    sqlite3_close (db);

    //  Any interleaving that keeps each origin's order gives the same rows
    srandom (7);
    for (int round = 0; round < 50; round++) {
        size_t order [FG_TESTSCRIPT_MAX];
        fg_testkit_interleave (s->by, s->count, authors, FG_TESTKIT_AUTHORS, order);
        db = fg_testkit_merge_db (&merge);
        fg_testkit_script_merge (s, merge, order);
        uint8_t digest [FG_HASH_SIZE];
        size_t again;
        assert (fg_merge_digest (merge, NULL, digest, &again) == 0);
        assert (again == rows && memcmp (digest, reference, FG_HASH_SIZE) == 0);
        fg_merge_destroy (&merge);
        sqlite3_close (db);
    }
    if (verbose)
        printf ("\n   workflows: %zu entries, %zu rows, 50 interleavings agree", s->count, rows);
    fg_testkit_script_free (s);
}

void
fg_schema_tables_test (bool verbose)
{
    printf (" * fg_schema_tables: ");
    fg_testauthor_t authors [FG_TESTKIT_AUTHORS];
    fg_testkit_authors (authors);

    s_test_matrix ();
    fg_testauthor_t *tiers [] = { &authors [0], &authors [2], &authors [3] };   //  E, C, P
    s_test_every_table (tiers, 3, verbose);
    s_test_workflows (authors, verbose);

    fg_testkit_authors_destroy (authors);
    printf (verbose ? "\n   OK\n" : "OK\n");
}
