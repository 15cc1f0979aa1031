/*  fg_web_pages.c - the township's pages: find a household, a household
    (printable on A4), record a visit (a form made from the catalogue's
    visit table), the worklist and its acknowledgements. Screens: they
    parse what was sent, call the domain (fg_household.h, fg_record.h,
    fg_directive.h) and render; no SQL here. */
#include "fg_web_int.h"
#include "fg_household.h"
#include "fg_record.h"
#include "fg_directive.h"
#include "fg_pairing.h"
#include "fg_util.h"

static int64_t
s_today (void)
{
    return fg_now_ms () / 86400000;
}

static void
s_search_form (fg_web_req_t *req, const char *text)
{
    fg_web__printf (req, "<form method=\"get\" action=\"/\" class=\"search\"><label><span class=\"name\">%s</span> "
                    "<input type=\"search\" name=\"q\" maxlength=\"100\" placeholder=\"%s\" value=\"",
                    fg_web__t (req, "search_hint"), fg_web__t (req, "search_hint"));
    fg_web__esc (req, text ? text : "");
    fg_web__printf (req, "\" autofocus> <button type=\"submit\">%s</button></label></form>\n",
                    fg_web__t (req, "search"));
}

void
fg_web__page_home (fg_web_req_t *req)
{
    const char *text = fg_web__field (req, "q");
    fg_web__head (req, fg_web__t (req, "home"));
    s_search_form (req, text);
    if (text && *text && strlen (text) <= 100) {
        char err [512];
        fg_rows_t *rows = fg_household_search (req->web->site.replica, text, 200, err, sizeof err);
        if (!rows)
            fg_web__error (req, err);
        else
            fg_web__table (req, rows, "id", "/household/", "no_match");
        fg_rows_destroy (&rows);
    }
    fg_web__foot (req);
}

void
fg_web__page_household (fg_web_req_t *req, uint64_t id)
{
    fg_replica_t *replica = req->web->site.replica;
    char err [512] = "";
    fg_rows_t *household = fg_household_get (replica, id, err, sizeof err);
    if (!household || fg_rows_count (household) == 0) {
        fg_rows_destroy (&household);
        fg_web__fail (req, 404, "本节点没有这户的记录。", "this node holds no such household.");
        return;
    }
    char title [256];
    snprintf (title, sizeof title, "%s %s", fg_web__t (req, "household"),
              fg_web__cell (household, 0, "head_name") ? fg_web__cell (household, 0, "head_name") : "");
    fg_web__head (req, title);
    if (fg_web__field (req, "saved"))
        fg_web__printf (req, "<p class=\"ok noprint\" role=\"status\">%s</p>\n", fg_web__t (req, "saved"));
    fg_web__printf (req, "<p class=\"noprint\"><a href=\"/household/%" PRIu64 "/visit\">%s</a></p>\n",
                    id, fg_web__t (req, "record_visit"));
    fg_web__printf (req, "<dl class=\"facts\">\n");
    const char *shown [] = { "id", "hukou_no", "head_name", "org_id", "group_name", "size", "economy",
                             "status", "valid_from" };
    for (size_t i = 0; i < sizeof shown / sizeof shown [0]; i++) {
        const char *value = fg_web__cell (household, 0, shown [i]);
        fg_web__printf (req, "<dt>%s</dt><dd>", fg_web__t (req, shown [i]));
        fg_web__esc (req, value ? fg_web__t (req, value) : "");
        fg_web__printf (req, "</dd>\n");
    }
    fg_web__printf (req, "</dl>\n");
    fg_rows_destroy (&household);
    fg_rows_t *paired = fg_household_cadres (replica, id, s_today (), err, sizeof err);
    fg_web__printf (req, "<section><h2>%s</h2>\n", fg_web__t (req, "cadres"));
    if (!paired)
        fg_web__error (req, err);
    else
    if (fg_rows_count (paired) == 0)
        fg_web__printf (req, "<p class=\"empty\">%s</p>\n", fg_web__t (req, "none"));
    else {
        const char *shown_cadre [] = { "name", "phone", "role", "provisional" };
        fg_web__printf (req, "<table><thead><tr>");
        for (size_t c = 0; c < 4; c++)
            fg_web__printf (req, "<th>%s</th>", fg_web__t (req, shown_cadre [c]));
        fg_web__printf (req, "</tr></thead><tbody>\n");
        for (size_t r = 0; r < fg_rows_count (paired); r++) {
            fg_web__printf (req, "<tr>");
            for (size_t c = 0; c < 4; c++) {
                fg_web__printf (req, "<td>");
                const char *cell = fg_web__cell (paired, r, shown_cadre [c]);
                fg_web__esc (req, c >= 2 ? fg_web__t (req, cell) : cell);      //  names as they are
                fg_web__printf (req, "</td>");
            }
            fg_web__printf (req, "</tr>\n");
        }
        fg_web__printf (req, "</tbody></table>\n");
    }
    fg_rows_destroy (&paired);
    fg_web__printf (req, "</section>\n");
    fg_web__section (req, "members", fg_household_members (replica, id, err, sizeof err), err);
    fg_web__section (req, "visits", fg_household_visits (replica, id, err, sizeof err), err);
    fg_web__section (req, "triggers", fg_household_triggers (replica, id, err, sizeof err), err);
    fg_web__household_casework (req, id);
    fg_web__foot (req);
}

