/* rates_finish - the rate table's one pass after loading (SPEC 3): each
 * (provider, pair)'s rates sorted by day, duplicates and conflicts found
 * (reported in file and line order), ids numbered, the adjacency index
 * and the aliases built. Invariant: after it the table is read-only. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rates_int.h"

/* ---- finish: sort, check duplicates, index ---- */

/* Errors found by finish are collected and reported in file and line
 * order, not in the order of pairs and days that finding them takes. */
typedef struct {
    size_t file; /* index in t->files: load order */
    fx_pos at;
    size_t seq;
    char *msg;
} pending;

typedef struct {
    const fx_rate_table *t;
    pending *v;
    size_t n, cap;
} pendings;

static void pend(pendings *p, fx_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void pend(pendings *p, fx_pos at, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = fx_xmalloc(len > 0 ? (size_t)len + 1 : 1);
    vsnprintf(msg, len > 0 ? (size_t)len + 1 : 1, fmt, ap2);
    va_end(ap2);
    size_t file = 0;
    while (file < p->t->nfiles && p->t->files[file].name != at.file)
        file++;
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 16;
        p->v = fx_xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n] = (pending){file, at, p->n, msg};
    p->n++;
}

static int cmp_pending(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->at.line != y->at.line)
        return x->at.line < y->at.line ? -1 : 1;
    if (x->at.col != y->at.col)
        return x->at.col < y->at.col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static fx_status flush(pendings *p, fx_diags *d)
{
    if (p->n > 1)
        qsort(p->v, p->n, sizeof *p->v, cmp_pending);
    for (size_t i = 0; i < p->n; i++) {
        fx_diag_error(d, p->v[i].at, "%s", p->v[i].msg);
        free(p->v[i].msg);
    }
    free(p->v);
    fx_status st = p->n ? FX_E_DATA : FX_OK;
    p->v = NULL;
    p->n = p->cap = 0;
    return st;
}

typedef struct {
    fx_day day;
    size_t i; /* load order */
} order_key;

