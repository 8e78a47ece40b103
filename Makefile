# bmc -- build, test and run.
#
#   make            build ./bmc (installs missing build tools on Debian)
#   make run        build and run the A/B demo
#   make test       unit tests, command-line tests and the error corpus,
#                   then the same again built with the sanitizers
#   make SANITIZE=1 build build-san/bmc with AddressSanitizer and UBSan
#   make SANITIZE=thread  build build-tsan/bmc with ThreadSanitizer
#   make install    bmc, its plugins and its manual page under PREFIX (/usr/local);
#                   DESTDIR stages them elsewhere; make uninstall

CC      ?= cc
# make V=1 shows the commands
Q       := $(if $(V),,@)
PKGS    := gsl jansson cairo netcdf
WARN    := -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L
OPT     ?= -O2 -g

ifeq ($(FUZZ),1)
  BUILD := build-fuzz
  CC    := clang
  OPT   := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
else ifeq ($(SANITIZE),1)
  BUILD := build-san
  OPT   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
else ifeq ($(SANITIZE),thread)
  BUILD := build-tsan
  OPT   := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
else
  BUILD := build
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# GSL's reference CBLAS is the CBLAS of every build (the draws depend on
# its rounding: runtime/ir/matvec.c says why).  The products of `@` on
# large matrices run on OpenBLAS, three times faster on 500 x 500, loaded
# by the models that have them when it is installed (tools/deps.sh
# installs Debian's); make CBLAS=gsl leaves it out.  $(CBLAS_STAMP) holds
# the choice, rewritten when it changes, so that a change rebuilds.
CBLAS       ?= openblas
OPENBLAS_SO ?= libopenblas.so.0
CBLAS_STAMP := $(BUILD)/.cblas
$(shell mkdir -p $(BUILD) && [ "$$(cat $(CBLAS_STAMP) 2>/dev/null)" = "$(CBLAS)" ] || echo "$(CBLAS)" > $(CBLAS_STAMP))
# bmc itself links the core libraries only: netCDF and cairo (with the
# dozens of libraries they pull in, most of bmc's start-up time) are the
# plugins' own, loaded when a file needs them (runtime/output/plugin.h).
PKG_LIBS   = $(shell pkg-config --libs gsl jansson 2>/dev/null || echo -lgsl -lgslcblas -ljansson)
NETCDF_LIBS = $(shell pkg-config --libs netcdf 2>/dev/null || echo -lnetcdf)
CAIRO_LIBS  = $(shell pkg-config --libs cairo gsl 2>/dev/null || echo -lcairo -lgsl -lgslcblas) -lm
# libcsv (CSV data files, CmdStan CSV files read back) ships no pkg-config file.
CFLAGS  += $(WARN) $(OPT) $(PKG_CFLAGS)
LDLIBS  := $(PKG_LIBS) -lcsv -lreadline -lpthread -lm

# The layers, in the order data flows through them.  A folder's code may
# include its own headers and those of the folders USES_ lists, nothing
# else: each is compiled with exactly those on its include path, so a
# header from a later stage (the IR in the sampler, the REPL in the
# compiler) is a compile error.  README.md, "Source layout", says why.
USES_runtime/dist     :=
USES_runtime/ir       := runtime/dist
USES_runtime/sampler  :=
USES_runtime/draws    :=
USES_runtime/run      := runtime/ir runtime/dist runtime/sampler runtime/draws
USES_runtime/analysis := runtime/draws
USES_runtime/output   := runtime/analysis runtime/draws
USES_src/compiler     := runtime/ir runtime/dist $(BUILD)/grammar
USES_grammar          := src/compiler $(BUILD)/grammar
USES_src/pipeline     := src/compiler runtime/output runtime/analysis runtime/run runtime/draws \
                         runtime/sampler runtime/ir runtime/dist
USES_src/repl         := src/pipeline $(USES_src/pipeline)
USES_src/cli          := src/repl src/pipeline $(USES_src/pipeline)
LAYERS   := runtime/dist runtime/ir runtime/sampler runtime/draws runtime/run runtime/analysis \
            runtime/output src/compiler src/pipeline src/repl src/cli
# Tests, fuzzers and the calibration check see every layer.
ALL_INC  := $(addprefix -I,$(LAYERS) $(BUILD)/grammar)
# The include flags of the object $@ (build/runtime/ir/eval.o: runtime/ir).
layer_of  = $(patsubst $(BUILD)/%,%,$(patsubst %/,%,$(dir $@)))
LAYER_INC = $(addprefix -I,$(layer_of) $(USES_$(layer_of)))

