"""The pvmm test suite: every guest scenario the runner knows.

A test boots build/pvmm.elf under real Xen with a guest command line, in
one of two modes: "direct" (the guest is Xen's initial domain) or "xl" (a
Linux dom0 starts it as a domU with `xl create`). It passes when the guest
ends as `expect` says (a result word, or "timeout" for a guest that must
never finish) and every extra check holds.
"""

import os
import re
from dataclasses import dataclass, field
from typing import Callable, List, Optional


@dataclass
class Test:
    name: str
    args: str                     # the guest command line
    expect: str = "SUCCESS"       # SUCCESS | FAILURE | SKIP | ERROR | timeout
    mode: str = "direct"          # direct | xl
    vcpus: int = 1
    memory_mb: int = 64
    timeout: int = 90             # seconds, for the whole QEMU run
    # Regular expressions that must each match a line of the guest's output.
    output: List[str] = field(default_factory=list)
    # Run alone, after the others: its vCPUs hand off to each other by spinning, which
    # another QEMU on the same host cores slows by orders of magnitude (1.4 s alone, 90+ s
    # beside another such test).
    exclusive: bool = False
    # Extra check on the guest's output lines: None when it holds, else why not.
    check: Optional[Callable[[List[str]], Optional[str]]] = None
    # xl mode: dom0 records the run with xentrace, and the guest's printed hypercall counts
    # must agree with Xen's (tests/pv-guest/xentrace.py, docs/runner.md).
    xentrace: bool = False


def fault_names_address(lines):
    """The fault report must name the address the guest said it would touch."""
    expected = [m.group(1) for m in map(re.compile(r"^fault_expected_address=(0x[0-9a-f]+)$").match, lines) if m]
    reported = [m.group(1) for m in map(re.compile(r"^fault address: (0x[0-9a-f]+)").match, lines) if m]
    if not expected:
        return "the guest never printed fault_expected_address="
    if not reported:
        return "no 'fault address:' line in the fault report"
    if int(expected[0], 16) != int(reported[0], 16):
        return f"fault report names {reported[0]}, the guest touched {expected[0]}"
    return None


def kill_names_address(lines):
    """The kill report must name the address the program said it would touch."""
    touched = [m.group(1) for m in map(re.compile(r"(?:touching|writing) (0x[0-9a-f]+) after").search, lines) if m]
    killed = [m.group(1) for m in map(re.compile(r"killed: page fault \((?:read|write)\) at (0x[0-9a-f]+)").search, lines) if m]
    if len(touched) != 2 or len(killed) != 2:
        return f"{len(touched)} accesses announced and {len(killed)} kill reports naming an address, 2 each expected"
    for t, k in zip(touched, killed):
        if int(t, 16) != int(k, 16):
            return f"a process was killed at {k}, it touched {t}"
    return None


# The soak's length: short by default (CI), SOAK_LIFETIMES=10000 for the full run. make
# exports the variable even when it is not set, empty: that means the default.
_soak = os.environ.get("SOAK_LIFETIMES") or "800"
if not _soak.isdigit() or int(_soak) == 0:
    raise SystemExit(f"run: SOAK_LIFETIMES={_soak!r}: expected a positive number of lifetimes, e.g. 10000")
SOAK_LIFETIMES = int(_soak)

