/* rates - dated exchange rates; read-only once loaded. Each rate keeps
 * its file:line and its provider, which the workbook cites. Lookup
 * follows SPEC 3: per provider in the order asked, the latest rate date
 * R <= D on which the pair can be priced (direct, inverse, or cross
 * through one common currency with both legs from R and from that
 * provider), a direct pair winning over a cross, within
 * --fallback/--max-stale; the first provider that can price it wins. */
#ifndef FX_RATES_H
#define FX_RATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ccy.h"
#include "date.h"
#include "dec.h"
#include "diag.h"

typedef struct fx_rate_table fx_rate_table;

/* Where rates come from: one per file and provider, shared by the file's
 * rates of that provider (a rate carries a pointer, not copies). Lives as
 * long as the table. */
typedef struct {
    const char *file;     /* as read, for messages: the path given to fx_rates_load
                             (a folder's files: "DIR/NAME"); fx_rates_file_name(file_index) */
    const char *shown;    /* as the workbook names it (SPEC 6: as the user named it; see
                             fx_rates_load_as); fx_rates_file_shown(file_index) */
    const char *provider; /* SPEC 3: "ECB" for the ECB history; a long file's source cell,
                             else the file's name without ".csv"; "FED-H10" for FRED's H.10
                             series; "BOE" for the Bank of England's. One pointer per name
                             in a table: origins of one provider share it */
    size_t file_index;    /* in load order, for fx_rates_file_* */
    size_t provider_id;   /* the table's own number of the provider */
} fx_rate_origin;

/* One published rate: 1 base = value quote, on day. (40 bytes and no
 * padding: the ECB history is ~210,000 of them, and filling them was most
 * of the time to load it; hence one origin pointer, not a file and a
 * provider, a 12-byte fx_small and a 32-bit line: a file of more lines
 * is an error past its line 4,294,967,295.) */
typedef struct {
    fx_day day;
    fx_ccy base, quote;
    unsigned id; /* dense index 0..fx_rates_count()-1 (load order), for "used" marks */
    fx_small value; /* as written in the file ("1.10" keeps its zero) */
    uint32_t line; /* physical line of the value's field */
    const fx_rate_origin *origin; /* file and provider; lives as long as the table */
} fx_rate;

/* How a pair was priced on a day: 1 from = num / den to (so an amount in
 * `from` times num / den is the amount in `to`). For a direct rate
 * num = value, den = 1 and leg[1] is NULL; inverse num = 1, den = value,
 * inverse[0]; a cross from -> C -> to has leg[0] between from and C and
 * leg[1] between C and to, each maybe inverted (ECB: CNY -> USD is
 * num = EUR/USD, den = EUR/CNY, leg[0] inverted). num and den are exact
 * products of the legs' values. from == to: num = den = 1, no legs. */
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

/* Providers a lookup may try at most (--provider names more: the rest
 * are not tried). */
#define FX_MAX_PROVIDERS 16

typedef struct {
    fx_fallback fallback;
    long max_stale; /* days; < 0 = none (no limit) */
    /* --provider: names in order of preference (borrowed); a name no
     * loaded rate has is skipped. None (0): the default, ECB when loaded,
     * else every loaded provider in load order (SPEC 1). */
    const char *const *providers;
    size_t nproviders;
} fx_lookup_opts;

fx_rate_table *fx_rates_new(void);
void fx_rates_free(fx_rate_table *t);

/* Loads a file or every *.csv in a folder (not hidden ones, not in
 * subfolders; in strcmp order of their names, so every locale loads the
 * same), each told apart by its header: ECB history (Date,USD,...; an
 * empty last column, as the real file's final commas make, is accepted
 * and must stay empty), long (date,base,quote,rate[,source]), aliases
 * (alias,code), FRED (observation_date,SERIES or DATE,DEX...: one H.10
 * series) or Bank of England (DATE,XUDL...; dates like 02 Jan 2025);
 * another header is an error and skips that file. Rates must be positive plain decimals
 * of at most 18 significant digits. Every bad row is reported (FX_E_DATA,
 * FILE:LINE:COL in d) and skipped; reading goes on. An ECB file whose last
 * line has no line end is cut short (FX_E_DATA at that line); long and
 * aliases files need none. An alias may not be a unit word
 * (fx_rates_is_unit_word) nor longer than a cell holds. A path that
 * cannot be opened, a folder without *.csv, or a *.csv in a folder that
 * cannot be read (a link to a missing file, a folder; reported with its
 * path, never skipped; the others are still read) is FX_E_NOINPUT. d
 * keeps pointers to the file names, which live in t: free d before t (or
 * don't add to d after freeing t). Call fx_rates_finish once after the last load;
 * loading after it is FX_E_INTERNAL (finish hands out pointers that more
 * rates would move). */
