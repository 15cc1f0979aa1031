/*  fg_web_import.c - a CSV file into a table (fg_import.h: what `fugai
    import` does), for a clerk: choose the table and a file (or paste the
    text), see a preview of the rows as they would be written (columns by
    their labels, units by name) and every error at once (line, column,
    what is wrong, in Chinese with the check's own words beside it), and
    only then confirm.

    The preview is a dry run of the import (every row checked as the
    write checks it, then rolled back). The confirmation form carries the
    file's bytes (base64, as uploaded: UTF-8 or GBK) and the hash of the
    table and bytes previewed; on POST the hash is computed again over
    what arrived (a file that changed is not written: the new preview is
    shown instead, 409) and the import runs for real: every row or none,
    through one checked batch, the account as author.

    Upload: multipart/form-data, at most FG_WEB_UPLOAD_MAX bytes (fg_web.h;
    fg_web_upload.c parses it). Screens: no SQL here. */
#include "fg_web_int.h"
#include "fg_import.h"
#include "fg_household.h"
#include "fg_util.h"
#include <sodium.h>

#define S_ERRORS_SHOWN  1000         //  errors listed (all are counted)
#define S_ROWS_SHOWN    1000         //  preview rows drawn (all are checked)

//  The tables a clerk imports registers into, and their names for people
//  (offered where this node's tier creates their rows: a township its
//  households, people and the vulnerable, a county its cadres)
static const struct {
    const char *name, *zh, *en;
} s_tables [] = {
    { "household", "农户", "households" },
    { "person", "家庭成员", "household members" },
    { "cadre", "干部", "cadres" },
    { "vulnerable_person", "困难群众", "vulnerable people" },
    { "assistance_record", "帮扶记录", "assistance records" },
    { NULL, NULL, NULL }
};

typedef struct {
    size_t line;
    char  *message;
} s_error_t;

typedef struct {
    fg_web_req_t *req;
    zlistx_t     *errors;            //  s_error_t (owned)
    zlistx_t     *rows;              //  zhashx_t column -> value (owned), "" key: the line
    zlistx_t     *columns;           //  column names in the order met (owned strings)
    size_t        rows_seen;
} s_run_t;

static const char *
s_l (fg_web_req_t *req, const char *zh, const char *en)
{
    return req->en ? en : zh;
}

static void
s_on_error (void *arg, size_t line, const char *message)
{
    s_run_t *run = (s_run_t *) arg;
    if (zlistx_size (run->errors) >= S_ERRORS_SHOWN)
        return;
    s_error_t *error = (s_error_t *) zmalloc (sizeof (s_error_t));
    assert (error);
    error->line = line;
    error->message = strdup (message);
    zlistx_add_end (run->errors, error);
}

static void
s_on_row (void *arg, size_t line, const fg_kv_t *fields, size_t count)
{
    s_run_t *run = (s_run_t *) arg;
    if (run->rows_seen++ >= S_ROWS_SHOWN)
        return;
    zhashx_t *row = zhashx_new ();
    zhashx_set_destructor (row, (zhashx_destructor_fn *) zstr_free);
    zhashx_insert (row, "", fg_strdupf ("%zu", line));
    for (size_t i = 0; i < count; i++) {
        zhashx_insert (row, fields [i].name, strdup (fields [i].value));
        bool known = false;
        for (const char *name = (const char *) zlistx_first (run->columns); name && !known;
             name = (const char *) zlistx_next (run->columns))
            known = streq (name, fields [i].name);
        if (!known)
            zlistx_add_end (run->columns, strdup (fields [i].name));
    }
    zlistx_add_end (run->rows, row);
}

static void
s_error_free (void **item_p)
{
    s_error_t *error = (s_error_t *) *item_p;
    if (error) {
        free (error->message);
        free (error);
        *item_p = NULL;
    }
}

static void
s_row_free (void **item_p)
{
    zhashx_destroy ((zhashx_t **) item_p);
}

static void
s_string_free (void **item_p)
{
    zstr_free ((char **) item_p);
}

//  A column's name for people
static const char *
s_label (fg_web_req_t *req, const fg_table_t *table, const char *name)
{
    const fg_column_t *column = fg_schema_column (table, name);
    if (!req->en && column && column->label)
        return column->label;
    return fg_web__t (req, name);
}

