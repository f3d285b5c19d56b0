# initd, the PID-1 init and supervisor, and the Inception stack that runs on it.
# `make` brings the stack up (see mk/stack.mk); `make test` runs every test.

VERSION  := 0.1.0
BUILD    := build
MUSL_CC  := musl-gcc
HOST_CC  := cc
PREFIX   ?= /usr/local
DESTDIR  ?=

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
            -Wmissing-prototypes -Wwrite-strings -Wformat=2 -Wundef -Wvla \
            -Wcast-qual -Wnull-dereference -Wimplicit-fallthrough
STD      := -std=c11 -D_GNU_SOURCE -DINITD_VERSION='"$(VERSION)"'
# One include rule: the repository root, and every project header named by its
# folder ("supervisor/fmt.h", "init/log.h"), so that crossing a layer shows.
INCLUDES := -I.

INITD_SRCS   := $(sort $(wildcard init/*.c supervisor/*.c))
INITD_HDRS   := $(sort $(wildcard init/*.h supervisor/*.h))
# supervisor/ decides (pure code, unit-tested with the host compiler); init/ acts
# (system calls). tests/build/layers.sh holds supervisor/ to that.
DECIDE_SRCS  := $(sort $(wildcard supervisor/*.c))
DECIDE_HDRS  := $(sort $(wildcard supervisor/*.h))
UNIT_SRCS    := $(sort $(wildcard tests/unit/*.c))
LIBCAP_DIR   := $(BUILD)/libcap-musl
# Size matters (budget 52 KiB with readiness and checks, stretch 48 KiB): -Oz and
# link-time optimisation, about 2 KiB less than -Os alone. -z norelro: only a dynamic loader applies
# PT_GNU_RELRO and a static binary has none, so there it is only page padding.
# -z common-page-size=64: the data segment follows the code in the file instead
# of starting on a fresh 4 KiB page (up to 4 KiB of padding otherwise).
# The compilers' .comment (their version strings) is removed after the link;
# libcap is built without unwind tables too (scripts/libcap-musl.sh).
# -fno-pie -no-pie: -static already links a fixed-address executable, so the
# position-independent code Debian's gcc emits by default only costs (256 B).
# -fno-inline-functions-called-once: inlining every once-called helper into its
# caller made larger frames and duplicated spills (480 B). -mgeneral-regs-only:
# initd has no floating point, and then varargs functions stop saving the SSE
# registers (128 B); a float anywhere is a compile error, not a silent change.
# -fno-optimize-sibling-calls -fno-caller-saves: -Oz's tail calls and
# caller-saved spills come out larger here, not smaller (160 B together).
# -fno-jump-tables: the switches compare their way to a case instead of an
# address table (128 B at 53,360 B; it saved nothing at 57 KB: measure again
# when the code changes). -fno-shrink-wrap: the registers saved once at entry
# rather than on each path that needs them (64 B).
STATIC_FLAGS := -Oz -flto -fno-pie -no-pie -fno-inline-functions-called-once -mgeneral-regs-only \
                -fno-optimize-sibling-calls -fno-caller-saves -fno-jump-tables -fno-shrink-wrap \
                -static -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
                -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,-z,common-page-size=64 -Wl,--build-id=none -s
SANITIZE     := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all initd unit integration e2e test test-build test-layers bench install uninstall clean-build
.DELETE_ON_ERROR:

all: up

initd: $(BUILD)/initd

$(BUILD)/initd: $(INITD_SRCS) $(INITD_HDRS) $(LIBCAP_DIR)/libcap.a Makefile
	$(MUSL_CC) $(STD) $(WARNINGS) $(INCLUDES) -I$(LIBCAP_DIR)/include $(STATIC_FLAGS) \
		-DINITD_LIBCAP_VERSION="\"$$(cat $(LIBCAP_DIR)/VERSION)\"" -o $@ $(INITD_SRCS) $(LIBCAP_DIR)/libcap.a
	objcopy --remove-section=.comment $@

$(LIBCAP_DIR)/libcap.a: scripts/libcap-musl.sh
	MUSL_CC=$(MUSL_CC) sh scripts/libcap-musl.sh $(LIBCAP_DIR)

# Only supervisor/: a test that needs init/ is testing the wrong layer.
$(BUILD)/unit-tests: $(DECIDE_SRCS) $(UNIT_SRCS) $(DECIDE_HDRS) $(wildcard tests/unit/*.h)
	@mkdir -p $(BUILD)
	$(HOST_CC) $(STD) $(WARNINGS) $(INCLUDES) $(SANITIZE) -o $@ $(DECIDE_SRCS) $(UNIT_SRCS) -lcriterion -lcap

unit: $(BUILD)/unit-tests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/unit-tests --jobs 2

integration: $(BUILD)/initd
	sh tests/integration/run.sh $(BUILD)/initd

e2e:
	sh tests/e2e/matrix.sh

# The build scripts against an archive that cannot serve what it lists, the
# one-way rule between supervisor/ and init/, the docs' links and options table.
test-build: test-layers $(BUILD)/initd
	sh tests/build/libcap-fallback.sh
	sh tests/build/links.sh
	sh tests/build/options-doc.sh $(BUILD)/initd

test-layers:
	HOST_CC=$(HOST_CC) sh tests/build/layers.sh

test: test-build unit integration test-deb reliability-fast e2e test-swarm

bench: $(BUILD)/initd
	sh tests/bench/initd.sh $(BUILD)/initd

install: $(BUILD)/initd
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BUILD)/initd $(DESTDIR)$(PREFIX)/bin/initd

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/initd

clean-build:
	rm -rf $(BUILD)

# The stack: up (the default), down, stop, start, clean, fclean, re, logs, ps, status, hosts;
# its images: base-image, shared-images, refresh.
include mk/stack.mk
include mk/images.mk
include mk/backup.mk

# initd as a Debian package: deb, test-deb.
include mk/deb.mk

# Fuzzing, valgrind, static analysis, chaos: reliability, reliability-fast, fuzz.
include mk/reliability.mk

# The stack benchmark, side by side with init: true: bench-stack.
include mk/bench-stack.mk

# The stack on Docker Swarm: swarm, swarm-bonus, swarm-update, swarm-down.
include mk/swarm.mk
