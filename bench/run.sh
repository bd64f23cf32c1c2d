#!/bin/bash
# run.sh - `make bench`: times fxbook end to end on generated facts, the
# floor of its libraries and the pandas peer, and prints one table. Never a
# test: it fails only when something cannot run, never on a number.
#
# For each size N: bench/gen writes build/bench/facts-N-sSEED.csv (and
# floor_dec's side file, .conv); fxbook runs once untimed as the timed run
# does, under the shim bench/lxw_trace.so (LD_PRELOAD), which records every
# libxlsxwriter call it makes to facts-N-sSEED.trace; then, interleaved,
# RUNS times each:
#   fxbook   build/fxbook FACTS -r rates -r rates/fred -o OUT.xlsx -q
#                                                  wall time, peak RSS
#   (a)      floor_csv: libcsv parse only          its own clock
#   (b)      floor_dec: the conversions only       its own clock
#   (c)      floor_xlsx TRACE: libxlsxwriter alone replaying fxbook's calls
#            (the same cells, the same sheet XML)  its own clock (workbook_new..close)
# and pandas (bench/peer_pandas.py) up to BENCH_PANDAS_MAX facts: wall, RSS.
# The first floor workbook of a size is compared with fxbook's (cmp; a
# difference is reported, bench/cmp_sheets.py says which sheets differ).
# Times are medians. Wall times are taken around /usr/bin/time, which gives
# the peak RSS (its own start-up, ~1 ms, is in the wall time).
#
# Knobs (environment):
#   BENCH_SIZES="10000 100000 1000000"  sizes
#   BENCH_RUNS=5            runs per size below 1M; BENCH_RUNS_1M=3 at 1M and above
#   BENCH_FULL=1            pandas at every size (1M takes ~100 s a run)
#   BENCH_PANDAS_MAX=100000 largest size pandas runs at (default; BENCH_FULL lifts it)
#   BENCH_PANDAS_RUNS=3     pandas runs per size
#   BENCH_SEED=20250509     generator seed
#   BENCH_DIR=build/bench   where the inputs, outputs and results go
#   BENCH_KEEP_TRACE=1      keep each size's trace (~1.2 GB at 1M; else deleted after its runs)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

sizes=${BENCH_SIZES:-10000 100000 1000000}
runs=${BENCH_RUNS:-5}
runs_1m=${BENCH_RUNS_1M:-3}
seed=${BENCH_SEED:-20250509}
dir=${BENCH_DIR:-build/bench}
if [ "${BENCH_FULL:-0}" = 1 ]; then
    pandas_max=${BENCH_PANDAS_MAX:-1000000000}
else
    pandas_max=${BENCH_PANDAS_MAX:-100000}
fi
pandas_runs=${BENCH_PANDAS_RUNS:-3}
bin=build/bench/bin
py=/usr/bin/python3

${MAKE:-make} -s build/fxbook $bin/gen $bin/floor_csv $bin/floor_dec $bin/floor_xlsx \
    $bin/lxw_trace.so $bin/rates_load $bin/index_bytes
mkdir -p "$dir"
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing: scripts/deps bench" >&2; exit 1; }
have_pandas=1
$py -c 'import pandas, xlsxwriter' 2>/dev/null || {
    have_pandas=0
    echo "bench: pandas or xlsxwriter missing (scripts/deps bench): no peer column" >&2
}
log=$dir/bench.log
: >"$log"

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# timed CMD...: runs it once; sets WALL (s), RSS (MB), USER and SYS (CPU s).
# Stdout is kept in $dir/last.out.
timed() {
    local t0 t1 rc
    t0=$(date +%s%N)
    set +e
    /usr/bin/time -f '%M %U %S' -o "$dir/time.out" "$@" >"$dir/last.out" 2>>"$log"
    rc=$?
    set -e
    t1=$(date +%s%N)
    if [ $rc -ne 0 ]; then
        echo "bench: failed ($rc): $*; see $log" >&2
        exit 1
    fi
    WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    read -r RSS USER SYS < <(awk 'END { printf "%.1f %s %s\n", $1 / 1024, $2, $3 }' "$dir/time.out")
}

# ---- machine ----
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
echo "bench: $(nproc) CPUs ($cpu), $mem; Debian $(cat /etc/debian_version 2>/dev/null || echo ?)," \
    "$(${CC:-cc} --version | head -1); seed $seed; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the ECB history alone ----
read -r load_med load_min nrates < <($bin/rates_load rates 50)
$bin/gen -n 1 -s "$seed" -o "$dir/facts-1.csv"
checks=()
for _ in 1 2 3 4 5 6 7 8 9 10 11; do
    timed build/fxbook --check -q "$dir/facts-1.csv"
    checks+=("$WALL")
