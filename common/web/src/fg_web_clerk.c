/*  fg_web_clerk.c - the township clerk's casework in the console: record
    assistance for a household or a member (and reverse an earlier
    record), file an appeal and move it through the transitions the
    workflow allows from its state, record a publicity event (a unit's,
    not a household's: /publicity), the household page's sections of
    assistance and appeals, and the worklist's must-visits waiting and
    proposals refused above.

    Every form is made from the catalogue's table (fg_catalogue.c): its
    columns less those the page sets (the household, the beneficiary's
    kind) or nobody types (derived columns, hashes), an enum as a
    drop-down, a date as a date field, money typed in yuan; people,
    cadres, units and records are picked by name from what the replica
    holds. The server checks each field as the write will and says what
    is wrong next to it; the write is fg_record_add (one signed entry,
    the account as its author), whose refusals (the schema's, the HARD
    rules' such as V3) are said in the page's language beside the field
    they name, and nothing typed is lost. Screens: no SQL here
    (fg_household.h, fg_casework.h, fg_proposal.h). */
#include "fg_web_int.h"
#include "fg_household.h"
#include "fg_casework.h"
#include "fg_proposal.h"
#include "fg_record.h"
#include "fg_listing.h"
#include "fg_util.h"
#include <pthread.h>

//  -------------------------------------------------------------------------
//  A form made from a catalogue table

#define S_TEXT_MAX 4000                  //  bytes of one field (a form holds FG_WEB_BODY_MAX)

typedef struct {
    const char      *column;             //  an ID or ORG column picked from rows
    const fg_rows_t *rows;               //  the choices (borrowed)
    const char      *value;              //  column of rows holding the value
    const char      *label;              //  ... and the label (then " · " extra, if any)
    const char      *extra;
} s_choice_t;

typedef struct {
    const fg_table_t *table;
    fg_web_field_t    fields [FG_WEB_FIELDS_MAX];
    size_t            count;
    s_choice_t        choices [6];
    size_t            choice_count;
    char              refusal [700];
    bool              refused;
} s_form_t;

//  The columns of `table` less the hidden ones, with what was sent
static void
s_form_init (fg_web_req_t *req, s_form_t *form, const char *table, const char *const *hidden)
{
    memset (form, 0, sizeof *form);
    form->table = fg_schema_table (table);
    assert (form->table);
    for (const fg_column_t *column = form->table->columns; column->name && form->count < FG_WEB_FIELDS_MAX;
         column++) {
        bool skip = (column->flags & FG_COL_DERIVED) != 0;
        for (size_t i = 0; hidden [i] && !skip; i++)
            skip = streq (hidden [i], column->name);
        if (skip)
            continue;
        fg_web_field_t *field = &form->fields [form->count++];
        field->column = column;
        field->typed = fg_web__field (req, column->name);
    }
}

static fg_web_field_t *
s_form_field (s_form_t *form, const char *name)
{
    for (size_t i = 0; i < form->count; i++)
        if (streq (form->fields [i].column->name, name))
            return &form->fields [i];
    return NULL;
}

//  A default for a form being opened (nothing sent for it)
static void
s_form_default (fg_web_req_t *req, s_form_t *form, const char *name, const char *value)
{
    fg_web_field_t *field = s_form_field (form, name);
    if (field && !req->post && !field->typed)
        field->typed = value;
}

static void
s_form_choice (s_form_t *form, const char *column, const fg_rows_t *rows, const char *value,
               const char *label, const char *extra)
{
    assert (form->choice_count < sizeof form->choices / sizeof form->choices [0]);
    form->choices [form->choice_count++] = (s_choice_t) { column, rows, value, label, extra };
}

//  The refusals of the write path in the page's language: the schema's
//  and the HARD rules' messages are English; a clerk reads Chinese
static const struct {
    const char *says, *column, *zh, *en;
} s_refusals [] = {
    { "must not be negative", "amount_fen",
      "金额不能为负数（规则 V3）：发错了请对原记录“冲正”，不要填负数。",
      "the amount must not be negative (rule V3): to correct a record, reverse it." },
    { "negative amount", "amount_fen",
      "金额不能为负数（规则 V3）：发错了请对原记录“冲正”，不要填负数。",
      "the amount must not be negative (rule V3): to correct a record, reverse it." },
    { "but not its beneficiary", "reverses_id",
      "冲正记录必须与原记录的受助对象和金额完全相同（规则 V3）。",
      "a reversal repeats the beneficiary and the amount of the record it reverses (rule V3)." },
    { "already reversed", "reverses_id",
      "这条记录已经冲正过了，不能再次冲正（规则 V3）。",
      "that record is reversed already (rule V3)." },
    { "which does not exist", "reverses_id",
      "要冲正的原记录不存在（规则 V3）。", "the record to reverse does not exist (rule V3)." },
    { "not eligible", "beneficiary_id",
      "所选对象在发放日期不在享受期内，或县民政核定未通过（规则 V3），不能登记帮扶。",
      "the person is not eligible on that day, or the county's verification rejected it (rule V3)." },
    { "outside", "org_id",
      "所选单位不在本节点的辖区内。", "the unit is outside this node's area." },
};

