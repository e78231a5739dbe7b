"""exec-missing: a process execs a program that does not exist (-ENOENT), or with malformed=1
one cut short inside its data segment, after exec has built tables and pages for its text
(-EINVAL). The new mm, never pinned, is torn down without an unpin; exactly the process's own
two top-level tables are pinned and unpinned; nothing leaks."""

from runner.entry import Entry

ENTRIES = [
    Entry("exec-missing", output=[r'^exec-missing: exec\("no-such-program"\) = -2$']),
    *[Entry(f"exec-missing-{n}", vcpus=n) for n in (2, 4, 8)],
    Entry("exec-missing-malformed", "malformed=1",
          output=[r'^exec-missing: exec\("exec-missing-truncated"\) = -22$']),
    Entry("exec-missing-malformed-4", "malformed=1", vcpus=4),
]
