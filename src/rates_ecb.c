/* rates_ecb - the ECB history (SPEC 3): `Date,USD,JPY,...`, one row per
 * TARGET day, 1 EUR = x CCY, `N/A` or empty for no rate; the real file
 * ends every line with a comma (an empty last column, which must stay
 * empty). Provider ECB. Invariant: a column's rates go to one pair,
 * looked up once per column, not once per cell. */
#include <stdlib.h>
#include <string.h>

#include "rates_int.h"

typedef struct {
    bool trailing;   /* the last column is the empty one after the final comma */
    fx_ccy *col_ccy; /* currency of column i (i >= 1) */
    long *col_pair;  /* pair {EUR, ccy} of column i, -1 until its first rate */
    size_t reserve;  /* rates to expect per column (from the file size) */
    size_t most;     /* rates to reserve per column at most */
    size_t rows_left; /* at most this many rows to come, this one included; 0: not known */
    fx_rates_item *items; /* a row's rates, handed over in one call */
} ecb_state;

static bool claims(const fx_cell *c, size_t n)
{
    (void)n;
    return fx_rates_cell_is(&c[0], "Date");
}

static fx_status header(fx_rates_loader *L, const fx_cell *c, size_t n)
{
    ecb_state *s = fx_xcalloc(1, sizeof *s);
    L->state = s;
    L->origin = fx_rates_origin(L, "ECB", 3); /* SPEC 3 */
    size_t ncur = n - 1;
    if (n >= 2 && c[n - 1].len == 0) { /* the real file's final comma */
        s->trailing = true;
        L->short_hint = " (every line of an ECB file ends with a comma)";
        ncur--;
    }
    if (ncur == 0)
        return fx_diag_error(L->d, c[0].at, "ECB header: no currency columns after \"Date\"");
    L->ncols = n;
    /* Without the file's lines (a pipe): a row holds n fields; ECB fields
     * average 5-6 bytes ("1.1252,"), so size / (4 n) rows is a generous
     * guess, and a wrong one only costs reallocs. Untouched reserved pages
     * cost nothing. Either way, a huge file: no more than 64 MB up front. */
    s->most = ((size_t)64 << 20) / (sizeof(fx_rate) * ncur);
    s->reserve = L->size / (4 * (n ? n : 1)) + 16;
    if (s->reserve > s->most)
        s->reserve = s->most;
    s->col_ccy = fx_xcalloc(n, sizeof *s->col_ccy);
    s->col_pair = fx_xcalloc(n, sizeof *s->col_pair);
    s->items = fx_xcalloc(n, sizeof *s->items);
    fx_status st = FX_OK;
    for (size_t i = 1; i <= ncur; i++) {
        s->col_pair[i] = -1;
        if (!fx_rates_parse_code(L, &c[i], "ECB header", &s->col_ccy[i])) {
            st = FX_E_DATA;
            continue;
        }
        if (strcmp(s->col_ccy[i].s, "EUR") == 0) {
            st = fx_diag_error(L->d, c[i].at, "ECB header: a EUR column in a file of EUR rates");
            continue;
        }
        for (size_t j = 1; j < i; j++)
            if (fx_ccy_eq(s->col_ccy[i], s->col_ccy[j])) {
                st = fx_diag_error(L->d, c[i].at, "ECB header: %s is also column %zu",
                                   s->col_ccy[i].s, j + 1);
                break;
            }
    }
    /* One block for all the columns' rates, a column's room starting
     * where its first rate comes (a currency that joins late or left
     * early takes room only for the rows it can still have). The file's
     * lines bound its rows. */
    size_t lines = st == FX_OK ? fx_rates_file_lines(L) : 0;
    if (lines > 1) {
        s->rows_left = lines - 1;
        fx_rates_wide(L, s->rows_left, ncur);
    }
    return st;
}

static void row(fx_rates_loader *L, const fx_cell *c, size_t n)
{
    ecb_state *s = L->state;
    fx_day day;
    if (!fx_rates_parse_day(L, &c[0], "Date", &day)) {
        L->st = FX_E_DATA;
        return;
    }
    static const fx_ccy eur = {"EUR"};
    size_t ncur = s->trailing ? n - 2 : n - 1, k = 0;
    for (size_t i = 1; i <= ncur; i++) {
        const fx_cell *v = &c[i];
        if (v->len == 0 || (v->len == 3 && memcmp(v->text, "N/A", 3) == 0))
            continue; /* no rate that day */
        fx_rates_item *it = &s->items[k];
        if (!fx_rates_quick_rate(v->text, v->len, &it->value) &&
            !fx_rates_parse_rate(L, v, &it->value)) {
            L->st = FX_E_DATA;
            continue;
        }
        if (s->col_pair[i] < 0) {
            s->col_pair[i] = fx_rates_pair(L->t, L->origin, eur, s->col_ccy[i]);
            size_t more = s->rows_left ? s->rows_left : s->reserve;
            fx_rates_place(L, (uint32_t)s->col_pair[i], more < s->most ? more : s->most);
        }
        it->pair = (uint32_t)s->col_pair[i];
        it->base = eur;
        it->quote = s->col_ccy[i];
        it->line = v->at.line;
        it->col = v->at.col;
        k++;
    }
    fx_rates_add_day(L, day, L->origin, s->items, k);
    if (s->rows_left > 1)
        s->rows_left--;
    if (s->trailing && c[n - 1].len != 0)
        L->st = fx_diag_error(L->d, c[n - 1].at,
                              "a value in the unnamed last column (the header ends with a comma)");
}

static void done(fx_rates_loader *L)
{
    ecb_state *s = L->state;
    if (!s)
        return;
    free(s->col_ccy);
    free(s->col_pair);
    free(s->items);
    free(s);
    L->state = NULL;
}

const fx_rates_reader fx_rates_ecb = {claims, header, row, done, true};
