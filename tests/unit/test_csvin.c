/* test_csvin - positions, encodings and quoting, fed in every chunk size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "csvin.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Cells flattened as "LINE:COL[q]=text|" per cell, "\n" per row. */
typedef struct {
    char out[4096];
} sink;

static fx_status collect(void *ctx, const fx_cell *cells, size_t n)
{
    sink *s = ctx;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(s->out);
        snprintf(s->out + len, sizeof s->out - len, "%lu:%lu%s=%s|", cells[i].at.line,
                 cells[i].at.col, cells[i].quoted ? "q" : "", cells[i].text);
    }
    strncat(s->out, "\n", sizeof s->out - strlen(s->out) - 1);
    return FX_OK;
}

/* Keeps only the last row, as collect writes it. */
static fx_status keep_last(void *ctx, const fx_cell *cells, size_t n)
{
    sink *s = ctx;
    s->out[0] = '\0';
    return collect(s, cells, n);
}

/* Reads buf in every chunk size; all must give the same cells and
 * messages. Returns the first run's cells and messages in got/msgs. */
static fx_status read_all_chunks(const char *buf, size_t len, char *got, size_t gotn, char *msgs,
                                 size_t msgn)
{
    fx_status first = FX_OK;
    for (size_t chunk = 0; chunk <= len; chunk++) {
        sink s = {{0}};
        fx_diags *d = fx_diags_new();
        fx_status st = fx_csvin_read_mem(buf, len, chunk, "t.csv", collect, &s, d);
        char m[2048] = "";
        for (size_t i = 0; i < fx_diags_count(d); i++) {
            strncat(m, fx_diags_message(d, i), sizeof m - strlen(m) - 2);
            strcat(m, "\n");
        }
        fx_diags_free(d);
        if (chunk == 0) {
            first = st;
            snprintf(got, gotn, "%s", s.out);
            snprintf(msgs, msgn, "%s", m);
        } else {
            assert_int_equal(st, first);
            assert_string_equal(s.out, got);
            assert_string_equal(m, msgs);
        }
    }
    return first;
}

