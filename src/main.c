/* main - argv to a run, diagnostics to stderr, status to an exit code. */
#include <fcntl.h>
#include <locale.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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
    case FX_E_BUSY:
        return EX_TEMPFAIL;
    case FX_E_IO:
        return EX_IOERR;
    case FX_E_INTERNAL:
        return EX_SOFTWARE;
    }
    return EX_SOFTWARE;
}

/* Descriptors 0-2 that are closed get /dev/null, so that no file fxbook
 * opens becomes "standard output" by accident. True when stdout was. */
static bool guard_std_fds(void)
{
    bool out_closed = false;
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0)
            continue;
        out_closed |= fd == STDOUT_FILENO;
        int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (n >= 0 && n != fd) {
            dup2(n, fd);
            close(n);
        }
    }
    return out_closed;
}

/* A run keeps up to about 30 files open at once (inputs one at a time,
 * the outputs, their locks, scratch files, the workbook's sheets). Raise a
 * low soft limit to the hard one; too low still is said before any work
 * rather than as a failed open half way. */
enum { FDS_NEEDED = 64 };

static bool enough_fds(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= FDS_NEEDED)
        return true;
    rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 1024 ? 1024 : rl.rlim_max;
    if (want > rl.rlim_cur) {
        rl.rlim_cur = want;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= FDS_NEEDED)
        return true;
    fprintf(stderr,
            "fxbook: error: too many open files: the limit is %llu (ulimit -n); "
            "fxbook needs %d\n",
            (unsigned long long)rl.rlim_cur, FDS_NEEDED);
    return false;
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
        if (quiet && fx_diags_at(d, i).severity != FX_SEV_ERROR)
            continue; /* -q never hides an error */
        fprintf(stderr, "%s\n", fx_diags_message(d, i));
    }
}

/* SPEC 1: the one line that says why --fail-on exits 1, even with -q
 * (cron mails only what is printed). */
static void print_fail_on(const fx_opts *o, const fx_run_result *res)
{
    size_t inc = res->counts.verdicts[FX_V_INCONSISTENT];
    size_t dis = res->counts.claims[FX_C_DISAGREE];
    if (o->fail_on == FX_FAIL_DISAGREE)
        fprintf(stderr,
                "fxbook: --fail-on disagree: %zu disagree claim%s, %zu inconsistent conversion%s\n",
                dis, dis == 1 ? "" : "s", inc, inc == 1 ? "" : "s");
    else
        fprintf(stderr, "fxbook: --fail-on inconsistent: %zu inconsistent conversion%s\n", inc,
                inc == 1 ? "" : "s");
}

int main(int argc, char **argv)
{
    /* Nothing depends on the locale: numbers are C, text is UTF-8 bytes. */
    setlocale(LC_ALL, "C");
    bool stdout_closed = guard_std_fds();
    fx_mem_on_oom(fx_outputs_abort_all);
    fx_outputs_catch_signals();
    bool wrote_stdout = false; /* only a stream the run wrote is checked at the end */

    fx_diags *d = fx_diags_new();
    fx_opts o;
    fx_status st = fx_opts_parse(&o, argc, argv, d);
    int rc;
    if (st != FX_OK) {
        print_diags(d, false);
        rc = exit_code(st);
    } else if (o.action == FX_OPTS_HELP) {
        fx_opts_usage(stdout);
        wrote_stdout = true;
        rc = 0;
    } else if (o.action == FX_OPTS_VERSION) {
        printf("fxbook %s\n", FX_VERSION);
        wrote_stdout = true;
        rc = 0;
    } else if (o.output && strcmp(o.output, "-") == 0 && stdout_closed) {
        fprintf(stderr, "fxbook: error: cannot write the workbook to standard output: it is closed\n");
        rc = EX_CANTCREAT;
    } else if (!enough_fds()) {
        rc = EX_SOFTWARE;
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
        if (st == FX_OK && res.fail_on_hit) {
            rc = 1;
            if (o.verbosity < 0)
                print_fail_on(&o, &res);
        }
        wrote_stdout = o.output && strcmp(o.output, "-") == 0;
    }
    fx_opts_clear(&o);
    fx_diags_free(d);
    if (wrote_stdout && fclose(stdout) != 0 && rc == 0) {
        fprintf(stderr, "fxbook: error: cannot write standard output\n");
        rc = EX_IOERR;
    }
    return rc;
}
