# bookd build: one Makefile over pkg-config. `make help` lists the targets.

# SAN=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer into build/san.
# FUZZ=1 builds the libFuzzer targets of fuzz/ with clang into build/fuzz (the same sources,
# instrumented for coverage, with ASan and UBSan; FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
# makes password hashing cheap there, see src/api/password.c).
ifeq ($(SAN),1)
BUILD    := build/san
CFLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=address,undefined
else ifeq ($(FUZZ),1)
BUILD    := build/fuzz
CC       := clang
CFLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
	    -fno-sanitize-recover=all -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION \
	    -Wno-bitwise-instead-of-logical # validators use & on purpose: every field is checked
LDFLAGS  += -fsanitize=fuzzer,address,undefined
else
BUILD    := build
endif

PKGS     := libmicrohttpd gnutls jansson sqlite3 libpq libsodium libcurl libical libxml-2.0
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -std=c17 -Wall -Wextra -Wpedantic -Wshadow -Werror
CPPFLAGS := -D_GNU_SOURCE -Isrc -I$(BUILD)/gen $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

SRCS      := $(shell find src -name '*.c' ! -name main.c | sort)
OBJS      := $(SRCS:%.c=$(BUILD)/obj/%.o)
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
GEN_OBJS  := $(BUILD)/obj/gen/migrations.o $(BUILD)/obj/gen/webdist.o
# The built web app, compiled into the binary when it exists (scripts/embed-web.sh). The
# list of its files is kept in a file rewritten only when it changes, so a file added or
# removed regenerates the table as a changed one does.
WEB_DIST  ?= web/dist
WEB_FILES := $(shell find $(WEB_DIST) -type f 2>/dev/null | LC_ALL=C sort)
WEB_LIST  := $(BUILD)/gen/webdist.list
$(shell mkdir -p $(BUILD)/gen && printf '%s\n' $(WEB_DIST) $(WEB_FILES) > $(WEB_LIST).new && \
	{ cmp -s $(WEB_LIST).new $(WEB_LIST) || mv $(WEB_LIST).new $(WEB_LIST); }; rm -f $(WEB_LIST).new)
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJS := $(UNIT_SRCS:%.c=$(BUILD)/obj/%.o)
BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_BINS := $(BENCH_SRCS:bench/%.c=$(BUILD)/bench/%)
FUZZ_SRCS := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:fuzz/%.c=$(BUILD)/fuzz-bin/%)
FUZZ_SECONDS ?= 600

.PHONY: all run test unit bench lint deps clean help san format web fuzz fuzz-build
all: $(BUILD)/bookd

help:
	@echo "make run    install what is missing, build, migrate, load the demo, serve on :8080"
	@echo "make test   install, build (plain and ASan+UBSan), run every test suite"
	@echo "make bench  build and run the benchmarks (figures, not pass/fail)"
	@echo "make fuzz   build the libFuzzer targets and run each, and the HTTP fuzzer, for"
	@echo "            FUZZ_SECONDS (default 600) seconds"
	@echo "make lint   banned-function grep and cppcheck"
	@echo "make web    build the booking pages into web/dist (npm ci when the lock changed)"

deps:
	@bash scripts/install-deps.sh

$(BUILD)/bookd: $(BUILD)/obj/src/main.o $(OBJS) $(GEN_OBJS)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -MMD -MP -c -o $@ $<

# Migrations are SQL files compiled into the binary as strings.
$(BUILD)/gen/migrations.c: $(MIGRATIONS) scripts/embed-migrations.sh
	@mkdir -p $(dir $@)
	@bash scripts/embed-migrations.sh $(MIGRATIONS) > $@

$(BUILD)/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(WARN) -Wno-overlength-strings $(CFLAGS) $(CPPFLAGS) -c -o $@ $<

$(BUILD)/gen/webdist.c: $(WEB_FILES) $(WEB_LIST) scripts/embed-web.sh
	@mkdir -p $(dir $@)
	@echo "GEN $@ ($(words $(WEB_FILES)) files of $(WEB_DIST))"
	@bash scripts/embed-web.sh $(WEB_DIST) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/webdist.o: $(BUILD)/gen/webdist.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(WARN) -Wno-overlength-strings $(CFLAGS) $(CPPFLAGS) -c -o $@ $<

# Unit tests: every tests/unit/*.c defines one or more `Suite *NAME_suite(void)`;
# the list of suites is generated so a new file needs no registration.
$(BUILD)/gen/unit_suites.h: $(UNIT_SRCS)
	@mkdir -p $(dir $@)
	@grep -ho 'Suite \*[a-z0-9_]*_suite(void)' $(UNIT_SRCS) | sed 's/Suite \*\(.*\)(void)/X(\1)/' | sort -u > $@

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c $(BUILD)/gen/unit_suites.h
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -Itests/unit -MMD -MP -c -o $@ $<

$(BUILD)/unit-tests: $(UNIT_OBJS) $(OBJS) $(GEN_OBJS)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(OBJS) $(GEN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

# Test tools: tests/tools/NAME.c -> $(BUILD)/tools/NAME (libraries only, no src objects).
$(BUILD)/tools/%: tests/tools/%.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $< $(LDFLAGS) $(LDLIBS)

# libFuzzer targets: fuzz/fuzz_NAME.c -> build/fuzz/fuzz-bin/fuzz_NAME (with FUZZ=1), each
# linked with fuzz/world.c and every source object. Seeds in fuzz/corpus/NAME/.
$(BUILD)/fuzz-bin/%: $(BUILD)/obj/fuzz/%.o $(BUILD)/obj/fuzz/world.o $(OBJS) $(GEN_OBJS)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.PRECIOUS: $(BUILD)/obj/fuzz/%.o

fuzz-build:
	$(MAKE) FUZZ=1 $(FUZZ_SRCS:fuzz/%.c=build/fuzz/fuzz-bin/%)

fuzz: deps fuzz-build
	$(MAKE) SAN=1 build/san/bookd
	@bash scripts/fuzz.sh --seconds $(FUZZ_SECONDS) --http-requests $$(( $(FUZZ_SECONDS) * 50 )) \
		--http-seed $$(date +%s)

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

san:
	$(MAKE) SAN=1 build/san/bookd build/san/unit-tests

# The front end: web/dist from web/ (scripts/web-build.sh skips, saying why, without npm).
web:
	@bash scripts/web-build.sh

run: deps
	$(MAKE) web
	$(MAKE) build/bookd
	bash scripts/run.sh

test: deps
	@bash scripts/test.sh

bench: deps
	$(MAKE) web
	$(MAKE) build/bookd $(BENCH_BINS)
	@bash scripts/bench.sh

lint:
	@bash scripts/lint.sh

format:
	clang-format -i $$(find src tests bench -name '*.[ch]')

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
