"""orphan-reap: 300 rounds of a child that forks a grandchild and exits first; the kernel must
reap each orphan when it exits (as Linux's init does), or its process slot stays taken and a fork
after about 128 rounds fails with -EAGAIN."""

from runner.entry import Entry

ENTRIES = [Entry("orphan-reap", vcpus=2)]
