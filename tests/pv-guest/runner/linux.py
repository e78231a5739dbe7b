"""The Debian Linux kernels a `kernel="linux"` entry boots as a PV domU (Entry.linux).

  6.1   Debian 12's, the kernel xl mode's dom0 runs (DOM0/vmlinuz, dom0/build-initramfs.sh)
  6.12  Debian 13's linux-image-amd64, fetched once through scripts/apt-private (the private
        sources list in XEN_CACHE/apt that Xen 4.20's build uses) into DOM0-linux6.12/: its
        .deb is kept there, so later builds need no network, and only boot/vmlinuz-* is
        unpacked, to DOM0-linux6.12/vmlinuz

A kernel's version is read from the bzImage itself (its setup header's kernel_version string),
so a report names what ran, not what was asked for. Xen and xl boot the ELF inside it,
unpacked once into BUILD/linux/ (runner/vmlinux.py): given the bzImage, Xen decompressed dom0's
at every boot and xl the domU's at every domain it built, each for seconds under TCG.
"""

import glob
import os
import re
import struct
import subprocess

from . import RunnerError, vmlinux

VERSIONS = ("6.1", "6.12")
APT_PRIVATE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                            "scripts", "apt-private"))


def folder(version, dom0):
    return dom0 if version == "6.1" else f"{dom0}-linux{version}"


def unpack(version, dom0, build):
    """The path of Linux VERSION's ELF in BUILD/linux/, unpacked from its vmlinuz (ensure())
    if it is not there yet."""
    return vmlinux.unpack(os.path.join(folder(version, dom0), "vmlinuz"), os.path.join(build, "linux"))


def ensure(version, dom0, xen_cache):
    """The vmlinuz of Linux VERSION, fetched first if it is missing (6.12)."""
    if version not in VERSIONS:
        raise RunnerError(f"Linux {version}: the Linux guests are {', '.join(VERSIONS)}")
    where = folder(version, dom0)
    path = os.path.join(where, "vmlinuz")
    if os.path.exists(path) or version == "6.1":
        return path            # 6.1 is dom0's, which check_host builds
    os.makedirs(where, exist_ok=True)
    log = os.path.join(where, "apt.log")
    deb = latest(where)
    if deb is None:
        apt = os.path.join(xen_cache, "apt")
        with open(log, "w") as f:
            r = subprocess.run([APT_PRIVATE, apt, "apt-cache", "depends", "linux-image-amd64"],
                               stdout=subprocess.PIPE, stderr=f, text=True)
            pkg = next(iter(re.findall(r"Depends: (linux-image-6\.12\.\S+-amd64)$", r.stdout, re.M)), None)
            if pkg is None:
                raise RunnerError(f"Debian 13's linux-image-amd64 names no linux-image-6.12 package "
                                  f"(scripts/apt-private {apt}; log: {log}): check the network")
            if subprocess.run([APT_PRIVATE, apt, "apt-get", "-q", "download", pkg], cwd=where,
                              stdout=f, stderr=f).returncode or latest(where) is None:
                raise RunnerError(f"cannot download {pkg} with scripts/apt-private {apt} (log: {log})")
        deb = latest(where)
    tar = subprocess.run(f"dpkg-deb --fsys-tarfile '{deb}' | tar -xO --wildcards './boot/vmlinuz-*' "
                         f"> '{path}.tmp'", shell=True)
    if tar.returncode or not os.path.getsize(path + ".tmp"):
        raise RunnerError(f"{deb} holds no ./boot/vmlinuz-*")
    os.replace(path + ".tmp", path)
    return path


def latest(where):
    debs = sorted(glob.glob(os.path.join(where, "linux-image-*_amd64.deb")))
    return debs[-1] if debs else None


def version_of(vmlinuz):
    """The kernel's release and Debian version ("6.1.0-57-amd64 (Debian 6.1.192-3)"), from the
    version string in a bzImage's setup header; None if the image has none."""
    try:
        with open(vmlinuz, "rb") as f:
            head = f.read(0x8000)
    except OSError:
        return None
    if head[0x202:0x206] != b"HdrS":
        return None
    (offset,) = struct.unpack_from("<H", head, 0x20e)
    text = head[offset + 0x200:offset + 0x300].split(b"\0", 1)[0].decode("ascii", "replace")
    release = text.split(" ", 1)[0]
    debian = re.search(r" Debian (\S+) ", text)
    return (release + (f" (Debian {debian.group(1)})" if debian else "")) or None
