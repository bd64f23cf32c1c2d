/* rates_lookup - the lookups on a finished rate table (SPEC 3): a pair's
 * rate of a day (direct, inverse, or a cross within one provider) under
 * the fallback rules, and every day a pair is priced in a span. Nothing
 * here writes to the table or allocates (each_day excepted). */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rates_int.h"

static const char *const weekday_name[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                            "Friday", "Saturday", "Sunday"};


/* ---- lookup ---- */

/* First index in r[lo..hi) with r[i].day > v. */
static size_t upper(const fx_rate *r, size_t lo, size_t hi, fx_day v)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid].day <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* First index in r[lo..hi) with r[i].day >= v. */
size_t fx_rates_lower(const fx_rate *r, size_t lo, size_t hi, fx_day v)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid].day < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Latest day <= v present in both sorted arrays. */
static bool common_before(const fx_rate *a, size_t na, const fx_rate *b, size_t nb, fx_day v,
                          fx_day *out)
{
    size_t i = upper(a, 0, na, v), j = upper(b, 0, nb, v);
    while (i > 0 && j > 0) {
        fx_day da = a[i - 1].day, db = b[j - 1].day;
        if (da == db) {
            *out = da;
            return true;
        }
        if (da > db)
            i = upper(a, 0, i, db);
        else
            j = upper(b, 0, j, da);
    }
    return false;
}

/* Earliest day >= v present in both sorted arrays. */
static bool common_after(const fx_rate *a, size_t na, const fx_rate *b, size_t nb, fx_day v,
                         fx_day *out)
{
    size_t i = fx_rates_lower(a, 0, na, v), j = fx_rates_lower(b, 0, nb, v);
    while (i < na && j < nb) {
        if (a[i].day == b[j].day) {
            *out = a[i].day;
            return true;
        }
        if (a[i].day < b[j].day)
            i = fx_rates_lower(a, i, na, b[j].day);
        else
            j = fx_rates_lower(b, j, nb, a[i].day);
    }
    return false;
}

typedef struct {
    bool found;
    bool cross;
    fx_day day;
    uint32_t p1, p2; /* direct: p1; cross: from-C in p1, C-to in p2 */
} route;

static const fx_rate *prates(const fx_rate_table *t, uint32_t p)
{
    return t->pairs[p].r;
}

/* The best way for provider prov to price a -> b: the latest day <= v
 * (after = false) or the earliest day >= v (after = true); on equal days
 * a direct or inverse rate beats a cross, and crosses go by the
 * intermediate's code. Both legs of a cross are prov's. */
/* Adjacency entry k of currency a as a cross a -> C -> b of provider
 * prov: its pairs a-C (p1) and C-b (p2). False when the entry is another
 * provider's, C is b itself, or prov has no C-b pair. The one definition
 * of a cross's candidates, for best_route and each_day_one. */
bool fx_rates_cross_at(const fx_rate_table *t, size_t k, uint32_t prov, uint32_t b, uint32_t *p1,
                     uint32_t *p2)
{
    if (t->adj[k].prov != prov || t->adj[k].other == b)
        return false;
    long p = fx_rates_find_pair(t, prov, t->ccys[t->adj[k].other], t->ccys[b]);
    if (p < 0)
        return false;
    *p1 = t->adj[k].pair;
    *p2 = (uint32_t)p;
    return true;
}