//  The column an import error is about (its name opens the check's words,
//  or follows "needs"), or NULL
static const fg_column_t *
s_error_column (const fg_table_t *table, const char *message)
{
    if (strncmp (message, "org_id ", 7) == 0 || strncmp (message, "org ", 4) == 0)
        return fg_schema_column (table, "org_id");
    const fg_column_t *best = NULL;
    for (const fg_column_t *column = table->columns; column->name; column++) {
        size_t length = strlen (column->name);
        const char *needs = strstr (message, " needs ");
        bool opens = strncmp (message, column->name, length) == 0 && message [length] == ' ';
        bool needed = needs && strncmp (needs + 7, column->name, length) == 0 && needs [7 + length] == ' ';
        if ((opens || needed) && (!best || strlen (best->name) < length))
            best = column;
    }
    return best;
}

//  What is wrong, in Chinese (the check's own words are shown beside it)
static const char *
s_error_zh (const char *message)
{
    static const struct { const char *words, *zh; } known [] = {
        { " must be one of ", "只能填写规定的选项之一" },
        { "must be a date", "应为日期，如 2026-11-30" },
        { "is not a plausible date", "日期不合理" },
        { "must be a whole number", "应为整数" },
        { "must be an integer", "应为整数" },
        { "must be fen or yuan", "金额按元填写，最多两位小数，如 12.50" },
        { "must be yes or no", "应填 是/否（yes/no）" },
        { "must be 0 or 1", "应填 是/否（yes/no）" },
        { "must not be negative", "不能为负数" },
        { "digit org code", "单位代码应为 6、9 或 12 位行政区划代码" },
        { "outside this node's org", "这个单位不在本节点辖区内" },
        { " needs ", "缺少必填项" },
        { "the header has", "这一行的字段数与表头不一致" },
        { "the header names no column", "表头有本表没有的列" },
        { "the header names column", "表头中同一列出现了两次" },
        { "quote", "CSV 格式错误（引号不配对）" },
        { "neither UTF-8 nor GB18030", "文件既不是 UTF-8 也不是 GBK/GB18030 文本，请另存为 CSV" },
        { "no rows under the header", "表头下面没有数据行" },
        { "no header line", "没有表头行（列名）" },
        { "rule:", "违反规定（见右侧的规则编号）" },
        { "does not create", "本级不能新建这种记录" },
        { "not valid UTF-8", "文字编码不对" },
        { "must be text", "应为文字" },
        { NULL, NULL }
    };
    for (size_t i = 0; known [i].words; i++)
        if (strstr (message, known [i].words))
            return known [i].zh;
    return "不能写入";
}

//  A cell as people read it: units by name, labels of values
static void
s_cell (fg_web_req_t *req, const fg_table_t *table, const char *name, const char *value)
{
    const fg_column_t *column = fg_schema_column (table, name);
    if (!value) {
        fg_web__printf (req, "<span class=\"empty\">—</span>");
        return;
    }
    if (streq (name, "org_id") || (column && column->type == FG_COL_ORG)) {
        char unit [FG_NAME_MAX + 1];
        fg_org_unit_name (req->web->site.replica, value, unit, sizeof unit);
        fg_web__esc (req, unit);
        fg_web__printf (req, " <small>");
        fg_web__esc (req, value);
        fg_web__printf (req, "</small>");
    }
    else
    if (streq (name, "household_id") && strspn (value, "0123456789") == strlen (value) && *value) {
        //  A household by its head's name
        char err [256];
        fg_rows_t *household = fg_household_get (req->web->site.replica, strtoull (value, NULL, 10), err, sizeof err);
        const char *head = household && fg_rows_count (household) ? fg_web__cell (household, 0, "head_name") : NULL;
        fg_web__esc (req, head ? head : s_l (req, "（本节点没有这户）", "(no such household here)"));
        fg_web__printf (req, " <small>");
        fg_web__esc (req, value);
        fg_web__printf (req, "</small>");
        fg_rows_destroy (&household);
    }
    else
    if (column && (column->type == FG_COL_ENUM || column->type == FG_COL_BOOL))
        fg_web__esc (req, fg_web__t (req, value));
    else
        fg_web__esc (req, value);
}

//  The hash of what is previewed: the table and the file's bytes (hex)
static void
s_hash (const char *table, const char *bytes, size_t size, char hex [65])
{
    uint8_t hash [32];
    crypto_generichash_state state;
    crypto_generichash_init (&state, NULL, 0, sizeof hash);
    crypto_generichash_update (&state, (const uint8_t *) table, strlen (table) + 1);
    crypto_generichash_update (&state, (const uint8_t *) bytes, size);
    crypto_generichash_final (&state, hash, sizeof hash);
    sodium_bin2hex (hex, 65, hash, sizeof hash);
}

