/*  fg_schema.c - definitions of the domain tables (DOMAIN.md §2) and the
    functions that turn them into SQL, checks, parsing and printing.

    Conventions in the definitions below:
    - Tiers: E township edge, C county hub, P prefecture hub.
    - A table's `authors` are the tiers that may create its rows; a group's
      `owners` are the tiers whose writes to it apply. A write by any other
      tier is kept as a proposal (fg_merge), never applied and never lost.
    - Coordinates are integers (microdegrees) and money is integer fen, so
      every node computes the same bytes.
*/
#include "fg_schema.h"
#include "fg_util.h"
#include "fg_org.h"

#define E FG_TIER_TOWNSHIP
#define C FG_TIER_COUNTY
#define P FG_TIER_PREFECTURE
#define REQ FG_COL_REQUIRED

//  -------------------------------------------------------------------------
//  Organisation and people (DOMAIN.md §2.1)

static const fg_group_t s_org_unit_groups [] = {
    { "registry", P, "the prefecture keeps the org tree (provincial approval)" },
    { 0 }
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
    { 0 }
};

static const fg_group_t s_cadre_groups [] = {
    { "hr",      C | P, "the employer hub keeps personnel records" },
    { "contact", C | P, "phone and contact details" },
    { 0 }
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
    { 0 }
};

static const fg_group_t s_household_groups [] = {
    { "reg",   E, "registration: membership, village, head, status (the township)" },
    { "admin", C, "administrative flags: poverty registration, demonstration, needy (the county)" },
    { 0 }
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
    { 0 }
};

static const fg_group_t s_person_groups [] = {
    { "reg", E, "the township registers people" },
    { 0 }
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
    { 0 }
};

//  -------------------------------------------------------------------------
//  Pairing (DOMAIN.md §2.2)

static const fg_group_t s_pairing_groups [] = {
    { "plan", C, "the county mass-work office assigns pairings" },
    { 0 }
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
    { 0 }
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
    { 0 }
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
    { 0 }
};

static const fg_column_t s_directive_ack_columns [] = {
    { "directive_id",  FG_COL_ID,   NULL, REQ, NULL, "directive acknowledged" },
    { "node_id",       FG_COL_INT,  NULL, REQ, NULL, "acknowledging node" },
    { "state",         FG_COL_ENUM, NULL, REQ, "received|applied|completed|refused", "state" },
    { "reason",        FG_COL_TEXT, NULL, 0, NULL, "why refused" },
    { "result_ref",    FG_COL_TEXT, NULL, 0, NULL, "reference to the result" },
    { "occurred_on",   FG_COL_DATE, NULL, 0, NULL, "date" },
    { 0 }
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
    { 0 }
};

//  -------------------------------------------------------------------------
//  Nodes and their keys (system table, see fg_replica: trust). A parent
//  writes the record of each child it enrolls; a child writes the record of
//  the parent it trusts, so that its own children learn the keys above.

static const fg_group_t s_node_groups [] = {
    { "enroll", FG_TIER_ANY, "enrollment or trust of a node's keys" },
    { 0 }
};
static const fg_column_t s_node_columns [] = {
    { "tier",          FG_COL_ENUM, "enroll", REQ, "township|county|prefecture", "role" },
    { "org",           FG_COL_TEXT, "enroll", REQ, NULL, "org code" },
    { "name",          FG_COL_TEXT, "enroll", 0, NULL, "name" },
    { "epoch",         FG_COL_INT,  "enroll", 0, NULL, "key epoch" },
    { "sign_pk",       FG_COL_BLOB, "enroll", REQ, NULL, "Ed25519 public key" },
    { "curve_pk",      FG_COL_TEXT, "enroll", REQ, NULL, "CURVE public key (Z85)" },
    { "parent_id",     FG_COL_INT,  "enroll", 0, NULL, "parent node" },
    { "relation",      FG_COL_ENUM, "enroll", REQ, "child|parent", "the subject is the author's child or parent" },
    { "status",        FG_COL_ENUM, "enroll", 0, "active|revoked", "status" },
    { 0 }
};

