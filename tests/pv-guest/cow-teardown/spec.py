"""cow-teardown: a parent and its child sharing 16 pages copy-on-write exit in every order (child
first, parent first after breaking every share, parent first at once with its thread still
writing, the child's thread breaking shares during the parent's teardown), with threads on the
other vCPUs, 40 rounds in check mode: each process sees its own data and every page comes back.
First a system call writes a buffer in a page shared copy-on-write: it breaks the share and
succeeds (no -EFAULT). inject=no-fork-page-ref shares pages without a reference: a page is freed
twice."""

from runner.entry import Entry

ENTRIES = [
    *[Entry(f"cow-teardown-{n}", "check=1", vcpus=n, timeout=180, exclusive=n > 2,
            output=[r"^cow-teardown: 40 rounds, every process saw its own data$"])
      for n in (2, 4)],
    Entry("cow-teardown-inject", "check=1 rounds=8 inject=no-fork-page-ref", vcpus=2,
          expect="FAILURE", kernel_bug=True,
          output=[r"page allocator: bad free of pfn [0-9a-f]+"]),
]
