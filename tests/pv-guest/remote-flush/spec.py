"""remote-flush: after munmap (op=munmap) or mprotect(READ) (op=mprotect) returns on one
vCPU, a thread of the same process on another vCPU must fault on its next access to the page;
inject=no-remote-flush shows the test catches a missing remote flush."""

from runner.entry import Entry

OPS = ("munmap", "mprotect")

ENTRIES = [
    # Spin hand-offs between vCPUs: exclusive.
    *[Entry(f"remote-flush-{op}-{n}", f"op={op}", vcpus=n, exclusive=True, timeout=240,
            output=[rf"^remote-flush: 1000 rounds, every access after {op} faulted$"])
      for op in OPS for n in (2, 4, 8)],
    *[Entry(f"remote-flush-{op}-inject", f"op={op} rounds=100 inject=no-remote-flush", vcpus=2,
            expect="FAILURE",
            output=[rf"^remote-flush: STALE: round \d+: vCPU 1 \w+ 0x[0-9a-f]+ after {op} returned$"])
      for op in OPS],
]
