/*  fgp_bundle_sync.c - bundles as a sync path: what a node exports for its
    parent or a child, and how an imported bundle is applied.

    Part of the fgp_bundle class (fgp_bundle.h). An export selects what
    the sync sender of that stream would send (fg_replica_scan: upward the
    node's own subtree, downward the child's scope) after the peer's
    acknowledged cursor, or from the start with `all`. An import takes
    the entries in one transaction the way fgp_stream.c's receiver takes
    a batch (receive_batch; from the parent, fork recovery and directive
    acknowledgements; commit), but moves no cursor: a bundle is outside
    the streams, like a repair batch, and entries are de-duplicated by
    (origin, seq) and hash, so importing twice changes nothing and a link
    that comes back later resends at worst what is already held.
*/
#include "fgp_bundle.h"
#include "fg_util.h"

#define S_SCAN_ROWS     10000       //  log rows per scan call
#define S_RECEIVE_CHUNK 4096        //  entries per fg_replica_receive_batch call

//  --------------------------------------------------------------------------
//  Export

//  What an export gathers: the entries, framed as they come
typedef struct {
    fgp_body_t body;
    bool       full;                //  the next entry would break a limit
    uint64_t   bad_lsn;             //  a log row that is not an entry (0: none)
} s_collect_t;

static int
s_collect (void *arg, uint64_t lsn, const uint8_t *entry, size_t size)
{
    s_collect_t *self = (s_collect_t *) arg;
    int rc = fgp_body_add (&self->body, entry, size, FGP_BUNDLE_MAX_RAW, FGP_BUNDLE_MAX_ENTRIES);
    if (rc < 0)
        self->bad_lsn = lsn;
    if (rc > 0)
        self->full = true;
    return rc ? 1 : 0;
}

//  The peer a bundle goes to or comes from: a trusted, active node that is
//  this node's parent or one of its children. 0, or -1 with the reason
//  ("it is ...", about node `id`).
static int
s_peer (fg_replica_t *replica, uint16_t id, fg_node_t *node, char relation [16],
        char *errbuf, size_t errsize)
{
    const fg_node_t *self = fg_replica_self (replica);
    if (id == 0) {
        snprintf (errbuf, errsize, "node 0 is no node");
        return -1;
    }
    if (id == self->node_id) {
        snprintf (errbuf, errsize, "it is this node itself");
        return -1;
    }
    if (fg_replica_node (replica, id, node, relation)) {
        snprintf (errbuf, errsize, "it is not a node this one trusts (unknown here, or its key "
                  "was revoked)");
        return -1;
    }
    if (!streq (relation, "parent") && !streq (relation, "child")) {
        snprintf (errbuf, errsize, "it is this node's %s (%s), not its parent or one of its "
                  "children: a bundle goes one hop of the tree", relation, node->org);
        return -1;
    }
    return 0;
}

int
fgp_bundle_export (fg_replica_t *replica, fg_keys_t *keys, uint16_t to, bool all, uint64_t after_lsn,
                   const char *path, fgp_bundle_export_t *report, char *errbuf, size_t errsize)
{
    assert (replica && keys && path && report);
    memset (report, 0, sizeof *report);
    report->to = to;
    fg_node_t peer;
    char reason [256];
    if (s_peer (replica, to, &peer, report->relation, reason, sizeof reason)) {
        snprintf (errbuf, errsize, "not for node %u: %s", to, reason);
        return -1;
    }
    bool up = streq (report->relation, "parent");
    uint64_t after = after_lsn ? after_lsn : all ? 0 : fg_replica_cursor (replica, to, "out");
    report->after = after;
    uint64_t end = fg_replica_last_lsn (replica);
    s_collect_t collect = { { 0 }, false, 0 };
    int rc = 0;
    while (rc == 0 && !collect.full && !collect.bad_lsn && after < end) {
        uint64_t last = after;
        if (fg_replica_scan (replica, up ? NULL : &peer, after, S_SCAN_ROWS, s_collect, &collect, &last)) {
            snprintf (errbuf, errsize, "cannot read the log: %s", fg_replica_error (replica));
            rc = -1;
        }
        else
        if (last == after)
            break;
        after = last;
    }
    if (rc == 0 && collect.bad_lsn) {
        snprintf (errbuf, errsize, "log row %llu does not hold an entry (run fugai check)",
                  (unsigned long long) collect.bad_lsn);
        rc = -1;
    }
    report->last = after;
    report->count = collect.body.count;
    report->raw_size = collect.body.size;
    report->truncated = collect.full;
    if (rc == 0 && collect.body.count == 0)
        rc = 1;
    if (rc == 0
    &&  fgp_bundle_save (path, keys, fg_replica_self (replica)->node_id, to, &collect.body,
                         &report->file_size, errbuf, errsize))
        rc = -1;
    fgp_body_reset (&collect.body);
    return rc;
}

//  --------------------------------------------------------------------------
//  Import

