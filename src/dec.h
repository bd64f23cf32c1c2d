/* dec - exact decimal and rational arithmetic for money.
 *
 * Values are never binary floating point: an fx_dec is an integer
 * coefficient times a power of ten (both exact, GMP integers), and an
 * fx_ratio is an exact GMP rational. A conversion builds the exact
 * rational amount * num / den and rounds it ONCE to a number of decimal
 * places, deciding ties on the exact remainder; so 2.675 half-even is
 * 2.68 and 1.005 half-up is 1.01, which binary floating point cannot
 * promise. MPFR is used only where a double is the goal (the nearest
 * double of an exact value, correctly rounded once, for spreadsheet
 * cells). This file is the only caller of mpz_/mpq_/mpfr_. */
#ifndef FX_DEC_H
#define FX_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

typedef enum {
    FX_ROUND_HALF_EVEN, /* ties to the even last digit (banker's) */
    FX_ROUND_HALF_UP,   /* ties away from zero */
    FX_ROUND_DOWN,      /* toward zero (truncate) */
} fx_rounding;

/* Most significant digits a parsed value may have; longer is rejected,
 * never rounded (a finance figure has far fewer). */
#define FX_DEC_MAX_DIGITS 100
/* A buffer this size holds any string fx_dec_to_str / fx_ratio_* write
 * for values that came from parsed inputs, rates and --places <= 18. */
#define FX_DEC_STR_MAX 512

/* value = coef * 10^exp, exact. */
typedef struct {
    mpz_t coef;
    long exp;
} fx_dec;

/* A small exact decimal: rates (at most 18 significant digits). */
typedef struct {
    int64_t coef;
    int32_t exp; /* value = coef * 10^exp */
} fx_small;

/* An exact rational. */
typedef struct {
    mpq_t q;
} fx_ratio;

typedef enum {
    FX_DEC_OK = 0,
    FX_DEC_SYNTAX,   /* not: optional '-', digits, optional '.' and digits */
    FX_DEC_TOO_LONG, /* more than FX_DEC_MAX_DIGITS (or 18 for fx_small) digits */
} fx_dec_err;

void fx_dec_init(fx_dec *d);
void fx_dec_clear(fx_dec *d);
void fx_dec_set(fx_dec *dst, const fx_dec *src);

/* Strict grammar of SPEC 2: -?[0-9]+(\.[0-9]+)? and nothing else (no '+',
 * exponent, separator, space, leading '.', trailing '.'). Leading zeros
 * are accepted ("007" is 7). "-0" is zero. Exact: no rounding ever. */
fx_dec_err fx_dec_parse(fx_dec *out, const char *s, size_t len);
/* The same grammar into an fx_small (rates); FX_DEC_TOO_LONG past 18 digits. */
fx_dec_err fx_small_parse(fx_small *out, const char *s, size_t len);

/* When s fails fx_dec_parse, writes a hint such as "write 1234.5" (for
 * "1,234.5"), "write 1200000" (for "12e5"), "write 0.5" (for ".5") into
 * buf; false if no rewrite can be suggested. */
bool fx_dec_hint(const char *s, size_t len, char *buf, size_t n);

/* Half a unit of the last printed digit: the printed precision h of SPEC 2
 * ("5.5" -> 0.05, "40" -> 0.5), as parsed (exp kept). */
void fx_dec_half_ulp(fx_dec *out, const fx_dec *printed);
/* d *= 10^k (k may be negative; exact). */
void fx_dec_shift(fx_dec *d, long k);
int fx_dec_sgn(const fx_dec *d);
int fx_dec_cmp(const fx_dec *a, const fx_dec *b);
void fx_dec_add(fx_dec *out, const fx_dec *a, const fx_dec *b);
void fx_dec_sub(fx_dec *out, const fx_dec *a, const fx_dec *b);
/* Exact plain decimal of coef*10^exp with max(0, -exp) places, never an
 * exponent: coef=550,exp=-2 is "5.50"; coef=4,exp=10 is "40000000000";
 * zero is "0" or "0.00", never "-0". Returns the length, or -1 if n is
 * too small. */
int fx_dec_to_str(const fx_dec *d, char *buf, size_t n);
/* Nearest double (correctly rounded once, via MPFR). */
double fx_dec_to_double(const fx_dec *d);
/* Number of significant digits of the coefficient (0 for zero). */
size_t fx_dec_digits(const fx_dec *d);
/* True when the nearest double, printed with 17 significant digits, does
 * not give back the exact value: the cell then also carries the text. */
bool fx_dec_exceeds_double(const fx_dec *d);

void fx_ratio_init(fx_ratio *r);
void fx_ratio_clear(fx_ratio *r);
void fx_ratio_set(fx_ratio *dst, const fx_ratio *src);
void fx_ratio_set_dec(fx_ratio *r, const fx_dec *d);
void fx_ratio_set_small(fx_ratio *r, fx_small s);
/* r = amount * num / den, exact (den must not be zero). */
void fx_ratio_set_convert(fx_ratio *r, const fx_dec *amount, fx_small num, fx_small den);
void fx_ratio_mul(fx_ratio *out, const fx_ratio *a, const fx_ratio *b);
void fx_ratio_div(fx_ratio *out, const fx_ratio *a, const fx_ratio *b); /* b != 0 */
void fx_ratio_add(fx_ratio *out, const fx_ratio *a, const fx_ratio *b);
void fx_ratio_sub(fx_ratio *out, const fx_ratio *a, const fx_ratio *b);
void fx_ratio_mul_si(fx_ratio *r, long k);
int fx_ratio_sgn(const fx_ratio *r);
int fx_ratio_cmp(const fx_ratio *a, const fx_ratio *b);
int fx_ratio_cmp_dec(const fx_ratio *a, const fx_dec *b);
/* The one rounding: out = r rounded to `places` decimal places (0..18)
 * with `mode`, decided exactly; out->exp == -places. */
void fx_ratio_round(fx_dec *out, const fx_ratio *r, int places, fx_rounding mode);
/* fx_ratio_round then fx_dec_to_str, always with exactly `places` places
 * ("0.00", never "-0.00"). Returns the length or -1. */
int fx_ratio_to_fixed(const fx_ratio *r, int places, fx_rounding mode, char *buf, size_t n);
/* `sig` significant digits, half-even, plain decimal (no exponent);
 * "0" for zero. Returns the length or -1. */
int fx_ratio_to_sig(const fx_ratio *r, int sig, char *buf, size_t n);
/* Nearest double (correctly rounded once, via MPFR). */
double fx_ratio_to_double(const fx_ratio *r);

#endif
