/* test_rates - loading (ECB history, long, aliases, folders), the errors
 * with their positions, duplicate checks, and lookup per SPEC 3 on the
 * real ECB file and on small fixtures (tests/data/rates/). Run from the
 * top of the tree (scripts/run-tests does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

#include "fixture.h"

#include "rates.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DATA "tests/data/rates/"
#define ECB "rates/eurofxref-hist.csv"

/* ---- helpers ---- */

static fx_small small_of(const char *s)
{
    fx_small v;
    if (fx_small_parse(&v, s, strlen(s)) != FX_DEC_OK)
        fail_msg("bad decimal in test: %s", s);
    return v;
}

/* Loads the paths (NULL-terminated), finishes, and checks the statuses. */
static fx_rate_table *load(fx_diags *d, const char *const *paths, fx_status want_load,
                           fx_status want_finish)
{
    fx_rate_table *t = fx_rates_new();
    fx_status st = FX_OK;
    for (size_t i = 0; paths[i]; i++) {
        fx_status s = fx_rates_load(t, paths[i], d);
        if (s != FX_OK && (st == FX_OK || s < st))
            st = s;
    }
    fx_status fs = fx_rates_finish(t, d);
    if (st != want_load || fs != want_finish) {
        for (size_t i = 0; i < fx_diags_count(d); i++)
            print_message("# %s\n", fx_diags_message(d, i));
        fail_msg("load status %d (want %d), finish %d (want %d)", st, want_load, fs, want_finish);
    }
    return t;
}

/* The diagnostics are exactly `want` (NULL-terminated), in order. */
static void expect_msgs(const fx_diags *d, const char *const *want)
{
    size_t n = 0;
    while (want[n])
        n++;
    bool ok = fx_diags_count(d) == n;
    for (size_t i = 0; ok && i < n; i++)
        ok = strcmp(fx_diags_message(d, i), want[i]) == 0;
    if (!ok) {
        for (size_t i = 0; i < fx_diags_count(d); i++)
            print_message("# got:  %s\n", fx_diags_message(d, i));
        for (size_t i = 0; i < n; i++)
            print_message("# want: %s\n", want[i]);
        fail_msg("diagnostics differ");
    }
}

/* One lookup and what it must give. */
typedef struct {
    const char *from, *to, *day;
    fx_fallback fallback;
    long max_stale;
    fx_lookup_err err;
    const char *rday;      /* OK: the rate date */
    const char *num, *den; /* OK: as written ("1" for one) */
    const char *file[2];   /* OK: legs' files (NULL: no leg) */
    unsigned long line[2];
    bool inverse[2];
    const char *why; /* error: the exact message */
} lookup_row;

/* With the providers asked (none: the default order). */
static void check_lookup_in(const fx_rate_table *t, const lookup_row *r,
                            const char *const *providers, size_t nproviders)
{
    fx_lookup_opts o = {r->fallback, r->max_stale, providers, nproviders};
    fx_priced p;
    memset(&p, 0xA5, sizeof p);
    fx_priced before = p;
    char why[FX_DEC_STR_MAX] = "";
    fx_lookup_err e =
        fx_rates_lookup(t, fixture_ccy(r->from), fixture_ccy(r->to), fixture_day(r->day), &o, &p, why, sizeof why);
    if (e != r->err)
        fail_msg("%s -> %s on %s: error %d, want %d (%s)", r->from, r->to, r->day, e, r->err, why);
    if (e != FX_LOOKUP_OK) {
        assert_memory_equal(&p, &before, sizeof p); /* untouched */
        if (strcmp(why, r->why) != 0)
            fail_msg("%s -> %s on %s:\n#  got  \"%s\"\n#  want \"%s\"", r->from, r->to, r->day,
                     why, r->why);
        return;
    }
    assert_int_equal(p.day, fixture_day(r->rday));
    fx_small num = small_of(r->num), den = small_of(r->den);
    if (p.num.coef != num.coef || p.num.exp != num.exp || p.den.coef != den.coef ||
        p.den.exp != den.exp)
        fail_msg("%s -> %s on %s: %lld e%d / %lld e%d, want %s / %s", r->from, r->to, r->day,
                 (long long)p.num.coef, (int)p.num.exp, (long long)p.den.coef, (int)p.den.exp,
                 r->num, r->den);
    for (int i = 0; i < 2; i++) {
        if (!r->file[i]) {
            assert_null(p.leg[i]);
            continue;
        }
        assert_non_null(p.leg[i]);
        assert_string_equal(p.leg[i]->origin->file, r->file[i]);
        assert_int_equal(p.leg[i]->line, r->line[i]);
        assert_int_equal(p.leg[i]->day, p.day); /* both legs from R */
        assert_int_equal(p.inverse[i], r->inverse[i]);
    }
}

static void check_lookup(const fx_rate_table *t, const lookup_row *r)
{
    check_lookup_in(t, r, NULL, 0);
}

/* ---- the real ECB history (loaded once for the group) ---- */

static int ecb_setup(void **state)
{
    fx_diags *d = fx_diags_new();
    const char *paths[] = {ECB, NULL};
    fx_rate_table *t = load(d, paths, FX_OK, FX_OK);
    assert_int_equal(fx_diags_count(d), 0);
    fx_diags_free(d);
    *state = t;
    return 0;
}

static int ecb_teardown(void **state)
{
    fx_rates_free(*state);
    return 0;
}

#define PREV FX_FALLBACK_PREVIOUS
#define NONE FX_FALLBACK_NONE

static const lookup_row ecb_rows[] = {
    /* a cross through EUR, both legs from 2025-01-22 (line 76) */
    {"CNY", "USD", "2025-01-22", PREV, 7, FX_LOOKUP_OK, "2025-01-22", "1.0443", "7.5892",
     {ECB, ECB}, {76, 76}, {true, false}, NULL},
    /* Saturday: Friday's rates, and that day returned */
    {"CNY", "USD", "2025-01-25", PREV, 7, FX_LOOKUP_OK, "2025-01-24", "1.0472", "7.5891",
     {ECB, ECB}, {74, 74}, {true, false}, NULL},
    {"CNY", "USD", "2025-01-25", NONE, 7, FX_LOOKUP_NOT_ON_DAY, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "no rate to price CNY in USD on 2025-01-25, a Saturday (--fallback none); the latest "
     "before it is from 2025-01-24"},
    {"CNY", "USD", "2025-01-24", NONE, 7, FX_LOOKUP_OK, "2025-01-24", "1.0472", "7.5891",
     {ECB, ECB}, {74, 74}, {true, false}, NULL},
    {"CNY", "USD", "2025-01-25", PREV, 0, FX_LOOKUP_STALE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "the latest rate to price CNY in USD is from 2025-01-24, 1 day before 2025-01-25 "
     "(--max-stale 0)"},
    /* before a series starts: never clamped to its first day */
    {"CNY", "USD", "1999-01-04", PREV, 7, FX_LOOKUP_BEFORE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "no CNY rate on or before 1999-01-04: the CNY series starts on 2005-04-01"},
    {"USD", "CNY", "2005-03-31", PREV, -1, FX_LOOKUP_BEFORE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "no CNY rate on or before 2005-03-31: the CNY series starts on 2005-04-01"},
    {"EUR", "USD", "1998-12-31", PREV, 7, FX_LOOKUP_BEFORE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "no EUR rate on or before 1998-12-31: the EUR series starts on 1999-01-04"},
    /* a currency the ECB quoted only in the past */
    {"CYP", "USD", "2006-06-15", PREV, 7, FX_LOOKUP_OK, "2006-06-15", "1.261", "0.575",
     {ECB, ECB}, {4839, 4839}, {true, false}, NULL},
    {"CYP", "USD", "2025-12-31", PREV, 7, FX_LOOKUP_STALE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "the latest CYP rate is from 2007-12-31, 6575 days before 2025-12-31 (--max-stale 7)"},
    {"USD", "CYP", "2025-01-22", PREV, 7, FX_LOOKUP_STALE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "the latest CYP rate is from 2007-12-31, 6232 days before 2025-01-22 (--max-stale 7)"},
    {"CYP", "USD", "2025-12-31", PREV, -1, FX_LOOKUP_OK, "2007-12-31", "1.4721", "0.585274",
     {ECB, ECB}, {4445, 4445}, {true, false}, NULL},
    /* ISK's gap 2008-12-10 .. 2018-01-31 */
    {"ISK", "EUR", "2012-01-02", PREV, 7, FX_LOOKUP_STALE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "the latest ISK rate is from 2008-12-09, 1119 days before 2012-01-02 (--max-stale 7)"},
    {"ISK", "EUR", "2008-12-09", NONE, 7, FX_LOOKUP_OK, "2008-12-09", "1", "290", {ECB, NULL},
     {4203, 0}, {true, false}, NULL},
    /* past the end of the file */
    {"USD", "JPY", "2025-05-12", PREV, 7, FX_LOOKUP_OK, "2025-05-09", "163.36", "1.1252",
     {ECB, ECB}, {2, 2}, {true, false}, NULL},
    {"USD", "JPY", "2025-05-17", PREV, 7, FX_LOOKUP_STALE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "the latest rate to price USD in JPY is from 2025-05-09, 8 days before 2025-05-17 "
     "(--max-stale 7)"},
    /* direct and inverse EUR rates */
    {"EUR", "USD", "2025-01-22", PREV, 7, FX_LOOKUP_OK, "2025-01-22", "1.0443", "1", {ECB, NULL},
     {76, 0}, {false, false}, NULL},
    {"USD", "EUR", "2025-01-22", PREV, 7, FX_LOOKUP_OK, "2025-01-22", "1", "1.0443", {ECB, NULL},
     {76, 0}, {true, false}, NULL},
    /* the same currency: 1, no rate, the day asked */
    {"USD", "USD", "2025-01-25", NONE, 0, FX_LOOKUP_OK, "2025-01-25", "1", "1", {NULL, NULL},
     {0, 0}, {false, false}, NULL},
    {"XYZ", "XYZ", "2025-01-25", NONE, 0, FX_LOOKUP_OK, "2025-01-25", "1", "1", {NULL, NULL},
     {0, 0}, {false, false}, NULL},
    /* unknown currencies */
    {"XYZ", "USD", "2025-01-22", PREV, 7, FX_LOOKUP_NO_RATE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false}, "no XYZ rate in the loaded rates"},
    {"USD", "TWD", "2025-01-22", PREV, 7, FX_LOOKUP_NO_RATE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false}, "no TWD rate in the loaded rates"},
};

