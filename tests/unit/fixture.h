/* fixture - what the unit tests share: a rate table loaded from a file or
 * from text, the options of SPEC 1's defaults, codes and dates from
 * strings. Header-only (each test is one program); static inline, so a
 * test that needs only some of it builds without warnings. Include after
 * <cmocka.h>. */
#ifndef FX_TEST_FIXTURE_H
#define FX_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "convert.h"
#include "date.h"
#include "rates.h"

/* path loaded and finished; its messages printed; NULL on an error. */
static inline fx_rate_table *fixture_rates_load(const char *path)
{
    fx_diags *d = fx_diags_new();
    fx_rate_table *t = fx_rates_new();
    fx_status st = fx_rates_load(t, path, d);
    if (st == FX_OK)
        st = fx_rates_finish(t, d);
    for (size_t i = 0; i < fx_diags_count(d); i++)
        print_message("# %s\n", fx_diags_message(d, i));
    fx_diags_free(d);
    if (st != FX_OK) {
        fx_rates_free(t);
        return NULL;
    }
    return t;
}

/* A rates file in a scratch folder made from csv, loaded; the file and the
 * folder are removed at once (the table keeps only the name). */
static inline fx_rate_table *fixture_rates_text(const char *csv)
{
    char dir[] = "/tmp/fxbook-test-XXXXXX", path[64];
    if (!mkdtemp(dir))
        return NULL;
    snprintf(path, sizeof path, "%s/rates.csv", dir);
    FILE *f = fopen(path, "w");
    fx_rate_table *t = NULL;
    if (f) {
        fputs(csv, f);
        fclose(f);
        t = fixture_rates_load(path);
        unlink(path);
    }
    rmdir(dir);
    return t;
}

/* SPEC 1's defaults: USD, previous within 7 days, 2 places half-even,
 * tolerance 2 %, infer window 30. fx_dec_clear(&a->tolerance) after. */
static inline void fixture_opts(fx_convert_opts *c, fx_audit_opts *a)
{
    memset(c, 0, sizeof *c);
    c->targets[0] = (fx_ccy){"USD"};
    c->ntargets = 1;
    c->lookup = (fx_lookup_opts){FX_FALLBACK_PREVIOUS, 7, NULL, 0};
    c->places = 2;
    c->rounding = FX_ROUND_HALF_EVEN;
    memset(a, 0, sizeof *a);
    fx_dec_init(&a->tolerance);
    fx_dec_parse(&a->tolerance, "2", 1);
    a->infer_window = 30;
    a->places = c->places;
    a->rounding = c->rounding;
    a->lookup = c->lookup;
}

static inline fx_ccy fixture_ccy(const char *s)
{
    fx_ccy c;
    memcpy(c.s, s, 3);
    c.s[3] = '\0';
    return c;
}

static inline fx_day fixture_day(const char *s)
{
    fx_day d;
    if (!fx_date_parse(s, strlen(s), &d))
        fail_msg("bad date in test: %s", s);
    return d;
}

#endif
