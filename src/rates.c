/* rates - the rate table (SPEC 3): rates grouped by provider and pair as
 * the readers add them; rates_finish.c checks and indexes them and
 * rates_lookup.c answers the lookups. The files are read by rates_load.c
 * and one reader per format (rates_int.h).
 *
 * Layout. Rates are grouped by provider and *unordered* pair {X, Y} as
 * they are read: each (provider, pair) owns one array of fx_rate (X->Y
 * and Y->X mixed), which finish sorts by day in place (the ECB file is
 * newest first: a reversal), cleans of duplicates (at most one rate per
 * direction and day remains) and numbers (id). Lookups hand out pointers
 * into these arrays, so nothing is copied into a second index: the whole
 * ECB history is one 40-byte fx_rate per published rate, ~8.4 MB. Each
 * currency has an adjacency list of (provider, other currency, pair)
 * sorted by provider, then the other's code. A lookup, per provider in
 * the order asked, is a binary search in one pair (direct or inverse)
 * plus, for each neighbour C of `from` of that provider that also
 * neighbours `to`, a search for the latest day the two legs share: a
 * cross never mixes providers. For the ECB file that is 41 pairs {EUR,
 * X}, and every cross X->Y is one walk over two sorted arrays.
 *
 * Invariants: after fx_rates_finish the table is read-only; lookups do
 * not allocate (each_day excepted) and never read the locale. */
#define _DEFAULT_SOURCE /* NOLINT(bugprone-reserved-identifier): MAP_ANONYMOUS, madvise */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "rates_int.h"

/* 40 bytes a rate (36 with 4-byte pointers): no padding, line in 32 bits */
_Static_assert(sizeof(fx_rate) == 32 + sizeof(void *), "fx_rate has padding");

/* ---- small helpers ---- */

void fx_rates_say(char *why, size_t whylen, const char *fmt, ...)
{
    if (!why || whylen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}

static bool is_code(fx_ccy c)
{
    for (int i = 0; i < 3; i++)
        if (c.s[i] < 'A' || c.s[i] > 'Z')
            return false;
    return true;
}

int32_t fx_rates_dense(const fx_rate_table *t, fx_ccy c)
{
    return is_code(c) ? t->dense[fx_rates_code_of(c)] : -1;
}

static uint32_t intern_ccy(fx_rate_table *t, fx_ccy c)
{
    unsigned k = fx_rates_code_of(c);
    if (t->dense[k] >= 0)
        return (uint32_t)t->dense[k];
    if (t->nccy == t->ccycap) {
        t->ccycap = t->ccycap ? 2 * t->ccycap : 64;
        t->ccys = fx_xrealloc(t->ccys, t->ccycap * sizeof *t->ccys);
    }
    t->ccys[t->nccy] = c;
    t->dense[k] = (int32_t)t->nccy;
    return (uint32_t)t->nccy++;
}

static size_t hash_slot(uint64_t key, size_t cap)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & (cap - 1);
}

static void phash_grow(fx_rate_table *t)
{
    free(t->phash);
    t->phcap = t->phcap ? 2 * t->phcap : 256;
    t->phash = fx_xcalloc(t->phcap, sizeof *t->phash);
    for (size_t p = 0; p < t->npairs; p++) {
        size_t h = hash_slot(t->pairs[p].key, t->phcap);
        while (t->phash[h])
            h = (h + 1) & (t->phcap - 1);
        t->phash[h] = (uint32_t)p + 1;
    }
}

static uint64_t pair_key(uint32_t prov, fx_ccy a, fx_ccy b)
{
    unsigned ka = fx_rates_code_of(a), kb = fx_rates_code_of(b);
    return (uint64_t)prov << 32 |
           (uint64_t)(ka < kb ? ka * FX_NCODES + kb : kb * FX_NCODES + ka);
}