static void ecb_lookups(void **state)
{
    for (size_t i = 0; i < N(ecb_rows); i++)
        check_lookup(*state, &ecb_rows[i]);
}

static void ecb_shape(void **state)
{
    const fx_rate_table *t = *state;
    assert_int_equal(fx_rates_count(t), 210545); /* non-N/A cells, counted with Python */
    assert_int_equal(fx_rates_files(t), 1);
    assert_string_equal(fx_rates_file_name(t, 0), ECB);
    fx_day first, last;
    size_t n;
    assert_true(fx_rates_file_range(t, 0, &first, &last, &n));
    assert_int_equal(first, fixture_day("1999-01-04"));
    assert_int_equal(last, fixture_day("2025-05-09"));
    assert_int_equal(n, 210545);
    assert_false(fx_rates_file_range(t, 1, &first, &last, &n));
    assert_true(fx_rates_knows(t, fixture_ccy("CYP")));
    assert_true(fx_rates_knows(t, fixture_ccy("EUR")));
    assert_false(fx_rates_knows(t, fixture_ccy("TWD")));
    assert_false(fx_rates_has_aliases(t));
}

/* ids are dense and distinct: a "used" mark array can be indexed by them. */
typedef struct {
    const fx_rate_table *t;
    size_t n;
    fx_day days[64];
    fx_priced p[64];
} collect;

static void collect_day(void *ctx, const fx_priced *p)
{
    collect *c = ctx;
    assert_true(c->n < N(c->days));
    c->days[c->n] = p->day;
    c->p[c->n++] = *p;
}

static void ecb_each_day(void **state)
{
    const fx_rate_table *t = *state;
    collect c = {.t = t};
    fx_rates_each_day(t, fixture_ccy("CNY"), fixture_ccy("USD"), fixture_day("2025-01-18"), fixture_day("2025-01-26"),
                      collect_day, &c);
    static const char *const want[] = {"2025-01-20", "2025-01-21", "2025-01-22", "2025-01-23",
                                       "2025-01-24"};
    assert_int_equal(c.n, N(want));
    fx_lookup_opts none = {FX_FALLBACK_NONE, 0, NULL, 0};
    for (size_t i = 0; i < N(want); i++) {
        assert_int_equal(c.days[i], fixture_day(want[i]));
        fx_priced p;
        assert_int_equal(fx_rates_lookup(t, fixture_ccy("CNY"), fixture_ccy("USD"), c.days[i], &none, &p, NULL, 0),
                         FX_LOOKUP_OK);
        assert_memory_equal(&p, &c.p[i], sizeof p); /* the same pricing as a lookup */
        assert_true(c.p[i].leg[0]->id != c.p[i].leg[1]->id);
        assert_true(c.p[i].leg[0]->id < fx_rates_count(t));
    }
    /* a weekend alone has no rate date; a window before CNY has none either */
    c.n = 0;
    fx_rates_each_day(t, fixture_ccy("CNY"), fixture_ccy("USD"), fixture_day("2025-01-25"), fixture_day("2025-01-26"),
                      collect_day, &c);
    assert_int_equal(c.n, 0);
    fx_rates_each_day(t, fixture_ccy("CNY"), fixture_ccy("USD"), fixture_day("2000-01-01"), fixture_day("2000-01-31"),
                      collect_day, &c);
    assert_int_equal(c.n, 0);
    /* CYP: only while it was quoted */
    fx_rates_each_day(t, fixture_ccy("CYP"), fixture_ccy("USD"), fixture_day("2007-12-28"), fixture_day("2008-01-10"),
                      collect_day, &c);
    assert_int_equal(c.n, 2); /* 2007-12-28 and 2007-12-31 */
    assert_int_equal(c.days[1], fixture_day("2007-12-31"));
    /* the same currency: every calendar day at 1 */
    c.n = 0;
    fx_rates_each_day(t, fixture_ccy("USD"), fixture_ccy("USD"), fixture_day("2025-01-25"), fixture_day("2025-01-27"),
                      collect_day, &c);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.p[0].num.coef, 1);
    assert_null(c.p[0].leg[0]);
    /* lo > hi: nothing */
    c.n = 0;
    fx_rates_each_day(t, fixture_ccy("CNY"), fixture_ccy("USD"), fixture_day("2025-01-24"), fixture_day("2025-01-20"),
                      collect_day, &c);
    assert_int_equal(c.n, 0);
}

static void ecb_resolve(void **state)
{
    const fx_rate_table *t = *state;
    static const struct {
        const char *s;
        const char *want; /* NULL: not resolved */
    } rows[] = {
        {"USD", "USD"}, {"CYP", "CYP"}, /* not ISO any more, but in the rates */
        {"TWD", "TWD"},                 /* ISO, not in the rates */
        {"usd", NULL},  {"Usd", NULL},  {"RMB", NULL}, /* no aliases loaded */
        {"XYZ", NULL},  {"", NULL},     {"USD ", NULL},
    };
    for (size_t i = 0; i < N(rows); i++) {
        fx_ccy c = fixture_ccy("---");
        bool ok = fx_rates_resolve(t, rows[i].s, strlen(rows[i].s), &c);
        if (ok != (rows[i].want != NULL))
            fail_msg("resolve \"%s\": %d", rows[i].s, ok);
        if (ok)
            assert_string_equal(c.s, rows[i].want);
    }
}

/* ---- small fixtures: ECB-like + long + aliases ---- */

/* long.csv has three providers: "PBOC central parity, 2025-01-22" (line
 * 2), "long" (its name: line 3 has no source) and "made up for a test"
 * (line 4); ecb-small.csv is ECB. These rows ask for them in that order,
 * ECB last. */
static const char *const mixed_order[] = {"PBOC central parity, 2025-01-22", "long",
                                          "made up for a test", "ECB"};

static const lookup_row mixed_rows[] = {
    /* the first provider asked that prices the pair wins, direct or not */
    {"USD", "CNY", "2025-01-22", PREV, 7, FX_LOOKUP_OK, "2025-01-22", "7.2756", "1",
     {DATA "long.csv", NULL}, {2, 0}, {false, false}, NULL},
    /* its inverse */
    {"CNY", "USD", "2025-01-22", PREV, 7, FX_LOOKUP_OK, "2025-01-22", "1", "7.2756",
     {DATA "long.csv", NULL}, {2, 0}, {true, false}, NULL},
    /* the first provider's older rate (within --max-stale) beats a later
     * ECB cross: the order asked decides, not the date */
    {"USD", "CNY", "2025-01-24", PREV, 7, FX_LOOKUP_OK, "2025-01-22", "7.2756", "1",
     {DATA "long.csv", NULL}, {2, 0}, {false, false}, NULL},
    /* the first provider has nothing on or before 2025-01-21: the next
     * one's rate of 2025-01-20 */
    {"USD", "CNY", "2025-01-21", PREV, 7, FX_LOOKUP_OK, "2025-01-20", "7.1700", "1",
     {DATA "long.csv", NULL}, {3, 0}, {false, false}, NULL},
    {"CNY", "JPY", "2025-01-23", PREV, 7, FX_LOOKUP_OK, "2025-01-23", "21.5", "1",
     {DATA "long.csv", NULL}, {4, 0}, {false, false}, NULL},
    {"JPY", "CNY", "2025-01-23", PREV, 7, FX_LOOKUP_OK, "2025-01-23", "1", "21.5",
     {DATA "long.csv", NULL}, {4, 0}, {true, false}, NULL},
    /* via EUR (via CNY the legs have no day in common) */
    {"USD", "JPY", "2025-01-23", PREV, 7, FX_LOOKUP_OK, "2025-01-23", "162.58", "1.0404",
     {DATA "ecb-small.csv", DATA "ecb-small.csv"}, {3, 3}, {true, false}, NULL},
    {"CYP", "USD", "2007-12-31", PREV, 7, FX_LOOKUP_OK, "2007-12-31", "1.4721", "0.585274",
     {DATA "ecb-small.csv", DATA "ecb-small.csv"}, {5, 5}, {true, false}, NULL},
    {"CYP", "USD", "2025-01-22", PREV, 7, FX_LOOKUP_STALE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "the latest CYP rate is from 2007-12-31, 6232 days before 2025-01-22 (--max-stale 7)"},
    {"EUR", "USD", "2025-01-26", PREV, 7, FX_LOOKUP_OK, "2025-01-24", "1.0472", "1",
     {DATA "ecb-small.csv", NULL}, {2, 0}, {false, false}, NULL},
};

/* the default order: ECB alone, so the long file's direct pair is not
 * used, and what only other providers have cannot be priced */
