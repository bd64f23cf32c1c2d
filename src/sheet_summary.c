/* sheet_summary - the Summary sheet: the run, the counts, the claims that
 * disagree, the inconsistent conversions and the chart. Invariant:
 * written last, from the aggregates, the spill and the claim rows. */
#include "book_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define LIST_MAX 1000          /* Summary rows per finding list */
#define CHART_CLAIMS_MAX 100   /* categories in the Summary chart */
#define CHART_SERIES_MAX 255   /* Excel's limit of series per chart */

typedef struct {
    fx_book *b;
    lxw_worksheet *ws;
    lxw_row_t r;
} summary;

static void sum_label(summary *s, const char *label, const char *value)
{
    fx_sheet_put_str(s->b, s->ws, s->r, 0, label, s->b->f_bold);
    if (value)
        fx_sheet_put_str(s->b, s->ws, s->r, 1, value, NULL);
    s->r++;
}

static void sum_heads(summary *s, const char *const *heads, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fx_sheet_put_str(s->b, s->ws, s->r, (lxw_col_t)i, heads[i], s->b->f_head);
    s->r++;
}

static void sum_count(summary *s, const char *label, size_t n)
{
    fx_sheet_put_str(s->b, s->ws, s->r, 0, label, NULL);
    fx_sheet_put_num(s->b, s->ws, s->r, 1, (double)n, s->b->f_int);
    s->r++;
}

/* Every rates and aliases file loaded, in load order: its name as the
 * user gave it (SPEC 6; the default folder as "(default rates)/NAME"),
 * first and last rate date, rates, and its size and SHA-256 as read. A
 * header row and a row per file from s->r on; leaves s->r after the last. */
static void rates_files_table(summary *s)
{
    fx_book *b = s->b;
    const fx_rate_table *t = b->info->rates;
    static const char *const rh[] = {"rates file", "first date", "last date", "rates", "bytes",
                                     "sha256"};
    sum_heads(s, rh, N(rh));
    for (size_t i = 0; t && i < fx_rates_files(t); i++) {
        fx_day first, last;
        size_t n;
        fx_sheet_put_str(b, s->ws, s->r, 0, fx_sheet_shown_name(b, fx_rates_file_shown(t, i)),
                         NULL);
        if (fx_rates_file_range(t, i, &first, &last, &n)) {
            fx_sheet_put_day(b, s->ws, s->r, 1, first);
            fx_sheet_put_day(b, s->ws, s->r, 2, last);
            fx_sheet_put_num(b, s->ws, s->r, 3, (double)n, b->f_int);
        }
        fx_sheet_put_num(b, s->ws, s->r, 4, (double)fx_rates_file_size(t, i), b->f_int);
        fx_sheet_put_str(b, s->ws, s->r, 5, fx_rates_file_sha256(t, i), NULL);
        s->r++;
    }
}

static void sum_run(summary *s)
{
    fx_book *b = s->b;
    const fx_book_info *in = b->info;
    fx_sheet_put_str(b, s->ws, s->r++, 0, "fxbook audit workbook", b->f_title);
    sum_label(s, "version", in->version ? in->version : "");
    sum_label(s, "options", b->options);
    char targets[FX_MAX_TARGETS * 5 + 1] = "";
    for (size_t i = 0, at = 0; i < b->ntargets && at < sizeof targets; i++)
        at += (size_t)snprintf(targets + at, sizeof targets - at, "%s%s", i ? "," : "",
                               in->conv->targets[i].s);
    sum_label(s, "targets", targets);
    s->r++;

    static const char *const ih[] = {"input", "bytes", "facts", "sha256"};
    sum_heads(s, ih, N(ih));
    for (size_t i = 0; i < in->ninputs; i++) {
        const fx_book_input *x = &in->inputs[i];
        fx_sheet_put_str(b, s->ws, s->r, 0, fx_sheet_shown_name(b, x->name), NULL);
        fx_sheet_put_num(b, s->ws, s->r, 1, (double)x->size, b->f_int);
        fx_sheet_put_num(b, s->ws, s->r, 2, (double)x->facts, b->f_int);
        fx_sheet_put_str(b, s->ws, s->r, 3, x->sha256, NULL);
        s->r++;
    }
    s->r++;

    rates_files_table(s);
    s->r++;
}

