/* floor_xlsx - floor (c) of `make bench`: the cells fxbook's book writes,
 * written with libxlsxwriter alone. It loads the "-p" plan of gen into
 * memory first (not timed): per fact the texts and numbers of its Facts
 * row and, when audited, of its Conversions row; per claim its Comparison
 * row; the Sources; the Rates used. Then it writes the six sheets as
 * src/book.c and src/sheet*.c do in constant_memory mode: the same sheets
 * in the same order, the same rows, the same cell types and texts (inline
 * strings, numbers with the same formats, dates, formulas with cached
 * values), comments, conditional formats, autofilters, frozen panes and
 * the Summary chart.
 * Nothing else: no parsing, no arithmetic, no checks beyond the library's
 * return codes. Prints "seconds cells MB": the time runs from
 * workbook_new_opt to the end of workbook_close; MB is how much the peak
 * RSS grew while writing (the library's own memory: the plan was loaded
 * before). Keep in step with src/sheet*.c. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "timer.h"

/* ---- the plan (see bench/gen.c) ---- */

enum { T_ID, T_ENTITY, T_CLAIM, T_SOURCE, T_SCALE, T_UNIT, T_CODE, T_QUAL, T_REP_SCALE,
       T_REP_UNIT, T_VERDICT, T_QUOTE, T_NOTE, T_FORMULA, T_N };
enum { N_PUB, N_VAL_DAY, N_VALUE, N_AMOUNT, N_ROUNDED, N_EXACT, N_REP_VALUE, N_N };

typedef struct {
    uint8_t as_of, money, rep, vp, ap, rep_places, rp;
    double num[N_N];
    const char *text[T_N];
    uint32_t conv; /* index + 1 into convs: its Conversions row */
} fact;

typedef struct {
    double computed, exact, deviation, reported;
    const char *unit, *rep_unit, *days, *formula;
    uint32_t fact;
} conv;

typedef struct {
    const char *claim, *entity, *kind, *unit, *verdict;
    int money;
    double facts, nsources, min, max, spread;
    uint32_t first, n; /* into cells[] */
} claimrow;

typedef struct {
    uint32_t col, count, first_fact;
    double value;
} cell;

typedef struct {
    const char *name, *input;
    double published, facts;
} source;

typedef struct {
    double day, value, line;
    const char *quote, *exact, *file;
} rate;

