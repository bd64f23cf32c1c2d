/* fuzz_dec - the decimal parser and the one rounding, against oracles
 * written here from dec.h's words (not from dec.c).
 *
 * Input: a control byte, then up to three lines "AMOUNT\nNUM\nDEN". Each
 * line goes through fx_dec_parse, fx_small_parse and fx_dec_hint; when
 * all three parse (DEN not zero), r = AMOUNT * NUM / DEN is rounded to
 * 0, 1, 2 and (control % 25) places in every mode and printed to
 * significant digits. Invariants:
 * - parse: the grammar -?[0-9]+(\.[0-9]+)? and the digit count of
 *   FX_DEC_MAX_DIGITS, checked by a scanner of our own; exp is minus the
 *   fraction digits; fx_dec_to_str prints the canonical text (no leading
 *   zeros, no "-0"), which parses back to the same coefficient and exp;
 *   a failed parse leaves *out untouched; fx_small_parse agrees with
 *   fx_dec_parse (same value and exp) except TOO_LONG past 18 digits;
 * - hint: none for a parsing string; a hint parses; it fits exactly;
 * - doubles: fx_dec_to_double equals glibc's correctly rounded strtod of
 *   the same text, and fx_ratio_to_double of the same value; and
 *   fx_dec_exceeds_double matches its definition, via printf("%.*e");
 * - arithmetic: fx_ratio_set_convert equals amount * num / den built
 *   from fx_ratio operations; fx_dec_cmp/add/sub agree with fx_ratio;
 * - rounding to P places: exp == -P; DOWN has |DOWN| <= |r| and
 *   |r - DOWN| < 10^-P with r's sign; HALF_UP and HALF_EVEN are DOWN or
 *   DOWN + sign(r) 10^-P, within half a unit of r; they differ only on an
 *   exact tie, where HALF_UP is away from zero and HALF_EVEN even;
 *   fx_ratio_to_fixed prints that value with exactly P places;
 * - significant digits: exactly `sig` digits, within half a unit of the
 *   last, ties to even. */
#include <math.h>

#include "dec.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* ---- our own reading of the grammar */

typedef struct {
    bool ok;      /* syntax */
    bool neg;
    size_t lead;  /* index of the first integer digit after leading zeros */
    size_t ni;    /* integer digits after the leading zeros */
    size_t nf;    /* fraction digits */
    size_t point; /* index of '.', or len */
    size_t sig;   /* digits from the first nonzero one (fx_small's count) */
} oracle;

static oracle scan(const char *s, size_t len)
{
    oracle o = {0};
    size_t i = 0;
    if (i < len && s[i] == '-')
        o.neg = true, i++;
    size_t start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == start)
        return o;
    size_t z = start;
    while (z < i && s[z] == '0')
        z++;
    o.lead = z;
    o.ni = i - z;
    o.point = i;
    if (i < len && s[i] == '.') {
        size_t f = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        o.nf = i - f;
        if (o.nf == 0)
            return o;
    }
    if (i != len)
        return o;
    o.ok = true;
    /* digits from the first nonzero digit anywhere */
    size_t total = o.ni + o.nf, k = 0;
    for (; k < total; k++) {
        char c = k < o.ni ? s[o.lead + k] : s[o.point + 1 + (k - o.ni)];
        if (c != '0')
            break;
    }
    o.sig = total - k;
    return o;
}

/* The canonical text of a parsed string: integer part without leading
 * zeros ("0" if none), fraction as written, '-' only for a nonzero value. */
static size_t canonical(const char *s, const oracle *o, char *out)
{
    size_t n = 0;
    if (o->neg && o->sig > 0)
        out[n++] = '-';
    if (o->ni == 0)
        out[n++] = '0';
    else {
        memcpy(out + n, s + o->lead, o->ni);
        n += o->ni;
    }
    if (o->nf) {
        memcpy(out + n, s + o->point, o->nf + 1);
        n += o->nf + 1;
    }
    out[n] = '\0';
    return n;
}

/* ---- helpers on the public API */

static void dec_of(fx_dec *d, const char *s)
{
    FZ_CHECK(fx_dec_parse(d, s, strlen(s)) == FX_DEC_OK, "cannot parse \"%s\"", s);
}

