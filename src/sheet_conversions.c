/* sheet_conversions - the Conversions sheet: every audited conversion,
 * the printed figures as the source wrote them, what the rates give,
 * the verdict, the explanation (explain.h) and the matching rate dates as
 * ranges with their age. Each is spilled to a spool (spool.h) as it comes
 * and replayed at close. Invariant: nothing per conversion stays in memory. */
#include "book_int.h"

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "explain_run.h"

enum { C_ID, C_CLAIM, C_SOURCE, C_VALUATION, C_BASE, C_PRINTED, C_AMOUNT, C_UNIT, C_REPORTED,
       C_REP_UNIT, C_COMPUTED, C_UNROUNDED, C_DEVIATION, C_VERDICT, C_RATE_DATE, C_EXPLAINED,
       C_ALTERNATIVES, C_NDAYS, C_DAYS, C_FACT };
static const fx_col_spec conv_cols[] = {
    {"fact_id", 9, false},          {"claim", 12, false},
    {"source", 10, false},          {"valued on", 0, true},
    {"figure as printed", 0, false}, {"its conversion as printed", 0, false},
    {"amount", 0, true},            {"unit", 0, false},
    {"printed conversion", 0, true}, {"printed in", 0, false},
    {"computed", 0, true},          {"computed unrounded (formula)", 0, true},
    {"deviation", 0, true},         {"verdict", 0, false},
    {"rate date", 0, true},         {"explained by", 0, false},
    {"other hypotheses", 0, true},  {"matching rate days", 0, true},
    {"matching rate dates", 30, false}, {"Facts row", 0, false},
};

static long places_of(const fx_dec *v)
{
    long p = -v->exp;
    return p < 0 ? 0 : p > SHOWN_PLACES_MAX ? SHOWN_PLACES_MAX : p;
}

/* A figure as the source printed it: value, scale word, unit as typed
 * ("40 billion yuan", "$5.5 billion": a unit that is a symbol goes first). */
static size_t printed(const fx_figure *fig, char *buf, size_t n)
{
    char v[FX_DEC_STR_MAX];
    if (fx_dec_to_str(&fig->value, v, sizeof v) < 0)
        v[0] = '\0';
    const char *scale = fx_scale_name(fig->scale);
    unsigned char u0 = fig->unit.len ? (unsigned char)fig->unit.s[0] : 'A';
    bool symbol = !(u0 >= 'A' && u0 <= 'Z') && !(u0 >= 'a' && u0 <= 'z');
    int k;
    if (symbol)
        k = snprintf(buf, n, "%.*s%s%s%s", (int)fig->unit.len, fig->unit.s, v, *scale ? " " : "",
                     scale);
    else
        k = snprintf(buf, n, "%s%s%s %.*s", v, *scale ? " " : "", scale, (int)fig->unit.len,
                     fig->unit.s);
    return k < 0 ? 0 : (size_t)k < n ? (size_t)k : n - 1;
}

/* "2024-12-23 … 2025-01-10: 14 rate days, 12–30 days before; ...": each
 * run of matching days (no published day between them fails) with its
 * count and age. */
static size_t day_ranges(fx_book *b, const fx_check *k, fx_day d)
{
    size_t len = 0;
    for (size_t i = 0; i < k->ndays;) {
        size_t j = i + 1;
        while (j < k->ndays && !k->run_start[j])
            j++;
        char a[11], z[11], part[128];
        fx_date_format(k->days[i], a);
        fx_date_format(k->days[j - 1], z);
        long young = (long)d - (long)k->days[j - 1], old = (long)d - (long)k->days[i];
        int m;
        if (j - i == 1)
            m = snprintf(part, sizeof part, "%s%s: 1 rate day, %ld day%s before", len ? "; " : "",
                         a, young, young == 1 ? "" : "s");
        else
            m = snprintf(part, sizeof part,
                         "%s%s \u2026 %s: %zu rate days, %ld\u2013%ld days before",
                         len ? "; " : "", a, z, j - i, young, old);
        char *t = fx_sheet_grow(&b->sbuf, &b->scap, len + (size_t)m + 1);
        memcpy(t + len, part, (size_t)m + 1);
        len += (size_t)m;
        i = j;
    }
    if (!len)
        fx_sheet_grow(&b->sbuf, &b->scap, 1)[0] = '\0';
    return len;
}

