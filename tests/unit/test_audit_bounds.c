/* test_audit_bounds - every boundary of the audit, at the boundary and
 * one step either side: the close/inconsistent line at --tolerance, the
 * interval's inclusive bounds, the day matcher's exact branch (rates that
 * put the conversion exactly on a bound and a hair inside or outside, so
 * the double shortcut must leave them to exact arithmetic), the
 * --infer-window edges, and claim agreement (touching intervals, open
 * bounds in every order). Rates are a small long-format file written here,
 * so every value is chosen; expected values are exact decimals worked by
 * hand (each is a product of short decimals). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

#include "audit.h"
#include "convert.h"
#include "rates.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char dir[64];
static fx_rate_table *rates;
static fx_convert_opts copts;
static fx_audit_opts aopts;

/* GBP -> USD: the day matcher. D = 2025-03-31, window 30: D - 30 is
 * 2025-03-01. Fact: GBP 1000, reported USD 500, interval [499.5, 500.5].
 * CNY -> USD at 0.1 on 2025-03-10: verdicts. */
static const char rates_csv[] =
    "date,base,quote,rate\n"
    "2025-02-28,GBP,USD,0.5\n"          /* D - 31: inside, but outside the window */
    "2025-03-01,GBP,USD,0.5\n"          /* D - 30: the window's first day */
    "2025-03-23,GBP,USD,0.4995\n"       /* 499.5: exactly the lower bound */
    "2025-03-24,GBP,USD,0.49949999999\n" /* 499.49999999: a hair below */
    "2025-03-25,GBP,USD,0.49950000001\n" /* a hair above the lower bound */
    "2025-03-26,GBP,USD,0.5005\n"       /* 500.5: exactly the upper bound */
    "2025-03-27,GBP,USD,0.50050000001\n" /* a hair above the upper bound */
    "2025-03-28,GBP,USD,0.50049999999\n" /* a hair below the upper bound */
    "2025-03-29,GBP,USD,0.4994\n"       /* 499.4: clearly outside */
    "2025-03-31,GBP,USD,0.5\n"          /* D */
    "2025-03-10,CNY,USD,0.1\n";

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s", "/tmp/fxbook-audit-bounds-XXXXXX"); /* the audit's scratch */
    if (!mkdtemp(dir))
        return -1;
    rates = fixture_rates_text(rates_csv);
    fixture_opts(&copts, &aopts);
    return rates ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fx_rates_free(rates);
    fx_dec_clear(&aopts.tolerance);
    rmdir(dir);
    return 0;
}

/* A fact: value unit [qualifier] [reported value in USD]. */
static void fact_init(fx_fact *f, const char *id, const char *claim, const char *day,
                      const char *value, const char *unit, fx_qual q, const char *rv)
{
    memset(f, 0, sizeof *f);
    f->fact_id = (fx_text){id, strlen(id)};
    f->claim = (fx_text){claim, strlen(claim)};
    f->source = (fx_text){id, strlen(id)};
    f->entity = (fx_text){"E", 1};
    f->at = (fx_pos){"t.csv", 2, 1};
    f->published = fixture_day(day);
    fx_dec_init(&f->fig.value);
    fx_dec_init(&f->reported.value);
    if (fx_dec_parse(&f->fig.value, value, strlen(value)) != FX_DEC_OK)
        fail_msg("bad value in test: %s", value);
    f->fig.kind = strcmp(unit, "count") == 0 ? FX_KIND_COUNT : FX_KIND_MONEY;
    if (f->fig.kind == FX_KIND_MONEY)
        memcpy(f->fig.ccy.s, unit, 4);
    f->qual = q;
    if (rv) {
        f->has_reported = true;
        if (fx_dec_parse(&f->reported.value, rv, strlen(rv)) != FX_DEC_OK)
            fail_msg("bad reported value in test: %s", rv);
        f->reported.kind = FX_KIND_MONEY;
        memcpy(f->reported.ccy.s, "USD", 4);
    }
}

static void fact_clear(fx_fact *f)
{
    fx_dec_clear(&f->fig.value);
    fx_dec_clear(&f->reported.value);
}

