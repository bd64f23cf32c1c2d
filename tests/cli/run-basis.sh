#!/bin/sh
# run-basis - --basis and the basis column on the real binary: the bundled
# facts at --basis month-average give the January 2025 averages (every
# converted row checked against the exact mean of the ECB file, computed
# with Python's fractions), the column overrides --basis (spot stays spot,
# empty takes --basis), and the Facts sheet says which. Prints TAP.
set -u
cd "$(dirname "$0")/../.." || exit 2
BIN=${FXBOOK:-build/san/fxbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }

# mean.py FACTS.csv: each money row's rate and amount_target against the
# exact mean of the ECB history over its period up to its valuation date
# (basis from the file's own facts, or $2 for all); prints the bad rows.
cat > "$T/mean.py" <<'PY'
import csv, datetime as dt, math, sys
from fractions import Fraction as F
rows = list(csv.reader(open("rates/eurofxref-hist.csv")))
head = rows[0]
ecb = {c: {} for c in head[1:] if c}
for r in rows[1:]:
    for c, v in zip(head[1:], r[1:]):
        if c and v not in ("", "N/A"):
            ecb[c][r[0]] = F(v)
def rate(a, b, day):
    x = F(1) if a == "EUR" else ecb[a].get(day)
    y = F(1) if b == "EUR" else ecb[b].get(day)
    return None if x is None or y is None else y / x
def start(basis, d):
    if basis == "month-average": return d.replace(day=1)
    if basis == "quarter-average": return d.replace(month=(d.month - 1) // 3 * 3 + 1, day=1)
    if basis == "year-average": return d.replace(month=1, day=1)
def fixed(x, places):
    y = x * 10 ** places; t = math.floor(y); r = y - t
    if r > F(1, 2) or (r == F(1, 2) and t % 2): t += 1
    s = str(abs(t)).rjust(places + 1, "0")
    return ("-" if t < 0 else "") + s[:-places] + "." + s[-places:]
bases = dict(a.split("=") for a in sys.argv[3:])
bad = checked = 0
for r in csv.DictReader(open(sys.argv[1])):
    if not r["rate"] or r["unit"] == r["target"]:
        continue
    basis = bases.get(r["fact_id"], sys.argv[2])
    if basis == "spot":
        continue
    d = dt.date.fromisoformat(r["valuation_date"])
    s = start(basis, d)
    days = [rate(r["unit"], r["target"], (s + dt.timedelta(i)).isoformat()) for i in range((d - s).days + 1)]
    days = [x for x in days if x is not None]
    m = sum(days, F(0)) / len(days)
    want = fixed(F(r["amount"]) * m, 2)
    checked += 1
    if r["amount_target"] != want:
        bad += 1
        print("%s: %s, want %s (%s, %d days)" % (r["fact_id"], r["amount_target"], want, basis, len(days)))
print("checked %d" % checked)
PY

# 1. the bundled facts at --basis month-average: January 2025's averages
$BIN -q --basis month-average fixtures/bytedance-ai-2025.csv --csv-dir "$T/m" -o "$T/m.xlsx" 2> "$T/err"
rc=$?
/usr/bin/python3 "$T/mean.py" "$T/m/facts.csv" month-average > "$T/out" 2>&1
if [ $rc -eq 0 ] && grep -q '^checked [1-9]' "$T/out" && [ "$(wc -l < "$T/out")" -eq 1 ]; then
    ok "--basis month-average: every converted fact of the bundled facts at its January 2025 average ($(cat "$T/out"))"
else
    notok "--basis month-average: the January 2025 averages (exit $rc)"
    sed 's/^/# /' "$T/err" "$T/out" | head -10
fi
# a000-02, 40 billion yuan on 2025-01-22: 15 days, 2025-01-02 .. 2025-01-22
line=$(grep '^a000-02,' "$T/m/facts.csv")
if [ "$line" = "a000-02,ai_chips_china_2025,ai-news-digest,2025-01-22,40000000000,CNY,USD,2025-01-22,ECB,0.136644384473,5465775378.90" ]; then
    ok "a000-02: CNY 40 billion at the 2025-01 average to the 22nd is USD 5,465,775,378.90 (rate 0.136644384473)"
else
    notok "a000-02 at the month average: $line"
fi
/usr/bin/python3 - "$T/m.xlsx" > "$T/out" 2>&1 <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Facts"]
h = [c.value for c in ws[1]]
for r in ws.iter_rows(min_row=2, values_only=True):
    if r[0] == "a000-02":
        print(r[h.index("basis")], "|", r[h.index("Rates rows")], "|", r[h.index("USD unrounded (formula)")])
PY
if grep -qx 'month-average 2025-01, 15 days | [0-9]*–[0-9]*, [0-9]*–[0-9]* | =N[0-9]*\*SUMPRODUCT(Rates!\$D\$[0-9]*:\$D\$[0-9]*/Rates!\$D\$[0-9]*:\$D\$[0-9]*)/15' "$T/out"; then
    ok "Facts: a000-02's basis, its Rates rows and its formula ($(cat "$T/out"))"
else
    notok "Facts: a000-02's basis, Rates rows and formula"
    sed 's/^/# /' "$T/out"
fi

# 2. the column overrides --basis; empty takes it
$BIN -q --basis year-average -t USD fixtures/good/basis.csv --csv-dir "$T/c" 2> "$T/err"
rc=$?
/usr/bin/python3 "$T/mean.py" "$T/c/facts.csv" year-average f1=month-average f2=quarter-average \
    f3=year-average f4=spot > "$T/out" 2>&1
spot=$(grep '^f4,' "$T/c/facts.csv" | cut -d, -f8-)
if [ $rc -eq 0 ] && [ "$(cat "$T/out")" = "checked 4" ] && [ "$spot" = "2025-01-22,,1.00000000000,5.00" ]; then
    ok "the basis column overrides --basis: month, quarter, year and (empty) --basis's year average exact; USD in USD spot"
else
    notok "the basis column overrides --basis (exit $rc)"
    sed 's/^/# /' "$T/err" "$T/out" | head -10
fi
$BIN -q -t USD fixtures/good/basis.csv --csv-dir "$T/s" 2> "$T/err"
f5=$(grep '^f5,' "$T/s/facts.csv" | cut -d, -f8-)
f5spot=$(grep '^a000-02,' "$T/m/facts.csv" >/dev/null && $BIN -q -t USD fixtures/bytedance-ai-2025.csv --csv-dir "$T/p" 2>/dev/null; grep '^a000-02,' "$T/p/facts.csv" | cut -d, -f8-10)
if [ "${f5%,*}" = "$f5spot" ]; then
    ok "without --basis an empty basis cell is spot ($f5)"
else
    notok "without --basis an empty basis cell is spot: $f5 vs $f5spot"
fi
echo "1..$n"
