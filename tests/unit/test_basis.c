/* test_basis - rate bases (SPEC 3): names, the calendar period that holds
 * a day (month, quarter and year boundaries, leap years) and its name;
 * averages through fx_convert on a small long file (the exact mean, the
 * days counted, first and last, a cross averaged day by day, only the
 * days up to the valuation date) and on the ECB history (a period before
 * the series, a currency that ended, an error at the field that asked). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#include "basis.h"
#include "convert.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void names(void **state)
{
    (void)state;
    static const char *const words[] = {"spot", "month-average", "quarter-average",
                                        "year-average"};
    for (int i = 0; i < FX_BASIS_COUNT; i++) {
        fx_basis b = FX_BASIS_COUNT;
        assert_string_equal(fx_basis_name((fx_basis)i), words[i]);
        assert_true(fx_basis_parse(words[i], strlen(words[i]), &b));
        assert_int_equal(b, i);
    }
    static const char *const bad[] = {"", "Spot", "monthly", "month-average ", "month",
                                      "average", "year-average\n", "quarter_average"};
    for (size_t i = 0; i < N(bad); i++) {
        fx_basis b = FX_BASIS_YEAR;
        if (fx_basis_parse(bad[i], strlen(bad[i]), &b))
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(b, FX_BASIS_YEAR); /* untouched */
    }
}

/* day, basis, the period's first day, its name */
static const struct {
    const char *day;
    fx_basis basis;
    const char *start, *name;
} periods[] = {
    {"2025-01-01", FX_BASIS_MONTH, "2025-01-01", "2025-01"},
    {"2025-01-31", FX_BASIS_MONTH, "2025-01-01", "2025-01"},
    {"2025-02-01", FX_BASIS_MONTH, "2025-02-01", "2025-02"},
    {"2024-02-29", FX_BASIS_MONTH, "2024-02-01", "2024-02"}, /* leap day */
    {"2024-03-01", FX_BASIS_MONTH, "2024-03-01", "2024-03"},
    {"2000-02-29", FX_BASIS_MONTH, "2000-02-01", "2000-02"},
    {"2025-12-31", FX_BASIS_MONTH, "2025-12-01", "2025-12"},
    {"2025-03-31", FX_BASIS_QUARTER, "2025-01-01", "2025-Q1"},
    {"2025-04-01", FX_BASIS_QUARTER, "2025-04-01", "2025-Q2"},
    {"2025-06-30", FX_BASIS_QUARTER, "2025-04-01", "2025-Q2"},
    {"2025-07-01", FX_BASIS_QUARTER, "2025-07-01", "2025-Q3"},
    {"2025-09-30", FX_BASIS_QUARTER, "2025-07-01", "2025-Q3"},
    {"2025-10-01", FX_BASIS_QUARTER, "2025-10-01", "2025-Q4"},
    {"2004-12-31", FX_BASIS_QUARTER, "2004-10-01", "2004-Q4"},
    {"2024-02-29", FX_BASIS_QUARTER, "2024-01-01", "2024-Q1"},
    {"2025-01-01", FX_BASIS_YEAR, "2025-01-01", "2025"},
    {"2024-12-31", FX_BASIS_YEAR, "2024-01-01", "2024"},
    {"2024-02-29", FX_BASIS_YEAR, "2024-01-01", "2024"},
    {"1999-01-04", FX_BASIS_YEAR, "1999-01-01", "1999"},
    {"2025-01-22", FX_BASIS_SPOT, "2025-01-22", "2025-01-22"},
};

static void period_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(periods); i++) {
        fx_day d = fixture_day(periods[i].day);
        char start[11], name[FX_BASIS_PERIOD_MAX];
        fx_date_format(fx_basis_period_start(periods[i].basis, d), start);
        fx_basis_period_name(periods[i].basis, d, name);
        if (strcmp(start, periods[i].start) != 0 || strcmp(name, periods[i].name) != 0)
            fail_msg("%s %s: start %s name %s, want %s %s", periods[i].day,
                     fx_basis_name(periods[i].basis), start, name, periods[i].start,
                     periods[i].name);
    }
}

/* Every day of 1999..2030: the period's start is the latest first-of-a-
 * month (quarter, January) on or before it, and it holds the day. */
static void period_every_day(void **state)
{
    (void)state;
    for (fx_day d = fixture_day("1999-01-01"); d <= fixture_day("2030-12-31"); d++) {
        int y, m, dd, sy, sm, sd;
        fx_date_to_ymd(d, &y, &m, &dd);
        fx_date_to_ymd(fx_basis_period_start(FX_BASIS_MONTH, d), &sy, &sm, &sd);
        assert_true(sy == y && sm == m && sd == 1);
        fx_date_to_ymd(fx_basis_period_start(FX_BASIS_QUARTER, d), &sy, &sm, &sd);
        assert_true(sy == y && sm == (m - 1) / 3 * 3 + 1 && sd == 1);
        fx_date_to_ymd(fx_basis_period_start(FX_BASIS_YEAR, d), &sy, &sm, &sd);
        assert_true(sy == y && sm == 1 && sd == 1);
    }
}

