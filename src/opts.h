/* opts - the command line of SPEC 1 into a run configuration. */
#ifndef FX_OPTS_H
#define FX_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "audit.h"
#include "convert.h"
#include "diag.h"

typedef enum { FX_FAIL_NEVER, FX_FAIL_INCONSISTENT, FX_FAIL_DISAGREE } fx_fail_on;
typedef enum { FX_OPTS_RUN, FX_OPTS_HELP, FX_OPTS_VERSION } fx_opts_action;

typedef struct {
    fx_opts_action action;
    const char **inputs; /* borrowed from argv */
    size_t ninputs;
    const char *output;  /* NULL: none */
    const char **rates;  /* --rates, in order; none: the default folder */
    size_t nrates;
    const char *csv_dir;
    bool check;
    fx_fail_on fail_on;
    int verbosity; /* -1 quiet, 0, 1 verbose */
    const char *providers[FX_MAX_PROVIDERS]; /* --provider, in order (in provider_buf) */
    size_t nproviders;                       /* 0: the default (rates.h) */
    char *provider_buf;
    fx_convert_opts conv;
    fx_audit_opts audit; /* owns audit.tolerance: call fx_opts_clear */
    char options[1024];  /* the effective options in full, for Summary */
    int64_t source_date_epoch; /* SOURCE_DATE_EPOCH, or -1: unset */
} fx_opts;

/* Parses argv. FX_E_USAGE with a message in d on a usage error. */
fx_status fx_opts_parse(fx_opts *o, int argc, char **argv, fx_diags *d);
void fx_opts_clear(fx_opts *o);
void fx_opts_usage(FILE *f);

#endif
