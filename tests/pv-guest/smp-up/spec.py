"""smp-up: every vCPU of the domain comes up and reports in from its own context, with its own
per-CPU area, vcpu_info, timer and IPI channel."""

from runner.entry import Entry

ENTRIES = [Entry(f"smp-up-{n}", f"vcpus={n}", vcpus=n) for n in (1, 2, 4, 8, 32, 64)]
