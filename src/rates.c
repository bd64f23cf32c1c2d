/* rates - dated exchange rates: loading (ECB history, long, aliases),
 * checking, indexing, lookup (SPEC 3).
 *
 * Layout. Rates are grouped by *unordered* pair {X, Y} as they are read:
 * each pair owns one array of fx_rate (X->Y and Y->X mixed), which finish
 * sorts by day in place (the ECB file is newest first: a reversal),
 * cleans of duplicates (at most one rate per direction and day remains)
 * and numbers (id). Lookups hand out pointers into these arrays, so
 * nothing is copied into a second index: the whole ECB history is one
 * 48-byte fx_rate per published rate, ~10 MB, and loading it costs little
 * more than reading the CSV. Each currency has an adjacency list of
 * (other currency, pair) sorted by the other's code. A lookup is a binary
 * search in one pair (direct or inverse) plus, for each neighbour C of
 * `from` that also neighbours `to`, a search for the latest day the two
 * legs share. For the ECB file that is 41 pairs {EUR, X}, and every cross
 * X->Y is one walk over two sorted arrays.
 *
 * Invariants: after fx_rates_finish the table is read-only; lookups do
 * not allocate (each_day excepted) and never read the locale. */
#include "rates.h"

#include <dirent.h>
#include <errno.h>
#include <glib.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvin.h"
#include "digest.h"
#include "mem.h"
#include "xltext.h"

enum { NCODES = 26 * 26 * 26 };

/* One unordered pair: x has the smaller code. */
typedef struct {
    uint32_t key;  /* code(x) * NCODES + code(y) */
    uint32_t x, y; /* dense currency indexes */
    fx_rate *r;    /* load order; after finish sorted by day, duplicates gone */
    uint32_t *col; /* column of each rate, for messages; freed by finish */
    size_t n, cap;
    bool asc;  /* days so far never decrease */
    bool desc; /* days so far strictly decrease (the ECB file: newest first) */
} pair_t;

typedef struct {
    uint32_t other; /* dense index */
    uint32_t pair;
    uint32_t code; /* code_of(other): the sort key */
} adj_t;

typedef struct {
    const char *name;  /* as read (messages) */
    const char *shown; /* as the workbook names it */
    fx_day first, last;
    size_t n;
    long long size;            /* bytes read */
    char sha256[FX_SHA256_HEX]; /* of those bytes */
} file_t;

typedef struct {
    const char *s; /* in the arena */
    size_t len;
    fx_ccy code;
    fx_pos at;
    size_t order; /* load order, for a stable sort */
} alias_t;

struct fx_rate_table {
    fx_arena *arena; /* file names, origins, providers, alias strings */

    size_t n; /* rates in all pairs */

    int32_t dense[NCODES]; /* code -> dense currency index, -1 if absent */
    fx_ccy *ccys;          /* dense -> code */
    size_t nccy, ccycap;

    pair_t *pairs;
    size_t npairs, paircap;
    uint32_t *phash; /* open addressing: pair id + 1, 0 = empty */
    size_t phcap;

    file_t *files;
    size_t nfiles, filecap;

    alias_t *aliases;
    size_t naliases, aliascap;
    bool has_aliases;

    /* built by fx_rates_finish */
    bool finished;
    size_t *adjoff; /* nccy + 1 */
    adj_t *adj;
    fx_day *cfirst, *clast; /* per currency: first and last day it appears */
};

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

static int32_t dense_of(const fx_rate_table *t, fx_ccy c)
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

