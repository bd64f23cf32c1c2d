#!/bin/sh
# run-fuzz-regress - replays every kept crash input (fuzz/regress/<target>/)
# and the seed corpora through the libFuzzer binaries (-runs=0: each input
# once, no fuzzing), after `make fuzz-build`. TAP: one line per kept input,
# one per seed folder. A build failure is "not ok" (make test must not
# silently skip the fuzzers because clang is missing).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
n=0 bad=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); bad=$((bad + 1)); echo "not ok $n - $*"; }

log=build/fuzz/regress.log
mkdir -p build/fuzz
if ! make --no-print-directory fuzz-build > "$log" 2>&1; then
    notok "make fuzz-build"
    sed 's/^/# /' "$log" | tail -20
    echo "1..$n"
    exit 1
fi
ok "make fuzz-build"

# The crash of an input: its report, as TAP comments.
replay() { # name, binary, inputs...
    name=$1 bin=$2
    shift 2
    out=build/fuzz/replay.out
    if "$bin" -runs=0 -timeout=25 -rss_limit_mb=2048 -artifact_prefix=build/fuzz/replay- \
        "$@" > "$out" 2>&1; then
        ok "$name"
    else
        notok "$name"
        # the broken invariant, the sanitizer's verdict, our frames
        grep -E 'invariant failed|^  [^ ]|ERROR|SUMMARY|(src|fuzz)/[a-z_0-9]+\.[ch]:' "$out" |
            head -30 | sed 's/^/# /'
    fi
}

seeds_facts="fuzz/corpus/facts fixtures/good fixtures/bad fixtures/bad/sources"
seeds_rates="fuzz/corpus/rates fixtures/bad/rates"
seeds_dec="fuzz/corpus/dec"
for t in facts rates dec; do
    bin=build/fuzz/fuzz_$t
    if [ ! -x "$bin" ]; then
        notok "$bin was not built"
        continue
    fi
    if [ -d "fuzz/regress/$t" ]; then
        for f in fuzz/regress/$t/*; do
            [ -f "$f" ] && replay "fuzz_$t $f" "$bin" "$f"
        done
    fi
    eval "seeds=\$seeds_$t"
    for s in $seeds; do
        [ -d "$s" ] && replay "fuzz_$t seeds $s/" "$bin" "$s"
    done
done
echo "1..$n"
[ "$bad" -eq 0 ]
