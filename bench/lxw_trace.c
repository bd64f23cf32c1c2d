/* lxw_trace - an LD_PRELOAD shim that records every libxlsxwriter call
 * fxbook makes, for floor (c) of `make bench` (bench/floor_xlsx.c replays
 * the trace with libxlsxwriter alone):
 *   LD_PRELOAD=build/bench/bin/lxw_trace.so LXW_TRACE=FILE build/fxbook ...
 * Each interposed function appends the call and its arguments to FILE
 * (the format: bench/lxw_trace.h), then calls the real one (dlsym
 * RTLD_NEXT), both under one mutex: the trace keeps the order of the
 * calls whichever thread makes them. What a pointer argument points to
 * is copied (strings, options, properties, conditional formats, lines,
 * fills); an object (workbook, worksheet, format, chart, series) is
 * numbered by its pointer in the order it was created, an axis by its
 * chart. Calls libxlsxwriter makes to its own exported functions (they
 * go through its PLT, so they reach here too: merge_range's cells,
 * set_column's set_column_opt, workbook_new_opt's default formats) pass
 * straight through, as the replay's own will: a thread-local flag says a
 * traced call is running. The trace is opened at the first call (a
 * wrapper such as env or time, which LD_PRELOAD reaches too, never opens
 * it). Without LXW_TRACE every call passes straight through.
 * The shim never writes to standard error while fxbook runs (fxbook
 * reads what libxlsxwriter says there as errors): a failed write of the
 * trace or an object it never saw created is reported at exit, and a
 * failed write leaves the trace without its END record, so the replay
 * refuses it. It changes nothing fxbook writes. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "lxw_trace.h"

/* ---- the real functions ---- */

#define FUNCS(X)                                                                                  \
    X(workbook_new_opt) X(workbook_add_worksheet) X(workbook_add_format) X(workbook_add_chart)    \
    X(workbook_set_properties) X(workbook_close) X(worksheet_write_string)                        \
    X(worksheet_write_number) X(worksheet_write_formula_num) X(worksheet_write_url_opt)           \
    X(worksheet_write_blank) X(worksheet_merge_range) X(worksheet_set_row)                        \
    X(worksheet_set_column) X(worksheet_set_column_opt) X(worksheet_freeze_panes)                 \
    X(worksheet_autofilter) X(worksheet_conditional_format_range) X(worksheet_repeat_rows)        \
    X(worksheet_fit_to_pages) X(worksheet_set_landscape) X(worksheet_set_paper)                   \
    X(worksheet_set_margins) X(worksheet_set_header) X(worksheet_set_footer)                      \
    X(worksheet_activate) X(worksheet_insert_chart_opt) X(format_set_bold)                        \
    X(format_set_num_format) X(format_set_bg_color) X(format_set_font_color) X(format_set_align)  \
    X(format_set_text_wrap) X(format_set_font_size) X(format_set_bottom) X(format_set_underline)  \
    X(format_set_indent) X(chart_add_series) X(chart_series_set_values)                           \
    X(chart_series_set_categories) X(chart_series_set_fill) X(chart_series_set_line)              \
    X(chart_series_set_name) X(chart_title_set_name) X(chart_show_hidden_data)                    \
    X(chart_legend_set_position) X(chart_axis_set_reverse) X(chart_axis_set_num_format)           \
    X(chart_axis_set_min) X(chart_axis_set_max) X(lxw_format_get_xf_index)                         \
    X(lxw_format_get_dxf_index)

#define IX(name) IX_##name,
enum { FUNCS(IX) NFUNCS };
#define NAME(name) #name,
static const char *const names[] = {FUNCS(NAME)};
static void *real[NFUNCS];
static pthread_once_t resolved = PTHREAD_ONCE_INIT;
static void resolve(void);
/* all resolved at the first call (a process that never calls one, never) */
#define REAL(name) (pthread_once(&resolved, resolve), (__typeof__(&name))real[IX_##name])