int
fgp_bundle_import (fg_replica_t *replica, const char *path, const char *author,
                   fgp_bundle_import_t *report, char *errbuf, size_t errsize)
{
    assert (replica && path && report);
    memset (report, 0, sizeof *report);
    const fg_node_t *self = fg_replica_self (replica);
    char reason [256];
    fgp_bundle_t *bundle = fgp_bundle_open (path, reason, sizeof reason);
    if (!bundle) {
        snprintf (errbuf, errsize, "%s", reason);
        return FGP_BUNDLE_REFUSED;
    }
    const fgp_bundle_info_t *info = fgp_bundle_info (bundle);
    report->from = info->from;
    report->count = info->count;
    int rc = FGP_BUNDLE_OK;
    if (info->to != 0 && info->to != self->node_id) {
        snprintf (errbuf, errsize, "the bundle is addressed to node %u; this is node %u (%s)",
                  info->to, self->node_id, self->org);
        rc = FGP_BUNDLE_REFUSED;
    }
    fg_node_t peer;
    if (rc == FGP_BUNDLE_OK
    &&  s_peer (replica, info->from, &peer, report->relation, reason, sizeof reason)) {
        snprintf (errbuf, errsize, "the bundle is from node %u: %s", info->from, reason);
        rc = FGP_BUNDLE_REFUSED;
    }
    if (rc == FGP_BUNDLE_OK && fgp_bundle_verify (bundle, peer.sign_pk)) {
        snprintf (errbuf, errsize, "the bundle's signature does not verify with the key of node %u "
                  "(%s): it was changed after it was written, or not signed by that node", peer.node_id,
                  peer.org);
        rc = FGP_BUNDLE_REFUSED;
    }
    if (rc) {
        fgp_bundle_destroy (&bundle);
        return rc;
    }
    bool from_child = streq (report->relation, "child");
    size_t chunk = info->count < S_RECEIVE_CHUNK ? info->count : S_RECEIVE_CHUNK;
    const uint8_t **entries = (const uint8_t **) malloc ((chunk ? chunk : 1) * sizeof (uint8_t *));
    size_t *sizes = (size_t *) malloc ((chunk ? chunk : 1) * sizeof (size_t));
    assert (entries && sizes);
    if (fg_replica_begin (replica))
        rc = FGP_BUNDLE_DB_ERROR;
    //  A bundle costs the importer no more than one session of its sender
    //  may (SPEC.md §5.9): past that it is refused whole
    fg_rx_quota_t quota;
    if (rc == FGP_BUNDLE_OK && fg_replica_quota_start (replica, peer.node_id, &quota))
        rc = FGP_BUNDLE_DB_ERROR;
    if (rc == FGP_BUNDLE_OK)
        fg_replica_set_quota (replica, &quota);
    size_t taken = 0;
    while (rc == FGP_BUNDLE_OK && taken < info->count) {
        size_t got = 0;
        int next = 1;
        while (got < chunk && (next = fgp_bundle_next (bundle, &entries [got], &sizes [got])) == 1)
            got++;
        if (next < 0 || got == 0) {
            //  The body was walked when the file was opened: not reached
            snprintf (errbuf, errsize, "the bundle holds fewer entries than its count");
            fg_replica_rollback (replica);
            rc = FGP_BUNDLE_REFUSED;
            break;
        }
        int received = fg_replica_receive_batch (replica, entries, sizes, got, &peer, from_child,
                                                 &report->stats);
        if (received == FG_RX_OVER_QUOTA) {
            fg_replica_rollback (replica);
            snprintf (errbuf, errsize, "nothing was imported: %s; ask node %u's operator what its "
                      "bundle holds", quota.reason, peer.node_id);
            rc = FGP_BUNDLE_REFUSED;
        }
        else
        if (received)
            rc = FGP_BUNDLE_DB_ERROR;
        taken += got;
    }
    fg_replica_set_quota (replica, NULL);
    if (rc == FGP_BUNDLE_REFUSED) {
        fg_rx_stats_t zero = { 0 };
        report->stats = zero;
    }
    //  A child whose chain is not the one we hold (restored from a
    //  backup): its next session is asked for its whole log anyway
    //  (fgh_parent checks its frontier at HELLO); say so
    if (rc == FGP_BUNDLE_OK && from_child && fg_replica_take_resync (replica) == peer.node_id)
        report->resync = true;
    if (rc == FGP_BUNDLE_OK && !from_child) {
        if (fg_replica_from_parent (replica, author, &report->recovery, &report->resigned,
                                    &report->directive_acks))
            rc = FGP_BUNDLE_DB_ERROR;
    }
    if (rc == FGP_BUNDLE_OK && fg_replica_commit (replica))
        rc = FGP_BUNDLE_DB_ERROR;
    if (rc == FGP_BUNDLE_DB_ERROR) {
        fg_replica_rollback (replica);
        snprintf (errbuf, errsize, "nothing was imported: %s", fg_replica_error (replica));
        fg_rx_stats_t zero = { 0 };
        report->stats = zero;
        report->directive_acks = 0;
        report->resigned = 0;
    }
    free (entries);
    free (sizes);
    fgp_bundle_destroy (&bundle);
    return rc;
}
