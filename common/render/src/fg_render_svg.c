/*  fg_render_svg.c - bar charts of rows as inline SVG (see fg_render.h).
    Horizontal bars, because the labels are org unit names, often long
    and in Chinese: one group per row, one bar per value column, scaled to
    the largest value in the chart. Floating point is fine here: it only
    places pixels, and no figure is computed from it. */
#include "fg_render.h"
#include "fg_util.h"

void
fg_html_text (FILE *file, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++)
        switch (*p) {
            case '&':  fputs ("&amp;", file);  break;
            case '<':  fputs ("&lt;", file);   break;
            case '>':  fputs ("&gt;", file);   break;
            case '"':  fputs ("&quot;", file); break;
            case '\'': fputs ("&#39;", file);  break;
            default:
                //  Control characters other than tab and newline are not
                //  allowed in XML: drop them
                if ((unsigned char) *p >= 0x20 || *p == '\t' || *p == '\n')
                    fputc (*p, file);
        }
}

static int
s_column (const fg_rows_t *rows, const char *name)
{
    for (size_t c = 0; c < fg_rows_column_count (rows); c++)
        if (streq (fg_rows_column_name (rows, c), name))
            return (int) c;
    return -1;
}

//  A label cut to at most `max` display columns (CJK counts 2).
static void
s_label (FILE *file, const char *text, size_t max)
{
    char cut [256];
    size_t bytes = 0, width = 0;
    text = text ? text : "";
    while (text [bytes] && bytes < sizeof cut - 4) {
        unsigned char ch = (unsigned char) text [bytes];
        size_t len = ch < 0x80 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
        size_t w = ch >= 0xE3 && ch < 0xF0 ? 2 : 1;
        if (width + w > max)
            break;
        width += w;
        bytes += len;
    }
    snprintf (cut, sizeof cut, "%.*s%s", (int) bytes, text, text [bytes] ? "…" : "");
    fg_html_text (file, cut);
}

static const char *s_colours [] = { "#2f6fad", "#e08a1e", "#3a9a5b", "#b8433a", "#7a5aa6" };
#define S_COLOURS (sizeof s_colours / sizeof s_colours [0])

int
fg_render_svg_bars (const fg_rows_t *rows, const char *label_column,
                    const char *const *value_columns, const char *const *legend,
                    size_t value_count, const char *title, size_t max_rows, FILE *file)
{
    int label = s_column (rows, label_column);
    int columns [16];
    if (label < 0 || value_count == 0 || value_count > 16)
        return -1;
    for (size_t v = 0; v < value_count; v++)
        if ((columns [v] = s_column (rows, value_columns [v])) < 0)
            return -1;
    size_t count = fg_rows_count (rows);
    const char *total = fg_rows_meta (rows, "total_row");
    if (total && streq (total, "1") && count)
        count--;
    size_t shown = count < (max_rows ? max_rows : 40) ? count : (max_rows ? max_rows : 40);
    double top = 0;
    for (size_t r = 0; r < shown; r++)
        for (size_t v = 0; v < value_count; v++) {
            const char *cell = fg_rows_cell (rows, r, (size_t) columns [v], NULL);
            double value = cell ? strtod (cell, NULL) : 0;
            if (value > top)
                top = value;
        }
    //  Layout (SVG user units = CSS px; 680 fits A4 with margins at 96 dpi)
    const int width = 680, label_w = 170, value_w = 60, bar_h = 12, gap = 6;
    const int head = 24 + 18;                      //  title, legend
    int group_h = (int) value_count * bar_h + gap;
    int height = head + (int) shown * group_h + (count > shown ? 20 : 4) + (shown ? 0 : 20);
    double plot_w = width - label_w - value_w - 10;
    fprintf (file, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" "
                   "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", width, height, width, height);
    fprintf (file, "<title>");
    fg_html_text (file, title);
    fprintf (file, "</title>\n<text x=\"0\" y=\"16\" class=\"chart-title\">");
    fg_html_text (file, title);
    fprintf (file, "</text>\n");
    int x = label_w;
    for (size_t v = 0; v < value_count; v++) {
        const char *name = legend && legend [v] ? legend [v] : value_columns [v];
        fprintf (file, "<rect x=\"%d\" y=\"28\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                       "<text x=\"%d\" y=\"37\" class=\"legend\">", x, s_colours [v % S_COLOURS], x + 14);
        fg_html_text (file, name);
        fprintf (file, "</text>\n");
        x += 24 + 12 * (int) (strlen (name) > 30 ? 30 : strlen (name));
    }
    fprintf (file, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", label_w, head - 2,
             label_w, head + (int) shown * group_h);
    for (size_t r = 0; r < shown; r++) {
        int y = head + (int) r * group_h;
        fprintf (file, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"label\">", label_w - 6,
                 y + (int) value_count * bar_h / 2 + 4);
        s_label (file, fg_rows_cell (rows, r, (size_t) label, NULL), 26);
        fprintf (file, "</text>\n");
        for (size_t v = 0; v < value_count; v++) {
            const char *cell = fg_rows_cell (rows, r, (size_t) columns [v], NULL);
            double value = cell ? strtod (cell, NULL) : 0;
            double w = top > 0 && value > 0 ? value / top * plot_w : 0;
            if (value > 0 && w < 1)
                w = 1;
            int by = y + (int) v * bar_h;
            fprintf (file, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                           "<text x=\"%.1f\" y=\"%d\" class=\"value\">", label_w + 1, by, w, bar_h - 2,
                     s_colours [v % S_COLOURS], label_w + 4 + w, by + bar_h - 3);
            fg_html_text (file, cell ? cell : "0");
            fprintf (file, "</text>\n");
        }
    }
    if (count > shown)
        fprintf (file, "<text x=\"%d\" y=\"%d\" class=\"note\">… +%zu</text>\n", label_w,
                 head + (int) shown * group_h + 14, count - shown);
    if (!shown)
        fprintf (file, "<text x=\"%d\" y=\"%d\" class=\"note\">—</text>\n", label_w + 4, head + 12);
    fprintf (file, "</svg>\n");
    return 0;
}
