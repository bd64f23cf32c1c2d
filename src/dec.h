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
 * cells). This file is the only caller of mpz_/mpq_/mpfr_.
 *
 * How exactness is kept:
 * - Parsing reads the digits into the coefficient and counts the
 *   fraction digits into the exponent: "2.675" is 2675 * 10^-3, with no
 *   intermediate value that could round. Nothing reads LC_NUMERIC.
 * - Sums, products and quotients are GMP integers and canonical GMP
 *   rationals: every operation is exact, so there is nothing to round
 *   until the caller asks for digits.
 * - The one rounding of p/q (q > 0) to P places is integer division:
 *   p * 10^P = t * q + r with t truncated toward zero and |r| < q. The
 *   discarded part is r/q, so comparing 2|r| with q (integers, exact)
 *   tells below half, exactly half, above half; the mode then decides
 *   whether t moves one unit away from zero. No float, no second rounding.
 * - A double is produced by MPFR from the exact integer or rational at 53
 *   bits with round-to-nearest-even, in the exponent range of IEEE
 *   binary64 (subnormals included), so mpfr_get_d only copies it: one
 *   rounding, the nearest double. */
#ifndef FX_DEC_H
#define FX_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <gmp.h>

typedef enum {
    FX_ROUND_HALF_EVEN, /* ties to the even last digit (banker's) */
    FX_ROUND_HALF_UP,   /* ties away from zero */
    FX_ROUND_DOWN,      /* toward zero (truncate) */
} fx_rounding;

/* Most digits a parsed value may have; longer is rejected, never rounded
 * (a finance figure has far fewer). The digits counted are all digits
 * written except the leading zeros of the integer part (every zero before
 * its first nonzero digit, so an integer part "0" counts nothing); every
 * fraction digit counts, zeros included, since they are printed precision
 * and fix the exponent. "007" counts 1, "0.05" counts 2, "1.50" counts 3,
 * "-0" and "000" count 0. So a parsed value has at most 100 coefficient
 * digits and an exponent of at least -100, and prints within
 * FX_DEC_STR_MAX. */
#define FX_DEC_MAX_DIGITS 100
/* Most significant digits of an fx_small's coefficient. */
#define FX_SMALL_MAX_DIGITS 18
/* A buffer this size holds any string fx_dec_to_str / fx_ratio_* write
 * for values that came from parsed inputs, rates and --places <= 18. */
#define FX_DEC_STR_MAX 512

/* value = coef * 10^exp, exact. The exponent is kept as written ("5.50"
 * is 550 * 10^-2): it carries the printed precision. */
typedef struct {
    mpz_t coef;
    long exp;
} fx_dec;

/* A small exact decimal: rates (at most 18 significant digits). Packed to
 * its 12 bytes (no 4 bytes of tail padding): a rate table holds one per
 * rate (rates.h's fx_rate). */
typedef struct __attribute__((packed, aligned(4))) {
    int64_t coef;
    int32_t exp; /* value = coef * 10^exp */
} fx_small;

/* An exact rational, always in canonical form (lowest terms, den > 0). */
typedef struct {
    mpq_t q;
} fx_ratio;

typedef enum {
    FX_DEC_OK = 0,
    FX_DEC_SYNTAX,   /* not: optional '-', digits, optional '.' and digits */
    FX_DEC_TOO_LONG, /* more than FX_DEC_MAX_DIGITS (or 18 for fx_small) digits */
} fx_dec_err;

/* An fx_dec or fx_ratio is fx_*_init'ed before any other use and
 * fx_*_clear'ed once after the last; clear frees its GMP storage. Outputs
 * may alias inputs. Out of memory ends the process through mem.c. */
void fx_dec_init(fx_dec *d); /* 0 * 10^0 */
void fx_dec_clear(fx_dec *d);
void fx_dec_set(fx_dec *dst, const fx_dec *src);