void fx_sheet_conversions_add(fx_book *b, const fx_converted *c, const fx_check *k)
{
    const fx_fact *f = c->fact;
    fx_spill_rec rec;
    memset(&rec, 0, sizeof rec);
    rec.valuation = c->valuation;
    rec.verdict = (int32_t)k->verdict;
    rec.priced = k->priced;
    rec.fact_row = b->nfacts; /* Facts records this fact next */
    rec.amount = fx_dec_to_double(&c->amount);
    rec.amount_places = (uint8_t)places_of(&c->amount);
    rec.reported = fx_dec_to_double(&k->reported);
    rec.reported_places = (uint8_t)places_of(&k->reported);
    rec.ndays = k->ndays;
    /* The formats of its numbers made now, in fact order: formats are
     * numbered as they are made, so the Conversions thread, which runs
     * beside the one that writes Comparison and Findings, must make none
     * (else styles.xml would differ from run to run). */
    fx_sheet_places_format(b, rec.amount_places);
    fx_sheet_places_format(b, rec.reported_places);
    if (k->priced) {
        char formula[256];
        rec.rate_day = k->rate.day;
        rec.computed = fx_dec_to_double(&k->computed_rounded);
        rec.computed_places = (uint8_t)places_of(&k->computed_rounded);
        fx_sheet_places_format(b, rec.computed_places);
        rec.exact = fx_ratio_to_double(&k->computed);
        /* assigns the legs their Rates rows; the formula is rebuilt at replay */
        fx_sheet_rate_formula(b, &k->rate, 0, C_AMOUNT, formula, sizeof formula, rec.leg, rec.inv);
        if (k->has_deviation) {
            rec.has_dev = 1;
            fx_ratio_round(&b->tmp, &k->deviation_pct, 4, FX_ROUND_HALF_EVEN);
            rec.deviation = fx_dec_to_double(&b->tmp);
        }
    }
    char base[FX_DEC_STR_MAX + 64], shown[FX_DEC_STR_MAX + 64];
    size_t base_len = printed(&f->fig, base, sizeof base);
    size_t shown_len = printed(&f->reported, shown, sizeof shown);
    size_t dlen = day_ranges(b, k, c->valuation);
    fx_spool_field fields[1 + S_N] = {
        {&rec, sizeof rec},
        [1 + S_FACT_ID] = {f->fact_id.s, f->fact_id.len},
        [1 + S_CLAIM] = {f->claim.s, f->claim.len},
        [1 + S_SOURCE] = {f->source.s, f->source.len},
        [1 + S_UNIT] = {f->fig.ccy.s, strlen(f->fig.ccy.s)},
        [1 + S_REP_UNIT] = {k->reported_ccy.s, strlen(k->reported_ccy.s)},
        [1 + S_PRINTED] = {shown, shown_len},
        [1 + S_BASE] = {base, base_len},
        [1 + S_DAYS] = {b->sbuf, dlen},
        [1 + S_EXPLAINED] = {"", 0}, /* known at close: explain_run.h */
    };
    bool put = b->st == FX_OK && fx_spool_put(b->spill, fields, 1 + S_N);
    if (b->st != FX_OK)
        return;
    if (!put) {
        fx_sheet_spill_failed(b);
        return;
    }
    b->nspilled++;
    if (k->verdict == FX_V_INCONSISTENT)
        b->ninconsistent++;
}