/* ---- verdicts: the bounds of the interval and --tolerance ---- */

/* CNY amount at 0.1 on 2025-03-10, reported in USD. */
static const struct {
    const char *amount, *reported;
    fx_verdict want;
    const char *why;
} verdict_rows[] = {
    /* exact 100.45, reported 100.5: [100.45, 100.55] */
    {"1004.5", "100.5", FX_V_CONSISTENT, "exactly the lower bound: inclusive"},
    {"1004.5000001", "100.5", FX_V_CONSISTENT, "a hair above the lower bound"},
    {"1004.4999999", "100.5", FX_V_CLOSE, "a hair below the lower bound"},
    {"1005.5", "100.5", FX_V_CONSISTENT, "exactly the upper bound: inclusive"},
    {"1005.4999999", "100.5", FX_V_CONSISTENT, "a hair below the upper bound"},
    {"1005.5000001", "100.5", FX_V_CLOSE, "a hair above the upper bound"},
    /* exact 100: deviation = reported - 100 percent; --tolerance 2 */
    {"1000", "102", FX_V_CLOSE, "+2% exactly: close (|deviation| <= tolerance)"},
    {"1000", "101.999", FX_V_CLOSE, "+1.999%"},
    {"1000", "102.001", FX_V_INCONSISTENT, "+2.001%"},
    {"1000", "98", FX_V_CLOSE, "-2% exactly"},
    {"1000", "98.001", FX_V_CLOSE, "-1.999%"},
    {"1000", "97.999", FX_V_INCONSISTENT, "-2.001%"},
    {"1000", "150", FX_V_INCONSISTENT, "+50%"},
    {"1000", "50", FX_V_INCONSISTENT, "-50%"},
    /* negative amounts: exact -100 */
    {"-1000", "-102", FX_V_CLOSE, "-102 for -100: +2% exactly"},
    {"-1000", "-102.001", FX_V_INCONSISTENT, "+2.001%"},
    {"-1000", "-97.999", FX_V_INCONSISTENT, "-2.001%"},
    {"-1004.5", "-100.5", FX_V_CONSISTENT, "-100.45: the upper bound of [-100.55, -100.45]"},
    {"-1004.4999999", "-100.5", FX_V_CLOSE, "just above the upper bound"},
};

static void verdict_bounds(void **state)
{
    (void)state;
    fx_check k;
    fx_check_init(&k);
    fx_converted c;
    fx_converted_init(&c);
    for (size_t i = 0; i < N(verdict_rows); i++) {
        fx_fact f;
        fact_init(&f, "v", "c", "2025-03-10", verdict_rows[i].amount, "CNY", FX_QUAL_NONE,
                  verdict_rows[i].reported);
        fx_diags *d = fx_diags_new();
        assert_int_equal(fx_convert(&c, &f, rates, &copts, d), FX_OK);
        fx_audit_check(&k, &c, rates, &aopts);
        if (!k.priced || k.verdict != verdict_rows[i].want)
            fail_msg("CNY %s reported as USD %s (%s): %s, want %s", verdict_rows[i].amount,
                     verdict_rows[i].reported, verdict_rows[i].why,
                     k.priced ? fx_verdict_name(k.verdict) : "unpriced",
                     fx_verdict_name(verdict_rows[i].want));
        fx_diags_free(d);
        fact_clear(&f);
    }
    /* the deviation's sign: reported above the exact value is positive */
    fx_fact f;
    fact_init(&f, "v", "c", "2025-03-10", "1000", "CNY", FX_QUAL_NONE, "102");
    fx_diags *d = fx_diags_new();
    assert_int_equal(fx_convert(&c, &f, rates, &copts, d), FX_OK);
    fx_audit_check(&k, &c, rates, &aopts);
    assert_true(k.has_deviation);
    char got[FX_DEC_STR_MAX];
    fx_ratio_to_fixed(&k.deviation_pct, 4, FX_ROUND_HALF_EVEN, got, sizeof got);
    assert_string_equal(got, "2.0000");
    fx_diags_free(d);
    fact_clear(&f);
    fx_converted_clear(&c);
    fx_check_clear(&k);
}

/* ---- the day matcher ---- */

