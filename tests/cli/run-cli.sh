#!/bin/sh
# run-cli - the real binary on fixtures: exact exit code and stderr, the
# existing output untouched, no temporary file left. Prints TAP.
set -u
BIN=${FXBOOK:-build/san/fxbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }

# 1. The corpus: every bad input gets its exact message and exit code.
tab=$(printf '\t')
while IFS="$tab" read -r name code args; do
    case $name in '' | \#*) continue ;; esac
    rm -rf "$T/w" && mkdir "$T/w"
    echo old > "$T/w/out.xlsx"
    # shellcheck disable=SC2086
    $BIN $args -o "$T/w/out.xlsx" > "$T/stdout" 2> "$T/stderr"
    rc=$?
    if [ "$rc" -ne "$code" ]; then
        notok "$name: exit $rc, want $code"
        sed 's/^/# /' "$T/stderr" | head -5
    elif ! cmp -s "$T/stderr" "tests/cli/expect/$name.err"; then
        notok "$name: stderr differs"
        diff "tests/cli/expect/$name.err" "$T/stderr" | sed 's/^/# /' | head -10
    elif [ "$(cat "$T/w/out.xlsx")" != old ] || [ "$(ls -A "$T/w")" != out.xlsx ]; then
        notok "$name: output touched or temporary file left: $(ls -A "$T/w" | tr '\n' ' ')"
    else
        ok "$name: exit $code, exact message, output untouched"
    fi
done < tests/cli/cases.tsv