done
check_med=$(printf '%s\n' "${checks[@]}" | median)
awk -v n="$nrates" -v m="$load_med" -v lo="$load_min" -v c="$check_med" 'BEGIN {
    printf "bench: ECB history (%s rates): load+finish %.1f ms (median of 50, min %.1f ms);", n, m * 1000, lo * 1000
    printf " fxbook --check on 1 fact: %.1f ms wall (median of 11)\n", c * 1000 }' | tee "$dir/rates.txt"

# ---- per size ----
results=$dir/results.tsv
printf 'N\tfxbook_s\tfxbook_MB\ta_s\tb_s\tb_core_s\tc_s\tfx_over_c\tfx_over_abc\tpandas_s\tpandas_MB\tpandas_over_fx\tindex_MB\tfx_user_s\tfx_sys_s\tc_lib_MB\tnoexp_s\texplain_pct\n' >"$results"
for n in $sizes; do
    base=$dir/facts-$n-s$seed
    if [ ! -s "$base.csv" ] || [ ! -s "$base.conv" ] ||
        [ "$base.csv" -ot $bin/gen ] || [ "$base.csv" -ot rates/eurofxref-hist.csv ]; then
        echo "bench: generating $n facts" >&2
        $bin/gen -n "$n" -s "$seed" -o "$base.csv" -c "$base.conv"
    fi
    rm -f "$base.plan" # gen's old cell plan, no longer used
    build/fxbook --check -q "$base.csv" 2>>"$log" ||
        { echo "bench: $base.csv does not pass fxbook --check; see $log" >&2; exit 1; }
    # floor (c)'s input: fxbook's own libxlsxwriter calls, run as the timed run is (untimed)
    echo "bench: tracing fxbook's libxlsxwriter calls at $n facts" >&2
    [ "${BENCH_KEEP_TRACE:-0}" = 1 ] || trap 'rm -f "$base.trace"' EXIT # even if a run fails
    LD_PRELOAD="$root/$bin/lxw_trace.so" LXW_TRACE="$base.trace" \
        build/fxbook "$base.csv" -r rates -r rates/fred -o "$dir/traced-$n.xlsx" -q 2>>"$log" ||
        { echo "bench: fxbook failed under the trace shim; see $log" >&2; exit 1; }
    r=$runs
    [ "$n" -ge 1000000 ] && r=$runs_1m
    fx=() fxm=() fxu=() fxs=() a=() b=() bc=() c=() cm=() nx=()
    for ((i = 0; i < r; i++)); do
        # ECB and the Fed's H.10 loaded (issue 13): the explanations search both
        timed build/fxbook "$base.csv" -r rates -r rates/fred -o "$dir/out-$n.xlsx" -q
        fx+=("$WALL") fxm+=("$RSS") fxu+=("$USER") fxs+=("$SYS")
        # the same with the explanations switched off (FXBOOK_NO_EXPLANATIONS):
        # what SPEC 5.1's search costs
        timed env FXBOOK_NO_EXPLANATIONS=1 build/fxbook "$base.csv" -r rates -r rates/fred \
            -o "$dir/out-$n.xlsx" -q
        nx+=("$WALL")
        timed $bin/floor_csv "$base.csv"
        a+=("$(awk '{ print $1 }' "$dir/last.out")")
        timed $bin/floor_dec "$base.conv"
        b+=("$(awk '{ print $1 }' "$dir/last.out")") bc+=("$(awk '{ print $2 }' "$dir/last.out")")
        timed $bin/floor_xlsx "$base.trace" "$dir/floor-$n.xlsx"
        c+=("$(awk '{ print $1 }' "$dir/last.out")") cm+=("$(awk '{ print $3 }' "$dir/last.out")")
        if [ "$i" = 0 ]; then # the floor writes what fxbook wrote (only the sheets must match)
            cmp -s "$dir/traced-$n.xlsx" "$dir/floor-$n.xlsx" ||
                echo "bench: note: $dir/floor-$n.xlsx differs from fxbook's $dir/traced-$n.xlsx;" \
                    "bench/cmp_sheets.py compares their sheets" | tee -a "$log" >&2
            rm -f "$dir/traced-$n.xlsx"
        fi
        echo "bench: $n facts, run $((i + 1))/$r: fxbook ${fx[-1]} s ${fxm[-1]} MB (user ${fxu[-1]} sys ${fxs[-1]}; without explanations ${nx[-1]} s);" \
            "floor (a) ${a[-1]} (b) ${b[-1]} (c) ${c[-1]} s" >&2
    done
    [ "${BENCH_KEEP_TRACE:-0}" = 1 ] || { rm -f "$base.trace"; trap - EXIT; }
    m_fx=$(printf '%s\n' "${fx[@]}" | median)
    m_fxm=$(printf '%s\n' "${fxm[@]}" | median)
    m_a=$(printf '%s\n' "${a[@]}" | median)
    m_b=$(printf '%s\n' "${b[@]}" | median)
    m_bc=$(printf '%s\n' "${bc[@]}" | median)
    m_c=$(printf '%s\n' "${c[@]}" | median)
    m_cm=$(printf '%s\n' "${cm[@]}" | median)
    m_fxu=$(printf '%s\n' "${fxu[@]}" | median)
    m_fxs=$(printf '%s\n' "${fxs[@]}" | median)
    m_nx=$(printf '%s\n' "${nx[@]}" | median)
    idx=$($bin/index_bytes rates "$base.csv" | awk '{ printf "%.1f", $1 / 1048576 }')
    p_s=- p_m=- p_r=-
    if [ $have_pandas = 1 ] && [ "$n" -le "$pandas_max" ]; then
        ps=() pm=()
        for ((i = 0; i < pandas_runs; i++)); do
            timed $py bench/peer_pandas.py "$base.csv" "$dir/pandas-$n.xlsx" rates
            ps+=("$WALL") pm+=("$RSS")
            echo "bench: $n facts, pandas run $((i + 1))/$pandas_runs: $WALL s $RSS MB" >&2
        done
        p_s=$(printf '%s\n' "${ps[@]}" | median)
        p_m=$(printf '%s\n' "${pm[@]}" | median)
        p_r=$(awk -v p="$p_s" -v f="$m_fx" 'BEGIN { printf "%.2f", p / f }')
    fi
    awk -v OFS='\t' -v n="$n" -v fx="$m_fx" -v fxm="$m_fxm" -v a="$m_a" -v b="$m_b" -v bc="$m_bc" \
        -v c="$m_c" -v ps="$p_s" -v pm="$p_m" -v pr="$p_r" -v idx="$idx" -v fxu="$m_fxu" \
        -v fxs="$m_fxs" -v cm="$m_cm" -v nx="$m_nx" 'BEGIN {
        print n, fx, fxm, sprintf("%.3f", a), sprintf("%.3f", b), sprintf("%.3f", bc),
              sprintf("%.3f", c), sprintf("%.2f", fx / c), sprintf("%.2f", fx / (a + b + c)),
              ps, pm, pr, idx, fxu, fxs, cm, nx, sprintf("%.1f", 100 * (fx - nx) / fx) }' >>"$results"
