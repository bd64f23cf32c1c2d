#!/bin/sh
# run-trust - SPEC 8 through the real binary: no output is an input, what
# an output is (link, device, FIFO, mode, owner), all or none, one run per
# output, signals, inputs read once, and the usage and resource errors of
# SPEC 1. Each check failed on the code before SPEC 8. Prints TAP.
set -u
BIN=${FXBOOK:-build/san/fxbook}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
F=$(pwd)/fixtures/bytedance-ai-2025.csv
RATES=$(pwd)/rates
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; sed 's/^/# /' "$T/err" 2> /dev/null | head -5; return 1; fi; }
fresh() { rm -rf "$T/w" && mkdir "$T/w" && cp "$F" "$T/w/facts.csv"; }
same() { cmp -s "$1" "$2"; }
# writes the facts into FIFO $1; gives up when no one reads it
feed() { timeout 30 sh -c 'cat "$1" > "$2"' sh "$F" "$1"; }
sheet_text() { python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); [sys.stdout.write(z.read(n).decode()) for n in z.namelist() if n.startswith('xl/worksheets/')]" "$1"; }
is_xlsx() { python3 -c "import zipfile,sys; sys.exit(zipfile.ZipFile(sys.argv[1]).testzip() is not None)" "$1" 2> /dev/null; }
# the folder holds exactly these names (no temporary file, lock or backup)
holds() { d=$1; shift; [ "$(ls -A "$d" | sort | tr '\n' ' ')" = "$(printf '%s\n' "$@" | sort | tr '\n' ' ')" ]; }
# waits until a run has taken its lock on output $1 (it then waits on a FIFO)
locked() { i=0; while [ ! -e "$(dirname "$1")/.$(basename "$1").fxbook-lock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done; }

# ---- 1. no output is an input: 64 before any work, the input unchanged
fresh
$BIN -q "$T/w/facts.csv" -o "$T/w/facts.csv" 2> "$T/err"; rc=$?
check "-o the facts input: 64, input unchanged" '[ $rc -eq 64 ] && same "$F" "$T/w/facts.csv" && grep -q "is the facts or sources file" "$T/err"'
fresh
$BIN -q "$T/w/facts.csv" --csv-dir "$T/w" 2> "$T/err"; rc=$?
check "--csv-dir holding the facts input: 64, input unchanged, nothing added" \
    '[ $rc -eq 64 ] && same "$F" "$T/w/facts.csv" && holds "$T/w" facts.csv'
fresh
$BIN -q "$T/w/facts.csv" -o "$T/w/out/facts.csv" --csv-dir "$T/w/out" 2> "$T/err"; rc=$?
check "-o DIR/facts.csv with --csv-dir DIR: 64, DIR not created" '[ $rc -eq 64 ] && [ ! -e "$T/w/out" ]'
fresh
mkdir "$T/w/r" && cp "$RATES/eurofxref-hist.csv" "$T/w/r/"
$BIN -q "$T/w/facts.csv" -r "$T/w/r" --csv-dir "$T/w/r" 2> "$T/err"; rc=$?
check "--csv-dir into the rates folder: 64, the folder unchanged" \
    '[ $rc -eq 64 ] && holds "$T/w/r" eurofxref-hist.csv && grep -q "rates folder" "$T/err"'
fresh
ln "$T/w/facts.csv" "$T/w/hard.xlsx"
$BIN -q "$T/w/facts.csv" -o "$T/w/hard.xlsx" 2> "$T/err"; rc=$?
check "-o a hard link to the input (same device and inode): 64" '[ $rc -eq 64 ] && same "$F" "$T/w/facts.csv"'
fresh
ln -s facts.csv "$T/w/sym.xlsx"
$BIN -q "$T/w/facts.csv" -o "$T/w/sym.xlsx" 2> "$T/err"; rc=$?
check "-o a symbolic link to the input: 64" '[ $rc -eq 64 ] && same "$F" "$T/w/facts.csv"'
fresh
cp "$RATES/eurofxref-hist.csv" "$T/w/ecb.csv"
$BIN -q "$T/w/facts.csv" -r "$T/w/ecb.csv" -o "$T/w/ecb.csv" 2> "$T/err"; rc=$?
check "-o the rates file: 64" '[ $rc -eq 64 ] && same "$RATES/eurofxref-hist.csv" "$T/w/ecb.csv"'
fresh
cp "$RATES/aliases.csv" "$T/w/al.csv"
$BIN -q "$T/w/facts.csv" -r "$RATES/eurofxref-hist.csv" -r "$T/w/al.csv" -o "$T/w/al.csv" 2> "$T/err"; rc=$?
check "-o the aliases file: 64" '[ $rc -eq 64 ] && same "$RATES/aliases.csv" "$T/w/al.csv"'
fresh
$BIN -q - -o "$T/w/facts.csv" < "$T/w/facts.csv" 2> "$T/err"; rc=$?
check "-o the file that is standard input: 64" '[ $rc -eq 64 ] && same "$F" "$T/w/facts.csv"'

# ---- 2. devices and FIFOs are written as streams, never replaced
fresh
if mknod "$T/w/null" c 1 3 2> /dev/null && mknod "$T/w/full" c 1 7 2> /dev/null; then
    $BIN -q "$F" -o "$T/w/null" 2> "$T/err"; rc=$?
    check "-o a null device: 0, still a character device" '[ $rc -eq 0 ] && [ -c "$T/w/null" ] && holds "$T/w" facts.csv null full'
    $BIN -q "$F" -o "$T/w/full" --csv-dir "$T/w/csv" 2> "$T/err"; rc=$?
    check "-o a full device: 74 named, still a device, --csv-dir put back (removed)" \
        '[ $rc -eq 74 ] && [ -c "$T/w/full" ] && grep -q "cannot write $T/w/full" "$T/err" && [ ! -e "$T/w/csv" ]'
else
    notok "mknod in a scratch folder (tests run as root)"
fi
# /dev/stdout is a link to /proc/self/fd/1: the same link in a scratch
# folder, so that a faulty build cannot replace the machine's /dev/stdout
ln -s /proc/self/fd/1 "$T/w/stdout"
$BIN -q "$F" -o "$T/w/stdout" > "$T/stdout.xlsx" 2> "$T/err"; rc=$?
check "-o a link to /proc/self/fd/1 (as /dev/stdout is) writes to standard output" \
    '[ $rc -eq 0 ] && is_xlsx "$T/stdout.xlsx" && [ -L "$T/w/stdout" ]'
$BIN -q "$F" -o /dev/fd/1 > "$T/fd1.xlsx" 2> "$T/err"; rc=$?
check "-o /dev/fd/1 writes the same bytes" '[ $rc -eq 0 ] && same "$T/fd1.xlsx" "$T/stdout.xlsx"'
$BIN -q "$F" -o - > "$T/dash.xlsx" 2> "$T/err"; rc=$?
check "-o - writes the same bytes" '[ $rc -eq 0 ] && same "$T/dash.xlsx" "$T/stdout.xlsx"'
fresh
mkfifo "$T/w/pipe.xlsx"
timeout 60 cat "$T/w/pipe.xlsx" > "$T/fromfifo.xlsx" &
reader=$!
timeout 60 "$BIN" -q "$F" -o "$T/w/pipe.xlsx" 2> "$T/err"; rc=$?
wait $reader
check "-o a FIFO: written through it, still a FIFO" '[ $rc -eq 0 ] && [ -p "$T/w/pipe.xlsx" ] && same "$T/fromfifo.xlsx" "$T/stdout.xlsx"'

# ---- 3. links followed, modes and owners kept
fresh
echo old > "$T/w/real.xlsx"
chmod 600 "$T/w/real.xlsx"
chown 1234:5678 "$T/w/real.xlsx" 2> /dev/null
ln -s real.xlsx "$T/w/link.xlsx"
$BIN -q "$F" -o "$T/w/link.xlsx" 2> "$T/err"; rc=$?
check "-o a symbolic link: the link stays, its file is replaced" \
    '[ $rc -eq 0 ] && [ -L "$T/w/link.xlsx" ] && is_xlsx "$T/w/real.xlsx" && holds "$T/w" facts.csv real.xlsx link.xlsx'
echo old > "$T/w/direct.xlsx"
chmod 600 "$T/w/direct.xlsx"
chown 1234:5678 "$T/w/direct.xlsx" 2> /dev/null
$BIN -q "$F" -o "$T/w/direct.xlsx" 2> "$T/err"; rc=$?
check "a replaced 0600 file keeps 0600" '[ $rc -eq 0 ] && is_xlsx "$T/w/direct.xlsx" && [ "$(stat -c %a "$T/w/direct.xlsx")" = 600 ]'
if [ "$(id -u)" = 0 ]; then
    check "run as root, a replaced file keeps its owner and group" '[ "$(stat -c %u:%g "$T/w/direct.xlsx")" = 1234:5678 ]'
    check "... and so does a file replaced through a link" '[ "$(stat -c %a:%u:%g "$T/w/real.xlsx")" = 600:1234:5678 ]'
fi
ln -s made.xlsx "$T/w/dangling.xlsx"
$BIN -q "$F" -o "$T/w/dangling.xlsx" 2> "$T/err"; rc=$?
check "-o a dangling link: the file it names is made, the link stays" '[ $rc -eq 0 ] && [ -L "$T/w/dangling.xlsx" ] && is_xlsx "$T/w/made.xlsx"'
(umask 027 && $BIN -q "$F" -o "$T/w/new.xlsx") 2> "$T/err"; rc=$?
check "a new file gets 0666 minus the umask (027: 640)" '[ $rc -eq 0 ] && [ "$(stat -c %a "$T/w/new.xlsx")" = 640 ]'

# ---- 4. all or none, one run per output
# The run waits on a FIFO input once its outputs are begun: comparison.csv
# becomes a folder meanwhile, so its rename fails after the others'.
fresh
mkdir "$T/w/c" && mkfifo "$T/w/in.csv"
echo oldbook > "$T/w/c/b.xlsx"; echo oldfacts > "$T/w/c/facts.csv"; echo oldconv > "$T/w/c/conversions.csv"
$BIN -q "$T/w/in.csv" -o "$T/w/c/b.xlsx" --csv-dir "$T/w/c" 2> "$T/err" &
pid=$!
locked "$T/w/c/comparison.csv"
mkdir "$T/w/c/comparison.csv"
feed "$T/w/in.csv"
wait $pid; rc=$?
check "a rename that fails after others: 74, every output put back" \
    '[ $rc -eq 74 ] && [ "$(cat "$T/w/c/b.xlsx")" = oldbook ] && [ "$(cat "$T/w/c/facts.csv")" = oldfacts ] && [ "$(cat "$T/w/c/conversions.csv")" = oldconv ]'
check "... and nothing left beside them" 'holds "$T/w/c" b.xlsx facts.csv conversions.csv comparison.csv && grep -q "comparison.csv" "$T/err"'
rmdir "$T/w/c/comparison.csv"
$BIN -q "$T/w/in.csv" --csv-dir "$T/w/c" 2> "$T/err1" &
pid=$!
locked "$T/w/c/facts.csv"
$BIN -q "$F" --csv-dir "$T/w/c" 2> "$T/err"; rc=$?
check "a second run into the same --csv-dir: 75 at once, naming the output" \
    '[ $rc -eq 75 ] && grep -q "c/facts.csv is being written by another fxbook run" "$T/err" && [ "$(cat "$T/w/c/facts.csv")" = oldfacts ]'
feed "$T/w/in.csv"
wait $pid; rc=$?
check "... while the first completes, and its locks are gone" '[ $rc -eq 0 ] && holds "$T/w/c" b.xlsx facts.csv conversions.csv comparison.csv findings.csv implied_rates.csv'

# ---- 5. signals: temporary files removed, death by the same signal
for sig in INT:2 TERM:15 HUP:1 QUIT:3 XCPU:24; do
    num=${sig#*:} sig=${sig%:*}
    fresh
    mkfifo "$T/w/in.csv" && echo old > "$T/w/out.xlsx"
    env --default-signal=INT,QUIT "$BIN" -q "$T/w/in.csv" -o "$T/w/out.xlsx" --csv-dir "$T/w/csv" 2> /dev/null &
    pid=$!
    locked "$T/w/out.xlsx"
    kill -"$sig" $pid
    wait $pid; rc=$?
    want=$((128 + num))
    if ! check "SIG$sig mid-run: dies by it (rc $rc), old output, no temporary file, lock or new folder" \
        '[ $rc -eq $want ] && [ "$(cat "$T/w/out.xlsx")" = old ] && holds "$T/w" facts.csv in.csv out.xlsx'; then
        # what a failure left, to tell a racy test from a window in fxbook
        echo "# rc $rc (want $want); out.xlsx: $(head -c 20 "$T/w/out.xlsx" | tr -c '[:print:]' '.')"
        ls -A "$T/w" | sed 's/^/# left: /'
    fi
done
fresh
mkfifo "$T/w/in.csv"
(trap '' HUP && exec "$BIN" -q "$T/w/in.csv" -o "$T/w/out.xlsx") 2> "$T/err" &
pid=$!
locked "$T/w/out.xlsx"
kill -HUP $pid
sleep 0.2
feed "$T/w/in.csv"
wait $pid; rc=$?
check "SIGHUP ignored at start (nohup) stays ignored: the run completes" '[ $rc -eq 0 ] && is_xlsx "$T/w/out.xlsx"'
fresh
echo old > "$T/w/out.xlsx"
prlimit --fsize=20000 "$BIN" -q "$F" -o "$T/w/out.xlsx" 2> "$T/err"; rc=$?
check "a file size limit (SIGXFSZ at default): 74 with the file named, old output kept" \
    '[ $rc -eq 74 ] && grep -q "out.xlsx" "$T/err" && [ "$(cat "$T/w/out.xlsx")" = old ] && holds "$T/w" facts.csv out.xlsx'

# ---- 8. inputs read once
fresh
mkfifo "$T/w/in.csv"
feed "$T/w/in.csv" &
timeout 60 "$BIN" -q "$T/w/in.csv" -o "$T/w/fifo.xlsx" 2> "$T/err"; rc=$?
check "a FIFO as input is read once (no hang)" '[ $rc -eq 0 ] && is_xlsx "$T/w/fifo.xlsx"'
$BIN -q "$F" --csv-dir "$T/w/a" 2> "$T/err"
$BIN -q - --csv-dir "$T/w/b" < "$F" 2> "$T/err"; rc=$?
check "- is standard input: the same export as the file" '[ $rc -eq 0 ] && same "$T/w/a/facts.csv" "$T/w/b/facts.csv"'
timeout 60 "$BIN" -q /dev/stdin --csv-dir "$T/w/c" < "$F" 2> "$T/err"; rc=$?
check "/dev/stdin as input" '[ $rc -eq 0 ] && same "$T/w/a/facts.csv" "$T/w/c/facts.csv"'

# ---- 9. codes and messages
fresh
$BIN -q "$F" -o "" 2> "$T/err"; rc=$?
check "-o '': 64 at once" '[ $rc -eq 64 ] && grep -q "value is empty" "$T/err"'
$BIN -q "$F" -o "$T/w/a1.xlsx" -o "$T/w/a2.xlsx" 2> "$T/err"; rc=$?
check "an option given twice: 64, nothing written" '[ $rc -eq 64 ] && grep -q "given twice" "$T/err" && holds "$T/w" facts.csv'
long=$(printf 'a%.0s' $(seq 1 250))
$BIN -q "$F" -o "$T/w/$long.xlsx" 2> "$T/err"; rc=$?
check "a 255-character output name (the longest a folder takes)" '[ $rc -eq 0 ] && is_xlsx "$T/w/$long.xlsx" && holds "$T/w" facts.csv "$long.xlsx"'
touch "$T/w/afile"
$BIN -q "$F" --csv-dir "$T/w/afile" 2> "$T/err"; rc=$?
check "--csv-dir naming a file: 73, says so" '[ $rc -eq 73 ] && grep -q "a file of that name is there" "$T/err"'
$BIN -q fixtures/bad/value-comma.csv --csv-dir "$T/w/new" 2> "$T/err"; rc=$?
check "a --csv-dir a failed run created is removed" '[ $rc -eq 65 ] && [ ! -e "$T/w/new" ]'
TMPDIR="$T/nowhere" $BIN -q "$F" -o - > /dev/null 2> "$T/err"; rc=$?
check "a missing TMPDIR with -o -: 73 naming it" '[ $rc -eq 73 ] && grep -q "$T/nowhere (TMPDIR)" "$T/err"'
(ulimit -n 16 && exec "$BIN" -q "$F" -o "$T/w/fd.xlsx") 2> "$T/err"; rc=$?
check "ulimit -n 16: 70 naming the limit, before any work" '[ $rc -eq 70 ] && grep -q "too many open files: the limit is 16" "$T/err" && [ ! -e "$T/w/fd.xlsx" ]'
$BIN -q "$F" -o "$T/w/closed.xlsx" >&- 2> "$T/err"; rc=$?
check "stdout closed, -o FILE: 0 and the file written" '[ $rc -eq 0 ] && is_xlsx "$T/w/closed.xlsx"'
$BIN -q "$F" -o - >&- 2> "$T/err"; rc=$?
check "stdout closed, -o -: 73 before any work" '[ $rc -eq 73 ] && grep -q "standard output: it is closed" "$T/err"'
SOURCE_DATE_EPOCH=abc $BIN -q "$F" -o "$T/w/e.xlsx" 2> "$T/err"; rc=$?
check "SOURCE_DATE_EPOCH=abc: 64" '[ $rc -eq 64 ] && grep -q SOURCE_DATE_EPOCH "$T/err"'
SOURCE_DATE_EPOCH=253402300800 $BIN -q "$F" -o "$T/w/e.xlsx" 2> "$T/err"; rc=$?
check "SOURCE_DATE_EPOCH one second past 9999-12-31: 64" '[ $rc -eq 64 ]'
SOURCE_DATE_EPOCH=253402300799 $BIN -q "$F" -o "$T/w/e.xlsx" 2> "$T/err"; rc=$?
check "SOURCE_DATE_EPOCH at 9999-12-31T23:59:59: accepted" '[ $rc -eq 0 ]'
$BIN -q "$F" --tolerance 0.000000000000000000000000000000000001 -o "$T/w/tol.xlsx" 2> "$T/err"; rc=$?
check "--tolerance of 36 places is shown in full in the workbook" \
    '[ $rc -eq 0 ] && sheet_text "$T/w/tol.xlsx" | grep -q "tolerance 0.000000000000000000000000000000000001 "'
mkdir -p "$T/w/x: warning: y.csv"
$BIN -q "$T/w/x: warning: y.csv" -o "$T/w/q.xlsx" 2> "$T/err"; rc=$?
check "-q never hides an error, even one whose text holds ': warning: '" '[ $rc -eq 66 ] && grep -q "error: .*x: warning: y.csv" "$T/err"'
$BIN -q --fail-on inconsistent fixtures/good/conversion-inconsistent.csv -o "$T/w/f.xlsx" 2> "$T/err"; rc=$?
check "-q --fail-on: exit 1 with the one line that says why" '[ $rc -eq 1 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q "^fxbook: --fail-on inconsistent: 1 inconsistent conversion$" "$T/err"'

echo "1..$n"
