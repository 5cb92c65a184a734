#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Installs what the harness needs, by Debian package name, when it is missing.
# Host packages go through apt-get; armhf user space is only downloaded and
# unpacked under build/armhf/ (nothing armhf is installed system-wide).
set -euo pipefail
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

# Every host package the harness uses, named one by one: apt-get runs with
# --no-install-recommends, so nothing arrives that is not named here (a
# package that came only as a recommendation, or with something else, is
# exactly what a fresh machine lacks). make check-fresh proves the list.
HOST_PKGS=(
	# what a user has to clone and start, and the harness's own git work
	git make
	# the base tree, and building a kernel: host compiler and C library
	# (kbuild's host tools), the tools kbuild and its scripts call
	# (make check builds both bases: 6.12 is a security-update package)
	linux-source-6.1 linux-source-6.12 xz-utils gcc libc6-dev bc bison flex
	libssl-dev libelf-dev
	cpio perl python3 ccache
	# Jailhouse's port, applied outside git
	patch
	# the cross compiler, its binutils (readelf, objcopy) and the armhf C
	# library and headers the static user programs are linked with
	gcc-arm-linux-gnueabihf binutils-arm-linux-gnueabihf libc6-dev-armhf-cross
	# boots: QEMU, Debian's U-Boot and EDK2, mkimage, fdtput
	qemu-system-arm u-boot-qemu qemu-efi-arm u-boot-tools device-tree-compiler
	# boot disks without root mounts: sfdisk, mtools
	fdisk mtools
	# static checks of the series and of the harness
	sparse shellcheck
	# the device-tree binding check (dtcheck.sh): dt-schema's validators
	# for the kernel's dt_binding_check, and yamllint, which that check
	# runs on the binding (without it, it warns and skips the lint)
	dt-schema yamllint
	# make bench's chart
	gnuplot-nox
)
# deps.sh --fresh: also what make check-fresh needs on the host.
[ "${1:-}" != --fresh ] || HOST_PKGS+=(debootstrap)
# armhf user space for the initramfs (name -> unpacked under build/armhf/root).
# kexec-tools is dynamically linked: its libraries come along (initramfs.sh
# copies only what the binary needs).
ARMHF_PKGS=(busybox-static kexec-tools libc6 zlib1g liblzma5 libxenmisc4.17
	    libxencall1 libxendevicemodel1 libxenevtchn1 libxenforeignmemory1
	    libxengnttab1 libxenhypfs1 libxenstore4 libxentoollog1 libxentoolcore1
	    libyajl2 libext2fs2 libfdt1 libuuid1 libcom-err2)

stage_begin deps

missing=()
for p in "${HOST_PKGS[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done

apt_updated=0
apt_update() {
	# With armhf added, the security index for armhf fails to sync on this
	# mirror and apt-get update exits 100 every time; the main index loads.
	# So the exit code is not the verdict: what we need being known is.
	[ "$apt_updated" = 1 ] && return 0
	apt-get update -qq >"$BUILD/logs/apt-update.log" 2>&1 ||
		echo "   apt-get update exited $? (checked below by package)"
	apt_updated=1
}

# unknown PKG...: those of PKG... apt has no candidate version for (one
# apt-cache call: each costs seconds).
unknown() {
	apt-cache policy "$@" 2>/dev/null | awk -v want="$*" '
		BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) missing[w[i]] = 1 }
		/^[^ ].*:$/ { pkg = substr($0, 1, length($0) - 1) }
		/^  Candidate: [0-9]/ { delete missing[pkg] }
		END { for (p in missing) print p }' | sort
}

mkdir -p "$BUILD/logs"
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}); run as root or install them"
	echo "   installing: ${missing[*]}"
	apt_update
	DEBIAN_FRONTEND=noninteractive run_logged "$BUILD/logs/apt-install.log" \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# armhf packages: downloaded once, unpacked into one root.
debs=$SHARED/armhf/debs
root=$SHARED/armhf/root
mkdir -p "$debs"
need=()
for p in "${ARMHF_PKGS[@]}"; do
	compgen -G "$debs/${p}_*_armhf.deb" >/dev/null || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	if ! dpkg --print-foreign-architectures | grep -qx armhf; then
		dpkg --add-architecture armhf
		apt_updated=0
	fi
	need=("${need[@]/%/:armhf}")
	[ -z "$(unknown "${need[@]}")" ] || apt_update
	left=$(unknown "${need[@]}")
	[ -z "$left" ] || die "unknown to apt: $left (see $BUILD/logs/apt-update.log)"
	# One apt-get for all of them: it fetches in parallel.
	(cd "$debs" && run_logged "$BUILD/logs/apt-download.log" apt-get download "${need[@]}")
	rm -rf "$root"
fi
if [ ! -d "$root" ]; then
	mkdir -p "$root.tmp"
	for d in "$debs"/*_armhf.deb; do
		dpkg-deb -x "$d" "$root.tmp"
	done
	mv "$root.tmp" "$root"
fi

stage_end ""
