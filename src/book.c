/* book - the XLSX workbook of SPEC 6 with libxlsxwriter in constant_memory
 * mode. Invariant: rows reach each sheet strictly in order, so nothing
 * per fact stays in memory: Facts rows are written as facts stream in
 * (continuing on "Facts (2)", ... past Excel's row limit), Conversions
 * rows are spilled to a spool (an unlinked temporary file beside the
 * output, spool.h) and replayed at close (the sheet must come after the
 * last Facts sheet), and Summary, Comparison, Rates and Sources are
 * written at close from the aggregates. Rates rows are assigned at first
 * use, so a Facts formula can cite a rate cell before the Rates sheet
 * exists. Every libxlsxwriter return code is checked, and what it does not
 * report (its temporary files' writes, its own stderr lines) is checked
 * here: nothing is cut or dropped silently. */
#include "book.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "date.h"
#include "facts.h"
#include "mem.h"
#include "outfile.h"
#include "spool.h"

#define XL_ROWS 1048576UL      /* rows per sheet, the header row included */
#define XL_COLS 16384U         /* columns per sheet */
#define LIST_MAX 1000          /* Summary rows per finding list */
#define CHART_CLAIMS_MAX 100   /* categories in the Summary chart */
#define CHART_SERIES_MAX 255   /* Excel's limit of series per chart */
#define SHOWN_PLACES_MAX 15    /* decimals a number format shows at most */
#define EXCEL_EPOCH_OFFSET 25569 /* Excel serial of 1970-01-01 */
#define EXCEL_FIRST_SERIAL 61  /* 1900-03-01: earlier serials hit Excel's 1900 leap bug */
/* libxlsxwriter stamps the wall clock when `created` is 0; without
 * SOURCE_DATE_EPOCH the file says 1980-01-01T00:00:00Z (the ZIP epoch). */
#define DEFAULT_CREATED 315532800
/* Out of memory in here says where (mem.h). */
#define WHERE "writing the workbook"

typedef struct {
    const char *name;
    double width;
} col_spec;

/* A sheet that may continue on "<base> (2)", "<base> (3)", ... */
typedef struct {
    lxw_worksheet *ws;
    const char *base;
    unsigned part;         /* 1 for the first sheet */
    lxw_row_t row;         /* next row to write */
    const col_spec *cols;  /* header */
    size_t ncols;
    lxw_col_t verdict_col; /* (lxw_col_t)-1: none */
    lxw_col_t freeze_col;
} sheet;

/* One audited conversion as spilled: a spool record of this (binary, read
 * back by this process only), then the S_N strings, one field each. */
typedef struct {
    fx_day valuation, rate_day;
    int32_t verdict;
    uint8_t priced, has_dev, amount_places, reported_places;
    uint8_t inv[2];
    uint32_t leg[2]; /* Rates slot + 1; 0: none */
    double amount, reported, computed, exact, deviation;
} spill_rec;

enum { S_FACT_ID, S_CLAIM, S_SOURCE, S_UNIT, S_REP_UNIT, S_DAYS, S_N };

struct fx_book {
    lxw_workbook *wb;
    const fx_book_info *info;
    fx_diags *d;
    fx_status st; /* first failure: every later call returns it */
    char *dir;    /* the output's directory: libxlsxwriter's and our temporary files */
    fx_arena *strings;
    unsigned long max_rows;

    lxw_worksheet *summary, *comparison;
    sheet facts;
    col_spec *facts_cols;
    size_t ntargets;

    lxw_format *f_head, *f_title, *f_bold, *f_date, *f_money, *f_unrounded, *f_pct, *f_int,
        *f_bad, *f_warn, *f_bn, *f_mn;
    lxw_format *f_places[SHOWN_PLACES_MAX + 1]; /* "#,##0.000": created on demand */

    uint32_t *rate_slot; /* fx_rate.id -> first-use index + 1; 0: unused */
    const fx_rate **used;
    size_t nrates, nused;

    fx_spool *spill;
    size_t nspilled, ninconsistent;
    int hush_rd, hush_wr, hush_saved; /* see hush; -1: none */

    char *buf; /* scratch for text cells */
    size_t cap;
    char *sbuf; /* a spilled record's matching days while it is built */
    size_t scap;
    char *options; /* every option in full, for Summary and the properties */
    char *nbuf; /* a file name as shown (not buf: put_text uses that) */
    size_t ncap;
    fx_dec tmp;
    fx_ratio r1, r2;
};

/* ---- errors ---- */

static fx_status status_of(lxw_error e)
{
    switch (e) {
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_PARAMETER_ERROR:
    case LXW_ERROR_ZIP_BAD_ZIP_FILE:
    case LXW_ERROR_ZIP_INTERNAL_ERROR:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        return FX_E_IO;
    default:
        return FX_E_INTERNAL;
    }
}

static bool fail(fx_book *b, fx_status st, const char *what, const char *why)
{
    size_t n = strlen(why);
    while (n > 0 && why[n - 1] == '.') /* lxw_strerror ends with one; ours do not */
        n--;
    if (b->st == FX_OK)
        b->st = fx_diag_status(b->d, st, (fx_pos){0}, "%s: %s: %.*s",
                               b->info->output ? b->info->output : "workbook", what, (int)n, why);
    return false;
}

/* Turns a libxlsxwriter error at a cell into a diagnostic. */
static bool cell_ok(fx_book *b, lxw_error e, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c)
{
    if (e == LXW_NO_ERROR)
        return true;
    char cell[32], what[96];
    lxw_rowcol_to_cell(cell, r, c);
    snprintf(what, sizeof what, "cannot write %s!%s", ws->name, cell);
    return fail(b, status_of(e), what, lxw_strerror(e));
}

static bool lxw_ok(fx_book *b, lxw_error e, const char *what)
{
    return e == LXW_NO_ERROR || fail(b, status_of(e), what, lxw_strerror(e));
}

/* libxlsxwriter prints some failures itself ("[ERROR] workbook_close():
 * Zip ZIP_ERRNO error ...", "[ERROR] ... Error creating tmpfile()"). Around
 * the calls that can, standard error goes to a pipe; the library's lines
 * (they start with '[') become part of fxbook's own message, SPEC 8's "a
 * library's message is never shown without fxbook's context"; any other
 * line (another thread's) is passed on. The pipe and the saved standard
 * error are made once, at open: when descriptors run out is exactly when
 * the library has something to say. Out of memory meanwhile still reaches
 * the real standard error (fx_mem_error_fd). */
typedef struct {
    bool on;
    int mem_fd;
    char said[512]; /* the library's lines, "; "-joined; "" if none */
} hush;

/* False only when descriptors ran out (errno set); a closed standard
 * error needs no hushing. */
static bool hush_open(fx_book *b)
{
    b->hush_rd = b->hush_wr = b->hush_saved = -1;
    if (fcntl(STDERR_FILENO, F_GETFD) < 0) /* closed: the library's words go nowhere anyway */
        return true;
    int p[2];
    if (pipe(p) != 0)
        return false;
    /* non-blocking: a library that says more than the pipe holds loses the rest, never hangs */
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    b->hush_rd = p[0];
    b->hush_wr = p[1];
    b->hush_saved = dup(STDERR_FILENO);
    return b->hush_saved >= 0;
}

static void hush_close(fx_book *b)
{
    int fds[] = {b->hush_rd, b->hush_wr, b->hush_saved};
    for (size_t i = 0; i < sizeof fds / sizeof *fds; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    b->hush_rd = b->hush_wr = b->hush_saved = -1;
}

static void hush_begin(fx_book *b, hush *h)
{
    h->said[0] = '\0';
    h->on = false;
    if (b->hush_saved < 0)
        return;
    fflush(stderr);
    if (dup2(b->hush_wr, STDERR_FILENO) < 0)
        return;
    h->on = true;
    h->mem_fd = fx_mem_error_fd(b->hush_saved);
}

static void hush_end(fx_book *b, hush *h)
{
    if (!h->on)
        return;
    fflush(stderr);
    dup2(b->hush_saved, STDERR_FILENO);
    fx_mem_error_fd(h->mem_fd);
    char buf[8192];
    size_t n = 0;
    for (ssize_t k; n < sizeof buf - 1 && (k = read(b->hush_rd, buf + n, sizeof buf - 1 - n)) > 0;)
        n += (size_t)k;
    while (read(b->hush_rd, buf + n, sizeof buf - 1 - n) > 0) /* drain what did not fit */
        ;
    buf[n] = '\0';
    size_t used = 0;
    for (char *line = buf, *end; *line; line = end) {
        end = strchr(line, '\n');
        end = end ? end + 1 : line + strlen(line);
        size_t len = (size_t)(end - line);
        if (line[0] != '[') {
            (void)!write(STDERR_FILENO, line, len);
            continue;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '.'))
            len--;
        int k = snprintf(h->said + used, sizeof h->said - used, "%s%.*s", used ? "; " : "",
                         (int)len, line);
        used = k > 0 && (size_t)k < sizeof h->said - used ? used + (size_t)k : used;
    }
}

