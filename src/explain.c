/* explain - the hypothesis search of SPEC 5.1 (explain.h). For each
 * provider and each base currency, one pass over the provider's rate
 * days of the pair gives every R in the window with its spot rate and its
 * month-to-date mean; each (R, basis) is then tested against each base
 * figure of that currency under both readings. Invariant: a hypothesis
 * explains exactly when base x rate lies in the reading's interval,
 * decided on rationals (doubles only settle cases far from an edge). */
#include "explain.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "mem.h"

/* An interval of the printed figure under one reading, exact, with its
 * nearest doubles for the quick test. */
typedef struct {
    fx_ratio lo, hi;
    bool lo_open, hi_open;
    double lo_d, hi_d;
} span;

/* One rate day of a provider's pair: every day from the month that holds
 * the window's first day, so that a mean can be summed exactly when a
 * double cannot decide (rarely: the exact mean is not kept). */
typedef struct {
    fx_day day;
    fx_small num, den;
    double spot_d;
    double avg_d;    /* mean of the month's days up to this one, nearest-ish */
    uint32_t first;  /* index of the first day of its month */
} rate_day;

typedef struct {
    int assumptions;
    fx_day day;
    size_t prank;
    bool chained, average, truncated, stale;
    const fx_base *via;
} hyp;

struct fx_explainer {
    const fx_rate_table *t;
    fx_rate_hull *hull; /* to skip the pairs no day of which can explain */
    long window;
    const char **providers; /* ranking order */
    size_t nproviders;
    rate_day *days;
    size_t ndays, capdays, from; /* days[from..ndays) are in the window */
    fx_ratio sum, one, x;
    fx_ratio *base_amounts; /* per base of the group being tested */
    double *amounts_d;      /* their nearest doubles */
    size_t capamounts_d;
    size_t capbases;
    span read[2]; /* nearest, truncated */
    /* the pass over a pair's days */
    int month;
    fx_day next_month; /* the first day after month */
    uint32_t month_first;
    double sum_d;
    fx_day lo;    /* the window's first day */
    fx_day walk;  /* the first day of its month: a walk starts there */
    fx_day d;     /* the valuation date, the window's last day */
};

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

fx_explainer *fx_explainer_new(const fx_rate_table *t, const fx_lookup_opts *order, long window)
{
    fx_explainer *x = fx_xcalloc(1, sizeof *x);
    x->t = t;
    x->hull = fx_rate_hull_new(t);
    x->window = window;
    size_t n = fx_rates_providers(t);
    x->providers = fx_xcalloc(n ? n : 1, sizeof *x->providers);
    const char *first[FX_MAX_PROVIDERS];
    size_t nfirst = 0;
    if (order && order->nproviders) {
        for (size_t i = 0; i < order->nproviders && nfirst < FX_MAX_PROVIDERS; i++)
            if (fx_rates_has_provider(t, order->providers[i]))
                first[nfirst++] = order->providers[i];
    } else {
        nfirst = fx_rates_default_providers(t, first, FX_MAX_PROVIDERS);
    }
    /* the order first (each once, as the table spells it), the rest by name */
    for (size_t i = 0; i < nfirst; i++)
        for (size_t k = 0; k < n; k++) {
            const char *p = fx_rates_provider(t, k);
            bool seen = false;
            for (size_t j = 0; j < x->nproviders; j++)
                seen = seen || x->providers[j] == p;
            if (!seen && strcmp(p, first[i]) == 0)
                x->providers[x->nproviders++] = p;
        }
    size_t ranked = x->nproviders;
    for (size_t k = 0; k < n; k++) {
        const char *p = fx_rates_provider(t, k);
        bool seen = false;
        for (size_t j = 0; j < ranked; j++)
            seen = seen || x->providers[j] == p;
        if (!seen)
            x->providers[x->nproviders++] = p;
    }
    qsort(x->providers + ranked, x->nproviders - ranked, sizeof *x->providers, by_name);
    fx_ratio_init(&x->sum);
    fx_ratio_init(&x->one);
    fx_ratio_init(&x->x);
    for (int i = 0; i < 2; i++) {
        fx_ratio_init(&x->read[i].lo);
        fx_ratio_init(&x->read[i].hi);
    }
    return x;
}

