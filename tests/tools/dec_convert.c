/* dec_convert - the dec module as a filter, for tests/oracle: the exact
 * oracle (Python fractions) feeds it lines and compares every answer.
 *
 *   dec_convert        lines "amount num den places mode" (mode: half-even,
 *                      half-up, down); prints per line
 *                      "FIXED SIG12 RATIO_DOUBLE AMOUNT_DOUBLE"
 *                      where FIXED = fx_ratio_to_fixed(amount*num/den),
 *                      SIG12 = fx_ratio_to_sig(.., 12), and the doubles are
 *                      fx_ratio_to_double / fx_dec_to_double as 16 hex
 *                      digits of their IEEE bits; or "ERR what code".
 *   dec_convert -p     one string per line (the whole line, NULs included,
 *                      without its '\n'); prints
 *                      "DEC|SMALL" with DEC = "ok TEXT DIGITS" (fx_dec_to_str,
 *                      fx_dec_digits), SMALL = "ok COEF EXP", or "syntax" /
 *                      "too_long" for each.
 *
 * Exit 0 after the last line; 2 on a usage or I/O error. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"

static const char *err_name(fx_dec_err e)
{
    switch (e) {
    case FX_DEC_OK:
        return "ok";
    case FX_DEC_SYNTAX:
        return "syntax";
    case FX_DEC_TOO_LONG:
        return "too_long";
    }
    return "?";
}

static uint64_t bits(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

/* Next space-separated field of line[*i..n). */
static const char *field(const char *line, size_t n, size_t *i, size_t *len)
{
    while (*i < n && line[*i] == ' ')
        (*i)++;
    size_t start = *i;
    while (*i < n && line[*i] != ' ')
        (*i)++;
    *len = *i - start;
    return line + start;
}

static int convert_line(const char *line, size_t n, fx_dec *amount, fx_ratio *r)
{
    size_t i = 0, la, ln, ld, lp, lm;
    const char *a = field(line, n, &i, &la);
    const char *nu = field(line, n, &i, &ln);
    const char *de = field(line, n, &i, &ld);
    const char *pl = field(line, n, &i, &lp);
    const char *mo = field(line, n, &i, &lm);
    fx_small num, den;
    fx_dec_err e;
    if ((e = fx_dec_parse(amount, a, la)) != FX_DEC_OK)
        return printf("ERR amount %s\n", err_name(e));
    if ((e = fx_small_parse(&num, nu, ln)) != FX_DEC_OK)
        return printf("ERR num %s\n", err_name(e));
    if ((e = fx_small_parse(&den, de, ld)) != FX_DEC_OK)
        return printf("ERR den %s\n", err_name(e));
    if (den.coef == 0)
        return printf("ERR den zero\n");
    int places = 0;
    for (size_t k = 0; k < lp; k++) {
        if (pl[k] < '0' || pl[k] > '9' || places > 100)
            return printf("ERR places bad\n");
        places = places * 10 + (pl[k] - '0');
    }
    if (lp == 0)
        return printf("ERR places bad\n");
    fx_rounding mode;
    if (lm == 9 && memcmp(mo, "half-even", 9) == 0)
        mode = FX_ROUND_HALF_EVEN;
    else if (lm == 7 && memcmp(mo, "half-up", 7) == 0)
        mode = FX_ROUND_HALF_UP;
    else if (lm == 4 && memcmp(mo, "down", 4) == 0)
        mode = FX_ROUND_DOWN;
    else
        return printf("ERR mode bad\n");

    fx_ratio_set_convert(r, amount, num, den);
    char fixed[FX_DEC_STR_MAX], sig[FX_DEC_STR_MAX];
    if (fx_ratio_to_fixed(r, places, mode, fixed, sizeof fixed) < 0)
        strcpy(fixed, "OVERFLOW");
    if (fx_ratio_to_sig(r, 12, sig, sizeof sig) < 0)
        strcpy(sig, "OVERFLOW");
    return printf("%s %s %016" PRIx64 " %016" PRIx64 "\n", fixed, sig,
                  bits(fx_ratio_to_double(r)), bits(fx_dec_to_double(amount)));
}

static int parse_line(const char *line, size_t n, fx_dec *d)
{
    fx_dec_err e = fx_dec_parse(d, line, n);
    if (e == FX_DEC_OK) {
        char text[FX_DEC_STR_MAX];
        if (fx_dec_to_str(d, text, sizeof text) < 0)
            strcpy(text, "OVERFLOW");
        printf("ok %s %zu|", text, fx_dec_digits(d));
    } else {
        printf("%s|", err_name(e));
    }
    fx_small s;
    e = fx_small_parse(&s, line, n);
    if (e == FX_DEC_OK)
        return printf("ok %" PRId64 " %" PRId32 "\n", s.coef, s.exp);
    return printf("%s\n", err_name(e));
}

int main(int argc, char **argv)
{
    int parse_mode = argc == 2 && strcmp(argv[1], "-p") == 0;
    if (argc > 2 || (argc == 2 && !parse_mode)) {
        fputs("usage: dec_convert [-p] < lines\n", stderr);
        return 2;
    }
    fx_dec amount;
    fx_ratio r;
    fx_dec_init(&amount);
    fx_ratio_init(&r);
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int rc = 0;
    while ((got = getline(&line, &cap, stdin)) >= 0) {
        size_t n = (size_t)got;
        if (n > 0 && line[n - 1] == '\n')
            n--;
        if ((parse_mode ? parse_line(line, n, &amount) : convert_line(line, n, &amount, &r)) < 0) {
            rc = 2;
            break;
        }
    }
    if (ferror(stdin))
        rc = 2;
    free(line);
    fx_ratio_clear(&r);
    fx_dec_clear(&amount);
    if (fclose(stdout) != 0)
        rc = 2;
    return rc;
}
