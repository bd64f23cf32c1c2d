/* rates_long - the long format (SPEC 3): `date,base,quote,rate[,source]`,
 * 1 base = rate quote. The provider of a row is its source cell, else the
 * file's name without ".csv". Invariant: one origin per distinct provider
 * of a file, shared by its rates. */
#include <glib.h>
#include <stdlib.h>

#include "rates_int.h"
#include "xltext.h"

static bool claims(const fx_cell *c, size_t n)
{
    return fx_rates_cell_is(&c[0], "date") && (n == 4 || n == 5) &&
           fx_rates_cell_is(&c[1], "base") && fx_rates_cell_is(&c[2], "quote") &&
           fx_rates_cell_is(&c[3], "rate") && (n == 4 || fx_rates_cell_is(&c[4], "source"));
}

static fx_status header(fx_rates_loader *L, const fx_cell *c, size_t n)
{
    (void)c;
    L->ncols = n;
    return FX_OK;
}

/* The origin of a row: its source cell's provider, one origin per
 * distinct provider of the file (interned: the rates share it); an empty
 * cell, or no source column, is the file's own. NULL (reported) when the
 * cell cannot be a workbook cell. */
static const fx_rate_origin *row_origin(fx_rates_loader *L, const fx_cell *c, size_t n)
{
    if (n < 5 || c[4].len == 0)
        return L->origin;
    const fx_cell *src = &c[4];
    size_t stored = fx_xltext_len(src->text, src->len);
    if (stored > FX_XLTEXT_MAX) {
        fx_diag_error(L->d, src->at,
                      "source: %zu characters as a workbook stores them; a cell holds at most %d",
                      stored, FX_XLTEXT_MAX);
        return NULL;
    }
    if (!L->state)
        L->state = g_hash_table_new(g_str_hash, g_str_equal);
    const fx_rate_origin *o = g_hash_table_lookup(L->state, src->text); /* csvin: NUL-ended */
    if (!o) {
        o = fx_rates_origin(L, src->text, src->len);
        g_hash_table_insert(L->state, (char *)o->provider, (void *)o);
    }
    return o;
}

static void row(fx_rates_loader *L, const fx_cell *c, size_t n)
{
    fx_day day;
    fx_ccy base, quote;
    fx_small val;
    bool ok = fx_rates_parse_day(L, &c[0], "date", &day);
    ok &= fx_rates_parse_code(L, &c[1], "base", &base);
    ok &= fx_rates_parse_code(L, &c[2], "quote", &quote);
    ok &= fx_rates_parse_rate(L, &c[3], &val);
    const fx_rate_origin *origin = row_origin(L, c, n);
    ok &= origin != NULL;
    if (ok && fx_ccy_eq(base, quote)) {
        fx_diag_error(L->d, c[2].at, "quote: the same currency as base (%s)", base.s);
        ok = false;
    }
    if (!ok) {
        L->st = FX_E_DATA;
        return;
    }
    fx_rates_add(L, fx_rates_pair(L->t, origin, base, quote), day, base, quote, val, c[3].at,
                 origin);
}

static void done(fx_rates_loader *L)
{
    if (L->state)
        g_hash_table_destroy(L->state);
    L->state = NULL;
}

const fx_rates_reader fx_rates_long = {claims, header, row, done, false};
