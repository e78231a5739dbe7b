"""hostile-user: every system call that takes a pointer is handed kernel addresses of each kind
(image text and data, the direct map, a page-table page, Xen's range, non-canonical, wrapping):
Linux's error, and the kernel memory behind them unchanged. Programs that run privileged
instructions, int to kernel vectors, port I/O, a Xen segment selector, or jump into or read the
kernel die of SIGSEGV (139 through wait4); the guest runs on with every page back. In check
mode, every copy that passes the loaded-mm gate is checked against the CR3 Xen holds
(docs/tlb.md)."""

from runner.entry import Entry

ENTRIES = [
    Entry("hostile-user", "check=1"),
    Entry("hostile-user-2", "check=1", vcpus=2),
]