void fx_explainer_free(fx_explainer *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->capbases; i++)
        fx_ratio_clear(&x->base_amounts[i]);
    for (int i = 0; i < 2; i++) {
        fx_ratio_clear(&x->read[i].lo);
        fx_ratio_clear(&x->read[i].hi);
    }
    fx_ratio_clear(&x->sum);
    fx_ratio_clear(&x->one);
    fx_ratio_clear(&x->x);
    free(x->days);
    free(x->amounts_d);
    free(x->base_amounts);
    free(x->providers);
    fx_rate_hull_free(x->hull);
    free(x);
}

size_t fx_explainer_providers(const fx_explainer *x)
{
    return x->nproviders;
}

const char *fx_explainer_provider(const fx_explainer *x, size_t i)
{
    return i < x->nproviders ? x->providers[i] : NULL;
}

/* ---- the printed figure's readings ---- */

static void set_span(span *s, bool lo_open, bool hi_open)
{
    s->lo_open = lo_open;
    s->hi_open = hi_open;
    s->lo_d = fx_ratio_to_double(&s->lo);
    s->hi_d = fx_ratio_to_double(&s->hi);
}

/* nearest [v - h, v + h]; truncated toward zero: [v, v + 2h) for v > 0,
 * (v - 2h, v] for v < 0, (-2h, 2h) for v = 0 (docs/explanations.md). */
static void readings(fx_explainer *x, const fx_figure *fig)
{
    fx_dec v, h;
    fx_dec_init(&v);
    fx_dec_init(&h);
    fx_figure_amount(&v, fig);
    fx_dec_half_ulp(&h, &fig->value);
    fx_dec_shift(&h, fig->scale);
    fx_ratio hr;
    fx_ratio_init(&hr);
    fx_ratio_set_dec(&hr, &h);
    span *n = &x->read[0], *t = &x->read[1];
    fx_ratio_set_dec(&n->lo, &v);
    fx_ratio_sub(&n->lo, &n->lo, &hr);
    fx_ratio_set_dec(&n->hi, &v);
    fx_ratio_add(&n->hi, &n->hi, &hr);
    set_span(n, false, false);
    int sgn = fx_dec_sgn(&v);
    fx_ratio_mul_si(&hr, 2);
    fx_ratio_set_dec(&t->lo, &v);
    fx_ratio_set_dec(&t->hi, &v);
    if (sgn >= 0)
        fx_ratio_add(&t->hi, &t->hi, &hr);
    if (sgn <= 0)
        fx_ratio_sub(&t->lo, &t->lo, &hr);
    set_span(t, sgn <= 0, sgn >= 0);
    fx_ratio_clear(&hr);
    fx_dec_clear(&v);
    fx_dec_clear(&h);
}

/* -1 outside, 1 inside, 0 too near an edge to tell in doubles (the
 * audit's test: fx_approx_in). */
static int approx_in(const span *s, double v)
{
    return fx_approx_in(v, s->lo_d, s->hi_d);
}

static bool exact_in(const span *s, const fx_ratio *v)
{
    int a = fx_ratio_cmp(v, &s->lo), b = fx_ratio_cmp(v, &s->hi);
    return (s->lo_open ? a > 0 : a >= 0) && (s->hi_open ? b < 0 : b <= 0);
}

/* ---- a pair's rate days: spot and month-to-date mean ---- */

static fx_day month_start(fx_day d)
{
    int y, m, dd;
    fx_date_to_ymd(d, &y, &m, &dd);
    return fx_date_from_ymd(y, m, 1);
}