//  Check every field and write the row (extra fields first); false and
//  form->refusal, each field's error beside it, if anything is refused
static bool
s_form_write (fg_web_req_t *req, s_form_t *form, const fg_kv_t *extra, size_t extra_count, uint64_t *id_p)
{
    *id_p = 0;
    if (!fg_web__may_write (req)) {
        form->refused = true;
        snprintf (form->refusal, sizeof form->refusal, "%s", fg_web__t (req, "read_only"));
        req->status = 403;
        return false;
    }
    char negative [FG_WEB_FIELDS_MAX][32];
    for (size_t i = 0; i < form->count; i++) {
        fg_web_field_t *field = &form->fields [i];
        const char *typed = field->typed;
        //  A sign before an amount goes to the write path, whose rule
        //  (V3) refuses it as it refuses the command's
        if (typed && strlen (typed) > S_TEXT_MAX)
            snprintf (field->error, sizeof field->error, req->en ? "too long: at most %d bytes"
                                                                 : "太长：最多 %d 字节", S_TEXT_MAX);
        else
        if (field->column->type == FG_COL_FEN && typed && typed [0] == '-') {
            field->typed = typed [1] ? typed + 1 : "x";          //  a sign alone is no amount
            fg_web__check_field (req, field);
            field->typed = typed;
            if (field->value) {
                char *dot = strchr (field->value, '.');
                long long yuan = atoll (field->value);
                long long fen = dot ? atoll (dot + 1) * (strlen (dot + 1) == 1 ? 10 : 1) : 0;
                snprintf (negative [i], sizeof negative [i], "-%lld", yuan * 100 + fen);
                zstr_free (&field->value);
                field->value = strdup (negative [i]);
            }
        }
        else
            fg_web__check_field (req, field);
        if (field->error [0])
            form->refused = true;
    }
    if (form->refused) {
        snprintf (form->refusal, sizeof form->refusal, "%s", fg_web__t (req, "fix_fields"));
        req->status = 422;
        return false;
    }
    fg_kv_t kv [FG_WEB_FIELDS_MAX + 8];
    size_t n = 0;
    for (size_t i = 0; i < extra_count && n < 8; i++)
        kv [n++] = extra [i];
    for (size_t i = 0; i < form->count; i++)
        if (form->fields [i].value)
            kv [n++] = (fg_kv_t) { form->fields [i].column->name, form->fields [i].value };
    char err [512];
    if (fg_record_add (req->web->site.replica, form->table->name, kv, n, req->session->user, id_p, NULL,
                       err, sizeof err) == 0)
        return true;
    form->refused = true;
    req->status = 422;
    const char *said = NULL, *column = NULL;
    for (size_t i = 0; i < sizeof s_refusals / sizeof s_refusals [0] && !said; i++)
        if (strstr (err, s_refusals [i].says)) {
            said = req->en ? s_refusals [i].en : s_refusals [i].zh;
            column = s_refusals [i].column;
        }
    snprintf (form->refusal, sizeof form->refusal, "%s%s%s%s%s", fg_web__t (req, "refused"),
              said ? said : "", said ? (req->en ? " (" : "（") : "", err, said ? (req->en ? ")" : "）") : "");
    //  The column the refusal names gets the message beside it
    for (size_t i = 0; i < form->count; i++) {
        fg_web_field_t *field = &form->fields [i];
        if ((column && streq (field->column->name, column)) || (!column && strstr (err, field->column->name))) {
            snprintf (field->error, sizeof field->error, "%s", said ? said : err);
            break;
        }
    }
    zsys_info ("web: %s: %s refused: %s", req->session->user, form->table->name, err);
    return false;
}

static void
s_form_free (s_form_t *form)
{
    for (size_t i = 0; i < form->count; i++)
        zstr_free (&form->fields [i].value);
}

//  A field picked from rows: a drop-down of their labels
static void
s_select (fg_web_req_t *req, fg_web_field_t *field, const s_choice_t *choice)
{
    const char *name = field->column->name;
    fg_web__printf (req, "<label><span class=\"name\">%s%s</span> <select name=\"%s\">", fg_web__t (req, name),
                    (field->column->flags & FG_COL_REQUIRED) ? " *" : "", name);
    fg_web__option (req, "", fg_web__t (req, "choose"), field->typed);
    for (size_t r = 0; choice->rows && r < fg_rows_count (choice->rows); r++) {
        char label [600];
        const char *extra = choice->extra ? fg_web__cell (choice->rows, r, choice->extra) : NULL;
        snprintf (label, sizeof label, "%s%s%s", fg_web__cell (choice->rows, r, choice->label) ?: "",
                  extra ? " · " : "", extra ? fg_web__t (req, extra) : "");
        fg_web__option (req, fg_web__cell (choice->rows, r, choice->value) ?: "", label, field->typed);
    }
    fg_web__printf (req, "</select>");
    if (field->error [0]) {
        fg_web__printf (req, " <span class=\"field-error\" id=\"error-%s\" role=\"alert\">", name);
        fg_web__esc (req, field->error);
        fg_web__printf (req, "</span>");
    }
    fg_web__printf (req, "</label>\n");
}

//  The form: the refusal above it, every field with what was typed
static void
s_form_render (fg_web_req_t *req, s_form_t *form, const char *action, const char *css)
{
    if (form->refused) {
        fg_web__printf (req, "<p class=\"error\" role=\"alert\" id=\"refusal\">");
        fg_web__esc (req, form->refusal);
        fg_web__printf (req, "</p>\n");
    }
    fg_web__printf (req, "<form method=\"post\" action=\"%s\" class=\"record %s\">\n", action, css);
    fg_web__csrf (req);
    for (size_t i = 0; i < form->count; i++) {
        const s_choice_t *choice = NULL;
        for (size_t c = 0; c < form->choice_count; c++)
            if (streq (form->choices [c].column, form->fields [i].column->name))
                choice = &form->choices [c];
        if (choice)
            s_select (req, &form->fields [i], choice);
        else
            fg_web__input (req, &form->fields [i], NULL, NULL);
    }
    fg_web__printf (req, "<p>* %s</p><button type=\"submit\">%s</button>\n</form>\n",
                    fg_web__t (req, "required"), fg_web__t (req, "save"));
}

//  The household (its head's name and org), or a 404 page; false then
static bool
s_household (fg_web_req_t *req, uint64_t id, char org [32], char head [256])
{
    char err [512];
    fg_rows_t *household = fg_household_get (req->web->site.replica, id, err, sizeof err);
    bool found = household && fg_rows_count (household) > 0;
    if (found) {
        snprintf (org, 32, "%s", fg_web__cell (household, 0, "org_id") ?: "");
        snprintf (head, 256, "%s", fg_web__cell (household, 0, "head_name") ?: "");
    }
    else
        fg_web__fail (req, 404, "本节点没有这户的记录。", "this node holds no such household.");
    fg_rows_destroy (&household);
    return found;
}