/* ---- state ---- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local int inside; /* a traced call runs on this thread */
static const char *path;         /* LXW_TRACE; NULL: pass through */
static int fd = -1;              /* the trace, opened at the first traced call */
static int failed;               /* errno of the first failed write */
static uint64_t nrecords;
static unsigned long unknown;    /* pointers never seen created */

enum { BUF = 1 << 20 };
static unsigned char *buf; /* BUF bytes, set with fd */
static size_t used;

/* pointer -> id, open addressing (ids are never 0) */
typedef struct {
    const void *p;
    uint32_t id;
} slot;
static slot *tab;
static size_t tcap, tn;
static uint32_t nwb, nws, nfmt, nchart, nseries;

static size_t hash(const void *p, size_t cap)
{
    return (size_t)(((uint64_t)(uintptr_t)p >> 4) * 0x9E3779B97F4A7C15u >> 20) & (cap - 1);
}

static void put_ptr(const void *p, uint32_t oid)
{
    if (tn + 1 > tcap / 2) {
        size_t ncap = tcap ? 2 * tcap : 256;
        slot *n = calloc(ncap, sizeof *n);
        if (!n) {
            failed = failed ? failed : ENOMEM;
            return;
        }
        for (size_t i = 0; i < tcap; i++)
            if (tab[i].p) {
                size_t h = hash(tab[i].p, ncap);
                while (n[h].p)
                    h = (h + 1) & (ncap - 1);
                n[h] = tab[i];
            }
        free(tab);
        tab = n;
        tcap = ncap;
    }
    size_t h = hash(p, tcap);
    while (tab[h].p && tab[h].p != p)
        h = (h + 1) & (tcap - 1);
    if (!tab[h].p)
        tn++;
    tab[h].p = p;
    tab[h].id = oid; /* an address freed and reused: the newer object */
}

static uint32_t id_of(const void *p)
{
    if (!p)
        return 0;
    if (tcap)
        for (size_t h = hash(p, tcap); tab[h].p; h = (h + 1) & (tcap - 1))
            if (tab[h].p == p)
                return tab[h].id;
    unknown++;
    return LXW_TRACE_UNKNOWN;
}

/* ---- writing ---- */

static void write_all(const void *p, size_t n)
{
    const unsigned char *s = p;
    while (n > 0 && !failed) {
        ssize_t k = write(fd, s, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            failed = k < 0 ? errno : EIO;
            break;
        }
        s += k;
        n -= (size_t)k;
    }
}

static void flush(void)
{
    write_all(buf, used);
    used = 0;
}

static void put(const void *p, size_t n)
{
    if (used + n > BUF)
        flush();
    if (n > BUF) {
        write_all(p, n);
        return;
    }
    memcpy(buf + used, p, n);
    used += n;
}

static void u8(unsigned v)
{
    if (used + 1 > BUF)
        flush();
    buf[used++] = (unsigned char)v;
}
static void u16(uint16_t v) { put(&v, sizeof v); }
static void u32(uint32_t v) { put(&v, sizeof v); }
static void i32(int32_t v) { put(&v, sizeof v); }
static void i64(int64_t v) { put(&v, sizeof v); }
static void u64(uint64_t v) { put(&v, sizeof v); }
static void f64(double v) { put(&v, sizeof v); }
static void row(lxw_row_t r) { u32(r); }
static void col(lxw_col_t c) { u16(c); }
static void id(const void *p) { u32(id_of(p)); }

static void str(const char *s)
{
    if (!s) {
        u32(LXW_TRACE_NULL);
        return;
    }
    size_t n = strlen(s);
    u32((uint32_t)n);
    put(s, n + 1);
}

/* an axis: by its chart */
static void axis(const lxw_chart_axis *a)
{
    u32(id_of(a));
}

/* A traced call: the lock, the flag, its opcode; end() after the real call. */
static void open_trace(void);
static void begin(enum lxw_trace_op op)
{
    pthread_mutex_lock(&mu);
    inside = 1;
    if (fd < 0 && !failed)
        open_trace();
    nrecords++;
    u8(op);
}

