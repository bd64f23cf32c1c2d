#!/bin/sh
# run-install - make install into a DESTDIR gives a working fxbook that
# finds its rates from its own location (run from a folder with no
# rates/), a manual page, and make uninstall removes it all. Prints TAP.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
top=$(pwd)
make -s install DESTDIR="$T/root" PREFIX=/opt/fx > "$T/log" 2>&1
rc=$?
check "make install DESTDIR=... PREFIX=/opt/fx" '[ $rc -eq 0 ]'
B="$T/root/opt/fx/bin/fxbook"
check "binary, rates and manual page installed" \
    '[ -x "$B" ] && [ -f "$T/root/opt/fx/share/fxbook/rates/eurofxref-hist.csv" ] && [ -f "$T/root/opt/fx/share/fxbook/rates/aliases.csv" ] && [ -f "$T/root/opt/fx/share/man/man1/fxbook.1" ]'
mkdir "$T/elsewhere"
(cd "$T/elsewhere" && "$B" -q "$top/fixtures/bytedance-ai-2025.csv" --csv-dir out) 2> "$T/err"
rc=$?
check "the installed fxbook finds its rates from anywhere" \
    '[ $rc -eq 0 ] && grep -q "5504137458.49" "$T/elsewhere/out/facts.csv"'
check "the manual page formats without warnings" \
    '[ -z "$(MANWIDTH=80 man -l "$T/root/opt/fx/share/man/man1/fxbook.1" 2>&1 > /dev/null)" ]'
for opt in $(grep -o '{"[a-z-]*", [a-z_]*_argument' src/opts.c | sed 's/{"\([a-z-]*\)".*/\1/'); do
    check "the manual documents --$opt" 'grep -q -- "-\\\\-$(echo $opt | sed "s/-/\\\\\\\\-/g")" docs/fxbook.1'
done
for code in 0 1 64 65 66 70 73 74; do
    check "the manual documents exit code $code" 'grep -q "^\.B $code$" docs/fxbook.1'
done
make -s uninstall DESTDIR="$T/root" PREFIX=/opt/fx > "$T/log" 2>&1
check "make uninstall removes it all" '[ -z "$(find "$T/root" -type f)" ]'
echo "1..$n"
