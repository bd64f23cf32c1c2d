/* sheet_sources - the Sources sheet: one row per source, the sources of
 * the facts first (in order of first appearance), then the sources that
 * only a sources file names (in the order read). What a sources file says
 * of a source (outlet, title, url, published) stands beside its counts.
 * Invariant: written at close, from the aggregates and the sources table
 * only; the input's free text is written as text, never as a formula or
 * a link. */
#include "book_int.h"

#include <glib.h>
#include <stdio.h>

#include "sources.h"

enum { S_ID, S_OUTLET, S_TITLE, S_URL, S_PUBLISHED, S_FACTS, S_FINDINGS, S_FIRST, S_DESCRIBED };
static const fx_col_spec source_cols[] = {
    {"source", 10, false},   {"outlet", 20, false},     {"title", 40, false},
    {"url", 20, false},      {"published", 0, true},    {"facts", 0, true},
    {"findings", 0, true},   {"first_input", 0, false}, {"described_at", 0, false},
};

/* The cells a sources file gives: outlet, title, url, and where it says so. */
static void put_desc(fx_book *b, lxw_worksheet *ws, lxw_row_t r, const fx_source_desc *sd)
{
    fx_sheet_put_text(b, ws, r, S_OUTLET, sd->outlet, sd->outlet_len, NULL);
    fx_sheet_put_text(b, ws, r, S_TITLE, sd->title, sd->title_len, NULL);
    /* Text, not a hyperlink: the url is the curator's free text (it may
     * be no URL at all), and text can never become a formula. */
    fx_sheet_put_text(b, ws, r, S_URL, sd->url, sd->url_len, NULL);
    char at[64];
    snprintf(at, sizeof at, ":%lu", sd->at.line);
    const char *file = fx_sheet_shown_name(b, sd->at.file);
    size_t n = strlen(file) + strlen(at) + 1;
    char *s = fx_xmalloc(n);
    snprintf(s, n, "%s%s", file, at);
    fx_sheet_put_str(b, ws, r, S_DESCRIBED, s, NULL);
    free(s);
}

void fx_sheet_sources_write(fx_book *b, const fx_audit *a)
{
    const fx_sources *table = b->info->sources;
    fx_sheet s;
    fx_sheet_init(&s, "Sources", source_cols, N(source_cols), NOCOL, 0);
    if (!fx_sheet_start(b, &s))
        return;
    GHashTable *used = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < fx_audit_nsources(a) && b->st == FX_OK; i++) {
        const fx_source *src = fx_audit_source(a, i);
        g_hash_table_add(used, src->source);
        lxw_row_t r;
        if (!fx_sheet_next_row(b, &s, &r))
            break;
        const fx_source_desc *sd = fx_sources_find(table, src->source, strlen(src->source));
        fx_sheet_put_str(b, s.ws, r, S_ID, src->source, NULL);
        if (sd)
            put_desc(b, s.ws, r, sd);
        /* the sources file's date when it gives one, else the first fact's */
        fx_sheet_put_day(b, s.ws, r, S_PUBLISHED,
                         sd && sd->has_published ? sd->published : src->published);
        fx_sheet_put_num(b, s.ws, r, S_FACTS, (double)src->facts, b->f_int);
        if (b->findings)
            fx_sheet_put_num(b, s.ws, r, S_FINDINGS, (double)fx_findings_of_source(b->findings, i),
                             b->f_int);
        if (src->first_input < b->info->ninputs)
            fx_sheet_put_str(b, s.ws, r, S_FIRST,
                             fx_sheet_shown_name(b, b->info->inputs[src->first_input].name), NULL);
    }
    /* Sources no fact cites: listed too (SPEC 2), with no facts. */
    for (size_t i = 0; i < fx_sources_count(table) && b->st == FX_OK; i++) {
        const fx_source_desc *sd = fx_sources_at(table, i);
        if (g_hash_table_contains(used, sd->source))
            continue;
        lxw_row_t r;
        if (!fx_sheet_next_row(b, &s, &r))
            break;
        fx_sheet_put_str(b, s.ws, r, S_ID, sd->source, NULL);
        put_desc(b, s.ws, r, sd);
        if (sd->has_published)
            fx_sheet_put_day(b, s.ws, r, S_PUBLISHED, sd->published);
        fx_sheet_put_num(b, s.ws, r, S_FACTS, 0, b->f_int);
        fx_sheet_put_num(b, s.ws, r, S_FINDINGS, 0, b->f_int); /* no fact cites it */
    }
    g_hash_table_destroy(used);
    fx_sheet_end(b, &s);
}