/* 10^-places and half of it */
static void unit_of(fx_dec *u, fx_dec *half, int places)
{
    dec_of(u, "1");
    fx_dec_shift(u, -places);
    dec_of(half, "5");
    fx_dec_shift(half, -places - 1);
}

/* out = |r - v| */
static void absdiff(fx_ratio *out, const fx_ratio *r, const fx_dec *v)
{
    fx_ratio rv;
    fx_ratio_init(&rv);
    fx_ratio_set_dec(&rv, v);
    fx_ratio_sub(out, r, &rv);
    if (fx_ratio_sgn(out) < 0)
        fx_ratio_mul_si(out, -1);
    fx_ratio_clear(&rv);
}

static const char *str(const fx_dec *d, char *buf)
{
    FZ_CHECK(fx_dec_to_str(d, buf, FX_DEC_STR_MAX) >= 0, "a value does not print in %d bytes",
             FX_DEC_STR_MAX);
    return buf;
}

/* ---- one string */

static void check_string(const char *s, size_t len)
{
    oracle o = scan(s, len);
    fx_dec_err want = !o.ok ? FX_DEC_SYNTAX
                      : o.ni + o.nf > FX_DEC_MAX_DIGITS ? FX_DEC_TOO_LONG
                                                        : FX_DEC_OK;
    fx_dec x;
    fx_dec_init(&x);
    dec_of(&x, "-12.345"); /* a sentinel: failure leaves it */
    fx_dec_err e = fx_dec_parse(&x, s, len);
    FZ_CHECK(e == want, "fx_dec_parse(\"%.*s\") = %d, expected %d", (int)len, s, (int)e,
             (int)want);
    char buf[FX_DEC_STR_MAX], can[FX_DEC_STR_MAX];
    if (e != FX_DEC_OK) {
        FZ_CHECK(strcmp(str(&x, buf), "-12.345") == 0 && x.exp == -3,
                 "a failed parse changed *out to %s", buf);
    } else {
        FZ_CHECK(x.exp == -(long)o.nf, "exp %ld for %zu fraction digits", x.exp, o.nf);
        FZ_CHECK(fx_dec_sgn(&x) == (o.sig == 0 ? 0 : o.neg ? -1 : 1), "sign of \"%.*s\"",
                 (int)len, s);
        int n = fx_dec_to_str(&x, buf, sizeof buf);
        size_t cn = canonical(s, &o, can);
        FZ_CHECK(n >= 0 && (size_t)n == cn && strcmp(buf, can) == 0,
                 "\"%.*s\" prints as \"%s\", expected \"%s\"", (int)len, s, buf, can);
        /* exactly n + 1 bytes are enough, n are not */
        char *tight = malloc((size_t)n + 1);
        FZ_CHECK(tight && fx_dec_to_str(&x, tight, (size_t)n + 1) == n && strcmp(tight, buf) == 0,
                 "to_str into %d bytes", n + 1);
        FZ_CHECK(fx_dec_to_str(&x, tight, (size_t)n) == -1 && (n == 0 || tight[0] == '\0'),
                 "to_str into %d bytes did not fail cleanly", n);
        free(tight);
        fx_dec y;
        fx_dec_init(&y);
        FZ_CHECK(fx_dec_parse(&y, buf, (size_t)n) == FX_DEC_OK && fx_dec_cmp(&x, &y) == 0 &&
                     x.exp == y.exp,
                 "\"%s\" does not parse back to itself", buf);
        FZ_CHECK(fx_dec_digits(&x) == o.sig, "fx_dec_digits %zu, expected %zu",
                 fx_dec_digits(&x), o.sig);

        /* doubles: glibc's strtod is correctly rounded too */
        double want_d = strtod(buf, NULL);
        double got = fx_dec_to_double(&x);
        FZ_CHECK(got == want_d || (isnan(got) && isnan(want_d)),
                 "fx_dec_to_double(%s) = %.17g, strtod %.17g", buf, got, want_d);
        fx_ratio q;
        fx_ratio_init(&q);
        fx_ratio_set_dec(&q, &x);
        FZ_CHECK(fx_ratio_to_double(&q) == got, "fx_ratio_to_double(%s) differs", buf);
        FZ_CHECK(fx_ratio_cmp_dec(&q, &x) == 0, "fx_ratio_set_dec(%s) differs", buf);
        fx_ratio_clear(&q);

        /* exceeds_double, by its definition */
        bool exceeds = fx_dec_exceeds_double(&x);
        if (fx_dec_sgn(&x) == 0)
            FZ_CHECK(!exceeds, "zero exceeds a double");
        else {
            /* significant digits without trailing zeros */
            size_t sig = o.sig;
            for (size_t k = o.ni + o.nf; k > 0 && sig > 0; k--) {
                char c = k - 1 < o.ni ? s[o.lead + k - 1] : s[o.point + 1 + (k - 1 - o.ni)];
                if (c != '0')
                    break;
                sig--;
            }
            bool want_ex = true;
            if (sig <= 15 && isfinite(got)) {
                char e10[64];
                snprintf(e10, sizeof e10, "%.*e", (int)sig - 1, got);
                /* "d.ddde[+-]XX" -> digits shifted */
                char digs[40];
                size_t nd = 0, i = 0, k = 0;
                if (e10[0] == '-')
                    digs[k++] = '-', i++;
                for (; e10[i] && e10[i] != 'e'; i++)
                    if (e10[i] != '.')
                        digs[k++] = e10[i], nd++;
                digs[k] = '\0';
                long ex = strtol(e10 + i + 1, NULL, 10);
                fx_dec back;
                fx_dec_init(&back);
                dec_of(&back, digs);
                fx_dec_shift(&back, ex - (long)(nd - 1));
                want_ex = fx_dec_cmp(&back, &x) != 0;
                fx_dec_clear(&back);
            }
            FZ_CHECK(exceeds == want_ex, "fx_dec_exceeds_double(%s) = %d, expected %d", buf,
                     exceeds, want_ex);
        }
        /* half a unit of the last digit */
        fx_dec h;
        fx_dec_init(&h);
        fx_dec_half_ulp(&h, &x);
        char hb[FX_DEC_STR_MAX];
        FZ_CHECK(h.exp == x.exp - 1 && strcmp(str(&h, hb) + strlen(hb) - 1, "5") == 0 &&
                     fx_dec_digits(&h) == 1,
                 "half ulp of %s is %s", buf, hb);
        fx_dec_clear(&h);
        fx_dec_clear(&y);
    }

    /* fx_small: the same grammar, 18 significant digits */
    fx_small sm = {424242, -7};
    fx_dec_err es = fx_small_parse(&sm, s, len);
    fx_dec_err want_s = e != FX_DEC_OK ? e : o.sig > FX_SMALL_MAX_DIGITS ? FX_DEC_TOO_LONG : FX_DEC_OK;
    FZ_CHECK(es == want_s, "fx_small_parse(\"%.*s\") = %d, expected %d", (int)len, s, (int)es,
             (int)want_s);
    if (es != FX_DEC_OK)
        FZ_CHECK(sm.coef == 424242 && sm.exp == -7, "a failed fx_small_parse changed *out");
    else {
        fx_ratio a, b;
        fx_ratio_init(&a);
        fx_ratio_init(&b);
        fx_ratio_set_small(&a, sm);
        fx_ratio_set_dec(&b, &x);
        FZ_CHECK(fx_ratio_cmp(&a, &b) == 0 && (long)sm.exp == x.exp,
                 "fx_small_parse and fx_dec_parse differ on \"%.*s\"", (int)len, s);
        fx_ratio_clear(&a);
        fx_ratio_clear(&b);
    }

    /* hint */
    char hint[256];
    bool h = fx_dec_hint(s, len, hint, sizeof hint);
    if (e == FX_DEC_OK)
        FZ_CHECK(!h, "a hint for a value that parses");
    if (h) {
        size_t hl = strlen(hint);
        FZ_CHECK(strncmp(hint, "write ", 6) == 0, "hint \"%s\"", hint);
        fx_dec v;
        fx_dec_init(&v);
        FZ_CHECK(fx_dec_parse(&v, hint + 6, hl - 6) == FX_DEC_OK, "hint \"%s\" does not parse",
                 hint);
        fx_dec_clear(&v);
        char *tight = malloc(hl + 1);
        FZ_CHECK(tight && fx_dec_hint(s, len, tight, hl + 1) && strcmp(tight, hint) == 0,
                 "hint into %zu bytes", hl + 1);
        FZ_CHECK(!fx_dec_hint(s, len, tight, hl), "hint into %zu bytes did not fail", hl);
        free(tight);
    }
    fx_dec_clear(&x);
}