static route best_route(const fx_rate_table *t, uint32_t prov, uint32_t a, uint32_t b, fx_day v,
                        bool after)
{
    route r = {0};
    long p = fx_rates_find_pair(t, prov, t->ccys[a], t->ccys[b]);
    if (p >= 0) {
        const fx_rate *dd = prates(t, (uint32_t)p);
        size_t n = t->pairs[p].n;
        if (after) {
            size_t i = fx_rates_lower(dd, 0, n, v);
            if (i < n)
                r = (route){true, false, dd[i].day, (uint32_t)p, 0};
        } else {
            size_t i = upper(dd, 0, n, v);
            if (i > 0)
                r = (route){true, false, dd[i - 1].day, (uint32_t)p, 0};
        }
    }
    for (size_t k = t->adjoff[a]; k < t->adjoff[a + 1]; k++) {
        uint32_t p1, p2;
        if (!fx_rates_cross_at(t, k, prov, b, &p1, &p2))
            continue;
        const fx_rate *d1 = prates(t, p1), *d2 = prates(t, p2);
        size_t n1 = t->pairs[p1].n, n2 = t->pairs[p2].n;
        if (n1 == 0 || n2 == 0)
            continue;
        /* skip legs that cannot beat what we have */
        if (r.found && !after && (d1[n1 - 1].day <= r.day || d2[n2 - 1].day <= r.day))
            continue;
        if (r.found && after && (d1[0].day >= r.day || d2[0].day >= r.day))
            continue;
        fx_day day;
        if (after ? common_after(d1, n1, d2, n2, v, &day) : common_before(d1, n1, d2, n2, v, &day))
            if (!r.found || (after ? day < r.day : day > r.day))
                r = (route){true, true, day, p1, p2};
    }
    return r;
}

/* The rates of pair p on day: one per direction, at most two. */
static size_t rates_on(const fx_rate_table *t, uint32_t p, fx_day day, const fx_rate *out[2])
{
    const fx_rate *dd = prates(t, p);
    size_t n = t->pairs[p].n, i = fx_rates_lower(dd, 0, n, day), k = 0;
    for (; i < n && dd[i].day == day && k < 2; i++)
        out[k++] = &dd[i];
    return k;
}

/* from -> to as num/den from a route's rates; false when a cross would
 * need more than 18 significant digits. */
/* The rates of a pair from index i on that share its day (at most two). */
static size_t rates_from(const fx_rate_table *t, uint32_t p, size_t i, const fx_rate *out[2])
{
    const fx_rate *dd = prates(t, p);
    size_t n = t->pairs[p].n, k = 0;
    for (fx_day day = dd[i].day; i < n && dd[i].day == day && k < 2; i++)
        out[k++] = &dd[i];
    return k;
}

static bool price_legs(const fx_rate_table *t, fx_ccy from, const route *r, const fx_rate *l1[2],
                       size_t n1, const fx_rate *l2[2], size_t n2, fx_priced *out);

static bool price_route(const fx_rate_table *t, fx_ccy from, const route *r, fx_priced *out)
{
    const fx_rate *l1[2] = {NULL, NULL}, *l2[2] = {NULL, NULL};
    size_t n1 = rates_on(t, r->p1, r->day, l1);
    if (n1 == 0) /* a route is found only where its pair has a rate that day */
        return false;
    size_t n2 = r->cross ? rates_on(t, r->p2, r->day, l2) : 0;
    return price_legs(t, from, r, l1, n1, l2, n2, out);
}

/* from -> to as num/den from the route's rates of its day: l1 of its
 * first pair, l2 of its second (a cross). */
