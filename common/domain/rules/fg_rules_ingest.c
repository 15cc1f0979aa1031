/*  fg_rules_ingest.c - the HARD rules on what a node takes in and what its
    clerks write: the engine's on_ingest hook (fg_replica.h). It reads the
    ops of the entry and checks

      M3  a visit (insert):
          - occurred_on <= the day of (now + skew_days): the day it is
            received (at a hub) or written (at the desk), plus the skew;
          - its cadre exists: a cadre id that is not held here is refused
            when no node can hold it: its id names no node (node 0), or a
            township (townships write no cadres), or this node itself
            (a node never loses its own rows); a cadre minted elsewhere
            and not held here (a counterpart cadre of another township) is
            taken: this node cannot know;
          - its pairing, if named and held here, is the visited household's;
          - at the desk only (the node's own writes): the cadre held here
            is not transferred, retired or deceased by the visit's date.
            A hub does not refuse this one: the township may not hold the
            cadre's latest status yet, and a refused entry stops the
            township's chain (see below); rule M3 reports it instead.
      V3  an assistance record (insert):
          - amount_fen >= 0;
          - a reverses_id names a record that exists: one not held here is
            refused when it cannot exist elsewhere (node 0, or minted by
            this node or by the entry's own origin, whose earlier entries
            are all here), and a held one must have the same beneficiary
            and amount and not be reversed already;
          - at the desk only (the node's own writes), a record that is not
            a reversal: its vulnerable person held here is eligible on
            occurred_on (the county's verification not rejected, within
            eligible_from and eligible_to where given). A hub does not
            refuse it: the township may not hold the county's latest
            verification yet (rule V3's report is for what is held).

      S2  an assessment (insert): its weight lies in 0..1000 per mille and
          the subject's weights held here plus it do not pass 1000;
      P3, P4  a pairing written by hand (no plan_id): within the cadre's
          capacity; a territorial one in the cadre's township;
      T3, T5  a temple contact (put with its cadre): a prefecture leader's
          second active contact; a county-level contact of a site outside
          the cadre's county;
      B3  a prefecture branch pairing held here: no other village
          branch, no end before 3 years, without an override directive;
      B1, B2  a branch pairing written: its organ branch (county or
          township level: B1; prefecture: B2) has at most 2 (B1) or 1 (B2)
          active village pairings once the entry is applied, and its last
          one is not ended without a replacement in the same entry (or a
          prefecture override directive);
      C1, C2  at the prefecture's desk only (awards are its own): an award
          over the year's quota, outside the year's window, a second
          award of the nominee in its category and year, or one whose
          nominee's unit was graded poor in the year before.

    A write to a group the author's tier does not own is not checked: the
    merge keeps it as a proposal, which applies nothing; the owner's
    accept (fg_proposal.h) is its own write and is checked then.

    A refusal's reason is "rule:" and the rule's id, its detail says what and
    why. An entry from another node is quarantined and a refusal travels
    to its author; the node's own write fails with that message, so the
    clerk sees the refusal first. A refused entry of a child's chain stops
    that chain at this hub (its later entries wait for it): the checks a
    hub makes are the ones the author made at its desk with the same
    knowledge, so that a hub refuses only what a desk with a bypassed or
    older check let through. */
#include "fg_rules_int.h"
#include "fg_ops.h"
#include "fg_entry.h"
#include "fg_schema.h"

static int64_t
s_int (const fg_op_t *op, const char *name, bool *present)
{
    const fg_value_t *value = fg_op_get (op, name);
    *present = value && value->type == FG_VAL_INT;
    return *present ? value->i : 0;
}

//  Is node `id` known here as a township?
static bool
s_is_township (fg_replica_t *replica, uint16_t id)
{
    fg_node_t node;
    char relation [16];
    if (fg_replica_node (replica, id, &node, relation) == 0)
        return node.tier == FG_TIER_TOWNSHIP;
    return false;
}

//  One column of one row by id: 1 found (*out set), 0 not, -1 failure.
static int
s_lookup (fg_replica_t *replica, const char *sql, uint64_t id, int64_t *out, char *text, size_t size)
{
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (fg_replica_db (replica), sql, -1, &stmt, NULL) != SQLITE_OK)
        return fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) id);
    int rc = sqlite3_step (stmt);
    int found = 0;
    if (rc == SQLITE_ROW) {
        found = 1;
        if (out)
            *out = sqlite3_column_int64 (stmt, 0);
        if (text && size) {
            const char *value = (const char *) sqlite3_column_text (stmt, 1);
            snprintf (text, size, "%s", value ? value : "");
        }
        if (out && sqlite3_column_count (stmt) > 2)
            out [1] = sqlite3_column_int64 (stmt, 2);
    }
    else
    if (rc != SQLITE_DONE)
        found = fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    sqlite3_finalize (stmt);
    return found;
}

