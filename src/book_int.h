/* book_int - private to the book's files (book*.c, sheet*.c), the only
 * ones that include xlsxwriter.h: the workbook's state, the shared
 * cell/format layer (sheet.c, sheet_data.c) and one writer per sheet
 * (sheet_<name>.c). Invariant: calls go one way, book.c -> sheets ->
 * shared layer (sheet_data.c -> sheet.c); a sheet never calls another. */
#ifndef FX_BOOK_INT_H
#define FX_BOOK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <xlsxwriter.h>

#include "book.h"
#include "explain_run.h"
#include "findings.h"
#include "dec.h"
#include "mem.h"
#include "spool.h"

#define XL_ROWS 1048576UL      /* rows per sheet, the header row included */
#define XL_COLS 16384U         /* columns per sheet */
#define SHOWN_PLACES_MAX 15    /* decimals a number format shows at most */
#define NOCOL ((lxw_col_t)-1)
#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
    const char *name;
    double width; /* at least this wide; wider when a value needs it */
    bool num;     /* numbers or dates: the header is right-aligned over them */
} fx_col_spec;

/* What a number format shows, to size columns (no number ever shows ###). */
typedef enum { FMT_GENERAL, FMT_NUMBER, FMT_DATE, FMT_TEXT } fx_fmt_kind;
typedef struct {
    const lxw_format *f;
    uint8_t kind;   /* fx_fmt_kind */
    int8_t places;  /* FMT_NUMBER: decimals shown */
    uint8_t scale3; /* FMT_NUMBER: shown in thousands^scale3 (trailing commas) */
    uint8_t extra;  /* characters of literal prefix and suffix */
    char num[96];   /* the format string, for fx_sheet_format's lookup */
} fx_fmt_info;

/* What the threads that write sheets at once (fx_book_close) share, under
 * mu. The number formats, one per format string, each with its style index
 * set as it is made (libxlsxwriter sets it at a format's first cell
 * otherwise, in a table both threads would write); an entry of info is
 * never changed once n counts it, so readers need no lock. The sheets
 * added ahead of their turn (fx_book_start_facts). */
typedef struct {
    pthread_mutex_t mu;
    lxw_format *places[SHOWN_PLACES_MAX + 1];  /* "#,##0.000": made on demand */
    lxw_format *percent[SHOWN_PLACES_MAX + 1]; /* "#,##0.0\"%\"": made on demand */
    fx_fmt_info info[256];
    _Atomic size_t n;
    lxw_worksheet **reserved; /* NULL once handed out */
    char **reserved_name;
    size_t nreserved;
    atomic_bool rates_taken; /* Rates goes to the first writer free for it */
} fx_shared;

/* Widest value written per column of one worksheet, in characters. */
typedef struct {
    lxw_worksheet *ws;
    uint16_t *num, *text;
    size_t n;
    unsigned links; /* internal links written on it */
} fx_widths;

enum { FX_ROWS_FORMATS = 64 };

/* Rows recorded now and written later (a sheet whose cells need what only
 * the end of the run knows, e.g. Facts' claim verdicts): each row is one
 * spool record, a tag and its cells. */
typedef struct {
    fx_spool *sp;
    char *buf; /* the row being recorded */
    size_t len, cap;
    uint64_t rows;
    bool need_exact; /* some row holds an exact-text cell */
    lxw_format *fmts[FX_ROWS_FORMATS]; /* a cell names its format by index + 1 here */
    unsigned nfmts;
    bool overflow; /* more formats than fmts holds: an internal error */
} fx_rows;

/* A sheet that may continue on "<base> (2)", "<base> (3)", ... */
typedef struct {
    lxw_worksheet *ws;
    const char *base;
    unsigned part;           /* 1 for the first sheet */
    lxw_row_t row;           /* next row to write */
    const fx_col_spec *cols; /* header */
    size_t ncols;
    lxw_col_t verdict_col;   /* (lxw_col_t)-1: none */
    lxw_col_t verdict_col2;  /* a second one (Facts: the claim's); NOCOL: none */
    lxw_col_t freeze_col;
} fx_sheet;

