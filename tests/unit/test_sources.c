/* test_sources - the sources file of SPEC 2: what tells it from a facts
 * file, every error with its exact message and position, the same bytes
 * in every chunk size, the table's order and lookup, and the published
 * check in either order of the inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#include "facts.h"
#include "input.h"
#include "pubcheck.h"
#include "sources.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SH "source,outlet,title,url,published\n"
#define FH "fact_id,entity,claim,source,published,value,unit,quote\n"

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

static void join(const fx_diags *d, char *m, size_t n)
{
    m[0] = '\0';
    for (size_t i = 0; i < fx_diags_count(d); i++) {
        strncat(m, fx_diags_message(d, i), n - strlen(m) - 2);
        strcat(m, "\n");
    }
}

/* The kept ids, ";"-joined. */
static void ids(const fx_sources *s, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < fx_sources_count(s); i++) {
        strncat(out, fx_sources_at(s, i)->source, n - strlen(out) - 2);
        strcat(out, ";");
    }
}

/* Reads text as a sources file in every chunk size: the same status,
 * messages and table each time; returns the first. */
static fx_status read_text(const char *text, char *msgs, size_t n, char *kept, size_t nk)
{
    size_t len = strlen(text);
    fx_status first = FX_OK;
    char m0[8192] = "", k0[1024] = "";
    for (size_t chunk = 0; chunk <= (len < 200 ? len : 0); chunk++) {
        fx_diags *d = fx_diags_new();
        fx_sources *s = fx_sources_new();
        fx_status st = fx_sources_read_mem(s, text, len, chunk, "s.csv", 0, d);
        char m[8192], k[1024];
        join(d, m, sizeof m);
        ids(s, k, sizeof k);
        if (chunk == 0) {
            first = st;
            snprintf(m0, sizeof m0, "%s", m);
            snprintf(k0, sizeof k0, "%s", k);
        } else {
            assert_int_equal(st, first);
            assert_string_equal(m, m0);
            assert_string_equal(k, k0);
        }
        fx_sources_free(s);
        fx_diags_free(d);
    }
    snprintf(msgs, n, "%s", m0);
    snprintf(kept, nk, "%s", k0);
    return first;
}

static void good_file(void **state)
{
    (void)state;
    char m[8192], k[1024];
    const char *text = "\xEF\xBB\xBF" "url,source,published,title,outlet\r\n"
                       "https://example.com/a?x=1,twn,2025-01-23,\"TikTok's \"\"parent\"\"\",TWN\r\n"
                       ",mbw,,,Music Business Worldwide\r\n"
                       "\r\n"
                       "\"=HYPERLINK(\"\"x\"\")\",only-here,2024-12-31,,\r\n";
    assert_int_equal(read_text(text, m, sizeof m, k, sizeof k), FX_OK);
    assert_string_equal(m, "");
    assert_string_equal(k, "twn;mbw;only-here;");

    fx_diags *d = fx_diags_new();
    fx_sources *s = fx_sources_new();
    assert_int_equal(fx_sources_read_mem(s, text, strlen(text), 0, "s.csv", 3, d), FX_OK);
    const fx_source_desc *t = fx_sources_find(s, "twn", 3);
    assert_non_null(t);
    assert_string_equal(t->outlet, "TWN");
    assert_string_equal(t->title, "TikTok's \"parent\"");
    assert_int_equal(t->title_len, strlen("TikTok's \"parent\""));
    assert_string_equal(t->url, "https://example.com/a?x=1");
    assert_true(t->has_published);
    assert_int_equal(t->published, fx_date_from_ymd(2025, 1, 23));
    assert_string_equal(t->at.file, "s.csv");
    assert_int_equal(t->at.line, 2);
    assert_int_equal(t->at.col, 27);
    assert_int_equal(t->input, 3);
    const fx_source_desc *mb = fx_sources_find(s, "mbw", 3);
    assert_non_null(mb);
    assert_false(mb->has_published);
    assert_string_equal(mb->url, "");
    assert_int_equal(mb->url_len, 0);
    assert_string_equal(fx_sources_find(s, "only-here", 9)->url, "=HYPERLINK(\"x\")");
    assert_null(fx_sources_find(s, "tw", 2));
    assert_null(fx_sources_find(s, "twnx", 4));
    fx_sources_free(s);
    fx_diags_free(d);
}

