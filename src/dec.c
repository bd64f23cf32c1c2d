/* dec - exact decimals (mpz coefficient * 10^exp) and rationals (mpq);
 * the only file that calls mpz_/mpq_/mpfr_.
 *
 * Invariant: no value ever passes through binary floating point. Parsing
 * is digit by digit; arithmetic is exact GMP integer/rational arithmetic;
 * the single rounding to decimal places is an integer division whose
 * remainder r is compared exactly with half the divisor (2|r| vs q), so a
 * tie is seen as a tie; doubles come only out of MPFR, rounded once from
 * the exact value in the IEEE binary64 exponent range. See dec.h. */
#include "dec.h"

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

#include "mem.h"

/* ---- GMP memory: out of memory goes through mem.c (exit 70 after the
 * temporary output is removed) instead of GMP's abort(). Every GMP
 * allocator is malloc underneath, so blocks taken before the switch
 * are freed correctly after it. */

static void *gmp_alloc(size_t n)
{
    return fx_xmalloc(n);
}

static void *gmp_realloc(void *p, size_t old, size_t n)
{
    (void)old;
    return fx_xrealloc(p, n);
}

static void gmp_free(void *p, size_t n)
{
    (void)n;
    free(p);
}

static void gmp_setup(void)
{
    static bool done;
    if (!done) {
        mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
        done = true;
    }
}

/* ---- small helpers */

static void z_set_i64(mpz_t z, int64_t v)
{
#if LONG_MAX >= INT64_MAX
    mpz_set_si(z, (long)v);
#else
    uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;
    mpz_import(z, 1, 1, sizeof m, 0, 0, &m);
    if (v < 0)
        mpz_neg(z, z);
#endif
}

/* z *= 10^k, k >= 0 */
static void z_mul_pow10(mpz_t z, unsigned long k)
{
    if (k == 0 || mpz_sgn(z) == 0)
        return;
    mpz_t p;
    mpz_init(p);
    mpz_ui_pow_ui(p, 10, k);
    mpz_mul(z, z, p);
    mpz_clear(p);
}

/* Magnitude of a <= 0 long as unsigned, without overflow at LONG_MIN. */
static unsigned long neg_to_ul(long e)
{
    return (unsigned long)(-(e + 1)) + 1u;
}

/* Exact digits of |z| (no sign) in a buffer of GMP's size bound. */
static size_t z_abs_digits(const mpz_t z)
{
    if (mpz_sgn(z) == 0)
        return 1;
    size_t nd = mpz_sizeinbase(z, 10); /* exact or one too many */
    mpz_t p;
    mpz_init(p);
    mpz_ui_pow_ui(p, 10, nd - 1);
    if (mpz_cmpabs(z, p) < 0)
        nd--;
    mpz_clear(p);
    return nd;
}

/* q = c * 10^e, canonical. */
static void q_set_dec(mpq_t q, const mpz_t c, long e)
{
    mpz_set(mpq_numref(q), c);
    mpz_set_ui(mpq_denref(q), 1);
    if (e >= 0)
        z_mul_pow10(mpq_numref(q), (unsigned long)e);
    else
        z_mul_pow10(mpq_denref(q), neg_to_ul(e));
    mpq_canonicalize(q);
}

/* out = q * 10^places rounded to an integer with `mode`, once, exactly.
 * places may be negative (rounding to tens, hundreds, ...). With
 * q = n/d (d > 0): n * 10^places = t * d + r, t truncated toward zero,
 * r of n's sign and |r| < d; the dropped fraction |r|/d is compared with
 * 1/2 as 2|r| against d. */