//  A link to a household, by its head's name (its id if not held here)
static void
s_household_link (fg_web_req_t *req, const char *id)
{
    char err [256];
    fg_rows_t *household = fg_household_get (req->web->site.replica, strtoull (id ? id : "0", NULL, 10),
                                             err, sizeof err);
    const char *name = household && fg_rows_count (household) ? fg_web__cell (household, 0, "head_name") : NULL;
    fg_web__printf (req, "<a href=\"/household/");
    fg_web__esc (req, id);
    fg_web__printf (req, "\">");
    fg_web__esc (req, name ? name : id);
    fg_web__printf (req, "</a>");
    fg_rows_destroy (&household);
}

//  A household's form page: its title, a hint (a label key, or NULL), the
//  form posting to /household/ID/WHAT, and the way back
static void
s_household_form_page (fg_web_req_t *req, s_form_t *form, uint64_t id, const char *head, const char *title,
                       const char *hint, const char *what)
{
    char text [400];
    snprintf (text, sizeof text, "%s · %s", fg_web__t (req, title), head);
    fg_web__head (req, text);
    if (hint)
        fg_web__printf (req, "<p class=\"noprint\">%s</p>\n", fg_web__t (req, hint));
    char action [64];
    snprintf (action, sizeof action, "/household/%" PRIu64 "/%s", id, what);
    s_form_render (req, form, action, what);
    fg_web__printf (req, "<p><a href=\"/household/%" PRIu64 "\">← ", id);
    fg_web__esc (req, head);
    fg_web__printf (req, "</a></p>\n");
    fg_web__foot (req);
}

//  -------------------------------------------------------------------------
//  Assistance: to the household or a member identified as vulnerable;
//  a reversal repeats the record it reverses (V3)

void
fg_web__page_assistance (fg_web_req_t *req, uint64_t id)
{
    fg_replica_t *replica = req->web->site.replica;
    char org [32], head [256], err [512] = "", today [16];
    if (!s_household (req, id, org, head))
        return;
    fg_date_format (fg_web__today (), today);
    fg_rows_t *beneficiaries = fg_household_beneficiaries (replica, id, fg_web__today (), err, sizeof err);
    fg_rows_t *records = fg_household_assistance (replica, id, err, sizeof err);
    //  Records that may be reversed: not reversals, not reversed
    fg_rows_t *reversible = fg_rows_new ();
    fg_rows_column (reversible, "id");
    fg_rows_column (reversible, "label");
    for (size_t r = 0; records && r < fg_rows_count (records); r++) {
        if (fg_web__cell (records, r, "reverses_id") || fg_web__cell (records, r, "reversed_by"))
            continue;
        char label [600];
        snprintf (label, sizeof label, "%s %s %s %s %s", fg_web__cell (records, r, "occurred_on") ?: "",
                  fg_web__cell (records, r, "beneficiary") ?: "", fg_web__t (req, fg_web__cell (records, r, "type")),
                  fg_web__cell (records, r, "amount_fen") ?: "", fg_web__t (req, "yuan"));
        fg_rows_value (reversible, fg_web__cell (records, r, "id"), false);
        fg_rows_value (reversible, label, false);
        fg_rows_row_end (reversible);
    }
    const char *hidden [] = { "beneficiary_kind", "evidence_hash", NULL };
    s_form_t form;
    s_form_init (req, &form, "assistance_record", hidden);
    char self [24];
    snprintf (self, sizeof self, "%" PRIu64, id);
    s_form_default (req, &form, "occurred_on", today);
    //  A reversal opens with the record it reverses repeated (V3)
    const char *reverses = req->post ? NULL : fg_web__field (req, "reverses_id");
    for (size_t r = 0; reverses && records && r < fg_rows_count (records); r++)
        if (streq (fg_web__cell (records, r, "id") ?: "", reverses)) {
            const char *same [] = { "beneficiary_id", "type", "amount_fen", "provider", "funding_source" };
            for (size_t i = 0; i < sizeof same / sizeof same [0]; i++)
                s_form_default (req, &form, same [i], fg_web__cell (records, r, same [i]));
        }
    s_form_default (req, &form, "beneficiary_id", self);
    //  Each by name, with the member's category, and said when not eligible today
    fg_rows_t *picks = fg_rows_new ();
    fg_rows_column (picks, "id");
    fg_rows_column (picks, "label");
    for (size_t r = 0; beneficiaries && r < fg_rows_count (beneficiaries); r++) {
        const char *category = fg_web__cell (beneficiaries, r, "category");
        const char *eligible = fg_web__cell (beneficiaries, r, "eligible");
        char label [600];
        snprintf (label, sizeof label, "%s%s%s%s", fg_web__cell (beneficiaries, r, "name") ?: "",
                  category ? " · " : "", category ? fg_web__t (req, category) : "",
                  eligible && streq (eligible, "no") ? fg_web__t (req, "not_eligible") : "");
        fg_rows_value (picks, fg_web__cell (beneficiaries, r, "id"), false);
        fg_rows_value (picks, label, false);
        fg_rows_row_end (picks);
    }
    s_form_choice (&form, "beneficiary_id", picks, "id", "label", NULL);
    s_form_choice (&form, "reverses_id", reversible, "id", "label", NULL);

    uint64_t written = 0;
    if (req->post) {
        //  The beneficiary's kind is the kind of the row picked
        fg_web_field_t *who = s_form_field (&form, "beneficiary_id");
        const char *kind = NULL;
        for (size_t r = 0; beneficiaries && who->typed && r < fg_rows_count (beneficiaries); r++)
            if (streq (fg_web__cell (beneficiaries, r, "id") ?: "", who->typed))
                kind = fg_web__cell (beneficiaries, r, "kind");
        if (who->typed && *who->typed && !kind)
            snprintf (who->error, sizeof who->error, "%s", fg_web__t (req, "not_a_member"));
        fg_kv_t extra [] = { { "org_id", org }, { "beneficiary_kind", kind ? kind : "household" } };
        if (!who->error [0] && s_form_write (req, &form, extra, 2, &written))
            zsys_info ("web: %s recorded assistance %" PRIu64 " for household %" PRIu64,
                       req->session->user, written, id);
        else
        if (who->error [0]) {
            form.refused = true;
            snprintf (form.refusal, sizeof form.refusal, "%s", fg_web__t (req, "fix_fields"));
            req->status = 422;
        }
    }
    if (req->post && !form.refused) {
        req->status = 303;
        req->location = fg_strdupf ("/household/%" PRIu64 "?saved=%" PRIu64, id, written);
    }
    else {
        const char *reversal = fg_web__field (req, "reverses_id");
        s_household_form_page (req, &form, id, head, reversal && *reversal ? "reverse" : "record_assistance",
                               "assistance_hint", "assistance");
    }
    s_form_free (&form);
    fg_rows_destroy (&reversible);
    fg_rows_destroy (&picks);
    fg_rows_destroy (&records);
    fg_rows_destroy (&beneficiaries);
}

