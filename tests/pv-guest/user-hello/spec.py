"""user-hello: a ring-3 program runs, makes system calls and exits with a status its parent
reads."""

from runner.entry import Entry

ENTRIES = [Entry("user-hello", output=[r"^hello: pid \d+, argument 42"])]