//  The form that chooses a table and a file (or pasted text)
//  The table named, if this node's tier creates its rows, or NULL
static const fg_table_t *
s_table (fg_web_req_t *req, const char *name)
{
    const fg_table_t *table = name ? fg_schema_table (name) : NULL;
    if (!table || !(table->authors & fg_replica_self (req->web->site.replica)->tier))
        return NULL;
    return table;
}

static void
s_upload_form (fg_web_req_t *req, const char *table, const char *text)
{
    fg_web__printf (req, "<section id=\"upload\"><h2>%s</h2>\n<form method=\"post\" action=\"/import\" "
                    "enctype=\"multipart/form-data\" class=\"record import\">\n", s_l (req, "选择文件", "Choose a file"));
    fg_web__csrf (req);
    fg_web__printf (req, "<label><span class=\"name\">%s</span> <select name=\"table\">", s_l (req, "导入到", "into"));
    for (size_t i = 0; s_tables [i].name; i++)
        if (s_table (req, s_tables [i].name))
            fg_web__option (req, s_tables [i].name, s_l (req, s_tables [i].zh, s_tables [i].en), table ? table : "household");
    fg_web__printf (req, "</select></label>\n<label><span class=\"name\">%s</span> "
                    "<input type=\"file\" name=\"file\" accept=\".csv,text/csv\"></label>\n"
                    "<label><span class=\"name\">%s</span> <textarea name=\"text\" rows=\"6\" cols=\"70\">",
                    s_l (req, "CSV 文件（UTF-8 或 Excel 保存的 GBK）", "CSV file (UTF-8, or GBK as Excel saves it)"),
                    s_l (req, "或粘贴 CSV 内容", "or paste the CSV"));
    fg_web__esc (req, text ? text : "");
    fg_web__printf (req, "</textarea></label>\n<p class=\"meta\">%s</p>\n<button type=\"submit\">%s</button>\n</form>\n</section>\n",
                    s_l (req, "第一行是表头（列名，中文或英文），其后每行一条新记录。先预览、列出全部问题，确认后才写入；"
                              "有任何一处问题则一行也不写入。",
                         "The first line is the header (column names or labels), then one new record a line. "
                         "You see a preview and every problem first; nothing is written until you confirm, and "
                         "nothing at all while any row is wrong."),
                    s_l (req, "预览", "Preview"));
}