/* After a hushed call: what the library said, if anything, is a failure
 * even when it returned success (it prints, then goes on without the cell
 * or file it could not make). */
static bool hush_ok(fx_book *b, const hush *h, fx_status st, const char *what)
{
    return h->said[0] == '\0' || fail(b, st, what, h->said);
}

/* ---- cells ---- */

static char *grow(char **buf, size_t *cap, size_t n)
{
    if (n > *cap) {
        *cap = n > 2 * *cap ? n : 2 * *cap;
        *buf = fx_xrealloc(*buf, *cap);
    }
    return *buf;
}

static char *scratch(fx_book *b, size_t n)
{
    return grow(&b->buf, &b->cap, n);
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

static bool is_xescape(const char *s, size_t i, size_t len)
{
    if (i + 7 > len || s[i] != '_' || (s[i + 1] != 'x' && s[i + 1] != 'X') || s[i + 6] != '_')
        return false;
    return is_hex(s[i + 2]) && is_hex(s[i + 3]) && is_hex(s[i + 4]) && is_hex(s[i + 5]);
}

/* U+FFFE or U+FFFF (EF BF BE, EF BF BF): the only characters valid UTF-8
 * text can hold that XML 1.0 cannot (control characters libxlsxwriter
 * writes as _xHHHH_). memchr keeps the common case a vector scan. */
static bool has_nonchar(const char *s, size_t len)
{
    const char *end = s + len;
    for (const char *p = memchr(s, 0xEF, len); p; p = memchr(p + 1, 0xEF, (size_t)(end - p - 1)))
        if ((size_t)(p - s) + 2 < len && (unsigned char)p[1] == 0xBF &&
            ((unsigned char)p[2] == 0xBE || (unsigned char)p[2] == 0xBF))
            return true;
    return false;
}

/* Length of the valid UTF-8 character at s (strict: no overlong form, no
 * surrogate, at most U+10FFFF) that XML 1.0 can carry (not U+FFFE or
 * U+FFFF), or 0. */
static size_t xml_char_len(const unsigned char *s, size_t left)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xC2 && c <= 0xDF   ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    if (n == 0 || n > left)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] > 0x8F))
        return 0; /* overlong, surrogate, beyond U+10FFFF */
    if (c == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
        return 0;
    return n;
}

/* A file name as the user gave it, where every byte that is not part of
 * a character XML can hold shows as \xHH (upper-case hex, SPEC 6): a name
 * is bytes, a cell is text. */
static const char *shown_name(fx_book *b, const char *name)
{
    size_t len = strlen(name);
    char *t = grow(&b->nbuf, &b->ncap, 4 * len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t k = xml_char_len((const unsigned char *)name + i, len - i);
        if (k) {
            memcpy(t + n, name + i, k);
            n += k;
            i += k;
        } else {
            static const char hex[] = "0123456789ABCDEF";
            unsigned char c = (unsigned char)name[i++];
            t[n++] = '\\';
            t[n++] = 'x';
            t[n++] = hex[c >> 4];
            t[n++] = hex[c & 15];
        }
    }
    t[n] = '\0';
    return t;
}

/* Text exactly as given. libxlsxwriter writes it as an inline string,
 * never a formula, and escapes control characters as _xHHHH_; a literal
 * "_xHHHH_" in the text would be decoded by Excel, so its '_' is escaped
 * as _x005F_ first (the OOXML rule). Empty text leaves the cell blank. */
static void put_text(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                     size_t len, lxw_format *f)
{
    if (b->st != FX_OK || len == 0)
        return;
    if (has_nonchar(s, len)) { /* the input checks refuse them: never reached, never written */
        char cell[32], what[96];
        lxw_rowcol_to_cell(cell, r, c);
        snprintf(what, sizeof what, "cannot write %s!%s", ws->name, cell);
        fail(b, FX_E_INTERNAL, what, "the text holds U+FFFE or U+FFFF, which XML cannot carry");
        return;
    }
    size_t extra = 0;
    for (const char *u = memchr(s, '_', len); u; u = memchr(u + 1, '_', len - (size_t)(u + 1 - s)))
        extra += is_xescape(s, (size_t)(u - s), len) ? 6 : 0;
    if (extra == 0) { /* nearly every text: as it is (s[len] is its NUL) */
        cell_ok(b, worksheet_write_string(ws, r, c, s, f), ws, r, c);
        return;
    }
    char *t = scratch(b, len + extra + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (extra && is_xescape(s, i, len)) {
            memcpy(t + n, "_x005F", 6);
            n += 6;
        }
        t[n++] = s[i];
    }
    t[n] = '\0';
    cell_ok(b, worksheet_write_string(ws, r, c, t, f), ws, r, c);
}

static void put_str(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                    lxw_format *f)
{
    put_text(b, ws, r, c, s, strlen(s), f);
}

static void put_num(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v,
                    lxw_format *f)
{
    if (b->st != FX_OK)
        return;
    if (!isfinite(v)) {
        char cell[32], what[96];
        lxw_rowcol_to_cell(cell, r, c);
        snprintf(what, sizeof what, "cannot write %s!%s", ws->name, cell);
        fail(b, FX_E_INTERNAL, what, "the value is beyond the range of a spreadsheet number");
        return;
    }
    cell_ok(b, worksheet_write_number(ws, r, c, v, f), ws, r, c);
}

static void put_formula(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                        const char *formula, double cached, lxw_format *f)
{
    if (b->st != FX_OK)
        return;
    if (!isfinite(cached)) {
        put_num(b, ws, r, c, cached, f); /* reports it */
        return;
    }
    cell_ok(b, worksheet_write_formula_num(ws, r, c, formula, f, cached), ws, r, c);
}

/* A date as an Excel date number shown yyyy-mm-dd; before 1900-03-01,
 * where Excel's serials are wrong, as ISO text. */
static void put_day(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, fx_day day)
{
    long serial = (long)day + EXCEL_EPOCH_OFFSET;
    if (serial >= EXCEL_FIRST_SERIAL) {
        put_num(b, ws, r, c, (double)serial, b->f_date);
    } else {
        char iso[11];
        fx_date_format(day, iso);
        put_str(b, ws, r, c, iso, NULL);
    }
}

static lxw_format *places_format(fx_book *b, long places)
{
    if (places < 0)
        places = 0;
    if (places > SHOWN_PLACES_MAX)
        places = SHOWN_PLACES_MAX;
    if (!b->f_places[places]) {
        char num[32] = "#,##0";
        if (places > 0) {
            size_t n = strlen(num);
            num[n++] = '.';
            for (long i = 0; i < places; i++)
                num[n++] = '0';
            num[n] = '\0';
        }
        lxw_format *f = workbook_add_format(b->wb);
        format_set_num_format(f, num);
        b->f_places[places] = f;
    }
    return b->f_places[places];
}

/* An exact decimal: the nearest double, shown with its own places. */
static void put_dec(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const fx_dec *v,
                    lxw_format *f)
{
    put_num(b, ws, r, c, fx_dec_to_double(v), f ? f : places_format(b, -v->exp));
}

/* The exact digits as text, only when a double cannot carry them. */
static void put_exact(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const fx_dec *v)
{
    if (!fx_dec_exceeds_double(v))
        return;
    char s[FX_DEC_STR_MAX];
    if (fx_dec_to_str(v, s, sizeof s) < 0) {
        fail(b, FX_E_INTERNAL, "exact value", "too many digits");
        return;
    }
    put_str(b, ws, r, c, s, NULL);
}

/* Plain decimal of a rate, exact, without GMP. */
static bool small_to_str(fx_small s, char *buf, size_t n)
{
    char digits[32];
    unsigned long long m = s.coef < 0 ? 0ULL - (unsigned long long)s.coef : (unsigned long long)s.coef;
    int nd = snprintf(digits, sizeof digits, "%llu", m);
    size_t k = 0;
    if (s.coef < 0 && m != 0) {
        if (k + 1 >= n)
            return false;
        buf[k++] = '-';
    }
    if (s.exp >= 0) {
        if (k + (size_t)nd + (size_t)s.exp + 1 > n)
            return false;
        memcpy(buf + k, digits, (size_t)nd);
        k += (size_t)nd;
        for (int32_t i = 0; i < s.exp && m != 0; i++)
            buf[k++] = '0';
    } else {
        size_t frac = (size_t)-(int64_t)s.exp;
        size_t intd = (size_t)nd > frac ? (size_t)nd - frac : 0;
        size_t lead = (size_t)nd > frac ? 0 : frac - (size_t)nd; /* zeros after the point */
        if (k + (intd ? intd : 1) + 1 + frac + 1 > n)
            return false;
        if (intd) {
            memcpy(buf + k, digits, intd);
            k += intd;
        } else {
            buf[k++] = '0';
        }
        buf[k++] = '.';
        for (size_t i = 0; i < lead; i++)
            buf[k++] = '0';
        memcpy(buf + k, digits + intd, (size_t)nd - intd);
        k += (size_t)nd - intd;
    }
    buf[k] = '\0';
    return true;
}

/* ---- sheets ---- */