//  -------------------------------------------------------------------------
//  Appeals: filed from the household page, then moved through the
//  transitions the workflow allows from their state at this node

void
fg_web__page_appeal_new (fg_web_req_t *req, uint64_t id)
{
    fg_replica_t *replica = req->web->site.replica;
    char org [32], head [256], err [512] = "", today [16];
    if (!s_household (req, id, org, head))
        return;
    fg_date_format (fg_web__today (), today);
    fg_rows_t *members = fg_household_members (replica, id, err, sizeof err);
    const char *hidden [] = { "appellant_household_id", NULL };
    s_form_t form;
    s_form_init (req, &form, "appeal", hidden);
    s_form_default (req, &form, "received_on", today);
    s_form_default (req, &form, "channel", "cadre_visit");
    s_form_choice (&form, "appellant_person_id", members, "id", "name", "relation_to_head");
    uint64_t written = 0;
    if (req->post) {
        //  The appellant's name: as typed, else the member picked, else the head
        fg_web_field_t *name = s_form_field (&form, "appellant_name");
        fg_web_field_t *person = s_form_field (&form, "appellant_person_id");
        if ((!name->typed || !*name->typed) && person->typed && *person->typed)
            for (size_t r = 0; members && r < fg_rows_count (members); r++)
                if (streq (fg_web__cell (members, r, "id") ?: "", person->typed))
                    name->typed = fg_web__cell (members, r, "name");
        if (!name->typed || !*name->typed)
            name->typed = head;
        char self [24];
        snprintf (self, sizeof self, "%" PRIu64, id);
        fg_kv_t extra [] = { { "org_id", org }, { "appellant_household_id", self } };
        if (s_form_write (req, &form, extra, 2, &written))
            zsys_info ("web: %s filed appeal %" PRIu64 " for household %" PRIu64, req->session->user, written, id);
    }
    if (req->post && !form.refused) {
        req->status = 303;
        req->location = fg_strdupf ("/appeal/%" PRIu64 "?saved=1", written);
    }
    else {
        s_household_form_page (req, &form, id, head, "file_appeal", NULL, "appeal");
    }
    s_form_free (&form);
    fg_rows_destroy (&members);
}

