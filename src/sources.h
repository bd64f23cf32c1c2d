/* sources - the sources files of SPEC 2 (source,outlet,title,url,published):
 * what the Sources sheet says of each source. Read-only once loaded; a
 * source id is described at most once across all sources files. */
#ifndef FX_SOURCES_H
#define FX_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "csvin.h"
#include "date.h"
#include "diag.h"

typedef struct {
    const char *source; /* the id */
    const char *outlet, *title, *url; /* free text; "" when empty */
    size_t outlet_len, title_len, url_len;
    bool has_published;
    fx_day published;
    fx_pos at;    /* where its source id is (at.file: the input's name, borrowed) */
    size_t input; /* the input's index on the command line */
} fx_source_desc;

typedef struct fx_sources fx_sources;

fx_sources *fx_sources_new(void);
void fx_sources_free(fx_sources *s);

/* True when a header row is a sources file's: it names at least one
 * sources column and no column that only a facts file has. */
bool fx_sources_is_header(const fx_cell *cells, size_t n);

/* Reads one sources file in steps (input.c reads the CSV): begin, then
 * fx_sources_row as the fx_csvin_row_fn with s as ctx, then end with
 * csvin's status. Every error goes to d with its position; only valid
 * rows are kept. name is borrowed and must outlive s and d. */
void fx_sources_begin(fx_sources *s, const char *name, size_t input, fx_diags *d);
fx_status fx_sources_row(void *s, const fx_cell *cells, size_t n);
fx_status fx_sources_end(fx_sources *s, fx_status st);
/* All of it from memory (tests, fuzzers); chunk as in fx_csvin_read_mem. */
fx_status fx_sources_read_mem(fx_sources *s, const char *buf, size_t len, size_t chunk,
                              const char *name, size_t input, fx_diags *d);

/* Sources described, in the order read; *out borrows from s. */
size_t fx_sources_count(const fx_sources *s);
const fx_source_desc *fx_sources_at(const fx_sources *s, size_t i);
/* The description of id[0..len), or NULL. */
const fx_source_desc *fx_sources_find(const fx_sources *s, const char *id, size_t len);

#endif
