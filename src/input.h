/* input - one positional input, read once: its header says whether it is
 * a facts file or a sources file (SPEC 2), and its rows go to that
 * reader. A header that is not a sources file's is read as facts. */
#ifndef FX_INPUT_H
#define FX_INPUT_H

#include "csvin.h"
#include "facts.h"
#include "sources.h"

typedef enum { FX_INPUT_FACTS, FX_INPUT_SOURCES } fx_input_kind;

const char *fx_input_kind_name(fx_input_kind k); /* "facts", "sources" */

typedef struct {
    fx_facts_reader *facts; /* gets every input (a sources file as one with no facts) */
    fx_sources *sources;
    fx_fact_fn fn; /* each valid fact */
    void *ctx;
    fx_csvin_tap_fn tap; /* every byte read (file reads only); NULL: none */
    void *tap_ctx;
} fx_input;

/* Reads path (the input numbered `index` on the command line, called
 * `name` in messages; borrowed, must outlive in's readers and d). *kind
 * says what it was. Status as fx_facts_read. */
fx_status fx_input_read(const fx_input *in, const char *path, const char *name, size_t index,
                        fx_input_kind *kind, fx_diags *d);
/* The same from memory (tests, fuzzers); chunk as in fx_csvin_read_mem. */
fx_status fx_input_read_mem(const fx_input *in, const char *buf, size_t len, size_t chunk,
                            const char *name, size_t index, fx_input_kind *kind, fx_diags *d);

#endif
