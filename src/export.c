/* export - facts.csv, conversions.csv, comparison.csv (SPEC 7). Only
 * ids, codes, dates, verdicts and numbers are written, so no field needs
 * quoting and none can start a formula. */
#include "export.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "explain_run.h"
#include "mem.h"
#include "spool.h"

struct fx_export {
    FILE *facts, *conv, *cmp, *find, *implied;
    fx_spool *rows; /* conversions.csv rows waiting for their explanations */
    fx_convert_opts co;
    fx_audit_opts ao;
    fx_ratio scratch;
};

fx_export *fx_export_new(FILE *facts, FILE *conversions, FILE *comparison, FILE *findings,
                         FILE *implied, const char *tmpdir, const fx_convert_opts *co,
                         const fx_audit_opts *ao)
{
    fx_export *e = fx_xcalloc(1, sizeof *e);
    e->facts = facts;
    e->conv = conversions;
    e->implied = implied;
    e->rows = fx_spool_new(tmpdir);
    e->cmp = comparison;
    e->find = findings;
    e->co = *co;
    e->ao = *ao;
    fx_ratio_init(&e->scratch);
    fputs("fact_id,claim,source,valuation_date,amount,unit,target,rate_date,provider,rate,"
          "amount_target\n",
          facts);
    fputs("fact_id,source,amount,unit,reported_amount,reported_unit,computed_amount,deviation_pct,"
          "verdict,matching_rate_dates,explained_by,alternatives\n",
          conversions);
    fputs("claim,kind,unit,facts,sources,min,max,spread_pct,verdict\n", comparison);
    fputs("rank,kind,claim,fact_id,sources,verdict,detail\n", findings);
    fputs("source,from,to,conversions,low,high,provider_days\n", implied);
    return e;
}

static void put_text(FILE *f, fx_text t)
{
    fwrite(t.s, 1, t.len, f);
}

/* A field, quoted (RFC 4180) when it holds a comma, quote or line break:
 * the sentences and lists this program builds; never input text. */
