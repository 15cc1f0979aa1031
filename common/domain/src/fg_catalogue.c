/*  fg_catalogue.c - the programme's table catalogue: the domain tables (DOMAIN.md §2):
    for each, its record class, who may create rows, its field groups and
    their owning tiers, its columns, and for workflow cases the state
    machine their events fold through. fg_schema.c turns these into SQL,
    checks, parsing and printing; fg_merge.c merges by them. The sections
    below follow DOMAIN.md §2.1 to §2.14; the engine's own tables
    (refusal, clock_flag, heartbeat, node: fg_schema_system.c) follow them in the
    installed catalogue.

    Conventions (fg_schema_test checks the ones it can):
    - Tiers: E township edge, C county hub, P prefecture hub.
    - A table's `authors` are the tiers that may create its rows; a group's
      `owners` are the tiers whose writes to it apply. A write by any other
      tier is kept as a proposal (fg_merge), never applied and never lost:
      "E proposes" in DOMAIN.md needs nothing more than a group E does not
      own.
    - org_id (every table) is the org unit the row belongs to: it decides
      which nodes hold the row (its subtree and its ancestors) and who may
      write it (a node writes only inside its own subtree). Each table's doc
      says what its org_id is. "C/P by level" in DOMAIN.md (a prefecture
      hub writes the prefecture's rows, a county hub its county's) is
      owners C | P plus that scope rule: rows of the prefecture level are
      anchored at the prefecture's own code, which no county contains.
    - Coordinates are integers (microdegrees), money is integer fen,
      percentages are integer per mille, so every node computes the same
      bytes. Lists of ids or codes are comma-separated text; structured
      figures (report aggregates, frontier vectors) are JSON text without
      floats.
    - Enum values are lowercase snake_case English, except where DOMAIN.md
      spells them otherwise (period types, remoteness classes); the states
      of workflows are upper case.
    - REQ marks the few fields a row cannot exist without; DERIVED columns
      are written by the merge only (a case's state, an event's verdict).
    - Scope down (`down`, fg_schema.h; DOMAIN.md §7.3): a node holds every row
      anchored in its subtree, and of the rows anchored at its ancestors
      those of `subtree` tables only (registries, plans, directives, M-
      metadata: the default). `up_only` tables are the internal records of
      a county or the prefecture (assessments, spot checks, meeting
      records, nominations, report submissions and reviews, stability risk
      assessments): a row reaches its own org's subtree and the tiers
      above, never a township or county below the org it is anchored at.
      `referenced` tables (cadre) do not go down from above: a township
      holds the cadres of its own units (anchored in it) and nothing of
      the county's or prefecture's staff through the log. What it needs of
      a cadre of elsewhere paired with its households (name, phone) is
      copied into the pairing row when the county writes it
      (fg_pairing_publish.c: cadre_name, cadre_phone), and that row is
      anchored at the household's village: contact fields reach only the
      townships whose households the cadre works with, every tier agrees
      on the township's digest, and the engine routes nothing by
      reference. The copy is of the day the pair was written.
    - Second anchor (`route`, fg_schema.h): a township also holds its own
      cadres' pairs with households of other townships. The pair copies
      where its cadre works (cadre_org) and the household head's name
      (household_name); the engine sends the pair's entry down the
      cadre's branch as well, and the plan cuts its entries so that the
      pairs of one entry share both townships: the cadre's township gets
      those pairs (household name and village, never the household's
      members) and nothing else of the other township.
    - Signatures: every row is written by a signed change-log entry, so
      DOMAIN.md's `signature` fields (plans, reports, directives) are that
      entry's signature, and a row's created_hlc is its authored time.
*/
#include "fg_schema.h"
#include "fg_catalogue.h"

#define E FG_TIER_TOWNSHIP
#define C FG_TIER_COUNTY
#define P FG_TIER_PREFECTURE
#define REQ FG_COL_REQUIRED
#define D FG_COL_DERIVED
#define IDX FG_COL_INDEXED

//  Workflow cases (class W) all carry the same derived columns, written by
//  the fold (fg_merge_rows.c, s_fold), in the case's intake group; their
//  events carry the fold's verdict on each of them.
#define CASE_FOLD_COLUMNS(group) \
    { "state",         FG_COL_TEXT, group, D, NULL, "state, from the fold of its events" }, \
    { "owner_org",     FG_COL_ORG,  group, D, NULL, "org unit that owns the case now" }, \
    { "last_transition", FG_COL_TEXT, group, D, NULL, "last transition applied" }, \
    { "transitions",   FG_COL_INT,  group, D, NULL, "events applied" }, \
    { "rejected_transitions", FG_COL_INT, group, D, NULL, "events rejected by the fold" }
#define EVENT_FOLD_COLUMNS \
    { "rejected",      FG_COL_BOOL, NULL, D, NULL, "1 if the fold rejected it" }, \
    { "reject_reason", FG_COL_TEXT, NULL, D, NULL, "why" }, \
    { "state_after",   FG_COL_TEXT, NULL, D, NULL, "state of the case after it" }

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

//  Org unit groups and group sets (DOMAIN.md §2.1, §8.1): alternative
//  hierarchies (pastoral/agricultural, remoteness, hydropower areas).
//  Exclusivity (a unit in at most one group of a set) spans rows, so it is
//  a check over the groups of a set, not a merge rule.
static const fg_group_t s_org_unit_group_set_groups [] = {
    { "registry", P, "the prefecture defines group sets" },
    { .name = NULL }
};
static const fg_column_t s_org_unit_group_set_columns [] = {
    { "name",          FG_COL_TEXT, "registry", REQ, NULL, "name of the set (economy, remoteness, hydropower area)" },
    { "exclusive",     FG_COL_BOOL, "registry", 0, NULL, "a unit may belong to at most one group of the set" },
    { "description",   FG_COL_TEXT, "registry", 0, NULL, "what the set classifies" },
    { .name = NULL }
};

static const fg_group_t s_org_unit_group_groups [] = {
    { "registry", P, "the prefecture defines groups and their members" },
    { .name = NULL }
};
static const fg_column_t s_org_unit_group_columns [] = {
    { "set_id",        FG_COL_ID,   "registry", REQ, NULL, "group set it belongs to" },
    { "name",          FG_COL_TEXT, "registry", REQ, NULL, "name of the group (pastoral, class B, ...)" },
    { "code",          FG_COL_TEXT, "registry", 0, NULL, "short code" },
    { "members",       FG_COL_TEXT, "registry", 0, NULL, "comma-separated org codes of its member units" },
    { .name = NULL }
};

static const fg_group_t s_work_unit_groups [] = {
    { "registry", C | P, "the hub of the unit's level: the prefecture for prefecture units, "
                         "the county for county units and township governments" },
    { .name = NULL }
};
static const fg_column_t s_work_unit_columns [] = {
    { "name",          FG_COL_TEXT, "registry", REQ, NULL, "name of the unit" },
    { "level",         FG_COL_ENUM, "registry", 0, "prefecture|county|township", "level of the unit" },
    { "type",          FG_COL_ENUM, "registry", 0,
      "party|government|peoples_organization|enterprise|public_institution", "kind of unit" },
    { "is_lead_unit",  FG_COL_BOOL, "registry", 0, NULL, "lead unit (牵头单位) of one of the six activities" },
    { "lead_for_activity", FG_COL_ENUM, "registry", 0,
      "pairing|one_heart|love_assistance|publicity_education|coconstruction|happiness_project",
      "the activity it leads" },
    { "counterpart_townships", FG_COL_TEXT, "registry", 0, NULL,
      "comma-separated codes of the townships it is paired with (对口联系)" },
    { "valid_from",    FG_COL_DATE, "registry", 0, NULL, "exists from" },
    { "valid_to",      FG_COL_DATE, "registry", 0, NULL, "day after the last" },
    { .name = NULL }
};

static const fg_group_t s_cadre_groups [] = {
    { "hr",      C | P, "the employer hub keeps personnel records" },
    { "contact", C | P, "phone and contact details" },
    { .name = NULL }
};
static const fg_column_t s_cadre_columns [] = {
    { "name",          FG_COL_TEXT, "hr", REQ, NULL, "full name", "姓名" },
    { "person_key",    FG_COL_TEXT, "hr", 0, NULL, "salted hash of the ID number", "身份证号哈希" },
    { "gender",        FG_COL_ENUM, "hr", 0, "male|female", "gender", "性别" },
    { "ethnicity",     FG_COL_TEXT, "hr", 0, NULL, "ethnicity", "民族" },
    { "languages",     FG_COL_TEXT, "hr", 0, NULL, "languages spoken (Tibetan dialect, Mandarin)", "语言" },
    { "work_unit_id",  FG_COL_ID,   "hr", 0, NULL, "employing work unit", "工作单位编号" },
    { "post",          FG_COL_TEXT, "hr", 0, NULL, "post held", "职务" },
    { "rank",          FG_COL_ENUM, "hr", 0,
      "prefecture_chief|prefecture_deputy|county_chief|county_deputy|section_chief|section_deputy|staff|institution|aid_cadre",
      "rank (deputy county and above: prefecture_*, county_*)", "职级" },
    { "roles",         FG_COL_TEXT, "hr", 0, NULL, "comma-separated roles (county_secretary, ...)", "角色" },
    { "is_party_member", FG_COL_BOOL, "hr", 0, NULL, "party member", "党员" },
    { "status",        FG_COL_ENUM, "hr", 0,
      "active|transferred|retired|deceased|long_leave|exempt", "employment status", "状态" },
    { "status_from",   FG_COL_DATE, "hr", 0, NULL, "date the status took effect", "状态起始日期" },
    { "capacity_override", FG_COL_INT, "hr", 0, NULL, "households this cadre may pair with, if not the default", "结对户数上限" },
    { "aid_term_end",  FG_COL_DATE, "hr", 0, NULL, "end of an aid cadre's term", "援藏期满日期" },
    { "phone",         FG_COL_TEXT, "contact", 0, NULL, "phone number", "电话" },
    { .name = NULL }
};

static const fg_group_t s_work_team_groups [] = {
    { "team", C, "the county forms, stations and rotates its teams" },
    { .name = NULL }
};
static const fg_column_t s_work_team_columns [] = {
    { "name",          FG_COL_TEXT, "team", 0, NULL, "name of the team" },
    { "leader_cadre_id", FG_COL_ID, "team", REQ, NULL, "team leader" },
    { "member_ids",    FG_COL_TEXT, "team", 0, NULL, "comma-separated cadre ids of its members" },
    { "target_org_units", FG_COL_TEXT, "team", 0, NULL, "comma-separated codes of the units it serves" },
    { "rotation_period_days", FG_COL_INT, "team", 0, NULL,
      "days between rotations (背包进驻、定期轮换)" },
    { "start_on",      FG_COL_DATE, "team", 0, NULL, "stationed from (DOMAIN.md `from`)" },
    { "end_on",        FG_COL_DATE, "team", 0, NULL, "stationed until (DOMAIN.md `to`)" },
    { .name = NULL }
};

