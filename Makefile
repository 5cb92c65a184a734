# SPDX-License-Identifier: GPL-2.0
# Front door. The work is done by the scripts in tools/harness/, one job each.
#
#   make boot     build the patched kernel, boot it in HYP with 2 CPUs, report
#   make check    every test, KTAP, ends with "N passed, N failed"
#   make check-fresh  make boot and one test of each kind in a minimal
#                 Debian 12 root: proves deps.sh names every package
#   make series   the upstream-style series in build/series/
#   make kernel   the test kernel (BASE=1: the unpatched baseline)
#   make deps     install what is missing (apt-get, by package name)
#   make tree     build/src = pristine 6.1 + patches/ + owned files
#
# V=1 shows every command's output.

H := tools/harness
export V

.PHONY: all boot check check-fresh series kernel deps tree initramfs clean

all: boot

deps:
	@$(H)/deps.sh

tree: deps
	@$(H)/tree.sh

kernel: tree
	@BASE=$(BASE) $(H)/kernel.sh test

initramfs: deps tree
	@$(H)/initramfs.sh

boot: deps
	@$(H)/boot.sh

check: deps
	@$(H)/check.sh

check-fresh:
	@$(H)/fresh.sh

series: tree
	@$(H)/series.sh

clean:
	rm -rf build
