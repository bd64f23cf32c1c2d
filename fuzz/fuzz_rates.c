/* fuzz_rates - the input bytes as a rates file (ECB history, long,
 * aliases, FRED or Bank of England: the header decides), loaded from a temporary file made once
 * (rates.h has no loader from memory), then fx_rates_finish and lookups
 * between the codes and on the dates the input names. Depending on
 * size % 3 the fixed fuzz/data/rates-small.csv is loaded before or after
 * it too, so that conflicts and crosses with known rates get exercised.
 * Invariants:
 * - load and finish return FX_OK or FX_E_DATA; FX_OK exactly when no
 *   error was recorded; every message is "FILE:LINE:COL: error: ..." or
 *   "FILE: error: ..." naming a loaded file (LINE within the input);
 * - file ranges: first <= last, a range exactly when the file gave rates;
 * - a lookup that fails leaves *out untouched and explains itself; one
 *   that succeeds is priced on a day R <= D (R == D for --fallback none,
 *   D - R <= max_stale), by legs dated R that chain from -> to, with
 *   num/den exactly the product of the legs' (maybe inverted) values;
 * - --fallback none and --max-stale agree with the plain lookup;
 * - from -> to and to -> from, both priced, are exact inverses on the
 *   same day (conflicting inverses are dropped by finish);
 * - fx_rates_each_day over the 10 days up to D reports exactly what
 *   lookups on those days give, and its last day is the lookup's R;
 * - those hold per provider (each one asked alone); a cross never takes
 *   its legs from two providers. */
#include "dec.h"
#include "fuzz_util.h"
#include "rates.h"

static const char *tmp;
static char small_path[4200];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(small_path, sizeof small_path, "%s/fuzz/data/rates-small.csv", fz_top());
    if (access(small_path, R_OK) != 0) {
        fprintf(stderr, "fuzz_rates: cannot read %s (set FXBOOK_TOP to the source tree)\n",
                small_path);
        exit(1);
    }
    tmp = fz_tmpfile("rates");
    return 0;
}

enum { MAXC = 6, MAXD = 7 };

static bool has_code(const fx_ccy *c, size_t n, fx_ccy x)
{
    for (size_t i = 0; i < n; i++)
        if (fx_ccy_eq(c[i], x))
            return true;
    return false;
}

static bool has_day(const fx_day *d, size_t n, fx_day x)
{
    for (size_t i = 0; i < n; i++)
        if (d[i] == x)
            return true;
    return false;
}

/* r = (inverse ? 1 / v : v) */
static void leg_ratio(fx_ratio *r, fx_small v, bool inverse)
{
    fx_ratio_set_small(r, v);
    if (inverse) {
        fx_ratio one;
        fx_ratio_init(&one);
        fx_ratio_set_small(&one, (fx_small){1, 0});
        fx_ratio_div(r, &one, r);
        fx_ratio_clear(&one);
    }
}

static void priced_ratio(fx_ratio *r, const fx_priced *p)
{
    fx_ratio den;
    fx_ratio_init(&den);
    fx_ratio_set_small(r, p->num);
    fx_ratio_set_small(&den, p->den);
    fx_ratio_div(r, r, &den);
    fx_ratio_clear(&den);
}

static bool same_priced(const fx_priced *a, const fx_priced *b)
{
    return a->day == b->day && a->num.coef == b->num.coef && a->num.exp == b->num.exp &&
           a->den.coef == b->den.coef && a->den.exp == b->den.exp && a->leg[0] == b->leg[0] &&
           a->leg[1] == b->leg[1] && a->inverse[0] == b->inverse[0] &&
           (a->leg[1] == NULL || a->inverse[1] == b->inverse[1]);
}

