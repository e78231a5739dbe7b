"""switch-cost: what a context switch between two kernel threads asks of Xen. Two threads
pinned to one vCPU hand the CPU to each other with yield(), events masked; that vCPU's
counters must not move: there is nothing to tell Xen."""

from runner.entry import Entry

ENTRIES = [Entry("switch-cost-2", vcpus=2, output=[r"^kthread_switch_hypercalls=0$"])]
