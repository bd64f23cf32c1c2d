/* field - the checks that a cell of any input shares (facts, sources):
 * the header's columns, ids, free text, dates, a row's field count. Each
 * failure is reported at its cell and returns false; nothing is kept. */
#ifndef FX_FIELD_H
#define FX_FIELD_H

#include <stdbool.h>
#include <stddef.h>

#include "csvin.h"
#include "date.h"
#include "diag.h"

typedef struct {
    const char *name;
    bool required;
} fx_field_col;

/* Maps a header row onto cols: map[c] = the cell index of column c, or -1.
 * An unknown column (the message lists cols), a repeated one and a missing
 * required one are each an error; false if there was any. */
bool fx_field_header(fx_diags *d, const fx_cell *cells, size_t n, const fx_field_col *cols,
                     int ncols, int *map);
/* The column of cols named by name[0..len), or -1. */
int fx_field_column(const fx_field_col *cols, int ncols, const char *name, size_t len);

/* Id grammar of SPEC 2: 1-64 of [A-Za-z0-9._-], first a letter or digit. */
#define FX_FIELD_ID_MAX 64
bool fx_field_is_id(const char *s, size_t len);

/* col names the column in the message ("source: ..."). */
bool fx_field_id(fx_diags *d, const fx_cell *c, const char *col);
/* Free text (SPEC 2): at most FX_XLTEXT_MAX characters as a workbook
 * stores them; required: not empty. (UTF-8, NUL and the noncharacters
 * are csvin's: a row with one never gets here.) */
bool fx_field_text(fx_diags *d, const fx_cell *c, const char *col, bool required);
/* An ISO date YYYY-MM-DD that exists. */
bool fx_field_date(fx_diags *d, const fx_cell *c, const char *col, fx_day *out);
/* A data row has as many fields as the header (ncols). */
bool fx_field_count(fx_diags *d, const fx_cell *cells, size_t n, size_t ncols);

#endif
