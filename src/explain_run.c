/* explain_run - explanations for every conversion of a run, found at the
 * end with each claim's figures at hand (explain_run.h). */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier): O_TMPFILE, pread */
#include "explain_run.h"

#include <fcntl.h>
#include <unistd.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "mem.h"
#include "spool.h"

/* Records per pass of the finish (a claim with more is held whole). */
#define PASS ((size_t)1 << 17)
/* Claims per spool: a pass reads only the spool of its claims, so the
 * figures are read back about once, not once per pass. */
#define BUCKET_SHIFT 12
#define BUCKETS_MAX 256 /* open files: the last one takes every claim past them */

static size_t bucket_of(size_t claim)
{
    size_t b = claim >> BUCKET_SHIFT;
    return b < BUCKETS_MAX - 1 ? b : BUCKETS_MAX - 1;
}

/* The first claim past bucket b's. */
static size_t bucket_end(size_t b)
{
    return b < BUCKETS_MAX - 1 ? (b + 1) << BUCKET_SHIFT : SIZE_MAX;
}

/* One money fact: its figures, and whether it is a priced conversion. */
typedef struct {
    uint32_t claim, source;
    int32_t valuation, published;
    uint64_t conv_no; /* NO_CONV: not a priced conversion */
    int32_t scale, rep_scale;
    uint8_t has_value, has_rep; /* money figures (a reported one has a currency) */
    char ccy[4], rep_ccy[4];
    uint8_t pad[6];
} fig_rec;
enum { F_HDR, F_ID, F_VALUE, F_REP, F_N };
#define NO_CONV UINT64_MAX

typedef struct {
    uint64_t off; /* of its text in the results spool */
    uint32_t alternatives;
    uint8_t found, assumptions, done;
} result;

/* A (source, pair) range being intersected. */
typedef struct {
    fx_implied out;
    fx_packed lo, hi; /* compact: there is one per source and pair */
    fx_day first, last; /* valuation dates */
} range;

struct fx_explain_run {
    const fx_rate_table *t;
    fx_audit_opts o;
    fx_explainer *x;
    char *tmpdir;    /* a copy: spools are made as claims come */
    fx_spool **figs; /* claim >> BUCKET_SHIFT -> its figures */
    size_t nbuckets;
    fx_spool *texts;
    uint32_t *per_claim; /* records per claim */
    size_t nclaims, capclaims;
    uint64_t nconv;
    result *results; /* during the finish; then in results_fd */
    int results_fd;  /* the results, conv_no-th at conv_no x 16 bytes (-1: none) */
    result block[256]; /* the block of results read last */
    uint64_t block_first, block_n;
    GHashTable *by_pair; /* "source/FROM/TO" -> range index */
    range **ranges;
    size_t nranges, capranges;
    bool off; /* FXBOOK_NO_EXPLANATIONS: the benchmark's switch (docs/BENCHMARKS.md) */
    char *text; /* the last text fx_explain_run_get read */
    size_t captext;
};

fx_explain_run *fx_explain_run_new(const char *tmpdir, const fx_rate_table *t,
                                   const fx_audit_opts *o)
{
    fx_explain_run *r = fx_xcalloc(1, sizeof *r);
    r->t = t;
    r->o = *o;
    r->x = fx_explainer_new(t, &o->lookup, o->infer_window);
    r->tmpdir = fx_xstrdup(tmpdir ? tmpdir : ".");
    r->texts = fx_spool_new(tmpdir);
    r->by_pair = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    r->results_fd = -1;
    const char *off = getenv("FXBOOK_NO_EXPLANATIONS");
    r->off = off && *off && strcmp(off, "0") != 0;
    return r;
}

void fx_explain_run_free(fx_explain_run *r)
{
    if (!r)
        return;
    fx_explainer_free(r->x);
    for (size_t i = 0; i < r->nbuckets; i++)
        fx_spool_free(r->figs[i]);
    free(r->figs);
    free(r->tmpdir);
    fx_spool_free(r->texts);
    free(r->per_claim);
    free(r->results);
    if (r->results_fd >= 0)
        close(r->results_fd);
    g_hash_table_destroy(r->by_pair);
    for (size_t i = 0; i < r->nranges; i++) {
        fx_packed_clear(&r->ranges[i]->lo);
        fx_packed_clear(&r->ranges[i]->hi);
        free((char *)r->ranges[i]->out.days);
        free((char *)r->ranges[i]->out.low);
        free((char *)r->ranges[i]->out.high);
        free(r->ranges[i]);
    }
    free(r->ranges);
    free(r->text);
    free(r);
}

