/* test_dec - exact decimals: parsing, the one rounding, printing, hints,
 * doubles. Expected values were computed with Python's fractions (exact)
 * and hand-checked where the row is a classic (2.675, 1.005, ties). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "dec.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

enum { HE = FX_ROUND_HALF_EVEN, HU = FX_ROUND_HALF_UP, DN = FX_ROUND_DOWN };

/* "1" followed by `zeros` zeros (after `prefix`), in a malloc'd string. */
static char *digits_str(const char *prefix, char first, size_t count)
{
    size_t p = strlen(prefix);
    char *s = malloc(p + count + 1);
    assert_non_null(s);
    memcpy(s, prefix, p);
    for (size_t i = 0; i < count; i++)
        s[p + i] = i == 0 ? first : (char)('0' + (i * 7 + 3) % 10);
    s[p + count] = '\0';
    return s;
}

static void dec_from(fx_dec *d, const char *s)
{
    fx_dec_init(d);
    if (fx_dec_parse(d, s, strlen(s)) != FX_DEC_OK)
        fail_msg("setup: cannot parse \"%s\"", s);
}

static void expect_str(const fx_dec *d, const char *want, const char *what, size_t row)
{
    char got[FX_DEC_STR_MAX];
    int n = fx_dec_to_str(d, got, sizeof got);
    if (n < 0 || strcmp(got, want) != 0 || (size_t)n != strlen(want))
        fail_msg("%s row %zu: got \"%s\" (%d), want \"%s\"", what, row, got, n, want);
}

/* ---- parsing */

static const struct {
    const char *in;
    fx_dec_err err;
    const char *str; /* fx_dec_to_str of the result */
    long exp;
} parse_rows[] = {
    {"0", FX_DEC_OK, "0", 0},
    {"-0", FX_DEC_OK, "0", 0},
    {"-0.00", FX_DEC_OK, "0.00", -2},
    {"007", FX_DEC_OK, "7", 0},
    {"-007.50", FX_DEC_OK, "-7.50", -2},
    {"0.10", FX_DEC_OK, "0.10", -2},
    {"000.000", FX_DEC_OK, "0.000", -3},
    {"5.5", FX_DEC_OK, "5.5", -1},
    {"40", FX_DEC_OK, "40", 0},
    {"2.675", FX_DEC_OK, "2.675", -3},
    {"0.000123", FX_DEC_OK, "0.000123", -6},
    {"-12.345", FX_DEC_OK, "-12.345", -3},
    {"123456789012345678901234567890.123456789", FX_DEC_OK,
     "123456789012345678901234567890.123456789", -9},
    {"", FX_DEC_SYNTAX, NULL, 0},
    {"-", FX_DEC_SYNTAX, NULL, 0},
    {"+1", FX_DEC_SYNTAX, NULL, 0},
    {"1.", FX_DEC_SYNTAX, NULL, 0},
    {".5", FX_DEC_SYNTAX, NULL, 0},
    {"-.5", FX_DEC_SYNTAX, NULL, 0},
    {"1e5", FX_DEC_SYNTAX, NULL, 0},
    {"1E5", FX_DEC_SYNTAX, NULL, 0},
    {"1,000", FX_DEC_SYNTAX, NULL, 0},
    {"1 000", FX_DEC_SYNTAX, NULL, 0},
    {" 1", FX_DEC_SYNTAX, NULL, 0},
    {"1 ", FX_DEC_SYNTAX, NULL, 0},
    {"--1", FX_DEC_SYNTAX, NULL, 0},
    {"1-", FX_DEC_SYNTAX, NULL, 0},
    {"1.2.3", FX_DEC_SYNTAX, NULL, 0},
    {"1..2", FX_DEC_SYNTAX, NULL, 0},
    {"NaN", FX_DEC_SYNTAX, NULL, 0},
    {"Infinity", FX_DEC_SYNTAX, NULL, 0},
    {"0x10", FX_DEC_SYNTAX, NULL, 0},
    {"12%", FX_DEC_SYNTAX, NULL, 0},
    {"$5", FX_DEC_SYNTAX, NULL, 0},
    {"\xe2\x88\x92" "1", FX_DEC_SYNTAX, NULL, 0}, /* U+2212 minus */
    {"\xd9\xa1", FX_DEC_SYNTAX, NULL, 0},         /* Arabic-Indic one */
};

static void parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(parse_rows); i++) {
        fx_dec d;
        fx_dec_init(&d);
        fx_dec_err e = fx_dec_parse(&d, parse_rows[i].in, strlen(parse_rows[i].in));
        if (e != parse_rows[i].err)
            fail_msg("parse row %zu \"%s\": got %d, want %d", i, parse_rows[i].in, (int)e,
                     (int)parse_rows[i].err);
        if (e == FX_DEC_OK) {
            expect_str(&d, parse_rows[i].str, "parse", i);
            assert_int_equal(d.exp, parse_rows[i].exp);
        }
        fx_dec_clear(&d);
    }
}

/* The length argument rules, not a NUL: a NUL inside is a syntax error,
 * and bytes past len are not read. */
static void parse_len(void **state)
{
    (void)state;
    fx_dec d;
    fx_dec_init(&d);
    assert_int_equal(fx_dec_parse(&d, "12\0" "3", 4), FX_DEC_SYNTAX);
    assert_int_equal(fx_dec_parse(&d, "12.5xyz", 4), FX_DEC_OK);
    expect_str(&d, "12.5", "len", 0);
    assert_int_equal(fx_dec_parse(&d, "12.5xyz", 3), FX_DEC_SYNTAX); /* "12." */
    fx_dec_clear(&d);
}

