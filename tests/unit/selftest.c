/*  selftest.c - runs the self-test of one class, or all of them.

    Usage: fugai-selftest [-v] [CLASS ...]    (no CLASS: every class)
    Each class's test is the function fg_CLASS_test (bool verbose) in
    a file of tests/unit ending in _test.c (fg_selftests.h, the list
    generated from them); CTest runs one process per
    test, and no test runs another. The programme's catalogue is
    installed first: the engine's tests write the programme's tables.
*/
#include "fg_selftests.h"
#include "fg_programme.h"

typedef struct {
    const char *name;
    void (*test) (bool verbose);
} s_test_t;

static s_test_t s_tests [] = {
#define FG_SELFTEST(name, function) { #name, function },
#include "fg_selftests.inc"
#undef FG_SELFTEST
};

int
main (int argc, char *argv [])
{
    bool verbose = false;
    int first = 1;
    if (argc > 1 && streq (argv [1], "-v")) {
        verbose = true;
        first = 2;
    }
    fg_programme_install ();
    size_t count = sizeof s_tests / sizeof s_tests [0];
    int ran = 0;
    for (size_t i = 0; i < count; i++) {
        bool wanted = first >= argc;
        for (int a = first; a < argc; a++)
            if (streq (argv [a], s_tests [i].name))
                wanted = true;
        if (wanted) {
            s_tests [i].test (verbose);
            ran++;
        }
    }
    if (ran == 0) {
        fprintf (stderr, "fugai-selftest: no such test\n");
        return 1;
    }
    return 0;
}