static lxw_worksheet *add_sheet(fx_book *b, const char *name)
{
    if (b->st != FX_OK)
        return NULL;
    hush h;
    hush_begin(b, &h);
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
    hush_end(b, &h);
    char what[64];
    snprintf(what, sizeof what, "cannot add sheet \"%s\"", name);
    if (!hush_ok(b, &h, FX_E_IO, what))
        return NULL;
    if (!ws)
        fail(b, FX_E_IO, what, "cannot create its temporary file");
    return ws;
}

/* Printing: landscape; a list repeats its header row on every page. */
static void print_setup(fx_book *b, lxw_worksheet *ws, bool one_page_wide, bool header)
{
    worksheet_set_landscape(ws);
    if (one_page_wide)
        worksheet_fit_to_pages(ws, 1, 0);
    if (header)
        lxw_ok(b, worksheet_repeat_rows(ws, 0, 0), "print titles");
}

static void header_row(fx_book *b, lxw_worksheet *ws, const col_spec *cols, size_t n,
                       lxw_col_t freeze_col)
{
    for (size_t i = 0; i < n && b->st == FX_OK; i++) {
        lxw_col_t c = (lxw_col_t)i;
        lxw_ok(b, worksheet_set_column(ws, c, c, cols[i].width, NULL), "column width");
        put_str(b, ws, 0, c, cols[i].name, b->f_head);
    }
    worksheet_freeze_panes(ws, 1, freeze_col);
    print_setup(b, ws, ws == b->comparison || n <= 8, true);
}

static void highlight(fx_book *b, lxw_worksheet *ws, lxw_row_t r0, lxw_row_t r1, lxw_col_t c,
                      const char *word, lxw_format *f)
{
    if (b->st != FX_OK || r1 < r0)
        return;
    char quoted[32];
    snprintf(quoted, sizeof quoted, "\"%s\"", word);
    lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_CELL,
                                 .criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
                                 .value_string = quoted,
                                 .format = f};
    lxw_ok(b, worksheet_conditional_format_range(ws, r0, c, r1, c, &cf), "conditional format");
}

static bool sheet_start(fx_book *b, sheet *s)
{
    char name[40];
    if (s->part == 1)
        snprintf(name, sizeof name, "%s", s->base);
    else
        snprintf(name, sizeof name, "%s (%u)", s->base, s->part);
    s->ws = add_sheet(b, name);
    if (!s->ws)
        return false;
    header_row(b, s->ws, s->cols, s->ncols, s->freeze_col);
    if (s->verdict_col != (lxw_col_t)-1) {
        lxw_row_t last = (lxw_row_t)(b->max_rows - 1);
        highlight(b, s->ws, 1, last, s->verdict_col, "disagree", b->f_bad);
        highlight(b, s->ws, 1, last, s->verdict_col, "inconsistent", b->f_bad);
        highlight(b, s->ws, 1, last, s->verdict_col, "close", b->f_warn);
    }
    s->row = 1;
    return b->st == FX_OK;
}

/* The autofilter spans the rows written, known only when the sheet ends. */
static void sheet_end(fx_book *b, sheet *s)
{
    if (!s->ws || b->st != FX_OK)
        return;
    lxw_row_t last = s->row > 1 ? s->row - 1 : 0;
    lxw_ok(b, worksheet_autofilter(s->ws, 0, 0, last, (lxw_col_t)(s->ncols - 1)), "autofilter");
}

static void sheet_init(sheet *s, const char *base, const col_spec *cols, size_t n,
                       lxw_col_t verdict_col, lxw_col_t freeze_col)
{
    memset(s, 0, sizeof *s);
    s->base = base;
    s->part = 1;
    s->cols = cols;
    s->ncols = n;
    s->verdict_col = verdict_col;
    s->freeze_col = freeze_col;
}

/* The row to write next, continuing on a new sheet at Excel's limit. */
static bool sheet_next_row(fx_book *b, sheet *s, lxw_row_t *row)
{
    if (b->st != FX_OK)
        return false;
    if (!s->ws && !sheet_start(b, s))
        return false;
    if (s->row >= b->max_rows) {
        sheet_end(b, s);
        s->part++;
        if (!sheet_start(b, s))
            return false;
    }
    *row = s->row++;
    return true;
}

#define NOCOL ((lxw_col_t)-1)
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- rates ---- */

enum { R_DATE, R_BASE, R_QUOTE, R_RATE, R_EXACT, R_FILE, R_LINE };
static const col_spec rates_cols[] = {
    {"date", 11}, {"base", 6}, {"quote", 6}, {"rate", 14}, {"rate_exact", 20},
    {"file", 40}, {"line", 8},
};

/* The Rates slot of r, assigned at first use. */
static size_t rate_use(fx_book *b, const fx_rate *r)
{
    if (r->id >= b->nrates) {
        fail(b, FX_E_INTERNAL, "rates", "rate id out of range");
        return 0;
    }
    if (!b->rate_slot[r->id]) {
        b->used[b->nused] = r;
        b->rate_slot[r->id] = (uint32_t)++b->nused;
    }
    return b->rate_slot[r->id] - 1;
}

/* Appends to f the reference of a Rates slot's rate cell. */
static void rate_ref(const fx_book *b, size_t slot, char *f, size_t n)
{
    size_t per = b->max_rows - 1;
    size_t part = slot / per + 1;
    unsigned long row = (unsigned long)(slot % per) + 2; /* 1-based, after the header */
    size_t k = strlen(f);
    if (part == 1)
        snprintf(f + k, n - k, "Rates!$D$%lu", row);
    else
        snprintf(f + k, n - k, "'Rates (%zu)'!$D$%lu", part, row);
}

/* "=M5*Rates!$D$7/Rates!$D$9": the amount cell times each leg, an inverted
 * leg divided. Checks that the legs give the rate used (num/den). */
static bool rate_formula(fx_book *b, const fx_priced *p, lxw_row_t row, lxw_col_t amount_col,
                         char *f, size_t n, uint32_t legs[2], uint8_t inv[2])
{
    char cell[32];
    lxw_rowcol_to_cell(cell, row, amount_col);
    snprintf(f, n, "=%s", cell);
    fx_ratio_set_small(&b->r1, (fx_small){1, 0});
    for (int i = 0; i < 2; i++) {
        if (legs)
            legs[i] = 0, inv[i] = 0;
        const fx_rate *leg = p->leg[i];
        if (!leg)
            continue;
        size_t slot = rate_use(b, leg);
        size_t k = strlen(f);
        snprintf(f + k, n - k, "%c", p->inverse[i] ? '/' : '*');
        rate_ref(b, slot, f, n);
        fx_ratio_set_small(&b->r2, leg->value);
        if (p->inverse[i])
            fx_ratio_div(&b->r1, &b->r1, &b->r2);
        else
            fx_ratio_mul(&b->r1, &b->r1, &b->r2);
        if (legs)
            legs[i] = (uint32_t)slot + 1, inv[i] = p->inverse[i];
    }
    /* r1 must equal num / den, or the formula would not recompute the amount */
    fx_ratio_set_small(&b->r2, p->den);
    fx_ratio_mul(&b->r1, &b->r1, &b->r2);
    fx_ratio_set_small(&b->r2, p->num);
    if (fx_ratio_cmp(&b->r1, &b->r2) != 0)
        return fail(b, FX_E_INTERNAL, "formula", "the rate legs do not give the rate used");
    return b->st == FX_OK;
}

static void write_rates(fx_book *b)
{
    sheet s;
    sheet_init(&s, "Rates", rates_cols, N(rates_cols), NOCOL, 0);
    if (!sheet_start(b, &s))
        return;
    for (size_t i = 0; i < b->nused && b->st == FX_OK; i++) {
        const fx_rate *r = b->used[i];
        lxw_row_t row;
        if (!sheet_next_row(b, &s, &row))
            break;
        char v[FX_DEC_STR_MAX];
        if (!small_to_str(r->value, v, sizeof v)) {
            fail(b, FX_E_INTERNAL, "rates", "rate too long");
            break;
        }
        put_day(b, s.ws, row, R_DATE, r->day);
        put_str(b, s.ws, row, R_BASE, r->base.s, NULL);
        put_str(b, s.ws, row, R_QUOTE, r->quote.s, NULL);
        fx_ratio_set_small(&b->r1, r->value);
        put_num(b, s.ws, row, R_RATE, fx_ratio_to_double(&b->r1), NULL);
        put_str(b, s.ws, row, R_EXACT, v, NULL);
        put_str(b, s.ws, row, R_FILE, shown_name(b, r->file ? r->file : ""), NULL);
        put_num(b, s.ws, row, R_LINE, (double)r->line, NULL);
    }
    sheet_end(b, &s);
}

/* ---- Facts ---- */

