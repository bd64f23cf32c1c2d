#!/bin/sh
# run-explain - SPEC 5.1's explanations and implied_rates.csv, as
# docs/explanations.md reads them, against explain.py (an exact
# reference in Python fractions). Prints TAP:
#   1. the reference itself, on hand-computed expectations (a small case
#      worked out by hand below, and the bundled facts, whose numbers were
#      checked with a separate brute-force count over the rates);
#   2. fxbook on the bundled facts, with -r rates and -r rates -r rates/fred;
#   3. fxbook on generated facts (gen_explain.py: ~3,800 audited
#      conversions in seven runs: ECB, ECB + FRED, constructed providers);
#      every difference is printed (fact_id, fxbook's value, the
#      reference's);
#   4. the generated cases exercise every case listed in gen_explain.py's
#      REQUIRED (a table of how many conversions exercise each).
# Each fxbook run gives three lines: matching_rate_dates against the
# reference's direct spot nearest days of the valuing provider (what
# fxbook's audit already does: a check of the reference's rate lookup, so
# that a difference below is in the explanations, not in the rates), its
# explanations (conversions.csv's explained_by and alternatives) and its
# implied_rates.csv.
# Needs build/san/fxbook (FXBOOK= another build); --quick: a quarter of
# the generated facts.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
BIN=${FXBOOK:-build/san/fxbook}
PY=/usr/bin/python3 # Debian's python3 on purpose, as the other oracles
REF=tests/oracle/explain.py
scale=1 least=2000
[ "${1:-}" = "--quick" ] && scale=0.25 least=500
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
TAB=$(printf '\t')

# ---- 1. the reference on hand-computed cases --------------------------------

# One long file (provider fx, from its name): GBP/USD 3, 1, 2 and 4 on
# 2025-03-05, 06, 07 and 10; USD/EUR 0.5 and 0.3 on 03-07 and 03-10.
mkdir -p "$T/hand/r"
cat > "$T/hand/r/fx.csv" <<'EOF'
date,base,quote,rate
2025-03-05,GBP,USD,3
2025-03-06,GBP,USD,1
2025-03-07,GBP,USD,2
2025-03-07,USD,EUR,0.5
2025-03-10,GBP,USD,4
2025-03-10,USD,EUR,0.3
EOF
cat > "$T/hand/f.csv" <<'EOF'
fact_id,entity,claim,source,published,value,unit,reported_value,reported_unit,quote
k1,E,k,s3,2025-03-08,2000,USD,,,q
b2,E,c1,s,2025-03-10,1000,GBP,2000,USD,q
b3,E,c2,s,2025-03-10,1000,GBP,1000,USD,q
b1,E,c3,s,2025-03-10,1000,GBP,4000,USD,q
k2,E,k,s4,2025-03-10,1000,GBP,600,EUR,q
k0,E,k,s5,2025-03-12,2000,USD,,,q
k4,E,c4,s2,2025-03-10,1000.25,GBP,2001,USD,q
k5,E,c5,s2,2025-03-10,1000.25,GBP,2000,USD,q
k6,E,c6,s3,2025-03-10,1000.5,GBP,2000,USD,q
k7,E,c7,s2,2025-03-10,-1000.25,GBP,-2000,USD,q
k8,E,c8,s3,2025-03-10,-1000.5,GBP,-2000,USD,q
EOF
# Worked out by hand (D = 2025-03-10 for all; the latest two GBP/USD days
# are 03-10 and 03-07; GBP/USD month-averages: 3 on 03-05, 2 on 03-06 and
# 03-07, 2.5 on 03-10; GBP/EUR, a cross through USD: 1 on 03-07, 1.2 on
# 03-10; USD/EUR averages 0.5, 0.4):
# b2  2000: 03-07 spot 2000, the 03-07 and 03-06 averages 2000, each in
#     [1999.5, 2000.5] and in the truncated [2000, 2001): 6 hypotheses.
# b3  1000: 03-06 spot only (stale: before 03-07), nearest and truncated.
# b1  4000: 03-10 spot, nearest and truncated.
# k2  600 EUR: nothing from GBP 1000 (1000, 1200, 1100); USD 2000 of k1
#     (s3, published 03-08) at 03-10's 0.3 is 600, nearest and truncated
#     (its closed end); k0 prints the same USD 2000 after D: left out, so
#     the base is named after k1, not k0.
# k4  2001 from GBP 1000.25: 2000.5 (spot 03-07, averages 03-07, 03-06) is
#     the nearest interval's low end [2000.5, 2001.5]; truncated [2001, 2002) no.
# k5  2000: 2000.5 is the high end of [1999.5, 2000.5], inside [2000, 2001).
# k6  2000 from 1000.5: 2001 is the truncated reading's open end: unexplained.
# k7, k8: k5 and k6 negated: (-2001, -2000] holds -2000.5, not -2001.
# Implied: s3 first (k1, no conversion, is the first fact), then s, s4,
# s2; s3's k6 and k8 give [3999/2001, 4001/2001] twice; s's three rates
# 2, 1, 4 share none; s2's k4, k5, k7 meet in [2, 2], fx's rate of 03-07.
cat > "$T/hand/want" <<'EOF'
b2|fx 2025-03-07 spot|5
b3|fx 2025-03-06 spot, 4 days before|1
b1|fx 2025-03-10 spot|1
k2|fx 2025-03-10 spot, via USD 2000 (s3)|1
k4|fx 2025-03-07 spot|2
k5|fx 2025-03-07 spot|5
k6|unexplained|0
k7|fx 2025-03-07 spot|5
k8|unexplained|0
#implied
s3,GBP,USD,2,1.998500749,1.999500250,
s,GBP,USD,3,,,
s4,GBP,EUR,1,0.5995000000,0.6005000000,
s2,GBP,USD,3,2.000000000,2.000000000,fx 2025-03-07
EOF

