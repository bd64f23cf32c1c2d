/* test_facts - every error class of SPEC 2 with its exact message and
 * position, the accepted edge cases, and the same bytes in every chunk
 * size. */
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
#define H "fact_id,entity,claim,source,published,value,unit,quote\n"
/* In rows "f1,E,c,s,2025-01-22,VALUE,UNIT,q": value at column 21. */

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
    char ids[1024];
    size_t n;
} seen;

static fx_status on_fact(void *ctx, const fx_fact *f)
{
    seen *s = ctx;
    size_t len = strlen(s->ids);
    snprintf(s->ids + len, sizeof s->ids - len, "%.*s;", (int)f->fact_id.len, f->fact_id.s);
    s->n++;
    return FX_OK;
}

/* Reads one file in every chunk size; returns the messages joined by
 * "\n" and the accepted ids of the first run. */
static fx_status read_text(const char *text, size_t len, char *msgs, size_t n, seen *out)
{
    fx_status first = FX_OK;
    char m0[8192] = "";
    for (size_t chunk = 0; chunk <= (len < 200 ? len : 0); chunk++) {
        fx_diags *d = fx_diags_new();
        fx_facts_reader *r = fx_facts_reader_new(rates);
        seen s = {{0}, 0};
        fx_status st = fx_facts_read_mem(r, text, len, chunk, "t.csv", on_fact, &s, d);
        char m[8192] = "";
        for (size_t i = 0; i < fx_diags_count(d); i++) {
            strncat(m, fx_diags_message(d, i), sizeof m - strlen(m) - 2);
            strcat(m, "\n");
        }
        if (chunk == 0) {
            first = st;
            snprintf(m0, sizeof m0, "%s", m);
            *out = s;
        } else {
            assert_int_equal(st, first);
            assert_string_equal(m, m0);
            assert_string_equal(s.ids, out->ids);
        }
        fx_facts_reader_free(r);
        fx_diags_free(d);
    }
    snprintf(msgs, n, "%s", m0);
    return first;
}

