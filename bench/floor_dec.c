/* floor_dec - floor (b) of `make bench`: the conversions fxbook does, with
 * its decimal module alone (build/libfxbook.a). Reads the "-c" side file of
 * gen into memory first (not timed), then per line, as fxbook does per
 * fact: "t" parses the value (fx_dec_parse, shifted by its scale) and the
 * rate legs (fx_small_parse), converts exactly (fx_ratio_set_convert),
 * rounds once to 2 places half-even (fx_ratio_round) and prints it
 * (fx_dec_to_str); "a" converts the same amount into the reported unit.
 * A second pass does the same and also the doubles the workbook's cells
 * need (value, amount, rounded amount, the formula's cached exact value).
 * Prints "seconds core_seconds conversions": the second pass's time and
 * the first's. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"
#include "timer.h"

typedef struct {
    char kind; /* 't' or 'a' */
    const char *value, *num, *den;
    long scale;
} line;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(66);
    }
    size_t cap = 1 << 20, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    if (!buf)
        exit(70);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static char *word(char **p)
{
    char *s = *p;
    while (*s == ' ')
        s++;
    char *e = s + strcspn(s, " \n");
    if (*e)
        *e++ = '\0';
    *p = e;
    return s;
}

static void check(fx_dec_err e, const char *s)
{
    if (e != FX_DEC_OK) {
        fprintf(stderr, "floor_dec: cannot parse %s\n", s);
        exit(65);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: floor_dec CONV\n");
        return 64;
    }
    size_t len, n = 0, cap = 1024;
    char *buf = slurp(argv[1], &len), *p = buf;
    line *lines = malloc(cap * sizeof *lines);
    while (*p) {
        char *end = strchr(p, '\n');
        if (!end)
            break;
        *end = '\0';
        char *q = p;
        p = end + 1;
        if (n == cap)
            lines = realloc(lines, (cap *= 2) * sizeof *lines);
        line *l = &lines[n++];
        l->kind = *word(&q);
        if (l->kind == 't') {
            l->value = word(&q);
            l->scale = strtol(word(&q), NULL, 10);
        }
        l->num = word(&q);
        l->den = word(&q);
    }

    fx_dec value, rounded;
    fx_ratio exact;
    fx_dec_init(&value);
    fx_dec_init(&rounded);
    fx_ratio_init(&exact);
    char out[FX_DEC_STR_MAX];
    size_t bytes = 0;
    double sink = 0, t[2];
    /* pass 0: the conversions; pass 1: the same and the cells' doubles */
    for (int pass = 0; pass < 2; pass++) {
        double t0 = bench_now();
        for (size_t i = 0; i < n; i++) {
            const line *l = &lines[i];
            fx_small num, den;
            if (l->kind == 't') {
                check(fx_dec_parse(&value, l->value, strlen(l->value)), l->value);
                fx_dec_shift(&value, l->scale);
            }
            check(fx_small_parse(&num, l->num, strlen(l->num)), l->num);
            check(fx_small_parse(&den, l->den, strlen(l->den)), l->den);
            fx_ratio_set_convert(&exact, &value, num, den);
            fx_ratio_round(&rounded, &exact, 2, FX_ROUND_HALF_EVEN);
            int k = fx_dec_to_str(&rounded, out, sizeof out);
            bytes += k > 0 ? (size_t)k : 0;
            if (pass == 1) {
                if (l->kind == 't') /* the Facts cells: value and amount */
                    sink += fx_dec_to_double(&value) * 2;
                sink += fx_dec_to_double(&rounded) + fx_ratio_to_double(&exact);
            }
        }
        t[pass] = bench_now() - t0;
    }
    printf("%.6f %.6f %zu\n", t[1], t[0], n);
    fprintf(stderr, "floor_dec: %zu conversions, %zu digits out (%g)\n", n, bytes, sink);
    fx_dec_clear(&value);
    fx_dec_clear(&rounded);
    fx_ratio_clear(&exact);
    free(lines);
    free(buf);
    return 0;
}