# The bundled facts. a001-01 (CNY 150 bn, USD 20.64 bn, 2025-01-24): only
# ECB's 2025-01-22 (2 days before; 150 x 1.0443 / 7.5892 = 20.6405 bn)
# gives [20.635, 20.645] bn, and the truncated [20.64, 20.65) too: 1
# alternative; H.10's rates of those days give 20.58-20.71, none inside.
# a003-02 (CNY 40 bn, GBP 4.4 bn, 2025-01-22): 40 x 0.84466 / 7.5892 =
# 4.4519 is out of [4.35, 4.45]; the USD 5.5 bn that a000-02 (ai-news-
# digest; also a002-02, a004-03) prints gives 5.5 x 0.84466 / 1.0443 =
# 4.4486: chained, one assumption, beating the direct truncated reading
# of the same day (chained first) and the direct stale rates of
# 2024-12-23 ... 2025-01-10 (an older R). Alternatives: 68, 89 (ECB) and
# 137, 178 (ECB and FED-H10), counted by a separate brute force over the
# published rates (every day of the window, both bases, both readings,
# every base figure). Implied: a single conversion's range is
# [lo / amount, hi / amount]: [5.45, 5.55] / 40, [20.635, 20.645] / 150,
# [4.35, 4.45] / 40; its provider days are the audit's matching days.
cat > "$T/bundled-ecb.want" <<'EOF'
a000-02|ECB 2025-01-22 spot|68
a001-01|ECB 2025-01-22 spot, 2 days before|1
a002-02|ECB 2025-01-22 spot|68
a003-02|ECB 2025-01-22 spot, via USD 5.5 billion (ai-news-digest)|89
a004-03|ECB 2025-01-22 spot|68
#implied
ai-news-digest,CNY,USD,1,0.1362500000,0.1387500000,ECB 2024-12-23;ECB 2024-12-24;ECB 2024-12-27;ECB 2024-12-30;ECB 2024-12-31;ECB 2025-01-02;ECB 2025-01-03;ECB 2025-01-06;ECB 2025-01-07;ECB 2025-01-08;ECB 2025-01-09;ECB 2025-01-10;ECB 2025-01-13;ECB 2025-01-14;ECB 2025-01-15;ECB 2025-01-16;ECB 2025-01-17;ECB 2025-01-20;ECB 2025-01-21;ECB 2025-01-22
twn,CNY,USD,1,0.1375666666,0.1376333334,ECB 2025-01-22
tech-blog,CNY,USD,1,0.1362500000,0.1387500000,ECB 2024-12-23;ECB 2024-12-24;ECB 2024-12-27;ECB 2024-12-30;ECB 2024-12-31;ECB 2025-01-02;ECB 2025-01-03;ECB 2025-01-06;ECB 2025-01-07;ECB 2025-01-08;ECB 2025-01-09;ECB 2025-01-10;ECB 2025-01-13;ECB 2025-01-14;ECB 2025-01-15;ECB 2025-01-16;ECB 2025-01-17;ECB 2025-01-20;ECB 2025-01-21;ECB 2025-01-22
uk-tech-news,CNY,GBP,1,0.1087500000,0.1112500000,ECB 2024-12-23;ECB 2024-12-24;ECB 2024-12-27;ECB 2024-12-30;ECB 2024-12-31;ECB 2025-01-02;ECB 2025-01-03;ECB 2025-01-06;ECB 2025-01-07;ECB 2025-01-08;ECB 2025-01-09;ECB 2025-01-10
mbw,CNY,USD,1,0.1362500000,0.1387500000,ECB 2024-12-23;ECB 2024-12-24;ECB 2024-12-27;ECB 2024-12-30;ECB 2024-12-31;ECB 2025-01-02;ECB 2025-01-03;ECB 2025-01-06;ECB 2025-01-07;ECB 2025-01-08;ECB 2025-01-09;ECB 2025-01-10;ECB 2025-01-13;ECB 2025-01-14;ECB 2025-01-15;ECB 2025-01-16;ECB 2025-01-17;ECB 2025-01-20;ECB 2025-01-21;ECB 2025-01-22
EOF
ecbdays='ECB 2024-12-23;ECB 2024-12-24;ECB 2024-12-27;ECB 2024-12-30;ECB 2024-12-31;ECB 2025-01-02;ECB 2025-01-03;ECB 2025-01-06;ECB 2025-01-07;ECB 2025-01-08;ECB 2025-01-09;ECB 2025-01-10;ECB 2025-01-13;ECB 2025-01-14;ECB 2025-01-15;ECB 2025-01-16;ECB 2025-01-17;ECB 2025-01-20;ECB 2025-01-21;ECB 2025-01-22'
feddays='FED-H10 2024-12-23;FED-H10 2024-12-24;FED-H10 2024-12-26;FED-H10 2024-12-27;FED-H10 2024-12-30;FED-H10 2024-12-31;FED-H10 2025-01-02;FED-H10 2025-01-03;FED-H10 2025-01-06;FED-H10 2025-01-07;FED-H10 2025-01-08;FED-H10 2025-01-09'
{
    echo "a000-02|ECB 2025-01-22 spot|137"
    echo "a001-01|ECB 2025-01-22 spot, 2 days before|1"
    echo "a002-02|ECB 2025-01-22 spot|137"
    echo "a003-02|ECB 2025-01-22 spot, via USD 5.5 billion (ai-news-digest)|178"
    echo "a004-03|ECB 2025-01-22 spot|137"
    echo "#implied"
    echo "ai-news-digest,CNY,USD,1,0.1362500000,0.1387500000,$ecbdays;$feddays;FED-H10 2025-01-10;FED-H10 2025-01-13;FED-H10 2025-01-14;FED-H10 2025-01-15;FED-H10 2025-01-16;FED-H10 2025-01-17;FED-H10 2025-01-21;FED-H10 2025-01-22"
    echo "twn,CNY,USD,1,0.1375666666,0.1376333334,ECB 2025-01-22"
    echo "tech-blog,CNY,USD,1,0.1362500000,0.1387500000,$ecbdays;$feddays;FED-H10 2025-01-10;FED-H10 2025-01-13;FED-H10 2025-01-14;FED-H10 2025-01-15;FED-H10 2025-01-16;FED-H10 2025-01-17;FED-H10 2025-01-21;FED-H10 2025-01-22"
    echo "uk-tech-news,CNY,GBP,1,0.1087500000,0.1112500000,ECB 2024-12-23;ECB 2024-12-24;ECB 2024-12-27;ECB 2024-12-30;ECB 2024-12-31;ECB 2025-01-02;ECB 2025-01-03;ECB 2025-01-06;ECB 2025-01-07;ECB 2025-01-08;ECB 2025-01-09;ECB 2025-01-10;$feddays"
    echo "mbw,CNY,USD,1,0.1362500000,0.1387500000,$ecbdays;$feddays;FED-H10 2025-01-10;FED-H10 2025-01-13;FED-H10 2025-01-14;FED-H10 2025-01-15;FED-H10 2025-01-16;FED-H10 2025-01-17;FED-H10 2025-01-21;FED-H10 2025-01-22"
} > "$T/bundled-fred.want"