/* audit.c's shortcut, copied: the test asserts that its edge cases are
 * ones the shortcut leaves undecided (0), i.e. that they reach the exact
 * branch. If audit.c's margin changes, this copy says which cases no
 * longer reach it. */
static int shortcut(double amount, double rate, double lo, double hi)
{
    double x = amount * rate;
    double margin = 1e-9 * (fabs(x) + fabs(lo) + fabs(hi));
    if (x < lo - margin || x > hi + margin)
        return -1;
    if (x > lo + margin && x < hi - margin)
        return 1;
    return 0;
}

static void days_run(const char *amount, const char *reported, long window, const char *const *want,
                     size_t nwant)
{
    long saved = aopts.infer_window;
    aopts.infer_window = window;
    fx_check k;
    fx_check_init(&k);
    fx_converted c;
    fx_converted_init(&c);
    fx_fact f;
    fact_init(&f, "d", "c", "2025-03-31", amount, "GBP", FX_QUAL_NONE, reported);
    fx_diags *d = fx_diags_new();
    assert_int_equal(fx_convert(&c, &f, rates, &copts, d), FX_OK);
    fx_audit_check(&k, &c, rates, &aopts);
    assert_true(k.priced);
    bool same = k.ndays == nwant;
    for (size_t i = 0; same && i < nwant; i++)
        same = k.days[i] == fixture_day(want[i]);
    if (!same) {
        for (size_t i = 0; i < k.ndays; i++) {
            char s[11];
            fx_date_format(k.days[i], s);
            print_message("# got  %s\n", s);
        }
        for (size_t i = 0; i < nwant; i++)
            print_message("# want %s\n", want[i]);
        fail_msg("GBP %s reported as USD %s, --infer-window %ld: matching days differ", amount,
                 reported, window);
    }
    fx_diags_free(d);
    fact_clear(&f);
    fx_converted_clear(&c);
    fx_check_clear(&k);
    aopts.infer_window = saved;
}

static void days_exact_edges(void **state)
{
    (void)state;
    /* The edge rates are undecided by the shortcut: the exact branch
     * decides them. 2025-03-29's is decided by doubles (a control). */
    static const struct {
        double rate;
        int want;
    } edges[] = {{0.4995, 0},         {0.49949999999, 0}, {0.49950000001, 0}, {0.5005, 0},
                 {0.50050000001, 0}, {0.50049999999, 0}, {0.4994, -1},       {0.5, 1}};
    for (size_t i = 0; i < N(edges); i++)
        if (shortcut(1000, edges[i].rate, 499.5, 500.5) != edges[i].want)
            fail_msg("rate %.11f: the shortcut gives %d, want %d", edges[i].rate,
                     shortcut(1000, edges[i].rate, 499.5, 500.5), edges[i].want);
    /* On a bound: in (both bounds inclusive); a hair outside: out; a hair
     * inside: in. Window 30: 2025-03-01 (D - 30) in, 2025-02-28 out. */
    static const char *const want[] = {"2025-03-01", "2025-03-23", "2025-03-25", "2025-03-26",
                                       "2025-03-28", "2025-03-31"};
    days_run("1000", "500", 30, want, N(want));
}

static void days_window(void **state)
{
    (void)state;
    /* D - window is included, D - window - 1 is not */
    static const char *const w31[] = {"2025-02-28", "2025-03-01", "2025-03-23", "2025-03-25",
                                      "2025-03-26", "2025-03-28", "2025-03-31"};
    days_run("1000", "500", 31, w31, N(w31));
    static const char *const w29[] = {"2025-03-23", "2025-03-25", "2025-03-26", "2025-03-28",
                                      "2025-03-31"};
    days_run("1000", "500", 29, w29, N(w29));
    static const char *const w8[] = {"2025-03-23", "2025-03-25", "2025-03-26", "2025-03-28",
                                     "2025-03-31"};
    days_run("1000", "500", 8, w8, N(w8));
    static const char *const w7[] = {"2025-03-25", "2025-03-26", "2025-03-28", "2025-03-31"};
    days_run("1000", "500", 7, w7, N(w7));
    static const char *const w0[] = {"2025-03-31"};
    days_run("1000", "500", 0, w0, N(w0));
}

