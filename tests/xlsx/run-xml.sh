#!/bin/sh
# run-xml - text in the workbook is whole and valid XML 1.0 (SPEC 6): an
# entity of 25,000 CJK characters (75,000 bytes) comes back whole; input
# and rates paths that are not UTF-8 show each invalid byte as \xHH
# (upper-case hex); every option is shown in full (a --tolerance of 36
# places); and every workbook written here parses with expat
# (xmlcheck.py). Prints TAP.
set -u
BIN=${FXBOOK:-build/san/fxbook}
PY=/usr/bin/python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }

# 1. A 25,000-character CJK entity: past a 16-bit length in the claim rows.
$PY -c '
e = "\u4e2d" * 25000
print("fact_id,entity,claim,source,published,value,unit,quote")
print("f1,%s,c,s1,2025-01-22,40,CNY,q" % e)
print("f2,%s,c,s2,2025-01-22,41,CNY,q" % e)' > "$T/cjk.csv"
$BIN -q "$T/cjk.csv" -o "$T/cjk.xlsx" 2> "$T/stderr"
rc=$?
check "a 75,000-byte entity is written (exit 0)" '[ $rc -eq 0 ] && [ ! -s "$T/stderr" ]'
sed 's/^/# /' "$T/stderr" | head -3
check "it reads back whole from Comparison and Facts" \
    '$PY -c "
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
want = chr(0x4e2d) * 25000
def col(ws, name):  # the column headed name, wherever the layout puts it
    return [c.value for c in ws[1]].index(name) + 1
c, f = wb[\"Comparison\"], wb[\"Facts\"]
sys.exit(0 if c.cell(2, col(c, \"entity\")).value == want and f.cell(2, col(f, \"entity\")).value == want
         and f.cell(3, col(f, \"entity\")).value == want else 1)" "$T/cjk.xlsx"'

# 2. File names that are not UTF-8: caf<E9>.csv and a rates folder r<FF>.
cafe=$(printf 'caf\351.csv')
rdir=$(printf 'r\377')
mkdir "$T/$rdir"
cp rates/eurofxref-hist.csv "$T/$rdir/ecb.csv"
printf 'fact_id,entity,claim,source,published,value,unit,quote\nf1,E,c,s1,2025-01-22,40,CNY,q\n' > "$T/$cafe"
(cd "$T" && "$OLDPWD/$BIN" -q "$cafe" -r "$rdir" -o names.xlsx) 2> "$T/stderr"
rc=$?
check "inputs named in Latin-1 are read (exit 0)" '[ $rc -eq 0 ]'
sed 's/^/# /' "$T/stderr" | head -3
$PY - "$T/names.xlsx" > "$T/names" 2>&1 << 'PYEOF'
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for name in ("Summary", "Sources", "Rates"):
    for row in wb[name].iter_rows(values_only=True):
        for v in row:
            if isinstance(v, str) and ("caf" in v or "ecb" in v):
                print("%s: %s" % (name, v))
PYEOF
check "Summary shows the input as caf\\xE9.csv" 'grep -qx "Summary: caf\\\\xE9.csv" "$T/names"'
check "Summary shows the rates file as r\\xFF/ecb.csv" 'grep -qx "Summary: r\\\\xFF/ecb.csv" "$T/names"'
check "Sources shows the first input as caf\\xE9.csv" 'grep -qx "Sources: caf\\\\xE9.csv" "$T/names"'
check "Rates cites its file as r\\xFF/ecb.csv" 'grep -qx "Rates: r\\\\xFF/ecb.csv" "$T/names"'
sed 's/^/# /' "$T/names" | head -8

# 3. Every option in full: a tolerance with 36 places is not cut.
tol=0.000000000000000000000000000000000001
$BIN -q "$T/$cafe" --tolerance $tol -o "$T/tol.xlsx" 2> "$T/stderr"
rc=$?
$PY -c '
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
for row in wb["Summary"].iter_rows(values_only=True):
    if row[0] == "options":
        print(row[1])
print(wb.properties.description)' "$T/tol.xlsx" > "$T/options" 2>&1
check "Summary's options show --tolerance $tol in full" \
    '[ $rc -eq 0 ] && grep -q -- "--tolerance $tol --infer-window 30\$" "$T/options"'
check "so do the document's comments" '[ "$(grep -c -- "--tolerance $tol " "$T/options")" -eq 2 ]'
sed 's/^/# /' "$T/options"

# 4. Every workbook written above is valid XML 1.0, part by part.
$PY tests/xlsx/xmlcheck.py "$T" > "$T/xml" 2>&1
rc=$?
check "every XML part of the $(grep -c . "$T/xml") workbooks parses with expat" '[ $rc -eq 0 ]'
sed 's/^/# /' "$T/xml"
echo "1..$n"
