/* sheet_summary - the Summary sheet, one printed page: what was run (the
 * inputs and rates files with size and SHA-256, targets, every option),
 * the counts, the top findings linked to their Findings rows, and a chart
 * of the disputed money claims that shows each source's interval.
 * Invariant: at most SUMMARY_ROWS rows at any input size; lists longer
 * than their room say how many more and where they are. Rows go out in
 * order (constant_memory), so the chart's numbers are written beside the
 * rows as they pass, in hidden columns. */
#include "book_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUMMARY_ROWS 60
#define INPUTS_SHOWN 6  /* inputs listed; the rest counted */
#define RATES_SHOWN 4   /* rates files listed */
#define TOP_FINDINGS 20
#define BARS_MAX 16     /* intervals in the chart: it ends above the top findings */
#define CHART_COL 26    /* hidden columns AA:AC hold the chart's numbers */

enum { COL_A, COL_B, COL_C, COL_D, COL_E, COL_F };
static const fx_col_spec summary_cols[] = {
    {"", 34, false}, {"", 13, true}, {"", 12, true}, {"", 12, true}, {"", 12, true}, {"", 66, false},
    {"", 2, false}, /* a SHA-256 in F (rates) or from E (inputs) ends before the chart in H */
};

typedef struct {
    char label[96];
    double lo, width; /* the bar: from lo, width long (an open end is drawn to the edge) */
} bar;

typedef struct {
    fx_book *b;
    lxw_worksheet *ws;
    lxw_row_t r;
    bar bars[BARS_MAX];
    size_t nbars, written;
    double top, bottom;   /* the finite bounds' extremes */
    double axis_lo, axis_hi; /* the value axis; open ends are drawn to it */
} summary;

/* Ends the current row: first the chart numbers that belong on it. */
static void next_row(summary *s)
{
    if (s->written < s->nbars && s->r >= 1) {
        const bar *x = &s->bars[s->written++];
        fx_sheet_put_str(s->b, s->ws, s->r, CHART_COL, x->label, NULL);
        fx_sheet_put_num(s->b, s->ws, s->r, CHART_COL + 1, x->lo, NULL);
        fx_sheet_put_num(s->b, s->ws, s->r, CHART_COL + 2, x->width, NULL);
    }
    s->r++;
}

static void label(summary *s, const char *what, const char *value)
{
    fx_sheet_put_str(s->b, s->ws, s->r, COL_A, what, s->b->f_bold);
    if (value)
        fx_sheet_put_str(s->b, s->ws, s->r, COL_B, value, NULL);
    next_row(s);
}

static void heads(summary *s, const fx_col_spec *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fx_sheet_put_str(s->b, s->ws, s->r, (lxw_col_t)i, h[i].name,
                         h[i].num ? s->b->f_head_num : s->b->f_head);
    next_row(s);
}

