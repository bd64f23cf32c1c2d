#!/usr/bin/python3
"""explain - an exact reference of SPEC 5.1 (explanations) and of
implied_rates.csv, as docs/explanations.md reads them.

Usage:
  explain.py [OPTIONS] FACTS.csv... -r RATES [-r RATES...]
      prints, per audited priced conversion, a line
      fact_id TAB explained_by TAB alternatives, then the implied rate
      rows (implied_rates.csv's lines after a line "#implied").
  explain.py [OPTIONS] FACTS.csv... -r RATES... --write DIR
      writes DIR/explanations.csv (fact_id,explained_by,alternatives) and
      DIR/implied_rates.csv as fxbook would.
  explain.py [OPTIONS] FACTS.csv... -r RATES... --compare CSVDIR
      compares fxbook's CSVDIR/conversions.csv (explained_by,
      alternatives) and CSVDIR/implied_rates.csv with the reference row by
      row; prints each difference as a "# " line, then
      "RESULT explanations ok|differ N|missing", "RESULT implied ..." and
      "RESULT matching ..." (matching_rate_dates against the reference's
      direct spot nearest days: its rate lookup checked on what fxbook
      already does); exit 0 when all are ok, else 1.
  explain.py ... --cases
      also prints, per conversion, what it exercises (case_tags: the
      best hypothesis's assumptions, the ranking level that decided it,
      interval bounds hit exactly...), for the coverage table.
  explain.py ... --tags FILE
      writes those tags to FILE (fact_id TAB tags), in any mode.

OPTIONS are fxbook's that matter here: -r/--rates, --provider,
--infer-window (30), --date, --fallback (previous), --max-stale (7);
the others fxbook takes (-o, -t, --csv-dir, -q, --places, --rounding,
--tolerance, --basis, --fail-on) are accepted and ignored: none changes
an explanation.

Everything is exact (fractions.Fraction); doubles only skip products that
are far (relative 1e-9) from every bound, never decide one near it.

What the reference reads: facts files (SPEC 2; a sources file is skipped
by its header), the ECB history, long files (date,base,quote,rate[,source])
and FRED H.10 series; aliases files. Not Bank of England exports (an
error here). Rates are assumed valid (fxbook checks them); a cross whose
product would need more than 18 significant digits (fxbook then skips the
day) is not modelled: the generated rates keep crosses short.

The lookup of SPEC 3 for one provider P on one day R, no fallback: a
direct rate of the pair on R (given either way round), else a cross
A -> C -> B with both legs P's on R, C the intermediate with the smallest
code that has both (src/rates.c tries crosses in code order; a direct or
inverse rate beats every cross). Any hub works: EUR for the ECB, USD for
FED-H10, whatever a long file links.
"""

import bisect
import csv
import datetime as dt
import os
import sys
from fractions import Fraction

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCALES = {"": 0, "thousand": 3, "million": 6, "billion": 9, "trillion": 12}
UNIT_WORDS = ("count", "percent", "days", "months", "years")
FRED_SERIES = {  # src/rates_fred.c's table: 1 base = x quote
    "DEXUSUK": ("GBP", "USD"), "DEXUSEU": ("EUR", "USD"), "DEXUSAL": ("AUD", "USD"),
    "DEXUSNZ": ("NZD", "USD"), "DEXCHUS": ("USD", "CNY"), "DEXJPUS": ("USD", "JPY"),
    "DEXCAUS": ("USD", "CAD"), "DEXSZUS": ("USD", "CHF"), "DEXINUS": ("USD", "INR"),
    "DEXKOUS": ("USD", "KRW"), "DEXHKUS": ("USD", "HKD"), "DEXSIUS": ("USD", "SGD"),
    "DEXMXUS": ("USD", "MXN"), "DEXBZUS": ("USD", "BRL"), "DEXSDUS": ("USD", "SEK"),
    "DEXNOUS": ("USD", "NOK"), "DEXDNUS": ("USD", "DKK"), "DEXSFUS": ("USD", "ZAR"),
    "DEXTAUS": ("USD", "TWD"), "DEXTHUS": ("USD", "THB"), "DEXMAUS": ("USD", "MYR"),
    "DEXSLUS": ("USD", "LKR"), "DEXVZUS": ("USD", "VEF"),
}


def day_of(s):
    return dt.date.fromisoformat(s).toordinal()


def iso(day):
    return dt.date.fromordinal(day).isoformat()


