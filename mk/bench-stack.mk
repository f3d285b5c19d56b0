# The stack benchmark: the whole bonus stack measured from outside, and the same
# stack on Docker's own init (init: true) for the stop time (tests/bench/stack.sh).
#   make bench-stack              everything, a cold build included (10+ min)
#   make bench-stack BENCH_COLD=0 without the cold build

BENCH_COLD ?= 1

.PHONY: bench-stack

bench-stack:
	BENCH_COLD=$(BENCH_COLD) sh tests/bench/stack.sh
