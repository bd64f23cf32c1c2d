/* audit - reported conversions checked exactly against the rates, and
 * per-claim agreement of the sources' intervals (SPEC 5). Invariant: every
 * comparison is exact (rationals); nothing is decided on a double. */
#include "audit.h"

#include <errno.h>
#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "spool.h"

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
    free(k->run_start);
}

/* A deep copy, reusing dst's buffers (the writer's ring slots). */
void fx_check_copy(fx_check *d, const fx_check *k)
{
    d->present = k->present;
    if (!k->present)
        return;
    fx_dec_set(&d->reported, &k->reported);
    d->reported_ccy = k->reported_ccy;
    d->verdict = k->verdict;
    d->priced = k->priced;
    d->rate = k->rate;
    fx_ratio_set(&d->computed, &k->computed);
    fx_dec_set(&d->computed_rounded, &k->computed_rounded);
    fx_ratio_set(&d->deviation_pct, &k->deviation_pct);
    d->has_deviation = k->has_deviation;
    if (k->ndays > d->capdays) {
        d->capdays = k->ndays;
        d->days = fx_xrealloc(d->days, d->capdays * sizeof *d->days);
        d->run_start = fx_xrealloc(d->run_start, d->capdays * sizeof *d->run_start);
    }
    if (k->ndays) {
        memcpy(d->days, k->days, k->ndays * sizeof *d->days);
        memcpy(d->run_start, k->run_start, k->ndays * sizeof *d->run_start);
    }
    d->ndays = k->ndays;
    d->window_days = k->window_days;
    d->last_pub[0] = k->last_pub[0];
    d->last_pub[1] = k->last_pub[1];
}

typedef struct {
    fx_check *k;
    const fx_dec *amount;
    const fx_interval *iv;
    double amount_d, lo_d, hi_d; /* approximations, for the interval test */
    fx_ratio scratch;
    bool gap; /* a published day that does not match came since the last match */
} day_ctx;

/* The interval test on the rate, in doubles: decides the clear cases and
 * leaves only days whose conversion lands within a hair of a bound to
 * exact arithmetic. Returns -1 outside, 1 inside, 0 undecided. */
static int approx_test(const day_ctx *m, const fx_priced *p)
{
    double x = m->amount_d * fx_small_approx(p->num) / fx_small_approx(p->den);
    return fx_approx_in(x, m->lo_d, m->hi_d);
}

static void match_day(void *ctx, const fx_priced *p)
{
    day_ctx *m = ctx;
    fx_check *k = m->k;
    k->window_days++;
    k->last_pub[1] = k->last_pub[0]; /* days come ascending: the latest two so far */
    k->last_pub[0] = p->day;
    int t = approx_test(m, p);
    if (t == 0) {
        fx_ratio_set_convert(&m->scratch, m->amount, p->num, p->den);
        t = in_interval(m->iv, &m->scratch) ? 1 : -1;
    }
    if (t < 0) {
        m->gap = true;
        return;
    }
    if (k->ndays == k->capdays) {
        k->capdays = k->capdays ? 2 * k->capdays : 8;
        k->days = fx_xrealloc(k->days, k->capdays * sizeof *k->days);
        k->run_start = fx_xrealloc(k->run_start, k->capdays * sizeof *k->run_start);
    }
    k->run_start[k->ndays] = k->ndays == 0 || m->gap;
    k->days[k->ndays++] = p->day;
    m->gap = false;
}

void fx_audit_check(fx_check *k, const fx_converted *c, const fx_rate_table *t,
                    const fx_audit_opts *o)
{
    const fx_fact *f = c->fact;
    k->present = f->has_reported;
    k->ndays = 0;
    k->window_days = 0;
    k->last_pub[0] = k->last_pub[1] = FX_DAY_NONE;
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
    m.gap = false;
    /* Matching days are searched among the rates of the provider whose
     * rate valued the conversion (README: Decisions), so each day's rate
     * is that provider's. */
    const char *provider = k->rate.leg[0] ? k->rate.leg[0]->origin->provider : NULL;
    fx_rates_each_day_of(t, provider, f->fig.ccy, k->reported_ccy,
                         c->valuation - (fx_day)o->infer_window, c->valuation, match_day, &m);
    fx_ratio_clear(&m.scratch);
    fx_interval_clear(&iv);
}