static const lookup_row mixed_default_rows[] = {
    /* the small file's CNY starts on 2007-12-31 (N/A on 2007-12-28) */
    {"CNY", "USD", "2007-12-28", PREV, 7, FX_LOOKUP_BEFORE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "no CNY rate on or before 2007-12-28: the CNY series starts on 2007-12-31"},
    {"USD", "CNY", "2025-01-22", PREV, 7, FX_LOOKUP_OK, "2025-01-22", "7.5892", "1.0443",
     {DATA "ecb-small.csv", DATA "ecb-small.csv"}, {4, 4}, {true, false}, NULL},
    {"USD", "CNY", "2025-01-24", PREV, 7, FX_LOOKUP_OK, "2025-01-24", "7.5891", "1.0472",
     {DATA "ecb-small.csv", DATA "ecb-small.csv"}, {2, 2}, {true, false}, NULL},
};

/* ECB first, then the PBOC rate: ECB prices whatever it can */
static const char *const ecb_first[] = {"ECB", "PBOC central parity, 2025-01-22"};
static const lookup_row mixed_ecb_first_rows[] = {
    {"USD", "CNY", "2025-01-22", PREV, 7, FX_LOOKUP_OK, "2025-01-22", "7.5892", "1.0443",
     {DATA "ecb-small.csv", DATA "ecb-small.csv"}, {4, 4}, {true, false}, NULL},
    /* ECB's CNY starts later than asked; the PBOC rate is not yet out */
    {"USD", "CNY", "2007-12-30", PREV, 7, FX_LOOKUP_BEFORE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "ECB: no CNY rate on or before 2007-12-30: the CNY series starts on 2007-12-31; PBOC "
     "central parity, 2025-01-22: no USD rate on or before 2007-12-30: the USD series starts "
     "on 2025-01-22"},
};

static void mixed_lookups(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    const char *paths[] = {DATA "ecb-small.csv", DATA "long.csv", DATA "aliases.csv", NULL};
    fx_rate_table *t = load(d, paths, FX_OK, FX_OK);
    assert_int_equal(fx_diags_count(d), 0);
    assert_int_equal(fx_rates_count(t), 19);
    for (size_t i = 0; i < N(mixed_rows); i++)
        check_lookup_in(t, &mixed_rows[i], mixed_order, N(mixed_order));
    for (size_t i = 0; i < N(mixed_default_rows); i++)
        check_lookup(t, &mixed_default_rows[i]);
    for (size_t i = 0; i < N(mixed_ecb_first_rows); i++)
        check_lookup_in(t, &mixed_ecb_first_rows[i], ecb_first, N(ecb_first));

    /* the providers, in load order; the default is ECB */
    assert_int_equal(fx_rates_providers(t), 4);
    assert_string_equal(fx_rates_provider(t, 0), "ECB");
    assert_string_equal(fx_rates_provider(t, 1), "PBOC central parity, 2025-01-22");
    assert_string_equal(fx_rates_provider(t, 2), "long");
    assert_string_equal(fx_rates_provider(t, 3), "made up for a test");
    assert_null(fx_rates_provider(t, 4));
    assert_true(fx_rates_has_provider(t, "long"));
    assert_false(fx_rates_has_provider(t, "aliases")); /* a file without rates */
    assert_false(fx_rates_has_provider(t, "Long"));
    const char *def[4];
    assert_int_equal(fx_rates_default_providers(t, def, 4), 1);
    assert_string_equal(def[0], "ECB");

    /* each_day: the ECB's days by default, all crosses */
    collect c = {.t = t};
    fx_rates_each_day(t, fixture_ccy("USD"), fixture_ccy("CNY"), fixture_day("2025-01-19"),
                      fixture_day("2025-01-24"), collect_day, &c);
    static const char *const ecb_days[] = {"2025-01-22", "2025-01-23", "2025-01-24"};
    assert_int_equal(c.n, N(ecb_days));
    for (size_t i = 0; i < N(ecb_days); i++) {
        assert_int_equal(c.days[i], fixture_day(ecb_days[i]));
        assert_non_null(c.p[i].leg[1]);
        assert_string_equal(c.p[i].leg[0]->origin->provider, "ECB");
        assert_string_equal(c.p[i].leg[1]->origin->provider, "ECB");
    }
    /* one provider's days only */
    c.n = 0;
    fx_rates_each_day_of(t, "long", fixture_ccy("USD"), fixture_ccy("CNY"),
                         fixture_day("2025-01-19"), fixture_day("2025-01-24"), collect_day, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.days[0], fixture_day("2025-01-20"));
    assert_null(c.p[0].leg[1]);
    c.n = 0;
    fx_rates_each_day_of(t, "PBOC central parity, 2025-01-22", fixture_ccy("CNY"),
                         fixture_ccy("USD"), fixture_day("2025-01-19"), fixture_day("2025-01-24"),
                         collect_day, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.days[0], fixture_day("2025-01-22"));
    assert_true(c.p[0].inverse[0]);
    c.n = 0; /* a provider no rate has: no day */
    fx_rates_each_day_of(t, "BOE", fixture_ccy("USD"), fixture_ccy("CNY"),
                         fixture_day("2025-01-19"), fixture_day("2025-01-24"), collect_day, &c);
    assert_int_equal(c.n, 0);
    fx_rates_free(t);
    fx_diags_free(d);
}

/* a cross through a common currency other than EUR; no link at all; a
 * cross too long for 18 digits */
static const lookup_row cross_rows[] = {
    {"CHF", "SEK", "2024-03-05", PREV, 7, FX_LOOKUP_OK, "2024-03-01", "13.1", "1.1150",
     {DATA "long-cross.csv", DATA "long-cross.csv"}, {2, 3}, {true, false}, NULL},
    {"SEK", "CHF", "2024-03-05", PREV, 7, FX_LOOKUP_OK, "2024-03-01", "1.1150", "13.1",
     {DATA "long-cross.csv", DATA "long-cross.csv"}, {3, 2}, {true, false}, NULL},
    {"CHF", "SEK", "2024-03-20", PREV, 7, FX_LOOKUP_STALE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "the latest rate to price CHF in SEK is from 2024-03-01, 19 days before 2024-03-20 "
     "(--max-stale 7)"},
    {"CHF", "SEK", "2024-02-29", PREV, 7, FX_LOOKUP_BEFORE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "no CHF rate on or before 2024-02-29: the CHF series starts on 2024-03-01"},
    {"CHF", "AUD", "2024-03-05", PREV, 7, FX_LOOKUP_NO_RATE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "no rate links CHF and AUD, directly or through one common currency on the same day"},
    {"USD", "JPY", "2024-03-01", PREV, 7, FX_LOOKUP_NO_RATE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "the cross rate of USD in JPY on 2024-03-01 needs more than 18 significant digits"},
    /* GBP links CHF (long-cross) and JPY (long-digits), but a cross takes
     * both legs from one provider */
    {"CHF", "JPY", "2024-03-01", PREV, 7, FX_LOOKUP_NO_RATE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false},
     "no rate links CHF and JPY, directly or through one common currency on the same day"},
    /* a currency no provider asked has */
    {"SEK", "JPY", "2024-03-01", PREV, 7, FX_LOOKUP_NO_RATE, NULL, NULL, NULL, {NULL, NULL},
     {0, 0}, {false, false}, "no SEK rate from long-cross or long-digits"},
    /* both legs direct: the product fits */
    {"CHF", "GBP", "2024-03-01", PREV, 7, FX_LOOKUP_OK, "2024-03-01", "1", "1.1150",
     {DATA "long-cross.csv", NULL}, {2, 0}, {true, false}, NULL},
    {"USD", "CHF", "2024-03-02", PREV, 7, FX_LOOKUP_OK, "2024-03-01", "0.88", "1",
     {DATA "long-digits.csv", NULL}, {4, 0}, {false, false}, NULL},
};

static void cross_lookups(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    const char *paths[] = {DATA "long-cross.csv", DATA "long-digits.csv", NULL};
    fx_rate_table *t = load(d, paths, FX_OK, FX_OK);
    for (size_t i = 0; i < N(cross_rows); i++)
        check_lookup(t, &cross_rows[i]);
    /* JPY -> GBP -> CHF would take its legs from two providers */
    fx_lookup_opts o = {FX_FALLBACK_PREVIOUS, 7, NULL, 0};
    fx_priced p;
    assert_int_equal(fx_rates_lookup(t, fixture_ccy("JPY"), fixture_ccy("CHF"),
                                     fixture_day("2024-03-01"), &o, &p, NULL, 0),
                     FX_LOOKUP_NO_RATE);
    /* the default order is every provider in load order (no ECB) */
    const char *def[4];
    assert_int_equal(fx_rates_default_providers(t, def, 4), 2);
    assert_string_equal(def[0], "long-cross");
    assert_string_equal(def[1], "long-digits");
    fx_rates_free(t);
    fx_diags_free(d);
}

/* A long file in no order, with an identical duplicate written
 * differently (150.10): sorted by day, the first kept. */
static const lookup_row unsorted_rows[] = {
    {"USD", "JPY", "2024-03-01", NONE, 0, FX_LOOKUP_OK, "2024-03-01", "150.1", "1",
     {DATA "long-unsorted.csv", NULL}, {3, 0}, {false, false}, NULL},
    {"USD", "JPY", "2024-03-04", NONE, 0, FX_LOOKUP_OK, "2024-03-04", "1", "0.00664",
     {DATA "long-unsorted.csv", NULL}, {5, 0}, {true, false}, NULL},
    {"USD", "JPY", "2024-03-06", PREV, 7, FX_LOOKUP_OK, "2024-03-05", "150.5", "1",
     {DATA "long-unsorted.csv", NULL}, {2, 0}, {false, false}, NULL},
    {"JPY", "USD", "2024-03-09", PREV, 7, FX_LOOKUP_OK, "2024-03-07", "1", "150.7",
     {DATA "long-unsorted.csv", NULL}, {4, 0}, {true, false}, NULL},
};