selftest() { # name, want file, explain.py arguments...
    name=$1 want=$2
    shift 2
    if ! $PY "$REF" "$@" > "$T/got" 2> "$T/err"; then
        notok "reference, $name: explain.py failed"
        sed 's/^/# /' "$T/err" | head -20
        return
    fi
    tr '|' "$TAB" < "$want" > "$T/want"
    if cmp -s "$T/want" "$T/got"; then
        ok "reference, $name: the hand-computed explanations and implied ranges"
    else
        notok "reference, $name: differs from the hand-computed expectations (- want, + reference)"
        diff "$T/want" "$T/got" | grep '^[<>]' | sed 's/^</# -/; s/^>/# +/' | head -40
    fi
}
selftest "a long file" "$T/hand/want" "$T/hand/f.csv" -r "$T/hand/r"
selftest "bundled facts, -r rates" "$T/bundled-ecb.want" fixtures/bytedance-ai-2025.csv -r rates
selftest "bundled facts, -r rates -r rates/fred" "$T/bundled-fred.want" \
    fixtures/bytedance-ai-2025.csv -r rates -r rates/fred

# ---- 2, 3. fxbook against the reference -----------------------------------------

if [ ! -x "$BIN" ]; then
    notok "$BIN is missing (make -s build/san/fxbook, or FXBOOK=...)"
    echo "1..$n"
    exit 1