static void end(void)
{
    inside = 0;
    pthread_mutex_unlock(&mu);
}

#define TRACING (!inside && path)

/* ---- set-up and the end ---- */

static void resolve(void)
{
    for (int i = 0; i < NFUNCS; i++) {
        real[i] = dlsym(RTLD_NEXT, names[i]);
        if (!real[i]) {
            fprintf(stderr, "lxw_trace: %s: %s\n", names[i], dlerror());
            _exit(127);
        }
    }
}

/* Only a process that calls libxlsxwriter opens the trace, at its first
 * call: a wrapper that LD_PRELOAD reaches too (env, time, valgrind) never
 * touches it, nor needs libxlsxwriter. */
__attribute__((constructor)) static void trace_init(void)
{
    const char *t = getenv("LXW_TRACE");
    if (t && *t)
        path = t;
}

/* under the lock; a failure is kept in failed (buf then only ever empties) */
static void open_trace(void)
{
    static unsigned char space[BUF];
    buf = space;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        failed = errno;
        return;
    }
    put(LXW_TRACE_MAGIC, 8);
}

__attribute__((destructor)) static void trace_fini(void)
{
    if (!path)
        return;
    pthread_mutex_lock(&mu);
    if (fd >= 0) {
        if (!failed) { /* a failed trace has no END: the replay refuses it */
            u8(OP_END);
            u64(nrecords);
            flush();
        }
        if (close(fd) != 0 && !failed)
            failed = errno;
        fd = -1;
    }
    if (failed)
        fprintf(stderr, "lxw_trace: cannot write %s: %s\n", path, strerror(failed));
    if (unknown)
        fprintf(stderr, "lxw_trace: %lu calls named an object not seen created (%s)\n", unknown,
                path);
    path = NULL;
    pthread_mutex_unlock(&mu);
}

/* ---- workbook ---- */

lxw_workbook *workbook_new_opt(const char *filename, lxw_workbook_options *o)
{
    if (!TRACING)
        return REAL(workbook_new_opt)(filename, o);
    begin(OP_WB_NEW);
    str(filename);
    u8(o != NULL);
    if (o) {
        u8(o->constant_memory);
        str(o->tmpdir);
        u8(o->use_zip64);
    }
    lxw_workbook *wb = REAL(workbook_new_opt)(filename, o);
    ++nwb; /* numbered as the replay numbers it, created or not */
    if (wb)
        put_ptr(wb, nwb);
    end();
    return wb;
}

lxw_worksheet *workbook_add_worksheet(lxw_workbook *wb, const char *name)
{
    if (!TRACING)
        return REAL(workbook_add_worksheet)(wb, name);
    begin(OP_WB_ADD_WORKSHEET);
    id(wb);
    str(name);
    lxw_worksheet *ws = REAL(workbook_add_worksheet)(wb, name);
    ++nws;
    if (ws)
        put_ptr(ws, nws);
    end();
    return ws;
}

lxw_format *workbook_add_format(lxw_workbook *wb)
{
    if (!TRACING)
        return REAL(workbook_add_format)(wb);
    begin(OP_WB_ADD_FORMAT);
    id(wb);
    lxw_format *f = REAL(workbook_add_format)(wb);
    ++nfmt;
    if (f)
        put_ptr(f, nfmt);
    end();
    return f;
}

lxw_chart *workbook_add_chart(lxw_workbook *wb, uint8_t type)
{
    if (!TRACING)
        return REAL(workbook_add_chart)(wb, type);
    begin(OP_WB_ADD_CHART);
    id(wb);
    u8(type);
    lxw_chart *ch = REAL(workbook_add_chart)(wb, type);
    ++nchart;
    if (ch) {
        put_ptr(ch, nchart);
        if (ch->x_axis)
            put_ptr(ch->x_axis, 2 * nchart);
        if (ch->y_axis)
            put_ptr(ch->y_axis, 2 * nchart + 1);
    }
    end();
    return ch;
}