static void unsorted(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    const char *paths[] = {DATA "long-unsorted.csv", NULL};
    fx_rate_table *t = load(d, paths, FX_OK, FX_OK);
    assert_int_equal(fx_diags_count(d), 0);
    assert_int_equal(fx_rates_count(t), 4);
    for (size_t i = 0; i < N(unsorted_rows); i++)
        check_lookup(t, &unsorted_rows[i]);
    collect c = {.t = t};
    fx_rates_each_day(t, fixture_ccy("USD"), fixture_ccy("JPY"), fixture_day("2024-02-01"), fixture_day("2024-03-31"),
                      collect_day, &c);
    static const char *const want[] = {"2024-03-01", "2024-03-04", "2024-03-05", "2024-03-07"};
    assert_int_equal(c.n, N(want));
    for (size_t i = 0; i < N(want); i++)
        assert_int_equal(c.days[i], fixture_day(want[i]));
    fx_diags_free(d);
    fx_rates_free(t);
}

/* ---- errors ---- */

typedef struct {
    const char *path;
    fx_status load, finish;
    const char *msgs[12];
    size_t count; /* rates kept */
} error_row;

static const error_row error_rows[] = {
    {DATA "bad/long-rows.csv", FX_E_DATA, FX_OK,
     {DATA "bad/long-rows.csv:2:20: error: rate: must be greater than zero, got \"0\"",
      DATA "bad/long-rows.csv:3:20: error: rate: must be greater than zero, got \"-0.8\"",
      DATA "bad/long-rows.csv:4:20: error: rate: expected a plain decimal (digits, optionally "
           "'.' and digits), got \"0,9\"",
      DATA "bad/long-rows.csv:5:20: error: rate: expected a plain decimal (digits, optionally "
           "'.' and digits), got \"abc\"",
      DATA "bad/long-rows.csv:6:20: error: rate: \"1234567890.123456789\" has more than 18 "
           "significant digits",
      DATA "bad/long-rows.csv:7:1: error: date: expected a date YYYY-MM-DD that exists, got "
           "\"2025-02-30\"",
      DATA "bad/long-rows.csv:8:12: error: base: expected a currency code (3 capital letters), "
           "got \"usd\"",
      DATA "bad/long-rows.csv:9:16: error: quote: the same currency as base (USD)",
      DATA "bad/long-rows.csv:10:1: error: expected 4 fields as in the header, got 3",
      DATA "bad/long-rows.csv:11:1: error: expected 4 fields as in the header, got 5"},
     1},
    {DATA "bad/ecb-rows.csv", FX_E_DATA, FX_OK,
     {DATA "bad/ecb-rows.csv:3:1: error: expected 4 fields as in the header, got 3 (every line "
           "of an ECB file ends with a comma)",
      DATA "bad/ecb-rows.csv:4:23: error: a value in the unnamed last column (the header ends "
           "with a comma)",
      DATA "bad/ecb-rows.csv:6:1: error: Date: expected a date YYYY-MM-DD that exists, got "
           "\"2024-13-01\""},
     4},
    {DATA "bad/ecb-header.csv", FX_E_DATA, FX_OK,
     {DATA "bad/ecb-header.csv:1:10: error: ECB header: expected a currency code (3 capital "
           "letters), got \"usd\"",
      DATA "bad/ecb-header.csv:1:14: error: ECB header: a EUR column in a file of EUR rates",
      DATA "bad/ecb-header.csv:1:18: error: ECB header: USD is also column 2"},
     0},
    {DATA "bad/conflicts.csv", FX_OK, FX_E_DATA,
     {DATA "bad/conflicts.csv:4:20: error: conflicting rates for 1 USD in JPY on 2025-01-02: "
           "157.6 here, 157.5 at " DATA "bad/conflicts.csv:2:20",
      DATA "bad/conflicts.csv:5:20: error: conflicting rates on 2025-01-02: 1 JPY = 0.0064 USD "
           "here is not the exact inverse of 1 USD = 157.5 JPY at " DATA
           "bad/conflicts.csv:2:20"},
     3}, /* 157.5 (157.50 is the same), 0.8 and its exact inverse 1.25 */
    {DATA "bad/unknown-header.csv", FX_E_DATA, FX_OK,
     {DATA "bad/unknown-header.csv:1:1: error: unknown rates header \"date,from,to,rate\": "
           "expected ECB history (Date,USD,JPY,...), long (date,base,quote,rate[,source]), "
           "FRED (observation_date,DEXUSUK), Bank of England (DATE,XUDLUSS,...) or "
           "aliases (alias,code)"},
     0},
    {DATA "bad/broken.csv", FX_E_DATA, FX_OK,
     {DATA "bad/broken.csv:3:22: error: quote inside an unquoted field; quote the whole field "
           "and double the quote (\"a \"\"b\"\" c\")"},
     1},
    {DATA "bad/empty.csv", FX_E_DATA, FX_OK,
     {DATA "bad/empty.csv: error: empty file: expected a rates header: ECB history "
           "(Date,USD,JPY,...), long (date,base,quote,rate[,source]), FRED "
           "(observation_date,DEXUSUK), Bank of England (DATE,XUDLUSS,...) or aliases "
           "(alias,code)"},
     0},
    {DATA "bad/aliases.csv", FX_E_DATA, FX_E_DATA,
     {DATA "bad/aliases.csv:7:1: error: alias: empty",
      DATA "bad/aliases.csv:8:8: error: code: expected a currency code (3 capital letters), got "
           "\"usd\"",
      DATA "bad/aliases.csv:4:1: error: alias \"RMB\" is JPY here but CNY at " DATA
           "bad/aliases.csv:2:1",
      DATA "bad/aliases.csv:5:1: error: alias \"USD\" is itself a currency code; it cannot mean "
           "EUR",
      DATA "bad/aliases.csv:6:1: error: alias \"Cyprus pound\": CYP is neither an ISO 4217 code "
           "nor in the loaded rates"},
     0},
    /* a BOM and CRLF: columns count from after the BOM; a quoted rate is fine */
    {DATA "bad/ecb-bom-crlf.csv", FX_E_DATA, FX_OK,
     {DATA "bad/ecb-bom-crlf.csv:3:21: error: rate: expected a plain decimal, got \"1e3\"; "
           "write 1000"},
     3},
    /* a last line without its line end: the real file ends every line with
     * ",\n", so the download was cut (its rows still load, and are reported) */
    {DATA "bad/ecb-cut.csv", FX_E_DATA, FX_OK,
     {DATA "bad/ecb-cut.csv:3:1: error: the last line has no line end, so the file looks cut "
           "short (a truncated download?): every line of the ECB history ends with one; "
           "download it again"},
     4},
    /* ... and when the header has no final comma, the last number may be cut
     * ("162.72" read as "162.7") and still parse: only the line end tells */
    {DATA "bad/ecb-cut-number.csv", FX_E_DATA, FX_OK,
     {DATA "bad/ecb-cut-number.csv:3:1: error: the last line has no line end, so the file "
           "looks cut short (a truncated download?): every line of the ECB history ends with "
           "one; download it again"},
     4},
    /* two limits: 18 significant digits, 100 digits counting every place */
    {DATA "bad/long-places.csv", FX_E_DATA, FX_OK,
     {DATA "bad/long-places.csv:3:20: error: rate: \"1.035000000000000000\" has more than 18 "
           "significant digits",
      DATA "bad/long-places.csv:4:20: error: rate: \"0.00000000000000000000000000000000000000..."
           "\" has 121 decimal places; at most 100 digits are read, counting every decimal place "
           "and the integer digits from the first nonzero one"},
     2},
    /* unit words are never aliases; U+FFFE cannot be stored */
    {DATA "bad/aliases-units.csv", FX_E_DATA, FX_OK,
     {DATA "bad/aliases-units.csv:2:1: error: alias \"percent\" is a unit word (count, percent, "
           "days, months, years), which a fact's unit always means as such; an alias cannot "
           "rename it",
      DATA "bad/aliases-units.csv:4:1: error: alias \"count\" is a unit word (count, percent, "
           "days, months, years), which a fact's unit always means as such; an alias cannot "
           "rename it",
      DATA "bad/aliases-units.csv:5:1: error: noncharacter U+FFFE at line 5, column 3; text may "
           "hold anything but NUL, U+FFFE and U+FFFF (a workbook cannot store them)",
      DATA "bad/aliases-units.csv:7:1: error: alias \"years\" is a unit word (count, percent, "
           "days, months, years), which a fact's unit always means as such; an alias cannot "
           "rename it"},
     0},
    {DATA "bad/no-such-file.csv", FX_E_NOINPUT, FX_OK,
     {"fxbook: error: cannot open " DATA "bad/no-such-file.csv: No such file or directory"},
     0},
};

static void errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(error_rows); i++) {
        const error_row *r = &error_rows[i];
        print_message("# %s\n", r->path);
        fx_diags *d = fx_diags_new();
        const char *paths[] = {r->path, NULL};
        fx_rate_table *t = load(d, paths, r->load, r->finish);
        expect_msgs(d, r->msgs);
        assert_int_equal(fx_rates_count(t), r->count);
        fx_diags_free(d);
        fx_rates_free(t);
    }
}

