/* rates - dated exchange rates; read-only once loaded. Each rate keeps
 * its file:line, which the workbook cites. Lookup follows SPEC 3: the
 * latest rate date R <= D on which the pair can be priced (direct,
 * inverse, or cross through one common currency with both legs from R),
 * a direct pair winning over a cross, within --fallback/--max-stale. */
#ifndef FX_RATES_H
#define FX_RATES_H

#include <stdbool.h>
#include <stddef.h>

#include "ccy.h"
#include "date.h"
#include "dec.h"
#include "diag.h"

typedef struct fx_rate_table fx_rate_table;

/* One published rate: 1 base = value quote, on day. */
typedef struct {
    fx_day day;
    fx_ccy base, quote;
    fx_small value;
    const char *file; /* as given to fx_rates_load; lives as long as the table */
    unsigned long line;
    unsigned id; /* dense index 0..fx_rates_count()-1, for "used" marks */
} fx_rate;

/* How a pair was priced on a day: from = to * num / den. For a direct
 * rate num = value, den = 1; inverse num = 1, den = value; a cross uses
 * two legs (leg[1] may be NULL). */
typedef struct {
    fx_day day;
    fx_small num, den;
    const fx_rate *leg[2];
    bool inverse[2]; /* leg i is used inverted */
} fx_priced;

typedef enum {
    FX_FALLBACK_PREVIOUS,
    FX_FALLBACK_NONE,
} fx_fallback;

typedef struct {
    fx_fallback fallback;
    long max_stale; /* days; < 0 = none (no limit) */
} fx_lookup_opts;

fx_rate_table *fx_rates_new(void);
void fx_rates_free(fx_rate_table *t);

/* Loads a file or every *.csv in a folder, each told apart by its header:
 * ECB history (Date,USD,...), long (date,base,quote,rate[,source]) or
 * aliases (alias,code). Bad rows are FX_E_DATA with positions in d.
 * Call fx_rates_finish once after the last load. */
fx_status fx_rates_load(fx_rate_table *t, const char *path, fx_diags *d);
/* Sorts and indexes; reports conflicting duplicates (same pair and day,
 * or a pair and its inverse, with different values) into d. */
fx_status fx_rates_finish(fx_rate_table *t, fx_diags *d);
/* True when some alias file was loaded. */
bool fx_rates_has_aliases(const fx_rate_table *t);

/* Resolves what a curator typed in `unit`: an ISO code known to ISO 4217
 * or to the loaded rates, or an alias exactly as listed. */
bool fx_rates_resolve(const fx_rate_table *t, const char *s, size_t len, fx_ccy *out);
/* True when ccy appears in any loaded rate. */
bool fx_rates_knows(const fx_rate_table *t, fx_ccy c);

typedef enum {
    FX_LOOKUP_OK = 0,
    FX_LOOKUP_NO_RATE,     /* the pair cannot be priced at all */
    FX_LOOKUP_BEFORE,      /* D is before the first day the pair can be priced */
    FX_LOOKUP_STALE,       /* latest price is more than max_stale days before D */
    FX_LOOKUP_NOT_ON_DAY,  /* --fallback none and no rate on D itself */
} fx_lookup_err;

/* Prices from -> to on day per SPEC 3. On failure *out is unchanged, and
 * `why` (if not NULL, FX_DEC_STR_MAX bytes) explains, e.g. "no CNY rate
 * before 2005-04-01 (its series starts then)". from == to prices at 1. */
fx_lookup_err fx_rates_lookup(const fx_rate_table *t, fx_ccy from, fx_ccy to, fx_day day,
                              const fx_lookup_opts *o, fx_priced *out, char *why, size_t whylen);
/* Every rate date R in [lo, hi] on which from -> to can be priced
 * (no staleness rules), ascending; calls fn for each. */
void fx_rates_each_day(const fx_rate_table *t, fx_ccy from, fx_ccy to, fx_day lo, fx_day hi,
                       void (*fn)(void *ctx, const fx_priced *p), void *ctx);

size_t fx_rates_count(const fx_rate_table *t);
/* Files loaded, with their first and last rate dates (for Summary). */
size_t fx_rates_files(const fx_rate_table *t);
const char *fx_rates_file_name(const fx_rate_table *t, size_t i);
bool fx_rates_file_range(const fx_rate_table *t, size_t i, fx_day *first, fx_day *last,
                         size_t *rates);

#endif