static const struct {
    const char *name, *in;
    size_t len; /* 0: strlen(in) */
    const char *cells;
    const char *msgs;
} rows[] = {
    {"plain", "a,b\nc,d\n", 0, "1:1=a|1:3=b|\n2:1=c|2:3=d|\n", ""},
    {"no final newline", "a,b\nc,d", 0, "1:1=a|1:3=b|\n2:1=c|2:3=d|\n", ""},
    {"crlf", "a,b\r\nc,d\r\n", 0, "1:1=a|1:3=b|\n2:1=c|2:3=d|\n", ""},
    {"bom not counted", "\xEF\xBB\xBF" "a,b\n", 0, "1:1=a|1:3=b|\n", ""},
    {"empty fields", ",x,\n", 0, "1:1=|1:2=x|1:4=|\n", ""},
    {"empty last field at eof", "a,", 0, "1:1=a|1:3=|\n", ""},
    {"spaces kept", " 12 ,b\n", 0, "1:1= 12 |1:6=b|\n", ""},
    {"quoted comma and quote", "\"a,\"\"b\"\"\",c\n", 0, "1:1q=a,\"b\"|1:11=c|\n", ""},
    {"quoted newline spans lines", "\"a\nb\",c\nd,e\n", 0, "1:1q=a\nb|2:4=c|\n3:1=d|3:3=e|\n", ""},
    {"quoted crlf", "\"a\r\nb\",c\r\nd\n", 0, "1:1q=a\r\nb|2:4=c|\n3:1=d|\n", ""},
    {"blank lines skipped", "a\n\n\nb\n", 0, "1:1=a|\n4:1=b|\n", ""},
    {"columns count characters", "\xC3\xA9\xC3\xA9,x\n", 0, "1:1=\xC3\xA9\xC3\xA9|1:4=x|\n", ""},
    {"four-byte character", "\xF0\x9F\x92\xB0,x\n", 0, "1:1=\xF0\x9F\x92\xB0|1:3=x|\n", ""},
    {"unterminated quote", "a,\"bc\nd\n", 0, "", "t.csv:1:3: error: unterminated quoted field: the closing quote is missing\n"},
    {"text after closing quote", "\"ab\"c,d\n", 0, "",
     "t.csv:1:5: error: text after the closing quote; a quote inside a quoted field is written twice (\"\")\n"},
    {"bare quote in unquoted field", "ab\"c,d\n", 0, "",
     "t.csv:1:3: error: quote inside an unquoted field; quote the whole field and double the quote (\"a \"\"b\"\" c\")\n"},
    {"rows before a fatal error still arrive", "a\nb\"\n", 0, "1:1=a|\n",
     "t.csv:2:2: error: quote inside an unquoted field; quote the whole field and double the quote (\"a \"\"b\"\" c\")\n"},
    {"invalid byte: reported, the row not handed on", "a,\xFF\nb\n", 0, "2:1=b|\n", "t.csv:1:3: error: invalid UTF-8 byte 0xFF; save the file as UTF-8\n"},
    {"overlong", "x\xC0\xAF\n", 0, "", "t.csv:1:2: error: invalid UTF-8 byte 0xC0; save the file as UTF-8\n"},
    {"overlong three bytes", "\xE0\x80\xAF\n", 0, "",
     "t.csv:1:1: error: invalid UTF-8: overlong or out-of-range sequence; save the file as UTF-8\n"},
    {"surrogate", "\xED\xA0\x80\n", 0, "",
     "t.csv:1:1: error: invalid UTF-8: overlong or out-of-range sequence; save the file as UTF-8\n"},
    {"truncated", "\xC3,x\n", 0, "",
     "t.csv:1:1: error: invalid UTF-8: truncated sequence; save the file as UTF-8\n"},
    {"nul byte", "a,b\0c\n", 6, "", "t.csv:1:4: error: NUL byte: this is not a UTF-8 text file (UTF-16?); save it as UTF-8\n"},
    {"utf-16", "\xFF\xFE" "a\0,\0", 6, "", "t.csv:1:1: error: file is UTF-16; save it as UTF-8 (with or without a BOM)\n"},
    {"empty", "", 0, "", ""},
    /* plain ASCII runs are taken in one step: columns stay exact around them */
    {"runs between characters", "abc\xC3\xA9" "def,gh\xF0\x9F\x92\xB0ij,k\r\nlong,\"q\xC3\xA9r\"\"s\",t\n", 0,
     "1:1=abc\xC3\xA9" "def|1:9=gh\xF0\x9F\x92\xB0ij|1:15=k|\n2:1=long|2:6q=q\xC3\xA9r\"s|2:15=t|\n", ""},
    {"an error after a run", "abcdefgh\xC3\xA9ij\"k\n", 0, "",
     "t.csv:1:12: error: quote inside an unquoted field; quote the whole field and double the quote (\"a \"\"b\"\" c\")\n"},
    {"an invalid byte after a run", "x,abcdef\xFFgh\n", 0, "", "t.csv:1:9: error: invalid UTF-8 byte 0xFF; save the file as UTF-8\n"},
    /* U+FFFE and U+FFFF: at the start of their field, the row not handed on */
    {"noncharacter U+FFFE", "a,b\xEF\xBF\xBE" "c\nd,e\n", 0, "2:1=d|2:3=e|\n",
     "t.csv:1:3: error: noncharacter U+FFFE at line 1, column 4; text may hold anything but NUL, U+FFFE and U+FFFF (a workbook cannot store them)\n"},
    {"noncharacter U+FFFF in a quoted field over lines", "x\n\"a\nb\xEF\xBF\xBF\",c\n", 0, "1:1=x|\n",
     "t.csv:2:1: error: noncharacter U+FFFF at line 3, column 2; text may hold anything but NUL, U+FFFE and U+FFFF (a workbook cannot store them)\n"},
    {"noncharacter after a run, in a last field", "k,abcdefgh\xEF\xBF\xBF", 0, "",
     "t.csv:1:3: error: noncharacter U+FFFF at line 1, column 11; text may hold anything but NUL, U+FFFE and U+FFFF (a workbook cannot store them)\n"},
    {"one error per line", "\xEF\xBF\xBE,\xEF\xBF\xBF\n", 0, "",
     "t.csv:1:1: error: noncharacter U+FFFE at line 1, column 1; text may hold anything but NUL, U+FFFE and U+FFFF (a workbook cannot store them)\n"},
    /* valid XML 1.0 characters, so accepted: U+FFFD, U+FDD0, U+FDEF, U+1FFFE, U+10FFFF */
    {"other noncharacters pass", "\xEF\xBF\xBD,\xEF\xB7\x90\xEF\xB7\xAF,\xF0\x9F\xBF\xBE,\xF4\x8F\xBF\xBF\n", 0,
     "1:1=\xEF\xBF\xBD|1:3=\xEF\xB7\x90\xEF\xB7\xAF|1:6=\xF0\x9F\xBF\xBE|1:8=\xF4\x8F\xBF\xBF|\n", ""},
    /* lines of a word (8 bytes) and more: the fast path takes them a word
     * at a time; commas, and anything it leaves to the slow way, inside a word */
    {"commas in words", "abcdefg,hijklmn,,opq,r,stuvwxyz0123,4\n", 0,
     "1:1=abcdefg|1:9=hijklmn|1:17=|1:18=opq|1:22=r|1:24=stuvwxyz0123|1:37=4|\n", ""},
    {"a word of commas", ",,,,,,,,,,,,,,,,x\n", 0,
     "1:1=|1:2=|1:3=|1:4=|1:5=|1:6=|1:7=|1:8=|1:9=|1:10=|1:11=|1:12=|1:13=|1:14=|1:15=|1:16=|"
     "1:17=x|\n", ""},
    {"a quote in the second word", "abcdefgh,ij\"k,l\n", 0, "",
     "t.csv:1:12: error: quote inside an unquoted field; quote the whole field and double the quote (\"a \"\"b\"\" c\")\n"},
    {"a CR in the second word ends the line", "abcdefghij\rk,lmnopqrstu\n", 0,
     "1:1=abcdefghij|\n2:1=k|2:3=lmnopqrstu|\n", ""},
    {"a NUL in the second word", "abcdefghijk\0,l\n", 15, "",
     "t.csv:1:12: error: NUL byte: this is not a UTF-8 text file (UTF-16?); save it as UTF-8\n"},
    {"UTF-8 in the second word", "abcdefgh\xC3\xA9,ijklmnop,q\n", 0,
     "1:1=abcdefgh\xC3\xA9|1:11=ijklmnop|1:20=q|\n", ""},
    {"ECB rows", "2025-05-09,1.1252,163.36,1.9558,N/A,24.946,\n2025-05-08,1.1297,163.45,1.9558,N/A,24.924,\n", 0,
     "1:1=2025-05-09|1:12=1.1252|1:19=163.36|1:26=1.9558|1:33=N/A|1:37=24.946|1:44=|\n"
     "2:1=2025-05-08|2:12=1.1297|2:19=163.45|2:26=1.9558|2:33=N/A|2:37=24.924|2:44=|\n", ""},
    /* a last line without a line end is read whole */
    {"last field whole at eof", "Date,USD,\n2025-01-22,1.9554,6.9358", 0,
     "1:1=Date|1:6=USD|1:10=|\n2:1=2025-01-22|2:12=1.9554|2:19=6.9358|\n", ""},
    {"last quoted field whole at eof", "a,\"b\"\"c\xC3\xA9\"", 0, "1:1=a|1:3q=b\"c\xC3\xA9|\n", ""},
    {"last field after crlf lines", "a,b\r\nc,def", 0, "1:1=a|1:3=b|\n2:1=c|2:3=def|\n", ""},

};