/* Failure leaves the output as it was. */
static void parse_untouched(void **state)
{
    (void)state;
    fx_dec d;
    dec_from(&d, "3.14");
    char *big = digits_str("", '9', 400);
    assert_int_equal(fx_dec_parse(&d, "1e5", 3), FX_DEC_SYNTAX);
    assert_int_equal(fx_dec_parse(&d, big, strlen(big)), FX_DEC_TOO_LONG);
    expect_str(&d, "3.14", "untouched", 0);
    fx_small s = {42, -1};
    assert_int_equal(fx_small_parse(&s, "x", 1), FX_DEC_SYNTAX);
    assert_int_equal(fx_small_parse(&s, big, strlen(big)), FX_DEC_TOO_LONG);
    assert_int_equal(s.coef, 42);
    assert_int_equal(s.exp, -1);
    free(big);
    fx_dec_clear(&d);
}

/* FX_DEC_MAX_DIGITS: every digit but the integer part's leading zeros. */
static void parse_limits(void **state)
{
    (void)state;
    static const struct {
        const char *prefix;
        char first;
        size_t count;
        fx_dec_err want;
    } rows[] = {
        {"", '1', 100, FX_DEC_OK},
        {"-", '1', 100, FX_DEC_OK},
        {"", '1', 101, FX_DEC_TOO_LONG},
        {"", '9', 400, FX_DEC_TOO_LONG},
        {"-", '9', 400, FX_DEC_TOO_LONG},
        {"0.", '0', 100, FX_DEC_OK},      /* fraction zeros count */
        {"0.", '0', 101, FX_DEC_TOO_LONG},
        {"0000000.", '1', 100, FX_DEC_OK},
        {"12345.", '1', 95, FX_DEC_OK},   /* 5 + 95 */
        {"12345.", '1', 96, FX_DEC_TOO_LONG},
    };
    for (size_t i = 0; i < N(rows); i++) {
        char *s = digits_str(rows[i].prefix, rows[i].first, rows[i].count);
        fx_dec d;
        fx_dec_init(&d);
        fx_dec_err e = fx_dec_parse(&d, s, strlen(s));
        if (e != rows[i].want)
            fail_msg("limit row %zu: got %d, want %d", i, (int)e, (int)rows[i].want);
        if (e == FX_DEC_OK) { /* prints back as written, within FX_DEC_STR_MAX */
            char got[FX_DEC_STR_MAX];
            const char *w = s + (s[0] == '-' ? 1 : 0);
            while (w[0] == '0' && w[1] >= '0' && w[1] <= '9')
                w++;
            assert_true(fx_dec_to_str(&d, got, sizeof got) > 0);
            assert_string_equal(got + (s[0] == '-' ? 1 : 0), w);
        }
        fx_dec_clear(&d);
        free(s);
    }
    /* 1000 leading zeros count nothing */
    char *z = malloc(1002);
    assert_non_null(z);
    memset(z, '0', 1000);
    memcpy(z + 1000, "7", 2);
    fx_dec d;
    fx_dec_init(&d);
    assert_int_equal(fx_dec_parse(&d, z, 1001), FX_DEC_OK);
    expect_str(&d, "7", "zeros", 0);
    assert_int_equal(fx_dec_digits(&d), 1);
    /* a syntax error wins over length */
    char *t = digits_str("", '1', 400);
    t[399] = 'x';
    assert_int_equal(fx_dec_parse(&d, t, 400), FX_DEC_SYNTAX);
    fx_dec_clear(&d);
    free(t);
    free(z);
}

static const struct {
    const char *in;
    fx_dec_err err;
    int64_t coef;
    int32_t exp;
} small_rows[] = {
    {"1.0443", FX_DEC_OK, 10443, -4},
    {"7.5892", FX_DEC_OK, 75892, -4},
    {"156.72", FX_DEC_OK, 15672, -2},
    {"0.000123", FX_DEC_OK, 123, -6},
    {"-7.5", FX_DEC_OK, -75, -1},
    {"-0", FX_DEC_OK, 0, 0},
    {"007", FX_DEC_OK, 7, 0},
    {"1.50", FX_DEC_OK, 150, -2},
    {"999999999999999999", FX_DEC_OK, INT64_C(999999999999999999), 0},
    {"-999999999999999999", FX_DEC_OK, -INT64_C(999999999999999999), 0},
    {"0.000000000000000000000000000001", FX_DEC_OK, 1, -30},
    {"1.00000000000000000", FX_DEC_OK, INT64_C(100000000000000000), -17},
    {"00000000000000000000012345678901234567.8", FX_DEC_OK, INT64_C(123456789012345678), -1},
    {"1234567890123456789", FX_DEC_TOO_LONG, 0, 0},
    {"1.000000000000000000", FX_DEC_TOO_LONG, 0, 0},
    {"9999999999999999999", FX_DEC_TOO_LONG, 0, 0},
    {"", FX_DEC_SYNTAX, 0, 0},
    {"1e5", FX_DEC_SYNTAX, 0, 0},
    {"N/A", FX_DEC_SYNTAX, 0, 0},
    {"1.", FX_DEC_SYNTAX, 0, 0},
    {" 1.2", FX_DEC_SYNTAX, 0, 0},
};

