/*  fg_ops_test.c - self-test of fg_ops (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fg_ops.h"
#include "fg_util.h"

void
fg_ops_test (bool verbose)
{
    printf (" * fg_ops: ");
    char err [128];
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", 42, 513328100201);
    fg_ops_set_text (ops, "village", "513328100201");
    fg_ops_set_int (ops, "size", 5);
    fg_ops_set_null (ops, "group_code");
    fg_ops_set_int (ops, "size", 6);                 //  replaces
    fg_ops_begin (ops, FG_OP_INSERT, "visit", NULL, 43, 513328100);
    fg_ops_set_blob (ops, "photo_hash", "\x00\x01", 2);
    fg_ops_set_text (ops, "note", "访民情");
    size_t size;
    uint8_t *bytes = fg_ops_encode (ops, &size, err, sizeof err);
    assert (bytes);

    fg_ops_reader_t reader;
    fg_op_t op;
    assert (fg_ops_reader_init (&reader, bytes, size) == 0);
    assert (fg_ops_next (&reader, &op) == 1);
    assert (op.kind == FG_OP_PUT && streq (op.table, "household") && streq (op.group, "reg"));
    assert (op.row_id == 42 && op.anchor == 513328100201 && op.field_count == 3);
    assert (streq (op.fields [0].name, "group_code"));           //  sorted
    assert (fg_op_get (&op, "size")->i == 6);
    char *village = fg_value_strdup (fg_op_get (&op, "village"));
    assert (streq (village, "513328100201"));
    free (village);
    fg_op_t again;
    assert (fg_op_decode (&again, op.bytes, op.size) == 0);
    assert (again.row_id == 42 && again.field_count == 3);
    assert (fg_ops_next (&reader, &op) == 1);
    assert (op.kind == FG_OP_INSERT && op.group [0] == 0);
    assert (fg_op_get (&op, "photo_hash")->size == 2);
    assert (fg_ops_next (&reader, &op) == 0);

    //  Every truncation is refused, never read past the end
    for (size_t cut = 0; cut < size; cut++) {
        uint8_t *copy = (uint8_t *) malloc (cut ? cut : 1);
        memcpy (copy, bytes, cut);
        int rc = fg_ops_reader_init (&reader, copy, cut);
        while (rc == 0 && (rc = fg_ops_next (&reader, &op)) == 1)
            rc = 0;
        assert (rc == -1);
        free (copy);
    }
    //  Trailing garbage is refused
    uint8_t *longer = (uint8_t *) malloc (size + 1);
    memcpy (longer, bytes, size);
    longer [size] = 7;
    assert (fg_ops_reader_init (&reader, longer, size + 1) == 0);
    assert (fg_ops_next (&reader, &op) == 1);
    assert (fg_ops_next (&reader, &op) == 1);
    assert (fg_ops_next (&reader, &op) == -1);
    free (longer);
    free (bytes);
    fg_ops_destroy (&ops);

    //  Unsorted (non-canonical) fields are refused by the decoder
    uint8_t manual [] = { 0, 1,  2,  1, 'v',  0,  0,0,0,0,0,0,0,1,  0,0,0,0,0,0,0,9,
                          0, 2,  1, 'b', 0,   1, 'a', 0 };
    assert (fg_ops_reader_init (&reader, manual, sizeof manual) == 0);
    assert (fg_ops_next (&reader, &op) == -1);
    manual [25] = 'a';
    manual [28] = 'b';
    assert (fg_ops_reader_init (&reader, manual, sizeof manual) == 0);
    assert (fg_ops_next (&reader, &op) == 1);

    //  A name with a NUL inside is refused (it would not be canonical)
    uint8_t nul [] = { 0, 1,  2,  2, 'v', 0,  0,  0,0,0,0,0,0,0,1,  0,0,0,0,0,0,0,9,  0, 0 };
    assert (fg_ops_reader_init (&reader, nul, sizeof nul) == 0);
    assert (fg_ops_next (&reader, &op) == -1);

    //  Bad names are refused by the encoder
    ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "Bad-Name", "", 1, 513300);
    assert (fg_ops_encode (ops, &size, err, sizeof err) == NULL);
    fg_ops_destroy (&ops);
    ops = fg_ops_new ();
    assert (fg_ops_encode (ops, &size, err, sizeof err) == NULL);
    fg_ops_destroy (&ops);
    assert (fg_name_valid ("cadre_id") && !fg_name_valid ("1x") && !fg_name_valid (""));
    printf ("OK\n");
}
