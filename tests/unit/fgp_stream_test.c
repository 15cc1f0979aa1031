/*  fgp_stream_test.c - self-test of fgp_stream (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fgp_stream.h"
#include "fg_util.h"

//  --------------------------------------------------------------------------
//  Self-test: a township streams up to its county over a channel that loses
//  and reorders nothing but drops a share of messages both ways; sessions
//  restart when the sender stalls, as the actors do on a timeout.

#include "fg_testkit.h"

//  Encode and decode a message, as the wire would; NULL if "lost".
static fgp_msg_t *
s_wire (fgp_msg_t **msg_p, int loss_percent)
{
    fgp_msg_t *msg = *msg_p;
    *msg_p = NULL;
    if (!msg)
        return NULL;
    size_t size;
    uint8_t *bytes = fgp_msg_encode (msg, &size);
    assert (bytes);
    fgp_msg_destroy (&msg);
    if ((int) (random () % 100) < loss_percent) {
        free (bytes);
        return NULL;
    }
    char err [128];
    fgp_msg_t *copy = fgp_msg_decode (bytes, size, err, sizeof err);
    assert (copy);
    free (bytes);
    return copy;
}

static void
s_stream_run (fg_testnode_t *town, fg_testnode_t *county, int loss, size_t batch_bytes)
{
    fgp_stream_config_t config;
    fgp_stream_config_default (&config);
    config.batch_bytes = batch_bytes;
    config.credit = 3;
    fgp_sender_t *sender = fgp_sender_new (town->replica, NULL, &config);
    fgp_sender_set_proto (sender, FG_PROTOCOL_VERSION);         //  elided entries (fgp_elide_test)
    fgp_receiver_t *receiver = fgp_receiver_new (county->replica, &town->node, true,
                                                 FGP_STREAM_UP, "test");
    uint64_t session = 1;
    fgp_receiver_start (receiver, session, config.credit);
    fgp_sender_start (sender, session, fgp_receiver_cursor (receiver), config.credit);
    uint64_t target = fg_replica_last_lsn (town->replica);
    int restarts = 0, rounds = 0;
    while (fgp_sender_acked (sender) < target && rounds++ < 100000) {
        bool error;
        fgp_msg_t *batch = fgp_sender_next (sender, &error);
        assert (!error);
        if (!batch) {
            //  Stalled: every batch in flight or its ack was lost. The
            //  actors notice by timeout and start a new session.
            session++;
            restarts++;
            fgp_receiver_start (receiver, session, config.credit);
            fgp_sender_start (sender, session, fgp_receiver_cursor (receiver), config.credit);
            continue;
        }
        fgp_msg_t *arrived = s_wire (&batch, loss);
        if (!arrived)
            continue;
        fgp_msg_t *reply = fgp_receiver_on_batch (receiver, arrived, NULL);
        fgp_msg_destroy (&arrived);
        fgp_msg_t *ack = s_wire (&reply, loss);
        if (ack) {
            assert (ack->id == FGP_ACK);
            fgp_sender_on_ack (sender, ack);
            fgp_msg_destroy (&ack);
        }
    }
    assert (fgp_sender_acked (sender) >= target);
    assert (fgp_receiver_cursor (receiver) == fg_replica_cursor (county->replica, town->node.node_id, "in"));
    fgp_sender_destroy (&sender);
    fgp_receiver_destroy (&receiver);
}

void
fgp_stream_test (bool verbose)
{
    printf (" * fgp_stream: ");
    char *dir = fg_testkit_dir ("fgp_stream_test");
    fg_testnode_t county, town;
    fg_testkit_node (&county, dir, 128, FG_TIER_COUNTY, "513328", "county");
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    fg_testkit_link (&county, &town);
    srandom (7);
    for (int i = 0; i < 300; i++) {
        char head [32];
        snprintf (head, sizeof head, "head %d", i);
        fg_testkit_household (&town, "513328100201", head);
    }
    //  Perfect link, small batches
    s_stream_run (&town, &county, 0, 2000);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household") == 300);
    //  More writes, then a lossy link (30% of messages lost each way)
    for (int i = 0; i < 300; i++)
        fg_testkit_household (&town, "513328100202", "lossy");
    s_stream_run (&town, &county, 30, 1500);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household") == 600);
    //  Exactly once: every township entry once in the county's log
    assert (fg_testkit_int (&county, "SELECT count(*) FROM log WHERE origin = 28100")
         == fg_testkit_int (&town, "SELECT count(*) FROM log WHERE origin = 28100"));
    assert (fg_testkit_int (&county, "SELECT count(*) FROM buffer") == 0);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM quarantine") == 0);
    uint8_t a [FG_HASH_SIZE], b [FG_HASH_SIZE];
    size_t rows;
    assert (fg_replica_digest (town.replica, "513328100", a, &rows) == 0);
    assert (fg_replica_digest (county.replica, "513328100", b, &rows) == 0);
    assert (memcmp (a, b, FG_HASH_SIZE) == 0 && rows == 600);

    //  A batch whose prev is not the cursor is refused with a rewind
    fgp_stream_config_t config;
    fgp_stream_config_default (&config);
    fgp_receiver_t *receiver = fgp_receiver_new (county.replica, &town.node, true, FGP_STREAM_UP, "t");
    fgp_receiver_start (receiver, 99, 2);
    fgp_msg_t *batch = fgp_msg_new (FGP_BATCH);
    batch->session = 99;
    batch->stream = FGP_STREAM_UP;
    batch->prev = fgp_receiver_cursor (receiver) + 5;
    batch->last = batch->prev + 1;
    fgp_msg_t *reply = fgp_receiver_on_batch (receiver, batch, NULL);
    assert (reply && reply->id == FGP_ACK && (reply->flags & FGP_ACK_REWIND) && reply->gen == 1);
    fgp_msg_destroy (&reply);
    //  ... and a batch of the old generation is then dropped quietly
    reply = fgp_receiver_on_batch (receiver, batch, NULL);
    assert (reply == NULL);
    //  ... and one of another session too
    batch->session = 5;
    assert (fgp_receiver_on_batch (receiver, batch, NULL) == NULL);
    fgp_msg_destroy (&batch);
    fgp_receiver_destroy (&receiver);

    //  Gap repair: an entry corrupted in transit is refused, the ACK asks
    //  for the origin again and a repair batch heals it (protocol 1: the
    //  entries after it are whole, and wait; fgp_elide_test has protocol 2)
    for (int i = 0; i < 5; i++)
        fg_testkit_household (&town, "513328100203", "repair");
    uint64_t next_seq = (uint64_t) fg_testkit_int (&county, "SELECT seq FROM frontier WHERE origin = 28100") + 1;
    fgp_sender_t *sender = fgp_sender_new (town.replica, NULL, &config);
    receiver = fgp_receiver_new (county.replica, &town.node, true, FGP_STREAM_UP, "t");
    fgp_receiver_start (receiver, 100, 2);
    fgp_sender_start (sender, 100, fgp_receiver_cursor (receiver), 2);
    fgp_sender_corrupt_once (sender, 28100, next_seq);
    bool error;
    batch = fgp_sender_next (sender, &error);
    reply = fgp_receiver_on_batch (receiver, batch, NULL);
    fgp_msg_destroy (&batch);
    assert (reply && reply->id == FGP_ACK && reply->quarantined == 1 && reply->buffered == 4);
    assert (reply->wants_count == 1 && reply->wants [0].origin == 28100
         && reply->wants [0].from_seq == next_seq);
    fgp_sender_on_ack (sender, reply);
    fgp_msg_destroy (&reply);
    batch = fgp_sender_next (sender, &error);
    assert (batch && (batch->flags & FGP_BATCH_REPAIR));
    assert (fgp_receiver_on_batch (receiver, batch, NULL) == NULL);
    fgp_msg_destroy (&batch);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM buffer") == 0);
    assert (fg_testkit_int (&county, "SELECT count(*) FROM household") == 605);
    fgp_sender_destroy (&sender);
    fgp_receiver_destroy (&receiver);

    //  A batch the replica cannot take now (another process holds the
    //  write lock) is refused with ERROR 7 and the database's reason, and
    //  moves nothing
    fg_testkit_household (&town, "513328100203", "locked out");
    sqlite3 *other;
    assert (sqlite3_open (sqlite3_db_filename (fg_replica_db (county.replica), "main"), &other) == SQLITE_OK);
    assert (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_busy_timeout (fg_replica_db (county.replica), 10);
    sender = fgp_sender_new (town.replica, NULL, &config);
    receiver = fgp_receiver_new (county.replica, &town.node, true, FGP_STREAM_UP, "t");
    fgp_receiver_start (receiver, 104, 2);
    uint64_t cursor = fgp_receiver_cursor (receiver);
    fgp_sender_start (sender, 104, cursor, 2);
    batch = fgp_sender_next (sender, &error);
    assert (batch && batch->count == 1);
    reply = fgp_receiver_on_batch (receiver, batch, NULL);
    fgp_msg_destroy (&batch);
    assert (reply && reply->id == FGP_ERROR && reply->code == FGP_ERR_INTERNAL);
    assert (strstr (reply->reason, "database is locked"));
    assert (fgp_receiver_cursor (receiver) == cursor
         && fg_replica_cursor (county.replica, 28100, "in") == cursor);
    fgp_msg_destroy (&reply);
    assert (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close (other);
    sqlite3_busy_timeout (fg_replica_db (county.replica), 15000);
    fgp_sender_destroy (&sender);
    fgp_receiver_destroy (&receiver);

    //  A repair queued before the session starts is sent once it starts
    //  (a parent queues a restored child's lost entries at HELLO, before it
    //  starts the down stream); stopping drops what is queued
    sender = fgp_sender_new (town.replica, NULL, &config);
    uint64_t end = fg_replica_last_lsn (town.replica);
    fgp_sender_repair (sender, 28100, 3);
    fgp_sender_start (sender, 101, end, 2);
    batch = fgp_sender_next (sender, &error);
    assert (batch && !error && (batch->flags & FGP_BATCH_REPAIR) && batch->count > 0);
    fgp_batch_reader_t reader;
    const uint8_t *entry;
    size_t entry_size;
    assert (fgp_batch_open (batch, &reader, NULL, 0) == 0);
    assert (fgp_batch_next (&reader, &entry, &entry_size) == 1 && fg_get64 (entry + 10) == 3);
    fgp_batch_close (&reader);
    fgp_msg_destroy (&batch);
    fgp_sender_repair (sender, 28100, 3);
    fgp_sender_stop (sender);
    fgp_sender_start (sender, 102, end, 2);
    assert (fgp_sender_next (sender, &error) == NULL && !error);
    fgp_sender_destroy (&sender);

    //  The county's down stream to the town passes over what came up from
    //  the town once: a scan that found nothing is not made again, so a
    //  short scan (scan_rows 100) gets through 300 such rows in 3 calls and
    //  the 4th finds the county's own entry for the town; the batch still
    //  starts at the cursor the town holds (prev), not where the scans got
    uint64_t down_from = fg_replica_last_lsn (county.replica);
    for (int i = 0; i < 300; i++)
        fg_testkit_household (&town, "513328100204", "came up");
    s_stream_run (&town, &county, 0, 8000);
    assert (fg_replica_last_lsn (county.replica) >= down_from + 300);
    fgp_stream_config_t down_config;
    fgp_stream_config_default (&down_config);
    down_config.scan_rows = 100;
    sender = fgp_sender_new (county.replica, &town.node, &down_config);
    fgp_sender_start (sender, 105, down_from, 2);
    for (int i = 0; i < 3; i++) {
        assert (fgp_sender_next (sender, &error) == NULL);
        assert (!error);
    }
    fg_testkit_household (&county, "513328100204", "written at the county");
    batch = fgp_sender_next (sender, &error);
    assert (batch && !error);
    assert (batch->prev == down_from && batch->last == fg_replica_last_lsn (county.replica));
    assert (batch->count == 1);
    fgp_msg_destroy (&batch);
    fgp_sender_destroy (&sender);

    //  A log row of its own that no longer holds its entry (a bad sector)
    //  is rebuilt from its logged hash and operations before it leaves
    //  (fg_own_repair_test has the cases) and sent, the entry it signed
    fg_testkit_household (&town, "513328100203", "damaged");
    uint64_t damaged = fg_replica_last_lsn (town.replica);
    fg_testkit_int (&town, "UPDATE log SET entry = x'' WHERE lsn = (SELECT max (lsn) FROM log)");
    sender = fgp_sender_new (town.replica, NULL, &config);
    fgp_sender_start (sender, 103, damaged - 1, 2);
    batch = fgp_sender_next (sender, &error);
    assert (!error);
    if (!batch)                         //  the scan stopped before it, rebuilt it
        batch = fgp_sender_next (sender, &error);
    assert (batch && !error && batch->count == 1);
    fgp_msg_destroy (&batch);
    fgp_sender_destroy (&sender);
    //  ... and when its operations are damaged too it cannot be: an error,
    //  every time; the stream neither skips it nor sends it
    fg_testkit_household (&town, "513328100203", "damaged beyond repair");
    damaged = fg_replica_last_lsn (town.replica);
    fg_testkit_int (&town, "UPDATE op SET body = x'00' WHERE origin = 28100 "
                           "AND seq = (SELECT max (seq) FROM log WHERE origin = 28100)");
    fg_testkit_int (&town, "UPDATE log SET entry = x'' WHERE lsn = (SELECT max (lsn) FROM log)");
    sender = fgp_sender_new (town.replica, NULL, &config);
    fgp_sender_start (sender, 104, damaged - 1, 2);
    assert (fgp_sender_next (sender, &error) == NULL && error);
    assert (fgp_sender_next (sender, &error) == NULL && error);
    fgp_sender_destroy (&sender);

    fg_testkit_node_destroy (&county);
    fg_testkit_node_destroy (&town);
    fg_testkit_rmdir (dir);
    free (dir);
    printf ("OK\n");
}
