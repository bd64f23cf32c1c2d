/* test_ccy - code syntax and ISO 4217 membership from the generated table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ccy.h"
#include "ccy_iso.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *s;
    bool syntax, iso;
} rows[] = {
    {"USD", true, true},   {"EUR", true, true},   {"CNY", true, true},
    {"JPY", true, true},   {"GBP", true, true},   {"CHF", true, true},
    {"XAU", true, true},   /* gold: in ISO 4217 */
    {"RMB", true, false},  /* an alias, not a code */
    {"ABC", true, false},  {"AAA", true, false},  {"ZZZ", true, false},
    {"usd", false, false}, /* lower case is not ISO */
    {"Usd", false, false}, {"US", false, false},  {"USDD", false, false},
    {"", false, false},    {"U$D", false, false}, {"US ", false, false},
    {"£", false, false},   {"€UR", false, false},
};

static void parse_and_iso(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(rows); i++) {
        fx_ccy c = {"---"};
        bool ok = fx_ccy_parse(rows[i].s, strlen(rows[i].s), &c);
        if (ok != rows[i].syntax)
            fail_msg("parse \"%s\": got %d", rows[i].s, ok);
        if (!ok) {
            assert_string_equal(c.s, "---"); /* untouched */
            continue;
        }
        assert_string_equal(c.s, rows[i].s);
        if (fx_ccy_is_iso(&c) != rows[i].iso)
            fail_msg("is_iso \"%s\"", rows[i].s);
    }
}

/* The binary search needs a sorted table: check it, and find every entry. */
static void table_sorted(void **state)
{
    (void)state;
    assert_true(fx_iso4217_count > 150);
    for (unsigned i = 0; i < fx_iso4217_count; i++) {
        fx_ccy c;
        assert_true(fx_ccy_parse(fx_iso4217_codes[i], strlen(fx_iso4217_codes[i]), &c));
        assert_true(fx_ccy_is_iso(&c));
        if (i > 0)
            assert_true(strcmp(fx_iso4217_codes[i - 1], fx_iso4217_codes[i]) < 0);
    }
}

static void eq(void **state)
{
    (void)state;
    fx_ccy a, b, c;
    assert_true(fx_ccy_parse("USD", 3, &a));
    assert_true(fx_ccy_parse("USDX", 3, &b)); /* only len bytes count */
    assert_true(fx_ccy_parse("EUR", 3, &c));
    assert_true(fx_ccy_eq(a, b));
    assert_false(fx_ccy_eq(a, c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_and_iso),
        cmocka_unit_test(table_sorted),
        cmocka_unit_test(eq),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