static void check_priced(const fx_rate_table *t, fx_ccy from, fx_ccy to, fx_day day,
                         const fx_priced *p)
{
    FZ_CHECK(p->day <= day, "%s->%s priced on day %ld after %ld", from.s, to.s, (long)p->day,
             (long)day);
    if (fx_ccy_eq(from, to)) {
        FZ_CHECK(p->day == day && p->num.coef == 1 && p->num.exp == 0 && p->den.coef == 1 &&
                     p->den.exp == 0 && !p->leg[0] && !p->leg[1],
                 "%s->%s is not 1", from.s, to.s);
        return;
    }
    FZ_CHECK(fx_rates_knows(t, from) && fx_rates_knows(t, to), "%s->%s priced, not known",
             from.s, to.s);
    FZ_CHECK(p->num.coef > 0 && p->den.coef > 0, "%s->%s: num %lld den %lld", from.s, to.s,
             (long long)p->num.coef, (long long)p->den.coef);
    FZ_CHECK(p->leg[0] != NULL, "%s->%s: no leg", from.s, to.s);
    fx_ccy at = from;
    fx_ratio want, leg;
    fx_ratio_init(&want);
    fx_ratio_init(&leg);
    fx_ratio_set_small(&want, (fx_small){1, 0});
    for (int i = 0; i < 2 && p->leg[i]; i++) {
        const fx_rate *r = p->leg[i];
        FZ_CHECK(r->day == p->day, "%s->%s: leg %d dated %ld, priced on %ld", from.s, to.s, i,
                 (long)r->day, (long)p->day);
        FZ_CHECK(r->value.coef > 0, "%s->%s: leg %d value %lld", from.s, to.s, i,
                 (long long)r->value.coef);
        FZ_CHECK(r->origin != NULL && r->origin->file != NULL && r->line >= 1, "%s->%s: leg %d without a position", from.s,
                 to.s, i);
        FZ_CHECK(r->id < fx_rates_count(t), "%s->%s: leg %d id %u of %zu", from.s, to.s, i, r->id,
                 fx_rates_count(t));
        fx_ccy in = p->inverse[i] ? r->quote : r->base, out = p->inverse[i] ? r->base : r->quote;
        FZ_CHECK(fx_ccy_eq(in, at), "%s->%s: leg %d (%s %s, inverse %d) does not start at %s",
                 from.s, to.s, i, r->base.s, r->quote.s, p->inverse[i], at.s);
        at = out;
        leg_ratio(&leg, r->value, p->inverse[i]);
        fx_ratio_mul(&want, &want, &leg);
    }
    FZ_CHECK(fx_ccy_eq(at, to), "%s->%s: the legs end at %s", from.s, to.s, at.s);
    FZ_CHECK(!p->leg[1] || p->leg[0]->origin->provider == p->leg[1]->origin->provider,
             "%s->%s: a cross of two providers' legs (%s, %s)", from.s, to.s,
             p->leg[0]->origin->provider, p->leg[1]->origin->provider);
    priced_ratio(&leg, p);
    FZ_CHECK(fx_ratio_cmp(&leg, &want) == 0, "%s->%s: num/den is not the product of the legs",
             from.s, to.s);
    fx_ratio_clear(&want);
    fx_ratio_clear(&leg);
}

static fx_lookup_err lookup(const fx_rate_table *t, fx_ccy from, fx_ccy to, fx_day day,
                            const fx_lookup_opts *o, fx_priced *out)
{
    fx_priced sentinel;
    memset(&sentinel, 0xA5, sizeof sentinel);
    *out = sentinel;
    char why[FX_DEC_STR_MAX];
    memset(why, 'X', sizeof why);
    fx_lookup_err e = fx_rates_lookup(t, from, to, day, o, out, why, sizeof why);
    if (e == FX_LOOKUP_OK) {
        check_priced(t, from, to, day, out);
        if (o->fallback == FX_FALLBACK_NONE)
            FZ_CHECK(out->day == day, "--fallback none priced on another day");
        if (o->fallback == FX_FALLBACK_PREVIOUS && o->max_stale >= 0)
            FZ_CHECK((long)day - (long)out->day <= o->max_stale, "stale rate");
        return e;
    }
    FZ_CHECK(e == FX_LOOKUP_NO_RATE || e == FX_LOOKUP_BEFORE || e == FX_LOOKUP_STALE ||
                 e == FX_LOOKUP_NOT_ON_DAY,
             "lookup error %d", (int)e);
    FZ_CHECK(memcmp(out, &sentinel, sizeof sentinel) == 0, "a failed lookup wrote *out");
    /* written: the buffer held no NUL before (a reason may start with an X:
     * a provider named "XUD..." leads "P: why; ..." with several providers) */
    FZ_CHECK(memchr(why, '\0', sizeof why) != NULL && why[0] != '\0',
             "a failed lookup (%d) without a reason", (int)e);
    FZ_CHECK(!fx_ccy_eq(from, to), "%s->%s failed", from.s, to.s);
    return e;
}

typedef struct {
    const fx_rate_table *t;
    fx_ccy from, to;
    fx_day lo, hi, last;
    size_t n;
    const fx_lookup_opts *one; /* the provider each_day was asked for */
} each_ctx;