static void only_source_column(void **state)
{
    (void)state;
    char m[8192], k[1024];
    assert_int_equal(read_text("source\na\nb\n", m, sizeof m, k, sizeof k), FX_OK);
    assert_string_equal(k, "a;b;");
}

static const struct {
    const char *name, *in, *msgs;
} rejected[] = {
    {"more fields than the header", SH "twn,,,,\n" "x,y,z,,,\n",
     "s.csv:3:1: error: row has 6 fields, the header has 5\n"},
    {"unknown column in the header", "source,outlet,author\n",
     "s.csv:1:15: error: unknown column \"author\"; expected source, outlet, title, url, published\n"},
    {"repeated column", "source,title,title\n",
     "s.csv:1:14: error: column \"title\" repeated (first in column 8)\n"},
    {"missing source column", "outlet,title\nTWN,x\n",
     "s.csv:1:1: error: missing required column \"source\"\n"},
    {"bad id", SH "tw n,,,,\n",
     "s.csv:2:1: error: source: \"tw n\" is not an id; expected 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit\n"},
    {"empty id", SH ",TWN,,,\n", "s.csv:2:1: error: source: empty; expected an id\n"},
    {"id of 65 characters", SH "a2345678901234567890123456789012345678901234567890123456789012345,,,,\n",
     "s.csv:2:1: error: source: \"a234567890123456789012345678901234567890...\" is not an id; expected 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit\n"},
    {"bad date", SH "twn,,,,24 Jan 2025\n",
     "s.csv:2:8: error: published: \"24 Jan 2025\" is not a date; expected YYYY-MM-DD, a day that exists\n"},
    {"day that does not exist", SH "twn,,,,2025-02-29\n",
     "s.csv:2:8: error: published: \"2025-02-29\" is not a date; expected YYYY-MM-DD, a day that exists\n"},
    {"duplicate id", SH "twn,,,,\nmbw,,,,\ntwn,TWN,,,\n",
     "s.csv:4:1: error: duplicate source \"twn\"; first described at s.csv:2:1\n"},
    {"field count", SH "twn,TWN\n", "s.csv:2:1: error: row has 2 fields, the header has 5\n"},
    {"every error of a file", SH "t w,,,,\nmbw,,,,2025-13-01\nok,,,,\n",
     "s.csv:2:1: error: source: \"t w\" is not an id; expected 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit\n"
     "s.csv:3:8: error: published: \"2025-13-01\" is not a date; expected YYYY-MM-DD, a day that exists\n"},
    {"invalid UTF-8", SH "twn,T\xFFW,,,\n",
     "s.csv:2:6: error: invalid UTF-8 byte 0xFF; save the file as UTF-8\n"},
    {"noncharacter", SH "twn,,\"a \xEF\xBF\xBE\",,\n",
     "s.csv:2:6: error: noncharacter U+FFFE at line 2, column 9; text may hold anything but NUL, U+FFFE and U+FFFF (a workbook cannot store them)\n"},
    {"bare quote", SH "twn,say \"hi\",,,\n",
     "s.csv:2:9: error: quote inside an unquoted field; quote the whole field and double the quote (\"a \"\"b\"\" c\")\n"},
};

static void rejects(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(rejected); i++) {
        char m[8192], k[1024];
        print_message("# %s\n", rejected[i].name);
        assert_int_equal(read_text(rejected[i].in, m, sizeof m, k, sizeof k), FX_E_DATA);
        assert_string_equal(m, rejected[i].msgs);
    }
}