# The plugins' code: bmc has stubs in its place (plugin_stubs.c).
NETCDF_SRC  := runtime/output/ncout.c
CAIRO_SRC   := $(addprefix runtime/output/,plot.c plot_canvas.c plot_density.c plot_ppc.c plot_prior.c)
NETCDF_OBJ  := $(NETCDF_SRC:%.c=$(BUILD)/%.o)
CAIRO_OBJ   := $(CAIRO_SRC:%.c=$(BUILD)/%.o)
PLUGINS     := $(BUILD)/bmc-netcdf.so $(BUILD)/bmc-cairo.so
LIB_SRC     := $(filter-out src/cli/main.c $(NETCDF_SRC) $(CAIRO_SRC),$(foreach l,$(LAYERS),$(wildcard $(l)/*.c)))
GRAMMAR_OBJ := $(BUILD)/grammar/bm.tab.o $(BUILD)/grammar/lex.bm.o
OBJ         := $(GRAMMAR_OBJ) $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB         := $(BUILD)/libbmc.a
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEPS_STAMP  := build/.deps-ok

.PHONY: all run test test-here check check-headers deps clean sbc simulate-check check-interop check-valgrind fuzz fuzz-build \
        install uninstall
# Installs the named Debian packages when missing.
NEED := sh tools/deps.sh
.DELETE_ON_ERROR:

all: $(BUILD)/bmc
ifeq ($(SANITIZE),)
all: bmc
# A link, so that ./bmc finds the plugins beside the build's bmc.
bmc: $(BUILD)/bmc
	$(Q)ln -sfn $< $@
endif

# Installs flex, bison and the libraries when missing (Debian, as root).
deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/deps.sh
	sh tools/deps.sh
	@mkdir -p build && touch $@

# One run of bison makes both files (a grouped target: two targets of an
# ordinary rule would run it twice at once under -j and mix the output).
$(BUILD)/grammar/bm.tab.c $(BUILD)/grammar/bm.tab.h &: grammar/bm.y | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  BISON   $<"
	$(Q)bison -Wall -Werror -d -o $(BUILD)/grammar/bm.tab.c $<

$(BUILD)/grammar/lex.bm.c: grammar/bm.l $(BUILD)/grammar/bm.tab.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  FLEX    $<"
	$(Q)flex -o $@ $<

# Generated code is compiled with the same warnings, less the ones flex trips.
$(BUILD)/grammar/%.o: $(BUILD)/grammar/%.c
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(addprefix -I,$(USES_grammar)) -Wno-unused-function -Wno-sign-compare -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.c | $(DEPS_STAMP) $(BUILD)/grammar/bm.tab.h
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(LAYER_INC) -MMD -MP -c -o $@ $<

# The file OpenBLAS is loaded from, or none (CBLAS above).
$(BUILD)/runtime/ir/matvec.o: CFLAGS += $(if $(filter openblas,$(CBLAS)),-DBMC_OPENBLAS='"$(OPENBLAS_SO)"')
$(BUILD)/runtime/ir/matvec.o: $(CBLAS_STAMP)

$(LIB): $(OBJ)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# The plugins, built with bmc: each bmc (build/, build-san/, build-tsan/)
# loads those beside it.  Position-independent code; -Bsymbolic binds a
# plugin's calls to its own functions to them, not to bmc's stubs of the
# same names.
$(NETCDF_OBJ) $(CAIRO_OBJ): CFLAGS += -fPIC
$(BUILD)/bmc-netcdf.so: $(NETCDF_OBJ)
	@echo "  PLUGIN  $@"
	$(Q)$(CC) $(CFLAGS) -shared -Wl,-Bsymbolic -o $@ $^ $(NETCDF_LIBS)
$(BUILD)/bmc-cairo.so: $(CAIRO_OBJ)
	@echo "  PLUGIN  $@"
	$(Q)$(CC) $(CFLAGS) -shared -Wl,-Bsymbolic -o $@ $^ $(CAIRO_LIBS)

# What bmc exports to its plugins: exactly the functions and data of its
# own that they call (outfile_*, draws_*, ...), so that they share bmc's
# one copy and its state, and nothing else of bmc's can take the place of
# a library's function of the same name.
$(BUILD)/plugins.dynlist: $(NETCDF_OBJ) $(CAIRO_OBJ) $(OBJ)
	$(Q)nm -u $(NETCDF_OBJ) $(CAIRO_OBJ) | awk '$$1 == "U" { print $$2 }' | sort -u > $@.used
	$(Q)nm -g --defined-only $(OBJ) | awk 'NF == 3 { print $$3 }' | sort -u > $@.own
	$(Q){ echo '{'; comm -12 $@.used $@.own | sed 's/.*/  &;/'; echo '};'; } > $@
	$(Q)rm -f $@.used $@.own

# Every object, not the archive: a plugin may call what bmc itself does not.
$(BUILD)/bmc: $(BUILD)/src/cli/main.o $(OBJ) $(BUILD)/plugins.dynlist | $(PLUGINS)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) -Wl,--dynamic-list=$(BUILD)/plugins.dynlist -o $@ $(BUILD)/src/cli/main.o $(OBJ) $(LDLIBS)

# The writers' tests link their code itself, and its library.
$(BUILD)/tests/test_ncout: $(NETCDF_OBJ)
$(BUILD)/tests/test_ncout: TEST_CODE = $(NETCDF_OBJ) $(NETCDF_LIBS)
$(BUILD)/tests/test_plot: $(CAIRO_OBJ)
$(BUILD)/tests/test_plot: TEST_CODE = $(CAIRO_OBJ) $(CAIRO_LIBS)
$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CFLAGS) $(ALL_INC) -Itests/unit -o $@ $< $(filter %.o,$(TEST_CODE)) $(LIB) -lcunit \
	    $(filter-out %.o,$(TEST_CODE)) $(LDLIBS)

