/* convert - one fact's amount into each target currency: the exact
 * rational result, rounded once, and the rate it used (provenance). */
#ifndef FX_CONVERT_H
#define FX_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

#include "dec.h"
#include "diag.h"
#include "facts.h"
#include "rates.h"

#define FX_MAX_TARGETS 8

typedef struct {
    fx_ccy targets[FX_MAX_TARGETS];
    size_t ntargets;
    bool has_date; /* --date: value every fact at this day */
    fx_day date;
    fx_lookup_opts lookup;
    int places;
    fx_rounding rounding;
} fx_convert_opts;

typedef struct {
    fx_ccy target;
    fx_priced priced; /* the rate used: day, num/den, legs with file:line */
    fx_ratio exact;   /* amount in target, exact */
    fx_dec rounded;   /* exact rounded to --places with --rounding */
} fx_conv;

/* A fact with its normalized values. Reused from row to row: init once,
 * clear once. */
typedef struct {
    const fx_fact *fact;
    fx_day valuation; /* --date, else as_of, else published */
    fx_dec amount;    /* value x 10^scale, exact */
    size_t nconv;     /* money: one per target; other kinds: 0 */
    fx_conv conv[FX_MAX_TARGETS];
} fx_converted;

void fx_converted_init(fx_converted *c);
void fx_converted_clear(fx_converted *c);

/* Converts f. A money fact without a rate for some target is FX_E_DATA
 * with the fact named at its row, and c is not usable. */
fx_status fx_convert(fx_converted *c, const fx_fact *f, const fx_rate_table *t,
                     const fx_convert_opts *o, fx_diags *d);

/* Exact amount of a figure: value x 10^scale. */
void fx_figure_amount(fx_dec *out, const fx_figure *fig);

#endif