#define VEC(T, name) static T *name; static size_t n_##name, cap_##name
VEC(fact, facts);
VEC(conv, convs);
VEC(claimrow, claims);
VEC(cell, cells);
VEC(source, sources);
VEC(rate, rates);

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    *cap = *cap ? 2 * *cap : 1024;
    p = realloc(p, *cap * size);
    if (!p) {
        fprintf(stderr, "floor_xlsx: out of memory\n");
        exit(70);
    }
    return p;
}
#define PUSH(name) \
    (name = grow(name, &cap_##name, n_##name, sizeof *name), &name[n_##name++])

/* The next tab-separated field of *p, NUL-terminated in place. */
static char *field(char **p)
{
    char *s = *p, *e = s + strcspn(s, "\t");
    if (*e)
        *e++ = '\0';
    *p = e;
    return s;
}
static double fnum(char **p)
{
    return strtod(field(p), NULL);
}

static char *load_plan(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(66);
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "floor_xlsx: cannot read %s\n", path);
        exit(66);
    }
    buf[size] = '\0';
    fclose(f);
    for (char *line = buf, *next; *line; line = next) {
        next = line + strcspn(line, "\n");
        if (*next)
            *next++ = '\0';
        char *p = line + 2;
        switch (line[0]) {
        case 'F': {
            fact *x = PUSH(facts);
            x->as_of = (uint8_t)fnum(&p), x->money = (uint8_t)fnum(&p), x->rep = (uint8_t)fnum(&p);
            x->vp = (uint8_t)fnum(&p), x->ap = (uint8_t)fnum(&p);
            x->rep_places = (uint8_t)fnum(&p), x->rp = (uint8_t)fnum(&p);
            for (int i = 0; i < N_REP_VALUE; i++)
                x->num[i] = fnum(&p);
            for (int i = T_ID; i <= T_QUAL; i++)
                x->text[i] = field(&p);
            x->num[N_REP_VALUE] = fnum(&p);
            for (int i = T_REP_SCALE; i < T_N; i++)
                x->text[i] = field(&p);
            x->conv = 0;
            break;
        }
        case 'A': {
            conv *c = PUSH(convs);
            c->computed = fnum(&p), c->exact = fnum(&p), c->deviation = fnum(&p);
            c->reported = fnum(&p);
            c->unit = field(&p), c->rep_unit = field(&p), c->days = field(&p);
            c->formula = field(&p);
            c->fact = (uint32_t)(n_facts - 1);
            facts[n_facts - 1].conv = (uint32_t)n_convs;
            break;
        }
        case 'K': {
            claimrow *c = PUSH(claims);
            c->claim = field(&p), c->entity = field(&p), c->money = (int)fnum(&p);
            c->kind = field(&p), c->unit = field(&p);
            c->facts = fnum(&p), c->nsources = fnum(&p), c->min = fnum(&p), c->max = fnum(&p);
            c->spread = fnum(&p), c->verdict = field(&p);
            c->first = (uint32_t)n_cells;
            c->n = 0;
            while (*p) {
                char *e;
                cell *x = PUSH(cells);
                x->col = (uint32_t)strtoul(p, &e, 10);
                x->count = (uint32_t)strtoul(e + 1, &e, 10);
                x->first_fact = (uint32_t)strtoul(e + 1, &e, 10);
                x->value = strtod(e + 1, &e);
                p = *e ? e + 1 : e;
                c->n++;
            }
            break;
        }
        case 'S': {
            source *s = PUSH(sources);
            s->name = field(&p), s->published = fnum(&p), s->facts = fnum(&p);
            s->input = field(&p);
            break;
        }
        case 'R': {
            rate *r = PUSH(rates);
            r->day = fnum(&p), r->quote = field(&p), r->value = fnum(&p);
            r->exact = field(&p), r->file = field(&p), r->line = fnum(&p);
            break;
        }
        default:
            break;
        }
    }
    return buf;
}

/* ---- writing ---- */

static unsigned long ncells_written;

static void ok(lxw_error e)
{
    if (e != LXW_NO_ERROR) {
        fprintf(stderr, "floor_xlsx: %s\n", lxw_strerror(e));
        exit(74);
    }
    ncells_written++;
}

/* Empty text leaves the cell blank, as sheet.c's fx_sheet_put_text does. */
static void str(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    if (*s)
        ok(worksheet_write_string(ws, r, c, s, f));
}

static void num(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
    ok(worksheet_write_number(ws, r, c, v, f));
}

static lxw_workbook *wb;
static lxw_format *f_head, *f_title, *f_bold, *f_date, *f_money, *f_unrounded, *f_pct, *f_int,
    *f_bad, *f_warn, *f_bn, *f_mn, *f_places[16];

static lxw_format *places_format(int places)
{
    if (places > 15)
        places = 15;
    if (!f_places[places]) {
        char fmt[32] = "#,##0";
        if (places > 0) {
            strcat(fmt, ".");
            for (int i = 0; i < places; i++)
                strcat(fmt, "0");
        }
        f_places[places] = workbook_add_format(wb);
        format_set_num_format(f_places[places], fmt);
    }
    return f_places[places];
}

static lxw_format *num_format(const char *s)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_num_format(f, s);
    return f;
}

static void make_formats(void)
{
    f_head = workbook_add_format(wb);
    format_set_bold(f_head);
    format_set_bottom(f_head, LXW_BORDER_THIN);
    format_set_bg_color(f_head, 0xD9E1F2);
    f_title = workbook_add_format(wb);
    format_set_bold(f_title);
    format_set_font_size(f_title, 14);
    f_bold = workbook_add_format(wb);
    format_set_bold(f_bold);
    f_date = num_format("yyyy-mm-dd");
    f_money = num_format("#,##0.00");
    f_unrounded = num_format("#,##0.00######");
    f_pct = num_format("0.0000");
    f_int = num_format("#,##0");
    f_bn = num_format("#,##0.000,,,\" bn\"");
    f_mn = num_format("#,##0.000,,\" m\"");
    f_bad = workbook_add_format(wb);
    format_set_bg_color(f_bad, 0xFFC7CE);
    format_set_font_color(f_bad, 0x9C0006);
    f_warn = workbook_add_format(wb);
    format_set_bg_color(f_warn, 0xFFEB9C);
    format_set_font_color(f_warn, 0x9C5700);
}