/* Pair id of {a, b} of provider prov, or -1. */
long fx_rates_find_pair(const fx_rate_table *t, uint32_t prov, fx_ccy a, fx_ccy b)
{
    if (!t->phcap)
        return -1;
    uint64_t key = pair_key(prov, a, b);
    for (size_t h = hash_slot(key, t->phcap); t->phash[h]; h = (h + 1) & (t->phcap - 1))
        if (t->pairs[t->phash[h] - 1].key == key)
            return (long)t->phash[h] - 1;
    return -1;
}

uint32_t fx_rates_pair(fx_rate_table *t, const fx_rate_origin *o, fx_ccy a, fx_ccy b)
{
    uint32_t prov = (uint32_t)o->provider_id;
    long p = fx_rates_find_pair(t, prov, a, b);
    if (p >= 0)
        return (uint32_t)p;
    if (2 * (t->npairs + 1) > t->phcap)
        phash_grow(t);
    if (t->npairs == t->paircap) {
        t->paircap = t->paircap ? 2 * t->paircap : 64;
        t->pairs = fx_xrealloc(t->pairs, t->paircap * sizeof *t->pairs);
    }
    bool a_first = fx_rates_code_of(a) < fx_rates_code_of(b);
    fx_rpair *np = &t->pairs[t->npairs];
    np->key = pair_key(prov, a, b);
    np->x = intern_ccy(t, a_first ? a : b);
    np->y = intern_ccy(t, a_first ? b : a);
    np->prov = prov;
    np->r = NULL;
    np->own = true;
    np->n = np->cap = 0;
    np->asc = np->desc = true;
    size_t h = hash_slot(np->key, t->phcap);
    while (t->phash[h])
        h = (h + 1) & (t->phcap - 1);
    t->phash[h] = (uint32_t)t->npairs + 1;
    return (uint32_t)t->npairs++;
}

/* ---- table ---- */

fx_rate_table *fx_rates_new(void)
{
    fx_rate_table *t = fx_xcalloc(1, sizeof *t);
    t->arena = fx_arena_new();
    for (size_t i = 0; i < FX_NCODES; i++)
        t->dense[i] = -1;
    return t;
}

void fx_rates_free(fx_rate_table *t)
{
    if (!t)
        return;
    free(t->adjoff);
    free(t->adj);
    free(t->cfirst);
    free(t->clast);
    for (size_t p = 0; p < t->npairs; p++)
        if (t->pairs[p].own)
            free(t->pairs[p].r);
    for (size_t b = 0; b < t->nblocks; b++)
        if (t->blocks[b].mapped)
            munmap(t->blocks[b].p, t->blocks[b].bytes);
        else
            free(t->blocks[b].p);
    free(t->blocks);
    free(t->ccys);
    free(t->pairs);
    free(t->phash);
    free(t->provs);
    free(t->loaded);
    free(t->files);
    free(t->aliases);
    fx_arena_free(t->arena);
    free(t);
}

size_t fx_rates_count(const fx_rate_table *t)
{
    return t->n;
}

bool fx_rates_has_aliases(const fx_rate_table *t)
{
    return t->has_aliases;
}

bool fx_rates_knows(const fx_rate_table *t, fx_ccy c)
{
    return fx_rates_dense(t, c) >= 0;
}

bool fx_rates_is_currency(const fx_rate_table *t, fx_ccy c)
{
    return fx_ccy_is_iso(&c) || fx_rates_knows(t, c);
}

bool fx_rates_check_target(const fx_rate_table *t, fx_ccy c, char *why, size_t whylen)
{
    if (fx_rates_is_currency(t, c))
        return true;
    fx_ccy code;
    if (fx_rates_resolve(t, c.s, strlen(c.s), &code))
        fx_rates_say(why, whylen,
            "%s is no known currency (neither ISO 4217 nor in the loaded rates) but an alias of "
            "%s; write %s",
            c.s, code.s, code.s);
    else
        fx_rates_say(why, whylen,
            "%s is no known currency: neither an ISO 4217 code nor in the loaded rates", c.s);
    return false;
}