//  -------------------------------------------------------------------------
//  Record a visit: the form is the catalogue's visit table, less what the
//  page sets itself (what is visited) or what a clerk does not type.

static bool
s_visit_hidden (const fg_column_t *column)
{
    const char *hidden [] = { "target_kind", "target_id", "team_id", "pairing_id", "household_ack", NULL };
    if (column->flags & FG_COL_DERIVED)
        return true;
    for (size_t i = 0; hidden [i]; i++)
        if (streq (column->name, hidden [i]))
            return true;
    return false;
}

void
fg_web__option (fg_web_req_t *req, const char *value, const char *label, const char *typed)
{
    fg_web__printf (req, "<option value=\"");
    fg_web__esc (req, value);
    fg_web__printf (req, "\"%s>", typed && streq (typed, value) ? " selected" : "");
    fg_web__esc (req, label);
    fg_web__printf (req, "</option>");
}

void
fg_web__input (fg_web_req_t *req, fg_web_field_t *field, const fg_rows_t *cadres, const fg_rows_t *triggers)
{
    const fg_column_t *column = field->column;
    const char *name = column->name;
    const char *typed = field->typed ? field->typed : "";
    fg_web__printf (req, "<label><span class=\"name\">%s%s</span> ", fg_web__t (req, name),
                    (column->flags & FG_COL_REQUIRED) ? " *" : "");
    if (column->type == FG_COL_ENUM || column->type == FG_COL_BOOL
    ||  (column->type == FG_COL_ID && (cadres || triggers))) {
        fg_web__printf (req, "<select name=\"%s\">", name);
        fg_web__option (req, "", fg_web__t (req, "choose"), typed);
        if (column->type == FG_COL_BOOL) {
            fg_web__option (req, "yes", fg_web__t (req, "yes"), typed);
            fg_web__option (req, "no", fg_web__t (req, "no"), typed);
        }
        else
        if (column->type == FG_COL_ENUM) {
            char *values = strdup (column->values);
            for (char *value = strtok (values, "|"); value; value = strtok (NULL, "|"))
                fg_web__option (req, value, fg_web__t (req, value), typed);
            free (values);
        }
        else {
            const fg_rows_t *rows = streq (name, "cadre_id") ? cadres : triggers;
            for (size_t r = 0; rows && r < fg_rows_count (rows); r++) {
                char label [512];
                if (rows == cadres)
                    snprintf (label, sizeof label, "%s (%s)", fg_web__cell (rows, r, "name") ?: "",
                              fg_web__cell (rows, r, "org_id") ?: "");
                else
                    snprintf (label, sizeof label, "%s %s", fg_web__t (req, fg_web__cell (rows, r, "category")),
                              fg_web__cell (rows, r, "occurred_on") ?: "");
                fg_web__option (req, fg_web__cell (rows, r, "id") ?: "", label, typed);
            }
        }
        fg_web__printf (req, "</select>");
    }
    else
    if (streq (name, "notes") || streq (name, "problems_raised") || streq (name, "body")) {
        fg_web__printf (req, "<textarea name=\"%s\" rows=\"3\" cols=\"50\" maxlength=\"4000\">", name);
        fg_web__esc (req, typed);
        fg_web__printf (req, "</textarea>");
    }
    else {
        const char *kind = column->type == FG_COL_DATE ? "date" : "text";
        const char *mode = column->type == FG_COL_FEN ? " inputmode=\"decimal\""
                         : column->type == FG_COL_INT || column->type == FG_COL_ID ? " inputmode=\"numeric\"" : "";
        fg_web__printf (req, "<input type=\"%s\" name=\"%s\"%s maxlength=\"1000\" value=\"", kind, name, mode);
        fg_web__esc (req, typed);
        fg_web__printf (req, "\">");
        if (column->type == FG_COL_FEN)
            fg_web__printf (req, " %s", fg_web__t (req, "yuan"));
    }
    if (field->error [0]) {
        fg_web__printf (req, " <span class=\"field-error\" id=\"error-%s\" role=\"alert\">", name);
        fg_web__esc (req, field->error);
        fg_web__printf (req, "</span>");
    }
    fg_web__printf (req, "</label>\n");
}