/* landscape, a list's header row on every printed page (sheet.c's fx_sheet_print_setup) */
static void print_setup(lxw_worksheet *ws, int one_page_wide, int header_rows)
{
    worksheet_set_landscape(ws);
    if (one_page_wide)
        worksheet_fit_to_pages(ws, 1, 0);
    if (header_rows)
        worksheet_repeat_rows(ws, 0, 0);
}

static void header(lxw_worksheet *ws, const char *const *names, size_t n, lxw_col_t freeze)
{
    for (size_t i = 0; i < n; i++) {
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, 14, NULL);
        str(ws, 0, (lxw_col_t)i, names[i], f_head);
    }
    worksheet_freeze_panes(ws, 1, freeze);
    print_setup(ws, n <= 8, 1);
}

static void highlight(lxw_worksheet *ws, lxw_row_t r0, lxw_row_t r1, lxw_col_t c, const char *w,
                      lxw_format *f)
{
    lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_CELL,
                                 .criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
                                 .value_string = (char *)w,
                                 .format = f};
    worksheet_conditional_format_range(ws, r0, c, r1, c, &cf);
}

#define XL_LAST 1048575U

static void verdict_highlights(lxw_worksheet *ws, lxw_col_t c)
{
    highlight(ws, 1, XL_LAST, c, "\"disagree\"", f_bad);
    highlight(ws, 1, XL_LAST, c, "\"inconsistent\"", f_bad);
    highlight(ws, 1, XL_LAST, c, "\"close\"", f_warn);
}

/* "=M5" and the plan's legs, as sheet_data.c's fx_sheet_rate_formula */
static void formula(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, lxw_col_t amount_col,
                    const char *legs, double cached)
{
    char f[160], cellref[16];
    lxw_rowcol_to_cell(cellref, r, amount_col);
    snprintf(f, sizeof f, "=%s%s", cellref, legs);
    ok(worksheet_write_formula_num(ws, r, c, f, f_unrounded, cached));
}

