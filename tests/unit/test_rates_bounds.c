/* test_rates_bounds - the boundaries of a lookup (SPEC 3), each at the
 * boundary and one step either side: --max-stale (D - R == max_stale is
 * accepted, max_stale + 1 is not; 0; none), --fallback none (R == D
 * only), the rate of D itself, each_day's inclusive window, the cross
 * intermediate chosen on a tie (the smallest code, whatever the load
 * order; a later day wins over a smaller code), and a pair quoted both
 * ways on one day (the rate quoted in the asked direction is cited, never
 * the inverse). On a small long-format file written here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

#include "rates.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static fx_rate_table *rates;

/* Line numbers matter: the legs' lines are checked. The CHF route is
 * loaded before the CAD one on purpose (the tie goes by code, not load
 * order); NOK,SEK comes first on 2025-02-06 and last on 2025-02-05. */
static const char rates_csv[] =
    "date,base,quote,rate\n"  /* 1 */
    "2025-01-09,USD,JPY,150\n" /* 2 */
    "2025-01-10,USD,JPY,151\n" /* 3 */
    "2025-01-20,USD,JPY,152\n" /* 4 */
    "2025-02-03,AUD,CHF,0.6\n" /* 5 */
    "2025-02-03,CHF,NZD,1.9\n" /* 6 */
    "2025-02-03,AUD,CAD,0.9\n" /* 7 */
    "2025-02-03,CAD,NZD,1.2\n" /* 8 */
    "2025-02-04,AUD,CHF,0.61\n" /* 9 */
    "2025-02-04,CHF,NZD,1.91\n" /* 10 */
    "2025-02-05,SEK,NOK,1.25\n" /* 11 */
    "2025-02-05,NOK,SEK,0.8\n"  /* 12 */
    "2025-02-06,NOK,SEK,0.5\n"  /* 13 */
    "2025-02-06,SEK,NOK,2\n";   /* 14 */

static int setup(void **state)
{
    (void)state;
    rates = fixture_rates_text(rates_csv);
    return rates ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fx_rates_free(rates);
    return 0;
}

#define PREV FX_FALLBACK_PREVIOUS
#define NONE FX_FALLBACK_NONE
#define OK FX_LOOKUP_OK
#define STALE FX_LOOKUP_STALE

typedef struct {
    const char *from, *to, *day;
    fx_fallback fallback;
    long max_stale;
    fx_lookup_err err;
    const char *rday;     /* OK: R */
    const char *rate;     /* OK: num / den, exact, as a decimal ("1/1.08" allowed) */
    unsigned long line[2]; /* legs' lines, 0: no leg */
    bool inverse[2];
} row;

static const row rows[] = {
    /* --max-stale: USD/JPY quoted on 01-09, 01-10, 01-20 */
    {"USD", "JPY", "2025-01-17", PREV, 7, OK, "2025-01-10", "151", {3, 0}, {false, false}},
    {"USD", "JPY", "2025-01-17", PREV, 8, OK, "2025-01-10", "151", {3, 0}, {false, false}},
    {"USD", "JPY", "2025-01-17", PREV, 6, STALE, NULL, NULL, {0, 0}, {false, false}},
    {"USD", "JPY", "2025-01-18", PREV, 7, STALE, NULL, NULL, {0, 0}, {false, false}},
    {"USD", "JPY", "2025-01-16", PREV, 7, OK, "2025-01-10", "151", {3, 0}, {false, false}},
    {"JPY", "USD", "2025-01-17", PREV, 7, OK, "2025-01-10", "1/151", {3, 0}, {true, false}},
    {"JPY", "USD", "2025-01-18", PREV, 7, STALE, NULL, NULL, {0, 0}, {false, false}},
    {"USD", "JPY", "2025-01-10", PREV, 0, OK, "2025-01-10", "151", {3, 0}, {false, false}},
    {"USD", "JPY", "2025-01-11", PREV, 0, STALE, NULL, NULL, {0, 0}, {false, false}},
    {"USD", "JPY", "2025-01-11", PREV, 1, OK, "2025-01-10", "151", {3, 0}, {false, false}},
    {"USD", "JPY", "2025-01-19", PREV, -1, OK, "2025-01-10", "151", {3, 0}, {false, false}},
    {"USD", "JPY", "2099-12-31", PREV, -1, OK, "2025-01-20", "152", {4, 0}, {false, false}},
    /* the rate of D itself, under both fallbacks */
    {"USD", "JPY", "2025-01-20", NONE, 7, OK, "2025-01-20", "152", {4, 0}, {false, false}},
    {"USD", "JPY", "2025-01-20", PREV, 0, OK, "2025-01-20", "152", {4, 0}, {false, false}},
    {"USD", "JPY", "2025-01-09", NONE, 7, OK, "2025-01-09", "150", {2, 0}, {false, false}},
    {"USD", "JPY", "2025-01-11", NONE, 7, FX_LOOKUP_NOT_ON_DAY, NULL, NULL, {0, 0}, {false, false}},
    {"USD", "JPY", "2025-01-21", NONE, -1, FX_LOOKUP_NOT_ON_DAY, NULL, NULL, {0, 0}, {false, false}},
    {"USD", "JPY", "2025-01-08", PREV, -1, FX_LOOKUP_BEFORE, NULL, NULL, {0, 0}, {false, false}},
    /* a cross tie on 02-03: via CAD (0.9 x 1.2) and via CHF (0.6 x 1.9);
     * the smaller code, CAD, wins although CHF was loaded first */
    {"AUD", "NZD", "2025-02-03", NONE, 7, OK, "2025-02-03", "1.08", {7, 8}, {false, false}},
    {"NZD", "AUD", "2025-02-03", NONE, 7, OK, "2025-02-03", "1/1.08", {8, 7}, {true, true}},
    /* on 02-04 only the CHF route exists: a later day beats a smaller code */
    {"AUD", "NZD", "2025-02-04", NONE, 7, OK, "2025-02-04", "1.1651", {9, 10}, {false, false}},
    {"NZD", "AUD", "2025-02-05", PREV, 7, OK, "2025-02-04", "1/1.1651", {10, 9}, {true, true}},
    /* a pair quoted both ways on one day: the asked direction is cited */
    {"SEK", "NOK", "2025-02-05", NONE, 7, OK, "2025-02-05", "1.25", {11, 0}, {false, false}},
    {"NOK", "SEK", "2025-02-05", NONE, 7, OK, "2025-02-05", "0.8", {12, 0}, {false, false}},
    {"SEK", "NOK", "2025-02-06", NONE, 7, OK, "2025-02-06", "2", {14, 0}, {false, false}},
    {"NOK", "SEK", "2025-02-06", NONE, 7, OK, "2025-02-06", "0.5", {13, 0}, {false, false}},
};

