/*  fg_schema_tables.c - the definitions of the domain tables (DOMAIN.md §2):
    for each, its record class, who may create rows, its field groups and
    their owning tiers, its columns, and for workflow cases the state
    machine their events fold through. fg_schema.c turns these into SQL,
    checks, parsing and printing; fg_merge.c merges by them.

    Conventions:
    - Tiers: E township edge, C county hub, P prefecture hub.
    - A table's `authors` are the tiers that may create its rows; a group's
      `owners` are the tiers whose writes to it apply. A write by any other
      tier is kept as a proposal (fg_merge), never applied and never lost.
    - Coordinates are integers (microdegrees) and money is integer fen, so
      every node computes the same bytes.
    - org_id (every table) is the org unit the row belongs to: it decides
      which nodes hold the row and who may write it.
*/
#include "fg_schema.h"
#include "fg_schema_int.h"

#define E FG_TIER_TOWNSHIP
#define C FG_TIER_COUNTY
#define P FG_TIER_PREFECTURE
#define REQ FG_COL_REQUIRED

//  -------------------------------------------------------------------------
//  Organisation and people (DOMAIN.md §2.1)

static const fg_group_t s_org_unit_groups [] = {
    { "registry", P, "the prefecture keeps the org tree (provincial approval)" },
    { .name = NULL }
};
static const fg_column_t s_org_unit_columns [] = {
    { "name_zh",       FG_COL_TEXT, "registry", REQ, NULL, "Chinese name" },
    { "name_bo",       FG_COL_TEXT, "registry", 0, NULL, "Tibetan name" },
    { "name_pinyin",   FG_COL_TEXT, "registry", 0, NULL, "pinyin name" },
    { "level",         FG_COL_INT,  "registry", 0, NULL,
      "1 prefecture, 2 county, 3 township, 4 administrative village, 5 natural village" },
    { "kind",          FG_COL_ENUM, "registry", 0,
      "prefecture|city|county|management_bureau|town|township|ethnic_township|subdistrict|village|community|group",
      "kind of unit" },
    { "parent_id",     FG_COL_ORG,  "registry", 0, NULL, "code of the parent unit" },
    { "economy",       FG_COL_ENUM, "registry", 0, "agricultural|pastoral|semi", "economy of the area" },
    { "altitude_m",    FG_COL_INT,  "registry", 0, NULL, "altitude in metres" },
    { "lat_e6",        FG_COL_INT,  "registry", 0, NULL, "latitude, microdegrees" },
    { "lon_e6",        FG_COL_INT,  "registry", 0, NULL, "longitude, microdegrees" },
    { "remoteness_class", FG_COL_ENUM, "registry", 0, "A|B|C", "link class (DOMAIN.md §6.6)" },
    { "valid_from",    FG_COL_DATE, "registry", 0, NULL, "first day the unit exists" },
    { "valid_to",      FG_COL_DATE, "registry", 0, NULL, "day after the last (SCD-2 close)" },
    { "successor_id",  FG_COL_ORG,  "registry", 0, NULL, "unit that replaced it after a merge" },
    { .name = NULL }
};

