"""kthreads-lock: many kernel threads spread over the vCPUs, contending on one spinlock while
the timer preempts them, sleeping, yielding and migrating now and then; the shared counter,
updated under the lock, must equal the sum of the threads' own counts."""

from runner.entry import Entry

ENTRIES = [
    Entry("kthreads-lock-4", vcpus=4),
    Entry("kthreads-lock-8", "threads_per_cpu=2", vcpus=8),
    Entry("kthreads-lock-xl", mode="xl", vcpus=4),
]
