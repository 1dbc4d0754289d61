# SPDX-License-Identifier: GPL-2.0
#
# Host build of the portable core (rb/, proto/) and its unit tests, with
# AddressSanitizer and UndefinedBehaviorSanitizer.  Run from the top
# directory (the top-level Makefile's `make host` does):
#
#   make -f tests/host/host.mk BUILD=build/host          build everything
#   make -f tests/host/host.mk BUILD=build/host test     build, run the tests
#   make -f tests/host/host.mk BUILD=build/host clean
#
# Sources are found by wildcard: a new rb/*.c or proto/*.c joins the
# library, a new tests/host/test_*.c becomes a test program linked with
# cmocka (Debian: libcmocka-dev), a tests/host/test_*.sh a shell test.

BUILD ?= build/host

SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
# Kernel style leaves unused callback parameters unmarked.
CFLAGS := -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Werror -g -O1 \
	  $(SAN) -fno-omit-frame-pointer
CPPFLAGS := -I rb/port/host -I .
LDFLAGS := $(SAN)

# hw/: only its portable arithmetic; the rest is kernel drivers.
CORE_SRCS := $(wildcard rb/*.c proto/*.c rb/port/host/*.c) hw/adump_count.c
CORE_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(CORE_SRCS))
LIB := $(BUILD)/libgtpcore.a

TEST_SRCS := $(wildcard tests/host/test_*.c)
TEST_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(TEST_SRCS))
TESTS := $(patsubst tests/host/%.c,$(BUILD)/%,$(TEST_SRCS))
SHELL_TESTS := $(wildcard tests/host/test_*.sh)

# Helper programs built from tests/host (not unit tests themselves).
TOOLS := $(BUILD)/rsp_loopback $(BUILD)/gtp_sim $(BUILD)/adump_tfile_gen
TOOL_OBJS := $(BUILD)/tests/host/rsp_loopback.o \
	     $(BUILD)/tests/host/sim_server.o $(BUILD)/tests/host/sim_program.o \
	     $(BUILD)/tests/host/adump_tfile_gen.o

.PHONY: all test clean
# Keep the objects of test programs (make deletes intermediates otherwise).
.SECONDARY: $(TEST_OBJS) $(TOOL_OBJS)

all: $(LIB) $(TESTS) $(TOOLS)

# Benchmarks (tests/bench/bench_*.c, run by scripts/bench): the core built
# again apart, optimised and without sanitizers, into its own object
# directory, so the figures are those of production code.
BENCH_OBJDIR := $(BUILD)/bench-obj
BENCH_OPT := -O2
BENCH_CFLAGS := -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Werror -g \
		$(BENCH_OPT) -DBENCH_OPT='"$(BENCH_OPT)"'
BENCH_CORE_SRCS := $(wildcard rb/*.c rb/port/host/*.c)
BENCH_CORE_OBJS := $(patsubst %.c,$(BENCH_OBJDIR)/%.o,$(BENCH_CORE_SRCS))
BENCH_SRCS := $(wildcard tests/bench/bench_*.c)
BENCH_OBJS := $(patsubst %.c,$(BENCH_OBJDIR)/%.o,$(BENCH_SRCS))
BENCHES := $(patsubst tests/bench/%.c,$(BUILD)/%,$(BENCH_SRCS))
.SECONDARY: $(BENCH_OBJS) $(BENCH_CORE_OBJS)

all: $(BENCHES)

$(BENCH_OBJDIR)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(BENCH_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/bench_%: $(BENCH_OBJDIR)/tests/bench/bench_%.o $(BENCH_CORE_OBJS)
	$(CC) -o $@ $^

$(LIB): $(CORE_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/test_%: $(BUILD)/tests/host/test_%.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka

$(BUILD)/rsp_loopback: $(BUILD)/tests/host/rsp_loopback.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^

# Trace files of audio-dump frames for tests/host/test_adump2wav.sh.
$(BUILD)/adump_tfile_gen: $(BUILD)/tests/host/adump_tfile_gen.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^

# The simulator's traced program: plain -O0 code with frame pointers, in
# source order, uninstrumented, so GDB's DWARF describes its real frames;
# linked at fixed addresses, so GDB's symbols are the running addresses.
SIM_PROGRAM_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -g -O0 \
		      -fno-omit-frame-pointer -fno-reorder-functions \
		      -fno-inline
$(BUILD)/tests/host/sim_program.o: tests/host/sim_program.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(SIM_PROGRAM_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/gtp_sim: $(BUILD)/tests/host/sim_server.o \
		  $(BUILD)/tests/host/sim_program.o $(LIB)
	$(CC) $(LDFLAGS) -no-pie -o $@ $^

# Every test runs even if one fails; the target fails if any did.
test: all
	@fail=0; \
	for t in $(TESTS); do \
		echo "== $$t"; $$t || fail=1; \
	done; \
	for t in $(SHELL_TESTS); do \
		echo "== $$t"; BUILD=$(BUILD) bash $$t || fail=1; \
	done; \
	exit $$fail

clean:
	rm -rf $(BUILD)

-include $(CORE_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(TOOL_OBJS:.o=.d)
-include $(BENCH_CORE_OBJS:.o=.d) $(BENCH_OBJS:.o=.d)
