"""late-arrival: a vCPU that loads the mm after a munmap's flush read the holders, and caches the
translation the munmap removes, is flushed by the re-read after the multicall: the first flush
misses it, a later one reaches it, and its next read faults. Under inject=no-late-flush no flush
reaches it (its stale read shows in some runs only: an event's kernel entry flushes QEMU's TLB).
One QEMU CPU per vCPU, the late thread spinning in user mode (docs/tlb.md)."""

from runner.entry import Entry

ENTRIES = [
    Entry("late-arrival", vcpus=2, host_cpus=2),
    Entry("late-arrival-inject", "inject=no-late-flush", vcpus=2, host_cpus=2, expect="FAILURE",
          output=[r"no flush reached vCPU 1, which arrived late$"]),
]
