"""table-free-race: munmap frees a 2 MiB region's L1, L2 and L3 tables while a thread on vCPU 1
keeps reading the region, and the frames are used again at once: every read after munmap returned
faults, none sees the old or the reused page; check mode verifies each freed table is empty and
was flushed from every holder. inject=table-free-before-flush frees the tables before the flush:
check mode names vCPU 1. One QEMU CPU per vCPU, the reader busy in user mode (docs/tlb.md)."""

from runner.entry import Entry

ENTRIES = [
    Entry("table-free-race", "check=1", vcpus=2, host_cpus=2, exclusive=True, timeout=180,
          output=[r"^table-free-race: 100 rounds, every access after munmap faulted$"]),
    Entry("table-free-race-inject", "check=1 rounds=20 inject=table-free-before-flush", vcpus=2,
          host_cpus=2, expect="FAILURE",
          output=[r"^CHECK: invariant broken: a page table is freed only after a flush reached every "
                  r"vCPU whose CR3 held the mm: vcpu 0, mm \S+: vCPUs 0x3 held it at the change and "
                  r"were not flushed yet$"]),
]
