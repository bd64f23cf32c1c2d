#!/usr/bin/python3
"""attribute - who owns fxbook's CPU time: reads `perf script -F tid,ip,sym,dso`
(with call chains) on stdin and `nm -l -n` of the binary (argv[1]), and sums
the samples twice:

- by owner: walking each stack from the leaf, the first frame that is
  fxbook's (then its source file: csvin.c, dec.c, ...), libxlsxwriter's or
  zlib's, or libcsv's owns the sample; what it spent in libc, GMP/MPFR,
  GLib or the kernel is shown beside it;
- by stage: the outermost of fxbook's stage functions on the stack
  (parse, convert, audit and its matching-days search, the writer, close).

Used by bench/profile.sh; prints plain text."""
import bisect
import collections
import re
import subprocess
import sys

STAGES = [  # (function on the stack, stage name): the first match from the root wins
    ("hash_input", "inputs: size and SHA-256"),
    ("fx_rates_load", "rates: load"),
    ("fx_rates_finish", "rates: finish"),
    ("fx_rates_each_day", "audit: matching rate dates"),
    ("fx_audit_check", "audit: check (without matching dates)"),
    ("fx_audit_add", "audit: aggregates"),
    ("fx_convert", "convert"),
    ("fx_book_add", "book: Facts rows (+ libxlsxwriter)"),
    ("fx_writer_add", "writer: hand-off of a fact (deep copy, waits)"),
    ("fx_writer_finish", "writer: waiting for the writer thread at the end"),
    ("write_conversions", "book close: Conversions sheet"),
    ("write_rates", "book close: Rates sheet"),
    ("write_comparison", "book close: Comparison sheet"),
    ("write_summary", "book close: Summary sheet"),
    ("write_sources", "book close: Sources sheet"),
    ("workbook_close", "book close: workbook_close (XML assembly, zip, deflate)"),
    ("fx_export_add", "csv export"),
    ("on_fact", "pipeline: on_fact (other)"),
    ("fx_facts_read", "parse: csvin + facts validation"),
]
INNER_FIRST = {"fx_rates_each_day", "fx_audit_check", "fx_audit_add", "fx_convert",
               "fx_book_add", "fx_writer_add", "fx_writer_finish", "fx_export_add", "write_conversions",
               "write_rates", "write_comparison", "write_summary", "write_sources",
               "workbook_close"}


def load_map(binary):
    out = subprocess.run(["nm", "-l", "-n", "--defined-only", binary], capture_output=True,
                         text=True, check=True).stdout
    addrs, files = [], []
    for line in out.splitlines():
        m = re.match(r"([0-9a-f]+) [tT] (\S+)(?:\t(\S+))?", line)
        if m:
            addrs.append(int(m.group(1), 16))
            f = m.group(3) or ""
            files.append(f.rsplit("/", 1)[-1].split(":")[0] or m.group(2))
    return addrs, files


BINARY = "fxbook"  # the profiled binary's file name (argv[1])


def kind(dso):
    d = dso.rsplit("/", 1)[-1]
    if d.startswith("libz."):
        return "zlib"
    if d.startswith("libxlsxwriter") or d.startswith("libminizip"):
        return "xlsx"
    if d.startswith("libcsv"):
        return "csv"
    if d.startswith("libgmp") or d.startswith("libmpfr"):
        return "gmp"
    if d.startswith("libglib"):
        return "glib"
    if d.startswith("libc.") or d.startswith("libm."):
        return "libc"
    if "kernel" in d:
        return "kernel"
    if d == BINARY:
        return "fxbook"
    return "other"


def main():
    global BINARY
    BINARY = sys.argv[1].rsplit("/", 1)[-1]
    addrs, files = load_map(sys.argv[1])
    owner = collections.Counter()
    owner_leaf = collections.defaultdict(collections.Counter)
    stage = collections.Counter()
    total = 0
    stack = []

    def flush():
        nonlocal total
        if not stack:
            return
        total += 1
        leaf = kind(stack[0][2])
        own = None
        for ip, sym, dso in stack:
            k = kind(dso)
            if k == "fxbook":
                i = bisect.bisect_right(addrs, ip) - 1
                own = files[i] if i >= 0 else "fxbook ?"
                break
            if k in ("xlsx", "zlib"):
                own = "libxlsxwriter + zlib"
                break
            if k == "csv":
                own = "libcsv"
                break
        own = own or "other (start-up, ld.so, kernel only)"
        owner[own] += 1
        owner_leaf[own][leaf] += 1
        syms = [s for _, s, _ in stack]
        st = None
        for fn, name in STAGES:
            if fn in INNER_FIRST and fn in syms:
                st = name
                break
        if st is None:
            for fn, name in STAGES:
                if fn in syms:
                    st = name
                    break
        stage[st or "other"] += 1
        stack.clear()

    for line in sys.stdin:
        if not line.strip():
            flush()
            continue
        if not line.startswith((" ", "\t")):
            flush()
            continue
        m = re.match(r"\s+([0-9a-f]+) (.*) \((.*)\)$", line.rstrip("\n"))
        if m:
            stack.append((int(m.group(1), 16), m.group(2), m.group(3)))
    flush()
    if not total:
        print("no samples")
        return
    print(f"{total} samples")
    print()
    print("## by owner (first frame of fxbook, libxlsxwriter/zlib or libcsv from the leaf)")
    print(f"{'owner':<40} {'share':>7}   of which the leaf is in")
    for own, n in owner.most_common():
        leaves = ", ".join(f"{k} {100 * c / total:.1f}%" for k, c in owner_leaf[own].most_common())
        print(f"{own:<40} {100 * n / total:6.1f}%   {leaves}")
    print()
    print("## by stage (a sample counts once, in its innermost stage)")
    for st, n in stage.most_common():
        print(f"{st:<58} {100 * n / total:6.1f}%")


if __name__ == "__main__":
    main()
