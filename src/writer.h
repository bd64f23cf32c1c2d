/* writer - each fact's audit and output run on a second thread while the
 * first parses and converts the next facts. The reading thread converts
 * (fx_convert reports diagnostics) and hands the converted fact over; the
 * writer thread, in the facts' order, checks and adds it to the audit,
 * records its findings and what its explanation needs, and writes its
 * workbook and CSV rows. Each converted fact is deep-copied into a ring
 * of reusable slots; the audit, the findings, the explanations, the
 * export and libxlsxwriter are only ever called from the writer thread
 * until fx_writer_finish has joined it. */
#ifndef FX_WRITER_H
#define FX_WRITER_H

#include "audit.h"
#include "book.h"
#include "convert.h"
#include "export.h"

typedef struct fx_writer fx_writer;

/* Where the writer thread puts each fact. rates and audit_opts are only
 * read (the reading thread reads them too); the rest is the writer
 * thread's until fx_writer_finish. */
typedef struct {
    const fx_rate_table *rates;
    const fx_audit_opts *audit_opts;
    fx_audit *audit;
    fx_book *book;
    fx_findings *findings;   /* NULL: none */
    fx_explain_run *explain; /* NULL: none */
    fx_export *exp;          /* NULL: no --csv-dir */
} fx_writer_sinks;

/* Starts the thread (s is copied); NULL if it cannot: the caller then
 * does the work on its own thread. */
fx_writer *fx_writer_start(const fx_writer_sinks *s);
/* Copies c (and the fact it points to) into a free slot, waiting while
 * the ring is full. Returns the first error of fx_book_add so far (the
 * caller stops then), else FX_OK. */
fx_status fx_writer_add(fx_writer *w, const fx_converted *c);
/* Waits until every fact is written, joins the thread, frees w; returns
 * the first fx_book_add error, else FX_OK. */
fx_status fx_writer_finish(fx_writer *w);

#endif