def dec(s):
    """A plain decimal string, exactly."""
    neg = s.startswith("-")
    ip, _, fp = s.lstrip("-").partition(".")
    v = Fraction(int(ip + fp), 10 ** len(fp))
    return -v if neg else v


# ---- rates --------------------------------------------------------------

class Rates:
    """Every loaded rate by provider and pair, as given; pricing on a day."""

    def __init__(self):
        self.providers = []  # in load order of their first rate
        self.given = {}      # provider -> {(base, quote): {day: str}}
        self.nbrs = {}       # provider -> {ccy: set of ccys it is linked with}
        self.aliases = {}
        self.has_aliases = False
        self._legs = {}
        self._pairs = {}
        self._avg = {}

    # loading

    def add(self, prov, day, base, quote, value):
        if prov not in self.given:
            self.providers.append(prov)
            self.given[prov] = {}
            self.nbrs[prov] = {}
        self.given[prov].setdefault((base, quote), {}).setdefault(day, value)
        self.nbrs[prov].setdefault(base, set()).add(quote)
        self.nbrs[prov].setdefault(quote, set()).add(base)

    def load(self, path):
        """A file, or every *.csv of a folder (not hidden ones, no
        subfolders) in byte order of their names, as fxbook loads them."""
        if os.path.isdir(path):
            names = sorted((n for n in os.listdir(path)
                            if n.endswith(".csv") and len(n) > 4 and not n.startswith(".")),
                           key=lambda n: n.encode())
            for n in names:
                self.load_file(os.path.join(path, n))
        else:
            self.load_file(path)

    def load_file(self, path):
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        head = rows[0]
        if head[0] == "Date":
            self._load_ecb(head, rows[1:])
        elif head[:4] == ["date", "base", "quote", "rate"]:
            own = os.path.basename(path)[:-4] if path.endswith(".csv") else os.path.basename(path)
            for r in rows[1:]:
                if not r:
                    continue
                prov = r[4] if len(r) > 4 and r[4] else own
                self.add(prov, day_of(r[0]), r[1], r[2], r[3])
        elif head[0] in ("observation_date", "DATE") and len(head) > 1 and head[1] in FRED_SERIES:
            base, quote = FRED_SERIES[head[1]]
            for r in rows[1:]:
                if len(r) > 1 and r[1] not in ("", "."):
                    self.add("FED-H10", day_of(r[0]), base, quote, r[1])
        elif head[:2] == ["alias", "code"]:
            self.has_aliases = True
            for r in rows[1:]:
                if r:
                    self.aliases.setdefault(r[0], r[1])
        else:
            raise SystemExit("explain.py: %s: a rates header the reference does not read: %s"
                             % (path, ",".join(head[:3])))

    def _load_ecb(self, head, rows):
        cols = [(i, c) for i, c in enumerate(head) if i > 0 and c]
        for r in rows:
            if not r:
                continue
            day = day_of(r[0])
            for i, c in cols:
                v = r[i] if i < len(r) else ""
                if v not in ("", "N/A"):
                    self.add("ECB", day, "EUR", c, v)

    # pricing

    def leg(self, prov, a, b):
        """{day: 1 a in b} of P's rates between a and b, given either way
        round (an inverse is exact: fxbook rejects one that is not)."""
        key = (prov, a, b)
        if key not in self._legs:
            g = self.given.get(prov, {})
            t = {d: Fraction(1) / dec(v) for d, v in g.get((b, a), {}).items()}
            t.update((d, dec(v)) for d, v in g.get((a, b), {}).items())
            self._legs[key] = t
        return self._legs[key]

    def pair(self, prov, a, b):
        """(sorted days, {day: rate}) on which P prices a -> b, each day
        priced as the lookup of SPEC 3 with no fallback prices it: direct
        (or inverse) first, else the cross through the smallest code."""
        key = (prov, a, b)
        if key in self._pairs:
            return self._pairs[key]
        nb = self.nbrs.get(prov, {})
        t = {}
        if a != b and a in nb and b in nb:
            if b in nb[a]:
                t = dict(self.leg(prov, a, b))
            for c in sorted(nb[a]):
                if c == b or b not in nb.get(c, ()):
                    continue
                l1, l2 = self.leg(prov, a, c), self.leg(prov, c, b)
                for d in l1.keys() & l2.keys():
                    if d not in t:
                        t[d] = l1[d] * l2[d]
        res = (sorted(t), t)
        self._pairs[key] = res
        return res

    def window(self, prov, a, b, lo, hi):
        """[(day, rate)] of the days in [lo, hi] on which P prices a -> b.
        A currency in itself is priced at 1 on every calendar day, by any
        provider (SPEC 3's lookup: from == to needs no rate)."""
        if a == b:
            return [(d, Fraction(1)) for d in range(lo, hi + 1)]
        days, t = self.pair(prov, a, b)
        return [(d, t[d]) for d in days[bisect.bisect_left(days, lo):bisect.bisect_right(days, hi)]]

    def stale(self, prov, a, b, r, d):
        """R before the latest two days on or before D on which P prices
        a -> b (for a currency in itself: D and the day before)."""
        if a == b:
            return r < d - 1
        days, _ = self.pair(prov, a, b)
        return is_stale(days, r, d)

    def month_average(self, prov, a, b, day):
        """The exact mean of P's rates of a -> b on the days of day's month
        up to and including day on which P prices the pair."""
        if a == b:
            return Fraction(1)
        key = (prov, a, b, day)
        if key not in self._avg:
            days, t = self.pair(prov, a, b)
            d = dt.date.fromordinal(day)
            first = d.replace(day=1).toordinal()
            i, j = bisect.bisect_left(days, first), bisect.bisect_right(days, day)
            self._avg[key] = sum((t[x] for x in days[i:j]), Fraction(0)) / (j - i)
        return self._avg[key]

    def resolve(self, unit):
        """A unit as fxbook reads it: a unit word (None: not money), an
        alias, or else an ISO code."""
        if unit in UNIT_WORDS:
            return None
        # fxbook rejects an alias that is a currency's code, so an alias
        # first is the same as a code first
        return self.aliases.get(unit, unit)


