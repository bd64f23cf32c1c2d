#!/usr/bin/python3
"""gen_explain - seeded facts (and rates) for comparing fxbook's
explanations (SPEC 5.1, docs/explanations.md) with explain.py.

Usage: gen_explain.py OUTDIR [--seed N] [--scale K]
       gen_explain.py --coverage OUTDIR TAGDIR [MIN_CONVERSIONS]

Writes three scenarios under OUTDIR, and OUTDIR/runs.tsv: one fxbook run
a line, "name<TAB>arg<TAB>arg...", the arguments after `fxbook` except
--csv-dir and -o (paths absolute, or relative to the project's top).

- ecb: the real ECB history (`-r rates`, its aliases too), and the same
  facts with `-r rates -r rates/fred` (FED-H10 as a second provider);
- fred: figures made from FRED's H.10 rates (USD, GBP, CNY), run with
  the default order and with `--provider FED-H10,ECB --infer-window 10`;
- long: four constructed providers in three long files (alpha.csv: 4
  columns, so its provider is the file's name; beta.csv; mixed.csv with
  gamma and delta in its source column), each with its own missing days
  per currency, USD as hub (delta: EUR too, so that two intermediates
  compete), friendly rates (2^a 5^b) on some days so that products and
  crosses are exact decimals that can land on an interval's bound,
  alpha's and beta's TWD rates equal (provider ties), a direct TWD/KES
  pair of beta's that beats the cross; run with `--provider beta,alpha`
  beside the ECB, with the default order and no ECB, and with
  `--provider delta,gamma,beta,alpha --infer-window 7`.

Each group of facts is built with an intent (a hypothesis it is made
from: direct or chained, spot or month-average, nearest or truncated, a
fresh or stale rate date, an interval bound hit exactly, a base figure
printed after D, a figure nothing explains...). What a conversion ends up
exercising is measured on the reference's answers, not assumed: see
explain.py --cases and the coverage table run-explain.sh prints.

The generator only builds inputs; expected answers come from explain.py.
"""

import bisect
import csv
import datetime as dt
import os
import random
import sys
from fractions import Fraction

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import explain as X  # noqa: E402

TOP = X.TOP
SCALE_OF = {0: "", 3: "thousand", 6: "million", 9: "billion", 12: "trillion"}
FACT_HEAD = ["fact_id", "entity", "claim", "source", "published", "value", "scale", "unit",
             "qualifier", "as_of", "reported_value", "reported_scale", "reported_unit", "quote"]


# ---- numbers ------------------------------------------------------------------

def terminating_places(x):
    """The decimal places of x when it is a terminating decimal (its
    denominator 2^a 5^b: max(a, b) places), else None."""
    d, a, b = x.denominator, 0, 0
    while d % 2 == 0:
        d, a = d // 2, a + 1
    while d % 5 == 0:
        d, b = d // 5, b + 1
    return max(a, b) if d == 1 else None


def fixed(x, places, mode):
    """x to `places` decimals (may be negative: tens, hundreds...):
    mode "nearest" (half-even) or "down" (toward zero); plain decimal
    text, never "-0"."""
    y = x * Fraction(10) ** places
    neg = y < 0
    a = -y if neg else y
    t = a.numerator // a.denominator
    rest = a - t
    if mode == "nearest" and (rest > Fraction(1, 2) or (rest == Fraction(1, 2) and t % 2)):
        t += 1
    return dec_text(-t if neg else t, places)


def dec_text(units, places):
    """units x 10^-places as text."""
    neg = units < 0
    s = str(abs(units))
    if places > 0:
        s = s.rjust(places + 1, "0")
        s = s[:-places] + "." + s[-places:]
    elif places < 0:
        s = s + "0" * -places if units else "0"
    return ("-" if neg and units else "") + s


def exact_text(x, places):
    """A terminating x with exactly `places` decimals."""
    y = x * Fraction(10) ** places
    assert y.denominator == 1, (x, places)
    return dec_text(y.numerator, places)


def int_digits(a):
    """k with 10^(k-1) <= a < 10^k, a > 0."""
    k = len(str(a.numerator)) - len(str(a.denominator))
    while a >= Fraction(10) ** k:
        k += 1
    while a < Fraction(10) ** (k - 1):
        k -= 1
    return k


def scale_for(a, rng):
    """A scale word that suits |a| (sometimes none)."""
    if a == 0:
        return 0
    k = int_digits(abs(a))
    options = [s for s in (0, 3, 6, 9, 12) if k - s >= 1 or s == 0]
    best = max(options)
    return best if rng.random() < 0.8 else rng.choice(options)


def printed(x, sig, mode, rng):
    """x printed to about `sig` significant digits with a suitable scale:
    (value, scale word). mode "nearest" rounds, "down" cuts toward zero."""
    k = scale_for(x, rng)
    y = x / 10 ** k
    places = sig - int_digits(abs(y)) if y else rng.randint(0, 2)
    places = max(places, 0)
    return fixed(y, places, mode), SCALE_OF[k]