static const fg_group_t s_cadre_groups [] = {
    { "hr",      C | P, "the employer hub keeps personnel records" },
    { "contact", C | P, "phone and contact details" },
    { .name = NULL }
};
static const fg_column_t s_cadre_columns [] = {
    { "name",          FG_COL_TEXT, "hr", REQ, NULL, "full name" },
    { "person_key",    FG_COL_TEXT, "hr", 0, NULL, "salted hash of the ID number" },
    { "gender",        FG_COL_ENUM, "hr", 0, "male|female", "gender" },
    { "ethnicity",     FG_COL_TEXT, "hr", 0, NULL, "ethnicity" },
    { "languages",     FG_COL_TEXT, "hr", 0, NULL, "languages spoken (Tibetan dialect, Mandarin)" },
    { "work_unit_id",  FG_COL_ID,   "hr", 0, NULL, "employing work unit" },
    { "post",          FG_COL_TEXT, "hr", 0, NULL, "post held" },
    { "rank",          FG_COL_ENUM, "hr", 0,
      "prefecture_chief|prefecture_deputy|county_chief|county_deputy|section_chief|section_deputy|staff|institution|aid_cadre",
      "rank (deputy county and above: prefecture_*, county_*)" },
    { "roles",         FG_COL_TEXT, "hr", 0, NULL, "comma-separated roles (county_secretary, ...)" },
    { "is_party_member", FG_COL_BOOL, "hr", 0, NULL, "party member" },
    { "status",        FG_COL_ENUM, "hr", 0,
      "active|transferred|retired|deceased|long_leave|exempt", "employment status" },
    { "status_from",   FG_COL_DATE, "hr", 0, NULL, "date the status took effect" },
    { "capacity_override", FG_COL_INT, "hr", 0, NULL, "households this cadre may pair with, if not the default" },
    { "aid_term_end",  FG_COL_DATE, "hr", 0, NULL, "end of an aid cadre's term" },
    { "phone",         FG_COL_TEXT, "contact", 0, NULL, "phone number" },
    { .name = NULL }
};

static const fg_group_t s_household_groups [] = {
    { "reg",   E, "registration: membership, village, head, status (the township)" },
    { "admin", C, "administrative flags: poverty registration, demonstration, needy (the county)" },
    { .name = NULL }
};
static const fg_column_t s_household_columns [] = {
    { "hukou_no",      FG_COL_TEXT, "reg", 0, NULL, "household register number" },
    { "head_name",     FG_COL_TEXT, "reg", REQ, NULL, "name of the head of household" },
    { "head_person_id", FG_COL_ID,  "reg", 0, NULL, "person record of the head" },
    { "group_name",    FG_COL_TEXT, "reg", 0, NULL, "natural village or herding group" },
    { "size",          FG_COL_INT,  "reg", 0, NULL, "number of members" },
    { "economy",       FG_COL_ENUM, "reg", 0, "farming|herding|semi", "farming, herding or both" },
    { "seasonal_location", FG_COL_TEXT, "reg", 0, NULL, "summer/winter pasture" },
    { "lat_e6",        FG_COL_INT,  "reg", 0, NULL, "latitude, microdegrees" },
    { "lon_e6",        FG_COL_INT,  "reg", 0, NULL, "longitude, microdegrees" },
    { "immigrant",     FG_COL_BOOL, "reg", 0, NULL, "relocated or immigrant household" },
    { "status",        FG_COL_ENUM, "reg", 0, "active|split|merged|moved_out|extinct", "status" },
    { "valid_from",    FG_COL_DATE, "reg", 0, NULL, "registered since" },
    { "valid_to",      FG_COL_DATE, "reg", 0, NULL, "registered until" },
    { "parent_household_id", FG_COL_ID, "reg", 0, NULL, "household it split from" },
    { "poverty_registered", FG_COL_BOOL, "admin", 0, NULL, "registered poor household (建档立卡)" },
    { "demonstration", FG_COL_BOOL, "admin", 0, NULL, "demonstration household (示范户)" },
    { "needy",         FG_COL_BOOL, "admin", 0, NULL, "needy household (困难户)" },
    { .name = NULL }
};

