#!/usr/bin/python3
"""oracle - checks src/dec.c against exact arithmetic (fractions.Fraction).

Usage: oracle.py PATH/TO/dec_convert [--quick]

Generates, with a fixed seed, random conversions amount * num / den
(amounts of 1 to ~30 digits, ECB-like rates of 1 to 10 significant
digits), constructed exact ties and near-ties for every rounding mode,
sign and places 0..6, and random strings for the parser; feeds them to
the C tool and compares every answer with the exact result. Prints TAP:
one line per category, failing examples as comments.

The expected values are computed here from their definitions, not by
porting the C: rounding takes floor() of the exact rational and compares
the exact fraction left over with 1/2; the nearest double is Python's
float(Fraction), which is correctly rounded (int / int true division).
"""

import math
import random
import re
import struct
import subprocess
import sys
import time
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

SEED = 20260601
MODES = ("half-even", "half-up", "down")
HALF = Fraction(1, 2)
MAX_DIGITS = 100  # FX_DEC_MAX_DIGITS
SMALL_DIGITS = 18  # FX_SMALL_MAX_DIGITS


# ---- exact definitions ------------------------------------------------

def dec_fraction(s):
    """Exact value of a string of the strict grammar."""
    neg = s.startswith("-")
    if neg:
        s = s[1:]
    ip, _, fp = s.partition(".")
    v = Fraction(int(ip + fp), 10 ** len(fp))
    return -v if neg else v


def round_places(x, places, mode):
    """x rounded once to `places` decimals: the integer count of units."""
    y = x * Fraction(10) ** places  # places < 0 in to_sig: keep it exact
    assert isinstance(y, Fraction)
    neg = y < 0
    a = -y if neg else y
    t = math.floor(a)
    rest = a - t  # exact, in [0, 1)
    if mode == "half-even":
        up = rest > HALF or (rest == HALF and t % 2 == 1)
    elif mode == "half-up":
        up = rest >= HALF
    else:
        up = False
    t += up
    return -t if neg else t


def fmt_units(t, places):
    """Integer count of 10^-places units as a plain decimal; no "-0"."""
    neg = t < 0
    digits = str(-t if neg else t)
    if places > 0:
        digits = digits.rjust(places + 1, "0")
        digits = digits[:-places] + "." + digits[-places:]
    return ("-" if neg else "") + digits


def to_fixed(x, places, mode):
    return fmt_units(round_places(x, places, mode), places)


def to_sig(x, sig):
    """sig significant digits, half-even, plain decimal."""
    if x == 0:
        return "0"
    a = abs(x)
    # k: 10^(k-1) <= a < 10^k
    k = len(str(a.numerator)) - len(str(a.denominator))
    while a >= Fraction(10) ** k:
        k += 1
    while a < Fraction(10) ** (k - 1):
        k -= 1
    places = sig - k
    t = round_places(x, places, "half-even")
    if abs(t) == 10 ** sig:
        t //= 10
        places -= 1
    if places >= 0:
        return fmt_units(t, places)
    return str(t) + "0" * (-places)


def double_hex(x):
    try:
        f = float(x)
    except OverflowError:
        f = math.inf if x > 0 else -math.inf
    return struct.pack(">d", f).hex()


STRICT = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?\Z")


def parse_expect(s):
    """What dec_convert -p must print for string s (see dec.h)."""
    m = STRICT.match(s)
    if not m:
        return "syntax|syntax"
    sign, ip, fp = m.group(1), m.group(2), m.group(3) or ""
    counted = len(ip.lstrip("0")) + len(fp)
    if counted > MAX_DIGITS:
        return "too_long|too_long"
    coef = int(ip + fp)
    text = (ip.lstrip("0") or "0") + ("." + fp if fp else "")
    if sign and coef:
        text = "-" + text
    dec = "ok %s %d" % (text, len(str(coef)) if coef else 0)
    sig = len(str(coef)) if coef else 0  # digits from the first nonzero one
    if sig > SMALL_DIGITS:
        small = "too_long"
    else:
        small = "ok %d %d" % (-coef if sign else coef, -len(fp))
    return dec + "|" + small


# ---- generators ---------------------------------------------------------

def dec_str(coef, exp):
    """Plain decimal text of coef * 10^exp with max(0, -exp) places."""
    neg = coef < 0
    digits = str(abs(coef))
    if exp >= 0:
        body = digits + "0" * exp if coef else "0"
    else:
        p = -exp
        digits = digits.rjust(p + 1, "0")
        body = digits[:-p] + "." + digits[-p:]
    return ("-" if neg else "") + body


def terminating(x):
    """x (a Fraction whose denominator is 2^a 5^b) as exact decimal text."""
    e = 0
    while (x * 10 ** e).denominator != 1:
        e += 1
        if e > 400:
            raise ValueError("not a terminating decimal")
    return dec_str(int(x * 10 ** e), -e)


