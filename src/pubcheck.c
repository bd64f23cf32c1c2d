/* pubcheck - facts grouped by (input, source, published): per group the
 * count and the first FX_DIAG_LIMIT facts (id and position), which is all
 * that the capped warnings of an input can name. Invariant: the warnings
 * are the same whatever the order of the inputs on the command line. */
#include "pubcheck.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "mem.h"

typedef struct {
    unsigned long line, col;
    char id[FX_FIELD_ID_MAX + 1];
} kept;

typedef struct {
    size_t input;
    const char *name; /* the input's, borrowed */
    const char *source; /* in the table's arena */
    fx_day published;
    size_t facts;
    kept *first; /* at most FX_DIAG_LIMIT */
    size_t nfirst, cap;
} group;

struct fx_pubcheck {
    GHashTable *ix; /* key (in arena) -> group index + 1 */
    fx_arena *arena;
    group *groups;
    size_t n, cap;
    size_t last; /* index + 1 of the group of the previous fact: facts come in runs */
};

fx_pubcheck *fx_pubcheck_new(void)
{
    fx_pubcheck *p = fx_xcalloc(1, sizeof *p);
    p->ix = g_hash_table_new(g_str_hash, g_str_equal);
    p->arena = fx_arena_new();
    return p;
}

void fx_pubcheck_free(fx_pubcheck *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->groups[i].first);
    free(p->groups);
    g_hash_table_destroy(p->ix);
    fx_arena_free(p->arena);
    free(p);
}

static bool same(const group *g, const fx_fact *f)
{
    return g->input == f->input && g->published == f->published &&
           strlen(g->source) == f->source.len && memcmp(g->source, f->source.s, f->source.len) == 0;
}

void fx_pubcheck_note(fx_pubcheck *p, const fx_fact *f, const char *name)
{
    group *g = p->last ? &p->groups[p->last - 1] : NULL;
    if (!g || !same(g, f)) {
        char key[96];
        snprintf(key, sizeof key, "%zu %ld %.*s", f->input, (long)f->published,
                 (int)f->source.len, f->source.s);
        size_t ix = GPOINTER_TO_SIZE(g_hash_table_lookup(p->ix, key));
        if (!ix) {
            p->groups = fx_xgrow(p->groups, &p->cap, p->n + 1, sizeof *p->groups);
            p->groups[p->n] = (group){f->input, name,
                                      fx_arena_strndup(p->arena, f->source.s, f->source.len),
                                      f->published, 0, NULL, 0, 0};
            ix = ++p->n;
            g_hash_table_insert(p->ix, fx_arena_strndup(p->arena, key, strlen(key)),
                                GSIZE_TO_POINTER(ix));
        }
        p->last = ix;
        g = &p->groups[ix - 1];
    }
    g->facts++;
    if (g->nfirst < FX_DIAG_LIMIT) {
        g->first = fx_xgrow(g->first, &g->cap, g->nfirst + 1, sizeof *g->first);
        kept *k = &g->first[g->nfirst++];
        k->line = f->published_at.line;
        k->col = f->published_at.col;
        snprintf(k->id, sizeof k->id, "%.*s", (int)f->fact_id.len, f->fact_id.s);
    }
}

/* One fact that will be warned about, for sorting an input's by position. */
typedef struct {
    const group *g;
    const kept *k;
    fx_day says;
} hit;

static int by_place(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    if (x->k->line != y->k->line)
        return x->k->line < y->k->line ? -1 : 1;
    return x->k->col < y->k->col ? -1 : x->k->col > y->k->col;
}

size_t fx_pubcheck_report(const fx_pubcheck *p, const fx_sources *s, fx_diags *d)
{
    size_t all = 0;
    if (!p || fx_sources_count(s) == 0)
        return 0;
    /* the groups of one input, in input order: sort the group indices */
    size_t *order = fx_xcalloc(p->n ? p->n : 1, sizeof *order);
    size_t nord = 0;
    for (size_t i = 0; i < p->n; i++) {
        const group *g = &p->groups[i];
        const fx_source_desc *sd = fx_sources_find(s, g->source, strlen(g->source));
        if (sd && sd->has_published && sd->published != g->published)
            order[nord++] = i;
    }
    hit *hits = fx_xcalloc(nord * FX_DIAG_LIMIT + 1, sizeof *hits);
    bool *done = fx_xcalloc(nord + 1, sizeof *done);
    for (size_t a = 0; a < nord; a++) {
        if (done[a])
            continue;
        size_t input = p->groups[order[a]].input, nh = 0, facts = 0;
        const char *name = p->groups[order[a]].name;
        for (size_t b = a; b < nord; b++) {
            const group *g = &p->groups[order[b]];
            if (done[b] || g->input != input)
                continue;
            done[b] = true;
            facts += g->facts;
            fx_day says = fx_sources_find(s, g->source, strlen(g->source))->published;
            for (size_t k = 0; k < g->nfirst; k++)
                hits[nh++] = (hit){g, &g->first[k], says};
        }
        qsort(hits, nh, sizeof *hits, by_place);
        size_t shown = nh < FX_DIAG_LIMIT ? nh : FX_DIAG_LIMIT;
        for (size_t i = 0; i < shown; i++) {
            char was[11], says[11];
            fx_date_format(hits[i].g->published, was);
            fx_date_format(hits[i].says, says);
            fx_diag_warn(d, (fx_pos){name, hits[i].k->line, hits[i].k->col},
                         "fact %s published %s, its source %s says %s", hits[i].k->id, was,
                         hits[i].g->source, says);
        }
        if (facts > shown)
            fx_diag_warn(d, (fx_pos){name, 0, 0},
                         "%zu more facts published on another day than their source says; "
                         "only the first %zu are shown",
                         facts - shown, shown);
        all += facts;
    }
    free(done);
    free(hits);
    free(order);
    return all;
}
