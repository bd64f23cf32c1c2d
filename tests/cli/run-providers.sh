#!/bin/sh
# run-providers - SPEC 3 providers on the real binary: FRED H.10 and Bank
# of England files beside the ECB history, --provider order, crosses
# within one provider, the provider column of facts.csv and the Facts
# sheet, and the default run unchanged (rates/fred is not read unless
# asked). Prints TAP.
set -u
BIN=${FXBOOK:-build/san/fxbook}
PY=/usr/bin/python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; sed 's/^/# /' "$T/stderr" | head -5; fi; }
col() { # facts.csv FILE, fact_id, target -> the provider column
    awk -F, -v id="$2" -v t="$3" '$1 == id && $7 == t { print $9 }' "$1"
}

# 1. The issue's run: H.10 values the dollar, yuan and pound facts; the
# ECB what H.10 has no pair for (EUR as a second target).
$BIN -q fixtures/bytedance-ai-2025.csv -r rates -r rates/fred --provider FED-H10,ECB \
    -t USD,EUR --csv-dir "$T/h" -o "$T/h/b.xlsx" 2> "$T/stderr"
rc=$?
F="$T/h/facts.csv"
check "-r rates -r rates/fred --provider FED-H10,ECB runs" '[ $rc -eq 0 ] && [ -s "$T/h/b.xlsx" ]'
check "facts.csv: provider right after rate_date" \
    '[ "$(head -1 "$F")" = "fact_id,claim,source,valuation_date,amount,unit,target,rate_date,provider,rate,amount_target" ]'
check "CNY in USD by FED-H10 (DEXCHUS 2025-01-22: 7.2728)" \
    'grep -q "^a000-02,ai_chips_china_2025,ai-news-digest,2025-01-22,40000000000,CNY,USD,2025-01-22,FED-H10,0.137498625014,5499945000.55$" "$F"'
check "GBP in USD by FED-H10 (DEXUSUK 2025-01-22: 1.2324)" \
    'grep -q "^a003-03,.*,GBP,USD,2025-01-22,FED-H10,1.23240000000,6778200000.00$" "$F"'
check "CNY in EUR by the ECB: H.10 has no euro here" '[ "$(col "$F" a000-02 EUR)" = ECB ]'
check "USD in USD: no rate, no provider" '[ "$(col "$F" a000-01 USD)" = "" ]'
check "every converted row names FED-H10 or ECB" \
    '[ -z "$(awk -F, "NR > 1 && \$8 != \"\" && \$6 != \$7 && \$9 != \"FED-H10\" && \$9 != \"ECB\"" "$F")" ]'
# SPEC 5.1 with FED-H10 ranked first: H.10's January mean to 2025-01-22
# (one assumption, the latest R) beats ECB's chained USD 5.5 billion of
# the same day (one assumption, same R, a later provider).
check "the CNY -> GBP conversion is a cross of H.10 legs, explained by H.10's month-to-date mean" \
    'grep -q "^a003-02,.*;2025-01-09,FED-H10 2025-01-22 month-average,178$" "$T/h/conversions.csv"'
$PY - "$T/h/b.xlsx" > "$T/sheet" 2> "$T/stderr" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Facts"]
rows = list(ws.iter_rows(values_only=True))
h = rows[0]
for r in rows[1:]:
    print(r[h.index("fact_id")], r[h.index("provider")] or "", r[h.index("currency or unit")])
PYEOF
check "Facts sheet: the provider of each row (FED-H10 for yuan and pounds)" \
    'grep -qx "a000-02 FED-H10 CNY" "$T/sheet" && grep -qx "a003-03 FED-H10 GBP" "$T/sheet" && grep -qx "a000-01  USD" "$T/sheet"'
$PY - "$T/h/b.xlsx" > "$T/rates" 2> "$T/stderr" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Rates"]
rows = list(ws.iter_rows(values_only=True))
h = rows[0]
print(sorted(set(r[h.index("provider")] for r in rows[1:])))
PYEOF
check "Rates sheet: both providers' rates listed with their provider" \
    'grep -qx "\[.ECB., .FED-H10.\]" "$T/rates"'

# 2. The order decides: ECB first values everything the ECB can.
$BIN -q fixtures/bytedance-ai-2025.csv -r rates -r rates/fred --provider ECB,FED-H10 \
    --csv-dir "$T/e" 2> "$T/stderr"
check "--provider ECB,FED-H10: the ECB values every fact" \
    '[ $? -eq 0 ] && [ "$(col "$T/e/facts.csv" a000-02 USD)" = ECB ] && [ "$(col "$T/e/facts.csv" a003-03 USD)" = ECB ]'
# no --provider: ECB, since it is loaded
$BIN -q fixtures/bytedance-ai-2025.csv -r rates -r rates/fred --csv-dir "$T/d" 2> "$T/stderr"
check "no --provider with the ECB loaded: ECB alone" \
    '[ $? -eq 0 ] && ! grep -q FED-H10 "$T/d/facts.csv" && [ "$(col "$T/d/facts.csv" a000-02 USD)" = ECB ]'

