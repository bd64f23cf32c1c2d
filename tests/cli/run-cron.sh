#!/bin/sh
# run-cron - what cron needs: a killed run leaves the old output intact
# and no temporary file; two runs on one output leave one complete
# workbook; a leak-free run under valgrind. Prints TAP.
set -u
BIN=${FXBOOK:-build/fxbook}
PY=/usr/bin/python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }

# A file big enough that a run takes a while.
awk 'BEGIN { print "fact_id,entity,claim,source,published,value,unit,reported_value,reported_unit,quote,note"
             for (i = 0; i < 200000; i++)
                 printf "f%d,Entity %d,claim%d,src%d,2025-01-22,%d.%02d,CNY,%d,USD,\"quote, with \"\"quotes\"\"\",note %d\n",
                        i, i % 97, i % 1000, i % 13, i, i % 100, i / 7, i }' > "$T/big.csv"
valid_xlsx() { $PY -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); sys.exit(z.testzip() is not None or 'xl/workbook.xml' not in z.namelist())" "$1" 2> /dev/null; }

for sig in TERM INT; do
    rm -rf "$T/w" && mkdir "$T/w" && echo old > "$T/w/out.xlsx"
    # a background job of a script starts with SIGINT ignored, which
    # fxbook keeps (SPEC 8); give it the default, as a terminal would
    env --default-signal=INT $BIN -q "$T/big.csv" -o "$T/w/out.xlsx" 2> /dev/null &
    pid=$!
    sleep 0.5
    kill -$sig $pid 2> /dev/null
    wait $pid
    rc=$?
    check "SIG$sig mid-run: killed (rc $rc), old output intact, no temporary file" \
        '[ $rc -gt 128 ] && [ "$(cat "$T/w/out.xlsx")" = old ] && [ "$(ls -A "$T/w")" = out.xlsx ]'
done

rm -rf "$T/w" && mkdir "$T/w" && echo old > "$T/w/out.xlsx"
$BIN -q "$T/big.csv" -o "$T/w/out.xlsx" 2> /dev/null &
pid=$!
sleep 0.5
kill -KILL $pid 2> /dev/null
wait $pid
check "SIGKILL mid-run: the old output is intact" '[ "$(cat "$T/w/out.xlsx")" = old ]'

rm -rf "$T/w" && mkdir "$T/w"
head -n 20001 "$T/big.csv" > "$T/small.csv"
$BIN -q "$T/big.csv" -o "$T/w/out.xlsx" 2> /dev/null &
p1=$!
$BIN -q "$T/small.csv" -o "$T/w/out.xlsx" 2> /dev/null &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
# whichever takes the lock first writes; the other exits 75 at once while
# it is held (or 0, when the first was already done)
check "two runs on one output: one writes, the other exits 0 or 75 (rc $r1, $r2)" \
    '{ [ $r1 -eq 0 ] && { [ $r2 -eq 0 ] || [ $r2 -eq 75 ]; }; } || { [ $r1 -eq 75 ] && [ $r2 -eq 0 ]; }'
check "two runs on one output: one complete workbook, no temporary file" \
    'valid_xlsx "$T/w/out.xlsx" && [ "$(ls -A "$T/w")" = out.xlsx ]'

if command -v valgrind > /dev/null 2>&1; then
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --show-leak-kinds=definite,indirect \
        "$BIN" -q fixtures/bytedance-ai-2025.csv -o "$T/vg.xlsx" --csv-dir "$T/vg" > "$T/vg.log" 2>&1
    rc=$?
    check "valgrind: zero errors, no leaks, end to end" '[ $rc -eq 0 ] && [ ! -s "$T/vg.log" ]'
    check "its workbook is valid XML 1.0 part by part" '$PY tests/xlsx/xmlcheck.py "$T/vg.xlsx" > /dev/null'
    [ $rc -eq 0 ] || sed 's/^/# /' "$T/vg.log" | head -30
else
    n=$((n + 1)); echo "not ok $n - valgrind is not installed"
fi
echo "1..$n"
