#!/usr/bin/env python3
"""Host-side unit tests of how the runner tells what a Xen image is (runner/xen.py): the
checks that refuse what is not a bootable Xen, and the description read from the .config an
image carries or that lies beside it; on made-up images, no QEMU and no Xen needed.

  python3 tests/host/xen_image_test.py     (make host-test)
"""

import gzip
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pv-guest"))
from runner import RunnerError, xen  # noqa: E402

CONFIG = ("#\n# Automatically generated file; DO NOT EDIT.\n# Xen/x86 4.19.1-pre Configuration\n#\n"
          "CONFIG_X86_64=y\nCONFIG_SHADOW_PAGING=y\n# CONFIG_DEBUG is not set\nCONFIG_PERF_COUNTERS=y\n")


def image(config=None, multiboot=True, version=True):
    """A made-up Xen ELF: the ELF magic, a multiboot header, the version string, and the
    .config gzipped as CONFIG_HYPFS_CONFIG embeds it."""
    data = bytearray(b"\x7fELF" + b"\0" * 60)
    if multiboot:
        data += xen.MULTIBOOT_MAGIC + b"\0" * 8
    data += b"\0" * 100 + (b"Xen version %d.%d%s\0" if version else b"")
    if config is not None:
        data += b"\0\x1f\x8b\x08junk" + gzip.compress(config.encode()) + b"\0" * 16
    return bytes(data)


class XenImageTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.cache = os.path.join(self.dir.name, "cache")

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, data):
        path = os.path.join(self.dir.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_embedded_config_describes_the_image(self):
        x = xen.resolve(self.write("xen", image(CONFIG)), self.cache)
        self.assertEqual((x.version, x.debug, x.shadow, x.perf_counters, x.series),
                         ("4.19.1-pre", False, True, True, "4.19"))
        self.assertIn("Xen 4.19.1-pre, release, shadow paging on", x.describe())

    def test_gzipped_image_is_unpacked_into_the_cache(self):
        x = xen.resolve(self.write("xen.gz", gzip.compress(image(CONFIG))), self.cache)
        self.assertTrue(x.elf.startswith(self.cache))
        with open(x.elf, "rb") as f:
            self.assertEqual(f.read(4), b"\x7fELF")

    def test_config_beside_the_image_when_none_inside(self):
        path = self.write("xen.gz", gzip.compress(image()))
        self.write(".config", CONFIG.replace("# CONFIG_DEBUG is not set", "CONFIG_DEBUG=y").encode())
        x = xen.resolve(path, self.cache)
        self.assertEqual((x.version, x.debug), ("4.19.1-pre", True))

    def test_unknown_when_nothing_says(self):
        x = xen.resolve(self.write("xen", image()), self.cache)
        self.assertEqual((x.version, x.debug, x.shadow, x.series), (None, None, None, None))
        self.assertIn("(version unknown), ?, shadow paging ?", x.describe())

    def test_refusals_name_what_is_wrong(self):
        cases = [(self.write("notes.txt", b"hello"), "neither gzip nor ELF"),
                 (self.write("bad.gz", b"\x1f\x8b\x08\0garbage"), "does not unpack"),
                 (self.write("xen-syms", image(CONFIG, multiboot=False)), "without a multiboot header"),
                 (self.write("other", image(CONFIG, version=False)), "not Xen"),
                 (os.path.join(self.dir.name, "missing", "xen.gz"), "cannot read it"),
                 ("no-such-build", "unknown; give debian")]
        for path, words in cases:
            with self.assertRaises(RunnerError, msg=path) as e:
                xen.resolve(path, self.cache)
            self.assertIn(words, str(e.exception))
            self.assertNotIn("\n", str(e.exception))


if __name__ == "__main__":
    unittest.main(verbosity=1)