int
fg_rules__ingest_visit (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                        char *detail, size_t detail_size)
{
    const fg_node_t *self = fg_replica_self (replica);
    bool own = entry->origin == self->node_id;
    bool present;
    int64_t occurred = s_int (op, "occurred_on", &present);
    int64_t skew = fg_rules_param (replica, "skew_days", NULL);
    int64_t today = fg_now_ms () / FG_DAY_MS;
    if (present && occurred > today + skew) {
        char date [16], now [16];
        fg_date_format (occurred, date);
        fg_date_format (today, now);
        snprintf (detail, detail_size, "visit %llu is dated %s, after %s (%s here) plus %lld day(s), the skew "
                  "bound: a visit cannot be recorded before it happens; correct the date",
                  (unsigned long long) op->row_id, date, own ? "today" : "the day it was received", now,
                  (long long) skew);
        return 1;
    }
    int64_t cadre = s_int (op, "cadre_id", &present);
    if (present) {
        int64_t status_from [2] = { 0, 0 };
        char status [32] = "";
        int found = s_lookup (replica, "SELECT coalesce (status_from, 0), coalesce (status, 'active') "
                                       "FROM cadre WHERE id = ?", (uint64_t) cadre, status_from,
                              status, sizeof status);
        if (found < 0)
            return -1;
        uint16_t minted = FG_ID_NODE (cadre);
        if (!found && (minted == 0 || minted == self->node_id || minted == entry->origin
                       || s_is_township (replica, minted))) {
            snprintf (detail, detail_size, "visit %llu names cadre %lld, which does not exist (no cadre with "
                      "that id is held at node %u, and %s): record the visit under the visiting cadre's id",
                      (unsigned long long) op->row_id, (long long) cadre, self->node_id,
                      minted == 0 ? "the id names no node" : minted == self->node_id
                      ? "this node made that id itself" : "townships do not register cadres");
            return 1;
        }
        if (found && own && present
        &&  (streq (status, "transferred") || streq (status, "retired") || streq (status, "deceased"))
        &&  status_from [0] <= occurred) {
            char date [16], since [16];
            fg_date_format (occurred, date);
            fg_date_format (status_from [0], since);
            snprintf (detail, detail_size, "visit %llu on %s is by cadre %lld, %s since %s: a cadre who has "
                      "left cannot visit; record it under the cadre who went",
                      (unsigned long long) op->row_id, date, (long long) cadre, status, since);
            return 1;
        }
    }
    int64_t pairing = s_int (op, "pairing_id", &present);
    bool has_target;
    int64_t target = s_int (op, "target_id", &has_target);
    const fg_value_t *kind = fg_op_get (op, "target_kind");
    bool household = kind && kind->type == FG_VAL_TEXT && kind->size == 9
                  && memcmp (kind->data, "household", 9) == 0;
    if (present && has_target && household) {
        int64_t paired = 0;
        int found = s_lookup (replica, "SELECT household_id, '' FROM pairing WHERE id = ?",
                              (uint64_t) pairing, &paired, NULL, 0);
        if (found < 0)
            return -1;
        if (found && paired != target) {
            snprintf (detail, detail_size, "visit %llu to household %lld names pairing %lld, which pairs "
                      "household %lld: name the visited household's pairing, or none",
                      (unsigned long long) op->row_id, (long long) target, (long long) pairing,
                      (long long) paired);
            return 1;
        }
    }
    return 0;
}

//  V3 at the desk: the vulnerable person an assistance record names, if
//  held here, is eligible on its day. 1 (refused, detail says why), 0, -1
static int
s_assistance_eligible (fg_replica_t *replica, const fg_op_t *op, char *detail, size_t detail_size)
{
    const fg_value_t *kind = fg_op_get (op, "beneficiary_kind");
    bool present, dated;
    int64_t beneficiary = s_int (op, "beneficiary_id", &present);
    int64_t day = s_int (op, "occurred_on", &dated);
    if (!kind || kind->type != FG_VAL_TEXT || kind->size != 17 || memcmp (kind->data, "vulnerable_person", 17)
    ||  !present || !dated)
        return 0;
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT coalesce (cert_state, 'pending') = 'rejected', eligible_from, eligible_to "
            "FROM vulnerable_person WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
        return fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    sqlite3_bind_int64 (stmt, 1, beneficiary);
    int rc = sqlite3_step (stmt), verdict = 0;
    if (rc == SQLITE_ROW) {
        char on [16], from [16] = "", to [16] = "";
        fg_date_format (day, on);
        bool rejected = sqlite3_column_int (stmt, 0) != 0;
        bool early = sqlite3_column_type (stmt, 1) != SQLITE_NULL && sqlite3_column_int64 (stmt, 1) > day;
        bool late = sqlite3_column_type (stmt, 2) != SQLITE_NULL && sqlite3_column_int64 (stmt, 2) <= day;
        if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
            fg_date_format (sqlite3_column_int64 (stmt, 1), from);
        if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
            fg_date_format (sqlite3_column_int64 (stmt, 2), to);
        if (rejected || early || late) {
            snprintf (detail, detail_size, "assistance record %llu: vulnerable person %lld is not eligible on %s "
                      "(%s)", (unsigned long long) op->row_id, (long long) beneficiary, on,
                      rejected ? "the county's verification rejected it"
                      : early ? "eligible only from a later day" : "eligibility ended before");
            if (early || late)
                snprintf (detail + strlen (detail), detail_size - strlen (detail), ": eligible from %s, before %s",
                          from [0] ? from : "-", to [0] ? to : "-");
            verdict = 1;
        }
    }
    else
    if (rc != SQLITE_DONE)
        verdict = fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    sqlite3_finalize (stmt);
    return verdict;
}

