/* book_tool - drives book.c directly for tests/xlsx (tests only).
 *
 *   book_tool rows N FXBOOK-ARGS...   like fxbook FXBOOK-ARGS, but every
 *       sheet holds N rows (header included), so "Facts (2)", "Rates (2)",
 *       ... appear with a handful of facts; prints diagnostics, exits 0 or
 *       with the status number.
 *   book_tool longtext OUT   a fact whose quote has 40,000 characters goes
 *       straight to fx_book_add (facts.c would reject it): the book must
 *       refuse it with one diagnostic, never cut it, and write nothing. The
 *       Facts rows are recorded while facts come in and written at close, so
 *       the refusal may come from fx_book_add or from fx_book_close. Exits 0
 *       when it does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "book.h"
#include "convert.h"
#include "diag.h"
#include "facts.h"
#include "explain_run.h"
#include "findings.h"
#include "opts.h"
#include "outfile.h"
#include "rates.h"

typedef struct {
    const fx_opts *o;
    const fx_rate_table *rates;
    fx_diags *d;
    fx_converted conv;
    fx_check check;
    fx_audit *audit;
    fx_findings *findings;
    fx_explain_run *explain;
    uint64_t nfacts, nconversions;
    fx_book *book;
} run;

static fx_status on_fact(void *ctx, const fx_fact *f)
{
    run *r = ctx;
    if (fx_convert(&r->conv, f, r->rates, &r->o->conv, r->d) != FX_OK)
        return FX_OK;
    fx_audit_check(&r->check, &r->conv, r->rates, &r->o->audit);
    fx_audit_ref ref = fx_audit_add(r->audit, &r->conv, &r->check);
    fx_findings_fact(r->findings, &r->conv, &r->check, ref, r->nfacts++, r->nconversions);
    fx_explain_run_fact(r->explain, &r->conv, &r->check, ref, r->nconversions);
    r->nconversions += r->check.present;
    return fx_book_add(r->book, &r->conv, &r->check, ref);
}

static void print_diags(const fx_diags *d)
{
    for (size_t i = 0; i < fx_diags_count(d); i++)
        fprintf(stderr, "%s\n", fx_diags_message(d, i));
}

static int rows_mode(unsigned long rows, int argc, char **argv)
{
    fx_diags *d = fx_diags_new();
    fx_opts o;
    fx_status st = fx_opts_parse(&o, argc, argv, d);
    if (st != FX_OK || !o.output) {
        print_diags(d);
        fx_diags_free(d);
        return 64;
    }
    fx_rate_table *t = fx_rates_new();
    for (size_t i = 0; i < o.nrates; i++)
        fx_rates_load(t, o.rates[i], d);
    if (o.nrates == 0)
        fx_rates_load(t, "rates", d);
    fx_rates_finish(t, d);

    fx_book_input *inputs = calloc(o.ninputs, sizeof *inputs);
    for (size_t i = 0; i < o.ninputs; i++)
        inputs[i].name = o.inputs[i];
    fx_book_info info = {inputs, o.ninputs, t, &o.conv, &o.audit, o.options, "test", NULL, -1, NULL};
    run r = {.o = &o, .rates = t, .d = d};
    fx_converted_init(&r.conv);
    fx_check_init(&r.check);
    char *tmpdir = fx_outfile_dir(o.output);
    r.audit = fx_audit_new(&o.audit, &o.conv, tmpdir);
    r.findings = fx_findings_new(tmpdir, &o.audit, &o.conv);
    r.explain = fx_explain_run_new(tmpdir, t, &o.audit);
    free(tmpdir);
    r.book = fx_diags_status(d) == FX_OK ? fx_book_open(o.output, &info, d) : NULL;
    fx_facts_reader *fr = fx_facts_reader_new(t);
    if (r.book) {
        fx_book_set_sheet_rows(r.book, rows);
        fx_book_set_explanations(r.book, r.explain);
        for (size_t i = 0; i < o.ninputs; i++) {
            fx_facts_read(fr, o.inputs[i], o.inputs[i], on_fact, &r, d);
            inputs[i].facts = fx_facts_in_input(fr, i);
        }
        fx_audit_finish(r.audit, fx_diags_status(d) == FX_OK, d);
        if (fx_diags_status(d) == FX_OK) /* as the pipeline: Facts on its thread when it can */
            fx_book_start_facts(r.book, r.audit,
                                fx_findings_most(r.findings,
                                                 fx_audit_totals(r.audit).claims[FX_C_DISAGREE]));
        if (fx_diags_status(d) == FX_OK)
            fx_explain_run_finish(r.explain, r.audit, d);
        if (fx_diags_status(d) == FX_OK)
            fx_findings_finish(r.findings, r.audit, r.explain, d);
        if (fx_diags_status(d) == FX_OK)
            fx_book_close(r.book, r.audit, r.findings, d);
        else
            fx_book_discard(r.book);
    }
    st = fx_diags_status(d);
    print_diags(d);
    fx_facts_reader_free(fr);
    fx_audit_free(r.audit);
    fx_findings_free(r.findings);
    fx_explain_run_free(r.explain);
    fx_check_clear(&r.check);
    fx_converted_clear(&r.conv);
    free(inputs);
    fx_rates_free(t);
    fx_opts_clear(&o);
    fx_diags_free(d);
    return (int)st;
}

