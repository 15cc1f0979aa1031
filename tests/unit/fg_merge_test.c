/*  fg_merge_test.c - self-test of fg_merge: the outcome of each rule, and
    convergence of the projection over random orders of the same entries. */
#include "fg_selftests.h"
#include "fg_testkit.h"
#include "fg_util.h"
#include "fg_ops.h"
#include "fg_hlc.h"

//  The ops of one household put, row `id`, its head's name `name` (4
//  bytes, so that two payloads have one size): a fresh payload (caller
//  frees).
static uint8_t *
s_named_payload (uint64_t id, const char *name, size_t *size_p)
{
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", id, 513328100201);
    fg_ops_set_text (ops, "head_name", name);
    char err [128];
    uint8_t *payload = fg_ops_encode (ops, size_p, err, sizeof err);
    assert (payload);
    fg_ops_destroy (&ops);
    return payload;
}

//  fg_merge_ops decodes an entry's ops once, and gives them again only
//  for the same bytes at the same place: a buffer that holds the next
//  entry (same address, same size, another hash) is decoded again; what
//  does not decode is said (-1 after the ops that do, -2 for the count).
static void
s_ops_once (void)
{
    sqlite3 *db;
    assert (sqlite3_open (":memory:", &db) == SQLITE_OK);
    fg_merge_t *merge = fg_merge_new (db);
    assert (merge);
    size_t size_a, size_b;
    uint8_t *a = s_named_payload (1, "AAAA", &size_a);
    uint8_t *b = s_named_payload (2, "BBBB", &size_b);
    assert (size_a == size_b);
    uint8_t *buffer = (uint8_t *) malloc (size_a);
    assert (buffer);
    fg_entry_t entry;
    memset (&entry, 0, sizeof entry);
    entry.payload = buffer;
    entry.payload_size = size_a;
    size_t count;
    int end;
    for (int round = 0; round < 2; round++) {
        memcpy (buffer, round ? b : a, size_a);
        crypto_generichash (entry.hash, FG_HASH_SIZE, buffer, size_a, NULL, 0);
        const fg_op_t *ops = fg_merge_ops (merge, &entry, &count, &end);
        assert (ops && count == 1 && end == 0);
        assert (ops [0].row_id == (round ? 2u : 1u));     //  decoded, not pointing into the buffer
        const fg_value_t *head = fg_op_get (&ops [0], "head_name");
        assert (head && head->size == 4 && memcmp (head->data, round ? "BBBB" : "AAAA", 4) == 0);
        //  asked again: the same decoding
        assert (fg_merge_ops (merge, &entry, &count, &end) == ops && count == 1);
    }
    //  A byte short: the op does not decode
    entry.payload_size = size_a - 1;
    crypto_generichash (entry.hash, FG_HASH_SIZE, buffer, size_a - 1, NULL, 0);
    assert (fg_merge_ops (merge, &entry, &count, &end) == NULL && count == 0 && end == -1);
    //  No op count at all
    entry.payload_size = 1;
    crypto_generichash (entry.hash, FG_HASH_SIZE, buffer, 1, NULL, 0);
    assert (fg_merge_ops (merge, &entry, &count, &end) == NULL && count == 0 && end == -2);
    free (buffer);
    free (a);
    free (b);
    fg_merge_destroy (&merge);
    sqlite3_close (db);
}

