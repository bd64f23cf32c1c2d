/* book - the XLSX workbook of SPEC 6, written with libxlsxwriter in
 * constant_memory mode: Facts rows stream in as facts are converted;
 * Summary, Comparison, Conversions, Rates and Sources are written at the
 * end from the aggregates. Only the book's files (book*.c, sheet*.c, their
 * private book_int.h) include xlsxwriter.h; this header does not. */
#ifndef FX_BOOK_H
#define FX_BOOK_H

#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "convert.h"
#include "diag.h"
#include "findings.h"
#include "input.h"
#include "rates.h"
#include "sources.h"

typedef struct {
    const char *name;   /* as given on the command line */
    long long size;     /* bytes */
    char sha256[65];    /* lower-case hex */
    size_t facts;       /* accepted rows */
    fx_input_kind kind; /* a facts or a sources file (SPEC 2), told by its header */
    size_t sources;     /* a sources file: the sources it describes */
} fx_book_input;

typedef struct {
    const fx_book_input *inputs;
    size_t ninputs;
    const fx_rate_table *rates;
    const fx_convert_opts *conv;
    const fx_audit_opts *audit;
    const char *options; /* the options as run, for Summary (e.g. "--places 2 --rounding half-even ...") */
    const char *version;
    const char *output;  /* the workbook as the user named it, for messages; NULL: "workbook" */
    int64_t created;     /* seconds since the epoch for document properties, or -1: none
                            (SOURCE_DATE_EPOCH gives it; never the wall clock) */
    const fx_sources *sources; /* what the sources files say; NULL: none */
} fx_book_info;

typedef struct fx_book fx_book;

/* Creates the workbook at path (the caller's temporary file); libxlsxwriter's
 * temporary files go beside it. info, everything it points to, and d are
 * borrowed until fx_book_close or fx_book_discard: fx_book_add reports its
 * errors into d. NULL with an error in d if it cannot be created
 * (FX_E_CANTCREAT), or if LC_NUMERIC is not "C" (FX_E_INTERNAL). */
fx_book *fx_book_open(const char *path, const fx_book_info *info, fx_diags *d);
/* One fact: its Facts row (continuing on "Facts (2)", ... past Excel's
 * 1,048,576 rows), and its Conversions row when k && k->present. After a
 * failure every call returns the first error (FX_E_IO, FX_E_INTERNAL). */
fx_status fx_book_add(fx_book *b, const fx_converted *c, const fx_check *k, fx_audit_ref ref);
/* Once every fact is in and a is finished: writes the Facts rows (their
 * claims' verdicts now known) on a thread of its own, while the caller
 * finds the explanations and findings, which touch no part of b. Until
 * fx_book_close or fx_book_discard the caller must not use b. Does nothing
 * (Facts is then written at close) when a sheet before Facts could need a
 * second part: findings_max bounds the findings to come. */
void fx_book_start_facts(fx_book *b, const fx_audit *a, uint64_t findings_max);
/* Writes the remaining sheets from the aggregates (a after fx_audit_finish)
 * and closes the file (FX_E_IO if libxlsxwriter cannot finish it). Frees b,
 * also on failure; the caller then removes the file. */
fx_status fx_book_close(fx_book *b, fx_audit *a, fx_findings *fs, fx_diags *d);
/* Tests only, right after fx_book_open: rows per sheet (header included,
 * at least 3) instead of Excel's 1,048,576, to exercise "Facts (2)". */
void fx_book_set_sheet_rows(fx_book *b, unsigned long rows);
/* Where the Conversions sheet finds each conversion's explanation at
 * close (explain_run.h; borrowed, must outlive fx_book_close). */
struct fx_explain_run;
void fx_book_set_explanations(fx_book *b, struct fx_explain_run *x);
/* Abandons a workbook (an error elsewhere); the caller removes the file. */
void fx_book_discard(fx_book *b);

#endif
