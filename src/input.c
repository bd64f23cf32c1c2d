/* input - tells a facts file from a sources file by its header, in the
 * one pass that reads it. Invariant: the facts reader begins every input
 * (its indices stay those of the command line); only a facts file is
 * ended there, a sources file is ended by the sources table. */
#include "input.h"

#include <stdbool.h>

static const char *const kind_names[] = {"facts", "sources"};

const char *fx_input_kind_name(fx_input_kind k)
{
    return kind_names[k];
}

typedef struct {
    const fx_input *in;
    const char *name;
    size_t index;
    fx_diags *d;
    size_t errors_before;
    bool decided;
    fx_input_kind kind;
} dispatch;

static fx_status on_row(void *ctx, const fx_cell *cells, size_t n)
{
    dispatch *x = ctx;
    if (!x->decided) {
        x->decided = true;
        /* A first record that csvin refused (and reported) is no header
         * to judge by: the facts reader then reports the file as it does. */
        if (fx_diags_errors_in(x->d, x->name) == x->errors_before &&
            fx_sources_is_header(cells, n)) {
            x->kind = FX_INPUT_SOURCES;
            fx_sources_begin(x->in->sources, x->name, x->index, x->d);
        }
    }
    return x->kind == FX_INPUT_SOURCES ? fx_sources_row(x->in->sources, cells, n)
                                       : fx_facts_row(x->in->facts, cells, n);
}

static void begin(dispatch *x, const fx_input *in, const char *name, size_t index, fx_diags *d)
{
    *x = (dispatch){in, name, index, d, fx_diags_errors_in(d, name), false, FX_INPUT_FACTS};
    fx_facts_begin(in->facts, name, in->fn, in->ctx, d);
}

static fx_status end(dispatch *x, fx_status st, fx_input_kind *kind)
{
    if (kind)
        *kind = x->kind;
    return x->kind == FX_INPUT_SOURCES ? fx_sources_end(x->in->sources, st)
                                       : fx_facts_end(x->in->facts, st);
}

fx_status fx_input_read(const fx_input *in, const char *path, const char *name, size_t index,
                        fx_input_kind *kind, fx_diags *d)
{
    dispatch x;
    begin(&x, in, name, index, d);
    fx_csvin_opts o = {in->tap, in->tap_ctx, NULL};
    return end(&x, fx_csvin_read_opts(path, name, on_row, &x, &o, d), kind);
}

fx_status fx_input_read_mem(const fx_input *in, const char *buf, size_t len, size_t chunk,
                            const char *name, size_t index, fx_input_kind *kind, fx_diags *d)
{
    dispatch x;
    begin(&x, in, name, index, d);
    return end(&x, fx_csvin_read_mem(buf, len, chunk, name, on_row, &x, d), kind);
}