static void sum_counts(summary *s, const fx_audit *a)
{
    fx_audit_counts n = fx_audit_totals(a);
    static const char *const ch[] = {"count", "n"};
    sum_heads(s, ch, N(ch));
    sum_count(s, "facts", n.facts);
    sum_count(s, "money facts", n.money_facts);
    sum_count(s, "conversions audited", n.conversions);
    for (int v = FX_V_CONSISTENT; v <= FX_V_UNVERIFIABLE; v++) {
        char label[48];
        snprintf(label, sizeof label, "conversions %s", fx_verdict_name((fx_verdict)v));
        sum_count(s, label, n.verdicts[v]);
    }
    sum_count(s, "claims", fx_audit_nclaims(a));
    for (int v = FX_C_SINGLE; v <= FX_C_DISAGREE; v++) {
        char label[48];
        snprintf(label, sizeof label, "claims %s", fx_claim_verdict_name((fx_claim_verdict)v));
        sum_count(s, label, n.claims[v]);
    }
    sum_count(s, "sources", fx_audit_nsources(a));
    sum_count(s, "rates used", s->b->nused);
    s->r++;
}

static void sum_disagree(summary *s, fx_audit *a)
{
    fx_book *b = s->b;
    sum_label(s, "claims whose sources disagree", NULL);
    static const char *const h[] = {"claim", "entity", "kind", "unit", "facts",
                                    "sources", "min", "max", "spread_pct", "verdict"};
    sum_heads(s, h, N(h));
    lxw_row_t r0 = s->r;
    size_t shown = 0, all = fx_audit_totals(a).claims[FX_C_DISAGREE];
    const fx_claim *cl;
    if (all && !fx_sheet_claims_rewind(b, a))
        return;
    while (all && shown < LIST_MAX && b->st == FX_OK && (cl = fx_audit_next(a))) {
        if (cl->verdict != FX_C_DISAGREE)
            continue;
        shown++;
        lxw_row_t r = s->r++;
        fx_sheet_put_str(b, s->ws, r, 0, cl->claim, NULL);
        fx_sheet_put_str(b, s->ws, r, 1, cl->entity ? cl->entity : "", NULL);
        fx_sheet_put_str(b, s->ws, r, 2, fx_kind_name(cl->kind), NULL);
        fx_sheet_put_str(b, s->ws, r, 3,
                         cl->kind == FX_KIND_MONEY ? cl->unit_ccy.s : fx_kind_name(cl->kind), NULL);
        fx_sheet_put_num(b, s->ws, r, 4, (double)cl->facts, b->f_int);
        fx_sheet_put_num(b, s->ws, r, 5, (double)cl->nsources, b->f_int);
        fx_sheet_claim_value(b, s->ws, r, 6, cl, &cl->min);
        fx_sheet_claim_value(b, s->ws, r, 7, cl, &cl->max);
        double sp;
        if (fx_sheet_spread_pct(b, cl, &sp))
            fx_sheet_put_num(b, s->ws, r, 8, sp, b->f_pct);
        fx_sheet_put_str(b, s->ws, r, 9, fx_claim_verdict_name(cl->verdict), NULL);
    }
    fx_sheet_claims_done(b, a);
    if (all == 0)
        fx_sheet_put_str(b, s->ws, s->r++, 0, "none", NULL);
    else if (all > shown) {
        char more[96];
        snprintf(more, sizeof more, "and %zu more (see Comparison)", all - shown);
        fx_sheet_put_str(b, s->ws, s->r++, 0, more, NULL);
    }
    fx_sheet_highlight(b, s->ws, r0, s->r - 1, 9, "disagree", b->f_bad);
    s->r++;
}