static void days_negative(void **state)
{
    (void)state;
    /* The same edges with a negative amount: [-500.5, -499.5]; the
     * bounds swap roles (0.4995 now gives the upper bound). */
    static const char *const want[] = {"2025-03-01", "2025-03-23", "2025-03-25", "2025-03-26",
                                       "2025-03-28", "2025-03-31"};
    days_run("-1000", "-500", 30, want, N(want));
}

/* ---- claims: agreement of intervals ---- */

typedef struct {
    const char *value;
    fx_qual q;
} cfact;

static fx_claim_verdict claim_of(const cfact *fs, size_t n, char *min, char *max, size_t len)
{
    fx_audit *a = fx_audit_new(&aopts, &copts, min ? dir : NULL);
    fx_converted c;
    fx_converted_init(&c);
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "f%zu", i);
        fx_fact f;
        fact_init(&f, id, "claim", "2025-03-10", fs[i].value, "count", fs[i].q, NULL);
        fx_diags *d = fx_diags_new();
        assert_int_equal(fx_convert(&c, &f, rates, &copts, d), FX_OK);
        fx_audit_add(a, &c, NULL);
        fx_diags_free(d);
        fact_clear(&f);
    }
    fx_diags *d = fx_diags_new();
    assert_int_equal(fx_audit_finish(a, min != NULL, d), FX_OK);
    fx_diags_free(d);
    fx_audit_counts t = fx_audit_totals(a);
    assert_int_equal(t.claims[0] + t.claims[1] + t.claims[2], 1);
    fx_claim_verdict v = t.claims[FX_C_SINGLE] ? FX_C_SINGLE
                         : t.claims[FX_C_AGREE] ? FX_C_AGREE
                                                : FX_C_DISAGREE;
    if (min) {
        assert_true(fx_audit_rewind(a));
        const fx_claim *cl = fx_audit_next(a);
        assert_non_null(cl);
        assert_int_equal(cl->verdict, v);
        assert_true(fx_ratio_to_exact(&cl->min, min, len) >= 0);
        assert_true(fx_ratio_to_exact(&cl->max, max, len) >= 0);
    }
    fx_converted_clear(&c);
    fx_audit_free(a);
    return v;
}

#define NONE_ FX_QUAL_NONE
#define LEAST FX_QUAL_AT_LEAST
#define MOST FX_QUAL_AT_MOST
#define ABOUT FX_QUAL_ABOUT