static void round_q(mpz_t out, const mpq_t q, long places, fx_rounding mode)
{
    mpz_t n, d, r;
    mpz_inits(n, d, r, NULL);
    mpz_set(n, mpq_numref(q));
    mpz_set(d, mpq_denref(q));
    if (places >= 0)
        z_mul_pow10(n, (unsigned long)places);
    else
        z_mul_pow10(d, neg_to_ul(places));
    mpz_tdiv_qr(out, r, n, d);
    if (mpz_sgn(r) != 0) {
        mpz_mul_2exp(r, r, 1);
        int c = mpz_cmpabs(r, d); /* <0 below half, 0 a tie, >0 above */
        bool away = false;
        switch (mode) {
        case FX_ROUND_HALF_EVEN:
            away = c > 0 || (c == 0 && mpz_odd_p(out));
            break;
        case FX_ROUND_HALF_UP:
            away = c >= 0;
            break;
        case FX_ROUND_DOWN:
            away = false;
            break;
        }
        if (away) {
            if (mpz_sgn(n) > 0)
                mpz_add_ui(out, out, 1);
            else
                mpz_sub_ui(out, out, 1);
        }
    }
    mpz_clears(n, d, r, NULL);
}

/* Compares |q| with 10^e. */
static int q_cmpabs_pow10(const mpq_t q, long e)
{
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    mpz_abs(a, mpq_numref(q));
    mpz_set(b, mpq_denref(q));
    if (e >= 0)
        z_mul_pow10(b, (unsigned long)e);
    else
        z_mul_pow10(a, neg_to_ul(e));
    int c = mpz_cmp(a, b);
    mpz_clears(a, b, NULL);
    return c;
}

/* q != 0 rounded once, half-even, to sig >= 1 significant digits:
 * coef * 10^exp with exactly sig digits in coef. */
static void sig_round(mpz_t coef, long *exp, const mpq_t q, long sig)
{
    /* k with 10^(k-1) <= |q| < 10^k; the size estimate is off by <= 2 */
    long k = (long)mpz_sizeinbase(mpq_numref(q), 10) - (long)mpz_sizeinbase(mpq_denref(q), 10);
    while (q_cmpabs_pow10(q, k) >= 0)
        k++;
    while (q_cmpabs_pow10(q, k - 1) < 0)
        k--;
    long places = sig - k;
    round_q(coef, q, places, FX_ROUND_HALF_EVEN);
    mpz_t p;
    mpz_init(p);
    mpz_ui_pow_ui(p, 10, (unsigned long)sig);
    if (mpz_cmpabs(coef, p) == 0) { /* 9.99.. rounded up to 10.0..: one digit too many */
        mpz_divexact_ui(coef, coef, 10);
        places--;
    }
    mpz_clear(p);
    *exp = -places;
}

/* The nearest binary64 of q, rounded once. MPFR rounds q to 53 bits in its
 * own wide exponent range; check_range and subnormalize then apply the
 * binary64 range using the ternary value, so a subnormal result is not
 * rounded twice (the recipe of the MPFR manual, mpfr_subnormalize). */
static double q_to_double(mpq_srcptr q)
{
    mpfr_t x;
    mpfr_init2(x, 53);
    int t = mpfr_set_q(x, q, MPFR_RNDN);
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    mpfr_set_emin(-1073);
    mpfr_set_emax(1024);
    t = mpfr_check_range(x, t, MPFR_RNDN);
    mpfr_subnormalize(x, t, MPFR_RNDN);
    double v = mpfr_get_d(x, MPFR_RNDN); /* exact: x is a binary64 now */
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    mpfr_clear(x);
    return v;
}

/* ---- fx_dec */

void fx_dec_init(fx_dec *d)
{
    gmp_setup();
    mpz_init(d->coef);
    d->exp = 0;
}

void fx_dec_clear(fx_dec *d)
{
    mpz_clear(d->coef);
}

void fx_dec_set(fx_dec *dst, const fx_dec *src)
{
    mpz_set(dst->coef, src->coef);
    dst->exp = src->exp;
}

/* One pass over -?[0-9]+(\.[0-9]+)? without allocating. */
typedef struct {
    bool neg;
    const char *ip; /* integer digits after its leading zeros */
    size_t in;
    const char *fp; /* fraction digits */
    size_t fn;
} scan;