/* Strict grammar of SPEC 2: -?[0-9]+(\.[0-9]+)? and nothing else (no '+',
 * exponent, separator, space, leading '.', trailing '.'); s need not be
 * NUL-terminated, and a NUL inside is a syntax error. Leading zeros are
 * accepted ("007" is 7). "-0" is zero. Exact: no rounding ever; exp is
 * minus the number of fraction digits. A syntax error anywhere wins over
 * FX_DEC_TOO_LONG (see FX_DEC_MAX_DIGITS for what counts). On failure
 * *out is untouched. */
fx_dec_err fx_dec_parse(fx_dec *out, const char *s, size_t len);
/* The same grammar into an fx_small (rates), without GMP: FX_DEC_TOO_LONG
 * when fx_dec_parse would say so, or when the coefficient (the digits
 * from the first nonzero one on, trailing zeros kept as written) has more
 * than 18 digits. So whatever it accepts, fx_dec_parse accepts with the
 * same coefficient and exponent. On failure *out is untouched. */
fx_dec_err fx_small_parse(fx_small *out, const char *s, size_t len);
/* a == b as values ("1.10" == "1.1"). */
bool fx_small_eq(fx_small a, fx_small b);
/* a * b exactly when the coefficient keeps to 18 digits; else false. */
bool fx_small_mul(fx_small a, fx_small b, fx_small *out);
/* a * b == 1, exactly (rationals; never floating point). */
bool fx_small_is_inverse(fx_small a, fx_small b);
/* Plain decimal text of v, for messages (locale-free); returns buf. */
const char *fx_small_str(fx_small v, char buf[160]);

/* When s fails fx_dec_parse, writes a NUL-terminated hint "write X" into
 * buf (n bytes), X being a value that does parse and that s most likely
 * meant: "1,234.5" -> "write 1234.5" (',' only between groups of three
 * digits), "12e5" -> "write 1200000", "1.5E-3" -> "write 0.0015",
 * ".5" -> "write 0.5", "5." -> "write 5", "+12" -> "write 12",
 * " 12 " -> "write 12" (spaces and tabs around), U+2212 minus -> '-'.
 * Returns false, leaving buf unspecified, when s parses already, when no
 * rewrite is certain ("1.2.3", "1,5", "NaN", "Infinity", "0x10", "$5"),
 * or when the hint does not fit in buf. */
bool fx_dec_hint(const char *s, size_t len, char *buf, size_t n);

/* Half a unit of the last printed digit: the printed precision h of SPEC 2
 * ("5.5" -> 0.05, "40" -> 0.5, "230000" -> 0.5), as parsed (exp kept);
 * always positive: out = 5 * 10^(printed->exp - 1). */
void fx_dec_half_ulp(fx_dec *out, const fx_dec *printed);
/* d *= 10^k (k may be negative; exact: only the exponent moves). */
void fx_dec_shift(fx_dec *d, long k);
int fx_dec_sgn(const fx_dec *d);
/* Compares values: "1.50" equals "1.5". */
int fx_dec_cmp(const fx_dec *a, const fx_dec *b);
/* Exact; out->exp is the smaller of the two exponents. */
void fx_dec_add(fx_dec *out, const fx_dec *a, const fx_dec *b);
void fx_dec_sub(fx_dec *out, const fx_dec *a, const fx_dec *b);
/* Exact plain decimal of coef*10^exp with max(0, -exp) places, never an
 * exponent: coef=550,exp=-2 is "5.50"; coef=4,exp=10 is "40000000000";
 * zero is "0" or "0.00", never "-0". Writes a NUL; returns the length
 * (without the NUL), or -1 if n is too small (buf then holds "" if n > 0). */
int fx_dec_to_str(const fx_dec *d, char *buf, size_t n);
/* Nearest double (correctly rounded once, via MPFR; ties to even;
 * +-HUGE_VAL beyond the double range). */