static size_t hash_slot(uint32_t key, size_t cap)
{
    return (size_t)((key * 2654435761u) & (uint32_t)(cap - 1));
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

static uint32_t pair_key(fx_ccy a, fx_ccy b)
{
    unsigned ka = code_of(a), kb = code_of(b);
    return ka < kb ? ka * NCODES + kb : kb * NCODES + ka;
}

/* Pair id of {a, b}, or -1. */
static long find_pair(const fx_rate_table *t, fx_ccy a, fx_ccy b)
{
    if (!t->phcap)
        return -1;
    uint32_t key = pair_key(a, b);
    for (size_t h = hash_slot(key, t->phcap); t->phash[h]; h = (h + 1) & (t->phcap - 1))
        if (t->pairs[t->phash[h] - 1].key == key)
            return (long)t->phash[h] - 1;
    return -1;
}

/* Pair id of {a, b} (a != b), registered on first use. */
static uint32_t intern_pair(fx_rate_table *t, fx_ccy a, fx_ccy b)
{
    long p = find_pair(t, a, b);
    if (p >= 0)
        return (uint32_t)p;
    if (2 * (t->npairs + 1) > t->phcap)
        phash_grow(t);
    if (t->npairs == t->paircap) {
        t->paircap = t->paircap ? 2 * t->paircap : 64;
        t->pairs = fx_xrealloc(t->pairs, t->paircap * sizeof *t->pairs);
    }
    bool a_first = code_of(a) < code_of(b);
    pair_t *np = &t->pairs[t->npairs];
    np->key = pair_key(a, b);
    np->x = intern_ccy(t, a_first ? a : b);
    np->y = intern_ccy(t, a_first ? b : a);
    np->r = NULL;
    np->col = NULL;
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
    for (size_t i = 0; i < NCODES; i++)
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
    for (size_t p = 0; p < t->npairs; p++) {
        free(t->pairs[p].r);
        free(t->pairs[p].col);
    }
    free(t->ccys);
    free(t->pairs);
    free(t->phash);
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
    return dense_of(t, c) >= 0;
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

/* ---- loading ---- */

typedef enum { K_UNKNOWN, K_ECB, K_LONG, K_ALIAS } file_kind;

typedef struct {
    fx_rate_table *t;
    fx_diags *d;
    size_t file; /* index into t->files */
    const char *name;
    file_kind kind;
    fx_rate_origin *origin; /* the file's own provider (ECB; a long file's name) */
    GHashTable *by_provider; /* long file with a source column: provider -> origin */
    size_t ncols;       /* fields a row must have */
    bool trailing;      /* ECB: the last column is the empty one after the final comma */
    fx_ccy *col_ccy;    /* ECB: currency of column i (i >= 1) */
    long *col_pair;     /* ECB: pair {EUR, ccy} of column i, -1 until its first rate */
    size_t reserve;     /* ECB: rates to expect per column (from the file size) */
    size_t size;        /* bytes in the file */
    size_t errors_before; /* errors of this file's name before it was read */
    fx_status st;
} loader;

/* Room for `more` rates in p without a realloc: growing 41 arrays of
 * 300 KB by doubling would copy them and fault their pages twice. */
static void reserve(pair_t *p, size_t more)
{
    if (p->cap - p->n >= more)
        return;
    p->cap = p->n + more;
    p->r = fx_xrealloc(p->r, p->cap * sizeof *p->r);
    p->col = fx_xrealloc(p->col, p->cap * sizeof *p->col);
}

static void add_rate(loader *L, fx_day day, fx_ccy base, fx_ccy quote, fx_small v, fx_pos at,
                     uint32_t pair, const fx_rate_origin *origin)
{
    fx_rate_table *t = L->t;
    pair_t *pp = &t->pairs[pair];
    if (pp->n == pp->cap) {
        pp->cap = pp->cap ? 2 * pp->cap : 64;
        pp->r = fx_xrealloc(pp->r, pp->cap * sizeof *pp->r);
        pp->col = fx_xrealloc(pp->col, pp->cap * sizeof *pp->col);
    }
    pp->r[pp->n] = (fx_rate){.day = day,
                             .base = base,
                             .quote = quote,
                             .value = v,
                             .origin = origin,
                             .line = at.line,
                             .id = 0};
    if (pp->n > 0) { /* the order, noted now, spares finish a pass over the rates */
        fx_day prev = pp->r[pp->n - 1].day;
        if (prev > day)
            pp->asc = false;
        if (prev <= day)
            pp->desc = false;
    }
    pp->col[pp->n++] = (uint32_t)(at.col > UINT32_MAX ? UINT32_MAX : at.col);
    t->n++;
    file_t *f = &t->files[L->file];
    if (f->n == 0 || day < f->first)
        f->first = day;
    if (f->n == 0 || day > f->last)
        f->last = day;
    f->n++;
}

/* How many bytes of a cell a message quotes: at most 60, never half a
 * UTF-8 character. */
static bool cell_is(const fx_cell *c, const char *s)
{
    return c->len == strlen(s) && memcmp(c->text, s, c->len) == 0;
}

/* Parses a rate cell; reports and returns false when it is not a
 * positive decimal of at most 18 significant digits. */
static bool parse_rate(loader *L, const fx_cell *c, fx_small *v)
{
    fx_dec_err e = fx_small_parse(v, c->text, c->len);
    if (e == FX_DEC_SYNTAX) {
        char hint[64];
        if (fx_dec_hint(c->text, c->len, hint, sizeof hint))
            fx_diag_error(L->d, c->at, "rate: expected a plain decimal, got \"%s\"; %s",
                          fx_diag_show(c->text, c->len), hint);
        else
            fx_diag_error(L->d, c->at,
                          "rate: expected a plain decimal (digits, optionally '.' and digits), "
                          "got \"%s\"",
                          fx_diag_show(c->text, c->len));
        return false;
    }
    if (e == FX_DEC_TOO_LONG) {
        /* two limits: 18 significant digits, and (as for every value) 100
         * digits counting every decimal place */
        size_t sig = 0, places = 0;
        bool nonzero = false, frac = false;
        for (size_t i = 0; i < c->len; i++) {
            char ch = c->text[i];
            if (ch == '.')
                frac = true;
            else if (ch >= '0' && ch <= '9') {
                nonzero |= ch != '0';
                sig += nonzero;
                places += frac;
            }
        }
        if (sig > FX_SMALL_MAX_DIGITS)
            fx_diag_error(L->d, c->at, "rate: \"%s\" has more than %d significant digits",
                          fx_diag_show(c->text, c->len), FX_SMALL_MAX_DIGITS);
        else
            fx_diag_error(L->d, c->at,
                          "rate: \"%s\" has %zu decimal places; at most %d digits are read, "
                          "counting every decimal place and the integer digits from the first "
                          "nonzero one",
                          fx_diag_show(c->text, c->len), places, FX_DEC_MAX_DIGITS);
        return false;
    }
    if (v->coef <= 0) {
        fx_diag_error(L->d, c->at, "rate: must be greater than zero, got \"%s\"", 
                      fx_diag_show(c->text, c->len));
        return false;
    }
    return true;
}

static bool parse_day(loader *L, const fx_cell *c, const char *what, fx_day *day)
{
    if (fx_date_parse(c->text, c->len, day))
        return true;
    fx_diag_error(L->d, c->at, "%s: expected a date YYYY-MM-DD that exists, got \"%s\"", what,
                  fx_diag_show(c->text, c->len));
    return false;
}

static bool parse_code(loader *L, const fx_cell *c, const char *what, fx_ccy *out)
{
    if (fx_ccy_parse(c->text, c->len, out))
        return true;
    fx_diag_error(L->d, c->at, "%s: expected a currency code (3 capital letters), got \"%s\"",
                  what, fx_diag_show(c->text, c->len));
    return false;
}

static fx_status header_ecb(loader *L, const fx_cell *c, size_t n)
{
    size_t ncur = n - 1;
    if (n >= 2 && c[n - 1].len == 0) { /* the real file's final comma */
        L->trailing = true;
        ncur--;
    }
    if (ncur == 0)
        return fx_diag_error(L->d, c[0].at, "ECB header: no currency columns after \"Date\"");
    L->ncols = n;
    /* A row holds n fields; ECB fields average 5-6 bytes ("1.1252,"), so
     * size / (4 n) rows is a generous guess, and a wrong one only costs
     * reallocs. Untouched reserved pages cost nothing. */
    L->reserve = L->size / (4 * (n ? n : 1)) + 16;
    size_t most = ((size_t)64 << 20) / ((sizeof(fx_rate) + sizeof(uint32_t)) * ncur);
    if (L->reserve > most) /* a huge file: no more than 64 MB up front */
        L->reserve = most;
    L->col_ccy = fx_xcalloc(n, sizeof *L->col_ccy);
    L->col_pair = fx_xcalloc(n, sizeof *L->col_pair);
    fx_status st = FX_OK;
    for (size_t i = 1; i <= ncur; i++) {
        L->col_pair[i] = -1;
        if (!parse_code(L, &c[i], "ECB header", &L->col_ccy[i])) {
            st = FX_E_DATA;
            continue;
        }
        if (strcmp(L->col_ccy[i].s, "EUR") == 0) {
            st = fx_diag_error(L->d, c[i].at, "ECB header: a EUR column in a file of EUR rates");
            continue;
        }
        for (size_t j = 1; j < i; j++)
            if (fx_ccy_eq(L->col_ccy[i], L->col_ccy[j])) {
                st = fx_diag_error(L->d, c[i].at, "ECB header: %s is also column %zu",
                                   L->col_ccy[i].s, j + 1);
                break;
            }
    }
    return st;
}

static fx_status header(loader *L, const fx_cell *c, size_t n)
{
    if (cell_is(&c[0], "Date")) {
        L->kind = K_ECB;
        L->origin->provider = "ECB"; /* SPEC 3 */
        return header_ecb(L, c, n);
    }
    if (cell_is(&c[0], "date") && (n == 4 || n == 5) && cell_is(&c[1], "base") &&
        cell_is(&c[2], "quote") && cell_is(&c[3], "rate") && (n == 4 || cell_is(&c[4], "source"))) {
        L->kind = K_LONG;
        L->ncols = n;
        return FX_OK;
    }
    if (n == 2 && cell_is(&c[0], "alias") && cell_is(&c[1], "code")) {
        L->kind = K_ALIAS;
        L->ncols = 2;
        L->t->has_aliases = true;
        return FX_OK;
    }
    char got[96]; /* the header as read, cut (at a character) after 80 bytes */
    size_t o = 0;
    bool cut = false;
    for (size_t i = 0; i < n && !cut; i++) {
        for (size_t k = 0; k < c[i].len + (i > 0) && !cut; k++) {
            char next = i > 0 && k == 0 ? ',' : c[i].text[k - (i > 0)];
            if (o == 80) {
                if (((unsigned char)next & 0xC0) == 0x80) { /* drop the half character */
                    while (o > 0 && ((unsigned char)got[o - 1] & 0xC0) == 0x80)
                        o--;
                    if (o > 0)
                        o--;
                }
                cut = true;
                break;
            }
            got[o++] = next;
        }
    }
    if (cut)
        memcpy(got + o, "...", 3), o += 3;
    got[o] = '\0';
    return fx_diag_error(L->d, c[0].at,
                         "unknown rates header \"%s\": expected ECB history (Date,USD,JPY,...), "
                         "long (date,base,quote,rate[,source]) or aliases (alias,code)",
                         fx_diag_show(got, o));
}

static void row_ecb(loader *L, const fx_cell *c, size_t n)
{
    fx_day day;
    if (!parse_day(L, &c[0], "Date", &day)) {
        L->st = FX_E_DATA;
        return;
    }
    size_t ncur = L->trailing ? n - 2 : n - 1;
    for (size_t i = 1; i <= ncur; i++) {
        const fx_cell *v = &c[i];
        if (v->len == 0 || (v->len == 3 && memcmp(v->text, "N/A", 3) == 0))
            continue; /* no rate that day */
        fx_small val;
        if (!parse_rate(L, v, &val)) {
            L->st = FX_E_DATA;
            continue;
        }
        static const fx_ccy eur = {"EUR"};
        if (L->col_pair[i] < 0) {
            L->col_pair[i] = intern_pair(L->t, eur, L->col_ccy[i]);
            reserve(&L->t->pairs[L->col_pair[i]], L->reserve);
        }
        add_rate(L, day, eur, L->col_ccy[i], val, v->at, (uint32_t)L->col_pair[i], L->origin);
    }
    if (L->trailing && c[n - 1].len != 0)
        L->st = fx_diag_error(L->d, c[n - 1].at,
                              "a value in the unnamed last column (the header ends with a comma)");
}

static fx_rate_origin *new_origin(loader *L, const char *provider)
{
    fx_rate_origin *o = fx_arena_alloc(L->t->arena, sizeof *o);
    *o = (fx_rate_origin){L->name, L->t->files[L->file].shown, provider, L->file};
    return o;
}

/* The origin of a long row: its source cell's provider, one origin per
 * distinct provider of the file (interned: the rates share it); an empty
 * cell, or no source column, is the file's own. NULL (reported) when the
 * cell cannot be a workbook cell. */
static const fx_rate_origin *row_origin(loader *L, const fx_cell *c, size_t n)
{
    if (n < 5 || c[4].len == 0)
        return L->origin;
    const fx_cell *src = &c[4];
    size_t stored = fx_xltext_len(src->text, src->len);
    if (stored > FX_XLTEXT_MAX) {
        fx_diag_error(L->d, src->at,
                      "source: %zu characters as a workbook stores them; a cell holds at most %d",
                      stored, FX_XLTEXT_MAX);
        return NULL;
    }
    if (!L->by_provider)
        L->by_provider = g_hash_table_new(g_str_hash, g_str_equal);
    fx_rate_origin *o = g_hash_table_lookup(L->by_provider, src->text); /* csvin: NUL-ended */
    if (!o) {
        o = new_origin(L, fx_arena_strndup(L->t->arena, src->text, src->len));
        g_hash_table_insert(L->by_provider, (char *)o->provider, o);
    }
    return o;
}

static void row_long(loader *L, const fx_cell *c, size_t n)
{
    fx_day day;
    fx_ccy base, quote;
    fx_small val;
    bool ok = parse_day(L, &c[0], "date", &day);
    ok &= parse_code(L, &c[1], "base", &base);
    ok &= parse_code(L, &c[2], "quote", &quote);
    ok &= parse_rate(L, &c[3], &val);
    const fx_rate_origin *origin = row_origin(L, c, n);
    ok &= origin != NULL;
    if (ok && fx_ccy_eq(base, quote)) {
        fx_diag_error(L->d, c[2].at, "quote: the same currency as base (%s)", base.s);
        ok = false;
    }
    if (!ok) {
        L->st = FX_E_DATA;
        return;
    }
    add_rate(L, day, base, quote, val, c[3].at, intern_pair(L->t, base, quote), origin);
}

static void row_alias(loader *L, const fx_cell *c)
{
    fx_ccy code;
    bool ok = true;
    size_t stored = fx_xltext_len(c[0].text, c[0].len);
    if (c[0].len == 0) {
        fx_diag_error(L->d, c[0].at, "alias: empty");
        ok = false;
    } else if (fx_rates_is_unit_word(c[0].text, c[0].len)) {
        /* a fact's unit "percent" is the unit: such an alias would never apply */
        fx_diag_error(L->d, c[0].at,
                      "alias \"%s\" is a unit word (count, percent, days, months, years), "
                      "which a fact's unit always means as such; an alias cannot rename it",
                      fx_diag_show(c[0].text, c[0].len));
        ok = false;
    } else if (stored > FX_XLTEXT_MAX) { /* a fact's unit is written as typed */
        fx_diag_error(L->d, c[0].at,
                      "alias: %zu characters as a workbook stores them; a cell holds at most %d",
                      stored, FX_XLTEXT_MAX);
        ok = false;
    }
    ok &= parse_code(L, &c[1], "code", &code);
    if (!ok) {
        L->st = FX_E_DATA;
        return;
    }
    fx_rate_table *t = L->t;
    if (t->naliases == t->aliascap) {
        t->aliascap = t->aliascap ? 2 * t->aliascap : 64;
        t->aliases = fx_xrealloc(t->aliases, t->aliascap * sizeof *t->aliases);
    }
    t->aliases[t->naliases] = (alias_t){fx_arena_strndup(t->arena, c[0].text, c[0].len),
                                        c[0].len, code, c[0].at, t->naliases};
    t->naliases++;
}

static fx_status on_row(void *ctx, const fx_cell *c, size_t n)
{
    loader *L = ctx;
    if (L->kind == K_UNKNOWN) {
        /* the first record was not handed on (csvin said why): it was the
         * header, and its rows mean nothing without it */
        if (fx_diags_errors_in(L->d, L->name) > L->errors_before)
            return L->st = FX_E_DATA;
        fx_status st = header(L, c, n);
        if (st != FX_OK)
            L->st = st;
        return st; /* a bad header stops the file: its rows mean nothing */
    }
    if (n != L->ncols) {
        L->st = fx_diag_error(L->d, c[0].at, "expected %zu fields as in the header, got %zu%s",
                              L->ncols, n,
                              L->kind == K_ECB && L->trailing && n + 1 == L->ncols
                                  ? " (every line of an ECB file ends with a comma)"
                                  : "");
        return FX_OK;
    }
    switch (L->kind) {
    case K_ECB:
        row_ecb(L, c, n);
        break;
    case K_LONG:
        row_long(L, c, n);
        break;
    case K_ALIAS:
        row_alias(L, c);
        break;
    case K_UNKNOWN:
        break;
    }
    return FX_OK;
}

/* SPEC 3: a long file's provider when a row names none: the file's name
 * without its folder and ".csv". */
static const char *file_provider(fx_arena *a, const char *shown)
{
    const char *base = strrchr(shown, '/');
    base = base ? base + 1 : shown;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".csv") == 0)
        n -= 4;
    return fx_arena_strndup(a, base, n);
}