static void small_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(small_rows); i++) {
        fx_small s = {0, 0};
        fx_dec_err e = fx_small_parse(&s, small_rows[i].in, strlen(small_rows[i].in));
        if (e != small_rows[i].err)
            fail_msg("small row %zu \"%s\": got %d", i, small_rows[i].in, (int)e);
        if (e == FX_DEC_OK && (s.coef != small_rows[i].coef || s.exp != small_rows[i].exp))
            fail_msg("small row %zu \"%s\": got %lld e%d", i, small_rows[i].in,
                     (long long)s.coef, (int)s.exp);
    }
    /* a 101-digit fraction fails like fx_dec_parse does */
    char *s = digits_str("0.", '0', 101);
    fx_small v;
    assert_int_equal(fx_small_parse(&v, s, strlen(s)), FX_DEC_TOO_LONG);
    free(s);
}

/* ---- the one rounding */

static const struct {
    const char *amount, *num, *den;
    int places;
    int mode;
    const char *want;
} round_rows[] = {
    /* classic decimal ties that binary floating point gets wrong */
    {"2.675", "1", "1", 2, HE, "2.68"},
    {"2.675", "1", "1", 2, HU, "2.68"},
    {"2.675", "1", "1", 2, DN, "2.67"},
    {"-2.675", "1", "1", 2, HE, "-2.68"},
    {"-2.675", "1", "1", 2, HU, "-2.68"},
    {"-2.675", "1", "1", 2, DN, "-2.67"},
    {"1.005", "1", "1", 2, HE, "1.00"},
    {"1.005", "1", "1", 2, HU, "1.01"},
    {"1.005", "1", "1", 2, DN, "1.00"},
    {"-1.005", "1", "1", 2, HE, "-1.00"},
    {"-1.005", "1", "1", 2, HU, "-1.01"},
    {"-1.005", "1", "1", 2, DN, "-1.00"},
    {"0.125", "1", "1", 2, HE, "0.12"},
    {"0.125", "1", "1", 2, HU, "0.13"},
    {"0.125", "1", "1", 2, DN, "0.12"},
    {"-0.125", "1", "1", 2, HE, "-0.12"},
    {"-0.125", "1", "1", 2, HU, "-0.13"},
    {"-0.125", "1", "1", 2, DN, "-0.12"},
    /* ties to 0 places, both signs */
    {"0.5", "1", "1", 0, HE, "0"},
    {"0.5", "1", "1", 0, HU, "1"},
    {"0.5", "1", "1", 0, DN, "0"},
    {"-0.5", "1", "1", 0, HE, "0"},
    {"-0.5", "1", "1", 0, HU, "-1"},
    {"-0.5", "1", "1", 0, DN, "0"},
    {"1.5", "1", "1", 0, HE, "2"},
    {"1.5", "1", "1", 0, HU, "2"},
    {"1.5", "1", "1", 0, DN, "1"},
    {"-1.5", "1", "1", 0, HE, "-2"},
    {"-1.5", "1", "1", 0, HU, "-2"},
    {"-1.5", "1", "1", 0, DN, "-1"},
    {"2.5", "1", "1", 0, HE, "2"},
    {"2.5", "1", "1", 0, HU, "3"},
    {"2.5", "1", "1", 0, DN, "2"},
    {"-2.5", "1", "1", 0, HE, "-2"},
    {"-2.5", "1", "1", 0, HU, "-3"},
    {"-2.5", "1", "1", 0, DN, "-2"},
    {"9.995", "1", "1", 2, HE, "10.00"},
    {"9.995", "1", "1", 2, HU, "10.00"},
    {"9.995", "1", "1", 2, DN, "9.99"},
    /* just off a tie: the exact remainder decides */
    {"2.67499999999999999999999", "1", "1", 2, HU, "2.67"},
    {"2.67500000000000000000001", "1", "1", 2, HE, "2.68"},
    {"2.67500000000000000000001", "1", "1", 2, DN, "2.67"},
    {"-0.50000000000000000000001", "1", "1", 0, HE, "-1"},
    {"-0.49999999999999999999999", "1", "1", 0, HU, "0"},
    /* zero and negative zero never print a sign */
    {"-0.001", "1", "1", 2, HE, "0.00"},
    {"-0.001", "1", "1", 2, HU, "0.00"},
    {"-0.001", "1", "1", 2, DN, "0.00"},
    {"-0.005", "1", "1", 2, HE, "0.00"},
    {"-0.005", "1", "1", 2, HU, "-0.01"},
    {"-0.0099", "1", "1", 2, DN, "0.00"},
    {"-0", "1.0443", "7.5892", 2, HU, "0.00"},
    {"0", "1", "1", 0, HE, "0"},
    {"0", "1", "1", 6, HE, "0.000000"},
    /* ties made by the rates */
    {"1", "1", "8", 2, HE, "0.12"},
    {"1", "1", "8", 2, HU, "0.13"},
    {"-1", "1", "8", 2, HU, "-0.13"},
    {"3", "1", "8", 2, HE, "0.38"},
    {"100", "1", "8", 2, HE, "12.50"},
    {"0.35", "1", "2", 1, HE, "0.2"},  /* 0.175 */
    {"0.35", "1", "2", 1, HU, "0.2"},
    {"0.35", "1", "2", 1, DN, "0.1"},
    {"2.5", "0.2", "0.4", 0, HE, "1"},  /* 1.25 */
    {"3", "1.25", "1.5", 1, HE, "2.5"}, /* 2.5 exactly */
    {"1.05", "3", "6", 2, HE, "0.52"},  /* 0.525 */
    {"1.05", "3", "6", 2, HU, "0.53"},
    {"-1.05", "3", "6", 2, HE, "-0.52"},
    {"-1.05", "3", "6", 2, HU, "-0.53"},
    {"-1.05", "3", "6", 2, DN, "-0.52"},
    /* repeating quotients */
    {"1", "1", "3", 2, HE, "0.33"},
    {"2", "1", "3", 2, HE, "0.67"},
    {"2", "1", "3", 2, HU, "0.67"},
    {"2", "1", "3", 2, DN, "0.66"},
    {"-1", "2", "3", 0, HE, "-1"},
    {"-1", "2", "3", 0, DN, "0"},
    /* real rates: 40 CNY in USD through EUR (EUR/USD 1.0443, EUR/CNY 7.5892) */
    {"40", "1.0443", "7.5892", 2, HE, "5.50"},
    {"40", "1.0443", "7.5892", 6, HE, "5.504137"},
    {"40", "1.0443", "7.5892", 6, HU, "5.504137"},
    {"40", "1.0443", "7.5892", 6, DN, "5.504137"},
    {"40000000000", "1.0443", "7.5892", 2, HE, "5504137458.49"},
    {"123.456", "1", "1", 6, HE, "123.456000"},
    {"1", "1", "7", 18, HE, "0.142857142857142857"},
    {"6", "1", "7", 18, HE, "0.857142857142857143"},
    {"6", "1", "7", 18, DN, "0.857142857142857142"},
    {"123456789012345678901234567890", "0.0000001", "3", 2, HE,
     "4115226300411522630041.15"},
    {"1", "-2", "1", 0, HE, "-2"},   /* negative rates are the caller's to refuse */
    {"1", "1", "-8", 2, HU, "-0.13"},
};

