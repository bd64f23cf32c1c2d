/* test_xltext - the _xHHHH_ recognizer and the length of text as a
 * workbook stores it, at every boundary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xltext.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void escapes(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t escapes, utf16, stored;
    } rows[] = {
        {"", 0, 0, 0},
        {"_x0041_", 1, 7, 13},
        {"_X0041_", 1, 7, 13},           /* X of either case */
        {"_xabcd_", 1, 7, 13},           /* hex of either case */
        {"_xABCD_", 1, 7, 13},
        {"_x0041_x0042_", 2, 13, 25},    /* overlapping: each escaped */
        {"a_x0041_b_x0042_c", 2, 17, 29},
        {"_x0041", 0, 6, 6},             /* no closing underscore (at the end) */
        {"_x004G_", 0, 7, 7},            /* not hex */
        {"_x041_", 0, 6, 6},             /* three digits */
        {"_x00041_", 0, 8, 8},           /* five digits */
        {"_y0041_", 0, 7, 7},
        {"x0041_", 0, 6, 6},
        {"__x0041_", 1, 8, 14},
        {"\xC3\xA9_x00e9_\xF0\x9F\x92\xB0", 1, 10, 16}, /* é, then an astral character */
    };
    for (size_t i = 0; i < N(rows); i++) {
        size_t len = strlen(rows[i].s);
        print_message("case: %s\n", rows[i].s);
        assert_int_equal(fx_xltext_escapes(rows[i].s, len), rows[i].escapes);
        assert_int_equal(fx_xltext_utf16_len(rows[i].s, len), rows[i].utf16);
        assert_int_equal(fx_xltext_len(rows[i].s, len), rows[i].stored);
    }
    /* bounds: never reads past len */
    assert_false(fx_xltext_is_escape("_x0041_", 0, 6));
    assert_true(fx_xltext_is_escape("_x0041_", 0, 7));
    assert_false(fx_xltext_is_escape("a_x0041_", 1, 7));
    assert_true(fx_xltext_is_escape("a_x0041_", 1, 8));
    assert_false(fx_xltext_is_escape("_x0041_", 7, 7));
    assert_false(fx_xltext_is_escape("_x0041_", 9, 7));
    assert_int_equal(fx_xltext_escapes(NULL, 0), 0);
}

/* The limit, as a cell stores the text: 32,767 exactly fits. */
static void limit(void **state)
{
    (void)state;
    char *s = malloc(FX_XLTEXT_MAX + 2);
    memset(s, 'x', FX_XLTEXT_MAX + 1);
    memcpy(s, "_x0041_", 7);
    assert_int_equal(fx_xltext_len(s, FX_XLTEXT_MAX - 6), FX_XLTEXT_MAX);
    assert_int_equal(fx_xltext_len(s, FX_XLTEXT_MAX - 5), FX_XLTEXT_MAX + 1);
    memset(s, 'x', 7);
    assert_int_equal(fx_xltext_len(s, FX_XLTEXT_MAX), FX_XLTEXT_MAX);
    assert_int_equal(fx_xltext_len(s, FX_XLTEXT_MAX + 1), FX_XLTEXT_MAX + 1);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes),
        cmocka_unit_test(limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
