#!/usr/bin/python3
# xmlcheck - every XML part of every workbook is well-formed XML 1.0, read
# by expat, a strict parser (openpyxl, LibreOffice and Excel each forgive
# or fail differently; expat is the yardstick: an invalid character, a
# raw control character, a bad UTF-8 byte or U+FFFE/U+FFFF is an error).
#
#   xmlcheck.py PATH...   each PATH an .xlsx file or a folder searched for them
#
# Prints one line per workbook ("ok: FILE (N parts)" or the part, line,
# column and expat's reason) and exits 1 if any part of any workbook fails,
# 2 if the PATHs hold no workbook at all. As a module: check(path) ->
# (problems, number of XML parts).
import os
import sys
import zipfile
from xml.parsers import expat

XML_SUFFIXES = (".xml", ".rels", ".vml")


def parse_part(data):
    """None if data is well-formed XML 1.0, else expat's reason with its place."""
    p = expat.ParserCreate()
    try:
        p.Parse(data, True)
    except expat.ExpatError as e:
        return "line %d, column %d: %s" % (e.lineno, e.offset, expat.ErrorString(e.code))
    return None


def check(path):
    """(problems, XML parts) of one workbook; no problems when every part parses."""
    problems = []
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        return ["%s: not a zip file: %s" % (path, e)], 0
    with z:
        bad = z.testzip()
        if bad:
            problems.append("%s: %s: bad CRC" % (path, bad))
        parts = [n for n in z.namelist() if n.endswith(XML_SUFFIXES)]
        if "[Content_Types].xml" not in parts:
            problems.append("%s: no [Content_Types].xml" % path)
        for name in parts:
            why = parse_part(z.read(name))
            if why:
                problems.append("%s: %s: %s" % (path, name, why))
    return problems, len(parts)


def workbooks(paths):
    for p in paths:
        if os.path.isdir(p):
            for top, _, files in os.walk(p):
                for f in sorted(files):
                    if f.endswith(".xlsx"):
                        yield os.path.join(top, f)
        else:
            yield p


def main(argv):
    seen = failed = 0
    for book in workbooks(argv[1:]):
        seen += 1
        problems, nparts = check(book)
        if problems:
            failed += 1
            for line in problems:
                print("bad: " + line)
        else:
            print("ok: %s (%d parts)" % (book, nparts))
    if seen == 0:
        print("no workbook found in: " + " ".join(argv[1:]))
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
