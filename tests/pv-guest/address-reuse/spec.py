"""address-reuse: a process maps a 1 GiB window at a new address, touches one page and unmaps
it, REUSE_CYCLES times (2,000 by default); munmap frees the page tables and mmap reuses the
holes, so pages in use stay flat (checked every 1,000 cycles) and every page comes back. In check
mode: every freed table is empty and was flushed from every holder. `make test
TESTS=address-reuse REUSE_CYCLES=1000000` runs the long soak."""

import os

from runner import RunnerError
from runner.entry import Entry

_cycles = os.environ.get("REUSE_CYCLES") or "2000"
if not _cycles.isdigit() or int(_cycles) == 0:
    raise RunnerError(f"REUSE_CYCLES={_cycles!r}: expected a positive number of cycles, e.g. 1000000")
CYCLES = int(_cycles)

ENTRIES = [
    Entry("address-reuse", f"check=1 cycles={CYCLES}", timeout=90 + CYCLES // 200,
          output=[rf"^address-reuse: {CYCLES} cycles, \d+ pages in use after each sample$"]),
]