/* ---- rounding r to `places` in every mode */

static void check_round(const fx_ratio *r, int places)
{
    fx_dec o[3], unit, half, away;
    fx_ratio diff[3], tmp;
    char b0[FX_DEC_STR_MAX], b1[FX_DEC_STR_MAX], b2[FX_DEC_STR_MAX];
    fx_dec_init(&unit);
    fx_dec_init(&half);
    fx_dec_init(&away);
    fx_ratio_init(&tmp);
    unit_of(&unit, &half, places);
    int sgn = fx_ratio_sgn(r);
    for (int m = 0; m < 3; m++) {
        fx_dec_init(&o[m]);
        fx_ratio_init(&diff[m]);
        fx_ratio_round(&o[m], r, places, (fx_rounding)m);
        FZ_CHECK(o[m].exp == -(long)places, "round to %d places: exp %ld", places, o[m].exp);
        FZ_CHECK(fx_dec_sgn(&o[m]) == 0 || fx_dec_sgn(&o[m]) == sgn, "rounding changed the sign");
        absdiff(&diff[m], r, &o[m]);
        char fixed[FX_DEC_STR_MAX], plain[FX_DEC_STR_MAX];
        int n = fx_ratio_to_fixed(r, places, (fx_rounding)m, fixed, sizeof fixed);
        FZ_CHECK(n >= 0 && strcmp(fixed, str(&o[m], plain)) == 0,
                 "to_fixed \"%s\", round \"%s\"", fixed, plain);
        const char *dot = strchr(fixed, '.');
        FZ_CHECK(places == 0 ? !dot : dot && strlen(dot + 1) == (size_t)places,
                 "\"%s\" has not %d places", fixed, places);
        FZ_CHECK(fixed[0] != '-' || fx_dec_sgn(&o[m]) < 0, "\"%s\": a minus zero", fixed);
    }
    fx_dec *down = &o[FX_ROUND_DOWN], *he = &o[FX_ROUND_HALF_EVEN], *hu = &o[FX_ROUND_HALF_UP];
    /* DOWN: toward zero, less than a unit away */
    fx_ratio_set_dec(&tmp, &unit);
    FZ_CHECK(fx_ratio_cmp(&diff[FX_ROUND_DOWN], &tmp) < 0, "DOWN %s is a unit or more off",
             str(down, b0));
    FZ_CHECK(sgn >= 0 ? fx_ratio_cmp_dec(r, down) >= 0 : fx_ratio_cmp_dec(r, down) <= 0,
             "DOWN %s is past r", str(down, b0));
    /* the value one unit away from zero */
    if (sgn >= 0)
        fx_dec_add(&away, down, &unit);
    else
        fx_dec_sub(&away, down, &unit);
    fx_ratio_set_dec(&tmp, &half);
    int c = fx_ratio_cmp(&diff[FX_ROUND_DOWN], &tmp); /* <0 below half, 0 tie, >0 above */
    bool exact = fx_ratio_sgn(&diff[FX_ROUND_DOWN]) == 0;
    const fx_dec *want_hu = c >= 0 && !exact ? &away : down;
    const fx_dec *want_he = c > 0 ? &away : down;
    if (c == 0) { /* a tie: the even one; exactly one of down, away is even */
        const char *ds = str(down, b0);
        bool down_even = (ds[strlen(ds) - 1] - '0') % 2 == 0;
        want_he = down_even ? down : &away;
    }
    FZ_CHECK(fx_dec_cmp(hu, want_hu) == 0, "HALF_UP %s, expected %s (down %s)", str(hu, b0),
             str(want_hu, b1), str(down, b2));
    FZ_CHECK(fx_dec_cmp(he, want_he) == 0, "HALF_EVEN %s, expected %s (down %s)", str(he, b0),
             str(want_he, b1), str(down, b2));
    FZ_CHECK(fx_ratio_cmp(&diff[FX_ROUND_HALF_UP], &tmp) <= 0 &&
                 fx_ratio_cmp(&diff[FX_ROUND_HALF_EVEN], &tmp) <= 0,
             "a half rounding more than half a unit off");
    for (int m = 0; m < 3; m++) {
        fx_dec_clear(&o[m]);
        fx_ratio_clear(&diff[m]);
    }
    fx_dec_clear(&unit);
    fx_dec_clear(&half);
    fx_dec_clear(&away);
    fx_ratio_clear(&tmp);
}

