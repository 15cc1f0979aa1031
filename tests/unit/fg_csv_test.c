/*  fg_csv_test.c - self-test of fg_csv (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fg_csv.h"
#include "fg_util.h"

void
fg_csv_test (bool verbose)
{
    printf (" * fg_csv: ");
    const char *text = "\xEF\xBB\xBFname,size,note\r\n"
                       "Tashi,5,\"said \"\"hello\"\", left\"\r\n"
                       "\n"
                       "卓玛,3,\"two\nlines\"\n"
                       "last,,";
    fg_csv_t *csv = fg_csv_new (text, strlen (text));
    char **fields;
    size_t count;
    assert (fg_csv_next (csv, &fields, &count) == 1 && count == 3 && streq (fields [0], "name"));
    assert (fg_csv_next (csv, &fields, &count) == 1 && count == 3);
    assert (streq (fields [2], "said \"hello\", left"));
    assert (fg_csv_next (csv, &fields, &count) == 1 && streq (fields [0], "卓玛"));
    assert (streq (fields [2], "two\nlines") && fg_csv_line (csv) == 4);
    assert (fg_csv_next (csv, &fields, &count) == 1 && count == 3 && streq (fields [2], ""));
    assert (fg_csv_next (csv, &fields, &count) == 0);
    fg_csv_destroy (&csv);
    csv = fg_csv_new ("a,\"open", 7);
    assert (fg_csv_next (csv, &fields, &count) == -1);
    fg_csv_destroy (&csv);
    csv = fg_csv_new ("a,\xC0\x80\n", 6);
    assert (fg_csv_next (csv, &fields, &count) == -1);
    fg_csv_destroy (&csv);
    printf ("OK\n");
}
