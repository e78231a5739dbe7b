"""user-threads: the threads of one process, one per vCPU, share its memory."""

from runner.entry import Entry

ENTRIES = [Entry("user-threads-4", vcpus=4)]
