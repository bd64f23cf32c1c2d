/* test_date - strict ISO dates, day numbers against Python's datetime,
 * round trips over the whole accepted range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Day numbers and weekdays from Python: (date - date(1970,1,1)).days, weekday(). */
static const struct {
    const char *s;
    fx_day day;
    int weekday;
} good[] = {
    {"1970-01-01", 0, 3},        {"1969-12-31", -1, 2},      {"2000-03-01", 11017, 2},
    {"2024-02-29", 19782, 3},    {"1000-01-01", -354285, 2}, {"9999-12-31", 2932896, 4},
    {"1900-03-01", -25508, 3},   {"2025-01-25", 20113, 5},   {"2005-04-01", 12874, 4},
    {"1999-01-04", 10595, 0},    {"2007-12-31", 13878, 0},   {"2025-12-31", 20453, 2},
    {"2000-02-29", 11016, 1},
};

static const char *const bad[] = {
    "2025-02-30", /* no such day */
    "1900-02-29", /* 1900 is not a leap year */
    "2023-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00", "2025-01-32",
    "2025-1-05",   /* too short */
    "2025-01-050", /* too long */
    "2025/01/05", "20250105", "2025-01-5 ", " 2025-01-5", "2025-01-0a", "+025-01-05",
    "0999-12-31", /* before year 1000 */
    "2025-01-05T00:00", "", "abcd-ef-gh", "２025-01-05",
};

static void parse_good(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(good); i++) {
        fx_day d = 12345;
        assert_true(fx_date_parse(good[i].s, strlen(good[i].s), &d));
        assert_int_equal(d, good[i].day);
        char out[11];
        fx_date_format(d, out);
        assert_string_equal(out, good[i].s);
        assert_int_equal(fx_date_weekday(d), good[i].weekday);
    }
}

static void parse_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(bad); i++) {
        fx_day d = 12345;
        if (fx_date_parse(bad[i], strlen(bad[i]), &d))
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(d, 12345); /* output untouched */
    }
}

/* Only the first len bytes count: no reading past them, no NUL needed. */
static void parse_len(void **state)
{
    (void)state;
    fx_day d;
    assert_true(fx_date_parse("2024-02-29,USD", 10, &d));
    assert_int_equal(d, 19782);
    assert_false(fx_date_parse("2024-02-29", 9, &d));
}

/* Every day from 1000-01-01 to 9999-12-31: consecutive numbers, a
 * format that parses back, weekdays that advance by one. */
static void round_trip(void **state)
{
    (void)state;
    fx_day first = fx_date_from_ymd(1000, 1, 1), last = fx_date_from_ymd(9999, 12, 31);
    assert_int_equal(first, -354285);
    assert_int_equal(last, 2932896);
    int py = 999, pm = 12, pd = 31, pw = fx_date_weekday(first) - 1;
    for (fx_day d = first; d <= last; d++) {
        int y, m, dd;
        fx_date_to_ymd(d, &y, &m, &dd);
        /* the next calendar day after (py, pm, pd) */
        int ok = (y == py && m == pm && dd == pd + 1) || (y == py && m == pm + 1 && dd == 1) ||
                 (y == py + 1 && m == 1 && dd == 1 && pm == 12 && pd == 31);
        if (!ok)
            fail_msg("day %d: %d-%d-%d after %d-%d-%d", (int)d, y, m, dd, py, pm, pd);
        assert_int_equal(fx_date_from_ymd(y, m, dd), d);
        assert_int_equal(fx_date_weekday(d), (pw + 1) % 7);
        if ((y % 7 == 0 && m == 2) || dd == 1) { /* spot-check the text form */
            char s[11];
            fx_day back;
            fx_date_format(d, s);
            assert_true(fx_date_parse(s, 10, &back));
            assert_int_equal(back, d);
        }
        py = y, pm = m, pd = dd, pw = fx_date_weekday(d);
    }
}

static void weekday_negative(void **state)
{
    (void)state;
    assert_int_equal(fx_date_weekday(-1), 2);  /* 1969-12-31 Wednesday */
    assert_int_equal(fx_date_weekday(-3), 0);  /* 1969-12-29 Monday */
    assert_int_equal(fx_date_weekday(-7), 3);
    assert_int_equal(fx_date_weekday(4), 0);   /* 1970-01-05 Monday */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_good), cmocka_unit_test(parse_bad),
        cmocka_unit_test(parse_len),  cmocka_unit_test(round_trip),
        cmocka_unit_test(weekday_negative),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