lxw_error workbook_set_properties(lxw_workbook *wb, lxw_doc_properties *p)
{
    if (!TRACING)
        return REAL(workbook_set_properties)(wb, p);
    begin(OP_WB_SET_PROPERTIES);
    id(wb);
    u8(p != NULL);
    if (p) {
        str(p->title);
        str(p->subject);
        str(p->author);
        str(p->manager);
        str(p->company);
        str(p->category);
        str(p->keywords);
        str(p->comments);
        str(p->status);
        str(p->hyperlink_base);
        i64((int64_t)p->created);
    }
    lxw_error e = REAL(workbook_set_properties)(wb, p);
    end();
    return e;
}

lxw_error workbook_close(lxw_workbook *wb)
{
    if (!TRACING)
        return REAL(workbook_close)(wb);
    begin(OP_WB_CLOSE);
    id(wb);
    flush(); /* on disk before the long call */
    lxw_error e = REAL(workbook_close)(wb);
    end();
    return e;
}

/* ---- worksheet: cells ---- */

lxw_error worksheet_write_string(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                                 lxw_format *f)
{
    if (!TRACING)
        return REAL(worksheet_write_string)(ws, r, c, s, f);
    begin(OP_WS_WRITE_STRING);
    id(ws);
    row(r);
    col(c);
    str(s);
    id(f);
    lxw_error e = REAL(worksheet_write_string)(ws, r, c, s, f);
    end();
    return e;
}

lxw_error worksheet_write_number(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v,
                                 lxw_format *f)
{
    if (!TRACING)
        return REAL(worksheet_write_number)(ws, r, c, v, f);
    begin(OP_WS_WRITE_NUMBER);
    id(ws);
    row(r);
    col(c);
    f64(v);
    id(f);
    lxw_error e = REAL(worksheet_write_number)(ws, r, c, v, f);
    end();
    return e;
}

lxw_error worksheet_write_formula_num(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                                      const char *formula, lxw_format *f, double result)
{
    if (!TRACING)
        return REAL(worksheet_write_formula_num)(ws, r, c, formula, f, result);
    begin(OP_WS_WRITE_FORMULA_NUM);
    id(ws);
    row(r);
    col(c);
    str(formula);
    id(f);
    f64(result);
    lxw_error e = REAL(worksheet_write_formula_num)(ws, r, c, formula, f, result);
    end();
    return e;
}

lxw_error worksheet_write_url_opt(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *url,
                                  lxw_format *f, const char *string, const char *tooltip)
{
    if (!TRACING)
        return REAL(worksheet_write_url_opt)(ws, r, c, url, f, string, tooltip);
    begin(OP_WS_WRITE_URL_OPT);
    id(ws);
    row(r);
    col(c);
    str(url);
    id(f);
    str(string);
    str(tooltip);
    lxw_error e = REAL(worksheet_write_url_opt)(ws, r, c, url, f, string, tooltip);
    end();
    return e;
}

lxw_error worksheet_write_blank(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, lxw_format *f)
{
    if (!TRACING)
        return REAL(worksheet_write_blank)(ws, r, c, f);
    begin(OP_WS_WRITE_BLANK);
    id(ws);
    row(r);
    col(c);
    id(f);
    lxw_error e = REAL(worksheet_write_blank)(ws, r, c, f);
    end();
    return e;
}

lxw_error worksheet_merge_range(lxw_worksheet *ws, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1,
                                lxw_col_t c1, const char *s, lxw_format *f)
{
    if (!TRACING)
        return REAL(worksheet_merge_range)(ws, r0, c0, r1, c1, s, f);
    begin(OP_WS_MERGE_RANGE);
    id(ws);
    row(r0);
    col(c0);
    row(r1);
    col(c1);
    str(s);
    id(f);
    lxw_error e = REAL(worksheet_merge_range)(ws, r0, c0, r1, c1, s, f);
    end();
    return e;
}

/* ---- worksheet: rows, columns, the sheet ---- */

