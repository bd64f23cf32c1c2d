#!/bin/bash
# profile.sh - `make bench-profile`: where fxbook spends its time, for
# docs/BENCHMARKS.md. With perf (software clock: no hardware counters are
# needed) on BENCH_PROFILE_N facts (default 100000), DWARF call graphs;
# without perf, valgrind --tool=callgrind on 10000 facts. Writes
# build/bench/profile.txt: self cost by library, the top functions by self
# cost, who owns the time (bench/attribute.py: our source files versus
# libxlsxwriter/zlib), a per-thread timeline and the inclusive cost of
# fxbook's stages.
set -euo pipefail
cd "$(dirname "$0")/.."
seed=${BENCH_SEED:-20250509}
dir=${BENCH_DIR:-build/bench}
bin=build/bench/bin
out=$dir/profile.txt
${MAKE:-make} -s build/fxbook $bin/gen
mkdir -p "$dir"

# fxbook's stages and the libraries' entry points: their inclusive cost
stages='fx_pipeline_run|fx_rates_load|fx_rates_finish|fx_facts_read|fx_csvin_read|csv_parse|fx_convert|fx_rates_lookup|fx_audit_check|fx_rates_each_day|fx_audit_add|fx_audit_finish|fx_book_add|fx_book_close|workbook_close|deflate|worksheet_write_string|worksheet_write_number|worksheet_write_formula_num|worksheet_write_comment|fx_dec_to_double|fx_ratio_to_double|fx_ratio_set_convert|fx_ratio_round|fx_export_add|hash_input|writer_main|start_thread|fx_facts_index'

if perf stat -e cpu-clock true >/dev/null 2>&1; then
    n=${BENCH_PROFILE_N:-100000}
    base=$dir/facts-$n-s$seed
    [ -s "$base.csv" ] || $bin/gen -n "$n" -s "$seed" -o "$base.csv"
    echo "profile: perf record on $n facts" >&2
    perf record -q -e cpu-clock -F 999 --call-graph dwarf,16384 -o "$dir/perf.data" \
        build/fxbook "$base.csv" -o "$dir/profile-$n.xlsx" -q 2>>"$dir/perf.log"
    set +o pipefail # head closes the pipes early
    rep() { perf report -i "$dir/perf.data" --stdio "$@" 2>/dev/null | grep -v '^#' | grep -v '^$'; }
    {
        echo "# fxbook $n facts: perf record -e cpu-clock -F 999 --call-graph dwarf ($(date -u +%F))"
        echo "# libz has no symbols on Debian without its dbgsym package: its lines are deflate's internals"
        echo
        echo "## self cost by library (all threads)"
        rep --no-children --sort dso -g none | head -15
        echo
        echo "## self cost by thread"
        rep --no-children --sort pid -g none | head -6
        echo
        echo "## samples per thread per 0.5 s (the streaming phase overlaps; the close is serial)"
        perf script -i "$dir/perf.data" -F tid,time 2>/dev/null | awk '{ sub(":", "", $2)
            if (!t0) t0 = $2; b = int(($2 - t0) * 2); c[b " " $1]++; if (b > mb) mb = b; tid[$1] = 1 }
            END { for (i = 0; i <= mb; i++) { l = sprintf("%5.1fs", i / 2)
                for (x in tid) l = l sprintf("  %s:%4d", x, c[i " " x] + 0); print l } }' 
        echo
        echo "## owners and stages (bench/attribute.py)"
        perf script -i "$dir/perf.data" -F tid,ip,sym,dso --no-inline 2>/dev/null |
            /usr/bin/python3 bench/attribute.py build/fxbook
        echo
        echo "## top 40 functions by self cost"
        rep --no-children --sort dso,symbol -g none | head -40
        echo
        echo "## inclusive cost of fxbook's stages and the library entry points"
        rep --children --sort symbol -g none | grep -E "\] ($stages)\b" | head -40
        echo
        echo "## callers of the top C library functions (vfprintf & co)"
        rep --no-children --sort symbol -g caller,0.5,callee,function,percent \
            --symbols=__vfprintf_internal,__printf_fp_l,__GI___printf_fp_l,_int_malloc,malloc | head -80
    } >"$out"
else
    n=${BENCH_PROFILE_N:-10000}
    base=$dir/facts-$n-s$seed
    [ -s "$base.csv" ] || $bin/gen -n "$n" -s "$seed" -o "$base.csv"
    echo "profile: no perf here; callgrind on $n facts" >&2
    set +o pipefail
    valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" \
        build/fxbook "$base.csv" -o "$dir/profile-$n.xlsx" -q 2>>"$dir/callgrind.log"
    {
        echo "# fxbook $n facts: valgrind --tool=callgrind ($(date -u +%F)), instructions"
        echo
        echo "## top functions by self cost"
        callgrind_annotate --threshold=99 "$dir/callgrind.out" | head -60
        echo
        echo "## inclusive"
        callgrind_annotate --inclusive=yes --threshold=99 "$dir/callgrind.out" |
            grep -E "($stages)" | head -40
    } >"$out"
fi
cat "$out"
