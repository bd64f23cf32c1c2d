/* fuzz_facts - the input bytes as a facts CSV (SPEC 2) through csvin and
 * facts. Invariants checked on every input:
 * - the status is FX_OK or FX_E_DATA, and FX_OK exactly when no error
 *   was recorded for the file;
 * - every message is "f.csv:LINE:COL: error: ..." (LINE within the
 *   input's physical lines) or "f.csv: error: ...", at most
 *   FX_DIAG_LIMIT of them plus one "more errors" line;
 * - every fact handed out passed every check (ids, UTF-8, no NUL, text
 *   lengths, dates, scales, units) and starts at column 1;
 * - chunking changes nothing: the same bytes fed whole, byte by byte and
 *   in chunks derived from the input give the same facts and messages,
 *   and so does reading them from a file (fx_facts_read);
 * - reading the input a second time through the same reader accepts no
 *   fact (every fact_id is then a duplicate).
 * The same bytes are also read as a sources file (sources.c), with the
 * same invariants on status and messages; every source kept is an id
 * with text a cell can hold, found again by its id, and chunking changes
 * nothing there either.
 * Money units resolve through rates/aliases.csv and fuzz/data/rates-small.csv,
 * loaded once. */
#include <glib.h>

#include "facts.h"
#include "fuzz_util.h"
#include "rates.h"
#include "sources.h"

static fx_rate_table *rates;
static const char *tmp;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *top = fz_top();
    static char p1[4200], p2[4200];
    snprintf(p1, sizeof p1, "%s/rates/aliases.csv", top);
    snprintf(p2, sizeof p2, "%s/fuzz/data/rates-small.csv", top);
    rates = fx_rates_new();
    fx_diags *d = fx_diags_new();
    fx_status st = fx_rates_load(rates, p2, d);
    if (st == FX_OK)
        st = fx_rates_load(rates, p1, d);
    if (st == FX_OK)
        st = fx_rates_finish(rates, d);
    if (st != FX_OK) {
        for (size_t i = 0; i < fx_diags_count(d); i++)
            fprintf(stderr, "%s\n", fx_diags_message(d, i));
        fprintf(stderr, "fuzz_facts: cannot load the rates (set FXBOOK_TOP to the source tree)\n");
        exit(1);
    }
    fx_diags_free(d);
    tmp = fz_tmpfile("facts");
    return 0;
}

typedef struct {
    fz_buf *out;
    size_t n;
    size_t input;
} run_ctx;

/* A fact whose text is not UTF-8 reaches the callback when its row had an
 * encoding error (csvin reports it, the row still goes on); the read must
 * then fail with that error. */
static size_t bad_utf8;

static void check_text(fx_text t, const char *what, bool required)
{
    FZ_CHECK(!required || t.len > 0, "%s empty", what);
    FZ_CHECK(t.len == 0 || t.s != NULL, "%s NULL", what);
    FZ_CHECK(t.len == 0 || memchr(t.s, 0, t.len) == NULL, "%s holds a NUL", what);
    if (!g_utf8_validate(t.s ? t.s : "", (gssize)t.len, NULL))
        bad_utf8++;
    FZ_CHECK(fx_utf16_len(t.s, t.len) <= 32767, "%s: %zu UTF-16 units", what,
             fx_utf16_len(t.s, t.len));
}