static const fg_group_t s_household_groups [] = {
    { "reg",   E, "registration: membership, village, head, status (the township)" },
    { "admin", C, "administrative flags: poverty registration, demonstration, needy (the county)" },
    { .name = NULL }
};
static const fg_column_t s_household_columns [] = {
    { "hukou_no",      FG_COL_TEXT, "reg", 0, NULL, "household register number", "户号" },
    { "head_name",     FG_COL_TEXT, "reg", REQ, NULL, "name of the head of household", "户主姓名" },
    { "head_person_id", FG_COL_ID,  "reg", 0, NULL, "person record of the head", "户主人员编号" },
    { "group_name",    FG_COL_TEXT, "reg", 0, NULL, "natural village or herding group", "村民小组" },
    { "size",          FG_COL_INT,  "reg", 0, NULL, "number of members", "家庭人口" },
    { "economy",       FG_COL_ENUM, "reg", 0, "farming|herding|semi", "farming, herding or both", "生产方式" },
    { "seasonal_location", FG_COL_TEXT, "reg", 0, NULL, "summer/winter pasture", "季节性住地" },
    { "lat_e6",        FG_COL_INT,  "reg", 0, NULL, "latitude, microdegrees", "纬度（微度）" },
    { "lon_e6",        FG_COL_INT,  "reg", 0, NULL, "longitude, microdegrees", "经度（微度）" },
    { "immigrant",     FG_COL_BOOL, "reg", 0, NULL, "relocated or immigrant household", "移民户" },
    { "status",        FG_COL_ENUM, "reg", 0, "active|split|merged|moved_out|extinct", "status", "状态" },
    { "valid_from",    FG_COL_DATE, "reg", 0, NULL, "registered since", "登记起始日期" },
    { "valid_to",      FG_COL_DATE, "reg", 0, NULL, "registered until", "登记截止日期" },
    { "parent_household_id", FG_COL_ID, "reg", 0, NULL, "household it split from", "原户编号" },
    { "poverty_registered", FG_COL_BOOL, "admin", 0, NULL, "registered poor household (建档立卡)", "建档立卡户" },
    { "demonstration", FG_COL_BOOL, "admin", 0, NULL, "demonstration household (示范户)", "示范户" },
    { "needy",         FG_COL_BOOL, "admin", 0, NULL, "needy household (困难户)", "困难户" },
    { .name = NULL }
};

//  Splits and merges change household.reg and are also emitted as events,
//  because they cascade into pairing (DOMAIN.md §4.3 step 1: a new
//  household may inherit its parent's cadre; a merge keeps the survivor's).
static const fg_column_t s_household_split_columns [] = {
    { "household_id",  FG_COL_ID,   NULL, REQ, NULL, "household that split" },
    { "child_household_id", FG_COL_ID, NULL, REQ, NULL, "a household made from it (one event per new household)" },
    { "parent_continues", FG_COL_BOOL, NULL, 0, NULL, "the household that split goes on existing" },
    { "members_moved", FG_COL_INT,  NULL, 0, NULL, "people who moved to the new household" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "date of the split" },
    { "reason",        FG_COL_TEXT, NULL, 0, NULL, "why (marriage, inheritance, ...)" },
    { .name = NULL }
};
static const fg_column_t s_household_merge_columns [] = {
    { "household_id",  FG_COL_ID,   NULL, REQ, NULL, "household merged away" },
    { "survivor_household_id", FG_COL_ID, NULL, REQ, NULL, "household it merged into (keeps its pairing)" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "date of the merge" },
    { "reason",        FG_COL_TEXT, NULL, 0, NULL, "why" },
    { .name = NULL }
};

