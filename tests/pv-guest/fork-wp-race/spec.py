"""fork-wp-race: a thread writes a counter into a private page on vCPU 1 while vCPU 0 forks, 50
times, in check mode: the child sees a value from before fork returned, never a later one, and
each write-protect chunk's flush reached every holder of the parent. inject=no-fork-flush
leaves the flush out: check mode names the vCPUs it missed. (The child's view cannot show it
here: the child runs first, and Xen's flush when its first load pins its tables wipes the
writer's stale entry before fork returns in the parent; docs/tlb.md, "Copy-on-write".)"""

from runner.entry import Entry

ENTRIES = [
    Entry("fork-wp-race", "check=1", vcpus=2, host_cpus=2, exclusive=True, timeout=180,
          output=[r"^fork-wp-race: 50 forks, the child never saw a write from after fork returned$"]),
    Entry("fork-wp-race-inject", "check=1 rounds=10 inject=no-fork-flush", vcpus=2, host_cpus=2,
          expect="FAILURE",
          output=[r"^CHECK: invariant broken: fork returns only after its write-protect flush "
                  r"reached the parent's holders: vcpu 0, mm \S+: vCPUs 0x3 held it at the change "
                  r"and were not flushed yet$"]),
]