static fx_rounding rmode(int m)
{
    return m == HE ? FX_ROUND_HALF_EVEN : m == HU ? FX_ROUND_HALF_UP : FX_ROUND_DOWN;
}

static void round_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(round_rows); i++) {
        fx_dec a;
        fx_small num, den;
        dec_from(&a, round_rows[i].amount);
        assert_int_equal(fx_small_parse(&num, round_rows[i].num, strlen(round_rows[i].num)),
                         FX_DEC_OK);
        assert_int_equal(fx_small_parse(&den, round_rows[i].den, strlen(round_rows[i].den)),
                         FX_DEC_OK);
        fx_ratio r;
        fx_ratio_init(&r);
        fx_ratio_set_convert(&r, &a, num, den);
        char got[FX_DEC_STR_MAX];
        int n = fx_ratio_to_fixed(&r, round_rows[i].places, rmode(round_rows[i].mode), got,
                                  sizeof got);
        if (n < 0 || strcmp(got, round_rows[i].want) != 0)
            fail_msg("round row %zu: %s*%s/%s to %d (mode %d): got \"%s\", want \"%s\"", i,
                     round_rows[i].amount, round_rows[i].num, round_rows[i].den,
                     round_rows[i].places, round_rows[i].mode, got, round_rows[i].want);
        assert_int_equal(n, (int)strlen(round_rows[i].want));
        /* fx_ratio_round agrees and sets exp = -places */
        fx_dec out;
        fx_dec_init(&out);
        fx_ratio_round(&out, &r, round_rows[i].places, rmode(round_rows[i].mode));
        assert_int_equal(out.exp, -round_rows[i].places);
        expect_str(&out, round_rows[i].want, "round", i);
        fx_dec_clear(&out);
        fx_ratio_clear(&r);
        fx_dec_clear(&a);
    }
}

/* ---- printing */

static void to_str_rows(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        long shift;
        const char *want;
    } rows[] = {
        {"5.50", 0, "5.50"},      {"4", 10, "40000000000"}, {"0.00", 0, "0.00"},
        {"0", 3, "0"},            {"-0.005", 0, "-0.005"},  {"-123.45", 0, "-123.45"},
        {"7", 0, "7"},            {"5.5", 9, "5500000000"}, {"40", -3, "0.040"},
        {"-1", -5, "-0.00001"},   {"123", -3, "0.123"},     {"123", -2, "1.23"},
        {"-0.10", 1, "-1.0"},     {"0.001", 3, "1"},         {"1.5", 1, "15"},
    };
    for (size_t i = 0; i < N(rows); i++) {
        fx_dec d;
        dec_from(&d, rows[i].in);
        fx_dec_shift(&d, rows[i].shift);
        expect_str(&d, rows[i].want, "to_str", i);
        /* exact fit works, one byte less fails with "" */
        size_t need = strlen(rows[i].want) + 1;
        char buf[64];
        assert_int_equal(fx_dec_to_str(&d, buf, need), (int)need - 1);
        memset(buf, 'x', sizeof buf);
        assert_int_equal(fx_dec_to_str(&d, buf, need - 1), -1);
        assert_string_equal(buf, "");
        assert_int_equal(fx_dec_to_str(&d, buf, 0), -1);
        fx_dec_clear(&d);
    }
    /* a huge exponent is refused by size, not written */
    fx_dec d;
    dec_from(&d, "1");
    fx_dec_shift(&d, 1000000000L);
    char buf[FX_DEC_STR_MAX];
    assert_int_equal(fx_dec_to_str(&d, buf, sizeof buf), -1);
    fx_dec_shift(&d, -2000000000L);
    assert_int_equal(fx_dec_to_str(&d, buf, sizeof buf), -1);
    fx_dec_clear(&d);
}

