/* findings - collects, ranks and words the findings (findings.h).
 * Invariant: a finding's record is written once, whole, to the spool;
 * the index (kind, key, order of arrival, offset) is all that is sorted. */
#include "findings.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "explain.h"
#include "mem.h"
#include "spool.h"

static const char *const kind_names[FX_FIND_KINDS] = {
    "disagree", "inconsistent", "close", "assumption", "unexplained", "unverifiable", "fallback",
};

const char *fx_find_kind_name(fx_find_kind k)
{
    return (unsigned)k < FX_FIND_KINDS ? kind_names[k] : "?";
}

/* The fixed part of a record; then the texts, one field each. */
typedef struct {
    double figure, expected, diff_pct;
    uint64_t see_row, fact_row;
    int32_t figure_places, expected_places;
    uint8_t kind, see, has_figure, has_expected, has_diff, has_fact_row;
} rec_hdr;

enum { T_HDR, T_CLAIM, T_FACT, T_SOURCES, T_VERDICT, T_DETAIL, T_UNIT, T_N };

typedef struct {
    uint64_t off;
    double key; /* larger ranks first within a kind */
    uint64_t seq;
    uint8_t kind;
} entry;

struct fx_findings {
    fx_audit_opts ao;
    fx_convert_opts co;
    fx_spool *spool;
    fx_spool *pending; /* conversions' findings awaiting their explanations */
    size_t npending;
    entry *ix;
    size_t n, cap;
    size_t by_kind[FX_FIND_KINDS];
    size_t *by_source;
    size_t nsrc;
    size_t next;
    const char *error;
    fx_finding cur;
    char *text; /* the sentence being built */
    size_t tlen, tcap;
};

fx_findings *fx_findings_new(const char *tmpdir, const fx_audit_opts *ao,
                             const fx_convert_opts *co)
{
    fx_findings *f = fx_xcalloc(1, sizeof *f);
    f->ao = *ao;
    f->co = *co;
    f->spool = fx_spool_new(tmpdir);
    f->pending = fx_spool_new(tmpdir);
    return f;
}

void fx_findings_free(fx_findings *f)
{
    if (!f)
        return;
    fx_spool_free(f->spool);
    fx_spool_free(f->pending);
    free(f->ix);
    free(f->by_source);
    free(f->text);
    free(f);
}

/* ---- words ---- */

static void say(fx_findings *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(fx_findings *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k <= 0)
        return;
    f->text = fx_xgrow(f->text, &f->tcap, f->tlen + (size_t)k + 1, 1);
    va_start(ap, fmt);
    vsnprintf(f->text + f->tlen, (size_t)k + 1, fmt, ap);
    va_end(ap);
    f->tlen += (size_t)k;
}

/* Digits with thousands separators and at most `places` decimals, trailing
 * zeros dropped. */