fi

# compare NAME ARGS...: one fxbook run (ARGS: facts and options, as for
# fxbook) and the reference on the same; two TAP lines.
compare() {
    name=$1
    shift
    out=$T/out/$name
    mkdir -p "$out"
    "$BIN" -q "$@" --csv-dir "$out" -o "$out/b.xlsx" > "$out.stdout" 2> "$out.stderr"
    rc=$?
    if [ "$rc" -ne 0 ]; then
        notok "$name: fxbook exited $rc (no output to compare)"
        sed 's/^/# /' "$out.stderr" | head -10
        return
    fi
    $PY "$REF" "$@" --compare "$out" --tags "$T/tags/$name.tags" > "$out.cmp" 2> "$out.err"
    if ! grep -q '^RESULT matching' "$out.cmp"; then
        notok "$name: explain.py failed"
        sed 's/^/# /' "$out.err" | head -20
        return
    fi
    for part in matching explanations implied; do
        r=$(sed -n "s/^RESULT $part //p" "$out.cmp")
        case $part in
        matching) what="matching_rate_dates (the reference's rate lookup checked)" ;;
        explanations) what="explained_by and alternatives of conversions.csv" ;;
        implied) what="implied_rates.csv" ;;
        esac
        case $r in
        ok) ok "$name: $what equal the reference's" ;;
        missing)
            notok "$name: $what: not written by this fxbook (SPEC 7, docs/explanations.md)"
            grep "^# $part:" "$out.cmp" ;;
        *)
            notok "$name: $what: ${r#differ } rows differ from the reference's"
            grep "^# $part:" "$out.cmp" | head -60 ;;
        esac
    done
}

mkdir -p "$T/tags"
compare bundled-rates fixtures/bytedance-ai-2025.csv -r rates
compare bundled-rates-fred fixtures/bytedance-ai-2025.csv -r rates -r rates/fred

if $PY tests/oracle/gen_explain.py "$T/gen" --scale "$scale" 2> "$T/gen.err"; then
    while IFS="$TAB" read -r name args; do
        # runs.tsv: tab-separated arguments without spaces or wildcards
        set -f
        oldifs=$IFS
        IFS=$TAB
        # shellcheck disable=SC2086 # split on tabs on purpose
        set -- $args
        IFS=$oldifs
        set +f
        compare "gen-$name" "$@"
    done < "$T/gen/runs.tsv"
    for f in "$T"/tags/gen-*.tags; do
        [ -f "$f" ] && mv "$f" "$T/tags/$(basename "$f" | sed 's/^gen-//')"
    done
    if $PY tests/oracle/gen_explain.py --coverage "$T/gen" "$T/tags" "$least" > "$T/coverage"; then
        ok "the generated conversions exercise every case, at least $least conversions (table below)"
    else
        notok "the generated conversions miss a case (table below)"
    fi
    cat "$T/coverage"
else
    notok "gen_explain.py failed"
    sed 's/^/# /' "$T/gen.err" | head -20
fi
echo "1..$n"