int
fg_rules__ingest_assistance (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                             char *detail, size_t detail_size)
{
    const fg_node_t *self = fg_replica_self (replica);
    bool present;
    int64_t amount = s_int (op, "amount_fen", &present);
    if (present && amount < 0) {
        snprintf (detail, detail_size, "assistance record %llu has a negative amount (%lld fen): a correction "
                  "is a reversal record (reverses_id) of the same amount",
                  (unsigned long long) op->row_id, (long long) amount);
        return 1;
    }
    int64_t reverses = s_int (op, "reverses_id", &present);
    if (!present)
        return entry->origin == self->node_id ? s_assistance_eligible (replica, op, detail, detail_size) : 0;
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT beneficiary_kind, beneficiary_id, coalesce (amount_fen, 0), "
            "  (SELECT min (r.id) FROM assistance_record r WHERE r.reverses_id = o.id) "
            "FROM assistance_record o WHERE o.id = ?", -1, &stmt, NULL) != SQLITE_OK)
        return fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    sqlite3_bind_int64 (stmt, 1, reverses);
    int rc = sqlite3_step (stmt);
    int verdict = 0;
    if (rc == SQLITE_DONE) {
        uint16_t minted = FG_ID_NODE (reverses);
        if (minted == 0 || minted == self->node_id || minted == entry->origin) {
            snprintf (detail, detail_size, "assistance record %llu reverses record %lld, which does not exist "
                      "(%s): a reversal names the record it corrects",
                      (unsigned long long) op->row_id, (long long) reverses,
                      minted == 0 ? "the id names no node"
                      : "its author's records are all here, and that one is not");
            verdict = 1;
        }
    }
    else
    if (rc == SQLITE_ROW) {
        const fg_value_t *kind = fg_op_get (op, "beneficiary_kind");
        const char *held_kind = (const char *) sqlite3_column_text (stmt, 0);
        bool has_beneficiary;
        int64_t beneficiary = s_int (op, "beneficiary_id", &has_beneficiary);
        bool same_kind = kind && kind->type == FG_VAL_TEXT && held_kind && strlen (held_kind) == kind->size
                      && memcmp (kind->data, held_kind, kind->size) == 0;
        if (!same_kind || beneficiary != sqlite3_column_int64 (stmt, 1)
        ||  amount != sqlite3_column_int64 (stmt, 2)) {
            snprintf (detail, detail_size, "assistance record %llu reverses record %lld but not its beneficiary "
                      "and amount (%s %lld, %lld fen): a reversal repeats them",
                      (unsigned long long) op->row_id, (long long) reverses, held_kind ? held_kind : "?",
                      (long long) sqlite3_column_int64 (stmt, 1), (long long) sqlite3_column_int64 (stmt, 2));
            verdict = 1;
        }
        else
        if (sqlite3_column_type (stmt, 3) != SQLITE_NULL
        &&  (uint64_t) sqlite3_column_int64 (stmt, 3) != op->row_id) {
            snprintf (detail, detail_size, "assistance record %llu reverses record %lld, already reversed by %lld",
                      (unsigned long long) op->row_id, (long long) reverses,
                      (long long) sqlite3_column_int64 (stmt, 3));
            verdict = 1;
        }
    }
    else
        verdict = fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    sqlite3_finalize (stmt);
    return verdict;
}