static void check_figure(const fx_figure *g, const char *what, fz_buf *out)
{
    char v[FX_DEC_STR_MAX];
    int n = fx_dec_to_str(&g->value, v, sizeof v);
    FZ_CHECK(n > 0, "%s: value does not print", what);
    fx_dec back;
    fx_dec_init(&back);
    FZ_CHECK(fx_dec_parse(&back, v, (size_t)n) == FX_DEC_OK && fx_dec_cmp(&back, &g->value) == 0 &&
                 back.exp == g->value.exp,
             "%s: value %s does not re-parse to itself", what, v);
    fx_dec_clear(&back);
    FZ_CHECK(g->scale >= 0 && g->scale <= 12 && g->scale % 3 == 0, "%s: scale %d", what, g->scale);
    FZ_CHECK(g->kind >= FX_KIND_MONEY && g->kind <= FX_KIND_YEARS, "%s: kind %d", what, g->kind);
    check_text(g->unit, what, true);
    if (g->kind == FX_KIND_MONEY) {
        fx_ccy c;
        FZ_CHECK(fx_ccy_parse(g->ccy.s, strlen(g->ccy.s), &c), "%s: currency \"%s\"", what,
                 g->ccy.s);
        fx_ccy again;
        FZ_CHECK(fx_rates_resolve(rates, g->unit.s, g->unit.len, &again) &&
                     fx_ccy_eq(again, g->ccy),
                 "%s: unit does not resolve to %s again", what, g->ccy.s);
    }
    fz_printf(out, " %s=%s e%d %s %s [%.*s]", what, v, g->scale, fx_kind_name(g->kind),
              g->kind == FX_KIND_MONEY ? g->ccy.s : "-", (int)g->unit.len, g->unit.s);
}

static void check_day(fx_day day, const char *what, fz_buf *out)
{
    char s[11];
    fx_date_format(day, s);
    fx_day back;
    FZ_CHECK(fx_date_parse(s, 10, &back) && back == day, "%s: day %ld prints as %s", what,
             (long)day, s);
    fz_printf(out, " %s=%s", what, s);
}