static bool price_legs(const fx_rate_table *t, fx_ccy from, const route *r, const fx_rate *l1[2],
                       size_t n1, const fx_rate *l2[2], size_t n2, fx_priced *out)
{
    static const fx_small one = {1, 0};
    fx_priced p = {.day = r->day};
    if (!r->cross) {
        /* prefer the rate quoted from -> to */
        const fx_rate *x = l1[0];
        if (n1 > 1 && !fx_ccy_eq(x->base, from))
            x = l1[1];
        bool inv = !fx_ccy_eq(x->base, from);
        p.leg[0] = x;
        p.inverse[0] = inv;
        p.num = inv ? one : x->value;
        p.den = inv ? x->value : one;
        *out = p;
        return true;
    }
    const fx_rpair *pp = &t->pairs[r->p1];
    fx_ccy mid = fx_ccy_eq(t->ccys[pp->x], from) ? t->ccys[pp->y] : t->ccys[pp->x];
    /* from -> mid is leg 0 (direct when its base is from), mid -> to is
     * leg 1 (direct when its base is mid). Mixed directions need no
     * product (num and den are one rate each): try those first. */
    static const bool order[4][2] = {{true, false}, {false, true}, {false, false}, {true, true}};
    for (int o = 0; o < 4; o++) {
        const fx_rate *a = NULL, *b = NULL;
        for (size_t i = 0; i < n1; i++)
            if (fx_ccy_eq(l1[i]->base, from) != order[o][0])
                a = l1[i];
        for (size_t i = 0; i < n2; i++)
            if (fx_ccy_eq(l2[i]->base, mid) != order[o][1])
                b = l2[i];
        if (!a || !b)
            continue;
        fx_small num = one, den = one;
        bool ok = true;
        if (!order[o][0] && !order[o][1])
            ok = fx_small_mul(a->value, b->value, &num);
        else if (order[o][0] && order[o][1])
            ok = fx_small_mul(a->value, b->value, &den);
        else if (order[o][0])
            num = b->value, den = a->value;
        else
            num = a->value, den = b->value;
        if (!ok)
            continue;
        p.leg[0] = a;
        p.leg[1] = b;
        p.inverse[0] = order[o][0];
        p.inverse[1] = order[o][1];
        p.num = num;
        p.den = den;
        *out = p;
        return true;
    }
    return false;
}

/* Does provider prov quote currency c in any rate dated in (lo, hi]? */
static bool quoted_between(const fx_rate_table *t, uint32_t prov, uint32_t c, fx_day lo,
                           fx_day hi)
{
    for (size_t k = t->adjoff[c]; k < t->adjoff[c + 1]; k++) {
        if (t->adj[k].prov != prov)
            continue;
        uint32_t p = t->adj[k].pair;
        const fx_rate *dd = prates(t, p);
        size_t n = t->pairs[p].n;
        if (upper(dd, 0, n, hi) > upper(dd, 0, n, lo))
            return true;
    }
    return false;
}

/* SPEC 3 for one provider: fx_rates_lookup's rules and messages. */
static fx_lookup_err lookup_one(const fx_rate_table *t, uint32_t prov, uint32_t a, uint32_t b,
                                fx_ccy from, fx_ccy to, fx_day day, const fx_lookup_opts *o,
                                fx_priced *out, char *why, size_t whylen)
{
    char dbuf[11], rbuf[11];
    size_t nc = t->nccy, ka = (size_t)prov * nc + a, kb = (size_t)prov * nc + b;
    route r = best_route(t, prov, a, b, day, false);
    if (!r.found || r.day != day)
        fx_date_format(day, dbuf); /* only messages need the text */
    if (!r.found) {
        route f = best_route(t, prov, a, b, day, true);
        if (!f.found) {
            fx_rates_say(why, whylen,
                "no rate links %s and %s, directly or through one common currency on the same "
                "day",
                from.s, to.s);
            return FX_LOOKUP_NO_RATE;
        }
        fx_day fa = t->cfirst[ka], fb = t->cfirst[kb];
        if (fa > day || fb > day) {
            bool name_a = fa >= fb;
            fx_date_format(name_a ? fa : fb, rbuf);
            const char *c = (name_a ? from : to).s;
            fx_rates_say(why, whylen, "no %s rate on or before %s: the %s series starts on %s", c, dbuf, c,
                rbuf);
        } else {
            fx_date_format(f.day, rbuf);
            fx_rates_say(why, whylen,
                "no rate to price %s in %s on or before %s: the first one is from %s", from.s,
                to.s, dbuf, rbuf);
        }
        return FX_LOOKUP_BEFORE;
    }
    if (r.day != day)
        fx_date_format(r.day, rbuf);
    if (o->fallback == FX_FALLBACK_NONE && r.day != day) {
        fx_rates_say(why, whylen,
            "no rate to price %s in %s on %s, a %s (--fallback none); the latest before it is "
            "from %s",
            from.s, to.s, dbuf, weekday_name[fx_date_weekday(day)], rbuf);
        return FX_LOOKUP_NOT_ON_DAY;
    }
    if (o->fallback == FX_FALLBACK_PREVIOUS && o->max_stale >= 0 &&
        (long)day - (long)r.day > o->max_stale) {
        long age = (long)day - (long)r.day;
        /* Name the currency that stopped being quoted: the one without
         * rates after R, or of two such, the one whose series ended first. */
        bool qa = quoted_between(t, prov, a, r.day, day);
        bool qb = quoted_between(t, prov, b, r.day, day);
        int name = qa && !qb ? 1 : !qa && qb ? 0 : -1;
        if (!qa && !qb && t->clast[ka] != t->clast[kb])
            name = t->clast[ka] < t->clast[kb] ? 0 : 1;
        if (name >= 0)
            fx_rates_say(why, whylen, "the latest %s rate is from %s, %ld %s before %s (--max-stale %ld)",
                (name == 0 ? from : to).s, rbuf, age, age == 1 ? "day" : "days", dbuf,
                o->max_stale);
        else
            fx_rates_say(why, whylen,
                "the latest rate to price %s in %s is from %s, %ld %s before %s (--max-stale "
                "%ld)",
                from.s, to.s, rbuf, age, age == 1 ? "day" : "days", dbuf, o->max_stale);
        return FX_LOOKUP_STALE;
    }
    if (!price_route(t, from, &r, out)) {
        fx_date_format(r.day, rbuf);
        fx_rates_say(why, whylen,
            "the cross rate of %s in %s on %s needs more than %d significant digits", from.s,
            to.s, rbuf, FX_SMALL_MAX_DIGITS);
        return FX_LOOKUP_NO_RATE;
    }
    return FX_LOOKUP_OK;
}

