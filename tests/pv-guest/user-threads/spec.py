"""user-threads: the threads of one process, one per vCPU, share its memory; the main thread
joins each the Linux way (CLONE_CHILD_CLEARTID, FUTEX_WAIT)."""

from runner.entry import Entry

ENTRIES = [Entry("user-threads-4", vcpus=4)]