fx_status fx_rates_load(fx_rate_table *t, const char *path, fx_diags *d);
/* The same, with the name the workbook shows for path (messages still
 * name path): a file is shown as `shown`, a folder's files as
 * "SHOWN/NAME". fx_rates_load(t, p, d) is fx_rates_load_as(t, p, p, d). */
fx_status fx_rates_load_as(fx_rate_table *t, const char *path, const char *shown, fx_diags *d);
/* Sorts and indexes; reports conflicting duplicates (same pair and day
 * with different values, or a pair and its inverse that are not exact
 * inverses), naming both positions, into d; FX_E_DATA then. Identical
 * duplicates are fine: the first loaded is kept. Also checks aliases: one
 * alias naming two codes, an alias that is itself another currency's
 * code, or a code that is neither ISO 4217 nor in the rates. After it the
 * table is read-only and safe to share between threads; ids are dense
 * over the rates kept. A second call does nothing. */
fx_status fx_rates_finish(fx_rate_table *t, fx_diags *d);
/* True when some alias file was loaded. */
bool fx_rates_has_aliases(const fx_rate_table *t);

/* Resolves what a curator typed in `unit`: a code (3 capital letters) in
 * ISO 4217 or in the loaded rates, else an alias exactly as listed
 * (case-sensitive, no trimming). "usd" is not a code. */
bool fx_rates_resolve(const fx_rate_table *t, const char *s, size_t len, fx_ccy *out);
/* True when ccy appears in any loaded rate. */
bool fx_rates_knows(const fx_rate_table *t, fx_ccy c);
/* A known currency (SPEC 1): in ISO 4217 or in the loaded rates. */
bool fx_rates_is_currency(const fx_rate_table *t, fx_ccy c);
/* SPEC 1: a target that is no known currency is a usage error (64),
 * found once the rates are loaded and finished. True when c is known;
 * else false, and why (whylen bytes, 160 is plenty; may be NULL) says
 * so, naming the code an alias stands for:
 *   "RMB is no known currency (neither ISO 4217 nor in the loaded rates)
 *    but an alias of CNY; write CNY"
 *   "XYZ is no known currency: neither an ISO 4217 code nor in the
 *    loaded rates" */
bool fx_rates_check_target(const fx_rate_table *t, fx_ccy c, char *why, size_t whylen);
/* The non-money units of SPEC 2: count, percent, days, months, years. A
 * fact's unit that is one of them is that unit, so none may be an alias
 * (an aliases file that lists one is an error at its line). */
bool fx_rates_is_unit_word(const char *s, size_t len);

typedef enum {
    FX_LOOKUP_OK = 0,
    FX_LOOKUP_NO_RATE,     /* the pair cannot be priced at all */
    FX_LOOKUP_BEFORE,      /* D is before the first day the pair can be priced */
    FX_LOOKUP_STALE,       /* latest price is more than max_stale days before D */
    FX_LOOKUP_NOT_ON_DAY,  /* --fallback none and no rate on D itself */
} fx_lookup_err;

/* Prices from -> to on day per SPEC 3, with the first provider of
 * o's order (o->providers, else the default) that can: R = the latest
 * day <= `day` on which that provider prices the pair directly,
 * inversely, or crossed through one common currency with both legs from
 * R and from it; on R a direct or inverse rate
 * beats a cross, and of several crosses the intermediate currency with
 * the smallest code wins. FX_FALLBACK_NONE needs R == day; PREVIOUS needs
 * day - R <= max_stale (when >= 0). Nothing is ever clamped: no such R is
 * an error. On failure *out is unchanged and `why` (if not NULL; whylen
 * bytes, FX_DEC_STR_MAX is plenty) explains, e.g.
 *   "no CNY rate on or before 1999-01-04: the CNY series starts on 2005-04-01"
 *   "the latest CYP rate is from 2007-12-31, 6575 days before 2025-12-31 (--max-stale 7)"
 *   "no rate to price CNY in USD on 2025-01-25, a Saturday (--fallback none);
 *    the latest before it is from 2025-01-24"
 *   "no XYZ rate in the loaded rates"
 * from == to prices at 1 on `day`, even for a code no rate names.
 * With several providers in the order and none able, the error is the
 * first one's and `why` gives each one's reason, "ECB: ...; BOE: ...".
 * The provider used is p->leg[0]->origin->provider (a cross's legs are
 * one provider's). */