static fx_dec_err dec_scan(const char *s, size_t len, scan *sc)
{
    size_t i = 0;
    sc->neg = false;
    if (i < len && s[i] == '-') {
        sc->neg = true;
        i++;
    }
    size_t start = i;
    while (i < len && s[i] == '0')
        i++;
    sc->ip = s + i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == start)
        return FX_DEC_SYNTAX; /* no integer digit */
    sc->in = (size_t)(s + i - sc->ip);
    sc->fp = s + i;
    sc->fn = 0;
    if (i < len && s[i] == '.') {
        i++;
        sc->fp = s + i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        sc->fn = (size_t)(s + i - sc->fp);
        if (sc->fn == 0)
            return FX_DEC_SYNTAX; /* "5." */
    }
    if (i != len)
        return FX_DEC_SYNTAX;
    if (sc->in > FX_DEC_MAX_DIGITS || sc->fn > FX_DEC_MAX_DIGITS - sc->in)
        return FX_DEC_TOO_LONG;
    return FX_DEC_OK;
}

fx_dec_err fx_dec_parse(fx_dec *out, const char *s, size_t len)
{
    scan sc;
    fx_dec_err e = dec_scan(s, len, &sc);
    if (e != FX_DEC_OK)
        return e;
    char digits[FX_DEC_MAX_DIGITS + 1]; /* in + fn <= FX_DEC_MAX_DIGITS */
    memcpy(digits, sc.ip, sc.in);
    memcpy(digits + sc.in, sc.fp, sc.fn);
    digits[sc.in + sc.fn] = '\0';
    if (sc.in + sc.fn == 0)
        mpz_set_ui(out->coef, 0);
    else
        mpz_set_str(out->coef, digits, 10); /* only digits: cannot fail */
    if (sc.neg)
        mpz_neg(out->coef, out->coef);
    out->exp = -(long)sc.fn;
    return FX_DEC_OK;
}

fx_dec_err fx_small_parse(fx_small *out, const char *s, size_t len)
{
    scan sc;
    fx_dec_err e = dec_scan(s, len, &sc);
    if (e != FX_DEC_OK)
        return e;
    uint64_t c = 0;
    unsigned sig = 0; /* digits from the first nonzero one */
    for (size_t k = 0; k < sc.in + sc.fn; k++) {
        unsigned dg = (unsigned)((k < sc.in ? sc.ip[k] : sc.fp[k - sc.in]) - '0');
        if (sig == 0 && dg == 0)
            continue;
        if (++sig > FX_SMALL_MAX_DIGITS)
            return FX_DEC_TOO_LONG;
        c = c * 10 + dg; /* < 10^18 < INT64_MAX */
    }
    out->coef = sc.neg ? -(int64_t)c : (int64_t)c;
    out->exp = -(int32_t)sc.fn;
    return FX_DEC_OK;
}

/* ---- hints */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_blank(const char *s, size_t i, size_t len, size_t *w)
{
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
        *w = 1;
        return true;
    }
    if (i + 1 < len && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
        *w = 2; /* U+00A0 no-break space */
        return true;
    }
    return false;
}

/* Is there a blank ending at len, wholly after i? */
static bool is_blank_end(const char *s, size_t i, size_t len, size_t *w)
{
    if (len <= i)
        return false;
    char c = s[len - 1];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        *w = 1;
        return true;
    }
    if (len - i >= 2 && (unsigned char)s[len - 2] == 0xC2 && (unsigned char)s[len - 1] == 0xA0) {
        *w = 2;
        return true;
    }
    return false;
}