void
fg_web__page_appeal (fg_web_req_t *req, uint64_t id)
{
    fg_replica_t *replica = req->web->site.replica;
    char err [512] = "", state [64], owner [64], today [16], case_id [24];
    fg_rows_t *allowed = fg_case_transitions (replica, "appeal", id, state, owner, err, sizeof err);
    if (!allowed) {
        fg_web__fail (req, 404, "本节点没有这条诉求。", "this node holds no such appeal.");
        return;
    }
    fg_date_format (fg_web__today (), today);
    snprintf (case_id, sizeof case_id, "%" PRIu64, id);
    fg_rows_t *cadres = fg_cadre_choices (replica, err, sizeof err);
    fg_rows_t *units = fg_org_choices (replica, true, err, sizeof err);
    fg_rows_t *appeal = NULL, *referrers = NULL;
    if (fg_listing_show (replica, "appeal", id, &appeal, &referrers, err, sizeof err) != 0)
        fg_rows_destroy (&appeal);
    fg_rows_destroy (&referrers);
    const char *household = appeal && fg_rows_count (appeal) ? fg_web__cell (appeal, 0, "appellant_household_id") : NULL;
    //  What a merge names: another appeal of the household, by its summary
    fg_rows_t *appeals = fg_household_appeals (replica, household ? strtoull (household, NULL, 10) : 0,
                                               err, sizeof err);
    fg_rows_t *siblings = fg_rows_new ();
    fg_rows_column (siblings, "id");
    fg_rows_column (siblings, "summary");
    fg_rows_column (siblings, "received_on");
    for (size_t r = 0; appeals && r < fg_rows_count (appeals); r++)
        if (strtoull (fg_web__cell (appeals, r, "id") ?: "0", NULL, 10) != id) {
            fg_rows_value (siblings, fg_web__cell (appeals, r, "id"), false);
            fg_rows_value (siblings, fg_web__cell (appeals, r, "summary"), false);
            fg_rows_value (siblings, fg_web__cell (appeals, r, "received_on"), false);
            fg_rows_row_end (siblings);
        }
    fg_rows_destroy (&appeals);
    const char *hidden [] = { "appeal_id", "attachment_hash", NULL };
    s_form_t form;
    s_form_init (req, &form, "appeal_event", hidden);
    s_form_default (req, &form, "occurred_on", today);
    s_form_choice (&form, "transition", allowed, "transition", "transition", NULL);
    s_form_choice (&form, "actor_cadre_id", cadres, "id", "name", NULL);
    s_form_choice (&form, "to_owner_unit", units, "code", "name", NULL);
    s_form_choice (&form, "dup_of", siblings, "id", "summary", "received_on");
    uint64_t written = 0;
    if (req->post) {
        //  Only a transition offered: what the fold would reject is refused here
        fg_web_field_t *transition = s_form_field (&form, "transition");
        bool offered = false;
        for (size_t r = 0; transition->typed && r < fg_rows_count (allowed); r++)
            offered |= streq (fg_web__cell (allowed, r, "transition") ?: "", transition->typed);
        if (transition->typed && *transition->typed && !offered) {
            snprintf (transition->error, sizeof transition->error, "%s%s", fg_web__t (req, "not_from_state"),
                      fg_web__t (req, state));
            form.refused = true;
            snprintf (form.refusal, sizeof form.refusal, "%s", fg_web__t (req, "fix_fields"));
            req->status = 422;
        }
        else {
            fg_kv_t extra [] = { { "appeal_id", case_id } };
            if (s_form_write (req, &form, extra, 1, &written))
                zsys_info ("web: %s moved appeal %" PRIu64 " (%s)", req->session->user, id, transition->value);
        }
    }
    if (req->post && !form.refused) {
        req->status = 303;
        req->location = fg_strdupf ("/appeal/%" PRIu64 "?saved=1", id);
    }
    else {
        char title [300];
        snprintf (title, sizeof title, "%s %" PRIu64, fg_web__t (req, "appeal"), id);
        fg_web__head (req, title);
        if (fg_web__field (req, "saved") && !req->post)
            fg_web__printf (req, "<p class=\"ok noprint\" role=\"status\">%s</p>\n", fg_web__t (req, "saved"));
        fg_web__printf (req, "<dl class=\"facts\">");
        const char *facts [] = { "appellant_name", "type", "topic", "channel", "summary", "received_on",
                                 "deadline_on" };
        for (size_t i = 0; appeal && fg_rows_count (appeal) && i < sizeof facts / sizeof facts [0]; i++) {
            const char *cell = fg_web__cell (appeal, 0, facts [i]);
            fg_web__printf (req, "<dt>%s</dt><dd>", fg_web__t (req, facts [i]));
            fg_web__esc (req, i >= 1 && i <= 3 ? fg_web__t (req, cell) : cell ? cell : "");
            fg_web__printf (req, "</dd>");
        }
        if (household) {
            fg_web__printf (req, "<dt>%s</dt><dd>", fg_web__t (req, "household"));
            s_household_link (req, household);
            fg_web__printf (req, "</dd>");
        }
        fg_web__printf (req, "<dt>%s</dt><dd id=\"appeal-state\">", fg_web__t (req, "state"));
        fg_web__esc (req, fg_web__t (req, state));
        fg_web__printf (req, "</dd><dt>%s</dt><dd>", fg_web__t (req, "owner_org"));
        char unit [128];
        fg_org_unit_name (replica, owner, unit, sizeof unit);
        fg_web__esc (req, unit);
        fg_web__printf (req, "</dd></dl>\n");
        fg_web__section (req, "appeal_events", fg_appeal_events (replica, id, err, sizeof err), err);
        fg_web__printf (req, "<section class=\"noprint\"><h2>%s</h2>\n", fg_web__t (req, "next_step"));
        if (fg_rows_count (allowed) == 0)
            fg_web__printf (req, "<p class=\"empty\">%s</p>\n", fg_web__t (req, "no_transition"));
        else {
            char action [64];
            snprintf (action, sizeof action, "/appeal/%" PRIu64, id);
            s_form_render (req, &form, action, "transition");
        }
        fg_web__printf (req, "</section>\n");
        fg_web__foot (req);
    }
    s_form_free (&form);
    fg_rows_destroy (&allowed);
    fg_rows_destroy (&cadres);
    fg_rows_destroy (&units);
    fg_rows_destroy (&siblings);
    fg_rows_destroy (&appeal);
}

//  -------------------------------------------------------------------------
//  Publicity events: a unit's (DOMAIN §2.7: org_id is where it was held),
//  so a page of the township's, linked from the header's worklist

void
fg_web__page_publicity (fg_web_req_t *req)
{
    fg_replica_t *replica = req->web->site.replica;
    char err [512] = "", today [16];
    fg_date_format (fg_web__today (), today);
    fg_rows_t *units = fg_org_choices (replica, false, err, sizeof err);
    const char *hidden [] = { NULL };
    s_form_t form;
    s_form_init (req, &form, "publicity_event", hidden);
    //  Where it was held: the org_id every row has, picked by name
    static const fg_column_t s_place = { "org_id", FG_COL_ORG, NULL, FG_COL_REQUIRED, NULL, "where", NULL };
    if (form.count < FG_WEB_FIELDS_MAX) {
        memmove (&form.fields [1], &form.fields [0], form.count * sizeof form.fields [0]);
        memset (&form.fields [0], 0, sizeof form.fields [0]);
        form.fields [0].column = &s_place;
        form.fields [0].typed = fg_web__field (req, "org_id");
        form.count++;
    }
    s_form_default (req, &form, "occurred_on", today);
    s_form_default (req, &form, "org_id", fg_replica_self (replica)->org);
    s_form_choice (&form, "org_id", units, "code", "name", NULL);
    uint64_t written = 0;
    if (req->post && s_form_write (req, &form, NULL, 0, &written))
        zsys_info ("web: %s recorded publicity event %" PRIu64, req->session->user, written);
    if (req->post && !form.refused) {
        req->status = 303;
        req->location = fg_strdupf ("/publicity?saved=%" PRIu64, written);
    }
    else {
        fg_web__head (req, fg_web__t (req, "publicity"));
        if (fg_web__field (req, "saved") && !req->post)
            fg_web__printf (req, "<p class=\"ok noprint\" role=\"status\">%s</p>\n", fg_web__t (req, "saved"));
        fg_web__printf (req, "<section class=\"noprint\"><h2>%s</h2>\n", fg_web__t (req, "record_publicity"));
        s_form_render (req, &form, "/publicity", "publicity");
        fg_web__printf (req, "</section>\n");
        fg_web__section (req, "publicity_recent", fg_publicity_recent (replica, 100, err, sizeof err), err);
        fg_web__foot (req);
    }
    s_form_free (&form);
    fg_rows_destroy (&units);
}

