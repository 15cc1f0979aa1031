/*  fg_rules.h - the programme's rules (DOMAIN.md §3): one registry, each
    rule a function of a replica, a scope (an org subtree) and a day that
    appends findings; the HARD rules also check what a node takes in and
    what its clerks write (fg_rules_ingest, the engine's on_ingest hook).

    A finding says of one subject (a row: table and id, with its org) and
    one period that a rule is
      VIOLATED      the evidence the rule needs is missing, and every node
                    that could hold it is known here past the deadline plus
                    the grace (`grace_days`), or the row that breaks the
                    rule is here (a fact present cannot be undone by what
                    has not arrived);
      PENDING_SYNC  the evidence is missing here, but a node that could hold
                    it is known here only up to a time before the deadline
                    plus the grace: the finding names those nodes
                    (waiting_for) and how far each one's log is known
                    (since, ms). DOMAIN.md §3, "Rule for incomplete
                    knowledge";
      HOLDS         not listed: a rule that holds yields no finding (the
                    value exists for callers that report a verdict).
    The nodes that could hold the evidence are the nodes below this one
    whose org contains the subject's (fg_replica_horizons): at a county
    the township, at the prefecture the county and the township. This node
    itself knows its own log up to now. Nodes above are not waited for:
    a visit a prefecture cadre records at the prefecture for a township's
    household counts at the county once it arrives, but the county cannot
    know the prefecture's log (it receives only the entries of its scope).

    Findings are recomputed, never merged (class D): each node computes
    them for its own scope from what it holds, so a township, its county
    and the prefecture give the same findings for the township's subtree
    once they hold the same entries.

    The tiers that write the evidence narrow the nodes waited for (a love
    pairing is the county's: the prefecture waits for the county, not the
    township). A node's log is known here up to its latest entry held
    here, so a township that writes nothing after a deadline keeps its
    findings PENDING_SYNC until it writes (an acknowledgement will do).

    Parameters are metadata the prefecture issues (table rule_param, one
    row per name and version, the highest version applies). A name with no
    row takes its default, version 0, from the one table in
    fg_rules_params.c (fg_rules_param_defaults): DOMAIN.md's values.

    Periods and days are days since 1970-01-01 (fg_date_parse). A rule's
    period names what it judges: a day (a trigger's due_by), a quarter
    (2026Q3), a year.
*/
#ifndef FG_RULES_H_INCLUDED
#define FG_RULES_H_INCLUDED

#include "fg_replica.h"
#include "fg_rows.h"

typedef enum {
    FG_RULE_REPORT = 0,              //  listed in compliance reports
    FG_RULE_HARD = 1                 //  a plan or an entry is refused
} fg_severity_t;

typedef enum {
    FG_FINDING_HOLDS = 0,
    FG_FINDING_VIOLATED = 1,
    FG_FINDING_PENDING = 2           //  PENDING_SYNC
} fg_finding_state_t;

#define FG_FINDING_WAIT_MAX 4
typedef struct {
    const char        *rule;         //  rule id (static)
    char               table [33];   //  subject: table and row id
    uint64_t           subject_id;
    char               org [16];     //  the subject's org code
    char               period [16];  //  2026-11-20, 2026Q3, 2026
    int64_t            deadline;     //  day by which the evidence was due (0: none)
    fg_finding_state_t state;
    char               evidence [256];
    size_t             waiting_count;
    uint16_t           waiting [FG_FINDING_WAIT_MAX];    //  node ids (0: no node known for waiting_org)
    char               waiting_org [FG_FINDING_WAIT_MAX][16];
    int64_t            since [FG_FINDING_WAIT_MAX];      //  ms: its log is known here up to there
} fg_finding_t;

typedef struct _fg_findings_t fg_findings_t;

//  What a rule is evaluated over.
typedef struct {
    fg_replica_t  *replica;
    char           prefix [16];      //  significant prefix of the scope org
    char           org [16];         //  the scope org's code
    int64_t        day;              //  as of this day
    int64_t        now_ms;           //  what this node knows of its own log: max (now, end of day)
    fg_findings_t *out;
} fg_rule_eval_t;

