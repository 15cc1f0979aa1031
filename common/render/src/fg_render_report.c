/*  fg_render_report.c - a report's sections in a format (see fg_render.h):
    the HTML page (tables and inline SVG charts, for the screen and for A4
    paper), and the text, JSON and CSV forms with their metadata. */
#include "fg_render.h"
#include "fg_util.h"

//  Words of the page, by language
typedef struct {
    const char *lang, *html_lang, *title, *scope, *period, *as_of, *computed, *node, *frontier,
               *total, *rows, *no_rows, *by, *footer;
} s_words_t;

static const s_words_t s_words [] = {
    { "zh", "zh-CN", "群众工作全覆盖 报表", "范围", "统计期", "截至", "生成时间", "生成节点",
      "数据前沿（来源节点:序号）", "合计", "行", "（无数据）", "分组",
      "本报表由 fugai 依据本节点所持数据生成；数据前沿列出计算时每个来源节点的最新记录序号，"
      "前沿相同的副本得出相同数字。" },
    { "en", "en", "Full coverage of mass work: report", "Scope", "Period", "As of", "Computed",
      "Node", "Frontier (origin:seq)", "Total", "rows", "(no rows)", "Grouped by",
      "Made by fugai from the records this node holds; the frontier lists, for each origin, the "
      "last entry held when the figures were computed: replicas with the same frontier give the "
      "same figures." },
};

static const s_words_t *
s_lang (const char *lang)
{
    return lang && streq (lang, "en") ? &s_words [1] : &s_words [0];
}

//  meta "KEY.LANG", else fallback
static const char *
s_meta_lang (const fg_rows_t *rows, const char *key, const char *lang, const char *fallback)
{
    char name [128];
    snprintf (name, sizeof name, "%s.%s", key, lang);
    const char *value = fg_rows_meta (rows, name);
    return value ? value : fallback;
}

static const char *
s_heading (const fg_rows_t *rows, size_t column, const char *lang)
{
    char key [128];
    snprintf (key, sizeof key, "label.%s.%s", lang, fg_rows_column_name (rows, column));
    const char *label = fg_rows_meta (rows, key);
    return label ? label : fg_rows_column_name (rows, column);
}

static const char *
s_meta (const fg_rows_t *rows, const char *key)
{
    const char *value = fg_rows_meta (rows, key);
    return value ? value : "";
}

static const char s_style [] =
    "@page { size: A4; margin: 14mm 12mm; }\n"
    "* { box-sizing: border-box; }\n"
    "body { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif;"
    " font-size: 10pt; color: #1a1a1a; margin: 0 auto; padding: 8px; max-width: 190mm; background: #fff; }\n"
    "h1 { font-size: 16pt; margin: 0 0 4px 0; border-bottom: 2px solid #2f6fad; padding-bottom: 4px; }\n"
    "h2 { font-size: 12.5pt; margin: 14px 0 4px 0; color: #1f4f80; break-after: avoid; page-break-after: avoid; }\n"
    "p.meta { font-size: 8.5pt; color: #444; margin: 2px 0 6px 0; overflow-wrap: anywhere; }\n"
    "table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 4px 0 10px 0; }\n"
    "thead { display: table-header-group; }\n"
    "th, td { border: 1px solid #9aa; padding: 1px 3px; vertical-align: top; overflow-wrap: anywhere; }\n"
    "th { background: #e8eef5; font-weight: 600; }\n"
    "td:first-child { white-space: nowrap; }\n"
    "td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }\n"
    "tr.total td { font-weight: 700; background: #f1f1f1; }\n"
    "tr { break-inside: avoid; page-break-inside: avoid; }\n"
    "figure { margin: 4px 0 6px 0; break-inside: avoid; page-break-inside: avoid; }\n"
    "svg.chart { display: block; max-width: 100%; height: auto; }\n"
    "svg .chart-title { font-size: 13px; font-weight: 600; fill: #1f4f80; }\n"
    "svg .legend, svg .label { font-size: 11px; fill: #222; }\n"
    "svg .value, svg .note { font-size: 10px; fill: #444; }\n"
    "section { margin-bottom: 8px; }\n"
    "footer { font-size: 8pt; color: #555; border-top: 1px solid #ccc; margin-top: 10px; padding-top: 4px; }\n"
    "@media print { body { max-width: none; padding: 0; } section { break-before: auto; } }\n";