enum {
    F_ID, F_ENTITY, F_CLAIM, F_SOURCE, F_PUBLISHED, F_AS_OF, F_VALUATION, F_VALUE, F_SCALE,
    F_UNIT, F_CODE, F_QUAL, F_AMOUNT, F_TARGETS
};
static const col_spec facts_lead[F_TARGETS] = {
    {"fact_id", 14}, {"entity", 14}, {"claim", 30}, {"source", 18}, {"published", 11},
    {"as_of", 11}, {"valuation_date", 14}, {"value", 10}, {"scale", 9}, {"unit", 7},
    {"unit_code", 9}, {"qualifier", 9}, {"amount", 20},
};
/* after the targets */
enum { F_REP_VALUE, F_REP_SCALE, F_REP_UNIT, F_VERDICT, F_QUOTE, F_NOTE, F_VALUE_X, F_AMOUNT_X,
       F_REP_VALUE_X, F_TAIL };
static const col_spec facts_tail[F_TAIL] = {
    {"reported_value", 14}, {"reported_scale", 14}, {"reported_unit", 13}, {"verdict", 13},
    {"quote", 60},          {"note", 40},           {"value_exact", 24},   {"amount_exact", 24},
    {"reported_value_exact", 24},
};

static lxw_col_t tcol(const fx_book *b, size_t target, int k) /* k: 0 rounded, 1 formula, 2 date */
{
    (void)b;
    return (lxw_col_t)(F_TARGETS + 3 * target + (size_t)k);
}
static lxw_col_t tail(const fx_book *b, int k)
{
    return (lxw_col_t)(F_TARGETS + 3 * b->ntargets + (size_t)k);
}
static lxw_col_t texact(const fx_book *b, size_t target)
{
    return (lxw_col_t)(F_TARGETS + 3 * b->ntargets + F_TAIL + target);
}

static void facts_columns(fx_book *b)
{
    size_t n = F_TARGETS + 4 * b->ntargets + F_TAIL;
    col_spec *c = fx_xcalloc(n, sizeof *c);
    memcpy(c, facts_lead, sizeof facts_lead);
    for (size_t i = 0; i < b->ntargets; i++) {
        const char *t = b->info->conv->targets[i].s;
        char name[48];
        snprintf(name, sizeof name, "amount_%s", t);
        c[tcol(b, i, 0)] = (col_spec){fx_arena_strndup(b->strings, name, strlen(name)), 20};
        snprintf(name, sizeof name, "amount_%s_unrounded", t);
        c[tcol(b, i, 1)] = (col_spec){fx_arena_strndup(b->strings, name, strlen(name)), 24};
        snprintf(name, sizeof name, "rate_date_%s", t);
        c[tcol(b, i, 2)] = (col_spec){fx_arena_strndup(b->strings, name, strlen(name)), 14};
        snprintf(name, sizeof name, "amount_%s_exact", t);
        c[texact(b, i)] = (col_spec){fx_arena_strndup(b->strings, name, strlen(name)), 24};
    }
    for (int k = 0; k < F_TAIL; k++)
        c[tail(b, k)] = facts_tail[k];
    b->facts_cols = c;
    sheet_init(&b->facts, "Facts", c, n, tail(b, F_VERDICT), 1);
}

static void put_fx_text(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, fx_text t)
{
    put_text(b, ws, r, c, t.s, t.len, NULL);
}

static void facts_row(fx_book *b, const fx_converted *c, const fx_check *k)
{
    const fx_fact *f = c->fact;
    lxw_row_t r;
    if (!sheet_next_row(b, &b->facts, &r))
        return;
    lxw_worksheet *ws = b->facts.ws;
    put_fx_text(b, ws, r, F_ID, f->fact_id);
    put_fx_text(b, ws, r, F_ENTITY, f->entity);
    put_fx_text(b, ws, r, F_CLAIM, f->claim);
    put_fx_text(b, ws, r, F_SOURCE, f->source);
    put_day(b, ws, r, F_PUBLISHED, f->published);
    if (f->has_as_of)
        put_day(b, ws, r, F_AS_OF, f->as_of);
    put_day(b, ws, r, F_VALUATION, c->valuation);
    put_dec(b, ws, r, F_VALUE, &f->fig.value, NULL);
    put_str(b, ws, r, F_SCALE, fx_scale_name(f->fig.scale), NULL);
    put_fx_text(b, ws, r, F_UNIT, f->fig.unit);
    put_str(b, ws, r, F_CODE,
            f->fig.kind == FX_KIND_MONEY ? f->fig.ccy.s : fx_kind_name(f->fig.kind), NULL);
    put_str(b, ws, r, F_QUAL, fx_qual_name(f->qual), NULL);
    put_dec(b, ws, r, F_AMOUNT, &c->amount, NULL);
    for (size_t i = 0; i < c->nconv && i < b->ntargets; i++) {
        const fx_conv *v = &c->conv[i];
        char formula[256];
        put_dec(b, ws, r, tcol(b, i, 0), &v->rounded, b->f_money);
        if (rate_formula(b, &v->priced, r, F_AMOUNT, formula, sizeof formula, NULL, NULL))
            put_formula(b, ws, r, tcol(b, i, 1), formula, fx_ratio_to_double(&v->exact),
                        b->f_unrounded);
        put_day(b, ws, r, tcol(b, i, 2), v->priced.day);
        put_exact(b, ws, r, texact(b, i), &v->rounded);
    }
    if (f->has_reported) {
        put_dec(b, ws, r, tail(b, F_REP_VALUE), &f->reported.value, NULL);
        put_str(b, ws, r, tail(b, F_REP_SCALE), fx_scale_name(f->reported.scale), NULL);
        put_fx_text(b, ws, r, tail(b, F_REP_UNIT), f->reported.unit);
        put_exact(b, ws, r, tail(b, F_REP_VALUE_X), &f->reported.value);
    }
    if (k && k->present)
        put_str(b, ws, r, tail(b, F_VERDICT), fx_verdict_name(k->verdict), NULL);
    put_fx_text(b, ws, r, tail(b, F_QUOTE), f->quote);
    put_fx_text(b, ws, r, tail(b, F_NOTE), f->note);
    put_exact(b, ws, r, tail(b, F_VALUE_X), &f->fig.value);
    put_exact(b, ws, r, tail(b, F_AMOUNT_X), &c->amount);
}

/* ---- Conversions: spilled, replayed at close ---- */

enum { C_ID, C_CLAIM, C_SOURCE, C_VALUATION, C_AMOUNT, C_UNIT, C_REPORTED, C_REP_UNIT,
       C_COMPUTED, C_UNROUNDED, C_DEVIATION, C_VERDICT, C_RATE_DATE, C_DAYS };
static const col_spec conv_cols[] = {
    {"fact_id", 14},         {"claim", 30},           {"source", 18},
    {"valuation_date", 14},  {"amount", 20},          {"unit", 6},
    {"reported_amount", 20}, {"reported_unit", 13},   {"computed_amount", 20},
    {"computed_unrounded", 24}, {"deviation_pct", 14}, {"verdict", 13},
    {"rate_date", 11},       {"matching_rate_dates", 40},
};

static long places_of(const fx_dec *v)
{
    long p = -v->exp;
    return p < 0 ? 0 : p > SHOWN_PLACES_MAX ? SHOWN_PLACES_MAX : p;
}

/* A spool failure, in the spool's words (they name the folder). */
static bool spill_failed(fx_book *b)
{
    const char *why = fx_spool_error(b->spill);
    return fail(b, FX_E_IO, "Conversions", why ? why : "a spilled row is not what was written");
}

static void spill_add(fx_book *b, const fx_converted *c, const fx_check *k)
{
    const fx_fact *f = c->fact;
    spill_rec rec;
    memset(&rec, 0, sizeof rec);
    rec.valuation = c->valuation;
    rec.verdict = (int32_t)k->verdict;
    rec.priced = k->priced;
    rec.amount = fx_dec_to_double(&c->amount);
    rec.amount_places = (uint8_t)places_of(&c->amount);
    rec.reported = fx_dec_to_double(&k->reported);
    rec.reported_places = (uint8_t)places_of(&k->reported);
    if (k->priced) {
        char formula[256];
        rec.rate_day = k->rate.day;
        rec.computed = fx_dec_to_double(&k->computed_rounded);
        rec.exact = fx_ratio_to_double(&k->computed);
        /* assigns the legs their Rates rows; the formula is rebuilt at replay */
        rate_formula(b, &k->rate, 0, C_AMOUNT, formula, sizeof formula, rec.leg, rec.inv);
        if (k->has_deviation) {
            rec.has_dev = 1;
            fx_ratio_round(&b->tmp, &k->deviation_pct, 4, FX_ROUND_HALF_EVEN);
            rec.deviation = fx_dec_to_double(&b->tmp);
        }
    }
    /* matching rate dates, "; "-joined */
    size_t dlen = k->ndays ? k->ndays * 12 - 2 : 0;
    char *days = grow(&b->sbuf, &b->scap, dlen + 1);
    days[0] = '\0';
    for (size_t i = 0; i < k->ndays; i++) {
        char iso[11];
        fx_date_format(k->days[i], iso);
        memcpy(days + 12 * i, iso, 10);
        if (i + 1 < k->ndays)
            memcpy(days + 12 * i + 10, "; ", 2);
    }
    fx_spool_field fields[1 + S_N] = {
        {&rec, sizeof rec},
        [1 + S_FACT_ID] = {f->fact_id.s, f->fact_id.len},
        [1 + S_CLAIM] = {f->claim.s, f->claim.len},
        [1 + S_SOURCE] = {f->source.s, f->source.len},
        [1 + S_UNIT] = {f->fig.ccy.s, strlen(f->fig.ccy.s)},
        [1 + S_REP_UNIT] = {k->reported_ccy.s, strlen(k->reported_ccy.s)},
        [1 + S_DAYS] = {days, dlen},
    };
    if (b->st != FX_OK)
        return;
    if (!fx_spool_put(b->spill, fields, 1 + S_N)) {
        spill_failed(b);
        return;
    }
    b->nspilled++;
    if (k->verdict == FX_V_INCONSISTENT)
        b->ninconsistent++;
}

