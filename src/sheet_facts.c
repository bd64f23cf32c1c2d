/* sheet_facts - the Facts sheet: every input row with its normalized
 * values, the rate each conversion used (value, date, provider, basis,
 * Rates rows) and a live formula over the Rates cells. Rows are recorded
 * as facts stream in (fx_rows) and written at close, when each claim's
 * verdict is known; past Excel's row limit they continue on "Facts (2)".
 * Invariant: nothing per fact stays in memory. */
#include "book_int.h"

#include <stdio.h>
#include <string.h>

#include "facts.h"

enum {
    F_ID, F_CLAIM, F_CLAIM_VERDICT, F_SOURCE, F_ENTITY, F_PUBLISHED, F_AS_OF, F_VALUATION,
    F_QUAL, F_VALUE, F_SCALE, F_UNIT, F_CODE, F_AMOUNT, F_TARGETS
};
static const fx_col_spec facts_lead[F_TARGETS] = {
    {"fact_id", 9, false},     {"claim", 12, false},     {"claim verdict", 0, false},
    {"source", 10, false},     {"entity", 12, false},    {"published", 0, true},
    {"as of", 0, true},        {"valued on", 0, true},   {"qualifier", 0, false},
    {"value", 0, true},        {"scale", 0, false},      {"unit", 0, false},
    {"currency or unit", 0, false}, {"amount", 0, true},
};
/* per target */
enum { T_AMOUNT, T_UNROUNDED, T_RATE, T_RATE_DATE, T_PROVIDER, T_BASIS, T_RATES_ROWS, T_N };
/* after the targets */
enum { F_REP_VALUE, F_REP_SCALE, F_REP_UNIT, F_VERDICT, F_QUOTE, F_NOTE, F_TAIL };
static const fx_col_spec facts_tail[F_TAIL] = {
    {"reported value", 0, true}, {"reported scale", 0, false}, {"reported unit", 0, false},
    {"conversion verdict", 0, false}, {"quote", 40, false},    {"note", 30, false},
};
/* exact text, only when a double cannot carry the value */
enum { X_VALUE, X_AMOUNT, X_REP_VALUE, X_TARGETS };

static lxw_col_t tcol(const fx_book *b, size_t target, int k)
{
    (void)b;
    return (lxw_col_t)(F_TARGETS + T_N * target + (size_t)k);
}
static lxw_col_t tail(const fx_book *b, int k)
{
    return (lxw_col_t)(F_TARGETS + T_N * b->ntargets + (size_t)k);
}
static lxw_col_t xcol(const fx_book *b, int k)
{
    return (lxw_col_t)(F_TARGETS + T_N * b->ntargets + F_TAIL + (size_t)k);
}
static size_t ncols_all(const fx_book *b)
{
    return F_TARGETS + T_N * b->ntargets + F_TAIL + X_TARGETS + b->ntargets;
}

/* "USD amount": a target's code, then what the column holds. */
static const char *col_name(fx_book *b, const char *t, const char *what)
{
    char name[64];
    snprintf(name, sizeof name, "%s %s", t, what);
    return fx_arena_strndup(b->strings, name, strlen(name));
}

static void facts_columns(fx_book *b)
{
    fx_col_spec *c = fx_xcalloc(ncols_all(b), sizeof *c);
    memcpy(c, facts_lead, sizeof facts_lead);
    for (size_t i = 0; i < b->ntargets; i++) {
        const char *t = b->info->conv->targets[i].s;
        c[tcol(b, i, T_AMOUNT)] = (fx_col_spec){col_name(b, t, "amount"), 0, true};
        c[tcol(b, i, T_UNROUNDED)] =
            (fx_col_spec){col_name(b, t, "unrounded (formula)"), 0, true};
        c[tcol(b, i, T_RATE)] = (fx_col_spec){col_name(b, t, "per unit"), 0, true};
        c[tcol(b, i, T_RATE_DATE)] = (fx_col_spec){"rate date", 0, true};
        c[tcol(b, i, T_PROVIDER)] = (fx_col_spec){"provider", 0, false};
        c[tcol(b, i, T_BASIS)] = (fx_col_spec){"basis", 0, false};
        c[tcol(b, i, T_RATES_ROWS)] = (fx_col_spec){"Rates rows", 0, false};
        c[xcol(b, X_TARGETS + (int)i)] = (fx_col_spec){col_name(b, t, "amount (exact)"), 0, false};
    }
    for (int k = 0; k < F_TAIL; k++)
        c[tail(b, k)] = facts_tail[k];
    c[xcol(b, X_VALUE)] = (fx_col_spec){"value (exact)", 0, false};
    c[xcol(b, X_AMOUNT)] = (fx_col_spec){"amount (exact)", 0, false};
    c[xcol(b, X_REP_VALUE)] = (fx_col_spec){"reported value (exact)", 0, false};
    b->facts_cols = c;
}