//  The chart a section asks for: "LABEL[|LABEL_EN]:VALUE,VALUE..."
void
fg_render_report_chart (const fg_rows_t *rows, const char *lang, FILE *file)
{
    lang = s_lang (lang)->lang;
    const char *spec = fg_rows_meta (rows, "chart");
    if (!spec || !strchr (spec, ':'))
        return;
    char buffer [256];
    snprintf (buffer, sizeof buffer, "%s", spec);
    char *colon = strchr (buffer, ':');
    *colon = 0;
    char *label = buffer, *bar = strchr (buffer, '|');
    if (bar) {
        *bar = 0;
        if (streq (lang, "en"))
            label = bar + 1;
    }
    const char *values [16], *legend [16];
    size_t count = 0;
    for (char *value = strtok (colon + 1, ","); value && count < 16; value = strtok (NULL, ",")) {
        values [count] = value;
        size_t c;
        for (c = 0; c < fg_rows_column_count (rows); c++)
            if (streq (fg_rows_column_name (rows, c), value))
                break;
        legend [count++] = c < fg_rows_column_count (rows) ? s_heading (rows, c, lang) : value;
    }
    fprintf (file, "<figure>\n");
    fg_render_svg_bars (rows, label, values, legend, count,
                        s_meta_lang (rows, "chart.title", lang, s_meta (rows, "report")), 40, file);
    fprintf (file, "</figure>\n");
}

//  A cell's text for people: the section's label of that value
//  (metadata value.LANG.TEXT, which a report sets for its enum values:
//  received, applied...), else the text
static const char *
s_value (const fg_rows_t *rows, const char *lang, const char *text)
{
    if (!*text || strlen (text) > 64 || !fg_rows_meta (rows, "value_labels"))
        return text;
    char key [96];
    snprintf (key, sizeof key, "value.%s.%s", lang, text);
    const char *label = fg_rows_meta (rows, key);
    return label ? label : text;
}

static void
s_html_table (const fg_rows_t *rows, const s_words_t *words, FILE *file)
{
    size_t columns = fg_rows_column_count (rows), count = fg_rows_count (rows);
    const char *total = fg_rows_meta (rows, "total_row");
    bool has_total = total && streq (total, "1") && count;
    fprintf (file, "<table>\n<thead><tr>");
    for (size_t c = 0; c < columns; c++) {
        fprintf (file, "<th>");
        fg_html_text (file, s_heading (rows, c, words->lang));
        fprintf (file, "</th>");
    }
    fprintf (file, "</tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < count; r++) {
        bool last = has_total && r + 1 == count;
        fprintf (file, last ? "<tr class=\"total\">" : "<tr>");
        for (size_t c = 0; c < columns; c++) {
            bool number;
            const char *text = fg_rows_cell (rows, r, c, &number);
            fprintf (file, number ? "<td class=\"n\">" : "<td>");
            if (last && c == 1) {
                fg_html_text (file, words->total);
                fprintf (file, " ");
            }
            fg_html_text (file, text ? s_value (rows, words->lang, text) : "");
            fprintf (file, "</td>");
        }
        fprintf (file, "</tr>\n");
    }
    if (!count)
        fprintf (file, "<tr><td colspan=\"%zu\">%s</td></tr>\n", columns ? columns : 1, words->no_rows);
    fprintf (file, "</tbody>\n</table>\n");
}