void
fg_merge_test (bool verbose)
{
    printf (" * fg_merge: ");
    s_ops_once ();
    fg_testauthor_t all [FG_TESTKIT_AUTHORS];
    fg_testkit_authors (all);
    fg_testauthor_t *town = &all [0], *other = &all [1], *county = &all [2], *pref = &all [3],
                    *county2 = &all [4];

    //  A script of entries, in each origin's order
    fg_testscript_t *script = (fg_testscript_t *) zmalloc (sizeof (fg_testscript_t));
    uint64_t hh = fg_testkit_author_id (town);
    fg_ops_t *ops;

    //  0: township creates a household (reg) and a visit
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
    fg_ops_set_text (ops, "head_name", "Tashi");
    fg_ops_set_int (ops, "size", 5);
    uint64_t visit = fg_testkit_author_id (town);
    fg_ops_begin (ops, FG_OP_INSERT, "visit", NULL, visit, 513328100201);
    fg_ops_set_int (ops, "cadre_id", 77);
    fg_ops_set_text (ops, "target_kind", "household");
    fg_ops_set_int (ops, "target_id", (int64_t) hh);
    fg_ops_set_text (ops, "kind", "pairing");
    fg_ops_set_int (ops, "occurred_on", 15600);
    fg_testkit_script_add (script, town, &ops, fg_hlc_make (1000, 0));
    //  1: county sets the admin flag (owner) at hlc 2000
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "admin", hh, 513328100201);
    fg_ops_set_int (ops, "needy", 1);
    fg_testkit_script_add (script, county, &ops, fg_hlc_make (2000, 0));
    //  2: township edits size (owner) and tries the admin flag (proposal)
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
    fg_ops_set_int (ops, "size", 6);
    fg_ops_begin (ops, FG_OP_PUT, "household", "admin", hh, 513328100201);
    fg_ops_set_int (ops, "needy", 0);
    fg_testkit_script_add (script, town, &ops, fg_hlc_make (3000, 0));
    //  3: county edits the size concurrently (not owner: proposal), and
    //     the prefecture writes an org unit (owner)
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
    fg_ops_set_int (ops, "size", 9);
    fg_testkit_script_add (script, county, &ops, fg_hlc_make (3500, 0));
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "org_unit", "registry", 513328100201, 513328100201);
    fg_ops_set_text (ops, "name_zh", "村");
    fg_testkit_script_add (script, pref, &ops, fg_hlc_make (1500, 0));
    //  5: the other township writes into this township (out of scope) and
    //     an event with a foreign id
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
    fg_ops_set_int (ops, "size", 1);
    fg_ops_begin (ops, FG_OP_INSERT, "visit", NULL, visit, 513328101201);
    fg_ops_set_int (ops, "cadre_id", 1);
    fg_ops_set_text (ops, "target_kind", "household");
    fg_ops_set_int (ops, "target_id", 1);
    fg_ops_set_text (ops, "kind", "phone");
    fg_ops_set_int (ops, "occurred_on", 1);
    fg_testkit_script_add (script, other, &ops, fg_hlc_make (5000, 0));
    //  5b: a township of another place writes the household under an org
    //  of its own (in scope for it, so applied as an op), and another county
    //  sets the flag it owns the same way: neither reaches the row
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328101201);
    fg_ops_set_text (ops, "head_name", "hijacked");
    fg_testkit_script_add (script, other, &ops, fg_hlc_make (5500, 0));
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "admin", hh, 513329100201);
    fg_ops_set_int (ops, "needy", 0);
    //  ... and voids the township's visit the same way: no effect either
    fg_ops_begin (ops, FG_OP_VOID, "visit", NULL, visit, 513329100201);
    fg_ops_set_text (ops, "reason", "not yours");
    fg_testkit_script_add (script, county2, &ops, fg_hlc_make (5600, 0));
    //  6: township voids its visit; 7: a later reg edit by the township
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_VOID, "visit", NULL, visit, 513328100201);
    fg_ops_set_text (ops, "reason", "entered twice");
    fg_testkit_script_add (script, town, &ops, fg_hlc_make (6000, 0));
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
    fg_ops_set_text (ops, "economy", "herding");
    fg_ops_set_text (ops, "nonesuch", "x");            //  unknown column: rejected
    fg_testkit_script_add (script, town, &ops, fg_hlc_make (7000, 0));
    //  8: an unknown table (from a newer schema) and a directive by a township
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_INSERT, "future_table", NULL, fg_testkit_author_id (town), 513328100);
    fg_ops_begin (ops, FG_OP_INSERT, "directive", NULL, fg_testkit_author_id (town), 513328100);
    fg_ops_set_text (ops, "title", "not mine to give");
    fg_testkit_script_add (script, town, &ops, fg_hlc_make (8000, 0));

    //  9: the township opens an appeal and takes it in hand
    uint64_t appeal = fg_testkit_author_id (town);
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "appeal", "intake", appeal, 513328100201);
    fg_ops_set_text (ops, "appellant_name", "Tashi");
    fg_ops_set_text (ops, "type", "dispute");
    fg_ops_set_text (ops, "summary", "grassland boundary");
    const char *opening [] = { "register", "assign", "start" };
    for (int i = 0; i < 3; i++) {
        fg_ops_begin (ops, FG_OP_INSERT, "appeal_event", NULL, fg_testkit_author_id (town), 513328100201);
        fg_ops_set_int (ops, "appeal_id", (int64_t) appeal);
        fg_ops_set_text (ops, "transition", opening [i]);
    }
    fg_testkit_script_add (script, town, &ops, fg_hlc_make (10000, 0));
    //  10: the county pulls the case up while the township is offline
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_INSERT, "appeal_event", NULL, fg_testkit_author_id (county), 513328100201);
    fg_ops_set_int (ops, "appeal_id", (int64_t) appeal);
    fg_ops_set_text (ops, "transition", "escalate");
    fg_testkit_script_add (script, county, &ops, fg_hlc_make (11000, 0));
    //  11: ... and the township, not knowing, resolves and closes it
    ops = fg_ops_new ();
    const char *closing [] = { "resolve", "feedback", "close" };
    for (int i = 0; i < 3; i++) {
        fg_ops_begin (ops, FG_OP_INSERT, "appeal_event", NULL, fg_testkit_author_id (town), 513328100201);
        fg_ops_set_int (ops, "appeal_id", (int64_t) appeal);
        fg_ops_set_text (ops, "transition", closing [i]);
    }
    fg_testkit_script_add (script, town, &ops, fg_hlc_make (12000, 0));
    //  12-14: metadata versions: v2 written before v1 in time still wins;
    //  the county's v3 is a proposal
    uint64_t schedule = fg_testkit_author_id (pref);
    int64_t versions [] = { 1, 2 };
    uint64_t times [] = { 20000, 19000 };
    const char *names [] = { "weekly", "weekly judgment" };
    for (int i = 0; i < 2; i++) {
        ops = fg_ops_new ();
        fg_ops_begin (ops, FG_OP_PUT, "report_schedule", "schedule", schedule, 513300);
        fg_ops_set_int (ops, "version", versions [i]);
        fg_ops_set_text (ops, "name", names [i]);
        fg_testkit_script_add (script, pref, &ops, fg_hlc_make (times [i], 0));
    }
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "report_schedule", "schedule", schedule, 513328);
    fg_ops_set_int (ops, "version", 3);
    fg_ops_set_text (ops, "name", "county's idea");
    fg_testkit_script_add (script, county, &ops, fg_hlc_make (21000, 0));
    //  15-17: a clock days ahead: the township writes size 50 stamped far in
    //  the future; its county flags it, clamping it to 13000; the township's
    //  next honest write (size 7 at 14000) wins
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
    fg_ops_set_int (ops, "size", 50);
    fg_testkit_script_add (script, town, &ops, fg_hlc_make (1000000000LL, 0));
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_INSERT, "clock_flag", NULL, fg_testkit_author_id (county), 513328100);
    fg_ops_set_int (ops, "origin", town->node.node_id);
    fg_ops_set_int (ops, "seq", (int64_t) town->seq);
    fg_ops_set_int (ops, "clamp_hlc", (int64_t) fg_hlc_make (13000, 0));
    size_t flag = fg_testkit_script_add (script, county, &ops, fg_hlc_make (13000, 0));
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, 513328100201);
    fg_ops_set_int (ops, "size", 7);
    fg_testkit_script_add (script, town, &ops, fg_hlc_make (14000, 0));

    //  Without the flag, the far-future write would win
    {
        fg_merge_t *unflagged;
        sqlite3 *db0 = fg_testkit_merge_db (&unflagged);
        for (size_t i = 0; i < script->count; i++) {
            fg_merge_result_t result;
            if (i != flag)
                fg_testkit_merge (unflagged, script->by [i], script->bytes [i], script->sizes [i],
                                  &result);
        }
        assert (fg_testkit_db_int (db0, "SELECT size FROM household WHERE id = %lld", (long long) hh) == 50);
        fg_merge_destroy (&unflagged);
        sqlite3_close (db0);
    }

    //  Reference order
    fg_merge_t *merge;
    sqlite3 *db = fg_testkit_merge_db (&merge);
    fg_testkit_script_merge (script, merge, NULL);
    uint8_t reference [FG_HASH_SIZE];
    size_t rows;
    assert (fg_merge_digest (merge, NULL, reference, &rows) == 0);
    assert (rows == 13);             //  household, visit, org unit, appeal, its 7 events,
                                     //  schedule, clock flag
    //  the flagged 50 lost; county's 9 a proposal
    assert (fg_testkit_db_int (db, "SELECT size FROM household WHERE id = %lld", (long long) hh) == 7);
    //  township's 0 a proposal, county2's 0 ignored
    assert (fg_testkit_db_int (db, "SELECT needy FROM household WHERE id = %lld", (long long) hh) == 1);
    //  not hijacked
    assert (fg_testkit_db_int (db, "SELECT head_name = 'Tashi' AND org_id = 513328100201 FROM household "
                                   "WHERE id = %lld", (long long) hh) == 1);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM op WHERE outcome = 'proposal'") == 3);
    //  The appeal: escalated to the county; the township's three later
    //  transitions kept, marked rejected, with the reason
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM appeal WHERE state = 'ESCALATED' "
                                   "AND owner_org = 513328 AND transitions = 4 "
                                   "AND rejected_transitions = 3") == 1);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM appeal_event WHERE rejected = 1 "
                                   "AND reject_reason LIKE '%%owned by 513328%%'") == 3);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM appeal_event WHERE rejected = 0 "
                                   "AND state_after IS NOT NULL") == 4);
    //  Metadata: the highest version, whatever its time
    {
        sqlite3_stmt *stmt;
        assert (sqlite3_prepare_v2 (db, "SELECT name, version FROM report_schedule", -1, &stmt, NULL) == SQLITE_OK);
        assert (sqlite3_step (stmt) == SQLITE_ROW);
        assert (streq ((const char *) sqlite3_column_text (stmt, 0), "weekly judgment"));
        assert (sqlite3_column_int (stmt, 1) == 2);
        sqlite3_finalize (stmt);
    }
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM op WHERE reason LIKE 'out_of_scope%%'") == 1);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM op WHERE reason LIKE 'foreign_id%%'") == 1);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM op WHERE reason LIKE 'unknown_column%%'") == 1);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM op WHERE reason LIKE 'unknown_table%%'") == 1);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM op WHERE reason LIKE 'not_author%%'") == 1);
    assert (fg_testkit_db_int (db, "SELECT voided = 1 AND void_reason = 'entered twice' FROM visit") == 1);
    assert (fg_testkit_db_int (db, "SELECT count(*) FROM directive") == 0);
    //  Idempotence: everything again changes nothing
    fg_testkit_script_merge (script, merge, NULL);
    uint8_t again [FG_HASH_SIZE];
    assert (fg_merge_digest (merge, NULL, again, &rows) == 0);
    assert (memcmp (again, reference, FG_HASH_SIZE) == 0);
    //  Subtree digest: the other township holds nothing
    assert (fg_merge_digest (merge, "513328101", again, &rows) == 0 && rows == 0);
    assert (fg_merge_digest (merge, "513328100", again, &rows) == 0 && rows == 12);
    fg_merge_destroy (&merge);
    sqlite3_close (db);

    //  Convergence: random interleavings that keep each origin's order
    srandom (42);
    for (int round = 0; round < 200; round++) {
        size_t order [FG_TESTSCRIPT_MAX];
        fg_testkit_interleave (script->by, script->count, all, FG_TESTKIT_AUTHORS, order);
        db = fg_testkit_merge_db (&merge);
        fg_testkit_script_merge (script, merge, order);
        uint8_t digest [FG_HASH_SIZE];
        assert (fg_merge_digest (merge, NULL, digest, &rows) == 0);
        assert (memcmp (digest, reference, FG_HASH_SIZE) == 0);
        fg_merge_destroy (&merge);
        sqlite3_close (db);
    }
    fg_testkit_script_free (script);
    free (script);
    fg_testkit_authors_destroy (all);
    printf ("OK\n");
}

