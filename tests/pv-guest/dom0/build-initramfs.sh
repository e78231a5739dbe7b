#!/bin/bash
# build-initramfs.sh OUTDIR [4.17 | 4.20 APTDIR] -- build the dom0 half of the "real toolstack"
# test path, with the Xen toolstack of one series (it must match the hypervisor's).
#
#   4.17 (the default)  Debian 12's xen-utils-4.17 and xenstore-utils, installed on this machine
#   4.20                Debian 13's xen-utils-4.20 and xenstore-utils with their libraries (C
#                       library included), fetched with "scripts/apt-private APTDIR apt-get
#                       download" into OUTDIR/debs/ (kept: rebuilds need no network) and
#                       unpacked with dpkg -x; never installed
#
# Produces, cached (nothing is done when both are newer than this script, ./init and ./xl-jobs
# and OUTDIR/toolstack names the same series):
#   OUTDIR/vmlinuz            Debian 12's 6.1 dom0 kernel, whatever the series
#                             (linux-image-6.1.0-NN-amd64, fetched with "apt-get download" into
#                             OUTDIR and unpacked with dpkg -x; never installed)
#   OUTDIR/initramfs.cpio.gz  busybox initramfs (newc): /init (./init), /xl-jobs (./xl-jobs),
#                             the xen and virtio 9p modules of that kernel, xl, xenstored, xenconsoled,
#                             xen-init-dom0, xentrace, libxl-save-helper (in
#                             /usr/lib/xen-SERIES/bin), the xenstore-* tools, every shared
#                             library they need and their dynamic loader
#   OUTDIR/toolstack          one line: the series and where its tools came from
#
# Boot: Xen multiboot modules "OUTDIR/vmlinuz console=hvc0 ...", then the concatenation of
# initramfs.cpio.gz and an uncompressed newc cpio holding /jobs/ (see ./init and ./xl-jobs for that
# contract).
set -eu

die() { echo "pvmm: $*" >&2; exit 1; }
step() { echo "pvmm: dom0: $*" >&2; }

usage="usage: $0 OUTDIR [4.17 | 4.20 APTDIR]"
[ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
series=${2:-4.17}
case "$series:$#" in
4.17:1 | 4.17:2 | 4.20:3) ;;
*) echo "$usage" >&2; exit 2 ;;
esac
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
[ "$series" = 4.17 ] || aptdir=$(mkdir -p "$3" && cd "$3" && pwd)

# Leave no half-built tree (the unpacked kernel is 400 MB) behind on failure.
trap 'rm -rf "$out/kernel.tmp" "$out/initramfs.tmp" "$out/toolstack.tmp" "$out/toolstack.new" "$out/vmlinuz.tmp" "$out/initramfs.cpio.gz.tmp"' EXIT

newer() { [ -e "$1" ] && [ "$1" -nt "$src/build-initramfs.sh" ] && [ "$1" -nt "$src/init" ] && [ "$1" -nt "$src/xl-jobs" ]; }
if newer "$out/vmlinuz" && newer "$out/initramfs.cpio.gz" &&
	[ "$(cut -d : -f 1 "$out/toolstack" 2>/dev/null)" = "$series" ]; then
	exit 0
fi

xenbin=/usr/lib/xen-$series/bin
tools="xl xenstored xenconsoled xen-init-dom0 xentrace libxl-save-helper"
# The xenstore command-line tools: one binary that acts on the name it is run as.
xsbin=/usr/bin/xenstore
xscmds="read write ls list rm exists watch chmod"
# Load order matters: xenfs needs a symbol of xen-privcmd.  Dependencies found in the
# modules' own "depends=" field are put in front of whoever needs them.  virtio_pci,
# 9pnet_virtio and 9p (with their netfs, fscache, virtio and virtio_ring) mount the share that
# the runner gives QEMU for traces to leave dom0 by (./init), instead of the serial line.
modules="xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc virtio_pci 9pnet_virtio 9p"
# Debian 13's packages for 4.20: the tools, and the libraries their DT_NEEDED entries name,
# recursively (checked below: a soname none of them holds stops the build), plus libgcc-s1.
# Only what xl and the daemons above load: libxenmisc4.20 also holds libraries they never
# load (so its own dependencies, libext2fs and the like, are left out).
pkgs420="xen-utils-4.20 xenstore-utils libxenmisc4.20 libxencall1 libxendevicemodel1 libxenevtchn1
	libxenforeignmemory1 libxengnttab1 libxenhypfs1 libxenstore4 libxentoolcore1 libxentoollog1
	libyajl2 libuuid1 zlib1g liblzma5 libzstd1 libc6 libgcc-s1"

# Host prerequisites, one clear line each.
if [ "$series" = 4.17 ]; then
	for t in $tools; do
		[ -x "$xenbin/$t" ] || die "missing $xenbin/$t: install xen-utils-$series"
	done
	[ -x "$xsbin" ] || die "missing $xsbin: install xenstore-utils"