static void put_field(FILE *f, const char *s)
{
    if (!s[strcspn(s, ",\"\r\n")]) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A provider's name (SPEC 3): ECB, FED-H10, BOE, or a long file's
 * source cell or file name, which a curator wrote. Quoted as any field;
 * one that a spreadsheet would read as a formula (= + - @, a tab or a
 * carriage return first) gets a ' before it, so that no cell of the
 * export can start one. */
static void put_provider(FILE *f, const char *s)
{
    if (strchr("=+-@\t\r", *s) && *s) {
        size_t n = strlen(s);
        char *q = fx_xmalloc(n + 2);
        q[0] = '\'';
        memcpy(q + 1, s, n + 1);
        put_field(f, q);
        free(q);
        return;
    }
    put_field(f, s);
}

void fx_export_add(fx_export *e, const fx_converted *c, const fx_check *k)
{
    const fx_fact *f = c->fact;
    char amount[FX_DEC_STR_MAX], day[11], buf[FX_DEC_STR_MAX];
    fx_dec_to_str(&c->amount, amount, sizeof amount);
    fx_date_format(c->valuation, day);
    const char *unit = f->fig.kind == FX_KIND_MONEY ? f->fig.ccy.s : fx_kind_name(f->fig.kind);
    if (f->fig.kind != FX_KIND_MONEY) {
        put_text(e->facts, f->fact_id);
        fputc(',', e->facts);
        put_text(e->facts, f->claim);
        fputc(',', e->facts);
        put_text(e->facts, f->source);
        fprintf(e->facts, ",%s,%s,%s,%s,,,,%s\n", day, amount, unit, unit, amount);
    }
    for (size_t i = 0; i < c->nconv; i++) {
        const fx_conv *v = &c->conv[i];
        char rday[11], rate[64];
        fx_date_format(v->priced.day, rday);
        fx_ratio_to_sig(&v->rate, 12, rate, sizeof rate); /* spot or the average */
        fx_dec_to_str(&v->rounded, buf, sizeof buf);
        put_text(e->facts, f->fact_id);
        fputc(',', e->facts);
        put_text(e->facts, f->claim);
        fputc(',', e->facts);
        put_text(e->facts, f->source);
        fprintf(e->facts, ",%s,%s,%s,%s,%s,", day, amount, unit, v->target.s, rday);
        put_provider(e->facts, v->priced.leg[0] ? v->priced.leg[0]->origin->provider : "");
        fprintf(e->facts, ",%s,%s\n", rate, buf);
    }
    if (!k || !k->present)
        return;
    char reported[FX_DEC_STR_MAX], computed[FX_DEC_STR_MAX] = "", dev[64] = "";
    fx_dec_to_str(&k->reported, reported, sizeof reported);
    if (k->priced)
        fx_dec_to_str(&k->computed_rounded, computed, sizeof computed);
    if (k->priced && k->has_deviation)
        fx_ratio_to_fixed(&k->deviation_pct, 4, FX_ROUND_HALF_EVEN, dev, sizeof dev);
    /* the row up to its matching dates; explained_by and alternatives
     * are known at the finish (explain_run.h) */
    GString *row = g_string_new(NULL);
    g_string_append_len(row, f->fact_id.s, (gssize)f->fact_id.len);
    g_string_append_c(row, ',');
    g_string_append_len(row, f->source.s, (gssize)f->source.len);
    g_string_append_printf(row, ",%s,%s,%s,%s,%s,%s,%s,", amount, unit, reported,
                           k->reported_ccy.s, computed, dev, fx_verdict_name(k->verdict));
    for (size_t i = 0; i < k->ndays; i++) {
        fx_date_format(k->days[i], day);
        g_string_append_printf(row, "%s%s", i ? ";" : "", day);
    }
    fx_spool_field fl = {row->str, row->len};
    fx_spool_put(e->rows, &fl, 1); /* sticky: finish reports it */
    g_string_free(row, TRUE);
}

/* conversions.csv: each waiting row and its explanation. */
static bool conversions_rows(fx_export *e, fx_explain_run *xr)
{
    if (!fx_spool_read_once(e->rows))
        return false;
    const fx_spool_field *fl;
    size_t nf;
    int got;
    for (uint64_t i = 0; (got = fx_spool_next(e->rows, &fl, &nf)) == 1; i++) {
        if (nf != 1)
            return false;
        fx_explained x = {false, 0, 0, "unexplained"};
        if (xr && !fx_explain_run_get(xr, i, &x))
            return false;
        fwrite(fl[0].p, 1, fl[0].len, e->conv);
        fputc(',', e->conv);
        put_provider(e->conv, x.text); /* starts with one */
        fprintf(e->conv, ",%zu\n", x.alternatives);
    }
    return got == 0;
}

/* implied_rates.csv (docs/explanations.md). */
static void implied_rows(fx_export *e, const fx_audit *a, const fx_explain_run *xr)
{
    for (size_t i = 0; xr && i < fx_explain_run_ranges(xr); i++) {
        const fx_implied *g = fx_explain_run_range(xr, i);
        fputs(fx_audit_source(a, g->source)->source, e->implied);
        fprintf(e->implied, ",%s,%s,%zu,%s,%s,", g->from.s, g->to.s, g->conversions,
                g->empty ? "" : g->low, g->empty ? "" : g->high);
        put_provider(e->implied, g->days);
        fputc('\n', e->implied);
    }
}

bool fx_export_spread(const fx_claim *cl, char *buf, size_t n)
{
    if (fx_ratio_sgn(&cl->min) <= 0)
        return false;
    fx_ratio s;
    fx_ratio_init(&s);
    fx_ratio_sub(&s, &cl->max, &cl->min);
    fx_ratio_div(&s, &s, &cl->min);
    fx_ratio_mul_si(&s, 100);
    fx_ratio_to_fixed(&s, 4, FX_ROUND_HALF_EVEN, buf, n);
    fx_ratio_clear(&s);
    return true;
}

void fx_export_point(const fx_ratio *v, const fx_claim *cl, const fx_convert_opts *co, char *buf,
                     size_t n)
{
    if (cl->kind == FX_KIND_MONEY)
        fx_ratio_to_fixed(v, co->places, co->rounding, buf, n);
    else if (fx_ratio_to_exact(v, buf, n) < 0)
        snprintf(buf, n, "?"); /* cannot happen: sums of parsed decimals */
}

static void findings_rows(fx_export *e, fx_findings *fs)
{
    fx_findings_rewind(fs);
    const fx_finding *f;
    while ((f = fx_findings_next(fs))) {
        fprintf(e->find, "%zu,%s,%s,%s,", f->rank, fx_find_kind_name(f->kind), f->claim,
                f->fact_id);
        put_field(e->find, f->sources);
        fprintf(e->find, ",%s,", f->verdict);
        put_field(e->find, f->detail);
        fputc('\n', e->find);
    }
}

fx_status fx_export_finish(fx_export *e, fx_audit *a, fx_findings *fs, fx_explain_run *xr,
                           const char *dir, fx_diags *d)
{
    bool rows = conversions_rows(e, xr);
    implied_rows(e, a, xr);
    const fx_claim *cl;
    bool read = fx_audit_rewind(a);
    while (read && (cl = fx_audit_next(a))) {
        char min[FX_DEC_STR_MAX], max[FX_DEC_STR_MAX], spread[64] = "";
        fx_export_point(&cl->min, cl, &e->co, min, sizeof min);
        fx_export_point(&cl->max, cl, &e->co, max, sizeof max);
        fx_export_spread(cl, spread, sizeof spread);
        const char *kind = fx_kind_name(cl->kind);
        fprintf(e->cmp, "%s,%s,%s,%zu,%zu,%s,%s,%s,%s\n", cl->claim, kind,
                cl->kind == FX_KIND_MONEY ? cl->unit_ccy.s : kind, cl->facts, cl->nsources, min,
                max, spread, fx_claim_verdict_name(cl->verdict));
    }
    fx_status st = FX_OK;
    /* d is NULL for an export abandoned after another error: nothing more to say */
    if (d && (!read || fx_audit_read_error(a)))
        st = fx_diag_status(d, FX_E_IO, (fx_pos){0}, "comparison.csv: %s", /* names the folder */
                            fx_audit_read_error(a) ? fx_audit_read_error(a)
                                                   : "the claim rows were not written");
    if (d && st == FX_OK && !rows)
        st = fx_diag_status(d, FX_E_IO, (fx_pos){0}, "conversions.csv: %s",
                            fx_spool_error(e->rows) ? fx_spool_error(e->rows)
                                                    : "a waiting row is damaged");
    if (fs) {
        findings_rows(e, fs);
        if (d && st == FX_OK && fx_findings_error(fs))
            st = fx_diag_status(d, FX_E_IO, (fx_pos){0}, "findings.csv: %s",
                                fx_findings_error(fs));
    }
    FILE *const out[] = {e->facts, e->conv, e->cmp, e->find, e->implied};
    static const char *const names[] = {"facts.csv", "conversions.csv", "comparison.csv",
                                        "findings.csv", "implied_rates.csv"};
    for (size_t i = 0; i < 5; i++) {
        errno = 0;
        if ((fflush(out[i]) != 0 || ferror(out[i])) && st == FX_OK && d)
            st = fx_diag_status(d, FX_E_IO, (fx_pos){0}, "cannot write %s/%s: %s", dir, names[i],
                                errno ? strerror(errno) : "write error");
    }
    fx_ratio_clear(&e->scratch);
    fx_spool_free(e->rows);
    free(e);
    return st;
}
