#!/bin/bash
# build-initramfs.sh OUTDIR -- build the dom0 half of the "real toolstack" test path.
#
# Produces, cached (nothing is done when both are newer than this script and ./init):
#   OUTDIR/vmlinuz            Debian 6.1 dom0 kernel (linux-image-6.1.0-NN-amd64, fetched with
#                             "apt-get download" into OUTDIR and unpacked with dpkg -x; never
#                             installed)
#   OUTDIR/initramfs.cpio.gz  busybox initramfs (newc): /init (./init), the xen modules of that
#                             kernel, xl, xenstored, xenconsoled, xen-init-dom0, xentrace,
#                             libxl-save-helper, the xenstore-* tools and every shared library
#                             they need
#
# Boot: Xen multiboot modules "OUTDIR/vmlinuz console=hvc0 ...", then the concatenation of
# initramfs.cpio.gz and an uncompressed newc cpio holding /jobs/ (see ./init for that contract).
set -eu

die() { echo "pvmm: $*" >&2; exit 1; }
step() { echo "pvmm: dom0: $*" >&2; }

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)

# Leave no half-built tree (the unpacked kernel is 400 MB) behind on failure.
trap 'rm -rf "$out/kernel.tmp" "$out/initramfs.tmp" "$out/vmlinuz.tmp" "$out/initramfs.cpio.gz.tmp"' EXIT

newer() { [ -e "$1" ] && [ "$1" -nt "$src/build-initramfs.sh" ] && [ "$1" -nt "$src/init" ]; }
if newer "$out/vmlinuz" && newer "$out/initramfs.cpio.gz"; then
	exit 0
fi

xenver=4.17
xenbin=/usr/lib/xen-$xenver/bin
tools="xl xenstored xenconsoled xen-init-dom0 xentrace libxl-save-helper"
# The xenstore command-line tools: one binary that acts on the name it is run as.
xsbin=/usr/bin/xenstore
xscmds="read write ls list rm exists watch chmod"
# Load order matters: xenfs needs a symbol of xen-privcmd.  Dependencies found in the
# modules' own "depends=" field are put in front of whoever needs them.
modules="xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc"

# Host prerequisites, one clear line each.
for t in $tools; do
	[ -x "$xenbin/$t" ] || die "missing $xenbin/$t: install xen-utils-$xenver"
done
[ -x "$xsbin" ] || die "missing $xsbin: install xenstore-utils"
[ -x /bin/busybox ] || die "missing /bin/busybox: install busybox-static"
# A dynamic busybox (package "busybox") would need its libraries too.
LC_ALL=C ldd /bin/busybox 2>&1 | grep -q 'not a dynamic executable' ||
	die "/bin/busybox is not static: install busybox-static"
for t in cpio:cpio gzip:gzip ldd:libc-bin dpkg:dpkg apt-get:apt apt-cache:apt; do
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
chmod 755 init

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

# Xen tools at their host path, with their libraries (and the loader) at the paths ldd
# reports.  libgcc_s is dlopen()ed by glibc at thread exit: xl aborts without it.
libs=
for t in $tools; do
	cp "$xenbin/$t" "./$xenbin/$t"
	libs="$libs $(ldd "$xenbin/$t" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p')"
done
mkdir -p "./$(dirname "$xsbin")"
cp "$xsbin" "./$xsbin"
for c in $xscmds; do
	ln -sf xenstore "./$xsbin-$c"
done
libs="$libs $(ldd "$xsbin" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p')"
gcc=$(ldconfig -p 2>/dev/null | sed -n 's/.*libgcc_s\.so\.1 (libc6,x86-64) => //p' | head -n 1)
[ -n "$gcc" ] || gcc=/lib/x86_64-linux-gnu/libgcc_s.so.1
[ -e "$gcc" ] || die "missing libgcc_s.so.1: install libgcc-s1"
for l in $(echo $libs $gcc | tr ' ' '\n' | sort -u); do
	mkdir -p "./$(dirname "$l")"
	cp -L "$l" "./$l"
done

step "writing initramfs.cpio.gz"
# Fixed owner (root) whoever builds it.
find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -9 >"$out/initramfs.cpio.gz.tmp"
# Linux only recognises an uncompressed cpio appended after a compressed one if it starts at a
# 4-byte aligned offset; it skips NUL bytes between archives.  Pad to 512 bytes.
size=$(stat -c %s "$out/initramfs.cpio.gz.tmp")
head -c $(((512 - size % 512) % 512)) /dev/zero >>"$out/initramfs.cpio.gz.tmp"
cp "$kdir/boot/vmlinuz-$kver" "$out/vmlinuz.tmp"
cd "$out"
rm -rf "$root" "$kdir"
mv -f vmlinuz.tmp vmlinuz
mv -f initramfs.cpio.gz.tmp initramfs.cpio.gz
step "done: $out/vmlinuz ($kver), $out/initramfs.cpio.gz ($(du -k initramfs.cpio.gz | cut -f1) KiB)"