static const fg_table_t s_tables [] = {
    { "org_unit", FG_CLASS_REGISTRY, P, FG_TABLE_ID_IS_ORG, "registry",
      s_org_unit_groups, s_org_unit_columns,
      "administrative units; the id is the statistical division code" },
    { "cadre", FG_CLASS_REGISTRY, C | P, 0, "hr", s_cadre_groups, s_cadre_columns,
      "public employees; org_id is where the cadre works or is stationed" },
    { "household", FG_CLASS_REGISTRY, E, 0, "reg", s_household_groups, s_household_columns,
      "farming and herding households; org_id is the registered village" },
    { "person", FG_CLASS_REGISTRY, E, 0, "reg", s_person_groups, s_person_columns,
      "members of households; org_id is the household's village" },
    { "pairing", FG_CLASS_ASSIGNMENT, C, 0, "plan", s_pairing_groups, s_pairing_columns,
      "cadre-household pairings (结对认亲); org_id is the household's village" },
    { "visit", FG_CLASS_EVENT, E | C | P, 0, NULL, NULL, s_visit_columns,
      "visits; org_id is the visited household's or site's unit" },
    { "directive", FG_CLASS_EVENT, C | P, 0, NULL, NULL, s_directive_columns,
      "directives; org_id is the target subtree" },
    { "directive_ack", FG_CLASS_EVENT, FG_TIER_ANY, 0, NULL, NULL, s_directive_ack_columns,
      "acknowledgements of directives; org_id is the acknowledging node's unit" },
    { "refusal", FG_CLASS_EVENT, C | P, 0, NULL, NULL, s_refusal_columns,
      "entries a hub refused, with the reason; org_id is the author's unit" },
    { "node", FG_CLASS_META, FG_TIER_ANY, FG_TABLE_SYSTEM, "enroll", s_node_groups, s_node_columns,
      "nodes and their keys (system table)" },
};

#undef E
#undef C
#undef P
#undef REQ

size_t
fg_schema_table_count (void)
{
    return sizeof s_tables / sizeof s_tables [0];
}

const fg_table_t *
fg_schema_table_at (size_t index)
{
    return index < fg_schema_table_count () ? &s_tables [index] : NULL;
}

const fg_table_t *
fg_schema_table (const char *name)
{
    for (size_t i = 0; i < fg_schema_table_count (); i++)
        if (streq (s_tables [i].name, name))
            return &s_tables [i];
    return NULL;
}

const fg_column_t *
fg_schema_column (const fg_table_t *table, const char *name)
{
    for (const fg_column_t *column = table->columns; column->name; column++)
        if (streq (column->name, name))
            return column;
    return NULL;
}

const fg_group_t *
fg_schema_group (const fg_table_t *table, const char *name)
{
    if (!table->groups || !name)
        return NULL;
    for (const fg_group_t *group = table->groups; group->name; group++)
        if (streq (group->name, name))
            return group;
    return NULL;
}

size_t
fg_schema_column_count (const fg_table_t *table)
{
    size_t count = 0;
    while (table->columns [count].name)
        count++;
    return count;
}

const char *
fg_class_name (fg_class_t cls)
{
    switch (cls) {
        case FG_CLASS_EVENT:      return "event";
        case FG_CLASS_REGISTRY:   return "registry";
        case FG_CLASS_ASSIGNMENT: return "assignment";
        case FG_CLASS_CASE:       return "case";
        case FG_CLASS_META:       return "metadata";
        case FG_CLASS_DERIVED:    return "derived";
        default:                  return "?";
    }
}

bool
fg_class_has_groups (fg_class_t cls)
{
    return cls == FG_CLASS_REGISTRY || cls == FG_CLASS_ASSIGNMENT || cls == FG_CLASS_META
        || cls == FG_CLASS_CASE;
}

static const char *
s_storage (fg_coltype_t type)
{
    switch (type) {
        case FG_COL_TEXT:
        case FG_COL_ENUM: return "TEXT";
        case FG_COL_BLOB: return "BLOB";
        default:          return "INTEGER";
    }
}