/* One audited conversion as spilled: a spool record of this (binary, read
 * back by this process only), then the S_N strings, one field each. */
typedef struct {
    fx_day valuation, rate_day;
    int32_t verdict;
    uint8_t priced, has_dev, amount_places, reported_places, computed_places;
    uint8_t inv[2];
    uint32_t leg[2]; /* Rates slot + 1; 0: none */
    uint64_t fact_row; /* the fact's Facts row, from 0 */
    uint64_t ndays;    /* matching rate dates */
    uint64_t alternatives;
    double amount, reported, computed, exact, deviation;
} fx_spill_rec;

enum { S_FACT_ID, S_CLAIM, S_SOURCE, S_UNIT, S_REP_UNIT, S_PRINTED, S_BASE, S_DAYS, S_EXPLAINED,
       S_N };

struct fx_book {
    lxw_workbook *wb;
    const fx_book_info *info;
    fx_diags *d;
    fx_status st; /* first failure: every later call returns it */
    char *dir;    /* the output's directory: libxlsxwriter's and our temporary files */
    fx_arena *strings;
    unsigned long max_rows;

    fx_col_spec *facts_cols;
    size_t ntargets;
    fx_rows facts_rows;     /* Facts, recorded as facts stream in */
    const fx_audit *audit;  /* at close */
    const fx_findings *findings; /* at close */
    fx_explain_run *explain;     /* SPEC 5.1's answers, read at close (NULL: none) */
    uint64_t nfacts;

    lxw_format *f_head, *f_head_num, *f_title, *f_bold, *f_date, *f_money, *f_unrounded, *f_pct,
        *f_int, *f_bad, *f_warn, *f_bn, *f_mn, *f_wrap, *f_link, *f_section, *f_rate, *f_bold_top,
        *f_wrap_bottom, /* wrapped, its last line on the row's other cells' line */
        *f_indent;      /* text one step off a number on its left */
    fx_shared *sh;    /* shared with a fork (book.c) */
    size_t fmt_last; /* the format looked up last */
    fx_widths *widths;
    size_t nwidths;
    size_t last_width; /* the widths entry used last */

    uint32_t *rate_slot; /* fx_rate.id -> first-use index + 1; 0: unused */
    const fx_rate **used; /* by Rates slot; NULL: a row left empty (an average's
                             block starts on the next Rates sheet) */
    size_t nrates, nused, capused;
    GHashTable *avg_blocks; /* "FROM TO first provider" -> fx_avg_block (in strings) */
    fx_priced *avg_days;    /* the days of the average being written */
    size_t navg_days, capavg_days;

    fx_spool *spill;
    size_t nspilled, ninconsistent;
    int hush_rd, hush_wr, hush_saved; /* see fx_hush; -1: none */

    char *buf; /* scratch for text cells */
    size_t cap;
    char *sbuf; /* a spilled record's matching days while it is built */
    size_t scap;
    char *options; /* every option in full, for Summary and the properties */
    /* Facts and Rates on a thread of their own (fx_book_start_facts), by a
     * fork of this book (book.c); every sheet up to Rates added first. */
    struct fx_book *facts; /* the fork writing Facts and Rates; NULL: none */
    pthread_t facts_thread;
    bool facts_joined, facts_written;
    fx_sheet facts_sheet; /* the fork's */
    const fx_audit *facts_audit;

    char *nbuf; /* a file name as shown (not buf: fx_sheet_put_text uses that) */
    size_t ncap;
    fx_dec tmp;
    fx_ratio r1, r2, r3;
};


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
} fx_hush;

/* ---- sheet.c: errors, libxlsxwriter's own words, cells, formats, sheets ---- */

/* Records the first failure as a diagnostic (what: the part; why: the
 * cause, a final '.' dropped); always false. */
bool fx_sheet_fail(fx_book *b, fx_status st, const char *what, const char *why);
/* Turns a libxlsxwriter error at a cell into a diagnostic. */
bool fx_sheet_cell_ok(fx_book *b, lxw_error e, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c);
bool fx_sheet_lxw_ok(fx_book *b, lxw_error e, const char *what);

