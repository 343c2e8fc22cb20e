# SPDX-License-Identifier: GPL-2.0
#
# vsecy: top-level build. `make` builds the module and every tool;
# `make check` installs what is missing and runs every test in a VM;
# `make check-debug` runs them again on a debug kernel (KASAN, lockdep...);
# `make demo` shows a vsecy link in the VM; `make vm` gives a shell there;
# `make deb` builds the Debian packages (vsecy-dkms, vsecy-tools).

# The kernels vsecy supports and tests, by series: Debian 12's own (6.1)
# and the one in bookworm-security (6.12). deps.sh installs both.
KERNELS := 6.1 6.12

# The kernel to build for and test on. KVER=RELEASE (6.12.117+deb12-amd64),
# or KVER=SERIES (6.1, 6.12): the newest release of that series whose
# headers are installed. By default the kernel of Debian's
# linux-headers-amd64, the distribution's own (6.1 on Debian 12): not the
# newest headers installed, so that installing a second kernel does not
# change what `make check` tests.
kver-newest = $(shell ls -1d /usr/src/linux-headers-$(1)*-amd64 2>/dev/null | \
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
ifeq ($(KVER),)
override KVER := $(shell dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null | \
		sed -n 's/^linux-headers-\([^ ,]*-amd64\).*/\1/p')
ifeq ($(KVER),)
override KVER := $(call kver-newest,)
endif
else ifeq ($(wildcard /usr/src/linux-headers-$(KVER)),)
ifneq ($(call kver-newest,$(KVER).),)
override KVER := $(call kver-newest,$(KVER).)
endif
endif
ifeq ($(KDIR),)
KDIR := /usr/src/linux-headers-$(KVER)
endif
DESTDIR ?=
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif

TOOLS := tools/vsecy tools/mkad
ENV := KVER=$(KVER) KDIR=$(KDIR)

.PHONY: all module tools selftests install install-module install-tools clean \
	check check-run check-debug check-debug-run check-kernel check-kernel-run bench bench-run demo demo-run vm vm-run deps style sparse checkpatch \
	initramfs kver kvers deb deb-run

all: module tools selftests

selftests:
	$(Q)$(MAKE) -C selftests

module:
	$(Q)test -d "$(KDIR)" || { echo "no kernel build tree at KDIR=$(KDIR); run 'make deps'" >&2; exit 1; }
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 VSECY_WERROR=1 modules

tools:
	$(Q)for t in $(TOOLS); do \
		if [ -f $$t/Makefile ]; then $(MAKE) -C $$t || exit 1; fi; \
	done

install: install-module install-tools

install-module: module
	$(Q)install -D -m 0644 drivers/net/vsecy/vsecy.ko \
		$(DESTDIR)/lib/modules/$(KVER)/extra/vsecy.ko

install-tools: tools
	$(Q)for t in $(TOOLS); do \
		if [ -f $$t/Makefile ]; then \
			$(MAKE) -C $$t install DESTDIR=$(abspath $(DESTDIR)) SBINDIR=$(SBINDIR) || exit 1; \
		fi; \
	done

clean:
	$(Q)if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	$(Q)for t in $(TOOLS); do \
		if [ -f $$t/Makefile ]; then $(MAKE) -C $$t clean; fi; \
	done
	$(Q)$(MAKE) -C selftests clean
	$(Q)rm -rf build

# Installs (apt-get) whatever the build and the VM tests need and is missing.
deps:
	$(Q)./selftests/qemu/deps.sh

# Everything below re-enters make after `deps`, so that KVER and KDIR are
# computed from what is installed by then.
check: deps
	$(Q)$(MAKE) check-run
check-run: all
	$(Q)$(ENV) ./selftests/check.sh

check-debug: deps
	$(Q)$(MAKE) check-debug-run
check-debug-run: tools selftests
	$(Q)./selftests/check-debug.sh

# The VM suite's kernel-facing programs on another kernel:
# `make check-kernel KVER=6.12` (CI runs it; selftests/check-kernel.sh).
check-kernel: deps
	$(Q)$(MAKE) check-kernel-run
check-kernel-run: tools selftests
	$(Q)$(ENV) ./selftests/check-kernel.sh

demo: deps
	$(Q)$(MAKE) demo-run
demo-run: all
	$(Q)$(ENV) ./selftests/qemu/vm.sh demo

# TCP throughput over vsecy and over the kernel's macsec in one VM run.
bench: deps
	$(Q)$(MAKE) bench-run
bench-run: all
	$(Q)$(ENV) ./selftests/qemu/vm.sh bench

vm: deps
	$(Q)$(MAKE) vm-run
vm-run: all
	$(Q)$(ENV) ./selftests/qemu/vm.sh shell

# Debian packages in build/deb/: vsecy-dkms (the module's source, built
# by DKMS on the machine it is installed on) and vsecy-tools, with the
# source package and lintian's verdict. dpkg-buildpackage writes to the
# parent directory, so it runs on a copy of the checkout (its tracked and
# untracked, not ignored, files as they are now) in build/deb/src/.
DEB_VERSION = $(shell dpkg-parsechangelog -l debian/changelog -S Version)
DEB_SRC = build/deb/src/vsecy-$(DEB_VERSION)

deb: deps
	$(Q)$(MAKE) deb-run
deb-run:
	$(Q)git rev-parse --is-inside-work-tree >/dev/null 2>&1 || \
		{ echo "make deb: needs a git checkout (it copies git ls-files)" >&2; exit 1; }
	$(Q)rm -rf build/deb
	$(Q)mkdir -p $(DEB_SRC)
	$(Q)git ls-files -z -c -o --exclude-standard | \
		tar --null -T - -cf - | tar -xf - -C $(DEB_SRC)
	$(Q)cd $(DEB_SRC) && dpkg-buildpackage -us -uc > ../build.log 2>&1 || \
		{ tail -n 40 ../build.log; echo "make deb: build/deb/src/build.log" >&2; exit 1; }
	$(Q)mv build/deb/src/vsecy_$(DEB_VERSION)* build/deb/src/vsecy-*_$(DEB_VERSION)_*.deb build/deb/
	$(Q)ls -1 build/deb/*.deb
	$(Q)lintian --fail-on error,warning build/deb/vsecy_$(DEB_VERSION)_*.changes \
		> build/deb/lintian.log 2>&1; rc=$$?; cat build/deb/lintian.log; \
		if [ $$rc -eq 0 ]; then echo "lintian: clean"; else echo "lintian: failed" >&2; fi; \
		exit $$rc

kver:
	@echo $(KVER)

# The newest installed release of each series in KERNELS, one a line.
kvers:
	@$(foreach k,$(KERNELS),echo $(call kver-newest,$(k).);)

initramfs: all
	$(Q)$(ENV) ./selftests/qemu/build-initramfs.sh

style: checkpatch sparse

checkpatch:
	$(Q)$(ENV) ./scripts/checkpatch.sh

sparse:
	$(Q)mkdir -p build
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(Q)MAKEFLAGS= $(MAKE) -C $(KDIR) M=$(CURDIR) W=1 VSECY_WERROR=1 C=2 CF="-D__CHECK_ENDIAN__" \
		modules > build/sparse.log 2>&1 || { cat build/sparse.log; exit 1; }
	$(Q)! grep -E 'warning:|error:' build/sparse.log
	$(Q)echo "sparse: clean ($$(grep -c CHECK build/sparse.log) files checked)"
