#!/usr/bin/python3
"""check_average - the Facts formulas of average bases (SPEC 3, 6) read back.

Usage: check_average.py PATH/TO/fxbook

Writes workbooks of month-, quarter- and year-average facts (direct,
inverse and cross pairs of the ECB history, and a small long rates file
whose days are priced directly, inversely and by crosses of both leg
directions, so that one average mixes every kind of day), then:

- evaluates every Facts formula exactly (fractions, from the Rates
  sheet's exact rate text and facts.csv's exact amount): it equals the
  nearest double the cell caches and, rounded half-even, facts.csv's
  amount_target; the basis column names the basis, period and days, and
  the Rates rows it cites are consecutive rows of the pair, one a day;
- replaces every cached formula value with a wrong one and has
  LibreOffice (a profile that forces recalculation) recompute the book:
  every formula comes back to fxbook's value within 1e-12 relative.

Prints TAP.
"""

import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal
from fractions import Fraction

import openpyxl

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SENTINEL = 987654321.0
_n = 0
_failed = 0


def ok(cond, desc, detail=None):
    global _n, _failed
    _n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (_n, desc))
    if not cond:
        _failed += 1
        for line in str(detail or "").splitlines()[:20]:
            print("#   " + line)
    sys.stdout.flush()
    return cond


def written(x):
    """A double as libxlsxwriter 1.1.4 prints it ("%.16G")."""
    return float("%.16G" % x)


def half_even(fr, places):
    q = fr * 10 ** places
    fl = q.numerator // q.denominator
    rem = q - fl
    if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and fl % 2 == 1):
        fl += 1
    return Decimal(fl).scaleb(-places)


RANGE = r"(?:Rates|'Rates \((\d+)\)')!\$D\$(\d+):\$D\$(\d+)"


def cells(rates, m, k):
    """The exact rates of a range match (groups k, k+1, k+2)."""
    sheet = "Rates" if not m.group(k) else "Rates (%s)" % m.group(k)
    lo, hi = int(m.group(k + 1)), int(m.group(k + 2))
    return [rates[(sheet, r)] for r in range(lo, hi + 1)], (sheet, lo, hi)


TERMS = [  # (pattern, exact sum of one term)
    (re.compile(r"AVERAGE\(%s\)" % RANGE), "avg"),
    (re.compile(r"SUM\(%s\)" % RANGE), lambda a: sum(a)),
    (re.compile(r"SUMPRODUCT\(1/%s\)" % RANGE), lambda a: sum(1 / x for x in a)),
    (re.compile(r"SUMPRODUCT\(%s\*%s\)" % (RANGE, RANGE)), lambda a, b: sum(x * y for x, y in zip(a, b))),
    (re.compile(r"SUMPRODUCT\(%s/%s\)" % (RANGE, RANGE)), lambda a, b: sum(x / y for x, y in zip(a, b))),
    (re.compile(r"SUMPRODUCT\(1/\(%s\*%s\)\)" % (RANGE, RANGE)), lambda a, b: sum(1 / (x * y) for x, y in zip(a, b))),
]


def evaluate(formula, amount, rates):
    """(exact value, [ranges cited]) of an average formula, or (None, why)."""
    m = re.match(r"^=([A-Z]+\d+)\*(.*)$", formula)
    if not m:
        return None, "not amount * rate: %r" % formula
    rest = m.group(2)
    div = 1
    d = re.match(r"^(.*)/(\d+)$", rest)
    if d:
        rest, div = d.group(1), int(d.group(2))
        if rest.startswith("(") and rest.endswith(")"):
            rest = rest[1:-1]
    total = Fraction(0)
    ranges = []
    for term in rest.split("+"):
        for pat, fn in TERMS:
            t = pat.fullmatch(term)
            if not t:
                continue
            a, ra = cells(rates, t, 1)
            ranges.append(ra)
            if fn == "avg":
                total += sum(a) / len(a)
            elif t.lastindex > 3:
                b, rb = cells(rates, t, 4)
                ranges.append(rb)
                if len(a) != len(b):
                    return None, "ranges of unequal length in %r" % formula
                total += fn(a, b)
            else:
                total += fn(a)
            break
        else:
            return None, "unexpected term %r in %r" % (term, formula)
    return Fraction(amount) * total / div, ranges


def run(args):
    e = dict(os.environ)
    e.pop("SOURCE_DATE_EPOCH", None)
    p = subprocess.run(args, cwd=TOP, env=e, capture_output=True, text=True)
    return p.returncode, p.stderr


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def rate_cells(wb):
    m = {}
    for ws in wb.worksheets:
        if ws.title == "Rates" or ws.title.startswith("Rates ("):
            for row in ws.iter_rows(min_row=2):
                if row[4].value is not None:
                    m[(ws.title, row[0].row)] = Fraction(row[4].value)
    return m


