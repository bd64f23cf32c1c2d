#!/bin/sh
# run-bounds - boundaries seen from the command line, each at the boundary
# and one step either side: --max-stale, --infer-window, --tolerance,
# --places, --rounding ties of negative amounts; the fsync of every
# temporary output before its rename (strace); a text ending in a literal
# _xHHHH_ read back unchanged (openpyxl). Prints TAP.
set -u
BIN=${FXBOOK:-build/san/fxbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; sed 's/^/# /' "$T/stderr" 2> /dev/null | head -5; fi; }

# Rates: GBP/USD on 2025-03-03 (a Monday) and 2025-03-10 only.
mkdir -p "$T/rates"
cat > "$T/rates/r.csv" << 'EOF'
date,base,quote,rate
2025-03-03,GBP,USD,0.5
2025-03-10,GBP,USD,0.5005
EOF
H=fact_id,entity,claim,source,published,value,unit,quote,reported_value,reported_unit

# --max-stale: valued on 2025-03-09, the latest rate is 6 days old; on 03-10 it is that day's.
printf '%s\nf,E,c,s,2025-03-09,1000,GBP,q,,\n' "$H" > "$T/stale.csv"
$BIN -q -r "$T/rates" "$T/stale.csv" --max-stale 6 --csv-dir "$T/s6" 2> "$T/stderr"
rc=$?
check "--max-stale 6: a rate 6 days old is accepted" \
    '[ $rc -eq 0 ] && grep -q "^f,c,s,2025-03-09,1000,GBP,USD,2025-03-03," "$T/s6/facts.csv"'
$BIN -q -r "$T/rates" "$T/stale.csv" --max-stale 5 --csv-dir "$T/s5" 2> "$T/stderr"
rc=$?
check "--max-stale 5: a rate 6 days old is 65, with its age" \
    '[ $rc -eq 65 ] && grep -q "6 days before 2025-03-09 (--max-stale 5)" "$T/stderr"'
$BIN -q -r "$T/rates" "$T/stale.csv" --max-stale 7 --csv-dir "$T/s7" 2> "$T/stderr"
rc=$?
check "--max-stale 7: accepted" '[ $rc -eq 0 ]'
$BIN -q -r "$T/rates" "$T/stale.csv" --max-stale none --date 2025-12-31 --csv-dir "$T/sn" 2> "$T/stderr"
rc=$?
check "--max-stale none: any age" \
    '[ $rc -eq 0 ] && grep -q "^f,c,s,2025-12-31,1000,GBP,USD,2025-03-10," "$T/sn/facts.csv"'
$BIN -q -r "$T/rates" "$T/stale.csv" --fallback none --csv-dir "$T/fn" 2> "$T/stderr"
rc=$?
check "--fallback none: no rate on the day is 65" '[ $rc -eq 65 ]'

# --infer-window: GBP 1000 reported as USD 500 on 2025-03-10 matches 03-03 (0.5);
# 03-10's 0.5005 gives 500.5, the interval's upper bound (inclusive).
printf '%s\nw,E,c,s,2025-03-10,1000,GBP,q,500,USD\n' "$H" > "$T/win.csv"
for w in 6 7 8; do
    $BIN -q -r "$T/rates" "$T/win.csv" --infer-window $w --csv-dir "$T/w$w" 2> "$T/stderr"
done
check "--infer-window 7: D - 7 is included, and the upper bound is" \
    'grep -q ",consistent,2025-03-03;2025-03-10,[^,]*,[0-9]*$" "$T/w7/conversions.csv"'
check "--infer-window 8: the same days" 'grep -q ",consistent,2025-03-03;2025-03-10,[^,]*,[0-9]*$" "$T/w8/conversions.csv"'
check "--infer-window 6: D - 7 is not" 'grep -q ",consistent,2025-03-10,[^,]*,[0-9]*$" "$T/w6/conversions.csv"'

# --tolerance: USD 1000 at 1 (no rate needed) reported as USD 1020 = +2%.
printf '%s\nt,E,c,s,2025-03-10,1000,USD,q,1020,USD\nu,E,c,s,2025-03-10,1000,USD,q,980,USD\n' "$H" > "$T/tol.csv"
$BIN -q -r "$T/rates" "$T/tol.csv" --tolerance 2 --csv-dir "$T/t2" 2> "$T/stderr"
check "--tolerance 2: +2% and -2% exactly are close" \
    'grep -q "^t,.*,2.0000,close," "$T/t2/conversions.csv" && grep -q "^u,.*,-2.0000,close," "$T/t2/conversions.csv"'
$BIN -q -r "$T/rates" "$T/tol.csv" --tolerance 1.9999 --csv-dir "$T/t1" 2> "$T/stderr"
check "--tolerance 1.9999: +2% and -2% are inconsistent" \
    'grep -q "^t,.*,inconsistent," "$T/t1/conversions.csv" && grep -q "^u,.*,inconsistent," "$T/t1/conversions.csv"'

# --places and --rounding: ties of negative and positive amounts (USD, rate 1).
printf 'fact_id,entity,claim,source,published,value,unit,quote\na,E,c,s,2025-03-10,-2.5,USD,q\nb,E,d,s,2025-03-10,2.5,USD,q\nc,E,e,s,2025-03-10,-0.125,USD,q\n' > "$T/tie.csv"
for m in half-even half-up down; do
    $BIN -q -r "$T/rates" "$T/tie.csv" --places 0 --rounding $m --csv-dir "$T/r0$m" 2> "$T/stderr"
    $BIN -q -r "$T/rates" "$T/tie.csv" --places 2 --rounding $m --csv-dir "$T/r2$m" 2> "$T/stderr"