fx_lookup_err fx_rates_lookup(const fx_rate_table *t, fx_ccy from, fx_ccy to, fx_day day,
                              const fx_lookup_opts *o, fx_priced *out, char *why, size_t whylen)
{
    if (fx_ccy_eq(from, to)) {
        *out = (fx_priced){.day = day, .num = {1, 0}, .den = {1, 0}};
        return FX_LOOKUP_OK;
    }
    if (!t->finished) {
        fx_rates_say(why, whylen, "the rates are not indexed (fx_rates_finish was not called)");
        return FX_LOOKUP_NO_RATE;
    }
    int32_t a = fx_rates_dense(t, from), b = fx_rates_dense(t, to);
    if (a < 0 || b < 0) {
        fx_rates_say(why, whylen, "no %s rate in the loaded rates", (a < 0 ? from : to).s);
        return FX_LOOKUP_NO_RATE;
    }
    uint32_t order[FX_MAX_PROVIDERS];
    size_t n = fx_rates_provider_order(t, o, order, FX_MAX_PROVIDERS);
    /* Only providers that quote both currencies can price the pair; when
     * none does, say which currency the providers asked lack. */
    uint32_t can[FX_MAX_PROVIDERS];
    size_t ncan = 0;
    for (size_t i = 0; i < n; i++) {
        size_t base = (size_t)order[i] * t->nccy;
        if (t->cfirst[base + (size_t)a] != INT32_MAX && t->cfirst[base + (size_t)b] != INT32_MAX)
            can[ncan++] = order[i];
    }
    if (ncan == 0) {
        bool lacks_from = false;
        for (size_t i = 0; i < n; i++)
            lacks_from |= t->cfirst[(size_t)order[i] * t->nccy + (size_t)a] == INT32_MAX;
        size_t at = 0;
        fx_rates_say(why, whylen, "no %s rate from ", (lacks_from ? from : to).s);
        for (size_t i = 0; why && i < n && (at = strlen(why)) < whylen; i++)
            snprintf(why + at, whylen - at, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
                     t->provs[order[i]].name);
        if (n == 0)
            fx_rates_say(why, whylen, "none of the providers asked for is loaded");
        return FX_LOOKUP_NO_RATE;
    }
    if (ncan == 1)
        return lookup_one(t, can[0], (uint32_t)a, (uint32_t)b, from, to, day, o, out, why,
                          whylen);
    /* the first provider that can price it; else why each cannot, in order */
    fx_lookup_err first = FX_LOOKUP_OK;
    size_t at = 0;
    if (why && whylen)
        why[0] = '\0';
    for (size_t i = 0; i < ncan; i++) {
        char one[FX_DEC_STR_MAX];
        fx_lookup_err e = lookup_one(t, can[i], (uint32_t)a, (uint32_t)b, from, to, day, o, out,
                                     one, sizeof one);
        if (e == FX_LOOKUP_OK)
            return e;
        if (i == 0)
            first = e;
        if (why && at < whylen) {
            int k = snprintf(why + at, whylen - at, "%s%s: %s", i ? "; " : "",
                             t->provs[can[i]].name, one);
            at += k > 0 ? (size_t)k : 0;
        }
    }
    return first;
}

