/* explain_run - SPEC 5.1 over a whole run. A chained base may be printed
 * by a fact further down the input, so explanations are found at the end:
 * while facts stream in, each money fact's figures go to a spool (one
 * short record); fx_explain_run_finish reads it back a few claims at a
 * time (as the audit sorts its claim rows), searches each priced
 * conversion's hypotheses with its claim's figures (explain.h), and
 * keeps per conversion a small entry and its text in a second spool. The
 * implied rate ranges (per source and pair) are intersected as facts
 * come. Invariant: memory grows with conversions by 16 bytes each and
 * with (source, pair) ranges, never with the figures. */
#ifndef FX_EXPLAIN_RUN_H
#define FX_EXPLAIN_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "explain.h"

typedef struct fx_explain_run fx_explain_run;

fx_explain_run *fx_explain_run_new(const char *tmpdir, const fx_rate_table *t,
                                   const fx_audit_opts *o);
void fx_explain_run_free(fx_explain_run *r);

/* One fact after fx_audit_check and fx_audit_add (ref); conv_no is its
 * Conversions row when k->present. */
void fx_explain_run_fact(fx_explain_run *r, const fx_converted *c, const fx_check *k,
                         fx_audit_ref ref, uint64_t conv_no);
/* After the last fact: every conversion's explanation. a names the
 * sources. FX_E_IO (reported in d) when a temporary file fails. */
fx_status fx_explain_run_finish(fx_explain_run *r, const fx_audit *a, fx_diags *d);

/* Conversion conv_no's explanation, after finish. text lives until the
 * next call. False on a read failure (text then says so). */
typedef struct {
    bool found;
    int assumptions;
    size_t alternatives;
    const char *text; /* fx_explanation_text's words */
} fx_explained;
bool fx_explain_run_get(fx_explain_run *r, uint64_t conv_no, fx_explained *out);

/* A source's implied rate range for one pair (SPEC 5.1, last paragraph),
 * by source (first appearance), then from, then to. */
typedef struct {
    unsigned source;
    fx_ccy from, to;
    size_t conversions;
    bool empty;           /* no single rate explains them all */
    const char *low, *high; /* 10 significant digits, rounded outward; NULL when empty */
    const char *days;     /* "ECB 2025-01-22;FED-H10 2025-01-22"; "" none */
    size_t ndays;
} fx_implied;
size_t fx_explain_run_ranges(const fx_explain_run *r);
const fx_implied *fx_explain_run_range(const fx_explain_run *r, size_t i);

#endif
