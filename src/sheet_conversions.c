/* sheet_conversions - the Conversions sheet: each audited conversion is
 * spilled to a spool (an unlinked temporary file beside the output,
 * spool.h) as it comes and replayed at close, after the last Facts sheet.
 * Invariant: nothing per conversion stays in memory. */
#include "book_int.h"

#include <stdio.h>
#include <string.h>

#include "date.h"

enum { C_ID, C_CLAIM, C_SOURCE, C_VALUATION, C_AMOUNT, C_UNIT, C_REPORTED, C_REP_UNIT,
       C_COMPUTED, C_UNROUNDED, C_DEVIATION, C_VERDICT, C_RATE_DATE, C_DAYS };
static const fx_col_spec conv_cols[] = {
    {"fact_id", 14},         {"claim", 30},           {"source", 18},
    {"valuation_date", 14},  {"amount", 20},          {"unit", 6},
    {"reported_amount", 20}, {"reported_unit", 13},   {"computed_amount", 20},
    {"computed_unrounded", 24}, {"deviation_pct", 14}, {"verdict", 13},
    {"rate_date", 11},       {"matching_rate_dates", 40},
};

static long places_of(const fx_dec *v)
{
    long p = -v->exp;
    return p < 0 ? 0 : p > SHOWN_PLACES_MAX ? SHOWN_PLACES_MAX : p;
}

void fx_sheet_conversions_add(fx_book *b, const fx_converted *c, const fx_check *k)
{
    const fx_fact *f = c->fact;
    fx_spill_rec rec;
    memset(&rec, 0, sizeof rec);
    rec.valuation = c->valuation;
    rec.verdict = (int32_t)k->verdict;
    rec.priced = k->priced;
    rec.amount = fx_dec_to_double(&c->amount);
    rec.amount_places = (uint8_t)places_of(&c->amount);
    rec.reported = fx_dec_to_double(&k->reported);
    rec.reported_places = (uint8_t)places_of(&k->reported);
    if (k->priced) {
        char formula[256];
        rec.rate_day = k->rate.day;
        rec.computed = fx_dec_to_double(&k->computed_rounded);
        rec.exact = fx_ratio_to_double(&k->computed);
        /* assigns the legs their Rates rows; the formula is rebuilt at replay */
        fx_sheet_rate_formula(b, &k->rate, 0, C_AMOUNT, formula, sizeof formula, rec.leg, rec.inv);
        if (k->has_deviation) {
            rec.has_dev = 1;
            fx_ratio_round(&b->tmp, &k->deviation_pct, 4, FX_ROUND_HALF_EVEN);
            rec.deviation = fx_dec_to_double(&b->tmp);
        }
    }
    /* matching rate dates, "; "-joined */
    size_t dlen = k->ndays ? k->ndays * 12 - 2 : 0;
    char *days = fx_sheet_grow(&b->sbuf, &b->scap, dlen + 1);
    days[0] = '\0';
    for (size_t i = 0; i < k->ndays; i++) {
        char iso[11];
        fx_date_format(k->days[i], iso);
        memcpy(days + 12 * i, iso, 10);
        if (i + 1 < k->ndays)
            memcpy(days + 12 * i + 10, "; ", 2);
    }
    fx_spool_field fields[1 + S_N] = {
        {&rec, sizeof rec},
        [1 + S_FACT_ID] = {f->fact_id.s, f->fact_id.len},
        [1 + S_CLAIM] = {f->claim.s, f->claim.len},
        [1 + S_SOURCE] = {f->source.s, f->source.len},
        [1 + S_UNIT] = {f->fig.ccy.s, strlen(f->fig.ccy.s)},
        [1 + S_REP_UNIT] = {k->reported_ccy.s, strlen(k->reported_ccy.s)},
        [1 + S_DAYS] = {days, dlen},
    };
    if (b->st != FX_OK)
        return;
    if (!fx_spool_put(b->spill, fields, 1 + S_N)) {
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
        fx_sheet_put_num(b, ws, r, C_AMOUNT, rec.amount,
                         fx_sheet_places_format(b, rec.amount_places));
        fx_sheet_put_str(b, ws, r, C_UNIT, str[S_UNIT], NULL);
        fx_sheet_put_num(b, ws, r, C_REPORTED, rec.reported,
                         fx_sheet_places_format(b, rec.reported_places));
        fx_sheet_put_str(b, ws, r, C_REP_UNIT, str[S_REP_UNIT], NULL);
        if (rec.priced) {
            char formula[256];
            fx_sheet_put_num(b, ws, r, C_COMPUTED, rec.computed, b->f_money);
            legs_formula(b, &rec, r, formula, sizeof formula);
            fx_sheet_put_formula(b, ws, r, C_UNROUNDED, formula, rec.exact, b->f_unrounded);
            if (rec.has_dev)
                fx_sheet_put_num(b, ws, r, C_DEVIATION, rec.deviation, b->f_pct);
            fx_sheet_put_day(b, ws, r, C_RATE_DATE, rec.rate_day);
        }
        fx_sheet_put_str(b, ws, r, C_VERDICT, fx_verdict_name((fx_verdict)rec.verdict), NULL);
        fx_sheet_put_str(b, ws, r, C_DAYS, str[S_DAYS], NULL);
    }
    fx_sheet_end(b, &s);
}