# ---- options and inputs ---------------------------------------------------

class Opts:
    def __init__(self):
        self.facts = []
        self.rates = []
        self.providers = None
        self.window = 30
        self.date = None
        self.fallback = "previous"
        self.max_stale = 7  # None: no limit
        self.write = None
        self.compare = None
        self.cases = False
        self.tags = None


IGNORED_WITH_VALUE = {"-o", "--output", "-t", "--target", "--csv-dir", "--places", "--rounding",
                      "--tolerance", "--basis", "--fail-on"}
IGNORED = {"-q", "--quiet", "-v", "--verbose", "--check"}


def parse_args(argv):
    o = Opts()
    it = iter(argv)
    for a in it:
        name, eq, val = a.partition("=") if a.startswith("--") else (a, "", "")

        def value():
            return val if eq else next(it)
        if name in ("-r", "--rates"):
            o.rates.append(value())
        elif name == "--provider":
            o.providers = value().split(",")
        elif name == "--infer-window":
            o.window = int(value())
        elif name == "--date":
            o.date = day_of(value())
        elif name == "--fallback":
            o.fallback = value()
        elif name == "--max-stale":
            v = value()
            o.max_stale = None if v == "none" else int(v)
        elif name == "--write":
            o.write = value()
        elif name == "--compare":
            o.compare = value()
        elif name == "--cases":
            o.cases = True
        elif name == "--tags":
            o.tags = value()
        elif name in IGNORED_WITH_VALUE:
            value()
        elif name in IGNORED:
            pass
        elif a.startswith("-") and a != "-":
            raise SystemExit("explain.py: unknown option %s" % a)
        else:
            o.facts.append(a)
    if not o.rates:
        o.rates = [os.path.join(TOP, "rates")]
    return o


class Fact:
    __slots__ = ("fact_id", "claim", "source", "published", "as_of", "value", "scale", "unit",
                 "rvalue", "rscale", "runit", "order")


def fact_from_row(c, rates, order):
    """A fact from its row ({column: cell}); units resolved to ISO codes
    (None: not money)."""
    x = Fact()
    x.order = order
    x.fact_id, x.claim, x.source = c["fact_id"], c["claim"], c["source"]
    x.published = day_of(c["published"])
    x.as_of = day_of(c["as_of"]) if c.get("as_of") else None
    x.value, x.scale = c["value"], c.get("scale", "")
    x.unit = rates.resolve(c["unit"])
    x.rvalue, x.rscale = c.get("reported_value", ""), c.get("reported_scale", "")
    x.runit = rates.resolve(c["reported_unit"]) if c.get("reported_unit") else None
    return x