static void to_sig_rows(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b; /* a / b */
        int sig;
        const char *want;
    } rows[] = {
        {"1.0443", "7.5892", 12, "0.137603436462"},
        {"7.5892", "1.0443", 12, "7.26726036580"},
        {"1", "2", 3, "0.500"},
        {"123456", "1", 2, "120000"},
        {"0.99996", "1", 4, "1.000"},
        {"9.5", "1", 1, "10"},
        {"8.5", "1", 1, "8"},
        {"125", "1", 2, "120"},
        {"135", "1", 2, "140"},
        {"-2", "3", 5, "-0.66667"},
        {"1", "3", 1, "0.3"},
        {"0.000012345", "1", 3, "0.0000123"},
        {"0.000012355", "1", 4, "0.00001236"},
        {"0.000012345", "1", 4, "0.00001234"},
        {"10000000000000000000000000", "3", 12, "3333333333330000000000000"},
        {"1", "1", 1, "1"},
        {"1", "1", 12, "1.00000000000"},
        {"0", "1", 12, "0"},
        {"-0", "7", 3, "0"},
        {"999.5", "1", 3, "1000"},
        {"-999.5", "1", 3, "-1000"},
        {"0.1", "1", 17, "0.10000000000000000"},
    };
    for (size_t i = 0; i < N(rows); i++) {
        fx_dec a, b;
        dec_from(&a, rows[i].a);
        dec_from(&b, rows[i].b);
        fx_ratio ra, rb;
        fx_ratio_init(&ra);
        fx_ratio_init(&rb);
        fx_ratio_set_dec(&ra, &a);
        fx_ratio_set_dec(&rb, &b);
        fx_ratio_div(&ra, &ra, &rb);
        char got[FX_DEC_STR_MAX];
        int n = fx_ratio_to_sig(&ra, rows[i].sig, got, sizeof got);
        if (n != (int)strlen(rows[i].want) || strcmp(got, rows[i].want) != 0)
            fail_msg("sig row %zu: %s/%s at %d: got \"%s\", want \"%s\"", i, rows[i].a, rows[i].b,
                     rows[i].sig, got, rows[i].want);
        fx_ratio_clear(&ra);
        fx_ratio_clear(&rb);
        fx_dec_clear(&a);
        fx_dec_clear(&b);
    }
    fx_ratio r;
    fx_ratio_init(&r);
    char buf[8];
    assert_int_equal(fx_ratio_to_sig(&r, 0, buf, sizeof buf), -1);
    fx_ratio_set_small(&r, (fx_small){1, -1});
    assert_int_equal(fx_ratio_to_sig(&r, 12, buf, sizeof buf), -1); /* 0.100000000000 */
    assert_string_equal(buf, "");
    assert_int_equal(fx_ratio_to_sig(&r, 2000000000, buf, sizeof buf), -1); /* no 10^2e9 */
    assert_int_equal(fx_ratio_to_fixed(&r, 2000000000, FX_ROUND_HALF_EVEN, buf, sizeof buf), -1);
    assert_string_equal(buf, "");
    fx_ratio_set_small(&r, (fx_small){0, 0});
    assert_int_equal(fx_ratio_to_sig(&r, 12, buf, 2), 1);
    assert_string_equal(buf, "0");
    fx_ratio_clear(&r);
}

/* ---- hints */

static void hint_rows(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *want; /* NULL: no hint */
    } rows[] = {
        {"1,234.5", "write 1234.5"},
        {"1,234,567.89", "write 1234567.89"},
        {"-1,234", "write -1234"},
        {"12e5", "write 1200000"},
        {"12E5", "write 1200000"},
        {"1.5e-3", "write 0.0015"},
        {"1.50e1", "write 15.0"},
        {"2e+2", "write 200"},
        {".5", "write 0.5"},
        {"-.5", "write -0.5"},
        {"5.", "write 5"},
        {"+12", "write 12"},
        {" 12 ", "write 12"},
        {"\t-3.25\r", "write -3.25"},
        {"\xc2\xa0" "7\xc2\xa0", "write 7"},
        {"\xe2\x88\x92" "12.5", "write -12.5"},
        {"+0", "write 0"},
        {"-0.", "write 0"},
        {"1.2.3", NULL},
        {"NaN", NULL},
        {"nan", NULL},
        {"Infinity", NULL},
        {"-inf", NULL},
        {"0x10", NULL},
        {"1,5", NULL},
        {"1,2345", NULL},
        {"1234,567", NULL},
        {",123", NULL},
        {"1,", NULL},
        {"1.234,5", NULL},
        {"$5", NULL},
        {"12%", NULL},
        {"(12)", NULL},
        {"", NULL},
        {" ", NULL},
        {".", NULL},
        {"-", NULL},
        {"e5", NULL},
        {"1e", NULL},
        {"1e+", NULL},
        {"1e999999999", NULL},
        {"1e-101", NULL},  /* 101 fraction digits: would not parse either */
        {"1e99", "write 1000000000000000000000000000000000000000000000000000000000000000000000"
                 "000000000000000000000000000000"},
        {"1e100", NULL},
        {"12", NULL},      /* parses already */
        {"-0.50", NULL},
        {"+ 12", NULL},
        {"--12", NULL},
    };
    for (size_t i = 0; i < N(rows); i++) {
        char buf[FX_DEC_STR_MAX];
        bool ok = fx_dec_hint(rows[i].in, strlen(rows[i].in), buf, sizeof buf);
        if (ok != (rows[i].want != NULL))
            fail_msg("hint row %zu \"%s\": got %s", i, rows[i].in, ok ? buf : "no hint");
        if (ok && strcmp(buf, rows[i].want) != 0)
            fail_msg("hint row %zu \"%s\": got \"%s\", want \"%s\"", i, rows[i].in, buf,
                     rows[i].want);
    }
    /* too small a buffer: no hint rather than a cut one */
    char small[11];
    assert_false(fx_dec_hint("1,234.5", 7, small, sizeof small)); /* needs 13 */
    assert_false(fx_dec_hint("1,234", 5, small, 10));             /* needs 11 */
    assert_true(fx_dec_hint("1,234", 5, small, sizeof small));
    assert_string_equal(small, "write 1234");
    /* only len bytes are read */
    char buf[64];
    assert_true(fx_dec_hint("+12garbage", 3, buf, sizeof buf));
    assert_string_equal(buf, "write 12");
}