static fx_status load_file(fx_rate_table *t, const char *path, const char *shown, fx_diags *d)
{
    struct stat sb;
    size_t size = stat(path, &sb) == 0 && sb.st_size > 0 ? (size_t)sb.st_size : 0;
    if (t->nfiles == t->filecap) {
        t->filecap = t->filecap ? 2 * t->filecap : 8;
        t->files = fx_xrealloc(t->files, t->filecap * sizeof *t->files);
    }
    const char *name = fx_arena_strndup(t->arena, path, strlen(path));
    size_t fi = t->nfiles++;
    const char *as = shown == path ? name : fx_arena_strndup(t->arena, shown, strlen(shown));
    t->files[fi] = (file_t){.name = name, .shown = as};
    loader L = {.t = t, .d = d, .file = fi, .name = name, .kind = K_UNKNOWN, .size = size,
                .errors_before = fx_diags_errors_in(d, name)};
    L.origin = new_origin(&L, file_provider(t->arena, t->files[fi].shown));
    fx_pos cut = {0};
    /* size and SHA-256 from the bytes the reader reads: the file is read once */
    fx_digest dg;
    fx_digest_init(&dg);
    fx_csvin_opts o = {.tap = fx_digest_tap, .tap_ctx = &dg, .unterminated = &cut};
    fx_status st = fx_csvin_read_opts(path, name, on_row, &L, &o, d);
    t->files[fi].size = dg.size;
    fx_digest_hex(&dg, t->files[fi].sha256);
    fx_digest_clear(&dg);
    if (L.by_provider)
        g_hash_table_destroy(L.by_provider);
    /* The real ECB file ends every line with ",\n"; a last line without
     * its line end is a download cut short. The reader keeps every byte
     * it got, but a cut number still parses ("162.72" arrives as "162.7"):
     * in a file without the final comma column (an ECB-format file saved
     * by another tool) nothing else would tell. */
    if (L.kind == K_ECB && cut.file) {
        fx_diag_error(d, cut,
                      "the last line has no line end, so the file looks cut short (a truncated "
                      "download?): every line of the ECB history ends with one; download it "
                      "again");
        if (st == FX_OK)
            st = FX_E_DATA;
    }
    if (st == FX_OK && L.kind == K_UNKNOWN)
        st = fx_diag_error(d, (fx_pos){name, 0, 0},
                           "empty file: expected a rates header: ECB history (Date,USD,JPY,...), "
                           "long (date,base,quote,rate[,source]) or aliases (alias,code)");
    free(L.col_ccy);
    free(L.col_pair);
    if (st == FX_OK)
        st = L.st;
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with_csv(const char *s)
{
    size_t n = strlen(s);
    return n > 4 && strcmp(s + n - 4, ".csv") == 0;
}

/* A *.csv in a rates folder is read, never skipped (SPEC 8): one that
 * cannot be (a link to a missing file, e.g. an unmounted share; no
 * permission to reach it; a folder or a device named *.csv) is
 * FX_E_NOINPUT with its path, since without it the numbers would change
 * without a word. A file without read permission passes here and fails
 * to open in load_file, with the same status. */
static bool readable_entry(const char *full, fx_diags *d)
{
    struct stat sb;
    if (stat(full, &sb) != 0) {
        int err = errno;
        char target[512];
        ssize_t tn = readlink(full, target, sizeof target - 1);
        if (tn >= 0) {
            target[tn] = '\0';
            fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0},
                           "cannot open %s: %s (a symbolic link to %s)", full, strerror(err),
                           target);
        } else
            fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot open %s: %s", full,
                           strerror(err));
        return false;
    }
    if (!S_ISREG(sb.st_mode)) {
        fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot read %s: %s", full,
                       S_ISDIR(sb.st_mode) ? strerror(EISDIR)
                                           : "not a regular file (a rates file must be one)");
        return false;
    }
    return true;
}

