#!/usr/bin/env python3
"""Host-side unit tests of the test runner's pure logic (tests/pv-guest/runner/): the --shard
split, the --junit writer, the collector of Xen's complaints and the serial line reader, on
made-up input; no QEMU, no Xen, no build needed.

  python3 tests/host/runner_test.py     (make host-test)
"""

import os
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pv-guest"))
from runner import RunnerError, junit, qemu, shard  # noqa: E402
from runner.judge import Result  # noqa: E402
from runner.xenlog import XenLog  # noqa: E402
from runner.suite import scenarios  # noqa: E402

# The scenarios' names and variants like the suite's, made up so that no build is needed.
NAMES = sorted({s for s in scenarios()} | {f"{s}-{v}" for s in scenarios() for v in ("2", "4", "8", "inject", "xl")})


class Named:
    def __init__(self, name):
        self.name = name


class ShardTest(unittest.TestCase):
    def test_every_test_in_exactly_one_shard(self):
        entries = [Named(n) for n in NAMES]
        for n in range(1, 9):
            parts = [shard.select(entries, k, n) for k in range(1, n + 1)]
            names = [e.name for part in parts for e in part]
            self.assertEqual(sorted(names), NAMES, f"N={n}: not every test in exactly one shard")

    def test_deterministic_and_by_name_alone(self):
        entries = [Named(n) for n in NAMES]
        self.assertEqual([e.name for e in shard.select(entries, 2, 4)],
                         [e.name for e in shard.select(entries, 2, 4)])
        # A test's shard does not depend on the tests beside it, nor on their order.
        alone = {n: shard.shard_of(n, 4) for n in NAMES}
        for k in range(1, 5):
            picked = shard.select(list(reversed(entries[:len(entries) // 2])), k, 4)
            self.assertTrue(all(alone[e.name] == k for e in picked))
        # The same on every machine and Python: SHA-256, pinned.
        self.assertEqual({n: shard.shard_of(n, 4) for n in PINNED}, PINNED)

    def test_one_shard_is_everything(self):
        entries = [Named(n) for n in NAMES]
        self.assertEqual(shard.select(entries, 1, 1), entries)

    def test_parse(self):
        self.assertEqual(shard.parse("1/4"), (1, 4))
        self.assertEqual(shard.parse("4/4"), (4, 4))
        for bad in ("0/3", "4/3", "x", "", "1/0", "-1/3", "1/3/4", "a/b"):
            with self.assertRaises(RunnerError, msg=bad) as caught:
                shard.parse(bad)
            self.assertNotIn("\n", str(caught.exception))


# sha256(name) % 4 + 1, computed once when the split was chosen.
PINNED = {"smoke-xentrace": 1, "smoke": 2, "fault-unmapped": 3, "kernel-bug": 4}


def results():
    return [
        Result("smoke", "direct", 1.5, "ok", None, "/b/logs/smoke.log", figures=["hypercalls=12"]),
        Result("fault-unmapped-xl", "xl", 30.25, "fail", "expected FAILURE, got <none> & \"more\"",
               "/b/logs/fault-unmapped-xl.log", reported=["FATAL: page fault at \x1b[1m0x0\x00"],
               xen=["arch/x86/mm.c:2940:d1v0 Bad type (saw 1 != exp 2) for mfn 1ed05"],
               figures=["xen_complaints=1"]),
        Result("lifecycle-migrate", "xl", 0.0, "skip", "needs a Xen with shadow paging", None),
        Result("hang", "direct", 90.0, "fail", "timeout after 90 s: ]]> <![CDATA[", "/b/logs/hang.log"),
    ]


class JUnitTest(unittest.TestCase):
    def written(self, rs, properties=(("xen", "debian: Xen 4.17.7 <release>"), ("tlb_model", "loaded_mm"))):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "sub", "junit.xml")
            junit.write(path, rs, list(properties), 123.4)
            return ET.parse(path).getroot()   # expat: raises if the file is not well-formed XML

    def test_parses_and_counts_match(self):
        root = self.written(results())
        suite = root.find("testsuite")
        cases = suite.findall("testcase")
        self.assertEqual(len(cases), 4)
        for element in (root, suite):
            self.assertEqual(element.get("tests"), "4")
            self.assertEqual(element.get("failures"), str(sum(c.find("failure") is not None for c in cases)))
            self.assertEqual(element.get("skipped"), str(sum(c.find("skipped") is not None for c in cases)))
        self.assertEqual(suite.get("failures"), "2")
        self.assertEqual(suite.get("skipped"), "1")

    def test_content(self):
        suite = self.written(results()).find("testsuite")
        props = {p.get("name"): p.get("value") for p in suite.find("properties")}
        self.assertEqual(props, {"xen": "debian: Xen 4.17.7 <release>", "tlb_model": "loaded_mm"})
        case = suite.find("testcase[@name='fault-unmapped-xl']")
        self.assertEqual(case.get("classname"), "pvmm.xl")
        self.assertEqual(case.get("time"), "30.250")
        failure = case.find("failure")
        self.assertEqual(failure.get("message"), "expected FAILURE, got <none> & \"more\"")
        self.assertIn("| FATAL: page fault at \ufffd[1m0x0\ufffd", failure.text)
        self.assertIn("xen: arch/x86/mm.c:2940:d1v0 Bad type", failure.text)
        self.assertIn("log: /b/logs/fault-unmapped-xl.log", failure.text)
        self.assertIn("xen_complaints=1", case.find("system-out").text)
        self.assertEqual(suite.find("testcase[@name='smoke']/system-out").text,
                         "hypercalls=12\nlog: /b/logs/smoke.log")
        self.assertIsNone(suite.find("testcase[@name='smoke']/failure"))
        self.assertEqual(suite.find("testcase[@name='lifecycle-migrate']/skipped").get("message"),
                         "needs a Xen with shadow paging")
        self.assertIn("]]> <![CDATA[", suite.find("testcase[@name='hang']/failure").text)

    def test_empty_run(self):
        root = self.written([])
        self.assertEqual(root.get("tests"), "0")
        self.assertEqual(root.find("testsuite").findall("testcase"), [])


def collected(mode, lines, name="t"):
    log = XenLog(mode, name)
    for line in lines:
        log.feed(line)
    return log.complaints


class XenLogTest(unittest.TestCase):
    def test_direct(self):
        self.assertEqual(collected("direct", [
            "(XEN) d0 has maximum 232 PIRQs",                   # boot, names dom0 before it runs
            "(XEN) Selftest 2 failed: Opc f3 0f 1e fa 02 04 04 expected #SS[0000], got #GP[0000]",
            "(XEN) Freed 672kB init memory",
            "pvmm: running test t",
            "(XEN) arch/x86/mm.c:2940:d0v1 Bad type (saw 2400000000000001 != exp e000000000000000) for mfn 1",
            "(XEN) printk: 3 messages suppressed.",
            "(XEN) d0v0 some warning",
            "(XEN) Assertion 'x' failed at arch/x86/mm.c:12",
        ]), ["arch/x86/mm.c:2940:d0v1 Bad type (saw 2400000000000001 != exp e000000000000000) for mfn 1",
             "printk: 3 messages suppressed.", "d0v0 some warning", "Assertion 'x' failed at arch/x86/mm.c:12"])

    def test_xl(self):
        self.assertEqual(collected("xl", [
            "(XEN) arch/x86/pv/emul-priv-op.c:1030:d0v0 RDMSR 0xc0010055 unimplemented",   # dom0's Linux
            "(XEN) printk: 3 messages suppressed.",              # outside the guest's run
            "PVMM-XL: begin other",
            "(XEN) arch/x86/mm.c:1:d1v0 Could not get page type PGT_writable_page",          # another job
            "PVMM-XL: end other status=poweroff",
            "PVMM-XL: begin t",
            "(XEN) d0: Forcing read-only access to MFN fed00",
            "(XEN) arch/x86/mm.c:1014:d2v1 Could not get page type PGT_writable_page",
            "(XEN) domain_crash called from arch/x86/pv/x.c:1",
            "(XEN) Domain 2 (vcpu#1) crashed on cpu#3:",
            "PVMM-XL: end t status=crash",
            "(XEN) d2v0 after the end",
            "(XEN) Xen WARN at common/x.c:5",
        ]), ["arch/x86/mm.c:1014:d2v1 Could not get page type PGT_writable_page",
             "domain_crash called from arch/x86/pv/x.c:1", "Domain 2 (vcpu#1) crashed on cpu#3:",
             "Xen WARN at common/x.c:5"])


class SerialLineTest(unittest.TestCase):
    """runner/qemu.py's reader on a made-up serial line (printf stands in for QEMU)."""

    def lines(self, text):
        with tempfile.TemporaryFile("w+") as log:
            q = qemu.Qemu(["printf", text], log)
            out = []
            while True:
                line = q.next_line(time.monotonic() + 10)
                self.assertIsNot(line, qemu.DEADLINE, "the reader stalled")
                if line is None:
                    return out
                out.append(line)

    def test_xen_line_cutting_into_another_is_taken_out(self):
        self.assertEqual(self.lines("H4sIAAAA(XEN) uart interrupt taking more than 15ms, switched to polling\n"
                                    "BBBB\nPVMM-XL: xentrace-end x\n"),
                         ["(XEN) uart interrupt taking more than 15ms, switched to polling", "H4sIAAAABBBB",
                          "PVMM-XL: xentrace-end x"])

    def test_empty_line_is_a_line_not_the_deadline(self):
        self.assertEqual(self.lines("a\n\nb\n"), ["a", "", "b"])

    def test_deadline(self):
        with tempfile.TemporaryFile("w+") as log:
            q = qemu.Qemu(["sleep", "5"], log)
            self.assertIs(q.next_line(time.monotonic() + 0.2), qemu.DEADLINE)
            q.stop()


if __name__ == "__main__":
    unittest.main(verbosity=1)