static void legs_formula(const fx_book *b, const fx_spill_rec *rec, lxw_row_t row, char *f,
                         size_t n)
{
    char cell[32];
    lxw_rowcol_to_cell(cell, row, C_AMOUNT);
    snprintf(f, n, "=%s", cell);
    for (int i = 0; i < 2; i++) {
        if (!rec->leg[i])
            continue;
        size_t k = strlen(f);
        snprintf(f + k, n - k, "%c", rec->inv[i] ? '/' : '*');
        fx_sheet_rate_ref(b, rec->leg[i] - 1, f, n);
    }
}

void fx_sheet_conversions_write(fx_book *b)
{
    fx_sheet s;
    fx_sheet_init(&s, "Conversions", conv_cols, N(conv_cols), C_VERDICT, 1);
    if (!fx_sheet_start(b, &s) || !fx_sheet_spill_rewind(b))
        return;
    for (size_t i = 0; i < b->nspilled && b->st == FX_OK; i++) {
        fx_spill_rec rec;
        const char *str[S_N];
        lxw_row_t r;
        if (!fx_sheet_spill_read(b, &rec, str) || !fx_sheet_next_row(b, &s, &r))
            break;
        lxw_worksheet *ws = s.ws;
        fx_sheet_put_str(b, ws, r, C_ID, str[S_FACT_ID], NULL);
        fx_sheet_put_str(b, ws, r, C_CLAIM, str[S_CLAIM], NULL);
        fx_sheet_put_str(b, ws, r, C_SOURCE, str[S_SOURCE], NULL);
        fx_sheet_put_day(b, ws, r, C_VALUATION, rec.valuation);
        fx_sheet_put_str(b, ws, r, C_BASE, str[S_BASE], NULL);
        fx_sheet_put_str(b, ws, r, C_PRINTED, str[S_PRINTED], NULL);
        fx_sheet_put_num(b, ws, r, C_AMOUNT, rec.amount,
                         fx_sheet_places_format(b, rec.amount_places));
        fx_sheet_put_str(b, ws, r, C_UNIT, str[S_UNIT], NULL);
        fx_sheet_put_num(b, ws, r, C_REPORTED, rec.reported,
                         fx_sheet_places_format(b, rec.reported_places));
        fx_sheet_put_str(b, ws, r, C_REP_UNIT, str[S_REP_UNIT], NULL);
        if (rec.priced) {
            char formula[256];
            fx_sheet_put_num(b, ws, r, C_COMPUTED, rec.computed,
                             fx_sheet_places_format(b, rec.computed_places));
            legs_formula(b, &rec, r, formula, sizeof formula);
            fx_sheet_put_formula(b, ws, r, C_UNROUNDED, formula, rec.exact, b->f_unrounded);
            if (rec.has_dev)
                fx_sheet_put_num(b, ws, r, C_DEVIATION, rec.deviation, b->f_pct);
            fx_sheet_put_day(b, ws, r, C_RATE_DATE, rec.rate_day);
            fx_explained e;
            if (b->explain && !fx_explain_run_get(b->explain, i, &e))
                b->st = fx_diag_status(b->d, FX_E_IO, (fx_pos){0}, "Conversions: %s", e.text);
            if (b->explain) {
                fx_sheet_put_str(b, ws, r, C_EXPLAINED, e.text, NULL);
                fx_sheet_put_num(b, ws, r, C_ALTERNATIVES, (double)e.alternatives, b->f_int);
            }
            fx_sheet_put_num(b, ws, r, C_NDAYS, (double)rec.ndays, b->f_int);
        }
        fx_sheet_put_str(b, ws, r, C_VERDICT, fx_verdict_name((fx_verdict)rec.verdict), NULL);
        fx_sheet_put_str(b, ws, r, C_DAYS, str[S_DAYS], NULL);
        char sheet[40], text[64];
        lxw_row_t to;
        fx_sheet_locate(b, "Facts", rec.fact_row, sheet, sizeof sheet, &to);
        snprintf(text, sizeof text, "%s!%lu", sheet, (unsigned long)to + 1);
        fx_sheet_put_link(b, ws, r, C_FACT, sheet, to, 0, text);
    }
    fx_sheet_end(b, &s);
}
