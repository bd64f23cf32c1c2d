/* audit - reported conversions checked exactly against the rates, and
 * per-claim agreement of the sources' intervals (SPEC 5). Invariant: every
 * comparison is exact (rationals); nothing is decided on a double. */
#include "audit.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

static const char *const verdict_names[] = {"consistent", "close", "inconsistent", "unverifiable"};
static const char *const claim_verdict_names[] = {"single", "agree", "disagree"};

const char *fx_verdict_name(fx_verdict v)
{
    return verdict_names[v];
}

const char *fx_claim_verdict_name(fx_claim_verdict v)
{
    return claim_verdict_names[v];
}

void fx_interval_init(fx_interval *iv)
{
    fx_ratio_init(&iv->lo);
    fx_ratio_init(&iv->hi);
    iv->has_lo = iv->has_hi = false;
}

void fx_interval_clear(fx_interval *iv)
{
    fx_ratio_clear(&iv->lo);
    fx_ratio_clear(&iv->hi);
}

void fx_interval_of(fx_interval *iv, const fx_figure *fig, fx_qual q, const fx_dec *tolerance)
{
    fx_dec v, h, t;
    fx_dec_init(&v);
    fx_dec_init(&h);
    fx_dec_init(&t);
    fx_figure_amount(&v, fig);
    fx_dec_half_ulp(&h, &fig->value);
    fx_dec_shift(&h, fig->scale);
    fx_dec_sub(&t, &v, &h);
    fx_ratio_set_dec(&iv->lo, &t);
    fx_dec_add(&t, &v, &h);
    fx_ratio_set_dec(&iv->hi, &t);
    iv->has_lo = q != FX_QUAL_AT_MOST;
    iv->has_hi = q != FX_QUAL_AT_LEAST;
    if (q == FX_QUAL_ABOUT) { /* widen by tolerance% of |v| on each side */
        fx_ratio w, pct;
        fx_ratio_init(&w);
        fx_ratio_init(&pct);
        fx_ratio_set_dec(&w, &v);
        if (fx_ratio_sgn(&w) < 0)
            fx_ratio_mul_si(&w, -1);
        fx_ratio_set_dec(&pct, tolerance);
        fx_ratio_mul(&w, &w, &pct);
        fx_ratio_set_small(&pct, (fx_small){1, -2});
        fx_ratio_mul(&w, &w, &pct);
        fx_ratio_sub(&iv->lo, &iv->lo, &w);
        fx_ratio_add(&iv->hi, &iv->hi, &w);
        fx_ratio_clear(&w);
        fx_ratio_clear(&pct);
    }
    fx_dec_clear(&v);
    fx_dec_clear(&h);
    fx_dec_clear(&t);
}

static bool in_interval(const fx_interval *iv, const fx_ratio *x)
{
    return (!iv->has_lo || fx_ratio_cmp(x, &iv->lo) >= 0) &&
           (!iv->has_hi || fx_ratio_cmp(x, &iv->hi) <= 0);
}

/* ---- one reported conversion ---- */

void fx_check_init(fx_check *k)
{
    memset(k, 0, sizeof *k);
    fx_dec_init(&k->reported);
    fx_ratio_init(&k->computed);
    fx_dec_init(&k->computed_rounded);
    fx_ratio_init(&k->deviation_pct);
}

void fx_check_clear(fx_check *k)
{
    fx_dec_clear(&k->reported);
    fx_ratio_clear(&k->computed);
    fx_dec_clear(&k->computed_rounded);
    fx_ratio_clear(&k->deviation_pct);
    free(k->days);
}

typedef struct {
    fx_check *k;
    const fx_dec *amount;
    const fx_interval *iv;
    double amount_d, lo_d, hi_d; /* approximations, for the interval test */
    fx_ratio scratch;
} day_ctx;

static double small_approx(fx_small s)
{
    double v = (double)s.coef;
    for (int32_t e = s.exp; e > 0; e--)
        v *= 10;
    for (int32_t e = s.exp; e < 0; e++)
        v /= 10;
    return v;
}

/* The interval test on the rate, in doubles: decides the clear cases
 * (relative error below 1e-14 against a margin of 1e-9) and leaves only
 * days whose conversion lands within a hair of a bound to exact
 * arithmetic. Returns -1 outside, 1 inside, 0 undecided. */