static fx_status on_fact(void *vctx, const fx_fact *f)
{
    run_ctx *c = vctx;
    fz_buf *out = c->out;
    c->n++;
    FZ_CHECK(f->input == c->input, "input %zu, expected %zu", f->input, c->input);
    FZ_CHECK(f->at.line >= 1 && f->at.col == 1, "fact at %lu:%lu", f->at.line, f->at.col);
    FZ_CHECK(fx_facts_is_id(f->fact_id.s, f->fact_id.len), "fact_id not an id");
    FZ_CHECK(fx_facts_is_id(f->claim.s, f->claim.len), "claim not an id");
    FZ_CHECK(fx_facts_is_id(f->source.s, f->source.len), "source not an id");
    check_text(f->entity, "entity", true);
    check_text(f->quote, "quote", true);
    check_text(f->note, "note", false);
    FZ_CHECK(f->qual >= FX_QUAL_NONE && f->qual <= FX_QUAL_AT_MOST, "qualifier %d", f->qual);
    fz_printf(out, "fact %lu:%lu [%.*s] [%.*s] [%.*s]", f->at.line, f->at.col,
              (int)f->fact_id.len, f->fact_id.s, (int)f->claim.len, f->claim.s,
              (int)f->source.len, f->source.s);
    check_day(f->published, "published", out);
    if (f->has_as_of)
        check_day(f->as_of, "as_of", out);
    check_figure(&f->fig, "value", out);
    if (f->has_reported) {
        FZ_CHECK(f->fig.kind == FX_KIND_MONEY && f->reported.kind == FX_KIND_MONEY,
                 "a reported conversion of %s into %s", fx_kind_name(f->fig.kind),
                 fx_kind_name(f->reported.kind));
        check_figure(&f->reported, "reported", out);
    }
    fz_printf(out, " q=%s entity=%zu quote=%zu note=%zu\n", fx_qual_name(f->qual), f->entity.len,
              f->quote.len, f->note.len);
    return FX_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One read of the input (from memory with `chunk`, or from the temporary
 * file when chunk == (size_t)-1) into a fresh reader; its transcript. */
static void one_run(const uint8_t *data, size_t size, size_t chunk, fz_buf *out)
{
    static const char name[] = "f.csv";
    fx_facts_reader *r = fx_facts_reader_new(rates);
    fx_diags *d = fx_diags_new();
    run_ctx c = {out, 0, 0};
    bad_utf8 = 0;
    fx_status st = chunk == (size_t)-1
                       ? fx_facts_read(r, tmp, name, on_fact, &c, d)
                       : fx_facts_read_mem(r, (const char *)data, size, chunk, name, on_fact, &c, d);
    FZ_CHECK(st == FX_OK || st == FX_E_DATA, "status %d", (int)st);
    const char *const names[] = {name};
    size_t nmsg = fz_check_diags(d, names, 1, fz_lines(data, size), false);
    size_t nerr = fx_diags_errors_in(d, name);
    FZ_CHECK((st == FX_OK) == (nerr == 0), "status %d with %zu errors", (int)st, nerr);
    FZ_CHECK(nmsg == (nerr > FX_DIAG_LIMIT ? FX_DIAG_LIMIT + 1 : nerr),
             "%zu messages for %zu errors", nmsg, nerr);
    FZ_CHECK(fx_facts_total(r) == c.n && fx_facts_in_input(r, 0) == c.n,
             "%zu facts seen, the reader counts %zu", c.n, fx_facts_total(r));
    bool utf8_error = false;
    for (size_t i = 0; i < nmsg; i++)
        utf8_error |= strstr(fx_diags_message(d, i), ": error: invalid UTF-8") != NULL;
    if (nerr > FX_DIAG_LIMIT) {
        /* Past the limit, which errors are kept, and where reading of a
         * binary file stops, depend on the chunking (see below): only
         * the status is compared. */
        out->n = 0;
        fz_printf(out, "status %d, over the limit\n", (int)st);
    } else {
        /* The messages as a sorted list: csvin checks the encoding of a
         * whole chunk before libcsv parses its rows, so an encoding error
         * comes before the row errors of earlier lines when both are in
         * one chunk. The order differs with the chunking; the set may not. */
        fz_printf(out, "status %d, %zu facts, %zu errors\n", (int)st, c.n, nerr);
        const char **m = malloc((nmsg ? nmsg : 1) * sizeof *m);
        FZ_CHECK(m != NULL, "out of memory");
        for (size_t i = 0; i < nmsg; i++)
            m[i] = fx_diags_message(d, i);
        qsort(m, nmsg, sizeof *m, cmp_str);
        for (size_t i = 0; i < nmsg; i++)
            fz_printf(out, "%s\n", m[i]);
        free(m);
    }
    FZ_CHECK(bad_utf8 == 0 || (st == FX_E_DATA && (utf8_error || nerr > FX_DIAG_LIMIT)),
             "%zu texts of facts are not UTF-8, and no encoding error was reported", bad_utf8);

    if (chunk == 0) { /* the same bytes again: every fact_id is taken now */
        static const char name2[] = "g.csv";
        fz_buf ignore = {0};
        run_ctx c2 = {&ignore, 0, 1};
        fx_diags *d2 = fx_diags_new();
        st = fx_facts_read_mem(r, (const char *)data, size, 0, name2, on_fact, &c2, d2);
        FZ_CHECK(st == FX_OK || st == FX_E_DATA, "second read: status %d", (int)st);
        FZ_CHECK(c2.n == 0, "second read accepted %zu facts (duplicate ids)", c2.n);
        FZ_CHECK(c.n == 0 || st == FX_E_DATA, "second read of %zu facts: no error", c.n);
        const char *const names2[] = {name2, name};
        fz_check_diags(d2, names2, 2, fz_lines(data, size), false);
        FZ_CHECK(fx_facts_total(r) == c.n, "total %zu after a second read of %zu facts",
                 fx_facts_total(r), c.n);
        fx_diags_free(d2);
        fz_free(&ignore);
    }
    fx_diags_free(d);
    fx_facts_reader_free(r);
}

/* The bytes as a sources file, from memory with `chunk`; its transcript. */
static void sources_run(const uint8_t *data, size_t size, size_t chunk, fz_buf *out)
{
    static const char name[] = "s.csv";
    fx_sources *s = fx_sources_new();
    fx_diags *d = fx_diags_new();
    bad_utf8 = 0;
    fx_status st = fx_sources_read_mem(s, (const char *)data, size, chunk, name, 0, d);
    FZ_CHECK(st == FX_OK || st == FX_E_DATA, "sources: status %d", (int)st);
    const char *const names[] = {name};
    size_t nmsg = fz_check_diags(d, names, 1, fz_lines(data, size), false);
    size_t nerr = fx_diags_errors_in(d, name);
    FZ_CHECK((st == FX_OK) == (nerr == 0), "sources: status %d with %zu errors", (int)st, nerr);
    bool utf8_error = false;
    for (size_t i = 0; i < nmsg; i++)
        utf8_error |= strstr(fx_diags_message(d, i), ": error: invalid UTF-8") != NULL;
    for (size_t i = 0; i < fx_sources_count(s); i++) {
        const fx_source_desc *x = fx_sources_at(s, i);
        FZ_CHECK(fx_facts_is_id(x->source, strlen(x->source)), "sources: kept a bad id");
        FZ_CHECK(fx_sources_find(s, x->source, strlen(x->source)) == x, "sources: %s not found",
                 x->source);
        check_text((fx_text){x->outlet, x->outlet_len}, "outlet", false);
        check_text((fx_text){x->title, x->title_len}, "title", false);
        check_text((fx_text){x->url, x->url_len}, "url", false);
        if (nerr <= FX_DIAG_LIMIT)
            fz_printf(out, "source %lu:%lu [%s] %zu %zu %zu\n", x->at.line, x->at.col, x->source,
                      x->outlet_len, x->title_len, x->url_len);
    }
    FZ_CHECK(bad_utf8 == 0 || (st == FX_E_DATA && (utf8_error || nerr > FX_DIAG_LIMIT)),
             "sources: %zu texts are not UTF-8, and no encoding error was reported", bad_utf8);
    if (nerr > FX_DIAG_LIMIT) { /* as for facts: past the limit only the status compares */
        out->n = 0;
        fz_printf(out, "status %d, over the limit\n", (int)st);
    } else {
        fz_printf(out, "status %d, %zu errors\n", (int)st, nerr);
        const char **m = malloc((nmsg ? nmsg : 1) * sizeof *m);
        FZ_CHECK(m != NULL, "out of memory");
        for (size_t i = 0; i < nmsg; i++)
            m[i] = fx_diags_message(d, i);
        qsort(m, nmsg, sizeof *m, cmp_str);
        for (size_t i = 0; i < nmsg; i++)
            fz_printf(out, "%s\n", m[i]);
        free(m);
    }
    fx_diags_free(d);
    fx_sources_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_buf whole = {0}, other = {0};
    one_run(data, size, 0, &whole);
    /* Chunk sizes: every byte alone, two taken from the input's own bytes
     * (so the fuzzer can steer a boundary onto a CRLF, a quote, a UTF-8
     * sequence), and one a little past the input size. */
    size_t chunks[4] = {1, 0, 0, size + 1};
    chunks[1] = size ? 2 + data[0] % 15 : 2;
    chunks[2] = size ? 17 + (size_t)data[size - 1] * 3 : 64;
    for (size_t i = 0; i < 4; i++) {
        if (chunks[i] >= size && i != 3)
            continue; /* the same as whole */
        one_run(data, size, chunks[i], &other);
        char what[64];
        snprintf(what, sizeof what, "chunk %zu gives what the whole input gives", chunks[i]);
        fz_same(&whole, &other, what);
        other.n = 0;
    }
    fz_write(tmp, data, size);
    one_run(data, size, (size_t)-1, &other);
    fz_same(&whole, &other, "fx_facts_read (a file) gives what fx_facts_read_mem gives");
    whole.n = other.n = 0;
    sources_run(data, size, 0, &whole);
    for (size_t i = 0; i < 4; i++) {
        if (chunks[i] >= size && i != 3)
            continue;
        sources_run(data, size, chunks[i], &other);
        fz_same(&whole, &other, "sources: chunking changes nothing");
        other.n = 0;
    }
    fz_free(&whole);
    fz_free(&other);
    return 0;
}
