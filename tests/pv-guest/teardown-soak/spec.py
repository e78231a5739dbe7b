"""teardown-soak: a soak process per vCPU while kernel threads on every vCPU yield and sleep
at random, borrowing whatever mm is loaded. Run in check mode (check=1), every switch, flush
and teardown verifies its invariants; at the end every page is back.

Its length: SOAK_LIFETIMES process lifetimes, 800 by default (CI), 10000 for the full run.
make exports the variable even when it is not set, empty: that means the default."""

import os

from runner import RunnerError
from runner.entry import Entry

_soak = os.environ.get("SOAK_LIFETIMES") or "800"
if not _soak.isdigit() or int(_soak) == 0:
    raise RunnerError(f"SOAK_LIFETIMES={_soak!r}: expected a positive number of lifetimes, e.g. 10000")
SOAK_LIFETIMES = int(_soak)
TIMEOUT = 90 + SOAK_LIFETIMES // 20

ENTRIES = [
    # 4 and 8 vCPUs run exclusive: every vCPU is busy all the time (the kernel threads never
    # idle) and each lifetime waits for all of them (check mode), so beside another QEMU on the
    # same host cores a run slows from about 3 s to 50-130 s (docs/runner.md).
    *[Entry(f"teardown-soak-{n}", f"check=1 lifetimes={SOAK_LIFETIMES}", vcpus=n, timeout=TIMEOUT,
            exclusive=n > 2)
      for n in (2, 4, 8)],
    # lazy=leave: munmaps ask lazy vCPUs to leave while threads of the same mm fault on other
    # vCPUs, in check mode. (It does not show the deadlock of a flusher that waited for them
    # under mm->lock, docs/tlb.md: 4 runs of the old code passed.)
    Entry("teardown-soak-lazy-leave-4", f"check=1 lazy=leave lifetimes={SOAK_LIFETIMES}", vcpus=4,
          timeout=TIMEOUT, exclusive=True),
    Entry("teardown-soak-xl", f"check=1 lifetimes={SOAK_LIFETIMES // 2}", mode="xl", vcpus=4,
          timeout=TIMEOUT),
    # Xen options that take away what pvmm must not rely on: pv-linear-pt=0 refuses an L4 or
    # L3 entry pointing at a table of its own level (pvmm builds no linear page tables), and
    # sched=credit trades Credit2 for the older scheduler, whose wake-up and preemption
    # decisions differ (docs/xen.md).
    Entry("teardown-soak-no-linear-pt", f"check=1 lifetimes={SOAK_LIFETIMES // 2}", vcpus=2,
          timeout=TIMEOUT, xen_args="pv-linear-pt=0"),
    Entry("teardown-soak-credit", f"check=1 lifetimes={SOAK_LIFETIMES // 2}", vcpus=2,
          timeout=TIMEOUT, xen_args="sched=credit"),
]