static const struct {
    const char *name, *in, *msgs;
} rejected[] = {
    {"thousands separator", H "f1,E,c,s,2025-01-22,\"1,234.5\",USD,q\n",
     "t.csv:2:21: error: value: \"1,234.5\" is not a plain decimal; write 1234.5\n"},
    {"two points", H "f1,E,c,s,2025-01-22,1.2.3,USD,q\n",
     "t.csv:2:21: error: value: \"1.2.3\" is not a plain decimal; expected an optional '-', digits, and an optional '.' with digits (e.g. 1234.5)\n"},
    {"exponent", H "f1,E,c,s,2025-01-22,12e5,USD,q\n",
     "t.csv:2:21: error: value: \"12e5\" is not a plain decimal; write 1200000\n"},
    {"plus", H "f1,E,c,s,2025-01-22,+12,USD,q\n",
     "t.csv:2:21: error: value: \"+12\" is not a plain decimal; write 12\n"},
    {"leading point", H "f1,E,c,s,2025-01-22,.5,USD,q\n",
     "t.csv:2:21: error: value: \".5\" is not a plain decimal; write 0.5\n"},
    {"trailing point", H "f1,E,c,s,2025-01-22,5.,USD,q\n",
     "t.csv:2:21: error: value: \"5.\" is not a plain decimal; write 5\n"},
    {"spaces", H "f1,E,c,s,2025-01-22, 12 ,USD,q\n",
     "t.csv:2:21: error: value: \" 12 \" is not a plain decimal; write 12\n"},
    {"nan", H "f1,E,c,s,2025-01-22,NaN,USD,q\n",
     "t.csv:2:21: error: value: \"NaN\" is not a plain decimal; expected an optional '-', digits, and an optional '.' with digits (e.g. 1234.5)\n"},
    {"infinity", H "f1,E,c,s,2025-01-22,Infinity,USD,q\n",
     "t.csv:2:21: error: value: \"Infinity\" is not a plain decimal; expected an optional '-', digits, and an optional '.' with digits (e.g. 1234.5)\n"},
    {"hex", H "f1,E,c,s,2025-01-22,0x10,USD,q\n",
     "t.csv:2:21: error: value: \"0x10\" is not a plain decimal; expected an optional '-', digits, and an optional '.' with digits (e.g. 1234.5)\n"},
    {"empty value", H "f1,E,c,s,2025-01-22,,USD,q\n",
     "t.csv:2:21: error: value: empty; expected a number such as 1234.5\n"},
    {"day that does not exist", H "f1,E,c,s,2025-02-30,1,USD,q\n",
     "t.csv:2:10: error: published: \"2025-02-30\" is not a date; expected YYYY-MM-DD, a day that exists\n"},
    {"month 13", H "f1,E,c,s,2025-13-01,1,USD,q\n",
     "t.csv:2:10: error: published: \"2025-13-01\" is not a date; expected YYYY-MM-DD, a day that exists\n"},
    {"day first", H "f1,E,c,s,22/01/2025,1,USD,q\n",
     "t.csv:2:10: error: published: \"22/01/2025\" is not a date; expected YYYY-MM-DD, a day that exists\n"},
    {"timestamp", H "f1,E,c,s,2025-01-22T10:00:00Z,1,USD,q\n",
     "t.csv:2:10: error: published: \"2025-01-22T10:00:00Z\" is not a date; expected YYYY-MM-DD, a day that exists\n"},
    {"unknown currency", H "f1,E,c,s,2025-01-22,1,XYZ,q\n",
     "t.csv:2:23: error: unit: unknown unit \"XYZ\"; expected an ISO 4217 code, an alias listed in aliases.csv, or count, percent, days, months, years\n"},
    {"lower-case code", H "f1,E,c,s,2025-01-22,1,usd,q\n",
     "t.csv:2:23: error: unit: \"usd\": currency codes are upper case; write USD\n"},
    {"id with a space", H "f 1,E,c,s,2025-01-22,1,USD,q\n",
     "t.csv:2:1: error: fact_id: \"f 1\" is not an id; expected 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit\n"},
    {"id starting with a dash", H "-f1,E,c,s,2025-01-22,1,USD,q\n",
     "t.csv:2:1: error: fact_id: \"-f1\" is not an id; expected 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit\n"},
    {"claim not an id", H "f1,E,c/d,s,2025-01-22,1,USD,q\n",
     "t.csv:2:6: error: claim: \"c/d\" is not an id; expected 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit\n"},
    {"duplicate fact_id", H "f1,E,c,s,2025-01-22,1,USD,q\nf1,E,c,s,2025-01-22,2,USD,q\n",
     "t.csv:3:1: error: duplicate fact_id \"f1\"; first defined at t.csv:2:1\n"},
    {"unknown column", "fact_id,entity,claim,source,published,value,unit,quote,colour\n",
     "t.csv:1:56: error: unknown column \"colour\"; expected fact_id, entity, claim, source, published, value, scale, unit, qualifier, as_of, reported_value, reported_scale, reported_unit, quote, note, basis\n"},
    {"repeated column", "fact_id,entity,claim,source,published,value,unit,quote,unit\n",
     "t.csv:1:56: error: column \"unit\" repeated (first in column 45)\n"},
    {"missing column", "fact_id,entity,claim,source,published,value,unit\n",
     "t.csv:1:1: error: missing required column \"quote\"\n"},
    {"field count", H "f1,E,c,s,2025-01-22,1,USD\n",
     "t.csv:2:1: error: row has 7 fields, the header has 8\n"},
    {"empty file", "", "t.csv:1:1: error: empty file; expected a header row naming the columns (fact_id,entity,claim,...)\n"},
    {"bad scale", "fact_id,entity,claim,source,published,value,scale,unit,quote\nf1,E,c,s,2025-01-22,1,bn,USD,q\n",
     "t.csv:2:23: error: scale: \"bn\"; expected empty, thousand, million, billion or trillion\n"},
    {"bad qualifier", "fact_id,entity,claim,source,published,value,unit,qualifier,quote\nf1,E,c,s,2025-01-22,1,USD,over,q\n",
     "t.csv:2:27: error: qualifier: \"over\"; expected empty, about, at_least or at_most\n"},
    {"reported value without unit",
     "fact_id,entity,claim,source,published,value,unit,reported_value,quote\nf1,E,c,s,2025-01-22,1,CNY,5,q\n",
     "t.csv:2:27: error: reported_unit: empty, but reported_value is given; a reported conversion needs its value and its unit\n"},
    {"reported unit without value",
     "fact_id,entity,claim,source,published,value,unit,reported_value,reported_unit,quote\nf1,E,c,s,2025-01-22,1,CNY,,USD,q\n",
     "t.csv:2:27: error: reported_value: empty, but reported_unit is given; a reported conversion needs its value and its unit\n"},
    {"reported conversion of a count",
     "fact_id,entity,claim,source,published,value,unit,reported_value,reported_unit,quote\nf1,E,c,s,2025-01-22,1,count,5,USD,q\n",
     "t.csv:2:31: error: reported_unit: the fact's unit is count; only money has a reported conversion\n"},
    {"claim of two kinds", H "f1,E,c,s,2025-01-22,1,USD,q\nf2,E,c,s,2025-01-22,1,percent,q\n",
     "t.csv:3:23: error: unit: claim \"c\" holds money (first at t.csv:2:23), not percent; a claim holds money or one other unit\n"},
    {"empty quote", H "f1,E,c,s,2025-01-22,1,USD,\n",
     "t.csv:2:27: error: quote: empty; this column is required\n"},
    {"every error of a file", H "f1,E,c,s,2025-01-22,1.,USD,q\nf2,E,c,s,2025-01-32,1,USD,q\n",
     "t.csv:2:21: error: value: \"1.\" is not a plain decimal; write 1\n"
     "t.csv:3:10: error: published: \"2025-01-32\" is not a date; expected YYYY-MM-DD, a day that exists\n"},
    {"messages in input order, an encoding error too", H "f1,E,c,s,2025-13-01,1,USD,q\nf2,E,c,s,2025-01-22,1,USD,\xFF\n",
     "t.csv:2:10: error: published: \"2025-13-01\" is not a date; expected YYYY-MM-DD, a day that exists\n"
     "t.csv:3:27: error: invalid UTF-8 byte 0xFF; save the file as UTF-8\n"},
    {"control characters are escaped in messages", "fact_id,\"ent\nity\",claim,source,published,value,unit,quote\n",
     "t.csv:1:9: error: unknown column \"ent\\nity\"; expected fact_id, entity, claim, source, published, value, scale, unit, qualifier, as_of, reported_value, reported_scale, reported_unit, quote, note, basis\n"
     "t.csv:1:1: error: missing required column \"entity\"\n"},
    /* U+FFFE, U+FFFF: a workbook cannot store them; at the start of their field */
    {"noncharacter in a quote", H "f1,E,c,s,2025-01-22,1,USD,\"He said \xEF\xBF\xBE$5\"\n",
     "t.csv:2:27: error: noncharacter U+FFFE at line 2, column 36; text may hold anything but NUL, U+FFFE and U+FFFF (a workbook cannot store them)\n"},
    {"noncharacter in an entity", H "f1,E\xEF\xBF\xBF,c,s,2025-01-22,1,USD,q\n",
     "t.csv:2:4: error: noncharacter U+FFFF at line 2, column 5; text may hold anything but NUL, U+FFFE and U+FFFF (a workbook cannot store them)\n"},
    {"noncharacter in a note over lines", "fact_id,entity,claim,source,published,value,unit,quote,note\n"
     "f1,E,c,s,2025-01-22,1,USD,q,\"a\nb\xEF\xBF\xBF\"\nf2,E,c,s,2025-01-22,x,USD,q,\n",
     "t.csv:2:29: error: noncharacter U+FFFF at line 3, column 2; text may hold anything but NUL, U+FFFE and U+FFFF (a workbook cannot store them)\n"
     "t.csv:4:21: error: value: \"x\" is not a plain decimal; expected an optional '-', digits, and an optional '.' with digits (e.g. 1234.5)\n"},
    /* the header row not handed on: one error, not one per column of the next row */
    {"noncharacter in the header", "fact_id,entity,claim,source,published,value,unit,quote\xEF\xBF\xBE\n"
     "f1,E,c,s,2025-01-22,1,USD,q\n",
     "t.csv:1:50: error: noncharacter U+FFFE at line 1, column 55; text may hold anything but NUL, U+FFFE and U+FFFF (a workbook cannot store them)\n"},
    {"invalid UTF-8 in the header", "fact_id,entity\xFF,claim,source,published,value,unit,quote\n"
     "f1,E,c,s,2025-01-22,1,USD,q\n",
     "t.csv:1:15: error: invalid UTF-8 byte 0xFF; save the file as UTF-8\n"},
    /* values: at most 100 digits, counting every decimal place and the
     * integer digits from the first nonzero one */
    {"value with 101 decimal places, one significant digit", H "f1,E,c,s,2025-01-22,0."
     "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" "1,USD,q\n",
     "t.csv:2:21: error: value: 101 decimal places; fxbook keeps every digit exactly and supports at most 100 digits, counting every decimal place and the integer digits from the first nonzero one\n"},
    {"value with 101 integer digits", H "f1,E,c,s,2025-01-22,-0001"
     "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000,USD,q\n",
     "t.csv:2:21: error: value: 101 digits; fxbook keeps every digit exactly and supports at most 100 digits, counting every decimal place and the integer digits from the first nonzero one\n"},
    {"value with 101 digits on both sides", H "f1,E,c,s,2025-01-22,1.2"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000,USD,q\n",
     "t.csv:2:21: error: value: 101 digits (100 decimal places); fxbook keeps every digit exactly and supports at most 100 digits, counting every decimal place and the integer digits from the first nonzero one\n"},
    {"an error on a continued line", H "f1,E,c,s,2025-01-22,1,USD,\"two\nlines\"\nf2,E,c,s,2025-01-22,x,USD,q\n",
     "t.csv:4:21: error: value: \"x\" is not a plain decimal; expected an optional '-', digits, and an optional '.' with digits (e.g. 1234.5)\n"},
};