static void on_rate_day(void *ctx, const fx_priced *p)
{
    fx_explainer *x = ctx;
    if (x->month < 0 || p->day >= x->next_month) { /* days come ascending */
        int y, m, dd;
        fx_date_to_ymd(p->day, &y, &m, &dd);
        x->month = y * 12 + m;
        x->next_month = m == 12 ? fx_date_from_ymd(y + 1, 1, 1) : fx_date_from_ymd(y, m + 1, 1);
        x->month_first = (uint32_t)x->ndays;
        x->sum_d = 0;
    }
    x->days = fx_xgrow(x->days, &x->capdays, x->ndays + 1, sizeof *x->days);
    rate_day *r = &x->days[x->ndays++];
    r->day = p->day;
    r->num = p->num;
    r->den = p->den;
    r->spot_d = fx_small_approx(p->num) / fx_small_approx(p->den);
    r->first = x->month_first;
    x->sum_d += r->spot_d;
    r->avg_d = x->sum_d / (double)(x->ndays - x->month_first);
    if (p->day < x->lo)
        x->from = x->ndays; /* only in the month's mean */
}

/* The days of provider (NULL: a currency in itself) pricing from -> to in
 * the window (x->lo .. x->d), into x->days[x->from..]. */
static void collect_days(fx_explainer *x, const char *provider, fx_ccy from, fx_ccy to)
{
    x->ndays = 0;
    x->from = 0;
    x->month = -1;
    fx_rates_each_day_of(x->t, provider, from, to, x->walk, x->d, on_rate_day, x);
}

/* out = the exact mean of days[r->first .. r] (their month up to r). */
static void exact_mean(fx_explainer *x, const rate_day *r, fx_ratio *out)
{
    fx_ratio_set_small(out, (fx_small){0, 0});
    size_t i = r->first, last = (size_t)(r - x->days);
    for (; i <= last; i++) {
        fx_ratio_set_quot(&x->one, x->days[i].num, x->days[i].den);
        fx_ratio_add(out, out, &x->one);
    }
    fx_ratio_set_small(&x->one, (fx_small){(int64_t)(last + 1 - r->first), 0});
    fx_ratio_div(out, out, &x->one);
}

/* ---- ranking (SPEC 5.1) ---- */

static int cmp_bool_first(bool a, bool b) /* the one that has it first */
{
    return a == b ? 0 : a ? -1 : 1;
}

/* < 0 when a ranks before b. */
static int rank_cmp(const hyp *a, const hyp *b)
{
    if (a->assumptions != b->assumptions)
        return a->assumptions < b->assumptions ? -1 : 1;
    if (a->day != b->day)
        return a->day > b->day ? -1 : 1;
    if (a->prank != b->prank)
        return a->prank < b->prank ? -1 : 1;
    int c;
    if ((c = cmp_bool_first(a->chained, b->chained)) != 0 ||
        (c = cmp_bool_first(a->average, b->average)) != 0 ||
        (c = cmp_bool_first(a->truncated, b->truncated)) != 0)
        return c;
    if (a->via && b->via) {
        if ((c = strcmp(a->via->fact_id, b->via->fact_id)) != 0)
            return c;
        return cmp_bool_first(!a->via->reported, !b->via->reported); /* value first */
    }
    return 0;
}

typedef struct {
    size_t found;
    hyp best;
} tally;

static void consider(tally *ty, const hyp *h)
{
    if (ty->found++ == 0 || rank_cmp(h, &ty->best) < 0)
        ty->best = *h;
}

/* Does amount (exact a, approx a_d) x the day's rate (spot or mean) lie in s? */
static bool explains(fx_explainer *x, const span *s, const fx_ratio *a, double a_d,
                     const rate_day *r, bool average)
{
    int t = approx_in(s, a_d * (average ? r->avg_d : r->spot_d));
    if (t != 0)
        return t > 0;
    if (average) {
        exact_mean(x, r, &x->sum);
        fx_ratio_mul(&x->x, a, &x->sum);
    } else {
        fx_ratio_set_quot(&x->x, r->num, r->den);
        fx_ratio_mul(&x->x, &x->x, a);
    }
    return exact_in(s, &x->x);
}

