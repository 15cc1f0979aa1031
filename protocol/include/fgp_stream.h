/*  fgp_stream.h - one direction of sync between a parent and a child: the
    sender and the receiver of a stream of entries. No sockets here: each
    method takes the message that arrived and returns the one to send.

    A stream carries the sender's log in its local order (lsn). The receiver
    keeps one number per stream, its cursor: the sender's lsn up to which it
    has committed everything the sender meant for it. The cursor moves in
    the same SQLite transaction as the entries it counts, so after a crash,
    a cut link or a lost message, resuming from the receiver's cursor
    neither skips nor repeats work (a repeat would be harmless anyway:
    entries are de-duplicated by (origin, seq)).

    Each BATCH covers the lsn range (prev, last] and holds the entries of
    that range the receiver should have (a range may hold none: the sender
    skipped past entries that are not for this peer). The receiver takes a
    batch only if prev equals its cursor; otherwise it answers ACK with the
    rewind flag and its cursor, and bumps the stream's generation so that
    batches already in flight behind the missing one are dropped quietly
    instead of each causing another rewind. The sender keeps up to `credit`
    batches in flight (credit is granted by the receiver).

    Gaps: when the receiver holds entries of an origin of the sender's
    subtree that wait for a predecessor (refused in transit, or imported
    out of order from a bundle), its ACK lists `wants` (origin, from_seq);
    the sender answers with a REPAIR batch of that origin's entries, which
    does not touch the cursor; the receiver answers it only when wants
    remain, with an ACK flagged wants-only. A child recovering from a fork
    asks its parent the same way for its own entries it lost.
*/
#ifndef FGP_STREAM_H_INCLUDED
#define FGP_STREAM_H_INCLUDED

#include "fg_replica.h"
#include "fgp_msg.h"

typedef struct _fgp_sender_t fgp_sender_t;
typedef struct _fgp_receiver_t fgp_receiver_t;

//  Tunables of a stream (from the node's sync section).
typedef struct {
    size_t   batch_bytes;            //  raw bytes of entries per batch
    uint16_t credit;                 //  batches in flight the receiver grants
    bool     compress;               //  zstd the bodies
    size_t   scan_rows;              //  log rows looked at per batch at most
} fgp_stream_config_t;

void        fgp_stream_config_default (fgp_stream_config_t *config);

//  Sender: `child` is the peer for a downward stream, NULL for upward.
//  The replica and child are borrowed and must outlive the sender.
fgp_sender_t *fgp_sender_new (fg_replica_t *replica, const fg_node_t *child,
                              const fgp_stream_config_t *config);
void        fgp_sender_destroy (fgp_sender_t **self_p);
//  Start a session: the receiver's committed cursor and its credit.
void        fgp_sender_start (fgp_sender_t *self, uint64_t session, uint64_t cursor, uint16_t credit);
//  The protocol version of the session (WELCOME's proto); until set,
//  FGP_PROTO_MIN: whole entries only. From FGP_PROTO_ELIDE on, an entry
//  that follows its predecessor in a batch goes without what the receiver
//  computes (SPEC §4.1). Set it at each start: a new session may choose
//  another version.
void        fgp_sender_set_proto (fgp_sender_t *self, uint16_t proto);
//  Stop sending (link lost): nothing in flight, no repair queued, nothing
//  sent until start.
void        fgp_sender_stop (fgp_sender_t *self);
//  The next BATCH to send, or NULL if there is nothing to send or no
//  credit. Caller owns the message. Sets *error on a database error.
//  A scan that finds nothing to send (yet too few rows to skip with an
//  empty batch) is remembered: the next call looks only at newer rows.
fgp_msg_t  *fgp_sender_next (fgp_sender_t *self, bool *error);
//  Take an ACK of this stream. Returns 0, or -1 if it is not for this
//  session (ignored).
int         fgp_sender_on_ack (fgp_sender_t *self, fgp_msg_t *ack);
//  The receiver's committed cursor, as it last acknowledged it.
uint64_t    fgp_sender_acked (fgp_sender_t *self);
//  True between start and stop.
bool        fgp_sender_active (fgp_sender_t *self);
//  True when every batch sent has been acknowledged.
bool        fgp_sender_idle (fgp_sender_t *self);
//  Queue a repair: send origin's entries from from_seq on, outside the
//  cursor, before or after start (a parent restoring a child's own lost
//  entries calls this at HELLO, before it starts the stream).
void        fgp_sender_repair (fgp_sender_t *self, uint16_t origin, uint64_t from_seq);
//  Test hook (fault injection): flip one byte of the entry (origin, seq)
//  the first time it is sent. Used by tests/integration only.
void        fgp_sender_corrupt_once (fgp_sender_t *self, uint16_t origin, uint64_t seq);

//  Receiver: `peer` sent the stream; from_child says it is our child (its
//  entries must be of its own subtree). author names who writes the
//  automatic directive acknowledgements.
fgp_receiver_t *fgp_receiver_new (fg_replica_t *replica, const fg_node_t *peer, bool from_child,
                                  uint8_t stream, const char *author);
void        fgp_receiver_destroy (fgp_receiver_t **self_p);
//  Start a session; the cursor comes from the replica.
void        fgp_receiver_start (fgp_receiver_t *self, uint64_t session, uint16_t credit);
uint64_t    fgp_receiver_cursor (fgp_receiver_t *self);
//  Take a BATCH. Returns the ACK (or ERROR) to send back, or NULL when the
//  batch is to be dropped quietly (stale generation, repair batch).
//  stats (may be NULL) accumulates what happened to the entries. Each
//  session has a quota (fg_rx_quota_t, SPEC.md §5.9): a batch that goes
//  past it is rolled back whole and answered with ERROR FGP_ERR_QUOTA,
//  and the receiver takes nothing more until the next start.
fgp_msg_t  *fgp_receiver_on_batch (fgp_receiver_t *self, fgp_msg_t *batch, fg_rx_stats_t *stats);
//  An ACK flagged wants-only with what the receiver asks for now (a child
//  restoring or recovering its own chain asks its parent at each heartbeat,
//  so that a lost repair batch or an idle stream never stalls it), or NULL
//  when it wants nothing.
fgp_msg_t  *fgp_receiver_wants (fgp_receiver_t *self);
//  True once the session went past its quota; *reason_p (may be NULL)
//  gets why (borrowed).
bool        fgp_receiver_ended (fgp_receiver_t *self, const char **reason_p);

#endif