/* Free text at Excel's limit is taken, one character more is not. */
static void text_limit(void **state)
{
    (void)state;
    for (size_t n = 32766; n <= 32768; n++) {
        size_t len = strlen(SH) + 4 + n + 4;
        char *t = malloc(len + 1);
        strcpy(t, SH "twn,");
        memset(t + strlen(t), 'x', n);
        strcpy(t + strlen(SH) + 4 + n, ",,,\n");
        fx_diags *d = fx_diags_new();
        fx_sources *s = fx_sources_new();
        fx_status st = fx_sources_read_mem(s, t, strlen(t), 0, "s.csv", 0, d);
        if (n <= 32767) {
            assert_int_equal(st, FX_OK);
            assert_int_equal(fx_sources_count(s), 1);
        } else {
            assert_int_equal(st, FX_E_DATA);
            assert_string_equal(fx_diags_message(d, 0), "s.csv:2:5: error: outlet: 32768 characters; "
                                                        "a cell holds at most 32767 (nothing is cut silently)");
        }
        fx_sources_free(s);
        fx_diags_free(d);
        free(t);
    }
}

/* Errors past the limit are counted, as for facts. */
static void error_limit(void **state)
{
    (void)state;
    char *t = malloc(64 * 100 + 100);
    strcpy(t, SH);
    for (int i = 0; i < 60; i++)
        strcat(t, "bad id,,,,\n");
    fx_diags *d = fx_diags_new();
    fx_sources *s = fx_sources_new();
    assert_int_equal(fx_sources_read_mem(s, t, strlen(t), 0, "s.csv", 0, d), FX_E_DATA);
    assert_int_equal(fx_diags_count(d), FX_DIAG_LIMIT + 1);
    assert_int_equal(fx_diags_errors_in(d, "s.csv"), 60);
    fx_sources_free(s);
    fx_diags_free(d);
    free(t);
}

/* Across two sources files: the second description is the error. */
static void duplicate_across_files(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    fx_sources *s = fx_sources_new();
    const char *a = SH "twn,TWN,,,\n", *b = "outlet,source\nOther,mbw\nOther,twn\n";
    assert_int_equal(fx_sources_read_mem(s, a, strlen(a), 0, "a.csv", 0, d), FX_OK);
    assert_int_equal(fx_sources_read_mem(s, b, strlen(b), 0, "b.csv", 1, d), FX_E_DATA);
    char m[1024];
    join(d, m, sizeof m);
    assert_string_equal(m, "b.csv:3:7: error: duplicate source \"twn\"; first described at a.csv:2:1\n");
    assert_string_equal(fx_sources_find(s, "twn", 3)->outlet, "TWN");
    assert_int_equal(fx_sources_count(s), 2);
    fx_sources_free(s);
    fx_diags_free(d);
}

static fx_cell cell(const char *s)
{
    return (fx_cell){s, strlen(s), {"h", 1, 1}, false};
}

static void header_kind(void **state)
{
    (void)state;
    static const struct {
        const char *cols[4];
        size_t n;
        bool sources;
    } rows[] = {
        {{"source", "outlet", "title", "url"}, 4, true},
        {{"source"}, 1, true},
        {{"source", "published"}, 2, true},
        {{"outlet", "author"}, 2, true},     /* sources, with an unknown column */
        {{"source", "author"}, 2, true},     /* sources, with an unknown column */
        {{"source", "fact_id"}, 2, false},   /* a column only facts have */
        {{"fact_id", "outlet"}, 2, false},   /* facts, with an unknown column */
        {{"colour", "size"}, 2, false},      /* neither: read as facts */
        {{"value", "published"}, 2, false},
    };
    for (size_t i = 0; i < N(rows); i++) {
        fx_cell c[4];
        for (size_t j = 0; j < rows[i].n; j++)
            c[j] = cell(rows[i].cols[j]);
        assert_int_equal(fx_sources_is_header(c, rows[i].n), rows[i].sources);
    }
}

typedef struct {
    size_t n;
    size_t input;
    fx_pubcheck *pub;
} facts_seen;

static fx_status on_fact(void *ctx, const fx_fact *f)
{
    facts_seen *s = ctx;
    s->n++;
    s->input = f->input;
    if (s->pub)
        fx_pubcheck_note(s->pub, f, f->at.file);
    return FX_OK;
}

