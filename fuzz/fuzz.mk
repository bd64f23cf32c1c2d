# fuzz.mk - libFuzzer targets (clang), included by the top Makefile.
#   make fuzz-build                 builds build/fuzz/fuzz_{facts,rates,dec}
#   make fuzz [FUZZ_SECONDS=60]     runs each target that long, one after another
#   make fuzz-facts|fuzz-rates|fuzz-dec [FUZZ_SECONDS=...]   one target
# New corpus entries go to build/fuzz/corpus/<target>/ (never into the
# tree); crash, leak and timeout inputs to build/fuzz/crashes/<target>/.
# Keep a crash as fuzz/regress/<target>/<name>: tests/fuzz/run-fuzz-regress.sh
# replays those and the seed corpora on every `make test`.
#
# The library is built a third time, with clang and
# -fsanitize=fuzzer-no-link,address,undefined, into build/fuzz/obj/.
# src/ builds with the same -Werror flags under clang as under gcc.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
# FUZZ_SEED and FUZZ_RUNS (empty: random seed, no limit) make a run
# repeatable: CI's smoke uses both, so a clean clone fuzzes the same inputs.
FUZZ_SEED ?=
FUZZ_RUNS ?=
FUZZ_MAX_LEN ?= 65536
FUZZ_MAX_LEN_facts ?= $(FUZZ_MAX_LEN)
FUZZ_MAX_LEN_rates ?= $(FUZZ_MAX_LEN)
# fuzz_dec: three decimals of at most 100 digits; longer is only TOO_LONG
FUZZ_MAX_LEN_dec   ?= 1024
FUZZ_TARGETS  = facts rates dec
FUZZ_DIR      = build/fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  ?= -O1 -g
FUZZ_SRC_WARN = $(WARN)
FUZZ_BINS     = $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

# Seeds: a folder of our own per target plus the fixtures, read-only.
FUZZ_SEEDS_facts = fuzz/corpus/facts fixtures/good fixtures/bad fixtures/bad/sources
FUZZ_SEEDS_rates = fuzz/corpus/rates fixtures/bad/rates
FUZZ_SEEDS_dec   = fuzz/corpus/dec

.PHONY: fuzz fuzz-build $(FUZZ_TARGETS:%=fuzz-%)
.SECONDARY: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%.o)

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	$(Q)for t in $(FUZZ_TARGETS); do $(MAKE) --no-print-directory fuzz-$$t || exit 1; done

$(FUZZ_TARGETS:%=fuzz-%): fuzz-%: $(FUZZ_DIR)/fuzz_%
	$(Q)mkdir -p $(FUZZ_DIR)/corpus/$* $(FUZZ_DIR)/crashes/$*
	$(Q)echo "fuzz: fuzz_$* for $(FUZZ_SECONDS)s (crashes: $(FUZZ_DIR)/crashes/$*/)"
	$(Q)$(FUZZ_DIR)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN_$*) \
	    -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 -dict=fuzz/$*.dict \
	    $(if $(FUZZ_SEED),-seed=$(FUZZ_SEED)) $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS)) \
	    -artifact_prefix=$(FUZZ_DIR)/crashes/$*/ \
	    $(FUZZ_DIR)/corpus/$* $(FUZZ_SEEDS_$*) $(wildcard fuzz/regress/$*)

$(FUZZ_DIR)/obj/%.o: src/%.c | build/.deps-test
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_SRC_WARN) $(CPPFLAGS) $(PKG_CFLAGS) -DFX_VERSION='"$(VERSION)"' \
	    -DFX_RATES_DIR='"$(RATESDIR)"' $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	    -MMD -MP -c $< -o $@
$(FUZZ_DIR)/obj/iso4217.o: build/gen/iso4217.c | build/.deps-test
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_SRC_WARN) $(CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_SAN) \
	    -fsanitize=fuzzer-no-link -c $< -o $@
$(FUZZ_DIR)/libfxbook.a: $(SRC:src/%.c=$(FUZZ_DIR)/obj/%.o) $(FUZZ_DIR)/obj/iso4217.o
	$(Q)rm -f $@ && ar rcs $@ $^
$(FUZZ_DIR)/fuzz_%.o: fuzz/fuzz_%.c | build/.deps-test
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) $(FUZZ_SAN) \
	    -fsanitize=fuzzer -MMD -MP -c $< -o $@
$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/fuzz_%.o $(FUZZ_DIR)/libfxbook.a
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(LIBS)

-include $(wildcard $(FUZZ_DIR)/obj/*.d $(FUZZ_DIR)/*.d)
