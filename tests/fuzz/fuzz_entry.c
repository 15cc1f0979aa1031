/*  fuzz_entry.c - libFuzzer target: entry bytes and their payloads.

    Feeds arbitrary bytes to fg_entry_parse, as a node does with every
    entry taken out of a BATCH or a bundle before any key is looked at.
    The parser must not crash or read out of bounds (ASan, UBSan). When it
    accepts, the views it returns must lie inside the input, and the
    payload is read with fg_ops_reader; when every op decodes, the ops are
    rebuilt with the fg_ops builder and must encode to exactly the payload
    bytes (fg_ops.h promises one encoding per list of operations). The
    signature is not checked here (a fuzzer cannot forge one; fg_entry's
    own tests flip every bit). Seed corpus: tests/fuzz/corpus/entry.
    Any abort() below is a finding.
*/
#include "fg_entry.h"
#include "fg_ops.h"

//  KNOWN FINDING (reported, in common/engine/src/fg_ops.c, not fixed there yet):
//  s_read_name copies a NAME's bytes and checks the copy with strlen, so a
//  name holding a NUL byte ("k\0nd", length 4) decodes as the shorter
//  name "k": two byte strings read as one op, against fg_ops.h's promise.
//  Rebuilt payloads then come out shorter than the input. Until fg_ops
//  refuses such names, a shorter rebuild is tolerated here and nothing
//  else is; set this to 0 once fixed, and the fuzzer checks it again.
#define S_TOLERATE_NUL_IN_NAMES 0

static bool
s_inside (const uint8_t *p, size_t n, const uint8_t *data, size_t size)
{
    return p >= data && n <= size && (size_t) (p - data) <= size - n;
}

//  Rebuild the payload from its decoded ops: 0 if the bytes match.
static int
s_rebuild (const uint8_t *payload, size_t payload_size)
{
    fg_ops_reader_t reader;
    if (fg_ops_reader_init (&reader, payload, payload_size))
        return 1;                   //  refused: nothing to compare
    static fg_op_t op;              //  large; one at a time
    fg_ops_t *ops = fg_ops_new ();
    int rc;
    while ((rc = fg_ops_next (&reader, &op)) == 1) {
        if (!s_inside (op.bytes, op.size, payload, payload_size))
            abort ();
        fg_ops_begin (ops, op.kind, op.table, op.group [0] ? op.group : NULL,
                      op.row_id, op.anchor);
        for (size_t i = 0; i < op.field_count; i++) {
            const fg_field_t *field = &op.fields [i];
            switch (field->value.type) {
                case FG_VAL_NULL:
                    fg_ops_set_null (ops, field->name);
                    break;
                case FG_VAL_INT:
                    fg_ops_set_int (ops, field->name, field->value.i);
                    break;
                case FG_VAL_TEXT: {
                    char *text = fg_value_strdup (&field->value);
                    fg_ops_set_text (ops, field->name, text);
                    free (text);
                    break;
                }
                case FG_VAL_BLOB:
                    fg_ops_set_blob (ops, field->name, field->value.data, field->value.size);
                    break;
            }
        }
    }
    if (rc == 0) {
        char err [128];
        size_t size;
        uint8_t *again = fg_ops_encode (ops, &size, err, sizeof err);
        if (!again)
            abort ();               //  accepted, but the builder refuses it
        bool shorter = size < payload_size && S_TOLERATE_NUL_IN_NAMES;
        if (!shorter && (size != payload_size || memcmp (again, payload, size)))
            abort ();               //  accepted, but not the one encoding
        free (again);
    }
    fg_ops_destroy (&ops);
    return rc == 0 ? 0 : 1;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    fg_entry_t entry;
    int rc = fg_entry_parse (&entry, data, size);
    if (rc != FG_ENTRY_OK) {
        if (rc > 0 || streq (fg_entry_strerror (rc), "unknown entry error"))
            abort ();               //  refusals are documented reasons
        return 0;
    }
    if (entry.bytes != data || entry.size != size
    ||  !s_inside (entry.payload, entry.payload_size, data, size)
    ||  !s_inside (entry.sig, FG_SIG_SIZE, data, size)
    ||  !s_inside (entry.prev_hash, FG_HASH_SIZE, data, size)
    ||  entry.payload_size < 1 || entry.payload_size > FG_ENTRY_MAX_PAYLOAD
    ||  strlen (entry.author) > FG_ENTRY_AUTHOR_MAX
    ||  entry.origin == 0 || entry.seq == 0)
        abort ();
    s_rebuild (entry.payload, entry.payload_size);
    return 0;
}
