/*  fg_entry_test.c - self-test of fg_entry (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fg_entry.h"
#include "fg_util.h"

void
fg_entry_test (bool verbose)
{
    printf (" * fg_entry: ");
    uint8_t seed [32];
    for (int i = 0; i < 32; i++)
        seed [i] = (uint8_t) i;
    fg_keys_t *keys = fg_keys_new_from_seed (seed);
    uint8_t prev [32] = { 0 };
    uint8_t hash [32];
    const uint8_t payload [] = { 1, 2, 3 };
    size_t size;
    uint8_t *bytes = fg_entry_build (keys, 7, 0, 1, 0x1234, prev, "clerk",
                                     payload, sizeof payload, &size, hash);
    assert (bytes && size == FG_ENTRY_FIXED_SIZE + 5 + 3 + 64);
    fg_entry_t entry;
    assert (fg_entry_parse (&entry, bytes, size) == FG_ENTRY_OK);
    assert (entry.origin == 7 && entry.seq == 1 && entry.hlc == 0x1234);
    assert (streq (entry.author, "clerk") && entry.payload_size == 3);
    assert (memcmp (entry.hash, hash, 32) == 0);
    assert (fg_entry_verify (&entry, fg_keys_sign_pk (keys)) == 0);

    //  Every single-bit flip of the signed part or the signature is caught:
    //  either the parse refuses the bytes or the signature fails.
    for (size_t i = 0; i < size; i++) {
        for (int bit = 0; bit < 8; bit++) {
            bytes [i] ^= (uint8_t) (1 << bit);
            fg_entry_t bad;
            int rc = fg_entry_parse (&bad, bytes, size);
            assert (rc != FG_ENTRY_OK || fg_entry_verify (&bad, fg_keys_sign_pk (keys)) == -1);
            bytes [i] ^= (uint8_t) (1 << bit);
        }
    }
    //  Every truncation is refused
    for (size_t cut = 0; cut < size; cut++) {
        fg_entry_t bad;
        assert (fg_entry_parse (&bad, bytes, cut) != FG_ENTRY_OK);
    }
    //  Trailing bytes are refused
    uint8_t *longer = (uint8_t *) malloc (size + 1);
    memcpy (longer, bytes, size);
    longer [size] = 0;
    assert (fg_entry_parse (&entry, longer, size + 1) == FG_ENTRY_TRAILING);
    free (longer);

    //  A different key does not verify
    fg_keys_t *other = fg_keys_new ();
    assert (fg_entry_parse (&entry, bytes, size) == FG_ENTRY_OK);
    assert (fg_entry_verify (&entry, fg_keys_sign_pk (other)) == -1);
    fg_keys_destroy (&other);
    free (bytes);

    //  Bounds on build
    char author [FG_ENTRY_AUTHOR_MAX + 2];
    memset (author, 'a', sizeof author - 1);
    author [sizeof author - 1] = 0;
    assert (fg_entry_build (keys, 7, 0, 1, 1, prev, author, payload, 3, &size, hash) == NULL);
    assert (fg_entry_build (keys, 7, 0, 0, 1, prev, "x", payload, 3, &size, hash) == NULL);
    assert (fg_entry_build (keys, 7, 0, 1, 1, prev, "x", payload, 0, &size, hash) == NULL);
    fg_keys_destroy (&keys);
    printf ("OK\n");
}
