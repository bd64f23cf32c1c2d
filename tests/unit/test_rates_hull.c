/* test_rates_hull - fx_rate_hull_of, the range the explanations' search
 * uses to skip pairs: on a small file, its exact ends (a direct pair, its
 * inverse, a pair quoted both ways, a cross as the product of its legs'
 * ranges, a block's first and last rate and one step either side, no rate
 * in the span, an unknown provider); on the ECB history and the Fed's
 * H.10 series, that every rate fx_rates_each_day_of gives lies inside it
 * (the one property the search relies on) and that over a whole pair it
 * is the pair's least and greatest rate, not wider. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#include "rates.h"

#define D(s) fixture_day(s)
#define C(s) fixture_ccy(s)

static void expect_range(fx_rate_hull *h, const char *prov, const char *from, const char *to,
                         const char *lo, const char *hi, double min, double max)
{
    double a = 0, b = 0;
    assert_true(fx_rate_hull_of(h, prov, C(from), C(to), D(lo), D(hi), &a, &b));
    if (fabs(a - min) > 1e-12 * min || fabs(b - max) > 1e-12 * max)
        fail_msg("%s -> %s of %s, %s..%s: [%.17g, %.17g], not [%.17g, %.17g]", from, to, prov, lo,
                 hi, a, b, min, max);
}

static void expect_none(fx_rate_hull *h, const char *prov, const char *from, const char *to,
                        const char *lo, const char *hi)
{
    double a = 0, b = 0;
    assert_false(fx_rate_hull_of(h, prov, C(from), C(to), D(lo), D(hi), &a, &b));
}

static void test_small(void **state)
{
    (void)state;
    static const char csv[] = "date,base,quote,rate,source\n"
                              "2025-03-03,SEK,NOK,1.25,T\n"
                              "2025-03-03,NOK,SEK,0.8,T\n"
                              "2025-03-04,NOK,SEK,0.5,T\n"
                              "2025-02-03,AUD,CHF,0.6,T\n"
                              "2025-02-03,CHF,NZD,1.9,T\n"
                              "2025-02-04,AUD,CHF,0.61,T\n"
                              "2025-02-04,CHF,NZD,1.91,T\n"
                              "2025-02-05,AUD,CHF,0.5,T\n";
    fx_rate_table *t = fixture_rates_text(csv);
    assert_non_null(t);
    fx_rate_hull *h = fx_rate_hull_new(t);
    /* both ways on one day: each rate counts, oriented (NOK->SEK 1/1.25 = 0.8, then 0.5) */
    expect_range(h, "T", "NOK", "SEK", "2025-03-03", "2025-03-04", 0.5, 0.8);
    expect_range(h, "T", "SEK", "NOK", "2025-03-03", "2025-03-04", 1.25, 2);
    /* a cross: the product of its legs' ranges; AUD/CHF's 0.5 of 02-05 is
     * in the range too (one block), though CHF/NZD has no rate that day */
    expect_range(h, "T", "AUD", "NZD", "2025-02-03", "2025-02-05", 0.5 * 1.9, 0.61 * 1.91);
    expect_range(h, "T", "NZD", "AUD", "2025-02-03", "2025-02-04", 1 / (0.61 * 1.91),
                 1 / (0.5 * 1.9));
    /* no rate in the span, an empty span, an unknown provider or currency */
    expect_none(h, "T", "NOK", "SEK", "2025-03-05", "2025-12-31");
    expect_none(h, "T", "NOK", "SEK", "2025-03-02", "2025-03-02");
    expect_none(h, "T", "NOK", "SEK", "2025-03-04", "2025-03-03");
    expect_none(h, "X", "NOK", "SEK", "2025-03-03", "2025-03-04");
    expect_none(h, "T", "NOK", "USD", "2025-03-03", "2025-03-04");
    /* a currency in itself: 1 */
    expect_range(h, "T", "NOK", "NOK", "2025-03-03", "2025-03-03", 1, 1);
    fx_rate_hull_free(h);
    fx_rates_free(t);
}

/* USD/JPY at 101 + k on day k * step (k = 0..32) from 2025-01-01: blocks
 * of 16 rates hold k = 0-15, 16-31 and 32. */
static fx_rate_table *usdjpy(int step)
{
    char csv[4096];
    size_t n = (size_t)snprintf(csv, sizeof csv, "date,base,quote,rate,source\n");
    for (int k = 0; k < 33; k++) {
        char day[11];
        fx_date_format(D("2025-01-01") + step * k, day);
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%s,USD,JPY,%d,T\n", day, 101 + k);
    }
    fx_rate_table *t = fixture_rates_text(csv);
    assert_non_null(t);
    return t;
}