fi
[ -x /bin/busybox ] || die "missing /bin/busybox: install busybox-static"
# A dynamic busybox (package "busybox") would need its libraries too.
LC_ALL=C ldd /bin/busybox 2>&1 | grep -q 'not a dynamic executable' ||
	die "/bin/busybox is not static: install busybox-static"
for t in cpio:cpio gzip:gzip ldd:libc-bin readelf:binutils dpkg:dpkg apt-get:apt apt-cache:apt; do
	command -v "${t%%:*}" >/dev/null || die "missing ${t%%:*}: install ${t#*:}"
done

# The kernel package: reuse a .deb already in OUTDIR, so rebuilds need no network.
step "kernel package"
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n 1)
deb=
if [ -n "$pkg" ]; then
	deb=$(ls "$out/${pkg}_"*_amd64.deb 2>/dev/null | tail -n 1)
else
	# No apt lists: any 6.1 kernel downloaded before will do.
	deb=$(ls "$out"/linux-image-6.1.0-*-amd64_*_amd64.deb 2>/dev/null | tail -n 1)
	[ -n "$deb" ] || die "cannot find linux-image-6.1.0-NN-amd64 (apt-cache depends linux-image-amd64): run 'apt-get update' and check network"
fi
if [ -z "$deb" ]; then
	step "downloading $pkg"
	(cd "$out" && apt-get download "$pkg") >"$out/apt-download.log" 2>&1 ||
		die "cannot download $pkg: run 'apt-get update' and check network (log: $out/apt-download.log)"
	deb=$(ls "$out/${pkg}_"*_amd64.deb 2>/dev/null | tail -n 1)
	[ -n "$deb" ] || die "cannot download $pkg: run 'apt-get update' and check network (log: $out/apt-download.log)"
	rm -f "$out/apt-download.log"
	# Drop kernels of older ABIs; each is 70 MB.
	for old in "$out"/linux-image-6.1.0-*-amd64_*_amd64.deb; do
		[ "$old" = "$deb" ] || rm -f "$old"
	done
fi

# Where the tools and their libraries come from: this machine (4.17), or Debian 13's packages
# unpacked into toolstack.tmp (4.20).
if [ "$series" = 4.17 ]; then
	from=/
	origin="Debian 12's xen-utils-4.17 $(dpkg-query -W -f='${Version}' xen-utils-4.17 2>/dev/null), installed on this machine"
	where="this machine"
	fix="install the package that holds it"
else
	apt_private=$(cd "$src/../../.." && pwd)/scripts/apt-private
	debs=$out/debs
	mkdir -p "$debs"
	missing=
	for p in $pkgs420; do
		ls "$debs/${p}_"*_amd64.deb >/dev/null 2>&1 || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		step "downloading Debian 13's$missing"
		(cd "$debs" && "$apt_private" "$aptdir" apt-get -q download $missing) >"$out/apt-download.log" 2>&1 ||
			die "cannot download Debian 13's$missing with scripts/apt-private $aptdir (log: $out/apt-download.log)"
		rm -f "$out/apt-download.log"
	fi
	step "unpacking Debian 13's toolstack"
	from=$out/toolstack.tmp
	rm -rf "$from"
	for p in $pkgs420; do
		dpkg -x "$(ls "$debs/${p}_"*_amd64.deb | tail -n 1)" "$from"
	done
	deb420=$(ls "$debs"/xen-utils-4.20_*_amd64.deb | tail -n 1)
	origin="Debian 13's $(basename "$deb420" _amd64.deb | tr _ ' ') and its libraries ($debs)"
	where="Debian 13's packages in $debs"
	fix="add its Debian 13 package to pkgs420 in $src/build-initramfs.sh"
	for t in $tools; do
		[ -x "$from$xenbin/$t" ] || die "$deb420 holds no $xenbin/$t"
	done
	[ -x "$from$xsbin" ] || die "Debian 13's xenstore-utils holds no $xsbin"
fi

step "unpacking $(basename "$deb")"
kdir=$out/kernel.tmp
rm -rf "$kdir"
dpkg -x "$deb" "$kdir"
kver=$(ls "$kdir/lib/modules")
if [ -z "$kver" ] || [ ! -f "$kdir/boot/vmlinuz-$kver" ]; then
	die "$deb: no kernel or modules inside"
fi
mods=$kdir/lib/modules/$kver

step "initramfs tree"
root=$out/initramfs.tmp
rm -rf "$root"
mkdir -p "$root"
cd "$root"
mkdir -p bin sbin usr/bin usr/sbin etc/xen dev proc sys run tmp jobs root \
	lib/modules var/lib/xen/dump var/lib/xenstored var/log/xen var/lock "./$xenbin"
# /run is a fresh tmpfs at boot; /var/run must lead there.
ln -s ../run var/run
: >etc/xen/xl.conf
echo 'root:x:0:0:root:/root:/bin/sh' >etc/passwd
echo 'root:x:0:' >etc/group

cp /bin/busybox bin/busybox
for a in $(bin/busybox --list-full); do
	[ -e "$a" ] || ln -s /bin/busybox "$a"
done

cp "$src/init" init
cp "$src/xl-jobs" xl-jobs
chmod 755 init xl-jobs