/* A day's pricing and the rank of its provider in the order asked. */
typedef struct {
    fx_priced p;
    size_t rank;
} ranked;

static int cmp_ranked(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    if (a->p.day != b->p.day)
        return a->p.day < b->p.day ? -1 : 1;
    return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/* A rate day of one provider's pair and the route best_route takes on it:
 * rank 0 the direct pair, k the k-th cross in adjacency order. */
typedef struct {
    fx_day day;
    uint32_t rank;
    route r;
    uint32_t i1, i2; /* the index of the day's first rate in each pair */
} day_route;

static int cmp_day_route(const void *pa, const void *pb)
{
    const day_route *a = pa, *b = pb;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static void push_day(day_route **v, size_t *n, size_t *cap, day_route x)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        *v = fx_xrealloc(*v, *cap * sizeof **v);
    }
    (*v)[(*n)++] = x;
}

/* fx_rates_each_day_of for one provider: every route's days in [lo, hi]
 * found once (one search, then a walk; a cross by merging its two legs),
 * and on each day the route best_route would take there: the direct pair
 * if it has the day, else the first cross in adjacency order whose legs
 * both have it. The same days and pricings as a best_route per day (the
 * rates fuzz target checks each day against fx_rates_lookup), without a
 * search per day and route. */
static void each_day_one(const fx_rate_table *t, uint32_t prov, uint32_t a, uint32_t b,
                         fx_ccy from, fx_day lo, fx_day hi,
                         void (*fn)(void *ctx, const fx_priced *p), void *ctx)
{
    day_route *v = NULL;
    size_t n = 0, cap = 0;
    long p = fx_rates_find_pair(t, prov, t->ccys[a], t->ccys[b]);
    if (p >= 0) {
        const fx_rate *dd = prates(t, (uint32_t)p);
        size_t m = t->pairs[p].n;
        for (size_t i = fx_rates_lower(dd, 0, m, lo); i < m && dd[i].day <= hi; i++)
            if (n == 0 || v[n - 1].day != dd[i].day) /* a pair may hold both directions */
                push_day(&v, &n, &cap, (day_route){dd[i].day, 0,
                                                   {true, false, dd[i].day, (uint32_t)p, 0},
                                                   (uint32_t)i, 0});
    }
    uint32_t rank = 0;
    size_t routes = n > 0;
    for (size_t k = t->adjoff[a]; k < t->adjoff[a + 1]; k++) {
        uint32_t p1, p2;
        if (!fx_rates_cross_at(t, k, prov, b, &p1, &p2))
            continue;
        rank++;
        size_t before = n;
        const fx_rate *d1 = prates(t, p1), *d2 = prates(t, p2);
        size_t n1 = t->pairs[p1].n, n2 = t->pairs[p2].n;
        size_t i = fx_rates_lower(d1, 0, n1, lo), j = fx_rates_lower(d2, 0, n2, lo);
        while (i < n1 && j < n2 && d1[i].day <= hi && d2[j].day <= hi) {
            fx_day x = d1[i].day, y = d2[j].day;
            if (x == y)
                push_day(&v, &n, &cap, (day_route){x, rank, {true, true, x, p1, p2},
                                                   (uint32_t)i, (uint32_t)j});
            if (x <= y)
                while (i < n1 && d1[i].day == x)
                    i++;
            if (y <= x)
                while (j < n2 && d2[j].day == y)
                    j++;
        }
        routes += n > before;
    }
    if (routes > 1) /* one route's days are ascending and distinct already */
        qsort(v, n, sizeof *v, cmp_day_route);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && v[i].day == v[i - 1].day)
            continue; /* a route of lower rank has the day */
        const fx_rate *l1[2] = {NULL, NULL}, *l2[2] = {NULL, NULL};
        size_t n1 = rates_from(t, v[i].r.p1, v[i].i1, l1);
        size_t n2 = v[i].r.cross ? rates_from(t, v[i].r.p2, v[i].i2, l2) : 0;
        fx_priced pr;
        if (price_legs(t, from, &v[i].r, l1, n1, l2, n2, &pr))
            fn(ctx, &pr);
    }
    free(v);
}

