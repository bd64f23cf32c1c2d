/* audit - SPEC 5: each reported conversion checked against the rates
 * (verdict, deviation, which days' rates reproduce it), and per claim
 * whether the sources agree within the precision they printed. The
 * claim, source and rate aggregates are all the state that grows with
 * the input besides the fact_id index. */
#ifndef FX_AUDIT_H
#define FX_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "convert.h"
#include "dec.h"
#include "diag.h"
#include "facts.h"
#include "rates.h"

typedef enum {
    FX_V_CONSISTENT,
    FX_V_CLOSE,
    FX_V_INCONSISTENT,
    FX_V_UNVERIFIABLE,
} fx_verdict;

typedef enum {
    FX_C_SINGLE,
    FX_C_AGREE,
    FX_C_DISAGREE,
} fx_claim_verdict;

const char *fx_verdict_name(fx_verdict v);             /* "consistent", ... */
const char *fx_claim_verdict_name(fx_claim_verdict v); /* "single", ... */

typedef struct {
    fx_dec tolerance;  /* --tolerance, percent */
    long infer_window; /* --infer-window, days */
    int places;
    fx_rounding rounding;
    fx_lookup_opts lookup;
} fx_audit_opts;

/* The audit of one fact's reported conversion. Reused row to row. */
typedef struct {
    bool present;         /* the fact has a reported conversion */
    fx_dec reported;      /* reported value x 10^scale, exact */
    fx_ccy reported_ccy;
    fx_verdict verdict;
    bool priced;          /* false: unverifiable */
    fx_priced rate;       /* rate at the valuation date */
    fx_ratio computed;    /* exact conversion of the fact's amount */
    fx_dec computed_rounded;
    fx_ratio deviation_pct; /* 100 x (reported - computed) / computed */
    bool has_deviation;     /* false when computed is zero */
    fx_day *days;           /* matching rate dates, ascending */
    bool *run_start;        /* days[i] starts a run: no published day between it and
                               days[i-1] fails to match */
    size_t ndays, capdays;
    size_t window_days;     /* published rate days in the inference window */
    fx_day last_pub[2];     /* the latest two of them, latest first; FX_DAY_NONE: none */
} fx_check;

void fx_check_init(fx_check *k);
void fx_check_clear(fx_check *k);
/* A deep copy into an initialized check, reusing its buffers. */
void fx_check_copy(fx_check *dst, const fx_check *src);
void fx_audit_check(fx_check *k, const fx_converted *c, const fx_rate_table *t,
                    const fx_audit_opts *o);

/* Interval [lo, hi] of a figure per SPEC 2, in its own unit, exact;
 * has_lo/has_hi false for an unbounded side. */
typedef struct {
    fx_ratio lo, hi;
    bool has_lo, has_hi;
} fx_interval;

void fx_interval_init(fx_interval *iv);
void fx_interval_clear(fx_interval *iv);
void fx_interval_of(fx_interval *iv, const fx_figure *fig, fx_qual q, const fx_dec *tolerance);

/* ---- aggregates ----
 * While facts stream in, the audit keeps per claim only what decides its
 * verdict (counts, and min, max and the common interval exact and packed)
 * and appends one short record per fact (claim, source, value as shown,
 * fact_id) to a spool (an unlinked temporary file, spool.h). fx_audit_finish sorts those by
 * claim in a few sequential passes over the file, each holding at most
 * FX_AUDIT_PASS records (a claim with more is held whole), and writes each
 * claim's row (its cells and their fact_ids) to a second temporary file
 * in claim order, which fx_audit_next reads back one claim at a time. So
 * what stays in memory grows with the number of claims and sources, never
 * with the facts or the (claim, source) cells. */

/* One source's facts on one claim (a Comparison cell). */
/* A normalized interval as nearest doubles, for display and sentences
 * (the verdicts are decided on the exact intervals). */
typedef struct {
    double lo, hi;
    bool has_lo, has_hi;
} fx_span;