bool fx_dec_hint(const char *s, size_t len, char *buf, size_t n)
{
    fx_dec probe;
    fx_dec_init(&probe);
    bool parses = fx_dec_parse(&probe, s, len) == FX_DEC_OK;
    fx_dec_clear(&probe);
    if (parses)
        return false;

    size_t w, i = 0;
    while (i < len && is_blank(s, i, len, &w))
        i += w;
    while (is_blank_end(s, i, len, &w))
        len -= w;

    bool neg = false;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
    } else if (i + 2 < len && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x88 &&
               (unsigned char)s[i + 2] == 0x92) {
        neg = true; /* U+2212 minus sign */
        i += 3;
    }

    /* Digits go here without separators; beyond FX_DEC_MAX_DIGITS
     * significant ones no hint could parse anyway. */
    char digits[FX_DEC_MAX_DIGITS + 1];
    size_t nd = 0, nint = 0, nfrac = 0;
    bool commas = false;
    size_t group = 0; /* digits since the last ',' (or the start) */
    size_t ngroups = 0;
    for (; i < len && (is_digit(s[i]) || s[i] == ','); i++) {
        if (s[i] == ',') {
            if ((ngroups == 0 && (group < 1 || group > 3)) || (ngroups > 0 && group != 3))
                return false;
            commas = true;
            ngroups++;
            group = 0;
            continue;
        }
        group++;
        nint++;
        if (nd == 0 && s[i] == '0')
            continue; /* leading zeros need no room */
        if (nd == FX_DEC_MAX_DIGITS)
            return false;
        digits[nd++] = s[i];
    }
    if (commas && group != 3)
        return false; /* "1,5", "1,2345", "1," */
    if (i < len && s[i] == '.') {
        for (i++; i < len && is_digit(s[i]); i++) {
            nfrac++;
            if (nd == FX_DEC_MAX_DIGITS)
                return false;
            digits[nd++] = s[i];
        }
    }
    if (nint + nfrac == 0)
        return false; /* no digit: "", ".", "NaN", "-" */
    long e = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (s[i] == '-' || s[i] == '+')) {
            eneg = s[i] == '-';
            i++;
        }
        size_t start = i;
        for (; i < len && is_digit(s[i]); i++) {
            if (e > 100000)
                return false; /* far past any printable hint */
            e = e * 10 + (s[i] - '0');
        }
        if (i == start)
            return false;
        if (eneg)
            e = -e;
    }
    if (i != len)
        return false; /* "1.2.3", "0x10", "12%", ... */
    digits[nd] = '\0';

    fx_dec v;
    fx_dec_init(&v);
    if (nd > 0)
        mpz_set_str(v.coef, digits, 10);
    if (neg)
        mpz_neg(v.coef, v.coef);
    v.exp = e - (long)nfrac;
    char text[FX_DEC_STR_MAX];
    int tn = fx_dec_to_str(&v, text, sizeof text);
    fx_dec_clear(&v);
    if (tn < 0)
        return false;
    /* The suggestion must itself be acceptable (digit limit included). */
    fx_dec check;
    fx_dec_init(&check);
    bool ok = fx_dec_parse(&check, text, (size_t)tn) == FX_DEC_OK;
    fx_dec_clear(&check);
    static const char lead[] = "write ";
    if (!ok || n < sizeof lead + (size_t)tn)
        return false;
    memcpy(buf, lead, sizeof lead - 1);
    memcpy(buf + sizeof lead - 1, text, (size_t)tn + 1);
    return true;
}

/* ---- fx_dec arithmetic */

void fx_dec_half_ulp(fx_dec *out, const fx_dec *printed)
{
    long e = printed->exp;
    mpz_set_ui(out->coef, 5);
    out->exp = e - 1;
}

void fx_dec_shift(fx_dec *d, long k)
{
    d->exp += k;
}

int fx_dec_sgn(const fx_dec *d)
{
    return mpz_sgn(d->coef);
}

/* a, b scaled to the smaller exponent e. */
static long align(mpz_t a, mpz_t b, const fx_dec *x, const fx_dec *y)
{
    long e = x->exp < y->exp ? x->exp : y->exp;
    mpz_set(a, x->coef);
    mpz_set(b, y->coef);
    z_mul_pow10(a, (unsigned long)(x->exp - e));
    z_mul_pow10(b, (unsigned long)(y->exp - e));
    return e;
}

int fx_dec_cmp(const fx_dec *a, const fx_dec *b)
{
    int sa = mpz_sgn(a->coef), sb = mpz_sgn(b->coef);
    if (sa != sb || sa == 0)
        return (sa > sb) - (sa < sb);
    if (a->exp == b->exp)
    {
        int c = mpz_cmp(a->coef, b->coef);
        return (c > 0) - (c < 0);
    }
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    align(x, y, a, b);
    int c = mpz_cmp(x, y);
    mpz_clears(x, y, NULL);
    return (c > 0) - (c < 0);
}

void fx_dec_add(fx_dec *out, const fx_dec *a, const fx_dec *b)
{
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    long e = align(x, y, a, b);
    mpz_add(out->coef, x, y);
    out->exp = e;
    mpz_clears(x, y, NULL);
}

