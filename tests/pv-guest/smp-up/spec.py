"""smp-up: every vCPU of the domain comes up and reports in from its own context, with its own
per-CPU area, vcpu_info, timer and IPI channel."""

from runner.entry import Entry

# 64 and 128 vCPUs run exclusive: beside another QEMU their bring-up took 35 s instead of 2 s
# (docs/runner.md).
ENTRIES = [Entry(f"smp-up-{n}", f"vcpus={n}", vcpus=n, exclusive=n >= 64)
           for n in (1, 2, 4, 8, 32, 64, 128)]
