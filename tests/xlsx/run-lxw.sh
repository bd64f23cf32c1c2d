#!/bin/sh
# run-lxw - libxlsxwriter's failures reach the user as fxbook's, whole:
# a sheet's temporary file cut by a file size limit is 74 (libxlsxwriter
# never checks those writes: it used to close a workbook with a cut sheet
# and exit 0), and with few file descriptors no raw "[ERROR] ..." line of
# the library is ever printed (SPEC 8). Release build. Prints TAP.
set -u
BIN=${FXBOOK_RELEASE:-build/fxbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }

# 1. 20,000 facts with 200-character quotes in 3 claims: the scratch
# records fit in 1.5 MB, the Facts sheet's XML (about 6 MB) does not.
awk 'BEGIN { q = "q"; while (length(q) < 200) q = q q; q = substr(q, 1, 200)
             print "fact_id,entity,claim,source,published,value,scale,unit,quote"
             for (i = 1; i <= 20000; i++)
                 printf "f%d,E,c%d,s%d,2025-01-22,%d,billion,CNY,%s\n", i, i % 3, i % 9, 40 + i % 13, q }' > "$T/q.csv"
mkdir "$T/w" && echo old > "$T/w/out.xlsx"
(trap '' XFSZ; exec prlimit --fsize=1500000 $BIN -q "$T/q.csv" -o "$T/w/out.xlsx") 2> "$T/stderr"
rc=$?
check "a sheet's temporary file past the file size limit: 74, not a cut sheet" '[ $rc -eq 74 ]'
# What a user acts on: which output failed, which folder could not hold a
# temporary file, and why; one message, not one per write. The Facts rows
# go to a scratch spool while facts stream in and to the sheet at close, so
# either write may hit the limit first: the spool's failure names the sheet
# as "Facts:", libxlsxwriter's as 'sheet "Facts":'; both name the sheet.
check "one message naming the output, the sheet, the folder and the reason" \
    '[ "$(grep -c . "$T/stderr")" -eq 1 ] &&
     grep -qxE "fxbook: error: $T/w/out\.xlsx: (sheet \"Facts\"|Facts): cannot write a temporary file in $T/w: File too large" "$T/stderr"'
check "the old output is untouched, nothing left beside it" \
    '[ "$(cat "$T/w/out.xlsx")" = old ] && [ "$(ls -A "$T/w")" = out.xlsx ]'
sed 's/^/# /' "$T/stderr" | head -3

# 2. Few file descriptors: every limit from 8 to 24 fails with fxbook's
# own message (or succeeds); never a line of the library's. (Under 64
# fxbook stops before any work, 70 "too many open files".)
raw=0 bad=0
for k in $(seq 8 24); do
    rm -rf "$T/w" && mkdir "$T/w"
    (ulimit -n $k && exec $BIN -q fixtures/bytedance-ai-2025.csv -o "$T/w/out.xlsx") 2> "$T/stderr"
    rc=$?
    if grep -q '^\[' "$T/stderr"; then
        raw=$((raw + 1)); echo "# ulimit -n $k:"; sed 's/^/#   /' "$T/stderr" | head -3
    fi
    case $rc in
    0) [ "$(ls -A "$T/w")" = out.xlsx ] || bad=$((bad + 1)) ;;
    66 | 70 | 73 | 74) if [ -n "$(ls -A "$T/w")" ] || ! grep -q '^fxbook: error: \|: error: ' "$T/stderr"; then bad=$((bad + 1)); fi ;;
    *) bad=$((bad + 1)); echo "# ulimit -n $k: exit $rc" ;;
    esac
done
check "ulimit -n 8 to 24: no raw libxlsxwriter line reaches standard error" '[ $raw -eq 0 ]'
check "ulimit -n 8 to 24: each run succeeds or fails with fxbook's message, nothing left" '[ $bad -eq 0 ]'
echo "1..$n"
