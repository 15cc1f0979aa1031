/*  fg_proposal.c - proposals decided by their owner (see fg_proposal.h).
    Reads the merge's op table (outcome 'proposal') and the catalogue's
    proposal_decision table; writes through fg_record / fg_replica_append
    like every write, so the HARD rules and the merge check the owner's
    put as they check any other. */
#include "fg_proposal.h"
#include "fg_record.h"
#include "fg_schema.h"
#include "fg_ops.h"
#include "fg_org.h"
#include "fg_hlc.h"
#include "fg_util.h"

//  "ORIGIN:SEQ[:IDX]": 0, or -1 if malformed
static int
s_parse (const char *id, uint64_t *origin, uint64_t *seq, uint64_t *idx)
{
    unsigned long long a = 0, b = 0, c = 0;
    char tail = 0;
    int n = sscanf (id ? id : "", "%llu:%llu:%llu%c", &a, &b, &c, &tail);
    if (n == 2) {
        n = sscanf (id, "%llu:%llu%c", &a, &b, &tail);
        if (n != 2)
            return -1;
        c = 0;
    }
    else
    if (n != 3)
        return -1;
    if (a == 0 || a > 65535 || b == 0)
        return -1;
    *origin = a;
    *seq = b;
    *idx = c;
    return 0;
}

//  The fields of an op's bytes as "name=value ..."
static void
s_fields_text (const void *bytes, size_t size, char *out, size_t out_size)
{
    *out = 0;
    fg_op_t *op = (fg_op_t *) malloc (sizeof *op);
    if (!op || fg_op_decode (op, (const uint8_t *) bytes, size)) {
        free (op);
        return;
    }
    size_t used = 0;
    for (size_t f = 0; f < op->field_count && used < out_size; f++) {
        const fg_value_t *value = &op->fields [f].value;
        if (value->type == FG_VAL_INT)
            used += (size_t) snprintf (out + used, out_size - used, "%s%s=%lld", used ? " " : "",
                                       op->fields [f].name, (long long) value->i);
        else
        if (value->type == FG_VAL_TEXT)
            used += (size_t) snprintf (out + used, out_size - used, "%s%s=%.*s", used ? " " : "",
                                       op->fields [f].name, (int) value->size, value->data);
        else
            used += (size_t) snprintf (out + used, out_size - used, "%s%s=%s", used ? " " : "",
                                       op->fields [f].name, value->type == FG_VAL_NULL ? "null" : "(bytes)");
    }
    free (op);
}

#define S_DECISION \
    "(SELECT %s FROM proposal_decision d WHERE d.origin = o.origin AND d.seq = o.seq AND d.idx = o.idx " \
    " ORDER BY d.created_hlc, d.id LIMIT 1)"