/* ---- aggregates ---- */

/* A witness as kept and spilled: fixed size, the id inline (ids are at
 * most 64 bytes, SPEC 2). */
typedef struct {
    uint32_t source;
    int32_t places;
    double value;
    fx_span span;
    uint8_t qual;
    char id[65];
} witness_rec;

/* What decides a claim's verdict, kept while facts stream in. */
typedef struct {
    const char *claim, *entity; /* in claim_arena */
    fx_packed min, max;         /* normalized point values */
    fx_packed lo, hi;           /* intersection of all normalized intervals */
    witness_rec high_lo, low_hi; /* the facts that set lo and hi */
    uint32_t facts, index;      /* index: the claim's number before sorting */
    uint8_t kind, verdict;
    bool has_lo, has_hi;
} claim_agg;

/* One fact as appended to the facts spool: this, then its fact_id as a
 * second field. */
typedef struct {
    uint32_t claim, source;
    double first;
    int32_t places;
    fx_span span;
    uint8_t qual;
} fact_rec;

/* A claim row in the rows spool is one record: row_hdr, the claim, the
 * entity, min and max (fx_ratio_write bytes), the nsources cell_hdr, then
 * each cell's ids, one field each. Every length is the spool's, so a text
 * is as long as its input allows (an entity of 32,767 CJK characters is
 * 98,301 bytes). */
typedef struct {
    uint32_t facts, nsources, index;
    uint8_t kind, verdict;
    witness_rec high_lo, low_hi;
} row_hdr;

typedef struct {
    uint32_t source, nids, more;
    int32_t places;
    double first;
    fx_span span;
    uint8_t qual;
} cell_hdr;

enum { R_HDR, R_CLAIM, R_ENTITY, R_MIN, R_MAX, R_CELLS, R_IDS };

struct fx_audit {
    fx_audit_opts o;
    fx_convert_opts co;
    fx_arena *arena;       /* source names */
    fx_arena *claim_arena; /* claim and entity names; freed once the rows are written */
    GHashTable *claim_ix;  /* claim -> index + 1 */
    GHashTable *source_ix; /* source -> index + 1 */
    claim_agg *claims;
    size_t nclaims, capclaims;
    uint32_t *row_of;       /* after finish: claim number -> its row */
    uint8_t *verdict_of;    /* after finish: claim number -> fx_claim_verdict */
    fx_source *sources;
    size_t nsources, capsources;
    fx_audit_counts counts;
    fx_interval iv; /* scratch */
    fx_ratio point; /* scratch */

    char *tmpdir;    /* NULL: no rows */
    fx_spool *facts; /* fact_rec records, in input order; freed by finish */
    fx_spool *rows;  /* claim rows, in claim order, after finish */
    size_t pass;     /* records per pass of write_rows */

    /* the row fx_audit_next returns; its texts point into the rows spool */
    fx_claim cur;
    char high_id[65], low_id[65];
    fx_claim_source *cells;
    size_t capcells;
    const char **ids;
    size_t capids;
    size_t next_row;
    const char *read_error;
};

fx_audit *fx_audit_new(const fx_audit_opts *o, const fx_convert_opts *co, const char *tmpdir)
{
    fx_audit *a = fx_xcalloc(1, sizeof *a);
    a->o = *o;
    a->co = *co;
    a->arena = fx_arena_new();
    a->claim_arena = fx_arena_new();
    a->claim_ix = g_hash_table_new(g_str_hash, g_str_equal);
    a->source_ix = g_hash_table_new(g_str_hash, g_str_equal);
    fx_interval_init(&a->iv);
    fx_ratio_init(&a->point);
    fx_ratio_init(&a->cur.min);
    fx_ratio_init(&a->cur.max);
    a->pass = FX_AUDIT_PASS;
    if (tmpdir) {
        a->tmpdir = fx_xstrdup(tmpdir);
        a->facts = fx_spool_new(tmpdir); /* a failure is kept and reported by finish */
    }
    return a;
}