done
col() { cut -d, -f11 "$1" | tail -n +2 | tr '\n' ' '; }
check "--places 0 half-even: -2.5 -> -2, 2.5 -> 2, -0.125 -> 0" '[ "$(col "$T/r0half-even/facts.csv")" = "-2 2 0 " ]'
check "--places 0 half-up: -2.5 -> -3, 2.5 -> 3" '[ "$(col "$T/r0half-up/facts.csv")" = "-3 3 0 " ]'
check "--places 0 down: -2.5 -> -2, 2.5 -> 2" '[ "$(col "$T/r0down/facts.csv")" = "-2 2 0 " ]'
check "--places 2 half-even: -0.125 -> -0.12" '[ "$(col "$T/r2half-even/facts.csv")" = "-2.50 2.50 -0.12 " ]'
check "--places 2 half-up: -0.125 -> -0.13" '[ "$(col "$T/r2half-up/facts.csv")" = "-2.50 2.50 -0.13 " ]'
check "--places 2 down: -0.125 -> -0.12" '[ "$(col "$T/r2down/facts.csv")" = "-2.50 2.50 -0.12 " ]'
$BIN -q -r "$T/rates" "$T/tie.csv" --places 18 --csv-dir "$T/r18" 2> "$T/stderr"
rc=$?
check "--places 18 is accepted, 18 places written" \
    '[ $rc -eq 0 ] && [ "$(col "$T/r18/facts.csv")" = "-2.500000000000000000 2.500000000000000000 -0.125000000000000000 " ]'
$BIN -q -r "$T/rates" "$T/tie.csv" --places 19 --csv-dir "$T/r19" 2> "$T/stderr"
rc=$?
check "--places 19 is a usage error" '[ $rc -eq 64 ] && [ ! -e "$T/r19" ]'

# Every temporary output is fsynced before it is renamed over its target.
if strace -f -o /dev/null true 2> /dev/null; then
    mkdir -p "$T/sync"
    ASAN_OPTIONS=detect_leaks=0 strace -f -y -o "$T/strace" \
        -e trace=fsync,fdatasync,rename,renameat,renameat2 $BIN -q fixtures/good/quoted.csv -o "$T/sync/out.xlsx" --csv-dir "$T/sync/csv" 2> "$T/stderr"
    rc=$?
    /usr/bin/python3 - "$T/strace" "$T/sync" > "$T/fsync.out" 2>&1 << 'PYEOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
synced, renamed, bad = set(), 0, []
for l in lines:
    m = re.search(r'\b(fsync|fdatasync)\(\d+<([^>]*)>\) = 0', l)
    if m:
        synced.add(m.group(2))
    m = re.search(r'\brename(?:at2?)?\((?:[^,]*, )?"([^"]*)", (?:[^,]*, )?"([^"]*)"', l)
    if m and m.group(2).startswith(sys.argv[2]):
        renamed += 1
        if m.group(1) not in synced:
            bad.append(m.group(1))
if renamed < 4:
    print(f"only {renamed} renames seen"); sys.exit(1)
if bad:
    print("renamed without an fsync before: " + " ".join(bad)); sys.exit(1)
PYEOF
    check "every temporary output is fsynced before its rename (workbook and CSVs)" \
        '[ $rc -eq 0 ] && [ ! -s "$T/fsync.out" ]'
    sed 's/^/# /' "$T/fsync.out"
else
    ok "# SKIP strace cannot trace here"
fi

# A text that ends (or starts, or is nothing but) a literal _xHHHH_ is
# written so that Excel does not decode it: read back with openpyxl (which
# shows the stored text) and decoded as Excel decodes _xHHHH_ (left to
# right; _x005F_ is '_'; x or X, as sheet.c escapes both), it is the input.
cat > "$T/x.csv" << 'EOF'
fact_id,entity,claim,source,published,value,unit,quote,note
x1,_x0041_,c1,s,2025-03-10,1,count,ends with _x0041_,_X00E9_
x2,E _x0041_,c2,s,2025-03-10,2,count,_x0041_ starts it,middle _x0041_ and end _x00e9_
x3,E,c3,s,2025-03-10,3,count,not one: _x004_,_x0041 or x0041_
EOF
$BIN -q "$T/x.csv" -o "$T/x.xlsx" 2> "$T/stderr"
rc=$?
/usr/bin/python3 - "$T/x.csv" "$T/x.xlsx" > "$T/x.out" 2>&1 << 'PYEOF'
import csv, re, sys
import openpyxl
def excel(t):
    return re.sub(r"_[xX]([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), t)
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
ws = openpyxl.load_workbook(sys.argv[2])["Facts"]
col = {c.value: i for i, c in enumerate(ws[1])}
bad = 0
for want, cells in zip(rows, ws.iter_rows(min_row=2)):
    for name in ("entity", "quote", "note"):
        got = excel(cells[col[name]].value)
        if got != want[name]:
            print(f"{want['fact_id']}.{name}: {got!r}, want {want[name]!r}"); bad += 1
sys.exit(1 if bad else 0)
PYEOF
check "a trailing, leading or whole _xHHHH_ reads back unchanged" '[ $rc -eq 0 ] && [ ! -s "$T/x.out" ]'
sed 's/^/# /' "$T/x.out"

echo "1..$n"
