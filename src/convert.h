/* convert - one fact's amount into each target currency: the exact
 * rational result, rounded once, and the rate it used (provenance). */
#ifndef FX_CONVERT_H
#define FX_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basis.h"
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
    fx_basis basis; /* --basis; a fact's basis column overrides it */
} fx_convert_opts;

/* A conversion at a rate basis (SPEC 3). Spot: priced is the rate of
 * day R. An average: the exact mean of the daily rates of `ndays`
 * published days from `first` to priced.day (the last day averaged), all
 * in the calendar period that holds the valuation date, up to it;
 * priced is the last day's pricing (its legs name the provider), and
 * fx_rates_each_day(from, target, first, priced.day) lists every day
 * averaged. A fact in the target's own currency has ndays 0. */
typedef struct {
    fx_ccy target;
    uint8_t basis;    /* fx_basis */
    uint32_t ndays;   /* days averaged; spot: 1 (0 without a rate) */
    fx_day first;     /* first day averaged; spot: priced.day */
    fx_priced priced; /* the rate used: day, num/den, legs with file:line */
    fx_ratio rate;    /* the effective rate, target per unit, exact: num/den or the mean */
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

/* Every day an average of from -> to takes, in [lo, hi], ascending,
 * each priced as fx_rates_lookup of that day prices it, all from one
 * provider (SPEC 3): `provider`, the one the spot lookup picked (NULL:
 * any). The one place that chooses an average's days: the conversion
 * and the workbook's Rates rows both call it. */
void fx_convert_each_avg_day(const fx_rate_table *t, const char *provider, fx_ccy from, fx_ccy to,
                             fx_day lo, fx_day hi, void (*fn)(void *ctx, const fx_priced *p),
                             void *ctx);
/* The provider of a pricing: its legs' (NULL without a leg). */
const char *fx_convert_provider(const fx_priced *p);

/* Exact amount of a figure: value x 10^scale. */
void fx_figure_amount(fx_dec *out, const fx_figure *fig);

#endif
