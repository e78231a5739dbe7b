"""flush-cost: a flush of an mm loaded on k of N vCPUs costs one hypercall for every k (to 17,
then every 8th and N-1, above 16 vCPUs), lazily loaded or not; under lazy=leave the first flush also asks the lazy holders to leave (one more
hypercall, the same mask) and later flushes leave them out; the IPIs that costs are printed for
comparison."""

from runner.entry import Entry

ENTRIES = [
    *[Entry(f"flush-cost-{n}", vcpus=n) for n in (2, 4, 8)],
    # Up to 63 holders, one hypercall each time. Exclusive: every reader's vCPU spins (docs/runner.md).
    Entry("flush-cost-64", vcpus=64, exclusive=True),
    Entry("flush-cost-lazy-leave-4", "lazy=leave", vcpus=4),
]
