/* sheet_rates - the Rates sheet: the rates the formulas cite, in order of
 * first use, each with its provider and its file (as the user named it,
 * never a path fxbook resolved: SPEC 6) and line. Invariant: row k holds
 * slot k, the cell sheet_data.c's fx_sheet_rate_ref names (the rate in
 * column D). */
#include "book_int.h"

#include <stdio.h>
#include <string.h>

enum { R_DATE, R_BASE, R_QUOTE, R_RATE, R_EXACT, R_PROVIDER, R_FILE, R_LINE };
static const fx_col_spec rates_cols[] = {
    {"date", 0, true},         {"base", 0, false},     {"quote", 0, false},
    {"rate (quote per base)", 0, true}, {"rate_exact", 0, false}, {"provider", 0, false},
    {"file", 40, false},       {"line", 0, true},
};
_Static_assert(R_RATE == 3, "formulas cite the rate in column D (sheet_data.c)");

/* Plain decimal of a rate, exact, without GMP. */
static bool small_to_str(fx_small s, char *buf, size_t n)
{
    char digits[32];
    unsigned long long m = s.coef < 0 ? 0ULL - (unsigned long long)s.coef : (unsigned long long)s.coef;
    int nd = snprintf(digits, sizeof digits, "%llu", m);
    size_t k = 0;
    if (s.coef < 0 && m != 0) {
        if (k + 1 >= n)
            return false;
        buf[k++] = '-';
    }
    if (s.exp >= 0) {
        if (k + (size_t)nd + (size_t)s.exp + 1 > n)
            return false;
        memcpy(buf + k, digits, (size_t)nd);
        k += (size_t)nd;
        for (int32_t i = 0; i < s.exp && m != 0; i++)
            buf[k++] = '0';
    } else {
        size_t frac = (size_t)-(int64_t)s.exp;
        size_t intd = (size_t)nd > frac ? (size_t)nd - frac : 0;
        size_t lead = (size_t)nd > frac ? 0 : frac - (size_t)nd; /* zeros after the point */
        if (k + (intd ? intd : 1) + 1 + frac + 1 > n)
            return false;
        if (intd) {
            memcpy(buf + k, digits, intd);
            k += intd;
        } else {
            buf[k++] = '0';
        }
        buf[k++] = '.';
        for (size_t i = 0; i < lead; i++)
            buf[k++] = '0';
        memcpy(buf + k, digits + intd, (size_t)nd - intd);
        k += (size_t)nd - intd;
    }
    buf[k] = '\0';
    return true;
}

void fx_sheet_rates_write(fx_book *b)
{
    fx_sheet s;
    fx_sheet_init(&s, "Rates", rates_cols, N(rates_cols), NOCOL, 0);
    if (!fx_sheet_start(b, &s))
        return;
    for (size_t i = 0; i < b->nused && b->st == FX_OK; i++) {
        const fx_rate *r = b->used[i];
        lxw_row_t row;
        if (!fx_sheet_next_row(b, &s, &row))
            break;
        if (!r)
            continue; /* padding: an average's block starts on the next sheet */
        char v[FX_DEC_STR_MAX];
        if (!small_to_str(r->value, v, sizeof v)) {
            fx_sheet_fail(b, FX_E_INTERNAL, "rates", "rate too long");
            break;
        }
        fx_sheet_put_day(b, s.ws, row, R_DATE, r->day);
        fx_sheet_put_str(b, s.ws, row, R_BASE, r->base.s, NULL);
        fx_sheet_put_str(b, s.ws, row, R_QUOTE, r->quote.s, NULL);
        fx_ratio_set_small(&b->r1, r->value);
        fx_sheet_put_num(b, s.ws, row, R_RATE, fx_ratio_to_double(&b->r1), NULL);
        fx_sheet_put_str(b, s.ws, row, R_EXACT, v, NULL);
        const fx_rate_origin *o = r->origin;
        if (o && o->provider)
            fx_sheet_put_str(b, s.ws, row, R_PROVIDER, fx_sheet_shown_name(b, o->provider), NULL);
        if (o)
            fx_sheet_put_str(b, s.ws, row, R_FILE, fx_sheet_shown_name(b, o->shown), NULL);
        fx_sheet_put_num(b, s.ws, row, R_LINE, (double)r->line, NULL);
    }
    fx_sheet_end(b, &s);
}
