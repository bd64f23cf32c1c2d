/* writer - each fact's aggregates and outputs are made on a second thread
 * while the first parses, converts and checks the next facts. The reading
 * thread keeps fx_convert (it reports diagnostics) and fx_audit_check
 * (the rates it reads are still in cache from convert); the writer
 * thread, in the facts' order, adds each fact to the audit, records its
 * findings and what its explanation needs, and writes its workbook and
 * CSV rows. Each fact and its check are deep-copied into a ring of
 * reusable slots; the audit, findings, explanations, export and
 * libxlsxwriter are only ever called from the writer thread until
 * fx_writer_finish has joined it. */
#ifndef FX_WRITER_H
#define FX_WRITER_H

#include "audit.h"
#include "book.h"
#include "convert.h"
#include "export.h"

typedef struct fx_writer fx_writer;

/* Where the writer thread puts each fact; all of it is the writer
 * thread's until fx_writer_finish. */
typedef struct {
    fx_audit *audit;
    fx_book *book;
    fx_findings *findings;   /* NULL: none */
    fx_explain_run *explain; /* NULL: none */
    fx_export *exp;          /* NULL: no --csv-dir */
} fx_writer_sinks;

/* Rows of Facts and Conversions so far. */
typedef struct {
    uint64_t facts, conversions;
} fx_writer_rows;

/* One fact into the sinks, in input order: added to the audit, its rows
 * counted (Conversions advances by the facts with a reported
 * conversion), its findings and what its explanation needs recorded, its
 * workbook rows (book NULL: none) and then its CSV rows written. The
 * writer thread does this for each fact; without one, the reading thread
 * does. Returns fx_book_add's status. */
fx_status fx_writer_put(const fx_writer_sinks *to, fx_writer_rows *rows, const fx_converted *c,
                        const fx_check *k);

/* Starts the thread (s is copied); NULL if it cannot: the caller then
 * does the work on its own thread. */
fx_writer *fx_writer_start(const fx_writer_sinks *s);
/* Copies c (and the fact it points to) and k into a free slot, waiting
 * while the ring is full. Returns the first error of fx_book_add so far
 * (the caller stops then), else FX_OK. */
fx_status fx_writer_add(fx_writer *w, const fx_converted *c, const fx_check *k);
/* Waits until every fact is written, joins the thread, frees w; returns
 * the first fx_book_add error, else FX_OK. */
fx_status fx_writer_finish(fx_writer *w);

#endif