static void on_day(void *vctx, const fx_priced *p)
{
    each_ctx *c = vctx;
    FZ_CHECK(p->day >= c->lo && p->day <= c->hi, "each_day: day %ld outside [%ld, %ld]",
             (long)p->day, (long)c->lo, (long)c->hi);
    FZ_CHECK(c->n == 0 || p->day > c->last, "each_day: days not ascending");
    c->last = p->day;
    c->n++;
    fx_lookup_opts o = *c->one;
    o.fallback = FX_FALLBACK_NONE;
    o.max_stale = -1;
    fx_priced q;
    fx_lookup_err e = lookup(c->t, c->from, c->to, p->day, &o, &q);
    FZ_CHECK(e == FX_LOOKUP_OK && same_priced(p, &q),
             "each_day's %s->%s on %ld is not what lookup gives (%d)", c->from.s, c->to.s,
             (long)p->day, (int)e);
}

/* The invariants hold for one provider at a time (SPEC 3: the first
 * provider that can price a pair wins, so with two, --fallback none may
 * find the second's rate of the day where the first's is older). */
static void lookups(const fx_rate_table *t, const fx_ccy *codes, size_t nc, const fx_day *days,
                    size_t nd, const char *const *provider)
{
    const fx_lookup_opts prev = {FX_FALLBACK_PREVIOUS, -1, provider, 1};
    const fx_lookup_opts none = {FX_FALLBACK_NONE, -1, provider, 1};
    const fx_lookup_opts stale = {FX_FALLBACK_PREVIOUS, 7, provider, 1};
    for (size_t i = 0; i < nc; i++)
        for (size_t j = 0; j < nc; j++)
            for (size_t k = 0; k < nd; k++) {
                fx_ccy a = codes[i], b = codes[j];
                fx_day day = days[k];
                fx_priced p, q, back;
                fx_lookup_err e = lookup(t, a, b, day, &prev, &p);
                fx_lookup_err en = lookup(t, a, b, day, &none, &q);
                if (e == FX_LOOKUP_OK) {
                    if (p.day == day)
                        FZ_CHECK(en == FX_LOOKUP_OK && same_priced(&p, &q),
                                 "--fallback none differs on a day with a rate");
                    else
                        FZ_CHECK(en == FX_LOOKUP_NOT_ON_DAY, "--fallback none: %d", (int)en);
                } else if (e == FX_LOOKUP_BEFORE)
                    FZ_CHECK(en == FX_LOOKUP_BEFORE, "BEFORE, but --fallback none: %d", (int)en);
                fx_lookup_err es = lookup(t, a, b, day, &stale, &q);
                if (e == FX_LOOKUP_OK) {
                    if ((long)day - (long)p.day <= 7)
                        FZ_CHECK(es == FX_LOOKUP_OK && same_priced(&p, &q),
                                 "--max-stale 7 differs on a fresh rate");
                    else
                        FZ_CHECK(es == FX_LOOKUP_STALE, "--max-stale 7: %d", (int)es);
                } else if (e == FX_LOOKUP_BEFORE)
                    FZ_CHECK(es == FX_LOOKUP_BEFORE, "BEFORE, but --max-stale: %d", (int)es);

                if (e == FX_LOOKUP_OK && i < j &&
                    lookup(t, b, a, day, &prev, &back) == FX_LOOKUP_OK) {
                    FZ_CHECK(back.day == p.day, "%s->%s on %ld, %s->%s on %ld", a.s, b.s,
                             (long)p.day, b.s, a.s, (long)back.day);
                    fx_ratio x, y;
                    fx_ratio_init(&x);
                    fx_ratio_init(&y);
                    priced_ratio(&x, &p);
                    priced_ratio(&y, &back);
                    fx_ratio_mul(&x, &x, &y);
                    fx_ratio_set_small(&y, (fx_small){1, 0});
                    FZ_CHECK(fx_ratio_cmp(&x, &y) == 0, "%s->%s and back are not inverses",
                             a.s, b.s);
                    fx_ratio_clear(&x);
                    fx_ratio_clear(&y);
                }
                if (k == 0 || (i + j + k) % 3 == 0) { /* each_day now and then: it allocates */
                    each_ctx c = {t, a, b, day - 10, day, 0, 0, &prev};
                    fx_rates_each_day_of(t, *provider, a, b, day - 10, day, on_day, &c);
                    if (fx_ccy_eq(a, b))
                        FZ_CHECK(c.n == 11, "each_day %s->%s: %zu days", a.s, b.s, c.n);
                    else if (e == FX_LOOKUP_OK && p.day >= day - 10)
                        FZ_CHECK(c.n > 0 && c.last == p.day,
                                 "each_day %s->%s ends on %ld, lookup gives %ld", a.s, b.s,
                                 (long)c.last, (long)p.day);
                    else if (e == FX_LOOKUP_BEFORE)
                        FZ_CHECK(c.n == 0, "each_day reports days before the first rate");
                }
            }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_write(tmp, data, size);
    fx_rate_table *t = fx_rates_new();
    fx_diags *d = fx_diags_new();
    int order = (int)(size % 3); /* 0: the input alone; 1: small first; 2: small after */
    const char *paths[2];
    size_t np = 0;
    if (order == 1)
        paths[np++] = small_path;
    paths[np++] = tmp;
    if (order == 2)
        paths[np++] = small_path;
    fx_status st = FX_OK;
    for (size_t i = 0; i < np; i++) {
        fx_status s = fx_rates_load(t, paths[i], d);
        FZ_CHECK(s == FX_OK || s == FX_E_DATA, "load %s: status %d", paths[i], (int)s);
        if (s != FX_OK)
            st = s;
    }
    FZ_CHECK((st == FX_OK) == (fx_diags_status(d) == FX_OK), "load status %d, diags %d",
             (int)st, (int)fx_diags_status(d));
    FZ_CHECK(fx_diags_errors_in(d, small_path) == 0, "the small file has load errors");
    fx_status fs = fx_rates_finish(t, d);
    FZ_CHECK(fs == FX_OK || fs == FX_E_DATA, "finish: status %d", (int)fs);
    FZ_CHECK((st == FX_OK && fs == FX_OK) == (fx_diags_status(d) == FX_OK),
             "load %d, finish %d, diags %d", (int)st, (int)fs, (int)fx_diags_status(d));

    /* Every message names the input or the small file (conflicts found by
     * finish are placed at either); none is without a file. */
    const char *names[] = {tmp, small_path};
    fz_check_diags(d, names, 2, fz_lines(data, size), false);

    FZ_CHECK(fx_rates_files(t) == np, "%zu files for %zu loads", fx_rates_files(t), np);
    size_t total = 0;
    for (size_t i = 0; i < np; i++) {
        FZ_CHECK(strcmp(fx_rates_file_name(t, i), paths[i]) == 0, "file %zu is %s", i,
                 fx_rates_file_name(t, i));
        fx_day first = 0, last = 0;
        size_t n = 0;
        bool has = fx_rates_file_range(t, i, &first, &last, &n);
        FZ_CHECK(has == (n > 0), "file %zu: range %d with %zu rates", i, has, n);
        FZ_CHECK(!has || first <= last, "file %zu: first %ld > last %ld", i, (long)first,
                 (long)last);
        total += n;
    }
    FZ_CHECK(fx_rates_count(t) <= total, "%zu rates kept of %zu read", fx_rates_count(t), total);

    /* Codes and days the input names, and a few fixed ones. */
    fx_ccy codes[MAXC];
    size_t nc = 0;
    static const fx_ccy fixed[] = {{"EUR"}, {"USD"}};
    for (size_t i = 0; i < 2; i++)
        codes[nc++] = fixed[i];
    for (size_t i = 0; i + 3 <= size && nc < MAXC; i++) {
        fx_ccy c;
        if (fx_ccy_parse((const char *)data + i, 3, &c) && !has_code(codes, nc, c)) {
            codes[nc++] = c;
            i += 2;
        }
    }
    fx_day days[MAXD];
    size_t nd = 0;
    days[nd++] = fx_date_from_ymd(2025, 1, 22);
    for (size_t i = 0; i + 10 <= size && nd + 2 <= MAXD; i++) {
        fx_day day;
        if (fx_date_parse((const char *)data + i, 10, &day) && !has_day(days, nd, day)) {
            days[nd++] = day;
            days[nd++] = day + 1 + (fx_day)(size % 5);
            i += 9;
        }
    }
    for (size_t i = 0; i < fx_rates_providers(t) && i < 4; i++) {
        const char *one = fx_rates_provider(t, i);
        lookups(t, codes, nc, days, nd, &one);
    }
    /* the default order: whatever prices, prices by the rules */
    static const fx_lookup_opts byorder = {FX_FALLBACK_PREVIOUS, 7, NULL, 0};
    for (size_t i = 0; i < nc; i++)
        for (size_t k = 0; k < nd; k++) {
            fx_priced p;
            (void)lookup(t, codes[i], codes[(i + 1) % nc], days[k], &byorder, &p);
        }

    /* resolve: a code that is ISO or has rates is itself */
    for (size_t i = 0; i < nc; i++) {
        fx_ccy out;
        if (fx_ccy_is_iso(&codes[i]) || fx_rates_knows(t, codes[i]))
            FZ_CHECK(fx_rates_resolve(t, codes[i].s, 3, &out) && fx_ccy_eq(out, codes[i]),
                     "%s does not resolve to itself", codes[i].s);
    }
    (void)fx_rates_has_aliases(t);

    fx_diags_free(d); /* before t: d points at t's file names */
    fx_rates_free(t);
    return 0;
}