/* The rows after a bad one are still read: the last row of long-rows.csv. */
static void errors_keep_going(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    const char *paths[] = {DATA "bad/long-rows.csv", NULL};
    fx_rate_table *t = load(d, paths, FX_E_DATA, FX_OK);
    fx_lookup_opts o = {FX_FALLBACK_NONE, 0, NULL, 0};
    fx_priced p;
    assert_int_equal(
        fx_rates_lookup(t, fixture_ccy("USD"), fixture_ccy("HUF"), fixture_day("2025-01-02"), &o, &p, NULL, 0),
        FX_LOOKUP_OK);
    assert_int_equal(p.leg[0]->line, 12);
    /* the bad rows gave no rate */
    char why[FX_DEC_STR_MAX];
    assert_int_equal(
        fx_rates_lookup(t, fixture_ccy("USD"), fixture_ccy("JPY"), fixture_day("2025-01-02"), &o, &p, why, sizeof why),
        FX_LOOKUP_NO_RATE);
    assert_string_equal(why, "no JPY rate in the loaded rates");
    fx_diags_free(d);
    fx_rates_free(t);
}

/* The same file twice: every rate is an identical duplicate. */
static void identical_duplicates(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    const char *paths[] = {DATA "ecb-small.csv", DATA "ecb-small.csv", NULL};
    fx_rate_table *t = load(d, paths, FX_OK, FX_OK);
    assert_int_equal(fx_diags_count(d), 0);
    assert_int_equal(fx_rates_count(t), 16);
    /* the first loaded is kept: both copies have the same name, so look
     * at the name pointer */
    fx_lookup_opts o = {FX_FALLBACK_NONE, 0, NULL, 0};
    fx_priced p;
    assert_int_equal(
        fx_rates_lookup(t, fixture_ccy("EUR"), fixture_ccy("USD"), fixture_day("2025-01-24"), &o, &p, NULL, 0),
        FX_LOOKUP_OK);
    assert_ptr_equal(p.leg[0]->origin->file, fx_rates_file_name(t, 0));
    fx_diags_free(d);
    fx_rates_free(t);
}

/* ---- FRED (H.10) and Bank of England ---- */

static void fred_real(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    const char *paths[] = {"rates/fred", NULL};
    fx_rate_table *t = load(d, paths, FX_OK, FX_OK);
    assert_int_equal(fx_diags_count(d), 0);
    assert_int_equal(fx_rates_providers(t), 1);
    assert_string_equal(fx_rates_provider(t, 0), "FED-H10");
    /* DEXUSUK 2025-01-22 1.2324: 1 GBP = 1.2324 USD (US first) */
    fx_lookup_opts o = {FX_FALLBACK_NONE, 0, NULL, 0};
    fx_priced p;
    assert_int_equal(fx_rates_lookup(t, fixture_ccy("GBP"), fixture_ccy("USD"),
                                     fixture_day("2025-01-22"), &o, &p, NULL, 0),
                     FX_LOOKUP_OK);
    assert_int_equal(p.num.coef, 12324);
    assert_int_equal(p.num.exp, -4);
    assert_string_equal(p.leg[0]->base.s, "GBP");
    assert_string_equal(p.leg[0]->origin->provider, "FED-H10");
    /* DEXCHUS 2025-01-22 7.2728: 1 USD = 7.2728 CNY (US last) */
    assert_int_equal(fx_rates_lookup(t, fixture_ccy("USD"), fixture_ccy("CNY"),
                                     fixture_day("2025-01-22"), &o, &p, NULL, 0),
                     FX_LOOKUP_OK);
    assert_int_equal(p.num.coef, 72728);
    assert_string_equal(p.leg[0]->base.s, "USD");
    /* CNY -> GBP: a cross through USD, both legs H.10 */
    assert_int_equal(fx_rates_lookup(t, fixture_ccy("CNY"), fixture_ccy("GBP"),
                                     fixture_day("2025-01-22"), &o, &p, NULL, 0),
                     FX_LOOKUP_OK);
    assert_non_null(p.leg[1]);
    /* 2025-01-20, Martin Luther King Day: an empty value, no rate */
    char why[FX_DEC_STR_MAX];
    assert_int_equal(fx_rates_lookup(t, fixture_ccy("GBP"), fixture_ccy("USD"),
                                     fixture_day("2025-01-20"), &o, &p, why, sizeof why),
                     FX_LOOKUP_NOT_ON_DAY);
    fx_rates_free(t);
    fx_diags_free(d);
}

static void boe_fixture(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    const char *paths[] = {"fixtures/good/rates-boe", "rates/fred", NULL};
    fx_rate_table *t = load(d, paths, FX_OK, FX_OK);
    assert_int_equal(fx_diags_count(d), 0);
    assert_string_equal(fx_rates_provider(t, 0), "BOE");
    const char *const boe[] = {"BOE"};
    fx_lookup_opts o = {FX_FALLBACK_NONE, 0, boe, 1};
    fx_priced p;
    /* 1 GBP = 1.2318 USD (XUDLUSS), line 6 */
    assert_int_equal(fx_rates_lookup(t, fixture_ccy("GBP"), fixture_ccy("USD"),
                                     fixture_day("2025-01-22"), &o, &p, NULL, 0),
                     FX_LOOKUP_OK);
    assert_int_equal(p.num.coef, 12318);
    assert_int_equal(p.leg[0]->line, 6);
    /* the same pair from FED-H10 (1.2324): no conflict, each its own */
    const char *const fed[] = {"FED-H10"};
    fx_lookup_opts f = {FX_FALLBACK_NONE, 0, fed, 1};
    assert_int_equal(fx_rates_lookup(t, fixture_ccy("GBP"), fixture_ccy("USD"),
                                     fixture_day("2025-01-22"), &f, &p, NULL, 0),
                     FX_LOOKUP_OK);
    assert_int_equal(p.num.coef, 12324);
    /* CNY -> EUR through GBP, both BOE; 27 Jan has EUR but no CNY */
    assert_int_equal(fx_rates_lookup(t, fixture_ccy("CNY"), fixture_ccy("EUR"),
                                     fixture_day("2025-01-22"), &o, &p, NULL, 0),
                     FX_LOOKUP_OK);
    assert_int_equal(p.num.coef, 11838);
    assert_int_equal(p.den.coef, 89627);
    o.fallback = FX_FALLBACK_PREVIOUS;
    o.max_stale = 7;
    assert_int_equal(fx_rates_lookup(t, fixture_ccy("CNY"), fixture_ccy("EUR"),
                                     fixture_day("2025-01-27"), &o, &p, NULL, 0),
                     FX_LOOKUP_OK);
    assert_int_equal(p.day, fixture_day("2025-01-24"));
    fx_rates_free(t);
    fx_diags_free(d);
}

static void fred_boe_errors(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        const char *want[3];
    } rows[] = {
        {"fixtures/bad/rates/fred-two-series.csv",
         {"fixtures/bad/rates/fred-two-series.csv:1:26: error: a second series column "
          "\"DEXCHUS\": a FRED file holds one series; download each as its own file",
          NULL}},
        {"fixtures/bad/rates/fred-unknown-series.csv",
         {"fixtures/bad/rates/fred-unknown-series.csv:1:18: error: unknown FRED series "
          "\"DGS10\": expected an H.10 exchange rate series (DEX and two country codes, US "
          "first or last, e.g. DEXUSUK or DEXCHUS)",
          NULL}},
        {"fixtures/bad/rates/boe-unknown-code.csv",
         {"fixtures/bad/rates/boe-unknown-code.csv:1:14: error: unknown Bank of England series "
          "code \"XUDLXXX\": expected a daily spot rate against sterling such as XUDLUSS (US "
          "dollars), XUDLERS (euros) or XUDLBK89 (yuan); see fxbook(1) for the list",
          NULL}},
        {"fixtures/bad/rates/boe-date-layout.csv",
         {"fixtures/bad/rates/boe-date-layout.csv:3:1: error: DATE: expected a date like 02 Jan "
          "2025 (the Bank of England's layout) that exists, got \"2025-01-03\"",
          "fixtures/bad/rates/boe-date-layout.csv:4:1: error: DATE: expected a date like 02 Jan "
          "2025 (the Bank of England's layout) that exists, got \"6 Jan 2025\"",
          NULL}},
    };
    for (size_t i = 0; i < N(rows); i++) {
        fx_diags *d = fx_diags_new();
        const char *paths[] = {rows[i].path, NULL};
        fx_rate_table *t = load(d, paths, FX_E_DATA, FX_OK);
        expect_msgs(d, rows[i].want);
        fx_rates_free(t);
        fx_diags_free(d);
    }
}

/* ---- folders, aliases ---- */

