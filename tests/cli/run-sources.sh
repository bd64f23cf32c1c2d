#!/bin/sh
# run-sources - sources files (SPEC 2) through the real binary: accepted
# before or after the facts, on a FIFO too; the Sources sheet lists every
# source (one that no fact cites too) with what the file says; a fact's
# published date that differs from its source's is a warning that -q
# hides; a sources file is never an output (SPEC 8). Prints TAP.
set -u
BIN=${FXBOOK:-build/san/fxbook}
PY=/usr/bin/python3
F=fixtures/bytedance-ai-2025.csv
S=fixtures/bytedance-ai-2025-sources.csv
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; sed 's/^/# /' "$T/err" 2> /dev/null | head -5; fi; }
# the rows of a sheet, tab-separated, dates as YYYY-MM-DD, empty cells empty
sheet() { # FILE SHEET [list]: a sheet's rows (list: up to its first blank row)
    $PY - "$@" << 'PYEOF'
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for row in wb[sys.argv[2]].iter_rows(values_only=True):
    if all(v is None for v in row) and sys.argv[3:] == ["list"]:
        break  # the list ends at its first blank row (Sources: the implied ranges follow)
    out = []
    for v in row:
        if v is None: v = ""
        elif isinstance(v, datetime.datetime): v = v.date().isoformat()
        elif isinstance(v, float) and v.is_integer(): v = int(v)
        out.append(str(v))
    print("\t".join(out).rstrip("\t"))
PYEOF
}

# a source's findings: the rows of findings.csv whose sources name it
nfind() { $PY -c 'import csv, sys; print(sum(sys.argv[2] in r["sources"].split(", ") for r in csv.DictReader(open(sys.argv[1]))))' "$1" "$2"; }

# ---- 1. the bundled pair, either order
$BIN "$F" "$S" -o "$T/after.xlsx" --csv-dir "$T/csv" 2> "$T/err"; rc=$?
ftwn=$(nfind "$T/csv/findings.csv" twn) fmbw=$(nfind "$T/csv/findings.csv" mbw)
check "facts then sources: exit 0, no warning" \
    '[ $rc -eq 0 ] && [ "$(grep -c . "$T/err")" -eq 1 ] && grep -q "^fxbook: 43 facts, 5 sources" "$T/err"'
$BIN -q "$S" "$F" -o "$T/before.xlsx" 2> "$T/err"; rc=$?
check "sources then facts: exit 0, nothing said under -q" '[ $rc -eq 0 ] && [ ! -s "$T/err" ]'
sheet "$T/after.xlsx" Sources list > "$T/after.tsv" 2> "$T/err"
sheet "$T/before.xlsx" Sources list > "$T/before.tsv" 2>> "$T/err"
check "the Sources sheet is the same whichever comes first" 'cmp -s "$T/after.tsv" "$T/before.tsv"'
tab=$(printf '\t')
check "Sources: header" \
    '[ "$(head -1 "$T/after.tsv")" = "source${tab}outlet${tab}title${tab}url${tab}published${tab}facts${tab}findings${tab}first_input${tab}described_at" ]'
check "Sources: a source the file dates, with its outlet, title and where it is described" \
    'grep -qxF "twn${tab}unnamed; the page carries \"News Synopsis\" and a \"TWN Exclusive\" link${tab}TikTok'"'"'s Parent Company ByteDance Plans \$20 Billion Investment in AI for 2025${tab}${tab}2025-01-24${tab}9${tab}$ftwn${tab}$F${tab}$S:3" "$T/after.tsv"'
check "Sources: a source the file does not date shows its first fact's date" \
    'grep -qxF "mbw${tab}Music Business Worldwide${tab}${tab}${tab}2025-01-22${tab}14${tab}$fmbw${tab}$F${tab}$S:6" "$T/after.tsv"'
check "Sources: findings counts are findings.csv's (twn $ftwn, mbw $fmbw), not blank" '[ "$ftwn" -gt 0 ] && [ "$fmbw" -gt 0 ]'
sheet "$T/after.xlsx" Sources > "$T/all.tsv" 2>> "$T/err"
check "Sources: the implied rate ranges follow (SPEC 5.1): twn's one conversion, one ECB day" \
    'grep -qxF "twn${tab}CNY → USD, 1${tab}0.1375666666 … 0.1376333334 USD per CNY${tab}ECB 2025-01-22" "$T/all.tsv"'
check "Sources: five sources, in order of first appearance in the facts" \
    '[ "$(cut -f1 "$T/after.tsv" | tr "\n" " ")" = "source ai-news-digest twn tech-blog uk-tech-news mbw " ]'
sheet "$T/after.xlsx" Summary > "$T/summary.tsv" 2> "$T/err"
sum=$(sha256sum < "$S" | cut -d" " -f1)
line=$(grep -F "$sum" "$T/summary.tsv")
size=$(wc -c < "$S")
check "Summary: the sources file with its size and SHA-256" \
    'case "$line" in "$S$tab"*) true ;; *) false ;; esac && case "$tab$line$tab" in *"$tab$size$tab"*) true ;; *) false ;; esac'