# Modules, dependencies first; decompressed since busybox insmod may not read .ko.xz etc.
modfile() {
	# kernel module names treat - and _ alike
	local re=${1//[-_]/[-_]}
	find "$mods/kernel" -regextype posix-extended -regex ".*/$re\.ko(\.xz|\.zst|\.gz)?" | head -n 1
}
moddeps() {
	local f=$1
	case "$f" in
	*.xz) xz -dc "$f" ;;
	*.zst) zstd -qdc "$f" ;;
	*.gz) gzip -dc "$f" ;;
	*) cat "$f" ;;
	esac | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '
}
order=
addmod() {
	local m=$1 f d
	case " $order " in *" $m "*) return 0 ;; esac
	f=$(modfile "$m")
	[ -n "$f" ] || die "module $m not in $(basename "$deb")"
	for d in $(moddeps "$f"); do
		addmod "$d"
	done
	case "$f" in
	*.xz) xz -dc "$f" >"lib/modules/$m.ko" ;;
	*.zst) zstd -qdc "$f" >"lib/modules/$m.ko" ;;
	*.gz) gzip -dc "$f" >"lib/modules/$m.ko" ;;
	*) cp "$f" "lib/modules/$m.ko" ;;
	esac
	order="$order $m"
}
for m in $modules; do
	addmod "$m"
done
echo $order | tr ' ' '\n' >lib/modules/load-order

# The library closure, copied from $from into the tree: every DT_NEEDED entry of every tool and
# library, found where the dynamic loader looks without an ld.so.cache (Debian 12's and 13's
# both search these, in this order; the initramfs has no cache), and copied to the same path.
# A soname found nowhere stops the build: a tool would not start in dom0.
libdirs="lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib usr/lib"
find_lib() {
	local d
	for d in $libdirs; do
		[ -e "$1/$d/$2" ] && { echo "$d/$2"; return 0; }
	done
	return 1
}
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'; }
# add_lib SONAME WHO: SONAME in the tree, and everything it needs.  The loader is one too
# (libc needs it), found as the program interpreter already loaded, not by path.
loaders=" "
add_lib() {
	local lib so
	case "$loaders" in *" $1 "*) return 0 ;; esac
	find_lib . "$1" >/dev/null && return 0
	lib=$(find_lib "$from" "$1") || die "dom0: $1, needed by $2, is not in $where: $fix"
	mkdir -p "./$(dirname "$lib")"
	cp -L "$from/$lib" "./$lib"
	for so in $(needed "./$lib"); do
		add_lib "$so" "/$lib"
	done
}
# add_elf PATH: the program at PATH (absolute) in the tree, with its loader and libraries.
add_elf() {
	local so interp
	mkdir -p "./$(dirname "$1")"
	cp "$from$1" "./$1"
	interp=$(readelf -l "./$1" | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]$/\1/p')
	if [ -n "$interp" ] && [ ! -e "./$interp" ]; then
		# Debian 13's libc6 has its loader under /usr (usr/lib64/ leads to
		# usr/lib/x86_64-linux-gnu/); the link /lib64 -> usr/lib64 is base-files', which is
		# not unpacked here. Programs ask for it at /lib64: it goes there.
		local at=$from$interp
		[ -e "$at" ] || at=$from/usr$interp
		[ -e "$at" ] || die "dom0: $interp, the dynamic loader of $1, is not in $where: $fix"
		mkdir -p "./$(dirname "$interp")"
		cp -L "$at" "./$interp"
		loaders="$loaders$(basename "$interp") "
	fi
	for so in $(needed "./$1"); do
		add_lib "$so" "$1"
	done
}
step "Xen $series toolstack"
for t in $tools; do
	add_elf "$xenbin/$t"
done
add_elf "$xsbin"
for c in $xscmds; do
	ln -sf xenstore "./$xsbin-$c"
done
# libgcc_s is dlopen()ed by glibc at thread exit (no DT_NEEDED names it): xl aborts without it.
add_lib libgcc_s.so.1 "glibc (dlopen at thread exit)"
echo "$series: $origin" >"$out/toolstack.new"

step "writing initramfs.cpio.gz"
# Fixed owner (root) whoever builds it.
find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -9 >"$out/initramfs.cpio.gz.tmp"
# Linux only recognises an uncompressed cpio appended after a compressed one if it starts at a
# 4-byte aligned offset; it skips NUL bytes between archives.  Pad to 512 bytes.
size=$(stat -c %s "$out/initramfs.cpio.gz.tmp")
head -c $(((512 - size % 512) % 512)) /dev/zero >>"$out/initramfs.cpio.gz.tmp"
cp "$kdir/boot/vmlinuz-$kver" "$out/vmlinuz.tmp"
cd "$out"
rm -rf "$root" "$kdir" "$out/toolstack.tmp"
mv -f vmlinuz.tmp vmlinuz
mv -f initramfs.cpio.gz.tmp initramfs.cpio.gz
mv -f toolstack.new toolstack
step "done: $out/vmlinuz ($kver), $out/initramfs.cpio.gz ($(du -k initramfs.cpio.gz | cut -f1) KiB)"
