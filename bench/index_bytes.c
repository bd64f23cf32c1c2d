/* index_bytes - what grows with the number of facts: reads a facts file
 * with fxbook's own reader (build/libfxbook.a) and prints the bytes its
 * fact_id index holds at the end (fx_facts_index_bytes) and the facts read:
 * "bytes facts". */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>

#include "diag.h"
#include "facts.h"
#include "rates.h"

static fx_status on_fact(void *ctx, const fx_fact *f)
{
    (void)ctx, (void)f;
    return FX_OK;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: index_bytes RATES_DIR FACTS.csv\n");
        return 64;
    }
    fx_diags *d = fx_diags_new();
    fx_rate_table *t = fx_rates_new();
    fx_status st = fx_rates_load(t, argv[1], d);
    if (st == FX_OK)
        st = fx_rates_finish(t, d);
    fx_facts_reader *r = fx_facts_reader_new(t);
    if (st == FX_OK)
        st = fx_facts_read(r, argv[2], argv[2], on_fact, NULL, d);
    if (st != FX_OK) {
        fprintf(stderr, "index_bytes: %s does not read cleanly\n", argv[2]);
        return 65;
    }
    printf("%zu %zu\n", fx_facts_index_bytes(r), fx_facts_total(r));
    fx_facts_reader_free(r);
    fx_rates_free(t);
    fx_diags_free(d);
    return 0;
}