def rates_rows_text(ranges):
    out = []
    for sheet, lo, hi in sorted(ranges, key=lambda r: (r[0] != "Rates", r[0], r[1])):
        p = "" if sheet == "Rates" else "(%s) " % sheet[len("Rates ("):-1]
        out.append("%s%d" % (p, lo) if lo == hi else "%s%d\u2013%d" % (p, lo, hi))
    return ", ".join(out)


def check_book(book, csvdir, places, label):
    wbf = openpyxl.load_workbook(book)
    wbv = openpyxl.load_workbook(book, data_only=True)
    rates = rate_cells(wbv)
    ratesheets = {ws.title: ws for ws in wbv.worksheets}
    facts = read_csv(os.path.join(csvdir, "facts.csv"))
    by = {(r["fact_id"], r["target"]): r for r in facts}
    problems = []
    n = 0
    for ws in wbf.worksheets:
        if not (ws.title == "Facts" or ws.title.startswith("Facts (")):
            continue
        head = [c.value for c in ws[1]]
        targets = [(h.split(" ")[0], i) for i, h in enumerate(head) if h and h.endswith(" unrounded (formula)")]
        wv = wbv[ws.title]
        for row in ws.iter_rows(min_row=2):
            fid = row[0].value
            for t, i in targets:
                f = row[i].value
                basis = row[i + 4].value
                if not f or not ("AVERAGE" in f or "SUMPRODUCT" in f):
                    continue
                n += 1
                c = by[(fid, t)]
                exact, ranges = evaluate(f, c["amount"], rates)
                if exact is None:
                    problems.append("%s %s: %s" % (fid, t, ranges))
                    continue
                cached = wv.cell(row=row[i].row, column=i + 1).value
                if cached != written(float(exact)):
                    problems.append("%s %s: cached %r, exact %r (%s)" % (fid, t, cached, float(exact), f))
                if Decimal(c["amount_target"]) != half_even(exact, places):
                    problems.append("%s %s: facts.csv %s, formula %s" % (fid, t, c["amount_target"], half_even(exact, places)))
                m = re.match(r"^(month|quarter|year)-average (\S+), (\d+) days?$", basis or "")
                nd = int(m.group(3)) if m else -1
                if not m:
                    problems.append("%s %s: basis %r" % (fid, t, basis))
                if row[i + 5].value != rates_rows_text(ranges):
                    problems.append("%s %s: Rates rows %r, formula cites %s" % (fid, t, row[i + 5].value, rates_rows_text(ranges)))
                dates = []
                for sheet, lo, hi in ranges:
                    rs = ratesheets[sheet]
                    for r in range(lo, hi + 1):
                        dates.append(rs.cell(row=r, column=1).value)
                if m and not (nd <= len(dates) <= 2 * nd):
                    problems.append("%s %s: %d days, %d Rates rows" % (fid, t, nd, len(dates)))
                rate_date = wv.cell(row=row[i].row, column=i + 3).value
                if dates and max(dates) != rate_date:
                    problems.append("%s %s: last day averaged %r, rate date %r" % (fid, t, max(dates), rate_date))
    ok(n > 0 and not problems,
       "%s: %d average formulas: exact value = cached nearest double = facts.csv rounded; basis "
       "names period and days; Rates rows cited, consecutive, end on the rate date" % (label, n),
       "\n".join(problems))
    return n


def corrupt(src, dst):
    zin = zipfile.ZipFile(src)
    zout = zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED)
    n = 0
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename.startswith("xl/worksheets/sheet"):
            s, k = re.subn(r"(<f>[^<]*</f>)<v>[^<]*</v>", r"\1<v>%r</v>" % SENTINEL, data.decode())
            n += k
            data = s.encode()
        zout.writestr(item, data)
    zout.close()
    return n


PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def libreoffice(T, book, label):
    if not shutil.which("soffice"):
        ok(False, "LibreOffice (soffice) is installed (scripts/deps test installs libreoffice-calc-nogui)")
        return
    prof = T + "/lo-profile"
    if not os.path.isdir(prof):
        os.makedirs(prof + "/user")
        with open(prof + "/user/registrymodifications.xcu", "w") as f:
            f.write(PROFILE)
    wrong = "%s/wrong-%s/%s" % (T, label, os.path.basename(book))
    os.makedirs(os.path.dirname(wrong))
    k = corrupt(book, wrong)
    outdir = "%s/lo-%s" % (T, label)
    p = subprocess.run(["soffice", "-env:UserInstallation=file://" + prof, "--headless", "--norestore",
                        "--convert-to", "xlsx", "--outdir", outdir, wrong],
                       capture_output=True, timeout=300, env=dict(os.environ, HOME=prof))
    got = os.listdir(outdir) if os.path.isdir(outdir) else []
    if not ok(p.returncode == 0 and len(got) == 1, "%s: LibreOffice converts the book" % label, p.stderr):
        return
    wbf = openpyxl.load_workbook(book)
    wbv = openpyxl.load_workbook(book, data_only=True)
    lo = openpyxl.load_workbook(os.path.join(outdir, got[0]), data_only=True)
    problems = []
    checked = avg = 0
    for ws in wbf.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type != "f":
                    continue
                want = wbv[ws.title][c.coordinate].value
                g = lo[ws.title][c.coordinate].value
                checked += 1
                avg += "AVERAGE" in c.value or "SUMPRODUCT" in c.value
                if not isinstance(g, (int, float)) or g == SENTINEL or abs(g - want) > 1e-12 * abs(want):
                    problems.append("%s!%s %s: LibreOffice %r, fxbook %r" % (ws.title, c.coordinate, c.value, g, want))
    ok(k > 0 and checked == k and avg > 0 and not problems,
       "%s: every cached value made wrong; LibreOffice, forced to recalculate, gives back fxbook's "
       "exact value to 1e-12 relative in all %d formulas (%d of them averages)" % (label, checked, avg),
       "\n".join(problems))


LONG = """date,base,quote,rate,source
2025-01-02,EUR,USD,1.0321,test
2025-01-02,EUR,CNY,7.5538,test
2025-01-03,USD,CNY,7.3012,test
2025-01-06,CNY,USD,0.13702,test
2025-01-07,CNY,EUR,0.1322,test
2025-01-07,EUR,USD,1.0393,test
2025-01-08,USD,EUR,0.9671,test
2025-01-08,CNY,EUR,0.13219,test
2025-01-09,USD,EUR,0.96893,test
2025-01-09,EUR,CNY,7.5407,test
2025-04-01,EUR,USD,1.0794,test
2025-04-01,EUR,CNY,7.8391,test
"""


def main():
    fx = sys.argv[1]
    with tempfile.TemporaryDirectory() as T:
        # ECB: direct, inverse and cross pairs, every basis
        facts = T + "/ecb.csv"
        with open(facts, "w") as f:
            f.write("fact_id,entity,claim,source,published,value,scale,unit,quote,basis\n")
            k = 0
            for unit in ("EUR", "USD", "CNY", "GBP", "JPY"):
                for day in ("2024-02-29", "2024-12-31", "2025-01-22", "2025-03-15"):
                    for basis in ("month-average", "quarter-average", "year-average", "spot"):
                        k += 1
                        f.write("f%03d,E,c-%s,s,%s,1234.5678,million,%s,q,%s\n" % (k, unit, day, unit, basis))
            # two facts of one month and pair: the later one's block is reused
            f.write("g1,E,g,s,2025-01-31,1,,CNY,q,month-average\n")
            f.write("g2,E,g,s,2025-01-10,2,,CNY,q,month-average\n")
        rc, err = run([fx, "-q", "-t", "USD,EUR,JPY", "--places", "6", facts, "-o", T + "/ecb.xlsx",
                       "--csv-dir", T + "/ecb"])
        if ok(rc == 0, "ECB averages: fxbook writes the book", err):
            check_book(T + "/ecb.xlsx", T + "/ecb", 6, "ECB")
            libreoffice(T, T + "/ecb.xlsx", "ECB")
        # one provider's days of every kind in one average
        with open(T + "/long.csv", "w") as f:
            f.write(LONG)
        with open(T + "/mixed.csv", "w") as f:
            f.write("fact_id,entity,claim,source,published,value,unit,quote,basis\n")
            f.write("m1,E,m,s,2025-01-10,1000,CNY,q,month-average\n")
            f.write("m2,E,m,s,2025-04-30,1000,CNY,q,year-average\n")
            f.write("m3,E,n,s,2025-01-10,1000,USD,q,quarter-average\n")  # USD in USD: no rate
        rc, err = run([fx, "-q", "-r", T + "/long.csv", "--places", "10", T + "/mixed.csv",
                       "-o", T + "/mixed.xlsx", "--csv-dir", T + "/mixed"])
        if ok(rc == 0, "mixed kinds of day: fxbook writes the book", err):
            n = check_book(T + "/mixed.xlsx", T + "/mixed", 10, "mixed")
            wb = openpyxl.load_workbook(T + "/mixed.xlsx")
            fs = [c.value for row in wb["Facts"].iter_rows(min_row=2) for c in row
                  if isinstance(c.value, str) and c.value.startswith("=")]
            ok(n == 2 and any(f.count("+") >= 4 for f in fs),
               "mixed: one average sums direct, inverse and cross days of both leg directions", fs)
            libreoffice(T, T + "/mixed.xlsx", "mixed")
    print("1..%d" % _n)
    return 1 if _failed else 0


if __name__ == "__main__":
    sys.exit(main())
