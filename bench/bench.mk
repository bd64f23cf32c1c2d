# bench - `make bench`: fxbook end to end at 10k, 100k and 1M generated
# facts, against the floor of its libraries (libcsv, the decimal module,
# libxlsxwriter alone) and the pandas script a finance team would write;
# see bench/run.sh for the knobs and docs/BENCHMARKS.md for the results.
# Never a test: nothing here passes or fails on a number.
# `make bench-profile`: perf (else callgrind) profile of fxbook, by self cost.
BENCH_BIN   = build/bench/bin
BENCH_WARN  = -std=c11 -Wall -Wextra -Werror -Wshadow -Wvla -Wwrite-strings
BENCH_OPT   = -O2 -g
BENCH_PROGS = $(addprefix $(BENCH_BIN)/,gen floor_csv floor_dec floor_xlsx rates_load index_bytes \
              lxw_trace.so)

.PHONY: bench bench-build bench-profile

bench: bench-build
	$(Q)bench/run.sh

bench-profile: bench-build
	$(Q)bench/profile.sh

bench-build: build/fxbook $(BENCH_PROGS)
	$(Q)scripts/deps bench

$(BENCH_BIN)/gen: bench/gen.c
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_WARN) $(BENCH_OPT) -o $@ $< -lm

$(BENCH_BIN)/floor_csv: bench/floor_csv.c bench/timer.h | build/.deps
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_WARN) $(BENCH_OPT) -Ibench -o $@ $< -lcsv

# floor (c): the shim that traces fxbook's libxlsxwriter calls (LD_PRELOAD)
# and the program that replays the trace
$(BENCH_BIN)/floor_xlsx: bench/floor_xlsx.c bench/lxw_trace.h bench/timer.h | build/.deps
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_WARN) $(BENCH_OPT) -Ibench $(shell pkg-config --cflags xlsxwriter) \
	    -o $@ $< $(shell pkg-config --libs xlsxwriter)

$(BENCH_BIN)/lxw_trace.so: bench/lxw_trace.c bench/lxw_trace.h | build/.deps
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_WARN) $(BENCH_OPT) -fPIC -shared -pthread -Ibench \
	    $(shell pkg-config --cflags xlsxwriter) -o $@ $< -ldl

# the decimal module, the rates table and the facts reader: fxbook's own
$(BENCH_BIN)/%: bench/%.c bench/timer.h build/libfxbook.a
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_WARN) $(BENCH_OPT) -Isrc -Ibuild/gen -Ibench $(PKG_CFLAGS) -o $@ $< \
	    build/libfxbook.a $(LIBS)
