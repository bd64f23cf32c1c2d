/* pubcheck - SPEC 2's warning: a fact whose published date differs from
 * its source's in a sources file. A sources file may come before or after
 * the facts on the command line, so facts are noted as they stream and
 * checked once every input is read. */
#ifndef FX_PUBCHECK_H
#define FX_PUBCHECK_H

#include "diag.h"
#include "facts.h"
#include "sources.h"

typedef struct fx_pubcheck fx_pubcheck;

/* tmpdir: the folder of its spool (an unlinked temporary file); NULL:
 * $TMPDIR. */
fx_pubcheck *fx_pubcheck_new(const char *tmpdir);
void fx_pubcheck_free(fx_pubcheck *p);

/* Notes a valid fact of the input called name (borrowed, must outlive p
 * and the diags it reports into), in the spool: nothing in memory. */
void fx_pubcheck_note(fx_pubcheck *p, const fx_fact *f, const char *name);
/* One warning per fact whose source s describes with another published
 * date, at the fact's published field, input by input in file order; at
 * most FX_DIAG_LIMIT an input, then one line that counts the rest.
 * Returns how many facts differ. */
size_t fx_pubcheck_report(const fx_pubcheck *p, const fx_sources *s, fx_diags *d);

#endif
