/*  fuzz_msg.c - libFuzzer target: message bodies off the network.

    Feeds arbitrary bytes to fgp_msg_decode, as a ROUTER would after the
    routing id. Whatever the bytes, the decoder must not crash, read out of
    bounds or leak (ASan, UBSan), and must either refuse with a reason or
    return a message that re-encodes to exactly the same bytes (the format
    is canonical). An accepted BATCH is opened and walked: the reader must
    hand out exactly `count` entries of 1..FG_ENTRY_MAX_SIZE bytes or
    refuse, its raw body is the body of those entries (whole: elided ones
    are made whole, protocol 2), and the same entries packed again, whole
    and elided, must survive fgp_batch_pack and a second open unchanged.
    Seed corpus: tests/fuzz/corpus/msg (fugai-make-vectors --corpus).
    Any abort() below is a finding.
*/
#include "fgp_msg.h"
#include "fg_entry.h"

//  Walk an open reader, copying the entries back into a raw body (whole),
//  and, if elided_body is given, into a body that elides what it can.
//  *elided_p: entries the reader made whole.
static uint8_t *
s_walk (fgp_batch_reader_t *reader, uint32_t count, size_t *raw_size_p, fgp_body_t *elided_body,
        uint32_t *elided_p)
{
    fgp_batch_entry_t *entries = (fgp_batch_entry_t *) calloc (count ? count : 1, sizeof *entries);
    if (!entries)
        abort ();
    uint32_t seen = 0;
    const uint8_t *entry;
    size_t size;
    int rc;
    while ((rc = fgp_batch_next (reader, &entry, &size)) == 1) {
        if (seen == count || size < 1 || size > FG_ENTRY_MAX_SIZE)
            abort ();
        entries [seen].data = entry;
        entries [seen].size = size;
        seen++;
        *elided_p += fgp_batch_elided (reader);
        if (elided_body && fgp_body_add (elided_body, entry, size, SIZE_MAX, SIZE_MAX))
            abort ();
    }
    if (rc != 0 || seen != count)
        abort ();
    uint8_t *raw = fgp_batch_body_encode (entries, count, raw_size_p);
    free (entries);
    if (!raw)
        abort ();
    return raw;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char err [256];
    fgp_msg_t *msg = fgp_msg_decode (data, size, err, sizeof err);
    if (!msg) {
        if (!err [0])
            abort ();               //  a refusal always says why
        return 0;
    }
    size_t again_size;
    uint8_t *again = fgp_msg_encode (msg, &again_size);
    if (!again || again_size != size || memcmp (again, data, size))
        abort ();                   //  accepted but not canonical
    free (again);

    if (msg->id == FGP_BATCH) {
        fgp_batch_reader_t reader;
        if (fgp_batch_open (msg, &reader, err, sizeof err) == 0) {
            size_t raw_size;
            uint32_t elided = 0;
            fgp_body_t body = { .elide = true };
            uint8_t *raw = s_walk (&reader, msg->count, &raw_size, &body, &elided);
            if (elided ? raw_size <= msg->raw_size : raw_size != msg->raw_size)
                abort ();
            fgp_batch_close (&reader);
            //  The same entries packed again, whole (compressed if that
            //  helps) and elided, read back the same
            for (int elide = 0; elide < 2; elide++) {
                const uint8_t *packed = elide ? body.data : raw;
                size_t packed_size = elide ? body.size : raw_size;
                if (fgp_batch_pack (msg, packed, packed_size, msg->count, true) == 0) {
                    if (fgp_batch_open (msg, &reader, err, sizeof err) != 0)
                        abort ();
                    size_t raw2_size;
                    uint32_t elided2 = 0;
                    uint8_t *raw2 = s_walk (&reader, msg->count, &raw2_size, NULL, &elided2);
                    if (raw2_size != raw_size || memcmp (raw, raw2, raw_size))
                        abort ();
                    free (raw2);
                    fgp_batch_close (&reader);
                }
            }
            fgp_body_reset (&body);
            free (raw);
        }
        else
        if (!err [0])
            abort ();
        fgp_batch_close (&reader);
    }
    fgp_msg_destroy (&msg);
    return 0;
}
