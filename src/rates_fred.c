/* rates_fred - FRED's CSV of one Federal Reserve H.10 series (SPEC 3):
 * `observation_date,SERIES` (older files: `DATE,SERIES`), a value or `.`
 * or nothing (no rate that day) per row. The series id gives the pair by
 * the DEX rule: `DEX` + two two-letter codes, `US` first = US dollars per
 * unit of the other (DEXUSUK: 1 GBP = x USD), `US` last = units of the
 * other per dollar (DEXCHUS: 1 USD = x CNY). Provider FED-H10.
 * Invariant: only ids in the table below are read; any other is an error
 * naming it, never a guess. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rates_int.h"

/* The H.10 daily series FRED carries (../shared/data/fred/README.md):
 * 1 base = x quote. */
static const struct {
    const char *id, *base, *quote;
} h10[] = {
    {"DEXUSUK", "GBP", "USD"}, {"DEXUSEU", "EUR", "USD"}, {"DEXUSAL", "AUD", "USD"},
    {"DEXUSNZ", "NZD", "USD"}, {"DEXCHUS", "USD", "CNY"}, {"DEXJPUS", "USD", "JPY"},
    {"DEXCAUS", "USD", "CAD"}, {"DEXSZUS", "USD", "CHF"}, {"DEXINUS", "USD", "INR"},
    {"DEXKOUS", "USD", "KRW"}, {"DEXHKUS", "USD", "HKD"}, {"DEXSIUS", "USD", "SGD"},
    {"DEXMXUS", "USD", "MXN"}, {"DEXBZUS", "USD", "BRL"}, {"DEXSDUS", "USD", "SEK"},
    {"DEXNOUS", "USD", "NOK"}, {"DEXDNUS", "USD", "DKK"}, {"DEXSFUS", "USD", "ZAR"},
    {"DEXTAUS", "USD", "TWD"}, {"DEXTHUS", "USD", "THB"}, {"DEXMAUS", "USD", "MYR"},
    {"DEXSLUS", "USD", "LKR"}, {"DEXVZUS", "USD", "VEF"},
};

typedef struct {
    char what[24]; /* the date column's name, for messages */
    fx_ccy base, quote;
    uint32_t pair;
} fred_state;

static bool claims(const fx_cell *c, size_t n)
{
    if (fx_rates_cell_is(&c[0], "observation_date"))
        return true;
    /* `DATE,...` is also the Bank of England's: DEX series are FRED's */
    return fx_rates_cell_is(&c[0], "DATE") && n >= 2 && c[1].len >= 3 &&
           memcmp(c[1].text, "DEX", 3) == 0;
}

static fx_status header(fx_rates_loader *L, const fx_cell *c, size_t n)
{
    fred_state *s = fx_xcalloc(1, sizeof *s);
    L->state = s;
    snprintf(s->what, sizeof s->what, "%s", c[0].text);
    L->origin = fx_rates_origin(L, "FED-H10", 7); /* SPEC 3 */
    L->ncols = 2;
    if (n < 2)
        return fx_diag_error(L->d, c[0].at, "FRED header: no series column after \"%s\"",
                             s->what);
    fx_status st = FX_OK;
    size_t k = 0;
    while (k < sizeof h10 / sizeof *h10 && !fx_rates_cell_is(&c[1], h10[k].id))
        k++;
    if (k == sizeof h10 / sizeof *h10)
        st = fx_diag_error(L->d, c[1].at,
                           "unknown FRED series \"%s\": expected an H.10 exchange rate series "
                           "(DEX and two country codes, US first or last, e.g. DEXUSUK or "
                           "DEXCHUS)",
                           fx_diag_show(c[1].text, c[1].len));
    if (n > 2)
        st = fx_diag_error(L->d, c[2].at,
                           "a second series column \"%s\": a FRED file holds one series; "
                           "download each as its own file",
                           fx_diag_show(c[2].text, c[2].len));
    if (st != FX_OK)
        return st;
    memcpy(s->base.s, h10[k].base, 4);
    memcpy(s->quote.s, h10[k].quote, 4);
    s->pair = fx_rates_pair(L->t, L->origin, s->base, s->quote);
    /* a row is about 16 bytes ("2025-01-02,1.2529"): reserve what the size says */
    fx_rates_reserve(L->t, s->pair, L->size / 16 + 16);
    return FX_OK;
}

static void row(fx_rates_loader *L, const fx_cell *c, size_t n)
{
    (void)n;
    fred_state *s = L->state;
    fx_day day;
    if (!fx_rates_parse_day(L, &c[0], s->what, &day)) {
        L->st = FX_E_DATA;
        return;
    }
    if (c[1].len == 0 || fx_rates_cell_is(&c[1], "."))
        return; /* no rate that day (a US holiday) */
    fx_small val;
    if (!fx_rates_parse_rate(L, &c[1], &val)) {
        L->st = FX_E_DATA;
        return;
    }
    fx_rates_add(L, s->pair, day, s->base, s->quote, val, c[1].at, L->origin);
}

static void done(fx_rates_loader *L)
{
    free(L->state);
    L->state = NULL;
}

const fx_rates_reader fx_rates_fred = {claims, header, row, done, false};
