/*  fg_csv_test.c - self-test of fg_csv and fg_import (test code: never
    linked into a shipped program). */
#include "fg_selftests.h"
#include "fg_csv.h"
#include "fg_util.h"
#include "fg_import.h"
#include "fg_testkit.h"

//  fg_import's errors, as "line:message" lines
static void
s_collect (void *arg, size_t line, const char *message)
{
    char *errors = (char *) arg;
    size_t used = strlen (errors);
    snprintf (errors + used, 4096 - used, "%zu:%s\n", line, message);
}

static int
s_import (fg_testnode_t *town, const char *dir, const char *text, bool dry_run, char *errors,
          fg_import_report_t *report)
{
    char *path = fg_strdupf ("%s/in.csv", dir);
    assert (fg_file_write (path, text, strlen (text), 0600) == 0);
    errors [0] = 0;
    fg_import_options_t options = { dry_run, s_collect, NULL, errors };
    int rc = fg_import_csv (town->replica, "household", path, "clerk", &options, report);
    free (path);
    return rc;
}

//  fg_import's good rows, as "line:name=value;...|" (an upload's preview)
static void
s_rows (void *arg, size_t line, const fg_kv_t *fields, size_t count)
{
    char *rows = (char *) arg;
    size_t used = strlen (rows);
    used += (size_t) snprintf (rows + used, 4096 - used, "%zu:", line);
    for (size_t i = 0; i < count && used < 4096; i++)
        used += (size_t) snprintf (rows + used, 4096 - used, "%s=%s;", fields [i].name, fields [i].value);
    if (used < 4096)
        snprintf (rows + used, 4096 - used, "|");
}

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

    //  fg_import: every bad row in one pass, nothing written; labels and
    //  an export's system columns; a dry run
    char *dir = fg_testkit_dir ("fg_import_test");
    fg_testnode_t town;
    fg_testkit_node (&town, dir, 28100, FG_TIER_TOWNSHIP, "513328100", "town");
    char errors [4096];
    fg_import_report_t report;
    assert (s_import (&town, dir, "org_id,head_name,size,economy\n"
                                  "513328100201,Tashi,5,herding\n"
                                  "513328100201,Dawa,4,fishing\n"
                                  "513328100201,Pema,3\n"
                                  "513328100201,\"bad\"quote,1,semi\n"
                                  "513328100201,Sonam,x,semi\n", false, errors, &report) == -1);
    assert (report.errors == 4 && report.rows == 5 && !report.imported);
    assert (strstr (errors, "3:economy must be one of farming|herding|semi\n"));
    assert (strstr (errors, "4:3 fields, the header has 4 (a short row)\n"));
    assert (strstr (errors, "5:text after the closing quote"));
    assert (strstr (errors, "6:size must be a whole number"));
    assert (fg_testkit_int (&town, "SELECT count(*) FROM household") == 0);
    //  An unknown header, with the column meant
    assert (s_import (&town, dir, "org_id,head_nme\n513328100201,X\n", false, errors, &report) == -1);
    assert (strstr (errors, "1:the header names no column of household: 'head_nme'; did you mean 'head_name'?"));
    //  Chinese labels; an exported file's id, created_by, author ignored
    assert (s_import (&town, dir, "id,org_id,户主姓名,家庭人口,created_by,author\n"
                                  "3954723422784716801,513328100201,卓玛,3,28100,someone\n"
                                  "3954723422784716802,513328100201,扎西,5,28100,someone\n", true, errors,
                      &report) == 0);
    assert (report.rows == 2 && !report.imported && streq (report.ignored, "id, created_by, author"));
    assert (fg_testkit_int (&town, "SELECT count(*) FROM household") == 0);         //  dry run
    assert (s_import (&town, dir, "id,org_id,户主姓名,家庭人口,created_by,author\n"
                                  "3954723422784716801,513328100201,卓玛,3,28100,someone\n"
                                  "3954723422784716802,513328100201,扎西,5,28100,someone\n", false, errors,
                      &report) == 0);
    assert (report.imported && report.entries == 1);
    assert (fg_testkit_int (&town, "SELECT count(*) FROM household WHERE author = 'clerk' AND size IN (3, 5) "
                                   "AND id NOT IN (3954723422784716801, 3954723422784716802)") == 2);
    //  From memory (an upload), GBK: the good rows each reported with
    //  their fields as read, converted, the bad one not; nothing written
    //  while one is bad; then written
    {
        //  "户主姓名,家庭人口,org_id" / "卓玛,3,..." / "扎西,x,..." / "扎西,5,..." in GBK
        const char upload [] = "\xBB\xA7\xD6\xF7\xD0\xD5\xC3\xFB,\xBC\xD2\xCD\xA5\xC8\xCB\xBF\xDA,org_id\r\n"
                               "\xD7\xBF\xC2\xEA,3,513328100201\r\n"
                               "\xD4\xFA\xCE\xF7,x,513328100201\r\n";
        char rows [4096] = "";
        errors [0] = 0;
        int64_t before = fg_testkit_int (&town, "SELECT count(*) FROM household");
        //  on_row and on_error share arg: the rows in one run, the errors in another
        fg_import_options_t options = { true, s_collect, NULL, errors, NULL };
        fg_import_options_t with_rows = { true, NULL, NULL, rows, s_rows };
        assert (fg_import_csv_text (town.replica, "household", upload, sizeof upload - 1, "the upload", "clerk",
                                    &with_rows, &report) == -1);
        assert (report.errors == 1 && report.rows == 2 && streq (report.encoding, "GB18030"));
        assert (streq (rows, "2:head_name=卓玛;size=3;org_id=513328100201;|"));
        assert (fg_import_csv_text (town.replica, "household", upload, sizeof upload - 1, "the upload", "clerk",
                                    &options, &report) == -1);
        assert (strstr (errors, "3:size must be a whole number"));
        assert (fg_testkit_int (&town, "SELECT count(*) FROM household") == before);
        //  The good row alone: written
        const size_t good = sizeof upload - 1 - strlen ("\xD4\xFA\xCE\xF7,x,513328100201\r\n");
        options.dry_run = false;
        assert (fg_import_csv_text (town.replica, "household", upload, good, "the upload", "clerk",
                                    &options, &report) == 0 && report.imported);
        assert (fg_testkit_int (&town, "SELECT count(*) FROM household WHERE head_name = '卓玛' AND size = 3") == 2);
        assert (fg_import_csv_text (town.replica, "nothing", upload, good, "the upload", "clerk",
                                    &options, &report) == -1);
    }
    fg_testkit_node_destroy (&town);
    fg_testkit_rmdir (dir);
    free (dir);
    printf ("OK\n");
}
