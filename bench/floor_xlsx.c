/* floor_xlsx - floor (c) of `make bench`: libxlsxwriter alone writing the
 * same cells as fxbook. `floor_xlsx TRACE OUT.xlsx` replays a trace of
 * every libxlsxwriter call one fxbook run made (bench/lxw_trace.c, an
 * LD_PRELOAD shim, records them; the format: bench/lxw_trace.h): the same
 * calls with the same arguments in the same order, so the same sheets,
 * rows, cells, formats, conditional formats, print set-up, chart and
 * properties, right by construction - nothing here is kept in step with
 * src/sheet*.c. Only the output's name and the temporary folder (OUT's
 * own folder, as fxbook uses its output's) differ from fxbook's.
 * The whole trace is read into memory first (not timed); then one thread
 * replays it: the clock runs from workbook_new_opt to the end of
 * workbook_close. Nothing else is done per call but reading its fields:
 * no parsing, no arithmetic, no checks beyond the library's return codes,
 * every one of which is checked (any error: exit 74; a bad trace: 65).
 * Prints "seconds cells MB": cells counts the cell writes (strings,
 * numbers, formulas, links, blanks, merged ranges); MB is how much the
 * peak RSS grew while writing (the library's own memory: the trace was
 * loaded before). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "lxw_trace.h"
#include "timer.h"

/* ---- the trace ---- */

static const char *trace_path;
static unsigned char *p, *end; /* the next field; the end of the trace */
static uint64_t nrec;          /* records replayed */
static unsigned op;            /* the current record's opcode */

static _Noreturn void bad(const char *why)
{
    fprintf(stderr, "floor_xlsx: %s: record %llu (opcode %u): %s\n", trace_path,
            (unsigned long long)nrec, op, why);
    exit(65);
}

static unsigned char *take(size_t n)
{
    if ((size_t)(end - p) < n)
        bad("the trace is cut short");
    unsigned char *q = p;
    p += n;
    return q;
}

static uint8_t u8(void) { return *take(1); }
#define RD(name, T)                                                                               \
    static T name(void)                                                                           \
    {                                                                                             \
        T v;                                                                                      \
        memcpy(&v, take(sizeof v), sizeof v);                                                     \
        return v;                                                                                 \
    }
RD(u16, uint16_t)
RD(u32, uint32_t)
RD(i32, int32_t)
RD(i64, int64_t)
RD(u64, uint64_t)
RD(f64, double)
static lxw_row_t row(void) { return u32(); }
static lxw_col_t col(void) { return u16(); }

/* a string in place (the trace holds its NUL), or NULL */
static char *str(void)
{
    uint32_t n = u32();
    if (n == LXW_TRACE_NULL)
        return NULL;
    char *s = (char *)take((size_t)n + 1);
    if (s[n] != '\0')
        bad("a string without its NUL");
    return s;
}

static unsigned char *load(const char *path)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(path);
        exit(66);
    }
    size_t size = (size_t)st.st_size;
    unsigned char *b = malloc(size ? size : 1);
    if (!b) {
        fprintf(stderr, "floor_xlsx: out of memory for %s\n", path);
        exit(71);
    }
    for (size_t got = 0; got < size;) {
        ssize_t k = read(fd, b + got, size - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            fprintf(stderr, "floor_xlsx: cannot read %s: %s\n", path,
                    k < 0 ? strerror(errno) : "it shrank");
            exit(66);
        }
        got += (size_t)k;
    }
    close(fd);
    if (size < 8 || memcmp(b, LXW_TRACE_MAGIC, 8) != 0) {
        fprintf(stderr, "floor_xlsx: %s is not a trace of bench/lxw_trace.so\n", path);
        exit(65);
    }
    p = b + 8;
    end = b + size;
    return b;
}

/* ---- the objects, by id (1, 2, ... as created; 0 is NULL) ---- */

typedef struct {
    void **v;
    uint32_t n, cap;
    const char *what;
} objs;
static objs workbooks = {.what = "workbook"}, worksheets = {.what = "worksheet"},
            formats = {.what = "format"}, charts = {.what = "chart"}, series = {.what = "series"};