/* ---- while facts stream in ---- */

/* The rates r with amount x r in the reported figure's nearest interval:
 * [lo / amount, hi / amount], the bounds swapped for a negative amount. */
static void rate_range(fx_ratio *lo, fx_ratio *hi, const fx_dec *amount, const fx_figure *rep,
                       const fx_dec *tolerance)
{
    fx_interval iv;
    fx_interval_init(&iv);
    fx_interval_of(&iv, rep, FX_QUAL_NONE, tolerance); /* no qualifier: tolerance unused */
    fx_ratio a;
    fx_ratio_init(&a);
    fx_ratio_set_dec(&a, amount);
    bool neg = fx_ratio_sgn(&a) < 0;
    fx_ratio_div(neg ? hi : lo, &iv.lo, &a);
    fx_ratio_div(neg ? lo : hi, &iv.hi, &a);
    fx_ratio_clear(&a);
    fx_interval_clear(&iv);
}

static void add_to_range(fx_explain_run *r, const fx_converted *c, const fx_check *k,
                         uint32_t source)
{
    const fx_fact *f = c->fact;
    char key[64];
    snprintf(key, sizeof key, "%u/%s/%s", source, f->fig.ccy.s, k->reported_ccy.s);
    gpointer at;
    range *g;
    fx_ratio lo, hi;
    fx_ratio_init(&lo);
    fx_ratio_init(&hi);
    bool known = g_hash_table_lookup_extended(r->by_pair, key, NULL, &at);
    g = known ? r->ranges[GPOINTER_TO_SIZE(at)] : NULL;
    if (!g || !g->out.empty) /* an empty range stays empty: no interval to work out */
        rate_range(&lo, &hi, &c->amount, &f->reported, &r->o.tolerance);
    if (g) {
        if (!g->out.empty) {
            if (fx_packed_cmp(&lo, &g->lo) > 0)
                fx_packed_set(&g->lo, &lo);
            if (fx_packed_cmp(&hi, &g->hi) < 0)
                fx_packed_set(&g->hi, &hi);
            fx_packed_get(&lo, &g->lo);
            g->out.empty = fx_packed_cmp(&lo, &g->hi) > 0;
        }
    } else {
        g = fx_xcalloc(1, sizeof *g);
        g->out.source = source;
        g->out.from = f->fig.ccy;
        g->out.to = k->reported_ccy;
        fx_packed_init(&g->lo);
        fx_packed_init(&g->hi);
        fx_packed_set(&g->lo, &lo);
        fx_packed_set(&g->hi, &hi);
        g->first = g->last = c->valuation;
        r->ranges = fx_xgrow(r->ranges, &r->capranges, r->nranges + 1, sizeof(range *));
        g_hash_table_insert(r->by_pair, g_strdup(key), GSIZE_TO_POINTER(r->nranges));
        r->ranges[r->nranges++] = g;
    }
    g->out.conversions++;
    if (c->valuation < g->first)
        g->first = c->valuation;
    if (c->valuation > g->last)
        g->last = c->valuation;
    fx_ratio_clear(&lo);
    fx_ratio_clear(&hi);
}