//  S2: a dimension's weight lies in 0..1000 per mille, and the weights of
//  one subject's assessment (same subject, cycle and year) held here plus
//  this one do not pass 1000.
int
fg_rules__ingest_assessment (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                             char *detail, size_t detail_size)
{
    (void) entry;
    bool present;
    int64_t weight = s_int (op, "weight_permille", &present);
    if (!present)
        return 0;
    if (weight < 0 || weight > 1000) {
        snprintf (detail, detail_size, "assessment %llu weighs its dimension %lld per mille: weights lie in "
                  "0..1000 and a subject's dimensions sum to 1000", (unsigned long long) op->row_id,
                  (long long) weight);
        return 1;
    }
    bool has_subject, has_year;
    int64_t subject = s_int (op, "subject_id", &has_subject);
    int64_t year = s_int (op, "cycle_year", &has_year);
    const fg_value_t *kind = fg_op_get (op, "subject_kind"), *cycle = fg_op_get (op, "cycle");
    if (!kind || kind->type != FG_VAL_TEXT || !cycle || cycle->type != FG_VAL_TEXT)
        return 0;
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT coalesce (sum (weight_permille), 0) FROM assessment WHERE voided = 0 AND subject_kind = ?1 "
            "AND cycle = ?2 AND coalesce (cycle_year, -1) = ?3 AND coalesce (subject_id, org_id) = ?4",
            -1, &stmt, NULL) != SQLITE_OK)
        return fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    sqlite3_bind_text (stmt, 1, (const char *) kind->data, (int) kind->size, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, (const char *) cycle->data, (int) cycle->size, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 3, has_year ? year : -1);
    sqlite3_bind_int64 (stmt, 4, has_subject ? subject : (int64_t) op->anchor);
    int verdict = 0;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        int64_t held = sqlite3_column_int64 (stmt, 0);
        if (held + weight > 1000) {
            snprintf (detail, detail_size, "assessment %llu weighs its dimension %lld per mille; the subject's "
                      "dimensions held here weigh %lld already: the weights would sum past 1000",
                      (unsigned long long) op->row_id, (long long) weight, (long long) held);
            verdict = 1;
        }
    }
    else
        verdict = fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    sqlite3_finalize (stmt);
    return verdict;
}

//  C1 and C2 at the prefecture's desk: an award (a nomination_event
//  transition award) over the year's quota of its category, outside the
//  year's window, or a second award of the nominee in its category and
//  year. Awards are the prefecture's alone, so only its own writes are
//  checked (*reason_p names the rule).
int
fg_rules__ingest_award (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                        char *detail, size_t detail_size)
{
    (void) entry;
    const fg_value_t *transition = fg_op_get (op, "transition");
    if (!transition || transition->type != FG_VAL_TEXT || transition->size != 5
    ||  memcmp (transition->data, "award", 5))
        return 0;
    bool present, dated;
    int64_t nomination = s_int (op, "nomination_id", &present);
    int64_t on_day = s_int (op, "occurred_on", &dated);
    if (!present)
        return 0;
    if (!dated)
        on_day = fg_now_ms () / FG_DAY_MS;
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT n.year, n.category, "
            "  (SELECT count(*) FROM nomination m WHERE m.year = n.year AND m.category = n.category "
            "     AND m.state = 'AWARDED' AND m.id != n.id), "
            "  (SELECT count(*) FROM nomination m WHERE m.year = n.year AND m.category = n.category "
            "     AND m.state = 'AWARDED' AND m.id != n.id AND m.nominee_cadre_id = n.nominee_cadre_id), "
            "  (SELECT CASE n.category WHEN 'county_party_secretary' THEN c.quota_county_party_secretary "
            "     WHEN 'county_magistrate' THEN c.quota_county_magistrate "
            "     WHEN 'township_party_secretary' THEN c.quota_township_party_secretary "
            "     WHEN 'township_head' THEN c.quota_township_head "
            "     WHEN 'village_branch_secretary' THEN c.quota_village_branch_secretary END "
            "   FROM commendation_cycle c WHERE c.year = n.year ORDER BY c.version DESC LIMIT 1), "
            "  (SELECT c.window_start FROM commendation_cycle c WHERE c.year = n.year ORDER BY c.version DESC LIMIT 1), "
            "  (SELECT c.window_end FROM commendation_cycle c WHERE c.year = n.year ORDER BY c.version DESC LIMIT 1), "
            "  (SELECT a.subject_kind || ' ' || coalesce (a.subject_id, a.org_id) FROM assessment a "
            "   JOIN cadre c ON c.id = n.nominee_cadre_id WHERE " FG_RULES_POOR_GRADE ("a", "c", "n.year") " LIMIT 1) "
            "FROM nomination n WHERE n.id = ?", -1, &stmt, NULL) != SQLITE_OK)
        return fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    sqlite3_bind_int64 (stmt, 1, nomination);
    int verdict = 0;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        int year = sqlite3_column_int (stmt, 0);
        char category [64], name [96];
        snprintf (category, sizeof category, "%s", fg_rules__text (stmt, 1));
        snprintf (name, sizeof name, "quota_%s", category);
        int64_t quota = -1;
        if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
            quota = sqlite3_column_int64 (stmt, 4);
        else {
            const fg_rule_param_t *defaults = fg_rules_param_defaults ();
            for (size_t i = 0; defaults [i].name; i++)
                if (streq (defaults [i].name, name))
                    quota = fg_rules_param (replica, name, NULL);
        }
        int64_t w0 = sqlite3_column_type (stmt, 5) != SQLITE_NULL ? sqlite3_column_int64 (stmt, 5)
                   : fg_rules__day (year, 7, 1);
        int64_t w1 = sqlite3_column_type (stmt, 6) != SQLITE_NULL ? sqlite3_column_int64 (stmt, 6)
                   : fg_rules__day (year, 7, 31);
        char date [16], from [16], to [16];
        fg_date_format (on_day, date);
        fg_date_format (w0, from);
        fg_date_format (w1, to);
        if (quota >= 0 && sqlite3_column_int64 (stmt, 2) >= quota) {
            snprintf (detail, detail_size, "C1|award of nomination %lld: %lld %s award(s) in %d already, the "
                      "quota is %lld", (long long) nomination, (long long) sqlite3_column_int64 (stmt, 2),
                      category, year, (long long) quota);
            verdict = 1;
        }
        else
        if (on_day < w0 || on_day > w1) {
            snprintf (detail, detail_size, "C2|award of nomination %lld dated %s, outside %d's window %s to %s",
                      (long long) nomination, date, year, from, to);
            verdict = 1;
        }
        else
        if (sqlite3_column_int64 (stmt, 3) > 0) {
            snprintf (detail, detail_size, "C2|award of nomination %lld: its nominee was already awarded as %s "
                      "in %d", (long long) nomination, category, year);
            verdict = 1;
        }
        else
        if (sqlite3_column_type (stmt, 7) != SQLITE_NULL) {
            snprintf (detail, detail_size, "C2|award of nomination %lld: the nominee's unit (%s) was graded poor "
                      "in the year-end assessment of %d", (long long) nomination, fg_rules__text (stmt, 7), year - 1);
            verdict = 1;
        }
    }
    sqlite3_finalize (stmt);
    return verdict;
}

