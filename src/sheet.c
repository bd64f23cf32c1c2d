/* sheet - the cell/format layer every sheet writes through: errors as
 * diagnostics, libxlsxwriter's own stderr lines caught, cells, formats,
 * headers, print setup, sheets that continue past Excel's row limit.
 * Invariant: every libxlsxwriter return code is checked, and after the
 * first failure (b->st) no cell is written; text is written exactly as
 * given or refused, never cut. */
#include "book_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "xltext.h"

#define EXCEL_EPOCH_OFFSET 25569 /* Excel serial of 1970-01-01 */
#define EXCEL_FIRST_SERIAL 61  /* 1900-03-01: earlier serials hit Excel's 1900 leap bug */

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

bool fx_sheet_fail(fx_book *b, fx_status st, const char *what, const char *why)
{
    size_t n = strlen(why);
    while (n > 0 && why[n - 1] == '.') /* lxw_strerror ends with one; ours do not */
        n--;
    if (b->st == FX_OK)
        b->st = fx_diag_status(b->d, st, (fx_pos){0}, "%s: %s: %.*s",
                               b->info->output ? b->info->output : "workbook", what, (int)n, why);
    return false;
}

/* "cannot write Sheet!B7: why"; false. */
static bool cell_fail(fx_book *b, fx_status st, const lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                      const char *why)
{
    char cell[32], what[96];
    lxw_rowcol_to_cell(cell, r, c);
    snprintf(what, sizeof what, "cannot write %s!%s", ws->name, cell);
    return fx_sheet_fail(b, st, what, why);
}

/* Turns a libxlsxwriter error at a cell into a diagnostic. */
bool fx_sheet_cell_ok(fx_book *b, lxw_error e, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c)
{
    return e == LXW_NO_ERROR || cell_fail(b, status_of(e), ws, r, c, lxw_strerror(e));
}

bool fx_sheet_lxw_ok(fx_book *b, lxw_error e, const char *what)
{
    return e == LXW_NO_ERROR || fx_sheet_fail(b, status_of(e), what, lxw_strerror(e));
}

/* False only when descriptors ran out (errno set); a closed standard
 * error needs no hushing. */
bool fx_sheet_hush_open(fx_book *b)
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

