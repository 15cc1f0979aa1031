/*  fg_util_test.c - self-test of fg_util (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fg_util.h"
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include <libgen.h>

void
fg_util_test (bool verbose)
{
    printf (" * fg_util: ");
    uint8_t bytes [4] = { 0x00, 0xAB, 0x10, 0xFF };
    char hex [9];
    fg_hex_encode (bytes, 4, hex);
    assert (streq (hex, "00ab10ff"));
    uint8_t back [4];
    assert (fg_hex_decode (hex, back, 4) == 0);
    assert (memcmp (back, bytes, 4) == 0);
    assert (fg_hex_decode ("00ab10f", back, 4) == -1);
    assert (fg_hex_decode ("00ab10fg", back, 4) == -1);

    int64_t days;
    assert (fg_date_parse ("1970-01-01", &days) == 0 && days == 0);
    assert (fg_date_parse ("1969-12-31", &days) == 0 && days == -1);
    assert (fg_date_parse ("2012-07-06", &days) == 0 && days == 15527);
    assert (fg_date_parse ("2012-02-29", &days) == 0 && days == 15399);
    assert (fg_date_parse ("2013-02-29", &days) == -1);
    assert (fg_date_parse ("2013-13-01", &days) == -1);
    assert (fg_date_parse ("2013-1-01", &days) == -1);
    char date [11];
    for (int64_t d = -25000; d < 40000; d += 37) {
        fg_date_format (d, date);
        assert (fg_date_parse (date, &days) == 0 && days == d);
    }
    fg_date_format (15527, date);
    assert (streq (date, "2012-07-06"));

    assert (fg_utf8_valid ((const uint8_t *) "abc", 3));
    const char *zh = "甘孜藏族自治州";
    assert (fg_utf8_valid ((const uint8_t *) zh, strlen (zh)));
    assert (!fg_utf8_valid ((const uint8_t *) "\xC0\x80", 2));     //  overlong NUL
    assert (!fg_utf8_valid ((const uint8_t *) "\xED\xA0\x80", 3)); //  surrogate
    assert (!fg_utf8_valid ((const uint8_t *) "\xE7\x94", 2));     //  cut short
    assert (!fg_utf8_valid ((const uint8_t *) "a\0b", 3));

    char *dir = fg_strdupf ("/tmp/fg_util_test.%d/a/b", (int) getpid ());
    assert (fg_mkdir_p (dir, 0700) == 0);
    assert (fg_mkdir_p (dir, 0700) == 0);
    char *path = fg_strdupf ("%s/secret", dir);
    assert (fg_file_write (path, "xyz", 3, 0600) == 0);
    struct stat st;
    assert (stat (path, &st) == 0 && (st.st_mode & 0777) == 0600);
    size_t size;
    uint8_t *data = fg_file_read (path, &size);
    assert (data && size == 3 && streq ((char *) data, "xyz"));
    free (data);
    assert (fg_file_read ("/nonexistent/fugai", &size) == NULL);
    unlink (path);
    char *top = fg_strdupf ("/tmp/fg_util_test.%d", (int) getpid ());
    zsys_dir_delete (dir);
    *strrchr (dir, '/') = 0;
    zsys_dir_delete (dir);
    zsys_dir_delete (top);
    free (top);
    free (path);
    free (dir);

    assert (fg_tier_from_name ("county") == FG_TIER_COUNTY);
    assert (fg_tier_from_name ("nope") == FG_TIER_NONE);
    assert (streq (fg_tier_name (FG_TIER_PREFECTURE), "prefecture"));
    printf ("OK\n");
}
