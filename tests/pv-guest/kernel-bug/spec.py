"""kernel-bug: a test of the harness itself. The guest trips a BUG_ON() on purpose; it must
print the condition, file and line on a BUG: line, the call stack, and end in FAILURE, and the
runner must see a kernel bug."""

from runner.entry import Entry

ENTRIES = [
    Entry("kernel-bug", expect="FAILURE", kernel_bug=True,
          output=[r"^BUG: nr_cpus > 0 \(\S*kernel-bug/main\.c:\d+\)$", r"^call stack:$"]),
]