void fx_explain_run_fact(fx_explain_run *r, const fx_converted *c, const fx_check *k,
                         fx_audit_ref ref, uint64_t conv_no)
{
    const fx_fact *f = c->fact;
    bool present = k && k->present;
    if (present)
        r->nconv = conv_no + 1;
    if (r->off)
        return; /* every conversion reads as explained plainly */
    bool value = f->fig.kind == FX_KIND_MONEY;
    bool rep = present && f->reported.kind == FX_KIND_MONEY;
    if (!value && !rep)
        return;
    fig_rec h;
    memset(&h, 0, sizeof h); /* no stray padding bytes in the spool */
    h.claim = ref.claim;
    h.source = ref.source;
    h.valuation = (int32_t)c->valuation;
    h.published = (int32_t)f->published;
    h.conv_no = present && k->priced && value ? conv_no : NO_CONV;
    h.scale = f->fig.scale;
    h.rep_scale = rep ? f->reported.scale : 0;
    h.has_value = value;
    h.has_rep = rep;
    memcpy(h.ccy, f->fig.ccy.s, sizeof h.ccy);
    if (rep)
        memcpy(h.rep_ccy, f->reported.ccy.s, sizeof h.rep_ccy);
    char v[FX_DEC_STR_MAX], rv[FX_DEC_STR_MAX];
    int vn = fx_dec_to_str(&f->fig.value, v, sizeof v);
    int rn = rep ? fx_dec_to_str(&f->reported.value, rv, sizeof rv) : 0;
    fx_spool_field fl[F_N] = {
        [F_HDR] = {&h, sizeof h},
        [F_ID] = {f->fact_id.s, f->fact_id.len},
        [F_VALUE] = {v, vn > 0 ? (size_t)vn : 0},
        [F_REP] = {rv, rn > 0 ? (size_t)rn : 0},
    };
    size_t bucket = bucket_of(ref.claim);
    if (bucket >= r->nbuckets) {
        r->figs = fx_xrealloc(r->figs, (bucket + 1) * sizeof(fx_spool *));
        for (; r->nbuckets <= bucket; r->nbuckets++)
            r->figs[r->nbuckets] = fx_spool_new_sized(r->tmpdir, 8192); /* many at once */
    }
    fx_spool_put(r->figs[bucket], fl, F_N); /* sticky: finish reports it */
    r->per_claim = fx_xgrow(r->per_claim, &r->capclaims, (size_t)ref.claim + 1,
                            sizeof *r->per_claim);
    while (r->nclaims <= ref.claim)
        r->per_claim[r->nclaims++] = 0;
    r->per_claim[ref.claim]++;
    if (k && h.conv_no != NO_CONV && !fx_ccy_eq(f->fig.ccy, k->reported_ccy) &&
        fx_dec_sgn(&c->amount) != 0)
        add_to_range(r, c, k, ref.source);
}

/* ---- the finish: a pass of claims at a time ---- */

typedef struct {
    fig_rec h;
    uint32_t id, id_len, v, v_len, rv, rv_len; /* in the pass's bytes */
} pass_rec;

/* A figure of the claim being explained. */
typedef struct {
    fx_ccy ccy;
    fx_dec *amount;
    const char *fact_id;
    bool reported;
    fx_day published;
    uint32_t source;
    size_t shown; /* offset in the claim's shown bytes */
} figure;

typedef struct {
    pass_rec *recs;
    size_t caprecs;
    char *bytes;
    size_t nbytes, capbytes;
    size_t *at;
    size_t capat;
    figure *figs;
    size_t capfigs;
    fx_dec **decs; /* a pool, each initialized once (pointers stay put as it grows) */
    size_t capdecs;
    char *shown;
    size_t nshown, capshown;
    fx_base *bases;
    size_t capbases;
} pass_buf;

static fx_dec *pool_dec(pass_buf *b, size_t i)
{
    if (i >= b->capdecs) {
        size_t cap = b->capdecs ? 2 * b->capdecs : 64;
        while (cap <= i)
            cap *= 2;
        b->decs = fx_xrealloc(b->decs, cap * sizeof(fx_dec *));
        for (size_t k = b->capdecs; k < cap; k++) {
            b->decs[k] = fx_xmalloc(sizeof **b->decs);
            fx_dec_init(b->decs[k]);
        }
        b->capdecs = cap;
    }
    return b->decs[i];
}

static uint32_t keep_bytes(pass_buf *b, const fx_spool_field *f)
{
    b->bytes = fx_xgrow(b->bytes, &b->capbytes, b->nbytes + f->len + 1, 1);
    memcpy(b->bytes + b->nbytes, f->p, f->len);
    b->bytes[b->nbytes + f->len] = '\0';
    uint32_t at = (uint32_t)b->nbytes;
    b->nbytes += f->len + 1;
    return at;
}