void fx_rates_each_day_of(const fx_rate_table *t, const char *provider, fx_ccy from, fx_ccy to,
                          fx_day lo, fx_day hi, void (*fn)(void *ctx, const fx_priced *p),
                          void *ctx)
{
    if (lo > hi)
        return;
    if (fx_ccy_eq(from, to)) { /* no rate needed: every day prices at 1 */
        for (fx_day d = lo; d <= hi; d++) {
            fx_priced p = {.day = d, .num = {1, 0}, .den = {1, 0}};
            fn(ctx, &p);
            if (d == INT32_MAX)
                break;
        }
        return;
    }
    if (!t->finished)
        return;
    int32_t a = fx_rates_dense(t, from), b = fx_rates_dense(t, to);
    if (a < 0 || b < 0)
        return;
    uint32_t order[FX_MAX_PROVIDERS];
    size_t np;
    if (provider) {
        long id = fx_rates_provider_id(t, provider);
        if (id < 0)
            return;
        order[0] = (uint32_t)id;
        np = 1;
    } else
        np = fx_rates_provider_order(t, NULL, order, FX_MAX_PROVIDERS);
    if (np == 1) {
        each_day_one(t, order[0], (uint32_t)a, (uint32_t)b, from, lo, hi, fn, ctx);
        return;
    }
    ranked *found = NULL;
    size_t n = 0, cap = 0;
    for (size_t k = 0; k < np; k++)
        for (fx_day v = hi;;) {
            route r = best_route(t, order[k], (uint32_t)a, (uint32_t)b, v, false);
            if (!r.found || r.day < lo)
                break;
            fx_priced p;
            if (price_route(t, from, &r, &p)) {
                if (n == cap) {
                    cap = cap ? 2 * cap : 32;
                    found = fx_xrealloc(found, cap * sizeof *found);
                }
                found[n++] = (ranked){p, k};
            }
            if (r.day == INT32_MIN)
                break;
            v = r.day - 1;
        }
    if (np > 1 && n > 1) /* by day; of one day, the provider first in the order */
        qsort(found, n, sizeof *found, cmp_ranked);
    for (size_t i = 0; i < n; i++) {
        size_t j = np > 1 ? i : n - 1 - i; /* one provider: collected latest first */
        if (np > 1 && i > 0 && found[i].p.day == found[i - 1].p.day)
            continue;
        fn(ctx, &found[j].p);
    }
    free(found);
}

void fx_rates_each_day(const fx_rate_table *t, fx_ccy from, fx_ccy to, fx_day lo, fx_day hi,
                       void (*fn)(void *ctx, const fx_priced *p), void *ctx)
{
    fx_rates_each_day_of(t, NULL, from, to, lo, hi, fn, ctx);
}