fg_rows_t *
fg_proposals_rows (fg_replica_t *replica, const char *state, char *errbuf, size_t errsize)
{
    if (state && !streq (state, "pending") && !streq (state, "accepted") && !streq (state, "rejected")
    &&  !streq (state, "all")) {
        fg_errf (errbuf, errsize, "no state '%s': pending, accepted, rejected or all", state);
        return NULL;
    }
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt;
    char sql [1536];
    int length = snprintf (sql, sizeof sql,
        "SELECT o.origin, o.seq, o.idx, o.tbl, o.row_id, o.grp, o.anchor, o.author, o.hlc, o.body, o.reason, "
        "  " S_DECISION ", " S_DECISION ", " S_DECISION ", " S_DECISION " "
        "FROM op o WHERE o.outcome = 'proposal' AND o.outcome != 'applied' AND (?1 IS NULL OR ?1 = 'all' OR ?1 = coalesce (" S_DECISION ", "
        "'pending')) ORDER BY o.hlc, o.origin, o.seq, o.idx",
        "d.decision", "d.created_by", "d.occurred_on", "d.reason", "d.decision");
    assert (length > 0 && (size_t) length < sizeof sql);
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the proposals: %s", sqlite3_errmsg (db));
        return NULL;
    }
    sqlite3_bind_text (stmt, 1, state, -1, SQLITE_TRANSIENT);
    fg_rows_t *rows = fg_rows_new ();
    const char *names [] = { "from_node", "seq", "table", "row_id", "group", "org_id", "author", "when",
                             "fields", "why", "proposal", "state", "decided_by", "decided_on", "reason" };
    for (size_t i = 0; i < sizeof names / sizeof names [0]; i++)
        fg_rows_column (rows, names [i]);
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        char text [1024], name [72];
        snprintf (name, sizeof name, "%lld:%lld:%lld", (long long) sqlite3_column_int64 (stmt, 0),
                  (long long) sqlite3_column_int64 (stmt, 1), (long long) sqlite3_column_int64 (stmt, 2));
        fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, 0), true);
        fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, 1), true);
        fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, 3), false);
        fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, 4), false);   //  ids and org codes:
        fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, 5), false);   //  strings
        fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, 6), false);
        fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, 7), false);
        fg_hlc_format ((uint64_t) sqlite3_column_int64 (stmt, 8), text);
        fg_rows_value (rows, text, false);
        s_fields_text (sqlite3_column_blob (stmt, 9), (size_t) sqlite3_column_bytes (stmt, 9), text, sizeof text);
        fg_rows_value (rows, text, false);
        fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, 10), false);
        fg_rows_value (rows, name, false);
        fg_rows_value (rows, sqlite3_column_type (stmt, 11) == SQLITE_NULL ? "pending"
                                                                             : (const char *) sqlite3_column_text (stmt, 11), false);
        if (sqlite3_column_type (stmt, 12) == SQLITE_NULL)
            fg_rows_null (rows);
        else
            fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, 12), true);
        if (sqlite3_column_type (stmt, 13) == SQLITE_NULL)
            fg_rows_null (rows);
        else {
            fg_date_format (sqlite3_column_int64 (stmt, 13), text);
            fg_rows_value (rows, text, false);
        }
        if (sqlite3_column_type (stmt, 14) == SQLITE_NULL)
            fg_rows_null (rows);
        else
            fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, 14), false);
        fg_rows_row_end (rows);
    }
    sqlite3_finalize (stmt);
    if (step != SQLITE_DONE) {
        fg_errf (errbuf, errsize, "cannot read the proposals: %s", sqlite3_errmsg (db));
        fg_rows_destroy (&rows);
    }
    return rows;
}

//  The row's name for people: its first column of these, if any
static void
s_row_name (sqlite3 *db, const fg_table_t *table, uint64_t row_id, char *out, size_t size)
{
    *out = 0;
    const char *names [] = { "head_name", "name", "title", NULL };
    for (size_t i = 0; names [i]; i++) {
        if (!fg_schema_column (table, names [i]))
            continue;
        char sql [160];
        snprintf (sql, sizeof sql, "SELECT \"%s\" FROM \"%s\" WHERE id = ?", names [i], table->name);
        sqlite3_stmt *stmt;
        if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
            return;
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) row_id);
        if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
            snprintf (out, size, "%s", (const char *) sqlite3_column_text (stmt, 0));
        sqlite3_finalize (stmt);
        return;
    }
}

