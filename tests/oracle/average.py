#!/usr/bin/python3
"""average - fxbook's average bases (SPEC 3) against exact arithmetic.

Usage: average.py PATH/TO/fxbook [--quick]

For every month, quarter and year of the ECB history (rates/
eurofxref-hist.csv) and a handful of pairs -- direct (EUR -> USD, GBP,
JPY, CNY), inverse (USD -> EUR) and crosses through EUR (CNY -> USD,
GBP -> JPY) -- it writes facts of 1 trillion valued on the period's last
calendar day and on a day in its middle, each asking for the period's
average in its basis column, runs fxbook with --csv-dir and --places 18,
and compares each facts.csv amount_target with the exact mean computed
here from the CSV with fractions.Fraction: the arithmetic mean of the
daily rates (a cross: of the daily quotients of its two EUR legs) over
the days of the period up to the valuation date on which every leg was
published, times 10^12, rounded once half-even to 18 places -- the mean
to 30 decimal places. The rate column (12 significant digits) is checked
too. Periods without a published day are left to the CLI tests (they are
an error). Prints TAP: one line per pair.
"""

import csv
import datetime as dt
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

TOP = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
HIST = os.path.join(TOP, "rates", "eurofxref-hist.csv")
SCALE = 10 ** 12  # value 1, scale trillion
PLACES = 18

# (from, to): the rate of a day is to-per-from.
PAIRS = [("EUR", "USD"), ("EUR", "GBP"), ("EUR", "JPY"), ("EUR", "CNY"),
         ("USD", "EUR"), ("CNY", "USD"), ("GBP", "JPY")]


def load():
    """{ccy: {date: Fraction}}: units per EUR, as published."""
    with open(HIST, newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    out = {c: {} for c in head[1:] if c}
    for r in rows[1:]:
        day = dt.date.fromisoformat(r[0])
        for c, v in zip(head[1:], r[1:]):
            if c and v not in ("", "N/A"):
                out[c][day] = Fraction(v)
    out["EUR"] = None
    return out


def day_rate(rates, a, b, day):
    """b per a on day, or None when a leg was not published."""
    pa = Fraction(1) if a == "EUR" else rates[a].get(day)
    pb = Fraction(1) if b == "EUR" else rates[b].get(day)
    if pa is None or pb is None:
        return None
    return pb / pa


def periods(first, last):
    """(basis, name, start, end) of every month, quarter and year."""
    for y in range(first.year, last.year + 1):
        yield "year-average", str(y), dt.date(y, 1, 1), dt.date(y, 12, 31)
        for q in range(4):
            s = dt.date(y, 3 * q + 1, 1)
            e = (dt.date(y, 3 * q + 4, 1) if q < 3 else dt.date(y + 1, 1, 1)) - dt.timedelta(1)
            yield "quarter-average", "%d-Q%d" % (y, q + 1), s, e
        for m in range(1, 13):
            s = dt.date(y, m, 1)
            e = (dt.date(y, m + 1, 1) if m < 12 else dt.date(y + 1, 1, 1)) - dt.timedelta(1)
            yield "month-average", "%d-%02d" % (y, m), s, e


def round_half_even(x, places):
    y = x * 10 ** places
    t = y.numerator // y.denominator
    rest = y - t
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and t % 2 == 1):
        t += 1
    neg = t < 0
    s = str(abs(t)).rjust(places + 1, "0")
    return ("-" if neg else "") + s[:-places] + "." + s[-places:]


def to_sig(x, sig):
    """x > 0 to sig significant digits, half-even, plain decimal."""
    e = 0
    while x >= 10 ** (e + 1):
        e += 1
    while x < 10 ** e:
        e -= 1
    places = sig - 1 - e
    r = round_half_even(x, places) if places > 0 else None
    if r is None:
        y = x / Fraction(10) ** (-places)
        t = y.numerator // y.denominator
        rest = y - t
        if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and t % 2 == 1):
            t += 1
        return str(t * 10 ** (-places))
    if len(r.replace(".", "").lstrip("0")) > sig:  # 9.99.. rounded up a digit
        return to_sig(Fraction(r), sig)
    return r


def main():
    tool = sys.argv[1]
    quick = "--quick" in sys.argv
    rates = load()
    alldays = sorted(rates["USD"])
    first, last = alldays[0], alldays[-1]
    n = 0
    fails = 0
    with tempfile.TemporaryDirectory() as tmp:
        for a, b in PAIRS:
            n += 1
            facts = os.path.join(tmp, "facts-%s-%s.csv" % (a, b))
            want = {}
            with open(facts, "w") as f:
                f.write("fact_id,entity,claim,source,published,value,scale,unit,quote,basis\n")
                k = 0
                for basis, name, start, end in periods(first, last):
                    if quick and start.year not in (2000, 2008, 2024):
                        continue
                    mid = start + (end - start) // 2
                    for d in (end, mid):
                        days = [day_rate(rates, a, b, start + dt.timedelta(i))
                                for i in range((d - start).days + 1)]
                        days = [x for x in days if x is not None]
                        if not days:
                            continue  # an error: the CLI tests cover it
                        k += 1
                        fid = "f%05d" % k
                        mean = sum(days, Fraction(0)) / len(days)
                        want[fid] = (basis, name, d, len(days), mean)
                        f.write("%s,E,c,s,%s,1,trillion,%s,q,%s\n" % (fid, d.isoformat(), a, basis))
            out = os.path.join(tmp, "out-%s-%s" % (a, b))
            p = subprocess.run([tool, "-q", "-t", b, "--places", str(PLACES), "--csv-dir", out,
                                facts], capture_output=True, text=True)
            if p.returncode != 0:
                print("not ok %d - %s -> %s: fxbook exited %d" % (n, a, b, p.returncode))
                print("# " + p.stderr[:2000].replace("\n", "\n# "))
                fails += 1
                continue
            bad = []
            seen = 0
            with open(os.path.join(out, "facts.csv"), newline="") as f:
                for r in csv.DictReader(f):
                    basis, name, d, nd, mean = want[r["fact_id"]]
                    seen += 1
                    exp_amount = round_half_even(mean * SCALE, PLACES)
                    exp_rate = to_sig(mean, 12)
                    if r["amount_target"] != exp_amount or r["rate"] != exp_rate:
                        bad.append("%s %s %s up to %s (%d days): amount %s want %s, rate %s want %s"
                                   % (r["fact_id"], basis, name, d, nd, r["amount_target"],
                                      exp_amount, r["rate"], exp_rate))
            if seen != len(want):
                bad.append("facts.csv has %d rows, want %d" % (seen, len(want)))
            if bad:
                fails += 1
                print("not ok %d - %s -> %s: %d of %d averages differ from the exact mean"
                      % (n, a, b, len(bad), len(want)))
                for line in bad[:10]:
                    print("# " + line)
            else:
                print("ok %d - %s -> %s: %d averages (every month, quarter and year, at its end "
                      "and its middle) equal the exact mean" % (n, a, b, len(want)))
    print("1..%d" % n)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