/* Can [lo, hi] x [rlo, rhi] meet s? False only when surely not: the
 * margin is the audit's (1e-9 relative), far above the doubles' error. */
static bool may_meet(double lo, double hi, double rlo, double rhi, const span *s)
{
    double a = fmin(lo * rlo, lo * rhi), b = fmax(hi * rlo, hi * rhi);
    if (!isfinite(a) || !isfinite(b) || !isfinite(s->lo_d) || !isfinite(s->hi_d))
        return true;
    double margin = 1e-9 * (fabs(a) + fabs(b) + fabs(s->lo_d) + fabs(s->hi_d));
    return b >= s->lo_d - margin && a <= s->hi_d + margin;
}

/* Can a day of provider's from -> to in the window explain a base of
 * amounts_d[0..n) (either reading, spot or month-average)? The days a
 * collection walks (the window's month on) bound both: a mean of rates
 * lies within their range. */
static bool reachable(fx_explainer *x, const char *provider, fx_ccy from, fx_ccy to, size_t n)
{
    double rlo, rhi;
    if (!fx_rate_hull_of(x->hull, provider, from, to, x->walk, x->d, &rlo, &rhi))
        return false;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t b = 0; b < n; b++) {
        lo = fmin(lo, x->amounts_d[b]);
        hi = fmax(hi, x->amounts_d[b]);
    }
    return may_meet(lo, hi, rlo, rhi, &x->read[0]) || may_meet(lo, hi, rlo, rhi, &x->read[1]);
}

/* amounts[0..n) into x->amounts_d as doubles. */
static void set_amounts_d(fx_explainer *x, const fx_ratio *amounts, size_t n)
{
    x->amounts_d = fx_xgrow(x->amounts_d, &x->capamounts_d, n, sizeof *x->amounts_d);
    for (size_t b = 0; b < n; b++)
        x->amounts_d[b] = fx_ratio_to_double(&amounts[b]);
}

/* Tests bases[0..n) (all of currency ccy; base NULL: the direct one, with
 * x->amounts_d set) over the days collected for provider prank. */
static void test_group(fx_explainer *x, tally *ty, size_t prank, const fx_base *const *bases,
                       const fx_ratio *amounts, size_t n)
{
    fx_day second = x->ndays - x->from >= 2 ? x->days[x->ndays - 2].day : FX_DAY_NONE;
    for (size_t i = x->from; i < x->ndays; i++) {
        const rate_day *r = &x->days[i];
        bool stale = second != FX_DAY_NONE && r->day < second;
        for (size_t b = 0; b < n; b++) {
            double a_d = x->amounts_d[b];
            for (int avg = 0; avg < 2; avg++)
                for (int rd = 0; rd < 2; rd++) {
                    if (!explains(x, &x->read[rd], &amounts[b], a_d, r, avg))
                        continue;
                    hyp h = {0};
                    h.day = r->day;
                    h.prank = prank;
                    h.via = bases[b];
                    h.chained = bases[b] != NULL;
                    h.average = avg;
                    h.truncated = rd;
                    h.stale = stale;
                    h.assumptions = h.chained + h.average + h.truncated + h.stale;
                    consider(ty, &h);
                }
        }
    }
}