lxw_error worksheet_set_row(lxw_worksheet *ws, lxw_row_t r, double height, lxw_format *f)
{
    if (!TRACING)
        return REAL(worksheet_set_row)(ws, r, height, f);
    begin(OP_WS_SET_ROW);
    id(ws);
    row(r);
    f64(height);
    id(f);
    lxw_error e = REAL(worksheet_set_row)(ws, r, height, f);
    end();
    return e;
}

lxw_error worksheet_set_column(lxw_worksheet *ws, lxw_col_t c0, lxw_col_t c1, double width,
                               lxw_format *f)
{
    if (!TRACING)
        return REAL(worksheet_set_column)(ws, c0, c1, width, f);
    begin(OP_WS_SET_COLUMN);
    id(ws);
    col(c0);
    col(c1);
    f64(width);
    id(f);
    lxw_error e = REAL(worksheet_set_column)(ws, c0, c1, width, f);
    end();
    return e;
}

lxw_error worksheet_set_column_opt(lxw_worksheet *ws, lxw_col_t c0, lxw_col_t c1, double width,
                                   lxw_format *f, lxw_row_col_options *o)
{
    if (!TRACING)
        return REAL(worksheet_set_column_opt)(ws, c0, c1, width, f, o);
    begin(OP_WS_SET_COLUMN_OPT);
    id(ws);
    col(c0);
    col(c1);
    f64(width);
    id(f);
    u8(o != NULL);
    if (o) {
        u8(o->hidden);
        u8(o->level);
        u8(o->collapsed);
    }
    lxw_error e = REAL(worksheet_set_column_opt)(ws, c0, c1, width, f, o);
    end();
    return e;
}

void worksheet_freeze_panes(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c)
{
    if (!TRACING) {
        REAL(worksheet_freeze_panes)(ws, r, c);
        return;
    }
    begin(OP_WS_FREEZE_PANES);
    id(ws);
    row(r);
    col(c);
    REAL(worksheet_freeze_panes)(ws, r, c);
    end();
}

lxw_error worksheet_autofilter(lxw_worksheet *ws, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1,
                               lxw_col_t c1)
{
    if (!TRACING)
        return REAL(worksheet_autofilter)(ws, r0, c0, r1, c1);
    begin(OP_WS_AUTOFILTER);
    id(ws);
    row(r0);
    col(c0);
    row(r1);
    col(c1);
    lxw_error e = REAL(worksheet_autofilter)(ws, r0, c0, r1, c1);
    end();
    return e;
}

lxw_error worksheet_conditional_format_range(lxw_worksheet *ws, lxw_row_t r0, lxw_col_t c0,
                                             lxw_row_t r1, lxw_col_t c1,
                                             lxw_conditional_format *cf)
{
    if (!TRACING)
        return REAL(worksheet_conditional_format_range)(ws, r0, c0, r1, c1, cf);
    begin(OP_WS_CONDITIONAL_FORMAT);
    id(ws);
    row(r0);
    col(c0);
    row(r1);
    col(c1);
    u8(cf != NULL);
    if (cf) { /* every field, in the struct's order (floor_xlsx.c reads them so) */
        u8(cf->type);
        u8(cf->criteria);
        f64(cf->value);
        str(cf->value_string);
        id(cf->format);
        f64(cf->min_value);
        str(cf->min_value_string);
        u8(cf->min_rule_type);
        u32(cf->min_color);
        f64(cf->mid_value);
        str(cf->mid_value_string);
        u8(cf->mid_rule_type);
        u32(cf->mid_color);
        f64(cf->max_value);
        str(cf->max_value_string);
        u8(cf->max_rule_type);
        u32(cf->max_color);
        u32(cf->bar_color);
        u8(cf->bar_only);
        u8(cf->data_bar_2010);
        u8(cf->bar_solid);
        u32(cf->bar_negative_color);
        u32(cf->bar_border_color);
        u32(cf->bar_negative_border_color);
        u8(cf->bar_negative_color_same);
        u8(cf->bar_negative_border_color_same);
        u8(cf->bar_no_border);
        u8(cf->bar_direction);
        u8(cf->bar_axis_position);
        u32(cf->bar_axis_color);
        u8(cf->icon_style);
        u8(cf->reverse_icons);
        u8(cf->icons_only);
        str(cf->multi_range);
        u8(cf->stop_if_true);
    }
    lxw_error e = REAL(worksheet_conditional_format_range)(ws, r0, c0, r1, c1, cf);
    end();
    return e;
}