//  -------------------------------------------------------------------------
//  Property test: random sets of entries from five origins (events and
//  voids, concurrent registry edits by owner and non-owner tiers and by a
//  county of another subtree, appeal transitions from three tiers,
//  metadata versions, clock flags), each set merged in many random orders
//  that keep each origin's order: every order gives the same digest;
//  merging everything twice changes nothing; clearing the projection and
//  merging again (a rebuild) gives the same digest.

#define S_PROP_AUTHORS FG_TESTKIT_AUTHORS

typedef struct {
    fg_testauthor_t  authors [S_PROP_AUTHORS];
    fg_testscript_t  script;
    uint64_t         households [3];
    uint64_t         appeal;
    uint64_t         schedule;
    uint64_t         visits [64];
    fg_testauthor_t *visit_by [64];
    size_t           visit_count;
    uint64_t         hlc [S_PROP_AUTHORS];
} s_prop_t;

static void
s_prop_add (s_prop_t *prop, int who, fg_ops_t **ops)
{
    prop->hlc [who] += 1 + (uint64_t) (random () % 40);
    fg_testkit_script_add (&prop->script, &prop->authors [who], ops,
                           fg_hlc_make ((int64_t) prop->hlc [who], 0));
}

static void
s_prop_generate (s_prop_t *prop)
{
    //  who: 0 township A, 1 township B, 2 county, 3 prefecture, 4 other county
    const char *economies [] = { "farming", "herding", "semi" };
    const char *transitions [] = { "register", "assign", "start", "escalate", "resolve",
                                   "feedback", "close", "reopen", "supervise", "withdraw" };
    fg_ops_t *ops = fg_ops_new ();
    for (int h = 0; h < 3; h++) {
        prop->households [h] = fg_testkit_author_id (&prop->authors [0]);
        fg_ops_begin (ops, FG_OP_PUT, "household", "reg", prop->households [h], 513328100201);
        fg_ops_set_text (ops, "head_name", "head");
    }
    prop->appeal = fg_testkit_author_id (&prop->authors [0]);
    fg_ops_begin (ops, FG_OP_PUT, "appeal", "intake", prop->appeal, 513328100201);
    fg_ops_set_text (ops, "appellant_name", "a");
    fg_ops_set_text (ops, "type", "dispute");
    fg_ops_set_text (ops, "summary", "s");
    s_prop_add (prop, 0, &ops);
    prop->schedule = fg_testkit_author_id (&prop->authors [3]);

    size_t target = 12 + (size_t) (random () % 40);
    while (prop->script.count < target) {
        int who = (int) (random () % S_PROP_AUTHORS);
        fg_testauthor_t *author = &prop->authors [who];
        ops = fg_ops_new ();
        int op_count = 1 + (int) (random () % 3);
        for (int o = 0; o < op_count; o++) {
            uint64_t hh = prop->households [random () % 3];
            uint64_t anchor = who == 4 ? 513329100201 : who == 1 ? 513328101201 : 513328100201;
            switch (random () % 7) {
                case 0:         //  registry: reg (owner township) or admin (owner county)
                    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", hh, anchor);
                    fg_ops_set_int (ops, "size", random () % 9);
                    fg_ops_set_text (ops, "economy", economies [random () % 3]);
                    break;
                case 1:
                    fg_ops_begin (ops, FG_OP_PUT, "household", "admin", hh, anchor);
                    fg_ops_set_int (ops, "needy", random () % 2);
                    break;
                case 2: {       //  an event, sometimes voided later
                    uint64_t id = fg_testkit_author_id (author);
                    fg_ops_begin (ops, FG_OP_INSERT, "visit", NULL, id, anchor);
                    fg_ops_set_int (ops, "cadre_id", 1 + random () % 5);
                    fg_ops_set_text (ops, "target_kind", "household");
                    fg_ops_set_int (ops, "target_id", (int64_t) hh);
                    fg_ops_set_text (ops, "kind", "pairing");
                    fg_ops_set_int (ops, "occurred_on", 15000 + random () % 500);
                    if (prop->visit_count < 64) {
                        prop->visits [prop->visit_count] = id;
                        prop->visit_by [prop->visit_count++] = author;
                    }
                    break;
                }
                case 3:
                    if (prop->visit_count) {
                        size_t v = (size_t) random () % prop->visit_count;
                        fg_ops_begin (ops, FG_OP_VOID, "visit", NULL, prop->visits [v], anchor);
                        fg_ops_set_text (ops, "reason", random () % 2 ? "twice" : "wrong");
                        break;
                    }
                    __attribute__ ((fallthrough));   //  no visit yet: an appeal event
                case 4:
                    fg_ops_begin (ops, FG_OP_INSERT, "appeal_event", NULL, fg_testkit_author_id (author), anchor);
                    fg_ops_set_int (ops, "appeal_id", (int64_t) prop->appeal);
                    fg_ops_set_text (ops, "transition", transitions [random () % 10]);
                    break;
                case 5:         //  metadata versions (owner: the prefecture)
                    fg_ops_begin (ops, FG_OP_PUT, "report_schedule", "schedule", prop->schedule,
                                  who == 3 ? 513300 : anchor);
                    fg_ops_set_int (ops, "version", 1 + random () % 6);
                    fg_ops_set_text (ops, "name", random () % 2 ? "weekly" : "monthly");
                    break;
                default:        //  a clock flag by the county on a township entry
                    fg_ops_begin (ops, FG_OP_INSERT, "clock_flag", NULL, fg_testkit_author_id (author), 513328100);
                    fg_ops_set_int (ops, "origin", prop->authors [0].node.node_id);
                    fg_ops_set_int (ops, "seq", 1 + (int64_t) (random () % (prop->authors [0].seq + 1)));
                    fg_ops_set_int (ops, "clamp_hlc", (int64_t) fg_hlc_make (random () % 2000, 0));
                    break;
            }
        }
        s_prop_add (prop, who, &ops);
    }
}