static void sum_inconsistent(summary *s)
{
    fx_book *b = s->b;
    sum_label(s, "inconsistent conversions", NULL);
    static const char *const h[] = {"fact_id", "claim", "source", "amount", "unit",
                                    "reported_amount", "reported_unit", "computed_amount",
                                    "deviation_pct", "verdict", "matching_rate_dates"};
    sum_heads(s, h, N(h));
    lxw_row_t r0 = s->r;
    size_t shown = 0;
    if (b->ninconsistent && fx_sheet_spill_rewind(b)) {
        for (size_t i = 0; i < b->nspilled && shown < LIST_MAX && b->st == FX_OK; i++) {
            fx_spill_rec rec;
            const char *str[S_N];
            if (!fx_sheet_spill_read(b, &rec, str))
                break;
            if (rec.verdict != FX_V_INCONSISTENT)
                continue;
            shown++;
            lxw_row_t r = s->r++;
            fx_sheet_put_str(b, s->ws, r, 0, str[S_FACT_ID], NULL);
            fx_sheet_put_str(b, s->ws, r, 1, str[S_CLAIM], NULL);
            fx_sheet_put_str(b, s->ws, r, 2, str[S_SOURCE], NULL);
            fx_sheet_put_num(b, s->ws, r, 3, rec.amount,
                             fx_sheet_places_format(b, rec.amount_places));
            fx_sheet_put_str(b, s->ws, r, 4, str[S_UNIT], NULL);
            fx_sheet_put_num(b, s->ws, r, 5, rec.reported,
                             fx_sheet_places_format(b, rec.reported_places));
            fx_sheet_put_str(b, s->ws, r, 6, str[S_REP_UNIT], NULL);
            if (rec.priced)
                fx_sheet_put_num(b, s->ws, r, 7, rec.computed, b->f_money);
            if (rec.has_dev)
                fx_sheet_put_num(b, s->ws, r, 8, rec.deviation, b->f_pct);
            fx_sheet_put_str(b, s->ws, r, 9, fx_verdict_name((fx_verdict)rec.verdict), NULL);
            fx_sheet_put_str(b, s->ws, r, 10, str[S_DAYS], NULL);
        }
    }
    if (b->ninconsistent == 0)
        fx_sheet_put_str(b, s->ws, s->r++, 0, "none", NULL);
    else if (b->ninconsistent > shown) {
        char more[96];
        snprintf(more, sizeof more, "and %zu more (see Conversions)", b->ninconsistent - shown);
        fx_sheet_put_str(b, s->ws, s->r++, 0, more, NULL);
    }
    fx_sheet_highlight(b, s->ws, r0, s->r - 1, 9, "inconsistent", b->f_bad);
    s->r++;
}

/* The money claims with two or more sources, by source, in the first
 * target: a table here and a column chart over it. */
static bool chart_claim(const fx_claim *cl)
{
    return cl->kind == FX_KIND_MONEY && cl->nsources >= 2;
}