static const char *const unit_words[] = {"count", "percent", "days", "months", "years"};

bool fx_rates_is_unit_word(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof unit_words / sizeof *unit_words; i++)
        if (strlen(unit_words[i]) == len && memcmp(unit_words[i], s, len) == 0)
            return true;
    return false;
}

size_t fx_rates_files(const fx_rate_table *t)
{
    return t->nfiles;
}

const char *fx_rates_file_name(const fx_rate_table *t, size_t i)
{
    return i < t->nfiles ? t->files[i].name : NULL;
}

const char *fx_rates_file_shown(const fx_rate_table *t, size_t i)
{
    return i < t->nfiles ? t->files[i].shown : NULL;
}

long long fx_rates_file_size(const fx_rate_table *t, size_t i)
{
    return i < t->nfiles ? t->files[i].size : -1;
}

const char *fx_rates_file_sha256(const fx_rate_table *t, size_t i)
{
    return i < t->nfiles ? t->files[i].sha256 : NULL;
}

bool fx_rates_file_range(const fx_rate_table *t, size_t i, fx_day *first, fx_day *last,
                         size_t *rates)
{
    if (i >= t->nfiles || t->files[i].n == 0)
        return false;
    if (first)
        *first = t->files[i].first;
    if (last)
        *last = t->files[i].last;
    if (rates)
        *rates = t->files[i].n;
    return true;
}

/* ---- what the readers add ---- */

const fx_rate_origin *fx_rates_origin(fx_rates_loader *L, const char *provider, size_t len)
{
    fx_rate_table *t = L->t;
    size_t id = 0;
    while (id < t->nprov &&
           !(strlen(t->provs[id].name) == len && memcmp(t->provs[id].name, provider, len) == 0))
        id++;
    if (id == t->nprov) {
        if (t->nprov == t->provcap) {
            t->provcap = t->provcap ? 2 * t->provcap : 8;
            t->provs = fx_xrealloc(t->provs, t->provcap * sizeof *t->provs);
        }
        t->provs[id] = (fx_rprov){fx_arena_strndup(t->arena, provider, len), false, 0};
        t->nprov++;
    }
    fx_rate_origin *o = fx_arena_alloc(t->arena, sizeof *o);
    *o = (fx_rate_origin){L->name, t->files[L->file].shown, t->provs[id].name, L->file, id};
    return o;
}

/* Room for cap rates in pp: its own array from now on (what it had in a
 * block stays there, unused). */
static void pair_resize(fx_rpair *pp, size_t cap)
{
    if (pp->own) {
        pp->r = fx_xrealloc(pp->r, cap * sizeof *pp->r);
    } else {
        fx_rate *r = fx_xmalloc(cap * sizeof *r);
        if (pp->n)
            memcpy(r, pp->r, pp->n * sizeof *r);
        pp->r = r;
        pp->own = true;
    }
    pp->cap = cap;
}

void fx_rates_reserve(fx_rate_table *t, uint32_t pair, size_t more)
{
    fx_rpair *p = &t->pairs[pair];
    if (p->cap - p->n < more)
        pair_resize(p, p->n + more);
}

/* A block of n rates. A large one gets pages of its own, so that the
 * kernel may back it with huge pages: one fault and one clear per 2 MB
 * instead of per 4 KB. Faulting in pages no allocation had touched was a
 * third of the time to load the ECB history (its 210,545 rates fill about
 * 8.4 MB). A small one (a test's file) is an ordinary allocation: a huge
 * page would be mostly empty. Where the kernel gives no huge pages (THP
 * off), the mapping is 4 KB pages, as malloc's would be. */
enum { HUGE_PAGE = 2u << 20, BLOCK_MAPPED = 2 * HUGE_PAGE };

