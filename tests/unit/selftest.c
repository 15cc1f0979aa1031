/*  selftest.c - runs the self-test of one class, or all of them.

    Usage: fugai-selftest [-v] [CLASS ...]    (no CLASS: every class)
    Each class's test is the function CLASS_test (bool verbose) in
    tests/unit/CLASS_test.c (fg_selftests.h); CTest runs one process per
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
    { "util",    fg_util_test },
    { "hlc",     fg_hlc_test },
    { "keys",    fg_keys_test },
    { "entry",   fg_entry_test },
    { "ops",     fg_ops_test },
    { "org",     fg_org_test },
    { "flow",    fg_flow_test },
    { "batch",   fgp_batch_test },
    { "msg",     fgp_msg_test },
    { "vectors", fgp_vectors_test },
    { "schema",  fg_schema_test },
    { "tables",  fg_schema_tables_test },
    { "merge",   fg_merge_test },
    { "property", fg_merge_property_test },
    { "authority", fg_authority_test },
    { "bounds",  fg_bounds_test },
    { "replica", fg_replica_test },
    { "wake",    fg_wake_test },
    { "epoch",   fg_epoch_test },
    { "restore", fg_restore_test },
    { "verify",  fg_verify_test },
    { "stream",  fgp_stream_test },
    { "bundle",  fgp_bundle_test },
    { "bundle_sync", fgp_bundle_sync_test },
    { "daemon",  fgp_daemon_test },
    { "config",  fg_config_test },
    { "account", fg_account_test },
    { "record",  fg_record_test },
    { "csv",     fg_csv_test },
    { "plan",    fg_plan_test },
    { "pairing", fg_pairing_test },
    { "report", fg_report_test },
    { "rules", fg_rules_test },
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
