/* facts - the facts CSV of SPEC 2, validated row by row and streamed to
 * the caller. Nothing is kept per row but the fact_id index (uniqueness
 * across inputs) and one kind per claim. */
#ifndef FX_FACTS_H
#define FX_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "basis.h"
#include "ccy.h"
#include "csvin.h"
#include "date.h"
#include "dec.h"
#include "diag.h"
#include "rates.h"

typedef enum {
    FX_KIND_MONEY,
    FX_KIND_COUNT,
    FX_KIND_PERCENT,
    FX_KIND_DAYS,
    FX_KIND_MONTHS,
    FX_KIND_YEARS,
} fx_kind;

typedef enum {
    FX_QUAL_NONE,
    FX_QUAL_ABOUT,
    FX_QUAL_AT_LEAST,
    FX_QUAL_AT_MOST,
} fx_qual;

/* Borrowed text: valid only during the callback; s[len] is '\0'. */
typedef struct {
    const char *s;
    size_t len;
} fx_text;

/* A figure as printed: value x 10^scale, in a unit. */
typedef struct {
    fx_dec value; /* as printed (its digits give the printed precision) */
    int scale;    /* power of ten: 0, 3, 6, 9, 12 */
    fx_kind kind;
    fx_ccy ccy;  /* money only: the ISO code after aliases */
    fx_text unit; /* as typed */
} fx_figure;

typedef struct {
    fx_pos at;    /* where the row starts */
    fx_pos published_at; /* where its published field starts */
    size_t input; /* index of the input file, from 0 */
    fx_text fact_id, entity, claim, source, quote, note;
    fx_day published;
    bool has_as_of;
    fx_day as_of;
    fx_pos as_of_at; /* where its as_of field starts (when has_as_of) */
    bool has_basis;  /* the basis column gave one: it overrides --basis */
    fx_basis basis;
    fx_pos basis_at; /* where its basis field starts (when has_basis) */
    fx_figure fig;
    fx_qual qual;
    bool has_reported;
    fx_figure reported;
} fx_fact;

const char *fx_kind_name(fx_kind k);  /* "money", "count", "percent", ... */
const char *fx_qual_name(fx_qual q);  /* "", "about", "at_least", "at_most" */
const char *fx_scale_name(int scale); /* "", "thousand", ... "trillion" */

/* Called for each valid fact; returning non-FX_OK stops reading. */
typedef fx_status (*fx_fact_fn)(void *ctx, const fx_fact *f);

typedef struct fx_facts_reader fx_facts_reader;

/* rates resolves money units (ISO codes, loaded codes, aliases); borrowed. */
fx_facts_reader *fx_facts_reader_new(const fx_rate_table *rates);
void fx_facts_reader_free(fx_facts_reader *r);

/* Reads one input. Every error goes to d with its position; valid rows
 * still reach fn, so that later stages report their errors too.
 * `name` is borrowed and must outlive the reader and d. */
/* Every later fx_facts_read hands the bytes it reads to tap (see
 * fx_csvin_opts); NULL: none. */
void fx_facts_set_tap(fx_facts_reader *r, fx_csvin_tap_fn tap, void *ctx);
fx_status fx_facts_read(fx_facts_reader *r, const char *path, const char *name, fx_fact_fn fn,
                        void *ctx, fx_diags *d);
/* The same from memory (tests, fuzzers); chunk as in fx_csvin_read_mem. */
fx_status fx_facts_read_mem(fx_facts_reader *r, const char *buf, size_t len, size_t chunk,
                            const char *name, fx_fact_fn fn, void *ctx, fx_diags *d);

/* The same in steps, for a caller that reads the CSV itself (input.c
 * tells facts from sources by the header): begin, then fx_facts_row as
 * the fx_csvin_row_fn with the reader as ctx, then end with csvin's
 * status. An input begun and never ended counts as one with no facts. */
void fx_facts_begin(fx_facts_reader *r, const char *name, fx_fact_fn fn, void *ctx, fx_diags *d);
fx_status fx_facts_row(void *r, const fx_cell *cells, size_t n);
fx_status fx_facts_end(fx_facts_reader *r, fx_status st);

/* Counts an input that could not be opened, so input indices stay those
 * of the command line. */
void fx_facts_skip_input(fx_facts_reader *r, const char *name);

/* Facts accepted so far, over all inputs; and in input i. */
size_t fx_facts_total(const fx_facts_reader *r);
size_t fx_facts_in_input(const fx_facts_reader *r, size_t input);
/* Bytes the fact_id index holds (what grows with the number of facts). */
size_t fx_facts_index_bytes(const fx_facts_reader *r);

/* Id grammar of SPEC 2: 1-64 of [A-Za-z0-9._-], first a letter or digit. */
bool fx_facts_is_id(const char *s, size_t len);
/* True when name[0..len) is a column of a facts file. */
bool fx_facts_names_column(const char *name, size_t len);
/* Characters as Excel counts them (UTF-16 code units) of valid UTF-8. */
size_t fx_utf16_len(const char *s, size_t len);

#endif
