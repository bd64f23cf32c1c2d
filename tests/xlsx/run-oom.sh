#!/bin/sh
# run-oom - out of memory is a clean exit 70, never a crash (SPEC 1, 8):
# the release build (ASan cannot run under ulimit -v) under a range of
# address-space limits, from the least the process needs to start to
# where the run fits. Each run either writes a valid workbook (0) or exits
# 70 with the one line "fxbook: error: out of memory[ while ...] (a request
# for N bytes failed)", the old output as it was and no temporary file
# beside it: no library's own "[ERROR] ... Memory allocation failed", no
# signal death (139, 134, 133).
#   A. 100,000 short facts: runs out while reading, converting, auditing.
#   B. 400 facts with 32,000-character quotes: libxlsxwriter 1.1.4 asks
#      7 x 32,000 bytes for each quote cell (lxw_escape_control_characters,
#      unchecked: it used to segfault there); some limit must run out
#      "while writing the workbook".
# Prints TAP.
set -u
BIN=${FXBOOK_RELEASE:-build/fxbook}
PY=/usr/bin/python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }

awk 'BEGIN { print "fact_id,entity,claim,source,published,value,scale,unit,reported_value,reported_scale,reported_unit,quote"
             for (i = 1; i <= 100000; i++)
                 printf "f%d,Entity %d,c%d,s%d,2025-01-22,%d,billion,CNY,%d.%d,billion,USD,\"RMB %d billion, said source %d & <more>\"\n", \
                        i, i % 50, i % 3000, i % 40, 40 + i % 13, 5 + i % 3, i % 10, 40 + i % 13, i % 40 }' > "$T/short.csv"
awk 'BEGIN { q = "q"; while (length(q) < 32000) q = q q; q = substr(q, 1, 32000)
             print "fact_id,entity,claim,source,published,value,scale,unit,reported_value,reported_scale,reported_unit,quote"
             for (i = 1; i <= 400; i++)
                 printf "f%d,E%d,c%d,s%d,2025-01-22,%d,billion,CNY,5.%d,billion,USD,%s\n", i, i % 7, i % 30, i % 9, 40 + i % 13, i % 10, q }' > "$T/long.csv"

# The least address space (KiB) the binary starts in: its libraries mapped.
lo=4096 hi=262144
while [ $((hi - lo)) -gt 256 ]; do
    mid=$(((lo + hi) / 2))
    if (ulimit -v $mid && exec $BIN --version) > /dev/null 2>&1; then hi=$mid; else lo=$mid; fi
done
start=$hi

bad=0 late=0 ooms=0 runs=0
# One run of $1 under limit $2 KiB, judged.
run() {
    runs=$((runs + 1))
    rm -rf "$T/w" && mkdir "$T/w" && echo old > "$T/w/out.xlsx"
    (ulimit -v "$2" && exec $BIN -q "$1" -o "$T/w/out.xlsx") > "$T/stdout" 2> "$T/stderr"
    rc=$?
    left=$(ls -A "$T/w" | tr '\n' ' ')
    if [ $rc -eq 70 ]; then
        ooms=$((ooms + 1))
        if [ "$(grep -c . "$T/stderr")" -ne 1 ] ||
            ! grep -Eqx "fxbook: error: out of memory( while [a-z ]+)? \(a request for [0-9]+ bytes failed\)" "$T/stderr" ||
            [ "$(cat "$T/w/out.xlsx")" != old ] || [ "$left" != "out.xlsx " ]; then
            bad=$((bad + 1)); echo "# $(basename "$1") under ulimit -v $2: 70 but stderr or folder wrong: $left"
            sed 's/^/#   /' "$T/stderr" | head -3
        fi
        grep -q "while writing the workbook" "$T/stderr" && late=$((late + 1))
    elif [ $rc -eq 0 ]; then
        if [ -s "$T/stderr" ] || [ "$left" != "out.xlsx " ] || ! $PY tests/xlsx/xmlcheck.py "$T/w/out.xlsx" > /dev/null; then
            bad=$((bad + 1)); echo "# $(basename "$1") under ulimit -v $2: 0 but the workbook, stderr or folder is wrong: $left"
            sed 's/^/#   /' "$T/stderr" | head -3
        fi
    else
        bad=$((bad + 1)); echo "# $(basename "$1") under ulimit -v $2: exit $rc; left: $left"
        sed 's/^/#   /' "$T/stderr" | head -3
    fi
}

# A. Near its limit glibc cannot reserve the writer thread's own arena and
# retries a failing mmap on every allocation (a minute a run): one arena
# (MALLOC_ARENA_MAX=1) fails the same way in seconds. The fit, bisected to
# 1 MB, then 12 limits up to it.
fits() { rm -rf "$T/w" && mkdir "$T/w" && (ulimit -v "$1" && exec $BIN -q "$T/short.csv" -o "$T/w/out.xlsx") > /dev/null 2>&1; }
export MALLOC_ARENA_MAX=1
lo=$start hi=$((start + 400000)) full=
if fits $hi; then
    while [ $((hi - lo)) -gt 1024 ]; do
        mid=$(((lo + hi) / 2))
        if fits $mid; then hi=$mid; else lo=$mid; fi
    done
    full=$hi
fi
check "A: 100,000 facts fit in some limit (starts at $start KiB, fits at ${full:-?} KiB)" '[ -n "$full" ]'
[ -n "$full" ] || full=$((start + 400000))
for v in $(seq $start $(((full - start) / 12 + 1)) $full); do
    run "$T/short.csv" $v
done
unset MALLOC_ARENA_MAX
check "A: $runs limits from $start to $full KiB: each exits 0 with a valid workbook or 70 cleanly" '[ $bad -eq 0 ]'
check "A: some limits run out of memory ($ooms)" '[ $ooms -gt 0 ]'

# B. Default arenas, every 2 MB from the start to 80 MB above it.
bad=0 late=0 ooms=0 runs=0
for v in $(seq $start 2048 $((start + 81920))); do
    run "$T/long.csv" $v
done
check "B: $runs limits from $start KiB: each exits 0 with a valid workbook or 70 cleanly" '[ $bad -eq 0 ]'
check "B: some run out while writing the workbook, where libxlsxwriter used to crash ($late)" '[ $late -gt 0 ]'
echo "1..$n"