static void free_claims(fx_audit *a)
{
    for (size_t i = 0; i < a->nclaims && a->claims; i++) {
        claim_agg *cl = &a->claims[i];
        fx_packed_clear(&cl->min);
        fx_packed_clear(&cl->max);
        fx_packed_clear(&cl->lo);
        fx_packed_clear(&cl->hi);
    }
    free(a->claims);
    a->claims = NULL;
    a->capclaims = 0;
    if (a->claim_ix)
        g_hash_table_destroy(a->claim_ix);
    a->claim_ix = NULL;
    fx_arena_free(a->claim_arena);
    a->claim_arena = NULL;
}

void fx_audit_free(fx_audit *a)
{
    if (!a)
        return;
    free_claims(a);
    free(a->sources);
    g_hash_table_destroy(a->source_ix);
    fx_arena_free(a->arena);
    fx_interval_clear(&a->iv);
    fx_ratio_clear(&a->point);
    fx_ratio_clear(&a->cur.min);
    fx_ratio_clear(&a->cur.max);
    fx_spool_free(a->facts);
    fx_spool_free(a->rows);
    free(a->row_of);
    free(a->verdict_of);
    free(a->tmpdir);
    free(a->cells);
    free(a->ids);
    free(a);
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
        *s = (fx_source){fx_arena_strndup(a->arena, f->source.s, f->source.len), f->published, 0,
                         (unsigned)f->input};
        g_hash_table_insert(a->source_ix, s->source, GSIZE_TO_POINTER(a->nsources));
        ix = a->nsources;
    }
    a->sources[ix - 1].facts++;
    return (unsigned)(ix - 1);
}

static size_t claim_index(fx_audit *a, const fx_fact *f)
{
    char key[80];
    snprintf(key, sizeof key, "%.*s", (int)f->claim.len, f->claim.s);
    size_t ix = GPOINTER_TO_SIZE(g_hash_table_lookup(a->claim_ix, key));
    if (ix)
        return ix - 1;
    if (a->nclaims == a->capclaims) {
        a->capclaims = a->capclaims ? 2 * a->capclaims : 16;
        a->claims = fx_xrealloc(a->claims, a->capclaims * sizeof *a->claims);
    }
    claim_agg *cl = &a->claims[a->nclaims++];
    memset(cl, 0, sizeof *cl);
    cl->index = (uint32_t)(a->nclaims - 1);
    cl->claim = fx_arena_strndup(a->claim_arena, f->claim.s, f->claim.len);
    cl->entity = fx_arena_strndup(a->claim_arena, f->entity.s, f->entity.len);
    cl->kind = (uint8_t)f->fig.kind;
    fx_packed_init(&cl->min);
    fx_packed_init(&cl->max);
    fx_packed_init(&cl->lo);
    fx_packed_init(&cl->hi);
    g_hash_table_insert(a->claim_ix, (char *)cl->claim, GSIZE_TO_POINTER(a->nclaims));
    return a->nclaims - 1;
}

/* The fact's interval in the claim's unit: money times its first target's rate. */
static void normalized_interval(fx_audit *a, const fx_converted *c)
{
    const fx_fact *f = c->fact;
    fx_interval_of(&a->iv, &f->fig, f->qual, &a->o.tolerance);
    if (f->fig.kind == FX_KIND_MONEY && c->nconv) {
        const fx_ratio *r = &c->conv[0].rate; /* spot or the average */
        fx_ratio_mul(&a->iv.lo, &a->iv.lo, r);
        fx_ratio_mul(&a->iv.hi, &a->iv.hi, r);
    }
}

static fx_span span_of(const fx_interval *iv)
{
    return (fx_span){iv->has_lo ? fx_ratio_to_double(&iv->lo) : 0,
                     iv->has_hi ? fx_ratio_to_double(&iv->hi) : 0, iv->has_lo, iv->has_hi};
}

