/*  fg_csv_test.c - self-test of fg_csv and fg_import (test code: never
    linked into a shipped program). */
#include "fg_selftests.h"
#include "fg_csv.h"
#include "fg_util.h"

//  Every record of text: 1 per good record, -1 per malformed one, as a
//  string ("1,-1,1"), with the line of each record.
static void
s_outcomes (const char *text, size_t size, char *out, size_t out_size)
{
    fg_csv_t *csv = fg_csv_new (text, size);
    char **fields;
    size_t count;
    int next;
    out [0] = 0;
    while ((next = fg_csv_next (csv, &fields, &count)) != 0) {
        size_t used = strlen (out);
        snprintf (out + used, out_size - used, "%s%d@%zu", used ? "," : "", next, fg_csv_line (csv));
    }
    fg_csv_destroy (&csv);
}

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
    assert (streq (fg_csv_encoding (csv), "UTF-8 with BOM"));
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

    //  Unterminated quote: malformed, and the end
    csv = fg_csv_new ("a,\"open", 7);
    assert (fg_csv_next (csv, &fields, &count) == -1 && strstr (fg_csv_error (csv), "never closed"));
    assert (fg_csv_next (csv, &fields, &count) == 0);
    fg_csv_destroy (&csv);

    //  Strict RFC 4180: text after a closing quote, a bare quote inside an
    //  unquoted field; the reader goes on at the next line
    char outcomes [256];
    const char *strict = "a,b\n\"bad\"quote,1\nx,y\nab\"c,2\n\"ok\",\"\"\n";
    s_outcomes (strict, strlen (strict), outcomes, sizeof outcomes);
    assert (streq (outcomes, "1@1,-1@2,1@3,-1@4,1@5"));
    csv = fg_csv_new (strict, strlen (strict));
    assert (fg_csv_next (csv, &fields, &count) == 1);
    assert (fg_csv_next (csv, &fields, &count) == -1 && strstr (fg_csv_error (csv), "closing quote"));
    assert (fg_csv_next (csv, &fields, &count) == 1 && streq (fields [0], "x") && *fg_csv_error (csv) == 0);
    assert (fg_csv_next (csv, &fields, &count) == -1 && strstr (fg_csv_error (csv), "not quoted"));
    assert (fg_csv_next (csv, &fields, &count) == 1 && count == 2 && streq (fields [0], "ok") && !*fields [1]);
    fg_csv_destroy (&csv);
    //  A short row is the caller's to refuse: the reader gives its fields
    csv = fg_csv_new ("a,b,c\n1,2\n", 10);
    assert (fg_csv_next (csv, &fields, &count) == 1 && count == 3);
    assert (fg_csv_next (csv, &fields, &count) == 1 && count == 2 && fg_csv_line (csv) == 2);
    fg_csv_destroy (&csv);

    //  GBK / GB18030 (what Excel on a Chinese Windows PC saves): "户主姓名,卓玛"
    const char gbk [] = "\xBB\xA7\xD6\xF7\xD0\xD5\xC3\xFB,\xD7\xBF\xC2\xEA\r\n";
    csv = fg_csv_new (gbk, sizeof gbk - 1);
    assert (streq (fg_csv_encoding (csv), "GB18030"));
    assert (fg_csv_next (csv, &fields, &count) == 1 && count == 2);
    assert (streq (fields [0], "户主姓名") && streq (fields [1], "卓玛"));
    fg_csv_destroy (&csv);
    //  Bytes that are neither UTF-8 nor GB18030 (0xFF never starts a
    //  GB18030 character; a NUL is text in neither)
    csv = fg_csv_new ("a,\xFF\xFF\n", 6);
    assert (streq (fg_csv_encoding (csv), "unknown"));
    assert (fg_csv_next (csv, &fields, &count) == -1 && strstr (fg_csv_error (csv), "GB18030"));
    assert (fg_csv_next (csv, &fields, &count) == 0);
    fg_csv_destroy (&csv);
    csv = fg_csv_new ("a,b\0c\n", 6);
    assert (fg_csv_next (csv, &fields, &count) == -1);
    fg_csv_destroy (&csv);

    //  Suggestions for a mistyped name
    const char *names [] = { "list", "init", "status", "show", "schema" };
    assert (fg_edit_distance ("lsit", "list") == 1);
    assert (fg_edit_distance ("", "abc") == 3 && fg_edit_distance ("kitten", "sitting") == 3);
    assert (streq (fg_suggest ("lsit", names, 5), "list"));
    assert (streq (fg_suggest ("stauts", names, 5), "status"));
    assert (fg_suggest ("frobnicate", names, 5) == NULL);
    char guess [32];
    assert (streq (fg_suggest_list ("herdin", "farming|herding|semi", guess, sizeof guess), "herding"));
    assert (fg_suggest_list ("fishing", "farming|herding|semi", guess, sizeof guess) == NULL);
    printf ("OK\n");
}