/* Reads the next record; its strings live in the spool until the next call. */
static bool spill_read(fx_book *b, spill_rec *rec, const char *str[S_N])
{
    const fx_spool_field *f;
    size_t n;
    if (fx_spool_next(b->spill, &f, &n) != 1 || n != 1 + S_N || f[0].len != sizeof *rec)
        return spill_failed(b);
    memcpy(rec, f[0].p, sizeof *rec);
    for (int i = 0; i < S_N; i++)
        str[i] = f[1 + i].p;
    return true;
}

static bool spill_rewind(fx_book *b)
{
    return fx_spool_rewind(b->spill) || spill_failed(b);
}

static void legs_formula(const fx_book *b, const spill_rec *rec, lxw_row_t row, char *f,
                         size_t n)
{
    char cell[32];
    lxw_rowcol_to_cell(cell, row, C_AMOUNT);
    snprintf(f, n, "=%s", cell);
    for (int i = 0; i < 2; i++) {
        if (!rec->leg[i])
            continue;
        size_t k = strlen(f);
        snprintf(f + k, n - k, "%c", rec->inv[i] ? '/' : '*');
        rate_ref(b, rec->leg[i] - 1, f, n);
    }
}

static void write_conversions(fx_book *b)
{
    sheet s;
    sheet_init(&s, "Conversions", conv_cols, N(conv_cols), C_VERDICT, 1);
    if (!sheet_start(b, &s) || !spill_rewind(b))
        return;
    for (size_t i = 0; i < b->nspilled && b->st == FX_OK; i++) {
        spill_rec rec;
        const char *str[S_N];
        lxw_row_t r;
        if (!spill_read(b, &rec, str) || !sheet_next_row(b, &s, &r))
            break;
        lxw_worksheet *ws = s.ws;
        put_str(b, ws, r, C_ID, str[S_FACT_ID], NULL);
        put_str(b, ws, r, C_CLAIM, str[S_CLAIM], NULL);
        put_str(b, ws, r, C_SOURCE, str[S_SOURCE], NULL);
        put_day(b, ws, r, C_VALUATION, rec.valuation);
        put_num(b, ws, r, C_AMOUNT, rec.amount, places_format(b, rec.amount_places));
        put_str(b, ws, r, C_UNIT, str[S_UNIT], NULL);
        put_num(b, ws, r, C_REPORTED, rec.reported, places_format(b, rec.reported_places));
        put_str(b, ws, r, C_REP_UNIT, str[S_REP_UNIT], NULL);
        if (rec.priced) {
            char formula[256];
            put_num(b, ws, r, C_COMPUTED, rec.computed, b->f_money);
            legs_formula(b, &rec, r, formula, sizeof formula);
            put_formula(b, ws, r, C_UNROUNDED, formula, rec.exact, b->f_unrounded);
            if (rec.has_dev)
                put_num(b, ws, r, C_DEVIATION, rec.deviation, b->f_pct);
            put_day(b, ws, r, C_RATE_DATE, rec.rate_day);
        }
        put_str(b, ws, r, C_VERDICT, fx_verdict_name((fx_verdict)rec.verdict), NULL);
        put_str(b, ws, r, C_DAYS, str[S_DAYS], NULL);
    }
    sheet_end(b, &s);
}

/* ---- Sources ---- */

static const col_spec source_cols[] = {
    {"source", 24}, {"published", 11}, {"facts", 8}, {"first_input", 40}};

static void write_sources(fx_book *b, const fx_audit *a)
{
    sheet s;
    sheet_init(&s, "Sources", source_cols, N(source_cols), NOCOL, 0);
    if (!sheet_start(b, &s))
        return;
    for (size_t i = 0; i < fx_audit_nsources(a) && b->st == FX_OK; i++) {
        const fx_source *src = fx_audit_source(a, i);
        lxw_row_t r;
        if (!sheet_next_row(b, &s, &r))
            break;
        put_str(b, s.ws, r, 0, src->source, NULL);
        put_day(b, s.ws, r, 1, src->published);
        put_num(b, s.ws, r, 2, (double)src->facts, b->f_int);
        if (src->first_input < b->info->ninputs)
            put_str(b, s.ws, r, 3, shown_name(b, b->info->inputs[src->first_input].name), NULL);
    }
    sheet_end(b, &s);
}

/* ---- Comparison ---- */

/* spread_pct = 100 (max - min) / min, 4 places half-even as in
 * comparison.csv; false when min <= 0. */
static bool spread_pct(fx_book *b, const fx_claim *cl, double *out)
{
    if (fx_ratio_sgn(&cl->min) <= 0)
        return false;
    fx_ratio_sub(&b->r1, &cl->max, &cl->min);
    fx_ratio_div(&b->r1, &b->r1, &cl->min);
    fx_ratio_mul_si(&b->r1, 100);
    fx_ratio_round(&b->tmp, &b->r1, 4, FX_ROUND_HALF_EVEN);
    *out = fx_dec_to_double(&b->tmp);
    return true;
}

/* Money in billions or millions where that is the claim's magnitude. */
static lxw_format *claim_format(fx_book *b, const fx_claim *cl)
{
    if (cl->kind != FX_KIND_MONEY)
        return NULL;
    double m = fabs(fx_ratio_to_double(&cl->max));
    return m >= 1e9 ? b->f_bn : m >= 1e6 ? b->f_mn : b->f_money;
}

static void claim_value(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                        const fx_claim *cl, const fx_ratio *v)
{
    lxw_format *f = claim_format(b, cl);
    if (!f) { /* not money: thousands separators when it is a whole number */
        fx_ratio_round(&b->tmp, v, 0, FX_ROUND_DOWN);
        if (fx_ratio_cmp_dec(v, &b->tmp) == 0)
            f = b->f_int;
    }
    put_num(b, ws, r, c, fx_ratio_to_double(v), f);
}

static void ids_comment(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                        const fx_claim_source *cs)
{
    if (cs->nids + cs->more < 2 || b->st != FX_OK)
        return;
    size_t n = 32;
    for (size_t i = 0; i < cs->nids; i++)
        n += strlen(cs->ids[i]) + 2;
    char *t = scratch(b, n);
    size_t k = (size_t)snprintf(t, n, "fact_ids: ");
    for (size_t i = 0; i < cs->nids; i++)
        k += (size_t)snprintf(t + k, n - k, "%s%s", i ? ", " : "", cs->ids[i]);
    if (cs->more) {
        char more[48];
        snprintf(more, sizeof more, " and %zu more", cs->more);
        t = scratch(b, k + strlen(more) + 1);
        memcpy(t + k, more, strlen(more) + 1);
    }
    cell_ok(b, worksheet_write_comment(ws, r, c, t), ws, r, c);
}

/* The claim rows are read back from the audit's spool, once per use; a
 * read failure is an I/O error, in the spool's words (they name the folder). */
static bool claims_failed(fx_book *b, const fx_audit *a)
{
    const char *why = fx_audit_read_error(a);
    return fail(b, FX_E_IO, "claim rows", why ? why : "the claim rows were not written");
}

static bool claims_rewind(fx_book *b, fx_audit *a)
{
    return fx_audit_rewind(a) || claims_failed(b, a);
}

static void claims_done(fx_book *b, const fx_audit *a)
{
    if (fx_audit_read_error(a))
        claims_failed(b, a);
}

static void cell_value(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                       const fx_claim_source *cs, lxw_format *f)
{
    put_num(b, ws, r, c, cs->first, f ? f : places_format(b, cs->first_places));
}