bool fx_sheet_hush_open(fx_book *b);
void fx_sheet_hush_close(fx_book *b);
void fx_sheet_hush_begin(fx_book *b, fx_hush *h);
void fx_sheet_hush_end(fx_book *b, fx_hush *h);
bool fx_sheet_hush_ok(fx_book *b, const fx_hush *h, fx_status st, const char *what);

char *fx_sheet_grow(char **buf, size_t *cap, size_t n);
char *fx_sheet_scratch(fx_book *b, size_t n);
const char *fx_sheet_shown_name(fx_book *b, const char *name);
void fx_sheet_put_text(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                       size_t len, lxw_format *f);
void fx_sheet_put_str(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                      lxw_format *f);
void fx_sheet_put_num(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v,
                      lxw_format *f);
void fx_sheet_put_formula(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                          const char *formula, double cached, lxw_format *f);
void fx_sheet_put_day(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, fx_day day);
lxw_format *fx_sheet_places_format(fx_book *b, long places);
void fx_sheet_put_exact(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                        const fx_dec *v);

lxw_worksheet *fx_sheet_add(fx_book *b, const char *name);
/* "Facts", "Facts (2)", ...: the name of a sheet's part (from 1). */
void fx_sheet_part_name(const char *base, unsigned part, char *name, size_t n);
void fx_sheet_print_setup(fx_book *b, lxw_worksheet *ws, bool one_page_wide, bool header);
void fx_sheet_header_row(fx_book *b, lxw_worksheet *ws, const fx_col_spec *cols, size_t n,
                         lxw_col_t freeze_col);
void fx_sheet_highlight(fx_book *b, lxw_worksheet *ws, lxw_row_t r0, lxw_row_t r1, lxw_col_t c,
                        const char *word, lxw_format *f);
void fx_sheet_init(fx_sheet *s, const char *base, const fx_col_spec *cols, size_t n,
                   lxw_col_t verdict_col, lxw_col_t freeze_col);
bool fx_sheet_start(fx_book *b, fx_sheet *s);
void fx_sheet_end(fx_book *b, fx_sheet *s);
bool fx_sheet_next_row(fx_book *b, fx_sheet *s, lxw_row_t *row);
void fx_sheet_make_formats(fx_book *b);
lxw_format *fx_sheet_percent_format(fx_book *b, long places);
/* The format of number format string num, made once (at most 256 kinds a
 * workbook; past them, General). */
lxw_format *fx_sheet_format(fx_book *b, const char *num);
/* Sets each column of ws as wide as its widest number (and header, and,
 * with text_too, its widest text up to a limit). */
double fx_sheet_fit(fx_book *b, lxw_worksheet *ws, const fx_col_spec *cols, size_t ncols,
                    bool text_too); /* returns the columns' total width */
/* Notes text as written at (ws, c) outside the put functions (a link). */
void fx_sheet_note_text(fx_book *b, lxw_worksheet *ws, lxw_col_t c, const char *s);
/* An internal link: text that jumps to sheet!cell. Counted against Excel's
 * 65,530 links a sheet: past them, the text alone. */
void fx_sheet_put_link(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                       const char *sheet, lxw_row_t to_row, lxw_col_t to_col, const char *text);
/* The sheet name and row of data row i of a sheet that continues past
 * Excel's row limit ("Facts", "Facts (2)", ...). */
void fx_sheet_locate(const fx_book *b, const char *base, uint64_t i, char *name, size_t n,
                     lxw_row_t *row);

/* fx_rows: record cells now, write them at close. */
void fx_rows_open(fx_book *b, fx_rows *w);
void fx_rows_close(fx_rows *w);
void fx_rows_num(fx_rows *w, lxw_col_t c, double v, lxw_format *f);
void fx_rows_text(fx_book *b, fx_rows *w, lxw_col_t c, const char *s, size_t len, lxw_format *f);
void fx_rows_formula(fx_rows *w, lxw_col_t c, const char *formula, double cached, lxw_format *f);
void fx_rows_day(fx_book *b, fx_rows *w, lxw_col_t c, fx_day day);
void fx_rows_exact(fx_book *b, fx_rows *w, lxw_col_t c, const fx_dec *v);
void fx_rows_end(fx_book *b, fx_rows *w, uint32_t tag);
/* Writes every recorded row to s; after each, extra(b, s, row, tag, ctx). */
typedef void (*fx_rows_extra)(fx_book *b, fx_sheet *s, lxw_row_t r, uint32_t tag, void *ctx);
void fx_rows_replay(fx_book *b, fx_rows *w, fx_sheet *s, fx_rows_extra extra, void *ctx);