fg_rows_t *
fg_proposal_changes (fg_replica_t *replica, const char *id, char *row_name, size_t name_size,
                     char *errbuf, size_t errsize)
{
    *row_name = 0;
    uint64_t origin, seq, idx;
    if (s_parse (id, &origin, &seq, &idx)) {
        fg_errf (errbuf, errsize, "'%s' is not a proposal: ORIGIN:SEQ:IDX, as fugai proposals lists them", id ? id : "");
        return NULL;
    }
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db, "SELECT tbl, row_id, body FROM op WHERE origin = ? AND seq = ? AND idx = ? "
                            "AND outcome = 'proposal'", -1, &stmt, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the proposal: %s", sqlite3_errmsg (db));
        return NULL;
    }
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) origin);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) idx);
    if (sqlite3_step (stmt) != SQLITE_ROW) {
        fg_errf (errbuf, errsize, "no proposal %s here (fugai proposals lists the proposals this node holds)", id);
        sqlite3_finalize (stmt);
        return NULL;
    }
    const fg_table_t *table = fg_schema_table ((const char *) sqlite3_column_text (stmt, 0));
    uint64_t row_id = (uint64_t) sqlite3_column_int64 (stmt, 1);
    size_t size = (size_t) sqlite3_column_bytes (stmt, 2);
    uint8_t *body = (uint8_t *) malloc (size ? size : 1);
    fg_op_t *op = (fg_op_t *) malloc (sizeof *op);
    assert (body && op);
    if (size)
        memcpy (body, sqlite3_column_blob (stmt, 2), size);
    sqlite3_finalize (stmt);
    fg_rows_t *rows = NULL;
    if (!table || fg_op_decode (op, body, size))
        fg_errf (errbuf, errsize, "proposal %s does not decode as a write of this schema's fields", id);
    else {
        s_row_name (db, table, row_id, row_name, name_size);
        rows = fg_rows_new ();
        fg_rows_column (rows, "field");
        fg_rows_column (rows, "old");
        fg_rows_column (rows, "new");
        for (size_t f = 0; f < op->field_count; f++) {
            const fg_column_t *column = fg_schema_column (table, op->fields [f].name);
            if (!column)
                continue;                //  not a column of this schema: nothing to show
            //  The value held and the one proposed, formatted alike
            char sql [200];
            snprintf (sql, sizeof sql, "SELECT (SELECT \"%s\" FROM \"%s\" WHERE id = ?1), ?2",
                      column->name, table->name);
            if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK) {
                fg_errf (errbuf, errsize, "cannot read %s.%s: %s", table->name, column->name, sqlite3_errmsg (db));
                fg_rows_destroy (&rows);
                break;
            }
            sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) row_id);
            fg_value_bind (stmt, 2, &op->fields [f].value);
            fg_rows_value (rows, column->name, false);
            if (sqlite3_step (stmt) == SQLITE_ROW)
                for (int c = 0; c < 2; c++) {
                    char *text = sqlite3_column_type (stmt, c) == SQLITE_NULL ? NULL
                               : fg_schema_format_value (column, stmt, c);
                    fg_rows_value (rows, text ? text : "", false);
                    free (text);
                }
            else {
                fg_rows_value (rows, "", false);
                fg_rows_value (rows, "", false);
            }
            sqlite3_finalize (stmt);
            fg_rows_row_end (rows);
        }
    }
    free (op);
    free (body);
    return rows;
}

bool
fg_proposal_owned_here (fg_replica_t *replica, const char *table_name, const char *group_name,
                        char *owner, size_t owner_size)
{
    const fg_table_t *table = fg_schema_table (table_name ? table_name : "");
    const fg_group_t *group = table ? fg_schema_group (table, group_name ? group_name : "") : NULL;
    *owner = 0;
    if (!group)
        return false;
    const fg_tier_t tiers [] = { FG_TIER_PREFECTURE, FG_TIER_COUNTY, FG_TIER_TOWNSHIP };
    size_t used = 0;
    for (size_t i = 0; i < 3; i++)
        if ((group->owners & tiers [i]) && used < owner_size)
            used += (size_t) snprintf (owner + used, owner_size - used, "%s%s", used ? "|" : "",
                                       fg_tier_name (tiers [i]));
    return (group->owners & fg_replica_self (replica)->tier) != 0;
}

