/* pipeline - one run: load rates, stream every fact through convert,
 * audit, workbook and CSV export, then commit the outputs only if no
 * error was found anywhere. With a workbook this thread parses, converts
 * and checks each conversion, and the writer thread (writer.h) does the
 * rest of each fact; without one (--check, CSV only) all runs here. Invariant: outputs are
 * temporary files until the very end; any error removes them and leaves
 * the targets untouched. */
#include "pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "book.h"
#include "digest.h"
#include "explain_run.h"
#include "export.h"
#include "facts.h"
#include "input.h"
#include "mem.h"
#include "outfile.h"
#include "pubcheck.h"
#include "rates.h"
#include "writer.h"

#ifndef FX_RATES_DIR
#define FX_RATES_DIR "/usr/local/share/fxbook/rates"
#endif
#ifndef FX_VERSION
#define FX_VERSION "0.0.0"
#endif

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

void fx_pipeline_default_rates(char *buf, size_t n)
{
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, n, "%s/../share/fxbook/rates", exe);
            if (is_dir(buf))
                return;
            snprintf(buf, n, "%s/../rates", exe);
            if (is_dir(buf))
                return;
        }
    }
    snprintf(buf, n, "%s", FX_RATES_DIR);
    if (!is_dir(buf))
        snprintf(buf, n, "rates");
}

/* Every input is checked before any is parsed, so that one that cannot be
 * read is reported first (66 before any 65). Nothing is read here: a FIFO
 * or standard input can be read only once, by the facts reader. */
static fx_status check_input(const char *name, fx_diags *d)
{
    struct stat sb;
    if (strcmp(name, "-") == 0) {
        if (fstat(STDIN_FILENO, &sb) != 0)
            return fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0},
                                  "cannot read standard input: it is closed");
        return FX_OK;
    }
    if (stat(name, &sb) != 0)
        return fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot open %s: %s", name,
                              strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot read %s: %s", name,
                              strerror(EISDIR));
    if (S_ISREG(sb.st_mode)) { /* opening a file reads nothing */
        int fd = open(name, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot open %s: %s", name,
                                  strerror(errno));
        close(fd);
    } else if (access(name, R_OK) != 0) {
        return fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot open %s: %s", name,
                              strerror(errno));
    }
    return FX_OK;
}

static fx_status load_rates(fx_rate_table *t, const fx_opts *o, fx_diags *d)
{
    char def[4096];
    fx_pipeline_default_rates(def, sizeof def);
    fx_status st = FX_OK;
    if (o->nrates == 0) /* shown under a name that does not depend on where fxbook is */
        st = fx_rates_load_as(t, def, FX_DEFAULT_RATES_SHOWN, d);
    for (size_t i = 0; i < o->nrates; i++) {
        fx_status s = fx_rates_load(t, o->rates[i], d);
        if (st == FX_OK)
            st = s;
    }
    if (!fx_rates_has_aliases(t)) { /* SPEC 3: the installation's aliases apply */
        char al[4200];
        snprintf(al, sizeof al, "%s/aliases.csv", def);
        if (access(al, R_OK) == 0) {
            fx_status s = fx_rates_load_as(t, al, FX_DEFAULT_RATES_SHOWN "/aliases.csv", d);
            if (st == FX_OK)
                st = s;
        }
    }
    fx_status s = fx_rates_finish(t, d);
    return st != FX_OK ? st : s;
}

typedef struct {
    const fx_opts *o;
    const fx_rate_table *rates;
    fx_diags *d;
    fx_converted conv;
    fx_check check;
    fx_audit *audit;
    fx_findings *findings;
    fx_explain_run *explain; /* SPEC 5.1, found at the end */
    fx_writer_rows rows; /* without a writer */
    fx_book *book;
    fx_writer *writer; /* NULL, or the audit and every output are on its thread until finish */
    fx_export *exp;
    fx_pubcheck *pub;
    fx_status st; /* first write failure */
    fx_progress_fn progress;
    void *progress_ctx;
    size_t seen;
} run;