static void witness(witness_rec *w, uint32_t source, const fx_dec *shown, fx_qual q,
                    const fx_interval *iv, fx_text id)
{
    memset(w, 0, sizeof *w); /* no stray bytes in the spool */
    w->source = source;
    w->places = (int32_t)-shown->exp;
    w->value = fx_dec_to_double(shown);
    w->span = span_of(iv);
    w->qual = (uint8_t)q;
    memcpy(w->id, id.s, id.len < sizeof w->id ? id.len : sizeof w->id - 1);
}

/* Narrows the claim's common interval to iv's; the fact that sets a side
 * becomes that side's witness (the first fact sets both). */
static void intersect(claim_agg *cl, const fx_interval *iv, bool first, uint32_t source,
                      const fx_dec *shown, fx_qual q, fx_text id)
{
    if (first || (iv->has_lo && (!cl->has_lo || fx_packed_cmp(&iv->lo, &cl->lo) > 0))) {
        if (iv->has_lo)
            fx_packed_set(&cl->lo, &iv->lo);
        witness(&cl->high_lo, source, shown, q, iv, id);
    }
    if (first || (iv->has_hi && (!cl->has_hi || fx_packed_cmp(&iv->hi, &cl->hi) < 0))) {
        if (iv->has_hi)
            fx_packed_set(&cl->hi, &iv->hi);
        witness(&cl->low_hi, source, shown, q, iv, id);
    }
    cl->has_lo = (!first && cl->has_lo) || iv->has_lo;
    cl->has_hi = (!first && cl->has_hi) || iv->has_hi;
}

static void append_fact(fx_audit *a, uint32_t claim, uint32_t source, const fx_dec *shown,
                        fx_qual q, fx_text id)
{
    if (!a->facts)
        return;
    fact_rec rec;
    memset(&rec, 0, sizeof rec); /* no stray padding bytes in the file */
    rec.claim = claim;
    rec.source = source;
    rec.first = fx_dec_to_double(shown);
    rec.places = (int32_t)-shown->exp;
    rec.span = span_of(&a->iv);
    rec.qual = (uint8_t)q;
    fx_spool_field f[2] = {{&rec, sizeof rec}, {id.s, id.len}};
    fx_spool_put(a->facts, f, 2); /* an error is sticky: finish reports it */
}

fx_audit_ref fx_audit_add(fx_audit *a, const fx_converted *c, const fx_check *k)
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
    size_t ci = claim_index(a, f);
    claim_agg *cl = &a->claims[ci];
    bool money = f->fig.kind == FX_KIND_MONEY && c->nconv;
    if (money)
        fx_ratio_set(&a->point, &c->conv[0].exact);
    else
        fx_ratio_set_dec(&a->point, &c->amount);
    if (cl->facts == 0 || fx_packed_cmp(&a->point, &cl->min) < 0)
        fx_packed_set(&cl->min, &a->point);
    if (cl->facts == 0 || fx_packed_cmp(&a->point, &cl->max) > 0)
        fx_packed_set(&cl->max, &a->point);
    normalized_interval(a, c);
    const fx_dec *shown = money ? &c->conv[0].rounded : &c->amount;
    intersect(cl, &a->iv, cl->facts == 0, src, shown, f->qual, f->fact_id);
    cl->facts++;
    append_fact(a, (uint32_t)ci, src, shown, f->qual, f->fact_id);
    return (fx_audit_ref){(uint32_t)ci, src};
}

/* ---- claim rows: the facts spool sorted by claim ---- */

typedef struct {
    fact_rec h;
    uint32_t id_off, id_len; /* in the pass's id bytes */
} pass_rec;

typedef struct {
    pass_rec *recs;
    size_t caprecs;
    char *idbuf;
    size_t nid, capid;
    size_t *at;       /* claim - c0 -> next slot in recs */
    uint32_t *stamp;  /* source -> claim index + 1 of the claim that last used it */
    uint32_t *slot;   /* source -> cell index in that claim */
    uint32_t *count;  /* cell -> records; then the cell's start in order */
    uint32_t *order;  /* the claim's records, grouped by cell */
    size_t caporder, capcount;
    cell_hdr *cells;  /* the row being written */
    size_t capcells;
    fx_spool_field *fields;
    size_t capfields;
} pass_buf;