fx_lookup_err fx_rates_lookup(const fx_rate_table *t, fx_ccy from, fx_ccy to, fx_day day,
                              const fx_lookup_opts *o, fx_priced *out, char *why, size_t whylen);
/* Every rate date R in [lo, hi] on which from -> to can be priced
 * (no staleness rules), ascending; calls fn for each with the pricing of
 * R exactly as fx_rates_lookup(R) gives it. from == to: every calendar
 * day in [lo, hi], priced at 1 (no rate is needed, so any day fits). */
void fx_rates_each_day(const fx_rate_table *t, fx_ccy from, fx_ccy to, fx_day lo, fx_day hi,
                       void (*fn)(void *ctx, const fx_priced *p), void *ctx);
/* The same over one provider's rates (name as loaded; one no loaded rate
 * has: no day). provider NULL: the default order, each day priced by the
 * first provider of it that prices the pair that day; that is what
 * fx_rates_each_day does. */
void fx_rates_each_day_of(const fx_rate_table *t, const char *provider, fx_ccy from, fx_ccy to,
                          fx_day lo, fx_day hi, void (*fn)(void *ctx, const fx_priced *p),
                          void *ctx);

/* Bounds on a provider's rates of a pair over a span of days, so that a
 * search can tell cheaply that no day of the span gives a rate it wants
 * before pricing the days one by one (the explanations' search). Each
 * pair's bounds are built the first time it is asked for: not thread-safe;
 * one per thread. */
typedef struct fx_rate_hull fx_rate_hull;
fx_rate_hull *fx_rate_hull_new(const fx_rate_table *t);
void fx_rate_hull_free(fx_rate_hull *b);
/* [*min, *max] holds every rate from -> to that fx_rates_each_day_of(t,
 * provider, from, to, lo, hi) gives, as doubles (about 1e-14 relative
 * from the rationals: widen before deciding); false when it surely gives
 * none. Blocks of a pair's days are bounded, so the range may be wider
 * than the span's own rates. */
bool fx_rate_hull_of(fx_rate_hull *b, const char *provider, fx_ccy from, fx_ccy to,
                       fx_day lo, fx_day hi, double *min, double *max);

/* Providers with at least one loaded rate, in load order (of their
 * first rates); NULL past the last. */
size_t fx_rates_providers(const fx_rate_table *t);
const char *fx_rates_provider(const fx_rate_table *t, size_t i);
/* True when some loaded rate is name's (--provider: else a usage error). */
bool fx_rates_has_provider(const fx_rate_table *t, const char *name);
/* The default order (SPEC 1): ECB when loaded, else every loaded provider
 * in load order; at most cap names into out, their count returned. */
size_t fx_rates_default_providers(const fx_rate_table *t, const char **out, size_t cap);

size_t fx_rates_count(const fx_rate_table *t);
/* Files loaded (aliases files included), in load order, with their first
 * and last rate dates and how many rates they gave (duplicates counted);
 * fx_rates_file_range is false for a file without rates (aliases). */
size_t fx_rates_files(const fx_rate_table *t);
/* The path as read (for messages); NULL past the last file. */
const char *fx_rates_file_name(const fx_rate_table *t, size_t i);
/* The name the workbook shows (fx_rates_load_as); NULL past the last. */
const char *fx_rates_file_shown(const fx_rate_table *t, size_t i);
/* The bytes read and their SHA-256 (lower-case hex), taken from the very
 * bytes the rates were read from, as they were read (counting an ECB
 * file's lines beforehand, to size its table, takes no part); -1 and NULL
 * past the last file. */
long long fx_rates_file_size(const fx_rate_table *t, size_t i);
const char *fx_rates_file_sha256(const fx_rate_table *t, size_t i);
bool fx_rates_file_range(const fx_rate_table *t, size_t i, fx_day *first, fx_day *last,
                         size_t *rates);

#endif