static void grouped(double v, int places, char *buf, size_t n)
{
    char t[400];
    snprintf(t, sizeof t, "%.*f", places, fabs(v));
    char *dot = strchr(t, '.');
    if (dot) {
        char *e = t + strlen(t);
        while (e > dot + 1 && e[-1] == '0')
            *--e = '\0';
        if (e == dot + 1)
            *dot = '\0';
    }
    size_t intlen = dot && *dot ? (size_t)(dot - t) : strlen(t);
    size_t k = 0;
    if (v < 0 && strspn(t, "0.") != strlen(t) && k + 1 < n)
        buf[k++] = '-';
    for (size_t i = 0; i < intlen && k + 2 < n; i++) {
        if (i > 0 && (intlen - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = t[i];
    }
    for (size_t i = intlen; t[i] && k + 1 < n; i++)
        buf[k++] = t[i];
    buf[k] = '\0';
}

static void human(double v, int places, bool words, char *buf, size_t n)
{
    static const struct {
        double at;
        const char *abbr, *word;
    } scales[] = {{1e12, " tn", " trillion"}, {1e9, " bn", " billion"}, {1e6, " m", " million"}};
    for (size_t i = 0; i < sizeof scales / sizeof *scales; i++)
        if (fabs(v) >= scales[i].at) {
            char num[64];
            grouped(v / scales[i].at, 3, num, sizeof num);
            snprintf(buf, n, "%s%s", num, words ? scales[i].word : scales[i].abbr);
            return;
        }
    grouped(v, places < 0 ? 0 : places > 6 ? 6 : places, buf, n);
}

void fx_findings_human(double v, int places, char *buf, size_t n)
{
    human(v, places, false, buf, n);
}

/* A normalized figure for a sentence: "USD 20.698 bn", "71 million",
 * "60%"; words: scale words, not abbreviations. */
static void figure_words(const fx_findings *f, fx_kind kind, double v, int places, bool words,
                         char *buf, size_t n)
{
    char num[80];
    human(v, places, words && kind != FX_KIND_MONEY, num, sizeof num);
    if (kind == FX_KIND_MONEY)
        snprintf(buf, n, "%s %s", f->co.ntargets ? f->co.targets[0].s : "", num);
    else if (kind == FX_KIND_PERCENT)
        snprintf(buf, n, "%s%%", num);
    else if (kind == FX_KIND_COUNT)
        snprintf(buf, n, "%s", num);
    else
        snprintf(buf, n, "%s %s", num, fx_kind_name(kind));
}

/* "USD [19.5 bn, 20.5 bn]", "[70.5 m, 71.5 m]", "[99.5%, 100.5%]". */
static void span_words(const fx_findings *f, fx_kind kind, const fx_span *s, char *buf, size_t n)
{
    char lo[96] = "", hi[96] = "";
    const char *pct = kind == FX_KIND_PERCENT ? "%" : "";
    if (s->has_lo)
        human(s->lo, 6, false, lo, sizeof lo);
    if (s->has_hi)
        human(s->hi, 6, false, hi, sizeof hi);
    snprintf(buf, n, "%s%s%s%s%s, %s%s%s", kind == FX_KIND_MONEY ? f->co.targets[0].s : "",
             kind == FX_KIND_MONEY ? " " : "", s->has_lo ? "[" : "(", s->has_lo ? lo : "-\u221e",
             s->has_lo ? pct : "", s->has_hi ? hi : "\u221e", s->has_hi ? pct : "",
             s->has_hi ? "]" : ")");
}

static const char *qual_words(fx_qual q)
{
    switch (q) {
    case FX_QUAL_ABOUT:
        return "about ";
    case FX_QUAL_AT_LEAST:
        return "at least ";
    case FX_QUAL_AT_MOST:
        return "at most ";
    default:
        return "";
    }
}

/* A printed figure: "CNY 150 billion", "71 million", "60 percent". */
static void printed_words(const fx_figure *fig, char *buf, size_t n)
{
    char v[FX_DEC_STR_MAX];
    if (fx_dec_to_str(&fig->value, v, sizeof v) < 0)
        snprintf(v, sizeof v, "?");
    const char *scale = fx_scale_name(fig->scale);
    if (fig->kind == FX_KIND_MONEY)
        snprintf(buf, n, "%s %s%s%s", fig->ccy.s, v, *scale ? " " : "", scale);
    else
        snprintf(buf, n, "%s%s%s %s", v, *scale ? " " : "", scale, fx_kind_name(fig->kind));
}

static void day_words(fx_day d, char out[11])
{
    fx_date_format(d, out);
}

/* ---- records ---- */

static void count_source(fx_findings *f, size_t s)
{
    if (s >= f->nsrc) {
        size_t n = f->nsrc ? f->nsrc : 16;
        while (n <= s)
            n *= 2;
        f->by_source = fx_xrealloc(f->by_source, n * sizeof *f->by_source);
        memset(f->by_source + f->nsrc, 0, (n - f->nsrc) * sizeof *f->by_source);
        f->nsrc = n;
    }
    f->by_source[s]++;
}

static void put(fx_findings *f, const rec_hdr *h, double key, const char *claim, size_t claim_len,
                const char *fact_id, size_t fact_len, const char *sources, const char *verdict,
                const char *unit)
{
    f->ix = fx_xgrow(f->ix, &f->cap, f->n + 1, sizeof *f->ix);
    f->ix[f->n] = (entry){fx_spool_offset(f->spool), key, f->n, h->kind};
    f->n++;
    f->by_kind[h->kind]++;
    fx_spool_field fl[T_N] = {
        {h, sizeof *h},
        {claim, claim_len},
        {fact_id, fact_len},
        {sources, strlen(sources)},
        {verdict, strlen(verdict)},
        {f->text ? f->text : "", f->tlen},
        {unit, strlen(unit)},
    };
    fx_spool_put(f->spool, fl, T_N); /* sticky: finish reports it */
    f->tlen = 0;
}

/* The fixed part of a fact's finding: its kind, where it is shown, and
 * the figure it is about. */
static void fact_header(rec_hdr *h, fx_find_kind kind, fx_see see, uint64_t see_row,
                        uint64_t fact_row, const fx_dec *figure)
{
    memset(h, 0, sizeof *h); /* no stray padding bytes in the spool */
    h->kind = (uint8_t)kind;
    h->see = (uint8_t)see;
    h->see_row = see_row;
    h->fact_row = fact_row;
    h->has_fact_row = 1;
    h->figure = fx_dec_to_double(figure);
    h->figure_places = (int32_t)-figure->exp;
    h->has_figure = 1;
}

/* A conversion's finding waits in the pending spool until the
 * explanations are known (explain_run.h): its kind and the end of its
 * sentence depend on them. The header says which conversion it is. */
typedef struct {
    rec_hdr h;
    uint64_t conv_no;
    uint32_t source;
    uint8_t verdict;
    uint8_t pad[3];
    double key;
} pending_hdr;

static void conversion_finding(fx_findings *f, const fx_converted *c, const fx_check *k,
                               fx_audit_ref ref, uint64_t fact_row, uint64_t conv_row)
{
    const fx_fact *fa = c->fact;
    fx_find_kind kind;
    if (k->verdict == FX_V_INCONSISTENT)
        kind = FX_FIND_INCONSISTENT;
    else if (k->verdict == FX_V_CLOSE)
        kind = FX_FIND_CLOSE;
    else if (k->verdict == FX_V_UNVERIFIABLE)
        kind = FX_FIND_UNVERIFIABLE;
    else
        kind = FX_FIND_ASSUMED; /* or none, or unexplained: decided at the finish */
    char printed[FX_DEC_STR_MAX + 64], base[FX_DEC_STR_MAX + 64], d[11], r[11], got[128];
    printed_words(&fa->reported, printed, sizeof printed);
    printed_words(&fa->fig, base, sizeof base);
    day_words(c->valuation, d);
    pending_hdr p;
    memset(&p, 0, sizeof p); /* no stray padding bytes in the spool */
    rec_hdr *h = &p.h;
    fact_header(h, kind, FX_SEE_CONVERSIONS, conv_row, fact_row, &k->reported);
    p.conv_no = conv_row;
    p.source = ref.source;
    p.verdict = (uint8_t)k->verdict;
    say(f, "%.*s: ", (int)fa->fact_id.len, fa->fact_id.s);
    if (kind == FX_FIND_UNVERIFIABLE) {
        say(f, "%s for %s cannot be checked: no rate prices %s in %s on or before %s", printed,
            base, fa->fig.ccy.s, k->reported_ccy.s, d);
    } else {
        h->expected = fx_dec_to_double(&k->computed_rounded);
        h->expected_places = (int32_t)-k->computed_rounded.exp;
        h->has_expected = 1;
        if (k->has_deviation) {
            h->diff_pct = fx_ratio_to_double(&k->deviation_pct);
            h->has_diff = 1;
            p.key = fabs(h->diff_pct);
        }
        char exp_words[96];
        fx_findings_human(h->expected, h->expected_places, exp_words, sizeof exp_words);
        day_words(k->rate.day, r);
        snprintf(got, sizeof got, "%s %s", k->reported_ccy.s, exp_words);
        if (kind == FX_FIND_INCONSISTENT || kind == FX_FIND_CLOSE) {
            say(f, "%s is not %s converted at the rate of ", printed, base);
            if (k->rate.day == c->valuation)
                say(f, "its own day, %s", d);
            else
                say(f, "%s, the latest on or before its day %s", r, d);
            say(f, " (%s", got);
            if (h->has_diff)
                say(f, ", %+.2f %%", h->diff_pct);
            say(f, ")");
        } else {
            say(f, "%s matches %s", printed, base);
        }
    }
    char src[80];
    snprintf(src, sizeof src, "%.*s", (int)fa->source.len, fa->source.s);
    if (kind == FX_FIND_UNVERIFIABLE) { /* nothing to explain: final now */
        count_source(f, ref.source);
        put(f, h, p.key, fa->claim.s, fa->claim.len, fa->fact_id.s, fa->fact_id.len, src,
            fx_verdict_name(k->verdict), k->reported_ccy.s);
        return;
    }
    fx_spool_field fl[T_N] = {
        {&p, sizeof p},
        {fa->claim.s, fa->claim.len},
        {fa->fact_id.s, fa->fact_id.len},
        {src, strlen(src)},
        {fx_verdict_name(k->verdict), strlen(fx_verdict_name(k->verdict))},
        {f->text ? f->text : "", f->tlen},
        {k->reported_ccy.s, strlen(k->reported_ccy.s)},
    };
    fx_spool_put(f->pending, fl, T_N); /* sticky: finish reports it */
    f->npending++;
    f->tlen = 0;
}

/* A pending conversion's finding, now that its explanation is known:
 * a close or inconsistent one names the best hypothesis; a consistent
 * one is a finding only when that hypothesis makes an assumption or
 * there is none. */
static bool settle(fx_findings *f, const fx_spool_field *fl, fx_explain_run *xr)
{
    pending_hdr p;
    memcpy(&p, fl[T_HDR].p, sizeof p);
    fx_explained e;
    if (!fx_explain_run_get(xr, p.conv_no, &e))
        return false;
    f->tlen = 0;
    say(f, "%.*s", (int)fl[T_DETAIL].len, (const char *)fl[T_DETAIL].p);
    fx_find_kind kind = (fx_find_kind)p.h.kind;
    if (kind == FX_FIND_ASSUMED) {
        if (e.found && e.assumptions == 0) {
            f->tlen = 0;
            return true; /* explained plainly: no finding */
        }
        if (!e.found) {
            kind = FX_FIND_UNEXPLAINED;
            say(f, " converted at its rate, yet no hypothesis of the %ld days before reproduces it",
                f->ao.infer_window);
        } else {
            say(f, " only with an assumption: %s", e.text);
        }
    } else if (e.found) {
        say(f, "; best explanation: %s", e.text);
    } else {
        say(f, "; no provider, rate date of the %ld days before, basis, base figure or reading "
               "reproduces it",
            f->ao.infer_window);
    }
    if (e.found)
        say(f, " (%zu other hypothes%s)", e.alternatives, e.alternatives == 1 ? "is" : "es");
    p.h.kind = (uint8_t)kind;
    count_source(f, p.source);
    put(f, &p.h, p.key, fl[T_CLAIM].p, fl[T_CLAIM].len, fl[T_FACT].p, fl[T_FACT].len,
        fl[T_SOURCES].p, fl[T_VERDICT].p, fl[T_UNIT].p);
    return true;
}

static bool settle_all(fx_findings *f, fx_explain_run *xr)
{
    if (!fx_spool_read_once(f->pending))
        return false;
    const fx_spool_field *fl;
    size_t nf;
    int got;
    while ((got = fx_spool_next(f->pending, &fl, &nf)) == 1)
        if (nf != T_N || fl[T_HDR].len != sizeof(pending_hdr) || !settle(f, fl, xr))
            return false;
    return got == 0;
}

static void fallback_finding(fx_findings *f, const fx_converted *c, fx_audit_ref ref,
                             uint64_t fact_row)
{
    const fx_fact *fa = c->fact;
    size_t worst = c->nconv;
    for (size_t i = 0; i < c->nconv; i++)
        if (c->conv[i].basis == FX_BASIS_SPOT && c->conv[i].priced.day < c->valuation &&
            (worst == c->nconv || c->conv[i].priced.day < c->conv[worst].priced.day))
            worst = i;
    if (worst == c->nconv)
        return;
    const fx_conv *v = &c->conv[worst];
    long age = (long)c->valuation - (long)v->priced.day;
    char d[11], r[11], base[FX_DEC_STR_MAX + 64];
    day_words(c->valuation, d);
    day_words(v->priced.day, r);
    printed_words(&fa->fig, base, sizeof base);
    rec_hdr h;
    fact_header(&h, FX_FIND_FALLBACK, FX_SEE_FACTS, fact_row, fact_row, &v->rounded);
    char stale[24] = "none";
    if (f->co.lookup.max_stale >= 0)
        snprintf(stale, sizeof stale, "%ld", f->co.lookup.max_stale);
    say(f, "%.*s: %s valued on %s at the %s rate of %s, %ld day%s before (no rate that day; "
           "--fallback previous, --max-stale %s)",
        (int)fa->fact_id.len, fa->fact_id.s, base, d, v->target.s, r, age, age == 1 ? "" : "s",
        stale);
    char src[80];
    snprintf(src, sizeof src, "%.*s", (int)fa->source.len, fa->source.s);
    count_source(f, ref.source);
    put(f, &h, (double)age, fa->claim.s, fa->claim.len, fa->fact_id.s, fa->fact_id.len, src,
        "", v->target.s);
}

void fx_findings_fact(fx_findings *f, const fx_converted *c, const fx_check *k,
                      fx_audit_ref ref, uint64_t fact_row, uint64_t conv_row)
{
    if (k && k->present)
        conversion_finding(f, c, k, ref, fact_row, conv_row);
    fallback_finding(f, c, ref, fact_row);
}

/* ---- claims ---- */

/* The sources whose first figure on the claim is w's, ", "-joined. */
static size_t sources_like(fx_findings *f, const fx_audit *a, const fx_claim *cl,
                           const fx_witness *w, char *buf, size_t n)
{
    size_t k = 0, named = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < cl->nsources; i++) {
        const fx_claim_source *cs = &cl->by_source[i];
        if (cs->source != w->source && !(cs->first == w->value && cs->qual == w->qual))
            continue;
        int m = snprintf(buf + k, n - k, "%s%s", named ? ", " : "",
                         fx_audit_source(a, cs->source)->source);
        if (m < 0 || (size_t)m >= n - k)
            break;
        k += (size_t)m;
        named++;
        count_source(f, cs->source);
    }
    return named;
}

static void claim_finding(fx_findings *f, const fx_audit *a, const fx_claim *cl, uint64_t row)
{
    const fx_witness *lo = &cl->low_hi, *hi = &cl->high_lo; /* lo's interval ends below hi's */
    char lo_src[512], hi_src[512], lo_v[128], hi_v[128], lo_s[256], hi_s[256];
    figure_words(f, cl->kind, lo->value, lo->places, true, lo_v, sizeof lo_v);
    figure_words(f, cl->kind, hi->value, hi->places, true, hi_v, sizeof hi_v);
    span_words(f, cl->kind, &lo->span, lo_s, sizeof lo_s);
    span_words(f, cl->kind, &hi->span, hi_s, sizeof hi_s);
    rec_hdr h;
    memset(&h, 0, sizeof h);
    h.kind = FX_FIND_DISAGREE;
    h.see = FX_SEE_COMPARISON;
    h.see_row = row;
    h.figure = hi->value;
    h.figure_places = hi->places;
    h.expected = lo->value;
    h.expected_places = lo->places;
    h.has_figure = h.has_expected = 1;
    if (lo->value > 0) {
        h.diff_pct = 100 * (hi->value - lo->value) / lo->value;
        h.has_diff = 1;
    }
    char sources[1100];
    if (lo->source == hi->source) {
        const char *s = fx_audit_source(a, lo->source)->source;
        count_source(f, lo->source);
        say(f, "%s: %s disagrees with itself: %s%s (%s) and %s%s (%s) do not overlap: %s vs %s",
            cl->claim, s, qual_words(lo->qual), lo_v, lo->fact_id, qual_words(hi->qual), hi_v,
            hi->fact_id, lo_s, hi_s);
        snprintf(sources, sizeof sources, "%s", s);
    } else {
        sources_like(f, a, cl, lo, lo_src, sizeof lo_src);
        sources_like(f, a, cl, hi, hi_src, sizeof hi_src);
        say(f, "%s: %s%s (%s) and %s%s (%s) do not overlap: %s vs %s", cl->claim,
            qual_words(lo->qual), lo_v, lo_src, qual_words(hi->qual), hi_v, hi_src, lo_s, hi_s);
        snprintf(sources, sizeof sources, "%s, %s", lo_src, hi_src);
    }
    if (cl->nsources > 2)
        say(f, "; %zu sources in all", cl->nsources);
    const char *unit = cl->kind == FX_KIND_MONEY ? cl->unit_ccy.s : fx_kind_name(cl->kind);
    put(f, &h, 0, cl->claim, strlen(cl->claim), "", 0, sources,
        fx_claim_verdict_name(cl->verdict), unit);
}

static int entry_cmp(const void *pa, const void *pb)
{
    const entry *x = pa, *y = pb;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

fx_status fx_findings_finish(fx_findings *f, fx_audit *a, fx_explain_run *xr, fx_diags *d)
{
    if (!settle_all(f, xr))
        return fx_diag_status(d, FX_E_IO, (fx_pos){0}, "findings: %s",
                              fx_spool_error(f->pending) ? fx_spool_error(f->pending)
                                                         : "a pending finding is damaged");
    bool ok = fx_audit_rewind(a);
    const fx_claim *cl;
    for (uint64_t row = 0; ok && (cl = fx_audit_next(a)); row++)
        if (cl->verdict == FX_C_DISAGREE)
            claim_finding(f, a, cl, row);
    if (!ok || fx_audit_read_error(a))
        return fx_diag_status(d, FX_E_IO, (fx_pos){0}, "findings: %s",
                              fx_audit_read_error(a) ? fx_audit_read_error(a)
                                                     : "cannot read the claims back");
    if (f->n)
        qsort(f->ix, f->n, sizeof *f->ix, entry_cmp);
    if (!fx_spool_rewind(f->spool))
        return fx_diag_status(d, FX_E_IO, (fx_pos){0}, "findings: %s", fx_spool_error(f->spool));
    return FX_OK;
}

size_t fx_findings_most(const fx_findings *f, size_t ndisagree)
{
    return f->n + f->npending + ndisagree; /* a pending one settles to one or none */
}

size_t fx_findings_count(const fx_findings *f)
{
    return f->n;
}

size_t fx_findings_of_kind(const fx_findings *f, fx_find_kind k)
{
    return (unsigned)k < FX_FIND_KINDS ? f->by_kind[k] : 0;
}

size_t fx_findings_of_source(const fx_findings *f, size_t s)
{
    return s < f->nsrc ? f->by_source[s] : 0;
}

bool fx_findings_rewind(fx_findings *f)
{
    f->next = 0;
    f->error = NULL;
    return true;
}

const fx_finding *fx_findings_next(fx_findings *f)
{
    if (f->error || f->next >= f->n)
        return NULL;
    const entry *e = &f->ix[f->next];
    const fx_spool_field *fl;
    size_t nf;
    rec_hdr h;
    if (!fx_spool_seek(f->spool, e->off) || fx_spool_next(f->spool, &fl, &nf) != 1 ||
        nf != T_N || fl[T_HDR].len != sizeof h) {
        f->error = fx_spool_error(f->spool) ? fx_spool_error(f->spool)
                                            : "a finding is not what was written";
        return NULL;
    }
    memcpy(&h, fl[T_HDR].p, sizeof h);
    fx_finding *x = &f->cur;
    x->rank = ++f->next;
    x->kind = (fx_find_kind)h.kind;
    x->claim = fl[T_CLAIM].p;
    x->fact_id = fl[T_FACT].p;
    x->sources = fl[T_SOURCES].p;
    x->verdict = fl[T_VERDICT].p;
    x->detail = fl[T_DETAIL].p;
    x->unit = fl[T_UNIT].p;
    x->figure = h.figure;
    x->expected = h.expected;
    x->diff_pct = h.diff_pct;
    x->figure_places = h.figure_places;
    x->expected_places = h.expected_places;
    x->has_figure = h.has_figure;
    x->has_expected = h.has_expected;
    x->has_diff = h.has_diff;
    x->see = (fx_see)h.see;
    x->see_row = h.see_row;
    x->has_fact_row = h.has_fact_row;
    x->fact_row = h.fact_row;
    return x;
}

const char *fx_findings_error(const fx_findings *f)
{
    return f->error ? f->error : fx_spool_error(f->spool);
}