static void table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(rows); i++) {
        char got[4096], msgs[4096];
        size_t len = rows[i].len ? rows[i].len : strlen(rows[i].in);
        print_message("case: %s\n", rows[i].name);
        fx_status st = read_all_chunks(rows[i].in, len, got, sizeof got, msgs, sizeof msgs);
        assert_string_equal(got, rows[i].cells);
        assert_string_equal(msgs, rows[i].msgs);
        assert_int_equal(st, rows[i].msgs[0] ? FX_E_DATA : FX_OK);
    }
}

static fx_status stop_at_second(void *ctx, const fx_cell *cells, size_t n)
{
    (void)cells;
    (void)n;
    int *count = ctx;
    return ++*count == 2 ? FX_E_IO : FX_OK;
}

static void callback_stops_reading(void **state)
{
    (void)state;
    int count = 0;
    fx_diags *d = fx_diags_new();
    fx_status st = fx_csvin_read_mem("a\nb\nc\nd\n", 8, 0, "t.csv", stop_at_second, &count, d);
    assert_int_equal(st, FX_E_IO);
    assert_int_equal(count, 2);
    fx_diags_free(d);
}

static void missing_file(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    fx_status st = fx_csvin_read("/nonexistent/x.csv", "x.csv", stop_at_second, NULL, d);
    assert_int_equal(st, FX_E_NOINPUT);
    assert_string_equal(fx_diags_message(d, 0),
                        "fxbook: error: cannot open /nonexistent/x.csv: No such file or directory");
    fx_diags_free(d);
}