static lxw_format *claim_format(const claimrow *c)
{
    if (!c->money)
        return NULL;
    double m = c->max < 0 ? -c->max : c->max;
    return m >= 1e9 ? f_bn : m >= 1e6 ? f_mn : f_money;
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
        fprintf(stderr, "usage: floor_xlsx PLAN OUT.xlsx\n");
        return 64;
    }
    char *plan = load_plan(argv[1]);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", argv[2]);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");

    /* reset the peak RSS (Linux: clear_refs 5) so that it measures the writing */
    FILE *cr = fopen("/proc/self/clear_refs", "w");
    if (cr) {
        fputs("5", cr);
        fclose(cr);
    }
    long rss0 = status_kb("VmRSS:");
    double t0 = bench_now();
    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = dir};
    wb = workbook_new_opt(argv[2], &o);
    if (!wb)
        return 73;
    make_formats();
    lxw_worksheet *summary = workbook_add_worksheet(wb, "Summary");
    lxw_worksheet *comparison = workbook_add_worksheet(wb, "Comparison");
    lxw_worksheet *fs = workbook_add_worksheet(wb, "Facts");

    /* ---- Facts, as facts stream in ---- */
    static const char *const fcols[] = {
        "fact_id", "entity", "claim", "source", "published", "as_of", "valuation_date",
        "value", "scale", "unit", "unit_code", "qualifier", "amount", "amount_USD",
        "amount_USD_unrounded", "rate_date_USD", "reported_value", "reported_scale",
        "reported_unit", "verdict", "quote", "note", "value_exact", "amount_exact",
        "reported_value_exact", "amount_USD_exact"};
    header(fs, fcols, sizeof fcols / sizeof fcols[0], 1);
    verdict_highlights(fs, 19);
    size_t ninconsistent = 0;
    for (size_t i = 0; i < n_facts; i++) {
        const fact *x = &facts[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        str(fs, r, 0, x->text[T_ID], NULL);
        str(fs, r, 1, x->text[T_ENTITY], NULL);
        str(fs, r, 2, x->text[T_CLAIM], NULL);
        str(fs, r, 3, x->text[T_SOURCE], NULL);
        num(fs, r, 4, x->num[N_PUB], f_date);
        if (x->as_of)
            num(fs, r, 5, x->num[N_VAL_DAY], f_date);
        num(fs, r, 6, x->num[N_VAL_DAY], f_date);
        num(fs, r, 7, x->num[N_VALUE], places_format(x->vp));
        str(fs, r, 8, x->text[T_SCALE], NULL);
        str(fs, r, 9, x->text[T_UNIT], NULL);
        str(fs, r, 10, x->text[T_CODE], NULL);
        str(fs, r, 11, x->text[T_QUAL], NULL);
        num(fs, r, 12, x->num[N_AMOUNT], places_format(x->ap));
        if (x->money) {
            num(fs, r, 13, x->num[N_ROUNDED], f_money);
            formula(fs, r, 14, 12, x->text[T_FORMULA], x->num[N_EXACT]);
            num(fs, r, 15, x->num[N_VAL_DAY], f_date);
        }
        if (x->rep) {
            num(fs, r, 16, x->num[N_REP_VALUE], places_format(x->rep_places));
            str(fs, r, 17, x->text[T_REP_SCALE], NULL);
            str(fs, r, 18, x->text[T_REP_UNIT], NULL);
            str(fs, r, 19, x->text[T_VERDICT], NULL);
            ninconsistent += x->text[T_VERDICT][0] == 'i';
        }
        str(fs, r, 20, x->text[T_QUOTE], NULL);
        str(fs, r, 21, x->text[T_NOTE], NULL);
    }
    worksheet_autofilter(fs, 0, 0, (lxw_row_t)n_facts, 25);

    /* ---- Conversions (sheet_conversions.c replays them from its spill file) ---- */
    lxw_worksheet *cs = workbook_add_worksheet(wb, "Conversions");
    static const char *const ccols[] = {
        "fact_id", "claim", "source", "valuation_date", "amount", "unit", "reported_amount",
        "reported_unit", "computed_amount", "computed_unrounded", "deviation_pct", "verdict",
        "rate_date", "matching_rate_dates"};
    header(cs, ccols, sizeof ccols / sizeof ccols[0], 1);
    verdict_highlights(cs, 11);
    for (size_t i = 0; i < n_convs; i++) {
        const conv *c = &convs[i];
        const fact *x = &facts[c->fact];
        lxw_row_t r = (lxw_row_t)(i + 1);
        str(cs, r, 0, x->text[T_ID], NULL);
        str(cs, r, 1, x->text[T_CLAIM], NULL);
        str(cs, r, 2, x->text[T_SOURCE], NULL);
        num(cs, r, 3, x->num[N_VAL_DAY], f_date);
        num(cs, r, 4, x->num[N_AMOUNT], places_format(x->ap));
        str(cs, r, 5, c->unit, NULL);
        num(cs, r, 6, c->reported, places_format(x->rp));
        str(cs, r, 7, c->rep_unit, NULL);
        num(cs, r, 8, c->computed, f_money);
        formula(cs, r, 9, 4, c->formula, c->exact);
        num(cs, r, 10, c->deviation, f_pct);
        num(cs, r, 12, x->num[N_VAL_DAY], f_date);
        str(cs, r, 11, x->text[T_VERDICT], NULL);
        str(cs, r, 13, c->days, NULL);
    }
    worksheet_autofilter(cs, 0, 0, (lxw_row_t)n_convs, 13);

    /* ---- Rates ---- */
    lxw_worksheet *rs = workbook_add_worksheet(wb, "Rates");
    static const char *const rcols[] = {"date", "base", "quote", "rate", "rate_exact", "file",
                                        "line"};
    header(rs, rcols, 7, 0);
    for (size_t i = 0; i < n_rates; i++) {
        const rate *x = &rates[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        num(rs, r, 0, x->day, f_date);
        str(rs, r, 1, "EUR", NULL);
        str(rs, r, 2, x->quote, NULL);
        num(rs, r, 3, x->value, NULL);
        str(rs, r, 4, x->exact, NULL);
        str(rs, r, 5, x->file, NULL);
        num(rs, r, 6, x->line, NULL);
    }
    worksheet_autofilter(rs, 0, 0, (lxw_row_t)n_rates, 6);

    /* ---- Sources ---- */
    lxw_worksheet *ss = workbook_add_worksheet(wb, "Sources");
    static const char *const scols[] = {"source", "published", "facts", "first_input"};
    header(ss, scols, 4, 0);
    for (size_t i = 0; i < n_sources; i++) {
        lxw_row_t r = (lxw_row_t)(i + 1);
        str(ss, r, 0, sources[i].name, NULL);
        num(ss, r, 1, sources[i].published, f_date);
        num(ss, r, 2, sources[i].facts, f_int);
        str(ss, r, 3, sources[i].input, NULL);
    }
    worksheet_autofilter(ss, 0, 0, (lxw_row_t)n_sources, 3);

    /* ---- Comparison: one row per claim, a column per source ---- */
    static const char *const trail[] = {"kind", "unit", "facts", "sources", "min", "max",
                                        "spread_pct", "verdict"};
    size_t ncols = 2 + n_sources + 8;
    for (size_t c = 0; c < ncols; c++) {
        worksheet_set_column(comparison, (lxw_col_t)c, (lxw_col_t)c, 16, NULL);
        str(comparison, 0, (lxw_col_t)c,
            c == 0 ? "claim" : c == 1 ? "entity" : c < 2 + n_sources ? sources[c - 2].name
                                                                     : trail[c - 2 - n_sources],
            f_head);
    }
    worksheet_freeze_panes(comparison, 1, 1);
    print_setup(comparison, 1, 1);
    lxw_col_t t0c = (lxw_col_t)(2 + n_sources);
    size_t ndisagree = 0;
    for (size_t i = 0; i < n_claims; i++) {
        const claimrow *c = &claims[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        lxw_format *f = claim_format(c);
        str(comparison, r, 0, c->claim, NULL);
        str(comparison, r, 1, c->entity, NULL);
        for (uint32_t j = 0; j < c->n; j++) {
            const cell *x = &cells[c->first + j];
            lxw_col_t col = (lxw_col_t)(2 + x->col);
            num(comparison, r, col, x->value, f);
            if (x->count >= 2) { /* "fact_ids: f00000001, f00000002 and 3 more" */
                char t[512];
                size_t kept = x->count < 20 ? x->count : 20;
                int k = snprintf(t, sizeof t, "fact_ids: ");
                for (size_t m = 0; m < kept; m++)
                    k += snprintf(t + k, sizeof t - (size_t)k, "%sf%08zu", m ? ", " : "",
                                  (size_t)x->first_fact + m * 37);
                if (x->count > 20)
                    snprintf(t + k, sizeof t - (size_t)k, " and %u more", x->count - 20);
                ok(worksheet_write_comment(comparison, r, col, t));
            }
        }
        str(comparison, r, t0c + 0, c->kind, NULL);
        str(comparison, r, t0c + 1, c->unit, NULL);
        num(comparison, r, t0c + 2, c->facts, f_int);
        num(comparison, r, t0c + 3, c->nsources, f_int);
        num(comparison, r, t0c + 4, c->min, f);
        num(comparison, r, t0c + 5, c->max, f);
        if (c->spread >= 0)
            num(comparison, r, t0c + 6, c->spread, f_pct);
        str(comparison, r, t0c + 7, c->verdict, NULL);
        ndisagree += c->verdict[0] == 'd';
    }
    worksheet_autofilter(comparison, 0, 0, (lxw_row_t)n_claims, (lxw_col_t)(ncols - 1));
    highlight(comparison, 1, XL_LAST, t0c + 7, "\"disagree\"", f_bad);

    /* ---- Summary: the run, counts, the two finding lists, the chart ---- */
    lxw_row_t sr = 0;
    print_setup(summary, 1, 0);
    str(summary, sr++, 0, "fxbook audit workbook", f_title);
    for (int i = 0; i < 30; i++) { /* run, inputs, rates files, counts */
        str(summary, sr, 0, "conversions inconsistent", f_bold);
        num(summary, sr++, 1, (double)i, f_int);
    }
    lxw_row_t r0 = sr;
    for (size_t i = 0, shown = 0; i < n_claims && shown < 1000; i++) {
        const claimrow *c = &claims[i];
        if (c->verdict[0] != 'd')
            continue;
        shown++;
        str(summary, sr, 0, c->claim, NULL);
        str(summary, sr, 1, c->entity, NULL);
        str(summary, sr, 2, c->kind, NULL);
        str(summary, sr, 3, c->unit, NULL);
        num(summary, sr, 4, c->facts, f_int);
        num(summary, sr, 5, c->nsources, f_int);
        num(summary, sr, 6, c->min, claim_format(c));
        num(summary, sr, 7, c->max, claim_format(c));
        if (c->spread >= 0)
            num(summary, sr, 8, c->spread, f_pct);
        str(summary, sr++, 9, c->verdict, NULL);
    }
    highlight(summary, r0, sr, 9, "\"disagree\"", f_bad);
    r0 = ++sr;
    for (size_t i = 0, shown = 0; i < n_convs && shown < 1000; i++) {
        const conv *c = &convs[i];
        const fact *x = &facts[c->fact];
        if (x->text[T_VERDICT][0] != 'i')
            continue;
        shown++;
        str(summary, sr, 0, x->text[T_ID], NULL);
        str(summary, sr, 1, x->text[T_CLAIM], NULL);
        str(summary, sr, 2, x->text[T_SOURCE], NULL);
        num(summary, sr, 3, x->num[N_AMOUNT], places_format(x->ap));
        str(summary, sr, 4, c->unit, NULL);
        num(summary, sr, 5, c->reported, places_format(x->rp));
        str(summary, sr, 6, c->rep_unit, NULL);
        num(summary, sr, 7, c->computed, f_money);
        num(summary, sr, 8, c->deviation, f_pct);
        str(summary, sr, 9, x->text[T_VERDICT], NULL);
        str(summary, sr++, 10, c->days, NULL);
    }
    highlight(summary, r0, sr, 9, "\"inconsistent\"", f_bad);
    /* chart table: money claims with two or more sources, at most 100 */
    lxw_row_t hr = ++sr;
    str(summary, hr, 0, "claim", f_head);
    for (size_t s = 0; s < n_sources; s++)
        str(summary, hr, (lxw_col_t)(1 + s), sources[s].name, f_head);
    sr++;
    size_t nch = 0;
    for (size_t i = 0; i < n_claims && nch < 100; i++) {
        const claimrow *c = &claims[i];
        if (!c->money || c->n < 2)
            continue;
        nch++;
        str(summary, sr, 0, c->claim, NULL);
        for (uint32_t j = 0; j < c->n; j++)
            num(summary, sr, (lxw_col_t)(1 + cells[c->first + j].col), cells[c->first + j].value,
                f_bn);
        sr++;
    }
    if (nch) {
        lxw_chart *ch = workbook_add_chart(wb, LXW_CHART_COLUMN);
        for (size_t s = 0; s < n_sources; s++) {
            lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
            chart_series_set_categories(se, "Summary", hr + 1, 0, (lxw_row_t)(hr + nch), 0);
            chart_series_set_values(se, "Summary", hr + 1, (lxw_col_t)(1 + s),
                                    (lxw_row_t)(hr + nch), (lxw_col_t)(1 + s));
            chart_series_set_name_range(se, "Summary", hr, (lxw_col_t)(1 + s));
        }
        chart_title_set_name(ch, "money claims with two or more sources, USD");
        chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
        lxw_chart_options co = {.x_scale = 2.0, .y_scale = 1.6};
        worksheet_insert_chart_opt(summary, sr + 1, 0, ch, &co);
    }
    lxw_doc_properties p = {.title = (char *)"fxbook audit workbook", .author = (char *)"fxbook",
                            .created = 315532800};
    workbook_set_properties(wb, &p);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        fprintf(stderr, "floor_xlsx: %s\n", lxw_strerror(e));
        return 74;
    }
    double t = bench_now() - t0;
    printf("%.6f %lu %.1f\n", t, ncells_written, (double)(status_kb("VmHWM:") - rss0) / 1024);
    fprintf(stderr, "floor_xlsx: %zu facts, %zu conversions, %zu claims (%zu disagree), %zu rates\n",
            n_facts, n_convs, n_claims, ndisagree, n_rates);
    (void)ninconsistent;
    free(plan);
    return 0;
}