/* ---- printed precision and small arithmetic */

static void half_ulp_rows(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } rows[] = {
        {"5.5", "0.05"}, {"40", "0.5"}, {"230000", "0.5"}, {"0.001", "0.0005"},
        {"-3", "0.5"},   {"0", "0.5"},  {"1.50", "0.005"},
    };
    for (size_t i = 0; i < N(rows); i++) {
        fx_dec d, h;
        dec_from(&d, rows[i].in);
        fx_dec_init(&h);
        fx_dec_half_ulp(&h, &d);
        expect_str(&h, rows[i].want, "half_ulp", i);
        fx_dec_half_ulp(&d, &d); /* aliasing */
        expect_str(&d, rows[i].want, "half_ulp alias", i);
        fx_dec_clear(&h);
        fx_dec_clear(&d);
    }
    /* with a scale: 5.5 billion -> 0.05 billion = 50000000 */
    fx_dec d, h;
    dec_from(&d, "5.5");
    fx_dec_init(&h);
    fx_dec_shift(&d, 9);
    fx_dec_half_ulp(&h, &d);
    expect_str(&h, "50000000", "half_ulp scale", 0);
    fx_dec_clear(&h);
    fx_dec_clear(&d);
}

static void dec_arith(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b, *sum, *diff;
        int cmp;
    } rows[] = {
        {"1.5", "2.25", "3.75", "-0.75", -1},
        {"1", "1.00", "2.00", "0.00", 0},
        {"1.50", "1.5", "3.00", "0.00", 0},
        {"-1", "0.5", "-0.5", "-1.5", -1},
        {"0", "-0", "0", "0", 0},
        {"-0.001", "0", "-0.001", "-0.001", -1},
        {"100", "99.999", "199.999", "0.001", 1},
        {"-100", "-99.999", "-199.999", "-0.001", -1},
        {"123456789012345678901234567890", "0.000000000000000000000000000001",
         "123456789012345678901234567890.000000000000000000000000000001",
         "123456789012345678901234567889.999999999999999999999999999999", 1},
    };
    for (size_t i = 0; i < N(rows); i++) {
        fx_dec a, b, r;
        dec_from(&a, rows[i].a);
        dec_from(&b, rows[i].b);
        fx_dec_init(&r);
        fx_dec_add(&r, &a, &b);
        expect_str(&r, rows[i].sum, "add", i);
        fx_dec_sub(&r, &a, &b);
        expect_str(&r, rows[i].diff, "sub", i);
        assert_int_equal(fx_dec_cmp(&a, &b), rows[i].cmp);
        assert_int_equal(fx_dec_cmp(&b, &a), -rows[i].cmp);
        fx_dec_add(&a, &a, &b); /* aliasing */
        expect_str(&a, rows[i].sum, "add alias", i);
        fx_dec_set(&r, &a);
        expect_str(&r, rows[i].sum, "set", i);
        fx_dec_clear(&r);
        fx_dec_clear(&a);
        fx_dec_clear(&b);
    }
    static const struct {
        const char *in;
        size_t digits;
        int sgn;
    } drows[] = {
        {"1.50", 3, 1}, {"0", 0, 0},   {"-007", 1, -1}, {"0.05", 1, 1},
        {"-0", 0, 0},   {"999", 3, 1}, {"1000", 4, 1},  {"-99.99", 4, -1},
    };
    for (size_t i = 0; i < N(drows); i++) {
        fx_dec d;
        dec_from(&d, drows[i].in);
        assert_int_equal(fx_dec_digits(&d), drows[i].digits);
        assert_int_equal(fx_dec_sgn(&d), drows[i].sgn);
        fx_dec_clear(&d);
    }
}

