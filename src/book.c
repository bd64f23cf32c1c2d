/* book - the XLSX workbook of SPEC 6 with libxlsxwriter in constant_memory
 * mode: its life cycle (open, add, close, discard); each sheet is written
 * by its own sheet_<name>.c through the shared layer of sheet.c and
 * sheet_data.c (book_int.h). Invariant: rows reach each sheet strictly in
 * order, so nothing per fact stays in memory: Facts rows are recorded as
 * facts stream in and written once the claims' verdicts are known (on a
 * thread of their own while the explanations are found, fx_book_start_facts),
 * Conversions rows are spilled and replayed at close, and Summary,
 * Findings, Comparison, Rates and Sources are written at close from the
 * aggregates. Sheets are added in SPEC 6's order. Every
 * libxlsxwriter return code is checked, and what it does not report (its
 * temporary files' writes, its own stderr lines) is checked here: nothing
 * is cut or dropped silently. */
#include "book_int.h"

#include <errno.h>
#include <signal.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "outfile.h"

/* libxlsxwriter stamps the wall clock when `created` is 0; without
 * SOURCE_DATE_EPOCH the file says 1980-01-01T00:00:00Z (the ZIP epoch). */
#define DEFAULT_CREATED 315532800
/* Out of memory in here says where (mem.h). */
#define WHERE "writing the workbook"

/* A writer's own scratch, column widths and numbers (see fork_book). */
static void scratch_free(fx_book *b)
{
    for (size_t i = 0; i < b->nwidths; i++) {
        free(b->widths[i].num);
        free(b->widths[i].text);
    }
    free(b->widths);
    free(b->buf);
    free(b->sbuf);
    free(b->nbuf);
    fx_dec_clear(&b->tmp);
    fx_ratio_clear(&b->r1);
    fx_ratio_clear(&b->r2);
    fx_ratio_clear(&b->r3);
}

/* Frees what b owns but the workbook: b->wb is closed or freed first. */
static void book_free(fx_book *b)
{
    fx_spool_free(b->spill);
    fx_rows_close(&b->facts_rows);
    scratch_free(b);
    fx_sheet_hush_close(b);
    free(b->rate_slot);
    free(b->used);
    free(b->avg_days);
    if (b->avg_blocks)
        g_hash_table_destroy(b->avg_blocks);
    free(b->facts_cols);
    free(b->options);
    if (b->sh) {
        for (size_t i = 0; i < b->sh->nreserved; i++)
            free(b->sh->reserved_name[i]);
        free(b->sh->reserved_name);
        free(b->sh->reserved);
        pthread_mutex_destroy(&b->sh->mu);
        free(b->sh);
    }
    free(b->dir);
    fx_arena_free(b->strings);
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
    fx_ratio_init(&b->r3);
    b->ntargets = info->conv ? info->conv->ntargets : 0;
    b->nrates = info->rates ? fx_rates_count(info->rates) : 0;
    b->rate_slot = fx_xcalloc(b->nrates ? b->nrates : 1, sizeof *b->rate_slot);
    b->capused = b->nrates ? b->nrates : 1;
    b->used = fx_xcalloc(b->capused, sizeof *b->used); /* NOLINT(bugprone-sizeof-expression): an array of pointers */
    b->avg_blocks = g_hash_table_new(g_str_hash, g_str_equal);

    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = b->dir};
    if (!fx_sheet_hush_open(b)) {
        fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0}, "cannot create workbook %s: %s", path,
                       strerror(errno));
        book_free(b);
        return NULL;
    }
    fx_hush h;
    fx_sheet_hush_begin(b, &h);
    b->wb = workbook_new_opt(path, &o);
    fx_sheet_hush_end(b, &h);
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
        fx_sheet_fail(b, FX_E_CANTCREAT, "Conversions", fx_spool_error(b->spill));
    b->sh = fx_xcalloc(1, sizeof *b->sh);
    pthread_mutex_init(&b->sh->mu, NULL);
    fx_sheet_make_formats(b);
    fx_sheet_facts_open(b);
    if (b->st != FX_OK) {
        if (b->st == FX_E_IO || b->st == FX_E_INTERNAL) /* at open, it is the target's folder */
            fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0}, "cannot create workbook %s", path);
        fx_book_discard(b);
        return NULL;
    }
    return b;
}

void fx_book_set_explanations(fx_book *b, fx_explain_run *x)
{
    b->explain = x;
}