def read_facts(paths, rates):
    """Every fact of the facts files, in input order (sources files are
    skipped)."""
    facts = []
    for p in paths:
        with open(p, newline="", encoding="utf-8-sig") as f:
            rd = csv.reader(f)
            head = next(rd)
            if "fact_id" not in head:
                continue  # a sources file
            for r in rd:
                if r:
                    facts.append(fact_from_row(dict(zip(head, r)), rates, len(facts)))
    return facts


# ---- the rules --------------------------------------------------------------

def amount(value, scale):
    """value x its scale, exactly."""
    return dec(value) * 10 ** SCALES[scale]


def half_unit(value, scale):
    """h: half a unit of the last printed digit, times the scale."""
    places = len(value.partition(".")[2])
    return Fraction(5, 10 ** (places + 1)) * 10 ** SCALES[scale]


def reading_interval(value, scale, reading):
    """(lo, lo_closed, hi, hi_closed) of the printed figure under a
    reading: nearest [v - h, v + h]; truncated, cut toward zero:
    [v, v + 2h) for v > 0, (v - 2h, v] for v < 0, (-2h, 2h) for v = 0."""
    v, h = amount(value, scale), half_unit(value, scale)
    if reading == "nearest":
        return (v - h, True, v + h, True)
    if v > 0:
        return (v, True, v + 2 * h, False)
    if v < 0:
        return (v - 2 * h, False, v, True)
    return (-2 * h, False, 2 * h, False)


def inside(x, iv):
    lo, lo_closed, hi, hi_closed = iv
    return (x > lo or (lo_closed and x == lo)) and (x < hi or (hi_closed and x == hi))


def valuation(f, o):
    """D: --date, else as_of, else published."""
    if o.date is not None:
        return o.date
    return f.as_of if f.as_of is not None else f.published


def lookup_order(rates, o):
    """The providers SPEC 3's lookup tries: --provider's loaded names;
    none given: ECB alone when loaded, else every one in load order."""
    if o.providers:
        return [p for p in o.providers if p in rates.given]
    return ["ECB"] if "ECB" in rates.given else list(rates.providers)


def ranking_order(rates, o):
    """Providers in the ranking's order: --provider's (the default: ECB
    first if loaded, then the others in load order), then the rest of the
    loaded ones by name."""
    if o.providers:
        first = [p for p in o.providers if p in rates.given]
    else:
        first = (["ECB"] if "ECB" in rates.given else []) + \
            [p for p in rates.providers if p != "ECB"]
    rest = sorted((p for p in rates.providers if p not in first), key=lambda p: p.encode())
    return first + rest


def priced(rates, o, a, b, d):
    """The provider whose rate values a -> b on D under the run's
    --provider, --fallback and --max-stale (SPEC 3's lookup): the first
    in the lookup order that can; "" for a currency in itself; None when
    none can (the conversion is unverifiable)."""
    if a == b:
        return ""
    for p in lookup_order(rates, o):
        days, _ = rates.pair(p, a, b)
        i = bisect.bisect_right(days, d)
        if i == 0:
            continue
        r = days[i - 1]
        if o.fallback == "none" and r != d:
            continue
        if o.fallback == "previous" and o.max_stale is not None and d - r > o.max_stale:
            continue
        return p
    return None


class Base:
    """A base figure: the fact's own amount (direct) or a chained one."""
    __slots__ = ("ccy", "amount", "chained", "key", "printed", "source")

    def __init__(self, ccy, amt, chained, key, printed, source):
        self.ccy, self.amount, self.chained = ccy, amt, chained
        self.key, self.printed, self.source = key, printed, source


def decimal_text(value):
    """A printed value as fxbook's decimal text shows it: leading zeros
    dropped ("05.5" is 5.5), trailing ones kept ("5.50"), no "-0"."""
    neg = value.startswith("-")
    ip, dot, fp = value.lstrip("-").partition(".")
    ip = ip.lstrip("0") or "0"
    zero = set(ip + fp) <= {"0"}
    return ("-" if neg and not zero else "") + ip + dot + fp


def printed_figure(value, scale):
    """A base figure as an explanation names it: its value as printed
    (decimal_text), then its scale word."""
    return decimal_text(value) + (" " + scale if scale else "")