static void ratio_arith(void **state)
{
    (void)state;
    fx_ratio a, b, c;
    fx_ratio_init(&a);
    fx_ratio_init(&b);
    fx_ratio_init(&c);
    assert_int_equal(fx_ratio_sgn(&a), 0);
    fx_ratio_set_small(&a, (fx_small){10443, -4}); /* 1.0443 */
    fx_ratio_set_small(&b, (fx_small){75892, -4}); /* 7.5892 */
    fx_ratio_div(&c, &a, &b);
    fx_ratio_mul(&c, &c, &b);
    assert_int_equal(fx_ratio_cmp(&c, &a), 0); /* exact round trip */
    fx_ratio_add(&c, &a, &b);                  /* 8.6335 */
    fx_dec d;
    dec_from(&d, "8.6335");
    assert_int_equal(fx_ratio_cmp_dec(&c, &d), 0);
    fx_ratio_sub(&c, &c, &b);
    assert_int_equal(fx_ratio_cmp(&c, &a), 0);
    fx_ratio_mul_si(&c, -3); /* -3.1329 */
    assert_int_equal(fx_ratio_sgn(&c), -1);
    char buf[64];
    assert_int_equal(fx_ratio_to_fixed(&c, 4, FX_ROUND_HALF_EVEN, buf, sizeof buf), 7);
    assert_string_equal(buf, "-3.1329");
    assert_int_equal(fx_ratio_cmp(&c, &a), -1);
    assert_int_equal(fx_ratio_cmp_dec(&c, &d), -1);
    fx_ratio_set(&b, &c);
    assert_int_equal(fx_ratio_cmp(&b, &c), 0);
    fx_ratio_mul_si(&c, 0);
    assert_int_equal(fx_ratio_sgn(&c), 0);
    /* the rational of a decimal and a small with a positive exponent */
    fx_dec_shift(&d, 6); /* 8633500 */
    fx_ratio_set_dec(&a, &d);
    fx_ratio_set_small(&b, (fx_small){86335, 2});
    assert_int_equal(fx_ratio_cmp(&a, &b), 0);
    assert_int_equal(fx_ratio_cmp_dec(&a, &d), 0);
    /* int64 extremes */
    fx_ratio_set_small(&a, (fx_small){INT64_MAX, 0});
    assert_int_equal(fx_ratio_to_fixed(&a, 0, FX_ROUND_DOWN, buf, sizeof buf), 19);
    assert_string_equal(buf, "9223372036854775807");
    fx_ratio_set_small(&a, (fx_small){INT64_MIN, -19});
    assert_true(fx_ratio_to_fixed(&a, 19, FX_ROUND_DOWN, buf, sizeof buf) > 0);
    assert_string_equal(buf, "-0.9223372036854775808");
    fx_dec_clear(&d);
    fx_ratio_clear(&a);
    fx_ratio_clear(&b);
    fx_ratio_clear(&c);
}

/* ---- doubles */

static double dec_double(const char *s, long shift)
{
    fx_dec d;
    dec_from(&d, s);
    fx_dec_shift(&d, shift);
    double v = fx_dec_to_double(&d);
    fx_dec_clear(&d);
    return v;
}

static void to_double_rows(void **state)
{
    (void)state;
    assert_true(dec_double("0.1", 0) == 0.1);
    assert_true(dec_double("-2.675", 0) == -2.675);
    assert_true(dec_double("0", 0) == 0.0);
    assert_true(dec_double("40", 9) == 4e10);
    assert_true(dec_double("1", 308) == 1e308);
    /* 2^53 + 1 + 2^-20: just above the midpoint of 2^53 and 2^53 + 2, so
     * the nearest double is 2^53 + 2. Rounding to 64 bits first (x87) or
     * dividing a rounded coefficient by 10^20 lands on the midpoint and
     * ties to 2^53: a second rounding. */
    assert_true(dec_double("9007199254740993.00000095367431640625", 0) == 9007199254740994.0);
    assert_true(dec_double("9007199254740993", 0) == 9007199254740992.0); /* a tie: even */
    assert_true(dec_double("9007199254740995", 0) == 9007199254740996.0);
    /* The classic 2^-1074 question: just over half the smallest subnormal
     * must round up to it, although at 53 bits it rounds to exactly half. */
    fx_ratio r, two;
    fx_ratio_init(&r);
    fx_ratio_init(&two);
    fx_ratio_set_small(&r, (fx_small){INT64_C(1) << 33, 0});
    fx_ratio_set(&two, &r);
    fx_ratio_mul(&r, &r, &two);
    fx_ratio_mul(&r, &r, &two); /* 2^99 */
    fx_ratio_set_small(&two, (fx_small){1, 0});
    fx_ratio_add(&r, &r, &two); /* 2^99 + 1 */
    fx_ratio_set_small(&two, (fx_small){2, 0});
    for (int i = 0; i < 1173; i++)
        fx_ratio_div(&r, &r, &two); /* (2^99 + 1) / 2^1173 = (1/2 + 2^-100) 2^-1074 */
    assert_true(fx_ratio_to_double(&r) == ldexp(1.0, -1074));
    fx_ratio_mul_si(&r, -1);
    assert_true(fx_ratio_to_double(&r) == -ldexp(1.0, -1074));
    /* Inside the subnormal range: (2.5 + 2^-60) 2^-1074 is nearest to
     * 3 * 2^-1074; at 53 bits it is 2.5 * 2^-1074, which would then tie
     * to 2 * 2^-1074. */
    fx_ratio_set_small(&r, (fx_small){(INT64_C(5) << 59) + 1, 0});
    for (int i = 0; i < 1134; i++)
        fx_ratio_div(&r, &r, &two);
    assert_true(fx_ratio_to_double(&r) == ldexp(3.0, -1074));
    fx_ratio_mul_si(&r, -1);
    assert_true(fx_ratio_to_double(&r) == -ldexp(3.0, -1074));
    /* exactly half of it ties to even: zero */
    fx_ratio_set_small(&r, (fx_small){1, 0});
    for (int i = 0; i < 1075; i++)
        fx_ratio_div(&r, &r, &two);
    assert_true(fx_ratio_to_double(&r) == 0.0);
    /* 1/3 and out of range */
    fx_ratio_set_small(&r, (fx_small){1, 0});
    fx_ratio_set_small(&two, (fx_small){3, 0});
    fx_ratio_div(&r, &r, &two);
    assert_true(fx_ratio_to_double(&r) == 1.0 / 3.0);
    assert_true(isinf(dec_double("1", 400)) && dec_double("1", 400) > 0);
    assert_true(isinf(dec_double("-1", 400)) && dec_double("-1", 400) < 0);
    assert_true(dec_double("1", -400) == 0.0);
    fx_ratio_clear(&r);
    fx_ratio_clear(&two);
}