static const fg_group_t s_person_groups [] = {
    { "reg", E, "the township registers people" },
    { .name = NULL }
};
static const fg_column_t s_person_columns [] = {
    { "household_id",  FG_COL_ID,   "reg", REQ, NULL, "household" },
    { "name",          FG_COL_TEXT, "reg", REQ, NULL, "name" },
    { "name_bo",       FG_COL_TEXT, "reg", 0, NULL, "Tibetan name" },
    { "gender",        FG_COL_ENUM, "reg", 0, "male|female", "gender" },
    { "birth_date",    FG_COL_DATE, "reg", 0, NULL, "date of birth" },
    { "relation_to_head", FG_COL_TEXT, "reg", 0, NULL, "relation to the head" },
    { "person_key",    FG_COL_TEXT, "reg", 0, NULL, "salted hash of the ID number" },
    { "is_monastic",   FG_COL_BOOL, "reg", 0, NULL, "monk or nun (see monastic archive)" },
    { "student_status", FG_COL_ENUM, "reg", 0, "none|student|dropout", "schooling" },
    { "employment_status", FG_COL_ENUM, "reg", 0,
      "employed|unemployed|farming|herding|other", "employment" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Pairing (DOMAIN.md §2.2)

static const fg_group_t s_pairing_groups [] = {
    { "plan", C, "the county mass-work office assigns pairings" },
    { .name = NULL }
};
static const fg_column_t s_pairing_columns [] = {
    { "cadre_id",      FG_COL_ID,   "plan", REQ, NULL, "cadre" },
    { "household_id",  FG_COL_ID,   "plan", REQ, NULL, "household" },
    { "role",          FG_COL_ENUM, "plan", 0, "primary|secondary", "primary or secondary pairing" },
    { "form",          FG_COL_ENUM, "plan", 0,
      "territorial|counterpart|org_deployment|cadre_relative", "form of pairing" },
    { "cycle_year",    FG_COL_INT,  "plan", 0, NULL, "programme year (July to June), by its first year" },
    { "plan_id",       FG_COL_ID,   "plan", 0, NULL, "pairing plan" },
    { "plan_version",  FG_COL_INT,  "plan", 0, NULL, "plan version" },
    { "start_on",      FG_COL_DATE, "plan", 0, NULL, "first day" },
    { "end_on",        FG_COL_DATE, "plan", 0, NULL, "ended on" },
    { "end_reason",    FG_COL_ENUM, "plan", 0,
      "cadre_transfer|cadre_retired|household_inactive|rebalance|household_split|manual|superseded_by_plan",
      "why it ended" },
    { "provisional",   FG_COL_BOOL, "plan", 0, NULL, "made offline at the edge, awaiting the plan" },
    { "dossier_ref",   FG_COL_TEXT, "plan", 0, NULL, "pairing dossier reference (结对建档)" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Visits (DOMAIN.md §2.5)

static const fg_column_t s_visit_columns [] = {
    { "cadre_id",      FG_COL_ID,   NULL, REQ, NULL, "visiting cadre" },
    { "team_id",       FG_COL_ID,   NULL, 0, NULL, "work team" },
    { "target_kind",   FG_COL_ENUM, NULL, REQ, "household|religious_site|vulnerable_person", "what was visited" },
    { "target_id",     FG_COL_ID,   NULL, REQ, NULL, "id of what was visited" },
    { "pairing_id",    FG_COL_ID,   NULL, 0, NULL, "pairing visited under, if any" },
    { "kind",          FG_COL_ENUM, NULL, REQ,
      "pairing|must_visit|leader_regular|leader_unannounced|temple|festival|phone", "kind of visit" },
    { "must_visit_category", FG_COL_ENUM, NULL, 0,
      "seriously_ill|dropout_unemployed|sudden_disaster|elderly_death|abnormal_thinking|major_festival",
      "six must-visit category" },
    { "trigger_id",    FG_COL_ID,   NULL, 0, NULL, "must-visit trigger answered" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "date of the visit" },
    { "duration_min",  FG_COL_INT,  NULL, 0, NULL, "minutes" },
    { "in_person",     FG_COL_BOOL, NULL, 0, NULL, "in person (0 for phone)" },
    { "activities",    FG_COL_TEXT, NULL, 0, NULL, "understand,solve,safety,wealth (访民情 解民忧 促民安 帮民富)" },
    { "problems_raised", FG_COL_TEXT, NULL, 0, NULL, "problems raised (may open an appeal)" },
    { "help_given_fen", FG_COL_FEN, NULL, 0, NULL, "help given, fen" },
    { "household_ack", FG_COL_TEXT, NULL, 0, NULL, "hash of the household's signature or thumbprint" },
    { "notes",         FG_COL_TEXT, NULL, 0, NULL, "notes" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Directives (DOMAIN.md §2.10). A directive's org_id is its target: it
//  travels to the nodes of that subtree only, and each of them acks it.

static const fg_column_t s_directive_columns [] = {
    { "title",         FG_COL_TEXT, NULL, REQ, NULL, "title" },
    { "kind",          FG_COL_ENUM, NULL, 0,
      "work_arrangement|pairing_plan|temple_contact_assignment|branch_pairing_assignment|festival_campaign|disaster_trigger|rectification|data_correction|parameter_update|key_rotation",
      "kind of directive" },
    { "body",          FG_COL_TEXT, NULL, 0, NULL, "text" },
    { "issuer_unit",   FG_COL_TEXT, NULL, 0, NULL, "issuing office" },
    { "payload_ref",   FG_COL_TEXT, NULL, 0, NULL, "reference to a plan or attachment" },
    { "effective_on",  FG_COL_DATE, NULL, 0, NULL, "effective from" },
    { "due_on",        FG_COL_DATE, NULL, 0, NULL, "due by" },
    { "requires_ack",  FG_COL_BOOL, NULL, 0, NULL, "targets must acknowledge" },
    { "requires_report", FG_COL_BOOL, NULL, 0, NULL, "targets must report back" },
    { "supersedes_id", FG_COL_ID,   NULL, 0, NULL, "directive this one replaces" },
    { .name = NULL }
};

static const fg_column_t s_directive_ack_columns [] = {
    { "directive_id",  FG_COL_ID,   NULL, REQ, NULL, "directive acknowledged" },
    { "node_id",       FG_COL_INT,  NULL, REQ, NULL, "acknowledging node" },
    { "state",         FG_COL_ENUM, NULL, REQ, "received|applied|completed|refused", "state" },
    { "reason",        FG_COL_TEXT, NULL, 0, NULL, "why refused" },
    { "result_ref",    FG_COL_TEXT, NULL, 0, NULL, "reference to the result" },
    { "occurred_on",   FG_COL_DATE, NULL, 0, NULL, "date" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Refusals: a hub that quarantines an entry says so in its own log. The
//  row's org_id is the refused origin's org, so it travels back down to
//  the author and up to every ancestor.

static const fg_column_t s_refusal_columns [] = {
    { "origin",        FG_COL_INT,  NULL, REQ, NULL, "node whose entry was refused" },
    { "seq",           FG_COL_INT,  NULL, REQ, NULL, "its seq" },
    { "entry_hash",    FG_COL_BLOB, NULL, 0, NULL, "hash of the refused bytes" },
    { "reason",        FG_COL_TEXT, NULL, REQ, NULL, "reason code (fg_replica.h)" },
    { "detail",        FG_COL_TEXT, NULL, 0, NULL, "what exactly was wrong" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Nodes and their keys (system table, see fg_replica: trust). A parent
//  writes the record of each child it enrolls; a child writes the record of
//  the parent it trusts, so that its own children learn the keys above.

static const fg_group_t s_node_groups [] = {
    { "enroll", FG_TIER_ANY, "enrollment or trust of a node's keys" },
    { .name = NULL }
};
static const fg_column_t s_node_columns [] = {
    { "tier",          FG_COL_ENUM, "enroll", REQ, "township|county|prefecture", "role" },
    { "org",           FG_COL_TEXT, "enroll", REQ, NULL, "org code" },
    { "name",          FG_COL_TEXT, "enroll", 0, NULL, "name" },
    { "epoch",         FG_COL_INT,  "enroll", 0, NULL, "key epoch" },
    { "epoch_base",    FG_COL_INT,  "enroll", 0, NULL, "the epoch starts after this seq (the parent's copy)" },
    { "epoch_base_hash", FG_COL_BLOB, "enroll", 0, NULL, "hash of that entry: the new epoch chains from it" },
    { "fork_seq",      FG_COL_INT,  "enroll", 0, NULL, "first seq of the forked branch, to set aside" },
    { "id_floor",      FG_COL_INT,  "enroll", 0, NULL, "highest id counter of the node the parent has seen" },
    { "sign_pk",       FG_COL_BLOB, "enroll", REQ, NULL, "Ed25519 public key" },
    { "curve_pk",      FG_COL_TEXT, "enroll", REQ, NULL, "CURVE public key (Z85)" },
    { "parent_id",     FG_COL_INT,  "enroll", 0, NULL, "parent node" },
    { "relation",      FG_COL_ENUM, "enroll", REQ, "child|parent", "the subject is the author's child or parent" },
    { "status",        FG_COL_ENUM, "enroll", 0, "active|revoked", "status" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Appeals, petitions and conflict resolution (DOMAIN.md §2.6): a workflow
//  case. Its state and owner are the fold of its appeal_event rows: an
//  event by a node that does not own the case at that point of the fold
//  (say, a township closing a case its county escalated while the township
//  was offline) is kept, marked rejected with the reason, and shown.

#define D FG_COL_DERIVED

static const fg_group_t s_appeal_groups [] = {
    { "intake", FG_TIER_ANY, "recorded by the node that received the appeal" },
    { .name = NULL }
};
static const fg_column_t s_appeal_columns [] = {
    { "appellant_name", FG_COL_TEXT, "intake", REQ, NULL, "who appealed" },
    { "appellant_household_id", FG_COL_ID, "intake", 0, NULL, "the appellant's household" },
    { "appellant_person_id", FG_COL_ID, "intake", 0, NULL, "the appellant" },
    { "channel",       FG_COL_ENUM, "intake", 0,
      "cadre_visit|reception_day|leader_reception|letter|hotline|disclosure_objection", "how it came in" },
    { "type",          FG_COL_ENUM, "intake", REQ, "difficulty|dispute|petition|suggestion", "kind of appeal" },
    { "topic",         FG_COL_ENUM, "intake", 0,
      "hydropower|municipal_construction|religious_sites|land_grassland|compensation|resettlement|other",
      "topic" },
    { "summary",       FG_COL_TEXT, "intake", REQ, NULL, "what is asked" },
    { "risk_level",    FG_COL_ENUM, "intake", 0, "low|medium|high", "stability risk" },
    { "received_on",   FG_COL_DATE, "intake", 0, NULL, "date received" },
    { "deadline_on",   FG_COL_DATE, "intake", 0, NULL, "deadline" },
    { "supervising_unit", FG_COL_TEXT, "intake", 0, NULL, "unit supervising it (督办)" },
    { "state",         FG_COL_TEXT, "intake", D, NULL, "state, from the fold of its events" },
    { "owner_org",     FG_COL_ORG,  "intake", D, NULL, "org unit that owns the case now" },
    { "last_transition", FG_COL_TEXT, "intake", D, NULL, "last transition applied" },
    { "transitions",   FG_COL_INT,  "intake", D, NULL, "events applied" },
    { "rejected_transitions", FG_COL_INT, "intake", D, NULL, "events rejected by the fold" },
    { .name = NULL }
};
static const fg_column_t s_appeal_event_columns [] = {
    { "appeal_id",     FG_COL_ID,   NULL, REQ, NULL, "the appeal" },
    { "transition",    FG_COL_ENUM, NULL, REQ,
      "register|assign|start|escalate|resolve|feedback|close|reopen|merge|withdraw|supervise|extend",
      "what happens to the case" },
    { "to_owner_unit", FG_COL_ORG,  NULL, 0, NULL, "new owner (escalate: a unit above; assign: below)" },
    { "actor_cadre_id", FG_COL_ID,  NULL, 0, NULL, "cadre who acted" },
    { "actor_unit",    FG_COL_TEXT, NULL, 0, NULL, "unit that acted" },
    { "dup_of",        FG_COL_ID,   NULL, 0, NULL, "appeal it duplicates (merge)" },
    { "extend_days",   FG_COL_INT,  NULL, 0, NULL, "days added to the deadline (extend)" },
    { "note",          FG_COL_TEXT, NULL, 0, NULL, "note" },
    { "attachment_hash", FG_COL_TEXT, NULL, 0, NULL, "hash of an attachment" },
    { "occurred_on",   FG_COL_DATE, NULL, 0, NULL, "date" },
    { "rejected",      FG_COL_BOOL, NULL, D, NULL, "1 if the fold rejected it" },
    { "reject_reason", FG_COL_TEXT, NULL, D, NULL, "why" },
    { "state_after",   FG_COL_TEXT, NULL, D, NULL, "state of the case after it" },
    { .name = NULL }
};
static const fg_transition_t s_appeal_transitions [] = {
    { "register",  "RECEIVED",                     "REGISTERED",       FG_WHO_OWNER, FG_OWNER_KEEP },
    { "assign",    "REGISTERED|ESCALATED|REOPENED", "ASSIGNED",        FG_WHO_OWNER, FG_OWNER_DOWN },
    { "start",     "ASSIGNED",                     "IN_PROGRESS",      FG_WHO_OWNER, FG_OWNER_KEEP },
    { "escalate",  "RECEIVED|REGISTERED|ASSIGNED|IN_PROGRESS|REOPENED", "ESCALATED",
                   FG_WHO_OWNER | FG_WHO_ABOVE, FG_OWNER_UP },
    { "resolve",   "IN_PROGRESS",                  "RESOLVED",         FG_WHO_OWNER, FG_OWNER_KEEP },
    { "feedback",  "RESOLVED",                     "FEEDBACK_GIVEN",   FG_WHO_OWNER, FG_OWNER_KEEP },
    { "close",     "FEEDBACK_GIVEN",               "CLOSED_SATISFIED", FG_WHO_OWNER, FG_OWNER_KEEP },
    { "reopen",    "FEEDBACK_GIVEN",               "REOPENED",   FG_WHO_OWNER | FG_WHO_ABOVE, FG_OWNER_KEEP },
    { "merge",     "*",                            "MERGED",     FG_WHO_OWNER | FG_WHO_ABOVE, FG_OWNER_KEEP },
    { "withdraw",  "*",                            "WITHDRAWN",        FG_WHO_OWNER, FG_OWNER_KEEP },
    { "supervise", "*",                            NULL,               FG_WHO_ABOVE, FG_OWNER_KEEP },
    { "extend",    "*",                            NULL,  FG_WHO_OWNER | FG_WHO_ABOVE, FG_OWNER_KEEP },
    { .name = NULL }
};
static const fg_workflow_t s_appeal_workflow = {
    .event_table = "appeal_event", .case_column = "appeal_id", .transition_column = "transition",
    .owner_column = "to_owner_unit", .initial = "RECEIVED",
    .terminal = "CLOSED_SATISFIED|MERGED|WITHDRAWN", .transitions = s_appeal_transitions
};

//  -------------------------------------------------------------------------
//  Clock flags: the hub that first receives an entry from its author flags
//  it when its time is implausibly far ahead (sync/max_clock_ahead_ms,
//  default 10 min). The flag is an entry of its own, so every replica that
//  holds it ranks the flagged writes at the hub's time of receipt (no
//  later), and all replicas agree: a township with a clock days ahead
//  cannot win against honest writes made after its entries arrived.

static const fg_column_t s_clock_flag_columns [] = {
    { "origin",        FG_COL_INT,  NULL, REQ, NULL, "node whose entry is flagged" },
    { "seq",           FG_COL_INT,  NULL, REQ, NULL, "its seq" },
    { "entry_hash",    FG_COL_BLOB, NULL, 0, NULL, "its hash" },
    { "ahead_ms",      FG_COL_INT,  NULL, 0, NULL, "how far ahead of the hub's clock it was" },
    { "clamp_hlc",     FG_COL_INT,  NULL, REQ, NULL, "the hub's time at receipt: the entry ranks no later" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Metadata (class M): versioned, only the highest version applies.

static const fg_group_t s_report_schedule_groups [] = {
    { "schedule", P, "the prefecture sets reporting cadences" },
    { .name = NULL }
};
static const fg_column_t s_report_schedule_columns [] = {
    { "version",       FG_COL_INT,  "schedule", REQ, NULL, "version; only a higher one applies" },
    { "name",          FG_COL_TEXT, "schedule", REQ, NULL, "name of the report" },
    { "reporter_selector", FG_COL_TEXT, "schedule", 0, NULL, "who reports (e.g. every county)" },
    { "recipient",     FG_COL_TEXT, "schedule", 0, NULL, "who receives it" },
    { "period_type",   FG_COL_ENUM, "schedule", 0,
      "WEEK|SEMIMONTH|MONTH|QUARTER|HALFYEAR|YEAR|PROGRAM_YEAR", "cadence" },
    { "due_offset_days", FG_COL_INT, "schedule", 0, NULL, "days after the period's end it is due" },
    { "template_id",   FG_COL_TEXT, "schedule", 0, NULL, "report template" },
    { .name = NULL }
};

#undef D

const fg_table_t fg_schema_tables [] = {
    { .name = "org_unit", .cls = FG_CLASS_REGISTRY, .authors = P, .flags = FG_TABLE_ID_IS_ORG,
      .anchor_group = "registry", .groups = s_org_unit_groups, .columns = s_org_unit_columns,
      .doc = "administrative units; the id is the statistical division code" },
    { .name = "cadre", .cls = FG_CLASS_REGISTRY, .authors = C | P, .anchor_group = "hr",
      .groups = s_cadre_groups, .columns = s_cadre_columns,
      .doc = "public employees; org_id is where the cadre works or is stationed" },
    { .name = "household", .cls = FG_CLASS_REGISTRY, .authors = E, .anchor_group = "reg",
      .groups = s_household_groups, .columns = s_household_columns,
      .doc = "farming and herding households; org_id is the registered village" },
    { .name = "person", .cls = FG_CLASS_REGISTRY, .authors = E, .anchor_group = "reg",
      .groups = s_person_groups, .columns = s_person_columns,
      .doc = "members of households; org_id is the household's village" },
    { .name = "pairing", .cls = FG_CLASS_ASSIGNMENT, .authors = C, .anchor_group = "plan",
      .groups = s_pairing_groups, .columns = s_pairing_columns,
      .doc = "cadre-household pairings (结对认亲); org_id is the household's village" },
    { .name = "visit", .cls = FG_CLASS_EVENT, .authors = E | C | P, .columns = s_visit_columns,
      .doc = "visits; org_id is the visited household's or site's unit" },
    { .name = "directive", .cls = FG_CLASS_EVENT, .authors = C | P, .columns = s_directive_columns,
      .doc = "directives; org_id is the target subtree" },
    { .name = "directive_ack", .cls = FG_CLASS_EVENT, .authors = FG_TIER_ANY,
      .columns = s_directive_ack_columns,
      .doc = "acknowledgements of directives; org_id is the acknowledging node's unit" },
    { .name = "refusal", .cls = FG_CLASS_EVENT, .authors = FG_TIER_ANY, .columns = s_refusal_columns,
      .doc = "entries a node refused, with the reason; org_id is the author's unit" },
    { .name = "appeal", .cls = FG_CLASS_CASE, .authors = FG_TIER_ANY, .anchor_group = "intake",
      .groups = s_appeal_groups, .columns = s_appeal_columns, .workflow = &s_appeal_workflow,
      .doc = "appeals and petitions (诉求/信访); org_id is the appellant's unit" },
    { .name = "appeal_event", .cls = FG_CLASS_EVENT, .authors = FG_TIER_ANY,
      .columns = s_appeal_event_columns,
      .doc = "what happens to an appeal; folded into its state in (hlc, origin, seq) order" },
    { .name = "clock_flag", .cls = FG_CLASS_EVENT, .authors = C | P, .columns = s_clock_flag_columns,
      .doc = "entries whose time a hub found implausibly far ahead; org_id is their author's unit" },
    { .name = "report_schedule", .cls = FG_CLASS_META, .authors = P, .anchor_group = "schedule",
      .groups = s_report_schedule_groups, .columns = s_report_schedule_columns,
      .doc = "reporting cadences (DOMAIN.md §2.11)" },
    { .name = "node", .cls = FG_CLASS_META, .authors = FG_TIER_ANY, .flags = FG_TABLE_SYSTEM,
      .anchor_group = "enroll", .groups = s_node_groups, .columns = s_node_columns,
      .doc = "nodes and their keys (system table)" },
};

#undef E
#undef C
#undef P
#undef REQ


const size_t fg_schema_tables_count = sizeof fg_schema_tables / sizeof fg_schema_tables [0];