static fx_rate *block_new(fx_rate_table *t, size_t n)
{
    size_t bytes = (n ? n : 1) * sizeof(fx_rate);
    void *p = NULL;
    bool mapped = false;
#ifdef MADV_HUGEPAGE
    size_t len = (bytes + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
    char *m = bytes < BLOCK_MAPPED ? MAP_FAILED
                                   : mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
                                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m != MAP_FAILED) { /* keep the 2 MB-aligned len bytes inside it */
        char *a = (char *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
        if (a > m)
            munmap(m, (size_t)(a - m));
        if (m + len + HUGE_PAGE > a + len)
            munmap(a + len, (size_t)(m + len + HUGE_PAGE - (a + len)));
        (void)madvise(a, len, MADV_HUGEPAGE); /* advice: refused, it is 4 KB pages */
        p = a;
        bytes = len;
        mapped = true;
    }
#endif
    if (!p)
        p = fx_xmalloc(bytes);
    t->blocks = fx_xrealloc(t->blocks, (t->nblocks + 1) * sizeof *t->blocks);
    t->blocks[t->nblocks++] = (fx_rblock){p, bytes, mapped};
    return p;
}

void fx_rates_wide(fx_rates_loader *L, size_t rows, size_t cols)
{
    /* no more than the file can hold (a rate takes two bytes: a digit and
     * a comma) nor 64 MB: a block is address space taken up front */
    size_t most = L->size / 2 + 1, cap_bytes = (size_t)64 << 20;
    size_t n = cols && rows > most / cols ? most : rows * cols;
    if (n > most)
        n = most;
    if (n > cap_bytes / sizeof(fx_rate))
        n = cap_bytes / sizeof(fx_rate);
    L->block = block_new(L->t, n);
    L->block_used = 0;
    L->block_cap = L->block ? n : 0;
}

void fx_rates_place(fx_rates_loader *L, uint32_t pair, size_t more)
{
    fx_rpair *pp = &L->t->pairs[pair];
    if (pp->n == 0 && pp->cap == 0 && L->block && L->block_cap - L->block_used >= more) {
        pp->r = L->block + L->block_used;
        pp->cap = more;
        pp->own = false;
        L->block_used += more;
        return;
    }
    fx_rates_reserve(L->t, pair, more);
}

/* The first rate of a pair: room for more, and SPEC 1's provider order
 * (providers in the order their first rates came). */
static void first_rate(fx_rate_table *t, fx_rpair *pp)
{
    if (pp->cap == 0)
        pair_resize(pp, 64);
    fx_rprov *pv = &t->provs[pp->prov];
    if (!pv->loaded) {
        pv->loaded = true;
        pv->order = (uint32_t)t->nloaded;
        t->loaded = fx_xrealloc(t->loaded, (t->nloaded + 1) * sizeof *t->loaded);
        t->loaded[t->nloaded++] = pp->prov;
    }
}

void fx_rates_add_day(fx_rates_loader *L, fx_day day, const fx_rate_origin *origin,
                      const fx_rates_item *it, size_t n)
{
    fx_rate_table *t = L->t;
    size_t added = 0;
    for (size_t i = 0; i < n; i++) {
        if (it[i].line > UINT32_MAX) { /* fx_rate keeps 32 bits of it: 40 bytes a rate */
            L->st = fx_diag_error(L->d, (fx_pos){L->name, it[i].line, it[i].col},
                                  "rate: past line %lu, the last a rate can cite; split the "
                                  "file",
                                  (unsigned long)UINT32_MAX);
            continue;
        }
        fx_rpair *pp = &t->pairs[it[i].pair];
        if (pp->n == 0) {
            first_rate(t, pp);
        } else {
            if (pp->n == pp->cap)
                pair_resize(pp, 2 * pp->cap);
            /* the order, noted now, spares finish a pass over the rates */
            fx_day prev = pp->r[pp->n - 1].day;
            pp->asc &= prev <= day;
            pp->desc &= prev > day;
        }
        /* A wide file fills many arrays at once (the ECB history: 41),
         * a rate each per row: more streams than the hardware follows, so
         * each new cache line was a miss. Ask for the line the pair's
         * next rates go to now, a row ahead of its use. */
        if (pp->n + 2 < pp->cap)
            __builtin_prefetch(pp->r + pp->n + 2, 1);
        /* id holds the column until finish numbers the rates */
        pp->r[pp->n++] =
            (fx_rate){.day = day,
                      .base = it[i].base,
                      .quote = it[i].quote,
                      .value = it[i].value,
                      .origin = origin,
                      .line = (uint32_t)it[i].line,
                      .id = (unsigned)(it[i].col > UINT_MAX ? UINT_MAX : it[i].col)};
        added++;
    }
    if (added == 0)
        return;
    t->n += added;
    fx_rfile *f = &t->files[L->file];
    if (f->n == 0 || day < f->first)
        f->first = day;
    if (f->n == 0 || day > f->last)
        f->last = day;
    f->n += added;
}

void fx_rates_add(fx_rates_loader *L, uint32_t pair, fx_day day, fx_ccy base, fx_ccy quote,
                  fx_small v, fx_pos at, const fx_rate_origin *origin)
{
    fx_rates_item it = {pair, base, quote, v, at.line, at.col};
    fx_rates_add_day(L, day, origin, &it, 1);
}

void fx_rates_add_alias(fx_rate_table *t, const char *s, size_t len, fx_ccy code, fx_pos at)
{
    if (t->naliases == t->aliascap) {
        t->aliascap = t->aliascap ? 2 * t->aliascap : 64;
        t->aliases = fx_xrealloc(t->aliases, t->aliascap * sizeof *t->aliases);
    }
    t->aliases[t->naliases] =
        (fx_ralias){fx_arena_strndup(t->arena, s, len), len, code, at, t->naliases};
    t->naliases++;
}

/* ---- providers ---- */

size_t fx_rates_providers(const fx_rate_table *t)
{
    return t->nloaded;
}

const char *fx_rates_provider(const fx_rate_table *t, size_t i)
{
    return i < t->nloaded ? t->provs[t->loaded[i]].name : NULL;
}

/* The id of a loaded provider, or -1. */
long fx_rates_provider_id(const fx_rate_table *t, const char *name)
{
    for (size_t i = 0; i < t->nloaded; i++)
        if (strcmp(t->provs[t->loaded[i]].name, name) == 0)
            return (long)t->loaded[i];
    return -1;
}

bool fx_rates_has_provider(const fx_rate_table *t, const char *name)
{
    return fx_rates_provider_id(t, name) >= 0;
}

/* The providers a lookup tries, in order (SPEC 1): those asked that are
 * loaded; none asked: ECB when loaded, else every loaded one in load
 * order. Returns how many (at most `cap`). */
size_t fx_rates_provider_order(const fx_rate_table *t, const fx_lookup_opts *o, uint32_t *out,
                             size_t cap)
{
    size_t n = 0;
    if (o && o->nproviders) {
        for (size_t i = 0; i < o->nproviders && n < cap; i++) {
            long id = fx_rates_provider_id(t, o->providers[i]);
            if (id >= 0)
                out[n++] = (uint32_t)id;
        }
        return n;
    }
    long ecb = fx_rates_provider_id(t, "ECB");
    if (ecb >= 0) {
        out[0] = (uint32_t)ecb;
        return 1;
    }
    for (size_t i = 0; i < t->nloaded && n < cap; i++)
        out[n++] = t->loaded[i];
    return n;
}

size_t fx_rates_default_providers(const fx_rate_table *t, const char **out, size_t cap)
{
    uint32_t ids[FX_MAX_PROVIDERS];
    size_t n = fx_rates_provider_order(t, NULL, ids, cap < FX_MAX_PROVIDERS ? cap : FX_MAX_PROVIDERS);
    for (size_t i = 0; i < n; i++)
        out[i] = t->provs[ids[i]].name;
    return n;
}