int64_t
fg_proposals_pending (fg_replica_t *replica)
{
    //  Counted by table and group, each kept here or not (the schema says)
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db, "SELECT o.tbl, coalesce (o.grp, ''), count(*) FROM op o "
                            //  (!= 'applied' lets SQLite use the partial index op_outcome)
                            "WHERE o.outcome = 'proposal' AND o.outcome != 'applied' "
                            "AND o.anchor LIKE ?1 || '%' AND NOT EXISTS (SELECT 1 FROM proposal_decision d "
                            "WHERE d.origin = o.origin AND d.seq = o.seq AND d.idx = o.idx) GROUP BY 1, 2",
                            -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text (stmt, 1, fg_replica_self (replica)->org, -1, SQLITE_TRANSIENT);
    int64_t count = 0;
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        char owner [64];
        if (fg_proposal_owned_here (replica, (const char *) sqlite3_column_text (stmt, 0),
                                    (const char *) sqlite3_column_text (stmt, 1), owner, sizeof owner))
            count += sqlite3_column_int64 (stmt, 2);
    }
    sqlite3_finalize (stmt);
    return step == SQLITE_DONE ? count : -1;
}

fg_rows_t *
fg_proposals_refused (fg_replica_t *replica, char *errbuf, size_t errsize)
{
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db,
            "SELECT d.origin, d.seq, d.idx, d.tbl, d.row_id, d.org_id, "
            "  coalesce ((SELECT n.name || ' (' || n.tier || ' ' || n.org || ')' FROM node n "
            "             WHERE n.node_id = d.created_by), 'node ' || d.created_by), d.occurred_on, d.reason, "
            "  (SELECT o.body FROM op o WHERE o.origin = d.origin AND o.seq = d.seq AND o.idx = d.idx) "
            "FROM proposal_decision d WHERE d.decision = 'rejected' AND d.origin = ?1 "
            "ORDER BY d.created_hlc DESC, d.id DESC", -1, &stmt, NULL) != SQLITE_OK) {
        fg_errf (errbuf, errsize, "cannot read the decisions: %s", sqlite3_errmsg (db));
        return NULL;
    }
    sqlite3_bind_int (stmt, 1, fg_replica_self (replica)->node_id);
    fg_rows_t *rows = fg_rows_new ();
    const char *names [] = { "proposal", "table", "row_id", "org_id", "decided_by", "decided_on", "reason", "fields" };
    for (size_t i = 0; i < sizeof names / sizeof names [0]; i++)
        fg_rows_column (rows, names [i]);
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        char text [1024];
        snprintf (text, sizeof text, "%lld:%lld:%lld", (long long) sqlite3_column_int64 (stmt, 0),
                  (long long) sqlite3_column_int64 (stmt, 1), (long long) sqlite3_column_int64 (stmt, 2));
        fg_rows_value (rows, text, false);
        for (int column = 3; column <= 6; column++)
            fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, column), false);
        fg_date_format (sqlite3_column_int64 (stmt, 7), text);
        fg_rows_value (rows, text, false);
        fg_rows_value (rows, (const char *) sqlite3_column_text (stmt, 8), false);
        s_fields_text (sqlite3_column_blob (stmt, 9), (size_t) sqlite3_column_bytes (stmt, 9), text, sizeof text);
        fg_rows_value (rows, text, false);
        fg_rows_row_end (rows);
    }
    sqlite3_finalize (stmt);
    if (step != SQLITE_DONE) {
        fg_errf (errbuf, errsize, "cannot read the decisions: %s", sqlite3_errmsg (db));
        fg_rows_destroy (&rows);
    }
    return rows;
}

//  Does a tier below `tier` among `owners` hold the row anchored at
//  `anchor`? Its unit's code (the anchor's prefix at that level) into
//  owner.
static bool
s_lower_owner (unsigned owners, fg_tier_t tier, const char *anchor, char owner [16])
{
    static const struct { fg_tier_t tier; int level; size_t digits; } levels [] = {
        { FG_TIER_TOWNSHIP, 3, 9 }, { FG_TIER_COUNTY, 2, 6 }
    };
    for (size_t i = 0; i < 2; i++)
        if ((owners & levels [i].tier) && levels [i].tier < tier && fg_org_level (anchor) >= levels [i].level) {
            snprintf (owner, 16, "%.*s", (int) levels [i].digits, anchor);
            return true;
        }
    return false;
}