def base_figures(f, d, claim_facts, stats=None):
    """The direct base, then every chained one: a value or reported value
    of a money fact of f's claim published on or before D, in a currency
    neither f's unit nor its reported unit; one per (currency, exact
    amount), named after the smallest (fact_id, value before reported).
    stats (a set), when given, collects what the coverage counts:
    late-base (a third-currency figure published after D, left out),
    merged-base (one base figure printed twice), renamed-base (its
    smallest printer is late: named after another), leading-zero-base
    (printed "05.5", named 5.5)."""
    out = [Base(f.unit, amount(f.value, f.scale), False, ("", -1), None, None)]
    named, printers, late = {}, {}, {}
    for g in claim_facts:
        if g.unit is None:
            continue
        figs = [(g.unit, g.value, g.scale, 0)]
        if g.runit is not None:
            figs.append((g.runit, g.rvalue, g.rscale, 1))
        for ccy, value, scale, which in figs:
            if ccy in (f.unit, f.runit):
                continue
            k = (ccy, amount(value, scale))
            if g.published > d:
                late[k] = min(late.get(k, (g.fact_id, which)), (g.fact_id, which))
                continue
            printers[k] = printers.get(k, 0) + 1
            if stats is not None and decimal_text(value) != value:
                stats.add("leading-zero-base")
            cand = Base(ccy, k[1], True, (g.fact_id, which), printed_figure(value, scale),
                        g.source)
            if k not in named or cand.key < named[k].key:
                named[k] = cand
    if stats is not None:
        if late:
            stats.add("late-base")
        if any(n > 1 for n in printers.values()):
            stats.add("merged-base")
        if any(k in named and late[k] < named[k].key for k in late):
            stats.add("renamed-base")
    return out + sorted(named.values(), key=lambda b: b.key)


class Hyp:
    __slots__ = ("prov", "day", "basis", "base", "reading", "stale")

    def __init__(self, prov, day, basis, base, reading, stale):
        self.prov, self.day, self.basis = prov, day, basis
        self.base, self.reading, self.stale = base, reading, stale


def assumptions(h):
    """Chained, stale, month-average, truncated: each counts one."""
    return (h.base.chained + h.stale + (h.basis == "month-average")
            + (h.reading == "truncated"))


def rank_key(h, prov_rank):
    """Smaller is better: fewest assumptions; latest R; provider order;
    chained first; average first; truncated first; base figure's id."""
    return (assumptions(h), -h.day, prov_rank.get(h.prov, 0), not h.base.chained,
            h.basis != "month-average", h.reading != "truncated", h.base.key)


def is_stale(days, r, d):
    """R before the latest two days on or before D on which P prices the
    pair."""
    i = bisect.bisect_right(days, d)
    return i >= 2 and r < days[i - 2]


def written(h, d):
    """PROVIDER R BASIS[, via CCY FIGURE (SOURCE)][, truncated][, N day(s) before]"""
    s = "%s%s%s %s" % (h.prov, " " if h.prov else "", iso(h.day), h.basis)
    if h.base.chained:
        s += ", via %s %s (%s)" % (h.base.ccy, h.base.printed, h.base.source)
    if h.reading == "truncated":
        s += ", truncated"
    if h.stale:
        n = d - h.day
        s += ", %d day%s before" % (n, "" if n == 1 else "s")
    return s


def far_outside(x_approx, ivs_approx):
    """True when a product known to ~1e-15 relative is more than 1e-9
    (relative) outside every interval: no exact test needed."""
    for lo, hi in ivs_approx:
        m = 1e-9 * (abs(x_approx) + abs(lo) + abs(hi))
        if lo - m <= x_approx <= hi + m:
            return False
    return True


def hypotheses(f, d, bases, rates, o, stats=None):
    """Every hypothesis that explains f's reported figure. stats (a set),
    when given, collects the interval bounds some product hits exactly
    (edge:nearest-low, edge:nearest-high, edge:truncated-closed,
    edge:truncated-open) and the truncated readings of a negative or zero
    figure that explain it."""
    ivs = {r: reading_interval(f.rvalue, f.rscale, r) for r in ("nearest", "truncated")}
    approx = [(float(iv[0]), float(iv[2])) for iv in ivs.values()]
    out = []
    for base in bases:
        base_approx = float(base.amount)
        # a currency in itself: priced at 1 by no provider (one set of
        # days, named without a provider, ranked as the first provider)
        for p in ([""] if base.ccy == f.runit else rates.providers):
            for r, spot in rates.window(p, base.ccy, f.runit, d - o.window, d):
                stale = rates.stale(p, base.ccy, f.runit, r, d)
                for basis in ("spot", "month-average"):
                    rate = spot if basis == "spot" else rates.month_average(
                        p, base.ccy, f.runit, r)
                    if far_outside(base_approx * float(rate), approx):
                        continue
                    x = base.amount * rate
                    for reading, iv in ivs.items():
                        if inside(x, iv):
                            out.append(Hyp(p, r, basis, base, reading, stale))
                    if stats is not None:
                        note_edges(x, ivs, stats)
    return out