//  Check one field as the write will, in yuan for money; fills field->value
//  or field->error.
void
fg_web__check_field (fg_web_req_t *req, fg_web_field_t *field)
{
    const fg_column_t *column = field->column;
    const char *typed = field->typed ? field->typed : "";
    while (*typed == ' ')
        typed++;
    if (!*typed) {
        if (column->flags & FG_COL_REQUIRED)
            snprintf (field->error, sizeof field->error, "%s", req->en ? "required" : "必填");
        return;
    }
    if (column->type == FG_COL_FEN) {
        //  Yuan: digits, and at most two after a point
        size_t whole = strspn (typed, "0123456789");
        const char *rest = typed + whole;
        size_t frac = *rest == '.' ? strspn (rest + 1, "0123456789") : 0;
        if (whole == 0 || whole > 12 || (*rest && (*rest != '.' || frac == 0 || frac > 2 || rest [1 + frac]))) {
            snprintf (field->error, sizeof field->error, "%s",
                      req->en ? "an amount in yuan, at most two decimals (12.50)"
                              : "金额按元填写，最多两位小数（如 12.50）");
            return;
        }
        field->value = *rest ? strdup (typed) : fg_strdupf ("%s.00", typed);
    }
    else
        field->value = strdup (typed);
    fg_value_t value;
    uint8_t *bytes = NULL;
    char err [400];
    if (fg_schema_parse (column, field->value, &value, &bytes, err, sizeof err)) {
        snprintf (field->error, sizeof field->error, "%s%s", req->en ? "" : "填写不对：", err);
        zstr_free (&field->value);
    }
    free (bytes);
}