static int longtext_mode(const char *out)
{
    fx_diags *d = fx_diags_new();
    fx_rate_table *t = fx_rates_new();
    fx_rates_finish(t, d);
    fx_convert_opts co = {.ntargets = 1, .places = 2};
    fx_ccy_parse("USD", 3, &co.targets[0]);
    fx_audit_opts ao = {.places = 2};
    fx_dec_init(&ao.tolerance);
    fx_book_info info = {NULL, 0, t, &co, &ao, "", "test", NULL, -1, NULL};

    size_t n = 40000;
    char *quote = malloc(n);
    memset(quote, 'q', n);
    fx_fact f;
    memset(&f, 0, sizeof f);
    f.fact_id = (fx_text){"long-1", 6};
    f.entity = (fx_text){"e", 1};
    f.claim = (fx_text){"c", 1};
    f.source = (fx_text){"s", 1};
    f.quote = (fx_text){quote, n};
    f.note = (fx_text){"", 0}; /* facts.h: s[len] is '\0', never NULL */
    f.fig.kind = FX_KIND_COUNT;
    f.fig.unit = (fx_text){"count", 5};
    fx_dec_init(&f.fig.value);
    fx_dec_init(&f.reported.value);
    fx_dec_parse(&f.fig.value, "7", 1);
    fx_converted c;
    fx_converted_init(&c);
    c.fact = &f;
    fx_dec_set(&c.amount, &f.fig.value);

    int rc = 1;
    fx_book *b = fx_book_open(out, &info, d);
    if (b) {
        fx_audit_ref ref = {0, 0};
        fx_status st = fx_book_add(b, &c, NULL, ref);
        fx_status again = fx_book_add(b, &c, NULL, ref); /* a failure stays */
        if (st == FX_OK && again == FX_OK) { /* recorded: refused at close */
            fx_audit *a = fx_audit_new(&ao, &co, ".");
            fx_findings *fs = fx_findings_new(".", &ao, &co);
            fx_audit_finish(a, true, d);
            if (fx_diags_status(d) == FX_OK)
                fx_findings_finish(fs, a, NULL, d);
            st = again = fx_diags_status(d) == FX_OK ? fx_book_close(b, a, fs, d) : FX_OK;
            fx_audit_free(a);
            fx_findings_free(fs);
        } else {
            fx_book_discard(b);
        }
        print_diags(d);
        rc = st != FX_OK && again == st && fx_diags_count(d) == 1 ? 0 : 1;
    } else {
        print_diags(d);
    }
    fx_converted_clear(&c);
    fx_dec_clear(&f.fig.value);
    fx_dec_clear(&f.reported.value);
    free(quote);
    fx_dec_clear(&ao.tolerance);
    fx_rates_free(t);
    fx_diags_free(d);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "rows") == 0)
        return rows_mode(strtoul(argv[2], NULL, 10), argc - 2, argv + 2);
    if (argc == 3 && strcmp(argv[1], "longtext") == 0)
        return longtext_mode(argv[2]);
    fprintf(stderr, "usage: book_tool rows N FXBOOK-ARGS... | longtext OUT\n");
    return 64;
}