static int cmp_load_order(const void *a, const void *b)
{
    const order_key *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Sorts a pair's rates by (day, load order): a stable sort through an
 * index, for files that are in no date order. */
static void sort_pair_rates(fx_rpair *p)
{
    size_t n = p->n;
    order_key *idx = fx_xmalloc(n * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = (order_key){p->r[i].day, i};
    qsort(idx, n, sizeof *idx, cmp_load_order);
    fx_rate *r = fx_xmalloc(n * sizeof *r);
    for (size_t i = 0; i < n; i++)
        r[i] = p->r[idx[i].i];
    free(idx);
    if (p->own)
        free(p->r);
    p->r = r;
    p->own = true;
    p->cap = n;
    p->asc = true;
}

/* Strictly descending days (no duplicates possible): reverse and number
 * in one pass. */
static void reverse_and_number(fx_rpair *p, size_t base)
{
    size_t n = p->n;
    for (size_t i = 0, j = n - 1; i < j; i++, j--) {
        fx_rate tr = p->r[i];
        p->r[i] = p->r[j];
        p->r[j] = tr;
        p->r[i].id = (unsigned)(base + i);
        p->r[j].id = (unsigned)(base + j);
    }
    if (n % 2)
        p->r[n / 2].id = (unsigned)(base + n / 2);
}

/* Keeps the first rate of each direction per day; reports the others
 * unless they say the same. Only days with more than one rate cost
 * anything. A rate's id holds its column until it is numbered here. */
static void dedup_and_number(fx_rpair *p, size_t base, pendings *errs)
{
    size_t out = 0, n = p->n;
    for (size_t s = 0; s < n;) {
        size_t end = s + 1;
        while (end < n && p->r[end].day == p->r[s].day)
            end++;
        if (end == s + 1) {
            if (out != s)
                p->r[out] = p->r[s];
            p->r[out].id = (unsigned)(base + out);
            out++, s++;
            continue;
        }
        long first[2] = {-1, -1}; /* kept index by direction: 0 = base is the pair's x */
        unsigned first_col[2] = {0, 0}; /* their columns (their ids are numbers by now) */
        for (size_t k = s; k < end; k++) {
            const fx_rate *r = &p->r[k];
            unsigned col = r->id;
            int dir = fx_rates_code_of(r->base) > fx_rates_code_of(r->quote);
            char day[11], v1[160], v2[160];
            int odir = first[dir] >= 0 ? dir : !dir;
            long other = first[odir];
            if (other >= 0) {
                const fx_rate *f = &p->r[other];
                bool same = first[dir] >= 0;
                if (same ? fx_small_eq(f->value, r->value) : fx_small_is_inverse(f->value, r->value)) {
                    if (same)
                        continue; /* the same rate twice: keep the first */
                } else {
                    fx_date_format(r->day, day);
                    fx_pos at = {r->origin->file, r->line, col};
                    if (same)
                        pend(errs, at,
                                            "conflicting rates for 1 %s in %s on %s: %s here, %s "
                                            "at %s:%lu:%lu",
                                            r->base.s, r->quote.s, day, fx_small_str(r->value, v1),
                                            fx_small_str(f->value, v2), f->origin->file,
                                            (unsigned long)f->line,
                                            (unsigned long)first_col[odir]);
                    else
                        pend(errs, at,
                                            "conflicting rates on %s: 1 %s = %s %s here is not "
                                            "the exact inverse of 1 %s = %s %s at %s:%lu:%lu",
                                            day, r->base.s, fx_small_str(r->value, v1), r->quote.s,
                                            f->base.s, fx_small_str(f->value, v2), f->quote.s,
                                            f->origin->file, (unsigned long)f->line,
                                            (unsigned long)first_col[odir]);
                    continue;
                }
            }
            first[dir] = (long)out;
            first_col[dir] = col;
            if (out != k)
                p->r[out] = p->r[k];
            p->r[out].id = (unsigned)(base + out);
            out++;
        }
        s = end;
    }
    p->n = out;
}

static int cmp_adj(const void *a, const void *b)
{
    const fx_radj *x = a, *y = b;
    if (x->prov != y->prov)
        return x->prov < y->prov ? -1 : 1;
    return x->code < y->code ? -1 : x->code > y->code;
}

static int cmp_alias(const void *a, const void *b)
{
    const fx_ralias *x = a, *y = b;
    size_t m = x->len < y->len ? x->len : y->len;
    int r = memcmp(x->s, y->s, m);
    if (r)
        return r;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void finish_aliases(fx_rate_table *t, pendings *errs)
{
    if (t->naliases > 1)
        qsort(t->aliases, t->naliases, sizeof *t->aliases, cmp_alias);
    size_t out = 0;
    for (size_t i = 0; i < t->naliases; i++) {
        fx_ralias *a = &t->aliases[i];
        if (out > 0 && t->aliases[out - 1].len == a->len &&
            memcmp(t->aliases[out - 1].s, a->s, a->len) == 0) {
            const fx_ralias *f = &t->aliases[out - 1];
            if (!fx_ccy_eq(f->code, a->code))
                pend(errs, a->at, "alias \"%s\" is %s here but %s at %s:%lu:%lu",
                                   a->s, a->code.s, f->code.s, f->at.file, f->at.line,
                                   f->at.col);
            continue;
        }
        fx_ccy self;
        if (fx_ccy_parse(a->s, a->len, &self) && !fx_ccy_eq(self, a->code) &&
            (fx_ccy_is_iso(&self) || fx_rates_knows(t, self))) {
            pend(errs, a->at, "alias \"%s\" is itself a currency code; it cannot mean %s",
                               a->s, a->code.s);
            continue;
        }
        if (!fx_ccy_is_iso(&a->code) && !fx_rates_knows(t, a->code)) {
            pend(errs, a->at,
                               "alias \"%s\": %s is neither an ISO 4217 code nor in the loaded "
                               "rates",
                               a->s, a->code.s);
            continue;
        }
        t->aliases[out++] = *a;
    }
    t->naliases = out;
}

fx_status fx_rates_finish(fx_rate_table *t, fx_diags *d)
{
    if (t->finished)
        return FX_OK;
    pendings errs = {.t = t};
    size_t np = t->npairs;

    /* Per pair: sort by day, drop duplicates, number. One pass over each
     * pair's rates in the usual cases (ECB: reversed; long files: sorted). */
    size_t id = 0;
    for (size_t p = 0; p < np; p++) {
        fx_rpair *pp = &t->pairs[p];
        if (pp->desc && pp->n > 1) {
            reverse_and_number(pp, id);
        } else {
            if (!pp->asc)
                sort_pair_rates(pp);
            dedup_and_number(pp, id, &errs);
        }
        pp->desc = false;
        pp->asc = true;
        id += pp->n;
    }
    t->n = id;

    /* Adjacency, sorted by provider, then the neighbour's code (the order
     * crosses are tried in, which decides ties deterministically). */
    size_t nc = t->nccy, npv = t->nprov ? t->nprov : 1;
    t->adjoff = fx_xcalloc(nc + 1, sizeof *t->adjoff);
    t->adj = fx_xmalloc((np ? 2 * np : 1) * sizeof *t->adj);
    t->cfirst = fx_xmalloc((nc ? nc * npv : 1) * sizeof *t->cfirst);
    t->clast = fx_xmalloc((nc ? nc * npv : 1) * sizeof *t->clast);
    for (size_t c = 0; c < nc * npv; c++) {
        t->cfirst[c] = INT32_MAX;
        t->clast[c] = INT32_MIN;
    }
    for (size_t p = 0; p < np; p++) {
        t->adjoff[t->pairs[p].x + 1]++;
        t->adjoff[t->pairs[p].y + 1]++;
    }
    for (size_t c = 0; c < nc; c++)
        t->adjoff[c + 1] += t->adjoff[c];
    size_t *pos = fx_xmalloc((nc ? nc : 1) * sizeof *pos);
    memcpy(pos, t->adjoff, nc * sizeof *pos);
    for (size_t p = 0; p < np; p++) {
        const fx_rpair *pp = &t->pairs[p];
        t->adj[pos[pp->x]++] = (fx_radj){pp->y, (uint32_t)p, pp->prov, fx_rates_code_of(t->ccys[pp->y])};
        t->adj[pos[pp->y]++] = (fx_radj){pp->x, (uint32_t)p, pp->prov, fx_rates_code_of(t->ccys[pp->x])};
        if (pp->n == 0)
            continue;
        fx_day f = pp->r[0].day, l = pp->r[pp->n - 1].day;
        uint32_t ends[2] = {pp->x, pp->y};
        for (int i = 0; i < 2; i++) {
            size_t k = (size_t)pp->prov * nc + ends[i];
            if (f < t->cfirst[k])
                t->cfirst[k] = f;
            if (l > t->clast[k])
                t->clast[k] = l;
        }
    }
    free(pos);
    for (size_t c = 0; c < nc; c++)
        if (t->adjoff[c + 1] - t->adjoff[c] > 1)
            qsort(t->adj + t->adjoff[c], t->adjoff[c + 1] - t->adjoff[c], sizeof *t->adj,
                  cmp_adj);

    finish_aliases(t, &errs);
    t->finished = true;
    return flush(&errs, d);
}

/* ---- resolve ---- */

bool fx_rates_resolve(const fx_rate_table *t, const char *s, size_t len, fx_ccy *out)
{
    fx_ccy c;
    if (fx_ccy_parse(s, len, &c) && (fx_ccy_is_iso(&c) || fx_rates_knows(t, c))) {
        *out = c;
        return true;
    }
    if (t->finished) {
        fx_ralias key = {.s = s, .len = len, .order = 0};
        size_t lo = 0, hi = t->naliases;
        while (lo < hi) { /* first alias >= s (order 0 sorts first) */
            size_t mid = lo + (hi - lo) / 2;
            if (cmp_alias(&t->aliases[mid], &key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < t->naliases && t->aliases[lo].len == len &&
            memcmp(t->aliases[lo].s, s, len) == 0) {
            *out = t->aliases[lo].code;
            return true;
        }
        return false;
    }
    for (size_t i = 0; i < t->naliases; i++) /* before finish: first listed wins */
        if (t->aliases[i].len == len && memcmp(t->aliases[i].s, s, len) == 0) {
            *out = t->aliases[i].code;
            return true;
        }
    return false;
}
