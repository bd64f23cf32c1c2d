/* floor_csv - floor (a) of `make bench`: parses a facts file with libcsv
 * as fxbook does (strict, no trimming, 64 KiB reads) with callbacks that
 * only count. Prints "seconds rows fields"; the time covers the reads and
 * the parse, nothing else. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <csv.h>

#include "timer.h"

typedef struct {
    unsigned long rows, fields;
} counts;

static void on_field(void *s, size_t len, void *ctx)
{
    (void)s, (void)len;
    ((counts *)ctx)->fields++;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    ((counts *)ctx)->rows++;
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: floor_csv FACTS.csv\n");
        return 64;
    }
    double t0 = bench_now();
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 66;
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return 70;
    csv_set_space_func(&p, no_space);
    counts n = {0, 0};
    static char buf[64 * 1024];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        if (csv_parse(&p, buf, got, on_field, on_row, &n) != got) {
            fprintf(stderr, "floor_csv: %s\n", csv_strerror(csv_error(&p)));
            return 65;
        }
    csv_fini(&p, on_field, on_row, &n);
    csv_free(&p);
    fclose(f);
    double t = bench_now() - t0;
    printf("%.6f %lu %lu\n", t, n.rows, n.fields);
    return 0;
}
