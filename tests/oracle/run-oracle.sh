#!/bin/sh
# run-oracle - src/dec.c against exact arithmetic (Python fractions): see
# oracle.py. Prints TAP. Needs build/san/tools/dec_convert (make test).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tool=$top/build/san/tools/dec_convert
if [ ! -x "$tool" ]; then
    echo "not ok 1 - $tool is missing (make test builds it)"
    exit 1
fi
# Debian's python3 on purpose: the one on PATH may be another install.
exec /usr/bin/python3 "$top/tests/oracle/oracle.py" "$tool" "$@"