static void folder(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    const char *paths[] = {DATA "dir", NULL};
    fx_rate_table *t = load(d, paths, FX_OK, FX_OK);
    assert_int_equal(fx_diags_count(d), 0);
    /* sorted by name; notes.txt and .hidden.csv ignored */
    assert_int_equal(fx_rates_files(t), 3);
    assert_string_equal(fx_rates_file_name(t, 0), DATA "dir/a-ecb.csv");
    assert_string_equal(fx_rates_file_name(t, 1), DATA "dir/aliases.csv");
    assert_string_equal(fx_rates_file_name(t, 2), DATA "dir/b-long.csv");
    fx_day first, last;
    size_t n;
    assert_true(fx_rates_file_range(t, 0, &first, &last, &n));
    assert_int_equal(first, fixture_day("2025-01-02"));
    assert_int_equal(last, fixture_day("2025-01-03"));
    assert_int_equal(n, 4);
    assert_false(fx_rates_file_range(t, 1, &first, &last, &n)); /* aliases: no rates */
    assert_true(fx_rates_has_aliases(t));
    fx_ccy c;
    assert_true(fx_rates_resolve(t, "$", 1, &c));
    assert_string_equal(c.s, "USD");
    /* the long file's USD -> CAD, inverted, when its provider is asked;
     * by default ECB alone, which has no CAD */
    const char *const blong[] = {"b-long"};
    fx_lookup_opts o = {FX_FALLBACK_PREVIOUS, 7, blong, 1};
    fx_priced p;
    assert_int_equal(
        fx_rates_lookup(t, fixture_ccy("CAD"), fixture_ccy("USD"), fixture_day("2025-01-03"), &o, &p, NULL, 0),
        FX_LOOKUP_OK);
    assert_string_equal(p.leg[0]->origin->file, DATA "dir/b-long.csv");
    assert_string_equal(p.leg[0]->origin->provider, "b-long");
    char why[FX_DEC_STR_MAX];
    o.nproviders = 0;
    assert_int_equal(fx_rates_lookup(t, fixture_ccy("CAD"), fixture_ccy("USD"),
                                     fixture_day("2025-01-03"), &o, &p, why, sizeof why),
                     FX_LOOKUP_NO_RATE);
    assert_string_equal(why, "no CAD rate from ECB");
    fx_diags_free(d);
    fx_rates_free(t);

    /* a trailing slash gives the same names */
    d = fx_diags_new();
    const char *slash[] = {DATA "dir/", NULL};
    t = load(d, slash, FX_OK, FX_OK);
    assert_string_equal(fx_rates_file_name(t, 0), DATA "dir/a-ecb.csv");
    fx_diags_free(d);
    fx_rates_free(t);
}

static void empty_folder(void **state)
{
    (void)state;
    char tmp[] = "/tmp/fxbook-rates-XXXXXX";
    assert_non_null(mkdtemp(tmp));
    fx_diags *d = fx_diags_new();
    fx_rate_table *t = fx_rates_new();
    assert_int_equal(fx_rates_load(t, tmp, d), FX_E_NOINPUT);
    char want[128];
    snprintf(want, sizeof want, "fxbook: error: no *.csv rates files in %s", tmp);
    const char *msgs[] = {want, NULL};
    expect_msgs(d, msgs);
    assert_int_equal(fx_diags_status(d), FX_E_NOINPUT);
    rmdir(tmp);
    fx_diags_free(d);
    fx_rates_free(t);
}

static void aliases(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    const char *paths[] = {DATA "ecb-small.csv", DATA "aliases.csv", NULL};
    fx_rate_table *t = load(d, paths, FX_OK, FX_OK);
    assert_true(fx_rates_has_aliases(t));
    static const struct {
        const char *s;
        const char *want;
    } rows[] = {
        {"RMB", "CNY"},       {"£", "GBP"},        {"yuan", "CNY"}, {"US dollar", "USD"},
        {"USD", "USD"},       {"CYP", "CYP"},      {"TWD", "TWD"},  {"us dollar", NULL},
        {"US dollar ", NULL}, {" RMB", NULL},      {"Rmb", NULL},   {"usd", NULL},
        {"¥", NULL},          {"XYZ", NULL},       {"", NULL},      {"US", NULL},
    };
    for (size_t i = 0; i < N(rows); i++) {
        fx_ccy c = fixture_ccy("---");
        bool ok = fx_rates_resolve(t, rows[i].s, strlen(rows[i].s), &c);
        if (ok != (rows[i].want != NULL))
            fail_msg("resolve \"%s\": %d", rows[i].s, ok);
        if (ok)
            assert_string_equal(c.s, rows[i].want);
        else
            assert_string_equal(c.s, "---"); /* untouched */
    }
    fx_diags_free(d);
    fx_rates_free(t);
}

/* An alias to a code only the rates know is fine when the rates are loaded. */
static void alias_to_rates_code(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    const char *paths[] = {DATA "ecb-small.csv", DATA "bad/aliases.csv", NULL};
    fx_rate_table *t = load(d, paths, FX_E_DATA, FX_E_DATA);
    for (size_t i = 0; i < fx_diags_count(d); i++)
        assert_null(strstr(fx_diags_message(d, i), "Cyprus"));
    fx_ccy c;
    assert_true(fx_rates_resolve(t, "Cyprus pound", 12, &c));
    assert_string_equal(c.s, "CYP");
    assert_true(fx_rates_resolve(t, "RMB", 3, &c)); /* the first listed */
    assert_string_equal(c.s, "CNY");
    fx_diags_free(d);
    fx_rates_free(t);
}

/* Long and aliases files need no final line end: the last line is read
 * whole (157.6875, not 157.68; "US dollar", not "US dolla"). */
static void no_final_line_end(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    const char *paths[] = {DATA "long-no-eol.csv", DATA "aliases-no-eol.csv", NULL};
    fx_rate_table *t = load(d, paths, FX_OK, FX_OK);
    assert_int_equal(fx_diags_count(d), 0);
    fx_lookup_opts o = {FX_FALLBACK_NONE, 0, NULL, 0};
    fx_priced p;
    assert_int_equal(
        fx_rates_lookup(t, fixture_ccy("USD"), fixture_ccy("JPY"), fixture_day("2025-01-03"), &o, &p, NULL, 0),
        FX_LOOKUP_OK);
    assert_int_equal(p.num.coef, 1576875);
    assert_int_equal(p.num.exp, -4);
    assert_int_equal(p.leg[0]->line, 3);
    fx_ccy c;
    assert_true(fx_rates_resolve(t, "US dollar", 9, &c));
    assert_string_equal(c.s, "USD");
    assert_false(fx_rates_resolve(t, "US dolla", 8, &c));
    fx_diags_free(d);
    fx_rates_free(t);
}

/* A *.csv in a rates folder that cannot be read is 66 with its path,
 * never skipped: a link to a missing file (an unmounted share), a folder
 * named *.csv. The readable files are still loaded (and checked). */
static void folder_unreadable_entries(void **state)
{
    (void)state;
    char tmp[] = "/tmp/fxbook-rates-XXXXXX";
    assert_non_null(mkdtemp(tmp));
    char a[128], b[128], c[128], h[128];
    snprintf(a, sizeof a, "%s/a.csv", tmp);
    snprintf(b, sizeof b, "%s/b.csv", tmp);
    snprintf(c, sizeof c, "%s/c.csv", tmp);
    snprintf(h, sizeof h, "%s/.hidden.csv", tmp);
    FILE *f = fopen(a, "w");
    assert_non_null(f);
    fputs("date,base,quote,rate\n2025-01-02,USD,JPY,157.25\n", f);
    fclose(f);
    assert_int_equal(symlink("/nonexistent/share/rates.csv", b), 0);
    assert_int_equal(mkdir(c, 0700), 0);
    assert_int_equal(symlink("/nonexistent/share/hidden.csv", h), 0); /* not "*.csv" */
    fx_diags *d = fx_diags_new();
    fx_rate_table *t = fx_rates_new();
    assert_int_equal(fx_rates_load(t, tmp, d), FX_E_NOINPUT);
    char want_b[256], want_c[256];
    snprintf(want_b, sizeof want_b,
             "fxbook: error: cannot open %s: No such file or directory (a symbolic link to "
             "/nonexistent/share/rates.csv)", b);
    snprintf(want_c, sizeof want_c, "fxbook: error: cannot read %s: Is a directory", c);
    const char *msgs[] = {want_b, want_c, NULL};
    expect_msgs(d, msgs);
    assert_int_equal(fx_diags_status(d), FX_E_NOINPUT);
    assert_int_equal(fx_rates_finish(t, d), FX_OK);
    assert_int_equal(fx_rates_count(t), 1); /* a.csv */
    fx_diags_free(d);
    fx_rates_free(t);

    /* only the dangling link: 66 for it, not "no *.csv rates files" */
    unlink(a);
    rmdir(c);
    d = fx_diags_new();
    t = fx_rates_new();
    assert_int_equal(fx_rates_load(t, tmp, d), FX_E_NOINPUT);
    const char *only_b[] = {want_b, NULL};
    expect_msgs(d, only_b);
    fx_diags_free(d);
    fx_rates_free(t);
    unlink(b);
    unlink(h);
    rmdir(tmp);
}

/* SPEC 1: a target must be a known currency (ISO 4217 or the rates). */
static void targets(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    const char *paths[] = {DATA "ecb-small.csv", DATA "aliases.csv", NULL};
    fx_rate_table *t = load(d, paths, FX_OK, FX_OK);
    char why[160] = "";
    assert_true(fx_rates_check_target(t, fixture_ccy("USD"), why, sizeof why)); /* ISO and rates */
    assert_true(fx_rates_check_target(t, fixture_ccy("TWD"), why, sizeof why)); /* ISO only */
    assert_true(fx_rates_check_target(t, fixture_ccy("CYP"), why, sizeof why)); /* in the rates */
    assert_true(fx_rates_check_target(t, fixture_ccy("EUR"), NULL, 0));
    assert_string_equal(why, "");
    assert_false(fx_rates_check_target(t, fixture_ccy("XYZ"), why, sizeof why));
    assert_string_equal(why, "XYZ is no known currency: neither an ISO 4217 code nor in the "
                             "loaded rates");
    assert_false(fx_rates_check_target(t, fixture_ccy("RMB"), why, sizeof why));
    assert_string_equal(why, "RMB is no known currency (neither ISO 4217 nor in the loaded "
                             "rates) but an alias of CNY; write CNY");
    assert_false(fx_rates_check_target(t, fixture_ccy("RMB"), NULL, 0));
    assert_true(fx_rates_is_currency(t, fixture_ccy("TWD")));
    assert_false(fx_rates_is_currency(t, fixture_ccy("RMB")));
    fx_diags_free(d);
    fx_rates_free(t);
}