lxw_error worksheet_repeat_rows(lxw_worksheet *ws, lxw_row_t r0, lxw_row_t r1)
{
    if (!TRACING)
        return REAL(worksheet_repeat_rows)(ws, r0, r1);
    begin(OP_WS_REPEAT_ROWS);
    id(ws);
    row(r0);
    row(r1);
    lxw_error e = REAL(worksheet_repeat_rows)(ws, r0, r1);
    end();
    return e;
}

void worksheet_fit_to_pages(lxw_worksheet *ws, uint16_t width, uint16_t height)
{
    if (!TRACING) {
        REAL(worksheet_fit_to_pages)(ws, width, height);
        return;
    }
    begin(OP_WS_FIT_TO_PAGES);
    id(ws);
    u16(width);
    u16(height);
    REAL(worksheet_fit_to_pages)(ws, width, height);
    end();
}

void worksheet_set_landscape(lxw_worksheet *ws)
{
    if (!TRACING) {
        REAL(worksheet_set_landscape)(ws);
        return;
    }
    begin(OP_WS_SET_LANDSCAPE);
    id(ws);
    REAL(worksheet_set_landscape)(ws);
    end();
}

void worksheet_set_paper(lxw_worksheet *ws, uint8_t paper)
{
    if (!TRACING) {
        REAL(worksheet_set_paper)(ws, paper);
        return;
    }
    begin(OP_WS_SET_PAPER);
    id(ws);
    u8(paper);
    REAL(worksheet_set_paper)(ws, paper);
    end();
}

void worksheet_set_margins(lxw_worksheet *ws, double left, double right, double top,
                           double bottom)
{
    if (!TRACING) {
        REAL(worksheet_set_margins)(ws, left, right, top, bottom);
        return;
    }
    begin(OP_WS_SET_MARGINS);
    id(ws);
    f64(left);
    f64(right);
    f64(top);
    f64(bottom);
    REAL(worksheet_set_margins)(ws, left, right, top, bottom);
    end();
}

lxw_error worksheet_set_header(lxw_worksheet *ws, const char *s)
{
    if (!TRACING)
        return REAL(worksheet_set_header)(ws, s);
    begin(OP_WS_SET_HEADER);
    id(ws);
    str(s);
    lxw_error e = REAL(worksheet_set_header)(ws, s);
    end();
    return e;
}

lxw_error worksheet_set_footer(lxw_worksheet *ws, const char *s)
{
    if (!TRACING)
        return REAL(worksheet_set_footer)(ws, s);
    begin(OP_WS_SET_FOOTER);
    id(ws);
    str(s);
    lxw_error e = REAL(worksheet_set_footer)(ws, s);
    end();
    return e;
}

void worksheet_activate(lxw_worksheet *ws)
{
    if (!TRACING) {
        REAL(worksheet_activate)(ws);
        return;
    }
    begin(OP_WS_ACTIVATE);
    id(ws);
    REAL(worksheet_activate)(ws);
    end();
}

lxw_error worksheet_insert_chart_opt(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, lxw_chart *ch,
                                     lxw_chart_options *o)
{
    if (!TRACING)
        return REAL(worksheet_insert_chart_opt)(ws, r, c, ch, o);
    begin(OP_WS_INSERT_CHART_OPT);
    id(ws);
    row(r);
    col(c);
    id(ch);
    u8(o != NULL);
    if (o) {
        i32(o->x_offset);
        i32(o->y_offset);
        f64(o->x_scale);
        f64(o->y_scale);
        u8(o->object_position);
        str(o->description);
        u8(o->decorative);
    }
    lxw_error e = REAL(worksheet_insert_chart_opt)(ws, r, c, ch, o);
    end();
    return e;
}

