#!/bin/sh
# run-findings - SPEC 6's findings and SPEC 7's findings.csv and new
# conversions.csv columns, from the real binary: on the bundled facts the
# three disagreeing claims and the two close conversions, in rank order,
# with their sentences; each other kind on a small input made for it.
# Prints TAP.
set -u
BIN=${FXBOOK:-build/san/fxbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
row() { sed -n "$(($1 + 1))p" "$2"; } # data row k of a CSV (1 = below the header)

$BIN -q fixtures/bytedance-ai-2025.csv --csv-dir "$T/b" 2> "$T/stderr"
F=$T/b/findings.csv
C=$T/b/conversions.csv
check "findings.csv has SPEC 7's header" \
    '[ "$(head -1 "$F")" = "rank,kind,claim,fact_id,sources,verdict,detail" ]'
check "bundled facts: five findings" '[ "$(grep -c "" "$F")" -eq 6 ]'
# rank order: disagree claims by spread (100 %, 5.63 %, 3.49 %), then close
# conversions by |deviation| (1.17 %, 0.28 %)
check "rank 1: ai_chips_china_growth_pct disagrees (spread 100 %)" \
    'row 1 "$F" | grep -q "^1,disagree,ai_chips_china_growth_pct,,"'
check "rank 2: doubao_mau, worded from ids and numbers" \
    'row 2 "$F" | grep -qF "2,disagree,doubao_mau,,\"ai-news-digest, mbw, twn\",disagree,\"doubao_mau: 71 million (ai-news-digest, mbw) and 75 million (twn) do not overlap: [70.5 m, 71.5 m] vs [74.5 m, 75.5 m]; 3 sources in all\""'
check "rank 3: total_capex_2025 is one source disagreeing with itself" \
    'row 3 "$F" | grep -qF "3,disagree,total_capex_2025,,twn,disagree,\"total_capex_2025: twn disagrees with itself: USD 20 bn (a001-09) and at least USD 20.698 bn (a001-01) do not overlap: USD [19.5 bn, 20.5 bn] vs USD [20.629 bn, "'
check "rank 4: a003-02 is close (-1.17 %), best explained by the wire's \$5.5 billion converted (SPEC 5.1)" \
    'row 4 "$F" | grep -qF "4,close,ai_chips_china_2025,a003-02,uk-tech-news,close,\"a003-02: GBP 4.4 billion is not CNY 40 billion converted at the rate of its own day, 2025-01-22 (GBP 4.452 bn, -1.17 %); best explanation: ECB 2025-01-22 spot, via USD 5.5 billion (ai-news-digest) (89 other hypotheses)\""'
check "rank 5: a001-01 is close (-0.28 %); the rate of 2025-01-22, 2 days before, explains it" \
    'row 5 "$F" | grep -qF "5,close,total_capex_2025,a001-01,twn,close,\"a001-01: USD 20.64 billion is not CNY 150 billion converted at the rate of its own day, 2025-01-24 (USD 20.698 bn, -0.28 %); best explanation: ECB 2025-01-22 spot, 2 days before (1 other hypothesis)\""'
check "no sentence carries the input's free text (quote, note, entity)" \
    '! grep -q "ByteDance\|earmarked\|reportedly" "$F"'

check "conversions.csv has SPEC 7's header" \
    '[ "$(head -1 "$C")" = "fact_id,source,amount,unit,reported_amount,reported_unit,computed_amount,deviation_pct,verdict,matching_rate_dates,explained_by,alternatives" ]'
check "a001-01 is explained by the ECB rate 2 days old; the other: the same rate, truncated" \
    'grep -q "^a001-01,.*,2025-01-22,\"ECB 2025-01-22 spot, 2 days before\",1$" "$C"'
check "a000-02 (\$5.5 billion) is explained by its own day's rate, and by 68 other hypotheses" \
    'grep -q "^a000-02,.*,ECB 2025-01-22 spot,68$" "$C"'
# SPEC 5.1: a003-02's best is the chained "via USD 5.5 billion" of
# 2025-01-22 (one assumption, the latest R), not the stale direct rates
# of 2024-12-23 ... 2025-01-10 (also one assumption, older R).
check "explained_by: a003-02 converted the wire's USD 5.5 billion (chained)" \
    'grep -q "^a003-02,.*,\"ECB 2025-01-22 spot, via USD 5.5 billion (ai-news-digest)\",89$" "$C"'

# The other kinds, each on an input made for it.
printf 'fact_id,entity,claim,source,published,value,unit,quote\nsat,E,c,s,2025-01-25,40,CNY,q\n' > "$T/sat.csv"
$BIN -q "$T/sat.csv" --csv-dir "$T/sat" 2> "$T/stderr"
check "a fact valued with a fallback rate is a finding" \
    '[ "$(row 1 "$T/sat/findings.csv")" = "1,fallback,c,sat,s,,\"sat: CNY 40 valued on 2025-01-25 at the USD rate of 2025-01-24, 1 day before (no rate that day; --fallback previous, --max-stale 7)\"" ]'
$BIN -q "$T/sat.csv" --max-stale none --csv-dir "$T/sat2" 2> "$T/stderr"
check "--max-stale none is said as none" 'grep -q "max-stale none)" "$T/sat2/findings.csv"'
printf 'fact_id,entity,claim,source,published,value,scale,unit,reported_value,reported_scale,reported_unit,quote\nu1,E,c1,s1,2025-01-22,40,billion,CNY,5,billion,ZWL,q\n' > "$T/u.csv"
$BIN -q "$T/u.csv" --csv-dir "$T/u" 2> "$T/stderr"
check "a conversion no rate can check is an unverifiable finding" \
    '[ "$(row 1 "$T/u/findings.csv")" = "1,unverifiable,c1,u1,s1,unverifiable,u1: ZWL 5 billion for CNY 40 billion cannot be checked: no rate prices CNY in ZWL on or before 2025-01-22" ]'
printf 'fact_id,entity,claim,source,published,value,unit,quote\nw1,E,c,s1,2025-01-22,40,CNY,q\nw2,E,c,s2,2025-01-22,41,CNY,q\n' > "$T/none.csv"
$BIN -q "$T/none.csv" --csv-dir "$T/none" 2> "$T/stderr"
check "no findings: findings.csv is its header alone" '[ "$(grep -c "" "$T/none/findings.csv")" -eq 1 ]'
# ranking across kinds: a disagreement, then an inconsistent conversion,
# then a close one, then a fallback
printf '%s\n' 'fact_id,entity,claim,source,published,value,scale,unit,reported_value,reported_scale,reported_unit,quote' \
    'k1,E,sat,s1,2025-01-25,40,,CNY,,,,q' \
    'k2,E,close,s1,2025-01-22,40,billion,CNY,5.45,billion,USD,q' \
    'k3,E,bad,s1,2025-01-22,40,billion,CNY,9,billion,USD,q' \
    'k4,E,cl,s1,2025-01-22,10,,count,,,,q' \
    'k5,E,cl,s2,2025-01-22,20,,count,,,,q' > "$T/kinds.csv"
$BIN -q "$T/kinds.csv" --csv-dir "$T/kinds" 2> "$T/stderr"
check "kinds rank disagree, inconsistent, close, fallback" \
    '[ "$(cut -d, -f1-2 "$T/kinds/findings.csv" | tr "\n" " ")" = "rank,kind 1,disagree 2,inconsistent 3,close 4,fallback " ]'
# A stale rate: one before the provider's latest two rate dates on or
# before D. On Monday 2025-03-10 the latest two are 03-10 and 03-07 (Friday):
# a figure only 03-07's rate gives is not stale, only 03-06's is.
mkdir -p "$T/st/r"
printf 'date,base,quote,rate\n2025-03-05,GBP,USD,3\n2025-03-06,GBP,USD,1\n2025-03-07,GBP,USD,2\n2025-03-10,GBP,USD,4\n' > "$T/st/r/fx.csv"
printf '%s\n' 'fact_id,entity,claim,source,published,value,unit,quote,reported_value,reported_unit' \
    'b2,E,c1,s,2025-03-10,1000,GBP,q,2000,USD' 'b3,E,c2,s,2025-03-10,1000,GBP,q,1000,USD' \
    'b1,E,c3,s,2025-03-10,1000,GBP,q,4000,USD' > "$T/st/f.csv"
$BIN -q -r "$T/st/r" "$T/st/f.csv" --csv-dir "$T/st/o" 2> "$T/stderr"
# The others (SPEC 5.1): b2's 2000 is also 03-07's spot read truncated
# [2000, 2001), and the month-to-date means of 03-06 (3+1)/2 and 03-07
# (3+1+2)/3, both 2, under either reading: 5. b3, b1: the truncated reading.
check "the second-latest rate date is no assumption (provider named from the long file)" \
    'grep -q "^b2,.*,2025-03-07,fx 2025-03-07 spot,5$" "$T/st/o/conversions.csv"'
check "the third-latest is stale, with its age" \
    'grep -q "^b3,.*,2025-03-06,\"fx 2025-03-06 spot, 4 days before\",1$" "$T/st/o/conversions.csv"'
check "the valuation day's own rate: spot, no age" \
    'grep -q "^b1,.*,consistent,2025-03-10,fx 2025-03-10 spot,1$" "$T/st/o/conversions.csv"'
check "inconsistent findings by |deviation|, largest first" \
    '[ "$(cut -d, -f4 "$T/st/o/findings.csv" | tr "\n" " ")" = "fact_id b3 b2 " ]'
# A provider is a long file's source cell, free text: explained_by starts
# with it, so one that would start a formula gets a ' first.
mkdir -p "$T/inj/r"
printf 'date,base,quote,rate,source\n2025-03-10,GBP,USD,4,=cmd\n' > "$T/inj/r/fx.csv"
printf '%s\n' 'fact_id,entity,claim,source,published,value,unit,quote,reported_value,reported_unit' \
    'i1,E,c1,s,2025-03-10,1000,GBP,q,4000,USD' > "$T/inj/f.csv"
$BIN -q -r "$T/inj/r" "$T/inj/f.csv" --provider =cmd --csv-dir "$T/inj/o" 2> "$T/stderr"
check "an explanation whose provider starts with = cannot start a formula in conversions.csv" \
    'grep -q ",'"'"'=cmd 2025-03-10 spot,3$" "$T/inj/o/conversions.csv"'
# A provider's name is a curator's text: explained_by carries it whole.
long=$(printf 'p%.0s' $(seq 1 300))
mkdir -p "$T/lp/r"
printf 'date,base,quote,rate,source\n2025-03-10,GBP,USD,4,%s\n' "$long" > "$T/lp/r/fx.csv"
$BIN -q -r "$T/lp/r" "$T/inj/f.csv" --csv-dir "$T/lp/o" 2> "$T/stderr"
check "a 300-character provider is not cut in explained_by" \
    'grep -q ",$long 2025-03-10 spot,3$" "$T/lp/o/conversions.csv"'

# The Summary lists six inputs and counts the rest (About lists them all):
# six inputs, no "more" line; seven, the seventh counted.
for k in 6 7; do
    rm -rf "$T/in$k" && mkdir -p "$T/in$k"
    for i in $(seq 1 $k); do
        printf 'fact_id,entity,claim,source,published,value,unit,quote\nf%s,E,c,s,2025-01-22,1,count,q\n' "$i" \
            > "$T/in$k/f$i.csv"
    done
    $BIN -q "$T/in$k"/f*.csv -o "$T/in$k/b.xlsx" 2> "$T/stderr"
    /usr/bin/python3 - "$T/in$k/b.xlsx" > "$T/in$k/shown" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["Summary"]
a = [r[0] for r in ws.iter_rows(min_col=1, max_col=1, values_only=True) if r[0]]
print(sum(1 for v in a if str(v).endswith(".csv") and "/f" in str(v)),
      [v for v in a if str(v).startswith("and ") and "inputs" in str(v)])
PY
done
check "Summary: six inputs listed, none counted" '[ "$(cat "$T/in6/shown")" = "6 []" ]'
check "Summary: seven inputs, six listed and one counted" \
    '[ "$(cat "$T/in7/shown")" = "6 ['"'"'and 1 more inputs (About lists every one)'"'"']" ]'
echo "1..$n"