void fx_sheet_hush_close(fx_book *b)
{
    int fds[] = {b->hush_rd, b->hush_wr, b->hush_saved};
    for (size_t i = 0; i < sizeof fds / sizeof *fds; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    b->hush_rd = b->hush_wr = b->hush_saved = -1;
}

void fx_sheet_hush_begin(fx_book *b, fx_hush *h)
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

void fx_sheet_hush_end(fx_book *b, fx_hush *h)
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
bool fx_sheet_hush_ok(fx_book *b, const fx_hush *h, fx_status st, const char *what)
{
    return h->said[0] == '\0' || fx_sheet_fail(b, st, what, h->said);
}

/* ---- widths ---- */

#define TEXT_WIDTH_MAX 50 /* text wider than this overflows or wraps; numbers never */
#define LINKS_MAX 65530   /* Excel's internal links a sheet */
#define PAGE_WIDE_MAX 220 /* characters of columns that still print legibly on one page */

static fx_widths *widths_of(fx_book *b, lxw_worksheet *ws)
{
    if (b->last_width < b->nwidths && b->widths[b->last_width].ws == ws)
        return &b->widths[b->last_width];
    for (size_t i = 0; i < b->nwidths; i++)
        if (b->widths[i].ws == ws) {
            b->last_width = i;
            return &b->widths[i];
        }
    b->widths = fx_xrealloc(b->widths, (b->nwidths + 1) * sizeof *b->widths);
    b->widths[b->nwidths] = (fx_widths){ws, NULL, NULL, 0, 0};
    b->last_width = b->nwidths;
    return &b->widths[b->nwidths++];
}

static void note(fx_book *b, lxw_worksheet *ws, lxw_col_t c, size_t chars, bool num)
{
    fx_widths *w = widths_of(b, ws);
    if (c >= w->n) {
        size_t n = w->n ? w->n : 16;
        while (n <= c)
            n *= 2;
        w->num = fx_xrealloc(w->num, n * sizeof *w->num);
        w->text = fx_xrealloc(w->text, n * sizeof *w->text);
        memset(w->num + w->n, 0, (n - w->n) * sizeof *w->num);
        memset(w->text + w->n, 0, (n - w->n) * sizeof *w->text);
        w->n = n;
    }
    uint16_t v = chars > 255 ? 255 : (uint16_t)chars;
    uint16_t *slot = num ? &w->num[c] : &w->text[c];
    if (v > *slot)
        *slot = v;
}

/* Characters of UTF-8 text (continuation bytes not counted). */
static size_t chars_of(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < 256; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

void fx_sheet_note_text(fx_book *b, lxw_worksheet *ws, lxw_col_t c, const char *s)
{
    note(b, ws, c, chars_of(s, strlen(s)), false);
}

static const fx_fmt_info *fmt_info(fx_book *b, const lxw_format *f)
{
    if (!f)
        return NULL;
    const fx_fmt_info *info = b->sh->info;
    size_t n = atomic_load_explicit(&b->sh->n, memory_order_acquire);
    if (b->fmt_last < n && info[b->fmt_last].f == f) /* a column's cells share one */
        return &info[b->fmt_last];
    for (size_t i = 0; i < n; i++)
        if (info[i].f == f) {
            b->fmt_last = i;
            return &info[i];
        }
    return NULL;
}

/* Registers what a number format shows (under b->sh->mu): parsed from
 * the format string this program wrote ("#,##0.00", "#,##0.000,,,\" bn\"",
 * "0.0\"%\"", "yyyy-mm-dd"). */
static void fmt_register(fx_book *b, const lxw_format *f, const char *num)
{
    size_t n = atomic_load_explicit(&b->sh->n, memory_order_relaxed);
    if (n >= N(b->sh->info))
        return; /* unknown formats are sized as General, generously */
    fx_fmt_info in = {f, FMT_NUMBER, 0, 0, 0, ""};
    snprintf(in.num, sizeof in.num, "%s", num);
    if (strcmp(num, "yyyy-mm-dd") == 0) {
        in.kind = FMT_DATE;
    } else if (strcmp(num, "@") == 0) {
        in.kind = FMT_TEXT;
    } else {
        const char *p = num;
        bool in_quote = false, after_point = false;
        for (; *p; p++) {
            if (*p == '"') {
                in_quote = !in_quote;
                continue;
            }
            if (in_quote) {
                in.extra += ((unsigned char)*p & 0xC0) != 0x80;
                continue;
            }
            if (*p == '.')
                after_point = true;
            else if ((*p == '0' || *p == '#') && after_point)
                in.places++; /* '#': shown when needed; sized as if always */
            else if (*p == ',' && (p[1] == '\0' || p[1] == ',' || p[1] == '"'))
                in.scale3++;
        }
    }
    b->sh->info[n] = in;
    atomic_store_explicit(&b->sh->n, n + 1, memory_order_release); /* published whole */
}

/* Characters a number shows under format f. */
/* Characters a number shows under format f, never fewer (a column may be
 * a character wider than needed, never narrower): no printing, a million
 * rows of cells pass here. */
static size_t num_chars(fx_book *b, double v, const lxw_format *f)
{
    const fx_fmt_info *in = fmt_info(b, f);
    if (!in || in->kind == FMT_GENERAL)
        return 11; /* General shows at most 11 characters */
    if (in->kind == FMT_DATE)
        return 10;
    double x = fabs(v);
    for (int i = 0; i < in->scale3; i++)
        x /= 1000;
    size_t intd = 1; /* digits of floor(x) + 1: x's as rounded, or one more */
    if (x >= 1e18) { /* past an integer's range: count by tens */
        double y = x;
        while (y >= 10 && intd < 400) {
            y /= 10;
            intd++;
        }
        intd++;
    } else {
        for (unsigned long long ip = (unsigned long long)x + 1; ip >= 10; ip /= 10)
            intd++;
    }
    size_t n = intd + (intd - 1) / 3 + (in->places ? (size_t)in->places + 1 : 0) + in->extra;
    return v < 0 ? n + 1 : n;
}

double fx_sheet_fit(fx_book *b, lxw_worksheet *ws, const fx_col_spec *cols, size_t ncols,
                    bool text_too)
{
    double total = 0;
    if (!ws || b->st != FX_OK)
        return total;
    fx_widths *w = widths_of(b, ws);
    /* only the columns named: a sheet sets any others itself (Summary's
     * hidden chart columns), and two ranges may not overlap */
    for (size_t c = 0; c < ncols && b->st == FX_OK; c++) {
        /* the header, its filter button beside it; at least the sheet's minimum */
        double width = (double)chars_of(cols[c].name, strlen(cols[c].name)) + 3;
        if (cols[c].width > width)
            width = cols[c].width;
        if (c < w->n) {
            double num = w->num[c] ? w->num[c] + 2 : 0;
            double text = !text_too || !w->text[c] ? 0
                          : (w->text[c] > TEXT_WIDTH_MAX ? TEXT_WIDTH_MAX : w->text[c]) + 1;
            width = num > width ? num : width;
            width = text > width ? text : width;
        }
        if (width <= 0)
            continue;
        total += width;
        fx_sheet_lxw_ok(b, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width, NULL),
                        "column width");
    }
    return total;
}

void fx_sheet_put_link(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                       const char *sheet, lxw_row_t to_row, lxw_col_t to_col, const char *text)
{
    if (b->st != FX_OK)
        return;
    fx_widths *w = widths_of(b, ws);
    if (w->links >= LINKS_MAX) {
        fx_sheet_put_str(b, ws, r, c, text, NULL);
        return;
    }
    char cell[16], url[96];
    lxw_rowcol_to_cell(cell, to_row, to_col);
    snprintf(url, sizeof url, "internal:'%s'!%s", sheet, cell);
    w->links++;
    if (fx_sheet_cell_ok(b, worksheet_write_url_opt(ws, r, c, url, b->f_link, text, NULL), ws, r,
                         c))
        fx_sheet_note_text(b, ws, c, text);
}

void fx_sheet_locate(const fx_book *b, const char *base, uint64_t i, char *name, size_t n,
                     lxw_row_t *row)
{
    uint64_t per = b->max_rows - 1;
    uint64_t part = i / per + 1;
    *row = (lxw_row_t)(i % per + 1);
    if (part == 1)
        snprintf(name, n, "%s", base);
    else
        snprintf(name, n, "%s (%llu)", base, (unsigned long long)part);
}

/* ---- cells ---- */

char *fx_sheet_grow(char **buf, size_t *cap, size_t n)
{
    if (n > *cap) {
        *cap = n > 2 * *cap ? n : 2 * *cap;
        *buf = fx_xrealloc(*buf, *cap);
    }
    return *buf;
}

char *fx_sheet_scratch(fx_book *b, size_t n)
{
    return fx_sheet_grow(&b->buf, &b->cap, n);
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
const char *fx_sheet_shown_name(fx_book *b, const char *name)
{
    size_t len = strlen(name);
    char *t = fx_sheet_grow(&b->nbuf, &b->ncap, 4 * len + 1);
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
void fx_sheet_put_text(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                       size_t len, lxw_format *f)
{
    if (b->st != FX_OK || len == 0)
        return;
    if (has_nonchar(s, len)) { /* the input checks refuse them: never reached, never written */
        cell_fail(b, FX_E_INTERNAL, ws, r, c,
                  "the text holds U+FFFE or U+FFFF, which XML cannot carry");
        return;
    }
    size_t extra = FX_XLTEXT_ESCAPE_EXTRA * fx_xltext_escapes(s, len); /* as facts.c counted it */
    note(b, ws, c, chars_of(s, len), false);
    if (extra == 0) { /* nearly every text: as it is (s[len] is its NUL) */
        fx_sheet_cell_ok(b, worksheet_write_string(ws, r, c, s, f), ws, r, c);
        return;
    }
    char *t = fx_sheet_scratch(b, len + extra + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (extra && fx_xltext_is_escape(s, i, len)) {
            memcpy(t + n, "_x005F", 6);
            n += 6;
        }
        t[n++] = s[i];
    }
    t[n] = '\0';
    fx_sheet_cell_ok(b, worksheet_write_string(ws, r, c, t, f), ws, r, c);
}

void fx_sheet_put_str(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                      lxw_format *f)
{
    fx_sheet_put_text(b, ws, r, c, s, strlen(s), f);
}

void fx_sheet_put_num(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v,
                      lxw_format *f)
{
    if (b->st != FX_OK)
        return;
    if (!isfinite(v)) {
        cell_fail(b, FX_E_INTERNAL, ws, r, c,
                  "the value is beyond the range of a spreadsheet number");
        return;
    }
    note(b, ws, c, num_chars(b, v, f), true);
    fx_sheet_cell_ok(b, worksheet_write_number(ws, r, c, v, f), ws, r, c);
}

void fx_sheet_put_formula(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                          const char *formula, double cached, lxw_format *f)
{
    if (b->st != FX_OK)
        return;
    if (!isfinite(cached)) {
        fx_sheet_put_num(b, ws, r, c, cached, f); /* reports it */
        return;
    }
    note(b, ws, c, num_chars(b, cached, f), true);
    fx_sheet_cell_ok(b, worksheet_write_formula_num(ws, r, c, formula, f, cached), ws, r, c);
}

/* A date as an Excel date number shown yyyy-mm-dd; before 1900-03-01,
 * where Excel's serials are wrong, as ISO text. */
void fx_sheet_put_day(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, fx_day day)
{
    long serial = (long)day + EXCEL_EPOCH_OFFSET;
    if (serial >= EXCEL_FIRST_SERIAL) {
        fx_sheet_put_num(b, ws, r, c, (double)serial, b->f_date);
    } else {
        char iso[11];
        fx_date_format(day, iso);
        fx_sheet_put_str(b, ws, r, c, iso, NULL);
    }
}

/* One format per number format, its style index set as it is made (under
 * b->sh->mu): libxlsxwriter caches a format's index only in the first of
 * equal formats, and looks every later one up again (a key built, hashed
 * and freed) at each cell written with it; and a format made while
 * another thread writes cells must not make libxlsxwriter add to its
 * table of styles at a cell. */
static lxw_format *num_format_locked(fx_book *b, const char *num)
{
    const fx_fmt_info *info = b->sh->info;
    size_t n = atomic_load_explicit(&b->sh->n, memory_order_relaxed);
    for (size_t i = 0; i < n; i++)
        if (strcmp(info[i].num, num) == 0)
            return (lxw_format *)info[i].f;
    lxw_format *f = workbook_add_format(b->wb);
    format_set_num_format(f, num);
    lxw_format_get_xf_index(f);
    fmt_register(b, f, num);
    return f;
}

static lxw_format *num_format(fx_book *b, const char *num)
{
    pthread_mutex_lock(&b->sh->mu);
    lxw_format *f = num_format_locked(b, num);
    pthread_mutex_unlock(&b->sh->mu);
    return f;
}

/* "#,##0.000": places decimals; with percent, then "%" (a percent figure
 * as stored: 60 shows "60%", never 6000%). */
static lxw_format *places_format(fx_book *b, long places, bool percent)
{
    if (places < 0)
        places = 0;
    if (places > SHOWN_PLACES_MAX)
        places = SHOWN_PLACES_MAX;
    pthread_mutex_lock(&b->sh->mu);
    lxw_format **made = percent ? &b->sh->percent[places] : &b->sh->places[places];
    if (!*made) {
        char num[48] = "#,##0";
        size_t n = strlen(num);
        if (places > 0) {
            num[n++] = '.';
            for (long i = 0; i < places; i++)
                num[n++] = '0';
        }
        num[n] = '\0';
        if (percent)
            memcpy(num + n, "\"%\"", 4);
        *made = num_format_locked(b, num);
    }
    lxw_format *f = *made;
    pthread_mutex_unlock(&b->sh->mu);
    return f;
}

lxw_format *fx_sheet_places_format(fx_book *b, long places)
{
    return places_format(b, places, false);
}

lxw_format *fx_sheet_format(fx_book *b, const char *num)
{
    if (atomic_load(&b->sh->n) >= N(b->sh->info) || strlen(num) >= sizeof b->sh->info[0].num)
        return NULL;
    return num_format(b, num);
}

lxw_format *fx_sheet_percent_format(fx_book *b, long places)
{
    return places_format(b, places, true);
}

/* The exact digits as text, only when a double cannot carry them. */
void fx_sheet_put_exact(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const fx_dec *v)
{
    if (!fx_dec_exceeds_double(v))
        return;
    char s[FX_DEC_STR_MAX];
    if (fx_dec_to_str(v, s, sizeof s) < 0) {
        fx_sheet_fail(b, FX_E_INTERNAL, "exact value", "too many digits");
        return;
    }
    fx_sheet_put_str(b, ws, r, c, s, NULL);
}

/* ---- sheets ---- */

lxw_worksheet *fx_sheet_add(fx_book *b, const char *name)
{
    if (b->st != FX_OK)
        return NULL;
    pthread_mutex_lock(&b->sh->mu);
    lxw_worksheet *ws = NULL;
    for (size_t i = 0; i < b->sh->nreserved && !ws; i++)
        if (b->sh->reserved[i] && strcmp(b->sh->reserved_name[i], name) == 0) {
            ws = b->sh->reserved[i];
            b->sh->reserved[i] = NULL; /* handed out once */
        }
    pthread_mutex_unlock(&b->sh->mu);
    if (ws)
        return ws;
    fx_hush h;
    fx_sheet_hush_begin(b, &h);
    ws = workbook_add_worksheet(b->wb, name);
    fx_sheet_hush_end(b, &h);
    char what[64];
    snprintf(what, sizeof what, "cannot add sheet \"%s\"", name);
    if (!fx_sheet_hush_ok(b, &h, FX_E_IO, what))
        return NULL;
    if (!ws)
        fx_sheet_fail(b, FX_E_IO, what, "cannot create its temporary file");
    return ws;
}

/* Printing: landscape, A4 margins, the file and sheet at the top and
 * "page n of m" at the bottom; a list repeats its header row on every
 * page. */
void fx_sheet_print_setup(fx_book *b, lxw_worksheet *ws, bool one_page_wide, bool header)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    fx_sheet_lxw_ok(b, worksheet_set_header(ws, "&L&F&R&A"), "page header");
    fx_sheet_lxw_ok(b, worksheet_set_footer(ws, "&Lfxbook&RPage &P of &N"), "page footer");
    if (one_page_wide)
        worksheet_fit_to_pages(ws, 1, 0);
    if (header)
        fx_sheet_lxw_ok(b, worksheet_repeat_rows(ws, 0, 0), "print titles");
}

void fx_sheet_header_row(fx_book *b, lxw_worksheet *ws, const fx_col_spec *cols, size_t n,
                         lxw_col_t freeze_col)
{
    for (size_t i = 0; i < n && b->st == FX_OK; i++) {
        lxw_col_t c = (lxw_col_t)i;
        fx_sheet_put_str(b, ws, 0, c, cols[i].name, cols[i].num ? b->f_head_num : b->f_head);
    }
    worksheet_freeze_panes(ws, 1, freeze_col);
    fx_sheet_print_setup(b, ws, false, true); /* one page wide or not: decided at the end */
}

void fx_sheet_highlight(fx_book *b, lxw_worksheet *ws, lxw_row_t r0, lxw_row_t r1, lxw_col_t c,
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
    fx_sheet_lxw_ok(b, worksheet_conditional_format_range(ws, r0, c, r1, c, &cf),
                    "conditional format");
}

void fx_sheet_part_name(const char *base, unsigned part, char *name, size_t n)
{
    if (part == 1)
        snprintf(name, n, "%s", base);
    else
        snprintf(name, n, "%s (%u)", base, part);
}

bool fx_sheet_start(fx_book *b, fx_sheet *s)
{
    char name[40];
    fx_sheet_part_name(s->base, s->part, name, sizeof name);
    s->ws = fx_sheet_add(b, name);
    if (!s->ws)
        return false;
    fx_sheet_header_row(b, s->ws, s->cols, s->ncols, s->freeze_col);
    if (s->verdict_col != (lxw_col_t)-1) {
        lxw_row_t last = (lxw_row_t)(b->max_rows - 1);
        fx_sheet_highlight(b, s->ws, 1, last, s->verdict_col, "disagree", b->f_bad);
        fx_sheet_highlight(b, s->ws, 1, last, s->verdict_col, "inconsistent", b->f_bad);
        fx_sheet_highlight(b, s->ws, 1, last, s->verdict_col, "close", b->f_warn);
    }
    if (s->verdict_col2 != (lxw_col_t)-1)
        fx_sheet_highlight(b, s->ws, 1, (lxw_row_t)(b->max_rows - 1), s->verdict_col2,
                           "disagree", b->f_bad);
    s->row = 1;
    return b->st == FX_OK;
}

/* The autofilter spans the rows written, known only when the sheet ends. */
void fx_sheet_end(fx_book *b, fx_sheet *s)
{
    if (!s->ws || b->st != FX_OK)
        return;
    lxw_row_t last = s->row > 1 ? s->row - 1 : 0;
    fx_sheet_lxw_ok(b, worksheet_autofilter(s->ws, 0, 0, last, (lxw_col_t)(s->ncols - 1)),
                    "autofilter");
    if (fx_sheet_fit(b, s->ws, s->cols, s->ncols, true) <= PAGE_WIDE_MAX)
        worksheet_fit_to_pages(s->ws, 1, 0); /* a narrow sheet prints one page wide */
}

void fx_sheet_init(fx_sheet *s, const char *base, const fx_col_spec *cols, size_t n,
                   lxw_col_t verdict_col, lxw_col_t freeze_col)
{
    memset(s, 0, sizeof *s);
    s->base = base;
    s->part = 1;
    s->cols = cols;
    s->ncols = n;
    s->verdict_col = verdict_col;
    s->verdict_col2 = NOCOL;
    s->freeze_col = freeze_col;
}

/* The row to write next, continuing on a new sheet at Excel's limit. */
bool fx_sheet_next_row(fx_book *b, fx_sheet *s, lxw_row_t *row)
{
    if (b->st != FX_OK)
        return false;
    if (!s->ws && !fx_sheet_start(b, s))
        return false;
    if (s->row >= b->max_rows) {
        fx_sheet_end(b, s);
        s->part++;
        if (!fx_sheet_start(b, s))
            return false;
    }
    *row = s->row++;
    return true;
}

/* ---- formats ---- */

void fx_sheet_make_formats(fx_book *b)
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
    b->f_head_num = workbook_add_format(wb);
    format_set_bold(b->f_head_num);
    format_set_bottom(b->f_head_num, LXW_BORDER_THIN);
    format_set_bg_color(b->f_head_num, 0xD9E1F2);
    format_set_align(b->f_head_num, LXW_ALIGN_RIGHT);
    b->f_date = num_format(b, "yyyy-mm-dd");
    b->f_money = num_format(b, money);
    b->f_unrounded = num_format(b, unrounded);
    b->f_pct = num_format(b, "#,##0.0000\"%\"");
    b->f_int = num_format(b, "#,##0");
    b->f_rate = num_format(b, "#,##0.000000######");
    b->f_bn = num_format(b, bn);
    b->f_mn = num_format(b, mn);
    b->f_wrap = workbook_add_format(wb);
    format_set_text_wrap(b->f_wrap);
    format_set_align(b->f_wrap, LXW_ALIGN_VERTICAL_TOP);
    b->f_indent = workbook_add_format(wb);
    format_set_indent(b->f_indent, 1);
    b->f_wrap_bottom = workbook_add_format(wb);
    format_set_text_wrap(b->f_wrap_bottom);
    b->f_bold_top = workbook_add_format(wb);
    format_set_bold(b->f_bold_top);
    format_set_align(b->f_bold_top, LXW_ALIGN_VERTICAL_TOP);
    b->f_link = workbook_add_format(wb);
    format_set_font_color(b->f_link, LXW_COLOR_BLUE);
    format_set_underline(b->f_link, LXW_UNDERLINE_SINGLE);
    b->f_section = workbook_add_format(wb);
    format_set_bold(b->f_section);
    format_set_font_size(b->f_section, 12);
    b->f_bad = workbook_add_format(wb);
    format_set_bg_color(b->f_bad, 0xFFC7CE);
    format_set_font_color(b->f_bad, 0x9C0006);
    b->f_warn = workbook_add_format(wb);
    format_set_bg_color(b->f_warn, 0xFFEB9C);
    format_set_font_color(b->f_warn, 0x9C5700);
    /* their style indexes now, not at a first cell (see num_format) */
    lxw_format *made[] = {b->f_head, b->f_title,  b->f_bold,        b->f_head_num,
                          b->f_wrap, b->f_indent, b->f_wrap_bottom, b->f_bold_top,
                          b->f_link, b->f_section, b->f_bad,        b->f_warn};
    for (size_t i = 0; i < N(made); i++)
        lxw_format_get_xf_index(made[i]);
    lxw_format_get_dxf_index(b->f_bad); /* conditional formats' */
    lxw_format_get_dxf_index(b->f_warn);
}

/* ---- rows recorded now, written at close ---- */

enum { CELL_NUM, CELL_TEXT, CELL_FORMULA, CELL_TYPE = 3, CELL_WHOLE = 4 };
/* Facts' formats: the places and percent ones (SHOWN_PLACES_MAX + 1
 * each), money, unrounded, rate, date: a row's table never fills. */
_Static_assert(2 * (SHOWN_PLACES_MAX + 1) + 4 <= FX_ROWS_FORMATS, "Facts formats outgrow fx_rows");

/* A cell in a recorded row, packed (a Facts row is a spool record, and a
 * million of them are written once and read once): a byte of type, a
 * varint column, a byte of format (0: none, k: fmts[k - 1]), then the
 * value, a varint for a whole number that is not negative (dates, mostly)
 * or else the 8 bytes of the double, and for text and formulas a varint
 * length and the bytes. */
enum { CELL_HEAD_MAX = 1 + FX_VARINT_MAX + 1 + FX_VARINT_MAX + FX_VARINT_MAX };

/* f's index + 1 in w's table (added at first sight); 0 for none. */
static unsigned char rows_format(fx_rows *w, lxw_format *f)
{
    if (!f)
        return 0;
    unsigned i = 0;
    while (i < w->nfmts && w->fmts[i] != f)
        i++;
    if (i == w->nfmts) {
        if (i == FX_ROWS_FORMATS) { /* see the assertion above: a new kind of format */
            w->overflow = true;
            return 1;
        }
        w->fmts[w->nfmts++] = f;
    }
    return (unsigned char)(i + 1);
}

/* Exactly a whole number a varint carries (not -0, which prints "-0"). */
static bool is_whole(double v)
{
    return v >= 0 && v < 9007199254740992.0 && !signbit(v) && v == (double)(uint64_t)v;
}

/* One growth of the row's buffer per cell, then the bytes in place. */
static void rows_cell(fx_rows *w, uint8_t type, lxw_col_t c, double v, const char *s, size_t len,
                      lxw_format *f)
{
    w->buf = fx_xgrow(w->buf, &w->cap, w->len + CELL_HEAD_MAX + len, 1);
    unsigned char *p = (unsigned char *)w->buf + w->len;
    bool whole = type != CELL_TEXT && is_whole(v);
    *p++ = (unsigned char)(type | (whole ? CELL_WHOLE : 0));
    p += fx_varint_put(p, c);
    *p++ = rows_format(w, f);
    if (whole) {
        p += fx_varint_put(p, (uint64_t)v);
    } else if (type != CELL_TEXT) {
        memcpy(p, &v, sizeof v);
        p += sizeof v;
    }
    if (type != CELL_NUM) {
        p += fx_varint_put(p, len);
        if (len)
            memcpy(p, s, len);
        p += len;
    }
    w->len = (size_t)(p - (unsigned char *)w->buf);
}

typedef struct {
    uint8_t type;
    lxw_col_t col;
    lxw_format *f;
    double v;
    const char *s;
    size_t len;
} rec_cell;

static bool take_cell(const fx_rows *w, const char **p, const char *end, rec_cell *c)
{
    uint64_t col, n;
    unsigned char t, k;
    if (*p >= end)
        return false;
    t = (unsigned char)*(*p)++;
    if (!fx_varint_get(p, end, &col) || col > LXW_COL_MAX || *p >= end)
        return false;
    k = (unsigned char)*(*p)++;
    c->type = t & CELL_TYPE;
    c->col = (lxw_col_t)col;
    c->f = NULL;
    if (k) {
        if (k > w->nfmts)
            return false;
        c->f = w->fmts[k - 1];
    }
    c->v = 0;
    if (t & CELL_WHOLE) {
        if (!fx_varint_get(p, end, &n))
            return false;
        c->v = (double)n;
    } else if (c->type != CELL_TEXT) {
        if ((size_t)(end - *p) < sizeof c->v)
            return false;
        memcpy(&c->v, *p, sizeof c->v);
        *p += sizeof c->v;
    }
    c->s = NULL;
    c->len = 0;
    if (c->type != CELL_NUM) {
        if (!fx_varint_get(p, end, &n) || n > (uint64_t)(end - *p))
            return false;
        c->s = *p;
        c->len = (size_t)n;
        *p += n;
    }
    return true;
}

void fx_rows_open(fx_book *b, fx_rows *w)
{
    memset(w, 0, sizeof *w);
    w->sp = fx_spool_new(b->dir);
    if (fx_spool_error(w->sp))
        fx_sheet_fail(b, FX_E_CANTCREAT, "sheet \"Facts\"", fx_spool_error(w->sp));
}

void fx_rows_close(fx_rows *w)
{
    fx_spool_free(w->sp);
    free(w->buf);
    memset(w, 0, sizeof *w);
}

void fx_rows_num(fx_rows *w, lxw_col_t c, double v, lxw_format *f)
{
    rows_cell(w, CELL_NUM, c, v, NULL, 0, f);
}

void fx_rows_text(fx_book *b, fx_rows *w, lxw_col_t c, const char *s, size_t len, lxw_format *f)
{
    if (has_nonchar(s, len)) { /* the input checks refuse them: as fx_sheet_put_text */
        fx_sheet_fail(b, FX_E_INTERNAL, "sheet \"Facts\"",
                      "a text holds U+FFFE or U+FFFF, which XML cannot carry");
        return;
    }
    if (len)
        rows_cell(w, CELL_TEXT, c, 0, s, len, f);
}

void fx_rows_formula(fx_rows *w, lxw_col_t c, const char *formula, double cached, lxw_format *f)
{
    rows_cell(w, CELL_FORMULA, c, cached, formula, strlen(formula), f);
}

void fx_rows_day(fx_book *b, fx_rows *w, lxw_col_t c, fx_day day)
{
    long serial = (long)day + EXCEL_EPOCH_OFFSET;
    if (serial >= EXCEL_FIRST_SERIAL) {
        fx_rows_num(w, c, (double)serial, b->f_date);
    } else {
        char iso[11];
        fx_date_format(day, iso);
        fx_rows_text(b, w, c, iso, 10, NULL);
    }
}

void fx_rows_exact(fx_book *b, fx_rows *w, lxw_col_t c, const fx_dec *v)
{
    if (!fx_dec_exceeds_double(v))
        return;
    char s[FX_DEC_STR_MAX];
    int n = fx_dec_to_str(v, s, sizeof s);
    if (n < 0) {
        fx_sheet_fail(b, FX_E_INTERNAL, "exact value", "too many digits");
        return;
    }
    w->need_exact = true;
    fx_rows_text(b, w, c, s, (size_t)n, NULL);
}

void fx_rows_end(fx_book *b, fx_rows *w, uint32_t tag)
{
    if (w->overflow)
        fx_sheet_fail(b, FX_E_INTERNAL, "sheet \"Facts\"", "more cell formats than a row can name");
    fx_spool_field f[2] = {{&tag, sizeof tag}, {w->buf ? w->buf : "", w->len}};
    if (b->st == FX_OK && !fx_spool_put(w->sp, f, 2))
        fx_sheet_fail(b, FX_E_IO, "sheet \"Facts\"", fx_spool_error(w->sp));
    w->len = 0;
    w->rows++;
}

void fx_rows_replay(fx_book *b, fx_rows *w, fx_sheet *s, fx_rows_extra extra, void *ctx)
{
    if (b->st != FX_OK)
        return;
    if (!fx_spool_read_once(w->sp)) { /* replayed once: Facts is written once */
        fx_sheet_fail(b, FX_E_IO, s->base, fx_spool_error(w->sp));
        return;
    }
    for (uint64_t i = 0; i < w->rows && b->st == FX_OK; i++) {
        const fx_spool_field *f;
        size_t nf;
        lxw_row_t r;
        uint32_t tag;
        if (fx_spool_next(w->sp, &f, &nf) != 1 || nf != 2 || f[0].len != sizeof tag) {
            const char *why = fx_spool_error(w->sp);
            fx_sheet_fail(b, FX_E_IO, s->base, why ? why : "a recorded row is not what was written");
            return;
        }
        if (!fx_sheet_next_row(b, s, &r))
            return;
        memcpy(&tag, f[0].p, sizeof tag);
        const char *p = f[1].p, *end = p + f[1].len;
        rec_cell cell;
        while (p < end && b->st == FX_OK) {
            if (!take_cell(w, &p, end, &cell)) {
                fx_sheet_fail(b, FX_E_IO, s->base, "a recorded row is not what was written");
                return;
            }
            if (cell.type == CELL_NUM) {
                fx_sheet_put_num(b, s->ws, r, cell.col, cell.v, cell.f);
                continue;
            }
            /* NUL-terminated for libxlsxwriter; not the scratch buffer,
             * which fx_sheet_put_text uses for its escapes */
            char *t = fx_sheet_grow(&b->sbuf, &b->scap, cell.len + 1);
            memcpy(t, cell.s, cell.len);
            t[cell.len] = '\0';
            if (cell.type == CELL_TEXT)
                fx_sheet_put_text(b, s->ws, r, cell.col, t, cell.len, cell.f);
            else
                fx_sheet_put_formula(b, s->ws, r, cell.col, t, cell.v, cell.f);
        }
        if (extra)
            extra(b, s, r, tag, ctx);
    }
}
