#!/usr/bin/python3
# check_workpaper - tests/xlsx: one fxbook workbook against SPEC 6's
# workpaper rules, read back with openpyxl (cells: values, cached formula
# values, number formats) and with zipfile + expat (a strict XML parser) for
# what openpyxl's streaming reader does not give: column widths, panes,
# autofilters, print setup, print titles, hyperlinks and HYPERLINK formulas.
# Prints TAP from --first N (the runner numbers the whole group).
#
#   check_workpaper.py --selftest [--first N]    the number formatter on examples
#   check_workpaper.py [--first N] [--label L] BOOK.xlsx
#
# The invariant: a check never passes by not understanding what it reads. A
# number format the formatter does not know, a link it cannot parse, a
# drawing anchor it cannot place: each is a failure that names it.
import json
import os
import re
import sys
import zipfile
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from xml.parsers import expat

ORDER = ["Summary", "Findings", "Comparison", "Conversions", "Facts", "Rates", "Sources", "About"]
LISTS = {"Findings", "Comparison", "Conversions", "Facts", "Rates", "Sources"}
MAX_LINKS = 65530
SUMMARY_ROWS = 60
DEFAULT_WIDTH = 8.43
DETAIL = 10  # detail lines per failed check

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"

# ---------------------------------------------------------------- TAP

_n = 0
_failed = 0
_sink = None  # a list: ok() records (cond, desc, problems) there instead of printing


def ok(cond, desc, problems=()):
    """One TAP line; on failure the first problem goes on the line itself
    (": detail"), then up to DETAIL comment lines. A problem is a string, or
    (group, string): then each comment line is the first problem of a group
    (a sheet's column, say) with how many more the group has, so that a
    thousand cells of one column do not hide the other columns."""
    global _n, _failed
    problems = list(problems)
    if _sink is not None:
        _sink.append((bool(cond), desc, problems))
        return cond
    _n += 1
    if cond:
        print("ok %d - %s" % (_n, desc))
        sys.stdout.flush()
        return cond
    _failed += 1
    groups = {}
    for p in problems:
        key, text = p if isinstance(p, tuple) else (len(groups), p)
        if key in groups:
            groups[key][1] += 1
        else:
            groups[key] = [text, 0]
    lines = [t + (" (and %d more like it)" % k if k else "") for t, k in groups.values()]
    head = " : %s" % lines[0] if lines else ""
    more = " (%d problems)" % len(problems) if len(problems) > 1 else ""
    print("not ok %d - %s%s%s" % (_n, desc, more, head))
    for line in lines[:DETAIL]:
        print("#   " + str(line).replace("\n", " "))
    if len(lines) > DETAIL:
        print("#   ... and %d more kinds" % (len(lines) - DETAIL))
    sys.stdout.flush()
    return cond


# ---------------------------------------------------------------- formats


class Unsupported(Exception):
    """A number format (or part of one) the formatter does not know."""


COLORS = re.compile(r"^(black|blue|cyan|green|magenta|red|white|yellow|color\d{1,2})$", re.I)
DATE_TOKENS = re.compile(r"yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d", re.I)


def split_sections(fmt):
    """The ';'-separated sections of a format, quotes and escapes respected."""
    out, cur, i = [], "", 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == '"':
            j = fmt.find('"', i + 1)
            if j < 0:
                raise Unsupported("unterminated quote in %r" % fmt)
            cur += fmt[i:j + 1]
            i = j + 1
            continue
        if ch in "\\_*" and i + 1 < len(fmt):
            cur += fmt[i:i + 2]
            i += 2
            continue
        if ch == ";":
            out.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    out.append(cur)
    return out


def tokenize(section, fmt):
    """A section as tokens: ('lit', text) | ('ph', '0'|'#'|'?') | ('.',) |
    (',',) | ('%',) | ('date', token) | ('@',)."""
    toks, i = [], 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            j = section.index('"', i + 1)
            toks.append(("lit", section[i + 1:j]))
            i = j + 1
        elif ch == "\\":
            toks.append(("lit", section[i + 1:i + 2]))
            i += 2
        elif ch == "_":  # a space as wide as the next character
            toks.append(("lit", " "))
            i += 2
        elif ch == "*":  # repeat to fill the cell: takes no width of its own
            i += 2
        elif ch == "[":
            j = section.find("]", i)
            if j < 0:
                raise Unsupported("unterminated [ in %r" % fmt)
            inner = section[i + 1:j]
            if COLORS.match(inner):
                pass
            elif inner.startswith("$"):  # [$USD-409]: the text before '-'
                toks.append(("lit", inner[1:].split("-")[0]))
            else:
                raise Unsupported("[%s] (condition or elapsed time) in %r" % (inner, fmt))
            i = j + 1
        elif ch in "0#?":
            toks.append(("ph", ch))
            i += 1
        elif ch in ".,%@":
            toks.append((ch,))
            i += 1
        elif ch in "Ee" and i + 1 < len(section) and section[i + 1] in "+-":
            raise Unsupported("scientific notation in %r" % fmt)
        elif ch.isascii() and ch.isalpha():
            m = DATE_TOKENS.match(section, i)
            if not m:
                raise Unsupported("%r (time or unknown letter) in %r" % (ch, fmt))
            toks.append(("date", m.group().lower()))
            i = m.end()
        elif ch in "$-+/():!^&'~{}<>= " or not ch.isascii():
            toks.append(("lit", ch))
            i += 1
        else:
            raise Unsupported("%r in %r" % (ch, fmt))
    return toks


def excel_decimal(v):
    """A double as Excel sees it: 15 significant digits."""
    return Decimal("%.15g" % v)