void fx_book_set_sheet_rows(fx_book *b, unsigned long rows)
{
    if (rows >= 3 && rows < XL_ROWS && b->nused == 0 && b->nfacts == 0)
        b->max_rows = rows;
}

fx_status fx_book_add(fx_book *b, const fx_converted *c, const fx_check *k, fx_audit_ref ref)
{
    if (b->st != FX_OK)
        return b->st;
    const char *was = fx_mem_where(WHERE);
    if (k && k->present)
        fx_sheet_conversions_add(b, c, k);
    if (b->st == FX_OK)
        fx_sheet_facts_row(b, c, k, ref);
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
    fx_sheet_lxw_ok(b, workbook_set_properties(b->wb, &p), "document properties"); /* copies them */
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
            return fx_sheet_fail(b, FX_E_IO, what, strerror(e));
        }
    }
    return true;
}

/* ---- sheets written on threads of their own ---- */

/* A second writer of the same workbook: b's workbook, formats, spools and
 * tables, with scratch, column widths and first failure of its own. Each
 * writer writes its own sheets, adds none (they were added beforehand, in
 * SPEC 6's order), and shares only b->sh (under its lock) and b->d. */
static fx_book *fork_book(const fx_book *b)
{
    fx_book *t = fx_xmalloc(sizeof *t);
    *t = *b;
    t->st = FX_OK;
    t->buf = t->sbuf = t->nbuf = NULL;
    t->cap = t->scap = t->ncap = 0;
    t->widths = NULL;
    t->nwidths = t->last_width = t->fmt_last = 0;
    t->hush_rd = t->hush_wr = t->hush_saved = -1; /* adds no sheet: none to hush */
    fx_dec_init(&t->tmp);
    fx_ratio_init(&t->r1);
    fx_ratio_init(&t->r2);
    fx_ratio_init(&t->r3);
    return t;
}

/* Frees what the fork made; its first failure becomes b's (its words are
 * in b->d already). */
static void join_fork(fx_book *b, fx_book *t)
{
    if (t->st != FX_OK && b->st == FX_OK)
        b->st = t->st;
    scratch_free(t);
    free(t);
}

typedef void *(*sheet_job)(void *);

/* Runs job(t) on a thread that leaves signals to the main thread (see
 * writer.c); false if none could be made. */
static bool spawn(pthread_t *th, sheet_job job, fx_book *t)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int made = pthread_create(th, NULL, job, t);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return made == 0;
}

/* Rates waits for nothing but is the last sheet of its group: whichever
 * writer is free first writes it (the Facts thread after Facts, the
 * Conversions thread after Conversions, the main one after Comparison),
 * so that no thread has two long sheets while another is idle. */
static void rates_if_first(fx_book *t)
{
    if (!atomic_exchange(&t->sh->rates_taken, true))
        fx_sheet_rates_write(t);
}

/* Facts, then perhaps Rates: neither waits for the explanations. */
static void *facts_main(void *arg)
{
    fx_book *t = arg;
    fx_mem_where(WHERE);
    fx_sheet_facts_rows(t, &t->facts_sheet, t->facts_audit);
    fx_sheet_end(t, &t->facts_sheet);
    rates_if_first(t);
    return NULL;
}

static void *conversions_main(void *arg)
{
    fx_mem_where(WHERE);
    fx_sheet_conversions_write(arg);
    rates_if_first(arg);
    return NULL;
}

/* Adds the sheets of base for this many rows now, in SPEC 6's order;
 * fx_sheet_add hands each out when its turn comes. */
static void reserve(fx_book *b, const char *base, uint64_t rows)
{
    uint64_t per = b->max_rows - 1; /* rows under the header */
    uint64_t parts = rows == 0 ? 1 : (rows + per - 1) / per;
    for (unsigned part = 1; part <= parts && b->st == FX_OK; part++) {
        char name[40];
        fx_sheet_part_name(base, part, name, sizeof name);
        lxw_worksheet *ws = fx_sheet_add(b, name);
        if (!ws)
            return;
        b->sh->reserved = fx_xrealloc(b->sh->reserved, (b->sh->nreserved + 1) * sizeof *b->sh->reserved); /* NOLINT(bugprone-sizeof-expression): an array of pointers */
        b->sh->reserved_name =
            fx_xrealloc(b->sh->reserved_name, (b->sh->nreserved + 1) * sizeof *b->sh->reserved_name);
        b->sh->reserved[b->sh->nreserved] = ws;
        b->sh->reserved_name[b->sh->nreserved++] = fx_xstrdup(name);
    }
}

