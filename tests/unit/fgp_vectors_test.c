/*  fgp_vectors_test.c - self-test of fgp_vectors (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fgp_vectors.h"
#include "fg_util.h"
#include "fg_keys.h"
#include "fg_entry.h"
#include "fg_ops.h"

//  --------------------------------------------------------------------
//  Self-test

//  A copy of text with the value of the first "key " line changed at
//  offset `at` of its value (a hex digit flipped, or a digit changed).
static char *
s_tamper (const char *text, const char *key, size_t at)
{
    char *copy = strdup (text);
    assert (copy);
    char pattern [32];
    snprintf (pattern, sizeof pattern, "\n%s ", key);
    char *where = strstr (copy, pattern);
    assert (where);
    char *c = where + strlen (pattern) + at;
    *c = *c == '0' ? '1' : '0';
    return copy;
}

static void
s_expect_fails (const char *text, const char *expect)
{
    char err [256];
    int rc = fgp_vectors_check_text (text, err, sizeof err);
    if (rc != -1 || !strstr (err, expect)) {
        fprintf (stderr, "\nexpected vectors to fail with '%s', got %d '%s'\n", expect, rc, err);
        assert (false);
    }
}

void
fgp_vectors_test (bool verbose)
{
    printf (" * fgp_vectors: ");
    const char *path = fgp_vectors_path ();
    char err [256];
    int count = fgp_vectors_check (path, err, sizeof err);
    if (count < 0) {
        fprintf (stderr, "\n%s\n", err);
        assert (false);
    }
    assert (count >= 5);
    if (verbose)
        printf ("%d vectors in %s ", count, path);

    size_t size;
    char *text = (char *) fg_file_read (path, &size);
    assert (text);
    char *bad;
    bad = s_tamper (text, "sig", 10);
    s_expect_fails (bad, "sig of the rebuilt entry differs");
    free (bad);
    bad = s_tamper (text, "payload", 40);
    s_expect_fails (bad, "hash of the rebuilt entry differs");
    free (bad);
    bad = s_tamper (text, "entry", 200);
    s_expect_fails (bad, "rebuilt entry bytes differ");
    free (bad);
    bad = s_tamper (text, "hlc", 3);
    s_expect_fails (bad, "hash of the rebuilt entry differs");
    free (bad);
    bad = s_tamper (text, "public_key", 0);
    s_expect_fails (bad, "public_key is not the seed's");
    free (bad);
    bad = s_tamper (text, "seq", 0);                //  seq 1 -> 0
    s_expect_fails (bad, "fg_entry_build refuses them");
    free (bad);
    //  A chained vector whose prev_hash is not its predecessor's hash
    bad = strdup (text);
    char *chained = strstr (bad, "name chained-seq2");
    assert (chained);
    char *prev = strstr (chained, "\nprev_hash ");
    assert (prev);
    prev [11] = prev [11] == '0' ? '1' : '0';
    s_expect_fails (bad, "prev_hash is not the hash of seq 1 of origin 28100");
    free (bad);
    //  Structure: missing key, unknown key, no vectors
    bad = strdup (text);
    char *hlc = strstr (bad, "\nhlc ");
    assert (hlc);
    memcpy (hlc + 1, "#lc", 3);
    s_expect_fails (bad, "'hlc' missing");
    memcpy (hlc + 1, "hlk", 3);
    s_expect_fails (bad, "unknown key 'hlk'");
    free (bad);
    s_expect_fails ("# nothing\n\n", "no vectors found");
    s_expect_fails ("seq 1\n", "a vector must start with 'name'");
    free (text);

    char *saved = getenv ("FUGAI_VECTORS") ? strdup (getenv ("FUGAI_VECTORS")) : NULL;
    setenv ("FUGAI_VECTORS", "/nonexistent/entries.txt", 1);
    assert (fgp_vectors_check (fgp_vectors_path (), err, sizeof err) == -1);
    assert (strstr (err, "/nonexistent/entries.txt"));
    if (saved) {
        setenv ("FUGAI_VECTORS", saved, 1);
        free (saved);
    }
    else
        unsetenv ("FUGAI_VECTORS");
    printf ("OK\n");
}