def note_edges(x, ivs, stats):
    lo, _, hi, _ = ivs["nearest"]
    if x == lo:
        stats.add("edge:nearest-low")
    if x == hi:
        stats.add("edge:nearest-high")
    lo, lo_closed, hi, hi_closed = ivs["truncated"]
    for bound, closed in ((lo, lo_closed), (hi, hi_closed)):
        if x == bound:
            stats.add("edge:truncated-closed" if closed else "edge:truncated-open")
    if inside(x, ivs["truncated"]):
        v = ivs["nearest"][0] + (ivs["nearest"][2] - ivs["nearest"][0]) / 2
        if v < 0:
            stats.add("truncated-negative")
        elif v == 0:
            stats.add("truncated-zero")


class Explained:
    __slots__ = ("fact", "d", "text", "alternatives", "best", "runner_up", "stats", "matching")


def explain_all(facts, rates, o, claim_facts=None):
    """Every audited priced conversion's explanation, in input order.
    claim_facts: the facts to take chained bases from (all of facts by
    default)."""
    by_claim = {}
    for g in (facts if claim_facts is None else claim_facts):
        by_claim.setdefault(g.claim, []).append(g)
    prov_rank = {p: i for i, p in enumerate(ranking_order(rates, o))}
    out = []
    for f in facts:
        if f.runit is None or f.unit is None:
            continue
        d = valuation(f, o)
        valued_by = priced(rates, o, f.unit, f.runit, d)
        if valued_by is None:
            continue
        e = Explained()
        e.fact, e.d, e.stats = f, d, set()
        bases = base_figures(f, d, by_claim[f.claim], e.stats)
        hs = hypotheses(f, d, bases, rates, o, e.stats)
        hs.sort(key=lambda h: rank_key(h, prov_rank))
        e.best = hs[0] if hs else None
        e.runner_up = hs[1] if len(hs) > 1 else None
        e.text = written(hs[0], d) if hs else "unexplained"
        e.alternatives = max(len(hs) - 1, 0)
        # SPEC 5's matching rate dates, as a check of the rate lookup: the
        # direct spot nearest hypotheses of the provider that valued it
        # (a currency in itself, valued by no provider: every provider's
        # days are the same calendar days)
        e.matching = sorted({h.day for h in hs
                             if not h.base.chained and h.basis == "spot" and
                             h.reading == "nearest" and valued_by in ("", h.prov)})
        out.append(e)
    return out


# ---- implied rate ranges ------------------------------------------------------

def rate_range(a, value, scale):
    """The rates r with a x r in the nearest interval of the printed
    figure (a != 0): [lo/a, hi/a], flipped when a < 0."""
    lo, _, hi, _ = reading_interval(value, scale, "nearest")
    return (lo / a, hi / a) if a > 0 else (hi / a, lo / a)


