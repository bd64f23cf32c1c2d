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
#include <string.h>

#include "explain_run.h"
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

/* "ECB: 20 days, 2024-12-23 ... 2025-01-22; FED-H10: 2025-01-22": the
 * provider days inside a range, per provider (the list is
 * "P YYYY-MM-DD;..." in provider order, then date). */
static char *days_words(const char *list)
{
    GString *out = g_string_new(NULL);
    char **items = g_strsplit(list, ";", -1);
    for (size_t i = 0; items[i] && *items[i];) {
        const char *sp = strrchr(items[i], ' ');
        size_t plen = sp ? (size_t)(sp - items[i]) : 0;
        size_t j = i + 1;
        while (items[j] && strncmp(items[j], items[i], plen + 1) == 0)
            j++;
        const char *last = strrchr(items[j - 1], ' ');
        if (j - i == 1)
            g_string_append_printf(out, "%s%s", out->len ? "; " : "", items[i]);
        else
            g_string_append_printf(out, "%s%.*s: %zu days, %s \u2026 %s", out->len ? "; " : "",
                                   (int)plen, items[i], j - i, sp ? sp + 1 : "",
                                   last ? last + 1 : "");
        i = j;
    }
    g_strfreev(items);
    return g_string_free(out, FALSE);
}

/* SPEC 5.1's implied rate ranges, below the sources: per source and pair,
 * the rates that reproduce all its conversions of the pair. */
static void implied_ranges(fx_book *b, fx_sheet *s, const fx_audit *a)
{
    if (!b->explain || fx_explain_run_ranges(b->explain) == 0)
        return;
    lxw_row_t r;
    if (!fx_sheet_next_row(b, s, &r) || !fx_sheet_next_row(b, s, &r))
        return; /* one blank row, then the section */
    fx_sheet_put_str(b, s->ws, r, S_ID, "Implied rate ranges: the rates that reproduce every "
                                        "conversion a source printed of a pair", b->f_section);
    if (!fx_sheet_next_row(b, s, &r))
        return;
    static const char *const head[] = {"source", "pair, conversions", "rates that reproduce them all",
                                       "provider days inside"};
    for (int i = 0; i < 4; i++)
        fx_sheet_put_str(b, s->ws, r, (lxw_col_t)i, head[i], b->f_head);
    for (size_t i = 0; i < fx_explain_run_ranges(b->explain) && b->st == FX_OK; i++) {
        const fx_implied *g = fx_explain_run_range(b->explain, i);
        if (!fx_sheet_next_row(b, s, &r))
            return;
        char pair[64], range[160];
        snprintf(pair, sizeof pair, "%s \u2192 %s, %zu", g->from.s, g->to.s, g->conversions);
        if (g->empty)
            snprintf(range, sizeof range, "no single rate explains all %zu conversions",
                     g->conversions);
        else
            snprintf(range, sizeof range, "%s \u2026 %s %s per %s", g->low, g->high, g->to.s,
                     g->from.s);
        fx_sheet_put_str(b, s->ws, r, S_ID, fx_audit_source(a, g->source)->source, NULL);
        fx_sheet_put_str(b, s->ws, r, S_OUTLET, pair, NULL);
        fx_sheet_put_str(b, s->ws, r, S_TITLE, range, NULL);
        char *days = days_words(g->days);
        fx_sheet_put_str(b, s->ws, r, S_URL, g->empty ? "" : *days ? days : "none", NULL);
        g_free(days);
    }
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
    implied_ranges(b, &s, a);
    fx_sheet_end(b, &s);
}
