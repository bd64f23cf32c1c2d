/* pipeline - runs the stages: rates, facts (streamed) -> convert ->
 * audit -> workbook and CSV export; frees them in reverse. */
#ifndef FX_PIPELINE_H
#define FX_PIPELINE_H

#include "audit.h"
#include "diag.h"
#include "opts.h"

typedef struct {
    fx_audit_counts counts;
    size_t sources, claims;
    bool wrote;        /* outputs were committed */
    bool fail_on_hit;  /* --fail-on found what it looks for */
} fx_run_result;

/* Called now and then while facts stream in (every FX_PROGRESS_EVERY
 * facts): the facts read so far and the input being read. */
typedef void (*fx_progress_fn)(void *ctx, size_t facts, const char *input);
#define FX_PROGRESS_EVERY 8192

fx_status fx_pipeline_run(const fx_opts *o, fx_diags *d, fx_run_result *res,
                          fx_progress_fn progress, void *ctx);

/* The rates folder used without --rates: <bindir>/../share/fxbook/rates,
 * <bindir>/../rates (a build tree), the compiled-in install path, ./rates. */
void fx_pipeline_default_rates(char *buf, size_t n);
/* What the workbook calls that folder (its files: "(default rates)/NAME"):
 * the same wherever fxbook is installed or built, so that two copies give
 * the same bytes; messages on standard error name the real path. */
#define FX_DEFAULT_RATES_SHOWN "(default rates)"

#endif