static void rec_text(fx_book *b, lxw_col_t c, fx_text t)
{
    fx_rows_text(b, &b->facts_rows, c, t.s, t.len, NULL);
}

static void rec_str(fx_book *b, lxw_col_t c, const char *s)
{
    fx_rows_text(b, &b->facts_rows, c, s, strlen(s), NULL);
}

/* A figure's number in the format its kind and places call for. */
static void rec_figure(fx_book *b, lxw_col_t c, const fx_dec *v, fx_kind kind)
{
    long places = -v->exp;
    lxw_format *f = kind == FX_KIND_PERCENT ? fx_sheet_percent_format(b, places)
                                            : fx_sheet_places_format(b, places);
    fx_rows_num(&b->facts_rows, c, fx_dec_to_double(v), f);
}

/* "12" or "12, 14": the Rates rows (1-based, as the sheet numbers them)
 * of the legs of a rate. */
static void rates_rows(const fx_book *b, const uint32_t legs[2], char *buf, size_t n)
{
    buf[0] = '\0';
    size_t per = b->max_rows - 1;
    for (int i = 0, k = 0; i < 2; i++) {
        if (!legs[i])
            continue;
        size_t slot = legs[i] - 1, part = slot / per + 1;
        size_t at = strlen(buf);
        if (part == 1)
            snprintf(buf + at, n - at, "%s%zu", k ? ", " : "", slot % per + 2);
        else
            snprintf(buf + at, n - at, "%s(%zu) %zu", k ? ", " : "", part, slot % per + 2);
        k++;
    }
}

/* "spot", or "month-average 2025-01, 17 days" (SPEC 3: the basis, the
 * period, the days averaged; the first and last are in the Rates rows). */
static void basis_text(const fx_conv *v, fx_day valuation, char *buf, size_t n)
{
    if (v->basis == FX_BASIS_SPOT) {
        snprintf(buf, n, "spot");
        return;
    }
    char period[FX_BASIS_PERIOD_MAX];
    fx_basis_period_name((fx_basis)v->basis, valuation, period);
    if (v->ndays == 0)
        snprintf(buf, n, "%s %s", fx_basis_name((fx_basis)v->basis), period);
    else
        snprintf(buf, n, "%s %s, %lu day%s", fx_basis_name((fx_basis)v->basis), period,
                 (unsigned long)v->ndays, v->ndays == 1 ? "" : "s");
}

