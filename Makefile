# fxbook - see README.md. `make run`, `make test`; V=1 shows commands.
CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
PKGS     = xlsxwriter mpfr gmp glib-2.0 libcrypto
WARN     = -std=c11 -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
           -Wvla -Wwrite-strings -Wshadow -Wformat=2
CPPFLAGS = -D_POSIX_C_SOURCE=200809L -pthread -Isrc -Ibuild/gen
OPT     ?= -O2 -g
SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LIBS     = $(PKG_LIBS) -lcsv -lm -pthread
RATESDIR = $(PREFIX)/share/fxbook/rates
Q        = $(if $(V),,@)

SRC      = $(filter-out src/main.c,$(wildcard src/*.c))
UNIT     = $(wildcard tests/unit/test_*.c)
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

.DELETE_ON_ERROR:
.PHONY: all run test check deps deps-test clean install uninstall bench fuzz lint render mutate

all: build/fxbook

# Set-up: install what is missing (Debian), only when a header is absent.
build/.deps:
	$(Q)mkdir -p build
	$(Q)scripts/deps build
	$(Q)touch $@
build/.deps-test: build/.deps
	$(Q)scripts/deps test
	$(Q)touch $@

build/gen/iso4217.c: scripts/gen-iso4217 | build/.deps
	$(Q)mkdir -p build/gen
	$(Q)scripts/gen-iso4217 > $@

# Two trees from the same sources: build/ (release) and build/san/ (ASan+UBSan).
define tree
$(1)/obj/%.o: src/%.c | build/.deps
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(WARN) $$(CPPFLAGS) $$(PKG_CFLAGS) -DFX_VERSION='"$$(VERSION)"' \
	    -DFX_RATES_DIR='"$$(RATESDIR)"' $(2) $$(CFLAGS) -MMD -MP -c $$< -o $$@
$(1)/obj/iso4217.o: build/gen/iso4217.c
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(WARN) $$(CPPFLAGS) $(2) $$(CFLAGS) -c $$< -o $$@
$(1)/libfxbook.a: $$(SRC:src/%.c=$(1)/obj/%.o) $(1)/obj/iso4217.o
	$$(Q)rm -f $$@ && ar rcs $$@ $$^
$(1)/fxbook: $(1)/obj/main.o $(1)/libfxbook.a
	$$(Q)$$(CC) $(2) $$(LDFLAGS) -o $$@ $$^ $$(LIBS)
$(1)/tests/%: tests/unit/%.c $(1)/libfxbook.a | build/.deps-test
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(WARN) $$(CPPFLAGS) $$(PKG_CFLAGS) $$(shell pkg-config --cflags cmocka) $(2) \
	    $$(CFLAGS) -o $$@ $$< $(1)/libfxbook.a $$(LIBS) $$(shell pkg-config --libs cmocka)
$(1)/tools/%: tests/tools/%.c $(1)/libfxbook.a
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(WARN) $$(CPPFLAGS) $$(PKG_CFLAGS) $(2) $$(CFLAGS) -o $$@ $$< $(1)/libfxbook.a $$(LIBS)
endef
$(eval $(call tree,build,$(OPT)))
$(eval $(call tree,build/san,-O1 -g $(SAN)))

-include $(wildcard build/obj/*.d build/san/obj/*.d)

UNIT_BINS = $(UNIT:tests/unit/%.c=build/san/tests/%)
TOOLS     = $(patsubst tests/tools/%.c,build/san/tools/%,$(wildcard tests/tools/*.c))

run: build/fxbook
	$(Q)mkdir -p out
	$(Q)build/fxbook fixtures/bytedance-ai-2025.csv fixtures/bytedance-ai-2025-sources.csv \
	    -o out/bytedance-ai-2025.xlsx --csv-dir out

test: build/.deps-test build/fxbook build/san/fxbook $(UNIT_BINS) $(TOOLS)
	$(Q)scripts/run-tests

# make check is make test (the GNU name); make lint runs the static checks alone.
check: test

lint: build/.deps-test
	$(Q)scripts/lint

clean:
	rm -rf build out

# Fuzzing and benchmarks keep their rules beside their code.
-include fuzz/fuzz.mk
-include bench/bench.mk
-include mutate.mk

install: build/fxbook
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(RATESDIR) $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 build/fxbook $(DESTDIR)$(PREFIX)/bin/fxbook
	install -m 644 rates/eurofxref-hist.csv rates/aliases.csv $(DESTDIR)$(RATESDIR)/
	install -m 644 docs/fxbook.1 $(DESTDIR)$(PREFIX)/share/man/man1/fxbook.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/fxbook $(DESTDIR)$(PREFIX)/share/man/man1/fxbook.1
	rm -f $(DESTDIR)$(RATESDIR)/eurofxref-hist.csv $(DESTDIR)$(RATESDIR)/aliases.csv
	-rmdir $(DESTDIR)$(RATESDIR) $(DESTDIR)$(PREFIX)/share/fxbook 2>/dev/null

# The README's picture: LibreOffice -> PDF -> PNG of the Summary sheet.
render: build/fxbook
	$(Q)scripts/deps render
	$(Q)scripts/render-png docs/workbook.png