double fx_dec_to_double(const fx_dec *d);
/* Number of significant digits of the coefficient (0 for zero); trailing
 * zeros count as written: "1.50" has 3. */
size_t fx_dec_digits(const fx_dec *d);
/* True when the nearest double cannot stand for the exact value, so a
 * spreadsheet cell should also carry the text: the value, trailing zeros
 * dropped, has more than 15 significant digits (DBL_DIG: past it, and at
 * 16-17 digits not always, a double gives back a different decimal), or
 * the double printed with the value's own number of significant digits is
 * not exactly the value (out of range, subnormal). Zero is false. */
bool fx_dec_exceeds_double(const fx_dec *d);

/* An fx_small as a double, a few ulps off at most (coef scaled by its
 * power of ten one step at a time): for quick tests that leave every case
 * near an edge to exact arithmetic (fx_approx_in). */
double fx_small_approx(fx_small s);
/* v against [lo, hi] in doubles known to about 1e-14 relative: 1 surely
 * inside, -1 surely outside (a margin of 1e-9 relative), 0 too near a
 * bound (or not finite) to tell: decide it exactly. */
int fx_approx_in(double v, double lo, double hi);

void fx_ratio_init(fx_ratio *r); /* 0 */
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
/* The one rounding: out = r rounded to `places` decimal places (0..18,
 * larger works but may not fit FX_DEC_STR_MAX) with `mode`, decided on
 * the exact remainder; out->exp == -places. -0.001 to 2 places is 0. */
void fx_ratio_round(fx_dec *out, const fx_ratio *r, int places, fx_rounding mode);
/* fx_ratio_round then fx_dec_to_str, always with exactly `places` places
 * ("0.00", never "-0.00"). Returns the length or -1. */
int fx_ratio_to_fixed(const fx_ratio *r, int places, fx_rounding mode, char *buf, size_t n);
/* Exactly `sig` (>= 1) significant digits, rounded once half-even, plain
 * decimal (no exponent), trailing zeros kept: 1.0443/7.5892 at 12 is
 * "0.137603436462", 1/2 at 3 is "0.500", 123456 at 2 is "120000",
 * 0.99996 at 4 is "1.000"; "0" for zero. Returns the length or -1 (also
 * for sig < 1). */
int fx_ratio_to_sig(const fx_ratio *r, int sig, char *buf, size_t n);
/* Nearest double (correctly rounded once, via MPFR; ties to even). */
double fx_ratio_to_double(const fx_ratio *r);
/* r = num / den, exact (den must not be zero). */
void fx_ratio_set_quot(fx_ratio *r, fx_small num, fx_small den);
/* The exact decimal of a rational whose denominator divides a power of ten
 * (a sum, min or max of parsed decimals), with no trailing zeros; -1 if r
 * has no finite decimal or n is too small. */
int fx_ratio_to_exact(const fx_ratio *r, char *buf, size_t n);

/* An exact rational kept compactly, for aggregates that live through a
 * run (a claim's min, max and common interval): inline when numerator
 * and denominator fit a long and an unsigned long, as they nearly always
 * do, else a heap copy. Init before use, clear after. */
typedef struct {
    long num;          /* inline value num / den, when big is NULL */
    unsigned long den;
    fx_ratio *big;
} fx_packed;

void fx_packed_init(fx_packed *p); /* 0 */
void fx_packed_clear(fx_packed *p);
void fx_packed_set(fx_packed *p, const fx_ratio *r);
void fx_packed_get(fx_ratio *r, const fx_packed *p);
/* Exact comparison of a with p, no allocation: <0, 0, >0. */
int fx_packed_cmp(const fx_ratio *a, const fx_packed *p);

/* r in a binary form only this build reads back (GMP's raw format), for
 * temporary files; false on a write error / a short or bad read. */
bool fx_ratio_write(FILE *f, const fx_ratio *r);
bool fx_ratio_read(FILE *f, fx_ratio *r);

#endif
