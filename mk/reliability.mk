# Reliability: fuzzing, valgrind, static analysis and chaos, reported as one table
# (tests/reliability/run.sh runs every tests/reliability/r_*.sh).
#   make reliability        the full run (FUZZ_SECONDS=60 per target, 200 crashes)
#   make reliability-fast   the part `make test` runs (10 s per target, 30 crashes)
#   make fuzz               the fuzzers alone (FUZZ_SECONDS per target)

FUZZ_CC      := clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS    := $(addprefix $(BUILD)/fuzz/fuzz_,$(FUZZ_TARGETS))
# The harnesses link all of supervisor/, plus, by name, the status file reader
# (fuzz_status feeds it a real file) and the logger its writer half calls.
FUZZ_SRCS    := $(DECIDE_SRCS) init/statusfile.c init/log.c
FUZZ_OBJS    := $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(FUZZ_SRCS))
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# valgrind cannot follow a static musl binary's allocator and stack well: the
# memcheck build is glibc, dynamic, unoptimised, and without heap.c's no-op free.
VG_SRCS      := $(filter-out init/heap.c,$(INITD_SRCS))

.PHONY: reliability reliability-fast fuzz fuzz-build valgrind-build

reliability: fuzz-build valgrind-build $(BUILD)/initd
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/reliability/run.sh FULL

reliability-fast: fuzz-build valgrind-build $(BUILD)/initd
	FUZZ_SECONDS=$${FUZZ_FAST_SECONDS:-10} sh tests/reliability/run.sh FAST

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/reliability/run.sh FULL r_fuzz

fuzz-build: $(FUZZ_BINS)

valgrind-build: $(BUILD)/valgrind/initd

# The modules are compiled once, not once per harness.
$(BUILD)/fuzz/obj/%.o: %.c $(INITD_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(STD) $(WARNINGS) $(INCLUDES) $(FUZZ_FLAGS) -c -o $@ $<

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJS)
	$(FUZZ_CC) $(STD) $(WARNINGS) $(INCLUDES) -Itests/fuzz $(FUZZ_FLAGS) -o $@ $< $(FUZZ_OBJS) -lcap

$(BUILD)/valgrind/initd: $(VG_SRCS) $(INITD_HDRS)
	@mkdir -p $(BUILD)/valgrind
	$(HOST_CC) $(STD) $(WARNINGS) $(INCLUDES) -g -O0 -o $@ $(VG_SRCS) -lcap