//  -------------------------------------------------------------------------
//  Tables of chosen columns

//  The start of a table of the `shown` columns (class css), or what
//  stands instead: the error, or "none". True when its rows follow.
static bool
s_table_open (fg_web_req_t *req, const fg_rows_t *rows, const char *err, const char *css,
              const char *const *shown, size_t count, const char *last_th)
{
    if (!rows || fg_rows_count (rows) == 0) {
        if (!rows)
            fg_web__error (req, err);
        else
            fg_web__printf (req, "<p class=\"empty\">%s</p>\n", fg_web__t (req, "none"));
        return false;
    }
    fg_web__printf (req, "<table class=\"%s\"><thead><tr>", css);
    for (size_t c = 0; c < count; c++)
        fg_web__printf (req, "<th>%s</th>", fg_web__t (req, shown [c]));
    fg_web__printf (req, "%s</tr></thead><tbody>\n", last_th);
    return true;
}

//  The cells of row r, one per `shown` column as `kinds` says: '-' as it
//  is, 'l' by its label, 'n' a number, 'a' a link to prefix + the row's id
static void
s_table_cells (fg_web_req_t *req, const fg_rows_t *rows, size_t r, const char *const *shown, const char *kinds,
               const char *prefix, const char *id_column)
{
    for (size_t c = 0; kinds [c]; c++) {
        const char *cell = fg_web__cell (rows, r, shown [c]);
        fg_web__printf (req, kinds [c] == 'n' ? "<td class=\"num\">" : "<td>");
        if (kinds [c] == 'a') {
            fg_web__printf (req, "<a href=\"%s", prefix);
            fg_web__esc (req, fg_web__cell (rows, r, id_column));
            fg_web__printf (req, "\">");
        }
        fg_web__esc (req, kinds [c] == 'l' ? fg_web__t (req, cell) : cell ? cell : "");
        fg_web__printf (req, kinds [c] == 'a' ? "</a></td>" : "</td>");
    }
}

//  -------------------------------------------------------------------------
//  The household page's sections: assistance (each record reversible
//  once) and appeals (each linking to its page, with its state)

void
fg_web__household_casework (fg_web_req_t *req, uint64_t id)
{
    fg_replica_t *replica = req->web->site.replica;
    char err [512] = "";
    fg_web__printf (req, "<section><h2>%s</h2>\n<p class=\"noprint\"><a href=\"/household/%" PRIu64
                    "/assistance\">%s</a></p>\n", fg_web__t (req, "assistance"), id,
                    fg_web__t (req, "record_assistance"));
    fg_rows_t *rows = fg_household_assistance (replica, id, err, sizeof err);
    const char *given [] = { "occurred_on", "beneficiary", "type", "amount_fen", "provider", "reverses_id",
                             "reversed_by" };
    if (s_table_open (req, rows, err, "assistance", given, 7, "<th class=\"noprint\"></th>")) {
        for (size_t r = 0; r < fg_rows_count (rows); r++) {
            fg_web__printf (req, "<tr>");
            s_table_cells (req, rows, r, given, "--ln---", NULL, NULL);
            //  A reversal repeats the record: the form opens filled in
            fg_web__printf (req, "<td class=\"noprint\">");
            if (!fg_web__cell (rows, r, "reverses_id") && !fg_web__cell (rows, r, "reversed_by")) {
                fg_web__printf (req, "<a class=\"reverse\" href=\"/household/%" PRIu64 "/assistance?reverses_id=", id);
                fg_web__esc (req, fg_web__cell (rows, r, "id"));
                fg_web__printf (req, "\">%s</a>", fg_web__t (req, "reverse"));
            }
            fg_web__printf (req, "</td></tr>\n");
        }
        fg_web__printf (req, "</tbody></table>\n");
    }
    fg_rows_destroy (&rows);
    fg_web__printf (req, "</section>\n<section><h2>%s</h2>\n<p class=\"noprint\"><a href=\"/household/%" PRIu64
                    "/appeal\">%s</a></p>\n", fg_web__t (req, "appeals"), id, fg_web__t (req, "file_appeal"));
    rows = fg_household_appeals (replica, id, err, sizeof err);
    const char *asked [] = { "received_on", "appellant_name", "type", "summary", "state" };
    if (s_table_open (req, rows, err, "appeals", asked, 5, "")) {
        for (size_t r = 0; r < fg_rows_count (rows); r++) {
            fg_web__printf (req, "<tr>");
            s_table_cells (req, rows, r, asked, "--lal", "/appeal/", "id");
            fg_web__printf (req, "</tr>\n");
        }
        fg_web__printf (req, "</tbody></table>\n");
    }
    fg_rows_destroy (&rows);
    fg_web__printf (req, "</section>\n");
}

//  -------------------------------------------------------------------------
//  The worklist: must-visits waiting (each links to the visit form with
//  its trigger picked), and this node's proposals the owner rejected

