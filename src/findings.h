/* findings - SPEC 6's findings: what an auditor must look at, ranked, each
 * with one plain sentence built only from ids, numbers and dates (never
 * the input's free text). Facts stream in (a conversion or a fallback
 * rate may be a finding), then the claims (a disagreement is one); at the
 * end they come out in rank order for the Findings sheet, the Summary and
 * findings.csv. Invariant: what stays in memory is one small index entry
 * per finding and a count per source; the findings themselves are in a
 * spool (spool.h). */
#ifndef FX_FINDINGS_H
#define FX_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "convert.h"
#include "diag.h"
#include "explain_run.h"

/* In rank order: a kind ranks before every later kind. */
typedef enum {
    FX_FIND_DISAGREE,     /* a claim whose sources do not overlap */
    FX_FIND_INCONSISTENT, /* a printed conversion beyond --tolerance */
    FX_FIND_CLOSE,        /* within --tolerance, outside the printed precision */
    FX_FIND_ASSUMED,      /* explained only with a stale, average, chained or truncated hypothesis */
    FX_FIND_UNEXPLAINED,  /* no hypothesis reproduces it */
    FX_FIND_UNVERIFIABLE, /* no rate for the printed conversion's currency */
    FX_FIND_FALLBACK,     /* a fact valued with a rate of an earlier day */
    FX_FIND_KINDS
} fx_find_kind;

const char *fx_find_kind_name(fx_find_kind k); /* "disagree", ..., "fallback" */

/* Where a finding's evidence is: a data row (0 = the first below the header). */
typedef enum { FX_SEE_COMPARISON, FX_SEE_CONVERSIONS, FX_SEE_FACTS } fx_see;

typedef struct {
    size_t rank; /* from 1 */
    fx_find_kind kind;
    const char *claim, *fact_id; /* fact_id "" for a claim's finding */
    const char *sources;         /* the sources the sentence names, ", "-joined */
    const char *verdict;         /* the claim's or the conversion's verdict word */
    const char *detail;          /* the sentence */
    const char *unit;            /* of figure and expected: a currency code or a unit word */
    double figure, expected, diff_pct; /* nearest doubles of exact values */
    int figure_places, expected_places;
    bool has_figure, has_expected, has_diff;
    fx_see see;
    uint64_t see_row;
    bool has_fact_row;
    uint64_t fact_row; /* the fact's Facts row */
} fx_finding;

typedef struct fx_findings fx_findings;

/* tmpdir: the folder of its spool (an unlinked temporary file). */
fx_findings *fx_findings_new(const char *tmpdir, const fx_audit_opts *ao,
                             const fx_convert_opts *co);
void fx_findings_free(fx_findings *f);

/* One fact, after fx_audit_add gave ref: fact_row is its Facts row,
 * conv_row its Conversions row (used when k->present). */
void fx_findings_fact(fx_findings *f, const fx_converted *c, const fx_check *k,
                      fx_audit_ref ref, uint64_t fact_row, uint64_t conv_row);
/* After fx_audit_finish and fx_explain_run_finish: the conversions'
 * findings (their kinds and sentences wait for the explanations), the
 * claims' findings, then the ranking. Once. FX_E_IO (reported in d) when
 * a spool fails. */
fx_status fx_findings_finish(fx_findings *f, fx_audit *a, fx_explain_run *xr, fx_diags *d);

size_t fx_findings_count(const fx_findings *f);
/* Before fx_findings_finish: at most how many there will be, with
 * ndisagree claims that disagree (a finding each). */
size_t fx_findings_most(const fx_findings *f, size_t ndisagree);
size_t fx_findings_of_kind(const fx_findings *f, fx_find_kind k);
/* Findings that name source number s (fx_audit_source's numbering). */
size_t fx_findings_of_source(const fx_findings *f, size_t s);
/* In rank order: rewind, then next until NULL (or an error: see
 * fx_findings_error). What next returns lives until the following call. */
bool fx_findings_rewind(fx_findings *f);
const fx_finding *fx_findings_next(fx_findings *f);
const char *fx_findings_error(const fx_findings *f);

/* A number for a sentence: "20.698 bn", "70.5 m", "230,000", "0.25";
 * at most 3 decimals past the scale, trailing zeros dropped. */
void fx_findings_human(double v, int places, char *buf, size_t n);

#endif
