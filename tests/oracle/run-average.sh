#!/bin/sh
# run-average - the average bases (SPEC 3) against exact means computed
# with Python's fractions over every month, quarter and year of the ECB
# history: see average.py. Prints TAP. Needs build/san/fxbook (make test).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${FXBOOK:-$top/build/san/fxbook}
if [ ! -x "$bin" ]; then
    echo "not ok 1 - $bin is missing (make test builds it)"
    exit 1
fi
exec /usr/bin/python3 "$top/tests/oracle/average.py" "$bin" "$@"