/* input.c: the header decides; input indices stay the command line's. */
static void input_dispatch(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    fx_facts_reader *fr = fx_facts_reader_new(rates);
    fx_sources *s = fx_sources_new();
    facts_seen seen = {0, 0, NULL};
    fx_input in = {fr, s, on_fact, &seen, NULL, NULL};
    const char *src = "source,title\ntwn,T\n";
    const char *facts = FH "f1,E,c,twn,2025-01-24,1,count,q\n";
    fx_input_kind k;
    assert_int_equal(fx_input_read_mem(&in, src, strlen(src), 0, "s.csv", 0, &k, d), FX_OK);
    assert_int_equal(k, FX_INPUT_SOURCES);
    assert_string_equal(fx_input_kind_name(k), "sources");
    assert_int_equal(fx_input_read_mem(&in, facts, strlen(facts), 0, "f.csv", 1, &k, d), FX_OK);
    assert_int_equal(k, FX_INPUT_FACTS);
    assert_string_equal(fx_input_kind_name(k), "facts");
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.input, 1);
    assert_int_equal(fx_facts_in_input(fr, 0), 0);
    assert_int_equal(fx_facts_in_input(fr, 1), 1);
    assert_int_equal(fx_sources_count(s), 1);
    /* an empty file and a header of neither kind are facts, with facts' messages */
    assert_int_equal(fx_input_read_mem(&in, "", 0, 0, "e.csv", 2, &k, d), FX_E_DATA);
    assert_int_equal(k, FX_INPUT_FACTS);
    /* a first record that csvin refused is no header to judge by */
    const char *bad = "source,outlet\xFF\ntwn,x\n";
    assert_int_equal(fx_input_read_mem(&in, bad, strlen(bad), 0, "b.csv", 3, &k, d), FX_E_DATA);
    assert_int_equal(k, FX_INPUT_FACTS);
    char m[4096];
    join(d, m, sizeof m);
    assert_string_equal(m, "e.csv:1:1: error: empty file; expected a header row naming the columns "
                           "(fact_id,entity,claim,...)\n"
                           "b.csv:1:14: error: invalid UTF-8 byte 0xFF; save the file as UTF-8\n");
    fx_sources_free(s);
    fx_facts_reader_free(fr);
    fx_diags_free(d);
}

/* The warnings of two inputs read in the given order: sources first or last. */
static void run_pub(bool sources_first, const char *facts, char *m, size_t n, size_t *differ)
{
    fx_diags *d = fx_diags_new();
    fx_facts_reader *fr = fx_facts_reader_new(rates);
    fx_sources *s = fx_sources_new();
    facts_seen seen = {0, 0, fx_pubcheck_new(NULL)};
    fx_input in = {fr, s, on_fact, &seen, NULL, NULL};
    const char *src = SH "twn,,,,2025-01-23\nmbw,,,,\nunused,,,,2025-01-01\n";
    const char *names[2] = {"s.csv", "f.csv"};
    const char *texts[2] = {src, facts};
    for (size_t i = 0; i < 2; i++) {
        size_t j = sources_first ? i : 1 - i;
        assert_int_equal(fx_input_read_mem(&in, texts[j], strlen(texts[j]), 0, names[j], i, NULL, d),
                         FX_OK);
    }
    *differ = fx_pubcheck_report(seen.pub, s, d);
    join(d, m, n);
    fx_pubcheck_free(seen.pub);
    fx_sources_free(s);
    fx_facts_reader_free(fr);
    fx_diags_free(d);
}