/* r as fx_ratio_write bytes in *buf (malloc'd): the ratio module writes to
 * a stream, the spool takes bytes. */
static bool ratio_bytes(const fx_ratio *r, char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    FILE *m = open_memstream(buf, len);
    if (!m)
        return false;
    bool ok = fx_ratio_write(m, r);
    return fclose(m) == 0 && ok;
}

static bool ratio_from(fx_ratio *r, const fx_spool_field *f)
{
    if (f->len == 0)
        return false;
    FILE *m = fmemopen((void *)f->p, f->len, "rb"); /* read only: never written through */
    if (!m)
        return false;
    bool ok = fx_ratio_read(m, r);
    fclose(m);
    return ok;
}

/* One claim's row: its records are b->recs[first .. first + n), in input order. */
static bool write_row(fx_audit *a, pass_buf *b, size_t ci, size_t first, size_t n)
{
    const claim_agg *cl = &a->claims[ci];
    uint32_t tag = (uint32_t)ci + 1, ncells = 0;
    b->order = fx_xgrow(b->order, &b->caporder, n, sizeof *b->order);
    b->count = fx_xgrow(b->count, &b->capcount, n, sizeof *b->count);
    for (size_t i = 0; i < n; i++) { /* cells in order of first appearance */
        uint32_t s = b->recs[first + i].h.source;
        if (b->stamp[s] != tag) {
            b->stamp[s] = tag;
            b->slot[s] = ncells;
            b->count[ncells++] = 0;
        }
        b->count[b->slot[s]]++;
    }
    uint32_t sum = 0; /* counting sort of the records by cell, stable */
    for (uint32_t j = 0; j < ncells; j++) {
        uint32_t k = b->count[j];
        b->count[j] = sum;
        sum += k;
    }
    for (size_t i = 0; i < n; i++)
        b->order[b->count[b->slot[b->recs[first + i].h.source]]++] = (uint32_t)(first + i);

    b->cells = fx_xgrow(b->cells, &b->capcells, ncells, sizeof *b->cells);
    b->fields = fx_xgrow(b->fields, &b->capfields, R_IDS + (size_t)ncells * FX_IDS_KEPT,
                     sizeof *b->fields);
    size_t nf = R_IDS;
    for (size_t i = 0, j = 0; i < n; j++) { /* b->order[i..] is one cell's records */
        const pass_rec *r0 = &b->recs[b->order[i]];
        size_t m = 1;
        while (i + m < n && b->recs[b->order[i + m]].h.source == r0->h.source)
            m++;
        size_t kept = m < FX_IDS_KEPT ? m : FX_IDS_KEPT;
        cell_hdr *ch = &b->cells[j];
        memset(ch, 0, sizeof *ch); /* no stray padding bytes in the file */
        ch->source = r0->h.source;
        ch->nids = (uint32_t)kept;
        ch->more = (uint32_t)(m - kept);
        ch->places = r0->h.places;
        ch->first = r0->h.first;
        ch->span = r0->h.span;
        ch->qual = r0->h.qual;
        for (size_t k = 0; k < kept; k++) {
            const pass_rec *r = &b->recs[b->order[i + k]];
            b->fields[nf++] = (fx_spool_field){b->idbuf + r->id_off, r->id_len};
        }
        i += m;
    }
    row_hdr h;
    memset(&h, 0, sizeof h);
    h.facts = cl->facts;
    h.nsources = ncells;
    h.kind = cl->kind;
    h.verdict = cl->verdict;
    h.index = cl->index;
    h.high_lo = cl->high_lo;
    h.low_hi = cl->low_hi;
    char *min = NULL, *max = NULL;
    size_t min_len, max_len;
    fx_packed_get(&a->point, &cl->min);
    bool ok = ratio_bytes(&a->point, &min, &min_len);
    fx_packed_get(&a->point, &cl->max);
    ok = ratio_bytes(&a->point, &max, &max_len) && ok;
    b->fields[R_HDR] = (fx_spool_field){&h, sizeof h};
    b->fields[R_CLAIM] = (fx_spool_field){cl->claim, strlen(cl->claim)};
    b->fields[R_ENTITY] = (fx_spool_field){cl->entity, strlen(cl->entity)};
    b->fields[R_MIN] = (fx_spool_field){min, min_len};
    b->fields[R_MAX] = (fx_spool_field){max, max_len};
    b->fields[R_CELLS] = (fx_spool_field){b->cells, ncells * sizeof *b->cells};
    ok = ok && fx_spool_put(a->rows, b->fields, nf);
    free(min);
    free(max);
    return ok;
}