void fx_dec_sub(fx_dec *out, const fx_dec *a, const fx_dec *b)
{
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    long e = align(x, y, a, b);
    mpz_sub(out->coef, x, y);
    out->exp = e;
    mpz_clears(x, y, NULL);
}

int fx_dec_to_str(const fx_dec *d, char *buf, size_t n)
{
    if (n > 0)
        buf[0] = '\0';
    bool neg = mpz_sgn(d->coef) < 0, zero = mpz_sgn(d->coef) == 0;
    size_t nd = z_abs_digits(d->coef);
    /* Size first, so a huge exponent costs nothing. */
    size_t total;
    unsigned long places = d->exp < 0 ? neg_to_ul(d->exp) : 0;
    if (d->exp >= 0) {
        unsigned long zeros = zero ? 0 : (unsigned long)d->exp;
        if (zeros >= n)
            return -1;
        total = neg + nd + zeros;
    } else {
        if (places >= n)
            return -1;
        total = neg + (nd > places ? nd - places : 1) + 1 + places;
    }
    if (total >= n || total > INT_MAX)
        return -1;

    char small[64];
    size_t room = mpz_sizeinbase(d->coef, 10) + 2; /* what mpz_get_str asks for */
    char *dig = room <= sizeof small ? small : fx_xmalloc(room);
    mpz_get_str(dig, 10, d->coef); /* with '-' when negative */
    const char *g = dig + neg;
    char *p = buf;
    if (neg)
        *p++ = '-';
    if (d->exp >= 0) {
        memcpy(p, g, nd);
        p += nd;
        if (!zero) {
            memset(p, '0', (size_t)d->exp);
            p += d->exp;
        }
    } else if (nd > places) {
        memcpy(p, g, nd - places);
        p += nd - places;
        *p++ = '.';
        memcpy(p, g + nd - places, places);
        p += places;
    } else {
        *p++ = '0';
        *p++ = '.';
        memset(p, '0', places - nd);
        p += places - nd;
        memcpy(p, g, nd);
        p += nd;
    }
    *p = '\0';
    if (dig != small)
        free(dig);
    return (int)total;
}

/* Powers of ten a double holds exactly (10^22 < 2^53 * 2^22). */
static const double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

double fx_dec_to_double(const fx_dec *d)
{
    /* Clinger's fast path: a coefficient below 2^53 and a power of ten of
     * at most 22 are both exact doubles, so one IEEE multiply or divide is
     * the single, correct rounding. Everything else goes through MPFR. */
    if (mpz_sizeinbase(d->coef, 2) <= 53 && d->exp >= -22 && d->exp <= 22) {
        double c = (double)mpz_get_si(d->coef);
        return d->exp >= 0 ? c * exact_pow10[d->exp] : c / exact_pow10[-d->exp];
    }
    mpq_t q;
    mpq_init(q);
    q_set_dec(q, d->coef, d->exp);
    double v = q_to_double(q);
    mpq_clear(q);
    return v;
}

size_t fx_dec_digits(const fx_dec *d)
{
    return mpz_sgn(d->coef) == 0 ? 0 : z_abs_digits(d->coef);
}

bool fx_dec_exceeds_double(const fx_dec *d)
{
    if (mpz_sgn(d->coef) == 0)
        return false;
    /* At most 15 significant digits (|coef| < 2^49 < 10^15) well inside the
     * normal range always round-trip through a double (DBL_DIG). */
    if (mpz_sizeinbase(d->coef, 2) <= 49 && d->exp >= -280 && d->exp <= 280)
        return false;
    /* v = c * 10^e with the trailing zeros of the coefficient removed */
    mpz_t c, ten, back;
    mpz_inits(c, ten, back, NULL);
    mpz_set_ui(ten, 10);
    long e = d->exp + (long)mpz_remove(c, d->coef, ten);
    size_t sig = z_abs_digits(c);
    bool exceeds = true;
    if (sig <= 15) {
        double x = fx_dec_to_double(d);
        if (isfinite(x)) {
            /* the double, exactly, rounded to sig digits: v again? */
            mpq_t q;
            mpq_init(q);
            mpq_set_d(q, x); /* exact */
            long be = 0;
            if (mpq_sgn(q) != 0) {
                sig_round(back, &be, q, (long)sig);
                exceeds = !(be == e && mpz_cmp(back, c) == 0);
            }
            mpq_clear(q);
        }
    }
    mpz_clears(c, ten, back, NULL);
    return exceeds;
}

