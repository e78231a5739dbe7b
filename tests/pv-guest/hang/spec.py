"""hang: a test of the harness itself. The guest never finishes (it blocks in Xen for ever,
taking timer events); the runner must report a timeout."""

from runner.entry import Entry

ENTRIES = [
    Entry("hang", expect="timeout", timeout=25),
    Entry("hang-xl", mode="xl", expect="timeout", timeout=15),
]
