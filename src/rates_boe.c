/* rates_boe - the Bank of England database's CSV export (SPEC 3):
 * `DATE,SERIES[,SERIES...]`, dates like `02 Jan 2025`, one column per
 * series code, an empty cell where a series has no rate that day. Every
 * code read is a daily spot rate against sterling, X per pound (XUDLUSS:
 * 1 GBP = x USD). Provider BOE. Invariant: only codes in the table below
 * are read; any other is an error naming it. */
#include <stdlib.h>
#include <string.h>

#include "rates_int.h"

/* The Bank's daily spot rates "into sterling" (series XUDL...): 1 GBP =
 * x of the currency. The codes as the Bank's database names them (its
 * exchange-rate pages; the same list in several independent clients of
 * the database). */
static const struct {
    const char *code, *ccy;
} boe[] = {
    {"XUDLADS", "AUD"},  {"XUDLCDS", "CAD"},  {"XUDLBK89", "CNY"}, {"XUDLBK25", "CZK"},
    {"XUDLDKS", "DKK"},  {"XUDLERS", "EUR"},  {"XUDLHDS", "HKD"},  {"XUDLBK33", "HUF"},
    {"XUDLBK97", "INR"}, {"XUDLBK78", "ILS"}, {"XUDLJYS", "JPY"},  {"XUDLBK83", "MYR"},
    {"XUDLNDS", "NZD"},  {"XUDLNKS", "NOK"},  {"XUDLBK47", "PLN"}, {"XUDLBK85", "RUB"},
    {"XUDLSRS", "SAR"},  {"XUDLSGS", "SGD"},  {"XUDLZRS", "ZAR"},  {"XUDLBK93", "KRW"},
    {"XUDLSKS", "SEK"},  {"XUDLSFS", "CHF"},  {"XUDLTWS", "TWD"},  {"XUDLBK87", "THB"},
    {"XUDLBK95", "TRY"}, {"XUDLUSS", "USD"},
};

typedef struct {
    size_t ncol;
    fx_ccy *ccy;   /* column i (i >= 1) */
    long *pair;    /* -1 until its first rate */
    size_t reserve;
} boe_state;

static bool claims(const fx_cell *c, size_t n)
{
    (void)n;
    return fx_rates_cell_is(&c[0], "DATE");
}

static fx_status header(fx_rates_loader *L, const fx_cell *c, size_t n)
{
    boe_state *s = fx_xcalloc(1, sizeof *s);
    L->state = s;
    L->origin = fx_rates_origin(L, "BOE", 3); /* SPEC 3 */
    L->ncols = n;
    if (n < 2)
        return fx_diag_error(L->d, c[0].at,
                             "Bank of England header: no series column after \"DATE\"");
    s->ncol = n;
    s->ccy = fx_xcalloc(n, sizeof *s->ccy);
    s->pair = fx_xcalloc(n, sizeof *s->pair);
    /* a row is about 12 bytes a day and 8 more a series */
    s->reserve = L->size / (12 + 8 * (n - 1)) + 16;
    fx_status st = FX_OK;
    for (size_t i = 1; i < n; i++) {
        s->pair[i] = -1;
        size_t k = 0;
        while (k < sizeof boe / sizeof *boe && !fx_rates_cell_is(&c[i], boe[k].code))
            k++;
        if (k == sizeof boe / sizeof *boe) {
            st = fx_diag_error(L->d, c[i].at,
                               "unknown Bank of England series code \"%s\": expected a daily "
                               "spot rate against sterling such as XUDLUSS (US dollars), "
                               "XUDLERS (euros) or XUDLBK89 (yuan); see fxbook(1) for the list",
                               fx_diag_show(c[i].text, c[i].len));
            continue;
        }
        memcpy(s->ccy[i].s, boe[k].ccy, 4);
        for (size_t j = 1; j < i; j++)
            if (fx_ccy_eq(s->ccy[i], s->ccy[j])) {
                st = fx_diag_error(L->d, c[i].at, "Bank of England header: %s is also column %zu",
                                   fx_diag_show(c[i].text, c[i].len), j + 1);
                break;
            }
    }
    return st;
}

/* "02 Jan 2025": two-digit day, the English month's three letters, four
 * digits of year, single spaces; a day that exists. */
static bool parse_boe_day(const char *p, size_t len, fx_day *out)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (len != 11 || p[2] != ' ' || p[6] != ' ')
        return false;
    for (int i = 0; i < 11; i++)
        if ((i < 2 || i > 6) && (p[i] < '0' || p[i] > '9'))
            return false;
    int m = 0;
    while (m < 12 && memcmp(&months[(size_t)m * 3], p + 3, 3) != 0)
        m++;
    if (m == 12)
        return false;
    int d = (p[0] - '0') * 10 + (p[1] - '0');
    int y = (p[7] - '0') * 1000 + (p[8] - '0') * 100 + (p[9] - '0') * 10 + (p[10] - '0');
    if (y < 1000 || d < 1)
        return false;
    fx_day day = fx_date_from_ymd(y, m + 1, d);
    int yy, mm, dd;
    fx_date_to_ymd(day, &yy, &mm, &dd);
    if (yy != y || mm != m + 1 || dd != d) /* 31 Apr, 29 Feb 2025 */
        return false;
    *out = day;
    return true;
}

static void row(fx_rates_loader *L, const fx_cell *c, size_t n)
{
    boe_state *s = L->state;
    fx_day day;
    if (!parse_boe_day(c[0].text, c[0].len, &day)) {
        L->st = fx_diag_error(L->d, c[0].at,
                              "DATE: expected a date like 02 Jan 2025 (the Bank of England's "
                              "layout) that exists, got \"%s\"",
                              fx_diag_show(c[0].text, c[0].len));
        return;
    }
    static const fx_ccy gbp = {"GBP"};
    for (size_t i = 1; i < n; i++) {
        if (c[i].len == 0)
            continue; /* no rate of this series that day */
        fx_small val;
        if (!fx_rates_parse_rate(L, &c[i], &val)) {
            L->st = FX_E_DATA;
            continue;
        }
        if (s->pair[i] < 0) {
            s->pair[i] = fx_rates_pair(L->t, L->origin, gbp, s->ccy[i]);
            fx_rates_reserve(L->t, (uint32_t)s->pair[i], s->reserve);
        }
        fx_rates_add(L, (uint32_t)s->pair[i], day, gbp, s->ccy[i], val, c[i].at, L->origin);
    }
}

static void done(fx_rates_loader *L)
{
    boe_state *s = L->state;
    if (!s)
        return;
    free(s->ccy);
    free(s->pair);
    free(s);
    L->state = NULL;
}

const fx_rates_reader fx_rates_boe = {claims, header, row, done, false};
