/* sheet_data - what more than one sheet reads: the Rates slots that Facts
 * and Conversions formulas cite, the spilled Conversions rows (Conversions,
 * Summary), the audit's claim rows and their values (Comparison, Summary).
 * Invariant: a rate's slot is assigned at first use and never changes, so
 * a formula can cite a Rates cell before the Rates sheet exists. */
#include "book_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The Rates slot of r, assigned at first use. */
static size_t rate_use(fx_book *b, const fx_rate *r)
{
    if (r->id >= b->nrates) {
        fx_sheet_fail(b, FX_E_INTERNAL, "rates", "rate id out of range");
        return 0;
    }
    if (!b->rate_slot[r->id]) {
        b->used[b->nused] = r;
        b->rate_slot[r->id] = (uint32_t)++b->nused;
    }
    return b->rate_slot[r->id] - 1;
}

/* Appends to f the reference of a Rates slot's rate cell. */
void fx_sheet_rate_ref(const fx_book *b, size_t slot, char *f, size_t n)
{
    size_t per = b->max_rows - 1;
    size_t part = slot / per + 1;
    unsigned long row = (unsigned long)(slot % per) + 2; /* 1-based, after the header */
    size_t k = strlen(f);
    if (part == 1)
        snprintf(f + k, n - k, "Rates!$D$%lu", row);
    else
        snprintf(f + k, n - k, "'Rates (%zu)'!$D$%lu", part, row);
}

/* "=M5*Rates!$D$7/Rates!$D$9": the amount cell times each leg, an inverted
 * leg divided. Checks that the legs give the rate used (num/den). */
bool fx_sheet_rate_formula(fx_book *b, const fx_priced *p, lxw_row_t row, lxw_col_t amount_col,
                           char *f, size_t n, uint32_t legs[2], uint8_t inv[2])
{
    char cell[32];
    lxw_rowcol_to_cell(cell, row, amount_col);
    snprintf(f, n, "=%s", cell);
    fx_ratio_set_small(&b->r1, (fx_small){1, 0});
    for (int i = 0; i < 2; i++) {
        if (legs)
            legs[i] = 0, inv[i] = 0;
        const fx_rate *leg = p->leg[i];
        if (!leg)
            continue;
        size_t slot = rate_use(b, leg);
        size_t k = strlen(f);
        snprintf(f + k, n - k, "%c", p->inverse[i] ? '/' : '*');
        fx_sheet_rate_ref(b, slot, f, n);
        fx_ratio_set_small(&b->r2, leg->value);
        if (p->inverse[i])
            fx_ratio_div(&b->r1, &b->r1, &b->r2);
        else
            fx_ratio_mul(&b->r1, &b->r1, &b->r2);
        if (legs)
            legs[i] = (uint32_t)slot + 1, inv[i] = p->inverse[i];
    }
    /* r1 must equal num / den, or the formula would not recompute the amount */
    fx_ratio_set_small(&b->r2, p->den);
    fx_ratio_mul(&b->r1, &b->r1, &b->r2);
    fx_ratio_set_small(&b->r2, p->num);
    if (fx_ratio_cmp(&b->r1, &b->r2) != 0)
        return fx_sheet_fail(b, FX_E_INTERNAL, "formula",
                             "the rate legs do not give the rate used");
    return b->st == FX_OK;
}

/* A spool failure, in the spool's words (they name the folder). */
bool fx_sheet_spill_failed(fx_book *b)
{
    const char *why = fx_spool_error(b->spill);
    return fx_sheet_fail(b, FX_E_IO, "Conversions",
                         why ? why : "a spilled row is not what was written");
}

/* Reads the next record; its strings live in the spool until the next call. */
bool fx_sheet_spill_read(fx_book *b, fx_spill_rec *rec, const char *str[S_N])
{
    const fx_spool_field *f;
    size_t n;
    if (fx_spool_next(b->spill, &f, &n) != 1 || n != 1 + S_N || f[0].len != sizeof *rec)
        return fx_sheet_spill_failed(b);
    memcpy(rec, f[0].p, sizeof *rec);
    for (int i = 0; i < S_N; i++)
        str[i] = f[1 + i].p;
    return true;
}

bool fx_sheet_spill_rewind(fx_book *b)
{
    return fx_spool_rewind(b->spill) || fx_sheet_spill_failed(b);
}

/* spread_pct = 100 (max - min) / min, 4 places half-even as in
 * comparison.csv; false when min <= 0. */
bool fx_sheet_spread_pct(fx_book *b, const fx_claim *cl, double *out)
{
    if (fx_ratio_sgn(&cl->min) <= 0)
        return false;
    fx_ratio_sub(&b->r1, &cl->max, &cl->min);
    fx_ratio_div(&b->r1, &b->r1, &cl->min);
    fx_ratio_mul_si(&b->r1, 100);
    fx_ratio_round(&b->tmp, &b->r1, 4, FX_ROUND_HALF_EVEN);
    *out = fx_dec_to_double(&b->tmp);
    return true;
}

/* Money in billions or millions where that is the claim's magnitude. */
lxw_format *fx_sheet_claim_format(fx_book *b, const fx_claim *cl)
{
    if (cl->kind != FX_KIND_MONEY)
        return NULL;
    double m = fabs(fx_ratio_to_double(&cl->max));
    return m >= 1e9 ? b->f_bn : m >= 1e6 ? b->f_mn : b->f_money;
}

void fx_sheet_claim_value(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                          const fx_claim *cl, const fx_ratio *v)
{
    lxw_format *f = fx_sheet_claim_format(b, cl);
    if (!f) { /* not money: thousands separators when it is a whole number */
        fx_ratio_round(&b->tmp, v, 0, FX_ROUND_DOWN);
        if (fx_ratio_cmp_dec(v, &b->tmp) == 0)
            f = b->f_int;
    }
    fx_sheet_put_num(b, ws, r, c, fx_ratio_to_double(v), f);
}

/* The claim rows are read back from the audit's spool, once per use; a
 * read failure is an I/O error, in the spool's words (they name the folder). */
static bool claims_failed(fx_book *b, const fx_audit *a)
{
    const char *why = fx_audit_read_error(a);
    return fx_sheet_fail(b, FX_E_IO, "claim rows", why ? why : "the claim rows were not written");
}

bool fx_sheet_claims_rewind(fx_book *b, fx_audit *a)
{
    return fx_audit_rewind(a) || claims_failed(b, a);
}

void fx_sheet_claims_done(fx_book *b, const fx_audit *a)
{
    if (fx_audit_read_error(a))
        claims_failed(b, a);
}

void fx_sheet_cell_value(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                         const fx_claim_source *cs, lxw_format *f)
{
    fx_sheet_put_num(b, ws, r, c, cs->first, f ? f : fx_sheet_places_format(b, cs->first_places));
}

/* The provider of a rate (SPEC 3), for the Facts and Rates sheets. */
const char *fx_sheet_provider(const fx_priced *p)
{
    if (!p->leg[0])
        return ""; /* a currency in itself: no rate, no provider */
    return p->leg[0]->origin->provider; /* a cross: both legs are one provider's */
}