/* ---- fx_ratio */

void fx_ratio_init(fx_ratio *r)
{
    gmp_setup();
    mpq_init(r->q);
}

void fx_ratio_clear(fx_ratio *r)
{
    mpq_clear(r->q);
}

void fx_ratio_set(fx_ratio *dst, const fx_ratio *src)
{
    mpq_set(dst->q, src->q);
}

void fx_ratio_set_dec(fx_ratio *r, const fx_dec *d)
{
    q_set_dec(r->q, d->coef, d->exp);
}

void fx_ratio_set_small(fx_ratio *r, fx_small s)
{
    mpz_t c;
    mpz_init(c);
    z_set_i64(c, s.coef);
    q_set_dec(r->q, c, s.exp);
    mpz_clear(c);
}

void fx_ratio_set_convert(fx_ratio *r, const fx_dec *amount, fx_small num, fx_small den)
{
    /* amount.coef * num.coef * 10^(amount.exp + num.exp - den.exp) / den.coef */
    mpz_ptr top = mpq_numref(r->q), bot = mpq_denref(r->q);
    z_set_i64(bot, num.coef);
    mpz_mul(top, amount->coef, bot);
    z_set_i64(bot, den.coef);
    long e = amount->exp + (long)num.exp - (long)den.exp;
    if (e >= 0)
        z_mul_pow10(top, (unsigned long)e);
    else
        z_mul_pow10(bot, neg_to_ul(e));
    mpq_canonicalize(r->q); /* den.coef != 0; makes the denominator positive */
}

void fx_ratio_mul(fx_ratio *out, const fx_ratio *a, const fx_ratio *b)
{
    mpq_mul(out->q, a->q, b->q);
}

void fx_ratio_div(fx_ratio *out, const fx_ratio *a, const fx_ratio *b)
{
    mpq_div(out->q, a->q, b->q);
}

void fx_ratio_add(fx_ratio *out, const fx_ratio *a, const fx_ratio *b)
{
    mpq_add(out->q, a->q, b->q);
}

void fx_ratio_sub(fx_ratio *out, const fx_ratio *a, const fx_ratio *b)
{
    mpq_sub(out->q, a->q, b->q);
}

void fx_ratio_mul_si(fx_ratio *r, long k)
{
    mpz_mul_si(mpq_numref(r->q), mpq_numref(r->q), k);
    mpq_canonicalize(r->q);
}

int fx_ratio_sgn(const fx_ratio *r)
{
    return mpq_sgn(r->q);
}

int fx_ratio_cmp(const fx_ratio *a, const fx_ratio *b)
{
    int c = mpq_cmp(a->q, b->q);
    return (c > 0) - (c < 0);
}

int fx_ratio_cmp_dec(const fx_ratio *a, const fx_dec *b)
{
    mpq_t q;
    mpq_init(q);
    q_set_dec(q, b->coef, b->exp);
    int c = mpq_cmp(a->q, q);
    mpq_clear(q);
    return (c > 0) - (c < 0);
}

void fx_ratio_round(fx_dec *out, const fx_ratio *r, int places, fx_rounding mode)
{
    round_q(out->coef, r->q, places, mode);
    out->exp = -(long)places;
}

int fx_ratio_to_fixed(const fx_ratio *r, int places, fx_rounding mode, char *buf, size_t n)
{
    if (places > 0 && (size_t)places >= n) { /* cannot fit: skip 10^places */
        if (n > 0)
            buf[0] = '\0';
        return -1;
    }
    fx_dec d;
    fx_dec_init(&d);
    fx_ratio_round(&d, r, places, mode);
    int len = fx_dec_to_str(&d, buf, n);
    fx_dec_clear(&d);
    return len;
}

void fx_ratio_set_quot(fx_ratio *r, fx_small num, fx_small den)
{
    fx_ratio d;
    fx_ratio_init(&d);
    fx_ratio_set_small(r, num);
    fx_ratio_set_small(&d, den);
    fx_ratio_div(r, r, &d);
    fx_ratio_clear(&d);
}

