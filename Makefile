# bmc -- build, test and run.
#
#   make            build ./bmc (installs missing build tools on Debian)
#   make run        build and run the A/B demo
#   make test       unit tests, command-line tests and the error corpus,
#                   then the same again built with the sanitizers
#   make SANITIZE=1 build build-san/bmc with AddressSanitizer and UBSan

CC      ?= cc
PKGS    := gsl jansson cairo
WARN    := -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L
OPT     ?= -O2 -g

ifeq ($(SANITIZE),1)
  BUILD := build-san
  OPT   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
else
  BUILD := build
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lgsl -lgslcblas -ljansson -lcairo)
CFLAGS  += $(WARN) $(OPT) -I$(BUILD)/grammar -Isrc -Iruntime -Igrammar $(PKG_CFLAGS)
LDLIBS  := $(PKG_LIBS) -lreadline -lpthread -lm

RUNTIME_SRC := $(wildcard runtime/*.c)
FRONT_SRC   := $(filter-out src/main.c,$(wildcard src/*.c))
GRAMMAR_OBJ := $(BUILD)/grammar/bm.tab.o $(BUILD)/grammar/lex.bm.o
OBJ         := $(GRAMMAR_OBJ) $(RUNTIME_SRC:%.c=$(BUILD)/%.o) $(FRONT_SRC:%.c=$(BUILD)/%.o)
LIB         := $(BUILD)/libbmc.a
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEPS_STAMP  := build/.deps-ok

.PHONY: all run test test-here check deps clean sbc check-interop
.DELETE_ON_ERROR:

all: $(BUILD)/bmc
ifneq ($(SANITIZE),1)
all: bmc
bmc: $(BUILD)/bmc
	cp $< $@
endif

# Installs flex, bison and the libraries when missing (Debian, as root).
deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/deps.sh
	sh tools/deps.sh
	@mkdir -p build && touch $@

$(BUILD)/grammar/bm.tab.c $(BUILD)/grammar/bm.tab.h: grammar/bm.y | $(DEPS_STAMP)
	@mkdir -p $(@D)
	bison -Wall -Werror -d -o $(BUILD)/grammar/bm.tab.c $<

$(BUILD)/grammar/lex.bm.c: grammar/bm.l $(BUILD)/grammar/bm.tab.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	flex -o $@ $<

# Generated code is compiled with the same warnings, less the ones flex trips.
$(BUILD)/grammar/%.o: $(BUILD)/grammar/%.c
	$(CC) $(CFLAGS) -Wno-unused-function -Wno-sign-compare -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.c | $(DEPS_STAMP) $(BUILD)/grammar/bm.tab.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/bmc: $(BUILD)/src/main.o $(LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/unit/testutil.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIB) -lcunit $(LDLIBS)

run: all
	./bmc run models/ab.bm

# The whole suite, then the whole suite again under the sanitizers.
test:
	$(MAKE) test-here
	$(MAKE) SANITIZE=1 test-here

test-here: $(BUILD)/bmc $(UNIT_BIN)
	BMC=$(BUILD)/bmc BUILD=$(BUILD) sh tests/run-all.sh $(UNIT_BIN)

check: test

clean:
	rm -rf build build-san bmc

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