/* "a" or "1/a" as an exact ratio */
static void ratio_of(fx_ratio *r, const char *s)
{
    bool inv = strncmp(s, "1/", 2) == 0;
    const char *v = inv ? s + 2 : s;
    fx_small x;
    if (fx_small_parse(&x, v, strlen(v)) != FX_DEC_OK)
        fail_msg("bad rate in test: %s", s);
    fx_small one = {1, 0};
    if (inv)
        fx_ratio_set_quot(r, one, x);
    else
        fx_ratio_set_quot(r, x, one);
}

static void lookups(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(rows); i++) {
        const row *w = &rows[i];
        fx_lookup_opts o = {w->fallback, w->max_stale, NULL, 0};
        fx_priced p;
        char why[FX_DEC_STR_MAX] = "";
        fx_lookup_err e = fx_rates_lookup(rates, fixture_ccy(w->from), fixture_ccy(w->to), fixture_day(w->day), &o,
                                          &p, why, sizeof why);
        if (e != w->err)
            fail_msg("row %zu: %s -> %s on %s (fallback %d, max-stale %ld): error %d, want %d (%s)",
                     i, w->from, w->to, w->day, w->fallback, w->max_stale, e, w->err, why);
        if (e != OK)
            continue;
        char got[11];
        fx_date_format(p.day, got);
        if (strcmp(got, w->rday) != 0)
            fail_msg("row %zu: %s -> %s on %s: R = %s, want %s", i, w->from, w->to, w->day, got,
                     w->rday);
        fx_ratio a, b;
        fx_ratio_init(&a);
        fx_ratio_init(&b);
        fx_ratio_set_quot(&a, p.num, p.den);
        ratio_of(&b, w->rate);
        if (fx_ratio_cmp(&a, &b) != 0) {
            char s[FX_DEC_STR_MAX];
            fx_ratio_to_sig(&a, 12, s, sizeof s);
            fail_msg("row %zu: %s -> %s on %s: rate %s, want %s", i, w->from, w->to, w->day, s,
                     w->rate);
        }
        fx_ratio_clear(&a);
        fx_ratio_clear(&b);
        for (int l = 0; l < 2; l++) {
            unsigned long line = p.leg[l] ? p.leg[l]->line : 0;
            if (line != w->line[l] || (p.leg[l] && p.inverse[l] != w->inverse[l]))
                fail_msg("row %zu: %s -> %s on %s: leg %d is line %lu%s, want line %lu%s", i,
                         w->from, w->to, w->day, l, line, p.inverse[l] ? " inverted" : "",
                         w->line[l], w->inverse[l] ? " inverted" : "");
        }
    }
}

/* The staleness message at the boundary names the age and the limit. */
static void stale_message(void **state)
{
    (void)state;
    fx_lookup_opts o = {PREV, 6, NULL, 0};
    fx_priced p;
    char why[FX_DEC_STR_MAX] = "";
    assert_int_equal(fx_rates_lookup(rates, fixture_ccy("USD"), fixture_ccy("JPY"), fixture_day("2025-01-17"), &o, &p,
                                     why, sizeof why),
                     STALE);
    assert_string_equal(why, "the latest rate to price USD in JPY is from 2025-01-10, 7 days "
                             "before 2025-01-17 (--max-stale 6)");
}

