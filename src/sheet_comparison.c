/* sheet_comparison - the Comparison sheet: one row per claim, a column per
 * source. Invariant: written at close from the audit's claim rows; it
 * cannot continue on a second sheet (Facts follows it). */
#include "book_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ids_comment(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                        const fx_claim_source *cs)
{
    if (cs->nids + cs->more < 2 || b->st != FX_OK)
        return;
    size_t n = 32;
    for (size_t i = 0; i < cs->nids; i++)
        n += strlen(cs->ids[i]) + 2;
    char *t = fx_sheet_scratch(b, n);
    size_t k = (size_t)snprintf(t, n, "fact_ids: ");
    for (size_t i = 0; i < cs->nids; i++)
        k += (size_t)snprintf(t + k, n - k, "%s%s", i ? ", " : "", cs->ids[i]);
    if (cs->more) {
        char more[48];
        snprintf(more, sizeof more, " and %zu more", cs->more);
        t = fx_sheet_scratch(b, k + strlen(more) + 1);
        memcpy(t + k, more, strlen(more) + 1);
    }
    fx_sheet_cell_ok(b, worksheet_write_comment(ws, r, c, t), ws, r, c);
}

void fx_sheet_comparison_write(fx_book *b, fx_audit *a)
{
    lxw_worksheet *ws = b->comparison;
    size_t ns = fx_audit_nsources(a), nc = fx_audit_nclaims(a);
    enum { K_KIND, K_UNIT, K_FACTS, K_SOURCES, K_MIN, K_MAX, K_SPREAD, K_VERDICT, K_N };
    static const fx_col_spec lead[] = {{"claim", 34}, {"entity", 14}};
    static const fx_col_spec trail[K_N] = {{"kind", 9},    {"unit", 7},  {"facts", 7},
                                           {"sources", 8}, {"min", 18},  {"max", 18},
                                           {"spread_pct", 12}, {"verdict", 10}};
    size_t room = XL_COLS - N(lead) - K_N;
    size_t shown = ns < room ? ns : room;
    if (shown < ns)
        fx_diag_warn(b->d, (fx_pos){0},
                     "workbook: Comparison shows %zu of %zu sources (Excel's column limit); "
                     "comparison.csv has them all",
                     shown, ns);
    size_t ncols = N(lead) + shown + K_N;
    fx_col_spec *cols = fx_xcalloc(ncols, sizeof *cols);
    memcpy(cols, lead, sizeof lead);
    for (size_t i = 0; i < shown; i++)
        cols[N(lead) + i] = (fx_col_spec){fx_audit_source(a, i)->source, 16};
    memcpy(cols + N(lead) + shown, trail, sizeof trail);
    lxw_col_t t0 = (lxw_col_t)(N(lead) + shown);
    fx_sheet_header_row(b, ws, cols, ncols, 1);
    free(cols);
    if (nc >= XL_ROWS) { /* it cannot continue: Facts follows it */
        char why[96];
        snprintf(why, sizeof why, "%zu claims do not fit in one sheet of %lu rows", nc, XL_ROWS);
        fx_sheet_fail(b, FX_E_DATA, "Comparison", why);
        return;
    }
    if (!fx_sheet_claims_rewind(b, a))
        return;
    const fx_claim *cl;
    for (size_t i = 0; b->st == FX_OK && (cl = fx_audit_next(a)); i++) {
        lxw_row_t r = (lxw_row_t)(i + 1);
        fx_sheet_put_str(b, ws, r, 0, cl->claim, NULL);
        fx_sheet_put_str(b, ws, r, 1, cl->entity ? cl->entity : "", NULL);
        for (size_t j = 0; j < cl->nsources; j++) {
            const fx_claim_source *cs = &cl->by_source[j];
            if (cs->source >= shown)
                continue;
            lxw_col_t c = (lxw_col_t)(N(lead) + cs->source);
            lxw_format *f = fx_sheet_claim_format(b, cl);
            fx_sheet_cell_value(b, ws, r, c, cs, f);
            ids_comment(b, ws, r, c, cs);
        }
        fx_sheet_put_str(b, ws, r, t0 + K_KIND, fx_kind_name(cl->kind), NULL);
        fx_sheet_put_str(b, ws, r, t0 + K_UNIT,
                         cl->kind == FX_KIND_MONEY ? cl->unit_ccy.s : fx_kind_name(cl->kind), NULL);
        fx_sheet_put_num(b, ws, r, t0 + K_FACTS, (double)cl->facts, b->f_int);
        fx_sheet_put_num(b, ws, r, t0 + K_SOURCES, (double)cl->nsources, b->f_int);
        fx_sheet_claim_value(b, ws, r, t0 + K_MIN, cl, &cl->min);
        fx_sheet_claim_value(b, ws, r, t0 + K_MAX, cl, &cl->max);
        double sp;
        if (fx_sheet_spread_pct(b, cl, &sp))
            fx_sheet_put_num(b, ws, r, t0 + K_SPREAD, sp, b->f_pct);
        fx_sheet_put_str(b, ws, r, t0 + K_VERDICT, fx_claim_verdict_name(cl->verdict), NULL);
    }
    fx_sheet_claims_done(b, a);
    lxw_row_t last = (lxw_row_t)(nc > 0 ? nc : 0);
    fx_sheet_lxw_ok(b, worksheet_autofilter(ws, 0, 0, last, (lxw_col_t)(ncols - 1)), "autofilter");
    fx_sheet_highlight(b, ws, 1, (lxw_row_t)(b->max_rows - 1), t0 + K_VERDICT, "disagree",
                       b->f_bad);
}
