#!/bin/sh
# run-limits - Excel's row limit on a real file: 1,048,576 facts fill
# Facts to its last row (1,048,575 facts under the header) and the last
# fact continues on "Facts (2)". Release build: this is a million rows.
set -u
BIN=${FXBOOK_RELEASE:-build/fxbook}
PY=/usr/bin/python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
awk 'BEGIN { print "fact_id,entity,claim,source,published,value,unit,quote"
             for (i = 1; i <= 1048576; i++) printf "f%d,E,c%d,s,2025-01-22,%d,count,q\n", i, i % 100, i }' > "$T/million.csv"
$BIN -q "$T/million.csv" -o "$T/million.xlsx" 2> "$T/stderr"
rc=$?
check "1,048,576 facts are written (exit 0)" '[ $rc -eq 0 ]'
$PY - "$T/million.xlsx" > "$T/report" 2>&1 << 'PYEOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
wb = z.read("xl/workbook.xml").decode()
names = re.findall(r'<sheet name="([^"]+)"', wb)
print("sheets=" + "|".join(names))
rels = z.read("xl/_rels/workbook.xml.rels").decode()
ids = re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', wb)
target = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
if not target:
    target = {i: t for t, i in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)}
def last_row(name):
    path = "xl/" + target[dict(ids)[name]]
    tail, rows = "", 0
    with z.open(path) as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            text = tail + chunk.decode("utf-8", "replace")
            rows += text.count("<row ") - tail.count("<row ")
            tail = text[-65536:]
    last = tail[tail.rfind("<row "):]
    r = re.search(r'<row r="(\d+)"', last).group(1)
    first_text = re.search(r"<t>([^<]*)</t>", last).group(1)
    return rows, r, first_text
for name in ("Facts", "Facts (2)"):
    rows, r, text = last_row(name)
    print(f"{name}: rows={rows} last={r} id={text}")
PYEOF
check "sheets in order, Facts continues on Facts (2)" \
    'grep -qx "sheets=Summary|Findings|Comparison|Conversions|Facts|Facts (2)|Rates|Sources|About" "$T/report"'
check "Facts holds 1,048,575 facts under its header, to row 1,048,576" \
    'grep -qx "Facts: rows=1048576 last=1048576 id=f1048575" "$T/report"'
check "Facts (2) holds the last fact under its own header" \
    'grep -qx "Facts (2): rows=2 last=2 id=f1048576" "$T/report"'
sed 's/^/# /' "$T/report"
$PY tests/xlsx/xmlcheck.py "$T/million.xlsx" > "$T/xml" 2>&1
xrc=$?
check "every XML part of the million-row workbook parses with expat" '[ $xrc -eq 0 ]'
sed 's/^/# /' "$T/xml" | head -5
echo "1..$n"
