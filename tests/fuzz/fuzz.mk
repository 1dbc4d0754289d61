# SPDX-License-Identifier: GPL-2.0
#
# libFuzzer targets of the portable core, built with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer.  Run from the top directory:
#
#   make -f tests/fuzz/fuzz.mk                 build build/fuzz/fuzz_*
#   make -f tests/fuzz/fuzz.mk run FUZZ_SECONDS=60
#                              fuzz each target FUZZ_SECONDS seconds (or
#                              FUZZ_RUNS inputs, if given), on a scratch
#                              copy of its corpus; FUZZ_MERGE=1 merges
#                              what was new into tests/fuzz/corpus.  Each
#                              target's executions and outcome are
#                              printed and appended to build/fuzz/campaign.log
#   make -f tests/fuzz/fuzz.mk smoke           each target on its corpus,
#                              then a short mutation burst (seconds)
#   make -f tests/fuzz/fuzz.mk clean
#
# FUZZ_TARGETS picks targets (default: all), e.g. FUZZ_TARGETS=fuzz_ax.
# Crashes, timeouts and leaks land in build/fuzz/artifacts/<target>/;
# replay one with build/fuzz/<target> <file>.
#
# The core (rb/*.c, proto/*.c, rb/port/host/*.c) is compiled again into
# build/fuzz with coverage instrumentation, apart from the host build.
# tests/fuzz/corpus/<target>/ holds the seeds; tests/fuzz/<target>.dict,
# when present, is the target's dictionary.  The fuzz_rsp seeds gdb_* are
# what GDB 13 wrote in real sessions (connect, memory, tracepoints with
# conditions, actions, collect/s, while-stepping, tstart/tstop/tstatus,
# tfind in all forms, tdump, tsave, circular buffers, enable/disable)
# against a server running fuzz_rsp's agent; the fuzz_ax seeds gdb_* are
# GDB's `maint agent` bytecode for a small C program; the others are
# written by hand in each target's input format (see its header).

FUZZ_BUILD ?= build/fuzz
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ_SECONDS ?= $(FUZZ_TIME)
FUZZ_RUNS ?=
FUZZ_MERGE ?= 0
# Short, fixed bursts: `smoke` must stay well under 30 s in all.
FUZZ_SMOKE_RUNS ?= 2000
FUZZ_SMOKE_SEED ?= 1

FUZZ_SAN := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# Kernel style leaves unused callback parameters unmarked.
FUZZ_CFLAGS := -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Werror -g \
	       -O1 -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_CPPFLAGS := -I rb/port/host -I .

FUZZ_CORE_SRCS := $(wildcard rb/*.c proto/*.c rb/port/host/*.c)
FUZZ_CORE_OBJS := $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(FUZZ_CORE_SRCS))
FUZZ_ALL := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_BINS := $(addprefix $(FUZZ_BUILD)/,$(FUZZ_TARGETS))
FUZZ_OBJS := $(patsubst %,$(FUZZ_BUILD)/tests/fuzz/%.o,$(FUZZ_ALL))

CORPUS := tests/fuzz/corpus
SHELL := /bin/bash

.PHONY: all run smoke clean
.SECONDARY: $(FUZZ_OBJS) $(FUZZ_CORE_OBJS)

all: $(FUZZ_BINS)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_CORE_OBJS)
	$(FUZZ_CC) $(FUZZ_SAN) -o $@ $^

# Shell: set $$dict to the dictionary option of target $$t, if it has one.
fuzz_dict = dict=; \
	[ ! -f tests/fuzz/$$t.dict ] || dict=-dict=tests/fuzz/$$t.dict

# Each target fuzzes a scratch copy of its corpus (new inputs are written
# to the first corpus directory); the repository's copy changes only on
# FUZZ_MERGE=1, and then only by a small set of inputs that reach code
# edges it did not (set cover, hit counts ignored).  Every target runs
# even if one fails; the run fails if any did.
run: all
	@set -o pipefail; fail=0; \
	for t in $(FUZZ_TARGETS); do \
		scratch=$(FUZZ_BUILD)/run/$$t; \
		art=$(FUZZ_BUILD)/artifacts/$$t; \
		rm -rf $$scratch; mkdir -p $$scratch $$art $(CORPUS)/$$t; \
		cp -R $(CORPUS)/$$t/. $$scratch/; $(fuzz_dict); \
		echo "== $$t: $(if $(FUZZ_RUNS),$(FUZZ_RUNS) inputs,$(FUZZ_SECONDS) s)"; \
		start=$$(date +%s); rc=0; \
		$(FUZZ_BUILD)/$$t $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS)) \
			-timeout=25 -print_final_stats=1 -artifact_prefix=$$art/ \
			$$dict $$scratch 2>&1 | tee $$scratch.log >&2 || rc=1; \
		execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$scratch.log); \
		line="$$(date -u +%F) $$(git rev-parse --short HEAD 2>/dev/null) $$t $${execs:-?} executions in $$(( $$(date +%s) - start )) s, $$([ $$rc = 0 ] && echo 'no crash' || echo 'FAILED, see '$$art)"; \
		echo "== $$line"; echo "$$line" >> $(FUZZ_BUILD)/campaign.log; \
		[ $$rc = 0 ] || fail=1; \
		if [ "$(FUZZ_MERGE)" = 1 ]; then \
			echo "== $$t: merging into $(CORPUS)/$$t"; \
			$(FUZZ_BUILD)/$$t -set_cover_merge=1 \
				-use_counters=0 -timeout=25 \
				-artifact_prefix=$$art/ \
				$(CORPUS)/$$t $$scratch || fail=1; \
		fi; \
	done; \
	exit $$fail

# Every corpus file once, then FUZZ_SMOKE_RUNS mutations seeded from the
# corpus into a scratch directory.
smoke: all
	@fail=0; \
	for t in $(FUZZ_TARGETS); do \
		scratch=$(FUZZ_BUILD)/smoke/$$t; \
		art=$(FUZZ_BUILD)/artifacts/$$t; \
		rm -rf $$scratch; mkdir -p $$scratch $$art; $(fuzz_dict); \
		echo "== $$t: corpus"; \
		$(FUZZ_BUILD)/$$t -runs=0 -timeout=25 -artifact_prefix=$$art/ \
			$(CORPUS)/$$t || { fail=1; continue; }; \
		echo "== $$t: $(FUZZ_SMOKE_RUNS) mutations"; \
		$(FUZZ_BUILD)/$$t -runs=$(FUZZ_SMOKE_RUNS) \
			-seed=$(FUZZ_SMOKE_SEED) -timeout=25 \
			-artifact_prefix=$$art/ $$dict \
			$$scratch $(CORPUS)/$$t || fail=1; \
	done; \
	exit $$fail

clean:
	rm -rf $(FUZZ_BUILD)

-include $(FUZZ_CORE_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d)