static int approx_test(const day_ctx *m, const fx_priced *p)
{
    double x = m->amount_d * small_approx(p->num) / small_approx(p->den);
    if (!isfinite(x) || !isfinite(m->lo_d) || !isfinite(m->hi_d))
        return 0;
    double margin = 1e-9 * (fabs(x) + fabs(m->lo_d) + fabs(m->hi_d));
    if (x < m->lo_d - margin || x > m->hi_d + margin)
        return -1;
    if (x > m->lo_d + margin && x < m->hi_d - margin)
        return 1;
    return 0;
}

static void match_day(void *ctx, const fx_priced *p)
{
    day_ctx *m = ctx;
    int t = approx_test(m, p);
    if (t < 0)
        return;
    if (t == 0) {
        fx_ratio_set_convert(&m->scratch, m->amount, p->num, p->den);
        if (!in_interval(m->iv, &m->scratch))
            return;
    }
    fx_check *k = m->k;
    if (k->ndays == k->capdays) {
        k->capdays = k->capdays ? 2 * k->capdays : 8;
        k->days = fx_xrealloc(k->days, k->capdays * sizeof *k->days);
    }
    k->days[k->ndays++] = p->day;
}

void fx_audit_check(fx_check *k, const fx_converted *c, const fx_rate_table *t,
                    const fx_audit_opts *o)
{
    const fx_fact *f = c->fact;
    k->present = f->has_reported;
    k->ndays = 0;
    k->has_deviation = false;
    if (!k->present)
        return;
    fx_figure_amount(&k->reported, &f->reported);
    k->reported_ccy = f->reported.ccy;
    k->priced = fx_rates_lookup(t, f->fig.ccy, k->reported_ccy, c->valuation, &o->lookup, &k->rate,
                                NULL, 0) == FX_LOOKUP_OK;
    if (!k->priced) {
        k->verdict = FX_V_UNVERIFIABLE;
        return;
    }
    fx_ratio_set_convert(&k->computed, &c->amount, k->rate.num, k->rate.den);
    fx_ratio_round(&k->computed_rounded, &k->computed, o->places, o->rounding);

    fx_interval iv;
    fx_interval_init(&iv);
    fx_interval_of(&iv, &f->reported, FX_QUAL_NONE, &o->tolerance);
    if (fx_ratio_sgn(&k->computed) != 0) {
        fx_ratio_set_dec(&k->deviation_pct, &k->reported);
        fx_ratio_sub(&k->deviation_pct, &k->deviation_pct, &k->computed);
        fx_ratio_div(&k->deviation_pct, &k->deviation_pct, &k->computed);
        fx_ratio_mul_si(&k->deviation_pct, 100);
        k->has_deviation = true;
    }
    if (in_interval(&iv, &k->computed))
        k->verdict = FX_V_CONSISTENT;
    else {
        bool close = false;
        if (k->has_deviation) {
            fx_ratio a, tol;
            fx_ratio_init(&a);
            fx_ratio_init(&tol);
            fx_ratio_set(&a, &k->deviation_pct);
            if (fx_ratio_sgn(&a) < 0)
                fx_ratio_mul_si(&a, -1);
            fx_ratio_set_dec(&tol, &o->tolerance);
            close = fx_ratio_cmp(&a, &tol) <= 0;
            fx_ratio_clear(&a);
            fx_ratio_clear(&tol);
        }
        k->verdict = close ? FX_V_CLOSE : FX_V_INCONSISTENT;
    }
    day_ctx m;
    m.k = k;
    m.amount = &c->amount;
    m.iv = &iv;
    m.amount_d = fx_dec_to_double(&c->amount);
    m.lo_d = fx_ratio_to_double(&iv.lo);
    m.hi_d = fx_ratio_to_double(&iv.hi);
    fx_ratio_init(&m.scratch);
    fx_rates_each_day(t, f->fig.ccy, k->reported_ccy, c->valuation - (fx_day)o->infer_window,
                      c->valuation, match_day, &m);
    fx_ratio_clear(&m.scratch);
    fx_interval_clear(&iv);
}

/* ---- aggregates ---- */

struct fx_audit {
    fx_audit_opts o;
    fx_convert_opts co;
    fx_arena *arena;
    GHashTable *claim_ix;  /* claim -> index + 1 */
    GHashTable *source_ix; /* source -> index + 1 */
    fx_claim *claims;
    size_t nclaims, capclaims;
    fx_source *sources;
    size_t nsources, capsources;
    fx_audit_counts counts;
    fx_interval iv; /* scratch */
    fx_ratio point; /* scratch */
};

