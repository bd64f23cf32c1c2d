/* sources - reads sources files into one table keyed by source id.
 * Invariant: a row is kept only when every field passed; an id is kept
 * once (the first row), a later one is an error naming the first. */
#include "sources.h"

#include <glib.h>
#include <string.h>

#include "facts.h"
#include "field.h"
#include "mem.h"

typedef enum { C_SOURCE, C_OUTLET, C_TITLE, C_URL, C_PUBLISHED, C_COUNT } column;

static const fx_field_col columns[C_COUNT] = {
    [C_SOURCE] = {"source", true},  [C_OUTLET] = {"outlet", false},
    [C_TITLE] = {"title", false},   [C_URL] = {"url", false},
    [C_PUBLISHED] = {"published", false},
};

struct fx_sources {
    fx_source_desc *rows;
    size_t n, cap;
    GHashTable *ids; /* id (in arena) -> row index + 1 */
    fx_arena *arena;
    /* the file being read */
    const char *name;
    size_t input;
    fx_diags *d;
    int map[C_COUNT];
    size_t ncols;
    bool header_done, header_bad;
    size_t errors_before;
};

fx_sources *fx_sources_new(void)
{
    fx_sources *s = fx_xcalloc(1, sizeof *s);
    s->ids = g_hash_table_new(g_str_hash, g_str_equal);
    s->arena = fx_arena_new();
    return s;
}

void fx_sources_free(fx_sources *s)
{
    if (!s)
        return;
    g_hash_table_destroy(s->ids);
    fx_arena_free(s->arena);
    free(s->rows);
    free(s);
}

bool fx_sources_is_header(const fx_cell *cells, size_t n)
{
    bool ours = false;
    for (size_t i = 0; i < n; i++) {
        bool mine = fx_field_column(columns, C_COUNT, cells[i].text, cells[i].len) >= 0;
        if (!mine && fx_facts_names_column(cells[i].text, cells[i].len))
            return false; /* fact_id, value, ...: a facts file */
        ours |= mine;
    }
    return ours;
}

void fx_sources_begin(fx_sources *s, const char *name, size_t input, fx_diags *d)
{
    s->name = name;
    s->input = input;
    s->d = d;
    s->header_done = s->header_bad = false;
    s->errors_before = fx_diags_errors_in(d, name);
}

static const fx_cell empty_cell = {"", 0, {NULL, 0, 0}, false};

static bool check_unique(fx_sources *s, const fx_cell *c)
{
    size_t ix = GPOINTER_TO_SIZE(g_hash_table_lookup(s->ids, c->text));
    if (ix == 0)
        return true;
    const fx_pos *at = &s->rows[ix - 1].at;
    fx_diag_error(s->d, c->at, "duplicate source \"%s\"; first described at %s:%lu:%lu",
                  fx_diag_show(c->text, c->len), at->file, at->line, at->col);
    return false;
}

static const char *keep(fx_sources *s, const fx_cell *c)
{
    return c->len ? fx_arena_strndup(s->arena, c->text, c->len) : "";
}

fx_status fx_sources_row(void *ctx, const fx_cell *cells, size_t n)
{
    fx_sources *s = ctx;
    if (!s->header_done) {
        s->header_done = true;
        /* csvin did not hand on the first record and said why (as facts.c) */
        if (fx_diags_errors_in(s->d, s->name) > s->errors_before)
            s->header_bad = true;
        else
            s->header_bad = !fx_field_header(s->d, cells, n, columns, C_COUNT, s->map);
        s->ncols = n;
        return FX_OK;
    }
    if (s->header_bad || !fx_field_count(s->d, cells, n, s->ncols))
        return FX_OK;
    const fx_cell *c[C_COUNT];
    for (int i = 0; i < C_COUNT; i++)
        c[i] = s->map[i] >= 0 ? &cells[s->map[i]] : &empty_cell;
    fx_source_desc row = {0};
    bool ok = fx_field_id(s->d, c[C_SOURCE], "source") && check_unique(s, c[C_SOURCE]);
    ok &= fx_field_text(s->d, c[C_OUTLET], "outlet", false);
    ok &= fx_field_text(s->d, c[C_TITLE], "title", false);
    ok &= fx_field_text(s->d, c[C_URL], "url", false);
    row.has_published = c[C_PUBLISHED]->len > 0;
    if (row.has_published)
        ok &= fx_field_date(s->d, c[C_PUBLISHED], "published", &row.published);
    if (!ok)
        return FX_OK;
    row.source = keep(s, c[C_SOURCE]);
    row.outlet = keep(s, c[C_OUTLET]);
    row.outlet_len = c[C_OUTLET]->len;
    row.title = keep(s, c[C_TITLE]);
    row.title_len = c[C_TITLE]->len;
    row.url = keep(s, c[C_URL]);
    row.url_len = c[C_URL]->len;
    row.at = c[C_SOURCE]->at;
    row.input = s->input;
    s->rows = fx_xgrow(s->rows, &s->cap, s->n + 1, sizeof *s->rows);
    s->rows[s->n++] = row;
    g_hash_table_insert(s->ids, (char *)row.source, GSIZE_TO_POINTER(s->n));
    return FX_OK;
}

fx_status fx_sources_end(fx_sources *s, fx_status st)
{
    if (st == FX_OK && fx_diags_errors_in(s->d, s->name) > s->errors_before)
        return FX_E_DATA;
    return st;
}

fx_status fx_sources_read_mem(fx_sources *s, const char *buf, size_t len, size_t chunk,
                              const char *name, size_t input, fx_diags *d)
{
    fx_sources_begin(s, name, input, d);
    return fx_sources_end(s, fx_csvin_read_mem(buf, len, chunk, name, fx_sources_row, s, d));
}

size_t fx_sources_count(const fx_sources *s)
{
    return s ? s->n : 0;
}

const fx_source_desc *fx_sources_at(const fx_sources *s, size_t i)
{
    return &s->rows[i];
}

const fx_source_desc *fx_sources_find(const fx_sources *s, const char *id, size_t len)
{
    if (!s || len > FX_FIELD_ID_MAX)
        return NULL;
    char key[FX_FIELD_ID_MAX + 1];
    memcpy(key, id, len);
    key[len] = '\0';
    size_t ix = GPOINTER_TO_SIZE(g_hash_table_lookup(s->ids, key));
    return ix ? &s->rows[ix - 1] : NULL;
}
