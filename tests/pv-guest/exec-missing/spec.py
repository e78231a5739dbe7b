"""exec-missing: a process execs a program that does not exist. The caller gets -ENOENT; the
new mm, never pinned, is torn down without an unpin; exactly the process's own two top-level
tables are pinned and unpinned; nothing leaks."""

from runner.entry import Entry

ENTRIES = [
    Entry("exec-missing", output=[r'^exec-missing: exec\("no-such-program"\) = -2$']),
    *[Entry(f"exec-missing-{n}", vcpus=n) for n in (2, 4, 8)],
]
