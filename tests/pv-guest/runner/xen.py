"""Which Xen a run boots: Debian's binary, one of pvmm's named builds, or a user's own image,
and what that Xen is (version, debug, shadow paging), read from the image itself.

  debian        Debian 12's xen-hypervisor-4.17-amd64, /boot/xen-4.17-amd64.gz (the default)
  4.17-debug    named builds, made once by scripts/xen-build and cached in XEN_CACHE/NAME/
  4.17-shadow
  4.20
  PATH          a xen.gz or xen ELF built from the user's own tree (xen/xen.gz, xen/xen)

Every Xen built with CONFIG_HYPFS_CONFIG (Debian's config has it) carries its own .config,
gzipped, inside the image; a user's image without it is described from the .config beside it
(a built tree has xen/.config next to xen/xen.gz), or as far as the image alone says.
"""

import gzip
import os
import re
import subprocess
import zlib
from dataclasses import dataclass
from typing import Optional

from . import RunnerError

DEBIAN_GZ = "/boot/xen-4.17-amd64.gz"
DEBIAN_PACKAGE = "xen-hypervisor-4.17-amd64"
NAMED = ("4.17-debug", "4.17-shadow", "4.20")
BUILD_SCRIPT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                             "scripts", "xen-build"))
MULTIBOOT_MAGIC = (0x1BADB002).to_bytes(4, "little")
MULTIBOOT2_MAGIC = (0xE85250D6).to_bytes(4, "little")


@dataclass
class Xen:
    spec: str                 # what the user asked for: debian, a build's name, or a path
    image: str                # the xen.gz or ELF it comes from
    elf: str                  # the multiboot ELF QEMU boots (gunzipped into the cache)
    origin: str               # a Debian package's version, a named build's source, or "your image"
    version: Optional[str]    # 4.17.7, 4.20.4, ...; None when the image does not say
    debug: Optional[bool]
    shadow: Optional[bool]
    perf_counters: Optional[bool]
    changeset: Optional[str]
    args: str = ""            # XEN_ARGS: added to Xen's command line for every test
    cache: str = ""           # the folder of the named builds (and scripts/apt-private's state, apt/)

    @property
    def series(self):
        """Major.minor ("4.17"), which picks xl mode's toolstack; None when unknown."""
        m = re.match(r"^(\d+\.\d+)", self.version or "")
        return m.group(1) if m else None

    def describe(self):
        """One line naming this Xen, for every log, the TAP header, JUnit and the bench report."""
        def flag(value, yes, no):
            return "?" if value is None else (yes if value else no)
        parts = [f"Xen {self.version or '(version unknown)'}",
                 flag(self.debug, "debug", "release"),
                 "shadow paging " + flag(self.shadow, "on", "off")]
        if self.perf_counters:
            parts.append("perf counters")
        if self.changeset:
            parts.append(self.changeset)
        if self.args:
            parts.append(f"options '{self.args}'")
        return f"{self.spec}: " + ", ".join(parts) + f" ({self.origin}; {self.image})"


def embedded_config(data):
    """The .config a Xen image carries (CONFIG_HYPFS_CONFIG: a gzip stream in .rodata), or None."""
    start = 0
    while True:
        i = data.find(b"\x1f\x8b\x08", start)
        if i < 0:
            return None
        start = i + 1
        try:
            text = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[i:i + (1 << 20)], 1 << 20)
        except zlib.error:
            continue
        if b"CONFIG_" in text and text.lstrip().startswith(b"#"):
            return text.decode("utf-8", "replace")


def read_image(path):
    """The image's bytes, gunzipped if it is a xen.gz; a clear error if it is no Xen image."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise RunnerError(f"XEN={path}: cannot read it ({e.strerror}): give a xen.gz or xen ELF "
                          "from a built Xen tree (xen/xen.gz)")
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as e:
            raise RunnerError(f"XEN={path}: not a Xen image: a gzip file that does not unpack ({e})")
    if data[:4] != b"\x7fELF":
        raise RunnerError(f"XEN={path}: not a Xen image (neither gzip nor ELF): give xen/xen.gz or xen/xen "
                          "from a built Xen tree")
    head = data[:32768]
    if MULTIBOOT_MAGIC not in head and MULTIBOOT2_MAGIC not in head:
        raise RunnerError(f"XEN={path}: an ELF without a multiboot header, so not a bootable Xen "
                          "(xen-syms is not: give xen/xen.gz or xen/xen)")
    if b"Xen version" not in data and b"xen_version" not in data:
        raise RunnerError(f"XEN={path}: a multiboot ELF, but not Xen (no Xen version string in it)")
    return data


def describe_config(text):
    """(version, debug, shadow, perf_counters) from a Xen .config's text."""
    m = re.search(r"^# Xen/x86 (\S+) Configuration", text, re.M)

    def on(name):
        return re.search(rf"^CONFIG_{name}=y$", text, re.M) is not None
    return (m.group(1) if m else None), on("DEBUG"), on("SHADOW_PAGING"), on("PERF_COUNTERS")


def resolve(spec, cache, args=""):
    """The Xen that XEN=SPEC names, its ELF ready in CACHE (named builds are made there first);
    ARGS go on its command line in every run."""
    spec = spec or "debian"
    if spec == "debian":
        image = DEBIAN_GZ
        if not os.path.exists(image):
            raise RunnerError(f"{image} not found: install {DEBIAN_PACKAGE} (scripts/setup.sh does)")
        version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", DEBIAN_PACKAGE],
                                 capture_output=True, text=True).stdout.strip()
        origin = f"Debian 12 package {DEBIAN_PACKAGE} {version or '(version unknown)'}"
    elif spec in NAMED:
        image = os.path.join(cache, spec, "xen.gz")
        if not os.path.exists(image):
            if subprocess.run([BUILD_SCRIPT, cache, spec]).returncode:
                raise RunnerError(f"XEN={spec}: scripts/xen-build could not make it (see the message above)")
        with open(os.path.join(cache, spec, "origin")) as f:
            origin = f.read().strip()
    elif "/" in spec or spec.endswith((".gz", ".elf")) or os.path.exists(spec):
        image = os.path.abspath(spec)
        origin = "your image"
    else:
        raise RunnerError(f"XEN={spec}: unknown; give debian (the default), one of {', '.join(NAMED)} "
                          "(built once by scripts/xen-build), or the path of a xen.gz or xen ELF")
    data = read_image(image)
    config = embedded_config(data)
    beside = os.path.join(os.path.dirname(image), ".config")
    if config is None and os.path.exists(beside):
        with open(beside, errors="replace") as f:
            config = f.read()
    version = debug = shadow = perf = None
    if config is not None:
        version, debug, shadow, perf = describe_config(config)
    m = re.search(rb"git:[0-9a-f]{7,40}", data)
    return Xen(spec, image, elf_in_cache(data, image, cache), origin, version, debug, shadow, perf,
               m.group(0).decode() if m else None, args, cache)


def elf_in_cache(data, image, cache):
    """The gunzipped image in CACHE, named after its source and rewritten when that changes."""
    os.makedirs(cache, exist_ok=True)
    key = re.sub(r"[^\w.-]", "_", os.path.abspath(image).strip("/")) + ".elf"
    out = os.path.join(cache, "elf", key)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(image):
        with open(out + f".tmp{os.getpid()}", "wb") as f:
            f.write(data)
        os.replace(out + f".tmp{os.getpid()}", out)
    return out