/* ---- provenance: the names the workbook shows, size, SHA-256, provider ---- */

static const fx_rate *lookup_leg(const fx_rate_table *t, const char *from, const char *to,
                                 const char *day)
{
    const char *all[8]; /* every loaded provider, in load order */
    size_t n = 0;
    while (n < 8 && fx_rates_provider(t, n))
        all[n] = fx_rates_provider(t, n), n++;
    fx_lookup_opts o = {FX_FALLBACK_NONE, 0, all, n};
    fx_priced p;
    assert_int_equal(fx_rates_lookup(t, fixture_ccy(from), fixture_ccy(to), fixture_day(day), &o,
                                     &p, NULL, 0),
                     FX_LOOKUP_OK);
    assert_non_null(p.leg[0]);
    return p.leg[0];
}

static void provenance_folder(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    fx_rate_table *t = fx_rates_new();
    assert_int_equal(fx_rates_load_as(t, DATA "dir", "(default rates)", d), FX_OK);
    assert_int_equal(fx_rates_finish(t, d), FX_OK);
    /* sha256sum and wc -c of the three files */
    static const struct {
        const char *name, *shown, *sha256;
        long long size;
    } want[] = {
        {DATA "dir/a-ecb.csv", "(default rates)/a-ecb.csv",
         "365121a5c43d7b2ee0893388d9b2155de034acaa4e3ea36c4e4c43842ca8a925", 66},
        {DATA "dir/aliases.csv", "(default rates)/aliases.csv",
         "8c52a0b96937084fb55151ff02194a7dff16e28f60a9889f4819e6177972bf9b", 17},
        {DATA "dir/b-long.csv", "(default rates)/b-long.csv",
         "d7e863b8a2aa06fd466f32cc55698bba6eff4686878de4f3308c44ebcba55d9f", 45},
    };
    assert_int_equal(fx_rates_files(t), N(want));
    for (size_t i = 0; i < N(want); i++) {
        assert_string_equal(fx_rates_file_name(t, i), want[i].name); /* messages: the real path */
        assert_string_equal(fx_rates_file_shown(t, i), want[i].shown);
        assert_string_equal(fx_rates_file_sha256(t, i), want[i].sha256);
        assert_int_equal(fx_rates_file_size(t, i), want[i].size);
    }
    assert_null(fx_rates_file_shown(t, N(want)));
    assert_null(fx_rates_file_sha256(t, N(want)));
    assert_int_equal(fx_rates_file_size(t, N(want)), -1);
    /* each rate's origin: the ECB file's provider is ECB; a long file
     * without a source column is its name without .csv */
    const fx_rate *r = lookup_leg(t, "EUR", "GBP", "2025-01-03");
    assert_string_equal(r->origin->provider, "ECB");
    assert_string_equal(r->origin->shown, "(default rates)/a-ecb.csv");
    assert_ptr_equal(r->origin->file, fx_rates_file_name(t, 0));
    assert_int_equal(r->origin->file_index, 0);
    assert_ptr_equal(lookup_leg(t, "EUR", "USD", "2025-01-02")->origin, r->origin); /* shared */
    r = lookup_leg(t, "USD", "CAD", "2025-01-03");
    assert_string_equal(r->origin->provider, "b-long");
    assert_string_equal(r->origin->shown, "(default rates)/b-long.csv");
    assert_int_equal(r->origin->file_index, 2);
    fx_rates_free(t);
    fx_diags_free(d);

    /* a trailing slash on either name: one slash between */
    d = fx_diags_new();
    t = fx_rates_new();
    assert_int_equal(fx_rates_load_as(t, DATA "dir/", "shown/", d), FX_OK);
    assert_string_equal(fx_rates_file_shown(t, 0), "shown/a-ecb.csv");
    assert_string_equal(fx_rates_file_name(t, 0), DATA "dir/a-ecb.csv");
    fx_rates_free(t);
    fx_diags_free(d);

    /* fx_rates_load shows the name as given */
    d = fx_diags_new();
    t = fx_rates_new();
    assert_int_equal(fx_rates_load(t, DATA "dir", d), FX_OK);
    assert_string_equal(fx_rates_file_shown(t, 2), DATA "dir/b-long.csv");
    fx_rates_free(t);
    fx_diags_free(d);
}

/* Messages name the file read, whatever the workbook calls it. */
static void provenance_messages(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    fx_rate_table *t = fx_rates_new();
    assert_int_equal(fx_rates_load_as(t, DATA "bad/long-rows.csv", "(default rates)/x.csv", d),
                     FX_E_DATA);
    assert_true(fx_diags_count(d) > 0);
    for (size_t i = 0; i < fx_diags_count(d); i++)
        assert_true(strncmp(fx_diags_message(d, i), DATA "bad/long-rows.csv:",
                            strlen(DATA "bad/long-rows.csv:")) == 0);
    fx_rates_free(t);
    fx_diags_free(d);
}

/* A long file's source column is the provider, one origin per distinct
 * source (the rates share it); an empty cell is the file's name. */
static void provenance_long_sources(void **state)
{
    (void)state;
    fx_rate_table *t = fixture_rates_text("date,base,quote,rate,source\n"
                                          "2025-01-02,USD,JPY,157.25,BOJ\n"
                                          "2025-01-03,USD,JPY,157.5,BOJ\n"
                                          "2025-01-03,USD,CHF,0.91,\n"
                                          "2025-01-03,GBP,CHF,1.13,SNB\n");
    assert_non_null(t);
    const fx_rate *a = lookup_leg(t, "USD", "JPY", "2025-01-02");
    const fx_rate *b = lookup_leg(t, "USD", "JPY", "2025-01-03");
    const fx_rate *c = lookup_leg(t, "USD", "CHF", "2025-01-03");
    const fx_rate *e = lookup_leg(t, "GBP", "CHF", "2025-01-03");
    assert_string_equal(a->origin->provider, "BOJ");
    assert_ptr_equal(a->origin, b->origin); /* interned: one origin, not a copy a rate */
    assert_string_equal(c->origin->provider, "rates"); /* fixture's rates.csv */
    assert_string_equal(e->origin->provider, "SNB");
    assert_ptr_equal(a->origin->file, e->origin->file);
    assert_int_equal(a->origin->file_index, 0);
    fx_rates_free(t);

    /* a file named without .csv: the whole name; a quoted source as read */
    char dir[] = "/tmp/fxbook-test-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/my-bank", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("date,base,quote,rate,source\n"
          "2025-01-02,USD,JPY,157.25,\"PBOC central parity, 2025-01-22\"\n"
          "2025-01-03,USD,JPY,157.5,\n",
          f);
    fclose(f);
    t = fixture_rates_load(path);
    unlink(path);
    rmdir(dir);
    assert_non_null(t);
    assert_string_equal(lookup_leg(t, "USD", "JPY", "2025-01-02")->origin->provider,
                        "PBOC central parity, 2025-01-22");
    assert_string_equal(lookup_leg(t, "USD", "JPY", "2025-01-03")->origin->provider, "my-bank");
    fx_rates_free(t);
}

/* The SHA-256 is taken in the reader's chunks: the real ECB history (over
 * a chunk) gives the digest of its whole bytes at once. */
static void provenance_ecb_digest(void **state)
{
    (void)state;
    gchar *data = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(ECB, &data, &len, NULL));
    gchar *want = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
    fx_rate_table *t = fixture_rates_load(ECB);
    assert_non_null(t);
    assert_true(len > 65536);
    assert_int_equal(fx_rates_file_size(t, 0), (long long)len);
    assert_string_equal(fx_rates_file_sha256(t, 0), want);
    assert_string_equal(fx_rates_file_shown(t, 0), ECB);
    fx_rates_free(t);
    g_free(want);
    g_free(data);
}

/* A source cell longer than a workbook cell is an error at that cell. */
static void provenance_long_source_cell(void **state)
{
    (void)state;
    size_t n = 33000;
    char *csv = malloc(n + 128);
    assert_non_null(csv);
    int k = snprintf(csv, 128, "date,base,quote,rate,source\n2025-01-02,USD,JPY,157.25,");
    memset(csv + k, 'x', n);
    strcpy(csv + k + n, "\n");
    char dir[] = "/tmp/fxbook-test-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/r.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(csv, f);
    fclose(f);
    fx_diags *d = fx_diags_new();
    fx_rate_table *t = fx_rates_new();
    assert_int_equal(fx_rates_load(t, path, d), FX_E_DATA);
    char want[256];
    snprintf(want, sizeof want,
             "%s:2:27: error: source: 33000 characters as a workbook stores them; a cell holds at "
             "most 32767",
             path);
    const char *const msgs[] = {want, NULL};
    expect_msgs(d, msgs);
    assert_int_equal(fx_rates_count(t), 0);
    fx_rates_free(t);
    fx_diags_free(d);
    unlink(path);
    rmdir(dir);
    free(csv);
}