fx_audit *fx_audit_new(const fx_audit_opts *o, const fx_convert_opts *co)
{
    fx_audit *a = fx_xcalloc(1, sizeof *a);
    a->o = *o;
    a->co = *co;
    a->arena = fx_arena_new();
    a->claim_ix = g_hash_table_new(g_str_hash, g_str_equal);
    a->source_ix = g_hash_table_new(g_str_hash, g_str_equal);
    fx_interval_init(&a->iv);
    fx_ratio_init(&a->point);
    return a;
}

void fx_audit_free(fx_audit *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nclaims; i++) {
        fx_claim *c = &a->claims[i];
        for (size_t j = 0; j < c->nsources; j++) {
            fx_dec_clear(&c->by_source[j].first);
            free(c->by_source[j].ids);
        }
        free(c->by_source);
        fx_ratio_clear(&c->min);
        fx_ratio_clear(&c->max);
        fx_interval_clear(&c->common);
    }
    free(a->claims);
    free(a->sources);
    g_hash_table_destroy(a->claim_ix);
    g_hash_table_destroy(a->source_ix);
    fx_arena_free(a->arena);
    fx_interval_clear(&a->iv);
    fx_ratio_clear(&a->point);
    free(a);
}

static char *keep(fx_audit *a, fx_text t)
{
    return fx_arena_strndup(a->arena, t.s, t.len);
}

static unsigned source_index(fx_audit *a, const fx_fact *f)
{
    char key[80];
    snprintf(key, sizeof key, "%.*s", (int)f->source.len, f->source.s);
    size_t ix = GPOINTER_TO_SIZE(g_hash_table_lookup(a->source_ix, key));
    if (!ix) {
        if (a->nsources == a->capsources) {
            a->capsources = a->capsources ? 2 * a->capsources : 16;
            a->sources = fx_xrealloc(a->sources, a->capsources * sizeof *a->sources);
        }
        fx_source *s = &a->sources[a->nsources++];
        *s = (fx_source){keep(a, f->source), f->published, 0, (unsigned)f->input};
        g_hash_table_insert(a->source_ix, s->source, GSIZE_TO_POINTER(a->nsources));
        ix = a->nsources;
    }
    a->sources[ix - 1].facts++;
    return (unsigned)(ix - 1);
}

static fx_claim *claim_for(fx_audit *a, const fx_converted *c)
{
    const fx_fact *f = c->fact;
    char key[80];
    snprintf(key, sizeof key, "%.*s", (int)f->claim.len, f->claim.s);
    size_t ix = GPOINTER_TO_SIZE(g_hash_table_lookup(a->claim_ix, key));
    if (ix)
        return &a->claims[ix - 1];
    if (a->nclaims == a->capclaims) {
        a->capclaims = a->capclaims ? 2 * a->capclaims : 16;
        a->claims = fx_xrealloc(a->claims, a->capclaims * sizeof *a->claims);
    }
    fx_claim *cl = &a->claims[a->nclaims++];
    memset(cl, 0, sizeof *cl);
    cl->claim = keep(a, f->claim);
    cl->entity = keep(a, f->entity);
    cl->kind = f->fig.kind;
    if (a->co.ntargets)
        cl->unit_ccy = a->co.targets[0];
    fx_ratio_init(&cl->min);
    fx_ratio_init(&cl->max);
    fx_interval_init(&cl->common);
    cl->common.has_lo = cl->common.has_hi = false;
    g_hash_table_insert(a->claim_ix, cl->claim, GSIZE_TO_POINTER(a->nclaims));
    return cl;
}

/* The fact's interval in the claim's unit: money times its first target's rate. */
static void normalized_interval(fx_audit *a, const fx_converted *c)
{
    const fx_fact *f = c->fact;
    fx_interval_of(&a->iv, &f->fig, f->qual, &a->o.tolerance);
    if (f->fig.kind == FX_KIND_MONEY && c->nconv) {
        fx_ratio r;
        fx_ratio_init(&r);
        fx_ratio_set_quot(&r, c->conv[0].priced.num, c->conv[0].priced.den);
        fx_ratio_mul(&a->iv.lo, &a->iv.lo, &r);
        fx_ratio_mul(&a->iv.hi, &a->iv.hi, &r);
        fx_ratio_clear(&r);
    }
}