/* Reads the whole facts spool once and keeps the records of claims
 * [c0, c1), each claim's together in input order. */
static bool gather(fx_audit *a, pass_buf *b, size_t c0, size_t c1, size_t n)
{
    b->recs = fx_xgrow(b->recs, &b->caprecs, n, sizeof *b->recs);
    size_t at = 0;
    for (size_t c = c0; c < c1; c++) {
        b->at[c - c0] = at;
        at += a->claims[c].facts;
    }
    b->nid = 0;
    if (!fx_spool_rewind(a->facts))
        return false;
    for (size_t i = 0; i < a->counts.facts; i++) {
        const fx_spool_field *f;
        size_t nf;
        fact_rec h;
        if (fx_spool_next(a->facts, &f, &nf) != 1 || nf != 2 || f[0].len != sizeof h)
            return false;
        memcpy(&h, f[0].p, sizeof h);
        if (h.claim >= a->nclaims || h.source >= a->nsources)
            return false;
        h.claim = a->row_of[h.claim]; /* the claims are in row order now */
        if (h.claim < c0 || h.claim >= c1)
            continue;
        b->idbuf = fx_xgrow(b->idbuf, &b->capid, b->nid + f[1].len + 1, 1);
        memcpy(b->idbuf + b->nid, f[1].p, f[1].len);
        b->recs[b->at[h.claim - c0]++] = (pass_rec){h, (uint32_t)b->nid, (uint32_t)f[1].len};
        b->nid += f[1].len;
    }
    return true;
}

static bool write_rows(fx_audit *a)
{
    pass_buf b = {0};
    b.stamp = fx_xcalloc(a->nsources ? a->nsources : 1, sizeof *b.stamp);
    b.slot = fx_xcalloc(a->nsources ? a->nsources : 1, sizeof *b.slot);
    size_t capat = 0;
    bool ok = true;
    for (size_t c0 = 0; c0 < a->nclaims && ok;) {
        size_t c1 = c0, n = 0;
        while (c1 < a->nclaims && (c1 == c0 || n + a->claims[c1].facts <= a->pass))
            n += a->claims[c1++].facts;
        b.at = fx_xgrow(b.at, &capat, c1 - c0, sizeof *b.at);
        ok = gather(a, &b, c0, c1, n);
        for (size_t c = c0, first = 0; c < c1 && ok; c++) {
            ok = write_row(a, &b, c, first, a->claims[c].facts);
            first += a->claims[c].facts;
        }
        c0 = c1;
    }
    free(b.recs);
    free(b.idbuf);
    free(b.at);
    free(b.stamp);
    free(b.slot);
    free(b.count);
    free(b.order);
    free(b.cells);
    free(b.fields);
    return ok && fx_spool_rewind(a->rows);
}

/* Why the claim rows could not be written: the spool's own words, which
 * name the folder, else what was wrong with the facts spool's records. */
static const char *rows_error(const fx_audit *a)
{
    if (a->facts && fx_spool_error(a->facts))
        return fx_spool_error(a->facts);
    if (a->rows && fx_spool_error(a->rows))
        return fx_spool_error(a->rows);
    return NULL;
}