typedef struct {
    unsigned source;        /* index into fx_audit_source */
    double first;           /* first fact's normalized point value as shown, nearest double */
    int first_places;       /* its decimal places, for a number format */
    fx_qual qual;           /* first fact's qualifier */
    fx_span span;           /* first fact's normalized interval */
    const char *const *ids; /* every fact_id (for the cell comment), at most FX_IDS_KEPT */
    size_t nids, more;      /* ids kept, and how many more there were */
} fx_claim_source;

#define FX_IDS_KEPT 20
#define FX_AUDIT_PASS ((size_t)1 << 18)

/* A fact that decides a disagreement: the one whose interval starts
 * highest, or the one whose interval ends lowest. */
typedef struct {
    unsigned source;
    const char *fact_id;
    double value; /* normalized point value as shown */
    int places;
    fx_qual qual;
    fx_span span;
} fx_witness;

typedef struct {
    const char *claim;
    const char *entity; /* of its first fact */
    size_t index;       /* the claim's number, as fx_audit_add returned it */
    fx_witness high_lo, low_hi; /* disagree: high_lo.span.lo > low_hi.span.hi */
    fx_kind kind;
    fx_ccy unit_ccy; /* money: the first target */
    size_t facts;
    const fx_claim_source *by_source; /* in order of first appearance */
    size_t nsources;
    fx_ratio min, max; /* normalized point values, exact */
    fx_claim_verdict verdict;
} fx_claim;

typedef struct {
    char *source;
    fx_day published; /* of its first fact */
    size_t facts;
    unsigned first_input;
} fx_source;

typedef struct fx_audit fx_audit;

/* tmpdir: the folder of the spools (spool.h: unlinked temporary files)
 * that hold the per-fact records and claim rows, for the Comparison and
 * comparison.csv; NULL keeps only counts and verdicts (--check). A folder
 * that cannot take them is reported once, by fx_audit_finish. */
fx_audit *fx_audit_new(const fx_audit_opts *o, const fx_convert_opts *co, const char *tmpdir);
void fx_audit_free(fx_audit *a);

/* Adds a converted fact (and its check, if any) to the aggregates.
 * A money fact goes in with its first target's exact value. Returns the
 * fact's claim and source numbers (for fx_audit_claim_*, fx_audit_source). */
typedef struct {
    uint32_t claim, source;
} fx_audit_ref;
fx_audit_ref fx_audit_add(fx_audit *a, const fx_converted *c, const fx_check *k);
/* Decides each claim's verdict; with rows (and a tmpdir) also writes the
 * claim rows for fx_audit_next. Call once after the last fact. FX_E_IO
 * (reported in d) when a temporary file cannot be created or written. */
fx_status fx_audit_finish(fx_audit *a, bool rows, fx_diags *d);

size_t fx_audit_nclaims(const fx_audit *a);
/* After finish: a claim's verdict, and its place in the claim rows (0 is
 * the first row), by its number. */
fx_claim_verdict fx_audit_claim_verdict(const fx_audit *a, size_t claim);
size_t fx_audit_claim_row(const fx_audit *a, size_t claim);
/* The claim rows in Comparison order (SPEC 6: disagree first, then by
 * spread, largest first, then claim id): rewind, then next until
 * NULL. What next returns lives until the following call. False / NULL
 * and fx_audit_read_error set on a read failure of the temporary file. */
bool fx_audit_rewind(fx_audit *a);
const fx_claim *fx_audit_next(fx_audit *a);
/* NULL, or why the last rewind or next failed. */
const char *fx_audit_read_error(const fx_audit *a);
/* Test hook: records per pass of fx_audit_finish (default FX_AUDIT_PASS). */
void fx_audit_set_pass(fx_audit *a, size_t records);
size_t fx_audit_nsources(const fx_audit *a);
const fx_source *fx_audit_source(const fx_audit *a, size_t i);

/* Counts for Summary and --fail-on. */
typedef struct {
    size_t facts, money_facts, conversions; /* conversions = facts with a reported one */
    size_t verdicts[4];                     /* by fx_verdict */
    size_t claims[3];                       /* by fx_claim_verdict */
} fx_audit_counts;
fx_audit_counts fx_audit_totals(const fx_audit *a);

#endif