static const struct {
    cfact f[3];
    size_t n;
    fx_claim_verdict want;
    const char *why;
} claim_rows[] = {
    {{{"10", NONE_}}, 1, FX_C_SINGLE, "one fact"},
    /* [9.5, 10.5] and [10.5, 11.5] touch at 10.5: they share a value */
    {{{"10", NONE_}, {"11", NONE_}}, 2, FX_C_AGREE, "touching"},
    {{{"11", NONE_}, {"10", NONE_}}, 2, FX_C_AGREE, "touching, other order"},
    /* a hair apart: 10.5 < 10.500000145 */
    {{{"10", NONE_}, {"10.50000015", NONE_}}, 2, FX_C_DISAGREE, "a hair apart"},
    {{{"10.50000015", NONE_}, {"10", NONE_}}, 2, FX_C_DISAGREE, "a hair apart, other order"},
    /* a hair overlapping: 10.499999995 - 0.000000005 .. */
    {{{"10", NONE_}, {"10.49999999", NONE_}}, 2, FX_C_AGREE, "a hair overlapping"},
    /* [11.5, inf) and (-inf, 5.5]: no common value, whatever the order */
    {{{"12", LEAST}, {"5", MOST}}, 2, FX_C_DISAGREE, "at_least then at_most"},
    {{{"5", MOST}, {"12", LEAST}}, 2, FX_C_DISAGREE, "at_most then at_least"},
    {{{"12", LEAST}, {"20", NONE_}, {"5", MOST}}, 3, FX_C_DISAGREE, "at_least, plain, at_most"},
    {{{"5", MOST}, {"3", NONE_}, {"12", LEAST}}, 3, FX_C_DISAGREE, "at_most, plain, at_least"},
    {{{"12", LEAST}, {"5", MOST}, {"8", NONE_}}, 3, FX_C_DISAGREE, "the last fact is plain"},
    /* touching open bounds: [5.5, inf) and (-inf, 5.5] */
    {{{"6", LEAST}, {"5", MOST}}, 2, FX_C_AGREE, "open bounds touching"},
    {{{"5", MOST}, {"6", LEAST}}, 2, FX_C_AGREE, "open bounds touching, other order"},
    {{{"5", LEAST}, {"12", MOST}}, 2, FX_C_AGREE, "open bounds overlapping"},
    {{{"12", LEAST}, {"12", LEAST}}, 2, FX_C_AGREE, "two at_least"},
    /* negative values: no stale bound of 0 may take part */
    {{{"-5", MOST}, {"-10", NONE_}}, 2, FX_C_AGREE, "(-inf, -4.5] then [-10.5, -9.5]"},
    {{{"-10", NONE_}, {"-5", MOST}}, 2, FX_C_AGREE, "[-10.5, -9.5] then (-inf, -4.5]"},
    {{{"5", LEAST}, {"10", NONE_}}, 2, FX_C_AGREE, "[4.5, inf) then [9.5, 10.5]"},
    {{{"-5", LEAST}, {"-10", NONE_}}, 2, FX_C_DISAGREE, "[-5.5, inf) then [-10.5, -9.5]"},
    {{{"5", MOST}, {"10", NONE_}}, 2, FX_C_DISAGREE, "(-inf, 5.5] then [9.5, 10.5]"},
    {{{"-5", LEAST}, {"-3", MOST}, {"-4", NONE_}}, 3, FX_C_AGREE, "[-5.5, inf), (-inf, -2.5], [-4.5, -3.5]"},
    /* about widens [v - h, v + h] by 2% of |v|: 100 about is [97.5, 102.5] */
    {{{"100", ABOUT}, {"103", NONE_}}, 2, FX_C_AGREE, "about 100 and 103: touching at 102.5"},
    {{{"100", ABOUT}, {"103.1", NONE_}}, 2, FX_C_DISAGREE, "about 100 and 103.1: [103.05, 103.15]"},
    {{{"-100", ABOUT}, {"-103", NONE_}}, 2, FX_C_AGREE, "about -100 and -103: touching at -102.5"},
    {{{"-103.1", NONE_}, {"-100", ABOUT}}, 2, FX_C_DISAGREE, "-103.1 and about -100"},
};

static void claim_bounds(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(claim_rows); i++) {
        fx_claim_verdict v = claim_of(claim_rows[i].f, claim_rows[i].n, NULL, NULL, 0);
        if (v != claim_rows[i].want)
            fail_msg("claim %zu (%s): %s, want %s", i, claim_rows[i].why,
                     fx_claim_verdict_name(v), fx_claim_verdict_name(claim_rows[i].want));
    }
}

static void claim_min_max(void **state)
{
    (void)state;
    char min[64], max[64];
    static const cfact a[] = {{"10", NONE_}, {"7", NONE_}, {"12", NONE_}, {"7", NONE_}};
    assert_int_equal(claim_of(a, N(a), min, max, sizeof min), FX_C_DISAGREE);
    assert_string_equal(min, "7");
    assert_string_equal(max, "12");
    static const cfact b[] = {{"-3", NONE_}, {"-3.5", NONE_}, {"-2.5", NONE_}};
    assert_int_equal(claim_of(b, N(b), min, max, sizeof min), FX_C_DISAGREE);
    assert_string_equal(min, "-3.5");
    assert_string_equal(max, "-2.5");
    static const cfact c[] = {{"4", NONE_}};
    assert_int_equal(claim_of(c, N(c), min, max, sizeof min), FX_C_SINGLE);
    assert_string_equal(min, "4");
    assert_string_equal(max, "4");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(verdict_bounds), cmocka_unit_test(days_exact_edges),
        cmocka_unit_test(days_window),    cmocka_unit_test(days_negative),
        cmocka_unit_test(claim_bounds),   cmocka_unit_test(claim_min_max),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
