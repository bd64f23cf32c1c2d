/* field - checks shared by the readers of facts and sources files.
 * Invariant: every message is positioned at the cell it is about and
 * shows the input's text only through fx_diag_show. */
#include "field.h"

#include <string.h>

#include "xltext.h"

#define SHOW(c) fx_diag_show((c)->text, (c)->len)

int fx_field_column(const fx_field_col *cols, int ncols, const char *name, size_t len)
{
    for (int c = 0; c < ncols; c++)
        if (strlen(cols[c].name) == len && memcmp(cols[c].name, name, len) == 0)
            return c;
    return -1;
}

bool fx_field_header(fx_diags *d, const fx_cell *cells, size_t n, const fx_field_col *cols,
                     int ncols, int *map)
{
    bool bad = false;
    char expected[1024] = "";
    size_t at = 0;
    for (int c = 0; c < ncols && at < sizeof expected; c++)
        at += (size_t)snprintf(expected + at, sizeof expected - at, "%s%s", c ? ", " : "",
                               cols[c].name);
    for (int c = 0; c < ncols; c++)
        map[c] = -1;
    for (size_t i = 0; i < n; i++) {
        int c = fx_field_column(cols, ncols, cells[i].text, cells[i].len);
        if (c < 0) {
            fx_diag_error(d, cells[i].at, "unknown column \"%s\"; expected %s", SHOW(&cells[i]),
                          expected);
            bad = true;
        } else if (map[c] >= 0) {
            fx_diag_error(d, cells[i].at, "column \"%s\" repeated (first in column %lu)",
                          cols[c].name, cells[map[c]].at.col);
            bad = true;
        } else
            map[c] = (int)i;
    }
    for (int c = 0; c < ncols; c++)
        if (cols[c].required && map[c] < 0) {
            fx_diag_error(d, cells[0].at, "missing required column \"%s\"", cols[c].name);
            bad = true;
        }
    return !bad;
}

bool fx_field_is_id(const char *s, size_t len)
{
    if (len == 0 || len > FX_FIELD_ID_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
            return false;
    }
    return true;
}

bool fx_field_id(fx_diags *d, const fx_cell *c, const char *col)
{
    if (fx_field_is_id(c->text, c->len))
        return true;
    if (c->len == 0)
        fx_diag_error(d, c->at, "%s: empty; expected an id", col);
    else
        fx_diag_error(d, c->at,
                      "%s: \"%s\" is not an id; expected 1-64 of A-Z a-z 0-9 . _ - "
                      "starting with a letter or digit",
                      col, SHOW(c));
    return false;
}

bool fx_field_text(fx_diags *d, const fx_cell *c, const char *col, bool required)
{
    if (required && c->len == 0) {
        fx_diag_error(d, c->at, "%s: empty; this column is required", col);
        return false;
    }
    /* Counted as the workbook stores it, so that nothing fails (70) once
     * output has begun: each literal _xHHHH_ is stored 6 characters longer. */
    size_t n = fx_xltext_utf16_len(c->text, c->len);
    size_t esc = fx_xltext_escapes(c->text, c->len);
    size_t stored = n + FX_XLTEXT_ESCAPE_EXTRA * esc;
    if (stored <= FX_XLTEXT_MAX)
        return true;
    if (esc == 0)
        fx_diag_error(d, c->at,
                      "%s: %zu characters; a cell holds at most %d (nothing is cut silently)",
                      col, n, FX_XLTEXT_MAX);
    else
        fx_diag_error(d, c->at,
                      "%s: %zu characters as a workbook stores them (%zu, plus %zu x %d for "
                      "the literal _xHHHH_ stored as _x005F_xHHHH_); a cell holds at most %d "
                      "(nothing is cut silently)",
                      col, stored, n, esc, FX_XLTEXT_ESCAPE_EXTRA, FX_XLTEXT_MAX);
    return false;
}

bool fx_field_date(fx_diags *d, const fx_cell *c, const char *col, fx_day *out)
{
    if (fx_date_parse(c->text, c->len, out))
        return true;
    fx_diag_error(d, c->at, "%s: \"%s\" is not a date; expected YYYY-MM-DD, a day that exists",
                  col, SHOW(c));
    return false;
}

bool fx_field_count(fx_diags *d, const fx_cell *cells, size_t n, size_t ncols)
{
    if (n == ncols)
        return true;
    fx_diag_error(d, cells[0].at, "row has %zu field%s, the header has %zu", n, n == 1 ? "" : "s",
                  ncols);
    return false;
}
