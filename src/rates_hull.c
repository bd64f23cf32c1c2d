/* rates_hull - a range that holds a provider's rates of a pair over a
 * span of days (rates.h: fx_rate_hull). Each pair's rates, in day order, are cut
 * into blocks of BLOCK; a block keeps the least and greatest rate in it as
 * doubles, oriented from the pair's first currency to its second. A span
 * is bounded by the blocks that hold its first to its last rate, and a
 * cross by the product of its legs' bounds. Invariant: every rate
 * fx_rates_each_day_of gives for the span lies in the bound (the routes
 * are walked as it walks them), up to the doubles' own error. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "mem.h"
#include "rates_int.h"

/* Rates per block: 16 business days is about three weeks, so a bound is
 * at most that much wider on either side than its span's own rates. */
enum { BLOCK = 16 };

typedef struct {
    double *lo, *hi; /* per block; NULL until the pair is first asked for */
    fx_day *first;   /* per block, its first rate's day: a span's ends are found here */
    size_t nb;
} pair_bounds;

struct fx_rate_hull {
    const fx_rate_table *t;
    pair_bounds *pairs; /* by pair id */
};

fx_rate_hull *fx_rate_hull_new(const fx_rate_table *t)
{
    fx_rate_hull *b = fx_xcalloc(1, sizeof *b);
    b->t = t;
    b->pairs = fx_xcalloc(t->npairs ? t->npairs : 1, sizeof *b->pairs);
    return b;
}

void fx_rate_hull_free(fx_rate_hull *b)
{
    if (!b)
        return;
    for (size_t p = 0; p < b->t->npairs; p++) {
        free(b->pairs[p].lo);
        free(b->pairs[p].hi);
        free(b->pairs[p].first);
    }
    free(b->pairs);
    free(b);
}

/* Pair p's blocks, made on first use. */
static const pair_bounds *blocks_of(fx_rate_hull *b, uint32_t p)
{
    pair_bounds *pb = &b->pairs[p];
    if (pb->lo)
        return pb;
    const fx_rpair *pp = &b->t->pairs[p];
    size_t nb = (pp->n + BLOCK - 1) / BLOCK;
    pb->lo = fx_xcalloc(nb ? nb : 1, sizeof *pb->lo);
    pb->hi = fx_xcalloc(nb ? nb : 1, sizeof *pb->hi);
    pb->first = fx_xcalloc(nb ? nb : 1, sizeof *pb->first);
    pb->nb = nb;
    fx_ccy x = b->t->ccys[pp->x];
    for (size_t k = 0; k < nb; k++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = k * BLOCK; i < pp->n && i < (k + 1) * BLOCK; i++) {
            double v = fx_small_approx(pp->r[i].value);
            if (!fx_ccy_eq(pp->r[i].base, x))
                v = 1 / v; /* quoted y -> x */
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
        pb->lo[k] = lo;
        pb->hi[k] = hi;
        pb->first[k] = pp->r[k * BLOCK].day;
    }
    return pb;
}

/* The index of pair pp's first rate dated v or later (pp->n: none): the
 * last block that starts on or before v, by its first days (a small
 * array, where a search over the rates themselves misses the cache at
 * every step), then within it. */
static size_t lower_day(const pair_bounds *pb, const fx_rpair *pp, fx_day v)
{
    size_t lo = 0, hi = pb->nb; /* blocks [0, lo) start on or before v */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pb->first[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    size_t i = (lo - 1) * BLOCK, end = lo * BLOCK < pp->n ? lo * BLOCK : pp->n;
    while (i < end && pp->r[i].day < v)
        i++;
    return i;
}

/* Pair p's rates dated in [lo, hi], from currency `from` (one of its
 * two): their bound; false when it has none there. */
static bool pair_range(fx_rate_hull *b, uint32_t p, uint32_t from, fx_day lo, fx_day hi,
                       double *mn, double *mx)
{
    const fx_rpair *pp = &b->t->pairs[p];
    const pair_bounds *pb = blocks_of(b, p);
    size_t i = lower_day(pb, pp, lo);
    size_t j = hi == INT32_MAX ? pp->n : lower_day(pb, pp, hi + 1);
    if (i >= j)
        return false;
    double l = INFINITY, h = -INFINITY;
    for (size_t k = i / BLOCK; k <= (j - 1) / BLOCK; k++) {
        l = fmin(l, pb->lo[k]);
        h = fmax(h, pb->hi[k]);
    }
    if (pp->x == from) {
        *mn = l;
        *mx = h;
    } else { /* rates are positive: the inverse swaps the ends */
        *mn = 1 / h;
        *mx = 1 / l;
    }
    return true;
}

bool fx_rate_hull_of(fx_rate_hull *b, const char *provider, fx_ccy from, fx_ccy to,
                       fx_day lo, fx_day hi, double *min, double *max)
{
    const fx_rate_table *t = b->t;
    if (lo > hi)
        return false;
    if (fx_ccy_eq(from, to)) { /* every day at 1 */
        *min = *max = 1;
        return true;
    }
    int32_t a = fx_rates_dense(t, from), c = fx_rates_dense(t, to);
    long prov = provider ? fx_rates_provider_id(t, provider) : -1;
    if (!t->finished || a < 0 || c < 0 || prov < 0)
        return false;
    double l = INFINITY, h = -INFINITY, l1, h1, l2, h2;
    bool any = false;
    long p = fx_rates_find_pair(t, (uint32_t)prov, from, to);
    if (p >= 0 && pair_range(b, (uint32_t)p, (uint32_t)a, lo, hi, &l1, &h1)) {
        l = l1;
        h = h1;
        any = true;
    }
    for (size_t k = t->adjoff[a]; k < t->adjoff[a + 1]; k++) {
        uint32_t p1, p2;
        if (!fx_rates_cross_at(t, k, (uint32_t)prov, (uint32_t)c, &p1, &p2))
            continue;
        uint32_t mid = t->adj[k].other;
        if (!pair_range(b, p1, (uint32_t)a, lo, hi, &l1, &h1) ||
            !pair_range(b, p2, mid, lo, hi, &l2, &h2))
            continue;
        l = fmin(l, l1 * l2); /* from -> mid -> to: a product of positive legs */
        h = fmax(h, h1 * h2);
        any = true;
    }
    *min = l;
    *max = h;
    return any;
}
