/* rates_load - the time to load the ECB history alone: fx_rates_load and
 * fx_rates_finish on rates/eurofxref-hist.csv (and aliases.csv, as every
 * run loads it), RUNS times in one process. Prints
 * "median_seconds min_seconds rates"; with a third argument "cpu", then
 * also the median and minimum of the thread's CPU time (a busy machine
 * inflates the wall clock, not the CPU time). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rates.h"
#include "timer.h"

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "rates";
    int runs = argc > 2 ? atoi(argv[2]) : 50;
    if (runs < 1 || runs > 10000)
        runs = 50;
    char ecb[4096], aliases[4096];
    snprintf(ecb, sizeof ecb, "%s/eurofxref-hist.csv", dir);
    snprintf(aliases, sizeof aliases, "%s/aliases.csv", dir);
    double *t = malloc((size_t)runs * sizeof *t), *c = malloc((size_t)runs * sizeof *c);
    size_t count = 0;
    for (int i = 0; i < runs; i++) {
        fx_diags *d = fx_diags_new();
        double t0 = bench_now(), c0 = bench_cpu();
        fx_rate_table *rt = fx_rates_new();
        fx_status st = fx_rates_load(rt, ecb, d);
        if (st == FX_OK)
            st = fx_rates_load(rt, aliases, d);
        if (st == FX_OK)
            st = fx_rates_finish(rt, d);
        t[i] = bench_now() - t0;
        c[i] = bench_cpu() - c0;
        count = fx_rates_count(rt);
        fx_rates_free(rt);
        fx_diags_free(d);
        if (st != FX_OK) {
            fprintf(stderr, "rates_load: cannot load %s\n", ecb);
            return 65;
        }
    }
    qsort(t, (size_t)runs, sizeof *t, cmp);
    qsort(c, (size_t)runs, sizeof *c, cmp);
    if (argc > 3 && strcmp(argv[3], "cpu") == 0)
        printf("%.6f %.6f %zu %.6f %.6f\n", t[runs / 2], t[0], count, c[runs / 2], c[0]);
    else
        printf("%.6f %.6f %zu\n", t[runs / 2], t[0], count);
    free(t);
    free(c);
    return 0;
}
