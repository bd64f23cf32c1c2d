/* sheet_sources - the Sources sheet: one row per source, from the audit.
 * Invariant: written at close, from the aggregates only. */
#include "book_int.h"

static const fx_col_spec source_cols[] = {
    {"source", 24, false}, {"published", 11, true}, {"facts", 8, true},
    {"first_input", 40, false}};

void fx_sheet_sources_write(fx_book *b, const fx_audit *a)
{
    fx_sheet s;
    fx_sheet_init(&s, "Sources", source_cols, N(source_cols), NOCOL, 0);
    if (!fx_sheet_start(b, &s))
        return;
    for (size_t i = 0; i < fx_audit_nsources(a) && b->st == FX_OK; i++) {
        const fx_source *src = fx_audit_source(a, i);
        lxw_row_t r;
        if (!fx_sheet_next_row(b, &s, &r))
            break;
        fx_sheet_put_str(b, s.ws, r, 0, src->source, NULL);
        fx_sheet_put_day(b, s.ws, r, 1, src->published);
        fx_sheet_put_num(b, s.ws, r, 2, (double)src->facts, b->f_int);
        if (src->first_input < b->info->ninputs)
            fx_sheet_put_str(b, s.ws, r, 3,
                             fx_sheet_shown_name(b, b->info->inputs[src->first_input].name), NULL);
    }
    fx_sheet_end(b, &s);
}