void
fg_web__page_visit (fg_web_req_t *req, uint64_t id)
{
    fg_replica_t *replica = req->web->site.replica;
    char err [512] = "";
    fg_rows_t *household = fg_household_get (replica, id, err, sizeof err);
    if (!household || fg_rows_count (household) == 0) {
        fg_rows_destroy (&household);
        fg_web__fail (req, 404, "本节点没有这户的记录。", "this node holds no such household.");
        return;
    }
    char org [32], head [256];
    snprintf (org, sizeof org, "%s", fg_web__cell (household, 0, "org_id") ?: "");
    snprintf (head, sizeof head, "%s", fg_web__cell (household, 0, "head_name") ?: "");
    fg_rows_destroy (&household);
    fg_rows_t *cadres = fg_cadre_choices (replica, err, sizeof err);
    fg_rows_t *triggers = fg_household_triggers (replica, id, err, sizeof err);
    fg_rows_t *paired = fg_household_cadres (replica, id, s_today (), err, sizeof err);

    const fg_table_t *table = fg_schema_table ("visit");
    assert (table);
    fg_web_field_t fields [FG_WEB_FIELDS_MAX];
    size_t count = 0;
    char today [16];
    fg_date_format (s_today (), today);
    for (const fg_column_t *column = table->columns; column->name && count < FG_WEB_FIELDS_MAX; column++) {
        if (s_visit_hidden (column))
            continue;
        fg_web_field_t *field = &fields [count++];
        memset (field, 0, sizeof *field);
        field->column = column;
        field->typed = fg_web__field (req, column->name);
        if (!req->post && !field->typed) {
            //  Defaults: today, the household's pair, in person
            if (streq (column->name, "occurred_on"))
                field->typed = today;
            else
            if (streq (column->name, "cadre_id") && paired && fg_rows_count (paired))
                field->typed = fg_web__cell (paired, 0, "cadre_id");
            else
            if (streq (column->name, "in_person"))
                field->typed = "yes";
        }
    }
    bool refused = false;
    char refusal [512] = "";
    uint64_t visit_id = 0;
    if (req->post && !fg_web__may_write (req)) {
        refused = true;
        snprintf (refusal, sizeof refusal, "%s", fg_web__t (req, "read_only"));
        req->status = 403;
    }
    else
    if (req->post) {
        for (size_t i = 0; i < count; i++) {
            fg_web__check_field (req, &fields [i]);
            if (fields [i].error [0])
                refused = true;
        }
        if (refused)
            snprintf (refusal, sizeof refusal, "%s", fg_web__t (req, "fix_fields"));
        else {
            fg_kv_t kv [FG_WEB_FIELDS_MAX + 4];
            size_t n = 0;
            char target [24];
            snprintf (target, sizeof target, "%" PRIu64, id);
            kv [n++] = (fg_kv_t) { "org_id", org };
            kv [n++] = (fg_kv_t) { "target_kind", "household" };
            kv [n++] = (fg_kv_t) { "target_id", target };
            for (size_t i = 0; i < count; i++)
                if (fields [i].value)
                    kv [n++] = (fg_kv_t) { fields [i].column->name, fields [i].value };
            if (fg_record_add (replica, "visit", kv, n, req->session->user, &visit_id, NULL,
                               err, sizeof err)) {
                refused = true;
                snprintf (refusal, sizeof refusal, "%s%s", fg_web__t (req, "refused"), err);
                //  The column the refusal names gets the message beside it
                for (size_t i = 0; i < count; i++)
                    if (strstr (err, fields [i].column->name)) {
                        snprintf (fields [i].error, sizeof fields [i].error, "%s", err);
                        break;
                    }
            }
            else
                zsys_info ("web: %s recorded visit %" PRIu64 " of household %" PRIu64,
                           req->session->user, visit_id, id);
        }
        if (refused)
            req->status = 422;
    }
    for (size_t i = 0; i < count; i++)
        zstr_free (&fields [i].value);
    if (req->post && !refused) {
        //  Post, redirect, get: the household page shows the new visit
        req->status = 303;
        req->location = fg_strdupf ("/household/%" PRIu64 "?saved=%" PRIu64, id, visit_id);
    }
    else {
        char title [300];
        snprintf (title, sizeof title, "%s · %s", fg_web__t (req, "record_visit"), head);
        fg_web__head (req, title);
        if (refused) {
            fg_web__printf (req, "<p class=\"error\" role=\"alert\" id=\"refusal\">");
            fg_web__esc (req, refusal);
            fg_web__printf (req, "</p>\n");
        }
        fg_web__printf (req, "<form method=\"post\" action=\"/household/%" PRIu64 "/visit\" class=\"record\">\n",
                        id);
        fg_web__csrf (req);
        for (size_t i = 0; i < count; i++)
            fg_web__input (req, &fields [i], cadres, triggers);
        fg_web__printf (req, "<p>* %s</p><button type=\"submit\">%s</button>\n</form>\n",
                        fg_web__t (req, "required"), fg_web__t (req, "save"));
        fg_web__printf (req, "<p><a href=\"/household/%" PRIu64 "\">%s</a></p>\n", id, head [0] ? "←" : "");
        fg_web__foot (req);
    }
    fg_rows_destroy (&cadres);
    fg_rows_destroy (&triggers);
    fg_rows_destroy (&paired);
}

//  -------------------------------------------------------------------------
//  The worklist