void fx_sheet_facts_row(fx_book *b, const fx_converted *c, const fx_check *k, fx_audit_ref ref)
{
    const fx_fact *f = c->fact;
    fx_rows *w = &b->facts_rows;
    uint64_t row_ix = b->nfacts++;
    char sheet[40];
    lxw_row_t r;
    fx_sheet_locate(b, "Facts", row_ix, sheet, sizeof sheet, &r);
    rec_text(b, F_ID, f->fact_id);
    rec_text(b, F_CLAIM, f->claim);
    rec_text(b, F_SOURCE, f->source);
    rec_text(b, F_ENTITY, f->entity);
    fx_rows_day(b, w, F_PUBLISHED, f->published);
    if (f->has_as_of)
        fx_rows_day(b, w, F_AS_OF, f->as_of);
    fx_rows_day(b, w, F_VALUATION, c->valuation);
    rec_str(b, F_QUAL, fx_qual_name(f->qual));
    rec_figure(b, F_VALUE, &f->fig.value, f->fig.kind);
    rec_str(b, F_SCALE, fx_scale_name(f->fig.scale));
    rec_text(b, F_UNIT, f->fig.unit);
    rec_str(b, F_CODE, f->fig.kind == FX_KIND_MONEY ? f->fig.ccy.s : fx_kind_name(f->fig.kind));
    rec_figure(b, F_AMOUNT, &c->amount, f->fig.kind);
    for (size_t i = 0; i < c->nconv && i < b->ntargets; i++) {
        const fx_conv *v = &c->conv[i];
        char formula[1024], rows[256] = "", basis[64];
        uint32_t legs[2] = {0, 0};
        uint8_t inv[2];
        fx_rows_num(w, tcol(b, i, T_AMOUNT), fx_dec_to_double(&v->rounded), b->f_money);
        bool ok;
        if (v->basis != FX_BASIS_SPOT && v->ndays > 0)
            ok = fx_sheet_avg_formula(b, v, f->fig.ccy, r, F_AMOUNT, formula, sizeof formula, rows,
                                      sizeof rows);
        else if ((ok = fx_sheet_rate_formula(b, &v->priced, r, F_AMOUNT, formula, sizeof formula,
                                             legs, inv)))
            rates_rows(b, legs, rows, sizeof rows);
        if (ok)
            fx_rows_formula(w, tcol(b, i, T_UNROUNDED), formula, fx_ratio_to_double(&v->exact),
                            b->f_unrounded);
        fx_rows_num(w, tcol(b, i, T_RATE), fx_ratio_to_double(&v->rate), b->f_rate);
        fx_rows_day(b, w, tcol(b, i, T_RATE_DATE), v->priced.day);
        rec_str(b, tcol(b, i, T_PROVIDER), fx_sheet_provider(&v->priced));
        basis_text(v, c->valuation, basis, sizeof basis);
        rec_str(b, tcol(b, i, T_BASIS), basis);
        rec_str(b, tcol(b, i, T_RATES_ROWS), rows);
        fx_rows_exact(b, w, xcol(b, X_TARGETS + (int)i), &v->rounded);
    }
    if (f->has_reported) {
        rec_figure(b, tail(b, F_REP_VALUE), &f->reported.value, f->reported.kind);
        rec_str(b, tail(b, F_REP_SCALE), fx_scale_name(f->reported.scale));
        rec_text(b, tail(b, F_REP_UNIT), f->reported.unit);
        fx_rows_exact(b, w, xcol(b, X_REP_VALUE), &f->reported.value);
    }
    if (k && k->present)
        rec_str(b, tail(b, F_VERDICT), fx_verdict_name(k->verdict));
    rec_text(b, tail(b, F_QUOTE), f->quote);
    rec_text(b, tail(b, F_NOTE), f->note);
    fx_rows_exact(b, w, xcol(b, X_VALUE), &f->fig.value);
    fx_rows_exact(b, w, xcol(b, X_AMOUNT), &c->amount);
    fx_rows_end(b, w, ref.claim);
}

void fx_sheet_facts_open(fx_book *b)
{
    facts_columns(b);
    fx_rows_open(b, &b->facts_rows);
}

static void claim_verdict(fx_book *b, fx_sheet *s, lxw_row_t r, uint32_t claim, void *ctx)
{
    const fx_audit *a = ctx;
    fx_sheet_put_str(b, s->ws, r, F_CLAIM_VERDICT,
                     fx_claim_verdict_name(fx_audit_claim_verdict(a, claim)), NULL);
}

bool fx_sheet_facts_start(fx_book *b, fx_sheet *s)
{
    size_t n = ncols_all(b);
    if (!b->facts_rows.need_exact) /* no empty columns of exact text */
        n = F_TARGETS + T_N * b->ntargets + F_TAIL;
    fx_sheet_init(s, "Facts", b->facts_cols, n, tail(b, F_VERDICT), 2);
    s->verdict_col2 = F_CLAIM_VERDICT;
    return fx_sheet_start(b, s);
}

void fx_sheet_facts_rows(fx_book *b, fx_sheet *s, const fx_audit *a)
{
    fx_rows_replay(b, &b->facts_rows, s, claim_verdict, (void *)a);
}

void fx_sheet_facts_write(fx_book *b, const fx_audit *a)
{
    fx_sheet s;
    if (!fx_sheet_facts_start(b, &s))
        return;
    fx_sheet_facts_rows(b, &s, a);
    fx_sheet_end(b, &s);
}