static void run_info(summary *s)
{
    fx_book *b = s->b;
    const fx_book_info *in = b->info;
    fx_sheet_put_str(b, s->ws, s->r, COL_A, "fxbook audit workpaper", b->f_title);
    next_row(s);
    label(s, "version", in->version ? in->version : "");
    /* every option in full, wrapped across B:F */
    fx_sheet_put_str(b, s->ws, s->r, COL_A, "options", b->f_bold_top);
    size_t lines = strlen(b->options) / 100 + 1;
    fx_sheet_lxw_ok(b, worksheet_set_row(s->ws, s->r, 15.0 * (double)lines, NULL), "row height");
    fx_sheet_cell_ok(b, worksheet_merge_range(s->ws, s->r, COL_B, s->r, COL_F, b->options,
                                              b->f_wrap),
                     s->ws, s->r, COL_B);
    next_row(s);
    char targets[FX_MAX_TARGETS * 5 + 1] = "";
    for (size_t i = 0, at = 0; i < b->ntargets && at < sizeof targets; i++)
        at += (size_t)snprintf(targets + at, sizeof targets - at, "%s%s", i ? ", " : "",
                               in->conv->targets[i].s);
    label(s, "targets", targets);
    next_row(s);

    /* rows: a facts file's facts, a sources file's sources */
    static const fx_col_spec ih[] = {{"input", 0, false}, {"kind", 0, false}, {"bytes", 0, true},
                                     {"rows", 0, true},   {"SHA-256", 0, false}};
    heads(s, ih, N(ih));
    for (size_t i = 0; i < in->ninputs && i < INPUTS_SHOWN; i++) {
        const fx_book_input *x = &in->inputs[i];
        bool sources = x->kind == FX_INPUT_SOURCES;
        fx_sheet_put_str(b, s->ws, s->r, COL_A, fx_sheet_shown_name(b, x->name), NULL);
        fx_sheet_put_str(b, s->ws, s->r, COL_B, fx_input_kind_name(x->kind), NULL);
        fx_sheet_put_num(b, s->ws, s->r, COL_C, (double)x->size, b->f_int);
        fx_sheet_put_num(b, s->ws, s->r, COL_D, (double)(sources ? x->sources : x->facts), b->f_int);
        fx_sheet_put_str(b, s->ws, s->r, COL_E, x->sha256, b->f_indent); /* off the number */
        next_row(s);
    }
    if (in->ninputs > INPUTS_SHOWN) {
        char more[96];
        snprintf(more, sizeof more, "and %zu more inputs (About lists every one)",
                 in->ninputs - INPUTS_SHOWN);
        fx_sheet_put_str(b, s->ws, s->r, COL_A, more, NULL);
        next_row(s);
    }
    next_row(s);

    /* every rates and aliases file as the user named it (the default
     * folder as "(default rates)/NAME"), its dates, size and SHA-256 */
    static const fx_col_spec rh[] = {{"rates file", 0, false}, {"first date", 0, true},
                                     {"last date", 0, true},   {"rates", 0, true},
                                     {"bytes", 0, true},       {"SHA-256", 0, false}};
    heads(s, rh, N(rh));
    const fx_rate_table *t = in->rates;
    size_t nfiles = t ? fx_rates_files(t) : 0;
    for (size_t i = 0; i < nfiles && i < RATES_SHOWN; i++) {
        fx_day first, last;
        size_t n;
        fx_sheet_put_str(b, s->ws, s->r, COL_A, fx_sheet_shown_name(b, fx_rates_file_shown(t, i)),
                         NULL);
        if (fx_rates_file_range(t, i, &first, &last, &n)) {
            fx_sheet_put_day(b, s->ws, s->r, COL_B, first);
            fx_sheet_put_day(b, s->ws, s->r, COL_C, last);
            fx_sheet_put_num(b, s->ws, s->r, COL_D, (double)n, b->f_int);
        }
        fx_sheet_put_num(b, s->ws, s->r, COL_E, (double)fx_rates_file_size(t, i), b->f_int);
        fx_sheet_put_str(b, s->ws, s->r, COL_F, fx_rates_file_sha256(t, i), b->f_indent);
        next_row(s);
    }
    if (nfiles > RATES_SHOWN) {
        char more[96];
        snprintf(more, sizeof more, "and %zu more rates files (About lists every one)",
                 nfiles - RATES_SHOWN);
        fx_sheet_put_str(b, s->ws, s->r, COL_A, more, NULL);
        next_row(s);
    }
    next_row(s);
}

/* Two columns of counts: facts and conversions on the left, claims and
 * the rest on the right. */
static void counts(summary *s, const fx_audit *a, const fx_findings *fs)
{
    fx_book *b = s->b;
    fx_audit_counts n = fx_audit_totals(a);
    struct {
        const char *what;
        size_t n;
    } left[] = {
        {"facts", n.facts},
        {"money facts", n.money_facts},
        {"conversions audited", n.conversions},
        {"  consistent", n.verdicts[FX_V_CONSISTENT]},
        {"  close", n.verdicts[FX_V_CLOSE]},
        {"  inconsistent", n.verdicts[FX_V_INCONSISTENT]},
        {"  unverifiable", n.verdicts[FX_V_UNVERIFIABLE]},
    },
      right[] = {
          {"claims", fx_audit_nclaims(a)},
          {"  single", n.claims[FX_C_SINGLE]},
          {"  agree", n.claims[FX_C_AGREE]},
          {"  disagree", n.claims[FX_C_DISAGREE]},
          {"sources", fx_audit_nsources(a)},
          {"rates used", b->nused},
          {"findings", fx_findings_count(fs)},
      };
    static const fx_col_spec h[] = {{"count", 0, false}, {"n", 0, true}, {"", 0, true},
                                    {"count", 0, false}, {"n", 0, true}};
    heads(s, h, N(h));
    for (size_t i = 0; i < N(left); i++) {
        fx_sheet_put_str(b, s->ws, s->r, COL_A, left[i].what, NULL);
        fx_sheet_put_num(b, s->ws, s->r, COL_B, (double)left[i].n, b->f_int);
        fx_sheet_put_str(b, s->ws, s->r, COL_D, right[i].what, NULL);
        fx_sheet_put_num(b, s->ws, s->r, COL_E, (double)right[i].n, b->f_int);
        next_row(s);
    }
    next_row(s);
}

