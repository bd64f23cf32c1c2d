#!/usr/bin/env python3
"""cmp_sheets - checks floor (c) of `make bench` against fxbook: the two
workbooks must have the same parts, and every worksheet's XML
(xl/worksheets/sheetN.xml) must be byte-identical.

    bench/cmp_sheets.py FXBOOK.xlsx FLOOR.xlsx

Prints one line per worksheet (its name, size, same or where it first
differs), then whether every other part is the same too. Exit status 0
when every sheet is identical, 1 otherwise. Streams each part: the sheets
of a million facts are GBs."""
import re
import sys
import zipfile

CHUNK = 1 << 20


def first_difference(za, zb, name):
    """None when the part is the same in both, else the byte offset where
    they first differ (or where the shorter one ends)."""
    with za.open(name) as a, zb.open(name) as b:
        at = 0
        while True:
            x, y = a.read(CHUNK), b.read(CHUNK)
            if x != y:
                n = min(len(x), len(y))
                i = next((k for k in range(n) if x[k] != y[k]), n)
                return at + i
            if not x:
                return None
            at += len(x)


def sheet_names(z):
    """sheetN.xml -> the name the workbook gives it"""
    wb = z.read("xl/workbook.xml").decode()
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    target = dict(re.findall(r'<Relationship Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    out = {}
    for name, rid in re.findall(r'<sheet name="([^"]*)" sheetId="\d+" r:id="([^"]+)"', wb):
        out["xl/" + target.get(rid, "?")] = name
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: cmp_sheets.py FXBOOK.xlsx FLOOR.xlsx")
    za, zb = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2])
    pa, pb = set(za.namelist()), set(zb.namelist())
    ok = True
    if pa != pb:
        ok = False
        print("parts only in %s: %s" % (sys.argv[1], sorted(pa - pb) or "none"))
        print("parts only in %s: %s" % (sys.argv[2], sorted(pb - pa) or "none"))
    names = sheet_names(za)
    sheets = sorted((p for p in pa & pb if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", p)),
                    key=lambda p: int(re.search(r"\d+", p).group()))
    if not sheets:
        ok = False
        print("no worksheets in common")
    for s in sheets:
        d = first_difference(za, zb, s)
        size = za.getinfo(s).file_size
        if d is None:
            print("%-28s %-16s %12d bytes  same" % (s, names.get(s, "?"), size))
        else:
            ok = False
            print("%-28s %-16s %12d bytes  DIFFER from byte %d" % (s, names.get(s, "?"), size, d))
    others = sorted(p for p in pa & pb if p not in sheets)
    differ = [p for p in others if first_difference(za, zb, p) is not None]
    print("other parts (%d): %s" % (len(others), "differ: " + ", ".join(differ) if differ
                                    else "all the same"))
    print("every sheet the same" if ok else "the sheets DIFFER")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
