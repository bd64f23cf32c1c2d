#!/bin/sh
# run-average - the Facts formulas of average bases read back with openpyxl
# against exact fractions and recalculated by LibreOffice (1e-12): see
# check_average.py. Debian's python, not PATH's. Prints TAP.
cd "$(dirname "$0")/../.." || exit 2
exec /usr/bin/python3 tests/xlsx/check_average.py "${FXBOOK:-build/san/fxbook}"