static void write_comparison(fx_book *b, fx_audit *a)
{
    lxw_worksheet *ws = b->comparison;
    size_t ns = fx_audit_nsources(a), nc = fx_audit_nclaims(a);
    enum { K_KIND, K_UNIT, K_FACTS, K_SOURCES, K_MIN, K_MAX, K_SPREAD, K_VERDICT, K_N };
    static const col_spec lead[] = {{"claim", 34}, {"entity", 14}};
    static const col_spec trail[K_N] = {{"kind", 9},    {"unit", 7},  {"facts", 7},
                                        {"sources", 8}, {"min", 18},  {"max", 18},
                                        {"spread_pct", 12}, {"verdict", 10}};
    size_t room = XL_COLS - N(lead) - K_N;
    size_t shown = ns < room ? ns : room;
    if (shown < ns)
        fx_diag_warn(b->d, (fx_pos){0},
                     "workbook: Comparison shows %zu of %zu sources (Excel's column limit); "
                     "comparison.csv has them all",
                     shown, ns);
    size_t ncols = N(lead) + shown + K_N;
    col_spec *cols = fx_xcalloc(ncols, sizeof *cols);
    memcpy(cols, lead, sizeof lead);
    for (size_t i = 0; i < shown; i++)
        cols[N(lead) + i] = (col_spec){fx_audit_source(a, i)->source, 16};
    memcpy(cols + N(lead) + shown, trail, sizeof trail);
    lxw_col_t t0 = (lxw_col_t)(N(lead) + shown);
    header_row(b, ws, cols, ncols, 1);
    free(cols);
    if (nc >= XL_ROWS) { /* it cannot continue: Facts follows it */
        char why[96];
        snprintf(why, sizeof why, "%zu claims do not fit in one sheet of %lu rows", nc, XL_ROWS);
        fail(b, FX_E_DATA, "Comparison", why);
        return;
    }
    if (!claims_rewind(b, a))
        return;
    const fx_claim *cl;
    for (size_t i = 0; b->st == FX_OK && (cl = fx_audit_next(a)); i++) {
        lxw_row_t r = (lxw_row_t)(i + 1);
        put_str(b, ws, r, 0, cl->claim, NULL);
        put_str(b, ws, r, 1, cl->entity ? cl->entity : "", NULL);
        for (size_t j = 0; j < cl->nsources; j++) {
            const fx_claim_source *cs = &cl->by_source[j];
            if (cs->source >= shown)
                continue;
            lxw_col_t c = (lxw_col_t)(N(lead) + cs->source);
            lxw_format *f = claim_format(b, cl);
            cell_value(b, ws, r, c, cs, f);
            ids_comment(b, ws, r, c, cs);
        }
        put_str(b, ws, r, t0 + K_KIND, fx_kind_name(cl->kind), NULL);
        put_str(b, ws, r, t0 + K_UNIT,
                cl->kind == FX_KIND_MONEY ? cl->unit_ccy.s : fx_kind_name(cl->kind), NULL);
        put_num(b, ws, r, t0 + K_FACTS, (double)cl->facts, b->f_int);
        put_num(b, ws, r, t0 + K_SOURCES, (double)cl->nsources, b->f_int);
        claim_value(b, ws, r, t0 + K_MIN, cl, &cl->min);
        claim_value(b, ws, r, t0 + K_MAX, cl, &cl->max);
        double sp;
        if (spread_pct(b, cl, &sp))
            put_num(b, ws, r, t0 + K_SPREAD, sp, b->f_pct);
        put_str(b, ws, r, t0 + K_VERDICT, fx_claim_verdict_name(cl->verdict), NULL);
    }
    claims_done(b, a);
    lxw_row_t last = (lxw_row_t)(nc > 0 ? nc : 0);
    lxw_ok(b, worksheet_autofilter(ws, 0, 0, last, (lxw_col_t)(ncols - 1)), "autofilter");
    highlight(b, ws, 1, (lxw_row_t)(b->max_rows - 1), t0 + K_VERDICT, "disagree", b->f_bad);
}

/* ---- Summary ---- */

typedef struct {
    fx_book *b;
    lxw_worksheet *ws;
    lxw_row_t r;
} summary;

static void sum_label(summary *s, const char *label, const char *value)
{
    put_str(s->b, s->ws, s->r, 0, label, s->b->f_bold);
    if (value)
        put_str(s->b, s->ws, s->r, 1, value, NULL);
    s->r++;
}

static void sum_heads(summary *s, const char *const *heads, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_str(s->b, s->ws, s->r, (lxw_col_t)i, heads[i], s->b->f_head);
    s->r++;
}

static void sum_count(summary *s, const char *label, size_t n)
{
    put_str(s->b, s->ws, s->r, 0, label, NULL);
    put_num(s->b, s->ws, s->r, 1, (double)n, s->b->f_int);
    s->r++;
}

static void sum_run(summary *s)
{
    fx_book *b = s->b;
    const fx_book_info *in = b->info;
    put_str(b, s->ws, s->r++, 0, "fxbook audit workbook", b->f_title);
    sum_label(s, "version", in->version ? in->version : "");
    sum_label(s, "options", b->options);
    char targets[FX_MAX_TARGETS * 5 + 1] = "";
    for (size_t i = 0, at = 0; i < b->ntargets && at < sizeof targets; i++)
        at += (size_t)snprintf(targets + at, sizeof targets - at, "%s%s", i ? "," : "",
                               in->conv->targets[i].s);
    sum_label(s, "targets", targets);
    s->r++;

    static const char *const ih[] = {"input", "bytes", "facts", "sha256"};
    sum_heads(s, ih, N(ih));
    for (size_t i = 0; i < in->ninputs; i++) {
        const fx_book_input *x = &in->inputs[i];
        put_str(b, s->ws, s->r, 0, shown_name(b, x->name), NULL);
        put_num(b, s->ws, s->r, 1, (double)x->size, b->f_int);
        put_num(b, s->ws, s->r, 2, (double)x->facts, b->f_int);
        put_str(b, s->ws, s->r, 3, x->sha256, NULL);
        s->r++;
    }
    s->r++;

    static const char *const rh[] = {"rates file", "first date", "last date", "rates"};
    sum_heads(s, rh, N(rh));
    for (size_t i = 0; in->rates && i < fx_rates_files(in->rates); i++) {
        fx_day first, last;
        size_t n;
        put_str(b, s->ws, s->r, 0, shown_name(b, fx_rates_file_name(in->rates, i)), NULL);
        if (fx_rates_file_range(in->rates, i, &first, &last, &n)) {
            put_day(b, s->ws, s->r, 1, first);
            put_day(b, s->ws, s->r, 2, last);
            put_num(b, s->ws, s->r, 3, (double)n, b->f_int);
        }
        s->r++;
    }
    s->r++;
}

static void sum_counts(summary *s, const fx_audit *a)
{
    fx_audit_counts n = fx_audit_totals(a);
    static const char *const ch[] = {"count", "n"};
    sum_heads(s, ch, N(ch));
    sum_count(s, "facts", n.facts);
    sum_count(s, "money facts", n.money_facts);
    sum_count(s, "conversions audited", n.conversions);
    for (int v = FX_V_CONSISTENT; v <= FX_V_UNVERIFIABLE; v++) {
        char label[48];
        snprintf(label, sizeof label, "conversions %s", fx_verdict_name((fx_verdict)v));
        sum_count(s, label, n.verdicts[v]);
    }
    sum_count(s, "claims", fx_audit_nclaims(a));
    for (int v = FX_C_SINGLE; v <= FX_C_DISAGREE; v++) {
        char label[48];
        snprintf(label, sizeof label, "claims %s", fx_claim_verdict_name((fx_claim_verdict)v));
        sum_count(s, label, n.claims[v]);
    }
    sum_count(s, "sources", fx_audit_nsources(a));
    sum_count(s, "rates used", s->b->nused);
    s->r++;
}

static void sum_disagree(summary *s, fx_audit *a)
{
    fx_book *b = s->b;
    sum_label(s, "claims whose sources disagree", NULL);
    static const char *const h[] = {"claim", "entity", "kind", "unit", "facts",
                                    "sources", "min", "max", "spread_pct", "verdict"};
    sum_heads(s, h, N(h));
    lxw_row_t r0 = s->r;
    size_t shown = 0, all = fx_audit_totals(a).claims[FX_C_DISAGREE];
    const fx_claim *cl;
    if (all && !claims_rewind(b, a))
        return;
    while (all && shown < LIST_MAX && b->st == FX_OK && (cl = fx_audit_next(a))) {
        if (cl->verdict != FX_C_DISAGREE)
            continue;
        shown++;
        lxw_row_t r = s->r++;
        put_str(b, s->ws, r, 0, cl->claim, NULL);
        put_str(b, s->ws, r, 1, cl->entity ? cl->entity : "", NULL);
        put_str(b, s->ws, r, 2, fx_kind_name(cl->kind), NULL);
        put_str(b, s->ws, r, 3, cl->kind == FX_KIND_MONEY ? cl->unit_ccy.s : fx_kind_name(cl->kind),
                NULL);
        put_num(b, s->ws, r, 4, (double)cl->facts, b->f_int);
        put_num(b, s->ws, r, 5, (double)cl->nsources, b->f_int);
        claim_value(b, s->ws, r, 6, cl, &cl->min);
        claim_value(b, s->ws, r, 7, cl, &cl->max);
        double sp;
        if (spread_pct(b, cl, &sp))
            put_num(b, s->ws, r, 8, sp, b->f_pct);
        put_str(b, s->ws, r, 9, fx_claim_verdict_name(cl->verdict), NULL);
    }
    claims_done(b, a);
    if (all == 0)
        put_str(b, s->ws, s->r++, 0, "none", NULL);
    else if (all > shown) {
        char more[96];
        snprintf(more, sizeof more, "and %zu more (see Comparison)", all - shown);
        put_str(b, s->ws, s->r++, 0, more, NULL);
    }
    highlight(b, s->ws, r0, s->r - 1, 9, "disagree", b->f_bad);
    s->r++;
}