static void long_field_rejected(void **state)
{
    (void)state;
    size_t n = FX_CSVIN_MAX_FIELD + 10;
    char *buf = test_malloc(n);
    memset(buf, 'x', n);
    buf[0] = 'a';
    buf[1] = ',';
    sink s = {{0}};
    fx_diags *d = fx_diags_new();
    fx_status st = fx_csvin_read_mem(buf, n, 0, "t.csv", collect, &s, d);
    assert_int_equal(st, FX_E_DATA);
    assert_string_equal(fx_diags_message(d, 0), "t.csv:1:3: error: field longer than 131072 bytes");
    fx_diags_free(d);
    test_free(buf);
}

/* Where a last record without a line end starts, in every chunk size. */
static void unterminated(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        unsigned long line, col; /* 0: none */
    } ends[] = {
        {"a,b\nc,d", 2, 1},
        {"a,b\n", 0, 0},
        {"a,b\r\n", 0, 0},
        {"a,b\r", 0, 0},
        {"a,b\n\n\n", 0, 0},
        {"a,b\nc,", 2, 1},
        {"a,b\n,c", 2, 1},
        {"a,b\n\"c\nd\"", 2, 1},
        {"a,b\n\"c\nd\",e", 2, 1},
        {"\xEF\xBB\xBF" "a", 1, 1},
        {"a,b\n\n  x", 3, 1},
        {"", 0, 0},
        {"a,\"b\n", 0, 0}, /* an unterminated quote: reported, nothing more said */
    };
    for (size_t i = 0; i < N(ends); i++) {
        size_t len = strlen(ends[i].in);
        print_message("case: %zu\n", i);
        for (size_t chunk = 0; chunk <= len; chunk++) {
            fx_pos cut = {"junk", 99, 99};
            fx_csvin_opts o = {.unterminated = &cut};
            sink s = {{0}};
            fx_diags *d = fx_diags_new();
            fx_csvin_read_mem_opts(ends[i].in, len, chunk, "t.csv", collect, &s, &o, d);
            if (ends[i].line == 0) {
                assert_null(cut.file);
            } else {
                assert_string_equal(cut.file, "t.csv");
                assert_int_equal(cut.line, ends[i].line);
                assert_int_equal(cut.col, ends[i].col);
            }
            fx_diags_free(d);
        }
    }
}

/* A file read in 64 KB chunks whose last line has no line end: the last
 * field arrives whole, and where that line starts is told. */
static void unterminated_file(void **state)
{
    (void)state;
    char path[] = "/tmp/fxbook-csvin-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    unsigned long lines = 0;
    for (; lines < 9000; lines++) /* 9000 x 12 bytes: past one 64 KB chunk */
        fputs("abc,1.234567\n", f);
    fputs("last,6.9358", f);
    fclose(f);
    fx_pos cut = {0};
    fx_csvin_opts o = {.unterminated = &cut};
    sink s = {{0}};
    fx_diags *d = fx_diags_new();
    assert_int_equal(fx_csvin_read_opts(path, "t.csv", keep_last, &s, &o, d), FX_OK);
    assert_string_equal(s.out, "9001:1=last|9001:6=6.9358|\n");
    assert_int_equal(cut.line, 9001);
    assert_int_equal(cut.col, 1);
    fx_diags_free(d);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(callback_stops_reading),
        cmocka_unit_test(missing_file),
        cmocka_unit_test(long_field_rejected),
        cmocka_unit_test(unterminated),
        cmocka_unit_test(unterminated_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