static fx_status on_fact(void *ctx, const fx_fact *f)
{
    run *r = ctx;
    if (r->progress && ++r->seen % FX_PROGRESS_EVERY == 0)
        r->progress(r->progress_ctx, r->seen, r->o->inputs[f->input]);
    fx_pubcheck_note(r->pub, f, f->at.file);
    if (fx_convert(&r->conv, f, r->rates, &r->o->conv, r->d) != FX_OK)
        return FX_OK; /* reported; go on to find every error */
    /* here, not on the writer thread: convert has just read the same rates */
    fx_audit_check(&r->check, &r->conv, r->rates, &r->o->audit);
    if (fx_diags_status(r->d) != FX_OK)
        return FX_OK; /* nothing will be written: spare the work */
    if (r->writer) { /* the audit's aggregates and every output on its thread, in order */
        fx_status st = fx_writer_add(r->writer, &r->conv, &r->check);
        if (st != FX_OK)
            return r->st = st;
        return FX_OK;
    }
    fx_writer_sinks to = {r->audit, r->book, r->findings, r->explain, r->exp};
    fx_status st = fx_writer_put(&to, &r->rows, &r->conv, &r->check);
    return st != FX_OK ? (r->st = st) : FX_OK;
}

enum { OUT_BOOK, OUT_FACTS, OUT_CONV, OUT_CMP, OUT_FIND, OUT_IMPLIED, OUT_N };
static const char *const csv_names[OUT_N] = {NULL,           "facts.csv",    "conversions.csv",
                                             "comparison.csv", "findings.csv", "implied_rates.csv"};

/* SPEC 8, before any work: what each output is, and that none is an
 * input (a facts, sources, rates or aliases file, or a rates folder's
 * *.csv). Nothing is read yet, so a positional input is either kind. */
static fx_status plan_outputs(const fx_opts *o, fx_outputs *outs, size_t id[OUT_N], fx_diags *d)
{
    fx_status st = FX_OK;
    if (o->output && (st = fx_outputs_add(outs, o->output, &id[OUT_BOOK], d)) != FX_OK)
        return st;
    for (int i = OUT_FACTS; o->csv_dir && i < OUT_N; i++) {
        char *path = g_build_filename(o->csv_dir, csv_names[i], NULL);
        st = fx_outputs_add(outs, path, &id[i], d);
        g_free(path);
        if (st != FX_OK)
            return st;
    }
    for (size_t i = 0; i < o->ninputs; i++)
        if ((st = fx_outputs_not_input(outs, o->inputs[i], "facts or sources file", d)) != FX_OK)
            return st;
    char def[4096];
    fx_pipeline_default_rates(def, sizeof def);
    for (size_t i = 0; i < (o->nrates ? o->nrates : 1); i++) {
        const char *r = o->nrates ? o->rates[i] : def;
        st = is_dir(r) ? fx_outputs_not_in(outs, r, "rates folder", d)
                       : fx_outputs_not_input(outs, r, "rates file", d);
        if (st != FX_OK)
            return st;
    }
    char *al = g_build_filename(def, "aliases.csv", NULL);
    st = fx_outputs_not_input(outs, al, "aliases file", d);
    g_free(al);
    return st;
}

/* SPEC 1: a target that no loaded rate and no ISO 4217 code knows is one
 * usage error, not one data error per fact. */
static fx_status check_targets(const fx_opts *o, const fx_rate_table *rates, fx_diags *d)
{
    char why[160];
    for (size_t i = 0; i < o->conv.ntargets; i++)
        if (!fx_rates_check_target(rates, o->conv.targets[i], why, sizeof why))
            return fx_diag_status(d, FX_E_USAGE, (fx_pos){0}, "--target: %s", why);
    return FX_OK;
}

/* SPEC 1: a --provider name that no loaded rate has is a usage error
 * naming it and the providers there are. */
static fx_status check_providers(const fx_opts *o, const fx_rate_table *rates, fx_diags *d)
{
    for (size_t i = 0; i < o->nproviders; i++) {
        if (fx_rates_has_provider(rates, o->providers[i]))
            continue;
        char have[512] = "";
        size_t at = 0;
        for (size_t k = 0; k < fx_rates_providers(rates) && at < sizeof have; k++)
            at += (size_t)snprintf(have + at, sizeof have - at, "%s%s", k ? ", " : "",
                                   fx_rates_provider(rates, k));
        return fx_diag_status(d, FX_E_USAGE, (fx_pos){0},
                              "--provider: no loaded rate is from %s (the loaded rates are "
                              "from: %s)",
                              fx_diag_show(o->providers[i], strlen(o->providers[i])),
                              at ? have : "none");
    }
    return FX_OK;
}

/* The name an input has in messages and the workbook, and the path the
 * facts reader opens: "-" is standard input. */
static const char *input_name(const char *arg)
{
    return strcmp(arg, "-") == 0 ? "<stdin>" : arg;
}

static const char *input_path(const char *arg)
{
    return strcmp(arg, "-") == 0 ? "/dev/stdin" : arg;
}