//  P3 and P4 on a pairing written by hand (a put of the plan group
//  carrying no plan_id; a plan's own rows are checked by the solver, and
//  its ends and adds of one transaction may cross entries): the cadre's
//  active pairs held here plus this one stay within its capacity; a
//  territorial pair's household lies in the cadre's township.
int
fg_rules__ingest_pairing (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                          char *detail, size_t detail_size, const char **rule_p)
{
    (void) entry;
    bool present, planned;
    int64_t cadre = s_int (op, "cadre_id", &present);
    s_int (op, "plan_id", &planned);
    if (!present || planned || fg_op_get (op, "end_on"))
        return 0;
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT c.name, c.rank, c.capacity_override, c.org_id, "
            "  (SELECT count(*) FROM pairing p WHERE p.cadre_id = c.id AND p.id != ?2 "
            "     AND coalesce (p.role, 'primary') = 'primary' AND p.end_on IS NULL) "
            "FROM cadre c WHERE c.id = ?1", -1, &stmt, NULL) != SQLITE_OK)
        return fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    sqlite3_bind_int64 (stmt, 1, cadre);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) op->row_id);
    int verdict = 0;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        const char *rank = fg_rules__text (stmt, 1);
        bool leading = strncmp (rank, "prefecture_", 11) == 0 || strncmp (rank, "county_", 7) == 0;
        int64_t cap = fg_rules_param (replica, leading ? "cap_leading" : "cap_other", NULL);
        if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
            cap = sqlite3_column_int64 (stmt, 2);
        int64_t most = fg_rules_param (replica, "cap_max", NULL);
        if (cap > most)
            cap = most;
        int64_t held = sqlite3_column_int64 (stmt, 4);
        const fg_value_t *role = fg_op_get (op, "role"), *form = fg_op_get (op, "form");
        bool secondary = role && role->type == FG_VAL_TEXT && role->size == 9
                      && memcmp (role->data, "secondary", 9) == 0;
        bool territorial = !form || (form->type == FG_VAL_TEXT && form->size == 11
                                     && memcmp (form->data, "territorial", 11) == 0);
        char anchor [24], township [16] = "";
        snprintf (anchor, sizeof anchor, "%llu", (unsigned long long) op->anchor);
        const char *cadre_org = fg_rules__text (stmt, 3);
        if (!secondary && held + 1 > cap) {
            snprintf (detail, detail_size, "pairing %llu gives %s a household more than its capacity: it holds "
                      "%lld, capacity %lld; the county's plan places households (fugai plan run)",
                      (unsigned long long) op->row_id, fg_rules__text (stmt, 0), (long long) held,
                      (long long) cap);
            *rule_p = "rule:P3";
            verdict = 1;
        }
        else
        if (territorial && fg_org_township_of (anchor, township) == 0
        &&  strncmp (cadre_org, township, 9) != 0) {
            snprintf (detail, detail_size, "pairing %llu is territorial, but %s works in %s, not in the "
                      "household's township %s: name the form that holds (counterpart, org_deployment, "
                      "cadre_relative) or let the plan pair it", (unsigned long long) op->row_id,
                      fg_rules__text (stmt, 0), cadre_org, township);
            *rule_p = "rule:P4";
            verdict = 1;
        }
    }
    sqlite3_finalize (stmt);
    return verdict;
}