/* SPEC 6's Comparison order: disagree first, then by spread (largest
 * first; a claim without one last), then claim id. */
typedef struct {
    double spread; /* -1: none (min <= 0) */
    const claim_agg *cl;
} claim_key;

static int claim_key_cmp(const void *pa, const void *pb)
{
    const claim_key *x = pa, *y = pb;
    bool dx = x->cl->verdict == FX_C_DISAGREE, dy = y->cl->verdict == FX_C_DISAGREE;
    if (dx != dy)
        return dx ? -1 : 1;
    if (x->spread != y->spread)
        return x->spread > y->spread ? -1 : 1;
    return strcmp(x->cl->claim, y->cl->claim);
}

static double spread_of(fx_audit *a, const claim_agg *cl)
{
    fx_ratio min, max;
    fx_ratio_init(&min);
    fx_ratio_init(&max);
    fx_packed_get(&min, &cl->min);
    fx_packed_get(&max, &cl->max);
    double lo = fx_ratio_to_double(&min), hi = fx_ratio_to_double(&max);
    fx_ratio_clear(&min);
    fx_ratio_clear(&max);
    (void)a;
    return lo > 0 ? (hi - lo) / lo : -1;
}

/* Puts the claims in row order; row_of and verdict_of keep what the
 * sheets ask of a claim by its number once the claims are freed. */
static void sort_claims(fx_audit *a)
{
    size_t n = a->nclaims;
    claim_key *keys = fx_xcalloc(n ? n : 1, sizeof *keys);
    for (size_t i = 0; i < n; i++)
        keys[i] = (claim_key){spread_of(a, &a->claims[i]), &a->claims[i]};
    qsort(keys, n, sizeof *keys, claim_key_cmp);
    claim_agg *sorted = fx_xcalloc(n ? n : 1, sizeof *sorted);
    a->row_of = fx_xcalloc(n ? n : 1, sizeof *a->row_of);
    a->verdict_of = fx_xcalloc(n ? n : 1, sizeof *a->verdict_of);
    for (size_t r = 0; r < n; r++) {
        sorted[r] = *keys[r].cl;
        a->row_of[sorted[r].index] = (uint32_t)r;
        a->verdict_of[sorted[r].index] = sorted[r].verdict;
    }
    free(keys);
    free(a->claims);
    a->claims = sorted;
    a->capclaims = n;
}

fx_claim_verdict fx_audit_claim_verdict(const fx_audit *a, size_t claim)
{
    return a->verdict_of && claim < a->nclaims ? (fx_claim_verdict)a->verdict_of[claim]
                                               : FX_C_SINGLE;
}

size_t fx_audit_claim_row(const fx_audit *a, size_t claim)
{
    return a->row_of && claim < a->nclaims ? a->row_of[claim] : claim;
}

fx_status fx_audit_finish(fx_audit *a, bool rows, fx_diags *d)
{
    memset(a->counts.claims, 0, sizeof a->counts.claims);
    for (size_t i = 0; i < a->nclaims; i++) {
        claim_agg *cl = &a->claims[i];
        bool empty = false;
        if (cl->has_lo && cl->has_hi) {
            fx_packed_get(&a->point, &cl->lo);
            empty = fx_packed_cmp(&a->point, &cl->hi) > 0;
        }
        fx_claim_verdict v = cl->facts == 1 ? FX_C_SINGLE : empty ? FX_C_DISAGREE : FX_C_AGREE;
        cl->verdict = (uint8_t)v;
        a->counts.claims[v]++;
    }
    if (!a->row_of)
        sort_claims(a);
    fx_status st = FX_OK;
    if (rows && a->tmpdir) {
        bool ok = !fx_spool_error(a->facts);
        if (ok) {
            a->rows = fx_spool_new(a->tmpdir);
            ok = write_rows(a);
        }
        if (!ok) {
            const char *why = rows_error(a);
            if (why)
                st = fx_diag_status(d, FX_E_IO, (fx_pos){0}, "claims: %s", why);
            else
                st = fx_diag_status(d, FX_E_IO, (fx_pos){0},
                                    "claims: cannot read back a temporary file in %s: "
                                    "a record is not what was written",
                                    a->tmpdir);
        }
    }
    fx_spool_free(a->facts); /* sorted into rows: no longer needed */
    a->facts = NULL;
    free_claims(a);
    return st;
}