void
fg_render_report_meta (const fg_rows_t *rows, const char *lang, FILE *file)
{
    const s_words_t *words = s_lang (lang);
    fprintf (file, "<p class=\"meta\">");
    fg_html_text (file, words->scope);
    fprintf (file, ": ");
    fg_html_text (file, s_meta (rows, "org_name"));
    fprintf (file, " (");
    fg_html_text (file, s_meta (rows, "org"));
    fprintf (file, ") · ");
    fg_html_text (file, words->period);
    fprintf (file, ": ");
    fg_html_text (file, s_meta (rows, "period"));
    fprintf (file, " (");
    fg_html_text (file, s_meta (rows, "from"));
    fprintf (file, " – ");
    fg_html_text (file, s_meta (rows, "to"));
    fprintf (file, ") · ");
    fg_html_text (file, words->as_of);
    fprintf (file, ": ");
    fg_html_text (file, s_meta (rows, "as_of"));
    if (fg_rows_meta (rows, "by")) {
        fprintf (file, " · ");
        fg_html_text (file, words->by);
        fprintf (file, ": ");
        fg_html_text (file, s_meta_lang (rows, "by", words->lang, s_meta (rows, "by")));
    }
    fprintf (file, "<br>");
    fg_html_text (file, words->computed);
    fprintf (file, ": ");
    fg_html_text (file, s_meta (rows, "computed_at"));
    fprintf (file, " · ");
    fg_html_text (file, words->node);
    fprintf (file, ": ");
    fg_html_text (file, s_meta (rows, "node"));
    fprintf (file, " · ");
    fg_html_text (file, words->frontier);
    fprintf (file, ": <code>");
    fg_html_text (file, s_meta (rows, "frontier"));
    fprintf (file, "</code></p>\n");
}

//  The sections alone, for a page that has its own frame and stylesheet
//  (the web console): what the page's body would hold, headings one level
//  down, the footer's sentence as a note.
static void
s_html_sections (const fg_rows_t *const *sections, size_t count, const s_words_t *words, FILE *file)
{
    fprintf (file, "<div class=\"report\">\n");
    if (count)
        fg_render_report_meta (sections [0], words->lang, file);
    for (size_t i = 0; i < count; i++) {
        const fg_rows_t *rows = sections [i];
        fprintf (file, "<section class=\"report-");
        fg_html_text (file, s_meta (rows, "report"));
        fprintf (file, "\" id=\"");
        fg_html_text (file, s_meta (rows, "report"));
        fprintf (file, "-");
        fg_html_text (file, s_meta (rows, "section"));
        fprintf (file, "\">\n<h2>");
        fg_html_text (file, s_meta_lang (rows, "title", words->lang, s_meta (rows, "report")));
        fprintf (file, " <small>(%zu %s)</small></h2>\n", fg_rows_count (rows), words->rows);
        if (i && (!streq (s_meta (rows, "frontier"), s_meta (sections [0], "frontier"))
              || !streq (s_meta (rows, "as_of"), s_meta (sections [0], "as_of"))))
            fg_render_report_meta (rows, words->lang, file);
        fg_render_report_chart (rows, words->lang, file);
        s_html_table (rows, words, file);
        fprintf (file, "</section>\n");
    }
    fprintf (file, "<p class=\"meta\">");
    fg_html_text (file, words->footer);
    fprintf (file, "</p>\n</div>\n");
}