//  B3 at the prefecture: a branch pairing of a prefecture-level organ
//  branch held here does not change its village branch, nor end before
//  start_on + b3_lock_days, unless the write names an override directive.
int
fg_rules__ingest_branch_pairing (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                                 char *detail, size_t detail_size)
{
    (void) entry;
    if (fg_op_get (op, "override_directive_id"))
        return 0;
    bool new_village, new_end;
    int64_t village = s_int (op, "village_branch_id", &new_village);
    int64_t end_on = s_int (op, "end_on", &new_end);
    if (!new_village && !new_end)
        return 0;
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT p.village_branch_id, p.start_on, o.name, p.override_directive_id FROM branch_pairing p "
            "JOIN party_branch o ON o.id = p.organ_branch_id WHERE p.id = ? AND o.level = 'prefecture'",
            -1, &stmt, NULL) != SQLITE_OK)
        return fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) op->row_id);
    int verdict = 0;
    if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 3) == SQLITE_NULL) {
        int64_t lock = fg_rules_param (replica, "b3_lock_days", NULL);
        int64_t start = sqlite3_column_int64 (stmt, 1);
        if (new_village && village != sqlite3_column_int64 (stmt, 0)) {
            snprintf (detail, detail_size, "branch pairing %llu of prefecture branch %s is locked for 3 years: "
                      "its village branch does not change (a new pairing, or a prefecture override directive)",
                      (unsigned long long) op->row_id, fg_rules__text (stmt, 2));
            verdict = 1;
        }
        else
        if (new_end && sqlite3_column_type (stmt, 1) != SQLITE_NULL && end_on < start + lock) {
            char until [16];
            fg_date_format (start + lock, until);
            snprintf (detail, detail_size, "branch pairing %llu of prefecture branch %s is locked until %s: it "
                      "ends sooner only by a prefecture override directive (override_directive_id)",
                      (unsigned long long) op->row_id, fg_rules__text (stmt, 2), until);
            verdict = 1;
        }
    }
    sqlite3_finalize (stmt);
    return verdict;
}

//  A branch pairing's organ branch, start and end after an op: the op's
//  values over the row held here. Returns 1 if the row is known (the op or
//  the held row names its organ branch), 0 if not, -1 on a failure.
static int
s_branch_after (fg_replica_t *replica, const fg_op_t *op, int64_t *organ, int64_t *end_on, bool *ends)
{
    bool has_organ, has_end;
    *organ = s_int (op, "organ_branch_id", &has_organ);
    *end_on = s_int (op, "end_on", &has_end);
    *ends = has_end;
    const fg_value_t *end_value = fg_op_get (op, "end_on");
    bool end_cleared = end_value && end_value->type == FG_VAL_NULL;
    if (has_organ && (has_end || end_cleared)) {
        if (end_cleared)
            *end_on = 0;
        return 1;
    }
    int64_t held [2] = { 0, 0 };
    int found = s_lookup (replica, "SELECT organ_branch_id, '', coalesce (end_on, 0) FROM branch_pairing "
                          "WHERE id = ?", op->row_id, held, NULL, 0);
    if (found <= 0)
        return has_organ ? 1 : found;
    if (!has_organ)
        *organ = held [0];
    if (!has_end && !end_cleared)
        *end_on = held [1];
    else
    if (end_cleared)
        *end_on = 0;
    return 1;
}