/* Every rate of an ECB file is read as fx_small_parse reads its text,
 * whichever way the loader takes it (the quick parse of the usual rates,
 * the general one for the rest): all strings of 1 to 5 characters over
 * "09./:a" ('/' and ':' are the bytes either side of the digits), of 6
 * and 7 over "019.", of 8 over "05.", and longer and odd ones, each on
 * its own day. A text the general parse rejects, or zero, gives no rate
 * that day. */
static void ecb_values_as_parsed(void **state)
{
    (void)state;
    GPtrArray *vals = g_ptr_array_new_with_free_func(g_free);
    for (int len = 1; len <= 8; len++) {
        const char *a = len <= 5 ? "09./:a" : len <= 7 ? "019." : "05.";
        size_t na = strlen(a), total = 1;
        for (int i = 0; i < len; i++)
            total *= na;
        for (size_t k = 0; k < total; k++) {
            char v[9];
            size_t x = k;
            for (int i = 0; i < len; i++, x /= na)
                v[i] = a[x % na];
            v[len] = '\0';
            g_ptr_array_add(vals, g_strdup(v));
        }
    }
    static const char *const odd[] = {
        "123456789.12", "0.000000001", "999999999999999999", "9999999999999999999",
        "99999999999999999.9", "9.99999999999999999", "1.0000000000000000000", "00000000.1",
        "0000000001", "12345678.9", "1234567.89", "163.36", "18606.59", "0.58231", "372816",
        "1e5", "1.2.3", "-1", "+1", " 1", "1 ", "1\xC3\xA9", "\xC3\xA9", "1.5\xC3\xA9", "0x10",
        "N/A1", "1\t", "12345678901234567890", "1234567890.1234567890"};
    for (size_t i = 0; i < N(odd); i++)
        g_ptr_array_add(vals, g_strdup(odd[i]));

    char dir[] = "/tmp/fxbook-test-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/ecb.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("Date,USD,\n", f);
    fx_day first = fixture_day("1990-01-01");
    for (size_t i = vals->len; i-- > 0;) { /* newest first, as the ECB writes it */
        char day[11];
        fx_date_format(first + (fx_day)i, day);
        fprintf(f, "%s,%s,\n", day, (const char *)g_ptr_array_index(vals, i));
    }
    fclose(f);

    fx_diags *d = fx_diags_new();
    fx_rate_table *t = fx_rates_new();
    fx_status st = fx_rates_load(t, path, d);
    assert_true(st == FX_OK || st == FX_E_DATA);
    assert_int_equal(fx_rates_finish(t, d), FX_OK);
    fx_lookup_opts o = {FX_FALLBACK_NONE, -1, NULL, 0};
    size_t want_n = 0;
    for (size_t i = 0; i < vals->len; i++) {
        const char *v = g_ptr_array_index(vals, i);
        fx_small want;
        bool ok = fx_small_parse(&want, v, strlen(v)) == FX_DEC_OK && want.coef > 0;
        fx_priced p;
        char why[FX_DEC_STR_MAX];
        fx_lookup_err e = fx_rates_lookup(t, fixture_ccy("EUR"), fixture_ccy("USD"),
                                          first + (fx_day)i, &o, &p, why, sizeof why);
        if (ok != (e == FX_LOOKUP_OK))
            fail_msg("\"%s\": %s, but the general parse %s it", v,
                     e == FX_LOOKUP_OK ? "a rate" : "no rate", ok ? "accepts" : "rejects");
        if (ok && (p.num.coef != want.coef || p.num.exp != want.exp || p.den.coef != 1 ||
                   p.den.exp != 0))
            fail_msg("\"%s\": read as %lld e%d, the general parse gives %lld e%d", v,
                     (long long)p.num.coef, (int)p.num.exp, (long long)want.coef, (int)want.exp);
        want_n += ok;
    }
    assert_int_equal(fx_rates_count(t), want_n);
    fx_rates_free(t);
    fx_diags_free(d);
    g_ptr_array_free(vals, TRUE);
    unlink(path);
    rmdir(dir);
}

/* Two ECB files of one provider fill the same pairs: the second file's
 * rates join the first's (which lie in the first file's block), one file
 * in no date order is sorted; the same rate twice is kept once, the first
 * loaded. */
static void ecb_files_share_pairs(void **state)
{
    (void)state;
    char dir[] = "/tmp/fxbook-test-XXXXXX", a[64], b[64];
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/ecb-a.csv", dir);
    snprintf(b, sizeof b, "%s/ecb-b.csv", dir);
    FILE *f = fopen(a, "w");
    assert_non_null(f);
    fputs("Date,USD,JPY,\n2025-01-03,1.03,160,\n2025-01-02,1.02,N/A,\n", f);
    fclose(f);
    f = fopen(b, "w");
    assert_non_null(f);
    fputs("Date,USD,\n2025-01-01,1.01,\n2025-01-06,1.06,\n2025-01-03,1.03,\n", f);
    fclose(f);
    fx_diags *d = fx_diags_new();
    fx_rate_table *t = fx_rates_new();
    assert_int_equal(fx_rates_load(t, dir, d), FX_OK);
    assert_int_equal(fx_rates_finish(t, d), FX_OK);
    assert_int_equal(fx_diags_count(d), 0);
    assert_int_equal(fx_rates_count(t), 5);
    static const struct {
        const char *day, *value;
        int file; /* 0: a, 1: b */
        unsigned line;
    } want[] = {{"2025-01-01", "1.01", 1, 2},
                {"2025-01-02", "1.02", 0, 3},
                {"2025-01-03", "1.03", 0, 2},
                {"2025-01-06", "1.06", 1, 3}};
    for (size_t i = 0; i < N(want); i++) {
        const fx_rate *r = lookup_leg(t, "EUR", "USD", want[i].day);
        fx_small v = small_of(want[i].value);
        assert_true(r->value.coef == v.coef && r->value.exp == v.exp);
        assert_string_equal(r->origin->file, want[i].file ? b : a);
        assert_int_equal(r->line, want[i].line);
        assert_true(r->id < fx_rates_count(t));
    }
    assert_int_equal(lookup_leg(t, "EUR", "JPY", "2025-01-03")->line, 2);
    fx_rates_free(t);
    fx_diags_free(d);
    unlink(a);
    unlink(b);
    rmdir(dir);
    /* one file in no date order: its pair, in the file's block, sorted */
    t = fixture_rates_text("Date,USD,\n2025-01-02,1.02,\n2025-01-03,1.03,\n2025-01-01,1.01,\n");
    assert_non_null(t);
    assert_int_equal(fx_rates_count(t), 3);
    assert_int_equal(lookup_leg(t, "EUR", "USD", "2025-01-01")->line, 4);
    assert_int_equal(lookup_leg(t, "EUR", "USD", "2025-01-03")->line, 3);
    fx_rates_free(t);
}

static void api_edges(void **state)
{
    (void)state;
    fx_rates_free(NULL);
    fx_diags *d = fx_diags_new();
    fx_rate_table *t = fx_rates_new();
    /* an empty table: nothing known, nothing priced but the identity */
    assert_int_equal(fx_rates_finish(t, d), FX_OK);
    assert_int_equal(fx_rates_count(t), 0);
    assert_int_equal(fx_rates_files(t), 0);
    assert_null(fx_rates_file_name(t, 0));
    fx_lookup_opts o = {FX_FALLBACK_PREVIOUS, -1, NULL, 0};
    fx_priced p;
    char why[FX_DEC_STR_MAX];
    assert_int_equal(fx_rates_lookup(t, fixture_ccy("USD"), fixture_ccy("EUR"), 0, &o, &p, why, sizeof why),
                     FX_LOOKUP_NO_RATE);
    assert_string_equal(why, "no USD rate in the loaded rates");
    /* a short `why` is cut, never overrun */
    char tiny[8];
    assert_int_equal(fx_rates_lookup(t, fixture_ccy("USD"), fixture_ccy("EUR"), 0, &o, &p, tiny, sizeof tiny),
                     FX_LOOKUP_NO_RATE);
    assert_string_equal(tiny, "no USD ");
    /* loading after finish is a programming error, reported */
    assert_int_equal(fx_rates_load(t, DATA "ecb-small.csv", d), FX_E_INTERNAL);
    fx_rates_free(t);
    fx_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ecb_lookups),
        cmocka_unit_test(ecb_shape),
        cmocka_unit_test(ecb_each_day),
        cmocka_unit_test(ecb_resolve),
        cmocka_unit_test(mixed_lookups),
        cmocka_unit_test(cross_lookups),
        cmocka_unit_test(unsorted),
        cmocka_unit_test(errors),
        cmocka_unit_test(errors_keep_going),
        cmocka_unit_test(identical_duplicates),
        cmocka_unit_test(fred_real),
        cmocka_unit_test(boe_fixture),
        cmocka_unit_test(fred_boe_errors),
        cmocka_unit_test(folder),
        cmocka_unit_test(empty_folder),
        cmocka_unit_test(aliases),
        cmocka_unit_test(alias_to_rates_code),
        cmocka_unit_test(no_final_line_end),
        cmocka_unit_test(folder_unreadable_entries),
        cmocka_unit_test(targets),
        cmocka_unit_test(api_edges),
        cmocka_unit_test(ecb_values_as_parsed),
        cmocka_unit_test(ecb_files_share_pairs),
        cmocka_unit_test(provenance_folder),
        cmocka_unit_test(provenance_messages),
        cmocka_unit_test(provenance_long_sources),
        cmocka_unit_test(provenance_ecb_digest),
        cmocka_unit_test(provenance_long_source_cell),
    };
    return cmocka_run_group_tests(tests, ecb_setup, ecb_teardown);
}
