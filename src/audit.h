/* audit - SPEC 5: each reported conversion checked against the rates
 * (verdict, deviation, which days' rates reproduce it), and per claim
 * whether the sources agree within the precision they printed. The
 * claim, source and rate aggregates are all the state that grows with
 * the input besides the fact_id index. */
#ifndef FX_AUDIT_H
#define FX_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "convert.h"
#include "dec.h"
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
    size_t ndays, capdays;
} fx_check;

void fx_check_init(fx_check *k);
void fx_check_clear(fx_check *k);
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

/* ---- aggregates ---- */

/* One source's facts on one claim (a Comparison cell). */
typedef struct {
    unsigned source;   /* index into fx_audit_sources */
    fx_dec first;      /* first fact's normalized point value, as shown */
    char *first_id;    /* fact_id of that fact */
    char **ids;        /* every fact_id (for the cell comment), at most FX_IDS_KEPT */
    size_t nids, more; /* ids kept, and how many more there were */
} fx_claim_source;

#define FX_IDS_KEPT 20

typedef struct {
    char *claim;
    char *entity;    /* of its first fact */
    fx_kind kind;
    fx_ccy unit_ccy; /* money: the first target */
    size_t facts;
    fx_claim_source *by_source; /* in order of first appearance */
    size_t nsources;
    fx_ratio min, max;       /* normalized point values */
    fx_interval common;      /* intersection of all normalized intervals */
    bool empty;              /* the intersection is empty */
    fx_claim_verdict verdict;
} fx_claim;

typedef struct {
    char *source;
    fx_day published; /* of its first fact */
    size_t facts;
    unsigned first_input;
} fx_source;

typedef struct fx_audit fx_audit;

fx_audit *fx_audit_new(const fx_audit_opts *o, const fx_convert_opts *co);
void fx_audit_free(fx_audit *a);

/* Adds a converted fact (and its check, if any) to the aggregates.
 * A money fact goes in with its first target's exact value. */
void fx_audit_add(fx_audit *a, const fx_converted *c, const fx_check *k);
/* Decides each claim's verdict; call once after the last fact. */
void fx_audit_finish(fx_audit *a);

size_t fx_audit_nclaims(const fx_audit *a);
const fx_claim *fx_audit_claim(const fx_audit *a, size_t i); /* in order of first appearance */
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