static fx_status load_dir(fx_rate_table *t, const char *path, const char *shown, fx_diags *d)
{
    DIR *dir = opendir(path);
    if (!dir)
        return fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot open %s: %s", path,
                              strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    size_t plen = strlen(path), slen = strlen(shown);
    bool slash = plen > 0 && path[plen - 1] == '/';
    bool sslash = slen > 0 && shown[slen - 1] == '/';
    struct dirent *e;
    int err;
    bool cut = false;
    while ((errno = 0, e = readdir(dir)) != NULL || (err = errno) != 0) {
        if (!e) { /* a listing cut short (an I/O error on a share) is no shorter folder */
            fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot read %s: %s", path,
                           strerror(err));
            cut = true;
            break;
        }
        if (e->d_name[0] == '.' || !ends_with_csv(e->d_name))
            continue; /* hidden files are not part of "*.csv" */
        size_t len = plen + 1 + strlen(e->d_name) + 1;
        char *full = fx_xmalloc(len);
        snprintf(full, len, "%s%s%s", path, slash ? "" : "/", e->d_name);
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            names = fx_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = full;
    }
    closedir(dir);
    fx_status st = cut ? FX_E_NOINPUT : FX_OK;
    if (n == 0 && !cut)
        st = fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "no *.csv rates files in %s", path);
    /* strcmp, not strcoll: the same order in every locale */
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_str);
    char *as = NULL;
    size_t ascap = 0;
    for (size_t i = 0; i < n; i++) {
        const char *file = names[i] + plen + !slash; /* the entry's own name */
        size_t len = slen + 1 + strlen(file) + 1;
        as = fx_xgrow(as, &ascap, len, 1);
        snprintf(as, len, "%s%s%s", shown, sslash ? "" : "/", file);
        fx_status s =
            readable_entry(names[i], d) ? load_file(t, names[i], shown == path ? names[i] : as, d)
                                        : FX_E_NOINPUT;
        if (s != FX_OK && (st == FX_OK || s < st))
            st = s;
        free(names[i]);
    }
    free(as);
    free(names);
    return st;
}