static void
s_html (const fg_rows_t *const *sections, size_t count, const s_words_t *words, FILE *file)
{
    fprintf (file, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "style-src 'unsafe-inline'; img-src data:\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
             words->html_lang);
    fg_html_text (file, words->title);
    if (count == 1) {
        fprintf (file, " · ");
        fg_html_text (file, s_meta_lang (sections [0], "title", words->lang, s_meta (sections [0], "report")));
    }
    fprintf (file, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", s_style);
    fg_html_text (file, words->title);
    if (count) {
        fprintf (file, " · ");
        fg_html_text (file, s_meta (sections [0], "org_name"));
    }
    fprintf (file, "</h1>\n");
    if (count)
        fg_render_report_meta (sections [0], words->lang, file);
    fprintf (file, "</header>\n");
    for (size_t i = 0; i < count; i++) {
        const fg_rows_t *rows = sections [i];
        fprintf (file, "<section class=\"report-");
        fg_html_text (file, s_meta (rows, "report"));
        fprintf (file, "\">\n<h2>");
        fg_html_text (file, s_meta_lang (rows, "title", words->lang, s_meta (rows, "report")));
        fprintf (file, " <small>(%zu %s)</small></h2>\n", fg_rows_count (rows), words->rows);
        //  The as-of line again where it differs from the header's
        if (i && (!streq (s_meta (rows, "frontier"), s_meta (sections [0], "frontier"))
              || !streq (s_meta (rows, "as_of"), s_meta (sections [0], "as_of"))))
            fg_render_report_meta (rows, words->lang, file);
        fg_render_report_chart (rows, words->lang, file);
        s_html_table (rows, words, file);
        fprintf (file, "</section>\n");
    }
    fprintf (file, "<footer>");
    fg_html_text (file, words->footer);
    fprintf (file, "</footer>\n</body>\n</html>\n");
}

static void
s_json (const fg_rows_t *const *sections, size_t count, FILE *file)
{
    fprintf (file, "[");
    for (size_t i = 0; i < count; i++) {
        const fg_rows_t *rows = sections [i];
        fprintf (file, "%s\n{\"meta\": {", i ? "," : "");
        for (size_t m = 0; m < fg_rows_meta_count (rows); m++) {
            const char *key = fg_rows_meta_key (rows, m), *value = fg_rows_meta_value (rows, m);
            fprintf (file, "%s", m ? ", " : "");
            fg_json_string (file, key);
            fprintf (file, ": ");
            //  The frontier is JSON made by the domain ({"origin": seq})
            if (streq (key, "frontier") && *value == '{')
                fprintf (file, "%s", value);
            else
                fg_json_string (file, value);
        }
        fprintf (file, "},\n\"rows\": ");
        fg_render_rows (rows, FG_FORMAT_JSON, 0, file);
        fprintf (file, "}");
    }
    fprintf (file, "%s]\n", count ? "\n" : "");
}

void
fg_render_report (const fg_rows_t *const *sections, size_t count, fg_format_t format,
                  const char *lang, unsigned flags, FILE *file)
{
    const s_words_t *words = s_lang (lang);
    if (format == FG_FORMAT_HTML && (flags & FG_RENDER_FRAGMENT))
        s_html_sections (sections, count, words, file);
    else
    if (format == FG_FORMAT_HTML)
        s_html (sections, count, words, file);
    else
    if (format == FG_FORMAT_JSON)
        s_json (sections, count, file);
    else
    if (format == FG_FORMAT_CSV) {
        for (size_t i = 0; i < count; i++) {
            if (i)
                fprintf (file, "\n");
            fg_render_rows (sections [i], FG_FORMAT_CSV, i ? flags & ~FG_RENDER_BOM : flags, file);
        }
    }
    else
        for (size_t i = 0; i < count; i++) {
            const fg_rows_t *rows = sections [i];
            //  Every value through fg_text_safe (org names come from
            //  records); only the constant separators are written as they are
            fputs (i ? "\n== " : "== ", file);
            fg_text_safe (file, s_meta_lang (rows, "title", words->lang, s_meta (rows, "report")));
            fputs (" ==\n", file);
            const char *line [] = {
                words->scope, " ", s_meta (rows, "org_name"), " (", s_meta (rows, "org"), ")  ",
                words->period, " ", s_meta (rows, "period"), "  ", words->as_of, " ", s_meta (rows, "as_of"),
                "  ", words->computed, " ", s_meta (rows, "computed_at"), NULL
            };
            for (size_t p = 0; line [p]; p++)
                fg_text_safe (file, line [p]);
            fputs ("\n", file);
            fg_text_safe (file, words->frontier);
            fputs (" ", file);
            fg_text_safe (file, s_meta (rows, "frontier"));
            fputs ("\n", file);
            fg_render_rows (rows, FG_FORMAT_TEXT, flags, file);
        }
}