void fx_book_start_facts(fx_book *b, const fx_audit *a, uint64_t findings_max)
{
    /* Findings' rows are known only once the explanations are: with more
     * than one part's worth possible, Facts waits for them (its parts come
     * after the Findings parts) */
    if (b->st != FX_OK || b->facts || findings_max >= b->max_rows)
        return;
    reserve(b, "Summary", 0);
    reserve(b, "Findings", 0);
    reserve(b, "Comparison", fx_audit_nclaims(a));
    reserve(b, "Conversions", b->nspilled);
    reserve(b, "Facts", b->facts_rows.rows);
    reserve(b, "Rates", b->nused); /* a row each, empty ones too */
    if (b->st != FX_OK)
        return;
    fx_book *t = fork_book(b);
    if (!fx_sheet_facts_start(t, &t->facts_sheet)) {
        join_fork(b, t);
        return;
    }
    t->facts_audit = a;
    b->facts = t;
    if (!spawn(&b->facts_thread, facts_main, t)) { /* then on this thread, now */
        facts_main(t);
        b->facts_joined = true;
    }
}

static void join_facts(fx_book *b)
{
    if (!b->facts)
        return;
    if (!b->facts_joined)
        pthread_join(b->facts_thread, NULL);
    b->facts_joined = true;
    join_fork(b, b->facts);
    b->facts = NULL;
    b->facts_written = true;
}

/* Summary to Rates: when fx_book_start_facts added them all, Conversions
 * on a thread of its own while this one writes Summary, Findings and
 * Comparison and the Facts thread goes on, and Rates by the first of the
 * three free for it; else one after the other. */
static void write_to_rates(fx_book *b, fx_audit *a, fx_findings *fs)
{
    fx_book *t = NULL;
    pthread_t th;
    if (b->facts && b->st == FX_OK) {
        t = fork_book(b);
        if (!spawn(&th, conversions_main, t)) {
            join_fork(b, t);
            t = NULL;
        }
    }
    fx_sheet_summary_write(b, a, fs);
    fx_sheet_findings_write(b, fs);
    fx_sheet_comparison_write(b, a);
    if (t) {
        rates_if_first(b);
        pthread_join(th, NULL);
        join_fork(b, t);
    } else {
        fx_sheet_conversions_write(b);
        if (b->facts)
            rates_if_first(b);
    }
    join_facts(b);
    if (!b->facts_written) {
        fx_sheet_facts_write(b, a);
        fx_sheet_rates_write(b);
    }
}

static fx_status book_close(fx_book *b, fx_audit *a, fx_findings *fs, fx_diags *d);

fx_status fx_book_close(fx_book *b, fx_audit *a, fx_findings *fs, fx_diags *d)
{
    const char *was = fx_mem_where(WHERE);
    fx_status st = book_close(b, a, fs, d);
    fx_mem_where(was);
    return st;
}

/* The sheets in SPEC 6's order; each is written whole before the next
 * (constant_memory: rows go out in order, sheet by sheet). */
static fx_status book_close(fx_book *b, fx_audit *a, fx_findings *fs, fx_diags *d)
{
    if (d)
        b->d = d; /* the same d: the threads' words go there too */
    b->audit = a;
    b->findings = fs;
    write_to_rates(b, a, fs);
    fx_sheet_sources_write(b, a);
    fx_sheet_about_write(b);
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
    fx_hush h;
    fx_sheet_hush_begin(b, &h);
    lxw_error e = workbook_close(b->wb);
    fx_sheet_hush_end(b, &h);
    b->wb = NULL;
    if (e != LXW_NO_ERROR) {
        char why[768];
        snprintf(why, sizeof why, "%s%s%s%s", lxw_strerror(e), h.said[0] ? " (libxlsxwriter: " : "",
                 h.said[0] ? h.said : "", h.said[0] ? ")" : "");
        fx_sheet_fail(b, FX_E_IO, "cannot write the workbook", why);
    } else {
        fx_sheet_hush_ok(b, &h, FX_E_IO, "cannot write the workbook");
    }
    fx_status st = b->st;
    book_free(b);
    return st;
}

void fx_book_discard(fx_book *b)
{
    if (!b)
        return;
    join_facts(b);
    if (b->wb)
        lxw_workbook_free(b->wb); /* frees without writing the file */
    book_free(b);
}