static void published_mismatch(void **state)
{
    (void)state;
    const char *facts = FH "a1,E,c,twn,2025-01-24,1,count,q\n"
                           "a2,E,c,mbw,2025-01-22,1,count,q\n" /* mbw gives no date */
                           "a3,E,c,other,2025-01-22,1,count,q\n" /* not described */
                           "a4,E,c,twn,2025-01-23,1,count,q\n"
                           "a5,E,c,twn,2025-01-25,1,count,q\n"
                           "a6,E,c,twn,2025-01-24,1,count,q\n";
    const char *want = "f.csv:2:12: warning: fact a1 published 2025-01-24, its source twn says 2025-01-23\n"
                       "f.csv:6:12: warning: fact a5 published 2025-01-25, its source twn says 2025-01-23\n"
                       "f.csv:7:12: warning: fact a6 published 2025-01-24, its source twn says 2025-01-23\n";
    char m[4096];
    size_t differ;
    run_pub(true, facts, m, sizeof m, &differ);
    assert_string_equal(m, want);
    assert_int_equal(differ, 3);
    run_pub(false, facts, m, sizeof m, &differ);
    assert_string_equal(m, want);
    assert_int_equal(differ, 3);
}

/* At most FX_DIAG_LIMIT warnings an input, the first in file order, then
 * one line with the count of the rest. */
static void published_cap(void **state)
{
    (void)state;
    char *facts = malloc(200 * 64);
    strcpy(facts, FH);
    for (int i = 0; i < 120; i++) {
        char row[80];
        snprintf(row, sizeof row, "f%03d,E,c,twn,2025-01-%02d,1,count,q\n", i, 22 + i % 3);
        strcat(facts, row);
    }
    char m[16384];
    size_t differ;
    run_pub(false, facts, m, sizeof m, &differ);
    assert_int_equal(differ, 80); /* every third is on the 23rd */
    size_t lines = 0;
    for (const char *p = m; (p = strchr(p, '\n')); p++)
        lines++;
    assert_int_equal(lines, FX_DIAG_LIMIT + 1);
    assert_true(strncmp(m, "f.csv:2:14: warning: fact f000 published 2025-01-22,", 52) == 0);
    assert_null(strstr(m, "fact f001 ")); /* on the 23rd, as its source says */
    assert_non_null(strstr(m, "f.csv:4:14: warning: fact f002 published 2025-01-24, its source twn says 2025-01-23\n"));
    assert_non_null(strstr(m, "f.csv:76:14: warning: fact f074 published 2025-01-24"));
    assert_null(strstr(m, "fact f075 "));
    assert_non_null(strstr(m, "f.csv: warning: 30 more facts published on another day than their "
                              "source says; only the first 50 are shown\n"));
    free(facts);
}

/* No sources file: nothing to compare, nothing said. */
static void no_sources_no_warning(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    fx_sources *s = fx_sources_new();
    assert_int_equal(fx_pubcheck_report(NULL, s, d), 0);
    fx_pubcheck *p = fx_pubcheck_new(NULL);
    assert_int_equal(fx_pubcheck_report(p, NULL, d), 0);
    assert_int_equal(fx_diags_count(d), 0);
    fx_pubcheck_free(p);
    fx_pubcheck_free(NULL);
    fx_sources_free(NULL);
    fx_sources_free(s);
    fx_diags_free(d);
}

static void bundled_sources_pass(void **state)
{
    (void)state;
    FILE *f = fopen("fixtures/bytedance-ai-2025-sources.csv", "rb");
    assert_non_null(f);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    fx_diags *d = fx_diags_new();
    fx_sources *s = fx_sources_new();
    assert_int_equal(fx_sources_read_mem(s, buf, n, 0, "b.csv", 0, d), FX_OK);
    char k[1024];
    ids(s, k, sizeof k);
    assert_string_equal(k, "ai-news-digest;twn;tech-blog;uk-tech-news;mbw;");
    fx_sources_free(s);
    fx_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_file),
        cmocka_unit_test(only_source_column),
        cmocka_unit_test(rejects),
        cmocka_unit_test(text_limit),
        cmocka_unit_test(error_limit),
        cmocka_unit_test(duplicate_across_files),
        cmocka_unit_test(header_kind),
        cmocka_unit_test(input_dispatch),
        cmocka_unit_test(published_mismatch),
        cmocka_unit_test(published_cap),
        cmocka_unit_test(no_sources_no_warning),
        cmocka_unit_test(bundled_sources_pass),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
