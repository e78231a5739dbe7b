"""ipi-pairs: IPI round trips between every ordered pair of vCPUs. A kernel thread pinned to
each vCPU calls every other vCPU, waiting each time; the callee counts the call in the
(caller, callee) cell."""

from runner.entry import Entry

ENTRIES = [
    Entry("ipi-pairs-4", "rounds=10", vcpus=4),
    Entry("ipi-pairs-8", "rounds=3", vcpus=8),
]