static bool gather(fx_explain_run *r, pass_buf *b, size_t c0, size_t c1, size_t n)
{
    b->recs = fx_xgrow(b->recs, &b->caprecs, n ? n : 1, sizeof *b->recs);
    b->at = fx_xgrow(b->at, &b->capat, c1 - c0, sizeof *b->at);
    size_t sum = 0;
    for (size_t c = c0; c < c1; c++) {
        b->at[c - c0] = sum;
        sum += r->per_claim[c];
    }
    b->nbytes = 0;
    fx_spool *sp = r->figs[bucket_of(c0)]; /* c0 .. c1 - 1 are in one bucket */
    if (!fx_spool_rewind(sp))
        return false;
    const fx_spool_field *f;
    size_t nf;
    int got;
    while ((got = fx_spool_next(sp, &f, &nf)) == 1) {
        fig_rec h;
        if (nf != F_N || f[F_HDR].len != sizeof h)
            return false;
        memcpy(&h, f[F_HDR].p, sizeof h);
        if (h.claim < c0 || h.claim >= c1)
            continue;
        pass_rec *p = &b->recs[b->at[h.claim - c0]++];
        p->h = h;
        p->id_len = (uint32_t)f[F_ID].len;
        p->id = keep_bytes(b, &f[F_ID]);
        p->v_len = (uint32_t)f[F_VALUE].len;
        p->v = keep_bytes(b, &f[F_VALUE]);
        p->rv_len = (uint32_t)f[F_REP].len;
        p->rv = keep_bytes(b, &f[F_REP]);
    }
    return got == 0;
}

static int figure_cmp(const void *pa, const void *pb)
{
    const figure *a = pa, *b = pb;
    int c = strcmp(a->ccy.s, b->ccy.s);
    if (c == 0)
        c = fx_dec_cmp(a->amount, b->amount);
    if (c == 0)
        c = strcmp(a->fact_id, b->fact_id);
    if (c == 0)
        c = (int)a->reported - (int)b->reported;
    return c;
}

static bool parse_amount(fx_dec *out, const char *s, size_t len, int scale)
{
    if (fx_dec_parse(out, s, len) != FX_DEC_OK)
        return false;
    fx_dec_shift(out, scale);
    return true;
}

static void add_figure(pass_buf *b, size_t *n, const pass_rec *p, bool reported, const char *ccy)
{
    const char *s = b->bytes + (reported ? p->rv : p->v);
    size_t len = reported ? p->rv_len : p->v_len;
    fx_dec *amount = pool_dec(b, *n);
    if (!parse_amount(amount, s, len, reported ? p->h.rep_scale : p->h.scale))
        return; /* cannot happen: the text fx_dec_to_str wrote */
    b->figs = fx_xgrow(b->figs, &b->capfigs, *n + 1, sizeof *b->figs);
    figure *g = &b->figs[*n];
    memcpy(g->ccy.s, ccy, sizeof g->ccy.s);
    g->amount = amount;
    g->fact_id = b->bytes + p->id;
    g->reported = reported;
    g->published = p->h.published;
    g->source = p->h.source;
    const char *word = fx_scale_name(reported ? p->h.rep_scale : p->h.scale);
    size_t need = len + strlen(word) + 2;
    b->shown = fx_xgrow(b->shown, &b->capshown, b->nshown + need, 1);
    g->shown = b->nshown;
    b->nshown += (size_t)snprintf(b->shown + b->nshown, need, "%.*s%s%s", (int)len, s,
                                  *word ? " " : "", word) + 1;
    (*n)++;
}

static bool store(fx_explain_run *r, uint64_t conv_no, const fx_explanation *e)
{
    size_t n = fx_explanation_size(e);
    char *text = fx_xmalloc(n);
    fx_explanation_text(e, text, n);
    result *res = &r->results[conv_no];
    res->off = fx_spool_offset(r->texts);
    res->alternatives = (uint32_t)e->alternatives;
    res->found = e->found;
    res->assumptions = (uint8_t)fx_explanation_assumptions(e);
    res->done = 1;
    fx_spool_field fl = {text, strlen(text)};
    bool ok = fx_spool_put(r->texts, &fl, 1);
    free(text);
    return ok;
}