def random_rate(rng):
    """Like an ECB rate: 1-10 significant digits, magnitudes 1e-4 .. 1e6."""
    k = rng.randint(1, 10)
    coef = rng.randint(10 ** (k - 1), 10 ** k - 1)
    int_digits = rng.randint(-4, 6)  # digits before the point
    exp = int_digits - k
    s = dec_str(coef, exp)
    r = rng.random()
    if r < 0.02:
        s = "00" + s  # leading zeros are accepted
    elif r < 0.05 and "." in s:
        s += "00"  # trailing zeros as printed
    return s


def random_amount(rng):
    r = rng.random()
    if r < 0.02:
        return rng.choice(["0", "-0", "0.00", "-0.000", "000"])
    n = rng.randint(1, 30)
    coef = rng.randint(1, 10 ** n - 1) if rng.random() < 0.3 else rng.randint(10 ** (n - 1), 10 ** n - 1)
    places = rng.randint(0, 10)
    s = dec_str(coef, -places)
    if rng.random() < 0.35:
        s = "-" + s
    return s


def tie_case(rng, places, negative):
    """amount, num, den with amount * num / den exactly half a unit of the
    last place (an odd number of half units), or None to retry."""
    g = rng.choice([1, 1, 1, 3, 7, 9, 11, 13, 37, 101, 997])
    u = Fraction(2 ** rng.randint(0, 8) * 5 ** rng.randint(0, 6), 10 ** rng.randint(0, 6))
    w = dec_fraction(random_rate(rng))
    num = g * u
    den = g * w
    k = rng.choice([0, rng.randint(0, 9), rng.randint(0, 10 ** rng.randint(1, 12))])
    t = Fraction(2 * k + 1, 2 * 10 ** places)  # (k + 1/2) units
    if negative:
        t = -t
    amount = t * den / num  # finite: u and w are terminating, g cancels
    try:
        a, n, d = terminating(amount), terminating(num), terminating(den)
    except ValueError:
        return None
    if not (parse_expect(a).startswith("ok") and parse_expect(n).split("|")[1].startswith("ok")
            and parse_expect(d).split("|")[1].startswith("ok")):
        return None
    return a, n, d


def near(amount, rng):
    """amount moved by one unit a few digits past its last digit."""
    x = dec_fraction(amount)
    extra = rng.randint(1, 20)
    step = Fraction(1, 10 ** (len(amount.partition(".")[2]) + extra))
    return terminating(x + step if rng.random() < 0.5 else x - step)


def random_string(rng):
    r = rng.random()
    if r < 0.4:  # near-valid: a number, then mutated
        s = random_amount(rng) if rng.random() < 0.7 else random_rate(rng)
        for _ in range(rng.randint(0, 3)):
            op = rng.randint(0, 2)
            pos = rng.randint(0, len(s))
            c = rng.choice("0123456789.-+eE, x\t\x00")
            if op == 0:
                s = s[:pos] + c + s[pos:]
            elif op == 1 and s:
                s = s[:pos] + s[pos + 1:]
            elif s:
                s = s[:pos] + c + s[pos + 1:]
        return s
    if r < 0.6:  # around the length limits
        ip = "0" * rng.randint(0, 5) + "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 105)))
        fp = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 105)))
        s = (ip or "0") + ("." + fp if fp and rng.random() < 0.7 else "")
        if rng.random() < 0.3:
            s = "-" + s
        return s
    if r < 0.8:  # around 18 digits for fx_small
        n = rng.randint(15, 21)
        digits = "".join(rng.choice("0123456789") for _ in range(n))
        cut = rng.randint(0, n)
        s = (digits[:cut] or "0") + ("." + digits[cut:] if digits[cut:] else "")
        return ("-" if rng.random() < 0.3 else "") + "0" * rng.randint(0, 3) + s
    return "".join(rng.choice("0123456789.-+eE,x ") for _ in range(rng.randint(0, 8)))


# ---- running ------------------------------------------------------------

def run_tool(tool, args, lines):
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
    p = subprocess.run([tool] + args, input=data, capture_output=True)
    out = p.stdout.decode("utf-8", "replace").split("\n")
    if out and out[-1] == "":
        out.pop()
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, name, total, bad):
        self.n += 1
        if bad:
            self.failed += 1
            print("not ok %d - %s: %d of %d wrong" % (self.n, name, len(bad), total))
            for b in bad[:10]:
                print("#   %s" % b)
        else:
            print("ok %d - %s: %d checked, 0 wrong" % (self.n, name, total))
        sys.stdout.flush()