//  B1, B2 on a branch pairing written (a put): the organ branch it pairs,
//  if it is an active organ, enterprise or institution branch, has at most
//  2 active village pairings (county and township branches, B1) or 1
//  (prefecture branches, B2) once the entry is applied, counting those
//  held here and those the entry itself writes; and an op that ends its
//  last active pairing is refused unless the same entry pairs it anew (a
//  replacement) or a prefecture override directive says so. Active: not
//  ended by the day it is written or received. Only the upper bound and
//  the last end can be refused: an organ branch with no pairing yet is
//  a state, reported by the rule.
int
fg_rules__ingest_branch_count (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                               char *detail, size_t detail_size, const char **rule_p)
{
    int64_t organ, end_on;
    bool ends;
    int known = s_branch_after (replica, op, &organ, &end_on, &ends);
    if (known <= 0)
        return known;
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT b.name, b.level FROM party_branch b WHERE b.id = ?1 "
            "AND b.level IN ('prefecture', 'county', 'township') AND b.kind IN ('organ', 'enterprise', 'institution') "
            "AND coalesce (b.status, 'active') = 'active' AND (b.valid_to IS NULL OR b.valid_to > ?2)",
            -1, &stmt, NULL) != SQLITE_OK)
        return fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    int64_t today = fg_now_ms () / FG_DAY_MS;
    sqlite3_bind_int64 (stmt, 1, organ);
    sqlite3_bind_int64 (stmt, 2, today);
    int step = sqlite3_step (stmt);
    if (step != SQLITE_ROW) {
        sqlite3_finalize (stmt);
        return step == SQLITE_DONE ? 0 : fg_replica_fail_with (replica, "rules: %s",
                                                               sqlite3_errmsg (fg_replica_db (replica)));
    }
    char name [128], level [16];
    snprintf (name, sizeof name, "%s", fg_rules__text (stmt, 0));
    snprintf (level, sizeof level, "%s", fg_rules__text (stmt, 1));
    sqlite3_finalize (stmt);
    bool prefecture = streq (level, "prefecture");
    int64_t most = prefecture ? 1 : 2;
    *rule_p = prefecture ? "rule:B2" : "rule:B1";

    //  The entry's own branch pairings of this organ branch, active after it
    int64_t count = 0;
    char *touched = strdup ("");           //  ids of the rows the entry writes, comma-separated
    fg_ops_reader_t reader;
    fg_op_t *other = (fg_op_t *) malloc (sizeof *other);
    if (!other || !touched) {
        free (other);
        free (touched);
        return fg_replica_fail_with (replica, "rules: out of memory");
    }
    int rc = 0;
    if (fg_ops_reader_init (&reader, entry->payload, entry->payload_size) == 0)
        while (rc == 0 && fg_ops_next (&reader, other) == 1) {
            if (other->kind != FG_OP_PUT || !streq (other->table, "branch_pairing"))
                continue;
            int64_t its_organ, its_end;
            bool its_ends;
            int its = s_branch_after (replica, other, &its_organ, &its_end, &its_ends);
            if (its < 0)
                rc = -1;
            if (its <= 0 || its_organ != organ)
                continue;
            char *more = fg_strdupf ("%s%s%llu", touched, *touched ? "," : "", (unsigned long long) other->row_id);
            free (touched);
            touched = more;
            if (its_end == 0 || its_end > today)
                count++;
        }
    free (other);
    //  ... and those held here that the entry does not touch
    if (rc == 0 && sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT count(*) FROM branch_pairing p WHERE p.organ_branch_id = ?1 "
            "AND (p.end_on IS NULL OR p.end_on > ?2) "
            "AND ',' || ?3 || ',' NOT LIKE '%,' || p.id || ',%'", -1, &stmt, NULL) != SQLITE_OK)
        rc = fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    else
    if (rc == 0) {
        sqlite3_bind_int64 (stmt, 1, organ);
        sqlite3_bind_int64 (stmt, 2, today);
        sqlite3_bind_text (stmt, 3, touched, -1, SQLITE_TRANSIENT);
        if (sqlite3_step (stmt) == SQLITE_ROW)
            count += sqlite3_column_int64 (stmt, 0);
        else
            rc = fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
        sqlite3_finalize (stmt);
    }
    free (touched);
    if (rc)
        return -1;
    bool this_active = end_on == 0 || end_on > today;
    if (this_active && count > most) {
        snprintf (detail, detail_size, "%s (a %s-level branch) would have %lld active village pairings: "
                  "it has %s%lld (%s); end one in the same entry first",
                  name, level, (long long) count, prefecture ? "exactly " : "1 to ", (long long) most,
                  prefecture ? "B2" : "B1");
        return 1;
    }
    //  Ending one that is active here (a new row already ended is history)
    int64_t was [2] = { 0, 0 };
    char sql [160];
    snprintf (sql, sizeof sql, "SELECT 1, '', (end_on IS NULL OR end_on > %lld) FROM branch_pairing WHERE id = ?1",
              (long long) today);
    int held = ends ? s_lookup (replica, sql, op->row_id, was, NULL, 0) : 0;
    if (held < 0)
        return -1;
    if (!this_active && held && was [1] && count == 0 && !fg_op_get (op, "override_directive_id")) {
        snprintf (detail, detail_size, "branch pairing %llu is the last active village pairing of %s "
                  "(a %s-level branch, which has %s%lld): pair it anew in the same entry, or end it by a "
                  "prefecture override directive", (unsigned long long) op->row_id, name, level,
                  prefecture ? "exactly " : "1 to ", (long long) most);
        return 1;
    }
    return 0;
}