static const fg_group_t s_person_groups [] = {
    { "reg", E, "the township registers people" },
    { .name = NULL }
};
static const fg_column_t s_person_columns [] = {
    { "household_id",  FG_COL_ID,   "reg", REQ | IDX, NULL, "household", "户编号" },
    { "name",          FG_COL_TEXT, "reg", REQ, NULL, "name", "姓名" },
    { "name_bo",       FG_COL_TEXT, "reg", 0, NULL, "Tibetan name", "藏文姓名" },
    { "gender",        FG_COL_ENUM, "reg", 0, "male|female", "gender", "性别" },
    { "birth_date",    FG_COL_DATE, "reg", 0, NULL, "date of birth", "出生日期" },
    { "relation_to_head", FG_COL_TEXT, "reg", 0, NULL, "relation to the head", "与户主关系" },
    { "person_key",    FG_COL_TEXT, "reg", 0, NULL, "salted hash of the ID number", "身份证号哈希" },
    { "is_monastic",   FG_COL_BOOL, "reg", 0, NULL, "monk or nun (see monastic archive)", "僧尼" },
    { "student_status", FG_COL_ENUM, "reg", 0, "none|student|dropout", "schooling", "就学状况" },
    { "employment_status", FG_COL_ENUM, "reg", 0,
      "employed|unemployed|farming|herding|other", "employment", "就业状况" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Pairing (DOMAIN.md §2.2)

static const fg_group_t s_pairing_groups [] = {
    { "plan", C, "the county mass-work office assigns pairings" },
    { .name = NULL }
};
static const fg_column_t s_pairing_columns [] = {
    { "cadre_id",      FG_COL_ID,   "plan", REQ | IDX, NULL, "cadre" },
    { "household_id",  FG_COL_ID,   "plan", REQ | IDX, NULL, "household" },
    { "role",          FG_COL_ENUM, "plan", 0, "primary|secondary", "primary or secondary pairing" },
    { "form",          FG_COL_ENUM, "plan", 0,
      "territorial|counterpart|org_deployment|cadre_relative", "form of pairing" },
    { "cycle_year",    FG_COL_INT,  "plan", 0, NULL, "programme year (July to June), by its first year" },
    { "plan_id",       FG_COL_ID,   "plan", 0, NULL, "pairing plan" },
    { "plan_version",  FG_COL_INT,  "plan", 0, NULL, "plan version" },
    { "start_on",      FG_COL_DATE, "plan", 0, NULL, "first day" },
    { "end_on",        FG_COL_DATE, "plan", 0, NULL, "ended on" },
    { "end_reason",    FG_COL_ENUM, "plan", 0,
      "cadre_transfer|cadre_retired|cadre_unavailable|household_inactive|rebalance|household_split|manual|superseded_by_plan|duplicate|form_invalid|over_capacity",
      "why it ended" },
    { "provisional",   FG_COL_BOOL, "plan", 0, NULL, "made offline at the edge, awaiting the plan" },
    { "dossier_ref",   FG_COL_TEXT, "plan", 0, NULL, "pairing dossier reference (结对建档)" },
    //  What the household's township needs of the cadre: cadres are scope
    //  `referenced` (a township does not hold the county's or prefecture's
    //  staff), so the county copies them into the pair when it writes it
    { "cadre_name",    FG_COL_TEXT, "plan", 0, NULL, "the cadre's name when paired", "干部姓名" },
    { "cadre_phone",   FG_COL_TEXT, "plan", 0, NULL, "the cadre's phone when paired", "干部电话" },
    //  ... and what the cadre's own township needs of the household (the
    //  pair also reaches it: `route`), not the household's members
    { "cadre_org",     FG_COL_ORG,  "plan", 0, NULL, "where the cadre works when paired: the pair "
      "also reaches that township", "干部所在单位" },
    { "household_name", FG_COL_TEXT, "plan", 0, NULL, "the household head's name when paired", "户主姓名" },
    { .name = NULL }
};

//  A township's offline pairing (DOMAIN.md §4.6 step 7): a fact of its own,
//  not a write to the county's plan group (which would only be a proposal).
static const fg_column_t s_pairing_provisional_columns [] = {
    { "cadre_id",      FG_COL_ID,   NULL, REQ | IDX, NULL, "cadre of the township with spare capacity" },
    { "household_id",  FG_COL_ID,   NULL, REQ | IDX, NULL, "household left unpaired past G_new" },
    { "cycle_year",    FG_COL_INT,  NULL, 0, NULL, "programme year, by its first year" },
    { "base_plan_version", FG_COL_INT, NULL, 0, NULL, "latest plan version the edge had applied" },
    { "start_on",      FG_COL_DATE, NULL, 0, NULL, "first day" },
    { "note",          FG_COL_TEXT, NULL, 0, NULL, "why the household was unpaired" },
    { .name = NULL }
};

//  Kinship claims (the cadre_relative form; P4 needs an approved one): a
//  workflow case. The household's township or the county opens it; only
//  the county decides. The fold alone cannot say "the county": FG_WHO_*
//  compare orgs, not tiers, and a township that opened a claim owns it.
//  So the decisions are events only a county writes (kinship_claim_event
//  authors C; a township's or the prefecture's is rejected not_author by
//  the merge), and the fold lets the case's owner or a unit above it make
//  them: the county above a township's claim, or the county that opened
//  its own; never another county.
static const fg_group_t s_kinship_claim_groups [] = {
    { "claim", E | C, "opened by the household's township or by the county" },
    { .name = NULL }
};
static const fg_column_t s_kinship_claim_columns [] = {
    { "cadre_id",      FG_COL_ID,   "claim", REQ, NULL, "cadre who claims the relationship" },
    { "household_id",  FG_COL_ID,   "claim", REQ, NULL, "the relative's household" },
    { "relation",      FG_COL_TEXT, "claim", REQ, NULL, "how they are related (parent, sibling, in-law, ...)" },
    { "evidence",      FG_COL_TEXT, "claim", 0, NULL, "reference or hash of the supporting documents" },
    { "claimed_on",    FG_COL_DATE, "claim", 0, NULL, "date of the claim" },
    CASE_FOLD_COLUMNS ("claim"),
    { .name = NULL }
};
static const fg_column_t s_kinship_claim_event_columns [] = {
    { "claim_id",      FG_COL_ID,   NULL, REQ, NULL, "the claim" },
    { "transition",    FG_COL_ENUM, NULL, REQ, "approve|reject", "the county's decision" },
    { "actor_cadre_id", FG_COL_ID,  NULL, 0, NULL, "cadre who decided" },
    { "note",          FG_COL_TEXT, NULL, 0, NULL, "reasons" },
    { "occurred_on",   FG_COL_DATE, NULL, 0, NULL, "date of the decision" },
    EVENT_FOLD_COLUMNS,
    { .name = NULL }
};
static const fg_transition_t s_kinship_claim_transitions [] = {
    { "approve",   "CLAIMED", "APPROVED", FG_WHO_OWNER | FG_WHO_ABOVE, FG_OWNER_KEEP },
    { "reject",    "CLAIMED", "REJECTED", FG_WHO_OWNER | FG_WHO_ABOVE, FG_OWNER_KEEP },
    { .name = NULL }
};
static const fg_workflow_t s_kinship_claim_workflow = {
    .event_table = "kinship_claim_event", .case_column = "claim_id", .transition_column = "transition",
    .owner_column = NULL, .initial = "CLAIMED", .terminal = "APPROVED|REJECTED",
    .transitions = s_kinship_claim_transitions
};

static const fg_column_t s_pairing_plan_columns [] = {
    { "cycle_year",    FG_COL_INT,  NULL, REQ, NULL, "programme year (July to June), by its first year" },
    { "version",       FG_COL_INT,  NULL, REQ, NULL, "plan version, strictly increasing per county (P7)" },
    { "base_version",  FG_COL_INT,  NULL, 0, NULL, "version it was computed against (the previous one)" },
    { "effective_on",  FG_COL_DATE, NULL, 0, NULL, "day the pairs switch (July 1 for an annual plan)" },
    { "input_frontier", FG_COL_TEXT, NULL, 0, NULL, "JSON {origin: seq} the county had merged at the cutoff" },
    { "params_hash",   FG_COL_TEXT, NULL, 0, NULL, "hash of the parameters (caps, windows, weights)" },
    { "overrides",     FG_COL_TEXT, NULL, 0, NULL, "JSON of the manual constraints (locked pairs, exclusions)" },
    { "stats_kept",    FG_COL_INT,  NULL, 0, NULL, "pairs kept from the base" },
    { "stats_new",     FG_COL_INT,  NULL, 0, NULL, "pairs made" },
    { "stats_ended",   FG_COL_INT,  NULL, 0, NULL, "pairs ended" },
    { "stats_deficit", FG_COL_INT,  NULL, 0, NULL, "households left unpaired (coverage deficit)" },
    { "plan_hash",     FG_COL_TEXT, NULL, 0, NULL, "hash of the full plan (the slices carry theirs)" },
    { "slices",        FG_COL_TEXT, NULL, 0, NULL,
      "per township the plan touches, TOWNSHIP:PAIRS:HASH, comma-separated: what it holds once applied" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Temples and churches (DOMAIN.md §2.3)

static const fg_group_t s_religious_site_groups [] = {
    { "registry", C, "the county's religious affairs and united front departments" },
    { "infra",    C, "the five links and the library (the township proposes)" },
    { .name = NULL }
};
static const fg_column_t s_religious_site_columns [] = {
    { "name",          FG_COL_TEXT, "registry", REQ, NULL, "name" },
    { "name_bo",       FG_COL_TEXT, "registry", 0, NULL, "Tibetan name" },
    { "religion",      FG_COL_ENUM, "registry", 0,
      "tibetan_buddhism|bon|catholic|protestant|islam|other", "religion" },
    { "sect",          FG_COL_ENUM, "registry", 0, "gelug|nyingma|kagyu|sakya|jonang|bon|other", "school" },
    { "registered",    FG_COL_BOOL, "registry", 0, NULL, "registered according to law (依法登记)" },
    { "quota_monastics", FG_COL_INT, "registry", 0, NULL, "authorised number of monks or nuns (定员)" },
    { "resident_count", FG_COL_INT, "registry", 0, NULL, "monks or nuns in residence (T6)" },
    { "management_org", FG_COL_TEXT, "registry", 0, NULL, "management committee (寺管会): cadres and monks" },
    { "harmony_rating", FG_COL_TEXT, "registry", 0, NULL, "rating in the harmonious-temple campaign" },
    { "status",        FG_COL_ENUM, "registry", 0, "active|suspended|closed", "status" },
    { "water",         FG_COL_BOOL, "infra", 0, NULL, "water supply" },
    { "electricity",   FG_COL_BOOL, "infra", 0, NULL, "electricity" },
    { "road",          FG_COL_BOOL, "infra", 0, NULL, "road access" },
    { "telecom",       FG_COL_BOOL, "infra", 0, NULL, "telephone and data" },
    { "radio_tv",      FG_COL_BOOL, "infra", 0, NULL, "radio and television" },
    { "library",       FG_COL_BOOL, "infra", 0, NULL, "library" },
    { "infra_surveyed_on", FG_COL_DATE, "infra", 0, NULL, "date the infrastructure was last surveyed (T7)" },
    { .name = NULL }
};

static const fg_group_t s_religious_representative_groups [] = {
    { "registry", C, "the county's united front department" },
    { .name = NULL }
};
static const fg_column_t s_religious_representative_columns [] = {
    { "site_id",       FG_COL_ID,   "registry", 0, NULL, "site, if tied to one" },
    { "name",          FG_COL_TEXT, "registry", REQ, NULL, "name" },
    { "name_bo",       FG_COL_TEXT, "registry", 0, NULL, "Tibetan name" },
    { "person_key",    FG_COL_TEXT, "registry", 0, NULL, "salted hash of the ID number" },
    { "gender",        FG_COL_ENUM, "registry", 0, "male|female", "gender" },
    { "birth_date",    FG_COL_DATE, "registry", 0, NULL, "date of birth" },
    { "role",          FG_COL_ENUM, "registry", 0,
      "khenpo|tulku|committee_chair|committee_member|other", "role" },
    { "reserve_pool",  FG_COL_BOOL, "registry", 0, NULL, "in the reserve of representatives being trained" },
    { "status",        FG_COL_ENUM, "registry", 0, "active|inactive|deceased", "status" },
    { .name = NULL }
};

static const fg_group_t s_monastic_groups [] = {
    { "archive", C, "the county's archive of monks and nuns" },
    { "origin",  C, "the link to the family household (the township proposes it)" },
    { "social",  C, "social security and assistance (civil affairs)" },
    { .name = NULL }
};
static const fg_column_t s_monastic_columns [] = {
    { "site_id",       FG_COL_ID,   "archive", REQ | IDX, NULL, "site the monk or nun belongs to" },
    { "name",          FG_COL_TEXT, "archive", REQ, NULL, "name" },
    { "name_bo",       FG_COL_TEXT, "archive", 0, NULL, "Tibetan name" },
    { "person_key",    FG_COL_TEXT, "archive", 0, NULL, "salted hash of the ID number" },
    { "gender",        FG_COL_ENUM, "archive", 0, "monk|nun", "monk or nun" },
    { "birth_date",    FG_COL_DATE, "archive", 0, NULL, "date of birth" },
    { "certificate_no", FG_COL_TEXT, "archive", 0, NULL, "monastic certificate number" },
    { "residence_status", FG_COL_ENUM, "archive", 0, "resident|over_quota|left", "residence" },
    { "status",        FG_COL_ENUM, "archive", 0, "active|inactive|deceased", "status" },
    { "origin_household_id", FG_COL_ID, "origin", 0, NULL, "family household (anchored at its township)" },
    { "dibao",         FG_COL_BOOL, "social", 0, NULL, "minimum living allowance (低保)" },
    { "wubao",         FG_COL_BOOL, "social", 0, NULL, "five guarantees (五保)" },
    { "medical_insurance", FG_COL_ENUM, "social", 0, "none|rural_cooperative|urban_resident",
      "medical insurance (新农合 or 城镇医保)" },
    { "pension",       FG_COL_BOOL, "social", 0, NULL, "pension insurance" },
    { .name = NULL }
};

static const fg_group_t s_temple_contact_groups [] = {
    { "contact", C | P, "the prefecture for its leaders' contacts, the county for its leaders'" },
    { .name = NULL }
};
static const fg_column_t s_temple_contact_columns [] = {
    { "site_id",       FG_COL_ID,   "contact", IDX, NULL, "site contacted" },
    { "representative_id", FG_COL_ID, "contact", 0, NULL, "representative contacted personally (no site)" },
    { "cadre_id",      FG_COL_ID,   "contact", REQ | IDX, NULL, "contact cadre (deputy county or above, T1)" },
    { "level",         FG_COL_ENUM, "contact", 0, "prefecture|county", "level of the contact cadre" },
    { "start_on",      FG_COL_DATE, "contact", 0, NULL, "first day" },
    { "end_on",        FG_COL_DATE, "contact", 0, NULL, "ended on" },
    { "assigned_by_directive", FG_COL_ID, "contact", 0, NULL, "directive that assigned it" },
    { .name = NULL }
};

static const fg_column_t s_temple_engagement_columns [] = {
    { "contact_id",    FG_COL_ID,   NULL, 0, NULL, "temple contact it fulfils" },
    { "site_id",       FG_COL_ID,   NULL, REQ | IDX, NULL, "site" },
    { "cadre_id",      FG_COL_ID,   NULL, REQ, NULL, "cadre" },
    { "kind",          FG_COL_ENUM, NULL, REQ,
      "visit|forum|care_delivery|project|training|commendation",
      "entering the temple, heart-to-heart forum, care, project, training, commendation" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "date" },
    { "participants",  FG_COL_INT,  NULL, 0, NULL, "people taking part" },
    { "amount_fen",    FG_COL_FEN,  NULL, 0, NULL, "money given or spent, fen" },
    { "notes",         FG_COL_TEXT, NULL, 0, NULL, "contact ledger notes (联系台账)" },
    { "issues_raised", FG_COL_TEXT, NULL, 0, NULL, "issues raised (may open an appeal)" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Vulnerable groups (DOMAIN.md §2.4)

static const fg_group_t s_vulnerable_person_groups [] = {
    { "ident", E, "identification by the township" },
    { "cert",  C, "civil-affairs verification by the county" },
    { .name = NULL }
};
static const fg_column_t s_vulnerable_person_columns [] = {
    { "person_id",     FG_COL_ID,   "ident", IDX, NULL, "the person (or monastic_id)", "人员编号" },
    { "monastic_id",   FG_COL_ID,   "ident", 0, NULL, "the monk or nun (or person_id)", "僧尼编号" },
    { "category",      FG_COL_ENUM, "ident", REQ,
      "orphan|urban_three_no|rural_five_guarantee|disabled|major_disease", "category", "类别" },
    { "five_guarantee_mode", FG_COL_ENUM, "ident", 0, "centralized|scattered",
      "in a nursing home or supported at home (分散供养)", "供养方式" },
    { "disability_type", FG_COL_ENUM, "ident", 0,
      "visual|hearing|speech|physical|intellectual|mental|multiple", "kind of disability", "残疾类别" },
    { "disability_grade", FG_COL_INT, "ident", 0, NULL, "disability grade, 1 (most severe) to 4", "残疾等级" },
    { "disability_cert_no", FG_COL_TEXT, "ident", 0, NULL, "disability certificate number", "残疾证号" },
    { "disease_code",  FG_COL_TEXT, "ident", 0, NULL, "disease (ICD-10 code; child leukemia C91.0)", "疾病编码" },
    { "identified_on", FG_COL_DATE, "ident", 0, NULL, "date the township identified the person", "识别日期" },
    { "housing_condition", FG_COL_ENUM, "ident", 0, "safe|dilapidated_c|dilapidated_d",
      "housing at the last check (V2; dilapidated grade C or D: a renovation is due)", "住房状况" },
    { "housing_checked_on", FG_COL_DATE, "ident", 0, NULL,
      "date of the last housing-condition check (V2, scattered five-guarantee people)", "住房核查日期" },
    { "cert_state",    FG_COL_ENUM, "cert", 0, "pending|verified|rejected", "civil-affairs verification", "核定状态" },
    { "cert_on",       FG_COL_DATE, "cert", 0, NULL, "date of the verification decision (V4)", "核定日期" },
    { "eligible_from", FG_COL_DATE, "cert", 0, NULL, "eligible from (as verified)", "享受起始日期" },
    { "eligible_to",   FG_COL_DATE, "cert", 0, NULL, "eligible until (day after the last)", "享受截止日期" },
    { "cert_note",     FG_COL_TEXT, "cert", 0, NULL, "verification notes", "核定备注" },
    { .name = NULL }
};

static const fg_group_t s_love_pairing_groups [] = {
    { "plan", C, "the county assigns love pairings" },
    { .name = NULL }
};
static const fg_column_t s_love_pairing_columns [] = {
    { "vulnerable_person_id", FG_COL_ID, "plan", REQ | IDX, NULL, "person helped" },
    { "helper_kind",   FG_COL_ENUM, "plan", REQ, "cadre|work_unit|external", "who helps" },
    { "helper_cadre_id", FG_COL_ID, "plan", 0, NULL, "helping cadre" },
    { "helper_work_unit_id", FG_COL_ID, "plan", 0, NULL, "helping work unit" },
    { "helper_name",   FG_COL_TEXT, "plan", 0, NULL, "helping outside organisation or person" },
    { "start_on",      FG_COL_DATE, "plan", 0, NULL, "first day" },
    { "end_on",        FG_COL_DATE, "plan", 0, NULL, "ended on" },
    { .name = NULL }
};

static const fg_column_t s_assistance_record_columns [] = {
    { "beneficiary_kind", FG_COL_ENUM, NULL, REQ, "vulnerable_person|household|monastic", "who received it", "受助对象类型" },
    { "beneficiary_id", FG_COL_ID,  NULL, REQ | IDX, NULL, "id of the beneficiary", "受助对象编号" },
    { "type",          FG_COL_ENUM, NULL, REQ,
      "cash_subsidy|in_kind|medical_insurance_subsidy|medical_assistance|hospitalization_allowance|barrier_free_renovation|dilapidated_house_renovation|nursing_home_placement|charity_programme|condolence_money",
      "kind of assistance", "救助类型" },
    { "amount_fen",    FG_COL_FEN,  NULL, 0, NULL, "amount or value, fen", "金额（元）" },
    { "funding_source", FG_COL_TEXT, NULL, 0, NULL, "where the money came from", "资金来源" },
    { "provider",      FG_COL_TEXT, NULL, 0, NULL, "who gave it", "提供方" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "date given", "发放日期" },
    { "evidence_hash", FG_COL_TEXT, NULL, 0, NULL, "hash of the receipt or signature", "凭证哈希" },
    { "reverses_id",   FG_COL_ID,   NULL, IDX, NULL,
      "record this one reverses (same beneficiary and amount, V3): corrections are reversals", "冲正记录编号" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Visits and the six must-visit rule (DOMAIN.md §2.5)

static const fg_column_t s_must_visit_trigger_columns [] = {
    { "household_id",  FG_COL_ID,   NULL, REQ | IDX, NULL, "household to visit" },
    { "person_id",     FG_COL_ID,   NULL, 0, NULL, "person concerned" },
    { "category",      FG_COL_ENUM, NULL, REQ,
      "seriously_ill|dropout_unemployed|sudden_disaster|elderly_death|abnormal_thinking|major_festival",
      "six must-visit category" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "date of the event that triggers the visit" },
    { "source",        FG_COL_ENUM, NULL, 0,
      "self_report|village_official|visit|civil_affairs|disaster_directive|festival_calendar",
      "how it became known" },
    { "directive_id",  FG_COL_ID,   NULL, 0, NULL, "disaster or festival directive it expands" },
    { "due_by",        FG_COL_DATE, NULL, 0, NULL,
      "visit due by: occurred_on plus the category's window in force when recorded (§3.4)" },
    { .name = NULL }
};

static const fg_column_t s_visit_columns [] = {
    { "cadre_id",      FG_COL_ID,   NULL, REQ, NULL, "visiting cadre", "干部编号" },
    { "team_id",       FG_COL_ID,   NULL, 0, NULL, "work team", "工作队编号" },
    { "target_kind",   FG_COL_ENUM, NULL, REQ, "household|religious_site|vulnerable_person", "what was visited", "走访对象类型" },
    { "target_id",     FG_COL_ID,   NULL, REQ | IDX, NULL, "id of what was visited", "走访对象编号" },
    { "pairing_id",    FG_COL_ID,   NULL, 0, NULL, "pairing visited under, if any", "结对编号" },
    { "kind",          FG_COL_ENUM, NULL, REQ,
      "pairing|must_visit|leader_regular|leader_unannounced|temple|festival|phone", "kind of visit", "走访类型" },
    { "must_visit_category", FG_COL_ENUM, NULL, 0,
      "seriously_ill|dropout_unemployed|sudden_disaster|elderly_death|abnormal_thinking|major_festival",
      "six must-visit category", "必访类别" },
    { "trigger_id",    FG_COL_ID,   NULL, 0, NULL, "must-visit trigger answered", "必访触发编号" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "date of the visit", "走访日期" },
    { "duration_min",  FG_COL_INT,  NULL, 0, NULL, "minutes", "时长（分钟）" },
    { "in_person",     FG_COL_BOOL, NULL, 0, NULL, "in person (0 for phone)", "当面走访" },
    { "activities",    FG_COL_TEXT, NULL, 0, NULL, "understand,solve,safety,wealth (访民情 解民忧 促民安 帮民富)", "活动内容" },
    { "problems_raised", FG_COL_TEXT, NULL, 0, NULL, "problems raised (may open an appeal)", "反映问题" },
    { "help_given_fen", FG_COL_FEN, NULL, 0, NULL, "help given, fen", "帮扶金额（元）" },
    { "household_ack", FG_COL_TEXT, NULL, 0, NULL, "hash of the household's signature or thumbprint", "农户确认" },
    { "notes",         FG_COL_TEXT, NULL, 0, NULL, "notes", "备注" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Appeals, petitions and conflict resolution (DOMAIN.md §2.6): a workflow
//  case. Its state and owner are the fold of its appeal_event rows: an
//  event by a node that does not own the case at that point of the fold
//  (say, a township closing a case its county escalated while the township
//  was offline) is kept, marked rejected with the reason, and shown.

static const fg_group_t s_appeal_groups [] = {
    { "intake", FG_TIER_ANY, "recorded by the node that received the appeal" },
    { .name = NULL }
};
static const fg_column_t s_appeal_columns [] = {
    { "appellant_name", FG_COL_TEXT, "intake", REQ, NULL, "who appealed" },
    { "appellant_household_id", FG_COL_ID, "intake", IDX, NULL, "the appellant's household" },
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
    CASE_FOLD_COLUMNS ("intake"),
    { .name = NULL }
};
static const fg_column_t s_appeal_event_columns [] = {
    { "appeal_id",     FG_COL_ID,   NULL, REQ | IDX, NULL, "the appeal" },
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
    EVENT_FOLD_COLUMNS,
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

static const fg_column_t s_stability_risk_assessment_columns [] = {
    { "decision_ref",  FG_COL_TEXT, NULL, REQ, NULL, "the major decision assessed" },
    { "level",         FG_COL_ENUM, NULL, 0, "county|prefecture", "level of the decision" },
    { "risk_grade",    FG_COL_ENUM, NULL, REQ, "low|medium|high", "assessed risk" },
    { "mitigations",   FG_COL_TEXT, NULL, 0, NULL, "measures to reduce the risk" },
    { "emergency_plan_ref", FG_COL_TEXT, NULL, 0, NULL, "emergency plan" },
    { "occurred_on",   FG_COL_DATE, NULL, 0, NULL, "date of the assessment" },
    { .name = NULL }
};

static const fg_group_t s_reception_day_groups [] = {
    { "schedule", C | P, "the county or the prefecture sets its leaders' reception days" },
    { .name = NULL }
};
static const fg_column_t s_reception_day_columns [] = {
    { "version",       FG_COL_INT,  "schedule", REQ, NULL, "version; only a higher one applies" },
    { "leader_cadre_id", FG_COL_ID, "schedule", REQ, NULL, "leader who receives" },
    { "held_on",       FG_COL_DATE, "schedule", REQ, NULL, "day of the reception (DOMAIN.md `date`)" },
    { "location",      FG_COL_TEXT, "schedule", 0, NULL, "where" },
    { "cancelled",     FG_COL_BOOL, "schedule", 0, NULL, "called off (a later version)" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Publicity and education (DOMAIN.md §2.7)

static const fg_column_t s_publicity_event_columns [] = {
    { "organizer_unit", FG_COL_TEXT, NULL, 0, NULL, "organising unit" },
    { "method",        FG_COL_ENUM, NULL, REQ,
      "mission_guidance_book|thematic_lecture|model_lecture|face_to_face|performance|science_health_law_lecture|outing|traditional_media|new_media|landscape_design|newspaper_reading",
      "method (newspaper_reading: one day a month)" },
    { "theme",         FG_COL_ENUM, NULL, 0, "patriotism|law_abiding|gratitude", "theme" },
    { "audience",      FG_COL_TEXT, NULL, 0, NULL, "comma-separated: farmers, herdsmen, monastics, students" },
    { "audience_count", FG_COL_INT, NULL, 0, NULL, "people reached" },
    { "language",      FG_COL_ENUM, NULL, 0, "tibetan|mandarin|bilingual", "language used" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "date" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Party branches (DOMAIN.md §2.8)

static const fg_group_t s_party_branch_groups [] = {
    { "registry", C | P, "the organisation department: the prefecture's for prefecture-level "
                         "branches, the county's for the others" },
    { .name = NULL }
};
static const fg_column_t s_party_branch_columns [] = {
    { "name",          FG_COL_TEXT, "registry", REQ, NULL, "name" },
    { "level",         FG_COL_ENUM, "registry", 0, "prefecture|county|township|village", "level" },
    { "host_work_unit_id", FG_COL_ID, "registry", 0, NULL, "host work unit (a village branch's host is its org_id)" },
    { "kind",          FG_COL_ENUM, "registry", 0,
      "organ|enterprise|institution|agricultural_village|pastoral_village", "kind of branch" },
    { "secretary_id",  FG_COL_ID,   "registry", 0, NULL, "secretary (a cadre, or a person for a village branch)" },
    { "member_count",  FG_COL_INT,  "registry", 0, NULL, "party members" },
    { "grade",         FG_COL_ENUM, "registry", 0, "advanced|middle|weak", "grade (三分类)" },
    { "status",        FG_COL_ENUM, "registry", 0, "active|merged|dissolved", "status" },
    { "valid_from",    FG_COL_DATE, "registry", 0, NULL, "exists from" },
    { "valid_to",      FG_COL_DATE, "registry", 0, NULL, "day after the last" },
    { .name = NULL }
};

static const fg_group_t s_branch_pairing_groups [] = {
    { "plan", C | P, "the prefecture pairs its organ branches, the county the others" },
    { .name = NULL }
};
static const fg_column_t s_branch_pairing_columns [] = {
    { "organ_branch_id", FG_COL_ID, "plan", REQ | IDX, NULL, "organ, enterprise or institution branch" },
    { "village_branch_id", FG_COL_ID, "plan", REQ | IDX, NULL, "village branch (never changes: a new pairing instead, B3)" },
    { "start_on",      FG_COL_DATE, "plan", 0, NULL, "first day" },
    { "end_on",        FG_COL_DATE, "plan", 0, NULL, "ended on" },
    { "lock_until",    FG_COL_DATE, "plan", 0, NULL, "start_on + 3 years for a prefecture-level organ branch (B3)" },
    { "letter_signed_on", FG_COL_DATE, "plan", 0, NULL, "co-construction letter (共建责任书) signed (B5)" },
    { "override_directive_id", FG_COL_ID, "plan", 0, NULL, "prefecture directive that overrode the lock (reported)" },
    { .name = NULL }
};

static const fg_column_t s_coconstruction_activity_columns [] = {
    { "branch_pairing_id", FG_COL_ID, NULL, REQ, NULL, "branch pairing" },
    { "kind",          FG_COL_ENUM, NULL, REQ,
      "joint_study|measure_formulation|help_poor_member|develop_member|joint_promotion", "activity" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "date" },
    { "notes",         FG_COL_TEXT, NULL, 0, NULL, "notes" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Happiness project (DOMAIN.md §2.9)

static const fg_group_t s_happiness_project_groups [] = {
    { "project", C | P, "the county, or the prefecture for projects it funds" },
    { .name = NULL }
};
static const fg_column_t s_happiness_project_columns [] = {
    { "name",          FG_COL_TEXT, "project", REQ, NULL, "name" },
    { "action",        FG_COL_ENUM, "project", REQ,
      "housing|labor_income|social_security|education_aid|health_care|cultural_sharing|drinking_water|power|transport|demonstration_village",
      "which of the ten actions" },
    { "six_system",    FG_COL_ENUM, "project", 0, "system_1|system_2|system_3|system_4|system_5|system_6",
      "which of the decision's \"six systems\" (not defined there: placeholders)" },
    { "scope_org_units", FG_COL_TEXT, "project", 0, NULL, "comma-separated codes of the units it covers" },
    { "budget_fen",    FG_COL_FEN,  "project", 0, NULL, "budget, fen" },
    { "funding_source", FG_COL_TEXT, "project", 0, NULL, "where the money comes from" },
    { "planned_start", FG_COL_DATE, "project", 0, NULL, "planned start" },
    { "planned_end",   FG_COL_DATE, "project", 0, NULL, "planned end" },
    { "target_beneficiaries", FG_COL_INT, "project", 0, NULL, "people or households it should reach" },
    { "status",        FG_COL_ENUM, "project", 0, "planned|in_progress|completed|suspended|cancelled", "status" },
    { "disclosure_required", FG_COL_BOOL, "project", 0, NULL, "must be disclosed before the first spend and after (D2)" },
    { .name = NULL }
};

static const fg_column_t s_project_progress_columns [] = {
    { "project_id",    FG_COL_ID,   NULL, REQ, NULL, "project" },
    { "milestone",     FG_COL_TEXT, NULL, 0, NULL, "milestone reached" },
    { "progress_permille", FG_COL_INT, NULL, 0, NULL, "progress, per mille (DOMAIN.md `pct`; 1000 = done)" },
    { "spent_fen",     FG_COL_FEN,  NULL, 0, NULL, "spent so far, fen" },
    { "beneficiaries_reached", FG_COL_INT, NULL, 0, NULL, "people or households reached so far" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "date" },
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
    { "directive_id",  FG_COL_ID,   NULL, REQ | IDX, NULL, "directive acknowledged" },
    { "node_id",       FG_COL_INT,  NULL, REQ, NULL, "acknowledging node" },
    { "state",         FG_COL_ENUM, NULL, REQ, "received|applied|completed|refused", "state" },
    { "reason",        FG_COL_TEXT, NULL, 0, NULL, "why refused" },
    { "result_ref",    FG_COL_TEXT, NULL, 0, NULL, "reference to the result" },
    { "occurred_on",   FG_COL_DATE, NULL, 0, NULL, "date" },
    { .name = NULL }
};

//  The owner's decision on a proposal (a write to a field group the
//  author's tier does not own, kept by the merge as op outcome
//  'proposal'): accepted (the owner applied the fields as its own write,
//  in the same entry) or rejected, with the reason. Its org_id is the
//  proposal's anchor, so it travels down to the township that proposed.
static const fg_column_t s_proposal_decision_columns [] = {
    { "origin",        FG_COL_INT,  NULL, REQ, NULL, "node that proposed", "提议节点" },
    { "seq",           FG_COL_INT,  NULL, REQ, NULL, "its entry", "提议条目" },
    { "idx",           FG_COL_INT,  NULL, REQ, NULL, "the op in that entry", "操作序号" },
    { "tbl",           FG_COL_TEXT, NULL, REQ, NULL, "table of the proposed write", "表" },
    { "row_id",        FG_COL_ID,   NULL, REQ, NULL, "record it would change", "记录编号" },
    { "field_group",   FG_COL_TEXT, NULL, 0, NULL, "field group proposed", "字段组" },
    { "decision",      FG_COL_ENUM, NULL, REQ, "accepted|rejected", "the owner's decision", "决定" },
    { "reason",        FG_COL_TEXT, NULL, 0, NULL, "why (required for a rejection)", "理由" },
    { "proposal_author", FG_COL_TEXT, NULL, 0, NULL, "who proposed it", "提议人" },
    { "occurred_on",   FG_COL_DATE, NULL, 0, NULL, "date decided", "决定日期" },
    { .name = NULL }
};

//  The programme's parameters (DOMAIN.md §3: windows, visit rates,
//  capacities, G_new, grace, the skew bound), issued by the prefecture as
//  versioned metadata that every node holds (a directive kind
//  parameter_update may announce them). One row per name and version; the
//  rules read, per name, the row of the highest version (fg_rules.h), and
//  use the defaults of version 0 (fg_rules_params.c) for a name with no row.
static const fg_group_t s_rule_param_groups [] = {
    { "param", P, "the prefecture issues the programme's parameters" },
    { .name = NULL }
};
static const fg_column_t s_rule_param_columns [] = {
    { "version",       FG_COL_INT,  "param", REQ, NULL, "version; the highest of a name applies" },
    { "name",          FG_COL_TEXT, "param", REQ, NULL, "parameter (fugai findings --params lists them)" },
    { "value",         FG_COL_INT,  "param", REQ, NULL, "value: days, counts or per mille" },
    { "note",          FG_COL_TEXT, "param", 0, NULL, "why it changed" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Periodic reports and judgment meetings (DOMAIN.md §2.11)

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

static const fg_column_t s_report_submission_columns [] = {
    { "schedule_id",   FG_COL_ID,   NULL, REQ, NULL, "report schedule" },
    { "period_id",     FG_COL_TEXT, NULL, REQ, NULL,
      "period: 2013-W05, 2013-01A/B, 2013-01, 2013Q1, 2013H1, 2013, PY2012" },
    { "reporter_unit", FG_COL_TEXT, NULL, 0, NULL, "reporting committee or office" },
    { "frontier",      FG_COL_TEXT, NULL, 0, NULL, "JSON {origin: seq} of the data the figures come from (R3)" },
    { "aggregates",    FG_COL_TEXT, NULL, 0, NULL, "JSON of the figures (integers, no floats)" },
    { "narrative",     FG_COL_TEXT, NULL, 0, NULL, "text of the report" },
    { "version",       FG_COL_INT,  NULL, 0, NULL, "1, then one more per corrected resubmission" },
    { .name = NULL }
};

//  Report review: the DHIS2 approval chain (DOMAIN.md §2.11, §8.1) as a
//  workflow case, one per submission, opened by the reporter (its node
//  writes the intake next to the submission), who owns it first.
//
//      approve    SUBMITTED|ACCEPTED|UNAPPROVED -> APPROVED   by the owner
//                 The level that holds the report signs it off: the
//                 reporter first, then each level that accepted it.
//      unapprove  APPROVED -> UNAPPROVED    by the owner or a unit above
//                 Takes a sign-off back before the level above accepts it
//                 (DHIS2: "by the same level or higher"); the owner stays,
//                 and must approve again (say, after post-approval deltas).
//      accept     APPROVED -> ACCEPTED      by a unit above; owner moves UP
//                 to the accepting unit. This is DHIS2's optional
//                 accept made the only way up: ownership is what freezes
//                 the report against the level below, which from then on
//                 is neither owner nor above, so its approve or unapprove
//                 is rejected by the fold (as DHIS2 locks approved data).
//      return     any non-terminal -> RETURNED   by the owner or a unit above;
//                 owner moves DOWN to to_owner_unit (normally the reporter,
//                 which must send a new version: a submission is an
//                 immutable event, so its review ends here; the reporter
//                 may also take back its own submission this way).
//
//  So a township's weekly judgment goes SUBMITTED -> APPROVED (township) ->
//  ACCEPTED (county) -> APPROVED (county) -> ACCEPTED (prefecture) ->
//  APPROVED (prefecture); owner_org says which level holds it, which is
//  DHIS2's HERE / ELSEWHERE. A county's own report starts at the county.
static const fg_group_t s_report_review_groups [] = {
    { "intake", FG_TIER_ANY, "opened by the reporter with its submission" },
    { .name = NULL }
};
static const fg_column_t s_report_review_columns [] = {
    { "submission_id", FG_COL_ID,   "intake", REQ, NULL, "report submission under review" },
    { "schedule_id",   FG_COL_ID,   "intake", 0, NULL, "its schedule" },
    { "period_id",     FG_COL_TEXT, "intake", 0, NULL, "its period" },
    CASE_FOLD_COLUMNS ("intake"),
    { .name = NULL }
};
static const fg_column_t s_report_review_event_columns [] = {
    { "review_id",     FG_COL_ID,   NULL, REQ, NULL, "the review" },
    { "transition",    FG_COL_ENUM, NULL, REQ, "approve|unapprove|accept|return", "approval step" },
    { "to_owner_unit", FG_COL_ORG,  NULL, 0, NULL, "return: unit the report goes back to (the reporter)" },
    { "actor_cadre_id", FG_COL_ID,  NULL, 0, NULL, "cadre who acted" },
    { "note",          FG_COL_TEXT, NULL, 0, NULL, "comments" },
    { "occurred_on",   FG_COL_DATE, NULL, 0, NULL, "date" },
    EVENT_FOLD_COLUMNS,
    { .name = NULL }
};
static const fg_transition_t s_report_review_transitions [] = {
    { "approve",   "SUBMITTED|ACCEPTED|UNAPPROVED", "APPROVED",   FG_WHO_OWNER, FG_OWNER_KEEP },
    { "unapprove", "APPROVED",                      "UNAPPROVED", FG_WHO_OWNER | FG_WHO_ABOVE, FG_OWNER_KEEP },
    { "accept",    "APPROVED",                      "ACCEPTED",   FG_WHO_ABOVE, FG_OWNER_UP },
    { "return",    "*",                             "RETURNED",   FG_WHO_OWNER | FG_WHO_ABOVE, FG_OWNER_DOWN },
    { .name = NULL }
};
static const fg_workflow_t s_report_review_workflow = {
    .event_table = "report_review_event", .case_column = "review_id", .transition_column = "transition",
    .owner_column = "to_owner_unit", .initial = "SUBMITTED", .terminal = "RETURNED",
    .transitions = s_report_review_transitions
};

//  R2 (anti-backdating) needs the time the first hub took a report from
//  its author, which only that hub knows (each node stamps its own
//  receipt). The hub records it as a fact of its own, written in the
//  transaction that took the report (fg_submission_receipts, the
//  programme's on_from_child hook), so every tier judges R2 alike.
static const fg_column_t s_report_receipt_columns [] = {
    { "submission_id", FG_COL_ID,   NULL, REQ | IDX, NULL, "the report submission taken" },
    { "author_node",   FG_COL_INT,  NULL, 0, NULL, "the node that wrote it (a child of the hub)" },
    { "received_ms",   FG_COL_INT,  NULL, 0, NULL, "when the hub took it (ms since 1970, the hub's clock)" },
    { "gap_ms",        FG_COL_INT,  NULL, 0, NULL, "how long after the time it says it was written" },
    { "offline_authored", FG_COL_BOOL, NULL, 0, NULL, "1 if more than the skew bound: OFFLINE_AUTHORED" },
    { .name = NULL }
};

static const fg_column_t s_meeting_record_columns [] = {
    { "kind",          FG_COL_ENUM, NULL, REQ, "joint|judgment", "joint meeting (联席会议) or special judgment (专题研判)" },
    { "level",         FG_COL_ENUM, NULL, 0, "prefecture|county|township", "level" },
    { "convenor",      FG_COL_TEXT, NULL, 0, NULL, "convening unit (the county organisation department)" },
    { "attendee_units", FG_COL_TEXT, NULL, 0, NULL, "units that attended" },
    { "invited",       FG_COL_TEXT, NULL, 0, NULL, "party representatives, NPC deputies, CPPCC members invited" },
    { "topics",        FG_COL_TEXT, NULL, 0, NULL, "topics" },
    { "decisions",     FG_COL_TEXT, NULL, 0, NULL, "decisions (the directives that follow cite this meeting)" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "date" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Assessment (DOMAIN.md §2.12)

static const fg_column_t s_assessment_columns [] = {
    { "subject_kind",  FG_COL_ENUM, NULL, REQ,
      "county|prefecture_department|township|county_department|cadre", "what is assessed" },
    { "subject_id",    FG_COL_ID,   NULL, 0, NULL, "work unit or cadre assessed (a county or township: org_id)" },
    { "cycle",         FG_COL_ENUM, NULL, REQ, "dynamic|year_end", "dynamic tracking or year-end" },
    { "cycle_year",    FG_COL_INT,  NULL, 0, NULL, "year assessed" },
    { "dimension",     FG_COL_ENUM, NULL, REQ, "organizational|social|mass", "evaluation dimension" },
    { "indicator_scores", FG_COL_TEXT, NULL, 0, NULL, "JSON {indicator: integer score}" },
    { "weight_permille", FG_COL_INT, NULL, 0, NULL, "weight of this dimension, per mille (they sum to 1000, S2)" },
    { "evaluator_unit", FG_COL_TEXT, NULL, 0, NULL, "assessing unit" },
    { "evidence_refs", FG_COL_TEXT, NULL, 0, NULL, "comma-separated ids of the evidence" },
    { "grade",         FG_COL_ENUM, NULL, 0, "excellent|good|pass|poor", "grade" },
    { "consequence",   FG_COL_ENUM, NULL, 0, "none|admonish|rectify|organizational_adjustment",
      "admonishment (诫勉), rectification within a limit, organisational adjustment" },
    { "occurred_on",   FG_COL_DATE, NULL, 0, NULL, "date" },
    { .name = NULL }
};

static const fg_column_t s_mass_evaluation_response_columns [] = {
    { "household_id",  FG_COL_ID,   NULL, 0, NULL, "responding contact object (household)" },
    { "unit_id",       FG_COL_ID,   NULL, 0, NULL, "responding contact unit" },
    { "about_cadre_id", FG_COL_ID,  NULL, 0, NULL, "cadre evaluated" },
    { "about_unit_id", FG_COL_ID,   NULL, 0, NULL, "unit evaluated" },
    { "score",         FG_COL_INT,  NULL, REQ, NULL, "score, 0 to 100" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "date" },
    { .name = NULL }
};

static const fg_column_t s_spot_check_columns [] = {
    { "checker_level", FG_COL_ENUM, NULL, 0, "county|prefecture", "level of the checkers" },
    { "target_kind",   FG_COL_ENUM, NULL, REQ,
      "household|cadre|pairing|religious_site|work_unit|township|county|other", "what was checked" },
    { "target_id",     FG_COL_ID,   NULL, 0, NULL, "id of what was checked" },
    { "findings",      FG_COL_TEXT, NULL, REQ, NULL, "findings" },
    { "rectification_directive_id", FG_COL_ID, NULL, 0, NULL, "directive ordering rectification" },
    { "occurred_on",   FG_COL_DATE, NULL, 0, NULL, "date" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
//  Commendation ("126 11", every July; DOMAIN.md §2.13)

static const fg_group_t s_commendation_cycle_groups [] = {
    { "cycle", P, "the prefecture sets each year's window and quotas" },
    { .name = NULL }
};
static const fg_column_t s_commendation_cycle_columns [] = {
    { "version",       FG_COL_INT,  "cycle", REQ, NULL, "version; only a higher one applies" },
    { "year",          FG_COL_INT,  "cycle", REQ, NULL, "year of the commendation" },
    { "window_start",  FG_COL_DATE, "cycle", 0, NULL, "first day of awards (Y-07-01)" },
    { "window_end",    FG_COL_DATE, "cycle", 0, NULL, "last day of awards (Y-07-31)" },
    { "quota_county_party_secretary", FG_COL_INT, "cycle", 0, NULL, "outstanding county party secretaries (1)" },
    { "quota_county_magistrate", FG_COL_INT, "cycle", 0, NULL, "outstanding county magistrates (1)" },
    { "quota_township_party_secretary", FG_COL_INT, "cycle", 0, NULL, "outstanding township party secretaries (20)" },
    { "quota_township_head", FG_COL_INT, "cycle", 0, NULL, "outstanding township heads (20)" },
    { "quota_village_branch_secretary", FG_COL_INT, "cycle", 0, NULL, "village branch secretaries (60)" },
    { "open_categories", FG_COL_TEXT, "cycle", 0, NULL,
      "comma-separated categories without quota (harmonious_temple, model_monastic, ...)" },
    { .name = NULL }
};

//  Nominations: a workflow case, opened by the county (or the prefecture),
//  decided by the prefecture. As for kinship claims, "by the prefecture"
//  is the event table's authors (P: a county's review, award or withdrawal
//  is rejected not_author) and the fold confines it to the case's owner or
//  a unit above it. A county that wants its nomination dropped says so in
//  the intake (withdrawal_requested); the prefecture withdraws it.
static const fg_group_t s_nomination_groups [] = {
    { "intake", C | P, "the nominating county or the prefecture" },
    { .name = NULL }
};
static const fg_column_t s_nomination_columns [] = {
    { "year",          FG_COL_INT,  "intake", REQ, NULL, "commendation year" },
    { "category",      FG_COL_ENUM, "intake", REQ,
      "county_party_secretary|county_magistrate|township_party_secretary|township_head|village_branch_secretary|harmonious_temple|model_monastic|advanced_unit|advanced_worker",
      "category" },
    { "nominee_cadre_id", FG_COL_ID, "intake", 0, NULL, "nominated cadre" },
    { "nominee_site_id", FG_COL_ID, "intake", 0, NULL, "nominated temple" },
    { "nominee_unit_id", FG_COL_ID, "intake", 0, NULL, "nominated work unit" },
    { "nominee_monastic_id", FG_COL_ID, "intake", 0, NULL, "nominated monk or nun" },
    { "nominating_unit", FG_COL_TEXT, "intake", 0, NULL, "nominating unit" },
    { "evidence",      FG_COL_TEXT, "intake", 0, NULL, "comma-separated assessment ids" },
    { "nominated_on",  FG_COL_DATE, "intake", 0, NULL, "date of the nomination" },
    { "withdrawal_requested", FG_COL_BOOL, "intake", 0, NULL, "the nominator asks the prefecture to withdraw it" },
    CASE_FOLD_COLUMNS ("intake"),
    { .name = NULL }
};
static const fg_column_t s_nomination_event_columns [] = {
    { "nomination_id", FG_COL_ID,   NULL, REQ | IDX, NULL, "the nomination" },
    { "transition",    FG_COL_ENUM, NULL, REQ, "review|publicize|award|withdraw", "the prefecture's step" },
    { "publicity_until", FG_COL_DATE, NULL, 0, NULL, "publicize: last day of the public notice (公示)" },
    { "actor_cadre_id", FG_COL_ID,  NULL, 0, NULL, "cadre who acted" },
    { "note",          FG_COL_TEXT, NULL, 0, NULL, "note" },
    { "occurred_on",   FG_COL_DATE, NULL, 0, NULL, "date" },
    EVENT_FOLD_COLUMNS,
    { .name = NULL }
};
static const fg_transition_t s_nomination_transitions [] = {
    { "review",    "NOMINATED",  "REVIEWED",   FG_WHO_OWNER | FG_WHO_ABOVE, FG_OWNER_KEEP },
    { "publicize", "REVIEWED",   "PUBLICIZED", FG_WHO_OWNER | FG_WHO_ABOVE, FG_OWNER_KEEP },
    { "award",     "PUBLICIZED", "AWARDED",    FG_WHO_OWNER | FG_WHO_ABOVE, FG_OWNER_KEEP },
    { "withdraw",  "*",          "WITHDRAWN",  FG_WHO_OWNER | FG_WHO_ABOVE, FG_OWNER_KEEP },
    { .name = NULL }
};
static const fg_workflow_t s_nomination_workflow = {
    .event_table = "nomination_event", .case_column = "nomination_id", .transition_column = "transition",
    .owner_column = NULL, .initial = "NOMINATED", .terminal = "AWARDED|WITHDRAWN",
    .transitions = s_nomination_transitions
};

//  -------------------------------------------------------------------------
//  Sunshine disclosure (DOMAIN.md §2.14)

static const fg_column_t s_disclosure_columns [] = {
    { "category",      FG_COL_ENUM, NULL, REQ,
      "poverty_project|use_of_funds|revenue_expenditure|dibao|new_rural_pension|party_affairs|government_affairs|village_affairs",
      "what is disclosed" },
    { "period_id",     FG_COL_TEXT, NULL, 0, NULL, "period covered (as report periods)" },
    { "items",         FG_COL_TEXT, NULL, 0, NULL, "JSON: beneficiary list or amounts (fen)" },
    { "posted_on",     FG_COL_DATE, NULL, REQ, NULL, "posted on" },
    { "posted_until",  FG_COL_DATE, NULL, 0, NULL, "taken down on" },
    { "channel",       FG_COL_ENUM, NULL, 0, "notice_board|broadcast|online", "where" },
    { "version",       FG_COL_INT,  NULL, 0, NULL, "version of this disclosure" },
    { "supersedes_id", FG_COL_ID,   NULL, 0, NULL, "disclosure this one replaces (the only correction)" },
    { "project_id",    FG_COL_ID,   NULL, 0, NULL, "happiness or poverty project disclosed (D2)" },
    { .name = NULL }
};

static const fg_column_t s_disclosure_objection_columns [] = {
    { "disclosure_id", FG_COL_ID,   NULL, REQ, NULL, "disclosure objected to" },
    { "objector_name", FG_COL_TEXT, NULL, 0, NULL, "who objects" },
    { "objector_household_id", FG_COL_ID, NULL, 0, NULL, "the objector's household" },
    { "item",          FG_COL_TEXT, NULL, 0, NULL, "item disputed" },
    { "reason",        FG_COL_TEXT, NULL, REQ, NULL, "objection" },
    { "appeal_id",     FG_COL_ID,   NULL, 0, NULL, "appeal opened for it (A4: within 3 days)" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "date" },
    { .name = NULL }
};

static const fg_column_t s_major_decision_hearing_columns [] = {
    { "decision_ref",  FG_COL_TEXT, NULL, REQ, NULL, "the major decision" },
    { "kind",          FG_COL_ENUM, NULL, REQ, "public_notice|hearing", "public notice (公示) or hearing (听证)" },
    { "occurred_on",   FG_COL_DATE, NULL, REQ, NULL, "held or posted on" },
    { "posted_until",  FG_COL_DATE, NULL, 0, NULL, "end of the notice period" },
    { "participants",  FG_COL_TEXT, NULL, 0, NULL, "who took part" },
    { "outcome",       FG_COL_TEXT, NULL, 0, NULL, "outcome" },
    { "risk_assessment_id", FG_COL_ID, NULL, 0, NULL, "stability risk assessment of the decision" },
    { .name = NULL }
};

//  -------------------------------------------------------------------------
const fg_table_t fg_catalogue_tables [] = {
    //  §2.1 Organisation and people
    { .name = "org_unit", .cls = FG_CLASS_REGISTRY, .authors = P, .flags = FG_TABLE_ID_IS_ORG,
      .anchor_group = "registry", .groups = s_org_unit_groups, .columns = s_org_unit_columns,
      .doc = "administrative units; the id is the statistical division code, and org_id is that same code" },
    { .name = "org_unit_group_set", .cls = FG_CLASS_REGISTRY, .authors = P, .anchor_group = "registry",
      .groups = s_org_unit_group_set_groups, .columns = s_org_unit_group_set_columns,
      .doc = "sets of org unit groups (DHIS2 group sets); org_id is the prefecture, so every node holds them" },
    { .name = "org_unit_group", .cls = FG_CLASS_REGISTRY, .authors = P, .anchor_group = "registry",
      .groups = s_org_unit_group_groups, .columns = s_org_unit_group_columns,
      .doc = "groups of org units (pastoral, remoteness class, hydropower area); "
             "org_id is the prefecture, so every node holds them" },
    { .name = "work_unit", .cls = FG_CLASS_REGISTRY, .authors = C | P, .anchor_group = "registry",
      .groups = s_work_unit_groups, .columns = s_work_unit_columns,
      .doc = "organs, institutions and enterprises (机关/企事业单位); org_id is the unit of its level where "
             "it sits: the prefecture's code for a prefecture unit (only the prefecture can write that), "
             "its county's or township's code otherwise" },
    { .name = "cadre", .down = FG_DOWN_REFERENCED, .cls = FG_CLASS_REGISTRY, .authors = C | P, .anchor_group = "hr",
      .groups = s_cadre_groups, .columns = s_cadre_columns,
      .doc = "public employees; org_id is where the cadre works or is stationed" },
    { .name = "work_team", .cls = FG_CLASS_REGISTRY, .authors = C, .anchor_group = "team",
      .groups = s_work_team_groups, .columns = s_work_team_columns,
      .doc = "small teams and resident work teams (小分队/驻村工作组); org_id is the smallest unit "
             "containing the units it serves" },
    { .name = "household", .cls = FG_CLASS_REGISTRY, .authors = E, .anchor_group = "reg",
      .groups = s_household_groups, .columns = s_household_columns,
      .doc = "farming and herding households; org_id is the registered village" },
    { .name = "household_split", .cls = FG_CLASS_EVENT, .authors = E, .columns = s_household_split_columns,
      .doc = "household splits (they cascade into pairing); org_id is the village of the household that split" },
    { .name = "household_merge", .cls = FG_CLASS_EVENT, .authors = E, .columns = s_household_merge_columns,
      .doc = "household merges (they cascade into pairing); org_id is the village of the surviving household" },
    { .name = "person", .cls = FG_CLASS_REGISTRY, .authors = E, .anchor_group = "reg",
      .groups = s_person_groups, .columns = s_person_columns,
      .doc = "members of households; org_id is the household's village" },

    //  §2.2 Pairing
    { .name = "pairing", .cls = FG_CLASS_ASSIGNMENT, .authors = C, .anchor_group = "plan",
      .groups = s_pairing_groups, .columns = s_pairing_columns, .route = "cadre_org",
      .doc = "cadre-household pairings (结对认亲); org_id is the household's village; the pair also "
             "reaches the township of its cadre (cadre_org)" },
    { .name = "pairing_provisional", .cls = FG_CLASS_EVENT, .authors = E,
      .columns = s_pairing_provisional_columns,
      .doc = "pairings a township makes offline for households unpaired past G_new, until the county's "
             "next plan confirms or supersedes them (§4.6); org_id is the household's village" },
    { .name = "kinship_claim", .cls = FG_CLASS_CASE, .authors = E | C, .anchor_group = "claim",
      .groups = s_kinship_claim_groups, .columns = s_kinship_claim_columns,
      .workflow = &s_kinship_claim_workflow,
      .doc = "claims that a cadre is a household's relative (the cadre_relative form), decided by the "
             "county; org_id is the household's village" },
    { .name = "kinship_claim_event", .cls = FG_CLASS_EVENT, .authors = C,
      .columns = s_kinship_claim_event_columns,
      .doc = "the county's decisions on kinship claims, folded into their state; org_id is the claim's" },
    { .name = "pairing_plan", .cls = FG_CLASS_EVENT, .flags = FG_TABLE_NO_VOID,  /* immutable: a plan is replaced by its next version */
      .authors = C, .columns = s_pairing_plan_columns,
      .doc = "a county's immutable pairing plans, a chain of versions (§4.6); org_id is the county" },

    //  §2.3 Temples and churches
    { .name = "religious_site", .cls = FG_CLASS_REGISTRY, .authors = C, .anchor_group = "registry",
      .groups = s_religious_site_groups, .columns = s_religious_site_columns,
      .doc = "temples and churches (寺庙/教堂); org_id is the township or village where the site stands, "
             "so that township holds it and may propose" },
    { .name = "religious_representative", .cls = FG_CLASS_REGISTRY, .authors = C, .anchor_group = "registry",
      .groups = s_religious_representative_groups, .columns = s_religious_representative_columns,
      .doc = "religious representative persons (代表人士); org_id is their site's unit, or where they "
             "live if tied to no site" },
    { .name = "monastic", .cls = FG_CLASS_REGISTRY, .authors = C, .anchor_group = "archive",
      .groups = s_monastic_groups, .columns = s_monastic_columns,
      .doc = "archive of monks and nuns (僧尼档案); org_id is their site's unit" },
    { .name = "temple_contact", .cls = FG_CLASS_ASSIGNMENT, .authors = C | P, .anchor_group = "contact",
      .groups = s_temple_contact_groups, .columns = s_temple_contact_columns,
      .doc = "leaders' contacts with sites and representatives (同心同向); org_id is the prefecture for a "
             "prefecture leader's contact (only the prefecture can write it), the site's (or the "
             "representative's) unit for a county leader's (so a county contacts only its own, T5)" },
    { .name = "temple_engagement", .cls = FG_CLASS_EVENT, .authors = FG_TIER_ANY,
      .columns = s_temple_engagement_columns,
      .doc = "what contact cadres do at sites (the seven ones); org_id is the site's unit" },

    //  §2.4 Vulnerable groups
    { .name = "vulnerable_person", .cls = FG_CLASS_REGISTRY, .authors = E, .anchor_group = "ident",
      .groups = s_vulnerable_person_groups, .columns = s_vulnerable_person_columns,
      .doc = "vulnerable people (爱心帮扶); org_id is the person's village (a monastic's: the site's unit)" },
    { .name = "love_pairing", .cls = FG_CLASS_ASSIGNMENT, .authors = C, .anchor_group = "plan",
      .groups = s_love_pairing_groups, .columns = s_love_pairing_columns,
      .doc = "love pairings (爱心结对), mandatory for orphans; org_id is the vulnerable person's village" },
    { .name = "assistance_record", .cls = FG_CLASS_EVENT, .flags = FG_TABLE_NO_VOID,  /* corrected only by a reversal record (reverses_id) */
      .authors = E | C,
      .columns = s_assistance_record_columns,
      .doc = "assistance given; corrected only by reversal records; org_id is the beneficiary's village "
             "(a monastic's: the site's unit)" },

    //  §2.5 Visits and the six must-visit rule
    { .name = "must_visit_trigger", .cls = FG_CLASS_EVENT, .authors = E,
      .columns = s_must_visit_trigger_columns,
      .doc = "six must-visit triggers, recorded by the township (which expands the county's or "
             "prefecture's disaster and festival directives per household); org_id is the household's village" },
    { .name = "visit", .cls = FG_CLASS_EVENT, .authors = E | C | P, .columns = s_visit_columns,
      .doc = "visits; org_id is the visited household's or site's unit" },

    //  §2.6 Appeals
    { .name = "appeal", .cls = FG_CLASS_CASE, .authors = FG_TIER_ANY, .anchor_group = "intake",
      .groups = s_appeal_groups, .columns = s_appeal_columns, .workflow = &s_appeal_workflow,
      .doc = "appeals and petitions (诉求/信访); org_id is the appellant's unit" },
    { .name = "appeal_event", .cls = FG_CLASS_EVENT, .authors = FG_TIER_ANY,
      .columns = s_appeal_event_columns,
      .doc = "what happens to an appeal, folded into its state in (hlc, origin, seq) order; "
             "org_id is the appeal's" },
    { .name = "stability_risk_assessment", .down = FG_DOWN_UP_ONLY, .cls = FG_CLASS_EVENT, .authors = C | P,
      .columns = s_stability_risk_assessment_columns,
      .doc = "social stability risk assessments of major decisions; org_id is the unit the decision concerns" },
    { .name = "reception_day", .cls = FG_CLASS_META, .authors = C | P, .anchor_group = "schedule",
      .groups = s_reception_day_groups, .columns = s_reception_day_columns,
      .doc = "leaders' public reception days; org_id is the unit whose leader receives" },

    //  §2.7 Publicity and education
    { .name = "publicity_event", .cls = FG_CLASS_EVENT, .authors = FG_TIER_ANY,
      .columns = s_publicity_event_columns,
      .doc = "publicity and education (宣传教育); org_id is the unit where it was held" },

    //  §2.8 Party branches
    { .name = "party_branch", .cls = FG_CLASS_REGISTRY, .authors = C | P, .anchor_group = "registry",
      .groups = s_party_branch_groups, .columns = s_party_branch_columns,
      .doc = "party branches; org_id is the host's unit: the prefecture for a prefecture-level branch "
             "(only the prefecture can write it), the county, township or village otherwise" },
    { .name = "branch_pairing", .cls = FG_CLASS_ASSIGNMENT, .authors = C | P, .anchor_group = "plan",
      .groups = s_branch_pairing_groups, .columns = s_branch_pairing_columns,
      .doc = "organ branch and village branch pairings (共建共创); org_id is the prefecture for a "
             "prefecture-level organ branch's (only the prefecture can write it: the 3-year lock), "
             "the village branch's village otherwise" },
    { .name = "coconstruction_activity", .cls = FG_CLASS_EVENT, .authors = FG_TIER_ANY,
      .columns = s_coconstruction_activity_columns,
      .doc = "activities of paired branches; org_id is the village branch's village" },

    //  §2.9 Happiness project
    { .name = "happiness_project", .cls = FG_CLASS_REGISTRY, .authors = C | P, .anchor_group = "project",
      .groups = s_happiness_project_groups, .columns = s_happiness_project_columns,
      .doc = "happiness projects (幸福工程); org_id is the prefecture for a prefecture-funded project "
             "(only the prefecture can write it), else the smallest unit containing its scope" },
    { .name = "project_progress", .cls = FG_CLASS_EVENT, .authors = E | C,
      .columns = s_project_progress_columns,
      .doc = "progress of happiness projects; org_id is the unit where it was recorded, inside the "
             "project's scope" },

    //  §2.10 Directives
    { .name = "directive", .cls = FG_CLASS_EVENT, .flags = FG_TABLE_NO_VOID,  /* immutable: revoked by a new directive (supersedes_id) */
      .authors = C | P, .columns = s_directive_columns,
      .doc = "directives; org_id is the target subtree" },
    { .name = "directive_ack", .cls = FG_CLASS_EVENT, .authors = FG_TIER_ANY,
      .columns = s_directive_ack_columns,
      .doc = "acknowledgements of directives; org_id is the acknowledging node's unit" },
    { .name = "proposal_decision", .cls = FG_CLASS_EVENT, .flags = FG_TABLE_NO_VOID,  /* a decision stands */
      .authors = C | P, .columns = s_proposal_decision_columns,
      .doc = "the owner's decision on a proposal (accepted: applied in the same entry; rejected: the reason "
             "travels back); org_id is the proposal's anchor" },

    { .name = "rule_param", .cls = FG_CLASS_META, .authors = P, .anchor_group = "param",
      .groups = s_rule_param_groups, .columns = s_rule_param_columns,
      .doc = "the programme's parameters for the rules of §3 (windows, rates, capacities, grace), "
             "versioned; org_id is the prefecture, so every node holds them" },

    //  §2.11 Periodic reports and judgment meetings
    { .name = "report_schedule", .cls = FG_CLASS_META, .authors = P, .anchor_group = "schedule",
      .groups = s_report_schedule_groups, .columns = s_report_schedule_columns,
      .doc = "reporting cadences; org_id is the prefecture, so every node holds them" },
    { .name = "report_submission", .down = FG_DOWN_UP_ONLY, .cls = FG_CLASS_EVENT, .flags = FG_TABLE_NO_VOID,  /* a new version replaces it */
      .authors = FG_TIER_ANY,
      .columns = s_report_submission_columns,
      .doc = "periodic reports (created_hlc is the authored time of R1/R2); org_id is the reporting unit" },
    { .name = "report_review", .down = FG_DOWN_UP_ONLY, .cls = FG_CLASS_CASE, .authors = FG_TIER_ANY, .anchor_group = "intake",
      .groups = s_report_review_groups, .columns = s_report_review_columns,
      .workflow = &s_report_review_workflow,
      .doc = "approval of a report submission up township, county, prefecture; org_id is the reporting unit" },
    { .name = "report_review_event", .down = FG_DOWN_UP_ONLY, .cls = FG_CLASS_EVENT, .authors = FG_TIER_ANY,
      .columns = s_report_review_event_columns,
      .doc = "approve, unapprove, accept and return steps, folded into the review; org_id is the review's" },
    { .name = "report_receipt", .down = FG_DOWN_UP_ONLY, .cls = FG_CLASS_EVENT, .flags = FG_TABLE_NO_VOID,  /* a fact of the first hop */
      .authors = C | P, .columns = s_report_receipt_columns,
      .doc = "the parent hub's receipt of a report submission straight from its author (R2); org_id is "
             "the submission's" },
    { .name = "meeting_record", .down = FG_DOWN_UP_ONLY, .cls = FG_CLASS_EVENT, .authors = FG_TIER_ANY,
      .columns = s_meeting_record_columns,
      .doc = "joint meetings and special judgment meetings; org_id is the convening unit" },

    //  §2.12 Assessment
    { .name = "assessment", .down = FG_DOWN_UP_ONLY, .cls = FG_CLASS_EVENT, .authors = FG_TIER_ANY, .columns = s_assessment_columns,
      .doc = "assessments (考核) by the level above the subject; org_id is the subject's unit" },
    { .name = "mass_evaluation_response", .cls = FG_CLASS_EVENT, .authors = E,
      .columns = s_mass_evaluation_response_columns,
      .doc = "the masses' evaluation of cadres and units, collected by the township; org_id is the "
             "respondent's village or unit" },
    { .name = "spot_check", .down = FG_DOWN_UP_ONLY, .cls = FG_CLASS_EVENT, .authors = C | P, .columns = s_spot_check_columns,
      .doc = "inspections and spot checks (督查/抽查); org_id is the unit checked" },

    //  §2.13 Commendation
    { .name = "commendation_cycle", .cls = FG_CLASS_META, .authors = P, .anchor_group = "cycle",
      .groups = s_commendation_cycle_groups, .columns = s_commendation_cycle_columns,
      .doc = "each July's commendation window and quotas; org_id is the prefecture" },
    { .name = "nomination", .down = FG_DOWN_UP_ONLY, .cls = FG_CLASS_CASE, .authors = C | P, .anchor_group = "intake",
      .groups = s_nomination_groups, .columns = s_nomination_columns, .workflow = &s_nomination_workflow,
      .doc = "nominations for commendation, decided by the prefecture; org_id is the nominee's unit" },
    { .name = "nomination_event", .down = FG_DOWN_UP_ONLY, .cls = FG_CLASS_EVENT, .authors = P, .columns = s_nomination_event_columns,
      .doc = "the prefecture's steps on a nomination, folded into its state; org_id is the nomination's" },

    //  §2.14 Sunshine disclosure
    { .name = "disclosure", .cls = FG_CLASS_EVENT, .flags = FG_TABLE_NO_VOID,  /* superseded only (supersedes_id) */
      .authors = E | C, .columns = s_disclosure_columns,
      .doc = "public disclosures (公开), corrected only by superseding ones; org_id is the village, "
             "township or county it is posted for" },
    { .name = "disclosure_objection", .cls = FG_CLASS_EVENT, .authors = E | C,
      .columns = s_disclosure_objection_columns,
      .doc = "objections to disclosures (each opens an appeal); org_id is the disclosure's" },
    { .name = "major_decision_hearing", .cls = FG_CLASS_EVENT, .authors = C | P,
      .columns = s_major_decision_hearing_columns,
      .doc = "public notices and hearings on major decisions (公示/听证); org_id is the unit the "
             "decision concerns" },
};

#undef E
#undef C
#undef P
#undef REQ
#undef D

#undef CASE_FOLD_COLUMNS
#undef EVENT_FOLD_COLUMNS

const size_t fg_catalogue_count = sizeof fg_catalogue_tables / sizeof fg_catalogue_tables [0];