run: all
	./bmc run models/ab.bm --seed 1

# The binary, its two plugins and the manual page, and nothing else:
# `man bmc` finds the page under the default prefix, and bmc its plugins
# in ../lib/bmc from its own folder.  DESTDIR stages the files for a
# package; uninstall removes exactly those files.
PREFIX    ?= /usr/local
BINDIR    := $(PREFIX)/bin
PLUGINDIR := $(PREFIX)/lib/bmc
MAN1DIR   := $(PREFIX)/share/man/man1
install: $(BUILD)/bmc $(PLUGINS)
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(PLUGINDIR)" "$(DESTDIR)$(MAN1DIR)"
	install -m 755 $(BUILD)/bmc "$(DESTDIR)$(BINDIR)/bmc"
	install -m 644 $(PLUGINS) "$(DESTDIR)$(PLUGINDIR)/"
	install -m 644 docs/bmc.1 "$(DESTDIR)$(MAN1DIR)/bmc.1"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/bmc" $(PLUGINS:$(BUILD)/%="$(DESTDIR)$(PLUGINDIR)/%") "$(DESTDIR)$(MAN1DIR)/bmc.1"
	rmdir "$(DESTDIR)$(PLUGINDIR)" 2>/dev/null || true

# The whole suite, then the whole suite again under the sanitizers: ASan
# with UBSan, and ThreadSanitizer, which reports any data race between the
# chains, the summary's threads and the thread that watches them.
test: check-headers
	$(MAKE) test-here
	$(MAKE) SANITIZE=1 test-here
	$(MAKE) SANITIZE=thread test-here