/* The claim's conversions: recs[0..n) are its money facts, input order. */
static bool explain_claim(fx_explain_run *r, pass_buf *b, const fx_audit *a, const pass_rec *recs,
                          size_t n)
{
    size_t nf = 0;
    b->nshown = 0;
    for (size_t i = 0; i < n; i++) {
        if (recs[i].h.has_value)
            add_figure(b, &nf, &recs[i], false, recs[i].h.ccy);
        if (recs[i].h.has_rep)
            add_figure(b, &nf, &recs[i], true, recs[i].h.rep_ccy);
    }
    if (nf)
        qsort(b->figs, nf, sizeof *b->figs, figure_cmp);
    fx_dec *amount = pool_dec(b, nf);
    fx_figure rep;
    memset(&rep, 0, sizeof rep);
    fx_dec_init(&rep.value);
    for (size_t i = 0; i < n; i++) {
        const pass_rec *p = &recs[i];
        if (p->h.conv_no == NO_CONV)
            continue;
        if (p->h.conv_no >= r->nconv) {
            fx_dec_clear(&rep.value);
            return false;
        }
        fx_ccy A, B;
        memcpy(A.s, p->h.ccy, sizeof A.s);
        memcpy(B.s, p->h.rep_ccy, sizeof B.s);
        fx_day d = p->h.valuation;
        /* the distinct third-currency figures published by D, each named
         * after its first fact (the figures are sorted so) */
        b->bases = fx_xgrow(b->bases, &b->capbases, nf + 1, sizeof *b->bases);
        size_t nb = 0;
        for (size_t j = 0; j < nf;) {
            size_t k = j + 1;
            while (k < nf && fx_ccy_eq(b->figs[k].ccy, b->figs[j].ccy) &&
                   fx_dec_cmp(b->figs[k].amount, b->figs[j].amount) == 0)
                k++;
            if (!fx_ccy_eq(b->figs[j].ccy, A) && !fx_ccy_eq(b->figs[j].ccy, B))
                for (size_t m = j; m < k; m++)
                    if (b->figs[m].published <= d) {
                        const figure *g = &b->figs[m];
                        b->bases[nb++] = (fx_base){g->ccy, g->amount, g->fact_id, g->reported,
                                                   b->shown + g->shown,
                                                   fx_audit_source(a, g->source)->source};
                        break;
                    }
            j = k;
        }
        if (!parse_amount(amount, b->bytes + p->v, p->v_len, p->h.scale) ||
            fx_dec_parse(&rep.value, b->bytes + p->rv, p->rv_len) != FX_DEC_OK) {
            fx_dec_clear(&rep.value);
            return false;
        }
        rep.scale = p->h.rep_scale;
        rep.kind = FX_KIND_MONEY;
        rep.ccy = B;
        fx_explain_in in = {d, A, B, amount, &rep, b->bases, nb};
        fx_explanation e;
        fx_explain(r->x, &in, &e);
        if (!store(r, p->h.conv_no, &e)) {
            fx_dec_clear(&rep.value);
            return false;
        }
    }
    fx_dec_clear(&rep.value);
    return true;
}

/* 10 significant digits of q, rounded down (up false) or up. */
static void sig_bound(fx_ratio *q, bool up, char *buf, size_t n)
{
    if (fx_ratio_sgn(q) == 0) {
        snprintf(buf, n, "0");
        return;
    }
    double d = fabs(fx_ratio_to_double(q));
    long e = (long)floor(log10(d));
    fx_ratio p, aq;
    fx_ratio_init(&p);
    fx_ratio_init(&aq);
    fx_ratio_set(&aq, q);
    if (fx_ratio_sgn(&aq) < 0)
        fx_ratio_mul_si(&aq, -1);
    for (int fix = 0; fix < 2; fix++) { /* e exactly: 10^e <= |q| < 10^(e+1) */
        fx_ratio_set_small(&p, (fx_small){1, (int32_t)(e + 1)});
        if (fx_ratio_cmp(&aq, &p) >= 0)
            e++;
        fx_ratio_set_small(&p, (fx_small){1, (int32_t)e});
        if (fx_ratio_cmp(&aq, &p) < 0)
            e--;
    }
    int places = (int)(9 - e);
    fx_dec t;
    fx_dec_init(&t);
    if (places >= 0) {
        fx_ratio_round(&t, q, places, FX_ROUND_DOWN); /* toward zero */
        bool away = up == (fx_ratio_sgn(q) > 0);   /* the bound is away from zero */
        if (away && fx_ratio_cmp_dec(q, &t) != 0) {
            fx_dec ulp;
            fx_dec_init(&ulp);
            fx_dec_parse(&ulp, fx_ratio_sgn(q) > 0 ? "1" : "-1", 2 - (fx_ratio_sgn(q) > 0));
            fx_dec_shift(&ulp, -places);
            fx_dec_add(&t, &t, &ulp);
            fx_dec_clear(&ulp);
        }
        fx_dec_to_str(&t, buf, n);
    } else { /* rates of 10^10 and more: whole numbers */
        fx_ratio_to_sig(q, 10, buf, n);
    }
    fx_dec_clear(&t);
    fx_ratio_clear(&p);
    fx_ratio_clear(&aq);
}