fx_status fx_rates_load(fx_rate_table *t, const char *path, fx_diags *d)
{
    return fx_rates_load_as(t, path, path, d);
}

fx_status fx_rates_load_as(fx_rate_table *t, const char *path, const char *shown, fx_diags *d)
{
    if (t->finished) /* finish handed out pointers that more rates would move */
        return fx_diag_status(d, FX_E_INTERNAL, (fx_pos){0},
                              "rates: %s loaded after fx_rates_finish", path);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot open %s: %s", path,
                              strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return load_dir(t, path, shown, d);
    return load_file(t, path, shown, d);
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
static void sort_pair_rates(pair_t *p)
{
    size_t n = p->n;
    order_key *idx = fx_xmalloc(n * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = (order_key){p->r[i].day, i};
    qsort(idx, n, sizeof *idx, cmp_load_order);
    fx_rate *r = fx_xmalloc(n * sizeof *r);
    uint32_t *col = fx_xmalloc(n * sizeof *col);
    for (size_t i = 0; i < n; i++) {
        r[i] = p->r[idx[i].i];
        col[i] = p->col[idx[i].i];
    }
    free(idx);
    free(p->r);
    free(p->col);
    p->r = r;
    p->col = col;
    p->cap = n;
    p->asc = true;
}

/* Strictly descending days (no duplicates possible): reverse and number
 * in one pass. */
static void reverse_and_number(pair_t *p, size_t base)
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
 * anything. */
static void dedup_and_number(pair_t *p, size_t base, pendings *errs)
{
    size_t out = 0, n = p->n;
    for (size_t s = 0; s < n;) {
        size_t end = s + 1;
        while (end < n && p->r[end].day == p->r[s].day)
            end++;
        if (end == s + 1) {
            if (out != s) {
                p->r[out] = p->r[s];
                p->col[out] = p->col[s];
            }
            p->r[out].id = (unsigned)(base + out);
            out++, s++;
            continue;
        }
        long first[2] = {-1, -1}; /* kept index by direction: 0 = base is the pair's x */
        for (size_t k = s; k < end; k++) {
            const fx_rate *r = &p->r[k];
            int dir = code_of(r->base) > code_of(r->quote);
            char day[11], v1[160], v2[160];
            long other = first[dir] >= 0 ? first[dir] : first[!dir];
            if (other >= 0) {
                const fx_rate *f = &p->r[other];
                bool same = first[dir] >= 0;
                if (same ? small_eq(f->value, r->value) : small_inverse(f->value, r->value)) {
                    if (same)
                        continue; /* the same rate twice: keep the first */
                } else {
                    fx_date_format(r->day, day);
                    fx_pos at = {r->origin->file, r->line, p->col[k]};
                    if (same)
                        pend(errs, at,
                                            "conflicting rates for 1 %s in %s on %s: %s here, %s "
                                            "at %s:%lu:%lu",
                                            r->base.s, r->quote.s, day, small_str(r->value, v1),
                                            small_str(f->value, v2), f->origin->file, f->line,
                                            (unsigned long)p->col[other]);
                    else
                        pend(errs, at,
                                            "conflicting rates on %s: 1 %s = %s %s here is not "
                                            "the exact inverse of 1 %s = %s %s at %s:%lu:%lu",
                                            day, r->base.s, small_str(r->value, v1), r->quote.s,
                                            f->base.s, small_str(f->value, v2), f->quote.s,
                                            f->origin->file, f->line,
                                            (unsigned long)p->col[other]);
                    continue;
                }
            }
            first[dir] = (long)out;
            if (out != k) {
                p->r[out] = p->r[k];
                p->col[out] = p->col[k];
            }
            p->r[out].id = (unsigned)(base + out);
            out++;
        }
        s = end;
    }
    p->n = out;
}

static int cmp_adj(const void *a, const void *b)
{
    const adj_t *x = a, *y = b;
    return x->code < y->code ? -1 : x->code > y->code;
}

static int cmp_alias(const void *a, const void *b)
{
    const alias_t *x = a, *y = b;
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
        alias_t *a = &t->aliases[i];
        if (out > 0 && t->aliases[out - 1].len == a->len &&
            memcmp(t->aliases[out - 1].s, a->s, a->len) == 0) {
            const alias_t *f = &t->aliases[out - 1];
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
        pair_t *pp = &t->pairs[p];
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
        free(pp->col);
        pp->col = NULL;
    }
    t->n = id;

    /* Adjacency, sorted by the neighbour's code (the order crosses are
     * tried in, which decides ties deterministically). */
    size_t nc = t->nccy;
    t->adjoff = fx_xcalloc(nc + 1, sizeof *t->adjoff);
    t->adj = fx_xmalloc((np ? 2 * np : 1) * sizeof *t->adj);
    t->cfirst = fx_xmalloc((nc ? nc : 1) * sizeof *t->cfirst);
    t->clast = fx_xmalloc((nc ? nc : 1) * sizeof *t->clast);
    for (size_t c = 0; c < nc; c++) {
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
        const pair_t *pp = &t->pairs[p];
        t->adj[pos[pp->x]++] = (adj_t){pp->y, (uint32_t)p, code_of(t->ccys[pp->y])};
        t->adj[pos[pp->y]++] = (adj_t){pp->x, (uint32_t)p, code_of(t->ccys[pp->x])};
        fx_day f = pp->r[0].day, l = pp->r[pp->n - 1].day;
        uint32_t ends[2] = {pp->x, pp->y};
        for (int i = 0; i < 2; i++) {
            if (f < t->cfirst[ends[i]])
                t->cfirst[ends[i]] = f;
            if (l > t->clast[ends[i]])
                t->clast[ends[i]] = l;
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
        alias_t key = {.s = s, .len = len, .order = 0};
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
static size_t lower(const fx_rate *r, size_t lo, size_t hi, fx_day v)
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
    size_t i = lower(a, 0, na, v), j = lower(b, 0, nb, v);
    while (i < na && j < nb) {
        if (a[i].day == b[j].day) {
            *out = a[i].day;
            return true;
        }
        if (a[i].day < b[j].day)
            i = lower(a, i, na, b[j].day);
        else
            j = lower(b, j, nb, a[i].day);
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

/* The best way to price a -> b: the latest day <= v (after = false) or
 * the earliest day >= v (after = true); on equal days a direct or inverse
 * rate beats a cross, and crosses go by the intermediate's code. */
static route best_route(const fx_rate_table *t, uint32_t a, uint32_t b, fx_day v, bool after)
{
    route r = {0};
    long p = find_pair(t, t->ccys[a], t->ccys[b]);
    if (p >= 0) {
        const fx_rate *dd = prates(t, (uint32_t)p);
        size_t n = t->pairs[p].n;
        if (after) {
            size_t i = lower(dd, 0, n, v);
            if (i < n)
                r = (route){true, false, dd[i].day, (uint32_t)p, 0};
        } else {
            size_t i = upper(dd, 0, n, v);
            if (i > 0)
                r = (route){true, false, dd[i - 1].day, (uint32_t)p, 0};
        }
    }
    for (size_t k = t->adjoff[a]; k < t->adjoff[a + 1]; k++) {
        uint32_t c = t->adj[k].other, p1 = t->adj[k].pair;
        if (c == b)
            continue;
        long p2 = find_pair(t, t->ccys[c], t->ccys[b]);
        if (p2 < 0)
            continue;
        const fx_rate *d1 = prates(t, p1), *d2 = prates(t, (uint32_t)p2);
        size_t n1 = t->pairs[p1].n, n2 = t->pairs[p2].n;
        /* skip legs that cannot beat what we have */
        if (r.found && !after && (d1[n1 - 1].day <= r.day || d2[n2 - 1].day <= r.day))
            continue;
        if (r.found && after && (d1[0].day >= r.day || d2[0].day >= r.day))
            continue;
        fx_day day;
        if (after ? common_after(d1, n1, d2, n2, v, &day) : common_before(d1, n1, d2, n2, v, &day))
            if (!r.found || (after ? day < r.day : day > r.day))
                r = (route){true, true, day, p1, (uint32_t)p2};
    }
    return r;
}

/* The rates of pair p on day: one per direction, at most two. */
static size_t rates_on(const fx_rate_table *t, uint32_t p, fx_day day, const fx_rate *out[2])
{
    const fx_rate *dd = prates(t, p);
    size_t n = t->pairs[p].n, i = lower(dd, 0, n, day), k = 0;
    for (; i < n && dd[i].day == day && k < 2; i++)
        out[k++] = &dd[i];
    return k;
}

/* from -> to as num/den from a route's rates; false when a cross would
 * need more than 18 significant digits. */
static bool price_route(const fx_rate_table *t, fx_ccy from, const route *r, fx_priced *out)
{
    static const fx_small one = {1, 0};
    fx_priced p = {.day = r->day};
    const fx_rate *l1[2] = {NULL, NULL}, *l2[2] = {NULL, NULL};
    size_t n1 = rates_on(t, r->p1, r->day, l1);
    if (n1 == 0) /* a route is found only where its pair has a rate that day */
        return false;
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
    size_t n2 = rates_on(t, r->p2, r->day, l2);
    const pair_t *pp = &t->pairs[r->p1];
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

/* Does currency c appear in any rate dated in (lo, hi]? */
static bool quoted_between(const fx_rate_table *t, uint32_t c, fx_day lo, fx_day hi)
{
    for (size_t k = t->adjoff[c]; k < t->adjoff[c + 1]; k++) {
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

fx_lookup_err fx_rates_lookup(const fx_rate_table *t, fx_ccy from, fx_ccy to, fx_day day,
                              const fx_lookup_opts *o, fx_priced *out, char *why, size_t whylen)
{
    char dbuf[11], rbuf[11];
    if (fx_ccy_eq(from, to)) {
        *out = (fx_priced){.day = day, .num = {1, 0}, .den = {1, 0}};
        return FX_LOOKUP_OK;
    }
    if (!t->finished) {
        say(why, whylen, "the rates are not indexed (fx_rates_finish was not called)");
        return FX_LOOKUP_NO_RATE;
    }
    int32_t a = dense_of(t, from), b = dense_of(t, to);
    if (a < 0 || b < 0) {
        say(why, whylen, "no %s rate in the loaded rates", (a < 0 ? from : to).s);
        return FX_LOOKUP_NO_RATE;
    }
    route r = best_route(t, (uint32_t)a, (uint32_t)b, day, false);
    if (!r.found || r.day != day)
        fx_date_format(day, dbuf); /* only messages need the text */
    if (!r.found) {
        route f = best_route(t, (uint32_t)a, (uint32_t)b, day, true);
        if (!f.found) {
            say(why, whylen,
                "no rate links %s and %s, directly or through one common currency on the same "
                "day",
                from.s, to.s);
            return FX_LOOKUP_NO_RATE;
        }
        fx_day fa = t->cfirst[a], fb = t->cfirst[b];
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
        bool qa = quoted_between(t, (uint32_t)a, r.day, day);
        bool qb = quoted_between(t, (uint32_t)b, r.day, day);
        int name = qa && !qb ? 1 : !qa && qb ? 0 : -1;
        if (!qa && !qb && t->clast[a] != t->clast[b])
            name = t->clast[a] < t->clast[b] ? 0 : 1;
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

void fx_rates_each_day(const fx_rate_table *t, fx_ccy from, fx_ccy to, fx_day lo, fx_day hi,
                       void (*fn)(void *ctx, const fx_priced *p), void *ctx)
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
    int32_t a = dense_of(t, from), b = dense_of(t, to);
    if (a < 0 || b < 0)
        return;
    fx_priced *found = NULL;
    size_t n = 0, cap = 0;
    for (fx_day v = hi;;) {
        route r = best_route(t, (uint32_t)a, (uint32_t)b, v, false);
        if (!r.found || r.day < lo)
            break;
        fx_priced p;
        if (price_route(t, from, &r, &p)) {
            if (n == cap) {
                cap = cap ? 2 * cap : 32;
                found = fx_xrealloc(found, cap * sizeof *found);
            }
            found[n++] = p;
        }
        if (r.day == INT32_MIN)
            break;
        v = r.day - 1;
    }
    for (size_t i = n; i > 0; i--)
        fn(ctx, &found[i - 1]);
    free(found);
}