def main():
    if len(sys.argv) < 2:
        print("usage: oracle.py DEC_CONVERT [--quick]", file=sys.stderr)
        return 64
    tool = sys.argv[1]
    scale = 10 if "--quick" in sys.argv[2:] else 1
    rng = random.Random(SEED)
    tap = Tap()
    t0 = time.time()

    # The oracle's own definitions first: classic rows known by hand, and
    # the decimal module's quantize (an independent exact rounding) on
    # terminating values.
    bad = []
    known = [("2.675", 2, "half-even", "2.68"), ("2.675", 2, "down", "2.67"),
             ("1.005", 2, "half-even", "1.00"), ("1.005", 2, "half-up", "1.01"),
             ("-0.125", 2, "half-even", "-0.12"), ("-0.125", 2, "half-up", "-0.13"),
             ("-0.125", 2, "down", "-0.12"), ("0.5", 0, "half-even", "0"),
             ("1.5", 0, "half-even", "2"), ("2.5", 0, "half-even", "2"),
             ("-2.5", 0, "half-even", "-2"), ("-2.5", 0, "half-up", "-3"),
             ("-0.001", 2, "half-up", "0.00"), ("9.995", 2, "half-up", "10.00")]
    for a, p, m, want in known:
        got = to_fixed(dec_fraction(a), p, m)
        if got != want:
            bad.append("to_fixed(%s, %d, %s) = %s, want %s" % (a, p, m, got, want))
    if to_sig(Fraction(10443, 75892), 12) != "0.137603436462":
        bad.append("to_sig(1.0443/7.5892, 12) = %s" % to_sig(Fraction(10443, 75892), 12))
    qmode = {"half-even": ROUND_HALF_EVEN, "half-up": ROUND_HALF_UP, "down": ROUND_DOWN}
    n_self = len(known) + 1
    with localcontext() as ctx:
        ctx.prec = 400
        for i in range(20000 // scale):
            a = random_amount(rng)
            if i % 2:
                a = dec_str(2 * rng.randint(0, 10 ** rng.randint(0, 20)) + 1, -rng.randint(1, 8))
            p, m = rng.randint(0, 7), MODES[i % 3]
            q = Decimal(a).quantize(Decimal(1).scaleb(-p), rounding=qmode[m])
            want = format(q, "f")
            if q == 0:
                want = want.lstrip("-")
            got = to_fixed(dec_fraction(a), p, m)
            n_self += 1
            if got != want:
                bad.append("to_fixed(%s, %d, %s) = %s, decimal says %s" % (a, p, m, got, want))
    tap.check("oracle self-check (hand rows, decimal.quantize)", n_self, bad)

    # category -> list of (amount, num, den, places, mode)
    cases = {}
    n_random = 100000 // scale
    cases["random conversions (3 modes x places 0..6)"] = [
        (random_amount(rng), random_rate(rng), rng.choice(["1", random_rate(rng)]),
         i % 7, MODES[(i // 7) % 3])
        for i in range(n_random)
    ]
    ties = []
    for places in range(7):
        for mode in MODES:
            for negative in (False, True):
                got = 0
                while got < 400 // scale:
                    c = tie_case(rng, places, negative)
                    if c is None:
                        continue
                    ties.append((c[0], c[1], c[2], places, mode))
                    got += 1
    cases["exact ties (every mode, sign, places 0..6)"] = ties
    # plain amounts that are ties themselves (num = den = 1, or num = den)
    plain = []
    for i in range(4000 // scale):
        places = i % 7
        k = rng.randint(0, 10 ** rng.randint(0, 15))
        a = dec_str(2 * k + 1, -places - 1)  # an odd number of half units
        rate = "1" if i % 2 else random_rate(rng)
        plain.append(("-" + a if i % 4 >= 2 else a, rate, rate, places, MODES[(i // 7) % 3]))
    cases["ties in the amount (num = den)"] = plain
    cases["near ties (tie +- one unit far right)"] = [
        (near(a, rng), n, d, p, m) for (a, n, d, p, m) in ties[: len(ties) // 2]
    ]
    big = []
    for i in range(5000 // scale):
        n = rng.randint(60, 100)
        f = rng.randint(0, n)
        a = dec_str(rng.randint(10 ** (n - 1), 10 ** n - 1), -f)
        k = rng.randint(1, 18)
        rate = dec_str(rng.randint(10 ** (k - 1), 10 ** k - 1), -rng.randint(0, 18))
        big.append((("-" if i % 2 else "") + a, rate, random_rate(rng), rng.randint(0, 18), MODES[i % 3]))
    cases["long amounts, 18-digit rates, places 0..18"] = big

    all_cases = [c for v in cases.values() for c in v]
    rc, out, err = run_tool(tool, [], ["%s %s %s %d %s" % c for c in all_cases])
    if rc != 0 or len(out) != len(all_cases):
        print("not ok 1 - dec_convert exited %d with %d of %d lines" % (rc, len(out), len(all_cases)))
        for line in err.splitlines()[:30]:
            print("# " + line)
        print("1..1")
        return 1

    at = 0
    sig_bad, sig_n, dbl_bad, dbl_n, amt_bad = [], 0, [], 0, []
    for name, rows in cases.items():
        bad = []
        for (a, n, d, places, mode) in rows:
            line = out[at]
            at += 1
            fa = dec_fraction(a)
            x = fa * dec_fraction(n) / dec_fraction(d)
            fields = line.split(" ")
            want = to_fixed(x, places, mode)
            if len(fields) != 4 or fields[0] != want:
                bad.append("%s * %s / %s to %d %s: got %r, want %s" % (a, n, d, places, mode, line, want))
                continue
            if name.startswith("exact ties"):
                y = x * 10 ** places * 2
                if y.denominator != 1 or y.numerator % 2 == 0:
                    bad.append("generator: %s * %s / %s is not a tie at %d" % (a, n, d, places))
            sig_n += 1
            ws = to_sig(x, 12)
            if fields[1] != ws:
                sig_bad.append("%s * %s / %s: got %s, want %s" % (a, n, d, fields[1], ws))
            dbl_n += 1
            wd = double_hex(x)
            if fields[2] != wd:
                dbl_bad.append("%s * %s / %s: got %s, want %s (%r)" % (a, n, d, fields[2], wd, float(x)))
            wa = double_hex(fa)
            if fields[3] != wa:
                amt_bad.append("%s: got %s, want %s" % (a, fields[3], wa))
        tap.check(name, len(rows), bad)
    tap.check("fx_ratio_to_sig 12 digits", sig_n, sig_bad)
    tap.check("fx_ratio_to_double = float(Fraction)", dbl_n, dbl_bad)
    tap.check("fx_dec_to_double = float(Fraction)", dbl_n, amt_bad)

    # doubles at and next to binary ties: m / 2^s where m has 1..8 bits
    # below the 53 kept ones, the dropped ones exactly 10..0 (a tie, to
    # even) or one off it. Subnormals and overflow cannot come out of
    # parsed inputs and rates (|exponent| stays under ~220); test_dec
    # covers them.
    edge = []
    for i in range(6000 // scale):
        j = rng.randint(1, 8)
        m = ((rng.getrandbits(52) | (1 << 52)) << j) + (1 << (j - 1)) + rng.choice((0, 0, 1, -1))
        x = Fraction(m, 2 ** rng.randint(0, 60))
        a = ("-" if i % 2 else "") + terminating(x)
        if not parse_expect(a).startswith("ok"):
            continue
        edge.append((a, "1", rng.choice(("1", "1", "0.5", "0.25", "4", "3")), 0, "half-even"))
    rc, out, err = run_tool(tool, [], ["%s %s %s %d %s" % c for c in edge])
    bad = []
    if rc != 0 or len(out) != len(edge):
        bad.append("dec_convert exited %d: %s" % (rc, err[:500]))
    else:
        for (a, n, d, places, mode), line in zip(edge, out):
            x = dec_fraction(a) * dec_fraction(n) / dec_fraction(d)
            f = line.split(" ")
            if f[2] != double_hex(x) or f[3] != double_hex(dec_fraction(a)):
                bad.append("%s * %s / %s: got %s, want %s %s" % (a, n, d, line, double_hex(x), double_hex(dec_fraction(a))))
    tap.check("doubles at and next to binary ties", len(edge), bad)

    # the parser against the grammar regex and the digit-count rule
    strings = []
    seen = set()
    while len(strings) < 30000 // scale:
        s = random_string(rng)
        if "\n" in s or s in seen:
            continue
        seen.add(s)
        strings.append(s)
    strings += ["-0", "007", "0.10", "-", "", ".", "1.", ".5", "+1", "1" * 100, "1" * 101,
                "0." + "0" * 100, "0." + "0" * 101, "0" * 500 + "1", "9" * 18, "9" * 19,
                "0.000000000000000000000000000123456789012345678"]
    rc, out, err = run_tool(tool, ["-p"], strings)
    bad = []
    if rc != 0 or len(out) != len(strings):
        bad.append("dec_convert -p exited %d with %d of %d lines: %s" % (rc, len(out), len(strings), err[:500]))
    else:
        for s, line in zip(strings, out):
            want = parse_expect(s)
            if line != want:
                bad.append("%r: got %r, want %r" % (s, line, want))
    accepted = sum(1 for s in strings if STRICT.match(s))
    tap.check("fx_dec_parse / fx_small_parse on strings (%d of the grammar)" % accepted, len(strings), bad)

    total = sum(len(v) for v in cases.values())
    print("# %d conversions (%d exact ties: places 0..6 x 3 modes x 2 signs), %.1f s"
          % (total, len(ties), time.time() - t0))
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
