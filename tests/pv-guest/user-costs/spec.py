"""user-costs: what the MMU layer's common operations cost in hypercalls: a switch between two
processes is one hypercall, a kernel-thread round trip from a process none; fork+exit+wait and
a 64-page mmap/touch/munmap, demand-faulted and MAP_POPULATE'd, are measured and printed."""

from runner.entry import Entry

ENTRIES = [
    Entry("user-costs", vcpus=2,
          output=[r"^fork_exit_wait\.hypercalls=", r"^mmap64_touch_munmap\.hypercalls=",
                  r"^mmap64_populate_touch_munmap\.hypercalls="]),
]
