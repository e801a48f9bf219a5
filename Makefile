# dftscreen build.  `make demo` and `make test` are the two commands a new user needs.
# Sources are found by wildcard: a new parser/descriptor/command file needs no edit here.
CC ?= gcc
BUILD ?= build
PKGS := libxc spglib hdf5 libcjson zlib libisal fftw3 ompi-c
DEB_PKGS := build-essential pkg-config libxc-dev libsymspg-dev libhdf5-dev hdf5-tools libcjson-dev zlib1g-dev libisal-dev libfftw3-dev libopenmpi-dev openmpi-bin

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

OPT ?= -O2
CFLAGS ?= $(OPT) -g
CFLAGS += -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -pthread -I. $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS += $(PKG_LIBS) -lm -pthread $(EXTRA_LDFLAGS)

LIB_SRC := $(wildcard parsers/*.c structures/*.c descriptors/*.c) $(filter-out screen/main.c,$(wildcard screen/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(wildcard tests/unit/*.c tests/integration/*.c tests/corpus/*.c)
TEST_BIN := $(TEST_SRC:%.c=$(BUILD)/%)
HDRS := $(wildcard parsers/*.h structures/*.h descriptors/*.h screen/*.h tests/*.h)

.PHONY: all deps demo test asan valgrind bench clean check-deps fuzz fuzz-build
all: $(BUILD)/dftscreen

$(BUILD)/obj/%.o: %.c $(HDRS) | check-deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libdftscreen.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/dftscreen: $(BUILD)/obj/screen/main.o $(BUILD)/libdftscreen.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/libdftscreen.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libdftscreen.a $(LDLIBS)

check-deps:
	@pkg-config --exists $(PKGS) || { echo "missing libraries ($(PKGS)): run 'make deps' first" >&2; exit 1; }

# Installs the Debian packages the build needs (what .ci/run and `make demo` call first).
deps:
	@missing=""; for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	else echo "all build dependencies present"; fi

test: $(BUILD)/dftscreen $(TEST_BIN)
	@sh tests/run_tests.sh $(BUILD)

# Same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
asan:
	$(MAKE) test BUILD=build-asan OPT="-O1" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined"

# Suite under valgrind memcheck (errors and leaks fail the test binary).
valgrind: $(BUILD)/dftscreen $(TEST_BIN)
	@DS_VALGRIND=1 sh tests/run_tests.sh $(BUILD)

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang into build-fuzz/ and each run for
# FUZZ_SECONDS (default 60) from seeds made of the project's fixtures; crashes are kept in
# build-fuzz/artifacts/; FUZZ_TARGETS="fuzz_store fuzz_cube" runs only those.  Needs clang
# (Debian clang, which ships libFuzzer).
FUZZ_SECONDS ?= 60
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
fuzz-build:
	$(MAKE) build-fuzz/libdftscreen.a BUILD=build-fuzz CC=clang OPT="-O1" EXTRA_CFLAGS="$(FUZZ_FLAGS)"
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang -O1 -g -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -I. $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined \
	    -fno-omit-frame-pointer -o build-fuzz/$$n $$f build-fuzz/libdftscreen.a $(LDLIBS) || exit 1; done

fuzz: fuzz-build
	@sh tests/fuzz/run_fuzz.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

demo: deps
	@$(MAKE) --no-print-directory $(BUILD)/dftscreen
	@sh workflows/demo.sh $(BUILD)/dftscreen

bench: $(BUILD)/dftscreen
	@for b in bench/bench_*.sh; do echo "== $$b"; sh $$b $(BUILD)/dftscreen || exit 1; done

clean:
	rm -rf build build-asan build-clang build-fuzz