static void rejects(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(rejected); i++) {
        char msgs[8192];
        seen s;
        print_message("case: %s\n", rejected[i].name);
        fx_status st = read_text(rejected[i].in, strlen(rejected[i].in), msgs, sizeof msgs, &s);
        assert_int_equal(st, FX_E_DATA);
        assert_string_equal(msgs, rejected[i].msgs);
    }
}

static const struct {
    const char *name, *in, *ids;
} accepted[] = {
    {"bom and crlf", "\xEF\xBB\xBF" H "f1,E,c,s,2025-01-22,1,USD,q\r\nf2,E,c,s,2025-01-22,2,USD,q\r\n", "f1;f2;"},
    {"quoted commas, quotes, newlines", H "f1,\"E, Inc.\",c,s,2025-01-22,1,USD,\"He said \"\"$5\"\",\nthen left\"\n", "f1;"},
    {"minus zero and negatives", H "f1,E,c,s,2025-01-22,-0,USD,q\nf2,E,c,s,2025-01-22,-12.5,USD,q\n", "f1;f2;"},
    {"ids like numbers and dates", H "00123,E,c,s,2025-01-22,1,USD,q\n2025-01-22,E,c,s,2025-01-22,1,USD,q\n", "00123;2025-01-22;"},
    {"leading zeros", H "f1,E,c,s,2025-01-22,007.50,USD,q\n", "f1;"},
    {"aliases", H "f1,E,c,s,2025-01-22,1,RMB,q\nf2,E,c,s,2025-01-22,1,$,q\nf3,E,c,s,2025-01-22,1,\xC2\xA3,q\n", "f1;f2;f3;"},
    {"header only", H, ""},
    {"blank lines", H "\nf1,E,c,s,2025-01-22,1,USD,q\n\n", "f1;"},
    {"columns in any order", "quote,unit,value,published,source,claim,entity,fact_id\nq,USD,1,2025-01-22,s,c,E,f1\n", "f1;"},
    {"leap day", H "f1,E,c,s,2024-02-29,1,USD,q\n", "f1;"},
    /* valid XML 1.0: U+FFFD, U+FDD0..U+FDEF, U+1FFFE, U+10FFFF */
    {"other noncharacters", H "f1,E\xEF\xB7\x90,c,s,2025-01-22,1,USD,\"\xEF\xBF\xBD\xEF\xB7\xAF\xF0\x9F\xBF\xBE\xF4\x8F\xBF\xBF\"\n", "f1;"},
    {"value with 100 decimal places", H "f1,E,c,s,2025-01-22,0."
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" "1,USD,q\n", "f1;"},
    {"value with 100 digits, leading zeros not counted", H "f1,E,c,s,2025-01-22,-0001"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000,USD,q\n", "f1;"},
    {"value with 100 digits on both sides", H "f1,E,c,s,2025-01-22,1.2"
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000,USD,q\n", "f1;"},
    {"value with 99 decimal places", H "f1,E,c,s,2025-01-22,0."
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" "1,USD,q\n", "f1;"},
};

static void accepts(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(accepted); i++) {
        char msgs[8192];
        seen s;
        print_message("case: %s\n", accepted[i].name);
        fx_status st = read_text(accepted[i].in, strlen(accepted[i].in), msgs, sizeof msgs, &s);
        assert_string_equal(msgs, "");
        assert_int_equal(st, FX_OK);
        assert_string_equal(s.ids, accepted[i].ids);
    }
}

/* A row H-prefixed with a quote (or note) of n copies of a character. */
static char *long_text_file(const char *ch, size_t n)
{
    size_t cl = strlen(ch), size = strlen(H) + 64 + n * cl;
    char *buf = malloc(size);
    char *p = buf + sprintf(buf, H "f1,E,c,s,2025-01-22,1,USD,");
    for (size_t i = 0; i < n; i++, p += cl)
        memcpy(p, ch, cl);
    strcpy(p, "\n");
    return buf;
}

static void text_limits(void **state)
{
    (void)state;
    char msgs[8192];
    seen s;
    char *ok = long_text_file("\xC3\xA9", 32767); /* two-byte characters: 65,534 bytes */
    assert_int_equal(read_text(ok, strlen(ok), msgs, sizeof msgs, &s), FX_OK);
    assert_int_equal(s.n, 1);
    free(ok);
    char *over = long_text_file("x", 32768);
    assert_int_equal(read_text(over, strlen(over), msgs, sizeof msgs, &s), FX_E_DATA);
    assert_string_equal(msgs, "t.csv:2:27: error: quote: 32768 characters; a cell holds at most 32767 (nothing is cut silently)\n");
    free(over);
    char *astral = long_text_file("\xF0\x9F\x92\xB0", 16384); /* 32,768 UTF-16 units */
    assert_int_equal(read_text(astral, strlen(astral), msgs, sizeof msgs, &s), FX_E_DATA);
    free(astral);
}

/* A row whose quote is `pre` then x up to n UTF-16 units in all. */
static char *quote_file(const char *pre, size_t n)
{
    size_t pl = strlen(pre);
    char *buf = malloc(strlen(H) + 64 + n + 1);
    char *p = buf + sprintf(buf, H "f1,E,c,s,2025-01-22,1,USD,");
    memcpy(p, pre, pl);
    memset(p + pl, 'x', n - pl);
    strcpy(p + n, "\n");
    return buf;
}

/* Text is counted as a workbook stores it: each literal _xHHHH_ is
 * written _x005F_xHHHH_, 6 characters more (xltext.h). */
static void text_limits_escapes(void **state)
{
    (void)state;
    static const struct {
        const char *pre;
        size_t n; /* UTF-16 units as typed */
        const char *msg; /* NULL: accepted */
    } rows[] = {
        {"", 32767, NULL},
        {"_x0041_", 32761, NULL}, /* 32,767 as stored */
        {"_x0041_", 32762,
         "t.csv:2:27: error: quote: 32768 characters as a workbook stores them (32762, plus 1 x 6 for the literal _xHHHH_ stored as _x005F_xHHHH_); a cell holds at most 32767 (nothing is cut silently)\n"},
        {"_X00aF_", 32762,
         "t.csv:2:27: error: quote: 32768 characters as a workbook stores them (32762, plus 1 x 6 for the literal _xHHHH_ stored as _x005F_xHHHH_); a cell holds at most 32767 (nothing is cut silently)\n"},
        {"_x0041_x0042_", 32755, NULL}, /* two, overlapping: 32,767 stored */
        {"_x0041_x0042_", 32756,
         "t.csv:2:27: error: quote: 32768 characters as a workbook stores them (32756, plus 2 x 6 for the literal _xHHHH_ stored as _x005F_xHHHH_); a cell holds at most 32767 (nothing is cut silently)\n"},
        {"_x004G_ _x41_ _y0041_ x0041_ _x0041", 32767, NULL}, /* no escape among them */
    };
    for (size_t i = 0; i < N(rows); i++) {
        char msgs[8192];
        seen s;
        print_message("case: %zu\n", i);
        char *in = quote_file(rows[i].pre, rows[i].n);
        fx_status st = read_text(in, strlen(in), msgs, sizeof msgs, &s);
        assert_string_equal(msgs, rows[i].msg ? rows[i].msg : "");
        assert_int_equal(st, rows[i].msg ? FX_E_DATA : FX_OK);
        free(in);
    }
    /* many short escapes: 2,000 x "_x0041_" is 14,000 typed, 26,000 stored
     * (fits); 2,600 is 18,200 typed, 33,800 stored (does not) */
    for (size_t k = 2000; k <= 2600; k += 600) {
        char *in = malloc(strlen(H) + 64 + 7 * k);
        char *p = in + sprintf(in, H "f1,E,c,s,2025-01-22,1,USD,");
        for (size_t j = 0; j < k; j++, p += 7)
            memcpy(p, "_x0041_", 7);
        strcpy(p, "\n");
        char msgs[8192];
        seen s;
        assert_int_equal(read_text(in, strlen(in), msgs, sizeof msgs, &s),
                         k == 2000 ? FX_OK : FX_E_DATA);
        free(in);
    }
}

/* A last line without a line end is a fact like the others, read whole. */
typedef struct {
    char quote[64], value[64], unit[8];
} last_fact;

static fx_status keep_fact(void *ctx, const fx_fact *f)
{
    last_fact *l = ctx;
    snprintf(l->quote, sizeof l->quote, "%.*s", (int)f->quote.len, f->quote.s);
    fx_dec_to_str(&f->fig.value, l->value, sizeof l->value);
    snprintf(l->unit, sizeof l->unit, "%s", f->fig.ccy.s);
    return FX_OK;
}

static void last_line_without_line_end(void **state)
{
    (void)state;
    static const struct {
        const char *in, *quote, *value;
    } rows[] = {
        {H "f0,E,c,s,2025-01-22,1,USD,q\nf1,E,c,s,2025-01-22,40,CNY,RMB 40 billion", "RMB 40 billion", "40"},
        {H "f1,E,c,s,2025-01-22,40,CNY,\"RMB 40, \"\"billion\"\"\"", "RMB 40, \"billion\"", "40"},
        {"quote,value,unit,fact_id,entity,claim,source,published\r\nq,6.9358,CNY,f1,E,c,s,2025-01-22", "q", "6.9358"},
    };
    for (size_t i = 0; i < N(rows); i++) {
        size_t len = strlen(rows[i].in);
        for (size_t chunk = 0; chunk <= len; chunk++) {
            fx_diags *d = fx_diags_new();
            fx_facts_reader *r = fx_facts_reader_new(rates);
            last_fact l = {"", "", ""};
            assert_int_equal(fx_facts_read_mem(r, rows[i].in, len, chunk, "t.csv", keep_fact, &l, d),
                             FX_OK);
            assert_int_equal(fx_diags_count(d), 0);
            assert_string_equal(l.quote, rows[i].quote);
            assert_string_equal(l.value, rows[i].value);
            assert_string_equal(l.unit, "CNY");
            fx_facts_reader_free(r);
            fx_diags_free(d);
        }
    }
}

/* The unit words facts reads as units are those no alias may be. */
static void unit_words_agree(void **state)
{
    (void)state;
    for (int k = FX_KIND_COUNT; k <= FX_KIND_YEARS; k++) {
        const char *w = fx_kind_name((fx_kind)k);
        assert_true(fx_rates_is_unit_word(w, strlen(w)));
    }
    assert_false(fx_rates_is_unit_word("money", 5));
    assert_false(fx_rates_is_unit_word("Percent", 7));
    assert_false(fx_rates_is_unit_word("percen", 6));
    assert_false(fx_rates_is_unit_word("", 0));
}

static void duplicate_across_inputs(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    fx_facts_reader *r = fx_facts_reader_new(rates);
    const char *a = H "f1,E,c,s,2025-01-22,1,USD,q\n";
    const char *b = H "f2,E,c,s,2025-01-22,1,USD,q\nf1,E,c,s,2025-01-22,1,USD,q\n";
    assert_int_equal(fx_facts_read_mem(r, a, strlen(a), 0, "a.csv", NULL, NULL, d), FX_OK);
    assert_int_equal(fx_facts_read_mem(r, b, strlen(b), 0, "b.csv", NULL, NULL, d), FX_E_DATA);
    assert_int_equal(fx_diags_count(d), 1);
    assert_string_equal(fx_diags_message(d, 0),
                        "b.csv:3:1: error: duplicate fact_id \"f1\"; first defined at a.csv:2:1");
    assert_int_equal(fx_facts_total(r), 2);
    assert_int_equal(fx_facts_in_input(r, 0), 1);
    assert_int_equal(fx_facts_in_input(r, 1), 1);
    fx_facts_reader_free(r);
    fx_diags_free(d);
}

static fx_status check_fields(void *ctx, const fx_fact *f)
{
    (void)ctx;
    char v[64];
    assert_int_equal(f->fig.kind, FX_KIND_MONEY);
    assert_string_equal(f->fig.ccy.s, "CNY");
    assert_int_equal(f->fig.scale, 9);
    fx_dec_to_str(&f->fig.value, v, sizeof v);
    assert_string_equal(v, "40");
    assert_true(f->has_reported);
    assert_string_equal(f->reported.ccy.s, "USD");
    fx_dec_to_str(&f->reported.value, v, sizeof v);
    assert_string_equal(v, "5.5");
    assert_int_equal(f->qual, FX_QUAL_AT_LEAST);
    assert_true(f->has_as_of);
    assert_int_equal(f->at.line, 2);
    return FX_OK;
}

static void fields_parsed(void **state)
{
    (void)state;
    const char *in = "fact_id,entity,claim,source,published,value,scale,unit,qualifier,as_of,"
                     "reported_value,reported_scale,reported_unit,quote,note\n"
                     "f1,ByteDance,c,s,2025-01-22,40,billion,yuan,at_least,2025-01-20,5.5,billion,$,q,n\n";
    fx_diags *d = fx_diags_new();
    fx_facts_reader *r = fx_facts_reader_new(rates);
    assert_int_equal(fx_facts_read_mem(r, in, strlen(in), 0, "t.csv", check_fields, NULL, d), FX_OK);
    assert_int_equal(fx_facts_total(r), 1);
    fx_facts_reader_free(r);
    fx_diags_free(d);
}

static void bundled_facts_pass(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    fx_facts_reader *r = fx_facts_reader_new(rates);
    fx_status st = fx_facts_read(r, "fixtures/bytedance-ai-2025.csv", "b.csv", NULL, NULL, d);
    for (size_t i = 0; i < fx_diags_count(d); i++)
        print_error("%s\n", fx_diags_message(d, i));
    assert_int_equal(st, FX_OK);
    assert_true(fx_facts_total(r) >= 40);
    fx_facts_reader_free(r);
    fx_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rejects),
        cmocka_unit_test(accepts),
        cmocka_unit_test(text_limits),
        cmocka_unit_test(text_limits_escapes),
        cmocka_unit_test(last_line_without_line_end),
        cmocka_unit_test(unit_words_agree),
        cmocka_unit_test(duplicate_across_inputs),
        cmocka_unit_test(fields_parsed),
        cmocka_unit_test(bundled_facts_pass),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