//  T3 and T5 on a temple contact written (a put carrying its cadre): a
//  prefecture leader or department principal holds one active contact
//  only; a contact written as county-level has its site in the cadre's
//  county (a prefecture cadre's may be anywhere).
int
fg_rules__ingest_contact (fg_replica_t *replica, const fg_entry_t *entry, const fg_op_t *op,
                          char *detail, size_t detail_size, const char **rule_p)
{
    (void) entry;
    bool present, has_site;
    int64_t cadre = s_int (op, "cadre_id", &present);
    int64_t site = s_int (op, "site_id", &has_site);
    if (!present || fg_op_get (op, "end_on"))
        return 0;
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (fg_replica_db (replica),
            "SELECT c.name, c.org_id, "
            "  ',' || replace (coalesce (c.roles, ''), ' ', '') || ',' LIKE '%,prefecture_leader,%' "
            "  OR ',' || replace (coalesce (c.roles, ''), ' ', '') || ',' LIKE '%,prefecture_department_principal,%', "
            "  (SELECT count(*) FROM temple_contact t WHERE t.cadre_id = c.id AND t.id != ?2 AND t.end_on IS NULL), "
            "  (SELECT s.org_id FROM religious_site s WHERE s.id = ?3), (SELECT s.name FROM religious_site s WHERE s.id = ?3) "
            "FROM cadre c WHERE c.id = ?1", -1, &stmt, NULL) != SQLITE_OK)
        return fg_replica_fail_with (replica, "rules: %s", sqlite3_errmsg (fg_replica_db (replica)));
    sqlite3_bind_int64 (stmt, 1, cadre);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) op->row_id);
    sqlite3_bind_int64 (stmt, 3, has_site ? site : 0);
    int verdict = 0;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        const char *cadre_org = fg_rules__text (stmt, 1);
        const fg_value_t *level = fg_op_get (op, "level");
        bool county_level = level && level->type == FG_VAL_TEXT && level->size == 6
                         && memcmp (level->data, "county", 6) == 0;
        if (sqlite3_column_int (stmt, 2) && sqlite3_column_int64 (stmt, 3) > 0) {
            snprintf (detail, detail_size, "temple contact %llu: %s, a prefecture leader or department principal, "
                      "already has an active contact, and contacts exactly one site: end it first",
                      (unsigned long long) op->row_id, fg_rules__text (stmt, 0));
            *rule_p = "rule:T3";
            verdict = 1;
        }
        else
        if (county_level && sqlite3_column_type (stmt, 4) != SQLITE_NULL && strlen (cadre_org) >= 6
        &&  strncmp (cadre_org + 4, "00", 2) != 0
        &&  strncmp (cadre_org, fg_rules__text (stmt, 4), 6) != 0) {
            snprintf (detail, detail_size, "temple contact %llu: %s of county %.6s cannot be the county-level "
                      "contact of %s in county %.6s", (unsigned long long) op->row_id, fg_rules__text (stmt, 0),
                      cadre_org, fg_rules__text (stmt, 5), fg_rules__text (stmt, 4));
            *rule_p = "rule:T5";
            verdict = 1;
        }
    }
    sqlite3_finalize (stmt);
    return verdict;
}

int
fg_rules_ingest (fg_replica_t *replica, const fg_entry_t *entry, const fg_node_t *origin,
                 char *reason, size_t reason_size, char *detail, size_t detail_size)
{
    //  The ops that decode (the merge says what is wrong with the rest),
    //  decoded once for this hook and the merge
    size_t count = 0;
    const fg_op_t *ops = fg_replica_entry_ops (replica, entry, &count);
    int verdict = 0;
    for (size_t i = 0; verdict == 0 && i < count; i++) {
        const fg_op_t *op = &ops [i];
        const char *rule = NULL;
        //  A write to a group the author's tier does not own is kept as a
        //  proposal (fg_merge): nothing of it applies, so it breaks no
        //  rule; refusing it would stop the author's chain here for a
        //  suggestion. Its owner's accept is checked as its own write.
        if (op->kind == FG_OP_PUT && origin) {
            const fg_table_t *table = fg_schema_table (op->table);
            const fg_group_t *group = table ? fg_schema_group (table, op->group) : NULL;
            if (group && !(group->owners & origin->tier))
                continue;
        }
        if (op->kind == FG_OP_PUT) {
            if (streq (op->table, "pairing"))
                verdict = fg_rules__ingest_pairing (replica, entry, op, detail, detail_size, &rule);
            else
            if (streq (op->table, "temple_contact"))
                verdict = fg_rules__ingest_contact (replica, entry, op, detail, detail_size, &rule);
            else
            if (streq (op->table, "branch_pairing")) {
                rule = "rule:B3";
                verdict = fg_rules__ingest_branch_pairing (replica, entry, op, detail, detail_size);
                if (verdict == 0)
                    verdict = fg_rules__ingest_branch_count (replica, entry, op, detail, detail_size, &rule);
            }
        }
        else
        if (op->kind != FG_OP_INSERT)
            continue;
        else
        if (streq (op->table, "visit")) {
            rule = "rule:M3";
            verdict = fg_rules__ingest_visit (replica, entry, op, detail, detail_size);
        }
        else
        if (streq (op->table, "assistance_record")) {
            rule = "rule:V3";
            verdict = fg_rules__ingest_assistance (replica, entry, op, detail, detail_size);
        }
        else
        if (streq (op->table, "assessment")) {
            rule = "rule:S2";
            verdict = fg_rules__ingest_assessment (replica, entry, op, detail, detail_size);
        }
        else
        if (streq (op->table, "nomination_event") && entry->origin == fg_replica_self (replica)->node_id) {
            verdict = fg_rules__ingest_award (replica, entry, op, detail, detail_size);
            //  The detail starts "C1|" or "C2|": the rule
            rule = verdict > 0 && strncmp (detail, "C1|", 3) == 0 ? "rule:C1" : "rule:C2";
            if (verdict > 0)
                memmove (detail, detail + 3, strlen (detail + 3) + 1);
        }
        if (verdict > 0)
            snprintf (reason, reason_size, "%s", rule);
    }
    return verdict;
}
