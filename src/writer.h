/* writer - the workbook's cells are written on a second thread while the
 * first parses, converts and audits the next facts. Each fact is deep-
 * copied into a ring of reusable slots; libxlsxwriter is only ever called
 * from the writer thread until fx_writer_finish has joined it. */
#ifndef FX_WRITER_H
#define FX_WRITER_H

#include "audit.h"
#include "book.h"
#include "convert.h"

typedef struct fx_writer fx_writer;

/* Starts the thread that, for every fact handed over and in their order,
 * records its findings (fs; NULL: none) and what its explanation needs
 * (xr; NULL: none), then calls fx_book_add: off the reading thread. */
struct fx_explain_run;
fx_writer *fx_writer_start(fx_book *b, fx_findings *fs, struct fx_explain_run *xr);
/* Copies c and k (and the fact they point to) into a free slot, waiting
 * while the ring is full. Returns the first error of fx_book_add so far
 * (the caller stops then), else FX_OK. */
fx_status fx_writer_add(fx_writer *w, const fx_converted *c, const fx_check *k,
                        fx_audit_ref ref, uint64_t fact_row, uint64_t conv_row);
/* Waits until every fact is written, joins the thread, frees w; returns
 * the first fx_book_add error, else FX_OK. */
fx_status fx_writer_finish(fx_writer *w);

#endif