void
fg_web__worklist_casework (fg_web_req_t *req)
{
    fg_replica_t *replica = req->web->site.replica;
    char err [512] = "";
    fg_web__printf (req, "<p class=\"noprint\"><a href=\"/publicity\">%s</a></p>\n", fg_web__t (req, "record_publicity"));
    fg_web__printf (req, "<section><h2>%s</h2>\n", fg_web__t (req, "must_visits_waiting"));
    fg_rows_t *rows = fg_worklist_must_visits (replica, fg_web__today (), 500, err, sizeof err);
    const char *shown [] = { "head_name", "category", "occurred_on", "due_by", "state" };
    if (s_table_open (req, rows, err, "must-visits", shown, 5, "<th></th>")) {
        for (size_t r = 0; r < fg_rows_count (rows); r++) {
            const char *household = fg_web__cell (rows, r, "household_id") ?: "";
            const char *state = fg_web__cell (rows, r, "state") ?: "";
            fg_web__printf (req, "<tr class=\"%s\">", streq (state, "overdue") ? "state-bad" : "");
            s_table_cells (req, rows, r, shown, "al--l", "/household/", "household_id");
            //  Ids and enum values only: digits and [a-z_] (the catalogue's)
            fg_web__printf (req, "<td><a class=\"record-visit\" href=\"/household/");
            fg_web__esc (req, household);
            fg_web__printf (req, "/visit?kind=must_visit&amp;must_visit_category=");
            fg_web__esc (req, fg_web__cell (rows, r, "category"));
            fg_web__printf (req, "&amp;trigger_id=");
            fg_web__esc (req, fg_web__cell (rows, r, "id"));
            fg_web__printf (req, "\">%s</a></td></tr>\n", fg_web__t (req, "record_visit"));
        }
        fg_web__printf (req, "</tbody></table>\n");
    }
    fg_rows_destroy (&rows);
    fg_web__printf (req, "</section>\n");

    fg_web__printf (req, "<section><h2>%s</h2>\n", fg_web__t (req, "proposals_refused"));
    rows = fg_proposals_refused (replica, err, sizeof err);
    if (!rows)
        fg_web__error (req, err);
    else
    if (fg_rows_count (rows) == 0)
        fg_web__printf (req, "<p class=\"empty\">%s</p>\n", fg_web__t (req, "none"));
    else {
        fg_web__printf (req, "<ul class=\"refused\">\n");
        for (size_t r = 0; r < fg_rows_count (rows); r++) {
            //  In plain words: what was asked, of which record, who refused it, when and why
            const char *table = fg_web__cell (rows, r, "table") ?: "";
            fg_web__printf (req, "<li>");
            fg_web__printf (req, "%s", fg_web__t (req, "refused_change"));
            fg_web__esc (req, fg_web__t (req, table));
            fg_web__printf (req, " ");
            if (streq (table, "household"))
                s_household_link (req, fg_web__cell (rows, r, "row_id"));
            else
                fg_web__esc (req, fg_web__cell (rows, r, "row_id"));
            fg_web__printf (req, "%s", req->en ? " (" : "（");
            fg_web__esc (req, fg_web__cell (rows, r, "fields"));
            fg_web__printf (req, "%s%s", req->en ? ")" : "）", fg_web__t (req, "refused_by"));
            fg_web__esc (req, fg_web__cell (rows, r, "decided_by"));
            fg_web__printf (req, " · ");
            fg_web__esc (req, fg_web__cell (rows, r, "decided_on"));
            fg_web__printf (req, "%s<q class=\"reason\">", fg_web__t (req, "refused_why"));
            fg_web__esc (req, fg_web__cell (rows, r, "reason"));
            fg_web__printf (req, "</q></li>\n");
        }
        fg_web__printf (req, "</ul>\n");
    }
    fg_rows_destroy (&rows);
    fg_web__printf (req, "</section>\n");
}

//  -------------------------------------------------------------------------
//  The words of these pages and the catalogue's values they show

typedef struct {
    const char *key, *zh, *en;
} s_label_t;