static void intersect(fx_claim *cl, const fx_interval *iv, bool first)
{
    if (first) {
        fx_ratio_set(&cl->common.lo, &iv->lo);
        fx_ratio_set(&cl->common.hi, &iv->hi);
        cl->common.has_lo = iv->has_lo;
        cl->common.has_hi = iv->has_hi;
        return;
    }
    if (iv->has_lo && (!cl->common.has_lo || fx_ratio_cmp(&iv->lo, &cl->common.lo) > 0)) {
        fx_ratio_set(&cl->common.lo, &iv->lo);
        cl->common.has_lo = true;
    }
    if (iv->has_hi && (!cl->common.has_hi || fx_ratio_cmp(&iv->hi, &cl->common.hi) < 0)) {
        fx_ratio_set(&cl->common.hi, &iv->hi);
        cl->common.has_hi = true;
    }
}

void fx_audit_add(fx_audit *a, const fx_converted *c, const fx_check *k)
{
    const fx_fact *f = c->fact;
    a->counts.facts++;
    if (f->fig.kind == FX_KIND_MONEY)
        a->counts.money_facts++;
    if (k && k->present) {
        a->counts.conversions++;
        a->counts.verdicts[k->verdict]++;
    }
    unsigned src = source_index(a, f);
    fx_claim *cl = claim_for(a, c);
    bool money = f->fig.kind == FX_KIND_MONEY && c->nconv;
    if (money)
        fx_ratio_set(&a->point, &c->conv[0].exact);
    else
        fx_ratio_set_dec(&a->point, &c->amount);
    if (cl->facts == 0 || fx_ratio_cmp(&a->point, &cl->min) < 0)
        fx_ratio_set(&cl->min, &a->point);
    if (cl->facts == 0 || fx_ratio_cmp(&a->point, &cl->max) > 0)
        fx_ratio_set(&cl->max, &a->point);
    normalized_interval(a, c);
    intersect(cl, &a->iv, cl->facts == 0);
    cl->facts++;

    fx_claim_source *cs = NULL;
    for (size_t i = 0; i < cl->nsources; i++)
        if (cl->by_source[i].source == src)
            cs = &cl->by_source[i];
    if (!cs) {
        cl->by_source = fx_xrealloc(cl->by_source, (cl->nsources + 1) * sizeof *cl->by_source);
        cs = &cl->by_source[cl->nsources++];
        memset(cs, 0, sizeof *cs);
        cs->source = src;
        fx_dec_init(&cs->first);
        fx_dec_set(&cs->first, money ? &c->conv[0].rounded : &c->amount);
        cs->first_id = f->id_kept ? (char *)f->id_kept : keep(a, f->fact_id);
    }
    if (cs->nids < FX_IDS_KEPT) {
        cs->ids = fx_xrealloc(cs->ids, (cs->nids + 1) * sizeof *cs->ids);
        char *id = cs->nids == 0 ? cs->first_id
                   : f->id_kept ? (char *)f->id_kept /* borrowed from the fact_id index */
                                : keep(a, f->fact_id);
        cs->ids[cs->nids++] = id;
    } else
        cs->more++;
}

void fx_audit_finish(fx_audit *a)
{
    memset(a->counts.claims, 0, sizeof a->counts.claims);
    for (size_t i = 0; i < a->nclaims; i++) {
        fx_claim *cl = &a->claims[i];
        cl->empty = cl->common.has_lo && cl->common.has_hi &&
                    fx_ratio_cmp(&cl->common.lo, &cl->common.hi) > 0;
        cl->verdict = cl->facts == 1 ? FX_C_SINGLE : cl->empty ? FX_C_DISAGREE : FX_C_AGREE;
        a->counts.claims[cl->verdict]++;
    }
}

size_t fx_audit_nclaims(const fx_audit *a)
{
    return a->nclaims;
}

const fx_claim *fx_audit_claim(const fx_audit *a, size_t i)
{
    return &a->claims[i];
}

size_t fx_audit_nsources(const fx_audit *a)
{
    return a->nsources;
}

const fx_source *fx_audit_source(const fx_audit *a, size_t i)
{
    return &a->sources[i];
}

fx_audit_counts fx_audit_totals(const fx_audit *a)
{
    return a->counts;
}