# Every header compiles on its own, with nothing but its layer's include
# path: it includes what it uses, and uses nothing of a later layer.
HEADERS := $(foreach l,$(LAYERS),$(wildcard $(l)/*.h))
inc_of = $(addprefix -I,$(1) $(USES_$(1)))
check-headers: $(BUILD)/grammar/bm.tab.h
	$(Q)$(foreach h,$(HEADERS),echo '#include "$(notdir $(h))"' | \
	    $(CC) $(WARN) $(call inc_of,$(patsubst %/,%,$(dir $(h)))) $(PKG_CFLAGS) -fsyntax-only -x c - \
	    || { echo "$(h) does not compile alone"; exit 1; };) \
	echo "headers: $(words $(HEADERS)) compile alone, each with its layer's include path"

# TSAN_OPTIONS: a race is an error (exit 66), and its report is kept.
# Debian's xarray reads --output-nc's files as ArviZ does (test_netcdf.sh).
test-here: $(BUILD)/bmc $(UNIT_BIN)
	@$(NEED) python3-xarray python3-netcdf4
	TSAN_OPTIONS="halt_on_error=1 exitcode=66 $${TSAN_OPTIONS:-}" BMC=$(BUILD)/bmc BUILD=$(BUILD) sh tests/run-all.sh $(UNIT_BIN)

check: test

# The command-line tests (error corpus, REPL sessions included) with bmc
# under valgrind's memcheck: zero errors and zero leaks.
check-valgrind: build/bmc
	@$(NEED) valgrind
	BMC=$(CURDIR)/tests/valgrind/bmc-vg BMC_REAL=$(CURDIR)/build/bmc BMC_VALGRIND=1 sh tests/run-all.sh

# rstan::read_stan_csv reads bmc's CSV files with the same means, and bmc
# summary reads rstan's with the R package posterior's figures.
check-interop: build/bmc
	@$(NEED) r-cran-rstan r-cran-jsonlite r-cran-posterior
	BMC=build/bmc sh tests/interop/check-rstan.sh
	BMC=build/bmc sh tests/interop/check-summary.sh

# Simulation-based calibration: slow, so not part of `make test`.
SBC_REPS ?= 400
sbc: $(BUILD)/sbc
	$(BUILD)/sbc $(SBC_REPS) tests/sbc/RESULTS.md

$(BUILD)/sbc: tests/sbc/sbc.c $(LIB)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) $(ALL_INC) -o $@ $< $(LIB) $(LDLIBS)

# Fake data that fits back: data sets drawn by bmc simulate at known values,
# each fitted by bmc run, whose 94% HDIs must cover those values about 94%
# of the time.  Slow-ish, so not part of `make test`.
SIMULATE_REPS ?= 200
simulate-check: $(BUILD)/bmc
	BMC=$(BUILD)/bmc python3 tests/simulate/coverage.py $(SIMULATE_REPS)

# Fuzzing with libFuzzer (clang): the compiler from bytes to one gradient,
# the JSON data reader and the CmdStan CSV reader, FUZZ_SECONDS each, from
# corpora seeded with the models, the error corpus, the data files and the
# saved draws of tests/fixtures/summary.  A crash leaves its input in
# build-fuzz/ and fails; add it to tests/fuzz/regressions/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := fuzz_compile fuzz_data fuzz_draws_csv

fuzz-build: $(DEPS_STAMP)
	@$(NEED) clang libclang-rt-dev
	$(MAKE) FUZZ=1 $(FUZZ_TARGETS:%=build-fuzz/%)

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB)
	@echo "  FUZZ    $@"
	$(Q)$(CC) $(CFLAGS) $(ALL_INC) -fsanitize=fuzzer -o $@ $< $(LIB) $(LDLIBS)

fuzz: fuzz-build
	@mkdir -p build-fuzz/corpus-compile build-fuzz/corpus-data
	@cp models/*.bm tests/errors/*.bm tests/fuzz/regressions/*.bm build-fuzz/corpus-compile/ 2>/dev/null || true
	@cp models/*.json models/*.csv tests/data-errors/*.json tests/data-errors/*.csv build-fuzz/corpus-data/ 2>/dev/null || true
	cd build-fuzz && ./fuzz_compile -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 \
	    -max_len=4096 -dict=../tests/fuzz/bm.dict -print_final_stats=1 corpus-compile
	cd build-fuzz && ./fuzz_data -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 \
	    -max_len=4096 -print_final_stats=1 corpus-data
	@mkdir -p build-fuzz/corpus-draws-csv
	@cp tests/fixtures/summary/*.csv build-fuzz/corpus-draws-csv/ 2>/dev/null || true
	cd build-fuzz && ./fuzz_draws_csv -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 \
	    -max_len=65536 -print_final_stats=1 corpus-draws-csv

clean:
	rm -rf build build-san build-tsan build-fuzz bmc

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Benchmarks against JAGS and Stan, written to bench/RESULTS.md (slow: about
# 45 minutes).  Installs JAGS, rstan and the rest where missing, builds an
# optimised bmc into build/bench and runs bench/bench.sh; BENCH_REPS=N,
# BENCH_QUICK=1 (smaller data, one repetition), BENCH_MODELS="ab pages" and
# BENCH_COMPARE=DIR (an earlier run's output, to report repeatability)
# pass through.  No -march=native: it gains nothing measurable here, and
# valgrind, which profiles this same binary, cannot run AVX-512 code.  The
# warning is kept but not fatal: GCC's -O3 sees a false maybe-uninitialized.
BENCH_OPT ?= -O3 -g -Wno-error=maybe-uninitialized
.PHONY: bench
bench: $(DEPS_STAMP)
	sh bench/deps.sh
	$(MAKE) BUILD=build/bench OPT='$(BENCH_OPT)' build/bench/bmc
	BMC=build/bench/bmc BENCH_CFLAGS='$(BENCH_OPT)' bench/bench.sh

# The R package loo's results on the draws of tests/fixtures/loo, which
# test_loo checks PSIS-LOO, WAIC and stacking against (needs r-cran-loo).
.PHONY: loo-reference
loo-reference:
	Rscript tests/fixtures/loo/make.R