def sig_digits(x, sig, up):
    """x to sig significant digits, rounded toward +inf (up) or -inf,
    printed with exactly sig digits as fxbook prints a rate (facts.csv's
    `rate`): "7.267300000"; zero is "0"."""
    if x == 0:
        return "0"
    a = abs(x)
    k = len(str(a.numerator)) - len(str(a.denominator))  # 10^(k-1) <= a < 10^k
    while a >= Fraction(10) ** k:
        k += 1
    while a < Fraction(10) ** (k - 1):
        k -= 1
    places = sig - k
    y = x * Fraction(10) ** places
    t = -((-y.numerator) // y.denominator) if up else y.numerator // y.denominator
    if abs(t) == 10 ** sig:  # rounded up to the next power of ten
        t //= 10
        places -= 1
    neg, digits = t < 0, str(abs(t))
    if places > 0:
        digits = digits.rjust(places + 1, "0")
        digits = digits[:-places] + "." + digits[-places:]
    elif places < 0:
        digits += "0" * -places
    return ("-" if neg else "") + digits


def implied_rows(facts, rates, o):
    """implied_rates.csv's rows: (source, from, to, conversions, low,
    high, provider_days), by source (first appearance), from, to."""
    src_order = {}
    for f in facts:
        src_order.setdefault(f.source, len(src_order))
    groups = {}
    for f in facts:
        if f.runit is None or f.unit is None or f.unit == f.runit:  # no pair: no range
            continue
        d = valuation(f, o)
        a = amount(f.value, f.scale)
        if a == 0 or priced(rates, o, f.unit, f.runit, d) is None:
            continue
        groups.setdefault((f.source, f.unit, f.runit), []).append((f, d, a))
    provs = ranking_order(rates, o)
    rows = []
    for (src, ca, cb), convs in sorted(groups.items(),
                                       key=lambda kv: (src_order[kv[0][0]], kv[0][1], kv[0][2])):
        lo = hi = None
        for f, d, a in convs:
            l, h = rate_range(a, f.rvalue, f.rscale)
            lo = l if lo is None else max(lo, l)
            hi = h if hi is None else min(hi, h)
        low = high = ""
        pdays = []
        if lo <= hi:
            low, high = sig_digits(lo, 10, False), sig_digits(hi, 10, True)
            first = min(d for _, d, _ in convs) - o.window
            last = max(d for _, d, _ in convs)
            for p in provs:
                for r, rate in rates.window(p, ca, cb, first, last):
                    if lo <= rate <= hi:
                        pdays.append("%s %s" % (p, iso(r)))
        rows.append([src, ca, cb, str(len(convs)), low, high, ";".join(pdays)])
    return rows


# ---- output -----------------------------------------------------------------------

def csv_cell(s):
    """An explanation as conversions.csv holds it: one that would start a
    formula gets a ' first (src/export.c's put_provider)."""
    return "'" + s if s and s[0] in "=+-@\t\r" else s


def run(argv):
    o = parse_args(argv)
    rates = Rates()
    for p in o.rates:
        rates.load(p)
    if not rates.has_aliases:
        rates.load(os.path.join(TOP, "rates", "aliases.csv"))
    facts = read_facts(o.facts, rates)
    return o, rates, facts, explain_all(facts, rates, o), implied_rows(facts, rates, o)


def case_tags(e, prov_rank):
    """What a conversion exercises, for the coverage table: the best
    hypothesis's assumptions, the ranking level that put it before the
    runner-up, and the stats its search collected."""
    tags = sorted(e.stats) + (["same-currency"] if e.fact.unit == e.fact.runit else [])
    h = e.best
    if h is None:
        return ["unexplained"] + tags
    parts = [n for n, on in (("chained", h.base.chained), ("stale", h.stale),
                             ("month-average", h.basis == "month-average"),
                             ("truncated", h.reading == "truncated")) if on]
    tags.append("best:" + ("+".join(parts) if parts else "none"))
    if e.runner_up is not None:
        a, b = rank_key(h, prov_rank), rank_key(e.runner_up, prov_rank)
        names = ("assumptions", "R", "provider", "chained", "average", "truncated", "base")
        lvl = next((n for n, x, y in zip(names, a, b) if x != y), "same")
        tags.append("decided-by:" + lvl)
        if lvl == "base" and a[6][0] == b[6][0]:
            tags.append("decided-by:value-before-reported")
    return tags


def main(argv):
    o, rates, facts, expl, implied = run(argv)
    prov_rank = {p: i for i, p in enumerate(ranking_order(rates, o))}
    if o.tags:
        with open(o.tags, "w") as f:
            for e in expl:
                f.write("%s\t%s\n" % (e.fact.fact_id, " ".join(case_tags(e, prov_rank))))
    if o.write:
        os.makedirs(o.write, exist_ok=True)
        with open(os.path.join(o.write, "explanations.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["fact_id", "explained_by", "alternatives"])
            for e in expl:
                w.writerow([e.fact.fact_id, csv_cell(e.text), e.alternatives])
        with open(os.path.join(o.write, "implied_rates.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(IMPLIED_HEAD)
            w.writerows(implied)
        return 0
    if o.compare:
        return compare(o.compare, expl, implied)
    for e in expl:
        extra = "\t" + " ".join(case_tags(e, prov_rank)) if o.cases else ""
        print("%s\t%s\t%d%s" % (e.fact.fact_id, e.text, e.alternatives, extra))
    print("#implied")
    w = csv.writer(sys.stdout, lineterminator="\n")
    for r in implied:
        w.writerow(r)
    return 0


# ---- comparison with fxbook's --csv-dir ----------------------------------------------

IMPLIED_HEAD = ["source", "from", "to", "conversions", "low", "high", "provider_days"]


def compare(csvdir, expl, implied):
    """fxbook's CSV exports against the reference: each difference a "# "
    line, then one line per part, "RESULT explanations ok|differ N|missing"
    and "RESULT implied ...". Returns 0 when both parts are ok, else 1."""
    res = [compare_explanations(csvdir, expl), compare_implied(csvdir, implied),
           compare_matching(csvdir, expl)]
    for part, r in zip(("explanations", "implied", "matching"), res):
        print("RESULT %s %s" % (part, r))
    return 0 if res == ["ok", "ok", "ok"] else 1


def compare_matching(csvdir, expl):
    """conversions.csv's matching_rate_dates (SPEC 5, the audit's: the
    days of the provider that valued the conversion whose spot rate puts
    its own amount in the nearest interval) against the same subset of
    the reference's hypotheses: a check of the reference's rate lookup
    (pairs, crosses, missing days) on what fxbook already does."""
    path = os.path.join(csvdir, "conversions.csv")
    if not os.path.exists(path):
        return "missing"
    with open(path, newline="") as f:
        got = {r["fact_id"]: r.get("matching_rate_dates", "") for r in csv.DictReader(f)}
    bad = 0
    for e in expl:
        want = ";".join(iso(d) for d in e.matching)
        have = got.get(e.fact.fact_id)
        if have != want:
            bad += 1
            print("# matching: %s: fxbook %s; reference %s" % (e.fact.fact_id, have, want))
    print("# matching: %d compared, %d differ" % (len(expl), bad))
    return "differ %d" % bad if bad else "ok"


def compare_explanations(csvdir, expl):
    path = os.path.join(csvdir, "conversions.csv")
    if not os.path.exists(path):
        print("# explanations: no conversions.csv in %s" % csvdir)
        return "missing"
    with open(path, newline="") as f:
        rd = csv.DictReader(f)
        head = rd.fieldnames or []
        rows = list(rd)
    lacking = [c for c in ("explained_by", "alternatives") if c not in head]
    if lacking:
        print("# explanations: conversions.csv has no column %s (SPEC 7)" % " or ".join(lacking))
        return "missing"
    bad = 0
    got = {r["fact_id"]: r for r in rows}
    want = {e.fact.fact_id for e in expl}
    for r in rows:
        if r["verdict"] != "unverifiable" and r["fact_id"] not in want:
            print("# explanations: %s: fxbook audits it with a rate, the reference does not"
                  % r["fact_id"])
            bad += 1
    for e in expl:
        fid = e.fact.fact_id
        r = got.get(fid)
        if r is None or r["verdict"] == "unverifiable":
            print("# explanations: %s: no audited priced conversion in fxbook's "
                  "conversions.csv" % fid)
            bad += 1
            continue
        w = (csv_cell(e.text), str(e.alternatives))
        h = (r["explained_by"], r["alternatives"])
        if w != h:
            bad += 1
            print("# explanations: %s: fxbook %r, %s alternatives; reference %r, %s"
                  % (fid, h[0], h[1], w[0], w[1]))
    print("# explanations: %d compared, %d differ" % (len(expl), bad))
    return "differ %d" % bad if bad else "ok"


def compare_implied(csvdir, implied):
    path = os.path.join(csvdir, "implied_rates.csv")
    if not os.path.exists(path):
        print("# implied: no implied_rates.csv in %s (docs/explanations.md)" % csvdir)
        return "missing"
    with open(path, newline="") as f:
        have = list(csv.reader(f))
    bad = 0
    if not have or have[0] != IMPLIED_HEAD:
        print("# implied: header %s, want %s"
              % (",".join(have[0]) if have else "(empty file)", ",".join(IMPLIED_HEAD)))
        bad += 1
    have = have[1:]
    for i in range(max(len(have), len(implied))):
        h = have[i] if i < len(have) else None
        w = implied[i] if i < len(implied) else None
        if h != w:
            bad += 1
            note = ""
            if h and w and len(h) == 7 and h[:4] == w[:4] and h[6] == w[6] and \
                    all(_same_number(x, y) for x, y in zip(h[4:6], w[4:6])):
                note = " (the same numbers, written otherwise)"
            print("# implied: row %d: fxbook %s; reference %s%s"
                  % (i + 1, ",".join(h) if h else "(none)", ",".join(w) if w else "(none)",
                     note))
    print("# implied: %d rows compared, %d differ" % (len(implied), bad))
    return "differ %d" % bad if bad else "ok"


def _same_number(a, b):
    try:
        return (a == b == "") or dec(a) == dec(b)
    except (ValueError, IndexError):
        return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