done

# ---- the table ----
echo
awk -F'\t' 'NR == 1 {
        printf "%9s %9s %9s %8s %8s %8s %8s %7s %9s %9s %9s %9s %9s\n",
            "N", "fxbook s", "fxbook MB", "(a) s", "(b) s", "(c) s", "(a+b+c)", "fx/(c)",
            "fx/(a+b+c)", "pandas s", "pandas MB", "pandas/fx", "index MB"
        next }
    { printf "%9s %9.2f %9.1f %8.3f %8.3f %8.3f %8.3f %7.2f %9.2f %9s %9s %9s %9s\n",
        $1, $2, $3, $4, $5, $7, $4 + $5 + $7, $8, $9, $10, $11, $12, $13 }' "$results"
echo
awk -F'\t' 'NR == 1 { printf "%9s %12s %11s %11s %12s %14s %14s %10s\n", "N", "fxbook user",
        "fxbook sys", "index MB", "(c) lib MB", "(b) core s", "no explain s", "explain %"; next }
    { printf "%9s %12s %11s %11s %12s %14s %14s %10s\n", $1, $14, $15, $13, $16, $6, $17, $18 }' "$results"
echo
echo "(a) libcsv parse, (b) decimal conversions (core: without the cells' doubles),"
echo "(c) libxlsxwriter alone replaying fxbook's own libxlsxwriter calls (the same cells);"
echo "fxbook (-r rates -r rates/fred) and pandas: wall time and peak RSS; no explain s: fxbook"
echo "with FXBOOK_NO_EXPLANATIONS=1, explain %: what the explanations (SPEC 5.1) cost of fxbook's"
echo "wall time;"
echo "index MB: fxbook's fact_id index at the end (fx_facts_index_bytes); (c) lib MB: how much"
echo "the peak RSS of (c) grew while writing. Medians; $results; log: $log"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every column)"