static void sum_inconsistent(summary *s)
{
    fx_book *b = s->b;
    sum_label(s, "inconsistent conversions", NULL);
    static const char *const h[] = {"fact_id", "claim", "source", "amount", "unit",
                                    "reported_amount", "reported_unit", "computed_amount",
                                    "deviation_pct", "verdict", "matching_rate_dates"};
    sum_heads(s, h, N(h));
    lxw_row_t r0 = s->r;
    size_t shown = 0;
    if (b->ninconsistent && spill_rewind(b)) {
        for (size_t i = 0; i < b->nspilled && shown < LIST_MAX && b->st == FX_OK; i++) {
            spill_rec rec;
            const char *str[S_N];
            if (!spill_read(b, &rec, str))
                break;
            if (rec.verdict != FX_V_INCONSISTENT)
                continue;
            shown++;
            lxw_row_t r = s->r++;
            put_str(b, s->ws, r, 0, str[S_FACT_ID], NULL);
            put_str(b, s->ws, r, 1, str[S_CLAIM], NULL);
            put_str(b, s->ws, r, 2, str[S_SOURCE], NULL);
            put_num(b, s->ws, r, 3, rec.amount, places_format(b, rec.amount_places));
            put_str(b, s->ws, r, 4, str[S_UNIT], NULL);
            put_num(b, s->ws, r, 5, rec.reported, places_format(b, rec.reported_places));
            put_str(b, s->ws, r, 6, str[S_REP_UNIT], NULL);
            if (rec.priced)
                put_num(b, s->ws, r, 7, rec.computed, b->f_money);
            if (rec.has_dev)
                put_num(b, s->ws, r, 8, rec.deviation, b->f_pct);
            put_str(b, s->ws, r, 9, fx_verdict_name((fx_verdict)rec.verdict), NULL);
            put_str(b, s->ws, r, 10, str[S_DAYS], NULL);
        }
    }
    if (b->ninconsistent == 0)
        put_str(b, s->ws, s->r++, 0, "none", NULL);
    else if (b->ninconsistent > shown) {
        char more[96];
        snprintf(more, sizeof more, "and %zu more (see Conversions)", b->ninconsistent - shown);
        put_str(b, s->ws, s->r++, 0, more, NULL);
    }
    highlight(b, s->ws, r0, s->r - 1, 9, "inconsistent", b->f_bad);
    s->r++;
}

/* The money claims with two or more sources, by source, in the first
 * target: a table here and a column chart over it. */
static bool chart_claim(const fx_claim *cl)
{
    return cl->kind == FX_KIND_MONEY && cl->nsources >= 2;
}

static void sum_chart(summary *s, fx_audit *a)
{
    fx_book *b = s->b;
    if (b->ntargets == 0)
        return;
    const char *ccy = b->info->conv->targets[0].s;
    char title[96];
    snprintf(title, sizeof title, "money claims with two or more sources, %s", ccy);
    sum_label(s, title, NULL);

    size_t ns = fx_audit_nsources(a);
    unsigned *col = fx_xcalloc(ns ? ns : 1, sizeof *col); /* source -> table column, 0: none */
    size_t *claims = fx_xcalloc(CHART_CLAIMS_MAX, sizeof *claims);
    unsigned nseries = 0;
    size_t nclaims = 0, skipped = 0;
    double top = 0;
    const fx_claim *cl;
    if (!claims_rewind(b, a))
        goto out;
    for (size_t i = 0; (cl = fx_audit_next(a)); i++) {
        if (!chart_claim(cl))
            continue;
        if (nclaims == CHART_CLAIMS_MAX) {
            skipped++;
            continue;
        }
        claims[nclaims++] = i;
        for (size_t j = 0; j < cl->nsources; j++) {
            unsigned src = cl->by_source[j].source;
            if (src < ns && !col[src] && nseries < CHART_SERIES_MAX)
                col[src] = ++nseries;
        }
        double m = fabs(fx_ratio_to_double(&cl->max));
        top = m > top ? m : top;
    }
    claims_done(b, a);
    if (b->st != FX_OK)
        goto out;
    if (nclaims == 0) {
        put_str(b, s->ws, s->r++, 0, "none", NULL);
        goto out;
    }
    lxw_row_t hr = s->r++;
    put_str(b, s->ws, hr, 0, "claim", b->f_head);
    for (size_t src = 0; src < ns; src++)
        if (col[src])
            put_str(b, s->ws, hr, (lxw_col_t)col[src], fx_audit_source(a, src)->source,
                    b->f_head);
    lxw_format *f = top >= 1e9 ? b->f_bn : top >= 1e6 ? b->f_mn : b->f_money;
    if (!claims_rewind(b, a))
        goto out;
    for (size_t i = 0, k = 0; k < nclaims && (cl = fx_audit_next(a)); i++) {
        if (i != claims[k])
            continue;
        k++;
        lxw_row_t r = s->r++;
        put_str(b, s->ws, r, 0, cl->claim, NULL);
        for (size_t j = 0; j < cl->nsources; j++) {
            const fx_claim_source *cs = &cl->by_source[j];
            if (cs->source < ns && col[cs->source])
                cell_value(b, s->ws, r, (lxw_col_t)col[cs->source], cs, f);
        }
    }
    claims_done(b, a);
    if (skipped) {
        char more[96];
        snprintf(more, sizeof more, "and %zu more claims (see Comparison)", skipped);
        put_str(b, s->ws, s->r++, 0, more, NULL);
    }
    if (b->st != FX_OK)
        goto out;

    lxw_chart *ch = workbook_add_chart(b->wb, LXW_CHART_COLUMN);
    if (!ch) {
        fail(b, FX_E_INTERNAL, "Summary chart", "cannot create it");
        goto out;
    }
    lxw_row_t r0 = hr + 1, r1 = (lxw_row_t)(hr + nclaims);
    for (size_t src = 0; src < ns; src++) {
        if (!col[src])
            continue;
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        if (!se) {
            fail(b, FX_E_INTERNAL, "Summary chart", "cannot add a series");
            goto out;
        }
        lxw_col_t c = (lxw_col_t)col[src];
        chart_series_set_categories(se, "Summary", r0, 0, r1, 0);
        chart_series_set_values(se, "Summary", r0, c, r1, c);
        chart_series_set_name_range(se, "Summary", hr, c);
    }
    chart_title_set_name(ch, title);
    chart_axis_set_name(ch->y_axis, ccy);
    chart_axis_set_num_format(ch->y_axis, top >= 1e9 ? "#,##0.0,,,\" bn\""
                                          : top >= 1e6 ? "#,##0.0,,\" m\""
                                                       : "#,##0");
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options opt = {.x_scale = 2.0, .y_scale = 1.6};
    lxw_ok(b, worksheet_insert_chart_opt(s->ws, s->r + 1, 0, ch, &opt), "Summary chart");
out:
    free(col);
    free(claims);
}

static void write_summary(fx_book *b, fx_audit *a)
{
    summary s = {b, b->summary, 0};
    print_setup(b, s.ws, true, false);
    static const double widths[] = {34, 18, 18, 18, 18, 18, 16, 18, 14, 13, 40};
    for (size_t i = 0; i < N(widths); i++)
        lxw_ok(b, worksheet_set_column(s.ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL),
               "column width");
    sum_run(&s);
    sum_counts(&s, a);
    sum_disagree(&s, a);
    sum_inconsistent(&s);
    sum_chart(&s, a);
}

/* ---- life cycle ---- */

static lxw_format *num_format(lxw_workbook *wb, const char *num)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_num_format(f, num);
    return f;
}

static void make_formats(fx_book *b)
{
    lxw_workbook *wb = b->wb;
    int places = b->info->conv ? b->info->conv->places : 2;
    if (places < 0)
        places = 0;
    if (places > 30)
        places = 30;
    char money[64] = "#,##0", unrounded[80], bn[80], mn[80];
    if (places > 0) {
        size_t n = strlen(money);
        money[n++] = '.';
        for (int i = 0; i < places; i++)
            money[n++] = '0';
        money[n] = '\0';
    }
    snprintf(unrounded, sizeof unrounded, "%s%s######", money, places > 0 ? "" : ".");
    snprintf(bn, sizeof bn, "#,##0.000,,,\" bn\"");
    snprintf(mn, sizeof mn, "#,##0.000,,\" m\"");

    b->f_head = workbook_add_format(wb);
    format_set_bold(b->f_head);
    format_set_bottom(b->f_head, LXW_BORDER_THIN);
    format_set_bg_color(b->f_head, 0xD9E1F2);
    b->f_title = workbook_add_format(wb);
    format_set_bold(b->f_title);
    format_set_font_size(b->f_title, 14);
    b->f_bold = workbook_add_format(wb);
    format_set_bold(b->f_bold);
    b->f_date = num_format(wb, "yyyy-mm-dd");
    b->f_money = num_format(wb, money);
    b->f_unrounded = num_format(wb, unrounded);
    b->f_pct = num_format(wb, "0.0000");
    b->f_int = num_format(wb, "#,##0");
    b->f_bn = num_format(wb, bn);
    b->f_mn = num_format(wb, mn);
    b->f_bad = workbook_add_format(wb);
    format_set_bg_color(b->f_bad, 0xFFC7CE);
    format_set_font_color(b->f_bad, 0x9C0006);
    b->f_warn = workbook_add_format(wb);
    format_set_bg_color(b->f_warn, 0xFFEB9C);
    format_set_font_color(b->f_warn, 0x9C5700);
}

