# SPDX-License-Identifier: GPL-2.0
#
# The project's one entry point.
#
#   make            kernel modules, built with Kbuild against KDIR
#   make host       the portable core (rb/, proto/) and its tests, for the host
#   make check      install what is missing, build everything, run every tier
#   make demo       boot the QEMU guest and show GDB attached to the agent
#   make bench      run the benchmarks
#   make lint       checkpatch, sparse, shellcheck: zero warnings
#   make install    modules_install into the running system (or KDIR's)
#   make clean
#
# KDIR defaults to the headers of the Debian kernel the VM harness boots;
# for a real machine use KDIR=/lib/modules/$(uname -r)/build.

KDIR ?= $(shell scripts/stock-kernel --kdir 2>/dev/null)
HOST_BUILD := build/host

export KDIR

.PHONY: all modules host check demo bench lint install clean setup

all: modules

modules:
	@if [ -z "$(KDIR)" ]; then \
		echo "No kernel headers found: run scripts/setup, or pass KDIR=..." >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

host:
	$(MAKE) -f tests/host/host.mk BUILD=$(HOST_BUILD)

setup:
	scripts/setup

# Sub-makes run after setup, so KDIR is found even on a fresh machine.
check: setup
	$(MAKE) all
	$(MAKE) host
	tests/run

demo: setup
	$(MAKE) all
	scripts/demo

bench: setup
	$(MAKE) all
	$(MAKE) host
	scripts/bench

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
	rm -rf build