typedef struct {
    const range *g;
    const char *provider;
    GString *s;
    size_t n;
    fx_ratio v;
} days_ctx;

static void on_range_day(void *ctx, const fx_priced *p)
{
    days_ctx *c = ctx;
    fx_ratio_set_quot(&c->v, p->num, p->den);
    if (fx_packed_cmp(&c->v, &c->g->lo) < 0 || fx_packed_cmp(&c->v, &c->g->hi) > 0)
        return;
    char day[11];
    fx_date_format(p->day, day);
    g_string_append_printf(c->s, "%s%s %s", c->n ? ";" : "", c->provider, day);
    c->n++;
}

static int range_cmp(const void *pa, const void *pb)
{
    const range *a = *(const range *const *)pa, *b = *(const range *const *)pb;
    if (a->out.source != b->out.source)
        return a->out.source < b->out.source ? -1 : 1;
    int c = strcmp(a->out.from.s, b->out.from.s);
    return c ? c : strcmp(a->out.to.s, b->out.to.s);
}

static void finish_ranges(fx_explain_run *r)
{
    if (r->nranges)
        qsort(r->ranges, r->nranges, sizeof(range *), range_cmp);
    for (size_t i = 0; i < r->nranges; i++) {
        range *g = r->ranges[i];
        days_ctx c;
        c.g = g;
        c.provider = NULL;
        c.s = g_string_new(NULL);
        c.n = 0;
        fx_ratio_init(&c.v);
        if (!g->out.empty) {
            char low[64], high[64];
            fx_packed_get(&c.v, &g->lo);
            sig_bound(&c.v, false, low, sizeof low);
            fx_packed_get(&c.v, &g->hi);
            sig_bound(&c.v, true, high, sizeof high);
            g->out.low = fx_xstrdup(low);
            g->out.high = fx_xstrdup(high);
            for (size_t p = 0; p < fx_explainer_providers(r->x); p++) {
                c.provider = fx_explainer_provider(r->x, p);
                fx_rates_each_day_of(r->t, c.provider, g->out.from, g->out.to,
                                     g->first - (fx_day)r->o.infer_window, g->last,
                                     on_range_day, &c);
            }
        }
        fx_ratio_clear(&c.v);
        g->out.ndays = c.n;
        g->out.days = g_string_free(c.s, FALSE);
    }
}

/* The results go to a nameless file and leave memory before the book
 * is written (its peak): 16 bytes a conversion, read back a block at a
 * time in conversion order. */