typedef struct {
    size_t n;
    fx_day days[16];
} collect;

static void collect_day(void *ctx, const fx_priced *p)
{
    collect *c = ctx;
    assert_true(c->n < N(c->days));
    c->days[c->n++] = p->day;
}

static void each_day_window(void **state)
{
    (void)state;
    static const struct {
        const char *lo, *hi;
        const char *want[4];
        size_t n;
    } w[] = {
        {"2025-01-09", "2025-01-20", {"2025-01-09", "2025-01-10", "2025-01-20"}, 3},
        {"2025-01-10", "2025-01-20", {"2025-01-10", "2025-01-20"}, 2},
        {"2025-01-11", "2025-01-20", {"2025-01-20"}, 1},
        {"2025-01-09", "2025-01-19", {"2025-01-09", "2025-01-10"}, 2},
        {"2025-01-08", "2025-01-09", {"2025-01-09"}, 1},
        {"2025-01-10", "2025-01-10", {"2025-01-10"}, 1},
        {"2025-01-11", "2025-01-19", {NULL}, 0},
    };
    for (size_t i = 0; i < N(w); i++) {
        collect c = {0};
        fx_rates_each_day(rates, fixture_ccy("USD"), fixture_ccy("JPY"), fixture_day(w[i].lo), fixture_day(w[i].hi),
                          collect_day, &c);
        bool same = c.n == w[i].n;
        for (size_t k = 0; same && k < c.n; k++)
            same = c.days[k] == fixture_day(w[i].want[k]);
        if (!same)
            fail_msg("each_day [%s, %s]: %zu days, want %zu", w[i].lo, w[i].hi, c.n, w[i].n);
    }
    /* a cross tie: one day, priced as the lookup prices it (via CAD) */
    collect c = {0};
    fx_rates_each_day(rates, fixture_ccy("AUD"), fixture_ccy("NZD"), fixture_day("2025-02-01"), fixture_day("2025-02-04"),
                      collect_day, &c);
    assert_int_equal(c.n, 2);
}

/* The default order with two providers (fx_rates_each_day without one):
 * the union of their days, each priced by the first provider that has
 * it; the same window bounds, one step either side. "a" publishes on
 * 01-09, 01-10 (consecutive: a walk must not skip a day) and 01-20, "b"
 * on 01-11 and 01-20. */
typedef struct {
    fx_day days[8];
    const char *by[8];
    size_t n;
} collect_by;

static void collect_provider(void *ctx, const fx_priced *p)
{
    collect_by *c = ctx;
    assert_true(c->n < N(c->days));
    c->days[c->n] = p->day;
    c->by[c->n++] = p->leg[0]->origin->provider;
}

static void each_day_two_providers(void **state)
{
    (void)state;
    fx_rate_table *two = fixture_rates_text("date,base,quote,rate,source\n"
                                            "2025-01-09,USD,JPY,150,a\n"
                                            "2025-01-10,USD,JPY,150.5,a\n"
                                            "2025-01-20,USD,JPY,152,a\n"
                                            "2025-01-11,USD,JPY,151,b\n"
                                            "2025-01-20,USD,JPY,153,b\n");
    assert_non_null(two);
    static const struct {
        const char *lo, *hi;
        size_t n;
        const char *first;
    } w[] = {
        {"2025-01-09", "2025-01-20", 4, "2025-01-09"}, {"2025-01-10", "2025-01-20", 3, "2025-01-10"},
        {"2025-01-11", "2025-01-20", 2, "2025-01-11"}, {"2025-01-09", "2025-01-19", 3, "2025-01-09"},
        {"2025-01-08", "2025-01-09", 1, "2025-01-09"}, {"2025-01-12", "2025-01-19", 0, NULL},
    };
    for (size_t i = 0; i < N(w); i++) {
        collect_by c = {0};
        fx_rates_each_day(two, fixture_ccy("USD"), fixture_ccy("JPY"), fixture_day(w[i].lo),
                          fixture_day(w[i].hi), collect_provider, &c);
        if (c.n != w[i].n || (c.n && c.days[0] != fixture_day(w[i].first)))
            fail_msg("each_day [%s, %s]: %zu days, want %zu", w[i].lo, w[i].hi, c.n, w[i].n);
    }
    collect_by c = {0};
    fx_rates_each_day(two, fixture_ccy("USD"), fixture_ccy("JPY"), fixture_day("2025-01-09"),
                      fixture_day("2025-01-20"), collect_provider, &c);
    assert_int_equal(c.n, 4);
    assert_string_equal(c.by[0], "a");
    assert_string_equal(c.by[1], "a");
    assert_string_equal(c.by[2], "b"); /* only b has 01-11 */
    assert_string_equal(c.by[3], "a"); /* both have 01-20: the first in the order */
    fx_rates_free(two);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lookups),
        cmocka_unit_test(stale_message),
        cmocka_unit_test(each_day_window),
        cmocka_unit_test(each_day_two_providers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
