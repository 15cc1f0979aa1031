/*  fg_report.h - the programme's reports: functions of a replica, an org
    subtree and a day that return rows (fg_rows.h), which a screen renders
    (common/render). One file per report in common/domain/reports/.

    Scope: `org` is an org code (NULL: the node's own); a report covers the
    records whose org_id is inside it. A report reads only what this node
    holds: at a county, a township whose link is down counts with what it
    last sent.
*/
#ifndef FG_REPORT_H_INCLUDED
#define FG_REPORT_H_INCLUDED

#include "fg_replica.h"
#include "fg_rows.h"

//  Pairing coverage by township (DOMAIN.md §3.1, P1) on `day`: columns
//  township, households, paired, provisional, waiting (unpaired within
//  grace_days of registration), overdue (unpaired past it). NULL with the
//  reason in errbuf (a bad org code, a replica that cannot be read).
fg_rows_t *fg_report_coverage (fg_replica_t *replica, const char *org, int64_t day, int grace_days,
                               char *errbuf, size_t errsize);
//  Every active cadre under org on `day` (P2, P3, P5): columns id, name,
//  org_id, rank, households, cap, villages, note (over capacity, no
//  household, more than one village). NULL with the reason in errbuf.
fg_rows_t *fg_report_cadres (fg_replica_t *replica, const char *org, int64_t day,
                             char *errbuf, size_t errsize);

#endif