/* ---- formats ---- */

#define FORMAT_SET0(name, OP)                                                                     \
    void name(lxw_format *f)                                                                      \
    {                                                                                             \
        if (!TRACING) {                                                                           \
            REAL(name)(f);                                                                        \
            return;                                                                               \
        }                                                                                         \
        begin(OP);                                                                                \
        id(f);                                                                                    \
        REAL(name)(f);                                                                            \
        end();                                                                                    \
    }
#define FORMAT_SET1(name, OP, T, put1)                                                            \
    void name(lxw_format *f, T v)                                                                 \
    {                                                                                             \
        if (!TRACING) {                                                                           \
            REAL(name)(f, v);                                                                     \
            return;                                                                               \
        }                                                                                         \
        begin(OP);                                                                                \
        id(f);                                                                                    \
        put1(v);                                                                                  \
        REAL(name)(f, v);                                                                         \
        end();                                                                                    \
    }

FORMAT_SET0(format_set_bold, OP_FMT_SET_BOLD)
FORMAT_SET1(format_set_num_format, OP_FMT_SET_NUM_FORMAT, const char *, str)
FORMAT_SET1(format_set_bg_color, OP_FMT_SET_BG_COLOR, lxw_color_t, u32)
FORMAT_SET1(format_set_font_color, OP_FMT_SET_FONT_COLOR, lxw_color_t, u32)
FORMAT_SET1(format_set_align, OP_FMT_SET_ALIGN, uint8_t, u8)
FORMAT_SET0(format_set_text_wrap, OP_FMT_SET_TEXT_WRAP)
FORMAT_SET1(format_set_font_size, OP_FMT_SET_FONT_SIZE, double, f64)
FORMAT_SET1(format_set_bottom, OP_FMT_SET_BOTTOM, uint8_t, u8)
FORMAT_SET1(format_set_underline, OP_FMT_SET_UNDERLINE, uint8_t, u8)
FORMAT_SET1(format_set_indent, OP_FMT_SET_INDENT, uint8_t, u8)

/* Called by the library itself at each cell too: traced only from fxbook. */
#define FORMAT_INDEX(name, OP)                                                                    \
    int32_t name(lxw_format *f)                                                                   \
    {                                                                                             \
        if (!TRACING)                                                                             \
            return REAL(name)(f);                                                                 \
        begin(OP);                                                                                \
        id(f);                                                                                    \
        int32_t i = REAL(name)(f);                                                                \
        end();                                                                                    \
        return i;                                                                                 \
    }

FORMAT_INDEX(lxw_format_get_xf_index, OP_FMT_XF_INDEX)
FORMAT_INDEX(lxw_format_get_dxf_index, OP_FMT_DXF_INDEX)

/* ---- charts ---- */

lxw_chart_series *chart_add_series(lxw_chart *ch, const char *categories, const char *values)
{
    if (!TRACING)
        return REAL(chart_add_series)(ch, categories, values);
    begin(OP_CH_ADD_SERIES);
    id(ch);
    str(categories);
    str(values);
    lxw_chart_series *s = REAL(chart_add_series)(ch, categories, values);
    ++nseries;
    if (s)
        put_ptr(s, nseries);
    end();
    return s;
}

#define SERIES_RANGE(name, OP)                                                                    \
    void name(lxw_chart_series *s, const char *sheet, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1,  \
              lxw_col_t c1)                                                                       \
    {                                                                                             \
        if (!TRACING) {                                                                           \
            REAL(name)(s, sheet, r0, c0, r1, c1);                                                 \
            return;                                                                               \
        }                                                                                         \
        begin(OP);                                                                                \
        id(s);                                                                                    \
        str(sheet);                                                                               \
        row(r0);                                                                                  \
        col(c0);                                                                                  \
        row(r1);                                                                                  \
        col(c1);                                                                                  \
        REAL(name)(s, sheet, r0, c0, r1, c1);                                                     \
        end();                                                                                    \
    }