//  The preview: counts, every error, the rows by name; the confirmation
static void
s_preview (fg_web_req_t *req, const fg_table_t *table, const char *label, const s_run_t *run,
           const fg_import_report_t *report, const char *bytes, size_t size, const char *hash)
{
    fg_web__printf (req, "<section id=\"preview\"><h2>%s</h2>\n<p class=\"meta\" id=\"preview-counts\">%s ",
                    s_l (req, "预览", "Preview"), s_l (req, "导入到", "into"));
    fg_web__esc (req, label);
    fg_web__printf (req, " · %s %zu · %s ", s_l (req, "数据行", "rows"), report->rows, s_l (req, "编码", "encoding"));
    fg_web__esc (req, report->encoding);
    fg_web__printf (req, " · %s <span id=\"error-count\">%zu</span></p>\n", s_l (req, "问题", "errors"), report->errors);
    if (report->ignored [0]) {
        fg_web__printf (req, "<p class=\"meta\">%s ", s_l (req, "忽略的列（每行都是新记录）：", "columns ignored (each row is a new record):"));
        fg_web__esc (req, report->ignored);
        fg_web__printf (req, "</p>\n");
    }
    if (report->errors) {
        fg_web__printf (req, "<p class=\"error\" role=\"alert\" id=\"refusal\">%s</p>\n",
                        s_l (req, "有问题，一行也没有写入。请在表格里改正下列各处后重新上传：",
                             "There are problems: nothing was written. Correct each of these in the file and upload it again:"));
        fg_web__printf (req, "<table class=\"errors\" id=\"errors\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
                        s_l (req, "行", "line"), s_l (req, "列", "column"), s_l (req, "问题", "problem"), s_l (req, "详情", "detail"));
        for (s_error_t *error = (s_error_t *) zlistx_first (run->errors); error;
             error = (s_error_t *) zlistx_next (run->errors)) {
            const fg_column_t *column = s_error_column (table, error->message);
            if (error->line)
                fg_web__printf (req, "<tr><td class=\"num\">%zu</td><td>", error->line);
            else
                fg_web__printf (req, "<tr><td>%s</td><td>", s_l (req, "整个文件", "the file"));
            if (column)
                fg_web__esc (req, s_label (req, table, column->name));
            fg_web__printf (req, "</td><td>%s</td><td><small>", req->en ? "" : s_error_zh (error->message));
            fg_web__esc (req, error->message);
            fg_web__printf (req, "</small></td></tr>\n");
        }
        fg_web__printf (req, "</tbody></table>\n");
        if (report->errors > zlistx_size (run->errors))
            fg_web__printf (req, "<p class=\"meta\">%s %zu / %zu</p>\n", fg_web__t (req, "shown_of"),
                            zlistx_size (run->errors), report->errors);
    }
    //  The rows as they would be written (the good ones, when some are not)
    if (zlistx_size (run->rows)) {
        fg_web__printf (req, "<table class=\"rows\" id=\"preview-rows\"><thead><tr><th>%s</th>", s_l (req, "行", "line"));
        for (const char *name = (const char *) zlistx_first (run->columns); name;
             name = (const char *) zlistx_next (run->columns)) {
            fg_web__printf (req, "<th>");
            fg_web__esc (req, s_label (req, table, name));
            fg_web__printf (req, "</th>");
        }
        fg_web__printf (req, "</tr></thead><tbody>\n");
        for (zhashx_t *row = (zhashx_t *) zlistx_first (run->rows); row; row = (zhashx_t *) zlistx_next (run->rows)) {
            fg_web__printf (req, "<tr><td class=\"num\">%s</td>", (const char *) zhashx_lookup (row, ""));
            for (const char *name = (const char *) zlistx_first (run->columns); name;
                 name = (const char *) zlistx_next (run->columns)) {
                fg_web__printf (req, "<td>");
                s_cell (req, table, name, (const char *) zhashx_lookup (row, name));
                fg_web__printf (req, "</td>");
            }
            fg_web__printf (req, "</tr>\n");
        }
        fg_web__printf (req, "</tbody></table>\n");
        if (run->rows_seen > S_ROWS_SHOWN)
            fg_web__printf (req, "<p class=\"meta\">%s %d</p>\n", fg_web__t (req, "shown_first"), S_ROWS_SHOWN);
    }
    if (report->errors == 0) {
        //  The confirmation: the bytes previewed and their hash
        size_t length = sodium_base64_ENCODED_LEN (size, sodium_base64_VARIANT_ORIGINAL);
        char *data = (char *) malloc (length);
        assert (data);
        sodium_bin2base64 (data, length, (const unsigned char *) bytes, size, sodium_base64_VARIANT_ORIGINAL);
        fg_web__printf (req, "<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\" class=\"record confirm\">\n");
        fg_web__csrf (req);
        fg_web__printf (req, "<input type=\"hidden\" name=\"table\" value=\"%s\"><input type=\"hidden\" name=\"hash\" value=\"%s\">"
                        "<input type=\"hidden\" name=\"data\" value=\"%s\">\n", table->name, hash, data);
        free (data);
        fg_web__printf (req, "<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\"> %s (%zu)</label>\n"
                        "<button type=\"submit\">%s</button>\n</form>\n",
                        s_l (req, "我已核对预览，确认导入这些行", "I have checked the preview: import these rows"),
                        report->rows, s_l (req, "导入", "Import"));
    }
    fg_web__printf (req, "</section>\n");
}

