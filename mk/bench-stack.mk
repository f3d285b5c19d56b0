# The stack benchmark: the whole bonus stack measured from outside, and the same
# stack on Docker's own init (init: true) for the stop time (tests/bench/stack.sh).
#   make bench-stack              everything, a cold build included (10+ min)
#   make bench-stack BENCH_COLD=0 without the cold build
# then the idle benchmark, which `make bench-idle` runs alone: the stack's CPU at
# rest (up minus down, now and with the former 2 s Docker healthchecks) and
# `make` to every service ready (tests/bench/idle.sh, about 10 min).
# The images benchmark: sizes, and cold builds with each builder (tests/bench/images.sh).
#   make bench-images [BENCH_BEFORE=REV] [BENCH_COLD=0]

BENCH_COLD ?= 1

BENCH_BEFORE ?=

.PHONY: bench-stack bench-idle bench-images

bench-stack:
	BENCH_COLD=$(BENCH_COLD) sh tests/bench/stack.sh
	sh tests/bench/idle.sh

bench-idle:
	sh tests/bench/idle.sh

bench-images:
	BENCH_COLD=$(BENCH_COLD) BENCH_BEFORE=$(BENCH_BEFORE) sh tests/bench/images.sh
