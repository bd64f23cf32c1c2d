/* rates - the rate table (SPEC 3): rates grouped by provider and pair,
 * checked and indexed by finish, and the lookup. The files are read by
 * rates_load.c and one reader per format (rates_int.h).
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

static void say(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static unsigned code_of(fx_ccy c)
{
    return (unsigned)(c.s[0] - 'A') * 676u + (unsigned)(c.s[1] - 'A') * 26u +
           (unsigned)(c.s[2] - 'A');
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
    return is_code(c) ? t->dense[code_of(c)] : -1;
}

static uint32_t intern_ccy(fx_rate_table *t, fx_ccy c)
{
    unsigned k = code_of(c);
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
    unsigned ka = code_of(a), kb = code_of(b);
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
    bool a_first = code_of(a) < code_of(b);
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

/* Value with trailing zeros of the coefficient removed ("1.10" -> 1.1). */
static fx_small small_norm(fx_small v)
{
    while (v.coef != 0 && v.coef % 10 == 0 && v.exp < INT32_MAX) {
        v.coef /= 10;
        v.exp++;
    }
    return v;
}

static bool small_eq(fx_small a, fx_small b)
{
    a = small_norm(a);
    b = small_norm(b);
    return a.coef == b.coef && (a.coef == 0 || a.exp == b.exp);
}

/* a * b exactly when the coefficient keeps to 18 digits. */
static bool small_mul(fx_small a, fx_small b, fx_small *out)
{
    a = small_norm(a);
    b = small_norm(b);
    int64_t c;
    if (__builtin_mul_overflow(a.coef, b.coef, &c) || c > 999999999999999999LL ||
        c < -999999999999999999LL)
        return false;
    long e = (long)a.exp + (long)b.exp;
    if (e > INT32_MAX || e < INT32_MIN)
        return false;
    *out = (fx_small){c, (int32_t)e};
    return true;
}

/* a * b == 1, exactly (rationals; never floating point). */
static bool small_inverse(fx_small a, fx_small b)
{
    fx_ratio ra, rb, one;
    fx_ratio_init(&ra);
    fx_ratio_init(&rb);
    fx_ratio_init(&one);
    fx_ratio_set_small(&ra, a);
    fx_ratio_set_small(&rb, b);
    fx_ratio_set_small(&one, (fx_small){1, 0});
    fx_ratio_mul(&ra, &ra, &rb);
    bool r = fx_ratio_cmp(&ra, &one) == 0;
    fx_ratio_clear(&ra);
    fx_ratio_clear(&rb);
    fx_ratio_clear(&one);
    return r;
}

/* Plain decimal text of v, for messages (locale-free). */
static const char *small_str(fx_small v, char buf[160])
{
    char digits[24] = {0}; /* the analyzer cannot see the do-while fill it */
    int nd = 0;
    uint64_t c = v.coef < 0 ? (uint64_t)0 - (uint64_t)v.coef : (uint64_t)v.coef;
    do {
        digits[nd++] = (char)('0' + c % 10);
        c /= 10;
    } while (c);
    size_t o = 0;
    if (v.coef < 0)
        buf[o++] = '-';
    long exp = v.exp;
    if (exp > 100 || exp < -100) { /* not from a parsed input: say so plainly */
        snprintf(buf, 160, "%lldE%ld", (long long)v.coef, exp);
        return buf;
    }
    if (exp >= 0) {
        while (nd)
            buf[o++] = digits[--nd];
        for (long i = 0; i < exp; i++)
            buf[o++] = '0';
    } else {
        long frac = -exp;
        if (nd <= frac) {
            buf[o++] = '0';
            buf[o++] = '.';
            for (long i = nd; i < frac; i++)
                buf[o++] = '0';
            while (nd)
                buf[o++] = digits[--nd];
        } else {
            while (nd > frac)
                buf[o++] = digits[--nd];
            buf[o++] = '.';
            while (nd)
                buf[o++] = digits[--nd];
        }
    }
    buf[o] = '\0';
    return buf;
}

