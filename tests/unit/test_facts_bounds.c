/* test_facts_bounds - the validation limits of SPEC 2 at the limit and
 * one step past it: ids of 64 and 65 characters and their first
 * character, free text of 32,767 and 32,768 UTF-16 code units (ASCII, and
 * astral characters that count two), every scale word (trillion, the last,
 * included), and a reported conversion that needs both its value and
 * its unit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#include "facts.h"
#include "rates.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static fx_rate_table *rates;

static int setup(void **state)
{
    (void)state;
    rates = fixture_rates_load("rates/aliases.csv");
    return rates ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fx_rates_free(rates);
    return 0;
}

typedef struct {
    size_t n;
    int scale, rscale;
    bool reported;
} got;

static fx_status on_fact(void *ctx, const fx_fact *f)
{
    got *g = ctx;
    g->n++;
    g->scale = f->fig.scale;
    g->reported = f->has_reported;
    g->rscale = f->reported.scale;
    return FX_OK;
}

/* Reads text; returns the facts accepted, and the number of messages. */
static got read_text(const char *text, size_t *nerr)
{
    fx_diags *d = fx_diags_new();
    fx_facts_reader *r = fx_facts_reader_new(rates);
    got g = {0, -1, -1, false};
    fx_facts_read_mem(r, text, strlen(text), 0, "t.csv", on_fact, &g, d);
    *nerr = fx_diags_count(d);
    fx_facts_reader_free(r);
    fx_diags_free(d);
    return g;
}

/* One row with the given fields (NULL: the default). */
static char *row(const char *id, const char *claim, const char *source, const char *quote)
{
    const char *h = "fact_id,entity,claim,source,published,value,unit,quote\n";
    size_t n = strlen(h) + strlen(id) + strlen(claim) + strlen(source) + strlen(quote) + 64;
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n, "%s%s,E,%s,%s,2025-01-22,40,CNY,\"%s\"\n", h, id, claim, source, quote);
    return s;
}

static char *times(const char *unit, size_t k, const char *tail)
{
    size_t u = strlen(unit), t = strlen(tail);
    char *s = malloc(u * k + t + 1);
    assert_non_null(s);
    for (size_t i = 0; i < k; i++)
        memcpy(s + i * u, unit, u);
    memcpy(s + u * k, tail, t + 1);
    return s;
}

static void expect(const char *text, size_t facts, const char *what)
{
    size_t nerr;
    got g = read_text(text, &nerr);
    if (g.n != facts || (facts == 1 && nerr != 0) || (facts == 0 && nerr == 0))
        fail_msg("%s: %zu facts, %zu messages; want %zu facts", what, g.n, nerr, facts);
}

static void id_limits(void **state)
{
    (void)state;
    char *a64 = times("a", 64, ""), *a65 = times("a", 65, "");
    char *x = NULL;
    static const struct {
        const char *id;
        bool ok;
    } ids[] = {
        {"0", true},     {"a", true},     {"Z.9_x-y", true}, {".a", false},
        {"_a", false},   {"-a", false},   {"a b", false},    {"", false},
        {"a.", true},    {"a-", true},    {"é", false},      {"a/b", false},
    };
    for (size_t i = 0; i < N(ids); i++) {
        assert_int_equal(fx_facts_is_id(ids[i].id, strlen(ids[i].id)), ids[i].ok);
        x = row(*ids[i].id ? ids[i].id : "f", ids[i].id, "s", "q");
        expect(x, ids[i].ok, ids[i].id);
        free(x);
    }
    assert_true(fx_facts_is_id(a64, 64));
    assert_false(fx_facts_is_id(a65, 65));
    /* 64 characters in every id column: accepted; 65: rejected */
    x = row(a64, a64, a64, "q");
    expect(x, 1, "64-character fact_id, claim and source");
    free(x);
    x = row(a65, "c", "s", "q");
    expect(x, 0, "65-character fact_id");
    free(x);
    x = row("f", a65, "s", "q");
    expect(x, 0, "65-character claim");
    free(x);
    x = row("f", "c", a65, "q");
    expect(x, 0, "65-character source");
    free(x);
    free(a64);
    free(a65);
}

