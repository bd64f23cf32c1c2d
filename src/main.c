/* main - argv to a run, diagnostics to stderr, status to an exit code. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sysexits.h>
#include <unistd.h>

#include "diag.h"
#include "mem.h"
#include "opts.h"
#include "outfile.h"
#include "pipeline.h"

#ifndef FX_VERSION
#define FX_VERSION "0.0.0"
#endif

static int exit_code(fx_status st)
{
    switch (st) { /* no default: a new status without a code fails -Werror */
    case FX_OK:
        return EX_OK;
    case FX_E_USAGE:
        return EX_USAGE;
    case FX_E_NOINPUT:
        return EX_NOINPUT;
    case FX_E_DATA:
        return EX_DATAERR;
    case FX_E_CANTCREAT:
        return EX_CANTCREAT;
    case FX_E_IO:
        return EX_IOERR;
    case FX_E_INTERNAL:
        return EX_SOFTWARE;
    }
    return EX_SOFTWARE;
}

static void on_signal(int sig)
{
    fx_outfile_abort_all(); /* a killed run leaves no temporary file */
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Progress on a terminal only (never from cron, never with --quiet): at
 * most four lines a second, each overwriting the last. */
typedef struct {
    struct timespec last;
    bool shown;
} progress;

static void show_progress(void *ctx, size_t facts, const char *input)
{
    progress *p = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double dt = (double)(now.tv_sec - p->last.tv_sec) + (double)(now.tv_nsec - p->last.tv_nsec) / 1e9;
    if (p->shown && dt < 0.25)
        return;
    p->last = now;
    p->shown = true;
    fprintf(stderr, "\rfxbook: %zu facts read (%s)\033[K", facts, input);
}

static void print_diags(const fx_diags *d, bool quiet)
{
    for (size_t i = 0; i < fx_diags_count(d); i++) {
        const char *m = fx_diags_message(d, i);
        if (quiet && strstr(m, ": warning: "))
            continue;
        fprintf(stderr, "%s\n", m);
    }
}

int main(int argc, char **argv)
{
    /* Nothing depends on the locale: numbers are C, text is UTF-8 bytes. */
    setlocale(LC_ALL, "C");
    fx_mem_on_oom(fx_outfile_abort_all);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is an I/O error, not a silent death */

    fx_diags *d = fx_diags_new();
    fx_opts o;
    fx_status st = fx_opts_parse(&o, argc, argv, d);
    int rc;
    if (st != FX_OK) {
        print_diags(d, false);
        rc = exit_code(st);
    } else if (o.action == FX_OPTS_HELP) {
        fx_opts_usage(stdout);
        rc = 0;
    } else if (o.action == FX_OPTS_VERSION) {
        printf("fxbook %s\n", FX_VERSION);
        rc = 0;
    } else {
        fx_run_result res;
        progress p = {{0, 0}, false};
        bool tty = o.verbosity >= 0 && isatty(STDERR_FILENO);
        if (tty)
            clock_gettime(CLOCK_MONOTONIC, &p.last);
        st = fx_pipeline_run(&o, d, &res, tty ? show_progress : NULL, &p);
        if (p.shown)
            fputs("\r\033[K", stderr); /* the progress line gives way to the summary */
        print_diags(d, o.verbosity < 0);
        rc = exit_code(st);
        if (st == FX_OK && o.verbosity >= 0) {
            fprintf(stderr,
                    "fxbook: %zu facts, %zu sources, %zu claims, %zu conversions audited; "
                    "findings: %zu disagree, %zu inconsistent, %zu close%s%s\n",
                    res.counts.facts, res.sources, res.claims, res.counts.conversions,
                    res.counts.claims[FX_C_DISAGREE], res.counts.verdicts[FX_V_INCONSISTENT],
                    res.counts.verdicts[FX_V_CLOSE], o.check ? "; checked, nothing written" : "",
                    res.wrote && o.output ? (strcmp(o.output, "-") ? "" : "; workbook on stdout")
                                          : "");
        }
        if (st == FX_OK && res.fail_on_hit)
            rc = 1;
    }
    fx_opts_clear(&o);
    fx_diags_free(d);
    if (fclose(stdout) != 0 && rc == 0) {
        fprintf(stderr, "fxbook: error: cannot write standard output\n");
        rc = EX_IOERR;
    }
    return rc;
}