static const char *const weekday_name[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                            "Friday", "Saturday", "Sunday"};

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
        say(why, whylen,
            "%s is no known currency (neither ISO 4217 nor in the loaded rates) but an alias of "
            "%s; write %s",
            c.s, code.s, code.s);
    else
        say(why, whylen,
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
static size_t provider_order(const fx_rate_table *t, const fx_lookup_opts *o, uint32_t *out,
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
    size_t n = provider_order(t, NULL, ids, cap < FX_MAX_PROVIDERS ? cap : FX_MAX_PROVIDERS);
    for (size_t i = 0; i < n; i++)
        out[i] = t->provs[ids[i]].name;
    return n;
}

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
            int dir = code_of(r->base) > code_of(r->quote);
            char day[11], v1[160], v2[160];
            int odir = first[dir] >= 0 ? dir : !dir;
            long other = first[odir];
            if (other >= 0) {
                const fx_rate *f = &p->r[other];
                bool same = first[dir] >= 0;
                if (same ? small_eq(f->value, r->value) : small_inverse(f->value, r->value)) {
                    if (same)
                        continue; /* the same rate twice: keep the first */
                } else {
                    fx_date_format(r->day, day);
                    fx_pos at = {r->origin->file, r->line, col};
                    if (same)
                        pend(errs, at,
                                            "conflicting rates for 1 %s in %s on %s: %s here, %s "
                                            "at %s:%lu:%lu",
                                            r->base.s, r->quote.s, day, small_str(r->value, v1),
                                            small_str(f->value, v2), f->origin->file,
                                            (unsigned long)f->line,
                                            (unsigned long)first_col[odir]);
                    else
                        pend(errs, at,
                                            "conflicting rates on %s: 1 %s = %s %s here is not "
                                            "the exact inverse of 1 %s = %s %s at %s:%lu:%lu",
                                            day, r->base.s, small_str(r->value, v1), r->quote.s,
                                            f->base.s, small_str(f->value, v2), f->quote.s,
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
        t->adj[pos[pp->x]++] = (fx_radj){pp->y, (uint32_t)p, pp->prov, code_of(t->ccys[pp->y])};
        t->adj[pos[pp->y]++] = (fx_radj){pp->x, (uint32_t)p, pp->prov, code_of(t->ccys[pp->x])};
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
            ok = small_mul(a->value, b->value, &num);
        else if (order[o][0] && order[o][1])
            ok = small_mul(a->value, b->value, &den);
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

static void say(char *why, size_t whylen, const char *fmt, ...)
{
    if (!why || whylen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
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
            say(why, whylen,
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
            say(why, whylen, "no %s rate on or before %s: the %s series starts on %s", c, dbuf, c,
                rbuf);
        } else {
            fx_date_format(f.day, rbuf);
            say(why, whylen,
                "no rate to price %s in %s on or before %s: the first one is from %s", from.s,
                to.s, dbuf, rbuf);
        }
        return FX_LOOKUP_BEFORE;
    }
    if (r.day != day)
        fx_date_format(r.day, rbuf);
    if (o->fallback == FX_FALLBACK_NONE && r.day != day) {
        say(why, whylen,
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
            say(why, whylen, "the latest %s rate is from %s, %ld %s before %s (--max-stale %ld)",
                (name == 0 ? from : to).s, rbuf, age, age == 1 ? "day" : "days", dbuf,
                o->max_stale);
        else
            say(why, whylen,
                "the latest rate to price %s in %s is from %s, %ld %s before %s (--max-stale "
                "%ld)",
                from.s, to.s, rbuf, age, age == 1 ? "day" : "days", dbuf, o->max_stale);
        return FX_LOOKUP_STALE;
    }
    if (!price_route(t, from, &r, out)) {
        fx_date_format(r.day, rbuf);
        say(why, whylen,
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
        say(why, whylen, "the rates are not indexed (fx_rates_finish was not called)");
        return FX_LOOKUP_NO_RATE;
    }
    int32_t a = fx_rates_dense(t, from), b = fx_rates_dense(t, to);
    if (a < 0 || b < 0) {
        say(why, whylen, "no %s rate in the loaded rates", (a < 0 ? from : to).s);
        return FX_LOOKUP_NO_RATE;
    }
    uint32_t order[FX_MAX_PROVIDERS];
    size_t n = provider_order(t, o, order, FX_MAX_PROVIDERS);
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
        say(why, whylen, "no %s rate from ", (lacks_from ? from : to).s);
        for (size_t i = 0; why && i < n && (at = strlen(why)) < whylen; i++)
            snprintf(why + at, whylen - at, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
                     t->provs[order[i]].name);
        if (n == 0)
            say(why, whylen, "none of the providers asked for is loaded");
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
        np = provider_order(t, NULL, order, FX_MAX_PROVIDERS);
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
