/*  fuzz_ops.c - libFuzzer target: an entry's payload, the op decoder.

    Feeds arbitrary bytes to fg_ops_reader_init / fg_ops_next, as the merge
    does with the payload of every entry it takes. Whatever the bytes, the
    decoder must not crash, read out of bounds or leak; it must refuse or
    hand out ops whose own bytes (op.bytes, op.size, as the op table stores
    them) decode again to the same op, and whose every field is found by
    name. Seed corpus: tests/fuzz/corpus/ops (fugai-make-vectors --corpus).
    Any abort() below is a finding.
*/
#include "fg_ops.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    fg_ops_reader_t reader;
    if (fg_ops_reader_init (&reader, data, size))
        return 0;
    fg_op_t *op = (fg_op_t *) malloc (sizeof (fg_op_t));
    fg_op_t *again = (fg_op_t *) malloc (sizeof (fg_op_t));
    if (!op || !again)
        abort ();
    int rc;
    while ((rc = fg_ops_next (&reader, op)) == 1) {
        if (op->field_count > FG_OP_MAX_FIELDS || !op->bytes || op->size == 0
        ||  op->bytes < data || op->bytes + op->size > data + size)
            abort ();
        if (fg_op_decode (again, op->bytes, op->size)
        ||  again->kind != op->kind || again->row_id != op->row_id || again->anchor != op->anchor
        ||  strcmp (again->table, op->table) || strcmp (again->group, op->group)
        ||  again->field_count != op->field_count)
            abort ();
        for (size_t i = 0; i < op->field_count; i++) {
            const fg_value_t *value = fg_op_get (op, op->fields [i].name);
            if (!value)
                abort ();
            char *text = fg_value_strdup (value);
            if (text && strlen (text) > value->size)
                abort ();
            free (text);
        }
    }
    if (rc != 0 && rc != -1)
        abort ();
    free (op);
    free (again);
    return 0;
}