def edge_printed(x, kind, rng):
    """A printed figure that puts x exactly on a bound of its interval:
    kind "upper" (x = v + h), "lower" (x = v - h), "open" (x = v + 2h for
    v > 0, v - 2h for v < 0: the truncated reading's open end), "exact"
    (x = v: its closed end). x must be a terminating decimal; for upper
    and lower its last digit must be 5. Returns (value, scale) or None."""
    n = terminating_places(x)
    if n is None:
        return None
    if kind in ("upper", "lower"):
        last = (abs(x) * 10 ** n) % 10
        if last != 5:
            return None
        p = n - 1
        h = Fraction(5, 10 ** n)
        v = x - h if kind == "upper" else x + h
    elif kind == "open":
        p = n
        step = Fraction(1, 10 ** n)
        v = x - step if x > 0 else x + step
    else:
        p = n
        v = x
    if x != 0 and (v == 0 or (v > 0) != (x > 0)):
        return None
    ks = [s for s in (0, 3, 6, 9, 12) if p + s >= 0 and (v == 0 or int_digits(abs(v)) - s >= -2)]
    if not ks:
        return None
    k = rng.choice(ks)
    return exact_text(v / 10 ** k, p + k), SCALE_OF[k]


def random_amount(rng, lo_exp=0, hi_exp=11, negative=False, zero=False):
    """A curator's figure: 1-4 significant digits, a trailing zero now and
    then ("5.50"); (value, scale, exact amount)."""
    if zero:
        v, s = rng.choice([("0", ""), ("0.0", "billion"), ("0", "million")])
        return v, s, Fraction(0)
    sig = rng.choice([1, 2, 2, 3, 3, 4])
    e = rng.randint(lo_exp, hi_exp)
    c = rng.randint(10 ** (sig - 1), 10 ** sig - 1)
    a = Fraction(c) * Fraction(10) ** (e - sig + 1)
    if negative:
        a = -a
    k = scale_for(a, rng)
    y = a / 10 ** k
    places = max(sig - int_digits(abs(y)), 0)
    if rng.random() < 0.1:
        places += 1  # "5.50": a printed trailing zero narrows the interval
    return exact_text(y, places), SCALE_OF[k], a


# ---- worlds: rates a scenario's figures are made from ------------------------------

class World:
    """The rates of a scenario, the providers and currencies its figures
    are made from, and the runs that must value and audit its facts: a
    list of (explain.Rates, explain.Opts), one per fxbook run."""

    def __init__(self, rates, gen_providers, currencies, first, last, runs):
        self.rates = rates
        self.gen_providers = gen_providers
        self.currencies = currencies
        self.first, self.last = first, last
        self.runs = runs

    def day(self, rng):
        return rng.randint(self.first, self.last)

    def days(self, p, a, b, d, window):
        ds, t = self.rates.pair(p, a, b)
        i, j = bisect.bisect_left(ds, d - window), bisect.bisect_right(ds, d)
        return ds[i:j], t

    def valued(self, ccy, d):
        """Does every run value ccy in USD on d (else fxbook exits 65)?"""
        return all(X.priced(r, o, ccy, "USD", d) is not None for r, o in self.runs)

    def audited(self, a, b, d):
        """Does every run audit a -> b on d with a rate (not unverifiable)?"""
        return all(X.priced(r, o, a, b, d) is not None for r, o in self.runs)


def load_rates(paths):
    r = X.Rates()
    for p in paths:
        r.load(p)
    return r


def lookup_opts(providers=None):
    o = X.Opts()
    o.providers = providers
    return o


# ---- facts ------------------------------------------------------------------------

class Group:
    """The facts of one claim, built together; kept only when accepted."""

    def __init__(self, gid, claim):
        self.gid, self.claim = gid, claim
        self.rows = []
        self.intents = {}

    def fact(self, k, source, published, value, scale, unit, as_of=None, reported=None,
             intent=None):
        rv, rs, ru = reported if reported else ("", "", "")
        fid = "%s-%d" % (self.gid, k)
        self.rows.append(dict(zip(FACT_HEAD, [
            fid, "E", self.claim, source, X.iso(published), value, scale, unit, "",
            X.iso(as_of) if as_of is not None else "", rv, rs, ru, "q"])))
        if intent:
            self.intents[fid] = intent
        return fid