static void exceeds_double_rows(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        long shift;
        bool want;
    } rows[] = {
        {"0", 0, false},
        {"0.1", 0, false},
        {"1.50", 0, false},
        {"-2.675", 0, false},
        {"123456789012345", 0, false},  /* 15 digits */
        {"12345678901234.5", 0, false},
        {"1234567890123456", 0, true},  /* 16 digits */
        {"9007199254740993", 0, true},
        {"1500000000000000000000", 0, false}, /* 2 digits after the zeros go */
        {"1", 300, false},
        {"1", 400, true},   /* beyond the double range */
        {"1", -320, false},            /* subnormal, yet one digit survives */
        {"1.2345678901", -320, true},  /* subnormal: too few bits for 11 digits */
        {"1", -300, false},
        {"0.10000000000000001", 0, true},
    };
    for (size_t i = 0; i < N(rows); i++) {
        fx_dec d;
        dec_from(&d, rows[i].in);
        fx_dec_shift(&d, rows[i].shift);
        if (fx_dec_exceeds_double(&d) != rows[i].want)
            fail_msg("exceeds row %zu \"%s\"e%ld: want %d", i, rows[i].in, rows[i].shift,
                     (int)rows[i].want);
        fx_dec_clear(&d);
    }
}

/* fx_ratio_to_exact: the decimals of sums of parsed values, every digit. */
static void exact_rows(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b, *want; /* want = a + b exactly, or NULL */
    } rows[] = {
        {"0.12345678901234567890123", "0", "0.12345678901234567890123"},
        {"1.50", "2.25", "3.75"},
        {"-0.5", "0.5", "0"},
        {"100", "0.001", "100.001"},
        {"-7", "1.000", "-6"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fx_dec a, b;
        fx_ratio x, y;
        fx_dec_init(&a);
        fx_dec_init(&b);
        fx_ratio_init(&x);
        fx_ratio_init(&y);
        assert_int_equal(fx_dec_parse(&a, rows[i].a, strlen(rows[i].a)), FX_DEC_OK);
        assert_int_equal(fx_dec_parse(&b, rows[i].b, strlen(rows[i].b)), FX_DEC_OK);
        fx_ratio_set_dec(&x, &a);
        fx_ratio_set_dec(&y, &b);
        fx_ratio_add(&x, &x, &y);
        char got[FX_DEC_STR_MAX];
        assert_true(fx_ratio_to_exact(&x, got, sizeof got) > 0);
        assert_string_equal(got, rows[i].want);
        fx_dec_clear(&a);
        fx_dec_clear(&b);
        fx_ratio_clear(&x);
        fx_ratio_clear(&y);
    }
    /* 1/3 has no finite decimal; 1.0443/7.5892 neither */
    fx_ratio q;
    fx_ratio_init(&q);
    char got[FX_DEC_STR_MAX];
    fx_ratio_set_quot(&q, (fx_small){1, 0}, (fx_small){3, 0});
    assert_int_equal(fx_ratio_to_exact(&q, got, sizeof got), -1);
    fx_ratio_set_quot(&q, (fx_small){10443, -4}, (fx_small){75892, -4});
    assert_int_equal(fx_ratio_to_exact(&q, got, sizeof got), -1);
    assert_true(fx_ratio_to_sig(&q, 12, got, sizeof got) > 0);
    assert_string_equal(got, "0.137603436462");
    fx_ratio_set_quot(&q, (fx_small){3, 0}, (fx_small){8, 0});
    assert_true(fx_ratio_to_exact(&q, got, sizeof got) > 0);
    assert_string_equal(got, "0.375");
    fx_ratio_clear(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_table),     cmocka_unit_test(parse_len),
        cmocka_unit_test(parse_untouched), cmocka_unit_test(parse_limits),
        cmocka_unit_test(small_table),     cmocka_unit_test(round_table),
        cmocka_unit_test(to_str_rows),     cmocka_unit_test(to_sig_rows),
        cmocka_unit_test(hint_rows),       cmocka_unit_test(half_ulp_rows),
        cmocka_unit_test(dec_arith),       cmocka_unit_test(ratio_arith),
        cmocka_unit_test(to_double_rows),  cmocka_unit_test(exceeds_double_rows),
        cmocka_unit_test(exact_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
