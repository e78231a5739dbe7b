"""lazy-borrow: a kernel thread runs after a user process on a vCPU and lazily keeps its mm
(no hypercall), reading the process's page through it; the process's mm is changed and flushed
from another vCPU, which must include the lazy vCPU, and the kernel thread's next read of the
page faults: no stale TLB entry survives. inject=no-remote-flush shows both failing: the
flush's reach, and the read, which succeeds through the stale entry."""

from runner.entry import Entry

ENTRIES = [
    *[Entry(f"lazy-borrow-{n}", vcpus=n, host_cpus=n) for n in (2, 4, 8)],
    Entry("lazy-borrow-inject", "inject=no-remote-flush", vcpus=2, expect="FAILURE",
          output=[r"the flush did not reach the lazy vCPU 1$",
                  r"the lazy vCPU 1 read the unmapped page through the borrowed table$"]),
]