void
fg_web__page_import (fg_web_req_t *req)
{
    if (req->post && !fg_web__may_write (req)) {
        fg_web__fail (req, 403, "只有文员或管理员账号可以导入。", "only a clerk or an administrator account may import.");
        return;
    }
    const char *imported = req->post ? NULL : fg_web__field (req, "imported");
    if (!req->post) {
        fg_web__head (req, s_l (req, "导入 CSV", "Import a CSV file"));
        if (imported && strspn (imported, "0123456789") == strlen (imported) && *imported)
            fg_web__printf (req, "<p class=\"ok\" role=\"status\" id=\"imported\">%s <span id=\"imported-count\">%s</span> %s</p>\n",
                            s_l (req, "已导入", "Imported"), imported, s_l (req, "行，将随同步上报。", "rows; they travel up with the sync."));
        if (!fg_web__may_write (req))
            fg_web__printf (req, "<p class=\"empty\">%s</p>\n", fg_web__t (req, "read_only"));
        else
            s_upload_form (req, NULL, NULL);
        fg_web__foot (req);
        return;
    }
    if (!req->multipart) {
        fg_web__fail (req, 415, "导入要用页面上的表单提交（multipart/form-data）。",
                      "an import is sent by the page's form (multipart/form-data).");
        return;
    }
    //  What to import: the bytes confirmed (base64), a file, or pasted text
    const char *table_name = fg_web__field (req, "table");
    const fg_table_t *table = NULL;
    const char *table_label = NULL;
    for (size_t i = 0; table_name && s_tables [i].name; i++)
        if (streq (table_name, s_tables [i].name)) {
            table = s_table (req, table_name);
            table_label = s_l (req, s_tables [i].zh, s_tables [i].en);
        }
    if (!table) {
        fg_web__fail (req, 400, "请从列表里选择要导入的表。", "choose a table from the list.");
        return;
    }
    const char *data = fg_web__field (req, "data");
    const char *text = fg_web__field (req, "text");
    size_t size = 0;
    const char *file = fg_web__upload (req, "file", &size);
    unsigned char *decoded = NULL;
    const char *bytes = NULL;
    if (data && *data) {
        size_t length = strlen (data);
        decoded = (unsigned char *) malloc (length + 1);
        assert (decoded);
        if (sodium_base642bin (decoded, length, data, length, " \r\n", &size, NULL, sodium_base64_VARIANT_ORIGINAL)) {
            free (decoded);
            fg_web__fail (req, 400, "确认的内容已损坏：请重新上传文件。", "the confirmed data is damaged: upload the file again.");
            return;
        }
        bytes = (const char *) decoded;
    }
    else
    if (file && size)
        bytes = file;
    else
    if (text && *text) {
        bytes = text;
        size = strlen (text);
    }
    char hash [65] = "";
    const char *reviewed = fg_web__field (req, "hash");
    const char *confirm = fg_web__field (req, "confirm");
    bool write = decoded && confirm && streq (confirm, "yes");
    char refusal [300] = "";
    if (bytes)
        s_hash (table->name, bytes, size, hash);
    if (!bytes)
        snprintf (refusal, sizeof refusal, "%s", s_l (req, "没有内容：请选择一个 CSV 文件，或把内容粘贴到框里。",
                                                       "Nothing to import: choose a CSV file or paste its text."));
    else
    if (decoded && !write)
        snprintf (refusal, sizeof refusal, "%s", s_l (req, "没有导入：请勾选确认后再导入。", "Not imported: tick the confirmation first."));
    else
    if (write && (!reviewed || !streq (reviewed, hash))) {
        snprintf (refusal, sizeof refusal, "%s", s_l (req, "没有导入：内容与预览时不同，请看下面新的预览再确认。",
                                                       "Not imported: the file differs from the one previewed; check the new preview below."));
        write = false;
        req->status = 409;
    }
    s_run_t run = { req, zlistx_new (), zlistx_new (), zlistx_new (), 0 };
    zlistx_set_destructor (run.errors, s_error_free);
    zlistx_set_destructor (run.rows, s_row_free);
    zlistx_set_destructor (run.columns, s_string_free);
    fg_import_report_t report;
    memset (&report, 0, sizeof report);
    report.encoding = "";
    if (bytes) {
        fg_import_options_t options = { !write, s_on_error, NULL, &run, s_on_row };
        int rc = fg_import_csv_text (req->web->site.replica, table->name, bytes, size, "the upload",
                                     req->session->user, &options, &report);
        if (rc == 0 && write && report.imported) {
            zsys_info ("web: %s imported %zu %s rows (%s) in %llu entries", req->session->user, report.rows,
                       table->name, report.encoding, (unsigned long long) report.entries);
            req->status = 303;
            req->location = fg_strdupf ("/import?imported=%zu", report.rows);
        }
        else
        if (rc && req->status < 400)
            req->status = 422;
    }
    if (refusal [0] && req->status < 400)
        req->status = 422;
    if (req->status != 303) {
        fg_web__head (req, s_l (req, "导入 CSV", "Import a CSV file"));
        if (refusal [0]) {
            fg_web__printf (req, "<p class=\"error\" role=\"alert\" id=\"refusal\">");
            fg_web__esc (req, refusal);
            fg_web__printf (req, "</p>\n");
        }
        if (bytes)
            s_preview (req, table, table_label, &run, &report, bytes, size, hash);
        //  Pasted text is kept in the form (a file cannot be: browsers do not allow it)
        s_upload_form (req, table->name, text);
        fg_web__foot (req);
    }
    zlistx_destroy (&run.errors);
    zlistx_destroy (&run.rows);
    zlistx_destroy (&run.columns);
    free (decoded);
}