/* ---- averages through fx_convert ---- */

typedef struct {
    fx_fact f;
} hand;

static void hand_init(hand *h, const char *day, const char *value, const char *ccy)
{
    memset(h, 0, sizeof *h);
    fx_fact *f = &h->f;
    f->fact_id = (fx_text){"f1", 2};
    f->claim = (fx_text){"c", 1};
    f->source = (fx_text){"s", 1};
    f->entity = (fx_text){"E", 1};
    f->at = (fx_pos){"t.csv", 2, 1};
    f->published_at = (fx_pos){"t.csv", 2, 9};
    f->published = fixture_day(day);
    fx_dec_init(&f->fig.value);
    fx_dec_init(&f->reported.value);
    assert_int_equal(fx_dec_parse(&f->fig.value, value, strlen(value)), FX_DEC_OK);
    f->fig.kind = FX_KIND_MONEY;
    memcpy(f->fig.ccy.s, ccy, 4);
}

static void hand_clear(hand *h)
{
    fx_dec_clear(&h->f.fig.value);
    fx_dec_clear(&h->f.reported.value);
}

static const char small_csv[] =
    "date,base,quote,rate\n"
    "2024-12-31,EUR,USD,1.04\n"
    "2024-12-31,EUR,GBP,0.83\n"
    "2025-01-02,EUR,USD,1.03\n"
    "2025-01-02,EUR,GBP,0.82\n"
    "2025-01-03,EUR,USD,1.02\n" /* no GBP: no cross that day */
    "2025-01-06,EUR,USD,1.05\n"
    "2025-01-06,EUR,GBP,0.84\n"
    "2025-02-03,EUR,USD,1.01\n";

/* converts h at basis b into target; the status; messages into msg */
static fx_status conv(fx_converted *c, hand *h, fx_rate_table *t, const char *target, fx_basis b,
                      char *msg, size_t n)
{
    fx_convert_opts co;
    fx_audit_opts ao;
    fixture_opts(&co, &ao);
    fx_dec_clear(&ao.tolerance);
    co.targets[0] = fixture_ccy(target);
    co.places = 12;
    co.basis = b;
    fx_diags *d = fx_diags_new();
    fx_status st = fx_convert(c, &h->f, t, &co, d);
    msg[0] = '\0';
    if (fx_diags_count(d))
        snprintf(msg, n, "%s", fx_diags_message(d, 0));
    fx_diags_free(d);
    return st;
}

static void rounded(const fx_converted *c, const char *want)
{
    char got[FX_DEC_STR_MAX];
    fx_dec_to_str(&c->conv[0].rounded, got, sizeof got);
    assert_string_equal(got, want);
}