void
fg_web__page_worklist (fg_web_req_t *req)
{
    fg_replica_t *replica = req->web->site.replica;
    char err [512] = "";
    fg_web__head (req, fg_web__t (req, "worklist"));
    const char *done = fg_web__field (req, "acked");
    if (done)
        fg_web__printf (req, "<p class=\"ok\">%s</p>\n", fg_web__t (req, "saved"));

    fg_web__printf (req, "<section><h2>%s</h2>\n", fg_web__t (req, "directives_to_ack"));
    fg_rows_t *rows = fg_worklist_directives (replica, err, sizeof err);
    if (!rows)
        fg_web__error (req, err);
    else
    if (fg_rows_count (rows) == 0)
        fg_web__printf (req, "<p class=\"empty\">%s</p>\n", fg_web__t (req, "none"));
    else {
        fg_web__printf (req, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
                        fg_web__t (req, "id"), fg_web__t (req, "title"), fg_web__t (req, "due_on"),
                        fg_web__t (req, "ack_state"), fg_web__t (req, "acknowledge"));
        for (size_t r = 0; r < fg_rows_count (rows); r++) {
            const char *id = fg_web__cell (rows, r, "id");
            fg_web__printf (req, "<tr><td>");
            fg_web__esc (req, id);
            fg_web__printf (req, "</td><td>");
            fg_web__esc (req, fg_web__cell (rows, r, "title"));
            fg_web__printf (req, "</td><td>");
            fg_web__esc (req, fg_web__cell (rows, r, "due_on"));
            fg_web__printf (req, "</td><td>");
            fg_web__esc (req, fg_web__t (req, fg_web__cell (rows, r, "ack_state") ?: "none"));
            fg_web__printf (req, "</td><td><form method=\"post\" action=\"/worklist/ack\">");
            fg_web__csrf (req);
            fg_web__printf (req, "<input type=\"hidden\" name=\"directive_id\" value=\"");
            fg_web__esc (req, id);
            fg_web__printf (req, "\"><select name=\"state\">");
            fg_web__option (req, "applied", fg_web__t (req, "applied"), "applied");
            fg_web__option (req, "completed", fg_web__t (req, "completed"), NULL);
            fg_web__option (req, "refused", fg_web__t (req, "refused"), NULL);
            fg_web__printf (req, "</select> <input name=\"reason\" maxlength=\"500\" placeholder=\"%s\"> "
                            "<button type=\"submit\">%s</button></form></td></tr>\n",
                            fg_web__t (req, "reason"), fg_web__t (req, "acknowledge"));
        }
        fg_web__printf (req, "</tbody></table>\n");
    }
    fg_rows_destroy (&rows);
    fg_web__printf (req, "</section>\n");

    fg_web__printf (req, "<section><h2>%s</h2>\n", fg_web__t (req, "unpaired"));
    rows = fg_worklist_unpaired (replica, s_today (), FG_PAIRING_GRACE_DAYS, err, sizeof err);
    if (!rows)
        fg_web__error (req, err);
    else
        fg_web__table (req, rows, "id", "/household/", "none");
    fg_rows_destroy (&rows);
    fg_web__printf (req, "</section>\n");
    fg_web__worklist_casework (req);
    fg_web__foot (req);
}

void
fg_web__page_ack (fg_web_req_t *req)
{
    if (!fg_web__may_write (req)) {
        fg_web__fail (req, 403, "您的账号只能查看，不能录入。", "your account may read, not write.");
        return;
    }
    const char *text = fg_web__field (req, "directive_id");
    const char *state = fg_web__field (req, "state");
    const char *reason = fg_web__field (req, "reason");
    char *end = NULL;
    uint64_t id = text ? strtoull (text, &end, 10) : 0;
    if (!text || !*text || *end || !id || !state) {
        fg_web__fail (req, 400, "缺少指令编号或回执状态。", "the directive id or the state is missing.");
        return;
    }
    char err [512];
    if (fg_directive_ack (req->web->site.replica, id, state, reason && *reason ? reason : NULL, NULL,
                          req->session->user, err, sizeof err)) {
        char zh [700];
        snprintf (zh, sizeof zh, "回执没有保存：%s", err);
        fg_web__fail (req, 422, zh, err);
        return;
    }
    zsys_info ("web: %s acknowledged directive %" PRIu64 " as %s", req->session->user, id, state);
    req->status = 303;
    req->location = strdup ("/worklist?acked=1");
}
