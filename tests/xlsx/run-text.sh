#!/bin/sh
# run-text - every free-text and id cell of every accepted input is a text
# cell in Facts with exactly the input's content: formula injection
# (=, +, -, @, a tab then =), ids that look like numbers or dates, quotes,
# newlines, a 32,767-character note. Read back with openpyxl; every XML
# part parsed with expat (xmlcheck.py). Prints TAP.
set -u
BIN=${FXBOOK:-build/san/fxbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
for f in fixtures/good/*.csv; do
    name=$(basename "$f" .csv)
    n=$((n + 1))
    if ! $BIN -q "$f" -o "$T/$name.xlsx" 2> "$T/err"; then
        echo "not ok $n - $name: fxbook failed"; sed 's/^/# /' "$T/err" | head -3; continue
    fi
    if /usr/bin/python3 - "$f" "$T/$name.xlsx" > "$T/out" 2>&1 << 'PYEOF'
import csv, sys
import re
import openpyxl
OURS = re.compile(r"^=[A-Z]+[0-9]+([*/](Rates|'Rates \([0-9]+\)')!\$[A-Z]+\$[0-9]+)*$")
# an average (SPEC 3): the amount times the mean of Rates ranges
R = r"(?:Rates|'Rates \([0-9]+\)')!\$D\$[0-9]+:\$D\$[0-9]+"
TERM = rf"(?:SUM\({R}\)|SUMPRODUCT\((?:1/{R}|{R}[*/]{R}|1/\({R}\*{R}\))\))"
AVG = re.compile(rf"^=[A-Z]+[0-9]+\*(?:AVERAGE\({R}\)|{TERM}/[0-9]+|\({TERM}(?:\+{TERM})+\)/[0-9]+)$")
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
wb = openpyxl.load_workbook(sys.argv[2])
ws = wb["Facts"]
head = [c.value for c in ws[1]]
col = {h: i for i, h in enumerate(head)}
bad = 0
got = list(ws.iter_rows(min_row=2))
if len(got) != len(rows):
    print(f"{len(got)} rows in Facts, {len(rows)} in the input"); sys.exit(1)
for want, cells in zip(rows, got):
    for name in ("fact_id", "entity", "claim", "source", "quote", "note"):
        w = want.get(name) or None
        c = cells[col[name]]
        if c.value != w or (w is not None and c.data_type != "s"):
            print(f"{want['fact_id']}.{name}: {c.value!r} ({c.data_type}), want {w!r}")
            bad += 1
# the only formulas are fxbook's own: "=" + a cell reference and Rates legs
for sheet in wb.worksheets:
    for row in sheet.iter_rows():
        for c in row:
            if c.data_type == "f" and not (OURS.match(str(c.value)) or AVG.match(str(c.value))):
                print(f"unexpected formula {c.value!r} in {sheet.title}!{c.coordinate}"); bad += 1
sys.exit(1 if bad else 0)
PYEOF
    then
        echo "ok $n - $name: ids and free text are text cells, exactly as written"
    else
        echo "not ok $n - $name"; sed 's/^/# /' "$T/out" | head -10
    fi
done
n=$((n + 1)) # and every workbook written above is valid XML 1.0, part by part
if /usr/bin/python3 tests/xlsx/xmlcheck.py "$T" > "$T/xml" 2>&1; then
    echo "ok $n - every XML part of every workbook written here parses with expat"
else
    echo "not ok $n - a workbook written here is not valid XML"; grep -v '^ok' "$T/xml" | sed 's/^/# /' | head -10
fi
echo "1..$n"