SERIES_RANGE(chart_series_set_values, OP_CH_SERIES_SET_VALUES)
SERIES_RANGE(chart_series_set_categories, OP_CH_SERIES_SET_CATEGORIES)

void chart_series_set_fill(lxw_chart_series *s, lxw_chart_fill *fill)
{
    if (!TRACING) {
        REAL(chart_series_set_fill)(s, fill);
        return;
    }
    begin(OP_CH_SERIES_SET_FILL);
    id(s);
    u8(fill != NULL);
    if (fill) {
        u32(fill->color);
        u8(fill->none);
        u8(fill->transparency);
    }
    REAL(chart_series_set_fill)(s, fill);
    end();
}

void chart_series_set_line(lxw_chart_series *s, lxw_chart_line *line)
{
    if (!TRACING) {
        REAL(chart_series_set_line)(s, line);
        return;
    }
    begin(OP_CH_SERIES_SET_LINE);
    id(s);
    u8(line != NULL);
    if (line) {
        u32(line->color);
        u8(line->none);
        f64(line->width); /* a float: exact as a double */
        u8(line->dash_type);
        u8(line->transparency);
    }
    REAL(chart_series_set_line)(s, line);
    end();
}

void chart_series_set_name(lxw_chart_series *s, const char *name)
{
    if (!TRACING) {
        REAL(chart_series_set_name)(s, name);
        return;
    }
    begin(OP_CH_SERIES_SET_NAME);
    id(s);
    str(name);
    REAL(chart_series_set_name)(s, name);
    end();
}

void chart_title_set_name(lxw_chart *ch, const char *name)
{
    if (!TRACING) {
        REAL(chart_title_set_name)(ch, name);
        return;
    }
    begin(OP_CH_TITLE_SET_NAME);
    id(ch);
    str(name);
    REAL(chart_title_set_name)(ch, name);
    end();
}

void chart_show_hidden_data(lxw_chart *ch)
{
    if (!TRACING) {
        REAL(chart_show_hidden_data)(ch);
        return;
    }
    begin(OP_CH_SHOW_HIDDEN_DATA);
    id(ch);
    REAL(chart_show_hidden_data)(ch);
    end();
}

void chart_legend_set_position(lxw_chart *ch, uint8_t position)
{
    if (!TRACING) {
        REAL(chart_legend_set_position)(ch, position);
        return;
    }
    begin(OP_CH_LEGEND_SET_POSITION);
    id(ch);
    u8(position);
    REAL(chart_legend_set_position)(ch, position);
    end();
}

void chart_axis_set_reverse(lxw_chart_axis *a)
{
    if (!TRACING) {
        REAL(chart_axis_set_reverse)(a);
        return;
    }
    begin(OP_CH_AXIS_SET_REVERSE);
    axis(a);
    REAL(chart_axis_set_reverse)(a);
    end();
}

void chart_axis_set_num_format(lxw_chart_axis *a, const char *num_format)
{
    if (!TRACING) {
        REAL(chart_axis_set_num_format)(a, num_format);
        return;
    }
    begin(OP_CH_AXIS_SET_NUM_FORMAT);
    axis(a);
    str(num_format);
    REAL(chart_axis_set_num_format)(a, num_format);
    end();
}

void chart_axis_set_min(lxw_chart_axis *a, double v)
{
    if (!TRACING) {
        REAL(chart_axis_set_min)(a, v);
        return;
    }
    begin(OP_CH_AXIS_SET_MIN);
    axis(a);
    f64(v);
    REAL(chart_axis_set_min)(a, v);
    end();
}

void chart_axis_set_max(lxw_chart_axis *a, double v)
{
    if (!TRACING) {
        REAL(chart_axis_set_max)(a, v);
        return;
    }
    begin(OP_CH_AXIS_SET_MAX);
    axis(a);
    f64(v);
    REAL(chart_axis_set_max)(a, v);
    end();
}