int
fg_proposal_decide (fg_replica_t *replica, const char *id, bool accept, const char *reason,
                    const char *author, char *errbuf, size_t errsize)
{
    uint64_t origin, seq, idx;
    if (s_parse (id, &origin, &seq, &idx))
        return fg_errf (errbuf, errsize, "'%s' is not a proposal: ORIGIN:SEQ:IDX, as fugai proposals lists them",
                        id ? id : "");
    if (!accept && (!reason || !*reason))
        return fg_errf (errbuf, errsize, "a rejection needs a reason (--reason TEXT): it travels back to the "
                        "township that proposed");
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db,
            "SELECT o.tbl, o.row_id, coalesce (o.grp, ''), o.anchor, o.body, o.author, "
            "  (SELECT d.decision || ' by node ' || d.created_by FROM proposal_decision d WHERE d.origin = o.origin "
            "   AND d.seq = o.seq AND d.idx = o.idx ORDER BY d.created_hlc LIMIT 1) "
            "FROM op o WHERE o.origin = ? AND o.seq = ? AND o.idx = ? AND o.outcome = 'proposal'",
            -1, &stmt, NULL) != SQLITE_OK)
        return fg_errf (errbuf, errsize, "cannot read the proposal: %s", sqlite3_errmsg (db));
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) origin);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) idx);
    int step = sqlite3_step (stmt);
    if (step != SQLITE_ROW) {
        sqlite3_finalize (stmt);
        if (step != SQLITE_DONE)
            return fg_errf (errbuf, errsize, "cannot read the proposal: %s", sqlite3_errmsg (db));
        return fg_errf (errbuf, errsize, "no proposal %s here (fugai proposals lists the proposals this node holds)",
                        id);
    }
    char table_name [64], group_name [64], anchor [24], proposer [128], row [24], done [64];
    snprintf (table_name, sizeof table_name, "%s", (const char *) sqlite3_column_text (stmt, 0));
    uint64_t row_id = (uint64_t) sqlite3_column_int64 (stmt, 1);
    snprintf (group_name, sizeof group_name, "%s", (const char *) sqlite3_column_text (stmt, 2));
    snprintf (anchor, sizeof anchor, "%lld", (long long) sqlite3_column_int64 (stmt, 3));
    const char *by = (const char *) sqlite3_column_text (stmt, 5);
    snprintf (proposer, sizeof proposer, "%s", by ? by : "");
    snprintf (row, sizeof row, "%llu", (unsigned long long) row_id);
    const char *decided = (const char *) sqlite3_column_text (stmt, 6);
    snprintf (done, sizeof done, "%s", decided ? decided : "");
    size_t body_size = (size_t) sqlite3_column_bytes (stmt, 4);
    uint8_t *body = (uint8_t *) malloc (body_size ? body_size : 1);
    if (body && body_size)
        memcpy (body, sqlite3_column_blob (stmt, 4), body_size);
    sqlite3_finalize (stmt);
    fg_op_t *op = (fg_op_t *) malloc (sizeof *op);
    int rc = 0;
    if (!body || !op)
        rc = fg_errf (errbuf, errsize, "out of memory");
    else
    if (*done)
        rc = fg_errf (errbuf, errsize, "proposal %s is decided already (%s)", id, done);
    else
    if (fg_op_decode (op, body, body_size) || op->kind != FG_OP_PUT)
        rc = fg_errf (errbuf, errsize, "proposal %s does not decode as a write of fields", id);
    const fg_node_t *self = fg_replica_self (replica);
    const fg_table_t *table = rc ? NULL : fg_schema_table (table_name);
    const fg_group_t *group = table ? fg_schema_group (table, group_name) : NULL;
    if (rc == 0 && !group)
        rc = fg_errf (errbuf, errsize, "proposal %s names %s.%s, which this schema does not have", id,
                      table_name, group_name);
    if (rc == 0 && !(group->owners & self->tier))
        rc = fg_errf (errbuf, errsize, "%s.%s is not kept by a %s: the tier that owns it decides proposal %s",
                      table_name, group_name, fg_tier_name (self->tier), id);
    if (rc == 0 && !fg_org_contains (self->org, anchor))
        rc = fg_errf (errbuf, errsize, "proposal %s is for org %s, outside this node's %s", id, anchor, self->org);
    //  A group several tiers keep (C | P: "each hub its own level's rows")
    //  belongs, for one row, to the lowest of them whose unit holds it:
    //  only that hub decides, so two owners never both decide one proposal
    char owner [16];
    if (rc == 0 && s_lower_owner (group->owners, self->tier, anchor, owner))
        rc = fg_errf (errbuf, errsize, "proposal %s is for org %s, which the %s hub of %s keeps (%s.%s): "
                      "it decides, not this %s", id, anchor, fg_tier_name (fg_org_tier (owner)), owner,
                      table_name, group_name, fg_tier_name (self->tier));

    char origin_text [24], seq_text [24], idx_text [24], today [16], org [32];
    snprintf (origin_text, sizeof origin_text, "%llu", (unsigned long long) origin);
    snprintf (seq_text, sizeof seq_text, "%llu", (unsigned long long) seq);
    snprintf (idx_text, sizeof idx_text, "%llu", (unsigned long long) idx);
    fg_date_format (fg_now_ms () / 86400000, today);
    snprintf (org, sizeof org, "%s", anchor);
    fg_kv_t fields [11] = {
        { "origin", origin_text }, { "seq", seq_text }, { "idx", idx_text }, { "tbl", table_name },
        { "row_id", row }, { "field_group", group_name }, { "decision", accept ? "accepted" : "rejected" },
        { "occurred_on", today }, { "org_id", org }
    };
    size_t count = 9;
    if (reason && *reason)
        fields [count++] = (fg_kv_t) { "reason", reason };
    if (*proposer)
        fields [count++] = (fg_kv_t) { "proposal_author", proposer };

    fg_ops_t *ops = NULL;
    if (rc == 0 && fg_replica_begin (replica))
        rc = fg_errf (errbuf, errsize, "%s", fg_replica_error (replica));
    else
    if (rc == 0) {
        ops = fg_ops_new ();
        if (accept) {
            //  The proposal's fields, as the owner's own put
            fg_ops_begin (ops, FG_OP_PUT, table_name, group_name, row_id, op->anchor);
            for (size_t f = 0; f < op->field_count; f++) {
                const fg_value_t *value = &op->fields [f].value;
                if (value->type == FG_VAL_INT)
                    fg_ops_set_int (ops, op->fields [f].name, value->i);
                else
                if (value->type == FG_VAL_TEXT) {
                    char *text = fg_value_strdup (value);
                    fg_ops_set_text (ops, op->fields [f].name, text);
                    free (text);
                }
                else
                if (value->type == FG_VAL_BLOB)
                    fg_ops_set_blob (ops, op->fields [f].name, value->data, value->size);
                else
                    fg_ops_set_null (ops, op->fields [f].name);
            }
        }
        uint64_t decision_id;
        rc = fg_record_build_add (replica, ops, "proposal_decision", fields, count, &decision_id, errbuf, errsize);
        fg_merge_result_t result;
        memset (&result, 0, sizeof result);
        if (rc == 0 && fg_replica_append (replica, ops, author, NULL, &result))
            rc = fg_errf (errbuf, errsize, "not written: %s", fg_replica_error (replica));
        if (rc == 0 && (result.rejected || result.proposals))
            rc = fg_errf (errbuf, errsize, "not written: the merge kept %zu op(s) as proposals and rejected %zu",
                          (size_t) result.proposals, (size_t) result.rejected);
        if (rc == 0 && fg_replica_commit (replica))
            rc = fg_errf (errbuf, errsize, "cannot commit: %s", fg_replica_error (replica));
        if (rc)
            fg_replica_rollback (replica);
    }
    fg_ops_destroy (&ops);
    free (op);
    free (body);
    return rc;
}