static s_label_t s_labels [] = {
    { "record_assistance", "登记帮扶", "Record assistance" },
    { "assistance_hint", "帮扶可发给本户，或发给本户被认定为困难群众的成员。发错了请“冲正”：冲正记录与原记录的受助对象、金额相同。",
      "Assistance goes to the household or to a member identified as vulnerable. A wrong record is reversed: "
      "the reversal repeats its beneficiary and amount." },
    { "reverse", "冲正", "Reverse" },
    { "not_eligible", "（今天不在享受期内）", " (not eligible today)" },
    { "not_a_member", "请从列表中选择本户或本户的困难群众成员。", "pick the household or one of its vulnerable members." },
    { "beneficiary", "受助对象", "beneficiary" },
    { "beneficiary_id", "受助对象", "beneficiary" },
    { "reverses_id", "冲正的原记录", "reverses" },
    { "reversed_by", "已被冲正", "reversed by" },
    { "funding_source", "资金来源", "funding source" },
    { "cash_subsidy", "现金补助", "cash subsidy" },
    { "in_kind", "实物", "in kind" },
    { "medical_insurance_subsidy", "医保参保资助", "medical insurance subsidy" },
    { "medical_assistance", "医疗救助", "medical assistance" },
    { "hospitalization_allowance", "住院临时生活补助", "hospitalization allowance" },
    { "barrier_free_renovation", "无障碍改造（阳光家园）", "barrier-free renovation" },
    { "dilapidated_house_renovation", "危房改造", "dilapidated-house renovation" },
    { "nursing_home_placement", "入住敬老院", "nursing-home placement" },
    { "charity_programme", "慈善项目", "charity programme" },
    { "condolence_money", "慰问金", "condolence money" },
    { "orphan", "孤儿", "orphan" },
    { "urban_three_no", "城市“三无”", "urban three-no" },
    { "rural_five_guarantee", "农村“五保”", "rural five-guarantee" },
    { "disabled", "残疾人", "disabled" },
    { "major_disease", "重大疾病", "major disease" },
    //  Appeals
    { "appeal", "诉求", "Appeal" },
    { "file_appeal", "登记诉求", "File an appeal" },
    { "appeal_events", "办理经过", "What happened" },
    { "next_step", "下一步办理", "Next step" },
    { "no_transition", "本节点现在不能再办理这条诉求（已办结、已合并或已撤回，或已由上级办理）。",
      "This node cannot move the appeal now (closed, merged or withdrawn, or owned above)." },
    { "not_from_state", "当前状态下不能这样办理：", "not allowed from the state " },
    { "appellant_name", "诉求人", "appellant" },
    { "appellant_person_id", "诉求人（家庭成员）", "appellant (member)" },
    { "channel", "来源渠道", "channel" },
    { "topic", "议题", "topic" },
    { "risk_level", "稳定风险", "stability risk" },
    { "deadline_on", "办理期限", "deadline" },
    { "supervising_unit", "督办单位", "supervising unit" },
    { "owner_org", "承办单位", "owner" },
    { "transition", "办理环节", "step" },
    { "to_owner_unit", "交办/上报到", "to unit" },
    { "actor_cadre_id", "经办干部", "cadre who acted" },
    { "actor_unit", "经办单位", "unit that acted" },
    { "extend_days", "延期天数", "days added" },
    { "dup_of", "与之重复的诉求（合并）", "duplicate of (merge)" },
    { "note", "说明", "note" },
    { "state_after", "办理后状态", "state after" },
    { "rejected", "未生效", "rejected" },
    { "reject_reason", "未生效原因", "why" },
    { "cadre_visit", "干部走访", "cadre visit" },
    { "reception_day", "领导接访日", "reception day" },
    { "leader_reception", "领导接访", "leader reception" },
    { "letter", "来信", "letter" },
    { "hotline", "热线", "hotline" },
    { "disclosure_objection", "公示异议", "disclosure objection" },
    { "difficulty", "困难问题", "difficulty" },
    { "dispute", "矛盾纠纷", "dispute" },
    { "petition", "信访", "petition" },
    { "suggestion", "意见建议", "suggestion" },
    { "hydropower", "水电开发", "hydropower" },
    { "municipal_construction", "市政建设", "municipal construction" },
    { "religious_sites", "宗教场所", "religious sites" },
    { "land_grassland", "土地草场", "land and grassland" },
    { "compensation", "补偿", "compensation" },
    { "resettlement", "移民安置", "resettlement" },
    { "other", "其他", "other" },
    { "low", "低", "low" },
    { "medium", "中", "medium" },
    { "high", "高", "high" },
    { "register", "登记", "register" },
    { "assign", "交办", "assign" },
    { "start", "开始办理", "start" },
    { "escalate", "上报", "escalate" },
    { "resolve", "办结", "resolve" },
    { "feedback", "反馈", "feedback" },
    { "close", "结案（群众满意）", "close (satisfied)" },
    { "reopen", "重新办理", "reopen" },
    { "merge", "合并", "merge" },
    { "withdraw", "撤回", "withdraw" },
    { "supervise", "督办", "supervise" },
    { "extend", "延期", "extend" },
    { "RECEIVED", "已受理", "received" },
    { "REGISTERED", "已登记", "registered" },
    { "ASSIGNED", "已交办", "assigned" },
    { "IN_PROGRESS", "办理中", "in progress" },
    { "ESCALATED", "已上报", "escalated" },
    { "RESOLVED", "已办结", "resolved" },
    { "FEEDBACK_GIVEN", "已反馈", "feedback given" },
    { "CLOSED_SATISFIED", "已结案（满意）", "closed, satisfied" },
    { "REOPENED", "重新办理", "reopened" },
    { "MERGED", "已合并", "merged" },
    { "WITHDRAWN", "已撤回", "withdrawn" },
    //  Publicity
    { "publicity", "宣传教育", "Publicity and education" },
    { "record_publicity", "登记宣传教育活动", "Record a publicity event" },
    { "publicity_recent", "最近的活动", "Recent events" },
    { "place", "地点", "place" },
    { "organizer_unit", "组织单位", "organiser" },
    { "method", "形式", "method" },
    { "theme", "主题", "theme" },
    { "audience", "对象", "audience" },
    { "audience_count", "受众人数", "people reached" },
    { "language", "语言", "language" },
    { "mission_guidance_book", "使命教育读本", "mission guidance book" },
    { "thematic_lecture", "专题宣讲", "thematic lecture" },
    { "model_lecture", "典型宣讲", "model lecture" },
    { "face_to_face", "面对面宣讲", "face to face" },
    { "performance", "文艺演出", "performance" },
    { "science_health_law_lecture", "科技卫生法律讲座", "science, health and law lecture" },
    { "outing", "参观", "outing" },
    { "traditional_media", "传统媒体", "traditional media" },
    { "new_media", "新媒体", "new media" },
    { "landscape_design", "景观设计", "landscape design" },
    { "newspaper_reading", "读报日", "newspaper reading" },
    { "patriotism", "爱国主义", "patriotism" },
    { "law_abiding", "遵纪守法", "law-abiding" },
    { "gratitude", "感恩", "gratitude" },
    { "tibetan", "藏语", "Tibetan" },
    { "mandarin", "普通话", "Mandarin" },
    { "bilingual", "双语", "bilingual" },
    //  The worklist
    { "must_visits_waiting", "待走访的必访事项", "Must-visits waiting for a visit" },
    { "window_open", "未到期", "due" },
    { "overdue", "已逾期", "overdue" },
    { "proposals_refused", "被上级驳回的修改", "Changes refused above" },
    { "refused_change", "对", "The change to " },
    { "refused_by", "被驳回：", " was refused by " },
    { "refused_why", "，原因：", "; why: " },
    { "must_visit_trigger", "必访事项", "must-visit trigger" },
    { "person", "人员", "person" },
    { NULL, NULL, NULL }
};

#define S_LABELS (sizeof s_labels / sizeof s_labels [0] - 1)

static int
s_label_compare (const void *a, const void *b)
{
    return strcmp (((const s_label_t *) a)->key, ((const s_label_t *) b)->key);
}

static void
s_labels_sort (void)
{
    qsort (s_labels, S_LABELS, sizeof s_labels [0], s_label_compare);
}

const char *
fg_web__casework_label (bool en, const char *key)
{
    //  Asked for every cell of a table: names, dates and ids are no keys
    if (!isalpha ((unsigned char) key [0]))
        return NULL;
    static pthread_once_t sorted = PTHREAD_ONCE_INIT;
    pthread_once (&sorted, s_labels_sort);
    s_label_t wanted = { key, NULL, NULL };
    const s_label_t *label = (const s_label_t *) bsearch (&wanted, s_labels, S_LABELS, sizeof s_labels [0],
                                                          s_label_compare);
    return label ? (en ? label->en : label->zh) : NULL;
}
