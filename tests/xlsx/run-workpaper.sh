#!/bin/sh
# run-workpaper - SPEC 6's workpaper rules on real workbooks: sheet order,
# no number wider than its column, percent and money formats, internal links
# that land, a one-page Summary, frozen headers, autofilters and print setup
# (check_workpaper.py), and two runs byte-identical. Inputs: the bundled
# facts (with their sources file when there is one), and 5,000 and 100,000
# facts from bench/gen (several sources a claim, percent and count claims,
# reported conversions, amounts from $10k to $3tn). The small books come from
# build/san/fxbook, the 100,000 one from build/fxbook (release). The
# checker's own formatter is tested first (--selftest). Prints TAP.
set -u
cd "$(dirname "$0")/../.." || exit 2
PY=/usr/bin/python3
CHECK=tests/xlsx/check_workpaper.py
SAN=${FXBOOK:-build/san/fxbook}
REL=build/fxbook
GEN=build/bench/bin/gen
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0

# tap FILE: prints a checker's TAP and counts its tests
tap() {
    cat "$1"
    n=$((n + $(grep -c -e '^ok ' -e '^not ok ' "$1")))
}
say() { # ok|not-ok description [detail file]
    n=$((n + 1))
    if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
    [ $# -ge 3 ] && [ -s "$3" ] && sed 's/^/#   /' "$3" | head -10
    return 0
}

$PY $CHECK --first 1 --selftest > "$T/tap" 2>&1
tap "$T/tap"

# bench/gen, built as bench/bench.mk builds it
if ! ${MAKE:-make} -s "$GEN" > "$T/err" 2>&1; then
    say not-ok "bench/gen builds" "$T/err"
fi

# book LABEL BIN ARGS...: writes the book twice, compares, then checks it
book() {
    label=$1 bin=$2
    shift 2
    if [ ! -x "$bin" ]; then
        say not-ok "$label: $bin is not built"
        return
    fi
    if ! env -u SOURCE_DATE_EPOCH "$bin" -q "$@" -o "$T/$label.xlsx" 2> "$T/err"; then
        say not-ok "$label: fxbook $* failed" "$T/err"
        return
    fi
    env -u SOURCE_DATE_EPOCH "$bin" -q "$@" -o "$T/$label-2.xlsx" 2> "$T/err"
    if cmp -s "$T/$label.xlsx" "$T/$label-2.xlsx"; then
        say ok "$label: two runs on the same input give byte-identical workbooks"
    else
        cmp "$T/$label.xlsx" "$T/$label-2.xlsx" > "$T/cmp" 2>&1
        say not-ok "$label: two runs on the same input give byte-identical workbooks" "$T/cmp"
    fi
    rm -f "$T/$label-2.xlsx"
    $PY $CHECK --first $((n + 1)) --label "$label" "$T/$label.xlsx" > "$T/tap" 2>&1
    rc=$?
    tap "$T/tap"
    if [ $rc -gt 1 ]; then # a crash, not a failed check
        say not-ok "$label: check_workpaper.py exited $rc" "$T/tap"
    fi
    rm -f "$T/$label.xlsx"
}

fixture=fixtures/bytedance-ai-2025.csv
sources=fixtures/bytedance-ai-2025-sources.csv
if [ -f "$sources" ]; then
    book bytedance "$SAN" "$fixture" "$sources"
else
    book bytedance "$SAN" "$fixture"
fi

for size in 5000 100000; do
    if [ -x "$GEN" ] && "$GEN" -n $size -s 20250509 -o "$T/gen-$size.csv" 2> "$T/err"; then
        if [ $size -ge 100000 ]; then bin=$REL; else bin=$SAN; fi
        book "gen-$size" "$bin" "$T/gen-$size.csv"
        rm -f "$T/gen-$size.csv"
    else
        say not-ok "bench/gen writes $size facts" "$T/err"
    fi
done
echo "1..$n"