int fx_ratio_to_exact(const fx_ratio *r, char *buf, size_t n)
{
    if (n > 0)
        buf[0] = '\0';
    /* den = 2^a 5^b exactly when removing 2s and 5s leaves 1; then
     * max(a, b) places hold the value with no rounding at all. */
    mpz_t rest, two, five;
    mpz_inits(rest, two, five, NULL);
    mpz_set_ui(two, 2);
    mpz_set_ui(five, 5);
    mpz_set(rest, mpq_denref(r->q));
    mp_bitcnt_t a = mpz_remove(rest, rest, two);
    mp_bitcnt_t b = mpz_remove(rest, rest, five);
    bool finite = mpz_cmp_ui(rest, 1) == 0;
    mpz_clears(rest, two, five, NULL);
    if (!finite || (a > b ? a : b) >= n)
        return -1;
    long places = (long)(a > b ? a : b);
    fx_dec d;
    fx_dec_init(&d);
    round_q(d.coef, r->q, (int)places, FX_ROUND_DOWN); /* exact: nothing to round */
    d.exp = -places;
    int len = fx_dec_to_str(&d, buf, n);
    fx_dec_clear(&d);
    return len;
}

int fx_ratio_to_sig(const fx_ratio *r, int sig, char *buf, size_t n)
{
    if (n > 0)
        buf[0] = '\0';
    if (sig < 1)
        return -1;
    bool zero = mpq_sgn(r->q) == 0;
    if (!zero && (size_t)sig >= n) /* sig digits cannot fit: skip 10^sig */
        return -1;
    fx_dec d;
    fx_dec_init(&d);
    if (!zero)
        sig_round(d.coef, &d.exp, r->q, sig);
    int len = fx_dec_to_str(&d, buf, n);
    fx_dec_clear(&d);
    return len;
}

double fx_ratio_to_double(const fx_ratio *r)
{
    /* Numerator and denominator below 2^53 are exact doubles: one IEEE
     * division is the single, correct rounding. */
    if (mpz_sizeinbase(mpq_numref(r->q), 2) <= 53 && mpz_sizeinbase(mpq_denref(r->q), 2) <= 53)
        return (double)mpz_get_si(mpq_numref(r->q)) / (double)mpz_get_si(mpq_denref(r->q));
    return q_to_double(r->q);
}

/* ---- packed rationals ---- */

void fx_packed_init(fx_packed *p)
{
    *p = (fx_packed){0, 1, NULL};
}

void fx_packed_clear(fx_packed *p)
{
    if (p->big) {
        fx_ratio_clear(p->big);
        free(p->big);
    }
    fx_packed_init(p);
}

void fx_packed_set(fx_packed *p, const fx_ratio *r)
{
    if (mpz_fits_slong_p(mpq_numref(r->q)) && mpz_fits_ulong_p(mpq_denref(r->q))) {
        fx_packed_clear(p);
        p->num = mpz_get_si(mpq_numref(r->q));
        p->den = mpz_get_ui(mpq_denref(r->q));
        return;
    }
    if (!p->big) {
        p->big = fx_xmalloc(sizeof *p->big);
        fx_ratio_init(p->big);
    }
    fx_ratio_set(p->big, r);
}

void fx_packed_get(fx_ratio *r, const fx_packed *p)
{
    if (p->big)
        fx_ratio_set(r, p->big);
    else
        mpq_set_si(r->q, p->num, p->den); /* canonical: it came from an mpq */
}

int fx_packed_cmp(const fx_ratio *a, const fx_packed *p)
{
    int c = p->big ? mpq_cmp(a->q, p->big->q) : mpq_cmp_si(a->q, p->num, p->den);
    return (c > 0) - (c < 0);
}

bool fx_ratio_write(FILE *f, const fx_ratio *r)
{
    return mpz_out_raw(f, mpq_numref(r->q)) != 0 && mpz_out_raw(f, mpq_denref(r->q)) != 0;
}

