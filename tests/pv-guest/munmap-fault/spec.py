"""munmap-fault: mmap, touch, munmap (a length ending one byte into the last page, rounded up as
Linux does), touch the last page again. The second touch kills that process only,
with the faulting address printed (checked against the address the program touched); the
kernel goes on. Then the same for a write to a page mprotect made read-only."""

import re

from runner.entry import Entry

TOUCHED_RE = re.compile(r"(?:touching|writing) (0x[0-9a-f]+) after")
KILLED_RE = re.compile(r"killed: page fault \((?:read|write)\) at (0x[0-9a-f]+)")


def kill_names_address(lines):
    """The kill report must name the address the program said it would touch."""
    touched = [m.group(1) for m in map(TOUCHED_RE.search, lines) if m]
    killed = [m.group(1) for m in map(KILLED_RE.search, lines) if m]
    if len(touched) != 2 or len(killed) != 2:
        return f"{len(touched)} accesses announced and {len(killed)} kill reports naming an address, 2 each expected"
    for t, k in zip(touched, killed):
        if int(t, 16) != int(k, 16):
            return f"a process was killed at {k}, it touched {t}"
    return None


ENTRIES = [Entry("munmap-fault", check=kill_names_address)]