# ---- 2. sources without facts, and a source no fact cites
printf 'source,outlet,published\nreuters,Reuters,2025-01-23\ntwn,TWN,2025-01-24\n' > "$T/extra.csv"
$BIN -q "$T/extra.csv" "$F" -o "$T/extra.xlsx" 2> "$T/err"; rc=$?
sheet "$T/extra.xlsx" Sources list > "$T/extra.tsv" 2>> "$T/err"
check "a source named only in the sources file is listed last, with 0 facts" \
    '[ $rc -eq 0 ] && [ "$(tail -1 "$T/extra.tsv")" = "reuters${tab}Reuters${tab}${tab}${tab}2025-01-23${tab}0${tab}0${tab}${tab}$T/extra.csv:2" ]'
check "a fact source the file does not name is listed with its id only" \
    'grep -qxF "mbw${tab}${tab}${tab}${tab}2025-01-22${tab}14${tab}$fmbw${tab}$F" "$T/extra.tsv"'
$BIN -q "$T/extra.csv" -o "$T/alone.xlsx" 2> "$T/err"; rc=$?
sheet "$T/alone.xlsx" Sources > "$T/alone.tsv" 2>> "$T/err"
check "a sources file alone: no facts, its sources listed" \
    '[ $rc -eq 0 ] && [ "$(grep -c . "$T/alone.tsv")" -eq 3 ]'

# ---- 3. published differs: a warning per fact, either order; -q hides them
printf 'source,published\ntwn,2025-01-23\n' > "$T/twn.csv"
$BIN "$F" "$T/twn.csv" --check 2> "$T/err"; rc=$?
check "published mismatch: exit 0, one warning per fact of twn (9)" \
    '[ $rc -eq 0 ] && [ "$(grep -c ": warning: fact a001-0[1-9] published 2025-01-24, its source twn says 2025-01-23$" "$T/err")" -eq 9 ]'
check "the warning is at the published field of the fact" \
    'grep -qx "$F:9:40: warning: fact a001-01 published 2025-01-24, its source twn says 2025-01-23" "$T/err"'
grep warning "$T/err" > "$T/w-after"
$BIN "$T/twn.csv" "$F" --check 2> "$T/err"
grep warning "$T/err" > "$T/w-before"
check "the same warnings when the sources file comes first" 'cmp -s "$T/w-after" "$T/w-before"'
$BIN -q "$F" "$T/twn.csv" -o "$T/q.xlsx" 2> "$T/err"; rc=$?
check "-q hides the warnings (exit 0, the workbook written)" '[ $rc -eq 0 ] && [ ! -s "$T/err" ] && [ -s "$T/q.xlsx" ]'

# ---- 4. read once: a sources file on a FIFO and on standard input
mkfifo "$T/fifo"
(timeout 30 sh -c 'cat "$1" > "$2"' sh "$S" "$T/fifo" &)
$BIN -q "$F" "$T/fifo" -o "$T/fifo.xlsx" 2> "$T/err"; rc=$?
sheet "$T/fifo.xlsx" Sources > "$T/fifo.tsv" 2>> "$T/err"
check "a sources file on a FIFO" '[ $rc -eq 0 ] && [ "$(cut -f2 "$T/fifo.tsv" | sed -n 6p)" = "Music Business Worldwide" ]'
$BIN -q "$F" - -o "$T/stdin.xlsx" < "$S" 2> "$T/err"; rc=$?
sheet "$T/stdin.xlsx" Sources > "$T/stdin.tsv" 2>> "$T/err"
check "a sources file on standard input (<stdin>)" \
    '[ $rc -eq 0 ] && [ "$(cut -f9 "$T/stdin.tsv" | sed -n 2p)" = "<stdin>:2" ]'

# ---- 5. no output is an input: a sources file neither
cp "$S" "$T/src.csv"
$BIN -q "$F" "$T/src.csv" -o "$T/src.csv" 2> "$T/err"; rc=$?
check "-o the sources input: 64, the file unchanged" \
    '[ $rc -eq 64 ] && cmp -s "$S" "$T/src.csv" && grep -qx "fxbook: error: output $T/src.csv is the facts or sources file $T/src.csv: fxbook never writes over an input" "$T/err"'
mkdir "$T/d" && cp "$S" "$T/d/facts.csv"
$BIN -q "$F" "$T/d/facts.csv" --csv-dir "$T/d" 2> "$T/err"; rc=$?
check "--csv-dir over a sources input named facts.csv: 64, unchanged" \
    '[ $rc -eq 64 ] && cmp -s "$S" "$T/d/facts.csv" && [ "$(ls -A "$T/d")" = facts.csv ]'

# ---- 6. a bad sources file fails the run like bad facts
$BIN -q --check "$F" fixtures/bad/sources/bad-date.csv 2> "$T/err"; rc=$?
check "--check reads sources files too: 65" '[ $rc -eq 65 ] && grep -q "bad-date.csv:2:11: error: published" "$T/err"'
echo "1..$n"