# 3. The default run is unchanged: rates/ is read without its subfolders.
$BIN -q fixtures/bytedance-ai-2025.csv --csv-dir "$T/def" -o "$T/def/b.xlsx" 2> "$T/stderr"
$BIN -q fixtures/bytedance-ai-2025.csv -r rates --csv-dir "$T/r" 2> "$T/stderr"
check "default run: the ECB alone, as -r rates" \
    'cmp -s "$T/def/facts.csv" "$T/r/facts.csv" && ! grep -q FED-H10 "$T/def/facts.csv"'
$PY - "$T/def/b.xlsx" > "$T/files" 2> "$T/stderr" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["About"]
print("\n".join(str(c) for r in ws.iter_rows(values_only=True) for c in r if c))
PYEOF
check "default run: no file of rates/fred was read" '! grep -q "DEX" "$T/files"'

# 4. Only FRED loaded: every loaded provider is the default; what H.10
# lacks is an error naming the provider.
$BIN -q fixtures/bytedance-ai-2025.csv -r rates/fred --csv-dir "$T/f" 2> "$T/stderr"
check "-r rates/fred alone: FED-H10 by default" \
    '[ $? -eq 0 ] && [ "$(col "$T/f/facts.csv" a000-02 USD)" = FED-H10 ]'
$BIN -q fixtures/bytedance-ai-2025.csv -r rates/fred -r fixtures/good/rates-boe --provider FED-H10 \
    -t EUR --csv-dir "$T/f2" 2> "$T/stderr"
rc=$?
check "--provider FED-H10 -t EUR (BOE has euros): 65, no EUR rate from FED-H10, nothing written" \
    '[ $rc -eq 65 ] && grep -q "cannot convert CNY to EUR on 2025-01-22: no EUR rate from FED-H10$" "$T/stderr" && [ ! -e "$T/f2" ]'

# 5. FRED's older header (DATE,...), "." for no rate.
printf 'fact_id,entity,claim,source,published,value,unit,quote\ng1,E,c,s,2025-01-03,100,GBP,q\n' > "$T/gbp.csv"
$BIN -q "$T/gbp.csv" -r fixtures/good/rates-fred --csv-dir "$T/o" 2> "$T/stderr"
check "DATE,DEXUSUK: 1 GBP = 1.2376 USD on 2025-01-03, provider FED-H10" \
    '[ $? -eq 0 ] && grep -q "^g1,c,s,2025-01-03,100,GBP,USD,2025-01-03,FED-H10,1.23760000000,123.76$" "$T/o/facts.csv"'
printf 'fact_id,entity,claim,source,published,value,unit,quote\ng2,E,c,s,2025-01-01,100,GBP,q\n' > "$T/gbp1.csv"
$BIN -q "$T/gbp1.csv" -r fixtures/good/rates-fred --csv-dir "$T/o1" 2> "$T/stderr"
rc=$?
check "\".\" is no rate: 2025-01-01 is before the series' first rate (65)" \
    '[ $rc -eq 65 ] && grep -q "no GBP rate on or before 2025-01-01: the GBP series starts on 2025-01-02$" "$T/stderr"'

# 6. Bank of England: a cross through sterling, both legs BOE, exact.
printf 'fact_id,entity,claim,source,published,value,unit,reported_value,reported_unit,quote\nb1,E,c,s,2025-01-22,40,CNY,5.5,USD,q\n' > "$T/cny.csv"
$BIN -q "$T/cny.csv" -r fixtures/good/rates-boe -r rates --provider BOE,ECB --places 10 \
    --csv-dir "$T/b" 2> "$T/stderr"
rc=$?
want=$($PY -c 'from fractions import Fraction as F; from decimal import Decimal as D, ROUND_HALF_EVEN as E, getcontext; getcontext().prec = 60; x = F(40) * F("1.2318") / F("8.9627"); print((D(x.numerator) / D(x.denominator)).quantize(D("1e-10"), rounding=E))')
check "BOE: CNY -> GBP -> USD on one day, both legs BOE ($want)" \
    '[ $rc -eq 0 ] && grep -q "^b1,c,s,2025-01-22,40,CNY,USD,2025-01-22,BOE,.*,$want$" "$T/b/facts.csv"'
check "BOE: the audit's matching days are BOE's" \
    'grep -q ",\"\\?BOE 2025-01-2[0-9] spot" "$T/b/conversions.csv"'
# a pair two providers price differently is no conflict (GBP/USD: BOE 1.2318, H.10 1.2324)
$BIN -q "$T/cny.csv" -r fixtures/good/rates-boe -r rates/fred --provider FED-H10,BOE \
    --csv-dir "$T/b2" 2> "$T/stderr"
check "the same pair from BOE and FED-H10 with other values: no conflict" \
    '[ $? -eq 0 ] && grep -q "^b1,.*,FED-H10," "$T/b2/facts.csv"'
echo "1..$n"
