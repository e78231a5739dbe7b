#!/usr/bin/env python3
"""Host-side unit tests of the test runner's pure logic (tests/pv-guest/runner/): the --shard
split, the --junit writer, the collector of Xen's complaints, the serial line reader, the
trace share's reader, and scripts/bench-report's medians and spread, on made-up input; no
QEMU, no Xen, no build needed.

  python3 tests/host/runner_test.py     (make host-test)
"""

import importlib.machinery
import importlib.util
import json
import os
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pv-guest"))
from runner import RunnerError, junit, modes, qemu, shard  # noqa: E402
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


class TraceShareTest(unittest.TestCase):
    """The xentrace-file line: the file dom0 wrote to the 9p share, checked by its size."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.share = os.path.join(self.dir.name, "out")
        os.makedirs(self.share)
        with open(os.path.join(self.share, "t.xentrace"), "wb") as f:
            f.write(b"\x03\xf0\x01\x20" * 4)

    def tearDown(self):
        self.dir.cleanup()

    def read(self, line, share="share"):
        out = modes.Outcome()
        error = modes.read_trace_file(out, line, self.share if share == "share" else share, self.dir.name)
        return out, error

    def test_taken_when_the_size_matches(self):
        out, error = self.read("PVMM-XL: xentrace-file t domid=3 bytes=16")
        self.assertIsNone(error)
        self.assertEqual((len(out.trace), out.trace_domid), (16, 3))
        self.assertTrue(os.path.exists(os.path.join(self.dir.name, "xentrace.bin")))

    def test_cut_short(self):
        out, error = self.read("PVMM-XL: xentrace-file t domid=? bytes=17")
        self.assertIn("16 bytes, dom0 wrote 17", error)
        self.assertIsNone(out.trace)

    def test_missing_file_and_no_share(self):
        self.assertIn("cannot be read", self.read("PVMM-XL: xentrace-file u domid=1 bytes=16")[1])
        self.assertIn("has none", self.read("PVMM-XL: xentrace-file t domid=1 bytes=16", None)[1])
        self.assertIn("malformed", self.read("PVMM-XL: xentrace-file t bytes=16")[1])


def bench_report():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "bench-report")
    loader = importlib.machinery.SourceFileLoader("bench_report", path)
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("bench_report", loader))
    loader.exec_module(module)
    return module


class BenchReportTest(unittest.TestCase):
    """Medians with their spread over a system's runs, time paired with pvmm's run of the same
    number, and the list of figures that moved by more than 10%."""

    def setUp(self):
        self.br = bench_report()
        self.dir = tempfile.TemporaryDirectory()
        os.makedirs(os.path.join(self.dir.name, "bench"))
        # pvmm's calls 4, 4, 4 and ticks 100, 200, 100; Linux's 10, 20, 12 and 300, 400, 1000.
        for name, calls, ticks in (("init-bench", (4, 4, 4), (100, 200, 100)),
                                   ("init-bench-linux", (10, 20, 12), (300, 400, 1000))):
            for k, (c, t) in enumerate(zip(calls, ticks), 1):
                self.run_file(f"{name}-run{k}", c, t)
        # a stale single run that the runs' files must win over
        self.run_file("init-bench", 99, 1)

    def run_file(self, name, calls, ticks):
        per = {"hypercalls": calls, "hypercalls_vcpu0": calls, "multicall_entries": 1, "faults": 0,
               "ptwr": 0, "privop": 0, "tsc_ticks": ticks}
        with open(os.path.join(self.dir.name, "bench", name + ".json"), "w") as f:
            json.dump({"name": name, "vcpus": 2, "tsc_mhz": 1000.0, "xen": "x",
                       "phases": [{"name": "marker", "iterations": 20, "per_iteration": per},
                                  {"name": "op", "iterations": 20, "per_iteration": per}]}, f)

    def tearDown(self):
        self.dir.cleanup()

    def test_medians_spread_and_time(self):
        phases, rows = self.br.rows_of([self.dir.name, os.path.join(self.dir.name, "none")], "init-bench", None)
        self.assertEqual(phases, ["op"])
        by = {r["system"]: r for r in rows}
        self.assertEqual(set(by), {"pvmm", "Linux 6.1"})
        self.assertEqual(by["pvmm"]["calls"], (4, 4, 4))
        self.assertEqual(by["Linux 6.1"]["calls"], (12, 10, 20))
        # run K against pvmm's run K: 3, 2, 10
        for got, want in zip(by["Linux 6.1"]["time"], (3.0, 2.0, 10.0)):
            self.assertAlmostEqual(got, want)
        moved = "\n".join(self.br.moved(rows))
        self.assertIn("| op | 2 | Linux 6.1 | calls |", moved)
        self.assertNotIn("| pvmm | calls |", moved)

    def test_one_event_is_not_a_move(self):
        row = {"workload": "w", "vcpus": 2, "system": "s", "runs": 3, "iterations": 20,
               **{k: None for k, _ in self.br.FIGURES}}
        row["calls"] = (0.10, 0.05, 0.10)
        self.assertEqual(self.br.moved([row])[0], "No figure moved by more than 10% of its median between runs.")


if __name__ == "__main__":
    unittest.main(verbosity=1)