SUITE = [
    Test("smoke", "test=smoke",
         output=[r"^hypercall\.set_trap_table=1$", r"^mmuext\.TLB_FLUSH_LOCAL=\d+$"]),
    Test("smoke-xl", "test=smoke", mode="xl",
         output=[r"^pvmm: Xen 4\.\d+, domU,", r"^hypercall\.event_channel_op=[1-9]"]),
    Test("fault-unmapped", "test=fault-unmapped", expect="FAILURE",
         output=[r"^FATAL: page fault \(#PF\)", r"^call stack:$"],
         check=fault_names_address),
    Test("fault-unmapped-xl", "test=fault-unmapped", mode="xl", expect="FAILURE",
         output=[r"^FATAL: page fault \(#PF\)", r"^call stack:$"],
         check=fault_names_address),
    Test("unknown-test", "test=no-such-test", expect="ERROR",
         output=[r"^pvmm: unknown test 'no-such-test'; valid tests: .*\bsmoke\b"]),
    Test("malformed-cmdline", "test=smoke oops", expect="ERROR",
         output=[r"^pvmm: malformed command-line option 'oops': expected key=value"]),
    Test("bad-option-value", "test=smoke ticks=lots", expect="ERROR",
         output=[r"^pvmm: malformed value 'lots' for option 'ticks': expected a number$"]),
    Test("unknown-option", "test=smoke colour=blue", expect="ERROR",
         output=[r"^pvmm: unknown option 'colour' for test 'smoke'; valid options: ticks, check, inject, lazy, switch_delay$"]),
    Test("hang", "test=hang", expect="timeout", timeout=25),
    # SMP: bring-up, IPIs, cross-vCPU calls, the scheduler.
    *[Test(f"smp-up-{n}", f"test=smp-up vcpus={n}", vcpus=n) for n in (1, 2, 4, 8, 32)],
    Test("ipi-pairs-4", "test=ipi-pairs rounds=10", vcpus=4),
    Test("ipi-pairs-8", "test=ipi-pairs rounds=3", vcpus=8),
    Test("call-many-4", "test=call-many", vcpus=4),
    Test("call-many-8", "test=call-many", vcpus=8),
    Test("kthreads-lock-4", "test=kthreads-lock", vcpus=4),
    Test("kthreads-lock-8", "test=kthreads-lock threads_per_cpu=2", vcpus=8),
    Test("switch-cost-2", "test=switch-cost", vcpus=2,
         output=[r"^kthread_switch_hypercalls=0$"]),
    # User processes on the PV MMU core.
    Test("user-hello", "test=user-hello", output=[r"^hello: pid \d+, argument 42"]),
    Test("fork-loop", "test=fork-loop", vcpus=2),
    Test("munmap-fault", "test=munmap-fault", check=kill_names_address),
    Test("exec-missing", "test=exec-missing",
         output=[r'^exec-missing: exec\("no-such-program"\) = -2$']),
    Test("user-threads-4", "test=user-threads", vcpus=4),
    Test("user-costs", "test=user-costs", vcpus=2,
         output=[r"^fork_exit_wait\.hypercalls=", r"^mmap64_touch_munmap\.hypercalls="]),
    # The loaded_mm model across vCPUs (issue 5).
    *[Test(f"remote-{op}-{n}", f"test=remote-{op}", vcpus=n, exclusive=True, timeout=240,
           output=[rf"^remote: 1000 rounds, every access after {op} faulted$"])
      for op in ("munmap", "mprotect") for n in (2, 4, 8)],
    # ...and they fail when the remote flush is left out.
    *[Test(f"remote-{op}-inject", f"test=remote-{op} rounds=100 inject=no-remote-flush", vcpus=2,
           expect="FAILURE", output=[rf"^remote: STALE: round \d+: vCPU 1 \w+ 0x[0-9a-f]+ after {op} returned$"])
      for op in ("munmap", "mprotect")],
    *[Test(f"exit-while-lazy-{n}", "test=exit-while-lazy", vcpus=n) for n in (2, 4, 8)],
    *[Test(f"exit-while-lazy-holders-{h}", f"test=exit-while-lazy holders={h}", vcpus=4)
      for h in (0, 1)],
    Test("exit-while-lazy-check", "test=exit-while-lazy check=1", vcpus=4),
    Test("exit-while-lazy-inject", "test=exit-while-lazy inject=no-teardown-drop", vcpus=4,
         expect="FAILURE", output=[r"^hypercall failed: mmu_update\(.*\) = -16 \(EBUSY\)$"]),
    *[Test(f"lazy-borrow-{n}", "test=lazy-borrow", vcpus=n) for n in (2, 4, 8)],
    Test("lazy-borrow-inject", "test=lazy-borrow inject=no-remote-flush", vcpus=2, expect="FAILURE",
         output=[r"the flush did not reach the lazy vCPU 1$"]),
    *[Test(f"queued-cr3-at-teardown-{n}", "test=switch-race switch_delay=after:1500", vcpus=n)
      for n in (2, 4, 8)],
    Test("queued-cr3-at-teardown-inject", "test=switch-race switch_delay=after:1500 inject=ignore-xen-mm",
         vcpus=2, expect="FAILURE", output=[r"^hypercall failed: mmu_update\(.*\) = -16 \(EBUSY\)$"]),
    *[Test(f"lazy-leave-race-{n}", "test=switch-race switch_delay=before:1500", vcpus=n)
      for n in (2, 4, 8)],
    *[Test(f"kernel-flush-{n}", "test=kernel-flush", vcpus=n, exclusive=True, timeout=240,
           output=[r"^remap_and_flush\.hypercalls=1$", r"^ipis_during_flushes=0$"]) for n in (2, 4, 8)],
    Test("kernel-flush-inject", "test=kernel-flush inject=no-remote-flush", vcpus=2, expect="FAILURE",
         output=[r"^FAIL: round \d+: vCPU \d+ read \w+ through the window, \w+ after the flush$"]),
    *[Test(f"flush-cost-{n}", "test=flush-cost", vcpus=n) for n in (2, 4, 8)],
    Test("flush-cost-lazy-leave-4", "test=flush-cost lazy=leave", vcpus=4),
    *[Test(f"exit-after-failed-exec-{n}", "test=exec-missing", vcpus=n) for n in (2, 4, 8)],
    *[Test(f"teardown-soak-{n}", f"test=teardown-soak check=1 lifetimes={SOAK_LIFETIMES}", vcpus=n,
           timeout=90 + SOAK_LIFETIMES // 20) for n in (2, 4, 8)],
    Test("teardown-soak-xl", f"test=teardown-soak check=1 lifetimes={SOAK_LIFETIMES // 2}", mode="xl",
         vcpus=4, timeout=90 + SOAK_LIFETIMES // 20),
    Test("kthreads-lock-xl", "test=kthreads-lock", mode="xl", vcpus=4),
    Test("hang-xl", "test=hang", mode="xl", expect="timeout", timeout=15),
    Test("counters-xentrace", "test=smoke", mode="xl", xentrace=True),
]