static void text_limits(void **state)
{
    (void)state;
    static const struct {
        const char *unit; /* UTF-8 of one character */
        size_t k;
        const char *tail;
        size_t units; /* UTF-16 code units in all */
    } rows[] = {
        {"a", 32767, "", 32767},
        {"a", 32768, "", 32768},
        {"\xF0\x9F\x98\x80", 16383, "a", 32767}, /* U+1F600: two units each */
        {"\xF0\x9F\x98\x80", 16384, "", 32768},
        {"\xF0\x90\x80\x80", 16384, "", 32768},  /* U+10000, the first astral one */
        {"\xF4\x8F\xBF\xBF", 16384, "", 32768},  /* U+10FFFF, the last */
        {"\xEF\xBF\xBD", 32767, "", 32767},      /* U+FFFD: one unit */
        {"\xEF\xBF\xBD", 32768, "", 32768},
        {"\xC3\xA9", 32768, "", 32768},          /* é: one unit */
    };
    for (size_t i = 0; i < N(rows); i++) {
        char *q = times(rows[i].unit, rows[i].k, rows[i].tail);
        assert_int_equal(fx_utf16_len(q, strlen(q)), rows[i].units);
        char *x = row("f", "c", "s", q);
        char what[64];
        snprintf(what, sizeof what, "quote of %zu UTF-16 units (row %zu)", rows[i].units, i);
        expect(x, rows[i].units <= 32767, what);
        free(x);
        free(q);
    }
}

static void scales_and_reported(void **state)
{
    (void)state;
    static const struct {
        const char *scale;
        int want; /* -1: rejected */
    } scales[] = {{"", 0},           {"thousand", 3},  {"million", 6}, {"billion", 9},
                  {"trillion", 12},  {"quadrillion", -1}, {"Trillion", -1}, {"trillions", -1}};
    const char *h = "fact_id,entity,claim,source,published,value,scale,unit,quote,reported_value,"
                    "reported_scale,reported_unit\n";
    for (size_t i = 0; i < N(scales); i++) {
        char text[512];
        snprintf(text, sizeof text, "%sf,E,c,s,2025-01-22,40,%s,CNY,q,5.5,%s,USD\n", h,
                 scales[i].scale, scales[i].scale);
        size_t nerr;
        got g = read_text(text, &nerr);
        if (scales[i].want < 0) {
            if (g.n != 0 || nerr != 2) /* scale and reported_scale */
                fail_msg("scale \"%s\": %zu facts, %zu messages", scales[i].scale, g.n, nerr);
            continue;
        }
        if (g.n != 1 || g.scale != scales[i].want || g.rscale != scales[i].want || !g.reported)
            fail_msg("scale \"%s\": %zu facts, scale %d/%d, want %d", scales[i].scale, g.n,
                     g.scale, g.rscale, scales[i].want);
    }
    static const struct {
        const char *rv, *rs, *ru;
        size_t facts;
        bool reported;
    } rep[] = {
        {"5.5", "billion", "USD", 1, true}, {"5.5", "", "USD", 1, true},
        {"", "", "", 1, false},             {"5.5", "", "", 0, false},
        {"", "", "USD", 0, false},          {"", "billion", "", 0, false},
        {"5.5", "billion", "", 0, false},
    };
    for (size_t i = 0; i < N(rep); i++) {
        char text[512];
        snprintf(text, sizeof text, "%sf,E,c,s,2025-01-22,40,billion,CNY,q,%s,%s,%s\n", h,
                 rep[i].rv, rep[i].rs, rep[i].ru);
        size_t nerr;
        got g = read_text(text, &nerr);
        if (g.n != rep[i].facts || (g.n && g.reported != rep[i].reported) || (g.n == 0) != (nerr > 0))
            fail_msg("reported \"%s\",\"%s\",\"%s\": %zu facts (reported %d), %zu messages",
                     rep[i].rv, rep[i].rs, rep[i].ru, g.n, g.reported, nerr);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(id_limits),
        cmocka_unit_test(text_limits),
        cmocka_unit_test(scales_and_reported),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
