"""uaccess-race: a system call reads user memory that another thread of the process unmaps at
that very moment, thousands of times: the kernel's copy ends in -EFAULT through the exception
table, the guest lives on, and every page comes back."""

from runner.entry import Entry

ENTRIES = [
    Entry("uaccess-race", vcpus=2),
]