static void small_means(void **state)
{
    (void)state;
    fx_rate_table *t = fixture_rates_text(small_csv);
    assert_non_null(t);
    fx_converted c;
    fx_converted_init(&c);
    hand h;
    char msg[512];
    /* EUR -> USD, January up to the 6th: (1.03 + 1.02 + 1.05) / 3 */
    hand_init(&h, "2025-01-06", "3", "EUR");
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_MONTH, msg, sizeof msg), FX_OK);
    rounded(&c, "3.100000000000");
    assert_int_equal(c.conv[0].ndays, 3);
    assert_int_equal(c.conv[0].first, fixture_day("2025-01-02"));
    assert_int_equal(c.conv[0].priced.day, fixture_day("2025-01-06"));
    assert_int_equal(c.conv[0].basis, FX_BASIS_MONTH);
    /* up to the 4th (a Saturday): the days of the 2nd and 3rd */
    hand_clear(&h);
    hand_init(&h, "2025-01-04", "2", "EUR");
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_MONTH, msg, sizeof msg), FX_OK);
    rounded(&c, "2.050000000000");
    assert_int_equal(c.conv[0].ndays, 2);
    assert_int_equal(c.conv[0].priced.day, fixture_day("2025-01-03"));
    /* USD -> EUR: the mean of the inverses, (1/1.03 + 1/1.02 + 1/1.05) / 3 */
    hand_clear(&h);
    hand_init(&h, "2025-01-31", "1000000", "USD");
    assert_int_equal(conv(&c, &h, t, "EUR", FX_BASIS_MONTH, msg, sizeof msg), FX_OK);
    rounded(&c, "967882.298550488156"); /* Fraction, rounded half-even */
    /* GBP -> USD, a cross: the mean of the daily crosses of the days both
     * legs were published (2nd and 6th), not the ratio of the means */
    hand_clear(&h);
    hand_init(&h, "2025-01-06", "1", "GBP");
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_MONTH, msg, sizeof msg), FX_OK);
    assert_int_equal(c.conv[0].ndays, 2);
    rounded(&c, "1.253048780488"); /* (1.03/0.82 + 1.05/0.84) / 2 */
    /* year 2025 up to 2025-02-03: four USD days; year 2024: one */
    hand_clear(&h);
    hand_init(&h, "2025-02-03", "4", "EUR");
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_YEAR, msg, sizeof msg), FX_OK);
    rounded(&c, "4.110000000000");
    assert_int_equal(c.conv[0].ndays, 4);
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_QUARTER, msg, sizeof msg), FX_OK);
    assert_int_equal(c.conv[0].ndays, 4);
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_MONTH, msg, sizeof msg), FX_OK);
    assert_int_equal(c.conv[0].ndays, 1); /* February: its 3rd only */
    /* the same currency: rate 1, no day averaged */
    assert_int_equal(conv(&c, &h, t, "EUR", FX_BASIS_YEAR, msg, sizeof msg), FX_OK);
    rounded(&c, "4.000000000000");
    assert_int_equal(c.conv[0].ndays, 0);
    /* no day in the period: January 1st (before the 2nd), at the published field */
    hand_clear(&h);
    hand_init(&h, "2025-01-01", "1", "EUR");
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_MONTH, msg, sizeof msg), FX_E_DATA);
    assert_string_equal(msg, "t.csv:2:9: error: fact \"f1\": cannot convert EUR to USD at the "
                             "month-average: no rate to price EUR in USD in 2025-01 up to "
                             "2025-01-01: the latest is from 2024-12-31");
    /* the basis column asked: its position; as_of: its position */
    h.f.has_basis = true;
    h.f.basis = FX_BASIS_MONTH;
    h.f.basis_at = (fx_pos){"t.csv", 2, 40};
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_SPOT, msg, sizeof msg), FX_E_DATA);
    assert_true(strncmp(msg, "t.csv:2:40: error: fact \"f1\": cannot convert EUR to USD at the "
                             "month-average", 76) == 0);
    h.f.has_basis = false;
    h.f.has_as_of = true;
    h.f.as_of = h.f.published;
    h.f.as_of_at = (fx_pos){"t.csv", 2, 30};
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_MONTH, msg, sizeof msg), FX_E_DATA);
    assert_true(strncmp(msg, "t.csv:2:30: error:", 18) == 0);
    hand_clear(&h);
    fx_converted_clear(&c);
    fx_rates_free(t);
}

static void ecb_periods(void **state)
{
    (void)state;
    fx_rate_table *t = fixture_rates_load("rates/eurofxref-hist.csv");
    assert_non_null(t);
    fx_converted c;
    fx_converted_init(&c);
    hand h;
    char msg[512];
    /* before the series: CNY starts on 2005-04-01 */
    hand_init(&h, "2004-12-31", "1", "CNY");
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_QUARTER, msg, sizeof msg), FX_E_DATA);
    assert_string_equal(msg, "t.csv:2:9: error: fact \"f1\": cannot convert CNY to USD at the "
                             "quarter-average: no CNY rate in 2004-Q4 up to 2004-12-31: the CNY "
                             "series starts on 2005-04-01");
    /* 2005-Q2 up to 2005-04-01: its first day only */
    hand_clear(&h);
    hand_init(&h, "2005-04-01", "1", "CNY");
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_QUARTER, msg, sizeof msg), FX_OK);
    assert_int_equal(c.conv[0].ndays, 1);
    /* a currency that ended: CYP's last rate is 2007-12-31 */
    hand_clear(&h);
    hand_init(&h, "2008-06-30", "1", "CYP");
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_YEAR, msg, sizeof msg), FX_E_DATA);
    assert_string_equal(msg, "t.csv:2:9: error: fact \"f1\": cannot convert CYP to USD at the "
                             "year-average: no rate to price CYP in USD in 2008 up to 2008-06-30: "
                             "the latest is from 2007-12-31");
    /* its last year still averages, up to its last day */
    hand_clear(&h);
    hand_init(&h, "2007-12-31", "1", "CYP");
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_YEAR, msg, sizeof msg), FX_OK);
    assert_int_equal(c.conv[0].first, fixture_day("2007-01-02"));
    assert_int_equal(c.conv[0].priced.day, fixture_day("2007-12-31"));
    /* February 2024 up to the leap day: 21 TARGET days */
    hand_clear(&h);
    hand_init(&h, "2024-02-29", "1", "EUR");
    assert_int_equal(conv(&c, &h, t, "USD", FX_BASIS_MONTH, msg, sizeof msg), FX_OK);
    assert_int_equal(c.conv[0].ndays, 21);
    assert_int_equal(c.conv[0].first, fixture_day("2024-02-01"));
    assert_int_equal(c.conv[0].priced.day, fixture_day("2024-02-29"));
    hand_clear(&h);
    fx_converted_clear(&c);
    fx_rates_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names),
        cmocka_unit_test(period_rows),
        cmocka_unit_test(period_every_day),
        cmocka_unit_test(small_means),
        cmocka_unit_test(ecb_periods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
