"""huge-range: mprotect and munmap of a 16 TiB mapping with three pages present cost one
multicall each, and a munmap with nothing present none: the work is bounded by what is mapped,
never by the size of the range (it runs under mm->lock with events masked)."""

from runner.entry import Entry

ENTRIES = [Entry("huge-range", "check=1", vcpus=2)]