# 2. The good corpus is accepted and written.
for f in fixtures/good/*.csv; do
    rm -rf "$T/w" && mkdir "$T/w"
    if $BIN -q "$f" -o "$T/w/out.xlsx" 2> "$T/stderr" && [ -s "$T/w/out.xlsx" ] && [ ! -s "$T/stderr" ]; then
        ok "accepted: $f"
        mkdir -p "$T/books" && cp "$T/w/out.xlsx" "$T/books/$(basename "$f" .csv).xlsx"
    else
        notok "accepted: $f"
        sed 's/^/# /' "$T/stderr" | head -5
    fi
done

# 3. Options and conventions.
out=$($BIN --help 2>&1)
rc=$?
check "--help exits 0 and shows usage" '[ $rc -eq 0 ] && echo "$out" | grep -q "^usage: fxbook"'
check "--version" '[ "$($BIN --version)" = "fxbook $(cat VERSION)" ]'
$BIN --check fixtures/bytedance-ai-2025.csv > "$T/stdout" 2> "$T/stderr"
rc=$?
check "--check accepts the bundled facts" '[ $rc -eq 0 ] && grep -q "checked, nothing written" "$T/stderr"'
check "--check writes nothing" '[ ! -s "$T/stdout" ]'

rm -rf "$T/csv"
$BIN -q fixtures/bytedance-ai-2025.csv --csv-dir "$T/csv" 2> "$T/stderr"
rc=$?
check "--csv-dir alone writes the five files" '[ $rc -eq 0 ] && [ -s "$T/csv/facts.csv" ] && [ -s "$T/csv/conversions.csv" ] && [ -s "$T/csv/comparison.csv" ] && [ -s "$T/csv/findings.csv" ] && [ -s "$T/csv/implied_rates.csv" ]'
check "RMB 40 billion on 2025-01-22 is 5504137458.49 USD" \
    'grep -q "^a000-02,ai_chips_china_2025,ai-news-digest,2025-01-22,40000000000,CNY,USD,2025-01-22,ECB,0.137603436462,5504137458.49$" "$T/csv/facts.csv"'
check "RMB 150 billion -> \$20.64 billion matches 2025-01-22 only" \
    'grep -q "^a001-01,.*,20640000000,USD,.*,close,2025-01-22,\"ECB 2025-01-22 spot, 2 days before\",1$" "$T/csv/conversions.csv"'

printf 'fact_id,entity,claim,source,published,value,unit,quote\nsat,E,c,s,2025-01-25,40,CNY,q\n' > "$T/sat.csv"
$BIN -q "$T/sat.csv" --csv-dir "$T/sat" 2> "$T/stderr"
check "a Saturday uses Friday's rate, with that date shown" \
    'grep -q "^sat,c,s,2025-01-25,40,CNY,USD,2025-01-24," "$T/sat/facts.csv"'
$BIN -q "$T/sat.csv" --date 2025-01-22 --places 4 --rounding down --csv-dir "$T/sat2" 2> "$T/stderr"
check "--date, --places, --rounding" \
    'grep -q "^sat,c,s,2025-01-22,40,CNY,USD,2025-01-22,ECB,0.137603436462,5.5041$" "$T/sat2/facts.csv"'
$BIN -q "$T/sat.csv" -t EUR,GBP --csv-dir "$T/multi" 2> "$T/stderr"
check "two targets give two rows" '[ "$(grep -c "^sat," "$T/multi/facts.csv")" -eq 2 ]'

$BIN -q fixtures/good/quoted.csv -o - > "$T/stdout.xlsx" 2> "$T/stderr"
rc=$?
check "-o - writes the workbook to standard output" '[ $rc -eq 0 ] && [ "$(head -c 2 "$T/stdout.xlsx")" = PK ]'
if [ -w /dev/full ]; then
    $BIN -q fixtures/good/quoted.csv -o - > /dev/full 2> "$T/stderr"
    rc=$?
    check "-o - to a full device is an I/O error (74)" '[ $rc -eq 74 ]'
fi
mkdir -p "$T/ro" && chmod 555 "$T/ro"
if [ "$(id -u)" != 0 ]; then
    $BIN -q fixtures/good/quoted.csv -o "$T/ro/out.xlsx" 2> "$T/stderr"
    rc=$?
    check "an unwritable folder is 73" '[ $rc -eq 73 ]'
fi
# A full disk, with a file size limit of 200,000 bytes standing in for it
# (SIGXFSZ ignored, so a write past it fails with EFBIG): 74, the file named, the
# old output untouched, no temporary file left, in both output modes.
awk 'BEGIN { print "fact_id,entity,claim,source,published,value,scale,unit,quote";
             for (i = 1; i <= 20000; i++)
                 printf "f%d,E,c%d,s%d,2025-01-22,%d,billion,CNY,\"RMB %d billion\"\n", i, i % 700, i % 9, 40 + i % 13, 40 + i % 13 }' \
    > "$T/big.csv"
rm -rf "$T/fs" && mkdir -p "$T/fs/csv" && echo old > "$T/fs/out.xlsx" && echo old > "$T/fs/csv/facts.csv"
(trap '' XFSZ; exec prlimit --fsize=200000 $BIN -q "$T/big.csv" -o "$T/fs/out.xlsx") 2> "$T/stderr"
rc=$?
check "full disk under -o: 74, named, old output kept, nothing left" \
    '[ $rc -eq 74 ] && grep -q "cannot write.*File too large" "$T/stderr" && [ "$(cat "$T/fs/out.xlsx")" = old ] && [ "$(ls -A "$T/fs")" = "csv
out.xlsx" ]'
(trap '' XFSZ; exec prlimit --fsize=200000 $BIN -q "$T/big.csv" --csv-dir "$T/fs/csv") 2> "$T/stderr"
rc=$?
check "full disk under --csv-dir: 74, the folder named, old files kept, nothing left" \
    '[ $rc -eq 74 ] && grep -q "cannot write.* $T/fs/csv.*: File too large" "$T/stderr" && [ "$(cat "$T/fs/csv/facts.csv")" = old ] && [ "$(ls -A "$T/fs/csv")" = facts.csv ]'
# its scratch records (64 bytes a fact, ten claims) fit, its facts.csv (84) does not
awk 'BEGIN { print "fact_id,entity,claim,source,published,value,scale,unit,quote";
             for (i = 1; i <= 2600; i++)
                 printf "f%d,E,c%d,s%d,2025-01-22,%d,billion,CNY,\"RMB %d billion\"\n", i, i % 10, i % 9, 40 + i % 13, 40 + i % 13 }' \
    > "$T/mid.csv"
(trap '' XFSZ; exec prlimit --fsize=200000 $BIN -q "$T/mid.csv" --csv-dir "$T/fs/csv") 2> "$T/stderr"
rc=$?
check "a CSV file past the limit is named: 74, old files kept" \
    '[ $rc -eq 74 ] && grep -qx "fxbook: error: cannot write $T/fs/csv/facts.csv: File too large" "$T/stderr" && [ "$(cat "$T/fs/csv/facts.csv")" = old ] && [ "$(ls -A "$T/fs/csv")" = facts.csv ]'
$BIN -q "$T/big.csv" -o "$T/fs/out.xlsx" --csv-dir "$T/fs/csv" 2> "$T/stderr"
rc=$?
check "the same input without the limit is written" \
    '[ $rc -eq 0 ] && [ "$(head -c 2 "$T/fs/out.xlsx")" = PK ] && [ "$(grep -c . "$T/fs/csv/comparison.csv")" -eq 701 ]'

$BIN -q fixtures/good/quoted.csv -o "$T/nodir/sub/out.xlsx" 2> "$T/stderr"
rc=$?
check "a missing folder is 73 with a message" '[ $rc -eq 73 ] && grep -q "cannot create" "$T/stderr"'

$BIN -q fixtures/bad/value-comma.csv -o "$T/nodir/sub/out.xlsx" 2> "$T/stderr"
rc=$?
check "bad data (65) wins over an output that cannot be created (73), both named" \
    '[ $rc -eq 65 ] && grep -q "cannot create" "$T/stderr" && grep -q "value-comma.csv:2:21" "$T/stderr"'

# The export abandoned after a data error wrote to its closed streams.
# ASan misses it (libc frees them): the release binary is run too, with
# freed memory overwritten so that the use after free crashes every time.
for b in $BIN "${FXBOOK_RELEASE:-build/fxbook}"; do
    rm -rf "$T/late" && mkdir "$T/late"
    MALLOC_PERTURB_=165 $b -q fixtures/bytedance-ai-2025.csv fixtures/bad/value-comma.csv -o "$T/late/out.xlsx" \
        --csv-dir "$T/late/csv" 2> "$T/stderr"
    rc=$?
    check "a data error after CSV rows were written ($b): 65, named, nothing left" \
        '[ $rc -eq 65 ] && grep -q "value-comma.csv:2:21" "$T/stderr" && [ -z "$(ls -A "$T/late")" ]'
done

$BIN -q fixtures/bytedance-ai-2025.csv --csv-dir "$T/f1" --fail-on disagree 2> "$T/stderr"
rc=$?
check "--fail-on disagree exits 1 and still writes" '[ $rc -eq 1 ] && [ -s "$T/f1/comparison.csv" ]'
$BIN -q fixtures/bytedance-ai-2025.csv --csv-dir "$T/f2" --fail-on inconsistent 2> "$T/stderr"
rc=$?
want=0; grep -q ",inconsistent," "$T/f2/conversions.csv" && want=1
check "--fail-on inconsistent follows the audit" '[ $rc -eq $want ]'
$BIN -q fixtures/bytedance-ai-2025.csv --check > "$T/stdout" 2> "$T/stderr"
check "--quiet prints nothing on success" '[ ! -s "$T/stderr" ]'

# A comma-decimal locale, built here so the test cannot pass vacuously.
mkdir -p "$T/loc" && localedef -i de_DE -f UTF-8 "$T/loc/de_DE.UTF-8" 2> /dev/null
check "the comma-decimal locale is active" \
    '[ "$(LOCPATH="$T/loc" LC_ALL=de_DE.UTF-8 /usr/bin/printf "%.1f" 1.5)" = "1,5" ]'
LOCPATH="$T/loc" LC_ALL=de_DE.UTF-8 $BIN -q fixtures/bytedance-ai-2025.csv --csv-dir "$T/de" 2> /dev/null
check "a comma-decimal locale changes nothing" 'cmp -s "$T/de/facts.csv" "$T/csv/facts.csv"'

# Progress: on a terminal only, never with --quiet or without a TTY (cron).
awk 'BEGIN { print "fact_id,entity,claim,source,published,value,unit,quote"
             for (i = 0; i < 20000; i++) printf "p%d,E,c%d,s,2025-01-22,%d,CNY,q\n", i, i % 50, i }' > "$T/many.csv"
if command -v script > /dev/null 2>&1; then
    script -q -e -c "$BIN $T/many.csv -o $T/p1.xlsx" /dev/null > "$T/tty.out" 2>&1
    check "progress shows on a terminal" 'grep -aq "facts read" "$T/tty.out"'
    script -q -e -c "$BIN -q $T/many.csv -o $T/p2.xlsx" /dev/null > "$T/tty.out" 2>&1
    check "no progress with --quiet" '! grep -aq "facts read" "$T/tty.out"'
fi
$BIN "$T/many.csv" -o "$T/p3.xlsx" 2> "$T/stderr"
check "no progress without a terminal (cron)" '! grep -aq "facts read" "$T/stderr"'

# Every workbook kept above, and the one -o - wrote, is valid XML 1.0 part by part.
cp "$T/stdout.xlsx" "$T/books/stdout.xlsx" 2> /dev/null
/usr/bin/python3 tests/xlsx/xmlcheck.py "$T/books" > "$T/xml" 2>&1
rc=$?
check "every XML part of the workbooks written here parses with expat" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || grep -v '^ok' "$T/xml" | sed 's/^/# /' | head -10
echo "1..$n"
