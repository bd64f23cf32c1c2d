/* export - the CSV files of SPEC 7 (--csv-dir): ids, codes, dates,
 * verdict words and numbers only, never free text. */
#ifndef FX_EXPORT_H
#define FX_EXPORT_H

#include <stdio.h>

#include "audit.h"
#include "convert.h"
#include "diag.h"
#include "explain_run.h"
#include "findings.h"

typedef struct fx_export fx_export;

/* Writes to the five already-open streams (the caller's temporary
 * files); conversions.csv rows wait in a spool in tmpdir for their
 * explanations. */
fx_export *fx_export_new(FILE *facts, FILE *conversions, FILE *comparison, FILE *findings,
                         FILE *implied, const char *tmpdir, const fx_convert_opts *co,
                         const fx_audit_opts *ao);
/* facts.csv rows for c (one per target, or one for non-money) and its
 * conversions.csv row when k->present. */
void fx_export_add(fx_export *e, const fx_converted *c, const fx_check *k);
/* conversions.csv with the explanations (xr NULL: "unexplained"),
 * implied_rates.csv, comparison.csv from the finished aggregates and
 * findings.csv from the ranked findings (fs NULL: none); frees e.
 * FX_E_IO, reported in d as "cannot write DIR/NAME: why", if any write
 * failed. */
fx_status fx_export_finish(fx_export *e, fx_audit *a, fx_findings *fs, fx_explain_run *xr,
                           const char *dir, fx_diags *d);

/* Shared number formatting (also used by the workbook): */
/* "spread" of SPEC 7: 100 x (max - min) / min to 4 places half-even;
 * false (empty) when min <= 0. */
bool fx_export_spread(const fx_claim *cl, char *buf, size_t n);
/* A normalized point value as shown: money rounded to places, other
 * kinds exact. */
void fx_export_point(const fx_ratio *v, const fx_claim *cl, const fx_convert_opts *co, char *buf,
                     size_t n);

#endif
