"""remote-flush: after munmap (op=munmap) or mprotect(READ) (op=mprotect) returns on one
vCPU, a thread of the same process on another vCPU must fault on its next access to the page,
for one page, 40 (a full flush) and 200 (several multicalls); inject=no-remote-flush shows the
test catches a missing remote flush."""

from runner.entry import Entry

OPS = ("munmap", "mprotect")

ENTRIES = [
    # Spin hand-offs between vCPUs: exclusive.
    *[Entry(f"remote-flush-{op}-{n}", f"op={op}", vcpus=n, host_cpus=n, exclusive=True, timeout=240,
            output=[rf"^remote-flush: 1000 rounds, every access after {op} faulted$"])
      for op in OPS for n in (2, 4, 8)],
    *[Entry(f"remote-flush-{op}-inject", f"op={op} rounds=100 inject=no-remote-flush", vcpus=2,
            expect="FAILURE",
            output=[rf"^remote-flush: STALE: round \d+: vCPU 1 \w+ 0x[0-9a-f]+ after {op} returned$"])
      for op in OPS],
    Entry("remote-flush-munmap-inject-8", "op=munmap rounds=100 inject=no-remote-flush", vcpus=8,
          host_cpus=8, expect="FAILURE", exclusive=True,
          output=[r"^remote-flush: STALE: round \d+: vCPU 7 \w+ 0x[0-9a-f]+ after munmap returned$"]),
    # 40 pages: above the 32-page ceiling, one full flush (TLB_FLUSH_MULTI); 200 pages: four
    # multicalls of up to 64 pages each, the page watched in the last.
    *[Entry(f"remote-flush-{op}-{what}-2", f"op={op} pages={pages} rounds={rounds}", vcpus=2,
            exclusive=True, timeout=240,
            output=[rf"^remote-flush: {rounds} rounds, every access after {op} faulted$"])
      for op in OPS for what, pages, rounds in (("full", 40, 500), ("batches", 200, 100))],
    *[Entry(f"remote-flush-{op}-full-inject", f"op={op} pages=40 rounds=100 inject=no-remote-flush",
            vcpus=2, expect="FAILURE",
            output=[rf"^remote-flush: STALE: round \d+: vCPU 1 \w+ 0x[0-9a-f]+ after {op} returned$"])
      for op in OPS],
]