void fx_explain(fx_explainer *x, const fx_explain_in *in, fx_explanation *out)
{
    memset(out, 0, sizeof *out);
    out->provider = "";
    readings(x, in->reported);
    x->d = in->valuation;
    x->lo = x->d - (fx_day)x->window;
    x->walk = month_start(x->lo);
    tally ty = {0};
    size_t need = 1 + in->nchained;
    if (need > x->capbases) {
        x->base_amounts = fx_xrealloc(x->base_amounts, need * sizeof *x->base_amounts);
        for (size_t i = x->capbases; i < need; i++)
            fx_ratio_init(&x->base_amounts[i]);
        x->capbases = need;
    }
    const fx_base **group = fx_xcalloc(need, sizeof(const fx_base *));
    bool self = fx_ccy_eq(in->from, in->to); /* priced at 1 every day, by no provider */
    for (size_t p = 0; p < (self ? 1 : x->nproviders); p++) {
        const char *prov = self ? NULL : x->providers[p];
        /* the direct base */
        fx_ratio_set_dec(&x->base_amounts[0], in->amount);
        set_amounts_d(x, x->base_amounts, 1);
        group[0] = NULL;
        if (self || reachable(x, prov, in->from, in->to, 1)) {
            collect_days(x, prov, in->from, in->to);
            test_group(x, &ty, p, group, x->base_amounts, 1);
        }
        /* chained bases, a currency at a time (each only once) */
        for (size_t i = 0; i < in->nchained; i++) {
            bool done = false;
            for (size_t j = 0; j < i && !done; j++)
                done = fx_ccy_eq(in->chained[j].ccy, in->chained[i].ccy);
            if (done)
                continue;
            size_t n = 0;
            for (size_t j = i; j < in->nchained; j++)
                if (fx_ccy_eq(in->chained[j].ccy, in->chained[i].ccy)) {
                    group[n] = &in->chained[j];
                    fx_ratio_set_dec(&x->base_amounts[n], in->chained[j].amount);
                    n++;
                }
            set_amounts_d(x, x->base_amounts, n);
            for (size_t q = self ? 0 : p; q < (self ? x->nproviders : p + 1); q++) {
                /* a third currency still needs a provider's rates */
                if (!reachable(x, x->providers[q], in->chained[i].ccy, in->to, n))
                    continue; /* most: no day of the pair comes near */
                collect_days(x, x->providers[q], in->chained[i].ccy, in->to);
                test_group(x, &ty, q, group, x->base_amounts, n);
            }
        }
    }
    free(group);
    if (ty.found == 0)
        return;
    const hyp *b = &ty.best;
    out->found = true;
    out->provider = self && !b->chained ? "" : x->providers[b->prank];
    out->day = b->day;
    out->age = (long)in->valuation - (long)b->day;
    out->stale = b->stale;
    out->average = b->average;
    out->truncated = b->truncated;
    out->via = b->via;
    out->alternatives = ty.found - 1;
}

int fx_explanation_assumptions(const fx_explanation *e)
{
    return e->found ? (e->via != NULL) + e->stale + e->average + e->truncated : 0;
}

size_t fx_explanation_size(const fx_explanation *e)
{
    size_t n = strlen(e->provider ? e->provider : "") + 96;
    if (e->via)
        n += strlen(e->via->shown) + strlen(e->via->source) + 16;
    return n;
}

const char *fx_explanation_text(const fx_explanation *e, char *buf, size_t n)
{
    if (!e->found) {
        snprintf(buf, n, "unexplained");
        return buf;
    }
    char day[11];
    fx_date_format(e->day, day);
    const char *sep = *e->provider ? " " : ""; /* a currency in itself has no provider */
    size_t k = 0;
#define ADD(...)                                                                  \
    do {                                                                          \
        int m_ = snprintf(buf + k, k < n ? n - k : 0, __VA_ARGS__);               \
        k += m_ > 0 ? (size_t)m_ : 0;                                             \
    } while (0)
    ADD("%s%s%s %s", e->provider, sep, day, e->average ? "month-average" : "spot");
    if (e->via)
        ADD(", via %s %s (%s)", e->via->ccy.s, e->via->shown, e->via->source);
    if (e->truncated)
        ADD(", truncated");
    if (e->stale)
        ADD(", %ld day%s before", e->age, e->age == 1 ? "" : "s");
#undef ADD
    return buf;
}
