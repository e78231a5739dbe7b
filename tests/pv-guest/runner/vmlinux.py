"""The ELF kernel inside a Linux bzImage, unpacked once on the host.

A bzImage is a real-mode setup, a small decompressor and the kernel's ELF (vmlinux, stripped)
as one compressed payload: xz in Debian 12's 6.1, zstd in Debian 13's 6.12. Given a bzImage,
xl create has libxenguest find that payload and decompress it in dom0's user space, and under
QEMU's TCG that took 10 s for 6.1's 8 MB of xz (4 s for 6.12's zstd) at every domain it built
(docs/bench.md, "How long it takes"). Given the ELF itself, libxenguest loads it as it is: the
same bytes reach the same guest addresses, so the guest cannot tell, and neither can Xen's
counts of what it does once it runs.

The setup header says where the payload is (boot protocol 2.08+: payload_offset and
payload_length at 0x248, counted from the end of the setup sectors); the kernel's build
appends the ELF's size to the compressed stream as 4 little-endian bytes, which checks the
result.

The ELF is kept in a folder named by the bzImage's SHA-256: a fetch of another kernel into the
same place, or a dom0 folder of another series, can never find a stale one.
"""

import hashlib
import lzma
import os
import struct
import subprocess

from . import RunnerError

XZ_MAGIC = b"\xfd7zXZ\x00"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def payload(bzimage):
    """The compressed payload of a bzImage's bytes, without the appended size, and that size."""
    if bzimage[0x202:0x206] != b"HdrS":
        raise RunnerError("not a bzImage: no 'HdrS' setup header")
    (version,) = struct.unpack_from("<H", bzimage, 0x206)
    if version < 0x208:
        raise RunnerError(f"boot protocol {version >> 8}.{version & 0xff}: no payload fields (2.08+)")
    setup = (bzimage[0x1f1] or 4) + 1          # setup sectors, the boot sector included
    offset, length = struct.unpack_from("<II", bzimage, 0x248)
    start = setup * 512 + offset
    data = bzimage[start:start + length]
    if len(data) != length or length < 8:
        raise RunnerError("the payload runs past the end of the bzImage")
    (size,) = struct.unpack_from("<I", data, length - 4)
    return data[:-4], size


def decompress(data):
    """The payload's ELF: xz with Python's lzma, zstd with the zstd program."""
    if data.startswith(XZ_MAGIC):
        d = lzma.LZMADecompressor(lzma.FORMAT_XZ)
        elf = d.decompress(data)
        if not d.eof:
            raise RunnerError("the xz payload ends before its stream does")
        return elf
    if data.startswith(ZSTD_MAGIC):
        try:
            r = subprocess.run(["zstd", "-q", "-d", "-c"], input=data, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
        except OSError:
            raise RunnerError("zstd not found: install zstd (scripts/setup.sh does)")
        if r.returncode:
            raise RunnerError("zstd could not decompress the payload: " + r.stderr.decode(errors="replace").strip())
        return r.stdout
    raise RunnerError(f"payload compressed with an unknown method (magic {data[:6].hex()})")


def unpack(vmlinuz, cache):
    """The ELF inside the bzImage VMLINUZ, as CACHE/SHA/vmlinux, made if it is not there."""
    with open(vmlinuz, "rb") as f:
        bzimage = f.read()
    elf_path = os.path.join(cache, hashlib.sha256(bzimage).hexdigest()[:16], "vmlinux")
    if os.path.exists(elf_path):
        return elf_path
    data, size = payload(bzimage)
    try:
        elf = decompress(data)
    except RunnerError as e:
        raise RunnerError(f"{vmlinuz}: {e}")
    if len(elf) != size or not elf.startswith(b"\x7fELF"):
        raise RunnerError(f"{vmlinuz}: its payload gave {len(elf)} bytes, not the {size}-byte ELF it announces")
    os.makedirs(os.path.dirname(elf_path), exist_ok=True)
    with open(elf_path + ".tmp", "wb") as f:
        f.write(elf)
    os.replace(elf_path + ".tmp", elf_path)
    return elf_path