/* The options as run, each in full (SPEC 6): built here from the
 * configuration, so no value is cut however long (a --tolerance of 100
 * digits); info->options only when there is no configuration (tests). */
static void book_free(fx_book *b)
{
    fx_spool_free(b->spill);
    hush_close(b);
    free(b->rate_slot);
    free(b->used);
    free(b->facts_cols);
    free(b->buf);
    free(b->sbuf);
    free(b->nbuf);
    free(b->options);
    free(b->dir);
    fx_arena_free(b->strings);
    fx_dec_clear(&b->tmp);
    fx_ratio_clear(&b->r1);
    fx_ratio_clear(&b->r2);
    free(b);
}

static fx_book *book_open(const char *path, const fx_book_info *info, fx_diags *d);

fx_book *fx_book_open(const char *path, const fx_book_info *info, fx_diags *d)
{
    const char *was = fx_mem_where(WHERE);
    fx_book *b = book_open(path, info, d);
    fx_mem_where(was);
    return b;
}

static fx_book *book_open(const char *path, const fx_book_info *info, fx_diags *d)
{
    const struct lconv *lc = localeconv();
    if (!lc || strcmp(lc->decimal_point, ".") != 0) {
        fx_diag_status(d, FX_E_INTERNAL, (fx_pos){0},
                       "workbook: LC_NUMERIC must be \"C\" (libxlsxwriter prints numbers with it)");
        return NULL;
    }
    fx_book *b = fx_xcalloc(1, sizeof *b);
    b->info = info;
    b->d = d;
    b->max_rows = XL_ROWS;
    b->hush_rd = b->hush_wr = b->hush_saved = -1; /* not 0: book_free closes them */
    b->options = fx_xstrdup(info->options ? info->options : ""); /* opts.c: every option in full */
    b->dir = fx_outfile_dir(path);
    b->strings = fx_arena_new();
    fx_dec_init(&b->tmp);
    fx_ratio_init(&b->r1);
    fx_ratio_init(&b->r2);
    b->ntargets = info->conv ? info->conv->ntargets : 0;
    b->nrates = info->rates ? fx_rates_count(info->rates) : 0;
    b->rate_slot = fx_xcalloc(b->nrates ? b->nrates : 1, sizeof *b->rate_slot);
    b->used = fx_xcalloc(b->nrates ? b->nrates : 1, sizeof *b->used); /* NOLINT(bugprone-sizeof-expression): an array of pointers */

    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = b->dir};
    if (!hush_open(b)) {
        fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0}, "cannot create workbook %s: %s", path,
                       strerror(errno));
        book_free(b);
        return NULL;
    }
    hush h;
    hush_begin(b, &h);
    b->wb = workbook_new_opt(path, &o);
    hush_end(b, &h);
    if (!b->wb || h.said[0]) {
        if (b->wb)
            lxw_workbook_free(b->wb);
        if (h.said[0])
            fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0}, "cannot create workbook %s: %s", path,
                           h.said);
        else
            fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0}, "cannot create workbook %s", path);
        book_free(b);
        return NULL;
    }
    b->spill = fx_spool_new(b->dir);
    if (fx_spool_error(b->spill))
        fail(b, FX_E_CANTCREAT, "Conversions", fx_spool_error(b->spill));
    make_formats(b);
    b->summary = add_sheet(b, "Summary");
    b->comparison = add_sheet(b, "Comparison");
    facts_columns(b);
    if (b->st == FX_OK)
        sheet_start(b, &b->facts);
    if (b->st != FX_OK) {
        if (b->st == FX_E_IO || b->st == FX_E_INTERNAL) /* at open, it is the target's folder */
            fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0}, "cannot create workbook %s", path);
        fx_book_discard(b);
        return NULL;
    }
    return b;
}

void fx_book_set_sheet_rows(fx_book *b, unsigned long rows)
{
    if (rows >= 3 && rows < XL_ROWS && b->nused == 0 && b->facts.row <= 1)
        b->max_rows = rows;
}

fx_status fx_book_add(fx_book *b, const fx_converted *c, const fx_check *k)
{
    if (b->st != FX_OK)
        return b->st;
    const char *was = fx_mem_where(WHERE);
    facts_row(b, c, k);
    if (k && k->present && b->st == FX_OK)
        spill_add(b, c, k);
    fx_mem_where(was);
    return b->st;
}

static void set_properties(fx_book *b)
{
    const fx_book_info *in = b->info;
    size_t n = strlen(b->options) + 64;
    char *comments = fx_xmalloc(n);
    snprintf(comments, n, "fxbook %s; %s", in->version ? in->version : "", b->options);
    char keywords[128];
    snprintf(keywords, sizeof keywords, "fxbook %s, exchange rates, audit",
             in->version ? in->version : "");
    lxw_doc_properties p = {
        .title = (char *)"fxbook audit workbook",
        .subject = (char *)"Reported figures converted with dated exchange rates, "
                           "their conversions audited and their sources compared",
        .author = (char *)"fxbook",
        .keywords = keywords,
        .comments = comments,
        /* 0 would make libxlsxwriter stamp the wall clock: 1 second later */
        .created = in->created > 0 ? (time_t)in->created : in->created == 0 ? 1 : DEFAULT_CREATED,
    };
    lxw_ok(b, workbook_set_properties(b->wb, &p), "document properties"); /* copies them */
    free(comments);
}

/* Room a sheet's XML needs past its rows when libxlsxwriter assembles it. */
#define SHEET_TAIL (1 << 20)

/* libxlsxwriter never checks its writes to a sheet's temporary file (a
 * full disk or a file size limit there gives a cut sheet in a workbook
 * that closes without error): before it assembles them, each one is
 * flushed and checked, and under a file size limit each must leave room
 * for its copy into the part (the same size and SHEET_TAIL). */
static bool sheets_written(fx_book *b)
{
    struct rlimit rl;
    bool limited = getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY;
    lxw_worksheet *ws;
    LXW_FOREACH_WORKSHEET(ws, b->wb)
    {
        FILE *f = ws->optimize_tmpfile;
        if (!f)
            continue;
        errno = 0;
        int e = fflush(f) != 0 ? errno : 0;
        if (ferror(f) && !e)
            e = EIO; /* an earlier write failed; its errno is gone */
        off_t size = ftello(f);
        if (limited && size >= 0 && (uint64_t)size + SHEET_TAIL > (uint64_t)rl.rlim_cur)
            e = EFBIG; /* also the likely cause of an earlier failed write */
        if (e) {
            char what[320];
            snprintf(what, sizeof what, "sheet \"%s\": cannot write a temporary file in %s",
                     ws->name, b->dir);
            return fail(b, FX_E_IO, what, strerror(e));
        }
    }
    return true;
}

static fx_status book_close(fx_book *b, fx_audit *a, fx_diags *d);

fx_status fx_book_close(fx_book *b, fx_audit *a, fx_diags *d)
{
    const char *was = fx_mem_where(WHERE);
    fx_status st = book_close(b, a, d);
    fx_mem_where(was);
    return st;
}

static fx_status book_close(fx_book *b, fx_audit *a, fx_diags *d)
{
    if (d)
        b->d = d;
    sheet_end(b, &b->facts);
    write_conversions(b);
    write_rates(b);
    write_sources(b, a);
    write_comparison(b, a);
    write_summary(b, a);
    set_properties(b);
    if (b->st != FX_OK) {
        fx_status st = b->st;
        fx_book_discard(b);
        return st;
    }
    if (!sheets_written(b)) {
        fx_status st = b->st;
        fx_book_discard(b);
        return st;
    }
    hush h;
    hush_begin(b, &h);
    lxw_error e = workbook_close(b->wb);
    hush_end(b, &h);
    b->wb = NULL;
    if (e != LXW_NO_ERROR) {
        char why[768];
        snprintf(why, sizeof why, "%s%s%s%s", lxw_strerror(e), h.said[0] ? " (libxlsxwriter: " : "",
                 h.said[0] ? h.said : "", h.said[0] ? ")" : "");
        fail(b, FX_E_IO, "cannot write the workbook", why);
    } else {
        hush_ok(b, &h, FX_E_IO, "cannot write the workbook");
    }
    fx_status st = b->st;
    book_free(b);
    return st;
}

void fx_book_discard(fx_book *b)
{
    if (!b)
        return;
    if (b->wb)
        lxw_workbook_free(b->wb); /* frees without writing the file */
    book_free(b);
}