static void top_findings(summary *s, fx_findings *fs)
{
    fx_book *b = s->b;
    size_t all = fx_findings_count(fs);
    fx_sheet_put_str(b, s->ws, s->r, COL_A, "top findings (ranked as in Findings)", b->f_section);
    next_row(s);
    if (all == 0) {
        fx_sheet_put_str(b, s->ws, s->r, COL_A,
                         "No findings: every conversion is consistent and every claim's "
                         "sources agree.",
                         NULL);
        next_row(s);
        return;
    }
    static const fx_col_spec h[] = {{"rank and subject", 0, false}, {"kind", 0, false},
                                    {"finding", 0, false}};
    heads(s, h, N(h));
    fx_findings_rewind(fs);
    const fx_finding *f;
    for (size_t i = 0; i < TOP_FINDINGS && b->st == FX_OK && (f = fx_findings_next(fs)); i++) {
        char text[96];
        snprintf(text, sizeof text, "%zu. %.80s", f->rank, *f->fact_id ? f->fact_id : f->claim);
        /* Findings row k + 1 holds rank k (the first data row is 1) */
        char sheet[40];
        lxw_row_t to;
        fx_sheet_locate(b, "Findings", f->rank - 1, sheet, sizeof sheet, &to);
        fx_sheet_put_link(b, s->ws, s->r, COL_A, sheet, to, 0, text);
        fx_sheet_put_str(b, s->ws, s->r, COL_B, fx_find_kind_name(f->kind), NULL);
        fx_sheet_put_str(b, s->ws, s->r, COL_C, f->detail, NULL);
        next_row(s);
    }
    if (fx_findings_error(fs))
        fx_sheet_fail(b, FX_E_IO, "findings", fx_findings_error(fs));
    if (all > TOP_FINDINGS) {
        char more[96];
        snprintf(more, sizeof more, "and %zu more on the Findings sheet", all - TOP_FINDINGS);
        fx_sheet_put_str(b, s->ws, s->r, COL_A, more, NULL);
        next_row(s);
    }
}

/* ---- the chart: each source's interval on the disputed money claims ---- */

static void add_bar(summary *s, const char *claim, const char *who, const fx_span *sp)
{
    if (s->nbars >= BARS_MAX)
        return;
    bar *x = &s->bars[s->nbars++];
    snprintf(x->label, sizeof x->label, "%.40s \u00b7 %.40s", claim, who);
    x->lo = sp->has_lo ? sp->lo : NAN;   /* NAN: open, fixed below */
    x->width = sp->has_hi ? sp->hi : NAN; /* the upper end for now */
    double ends[2] = {sp->has_lo ? sp->lo : NAN, sp->has_hi ? sp->hi : NAN};
    for (int i = 0; i < 2; i++) {
        if (isnan(ends[i]))
            continue;
        if (ends[i] > s->top)
            s->top = ends[i];
        if (isnan(s->bottom) || ends[i] < s->bottom)
            s->bottom = ends[i];
    }
}

static bool collect_bars(summary *s, fx_audit *a)
{
    fx_book *b = s->b;
    if (!fx_sheet_claims_rewind(b, a))
        return false;
    const fx_claim *cl;
    double band = 0; /* one axis must suit every claim: those of the first one's size */
    s->bottom = NAN;
    while ((cl = fx_audit_next(a)) && cl->verdict == FX_C_DISAGREE && s->nbars < BARS_MAX) {
        if (cl->kind != FX_KIND_MONEY)
            continue;
        double size = fabs(fx_ratio_to_double(&cl->max));
        if (band == 0)
            band = size > 0 ? size : 1;
        else if (size > 3 * band || size < band / 3)
            continue;
        for (size_t i = 0; i < cl->nsources; i++) {
            const fx_claim_source *cs = &cl->by_source[i];
            char who[96];
            snprintf(who, sizeof who, "%s %s", fx_audit_source(a, cs->source)->source,
                     cs->nids ? cs->ids[0] : "");
            add_bar(s, cl->claim, who, &cs->span);
        }
        /* a witness that is not its source's first fact: its own bar */
        const fx_witness *w[2] = {&cl->low_hi, &cl->high_lo};
        for (int k = 0; k < 2; k++) {
            bool first = false;
            for (size_t i = 0; i < cl->nsources; i++)
                first |= cl->by_source[i].nids && strcmp(cl->by_source[i].ids[0], w[k]->fact_id) == 0;
            if (!first && (k == 0 || strcmp(w[0]->fact_id, w[1]->fact_id) != 0)) {
                char who[96];
                snprintf(who, sizeof who, "%s %s", fx_audit_source(a, w[k]->source)->source,
                         w[k]->fact_id);
                add_bar(s, cl->claim, who, &w[k]->span);
            }
        }
    }
    fx_sheet_claims_done(b, a);
    if (isnan(s->bottom))
        s->bottom = s->top = 0;
    double margin = (s->top - s->bottom) * 0.1;
    if (margin <= 0)
        margin = fabs(s->top) * 0.1 + 1;
    s->axis_lo = s->bottom - margin;
    s->axis_hi = s->top + margin;
    if (s->bottom >= 0 && s->axis_lo < 0)
        s->axis_lo = 0;
    for (size_t i = 0; i < s->nbars; i++) { /* open ends run to the axis's ends */
        bar *x = &s->bars[i];
        double lo = isnan(x->lo) ? s->axis_lo : x->lo, hi = isnan(x->width) ? s->axis_hi : x->width;
        x->lo = lo; /* a hidden bar from 0 to lo, then the interval (the axis starts later) */
        x->width = hi - lo;
    }
    return b->st == FX_OK;
}