static void add(objs *o, void *x)
{
    if (!x) {
        char why[64];
        snprintf(why, sizeof why, "libxlsxwriter did not create the %s", o->what);
        bad(why);
    }
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 64;
        o->v = realloc(o->v, o->cap * sizeof *o->v);
        if (!o->v) {
            fprintf(stderr, "floor_xlsx: out of memory\n");
            exit(71);
        }
    }
    o->v[o->n++] = x;
}

static void *get(objs *o, uint32_t id)
{
    if (id == 0)
        return NULL;
    if (id > o->n) {
        char why[96];
        snprintf(why, sizeof why, "a %s never created (%s)", o->what,
                 id == LXW_TRACE_UNKNOWN ? "fxbook passed a pointer the shim never saw" : "id");
        bad(why);
    }
    return o->v[id - 1];
}

/* the object a call works on: never NULL */
static void *self(objs *o)
{
    void *x = get(o, u32());
    if (!x) {
        char why[64];
        snprintf(why, sizeof why, "a call on a NULL %s", o->what);
        bad(why);
    }
    return x;
}

#define WB() ((lxw_workbook *)self(&workbooks))
#define WS() ((lxw_worksheet *)self(&worksheets))
#define FMT() ((lxw_format *)self(&formats))
#define CHART() ((lxw_chart *)self(&charts))
#define SERIES() ((lxw_chart_series *)self(&series))
#define FORMAT() ((lxw_format *)get(&formats, u32()))

static lxw_chart_axis *axis(void)
{
    uint32_t a = u32();
    lxw_chart *ch = get(&charts, a == LXW_TRACE_UNKNOWN ? a : a / 2);
    if (!ch)
        bad("an axis of no chart");
    return a & 1 ? ch->y_axis : ch->x_axis;
}

/* ---- the replay ---- */

static unsigned long ncells;

static void ok(lxw_error e)
{
    if (e != LXW_NO_ERROR) {
        fprintf(stderr, "floor_xlsx: record %llu (opcode %u): %s\n", (unsigned long long)nrec, op,
                lxw_strerror(e));
        exit(74);
    }
}

static void cell(lxw_error e)
{
    ok(e);
    ncells++;
}