static void
s_prop_digest (s_prop_t *prop, size_t *order, uint8_t digest [FG_HASH_SIZE], bool twice, bool rebuild)
{
    fg_merge_t *merge;
    sqlite3 *db = fg_testkit_merge_db (&merge);
    for (int pass = 0; pass < (twice ? 2 : 1); pass++)
        fg_testkit_script_merge (&prop->script, merge, order);
    if (rebuild) {
        //  The projection is a function of the log: clear it, merge again
        //  in the reverse arrival order
        assert (fg_merge_clear (merge) == 0);
        size_t count = prop->script.count;
        size_t reverse [FG_TESTSCRIPT_MAX];
        for (size_t i = 0; i < count; i++)
            reverse [i] = order [count - 1 - i];
        fg_testkit_script_merge (&prop->script, merge, reverse);
    }
    size_t rows;
    assert (fg_merge_digest (merge, NULL, digest, &rows) == 0);
    fg_merge_destroy (&merge);
    sqlite3_close (db);
}

void
fg_merge_property_test (bool verbose)
{
    printf (" * fg_merge (property): ");
    srandom (20121106);
    int sets = 0, orders = 0;
    for (int set = 0; set < 12; set++) {
        s_prop_t *prop = (s_prop_t *) zmalloc (sizeof (s_prop_t));
        fg_testkit_authors (prop->authors);
        for (int a = 0; a < S_PROP_AUTHORS; a++)
            prop->hlc [a] = 1000 + (uint64_t) (random () % 200);
        s_prop_generate (prop);
        size_t natural [FG_TESTSCRIPT_MAX];
        for (size_t i = 0; i < prop->script.count; i++)
            natural [i] = i;
        uint8_t reference [FG_HASH_SIZE], digest [FG_HASH_SIZE];
        s_prop_digest (prop, natural, reference, false, false);
        s_prop_digest (prop, natural, digest, true, false);
        assert (memcmp (digest, reference, FG_HASH_SIZE) == 0);          //  idempotence
        for (int round = 0; round < 40; round++) {
            size_t order [FG_TESTSCRIPT_MAX];
            fg_testkit_interleave (prop->script.by, prop->script.count, prop->authors, S_PROP_AUTHORS,
                                   order);
            s_prop_digest (prop, order, digest, round % 4 == 1, round % 4 == 2);
            if (memcmp (digest, reference, FG_HASH_SIZE)) {
                fprintf (stderr, "set %d order %d: digests differ\n", set, round);
                assert (false);
            }
            orders++;
        }
        fg_testkit_script_free (&prop->script);
        fg_testkit_authors_destroy (prop->authors);
        free (prop);
        sets++;
    }
    if (verbose)
        printf ("%d sets, %d orders each way ", sets, orders);
    printf ("OK\n");
}