static void chart(summary *s)
{
    fx_book *b = s->b;
    if (s->nbars == 0 || b->st != FX_OK)
        return;
    lxw_chart *ch = workbook_add_chart(b->wb, LXW_CHART_BAR_STACKED);
    if (!ch) {
        fx_sheet_fail(b, FX_E_INTERNAL, "Summary chart", "cannot create it");
        return;
    }
    lxw_row_t r0 = 1, r1 = (lxw_row_t)s->nbars;
    lxw_chart_series *base = chart_add_series(ch, NULL, NULL);
    lxw_chart_series *span = chart_add_series(ch, NULL, NULL);
    chart_series_set_categories(base, "Summary", r0, CHART_COL, r1, CHART_COL);
    chart_series_set_values(base, "Summary", r0, CHART_COL + 1, r1, CHART_COL + 1);
    chart_series_set_categories(span, "Summary", r0, CHART_COL, r1, CHART_COL);
    chart_series_set_values(span, "Summary", r0, CHART_COL + 2, r1, CHART_COL + 2);
    lxw_chart_fill none, blue;
    lxw_chart_line noline;
    memset(&none, 0, sizeof none);
    memset(&blue, 0, sizeof blue);
    memset(&noline, 0, sizeof noline);
    none.none = LXW_TRUE; /* the bar up to the interval's start is not drawn */
    noline.none = LXW_TRUE;
    blue.color = 0x4472C4;
    chart_series_set_fill(base, &none);
    chart_series_set_line(base, &noline);
    chart_series_set_fill(span, &blue);
    chart_series_set_name(span, "interval");
    char title[96];
    snprintf(title, sizeof title, "Disputed money claims: each source's interval, %s",
             b->ntargets ? b->info->conv->targets[0].s : "");
    chart_title_set_name(ch, title);
    /* a bar chart's x axis is its value axis, the y axis its categories */
    chart_axis_set_num_format(ch->x_axis, s->top >= 1e9   ? "#,##0.0,,,\" bn\""
                                          : s->top >= 1e6 ? "#,##0.0,,\" m\""
                                                          : "#,##0");
    chart_axis_set_reverse(ch->y_axis); /* the first claim on top */
    chart_axis_set_min(ch->x_axis, s->axis_lo);
    chart_axis_set_max(ch->x_axis, s->axis_hi);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    chart_show_hidden_data(ch);
    lxw_chart_options opt = {.x_scale = 1.6, .y_scale = 0.6 + 0.05 * (double)s->nbars};
    fx_sheet_lxw_ok(b, worksheet_insert_chart_opt(s->ws, 1, COL_F + 2, ch, &opt), "Summary chart");
}

void fx_sheet_summary_write(fx_book *b, fx_audit *a, fx_findings *fs)
{
    lxw_worksheet *ws = fx_sheet_add(b, "Summary");
    if (!ws)
        return;
    summary s = {.b = b, .ws = ws};
    collect_bars(&s, a);
    run_info(&s);
    counts(&s, a, fs);
    top_findings(&s, fs);
    while (s.written < s.nbars && b->st == FX_OK) /* the chart's numbers that are left */
        next_row(&s);
    chart(&s);
    fx_sheet_fit(b, ws, summary_cols, N(summary_cols), false); /* text runs on to the right */
    fx_sheet_lxw_ok(b, worksheet_set_column_opt(ws, CHART_COL, CHART_COL + 2, 12, NULL,
                                                &(lxw_row_col_options){.hidden = 1}),
                    "chart columns");
    fx_sheet_print_setup(b, ws, true, false);
    worksheet_fit_to_pages(ws, 1, 1);
    worksheet_activate(ws);
}
