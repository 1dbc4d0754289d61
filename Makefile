# SPDX-License-Identifier: GPL-2.0
#
# The project's one entry point.
#
#   make            kernel modules, built with Kbuild against KDIR
#   make host       the portable core (rb/, proto/) and its tests, for the host
#   make kunit      the KUnit suite of rb/, build/kunit/gtp_rb_kunit.ko
#   make target     tests/target/gtp_target.ko, the code the VM tests trace
#   make debug-modules  the modules for the debug kernel, in build/kdebug
#                   (builds that kernel once per machine, ~10 min)
#   make check      install what is missing, build everything, run every tier
#   make demo       boot the QEMU guest and show GDB attached to the agent
#   make bench      run the benchmarks (host, and guests: Documentation/
#                   performance.rst)
#   make bench-modules  gtp_bench.ko, the guest benchmarks' module, in
#                   build/bench-kmod
#   make stress     the long stress (tests/stress) on the debug kernel, 2
#                   then 4 CPUs, STRESS_SECONDS each (default 600)
#   make fuzz       each libFuzzer target for FUZZ_SECONDS s (default 60;
#                   FUZZ_RUNS=N: N inputs instead);
#                   FUZZ_MERGE=1 merges new coverage into tests/fuzz/corpus
#   make lint       checkpatch, sparse, shellcheck: zero warnings
#   make install    modules_install into the running system (or KDIR's)
#   make clean
#
# KDIR defaults to the headers of the Debian kernel the VM harness boots;
# for a real machine use KDIR=/lib/modules/$(uname -r)/build.

KDIR ?= $(shell scripts/stock-kernel --kdir 2>/dev/null)
HOST_BUILD := build/host

export KDIR

.PHONY: all modules host check demo bench lint install clean setup kunit \
	target fuzz stress debug-modules bench-modules

all: modules

modules:
	@if [ -z "$(KDIR)" ]; then \
		echo "No kernel headers found: run scripts/setup, or pass KDIR=..." >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

host:
	$(MAKE) -f tests/host/host.mk BUILD=$(HOST_BUILD)

# The KUnit suite of rb/ (tests/kunit/) as its own module, gtp_rb_kunit.ko,
# built in KUNIT_DIR from symbolic links to tests/kunit/Kbuild, rb_kunit.c
# and rb/, so it has its own rb/ objects and leaves gtp.ko's alone.  The
# module loads only on a kernel with CONFIG_KUNIT (the debug kernel); when
# KDIR lacks it (Debian's stock kernel), modpost cannot resolve the kunit_*
# symbols and only warns (KBUILD_MODPOST_WARN=1): a compile-only check.
KUNIT_DIR ?= build/kunit
kunit_dir = $(abspath $(KUNIT_DIR))
kunit_srcs = tests/kunit/Kbuild tests/kunit/rb_kunit.c \
	     $(wildcard rb/*.c rb/*.h rb/port/kernel/*.h)
kunit_in_kdir = $(shell grep -s '^CONFIG_KUNIT=[ym]' $(KDIR)/include/config/auto.conf)

kunit:
	@if [ -z "$(KDIR)" ]; then \
		echo "No kernel headers found: run scripts/setup, or pass KDIR=..." >&2; \
		exit 1; \
	fi
	@mkdir -p $(kunit_dir)/rb/port/kernel
	@rm -f $(kunit_dir)/Kbuild $(kunit_dir)/rb_kunit.c \
		$(kunit_dir)/rb/*.[ch] $(kunit_dir)/rb/port/kernel/*.h
	@for f in $(kunit_srcs); do \
		ln -s "$(CURDIR)/$$f" "$(kunit_dir)/$${f#tests/kunit/}" || exit 1; \
	done
	$(MAKE) -C $(KDIR) M=$(kunit_dir) modules \
		$(if $(kunit_in_kdir),,KBUILD_MODPOST_WARN=1)
	@$(if $(kunit_in_kdir),:,echo "kunit: $(KDIR) has no CONFIG_KUNIT:" \
		"gtp_rb_kunit.ko is built but loads only on a KUnit kernel")

# The guest benchmarks' module (tests/bench/kernel/), staged like the
# KUnit module in BENCH_KMOD_DIR with its own rb/ objects; outside the
# tree's .ko files, so guests get it only from the benchmark scripts.
BENCH_KMOD_DIR ?= build/bench-kmod
bench_kmod_dir = $(abspath $(BENCH_KMOD_DIR))
bench_kmod_srcs = $(wildcard tests/bench/kernel/Kbuild tests/bench/kernel/*.[ch] \
		  rb/*.c rb/*.h rb/port/kernel/*.h)

bench-modules:
	@if [ -z "$(KDIR)" ]; then \
		echo "No kernel headers found: run scripts/setup, or pass KDIR=..." >&2; \
		exit 1; \
	fi
	@mkdir -p $(bench_kmod_dir)/rb/port/kernel
	@rm -f $(bench_kmod_dir)/Kbuild $(bench_kmod_dir)/*.[ch] \
		$(bench_kmod_dir)/rb/*.[ch] $(bench_kmod_dir)/rb/port/kernel/*.h
	@for f in $(bench_kmod_srcs); do \
		ln -s "$(CURDIR)/$$f" "$(bench_kmod_dir)/$${f#tests/bench/kernel/}" || exit 1; \
	done
	$(MAKE) -C $(KDIR) M=$(bench_kmod_dir) modules

# The traced test module, built in its own directory (the VM harness
# takes every .ko outside build/) and never installed.
target:
	@if [ -z "$(KDIR)" ]; then \
		echo "No kernel headers found: run scripts/setup, or pass KDIR=..." >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/target modules

# The same modules for the project's debug kernel (KASAN, lockdep, ...),
# out of the tree's way; scripts/build-debug-kernel builds that kernel
# first if this machine has not.
debug-modules:
	scripts/build-debug-modules

setup:
	scripts/setup

# Sub-makes run after setup, so KDIR is found even on a fresh machine.
check: setup
	$(MAKE) all
	$(MAKE) target
	$(MAKE) host
	$(MAKE) debug-modules
	tests/run

demo: setup
	$(MAKE) all
	$(MAKE) target
	scripts/demo

bench: setup
	$(MAKE) all
	$(MAKE) target
	$(MAKE) host
	$(MAKE) bench-modules
	scripts/bench

# Long campaigns; make check runs a short stress on the debug kernel
# (tests/debug/test_stress.sh) and each fuzz target briefly on its corpus
# (tests/host/test_fuzz_smoke.sh).
fuzz: setup
	$(MAKE) -f tests/fuzz/fuzz.mk run

STRESS_SECONDS ?= 600
stress: setup
	$(MAKE) all
	$(MAKE) target
	$(MAKE) debug-modules
	GTP_VM_KERNEL=debug tests/stress/stress.sh --smp 2 --seconds $(STRESS_SECONDS)
	GTP_VM_KERNEL=debug tests/stress/stress.sh --smp 4 --seconds $(STRESS_SECONDS)

lint:
	scripts/lint

# Headers trees carry no System.map, so Kbuild skips depmod: run it here.
# Debian's headers carry no signing key either; SIGN=1 signs with the key
# of a full kernel tree (dkms signs with its own key).
install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install \
		$(if $(SIGN),,CONFIG_MODULE_SIG_ALL=)
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) \
		$$(modinfo -F vermagic gtp.ko | cut -d' ' -f1)

clean:
	-[ -z "$(KDIR)" ] || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-[ -z "$(KDIR)" ] || $(MAKE) -C $(KDIR) M=$(CURDIR)/tests/target clean
	rm -rf build