typedef int (fg_rule_fn) (fg_rule_eval_t *eval);

typedef struct {
    const char    *id;               //  "M1"
    const char    *family;           //  "M" (one file per family in rules/)
    const char    *title;
    fg_severity_t  severity;
    unsigned       tiers;            //  FG_TIER_* where it runs
    fg_rule_fn    *fn;               //  NULL: not implemented yet
} fg_rule_t;

//  The registry: every rule of DOMAIN.md §3, in its order.
const fg_rule_t *fg_rules_registry (size_t *count_p);
//  A rule by id (case-insensitive), or NULL.
const fg_rule_t *fg_rules_find (const char *id);

//  Evaluate the rules (rule NULL: every implemented one; else that id)
//  over org's subtree (NULL: this node's) as of `day`. NULL with the
//  reason in errbuf (an unknown rule, a bad org, a replica that cannot
//  be read). The caller destroys the result.
fg_findings_t *fg_rules_evaluate (fg_replica_t *replica, const char *rule, const char *org,
                                  int64_t day, char *errbuf, size_t errsize);
void           fg_findings_destroy (fg_findings_t **self_p);
size_t         fg_findings_count (const fg_findings_t *self);
const fg_finding_t *fg_findings_at (const fg_findings_t *self, size_t index);
//  How many findings are in a state.
size_t         fg_findings_count_state (const fg_findings_t *self, fg_finding_state_t state);
//  The finding of rule on (table, id), or NULL.
const fg_finding_t *fg_findings_find (const fg_findings_t *self, const char *rule,
                                      const char *table, uint64_t id);
//  Rows for a screen: rule, severity, state, subject, org, period, due,
//  evidence, waiting_for ("28100 (513328100, known to 2026-11-08 07:24)",
//  "; " between nodes). states: a mask of (1 << FG_FINDING_*).
fg_rows_t     *fg_findings_rows (const fg_findings_t *self, unsigned states);
const char    *fg_finding_state_name (fg_finding_state_t state);
//  The same rows with the evidence in Chinese (fg_rules_text_zh), for a
//  screen in Chinese.
fg_rows_t     *fg_findings_rows_zh (const fg_findings_t *self, unsigned states);
//  A rule's evidence, or a pairing plan's refusal, in Chinese: true and
//  the text in out if it is one the rules write (fg_rules_zh.c holds a
//  template for each of their formats), false and the text as it is
//  (English) otherwise. out is always NUL-ended.
bool           fg_rules_text_zh (const char *text, char *out, size_t size);

//  A township's worklist (its own overdue must-visits, M1, households
//  unpaired past G_new, P1, and its proposals a node above rejected,
//  with the reason, fg_proposal.h) as rows: what, rule, subject, org,
//  due, detail. NULL with the reason in errbuf.
fg_rows_t     *fg_rules_worklist (fg_replica_t *replica, int64_t day, char *errbuf, size_t errsize);

//  Parameters. The value of `name` in force here (the highest version of
//  rule_param, else the default); *version_p (may be NULL) gets its
//  version, 0 for the default. A name that has no default is a
//  programmer's error (asserted).
int64_t        fg_rules_param (fg_replica_t *replica, const char *name, int64_t *version_p);
typedef struct {
    const char *name;
    int64_t     value;
    const char *doc;
} fg_rule_param_t;
//  The defaults (version 0), NULL-terminated.
const fg_rule_param_t *fg_rules_param_defaults (void);
//  Every parameter as rows: name, value, version, default, doc.
fg_rows_t     *fg_rules_param_rows (fg_replica_t *replica);

//  The HARD rules on an entry: the engine's on_ingest hook (fg_replica.h),
//  called for every entry received from another node and for every entry
//  this node writes. 0 takes it; 1 refuses it (reason "rule:M3", detail
//  for people); -1 on a database failure.
int            fg_rules_ingest (fg_replica_t *replica, const fg_entry_t *entry, const fg_node_t *origin,
                                char *reason, size_t reason_size, char *detail, size_t detail_size);

#endif