def general(v):
    """Excel's General format in a column wide enough: at most 11
    characters; integers below 1e11 in full; otherwise decimals cut to fit,
    or scientific (1.23457E+11) outside 1e-4 .. 1e11. Excel narrows General
    to fit a narrow column instead of showing ####, so this is the text a
    column must hold to show the whole value."""
    if v == 0:
        return "0"
    neg = v < 0
    a = abs(excel_decimal(v))
    room = 11 - neg
    if a == a.to_integral_value() and a < Decimal("1e11"):
        s = str(int(a))
    elif Decimal("1e-4") <= a < Decimal("1e11"):
        intd = len(str(int(a))) if a >= 1 else 1
        places = max(0, room - intd - 1)
        s = str(a.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
        if "." in s:
            s = s.rstrip("0").rstrip(".")
    else:
        exp = a.adjusted()
        for places in range(5, -1, -1):
            m = (a.scaleb(-exp)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
            e = exp
            if m >= 10:
                m, e = m / 10, exp + 1
            ms = str(m)
            if "." in ms:
                ms = ms.rstrip("0").rstrip(".")
            s = "%sE%s%02d" % (ms, "-" if e < 0 else "+", abs(e))
            if len(s) <= room:
                break
    return ("-" if neg else "") + s


class Shown:
    """What a format does to a value: the text, and what the tests need to
    know about the section that made it."""

    def __init__(self, text, grouping=False, percent=0, scale=0, places=0, is_date=False):
        self.text = text
        self.grouping = grouping  # thousands separators
        self.percent = percent    # real '%' placeholders (each multiplies by 100)
        self.scale = scale        # trailing commas (each divides by 1000)
        self.places = places      # decimal placeholders
        self.is_date = is_date


def format_date(toks, v, fmt):
    if isinstance(v, datetime):
        v = v.date()
    if not isinstance(v, date):
        raise Unsupported("a date format %r on the number %r" % (fmt, v))
    names = ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    out = ""
    for t in toks:
        if t[0] == "lit":
            out += t[1]
        elif t[0] == "date":
            k = t[1]
            out += {
                "yyyy": "%04d" % v.year, "yy": "%02d" % (v.year % 100),
                "mmmmm": names[v.month - 1][0], "mmmm": names[v.month - 1],
                "mmm": names[v.month - 1][:3], "mm": "%02d" % v.month, "m": str(v.month),
                "dddd": days[v.weekday()], "ddd": days[v.weekday()][:3],
                "dd": "%02d" % v.day, "d": str(v.day),
            }[k]
        elif t[0] in (".", ","):
            out += t[0]
        else:
            raise Unsupported("%r mixed with a date in %r" % (t[0], fmt))
    return Shown(out, is_date=True)


def format_number(toks, v, signed, fmt):
    """v >= 0 unless signed (a lone section formatting a negative value)."""
    phs = [i for i, t in enumerate(toks) if t[0] == "ph"]
    if not phs:  # literal-only section, e.g. "-" for zero
        if any(t[0] == "@" for t in toks):
            raise Unsupported("@ in a number section of %r" % fmt)
        return Shown(("-" if signed and v < 0 else "") +
                     "".join(t[1] if t[0] == "lit" else t[0] for t in toks))
    first, last = phs[0], phs[-1]
    dot = next((i for i, t in enumerate(toks) if t[0] == "." and first <= i <= last + 1), None)
    ipart, dpart, grouping, scale = [], [], False, 0
    for i in range(first, last + 1):
        t = toks[i]
        if t[0] == "ph":
            (dpart if dot is not None and i > dot else ipart).append(t[1])
        elif t[0] == ",":
            if dot is None or i < dot:
                grouping = True  # between integer placeholders
            else:
                raise Unsupported("',' among the decimals of %r" % fmt)
        elif t[0] == ".":
            if i != dot:
                raise Unsupported("two decimal points in %r" % fmt)
        else:
            raise Unsupported("%r between the digits of %r" % (t, fmt))
    # commas right after the last digit placeholder (or the point) scale by 1000
    j = max(last, dot if dot is not None else last) + 1
    while j < len(toks) and toks[j][0] == ",":
        scale += 1
        j += 1
    prefix_toks = toks[:first]
    suffix_toks = toks[j:]
    percent = sum(1 for t in toks if t[0] == "%")
    for t in prefix_toks + suffix_toks:
        if t[0] in ("ph", "date", "@", "."):
            raise Unsupported("%r outside the digits of %r" % (t, fmt))

    def lit(ts):
        return "".join(t[1] if t[0] == "lit" else "%" if t[0] == "%" else
                       "," if t[0] == "," else "" for t in ts)

    d = abs(excel_decimal(v)) * (Decimal(100) ** percent) / (Decimal(1000) ** scale)
    places = len(dpart)
    d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, frac = format(d, "f").partition(".")
    # decimals: '0' shows, '#' drops a trailing zero, '?' makes it a space
    frac = list(frac)
    for k in range(places - 1, -1, -1):
        if frac[k] != "0" or dpart[k] == "0":
            break
        frac[k] = " " if dpart[k] == "?" else ""
    frac = "".join(frac)
    # integer: at least as many digits as placeholders from the first '0'/'?'
    forced = next((k for k, p in enumerate(ipart) if p in "0?"), len(ipart))
    need = ipart[forced:]
    if whole == "0" and not need:
        whole = ""
    if len(whole) < len(need):
        pad = need[:len(need) - len(whole)]
        whole = "".join("0" if p == "0" else " " for p in pad) + whole
    if grouping:
        digits = whole.lstrip(" ")
        lead = whole[:len(whole) - len(digits)]
        g = ""
        while len(digits) > 3:
            g = "," + digits[-3:] + g
            digits = digits[:-3]
        whole = lead + digits + g
    num = whole + ("." + frac if dot is not None else "")
    text = lit(prefix_toks) + num + lit(suffix_toks)
    if signed and v < 0:
        text = "-" + text
    return Shown(text, grouping=grouping, percent=percent, scale=scale, places=places)


def shown(value, fmt):
    """The text Excel shows for a number or date under the format (in a
    column wide enough), with what the format did. Raises Unsupported."""
    if fmt is None or fmt == "General":
        if isinstance(value, (datetime, date)):
            raise Unsupported("a date under General")
        return Shown(general(value))
    sections = split_sections(fmt)
    if len(sections) > 4:
        raise Unsupported("more than 4 sections in %r" % fmt)
    toks = [tokenize(s, fmt) for s in sections]
    if any(t[0] == "date" for t in toks[0]):
        if len(sections) > 1:
            raise Unsupported("a date format with sections: %r" % fmt)
        return format_date(toks[0], value, fmt)
    if isinstance(value, (datetime, date)):
        raise Unsupported("a date under the number format %r" % fmt)
    if any(t[0] == "date" for s in toks for t in s):
        raise Unsupported("date tokens in a later section of %r" % fmt)
    if len(toks) >= 3 and value == 0:
        return format_number(toks[2], value, False, fmt)
    if len(toks) >= 2 and value < 0:
        return format_number(toks[1], value, False, fmt)
    return format_number(toks[0], value, True, fmt)


SELFTEST = [
    # (value, format, text)
    (0, "General", "0"),
    (12, "General", "12"),
    (-7, "General", "-7"),
    (7.5892, "General", "7.5892"),
    (1.0443, "General", "1.0443"),
    (0.1, "General", "0.1"),
    (12345678901, "General", "12345678901"),
    (123456789012, "General", "1.23457E+11"),
    (5504137458.493649, "General", "5504137458"),
    (3.14159265358979, "General", "3.141592654"),
    (-3.14159265358979, "General", "-3.14159265"),
    (0.00001234, "General", "1.234E-05"),
    (12, "0", "12"),
    (12.5, "0", "13"),          # Excel rounds half away from zero
    (-12.5, "0", "-13"),
    (0.4, "0", "0"),
    (2.675, "0.00", "2.68"),    # 15 digits first: 2.675, not 2.67499999...
    (1234567, "#,##0", "1,234,567"),
    (999, "#,##0", "999"),
    (-1234.5, "#,##0", "-1,235"),
    (0, "#,##0", "0"),
    (12000000000, "#,##0.00", "12,000,000,000.00"),
    (5504137458.49, "#,##0.00", "5,504,137,458.49"),
    (5504137458.493649, "#,##0.00######", "5,504,137,458.49365"),
    (12000000000, "#,##0.00######", "12,000,000,000.00"),
    (0.5, "#,##0.00######", "0.50"),
    (-0.0752, "0.0000", "-0.0752"),
    (0.256, "0.00%", "25.60%"),
    (0.256, "0.0%", "25.6%"),
    (60, "0%", "6000%"),
    (60, '0"%"', "60%"),
    (60, '0.##"%"', "60.%"),
    (12.5, '0.##"%"', "12.5%"),
    (0.25, '0.##"%"', "0.25%"),
    (-3.5, '0.0"%"', "-3.5%"),
    (12, '"≥ "#,##0.00', "≥ 12.00"),
    (1500, '"≤ "#,##0', "≤ 1,500"),
    (5.5, '#,##0.00" bn"', "5.50 bn"),
    (12000000000, '#,##0.000,,," bn"', "12.000 bn"),
    (5504137458.49, '#,##0.0,,," bn"', "5.5 bn"),
    (1234567890123, '#,##0.0,,," bn"', "1,234.6 bn"),
    (950000, '#,##0.0,," m"', "1.0 m"),
    (950000, '#,##0,', "950"),
    (1234, '#,##0_);(#,##0)', "1,234 "),
    (-1234, '#,##0_);(#,##0)', "(1,234)"),
    (0, '#,##0;-#,##0;"-"', "-"),
    (5, '[Red]0.0', "5.0"),
    (5, '[$USD] #,##0', "USD 5"),
    (7, "00", "07"),
    (0.5, "#.##", ".5"),
    (3, "?.??", "3.  "),
    (date(2025, 1, 22), "yyyy-mm-dd", "2025-01-22"),
    (datetime(2025, 1, 2), "yyyy-mm-dd", "2025-01-02"),
    (datetime(2025, 1, 2), "d mmm yyyy", "2 Jan 2025"),
]
UNSUPPORTED = [
    (1, "0.00E+00"),
    (1, "h:mm"),
    (1, "[>=100]0;0.0"),
    (1, "# ?/?"),
    (1, "[h]:mm:ss"),
    (1, "yyyy-mm-dd"),        # a number under a date format: not what a writer means
    (date(2025, 1, 1), "0.00"),
    (1, '0.0"'),
]


def selftest():
    bad = []
    for v, f, want in SELFTEST:
        try:
            got = shown(v, f).text
        except Unsupported as e:
            got = "Unsupported: %s" % e
        if got != want:
            bad.append("%r under %r: %r, want %r" % (v, f, got, want))
    ok(not bad, "formatter: %d examples show as Excel shows them" % len(SELFTEST), bad)
    bad = []
    for v, f in UNSUPPORTED:
        try:
            bad.append("%r under %r: %r, want Unsupported" % (v, f, shown(v, f).text))
        except Unsupported:
            pass
    ok(not bad, "formatter: %d formats it does not know are refused, never guessed" % len(UNSUPPORTED), bad)
    pct = [(60, '0"%"'), (-3.5, '"≥ "0.0"%"'), (12.345, '0.0"%"'), (0.25, '0.##"%"'),
           (1234.5, '#,##0.0"%"')]
    notpct = [(60, "0%"), (0.6, "0%"), (60, "0"), (60, '0" pct"'), (12.345, '0.0,"%"')]
    bad = [(v, f, percent_problem("x", v, f, shown(v, f))) for v, f in pct]
    bad = [b for b in bad if b[2]] + [(v, f, "passed") for v, f in notpct
                                      if not percent_problem("x", v, f, shown(v, f))]
    ok(not bad, "percent cells: %d formats that show the stored value and a %% pass, %d that do "
       "not (0%%, no sign, scaled) fail" % (len(pct), len(notpct)), [repr(b) for b in bad])
    facts = [shown(12000000000, '#,##0.000,,," bn"'), shown(60, '0"%"'), shown(0.6, "0%"),
             shown(1234, "0.00")]
    ok([(s.grouping, s.percent, s.scale, s.places) for s in facts] ==
       [(True, 0, 3, 3), (False, 0, 0, 0), (False, 1, 0, 0), (False, 0, 0, 2)],
       "formatter: reports grouping, percent, scale and places of the section used")
    loc = [parse_location(x) for x in ("#'Findings'!A5", "Findings!A5", "'Facts (2)'!$B$7",
                                       "'It''s'!A1:C3", "#Rates!D2")]
    ok(loc == [("Findings", 5, 1, 5, 1), ("Findings", 5, 1, 5, 1), ("Facts (2)", 7, 2, 7, 2),
               ("It's", 1, 1, 3, 3), ("Rates", 2, 4, 2, 4)],
       "links: locations parse into sheet and cell range", [repr(loc)])
    args = [hyperlink_targets(x) for x in (
        '=HYPERLINK("#\'Findings\'!A5","finding 1")', 'HYPERLINK("#Facts!A2")',
        '=IF(A1,HYPERLINK("#Rates!D2","r"),"")', '=HYPERLINK(A1,"x")',
        '=HYPERLINK("https://example.com/a""b","x")')]
    ok(args == [["#'Findings'!A5"], ["#Facts!A2"], ["#Rates!D2"], [None], ['https://example.com/a"b']],
       "links: HYPERLINK formulas give their first argument (None when it is not a literal)",
       [repr(args)])


def make_book(path, mutation=None):
    """A small workbook made with openpyxl that follows SPEC 6 as this
    checker reads it, or breaks it in one way (mutation)."""
    import openpyxl
    from openpyxl.worksheet.hyperlink import Hyperlink
    m = mutation
    wb = openpyxl.Workbook()
    order = list(ORDER)
    if m == "order":
        order[1], order[2] = order[2], order[1]
    if m == "continuation":
        order.insert(order.index("Rates") + 1, "Facts (2)")
    if m == "continuation-ok":
        order.insert(order.index("Facts") + 1, "Facts (2)")
    for i, name in enumerate(order):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        ws.page_setup.orientation = "portrait" if m == "portrait" and name == "Rates" else "landscape"
        if not (m == "footer" and name == "About"):
            ws.oddFooter.center.text = "Page &P of &N"
        ws.oddHeader.center.text = "&F &A"
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 20
        ws.column_dimensions["C"].width = 13 if m == "narrow" and name == "Facts" else 20
    s = wb["Summary"]
    s["A1"] = "top findings"
    s["A2"] = "finding 1"
    s["A2"].hyperlink = Hyperlink(ref="A2", location="'Findings'!A2")
    s["A3"] = "finding 2"
    s["A3"].hyperlink = Hyperlink(ref="A3", location="Findings!A3" if m != "dangling" else "Findings!A9")
    s["B2"] = 1234567.5
    s["B2"].number_format = "#,##0.00"
    if m == "long-summary":
        s["A61"] = "one row too many"
    lists = {
        "Findings": (["rank", "kind", "subject"], [[1, "disagree", "c1"], [2, "inconsistent", "f2"]]),
        "Comparison": (["claim", "unit", "spread %"], [["c1", "percent", 25.5], ["c2", "USD", 0.25]]),
        "Conversions": (["fact_id", "deviation_pct", "computed USD"], [["f2", -0.0752, 5504137458.49]]),
        "Facts": (["fact_id", "unit", "value"], [["f1", "percent", 60], ["f2", "CNY", 40000000000]]),
        "Rates": (["date", "pair", "rate"], [[date(2025, 1, 22), "EUR/USD", 1.0443]]),
        "Sources": (["source", "facts", "findings"], [["twn", 9, 2]]),
    }
    if m in ("continuation", "continuation-ok"):
        lists["Facts (2)"] = lists["Facts"]
    for name, (head, rows) in lists.items():
        ws = wb[name]
        ws.append(head)
        for r in rows:
            ws.append(r)
        if not (m == "no-freeze" and name == "Sources"):
            ws.freeze_panes = "A2"
        if not (m == "no-filter" and name == "Conversions"):
            ws.auto_filter.ref = "A1:C%d" % (len(rows) + 1)
        if not (m == "no-titles" and name == "Facts"):
            ws.print_title_rows = "1:1"
    f = wb["Findings"]
    f["C2"].hyperlink = Hyperlink(ref="C2", location="Comparison!A2")
    if m != "unlinked-finding":
        f["C3"] = '=HYPERLINK("#Conversions!A2","f2")' if m != "formula-nowhere" else \
            '=HYPERLINK("#Nowhere!A2","f2")'
    fmts = {("Comparison", "C2"): '0.0"%"', ("Comparison", "C3"): '0.00"%"',
            ("Conversions", "B2"): '0.0000"%"', ("Conversions", "C2"): "#,##0.00",
            ("Facts", "C2"): '0"%"', ("Facts", "C3"): "#,##0",
            ("Facts (2)", "C2"): '0"%"', ("Facts (2)", "C3"): "#,##0", ("Rates", "A2"): "yyyy-mm-dd",
            ("Rates", "C2"): "0.0000", ("Sources", "B2"): "#,##0", ("Sources", "C2"): "#,##0"}
    bad = {"pct-column": ("Conversions", "B2", "0.0000"), "percent-fact": ("Facts", "C2", "0%"),
           "money": ("Conversions", "C2", "0.00"), "unknown-format": ("Rates", "C2", "0.00E+00")}
    if m in bad:
        sh, cell, fm = bad[m]
        fmts[(sh, cell)] = fm
    for (sh, cell), fm in fmts.items():
        if sh in wb.sheetnames:
            wb[sh][cell].number_format = fm
    wb["About"]["A1"] = "what each sheet holds"
    wb.save(path)


MUTATIONS = [  # mutation, the checks (by a word of their description) that must fail
    ("order", ["SPEC 6 order"]),
    ("continuation", ["SPEC 6 order"]),
    ("continuation-ok", []),  # Facts (2) right after Facts: nothing fails
    ("long-summary", ["Summary's cells"]),
    ("narrow", ["wider than its column"]),
    ("pct-column", ["percent cells"]),
    ("percent-fact", ["percent cells"]),
    ("money", ["thousands separators"]),
    ("unknown-format", ["can show"]),
    ("dangling", ["lands on a cell"]),
    ("formula-nowhere", ["lands on a cell"]),
    ("unlinked-finding", ["carries a link"]),
    ("no-freeze", ["freeze"]),
    ("no-filter", ["autofilter"]),
    ("portrait", ["landscape"]),
    ("footer", ["header and footer"]),
    ("no-titles", ["repeat their header"]),
    ("too-many-links", ["more than"]),
]


def selftest_books():
    """The checks pass on a book made to SPEC 6, and each fails, alone, on
    a book broken in the one way it watches."""
    global _sink, MAX_LINKS
    import tempfile
    tmp = tempfile.mkdtemp()
    try:
        path = os.path.join(tmp, "good.xlsx")
        make_book(path)
        _sink = []
        check_book(path, "good")
        got, _sink = _sink, None
        ok(len(got) > 10 and all(c for c, _, _ in got),
           "checks: all %d pass on a small book made to SPEC 6" % len(got),
           ["%s: %s" % (d, p[:1]) for c, d, p in got if not c])
        bad = []
        for m, want in MUTATIONS:
            path = os.path.join(tmp, m + ".xlsx")
            make_book(path, None if m == "too-many-links" else m)
            saved = MAX_LINKS
            if m == "too-many-links":
                MAX_LINKS = 1  # Summary has 2
            _sink = []
            try:
                check_book(path, m)
            finally:
                MAX_LINKS = saved
            got, _sink = _sink, None
            failed = [d for c, d, _ in got if not c]
            if not (len(failed) == len(want) and all(any(w in d for d in failed) for w in want)):
                bad.append("%s: failed %r, want only %r" % (m, failed, want))
        ok(not bad, "checks: each of %d changed books fails the one check that watches it, and only it"
           % len(MUTATIONS), bad)
    finally:
        import shutil
        shutil.rmtree(tmp)


# ---------------------------------------------------------------- links

CELL = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


def col_number(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def parse_location(loc):
    """'#'Sheet'!A5' -> (sheet, row1, col1, row2, col2); sheet None when the
    location names no sheet. Raises ValueError on anything else."""
    s = loc[1:] if loc.startswith("#") else loc
    sheet = None
    if s.startswith("'"):
        i, name = 1, ""
        while True:
            j = s.index("'", i)
            name += s[i:j]
            if s[j + 1:j + 2] == "'":
                name += "'"
                i = j + 2
            else:
                i = j + 1
                break
        if s[i:i + 1] != "!":
            raise ValueError("no '!' after the sheet name")
        sheet, s = name, s[i + 1:]
    elif "!" in s:
        sheet, s = s.split("!", 1)
    parts = s.split(":")
    if len(parts) > 2:
        raise ValueError("not a cell or range")
    cells = []
    for p in parts:
        m = CELL.match(p)
        if not m:
            raise ValueError("%r is not a cell" % p)
        cells.append((int(m.group(2)), col_number(m.group(1))))
    if len(cells) == 1:
        cells.append(cells[0])
    return (sheet, cells[0][0], cells[0][1], cells[1][0], cells[1][1])


def hyperlink_targets(formula):
    """The first argument of each HYPERLINK( in a formula: the string when it
    is a literal, None when it is anything else."""
    out = []
    for m in re.finditer(r"HYPERLINK\(", formula, re.I):
        i = m.end()
        while i < len(formula) and formula[i] == " ":
            i += 1
        if i < len(formula) and formula[i] == '"':
            j, s = i + 1, ""
            while j < len(formula):
                if formula[j] == '"':
                    if formula[j + 1:j + 2] == '"':
                        s += '"'
                        j += 2
                        continue
                    break
                s += formula[j]
                j += 1
            rest = formula[j + 1:].lstrip(" ")
            out.append(s if rest[:1] in (",", ")") else None)  # "a"&B1 is not a literal
        else:
            out.append(None)
    return out


# ---------------------------------------------------------------- the package


class SheetXML:
    """What one worksheet part says besides its cells' values."""

    def __init__(self, name, part):
        self.name, self.part = name, part
        self.cols = []            # (min, max, width or None, hidden)
        self.default_width = None
        self.pane = None          # attributes of <pane>
        self.autofilter = None
        self.orientation = None
        self.header = self.footer = ""
        self.hyperlinks = []      # (ref, location or None, r:id or None)
        self.formula_links = []   # (cell, first argument or None)
        self.max_row = self.max_col = 0   # extent of cells that hold something
        self.merged = []
        self.drawing = None       # r:id


def read_rels(z, part):
    d, b = os.path.split(part)
    path = os.path.join(d, "_rels", b + ".rels")
    if path not in z.namelist():
        return {}
    out = {}
    p = expat.ParserCreate(namespace_separator=" ")

    def start(name, a):
        if name == NS_PKG + " Relationship":
            tgt = a["Target"]
            if a.get("TargetMode") != "External" and not tgt.startswith("/"):
                tgt = os.path.normpath(os.path.join(d, tgt))
            elif tgt.startswith("/"):
                tgt = tgt[1:]
            out[a["Id"]] = (tgt, a.get("TargetMode"))
    p.StartElementHandler = start
    p.Parse(z.read(path), True)
    return out


def read_workbook(z):
    """[(name, part)], {local sheet index: print titles text}."""
    sheets, titles = [], {}
    rels = read_rels(z, "xl/workbook.xml")
    p = expat.ParserCreate(namespace_separator=" ")
    state = {"dn": None, "text": ""}

    def start(name, a):
        if name == NS_MAIN + " sheet":
            sheets.append((a["name"], rels[a[NS_R + " id"]][0]))
        elif name == NS_MAIN + " definedName":
            state["dn"] = a
            state["text"] = ""

    def end(name):
        if name == NS_MAIN + " definedName":
            a = state["dn"]
            if a["name"] == "_xlnm.Print_Titles" and "localSheetId" in a:
                titles[int(a["localSheetId"])] = state["text"]
            state["dn"] = None

    def chars(t):
        if state["dn"] is not None:
            state["text"] += t
    p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, chars
    p.Parse(z.read("xl/workbook.xml"), True)
    return sheets, titles


def read_sheet(z, name, part):
    s = SheetXML(name, part)
    p = expat.ParserCreate(namespace_separator=" ")
    st = {"cell": None, "has": False, "f": None, "hf": None, "text": ""}
    M = NS_MAIN + " "

    def chars(t):
        st["text"] += t

    def start(tag, a):
        if tag == M + "c":
            st["cell"], st["has"] = a.get("r"), False
        elif tag in (M + "v", M + "is"):
            st["has"] = True
        elif tag == M + "f":
            st["has"] = True
            st["f"], st["text"] = st["cell"], ""
            p.CharacterDataHandler = chars
        elif tag == M + "col":
            w = a.get("width")
            s.cols.append((int(a["min"]), int(a["max"]), float(w) if w is not None else None,
                           a.get("hidden") in ("1", "true")))
        elif tag == M + "sheetFormatPr":
            if "defaultColWidth" in a:
                s.default_width = float(a["defaultColWidth"])
        elif tag == M + "pane":
            s.pane = dict(a)
        elif tag == M + "autoFilter":
            s.autofilter = a.get("ref")
        elif tag == M + "pageSetup":
            s.orientation = a.get("orientation")
        elif tag in (M + "oddHeader", M + "oddFooter"):
            st["hf"], st["text"] = tag, ""
            p.CharacterDataHandler = chars
        elif tag == M + "hyperlink":
            s.hyperlinks.append((a.get("ref"), a.get("location"), a.get(NS_R + " id")))
        elif tag == M + "mergeCell":
            s.merged.append(a["ref"])
        elif tag == M + "drawing":
            s.drawing = a.get(NS_R + " id")

    def end(tag):
        if tag == M + "c":
            if st["has"] and st["cell"]:
                m = CELL.match(st["cell"])
                r, c = int(m.group(2)), col_number(m.group(1))
                s.max_row, s.max_col = max(s.max_row, r), max(s.max_col, c)
            st["cell"] = None
        elif tag == M + "f":
            p.CharacterDataHandler = None
            if "HYPERLINK" in st["text"].upper():
                for t in hyperlink_targets(st["text"]):
                    s.formula_links.append((st["f"], t))
        elif tag in (M + "oddHeader", M + "oddFooter"):
            p.CharacterDataHandler = None
            if tag == M + "oddHeader":
                s.header = st["text"]
            else:
                s.footer = st["text"]

    p.StartElementHandler, p.EndElementHandler = start, end
    with z.open(part) as f:
        p.ParseFile(f)
    s.rels = read_rels(z, part)
    return s


def drawing_rows(z, sheet):
    """The last row (1-based) any drawing anchor of the sheet reaches, or a
    problem string for an anchor this checker cannot place."""
    if not sheet.drawing:
        return 0, None
    part = sheet.rels[sheet.drawing][0]
    p = expat.ParserCreate(namespace_separator=" ")
    st = {"to": False, "row": False, "text": "", "last": 0, "odd": None}
    X = NS_XDR + " "

    def start(tag, a):
        if tag in (X + "oneCellAnchor", X + "absoluteAnchor"):
            st["odd"] = "%s in %s" % (tag.split()[-1], part)
        elif tag == X + "to":
            st["to"] = True
        elif tag == X + "row" and st["to"]:
            st["row"], st["text"] = True, ""

    def end(tag):
        if tag == X + "to":
            st["to"] = False
        elif tag == X + "row" and st["row"]:
            st["row"] = False
            st["last"] = max(st["last"], int(st["text"]) + 1)

    def chars(t):
        if st["row"]:
            st["text"] += t
    p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, chars
    p.Parse(z.read(part), True)
    return st["last"], st["odd"]


# ---------------------------------------------------------------- checks


def base_of(title):
    m = re.match(r"^(.*) \((\d+)\)$", title)
    return (m.group(1), int(m.group(2))) if m else (title, 1)


def check_order(label, names):
    problems = []
    i = 0
    for b in ORDER:
        if i >= len(names) or names[i] != b:
            problems.append("expected %s at position %d, found %s" %
                            (b, i + 1, names[i] if i < len(names) else "the end"))
            break
        i += 1
        k = 2
        while i < len(names) and names[i] == "%s (%d)" % (b, k):
            i += 1
            k += 1
    if not problems and i != len(names):
        problems.append("unexpected sheet %s after %s" % (names[i], names[i - 1]))
    ok(not problems, "%s: sheets in SPEC 6 order (%s), continuations right after their sheet"
       % (label, ", ".join(ORDER)), problems + ["sheets: " + ", ".join(names)])


def width_of(sx, col):
    for lo, hi, w, hidden in sx.cols:
        if lo <= col <= hi:
            if hidden:
                return None
            return w if w is not None else (sx.default_width or DEFAULT_WIDTH)
    return sx.default_width or DEFAULT_WIDTH


def merged_widths(sx):
    """top-left (row, col) of each merged range -> its summed width;
    the other cells of a range -> None (not shown)."""
    out = {}
    for ref in sx.merged:
        _, r1, c1, r2, c2 = parse_location(ref)
        w = sum(width_of(sx, c) or 0 for c in range(c1, c2 + 1))
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                out[(r, c)] = None
        out[(r1, c1)] = w
    return out


def header_row(sx):
    """The header of a list: the last frozen row (row 1 when none is frozen)."""
    if sx.pane and sx.pane.get("ySplit"):
        try:
            return max(1, int(float(sx.pane["ySplit"])))
        except ValueError:
            pass
    return 1


def iso4217():
    with open("/usr/share/iso-codes/json/iso_4217.json", encoding="utf-8") as f:
        return {c["alpha_3"] for c in json.load(f)["4217"]}


def shown_number(text):
    """The number a displayed text shows (thousands separators dropped; a
    '-' anywhere before the digits or parentheses make it negative), and its
    decimal places; None when it shows no digit."""
    m = re.search(r"\d[\d,]*(\.\d*)?|\.\d+", text)
    if not m:
        return None, 0
    s = m.group().replace(",", "")
    places = len(s.split(".")[1]) if "." in s else 0
    d = Decimal(s.rstrip(".") or "0")
    before = text[:m.start()]
    if "-" in before or "\u2212" in before or "(" in before:
        d = -d
    return d, places


def percent_problem(where, v, fmt, sh):
    """None when the cell shows the stored value followed by a % sign."""
    t = sh.text.rstrip()
    if not t.endswith("%"):
        return "%s: %r shows %r under %r: no %% sign" % (where, v, sh.text, fmt)
    if sh.percent:
        return "%s: %r shows %r under %r: a %% placeholder multiplies by 100; quote it (0.##\"%%\")" % (
            where, v, sh.text, fmt)
    n, places = shown_number(t[:-1])
    if n is None or abs(n - excel_decimal(v)) > Decimal(1).scaleb(-places) / 2:
        return "%s: %r shows %r under %r: not the stored value" % (where, v, sh.text, fmt)
    return None


UNIT_WORDS = {"count", "percent", "days", "months", "years"}  # SPEC 2: the non-money units
COUNTISH = re.compile(r"(^|[^a-z])(facts|sources|count|more|rank|row|line|n|places|age|days)($|[^a-z])", re.I)
FIGURE = re.compile(r"value|amount|normalized|figure|^min|^max|low|high", re.I)


def check_cells(label, path, sheets, sx_by_name):
    """One streaming pass over every cell (openpyxl, cached values): widths,
    percent cells, money columns."""
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    codes = iso4217()
    wide, unknown, pct, money = [], {}, [], []
    nnum = npct = nmoney = 0
    for name, _ in sheets:
        ws = wb[name]
        sx = sx_by_name[name]
        base = base_of(name)[0]
        is_list = base in LISTS
        hrow = header_row(sx) if is_list else None
        merged = merged_widths(sx)
        heads = {}
        widths = {}
        unit_col = None
        pct_cols, money_cols = set(), set()
        for row in ws.iter_rows():
            row_unit = None
            cells = [c for c in row if getattr(c, "value", None) is not None]
            if not cells:
                continue
            r = cells[0].row
            if is_list and r == hrow:
                for c in cells:
                    h = str(c.value)
                    heads[c.column] = h
                    if h.strip().lower() in ("unit", "kind"):
                        unit_col = c.column if unit_col is None or h.strip().lower() == "unit" else unit_col
                    if "pct" in h.lower() or "%" in h:
                        pct_cols.add(c.column)
                    elif not re.search(r"rate", h, re.I) and any(
                            t in codes for t in re.findall(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])", h)):
                        money_cols.add(c.column)
                continue
            if is_list and hrow and r > hrow and unit_col is not None:
                for c in cells:
                    if c.column == unit_col and isinstance(c.value, str):
                        row_unit = c.value.strip()
            for c in cells:
                v = c.value
                if isinstance(v, bool) or not isinstance(v, (int, float, datetime, date)):
                    continue
                col = c.column
                where = "%s!%s" % (name, c.coordinate)
                fmt = c.number_format
                nnum += 1
                try:
                    sh = shown(v, fmt)
                except Unsupported as e:
                    unknown.setdefault(fmt, "%s: format %r: %s" % (where, fmt, e))
                    continue
                if (r, col) in merged:
                    w = merged[(r, col)]
                else:
                    if col not in widths:
                        widths[col] = width_of(sx, col)
                    w = widths[col]
                if w is not None and len(sh.text) > w:
                    wide.append(((base, fmt), "%s: %r shows %r (%d characters) under %r; column %s is %g wide" % (
                        where, v, sh.text, len(sh.text), fmt, col_letters(col), w)))
                if sh.is_date or not is_list or (hrow and r <= hrow):
                    continue
                head = heads.get(col, "")
                percent_kind = row_unit == "percent" and (
                    (base == "Facts" and FIGURE.search(head)) or
                    (base == "Comparison" and not COUNTISH.search(head)))
                if col in pct_cols or "%" in fmt or percent_kind:
                    npct += 1
                    why = ("column %r" % head if col in pct_cols else
                           "a percent fact" if percent_kind else "a %% format")
                    p = percent_problem(where, v, fmt, sh)
                    if p:
                        pct.append(((base, why), p + " (%s)" % why))
                if col in money_cols and row_unit not in UNIT_WORDS:
                    nmoney += 1
                    if not sh.grouping:
                        money.append(((base, head), "%s: %r shows %r under %r in column %r: no thousands separators"
                                     % (where, v, sh.text, fmt, head)))
    wb.close()
    ok(not unknown, "%s: every number format in the book is one the checker can show (%d numeric cells)"
       % (label, nnum), ["unknown format %s" % x for x in unknown.values()])
    ok(not wide, "%s: no number or date is wider than its column (no ####; %d checked)" % (label, nnum), wide)
    ok(npct > 0 and not pct, "%s: %d percent cells (pct/%% columns, %% formats, percent facts) show "
       "the stored value with a %% sign" % (label, npct),
       pct if npct else ["no percent cell found: no pct/%% column, %% format or percent fact"])
    ok(nmoney > 0 and not money, "%s: %d cells in columns that name a currency have thousands separators"
       % (label, nmoney), money if nmoney else ["no column header names a currency"])


def check_links(label, sheets, sx_by_name):
    extent = {n: (sx_by_name[n].max_row, sx_by_name[n].max_col) for n, _ in sheets}
    bad, count, too_many = [], 0, []
    for name, _ in sheets:
        sx = sx_by_name[name]
        if len(sx.hyperlinks) > MAX_LINKS:
            too_many.append("%s has %d <hyperlink> elements (Excel's limit: %d)"
                            % (name, len(sx.hyperlinks), MAX_LINKS))
        targets = []
        for ref, loc, rid in sx.hyperlinks:
            if loc is not None:
                targets.append((ref, loc))
            elif rid is not None:
                tgt, mode = sx.rels.get(rid, (None, None))
                if tgt is None:
                    bad.append("%s!%s: r:id %s has no relationship" % (name, ref, rid))
                elif mode != "External":
                    targets.append((ref, tgt))
            else:
                bad.append("%s!%s: a hyperlink with neither location nor r:id" % (name, ref))
        for cell, arg in sx.formula_links:
            if arg is None:
                bad.append("%s!%s: HYPERLINK whose target is not a string literal" % (name, cell))
            elif arg.startswith("#"):
                targets.append((cell, arg))
            elif not re.match(r"^(https?|mailto|file):", arg, re.I):
                bad.append("%s!%s: HYPERLINK target %r is neither #Sheet!Cell nor a URL" % (name, cell, arg))
        for ref, loc in targets:
            count += 1
            try:
                sheet, r1, c1, r2, c2 = parse_location(loc)
            except ValueError as e:
                bad.append("%s!%s: link %r: %s" % (name, ref, loc, e))
                continue
            sheet = sheet if sheet is not None else name
            if sheet not in extent:
                bad.append("%s!%s: link %r: no sheet %r" % (name, ref, loc, sheet))
                continue
            mr, mc = extent[sheet]
            if not (1 <= r1 <= r2 <= mr and 1 <= c1 <= c2 <= mc):
                bad.append("%s!%s: link %r is outside %s's used range A1:%s%d"
                           % (name, ref, loc, sheet, col_letters(mc) if mc else "A", mr))
    # SPEC 6: every Findings row links to the rows it rests on; Summary's
    # top findings (at most 20) each link to their Findings row
    frows, linked, to_findings = 0, set(), 0
    for name, _ in sheets:
        sx = sx_by_name[name]
        if base_of(name)[0] == "Findings":
            frows += max(0, sx.max_row - header_row(sx))
            for ref, _, _ in sx.hyperlinks:
                try:
                    _, r1, _, r2, _ = parse_location(ref)
                    linked.update((name, r) for r in range(r1, r2 + 1))
                except ValueError:
                    pass
            for cell, _ in sx.formula_links:
                linked.add((name, int(CELL.match(cell).group(2))))
        if name == "Summary":
            for _, loc, _ in sx.hyperlinks:
                to_findings += loc is not None and loc.lstrip("#").lstrip("'").startswith("Findings")
            to_findings += sum(1 for _, a in sx.formula_links
                               if a and a.lstrip("#").lstrip("'").startswith("Findings"))
    unlinked = []
    for name, _ in sheets:
        sx = sx_by_name[name]
        if base_of(name)[0] == "Findings":
            for r in range(header_row(sx) + 1, sx.max_row + 1):
                if (name, r) not in linked:
                    unlinked.append(("rows", "%s row %d has no link to the rows it rests on" % (name, r)))
    if not any(base_of(n)[0] == "Findings" for n, _ in sheets):
        unlinked.append("no Findings sheet")
    if to_findings < min(20, frows):
        unlinked.append("Summary links %d findings to their Findings rows; %d findings, so want %d"
                        % (to_findings, frows, min(20, frows)))
    ok(not unlinked, "%s: every Findings row carries a link (%d rows), and Summary links its top findings "
       "to them" % (label, frows), unlinked)
    ok(not bad, "%s: every one of %d internal links (hyperlinks, HYPERLINK formulas) lands on a cell "
       "inside its sheet's used range" % (label, count), bad)
    ok(not too_many, "%s: no sheet has more than %d hyperlinks (most: %d)" % (
        label, MAX_LINKS, max([len(sx_by_name[n].hyperlinks) for n, _ in sheets] or [0])), too_many)
    return count


def check_summary(label, z, sx_by_name):
    sx = sx_by_name.get("Summary")
    if sx is None:
        ok(False, "%s: Summary's cells fit %d rows" % (label, SUMMARY_ROWS), ["no Summary sheet"])
        return
    ok(sx.max_row <= SUMMARY_ROWS, "%s: Summary's cells fit %d rows (last: row %d)"
       % (label, SUMMARY_ROWS, sx.max_row), ["Summary's cells reach row %d" % sx.max_row])
    last, odd = drawing_rows(z, sx)
    ok(last <= SUMMARY_ROWS and not odd, "%s: Summary's chart ends by row %d too (one printed page; "
       "last: row %d)" % (label, SUMMARY_ROWS, last),
       [odd and "cannot place the drawing anchor %s" % odd or
        "a drawing (the chart) on Summary reaches row %d" % last])


def titles_rows(text):
    """'Facts'!$1:$1 (perhaps with columns too) -> (1, 1), else None."""
    for part in text.split(","):
        m = re.search(r"!\$?(\d+):\$?(\d+)$", part.strip())
        if m:
            return int(m.group(1)), int(m.group(2))
    return None


def check_layout(label, sheets, sx_by_name, titles):
    panes, filters, land, hf, pt = [], [], [], [], []
    for i, (name, _) in enumerate(sheets):
        sx = sx_by_name[name]
        is_list = base_of(name)[0] in LISTS
        if sx.orientation != "landscape":
            land.append("%s: orientation %s" % (name, sx.orientation or "not set (portrait)"))
        both = sx.header + sx.footer
        missing = [w for w, code in (("page", "&P"), ("pages", "&N"), ("sheet", "&A")) if code not in both]
        if not sx.header or not sx.footer or missing:
            hf.append("%s: header %r, footer %r%s" % (
                name, sx.header, sx.footer, "; missing " + ", ".join(missing) if missing else ""))
        if not is_list:
            continue
        p = sx.pane
        if not p or p.get("state") not in ("frozen", "frozenSplit") or not p.get("ySplit"):
            panes.append("%s: no frozen header rows (pane %r)" % (name, p))
            continue
        h = header_row(sx)
        if not sx.autofilter:
            filters.append("%s: no autoFilter" % name)
        else:
            try:
                _, r1, _, _, _ = parse_location(sx.autofilter)
                if r1 != h:
                    filters.append("%s: autoFilter %s starts at row %d, the header (last frozen row) is %d"
                                   % (name, sx.autofilter, r1, h))
            except ValueError as e:
                filters.append("%s: autoFilter %r: %s" % (name, sx.autofilter, e))
        t = titles.get(i)
        rows = titles_rows(t) if t else None
        if rows is None or not rows[0] <= h <= rows[1]:
            pt.append("%s: print titles %r do not repeat header row %d" % (name, t, h))
    nlists = sum(1 for n, _ in sheets if base_of(n)[0] in LISTS)
    ok(nlists > 0 and not panes, "%s: %d list sheets freeze their header rows" % (label, nlists),
       panes or ["no list sheet"])
    ok(nlists > 0 and not filters, "%s: list sheets have an autofilter on their header row" % label,
       filters or ["no list sheet"])
    ok(not land, "%s: every sheet prints landscape" % label, land)
    ok(not hf, "%s: every sheet has a print header and footer (sheet &A, page &P of &N)" % label, hf)
    ok(nlists > 0 and not pt, "%s: list sheets repeat their header row on every printed page" % label,
       pt or ["no list sheet"])


def check_book(path, label):
    try:
        z = zipfile.ZipFile(path)
        sheets, titles = read_workbook(z)
        sx_by_name = {n: read_sheet(z, n, part) for n, part in sheets}
    except (OSError, zipfile.BadZipFile, expat.ExpatError, KeyError) as e:
        ok(False, "%s: the workbook opens and every sheet part parses" % label, [repr(e)])
        return
    ok(True, "%s: the workbook opens and its %d sheet parts parse with expat" % (label, len(sheets)))
    check_order(label, [n for n, _ in sheets])
    check_summary(label, z, sx_by_name)
    check_layout(label, sheets, sx_by_name, titles)
    check_links(label, sheets, sx_by_name)
    check_cells(label, path, sheets, sx_by_name)


def main(argv):
    global _n
    args = argv[1:]
    label = None
    if "--first" in args:
        i = args.index("--first")
        _n = int(args[i + 1]) - 1
        del args[i:i + 2]
    if "--label" in args:
        i = args.index("--label")
        label = args[i + 1]
        del args[i:i + 2]
    if args == ["--selftest"]:
        selftest()
        selftest_books()
    elif len(args) == 1:
        check_book(args[0], label or os.path.basename(args[0]))
    else:
        print("usage: check_workpaper.py [--first N] (--selftest | [--label L] BOOK.xlsx)", file=sys.stderr)
        return 64
    return 1 if _failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
