# SPDX-License-Identifier: GPL-2.0
# Front door. The work is done by the scripts in tools/harness/, one job each.
#
#   make boot     build the patched kernel, boot it (HYP, 2 CPUs), report
#                 (options: make help)
#   make check    every test, KTAP, ends with "N passed, N failed"
#                 (T=REGEX: only the tests whose names match)
#   make judge LOG=build/logs/boot/NAME.log  judges a saved serial log
#                 again and prints its tree
#   make bench    what the series costs beside upstream, to the instruction
#   make conform LAYER=FILE [LAYER_ADDR=0x...]  a firmware HYP layer, given
#                 as a binary, through the numbered cases and the boots make
#                 check runs over ours (KTAP)
#   make check-fresh  make boot and one test of each kind in a minimal
#                 Debian 12 root: proves deps.sh names every package
#   make series   the upstream-style series, one per base, in
#                 build/series/6.1/ and build/series/6.12/, signed with
#                 your git identity
#   make kernel   the test kernel (BASE=1: the unpatched baseline)
#   make deps     install what is missing (apt-get, by package name)
#   make pq       import the queue patches/$(KBASE)/ into build/src (6.12:
#                 build/6.12/src) as branch series on tag pristine, to edit
#                 with git (FORCE=1 drops edits not exported yet)
#   make refresh  export branch series back to patches/$(KBASE)/ (and, on
#                 6.1, the top-level arch/ Documentation/ tools/testing/
#                 MAINTAINERS view)
#   make tree     build/src up to date with the queue
#
# V=1 shows every command's output.

H := tools/harness
export V

# make boot's options, for boot.sh. SHELL=1 is one of them, but SHELL is
# also the shell make runs recipes with: keep the user's value apart and
# give make back its own.
ifeq ($(origin SHELL),command line)
BOOT_SHELL := $(SHELL)
override SHELL := /bin/sh
# nor let it reach the kernel's make, which would run its recipes with it
MAKEOVERRIDES := $(filter-out SHELL=%,$(MAKEOVERRIDES))
endif
export MODE CPUS CPU VIA BASE JAILHOUSE BOOT_SHELL KBASE FORCE

.PHONY: all help boot check judge bench conform check-fresh series kernel deps tree pq refresh initramfs \
	clean distclean

all: boot

deps:
	@$(H)/deps.sh

tree: deps
	@$(H)/queue.sh tree

pq: deps
	@$(H)/queue.sh import

refresh:
	@$(H)/queue.sh export

kernel: tree
	@BASE=$(BASE) $(H)/kernel.sh test

initramfs: deps tree
	@$(H)/initramfs.sh

boot:
	@$(H)/boot.sh

# T=REGEX (or CHECK_ONLY=REGEX): only the tests whose names match, as bash's
# =~ does; $(value) keeps make from expanding a $ in the pattern.
check: deps
	@CHECK_ONLY='$(value T)$(value CHECK_ONLY)' $(H)/check.sh

# LOG=FILE: a boot's serial log (its LOG.host beside it), judged by the base
# tree's kunit_parser (tools/harness/judge.py; KUNIT_DIR= another copy).
judge:
	@test -n '$(LOG)' || { echo 'make judge: say LOG=build/logs/boot/NAME.log' >&2; exit 2; }
	@$(H)/judge.py '$(LOG)'

bench: deps
	@$(H)/bench.sh

# LAYER=FILE: the layer's binary, vectors at its start (tools/harness/conform.sh);
# LAYER_ADDR=0x...: where it is loaded and runs (default 0x48000000).
conform: tree
	@test -n '$(LAYER)' || { echo 'make conform: say LAYER=FILE (build/fw/layer.bin is ours)' >&2; exit 2; }
	@LAYER_ADDR='$(LAYER_ADDR)' $(H)/conform.sh '$(LAYER)'

check-fresh:
	@$(H)/fresh.sh

series: deps
	@$(H)/series.sh
	@KBASE=6.12 $(H)/series.sh

help:
	@echo 'Targets:'
	@echo '  make boot         build the patched kernel, boot it under QEMU, print the report'
	@echo '  make check        every test (KTAP), ending "N passed, N failed";'
	@echo '                    T=REGEX runs only the tests whose names match'
	@echo '  make judge LOG=build/logs/boot/NAME.log  judge a saved boot log again: its'
	@echo '                    tree of cases, the reasons it fails, the counts'
	@echo '  make bench        the series beside upstream: boot, HVC, hotplug, sizes'
	@echo '                    (build/bench.md, .csv, .svg)'
	@echo '  make conform LAYER=FILE [LAYER_ADDR=0x...]  a firmware HYP layer (a binary,'
	@echo '                    its vectors at its start) through the numbered cases and'
	@echo '                    the layer boots of make check, KTAP'
	@echo '  make check-fresh  make boot and one test of each kind in a minimal Debian 12 root'
	@echo '  make series       the series for each base: build/series/6.1/, build/series/6.12/'
	@echo '                    (author and Signed-off-by: your git config user.name/email)'
	@echo '  make kernel       the test kernel (BASE=1: the unpatched baseline)'
	@echo '  make deps         install what is missing (apt-get, by package name)'
	@echo '  make pq           import patches/6.1/ into build/src as branch series, to edit'
	@echo '                    with git (KBASE=6.12: build/6.12/src; FORCE=1 drops work'
	@echo '                    not exported yet)'
	@echo '  make refresh      export branch series to patches/6.1/ and the top-level view'
	@echo '                    (KBASE=6.12: patches/6.12/)'
	@echo '  make tree         build/src up to date with patches/6.1/'
	@echo '  make clean        remove build/'
	@echo '  make distclean    remove build/ and empty the ccache (ccache -C: the user'"'"'s own)'
	@echo 'make boot options (each checked before anything is built):'
	@echo '  MODE=hyp|svc            entry mode (default hyp)'
	@echo '  CPUS=1..4               how many CPUs (default 2)'
	@echo '  CPU=cortex-a15|cortex-a7  the CPU model (default cortex-a15)'
	@echo '  VIA=kernel|uboot|uefi|fw|layer  QEMU -kernel, U-Boot, EDK2 (SVC), our'
	@echo '                          firmware, or its resident HYP layer (scenario 2, SVC)'
	@echo '  BASE=1                  the unpatched kernel, for comparison'
	@echo '  KBASE=6.1|6.12          the base tree (default 6.1): linux-source-6.1 or -6.12'
	@echo '  JAILHOUSE=1             also enable and disable Jailhouse'
	@echo '  SHELL=1                 end in a busybox shell on the console'
	@echo '                          (poweroff -f or Ctrl-A X to leave)'
	@echo 'Other: V=1 shows every command; make check T=REGEX BASELINE=0.'

clean:
	rm -rf build

# The compiler cache is ccache's default one (or $CCACHE_DIR), shared with
# every other clone and project of this user: distclean empties it too.
distclean: clean
	ccache -C