char *
fg_schema_ddl (const fg_table_t *table)
{
    char *sql = fg_strdupf ("CREATE TABLE IF NOT EXISTS %s (\n"
                            "  id INTEGER PRIMARY KEY,\n"
                            "  org_id INTEGER NOT NULL", table->name);
    for (const fg_column_t *column = table->columns; column->name; column++) {
        char *more = fg_strdupf ("%s,\n  %s %s", sql, column->name, s_storage (column->type));
        free (sql);
        sql = more;
    }
    const char *tail = table->cls == FG_CLASS_EVENT
        ? ",\n  voided INTEGER NOT NULL DEFAULT 0,\n  void_reason TEXT" : "";
    char *full = fg_strdupf ("%s,\n  created_by INTEGER NOT NULL,\n  created_hlc INTEGER NOT NULL,\n"
                             "  updated_hlc INTEGER NOT NULL,\n  author TEXT%s);\n"
                             "CREATE INDEX IF NOT EXISTS %s_org ON %s (org_id);\n",
                             sql, tail, table->name, table->name);
    free (sql);
    return full;
}

static bool
s_enum_has (const char *values, const uint8_t *text, size_t size)
{
    const char *p = values;
    while (*p) {
        const char *bar = strchr (p, '|');
        size_t len = bar ? (size_t) (bar - p) : strlen (p);
        if (len == size && memcmp (p, text, size) == 0)
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}

int
fg_schema_check_value (const fg_column_t *column, const fg_value_t *value,
                       char *errbuf, size_t errsize)
{
    if (value->type == FG_VAL_NULL)
        return 0;
    switch (column->type) {
        case FG_COL_TEXT:
        case FG_COL_ENUM:
            if (value->type != FG_VAL_TEXT) {
                snprintf (errbuf, errsize, "%s must be text", column->name);
                return -1;
            }
            if (column->type == FG_COL_ENUM && !s_enum_has (column->values, value->data, value->size)) {
                snprintf (errbuf, errsize, "%s must be one of %s", column->name, column->values);
                return -1;
            }
            return 0;
        case FG_COL_BLOB:
            if (value->type != FG_VAL_BLOB) {
                snprintf (errbuf, errsize, "%s must be bytes", column->name);
                return -1;
            }
            return 0;
        default:
            break;
    }
    if (value->type != FG_VAL_INT) {
        snprintf (errbuf, errsize, "%s must be an integer", column->name);
        return -1;
    }
    if (column->type == FG_COL_BOOL && value->i != 0 && value->i != 1) {
        snprintf (errbuf, errsize, "%s must be 0 or 1", column->name);
        return -1;
    }
    if (column->type == FG_COL_FEN && value->i < 0) {
        snprintf (errbuf, errsize, "%s must not be negative", column->name);
        return -1;
    }
    if (column->type == FG_COL_ORG) {
        char code [24];
        snprintf (code, sizeof code, "%lld", (long long) value->i);
        if (!fg_org_level (code)) {
            snprintf (errbuf, errsize, "%s must be a 6, 9 or 12 digit org code", column->name);
            return -1;
        }
    }
    if (column->type == FG_COL_DATE && (value->i < -25567 || value->i > 401768)) {
        snprintf (errbuf, errsize, "%s is not a plausible date", column->name);
        return -1;
    }
    return 0;
}

static int
s_parse_int (const char *text, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    long long value = strtoll (text, &end, 10);
    if (errno || !*text || *end)
        return -1;
    *out = value;
    return 0;
}

int
fg_schema_parse_value (const fg_column_t *column, const char *text, fg_ops_t *ops,
                       char *errbuf, size_t errsize)
{
    if (!*text || streq (text, "null")) {
        fg_ops_set_null (ops, column->name);
        return 0;
    }
    int64_t number = 0;
    switch (column->type) {
        case FG_COL_TEXT:
        case FG_COL_ENUM: {
            fg_value_t value = { FG_VAL_TEXT, 0, (const uint8_t *) text, strlen (text) };
            if (!fg_utf8_valid (value.data, value.size)) {
                snprintf (errbuf, errsize, "%s is not valid UTF-8", column->name);
                return -1;
            }
            if (fg_schema_check_value (column, &value, errbuf, errsize))
                return -1;
            fg_ops_set_text (ops, column->name, text);
            return 0;
        }
        case FG_COL_BLOB: {
            size_t size = strlen (text) / 2;
            uint8_t *bytes = (uint8_t *) malloc (size + 1);
            assert (bytes);
            if (fg_hex_decode (text, bytes, size)) {
                free (bytes);
                snprintf (errbuf, errsize, "%s must be hex digits", column->name);
                return -1;
            }
            fg_ops_set_blob (ops, column->name, bytes, size);
            free (bytes);
            return 0;
        }
        case FG_COL_BOOL:
            if (streq (text, "1") || streq (text, "true") || streq (text, "yes"))
                number = 1;
            else
            if (streq (text, "0") || streq (text, "false") || streq (text, "no"))
                number = 0;
            else {
                snprintf (errbuf, errsize, "%s must be yes or no", column->name);
                return -1;
            }
            break;
        case FG_COL_DATE:
            if (fg_date_parse (text, &number)) {
                snprintf (errbuf, errsize, "%s must be a date YYYY-MM-DD, not '%s'", column->name, text);
                return -1;
            }
            break;
        case FG_COL_FEN: {
            //  Accept fen ("1250") or yuan with a decimal point ("12.50")
            const char *dot = strchr (text, '.');
            if (dot) {
                char whole [32], frac [3] = "00";
                size_t len = (size_t) (dot - text);
                size_t flen = strlen (dot + 1);
                if (len == 0 || len >= sizeof whole || flen == 0 || flen > 2
                ||  strspn (dot + 1, "0123456789") != flen) {
                    snprintf (errbuf, errsize, "%s must be fen or yuan like 12.50", column->name);
                    return -1;
                }
                memcpy (whole, text, len);
                whole [len] = 0;
                memcpy (frac, dot + 1, flen);
                int64_t yuan;
                if (s_parse_int (whole, &yuan) || yuan < 0 || yuan > INT64_MAX / 100 - 1) {
                    snprintf (errbuf, errsize, "%s must be fen or yuan like 12.50", column->name);
                    return -1;
                }
                number = yuan * 100 + atoi (frac);
                break;
            }
            if (s_parse_int (text, &number)) {
                snprintf (errbuf, errsize, "%s must be fen or yuan like 12.50", column->name);
                return -1;
            }
            break;
        }
        default:
            if (s_parse_int (text, &number)) {
                snprintf (errbuf, errsize, "%s must be a whole number, not '%s'", column->name, text);
                return -1;
            }
            break;
    }
    fg_value_t value = { FG_VAL_INT, number, NULL, 0 };
    if (fg_schema_check_value (column, &value, errbuf, errsize))
        return -1;
    fg_ops_set_int (ops, column->name, number);
    return 0;
}

char *
fg_schema_format_value (const fg_column_t *column, sqlite3_stmt *stmt, int index)
{
    int type = sqlite3_column_type (stmt, index);
    if (type == SQLITE_NULL)
        return strdup ("");
    if (column && column->type == FG_COL_DATE && type == SQLITE_INTEGER) {
        char date [11];
        fg_date_format (sqlite3_column_int64 (stmt, index), date);
        return strdup (date);
    }
    if (type == SQLITE_BLOB) {
        int size = sqlite3_column_bytes (stmt, index);
        char *hex = (char *) malloc ((size_t) size * 2 + 1);
        assert (hex);
        fg_hex_encode ((const uint8_t *) sqlite3_column_blob (stmt, index), (size_t) size, hex);
        return hex;
    }
    return strdup ((const char *) sqlite3_column_text (stmt, index));
}

void
fg_schema_test (bool verbose)
{
    printf (" * fg_schema: ");
    //  Every table is well formed: valid names, groups that exist, groups
    //  only where the class has them, owners set.
    for (size_t i = 0; i < fg_schema_table_count (); i++) {
        const fg_table_t *table = fg_schema_table_at (i);
        assert (fg_name_valid (table->name));
        assert (fg_schema_table (table->name) == table);
        assert (table->authors != 0);
        bool grouped = fg_class_has_groups (table->cls);
        assert (grouped == (table->groups != NULL));
        if (grouped)
            assert (fg_schema_group (table, table->anchor_group));
        for (const fg_column_t *column = table->columns; column->name; column++) {
            assert (fg_name_valid (column->name));
            assert (!streq (column->name, "id") && !streq (column->name, "org_id"));
            assert (grouped ? fg_schema_group (table, column->group) != NULL : column->group == NULL);
            assert ((column->type == FG_COL_ENUM) == (column->values != NULL));
            assert (fg_schema_column (table, column->name) == column);
        }
        if (table->groups)
            for (const fg_group_t *group = table->groups; group->name; group++)
                assert (group->owners != 0 && fg_name_valid (group->name));
        //  The DDL is valid SQL
        if (!(table->flags & FG_TABLE_SYSTEM)) {
            sqlite3 *db;
            assert (sqlite3_open (":memory:", &db) == SQLITE_OK);
            char *ddl = fg_schema_ddl (table);
            char *err = NULL;
            int rc = sqlite3_exec (db, ddl, NULL, NULL, &err);
            if (rc != SQLITE_OK)
                fprintf (stderr, "%s: %s\n%s\n", table->name, err, ddl);
            assert (rc == SQLITE_OK);
            free (ddl);
            sqlite3_close (db);
        }
    }
    const fg_table_t *household = fg_schema_table ("household");
    assert (household && household->cls == FG_CLASS_REGISTRY);
    assert (fg_schema_group (household, "admin")->owners == FG_TIER_COUNTY);
    assert (fg_schema_table ("nonesuch") == NULL);

    //  Parsing operator text
    char err [128];
    fg_ops_t *ops = fg_ops_new ();
    fg_ops_begin (ops, FG_OP_PUT, "household", "reg", 1, 513328100201);
    assert (fg_schema_parse_value (fg_schema_column (household, "size"), "5", ops, err, sizeof err) == 0);
    assert (fg_schema_parse_value (fg_schema_column (household, "size"), "5x", ops, err, sizeof err) == -1);
    assert (fg_schema_parse_value (fg_schema_column (household, "economy"), "herding", ops, err, sizeof err) == 0);
    assert (fg_schema_parse_value (fg_schema_column (household, "economy"), "fishing", ops, err, sizeof err) == -1);
    assert (fg_schema_parse_value (fg_schema_column (household, "valid_from"), "2012-07-01", ops, err, sizeof err) == 0);
    assert (fg_schema_parse_value (fg_schema_column (household, "valid_from"), "2012-02-30", ops, err, sizeof err) == -1);
    assert (fg_schema_parse_value (fg_schema_column (household, "needy"), "yes", ops, err, sizeof err) == 0);
    assert (fg_schema_parse_value (fg_schema_column (household, "needy"), "maybe", ops, err, sizeof err) == -1);
    const fg_table_t *visit = fg_schema_table ("visit");
    assert (fg_schema_parse_value (fg_schema_column (visit, "help_given_fen"), "12.5", ops, err, sizeof err) == 0);
    assert (fg_schema_parse_value (fg_schema_column (visit, "help_given_fen"), "-1", ops, err, sizeof err) == -1);
    assert (fg_schema_parse_value (fg_schema_column (visit, "help_given_fen"), "1.234", ops, err, sizeof err) == -1);
    const fg_table_t *org = fg_schema_table ("org_unit");
    assert (fg_schema_parse_value (fg_schema_column (org, "parent_id"), "513328", ops, err, sizeof err) == 0);
    assert (fg_schema_parse_value (fg_schema_column (org, "parent_id"), "5133", ops, err, sizeof err) == -1);
    size_t size;
    uint8_t *bytes = fg_ops_encode (ops, &size, err, sizeof err);
    assert (bytes);
    fg_ops_reader_t reader;
    fg_op_t op;
    assert (fg_ops_reader_init (&reader, bytes, size) == 0);
    assert (fg_ops_next (&reader, &op) == 1);
    assert (fg_op_get (&op, "help_given_fen")->i == 1250);
    int64_t day;
    assert (fg_date_parse ("2012-07-01", &day) == 0);
    assert (fg_op_get (&op, "valid_from")->i == day);
    free (bytes);
    fg_ops_destroy (&ops);
    printf ("OK\n");
}