fx_status fx_pipeline_run(const fx_opts *o, fx_diags *d, fx_run_result *res,
                          fx_progress_fn progress, void *progress_ctx)
{
    memset(res, 0, sizeof *res);
    fx_outputs *outs = fx_outputs_new();
    size_t id[OUT_N] = {0};
    fx_book_input *inputs = fx_xcalloc(o->ninputs, sizeof *inputs);
    bool *readable = fx_xcalloc(o->ninputs, sizeof *readable);
    fx_rate_table *rates = fx_rates_new();
    fx_sources *sources = fx_sources_new();
    run r = {.o = o, .rates = rates, .d = d, .progress = progress, .progress_ctx = progress_ctx};
    fx_converted_init(&r.conv);
    fx_check_init(&r.check);
    FILE *csv[OUT_N] = {0};
    fx_status st = FX_OK;
    if (!o->check && plan_outputs(o, outs, id, d) != FX_OK)
        goto done; /* 64 before any work */
    for (size_t i = 0; i < o->ninputs; i++) {
        inputs[i].name = input_name(o->inputs[i]);
        readable[i] = check_input(o->inputs[i], d) == FX_OK;
    }
    st = load_rates(rates, o, d);
    fx_status tst = check_targets(o, rates, d);
    if (tst == FX_OK)
        tst = check_providers(o, rates, d);
    if (st != FX_OK || tst != FX_OK) {
        st = fx_diags_status(d); /* 64 of a target before 65 of the rates */
        goto done; /* facts cannot be checked without their rates */
    }

    fx_book_info info = {inputs, o->ninputs, rates, &o->conv, &o->audit, o->options,
                         FX_VERSION, o->output, o->source_date_epoch, sources};
    if (!o->check && fx_diags_status(d) == FX_OK) { /* else nothing will be written */
        st = o->csv_dir ? fx_outputs_make_dir(outs, o->csv_dir, d) : FX_OK;
        if (st == FX_OK)
            st = fx_outputs_lock(outs, d);
        if (st == FX_E_BUSY)
            goto done; /* at once: another run is on it */
        if (st == FX_OK)
            st = fx_outputs_begin(outs, d);
        if (st == FX_OK && o->output) {
            r.book = fx_book_open(fx_outputs_tmp(outs, id[OUT_BOOK]), &info, d);
            if (!r.book)
                st = fx_diags_status(d) != FX_OK ? fx_diags_status(d) : FX_E_CANTCREAT;
        }
        for (int i = OUT_FACTS; st == FX_OK && o->csv_dir && i < OUT_N; i++) {
            csv[i] = fopen(fx_outputs_tmp(outs, id[i]), "wb");
            if (!csv[i])
                st = fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0}, "cannot create %s/%s: %s",
                                    o->csv_dir, csv_names[i], strerror(errno));
        }
    }
    /* The audit's temporary files go where the outputs' do. */
    const char *tmpdir = NULL;
    bool csvs = st == FX_OK && o->csv_dir && csv[OUT_IMPLIED]; /* all opened */
    if (st == FX_OK && (r.book || csvs))
        tmpdir = fx_outputs_tmpdir(outs, r.book ? id[OUT_BOOK] : id[OUT_FACTS]);
    if (csvs)
        r.exp = fx_export_new(csv[OUT_FACTS], csv[OUT_CONV], csv[OUT_CMP], csv[OUT_FIND],
                              csv[OUT_IMPLIED], tmpdir, &o->conv, &o->audit);
    r.audit = fx_audit_new(&o->audit, &o->conv, tmpdir);
    if (tmpdir) {
        r.findings = fx_findings_new(tmpdir, &o->audit, &o->conv);
        r.explain = fx_explain_run_new(tmpdir, rates, &o->audit);
        if (r.book)
            fx_book_set_explanations(r.book, r.explain);
    }
    if (st == FX_OK && r.book) {
        fx_writer_sinks to = {r.audit, r.book, r.findings, r.explain, r.exp};
        r.writer = fx_writer_start(&to);
    }
    if (st != FX_OK) { /* reported; still read every input, for its own errors (65 wins over 73) */
        if (r.writer)
            fx_writer_finish(r.writer);
        if (r.book)
            fx_book_discard(r.book);
        r.writer = NULL;
        r.book = NULL;
        st = FX_OK;
    }

    fx_facts_reader *facts = fx_facts_reader_new(rates);
    fx_digest tap;
    fx_digest_init(&tap);
    /* A facts file's or a sources file's, told by its header as it is read;
     * only the workbook shows the size and checksum. */
    fx_input in = {facts, sources, on_fact, &r, r.book ? fx_digest_tap : NULL, &tap};
    r.pub = fx_pubcheck_new(tmpdir);
    /* An unreadable input was reported; the others are still checked so
     * that one run names every error. */
    for (size_t i = 0; st == FX_OK && i < o->ninputs; i++) {
        if (!readable[i]) {
            fx_facts_skip_input(facts, inputs[i].name);
            continue;
        }
        fx_digest_reset(&tap);
        fx_input_kind kind;
        size_t described = fx_sources_count(sources);
        fx_status s = fx_input_read(&in, input_path(o->inputs[i]), inputs[i].name, i, &kind, d);
        if (s != FX_OK && s != FX_E_DATA && s != FX_E_NOINPUT)
            st = s; /* a write failure: stop */
        inputs[i].kind = kind;
        inputs[i].sources = fx_sources_count(sources) - described;
        inputs[i].facts = fx_facts_in_input(facts, i);
        inputs[i].size = tap.size;
        fx_digest_hex(&tap, inputs[i].sha256);
    }
    if (r.writer) {
        fx_status s = fx_writer_finish(r.writer);
        if (st == FX_OK)
            st = s;
        r.writer = NULL;
    }
    fx_facts_reader_free(facts); /* the fact_id index: not needed past the last fact */
    fx_digest_clear(&tap);
    /* Every input is read: each fact's published against its source's,
     * wherever the sources file stood on the command line. */
    fx_pubcheck_report(r.pub, sources, d);
    fx_pubcheck_free(r.pub);
    r.pub = NULL;
    if (st == FX_OK)
        st = fx_diags_status(d);
    /* The claims' verdicts first: with them the Facts rows can be written,
     * on a thread of their own, while this one finds the explanations (the
     * audit's claim sort and the explanations' passes are the run's two
     * peaks of memory, one after the other, not together). */
    fx_status fin = fx_audit_finish(r.audit, st == FX_OK && (r.book || r.exp), d);
    if (st == FX_OK)
        st = fin;
    if (st == FX_OK && r.book)
        fx_book_start_facts(
            r.book, r.audit,
            fx_findings_most(r.findings, fx_audit_totals(r.audit).claims[FX_C_DISAGREE]));
    if (st == FX_OK && r.explain)
        st = fx_explain_run_finish(r.explain, r.audit, d);
    if (st == FX_OK && r.findings)
        st = fx_findings_finish(r.findings, r.audit, r.explain, d);
    if (st == FX_OK && r.exp) {
        st = fx_export_finish(r.exp, r.audit, r.findings, r.explain, o->csv_dir, d);
        r.exp = NULL;
    }
    if (st == FX_OK && r.book) {
        st = fx_book_close(r.book, r.audit, r.findings, d);
        r.book = NULL;
    }
    if (r.exp) { /* not finished: an error came first; it writes to csv[] */
        fx_audit *none = fx_audit_new(&o->audit, &o->conv, NULL);
        fx_export_finish(r.exp, none, NULL, NULL, o->csv_dir, NULL);
        fx_audit_free(none);
    }
    for (int i = OUT_FACTS; i < OUT_N; i++)
        if (csv[i] && fclose(csv[i]) != 0 && st == FX_OK)
            st = fx_diag_status(d, FX_E_IO, (fx_pos){0}, "cannot write %s/%s: %s", o->csv_dir,
                                csv_names[i], strerror(errno));
    if (r.book)
        fx_book_discard(r.book);
    if (st == FX_OK && !o->check)
        st = fx_outputs_commit(outs, d);
    res->wrote = st == FX_OK && !o->check;
    res->counts = fx_audit_totals(r.audit);
    res->sources = fx_audit_nsources(r.audit);
    res->claims = fx_audit_nclaims(r.audit);
    res->fail_on_hit =
        (o->fail_on >= FX_FAIL_INCONSISTENT && res->counts.verdicts[FX_V_INCONSISTENT] > 0) ||
        (o->fail_on == FX_FAIL_DISAGREE && res->counts.claims[FX_C_DISAGREE] > 0);

    fx_audit_free(r.audit);
    r.audit = NULL;
    fx_findings_free(r.findings);
    r.findings = NULL;
    fx_explain_run_free(r.explain); /* after the book: its replay read the texts */
    r.explain = NULL;
done: /* in reverse; an early exit's status is what d holds */
    if (!res->wrote && st == FX_OK)
        st = fx_diags_status(d);
    fx_outputs_free(outs); /* after a failure: temporary files, locks, a new folder gone */
    fx_check_clear(&r.check);
    fx_converted_clear(&r.conv);
    fx_rates_free(rates);
    fx_sources_free(sources); /* after the book: it borrowed the table */
    free(readable);
    free(inputs);
    return st;
}
