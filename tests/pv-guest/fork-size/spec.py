"""fork-size: a process with 1,024 touched private pages forks while its child waits on a pipe;
the pages in use must grow by fewer than 32 across the fork (the child's tables and task: a
copy-on-write fork copies no page), the child must see every page's value, and every page must
come back after."""

from runner.entry import Entry

ENTRIES = [Entry("fork-size", "check=1", vcpus=2,
                 output=[r"^fork-size: a fork of a 1024-page process allocated \d+ pages$"])]
