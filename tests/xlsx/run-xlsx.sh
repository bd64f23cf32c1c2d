#!/bin/sh
# tests/xlsx: the workbook read back with real readers (openpyxl, LibreOffice
# forced to recalculate); see check_book.py. Debian's python, not PATH's.
cd "$(dirname "$0")/../.." || exit 2
exec /usr/bin/python3 tests/xlsx/check_book.py