/* a "Vm...:  123 kB" line of /proc/self/status */
static long status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0)
            kb = strtol(line + n, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: floor_xlsx TRACE OUT.xlsx\n");
        return 64;
    }
    trace_path = argv[1];
    const char *out = argv[2];
    unsigned char *trace = load(trace_path);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", out);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    if (p == end || *p != OP_WB_NEW)
        bad("the trace does not start with workbook_new_opt");

    /* reset the peak RSS (Linux: clear_refs 5) so that it measures the writing */
    FILE *cr = fopen("/proc/self/clear_refs", "w");
    if (cr) {
        fputs("5", cr);
        fclose(cr);
    }
    long rss0 = status_kb("VmRSS:");
    double t0 = bench_now(), t1 = 0;
    int open_books = 0;
    for (;;) {
        if (p == end)
            bad("no END record after it: the trace is cut short (did fxbook or the shim fail?)");
        op = u8();
        if (op == OP_END)
            break;
        nrec++;
        switch (op) {
        case OP_WB_NEW: {
            (void)str(); /* fxbook's file name: this one writes OUT */
            lxw_workbook_options o = {0}, *po = NULL;
            if (u8()) {
                o.constant_memory = u8();
                (void)str(); /* fxbook's output folder: OUT's here */
                o.tmpdir = dir;
                o.use_zip64 = u8();
                po = &o;
            }
            if (workbooks.n)
                bad("a second workbook: OUT would be written twice");
            add(&workbooks, workbook_new_opt(out, po));
            open_books++;
            break;
        }
        case OP_WB_ADD_WORKSHEET: {
            lxw_workbook *wb = WB();
            add(&worksheets, workbook_add_worksheet(wb, str()));
            break;
        }
        case OP_WB_ADD_FORMAT:
            add(&formats, workbook_add_format(WB()));
            break;
        case OP_WB_ADD_CHART: {
            lxw_workbook *wb = WB();
            add(&charts, workbook_add_chart(wb, u8()));
            break;
        }
        case OP_WB_SET_PROPERTIES: {
            lxw_workbook *wb = WB();
            lxw_doc_properties d = {0}, *pd = NULL;
            if (u8()) {
                d.title = str();
                d.subject = str();
                d.author = str();
                d.manager = str();
                d.company = str();
                d.category = str();
                d.keywords = str();
                d.comments = str();
                d.status = str();
                d.hyperlink_base = str();
                d.created = (time_t)i64();
                pd = &d;
            }
            ok(workbook_set_properties(wb, pd));
            break;
        }
        case OP_WB_CLOSE:
            ok(workbook_close(WB()));
            t1 = bench_now();
            open_books--;
            break;
        case OP_WS_WRITE_STRING: {
            lxw_worksheet *ws = WS();
            lxw_row_t r = row();
            lxw_col_t c = col();
            const char *s = str();
            cell(worksheet_write_string(ws, r, c, s, FORMAT()));
            break;
        }
        case OP_WS_WRITE_NUMBER: {
            lxw_worksheet *ws = WS();
            lxw_row_t r = row();
            lxw_col_t c = col();
            double v = f64();
            cell(worksheet_write_number(ws, r, c, v, FORMAT()));
            break;
        }
        case OP_WS_WRITE_FORMULA_NUM: {
            lxw_worksheet *ws = WS();
            lxw_row_t r = row();
            lxw_col_t c = col();
            const char *formula = str();
            lxw_format *f = FORMAT();
            cell(worksheet_write_formula_num(ws, r, c, formula, f, f64()));
            break;
        }
        case OP_WS_WRITE_URL_OPT: {
            lxw_worksheet *ws = WS();
            lxw_row_t r = row();
            lxw_col_t c = col();
            const char *url = str();
            lxw_format *f = FORMAT();
            const char *s = str();
            cell(worksheet_write_url_opt(ws, r, c, url, f, s, str()));
            break;
        }
        case OP_WS_WRITE_BLANK: {
            lxw_worksheet *ws = WS();
            lxw_row_t r = row();
            lxw_col_t c = col();
            cell(worksheet_write_blank(ws, r, c, FORMAT()));
            break;
        }
        case OP_WS_MERGE_RANGE: {
            lxw_worksheet *ws = WS();
            lxw_row_t r0 = row();
            lxw_col_t c0 = col();
            lxw_row_t r1 = row();
            lxw_col_t c1 = col();
            const char *s = str();
            cell(worksheet_merge_range(ws, r0, c0, r1, c1, s, FORMAT()));
            break;
        }
        case OP_WS_SET_ROW: {
            lxw_worksheet *ws = WS();
            lxw_row_t r = row();
            double h = f64();
            ok(worksheet_set_row(ws, r, h, FORMAT()));
            break;
        }
        case OP_WS_SET_COLUMN: {
            lxw_worksheet *ws = WS();
            lxw_col_t c0 = col(), c1 = col();
            double w = f64();
            ok(worksheet_set_column(ws, c0, c1, w, FORMAT()));
            break;
        }
        case OP_WS_SET_COLUMN_OPT: {
            lxw_worksheet *ws = WS();
            lxw_col_t c0 = col(), c1 = col();
            double w = f64();
            lxw_format *f = FORMAT();
            lxw_row_col_options o = {0}, *po = NULL;
            if (u8()) {
                o.hidden = u8();
                o.level = u8();
                o.collapsed = u8();
                po = &o;
            }
            ok(worksheet_set_column_opt(ws, c0, c1, w, f, po));
            break;
        }
        case OP_WS_FREEZE_PANES: {
            lxw_worksheet *ws = WS();
            lxw_row_t r = row();
            worksheet_freeze_panes(ws, r, col());
            break;
        }
        case OP_WS_AUTOFILTER: {
            lxw_worksheet *ws = WS();
            lxw_row_t r0 = row();
            lxw_col_t c0 = col();
            lxw_row_t r1 = row();
            ok(worksheet_autofilter(ws, r0, c0, r1, col()));
            break;
        }
        case OP_WS_CONDITIONAL_FORMAT: {
            lxw_worksheet *ws = WS();
            lxw_row_t r0 = row();
            lxw_col_t c0 = col();
            lxw_row_t r1 = row();
            lxw_col_t c1 = col();
            lxw_conditional_format cf = {0}, *pcf = NULL;
            if (u8()) { /* the order lxw_trace.c writes them in */
                cf.type = u8();
                cf.criteria = u8();
                cf.value = f64();
                cf.value_string = str();
                cf.format = FORMAT();
                cf.min_value = f64();
                cf.min_value_string = str();
                cf.min_rule_type = u8();
                cf.min_color = u32();
                cf.mid_value = f64();
                cf.mid_value_string = str();
                cf.mid_rule_type = u8();
                cf.mid_color = u32();
                cf.max_value = f64();
                cf.max_value_string = str();
                cf.max_rule_type = u8();
                cf.max_color = u32();
                cf.bar_color = u32();
                cf.bar_only = u8();
                cf.data_bar_2010 = u8();
                cf.bar_solid = u8();
                cf.bar_negative_color = u32();
                cf.bar_border_color = u32();
                cf.bar_negative_border_color = u32();
                cf.bar_negative_color_same = u8();
                cf.bar_negative_border_color_same = u8();
                cf.bar_no_border = u8();
                cf.bar_direction = u8();
                cf.bar_axis_position = u8();
                cf.bar_axis_color = u32();
                cf.icon_style = u8();
                cf.reverse_icons = u8();
                cf.icons_only = u8();
                cf.multi_range = str();
                cf.stop_if_true = u8();
                pcf = &cf;
            }
            ok(worksheet_conditional_format_range(ws, r0, c0, r1, c1, pcf));
            break;
        }
        case OP_WS_REPEAT_ROWS: {
            lxw_worksheet *ws = WS();
            lxw_row_t r0 = row();
            ok(worksheet_repeat_rows(ws, r0, row()));
            break;
        }
        case OP_WS_FIT_TO_PAGES: {
            lxw_worksheet *ws = WS();
            uint16_t w = u16();
            worksheet_fit_to_pages(ws, w, u16());
            break;
        }
        case OP_WS_SET_LANDSCAPE:
            worksheet_set_landscape(WS());
            break;
        case OP_WS_SET_PAPER: {
            lxw_worksheet *ws = WS();
            worksheet_set_paper(ws, u8());
            break;
        }
        case OP_WS_SET_MARGINS: {
            lxw_worksheet *ws = WS();
            double l = f64(), r = f64(), t = f64();
            worksheet_set_margins(ws, l, r, t, f64());
            break;
        }
        case OP_WS_SET_HEADER: {
            lxw_worksheet *ws = WS();
            ok(worksheet_set_header(ws, str()));
            break;
        }
        case OP_WS_SET_FOOTER: {
            lxw_worksheet *ws = WS();
            ok(worksheet_set_footer(ws, str()));
            break;
        }
        case OP_WS_ACTIVATE:
            worksheet_activate(WS());
            break;
        case OP_WS_INSERT_CHART_OPT: {
            lxw_worksheet *ws = WS();
            lxw_row_t r = row();
            lxw_col_t c = col();
            lxw_chart *ch = get(&charts, u32());
            lxw_chart_options o = {0}, *po = NULL;
            if (u8()) {
                o.x_offset = i32();
                o.y_offset = i32();
                o.x_scale = f64();
                o.y_scale = f64();
                o.object_position = u8();
                o.description = str();
                o.decorative = u8();
                po = &o;
            }
            ok(worksheet_insert_chart_opt(ws, r, c, ch, po));
            break;
        }
        case OP_FMT_SET_BOLD:
            format_set_bold(FMT());
            break;
        case OP_FMT_SET_NUM_FORMAT: {
            lxw_format *f = FMT();
            format_set_num_format(f, str());
            break;
        }
        case OP_FMT_SET_BG_COLOR: {
            lxw_format *f = FMT();
            format_set_bg_color(f, u32());
            break;
        }
        case OP_FMT_SET_FONT_COLOR: {
            lxw_format *f = FMT();
            format_set_font_color(f, u32());
            break;
        }
        case OP_FMT_SET_ALIGN: {
            lxw_format *f = FMT();
            format_set_align(f, u8());
            break;
        }
        case OP_FMT_SET_TEXT_WRAP:
            format_set_text_wrap(FMT());
            break;
        case OP_FMT_SET_FONT_SIZE: {
            lxw_format *f = FMT();
            format_set_font_size(f, f64());
            break;
        }
        case OP_FMT_SET_BOTTOM: {
            lxw_format *f = FMT();
            format_set_bottom(f, u8());
            break;
        }
        case OP_FMT_SET_UNDERLINE: {
            lxw_format *f = FMT();
            format_set_underline(f, u8());
            break;
        }
        case OP_FMT_SET_INDENT: {
            lxw_format *f = FMT();
            format_set_indent(f, u8());
            break;
        }
        case OP_FMT_XF_INDEX:
            lxw_format_get_xf_index(FMT());
            break;
        case OP_FMT_DXF_INDEX:
            lxw_format_get_dxf_index(FMT());
            break;
        case OP_CH_ADD_SERIES: {
            lxw_chart *ch = CHART();
            const char *cats = str();
            add(&series, chart_add_series(ch, cats, str()));
            break;
        }
        case OP_CH_SERIES_SET_VALUES:
        case OP_CH_SERIES_SET_CATEGORIES: {
            lxw_chart_series *s = SERIES();
            const char *sheet = str();
            lxw_row_t r0 = row();
            lxw_col_t c0 = col();
            lxw_row_t r1 = row();
            lxw_col_t c1 = col();
            if (op == OP_CH_SERIES_SET_VALUES)
                chart_series_set_values(s, sheet, r0, c0, r1, c1);
            else
                chart_series_set_categories(s, sheet, r0, c0, r1, c1);
            break;
        }
        case OP_CH_SERIES_SET_FILL: {
            lxw_chart_series *s = SERIES();
            lxw_chart_fill fill = {0}, *pf = NULL;
            if (u8()) {
                fill.color = u32();
                fill.none = u8();
                fill.transparency = u8();
                pf = &fill;
            }
            chart_series_set_fill(s, pf);
            break;
        }
        case OP_CH_SERIES_SET_LINE: {
            lxw_chart_series *s = SERIES();
            lxw_chart_line line = {0}, *pl = NULL;
            if (u8()) {
                line.color = u32();
                line.none = u8();
                line.width = (float)f64();
                line.dash_type = u8();
                line.transparency = u8();
                pl = &line;
            }
            chart_series_set_line(s, pl);
            break;
        }
        case OP_CH_SERIES_SET_NAME: {
            lxw_chart_series *s = SERIES();
            chart_series_set_name(s, str());
            break;
        }
        case OP_CH_TITLE_SET_NAME: {
            lxw_chart *ch = CHART();
            chart_title_set_name(ch, str());
            break;
        }
        case OP_CH_SHOW_HIDDEN_DATA:
            chart_show_hidden_data(CHART());
            break;
        case OP_CH_LEGEND_SET_POSITION: {
            lxw_chart *ch = CHART();
            chart_legend_set_position(ch, u8());
            break;
        }
        case OP_CH_AXIS_SET_REVERSE:
            chart_axis_set_reverse(axis());
            break;
        case OP_CH_AXIS_SET_NUM_FORMAT: {
            lxw_chart_axis *a = axis();
            chart_axis_set_num_format(a, str());
            break;
        }
        case OP_CH_AXIS_SET_MIN: {
            lxw_chart_axis *a = axis();
            chart_axis_set_min(a, f64());
            break;
        }
        case OP_CH_AXIS_SET_MAX: {
            lxw_chart_axis *a = axis();
            chart_axis_set_max(a, f64());
            break;
        }
        default:
            bad("an unknown opcode");
        }
    }
    uint64_t n = u64();
    if (n != nrec)
        bad("the END record counts other records");
    if (p != end)
        bad("bytes after the END record");
    if (open_books != 0 || !workbooks.n)
        bad("fxbook did not close its workbook (it failed?)");
    printf("%.6f %lu %.1f\n", t1 - t0, ncells, (double)(status_kb("VmHWM:") - rss0) / 1024);
    fprintf(stderr, "floor_xlsx: %llu calls: %lu cells, %u sheets, %u formats, %u charts\n",
            (unsigned long long)nrec, ncells, worksheets.n, formats.n, charts.n);
    free(workbooks.v);
    free(worksheets.v);
    free(formats.v);
    free(charts.v);
    free(series.v);
    free(trace);
    return 0;
}
