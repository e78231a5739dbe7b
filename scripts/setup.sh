#!/bin/sh
# Install what pvmm needs on Debian 12, skipping what is already there.
# `make run` and `make test` call this; run it alone with `make setup`; make bench
# calls it with `bench`.
set -eu

# flex, bison and dpkg-dev: scripts/xen-build (XEN=4.17-debug, 4.17-shadow: docs/xen.md).
# spin: make model (model/README.md). zstd: Debian 13's Linux kernel, unpacked for make bench
# (tests/pv-guest/runner/vmlinux.py).
PACKAGES="gcc make python3 gzip zstd qemu-system-x86 xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils libxen-dev linux-libc-dev busybox-static cpio flex bison dpkg-dev spin"
# `setup.sh bench`: also what make bench draws its charts with.
case "${1:-}" in
bench) PACKAGES="$PACKAGES gnuplot-nox" ;;
"") ;;
*) echo "setup: unknown argument '$1'; use no argument, or 'bench' for make bench's chart tools" >&2; exit 1 ;;
esac

missing=
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "setup: missing packages:$missing; this script needs apt-get (Debian 12): install them by hand" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "setup: missing packages:$missing; run as root or install them: apt-get install$missing" >&2
		exit 1
	fi
else
	SUDO=
fi
echo "setup: installing$missing" >&2
$SUDO apt-get update -q >&2
# xen-hypervisor's postinst may try to update a bootloader this machine does not use.
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing >&2; then
	echo "setup: apt-get could not install:$missing (check the network and apt sources)" >&2
	exit 1
fi
