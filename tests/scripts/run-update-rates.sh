#!/bin/sh
# run-update-rates - scripts/update-rates on local zips (no network here):
# a newer history replaces the file atomically; a broken, older or
# non-ECB one is refused and the file is untouched. Prints TAP.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
PY=/usr/bin/python3
mkzip() { # dir-with-csv zip
    (cd "$1" && $PY -m zipfile -c "$2" eurofxref-hist.csv)
}
cp rates/eurofxref-hist.csv "$T/current.csv"
# A newer history: one more day on top.
mkdir "$T/new"
{ head -n 1 rates/eurofxref-hist.csv
  sed -n 2p rates/eurofxref-hist.csv | sed 's/^[0-9-]*,/2025-05-12,/'
  tail -n +2 rates/eurofxref-hist.csv; } > "$T/new/eurofxref-hist.csv"
mkzip "$T/new" "$T/new.zip"
scripts/update-rates --from "$T/new.zip" --to "$T/current.csv" 2> "$T/err"
rc=$?
check "a newer history replaces the file" '[ $rc -eq 0 ] && cmp -s "$T/current.csv" "$T/new/eurofxref-hist.csv"'
check "no temporary file is left" '[ "$(ls -A "$T" | grep -c "^\.eurofxref")" -eq 0 ]'
scripts/update-rates --from "$T/new.zip" --to "$T/current.csv" 2> "$T/err"
rc=$?
check "the same history again is 'already current'" '[ $rc -eq 0 ] && grep -q "already current" "$T/err"'

cp "$T/current.csv" "$T/before.csv"
mkdir "$T/old" && head -n 100 rates/eurofxref-hist.csv > "$T/old/eurofxref-hist.csv"
mkzip "$T/old" "$T/old.zip"
scripts/update-rates --from "$T/old.zip" --to "$T/current.csv" 2> "$T/err"
rc=$?
check "a shorter history is refused (65), file untouched" '[ $rc -eq 65 ] && cmp -s "$T/current.csv" "$T/before.csv"'

mkdir "$T/bad" && { head -n 1 rates/eurofxref-hist.csv; echo "2025-13-45,1.1,x"; } > "$T/bad/eurofxref-hist.csv"
mkzip "$T/bad" "$T/bad.zip"
scripts/update-rates --from "$T/bad.zip" --to "$T/current.csv" 2> "$T/err"
rc=$?
check "a malformed history is refused (65), file untouched" '[ $rc -eq 65 ] && cmp -s "$T/current.csv" "$T/before.csv"'

echo "not a zip" > "$T/junk.zip"
scripts/update-rates --from "$T/junk.zip" --to "$T/current.csv" 2> "$T/err"
rc=$?
check "a file that is not a zip is refused, file untouched" '[ $rc -eq 65 ] && cmp -s "$T/current.csv" "$T/before.csv"'

mkdir "$T/nocol" && cut -d, -f1-3 "$T/new/eurofxref-hist.csv" > "$T/nocol/eurofxref-hist.csv"
mkzip "$T/nocol" "$T/nocol.zip"
scripts/update-rates --from "$T/nocol.zip" --to "$T/current.csv" 2> "$T/err"
rc=$?
check "a history that lost currencies is refused" '[ $rc -eq 65 ] && grep -q "lacks the" "$T/err"'
echo "1..$n"