/* ---- sheet_data.c: what more than one sheet reads ---- */

void fx_sheet_rate_ref(const fx_book *b, size_t slot, char *f, size_t n);
const char *fx_sheet_provider(const fx_priced *p);
bool fx_sheet_rate_formula(fx_book *b, const fx_priced *p, lxw_row_t row, lxw_col_t amount_col,
                           char *f, size_t n, uint32_t legs[2], uint8_t inv[2]);
/* The formula of an average (SPEC 3): the amount cell times the mean of
 * the daily rates it averaged, each listed on a Rates row of one block
 * of consecutive rows (assigned at first use, shared by the facts that
 * average the same days or a first part of them), e.g.
 * "=M5*AVERAGE(Rates!$D$10:$D$26)" or
 * "=M5*SUMPRODUCT(Rates!$D$27:$D$43/Rates!$D$10:$D$26)/17"; rows gets
 * the Rates rows ("10–26, 27–43"). Checks that the cells give the mean. */
bool fx_sheet_avg_formula(fx_book *b, const fx_conv *v, fx_ccy from, lxw_row_t row,
                          lxw_col_t amount_col, char *f, size_t n, char *rows, size_t rn);
bool fx_sheet_spill_failed(fx_book *b);
bool fx_sheet_spill_read(fx_book *b, fx_spill_rec *rec, const char *str[S_N]);
bool fx_sheet_spill_rewind(fx_book *b);
bool fx_sheet_spread_pct(fx_book *b, const fx_claim *cl, double *out);
lxw_format *fx_sheet_claim_format(fx_book *b, const fx_claim *cl);
void fx_sheet_claim_value(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                          const fx_claim *cl, const fx_ratio *v);
bool fx_sheet_claims_rewind(fx_book *b, fx_audit *a);
void fx_sheet_claims_done(fx_book *b, const fx_audit *a);
void fx_sheet_cell_value(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                         const fx_claim_source *cs, lxw_format *f);

/* ---- the sheets, one file each, called by book.c ---- */

/* sheet_facts.c: at open, after the formats; a row recorded per fact;
 * written at close with each claim's verdict. */
void fx_sheet_facts_open(fx_book *b);
void fx_sheet_facts_row(fx_book *b, const fx_converted *c, const fx_check *k, fx_audit_ref ref);
void fx_sheet_facts_write(fx_book *b, const fx_audit *a);
/* The same in three steps, for a thread of its own: start and end on the
 * thread that owns the workbook, the rows on any one thread. */
bool fx_sheet_facts_start(fx_book *b, fx_sheet *s);
void fx_sheet_facts_rows(fx_book *b, fx_sheet *s, const fx_audit *a);
/* sheet_conversions.c: a row spilled per audited fact; replayed at close. */
void fx_sheet_conversions_add(fx_book *b, const fx_converted *c, const fx_check *k);
void fx_sheet_conversions_write(fx_book *b);
/* sheet_rates.c, sheet_sources.c, sheet_comparison.c, sheet_summary.c: at close. */
void fx_sheet_rates_write(fx_book *b);
void fx_sheet_sources_write(fx_book *b, const fx_audit *a);
void fx_sheet_comparison_write(fx_book *b, fx_audit *a);
void fx_sheet_summary_write(fx_book *b, fx_audit *a, fx_findings *fs);
/* sheet_findings.c: at close, every finding in rank order. */
void fx_sheet_findings_write(fx_book *b, fx_findings *fs);
/* sheet_about.c: at close, the last sheet. */
void fx_sheet_about_write(fx_book *b);

#endif
