/*  fg_selftests.h - every self-test (tests/unit, one CLASS_test.c each), one per class;
    selftest.c runs one or all of them, CTest one process each. Test code
    only. */
#ifndef FG_SELFTESTS_H_INCLUDED
#define FG_SELFTESTS_H_INCLUDED

#include "fg_common.h"

void fg_util_test (bool verbose);
void fg_hlc_test (bool verbose);
void fg_keys_test (bool verbose);
void fg_entry_test (bool verbose);
void fg_ops_test (bool verbose);
void fg_org_test (bool verbose);
void fg_flow_test (bool verbose);
void fg_schema_test (bool verbose);
void fg_schema_tables_test (bool verbose);
void fg_merge_test (bool verbose);
void fg_merge_property_test (bool verbose);
void fg_authority_test (bool verbose);
void fg_bounds_test (bool verbose);
void fg_replica_test (bool verbose);
void fg_wake_test (bool verbose);
void fg_epoch_test (bool verbose);
void fg_restore_test (bool verbose);
void fg_verify_test (bool verbose);
void fg_config_test (bool verbose);
void fg_account_test (bool verbose);
void fg_record_test (bool verbose);
void fg_csv_test (bool verbose);
void fg_plan_test (bool verbose);
void fg_pairing_test (bool verbose);
void fg_report_test (bool verbose);
void fg_rules_test (bool verbose);
void fgp_batch_test (bool verbose);
void fgp_msg_test (bool verbose);
void fgp_vectors_test (bool verbose);
void fgp_stream_test (bool verbose);
void fgp_bundle_test (bool verbose);
void fgp_bundle_sync_test (bool verbose);
void fgp_daemon_test (bool verbose);

#endif
