/*  fg_pairing_slice.c - a township's slice of a pairing plan, and the check
    a township makes of it when the plan's directive arrives (DOMAIN §3.1
    P8, §4.6 step 6), so that the county sees "applied" only from a
    township that holds exactly what the plan says it should.

    A slice hash is BLAKE2b-256 of, every integer big-endian:

        OFFSET  SIZE  MEANING
        0       8     "fgslice1"
        8       17*n  per pair, by household id then cadre id:
                      household u64, cadre u64, form u8 (fg_plan_form_t)

    over the primary pairs of the township's households that are active
    on the plan's effective day. The plan record lists, for every township
    it touches, "CODE:PAIRS:HASH" (comma-separated, column slices).
*/
#include "fg_pairing_int.h"
#include "fg_util.h"

void
fg_pairing_slice_init (fg_pairing_slice_t *slice)
{
    memset (slice, 0, sizeof *slice);
    crypto_generichash_init (&slice->state, NULL, 0, 32);
    crypto_generichash_update (&slice->state, (const uint8_t *) "fgslice1", 8);
}

void
fg_pairing_slice_add (fg_pairing_slice_t *slice, uint64_t household, uint64_t cadre, fg_plan_form_t form)
{
    uint8_t bytes [17];
    fg_put64 (bytes, household);
    fg_put64 (bytes + 8, cadre);
    bytes [16] = (uint8_t) form;
    crypto_generichash_update (&slice->state, bytes, sizeof bytes);
    slice->pairs++;
}

void
fg_pairing_slice_final (fg_pairing_slice_t *slice, char hex [65])
{
    uint8_t hash [32];
    crypto_generichash_final (&slice->state, hash, sizeof hash);
    fg_hex_encode (hash, sizeof hash, hex);
}

//  The slice a township holds now, for the plan's effective day.
static int
s_held_slice (sqlite3 *db, uint64_t township, int64_t effective_on, size_t *pairs_p, char hex [65])
{
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db,
            "SELECT household_id, cadre_id, form FROM pairing "
            "WHERE (org_id / 1000 = ?1 OR org_id = ?1) AND coalesce (role, 'primary') = 'primary' "
            "AND (end_on IS NULL OR end_on > ?2) ORDER BY household_id, cadre_id", -1, &stmt, NULL))
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) township);
    sqlite3_bind_int64 (stmt, 2, effective_on);
    fg_pairing_slice_t slice;
    fg_pairing_slice_init (&slice);
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        fg_pairing_slice_add (&slice, (uint64_t) sqlite3_column_int64 (stmt, 0),
                              (uint64_t) sqlite3_column_int64 (stmt, 1),
                              fg_pairing_form ((const char *) sqlite3_column_text (stmt, 2)));
    sqlite3_finalize (stmt);
    fg_pairing_slice_final (&slice, hex);
    *pairs_p = slice.pairs;
    return rc == SQLITE_DONE ? 0 : -1;
}

//  Find "CODE:PAIRS:HASH" for a township in a slices list.
static bool
s_find_slice (const char *slices, uint64_t township, size_t *pairs_p, char hex [65])
{
    char key [24];
    int key_size = snprintf (key, sizeof key, "%llu:", (unsigned long long) township);
    for (const char *p = slices; p && *p; ) {
        if (strncmp (p, key, (size_t) key_size) == 0) {
            unsigned long long pairs;
            if (sscanf (p + key_size, "%llu:%64[0-9a-f]", &pairs, hex) != 2 || strlen (hex) != 64)
                return false;
            *pairs_p = (size_t) pairs;
            return true;
        }
        p = strchr (p, ',');
        p = p ? p + 1 : NULL;
    }
    return false;
}

int
fg_pairing_directive_ack (fg_replica_t *replica, const char *payload_ref, char state [16],
                          char *detail, size_t detail_size)
{
    snprintf (state, 16, "received");
    *detail = 0;
    const fg_node_t *self = fg_replica_self (replica);
    uint64_t plan_id = 0;
    if (self->tier != FG_TIER_TOWNSHIP || !payload_ref
    ||  sscanf (payload_ref, "pairing_plan:%" SCNu64, &plan_id) != 1)
        return 0;
    uint64_t township = strtoull (self->org, NULL, 10);
    sqlite3 *db = fg_replica_db (replica);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (db,
            "SELECT p.version, p.effective_on, p.slices, "
            "  (SELECT max (n.version) FROM pairing_plan n WHERE n.org_id = p.org_id) "
            "FROM pairing_plan p WHERE p.id = ?", -1, &stmt, NULL))
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) plan_id);
    int rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize (stmt);
        if (rc != SQLITE_DONE)
            return -1;
        snprintf (detail, detail_size, "plan %llu is not held here", (unsigned long long) plan_id);
        return 0;
    }
    int64_t version = sqlite3_column_int64 (stmt, 0);
    int64_t effective_on = sqlite3_column_int64 (stmt, 1);
    int64_t newest = sqlite3_column_int64 (stmt, 3);
    size_t want_pairs = 0;
    char want [65] = "";
    bool listed = s_find_slice ((const char *) sqlite3_column_text (stmt, 2), township, &want_pairs, want);
    sqlite3_finalize (stmt);
    if (newest > version) {
        //  Taken together with a later version: what is held now is that one's
        snprintf (detail, detail_size, "version %lld superseded by version %lld on arrival",
                  (long long) version, (long long) newest);
        return 0;
    }
    if (!listed) {
        want_pairs = 0;
        fg_pairing_slice_t empty;
        fg_pairing_slice_init (&empty);
        fg_pairing_slice_final (&empty, want);
    }
    size_t pairs;
    char held [65];
    if (s_held_slice (db, township, effective_on, &pairs, held))
        return -1;
    if (pairs == want_pairs && streq (held, want)) {
        snprintf (state, 16, "applied");
        snprintf (detail, detail_size, "version %lld: %zu pairs, slice %.16s", (long long) version, pairs, held);
    }
    else {
        snprintf (state, 16, "refused");
        snprintf (detail, detail_size, "version %lld: this township holds %zu pairs (slice %.16s), "
                  "the plan says %zu (slice %.16s); fugai rebuild here, or fugai resync PARENT_ID, then fugai plan check",
                  (long long) version, pairs, held, want_pairs, want);
    }
    return 0;
}
