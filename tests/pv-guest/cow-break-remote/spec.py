"""cow-break-remote: a process breaks copy-on-write on a page one of its threads keeps reading on
vCPU 1, and its child then takes the old page over and writes it, 100 rounds in check mode: the
reader never sees the old page after the break nor the child's data. inject=no-cow-flush skips
the break's flush of the other holders: the reader sees the child's data through its stale
entry. One QEMU CPU per vCPU, the reader busy in user mode (docs/tlb.md)."""

from runner.entry import Entry

ENTRIES = [
    Entry("cow-break-remote", "check=1", vcpus=2, host_cpus=2, exclusive=True, timeout=180,
          output=[r"^cow-break-remote: 100 rounds, the reader never saw the old page or the other "
                  r"process's data$"]),
    Entry("cow-break-remote-inject", "rounds=200 inject=no-cow-flush", vcpus=2, host_cpus=2,
          exclusive=True, expect="FAILURE",
          output=[r"^cow-break-remote: STALE: round \d+: vCPU 1 read the other process's data after "
                  r"the break$"]),
]