bool fx_ratio_read(FILE *f, fx_ratio *r)
{
    if (mpz_inp_raw(mpq_numref(r->q), f) == 0 || mpz_inp_raw(mpq_denref(r->q), f) == 0 ||
        mpz_sgn(mpq_denref(r->q)) <= 0) {
        mpq_set_ui(r->q, 0, 1); /* keep it a valid rational */
        return false;
    }
    return true;
}

double fx_small_approx(fx_small s)
{
    double v = (double)s.coef;
    for (int32_t e = s.exp; e > 0; e--)
        v *= 10;
    for (int32_t e = s.exp; e < 0; e++)
        v /= 10;
    return v;
}

int fx_approx_in(double v, double lo, double hi)
{
    if (!isfinite(v) || !isfinite(lo) || !isfinite(hi))
        return 0;
    double margin = 1e-9 * (fabs(v) + fabs(lo) + fabs(hi));
    if (v < lo - margin || v > hi + margin)
        return -1;
    if (v > lo + margin && v < hi - margin)
        return 1;
    return 0;
}

/* ---- fx_small (rates) ---- */

/* Value with trailing zeros of the coefficient removed ("1.10" -> 1.1). */
static fx_small small_norm(fx_small v)
{
    while (v.coef != 0 && v.coef % 10 == 0 && v.exp < INT32_MAX) {
        v.coef /= 10;
        v.exp++;
    }
    return v;
}

bool fx_small_eq(fx_small a, fx_small b)
{
    a = small_norm(a);
    b = small_norm(b);
    return a.coef == b.coef && (a.coef == 0 || a.exp == b.exp);
}

/* a * b exactly when the coefficient keeps to 18 digits. */
bool fx_small_mul(fx_small a, fx_small b, fx_small *out)
{
    a = small_norm(a);
    b = small_norm(b);
    int64_t c;
    if (__builtin_mul_overflow(a.coef, b.coef, &c) || c > 999999999999999999LL ||
        c < -999999999999999999LL)
        return false;
    long e = (long)a.exp + (long)b.exp;
    if (e > INT32_MAX || e < INT32_MIN)
        return false;
    *out = (fx_small){c, (int32_t)e};
    return true;
}

/* a * b == 1, exactly (rationals; never floating point). */
bool fx_small_is_inverse(fx_small a, fx_small b)
{
    fx_ratio ra, rb, one;
    fx_ratio_init(&ra);
    fx_ratio_init(&rb);
    fx_ratio_init(&one);
    fx_ratio_set_small(&ra, a);
    fx_ratio_set_small(&rb, b);
    fx_ratio_set_small(&one, (fx_small){1, 0});
    fx_ratio_mul(&ra, &ra, &rb);
    bool r = fx_ratio_cmp(&ra, &one) == 0;
    fx_ratio_clear(&ra);
    fx_ratio_clear(&rb);
    fx_ratio_clear(&one);
    return r;
}

/* Plain decimal text of v, for messages (locale-free). */
const char *fx_small_str(fx_small v, char buf[160])
{
    char digits[24] = {0}; /* the analyzer cannot see the do-while fill it */
    int nd = 0;
    uint64_t c = v.coef < 0 ? (uint64_t)0 - (uint64_t)v.coef : (uint64_t)v.coef;
    do {
        digits[nd++] = (char)('0' + c % 10);
        c /= 10;
    } while (c);
    size_t o = 0;
    if (v.coef < 0)
        buf[o++] = '-';
    long exp = v.exp;
    if (exp > 100 || exp < -100) { /* not from a parsed input: say so plainly */
        snprintf(buf, 160, "%lldE%ld", (long long)v.coef, exp);
        return buf;
    }
    if (exp >= 0) {
        while (nd)
            buf[o++] = digits[--nd];
        for (long i = 0; i < exp; i++)
            buf[o++] = '0';
    } else {
        long frac = -exp;
        if (nd <= frac) {
            buf[o++] = '0';
            buf[o++] = '.';
            for (long i = nd; i < frac; i++)
                buf[o++] = '0';
            while (nd)
                buf[o++] = digits[--nd];
        } else {
            while (nd > frac)
                buf[o++] = digits[--nd];
            buf[o++] = '.';
            while (nd)
                buf[o++] = digits[--nd];
        }
    }
    buf[o] = '\0';
    return buf;
}