/* A rate every day. */
static void test_blocks(void **state)
{
    (void)state;
    fx_rate_table *t = usdjpy(1);
    fx_rate_hull *h = fx_rate_hull_new(t);
    /* k = 15, the first block's last rate; 16, the second's first; 31, 32 */
    expect_range(h, "T", "USD", "JPY", "2025-01-16", "2025-01-16", 101, 116);
    expect_range(h, "T", "USD", "JPY", "2025-01-17", "2025-01-17", 117, 132);
    expect_range(h, "T", "USD", "JPY", "2025-01-16", "2025-01-17", 101, 132);
    expect_range(h, "T", "USD", "JPY", "2025-02-01", "2025-02-01", 117, 132);
    expect_range(h, "T", "USD", "JPY", "2025-02-02", "2025-02-02", 133, 133);
    expect_range(h, "T", "USD", "JPY", "2025-02-02", "2025-12-31", 133, 133);
    expect_range(h, "T", "USD", "JPY", "2024-12-01", "2025-01-01", 101, 116);
    expect_range(h, "T", "JPY", "USD", "2025-01-17", "2025-01-18", 1.0 / 132, 1.0 / 117);
    expect_none(h, "T", "USD", "JPY", "2024-12-01", "2024-12-31");
    expect_none(h, "T", "USD", "JPY", "2025-02-03", "2025-02-03");
    fx_rate_hull_free(h);
    fx_rates_free(t);
}

/* A rate every other day: a span's end may fall in a gap after a block's
 * last rate and before the next block's first, and a span of one rate
 * there still has it. */
static void test_gaps(void **state)
{
    (void)state;
    fx_rate_table *t = usdjpy(2);
    fx_rate_hull *h = fx_rate_hull_new(t);
    /* k = 15 on 2025-01-31 (the first block's last), 16 on 2025-02-02 */
    expect_range(h, "T", "USD", "JPY", "2025-01-31", "2025-01-31", 101, 116);
    expect_range(h, "T", "USD", "JPY", "2025-01-31", "2025-02-01", 101, 116);
    expect_range(h, "T", "USD", "JPY", "2025-01-30", "2025-01-31", 101, 116);
    expect_range(h, "T", "USD", "JPY", "2025-02-01", "2025-02-02", 117, 132);
    expect_none(h, "T", "USD", "JPY", "2025-02-01", "2025-02-01");
    expect_none(h, "T", "USD", "JPY", "2025-01-30", "2025-01-30");
    fx_rate_hull_free(h);
    fx_rates_free(t);
}

typedef struct {
    double min, max;
    size_t n;
} seen;

static void on_day(void *ctx, const fx_priced *p)
{
    seen *s = ctx;
    double v = fx_small_approx(p->num) / fx_small_approx(p->den);
    s->min = s->n ? (v < s->min ? v : s->min) : v;
    s->max = s->n ? (v > s->max ? v : s->max) : v;
    s->n++;
}

/* Every day each_day_of prices lies in the range, over random spans of
 * random pairs of both providers (direct, inverse, crosses); over the
 * whole history a direct pair's range is its least and greatest rate. */
static void test_history(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    fx_rate_table *t = fx_rates_new();
    assert_int_equal(fx_rates_load(t, "rates/eurofxref-hist.csv", d), FX_OK);
    assert_int_equal(fx_rates_load(t, "rates/fred", d), FX_OK);
    assert_int_equal(fx_rates_finish(t, d), FX_OK);
    fx_diags_free(d);
    static const char *const codes[] = {"EUR", "USD", "GBP", "CNY", "JPY", "CHF",
                                        "SEK", "TRY", "ISK", "CYP", "HRK"};
    static const char *const provs[] = {"ECB", "FED-H10"};
    fx_rate_hull *h = fx_rate_hull_new(t);
    uint64_t rng = 20251202;
    size_t checked = 0, empty = 0;
    for (int i = 0; i < 4000; i++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t r = (uint32_t)(rng >> 33);
        const char *from = codes[r % 11], *to = codes[(r / 11) % 11];
        const char *prov = provs[(r / 121) % 2];
        fx_day lo = D("1998-06-01") + (fx_day)((r / 242) % 10000);
        fx_day hi = lo + (fx_day)(r % 97);
        seen s = {0};
        fx_rates_each_day_of(t, prov, C(from), C(to), lo, hi, on_day, &s);
        double a, b;
        bool any = fx_rate_hull_of(h, prov, C(from), C(to), lo, hi, &a, &b);
        if (s.n == 0) {
            empty++;
            continue; /* a range without days is allowed: the search then finds none */
        }
        assert_true(any);
        assert_true(s.min >= a * (1 - 1e-12));
        assert_true(s.max <= b * (1 + 1e-12));
        checked++;
    }
    print_message("# %zu spans with days checked, %zu without\n", checked, empty);
    assert_true(checked > 1000 && empty > 100);
    /* over the whole history: exactly the pair's least and greatest */
    seen s = {0};
    fx_rates_each_day_of(t, "ECB", C("EUR"), C("USD"), D("1999-01-01"), D("2025-12-31"), on_day,
                         &s);
    expect_range(h, "ECB", "EUR", "USD", "1999-01-01", "2025-12-31", s.min, s.max);
    s = (seen){0};
    fx_rates_each_day_of(t, "FED-H10", C("CNY"), C("USD"), D("1981-01-01"), D("2025-12-31"),
                         on_day, &s);
    expect_range(h, "FED-H10", "CNY", "USD", "1981-01-01", "2025-12-31", s.min, s.max);
    fx_rate_hull_free(h);
    fx_rates_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small),
        cmocka_unit_test(test_blocks), cmocka_unit_test(test_gaps),
        cmocka_unit_test(test_history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