static void sum_chart(summary *s, fx_audit *a)
{
    fx_book *b = s->b;
    if (b->ntargets == 0)
        return;
    const char *ccy = b->info->conv->targets[0].s;
    char title[96];
    snprintf(title, sizeof title, "money claims with two or more sources, %s", ccy);
    sum_label(s, title, NULL);

    size_t ns = fx_audit_nsources(a);
    unsigned *col = fx_xcalloc(ns ? ns : 1, sizeof *col); /* source -> table column, 0: none */
    size_t *claims = fx_xcalloc(CHART_CLAIMS_MAX, sizeof *claims);
    unsigned nseries = 0;
    size_t nclaims = 0, skipped = 0;
    double top = 0;
    const fx_claim *cl;
    if (!fx_sheet_claims_rewind(b, a))
        goto out;
    for (size_t i = 0; (cl = fx_audit_next(a)); i++) {
        if (!chart_claim(cl))
            continue;
        if (nclaims == CHART_CLAIMS_MAX) {
            skipped++;
            continue;
        }
        claims[nclaims++] = i;
        for (size_t j = 0; j < cl->nsources; j++) {
            unsigned src = cl->by_source[j].source;
            if (src < ns && !col[src] && nseries < CHART_SERIES_MAX)
                col[src] = ++nseries;
        }
        double m = fabs(fx_ratio_to_double(&cl->max));
        top = m > top ? m : top;
    }
    fx_sheet_claims_done(b, a);
    if (b->st != FX_OK)
        goto out;
    if (nclaims == 0) {
        fx_sheet_put_str(b, s->ws, s->r++, 0, "none", NULL);
        goto out;
    }
    lxw_row_t hr = s->r++;
    fx_sheet_put_str(b, s->ws, hr, 0, "claim", b->f_head);
    for (size_t src = 0; src < ns; src++)
        if (col[src])
            fx_sheet_put_str(b, s->ws, hr, (lxw_col_t)col[src], fx_audit_source(a, src)->source,
                             b->f_head);
    lxw_format *f = top >= 1e9 ? b->f_bn : top >= 1e6 ? b->f_mn : b->f_money;
    if (!fx_sheet_claims_rewind(b, a))
        goto out;
    for (size_t i = 0, k = 0; k < nclaims && (cl = fx_audit_next(a)); i++) {
        if (i != claims[k])
            continue;
        k++;
        lxw_row_t r = s->r++;
        fx_sheet_put_str(b, s->ws, r, 0, cl->claim, NULL);
        for (size_t j = 0; j < cl->nsources; j++) {
            const fx_claim_source *cs = &cl->by_source[j];
            if (cs->source < ns && col[cs->source])
                fx_sheet_cell_value(b, s->ws, r, (lxw_col_t)col[cs->source], cs, f);
        }
    }
    fx_sheet_claims_done(b, a);
    if (skipped) {
        char more[96];
        snprintf(more, sizeof more, "and %zu more claims (see Comparison)", skipped);
        fx_sheet_put_str(b, s->ws, s->r++, 0, more, NULL);
    }
    if (b->st != FX_OK)
        goto out;

    lxw_chart *ch = workbook_add_chart(b->wb, LXW_CHART_COLUMN);
    if (!ch) {
        fx_sheet_fail(b, FX_E_INTERNAL, "Summary chart", "cannot create it");
        goto out;
    }
    lxw_row_t r0 = hr + 1, r1 = (lxw_row_t)(hr + nclaims);
    for (size_t src = 0; src < ns; src++) {
        if (!col[src])
            continue;
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        if (!se) {
            fx_sheet_fail(b, FX_E_INTERNAL, "Summary chart", "cannot add a series");
            goto out;
        }
        lxw_col_t c = (lxw_col_t)col[src];
        chart_series_set_categories(se, "Summary", r0, 0, r1, 0);
        chart_series_set_values(se, "Summary", r0, c, r1, c);
        chart_series_set_name_range(se, "Summary", hr, c);
    }
    chart_title_set_name(ch, title);
    chart_axis_set_name(ch->y_axis, ccy);
    chart_axis_set_num_format(ch->y_axis, top >= 1e9 ? "#,##0.0,,,\" bn\""
                                          : top >= 1e6 ? "#,##0.0,,\" m\""
                                                       : "#,##0");
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options opt = {.x_scale = 2.0, .y_scale = 1.6};
    fx_sheet_lxw_ok(b, worksheet_insert_chart_opt(s->ws, s->r + 1, 0, ch, &opt), "Summary chart");
out:
    free(col);
    free(claims);
}

void fx_sheet_summary_write(fx_book *b, fx_audit *a)
{
    summary s = {b, b->summary, 0};
    fx_sheet_print_setup(b, s.ws, true, false);
    static const double widths[] = {34, 18, 18, 18, 18, 18, 16, 18, 14, 13, 40};
    for (size_t i = 0; i < N(widths); i++)
        fx_sheet_lxw_ok(b, worksheet_set_column(s.ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL),
                        "column width");
    sum_run(&s);
    sum_counts(&s, a);
    sum_disagree(&s, a);
    sum_inconsistent(&s);
    sum_chart(&s, a);
}
