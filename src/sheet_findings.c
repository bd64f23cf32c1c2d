/* sheet_findings - the Findings sheet: every finding in rank order, one
 * plain sentence each, the figures it rests on and links to the rows
 * that show them. Invariant: read from fx_findings in rank order, so row
 * k holds rank k (the Summary's links rely on it). */
#include "book_int.h"

#include <stdio.h>
#include <string.h>

enum { G_RANK, G_KIND, G_SUBJECT, G_SOURCES, G_VERDICT, G_DETAIL, G_FIGURE, G_EXPECTED, G_DIFF,
       G_UNIT, G_SEE, G_FACT };
static const fx_col_spec finding_cols[] = {
    {"rank", 0, true},       {"kind", 0, false},     {"subject", 12, false},
    {"sources", 10, false},  {"verdict", 0, false},  {"finding", 90, false},
    {"figure", 0, true},     {"expected", 0, true},  {"difference", 0, true},
    {"unit", 0, false},      {"see", 0, false},      {"fact", 0, false},
};

#define DETAIL_CHARS 85 /* characters a line of the finding column holds */

static const char *see_sheet(fx_see s)
{
    return s == FX_SEE_COMPARISON ? "Comparison" : s == FX_SEE_CONVERSIONS ? "Conversions" : "Facts";
}

/* A link to data row i of a sheet that may continue ("Facts (2)"). */
static void link_row(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *base,
                     uint64_t i)
{
    char sheet[40], text[64];
    lxw_row_t to;
    fx_sheet_locate(b, base, i, sheet, sizeof sheet, &to);
    snprintf(text, sizeof text, "%s!%lu", sheet, (unsigned long)to + 1);
    fx_sheet_put_link(b, ws, r, c, sheet, to, 0, text);
}

static lxw_format *figure_format(fx_book *b, const fx_finding *f, int places)
{
    return strcmp(f->unit, "percent") == 0 ? fx_sheet_percent_format(b, places)
                                           : fx_sheet_places_format(b, places);
}

void fx_sheet_findings_write(fx_book *b, fx_findings *fs)
{
    fx_sheet s;
    fx_sheet_init(&s, "Findings", finding_cols, N(finding_cols), G_VERDICT, 3);
    if (!fx_sheet_start(b, &s))
        return;
    fx_findings_rewind(fs);
    const fx_finding *f;
    lxw_row_t r = 0;
    while (b->st == FX_OK && (f = fx_findings_next(fs)) && fx_sheet_next_row(b, &s, &r)) {
        lxw_worksheet *ws = s.ws;
        fx_sheet_put_num(b, ws, r, G_RANK, (double)f->rank, b->f_int);
        fx_sheet_put_str(b, ws, r, G_KIND, fx_find_kind_name(f->kind), NULL);
        fx_sheet_put_str(b, ws, r, G_SUBJECT, *f->fact_id ? f->fact_id : f->claim, NULL);
        fx_sheet_put_str(b, ws, r, G_SOURCES, f->sources, NULL);
        fx_sheet_put_str(b, ws, r, G_VERDICT, f->verdict, NULL);
        /* wrapped, and as tall as its lines: readers do not size rows */
        size_t lines = (strlen(f->detail) + DETAIL_CHARS - 1) / DETAIL_CHARS;
        if (lines > 1)
            fx_sheet_lxw_ok(b, worksheet_set_row(ws, r, 15.0 * (double)lines, NULL), "row height");
        fx_sheet_put_str(b, ws, r, G_DETAIL, f->detail, b->f_wrap_bottom);
        if (f->has_figure)
            fx_sheet_put_num(b, ws, r, G_FIGURE, f->figure, figure_format(b, f, f->figure_places));
        if (f->has_expected)
            fx_sheet_put_num(b, ws, r, G_EXPECTED, f->expected,
                             figure_format(b, f, f->expected_places));
        if (f->has_diff)
            fx_sheet_put_num(b, ws, r, G_DIFF, f->diff_pct, b->f_pct);
        fx_sheet_put_str(b, ws, r, G_UNIT, f->unit, NULL);
        link_row(b, ws, r, G_SEE, see_sheet(f->see), f->see_row);
        if (f->has_fact_row && f->see != FX_SEE_FACTS)
            link_row(b, ws, r, G_FACT, "Facts", f->fact_row);
    }
    if (fx_findings_error(fs))
        fx_sheet_fail(b, FX_E_IO, "findings", fx_findings_error(fs));
    if (s.ws && s.row == 1 && fx_sheet_next_row(b, &s, &r)) /* said plainly, not an empty list */
        fx_sheet_put_str(b, s.ws, r, G_DETAIL, "No findings: every conversion is consistent "
                                               "and every claim's sources agree.", NULL);
    fx_sheet_end(b, &s);
    if (s.ws && b->st == FX_OK) /* the sentence column with the rest: always one page wide */
        worksheet_fit_to_pages(s.ws, 1, 0);
}
