"""kernel-flush: a kernel mapping changed and flushed with flush_tlb_kernel_range() is seen
changed on every vCPU, for one hypercall and no IPI; inject=no-remote-flush makes the flush
local and the other vCPUs see stale contents."""

from runner.entry import Entry

ENTRIES = [
    # Spin hand-offs between vCPUs: exclusive.
    *[Entry(f"kernel-flush-{n}", vcpus=n, host_cpus=n, exclusive=True, timeout=240,
            output=[r"^remap_and_flush\.hypercalls=1$", r"^ipis_during_flushes=0$"])
      for n in (2, 4, 8)],
    Entry("kernel-flush-inject", "inject=no-remote-flush", vcpus=2, expect="FAILURE",
          output=[r"^FAIL: round \d+: vCPU \d+ read \w+ through the window, \w+ after the flush$"]),
    Entry("kernel-flush-inject-8", "inject=no-remote-flush", vcpus=8, host_cpus=8, expect="FAILURE",
          exclusive=True,
          output=[r"^FAIL: round \d+: vCPU \d+ read \w+ through the window, \w+ after the flush$"]),
]
