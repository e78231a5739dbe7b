"""fault-unmapped: a test of the harness itself. The guest reads an address nothing maps; the
fault report must name that address and the run must end in FAILURE."""

import re

from runner.entry import Entry

EXPECTED_RE = re.compile(r"^fault_expected_address=(0x[0-9a-f]+)$")
REPORTED_RE = re.compile(r"^fault address: (0x[0-9a-f]+)")


def fault_names_address(lines):
    """The fault report must name the address the guest said it would touch."""
    expected = [m.group(1) for m in map(EXPECTED_RE.match, lines) if m]
    reported = [m.group(1) for m in map(REPORTED_RE.match, lines) if m]
    if not expected:
        return "the guest never printed fault_expected_address="
    if not reported:
        return "no 'fault address:' line in the fault report"
    if int(expected[0], 16) != int(reported[0], 16):
        return f"fault report names {reported[0]}, the guest touched {expected[0]}"
    return None


ENTRIES = [
    Entry(name, mode=mode, expect="FAILURE", kernel_bug=True,
          output=[r"^FATAL: page fault \(#PF\)", r"^call stack:$"], check=fault_names_address)
    for name, mode in (("fault-unmapped", "direct"), ("fault-unmapped-xl", "xl"))
]
