"""fork-loop: a process forks, its child exits and it waits, 1,000 times; the program checks
the pages in use against its baseline every 100, and the test checks that every page is back
once the process is gone."""

from runner.entry import Entry

ENTRIES = [Entry("fork-loop", vcpus=2)]