static bool park_results(fx_explain_run *r)
{
    r->results_fd = open(r->tmpdir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (r->results_fd < 0)
        return true; /* no such file system: they stay in memory */
    const char *p = (const char *)r->results;
    size_t left = r->nconv * sizeof *r->results;
    while (left > 0) {
        ssize_t k = write(r->results_fd, p, left);
        if (k <= 0) {
            close(r->results_fd);
            r->results_fd = -1;
            return true; /* kept in memory */
        }
        p += k;
        left -= (size_t)k;
    }
    free(r->results);
    r->results = NULL;
    return true;
}

/* Conversion conv_no's result, from memory or its file; NULL if unread. */
static const result *result_of(fx_explain_run *r, uint64_t conv_no)
{
    if (r->results)
        return &r->results[conv_no];
    if (r->results_fd < 0)
        return NULL;
    if (conv_no < r->block_first || conv_no >= r->block_first + r->block_n) {
        uint64_t first = conv_no - conv_no % (sizeof r->block / sizeof *r->block);
        ssize_t k = pread(r->results_fd, r->block, sizeof r->block, (off_t)(first * sizeof *r->block));
        if (k < (ssize_t)sizeof *r->block)
            return NULL;
        r->block_first = first;
        r->block_n = (uint64_t)k / sizeof *r->block;
        if (conv_no >= first + r->block_n)
            return NULL;
    }
    return &r->block[conv_no - r->block_first];
}

fx_status fx_explain_run_finish(fx_explain_run *r, const fx_audit *a, fx_diags *d)
{
    r->results = fx_xcalloc(r->nconv ? r->nconv : 1, sizeof *r->results);
    pass_buf b = {0};
    bool ok = true;
    for (size_t c0 = 0; c0 < r->nclaims && ok;) {
        size_t c1 = c0, n = 0, end = bucket_end(bucket_of(c0));
        while (c1 < r->nclaims && c1 < end && (c1 == c0 || n + r->per_claim[c1] <= PASS))
            n += r->per_claim[c1++];
        ok = gather(r, &b, c0, c1, n);
        for (size_t c = c0, first = 0; c < c1 && ok; c++) {
            ok = explain_claim(r, &b, a, b.recs + first, r->per_claim[c]);
            first += r->per_claim[c];
        }
        c0 = c1;
    }
    ok = ok && fx_spool_rewind(r->texts);
    free(b.recs);
    free(b.bytes);
    free(b.at);
    free(b.figs);
    for (size_t i = 0; i < b.capdecs; i++) {
        fx_dec_clear(b.decs[i]);
        free(b.decs[i]);
    }
    free(b.decs);
    free(b.shown);
    free(b.bases);
    finish_ranges(r);
    ok = ok && park_results(r);
    fx_status st = FX_OK;
    if (!ok) {
        const char *why = fx_spool_error(r->texts) ? fx_spool_error(r->texts)
                                                   : "a temporary record is damaged";
        for (size_t i = 0; i < r->nbuckets; i++)
            if (fx_spool_error(r->figs[i])) {
                why = fx_spool_error(r->figs[i]);
                break;
            }
        st = fx_diag_status(d, FX_E_IO, (fx_pos){0}, "explanations: %s", why);
    }
    for (size_t i = 0; i < r->nbuckets; i++) /* read: their buffers go before the book's peak */
        fx_spool_free(r->figs[i]);
    r->nbuckets = 0;
    return st;
}

bool fx_explain_run_get(fx_explain_run *r, uint64_t conv_no, fx_explained *out)
{
    memset(out, 0, sizeof *out);
    out->text = "unexplained";
    if (r && r->off) {
        out->found = true;
        out->text = "(explanations switched off)";
        return true;
    }
    if (!r || conv_no >= r->nconv)
        return true;
    const result *res = result_of(r, conv_no);
    if (!res) {
        out->text = "(a temporary record could not be read)";
        return false;
    }
    if (!res->done)
        return true; /* not a priced conversion: nothing was searched */
    const fx_spool_field *f;
    size_t nf;
    if (!fx_spool_seek(r->texts, res->off) || fx_spool_next(r->texts, &f, &nf) != 1 || nf != 1) {
        out->text = "(a temporary record could not be read)";
        return false;
    }
    r->text = fx_xgrow(r->text, &r->captext, f[0].len + 1, 1);
    memcpy(r->text, f[0].p, f[0].len);
    r->text[f[0].len] = '\0';
    out->text = r->text;
    out->found = res->found;
    out->assumptions = res->assumptions;
    out->alternatives = res->alternatives;
    return true;
}

size_t fx_explain_run_ranges(const fx_explain_run *r)
{
    return r->nranges;
}

const fx_implied *fx_explain_run_range(const fx_explain_run *r, size_t i)
{
    return i < r->nranges ? &r->ranges[i]->out : NULL;
}