/* to_sig's text may pass FX_DEC_MAX_DIGITS ("0.000...0100", "123000...0"),
 * so it is read here: its significant digits G (from the first nonzero
 * one, trailing zeros kept), the fraction digits, and the sign. */
static void check_sig(const fx_ratio *r, int sig)
{
    char buf[1024];
    int n = fx_ratio_to_sig(r, sig, buf, sizeof buf);
    FZ_CHECK(n >= 0 && (size_t)n == strlen(buf), "to_sig(%d) failed", sig);
    if (fx_ratio_sgn(r) == 0) {
        FZ_CHECK(strcmp(buf, "0") == 0, "zero to_sig is \"%s\"", buf);
        return;
    }
    const char *p = buf;
    bool neg = *p == '-';
    p += neg;
    size_t ni = strspn(p, "0123456789");
    FZ_CHECK(ni > 0 && (p[ni] == '\0' || p[ni] == '.'), "to_sig gave \"%s\"", buf);
    size_t nf = 0;
    if (p[ni] == '.') {
        nf = strspn(p + ni + 1, "0123456789");
        FZ_CHECK(nf > 0 && p[ni + 1 + nf] == '\0', "to_sig gave \"%s\"", buf);
    }
    FZ_CHECK(ni == 1 || p[0] != '0', "to_sig \"%s\": a leading zero", buf);
    FZ_CHECK(neg == (fx_ratio_sgn(r) < 0), "to_sig \"%s\" changed the sign", buf);
    char g[1024];
    size_t ng = 0;
    for (size_t k = 0; k < ni + nf + (nf > 0); k++)
        if (p[k] != '.' && (ng > 0 || p[k] != '0'))
            g[ng++] = p[k];
    g[ng] = '\0';
    size_t extra = 0; /* "120000": zeros of an integer past `sig` */
    if (ng > (size_t)sig) {
        extra = ng - (size_t)sig;
        FZ_CHECK(nf == 0 && strspn(g + sig, "0") == extra,
                 "\"%s\" has not %d significant digits", buf, sig);
    }
    FZ_CHECK(ng - extra == (size_t)sig, "\"%s\" has not %d significant digits", buf, sig);
    char y_s[64];
    snprintf(y_s, sizeof y_s, "%s%.*s", neg ? "-" : "", sig, g);
    long e = (long)extra - (long)nf; /* value = G[0..sig) * 10^e */
    fx_dec y, h;
    fx_dec_init(&y);
    fx_dec_init(&h);
    dec_of(&y, y_s);
    fx_dec_shift(&y, e);
    dec_of(&h, "5");
    fx_dec_shift(&h, e - 1);
    /* within half a unit of its last significant digit; a tie: even */
    fx_ratio d, hr;
    fx_ratio_init(&d);
    fx_ratio_init(&hr);
    absdiff(&d, r, &y);
    fx_ratio_set_dec(&hr, &h);
    int c = fx_ratio_cmp(&d, &hr);
    FZ_CHECK(c <= 0, "to_sig(%d) \"%s\" is more than half a unit off", sig, buf);
    if (c == 0)
        FZ_CHECK((g[sig - 1] - '0') % 2 == 0, "to_sig tie \"%s\" not even", buf);
    fx_ratio_clear(&d);
    fx_ratio_clear(&hr);
    fx_dec_clear(&y);
    fx_dec_clear(&h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 4096)
        return 0;
    unsigned ctl = data[0];
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    /* up to three lines */
    const char *part[3];
    size_t plen[3], np = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len && np < 3; i++)
        if (i == len || s[i] == '\n') {
            part[np] = s + start;
            plen[np++] = i - start;
            start = i + 1;
        }
    for (size_t i = 0; i < np; i++)
        check_string(part[i], plen[i]);
    if (np < 1)
        return 0;

    fx_dec x, y;
    fx_dec_init(&x);
    fx_dec_init(&y);
    fx_small num = {1, 0}, den = {1, 0};
    bool ok = fx_dec_parse(&x, part[0], plen[0]) == FX_DEC_OK;
    if (np >= 2)
        ok = ok && fx_small_parse(&num, part[1], plen[1]) == FX_DEC_OK;
    if (np >= 3)
        ok = ok && fx_small_parse(&den, part[2], plen[2]) == FX_DEC_OK;
    if (!ok || den.coef == 0) {
        fx_dec_clear(&x);
        fx_dec_clear(&y);
        return 0;
    }
    /* conversion: one exact rational */
    fx_ratio r, q, t;
    fx_ratio_init(&r);
    fx_ratio_init(&q);
    fx_ratio_init(&t);
    fx_ratio_set_convert(&r, &x, num, den);
    fx_ratio_set_dec(&q, &x);
    fx_ratio_set_small(&t, num);
    fx_ratio_mul(&q, &q, &t);
    fx_ratio_set_small(&t, den);
    fx_ratio_div(&q, &q, &t);
    FZ_CHECK(fx_ratio_cmp(&r, &q) == 0, "set_convert differs from mul/div");

    /* dec arithmetic against ratios, with y = the second line as a dec */
    if (np >= 2 && fx_dec_parse(&y, part[1], plen[1]) == FX_DEC_OK) {
        fx_ratio a, b;
        fx_ratio_init(&a);
        fx_ratio_init(&b);
        fx_ratio_set_dec(&a, &x);
        fx_ratio_set_dec(&b, &y);
        FZ_CHECK(fx_dec_cmp(&x, &y) == fx_ratio_cmp(&a, &b), "fx_dec_cmp differs");
        fx_dec z;
        fx_dec_init(&z);
        fx_dec_add(&z, &x, &y);
        fx_ratio_add(&t, &a, &b);
        FZ_CHECK(fx_ratio_cmp_dec(&t, &z) == 0 && z.exp == (x.exp < y.exp ? x.exp : y.exp),
                 "fx_dec_add differs");
        fx_dec_sub(&z, &x, &y);
        fx_ratio_sub(&t, &a, &b);
        FZ_CHECK(fx_ratio_cmp_dec(&t, &z) == 0 && z.exp == (x.exp < y.exp ? x.exp : y.exp),
                 "fx_dec_sub differs");
        fx_dec_set(&z, &x); /* aliasing: out == in */
        fx_dec_add(&z, &z, &z);
        fx_ratio_add(&t, &a, &a);
        FZ_CHECK(fx_ratio_cmp_dec(&t, &z) == 0, "fx_dec_add aliased");
        fx_dec_clear(&z);
        fx_ratio_clear(&a);
        fx_ratio_clear(&b);
    }

    int places[4] = {0, 1, 2, (int)(ctl % 25)};
    for (int i = 0; i < 4; i++)
        if (i < 3 || places[3] > 2)
            check_round(&r, places[i]);
    int sigs[3] = {1, 3, 1 + (int)((ctl >> 3) % 20)};
    for (int i = 0; i < 3; i++)
        check_sig(&r, sigs[i]);
    FZ_CHECK(fx_ratio_to_sig(&r, 0, NULL, 0) == -1, "to_sig(0) did not fail");

    fx_ratio_clear(&r);
    fx_ratio_clear(&q);
    fx_ratio_clear(&t);
    fx_dec_clear(&x);
    fx_dec_clear(&y);
    return 0;
}