size_t fx_audit_nclaims(const fx_audit *a)
{
    return a->nclaims;
}

bool fx_audit_rewind(fx_audit *a)
{
    a->next_row = 0;
    a->read_error = NULL;
    if (!a->rows)
        return a->nclaims == 0;
    if (!fx_spool_rewind(a->rows)) {
        a->read_error = fx_spool_error(a->rows);
        return false;
    }
    return true;
}

static const fx_claim *bad_row(fx_audit *a)
{
    a->read_error = fx_spool_error(a->rows) ? fx_spool_error(a->rows)
                                            : "a claim row is not what was written";
    return NULL;
}

const fx_claim *fx_audit_next(fx_audit *a)
{
    if (!a->rows || a->read_error || a->next_row >= a->nclaims)
        return NULL;
    const fx_spool_field *f;
    size_t nf;
    row_hdr h;
    if (fx_spool_next(a->rows, &f, &nf) != 1 || nf < R_IDS || f[R_HDR].len != sizeof h)
        return bad_row(a);
    memcpy(&h, f[R_HDR].p, sizeof h);
    if (f[R_CELLS].len != (size_t)h.nsources * sizeof(cell_hdr) ||
        !ratio_from(&a->cur.min, &f[R_MIN]) || !ratio_from(&a->cur.max, &f[R_MAX]))
        return bad_row(a);
    a->cells = fx_xgrow(a->cells, &a->capcells, h.nsources, sizeof *a->cells);
    a->ids = fx_xgrow(a->ids, &a->capids, nf - R_IDS, sizeof *a->ids);
    for (size_t k = R_IDS; k < nf; k++)
        a->ids[k - R_IDS] = f[k].p;
    size_t nids = 0;
    for (uint32_t j = 0; j < h.nsources; j++) {
        cell_hdr c;
        memcpy(&c, (const char *)f[R_CELLS].p + j * sizeof c, sizeof c);
        if (c.source >= a->nsources || c.nids > FX_IDS_KEPT || c.nids > nf - R_IDS - nids)
            return bad_row(a);
        a->cells[j] = (fx_claim_source){c.source, c.first, c.places, (fx_qual)c.qual, c.span,
                                        a->ids + nids, c.nids, c.more};
        nids += c.nids;
    }
    if (nids != nf - R_IDS)
        return bad_row(a);
    a->cur.index = h.index;
    a->cur.high_lo = (fx_witness){h.high_lo.source, a->high_id, h.high_lo.value,
                                  h.high_lo.places, (fx_qual)h.high_lo.qual, h.high_lo.span};
    a->cur.low_hi = (fx_witness){h.low_hi.source, a->low_id, h.low_hi.value, h.low_hi.places,
                                 (fx_qual)h.low_hi.qual, h.low_hi.span};
    memcpy(a->high_id, h.high_lo.id, sizeof a->high_id);
    memcpy(a->low_id, h.low_hi.id, sizeof a->low_id);
    a->high_id[sizeof a->high_id - 1] = a->low_id[sizeof a->low_id - 1] = '\0';
    a->cur.claim = f[R_CLAIM].p;
    a->cur.entity = f[R_ENTITY].p;
    a->cur.kind = (fx_kind)h.kind;
    a->cur.unit_ccy = a->co.ntargets ? a->co.targets[0] : (fx_ccy){""};
    a->cur.facts = h.facts;
    a->cur.by_source = a->cells;
    a->cur.nsources = h.nsources;
    a->cur.verdict = (fx_claim_verdict)h.verdict;
    a->next_row++;
    return &a->cur;
}

void fx_audit_set_pass(fx_audit *a, size_t records)
{
    a->pass = records ? records : 1;
}

const char *fx_audit_read_error(const fx_audit *a)
{
    return a->read_error;
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