class Writer:
    def __init__(self):
        self.rows = []
        self.intents = {}

    def add(self, g):
        self.rows += g.rows
        self.intents.update(g.intents)

    def save(self, path):
        with open(path, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(FACT_HEAD)
            for r in self.rows:
                w.writerow([r[c] for c in FACT_HEAD])


def pick_day(rng, days, d):
    """A rate date: mostly the latest or second latest on or before D
    (fresh), else any of the window (stale)."""
    r = rng.random()
    if r < 0.45 or len(days) == 1:
        return days[-1]
    if r < 0.65:
        return days[-2]
    return rng.choice(days)


class Gen:
    """Builds groups of facts (one claim each) in a world. Each builder
    returns a Group or None (nothing fitting found); `keep` adds it."""

    def __init__(self, world, rng, writer, prefix, negatives=False, aliases=None):
        self.w, self.rng, self.out, self.prefix = world, rng, writer, prefix
        self.negatives = negatives
        self.aliases = aliases or {}
        self.n = 0
        # a few sources print many figures: implied ranges over several
        # conversions, and sources whose first fact is no conversion
        self.pool = ["%s-src%02d" % (prefix, i) for i in range(1, 13)]
        self.wanted = {}

    def unit(self, ccy):
        """Now and then an alias, as curators write them."""
        al = self.aliases.get(ccy)
        return self.rng.choice(al) if al and self.rng.random() < 0.3 else ccy

    def source(self, gid, tag="s"):
        return self.rng.choice(self.pool) if self.rng.random() < 0.35 else tag + gid

    def group(self):
        self.n += 1
        gid = "%s%05d" % (self.prefix, self.n)
        return Group(gid, "c" + gid)

    def keep(self, g):
        if g is not None:
            self.out.add(g)
        return g is not None

    def rate_at(self, p, a, b, r, basis):
        if basis == "spot":
            return self.w.rates.pair(p, a, b)[1][r]
        return self.w.rates.month_average(p, a, b, r)

    def hypothesis(self, a, b, d, window=30):
        """A random (provider, R) for a -> b with R in D's window, or None."""
        provs = list(self.w.gen_providers)
        self.rng.shuffle(provs)
        for p in provs:
            days, _ = self.w.days(p, a, b, d, window)
            if days:
                return p, pick_day(self.rng, days, d)
        return None

    def ok(self, ccys, d):
        return all(self.w.valued(c, d) for c in ccys)

    def edge_amount(self, p, a, b, r, basis, kind, neg):
        """An amount whose product at (p, r, basis) is a terminating decimal
        fit for an edge of `kind`, with the printed figure; or None."""
        rate = self.rate_at(p, a, b, r, basis)
        if terminating_places(rate) is None:
            return None
        for _ in range(40):
            value, scale, amt = random_amount(self.rng, 0, 9, neg)
            rep = edge_printed(amt * rate, kind, self.rng)
            if rep:
                return (value, scale, amt), rep
        return None

    # builders

    def direct(self, edge=None, unexplained=False, zero=False, coarse=False):
        """A conversion made from its own amount at one hypothesis."""
        rng = self.rng
        for _ in range(50):
            d = self.w.day(rng)
            a, b = rng.sample(self.w.currencies, 2)
            if not self.ok((a, b), d) or not self.w.audited(a, b, d):
                continue
            h = self.hypothesis(a, b, d)
            if not h:
                continue
            p, r = h
            basis = "month-average" if rng.random() < 0.25 and not edge else "spot"
            neg = self.negatives and rng.random() < 0.3
            if edge:
                found = self.edge_amount(p, a, b, r, basis, edge, neg)
                if not found:
                    continue
                (value, scale, amt), rep = found
                reading = "edge-" + edge
            else:
                value, scale, amt = random_amount(rng, 0, 11, neg, zero)
                x = amt * self.rate_at(p, a, b, r, basis)
                if unexplained:
                    x *= Fraction(rng.choice([rng.randint(115, 160), rng.randint(50, 85)]), 100)
                reading = "truncated" if rng.random() < 0.25 else "nearest"
                sig = rng.choice([1, 2]) if coarse else rng.choice([1, 2, 2, 3, 3, 4, 5, 6])
                rep = printed(x, sig, "down" if reading == "truncated" else "nearest", rng)
            g = self.group()
            as_of, pub = None, d
            if rng.random() < 0.1:
                as_of, pub = d, d + rng.randint(1, 20)
            tags = ["direct", basis, reading] + (["negative"] if neg else []) + \
                (["unexplained"] if unexplained else []) + (["zero"] if zero else [])
            g.fact(1, self.source(g.gid), pub, value, scale, self.unit(a), as_of,
                   (rep[0], rep[1], self.unit(b)), " ".join(tags))
            return g
        return None

    def chained(self, late=False, value_vs_reported=False, duplicates=False, edge=None,
                coarse=False, extra_bases=0):
        """A claim whose figure in a third currency X, printed by other
        facts, is what the converting fact's reported figure was made from."""
        rng = self.rng
        cur = self.w.currencies
        for _ in range(60):
            d = self.w.day(rng)
            a, b, x = rng.sample(cur, 3)
            others = [c for c in cur if c not in (a, b, x)]
            x2 = rng.choice(others) if value_vs_reported else None
            if not self.ok((a, b, x) + ((x2,) if x2 else ()), d) or \
                    not self.w.audited(a, b, d):
                continue
            h = self.hypothesis(x, b, d)
            if not h:
                continue
            p, r = h
            basis = "month-average" if rng.random() < 0.2 and not edge else "spot"
            neg = self.negatives and rng.random() < 0.2
            if edge:
                found = self.edge_amount(p, x, b, r, basis, edge, neg)
                if not found:
                    continue
                (xv, xs, xamt), rep = found
                reading = "edge-" + edge
            else:
                xv, xs, xamt = random_amount(rng, 3, 11, neg)
                reading = "truncated" if rng.random() < 0.2 else "nearest"
                sig = rng.choice([1, 2]) if coarse or value_vs_reported else \
                    rng.choice([2, 2, 3, 3, 4])
                rep = printed(xamt * self.rate_at(p, x, b, r, basis), sig,
                              "down" if reading == "truncated" else "nearest", rng)
            ha = self.hypothesis(x, a, d)  # f's own figure: X's amount in A
            if not ha:
                continue
            aamt = xamt * self.w.rates.pair(ha[0], x, a)[1][ha[1]]
            av, as_ = printed(aamt, rng.choice([1, 2, 3] if coarse else [2, 3, 4]), "nearest",
                              rng)
            g = self.group()
            tags = ["chained", basis, reading] + (["negative"] if neg else [])
            as_of, pub = None, d
            if late:  # every printer of X's figure comes after D
                if rng.random() < 0.5:
                    gpub = d + rng.randint(1, 10)
                else:  # f valued at as_of; g between as_of and f's publication
                    as_of, pub = d, d + rng.randint(2, 12)
                    gpub = rng.randint(d + 1, pub)
                tags.append("late-base")
            else:
                gpub = d - rng.choice([0, 0, 1, 3, 10])
            if not self.ok((x,), gpub):
                continue
            grep_ = None
            if x2 and self.ok((x2,), gpub):
                h2 = self.hypothesis(x, x2, gpub)
                if h2:
                    x2amt = xamt * self.w.rates.pair(h2[0], x, x2)[1][h2[1]]
                    grep_ = printed(x2amt, rng.choice([3, 4]), "nearest", rng) + (x2,)
                    tags.append("value-vs-reported")
            elif rng.random() < 0.4 and self.w.audited(x, a, gpub) and self.ok((a,), gpub):
                grep_ = (av, as_, a)  # the base's printer is a conversion too
            ks = [2, 3]
            rng.shuffle(ks)
            fsrc = self.source(g.gid)
            gsrc = fsrc if rng.random() < 0.3 else self.source(g.gid, "t")
            if rng.random() < 0.04 and not xv.startswith("-"):
                xv = "0" + xv  # "05.5": shown as 5.5 (docs/explanations.md)
                tags.append("leading-zero")
            g.fact(ks[0], gsrc, gpub, xv, xs, self.unit(x), None,
                   (grep_[0], grep_[1], self.unit(grep_[2])) if grep_ else None)
            if duplicates:
                # the same amount printed again in another form by another
                # source: one base figure, named after the smaller fact_id
                # of those published on or before D
                k = X.SCALES[xs]
                forms = [kk for kk in (0, 3, 6, 9, 12)
                         if kk != k and terminating_places(xamt / 10 ** kk) <= 4]
                if forms:
                    y = xamt / 10 ** rng.choice(forms)
                    kk = [kk for kk in (0, 3, 6, 9, 12) if xamt / 10 ** kk == y][0]
                    dpub = rng.choice([gpub, d + rng.randint(1, 5), d - 2])
                    g.fact(ks[1], "u" + g.gid, dpub, exact_text(y, terminating_places(y)),
                           SCALE_OF[kk], self.unit(x))
                    tags.append("duplicate-base")
            for i in range(extra_bases):  # more third-currency figures, roughly alike
                y = rng.choice([c for c in others if c != x2])
                hy = self.hypothesis(x, y, d)
                if not hy or not self.ok((y,), d - 1):
                    continue
                yamt = xamt * self.w.rates.pair(hy[0], x, y)[1][hy[1]]
                yv, ys = printed(yamt, rng.choice([2, 3]), "nearest", rng)
                g.fact(4 + i, self.source(g.gid, "v"), d - 1, yv, ys, self.unit(y))
            g.fact(1, fsrc, pub, av, as_, self.unit(a), as_of, (rep[0], rep[1], self.unit(b)),
                   " ".join(tags))
            return g
        return None

    def same_currency(self):
        """A figure "converted" into its own currency ("$5.5 billion
        (USD 5.5 billion)"): priced at 1 by any provider on any day
        (docs/explanations.md), and a chained base of another claim fact."""
        rng = self.rng
        for _ in range(50):
            d = self.w.day(rng)
            a = rng.choice(self.w.currencies)
            x = rng.choice([c for c in self.w.currencies if c != a])
            if not self.ok((a, x), d):
                continue
            value, scale, amt = random_amount(rng, 0, 11)
            off = rng.random() < 0.3
            rep = printed(amt * (Fraction(11, 10) if off else 1), rng.choice([1, 2, 3]),
                          "nearest", rng)
            g = self.group()
            h = self.hypothesis(a, x, d)
            if h:  # the same amount in a third currency, printed by another source
                xv, xs = printed(amt * self.w.rates.pair(h[0], a, x)[1][h[1]], 3, "nearest", rng)
                g.fact(2, self.source(g.gid, "t"), d, xv, xs, x)
            g.fact(1, self.source(g.gid), d, value, scale, self.unit(a), None,
                   (rep[0], rep[1], a), "same-currency")
            return g
        return None

    def provider_tie(self, pairs):
        """A conversion of a pair that alpha and beta price alike (their
        TWD rates are equal), on one of the days they share."""
        rng = self.rng
        for _ in range(50):
            d = self.w.day(rng)
            a, b = rng.choice(pairs)
            if rng.random() < 0.5:
                a, b = b, a
            if not self.ok((a, b), d) or not self.w.audited(a, b, d):
                continue
            da, ta = self.w.days("alpha", a, b, d, 30)
            db, tb = self.w.days("beta", a, b, d, 30)
            common = [r for r in da if r in tb and ta[r] == tb[r]]
            if not common:
                continue
            r = pick_day(rng, common, d)
            value, scale, amt = random_amount(rng, 0, 11)
            reading = "truncated" if rng.random() < 0.2 else "nearest"
            rep = printed(amt * ta[r], rng.choice([2, 3, 4, 5]),
                          "down" if reading == "truncated" else "nearest", rng)
            g = self.group()
            g.fact(1, self.source(g.gid), d, value, scale, a, None, (rep[0], rep[1], b),
                   "provider-tie spot " + reading)
            return g
        return None

    def series(self, off=False):
        """One source's several conversions of one pair over a few weeks,
        all at one provider's rate of one day (its implied range holds
        that rate), or one of them off by 5% (no single rate explains
        them all)."""
        rng = self.rng
        for _ in range(50):
            d0 = self.w.day(rng)
            a, b = rng.sample(self.w.currencies, 2)
            h = self.hypothesis(a, b, d0)
            if not h:
                continue
            p, r = h
            rate = self.rate_at(p, a, b, r, "spot")
            n = rng.randint(2, 5)
            ds = sorted(rng.randint(r, r + 20) for _ in range(n))
            if not all(self.ok((a, b), d) and self.w.audited(a, b, d) for d in ds):
                continue
            src = rng.choice(self.pool)
            g = self.group()
            bad = rng.randrange(n) if off else -1
            for i, d in enumerate(ds):
                neg = self.negatives and rng.random() < 0.2
                value, scale, amt = random_amount(rng, 0, 11, neg, zero=rng.random() < 0.05)
                x = amt * rate * (Fraction(105, 100) if i == bad else 1)
                rep = printed(x, rng.choice([3, 4, 5]), "nearest", rng)
                g.fact(1 + i, src, d, value, scale, self.unit(a), None,
                       (rep[0], rep[1], self.unit(b)), "series" + (" off" if off else ""))
            return g
        return None

    def stale_split(self):
        """Two chained bases X and Y of one claim, one rate date R of one
        provider: R is stale for X's pair and not for Y's (their missing
        days differ), X's product lands in the nearest interval, Y's only
        in the truncated one. Both make two assumptions at the same R:
        the truncated reading decides (ranking's sixth key)."""
        rng = self.rng
        for _ in range(100):
            d = self.w.day(rng)
            a, b, x, y = rng.sample(self.w.currencies, 4)
            p = rng.choice(self.w.gen_providers)
            if not self.ok((a, b, x, y), d) or not self.w.audited(a, b, d):
                continue
            allx, tx = self.w.rates.pair(p, x, b)
            ally, ty = self.w.rates.pair(p, y, b)
            split = [r for r in self.w.days(p, x, b, d, 30)[0]
                     if r in ty and X.is_stale(allx, r, d) and not X.is_stale(ally, r, d)]
            if not split:
                continue
            r = split[-1]
            xv, xs, xamt = random_amount(rng, 3, 11)
            rep = printed(xamt * tx[r], rng.choice([3, 4]), "nearest", rng)
            lo, _, hi, _ = X.reading_interval(rep[0], rep[1], "nearest")
            h = (hi - lo) / 2
            target = (lo + h) + (h * 3 / 2 if lo + h > 0 else -h * 3 / 2)
            yv, ys = printed(target / ty[r], 9, "nearest", rng)
            if not X.inside(X.amount(yv, ys) * ty[r],
                            X.reading_interval(rep[0], rep[1], "truncated")):
                continue
            av, as_, _ = random_amount(rng, 3, 11)
            g = self.group()
            g.fact(2, self.source(g.gid, "t"), d - 1, xv, xs, x)
            g.fact(3, self.source(g.gid, "u"), d - 1, yv, ys, y)
            g.fact(1, self.source(g.gid), d, av, as_, a, None, (rep[0], rep[1], b),
                   "chained stale-split")
            return g
        return None

    def want(self, tag, builder, tries=200, **kw):
        """Builds candidates until the reference says one exercises tag
        (explain.case_tags under the scenario's first run); keeps it."""
        rates, o = self.w.runs[0]
        for _ in range(tries):
            saved = self.n
            g = builder(**kw)
            if g is None:
                continue
            facts = [X.fact_from_row(r, rates, i) for i, r in enumerate(g.rows)]
            prov_rank = {p: i for i, p in enumerate(X.ranking_order(rates, o))}
            if any(tag in X.case_tags(e, prov_rank) for e in X.explain_all(facts, rates, o)):
                for fid in g.intents:
                    g.intents[fid] += " want:" + tag
                self.wanted[tag] = self.wanted.get(tag, 0) + 1
                return self.keep(g)
            self.n = saved  # reuse the group's id
        return False


# ---- scenarios ----------------------------------------------------------------------

ALIASES = {"USD": ["$", "US$"], "GBP": ["£"], "CNY": ["yuan", "RMB"], "EUR": ["€"],
           "JPY": ["yen"]}


def build(gen, plan, scale):
    """plan: (count, builder, kwargs); a "want" entry is (count, "want",
    (tag, builder, kwargs))."""
    for n, fn, kw in plan:
        for _ in range(max(1, round(n * scale))):
            if fn == "want":
                tag, b, bkw = kw
                gen.want(tag, b, **bkw)
            else:
                gen.keep(fn(**kw))


def scenario_ecb(out, rng, scale):
    rates = load_rates([os.path.join(TOP, "rates")])
    w = World(rates, ["ECB"],
              ["EUR", "USD", "JPY", "GBP", "CHF", "CNY", "SEK", "AUD", "CAD", "HKD", "KRW",
               "INR", "BRL", "ZAR", "PLN"],
              X.day_of("2009-03-01"), X.day_of("2025-05-09"), [(rates, lookup_opts())])
    wr = Writer()
    g = Gen(w, rng, wr, "e", aliases=ALIASES)
    build(g, [(240, g.direct, {}), (40, g.direct, {"coarse": True}),
              (30, g.direct, {"unexplained": True}),
              (25, g.direct, {"edge": "upper"}), (25, g.direct, {"edge": "lower"}),
              (20, g.direct, {"edge": "open"}), (10, g.direct, {"edge": "exact"}),
              (110, g.chained, {}), (40, g.chained, {"late": True}),
              (40, g.chained, {"value_vs_reported": True}),
              (50, g.chained, {"duplicates": True}),
              (10, g.chained, {"edge": "upper"}), (10, g.chained, {"edge": "lower"}),
              (30, g.series, {}), (10, g.series, {"off": True}), (8, g.same_currency, {}),
              (8, "want", ("decided-by:chained", g.chained, {"coarse": True})),
              (8, "want", ("decided-by:average", g.direct, {"coarse": True})),
              (8, "want", ("decided-by:base", g.chained,
                           {"coarse": True, "duplicates": True, "extra_bases": 2})),
              (8, "want", ("decided-by:value-before-reported", g.chained,
                           {"value_vs_reported": True})),
              (5, "want", ("renamed-base", g.chained, {"duplicates": True}))], scale)
    d = os.path.join(out, "ecb")
    os.makedirs(d, exist_ok=True)
    f = os.path.join(d, "facts.csv")
    wr.save(f)
    return [("ecb", [f, "-r", "rates"]), ("ecb-fred", [f, "-r", "rates", "-r", "rates/fred"])], g


def scenario_fred(out, rng, scale):
    rates = load_rates([os.path.join(TOP, "rates"), os.path.join(TOP, "rates", "fred")])
    w = World(rates, ["FED-H10", "ECB"], ["USD", "GBP", "CNY"],
              X.day_of("2006-01-01"), X.day_of("2025-05-09"),
              [(rates, lookup_opts()), (rates, lookup_opts(["FED-H10", "ECB"]))])
    wr = Writer()
    g = Gen(w, rng, wr, "f", aliases=ALIASES)
    build(g, [(100, g.direct, {}), (20, g.direct, {"coarse": True}),
              (10, g.direct, {"unexplained": True}),
              (40, g.chained, {}), (20, g.chained, {"duplicates": True}),
              (15, g.chained, {"late": True}), (10, g.series, {}),
              (10, "want", ("decided-by:provider", g.direct, {"coarse": True}))], scale)
    d = os.path.join(out, "fred")
    os.makedirs(d, exist_ok=True)
    f = os.path.join(d, "facts.csv")
    wr.save(f)
    return [("fred", [f, "-r", "rates", "-r", "rates/fred"]),
            ("fred-first", [f, "-r", "rates", "-r", "rates/fred", "--provider", "FED-H10,ECB",
                            "--infer-window", "10"])], g


# constructed providers: (provider, file, currencies vs USD, gap rate)
LONG_CCYS = {"TWD": 32, "ARS": 900, "VND": 25000, "NGN": 1500, "EGP": 48, "KES": 130,
             "GBP": Fraction(79, 100)}


def friendly_near(level, rng):
    """A 2^a 5^b x 10^k number within about 25% of level: a rate whose
    products and quotients stay exact decimals."""
    best = []
    for a in range(0, 12):
        for b in range(0, 8):
            v = Fraction(2 ** a * 5 ** b)
            while v > level * 2:
                v /= 10
            while v < level / 2:
                v *= 10
            if abs(v - level) <= level / 4:
                best.append(v)
    return rng.choice(best)


def long_rates(rng, path):
    """alpha.csv, beta.csv, mixed.csv: see the module's docstring."""
    first, last = X.day_of("2024-01-01"), X.day_of("2024-12-31")
    cal = [d for d in range(first, last + 1) if dt.date.fromordinal(d).weekday() < 5]
    walk = {}
    for c, lvl in LONG_CCYS.items():
        lv = Fraction(lvl)
        series = {}
        for d in cal:
            lv *= Fraction(1000 + rng.randint(-6, 6), 1000)
            series[d] = lv
        walk[c] = series

    def value(level):
        if rng.random() < 0.3:
            v = friendly_near(level, rng)
        else:
            v = Fraction(fixed(level, 6 - int_digits(level), "nearest"))
        return exact_text(v, terminating_places(v))

    # each provider's own small offset from the common level, per currency
    off = {(p, c): Fraction(1000 + rng.randint(-4, 4), 1000)
           for p in ("alpha", "beta", "gamma", "delta") for c in LONG_CCYS}
    rows = {"alpha": [], "beta": [], "mixed": []}
    own = {}  # (provider, ccy, day) -> text, for copies
    spec = {"alpha": (list(LONG_CCYS), 0.04), "beta": (list(LONG_CCYS), 0.06),
            "gamma": (["TWD", "NGN", "GBP", "EGP"], 0.10), "delta": (["TWD", "ARS", "KES"], 0.08)}
    for prov, (ccys, gap) in spec.items():
        hol = set(rng.sample(cal, 6))  # the provider's own holidays
        for c in ccys:
            for d in cal:
                if d in hol or rng.random() < gap:
                    continue  # a missing day of this provider and currency
                if prov == "beta" and c == "TWD" and ("alpha", c, d) in own:
                    v = own[("alpha", c, d)]  # alpha's and beta's TWD agree
                else:
                    v = value(walk[c][d] * off[(prov, c)])
                own[(prov, c, d)] = v
                row = [X.iso(d), "USD", c, v]
                if prov == "alpha":
                    rows["alpha"].append(row)
                elif prov == "beta":
                    rows["beta"].append(row + ["beta"])
                else:
                    rows["mixed"].append(row + [prov])
    # beta: a direct TWD/KES rate on some days, off the cross by a little
    for d in cal:
        if rng.random() < 0.3 and ("beta", "TWD", d) in own and ("beta", "KES", d) in own:
            cross = Fraction(own[("beta", "KES", d)]) / Fraction(own[("beta", "TWD", d)])
            v = cross * Fraction(1000 + rng.choice([-9, -5, 5, 9]), 1000)
            rows["beta"].append([X.iso(d), "TWD", "KES", fixed(v, 6 - int_digits(v), "nearest"),
                                 "beta"])
    # delta: EUR legs too (EUR is the smaller code: its cross wins on the
    # days it has both), and EUR/USD
    for d in cal:
        if rng.random() < 0.7:
            eur = Fraction(108, 100) * Fraction(1000 + rng.randint(-20, 20), 1000)
            rows["mixed"].append([X.iso(d), "EUR", "USD", fixed(eur, 5, "nearest"), "delta"])
            for c in ("TWD", "ARS"):
                if rng.random() < 0.6:
                    v = walk[c][d] * eur * Fraction(1000 + rng.randint(-15, 15), 1000)
                    rows["mixed"].append([X.iso(d), "EUR", c, fixed(v, 6 - int_digits(v),
                                                                    "nearest"), "delta"])
    os.makedirs(path, exist_ok=True)
    # gamma's first row before delta's: load order gamma, delta; by name delta first
    rows["mixed"].sort(key=lambda r: (r[0], r[4] != "gamma"))
    for name, head in (("alpha", ["date", "base", "quote", "rate"]),
                       ("beta", ["date", "base", "quote", "rate", "source"]),
                       ("mixed", ["date", "base", "quote", "rate", "source"])):
        with open(os.path.join(path, name + ".csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(head)
            w.writerows(sorted(rows[name], key=lambda r: r[0]))


def scenario_long(out, rng, scale):
    d = os.path.join(out, "long")
    rp = os.path.join(d, "rates")
    long_rates(rng, rp)
    with_ecb = load_rates([os.path.join(TOP, "rates"), rp])
    alone = load_rates([rp])
    w = World(with_ecb, ["alpha", "beta", "gamma", "delta"], list(LONG_CCYS) + ["USD"],
              X.day_of("2024-02-01"), X.day_of("2024-12-31"),
              [(with_ecb, lookup_opts(["beta", "alpha"])), (alone, lookup_opts()),
               (alone, lookup_opts(["delta", "gamma", "beta", "alpha"]))])
    wr = Writer()
    g = Gen(w, rng, wr, "l", negatives=True)
    build(g, [(140, g.direct, {}), (30, g.direct, {"coarse": True}),
              (20, g.direct, {"unexplained": True}), (10, g.direct, {"zero": True}),
              (30, g.direct, {"edge": "upper"}), (30, g.direct, {"edge": "lower"}),
              (25, g.direct, {"edge": "open"}), (10, g.direct, {"edge": "exact"}),
              (80, g.chained, {}), (25, g.chained, {"late": True}),
              (30, g.chained, {"value_vs_reported": True}),
              (30, g.chained, {"duplicates": True}),
              (12, g.chained, {"edge": "upper"}), (12, g.chained, {"edge": "lower"}),
              (8, g.chained, {"edge": "open"}),
              (40, g.provider_tie, {"pairs": [("TWD", "USD"), ("TWD", "GBP"), ("TWD", "NGN")]}),
              (25, g.series, {}), (10, g.series, {"off": True}),
              (8, "want", ("decided-by:chained", g.chained, {"coarse": True})),
              (8, "want", ("decided-by:average", g.chained,
                           {"coarse": True, "extra_bases": 2})),
              (8, "want", ("decided-by:truncated", g.stale_split, {})),
              (8, "want", ("decided-by:base", g.chained, {"coarse": True, "extra_bases": 2})),
              (8, "want", ("decided-by:value-before-reported", g.chained,
                           {"value_vs_reported": True})),
              (6, "want", ("truncated-negative", g.direct, {"coarse": True})),
              (4, "want", ("edge:truncated-closed", g.direct, {"edge": "exact"}))], scale)
    f = os.path.join(d, "facts.csv")
    wr.save(f)
    return [("long", [f, "-r", "rates", "-r", rp, "--provider", "beta,alpha"]),
            ("long-default", [f, "-r", rp]),
            ("long-window7", [f, "-r", rp, "--provider", "delta,gamma,beta,alpha",
                              "--infer-window", "7"])], g


# ---- coverage -------------------------------------------------------------------------

# What the generated conversions must exercise, as explain.case_tags names
# it (each at least once over all runs).
REQUIRED = [
    "best:none", "best:chained", "best:stale", "best:month-average", "best:truncated",
    "best:chained+stale", "best:chained+month-average", "best:chained+truncated",
    "best:stale+month-average", "best:stale+truncated", "best:month-average+truncated",
    "decided-by:assumptions", "decided-by:R", "decided-by:provider", "decided-by:chained",
    "decided-by:average", "decided-by:truncated", "decided-by:base",
    "decided-by:value-before-reported",
    "edge:nearest-low", "edge:nearest-high", "edge:truncated-closed", "edge:truncated-open",
    "truncated-negative", "truncated-zero", "late-base", "merged-base", "renamed-base",
    "leading-zero-base", "same-currency", "unexplained",
]
MIN_CONVERSIONS = 2000


def coverage(gendir, tagdir):
    """Prints, as TAP comments, how many conversions of each run exercise
    each case; returns the cases REQUIRED that none exercised, and the
    number of conversions."""
    runs = [line.split("\t")[0] for line in open(os.path.join(gendir, "runs.tsv"))]
    counts = {}
    total = {}
    for run in runs:
        path = os.path.join(tagdir, run + ".tags")
        if not os.path.exists(path):
            continue
        for line in open(path):
            fid, _, tags = line.rstrip("\n").partition("\t")
            total[run] = total.get(run, 0) + 1
            for t in tags.split():
                counts.setdefault(t, {}).setdefault(run, 0)
                counts[t][run] += 1
    done = [r for r in runs if r in total]
    print("# %-44s %s %7s" % ("case", " ".join("%12s" % r for r in done), "all"))
    print("# %-44s %s %7d" % ("audited priced conversions",
                              " ".join("%12d" % total[r] for r in done), sum(total.values())))
    for t in sorted(set(counts) | set(REQUIRED)):
        c = counts.get(t, {})
        print("# %-44s %s %7d" % (t, " ".join("%12d" % c.get(r, 0) for r in done),
                                  sum(c.values())))
    return [t for t in REQUIRED if t not in counts], sum(total.values())


def main(argv):
    if argv and argv[0] == "--coverage":  # --coverage GENDIR TAGDIR [MIN_CONVERSIONS]
        least = int(argv[3]) if len(argv) > 3 else MIN_CONVERSIONS
        missing, n = coverage(argv[1], argv[2])
        if missing:
            print("# no generated conversion exercises: " + ", ".join(missing))
        if n < least:
            print("# only %d audited priced conversions, want %d" % (n, least))
        return 1 if missing or n < least else 0
    out = argv[0]
    seed = 20260602
    scale = 1.0
    if "--seed" in argv:
        seed = int(argv[argv.index("--seed") + 1])
    if "--scale" in argv:
        scale = float(argv[argv.index("--scale") + 1])
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    runs = []
    intents = {}
    for sc in (scenario_ecb, scenario_fred, scenario_long):
        r, gen = sc(out, rng, scale)
        runs += r
        intents.update(gen.out.intents)
        for tag, n in sorted(gen.wanted.items()):
            print("%s: %d groups kept for %s" % (sc.__name__, n, tag), file=sys.stderr)
    with open(os.path.join(out, "runs.tsv"), "w") as f:
        for name, args in runs:
            f.write("\t".join([name] + args) + "\n")
    with open(os.path.join(out, "intents.tsv"), "w") as f:
        for fid, tags in sorted(intents.items()):
            f.write("%s\t%s\n" % (fid, tags))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
