"""lazy-borrow: a kernel thread runs after a user process on a vCPU and lazily keeps its mm
(no hypercall); the process's mm is changed and flushed from another vCPU, which must include
the lazy vCPU, and no stale entry survives. inject=no-remote-flush shows the flush's reach
failing."""

from runner.entry import Entry

ENTRIES = [
    *[Entry(f"lazy-borrow-{n}", vcpus=n, host_cpus=n) for n in (2, 4, 8)],
    Entry("lazy-borrow-inject", "inject=no-remote-flush", vcpus=2, expect="FAILURE",
          output=[r"the flush did not reach the lazy vCPU 1$"]),
]
